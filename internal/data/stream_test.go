package data

import (
	"fmt"
	"iter"
	"reflect"
	"slices"
	"strings"
	"testing"

	"protokol/examples"
)

func TestTableRowsReadWhatWasValidated(t *testing.T) {
	// escaped keys and nested strings with brackets must not confuse it
	body := []byte("\xEF\xBB\xBF" + ` { "title" : "B", "tables" : [ {"title":"[x]","columns":[{"key":"a","label":"A"}],"rows":[{"label":"skjult","values":{"a":1}}]},
	  {"title":"T \"}]","columns":[{"key":"a","label":"A"}],
	   "\u0072ows" : [ {"label":"g]{","rows":[{"label":"x","values":{"a":"2.5"}}]} , {"label":"y","values":{"a":-1}} ] } ] } `)
	b, err := DecodeBudget(body)
	if err != nil {
		t.Fatal(err)
	}
	var labels []string
	for r, err := range TableRows(body, 1) {
		if err != nil {
			t.Fatal(err)
		}
		labels = append(labels, r.Label)
	}
	if len(labels) != 2 || labels[0] != "g]{" || labels[1] != "y" || len(b.Tables[1].Rows) != 2 || b.Tables[1].Rows[0].Label != "g]{" {
		t.Fatalf("streamed %q, decoded %+v", labels, b.Tables[1].Rows)
	}
	err = nil
	for r, e := range TableRows(body, 2) {
		if r != nil {
			t.Fatal("no third table")
		}
		err = e
	}
	if err == nil {
		t.Error("a missing table must be an error")
	}
}

// TestDecodeBudgetRowsAgreesWithDecodeBudget: reading the rows one by one
// gives the budget and rows DecodeBudget gives, and on a bad document the
// very same problems.
func TestDecodeBudgetRowsAgreesWithDecodeBudget(t *testing.T) {
	valid := []string{
		string(examples.Read(examples.Budget)),
		` { "title" : "B", "tables" : [ {"title":"[x]","columns":[{"key":"a","label":"A"}],"rows":[{"label":"skjult","values":{"a":1}}]},
		  {"title":"T \"}]","columns":[{"key":"a","label":"A"}],"budget":10,
		   "\u0072ows" : [ {"label":"g]{","rows":[{"label":"x","values":{"a":"2.5"}}]} , {"label":"y","values":{"a":-1}} ] } ] } `,
	}
	for _, body := range valid {
		want, err := DecodeBudget([]byte(body))
		if err != nil {
			t.Fatal(err)
		}
		var rows [][]Row
		got, err := DecodeBudgetRows([]byte(body), func(b *Budget, table int, r *Row) {
			for len(rows) <= table {
				rows = append(rows, nil)
			}
			rows[table] = append(rows[table], *r)
		})
		if err != nil {
			t.Fatal(err)
		}
		for i := range want.Tables {
			if !reflect.DeepEqual(rows[i], want.Tables[i].Rows) {
				t.Errorf("table %d: rows read one by one differ from those decoded whole", i)
			}
			want.Tables[i].Rows = nil
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("the budget differs:\n%+v\n%+v", got, want)
		}
	}
	bad := []string{
		`{"title":"B","tables":[{"title":"T","columns":[{"key":"a","label":"A"}],"rows":[{"label":"x","values":{"a":"1e999"}}]}]}`,
		`{"title":"B","tables":[{"title":"T","columns":[{"key":"a","label":"A"}],"rows":[{"label":"x","values":{"b":1}},{"label":"","values":{"a":1}}]}]}`,
		`{"title":"B","tables":[{"title":"T","columns":[{"key":"a","label":"A"}],"rows":[]}]}`,
		`{"title":"B","tables":[{"title":"T","columns":[{"key":"a","label":"A"}]}]}`,
		`{"title":"B","tables":[{"title":"T","columns":[{"key":"a","label":"A"}],"rows":[{"label":"x","Values":{"a":1}}]}]}`,
		`{"title":"B","tables":[{"title":"T","columns":[{"key":"a","label":"A"}],"rows":[{"label":"x","values":{"a":1}}],"rows":[]}]}`,
		`{"title":"","tables":[{"title":"T","columns":[{"key":"1a","label":"A"}],"rows":[{"label":"x","values":{"1a":1}}]}]}`,
		`{"title":"B","tables":[{"title":"T","columns":[{"key":"a","label":"A"}],"rows":[{"label":"g","rows":[{"label":"h","rows":[{"label":"i","rows":[{"label":"j","rows":[{"label":"k","rows":[{"label":"l","values":{"a":1}}]}]}]}]}]}]}]}`,
		`{"title":"B","tables":[{"title":"T","columns":[{"key":"a","label":"A"}],"rows":[{"label":"x","values":{"a":1}}]}]`,
	}
	for _, body := range bad {
		_, want := DecodeBudget([]byte(body))
		_, got := DecodeBudgetRows([]byte(body), func(*Budget, int, *Row) {})
		if want == nil || got == nil || got.Error() != want.Error() {
			t.Errorf("%s:\n got  %v\n want %v", body, got, want)
		}
	}
}

// TestTablesRowsReadsAsTableRows: the one-pass reader gives every table
// the rows TableRows gives it, whether a table is read to its end or
// left early, its rows come first or last, or tables are asked for out
// of order.
func TestTablesRowsReadsAsTableRows(t *testing.T) {
	body := []byte(` {"title":"B","tables":[
	  {"rows":[{"label":"a1","values":{"a":1}},{"label":"a2","values":{"a":2}}],"title":"A","columns":[{"key":"a","label":"A"}]},
	  {"title":"B \"]}","columns":[{"key":"a","label":"A"}],"\u0072ows":[{"label":"b1","rows":[{"label":"b1.1","values":{"a":3}}]}],"notes":["[x]"]},
	  {"title":"C","columns":[{"key":"a","label":"A"}],"rows":[{"label":"c1","values":{"a":4}},{"label":"c2","values":{"a":5}}]}]} `)
	labels := func(seq iter.Seq2[*Row, error], most int) []string {
		var out []string
		for r, err := range seq {
			if err != nil {
				out = append(out, "error: "+err.Error())
				break
			}
			if out = append(out, r.Label); len(out) == most {
				break
			}
		}
		return out
	}
	for _, c := range []struct {
		name  string
		order []int
		most  int // rows taken from each table (0: all)
	}{{"in order, whole", []int{0, 1, 2}, 0}, {"in order, left early", []int{0, 1, 2}, 1}, {"out of order", []int{2, 0, 1, 0}, 0}, {"past the end", []int{0, 1, 2, 3}, 0}} {
		tables := TablesRows(body)
		for _, i := range c.order {
			got, want := labels(tables(i), c.most), labels(TableRows(body, i), c.most)
			if !slices.Equal(got, want) || len(want) == 0 {
				t.Errorf("%s: table %d: %q, want %q", c.name, i, got, want)
			}
		}
	}
}

// The workbook asks for every table's rows before it reads any: read in
// order, they still come in one pass over the body, not a pass from the
// start for each table (a thousand tables took seconds so). A pass per
// table makes a decoder per table, which the allocations show.
func TestTablesRowsAskedAheadReadInOnePass(t *testing.T) {
	var b strings.Builder
	b.WriteString(`{"title":"B","tables":[`)
	for i := range 200 {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"title":"T%d","columns":[{"key":"a","label":"A"}],"rows":[{"label":"r","values":{"a":1}}]}`, i)
	}
	b.WriteString(`]}`)
	body := []byte(b.String())
	read := func(ahead bool) {
		rows := TablesRows(body)
		var seqs []iter.Seq2[*Row, error]
		for i := range 200 {
			if ahead {
				seqs = append(seqs, rows(i))
				continue
			}
			for _, err := range rows(i) {
				if err != nil {
					t.Fatal(err)
				}
			}
		}
		for _, seq := range seqs {
			for _, err := range seq {
				if err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	oneByOne, ahead := testing.AllocsPerRun(3, func() { read(false) }), testing.AllocsPerRun(3, func() { read(true) })
	if ahead > oneByOne+float64(200*2) { // the closures asked for ahead, and nothing more
		t.Errorf("asked for ahead: %.0f allocations, one by one %.0f: a pass per table", ahead, oneByOne)
	}
}
