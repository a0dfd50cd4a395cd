package data

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// Problems are written in English as they are found, and kept as their
// format and arguments, so a reader in another language gets them in
// hers: In("da") gives each problem its Danish message, with enumerated
// values by their Danish names, and a readable location ("Punkt 2 ›
// Varighed") beside its machine path. What the catalog does not know
// stays English (a part of a message included, such as a parser's).

// message is a message with its format and arguments, for parts of a
// problem made before it is added (a suggestion, a time's error).
type message struct {
	format string
	args   []any
}

func msgf(format string, args ...any) message { return message{format, args} }

func (m message) String() string { return fmt.Sprintf(m.format, m.args...) }

// Error makes a message an error, for functions that return errors.
func (m message) Error() string { return m.String() }

// choices are the values an enumerated field may take.
type choices []string

func (c choices) String() string { return quoteList(c) }

// In is the problem with its message in lang ("da" or "en") and its
// location in words.
func (e FieldError) In(lang string) FieldError {
	e.Location = location(e.Field, lang)
	if lang == "da" && e.format != "" {
		e.Message = danish(e.format, e.args)
	}
	return e
}

// In is the list with every problem in lang.
func (e *ValidationError) In(lang string) *ValidationError {
	out := &ValidationError{Syntax: e.Syntax, More: e.More, Errors: make([]FieldError, len(e.Errors)), lang: lang}
	for i, fe := range e.Errors {
		out.Errors[i] = fe.In(lang)
	}
	return out
}

// danish formats a problem in Danish: its format's translation, with
// its arguments translated in turn.
func danish(format string, args []any) string {
	da, ok := danishFormats[format]
	if !ok {
		return fmt.Sprintf(format, args...)
	}
	out := make([]any, len(args))
	for i, a := range args {
		switch a := a.(type) {
		case message:
			out[i] = danish(a.format, a.args)
		case choices:
			out[i] = danishChoices(a)
		case string:
			if d, ok := danishWords[a]; ok {
				out[i] = d
			} else if d, ok := danishValues[a]; ok && strings.Contains(format, "%s is a second %s") {
				out[i] = d
			} else {
				out[i] = a
			}
		default:
			out[i] = a
		}
	}
	return fmt.Sprintf(da, out...)
}

// danishChoices names each value by its Danish name, the code after it.
func danishChoices(c choices) string {
	parts := make([]string, len(c))
	for i, v := range c {
		if name, ok := danishValues[v]; ok {
			parts[i] = fmt.Sprintf("%s (%q)", name, v)
		} else {
			parts[i] = strconv.Quote(v)
		}
	}
	return strings.Join(parts, ", ")
}

var danishFormats = map[string]string{
	"%s":          "%s",
	"is required": "skal udfyldes",
	"is %d characters long; at most %d are allowed":                                                    "er %d tegn lang; højst %d er tilladt",
	"the meeting's texts total %d characters; at most %d are allowed":                                  "mødets tekster er i alt %d tegn; højst %d er tilladt",
	"nests lists or quotes %d deep; at most %d levels are allowed":                                     "har lister eller citater %d niveauer dybt; højst %d er tilladt",
	"must be one of %s, not %q":                                                                        "skal være en af %s, ikke %q",
	"must be a string, not %s":                                                                         "skal være tekst, ikke %s",
	"must be true or false, not %s":                                                                    "skal være true eller false, ikke %s",
	"must be a whole number, not %s":                                                                   "skal være et helt tal, ikke %s",
	"must be a whole number of reasonable size, not %s":                                                "skal være et helt tal af rimelig størrelse, ikke %s",
	"must be an array, not %s":                                                                         "skal være en liste, ikke %s",
	"must be an object, not %s":                                                                        "skal være et objekt, ikke %s",
	"must be a number, not %s":                                                                         "skal være et tal, ikke %s",
	"must be an object of amounts by column key, not %s":                                               "skal være et objekt med beløb efter kolonnenøgle, ikke %s",
	"must be an RFC 3339 time as a string, not %s":                                                     "skal være et tidspunkt (RFC 3339) som tekst, ikke %s",
	"must be an RFC 3339 time with an offset, e.g. \"2014-08-19T13:00:00+02:00\", not %q":              "skal være et tidspunkt med tidszone, fx \"2014-08-19T13:00:00+02:00\", ikke %q",
	"has the offset %s; an offset must lie between -23:59 and +23:59":                                  "har tidszonen %s; den skal ligge mellem -23:59 og +23:59",
	"is before start (%s)":                                                                             "ligger før start (%s)",
	"%q is used by an earlier group":                                                                   "%q bruges allerede af en tidligere gruppe",
	"%q is used by an earlier item":                                                                    "%q bruges allerede af et tidligere punkt",
	"at least one item is required":                                                                    "mødet skal have mindst ét punkt",
	"%q is not the number of an item":                                                                  "%q er ikke nummeret på et punkt",
	"%q is not the name of a participant":                                                              "%q er ikke navnet på en deltager",
	"%q is not the name of a participant (did you mean %q?)":                                           "%q er ikke navnet på en deltager (mente du %q?)",
	"%s is a second %s: %s (participants[%d]) is one already":                                          "%s er endnu en %s: %s (participants[%d]) er det allerede",
	"names no one; give the names of the members behind the statement":                                 "nævner ingen; skriv navnene på de medlemmer, der står bag",
	"%q was not at the meeting (attendance %q): only those present make statements for the record":     "%q var ikke til mødet (fremmøde %q): kun de tilstedeværende kan give protokoltilførsel",
	"%q is absent from this item (its absent list): only those present make statements for the record": "%q er ikke til stede under punktet: kun de tilstedeværende kan give protokoltilførsel",
	"%q is not the code of a group":                                                                    "%q er ikke koden for en gruppe",
	"%q names a group, but the meeting has no groups":                                                  "%q nævner en gruppe, men mødet har ingen grupper",
	"must be between 0 and 1440, not %d":                                                               "skal være mellem 0 og 1440, ikke %d",
	"has %d entries; at most %d are allowed":                                                           "har %d; højst %d er tilladt",
	"unknown field":                                                                                    "ukendt felt",
	"unknown field (%s)":                                                                               "ukendt felt (%s)",
	"unknown field (did you mean %q?)":                                                                 "ukendt felt (mente du %q?)",
	"at least one table is required":                                                                   "budgettet skal have mindst én tabel",
	"at least one column is required":                                                                  "tabellen skal have mindst én kolonne",
	"at least one row is required":                                                                     "tabellen skal have mindst én række",
	"at least one column must be an input column (without a formula)":                                  "mindst én kolonne skal være en indtastningskolonne (uden formel)",
	"has more than %d decimals":                                                                        "har mere end %d decimaler",
	"is too large: amounts must be below 1.000.000.000.000.000 kr.":                                    "er for stort: beløb skal være under 1.000.000.000.000.000 kr.",
	"groups are nested more than %d deep":                                                              "grupperne ligger mere end %d niveauer inde i hinanden",
	"has %d rows in all; at most %d are allowed":                                                       "har %d rækker i alt; højst %d er tilladt",
	"a percent column is computed: give it a ratio formula, e.g. \"actual / budget\"":                  "en procentkolonne beregnes: giv den en brøk som formel, fx \"actual / budget\"",
	"a percent column needs a ratio, e.g. \"actual / budget\", not %q":                                 "en procentkolonne skal have en brøk, fx \"actual / budget\", ikke %q",
	"a ratio is shown as a percent: give \"format\": \"percent\"":                                      "en brøk vises i procent: giv \"format\": \"percent\"",
	"%q divides more than once":                                                                        "%q dividerer mere end én gang",
	"%q: a parenthesis is not closed":                                                                  "%q: en parentes er ikke lukket",
	"%q: only one pair of parentheses a side":                                                          "%q: højst ét par parenteser på hver side",
	"%q: put a side of more terms than one in parentheses":                                             "%q: sæt en side med mere end ét led i parentes",
	"%q is not the key of a column":                                                                    "%q er ikke nøglen til en kolonne",
	"a column with a status rule is a status column: give \"format\": \"status\"":                      "en kolonne med en statusregel er en statuskolonne: giv \"format\": \"status\"",
	"a status column is computed from its rule, not a formula":                                         "en statuskolonne beregnes efter sin regel, ikke en formel",
	"%q is a status column itself":                                                                     "%q er selv en statuskolonne",
	"%q is not a member present at the meeting: only they approve the minutes":                         "%q er ikke et medlem, der var til mødet: kun de godkender referatet",
	"%q has approved already":                                                                          "%q har allerede godkendt",
	"is before the meeting's start (%s)":                                                               "ligger før mødets start (%s)",
	"is not a status column without a rule (its marks are given by the rows)":                          "er ikke en statuskolonne uden regel (hvis mærker rækkerne giver)",
	"must be \"green\", \"yellow\" or \"red\", not %q":                                                 "skal være \"green\", \"yellow\" eller \"red\", ikke %q",
	"is above green (%s)":                                                                              "ligger over grøn (%s)",
	"a line chart is not stacked":                                                                      "et kurvediagram stables ikke",
	"names %d columns; a chart shows 1 to 6":                                                           "nævner %d kolonner; et diagram viser 1 til 6",
	"%q is not a column of amounts":                                                                    "%q er ikke en kolonne med beløb",
	"a chart of the table's %ss would show %d; at most %d":                                             "et diagram over tabellens %s ville vise %d; højst %d",
	"is a status column; its marks come from its rule":                                                 "er en statuskolonne; dens mærker kommer fra reglen",
	"is a computed column (%s); its values are not given":                                              "er en beregnet kolonne (%s); dens værdier gives ikke",
}

// danishWords are the arguments that are English words: JSON kinds and
// the hints for fields sent by mistake.
var danishWords = map[string]string{
	"row": "linjer", "group": "grupper",
	"null": "null", "a string": "tekst", "a number": "et tal", "a boolean": "sand/falsk", "an array": "en liste", "an object": "et objekt",
	`use "access": "closed"`:           `brug "access": "closed"`,
	`use "access": "open"`:             `brug "access": "open"`,
	`use "access": "open" or "closed"`: `brug "access": "open" eller "closed"`,
}

// danishValues name the enumerated values as the page and the documents do.
var danishValues = map[string]string{
	"chair": "formand", "vice_chair": "næstformand", "member": "medlem", "substitute": "stedfortræder",
	"official": "embedsmand", "guest": "gæst", "minute_taker": "referent",
	"present": "til stede", "absent": "fraværende", "apologies": "afbud",
	"decision": "beslutning", "information": "orientering", "discussion": "drøftelse", "other": "andet",
	"open": "åben", "closed": "lukket", "final": "endelig", "draft": "udkast", "da": "dansk", "en": "engelsk",
}

// pathPart is one step of a problem's path: a name and an index or not.
var pathPart = regexp.MustCompile(`^([a-z_]+)(?:\[(\d+)\])?$`)

// location is a problem's path in words: "items[1].duration_minutes" is
// "Punkt 2 › Varighed" ("Item 2 › Duration").
func location(path, lang string) string {
	if path == "" {
		return ""
	}
	names := fieldNames[lang]
	if names == nil {
		names = fieldNames["en"]
	}
	var out []string
	for _, part := range strings.Split(path, ".") {
		m := pathPart.FindStringSubmatch(part)
		if m == nil {
			out = append(out, part)
			continue
		}
		name, ok := names[m[1]]
		if !ok {
			name = m[1]
		}
		if m[2] != "" {
			i, _ := strconv.Atoi(m[2])
			if one, ok := names[m[1]+"[]"]; ok {
				name = one
			}
			name += " " + strconv.Itoa(i+1)
		}
		out = append(out, name)
	}
	return strings.Join(out, " › ")
}

// fieldNames name the contract's fields for people: "name[]" is one
// entry of the list "name".
var fieldNames = map[string]map[string]string{
	"da": {
		"municipality": "Kommune", "committee": "Udvalg", "title": "Titel", "start": "Start", "end": "Slut", "location": "Sted",
		"note": "Bemærkninger", "language": "Sprog", "status": "Status", "participants": "Deltagere", "participants[]": "Deltager",
		"name": "Navn", "party": "Parti", "role": "Rolle", "attendance": "Fremmøde", "items": "Punkter", "items[]": "Punkt",
		"number": "Nummer", "kind": "Type", "access": "Adgang", "case_number": "Sagsnr.", "decided_by": "Sagen afgøres i",
		"summary": "Sagsresumé", "sections": "Afsnit", "sections[]": "Afsnit", "heading": "Overskrift", "body": "Tekst",
		"recommendation": "Indstilling", "decision": "Beslutning", "attachments": "Bilag", "attachments[]": "Bilag",
		"reference": "Reference", "file": "Fil", "absent": "Ikke til stede", "absent[]": "Ikke til stede", "dissents": "Protokoltilførsler",
		"dissents[]": "Protokoltilførsel", "by": "Af", "by[]": "Af", "text": "Tekst", "group": "Gruppe", "groups": "Grupper",
		"groups[]": "Gruppe", "code": "Kode", "duration_minutes": "Varighed", "addendum": "Tillæg", "guests": "Gæster",
		"tables": "Tabeller", "tables[]": "Tabel", "columns": "Kolonner", "columns[]": "Kolonne", "rows": "Rækker", "rows[]": "Række",
		"label": "Tekst", "values": "Beløb", "key": "Nøgle", "formula": "Formel", "unit": "Enhed", "decimals": "Decimaler",
		"notes": "Noter", "sheet": "Ark", "budget": "Budget", "legend": "Forklaring", "approvals": "Godkendelser", "approvals[]": "Godkendelse", "at": "Tidspunkt", "method": "Metode", "marks": "Mærker", "protect": "Beskyttelse", "charts": "Diagrammer", "charts[]": "Diagram", "stacked": "Stablet", "of": "Kolonne", "green": "Grøn", "yellow": "Gul",
	},
	"en": {
		"municipality": "Municipality", "committee": "Committee", "title": "Title", "start": "Start", "end": "End", "location": "Location",
		"note": "Notes", "language": "Language", "status": "Status", "participants": "Participants", "participants[]": "Participant",
		"name": "Name", "party": "Party", "role": "Role", "attendance": "Attendance", "items": "Items", "items[]": "Item",
		"number": "Number", "kind": "Kind", "access": "Access", "case_number": "Case number", "decided_by": "Decided by",
		"summary": "Summary", "sections": "Sections", "sections[]": "Section", "heading": "Heading", "body": "Text",
		"recommendation": "Recommendation", "decision": "Decision", "attachments": "Attachments", "attachments[]": "Attachment",
		"reference": "Reference", "file": "File", "absent": "Absent", "absent[]": "Absent", "dissents": "Statements for the record",
		"dissents[]": "Statement", "by": "By", "by[]": "By", "text": "Text", "group": "Group", "groups": "Groups",
		"groups[]": "Group", "code": "Code", "duration_minutes": "Duration", "addendum": "Addendum", "guests": "Guests",
		"tables": "Tables", "tables[]": "Table", "columns": "Columns", "columns[]": "Column", "rows": "Rows", "rows[]": "Row",
		"label": "Label", "values": "Amounts", "key": "Key", "formula": "Formula", "unit": "Unit", "decimals": "Decimals",
		"notes": "Notes", "sheet": "Sheet", "budget": "Budget", "legend": "Legend", "approvals": "Approvals", "approvals[]": "Approval", "at": "Time", "method": "Method", "marks": "Marks", "protect": "Protection", "charts": "Charts", "charts[]": "Chart", "stacked": "Stacked", "of": "Column", "green": "Green", "yellow": "Yellow",
	},
}
