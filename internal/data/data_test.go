package data

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"testing"

	"protokol/examples"
)

func fixture(_ testing.TB, name string) []byte { return examples.Read(name) }

func TestDecodeFixtures(t *testing.T) {
	m, err := DecodeMeeting(fixture(t, "aalborg-2014-08-19.meeting.json"))
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Items) != 10 || m.Items[8].Access != AccessClosed || m.Items[0].Access != AccessOpen {
		t.Errorf("items not decoded with defaults: %d items, access %q/%q", len(m.Items), m.Items[0].Access, m.Items[8].Access)
	}
	if got := m.Start.Time.Format("2006-01-02 15:04 -07:00"); got != "2014-08-19 13:00 +02:00" {
		t.Errorf("start = %s", got)
	}
	if m.Participants[2].Role != RoleOfficial || m.Participants[2].Attendance != AttendancePresent {
		t.Errorf("participant defaults: %+v", m.Participants[2])
	}
	b, err := DecodeBudget(fixture(t, "aalborg-aktiveringsramme-2016.budget.json"))
	if err != nil {
		t.Fatal(err)
	}
	if b.Tables[1].Budget == nil || b.Tables[1].Budget.String() != "292100000" {
		t.Errorf("budget frame = %v", b.Tables[1].Budget)
	}
}

// fieldsOf returns the fields a ValidationError names, and whether the
// error is a syntax error.
func fieldsOf(t *testing.T, err error) (map[string]string, bool) {
	t.Helper()
	var ve *ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("want a *ValidationError, got %v", err)
	}
	out := map[string]string{}
	for _, fe := range ve.Errors {
		out[fe.Field] = fe.Message
	}
	return out, ve.Syntax
}

// wantFields checks that err names exactly the wanted fields.
func wantFields(t *testing.T, err error, fields map[string]string, want []string) {
	t.Helper()
	for _, f := range want {
		if _, ok := fields[f]; !ok {
			t.Errorf("no error names %q; got %v", f, err)
		}
	}
	if len(fields) != len(want) {
		t.Errorf("%d problems reported, want %d: %v", len(fields), len(want), err)
	}
}

const validMeeting = `{"municipality":"Aalborg Kommune","committee":"Beskæftigelsesudvalget","start":"2014-08-19T13:00:00+02:00","location":"Sønderbro 12","items":[{"number":"1","title":"Godkendelse af dagsorden"}]}`

func TestMeetingValidation(t *testing.T) {
	tests := []struct {
		name   string
		json   string
		syntax bool
		fields []string // every field that must be named
	}{
		{"malformed", `{"municipality":`, true, []string{""}},
		{"trailing data", validMeeting + `{}`, true, []string{""}},
		{"not an object", `[1,2]`, true, []string{""}},
		{"invalid UTF-8", "{\"municipality\":\"\xff\"}", true, []string{""}},
		{"empty object", `{}`, false, []string{"municipality", "committee", "start", "location", "items"}},
		{"unknown fields with paths", strings.Replace(validMeeting, `"title":"Godkendelse af dagsorden"`, `"title":"x","numbr":"2","sections":[{"heading":"h","bdy":"b"}]`, 1),
			false, []string{"items[0].numbr", "items[0].sections[0].bdy"}},
		{"wrong types", `{"municipality":1,"committee":"c","start":"2014-08-19T13:00:00+02:00","location":"l","items":{"a":1},"participants":[{"name":true}]}`,
			false, []string{"municipality", "items", "participants[0].name"}},
		{"bad values", `{"municipality":"m","committee":"c","start":"19.08.2014","end":"2014-08-19T12:00:00+02:00","location":"l","language":"de",
			"groups":[{"code":"A","title":"t"},{"code":"A","title":""}],
			"participants":[{"name":"n","role":"boss","attendance":"maybe","items":["9"]}],
			"items":[{"number":"1","title":"t","kind":"vote","access":"secret","group":"B","duration_minutes":-5,"attachments":[{"title":"","access":"x"}],"sections":[{"heading":" ","body":"b"}]},
			         {"number":"1","title":""}]}`,
			false, []string{"start", "language", "groups[1].code", "groups[1].title", "participants[0].role", "participants[0].attendance",
				"participants[0].items[0]", "items[0].kind", "items[0].access", "items[0].group", "items[0].duration_minutes",
				"items[0].attachments[0].title", "items[0].attachments[0].access", "items[0].sections[0].heading", "items[1].number", "items[1].title"}},
		{"end before start", strings.Replace(validMeeting, `"location"`, `"end":"2014-08-19T12:00:00+02:00","location"`, 1), false, []string{"end"}},
		{"no offset", strings.Replace(validMeeting, "13:00:00+02:00", "13:00:00", 1), false, []string{"start"}},
		{"budget table in item", strings.Replace(validMeeting, `"title":"Godkendelse af dagsorden"`,
			`"title":"t","budget_tables":[{"title":"","columns":[{"key":"a","label":"A"}],"rows":[{"label":"x","values":{"b":1}}]}]`, 1),
			false, []string{"items[0].budget_tables[0].title", "items[0].budget_tables[0].rows[0].values.b"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := DecodeMeeting([]byte(tt.json))
			fields, syntax := fieldsOf(t, err)
			if syntax != tt.syntax {
				t.Errorf("syntax = %v, want %v (%v)", syntax, tt.syntax, err)
			}
			wantFields(t, err, fields, tt.fields)
		})
	}
}

func TestUnknownFieldSuggestion(t *testing.T) {
	_, err := DecodeMeeting([]byte(strings.Replace(validMeeting, `"location"`, `"locaton"`, 1)))
	fields, _ := fieldsOf(t, err)
	if !strings.Contains(fields["locaton"], `did you mean "location"`) {
		t.Errorf("no suggestion: %v", err)
	}
}

func TestValidMeetingHasNoErrors(t *testing.T) {
	if _, err := DecodeMeeting([]byte(validMeeting)); err != nil {
		t.Fatal(err)
	}
}

func TestLongFieldsAreNamedOnce(t *testing.T) {
	long := strings.Repeat("x", 501)
	_, err := DecodeMeeting([]byte(strings.Replace(strings.Replace(validMeeting, `"number":"1"`, `"number":"`+long+`"`, 1), `"Aalborg Kommune"`, `"`+long+`"`, 1)))
	var ve *ValidationError
	if !errors.As(err, &ve) || len(ve.Errors) != 2 {
		t.Fatalf("want two problems (municipality, items[0].number), got %v", err)
	}
}

func TestMeetingTextsAreBoundedAsAWhole(t *testing.T) {
	body := strings.Repeat("x", 99_000)
	var items []string
	for i := range 25 {
		items = append(items, `{"number":"`+strings.Repeat("1", i+1)+`","title":"t","summary":"`+body+`"}`)
	}
	_, err := DecodeMeeting([]byte(strings.Replace(validMeeting, `[{"number":"1","title":"Godkendelse af dagsorden"}]`, "["+strings.Join(items, ",")+"]", 1)))
	fields, _ := fieldsOf(t, err)
	if msg, ok := fields[""]; !ok || !strings.Contains(msg, "at most 2000000") {
		t.Fatalf("want a document-wide limit, got %v", err)
	}
}

// Names are matched exactly and once: a key that differs only in capitals,
// or a key given twice, must never change what a reader of the JSON sees
// (here: a closed item printing as open).
func TestNamesAreExactAndUnique(t *testing.T) {
	item := func(extra string) string {
		return strings.Replace(validMeeting, `"title":"Godkendelse af dagsorden"`, `"title":"t","access":"closed"`+extra, 1)
	}
	tests := []struct {
		name, json, field string
	}{
		{"capitalised duplicate", item(`,"Access":"open"`), "items[0].Access"},
		{"all capitals", strings.Replace(validMeeting, `"municipality"`, `"MUNICIPALITY"`, 1), "MUNICIPALITY"},
		{"Kelvin sign", item(`,"\u212Aind":"decision"`), "items[0].\u212Aind"},
		{"same key twice", item(`,"access":"open"`), "items[0].access"},
		{"escaped same key", item(`,"\u0061ccess":"open"`), "items[0].access"},
		{"twice at the top", strings.Replace(validMeeting, `"location"`, `"committee":"Andet udvalg","location"`, 1), "committee"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := DecodeMeeting([]byte(tt.json))
			if err == nil {
				t.Fatalf("accepted; item 0 access %q", m.Items[0].Access)
			}
			fields, syntax := fieldsOf(t, err)
			if syntax {
				t.Errorf("reported as malformed JSON, want a problem of %s: %v", tt.field, err)
			}
			if _, ok := fields[tt.field]; !ok {
				t.Errorf("no problem names %q: %v", tt.field, err)
			}
		})
	}
	// budget rows under "Rows" are not rows
	_, err := DecodeBudget([]byte(`{"title":"B","tables":[{"title":"T","columns":[{"key":"a","label":"A"}],"Rows":[{"label":"x"}],"rows":[{"label":"y"}]}]}`))
	fields, _ := fieldsOf(t, err)
	wantFields(t, err, fields, []string{"tables[0].Rows"})
}

func TestByteOrderMarkAndLatin1(t *testing.T) {
	if _, err := DecodeMeeting([]byte("\xEF\xBB\xBF" + validMeeting)); err != nil {
		t.Errorf("a UTF-8 byte-order mark is refused: %v", err)
	}
	latin1 := strings.Replace(validMeeting, "Sønderbro", "S\xf8nderbro", 1)
	_, err := DecodeMeeting([]byte(latin1))
	fields, syntax := fieldsOf(t, err)
	want := fmt.Sprintf("at offset %d", strings.Index(latin1, "\xf8"))
	if msg := fields[""]; !syntax || !strings.Contains(msg, "Latin-1") || !strings.Contains(msg, want) || strings.Contains(msg, "body") {
		t.Errorf("Latin-1 file: %v (want a hint and %q)", err, want)
	}
}

func TestProblemsAreCapped(t *testing.T) {
	var items []string
	for range 20_000 {
		items = append(items, `{"number":"","title":"","kind":"vote"}`)
	}
	body := strings.Replace(validMeeting, `[{"number":"1","title":"Godkendelse af dagsorden"}]`, "["+strings.Join(items, ",")+"]", 1)
	_, err := DecodeMeeting([]byte(body))
	var ve *ValidationError
	if !errors.As(err, &ve) {
		t.Fatal(err)
	}
	// 3 per item and one for the number of items
	if len(ve.Errors) != MaxProblems || ve.More != 3*20_000+1-MaxProblems {
		t.Errorf("%d listed and %d more, want %d and %d", len(ve.Errors), ve.More, MaxProblems, 3*20_000+1-MaxProblems)
	}
	if !strings.HasSuffix(ve.Error(), "and 59901 more problems") {
		t.Errorf("the message does not say how many more: …%s", ve.Error()[len(ve.Error())-60:])
	}
}

func TestOffsetsBeyondADay(t *testing.T) {
	for _, off := range []string{"+24:00", "-24:00", "+99:59"} {
		_, err := DecodeMeeting([]byte(strings.Replace(validMeeting, "13:00:00+02:00", "13:00:00"+off, 1)))
		fields, _ := fieldsOf(t, err)
		wantFields(t, err, fields, []string{"start"})
	}
	if _, err := DecodeMeeting([]byte(strings.Replace(validMeeting, "13:00:00+02:00", "13:00:00-23:59", 1))); err != nil {
		t.Errorf("-23:59 refused: %v", err)
	}
}

// Nesting costs the layout the square of its depth: deep nesting is
// refused, naming the field, whatever form it takes.
func TestDeepNestingIsRefused(t *testing.T) {
	indented := ""
	for i := range 200 {
		indented += strings.Repeat(" ", 2*i) + "- x\n"
	}
	for name, md := range map[string]string{
		"bullets":  strings.Repeat("- ", 50_000) + "x",
		"numbers":  strings.Repeat("1. ", 30_000) + "x",
		"quotes":   strings.Repeat("> ", 50_000) + "x",
		"mixed":    strings.Repeat("> - 1) ", 20) + "x",
		"indented": indented,
	} {
		t.Run(name, func(t *testing.T) {
			_, err := DecodeMeeting([]byte(strings.Replace(validMeeting, `"title":"Godkendelse af dagsorden"`, `"title":"t","summary":`+strconv.Quote(md), 1)))
			fields, _ := fieldsOf(t, err)
			wantFields(t, err, fields, []string{"items[0].summary"})
		})
	}
	// what papers use passes
	if _, err := DecodeMeeting([]byte(strings.Replace(validMeeting, `"title":"Godkendelse af dagsorden"`, `"title":"t","summary":"- a\n  - b\n    1. c\n\n> citat\n> - punkt"`, 1))); err != nil {
		t.Error(err)
	}
}
