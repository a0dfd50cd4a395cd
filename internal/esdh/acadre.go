package esdh

import (
	"strings"

	"protokol/internal/data"
)

// Acadre (OS2web_meetings_acadre): tables of fields,
//
//	<table name="agenda"><fields><field name="sysid"/><field name="producedate"/></fields>
//	  <table name="meeting"><fields>name, date, finish, location</fields></table>
//	  <table name="committee"><fields>sysid, name</fields></table>
//	  <table name="agendaitemparents"><fields>sort</fields>
//	    <table name="agendaitem"><fields>sysid, name, access (1 open), caseno, comname</fields>
//	      <table name="bullet"><fields>bulletname, bulletcontent</fields></table>
//	      <table name="enclosure"><fields>name, filename, access (1 open)</fields></table>
//
// Whether it is an agenda or minutes is in the producedAgenda manifest
// (type 1 agenda, 2 minutes), which ImportDir reads; a lone file is an
// agenda.
func (r *reader) acadre(root *node) {
	m := r.res.Meeting
	ag := root
	if !(root.name == "table" && root.attr("name") == "agenda") {
		if ag = findTable(root, "agenda", 3); ag == nil {
			if findTable(root, "producedAgenda", 3) != nil {
				r.problem(root, "this is the producedAgenda manifest: import the directory, or the agenda file it names")
			} else {
				r.problem(root, "no <table name=\"agenda\">")
			}
			r.fatal = true
			return
		}
	}
	mt, com := table(ag, "meeting"), table(ag, "committee")
	r.res.meetingID, r.res.agendaID = field(mt, "sysid"), field(ag, "sysid")
	m.Committee = field(com, "name")
	m.Location = field(mt, "location")
	r.start(mt, field(mt, "date"), "")
	r.end(mt, field(mt, "finish"), "")
	for i, parent := range tables(ag, "agendaitemparents") {
		ai := table(parent, "agendaitem")
		it := data.Item{Number: number(field(parent, "sort"), i+1), Title: field(ai, "name"), CaseNumber: field(ai, "caseno")}
		if it.Title == "" {
			continue // skipped by the reader too
		}
		it.Access = access(field(ai, "access") == "1")
		for _, b := range tables(ai, "bullet") {
			r.section(&it, field(b, "bulletname"), r.md(fieldNode(b, "bulletcontent")))
		}
		for _, e := range tables(ai, "enclosure") {
			r.attachment(e, &it, field(e, "name"), field(e, "filename"), field(e, "access") == "1")
		}
		m.Items = append(m.Items, it)
	}
	sortItems(m.Items)
}

// table is the child <table name=…>; tables all of them.
func table(n *node, name string) *node {
	for _, t := range n.all("table") {
		if t.attr("name") == name {
			return t
		}
	}
	return nil
}

func tables(n *node, name string) []*node {
	var out []*node
	for _, t := range n.all("table") {
		if t.attr("name") == name {
			out = append(out, t)
		}
	}
	return out
}

// findTable looks for <table name=…> within depth levels.
func findTable(n *node, name string, depth int) *node {
	if n == nil || depth < 0 {
		return nil
	}
	if n.name == "table" && n.attr("name") == name {
		return n
	}
	for _, k := range n.kids {
		if t := findTable(k, name, depth-1); t != nil {
			return t
		}
	}
	return nil
}

// fieldNode is <fields><field name=…>; field its trimmed text.
func fieldNode(t *node, name string) *node {
	for _, f := range t.kid("fields").all("field") {
		if f.attr("name") == name {
			return f
		}
	}
	return nil
}

func field(t *node, name string) string {
	if f := fieldNode(t, name); f != nil {
		return strings.TrimSpace(f.text)
	}
	return ""
}
