// Package render turns validated documents into files: view, template,
// layout. It is what both the HTTP layer and the command line call.
package render

import (
	"bytes"
	"context"
	"errors"
	"fmt"

	"protokol/internal/data"
	"protokol/internal/render/pdf"
	"protokol/internal/tmpl"
	"protokol/internal/view"
)

// Options are the choices a caller makes for one render.
type Options struct {
	Template string // template set; "" is "default"
	Public   bool   // the version for publication
	Lang     string // "da" or "en"; "" keeps the document's language
}

// Result is a finished file.
type Result struct {
	Body        []byte
	ContentType string
	Filename    string // a name for the file, e.g. "Dagsorden Beskæftigelsesudvalget 2014-08-19.pdf"
	Pages       int    // PDF only
	Replaced    int    // characters the font could not draw
}

// Content types of the results.
const (
	PDF  = "application/pdf"
	XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
)

// Renderer renders documents with a set of templates. It does not log:
// what a caller should know (pages, replaced characters) is in Result.
type Renderer struct {
	Templates *tmpl.Registry
}

// New prepares the fonts and returns a renderer.
func New(t *tmpl.Registry) (*Renderer, error) {
	if err := pdf.Prepare(); err != nil {
		return nil, fmt.Errorf("fonts: %w", err)
	}
	return &Renderer{Templates: t}, nil
}

func setName(o Options) string {
	if o.Template == "" {
		return "default"
	}
	return o.Template
}

// Meeting renders an agenda or minutes (document is view.Agenda or
// view.Minutes) as PDF.
func (r *Renderer) Meeting(ctx context.Context, document string, m *data.Meeting, o Options) (*Result, error) {
	if document != view.Agenda && document != view.Minutes {
		return nil, fmt.Errorf("unknown document %q", document)
	}
	if err := checkLang(o); err != nil {
		return nil, err
	}
	v := view.NewMeeting(m, document, o.Public, o.Lang)
	res, err := r.document(ctx, o, document, v, pdf.Document{Author: m.Municipality, Lang: v.Lang, Date: m.Start.Time})
	if err != nil {
		return nil, err
	}
	res.Filename = fmt.Sprintf("%s %s %s.pdf", v.Kind, m.Committee, m.Start.Time.Format("2006-01-02"))
	return res, nil
}

// BudgetPDF renders a budget's tables as PDF.
func (r *Renderer) BudgetPDF(ctx context.Context, b *data.Budget, o Options) (*Result, error) {
	if err := checkLang(o); err != nil {
		return nil, err
	}
	v := view.NewBudget(b, o.Lang)
	res, err := r.document(ctx, o, "budget", v, pdf.Document{Author: b.Municipality, Lang: v.Lang})
	if err != nil {
		return nil, err
	}
	res.Filename = b.Title + ".pdf"
	return res, nil
}

func checkLang(o Options) error {
	if o.Lang != "" && o.Lang != "da" && o.Lang != "en" {
		return &data.ValidationError{Errors: []data.FieldError{{Field: "lang", Message: fmt.Sprintf("must be \"da\" or \"en\", not %q", o.Lang)}}}
	}
	return nil
}

// document runs the set's template for kind on a view and lays out what it
// wrote: the body, the metadata parts and the footers, on top of doc.
func (r *Renderer) document(ctx context.Context, o Options, kind string, v any, doc pdf.Document) (*Result, error) {
	out, err := r.Templates.Execute(ctx, setName(o), kind, v)
	if err != nil {
		return nil, err
	}
	doc.Markdown = out.Body
	doc.Title, doc.Subject, doc.Keywords = out.Parts["title"], out.Parts["subject"], out.Parts["keywords"]
	doc.FooterLeft, doc.FooterRight = out.Parts["footer-left"], out.Parts["footer-right"]
	return r.pdf(ctx, &doc)
}

func (r *Renderer) pdf(ctx context.Context, doc *pdf.Document) (*Result, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	st, err := pdf.Render(ctx, &buf, doc)
	if err != nil {
		return nil, err
	}
	return &Result{Body: buf.Bytes(), ContentType: PDF, Pages: st.Pages, Replaced: st.Replaced}, nil
}

// IsNotFound reports whether err names a template set or kind that does
// not exist.
func IsNotFound(err error) bool {
	return errors.Is(err, tmpl.ErrUnknownSet) || errors.Is(err, tmpl.ErrUnknownKind)
}
