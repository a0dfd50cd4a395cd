package esdh

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"protokol/internal/data"
)

func fixture(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// Every format's hand-made export of the Aalborg meeting (items 1-3 of
// examples/aalborg-2014-08-19.meeting.json, item 3 closed with a closed
// attachment) arrives whole: committee, time, place, items in order with
// their titles, access, texts and attachments; the result is a valid
// meeting document.
func TestEveryFormatImports(t *testing.T) {
	for _, f := range Formats {
		t.Run(string(f), func(t *testing.T) {
			b := fixture(t, string(f)+".xml")
			got, err := Detect(b)
			if err != nil || got != f {
				t.Fatalf("detected %q, %v", got, err)
			}
			res, err := Import(context.Background(), "", b, Options{Municipality: "Aalborg Kommune", Location: "Mødelokale E, Sønderbro 12, 9000 Aalborg"})
			if err != nil {
				t.Fatal(err)
			}
			for _, p := range res.Problems {
				t.Errorf("problem: %s", p)
			}
			m := res.Meeting
			if m.Committee != "Beskæftigelsesudvalget" || m.Start.Raw != "2014-08-19T13:00:00+02:00" {
				t.Errorf("committee %q, start %q", m.Committee, m.Start.Raw)
			}
			if m.Location != "Mødelokale E, Sønderbro 12, 9000 Aalborg" {
				t.Errorf("location %q", m.Location)
			}
			if len(m.Items) != 3 {
				t.Fatalf("%d items", len(m.Items))
			}
			for i, want := range []string{"Godkendelse af dagsorden", "Orientering om reform af beskæftigelsesindsatsen", "Vurdering af analysen af jobcentrenes ressourceforbrug"} {
				if it := m.Items[i]; it.Number != string(rune('1'+i)) || it.Title != want {
					t.Errorf("item %d: %q %q", i+1, it.Number, it.Title)
				}
			}
			if m.Items[0].Closed() || m.Items[1].Closed() || !m.Items[2].Closed() {
				t.Errorf("access: %q %q %q", m.Items[0].Access, m.Items[1].Access, m.Items[2].Access)
			}
			it2 := m.Items[1]
			text := it2.Recommendation + it2.Summary
			for _, s := range it2.Sections {
				text += s.Body
			}
			if !strings.Contains(text, "Regeringen, Venstre, Dansk Folkeparti") {
				t.Errorf("item 2's text: %q", text)
			}
			if len(it2.Attachments) != 1 || it2.Attachments[0].Title != "Forlig om reform af beskæftigelsesindsatsen" || it2.Attachments[0].File != "forlig-beskaeftigelsesreform.pdf" || it2.Attachments[0].Closed() {
				t.Errorf("item 2's attachments: %+v", it2.Attachments)
			}
			if f != EDoc && f != Fujitsu { // these two have no attachment access: the item's decides
				if a := m.Items[2].Attachments; len(a) != 1 || !a[0].Closed() {
					t.Errorf("item 3's attachment: %+v", a)
				}
			}
			if res.Files["forlig-beskaeftigelsesreform.pdf"] != "Bilag/forlig-beskaeftigelsesreform.pdf" {
				t.Errorf("files: %v", res.Files)
			}
			js, err := res.JSON()
			if err != nil {
				t.Fatal(err)
			}
			if _, err := data.DecodeMeeting(js); err != nil {
				t.Errorf("the imported meeting is not valid: %v\n%s", err, js)
			}
		})
	}
}

// HTML is cut to what we take: no script, no event handler, no
// javascript: link; a web link stays.
func TestHTMLIsCleaned(t *testing.T) {
	res, err := Import(context.Background(), SBSYS, fixture(t, "sbsys.xml"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	var body string
	for _, s := range res.Meeting.Items[1].Sections {
		body += s.Body
	}
	for _, bad := range []string{"alert", "evil", "javascript", "onclick", "color:red", "<"} {
		if strings.Contains(body, bad) {
			t.Errorf("%q survived: %s", bad, body)
		}
	}
	if !strings.Contains(body, "[aalborg.dk](https://www.aalborg.dk)") || !strings.Contains(body, "Se her og") {
		t.Errorf("the paragraph: %s", body)
	}
}

// A text nested deeper than any paper keeps its words, not its depth.
func TestDeepHTMLIsFlattened(t *testing.T) {
	deep := strings.Repeat("<div>", 400) + "dybt inde<script>x()</script>" + strings.Repeat("</div>", 400)
	md, _, err := markdown(context.Background(), deep)
	if err != nil || md != "dybt inde" {
		t.Errorf("%q %v", md, err)
	}
	// deeper than the HTML parser goes: an error, so a problem at the
	// text, which is left out
	if _, _, err := markdown(context.Background(), strings.Repeat("<div>", 5000)); err == nil {
		t.Error("5,000 levels: no error")
	}
}

// AGMAN's members arrive with their attendance; minutes, a decision and
// the decision history.
func TestAGMANMinutes(t *testing.T) {
	res, err := Import(context.Background(), AGMAN, fixture(t, "agman.xml"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	m := res.Meeting
	if !res.Minutes || m.Items[0].Decision != "Godkendt." {
		t.Errorf("minutes %v, decision %q", res.Minutes, m.Items[0].Decision)
	}
	want := map[string]string{"Mai-Britt Iversen": "", "Daniel Nyboe Andersen": "apologies", "Per Clausen": "absent"}
	for _, p := range m.Participants {
		if a, ok := want[p.Name]; !ok || a != p.Attendance {
			t.Errorf("%s: %q", p.Name, p.Attendance)
		}
	}
	last := m.Items[1].Sections[len(m.Items[1].Sections)-1]
	if last.Heading != "Beslutningshistorik" || !strings.Contains(last.Body, "Indstillingen tiltrådt truffet af Magistraten d. 11-08-2014") {
		t.Errorf("history: %+v", last)
	}
}

// Hostile or broken exports are refused with the place named, never
// read further: a DTD (and so any entity), a foreign encoding, depth,
// size, broken XML; a date not read is a problem at its element.
func TestBrokenExportsAreRefused(t *testing.T) {
	for name, c := range map[string]struct{ xml, want string }{
		"DTD":        {`<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]><Dagsorden>&x;</Dagsorden>`, "DTD"},
		"billion":    {`<!DOCTYPE d [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]><Dagsorden>&b;</Dagsorden>`, "DTD"},
		"encoding":   {`<?xml version="1.0" encoding="shift_jis"?><Dagsorden/>`, `"shift_jis"`},
		"depth":      {"<Dagsorden>" + strings.Repeat("<a>", 100) + strings.Repeat("</a>", 100) + "</Dagsorden>", "nested more than 64"},
		"broken":     {"<Dagsorden>\n<Møde></Dagsorden>", "line 2"},
		"entity":     {"<Dagsorden>&nbsp;</Dagsorden>", "broken"},
		"root":       {"<Agenda/>", "<Agenda> is none of the exports"},
		"no meeting": {`<Dagsorden Åben="true"><Dagsordenpunkter/></Dagsorden>`, "no <Møde>"},
		"date":       {`<Dagsorden Åben="true"><Møde Udvalg="U" Mødedato="32. august 2018" Mødetid="16:00"/><Dagsordenpunkter><Dagsordenpunkt Nummer="1" Åbent="true"><Overskrift>T</Overskrift></Dagsordenpunkt></Dagsordenpunkter></Dagsorden>`, "/Dagsorden/Møde"},
	} {
		res, err := Import(context.Background(), "", []byte(c.xml), Options{})
		msg := ""
		if err != nil {
			msg = err.Error()
		} else {
			for _, p := range res.Problems {
				msg += p.String()
			}
		}
		if !strings.Contains(msg, c.want) {
			t.Errorf("%s: %q, not %q", name, msg, c.want)
		}
	}
	if _, err := Import(context.Background(), "", []byte("<Dagsorden>"+strings.Repeat("<x/>", 2000)+"</Dagsorden>"), Options{Limits: Limits{MaxElements: 1000}}); err == nil || !strings.Contains(err.Error(), "more than 1000 elements") {
		t.Errorf("elements: %v", err)
	}
	if _, err := Import(context.Background(), "", make([]byte, 2000), Options{Limits: Limits{MaxBytes: 1000}}); err == nil || !strings.Contains(err.Error(), "at most 1000") {
		t.Errorf("size: %v", err)
	}
}

// ISO-8859-1 is read as what it is.
func TestLatin1(t *testing.T) {
	b := []byte("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><Dagsorden \xc5ben=\"true\"><M\xf8de Udvalg=\"\xd8konomiudvalget\" M\xf8dedato=\"1. maj 2018\" M\xf8detid=\"9.00\" M\xf8dested=\"R\xe5dhuset\"/>" +
		"<Dagsordenpunkter><Dagsordenpunkt Nummer=\"1\" \xc5bent=\"true\"><Overskrift>Budget\xf8nsker</Overskrift><Indhold><p>Gr\xf8n omstilling</p></Indhold></Dagsordenpunkt></Dagsordenpunkter></Dagsorden>")
	res, err := Import(context.Background(), "", b, Options{})
	if err != nil {
		t.Fatal(err)
	}
	m := res.Meeting
	if m.Committee != "Økonomiudvalget" || m.Location != "Rådhuset" || m.Items[0].Title != "Budgetønsker" || m.Start.Raw != "2018-05-01T09:00:00+02:00" {
		t.Errorf("%+v", m)
	}
	if s := m.Items[0].Sections; len(s) != 1 || s[0].Body != "Grøn omstilling" {
		t.Errorf("sections %+v", s)
	}
}

// A directory: the manifest names the agenda (Fujitsu notification);
// attachment files outside the directory are left out.
func TestImportDir(t *testing.T) {
	fj := fixture(t, "fujitsu.xml")
	fsys := fstest.MapFS{
		"notification.xml": {Data: []byte(`<Root xmlns="` + fujitsuNS + `"><Notification><Publish>true</Publish><AgendaIdentifier>4711</AgendaIdentifier><PathToXml>\agendas\4711.xml</PathToXml></Notification></Root>`)},
		"agendas/4711.xml": {Data: fj},
		"other.txt":        {Data: []byte("x")},
	}
	res, err := ImportDir(context.Background(), fsys, "", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Format != Fujitsu || len(res.Meeting.Items) != 3 || res.Files["forlig-beskaeftigelsesreform.pdf"] != "agendas/Bilag/forlig-beskaeftigelsesreform.pdf" {
		t.Errorf("%s %d %v", res.Format, len(res.Meeting.Items), res.Files)
	}
	// Acadre: the producedAgenda manifest names the file and says minutes
	ac := fstest.MapFS{
		"manifest.xml":            {Data: []byte(`<root><table name="producedAgenda"><fields><field publish="true" filesfolder="Files_1_2" xmlfilename="4711.xml" type="2" accessid="1"/></fields></table></root>`)},
		"Files_1_2/4711.xml":      {Data: fixture(t, "acadre.xml")},
		"Files_1_2/not-named.xml": {Data: fixture(t, "acadre.xml")},
	}
	res, err = ImportDir(context.Background(), ac, "", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Format != Acadre || !res.Minutes || len(res.Meeting.Items) != 3 {
		t.Errorf("acadre by its manifest: %s minutes=%v %d items", res.Format, res.Minutes, len(res.Meeting.Items))
	}
	escape := fstest.MapFS{"d.xml": {Data: []byte(`<Dagsorden Åben="true"><Møde Udvalg="U" Mødedato="1. maj 2018" Mødetid="9:00" Mødested="R"/><Dagsordenpunkter><Dagsordenpunkt Nummer="1" Åbent="true"><Overskrift>T</Overskrift>` +
		`<Bilagsliste><Bilag Navn="B" BilagUrl="../../etc/x.pdf" MaaPubliceres="true"/></Bilagsliste></Dagsordenpunkt></Dagsordenpunkter></Dagsorden>`)}}
	res, err = ImportDir(context.Background(), escape, SBSYS, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Files) != 0 || len(res.Problems) != 1 || !strings.Contains(res.Problems[0].Message, "outside the export's directory") {
		t.Errorf("files %v, problems %v", res.Files, res.Problems)
	}
	// the deadline is seen between files
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := ImportDir(ctx, fsys, "", Options{}); !errors.Is(err, context.Canceled) {
		t.Errorf("a cancelled import of a directory: %v", err)
	}
}

// A meeting's agenda and its addenda (tillægsdagsordener) in one
// directory are one meeting, as OS2web's readers group them: the same
// meeting ID, the lowest agenda ID the agenda, the others' items after
// its own, marked as addenda; their files named apart. Agendas of other
// meetings, or an agenda beside its minutes, are refused by name.
func TestImportDirJoinsAddenda(t *testing.T) {
	agenda := fixture(t, "sbsys.xml") // DagsordenID 4711, MødeID 815
	addendum := func(meetingID, kind, number string) []byte {
		return []byte(`<Dagsorden DagsordenID="4712" Åben="true" Dagsordentype="` + kind + `"><Møde MødeID="` + meetingID + `" Udvalg="Beskæftigelsesudvalget" Mødedato="19. august 2014" Mødetid="13:00" Mødested="R"/>` +
			`<Dagsordenpunkter><Dagsordenpunkt Nummer="` + number + `" Åbent="true"><Overskrift>Ansøgning om pulje til jobrotation</Overskrift>` +
			`<Bilagsliste><Bilag Navn="Ansøgning" BilagUrl="Tillaeg/forlig-beskaeftigelsesreform.pdf" MaaPubliceres="true"/></Bilagsliste></Dagsordenpunkt></Dagsordenpunkter></Dagsorden>`)
	}
	// named so the addendum comes first by name: the order is the IDs'
	res, err := ImportDir(context.Background(), fstest.MapFS{"dagsorden.xml": {Data: agenda}, "a-tillaeg.xml": {Data: addendum("815", "Dagsorden", "4")}}, "", Options{})
	if err != nil {
		t.Fatal(err)
	}
	items := res.Meeting.Items
	if len(items) != 4 || items[0].Title != "Godkendelse af dagsorden" || items[2].Addendum || !items[3].Addendum || items[3].Number != "4" {
		t.Fatalf("the agenda and its addendum: %+v", items)
	}
	if res.Files["forlig-beskaeftigelsesreform.pdf"] != "Bilag/forlig-beskaeftigelsesreform.pdf" || res.Files["forlig-beskaeftigelsesreform (2).pdf"] != "Tillaeg/forlig-beskaeftigelsesreform.pdf" ||
		items[3].Attachments[0].File != "forlig-beskaeftigelsesreform (2).pdf" {
		t.Errorf("the files of agenda and addendum are not named apart: %v, %q", res.Files, items[3].Attachments[0].File)
	}
	// an addendum numbering an item as the agenda does is said, not renumbered
	res, err = ImportDir(context.Background(), fstest.MapFS{"dagsorden.xml": {Data: agenda}, "tillaeg.xml": {Data: addendum("815", "Dagsorden", "3")}}, "", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if n := len(res.Meeting.Items); n != 4 || res.Meeting.Items[3].Number != "3" || len(res.Problems) != 1 || !strings.HasPrefix(res.Problems[0].Path, "tillaeg.xml:") || !strings.Contains(res.Problems[0].Message, "item 3 has the number") {
		t.Errorf("a number twice: %d items, problems %v", n, res.Problems)
	}
	for _, c := range []struct {
		name string
		fsys fstest.MapFS
		want string
	}{
		{"another meeting's agenda", fstest.MapFS{"dagsorden.xml": {Data: agenda}, "andet.xml": {Data: addendum("816", "Dagsorden", "4")}}, "not one meeting's agenda and addenda (andet.xml, dagsorden.xml)"},
		{"the meeting's minutes", fstest.MapFS{"dagsorden.xml": {Data: agenda}, "referat.xml": {Data: addendum("815", "Referat", "4")}}, "both the agenda and the minutes of one meeting (dagsorden.xml, referat.xml)"},
	} {
		if _, err := ImportDir(context.Background(), c.fsys, "", Options{}); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want %q", c.name, err, c.want)
		}
	}
	// together no larger than one export may be
	two := fstest.MapFS{"dagsorden.xml": {Data: agenda}, "tillaeg.xml": {Data: addendum("815", "Dagsorden", "4")}}
	if _, err := ImportDir(context.Background(), two, "", Options{Limits: Limits{MaxBytes: len(agenda) + 100}}); err == nil || !strings.Contains(err.Error(), "bytes together") {
		t.Errorf("agendas larger together than an export may be: %v", err)
	}
}

// Each format's reader takes the meeting's and the agenda's identifiers
// where OS2web's readers take them (eDoc has none).
func TestImportTakesTheExportsIDs(t *testing.T) {
	for _, name := range []string{"sbsys.xml", "agman.xml", "fujitsu.xml", "acadre.xml", "edoc.xml"} {
		res, err := Import(context.Background(), "", fixture(t, name), Options{})
		if err != nil {
			t.Fatal(name, err)
		}
		want := [2]string{"815", "4711"}
		if name == "edoc.xml" {
			want = [2]string{}
		}
		if got := [2]string{res.meetingID, res.agendaID}; got != want {
			t.Errorf("%s: meeting and agenda IDs %q, want %q", name, got, want)
		}
	}
}

// No export, however broken, panics the reader.
func FuzzImport(f *testing.F) {
	for _, name := range []string{"sbsys.xml", "edoc.xml", "fujitsu.xml", "agman.xml"} {
		b, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		done := make(chan struct{})
		defer close(done)
		go func() {
			select {
			case <-done:
			case <-time.After(5 * time.Second):
				panic(fmt.Sprintf("an import of %d bytes took over 5 s", len(b)))
			}
		}()
		res, err := Import(context.Background(), "", b, Options{Limits: Limits{MaxElements: 5000}})
		if err == nil {
			if _, err := res.JSON(); err != nil {
				t.Fatal(err)
			}
		}
	})
}

// What a text held that cannot be taken (pictures, embedded objects,
// forms) is said where it was, not silently gone; scripts and styles are
// not content and go unremarked.
func TestLostContentIsSaid(t *testing.T) {
	b := []byte(`<Dagsorden Åben="true"><Møde Udvalg="Økonomiudvalget" Mødedato="1. maj 2018" Mødetid="9.00"/>` +
		`<Dagsordenpunkter><Dagsordenpunkt Nummer="1" Åbent="true"><Overskrift>Budget</Overskrift>` +
		`<Indhold>&lt;p&gt;Se figuren&lt;img src="fig1.png"&gt;&lt;img src="fig2.png"&gt;&lt;object data="x.swf"&gt;&lt;/object&gt;&lt;script&gt;x()&lt;/script&gt;&lt;/p&gt;</Indhold>` +
		`</Dagsordenpunkt></Dagsordenpunkter></Dagsorden>`)
	res, err := Import(context.Background(), SBSYS, b, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if s := res.Meeting.Items[0].Sections; len(s) != 1 || s[0].Body != "Se figuren" {
		t.Errorf("sections %+v", s)
	}
	var said []string
	for _, p := range res.Problems {
		said = append(said, p.String())
	}
	if len(said) != 1 || !strings.Contains(said[0], "1 embedded object and 2 pictures left out of the text") || !strings.Contains(said[0], "Indhold") {
		t.Errorf("problems: %q", said)
	}
}
