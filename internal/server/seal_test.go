package server

import (
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"

	"protokol/examples"
	"protokol/internal/render"
	"protokol/internal/seal"
	"protokol/internal/seal/sealtest"
	"protokol/templates"
)

// sealedServer is a service with a seal of "Odense Kommune" from a test
// CA, which is also its trust anchor.
func sealedServer(t *testing.T) *Server {
	t.Helper()
	ca := sealtest.NewCA(t, "Protokol Test Root")
	cfg := testConfig()
	cfg.Seal.Trust = ca.WritePEM(t, t.TempDir())
	r, err := render.New(render.Config{Templates: templates.FS, Seal: ca.Signer(t, "Odense Kommune", "ecdsa")})
	if err != nil {
		t.Fatal(err)
	}
	s, err := New(cfg, r, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// seal=true signs minutes; POST /v1/verify answers the four questions
// with the service's anchors (--trust); a tampered file is not intact;
// /metrics counts seals and verifications, and never shows the key.
func TestSealAndVerifyOverHTTP(t *testing.T) {
	s := sealedServer(t)
	w := do(t, s, "POST", "/v1/minutes?seal=true&public=true", examples.Read(examples.Minutes))
	if w.Code != http.StatusOK {
		t.Fatalf("sealed minutes: %d %s", w.Code, w.Body)
	}
	pdf := w.Body.Bytes()
	report := func(b []byte, ct string) seal.Report {
		t.Helper()
		w := do(t, s, "POST", "/v1/verify", b, "Content-Type", ct)
		if w.Code != http.StatusOK {
			t.Fatalf("verify: %d %s", w.Code, w.Body)
		}
		var rep seal.Report
		if err := json.Unmarshal(w.Body.Bytes(), &rep); err != nil {
			t.Fatal(err)
		}
		return rep
	}
	rep := report(pdf, "application/pdf")
	if len(rep.Seals) != 1 || !rep.Seals[0].Valid() || rep.Seals[0].Organization != "Odense Kommune" || rep.Seals[0].Time.IsZero() {
		t.Fatalf("sealed: %+v", rep)
	}
	bad := []byte(strings.Replace(string(pdf), "Odense", "Vejle!", 1))
	if bad := report(bad, "application/octet-stream"); len(bad.Seals) != 1 || bad.Seals[0].Intact {
		t.Errorf("tampered: %+v", bad)
	}
	unsealed := do(t, s, "POST", "/v1/minutes", examples.Read(examples.Minutes)).Body.Bytes()
	if rep := report(unsealed, "application/pdf"); len(rep.Seals) != 0 {
		t.Errorf("unsealed: %+v", rep)
	}
	if w := do(t, s, "POST", "/v1/verify", []byte("{}"), "Content-Type", "application/json"); w.Code != http.StatusUnsupportedMediaType {
		t.Errorf("JSON to verify: %d", w.Code)
	}
	// an agenda is not sealed: 400, naming the parameter
	if w := do(t, s, "POST", "/v1/agenda?seal=true", examples.Read(examples.Meeting)); w.Code != http.StatusBadRequest || !strings.Contains(w.Body.String(), "seal") {
		t.Errorf("a sealed agenda: %d %s", w.Code, w.Body)
	}
	m := do(t, s, "GET", "/metrics", nil).Body.String()
	for _, want := range []string{`protokol_seals_total{outcome="sealed"} 1`, `protokol_verifications_total{outcome="valid"} 1`,
		`protokol_verifications_total{outcome="invalid"} 1`, `protokol_verifications_total{outcome="unsealed"} 1`} {
		if !strings.Contains(m, want) {
			t.Errorf("metrics lack %q", want)
		}
	}
}

// Without a seal configured, seal=true is a 400 before the body is read,
// never a plain file.
func TestSealWithoutASealIsRefused(t *testing.T) {
	s := newServer(t, testConfig())
	w := do(t, s, "POST", "/v1/minutes?seal=true", examples.Read(examples.Minutes))
	if w.Code != http.StatusBadRequest || !strings.Contains(w.Body.String(), "--seal-cert") {
		t.Errorf("%d %s", w.Code, w.Body)
	}
	if w := do(t, s, "POST", "/v1/decisions?seal=maybe", examples.Read(examples.Minutes)); w.Code != http.StatusBadRequest {
		t.Errorf("seal=maybe: %d", w.Code)
	}
}
