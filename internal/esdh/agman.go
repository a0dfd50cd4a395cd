package esdh

import (
	"fmt"
	"strings"

	"protokol/internal/data"
)

// AGMAN (OS2web_meetings_agman):
//
//	<Publication><PublicationTypeAsValue>0 draft, 1 agenda, 2 minutes</PublicationTypeAsValue>
//	  <Agendas><Agenda ID>
//	    <Committee ID><Name/></Committee>
//	    <Meeting ID><When/><Until/><Where/>
//	      <Members><MeetingMember><Name/><ParticipationStatusAsValue/><ParticipationStatusAsText/><ParticipationNote/></MeetingMember></Members>
//	    <Items><Item ID Nummer><Caption/><IsPublic/>
//	      <Fields><ItemField ID><Caption/><HasContent>True</HasContent><Content/></ItemField></Fields>
//	      <ItemHistory><ItemField><Caption/><Content/><MeetingDetails><CommitteeName/><MeetingDueDate/></MeetingDetails></ItemField></ItemHistory>
//	      <Enclosures><Enclosure ID><Name/><IsProtected/><InstantiationFilePathRelative/></Enclosure></Enclosures>
func (r *reader) agman(root *node) {
	m := r.res.Meeting
	switch root.str("PublicationTypeAsValue") {
	case "0":
		m.Status = "draft" // kladde
	case "1", "":
	default:
		r.res.Minutes = true
	}
	ag := root.at("Agendas", "Agenda")
	if ag == nil {
		r.problem(root, "no <Agendas><Agenda>")
		r.fatal = true
		return
	}
	mt := ag.kid("Meeting")
	r.res.meetingID, r.res.agendaID = mt.attr("ID"), ag.attr("ID")
	m.Committee = ag.str("Committee", "Name")
	m.Location = mt.str("Where")
	r.start(mt.kid("When"), mt.str("When"), "")
	r.end(mt.kid("Until"), mt.str("Until"), "")
	for _, mm := range mt.at("Members").all("MeetingMember") {
		r.agmanMember(mm)
	}
	for i, p := range ag.at("Items").all("Item") {
		it := data.Item{Number: number(p.attr("Nummer"), i+1), Title: p.str("Caption")}
		if it.Title == "" {
			r.problem(p, "an item without <Caption>; left out")
			continue
		}
		open, ok := boolean(p.str("IsPublic"))
		if !ok {
			r.problem(p.kid("IsPublic"), "IsPublic %q is neither true nor false: the item is taken as closed", p.str("IsPublic"))
		}
		it.Access = access(open)
		for _, f := range p.at("Fields").all("ItemField") {
			if has, _ := boolean(f.str("HasContent")); has {
				r.section(&it, f.str("Caption"), r.md(f.kid("Content")))
			}
		}
		r.agmanHistory(&it, p.kid("ItemHistory"))
		for _, e := range p.at("Enclosures").all("Enclosure") {
			protected, _ := boolean(e.str("IsProtected"))
			r.attachment(e, &it, e.str("Name"), e.str("InstantiationFilePathRelative"), !protected && open)
		}
		m.Items = append(m.Items, it)
	}
}

// agmanMember: status 1 and 4 attend, 0 (not decided) is counted as
// attending, as the reader does; others are away, "Afbud" as apologies.
func (r *reader) agmanMember(mm *node) {
	p := data.Participant{Name: mm.str("Name"), Note: mm.str("ParticipationNote")}
	if p.Name == "" {
		r.problem(mm, "a member without a name; left out")
		return
	}
	status, text := mm.str("ParticipationStatusAsValue"), mm.str("ParticipationStatusAsText")
	switch {
	case status == "1" || status == "4" || status == "0" || text == "NotDecided":
	case strings.Contains(strings.ToLower(text), "afbud"):
		p.Attendance = "apologies"
	default:
		p.Attendance = "absent"
		if p.Note == "" {
			p.Note = text
		}
	}
	r.res.Meeting.Participants = append(r.res.Meeting.Participants, p)
}

// agmanHistory is the item's earlier decisions (Beslutningshistorik):
// "<decision> truffet af <committee> d. <date>" and the text, as the
// reader writes them.
func (r *reader) agmanHistory(it *data.Item, h *node) {
	var b strings.Builder
	for _, f := range h.all("ItemField") {
		if has, _ := boolean(f.str("HasContent")); !has {
			continue
		}
		d := f.str("MeetingDetails", "MeetingDueDate")
		if t, ok := when(d, ""); ok {
			d = t.In(copenhagen()).Format("02-01-2006")
		}
		fmt.Fprintf(&b, "**%s truffet af %s d. %s**\n\n%s\n\n", f.str("Caption"), f.str("MeetingDetails", "CommitteeName"), d, r.md(f.kid("Content")))
	}
	if b.Len() > 0 {
		it.Sections = append(it.Sections, data.Section{Heading: "Beslutningshistorik", Body: strings.TrimSpace(b.String())})
	}
}
