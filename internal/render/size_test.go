package render_test

import (
	"context"
	"testing"

	"protokol/internal/data"
	"protokol/internal/render"
)

// TestFileSizes holds the size goals of compact PDFs (output is
// deterministic, so a size is a fact, not a timing): the 18-page
// example minutes at most 80 KB; 34 pages of minutes (the example's items
// twice) under 100 KB, half of what headless Chromium writes for a
// meeting of that size.
func TestFileSizes(t *testing.T) {
	r := newRenderer(t)
	example := renderMeeting(t, r, data.DocMinutes, meeting(t), render.Options{})
	m := meeting(t)
	for _, it := range m.Items {
		it.Number += "b"
		m.Items = append(m.Items, it)
	}
	twice, err := r.Meeting(context.Background(), data.DocMinutes, m, render.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name       string
		res        *render.Result
		pages, max int
	}{{"example minutes", example, 18, 80_000}, {"minutes of the items twice", twice, 34, 100_000}} {
		if c.res.Pages != c.pages || len(c.res.Body) > c.max {
			t.Errorf("%s: %d pages, %d bytes; want %d pages in at most %d bytes", c.name, c.res.Pages, len(c.res.Body), c.pages, c.max)
		}
		t.Logf("%s: %d pages, %d bytes", c.name, c.res.Pages, len(c.res.Body))
	}
}
