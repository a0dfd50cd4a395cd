package layout

import (
	"strings"
	"testing"

	"protokol/internal/render/font"
)

func TestClean(t *testing.T) {
	fs, err := font.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		in, want string
		replaced int
	}{
		{"Æble, øl og å – “citat” €", "Æble, øl og å – “citat” €", 0},
		{"e\u0301", "é", 0},
		{"😀", "\uFFFD", 1},
		{"👍🏽", "\uFFFD", 1},
		{"👨‍👩‍👧", "\uFFFD", 1},
		{"🇩🇰🇸🇪", "\uFFFD\uFFFD", 2},
		{"中文", "\uFFFD\uFFFD", 2},
		{"a\x00b\x1bc\u007fd", "abcd", 0},
		{"tab\there\nnewline", "tab here newline", 0},
		{"soft\u00adhyphen zero\u200bwidth", "softhyphen zerowidth", 0},
		{"Łódź Ἀθῆναι Київ", "Łódź Ἀθῆναι Київ", 0},
		{"\U0001D518", "\uFFFD", 1},
		{"Referat\u202Efdp.exe \u2067x\u2069 \u200Fy\u200E", "Referatfdp.exe x y", 0}, // bidi controls: dropped, not drawn or replaced
	} {
		c := &cleaner{fs: fs}
		if got := c.clean(tt.in); got != tt.want || c.replaced != tt.replaced {
			t.Errorf("clean(%q) = %q (%d replaced), want %q (%d)", tt.in, got, c.replaced, tt.want, tt.replaced)
		}
		for _, r := range c.clean(tt.in) {
			if !fs.Drawable(r) {
				t.Errorf("clean(%q) left %U, which the font cannot draw", tt.in, r)
			}
		}
	}
}

func TestBreakLinesFitsAndCutsLongWords(t *testing.T) {
	fs, _ := font.Embedded()
	e := newEngine(fs)
	pieces := e.measure([]span{{text: "Et kort ord og et meget " + string(make([]byte, 0)) + "Laaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaangt ord"}}, bodySize, false)
	lines := e.breakLines(pieces, 60, bodySize)
	if len(lines) < 3 {
		t.Fatalf("want the long word cut over lines, got %d lines", len(lines))
	}
	for i, l := range lines {
		if l.w > 60.01 {
			t.Errorf("line %d is %.1f mm wide, more than 60", i, l.w)
		}
		last := l.pieces[len(l.pieces)-1].text
		if i > 0 && i < len(lines)-1 && !strings.HasSuffix(last, "-") {
			t.Errorf("line %d cuts a word without a hyphen: %q", i, last)
		}
	}
}

// TestColourDoesNotLeakAcrossPages: text after a page that ended with a
// link is black, not link blue. (Each text run sets its colour, so it
// cannot; the test keeps it so.)
// Danish typography: a number keeps its unit on its line ("24,2 %",
// "5 mio. kr.", "1.000 kr."), and the font draws the no-break space.
func TestNumbersKeepTheirUnits(t *testing.T) {
	for in, want := range map[string]string{
		"steg 24,2 % i alt":   "steg 24,2\u00A0% i alt",
		"5 mio. kr. til":      "5\u00A0mio.\u00A0kr. til",
		"(1.000 kr.)":         "(1.000\u00A0kr.)",
		"i 3 år og 12 uger":   "i 3\u00A0år og 12\u00A0uger",
		"kr. 5 er ikke en":    "kr. 5 er ikke en",
		"ingen tal her, nej.": "ingen tal her, nej.",
	} {
		if got := keepTogether(in); got != want {
			t.Errorf("keepTogether(%q) = %q, want %q", in, got, want)
		}
	}
	fs, err := font.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	if !fs.Drawable('\u00A0') {
		t.Error("the font cannot draw a no-break space")
	}
}

// A word cut over lines leaves no piece of fewer than four letters, at
// every width that takes seven or more (a narrower one cannot always
// keep four on each line: a table gets more room or column groups).
func TestCutWordsLeaveNoShortPieces(t *testing.T) {
	fs, _ := font.Embedded()
	e := newEngine(fs)
	for n := 8; n < 60; n++ {
		word := strings.Repeat("abcdefghij", 6)[:n]
		for _, width := range []float64{14, 17, 22, 30} {
			lines := e.breakLines(e.measure([]span{{text: word}}, bodySize, false), width, bodySize)
			if len(lines) < 2 {
				continue
			}
			for i, l := range lines {
				text := ""
				for _, p := range l.pieces {
					text += p.text
				}
				if letters := len(strings.TrimSuffix(text, "-")); letters < 4 {
					t.Errorf("a %d-letter word at %.0f mm: line %d holds %q", n, width, i, text)
				}
			}
		}
	}
}

// Moving boxes down a page moves positions, not sizes: a fill keeps its
// height, a line moves both ends.
func TestShiftMovesPositionsNotSizes(t *testing.T) {
	fill := Box{Kind: FillBox, Y: 10, X2: 50, Y2: 6}
	line := Box{Kind: LineBox, Y: 10, Y2: 30}
	text := Box{Kind: TextBox, Y: 10}
	shift(&fill, 5)
	shift(&line, 5)
	shift(&text, 5)
	if fill.Y != 15 || fill.Y2 != 6 || line.Y != 15 || line.Y2 != 35 || text.Y != 15 {
		t.Errorf("fill %+v, line %+v, text %+v", fill, line, text)
	}
}
