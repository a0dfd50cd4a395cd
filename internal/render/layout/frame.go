package layout

import "protokol/internal/render/font"

// The layout plans before anything is drawn: it lays the document out
// into frames, one a page, each a list of placed boxes (text runs with
// their style, size, colour and structure element; rules and fills;
// placed objects such as an attachment's page; link areas and
// bookmarks). Only when the whole document is laid out does the writer
// (package pdf) turn the frames into pages and content streams. A frame
// is data, so the layout can look back and move what it placed (a
// nearly empty page takes lines from the page before), and a new kind of
// object (a chart, an image) is one more kind of box.
//
// Tagging stays where each box is made: a box carries the structure
// element that was open when it was placed (or none: an artifact), and
// that element already holds its place in the reading order; the writer
// gives it its MCID when it draws the box.

// Frame is one page: its size in millimetres and what is placed on it.
type Frame struct {
	W, H      float64
	Boxes     []Box
	Links     []LinkArea
	Bookmarks []Bookmark

	forced     bool // begun by a page break or the document's start, not by overflow
	attachment bool // an attachment's page
}

// BoxKind is what a box draws.
type BoxKind uint8

const (
	TextBox      BoxKind = iota // text from (x, y), its baseline
	LineBox                     // a line from (x, y) to (x2, y2), lw wide
	FillBox                     // a filled rectangle at (x, y), x2 wide and y2 high
	LeaderBox                   // a dot leader from x to x2 on the baseline y, in Style, Size and Color
	WatermarkBox                // Text across the page, diagonal, in Style, Size (points) and Color
	FormBox                     // a form XObject (an attachment's page) drawn with m
	OutlineBox                  // a hairline round the rectangle (x, y, x2, y2), in points
	MarkBox                     // a status mark on the baseline at x: Text "green" a disc, "yellow" a triangle, "red" a square, in Color
)

// Box is one placed thing. Coordinates are millimetres from the page's
// top left, except a form's matrix and its outline (PDF points).
//
// A long document has hundreds of thousands of boxes, all held until the
// writer draws them: the fields are ordered and sized to keep a box at 96
// bytes.
type Box struct {
	X, Y   float64
	X2, Y2 float64
	Size   float64
	Text   string      // a text box's clean text; a form's resource name
	M      *[6]float64 // a form's matrix
	Mark   Mark        // the structure element it belongs to
	LW     float32     // a line's width
	Kind   BoxKind
	Style  font.Style
	Color  RGB
}

// Mark ties a box to its place in the structure tree: the element and
// the index of the kid the box's marked content is; nil for an artifact.
type Mark struct {
	El  *Elem
	Kid int32
}

// LinkArea is a link's clickable area: to an internal link id or a URI.
type LinkArea struct {
	X, Y, W, H float64
	ID         int
	URI        string
}

// Bookmark is an outline entry on its page, at y from the top.
type Bookmark struct {
	Title string
	Level int
	Y     float64
}

// place adds a box to the current page.
func (e *engine) place(b Box) { e.frame.Boxes = append(e.frame.Boxes, b) }

// mark makes the kid of the current structure element that the next box
// is (nothing for an artifact).
func (e *engine) mark() Mark {
	t := e.tags
	if t.artifacts > 0 || t.cur == t.Root {
		return Mark{}
	}
	t.cur.Kids = append(t.cur.Kids, Kid{Page: int32(e.page), MCID: -1, Annot: -1})
	return Mark{El: t.cur, Kid: int32(len(t.cur.Kids) - 1)}
}

// drawText places clean text with its baseline at y and returns the x
// where it ends.
func (e *engine) drawText(x, y float64, st font.Style, size float64, color RGB, s string) float64 {
	e.placeText(x, y, st, size, color, s)
	return x + e.width(st, size, s)
}

// placeText places clean text whose width the caller knows.
func (e *engine) placeText(x, y float64, st font.Style, size float64, color RGB, s string) {
	e.place(Box{Kind: TextBox, X: x, Y: y, Style: st, Size: size, Color: color, Text: s, Mark: e.mark()})
}

// rule places a horizontal line, an artifact.
func (e *engine) rule(x1, x2, y, w float64, c RGB) { e.line(x1, y, x2, y, w, c) }

// line places a line, an artifact.
func (e *engine) line(x1, y1, x2, y2, w float64, c RGB) {
	e.place(Box{Kind: LineBox, X: x1, Y: y1, X2: x2, Y2: y2, LW: float32(w), Color: c})
}

// fill places a filled rectangle, an artifact.
func (e *engine) fill(x, y, w, h float64, c RGB) {
	e.place(Box{Kind: FillBox, X: x, Y: y, X2: w, Y2: h, Color: c})
}

// link places a link's area on the current page.
func (e *engine) link(x, y, w, h float64, id int, uri string) {
	e.frame.Links = append(e.frame.Links, LinkArea{x, y, w, h, id, uri})
}

// addBookmark adds an outline entry on the current page.
func (e *engine) addBookmark(title string, level int, y float64) {
	e.frame.Bookmarks = append(e.frame.Bookmarks, Bookmark{title, level, y})
	e.bookmark++
	e.lastOutline = level
}
