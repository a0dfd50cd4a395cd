package render

import (
	"context"
	"errors"

	"protokol/internal/data"
)

// BudgetXLSX renders a budget as a workbook.
func (r *Renderer) BudgetXLSX(ctx context.Context, b *data.Budget, o Options) (*Result, error) {
	return nil, errors.New("xlsx: not yet")
}
