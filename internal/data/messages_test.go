package data

import (
	"errors"
	"strings"
	"testing"
)

// Problems in Danish: the message in Danish, enumerated values by their
// Danish names with the code after them, the location in words; the
// machine path unchanged. English stays as it was.
func TestProblemsInDanish(t *testing.T) {
	doc := strings.Replace(validMeeting, `"items":`, `"participants":[{"name":"Anne","role":"formand"}],"items":`, 1)
	doc = strings.Replace(doc, `"title":"Godkendelse af dagsorden"`, `"title":"","duration_minutes":2000,"absent":["Ane"],"closed":true`, 1)
	_, err := DecodeMeeting([]byte(doc))
	var ve *ValidationError
	if !errors.As(err, &ve) {
		t.Fatal(err)
	}
	want := map[string][2]string{ // field: Danish message part, location
		"participants[0].role":      {`skal være en af formand ("chair"), næstformand ("vice_chair")`, "Deltager 1 › Rolle"},
		"items[0].title":            {"skal udfyldes", "Punkt 1 › Titel"},
		"items[0].duration_minutes": {"skal være mellem 0 og 1440, ikke 2000", "Punkt 1 › Varighed"},
		"items[0].absent[0]":        {`"Ane" er ikke navnet på en deltager (mente du "Anne"?)`, "Punkt 1 › Ikke til stede 1"},
		"items[0].closed":           {`ukendt felt (brug "access": "closed")`, "Punkt 1 › closed"},
	}
	da := ve.In("da")
	for _, fe := range da.Errors {
		w, ok := want[fe.Field]
		if !ok {
			continue
		}
		delete(want, fe.Field)
		if !strings.Contains(fe.Message, w[0]) || fe.Location != w[1] {
			t.Errorf("%s: %q at %q, want %q at %q", fe.Field, fe.Message, fe.Location, w[0], w[1])
		}
	}
	for f := range want {
		t.Errorf("no problem of %s: %v", f, da)
	}
	en := ve.In("en")
	for i, fe := range en.Errors {
		if fe.Message != ve.Errors[i].Message || fe.Location == "" {
			t.Errorf("English changed or has no location: %+v", fe)
		}
	}
	for _, fe := range en.Errors {
		if fe.Field == "participants[0].role" && fe.Location != "Participant 1 › Role" {
			t.Errorf("English location %q", fe.Location)
		}
	}
	more := &ValidationError{More: 3, lang: "da"}
	if more.MoreText() != "og 3 problemer mere" {
		t.Errorf("%q", more.MoreText())
	}
}
