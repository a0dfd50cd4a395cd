package render

import (
	"bytes"
	"context"
	"fmt"
	"iter"

	"protokol/internal/data"
	"protokol/internal/locale"
	"protokol/internal/render/xlsx"
)

// BudgetXLSX renders a budget as a workbook, one sheet per table. The
// budget is not changed.
func (r *Renderer) BudgetXLSX(ctx context.Context, b *data.Budget, o Options) (res *Result, err error) {
	return r.workbook(ctx, b, o, func(w *bytes.Buffer, lang locale.Lang) error { return xlsx.Write(ctx, w, b, lang) })
}

// budgetFromJSON renders the workbook of a budget decoded from body for
// this render alone: once its rows are measured they are dropped, and
// each table's rows are read again from body as they are written, so a
// budget of 100,000 lines is not kept decoded while its sheets are written.
func (r *Renderer) budgetFromJSON(ctx context.Context, b *data.Budget, body []byte, o Options) (*Result, error) {
	return r.workbook(ctx, b, o, func(w *bytes.Buffer, lang locale.Lang) error {
		plan := xlsx.NewPlan(b, lang)
		for i := range b.Tables {
			b.Tables[i].Rows = nil // b is this render's own copy
		}
		return xlsx.WriteStream(ctx, w, b, lang, plan, func(table int) iter.Seq2[*data.Row, error] { return data.TableRows(body, table) })
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
	return &Result{Body: buf.Bytes(), ContentType: XLSX, Filename: b.Title + ".xlsx"}, nil
}
