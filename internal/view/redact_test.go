package view

import (
	"reflect"
	"testing"

	"protokol/internal/data"
)

// A closed item in a public version is built from number, title and
// access alone: every other field of its view is the zero value, so no
// template can show its kind, group or addendum mark ("– Tillæg").
func TestRedactedItemHoldsOnlyItsThreeFields(t *testing.T) {
	m := &data.Meeting{Language: "da",
		Groups: []data.Group{{Code: "G", Title: "Gruppen"}},
		Items: []data.Item{{Number: "7", Title: "Personalesag", Access: data.AccessClosed, Kind: data.KindDecision,
			Group: "G", Addendum: true, CaseNumber: "2014-1", DecidedBy: "Byrådet", DurationMinutes: 10,
			Summary: "x", Recommendation: "x", Decision: "x", Absent: []string{"A"},
			Sections:    []data.Section{{Heading: "h", Body: "b"}},
			Attachments: []data.Attachment{{Title: "t", File: "f.pdf"}},
			Dissents:    []data.Dissent{{By: []string{"A"}, Text: "x"}}}},
	}
	for _, doc := range []data.Document{data.DocAgenda, data.DocMinutes, data.DocDecisions} {
		full := NewMeeting(m, MeetingOptions{Document: doc, Packet: true})
		if !full.Items[0].Addendum || full.Items[0].KindLabel == "" || full.Items[0].GroupTitle == "" {
			t.Fatalf("%s: the full version lacks the item's fields; the test proves nothing", doc)
		}
		v := NewMeeting(m, MeetingOptions{Document: doc, Public: true, Packet: true})
		got := *v.Items[0]
		want := Item{Index: 1, Number: "7", Title: "Personalesag", Anchor: "punkt-1", Label: "7. Personalesag",
			Heading: "Punkt 7. Personalesag", Closed: true, AccessLabel: "Lukket", Redacted: true}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: the redacted item is\n%+v\nwant\n%+v", doc, got, want)
		}
		if len(v.Attachments) != 0 || len(v.Groups) != 0 {
			t.Errorf("%s: a public version lists the closed item's attachments or group", doc)
		}
	}
}

// Anyone placed only by closed items is left out of a public version,
// whatever their role; one placed by an open item too is named with the
// open items alone.
func TestPublicVersionPlacesPeopleByTheirItems(t *testing.T) {
	m := &data.Meeting{Language: "da",
		Items: []data.Item{{Number: "1", Title: "Åben"}, {Number: "2", Title: "Lukket", Access: data.AccessClosed}},
	}
	for _, role := range []string{data.RoleGuest, data.RoleOfficial, data.RoleMember, data.RoleMinuteTaker, data.RoleChair} {
		m.Participants = append(m.Participants,
			data.Participant{Name: "only-closed-" + role, Role: role, Attendance: data.AttendancePresent, Items: []string{"2"}},
			data.Participant{Name: "both-" + role, Role: role, Attendance: data.AttendancePresent, Items: []string{"1", "2"}})
	}
	v := NewMeeting(m, MeetingOptions{Document: data.DocMinutes, Public: true})
	named := map[string][]string{}
	for _, group := range [][]Person{v.Members, v.Others, v.Guests, v.Absent, v.Apologies} {
		for _, p := range group {
			named[p.Name] = p.Items
		}
	}
	for _, role := range []string{data.RoleGuest, data.RoleOfficial, data.RoleMember, data.RoleMinuteTaker, data.RoleChair} {
		if _, ok := named["only-closed-"+role]; ok {
			t.Errorf("a %s who attended only the closed item is named", role)
		}
		if items, ok := named["both-"+role]; !ok || !reflect.DeepEqual(items, []string{"1"}) {
			t.Errorf("a %s who attended both items: named %v with items %v, want the open item alone", role, ok, items)
		}
	}
	if v.MinuteTaker != nil && v.MinuteTaker.Name == "only-closed-minute_taker" {
		t.Error("the minute-taker of the closed item alone is named")
	}
}

// A front page names each party once, its members together, whatever
// order the participants came in.
func TestMembersAreGroupedByParty(t *testing.T) {
	m := &data.Meeting{Language: "da", Items: []data.Item{{Number: "1", Title: "T"}}}
	for _, p := range []data.Participant{
		{Name: "John Calberg", Party: "C"}, {Name: "Betina Svinggaard", Party: "A"}, {Name: "Per Tærsbøl", Party: "C"},
		{Name: "Mads Bech", Party: "C", Role: data.RoleSubstitute}, {Name: "Philip Læborg", Party: "C"}, {Name: "Duygu A. Ngotho", Party: "A"},
	} {
		p.Attendance = data.AttendancePresent
		if p.Role == "" {
			p.Role = data.RoleMember
		}
		m.Participants = append(m.Participants, p)
	}
	v := NewMeeting(m, MeetingOptions{Document: data.DocAgenda})
	want := "John Calberg, Per Tærsbøl og Philip Læborg (C), Mads Bech (C, stedfortræder), Betina Svinggaard og Duygu A. Ngotho (A)"
	if v.MemberList != want {
		t.Errorf("members:\n%s\nwant\n%s", v.MemberList, want)
	}
}

// An attachment numbered "2.1" under item 2 is Bilag 2.1, not 2.2.1; one
// numbered "1" is Bilag 2.1 too; one without a number takes its place.
func TestAttachmentLabelsArePrefixedOnce(t *testing.T) {
	m := &data.Meeting{Language: "da", Items: []data.Item{{Number: "2", Title: "T", Attachments: []data.Attachment{
		{Title: "a", Number: "2.1"}, {Title: "b", Number: "2"}, {Title: "c"}, {Title: "d", Number: "12.1"}}}}}
	v := NewMeeting(m, MeetingOptions{Document: data.DocAgenda})
	var got []string
	for _, a := range v.Items[0].Attachments {
		got = append(got, a.Label)
	}
	if want := []string{"Bilag 2.1", "Bilag 2.2", "Bilag 2.3", "Bilag 2.12.1"}; !reflect.DeepEqual(got, want) {
		t.Errorf("labels %q, want %q", got, want)
	}
}

// An attachment's number reaches the layout as a list marker only when it
// is a plain number: anything else (a comment's end, spaces) falls back
// to its position.
func TestAttachmentMarkersAreSafe(t *testing.T) {
	m := &data.Meeting{Language: "da", Items: []data.Item{{Number: "3", Title: "T", Attachments: []data.Attachment{
		{Title: "a", Number: "1"}, {Title: "b", Number: "3.2a"}, {Title: "c", Number: "--> <!-- pagebreak"}, {Title: "d"}}}}}
	v := NewMeeting(m, MeetingOptions{Document: data.DocAgenda})
	var got []string
	for _, a := range v.Items[0].Attachments {
		got = append(got, a.Num)
	}
	if want := []string{"3.1", "3.2a", "3.3", "3.4"}; !reflect.DeepEqual(got, want) {
		t.Errorf("markers %q, want %q", got, want)
	}
}
