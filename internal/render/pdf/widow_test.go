package pdf

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"regexp"
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
