package pdf

import (
	"bytes"
	"context"
	"os/exec"
	"slices"
	"strings"
	"testing"

	"protokol/internal/pdftest"
)

// postPassDocument has what the post-pass adds to: bookmarks at two
// levels, internal and external links, a table, a heading marked as
// another language, running footers and a table of contents.
const postPassDocument = `# Dagsorden {#top outline=1}

<!-- toc -->

[1. Budget & regnskab](#p1)

[2. Orientering](#p2)

<!-- /toc -->

## Punkt 1: Budget & regnskab {#p1}

Se [punkt 2](#p2) og [kommunens side](https://www.odense.dk/).

| Område | Budget |
|---|---:|
| Skole | 1.000 kr. |
| Ældre | 24,2 % |

<!-- pagebreak -->

## Punkt 2: Orientering {#p2 lang=en}

Tekst på næste side, [tilbage](#top).
`

// The post-pass finds what it changes from the trailer (catalog, page
// tree, outline, Info) and reads objects by the cross-reference table, so
// fpdf's file rewritten by qpdf --qdf (other whitespace, comments, other
// object numbers and order, lengths as references) gives the same
// document: the same text on the same pages, the same bookmarks, the
// same structure, and every tagging rule kept.
func TestPostPassReadsAnyLayoutOfTheSameObjects(t *testing.T) {
	if _, err := exec.LookPath("qpdf"); err != nil {
		t.Skip("qpdf is needed (apt-get install qpdf; .ci/run installs it)")
	}
	d := &Document{Markdown: postPassDocument, Title: "Dagsorden", Lang: "da", FooterLeft: "Økonomiudvalget", FooterRight: "Side " + Page + " af " + Pages}
	l, err := layOut(context.Background(), d)
	if err != nil {
		t.Fatal(err)
	}
	rewritten := pdftest.QPDF(t, l.raw, "--qdf", "--object-streams=disable")
	if bytes.Equal(rewritten, l.raw) || !bytes.Contains(rewritten, []byte("%% Original object ID")) {
		t.Fatal("qpdf did not rewrite the file: the test would prove nothing")
	}
	var want, got bytes.Buffer
	if err := l.archive(context.Background(), &want, l.raw, false); err != nil {
		t.Fatal(err)
	}
	if err := l.archive(context.Background(), &got, rewritten, false); err != nil {
		t.Fatalf("the post-pass on qpdf's rewrite: %v", err)
	}
	if a, b := pdftest.Pages(t, want.Bytes()), pdftest.Pages(t, got.Bytes()); !slices.Equal(a, b) {
		t.Errorf("text differs:\nfpdf's file: %q\nrewritten:   %q", a, b)
	}
	if a, b := pdftest.Outline(t, want.Bytes()), pdftest.Outline(t, got.Bytes()); !slices.Equal(a, b) || len(a) < 3 {
		t.Errorf("bookmarks differ:\nfpdf's file: %v\nrewritten:   %v", a, b)
	}
	tw, tg := pdftest.CheckTagged(t, want.Bytes()), pdftest.CheckTagged(t, got.Bytes())
	if len(tg.Problems) > 0 || len(tw.Problems) > 0 {
		t.Errorf("tagging problems: %v / rewritten: %v", tw.Problems, tg.Problems)
	}
	if !slices.Equal(tw.Types, tg.Types) || !slices.Contains(tw.Types, "Link") || !slices.Contains(tw.Types, "Table") || !slices.Contains(tw.Types, "TOCI") {
		t.Errorf("structure differs:\nfpdf's file: %v\nrewritten:   %v", tw.Types, tg.Types)
	}
	if a, b := pdftest.Info(t, want.Bytes()), pdftest.Info(t, got.Bytes()); a["Title"] != b["Title"] || a["Pages"] != b["Pages"] {
		t.Errorf("document information differs: %v / %v", a, b)
	}
	if !strings.Contains(strings.Join(pdftest.Pages(t, got.Bytes()), ""), "Side 2 af 2") {
		t.Error("the footers are not in the rewritten file's result")
	}
}
