package render_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"protokol/examples"
	"protokol/internal/data"
	"protokol/internal/pdftest"
	"protokol/internal/render"
	"protokol/templates"
)

// exampleFiles are the example meeting's attachment files, as the
// command line's --attachments directory sees them.
func exampleFiles(t testing.TB) *render.Files {
	t.Helper()
	dir, err := fs.Sub(examples.FS, examples.Attachments)
	if err != nil {
		t.Fatal(err)
	}
	return &render.Files{Dir: dir}
}

// stampLine finds an attachment's contents line and its page number.
var stampLine = regexp.MustCompile(`(Bilag \d+\.\d+) · .*?[ .]+ (\d+)$`)

func TestAgendaPacket(t *testing.T) {
	r := newRenderer(t)
	m := meeting(t)
	alone := renderMeeting(t, r, data.DocAgenda, m, render.Options{})
	res := renderMeeting(t, r, data.DocAgenda, meeting(t), render.Options{Files: exampleFiles(t)})
	// the example's four files: 3, 5, 2 and 1 pages
	if res.Pages != alone.Pages+11 {
		t.Errorf("the packet has %d pages; the agenda alone %d, the files 11", res.Pages, alone.Pages)
	}
	if !strings.HasPrefix(res.Filename, "Dagsorden med bilag Beskæftigelsesudvalget") {
		t.Errorf("file name %q does not say it is the packet", res.Filename)
	}
	pages := checkStructure(t, res.Body, m, "Side", "af")

	// the attachments: where each begins, by its stamp
	first := map[string]int{} // "Bilag 3.1" -> page
	count := map[string]int{}
	for i, p := range pages {
		if mm := regexp.MustCompile(`(?m)^\s*(Bilag \d+\.\d+) · `).FindStringSubmatch(p); mm != nil && !strings.Contains(p, "Bilagsliste") && !strings.Contains(p, "Indholdsfortegnelse") {
			if _, ok := first[mm[1]]; !ok {
				first[mm[1]] = i + 1
			}
			count[mm[1]]++
		}
	}
	wantPages := map[string]int{"Bilag 2.1": 3, "Bilag 3.1": 5, "Bilag 5.1": 2, "Bilag 6.2": 1}
	for label, n := range wantPages {
		if count[label] != n {
			t.Errorf("%s is stamped on %d pages, want %d (every page of its file)", label, count[label], n)
		}
	}
	if len(count) != len(wantPages) {
		t.Errorf("stamped attachments: %v, want %v", count, wantPages)
	}
	// its own text under the stamp
	if p := pdftest.Squash(pages[first["Bilag 3.1"]-1]); !strings.Contains(p, "Analyse af jobcentrenes ressourceforbrug Hovedrapport") {
		t.Errorf("the first page of Bilag 3.1 lacks its own text: %q", p)
	}
	// after its item, before the next
	bookmarks := pdftest.Outline(t, res.Body)
	for i, b := range bookmarks {
		label, _, ok := strings.Cut(b.Title, " · ")
		if !ok || !strings.HasPrefix(label, "Bilag ") {
			continue
		}
		if b.Level != 1 || b.Page != first[label] {
			t.Errorf("bookmark %q: level %d page %d; want level 1 (under its item) and page %d", b.Title, b.Level, b.Page, first[label])
		}
		item := strings.TrimSuffix(strings.Fields(label)[1], "."+strings.Split(label, ".")[1])
		parent := bookmarks[i-1]
		for j := i - 1; j >= 0 && bookmarks[j].Level > 0; j-- {
			parent = bookmarks[j-1]
		}
		if !strings.HasPrefix(parent.Title, "Punkt "+item+".") {
			t.Errorf("bookmark %q is under %q, not its item %s", b.Title, parent.Title, item)
		}
	}
	// the contents and the Bilagsliste give each first page
	for _, where := range []struct {
		name string
		page string
	}{{"contents", pages[1]}, {"Bilagsliste", pages[len(pages)-1]}} {
		found := 0
		for _, line := range strings.Split(where.page, "\n") {
			if mm := stampLine.FindStringSubmatch(strings.TrimSpace(line)); mm != nil {
				found++
				if n, _ := strconv.Atoi(mm[2]); n != first[mm[1]] {
					t.Errorf("%s: %s on page %d; it begins on %d", where.name, mm[1], n, first[mm[1]])
				}
			}
		}
		if found != len(wantPages) {
			t.Errorf("%s lists %d attachments with a page, want %d:\n%s", where.name, found, len(wantPages), where.page)
		}
	}
	if !strings.Contains(pdftest.Squash(pages[len(pages)-1]), "Bilag 2.2 · Oplæg om reform af beskæftigelsesindsatsen (ikke vedlagt)") {
		t.Error("the Bilagsliste does not say which attachments are not in the packet")
	}
	if s := pdftest.Info(t, res.Body)["Subject"]; !strings.Contains(s, "med bilag") || !strings.Contains(s, "hverken tagget eller PDF/A") {
		t.Errorf("the packet's subject does not say what it is: %q", s)
	}
	again := renderMeeting(t, r, data.DocAgenda, meeting(t), render.Options{Files: exampleFiles(t)})
	if !bytes.Equal(res.Body, again.Body) {
		t.Error("two renders of the same packet differ")
	}
}

// closedPacket is the example meeting with a closed attachment (of an
// open item) and an attachment of a closed item, each a file with a word
// found nowhere else.
func closedPacket(t *testing.T) (*data.Meeting, map[string][]byte) {
	m := meeting(t)
	m.Items[1].Attachments[1].Access = data.AccessClosed
	m.Items[1].Attachments[1].File = "personsag-kvartsmarmelade.pdf"
	m.Items[8].Attachments = []data.Attachment{{Title: "Fortrolig indstilling", File: "lukket-pistaciepingvin.pdf"}}
	files := map[string][]byte{
		"forlig-beskaeftigelsesreform.pdf": pdftest.Numbered("Forlig", 2),
		"personsag-kvartsmarmelade.pdf":    pdftest.Numbered("Kvartsmarmelade", 2),
		"lukket-pistaciepingvin.pdf":       pdftest.Numbered("Pistaciepingvin", 3),
	}
	for i := range m.Items {
		for j := range m.Items[i].Attachments {
			if f := m.Items[i].Attachments[j].File; f != "" && files[f] == nil {
				m.Items[i].Attachments[j].File = "" // the example's other files are not sent here
			}
		}
	}
	return m, files
}

func TestPublicPacketHoldsNothingOfClosedAttachments(t *testing.T) {
	r := newRenderer(t)
	m, files := closedPacket(t)
	full := renderMeeting(t, r, data.DocAgenda, m, render.Options{Files: &render.Files{Sent: files}})
	public := renderMeeting(t, r, data.DocAgenda, m, render.Options{Public: true, Files: &render.Files{Sent: files}})
	fullText, publicText := text(t, full.Body), text(t, public.Body)
	for _, word := range []string{"Kvartsmarmelade", "Pistaciepingvin"} {
		if !strings.Contains(fullText, word) {
			t.Errorf("the full packet lacks %s: the test would prove nothing", word)
		}
		if strings.Contains(publicText, word) {
			t.Errorf("the public packet shows %s, a closed attachment's text", word)
		}
	}
	if full.Pages-public.Pages != 5 {
		t.Errorf("the public packet has %d pages, the full one %d; the closed files have 5", public.Pages, full.Pages)
	}
	// nothing of them in the file's bytes either: no name, no title, no bookmark
	raw := uncompressed(t, public.Body)
	for _, s := range []string{"kvartsmarmelade", "pistaciepingvin", "Fortrolig indstilling", "Oplæg om reform"} {
		if bytes.Contains(bytes.ToLower(raw), bytes.ToLower([]byte(s))) || strings.Contains(publicText, s) {
			t.Errorf("the public packet holds %q", s)
		}
	}
	for _, b := range pdftest.Outline(t, public.Body) {
		if strings.HasPrefix(b.Title, "Bilag 2.2") || strings.HasPrefix(b.Title, "Bilag 9.") {
			t.Errorf("the public packet has the bookmark %q", b.Title)
		}
	}
	// a public packet needs no closed file: leaving them out is no error
	delete(files, "personsag-kvartsmarmelade.pdf")
	delete(files, "lukket-pistaciepingvin.pdf")
	if _, err := r.Meeting(context.Background(), data.DocAgenda, m, render.Options{Public: true, Files: &render.Files{Sent: files}}); err != nil {
		t.Errorf("a public packet without the closed files: %v", err)
	}
}

// uncompressed is the file with its streams decompressed (qpdf's QDF),
// where a name or title would be found whatever stream held it.
func uncompressed(t *testing.T, pdf []byte) []byte {
	t.Helper()
	b := pdftest.QPDF(t, pdf, "--qdf", "--object-streams=disable")
	// text strings are UTF-16 in hex: decode them too
	hexes := regexp.MustCompile(`<FEFF([0-9A-Fa-f]+)>`)
	for _, h := range hexes.FindAllSubmatch(b, -1) {
		var s []rune
		for i := 0; i+4 <= len(h[1]); i += 4 {
			v, _ := strconv.ParseUint(string(h[1][i:i+4]), 16, 16)
			s = append(s, rune(v))
		}
		b = append(append(b, '\n'), string(s)...)
	}
	return b
}

// encrypt: no user password, an owner password; it opens in any viewer.
func encrypt(t *testing.T, pdf []byte) []byte {
	t.Helper()
	return pdftest.QPDF(t, pdf, "--encrypt", "", "owner", "256", "--")
}

func TestBadAttachmentsAreNamed(t *testing.T) {
	good := pdftest.Numbered("Godt bilag", 3)
	bomb := pdftest.Zipped(make([]byte, 200<<20)) // 200 MiB of zeros in 250 KB
	deep := strings.Repeat("[", 5000) + strings.Repeat("]", 5000)
	cases := []struct {
		name  string
		file  []byte
		lim   render.Limits
		field string
		want  string
	}{
		{"not a PDF", []byte("Kære udvalg,\nhermed notatet.\n"), render.Limits{}, "items[1].attachments[0]", `"bilag.pdf" is not a PDF`},
		{"empty", []byte{}, render.Limits{}, "items[1].attachments[0]", `"bilag.pdf" is empty`},
		{"encrypted", encrypt(t, good), render.Limits{}, "items[1].attachments[0]", `"bilag.pdf" is encrypted`},
		{"damaged", []byte("%PDF-1.7\n1 0 obj\n<</Type /Catalog /Pages 2 0 R>>\nendobj\ntrailer\n<</Root 1 0 R>>\n%%EOF\n"), render.Limits{}, "items[1].attachments[0]", `"bilag.pdf" is damaged`},
		{"no pages", pdftest.Objects("<</Type /Catalog /Pages 2 0 R>>", "<</Type /Pages /Kids [] /Count 0>>"), render.Limits{}, "items[1].attachments[0]", `"bilag.pdf" has no pages`},
		{"a page tree that loops", pdftest.Objects("<</Type /Catalog /Pages 2 0 R>>", "<</Type /Pages /Kids [2 0 R] /Count 1>>"), render.Limits{}, "items[1].attachments[0]", `"bilag.pdf" is damaged`},
		{"nested too deep", pdftest.Objects("<</Type /Catalog /Pages 2 0 R>>", "<</Type /Pages /Kids [3 0 R] /Count 1>>",
			"<</Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources <</X "+deep+">>>>"), render.Limits{}, "items[1].attachments[0]", `"bilag.pdf" is damaged`},
		{"a decompression bomb", pdftest.Objects("<</Type /Catalog /Pages 2 0 R>>", "<</Type /Pages /Kids [3 0 R] /Count 1>>",
			"<</Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents [4 0 R 4 0 R]>>",
			fmt.Sprintf("<</Filter /FlateDecode /Length %d>>\nstream\n%s\nendstream", len(bomb), bomb)), render.Limits{}, "items[1].attachments[0]", `"bilag.pdf" has a stream that decodes to more than 64 MiB`},
		{"too many pages", good, render.Limits{MaxAttachmentPages: 2}, "items[1].attachments[0]", `"bilag.pdf" takes the attachments past 2 pages together`},
		{"too many bytes", good, render.Limits{MaxAttachmentBytes: 1000}, "items[1].attachments[0]", `"bilag.pdf" is`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r, err := render.New(render.Config{Templates: templates.FS, Limits: c.lim})
			if err != nil {
				t.Fatal(err)
			}
			m := meeting(t)
			clearFiles(m)
			m.Items[1].Attachments[0].File = "bilag.pdf"
			_, err = r.Meeting(context.Background(), data.DocAgenda, m, render.Options{Files: &render.Files{Sent: map[string][]byte{"bilag.pdf": c.file}}})
			checkProblem(t, err, c.field, c.want)
		})
	}
	t.Run("named but not sent", func(t *testing.T) {
		m := meeting(t)
		clearFiles(m)
		m.Items[2].Attachments[1].File = "ledelsesrapport.pdf"
		_, err := newRenderer(t).Meeting(context.Background(), data.DocAgenda, m, render.Options{Files: &render.Files{Sent: map[string][]byte{}}})
		checkProblem(t, err, "items[2].attachments[1]", `"ledelsesrapport.pdf" was not sent`)
	})
	t.Run("not in the directory", func(t *testing.T) {
		m := meeting(t)
		m.Items[2].Attachments[1].File = "ledelsesrapport.pdf"
		_, err := newRenderer(t).Meeting(context.Background(), data.DocAgenda, m, render.Options{Files: exampleFiles(t)})
		checkProblem(t, err, "items[2].attachments[1]", `"ledelsesrapport.pdf" is not in the attachments directory`)
	})
	t.Run("sent but not named", func(t *testing.T) {
		m := meeting(t)
		clearFiles(m)
		_, err := newRenderer(t).Meeting(context.Background(), data.DocAgenda, m, render.Options{Files: &render.Files{Sent: map[string][]byte{"ekstra.pdf": good}}})
		checkProblem(t, err, "ekstra.pdf", "was sent, but no attachment names it")
	})
	t.Run("every problem at once", func(t *testing.T) {
		m := meeting(t)
		clearFiles(m)
		m.Items[1].Attachments[0].File = "a.pdf"
		m.Items[2].Attachments[0].File = "b.pdf"
		_, err := newRenderer(t).Meeting(context.Background(), data.DocAgenda, m, render.Options{Files: &render.Files{Sent: map[string][]byte{"a.pdf": []byte("no"), "c.pdf": good}}})
		var ve *data.ValidationError
		if !errors.As(err, &ve) || len(ve.Errors) != 3 {
			t.Fatalf("err = %v; want three problems (not a PDF, not sent, not named)", err)
		}
	})
	t.Run("a name with a folder", func(t *testing.T) {
		for _, name := range []string{"../etc/passwd", "bilag/a.pdf", `C:\bilag\a.pdf`, "..", "a\x00.pdf"} {
			quoted, _ := json.Marshal(name)
			body := bytes.Replace(examples.Read(examples.Meeting), []byte(`"file": "forlig-beskaeftigelsesreform.pdf"`), append([]byte(`"file": `), quoted...), 1)
			_, err := data.DecodeMeeting(body)
			checkProblem(t, err, "items[1].attachments[0].file", "")
		}
	})
}

// clearFiles takes the example's file names out, so a test names its own.
func clearFiles(m *data.Meeting) {
	for i := range m.Items {
		for j := range m.Items[i].Attachments {
			m.Items[i].Attachments[j].File = ""
		}
	}
}

func checkProblem(t *testing.T, err error, field, want string) {
	t.Helper()
	var ve *data.ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("err = %v (%T); want a validation error naming %s", err, err, field)
	}
	for _, fe := range ve.Errors {
		if fe.Field == field && strings.Contains(fe.Message, want) {
			return
		}
	}
	t.Errorf("problems %v; want %s: …%s…", ve.Errors, field, want)
}

func TestPacketStopsAtTheDeadline(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := newRenderer(t).Meeting(ctx, data.DocAgenda, meeting(t), render.Options{Files: exampleFiles(t)})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v; a cancelled render must stop", err)
	}
}

func TestTemplateMustPlaceEveryAttachment(t *testing.T) {
	dir := copyDefaultSet(t, t.TempDir())
	p := filepath.Join(dir, "_meeting.tmpl")
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	b = bytes.ReplaceAll(b, []byte("{{- range .Attachments}}{{.Place}}{{end}}"), nil)
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
	r, err := render.New(render.Config{Templates: templates.FS, TemplateDir: filepath.Dir(dir)})
	if err != nil {
		t.Fatal(err)
	}
	_, err = r.Meeting(context.Background(), data.DocAgenda, meeting(t), render.Options{Files: exampleFiles(t)})
	var te *render.TemplateError
	if !errors.As(err, &te) || !strings.Contains(err.Error(), "did not place attachment items[1].attachments[0]") {
		t.Errorf("err = %v; want a template error naming the attachment left out", err)
	}
}

// TestAttachmentProblemsAreBounded: a meeting naming a thousand files
// not sent gets the first hundred problems and a count, like any document.
func TestAttachmentProblemsAreBounded(t *testing.T) {
	m := meeting(t)
	clearFiles(m)
	m.Items[1].Attachments = nil
	for j := range 1000 {
		m.Items[1].Attachments = append(m.Items[1].Attachments, data.Attachment{Title: "Bilag", File: fmt.Sprintf("b%d.pdf", j)})
	}
	_, err := newRenderer(t).Meeting(context.Background(), data.DocAgenda, m, render.Options{Files: &render.Files{Sent: map[string][]byte{}}})
	var ve *data.ValidationError
	if !errors.As(err, &ve) || len(ve.Errors) != data.MaxProblems || ve.More != 1000-data.MaxProblems {
		t.Fatalf("err = %v; want %d problems and %d more", err, data.MaxProblems, 1000-data.MaxProblems)
	}
}

// What an attachment file held that the packet does not carry (its
// links, form fields, comments) is in the result, per file, and said in
// words; a file without any is not named.
func TestPacketSaysWhatItLeavesOut(t *testing.T) {
	m := meeting(t)
	clearFiles(m)
	m.Items[1].Attachments[0].File = "annoteret.pdf"
	m.Items[1].Attachments[1].File = "ren.pdf"
	res, err := newRenderer(t).Meeting(context.Background(), data.DocAgenda, m,
		render.Options{Files: &render.Files{Sent: map[string][]byte{"annoteret.pdf": pdftest.Annotated(), "ren.pdf": pdftest.Numbered("Ren", 1)}}})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Left) != 1 || res.Left[0].String() != "annoteret.pdf: 2 links, 1 form field and 1 comment are not carried over into the packet" {
		t.Errorf("left out: %v", res.Left)
	}
}
