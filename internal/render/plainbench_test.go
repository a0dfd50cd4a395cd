package render_test

import (
	"context"
	"testing"

	"protokol/examples"
	"protokol/internal/data"
	"protokol/internal/render"
)

func BenchmarkMinutesPlain(b *testing.B) {
	r := newRenderer(b)
	body := examples.Read(examples.Meeting)
	b.ReportAllocs()
	for b.Loop() {
		m, _ := data.DecodeMeeting(body)
		if _, err := r.Meeting(context.Background(), "minutes", m, render.Options{Plain: true}); err != nil {
			b.Fatal(err)
		}
	}
}
