// Package pdf lays Markdown out as a print-ready A4 PDF with fpdf.
//
// The input is what a template produced: CommonMark with GitHub tables,
// headings with attributes ({#id bookmark="…" outline=1}) for link targets
// and PDF bookmarks, and layout comments (<!-- pagebreak -->, and
// <!-- toc --> … <!-- /toc --> around table-of-contents lines, which get
// their page numbers once the document is laid out). Footers are drawn on
// every page last, when the page count is known.
package pdf

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"protokol/internal/render/font"
	"strconv"
	"strings"
	"time"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
)

// Page and Pages stand in a footer for the page number and the page count.
const (
	Page  = "\uE000"
	Pages = "\uE001"
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
	// the Markdown says <!-- attachment KEY --> (packet.go). A document
	// with attachments makes no PDF/A or PDF/UA claim: their pages are
	// the files' own.
	Attachments []*Attachment
}

// TooManyPagesError: the document would have more pages than its
// MaxPages.
type TooManyPagesError struct{ Max int }

func (e *TooManyPagesError) Error() string {
	return fmt.Sprintf("the document would have more than %d pages", e.Max)
}

// Stats tells what a render produced.
type Stats struct {
	Pages    int
	Replaced int // characters the font could not draw, drawn as U+FFFD
}

var md = goldmark.New(
	goldmark.WithExtensions(extension.Table, extension.Strikethrough, extension.Linkify, extension.TaskList),
	goldmark.WithParserOptions(parser.WithAttribute()),
)

// Prepare loads the embedded fonts; call it at start-up to fail fast.
func Prepare() error {
	_, err := font.Embedded()
	return err
}

// Render lays the document out and writes the PDF to w. Nothing is written
// unless the whole document was laid out; a cancelled ctx stops the
// layout between blocks.
func Render(ctx context.Context, w io.Writer, d *Document) (st Stats, err error) {
	l, err := layout(ctx, d)
	if err != nil {
		return st, err
	}
	if g, ok := w.(interface{ Grow(int) }); ok {
		g.Grow(len(l.raw) / 3) // compressed, with the fonts
	}
	if err := l.archive(w, l.raw, d.Plain); err != nil {
		return st, err
	}
	return Stats{Pages: l.e.pages, Replaced: l.e.clean.replaced}, nil
}

// laidOut is a document laid out: fpdf's file and what the post-pass
// adds to it.
type laidOut struct {
	e   *engine
	fs  *font.Set
	raw []byte
	m   meta
}

// archive writes raw (fpdf's file, or the same objects written otherwise)
// as the finished PDF.
func (l *laidOut) archive(w io.Writer, raw []byte, plain bool) error {
	return archive(w, raw, l.e.tags, l.m, l.fs, &l.e.used, l.e.placed, plain)
}

// layout lays the document out on fpdf's pages.
func layout(ctx context.Context, d *Document) (l *laidOut, err error) {
	fs, err := font.Embedded()
	if err != nil {
		return nil, err
	}
	if d.Fonts != nil {
		fs = d.Fonts.Set
	}
	defer func() {
		// the layout stops with an error value; a panic is a bug, and
		// still no reason to take the service down
		if r := recover(); r != nil {
			err = fmt.Errorf("pdf layout failed: %v", r)
		}
	}()
	e := newEngine(fs)
	e.ctx = ctx
	e.maxPages = d.MaxPages
	e.watermark = d.Watermark
	src := []byte(d.Markdown)
	root := md.Parser().Parse(text.NewReader(src))
	e.collectAnchors(root)
	e.attachments = map[string]*Attachment{}
	for _, a := range d.Attachments {
		e.attachments[a.Key] = a
		if _, dup := e.anchors[a.Anchor]; !dup && a.Anchor != "" {
			e.anchors[a.Anchor] = anchor{link: e.pdf.AddLink()}
		}
	}
	e.left, e.right = marginL, pageW-marginR
	e.newPage()
	e.layoutBlocks(root, src, 0)
	if e.err != nil {
		return nil, e.err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	for _, a := range d.Attachments {
		if !e.placedKeys[a.Key] {
			return nil, &UnplacedError{a.Key, "did not place"}
		}
	}
	e.finishTOC()
	e.footers(d)
	e.draw()
	if e.used.overflow {
		return nil, &TooManyGlyphsError{}
	}
	e.metadata(d)
	var buf bytes.Buffer
	if err := e.pdf.Output(&buf); err != nil {
		return nil, err
	}
	lang := map[string]string{"da": "da-DK", "en": "en-GB"}[d.Lang]
	if lang == "" {
		lang = "da-DK" // the documents' own default
	}
	m := meta{title: e.clean.clean(d.Title), subject: e.clean.clean(d.Subject), author: e.clean.clean(d.Author),
		keywords: e.clean.clean(d.Keywords), lang: lang, date: d.Date, packet: len(d.Attachments) > 0}
	return &laidOut{e: e, fs: fs, raw: buf.Bytes(), m: m}, nil
}

// collectAnchors registers every heading id first, so links and table of
// contents lines can point forward.
func (e *engine) collectAnchors(root ast.Node) {
	_ = ast.Walk(root, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if h, ok := n.(*ast.Heading); ok && entering {
			if id, ok := attr(h, "id"); ok {
				if _, dup := e.anchors[id]; !dup {
					e.anchors[id] = anchor{link: e.pdf.AddLink()}
				}
			}
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})
}

// finishTOC writes the page numbers and dot leaders of the table of
// contents, now that every heading has its page.
func (e *engine) finishTOC() {
	page := -1
	for _, t := range e.toc {
		a, ok := e.anchors[t.target]
		if !ok || a.page == 0 {
			continue
		}
		if t.page != page {
			e.setPage(t.page)
			page = t.page
		}
		num := strconv.Itoa(a.page)
		right := e.w - marginR
		nw := e.width(font.Regular, bodySize, num)
		e.tags.within(t.ref, func() { e.drawText(right-nw, t.baseline, font.Regular, bodySize, black, num) })
		e.place(Box{Kind: LeaderBox, X: t.textEnd + 1.5, X2: right - nw - 1.5, Y: t.baseline}) // an artifact
	}
}

// footerGap is the least space between a footer's two parts, in mm.
const footerGap = 6.0

// fitSpans cuts spans to one line of width with an ellipsis: the text of
// them all, in the first span's style.
func (e *engine) fitSpans(spans []span, width float64) []span {
	var b strings.Builder
	for _, s := range spans {
		b.WriteString(s.text)
	}
	first := spans[0]
	st := font.StyleOf(first.bold, first.italic)
	text := e.fit(e.clean.clean(strings.Join(strings.Fields(b.String()), " ")), st, footerSize, width)
	// no break inside it: spaces made unbreakable, so it stays one line
	return []span{{text: strings.ReplaceAll(text, " ", "\u00A0"), bold: first.bold, italic: first.italic}}
}

// footers draws the running footer on every page.
func (e *engine) footers(d *Document) {
	if d.FooterLeft == "" && d.FooterRight == "" {
		return
	}
	total := strconv.Itoa(e.pages)
	parse := func(s string) ([]span, []byte) {
		src := []byte(s)
		root := md.Parser().Parse(text.NewReader(src))
		var spans []span
		for p := root.FirstChild(); p != nil; p = p.NextSibling() {
			spans = inlines(p, src, span{}, spans)
		}
		return spans, src
	}
	left, _ := parse(d.FooterLeft)
	right, _ := parse(d.FooterRight)
	subst := func(spans []span, page string) []span {
		out := make([]span, len(spans))
		for i, s := range spans {
			s.text = strings.ReplaceAll(strings.ReplaceAll(s.text, Page, page), Pages, total)
			s.link = ""
			out[i] = s
		}
		return out
	}
	e.tags.artifacts++ // running footers are pagination artifacts
	defer func() { e.tags.artifacts-- }()
	for p := 1; p <= e.pages; p++ {
		e.setPage(p)
		y := e.h - 12
		width := e.w - marginL - marginR
		e.rule(marginL, e.w-marginR, y-4, 0.2, ruleGrey)
		num := strconv.Itoa(p)
		// the right part (the page number) is kept whole; the left one
		// gets what is left and is cut with an ellipsis, never drawn
		// over it (the full text stays in the document's metadata)
		room := width
		if len(right) > 0 {
			l := e.breakLines(e.measure(subst(right, num), footerSize, false), width, footerSize)
			e.drawLine(l[0], marginL, y, width, footerSize, alignRight, grey)
			room = width - l[0].w - footerGap
		}
		if len(left) > 0 && room > 0 {
			spans := subst(left, num)
			if l := e.breakLines(e.measure(spans, footerSize, false), room, footerSize); len(l) > 1 {
				spans = e.fitSpans(spans, room)
			}
			l := e.breakLines(e.measure(spans, footerSize, false), room, footerSize)
			e.drawLine(l[0], marginL, y, room, footerSize, alignLeft, grey)
		}
	}
}

func (e *engine) metadata(d *Document) {
	text := func(s string) string { return utf16BE(e.clean.clean(s)) }
	if d.Title != "" {
		e.pdf.SetTitle(text(d.Title), false)
	}
	if d.Subject != "" {
		e.pdf.SetSubject(text(d.Subject), false)
	}
	if d.Author != "" {
		e.pdf.SetAuthor(text(d.Author), false)
	}
	if d.Keywords != "" {
		e.pdf.SetKeywords(text(d.Keywords), false)
	}
	e.pdf.SetCreator("Protokol", false)
	e.pdf.SetProducer("Protokol (fpdf)", false)
	if d.Lang != "" {
		e.pdf.SetLang(d.Lang)
	}
	date := d.Date
	if date.IsZero() {
		date = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	e.pdf.SetCreationDate(date)
	e.pdf.SetModificationDate(date)
}
