package server

import (
	"bytes"
	"fmt"
	"io/fs"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"strings"
	"testing"

	"protokol/examples"
	"protokol/internal/data"
	"protokol/internal/pdftest"
)

// part is one part of a multipart upload: a form field or, with a file
// name, a file.
type part struct {
	name, file string
	body       []byte
}

func upload(t testing.TB, parts ...part) (body []byte, contentType string) {
	t.Helper()
	var b bytes.Buffer
	w := multipart.NewWriter(&b)
	for _, p := range parts {
		h := textproto.MIMEHeader{}
		if p.file != "" {
			h.Set("Content-Disposition", `form-data; name="`+p.name+`"; filename="`+p.file+`"`)
			h.Set("Content-Type", "application/pdf")
		} else {
			h.Set("Content-Disposition", `form-data; name="`+p.name+`"`)
			h.Set("Content-Type", "application/json")
		}
		pw, err := w.CreatePart(h)
		if err != nil {
			t.Fatal(err)
		}
		pw.Write(p.body)
	}
	w.Close()
	return b.Bytes(), w.FormDataContentType()
}

// exampleUpload is the example meeting with every file it names.
func exampleUpload(t testing.TB) []part {
	t.Helper()
	parts := []part{{name: "meeting", body: examples.Read(examples.Meeting)}}
	entries, err := fs.ReadDir(examples.FS, examples.Attachments)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		b, _ := fs.ReadFile(examples.FS, examples.Attachments+"/"+e.Name())
		parts = append(parts, part{name: "file", file: e.Name(), body: b})
	}
	return parts
}

// replaced is the upload with one file's content changed.
func replaced(parts []part, file string, body []byte) []part {
	for i := range parts {
		if parts[i].file == file {
			parts[i].body = body
		}
	}
	return parts
}

func TestPacketUpload(t *testing.T) {
	s := newServer(t, testConfig())
	body, ct := upload(t, exampleUpload(t)...)
	w := do(t, s, "POST", "/v1/agenda", body, "Content-Type", ct)
	if w.Code != http.StatusOK {
		t.Fatalf("status %d: %s", w.Code, w.Body)
	}
	alone := do(t, s, "POST", "/v1/agenda", examples.Read(examples.Meeting))
	if got, base := w.Header().Get("X-Page-Count"), alone.Header().Get("X-Page-Count"); got == base || got == "" {
		t.Errorf("the packet has %s pages, the agenda alone %s", got, base)
	}
	if cd := w.Header().Get("Content-Disposition"); !strings.Contains(cd, "Dagsorden%20med%20bilag") {
		t.Errorf("Content-Disposition %q does not name the packet", cd)
	}
	if left := w.Header().Values("X-Left-Out"); len(left) != 0 {
		t.Errorf("the example's files hold nothing the packet leaves out, yet: %q", left)
	}
	// a file with links, a form field and a comment: named, with counts
	parts := exampleUpload(t)
	name := parts[1].file
	body, ct = upload(t, replaced(parts, name, pdftest.Annotated())...)
	w = do(t, s, "POST", "/v1/agenda", body, "Content-Type", ct)
	if left := w.Header().Values("X-Left-Out"); w.Code != http.StatusOK || len(left) != 1 || left[0] != name+"; links=2; form-fields=1; comments=1" {
		t.Errorf("%d X-Left-Out %q", w.Code, left)
	}
}

func TestPacketUploadProblems(t *testing.T) {
	s := newServer(t, testConfig())
	meeting := examples.Read(examples.Meeting)
	pdf := exampleUpload(t)[1].body
	cases := []struct {
		name   string
		parts  []part
		status int
		field  string
		want   string
	}{
		{"no meeting", []part{{name: "file", file: "a.pdf", body: pdf}}, 400, "meeting", "is missing"},
		{"no meeting says what came", []part{{name: "meetng", body: meeting}, {name: "file", file: "a.pdf", body: pdf}}, 400, "meeting", `the upload has the parts "meetng", "file" (file "a.pdf")`},
		{"the meeting twice", []part{{name: "meeting", body: meeting}, {name: "meeting", body: meeting}}, 400, "meeting", "twice"},
		{"a part that is neither", []part{{name: "meeting", body: meeting}, {name: "note", body: []byte("hej")}}, 400, "note", "is not a part of this upload"},
		{"a file twice", []part{{name: "meeting", body: meeting}, {name: "file", file: "forlig-beskaeftigelsesreform.pdf", body: pdf}, {name: "file", file: "forlig-beskaeftigelsesreform.pdf", body: pdf}}, 400, "forlig-beskaeftigelsesreform.pdf", "twice"},
		{"a file name with a folder", []part{{name: "meeting", body: meeting}, {name: "file", file: "../../etc/passwd", body: pdf}}, 400, "../../etc/passwd", "has a folder in it"},
		{"a file named but not sent", []part{{name: "meeting", body: meeting}}, 422, "items[1].attachments[0]", `"forlig-beskaeftigelsesreform.pdf" was not sent`},
		{"a file sent but not named", append(exampleUpload(t), part{name: "file", file: "ekstra.pdf", body: pdf}), 422, "ekstra.pdf", "no attachment names it"},
		{"not a PDF", replaced(exampleUpload(t), "forlig-beskaeftigelsesreform.pdf", []byte("PK\x03\x04 a docx")), 422, "items[1].attachments[0]", "is not a PDF"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			body, ct := upload(t, c.parts...)
			w := do(t, s, "POST", "/v1/agenda", body, "Content-Type", ct)
			if w.Code != c.status {
				t.Fatalf("status %d, want %d: %s", w.Code, c.status, w.Body)
			}
			p := problem(t, w)
			for _, e := range p.Errors {
				if e.Field == c.field && strings.Contains(e.Message, c.want) {
					return
				}
			}
			t.Errorf("problems %v; want %s: …%s…", p.Errors, c.field, c.want)
		})
	}
	t.Run("the meeting part with a file name, as curl -F meeting=@file.json sends it", func(t *testing.T) {
		parts := exampleUpload(t)
		parts[0].file = "aalborg-2014-08-19.meeting.json"
		body, ct := upload(t, parts...)
		if w := do(t, s, "POST", "/v1/agenda", body, "Content-Type", ct); w.Code != 200 {
			t.Errorf("status %d: %s", w.Code, w.Body)
		}
	})
	t.Run("a budget and a decision record take no files", func(t *testing.T) {
		body, ct := upload(t, part{name: "meeting", body: examples.Read(examples.Budget)})
		for _, path := range []string{"/v1/budget", "/v1/decisions"} {
			if w := do(t, s, "POST", path, body, "Content-Type", ct); w.Code != http.StatusUnsupportedMediaType {
				t.Errorf("%s: status %d, want 415", path, w.Code)
			}
		}
	})
}

// TestUploadProblemsAreBounded: an upload of many stray parts gets the
// first hundred named and the count.
func TestUploadProblemsAreBounded(t *testing.T) {
	parts := []part{{name: "meeting", body: examples.Read(examples.Meeting)}}
	for i := range 500 {
		parts = append(parts, part{name: fmt.Sprintf("x%d", i), body: []byte("?")})
	}
	body, ct := upload(t, parts...)
	w := do(t, newServer(t, testConfig()), "POST", "/v1/agenda", body, "Content-Type", ct)
	p := problem(t, w)
	if w.Code != 400 || len(p.Errors) != data.MaxProblems || !strings.Contains(p.Detail, "500 problems") {
		t.Errorf("status %d, %d errors listed, detail %q", w.Code, len(p.Errors), p.Detail)
	}
}

// A document with more problems than are listed says how many more, in
// the detail and as a number (the contract's "and N more").
func TestInvalidDocumentSaysHowManyMore(t *testing.T) {
	var items []string
	for i := range 150 {
		items = append(items, fmt.Sprintf(`{"number":"%d","title":"T","kind":"vote"}`, i+1))
	}
	doc := `{"municipality":"M","committee":"U","start":"2014-08-19T13:00:00+02:00","location":"L","items":[` + strings.Join(items, ",") + `]}`
	w := do(t, newServer(t, testConfig()), "POST", "/v1/agenda", []byte(doc))
	p := problem(t, w)
	if w.Code != 422 || len(p.Errors) != data.MaxProblems || p.More != 50 || !strings.Contains(p.Detail, "150 problems; errors lists the first 100 (and 50 more problems)") {
		t.Errorf("status %d, %d listed, more %d, detail %q", w.Code, len(p.Errors), p.More, p.Detail)
	}
}
