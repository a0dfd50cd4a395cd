package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"protokol/examples"
)

func TestRenderFromStdinToStdout(t *testing.T) {
	in := examples.Read(examples.Meeting)
	var out, errs bytes.Buffer
	if code := run([]string{"render", "agenda", "-i", "-", "-o", "-", "--public", "--lang", "en"}, bytes.NewReader(in), &out, &errs); code != 0 {
		t.Fatalf("exit %d: %s", code, errs.String())
	}
	if !bytes.HasPrefix(out.Bytes(), []byte("%PDF-")) {
		t.Fatal("standard output is not a PDF")
	}
}

func TestRenderBudgetByExtension(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"b.xlsx", "b.pdf"} {
		out := filepath.Join(dir, name)
		var errs bytes.Buffer
		if code := run([]string{"render", "budget", "-i", filepath.Join("..", "..", "examples", examples.Budget), "-o", out}, nil, nil, &errs); code != 0 {
			t.Fatalf("%s: exit %d: %s", name, code, errs.String())
		}
		b, _ := os.ReadFile(out)
		magic := map[string]string{"b.xlsx": "PK", "b.pdf": "%PDF-"}[name]
		if !bytes.HasPrefix(b, []byte(magic)) {
			t.Errorf("%s does not start with %q", name, magic)
		}
	}
}

func TestBadInputExitsNonZeroWithFieldMessages(t *testing.T) {
	var out, errs bytes.Buffer
	code := run([]string{"render", "minutes", "-i", "-", "-o", "-"}, strings.NewReader(`{"municipality":"M","items":[{"numbr":"1"}]}`), &out, &errs)
	if code == 0 || out.Len() > 0 {
		t.Fatalf("exit %d, %d bytes written", code, out.Len())
	}
	for _, want := range []string{"items[0].numbr: unknown field", "committee: is required", "start: is required"} {
		if !strings.Contains(errs.String(), want) {
			t.Errorf("stderr lacks %q:\n%s", want, errs.String())
		}
	}
}

func TestUsageErrors(t *testing.T) {
	for _, args := range [][]string{{}, {"render"}, {"render", "poster", "-i", "x", "-o", "y"}, {"render", "agenda", "-i", "x"}, {"render", "agenda", "-i", "x", "-o", "y.xlsx"}, {"fly"}} {
		var errs bytes.Buffer
		if code := run(args, nil, nil, &errs); code != 2 || errs.Len() == 0 {
			t.Errorf("%v: exit %d, stderr %q", args, code, errs.String())
		}
	}
	var errs bytes.Buffer
	if code := run([]string{"serve", "--help"}, nil, nil, &errs); code != 0 || !strings.Contains(errs.String(), "PROTOKOL_BODY_LIMIT") {
		t.Errorf("serve --help: %d %s", code, errs.String())
	}
}
