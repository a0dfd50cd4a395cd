package data

import (
	"fmt"
	"regexp"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/shopspring/decimal"
)

// Budget is a set of budget tables: one workbook, one sheet per table.
type Budget struct {
	Title        string        `json:"title"`                  // required
	Municipality string        `json:"municipality,omitempty"` // the author in document properties
	Language     string        `json:"language,omitempty"`     // "da" (default) or "en"
	Tables       []BudgetTable `json:"tables"`                 // required, at least one
	// Protect locks the workbook's formula cells on sheets protected
	// without a password, so a number typed over a total is refused
	// (default true; false leaves every cell open).
	Protect *bool `json:"protect,omitempty"`
}

// BudgetTable is one allocation or follow-up table. Amounts are always in
// kroner; Unit only scales what is shown.
type BudgetTable struct {
	Title       string           `json:"title"`                  // required
	Sheet       string           `json:"sheet,omitempty"`        // the workbook's sheet name (default: cut from the title), at most 31 characters
	Unit        string           `json:"unit,omitempty"`         // "kr." (default), "1.000 kr.", "mio. kr."
	Decimals    int              `json:"decimals,omitempty"`     // shown decimals, 0-4, default 0
	Columns     []Column         `json:"columns"`                // required, at least one
	Rows        []Row            `json:"rows"`                   // required, at least one
	TotalLabel  string           `json:"total_label,omitempty"`  // default "I alt" / "Total"
	Budget      *decimal.Decimal `json:"budget,omitempty"`       // optional frame: adds budget and difference lines
	BudgetLabel string           `json:"budget_label,omitempty"` // default "Budget"
	OverLabel   string           `json:"over_label,omitempty"`   // default "Overdisponering"
	UnderLabel  string           `json:"under_label,omitempty"`  // default "Ikke disponeret"
	Legend      string           `json:"legend,omitempty"`       // sign convention under the table
	Notes       []string         `json:"notes,omitempty"`        // printed under the table
	Charts      []Chart          `json:"charts,omitempty"`       // charts of the table's columns
}

// Chart is a chart of some of a table's columns: a native chart in the
// workbook over the table's cells, the same chart drawn in the PDF.
type Chart struct {
	Title   string   `json:"title"`             // required
	Kind    string   `json:"kind,omitempty"`    // "column" (default), "bar" or "line"
	Stacked bool     `json:"stacked,omitempty"` // columns or bars stacked, not side by side
	Columns []string `json:"columns"`           // required: the amount columns shown, 1 to 6
	By      string   `json:"by,omitempty"`      // "row" (default: every line) or "group" (every top-level group's subtotal)
}

// Chart kinds and what a chart's categories are.
const (
	ChartColumn = "column"
	ChartBar    = "bar"
	ChartLine   = "line"
	ByRow       = "row"
	ByGroup     = "group"
	// MaxChartCategories is how many lines or groups a chart shows.
	MaxChartCategories = 50
)

// Column is a value column; with Formula it is computed from other columns.
type Column struct {
	Key     string `json:"key"`               // required, unique: letters, digits, _
	Label   string `json:"label"`             // required: the header
	Formula string `json:"formula,omitempty"` // e.g. "corrected - expected", or a ratio "(actual - budget) / budget"
	Format  string `json:"format,omitempty"`  // "" (amounts), "percent": a ratio shown as a percent, or "status": a mark from Status
	// Status makes the column a traffic light over another column: green
	// at or above Green, yellow at or above Yellow, red below.
	Status *StatusRule `json:"status,omitempty"`
	// NegativeRed shows the column's negative amounts in red, in the
	// workbook (its number format) and the PDF.
	NegativeRed bool `json:"negative_red,omitempty"`

	// Terms is Formula parsed by Validate: a ratio's numerator, Den its
	// denominator (nil for a sum).
	Terms []Term `json:"-"`
	Den   []Term `json:"-"`
}

// FormatPercent is a column of ratios shown as percents; FormatStatus a
// column of status marks.
const (
	FormatPercent = "percent"
	FormatStatus  = "status"
)

// StatusRule computes a status from another column's value, given as the
// column shows it (percent points for a percent column, kroner
// otherwise): green at or above Green, yellow at or above Yellow.
type StatusRule struct {
	Of     string          `json:"of"`     // required: the column's key
	Green  decimal.Decimal `json:"green"`  // required
	Yellow decimal.Decimal `json:"yellow"` // required, at most Green
}

// Statuses, as a status column's values: red 0, yellow 1, green 2.
const (
	StatusRed = iota
	StatusYellow
	StatusGreen
)

// IsStatus reports whether the column is a status column.
func (c *Column) IsStatus() bool { return c.Format == FormatStatus }

// Threshold is a rule's bound in the value the referenced column holds
// (a ratio for a percent column).
func (r *StatusRule) Threshold(v decimal.Decimal, percent bool) decimal.Decimal {
	if percent {
		return v.Shift(-2)
	}
	return v
}

// Percent reports whether the column is a ratio shown as a percent.
func (c *Column) Percent() bool { return c.Format == FormatPercent }

// Refs are the columns the formula uses, numerator and denominator.
func (c *Column) Refs() []Term {
	refs := append(append([]Term(nil), c.Terms...), c.Den...)
	if c.Status != nil {
		refs = append(refs, Term{Key: c.Status.Of})
	}
	return refs
}

// Term is one signed column reference of a formula.
type Term struct {
	Negative bool
	Key      string
}

// Computed reports whether the column is computed by a formula.
func (c *Column) Computed() bool { return c.Formula != "" }

// Row is a line (Label, Note, Values) or, when Rows is set, a group of rows
// with a subtotal.
type Row struct {
	Label  string  `json:"label"`            // required
	Note   string  `json:"note,omitempty"`   // explanatory text beside the label
	Values Amounts `json:"values,omitempty"` // input column key -> amount in kroner
	Rows   []Row   `json:"rows,omitempty"`   // a group's rows
	// Marks are a line's statuses in status columns without a rule:
	// column key -> "green", "yellow" or "red".
	Marks map[string]string `json:"marks,omitempty"`
}

// statusOf is a mark's status value (StatusRed, …), or -1.
func statusOf(mark string) int {
	switch mark {
	case "green":
		return StatusGreen
	case "yellow":
		return StatusYellow
	case "red":
		return StatusRed
	}
	return -1
}

// IsGroup reports whether the row is a group.
func (r *Row) IsGroup() bool { return r.Rows != nil }

// MaxGroupDepth is how deep groups may nest.
const MaxGroupDepth = 4

// Budget units and their scales.
var Units = map[string]decimal.Decimal{
	"kr.":       decimal.NewFromInt(1),
	"1.000 kr.": decimal.NewFromInt(1_000),
	"mio. kr.":  decimal.NewFromInt(1_000_000),
}

const (
	maxCellText = 32_767 // characters in one spreadsheet cell
	maxColumns  = 50
	maxRows     = 1_000_000
	maxDecimals = 4
)

// maxAmount keeps amounts within the 15 significant digits a spreadsheet
// cell holds exactly.
var maxAmount = decimal.New(1, 15)

var (
	keyPattern = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)
	keyPrefix  = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*`)
)

// Validate checks every rule and reports every problem at once.
func (b *Budget) Validate() error {
	var p problems
	for i, byKey := range b.validateHead(&p) {
		b.Tables[i].validateRows(&p, at("tables", i), byKey)
	}
	return p.err()
}

// validateHead checks everything but the tables' rows; it returns each
// table's columns by key.
func (b *Budget) validateHead(p *problems) []map[string]*Column {
	required(p, "title", b.Title)
	short(p, "municipality", b.Municipality)
	oneOf(p, "language", &b.Language, "da", "da", "en")
	if len(b.Tables) == 0 {
		p.add("tables", "at least one table is required")
	}
	limit(p, "tables", len(b.Tables), maxListLength)
	cols := make([]map[string]*Column, len(b.Tables))
	for i := range b.Tables {
		cols[i] = b.Tables[i].validateHead(p, at("tables", i))
	}
	return cols
}

func (t *BudgetTable) validate(p *problems, path string) {
	t.validateRows(p, path, t.validateHead(p, path))
}

func (t *BudgetTable) validateHead(p *problems, path string) map[string]*Column {
	required(p, dot(path, "title"), t.Title)
	if t.Sheet != "" {
		switch units := len(utf16.Encode([]rune(t.Sheet))); {
		case units > 31:
			p.add(dot(path, "sheet"), "is %d characters long (UTF-16 units); a sheet name holds at most 31", units)
		case strings.ContainsAny(t.Sheet, `[]:*?/\`):
			p.add(dot(path, "sheet"), "has one of []:*?/\\, which a sheet name cannot hold")
		case strings.HasPrefix(t.Sheet, "'") || strings.HasSuffix(t.Sheet, "'") || strings.TrimSpace(t.Sheet) == "" || strings.EqualFold(t.Sheet, "History"):
			p.add(dot(path, "sheet"), "%q cannot be a sheet name (blank, an apostrophe at either end, or History)", t.Sheet)
		}
	}
	oneOf(p, dot(path, "unit"), &t.Unit, "kr.", "kr.", "1.000 kr.", "mio. kr.")
	if t.Decimals < 0 || t.Decimals > maxDecimals {
		p.add(dot(path, "decimals"), "must be between 0 and %d, not %d", maxDecimals, t.Decimals)
	}
	for _, f := range []struct{ name, v string }{{"total_label", t.TotalLabel}, {"budget_label", t.BudgetLabel},
		{"over_label", t.OverLabel}, {"under_label", t.UnderLabel}, {"legend", t.Legend}} {
		short(p, dot(path, f.name), f.v)
	}
	limit(p, dot(path, "notes"), len(t.Notes), maxListLength)
	for i, n := range t.Notes {
		// a note is one cell of the workbook, which holds 32,767 characters
		if l := utf8.RuneCountInString(n); l > maxCellText {
			p.add(at(dot(path, "notes"), i), "is %d characters long; a spreadsheet cell holds at most %d", l, maxCellText)
		}
	}

	byKey, inputs := t.validateColumns(p, dot(path, "columns"))
	t.validateCharts(p, dot(path, "charts"), byKey)
	if t.Budget != nil {
		if inputs != 1 || len(t.Columns) != 1 {
			p.add(dot(path, "budget"), "a budget frame needs a table with exactly one column, which is not computed")
		}
		amount(p, dot(path, "budget"), *t.Budget)
	}
	return byKey
}

func (t *BudgetTable) validateRows(p *problems, path string, byKey map[string]*Column) {
	rows := dot(path, "rows")
	if len(t.Rows) == 0 {
		p.add(rows, "at least one row is required")
	}
	count := 0
	for i := range t.Rows {
		t.Rows[i].validate(p, at(rows, i), byKey, 1, &count)
	}
	if count > maxRows {
		p.add(rows, "has %d rows in all; at most %d are allowed", count, maxRows)
	}
	for i, c := range t.Charts {
		if n := t.ChartCategories(c.By); n > MaxChartCategories {
			p.add(dot(at(dot(path, "charts"), i), "by"), "a chart of the table's %ss would show %d; at most %d", c.By, n, MaxChartCategories)
		}
	}
}

// validateColumns checks the columns and their formulas; it returns the
// columns by key and how many are input columns.
func (t *BudgetTable) validateColumns(p *problems, cols string) (map[string]*Column, int) {
	if len(t.Columns) == 0 {
		p.add(cols, "at least one column is required")
	}
	limit(p, cols, len(t.Columns), maxColumns)
	byKey := map[string]*Column{}
	for i := range t.Columns {
		c := &t.Columns[i]
		cp := at(cols, i)
		required(p, dot(cp, "label"), c.Label)
		switch {
		case c.Key == "":
			p.add(dot(cp, "key"), "is required")
		case !keyPattern.MatchString(c.Key):
			p.add(dot(cp, "key"), "must be letters, digits and _ (not starting with a digit), not %q", c.Key)
		case byKey[c.Key] != nil:
			p.add(dot(cp, "key"), "%q is used by an earlier column", c.Key)
		default:
			byKey[c.Key] = c
		}
	}
	inputs := 0
	for i := range t.Columns {
		c := &t.Columns[i]
		if !c.Computed() {
			if !c.IsStatus() {
				inputs++
			}
			continue
		}
		short(p, dot(at(cols, i), "formula"), c.Formula) // so a cell's formula stays far below Excel's 8,192 characters
		terms, den, err := parseRatio(c.Formula)
		if err != nil {
			p.add(dot(at(cols, i), "formula"), "%s", err)
			continue
		}
		for _, term := range append(append([]Term(nil), terms...), den...) {
			if byKey[term.Key] == nil {
				p.add(dot(at(cols, i), "formula"), "%q is not the key of a column", term.Key)
			}
		}
		c.Terms, c.Den = terms, den
	}
	for i := range t.Columns {
		c := &t.Columns[i]
		oneOf(p, dot(at(cols, i), "format"), &c.Format, "", "", FormatPercent, FormatStatus)
		validateStatus(p, at(cols, i), c, byKey)
		switch {
		case c.IsStatus():
		case c.Percent() && !c.Computed():
			p.add(dot(at(cols, i), "format"), "a percent column is computed: give it a ratio formula, e.g. \"actual / budget\"")
		case c.Percent() && c.Den == nil && c.Terms != nil:
			p.add(dot(at(cols, i), "formula"), "a percent column needs a ratio, e.g. \"actual / budget\", not %q", c.Formula)
		case !c.Percent() && c.Den != nil:
			p.add(dot(at(cols, i), "format"), "a ratio is shown as a percent: give \"format\": \"percent\"")
		}
	}
	if cycle := formulaCycle(t.Columns, byKey); cycle != "" {
		p.add(cols, "the formulas refer to each other in a circle: %s", cycle)
	}
	if inputs == 0 && len(t.Columns) > 0 {
		p.add(cols, "at least one column must be an input column (without a formula)")
	}
	return byKey, inputs
}

func (r *Row) validate(p *problems, path string, cols map[string]*Column, depth int, count *int) {
	*count++
	required(p, dot(path, "label"), r.Label)
	short(p, dot(path, "note"), r.Note)
	if r.IsGroup() {
		if depth > MaxGroupDepth {
			p.add(path, "groups are nested more than %d deep", MaxGroupDepth)
			return
		}
		if len(r.Values) > 0 || len(r.Marks) > 0 {
			p.add(dot(path, "values"), "a group has no values of its own (its subtotal is computed); put them in a row inside it")
		}
		if len(r.Rows) == 0 {
			p.add(dot(path, "rows"), "a group needs at least one row")
		}
		for i := range r.Rows {
			r.Rows[i].validate(p, at(dot(path, "rows"), i), cols, depth+1, count)
		}
		return
	}
	for key, m := range r.Marks {
		switch c := cols[key]; {
		case c == nil || !c.IsStatus() || c.Status != nil:
			p.add(dot(dot(path, "marks"), key), "is not a status column without a rule (its marks are given by the rows)")
		case statusOf(m) < 0:
			p.add(dot(dot(path, "marks"), key), "must be \"green\", \"yellow\" or \"red\", not %q", m)
		}
	}
	seen := map[string]bool{}
	for _, a := range r.Values {
		key, v := a.Key, a.Value()
		if seen[key] {
			p.add(dot(dot(path, "values"), key), "is given twice")
			continue
		}
		seen[key] = true
		c := cols[key]
		switch {
		case c == nil:
			p.add(dot(dot(path, "values"), key), "is not the key of a column")
		case c.Computed():
			p.add(dot(dot(path, "values"), key), "is a computed column (%s); its values are not given", c.Formula)
		case c.IsStatus():
			p.add(dot(dot(path, "values"), key), "is a status column; its marks come from its rule")
		default:
			amount(p, dot(dot(path, "values"), key), v)
		}
	}
}

func amount(p *problems, path string, v decimal.Decimal) {
	switch {
	case v.Abs().GreaterThanOrEqual(maxAmount):
		p.add(path, "is too large: amounts must be below 1.000.000.000.000.000 kr.")
	case significantDigits(v) > maxSignificant:
		// a spreadsheet cell holds 15 digits; more would be rounded in
		// the workbook while the PDF printed them all
		p.add(path, "has %d significant digits; at most %d are kept exactly in a spreadsheet", significantDigits(v), maxSignificant)
	case !v.Truncate(maxAmountDecimals).Equal(v):
		// a thousandth of an øre is finer than any budget; far finer
		// amounts would only make every sum a huge number
		p.add(path, "has more than %d decimals", maxAmountDecimals)
	}
}

// maxAmountDecimals is the finest amount accepted.
const maxAmountDecimals = 6

// maxSignificant is the number of digits a spreadsheet cell (an IEEE
// double) keeps exactly.
const maxSignificant = 15

// significantDigits counts v's digits from the first to the last that is
// not zero: 1200 has 2, 0.0012 has 2, 123456789012.07 has 14.
func significantDigits(v decimal.Decimal) int {
	c := v.Coefficient()
	if c.Sign() == 0 {
		return 0
	}
	s := strings.TrimRight(strings.TrimPrefix(c.String(), "-"), "0")
	return len(s)
}

// validateCharts checks a table's charts: a kind, what the categories
// are, and amount columns that exist; how many categories there are is
// checked with the rows (validateChartSize).
func (t *BudgetTable) validateCharts(p *problems, path string, byKey map[string]*Column) {
	limit(p, path, len(t.Charts), 10)
	for i := range t.Charts {
		c := &t.Charts[i]
		cp := at(path, i)
		required(p, dot(cp, "title"), c.Title)
		oneOf(p, dot(cp, "kind"), &c.Kind, ChartColumn, ChartColumn, ChartBar, ChartLine)
		oneOf(p, dot(cp, "by"), &c.By, ByRow, ByRow, ByGroup)
		if c.Stacked && c.Kind == ChartLine {
			p.add(dot(cp, "stacked"), "a line chart is not stacked")
		}
		if len(c.Columns) == 0 || len(c.Columns) > 6 {
			p.add(dot(cp, "columns"), "names %d columns; a chart shows 1 to 6", len(c.Columns))
		}
		for j, k := range c.Columns {
			switch col := byKey[k]; {
			case col == nil:
				p.add(at(dot(cp, "columns"), j), "%q is not the key of a column", k)
			case col.Percent() || col.IsStatus():
				p.add(at(dot(cp, "columns"), j), "%q is not a column of amounts", k)
			}
		}
	}
}

// ChartCategories counts what a chart of the table would show: its lines,
// or its top-level groups.
func (t *BudgetTable) ChartCategories(by string) int {
	if by == ByGroup {
		n := 0
		for i := range t.Rows {
			if t.Rows[i].IsGroup() {
				n++
			}
		}
		return n
	}
	n := 0
	for i := range t.Rows {
		n += t.Rows[i].lines()
	}
	return n
}

// lines counts the lines a row is or holds.
func (r *Row) lines() int {
	if !r.IsGroup() {
		return 1
	}
	n := 0
	for i := range r.Rows {
		n += r.Rows[i].lines()
	}
	return n
}

// validateStatus checks a status column: its rule, over an existing
// column that is not itself a status, with yellow at most green; no
// formula of its own.
func validateStatus(p *problems, path string, c *Column, byKey map[string]*Column) {
	switch {
	case !c.IsStatus() && c.Status != nil:
		p.add(dot(path, "format"), "a column with a status rule is a status column: give \"format\": \"status\"")
	case c.IsStatus() && c.Computed():
		p.add(dot(path, "formula"), "a status column is computed from its rule, not a formula")
	case c.IsStatus() && c.Status != nil:
		of := byKey[c.Status.Of]
		if of == nil {
			p.add(dot(path, "status.of"), "%q is not the key of a column", c.Status.Of)
		} else if of.IsStatus() {
			p.add(dot(path, "status.of"), "%q is a status column itself", c.Status.Of)
		}
		if c.Status.Yellow.GreaterThan(c.Status.Green) {
			p.add(dot(path, "status.yellow"), "is above green (%s)", c.Status.Green)
		}
	}
}

// parseRatio reads a formula: a sum ("a + b - c"), or a ratio of two
// ("actual / budget", "(actual - budget) / budget"; a side of more than
// one term in parentheses, so the division's reach is never in doubt).
func parseRatio(f string) (num, den []Term, err error) {
	n, d, ratio := strings.Cut(f, "/")
	if !ratio {
		num, err = parseFormula(f)
		return num, nil, err
	}
	if strings.Contains(d, "/") {
		return nil, nil, msgf("%q divides more than once", f)
	}
	side := func(s string) ([]Term, error) {
		s = strings.TrimSpace(s)
		inner, wrapped := strings.CutPrefix(s, "(")
		if wrapped {
			if inner, wrapped = strings.CutSuffix(inner, ")"); !wrapped {
				return nil, msgf("%q: a parenthesis is not closed", f)
			}
			s = inner
		}
		if strings.ContainsAny(s, "()") {
			return nil, msgf("%q: only one pair of parentheses a side", f)
		}
		terms, err := parseFormula(s)
		if err == nil && len(terms) > 1 && !wrapped {
			return nil, msgf("%q: put a side of more terms than one in parentheses", f)
		}
		return terms, err
	}
	if num, err = side(n); err != nil {
		return nil, nil, err
	}
	if den, err = side(d); err != nil {
		return nil, nil, err
	}
	return num, den, nil
}

// parseFormula reads "a + b - c": column keys joined by + and -.
func parseFormula(f string) ([]Term, error) {
	var terms []Term
	s := strings.TrimSpace(f)
	neg := false
	expectKey := true
	for s != "" {
		switch {
		case expectKey && (s[0] == '+' || s[0] == '-'):
			if len(terms) == 0 && s[0] == '-' {
				neg = true
			} else if len(terms) == 0 {
				neg = false
			} else {
				return nil, fmt.Errorf("%q has two signs in a row", f)
			}
			s = strings.TrimSpace(s[1:])
		case expectKey:
			m := keyPrefix.FindString(s)
			if m == "" {
				return nil, fmt.Errorf("%q: expected a column key at %q (only keys, + and - are allowed)", f, s)
			}
			terms = append(terms, Term{Negative: neg, Key: m})
			s = strings.TrimSpace(s[len(m):])
			expectKey = false
		case s[0] == '+' || s[0] == '-':
			neg = s[0] == '-'
			s = strings.TrimSpace(s[1:])
			expectKey = true
		default:
			return nil, fmt.Errorf("%q: expected + or - at %q", f, s)
		}
	}
	if len(terms) == 0 {
		return nil, fmt.Errorf("%q has no column keys", f)
	}
	if expectKey {
		return nil, fmt.Errorf("%q ends with a sign", f)
	}
	return terms, nil
}

// formulaCycle returns a description of a circular reference, or "".
func formulaCycle(cols []Column, byKey map[string]*Column) string {
	const (
		unseen = iota
		active
		done
	)
	state := map[string]int{}
	var stack []string
	var visit func(key string) string
	visit = func(key string) string {
		switch state[key] {
		case active:
			i := len(stack) - 1
			for i > 0 && stack[i] != key {
				i--
			}
			return strings.Join(append(append([]string{}, stack[i:]...), key), " -> ")
		case done:
			return ""
		}
		state[key] = active
		stack = append(stack, key)
		if c := byKey[key]; c != nil {
			for _, t := range c.Refs() {
				if s := visit(t.Key); s != "" {
					return s
				}
			}
		}
		stack = stack[:len(stack)-1]
		state[key] = done
		return ""
	}
	for _, c := range cols {
		if s := visit(c.Key); s != "" {
			return s
		}
	}
	return ""
}
