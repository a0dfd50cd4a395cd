package main

import (
	"bytes"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"protokol/examples"
	"protokol/internal/config"
	"protokol/internal/pdftest"
	"protokol/internal/server"
)

var bilag = filepath.Join("..", "..", "examples", examples.Attachments)

// TestPacketCommandLineEqualsHTTP: the packet of the example meeting and
// its files is the same file from --attachments and from an upload.
func TestPacketCommandLineEqualsHTTP(t *testing.T) {
	out := filepath.Join(t.TempDir(), "pakke.pdf")
	var errs bytes.Buffer
	if code := run([]string{"render", "agenda", "-i", filepath.Join("..", "..", "examples", examples.Meeting), "--attachments", bilag, "-o", out}, nil, nil, &errs); code != 0 {
		t.Fatalf("exit %d: %s", code, errs.String())
	}
	cli, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}

	cfg, err := config.ParseServe(nil, func(string) string { return "" }, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	r, err := renderer(cfg)
	if err != nil {
		t.Fatal(err)
	}
	s, err := server.New(cfg, r, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	mw, _ := w.CreateFormField("meeting")
	mw.Write(examples.Read(examples.Meeting))
	entries, _ := os.ReadDir(bilag)
	for _, e := range entries {
		fw, _ := w.CreateFormFile("file", e.Name())
		b, _ := os.ReadFile(filepath.Join(bilag, e.Name()))
		fw.Write(b)
	}
	w.Close()
	req := httptest.NewRequest("POST", "/v1/agenda", &body)
	req.Header.Set("Content-Type", w.FormDataContentType())
	rec := httptest.NewRecorder()
	s.Handler().ServeHTTP(rec, req)
	if rec.Code != 200 {
		t.Fatalf("HTTP %d: %s", rec.Code, rec.Body)
	}
	if !bytes.Equal(cli, rec.Body.Bytes()) {
		t.Errorf("the command line's packet (%d bytes) and the service's (%d bytes) differ", len(cli), rec.Body.Len())
	}
	if !strings.Contains(errs.String(), "pages") {
		t.Errorf("no success line: %q", errs.String())
	}
}

// TestAttachmentsStayInTheirDirectory: a file name is looked up in the
// directory only; a symbolic link out of it is not followed.
func TestAttachmentsStayInTheirDirectory(t *testing.T) {
	dir := t.TempDir()
	outside, _ := filepath.Abs(filepath.Join(bilag, "strategi-tryg-aalborg.pdf"))
	if err := os.Symlink(outside, filepath.Join(dir, "forlig-beskaeftigelsesreform.pdf")); err != nil {
		t.Fatal(err)
	}
	var errs bytes.Buffer
	code := run([]string{"render", "agenda", "-i", filepath.Join("..", "..", "examples", examples.Meeting), "--attachments", dir, "-o", filepath.Join(t.TempDir(), "p.pdf")}, nil, nil, &errs)
	if code != 1 {
		t.Fatalf("exit %d, want 1: %s", code, errs.String())
	}
	for _, want := range []string{`items[1].attachments[0]: file "forlig-beskaeftigelsesreform.pdf" cannot be read: it is a link to a file outside the attachments directory`, `items[2].attachments[0]: file "analyse-ressourceforbrug-hovedrapport.pdf" is not in the attachments directory`} {
		if !strings.Contains(errs.String(), want) {
			t.Errorf("stderr lacks %q:\n%s", want, errs.String())
		}
	}
	errs.Reset()
	if code := run([]string{"render", "agenda", "-i", filepath.Join("..", "..", "examples", examples.Meeting), "--attachments", filepath.Join(dir, "nope"), "-o", filepath.Join(dir, "p.pdf")}, nil, nil, &errs); code != 1 || !strings.Contains(errs.String(), "--attachments") {
		t.Errorf("a missing directory: exit %d, %q", code, errs.String())
	}
	for _, doc := range []string{"budget", "decisions"} {
		errs.Reset()
		if code := run([]string{"render", doc, "-i", "x.json", "--attachments", dir, "-o", "b.pdf"}, nil, nil, &errs); code != 2 {
			t.Errorf("--attachments on %s: exit %d, want 2: %q", doc, code, errs.String())
		}
	}
}

// TestPacketNotesWhatItLeavesOut: an attachment file with links, a form
// field and a comment makes the packet (its pages are in) and a note on
// standard error saying what is not carried over.
func TestPacketNotesWhatItLeavesOut(t *testing.T) {
	dir := t.TempDir()
	entries, err := os.ReadDir(bilag)
	if err != nil {
		t.Fatal(err)
	}
	for i, e := range entries {
		b, err := os.ReadFile(filepath.Join(bilag, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			b = pdftest.Annotated()
		}
		if err := os.WriteFile(filepath.Join(dir, e.Name()), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	var errs bytes.Buffer
	if code := run([]string{"render", "agenda", "-i", filepath.Join("..", "..", "examples", examples.Meeting), "--attachments", dir, "-o", filepath.Join(dir, "p.pdf")}, nil, nil, &errs); code != 0 {
		t.Fatalf("exit %d: %s", code, errs.String())
	}
	if want := "protokol: note: " + entries[0].Name() + ": 2 links, 1 form field and 1 comment are not carried over into the packet\n"; !strings.Contains(errs.String(), want) {
		t.Errorf("standard error lacks %q:\n%s", want, errs.String())
	}
}
