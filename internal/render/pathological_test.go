package render_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"protokol/internal/data"
	"protokol/internal/pdftest"
	"protokol/internal/render"
)

// TestPathologicalMarkdown renders bodies built to stress the parser and
// the layout (nesting as deep as allowed, a 300-column table, a word of
// 99,000 letters, thousands of emphasis delimiters and links): each must
// render, and its last words must be on the page. Their cost is bounded
// by the field and document size limits and the nesting limit; timings
// are in no test, see BenchmarkMinutes.
func TestPathologicalMarkdown(t *testing.T) {
	r := newRenderer(t)
	var lists strings.Builder
	for i := range data.MaxNesting {
		lists.WriteString(strings.Repeat("  ", i/2) + "- x\n")
	}
	lists.WriteString(strings.Repeat("  ", data.MaxNesting/2) + "- slutord\n")
	cases := map[string]string{
		"deep quotes":   strings.Repeat(">", data.MaxNesting) + " slutord",
		"deep lists":    lists.String(),
		"wide table":    "|" + strings.Repeat(" a |", 300) + "\n|" + strings.Repeat("---|", 300) + "\n|" + strings.Repeat(" b |", 300) + "\n\nslutord",
		"long word":     strings.Repeat("x", 99000) + " slutord",
		"emphasis":      strings.Repeat("*a **b", 16000) + " slutord",
		"links":         strings.Repeat("[a](#punkt-1) ", 7000) + "slutord",
		"html comments": "slutord\n\n" + strings.Repeat("<!-- ", 10000),
	}
	for name, md := range cases {
		t.Run(name, func(t *testing.T) {
			m := meeting(t)
			m.Items = m.Items[:1]
			m.Participants = nil
			m.Items[0].Sections[0].Body = md
			if err := m.Validate(); err != nil {
				t.Fatal(err)
			}
			res, err := r.Meeting(context.Background(), "agenda", m, render.Options{})
			if err != nil {
				t.Fatal(err)
			}
			pages := pdftest.Pages(t, res.Body)
			if !strings.Contains(strings.Join(pages, " "), "slutord") {
				t.Errorf("the body's last word is not in the PDF (%d pages)", len(pages))
			}
		})
	}
}

func TestCancelledRenderStops(t *testing.T) {
	r := newRenderer(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := r.Meeting(ctx, "minutes", meeting(t), render.Options{}); !errors.Is(err, context.Canceled) {
		t.Fatalf("want context.Canceled, got %v", err)
	}
}
