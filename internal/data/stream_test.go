package data

import (
	"testing"
)

func TestTableRowsReadWhatWasValidated(t *testing.T) {
	// a second "rows" key wins in encoding/json; the stream must agree, and
	// escaped keys and nested strings with brackets must not confuse it
	body := []byte(` { "title" : "B", "tables" : [ {"title":"[x]","columns":[{"key":"a","label":"A"}],"rows":[{"label":"skjult","values":{"a":1}}]},
	  {"title":"T \"}]","columns":[{"key":"a","label":"A"}],"rows":[{"label":"first"}],
	   "\u0072ows" : [ {"label":"g]{","rows":[{"label":"x","values":{"a":"2.5"}}]} , {"label":"y","values":{"a":-1}} ] } ] } `)
	b, err := DecodeBudget(body)
	if err != nil {
		t.Fatal(err)
	}
	seq, errp := TableRows(body, 1)
	var labels []string
	for r := range seq {
		labels = append(labels, r.Label)
	}
	if *errp != nil {
		t.Fatal(*errp)
	}
	if len(labels) != 2 || labels[0] != "g]{" || labels[1] != "y" || len(b.Tables[1].Rows) != 2 || b.Tables[1].Rows[0].Label != "g]{" {
		t.Fatalf("streamed %q, decoded %+v", labels, b.Tables[1].Rows)
	}
	seq, errp = TableRows(body, 2)
	for range seq {
		t.Fatal("no third table")
	}
	if *errp == nil {
		t.Error("a missing table must be an error")
	}
}
