package render

import (
	"context"
	"fmt"
	"iter"

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
		return r.Budget(ctx, body, format, o)
	}
	return nil, fmt.Errorf("unknown document %q", document)
}

// Budget decodes a budget and renders it as "xlsx" (the default) or
// "pdf". A workbook is written from the JSON row by row after validation,
// so a large budget is not kept decoded while its sheets are written.
func (r *Renderer) Budget(ctx context.Context, body []byte, format string, o Options) (*Result, error) {
	b, err := data.DecodeBudget(body)
	if err != nil {
		return nil, err
	}
	switch format {
	case "pdf":
		return r.BudgetPDF(ctx, b, o)
	case "", "xlsx":
		return r.budgetXLSX(ctx, b, o, func(table int) iter.Seq2[*data.Row, error] { return data.TableRows(body, table) })
	}
	return nil, fmt.Errorf("unknown format %q", format)
}
