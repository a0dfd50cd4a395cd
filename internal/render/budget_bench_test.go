package render_test

import (
	"bytes"
	"context"
	"fmt"
	"testing"

	"protokol/examples"
	"protokol/internal/data"
	"protokol/internal/render"
)

// bigBudget is examples.LargeBudget.
func bigBudget(groups, lines int) []byte { return examples.LargeBudget(groups, lines) }

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

// BenchmarkBudgetXLSX1000Tables: 1,000 tables of 50 lines, each a sheet
// with its print titles and area (it took 15 s while excelize defined
// the names and each table's rows were read from the start of the JSON).
func BenchmarkBudgetXLSX1000Tables(b *testing.B) {
	r := newRenderer(b)
	body := manyTables(1000, 50)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := render.Job(context.Background(), r, "budget", "xlsx", body, render.Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

// manyTables is a budget of n tables of lines lines each.
func manyTables(n, lines int) []byte {
	var b bytes.Buffer
	b.WriteString(`{"title":"Mange tabeller","municipality":"Aarhus Kommune","tables":[`)
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"title":"Tabel %d","unit":"kr.","columns":[{"key":"a","label":"Budget"},{"key":"b","label":"Forbrug"}],"rows":[`, i+1)
		for l := range lines {
			if l > 0 {
				b.WriteByte(',')
			}
			fmt.Fprintf(&b, `{"label":"Konto %d","values":{"a":%d,"b":%d}}`, l+1, 1000*l, l)
		}
		b.WriteString(`]}`)
	}
	b.WriteString(`]}`)
	return b.Bytes()
}

func TestBigBudgetIsValid(t *testing.T) {
	if _, err := data.DecodeBudget(manyTables(3, 2)); err != nil {
		t.Fatal(err)
	}
	if _, err := data.DecodeBudget(bigBudget(3, 4)); err != nil {
		t.Fatal(err)
	}
}

// BenchmarkBudgetXLSX10k and BenchmarkBudgetXLSX10kCharts: 10,000 lines
// (50 groups of 200) to a workbook, without and with two charts by group.
// Goal: the charts cost at most 10 % more.
func BenchmarkBudgetXLSX10k(b *testing.B)       { benchBudgetXLSX(b, bigBudget(50, 200)) }
func BenchmarkBudgetXLSX10kCharts(b *testing.B) { benchBudgetXLSX(b, withCharts(bigBudget(50, 200))) }

func benchBudgetXLSX(b *testing.B, body []byte) {
	r := newRenderer(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := render.Job(context.Background(), r, "budget", "xlsx", body, render.Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

// withCharts gives the large budget's table two charts by group.
func withCharts(body []byte) []byte {
	return bytes.Replace(body, []byte(`"rows":[`), []byte(`"charts":[{"title":"Budget og forbrug","columns":["budget","spent"],"by":"group"},`+
		`{"title":"Afvigelse","kind":"line","columns":["diff"],"by":"group"}],"rows":[`), 1)
}
