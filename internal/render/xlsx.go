package render

import (
	"bytes"
	"context"
	"fmt"

	"protokol/internal/data"
	"protokol/internal/locale"
	"protokol/internal/render/xlsx"
)

// BudgetXLSX renders a budget as a workbook, one sheet per table. The
// budget is not changed.
func (r *Renderer) BudgetXLSX(ctx context.Context, b *data.Budget, o Options) (res *Result, err error) {
	return r.workbook(ctx, b, o, func(w *bytes.Buffer, lang locale.Lang) error { return xlsx.Write(ctx, w, b, lang) })
}

// budgetFromJSON decodes, validates and renders the workbook of a budget
// one top-level row at a time: the rows are validated and measured as
// they are read, then read again from body as the sheets are written, so
// a budget of 100,000 lines is never kept decoded.
func (r *Renderer) budgetFromJSON(ctx context.Context, body []byte, o Options) (*Result, error) {
	var plan *xlsx.Planner
	b, err := data.DecodeBudgetRows(body, func(b *data.Budget, table int, row *data.Row) {
		if plan == nil {
			plan = xlsx.NewPlanner(b, o.Lang.Or(locale.Lang(b.Language)))
		}
		plan.Add(table, row)
	})
	if err != nil {
		return nil, err
	}
	if plan == nil {
		plan = xlsx.NewPlanner(b, o.Lang.Or(locale.Lang(b.Language)))
	}
	return r.workbook(ctx, b, o, func(w *bytes.Buffer, lang locale.Lang) error {
		return xlsx.WriteStream(ctx, w, b, lang, plan.Plan(), data.TablesRows(body))
	})
}

func (r *Renderer) workbook(ctx context.Context, b *data.Budget, o Options, write func(*bytes.Buffer, locale.Lang) error) (res *Result, err error) {
	defer func() {
		if p := recover(); p != nil {
			res, err = nil, fmt.Errorf("workbook failed: %v", p)
		}
	}()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := write(&buf, o.Lang.Or(locale.Lang(b.Language))); err != nil {
		return nil, err
	}
	return &Result{Body: buf.Bytes(), ContentType: XLSX, Filename: fileName(b.Title, ".xlsx")}, nil
}
