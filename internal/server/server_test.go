package server

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/gin-gonic/gin"

	"protokol/examples"
	"protokol/internal/config"
	"protokol/internal/render"
	"protokol/internal/tmpl"
	"protokol/templates"
)

func testConfig() *config.Config {
	return &config.Config{
		Addr: "127.0.0.1:0", BodyLimit: 8 << 20, RenderTimeout: 30 * time.Second, MaxConcurrent: 2, QueueLength: 4,
		QueueWait: 2 * time.Second, ReadTimeout: 10 * time.Second, WriteTimeout: 30 * time.Second, IdleTimeout: 30 * time.Second,
		ShutdownTimeout: 10 * time.Second, MemoryBudget: 1 << 30,
	}
}

func newServer(t testing.TB, cfg *config.Config) *Server {
	t.Helper()
	return newServerWith(t, cfg, render.Config{})
}

// newServerWith is newServer with a renderer of rc (its templates and
// their settings as cfg says).
func newServerWith(t testing.TB, cfg *config.Config, rc render.Config) *Server {
	t.Helper()
	rc.Templates, rc.TemplateDir, rc.TemplateLimits = templates.FS, cfg.TemplateDir, cfg.TemplateLimits
	r, err := render.New(rc)
	if err != nil {
		t.Fatal(err)
	}
	s, err := New(cfg, r, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func fixture(_ testing.TB, name string) []byte { return examples.Read(name) }

func do(t testing.TB, s *Server, method, target string, body []byte, header ...string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(method, target, bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	w := httptest.NewRecorder()
	s.Handler().ServeHTTP(w, req)
	checkAgainstOpenAPI(t, req, w)
	return w
}

// The OpenAPI document, read once, and a router over it.
var (
	apiOnce   sync.Once
	apiRouter routers.Router
	apiErr    error
)

// checkAgainstOpenAPI validates every answer a server test receives
// against the OpenAPI document, as a generated client would read it: the
// status is declared for the operation, the content type and (JSON) body
// match the schema. A path the document does not describe (a 404 of an
// unknown endpoint, the web page's files) is not checked.
func checkAgainstOpenAPI(t testing.TB, req *http.Request, w *httptest.ResponseRecorder) {
	t.Helper()
	apiOnce.Do(func() {
		doc, err := openapi3.NewLoader().LoadFromData(openapiDoc)
		if err == nil {
			doc.Servers = nil
			apiRouter, err = gorillamux.NewRouter(doc)
		}
		apiErr = err
	})
	if apiErr != nil {
		t.Fatalf("the OpenAPI document: %v", apiErr)
	}
	r := req.Clone(context.Background())
	r.URL.Path = strings.TrimRight(r.URL.Path, "/")
	if r.URL.Path == "" {
		r.URL.Path = "/"
	}
	route, params, err := apiRouter.FindRoute(r)
	if err != nil {
		return // not described: an unknown path or method, answered 404 or 405
	}
	in := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{Request: r, PathParams: params, Route: route,
			Options: &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc}},
		Status: w.Code, Header: w.Header(),
		Options: &openapi3filter.Options{IncludeResponseStatus: true, AuthenticationFunc: openapi3filter.NoopAuthenticationFunc},
	}
	in.SetBodyBytes(w.Body.Bytes())
	if err := openapi3filter.ValidateResponse(context.Background(), in); err != nil {
		t.Errorf("%s %s answered %d, which the OpenAPI document does not describe: %v", req.Method, req.URL, w.Code, shortErr(err))
	}
}

func shortErr(err error) string {
	s := err.Error()
	if len(s) > 600 {
		s = s[:600] + "…"
	}
	return s
}

func problem(t *testing.T, w *httptest.ResponseRecorder) Problem {
	t.Helper()
	if ct := w.Header().Get("Content-Type"); ct != "application/problem+json" {
		t.Fatalf("content type %q, want application/problem+json; body %s", ct, w.Body)
	}
	var p Problem
	if err := json.Unmarshal(w.Body.Bytes(), &p); err != nil {
		t.Fatal(err)
	}
	if p.Status != w.Code || p.Title == "" || p.Type == "" {
		t.Errorf("problem %+v does not match status %d", p, w.Code)
	}
	return p
}

func TestRenderEndpoints(t *testing.T) {
	s := newServer(t, testConfig())
	meeting := fixture(t, examples.Meeting)
	budget := fixture(t, examples.Budget)
	tests := []struct {
		name, target string
		body         []byte
		header       []string
		contentType  string
		filename     string
	}{
		{"agenda", "/v1/agenda", meeting, nil, render.PDF, "Dagsorden Beskæftigelsesudvalget 2014-08-19.pdf"},
		{"minutes public", "/v1/minutes?public=true&template=compact", meeting, nil, render.PDF, "Referat Beskæftigelsesudvalget 2014-08-19 (offentlig udgave).pdf"},
		{"decision record", "/v1/decisions", meeting, nil, render.PDF, "Beslutningsprotokol Beskæftigelsesudvalget 2014-08-19.pdf"},
		{"minutes English", "/v1/minutes?lang=en", meeting, nil, render.PDF, "Minutes Beskæftigelsesudvalget 2014-08-19.pdf"},
		{"budget workbook", "/v1/budget", budget, nil, render.XLSX, "Fordeling af aktiveringsrammen 2016.xlsx"},
		{"budget pdf by query", "/v1/budget?format=pdf", budget, nil, render.PDF, "Fordeling af aktiveringsrammen 2016.pdf"},
		{"budget pdf by Accept", "/v1/budget", budget, []string{"Accept", "application/pdf"}, render.PDF, "Fordeling af aktiveringsrammen 2016.pdf"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := do(t, s, "POST", tt.target, tt.body, tt.header...)
			if w.Code != 200 {
				t.Fatalf("status %d: %s", w.Code, w.Body)
			}
			if ct := w.Header().Get("Content-Type"); ct != tt.contentType {
				t.Errorf("content type %q", ct)
			}
			cd := w.Header().Get("Content-Disposition")
			if !strings.Contains(cd, `filename*=UTF-8''`) || !strings.Contains(cd, `filename="`) {
				t.Errorf("Content-Disposition %q", cd)
			}
			ascii, name, err := parseDisposition(cd)
			if err != nil || name != tt.filename {
				t.Errorf("file name %q (%v), want %q", name, err, tt.filename)
			}
			if want := asciiFallback.Replace(tt.filename); ascii != want {
				t.Errorf("ASCII file name %q, want %q", ascii, want)
			}
			if w.Header().Get("X-Request-ID") == "" {
				t.Error("no request ID")
			}
			magic := map[string]string{render.PDF: "%PDF-", render.XLSX: "PK"}[tt.contentType]
			if !bytes.HasPrefix(w.Body.Bytes(), []byte(magic)) {
				t.Errorf("body does not start with %q", magic)
			}
		})
	}
}

// parseDisposition reads the UTF-8 file name back as a browser would.
// parseDisposition returns the ASCII fallback (filename=) and the exact
// name (filename*=) of a Content-Disposition.
func parseDisposition(cd string) (string, string, error) {
	_, after, _ := strings.Cut(cd, "filename*=UTF-8''")
	name, err := unescape(after)
	_, ascii, _ := strings.Cut(cd, `filename="`)
	ascii, _, _ = strings.Cut(ascii, `"`)
	return ascii, name, err
}

// asciiFallback is what the Danish letters of the test file names
// become in the ASCII name.
var asciiFallback = strings.NewReplacer("æ", "ae", "ø", "oe", "å", "aa")

func unescape(s string) (string, error) {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '%' && i+2 < len(s) {
			var c byte
			for _, h := range s[i+1 : i+3] {
				c <<= 4
				switch {
				case h >= '0' && h <= '9':
					c |= byte(h - '0')
				case h >= 'A' && h <= 'F':
					c |= byte(h - 'A' + 10)
				}
			}
			b.WriteByte(c)
			i += 2
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String(), nil
}

// Paths with a trailing slash are served as without it (a 307 would
// become an empty file under curl -o), and probes answer HEAD.
func TestTrailingSlashAndHead(t *testing.T) {
	s := newServer(t, testConfig())
	w := do(t, s, "POST", "/v1/agenda/", fixture(t, examples.Minutes))
	if w.Code != 200 || !bytes.HasPrefix(w.Body.Bytes(), []byte("%PDF-")) {
		t.Errorf("POST /v1/agenda/: %d %.200s", w.Code, w.Body)
	}
	for _, path := range []string{"/healthz", "/readyz", "/healthz/"} {
		if w := do(t, s, "HEAD", path, nil); w.Code != 200 {
			t.Errorf("HEAD %s: %d", path, w.Code)
		}
	}
	// JSON types with a suffix and no Content-Type at all are JSON
	for _, ct := range []string{"application/json; charset=utf-8", "application/problem+json", ""} {
		w := do(t, s, "POST", "/v1/agenda", fixture(t, examples.Minutes), "Content-Type", ct)
		if w.Code != 200 {
			t.Errorf("Content-Type %q: %d %.200s", ct, w.Code, w.Body)
		}
	}
}

func TestErrorResponses(t *testing.T) {
	cfg := testConfig()
	cfg.BodyLimit = 64 << 10
	s := newServer(t, cfg)
	valid := `{"municipality":"Aalborg Kommune","committee":"Udvalget","start":"2014-08-19T13:00:00+02:00","location":"Sted","items":[{"number":"1","title":"Punkt"}]}`
	tests := []struct {
		name, method, target, body string
		status                     int
		fields                     []string
		detail                     string
	}{
		{"malformed JSON", "POST", "/v1/agenda", `{"municipality":`, 400, []string{""}, "malformed JSON"},
		{"empty body", "POST", "/v1/minutes", ``, 400, []string{""}, "empty"},
		{"invalid document", "POST", "/v1/agenda", `{"municipality":"","items":[{"number":"1","kind":"x"}]}`, 422,
			[]string{"municipality", "committee", "start", "location", "items[0].title", "items[0].kind"}, "problems"},
		{"unknown field", "POST", "/v1/agenda", strings.Replace(valid, `"title":"Punkt"`, `"title":"Punkt","titel":"x"`, 1), 422, []string{"items[0].titel"}, "unknown field"},
		{"oversized", "POST", "/v1/agenda", `{"note":"` + strings.Repeat("x", 70<<10) + `"}`, 413, nil, "limit"},
		{"unknown template", "POST", "/v1/agenda?template=kommune-x", valid, 404, nil, `"kommune-x"`},
		{"bad template name", "POST", "/v1/agenda?template=../etc", valid, 400, []string{"template"}, ""},
		{"bad lang", "POST", "/v1/agenda?lang=fr", valid, 400, []string{"lang"}, ""},
		{"bad public", "POST", "/v1/agenda?public=ja", valid, 400, []string{"public"}, ""},
		{"public without a value", "POST", "/v1/agenda?public", valid, 400, []string{"public"}, ""},
		{"public empty", "POST", "/v1/minutes?public=", valid, 400, []string{"public"}, ""},
		{"public as 1", "POST", "/v1/minutes?public=1", valid, 400, []string{"public"}, ""},
		{"public twice, first false", "POST", "/v1/minutes?public=false&public=true", valid, 400, []string{"public"}, "is given 2 times"},
		{"public twice, both true", "POST", "/v1/minutes?public=true&public=true", valid, 400, []string{"public"}, ""},
		{"signatures without a value", "POST", "/v1/minutes?signatures", valid, 400, []string{"signatures"}, ""},
		{"template twice", "POST", "/v1/agenda?template=default&template=compact", valid, 400, []string{"template"}, ""},
		{"lang twice", "POST", "/v1/budget?lang=da&lang=en", `{}`, 400, []string{"lang"}, ""},
		{"bad format", "POST", "/v1/budget?format=csv", `{}`, 400, []string{"format"}, ""},
		{"public on a budget is refused, not ignored", "POST", "/v1/budget?public=true", `{}`, 400, []string{"public"}, ""},
		{"invalid budget", "POST", "/v1/budget", `{"title":"B","tables":[{"title":"T","columns":[{"key":"a","label":"A","formula":"a + b"}],"rows":[]}]}`, 422,
			[]string{"tables[0].columns[0].formula", "tables[0].columns", "tables[0].rows"}, ""},
		{"wrong method", "GET", "/v1/agenda", ``, 405, nil, ""},
		{"no such endpoint", "GET", "/v2/agenda", ``, 404, nil, ""},
		{"unknown template lists the sets", "POST", "/v1/agenda?template=helsingor", valid, 404, nil, "the sets are compact, default"},
		{"every bad parameter at once", "POST", "/v1/agenda?lang=fr&public=ja&colour=red&format=pdf", valid, 400,
			[]string{"lang", "public", "colour", "format"}, "4 problems"},
		{"format is for budgets", "POST", "/v1/minutes?format=pdf", valid, 400, []string{"format"}, "is not a parameter of /v1/minutes"},
		{"not JSON", "POST", "/v1/agenda", valid, 415, nil, "Content-Type: application/json"},
		{"compact has no budget template", "POST", "/v1/budget?format=pdf&template=compact", `{}`, 404, nil, "no budget template"},
		{"trailing slash is not redirected", "POST", "/v2/agenda/", ``, 404, nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			header := []string{}
			if tt.status == 415 {
				header = []string{"Content-Type", "application/x-www-form-urlencoded"}
			}
			w := do(t, s, tt.method, tt.target, []byte(tt.body), header...)
			if w.Code != tt.status {
				t.Fatalf("status %d, want %d: %s", w.Code, tt.status, w.Body)
			}
			p := problem(t, w)
			named := map[string]bool{}
			for _, fe := range p.Errors {
				named[fe.Field] = true
			}
			for _, f := range tt.fields {
				if !named[f] {
					t.Errorf("no error names %q: %+v", f, p.Errors)
				}
			}
			if !strings.Contains(p.Detail, tt.detail) {
				t.Errorf("detail %q lacks %q", p.Detail, tt.detail)
			}
		})
	}
}

func TestOverloadIsRefusedFast(t *testing.T) {
	cfg := testConfig()
	cfg.MaxConcurrent, cfg.QueueLength = 1, 0
	s := newServer(t, cfg)
	// a render in flight holds the one ticket and the one slot
	if err := s.lim.admit(); err != nil {
		t.Fatal(err)
	}
	if err := s.lim.acquire(context.Background(), 0); err != nil {
		t.Fatal(err)
	}
	w := do(t, s, "POST", "/v1/agenda", fixture(t, examples.Meeting))
	if w.Code != 503 || w.Header().Get("Retry-After") == "" {
		t.Fatalf("status %d, Retry-After %q", w.Code, w.Header().Get("Retry-After"))
	}
	problem(t, w)
	s.lim.release(0)
	s.lim.leave()
	if w := do(t, s, "POST", "/v1/agenda", fixture(t, examples.Meeting)); w.Code != 200 {
		t.Fatalf("after the slot was freed: %d", w.Code)
	}
	m := do(t, s, "GET", "/metrics", nil).Body.String()
	for _, want := range []string{"protokol_queue_refusals_total 1", `protokol_render_duration_seconds_count{document="agenda",template="default"} 1`,
		`protokol_errors_total{class="overloaded"} 1`, `protokol_pages_total{document="agenda"}`, "protokol_renders_in_flight 0"} {
		if !strings.Contains(m, want) {
			t.Errorf("metrics lack %q", want)
		}
	}
}

func TestQueueWaitsForASlot(t *testing.T) {
	cfg := testConfig()
	cfg.MaxConcurrent, cfg.QueueLength, cfg.QueueWait = 1, 1, 5*time.Second
	s := newServer(t, cfg)
	if err := s.lim.admit(); err != nil {
		t.Fatal(err)
	}
	if err := s.lim.acquire(context.Background(), 0); err != nil {
		t.Fatal(err)
	}
	go func() { time.Sleep(50 * time.Millisecond); s.lim.release(0); s.lim.leave() }()
	if w := do(t, s, "POST", "/v1/agenda", fixture(t, examples.Meeting)); w.Code != 200 {
		t.Fatalf("a queued request should get the slot: %d %s", w.Code, w.Body)
	}
}

func TestSlowSlotIsRefusedAfterTheWait(t *testing.T) {
	cfg := testConfig()
	cfg.MaxConcurrent, cfg.QueueLength, cfg.QueueWait = 1, 1, 30*time.Millisecond
	s := newServer(t, cfg)
	if err := s.lim.acquire(context.Background(), 0); err != nil {
		t.Fatal(err)
	}
	defer s.lim.release(0)
	w := do(t, s, "POST", "/v1/agenda", fixture(t, examples.Meeting))
	if w.Code != 503 || w.Header().Get("Retry-After") == "" {
		t.Fatalf("status %d", w.Code)
	}
}

func TestHealthAndReadiness(t *testing.T) {
	s := newServer(t, testConfig())
	if w := do(t, s, "GET", "/healthz", nil); w.Code != 200 {
		t.Errorf("healthz %d", w.Code)
	}
	if w := do(t, s, "GET", "/readyz", nil); w.Code != 200 {
		t.Errorf("readyz %d", w.Code)
	}
	s.SetReady(false)
	if w := do(t, s, "GET", "/readyz", nil); w.Code != 503 {
		t.Errorf("readyz while draining: %d", w.Code)
	}
	var list struct {
		Templates []tmpl.SetInfo `json:"templates"`
	}
	w := do(t, s, "GET", "/v1/templates", nil)
	if err := json.Unmarshal(w.Body.Bytes(), &list); err != nil || len(list.Templates) < 2 || list.Templates[1].Name != "default" ||
		fmt.Sprint(list.Templates[1].Kinds) != "[agenda minutes decisions budget]" {
		t.Errorf("templates: %s", w.Body)
	}
}

func TestPanicBecomesA500WithoutDetails(t *testing.T) {
	s := newServer(t, testConfig())
	g := gin.New()
	g.Use(s.observe, s.recoverPanics)
	g.GET("/boom", func(c *gin.Context) { panic("secret internal state /etc/passwd") })
	w := httptest.NewRecorder()
	g.ServeHTTP(w, httptest.NewRequest("GET", "/boom", nil))
	if w.Code != 500 || strings.Contains(w.Body.String(), "secret") || strings.Contains(w.Body.String(), "goroutine") {
		t.Fatalf("status %d body %s", w.Code, w.Body)
	}
	problem(t, w)
}

// TestInFlightRequestsFinishOnShutdown cancels the server while a large
// render runs: the request still gets its whole document.
func TestInFlightRequestsFinishOnShutdown(t *testing.T) {
	s := newServer(t, testConfig())
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Serve(ctx, ln, nil) }()

	var body bytes.Buffer
	body.WriteString(`{"title":"Stort","tables":[{"title":"T","columns":[{"key":"a","label":"A"}],"rows":[`)
	for i := range 6000 {
		if i > 0 {
			body.WriteByte(',')
		}
		body.WriteString(`{"label":"Linje","values":{"a":1}}`)
	}
	body.WriteString(`]}]}`)
	type result struct {
		status int
		n      int
		err    error
	}
	res := make(chan result, 1)
	go func() {
		resp, err := http.Post("http://"+ln.Addr().String()+"/v1/budget?format=pdf", "application/json", &body)
		if err != nil {
			res <- result{err: err}
			return
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		res <- result{resp.StatusCode, len(b), err}
	}()
	// wait until the render is in flight, then shut down
	for deadline := time.Now().Add(5 * time.Second); s.lim.inFlight() == 0; {
		if time.Now().After(deadline) {
			t.Fatal("the render never started")
		}
		time.Sleep(time.Millisecond)
	}
	cancel()
	r := <-res
	if r.err != nil || r.status != 200 || r.n < 10000 {
		t.Fatalf("in-flight request: status %d, %d bytes, %v", r.status, r.n, r.err)
	}
	if s.ready.Load() {
		t.Error("readiness should have turned off")
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}

func TestSIGHUPReloadsTemplates(t *testing.T) {
	dir := t.TempDir()
	cfg := testConfig()
	cfg.TemplateDir = dir
	s := newServer(t, cfg)
	hup := make(chan os.Signal, 1)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go s.watchTemplates(ctx, hup)
	if err := os.MkdirAll(dir+"/helsingor", 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(dir+"/helsingor/agenda.md.tmpl", []byte("# {{.DocumentName}}\n\nBeslutninger"), 0o644); err != nil {
		t.Fatal(err)
	}
	hup <- syscall.SIGHUP
	for deadline := time.Now().Add(5 * time.Second); ; {
		if w := do(t, s, "POST", "/v1/agenda?template=helsingor", fixture(t, examples.Meeting)); w.Code == 200 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the new set was not loaded after SIGHUP")
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// due makes the next get look at the files, as if a second had passed
// since the last look.
func (w *watched[T]) due() {
	w.mu.Lock()
	w.lastCheck = time.Time{}
	w.mu.Unlock()
}
