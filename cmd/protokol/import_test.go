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
	if code := run([]string{"import", "sbsys", dir, "-o", out, "--lang", "da"}, nil, &stdout, &stderr); code != 1 || !strings.Contains(stderr.String(), "sbsys-eksportens dagsorden skal rettes") || !strings.Contains(stderr.String(), "Kommune (municipality): skal udfyldes") {
		t.Errorf("without the municipality, in Danish: %d %s", code, stderr.String())
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

// An addendum (tillægsdagsorden) exported beside its meeting's agenda is
// one meeting with it: the full agenda marks its item "Tillæg", and
// --addendum renders the supplementary agenda, its attachment's pages
// included, from the same directory.
func TestRenderAnAgendaWithItsAddendum(t *testing.T) {
	dir := sbsysExport(t)
	addendum := `<Dagsorden DagsordenID="4712" Åben="true" Dagsordentype="Dagsorden"><Møde MødeID="815" Udvalg="Beskæftigelsesudvalget" Mødedato="19. august 2014" Mødetid="13:00" Mødested="Sønderbro 12"/>` +
		`<Dagsordenpunkter><Dagsordenpunkt Nummer="4" Åbent="true"><Overskrift>Ansøgning om pulje til jobrotation</Overskrift>` +
		`<Bilagsliste><Bilag Navn="Forliget, tillæg" BilagUrl="Bilag/forlig-beskaeftigelsesreform.pdf" MaaPubliceres="true"/></Bilagsliste></Dagsordenpunkt></Dagsordenpunkter></Dagsorden>`
	if err := os.WriteFile(filepath.Join(dir, "tillaeg.xml"), []byte(addendum), 0o644); err != nil {
		t.Fatal(err)
	}
	text := map[string]string{}
	for name, extra := range map[string][]string{"full": nil, "addendum": {"--addendum"}} {
		p := filepath.Join(t.TempDir(), name+".pdf")
		var stdout, stderr bytes.Buffer
		args := append([]string{"render", "agenda", "-i", dir, "--municipality", "Aalborg Kommune", "-o", p}, extra...)
		if code := run(args, nil, &stdout, &stderr); code != 0 {
			t.Fatalf("render %s: %d %s", name, code, stderr.String())
		}
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		text[name] = pdftest.Squash(strings.Join(pdftest.Pages(t, b), " "))
	}
	for _, want := range []string{"Godkendelse af dagsorden", "4. Ansøgning om pulje til jobrotation – Tillæg", "Bilag 2.1", "Bilag 4.1"} {
		if !strings.Contains(text["full"], want) {
			t.Errorf("the agenda lacks %q", want)
		}
	}
	if a := text["addendum"]; !strings.Contains(a, "Tillægsdagsorden") || !strings.Contains(a, "Bilag 4.1 · Forliget, tillæg") || !strings.Contains(a, "Aftale om en reform af beskæftigelsesindsatsen") || strings.Contains(a, "Godkendelse af dagsorden") {
		t.Errorf("the supplementary agenda: %.600s", a)
	}
}
