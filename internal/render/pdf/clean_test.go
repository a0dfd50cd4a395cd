package pdf

import "testing"

func TestClean(t *testing.T) {
	fs, err := loadFonts()
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
	} {
		c := &cleaner{fs: fs}
		if got := c.clean(tt.in); got != tt.want || c.replaced != tt.replaced {
			t.Errorf("clean(%q) = %q (%d replaced), want %q (%d)", tt.in, got, c.replaced, tt.want, tt.replaced)
		}
		for _, r := range c.clean(tt.in) {
			if !fs.drawable(r) {
				t.Errorf("clean(%q) left %U, which the font cannot draw", tt.in, r)
			}
		}
	}
}

func TestBreakLinesFitsAndCutsLongWords(t *testing.T) {
	fs, _ := loadFonts()
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
	}
}
