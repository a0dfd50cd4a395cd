package data

import (
	"iter"

	"github.com/shopspring/decimal"
)

// RowKind tells what a computed row of a budget table is.
type RowKind uint8

const (
	LineRow       RowKind = iota // a line with values
	GroupRow                     // a group's heading
	SubtotalRow                  // a group's subtotal
	TotalRow                     // the table's grand total
	BudgetRow                    // the budget frame
	DifferenceRow                // total minus budget
)

// CalcRow is one printed row of a budget table, with every amount computed
// exactly. Rows are numbered 0, 1, 2, … in the order Walk gives them.
type CalcRow struct {
	Kind   RowKind
	Label  string
	Note   string
	Depth  int               // nesting: 0 for top-level rows and totals
	Values []decimal.Decimal // one per column (computed ones included); zero where not given
	Given  []bool            // for lines: which input values were given
	Blank  []bool            // ratios without a value (their divisor is zero)
	From   int               // subtotals and the total: the rows they sum are From..Index-1
	Index  int
	Over   bool // difference: the total exceeds the budget
}

// ColumnIndex maps the columns' keys to their positions.
func (t *BudgetTable) ColumnIndex() map[string]int {
	idx := make(map[string]int, len(t.Columns))
	for i, c := range t.Columns {
		idx[c.Key] = i
	}
	return idx
}

// ColumnOrder is the order computed columns must be evaluated in (each
// after the columns its formula uses); input columns are left out.
func (t *BudgetTable) ColumnOrder() []int {
	idx := t.ColumnIndex()
	var order []int
	seen := make([]bool, len(t.Columns))
	var visit func(i int)
	visit = func(i int) {
		if seen[i] {
			return
		}
		seen[i] = true
		for _, term := range t.Columns[i].Refs() {
			visit(idx[term.Key])
		}
		if t.Columns[i].Computed() || t.Columns[i].IsStatus() {
			order = append(order, i)
		}
	}
	for i := range t.Columns {
		visit(i)
	}
	return order
}

// Walk computes the table and calls fn for every printed row in order:
// lines, group headings and subtotals, the total, then the budget and
// difference lines if the table has a budget; the computed rows are
// labelled with lb. fn must not keep the row's slices. It needs a
// validated table, and changes nothing in it.
func (t *BudgetTable) Walk(lb TableLabels, fn func(*CalcRow) error) error {
	return t.WalkRows(lb, rowSeq(t.Rows), fn)
}

// WalkRows is Walk over top-level rows from elsewhere, such as a stream
// (see TableRows), for tables too large to keep decoded. The rows must be
// the table's validated rows; an error from the sequence ends the walk.
func (t *BudgetTable) WalkRows(lb TableLabels, top iter.Seq2[*Row, error], fn func(*CalcRow) error) error {
	w := walker{t: t, fn: fn, order: t.ColumnOrder(), idx: t.ColumnIndex()}
	n := len(t.Columns)
	total := make([]decimal.Decimal, n)
	if err := w.rows(top, 0, total); err != nil {
		return err
	}
	blank := make([]bool, n)
	w.compute(total, blank)
	row := CalcRow{Kind: TotalRow, Label: lb.Total, Values: total, Blank: blank, From: 0}
	if err := w.emit(&row); err != nil {
		return err
	}
	if t.Budget == nil {
		return nil
	}
	b := *t.Budget
	if err := w.emit(&CalcRow{Kind: BudgetRow, Label: lb.Budget, Values: []decimal.Decimal{b}, Index: w.next}); err != nil {
		return err
	}
	diff := total[0].Sub(b)
	d := CalcRow{Kind: DifferenceRow, Values: []decimal.Decimal{diff.Abs()}, Over: diff.IsPositive(), Index: w.next}
	d.Label = lb.Under
	if d.Over {
		d.Label = lb.Over
	}
	return w.emit(&d)
}

type walker struct {
	t     *BudgetTable
	fn    func(*CalcRow) error
	order []int
	idx   map[string]int
	next  int
}

func (w *walker) emit(r *CalcRow) error {
	r.Index = w.next
	w.next++
	return w.fn(r)
}

func rowSeq(rows []Row) iter.Seq2[*Row, error] {
	return func(yield func(*Row, error) bool) {
		for i := range rows {
			if !yield(&rows[i], nil) {
				return
			}
		}
	}
}

// rows emits rows at a depth and adds their amounts to sum.
func (w *walker) rows(rows iter.Seq2[*Row, error], depth int, sum []decimal.Decimal) error {
	n := len(w.t.Columns)
	vals := make([]decimal.Decimal, n)
	given := make([]bool, n)
	blank := make([]bool, n)
	for r, err := range rows {
		if err != nil {
			return err
		}
		if r.IsGroup() {
			head := CalcRow{Kind: GroupRow, Label: r.Label, Note: r.Note, Depth: depth}
			if err := w.emit(&head); err != nil {
				return err
			}
			sub := make([]decimal.Decimal, n)
			from := w.next
			if err := w.rows(rowSeq(r.Rows), depth+1, sub); err != nil {
				return err
			}
			subBlank := make([]bool, n)
			w.compute(sub, subBlank)
			for c := range sub {
				sum[c] = sum[c].Add(sub[c])
			}
			if err := w.emit(&CalcRow{Kind: SubtotalRow, Label: r.Label, Depth: depth, Values: sub, Blank: subBlank, From: from}); err != nil {
				return err
			}
			continue
		}
		for c, col := range w.t.Columns {
			v, ok := r.Values.Get(col.Key)
			vals[c], given[c] = v, ok
			if col.Computed() || col.IsStatus() {
				given[c] = true
			}
		}
		w.compute(vals, blank)
		for c, col := range w.t.Columns {
			if col.IsStatus() && col.Status == nil {
				// given by the row, or none
				st := statusOf(r.Marks[col.Key])
				vals[c], blank[c] = decimal.NewFromInt(int64(max(st, 0))), st < 0
			}
			if !col.Computed() && !col.IsStatus() {
				sum[c] = sum[c].Add(vals[c])
			}
		}
		if err := w.emit(&CalcRow{Kind: LineRow, Label: r.Label, Note: r.Note, Depth: depth, Values: vals, Given: given, Blank: blank}); err != nil {
			return err
		}
	}
	return nil
}

// compute fills the computed columns of vals from the others; a ratio
// whose divisor is zero has no value (blank[c]).
func (w *walker) compute(vals []decimal.Decimal, blank []bool) {
	sum := func(terms []Term) decimal.Decimal {
		var v decimal.Decimal
		for _, term := range terms {
			x := vals[w.idx[term.Key]]
			if term.Negative {
				v = v.Sub(x)
			} else {
				v = v.Add(x)
			}
		}
		return v
	}
	for _, c := range w.order {
		col := &w.t.Columns[c]
		if col.IsStatus() && col.Status == nil {
			vals[c], blank[c] = decimal.Zero, true // given by each line (rows); none on a subtotal
			continue
		}
		if col.IsStatus() {
			vals[c], blank[c] = w.status(col.Status, vals, blank)
			continue
		}
		vals[c], blank[c] = sum(col.Terms), false
		if col.Den == nil {
			continue
		}
		if den := sum(col.Den); den.IsZero() {
			vals[c], blank[c] = decimal.Zero, true
		} else {
			vals[c] = vals[c].DivRound(den, ratioDigits)
		}
	}
}

// status is a status column's value on a row: from the value of the
// column its rule is over (none where that has none).
func (w *walker) status(r *StatusRule, vals []decimal.Decimal, blank []bool) (decimal.Decimal, bool) {
	of := w.idx[r.Of]
	if blank[of] {
		return decimal.Zero, true
	}
	percent := w.t.Columns[of].Percent()
	v := vals[of]
	switch {
	case v.GreaterThanOrEqual(r.Threshold(r.Green, percent)):
		return decimal.NewFromInt(StatusGreen), false
	case v.GreaterThanOrEqual(r.Threshold(r.Yellow, percent)):
		return decimal.NewFromInt(StatusYellow), false
	}
	return decimal.NewFromInt(StatusRed), false
}

// ratioDigits are the decimals a ratio is computed to: far past what a
// percent shows, and what a spreadsheet's double keeps.
const ratioDigits = 12

// TableLabels are the labels of a table's computed rows.
type TableLabels struct {
	Total, Budget, Over, Under string
}

// Labels are the table's own labels, with def's where it gives none.
func (t *BudgetTable) Labels(def TableLabels) TableLabels {
	or := func(v, d string) string {
		if v == "" {
			return d
		}
		return v
	}
	return TableLabels{Total: or(t.TotalLabel, def.Total), Budget: or(t.BudgetLabel, def.Budget),
		Over: or(t.OverLabel, def.Over), Under: or(t.UnderLabel, def.Under)}
}
