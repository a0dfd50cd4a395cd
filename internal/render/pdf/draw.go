package pdf

import (
	"fmt"
	"math"
	"protokol/internal/render/font"
	"strconv"

	"codeberg.org/go-pdf/fpdf"
)

// draw writes the laid-out frames as fpdf pages: each page's boxes as one
// content stream, then its links and bookmarks, in the order they were
// placed. Marked content gets its MCID here, in drawing order per page.
func (e *engine) draw() {
	for i, fr := range e.frames {
		page := i + 1
		if fr.w > fr.h {
			e.pdf.AddPageFormat("L", fpdf.SizeType{Wd: pageW, Ht: pageH})
		} else {
			e.pdf.AddPage()
		}
		w := &pageWriter{e: e, fr: fr, page: page, b: e.text[:0]}
		for _, b := range fr.boxes {
			w.box(b)
		}
		e.text = w.b
		e.pdf.RawWriteStr(string(w.b))
		for _, l := range fr.links {
			if l.uri != "" {
				e.pdf.LinkString(l.x, l.y, l.w, l.h, l.uri)
			} else {
				e.pdf.Link(l.x, l.y, l.w, l.h, l.id)
			}
		}
		for _, bm := range fr.bookmarks {
			e.pdf.Bookmark(bm.title, bm.level, bm.y)
		}
	}
	for _, a := range e.anchors {
		if a.page > 0 {
			e.pdf.SetLink(a.link, a.y, a.page)
		}
	}
}

// pageWriter writes one page's content stream.
type pageWriter struct {
	e    *engine
	fr   *frame
	page int
	b    []byte
	// the colour and font last set: they last through the stream
	set   bool
	color rgb
	st    font.Style
	size  float64
}

// y converts a distance from the page's top in millimetres to points
// from its bottom.
func (w *pageWriter) y(y float64) float64 { return (w.fr.h - y) * ptPerMM }

func (w *pageWriter) num(v float64, prec int) {
	w.b = strconv.AppendFloat(w.b, v, 'f', prec, 64)
}

// begin opens the box's marked content: its element's, with the next
// MCID of the page, or an artifact's.
func (w *pageWriter) begin(m mark) {
	if m.el == nil {
		w.b = append(w.b, "/Artifact BMC\n"...)
		return
	}
	t := w.e.tags
	mcid := len(t.mcids[w.page])
	t.mcids[w.page] = append(t.mcids[w.page], m.el)
	m.el.kids[m.kid].mcid = mcid
	w.b = append(append(append(w.b, '/'), m.el.typ...), " <</MCID "...)
	w.b = append(strconv.AppendInt(w.b, int64(mcid), 10), ">> BDC\n"...)
}

func (w *pageWriter) box(b box) {
	switch b.kind {
	case textBox:
		w.begin(b.mark)
		w.text(b)
		w.b = append(w.b, "\nEMC\n"...)
	case lineBox:
		w.b = append(appendColor(append(w.b, "/Artifact BMC q "...), b.color), " RG"...)
		for i, v := range [5]float64{b.lw * ptPerMM, b.x * ptPerMM, w.y(b.y), b.x2 * ptPerMM, w.y(b.y2)} {
			w.b = append(w.b, ' ')
			w.num(v, 2)
			w.b = append(w.b, [5]string{" w", "", " m", "", " l S Q EMC\n"}[i]...)
		}
	case fillBox:
		w.b = append(appendColor(append(w.b, "/Artifact BMC q "...), b.color), " rg"...)
		for i, v := range [4]float64{b.x * ptPerMM, w.y(b.y + b.y2), b.x2 * ptPerMM, b.y2 * ptPerMM} {
			w.b = append(w.b, ' ')
			w.num(v, 2)
			if i == 3 {
				w.b = append(w.b, " re f Q EMC\n"...)
			}
		}
	case leaderBox:
		w.begin(b.mark)
		w.leader(b)
		w.b = append(w.b, "\nEMC\n"...)
	case watermarkBox:
		w.watermark(b.text)
	case formBox:
		w.begin(b.mark)
		w.b = fmt.Appendf(w.b, "q %.5f %.5f %.5f %.5f %.3f %.3f cm /%s Do Q\nEMC\n", b.m[0], b.m[1], b.m[2], b.m[3], b.m[4], b.m[5], b.text)
	case outlineBox:
		w.b = fmt.Appendf(w.b, "/Artifact BMC q %s RG 0.3 w %.3f %.3f %.3f %.3f re S Q EMC\n", appendColor(nil, b.color), b.x, b.y, b.x2, b.y2)
	}
}

// font sets the colour, font and size where they change.
func (w *pageWriter) font(st font.Style, size float64, color rgb) {
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
func (w *pageWriter) text(b box) {
	e := w.e
	w.b = append(w.b, "BT "...)
	w.font(b.st, b.size, b.color)
	w.num(b.x*ptPerMM, 2)
	w.b = append(w.b, ' ')
	w.num(w.y(b.y), 2)
	w.b = append(w.b, " Td ("...)
	for _, r := range b.text {
		w.b = appendCode(w.b, e.used.code(b.st, e.fs.Glyph(b.st, r), r)) // the text is clean: every rune is drawable
	}
	w.b = append(w.b, ") Tj ET"...)
}

// leader writes a dot leader filling [x, x2] exactly: ". . ." with the
// spaces stretched (by TJ offsets, since word spacing does not apply to
// two-byte codes), so the dots sit evenly from the title to the page
// number and text extraction keeps the line together.
func (w *pageWriter) leader(b box) {
	e := w.e
	dot, space := e.width(font.Regular, bodySize, "."), e.width(font.Regular, bodySize, " ")
	n := int((b.x2 - b.x + space) / (dot + space))
	if n < 2 {
		return
	}
	extra := ((b.x2-b.x)-float64(n)*dot)/float64(n-1) - space
	adj := -extra / (bodySize * ptToMM) * 1000 // TJ offsets are in 1/1000 of the size, negative to the right
	d := hexCode(e.used.code(font.Regular, e.fs.Glyph(font.Regular, '.'), '.'))
	sp := hexCode(e.used.code(font.Regular, e.fs.Glyph(font.Regular, ' '), ' '))
	w.b = append(w.b, "BT "...)
	w.font(font.Regular, bodySize, grey)
	w.b = fmt.Appendf(w.b, "%.2f %.2f Td [", b.x*ptPerMM, w.y(b.y))
	for i := range n {
		if i > 0 {
			w.b = fmt.Appendf(w.b, "%s %.1f ", sp, adj)
		}
		w.b = append(w.b, d...)
	}
	w.b = append(w.b, "] TJ ET"...)
}

// watermark writes the watermark (UDKAST) across the page, light and
// diagonal, under everything drawn after it: an artifact of pagination.
// Its colour and font are set inside q … Q, so they end with it.
func (w *pageWriter) watermark(text string) {
	e := w.e
	const size = 110.0
	tw := e.fs.TextWidth(font.Bold, text) * size / 1000 // in points
	capH := float64(e.fs.Faces[font.Bold].CapH) * size / e.fs.Faces[font.Bold].UPEM
	c, s := math.Cos(math.Pi/4), math.Sin(math.Pi/4)
	cx, cy := w.fr.w*ptPerMM/2, w.fr.h*ptPerMM/2
	tx, ty := cx-tw/2*c+capH/2*s, cy-tw/2*s-capH/2*c
	w.b = fmt.Appendf(w.b, "/Artifact <</Type /Pagination /Subtype /Watermark>> BDC q %.4f %.4f %.4f %.4f %.2f %.2f cm BT ", c, s, -s, c, tx, ty)
	w.b = appendColor(w.b, watermarkGrey)
	w.b = fmt.Appendf(w.b, " rg /F%d %.1f Tf (", font.Bold, size)
	for _, r := range text {
		w.b = appendCode(w.b, e.used.code(font.Bold, e.fs.Glyph(font.Bold, r), r))
	}
	w.b = append(w.b, ") Tj ET Q EMC\n"...)
}
