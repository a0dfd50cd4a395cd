package render_test

import (
	"bytes"
	"context"
	"fmt"
	"testing"

	"protokol/internal/data"
	"protokol/internal/render"
)

// bigBudget is a budget of groups × lines rows with three columns, one
// computed, as JSON.
func bigBudget(groups, lines int) []byte {
	var b bytes.Buffer
	b.WriteString(`{"title":"Stort budget","municipality":"Aarhus Kommune","tables":[{"title":"Alle konti","unit":"1.000 kr.","decimals":1,` +
		`"columns":[{"key":"budget","label":"Budget"},{"key":"spent","label":"Forbrug"},{"key":"diff","label":"Afvigelse","formula":"budget - spent"}],"rows":[`)
	for g := range groups {
		if g > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"label":"Område %d","rows":[`, g+1)
		for l := range lines {
			if l > 0 {
				b.WriteByte(',')
			}
			fmt.Fprintf(&b, `{"label":"Konto %d.%d","values":{"budget":%d.25,"spent":%d.5}}`, g+1, l+1, 1000+g*7+l, 900+l*3)
		}
		b.WriteString(`]}`)
	}
	b.WriteString(`]}]}`)
	return b.Bytes()
}

// BenchmarkBudgetXLSX100k: 100,000 lines (2,000 groups of 50) from JSON to
// a workbook. Goal: 1 s and 100 MB peak.
func BenchmarkBudgetXLSX100k(b *testing.B) {
	r := newRenderer(b)
	body := bigBudget(2000, 50)
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		res, err := render.Job(context.Background(), r, "budget", "xlsx", body, render.Options{})
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(len(res.Body))/1e6, "MB-out")
	}
}

// BenchmarkBudgetPDF10k: a 10,000-line table (200 groups of 50) to PDF.
// Goal: 1 s.
func BenchmarkBudgetPDF10k(b *testing.B) {
	r := newRenderer(b)
	body := bigBudget(200, 50)
	b.ReportAllocs()
	for b.Loop() {
		res, err := render.Job(context.Background(), r, "budget", "pdf", body, render.Options{})
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(res.Pages), "pages")
	}
}

func TestBigBudgetIsValid(t *testing.T) {
	if _, err := data.DecodeBudget(bigBudget(3, 4)); err != nil {
		t.Fatal(err)
	}
}
