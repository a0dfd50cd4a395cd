package render

import (
	"context"

	"protokol/internal/data"
	"protokol/internal/view"
)

// TemplateOutput is what the set's template writes for a meeting or a
// budget (v, a *data.Meeting or *data.Budget): the Markdown the layout
// gets, and the parts. For golden files.
func (r *Renderer) TemplateOutput(document data.Document, v any, o Options) (string, map[string]string, error) {
	var in any
	switch d := v.(type) {
	case *data.Meeting:
		in = view.NewMeeting(d, view.MeetingOptions{Document: document, Public: o.Public, Lang: o.Lang, Addendum: o.Addendum, Signatures: o.Signatures})
	case *data.Budget:
		in = view.NewBudget(d, o.Lang)
	}
	out, err := r.templates.Execute(context.Background(), setName(o), document, in)
	if err != nil {
		return "", nil, err
	}
	return out.Body, out.Parts, nil
}
