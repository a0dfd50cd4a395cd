package attach

import (
	"context"
	"os"
	"path/filepath"
	"testing"
)

func exampleFiles(b *testing.B) [][]byte {
	paths, _ := filepath.Glob(filepath.Join("..", "..", "examples", "bilag", "*.pdf"))
	var files [][]byte
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			b.Fatal(err)
		}
		files = append(files, data)
	}
	return files
}

// BenchmarkRead reads the example's four attachment files in this
// process; BenchmarkWorker in a worker process: the difference is what
// the isolation costs a packet.
func BenchmarkRead(b *testing.B) {
	files := exampleFiles(b)
	b.ReportAllocs()
	for b.Loop() {
		for _, f := range files {
			if _, err := Read(context.Background(), f, Limits{}); err != nil {
				b.Fatal(err)
			}
		}
	}
}

func BenchmarkWorker(b *testing.B) {
	files := exampleFiles(b)
	w := &Worker{}
	b.ReportAllocs()
	for b.Loop() {
		res, err := w.ReadAll(context.Background(), files, Limits{})
		if err != nil || res[0].Err != nil {
			b.Fatal(err, res[0].Err)
		}
	}
}
