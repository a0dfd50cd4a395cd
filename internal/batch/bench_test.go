package batch_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime/debug"
	"testing"
	"time"

	"github.com/go-json-experiment/json"

	"protokol/examples"
	"protokol/internal/batch"
	"protokol/internal/render"
	"protokol/templates"
)

// inputs writes n agendas varied from the example (1 to 3 items each).
func inputs(b *testing.B, n int) string {
	var m map[string]any
	if err := json.Unmarshal(examples.Read(examples.Meeting), &m); err != nil {
		b.Fatal(err)
	}
	items := m["items"].([]any)
	for _, p := range m["participants"].([]any) {
		delete(p.(map[string]any), "items") // guests of items that a shorter meeting lacks
	}
	dir := b.TempDir()
	for i := range n {
		m["committee"] = fmt.Sprintf("Udvalg %d", i)
		m["items"] = items[:1+i%3]
		body, _ := json.Marshal(m)
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("%04d.json", i)), body, 0o644); err != nil {
			b.Fatal(err)
		}
	}
	return dir
}

// BenchmarkBatch renders 300 agendas (1-3 items, 4-9 pages) with one
// worker and with two: the goal is 1.7 times one worker's rate on two
// cores. It reports inputs and pages per second. It runs with the
// collector's pace the command sets (GOGC 400, unless GOGC is given).
func BenchmarkBatch(b *testing.B) {
	if os.Getenv("GOGC") == "" {
		defer debug.SetGCPercent(debug.SetGCPercent(400))
	}
	in := inputs(b, 300)
	r, err := render.New(render.Config{Templates: templates.FS})
	if err != nil {
		b.Fatal(err)
	}
	for _, workers := range []int{1, 2} {
		b.Run(fmt.Sprintf("j%d", workers), func(b *testing.B) {
			b.ReportAllocs()
			var inputs, pages int
			var took time.Duration
			for b.Loop() {
				out := b.TempDir()
				start := time.Now()
				res, err := batch.Run(context.Background(), r, batch.Options{Input: in, Out: out, Kinds: []batch.Kind{batch.Agenda}, Workers: workers})
				took += time.Since(start)
				if err != nil || res.Failed > 0 {
					b.Fatal(err, res.Failures)
				}
				inputs, pages = inputs+res.Done, pages+res.Pages
			}
			b.ReportMetric(float64(inputs)/took.Seconds(), "inputs/s")
			b.ReportMetric(float64(pages)/took.Seconds(), "pages/s")
		})
	}
}
