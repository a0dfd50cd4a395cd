package pdf

import (
	"fmt"
	"math"
	"protokol/internal/render/font"
	"protokol/internal/render/layout"
	"strconv"
	"unicode/utf16"

	"codeberg.org/go-pdf/fpdf"
)

// draw writes the laid-out frames as fpdf pages: each page's boxes as one
// content stream, then its links and bookmarks, in the order they were
// placed. Marked content gets its MCID here, in drawing order per page.
// fpdf makes the pages, annotations and outline; the content streams are
// ours, compressed while the next pages are drawn, and the post-pass
// makes them the pages' contents (fpdf's own hold its default state).
func (wr *writer) draw() {
	c := newCompressor(len(wr.res.Frames))
	defer func() { wr.streams = c.wait() }()
	size := 4096
	for i, fr := range wr.res.Frames {
		page := i + 1
		if fr.W > fr.H {
			wr.pdf.AddPageFormat("L", fpdf.SizeType{Wd: pageW, Ht: pageH})
		} else {
			wr.pdf.AddPage()
		}
		w := &pageWriter{wr: wr, fr: fr, page: page, b: make([]byte, 0, size)}
		for _, b := range fr.Boxes {
			w.box(b)
		}
		size = len(w.b) + len(w.b)/4
		c.add(i, w.b)
		for _, l := range fr.Links {
			if l.URI != "" {
				wr.pdf.LinkString(l.X, l.Y, l.W, l.H, l.URI)
			} else {
				wr.pdf.Link(l.X, l.Y, l.W, l.H, wr.links[l.ID-1])
			}
		}
		for _, bm := range fr.Bookmarks {
			wr.pdf.Bookmark(utf16BE(bm.Title), bm.Level, bm.Y)
		}
	}
	for id, a := range wr.res.Anchors {
		if a.Page > 0 {
			wr.pdf.SetLink(wr.links[id], a.Y, a.Page)
		}
	}
}

// pageWriter writes one page's content stream.
type pageWriter struct {
	wr   *writer
	fr   *layout.Frame
	page int
	b    []byte
	// the colour and font last set: they last through the stream
	set   bool
	color layout.RGB
	st    font.Style
	size  float64
}

// y converts a distance from the page's top in millimetres to points
// from its bottom.
func (w *pageWriter) y(y float64) float64 { return (w.fr.H - y) * ptPerMM }

func (w *pageWriter) num(v float64, prec int) {
	w.b = strconv.AppendFloat(w.b, v, 'f', prec, 64)
}

// begin opens the box's marked content: its element's, with the next
// MCID of the page, or an artifact's.
func (w *pageWriter) begin(m layout.Mark) {
	if m.El == nil {
		w.b = append(w.b, "/Artifact BMC\n"...)
		return
	}
	t := w.wr.res.Tags
	mcid := len(t.MCIDs[w.page])
	t.MCIDs[w.page] = append(t.MCIDs[w.page], m.El)
	m.El.Kids[m.Kid].MCID = int32(mcid)
	w.b = append(append(append(w.b, '/'), m.El.Type...), " <</MCID "...)
	w.b = append(strconv.AppendInt(w.b, int64(mcid), 10), ">> BDC\n"...)
}

func (w *pageWriter) box(b layout.Box) {
	switch b.Kind {
	case layout.TextBox:
		w.begin(b.Mark)
		w.text(b)
		w.b = append(w.b, "\nEMC\n"...)
	case layout.LineBox:
		w.b = append(appendColor(append(w.b, "/Artifact BMC q "...), b.Color), " RG"...)
		for i, v := range [5]float64{float64(b.LW) * ptPerMM, b.X * ptPerMM, w.y(b.Y), b.X2 * ptPerMM, w.y(b.Y2)} {
			w.b = append(w.b, ' ')
			w.num(v, 2)
			w.b = append(w.b, [5]string{" w", "", " m", "", " l S Q EMC\n"}[i]...)
		}
	case layout.FillBox:
		w.b = append(appendColor(append(w.b, "/Artifact BMC q "...), b.Color), " rg"...)
		for i, v := range [4]float64{b.X * ptPerMM, w.y(b.Y + b.Y2), b.X2 * ptPerMM, b.Y2 * ptPerMM} {
			w.b = append(w.b, ' ')
			w.num(v, 2)
			if i == 3 {
				w.b = append(w.b, " re f Q EMC\n"...)
			}
		}
	case layout.LeaderBox:
		w.begin(b.Mark)
		w.leader(b)
		w.b = append(w.b, "\nEMC\n"...)
	case layout.WatermarkBox:
		w.watermark(b)
	case layout.FormBox:
		w.begin(b.Mark)
		w.b = fmt.Appendf(w.b, "q %.5f %.5f %.5f %.5f %.3f %.3f cm /%s Do Q\nEMC\n", b.M[0], b.M[1], b.M[2], b.M[3], b.M[4], b.M[5], b.Text)
	case layout.MarkBox:
		w.mark(b)
	case layout.OutlineBox:
		w.b = fmt.Appendf(w.b, "/Artifact BMC q %s RG 0.3 w %.3f %.3f %.3f %.3f re S Q EMC\n", appendColor(nil, b.Color), b.X, b.Y, b.X2, b.Y2)
	}
}

// font sets the colour, font and size where they change.
func (w *pageWriter) font(st font.Style, size float64, color layout.RGB) {
	if !w.set || w.color != color {
		w.b = append(appendColor(w.b, color), " rg "...)
	}
	if !w.set || w.st != st || w.size != size {
		w.b = append(append(append(w.b, "/F"...), byte('0'+st)), ' ')
		w.num(size, 2)
		w.b = append(w.b, " Tf "...)
	}
	w.set, w.color, w.st, w.size = true, color, st, size
}

// text writes a text box in the codes of its style's font (a CID font
// with an embedded CMap, embedded as a subset by the post-pass; see
// fontUse) and records the glyphs used. Codes go in a literal string,
// most of them one byte: a quarter of the hex form of two-byte glyph
// numbers.
func (w *pageWriter) text(b layout.Box) {
	e := w.wr
	w.b = append(w.b, "BT "...)
	w.font(b.Style, b.Size, b.Color)
	w.num(b.X*ptPerMM, 2)
	w.b = append(w.b, ' ')
	w.num(w.y(b.Y), 2)
	w.b = append(w.b, " Td ("...)
	for _, r := range b.Text {
		w.b = appendCode(w.b, e.used.code(b.Style, e.fs.Glyph(b.Style, r), r)) // the text is clean: every rune is drawable
	}
	w.b = append(w.b, ") Tj ET"...)
}

// mark writes a status mark: a disc (green), a triangle (yellow) or a
// square (red) about the height of a lower-case letter, before its word;
// an artifact, since the word says the same.
func (w *pageWriter) mark(b layout.Box) {
	r := b.Size * 0.3
	cx, cy := b.X*ptPerMM+b.Size*0.4, w.y(b.Y)+b.Size*0.35
	w.b = append(appendColor(append(w.b, "/Artifact BMC q "...), b.Color), " rg "...)
	switch b.Text {
	case "green":
		k := r * 0.5523 // Bézier arcs of a circle
		w.b = fmt.Appendf(w.b, "%.2f %.2f m %.2f %.2f %.2f %.2f %.2f %.2f c %.2f %.2f %.2f %.2f %.2f %.2f c %.2f %.2f %.2f %.2f %.2f %.2f c %.2f %.2f %.2f %.2f %.2f %.2f c f",
			cx+r, cy, cx+r, cy+k, cx+k, cy+r, cx, cy+r, cx-k, cy+r, cx-r, cy+k, cx-r, cy, cx-r, cy-k, cx-k, cy-r, cx, cy-r, cx+k, cy-r, cx+r, cy-k, cx+r, cy)
	case "yellow":
		w.b = fmt.Appendf(w.b, "%.2f %.2f m %.2f %.2f l %.2f %.2f l h f", cx-r*1.05, cy-r*0.85, cx+r*1.05, cy-r*0.85, cx, cy+r*1.05)
	default:
		w.b = fmt.Appendf(w.b, "%.2f %.2f %.2f %.2f re f", cx-r*0.85, cy-r*0.85, r*1.7, r*1.7)
	}
	w.b = append(w.b, " Q EMC\n"...)
}

// leader writes a dot leader filling [x, x2] exactly: ". . ." with the
// spaces stretched (by TJ offsets, since word spacing does not apply to
// two-byte codes), so the dots sit evenly from the title to the page
// number and text extraction keeps the line together.
func (w *pageWriter) leader(b layout.Box) {
	e := w.wr
	mm := b.Size / 1000 * ptToMM // font units to millimetres
	dotW, spaceW := e.fs.TextWidth(b.Style, ".")*mm, e.fs.TextWidth(b.Style, " ")*mm
	n := int((b.X2 - b.X + spaceW) / (dotW + spaceW))
	if n < 2 {
		return
	}
	extra := ((b.X2-b.X)-float64(n)*dotW)/float64(n-1) - spaceW
	adj := -extra / (b.Size * ptToMM) * 1000 // TJ offsets are in 1/1000 of the size, negative to the right
	dot := hexCode(e.used.code(b.Style, e.fs.Glyph(b.Style, '.'), '.'))
	// each dot but the first comes after a space stretched by adj
	gap := fmt.Appendf(nil, "%s %.1f %s", hexCode(e.used.code(b.Style, e.fs.Glyph(b.Style, ' '), ' ')), adj, dot)
	w.b = append(w.b, "BT "...)
	w.font(b.Style, b.Size, b.Color)
	w.b = fmt.Appendf(w.b, "%.2f %.2f Td [%s", b.X*ptPerMM, w.y(b.Y), dot)
	for range n - 1 {
		w.b = append(append(w.b, ' '), gap...)
	}
	w.b = append(w.b, "] TJ ET"...)
}

// watermark writes the watermark (UDKAST) across the page, light and
// diagonal, under everything drawn after it: an artifact of pagination.
// Its colour and font are set inside q … Q, so they end with it.
func (w *pageWriter) watermark(b layout.Box) {
	e := w.wr
	face := e.fs.Faces[b.Style]
	tw := e.fs.TextWidth(b.Style, b.Text) * b.Size / 1000 // in points
	capH := float64(face.CapH) * b.Size / face.UPEM
	c, s := math.Cos(math.Pi/4), math.Sin(math.Pi/4)
	cx, cy := w.fr.W*ptPerMM/2, w.fr.H*ptPerMM/2
	tx, ty := cx-tw/2*c+capH/2*s, cy-tw/2*s-capH/2*c
	w.b = fmt.Appendf(w.b, "/Artifact <</Type /Pagination /Subtype /Watermark>> BDC q %.4f %.4f %.4f %.4f %.2f %.2f cm BT ", c, s, -s, c, tx, ty)
	w.b = appendColor(w.b, b.Color)
	w.b = fmt.Appendf(w.b, " rg /F%d %.1f Tf (", b.Style, b.Size)
	for _, r := range b.Text {
		w.b = appendCode(w.b, e.used.code(b.Style, e.fs.Glyph(b.Style, r), r))
	}
	w.b = append(w.b, ") Tj ET Q EMC\n"...)
}

// Units.
const (
	ptPerMM = 72 / 25.4 // points in a millimetre
	ptToMM  = 25.4 / 72
)

func appendColor(b []byte, c layout.RGB) []byte {
	for i, v := range [3]uint8{c.R, c.G, c.B} {
		if i > 0 {
			b = append(b, ' ')
		}
		b = strconv.AppendFloat(b, float64(v)/255, 'f', 3, 64)
	}
	return b
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
