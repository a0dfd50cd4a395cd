package pdf

import (
	"bytes"
	"context"
	"os/exec"
	"protokol/internal/pdftest"
	"regexp"
	"strings"
	"testing"
)

func TestColourDoesNotLeakAcrossPages(t *testing.T) {
	var buf bytes.Buffer
	if _, err := Render(context.Background(), &buf, &Document{Markdown: "Se [kommunen](https://aalborg.dk)\n\n<!-- pagebreak -->\n\nEfter linket"}); err != nil {
		t.Fatal(err)
	}
	pages := contentStreams(t, buf.Bytes())
	blue := "0.000 0.275 0.588 rg" // the link colour
	if len(pages) != 2 || !strings.Contains(pages[0], blue) {
		t.Fatalf("%d pages; the link is not blue (%s)", len(pages), blue)
	}
	if strings.Contains(pages[1], blue) || !strings.Contains(pages[1], "0.000 0.000 0.000 rg") {
		t.Errorf("the text after the page break is not drawn black: %q", pages[1])
	}
}

// contentStreams are the pages' content streams, decompressed by qpdf.
func contentStreams(t *testing.T, pdf []byte) []string {
	t.Helper()
	if _, err := exec.LookPath("qpdf"); err != nil {
		t.Skip("qpdf is needed (apt-get install qpdf; .ci/run installs it)")
	}
	b := pdftest.QPDF(t, pdf, "--qdf", "--object-streams=disable")
	parts := regexp.MustCompile(`%% Contents for page \d+\n`).Split(string(b), -1)[1:]
	for i, p := range parts {
		if j := strings.Index(p, "endstream"); j >= 0 {
			parts[i] = p[:j]
		}
	}
	return parts
}

// A table's header fill does not leave its colour to the text after it:
// the fill colour is the text colour too, and the layout writes colour
// only when it changes, so the fill sets its colour inside q … Q, which
// restores the text's.
func TestAFillKeepsItsColourToItself(t *testing.T) {
	var buf bytes.Buffer
	if _, err := Render(context.Background(), &buf, &Document{Markdown: "Tekst før tabellen.\n\n| Kolonne |\n|---|\n| celle |"}); err != nil {
		t.Fatal(err)
	}
	page := contentStreams(t, buf.Bytes())[0]
	fill := strings.Index(page, " re f")
	if fill < 0 {
		t.Fatal("no header fill")
	}
	before, after := page[:fill], page[fill:]
	q, rg := strings.LastIndex(before, " q "), strings.LastIndex(before, " rg")
	if q < 0 || rg < q || strings.Contains(before[q:], "Q") || !strings.HasPrefix(after, " re f Q") {
		t.Errorf("the fill's colour is not set inside q … Q:\n%.300s", page[max(0, fill-200):])
	}
}
