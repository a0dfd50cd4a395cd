// Package srctest reads a package's own source, for the tests that hold
// it to a rule read from the code (every problem has its Danish, every
// title its translation), so a new case without fails the test.
package srctest

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Files are the Go files of the package the test runs in, tests left
// out, by name.
func Files(t testing.TB) map[string]string {
	t.Helper()
	names, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, f := range names {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		out[f] = string(b)
	}
	if len(out) == 0 {
		t.Fatal("no Go files beside the test")
	}
	return out
}
