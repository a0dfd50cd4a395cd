package render_test

import (
	"errors"
	"strings"
	"testing"

	"protokol/examples"
	"protokol/internal/data"
	loc "protokol/internal/locale"
	"protokol/internal/pdftest"
	"protokol/internal/render"
)

// odense is the example minutes: chair, vice chair, a substitute,
// apologies, a closed item, a guest, an addendum item (6) and a statement
// for the record (item 3).
func odense(t *testing.T) *data.Meeting {
	t.Helper()
	m, err := data.DecodeMeeting(examples.Read(examples.Minutes))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func text(t *testing.T, pdf []byte) string {
	return pdftest.Squash(strings.Join(pdftest.Pages(t, pdf), " "))
}

func TestDraftIsMarkedOnEveryPage(t *testing.T) {
	r := newRenderer(t)
	m := odense(t)
	m.Status = data.StatusDraft
	for _, lang := range []string{"da", "en"} {
		res := renderMeeting(t, r, "agenda", m, render.Options{Lang: locale(lang)})
		mark, word := "UDKAST", "Udkast"
		if lang == "en" {
			mark, word = "DRAFT", "Draft"
		}
		for i, p := range pdftest.RawPages(t, res.Body) {
			// diagonal: pdftotext gives its letters one a line
			if !strings.Contains(strings.Join(strings.Fields(p), ""), mark) {
				t.Errorf("%s page %d has no %s", lang, i+1, mark)
			}
		}
		if title := pdftest.Info(t, res.Body)["Title"]; !strings.HasPrefix(title, word) {
			t.Errorf("%s title %q does not start with %s", lang, title, word)
		}
		if !strings.HasPrefix(res.Filename, word+" ") {
			t.Errorf("%s file name %q", lang, res.Filename)
		}
	}
	final := renderMeeting(t, r, "agenda", odense(t), render.Options{})
	if strings.Contains(strings.Join(strings.Fields(strings.Join(pdftest.RawPages(t, final.Body), "")), ""), "UDKAST") {
		t.Error("a final agenda is marked UDKAST")
	}
}

func TestAddendum(t *testing.T) {
	r := newRenderer(t)
	pages := pdftest.Pages(t, renderMeeting(t, r, "agenda", odense(t), render.Options{}).Body)
	if toc := pdftest.Squash(pages[1]); !strings.Contains(toc, "6. Udførerdelens årsrapport 2011 – Tillæg") || strings.Contains(toc, "LVU-indsatsen – Tillæg") {
		t.Errorf("the contents do not mark the addendum item alone:\n%s", toc)
	}
	if all := text(t, renderMeeting(t, r, "agenda", odense(t), render.Options{}).Body); !strings.Contains(all, "Åben · Tillæg · Orienteringssag") {
		t.Error("the addendum item's heading line does not say Tillæg")
	}
	add := renderMeeting(t, r, "agenda", odense(t), render.Options{Addendum: true})
	all := text(t, add.Body)
	if !strings.Contains(all, "Tillægsdagsorden") || !strings.Contains(all, "Punkt 6. Udførerdelens årsrapport 2011") ||
		strings.Contains(all, "Punkt 1.") || strings.Contains(all, "LVU") {
		t.Errorf("the supplementary agenda: %s", all)
	}
	var oe *render.OptionError
	if _, err := r.Meeting(t.Context(), "minutes", odense(t), render.Options{Addendum: true}); !errors.As(err, &oe) || oe.Option != "addendum" {
		t.Errorf("addendum on minutes: %v", err)
	}
	// a meeting with no addendum item has no supplementary agenda: said,
	// not an empty contents page
	if _, err := r.Meeting(t.Context(), "agenda", meeting(t), render.Options{Addendum: true}); !errors.As(err, &oe) || !strings.Contains(oe.Message, "no item is marked addendum") {
		t.Errorf("a supplementary agenda of no items: %v", err)
	}
}

func TestDissents(t *testing.T) {
	r := newRenderer(t)
	statement := "Det Konservative Folkeparti kan ikke støtte prioriteringen"
	for _, doc := range []data.Document{"minutes", "decisions"} {
		all := text(t, renderMeeting(t, r, doc, odense(t), render.Options{}).Body)
		if !strings.Contains(all, "Protokoltilførsel Henrik Østergaard (C):") || !strings.Contains(all, statement) {
			t.Errorf("%s lack the statement for the record: %s", doc, all)
		}
		// under the decision of item 3, before item 4
		if i, j, k := strings.Index(all, "Punkt 3."), strings.Index(all, statement), strings.Index(all, "Punkt 4."); !(i < j && j < k) {
			t.Errorf("%s: the statement is not with item 3's decision", doc)
		}
	}
	if all := text(t, renderMeeting(t, r, "agenda", odense(t), render.Options{}).Body); strings.Contains(all, "Protokoltilførsel") || strings.Contains(all, statement) {
		t.Error("an agenda prints a statement for the record")
	}
	m := odense(t)
	m.Items[2].Dissents = append(m.Items[2].Dissents, data.Dissent{By: []string{"Ukendt Person"}, Text: "x"}, data.Dissent{Text: " "})
	err := m.Validate()
	var ve *data.ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("want a validation error, got %v", err)
	}
	got := map[string]bool{}
	for _, fe := range ve.Errors {
		got[fe.Field] = true
	}
	for _, f := range []string{"items[2].dissents[1].by[0]", "items[2].dissents[2].by", "items[2].dissents[2].text"} {
		if !got[f] {
			t.Errorf("no problem names %s: %v", f, err)
		}
	}
}

func TestSignatureSheet(t *testing.T) {
	r := newRenderer(t)
	res := renderMeeting(t, r, "minutes", odense(t), render.Options{Signatures: true})
	pages := pdftest.Pages(t, res.Body)
	last := pdftest.Squash(pages[len(pages)-1])
	want := []string{"Anne Marie Lund (A), formand", "Karsten Holm (V), næstformand", "Birgit Sørensen (A)", "Søren Kjær (F)", "Mads Bech (O), stedfortræder", "Henrik Østergaard (C)"}
	if !strings.HasPrefix(last, "Underskriftsblad") {
		t.Fatalf("the last page is not the signature sheet: %s", last)
	}
	at := 0
	for _, w := range want {
		i := strings.Index(last[at:], w)
		if i < 0 {
			t.Errorf("the signature sheet lacks %q after position %d: %s", w, at, last)
			continue
		}
		at += i + len(w)
	}
	if strings.Contains(last, "Lise Ravn") {
		t.Error("a member who sent apologies is on the signature sheet")
	}
	if plain := pdftest.Pages(t, renderMeeting(t, r, "minutes", odense(t), render.Options{}).Body); len(plain) != len(pages)-1 {
		t.Errorf("the sheet should add one page: %d and %d", len(plain), len(pages))
	}
	var oe *render.OptionError
	if _, err := r.Meeting(t.Context(), "agenda", odense(t), render.Options{Signatures: true}); !errors.As(err, &oe) {
		t.Errorf("signatures on an agenda: %v", err)
	}
}

func TestDecisionRecord(t *testing.T) {
	r := newRenderer(t)
	res := renderMeeting(t, r, "decisions", odense(t), render.Options{})
	all := text(t, res.Body)
	for _, want := range []string{"Beslutningsprotokol", "Til stede Anne Marie Lund (A), formand", "Punkt 1. Kommenteret forbrugsrapport 1/6 2012 Indstillingen anbefales.",
		"Punkt 5. Personalesag Godkendt."} {
		if !strings.Contains(all, want) {
			t.Errorf("the decision record lacks %q: %s", want, all)
		}
	}
	for _, never := range []string{"Sagsresumé", "Indstilling ", "forsikrede ledige", "Bilag"} {
		if strings.Contains(all, never) {
			t.Errorf("the decision record holds case text: %q", never)
		}
	}
	if !strings.HasPrefix(res.Filename, "Beslutningsprotokol Arbejdsmarkedsudvalget") {
		t.Errorf("file name %q", res.Filename)
	}
	pub := text(t, renderMeeting(t, r, "decisions", odense(t), render.Options{Public: true}).Body)
	if !strings.Contains(pub, "Punkt 5. Personalesag Lukket") || strings.Contains(pub, "Punkt 5. Personalesag Godkendt") {
		t.Errorf("the public decision record shows a closed item's decision: %s", pub)
	}
	en := text(t, renderMeeting(t, r, "decisions", odense(t), render.Options{Lang: "en"}).Body)
	if !strings.Contains(en, "Decision record") || !strings.Contains(en, "Statement for the record") {
		t.Errorf("English decision record: %s", en)
	}
}

func TestPublicVersionIsMarked(t *testing.T) {
	r := newRenderer(t)
	for lang, word := range map[string]string{"da": "Offentlig udgave", "en": "Public version"} {
		res := renderMeeting(t, r, "minutes", odense(t), render.Options{Public: true, Lang: locale(lang)})
		if front := pdftest.Squash(pdftest.Pages(t, res.Body)[0]); !strings.Contains(front, word) {
			t.Errorf("%s front page lacks %q", lang, word)
		}
		if title := pdftest.Info(t, res.Body)["Title"]; !strings.Contains(title, strings.ToLower(word)) {
			t.Errorf("%s title %q", lang, title)
		}
		if !strings.Contains(res.Filename, strings.ToLower(word)) {
			t.Errorf("%s file name %q", lang, res.Filename)
		}
	}
	if front := pdftest.Squash(pdftest.Pages(t, renderMeeting(t, r, "minutes", odense(t), render.Options{}).Body)[0]); strings.Contains(front, "Offentlig udgave") {
		t.Error("an internal version says Offentlig udgave")
	}
}

func TestFrontPages(t *testing.T) {
	r := newRenderer(t)
	agenda := pdftest.Squash(pdftest.Pages(t, renderMeeting(t, r, "agenda", odense(t), render.Options{}).Body)[0])
	if !strings.Contains(agenda, "Anne Marie Lund (A), formand; Karsten Holm (V), næstformand") {
		t.Errorf("chair and vice chair are not shown: %s", agenda)
	}
	if strings.Contains(agenda, "Fraværende") || !strings.Contains(agenda, "Afbud Lise Ravn (O, pga. sygdom)") {
		t.Errorf("an agenda's front page: no Fraværende, Afbud if known: %s", agenda)
	}
	m := odense(t)
	m.Participants[3].Attendance = data.AttendanceAbsent // Søren Kjær
	minutes := pdftest.Squash(pdftest.Pages(t, renderMeeting(t, r, "minutes", m, render.Options{}).Body)[0])
	if !strings.Contains(minutes, "Fraværende Søren Kjær (F)") || strings.Contains(minutes, "Til stede Anne Marie Lund (A), formand; Karsten Holm (V), næstformand; Birgit Sørensen (A), Søren Kjær") {
		t.Errorf("minutes' front page: %s", minutes)
	}
}

func locale(s string) loc.Lang { return loc.Lang(s) }
