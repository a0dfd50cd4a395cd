package render_test

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"protokol/examples"
	"protokol/internal/data"
	"protokol/internal/render"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

// TestGoldenMarkdown keeps what each embedded template set writes for the
// examples in testdata/golden, so a template change shows as a reviewable
// diff of Markdown. After an intended change: go test ./internal/render
// -run Golden -update, and read the diff.
func TestGoldenMarkdown(t *testing.T) {
	r := newRenderer(t)
	for _, set := range r.Sets() {
		for _, doc := range set.Kinds {
			for _, c := range goldenCases(t, doc) {
				name := fmt.Sprintf("%s/%s-%s.md", set.Name, doc, c.name)
				t.Run(name, func(t *testing.T) {
					o := c.o
					o.Template = set.Name
					body, parts, err := r.TemplateOutput(doc, c.v, o)
					if err != nil {
						t.Fatal(err)
					}
					var b strings.Builder
					b.WriteString(body)
					for _, k := range slices.Sorted(func(yield func(string) bool) {
						for k := range parts {
							if !yield(k) {
								return
							}
						}
					}) {
						fmt.Fprintf(&b, "\n<!-- part %s: %s -->\n", k, parts[k])
					}
					path := filepath.Join("testdata", "golden", name)
					if *update {
						if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
							t.Fatal(err)
						}
						if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
							t.Fatal(err)
						}
						return
					}
					want, err := os.ReadFile(path)
					if err != nil {
						t.Fatalf("%v (run with -update to write it)", err)
					}
					if got := b.String(); got != string(want) {
						t.Errorf("%s changed; if intended, run go test ./internal/render -run Golden -update and review the diff\n%s", path, firstDiff(string(want), got))
					}
				})
			}
		}
	}
}

type goldenCase struct {
	name string
	v    any
	o    render.Options
}

func goldenCases(t *testing.T, doc data.Document) []goldenCase {
	if doc == data.DocBudget {
		b, err := data.DecodeBudget(examples.Read(examples.Budget))
		if err != nil {
			t.Fatal(err)
		}
		return []goldenCase{{"aalborg", b, render.Options{}}}
	}
	var out []goldenCase
	for _, ex := range []struct{ name, file string }{{"aalborg", examples.Meeting}, {"odense", examples.Minutes}} {
		for _, o := range []struct {
			suffix string
			o      render.Options
		}{{"", render.Options{}}, {"-public", render.Options{Public: true}}, {"-en", render.Options{Lang: "en"}}} {
			m, err := data.DecodeMeeting(examples.Read(ex.file))
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, goldenCase{ex.name + o.suffix, m, o.o})
		}
	}
	return out
}

// firstDiff shows the first line where two texts differ.
func firstDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < max(len(w), len(g)); i++ {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl != gl {
			return fmt.Sprintf("line %d:\n  want %q\n   got %q", i+1, wl, gl)
		}
	}
	return ""
}
