package apiclient

import (
	"bytes"
	"context"
	"encoding/json"
	"io/fs"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"protokol/examples"
	"protokol/internal/config"
	"protokol/internal/render"
	"protokol/internal/server"
	"protokol/templates"
)

// The committed client is what the pinned generator makes of the
// document: a change to one without the other fails here.
func TestClientIsGeneratedFromTheDocument(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the generator")
	}
	dir := t.TempDir()
	conf := filepath.Join(dir, "oapi.yaml")
	b, err := os.ReadFile("oapi.yaml")
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "client.gen.go")
	os.WriteFile(conf, bytes.Replace(b, []byte("output: client.gen.go"), []byte("output: "+out), 1), 0o644)
	cmd := exec.Command("go", "tool", "oapi-codegen", "-config", conf, "../server/openapi.json")
	if msg, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("oapi-codegen: %v\n%s", err, msg)
	}
	got, _ := os.ReadFile(out)
	want, _ := os.ReadFile("client.gen.go")
	if !bytes.Equal(got, want) {
		t.Error("client.gen.go is not what the document gives: run go generate ./internal/apiclient")
	}
}

func service(t *testing.T, cfg *config.Config) *httptest.Server {
	t.Helper()
	r, err := render.New(render.Config{Templates: templates.FS})
	if err != nil {
		t.Fatal(err)
	}
	s, err := server.New(cfg, r, slog.New(slog.NewTextHandler(ioDiscard{}, nil)))
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(s.Handler())
	t.Cleanup(ts.Close)
	return ts
}

type ioDiscard struct{}

func (ioDiscard) Write(p []byte) (int, error) { return len(p), nil }

func testConfig(t *testing.T) *config.Config {
	t.Helper()
	cfg, err := config.ParseServe(nil, func(string) string { return "" }, ioDiscard{})
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

// A client generated from the document drives the service: every
// operation with its typed parameters and bodies, the answers read back
// into the generated types (a document, a problem with its fields, the
// template sets), the packet as repeated file parts.
func TestGeneratedClientDrivesTheService(t *testing.T) {
	ts := service(t, testConfig(t))
	c, err := NewClientWithResponses(ts.URL)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	var m Meeting
	if err := json.Unmarshal(examples.Read(examples.Minutes), &m); err != nil {
		t.Fatalf("the example does not decode into the generated Meeting: %v", err)
	}
	public, lang := true, RenderMinutesParamsLangEn
	res, err := c.RenderMinutesWithResponse(ctx, &RenderMinutesParams{Public: &public, Lang: &lang}, m)
	if err != nil || res.StatusCode() != 200 || !bytes.HasPrefix(res.Body, []byte("%PDF-")) {
		t.Fatalf("minutes: %v %d %.100s", err, res.StatusCode(), res.Body)
	}
	signatures := true
	if r, err := c.RenderMinutesWithResponse(ctx, &RenderMinutesParams{Signatures: &signatures}, m); err != nil || r.StatusCode() != 200 {
		t.Errorf("minutes with signatures: %v %d", err, r.StatusCode())
	}
	if r, err := c.RenderDecisionsWithResponse(ctx, &RenderDecisionsParams{}, m); err != nil || r.StatusCode() != 200 {
		t.Errorf("decisions: %v %d", err, r.StatusCode())
	}
	var b Budget
	if err := json.Unmarshal(examples.Read(examples.Budget), &b); err != nil {
		t.Fatalf("the example budget does not decode into the generated Budget: %v", err)
	}
	if r, err := c.RenderBudgetWithResponse(ctx, &RenderBudgetParams{}, b); err != nil || r.StatusCode() != 200 || !bytes.HasPrefix(r.Body, []byte("PK")) {
		t.Errorf("budget: %v %d", err, r.StatusCode())
	}
	sets, err := c.ListTemplatesWithResponse(ctx)
	if err != nil || sets.JSON200 == nil || sets.JSON200.Templates == nil || len(*sets.JSON200.Templates) < 2 {
		t.Errorf("templates: %v %+v", err, sets)
	}
	// a problem, read into the generated type
	m.Committee = ""
	bad, err := c.RenderAgendaWithResponse(ctx, &RenderAgendaParams{}, m)
	if err != nil || bad.StatusCode() != 422 || bad.ApplicationproblemJSON422 == nil || bad.ApplicationproblemJSON422.Errors == nil ||
		len(*bad.ApplicationproblemJSON422.Errors) == 0 || (*bad.ApplicationproblemJSON422.Errors)[0].Field == nil ||
		*(*bad.ApplicationproblemJSON422.Errors)[0].Field != "committee" {
		t.Errorf("a 422: %v %d %s", err, bad.StatusCode(), bad.Body)
	}
	// the packet: the meeting and each file as a part named file
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	w.WriteField("meeting", string(examples.Read(examples.Meeting)))
	entries, _ := fs.ReadDir(examples.FS, examples.Attachments)
	for _, e := range entries {
		part, _ := w.CreateFormFile("file", e.Name())
		data, _ := fs.ReadFile(examples.FS, examples.Attachments+"/"+e.Name())
		part.Write(data)
	}
	w.Close()
	packet, err := c.RenderAgendaWithBodyWithResponse(ctx, &RenderAgendaParams{}, w.FormDataContentType(), &body)
	if err != nil || packet.StatusCode() != 200 || packet.HTTPResponse.Header.Get("X-Page-Count") != "29" {
		t.Errorf("the packet: %v %d pages %s", err, packet.StatusCode(), packet.HTTPResponse.Header.Get("X-Page-Count"))
	}
	if h, err := c.GetHealth(ctx); err != nil || h.StatusCode != http.StatusOK {
		t.Errorf("health: %v", err)
	}
}
