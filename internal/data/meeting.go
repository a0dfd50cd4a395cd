package data

import (
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/go-json-experiment/json/jsontext"
)

// Meeting is a committee meeting: the input of agendas and minutes.
type Meeting struct {
	Municipality string        `json:"municipality"`           // required, e.g. "Aalborg Kommune"
	Committee    string        `json:"committee"`              // required, e.g. "Beskæftigelsesudvalget"
	Title        string        `json:"title,omitempty"`        // optional subtitle, e.g. "Ekstraordinært møde"
	Start        Timestamp     `json:"start"`                  // required, RFC 3339 with offset
	End          Timestamp     `json:"end,omitzero"`           // optional, not before Start
	Location     string        `json:"location"`               // required
	Language     string        `json:"language,omitempty"`     // "da" (default) or "en"
	Status       string        `json:"status,omitempty"`       // "final" (default) or "draft": a draft is marked UDKAST on every page
	Note         string        `json:"note,omitempty"`         // Markdown, printed on the front page
	Participants []Participant `json:"participants,omitempty"` // members, officials, guests, minute-taker
	Groups       []Group       `json:"groups,omitempty"`       // optional item groups
	Items        []Item        `json:"items"`                  // required, at least one
	// Approvals are the members' digital approvals of the minutes (the
	// decision record), printed on the signature sheet.
	Approvals []Approval `json:"approvals,omitempty"`
}

// Approval is one member's approval of the minutes: who, when and how.
type Approval struct {
	By     string    `json:"by"`               // required: a member present at the meeting
	At     Timestamp `json:"at"`               // required, RFC 3339 with offset, not before the meeting's start
	Method string    `json:"method,omitempty"` // e.g. "FirstAgenda"
}

// Participant is one person at (or absent from) the meeting.
type Participant struct {
	Name       string   `json:"name"`                 // required
	Party      string   `json:"party,omitempty"`      // party letter, e.g. "Ø"
	Role       string   `json:"role,omitempty"`       // chair, vice_chair, member (default), substitute, official, guest, minute_taker
	Title      string   `json:"title,omitempty"`      // e.g. "jobcenterchef"
	Attendance string   `json:"attendance,omitempty"` // present (default), absent, apologies
	Note       string   `json:"note,omitempty"`       // e.g. "pga. sygdom"
	Items      []string `json:"items,omitempty"`      // item numbers a guest attends
}

// Group is a heading items can be grouped under.
type Group struct {
	Code  string `json:"code"`  // required, unique, e.g. "A"
	Title string `json:"title"` // required
}

// Item is one agenda item.
type Item struct {
	Number          string        `json:"number"`                    // required, unique
	Title           string        `json:"title"`                     // required
	Kind            string        `json:"kind,omitempty"`            // decision, information, discussion, other (default)
	Access          string        `json:"access,omitempty"`          // open (default) or closed
	Group           string        `json:"group,omitempty"`           // a Groups[].Code
	CaseNumber      string        `json:"case_number,omitempty"`     // e.g. "2014-33589"
	DecidedBy       string        `json:"decided_by,omitempty"`      // "Sagen afgøres i"
	DurationMinutes int           `json:"duration_minutes,omitzero"` // optional time slot
	Summary         string        `json:"summary,omitempty"`         // Markdown: Sagsresumé
	Recommendation  string        `json:"recommendation,omitempty"`  // Markdown: Indstilling
	Sections        []Section     `json:"sections,omitempty"`        // in order
	Decision        string        `json:"decision,omitempty"`        // Markdown: minutes only
	Absent          []string      `json:"absent,omitempty"`          // not present for this item; minutes only
	Attachments     []Attachment  `json:"attachments,omitempty"`     // Bilag
	BudgetTables    []BudgetTable `json:"budget_tables,omitempty"`   // printed in the item
	Addendum        bool          `json:"addendum,omitzero"`         // added after the agenda went out (Tillæg)
	Dissents        []Dissent     `json:"dissents,omitempty"`        // statements for the record (Protokoltilførsel); minutes only
}

// Dissent is a member's statement for the record with the decision
// (Kommunestyrelsesloven § 13).
type Dissent struct {
	By   []string `json:"by"`   // required: participants' names
	Text string   `json:"text"` // required, Markdown
}

// Section is a headed part of an item's case description.
type Section struct {
	Heading string `json:"heading"` // required, printed as given
	Body    string `json:"body"`    // Markdown
}

// Attachment is a Bilag.
type Attachment struct {
	Title     string `json:"title"`               // required
	Number    string `json:"number,omitempty"`    // e.g. "1"
	Reference string `json:"reference,omitempty"` // e.g. a case-system reference or URL
	Access    string `json:"access,omitempty"`    // open (default) or closed
	// File names the attachment's PDF, sent with the document (a part of
	// a multipart upload, a file in the command line's --attachments
	// directory): a name, never a path.
	File string `json:"file,omitempty"`
}

// Closed reports whether the item is closed to the public.
func (it *Item) Closed() bool { return it.Access == AccessClosed }

// Closed reports whether the attachment is closed to the public.
func (a *Attachment) Closed() bool { return a.Access == AccessClosed }

// Values of the enumerated fields. An empty value means the default.
const (
	AccessOpen   = "open"
	AccessClosed = "closed"

	KindDecision    = "decision"
	KindInformation = "information"
	KindDiscussion  = "discussion"
	KindOther       = "other"

	RoleChair       = "chair"
	RoleViceChair   = "vice_chair"
	RoleMember      = "member"
	RoleSubstitute  = "substitute"
	RoleOfficial    = "official"
	RoleGuest       = "guest"
	RoleMinuteTaker = "minute_taker"

	StatusFinal = "final"
	StatusDraft = "draft"

	AttendancePresent   = "present"
	AttendanceAbsent    = "absent"
	AttendanceApologies = "apologies"
)

// Timestamp is an RFC 3339 time that keeps what was sent, so validation can
// name a malformed value instead of failing the whole decode.
type Timestamp struct {
	Raw  string
	Time time.Time
}

// IsZero reports whether no time was given.
func (t Timestamp) IsZero() bool { return t.Raw == "" }

// MarshalJSONTo writes the time as it was given (an importer's document
// is written as JSON to be checked and edited).
func (t Timestamp) MarshalJSONTo(enc *jsontext.Encoder) error {
	return enc.WriteToken(jsontext.String(t.Raw))
}

// UnmarshalJSONFrom keeps the string as sent; Validate parses it.
func (t *Timestamp) UnmarshalJSONFrom(dec *jsontext.Decoder) error {
	tok, err := dec.ReadToken()
	switch {
	case err != nil:
		return err
	case tok.Kind() == 'n':
		return nil
	case tok.Kind() != '"':
		return fmt.Errorf("must be an RFC 3339 time as a string")
	}
	t.Raw = tok.String()
	return nil
}

// Limits on sizes, so one document cannot make a render run away. They are
// far above any real committee paper.
const (
	maxShort      = 500       // characters in a name, title, label
	maxMarkdown   = 100_000   // characters in one Markdown field
	maxTexts      = 2_000_000 // characters in all of a meeting's Markdown fields together
	maxItems      = 1_000
	maxPeople     = 1_000
	maxListLength = 1_000 // sections, attachments, groups, absent names per item
)

// Validate checks every rule of the contract and reports every problem at
// once. It fills defaults (language "da", kind "other", access "open", role
// "member", attendance "present") and parses the times.
func (m *Meeting) Validate() error {
	var p problems
	required(&p, "municipality", m.Municipality)
	required(&p, "committee", m.Committee)
	short(&p, "title", m.Title)
	required(&p, "location", m.Location)
	markdown(&p, "note", m.Note)
	oneOf(&p, "language", &m.Language, "da", "da", "en")
	oneOf(&p, "status", &m.Status, StatusFinal, StatusFinal, StatusDraft)

	if m.Start.IsZero() {
		p.add("start", "is required")
	} else if t, err := parseTime(m.Start.Raw); err != nil {
		p.add("start", "%s", err)
	} else {
		m.Start.Time = t
	}
	if !m.End.IsZero() {
		if t, err := parseTime(m.End.Raw); err != nil {
			p.add("end", "%s", err)
		} else {
			m.End.Time = t
			if !m.Start.Time.IsZero() && t.Before(m.Start.Time) {
				p.add("end", "is before start (%s)", m.Start.Raw)
			}
		}
	}

	groups := map[string]bool{}
	limit(&p, "groups", len(m.Groups), maxListLength)
	for i := range m.Groups {
		g := &m.Groups[i]
		path := at("groups", i)
		required(&p, dot(path, "code"), g.Code)
		required(&p, dot(path, "title"), g.Title)
		if g.Code != "" && groups[g.Code] {
			p.add(dot(path, "code"), "%q is used by an earlier group", g.Code)
		}
		groups[g.Code] = true
	}

	numbers := map[string]bool{}
	if len(m.Items) == 0 {
		p.add("items", "at least one item is required")
	}
	limit(&p, "items", len(m.Items), maxItems)
	for i := range m.Items {
		it := &m.Items[i]
		path := at("items", i)
		required(&p, dot(path, "number"), it.Number)
		if strings.TrimSpace(it.Number) != "" {
			if numbers[it.Number] {
				p.add(dot(path, "number"), "%q is used by an earlier item", it.Number)
			}
			numbers[it.Number] = true
		}
		it.validate(&p, path, groups, len(m.Groups) > 0)
	}

	if n := m.textSize(); n > maxTexts {
		// Markdown parsing is superlinear on some inputs: bound the whole
		p.add("", "the meeting's texts total %d characters; at most %d are allowed", n, maxTexts)
	}

	m.validateParticipants(&p, numbers)
	who := map[string]int{} // a participant's index by name, the first of a name
	for i := len(m.Participants) - 1; i >= 0; i-- {
		who[m.Participants[i].Name] = i
	}
	m.validatePresence(&p, who)
	m.validateDissents(&p, who)
	m.validateApprovals(&p, who)
	return p.err()
}

// validateApprovals checks that each approval is a member's who was
// there, once, with a time not before the meeting.
func (m *Meeting) validateApprovals(p *problems, who map[string]int) {
	limit(p, "approvals", len(m.Approvals), maxPeople)
	seen := map[string]bool{}
	for i := range m.Approvals {
		a := &m.Approvals[i]
		path := at("approvals", i)
		short(p, dot(path, "method"), a.Method)
		switch pi, ok := who[a.By]; {
		case a.By == "":
			p.add(dot(path, "by"), "is required")
		case !ok:
			p.add(dot(path, "by"), "%s", m.notAParticipant(p, a.By))
		case !m.Participants[pi].Signs():
			p.add(dot(path, "by"), "%q is not a member present at the meeting: only they approve the minutes", truncate(a.By))
		case seen[a.By]:
			p.add(dot(path, "by"), "%q has approved already", truncate(a.By))
		}
		seen[a.By] = true
		if a.At.IsZero() {
			p.add(dot(path, "at"), "is required")
		} else if t, err := parseTime(a.At.Raw); err != nil {
			p.add(dot(path, "at"), "%s", err)
		} else {
			a.At.Time = t
			if !m.Start.Time.IsZero() && t.Before(m.Start.Time) {
				p.add(dot(path, "at"), "is before the meeting's start (%s)", m.Start.Raw)
			}
		}
	}
}

// Signs reports whether the participant signs the minutes: a member
// (chair, vice chair, member or substitute) present at the meeting.
func (pt *Participant) Signs() bool {
	switch pt.Role {
	case RoleChair, RoleViceChair, RoleMember, RoleSubstitute:
		return pt.Attendance == AttendancePresent
	}
	return false
}

// validateParticipants checks the participants; numbers are the items'.
func (m *Meeting) validateParticipants(p *problems, numbers map[string]bool) {
	limit(p, "participants", len(m.Participants), maxPeople)
	for i := range m.Participants {
		pt := &m.Participants[i]
		path := at("participants", i)
		required(p, dot(path, "name"), pt.Name)
		short(p, dot(path, "party"), pt.Party)
		short(p, dot(path, "title"), pt.Title)
		short(p, dot(path, "note"), pt.Note)
		oneOf(p, dot(path, "role"), &pt.Role, RoleMember,
			RoleChair, RoleViceChair, RoleMember, RoleSubstitute, RoleOfficial, RoleGuest, RoleMinuteTaker)
		oneOf(p, dot(path, "attendance"), &pt.Attendance, AttendancePresent,
			AttendancePresent, AttendanceAbsent, AttendanceApologies)
		for j, n := range pt.Items {
			if !numbers[n] {
				p.add(at(dot(path, "items"), j), "%q is not the number of an item", n)
			}
		}
	}
}

// validatePresence checks what only a whole meeting shows: one chair and
// one vice chair at most, and items' absent lists naming participants.
func (m *Meeting) validatePresence(p *problems, who map[string]int) {
	first := map[string]int{}
	for i, pt := range m.Participants {
		if pt.Role != RoleChair && pt.Role != RoleViceChair {
			continue
		}
		if j, ok := first[pt.Role]; ok {
			p.add(dot(at("participants", i), "role"), "%s is a second %s: %s (participants[%d]) is one already",
				truncate(pt.Name), pt.Role, truncate(m.Participants[j].Name), j)
			continue
		}
		first[pt.Role] = i
	}
	for i := range m.Items {
		for j, n := range m.Items[i].Absent {
			if _, ok := who[n]; n != "" && !ok {
				p.add(at(dot(at("items", i), "absent"), j), "%s", m.notAParticipant(p, n))
			}
		}
	}
}

// notAParticipant says a name is nobody's, with the nearest name when a
// slip of a letter or two explains it (not past the listed problems).
func (m *Meeting) notAParticipant(p *problems, n string) message {
	msg := msgf("%q is not the name of a participant", truncate(n))
	if len(n) > 64 || len(p.list) >= 20 { // the distances cost: the first few get them
		return msg
	}
	best, bestD := "", 3
	for _, pt := range m.Participants {
		if len(pt.Name) > 64 {
			continue
		}
		if d := editDistance(strings.ToLower(n), strings.ToLower(pt.Name)); d < bestD {
			best, bestD = pt.Name, d
		}
	}
	if best != "" {
		return msgf("%q is not the name of a participant (did you mean %q?)", truncate(n), best)
	}
	return msg
}

// validateDissents checks that each statement names participants who
// were there: present at the meeting, and not absent from the item.
func (m *Meeting) validateDissents(p *problems, who map[string]int) {
	for i := range m.Items {
		path := dot(at("items", i), "dissents")
		limit(p, path, len(m.Items[i].Dissents), maxListLength)
		for j, d := range m.Items[i].Dissents {
			dp := at(path, j)
			if len(d.By) == 0 {
				p.add(dot(dp, "by"), "names no one; give the names of the members behind the statement")
			}
			for k, n := range d.By {
				pi, ok := who[n]
				switch {
				case !ok:
					p.add(at(dot(dp, "by"), k), "%s", m.notAParticipant(p, n))
				case m.Participants[pi].Attendance != "" && m.Participants[pi].Attendance != AttendancePresent:
					p.add(at(dot(dp, "by"), k), "%q was not at the meeting (attendance %q): only those present make statements for the record", truncate(n), m.Participants[pi].Attendance)
				case slices.Contains(m.Items[i].Absent, n):
					p.add(at(dot(dp, "by"), k), "%q is absent from this item (its absent list): only those present make statements for the record", truncate(n))
				}
			}
			if strings.TrimSpace(d.Text) == "" {
				p.add(dot(dp, "text"), "is required")
			} else {
				markdown(p, dot(dp, "text"), d.Text)
			}
		}
	}
}

// textSize is the number of characters in all Markdown fields.
func (m *Meeting) textSize() int {
	n := utf8.RuneCountInString(m.Note)
	for i := range m.Items {
		it := &m.Items[i]
		n += utf8.RuneCountInString(it.Summary) + utf8.RuneCountInString(it.Recommendation) + utf8.RuneCountInString(it.Decision)
		for _, s := range it.Sections {
			n += utf8.RuneCountInString(s.Body)
		}
		for _, d := range it.Dissents {
			n += utf8.RuneCountInString(d.Text)
		}
	}
	return n
}

func (it *Item) validate(p *problems, path string, groups map[string]bool, haveGroups bool) {
	required(p, dot(path, "title"), it.Title)
	oneOf(p, dot(path, "kind"), &it.Kind, KindOther, KindDecision, KindInformation, KindDiscussion, KindOther)
	oneOf(p, dot(path, "access"), &it.Access, AccessOpen, AccessOpen, AccessClosed)
	if it.Group != "" && !groups[it.Group] {
		if haveGroups {
			p.add(dot(path, "group"), "%q is not the code of a group", it.Group)
		} else {
			p.add(dot(path, "group"), "%q names a group, but the meeting has no groups", it.Group)
		}
	}
	short(p, dot(path, "case_number"), it.CaseNumber)
	short(p, dot(path, "decided_by"), it.DecidedBy)
	if it.DurationMinutes < 0 || it.DurationMinutes > 24*60 {
		p.add(dot(path, "duration_minutes"), "must be between 0 and 1440, not %d", it.DurationMinutes)
	}
	markdown(p, dot(path, "summary"), it.Summary)
	markdown(p, dot(path, "recommendation"), it.Recommendation)
	markdown(p, dot(path, "decision"), it.Decision)
	limit(p, dot(path, "sections"), len(it.Sections), maxListLength)
	for j, s := range it.Sections {
		sp := at(dot(path, "sections"), j)
		required(p, dot(sp, "heading"), s.Heading)
		markdown(p, dot(sp, "body"), s.Body)
	}
	limit(p, dot(path, "absent"), len(it.Absent), maxListLength)
	for j, n := range it.Absent {
		required(p, at(dot(path, "absent"), j), n)
	}
	limit(p, dot(path, "attachments"), len(it.Attachments), maxListLength)
	for j := range it.Attachments {
		a := &it.Attachments[j]
		ap := at(dot(path, "attachments"), j)
		required(p, dot(ap, "title"), a.Title)
		short(p, dot(ap, "number"), a.Number)
		short(p, dot(ap, "reference"), a.Reference)
		oneOf(p, dot(ap, "access"), &a.Access, AccessOpen, AccessOpen, AccessClosed)
		if a.File != "" {
			if msg := CheckFileName(a.File); msg != "" {
				p.add(dot(ap, "file"), "%s", msg)
			}
		}
	}
	limit(p, dot(path, "budget_tables"), len(it.BudgetTables), maxListLength)
	for j := range it.BudgetTables {
		it.BudgetTables[j].validate(p, at(dot(path, "budget_tables"), j))
	}
}

func parseTime(s string) (time.Time, error) {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return t, msgf("must be an RFC 3339 time with an offset, e.g. \"2014-08-19T13:00:00+02:00\", not %q", truncate(s))
	}
	// time.Parse takes offsets up to ±99:59; RFC 3339's end at ±23:59
	if _, off := t.Zone(); off <= -24*3600 || off >= 24*3600 {
		return t, msgf("has the offset %s; an offset must lie between -23:59 and +23:59", s[len(s)-6:])
	}
	return t, nil
}

func required(p *problems, path, v string) {
	if strings.TrimSpace(v) == "" {
		p.add(path, "is required")
		return
	}
	short(p, path, v)
}

// CheckFileName says what is wrong with an attachment's file name, or
// "" if nothing is: a name of at most 255 bytes, no folder, nothing a
// file system or a multipart header reads differently.
func CheckFileName(name string) string {
	switch {
	case len(name) > 255:
		return fmt.Sprintf("is %d bytes long; a file name has at most 255", len(name))
	case name == "." || name == "..":
		return fmt.Sprintf("%q is not a file name", name)
	case strings.ContainsAny(name, `/\`):
		return fmt.Sprintf("%q has a folder in it; give the file's name alone, e.g. %q", truncate(name), lastElem(name))
	case strings.TrimSpace(name) != name:
		return fmt.Sprintf("%q begins or ends with white space", truncate(name))
	case !utf8.ValidString(name) || strings.ContainsFunc(name, func(r rune) bool { return r < 0x20 || r == 0x7F || r == '"' }):
		return fmt.Sprintf("%q has characters a file name cannot have (control characters or quotes)", truncate(name))
	}
	return ""
}

func lastElem(name string) string {
	if i := strings.LastIndexAny(name, `/\`); i >= 0 && i < len(name)-1 {
		return name[i+1:]
	}
	return "bilag.pdf"
}

func short(p *problems, path, v string) {
	if n := utf8.RuneCountInString(v); n > maxShort {
		p.add(path, "is %d characters long; at most %d are allowed", n, maxShort)
	}
}

func markdown(p *problems, path, v string) {
	if n := utf8.RuneCountInString(v); n > maxMarkdown {
		p.add(path, "is %d characters long; at most %d are allowed", n, maxMarkdown)
		return
	}
	if d := MarkdownNesting(v); d > MaxNesting {
		p.add(path, "nests lists or quotes %d deep; at most %d levels are allowed", d, MaxNesting)
	}
}

// MaxNesting bounds how deep lists and block quotes nest in one Markdown
// field. Parsing and laying out nesting costs the square of its depth
// (30,000 levels on one line: 1.6 s); committee papers use three or four.
const MaxNesting = 32

// MarkdownNesting estimates the deepest nesting of lists and quotes in md: per
// line, the container markers it starts with ("- ", "> ", "1. ") plus
// its indentation in steps of four columns.
func MarkdownNesting(md string) int {
	deepest := 0
	for line := range strings.Lines(md) {
		depth, col, i := 0, 0, 0
		for i < len(line) {
			switch c := line[i]; {
			case c == ' ':
				col++
				i++
				continue
			case c == '\t':
				col += 4
				i++
				continue
			case c == '>':
				depth++
				i++
				continue
			case (c == '-' || c == '*' || c == '+') && i+1 < len(line) && (line[i+1] == ' ' || line[i+1] == '\t'):
				depth++
				i += 2
				continue
			case c >= '0' && c <= '9':
				j := i
				for j < len(line) && j-i < 9 && line[j] >= '0' && line[j] <= '9' {
					j++
				}
				if j+1 < len(line) && (line[j] == '.' || line[j] == ')') && (line[j+1] == ' ' || line[j+1] == '\t') {
					depth++
					i = j + 2
					continue
				}
			}
			break
		}
		deepest = max(deepest, depth+col/4)
	}
	return deepest
}

func limit(p *problems, path string, n, max int) {
	if n > max {
		p.add(path, "has %d entries; at most %d are allowed", n, max)
	}
}

// oneOf checks an enumerated field and fills its default when empty.
func oneOf(p *problems, path string, v *string, def string, allowed ...string) {
	if *v == "" {
		*v = def
		return
	}
	for _, a := range allowed {
		if *v == a {
			return
		}
	}
	p.add(path, "must be one of %s, not %q", choices(allowed), *v)
}

func quoteList(list []string) string {
	q := make([]string, len(list))
	for i, s := range list {
		q[i] = `"` + s + `"`
	}
	return strings.Join(q, ", ")
}
