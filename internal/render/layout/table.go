package layout

import (
	extast "github.com/yuin/goldmark/extension/ast"
	"slices"
	"strings"
	"unicode/utf8"
)

const (
	tableSize = 9.0
	// minTableSize is the smallest a wide table is set in, in points
	minTableSize = 7.0
	cellPadX     = 1.6
	cellPadY     = 1.1
)

// cell is one laid-out table cell.
type cell struct {
	pieces []piece
	lines  []line
	align  align
	el     *Elem   // its TH or TD; nil draws it as an artifact (a repeated header)
	hang   float64 // the indent its wrapped lines keep, in mm
}

// table lays out a GitHub table. The header row repeats on every page the
// table reaches; a table whose header cells are all empty is a key-value
// layout (a front page's "Tid", "Sted") and is drawn without header or
// rules.
func (e *engine) table(t *extast.Table, src []byte) {
	header, rows, keyValue := e.tableCells(t, src)
	ncols := len(header)
	for _, r := range rows {
		ncols = max(ncols, len(r))
	}
	if ncols == 0 {
		return
	}
	right := aligns(t)
	// A table too wide for its words is set smaller, down to
	// minTableSize; still too wide, on landscape pages of its own; still
	// too wide there, in groups of columns that each repeat the first.
	// No word is broken while one of these fits.
	f, fits := e.shrink(header, rows, ncols, keyValue, right)
	if fits || keyValue {
		e.tableGroup(header, rows, ncols, keyValue, right, f)
		return
	}
	e.setLandscape(true)
	defer e.setLandscape(false)
	if f, fits = e.shrink(header, rows, ncols, keyValue, right); fits {
		e.tableGroup(header, rows, ncols, keyValue, right, f)
		return
	}
	type group struct {
		header []*cell
		rows   [][]*cell
		right  []bool
	}
	var groups []group
	gf := 1.0 // the groups share one size, the smallest any needs
	for _, cols := range e.columnGroups(header, rows, ncols, right) {
		g := group{header: pick(header, cols), rows: make([][]*cell, len(rows)), right: make([]bool, len(cols))}
		for i, r := range rows {
			g.rows[i] = pick(r, cols)
		}
		for i, c := range cols {
			g.right[i] = c < len(right) && right[c]
		}
		f, _ := e.shrink(g.header, g.rows, len(cols), false, g.right)
		gf = min(gf, f)
		groups = append(groups, g)
	}
	for _, g := range groups {
		e.tableGroup(g.header, g.rows, len(g.right), false, g.right, gf)
		e.gap(lineHeight(bodySize))
	}
}

// shrink is the factor a table's text is set at (1: tableSize; at least
// minTableSize/tableSize) to fit the column, and whether it fits there
// without breaking a word.
func (e *engine) shrink(header []*cell, rows [][]*cell, ncols int, keyValue bool, right []bool) (float64, bool) {
	_, need := e.columnWidths(header, rows, ncols, keyValue, right)
	avail := e.right - e.left
	if need <= avail {
		return 1, true
	}
	pads := float64(ncols) * 2 * cellPadX // the cells' padding does not shrink
	f := 0.995 * (avail - pads) / (need - pads)
	return max(f, minTableSize/tableSize), f >= minTableSize/tableSize
}

// columnGroups splits the columns into groups that fit the width at
// minTableSize, each beginning with the first column.
func (e *engine) columnGroups(header []*cell, rows [][]*cell, ncols int, right []bool) [][]int {
	const f = minTableSize / tableSize
	avail := e.right - e.left
	minW := make([]float64, ncols)
	for _, row := range append([][]*cell{header}, rows...) {
		for i, c := range row {
			if i >= ncols {
				break
			}
			w, _, whole := c.extent()
			minW[i] = max(minW[i], w)
			if i < len(right) && right[i] {
				minW[i] = max(minW[i], whole) // amounts are not wrapped
			}
		}
	}
	var groups [][]int
	cur, used := []int{0}, minW[0]*f+2*cellPadX
	for c := 1; c < ncols; c++ {
		w := minW[c]*f + 2*cellPadX
		if used+w > avail && len(cur) > 1 {
			groups = append(groups, cur)
			cur, used = []int{0}, minW[0]*f+2*cellPadX
		}
		cur, used = append(cur, c), used+w
	}
	return append(groups, cur)
}

// pick is the cells of a row in the columns given (a missing one empty).
func pick(row []*cell, cols []int) []*cell {
	if row == nil {
		return nil
	}
	out := make([]*cell, len(cols))
	for i, c := range cols {
		if c < len(row) {
			cp := *row[c]
			out[i] = &cp
		} else {
			out[i] = &cell{}
		}
	}
	return out
}

// tableGroup lays out a table (or a group of its columns) at factor f of
// tableSize: its structure elements, header and rows.
func (e *engine) tableGroup(header []*cell, rows [][]*cell, ncols int, keyValue bool, right []bool, f float64) {
	if f != 1 {
		scaled := func(row []*cell) []*cell {
			out := make([]*cell, len(row))
			for i, c := range row {
				cp := *c
				cp.pieces = slices.Clone(c.pieces)
				for k := range cp.pieces {
					cp.pieces[k].w *= f
				}
				cp.hang *= f
				out[i] = &cp
			}
			return out
		}
		if header != nil {
			header = scaled(header)
		}
		rs := make([][]*cell, len(rows))
		for i, r := range rows {
			rs[i] = scaled(r)
		}
		rows = rs
	}
	e.tags.open("Table")
	defer e.tags.close()
	tl := &tableLayout{e: e, header: header, keyValue: keyValue, size: tableSize * f}
	if header != nil {
		e.block("THead", func() { tableRow(e, header, "TH", "Column") })
	}
	e.tags.open("TBody")
	defer e.tags.close()
	tl.widths, _ = e.columnWidths(header, rows, ncols, keyValue, right)
	if header != nil {
		tl.headH = tl.height(header)
	}
	// a table starts where its header and first rows (up to three, or the
	// first row's first lines if it is very tall) fit
	start := 0.0
	for _, row := range rows[:min(3, len(rows))] {
		start += tl.height(row)
	}
	start = min(start, 8*lineHeight(tl.size))
	for i, row := range rows {
		if keyValue {
			// a key-value block: its first column names each row
			tableRow(e, row, "TD", "")
			if len(row) > 0 {
				row[0].el.Type = "TH"
				row[0].el.attrs().Scope = "Row"
			}
		} else {
			tableRow(e, row, "TD", "")
		}
		h := tl.height(row)
		first, overflows := i == 0, e.y+h > e.bottom()
		if first || overflows {
			startsLow := first && e.room() < tl.headH+start
			onFreshPage := e.pages > 0 && e.y <= marginT
			// a new page for a row that does not fit, or for a table whose
			// start does not fit, unless this page is still empty
			if overflows && !first || startsLow && !onFreshPage {
				e.newPage()
			}
			tl.drawHeader()
		}
		tl.drawRow(row)
		if !keyValue {
			e.rule(e.left, e.right, e.y, 0.15, ruleGrey)
		}
	}
}

// tableCells measures a table's cells; keyValue is a table whose header
// cells are all empty (a borderless key-value block, drawn without its
// header).
func (e *engine) tableCells(t *extast.Table, src []byte) (header []*cell, rows [][]*cell, keyValue bool) {
	keyValue = true
	for r := t.FirstChild(); r != nil; r = r.NextSibling() {
		_, isHead := r.(*extast.TableHeader)
		var row []*cell
		for c := r.FirstChild(); c != nil; c = c.NextSibling() {
			tc, ok := c.(*extast.TableCell)
			if !ok {
				continue
			}
			cl := &cell{pieces: e.measure(inlines(tc, src, span{}, nil), tableSize, isHead)}
			cl.hang = leadingIndent(cl.pieces)
			switch tc.Alignment {
			case extast.AlignRight:
				cl.align = alignRight
			case extast.AlignCenter:
				cl.align = alignCenter
			}
			if isHead && len(cl.pieces) > 0 {
				keyValue = false
			}
			row = append(row, cl)
		}
		if isHead {
			header = row
		} else {
			rows = append(rows, row)
		}
	}
	if keyValue {
		header = nil
	}
	return header, rows, keyValue
}

// leadingIndent is the width of the no-break spaces a cell's text starts
// with: the indent budget labels are nested by.
func leadingIndent(ps []piece) float64 {
	if len(ps) == 0 || ps[0].kind != word {
		return 0
	}
	t := ps[0].text
	n := len(t) - len(strings.TrimLeft(t, "\u00a0"))
	switch n {
	case 0:
		return 0
	case len(t):
		return ps[0].w // the indent alone, before a font.Bold label
	}
	return ps[0].w * float64(utf8.RuneCountInString(t[:n])) / float64(utf8.RuneCountInString(t))
}

// tableLayout draws one table's rows, repeating the header on every page.
type tableLayout struct {
	e        *engine
	header   []*cell
	widths   []float64
	size     float64 // the table's type size: tableSize, or smaller for a wide table
	headH    float64
	keyValue bool

	headerDrawn bool
}

// tableRow makes a row's TR and a cell element of type typ for each cell.
func tableRow(e *engine, row []*cell, typ, scope string) {
	e.tags.open("TR")
	for _, c := range row {
		c.el = e.tags.open(typ)
		if scope != "" {
			c.el.attrs().Scope = scope
		}
		e.tags.close()
	}
	e.tags.close()
}

// height breaks a row's cells into lines and returns the row's height.
func (tl *tableLayout) height(row []*cell) float64 {
	n := 1
	for i, c := range row {
		c.lines = tl.e.breakLines(c.pieces, tl.widths[i]-2*cellPadX-c.hang, tl.size)
		n = max(n, len(c.lines))
	}
	return float64(n)*lineHeight(tl.size) + 2*cellPadY
}

func (tl *tableLayout) drawHeader() {
	if tl.header == nil {
		return
	}
	e := tl.e
	e.fill(e.left, e.y, e.right-e.left, tl.headH, headFill)
	e.drawRow(tl.header, tl.widths, 0, -1, e.y, tl.size)
	if !tl.headerDrawn {
		// the header's later copies, on following pages, are artifacts
		tl.headerDrawn = true
		for _, c := range tl.header {
			c.el = nil
		}
	}
	e.y += tl.headH
	e.rule(e.left, e.right, e.y, 0.3, grey)
}

// drawRow draws a row whose lines are broken; a row taller than the room
// left is split across pages, the header repeated above its rest.
func (tl *tableLayout) drawRow(row []*cell) {
	e, lh := tl.e, lineHeight(tl.size)
	first := 0
	for {
		fit := int((e.bottom() - e.y - 2*cellPadY) / lh)
		remaining := 0
		for _, c := range row {
			remaining = max(remaining, len(c.lines)-first)
		}
		// not even one line fits, but the page holds nothing but the
		// header: draw it all here rather than page on forever
		hopeless := fit < 1 && e.y <= marginT+tl.headH
		if remaining <= fit || hopeless {
			e.drawRow(row, tl.widths, first, -1, e.y, tl.size)
			e.y += float64(remaining)*lh + 2*cellPadY
			return
		}
		if fit >= 1 {
			e.drawRow(row, tl.widths, first, first+fit, e.y, tl.size)
			e.y += float64(fit)*lh + 2*cellPadY
			first += fit
		}
		e.newPage()
		tl.drawHeader()
	}
}

// drawRow draws lines [from, to) of every cell (to < 0: to the end).
func (e *engine) drawRow(row []*cell, widths []float64, from, to int, top, size float64) {
	x := e.left
	lh := lineHeight(size)
	for i, c := range row {
		end := len(c.lines)
		if to >= 0 {
			end = min(end, to)
		}
		y := top + cellPadY
		for j := from; j < end; j++ {
			// a wrapped line keeps the indent of the first (a group's
			// label): a hanging indent
			hang := 0.0
			if j > 0 {
				hang = c.hang
			}
			draw := func() {
				e.drawLine(c.lines[j], x+cellPadX+hang, y+e.baselineOffset(size), widths[i]-2*cellPadX-hang, size, c.align, black)
			}
			if c.el != nil {
				e.tags.within(c.el, draw)
			} else {
				e.artifact(draw)
			}
			y += lh
		}
		x += widths[i]
	}
}

// extent is a cell's longest word, its longest line (a hard break ends
// one) and its whole width on one line.
func (c *cell) extent() (longestWord, longestLine, whole float64) {
	w, l := 0.0, 0.0
	for _, p := range c.pieces {
		whole += p.w
		switch p.kind {
		case newline:
			longestWord, longestLine = max(longestWord, w), max(longestLine, l)
			w, l = 0, 0
			continue
		case word:
			w += p.w
		default:
			longestWord, w = max(longestWord, w), 0
		}
		l += p.w
	}
	return max(longestWord, w), max(longestLine, l), whole
}

// columnWidths shares the column's width between the columns: each gets
// at least its longest word, and the rest goes where the text is.
func (e *engine) columnWidths(header []*cell, rows [][]*cell, ncols int, keyValue bool, right []bool) (widths []float64, need float64) {
	minW := make([]float64, ncols)
	prefW := make([]float64, ncols)
	visit := func(row []*cell) {
		for i, c := range row {
			w, l, _ := c.extent()
			minW[i], prefW[i] = max(minW[i], w), max(prefW[i], l)
		}
	}
	// widest unwrapped body cell per column (headers may wrap)
	visit(header)
	for i := range prefW {
		if i < len(right) && right[i] {
			prefW[i] = 0 // a column of amounts needs its amounts' width, its header wraps
		}
	}
	bodyW := make([]float64, ncols)
	for _, r := range rows {
		visit(r)
		for i, c := range r {
			_, _, whole := c.extent()
			bodyW[i] = max(bodyW[i], whole)
		}
	}
	avail := e.right - e.left
	sumMin, sumPref := 0.0, 0.0
	for i := range minW {
		minW[i] = min(minW[i]+2*cellPadX, avail*0.6)
		prefW[i] = max(prefW[i]+2*cellPadX, minW[i])
		if keyValue && i == 0 {
			// a key-value block's labels stay on one line
			minW[i] = min(prefW[i], avail*0.4)
		}
		if i < len(right) && right[i] {
			// amounts are not wrapped: a right-aligned column gets its
			// widest body cell
			minW[i] = min(max(minW[i], bodyW[i]+2*cellPadX), avail*0.4)
		}
		if i == 0 && !keyValue && slices.Contains(right, true) && !(len(right) > 0 && right[0]) {
			// the labels of a table of amounts get what they need, up to
			// half the width, before the other text columns share the rest
			minW[i] = max(minW[i], min(prefW[i], avail*0.5))
		}
		sumMin += minW[i]
		sumPref += prefW[i]
	}
	w := make([]float64, ncols)
	switch {
	case sumPref <= avail:
		extra := avail - sumPref
		for i := range w {
			w[i] = prefW[i]
			if keyValue {
				if i == ncols-1 {
					w[i] += extra
				}
			} else {
				w[i] += extra * prefW[i] / sumPref
			}
		}
	case sumMin >= avail:
		for i := range w {
			w[i] = minW[i] * avail / sumMin
		}
	default:
		for i := range w {
			w[i] = minW[i] + (prefW[i]-minW[i])*(avail-sumMin)/(sumPref-sumMin)
		}
	}
	return w, sumMin
}

// aligns reports which columns are right-aligned.
func aligns(t *extast.Table) []bool {
	out := make([]bool, len(t.Alignments))
	for i, a := range t.Alignments {
		out[i] = a == extast.AlignRight
	}
	return out
}
