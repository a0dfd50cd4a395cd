package bounded_test

import (
	"errors"
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"protokol/internal/bounded"
)

// A file at the bound is read; one past it is refused by its size,
// unread; a pipe is refused without blocking.
func TestReadFile(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "a"), make([]byte, 10), 0o644); err != nil {
		t.Fatal(err)
	}
	fsys := os.DirFS(dir)
	if b, err := bounded.ReadFile(fsys, "a", 10); err != nil || len(b) != 10 {
		t.Errorf("at the bound: %d %v", len(b), err)
	}
	var tl *bounded.TooLargeError
	if _, err := bounded.ReadFile(fsys, "a", 9); !errors.As(err, &tl) || tl.Size != 10 || err.Error() != "the file is 10 bytes; at most 9 bytes are read" {
		t.Errorf("past the bound: %v", err)
	}
	if err := syscall.Mkfifo(filepath.Join(dir, "p"), 0o600); err != nil {
		t.Skip(err)
	}
	var nr *bounded.NotRegularError
	if _, err := bounded.ReadFile(fsys, "p", 10); !errors.As(err, &nr) {
		t.Errorf("a pipe: %v", err)
	}
}
