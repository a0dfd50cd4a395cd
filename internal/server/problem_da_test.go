package server

import (
	"bytes"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"protokol/internal/srctest"
)

// Every answer's title has its Danish, and every detail the service
// writes itself has its Danish beside it (read from the source, so a new
// one without fails here); a detail that is another part's text (a
// template's error, a render's reason) may stay English.
func TestEveryProblemHasItsDanish(t *testing.T) {
	title := regexp.MustCompile(`Title: "([^"]+)"`)
	for f, src := range srctest.Files(t) {
		for _, m := range title.FindAllStringSubmatch(src, -1) {
			if danishTitles[m[1]] == "" {
				t.Errorf("%s: no Danish title for %q", f, m[1])
			}
		}
		for i := strings.Index(src, "&Problem{"); i >= 0; i = next(src, i) {
			lit := literal(src[i:])
			own := strings.Contains(lit, `Detail: "`) || strings.Contains(lit, "Detail: fmt.Sprintf(") || strings.Contains(lit, `Detail: c.Request`)
			if own && !strings.Contains(lit, "da:") && !strings.Contains(lit, "ve:") {
				t.Errorf("%s: a detail without its Danish: %s", f, lit)
			}
		}
	}
}

func next(src string, i int) int {
	j := strings.Index(src[i+1:], "&Problem{")
	if j < 0 {
		return -1
	}
	return i + 1 + j
}

// literal is the composite literal src begins with, to its closing brace.
func literal(src string) string {
	depth := 0
	for i, r := range src {
		switch r {
		case '{':
			depth++
		case '}':
			if depth--; depth == 0 {
				return src[:i+1]
			}
		}
	}
	return src
}

// A client that reads Danish gets the service's own answers in Danish;
// others, English.
func TestProblemsInDanishWhenAsked(t *testing.T) {
	cfg := testConfig()
	cfg.BodyLimit = 1 << 10
	s := newServer(t, cfg)
	for _, c := range []struct {
		method, path, ct string
		body             []byte
		title, detail    string
	}{
		{"GET", "/v1/nothing", "", nil, "Ikke fundet", "intet sådant endpoint; se /openapi.json"},
		{"DELETE", "/v1/agenda", "", nil, "Metoden er ikke tilladt", "DELETE er ikke tilladt her"},
		{"POST", "/v1/verify", "application/json", []byte("{}"), "Indholdstypen understøttes ikke", "indholdet er den PDF, der skal tjekkes (Content-Type: application/pdf)"},
		{"POST", "/v1/agenda", "application/json", bytes.Repeat([]byte(" "), 2<<10), "Forespørgslen er for stor", "forespørgslen er større end grænsen på 1024 bytes"},
	} {
		w := do(t, s, c.method, c.path, c.body, "Content-Type", c.ct, "Accept-Language", "da-DK,da;q=0.9,en;q=0.8")
		if !strings.Contains(w.Body.String(), `"title":"`+c.title+`"`) || !strings.Contains(w.Body.String(), `"detail":"`+c.detail+`"`) {
			t.Errorf("%s %s in Danish: %d %s", c.method, c.path, w.Code, w.Body)
		}
		if w := do(t, s, c.method, c.path, c.body, "Content-Type", c.ct); strings.Contains(w.Body.String(), c.title) || w.Code == http.StatusOK {
			t.Errorf("%s %s without Accept-Language: %d %s", c.method, c.path, w.Code, w.Body)
		}
	}
}
