package esdh

import (
	"strings"

	"protokol/internal/data"
)

// SBSYS (OS2web_meetings_sbsys, migrate_plus.migration.os2web_meetings_sbsys_import.yml
// and MeetingsDirectorySbsys.php):
//
//	<Dagsorden DagsordenID Åben Dagsordentype="Dagsorden|Referat">
//	  <Møde MødeID Udvalg UdvalgID Mødedato="27. august 2018" Mødetid="16:00" Mødeslutdato Mødesluttid Mødested/>
//	  <Dagsordenpunkter>
//	    <Dagsordenpunkt DagsordenpunktID Nummer Åbent>
//	      <Overskrift/> <Indhold>(a text per child element, named by it)</Indhold>
//	      <Bilagsliste><Bilag BilagID Navn BilagUrl MaaPubliceres/></Bilagsliste>
func (r *reader) sbsys(root *node) {
	m := r.res.Meeting
	r.res.Minutes = strings.EqualFold(root.attr("Dagsordentype"), "referat") // convertAgendaTypeToCanonical
	agendaOpen, ok := boolean(root.attr("Åben"))                             // convertAgendaAccessToCanonical: closed unless "true"
	if !ok {
		agendaOpen = false
	}
	mø := root.kid("Møde")
	if mø == nil {
		r.problem(root, "no <Møde>: the meeting's committee, date and place are missing")
		r.fatal = true
		return
	}
	r.res.meetingID, r.res.agendaID = mø.attr("MødeID"), root.attr("DagsordenID")
	m.Committee = mø.attr("Udvalg")
	m.Location = mø.attr("Mødested")
	r.start(mø, mø.attr("Mødedato"), mø.attr("Mødetid"))
	r.end(mø, mø.attr("Mødeslutdato"), mø.attr("Mødesluttid"))
	for i, p := range root.at("Dagsordenpunkter").all("Dagsordenpunkt") {
		it := data.Item{Number: number(p.attr("Nummer"), i+1), Title: p.str("Overskrift")}
		open, ok := boolean(p.attr("Åbent"))
		if !ok {
			r.problem(p, "Åbent=%q is neither true nor false: the item is taken as closed", p.attr("Åbent"))
		}
		it.Access = access(open && agendaOpen)
		if it.Title == "" {
			r.problem(p, "an item without <Overskrift>; left out")
			continue
		}
		r.sbsysTexts(&it, p.kid("Indhold"))
		for _, b := range p.at("Bilagsliste").all("Bilag") {
			pub, _ := boolean(b.attr("MaaPubliceres")) // closed unless "true"
			r.attachment(b, &it, b.attr("Navn"), b.attr("BilagUrl"), pub)
		}
		m.Items = append(m.Items, it)
	}
}

// sbsysTexts takes an item's <Indhold>: each child element a text headed
// by its name (as OS2web's reader takes them), or, when it holds HTML
// itself, one text.
func (r *reader) sbsysTexts(it *data.Item, in *node) {
	if in == nil {
		return
	}
	if len(in.kids) == 0 || isHTML(in.kids[0].name) {
		r.section(it, "", r.md(in))
		return
	}
	for _, k := range in.kids {
		heading := k.attr("Navn")
		if heading == "" {
			heading = k.attr("Overskrift")
		}
		if heading == "" {
			heading = strings.ReplaceAll(k.name, "_", " ")
		}
		r.section(it, heading, r.md(k))
	}
}

// isHTML: an element name HTML has, so content rather than a field.
func isHTML(name string) bool {
	switch strings.ToLower(name) {
	case "p", "div", "span", "table", "ul", "ol", "li", "h1", "h2", "h3", "h4", "h5", "h6", "b", "i", "u", "strong", "em", "br", "a", "html", "body", "font", "blockquote", "pre":
		return true
	}
	return false
}
