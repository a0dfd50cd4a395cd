package pdftest

import (
	"bytes"
	"fmt"
	"strings"
)

// Page is one page of a PDF that Make writes: its size in points, its
// rotation, and lines of text (Helvetica, not embedded) from the top.
type Page struct {
	W, H   float64
	Rotate int
	Lines  []string
	Split  bool // the content as two streams, as some writers do
}

// A4W and A4H are an A4 portrait page's size in points.
const A4W, A4H = 595.28, 841.89

// Make writes a small, plain PDF (classic cross-reference table) with
// the pages given: attachments for tests, written independently of the
// renderer under test.
func Make(pages ...Page) []byte {
	var b bytes.Buffer
	var offsets []int
	obj := func(s string) int {
		offsets = append(offsets, b.Len())
		n := len(offsets)
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", n, s)
		return n
	}
	b.WriteString("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
	obj("<</Type /Catalog /Pages 2 0 R>>")
	// the page tree's object is written last, when its kids are known
	offsets = append(offsets, 0)
	font := obj("<</Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding>>")
	var kids []string
	for _, p := range pages {
		var c strings.Builder
		y := p.H - 72
		for _, l := range p.Lines {
			l = strings.NewReplacer(`\`, `\\`, "(", `\(`, ")", `\)`).Replace(winAnsi(l))
			fmt.Fprintf(&c, "BT /F1 14 Tf 72 %.2f Td (%s) Tj ET\n", y, l)
			y -= 20
		}
		content := c.String()
		var contents string
		if p.Split {
			half := strings.Index(content, "\n") + 1
			a := obj(fmt.Sprintf("<</Length %d>>\nstream\n%s\nendstream", half, content[:half]))
			z := obj(fmt.Sprintf("<</Length %d>>\nstream\n%s\nendstream", len(content)-half, content[half:]))
			contents = fmt.Sprintf("[%d 0 R %d 0 R]", a, z)
		} else {
			n := obj(fmt.Sprintf("<</Length %d>>\nstream\n%s\nendstream", len(content), content))
			contents = fmt.Sprintf("%d 0 R", n)
		}
		page := obj(fmt.Sprintf("<</Type /Page /Parent 2 0 R /MediaBox [0 0 %.2f %.2f] /Rotate %d /Resources <</Font <</F1 %d 0 R>>>> /Contents %s>>",
			p.W, p.H, p.Rotate, font, contents))
		kids = append(kids, fmt.Sprintf("%d 0 R", page))
	}
	offsets[1] = b.Len()
	fmt.Fprintf(&b, "2 0 obj\n<</Type /Pages /Kids [%s] /Count %d>>\nendobj\n", strings.Join(kids, " "), len(kids))
	return finish(&b, offsets)
}

// finish writes the cross-reference table of the objects at offsets
// (numbered from 1, the first the catalog) and the trailer.
func finish(b *bytes.Buffer, offsets []int) []byte {
	xref := b.Len()
	fmt.Fprintf(b, "xref\n0 %d\n0000000000 65535 f \n", len(offsets)+1)
	for _, o := range offsets {
		fmt.Fprintf(b, "%010d 00000 n \n", o)
	}
	fmt.Fprintf(b, "trailer\n<</Size %d /Root 1 0 R>>\nstartxref\n%d\n%%%%EOF\n", len(offsets)+1, xref)
	return b.Bytes()
}

// winAnsi encodes text for the standard fonts: Latin-1's letters as
// themselves, the dashes, and "?" for the rest.
func winAnsi(s string) string {
	var b []byte
	for _, r := range s {
		switch {
		case r == '–':
			b = append(b, 0x96)
		case r == '—':
			b = append(b, 0x97)
		case r < 0x100:
			b = append(b, byte(r))
		default:
			b = append(b, '?')
		}
	}
	return string(b)
}

// Numbered is an n-page A4 attachment, each page saying its name and number.
func Numbered(name string, n int) []byte {
	pages := make([]Page, n)
	for i := range pages {
		pages[i] = Page{W: A4W, H: A4H, Lines: []string{fmt.Sprintf("%s page %d of %d", name, i+1, n), "The quick brown fox jumps over the lazy dog."}}
	}
	return Make(pages...)
}

// Objects writes a PDF of the objects given, numbered from 1 (the first
// is the catalog), with a classic cross-reference table: for files made
// to be hostile or broken in one particular way.
func Objects(objs ...string) []byte {
	var b bytes.Buffer
	b.WriteString("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
	offsets := make([]int, len(objs))
	for i, o := range objs {
		offsets[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	return finish(&b, offsets)
}

// Annotated is a one-page file with what a packet does not carry: two
// links, a form field and a comment (with its popup).
func Annotated() []byte {
	return Objects(
		"<</Type /Catalog /Pages 2 0 R>>",
		"<</Type /Pages /Kids [3 0 R] /Count 1>>",
		"<</Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources <<>> /Contents 4 0 R /Annots [5 0 R 6 0 R 7 0 R 8 0 R 9 0 R]>>",
		Stream("", []byte("0 0 1 rg 72 700 200 20 re f")),
		"<</Subtype /Link /Rect [72 700 272 720] /A <</S /URI /URI (https://example.org)>>>>",
		"<</Subtype /Link /Rect [72 650 272 670] /Dest [3 0 R /Fit]>>",
		"<</Subtype /Widget /FT /Tx /T (navn) /Rect [72 600 272 620]>>",
		"<</Subtype /Text /Rect [300 700 320 720] /Contents (en note) /Popup 9 0 R>>",
		"<</Subtype /Popup /Rect [300 600 500 700] /Parent 8 0 R>>",
	)
}
