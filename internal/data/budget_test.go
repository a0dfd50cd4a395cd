package data

import (
	"fmt"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
)

func TestBudgetValidation(t *testing.T) {
	tests := []struct {
		name   string
		json   string
		fields []string
	}{
		{"empty", `{}`, []string{"title", "tables"}},
		{"table rules", `{"title":"B","tables":[{"title":"","unit":"kroner","decimals":7,"columns":[],"rows":[]}]}`,
			[]string{"tables[0].title", "tables[0].unit", "tables[0].decimals", "tables[0].columns", "tables[0].rows"}},
		{"columns and formulas", `{"title":"B","tables":[{"title":"T","columns":[
			{"key":"a","label":"A"},{"key":"a","label":"A2"},{"key":"1x","label":"X"},
			{"key":"d","label":"D","formula":"a - nope"},{"key":"e","label":"E","formula":"a * 2"},
			{"key":"f","label":"F","formula":"g + a"},{"key":"g","label":"G","formula":"f - a"}],
			"rows":[{"label":"r","values":{"a":1,"d":2,"zz":3}}]}]}`,
			[]string{"tables[0].columns[1].key", "tables[0].columns[2].key", "tables[0].columns[3].formula", "tables[0].columns[4].formula",
				"tables[0].columns", "tables[0].rows[0].values.d", "tables[0].rows[0].values.zz"}},
		{"groups", `{"title":"B","tables":[{"title":"T","columns":[{"key":"a","label":"A"}],"rows":[
			{"label":"g","rows":[]},
			{"label":"g2","values":{"a":1},"rows":[{"label":"x"}]},
			{"label":"1","rows":[{"label":"2","rows":[{"label":"3","rows":[{"label":"4","rows":[{"label":"5","rows":[{"label":"x"}]}]}]}]}]}]}]}`,
			[]string{"tables[0].rows[0].rows", "tables[0].rows[1].values", "tables[0].rows[2].rows[0].rows[0].rows[0].rows[0]"}},
		{"budget needs one column", `{"title":"B","tables":[{"title":"T","budget":5,"columns":[{"key":"a","label":"A"},{"key":"b","label":"B"}],"rows":[{"label":"x"}]}]}`,
			[]string{"tables[0].budget"}},
		{"too large", `{"title":"B","tables":[{"title":"T","columns":[{"key":"a","label":"A"}],"rows":[{"label":"x","values":{"a":1e15}}]}]}`,
			[]string{"tables[0].rows[0].values.a"}},
		{"too fine", `{"title":"B","tables":[{"title":"T","columns":[{"key":"a","label":"A"}],"rows":[{"label":"x","values":{"a":1e-9}},{"label":"y","values":{"a":"0.1000000000"}}]}]}`,
			[]string{"tables[0].rows[0].values.a"}},
		{"amount as text", `{"title":"B","tables":[{"title":"T","columns":[{"key":"a","label":"A"}],"rows":[{"label":"x","values":{"a":"12 kr"}}]}]}`,
			[]string{"tables[0].rows[0].values.a"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := DecodeBudget([]byte(tt.json))
			fields, _ := fieldsOf(t, err)
			wantFields(t, err, fields, tt.fields)
		})
	}
}

func TestFormulaCycleIsNamed(t *testing.T) {
	_, err := DecodeBudget([]byte(`{"title":"B","tables":[{"title":"T","columns":[{"key":"a","label":"A"},{"key":"f","label":"F","formula":"g + a"},{"key":"g","label":"G","formula":"f - a"}],"rows":[{"label":"x"}]}]}`))
	if err == nil || !strings.Contains(err.Error(), "f -> g -> f") {
		t.Fatalf("cycle not described: %v", err)
	}
}

// walk computes a table and returns its rows.
func walk(t *testing.T, js string) []CalcRow {
	t.Helper()
	b, err := DecodeBudget([]byte(js))
	if err != nil {
		t.Fatal(err)
	}
	var rows []CalcRow
	if err := b.Tables[0].Walk(TableLabels{}, func(r *CalcRow) error {
		c := *r
		c.Values = append([]decimal.Decimal(nil), r.Values...)
		rows = append(rows, c)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return rows
}

func TestExactSums(t *testing.T) {
	rows := walk(t, `{"title":"B","tables":[{"title":"T","columns":[{"key":"a","label":"A"}],"rows":[
		{"label":"x","values":{"a":0.1}},{"label":"y","values":{"a":0.2}},{"label":"z","values":{"a":123456789012.07}}]}]}`)
	total := rows[len(rows)-1]
	if total.Kind != TotalRow || total.Values[0].String() != "123456789012.37" {
		t.Fatalf("total = %v (%v)", total.Values[0], total.Kind)
	}
}

func TestNestedGroupsAndComputedColumns(t *testing.T) {
	rows := walk(t, `{"title":"B","tables":[{"title":"T","columns":[
		{"key":"budget","label":"Budget"},{"key":"spent","label":"Forbrug"},{"key":"diff","label":"Afvigelse","formula":"budget - spent"}],
		"rows":[
		  {"label":"A","rows":[
		    {"label":"A1","values":{"budget":100,"spent":40}},
		    {"label":"AA","rows":[{"label":"AA1","values":{"budget":10.5,"spent":20}}]}]},
		  {"label":"B1","values":{"budget":1,"spent":0.25}}]}]}`)
	var got []string
	for _, r := range rows {
		if r.Kind == GroupRow {
			got = append(got, r.Label)
			continue
		}
		got = append(got, r.Label+"="+r.Values[0].String()+"/"+r.Values[1].String()+"/"+r.Values[2].String())
	}
	want := []string{"A", "A1=100/40/60", "AA", "AA1=10.5/20/-9.5", "AA=10.5/20/-9.5", "A=110.5/60/50.5", "B1=1/0.25/0.75", "=111.5/60.25/51.25"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("rows:\n got %v\nwant %v", got, want)
	}
	// the subtotal of A sums rows From..Index-1: A1, AA's heading, AA1, AA's subtotal
	a := rows[5]
	if a.Kind != SubtotalRow || a.From != 1 || a.Index != 5 {
		t.Errorf("subtotal A spans %d..%d", a.From, a.Index-1)
	}
}

func TestBudgetDifference(t *testing.T) {
	b, err := DecodeBudget(fixture(t, "aalborg-aktiveringsramme-2016.budget.json"))
	if err != nil {
		t.Fatal(err)
	}
	tb := &b.Tables[1]
	var last []CalcRow
	_ = tb.Walk(TableLabels{Total: "I alt", Budget: "Budget", Over: "Overdisponering", Under: "Ikke disponeret"}, func(r *CalcRow) error {
		if r.Kind >= TotalRow {
			last = append(last, CalcRow{Kind: r.Kind, Label: r.Label, Values: append([]decimal.Decimal(nil), r.Values...), Over: r.Over})
		}
		return nil
	})
	if len(last) != 3 || last[0].Values[0].String() != "295875000" || last[1].Values[0].String() != "292100000" ||
		last[2].Values[0].String() != "3775000" || !last[2].Over || last[2].Label != "Overdisponering" {
		t.Fatalf("total/budget/difference = %+v", last)
	}
}

// One bad value must not hide the other problems of a budget.
func TestBudgetReportsEveryProblem(t *testing.T) {
	body := `{"title":"B","tables":[{"title":"T","unit":"kroner","decimals":9,
		"columns":[{"key":"a","label":"A"},{"key":"c","label":"C","formula":"a * 2"}],
		"rows":[{"label":"x","values":{"a":"12 kr"}},{"label":"y","values":{"zz":1}},{"label":"","values":{"a":true}}],
		"colour":"red"}]}`
	_, err := DecodeBudget([]byte(body))
	fields, syntax := fieldsOf(t, err)
	if syntax {
		t.Fatalf("reported as malformed: %v", err)
	}
	wantFields(t, err, fields, []string{"tables[0].unit", "tables[0].decimals", "tables[0].columns[1].formula",
		"tables[0].rows[0].values.a", "tables[0].rows[1].values.zz", "tables[0].rows[2].label", "tables[0].rows[2].values.a", "tables[0].colour"})
}

// Amounts whose text alone would make decimal arithmetic slow are refused
// before they are parsed; those a spreadsheet cannot hold exactly too.
func TestAmountBounds(t *testing.T) {
	bad := map[string]string{
		"a million zeros":      `"0.` + strings.Repeat("0", 1_000_000) + `"`,
		"a long number":        "0." + strings.Repeat("0", 100) + "1",
		"huge exponent":        "1e999999",
		"tiny exponent":        "1e-999999",
		"16 digits":            "1234567890.123456",
		"16 digits as integer": "123456789012345.6",
	}
	for name, v := range bad {
		t.Run(name, func(t *testing.T) {
			for _, where := range []string{`"values":{"a":%s}`, `"values":{"a":1}},{"label":"z","values":{"a":1}}],"budget":%s,"x":[{`} {
				body := `{"title":"B","tables":[{"title":"T","columns":[{"key":"a","label":"A"}],"rows":[{"label":"y",` + fmt.Sprintf(where, v) + `}]}]}`
				body = strings.Replace(body, `,"x":[{}]`, "", 1)
				_, err := DecodeBudget([]byte(body))
				fields, _ := fieldsOf(t, err)
				if len(fields) != 1 {
					t.Errorf("%s: want one problem, got %v", where, err)
				}
			}
		})
	}
	// escapes in keys and numeric strings are read as JSON means them
	b, err := DecodeBudget([]byte(`{"title":"B","tables":[{"title":"T","columns":[{"key":"a","label":"A"}],"rows":[{"label":"y","values":{"\u0061":"\u0031\u0032"}}]}]}`))
	if err != nil {
		t.Fatal(err)
	}
	if v, ok := b.Tables[0].Rows[0].Values.Get("a"); !ok || v.String() != "12" {
		t.Errorf("escaped amount read as %v, %v", v, ok)
	}
}

// What a workbook cannot hold exactly is refused, so the workbook and the
// PDF never disagree: a note longer than a cell, a formula past its limit.
func TestWorkbookLimits(t *testing.T) {
	long := strings.Repeat("x", 32_768)
	formula := strings.TrimSuffix(strings.Repeat("a + ", 200), " + ")
	body := `{"title":"B","tables":[{"title":"T","notes":["kort","` + long + `"],"columns":[{"key":"a","label":"A"},{"key":"f","label":"F","formula":"` + formula + `"}],"rows":[{"label":"x","values":{"a":1}}]}]}`
	_, err := DecodeBudget([]byte(body))
	fields, _ := fieldsOf(t, err)
	wantFields(t, err, fields, []string{"tables[0].notes[1]", "tables[0].columns[1].formula"})
}
