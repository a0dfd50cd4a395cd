package pdf

import (
	"bytes"
	"context"
	"os/exec"
	"regexp"
	"slices"
	"strings"
	"testing"

	"protokol/internal/attach"
	"protokol/internal/pdftest"
)

func readSource(t *testing.T, b []byte) *attach.File {
	t.Helper()
	s, err := attach.Read(context.Background(), b, attach.Limits{MaxPages: 100, MaxStreamBytes: 1 << 20})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// pageSizes are pdfinfo's "W x H" of every page, in whole points.
func pageSizes(t *testing.T, b []byte) []string {
	t.Helper()
	out, err := exec.Command("pdfinfo", "-f", "1", "-l", "9999", pdftest.File(t, b)).Output()
	if err != nil {
		t.Fatal(err)
	}
	var sizes []string
	for _, m := range regexp.MustCompile(`Page +\d+ size: +(\d+)[.\d]* x (\d+)`).FindAllStringSubmatch(string(out), -1) {
		sizes = append(sizes, m[1]+"x"+m[2])
	}
	return sizes
}

func TestAttachmentPagesArePlacedStampedAndBookmarked(t *testing.T) {
	att := pdftest.Make(
		pdftest.Page{W: pdftest.A4W, H: pdftest.A4H, Lines: []string{"Portrait zebrafinch"}},
		pdftest.Page{W: pdftest.A4H, H: pdftest.A4W, Lines: []string{"Landscape quokka"}},
		pdftest.Page{W: pdftest.A4W, H: pdftest.A4H, Rotate: 90, Lines: []string{"Rotated narwhal"}},
		pdftest.Page{W: 420, H: 595, Split: true, Lines: []string{"Split axolotl", "second stream"}},
	)
	doc := &Document{
		Markdown: "# Forside {#forside}\n\n<!-- toc -->\n[Punkt 1](#p1)\n\n[Bilag 1.1 · Budget](#bilag-1)\n<!-- /toc -->\n\n<!-- pagebreak -->\n\n" +
			"## Punkt 1 {#p1}\n\nTekst.\n\n<!-- attachment items[0].attachments[0] -->\n\n## Punkt 2 {#p2}\n\nMere.\n",
		Title: "Dagsorden", Lang: "da", FooterRight: "Side " + Page + " af " + Pages,
		Attachments: []*Attachment{{Key: "items[0].attachments[0]", Anchor: "bilag-1", Stamp: "Bilag 1.1 · Budget",
			Alt: "Bilag 1.1 · Budget (4 sider)", Source: readSource(t, att)}},
	}
	var buf bytes.Buffer
	st, err := Render(context.Background(), &buf, doc)
	if err != nil {
		t.Fatal(err)
	}
	b := buf.Bytes()
	if st.Pages != 7 {
		t.Fatalf("pages = %d, want 7 (front, item, four attachment pages, item)", st.Pages)
	}
	// each page of the attachment on a page of its own, landscape as it
	// is shown: the landscape page and the portrait page turned by /Rotate
	if got, want := pageSizes(t, b), []string{"595x841", "595x841", "595x841", "841x595", "841x595", "595x841", "595x841"}; !slices.Equal(got, want) {
		t.Errorf("page sizes = %v, want %v", got, want)
	}
	pages := pdftest.Pages(t, b)
	for i, word := range map[int]string{2: "Portrait zebrafinch", 3: "Landscape quokka", 4: "Rotated narwhal", 5: "Split axolotl second stream"} {
		p := pdftest.Squash(pages[i])
		if !strings.Contains(p, word) || !strings.Contains(p, "Bilag 1.1 · Budget") || !strings.Contains(p, "Side "+string(rune('1'+i))+" af 7") {
			t.Errorf("page %d = %q; want its own text, the stamp and the packet's footer", i+1, p)
		}
	}
	if p := pdftest.Squash(pages[6]); !strings.HasPrefix(p, "Punkt 2") {
		t.Errorf("what follows the attachment starts a page; page 7 = %q", p)
	}
	if !strings.Contains(pdftest.Squash(pages[0]), "Bilag 1.1 · Budget . . .") || !regexp.MustCompile(`Bilag 1\.1 · Budget[ .]+3\b`).MatchString(pdftest.Squash(pages[0])) {
		t.Errorf("the contents line gives the attachment's first page, 3: %q", pdftest.Squash(pages[0]))
	}
	want := []pdftest.Bookmark{{Title: "Forside", Page: 1}, {Title: "Punkt 1", Page: 2}, {Title: "Bilag 1.1 · Budget", Page: 3, Level: 1}, {Title: "Punkt 2", Page: 7}}
	if got := pdftest.Outline(t, b); !slices.Equal(got, want) {
		t.Errorf("bookmarks = %v, want %v (the attachment under its item)", got, want)
	}
	if bytes.Contains(b, []byte("pdfaid:part")) {
		t.Error("a packet claims PDF/A; the attachments' pages cannot be promised")
	}
	tagged := pdftest.CheckTagged(t, b)
	for _, p := range tagged.Problems {
		// the claims are what a packet leaves out; the rest must hold
		if !strings.HasPrefix(p, "the XMP metadata lacks <pdfaid:") && !strings.HasPrefix(p, "the XMP metadata lacks <pdfuaid:") {
			t.Error(p)
		}
	}
	if !slices.Contains(tagged.Types, "Figure") {
		t.Errorf("the attachment's pages are no Figure: %v", tagged.Types)
	}
	if out, err := exec.Command("qpdf", "--check", pdftest.File(t, b)).CombinedOutput(); err != nil {
		t.Errorf("qpdf --check: %v\n%s", err, out)
	}
}

// TestAttachmentWithObjectStreams: a file whose objects sit in compressed
// object streams behind a cross-reference stream (what current writers
// make; qpdf rewrites one so) is read and placed like any other.
func TestAttachmentWithObjectStreams(t *testing.T) {
	b := pdftest.QPDF(t, pdftest.Numbered("Kompakt fil", 3), "--object-streams=generate", "--compress-streams=y")
	if !bytes.Contains(b, []byte("/ObjStm")) {
		t.Fatal("qpdf wrote no object stream: the test would prove nothing")
	}
	doc := &Document{Markdown: "Tekst.\n\n<!-- attachment k -->\n", Attachments: []*Attachment{{Key: "k", Stamp: "Bilag 1.1 · Kompakt", Source: readSource(t, b)}}}
	var buf bytes.Buffer
	if _, err := Render(context.Background(), &buf, doc); err != nil {
		t.Fatal(err)
	}
	pages := pdftest.Pages(t, buf.Bytes())
	if len(pages) != 4 || !strings.Contains(pdftest.Squash(pages[3]), "Kompakt fil page 3 of 3") {
		t.Errorf("pages %q", pages)
	}
}

// TestAttachmentWithBytesBeforeItsHeader: readers find the header within
// the first 1,024 bytes, and so does ours.
func TestAttachmentWithBytesBeforeItsHeader(t *testing.T) {
	b := append([]byte("Content-Type: application/pdf\r\n\r\n"), pdftest.Numbered("Forskudt", 1)...)
	if s := readSource(t, b); len(s.Pages) != 1 {
		t.Errorf("%d pages", len(s.Pages))
	}
}

// TestAttachmentKeepsItsOwnBookmarks: a file's own bookmarks come along,
// under the attachment's, each opening its page in the packet.
func TestAttachmentKeepsItsOwnBookmarks(t *testing.T) {
	var file bytes.Buffer
	if _, err := Render(context.Background(), &file, &Document{Lang: "da",
		Markdown: "# Kapitel 1 {#k1}\n\nTekst.\n\n## Afsnit 1.1 {#a11 outline=1}\n\nMere.\n\n<!-- pagebreak -->\n\n# Kapitel 2 {#k2}\n\nSidst.\n"}); err != nil {
		t.Fatal(err)
	}
	doc := &Document{
		Markdown:    "## Punkt 1 {#p1}\n\nTekst.\n\n<!-- attachment k -->\n\n## Punkt 2 {#p2}\n\nMere.\n",
		Attachments: []*Attachment{{Key: "k", Stamp: "Bilag 1.1 · Rapport", Source: readSource(t, file.Bytes())}},
	}
	var buf bytes.Buffer
	if _, err := Render(context.Background(), &buf, doc); err != nil {
		t.Fatal(err)
	}
	want := []pdftest.Bookmark{{Title: "Punkt 1", Page: 1}, {Title: "Bilag 1.1 · Rapport", Page: 2, Level: 1},
		{Title: "Kapitel 1", Page: 2, Level: 2}, {Title: "Afsnit 1.1", Page: 2, Level: 3}, {Title: "Kapitel 2", Page: 3, Level: 2},
		{Title: "Punkt 2", Page: 4}}
	if got := pdftest.Outline(t, buf.Bytes()); !slices.Equal(got, want) {
		t.Errorf("bookmarks\n %v\nwant\n %v", got, want)
	}
}
