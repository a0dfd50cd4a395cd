package view

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"protokol/internal/data"
	"protokol/internal/locale"
)

// Meeting is what agenda and minutes templates see as ".".
type Meeting struct {
	Lang                    string         // "da" or "en": the labels'
	TextLang                string         // the language of the meeting's own text (its language field)
	L                       *locale.Labels // the fixed words in Lang
	Document                string         // "agenda" or "minutes"
	IsMinutes               bool           // Document == "minutes"
	Public                  bool           // the version for publication: closed items are redacted
	DocumentName            string         // "Dagsorden"/"Referat"/"Tillægsdagsorden"/"Beslutningsprotokol" (or English)
	IsDecisions             bool           // the decision record
	Draft                   bool           // status draft: marked UDKAST on every page
	Addendum                bool           // the supplementary agenda (tillægsdagsorden): only the addendum items
	Signatures              bool           // minutes with a signature sheet
	Signers                 []Person       // for the signature sheet: the members present, chair first, then vice chair, then by party
	NotApproved             []string       // with digital approvals: the signers who have not approved
	MemberList              string         // the members (all, or those present in minutes) as the front page names them: chair and vice chair first, with their roles
	Municipality, Committee string
	Title                   string // optional subtitle
	Location                string
	Start, End              Date               // End.IsZero() when not given
	TimeRange               string             // "kl. 13:00–16:00"
	Note                    string             // Markdown (front-page remarks)
	Members                 []Person           // chair, vice chair, members, substitutes, in the order given
	PresentMembers          []Person           // Members who attend
	Absent                  []Person           // everyone marked absent
	Apologies               []Person           // everyone who sent apologies
	Others                  []Person           // officials, minute-takers and guests for the whole meeting, attending
	Guests                  []Person           // guests for particular items, attending
	MinuteTaker             *Person            // nil if none
	Items                   []*Item            // every item, in order
	Open                    []*Item            // open items
	Closed                  []*Item            // closed items
	Groups                  []*ItemGroup       // open items by group (one untitled group when there are no groups)
	Attachments             []*ItemAttachments // items with attachments to list, in order
	Packet                  bool               // attachments with files are placed after their items (Attachment.Place)
}

// Person is a participant.
type Person struct {
	Name, Party, Role, Title, Note, Attendance string
	// Approved says a signer's digital approval: "Godkendt digitalt
	// 12.01.2017 kl. 09:14 (FirstAgenda)"; "" without one.
	Approved      string
	RoleLabel     string   // "formand", … ("" for plain members)
	Items         []string // item numbers a guest attends
	Display       string   // "Per Clausen (Ø)"
	IsMinuteTaker bool
}

// Item is one agenda item.
type Item struct {
	Index          int // 1-based position
	Number, Title  string
	Anchor         string // link target of its heading, e.g. "punkt-3"
	Label          string // "3. Title"
	Heading        string // "Punkt 3. Title"
	Kind           string // decision, information, discussion, other
	KindLabel      string // "Beslutningssag", … ("" for other)
	Closed         bool
	AccessLabel    string // "Åben" / "Lukket"
	Redacted       bool   // closed, in a public version: only number, title and "Lukket" remain
	Group          string // group code
	GroupTitle     string
	CaseNumber     string
	DecidedBy      string
	Duration       int    // minutes, 0 if not given
	Summary        string // Markdown
	Recommendation string // Markdown
	Sections       []Section
	Decision       string    // Markdown; only in minutes and the decision record
	Absent         []string  // only in minutes
	Addendum       bool      // added after the agenda went out
	Dissents       []Dissent // statements for the record; only in minutes and the decision record
	Attachments    []Attachment
	BudgetTables   []*BudgetTable
	Guests         []Person // guests attending this item
}

// Dissent is a statement for the record.
type Dissent struct {
	By   string // "Per Clausen (Ø) og Daniel Nyboe Andersen (B)"
	Text string // Markdown
}

// Section is a headed part of an item.
type Section struct {
	Heading string
	Body    string // Markdown, headings demoted below the template's
}

// Attachment is a Bilag.
type Attachment struct {
	Number, Title, Reference string
	Closed                   bool
	Label                    string // "Bilag 5.1": the item's number and the attachment's (or its position)
	Num                      string // "5.1": Label's number, safe as a list marker (letters, digits and . - ( ) only)
	File                     string // the name of its PDF ("" if none)
	// In a packet, for an attachment whose file goes in: the path that
	// names it (items[4].attachments[0]), its first page's link target,
	// and Place, the layout comment that puts its pages where the
	// template writes it. All "" otherwise.
	Key, Anchor, Place string
}

// Included reports whether the attachment's pages are in the packet.
func (a Attachment) Included() bool { return a.Key != "" }

// ItemGroup is a titled run of items.
type ItemGroup struct {
	Code, Title string // both "" for items outside any group
	Items       []*Item
}

// ItemAttachments are one item's attachments for the Bilagsliste.
type ItemAttachments struct {
	Item        *Item
	Attachments []Attachment
}

// bodyLevel is the heading level user Markdown starts at: below the
// templates' item (##) and section (###) headings.
const bodyLevel = 4

// MeetingOptions are what a view of a meeting is for.
type MeetingOptions struct {
	Document   data.Document // agenda, minutes or decisions
	Public     bool          // the version for publication
	Lang       locale.Lang   // "" keeps the meeting's language
	Addendum   bool          // the supplementary agenda: only the addendum items
	Signatures bool          // minutes with a signature sheet
	// Packet is the agenda packet: attachments with a file are placed in
	// the document after their item.
	Packet bool
}

// Label is a label (one of L's words) as Markdown: marked as Lang when
// the labels' language is not the text's, so a reader of the PDF reads
// it in its own language ({{$.Label $.L.Decision}}).
func (v *Meeting) Label(s string) string {
	if v.Lang == v.TextLang {
		return s
	}
	return `<span lang="` + v.Lang + `">` + s + `</span>`
}

// NewMeeting builds the view of a validated meeting.
func NewMeeting(m *data.Meeting, o MeetingOptions) *Meeting {
	l := o.Lang.Or(locale.Lang(m.Language))
	lb := l.Labels()
	v := &Meeting{
		Lang: string(l), TextLang: cmp.Or(m.Language, string(l)), L: lb, Document: string(o.Document), IsMinutes: o.Document == data.DocMinutes,
		IsDecisions: o.Document == data.DocDecisions, Public: o.Public, Draft: m.Status == data.StatusDraft,
		Addendum: o.Addendum && o.Document == data.DocAgenda, Signatures: o.Signatures && o.Document == data.DocMinutes,
		Municipality: m.Municipality, Committee: m.Committee, Title: m.Title, Location: m.Location,
		Start: Date{m.Start.Time, l}, End: Date{m.End.Time, l},
		TimeRange: l.TimeRange(m.Start.Time, m.End.Time),
		Note:      Demote(m.Note, bodyLevel),
		Packet:    o.Packet,
	}
	switch {
	case v.IsMinutes:
		v.DocumentName = lb.Minutes
	case v.IsDecisions:
		v.DocumentName = lb.Decisions
	case v.Addendum:
		v.DocumentName = lb.AddendumAgenda
	default:
		v.DocumentName = lb.Agenda
	}
	v.people(m, o.Public)
	v.items(m, l, o.Document)
	v.groups(m.Groups)
	members := v.Members
	if o.Document.Decided() {
		members = v.PresentMembers
	}
	v.MemberList = memberList(l, members)
	if v.Signatures {
		v.Signers = signers(v.PresentMembers)
		v.approvals(m.Approvals, l)
	}
	return v
}

// approvals marks each signer who approved digitally, and names those who
// have not when any have.
func (v *Meeting) approvals(as []data.Approval, l locale.Lang) {
	if len(as) == 0 {
		return
	}
	lb := l.Labels()
	by := map[string]data.Approval{}
	for _, a := range as {
		by[a.By] = a
	}
	for i := range v.Signers {
		a, ok := by[v.Signers[i].Name]
		if !ok {
			v.NotApproved = append(v.NotApproved, v.Signers[i].Display)
			continue
		}
		at := Date{a.At.Time, l}
		v.Signers[i].Approved = lb.ApprovedDigitally + " " + at.Short() + " " + lb.At + " " + at.Clock()
		if a.Method != "" {
			v.Signers[i].Approved += " (" + a.Method + ")"
		}
	}
}

// memberList names the members as a front page does: the chair and the
// vice chair first, with their roles, then the others by party ("Mai-Britt
// Iversen (A), formand; Per Clausen (Ø), næstformand; Anne Lund og Ib Holm
// (A), Mads Bech (O, stedfortræder)").
func memberList(l locale.Lang, ps []Person) string {
	var parts, rest []string
	var others []Person
	for _, p := range ps {
		if p.Role == data.RoleChair || p.Role == data.RoleViceChair {
			parts = append(parts, p.Display+", "+p.RoleLabel)
		} else {
			others = append(others, p)
		}
	}
	others = byParty(others)
	for i := 0; i < len(others); {
		j := i + 1
		for others[i].Party != "" && others[i].Role != data.RoleSubstitute && j < len(others) &&
			others[j].Party == others[i].Party && others[j].Role != data.RoleSubstitute {
			j++
		}
		var names []string
		for _, p := range others[i:j] {
			names = append(names, p.Name)
		}
		g := l.Join(names)
		var extra []string
		if others[i].Party != "" {
			extra = append(extra, others[i].Party)
		}
		if others[i].Role == data.RoleSubstitute {
			extra = append(extra, others[i].RoleLabel)
		}
		if len(extra) > 0 {
			g += " (" + strings.Join(extra, ", ") + ")"
		}
		rest = append(rest, g)
		i = j
	}
	if len(rest) > 0 {
		parts = append(parts, strings.Join(rest, ", "))
	}
	return strings.Join(parts, "; ")
}

// byParty orders members by party, the parties in the order they first
// appear and each party's members as given, so a front page names a
// party once ("John Calberg, Per Tærsbøl og Philip Læborg (C)") however
// the participants were listed; substitutes come after their party's.
func byParty(ps []Person) []Person {
	first := map[string]int{}
	for i, p := range ps {
		if _, ok := first[p.Party]; !ok {
			first[p.Party] = i
		}
	}
	out := slices.Clone(ps)
	slices.SortStableFunc(out, func(a, b Person) int {
		if c := first[a.Party] - first[b.Party]; c != 0 {
			return c
		}
		return boolInt(a.Role == data.RoleSubstitute) - boolInt(b.Role == data.RoleSubstitute)
	})
	return out
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// signers are the members present in the signature sheet's order: the
// chair, the vice chair, then the others by party, in the order the
// parties first appear.
func signers(present []Person) []Person {
	var out, rest []Person
	for _, role := range []string{data.RoleChair, data.RoleViceChair} {
		for _, p := range present {
			if p.Role == role {
				out = append(out, p)
			}
		}
	}
	for _, p := range present {
		if p.Role != data.RoleChair && p.Role != data.RoleViceChair {
			rest = append(rest, p)
		}
	}
	first := map[string]int{}
	for i, p := range rest {
		if _, ok := first[p.Party]; !ok {
			first[p.Party] = i
		}
	}
	slices.SortStableFunc(rest, func(a, b Person) int { return first[a.Party] - first[b.Party] })
	return append(out, rest...)
}

// people sorts the participants into members, absent, others and guests.
// A public version leaves out anyone who attended only closed items (a
// guest, an official, a member named for some items): who attended a
// closed item is part of its content.
func (v *Meeting) people(m *data.Meeting, public bool) {
	closed := map[string]bool{}
	for _, it := range m.Items {
		closed[it.Number] = it.Closed()
	}
	for _, p := range m.Participants {
		if public && len(p.Items) > 0 {
			// anyone placed by the items they attend, whatever their
			// role: one who attends only closed items is not named
			var open []string
			for _, n := range p.Items {
				if !closed[n] {
					open = append(open, n)
				}
			}
			if len(open) == 0 {
				continue
			}
			p.Items = open // p is a copy
		}
		pv := person(p, v.L)
		switch pv.Attendance {
		case data.AttendanceAbsent:
			v.Absent = append(v.Absent, pv)
		case data.AttendanceApologies:
			v.Apologies = append(v.Apologies, pv)
		}
		present := pv.Attendance == data.AttendancePresent
		switch p.Role {
		case data.RoleChair, data.RoleViceChair, data.RoleMember, data.RoleSubstitute:
			v.Members = append(v.Members, pv)
			if present {
				v.PresentMembers = append(v.PresentMembers, pv)
			}
		case data.RoleGuest:
			if present && len(p.Items) > 0 {
				v.Guests = append(v.Guests, pv)
			} else if present {
				v.Others = append(v.Others, pv)
			}
		default:
			if present {
				v.Others = append(v.Others, pv)
			}
			if pv.IsMinuteTaker && v.MinuteTaker == nil {
				mt := pv
				v.MinuteTaker = &mt
			}
		}
	}
}

// items builds the items, open and closed, and the attachment list.
func (v *Meeting) items(m *data.Meeting, l locale.Lang, document data.Document) {
	groupTitle := map[string]string{}
	for _, g := range m.Groups {
		groupTitle[g.Code] = g.Title
	}
	for i := range m.Items {
		if v.Addendum && !m.Items[i].Addendum {
			continue // the supplementary agenda has only the addendum items, numbered as in the meeting
		}
		it := v.item(&m.Items[i], i+1, l, groupTitle, document)
		v.Items = append(v.Items, it)
		if it.Closed {
			v.Closed = append(v.Closed, it)
		} else {
			v.Open = append(v.Open, it)
		}
		if len(it.Attachments) > 0 {
			v.Attachments = append(v.Attachments, &ItemAttachments{Item: it, Attachments: it.Attachments})
		}
	}
}

// groups puts the open items under their groups, in the groups' order;
// items of no group come last, under "Øvrige sager". Without groups, all
// open items are one untitled group.
func (v *Meeting) groups(groups []data.Group) {
	if len(groups) == 0 {
		if len(v.Open) > 0 {
			v.Groups = []*ItemGroup{{Items: v.Open}}
		}
		return
	}
	for _, g := range groups {
		grp := &ItemGroup{Code: g.Code, Title: g.Title}
		for _, it := range v.Open {
			if it.Group == g.Code {
				grp.Items = append(grp.Items, it)
			}
		}
		if len(grp.Items) > 0 {
			v.Groups = append(v.Groups, grp)
		}
	}
	var loose []*Item
	for _, it := range v.Open {
		if it.Group == "" {
			loose = append(loose, it)
		}
	}
	if len(loose) > 0 {
		v.Groups = append(v.Groups, &ItemGroup{Title: v.L.Ungrouped, Items: loose})
	}
}

func person(p data.Participant, lb *locale.Labels) Person {
	pv := Person{Name: p.Name, Party: p.Party, Role: p.Role, Title: p.Title, Note: p.Note,
		Attendance: p.Attendance, Items: p.Items, IsMinuteTaker: p.Role == data.RoleMinuteTaker}
	pv.RoleLabel = map[string]string{data.RoleChair: lb.Chair, data.RoleViceChair: lb.ViceChair,
		data.RoleSubstitute: lb.Substitute}[p.Role]
	pv.Display = p.Name
	if p.Party != "" {
		pv.Display += " (" + p.Party + ")"
	}
	return pv
}

func (v *Meeting) item(it *data.Item, index int, l locale.Lang, groupTitle map[string]string, document data.Document) *Item {
	lb := l.Labels()
	iv := &Item{Index: index, Number: it.Number, Title: it.Title, Anchor: "punkt-" + strconv.Itoa(index), Closed: it.Closed()}
	sep := ". "
	if strings.HasSuffix(it.Number, ".") || strings.HasSuffix(it.Number, ")") {
		sep = " "
	}
	iv.Label = it.Number + sep + it.Title
	iv.Heading = lb.Item + " " + iv.Label
	iv.AccessLabel = lb.Open
	if iv.Closed {
		iv.AccessLabel = lb.Closed
	}
	if v.Public && iv.Closed {
		// A closed item in a public version is built from the three
		// fields it may show (number, title, "Lukket") and nothing else:
		// not its kind, group or addendum mark, so a template cannot
		// print what it is never given.
		iv.Redacted = true
		return iv
	}
	iv.Kind, iv.Group, iv.GroupTitle, iv.Addendum = it.Kind, it.Group, groupTitle[it.Group], it.Addendum
	iv.KindLabel = map[string]string{data.KindDecision: lb.KindDecision, data.KindInformation: lb.KindInformation,
		data.KindDiscussion: lb.KindDiscussion}[it.Kind]
	iv.CaseNumber, iv.DecidedBy, iv.Duration = it.CaseNumber, it.DecidedBy, it.DurationMinutes
	iv.Summary = Demote(it.Summary, bodyLevel)
	iv.Recommendation = Demote(it.Recommendation, bodyLevel)
	for _, s := range it.Sections {
		iv.Sections = append(iv.Sections, Section{Heading: s.Heading, Body: Demote(s.Body, bodyLevel)})
	}
	if document.Decided() {
		iv.Decision = Demote(it.Decision, bodyLevel)
		iv.Dissents = v.dissents(it.Dissents, l)
	}
	if v.IsMinutes {
		iv.Absent = it.Absent
	}
	itemNo := strings.TrimRight(it.Number, ".)")
	for j, a := range it.Attachments {
		if v.Public && a.Closed() {
			continue
		}
		av := Attachment{Number: a.Number, Title: a.Title, Reference: a.Reference, Closed: a.Closed(), File: a.File}
		n := strings.TrimRight(a.Number, ".)")
		switch {
		case n == "":
			n = itemNo + "." + strconv.Itoa(j+1)
		case !strings.HasPrefix(n, itemNo+"."):
			n = itemNo + "." + n // "1" under item 5 is 5.1; "5.1" is 5.1 already, never 5.5.1
		}
		av.Label = lb.Attachment + " " + n
		av.Num = markerSafe(n, markerSafe(itemNo+"."+strconv.Itoa(j+1), strconv.Itoa(j+1)))
		if v.Packet && a.File != "" {
			av.Key = fmt.Sprintf("items[%d].attachments[%d]", index-1, j)
			av.Anchor = fmt.Sprintf("bilag-%d-%d", index, j+1)
			av.Place = "\n\n<!-- attachment " + av.Key + " -->\n\n"
		}
		iv.Attachments = append(iv.Attachments, av)
	}
	for i := range it.BudgetTables {
		iv.BudgetTables = append(iv.BudgetTables, NewBudgetTable(&it.BudgetTables[i], l))
		iv.BudgetTables[i].keyCharts(fmt.Sprintf("i%dt%d", index, i))
	}
	for _, p := range v.Guests {
		if slices.Contains(p.Items, it.Number) {
			iv.Guests = append(iv.Guests, p)
		}
	}
	return iv
}

// markerSafe is s when it is a plain number a layout directive can carry
// (letters, digits, ".", "-", "(", ")"; at most 16), else fallback.
func markerSafe(s, fallback string) string {
	if s == "" || len(s) > 16 || strings.ContainsFunc(s, func(r rune) bool {
		return !(r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r == '.' || r == '-' || r == '(' || r == ')')
	}) {
		return fallback
	}
	return s
}

// dissents names the members behind each statement with their parties.
func (v *Meeting) dissents(ds []data.Dissent, l locale.Lang) []Dissent {
	display := map[string]string{}
	for _, p := range slices.Concat(v.Members, v.Others, v.Guests, v.Absent, v.Apologies) {
		display[p.Name] = p.Display
	}
	var out []Dissent
	for _, d := range ds {
		var names []string
		for _, n := range d.By {
			if s, ok := display[n]; ok {
				names = append(names, s)
			} else {
				names = append(names, n)
			}
		}
		out = append(out, Dissent{By: l.Join(names), Text: Demote(d.Text, bodyLevel)})
	}
	return out
}

// Date is a time in the document's language; templates call its methods.
type Date struct {
	t    time.Time
	lang locale.Lang
}

// Time is the underlying time, in the meeting's own offset.
// TimeOf is the time of a Date. It is a function, not a method, so that
// templates cannot reach the time.Time and its host-dependent methods
// (Local, say): they get formatted values only.
func TimeOf(d Date) time.Time { return d.t }

// IsZero reports whether no time was given.
func (d Date) IsZero() bool { return d.t.IsZero() }

// Long is "tirsdag den 19. august 2014" ("Tuesday 19 August 2014").
func (d Date) Long() string { return d.lang.LongDate(d.t) }

// Date is "19. august 2014" ("19 August 2014").
func (d Date) Date() string { return d.lang.Date(d.t) }

// Short is "19.08.2014" ("19/08/2014").
func (d Date) Short() string { return d.lang.ShortDate(d.t) }

// Clock is "13:00".
func (d Date) Clock() string { return d.lang.Clock(d.t) }

// Weekday is "tirsdag" ("Tuesday").
func (d Date) Weekday() string { return d.lang.Weekday(d.t) }

// Year is 2014.
func (d Date) Year() int { return d.t.Year() }

// ISO is "2014-08-19".
func (d Date) ISO() string {
	if d.t.IsZero() {
		return ""
	}
	return d.t.Format("2006-01-02")
}

// String is the long form, so {{.Start}} prints something sensible.
func (d Date) String() string { return d.Long() }

// Charts lists the charts of the items' budget tables, for the PDF.
func (v *Meeting) Charts() []*Chart {
	var out []*Chart
	for _, it := range v.Items {
		for _, t := range it.BudgetTables {
			out = append(out, t.Charts...)
		}
	}
	return out
}
