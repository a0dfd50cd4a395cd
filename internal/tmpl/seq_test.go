package tmpl

import (
	"context"
	"testing"
)

// seq includes its end and counts down when asked to; until and untilStep
// exclude it, as sprig's do.
func TestSequences(t *testing.T) {
	for src, want := range map[string]string{
		`{{seq 5}}`:                               "1 2 3 4 5",
		`{{seq 2 5}}`:                             "2 3 4 5",
		`{{seq 5 2}}`:                             "5 4 3 2",
		`{{seq 1 2 10}}`:                          "1 3 5 7 9",
		`{{seq 0}}`:                               "1 0",
		`{{range until 3}}{{.}},{{end}}`:          "0,1,2,",
		`{{range until -3}}{{.}},{{end}}`:         "0,-1,-2,",
		`{{range untilStep 0 10 3}}{{.}},{{end}}`: "0,3,6,9,",
		`{{range untilStep 0 9 3}}{{.}},{{end}}`:  "0,3,6,",
		`{{range untilStep 5 0 -2}}{{.}},{{end}}`: "5,3,1,",
		`{{range until 0}}x{{end}}`:               "",
	} {
		r, err := set(t, src, Limits{})
		if err != nil {
			t.Fatal(err)
		}
		out, err := r.Execute(context.Background(), "t", "agenda", meetingView(t))
		if err != nil || out.Body != want {
			t.Errorf("%s = %q (%v), want %q", src, out.Body, err, want)
		}
	}
}
