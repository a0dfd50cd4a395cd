package layout

import (
	"context"
	"protokol/internal/render/font"
)

// Page geometry in millimetres (A4).
const (
	pageW   = 210.0
	pageH   = 297.0
	marginL = 25.0
	marginR = 20.0
	marginT = 20.0
	marginB = 22.0
	ptToMM  = 25.4 / 72
)

// Type sizes in points.
const (
	bodySize   = 10.0
	smallSize  = 8.5
	footerSize = 8.0
	leading    = 1.42 // line height as a multiple of the size
)

// RGB is a colour.
type RGB struct{ R, G, B uint8 }

var (
	black     = RGB{0, 0, 0}
	grey      = RGB{90, 90, 90}
	linkBlue  = RGB{0, 70, 150}
	ruleGrey  = RGB{190, 190, 190}
	headFill  = RGB{232, 236, 241}
	quoteGrey = RGB{160, 160, 160}
	// watermarkGrey is light enough to read the page through
	watermarkGrey = RGB{232, 232, 232}
)

// engine lays one document out into frames.
type engine struct {
	ctx        context.Context // layout stops between blocks when it is done
	err        error           // why the layout stopped (it stops between blocks)
	maxPages   int             // see Document.MaxPages
	watermark  string          // see Document.Watermark
	fs         *font.Set
	clean      *cleaner
	links      int               // link targets made (their ids are 1…links)
	charts     map[string]*Chart // what <!-- chart KEY --> draws
	nextForced bool              // the next page begins by a break, not by overflow
	pieces     []piece           // a paragraph's, reused by the next (paragraph)
	breaker    breaker           // its line breaker's arrays, reused likewise
	frames     []*Frame          // the pages laid out
	frame      *Frame            // the page being laid out (or visited again)
	page       int               // its number, 1-based

	y           float64 // top of the next block
	left        float64 // left edge of the current column (indentation)
	right       float64 // right edge
	marker      *marker // list marker waiting for the next line's baseline
	pages       int
	anchors     map[string]anchor // anchors the document defines
	toc         []tocEntry
	inTOC       bool
	bookmark    int      // bookmarks made
	lastOutline int      // outline level of the last bookmark
	lastHeading int      // level of the last heading in the structure tree (H1 = 1)
	landscape   bool     // pages are laid out in landscape (a wide table)
	nextLabels  []string // the next list's markers, from a labels directive
	tags        *Tags

	// the packet's attachments (packet.go)
	attachments   map[string]*Attachment
	placedKeys    map[string]bool
	placed        []Placed // attachment pages drawn, in page order
	attachPages   int      // pages that are attachment pages
	lastAttach    bool     // the last bookmark is an attachment's (or one of its own)
	attachOutline int      // the outline level of the last attachment's bookmark

	w, h float64 // the current page's size: A4, portrait or landscape
}

// anchor is a heading a link can point to.
type anchor struct {
	link int     // its link id
	page int     // 0 until laid out
	y    float64 // its top on the page
}

// marker is a list bullet or number drawn beside the first line of an item.
type marker struct {
	text string
	x    float64
	lbl  *Elem // its structure element
}

// tocEntry is a table-of-contents line whose page number is known only
// when the whole document is laid out.
type tocEntry struct {
	page     int
	baseline float64
	textEnd  float64 // where the title text ends on its last line
	target   string
	ref      *Elem // the entry's Reference element, which holds the number
}

func newEngine(fs *font.Set) *engine {
	return &engine{ctx: context.Background(), fs: fs, clean: &cleaner{fs: fs}, anchors: map[string]anchor{}, tags: newTagger(),
		placedKeys: map[string]bool{}, w: pageW, h: pageH}
}

// newPage starts a page; the content column is reset to full width.
func (e *engine) newPage() {
	if e.err == nil && e.maxPages > 0 && e.pages-e.attachPages >= e.maxPages {
		// a page too many: the layout stops after this block
		e.err = &TooManyPagesError{Max: e.maxPages}
	}
	if e.err != nil {
		// the block goes on on the same page, cleared: memory stays bounded
		e.frame.Boxes, e.frame.Links, e.frame.Bookmarks = e.frame.Boxes[:0], nil, nil
		e.y = marginT
		return
	}
	e.addFrame(e.landscape)
	e.frame.forced, e.nextForced = e.nextForced, false
	e.y = marginT
	if e.watermark != "" {
		e.place(Box{Kind: WatermarkBox, Text: e.clean.clean(e.watermark), Style: font.Bold, Size: 110, Color: watermarkGrey})
	}
}

// stopped says whether the layout is to stop: it failed, or its
// context is done.
func (e *engine) stopped() bool { return e.err != nil || e.ctx.Err() != nil }

// ensure starts a new page unless h millimetres fit below y.
func (e *engine) ensure(h float64) {
	if e.pages == 0 || e.y+h > e.bottom() {
		e.newPage()
	}
}

// room is the height left on the current page.
func (e *engine) room() float64 { return e.bottom() - e.y }

// bottom is where the page's content ends: above the footer, on a page
// in either orientation.
func (e *engine) bottom() float64 { return e.h - marginB }

// setLandscape starts a page in landscape (a table too wide for a
// portrait page) or, leaving it, a portrait page again; the content
// column follows the page's width.
func (e *engine) setLandscape(on bool) {
	if e.landscape == on {
		return
	}
	e.landscape = on
	e.newPage()
	e.right = e.w - marginR
}

// width of clean text in millimetres.
func (e *engine) width(st font.Style, size float64, s string) float64 {
	return e.fs.TextWidth(st, s) * size / 1000 * ptToMM
}

// lineHeight for a size, in millimetres.
func lineHeight(size float64) float64 { return size * leading * ptToMM }

// baselineOffset is the distance from a line's top to its baseline.
func (e *engine) baselineOffset(size float64) float64 {
	h := lineHeight(size)
	glyph := (e.fs.Ascent + e.fs.Descent) * size / 1000 * ptToMM
	return (h-glyph)/2 + e.fs.Ascent*size/1000*ptToMM
}

// ptPerMM converts millimetres to points (a form's matrix is in points).
const ptPerMM = 72 / 25.4

// linkTo returns the link id of an anchor the document defines.
func (e *engine) linkTo(id string) (int, bool) {
	a, ok := e.anchors[id]
	return a.link, ok
}
