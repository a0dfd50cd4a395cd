// Package render turns validated documents into files: view, template,
// layout. It is what both the HTTP layer and the command line call.
package render

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"fmt"
	"github.com/shopspring/decimal"
	"io/fs"
	"slices"
	"strings"
	"text/template"
	"time"
	"unicode"

	"protokol/internal/attach"
	"protokol/internal/data"
	"protokol/internal/locale"
	"protokol/internal/render/font"
	"protokol/internal/render/layout"
	"protokol/internal/render/pdf"
	"protokol/internal/tmpl"
	"protokol/internal/view"
)

// Options are the choices a caller makes for one render.
type Options struct {
	Template string      // template set; "" is tmpl.DefaultSet
	Public   bool        // the version for publication
	Lang     locale.Lang // "" keeps the document's language
	Plain    bool        // a PDF without the structure tree and PDF/A parts (pdf=plain); archival and tagged by default
	// Addendum renders an agenda as the supplementary agenda
	// (tillægsdagsorden): only the items marked addendum.
	Addendum bool
	// Signatures adds a signature sheet to minutes.
	Signatures bool
	// Files makes an agenda packet: the attachments' PDFs, placed after
	// their items (packet.go). nil: the document alone.
	Files *Files
	// Seal signs minutes and decision records with the renderer's seal
	// (Config.Seal), PAdES baseline B-B, or B-T with a timestamp.
	Seal bool
}

// OptionError is an option that does not fit the document. Message reads
// after the option's name: "addendum is for agendas: …" on the command
// line (--addendum), "addendum: is for agendas: …" over HTTP.
type OptionError struct{ Option, Message string }

// Check says whether the options fit a document and format: the one
// place these rules live, for the command line, the service (before a
// body is read) and the renderer alike.
func (o Options) Check(d data.Document, f Format) error {
	switch {
	case o.Addendum && d != data.DocAgenda:
		return &OptionError{"addendum", "is for agendas: it renders the supplementary agenda"}
	case o.Signatures && d != data.DocMinutes:
		return &OptionError{"signatures", "is for minutes: it ends them with a signature sheet"}
	case o.Files != nil && d != data.DocAgenda && d != data.DocMinutes:
		name := string(d)
		if d == data.DocDecisions {
			name = "decision record"
		}
		return &OptionError{"attachments", "is for agendas and minutes: it makes the packet with the attachments' PDFs (a " + name + " has none)"}
	case o.Seal && d != data.DocMinutes && d != data.DocDecisions:
		return &OptionError{"seal", "is for minutes and decision records: they are what the members approve; an agenda or a budget is not sealed"}
	case o.Public && d == data.DocBudget:
		return &OptionError{"public", "is for agendas, minutes and decision records: a budget has no closed items to leave out"}
	case f == FormatXLSX && d != data.DocBudget:
		return &OptionError{"format", fmt.Sprintf("%s renders to PDF only", d)}
	}
	return nil
}

// SealError: the seal could not be made; no file was written.
type SealError = pdf.SealError

// Sealer signs a sealed document's digest (package seal's Signer).
type Sealer = pdf.Sealer

// ErrNoSeal: a seal was asked for, and none is configured.
var ErrNoSeal = &OptionError{"seal", "asks for a seal, but none is configured here (--seal-cert and --seal-key, or --seal-p12)"}

func (e *OptionError) Error() string { return e.Option + ": " + e.Message }

// Result is a finished file.
type Result struct {
	Body        []byte
	ContentType string
	Filename    string // a name for the file, e.g. "Dagsorden Beskæftigelsesudvalget 2014-08-19.pdf"
	Pages       int    // PDF only
	Replaced    int    // characters the font could not draw
	// Left is what a packet's attachment files held that their pages in
	// it do not (links, form fields, comments, attached files), per file.
	Left []LeftOut
}

// LeftOut is what one attachment file held that the packet does not
// carry: its pages' appearance and bookmarks are copied, nothing that
// acts or holds more (see package attach).
type LeftOut struct {
	File string              // the attachment's file
	What map[attach.Kind]int // how many of each
}

// String says it for a log or a terminal: "forlig.pdf: 3 links and 1
// form field are not carried over into the packet".
func (l LeftOut) String() string {
	var parts []string
	for _, k := range attach.Kinds() {
		if n := l.What[k]; n > 0 {
			name := string(k)
			if n == 1 {
				name = strings.TrimSuffix(name, "s")
			}
			parts = append(parts, fmt.Sprintf("%d %s", n, name))
		}
	}
	list := strings.Join(parts, ", ")
	if i := strings.LastIndex(list, ", "); i >= 0 {
		list = list[:i] + " and " + list[i+2:]
	}
	verb := "are"
	if len(parts) == 1 && strings.HasPrefix(list, "1 ") {
		verb = "is"
	}
	return fmt.Sprintf("%s: %s %s not carried over into the packet", l.File, list, verb)
}

// leftOut is what the packet's attachment files held that it does not.
func leftOut(atts []*pdf.Attachment) []LeftOut {
	var out []LeftOut
	for _, a := range atts {
		if a.Source != nil && len(a.Source.Left) > 0 {
			out = append(out, LeftOut{File: a.File, What: a.Source.Left})
		}
	}
	return out
}

// Content types of the results.
const (
	PDF  = "application/pdf"
	XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
)

// Renderer renders documents with a set of templates. It does not log:
// what a caller should know (pages, replaced characters) is in Result.
type Renderer struct {
	templates *tmpl.Registry
	lim       Limits
	worker    *attach.Worker
	seal      pdf.Sealer
}

// Limits bound the size of what a renderer makes. The zero value of a
// field means its default.
type Limits struct {
	MaxPages   int // pages of one PDF, attachments' not counted (default 5,000)
	MaxPDFRows int // budget table rows in one PDF, all tables together (default 50,000)
	// A packet's attachments, all files together: pages (default 2,000)
	// and bytes (default 16 MiB, the server's default body limit).
	MaxAttachmentPages int
	MaxAttachmentBytes int64
}

// DefaultLimits are the limits used when none are configured.
func DefaultLimits() Limits {
	return Limits{MaxPages: 5_000, MaxPDFRows: 50_000, MaxAttachmentPages: 2_000, MaxAttachmentBytes: 16 << 20}
}

func (l Limits) withDefaults() Limits {
	if l.MaxPages <= 0 {
		l.MaxPages = DefaultLimits().MaxPages
	}
	if l.MaxPDFRows <= 0 {
		l.MaxPDFRows = DefaultLimits().MaxPDFRows
	}
	if l.MaxAttachmentPages <= 0 {
		l.MaxAttachmentPages = DefaultLimits().MaxAttachmentPages
	}
	if l.MaxAttachmentBytes <= 0 {
		l.MaxAttachmentBytes = DefaultLimits().MaxAttachmentBytes
	}
	return l
}

// TooLargeError is a document larger than the renderer's limits allow:
// why, in English and in Danish.
type TooLargeError struct{ Reason, Danish string }

func (e *TooLargeError) Error() string { return e.Reason }

// maxTemplateNesting bounds the nesting of lists and quotes in what a
// template writes: the fields' own bound, and as much again around them.
const maxTemplateNesting = 2 * data.MaxNesting

// DefaultSet is the template set used when none is named.
const DefaultSet = tmpl.DefaultSet

// SetInfo describes a template set: its name, where it came from, and
// the documents it has templates for.
type SetInfo = tmpl.SetInfo

// TemplateError is a template that failed while running; its message
// names the template file and line.
type TemplateError = tmpl.ExecError

// Check reports whether the set exists and has a template for document
// (an error that IsNotFound recognises if not).
func (r *Renderer) Check(set string, document data.Document) error {
	return r.templates.Check(set, document)
}

// CanSeal: a seal is configured (Options.Seal can be asked for).
func (r *Renderer) CanSeal() bool { return r.seal != nil }

// Sets lists the template sets.
func (r *Renderer) Sets() []SetInfo { return r.templates.Sets() }

// TemplatesChanged reports whether the template directory changed since
// the templates were last loaded.
func (r *Renderer) TemplatesChanged() bool { return r.templates.Changed() }

// ReloadTemplates reads the template sets again; on error the previous
// ones stay in use.
func (r *Renderer) ReloadTemplates() error { return r.templates.Reload() }

// Config is what a renderer is made of.
type Config struct {
	Templates      fs.FS       // the embedded template sets, a directory each
	TemplateDir    string      // sets on disk, added to and overriding those ("" for none)
	TemplateLimits tmpl.Limits // bounds of one template execution
	Limits         Limits      // bounds of what is made
	// Worker, when set, reads a packet's attachment files in a child
	// process with its own limits (attach.Worker); nil reads them in
	// this process, which a library user or a test may choose, but a
	// service should not: the reader's memory is bounded only per stream.
	Worker *attach.Worker
	// Seal signs what asks for it (Options.Seal); nil: no seal is
	// configured, and asking for one is an OptionError.
	Seal pdf.Sealer
}

// docFuncs are the helpers templates get from the layout: the page number
// and count, which the footer's text holds as placeholders until the
// pages are counted.
var docFuncs = template.FuncMap{
	"page":  func() string { return pdf.Page },
	"pages": func() string { return pdf.Pages },
}

// loadAssets reads a template set's own fonts (fonts/ in the set).
func loadAssets(set fs.FS) (tmpl.Assets, error) {
	f, err := font.Load(set)
	if f == nil || err != nil {
		return nil, err // a nil *font.House must not become a non-nil interface
	}
	return f, nil
}

// New loads the templates, prepares the fonts and returns a renderer.
// Either failing is an error naming what failed.
func New(c Config) (*Renderer, error) {
	t, err := tmpl.New(c.Templates, c.TemplateDir, c.TemplateLimits, docFuncs, loadAssets)
	if err != nil {
		return nil, err
	}
	if err := pdf.Prepare(); err != nil {
		return nil, fmt.Errorf("fonts: %w", err)
	}
	return &Renderer{templates: t, lim: c.Limits.withDefaults(), worker: c.Worker, seal: c.Seal}, nil
}

func setName(o Options) string {
	if o.Template == "" {
		return tmpl.DefaultSet
	}
	return o.Template
}

// Meeting renders an agenda, minutes or a decision record as PDF.
func (r *Renderer) Meeting(ctx context.Context, document data.Document, m *data.Meeting, o Options) (*Result, error) {
	if !document.FromMeeting() {
		return nil, fmt.Errorf("%s is not made from a meeting", document)
	}
	if err := o.Check(document, FormatPDF); err != nil {
		return nil, err
	}
	if o.Seal && r.seal == nil {
		return nil, ErrNoSeal
	}
	if o.Addendum && !slices.ContainsFunc(m.Items, func(it data.Item) bool { return it.Addendum }) {
		return nil, &OptionError{"addendum", "asks for the supplementary agenda, but no item is marked addendum: it would be empty"}
	}
	if n := meetingRows(m); n > r.lim.MaxPDFRows {
		return nil, &TooLargeError{fmt.Sprintf("the meeting's budget tables have %d rows; a PDF holds at most %d", n, r.lim.MaxPDFRows),
			fmt.Sprintf("mødets budgettabeller har %d linjer; en PDF rummer højst %d", n, r.lim.MaxPDFRows)}
	}
	v := view.NewMeeting(m, view.MeetingOptions{Document: document, Public: o.Public, Lang: o.Lang, Addendum: o.Addendum, Signatures: o.Signatures,
		Packet: o.Files != nil})
	// the document's language is its text's (the meeting's); labels in
	// another (lang=en on a Danish meeting) mark their headings
	doc := pdf.Document{Author: m.Municipality, Lang: cmp.Or(m.Language, v.Lang), Date: m.Start.Time, Charts: layoutCharts(v.Charts())}
	if v.Draft {
		doc.Watermark = v.L.DraftMark
	}
	if o.Files != nil {
		atts, err := r.attachments(ctx, m, v, o.Files)
		if err != nil {
			return nil, err
		}
		doc.Attachments = atts
		// the packet says what it is: what is ours, and what is not
		doc.Subject = " – " + v.L.WithAttachments + "; " + v.L.PacketNote
	}
	res, err := r.document(ctx, o, document, v, doc)
	if err != nil {
		return nil, err
	}
	name := fmt.Sprintf("%s %s %s", v.DocumentName, m.Committee, m.Start.Time.Format("2006-01-02"))
	if len(doc.Attachments) > 0 {
		name = v.DocumentName + " " + v.L.WithAttachments + name[len(v.DocumentName):]
	}
	if v.Draft {
		name = v.L.Draft + " " + name
	}
	if v.Public {
		name += " (" + strings.ToLower(v.L.PublicVersion) + ")"
	}
	res.Filename = fileName(name, ".pdf")
	res.Left = leftOut(doc.Attachments)
	return res, nil
}

// BudgetPDF renders a budget's tables as PDF.
func (r *Renderer) BudgetPDF(ctx context.Context, b *data.Budget, o Options) (*Result, error) {
	if n := budgetRows(b.Tables); n > r.lim.MaxPDFRows {
		return nil, &TooLargeError{fmt.Sprintf("the budget has %d rows; a PDF holds at most %d (the workbook has no such limit)", n, r.lim.MaxPDFRows),
			fmt.Sprintf("budgettet har %d linjer; en PDF rummer højst %d (regnearket har ingen sådan grænse)", n, r.lim.MaxPDFRows)}
	}
	v := view.NewBudget(b, o.Lang)
	res, err := r.document(ctx, o, data.DocBudget, v, pdf.Document{Author: b.Municipality, Lang: v.Lang, Charts: layoutCharts(v.Charts())})
	if err != nil {
		return nil, err
	}
	res.Filename = fileName(b.Title, ".pdf")
	return res, nil
}

// document runs the set's template for kind on a view and lays out what it
// wrote: the body, the metadata parts and the footers, on top of doc.
func (r *Renderer) document(ctx context.Context, o Options, kind data.Document, v any, doc pdf.Document) (*Result, error) {
	out, err := r.templates.Execute(ctx, setName(o), kind, v)
	if err != nil {
		return nil, err
	}
	// the fields are bounded (data.MaxNesting); what a template adds
	// around them is bounded here, before the parser sees it
	if d := data.MarkdownNesting(out.Body); d > maxTemplateNesting {
		return nil, &TemplateError{Err: fmt.Errorf("template %s/%s.md.tmpl wrote lists or quotes nested %d deep; at most %d are allowed", setName(o), kind, d, maxTemplateNesting)}
	}
	doc.Markdown = out.Body
	// doc.Subject may already hold what follows the template's subject
	doc.Title, doc.Subject, doc.Keywords = out.Parts["title"], out.Parts["subject"]+doc.Subject, out.Parts["keywords"]
	doc.FooterLeft, doc.FooterRight = out.Parts["footer-left"], out.Parts["footer-right"]
	doc.Plain = o.Plain
	if o.Seal {
		doc.Seal, doc.SealTime = r.seal, time.Now()
	}
	doc.Fonts, _ = r.templates.SetAssets(setName(o)).(*font.House)
	res, err := r.pdf(ctx, &doc)
	var ue *pdf.UnplacedError
	if errors.As(err, &ue) {
		return nil, &TemplateError{Err: fmt.Errorf("template set %q: %w; write {{.Place}} of each attachment where its pages go", setName(o), err)}
	}
	return res, err
}

func (r *Renderer) pdf(ctx context.Context, doc *pdf.Document) (*Result, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	doc.MaxPages = r.lim.MaxPages
	st, err := pdf.Render(ctx, &buf, doc)
	var tm *pdf.TooManyPagesError
	var tg *pdf.TooManyGlyphsError
	if errors.As(err, &tm) {
		return nil, &TooLargeError{tm.Error(), fmt.Sprintf("dokumentet ville få mere end %d sider", tm.Max)}
	}
	if errors.As(err, &tg) {
		return nil, &TooLargeError{tg.Error(), "dokumentet bruger flere forskellige tegn i én skrifttype, end en PDF-skrifttype kan rumme"}
	}
	if err != nil {
		return nil, err
	}
	return &Result{Body: buf.Bytes(), ContentType: PDF, Pages: st.Pages, Replaced: st.Replaced}, nil
}

// layoutCharts are the view's charts as the layout draws them, by key.
func layoutCharts(cs []*view.Chart) map[string]*layout.Chart {
	if len(cs) == 0 {
		return nil
	}
	out := make(map[string]*layout.Chart, len(cs))
	for _, c := range cs {
		lc := &layout.Chart{Title: c.Title, Kind: c.Kind, Stacked: c.Stacked, Categories: c.Categories, Alt: c.Alt,
			Format: func(v float64) string { return c.Lang.Number(decimal.NewFromFloat(v), c.Decimals) }}
		for _, s := range c.Series {
			lc.Series = append(lc.Series, layout.ChartSeries{Name: s.Name, Values: s.Values})
		}
		out[c.Key] = lc
	}
	return out
}

// fileName is a document's name made a safe file name on any system: no
// controls, no bidi controls (which make a name read other than it is:
// "invoice\u202Efdp.exe"), none of / \ : * ? " < > | (which Windows or
// a shell would take for something else), at most 200 characters.
func fileName(name, ext string) string {
	name = strings.Map(func(r rune) rune {
		switch {
		case unicode.Is(unicode.Bidi_Control, r):
			return -1
		case r < 0x20 || r == 0x7F || strings.ContainsRune(`/\:*?"<>|`, r):
			return '_'
		}
		return r
	}, name)
	if r := []rune(strings.TrimSpace(name)); len(r) > 200 {
		name = string(r[:200])
	}
	return strings.TrimSpace(name) + ext
}

// IsNotFound reports whether err names a template set or kind that does
// not exist.
func IsNotFound(err error) bool {
	return errors.Is(err, tmpl.ErrUnknownSet) || errors.Is(err, tmpl.ErrUnknownKind)
}

// budgetRows counts the rows the tables print (lines, group headings and
// subtotals).
func budgetRows(tables []data.BudgetTable) int {
	var count func(rows []data.Row) int
	count = func(rows []data.Row) int {
		n := 0
		for i := range rows {
			if rows[i].IsGroup() {
				n += 2 + count(rows[i].Rows) // heading and subtotal
			} else {
				n++
			}
		}
		return n
	}
	n := 0
	for i := range tables {
		n += count(tables[i].Rows)
	}
	return n
}

func meetingRows(m *data.Meeting) int {
	n := 0
	for i := range m.Items {
		n += budgetRows(m.Items[i].BudgetTables)
	}
	return n
}
