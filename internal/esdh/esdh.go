// Package esdh reads the meeting exports of the Danish case systems
// (ESDH) into Protokol's meeting document: SBSYS, eDoc, Fujitsu eDoc,
// Acadre and AGMAN, the five that OS2web meetings (the municipalities'
// shared publishing module) reads. Each format has its file, following
// what OS2web's reader of it takes (the comments name the reader's
// selectors); this file holds what they share: the formats, detection,
// dates, texts and problems.
//
// What an export lacks is left empty, never invented (SBSYS names no
// municipality: the caller may give one); what cannot be mapped is a
// Problem naming the XML path and line. The result is our JSON, so it
// goes through the same decoding and validation as any document.
package esdh

import (
	"context"
	"fmt"
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	_ "time/tzdata" // Europe/Copenhagen on a machine without a zone database

	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"

	"protokol/internal/data"
)

// Format is an export format.
type Format string

// The formats.
const (
	SBSYS   Format = "sbsys"
	EDoc    Format = "edoc"
	Fujitsu Format = "fujitsu"
	Acadre  Format = "acadre"
	AGMAN   Format = "agman"
)

// Formats are the formats, in the order they are listed.
var Formats = []Format{SBSYS, EDoc, Fujitsu, Acadre, AGMAN}

// ParseFormat reads a format's name.
func ParseFormat(s string) (Format, error) {
	if slices.Contains(Formats, Format(s)) {
		return Format(s), nil
	}
	return "", fmt.Errorf("must be one of sbsys, edoc, fujitsu, acadre, agman, not %q", s)
}

// fujitsuNS is Fujitsu eDoc's namespace.
const fujitsuNS = "http://www.fujitsu.dk/agenda/xml/schemas/2009/03/31/"

// detect names the format by the root element and its namespace.
func detect(root *node) (Format, error) {
	switch {
	case root.name == "Dagsorden":
		return SBSYS, nil
	case root.name == "Meeting":
		return EDoc, nil
	case root.name == "Root" && root.space == fujitsuNS:
		return Fujitsu, nil
	case root.name == "Publication":
		return AGMAN, nil
	case root.name == "table" || findTable(root, "agenda", 3) != nil || findTable(root, "producedAgenda", 3) != nil:
		return Acadre, nil
	}
	return "", msg("the root element <%s> is none of the exports read here (SBSYS <Dagsorden>, eDoc <Meeting>, Fujitsu eDoc <Root xmlns=%q>, Acadre <table name=\"agenda\">, AGMAN <Publication>)", root.name, fujitsuNS)
}

// Detect names an export's format by its root element and namespace.
func Detect(b []byte) (Format, error) {
	root, err := parseXML(b, Limits{})
	if err != nil {
		return "", err
	}
	return detect(root)
}

// Problem is what could not be taken from an export, and where.
type Problem struct {
	Path    string `json:"path"` // e.g. /Dagsorden/Møde/@Mødedato
	Line    int    `json:"line"`
	Message string `json:"message"` // in English; In says it in Danish
	msg     *message
}

func (p Problem) String() string { return p.Text("en") }

// Text is the problem for a reader of lang ("da" or "en").
func (p Problem) Text(lang string) string {
	p = p.In(lang)
	if lang == "da" {
		return fmt.Sprintf("linje %d, %s: %s", p.Line, p.Path, p.Message)
	}
	return fmt.Sprintf("line %d, %s: %s", p.Line, p.Path, p.Message)
}

// problemAt is a problem whose message is err's.
func problemAt(path string, line int, err error) Problem {
	m, ok := err.(*message)
	if !ok {
		m = msg("%v", err)
	}
	if m.line > 0 {
		line = m.line
	}
	return Problem{Path: path, Line: line, Message: m.in("en"), msg: m}
}

// Error is an export that cannot be read, or a meeting it names that
// cannot be mapped.
type Error struct {
	Format   Format
	Problems []Problem
}

func (e *Error) Error() string { return e.Text("en") }

// Text is the error for a reader of lang ("da" or "en").
func (e *Error) Text(lang string) string {
	var b strings.Builder
	switch {
	case lang == "da" && e.Format == "":
		b.WriteString("eksporten kan ikke læses")
	case lang == "da":
		fmt.Fprintf(&b, "eksporten fra %s kan ikke læses", e.Format)
	case e.Format == "":
		b.WriteString("the export cannot be read")
	default:
		fmt.Fprintf(&b, "the %s export cannot be read", e.Format)
	}
	for i, p := range e.Problems {
		if i == 20 {
			fmt.Fprintf(&b, map[bool]string{true: "; og %d mere", false: "; and %d more"}[lang == "da"], len(e.Problems)-i)
			break
		}
		b.WriteString("; " + p.Text(lang))
	}
	return b.String()
}

// Options are what the caller adds to an export.
type Options struct {
	// Municipality and Location fill the fields when the export has none
	// (SBSYS names no municipality, eDoc no place).
	Municipality, Location string
	Limits                 Limits
}

// Result is an export read.
type Result struct {
	Format  Format
	Meeting *data.Meeting
	// Minutes: the export is of minutes (referat), not an agenda.
	Minutes bool
	// Files are the attachments' files as the export names them (paths
	// relative to the export's directory), by the name the meeting's
	// attachments give (Attachment.File).
	Files map[string]string
	// Problems are what was left out; the meeting is still made.
	Problems []Problem
	// the export's own identifiers of the meeting and of this agenda (as
	// OS2web's readers take them; empty where a format has none): the
	// agendas of one meeting are its agenda and addenda
	meetingID, agendaID string
}

// JSON is the meeting as our document.
func (r *Result) JSON() ([]byte, error) {
	return json.Marshal(r.Meeting, jsontext.WithIndent("  "))
}

// Import reads an export of format f ("" to detect it from the root
// element).
func Import(ctx context.Context, f Format, b []byte, o Options) (*Result, error) {
	root, err := parseXML(b, o.Limits)
	if err != nil {
		return nil, &Error{Format: f, Problems: []Problem{problemAt("/", 1, err)}}
	}
	return importTree(ctx, f, root, o)
}

// importTree is Import of an export already parsed.
func importTree(ctx context.Context, f Format, root *node, o Options) (*Result, error) {
	var err error
	if f == "" {
		if f, err = detect(root); err != nil {
			return nil, &Error{Problems: []Problem{problemAt("/"+root.name, root.line, err)}}
		}
	}
	r := &reader{ctx: ctx, res: &Result{Format: f, Meeting: &data.Meeting{}, Files: map[string]string{}}}
	switch f {
	case SBSYS:
		r.sbsys(root)
	case EDoc:
		r.edoc(root)
	case Fujitsu:
		r.fujitsu(root)
	case Acadre:
		r.acadre(root)
	case AGMAN:
		r.agman(root)
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	m := r.res.Meeting
	if m.Municipality == "" {
		m.Municipality = o.Municipality
	}
	if m.Location == "" {
		m.Location = o.Location
	}
	if len(m.Items) == 0 && len(r.res.Problems) == 0 {
		r.problem(root, "the export has no agenda items")
	}
	if r.fatal {
		return nil, &Error{Format: f, Problems: r.res.Problems}
	}
	return r.res, nil
}

// reader is one import under way.
type reader struct {
	ctx   context.Context
	res   *Result
	fatal bool // a problem that leaves no meeting
}

func (r *reader) problem(n *node, format string, args ...any) {
	line := 0
	if n != nil {
		line = n.line
	}
	r.res.Problems = append(r.res.Problems, problemAt(n.path(), line, msg(format, args...)))
}

// md is an export's HTML as Markdown; a text that cannot be converted is
// a problem, and left out.
func (r *reader) md(n *node) string {
	if n == nil {
		return ""
	}
	s, l, err := markdown(r.ctx, n.markup())
	if err != nil {
		r.problem(n, "the text cannot be read as HTML: %v", err)
		return ""
	}
	if len(l) > 0 {
		r.problem(n, "%s left out of the text (only its words, lists, tables and links are taken)", l)
	}
	return s
}

// copenhagen is Danish time, loaded when an export is first read.
var copenhagen = sync.OnceValue(func() *time.Location {
	l, err := time.LoadLocation("Europe/Copenhagen")
	if err != nil {
		panic(err) // time/tzdata is linked in
	}
	return l
})

var months = map[string]time.Month{"januar": 1, "februar": 2, "marts": 3, "april": 4, "maj": 5, "juni": 6, "juli": 7,
	"august": 8, "september": 9, "oktober": 10, "november": 11, "december": 12}

var danishDate = regexp.MustCompile(`^(\d{1,2})\.\s*([a-zæøå]+)\s+(\d{4})$`)

// when reads a date and a time as the exports write them, in Danish time
// unless they give an offset: "27. august 2018" and "16:00" (SBSYS),
// "2018-08-27T16:00:00" (eDoc, AGMAN, Fujitsu, Acadre), "27-08-2018
// 16:00", "27.08.2018 16.00".
func when(date, clock string) (time.Time, bool) {
	date, clock = strings.TrimSpace(date), strings.TrimSpace(clock)
	if date == "" {
		return time.Time{}, false
	}
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05Z07:00"} {
		if t, err := time.Parse(layout, date); err == nil {
			return t, true
		}
	}
	if m := danishDate.FindStringSubmatch(strings.ToLower(date)); m != nil {
		mon, ok := months[m[2]]
		if !ok {
			return time.Time{}, false
		}
		day, _ := strconv.Atoi(m[1])
		date = fmt.Sprintf("%s-%02d-%02d", m[3], int(mon), day)
	}
	s := strings.TrimSpace(date + " " + clock)
	for _, layout := range []string{"2006-01-02T15:04:05", "2006-01-02T15:04:05.999999999", "2006-01-02T15:04", "2006-01-02 15:04:05",
		"2006-01-02 15:04", "2006-01-02 15.04", "2006-01-02", "02-01-2006 15:04:05", "02-01-2006 15:04", "02-01-2006",
		"02.01.2006 15:04", "02.01.2006 15.04", "02.01.2006", "2.1.2006 15:04", "2.1.2006"} {
		if t, err := time.ParseInLocation(layout, s, copenhagen()); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// start sets the meeting's start (and end) from an export's fields.
func (r *reader) start(n *node, date, clock string) {
	t, ok := when(date, clock)
	if !ok {
		r.problem(n, "the meeting's date %q is not a date read here (e.g. \"27. august 2018\" and \"16:00\", or \"2018-08-27T16:00:00\")", strings.TrimSpace(date+" "+clock))
		return
	}
	r.res.Meeting.Start = stamp(t)
}

func (r *reader) end(n *node, date, clock string) {
	if strings.TrimSpace(date+clock) == "" {
		return
	}
	t, ok := when(date, clock)
	if !ok {
		r.problem(n, "the meeting's end %q is not a date read here; left out", strings.TrimSpace(date+" "+clock))
		return
	}
	if !r.res.Meeting.Start.IsZero() && t.Before(r.res.Meeting.Start.Time) {
		r.problem(n, "the meeting ends (%s) before it starts; the end is left out", t.Format(time.RFC3339))
		return
	}
	r.res.Meeting.End = stamp(t)
}

func stamp(t time.Time) data.Timestamp {
	return data.Timestamp{Raw: t.Format(time.RFC3339), Time: t}
}

// section files a text under the field its heading names (the headings
// Danish papers use), or as a section of its own.
func (r *reader) section(it *data.Item, heading, body string) {
	heading = strings.TrimSpace(heading)
	if body == "" {
		return
	}
	h := strings.ToLower(strings.TrimSuffix(heading, ":"))
	switch {
	case (h == "resumé" || h == "sagsresumé" || h == "resume" || h == "sagsresume") && it.Summary == "":
		it.Summary = body
	case (h == "indstilling" || h == "forslag til beslutning") && it.Recommendation == "":
		it.Recommendation = body
	case (h == "beslutning" || h == "afgørelse") && it.Decision == "":
		it.Decision = body
	default:
		if heading == "" {
			heading = "Sagsfremstilling"
		}
		it.Sections = append(it.Sections, data.Section{Heading: heading, Body: body})
	}
}

// attachment adds an attachment whose file the export names (a path in
// the export's directory, or a URL, which is kept as its reference).
func (r *reader) attachment(n *node, it *data.Item, title, file string, open bool) {
	title = strings.TrimSpace(title)
	if title == "" {
		title = path.Base(strings.ReplaceAll(file, `\`, "/"))
	}
	if title == "" || title == "." || title == "/" {
		r.problem(n, "an attachment without a title or a file; left out")
		return
	}
	a := data.Attachment{Title: title, Number: strconv.Itoa(len(it.Attachments) + 1)}
	if !open {
		a.Access = data.AccessClosed
	}
	file = strings.TrimSpace(strings.ReplaceAll(file, `\`, "/"))
	switch {
	case file == "":
	case strings.Contains(file, "://"):
		a.Reference = file
	default:
		a.Reference = file
		if strings.EqualFold(path.Ext(file), ".pdf") {
			a.File = r.fileName(file)
		}
	}
	it.Attachments = append(it.Attachments, a)
}

// fileName is the name an export's file goes by in the meeting: its base
// name, made unique.
func (r *reader) fileName(file string) string {
	name := path.Base(file)
	for i := 2; ; i++ {
		if prev, taken := r.res.Files[name]; !taken || prev == file {
			r.res.Files[name] = file
			return name
		}
		ext := path.Ext(file)
		name = strings.TrimSuffix(path.Base(file), ext) + " (" + strconv.Itoa(i) + ")" + ext
	}
}

// boolean reads an export's true and false ("true", "True", "1", "ja").
func boolean(s string) (v, ok bool) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "true", "1", "ja", "yes":
		return true, true
	case "false", "0", "nej", "no":
		return false, true
	}
	return false, false
}

// access is "open" or "closed".
func access(open bool) string {
	if open {
		return ""
	}
	return data.AccessClosed
}

// number is an item's number as the export gives it, or its place.
func number(s string, place int) string {
	if s = strings.TrimSpace(s); s != "" {
		return strings.TrimSuffix(s, ".")
	}
	return strconv.Itoa(place)
}

// sortItems orders items by number where the export lists them otherwise
// (eDoc, Fujitsu, Acadre sort by it).
func sortItems(items []data.Item) {
	slices.SortStableFunc(items, func(a, b data.Item) int {
		x, errA := strconv.Atoi(a.Number)
		y, errB := strconv.Atoi(b.Number)
		if errA == nil && errB == nil {
			return x - y
		}
		return 0
	})
}
