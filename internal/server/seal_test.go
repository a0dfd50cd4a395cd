package server

import (
	"crypto/x509"
	"encoding/json"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

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
	return newServerWith(t, cfg, render.Config{Seal: ca.Signer(t, "Odense Kommune", "ecdsa")})
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
	if bad := report(bad, "application/octet-stream"); len(bad.Seals) != 1 || bad.Seals[0].Intact || !slices.Contains(bad.Seals[0].Problems, "the signed bytes have changed (the digest differs)") {
		t.Errorf("tampered: %+v", bad)
	}
	// in Danish when asked
	w = do(t, s, "POST", "/v1/verify?lang=da", bad, "Content-Type", "application/pdf")
	if !strings.Contains(w.Body.String(), "de signerede bytes er ændret (hashværdien passer ikke)") {
		t.Errorf("tampered, in Danish: %s", w.Body)
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
	m := do(t, s, "GET", "/metrics", nil).Body.String() // the tampered file was checked twice
	for _, want := range []string{`protokol_seals_total{outcome="sealed"} 1`, `protokol_verifications_total{outcome="valid"} 1`,
		`protokol_verifications_total{outcome="invalid"} 2`, `protokol_verifications_total{outcome="unsealed"} 1`} {
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

// The revocation lists (--crl) are read again when their file changes:
// a seal good under today's list is reported revoked once the next list
// names its certificate, without a restart; a broken list keeps the last
// good one.
func TestVerifyReadsANewRevocationList(t *testing.T) {
	ca := sealtest.NewCA(t, "Protokol Test Root")
	signer := ca.Signer(t, "Odense Kommune", "ecdsa")
	dir := t.TempDir()
	cfg := testConfig()
	cfg.Seal.Trust = ca.WritePEM(t, dir)
	cfg.Seal.CRL = filepath.Join(dir, "crl.der")
	writeCRL := func(b []byte) {
		t.Helper()
		if err := os.WriteFile(cfg.Seal.CRL, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	writeCRL(ca.CRL(t, time.Now().Add(time.Hour), nil))
	r, err := render.New(render.Config{Templates: templates.FS, Seal: signer})
	if err != nil {
		t.Fatal(err)
	}
	var logged strings.Builder
	s, err := New(cfg, r, slog.New(slog.NewTextHandler(&logged, nil)))
	if err != nil {
		t.Fatal(err)
	}
	pdf := do(t, s, "POST", "/v1/minutes?seal=true", examples.Read(examples.Minutes)).Body.Bytes()
	verify := func() seal.Seal {
		t.Helper()
		s.trust.due()
		var rep seal.Report
		w := do(t, s, "POST", "/v1/verify", pdf, "Content-Type", "application/pdf")
		if err := json.Unmarshal(w.Body.Bytes(), &rep); err != nil || len(rep.Seals) != 1 {
			t.Fatalf("verify: %d %s", w.Code, w.Body)
		}
		return rep.Seals[0]
	}
	if got := verify(); got.Revocation != seal.RevocationGood || !got.Valid() {
		t.Errorf("today's list: %+v", got)
	}
	writeCRL(ca.CRL(t, time.Now().Add(2*time.Hour), map[*x509.Certificate]time.Time{signer.Cert: time.Now().Add(-time.Minute)}))
	if got := verify(); got.Revocation != seal.RevocationRevoked || got.Valid() {
		t.Errorf("the next list: %+v", got)
	}
	writeCRL([]byte("not a list at all"))
	if got := verify(); got.Revocation != seal.RevocationRevoked || strings.Count(logged.String(), "the last good one stays in use") != 1 {
		t.Errorf("a broken list: %+v\n%s", got, logged.String())
	}
	// the same broken file is not read (or logged) again
	if got := verify(); got.Revocation != seal.RevocationRevoked || strings.Count(logged.String(), "the last good one stays in use") != 1 {
		t.Errorf("a broken list, asked again: %+v\n%s", got, logged.String())
	}
}
