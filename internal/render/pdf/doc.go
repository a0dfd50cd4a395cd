// Package pdf writes a document laid out by package layout as a
// print-ready PDF: the frames become fpdf pages (draw.go: content
// streams, link annotations, bookmarks), and a post-pass over fpdf's file
// in package cos's object model adds what fpdf cannot write (archive.go:
// embedded font subsets with their codes, the structure tree, PDF/A-2a
// and PDF/UA-1 metadata, attachment pages as forms, object streams).
//
// Layout and writing are separate steps: the layout plans every page
// before anything is written, and knows no file format.
package pdf

import (
	"bytes"
	"context"
	"io"
	"time"

	"codeberg.org/go-pdf/fpdf"

	"protokol/internal/render/font"
	"protokol/internal/render/layout"
)

// Page and Pages stand in a footer for the page number and the page count.
const (
	Page  = layout.Page
	Pages = layout.Pages
)

type (
	// Attachment is an attachment's PDF placed in a packet.
	Attachment = layout.Attachment
	// TooManyPagesError: the document would have more pages than its
	// MaxPages.
	TooManyPagesError = layout.TooManyPagesError
	// UnplacedError: the template did not place an attachment the packet
	// has, or placed one twice or one it does not have.
	UnplacedError = layout.UnplacedError
)

// Document is one document to lay out.
type Document struct {
	Markdown    string
	Title       string // metadata: the document's title
	Subject     string
	Author      string
	Keywords    string
	Lang        string      // e.g. "da"
	MaxPages    int         // the layout stops with a *TooManyPagesError past this many pages (0: no limit)
	Plain       bool        // skip the structure tree and the PDF/A parts (see archive.go)
	Fonts       *font.House // a template set's own typeface; nil for Noto Sans
	Watermark   string      // drawn large and light across every page (UDKAST), an artifact
	Date        time.Time   // creation date written in the file (never the clock, so renders are reproducible)
	FooterLeft  string      // inline Markdown; Page and Pages are replaced
	FooterRight string
	// Attachments are the packet's attachment files, each placed where
	// the Markdown says <!-- attachment KEY --> (layout/packet.go). A
	// document with attachments makes no PDF/A or PDF/UA claim: their
	// pages are the files' own.
	Attachments []*Attachment
	// Charts are drawn where the Markdown says <!-- chart KEY -->.
	Charts map[string]*layout.Chart
	// Seal, when set, signs the file (seal.go) with SealTime as the
	// signature's claimed time.
	Seal     Sealer
	SealTime time.Time
}

// Stats tells what a render produced.
type Stats struct {
	Pages    int
	Replaced int // characters the font could not draw, drawn as U+FFFD
}

// Prepare loads the embedded fonts; call it at start-up to fail fast.
func Prepare() error {
	_, err := font.Embedded()
	return err
}

// Render lays the document out and writes the PDF to w. Nothing is written
// unless the whole document was laid out; a cancelled ctx stops the
// layout between blocks.
func Render(ctx context.Context, w io.Writer, d *Document) (st Stats, err error) {
	l, err := layOut(ctx, d)
	if err != nil {
		return st, err
	}
	if g, ok := w.(interface{ Grow(int) }); ok {
		g.Grow(len(l.raw) / 3) // compressed, with the fonts
	}
	if err := l.archive(ctx, w, l.raw, d.Plain); err != nil {
		return st, err
	}
	return Stats{Pages: l.pages, Replaced: l.res.Replaced}, nil
}

// laidOut is a document laid out and drawn: fpdf's file and what the
// post-pass adds to it.
type laidOut struct {
	res   *layout.Result
	pages int
	fs    *font.Set
	used  *fontUse
	// streams are the pages' content streams, compressed
	streams [][]byte
	raw     []byte
	m       meta
}

// archive writes raw (fpdf's file, or the same objects written otherwise)
// as the finished PDF.
func (l *laidOut) archive(ctx context.Context, w io.Writer, raw []byte, plain bool) error {
	return archive(ctx, w, raw, l.streams, l.res.Tags, l.m, l.fs, l.used, l.res.Placed, plain)
}

// layOut lays the document out and draws its frames on fpdf's pages.
func layOut(ctx context.Context, d *Document) (*laidOut, error) {
	fs, err := font.Embedded()
	if err != nil {
		return nil, err
	}
	if d.Fonts != nil {
		fs = d.Fonts.Set
	}
	res, err := layout.Layout(ctx, &layout.Input{Markdown: d.Markdown, Fonts: fs, MaxPages: d.MaxPages, Watermark: d.Watermark,
		FooterLeft: d.FooterLeft, FooterRight: d.FooterRight, Attachments: d.Attachments, Charts: d.Charts})
	if err != nil {
		return nil, err
	}
	w := newWriter(fs, res)
	w.draw()
	pages := len(res.Frames)
	res.Frames = nil // drawn: the post-pass needs the tags, not the boxes
	if w.used.overflow {
		return nil, &TooManyGlyphsError{}
	}
	w.metadata(d, res.Clean)
	var buf bytes.Buffer
	if err := w.pdf.Output(&buf); err != nil {
		return nil, err
	}
	lang := map[string]string{"da": "da-DK", "en": "en-GB"}[d.Lang]
	if lang == "" {
		lang = "da-DK" // the documents' own default
	}
	m := meta{title: res.Clean(d.Title), subject: res.Clean(d.Subject), author: res.Clean(d.Author),
		keywords: res.Clean(d.Keywords), lang: lang, date: d.Date, packet: len(d.Attachments) > 0, seal: d.Seal, sealed: d.SealTime}
	return &laidOut{res: res, pages: pages, fs: fs, used: &w.used, streams: w.streams, raw: buf.Bytes(), m: m}, nil
}

// writer draws a layout's frames on fpdf's pages.
type writer struct {
	pdf     *fpdf.Fpdf
	fs      *font.Set
	res     *layout.Result
	used    fontUse  // glyphs drawn, per style
	streams [][]byte // the pages' content streams, compressed
	links   []int    // fpdf's id of each layout link id (links[id-1])
}

func newWriter(fs *font.Set, res *layout.Result) *writer {
	p := fpdf.NewCustom(&fpdf.InitType{OrientationStr: "P", UnitStr: "mm", Size: fpdf.SizeType{Wd: pageW, Ht: pageH}})
	p.SetAutoPageBreak(false, 0)
	p.SetCatalogSort(true)
	// fpdf makes a new zlib writer (about 1 MB) for every page stream,
	// which alone tripled render time and took 20 MB per 18-page document:
	// the post-pass compresses the page streams itself.
	p.SetCompression(false)
	w := &writer{pdf: p, fs: fs, res: res}
	for range res.Anchors {
		w.links = append(w.links, p.AddLink())
	}
	return w
}

// A4 in millimetres.
const pageW, pageH = 210.0, 297.0

func (w *writer) metadata(d *Document, clean func(string) string) {
	text := func(s string) string { return utf16BE(clean(s)) }
	if d.Title != "" {
		w.pdf.SetTitle(text(d.Title), false)
	}
	if d.Subject != "" {
		w.pdf.SetSubject(text(d.Subject), false)
	}
	if d.Author != "" {
		w.pdf.SetAuthor(text(d.Author), false)
	}
	if d.Keywords != "" {
		w.pdf.SetKeywords(text(d.Keywords), false)
	}
	w.pdf.SetCreator("Protokol", false)
	w.pdf.SetProducer("Protokol (fpdf)", false)
	if d.Lang != "" {
		w.pdf.SetLang(d.Lang)
	}
	date := d.Date
	if date.IsZero() {
		date = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	w.pdf.SetCreationDate(date)
	w.pdf.SetModificationDate(date)
}
