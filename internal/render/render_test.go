package render_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"protokol/examples"
	"protokol/internal/data"
	"protokol/internal/pdftest"
	"protokol/internal/render"
	"protokol/templates"
)

func newRenderer(t testing.TB) *render.Renderer {
	t.Helper()
	r, err := render.New(render.Config{Templates: templates.FS})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func meeting(t testing.TB) *data.Meeting {
	t.Helper()
	m, err := data.DecodeMeeting(examples.Read(examples.Meeting))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func renderMeeting(t testing.TB, r *render.Renderer, doc data.Document, m *data.Meeting, o render.Options) *render.Result {
	t.Helper()
	res, err := r.Meeting(context.Background(), doc, m, o)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

var tocLine = regexp.MustCompile(`(?m)^(\d+)\. (.+?)(?: \.)*[ .]*\s(\d+)$`)

// checkStructure verifies what a reader relies on: every item listed in
// the table of contents with the page its heading and its bookmark are
// on, and "Side N af M" on every page with M the real page count.
func checkStructure(t *testing.T, pdf []byte, m *data.Meeting, pageWord, ofWord string) []string {
	t.Helper()
	pages := pdftest.Pages(t, pdf)
	info := pdftest.Info(t, pdf)
	if info["Pages"] != strconv.Itoa(len(pages)) {
		t.Fatalf("pdfinfo says %s pages, pdftotext found %d", info["Pages"], len(pages))
	}
	for i, p := range pages {
		want := fmt.Sprintf("%s %d %s %d", pageWord, i+1, ofWord, len(pages))
		if !strings.Contains(pdftest.Squash(p), want) {
			t.Errorf("page %d has no footer %q", i+1, want)
		}
	}
	toc := map[string]int{}
	for _, mm := range tocLine.FindAllStringSubmatch(pages[1], -1) {
		n, _ := strconv.Atoi(mm[3])
		toc[mm[1]] = n
	}
	bookmarks := map[string]int{}
	for _, b := range pdftest.Outline(t, pdf) {
		bookmarks[b.Title] = b.Page
	}
	for _, it := range m.Items {
		page, ok := toc[it.Number]
		if !ok {
			t.Errorf("item %s is not in the table of contents:\n%s", it.Number, pages[1])
			continue
		}
		heading := "Punkt " + it.Number + ". " + it.Title
		if pageWord == "Page" {
			heading = "Item " + it.Number + ". " + it.Title
		}
		if page < 1 || page > len(pages) || !strings.HasPrefix(pdftest.Squash(pages[page-1]), pdftest.Squash(heading)) {
			t.Errorf("the contents say item %s is on page %d, but that page does not start with %q", it.Number, page, heading)
		}
		if bookmarks[heading] != page {
			t.Errorf("bookmark %q opens page %d, want %d", heading, bookmarks[heading], page)
		}
	}
	return pages
}

func TestMinutesFixture(t *testing.T) {
	r := newRenderer(t)
	m := meeting(t)
	res := renderMeeting(t, r, "minutes", m, render.Options{})
	if res.ContentType != render.PDF || !bytes.HasPrefix(res.Body, []byte("%PDF-")) {
		t.Fatalf("not a PDF: %q", res.Body[:min(20, len(res.Body))])
	}
	pages := checkStructure(t, res.Body, m, "Side", "af")
	front := pdftest.Squash(pages[0])
	for _, want := range []string{"Referat", "Aalborg Kommune", "Beskæftigelsesudvalget", "Tirsdag den 19. august 2014 kl. 13:00–16:00",
		"Mødelokale E, Sønderbro 12, 9000 Aalborg", "Fraværende", "Daniel Nyboe Andersen (B) og Per Clausen (Ø)",
		"Birgitte Welling (ref.)", "Jesper Dahlgaard (jobcenterchef)", "Under pkt. 3", "John Andersen (jobcenterkonsulent)",
		"Bemærkninger", "Mødet starter med frokost kl. 12:30."} {
		if !strings.Contains(front, want) {
			t.Errorf("front page lacks %q:\n%s", want, front)
		}
	}
	toc := pdftest.Squash(pages[1])
	if !strings.Contains(toc, "Indholdsfortegnelse") || !strings.Contains(toc, "Lukket 9. Orientering fra rådmand og direktør") {
		t.Errorf("contents should list closed items under Lukket:\n%s", toc)
	}
	all := pdftest.Squash(strings.Join(pages, " "))
	for _, want := range []string{"Beslutning Godkendt mhp. oversendelse til byrådets behandling", "Sagen afgøres i: Byrådet",
		"Åben · Orienteringssag · Sagsnr. 2014-33589", "Fortroligt: drøftelse af personalesag", "Bilagsliste",
		"Statusrapport - andre aktører 2013.docx", "Aktør Udbud Besøgsdato Status", "5. Der skal skabes større social bæredygtighed"} {
		if !strings.Contains(all, want) {
			t.Errorf("minutes lack %q", want)
		}
	}
	info := pdftest.Info(t, res.Body)
	if info["Title"] != "Referat: Beskæftigelsesudvalget 19.08.2014" || info["Author"] != "Aalborg Kommune" || !strings.Contains(info["Subject"], "tirsdag den 19. august 2014") {
		t.Errorf("metadata: %v", info)
	}
	if !bytes.Contains(res.Body, []byte("/Lang (da-DK)")) {
		t.Error("no document language")
	}
	if res.Pages != len(pages) {
		t.Errorf("Result.Pages = %d, the file has %d", res.Pages, len(pages))
	}
}

func TestAgendaHasNoDecisions(t *testing.T) {
	r := newRenderer(t)
	m := meeting(t)
	res := renderMeeting(t, r, "agenda", m, render.Options{})
	pages := checkStructure(t, res.Body, m, "Side", "af")
	all := pdftest.Squash(strings.Join(pages, " "))
	if !strings.HasPrefix(all, "Aalborg Kommune Beskæftigelsesudvalget Dagsorden Tid Tirsdag den 19. august 2014") {
		t.Errorf("the agenda's front page: %.80s", all)
	}
	for _, absent := range []string{"Godkendt mhp. oversendelse", "Jobcenterchefen gennemgik", "Intet."} {
		if strings.Contains(all, absent) {
			t.Errorf("the agenda shows %q, which belongs in the minutes", absent)
		}
	}
	for _, p := range pages {
		for _, line := range strings.Split(p, "\n") {
			if strings.TrimSpace(line) == "Beslutning" {
				t.Errorf("the agenda has a Beslutning heading")
			}
		}
	}
}

func TestPublicVersionHasNoClosedContent(t *testing.T) {
	r := newRenderer(t)
	m := meeting(t)
	m.Items[8].Attachments = []data.Attachment{{Title: "Hemmeligt bilag", Access: "open"}}
	m.Items[4].Attachments = append(m.Items[4].Attachments, data.Attachment{Title: "Fortrolig personsag", Access: "closed"})
	m.Items[8].CaseNumber = "2014-99999"
	m.Participants = append(m.Participants, data.Participant{Name: "Hemmelig Gæst", Role: "guest", Attendance: "present", Items: []string{"9"}})
	res := renderMeeting(t, r, "minutes", m, render.Options{Public: true})
	pages := checkStructure(t, res.Body, m, "Side", "af")
	all := pdftest.Squash(strings.Join(pages, " "))
	for _, secret := range []string{"Fortroligt", "personalesag", "Hemmeligt bilag", "Fortrolig personsag", "2014-99999", "Hemmelig Gæst"} {
		if strings.Contains(all, secret) || bytes.Contains(res.Body, []byte(secret)) {
			t.Errorf("the public version contains %q", secret)
		}
	}
	if !strings.Contains(all, "Punkt 9. Orientering fra rådmand og direktør Lukket") {
		t.Error("a closed item should still show its number, title and Lukket")
	}
	if !strings.Contains(all, "Strategi Tryg Aalborg") {
		t.Error("open attachments must stay in the public version")
	}
}

func TestEnglish(t *testing.T) {
	r := newRenderer(t)
	m := meeting(t)
	res := renderMeeting(t, r, "minutes", m, render.Options{Lang: "en"})
	pages := checkStructure(t, res.Body, m, "Page", "of")
	front := pdftest.Squash(pages[0])
	for _, want := range []string{"Minutes", "Tuesday 19 August 2014 13:00–16:00", "Absent", "Daniel Nyboe Andersen (B) and Per Clausen (Ø)", "Birgitte Welling (minutes)"} {
		if !strings.Contains(front, want) {
			t.Errorf("English front page lacks %q:\n%s", want, front)
		}
	}
}

func TestRendersAreByteIdentical(t *testing.T) {
	r := newRenderer(t)
	m := meeting(t)
	a := renderMeeting(t, r, "minutes", m, render.Options{})
	b := renderMeeting(t, r, "minutes", meeting(t), render.Options{})
	if !bytes.Equal(a.Body, b.Body) {
		t.Fatal("two renders of the same meeting differ")
	}
}

func TestTextTheFontCannotDraw(t *testing.T) {
	r := newRenderer(t)
	m := meeting(t)
	m.Items[0].Title = "Godkendelse 😀👍🏽 👨‍👩‍👧 🇩🇰 中文 مرحبا 𝔘 Łódź Ἀθῆναι Київ"
	m.Items[0].Sections[0].Body = "Emoji i brødtekst: 🎉 og \x01kontroltegn og e\u0301 (kombineret)."
	m.Committee = "Udvalget 🏛"
	res := renderMeeting(t, r, "agenda", m, render.Options{})
	if res.Replaced == 0 {
		t.Error("no replacement counted")
	}
	all := strings.Join(pdftest.Pages(t, res.Body), " ")
	for _, want := range []string{"Godkendelse \uFFFD\uFFFD \uFFFD \uFFFD \uFFFD\uFFFD", "Łódź Ἀθῆναι Київ", "Emoji i brødtekst: \uFFFD og kontroltegn og é"} {
		if !strings.Contains(pdftest.Squash(all), want) {
			t.Errorf("missing %q in\n%s", want, pdftest.Squash(all)[:400])
		}
	}
}

func TestGroupsAndLongTables(t *testing.T) {
	r := newRenderer(t)
	m := meeting(t)
	m.Groups = []data.Group{{Code: "A", Title: "Sager til afgørelse i Byrådet"}, {Code: "B", Title: "Sager til afgørelse i udvalget"}}
	m.Items[4].Group = "A"
	m.Items[0].Group = "B"
	var b strings.Builder
	b.WriteString("| Nr. | Beskrivelse | Beløb |\n|---|---|---:|\n")
	for i := 1; i <= 150; i++ {
		fmt.Fprintf(&b, "| %d | Linje nummer %d med en beskrivelse | %d.000 |\n", i, i, i)
	}
	m.Items[1].Sections[0].Body = b.String()
	res := renderMeeting(t, r, "agenda", m, render.Options{})
	pages := checkStructure(t, res.Body, m, "Side", "af")
	toc := pdftest.Squash(pages[1])
	if !strings.Contains(toc, "A: Sager til afgørelse i Byrådet 5. Udkast") || !strings.Contains(toc, "B: Sager til afgørelse i udvalget 1. Godkendelse") {
		t.Errorf("groups not in the contents:\n%s", toc)
	}
	// the table spans pages: its header row repeats on each
	spans := 0
	for _, p := range pages {
		if strings.Contains(p, "Linje nummer") {
			spans++
			if !strings.Contains(p, "Nr.") || !strings.Contains(p, "Beskrivelse") || !strings.Contains(p, "Beløb") {
				t.Errorf("a page of the long table has no header row:\n%.300s", p)
			}
		}
	}
	if spans < 2 {
		t.Errorf("the long table should span pages, spans %d", spans)
	}
}

func TestBudgetPDF(t *testing.T) {
	r := newRenderer(t)
	b, err := data.DecodeBudget(examples.Read(examples.Budget))
	if err != nil {
		t.Fatal(err)
	}
	res, err := r.BudgetPDF(context.Background(), b, render.Options{})
	if err != nil {
		t.Fatal(err)
	}
	all := pdftest.Squash(strings.Join(pdftest.Pages(t, res.Body), " "))
	// the second table has a note column: its header says so, as the workbook's does
	for _, want := range []string{"Bevilling – nettoramme 209,607", "Samlet ramme – brutto 292,101", "Beløb (mio. kr.)", "Bemærkning Ramme 2016 (kr.)",
		"Samlet 295.875.000", "Budget 292.100.000", "Overdisponering 3.775.000", "Budgettet er eksklusiv udgifter til jobafklaring (2,0 mill. kr.)"} {
		if !strings.Contains(all, want) {
			t.Errorf("budget PDF lacks %q:\n%s", want, all)
		}
	}
}

func TestBudgetTablesInItems(t *testing.T) {
	r := newRenderer(t)
	m := meeting(t)
	b, err := data.DecodeBudget(examples.Read(examples.Budget))
	if err != nil {
		t.Fatal(err)
	}
	m.Items[5].BudgetTables = b.Tables
	res := renderMeeting(t, r, "minutes", m, render.Options{Lang: "en"})
	all := pdftest.Squash(strings.Join(pdftest.Pages(t, res.Body), " "))
	for _, want := range []string{"Samlet 295,875,000", "Overdisponering 3,775,000", "209.607"} {
		if !strings.Contains(all, want) {
			t.Errorf("item budget table lacks %q", want)
		}
	}
}

func TestUnknownTemplate(t *testing.T) {
	r := newRenderer(t)
	_, err := r.Meeting(context.Background(), "agenda", meeting(t), render.Options{Template: "nope"})
	if !render.IsNotFound(err) || !strings.Contains(err.Error(), `"nope"`) {
		t.Fatalf("want a not-found error naming the set, got %v", err)
	}
}

// copyDefaultSet writes the embedded default set to dir/default, as the
// README's examples start, and returns that directory.
func copyDefaultSet(t *testing.T, dir string) string {
	t.Helper()
	sub, err := fs.Sub(templates.FS, "default")
	if err != nil {
		t.Fatal(err)
	}
	set := filepath.Join(dir, "default")
	if err := os.CopyFS(set, sub); err != nil {
		t.Fatal(err)
	}
	return set
}

// TestWorkedTemplateExample follows README's "Writing a template": copy the
// default set to disk, change a heading and add a line; the service then
// prints the municipality's words.
func TestWorkedTemplateExample(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(copyDefaultSet(t, dir), "_meeting.tmpl")
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	// the two edits the README describes
	s := strings.Replace(string(b), "### {{$l.Decision}}", "### Beslutninger", 1)
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		if strings.HasPrefix(l, "*{{.AccessLabel}}") {
			lines[i] = l + "\n\n{{if .CaseNumber}}Sagsnummer: **{{esc .CaseNumber}}**{{end}}"
		}
	}
	if err := os.WriteFile(file, []byte(strings.Join(lines, "\n")), 0o644); err != nil {
		t.Fatal(err)
	}
	r, err := render.New(render.Config{Templates: templates.FS, TemplateDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	res := renderMeeting(t, r, "minutes", meeting(t), render.Options{})
	all := pdftest.Squash(strings.Join(pdftest.Pages(t, res.Body), " "))
	for _, want := range []string{"Beslutninger Godkendt mhp. oversendelse", "Sagsnummer: 2014-1516"} {
		if !strings.Contains(all, want) {
			t.Errorf("the edited set's text %q is not in the PDF", want)
		}
	}
	if strings.Contains(all, "Beslutning Godkendt") {
		t.Error("the embedded default set was used, not the one on disk")
	}
}

// TestStreamedWorkbookEqualsDecoded: the workbook written row by row from
// the JSON has the same cells and formulas as one written from the
// decoded budget.
func TestStreamedWorkbookEqualsDecoded(t *testing.T) {
	r := newRenderer(t)
	for _, body := range [][]byte{examples.Read(examples.Budget), bigBudget(30, 7)} {
		streamed, err := r.Budget(context.Background(), body, "xlsx", render.Options{})
		if err != nil {
			t.Fatal(err)
		}
		b, err := data.DecodeBudget(body)
		if err != nil {
			t.Fatal(err)
		}
		decoded, err := r.BudgetXLSX(context.Background(), b, render.Options{})
		if err != nil {
			t.Fatal(err)
		}
		a, bb := cells(t, streamed.Body), cells(t, decoded.Body)
		if len(a) == 0 || strings.Join(a, "\n") != strings.Join(bb, "\n") {
			t.Fatalf("streamed and decoded workbooks differ (%d and %d cells)", len(a), len(bb))
		}
	}
}

func cells(t *testing.T, xlsxBody []byte) []string {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(xlsxBody))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []string
	for _, s := range f.GetSheetList() {
		rows, err := f.GetRows(s)
		if err != nil {
			t.Fatal(err)
		}
		for i, row := range rows {
			for j, v := range row {
				name, _ := excelize.CoordinatesToCellName(j+1, i+1)
				formula, _ := f.GetCellFormula(s, name)
				out = append(out, s+"!"+name+"="+v+" "+formula)
			}
		}
	}
	return out
}

// TestBudgetTableKeepsWords: with three amount columns and notes, the
// label column still gets room for its longest word.
func TestBudgetTableKeepsWords(t *testing.T) {
	r := newRenderer(t)
	body, err := os.ReadFile("testdata/odense-nested.budget.json")
	if err != nil {
		t.Fatal(err)
	}
	res, err := r.Budget(context.Background(), body, "pdf", render.Options{})
	if err != nil {
		t.Fatal(err)
	}
	words := strings.Fields(strings.Join(pdftest.Pages(t, res.Body), " "))
	for _, want := range []string{"overførselsadgang", "Beskæftigelsescentret", "1.177.456", "-209.244", "-226.000"} {
		found := false
		for _, w := range words {
			found = found || w == want
		}
		if !found {
			t.Errorf("%q is not printed as one word", want)
		}
	}
}

// Document text cannot forge bookmarks, link targets or contents entries:
// heading attributes in any heading form and container, and the layout's
// directives in raw HTML, are printed as text or dropped. Only the
// template's headings become bookmarks.
func TestDocumentTextCannotSetAttributes(t *testing.T) {
	r := newRenderer(t)
	m := meeting(t)
	forged := []string{
		"Evil {#punkt-2 bookmark=\"Setext\"}\n===",
		"Evil {#punkt-3 bookmark=\"Setext2\"}\n---",
		"# Evil {#punkt-4 bookmark=\"ATX\"}",
		"> Evil {#punkt-5 bookmark=\"Quote\"}\n> ---",
		"- ## Evil {#punkt-6 bookmark=\"List\"}",
		"Two\nlines {#punkt-7 bookmark=\"Lines\"}\n===",
		"<!-- toc -->\n\n[1. Falsk](#punkt-1)\n\n<!-- /toc -->",
		"<!-- pagebreak -->",
	}
	m.Note = forged[0]
	for i, f := range forged {
		m.Items[0].Sections = append(m.Items[0].Sections, data.Section{Heading: fmt.Sprintf("Del %d", i), Body: f})
	}
	m.Items[1].Decision = strings.Join(forged, "\n\n")
	res := renderMeeting(t, r, "minutes", m, render.Options{})
	for _, b := range pdftest.Outline(t, res.Body) {
		if strings.Contains(b.Title, "Evil") || slices.Contains([]string{"Setext", "Setext2", "ATX", "Quote", "List", "Lines"}, b.Title) {
			t.Errorf("document text made a bookmark %q", b.Title)
		}
	}
	pages := checkStructure(t, res.Body, m, "Side", "af")
	if strings.Contains(pages[1], "Falsk") {
		t.Error("document text made a contents entry")
	}
	if all := strings.Join(pages, " "); !strings.Contains(all, `Evil {#punkt-2 bookmark="Setext"}`) {
		t.Error("the forged heading's text should be printed as written")
	}
}

// Rendering reads a document and changes nothing in it: a Danish render
// and then an English one of the same decoded meeting print each its own
// labels, and a workbook leaves the budget's rows and labels as they were.
func TestRenderingChangesNoDocument(t *testing.T) {
	r := newRenderer(t)
	m := meeting(t)
	b, err := data.DecodeBudget(examples.Read(examples.Budget))
	if err != nil {
		t.Fatal(err)
	}
	table := b.Tables[1]
	table.TotalLabel = "" // the language's label, then
	m.Items[5].BudgetTables = []data.BudgetTable{table}
	da := pdftest.Squash(strings.Join(pdftest.Pages(t, renderMeeting(t, r, "minutes", m, render.Options{}).Body), " "))
	en := pdftest.Squash(strings.Join(pdftest.Pages(t, renderMeeting(t, r, "minutes", m, render.Options{Lang: "en"}).Body), " "))
	if !strings.Contains(da, "I alt 295.875.000") || !strings.Contains(en, "Total 295,875,000") || strings.Contains(en, "I alt") {
		t.Errorf("the English render after a Danish one does not say Total")
	}
	if m.Items[5].BudgetTables[0].TotalLabel != "" {
		t.Errorf("the render wrote %q into the document", m.Items[5].BudgetTables[0].TotalLabel)
	}
	rows := len(b.Tables[1].Rows)
	if _, err := r.BudgetXLSX(context.Background(), b, render.Options{}); err != nil {
		t.Fatal(err)
	}
	if len(b.Tables[1].Rows) != rows || b.Tables[0].BudgetLabel != "" {
		t.Errorf("the workbook changed the budget: %d rows (was %d), budget label %q", len(b.Tables[1].Rows), rows, b.Tables[0].BudgetLabel)
	}
}

// Pages per PDF and budget rows per PDF are bounded: past them the render
// stops with a TooLargeError (the server's 413), not a huge file.
func TestPDFSizeLimits(t *testing.T) {
	r, err := render.New(render.Config{Templates: templates.FS, Limits: render.Limits{MaxPages: 5, MaxPDFRows: 1000}})
	if err != nil {
		t.Fatal(err)
	}
	var tl *render.TooLargeError
	if _, err := r.Meeting(context.Background(), "minutes", meeting(t), render.Options{}); !errors.As(err, &tl) || !strings.Contains(err.Error(), "more than 5 pages") || tl.Danish != "dokumentet ville få mere end 5 sider" {
		t.Errorf("18 pages with a limit of 5: %v (%q)", err, tl)
	}
	if _, err := render.Job(context.Background(), r, "budget", "pdf", bigBudget(30, 40), render.Options{}); !errors.As(err, &tl) || !strings.Contains(err.Error(), "1260 rows") || !strings.Contains(tl.Danish, "1260 linjer") {
		t.Errorf("1,260 rows with a limit of 1,000: %v (%q)", err, tl)
	}
	if _, err := render.Job(context.Background(), r, "budget", "xlsx", bigBudget(30, 40), render.Options{}); err != nil {
		t.Errorf("a workbook has no row limit but the contract's: %v", err)
	}
}
