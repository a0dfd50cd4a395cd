package render_test

import (
	"context"
	"strconv"
	"testing"

	"protokol/examples"
	"protokol/internal/data"
	"protokol/internal/render"
)

// BenchmarkMinutes renders the example meeting's minutes (18 pages):
// decode, validate, view, template, layout, tagged PDF. Goal: 6 ms and
// 6 MB a render.
func BenchmarkMinutes(b *testing.B) { benchMinutes(b, render.Options{}) }

// BenchmarkMinutesPlain is the same without the tagging and archive pass.
func BenchmarkMinutesPlain(b *testing.B) { benchMinutes(b, render.Options{Plain: true}) }

func benchMinutes(b *testing.B, o render.Options) {
	r := newRenderer(b)
	body := examples.Read(examples.Meeting)
	b.ReportAllocs()
	for b.Loop() {
		m, err := data.DecodeMeeting(body)
		if err != nil {
			b.Fatal(err)
		}
		res, err := r.Meeting(context.Background(), "minutes", m, o)
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

// BenchmarkMinutes500 renders minutes of about 500 pages in one render
// (the example's items repeated 30 times). Goal: 150 ms.
func BenchmarkMinutes500(b *testing.B) {
	r := newRenderer(b)
	m, err := data.DecodeMeeting(examples.Read(examples.Meeting))
	if err != nil {
		b.Fatal(err)
	}
	items := m.Items
	m.Items = nil
	for i := range 30 * len(items) {
		it := items[i%len(items)]
		it.Number = strconv.Itoa(i + 1)
		m.Items = append(m.Items, it)
	}
	var guests []data.Participant
	for _, p := range m.Participants {
		if len(p.Items) == 0 {
			guests = append(guests, p)
		}
	}
	m.Participants = guests
	b.ReportAllocs()
	for b.Loop() {
		res, err := r.Meeting(context.Background(), "minutes", m, render.Options{})
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(res.Pages), "pages")
		b.ReportMetric(float64(len(res.Body))/1000, "kB")
	}
}
