package pdf

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"regexp"
	"slices"
	"strings"
	"testing"

	"protokol/internal/pdftest"
)

// No page holds one line of a split paragraph alone, and a paragraph of
// up to six lines is never split: paragraphs of random lengths, their
// words numbered, read back page by page and line by line.
func TestWidowsAndOrphans(t *testing.T) {
	for seed := range uint64(12) {
		widowsAndOrphans(t, seed)
	}
}

func widowsAndOrphans(t *testing.T, seed uint64) {
	rng := rand.New(rand.NewPCG(seed, 4))
	var md strings.Builder
	for p := range 120 {
		n := 5 + rng.IntN(250)
		for w := range n {
			fmt.Fprintf(&md, "p%dw%d ", p, w)
		}
		md.WriteString("\n\n")
	}
	var out bytes.Buffer
	st, err := Render(context.Background(), &out, &Document{Markdown: md.String(), Plain: true})
	if err != nil {
		t.Fatal(err)
	}
	word := regexp.MustCompile(`\bp(\d+)w\d+`)
	lines := map[string][]int{} // paragraph -> its line count on each page it is on
	for page, text := range pdftest.Pages(t, out.Bytes()) {
		for line := range strings.Lines(text) {
			m := word.FindStringSubmatch(line)
			if m == nil {
				continue
			}
			counts := lines[m[1]]
			for len(counts) <= page {
				counts = append(counts, 0)
			}
			counts[page]++
			lines[m[1]] = counts
		}
	}
	split := 0
	for p, counts := range lines {
		var on []int
		total := 0
		for _, c := range counts {
			if c > 0 {
				on = append(on, c)
				total += c
			}
		}
		if len(on) < 2 {
			continue
		}
		split++
		if total <= 6 { // shortBlock
			t.Errorf("seed %d: paragraph %s of %d lines is split %v", seed, p, total, on)
		}
		for _, c := range on {
			if c < 2 {
				t.Errorf("seed %d: paragraph %s leaves %d line on a page: %v", seed, p, c, on)
			}
		}
	}
	if split < 5 || st.Pages < 10 {
		t.Errorf("%d paragraphs split over %d pages: the test proves little", split, st.Pages)
	}
}

// A list entry with sub-entries is never left at the foot of a page with
// its sub-entries over it: entries of random lengths, each page's last
// line read back.
func TestListEntryKeepsItsFirstSubEntry(t *testing.T) {
	for seed := range uint64(8) {
		rng := rand.New(rand.NewPCG(seed, 5))
		var md strings.Builder
		for e := range 150 {
			fmt.Fprintf(&md, "- Hovedpunkt%d %s\n", e, strings.Repeat("tekst ", rng.IntN(8)))
			for s := range 1 + rng.IntN(3) {
				fmt.Fprintf(&md, "  - Underpunkt%d.%d %s\n", e, s, strings.Repeat("mere ", rng.IntN(12)))
			}
		}
		var out bytes.Buffer
		if _, err := Render(context.Background(), &out, &Document{Markdown: md.String(), Plain: true}); err != nil {
			t.Fatal(err)
		}
		pages := pdftest.Pages(t, out.Bytes())
		for i, p := range pages[:len(pages)-1] {
			lines := strings.Split(strings.TrimSpace(p), "\n")
			first := ""
			for _, l := range strings.Split(strings.TrimSpace(pages[i+1]), "\n") {
				if l = strings.Trim(l, " •–◦"); l != "" {
					first = l // the first line that is more than a list marker
					break
				}
			}
			if strings.Contains(first, "Underpunkt") {
				// the page starts with a sub-entry: its entry's text must
				// not have ended the page before
				last := lines[len(lines)-1]
				if strings.Contains(last, "Hovedpunkt") || strings.Contains(last, "tekst") && !strings.Contains(last, "Underpunkt") && !strings.Contains(last, "mere") {
					t.Errorf("seed %d: page %d ends with an entry %q whose sub-entries start the next page", seed, i+1, last)
				}
			}
		}
	}
}

// A table too wide for its words at the body's table size is set
// smaller (down to 7 pt) before any word or number is broken.
func TestWideTableIsSetSmallerBeforeBreakingWords(t *testing.T) {
	var md strings.Builder
	md.WriteString("|")
	for c := range 9 {
		fmt.Fprintf(&md, " Kol%02d |", c)
	}
	md.WriteString("\n|" + strings.Repeat("---:|", 9) + "\n")
	for r := range 5 {
		md.WriteString("|")
		for c := range 9 {
			fmt.Fprintf(&md, " %d2.345.6%d8 |", r, c)
		}
		md.WriteString("\n")
	}
	var out bytes.Buffer
	if _, err := Render(context.Background(), &out, &Document{Markdown: md.String(), Plain: true}); err != nil {
		t.Fatal(err)
	}
	text := strings.Join(pdftest.Pages(t, out.Bytes()), "\n")
	for r := range 5 {
		for c := range 9 {
			if n := fmt.Sprintf("%d2.345.6%d8", r, c); !strings.Contains(text, n) {
				t.Errorf("%s is broken:\n%s", n, text)
				return
			}
		}
	}
}

// A table too wide even at 7 pt goes on landscape pages of its own, the
// pages after it portrait again; one too wide for those is split into
// groups of columns, each repeating the first; no word or number is
// broken in either.
func TestWideTablesGoLandscapeThenInColumnGroups(t *testing.T) {
	table := func(cols int) string {
		var md strings.Builder
		md.WriteString("| Navn |")
		for c := range cols {
			fmt.Fprintf(&md, " Kolonne %d |", c)
		}
		md.WriteString("\n|---|" + strings.Repeat("---:|", cols) + "\n")
		for r := range 4 {
			fmt.Fprintf(&md, "| Række%d |", r)
			for c := range cols {
				fmt.Fprintf(&md, " %d2.345.6%02d |", r, c)
			}
			md.WriteString("\n")
		}
		return "Før tabellen.\n\n" + md.String() + "\nEfter tabellen.\n"
	}
	for _, c := range []struct {
		cols   int
		groups int
	}{{12, 1}, {40, 3}} {
		var out bytes.Buffer
		if _, err := Render(context.Background(), &out, &Document{Markdown: table(c.cols), Lang: "da"}); err != nil {
			t.Fatal(err)
		}
		sizes := pageSizes(t, out.Bytes())
		if len(sizes) < 3 || sizes[0] != "595x841" || sizes[1] != "841x595" || sizes[len(sizes)-1] != "595x841" {
			t.Errorf("%d columns: pages %v; want portrait, landscape, portrait", c.cols, sizes)
		}
		text := strings.Join(pdftest.Pages(t, out.Bytes()), "\n")
		for col := range c.cols {
			for r := range 4 {
				if n := fmt.Sprintf("%d2.345.6%02d", r, col); !strings.Contains(text, n) {
					t.Fatalf("%d columns: %s is broken or missing", c.cols, n)
				}
			}
			if !strings.Contains(text, fmt.Sprintf("Kolonne\n%d", col)) && !strings.Contains(text, fmt.Sprintf("Kolonne %d", col)) {
				t.Fatalf("%d columns: the header Kolonne %d is broken:\n%s", c.cols, col, text[:min(len(text), 600)])
			}
		}
		if got := strings.Count(text, "Række0"); got != c.groups {
			t.Errorf("%d columns: the first column appears %d times, want %d (one per group)", c.cols, got, c.groups)
		}
		if tg := pdftest.CheckTagged(t, out.Bytes()); len(tg.Problems) > 0 {
			t.Errorf("%d columns: %v", c.cols, tg.Problems)
		}
	}
}

// No page holds fewer than four lines of body text because an item's
// last lines spilled onto it before the next item's page break: lines of
// the page before come along (a heading with what follows it, a split
// paragraph two lines a side). Items of random lengths, read back page by
// page; the words stay in order and the tags stay whole.
func TestNoNearlyEmptyPageBeforeABreak(t *testing.T) {
	fixed := 0
	for seed := range uint64(10) {
		rng := rand.New(rand.NewPCG(seed, 9))
		var md strings.Builder
		var order []string
		for item := range 14 {
			fmt.Fprintf(&md, "## Punkt %d\n\n", item)
			for p := range 1 + rng.IntN(7) {
				if rng.IntN(3) == 0 {
					fmt.Fprintf(&md, "### Beslutning %d.%d\n\n", item, p)
				}
				for w := range 5 + rng.IntN(300) {
					word := fmt.Sprintf("i%dp%dw%d", item, p, w)
					order = append(order, word)
					md.WriteString(word + " ")
				}
				md.WriteString("\n\n")
			}
			md.WriteString("<!-- pagebreak -->\n\n")
		}
		var out bytes.Buffer
		if _, err := Render(context.Background(), &out, &Document{Markdown: md.String()}); err != nil {
			t.Fatal(err)
		}
		pages := pdftest.Pages(t, out.Bytes())
		word := regexp.MustCompile(`\bi\d+p\d+w\d+\b`)
		var got []string
		for n, text := range pages {
			lines := 0
			for line := range strings.Lines(text) {
				if strings.TrimSpace(line) != "" {
					lines++
				}
			}
			got = append(got, word.FindAllString(text, -1)...)
			if n < len(pages)-1 && lines < minLinesForTest && !strings.Contains(text, "Punkt ") {
				t.Errorf("seed %d: page %d holds %d lines: %q", seed, n+1, lines, text)
			}
		}
		if !slices.Equal(got, order) {
			t.Errorf("seed %d: the words are not in their order", seed)
		}
		if tg := pdftest.CheckTagged(t, out.Bytes()); len(tg.Problems) > 0 {
			t.Errorf("seed %d: %v", seed, tg.Problems)
		}
		fixed += len(pages)
	}
	if fixed < 100 {
		t.Errorf("%d pages in all: the test proves little", fixed)
	}
}

// minLinesForTest is the layout's rule, said again here.
const minLinesForTest = 4
