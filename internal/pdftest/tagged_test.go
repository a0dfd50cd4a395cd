package pdftest

import (
	"bytes"
	"strings"
	"testing"

	"codeberg.org/go-pdf/fpdf"
)

// The content check can fail: text drawn outside marked content, and
// marked content left open, are found.
func TestUnmarkedContentIsFound(t *testing.T) {
	p := fpdf.New("P", "mm", "A4", "")
	p.AddPage()
	p.SetFont("Helvetica", "", 12)
	p.Text(10, 10, "unmarked")
	p.RawWriteStr("/P <</MCID 0>> BDC")
	p.Text(10, 20, "never closed")
	var b bytes.Buffer
	if err := p.Output(&b); err != nil {
		t.Fatal(err)
	}
	tg := CheckTagged(t, b.Bytes())
	for _, want := range []string{`"Tj" outside marked content`, "left open"} {
		found := false
		for _, p := range tg.Problems {
			found = found || strings.Contains(p, want)
		}
		if !found {
			t.Errorf("not found: %q in %v", want, tg.Problems)
		}
	}
}
