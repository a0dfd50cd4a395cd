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
	var out, errs bytes.Buffer
	if code := run([]string{"serve", "--help"}, nil, &out, &errs); code != 0 || !strings.Contains(out.String(), "PROTOKOL_BODY_LIMIT") || errs.Len() > 0 {
		t.Errorf("serve --help: %d %s %s", code, out.String(), errs.String())
	}
}

// What a newcomer meets on the command line: each answer shows the right
// form or names what is wrong, and success says what was written.
func TestNewcomerMessages(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join("..", "..", "examples", examples.Meeting)
	out := filepath.Join(dir, "a.pdf")
	tests := []struct {
		name string
		args []string
		code int
		want string // in standard error
	}{
		{"success says what was written", []string{"render", "agenda", "-i", in, "-o", out}, 0, "protokol: wrote " + out + " (18 pages, "},
		{"kind after the flags", []string{"render", "-i", "x.json", "-o", "a.pdf", "agenda"}, 2, "the document comes first, before the flags: protokol render agenda -i x.json -o a.pdf"},
		{"positional files", []string{"render", "agenda", "x.json", "a.pdf"}, 2, "input and output are given with -i and -o: protokol render agenda -i x.json -o a.pdf"},
		{"bad flag value", []string{"render", "agenda", "-i", in, "-o", out, "--lang", "de"}, 2, `invalid value "de" for flag -lang: must be da or en, not "de"`},
		{"unknown set lists the sets", []string{"render", "agenda", "-i", in, "-o", out, "--template", "helsingor"}, 1, `unknown template set "helsingor"; the sets are compact, default`},
		{"missing template directory", []string{"render", "agenda", "-i", in, "-o", out, "--templates", filepath.Join(dir, "nonexistent")}, 1,
			"template directory " + filepath.Join(dir, "nonexistent") + " does not exist"},
		{"positional input among flags", []string{"render", "agenda", "tmu.json", "-o", "x.pdf"}, 2, "input and output are given with -i and -o: protokol render agenda -i tmu.json -o x.pdf"},
		{"a bad flag is said once, briefly", []string{"render", "agenda", "-i", in, "-o", out, "--bogus"}, 2, "flag provided but not defined: -bogus (protokol render --help lists the flags)"},
		{"an extension that names no format", []string{"render", "budget", "-i", in, "-o", filepath.Join(dir, "budget.txt")}, 2, "the format follows the extension, .pdf or .xlsx"},
		{"public on a budget", []string{"render", "budget", "-i", in, "-o", filepath.Join(dir, "b.xlsx"), "--public"}, 2, "--public is for agendas, minutes and decision records"},
		{"attachments on a budget", []string{"render", "budget", "-i", in, "-o", filepath.Join(dir, "b.xlsx"), "--attachments", dir}, 2, "(a budget has none)"},
		{"Latin-1 input", []string{"render", "agenda", "-i", "-", "-o", out}, 1, "is it saved as Latin-1?"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			stdin := strings.NewReader("{\"municipality\":\"S\xf8nderborg\"}")
			if code := run(tt.args, stdin, &stdout, &stderr); code != tt.code {
				t.Errorf("exit %d, want %d: %s", code, tt.code, stderr.String())
			}
			if !strings.Contains(stderr.String(), tt.want) {
				t.Errorf("standard error lacks %q:\n%s", tt.want, stderr.String())
			}
			if strings.Count(stderr.String(), "\n") > 3 && tt.code == 2 {
				t.Errorf("a wrong command line answered with %d lines:\n%s", strings.Count(stderr.String(), "\n"), stderr.String())
			}
			if strings.Contains(stderr.String(), "body") {
				t.Errorf("the command line speaks of a body: %s", stderr.String())
			}
		})
	}
	var stdout, stderr bytes.Buffer
	if code := run([]string{"--help"}, nil, &stdout, &stderr); code != 0 || !strings.Contains(stdout.String(), "protokol render") {
		t.Errorf("protokol --help: exit %d, %q", code, stdout.String())
	}
	// help is printed to standard output (| less shows it), the command's
	// form first, then -i and -o before the limits
	for _, args := range [][]string{{"render", "--help"}, {"render", "agenda", "--help"}, {"serve", "--help"}, {"health", "--help"}} {
		stdout.Reset()
		stderr.Reset()
		if code := run(args, nil, &stdout, &stderr); code != 0 || stderr.Len() > 0 || !strings.HasPrefix(stdout.String(), "Usage: protokol "+args[0]) {
			t.Errorf("%v: exit %d, stdout %.80q, stderr %q", args, code, stdout.String(), stderr.String())
		}
		if args[0] == "render" && (!strings.Contains(stdout.String(), "PROTOKOL_TIMEOUT") ||
			strings.Index(stdout.String(), "  -o ") > strings.Index(stdout.String(), "--template-max-loops")) {
			t.Errorf("%v: -i and -o are not listed first, or the timeout is missing:\n%s", args, stdout.String())
		}
		if args[0] == "health" && strings.Contains(stdout.String(), "body-limit") {
			t.Errorf("health --help shows serve's flags: %s", stdout.String())
		}
	}
}

// Two renders to the same file must not write into each other's
// temporary file: the result is one whole PDF, and no temporary is left.
func TestConcurrentRendersToOneFile(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "same.pdf")
	in := filepath.Join("..", "..", "examples", examples.Minutes)
	errs := make(chan string, 4)
	for range 4 {
		go func() {
			var stderr bytes.Buffer
			if code := run([]string{"render", "minutes", "-i", in, "-o", out}, nil, nil, &stderr); code != 0 {
				errs <- stderr.String()
				return
			}
			errs <- ""
		}()
	}
	for range 4 {
		if e := <-errs; e != "" {
			t.Error(e)
		}
	}
	b, err := os.ReadFile(out)
	if err != nil || !bytes.HasPrefix(b, []byte("%PDF-")) || !bytes.HasSuffix(bytes.TrimSpace(b), []byte("%%EOF")) {
		t.Fatalf("not one whole PDF (%v)", err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("left behind: %v", entries)
	}
}

// The other papers from the command line: the decision record, the
// supplementary agenda and the signature sheet, with their flags where
// they belong only.
func TestOtherPapers(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join("..", "..", "examples", examples.Minutes)
	for _, args := range [][]string{{"decisions"}, {"agenda", "--addendum"}, {"minutes", "--signatures"}} {
		var stderr bytes.Buffer
		out := filepath.Join(dir, args[0]+".pdf")
		if code := run(append([]string{"render", args[0], "-i", in, "-o", out}, args[1:]...), nil, nil, &stderr); code != 0 {
			t.Errorf("%v: exit %d: %s", args, code, stderr.String())
		}
	}
	for _, args := range [][]string{{"minutes", "--addendum"}, {"agenda", "--signatures"}} {
		var stderr bytes.Buffer
		if code := run(append([]string{"render", args[0], "-i", in, "-o", filepath.Join(dir, "x.pdf")}, args[1:]...), nil, nil, &stderr); code != 2 || !strings.Contains(stderr.String(), args[1]) {
			t.Errorf("%v: exit %d: %s", args, code, stderr.String())
		}
	}
}

// The service logs text for a person and JSON for a collector: auto is
// JSON when standard error is not a terminal (a pipe, a file), and
// --log-format chooses.
func TestLogFormat(t *testing.T) {
	for format, want := range map[string]string{"json": `{"time":`, "text": "time=", "auto": `{"time":`} {
		var b bytes.Buffer
		logger(format, &b).Info("listening", "addr", ":8080")
		if !strings.HasPrefix(b.String(), want) {
			t.Errorf("%s: %q", format, b.String())
		}
	}
	var errs bytes.Buffer
	if code := run([]string{"serve", "--log-format", "xml"}, nil, nil, &errs); code != 2 || !strings.Contains(errs.String(), "--log-format must be auto, text or json") {
		t.Errorf("exit %d: %s", code, errs.String())
	}
}
