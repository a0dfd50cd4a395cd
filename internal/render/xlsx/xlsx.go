// Package xlsx writes budgets as Excel workbooks finance staff can work in:
// one sheet per table, live formulas (SUBTOTAL for groups and totals, the
// column formulas, the budget difference) with their values stored, Danish
// or English number formats in the table's unit, print setup and document
// properties. Rows are streamed, so a 100,000-line table is never held as a
// sheet in memory.
//
// Amounts are stored in kroner, exactly as given; the unit ("1.000 kr.",
// "mio. kr.") scales only what is shown, through the number format (a
// trailing comma in a format code divides by 1,000). A reader who edits a
// cell types kroner, and every total follows.
package xlsx

import (
	"archive/zip"
	"compress/flate"
	"context"
	"fmt"
	"io"
	"iter"
	"math"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/shopspring/decimal"
	"github.com/xuri/excelize/v2"

	"protokol/internal/data"
	"protokol/internal/locale"
	"protokol/internal/view"
)

// First rows of every sheet.
const (
	titleRow  = 1
	unitRow   = 2
	headerRow = 4
	firstData = 5
)

// Write renders the budget as a workbook to w. The budget must be
// validated; it is not changed.
func Write(ctx context.Context, w io.Writer, b *data.Budget, lang locale.Lang) error {
	return WriteStream(ctx, w, b, lang, NewPlan(b, lang), func(table int) iter.Seq2[*data.Row, error] {
		return func(yield func(*data.Row, error) bool) {
			for i := range b.Tables[table].Rows {
				if !yield(&b.Tables[table].Rows[i], nil) {
					return
				}
			}
		}
	})
}

// Rows gives a table's top-level rows (see data.TableRows).
type Rows func(table int) iter.Seq2[*data.Row, error]

// Plan is what the writer needs to know of a budget's rows before it
// writes them: the columns' widths and the rows each table prints.
type Plan struct{ sizes []colWidths }

// NewPlan measures a validated budget's rows.
func NewPlan(b *data.Budget, lang locale.Lang) *Plan {
	p := &Plan{sizes: make([]colWidths, len(b.Tables))}
	for i := range b.Tables {
		p.sizes[i] = measure(&b.Tables[i], lang)
	}
	return p
}

// WriteStream writes a workbook whose rows come from rows, one table at a
// time, for budgets too large to keep decoded while the sheets are
// written: b's tables need no rows by then (plan was made while they had
// them). The rows must be the ones plan measured. A cancelled ctx stops
// the writing between rows.
func WriteStream(ctx context.Context, w io.Writer, b *data.Budget, lang locale.Lang, plan *Plan, rows Rows) error {
	sizes := plan.sizes

	f := excelize.NewFile()
	defer f.Close()
	// the sheet XML of a large table is tens of megabytes: the fastest
	// deflate level writes it in a third of the time for a few % more bytes
	f.SetZipWriter(func(w io.Writer) excelize.ZipWriter {
		zw := zip.NewWriter(w)
		zw.RegisterCompressor(zip.Deflate, func(out io.Writer) (io.WriteCloser, error) {
			return flate.NewWriter(out, flate.BestSpeed)
		})
		return zw
	})
	names := sheetNames(b.Tables)
	for i := range b.Tables {
		t := &b.Tables[i]
		if i == 0 {
			if err := f.SetSheetName("Sheet1", names[0]); err != nil {
				return err
			}
		} else if _, err := f.NewSheet(names[i]); err != nil {
			return err
		}
		if err := writeTable(ctx, f, names[i], t, b, lang, sizes[i], rows(i)); err != nil {
			return fmt.Errorf("table %q: %w", t.Title, err)
		}
	}
	if err := f.SetDocProps(&excelize.DocProperties{
		Title: b.Title, Subject: b.Title, Creator: b.Municipality, LastModifiedBy: b.Municipality,
		Language:    map[locale.Lang]string{locale.Danish: "da-DK", locale.English: "en-GB"}[lang],
		Description: "Protokol", Created: "2000-01-01T00:00:00Z", Modified: "2000-01-01T00:00:00Z",
	}); err != nil {
		return err
	}
	_, err := f.WriteTo(w)
	return err
}

// sheetNames gives every table a valid, unique sheet name: at most 31
// UTF-16 units (what Excel counts: an emoji is two), none of []:*?/\, not
// starting or ending with an apostrophe, not "History". A longer title is
// cut at a word boundary.
func sheetNames(tables []data.BudgetTable) []string {
	used := map[string]bool{}
	out := make([]string, len(tables))
	for i, t := range tables {
		base := strings.Map(func(r rune) rune {
			switch r {
			case '[', ']', ':', '*', '?', '/', '\\':
				return '-'
			}
			if r < 0x20 {
				return ' '
			}
			return r
		}, t.Title)
		base = strings.Trim(strings.TrimSpace(base), "'")
		if base == "" || strings.EqualFold(base, "History") {
			base = fmt.Sprintf("Tabel %d", i+1)
		}
		name := cutName(base, maxSheetName)
		for n := 2; used[strings.ToLower(name)]; n++ {
			suffix := fmt.Sprintf(" (%d)", n)
			name = cutName(base, maxSheetName-len(suffix)) + suffix
		}
		used[strings.ToLower(name)] = true
		out[i] = name
	}
	return out
}

// maxSheetName is the longest sheet name, in UTF-16 units.
const maxSheetName = 31

// cutName shortens s to at most n UTF-16 units, at the last word boundary
// in its second half if there is one, else between characters.
func cutName(s string, n int) string {
	units, end := 0, 0
	for i, r := range s {
		units += utf16.RuneLen(r)
		if units > n {
			break
		}
		end = i + utf8.RuneLen(r)
	}
	if end == len(s) {
		return s
	}
	cut := s[:end]
	if sp := strings.LastIndexAny(cut, " -–"); sp > len(cut)/2 {
		cut = cut[:sp]
	}
	// no dangling joiner, variation selector, space or apostrophe
	return strings.TrimRight(cut, " '-–\u200d\ufe0f")
}

// numberFormat is the format code of a table: US separators (Excel shows
// the reader's own), the table's decimals, and a trailing comma per 1,000
// of the unit's scale.
func numberFormat(t *data.BudgetTable) string {
	code := "#,##0"
	if t.Decimals > 0 {
		code += "." + strings.Repeat("0", t.Decimals)
	}
	switch t.Unit {
	case "1.000 kr.":
		code += ","
	case "mio. kr.":
		code += ",,"
	}
	return code + ";-" + code
}

// styles are the cell styles of one table, made on first use.
type styles struct {
	f     *excelize.File
	num   string
	cache map[string]int
}

func (s *styles) get(kind string, depth int) int {
	key := fmt.Sprintf("%s/%d", kind, depth)
	if id, ok := s.cache[key]; ok {
		return id
	}
	st := &excelize.Style{Alignment: &excelize.Alignment{Vertical: "top"}}
	top := []excelize.Border{{Type: "top", Color: "808080", Style: 1}}
	switch kind {
	case "title":
		st.Font = &excelize.Font{Bold: true, Size: 14}
	case "unit":
		st.Font = &excelize.Font{Italic: true, Color: "595959"}
	case "legend":
		st.Font = &excelize.Font{Italic: true, Color: "595959"}
		st.Alignment.WrapText = true
	case "note":
		st.Alignment.WrapText = true
		st.Font = &excelize.Font{Color: "404040"}
	case "header":
		st.Font = &excelize.Font{Bold: true}
		st.Fill = excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"E8ECF1"}}
		st.Border = []excelize.Border{{Type: "bottom", Color: "595959", Style: 1}}
		st.Alignment.WrapText = true
	case "header-num":
		st.Font = &excelize.Font{Bold: true}
		st.Fill = excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"E8ECF1"}}
		st.Border = []excelize.Border{{Type: "bottom", Color: "595959", Style: 1}}
		st.Alignment.WrapText = true
		st.Alignment.Horizontal = "right"
	case "label":
		st.Alignment.Indent = depth
	case "group":
		st.Alignment.Indent = depth
		st.Font = &excelize.Font{Bold: true}
	case "subtotal":
		st.Alignment.Indent = depth
		st.Font = &excelize.Font{Bold: true}
		st.Border = top
	case "num":
		st.CustomNumFmt = &s.num
	case "num-bold":
		st.CustomNumFmt = &s.num
		st.Font = &excelize.Font{Bold: true}
		st.Border = top
	case "total":
		st.Font = &excelize.Font{Bold: true}
		st.Border = []excelize.Border{{Type: "top", Color: "000000", Style: 1}, {Type: "bottom", Color: "000000", Style: 6}}
	case "num-total":
		st.CustomNumFmt = &s.num
		st.Font = &excelize.Font{Bold: true}
		st.Border = []excelize.Border{{Type: "top", Color: "000000", Style: 1}, {Type: "bottom", Color: "000000", Style: 6}}
	case "blank-top":
		st.Border = top
	}
	if st.Alignment.Indent > 0 {
		st.Alignment.Horizontal = "left" // an indent shows only on left-aligned cells
	}
	id, err := s.f.NewStyle(st)
	if err != nil {
		id = 0
	}
	s.cache[key] = id
	return id
}

// layout is where a table's columns are.
type layout struct {
	hasNote  bool
	labelCol int // 1-based
	noteCol  int
	firstVal int
}

func (l layout) valCol(i int) int { return l.firstVal + i }

func cell(col, row int) string {
	name, _ := excelize.CoordinatesToCellName(col, row)
	return name
}

func colName(col int) string {
	name, _ := excelize.ColumnNumberToName(col)
	return name
}

// writeTable writes one sheet; top gives the table's rows.
func writeTable(ctx context.Context, f *excelize.File, sheet string, t *data.BudgetTable, b *data.Budget, lang locale.Lang, widths colWidths, top iter.Seq2[*data.Row, error]) error {
	lb := lang.Labels()
	tl := view.TableLabels(t, lang)
	lay := layout{labelCol: 1}
	lay.hasNote = widths.note > 0
	lay.firstVal = 2
	if lay.hasNote {
		lay.noteCol, lay.firstVal = 2, 3
	}
	lastCol := lay.valCol(len(t.Columns) - 1)

	// sheet settings go before the stream writer: it writes them after the rows
	// the sheet's width in characters decides the paper's orientation
	span := widths.label + widths.note
	for _, w := range widths.values {
		span += w
	}
	orientation := "portrait"
	if span > 95 {
		orientation = "landscape"
	}
	one, zero, a4 := 1, 0, 9
	if err := f.SetPageLayout(sheet, &excelize.PageLayoutOptions{Size: &a4, Orientation: &orientation, FitToWidth: &one, FitToHeight: &zero}); err != nil {
		return err
	}
	fit := true
	if err := f.SetSheetProps(sheet, &excelize.SheetPropsOptions{FitToPage: &fit}); err != nil {
		return err
	}
	footer := fmt.Sprintf("&L%s&R%s &P %s &N", hfEscape(b.Municipality), lb.Page, lb.Of)
	if err := f.SetHeaderFooter(sheet, &excelize.HeaderFooterOptions{
		OddHeader: "&L&\"-,Bold\"" + hfEscape(t.Title) + "&R" + hfEscape(b.Title), OddFooter: footer,
	}); err != nil {
		return err
	}
	quoted := "'" + strings.ReplaceAll(sheet, "'", "''") + "'"
	if err := f.SetDefinedName(&excelize.DefinedName{Name: "_xlnm.Print_Titles", Scope: sheet,
		RefersTo: fmt.Sprintf("%s!$%d:$%d", quoted, headerRow, headerRow)}); err != nil {
		return err
	}
	// print the table's columns only: long notes must not widen the page
	lastRow := firstData + widths.rows - 1
	if extras := len(texts(t)); extras > 0 {
		lastRow += 1 + extras // a blank row, then the legend and notes
	}
	if err := f.SetDefinedName(&excelize.DefinedName{Name: "_xlnm.Print_Area", Scope: sheet,
		RefersTo: fmt.Sprintf("%s!$A$1:$%s$%d", quoted, colName(lastCol), lastRow)}); err != nil {
		return err
	}

	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return err
	}
	st := &styles{f: f, num: numberFormat(t), cache: map[string]int{}}
	if err := sw.SetColWidth(lay.labelCol, lay.labelCol, widths.label); err != nil {
		return err
	}
	if lay.hasNote {
		if err := sw.SetColWidth(lay.noteCol, lay.noteCol, widths.note); err != nil {
			return err
		}
	}
	for i := range t.Columns {
		if err := sw.SetColWidth(lay.valCol(i), lay.valCol(i), widths.values[i]); err != nil {
			return err
		}
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: headerRow, TopLeftCell: cell(1, firstData), ActivePane: "bottomLeft"}); err != nil {
		return err
	}

	if err := sw.SetRow(cell(1, titleRow), []any{excelize.Cell{Value: t.Title, StyleID: st.get("title", 0)}}, excelize.RowOpts{Height: 21}); err != nil {
		return err
	}
	unitText := map[locale.Lang]string{locale.Danish: "Beløb i ", locale.English: "Amounts in "}[lang] + t.Unit
	if err := sw.SetRow(cell(1, unitRow), []any{excelize.Cell{Value: unitText, StyleID: st.get("unit", 0)}}); err != nil {
		return err
	}
	header := make([]any, lastCol)
	header[lay.labelCol-1] = excelize.Cell{Value: "", StyleID: st.get("header", 0)}
	if lay.hasNote {
		header[lay.noteCol-1] = excelize.Cell{Value: lang.Labels().RowNote, StyleID: st.get("header", 0)}
	}
	headerLines := 1.0
	for i, c := range t.Columns {
		text := c.Label + " (" + t.Unit + ")"
		header[lay.valCol(i)-1] = excelize.Cell{Value: text, StyleID: st.get("header-num", 0)}
		// the header wraps; readers do not refit row heights, so set it
		headerLines = max(headerLines, math.Ceil(float64(utf8.RuneCountInString(text))/(widths.values[i]-1)))
	}
	if err := sw.SetRow(cell(1, headerRow), header, excelize.RowOpts{Height: 15 * min(headerLines, 4)}); err != nil {
		return err
	}

	var totalRow, budgetRow int
	row := make([]any, lastCol)
	formulas := columnFormulas(t, lay)
	write := func(r *data.CalcRow) error {
		sheetRow := firstData + r.Index
		clear(row)
		label := r.Label
		labelStyle, numStyle := st.get("label", r.Depth), st.get("num", 0)
		switch r.Kind {
		case data.GroupRow:
			labelStyle = st.get("group", r.Depth)
		case data.SubtotalRow:
			label = lang.SubtotalLabel(r.Label)
			labelStyle, numStyle = st.get("subtotal", r.Depth), st.get("num-bold", 0)
		case data.TotalRow, data.BudgetRow, data.DifferenceRow:
			labelStyle, numStyle = st.get("total", 0), st.get("num-total", 0)
		}
		row[lay.labelCol-1] = excelize.Cell{Value: label, StyleID: labelStyle}
		if lay.hasNote {
			style := st.get("note", 0)
			switch r.Kind {
			case data.SubtotalRow:
				style = st.get("blank-top", 0)
			case data.TotalRow, data.BudgetRow, data.DifferenceRow:
				style = st.get("total", 0)
			}
			row[lay.noteCol-1] = excelize.Cell{Value: r.Note, StyleID: style}
		}
		for i, c := range t.Columns {
			col := lay.valCol(i)
			v := r.Values
			switch r.Kind {
			case data.GroupRow:
			case data.LineRow:
				if c.Computed() {
					row[col-1] = excelize.Cell{Formula: rowFormula(formulas[i], sheetRow), Value: v[i].InexactFloat64(), StyleID: numStyle}
				} else if r.Given[i] {
					row[col-1] = excelize.Cell{Value: v[i].InexactFloat64(), StyleID: numStyle}
				}
			case data.SubtotalRow, data.TotalRow:
				from, to := firstData+r.From, sheetRow-1
				formula := fmt.Sprintf("SUBTOTAL(9,%s%d:%s%d)", colName(col), from, colName(col), to)
				row[col-1] = excelize.Cell{Formula: formula, Value: v[i].InexactFloat64(), StyleID: numStyle}
			case data.BudgetRow:
				if i == 0 {
					row[col-1] = excelize.Cell{Value: v[0].InexactFloat64(), StyleID: numStyle}
				}
			case data.DifferenceRow:
				if i == 0 {
					tot, bud := cell(col, totalRow), cell(col, budgetRow)
					row[col-1] = excelize.Cell{Formula: fmt.Sprintf("ABS(%s-%s)", tot, bud), Value: v[0].InexactFloat64(), StyleID: numStyle}
					row[lay.labelCol-1] = excelize.Cell{Formula: fmt.Sprintf(`IF(%s>%s,"%s","%s")`, tot, bud, quote(tl.Over), quote(tl.Under)),
						Value: label, StyleID: labelStyle}
				}
			}
		}
		switch r.Kind {
		case data.TotalRow:
			totalRow = sheetRow
		case data.BudgetRow:
			budgetRow = sheetRow
		}
		if lay.hasNote && r.Note != "" {
			// a wrapped note needs its row's height: readers do not refit it
			// (a column's width counts digits; text runs about 15 % narrower)
			lines := math.Ceil(float64(utf8.RuneCountInString(r.Note)) / ((widths.note - 1) * 1.15))
			if lines > 1 {
				return sw.SetRow(cell(1, sheetRow), row, excelize.RowOpts{Height: 15 * min(lines, 6)})
			}
		}
		return sw.SetRow(cell(1, sheetRow), row)
	}
	if err := t.WalkRows(tl, top, func(r *data.CalcRow) error {
		// a large table takes a while: see the deadline every 1,024 rows
		if r.Index%1024 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		return write(r)
	}); err != nil {
		return err
	}
	// the legend and notes span the table's width, wrapped
	next := firstData + widths.rows + 1
	for _, text := range texts(t) {
		lines := math.Ceil(float64(utf8.RuneCountInString(text)) / max(span-2, 10))
		if err := sw.SetRow(cell(1, next), []any{excelize.Cell{Value: text, StyleID: st.get("legend", 0)}},
			excelize.RowOpts{Height: 15 * min(lines, 10)}); err != nil {
			return err
		}
		if lastCol > 1 {
			if err := sw.MergeCell(cell(1, next), cell(lastCol, next)); err != nil {
				return err
			}
		}
		next++
	}
	return sw.Flush()
}

// texts are the legend and notes printed under a table.
func texts(t *data.BudgetTable) []string {
	var out []string
	for _, s := range append([]string{t.Legend}, t.Notes...) {
		if strings.TrimSpace(s) != "" {
			out = append(out, s)
		}
	}
	return out
}

// formulaTerm is one term of a computed column's formula: "-" and "D".
type formulaTerm struct{ op, col string }

// columnFormulas turns each computed column's terms into sheet columns,
// once per table; rowFormula then writes a row's formula from them.
func columnFormulas(t *data.BudgetTable, lay layout) [][]formulaTerm {
	idx := map[string]int{}
	for i, c := range t.Columns {
		idx[c.Key] = i
	}
	out := make([][]formulaTerm, len(t.Columns))
	for i, c := range t.Columns {
		for j, term := range c.Terms {
			op := ""
			switch {
			case term.Negative:
				op = "-"
			case j > 0:
				op = "+"
			}
			out[i] = append(out[i], formulaTerm{op, colName(lay.valCol(idx[term.Key]))})
		}
	}
	return out
}

// rowFormula is a computed column's formula on one row: "C5-D5".
func rowFormula(terms []formulaTerm, row int) string {
	r := strconv.Itoa(row)
	var b strings.Builder
	for _, t := range terms {
		b.WriteString(t.op)
		b.WriteString(t.col)
		b.WriteString(r)
	}
	return b.String()
}

// countRows is how many rows Walk gives.
func countRows(t *data.BudgetTable) int {
	var count func(rows []data.Row) int
	count = func(rows []data.Row) int {
		n := 0
		for i := range rows {
			if rows[i].IsGroup() {
				n += 2 + count(rows[i].Rows)
			} else {
				n++
			}
		}
		return n
	}
	n := count(t.Rows) + 1
	if t.Budget != nil {
		n += 2
	}
	return n
}

func quote(s string) string { return strings.ReplaceAll(s, `"`, `""`) }

// hfEscape escapes & in header and footer text, where it starts a code.
func hfEscape(s string) string { return strings.ReplaceAll(s, "&", "&&") }

// colWidths are column widths in characters, and the rows a table prints.
type colWidths struct {
	label, note float64
	values      []float64
	rows        int
}

// measure sizes the columns to their content without computing the table:
// labels and notes from the rows, amounts from the largest total possible
// (the sum of absolute values), which no printed amount exceeds.
func measure(t *data.BudgetTable, lang locale.Lang) colWidths {
	tl := view.TableLabels(t, lang)
	w := colWidths{label: float64(utf8.RuneCountInString(tl.Total)) + 2, values: make([]float64, len(t.Columns))}
	abs := make([]decimal.Decimal, len(t.Columns))
	idx := map[string]int{}
	for i, c := range t.Columns {
		idx[c.Key] = i
	}
	var visit func(rows []data.Row, depth int)
	visit = func(rows []data.Row, depth int) {
		for i := range rows {
			r := &rows[i]
			l := float64(utf8.RuneCountInString(r.Label)) + 2*float64(depth) + 2
			if r.IsGroup() {
				l += 6 // " i alt"
				visit(r.Rows, depth+1)
			}
			w.label = max(w.label, l)
			if r.Note != "" {
				w.note = max(w.note, float64(utf8.RuneCountInString(r.Note))+2)
			}
			for _, a := range r.Values {
				if i, ok := idx[a.Key]; ok {
					abs[i] = abs[i].Add(a.Value().Abs())
				}
			}
		}
	}
	visit(t.Rows, 0)
	w.rows = countRows(t)
	for _, s := range []string{tl.Budget, tl.Over, tl.Under} {
		w.label = max(w.label, float64(utf8.RuneCountInString(s))+2)
	}
	var all decimal.Decimal
	for _, a := range abs {
		all = all.Add(a)
	}
	if t.Budget != nil {
		all = all.Add(t.Budget.Abs())
	}
	scale := data.Units[t.Unit]
	digits := float64(len(lang.Number(all.Div(scale), t.Decimals))) + 3
	for i, c := range t.Columns {
		w.values[i] = max(digits, min(float64(utf8.RuneCountInString(c.Label+" ("+t.Unit+")"))+2, 24), 10)
	}
	w.label = min(w.label, 60)
	if w.note > 0 {
		w.note = min(max(w.note, 14), 50)
	}
	return w
}
