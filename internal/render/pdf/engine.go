package pdf

import (
	"context"
	"strconv"
	"unicode/utf16"

	"codeberg.org/go-pdf/fpdf"
)

// Page geometry in millimetres (A4).
const (
	pageW   = 210.0
	pageH   = 297.0
	marginL = 25.0
	marginR = 20.0
	marginT = 20.0
	marginB = 22.0
	bottom  = pageH - marginB
	ptToMM  = 25.4 / 72
)

// Type sizes in points.
const (
	bodySize   = 10.0
	smallSize  = 8.5
	footerSize = 8.0
	leading    = 1.42 // line height as a multiple of the size
)

// rgb is a colour.
type rgb struct{ r, g, b int }

var (
	black     = rgb{0, 0, 0}
	grey      = rgb{90, 90, 90}
	linkBlue  = rgb{0, 70, 150}
	ruleGrey  = rgb{190, 190, 190}
	headFill  = rgb{232, 236, 241}
	quoteGrey = rgb{160, 160, 160}
)

// engine lays one document out on fpdf pages.
type engine struct {
	ctx      context.Context // layout stops between blocks when it is done
	maxPages int             // see Document.MaxPages
	pdf      *fpdf.Fpdf
	fs       *fontSet
	clean    *cleaner
	added    [4][]bool // fonts registered in this document, by style and encoding

	// the font and colour fpdf has set on the current page
	curEnc, curStyle int
	curSize          float64
	curColor         rgb

	y           float64 // top of the next block
	left        float64 // left edge of the current column (indentation)
	right       float64 // right edge
	marker      *marker // list marker waiting for the next line's baseline
	pages       int
	anchors     map[string]anchor // anchors the document defines
	toc         []tocEntry
	inTOC       bool
	bookmark    int // bookmarks made
	lastOutline int // outline level of the last bookmark
	tags        *tagger
}

// anchor is a heading a link can point to.
type anchor struct {
	link int // fpdf link id
	page int // 0 until laid out
}

// marker is a list bullet or number drawn beside the first line of an item.
type marker struct {
	text string
	x    float64
	lbl  *elem // its structure element
}

// tocEntry is a table-of-contents line whose page number is known only
// when the whole document is laid out.
type tocEntry struct {
	page     int
	baseline float64
	textEnd  float64 // where the title text ends on its last line
	target   string
	ref      *elem // the entry's Reference element, which holds the number
}

func newEngine(fs *fontSet) *engine {
	p := fpdf.NewCustom(&fpdf.InitType{OrientationStr: "P", UnitStr: "mm", Size: fpdf.SizeType{Wd: pageW, Ht: pageH}})
	p.SetAutoPageBreak(false, 0)
	p.SetMargins(marginL, marginT, marginR)
	p.SetCatalogSort(true)
	// fpdf makes a new zlib writer (about 1 MB) for every page stream,
	// which alone tripled render time and took 20 MB per 18-page document.
	// The fonts, most of a file's bytes, come precompressed anyway: page
	// streams left plain make the fixture's minutes 289 KB instead of 250.
	p.SetCompression(false)
	e := &engine{ctx: context.Background(), pdf: p, fs: fs, clean: &cleaner{fs: fs}, anchors: map[string]anchor{}, curEnc: -1, tags: newTagger()}
	for st := range e.added {
		e.added[st] = make([]bool, len(fs.defs[st]))
	}
	return e
}

// newPage starts a page; the content column is reset to full width.
func (e *engine) newPage() {
	if e.maxPages > 0 && e.pages >= e.maxPages {
		// a page too many: stop here, whatever block is being laid out
		panic(&TooManyPagesError{Max: e.maxPages})
	}
	e.pdf.AddPage()
	e.pages++
	e.y = marginT
	e.curEnc = -1 // each page's content stream starts without a font
	// the text colour is fpdf's own state, kept across pages: curColor stays
}

// ensure starts a new page unless h millimetres fit below y.
func (e *engine) ensure(h float64) {
	if e.pages == 0 || e.y+h > bottom {
		e.newPage()
	}
}

// room is the height left on the current page.
func (e *engine) room() float64 { return bottom - e.y }

// setFont selects style, encoding and size, registering the font in the
// document the first time it is used.
func (e *engine) setFont(st style, enc int, size float64) {
	if e.curEnc == enc && e.curStyle == int(st) && e.curSize == size {
		return
	}
	family := "p" + strconv.Itoa(enc)
	if !e.added[st][enc] {
		e.pdf.AddFontFromBytes(family, styleNames[st], e.fs.defs[st][enc], e.fs.file[st])
		e.added[st][enc] = true
	}
	e.pdf.SetFont(family, styleNames[st], size)
	e.curEnc, e.curStyle, e.curSize = enc, int(st), size
}

// forgetFont makes the next setFont emit the font again: needed after
// SetPage, since fpdf skips a SetFont it believes is in effect, but each
// page's content stream has its own state.
func (e *engine) forgetFont() {
	if e.curEnc >= 0 {
		// a different size makes fpdf write the next selection
		e.pdf.SetFontSize(e.curSize + 1)
	}
	e.curEnc = -1
}

func (e *engine) setColor(c rgb) {
	if c != e.curColor {
		e.pdf.SetTextColor(c.r, c.g, c.b)
		e.curColor = c
	}
}

// width of clean text in millimetres.
func (e *engine) width(st style, size float64, s string) float64 {
	return float64(e.fs.textWidth(st, s)) * size / 1000 * ptToMM
}

// lineHeight for a size, in millimetres.
func lineHeight(size float64) float64 { return size * leading * ptToMM }

// baselineOffset is the distance from a line's top to its baseline.
func (e *engine) baselineOffset(size float64) float64 {
	h := lineHeight(size)
	glyph := (e.fs.ascent + e.fs.descent) * size / 1000 * ptToMM
	return (h-glyph)/2 + e.fs.ascent*size/1000*ptToMM
}

// drawText draws clean text with its baseline at y, switching encodings
// as the characters need, and returns the x where it ends.
func (e *engine) drawText(x, y float64, st style, size float64, color rgb, s string) float64 {
	// as e.mark does, without a closure: this is the layout's hottest call
	e.begin()
	end := e.drawRuns(x, y, st, size, color, s)
	e.pdf.RawWriteStr("EMC")
	return end
}

func (e *engine) drawRuns(x, y float64, st style, size float64, color rgb, s string) float64 {
	e.setColor(color)
	buf := make([]byte, 0, len(s))
	enc := -1
	start := x
	flush := func() {
		if len(buf) == 0 {
			return
		}
		e.setFont(st, enc, size)
		e.pdf.Text(start, y, string(buf))
		start += float64(e.widthCodes(st, enc, buf)) * size / 1000 * ptToMM
		buf = buf[:0]
	}
	for _, r := range s {
		slot := e.fs.slot[r] // s is clean: every rune is drawable
		re := int(slot>>8) - 1
		if re != enc {
			flush()
			enc = re
		}
		buf = append(buf, byte(slot))
	}
	flush()
	return start
}

func (e *engine) widthCodes(st style, enc int, codes []byte) int {
	w := 0
	tbl := &e.fs.width[st][enc]
	for _, c := range codes {
		w += int(tbl[c])
	}
	return w
}

// rule draws a horizontal line.
func (e *engine) rule(x1, x2, y, w float64, c rgb) {
	e.paint(func() {
		e.pdf.SetDrawColor(c.r, c.g, c.b)
		e.pdf.SetLineWidth(w)
		e.pdf.Line(x1, y, x2, y)
	})
}

// linkTo returns the fpdf link id of an anchor the document defines.
func (e *engine) linkTo(id string) (int, bool) {
	a, ok := e.anchors[id]
	return a.link, ok
}

// utf16BE encodes s as a PDF text string: UTF-16BE with a byte-order mark.
// fpdf passes it through unchanged when no UTF-8 font is selected, and
// unlike fpdf's own conversion it handles characters beyond the BMP.
func utf16BE(s string) string {
	b := make([]byte, 2, 2+2*len(s))
	b[0], b[1] = 0xFE, 0xFF
	for _, u := range utf16.Encode([]rune(s)) {
		b = append(b, byte(u>>8), byte(u))
	}
	return string(b)
}
