package render_test

import (
	"context"
	"fmt"
	"github.com/xuri/excelize/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"protokol/internal/data"
	"protokol/internal/pdftest"
	"protokol/internal/render"
)

// Two real budgets as finance staff present them: Odense's 2012 follow-up
// with a chart by group, Aarhus's 2023 investment models with a percent
// and a status column and a bar chart. Their PDFs hold the charts and the
// marks; their workbooks, opened by LibreOffice (a reader of its own,
// installed by .ci/run), print the charts' titles and the status words.
func TestRealBudgetsWithChartsAndStatus(t *testing.T) {
	r := newRenderer(t)
	for file, want := range map[string][]string{
		"odense-2012-chart.budget.json":  {"Korrigeret budget og forventet regnskab pr. område", "Driftsområder med overførselsadgang i alt"},
		"aarhus-2023-status.budget.json": {"Forventet og realiseret gevinst", "Grøn", "Gul", "Rød", "89,9 %"},
	} {
		body, err := os.ReadFile(filepath.Join("testdata", file))
		if err != nil {
			t.Fatal(err)
		}
		pdf, err := render.Job(context.Background(), r, data.DocBudget, render.FormatPDF, body, render.Options{})
		if err != nil {
			t.Fatal(err)
		}
		text := pdftest.Squash(strings.Join(pdftest.Pages(t, pdf.Body), " "))
		for _, w := range want {
			if !strings.Contains(strings.ReplaceAll(text, "\u00a0", " "), w) {
				t.Errorf("%s: the PDF lacks %q", file, w)
			}
		}
		if tg := pdftest.CheckTagged(t, pdf.Body); len(tg.Problems) > 0 {
			t.Errorf("%s: %v", file, tg.Problems)
		}
		book, err := render.Job(context.Background(), r, data.DocBudget, render.FormatXLSX, body, render.Options{})
		if err != nil {
			t.Fatal(err)
		}
		libreOffice(t, file, book.Body, want)
	}
}

// libreOffice converts a workbook to PDF with LibreOffice and looks for
// words in what it printed.
func libreOffice(t *testing.T, name string, xlsx []byte, want []string) {
	t.Helper()
	soffice, err := exec.LookPath("soffice")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("LibreOffice is not installed; .ci/run installs libreoffice-calc-nogui")
		}
		t.Log("LibreOffice is not installed (apt-get install libreoffice-calc-nogui): the workbook is not read by it")
		return
	}
	dir := t.TempDir()
	in := filepath.Join(dir, "book.xlsx")
	if err := os.WriteFile(in, xlsx, 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(soffice, "--headless", "-env:UserInstallation=file://"+filepath.Join(dir, "profile"), "--convert-to", "pdf", "--outdir", dir, in)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%s: LibreOffice: %v\n%s", name, err, out)
	}
	printed, err := os.ReadFile(filepath.Join(dir, "book.pdf"))
	if err != nil {
		t.Fatalf("%s: LibreOffice wrote no PDF: %v", name, err)
	}
	text := pdftest.Squash(strings.Join(pdftest.Pages(t, printed), " "))
	for _, w := range want {
		if w == "89,9 %" {
			continue // LibreOffice's percent format is its locale's
		}
		if !strings.Contains(text, w) {
			t.Errorf("%s: LibreOffice's print of the workbook lacks %q:\n%.600s", name, w, text)
		}
	}
}

// An edit a finance officer makes follows through: a realised amount
// changed in the workbook (through excelize, as a client would), then
// recalculated by LibreOffice, moves the line's percent and its status
// word with it.
func TestStatusFollowsAnEdit(t *testing.T) {
	soffice, err := exec.LookPath("soffice")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("LibreOffice is not installed; .ci/run installs libreoffice-calc-nogui")
		}
		t.Skip("LibreOffice is not installed (apt-get install libreoffice-calc-nogui)")
	}
	body, err := os.ReadFile(filepath.Join("testdata", "aarhus-2023-status.budget.json"))
	if err != nil {
		t.Fatal(err)
	}
	book, err := render.Job(context.Background(), newRenderer(t), data.DocBudget, render.FormatXLSX, body, render.Options{})
	if err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(strings.NewReader(string(book.Body)))
	if err != nil {
		t.Fatal(err)
	}
	sheet := f.GetSheetName(0)
	rows, _ := f.GetRows(sheet)
	line := 0
	for i, r := range rows {
		if len(r) > 0 && r[0] == "Sygedagpenge – tidlig indsats" {
			line = i + 1
		}
	}
	if v, _ := f.GetCellValue(sheet, fmt.Sprintf("E%d", line)); line == 0 || v != "Rød" {
		t.Fatalf("the line is %q before the edit, want Rød", v)
	}
	// realised 6.3 of an expected 6.4 million: 98 %, green
	if err := f.SetCellValue(sheet, fmt.Sprintf("C%d", line), 6300000); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	in := filepath.Join(dir, "book.xlsx")
	if err := f.SaveAs(in); err != nil {
		t.Fatal(err)
	}
	// a profile that recalculates a workbook when it opens one
	profile := filepath.Join(dir, "profile")
	if err := os.MkdirAll(filepath.Join(profile, "user"), 0o755); err != nil {
		t.Fatal(err)
	}
	xcu := `<?xml version="1.0" encoding="UTF-8"?><oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">` +
		`<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item></oor:items>`
	if err := os.WriteFile(filepath.Join(profile, "user", "registrymodifications.xcu"), []byte(xcu), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(soffice, "--headless", "-env:UserInstallation=file://"+profile, "--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76", "--outdir", dir, in)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("LibreOffice: %v\n%s", err, out)
	}
	csv, err := os.ReadFile(filepath.Join(dir, "book.csv"))
	if err != nil {
		t.Fatal(err)
	}
	var got string
	for l := range strings.Lines(string(csv)) {
		if strings.HasPrefix(l, `"Sygedagpenge`) || strings.HasPrefix(l, "Sygedagpenge") {
			got = strings.TrimSpace(l)
		}
	}
	if !strings.HasSuffix(got, "Grøn") || !strings.Contains(got, "98") {
		t.Errorf("after the edit LibreOffice reads the line as %q, want 98 %% and Grøn", got)
	}
}
