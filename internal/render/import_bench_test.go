package render_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"protokol/internal/data"
	"protokol/internal/esdh"
	"protokol/internal/render"
	"protokol/templates"
)

// export500 is the SBSYS fixture's items repeated to 501 items.
func export500(b *testing.B) []byte {
	x, err := os.ReadFile(filepath.Join("..", "esdh", "testdata", "sbsys.xml"))
	if err != nil {
		b.Fatal(err)
	}
	items := regexp.MustCompile(`(?s)<Dagsordenpunkt .*</Dagsordenpunkt>`).Find(x)
	var all bytes.Buffer
	for i := range 167 {
		all.Write(regexp.MustCompile(`Nummer="(\d)"`).ReplaceAllFunc(items, func(m []byte) []byte {
			return fmt.Appendf(nil, `Nummer="%d"`, i*3+int(m[8]-'0'))
		}))
	}
	return bytes.Replace(x, items, all.Bytes(), 1)
}

// BenchmarkImport500 reads a 501-item SBSYS export (package esdh) into
// our JSON; the
// goal is at most the time its agenda takes to render, measured beside
// it (BenchmarkImport500/render).
func BenchmarkImport500(b *testing.B) {
	x := export500(b)
	var js []byte
	b.Run("import", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			res, err := esdh.Import(context.Background(), esdh.SBSYS, x, esdh.Options{Municipality: "Aalborg Kommune"})
			if err != nil {
				b.Fatal(err)
			}
			if js, err = res.JSON(); err != nil {
				b.Fatal(err)
			}
		}
	})
	r, err := render.New(render.Config{Templates: templates.FS})
	if err != nil {
		b.Fatal(err)
	}
	b.Run("render", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			m, err := data.DecodeMeeting(js)
			if err != nil {
				b.Fatal(err)
			}
			if len(m.Items) != 501 {
				b.Fatalf("%d items", len(m.Items))
			}
			if _, err := r.Meeting(context.Background(), data.DocAgenda, m, render.Options{}); err != nil {
				b.Fatal(err)
			}
		}
	})
}
