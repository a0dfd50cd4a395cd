// Package layout turns the Markdown a template wrote into pages: it
// parses the dialect (below), lays the blocks out with look-ahead (keep
// with next, widows and orphans, table widths), and returns frames, one
// a page, of placed boxes with their structure elements (frame.go). It
// draws nothing and knows no file format: package pdf writes the frames.
//
// The dialect is CommonMark with GitHub tables, strikethrough, autolinks
// and task lists, plus:
//
//   - heading attributes {#id bookmark="…" outline=1 lang=en}: a link
//     target, its bookmark text and level, and the language of a label
//     heading when it is not the document's;
//   - <!-- pagebreak -->;
//   - <!-- toc --> … <!-- /toc --> around table-of-contents lines (a
//     paragraph that is one link to a heading), which get their page
//     numbers and dot leaders once the document is laid out;
//   - <!-- labels 5.1 5.2 --> before a list: its entries' markers;
//   - <!-- attachment KEY -->: where an attachment's pages go;
//   - <!-- chart KEY -->: where a chart (Input.Charts) is drawn;
//   - <span status="green|yellow|red"> … </span>: a status, its mark
//     drawn before it in its colour;
//   - Page and Pages in a footer: the page number and the page count.
package layout

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"

	"protokol/internal/render/font"
)

// Page and Pages stand in a footer for the page number and the page count.
const (
	Page  = "\uE000"
	Pages = "\uE001"
)

// TooManyPagesError: the document would have more pages than its
// MaxPages.
type TooManyPagesError struct{ Max int }

func (e *TooManyPagesError) Error() string {
	return fmt.Sprintf("the document would have more than %d pages", e.Max)
}

var md = goldmark.New(
	goldmark.WithExtensions(extension.Table, extension.Strikethrough, extension.Linkify, extension.TaskList),
	goldmark.WithParserOptions(parser.WithAttribute()),
)

// Input is what to lay out.
type Input struct {
	Markdown    string
	Fonts       *font.Set // the typeface
	MaxPages    int       // the layout stops with a *TooManyPagesError past this many pages (0: no limit)
	Watermark   string    // drawn large and light across every page (UDKAST), an artifact
	FooterLeft  string    // inline Markdown; Page and Pages are replaced
	FooterRight string
	// Attachments are placed where the Markdown says <!-- attachment KEY -->.
	Attachments []*Attachment
	// Charts are drawn where the Markdown says <!-- chart KEY -->.
	Charts map[string]*Chart
}

// Result is a document laid out: its pages as frames, its structure
// tree, where its link targets are and which attachment pages it drew.
type Result struct {
	Frames []*Frame
	Tags   *Tags
	// Anchors are the link targets by link id (Anchors[id-1]): a box's
	// LinkArea.ID names one. A target not laid out has page 0.
	Anchors []Anchor
	Placed  []Placed // the attachment pages, in page order
	// Replaced counts the characters the font could not draw, drawn as
	// U+FFFD.
	Replaced int
	clean    *cleaner
}

// Anchor is where a link goes: a page (1-based) and the top of what it
// names, in millimetres from the page's top.
type Anchor struct {
	Page int
	Y    float64
}

// Clean makes s drawable in the document's typeface (what the layout
// does to all text), for text outside the pages such as metadata.
func (r *Result) Clean(s string) string { return r.clean.clean(s) }

// Layout lays the Markdown out into pages. It stops between blocks when
// ctx is done, and with a *TooManyPagesError or *UnplacedError when the
// document breaks a rule; nothing it returns then is a document.
func Layout(ctx context.Context, in *Input) (res *Result, err error) {
	defer func() {
		// the layout stops with an error value; a panic is a bug, and
		// still no reason to take the service down
		if r := recover(); r != nil {
			err = fmt.Errorf("layout failed: %v", r)
		}
	}()
	e := newEngine(in.Fonts)
	e.ctx = ctx
	e.maxPages = in.MaxPages
	e.watermark = in.Watermark
	e.charts = in.Charts
	src := []byte(in.Markdown)
	root := md.Parser().Parse(text.NewReader(src))
	e.collectAnchors(root)
	e.attachments = map[string]*Attachment{}
	for _, a := range in.Attachments {
		e.attachments[a.Key] = a
		if _, dup := e.anchors[a.Anchor]; !dup && a.Anchor != "" {
			e.anchors[a.Anchor] = e.newAnchor()
		}
	}
	e.left, e.right = marginL, pageW-marginR
	e.nextForced = true
	e.newPage()
	e.layoutBlocks(root, src, 0)
	if e.err != nil {
		return nil, e.err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	for _, a := range in.Attachments {
		if !e.placedKeys[a.Key] {
			return nil, &UnplacedError{a.Key, "did not place"}
		}
	}
	e.finishTOC()
	e.footers(in.FooterLeft, in.FooterRight)
	pruneEmpty(e.tags.Root)
	anchors := make([]Anchor, e.links)
	for _, a := range e.anchors {
		anchors[a.link-1] = Anchor{a.page, a.y}
	}
	return &Result{Frames: e.frames, Tags: e.tags, Anchors: anchors, Placed: e.placed, Replaced: e.clean.replaced, clean: e.clean}, nil
}

// newAnchor makes a link target, its place not yet known.
func (e *engine) newAnchor() anchor {
	e.links++
	return anchor{link: e.links}
}

// collectAnchors registers every heading id first, so links and table of
// contents lines can point forward.
func (e *engine) collectAnchors(root ast.Node) {
	_ = ast.Walk(root, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if h, ok := n.(*ast.Heading); ok && entering {
			if id, ok := attr(h, "id"); ok {
				if _, dup := e.anchors[id]; !dup {
					e.anchors[id] = e.newAnchor()
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
		e.place(Box{Kind: LeaderBox, X: t.textEnd + 1.5, X2: right - nw - 1.5, Y: t.baseline, Style: font.Regular, Size: bodySize, Color: grey}) // an artifact
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
func (e *engine) footers(footerLeft, footerRight string) {
	if footerLeft == "" && footerRight == "" {
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
	left, _ := parse(footerLeft)
	right, _ := parse(footerRight)
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
