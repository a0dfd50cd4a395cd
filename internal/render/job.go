package render

import (
	"context"
	"fmt"

	"protokol/internal/data"
)

// Format is a file format.
type Format string

// The formats.
const (
	FormatPDF  Format = "pdf"
	FormatXLSX Format = "xlsx" // budgets only
)

// ParseFormat reads a format's name.
func ParseFormat(s string) (Format, error) {
	switch Format(s) {
	case FormatPDF, FormatXLSX:
		return Format(s), nil
	}
	return "", fmt.Errorf("must be pdf or xlsx, not %q", s)
}

// DefaultFormat is the format a document gets when none is asked for.
func DefaultFormat(d data.Document) Format {
	if d == data.DocBudget {
		return FormatXLSX
	}
	return FormatPDF
}

// Cost is an upper bound of the memory, in bytes, that rendering a
// document of bodyLen bytes takes at its peak, fitted to the worst shapes
// measured (process peaks under Go's default GC, so with its garbage):
// of 1.95 MB of minutes, Markdown tables of 40 narrow columns 1,188 MB
// (609 times the JSON), of 12 columns 1,070 MB, of 5 columns 374 MB,
// nested lists 315 MB, plain paragraphs 64 MB; of 0.5 MB, 40 columns 382
// MB (711 times, the runtime's own share larger). So a meeting's PDF
// costs 800 times its JSON: the largest meeting the contract allows (2
// MB) needs a memory budget of 1.6 GB, and is refused (413) below it.
// A budget's tables as PDF are regular rows: about 150 times (a 3.4 MB
// budget of 45,000 lines peaks at 491 MB, a 1.5 MB one of 20,000 at 220
// MB). A workbook about 5 times (a 6.9 MB budget of 100,000 lines: a heap
// of 33 MB at its peak, the rows never decoded all at once), taken as 8.
// Each has a floor for the fonts, the template and the layout's fixed
// state. The server admits renders by it; TestCostBoundsTheWorstShapes
// holds it.
func Cost(d data.Document, f Format, bodyLen int) int64 {
	switch {
	case f == FormatXLSX:
		return 8*int64(bodyLen) + 16<<20
	case d == data.DocBudget:
		return 150*int64(bodyLen) + 8<<20
	}
	return 800*int64(bodyLen) + 8<<20
}

// Job decodes a JSON document and renders it: format "" is the
// document's default; only budgets render to FormatXLSX.
func Job(ctx context.Context, r *Renderer, document data.Document, format Format, body []byte, o Options) (*Result, error) {
	if format == "" {
		format = DefaultFormat(document)
	}
	switch {
	case document.FromMeeting():
		if format != FormatPDF {
			return nil, fmt.Errorf("%s renders to PDF only", document)
		}
		m, err := data.DecodeMeeting(body)
		if err != nil {
			return nil, err
		}
		return r.Meeting(ctx, document, m, o)
	case document == data.DocBudget:
		return r.Budget(ctx, body, format, o)
	}
	return nil, fmt.Errorf("unknown document %q", document)
}

// Budget decodes a budget and renders it as a workbook or PDF. A workbook
// is validated, measured and written from the JSON row by row, so a large
// budget is never kept decoded.
func (r *Renderer) Budget(ctx context.Context, body []byte, format Format, o Options) (*Result, error) {
	switch format {
	case FormatPDF:
		b, err := data.DecodeBudget(body)
		if err != nil {
			return nil, err
		}
		return r.BudgetPDF(ctx, b, o)
	case FormatXLSX:
		return r.budgetFromJSON(ctx, body, o)
	}
	return nil, fmt.Errorf("unknown format %q", format)
}
