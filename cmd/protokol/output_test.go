package main

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"protokol/examples"
)

func renderTo(t *testing.T, out string) (int, string) {
	t.Helper()
	var errs bytes.Buffer
	code := run([]string{"render", "agenda", "-i", filepath.Join("..", "..", "examples", examples.Meeting), "-o", out}, nil, nil, &errs)
	return code, errs.String()
}

// -o writes files as files: a new one follows the umask, a replaced one
// keeps its mode, a FIFO and a character device are written into and
// stay what they are, anything else is refused by name, and a missing
// directory is named, not a temporary file.
func TestOutputIsWrittenAsAFile(t *testing.T) {
	dir := t.TempDir()
	old := syscall.Umask(0o077)
	defer syscall.Umask(old)

	fresh := filepath.Join(dir, "ny.pdf")
	if code, errs := renderTo(t, fresh); code != 0 {
		t.Fatal(errs)
	}
	if info, _ := os.Stat(fresh); info.Mode().Perm() != 0o600 {
		t.Errorf("a new file under umask 077 is %v, want 0600", info.Mode().Perm())
	}

	kept := filepath.Join(dir, "gammel.pdf")
	os.WriteFile(kept, []byte("x"), 0o600)
	os.Chmod(kept, 0o640)
	if code, errs := renderTo(t, kept); code != 0 {
		t.Fatal(errs)
	}
	if info, _ := os.Stat(kept); info.Mode().Perm() != 0o640 || info.Size() < 1000 {
		t.Errorf("a replaced file is %v, %d bytes; want its mode 0640 kept and the PDF in it", info.Mode().Perm(), info.Size())
	}

	fifo := filepath.Join(dir, "fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	got := make(chan []byte)
	go func() {
		f, err := os.Open(fifo)
		if err != nil {
			got <- nil
			return
		}
		b, _ := io.ReadAll(f)
		f.Close()
		got <- b
	}()
	if code, errs := renderTo(t, fifo); code != 0 {
		t.Fatal(errs)
	}
	if b := <-got; !bytes.HasPrefix(b, []byte("%PDF-")) {
		t.Errorf("the FIFO's reader got %d bytes, not the PDF", len(b))
	}
	if info, _ := os.Lstat(fifo); info.Mode()&os.ModeNamedPipe == 0 {
		t.Error("the FIFO was replaced")
	}

	if code, errs := renderTo(t, os.DevNull); code != 0 {
		t.Fatal(errs)
	}
	if info, _ := os.Stat(os.DevNull); info.Mode()&os.ModeCharDevice == 0 {
		t.Fatalf("%s is no longer a device", os.DevNull)
	}

	if code, errs := renderTo(t, dir); code == 0 || !strings.Contains(errs, "is not a file (a directory)") {
		t.Errorf("-o a directory: exit %d, %q", code, errs)
	}
	missing := filepath.Join(dir, "findes-ikke", "x.pdf")
	if code, errs := renderTo(t, missing); code == 0 || strings.Contains(errs, ".tmp") || !strings.Contains(errs, missing) {
		t.Errorf("-o in a missing directory: exit %d, %q", code, errs)
	}
}

// -i has a bound: an endless input ends with an answer.
func TestEndlessInputIsBounded(t *testing.T) {
	var out, errs bytes.Buffer
	code := run([]string{"render", "agenda", "-i", "/dev/zero", "-o", "-"}, nil, &out, &errs)
	if code == 0 || !strings.Contains(errs.String(), "larger than 256 MiB") {
		t.Errorf("exit %d: %s", code, errs.String())
	}
}
