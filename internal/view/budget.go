package view

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/shopspring/decimal"

	"protokol/internal/data"
	"protokol/internal/locale"
)

// Budget is what budget templates see as ".".
type Budget struct {
	Lang         string
	L            *locale.Labels
	Title        string
	Municipality string
	Tables       []*BudgetTable
}

// BudgetTable is one budget table, computed and formatted.
type BudgetTable struct {
	Title    string
	Unit     string // "kr.", "1.000 kr.", "mio. kr."
	Decimals int
	Table    string // the table as GitHub Markdown: amounts right-aligned, totals bold
	Total    string // the grand total of the first column, formatted
	Budget   string // the budget frame, formatted ("" without one)
	Diff     string // |total - budget|, formatted
	Over     bool   // the total exceeds the budget
	Legend   string
	Notes    []string
	Charts   []*Chart // the table's charts, placed by PlaceCharts
}

// Chart is a chart of a budget table as the PDF draws it: the numbers of
// its series by category, in the table's unit.
type Chart struct {
	Key        string // names it in the Markdown (<!-- chart KEY -->)
	Title      string
	Kind       string // column, bar or line
	Stacked    bool
	Categories []string
	Series     []ChartSeries
	Unit       string
	Decimals   int
	Lang       locale.Lang
	Alt        string // what it shows, for a screen reader
}

// ChartSeries is one column's values in a chart.
type ChartSeries struct {
	Name   string
	Values []float64
}

// PlaceCharts is the Markdown that places the table's charts where a
// template writes it (the default set: after the table).
func (v *BudgetTable) PlaceCharts() string {
	var b strings.Builder
	for _, c := range v.Charts {
		b.WriteString("\n<!-- chart " + c.Key + " -->\n")
	}
	return b.String()
}

// keyCharts names the table's charts uniquely in its document.
func (v *BudgetTable) keyCharts(prefix string) {
	for i, c := range v.Charts {
		c.Key = prefix + "c" + strconv.Itoa(i)
	}
}

// NewBudget builds the view of a validated budget.
func NewBudget(b *data.Budget, lang locale.Lang) *Budget {
	l := lang.Or(locale.Lang(b.Language))
	v := &Budget{Lang: string(l), L: l.Labels(), Title: b.Title, Municipality: b.Municipality}
	for i := range b.Tables {
		v.Tables = append(v.Tables, NewBudgetTable(&b.Tables[i], l))
		v.Tables[i].keyCharts("t" + strconv.Itoa(i))
	}
	return v
}

// anyNote reports whether a row or a group's row has a note.
func anyNote(rows []data.Row) bool {
	for i := range rows {
		if rows[i].Note != "" || anyNote(rows[i].Rows) {
			return true
		}
	}
	return false
}

// tableHead writes a budget table's header row and alignment row: the
// label column, the note column if any row has a note, the amounts with
// their unit (no line break inside it).
func tableHead(b *strings.Builder, t *data.BudgetTable, lb *locale.Labels, hasNote bool) {
	b.WriteString("| ")
	if hasNote {
		b.WriteString(" | " + Escape(lb.RowNote))
	}
	for _, c := range t.Columns {
		unit := strings.ReplaceAll(Escape(t.Unit), " ", "\u00a0")
		switch {
		case c.Percent():
			unit = "%"
		case c.IsStatus():
			b.WriteString(" | " + Escape(c.Label))
			continue
		}
		b.WriteString(" | " + Escape(c.Label) + " (" + unit + ")")
	}
	b.WriteString(" |\n|---")
	if hasNote {
		b.WriteString("|---")
	}
	for range t.Columns {
		b.WriteString("|---:")
	}
	b.WriteString("|\n")
}

// statusWords are the status words by status (red, yellow, green).
func statusWords(lb *locale.Labels) [3]string {
	return [3]string{lb.StatusRed, lb.StatusYellow, lb.StatusGreen}
}

var statusNames = [3]string{"red", "yellow", "green"}

// statusMark is a status cell: its mark and word (the layout draws the
// mark and colours both), or "–" where the value it is over has none.
func statusMark(lb *locale.Labels, r *data.CalcRow, i int) string {
	if r.Blank[i] {
		return "–"
	}
	k := r.Values[i].IntPart()
	return `<span status="` + statusNames[k] + `">` + statusWords(lb)[k] + `</span>`
}

// statusLegend says what each status column's marks mean, by the same
// marks: "Status: ● Grøn mindst 95 %, ▲ Gul mindst 80 %, ■ Rød under 80 %".
func statusLegend(t *data.BudgetTable, l locale.Lang) string {
	lb := l.Labels()
	var out []string
	for _, c := range t.Columns {
		if !c.IsStatus() || c.Status == nil {
			continue // marks given by the lines: the table's legend says what they mean
		}
		of := t.Columns[t.ColumnIndex()[c.Status.Of]]
		bound := func(v decimal.Decimal) string {
			if of.Percent() {
				return l.Number(v, 0) + "\u00a0%"
			}
			return l.Number(v.Div(data.Units[t.Unit]), t.Decimals) + "\u00a0" + Escape(t.Unit)
		}
		w := statusWords(lb)
		out = append(out, Escape(c.Label)+": "+
			`<span status="green">`+w[2]+`</span> `+lb.AtLeast+" "+bound(c.Status.Green)+", "+
			`<span status="yellow">`+w[1]+`</span> `+lb.AtLeast+" "+bound(c.Status.Yellow)+", "+
			`<span status="red">`+w[0]+`</span> `+lb.Below+" "+bound(c.Status.Yellow))
	}
	return strings.Join(out, "\n\n")
}

// percent is a ratio as a percent, "12,3 %", or "–" where its divisor
// is zero.
func percent(l locale.Lang, r *data.CalcRow, i int) string {
	if r.Blank[i] {
		return "–"
	}
	return l.Number(r.Values[i].Shift(2), 1) + "\u00a0%"
}

// NewBudgetTable computes a table and lays it out as Markdown. Amounts
// are shown in the table's unit (kroner divided by 1, 1.000 or 1.000.000)
// with its decimals.
func NewBudgetTable(t *data.BudgetTable, l locale.Lang) *BudgetTable {
	lb := l.Labels()
	scale := data.Units[t.Unit]
	v := &BudgetTable{Title: t.Title, Unit: t.Unit, Decimals: t.Decimals, Legend: t.Legend, Notes: t.Notes}
	format := func(d decimal.Decimal) string { return l.Number(d.Div(scale), t.Decimals) }

	hasNote := anyNote(t.Rows)
	var b strings.Builder
	tableHead(&b, t, lb, hasNote)

	_ = t.Walk(TableLabels(t, l), func(r *data.CalcRow) error {
		indent := strings.Repeat("\u00a0\u00a0\u00a0", r.Depth)
		label := Escape(r.Label)
		strong := r.Kind != data.LineRow
		if r.Kind == data.SubtotalRow {
			label = Escape(l.SubtotalLabel(r.Label))
		}
		cell := func(s string) string {
			if strong && s != "" {
				return "**" + s + "**"
			}
			return s
		}
		b.WriteString("| " + indent + cell(label))
		if hasNote {
			b.WriteString(" | " + Escape(r.Note))
		}
		for i := range t.Columns {
			s := ""
			ratioRow := r.Kind != data.GroupRow && r.Kind != data.BudgetRow && r.Kind != data.DifferenceRow
			switch {
			case t.Columns[i].Percent() && ratioRow:
				b.WriteString(" | " + cell(percent(l, r, i)))
				continue
			case t.Columns[i].IsStatus() && ratioRow:
				b.WriteString(" | " + statusMark(lb, r, i))
				continue
			}
			switch r.Kind {
			case data.GroupRow:
			case data.BudgetRow, data.DifferenceRow:
				if i == 0 {
					s = format(r.Values[0])
				}
			case data.LineRow:
				if r.Given[i] {
					s = format(r.Values[i])
				}
			default:
				s = format(r.Values[i])
			}
			if t.Columns[i].NegativeRed && r.Values[i].IsNegative() && s != "" {
				s = `<span status="negative">` + s + `</span>` // red, the minus kept
			}
			b.WriteString(" | " + cell(s))
		}
		b.WriteString(" |\n")
		switch r.Kind {
		case data.TotalRow:
			v.Total = format(r.Values[0])
		case data.BudgetRow:
			v.Budget = format(r.Values[0])
		case data.DifferenceRow:
			v.Diff, v.Over = format(r.Values[0]), r.Over
		}
		return nil
	})
	if legend := statusLegend(t, l); legend != "" {
		b.WriteString("\n" + legend + "\n")
	}
	v.Table = b.String()
	v.Charts = charts(t, l)
	return v
}

// TableLabels are the labels of a table's computed rows: its own, or the
// language's where it gives none.
func TableLabels(t *data.BudgetTable, l locale.Lang) data.TableLabels {
	lb := l.Labels()
	return t.Labels(data.TableLabels{Total: lb.Total, Budget: lb.Budget, Over: lb.OverAllocation, Under: lb.Unallocated})
}

// charts computes a table's charts: each chart's categories (its lines, or
// its top-level groups' subtotals) and the values of its columns there, in
// the table's unit, and says in words what it shows.
func charts(t *data.BudgetTable, l locale.Lang) []*Chart {
	if len(t.Charts) == 0 {
		return nil
	}
	scale := data.Units[t.Unit]
	idx := t.ColumnIndex()
	var out []*Chart
	for _, c := range t.Charts {
		ch := &Chart{Title: c.Title, Kind: c.Kind, Stacked: c.Stacked, Unit: t.Unit, Decimals: t.Decimals, Lang: l}
		for _, key := range c.Columns {
			ch.Series = append(ch.Series, ChartSeries{Name: t.Columns[idx[key]].Label})
		}
		_ = t.Walk(TableLabels(t, l), func(r *data.CalcRow) error {
			if !(c.By == data.ByGroup && r.Kind == data.SubtotalRow && r.Depth == 0) && !(c.By != data.ByGroup && r.Kind == data.LineRow) {
				return nil
			}
			ch.Categories = append(ch.Categories, r.Label)
			for k, key := range c.Columns {
				ch.Series[k].Values = append(ch.Series[k].Values, r.Values[idx[key]].Div(scale).InexactFloat64())
			}
			return nil
		})
		ch.Alt = chartAlt(ch, l)
		out = append(out, ch)
	}
	return out
}

// chartAlt says what a chart shows: its title, what it compares, its
// largest and smallest value and the total, in the table's unit.
func chartAlt(c *Chart, l locale.Lang) string {
	var names []string
	best, worst := "", ""
	var hi, lo, total float64
	first := true
	for _, s := range c.Series {
		names = append(names, s.Name)
		for i, v := range s.Values {
			total += v
			at := fmt.Sprintf("%s, %s", c.Categories[i], s.Name)
			if first || v > hi {
				hi, best = v, at
			}
			if first || v < lo {
				lo, worst = v, at
			}
			first = false
		}
	}
	n := func(v float64) string { return l.Number(decimal.NewFromFloat(v), c.Decimals) + " " + c.Unit }
	// a sentence ends with one full stop, also after "kr."
	end := func(s string) string { return strings.TrimSuffix(s, ".") + "." }
	if l == locale.English {
		return end(fmt.Sprintf("Chart: %s", c.Title)) + " " + end(fmt.Sprintf("%s for %d categories; largest %s, %s; smallest %s, %s; total %s",
			strings.Join(names, " and "), len(c.Categories), best, n(hi), worst, n(lo), n(total))) + " The numbers are in the table."
	}
	return end(fmt.Sprintf("Diagram: %s", c.Title)) + " " + end(fmt.Sprintf("%s for %d kategorier; størst %s, %s; mindst %s, %s; i alt %s",
		strings.Join(names, " og "), len(c.Categories), best, n(hi), worst, n(lo), n(total))) + " Tallene står i tabellen."
}

// Charts lists the charts of a budget's tables, for the PDF.
func (b *Budget) Charts() []*Chart {
	var out []*Chart
	for _, t := range b.Tables {
		out = append(out, t.Charts...)
	}
	return out
}
