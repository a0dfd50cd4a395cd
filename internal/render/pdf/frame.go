package pdf

import "protokol/internal/render/font"

// The layout plans before anything is drawn: it lays the document out
// into frames, one a page, each a list of placed boxes (text runs with
// their style, size, colour and structure element; rules and fills;
// placed objects such as an attachment's page; link areas and
// bookmarks). Only when the whole document is laid out does the writer
// (draw.go) turn the frames into fpdf pages and content streams. A frame
// is data, so the layout can look back and move what it placed (a
// nearly empty page takes lines from the page before), and a new kind of
// object (a chart, an image) is one more kind of box.
//
// Tagging stays where each box is made: a box carries the structure
// element that was open when it was placed (or none: an artifact), and
// that element already holds its place in the reading order; the writer
// gives it its MCID when it draws the box.

// frame is one page: its size in millimetres and what is placed on it.
type frame struct {
	w, h      float64
	boxes     []box
	links     []linkArea
	bookmarks []bookmark
}

// boxKind is what a box draws.
type boxKind uint8

const (
	textBox      boxKind = iota // text from (x, y), its baseline
	lineBox                     // a line from (x, y) to (x2, y2), lw wide
	fillBox                     // a filled rectangle at (x, y), x2 wide and y2 high
	leaderBox                   // a dot leader from x to x2 on the baseline y
	watermarkBox                // the watermark across the page
	formBox                     // a form XObject (an attachment's page) drawn with m
	outlineBox                  // a hairline round the rectangle (x, y, x2, y2), in points
)

// box is one placed thing. Coordinates are millimetres from the page's
// top left, except a form's matrix and its outline (PDF points).
type box struct {
	kind   boxKind
	x, y   float64
	x2, y2 float64
	lw     float64
	st     font.Style
	size   float64
	color  rgb
	text   string     // a text box's clean text; a form's resource name
	m      [6]float64 // a form's matrix
	mark   mark       // the structure element it belongs to
}

// mark ties a box to its place in the structure tree: the element and
// the index of the kid the box's marked content is; nil for an artifact.
type mark struct {
	el  *elem
	kid int
}

// linkArea is a link's clickable area: to an internal link id or a URI.
type linkArea struct {
	x, y, w, h float64
	id         int
	uri        string
}

// bookmark is an outline entry on its page, at y from the top.
type bookmark struct {
	title string // as fpdf takes it (UTF-16BE)
	level int
	y     float64
}

// place adds a box to the current page.
func (e *engine) place(b box) { e.frame.boxes = append(e.frame.boxes, b) }

// mark makes the kid of the current structure element that the next box
// is (nothing for an artifact).
func (e *engine) mark() mark {
	t := e.tags
	if t.artifacts > 0 || t.cur == t.root {
		return mark{}
	}
	t.cur.kids = append(t.cur.kids, kid{page: e.page, mcid: -1, annot: -1})
	return mark{el: t.cur, kid: len(t.cur.kids) - 1}
}

// drawText places clean text with its baseline at y and returns the x
// where it ends.
func (e *engine) drawText(x, y float64, st font.Style, size float64, color rgb, s string) float64 {
	e.place(box{kind: textBox, x: x, y: y, st: st, size: size, color: color, text: s, mark: e.mark()})
	return x + e.width(st, size, s)
}

// rule places a horizontal line, an artifact.
func (e *engine) rule(x1, x2, y, w float64, c rgb) { e.line(x1, y, x2, y, w, c) }

// line places a line, an artifact.
func (e *engine) line(x1, y1, x2, y2, w float64, c rgb) {
	e.place(box{kind: lineBox, x: x1, y: y1, x2: x2, y2: y2, lw: w, color: c})
}

// fill places a filled rectangle, an artifact.
func (e *engine) fill(x, y, w, h float64, c rgb) {
	e.place(box{kind: fillBox, x: x, y: y, x2: w, y2: h, color: c})
}

// link places a link's area on the current page.
func (e *engine) link(x, y, w, h float64, id int, uri string) {
	e.frame.links = append(e.frame.links, linkArea{x, y, w, h, id, uri})
}

// addBookmark adds an outline entry on the current page.
func (e *engine) addBookmark(title string, level int, y float64) {
	e.frame.bookmarks = append(e.frame.bookmarks, bookmark{utf16BE(title), level, y})
	e.bookmark++
	e.lastOutline = level
}
