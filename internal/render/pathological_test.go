package render_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"protokol/internal/render"
)

// TestPathologicalMarkdown renders bodies built to stress the parser and
// the layout (deep nesting, a 300-column table, a word of 99,000 letters,
// thousands of emphasis delimiters and links): each must render. Their
// cost is bounded by the field and document size limits; timings are in
// no test, see BenchmarkMinutes.
func TestPathologicalMarkdown(t *testing.T) {
	r := newRenderer(t)
	var lists strings.Builder
	for i := range 300 {
		lists.WriteString(strings.Repeat("  ", i) + "- x\n")
	}
	cases := map[string]string{
		"deep quotes":   strings.Repeat(">", 5000) + " tekst",
		"deep lists":    lists.String(),
		"wide table":    "|" + strings.Repeat(" a |", 300) + "\n|" + strings.Repeat("---|", 300) + "\n|" + strings.Repeat(" b |", 300),
		"long word":     strings.Repeat("x", 99000),
		"emphasis":      strings.Repeat("*a **b", 16000),
		"links":         strings.Repeat("[a](#punkt-1) ", 7000),
		"html comments": strings.Repeat("<!-- ", 10000),
	}
	for name, md := range cases {
		m := meeting(t)
		m.Items[0].Sections[0].Body = md
		if err := m.Validate(); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if _, err := r.Meeting(context.Background(), "agenda", m, render.Options{}); err != nil {
			t.Errorf("%s: %v", name, err)
		}
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
