package data

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
)

// Documents that parse but make no sense are refused, each problem at
// its field, in the document's order, with a hint where one helps.
func TestMeetingsThatMakeNoSense(t *testing.T) {
	people := `"participants":[{"name":"Anne Marie Lund","party":"A","role":"chair"},{"name":"Per Clausen","party":"Ø","role":"chair"},` +
		`{"name":"Ib Holm","role":"vice_chair"},{"name":"Mads Bech","role":"vice_chair"},` +
		`{"name":"Lis Due","attendance":"apologies"},{"name":"Bo Krag","attendance":"absent"}]`
	items := `"items":[{"number":"1","title":"T","absent":["Ukendt Person","Per Clausn"],` +
		`"dissents":[{"by":["Lis Due","Bo Krag","Ib Holm","Anne Marie Lnd"],"text":"x"}]},` +
		`{"number":"2","title":"U","absent":["Ib Holm"],"dissents":[{"by":["Ib Holm"],"text":"y"}]}]`
	doc := strings.Replace(validMeeting, `"items":[{"number":"1","title":"Godkendelse af dagsorden"}]`, people+","+items, 1)
	_, err := DecodeMeeting([]byte(doc))
	fields, _ := fieldsOf(t, err)
	for field, want := range map[string]string{
		"participants[1].role":       `Per Clausen is a second chair: Anne Marie Lund (participants[0]) is one already`,
		"participants[3].role":       `a second vice_chair`,
		"items[0].absent[0]":         `"Ukendt Person" is not the name of a participant`,
		"items[0].absent[1]":         `(did you mean "Per Clausen"?)`,
		"items[0].dissents[0].by[0]": `was not at the meeting (attendance "apologies")`,
		"items[0].dissents[0].by[1]": `was not at the meeting (attendance "absent")`,
		"items[0].dissents[0].by[3]": `(did you mean "Anne Marie Lund"?)`,
		"items[1].dissents[0].by[0]": `is absent from this item`,
	} {
		if !strings.Contains(fields[field], want) {
			t.Errorf("%s: %q, want …%s…", field, fields[field], want)
		}
	}
	if _, ok := fields["items[0].dissents[0].by[2]"]; ok {
		t.Error("a vice chair present makes a statement: no problem")
	}
	var ve *ValidationError
	_ = asValidation(err, &ve)
	paths := make([]string, len(ve.Errors))
	for i, e := range ve.Errors {
		paths[i] = e.Field
	}
	if !slices.IsSortedFunc(paths, comparePaths) || paths[0] != "items[0].absent[0]" {
		t.Errorf("problems are not in the document's order: %v", paths)
	}
}

func asValidation(err error, ve **ValidationError) bool {
	v, ok := err.(*ValidationError)
	*ve = v
	return ok
}

func TestPathsInDocumentOrder(t *testing.T) {
	in := []string{"start", "items[10].title", "items[2].title", "", "items[2].absent[0]", "committee", "items[2]"}
	slices.SortStableFunc(in, comparePaths)
	want := []string{"", "committee", "items[2]", "items[2].absent[0]", "items[2].title", "items[10].title", "start"}
	if !slices.Equal(in, want) {
		t.Errorf("%q, want %q", in, want)
	}
}

// A field a sender writes by mistake gets the way to say it.
func TestUnknownFieldHints(t *testing.T) {
	doc := strings.Replace(validMeeting, `"title":"Godkendelse af dagsorden"`, `"title":"G","closed":true`, 1)
	_, err := DecodeMeeting([]byte(doc))
	fields, _ := fieldsOf(t, err)
	if !strings.Contains(fields["items[0].closed"], `unknown field (use "access": "closed")`) {
		t.Errorf("%v", err)
	}
}

// A malformed document's problem has no field: it is the document's.
func TestMalformedProblemHasNoField(t *testing.T) {
	_, err := DecodeMeeting([]byte(`{"municipality":`))
	var ve *ValidationError
	if !asValidation(err, &ve) || len(ve.Errors) == 0 {
		t.Fatalf("%v", err)
	}
	b, _ := json.Marshal(ve.Errors[0])
	if strings.Contains(string(b), `"field"`) {
		t.Errorf("%s", b)
	}
}
