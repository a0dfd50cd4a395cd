package esdh

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"strings"
)

// message is a problem's text kept as its format and arguments, as the
// contract's problems (package data) and a seal's (package seal) are, so
// a reader of Danish gets it in Danish: the format by its translation
// here, an argument that is a message or what a text lost in turn. What
// is not ours (encoding/xml's own words) stays English.
type message struct {
	format string
	args   []any
	line   int // where in the XML, when the problem has a line of its own
}

func msg(format string, args ...any) *message { return &message{format: format, args: args} }

// msgAt is a message about a line of the XML.
func msgAt(line int, format string, args ...any) *message {
	return &message{format: format, args: args, line: line}
}

func (m *message) Error() string {
	if m.line > 0 {
		return fmt.Sprintf("line %d: %s", m.line, m.in("en"))
	}
	return m.in("en")
}

func (m *message) in(lang string) string {
	format, args := m.format, slices.Clone(m.args)
	if lang == "da" {
		format = cmp.Or(danishFormats[format], format)
	}
	for i, a := range args {
		switch a := a.(type) {
		case *message:
			args[i] = a.in(lang)
		case lost:
			args[i] = a.in(lang)
		}
	}
	return fmt.Sprintf(format, args...)
}

// In is the problem with its message for a reader of lang ("da" or "en").
func (p Problem) In(lang string) Problem {
	if p.msg != nil {
		p.Message = p.msg.in(lang)
	}
	return p
}

// ProblemsIn are the problems for a reader of lang.
func ProblemsIn(ps []Problem, lang string) []Problem {
	out := make([]Problem, len(ps))
	for i, p := range ps {
		out[i] = p.In(lang)
	}
	return out
}

// in is what was lost in words: "2 pictures and 1 formula", "2 billeder
// og 1 formel".
func (l lost) in(lang string) string {
	kinds := slices.Sorted(maps.Keys(l))
	parts := make([]string, len(kinds))
	for i, k := range kinds {
		word := k
		if l[k] > 1 {
			word += "s"
		}
		if lang == "da" {
			word = danishLost[k][min(l[k], 2)-1]
		}
		parts[i] = fmt.Sprintf("%d %s", l[k], word)
	}
	and := " and "
	if lang == "da" {
		and = " og "
	}
	if len(parts) > 1 {
		return strings.Join(parts[:len(parts)-1], ", ") + and + parts[len(parts)-1]
	}
	return strings.Join(parts, "")
}

// danishLost are the kinds of content a text loses (see content), in
// the singular and the plural.
var danishLost = map[string][2]string{
	"picture":         {"billede", "billeder"},
	"drawing":         {"tegning", "tegninger"},
	"formula":         {"formel", "formler"},
	"embedded object": {"indlejret objekt", "indlejrede objekter"},
	"embedded page":   {"indlejret side", "indlejrede sider"},
	"form":            {"formular", "formularer"},
	"form field":      {"formularfelt", "formularfelter"},
}

// danishFormats are the problems' formats in Danish (a test holds every
// format given to msg or problem here).
var danishFormats = map[string]string{
	"%v": "%v",
	// the readers
	"this is the producedAgenda manifest: import the directory, or the agenda file it names": "dette er producedAgenda-manifestet: importér mappen eller den dagsordensfil, det nævner",
	"no <table name=\"agenda\">":                                                                                         "ingen <table name=\"agenda\">",
	"no <Agendas><Agenda>":                                                                                               "ingen <Agendas><Agenda>",
	"an item without <Caption>; left out":                                                                                "et punkt uden <Caption>; udeladt",
	"IsPublic %q is neither true nor false: the item is taken as closed":                                                 "IsPublic %q er hverken true eller false: punktet regnes for lukket",
	"a member without a name; left out":                                                                                  "et medlem uden navn; udeladt",
	"this is a notification file: import the directory, or the agenda file it names (%s)":                                "dette er en notifikationsfil: importér mappen eller den dagsordensfil, den nævner (%s)",
	"AccessIsPublic %q is neither true nor false: the item is taken as closed":                                           "AccessIsPublic %q er hverken true eller false: punktet regnes for lukket",
	"no <Møde>: the meeting's committee, date and place are missing":                                                     "ingen <Møde>: mødets udvalg, dato og sted mangler",
	"Åbent=%q is neither true nor false: the item is taken as closed":                                                    "Åbent=%q er hverken true eller false: punktet regnes for lukket",
	"an item without <Overskrift>; left out":                                                                             "et punkt uden <Overskrift>; udeladt",
	"the export has no agenda items":                                                                                     "eksporten har ingen dagsordenspunkter",
	"the text cannot be read as HTML: %v":                                                                                "teksten kan ikke læses som HTML: %v",
	"%s left out of the text (only its words, lists, tables and links are taken)":                                        "%s er udeladt af teksten (kun ord, lister, tabeller og links overføres)",
	"the meeting's end %q is not a date read here; left out":                                                             "mødets afslutning %q er ikke en dato, der kan læses; udeladt",
	"the meeting ends (%s) before it starts; the end is left out":                                                        "mødet slutter (%s), før det begynder; afslutningen er udeladt",
	"an attachment without a title or a file; left out":                                                                  "et bilag uden titel og fil; udeladt",
	"the attachment file %q is outside the export's directory; left out":                                                 "bilagsfilen %q ligger uden for eksportens mappe; udeladt",
	"the addendum's item %s has the number of an item before it: give one of them another number":                        "tillæggets punkt %s har samme nummer som et punkt før det: giv et af dem et andet nummer",
	"the meeting's date %q is not a date read here (e.g. \"27. august 2018\" and \"16:00\", or \"2018-08-27T16:00:00\")": "mødets dato %q er ikke en dato, der kan læses (f.eks. \"27. august 2018\" og \"16:00\" eller \"2018-08-27T16:00:00\")",
	// reading the XML
	"the export is %d bytes; at most %d are read":                                   "eksporten fylder %d bytes; højst %d læses",
	"the export is in %q; UTF-8, ISO-8859-1, ISO-8859-15 and Windows-1252 are read": "eksporten er i %q; UTF-8, ISO-8859-1, ISO-8859-15 og Windows-1252 kan læses",
	"the XML is broken: %s":             "XML'en er i stykker: %s",
	"the XML cannot be read: %v":        "XML'en kan ikke læses: %v",
	"more than %d elements":             "mere end %d elementer",
	"elements nested more than %d deep": "elementer indlejret mere end %d niveauer",
	"the export declares a DTD (<!%s…>); exports have none, and none is read": "eksporten erklærer en DTD (<!%s…>); eksporter har ingen, og ingen læses",
	"the export has no root element":                                          "eksporten har intet rodelement",
	"the export is not %s: %v":                                                "eksporten er ikke %s: %v",
	"the root element <%s> is none of the exports read here (SBSYS <Dagsorden>, eDoc <Meeting>, Fujitsu eDoc <Root xmlns=%q>, Acadre <table name=\"agenda\">, AGMAN <Publication>)": "rodelementet <%s> er ingen af de eksporter, der kan læses (SBSYS <Dagsorden>, eDoc <Meeting>, Fujitsu eDoc <Root xmlns=%q>, Acadre <table name=\"agenda\">, AGMAN <Publication>)",
}
