package esdh

import (
	"strings"

	"protokol/internal/data"
)

// Fujitsu eDoc (OS2web_meetings_edoc_fujitsu, namespace
// http://www.fujitsu.dk/agenda/xml/schemas/2009/03/31/):
//
//	<Root>
//	  <OutputTypeEnumName>Agenda|…</OutputTypeEnumName> <OutputFilterIsPublic/>
//	  <Committee><Identifier/><Name/>
//	    <Meeting><MeetingIdentifier/><MeetingDateTime/><EndDateTime/><MeetingLocation/>
//	      <Agenda><Identifier/><AgendaElements><AgendaElement>
//	        <Identifier/><AccessIsPublic/><RuleOfSpeaking/>
//	        <HandlingItem><Title/><SerialNo/><CaseNumber/>
//	          <CasePresentations><CasePresentation><Title/><Content/></CasePresentation></CasePresentations>
//	          <Attachments><Attachment><Identifier/><Title/><Link/></Attachment></Attachments>
//
// Its notification files (<Root><Notification><PathToXml>) name the
// agenda file; ImportDir follows them.
func (r *reader) fujitsu(root *node) {
	m := r.res.Meeting
	if root.kid("Notification") != nil && root.kid("Committee") == nil {
		r.problem(root, "this is a notification file: import the directory, or the agenda file it names (%s)", root.str("Notification", "PathToXml"))
		r.fatal = true
		return
	}
	r.res.Minutes = !strings.EqualFold(root.str("OutputTypeEnumName"), "Agenda")
	c := root.kid("Committee")
	mt := c.kid("Meeting")
	r.res.meetingID, r.res.agendaID = mt.str("MeetingIdentifier"), mt.str("Agenda", "Identifier")
	m.Committee = c.str("Name")
	m.Location = mt.str("MeetingLocation")
	r.start(mt.kid("MeetingDateTime"), mt.str("MeetingDateTime"), "")
	r.end(mt.kid("EndDateTime"), mt.str("EndDateTime"), "")
	for i, e := range mt.at("Agenda", "AgendaElements").all("AgendaElement") {
		h := e.kid("HandlingItem")
		it := data.Item{Number: number(h.str("SerialNo"), i+1), Title: h.str("Title"), CaseNumber: h.str("CaseNumber")}
		if it.Title == "" {
			continue // skipped by the reader too
		}
		open, ok := boolean(e.str("AccessIsPublic"))
		if !ok {
			r.problem(e.kid("AccessIsPublic"), "AccessIsPublic %q is neither true nor false: the item is taken as closed", e.str("AccessIsPublic"))
		}
		it.Access = access(open)
		for _, p := range h.at("CasePresentations").all("CasePresentation") {
			r.section(&it, p.str("Title"), r.md(p.kid("Content")))
		}
		for _, a := range h.at("Attachments").all("Attachment") {
			r.attachment(a, &it, a.str("Title"), a.str("Link"), true)
		}
		m.Items = append(m.Items, it)
	}
	sortItems(m.Items)
}
