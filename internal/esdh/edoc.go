package esdh

import (
	"strings"

	"protokol/internal/data"
)

// eDoc (OS2web_meetings_edoc, migrate_plus.migration.os2web_meetings_edoc_import.yml
// and MeetingsDirectoryEdoc.php):
//
//	<Meeting>
//	  <Committee/> <MeetingDate/> <MeetingState>"Referat endeligt godkendt"</MeetingState>
//	  <MeetingAgendaTypes><MeetingAgendaType><AgendaType>Åben|Lukket</AgendaType>
//	    <MeetingAgendaItems><MeetingAgendaItem>
//	      <AgendaItemNumber/> <FullText/>
//	      <Document documentid><Title/><PublishingType>SKAL PUBLICERES</PublishingType>
//	        <Attachments><Attachment attachmentid><Title/><PDFDocument/></Attachment></Attachments>
//
// eDoc names no place (convertLocationToCanonical returns nothing): the
// location is left empty.
func (r *reader) edoc(root *node) {
	m := r.res.Meeting
	m.Committee = root.str("Committee")
	r.res.Minutes = strings.Contains(strings.ToLower(root.str("MeetingState")), "referat")
	date := root.kid("MeetingDate")
	r.start(date, root.str("MeetingDate"), "")
	if loc := root.str("Location"); loc != "" {
		m.Location = loc
	}
	for _, at := range root.at("MeetingAgendaTypes").all("MeetingAgendaType") {
		// a closed agenda's items are closed, whatever each says
		agendaOpen := !strings.Contains(strings.ToLower(at.str("AgendaType")), "lukket")
		for i, p := range at.at("MeetingAgendaItems").all("MeetingAgendaItem") {
			doc := p.kid("Document")
			it := data.Item{Number: number(p.str("AgendaItemNumber"), len(m.Items)+i+1), Title: doc.str("Title")}
			if it.Title == "" {
				continue // convertBulletPointsToCanonical skips items without a title
			}
			// access: only "SKAL PUBLICERES" is published
			it.Access = access(agendaOpen && strings.EqualFold(doc.str("PublishingType"), "SKAL PUBLICERES"))
			r.section(&it, "", r.md(p.kid("FullText")))
			for _, a := range doc.at("Attachments").all("Attachment") {
				r.attachment(a, &it, a.str("Title"), a.str("PDFDocument"), true)
			}
			m.Items = append(m.Items, it)
		}
	}
	sortItems(m.Items)
}
