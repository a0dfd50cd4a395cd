package render

import (
	"bytes"
	"context"
	"fmt"

	"protokol/internal/data"
	"protokol/internal/locale"
	"protokol/internal/render/xlsx"
)

// BudgetXLSX renders a budget as a workbook, one sheet per table.
func (r *Renderer) BudgetXLSX(ctx context.Context, b *data.Budget, o Options) (*Result, error) {
	return r.budgetXLSX(ctx, b, o, nil)
}

// budgetXLSX writes the workbook; with rows, the tables' rows are read
// from there while they are written (and dropped from b before).
func (r *Renderer) budgetXLSX(ctx context.Context, b *data.Budget, o Options, rows xlsx.Rows) (res *Result, err error) {
	defer func() {
		if p := recover(); p != nil {
			res, err = nil, fmt.Errorf("workbook failed: %v", p)
		}
	}()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := xlsx.WriteFrom(&buf, b, o.Lang.Or(locale.Lang(b.Language)), rows); err != nil {
		return nil, err
	}
	return &Result{Body: buf.Bytes(), ContentType: XLSX, Filename: b.Title + ".xlsx"}, nil
}
