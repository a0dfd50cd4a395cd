package server

import (
	"bytes"
	"encoding/json"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"protokol/internal/pdftest"
)

func export(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "esdh", "testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// Over HTTP an export is a body like a document: POST /v1/import answers
// the meeting with what it lacks; POST /v1/agenda renders it (public too);
// a packet goes as multipart with the export as its meeting part; a
// broken export is a 422 naming the line.
func TestExportsOverHTTP(t *testing.T) {
	s := newServer(t, testConfig())
	w := do(t, s, "POST", "/v1/import?lang=da", export(t, "agman.xml"), "Content-Type", "application/xml")
	if w.Code != http.StatusOK {
		t.Fatalf("import: %d %s", w.Code, w.Body)
	}
	var ans struct {
		Format, Document string
		Meeting          struct{ Committee string }
		Problems         []struct{ Field, Message string }
	}
	if err := json.Unmarshal(w.Body.Bytes(), &ans); err != nil {
		t.Fatal(err)
	}
	if ans.Format != "agman" || ans.Document != "minutes" || ans.Meeting.Committee != "Beskæftigelsesudvalget" || len(ans.Problems) != 1 || ans.Problems[0].Field != "municipality" {
		t.Errorf("import: %+v", ans)
	}
	for _, f := range []string{"sbsys", "edoc", "fujitsu", "acadre", "agman"} {
		w := do(t, s, "POST", "/v1/agenda?public=true&municipality=Aalborg+Kommune&location=R%C3%A5dhuset", export(t, f+".xml"), "Content-Type", "application/xml")
		if w.Code != http.StatusOK {
			t.Errorf("%s: %d %s", f, w.Code, w.Body)
			continue
		}
		text := strings.Join(pdftest.Pages(t, w.Body.Bytes()), " ")
		if !strings.Contains(text, "Orientering om reform af beskæftigelsesindsatsen") || strings.Contains(text, "LUKKET") {
			t.Errorf("%s: the public agenda:\n%s", f, text)
		}
	}
	// the packet: the export as the meeting part, the files by name
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	h := textproto.MIMEHeader{}
	h.Set("Content-Disposition", `form-data; name="meeting"; filename="dagsorden.xml"`)
	h.Set("Content-Type", "application/xml")
	part, _ := mw.CreatePart(h)
	part.Write(export(t, "sbsys.xml"))
	for _, f := range []string{"forlig-beskaeftigelsesreform.pdf", "analyse-ressourceforbrug-hovedrapport.pdf"} {
		b, err := os.ReadFile(filepath.Join("..", "..", "examples", "bilag", f))
		if err != nil {
			t.Fatal(err)
		}
		fw, _ := mw.CreateFormFile("file", f)
		fw.Write(b)
	}
	mw.Close()
	w = do(t, s, "POST", "/v1/agenda?municipality=Aalborg+Kommune", body.Bytes(), "Content-Type", mw.FormDataContentType())
	if w.Code != http.StatusOK || !strings.Contains(strings.Join(pdftest.Pages(t, w.Body.Bytes()), " "), "Bilag 2.1") {
		t.Errorf("packet: %d %s", w.Code, w.Header())
	}
	// broken: a DTD, and an unknown format
	w = do(t, s, "POST", "/v1/agenda?from=sbsys", []byte("<?xml version=\"1.0\"?>\n<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>\n<Dagsorden>&e;</Dagsorden>"), "Content-Type", "application/xml")
	if p := problem(t, w); w.Code != http.StatusUnprocessableEntity || len(p.Errors) != 1 || !strings.Contains(p.Errors[0].Message, "DTD") || p.Errors[0].Location != "line 2" {
		t.Errorf("a DTD: %d %s", w.Code, w.Body)
	}
	// in Danish for a reader of Danish: what was left out, and a broken
	// export's problems with their lines
	odd := `<Dagsorden Åben="true"><Møde Udvalg="U" Mødedato="1. maj 2018" Mødetid="9:00" Mødested="R"/><Dagsordenpunkter><Dagsordenpunkt Nummer="1" Åbent="måske"><Overskrift>T</Overskrift></Dagsordenpunkt></Dagsordenpunkter></Dagsorden>`
	for lang, want := range map[string]string{"da": "er hverken true eller false: punktet regnes for lukket", "en": "is neither true nor false: the item is taken as closed"} {
		w := do(t, s, "POST", "/v1/import", []byte(odd), "Content-Type", "application/xml", "Accept-Language", lang)
		var left struct {
			LeftOut []struct{ Message string } `json:"left_out"`
		}
		if err := json.Unmarshal(w.Body.Bytes(), &left); err != nil || len(left.LeftOut) != 1 || !strings.Contains(left.LeftOut[0].Message, want) {
			t.Errorf("left out, for a reader of %s: %s", lang, w.Body)
		}
	}
	w = do(t, s, "POST", "/v1/agenda?from=sbsys&lang=da", []byte("<?xml version=\"1.0\"?>\n<!DOCTYPE x>\n<Dagsorden/>"), "Content-Type", "application/xml")
	if p := problem(t, w); len(p.Errors) != 1 || !strings.Contains(p.Errors[0].Message, "eksporten erklærer en DTD") || p.Errors[0].Location != "linje 2" {
		t.Errorf("a DTD, for a reader of Danish: %s", w.Body)
	}
	if w := do(t, s, "POST", "/v1/import?from=word", export(t, "sbsys.xml"), "Content-Type", "application/xml"); w.Code != http.StatusBadRequest {
		t.Errorf("from=word: %d", w.Code)
	}
	if w := do(t, s, "POST", "/v1/budget", export(t, "sbsys.xml"), "Content-Type", "application/xml"); w.Code != http.StatusUnsupportedMediaType {
		t.Errorf("an export as a budget: %d", w.Code)
	}
}
