package pdftest

import (
	"strings"
	"testing"
)

// The letter comparison behind the MuPDF and pdf.js checks finds a
// letter read differently, and only that.
func TestLetterDiff(t *testing.T) {
	if d := letterDiff("Beskæftigelse 2014", "Besk\uFFFDftigelse  2014.", "X"); len(d) != 2 || !strings.Contains(d[0], `'æ' poppler 1, X 0`) && !strings.Contains(d[1], `'æ' poppler 1, X 0`) {
		t.Errorf("%v", d)
	}
	if d := letterDiff("a b\nc", "abc", "X"); len(d) != 0 {
		t.Errorf("spacing counted: %v", d)
	}
}
