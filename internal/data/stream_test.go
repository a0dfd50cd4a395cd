package data

import (
	"testing"
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
