package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"protokol/internal/data"
	"protokol/internal/pdftest"
)

// sbsysExport lays out an SBSYS export as the case system writes it: the
// XML and its Bilag folder (the example's attachment PDFs).
func sbsysExport(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	x, err := os.ReadFile(filepath.Join("..", "..", "internal", "esdh", "testdata", "sbsys.xml"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "dagsorden.xml"), x, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(filepath.Join(dir, "Bilag"), 0o755); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"forlig-beskaeftigelsesreform.pdf", "analyse-ressourceforbrug-hovedrapport.pdf"} {
		b, err := os.ReadFile(filepath.Join("..", "..", "examples", "bilag", f))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "Bilag", f), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// protokol import writes our JSON from an export, and says what it
// lacks; render --from renders the packet straight from the export's
// directory; the public version leaves out the closed item's text and its
// attachment, pages included.
func TestImportAndRenderFromAnExport(t *testing.T) {
	dir := sbsysExport(t)
	out := filepath.Join(t.TempDir(), "m.json")
	var stdout, stderr bytes.Buffer
	if code := run([]string{"import", "sbsys", dir, "-o", out}, nil, &stdout, &stderr); code != 1 || !strings.Contains(stderr.String(), "municipality") {
		t.Errorf("without the municipality: %d %s", code, stderr.String())
	}
	stderr.Reset()
	if code := run([]string{"import", "auto", dir, "-o", out, "--municipality", "Aalborg Kommune"}, nil, &stdout, &stderr); code != 0 || !strings.Contains(stderr.String(), "3 items") {
		t.Fatalf("import: %d %s", code, stderr.String())
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := data.DecodeMeeting(b); err != nil {
		t.Errorf("the JSON: %v", err)
	}
	pdfs := map[string][]byte{}
	for name, extra := range map[string][]string{"full": nil, "public": {"--public"}} {
		p := filepath.Join(t.TempDir(), name+".pdf")
		stderr.Reset()
		args := append([]string{"render", "agenda", "-i", filepath.Join(dir, "dagsorden.xml"), "--from", "sbsys", "--municipality", "Aalborg Kommune", "-o", p}, extra...)
		if code := run(args, nil, &stdout, &stderr); code != 0 {
			t.Fatalf("render %s: %d %s", name, code, stderr.String())
		}
		if pdfs[name], err = os.ReadFile(p); err != nil {
			t.Fatal(err)
		}
	}
	full := pdftest.Squash(strings.Join(pdftest.Pages(t, pdfs["full"]), " "))
	public := pdftest.Squash(strings.Join(pdftest.Pages(t, pdfs["public"]), " "))
	for _, want := range []string{"Beskæftigelsesudvalget", "Orientering om reform af beskæftigelsesindsatsen", "Regeringen, Venstre, Dansk Folkeparti", "LUKKET-TEKST", "LUKKET-BILAG", "Bilag 2.1"} {
		if !strings.Contains(full, want) {
			t.Errorf("the full packet lacks %q", want)
		}
	}
	for _, gone := range []string{"LUKKET-TEKST", "LUKKET-BILAG"} {
		if strings.Contains(public, gone) {
			t.Errorf("the public packet shows %q", gone)
		}
	}
	if !strings.Contains(public, "Vurdering af analysen af jobcentrenes ressourceforbrug") {
		t.Error("the public packet lost the closed item's title")
	}
	if nf, np := len(pdftest.Pages(t, pdfs["full"])), len(pdftest.Pages(t, pdfs["public"])); np >= nf {
		t.Errorf("the public packet has %d pages, the full %d: the closed attachment's pages were not left out", np, nf)
	}
}
