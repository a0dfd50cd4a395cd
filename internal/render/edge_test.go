package render_test

import (
	"bytes"
	"context"
	"encoding/hex"
	"encoding/xml"
	"errors"
	"fmt"
	"html"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode"
	"unicode/utf16"

	"github.com/xuri/excelize/v2"

	"protokol/examples"
	"protokol/internal/data"
	"protokol/internal/pdftest"
	"protokol/internal/render"
	"protokol/internal/tmpl"
	"protokol/internal/view"
	"protokol/templates"
)

// Limits at their edges: a document of exactly the limit renders, one
// past it is refused.
func TestPageLimitAtItsEdge(t *testing.T) {
	m := meeting(t)
	pages := renderMeeting(t, newRenderer(t), data.DocMinutes, m, render.Options{}).Pages
	for _, c := range []struct {
		max int
		ok  bool
	}{{pages - 1, false}, {pages, true}, {pages + 1, true}} {
		r, err := render.New(render.Config{Templates: templates.FS, Limits: render.Limits{MaxPages: c.max}})
		if err != nil {
			t.Fatal(err)
		}
		_, err = r.Meeting(context.Background(), data.DocMinutes, meeting(t), render.Options{})
		var tl *render.TooLargeError
		if c.ok != (err == nil) || !c.ok && !errors.As(err, &tl) {
			t.Errorf("%d pages with a limit of %d: %v", pages, c.max, err)
		}
	}
}

// The attachments' page limit holds for all files together, not per file.
func TestAttachmentPagesLimitIsForAllFiles(t *testing.T) {
	m := meeting(t)
	files := map[string][]byte{"a.pdf": pdftest.Numbered("A", 3), "b.pdf": pdftest.Numbered("B", 3)}
	for i := range m.Items {
		m.Items[i].Attachments = nil
	}
	m.Items[1].Attachments = []data.Attachment{{Title: "A", File: "a.pdf"}, {Title: "B", File: "b.pdf"}}
	for _, c := range []struct {
		max int
		ok  bool
	}{{5, false}, {6, true}} {
		r, err := render.New(render.Config{Templates: templates.FS, Limits: render.Limits{MaxAttachmentPages: c.max}})
		if err != nil {
			t.Fatal(err)
		}
		_, err = r.Meeting(context.Background(), data.DocAgenda, m, render.Options{Files: &render.Files{Sent: files}})
		if c.ok != (err == nil) || !c.ok && !strings.Contains(err.Error(), "items[1].attachments[1]") {
			t.Errorf("two files of 3 pages with a limit of %d: %v", c.max, err)
		}
	}
}

// The template loop limit at its edge: a template that ranges exactly
// MaxLoops times renders, one more is refused.
func TestTemplateLoopLimitAtItsEdge(t *testing.T) {
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "loops"), 0o755)
	os.WriteFile(filepath.Join(dir, "loops", "agenda.md.tmpl"), []byte("# x\n{{range until 100}}{{end}}"), 0o644)
	for _, c := range []struct {
		max int
		ok  bool
	}{{99, false}, {100, true}, {101, true}} {
		r, err := render.New(render.Config{Templates: templates.FS, TemplateDir: dir, TemplateLimits: tmpl.Limits{MaxLoops: c.max}})
		if err != nil {
			t.Fatal(err)
		}
		_, err = r.Meeting(context.Background(), data.DocAgenda, meeting(t), render.Options{Template: "loops"})
		if c.ok != (err == nil) {
			t.Errorf("100 iterations with a limit of %d: %v", c.max, err)
		}
	}
}

// Hostile text in every place text goes: the PDF's text, its Info
// dictionary and XMP (well-formed, the text as written), its bookmarks,
// the file name, and the workbook's cells, header and footer (Excel reads
// a lone & in them as a code) and sheet names. Bidi controls are dropped
// everywhere (they would reorder what a reader sees).
func TestHostileTextThroughEveryChannel(t *testing.T) {
	for _, name := range []string{
		"Social- & Sundhedsudvalget <A> \"B\" 'C' \\ 100 %",
		"Udvalget\u202Eexe.fdp\u202C for \u2067Teknik\u2069",
		strings.Repeat("Børne- og Ungdomsudvalget ", 4), // 100 characters
	} {
		want := strings.Map(func(r rune) rune {
			if unicode.Is(unicode.Bidi_Control, r) {
				return -1
			}
			return r
		}, name)
		t.Run(want[:12], func(t *testing.T) {
			m := meeting(t)
			m.Committee = name
			res := renderMeeting(t, newRenderer(t), data.DocAgenda, m, render.Options{})
			raw := uncompressed(t, res.Body)
			x := regexp.MustCompile(`(?s)<x:xmpmeta.*?</x:xmpmeta>`).Find(raw)
			var v struct {
				Text string `xml:",innerxml"`
			}
			if x == nil || xml.Unmarshal(x, &v) != nil {
				t.Fatalf("the XMP is missing or not well-formed")
			}
			if !strings.Contains(html.UnescapeString(v.Text), strings.TrimSpace(want)) {
				t.Errorf("the XMP lacks the name as written")
			}
			if title := pdftest.Info(t, res.Body)["Title"]; !strings.Contains(title, strings.TrimSpace(want)) {
				t.Errorf("title %q", title)
			}
			if text := pdftest.Squash(strings.Join(pdftest.Pages(t, res.Body), " ")); !strings.Contains(text, pdftest.Squash(want)) {
				t.Errorf("the pages lack the name as written")
			}
			for _, b := range pdftest.Outline(t, res.Body) {
				if strings.ContainsFunc(b.Title, func(r rune) bool { return unicode.Is(unicode.Bidi_Control, r) }) {
					t.Errorf("bookmark %q has a bidi control", b.Title)
				}
			}
			if strings.ContainsFunc(res.Filename, func(r rune) bool { return unicode.Is(unicode.Bidi_Control, r) || r == '/' || r == '\\' || r == '"' }) {
				t.Errorf("file name %q", res.Filename)
			}
		})
	}
	b := strings.Replace(string(examples.Read(examples.Budget)), `"title": "`, `"title": "Budget & regnskab \u202E100 % – `, 1)
	b = strings.Replace(b, `"tables": [`, `"tables": [{"title": "Drift: A/B? [x]* & \\ 'ældre'", "columns": [{"key": "a", "label": "A & B"}], "rows": [{"label": "<x> & \"y\"", "values": {"a": 1}}]},`, 1)
	book, err := render.Job(context.Background(), newRenderer(t), data.DocBudget, render.FormatXLSX, []byte(b), render.Options{})
	if err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(strings.NewReader(string(book.Body)))
	if err != nil {
		t.Fatal(err)
	}
	sheets := f.GetSheetList()
	found := false
	for _, sh := range sheets {
		if strings.ContainsAny(sh, ":/?*[]\\") || len([]rune(sh)) > 31 {
			t.Errorf("sheet name %q is not one Excel takes", sh)
		}
		rows, err := f.GetRows(sh)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rows {
			found = found || strings.Contains(strings.Join(r, "|"), `<x> & "y"`)
		}
	}
	if !found {
		t.Error("no cell holds the row label as written")
	}
	hf, err := f.GetHeaderFooter(sheets[0])
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{hf.OddHeader, hf.OddFooter} {
		if strings.Contains(strings.ReplaceAll(s, "&&", ""), "Budget & regnskab") {
			t.Errorf("a header or footer has a lone &, which Excel reads as a code: %q", s)
		}
		if strings.ContainsFunc(s, func(r rune) bool { return unicode.Is(unicode.Bidi_Control, r) }) {
			t.Errorf("a header or footer has a bidi control: %q", s)
		}
	}
	if !strings.Contains(hf.OddHeader+hf.OddFooter, "Budget && regnskab") {
		t.Errorf("the header and footer lack the title with && (Excel's escape): %q %q", hf.OddHeader, hf.OddFooter)
	}
}

// What each document kind's view may see: an agenda never the decision,
// the statements for the record or who was absent from an item.
func TestAgendaViewHasNoDecisions(t *testing.T) {
	m := meeting(t)
	for i := range m.Items {
		m.Items[i].Decision, m.Items[i].Absent = "Besluttet.", []string{"Per Clausen"}
		m.Items[i].Dissents = []data.Dissent{{By: []string{"Per Clausen"}, Text: "Imod."}}
	}
	for _, doc := range []data.Document{data.DocAgenda, data.DocMinutes, data.DocDecisions} {
		v := view.NewMeeting(m, view.MeetingOptions{Document: doc})
		decided := doc != data.DocAgenda
		for _, it := range v.Items {
			if (it.Decision != "") != decided || (len(it.Dissents) > 0) != decided {
				t.Errorf("%s: item %s has decision %q, %d statements", doc, it.Number, it.Decision, len(it.Dissents))
			}
			if (len(it.Absent) > 0) != (doc == data.DocMinutes) {
				t.Errorf("%s: item %s lists absent %v", doc, it.Number, it.Absent)
			}
		}
	}
}

// A long committee name in the running footer is cut with an ellipsis,
// never drawn over the page number: on every page the footer's words
// keep apart (read back with their boxes), and "Side N af M" is whole.
func TestFooterPartsNeverOverlap(t *testing.T) {
	m := meeting(t)
	m.Committee = "Udvalget for Beskæftigelse, Integration, Uddannelse, Erhverv, Klima og Bæredygtig Byudvikling i Aalborg"
	res := renderMeeting(t, newRenderer(t), data.DocAgenda, m, render.Options{})
	for i, ws := range pdftest.Words(t, res.Body) {
		// the footer: the words on the lowest line
		var low float64
		for _, w := range ws {
			low = max(low, w.YMin)
		}
		var left, right []float64 // xMax of the left part's words, xMin of "Side"
		footer := ""
		for _, w := range ws {
			if w.YMin < low-1 {
				continue
			}
			footer += w.Text + " "
			if w.Text == "Side" {
				right = append(right, w.XMin)
			} else if len(right) == 0 {
				left = append(left, w.XMax)
			}
		}
		if len(right) != 1 || !regexp.MustCompile(`Side \d+ af \d+ $`).MatchString(footer) || !strings.Contains(footer, "…") {
			t.Errorf("page %d: the footer reads %q", i+1, footer)
			continue
		}
		for _, x := range left {
			if x > right[0]-10 {
				t.Errorf("page %d: the footer's left part reaches %.1f, the page number starts at %.1f: %q", i+1, x, right[0], footer)
			}
		}
	}
	if !strings.Contains(pdftest.Info(t, res.Body)["Title"], m.Committee) {
		t.Error("the full name is not in the title")
	}
}

// Headings in the structure tree never skip a level, whatever the
// Markdown of an item does (# then ###, or #### first).
func TestHeadingLevelsNeverSkip(t *testing.T) {
	m := meeting(t)
	m.Items[0].Sections[0].Body = "# Første\n\ntekst\n\n### Tredje\n\ntekst\n\n###### Sjette\n\ntekst"
	m.Items[1].Summary = "#### Dybt først\n\ntekst"
	res := renderMeeting(t, newRenderer(t), data.DocMinutes, m, render.Options{})
	if tg := pdftest.CheckTagged(t, res.Body); len(tg.Problems) > 0 {
		t.Errorf("%v", tg.Problems)
	}
}

// The signature sheet is headed with the meeting it signs (committee,
// date and time, place), and its space for each signature is space, not
// empty paragraphs a screen reader announces.
func TestSignatureSheetNamesTheMeeting(t *testing.T) {
	for _, set := range []string{"default", "compact"} {
		with := renderMeeting(t, newRenderer(t), data.DocMinutes, odense(t), render.Options{Template: set, Signatures: true})
		without := renderMeeting(t, newRenderer(t), data.DocMinutes, odense(t), render.Options{Template: set})
		pages := pdftest.Pages(t, with.Body)
		last := pdftest.Squash(pages[len(pages)-1])
		if !strings.Contains(last, "Arbejdsmarkedsudvalget · Tirsdag den 22. maj 2012 kl. 08:30–09:30 · Mødelokale") {
			t.Errorf("%s: the signature sheet reads %q", set, last)
		}
		count := func(types []string) (n int) {
			for _, typ := range types {
				if typ == "P" {
					n++
				}
			}
			return n
		}
		signers := strings.Count(last, "________")
		if extra := count(pdftest.CheckTagged(t, with.Body).Types) - count(pdftest.CheckTagged(t, without.Body).Types); extra > signers+2 {
			t.Errorf("%s: the sheet adds %d paragraphs for %d signers", set, extra, signers)
		}
	}
}

// No page ends with a heading or a label line: "Protokoltilførsel" and
// its author ("Per Clausen (Ø):"), "Beslutning" or "Indstilling" go with
// what they introduce. Random lengths of text move them over every
// position on a page.
func TestHeadingsAndLabelsAreNeverStranded(t *testing.T) {
	for seed := range uint64(6) {
		headingsAndLabels(t, seed)
	}
}

func headingsAndLabels(t *testing.T, seed uint64) {
	m := odense(t)
	rng := rand.New(rand.NewPCG(seed, 9))
	base := m.Items[0]
	m.Items = nil
	for i := range 40 {
		it := base
		it.Number, it.Title, it.Access, it.Addendum = strconv.Itoa(i+1), fmt.Sprintf("Sag %d", i+1), "", false
		it.Attachments = nil
		it.Summary = strings.Repeat("Forvaltningen orienterer om sagen og dens baggrund i udvalget. ", 30+rng.IntN(60))
		it.Recommendation = strings.Repeat("Forvaltningen indstiller, at udvalget godkender. ", 1+rng.IntN(5))
		it.Decision = strings.Repeat("Godkendt. ", 1+rng.IntN(12))
		it.Dissents = []data.Dissent{{By: []string{m.Participants[0].Name}, Text: strings.Repeat("Jeg kan ikke støtte indstillingen. ", 1+rng.IntN(8))}}
		m.Items = append(m.Items, it)
	}
	res := renderMeeting(t, newRenderer(t), data.DocMinutes, m, render.Options{})
	pages := pdftest.Pages(t, res.Body)
	footer := regexp.MustCompile(`Side \d+ af \d+|Møde den`)
	for i, p := range pages[:len(pages)-1] {
		var last string
		for line := range strings.Lines(p) {
			if l := strings.TrimSpace(line); l != "" && !footer.MatchString(l) {
				last = l
			}
		}
		if last == "Protokoltilførsel" || last == "Beslutning" || last == "Indstilling" || last == "Sagsresumé" || strings.HasSuffix(last, ":") {
			t.Errorf("seed %d: page %d ends with %q", seed, i+1, last)
		}
	}
}

// A budget table's labels get what they need (up to half the width)
// while the amounts get their amounts' width and their headers wrap; a
// wrapped label keeps its group's indent.
func TestBudgetLabelColumn(t *testing.T) {
	long := "Udgifter til lægeerklæringer, lægekonsulenter og andre helbredsoplysninger i sager om fleksjob og ressourceforløb"
	doc := `{"title":"Opfølgning","tables":[{"title":"Forbrug","unit":"1.000 kr.","columns":[` +
		`{"key":"a","label":"Korrigeret budget 2012"},{"key":"b","label":"Forventet regnskab 2012"},{"key":"c","label":"Afvigelse","formula":"a - b"}],` +
		`"rows":[{"label":"6.1 Beskæftigelsesindsatser i alt","values":{"a":1000,"b":900}},` +
		`{"label":"Gruppe","rows":[{"label":"` + long + `","values":{"a":5,"b":6}}]}]}]}`
	res, err := render.Job(context.Background(), newRenderer(t), data.DocBudget, render.FormatPDF, []byte(doc), render.Options{})
	if err != nil {
		t.Fatal(err)
	}
	text := pdftest.Pages(t, res.Body)[0]
	if !strings.Contains(text, "6.1 Beskæftigelsesindsatser i alt") {
		t.Errorf("the short label is broken:\n%s", text)
	}
	var udgiftX, nextLineX float64
	var udgiftY float64
	for _, w := range pdftest.Words(t, res.Body)[0] {
		x, y := w.XMin, w.YMin
		if w.Text == "Udgifter" {
			udgiftX, udgiftY = x, y
		}
		if udgiftY > 0 && y > udgiftY+1 && nextLineX == 0 && x < 300 {
			nextLineX = x // the first word of the label's second line
		}
	}
	if udgiftX == 0 || nextLineX == 0 || nextLineX < udgiftX-0.5 {
		t.Errorf("the wrapped label's second line starts at %.1f, its first at %.1f: the indent is lost", nextLineX, udgiftX)
	}
}

// Two languages where there are two: a Danish meeting with English
// labels says /Lang da-DK for the document (its text) and marks its label
// headings /Lang en-GB; with Danish labels no element needs its own.
func TestLabelsInAnotherLanguageAreMarked(t *testing.T) {
	for _, c := range []struct {
		lang       render.Options
		doc, label string
	}{{render.Options{Lang: "en"}, "/Lang (da-DK)", "/Lang (en-GB)"}, {render.Options{}, "/Lang (da-DK)", ""}} {
		res := renderMeeting(t, newRenderer(t), data.DocMinutes, odense(t), c.lang)
		raw := string(uncompressed(t, res.Body))
		if !strings.Contains(raw, c.doc) {
			t.Errorf("labels %q: the document is not %s", c.lang.Lang, c.doc)
		}
		n := strings.Count(raw, "/Lang (en-GB)")
		if c.label != "" && n < 5 || c.label == "" && n > 0 {
			t.Errorf("labels %q: %d elements say /Lang (en-GB)", c.lang.Lang, n)
		}
		// labels inside paragraphs and table cells ("Time", "Not present:")
		// are Span elements of their own language
		spans := regexp.MustCompile(`/Lang \(en-GB\)\s+/P \d+ 0 R\s+/S /Span\b`).FindAllString(raw, -1)
		if c.label != "" && len(spans) < 8 || c.label == "" && len(spans) > 0 {
			t.Errorf("labels %q: %d labels inside text are marked en-GB", c.lang.Lang, len(spans))
		}
		if text := pdftest.Squash(strings.Join(pdftest.Pages(t, res.Body), " ")); c.label != "" && !strings.Contains(text, "Time Tuesday 22 May 2012") {
			t.Errorf("the front page's labels do not read as before: %.300s", text)
		}
		if tg := pdftest.CheckTagged(t, res.Body); len(tg.Problems) > 0 {
			t.Errorf("%v", tg.Problems)
		}
	}
}

// An item's attachments are a list whose markers are their numbers, in a
// hanging column (Lbl in the tags), the same numbers as the packet's
// stamps and the Bilagsliste: no bullet and number both.
func TestItemAttachmentsAreNumberedOnce(t *testing.T) {
	res := renderMeeting(t, newRenderer(t), data.DocAgenda, meeting(t), render.Options{})
	text := strings.Join(pdftest.RawPages(t, res.Body), "\n") // in drawing order: each marker before its text
	for _, want := range []string{"3.1 Analyse af jobcentrenes ressourceforbrug - hovedrapport", "3.5 Vurdering af analyse af jobcentrenes ressourceforbrug"} {
		if !strings.Contains(pdftest.Squash(text), want) {
			t.Errorf("no line %q", want)
		}
	}
	if strings.Contains(text, "• 3.1") || strings.Contains(text, "•\n3.1") {
		t.Error("a bullet and a number")
	}
}

// A percent column in the budget PDF: "95,0 %" with a no-break space,
// "–" where the divisor is zero, the header's unit "%", and the tags still
// whole.
func TestPercentColumnInThePDF(t *testing.T) {
	doc := `{"title":"B","tables":[{"title":"T","columns":[{"key":"actual","label":"Regnskab"},{"key":"budget","label":"Budget"},
		{"key":"p","label":"Forbrug","formula":"actual / budget","format":"percent"}],
		"rows":[{"label":"x","values":{"actual":95,"budget":100}},{"label":"nul","values":{"actual":5,"budget":0}}]}]}`
	res, err := render.Job(context.Background(), newRenderer(t), data.DocBudget, render.FormatPDF, []byte(doc), render.Options{})
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Join(pdftest.Pages(t, res.Body), "\n")
	for _, want := range []string{"Forbrug (%)", "95,0\u00a0%", "100,0\u00a0%"} {
		if !strings.Contains(text, want) && !strings.Contains(text, strings.ReplaceAll(want, "\u00a0", " ")) {
			t.Errorf("the PDF lacks %q:\n%s", want, text)
		}
	}
	if !regexp.MustCompile(`nul\s+5\s+0\s+–`).MatchString(pdftest.Squash(text)) {
		t.Errorf("the zero divisor's row does not show –:\n%s", text)
	}
	if tg := pdftest.CheckTagged(t, res.Body); len(tg.Problems) > 0 {
		t.Errorf("%v", tg.Problems)
	}
}

// A status column in the PDF: each mark drawn as its own shape in its
// colour (a disc, a triangle, a square) before its word, so neither
// colour nor shape alone carries it; a legend with the same marks and the
// bounds; the tags whole (the marks are artifacts).
func TestStatusColumnInThePDF(t *testing.T) {
	doc := `{"title":"B","tables":[{"title":"T","columns":[{"key":"budget","label":"Budget"},{"key":"actual","label":"Forbrug"},
		{"key":"p","label":"Forbrug i %","formula":"actual / budget","format":"percent"},
		{"key":"s","label":"Status","format":"status","status":{"of":"p","green":95,"yellow":80}}],
		"rows":[{"label":"a","values":{"budget":100,"actual":97}},{"label":"b","values":{"budget":100,"actual":85}},
		{"label":"c","values":{"budget":100,"actual":50}}]}]}`
	res, err := render.Job(context.Background(), newRenderer(t), data.DocBudget, render.FormatPDF, []byte(doc), render.Options{})
	if err != nil {
		t.Fatal(err)
	}
	text := pdftest.Squash(strings.Join(pdftest.RawPages(t, res.Body), " ")) // in content order
	for _, want := range []string{"a 100 97 97,0 % Grøn", "b 100 85 85,0 % Gul", "c 100 50 50,0 % Rød", "Status: Grøn mindst 95 %, Gul mindst 80 %, Rød under 80 %"} {
		if !strings.Contains(strings.ReplaceAll(text, "\u00a0", " "), want) {
			t.Errorf("the PDF lacks %q: %s", want, text)
		}
	}
	raw := string(uncompressed(t, res.Body))
	for shape, c := range map[string]string{" c f": "0.102 0.498 0.216 rg", " l h f": "0.604 0.404 0.000 rg", " re f": "0.690 0.000 0.125 rg"} {
		if n := regexp.MustCompile(regexp.QuoteMeta(c)+`[^Q]*`+regexp.QuoteMeta(shape)).FindAllString(raw, -1); len(n) < 2 {
			t.Errorf("%d marks drawn as %q in %s, want one in the table and one in the legend", len(n), shape, c)
		}
	}
	if tg := pdftest.CheckTagged(t, res.Body); len(tg.Problems) > 0 {
		t.Errorf("%v", tg.Problems)
	}
}

// A table's charts in the PDF: a Figure each whose alternate text names
// the largest and smallest values and the total; the columns' heights in
// proportion to the values (read from the content stream); the table's
// numbers still beside it; the tags whole.
func TestChartsInThePDF(t *testing.T) {
	doc := `{"title":"Opfølgning","tables":[{"title":"Beskæftigelse","unit":"1.000 kr.","columns":[{"key":"budget","label":"Budget"},{"key":"forecast","label":"Forventet"}],
		"charts":[{"title":"Budget og forventet","columns":["budget","forecast"],"by":"group"},{"title":"Linjer","kind":"bar","stacked":true,"columns":["budget","forecast"]},
		{"title":"Kurve","kind":"line","columns":["budget"]}],
		"rows":[{"label":"Ydelser","rows":[{"label":"Kontanthjælp","values":{"budget":500000,"forecast":520000}},{"label":"Dagpenge","values":{"budget":300000,"forecast":280000}}]},
		{"label":"Indsats","rows":[{"label":"Aktivering","values":{"budget":200000,"forecast":230000}}]}]}]}`
	res, err := render.Job(context.Background(), newRenderer(t), data.DocBudget, render.FormatPDF, []byte(doc), render.Options{})
	if err != nil {
		t.Fatal(err)
	}
	raw := string(uncompressed(t, res.Body))
	alts := regexp.MustCompile(`(?i)/Alt\s*<FEFF([0-9A-F]+)>`).FindAllStringSubmatch(raw, -1)
	var texts []string
	for _, a := range alts {
		b, _ := hex.DecodeString(a[1])
		var u []uint16
		for i := 0; i+1 < len(b); i += 2 {
			u = append(u, uint16(b[i])<<8|uint16(b[i+1]))
		}
		texts = append(texts, string(utf16.Decode(u)))
	}
	want := "Diagram: Budget og forventet. Budget og Forventet for 2 kategorier; størst Ydelser, Budget, 800 1.000 kr.; mindst Indsats, Budget, 200 1.000 kr.; i alt 2.030 1.000 kr. Tallene står i tabellen."
	if !slices.ContainsFunc(texts, func(s string) bool { return strings.HasPrefix(s, want) }) || len(texts) < 3 {
		t.Errorf("the charts' alternate texts %q, want one starting %q", texts, want)
	}
	// the first series' columns of the first chart: 800 and 200
	fills := regexp.MustCompile(`0\.000 0\.275 0\.588 rg [\d.]+ [\d.]+ [\d.]+ ([\d.]+) re f`).FindAllStringSubmatch(raw, -1)
	if len(fills) < 3 {
		t.Fatalf("%d fills in the first series' colour", len(fills))
	}
	h0, _ := strconv.ParseFloat(fills[1][1], 64) // fills[0] is the legend's swatch
	h1, _ := strconv.ParseFloat(fills[2][1], 64)
	if r := h0 / h1; r < 3.95 || r > 4.05 {
		t.Errorf("the columns 800 and 200 are %.2f and %.2f high: not in proportion (%.2f)", h0, h1, r)
	}
	text := pdftest.Squash(strings.Join(pdftest.Pages(t, res.Body), " "))
	if !strings.Contains(text, "Kontanthjælp 500 520") {
		t.Errorf("the table's numbers are not beside the charts: %s", text)
	}
	if tg := pdftest.CheckTagged(t, res.Body); len(tg.Problems) > 0 || !slices.Contains(tg.Types, "Figure") {
		t.Errorf("%v %v", tg.Problems, tg.Types)
	}
}

// A column with negative_red in the PDF: its negative amounts are drawn
// red, the minus kept; its positive ones and the other columns black.
func TestNegativeRedInThePDF(t *testing.T) {
	doc := `{"title":"B","tables":[{"title":"T","columns":[{"key":"budget","label":"Budget"},{"key":"actual","label":"Forbrug"},
		{"key":"diff","label":"Afvigelse","formula":"budget - actual","negative_red":true}],
		"rows":[{"label":"a","values":{"budget":100,"actual":120}},{"label":"b","values":{"budget":100,"actual":85}}]}]}`
	res, err := render.Job(context.Background(), newRenderer(t), data.DocBudget, render.FormatPDF, []byte(doc), render.Options{})
	if err != nil {
		t.Fatal(err)
	}
	raw := string(uncompressed(t, res.Body))
	if n := strings.Count(raw, "0.690 0.000 0.125 rg"); n != 2 { // a's -20 and the total's -5
		t.Errorf("%d runs drawn red, want the two negative amounts", n)
	}
	if text := pdftest.Squash(strings.Join(pdftest.Pages(t, res.Body), " ")); !strings.Contains(text, "a 100 120 -20") || !strings.Contains(text, "b 100 85 15") {
		t.Errorf("the amounts read %s", text)
	}
}

// Digital approvals on the signature sheet: an approving member's line
// says when and how, the others keep their line to sign, and those who
// have not approved are named; an approval by someone who does not sign
// (absent, or an official) is refused at its field.
func TestApprovalsOnTheSignatureSheet(t *testing.T) {
	with := func(approvals string) []byte {
		return bytes.Replace(examples.Read(examples.Minutes), []byte(`"participants":`), []byte(`"approvals": [`+approvals+`], "participants":`), 1)
	}
	two := `{"by": "Anne Marie Lund", "at": "2012-05-23T09:14:00+02:00", "method": "FirstAgenda"}, {"by": "Birgit Sørensen", "at": "2012-05-24T16:02:00+02:00"}`
	res, err := render.Job(context.Background(), newRenderer(t), data.DocMinutes, render.FormatPDF, with(two), render.Options{Signatures: true})
	if err != nil {
		t.Fatal(err)
	}
	text := pdftest.Squash(strings.Join(pdftest.Pages(t, res.Body), " "))
	for _, want := range []string{"Anne Marie Lund (A), formand Godkendt digitalt 23.05.2012 kl. 09:14 (FirstAgenda)", "Godkendt digitalt 24.05.2012 kl. 16:02",
		"Ikke godkendt: Karsten Holm (V)"} {
		if !strings.Contains(text, want) {
			t.Errorf("the signature sheet lacks %q: %s", want, text[max(0, len(text)-900):])
		}
	}
	for by, want := range map[string]string{"Lise Ravn": "is not a member present", "Jens Thomsen": "is not a member present", "Anne Marie Lund": "has approved already"} {
		_, err := render.Job(context.Background(), newRenderer(t), data.DocMinutes, render.FormatPDF,
			with(two+`, {"by": "`+by+`", "at": "2012-05-23T09:00:00+02:00"}`), render.Options{Signatures: true})
		var ve *data.ValidationError
		if !errors.As(err, &ve) || !strings.Contains(ve.Error(), "approvals[2].by") || !strings.Contains(ve.Error(), want) {
			t.Errorf("an approval by %s: %v, want %q", by, err, want)
		}
	}
}
