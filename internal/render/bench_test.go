package render_test

import (
	"context"
	"testing"

	"protokol/examples"
	"protokol/internal/data"
	"protokol/internal/render"
)

// BenchmarkMinutes renders the shared fixture's minutes (18 pages): decode,
// validate, view, template, layout, PDF. Goal: 15 ms and 20 MB a render.
func BenchmarkMinutes(b *testing.B) {
	r := newRenderer(b)
	body := examples.Read(examples.Meeting)
	b.ReportAllocs()
	for b.Loop() {
		m, err := data.DecodeMeeting(body)
		if err != nil {
			b.Fatal(err)
		}
		res, err := r.Meeting(context.Background(), "minutes", m, render.Options{})
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(res.Pages), "pages")
	}
}

// BenchmarkAgenda3Items is the load test's document: a 3-item agenda.
func BenchmarkAgenda3Items(b *testing.B) {
	r := newRenderer(b)
	m, err := data.DecodeMeeting(examples.Read(examples.Meeting))
	if err != nil {
		b.Fatal(err)
	}
	m.Items = m.Items[:3]
	b.ReportAllocs()
	for b.Loop() {
		if _, err := r.Meeting(context.Background(), "agenda", m, render.Options{}); err != nil {
			b.Fatal(err)
		}
	}
}
