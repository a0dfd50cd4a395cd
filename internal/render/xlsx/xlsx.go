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
	"cmp"
	"context"
	"fmt"
	"io"
	"iter"
	"math"
	"strconv"
	"strings"
	"unicode"
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

// Planner makes a Plan from rows as they come: Add each table's
// top-level rows, in order, then Plan.
type Planner struct{ m []*measurer }

// NewPlanner starts a plan for a validated budget's tables.
func NewPlanner(b *data.Budget, lang locale.Lang) *Planner {
	p := &Planner{}
	for i := range b.Tables {
		p.m = append(p.m, newMeasurer(&b.Tables[i], lang))
	}
	return p
}

// Add measures one top-level row of a table.
func (p *Planner) Add(table int, r *data.Row) { p.m[table].add(r) }

// Plan is the plan of the rows added.
func (p *Planner) Plan() *Plan {
	pl := &Plan{}
	for _, m := range p.m {
		pl.sizes = append(pl.sizes, m.done())
	}
	return pl
}

// NewPlan measures a validated budget's rows.
func NewPlan(b *data.Budget, lang locale.Lang) *Plan {
	p := NewPlanner(b, lang)
	for i := range b.Tables {
		for j := range b.Tables[i].Rows {
			p.Add(i, &b.Tables[i].Rows[j])
		}
	}
	return p.Plan()
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
	sp := newSplicer()
	f.SetZipWriter(sp.writeTo)
	bk := &book{f: f, sp: sp, styles: map[styleKey]int{}}
	names := sheetNames(b.Tables)
	for i := range b.Tables {
		// a thousand tables take a while: see the deadline between them
		if err := ctx.Err(); err != nil {
			return err
		}
		t := &b.Tables[i]
		if i == 0 {
			if err := f.SetSheetName("Sheet1", names[0]); err != nil {
				return err
			}
		} else if _, err := f.NewSheet(names[i]); err != nil {
			return err
		}
		if err := writeTable(ctx, bk, i, names[i], t, b, lang, sizes[i], rows(i)); err != nil {
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
		}, plain(cmp.Or(t.Sheet, t.Title)))
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
	// no dangling joiner, variation selector, space, apostrophe or
	// punctuation ("Forventet regnskab 2012,")
	return strings.TrimRight(cut, " '-–,.;:!\u200d\ufe0f")
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

// redFormat is a number format with its negative section red.
func redFormat(code string) string {
	pos, neg, _ := strings.Cut(code, ";")
	return pos + ";[Red]" + neg
}

// style names a cell style of a table.
type style uint8

const (
	styleTitle style = iota
	styleUnit
	styleLegend
	styleNote
	styleHeader
	styleHeaderNum
	styleLabel // indented by depth
	styleGroup // indented by depth
	styleSubtotal
	styleNum
	styleNumBold
	styleTotal
	styleNumTotal
	styleBlankTop
	styleNumInput // an amount a user types: left unlocked on a protected sheet
	stylePct      // a ratio, as a percent
	stylePctBold
	stylePctTotal
	styleStatus      // a status column's word
	styleStatusInput // a status given by a line: left unlocked
	// the amount styles of a column whose negative amounts are red
	styleNumRed
	styleNumBoldRed
	styleNumTotalRed
	styleNumInputRed
)

// redStyle is the red-negative style that goes with an amount style.
func redStyle(s *styles, amount int) int {
	for _, k := range [][2]style{{styleNum, styleNumRed}, {styleNumBold, styleNumBoldRed}, {styleNumTotal, styleNumTotalRed}, {styleNumInput, styleNumInputRed}} {
		if amount == s.get(k[0], 0) {
			return s.get(k[1], 0)
		}
	}
	return amount
}

// chartWidth is the table's width in pixels (a column's width counts
// characters of about 7 pixels, and 5 of padding): a chart as wide as the
// table stays on the page the table prints on.
func (s *sheet) chartWidth() uint {
	w := s.widths.label
	if s.lay.hasNote {
		w += s.widths.note
	}
	for _, v := range s.widths.values {
		w += v
	}
	n := 1 + len(s.widths.values)
	return uint(max(w*7+float64(5*n), 360))
}

// noVary: a series keeps one colour (its legend's), not one a point.
var noVary = false

// chartRows are the rows a chart takes below its table, a blank one
// before it included (15 points each; the chart is 18 rows' 300 pixels).
const chartRows = 17

// charts adds each chart of the table below it: a native chart whose
// series refer to the table's cells (so it follows an edit), in its print
// area.
func (s *sheet) charts(f *excelize.File, name string, last int) error {
	quoted := "'" + strings.ReplaceAll(name, "'", "''") + "'"
	ref := func(col int, rows []int) string {
		refs := make([]string, len(rows))
		contiguous := true
		for k, r := range rows {
			refs[k] = fmt.Sprintf("%s!$%s$%d", quoted, colName(col), firstData+r)
			contiguous = contiguous && (k == 0 || r == rows[k-1]+1)
		}
		if contiguous && len(rows) > 1 {
			return refs[0] + ":$" + colName(col) + "$" + strconv.Itoa(firstData+rows[len(rows)-1])
		}
		if len(rows) == 1 {
			return refs[0]
		}
		return "(" + strings.Join(refs, ",") + ")"
	}
	kinds := map[[2]string]excelize.ChartType{{data.ChartColumn, ""}: excelize.Col, {data.ChartColumn, "s"}: excelize.ColStacked,
		{data.ChartBar, ""}: excelize.Bar, {data.ChartBar, "s"}: excelize.BarStacked, {data.ChartLine, ""}: excelize.Line}
	idx := s.t.ColumnIndex()
	for i, c := range s.t.Charts {
		rows := s.widths.lines
		if c.By == data.ByGroup {
			rows = s.widths.groups
		}
		if len(rows) == 0 || len(rows) > data.MaxChartCategories {
			continue // validation refuses it; nothing to chart
		}
		stacked := ""
		if c.Stacked {
			stacked = "s"
		}
		ch := &excelize.Chart{Type: kinds[[2]string{c.Kind, stacked}], Title: excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: plain(c.Title)}}},
			Dimension: excelize.ChartDimension{Width: s.chartWidth(), Height: 300}, Legend: excelize.ChartLegend{Position: "bottom"},
			Format: excelize.GraphicOptions{OffsetY: 4}, VaryColors: &noVary,
			// the value axis in the table's unit and decimals, as its cells
			YAxis: excelize.ChartAxis{NumFmt: excelize.ChartNumFmt{CustomNumFmt: s.st.num}}}
		for _, key := range c.Columns {
			col := s.lay.valCol(idx[key])
			ch.Series = append(ch.Series, excelize.ChartSeries{Name: fmt.Sprintf("%s!$%s$%d", quoted, colName(col), headerRow),
				Categories: ref(s.lay.labelCol, rows), Values: ref(col, rows)})
		}
		if err := f.AddChart(name, cell(1, last+2+i*chartRows), ch); err != nil {
			return fmt.Errorf("chart %q: %w", c.Title, err)
		}
	}
	return nil
}

// statusWords are a status column's words, by status (red, yellow, green).
func (s *sheet) statusWords() [3]string {
	lb := s.lang.Labels()
	return [3]string{lb.StatusRed, lb.StatusYellow, lb.StatusGreen}
}

// statusFormula is a status column's formula on a row: the word from the
// value of the column the rule is over, none where that has none:
// IF(D5="","",IF(D5>=0.95,"Grøn",IF(D5>=0.8,"Gul","Rød"))).
func (s *sheet) statusFormula(i, row int) string {
	rule := s.t.Columns[i].Status
	of := s.t.ColumnIndex()[rule.Of]
	ref := cell(s.lay.valCol(of), row)
	pct := s.t.Columns[of].Percent()
	w := s.statusWords()
	return fmt.Sprintf(`IF(%s="","",IF(%s>=%s,"%s",IF(%s>=%s,"%s","%s")))`, ref, ref, rule.Threshold(rule.Green, pct), quote(w[2]),
		ref, rule.Threshold(rule.Yellow, pct), quote(w[1]), quote(w[0]))
}

// statusFormats colour each status column's words by conditional formats
// (Excel's own good, neutral and bad), so the colour follows an edit.
func (s *sheet) statusFormats(f *excelize.File, name string, lastRow int) error {
	w := s.statusWords()
	colours := [3][2]string{{"FFC7CE", "9C0006"}, {"FFEB9C", "9C5700"}, {"C6EFCE", "006100"}}
	for i, c := range s.t.Columns {
		if !c.IsStatus() {
			continue
		}
		var rules []excelize.ConditionalFormatOptions
		for k := range 3 {
			id, err := f.NewConditionalStyle(&excelize.Style{Font: &excelize.Font{Color: colours[k][1], Bold: true},
				Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{colours[k][0]}}})
			if err != nil {
				return err
			}
			rules = append(rules, excelize.ConditionalFormatOptions{Type: "cell", Criteria: "==", Format: &id, Value: `"` + quote(w[k]) + `"`})
		}
		col := colName(s.lay.valCol(i))
		if err := f.SetConditionalFormat(name, fmt.Sprintf("%s%d:%s%d", col, firstData, col, lastRow), rules); err != nil {
			return err
		}
	}
	return nil
}

// percentStyle is the percent style that goes with an amount style.
func percentStyle(s *styles, amount int) int {
	switch amount {
	case s.get(styleNumBold, 0):
		return s.get(stylePctBold, 0)
	case s.get(styleNumTotal, 0):
		return s.get(stylePctTotal, 0)
	}
	return s.get(stylePct, 0)
}

// percentFormat shows a ratio as "12,3 %" (the locale sets the comma; the
// space before % is a no-break one).
var percentFormat = "0.0\u00a0%"

// styles are the cell styles of one table, made on first use.
type styles struct {
	f      *excelize.File
	num    string
	numRed string           // num with negative amounts red
	cache  map[styleKey]int // the workbook's styles made: excelize's id
	made   bool             // all of this table's were made: no more can be
}

// styleKey is a style as made for a table: its kind and depth, and the
// table's number formats, the only part of it that is the table's own.
// The cache is the workbook's, so a thousand tables make their styles
// once, not once each (excelize compares a new style with every one it
// has).
type styleKey struct {
	kind, depth int
	num, numRed string
}

// all makes every style a table's rows may take: the indented ones at
// every depth rows can have.
func (s *styles) all() {
	for kind := styleTitle; kind <= styleNumInputRed; kind++ {
		depths := 1
		if kind == styleLabel || kind == styleGroup || kind == styleSubtotal {
			depths = data.MaxGroupDepth + 2
		}
		for depth := range depths {
			s.get(kind, depth)
		}
	}
	s.made = true
}

// workbookFont is the font of every cell: excelize's default, which
// Excel and LibreOffice both have or substitute metrically.
const workbookFont = "Calibri"

// spec is what a style looks like, before the font every style names.
func (s *styles) spec(kind style, depth int) *excelize.Style {
	st := &excelize.Style{Alignment: &excelize.Alignment{Vertical: "top"}}
	top := []excelize.Border{{Type: "top", Color: "808080", Style: 1}}
	double := []excelize.Border{{Type: "top", Color: "000000", Style: 1}, {Type: "bottom", Color: "000000", Style: 6}}
	header := func() {
		st.Font = &excelize.Font{Bold: true}
		st.Fill = excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"E8ECF1"}}
		st.Border = []excelize.Border{{Type: "bottom", Color: "595959", Style: 1}}
		st.Alignment.WrapText = true
	}
	switch kind {
	case styleTitle:
		st.Font = &excelize.Font{Bold: true, Size: 14}
	case styleUnit:
		st.Font = &excelize.Font{Italic: true, Color: "595959"}
	case styleLegend:
		st.Font = &excelize.Font{Italic: true, Color: "595959"}
		st.Alignment.WrapText = true
	case styleNote:
		st.Alignment.WrapText = true
		st.Font = &excelize.Font{Color: "404040"}
	case styleHeader:
		header()
	case styleHeaderNum:
		header()
		st.Alignment.Horizontal = "right"
	case styleLabel:
		st.Alignment.Indent = depth
	case styleGroup:
		st.Alignment.Indent = depth
		st.Font = &excelize.Font{Bold: true}
	case styleSubtotal:
		st.Alignment.Indent = depth
		st.Font = &excelize.Font{Bold: true}
		st.Border = top
	case styleNum:
		st.CustomNumFmt = &s.num
	case styleNumBold:
		st.CustomNumFmt = &s.num
		st.Font = &excelize.Font{Bold: true}
		st.Border = top
	case styleTotal:
		st.Font = &excelize.Font{Bold: true}
		st.Border = double
	case styleNumTotal:
		st.CustomNumFmt = &s.num
		st.Font = &excelize.Font{Bold: true}
		st.Border = double
	case styleBlankTop:
		st.Border = top
	case styleNumInput:
		st.CustomNumFmt = &s.num
		st.Protection = &excelize.Protection{Locked: false}
	case styleStatus:
		st.Alignment.Horizontal = "center"
	case styleStatusInput:
		st.Alignment.Horizontal = "center"
		st.Protection = &excelize.Protection{Locked: false}
	case styleNumRed, styleNumBoldRed, styleNumTotalRed, styleNumInputRed:
		base := map[style]style{styleNumRed: styleNum, styleNumBoldRed: styleNumBold, styleNumTotalRed: styleNumTotal, styleNumInputRed: styleNumInput}[kind]
		st = s.spec(base, depth)
		st.CustomNumFmt = &s.numRed
	case stylePct:
		st.CustomNumFmt = &percentFormat
	case stylePctBold:
		st.CustomNumFmt = &percentFormat
		st.Font = &excelize.Font{Bold: true}
		st.Border = top
	case stylePctTotal:
		st.CustomNumFmt = &percentFormat
		st.Font = &excelize.Font{Bold: true}
		st.Border = double
	}
	return st
}

func (s *styles) get(kind style, depth int) int {
	key := styleKey{int(kind), depth, s.num, s.numRed}
	if id, ok := s.cache[key]; ok {
		return id
	}
	if s.made {
		// the styles are written: the deepest made (validation bounds depth)
		key.depth = min(depth, data.MaxGroupDepth+1)
		return s.cache[key]
	}
	st := s.spec(kind, depth)
	if st.Alignment.Indent > 0 {
		st.Alignment.Horizontal = "left" // an indent shows only on left-aligned cells
	}
	// every style names the workbook's font: a style without one is set
	// in whatever the reader takes for a default (LibreOffice: a serif)
	if st.Font == nil {
		st.Font = &excelize.Font{}
	}
	st.Font.Family = workbookFont
	if st.Font.Size == 0 {
		st.Font.Size = 11
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

// book is what the sheets of a workbook share: the file, the zip writer
// that splices their rows in, and the cell styles, made once for all
// tables (excelize compares a new style with every one it has).
type book struct {
	f      *excelize.File
	sp     *splicer
	styles map[styleKey]int // excelize's id of each style made
}

// sheet writes one table's sheet.
type sheet struct {
	*book
	sw      *excelize.StreamWriter
	name    string
	t       *data.BudgetTable
	b       *data.Budget
	lang    locale.Lang
	labels  data.TableLabels
	widths  colWidths
	lay     layout
	lastCol int
	st      *styles

	formulas            []columnFormula // computed columns' formulas, planned once
	totalRow, budgetRow int             // sheet rows of the total and the budget, once written
}

// writeTable writes one sheet; top gives the table's rows. Sheet settings
// go first: the stream writer writes them after the rows.
func writeTable(ctx context.Context, bk *book, table int, name string, t *data.BudgetTable, b *data.Budget, lang locale.Lang, widths colWidths, top iter.Seq2[*data.Row, error]) error {
	f, sp := bk.f, bk.sp
	s := &sheet{book: bk, name: name, t: t, b: b, lang: lang, labels: view.TableLabels(t, lang), widths: widths,
		lay: newLayout(widths.note > 0), st: &styles{f: f, num: numberFormat(t), numRed: redFormat(numberFormat(t)), cache: bk.styles}}
	s.lastCol = s.lay.valCol(len(t.Columns) - 1)
	s.formulas = columnFormulas(t, s.lay)
	if err := s.pageSetup(); err != nil {
		return err
	}
	sw, err := f.NewStreamWriter(name)
	if err != nil {
		return err
	}
	s.sw = sw
	if err := s.head(); err != nil {
		return err
	}
	// the rows are written when the workbook is (see rows.go): their
	// styles must exist before, since the styles are written first
	s.st.all()
	m := marker(table)
	if err := sw.SetRow(cell(1, firstData), []any{excelize.Cell{Value: m}}); err != nil {
		return err
	}
	last := firstData + widths.rows - 1
	if extras := len(texts(t)); extras > 0 {
		last += 1 + extras
	}
	sp.tables[m] = &spliced{lastRow: last, lastCol: colName(s.lastCol), rows: func(w io.Writer) error {
		x := &rowWriter{w: sp.rowBuffer(w)}
		if err := t.WalkRows(s.labels, top, func(r *data.CalcRow) error {
			// a large table takes a while: see the deadline every 1,024 rows
			if r.Index%1024 == 0 {
				if err := ctx.Err(); err != nil {
					return err
				}
			}
			s.write(x, r)
			return nil
		}); err != nil {
			return fmt.Errorf("table %q: %w", t.Title, err)
		}
		return x.w.Flush()
	}}
	if err := s.texts(); err != nil {
		return err
	}
	if err := s.statusFormats(f, name, last); err != nil {
		return err
	}
	if err := s.charts(f, name, last); err != nil {
		return err
	}
	if b.Protect == nil || *b.Protect {
		// formulas locked, typed amounts not, no password: a number typed
		// over a total is refused, and anyone may lift the protection
		if err := f.ProtectSheet(name, &excelize.SheetProtectionOptions{SelectLockedCells: true, SelectUnlockedCells: true,
			FormatColumns: true, FormatRows: true, Sort: true, AutoFilter: true}); err != nil {
			return err
		}
	}
	return sw.Flush()
}

func newLayout(hasNote bool) layout {
	if hasNote {
		return layout{hasNote: true, labelCol: 1, noteCol: 2, firstVal: 3}
	}
	return layout{labelCol: 1, firstVal: 2}
}

// span is the sheet's width in characters.
func (s *sheet) span() float64 {
	span := s.widths.label + s.widths.note
	for _, w := range s.widths.values {
		span += w
	}
	return span
}

// pageSetup: A4, landscape when wide, fit to width, header and footer,
// the header row repeated, the print area the table.
func (s *sheet) pageSetup() error {
	lb := s.lang.Labels()
	orientation := "portrait"
	if s.span() > 95 {
		orientation = "landscape"
	}
	one, zero, a4, fit := 1, 0, 9, true
	if err := s.f.SetPageLayout(s.name, &excelize.PageLayoutOptions{Size: &a4, Orientation: &orientation, FitToWidth: &one, FitToHeight: &zero}); err != nil {
		return err
	}
	if err := s.f.SetSheetProps(s.name, &excelize.SheetPropsOptions{FitToPage: &fit}); err != nil {
		return err
	}
	footer := fmt.Sprintf("&L%s&R%s &P %s &N", hfEscape(s.b.Municipality), lb.Page, lb.Of)
	if err := s.f.SetHeaderFooter(s.name, &excelize.HeaderFooterOptions{
		OddHeader: "&L&\"-,Bold\"" + hfEscape(s.t.Title) + "&R" + hfEscape(s.b.Title), OddFooter: footer,
	}); err != nil {
		return err
	}
	quoted := "'" + strings.ReplaceAll(s.name, "'", "''") + "'"
	s.sp.define(s.name, "_xlnm.Print_Titles", fmt.Sprintf("%s!$%d:$%d", quoted, headerRow, headerRow))
	// print the table's columns only: long notes must not widen the page
	lastRow := firstData + s.widths.rows - 1
	if extras := len(texts(s.t)); extras > 0 {
		lastRow += 1 + extras // a blank row, then the legend and notes
	}
	lastRow += len(s.t.Charts) * chartRows // the charts below the table
	s.sp.define(s.name, "_xlnm.Print_Area", fmt.Sprintf("%s!$A$1:$%s$%d", quoted, colName(s.lastCol), lastRow))
	return nil
}

// head writes the column widths, the frozen pane, the title, unit and
// header rows.
func (s *sheet) head() error {
	sw, lay, t := s.sw, s.lay, s.t
	if err := sw.SetColWidth(lay.labelCol, lay.labelCol, s.widths.label); err != nil {
		return err
	}
	if lay.hasNote {
		if err := sw.SetColWidth(lay.noteCol, lay.noteCol, s.widths.note); err != nil {
			return err
		}
	}
	for i := range t.Columns {
		if err := sw.SetColWidth(lay.valCol(i), lay.valCol(i), s.widths.values[i]); err != nil {
			return err
		}
	}
	// the header and the label column stay while the amounts scroll
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, XSplit: lay.labelCol, YSplit: headerRow,
		TopLeftCell: cell(lay.labelCol+1, firstData), ActivePane: "bottomRight"}); err != nil {
		return err
	}
	if err := sw.SetRow(cell(1, titleRow), []any{excelize.Cell{Value: plain(t.Title), StyleID: s.st.get(styleTitle, 0)}}, excelize.RowOpts{Height: 21}); err != nil {
		return err
	}
	unitText := map[locale.Lang]string{locale.Danish: "Beløb i ", locale.English: "Amounts in "}[s.lang] + strings.ReplaceAll(plain(t.Unit), " ", "\u00a0")
	if err := sw.SetRow(cell(1, unitRow), []any{excelize.Cell{Value: unitText, StyleID: s.st.get(styleUnit, 0)}}); err != nil {
		return err
	}
	header := make([]any, s.lastCol)
	header[lay.labelCol-1] = excelize.Cell{Value: "", StyleID: s.st.get(styleHeader, 0)}
	if lay.hasNote {
		header[lay.noteCol-1] = excelize.Cell{Value: s.lang.Labels().RowNote, StyleID: s.st.get(styleHeader, 0)}
	}
	headerLines := 1.0
	for i, c := range t.Columns {
		unit := strings.ReplaceAll(plain(t.Unit), " ", "\u00a0") // no line break inside a unit
		if c.Percent() {
			unit = "%"
		}
		text := plain(c.Label) + " (" + unit + ")"
		if c.IsStatus() {
			text = plain(c.Label)
		}
		header[lay.valCol(i)-1] = excelize.Cell{Value: text, StyleID: s.st.get(styleHeaderNum, 0)}
		// the header wraps; readers do not refit row heights, so set it
		headerLines = max(headerLines, math.Ceil(float64(utf8.RuneCountInString(text))/(s.widths.values[i]-1)))
	}
	return sw.SetRow(cell(1, headerRow), header, excelize.RowOpts{Height: 15 * min(headerLines, 4)})
}

// write writes one computed row: its label, note and amounts, with the
// formulas that keep it live.
func (s *sheet) write(x *rowWriter, r *data.CalcRow) {
	sheetRow := firstData + r.Index
	lay := s.lay
	label := r.Label
	labelStyle, numStyle := s.st.get(styleLabel, r.Depth), s.st.get(styleNum, 0)
	noteStyle := s.st.get(styleNote, 0)
	switch r.Kind {
	case data.GroupRow:
		labelStyle = s.st.get(styleGroup, r.Depth)
	case data.SubtotalRow:
		label = s.lang.SubtotalLabel(r.Label)
		labelStyle, numStyle, noteStyle = s.st.get(styleSubtotal, r.Depth), s.st.get(styleNumBold, 0), s.st.get(styleBlankTop, 0)
	case data.TotalRow, data.BudgetRow, data.DifferenceRow:
		labelStyle, numStyle, noteStyle = s.st.get(styleTotal, 0), s.st.get(styleNumTotal, 0), s.st.get(styleTotal, 0)
	}
	height := 0.0
	if lay.hasNote && r.Note != "" {
		// a wrapped note needs its row's height: readers do not refit it
		// (a column's width counts digits; text runs about 15 % narrower)
		if lines := math.Ceil(float64(utf8.RuneCountInString(r.Note)) / ((s.widths.note - 1) * 1.15)); lines > 1 {
			height = 15 * min(lines, 6)
		}
	}
	x.start(sheetRow, height)
	switch r.Kind {
	case data.TotalRow:
		s.totalRow = sheetRow
	case data.BudgetRow:
		s.budgetRow = sheetRow
	}
	if r.Kind == data.DifferenceRow {
		// the label follows the difference's sign: over or under the budget
		tot, bud := cell(lay.valCol(0), s.totalRow), cell(lay.valCol(0), s.budgetRow)
		x.formulaText(lay.labelCol, labelStyle, fmt.Sprintf(`IF(%s>%s,"%s","%s")`, tot, bud, quote(s.labels.Over), quote(s.labels.Under)), label)
	} else {
		x.text(lay.labelCol, labelStyle, label)
	}
	if lay.hasNote {
		x.text(lay.noteCol, noteStyle, r.Note)
	}
	for i := range s.t.Columns {
		s.amount(x, r, i, sheetRow, numStyle)
	}
	x.end()
}

// amount writes the cell of column i in a row, if it has one: a value,
// or a formula with its value stored.
func (s *sheet) amount(x *rowWriter, r *data.CalcRow, i, sheetRow, style int) {
	col := s.lay.valCol(i)
	v := r.Values
	if s.t.Columns[i].IsStatus() && (r.Kind == data.LineRow || r.Kind == data.SubtotalRow || r.Kind == data.TotalRow) {
		// the word, from a live formula over the column the rule is over;
		// the conditional formats colour it (statusFormats)
		word := ""
		if !r.Blank[i] {
			word = s.statusWords()[v[i].IntPart()]
		}
		if s.t.Columns[i].Status == nil {
			// given by the line: the word itself, which a user may change
			// (the colours follow it)
			if word != "" {
				x.text(col, s.st.get(styleStatusInput, 0), word)
			}
			return
		}
		x.formulaText(col, s.st.get(styleStatus, 0), s.statusFormula(i, sheetRow), word)
		return
	}
	if s.t.Columns[i].Percent() && (r.Kind == data.LineRow || r.Kind == data.SubtotalRow || r.Kind == data.TotalRow) {
		// a ratio, on a subtotal or total row too: the ratio of the sums
		// the row holds, not a sum of ratios
		f := rowFormula(s.formulas[i], sheetRow)
		if r.Blank[i] {
			x.formulaText(col, percentStyle(s.st, style), f, "")
		} else {
			x.number(col, percentStyle(s.st, style), v[i].InexactFloat64(), f)
		}
		return
	}
	input := s.st.get(styleNumInput, 0)
	if s.t.Columns[i].NegativeRed {
		style, input = redStyle(s.st, style), redStyle(s.st, input)
	}
	switch r.Kind {
	case data.LineRow:
		if s.t.Columns[i].Computed() {
			x.number(col, style, v[i].InexactFloat64(), rowFormula(s.formulas[i], sheetRow))
		} else if r.Given[i] {
			x.number(col, input, v[i].InexactFloat64(), "")
		}
	case data.SubtotalRow, data.TotalRow:
		from, to := firstData+r.From, sheetRow-1
		x.number(col, style, v[i].InexactFloat64(), fmt.Sprintf("SUBTOTAL(9,%s%d:%s%d)", colName(col), from, colName(col), to))
	case data.BudgetRow:
		if i == 0 {
			x.number(col, style, v[0].InexactFloat64(), "")
		}
	case data.DifferenceRow:
		if i == 0 {
			tot, bud := cell(col, s.totalRow), cell(col, s.budgetRow)
			x.number(col, style, v[0].InexactFloat64(), fmt.Sprintf("ABS(%s-%s)", tot, bud))
		}
	}
}

// texts writes the legend and notes under the table, across its width,
// wrapped.
func (s *sheet) texts() error {
	next := firstData + s.widths.rows + 1
	for _, text := range texts(s.t) {
		lines := math.Ceil(float64(utf8.RuneCountInString(text)) / max(s.span()-2, 10))
		if err := s.sw.SetRow(cell(1, next), []any{excelize.Cell{Value: plain(text), StyleID: s.st.get(styleLegend, 0)}},
			excelize.RowOpts{Height: 15 * min(lines, 10)}); err != nil {
			return err
		}
		if s.lastCol > 1 {
			if err := s.sw.MergeCell(cell(1, next), cell(s.lastCol, next)); err != nil {
				return err
			}
		}
		next++
	}
	return nil
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

// columnFormula is a computed column's formula in sheet columns: a sum,
// or a ratio of two (den set).
type columnFormula struct{ num, den []formulaTerm }

// columnFormulas turns each computed column's terms into sheet columns,
// once per table; rowFormula then writes a row's formula from them.
func columnFormulas(t *data.BudgetTable, lay layout) []columnFormula {
	idx := t.ColumnIndex()
	terms := func(ts []data.Term) []formulaTerm {
		var out []formulaTerm
		for j, term := range ts {
			op := ""
			switch {
			case term.Negative:
				op = "-"
			case j > 0:
				op = "+"
			}
			out = append(out, formulaTerm{op, colName(lay.valCol(idx[term.Key]))})
		}
		return out
	}
	out := make([]columnFormula, len(t.Columns))
	for i, c := range t.Columns {
		out[i] = columnFormula{terms(c.Terms), terms(c.Den)}
	}
	return out
}

// rowFormula is a computed column's formula on one row: "C5-D5", or a
// ratio that is empty where its divisor is zero:
// IFERROR((C5-D5)/(D5),"").
func rowFormula(f columnFormula, row int) string {
	r := strconv.Itoa(row)
	sum := func(b *strings.Builder, terms []formulaTerm) {
		for _, t := range terms {
			b.WriteString(t.op)
			b.WriteString(t.col)
			b.WriteString(r)
		}
	}
	var b strings.Builder
	if f.den == nil {
		sum(&b, f.num)
		return b.String()
	}
	b.WriteString("IFERROR((")
	sum(&b, f.num)
	b.WriteString(")/(")
	sum(&b, f.den)
	b.WriteString(`),"")`)
	return b.String()
}

func quote(s string) string { return strings.ReplaceAll(s, `"`, `""`) }

// hfEscape escapes & in header and footer text, where it starts a code.
func hfEscape(s string) string { return strings.ReplaceAll(plain(s), "&", "&&") }

// plain is text as the workbook writes it everywhere (cells, headers and
// footers, sheet names): without bidi controls, which would make it read
// other than it is ("regnskab\u202Efdp.exe"), as the PDF drops them too.
func plain(s string) string {
	if !strings.ContainsFunc(s, isBidi) {
		return s
	}
	return strings.Map(func(r rune) rune {
		if isBidi(r) {
			return -1
		}
		return r
	}, s)
}

func isBidi(r rune) bool { return unicode.Is(unicode.Bidi_Control, r) }

// colWidths are column widths in characters, and the rows a table prints.
type colWidths struct {
	label, note float64
	values      []float64
	rows        int
	// for a table with charts: the rows (as Walk numbers them) of its
	// lines and of its top-level groups' subtotals, at most what a chart
	// shows and one more
	lines, groups []int
}

// A measurer sizes a table's columns to their content without computing
// the table: labels and notes from the rows, amounts from the largest
// total possible (the sum of absolute values), which no printed amount
// exceeds.
//
// It measures the rows as they come, one top-level row at a time (NewPlan
// from a budget decoded whole, a Planner from a stream).
type measurer struct {
	t    *data.BudgetTable
	lang locale.Lang
	tl   data.TableLabels
	w    colWidths
	abs  []decimal.Decimal
	idx  map[string]int
	rows int // the rows Walk gives
	next int // the next row's number, in Walk's order
}

func newMeasurer(t *data.BudgetTable, lang locale.Lang) *measurer {
	tl := view.TableLabels(t, lang)
	return &measurer{t: t, lang: lang, tl: tl, idx: t.ColumnIndex(), abs: make([]decimal.Decimal, len(t.Columns)),
		w: colWidths{label: float64(utf8.RuneCountInString(tl.Total)) + 2, values: make([]float64, len(t.Columns))}}
}

func (m *measurer) add(r *data.Row) { m.visit(r, 0) }

func (m *measurer) visit(r *data.Row, depth int) {
	m.rows++
	idx := m.next // Walk numbers a row, then its rows, then its subtotal
	m.next++
	l := float64(utf8.RuneCountInString(r.Label)) + 2*float64(depth) + 2
	if r.IsGroup() {
		m.rows++ // its subtotal
		l += 6   // " i alt"
		for i := range r.Rows {
			m.visit(&r.Rows[i], depth+1)
		}
	}
	m.chartRow(r, depth, idx)
	m.w.label = max(m.w.label, l)
	if r.Note != "" {
		m.w.note = max(m.w.note, float64(utf8.RuneCountInString(r.Note))+2)
	}
	for _, a := range r.Values {
		if i, ok := m.idx[a.Key]; ok {
			m.abs[i] = m.abs[i].Add(a.Value().Abs())
		}
	}
}

// chartRow numbers a group's subtotal, after its rows, and keeps for the
// table's charts where its lines and top-level subtotals are.
func (m *measurer) chartRow(r *data.Row, depth, idx int) {
	charted := len(m.t.Charts) > 0
	if !r.IsGroup() {
		if charted && len(m.w.lines) <= data.MaxChartCategories {
			m.w.lines = append(m.w.lines, idx)
		}
		return
	}
	if charted && depth == 0 && len(m.w.groups) <= data.MaxChartCategories {
		m.w.groups = append(m.w.groups, m.next)
	}
	m.next++
}

func (m *measurer) done() colWidths {
	t, w := m.t, m.w
	w.rows = m.rows + 1 // the total
	if t.Budget != nil {
		w.rows += 2 // the budget and the difference
	}
	for _, s := range []string{m.tl.Budget, m.tl.Over, m.tl.Under} {
		w.label = max(w.label, float64(utf8.RuneCountInString(s))+2)
	}
	var all decimal.Decimal
	for _, a := range m.abs {
		all = all.Add(a)
	}
	if t.Budget != nil {
		all = all.Add(t.Budget.Abs())
	}
	scale := data.Units[t.Unit]
	digits := float64(len(m.lang.Number(all.Div(scale), t.Decimals))) + 3
	for i, c := range t.Columns {
		d := digits
		if c.Percent() || c.IsStatus() {
			d = 9 // "-100,0 %", "Grøn"
		}
		w.values[i] = max(d, min(float64(utf8.RuneCountInString(c.Label+" ("+t.Unit+")"))+2, 24), 10)
	}
	w.label = min(w.label, 60)
	if w.note > 0 {
		w.note = min(max(w.note, 14), 50)
	}
	return w
}
