package pdf

import (
	"context"
	"fmt"
	"math"
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
	// watermarkGrey is light enough to read the page through
	watermarkGrey = rgb{232, 232, 232}
)

// engine lays one document out on fpdf pages.
type engine struct {
	ctx       context.Context // layout stops between blocks when it is done
	maxPages  int             // see Document.MaxPages
	watermark string          // see Document.Watermark
	pdf       *fpdf.Fpdf
	fs        *fontSet
	clean     *cleaner
	used      fontUse     // glyphs drawn, per style
	text      []byte      // drawText's buffer
	states    []textState // per page

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
	tags        *tagger

	// the packet's attachments (packet.go)
	attachments   map[string]*Attachment
	placedKeys    map[string]bool
	placed        []placed // attachment pages drawn, in page order
	attachPages   int      // pages that are attachment pages
	lastAttach    bool     // the last bookmark is an attachment's (or one of its own)
	attachOutline int      // the outline level of the last attachment's bookmark

	w, h  float64      // the current page's size: A4, portrait or landscape
	sizes [][2]float64 // every page's, by page number
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
	return &engine{ctx: context.Background(), pdf: p, fs: fs, clean: &cleaner{fs: fs}, anchors: map[string]anchor{}, tags: newTagger(),
		placedKeys: map[string]bool{}, w: pageW, h: pageH}
}

// newPage starts a page; the content column is reset to full width.
func (e *engine) newPage() {
	if e.maxPages > 0 && e.pages-e.attachPages >= e.maxPages {
		// a page too many: stop here, whatever block is being laid out
		panic(&TooManyPagesError{Max: e.maxPages})
	}
	if e.landscape {
		e.pdf.AddPageFormat("L", fpdf.SizeType{Wd: pageW, Ht: pageH})
	} else {
		e.pdf.AddPage()
	}
	e.pages++
	e.setSize(e.landscape)
	e.y = marginT
	if e.watermark != "" {
		e.drawWatermark()
	}
}

// drawWatermark writes the watermark (UDKAST) across the page, light and
// diagonal, under everything drawn after it: an artifact of pagination.
func (e *engine) drawWatermark() {
	const size = 110.0
	text := e.clean.clean(e.watermark)
	w := e.fs.textWidth(bold, text) * size / 1000 // in points
	capH := float64(e.fs.faces[bold].capH) * size / e.fs.faces[bold].upem
	c, s := math.Cos(math.Pi/4), math.Sin(math.Pi/4)
	cx, cy := e.w*ptPerMM/2, e.h*ptPerMM/2
	tx, ty := cx-w/2*c+capH/2*s, cy-w/2*s-capH/2*c
	b := fmt.Appendf(nil, "/Artifact <</Type /Pagination /Subtype /Watermark>> BDC q %.4f %.4f %.4f %.4f %.2f %.2f cm BT ", c, s, -s, c, tx, ty)
	b = appendColor(b, watermarkGrey)
	b = fmt.Appendf(b, " rg /F%d %.1f Tf (", bold, size)
	for _, r := range text {
		b = appendCode(b, e.used.code(bold, e.fs.glyph(bold, r), r))
	}
	b = append(b, ") Tj ET Q EMC"...)
	e.pdf.RawWriteStr(string(b))
	*e.pageState() = textState{}
}

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
func (e *engine) width(st style, size float64, s string) float64 {
	return e.fs.textWidth(st, s) * size / 1000 * ptToMM
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
	// marked content and text in one write: this is the layout's hottest call
	b, end := e.appendText(e.begin(e.text[:0]), x, y, st, size, color, s)
	b = append(b, "\nEMC"...)
	e.text = b
	e.pdf.RawWriteStr(string(b))
	return end
}

// appendText writes the text in the codes of the style's font (a CID
// font with an embedded CMap, embedded as a subset by the post-pass; see
// fontUse) and records the glyphs used.
// Colour and font are graphics state, which lasts through a page's
// content stream: they are written only when they change on that page
// (the state is kept per page, since footers and contents numbers are
// drawn on pages visited again). Codes go in a literal string, most of
// them one byte: a quarter of the hex form of two-byte glyph numbers.
func (e *engine) appendText(b []byte, x, y float64, st style, size float64, color rgb, s string) ([]byte, float64) {
	ps := e.pageState()
	b = append(b, "BT "...)
	if !ps.set || ps.color != color {
		b = appendColor(b, color)
		b = append(b, " rg "...)
	}
	if !ps.set || ps.style != st || ps.size != size {
		b = append(b, "/F"...)
		b = append(b, byte('0'+st))
		b = append(b, ' ')
		b = strconv.AppendFloat(b, size, 'f', 2, 64)
		b = append(b, " Tf "...)
	}
	*ps = textState{set: true, color: color, style: st, size: size}
	b = strconv.AppendFloat(b, x*ptPerMM, 'f', 2, 64)
	b = append(b, ' ')
	b = strconv.AppendFloat(b, (e.h-y)*ptPerMM, 'f', 2, 64)
	b = append(b, " Td ("...)
	w := 0.0
	for _, r := range s {
		g := e.fs.glyph(st, r) // s is clean: every rune is drawable
		w += e.fs.faces[st].width(g)
		b = appendCode(b, e.used.code(st, g, r))
	}
	b = append(b, ") Tj ET"...)
	return b, x + w*size/1000*ptToMM
}

// textState is the colour and font last set on a page.
type textState struct {
	set   bool
	color rgb
	style style
	size  float64
}

func (e *engine) pageState() *textState {
	p := e.pdf.PageNo()
	for len(e.states) <= p {
		e.states = append(e.states, textState{})
	}
	return &e.states[p]
}

// ptPerMM converts millimetres to PDF points.
const ptPerMM = 72 / 25.4

func appendColor(b []byte, c rgb) []byte {
	for i, v := range [3]int{c.r, c.g, c.b} {
		if i > 0 {
			b = append(b, ' ')
		}
		b = strconv.AppendFloat(b, float64(v)/255, 'f', 3, 64)
	}
	return b
}

// rule draws a horizontal line, an artifact. It writes its own operators
// with the page's height: fpdf's would use the last page added, and
// footers are drawn on pages visited again, portrait and landscape.
func (e *engine) rule(x1, x2, y, w float64, c rgb) {
	y = (e.h - y) * ptPerMM
	b := append(appendColor(append(e.text[:0], "/Artifact BMC q "...), c), " RG"...)
	for i, v := range [5]float64{w * ptPerMM, x1 * ptPerMM, y, x2 * ptPerMM, y} {
		b = strconv.AppendFloat(append(b, ' '), v, 'f', 2, 64)
		b = append(b, [5]string{" w", "", " m", "", " l S Q EMC"}[i]...)
	}
	e.text = b
	e.pdf.RawWriteStr(string(b))
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
