package render

import (
	"context"
	"fmt"

	"protokol/internal/data"
	"protokol/internal/view"
)

// Job decodes a JSON document and renders it: document is "agenda",
// "minutes" or "budget"; format is "pdf" or "xlsx" (budgets only).
func Job(ctx context.Context, r *Renderer, document, format string, body []byte, o Options) (*Result, error) {
	switch document {
	case view.Agenda, view.Minutes:
		if format != "" && format != "pdf" {
			return nil, fmt.Errorf("%s renders to PDF only", document)
		}
		m, err := data.DecodeMeeting(body)
		if err != nil {
			return nil, err
		}
		return r.Meeting(ctx, document, m, o)
	case "budget":
		b, err := data.DecodeBudget(body)
		if err != nil {
			return nil, err
		}
		if format == "pdf" {
			return r.BudgetPDF(ctx, b, o)
		}
		return r.BudgetXLSX(ctx, b, o)
	}
	return nil, fmt.Errorf("unknown document %q", document)
}
