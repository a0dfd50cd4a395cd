package seal_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"math/big"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"software.sslmate.com/src/go-pkcs12"

	"protokol/internal/seal"
	"protokol/internal/seal/sealtest"
)

// sealedBytes is a minimal "file" sealed as the PDF writer seals one: a
// byte range and a /Contents placeholder, patched in.
func sealedBytes(t testing.TB, s *seal.Signer) []byte {
	t.Helper()
	const room = 16 << 10
	head := []byte("%PDF-1.7\n1 0 obj\n<</Type /Sig /M (D:20170112091400+01'00') /ByteRange [0 AAAAAAAAAA BBBBBBBBBB CCCCCCCCCC] /Contents ")
	tail := []byte(">>\nendobj\ntrailer\n<<>>\n%%EOF\n")
	from := len(head)
	to := from + 2 + 2*room
	b := append(append(append(bytes.Clone(head), '<'), bytes.Repeat([]byte("0"), 2*room)...), '>')
	b = append(b, tail...)
	br := fmt.Sprintf("%010d %010d %010d", from, to, len(b)-to)
	copy(b[bytes.Index(b, []byte("AAAA")):], br)
	h := sha256.New()
	h.Write(b[:from])
	h.Write(b[to:])
	cms, err := s.Sign(context.Background(), h.Sum(nil))
	if err != nil {
		t.Fatal(err)
	}
	hexed := fmt.Sprintf("%X", cms)
	copy(b[from+1:], hexed)
	return b
}

func TestSignAndVerify(t *testing.T) {
	ca := sealtest.NewCA(t, "Root")
	roots := x509.NewCertPool()
	roots.AddCert(ca.Cert)
	for _, kind := range []string{"rsa", "ecdsa"} {
		b := sealedBytes(t, ca.Signer(t, "Aarhus Kommune", kind))
		rep, err := seal.Verify(t.Context(), b, &seal.Trust{Roots: roots})
		if err != nil || len(rep.Seals) != 1 || !rep.Seals[0].Valid() {
			t.Fatalf("%s: %+v %v", kind, rep, err)
		}
		s := rep.Seals[0]
		want := time.Date(2017, 1, 12, 9, 14, 0, 0, time.FixedZone("", 3600))
		if s.TimeSource != "claimed" || !s.Time.Equal(want) {
			t.Errorf("%s: the claimed time %v (%s), not %v", kind, s.Time, s.TimeSource, want)
		}
		// another CA is not trusted
		other := x509.NewCertPool()
		other.AddCert(sealtest.NewCA(t, "Other").Cert)
		if rep, _ := seal.Verify(t.Context(), b, &seal.Trust{Roots: other}); rep.Seals[0].Trusted || !rep.Seals[0].Intact {
			t.Errorf("%s: trusted by another CA: %+v", kind, rep.Seals[0])
		}
	}
}

// A file without a seal says so; hostile byte ranges and contents are
// problems, never a panic or a read outside the file.
func TestVerifyHostile(t *testing.T) {
	rep, err := seal.Verify(t.Context(), []byte("%PDF-1.7\n%%EOF\n"), nil)
	if err != nil || len(rep.Seals) != 0 {
		t.Errorf("unsealed: %+v %v", rep, err)
	}
	for _, b := range []string{
		"/ByteRange [0 10 5 3] /Contents <00>",             // ranges out of order
		"/ByteRange [0 99999999999 0 0]",                   // past the end
		"/ByteRange [0 5 6 999999999999999999999999]",      // a number too long
		"/ByteRange [0 -5 6 7]",                            // negative
		"/ByteRange [0 1 3 28] <zz>",                       // no hex
		"/ByteRange [0 1 3 29] <3082>",                     // DER cut short
		"/ByteRange",                                       // nothing after
		strings.Repeat("/ByteRange [0 0 0 0] ", 40),        // too many
		"/ByteRange [0 16 18 0]<308080808080808080808080>", // indefinite lengths
	} {
		rep, _ := seal.Verify(t.Context(), []byte(b), nil)
		for _, s := range rep.Seals {
			if s.Intact || s.Valid() {
				t.Errorf("%q: %+v", b, s)
			}
		}
	}
}

// FuzzVerify: no input makes verify panic or hang, with anchors and a
// revocation list (so the chains, timestamps and lists of a mutated seal
// are walked too); noise is never intact.
func FuzzVerify(f *testing.F) {
	ca := sealtest.NewCA(f, "Root")
	signer := ca.Signer(f, "Aarhus Kommune", "ecdsa")
	trust := &seal.Trust{Roots: x509.NewCertPool()}
	trust.Roots.AddCert(ca.Cert)
	crl, err := x509.ParseRevocationList(ca.CRL(f, time.Now().Add(time.Hour), map[*x509.Certificate]time.Time{signer.Cert: time.Now()}))
	if err != nil {
		f.Fatal(err)
	}
	trust.CRLs = []*x509.RevocationList{crl}
	stamped := *signer
	stamped.TSA = &seal.TSA{URL: sealtest.NewTSA(f, ca).URL}
	f.Add([]byte("/ByteRange [0 1 3 0] <3000>"))
	f.Add([]byte("/ByteRange [0 0 0 0]"))
	f.Add(sealedBytes(f, signer))
	f.Add(sealedBytes(f, &stamped))
	f.Fuzz(func(t *testing.T, b []byte) {
		rep, _ := seal.Verify(context.Background(), b, trust)
		for _, s := range rep.Seals {
			// intact only from a seal of the seeds (their signer is in the hex)
			if s.Intact && !bytes.Contains(b, fmt.Appendf(nil, "%X", "Aarhus Kommune")) {
				t.Fatalf("intact from noise: %q", b)
			}
		}
	})
}

// A key file every user may read is refused; a key that is not the
// certificate's is refused; no error quotes the key.
func TestLoadPEM(t *testing.T) {
	ca := sealtest.NewCA(t, "Root")
	dir := t.TempDir()
	certPath, keyPath := sealtest.WriteSigner(t, dir, ca.Signer(t, "Vejle Kommune", "ecdsa"))
	s, err := seal.LoadPEM(certPath, keyPath)
	if err != nil || len(s.Chain) != 1 || s.Cert.Subject.CommonName != "Vejle Kommune" {
		t.Fatalf("%+v %v", s, err)
	}
	if err := os.Chmod(keyPath, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := seal.LoadPEM(certPath, keyPath); err == nil || !strings.Contains(err.Error(), "may be read by every user") {
		t.Errorf("a key readable by all: %v", err)
	}
	if err := os.Chmod(keyPath, 0o640); err != nil {
		t.Fatal(err)
	}
	if _, err := seal.LoadPEM(certPath, keyPath); err != nil {
		t.Errorf("a key readable by the group: %v", err)
	}
	// another key
	_, otherKey := sealtest.WriteSigner(t, t.TempDir(), ca.Signer(t, "Other", "ecdsa"))
	if _, err := seal.LoadPEM(certPath, otherKey); err == nil || !strings.Contains(err.Error(), "not the certificate's") {
		t.Errorf("another key: %v", err)
	}
	// a damaged key: the error names the file, not its bytes
	secret := "U0VDUkVULUtFWS1NQVRFUklBTA"
	bad := filepath.Join(dir, "bad.key")
	if err := os.WriteFile(bad, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: []byte(secret + "xxxxxxxxxxxxxxxxxx")}), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err = seal.LoadPEM(certPath, bad)
	if err == nil || strings.Contains(err.Error(), secret) || strings.Contains(err.Error(), "U0VD") {
		t.Errorf("a damaged key: %v", err)
	}
}

// PKCS#12 as the issuers deliver it (AES-256, PBKDF2: OpenSSL 3's
// default, which golang.org/x/crypto/pkcs12 cannot read), with the
// password from a file.
func TestLoadPKCS12(t *testing.T) {
	ca := sealtest.NewCA(t, "Root")
	s := ca.Signer(t, "Kolding Kommune", "rsa")
	p12, err := pkcs12.Modern.Encode(s.Key, s.Cert, s.Chain, "hemmeligt")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	path, pwFile := filepath.Join(dir, "seal.p12"), filepath.Join(dir, "password")
	if err := os.WriteFile(path, p12, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(pwFile, []byte("hemmeligt\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	pw, err := seal.ReadPassword(pwFile)
	if err != nil || pw != "hemmeligt" {
		t.Fatalf("%q %v", pw, err)
	}
	got, err := seal.LoadPKCS12(path, pw)
	if err != nil || got.Cert.Subject.CommonName != "Kolding Kommune" || len(got.Chain) != 1 {
		t.Fatalf("%+v %v", got, err)
	}
	if _, err := seal.LoadPKCS12(path, "forkert"); err == nil || !strings.Contains(err.Error(), "password is wrong") || strings.Contains(err.Error(), "forkert") {
		t.Errorf("a wrong password: %v", err)
	}
}

// A timestamp authority that answers another request, refuses, or
// answers too much is an error, not a seal with a wrong time.
func TestTimestampAuthorityAnswers(t *testing.T) {
	ca := sealtest.NewCA(t, "Root")
	tsa := sealtest.NewTSA(t, ca)
	good := &seal.TSA{URL: tsa.URL}
	if _, err := good.Stamp(t.Context(), []byte("signature")); err != nil {
		t.Fatalf("a good authority: %v", err)
	}
	// replays an answer to another request
	other, err := seal.TimeStampRequest([]byte("another signature"), big.NewInt(7))
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.Post(tsa.URL, "application/timestamp-query", bytes.NewReader(other))
	if err != nil {
		t.Fatal(err)
	}
	var replay bytes.Buffer
	_, _ = replay.ReadFrom(resp.Body)
	resp.Body.Close()
	for name, h := range map[string]http.HandlerFunc{
		"replay": func(w http.ResponseWriter, r *http.Request) { _, _ = w.Write(replay.Bytes()) },
		"refusal": func(w http.ResponseWriter, r *http.Request) {
			_, _ = w.Write([]byte{0x30, 0x05, 0x30, 0x03, 0x02, 0x01, 0x02})
		},
		"garbage":   func(w http.ResponseWriter, r *http.Request) { _, _ = w.Write([]byte("<html>")) },
		"too large": func(w http.ResponseWriter, r *http.Request) { _, _ = w.Write(make([]byte, 1<<20)) },
		"500":       func(w http.ResponseWriter, r *http.Request) { http.Error(w, "down", 500) },
	} {
		srv := httptest.NewServer(h)
		if _, err := (&seal.TSA{URL: srv.URL}).Stamp(t.Context(), []byte("signature")); err == nil {
			t.Errorf("%s: no error", name)
		}
		srv.Close()
	}
	// one that never answers: the timeout ends it
	stop := make(chan struct{})
	hang := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { <-stop }))
	defer hang.Close()
	defer close(stop)
	if _, err := (&seal.TSA{URL: hang.URL, Timeout: 50 * time.Millisecond}).Stamp(t.Context(), []byte("s")); err == nil {
		t.Error("a hanging authority: no error")
	}
}

// The cost of sealing, RSA-3072 and ECDSA P-256 (the signature only; a
// render's own cost is in package render's benchmarks).
func BenchmarkSign(b *testing.B) {
	ca := sealtest.NewCA(b, "Root")
	digest := sha256.Sum256([]byte("file"))
	for _, kind := range []string{"rsa", "ecdsa"} {
		s := ca.Signer(b, "Odense Kommune", kind)
		b.Run(kind, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := s.Sign(context.Background(), digest[:]); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// The cost of verifying a seal against a national CA's size of
// revocation list (200,000 entries, some MiB).
func BenchmarkVerifyWithALargeCRL(b *testing.B) {
	ca := sealtest.NewCA(b, "Root")
	signer := ca.Signer(b, "Odense Kommune", "ecdsa")
	entries := make([]x509.RevocationListEntry, 200_000)
	for i := range entries {
		entries[i] = x509.RevocationListEntry{SerialNumber: big.NewInt(int64(1_000_000 + i)), RevocationTime: time.Now().Add(-time.Hour)}
	}
	der := ca.CRLOf(b, time.Now().Add(time.Hour), entries)
	crl, err := x509.ParseRevocationList(der)
	if err != nil {
		b.Fatal(err)
	}
	trust := &seal.Trust{Roots: x509.NewCertPool(), CRLs: []*x509.RevocationList{crl}}
	trust.Roots.AddCert(ca.Cert)
	pdf := sealedBytes(b, signer)
	b.ReportMetric(float64(len(der))/(1<<20), "MiB-list")
	b.ReportAllocs()
	for b.Loop() {
		rep, err := seal.Verify(context.Background(), pdf, trust)
		if err != nil || !rep.Seals[0].Valid() || rep.Seals[0].Revocation != seal.RevocationGood {
			b.Fatalf("%v %+v", err, rep)
		}
	}
}

// A timestamp proves a time only when its authority is trusted: an
// expired certificate is not made valid by a timestamp anyone could
// make, and is by one from a trusted authority made while it was valid.
func TestOnlyATrustedTimestampProvesTheTime(t *testing.T) {
	ca, rogue := sealtest.NewCA(t, "Root"), sealtest.NewCA(t, "Rogue")
	trust := &seal.Trust{Roots: x509.NewCertPool()}
	trust.Roots.AddCert(ca.Cert)
	valid := time.Date(2011, 6, 1, 12, 0, 0, 0, time.UTC)
	signer := ca.SignerBetween(t, "Aarhus Kommune", time.Date(2010, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2012, 1, 1, 0, 0, 0, 0, time.UTC))
	for _, c := range []struct {
		name          string
		tsa           *sealtest.CA
		proven, valid bool
		problem       string
	}{
		{"no timestamp: checked as of now, expired", nil, false, false, "expired"},
		{"a rogue authority's timestamp", rogue, false, false, "the timestamp's authority does not chain to a trust anchor"},
		{"a trusted authority's timestamp", ca, true, true, ""},
	} {
		s := *signer
		if c.tsa != nil {
			tsa := sealtest.NewTSA(t, c.tsa)
			tsa.At = valid
			s.TSA = &seal.TSA{URL: tsa.URL}
		}
		rep, err := seal.Verify(t.Context(), sealedBytes(t, &s), trust)
		if err != nil || len(rep.Seals) != 1 {
			t.Fatalf("%s: %v %+v", c.name, err, rep)
		}
		got := rep.Seals[0]
		if got.TimeProven != c.proven || got.Valid() != c.valid || !got.Intact || !strings.Contains(strings.Join(got.Problems, "; "), c.problem) {
			t.Errorf("%s: %+v", c.name, got)
		}
	}
}

// Revocation lists: a seal whose certificate was revoked fails unless a
// trusted timestamp shows it older than the revocation; a list not
// signed by the issuer (same name, other key) or out of date says
// nothing; lists load from PEM and DER.
func TestRevocation(t *testing.T) {
	ca := sealtest.NewCA(t, "Root")
	impostor := sealtest.NewCA(t, "Root") // the same name, another key
	tsa := sealtest.NewTSA(t, ca)         // stamps 2017-01-12
	signer := ca.Signer(t, "Vejle Kommune", "ecdsa")
	plain := sealedBytes(t, signer)
	stamped := *signer
	stamped.TSA = &seal.TSA{URL: tsa.URL}
	timestamped := sealedBytes(t, &stamped)
	later, earlier := time.Date(2020, 3, 1, 0, 0, 0, 0, time.UTC), time.Date(2016, 3, 1, 0, 0, 0, 0, time.UTC)
	soon, past := time.Now().Add(30*24*time.Hour), time.Now().Add(-24*time.Hour)
	for _, c := range []struct {
		name    string
		crl     []byte
		pdf     []byte
		state   string
		trusted bool
	}{
		{"not listed", ca.CRL(t, soon, nil), plain, seal.RevocationGood, true},
		{"revoked, no timestamp", ca.CRL(t, soon, map[*x509.Certificate]time.Time{signer.Cert: later}), plain, seal.RevocationRevoked, false},
		{"revoked after the timestamp", ca.CRL(t, soon, map[*x509.Certificate]time.Time{signer.Cert: later}), timestamped, seal.RevocationRevoked, true},
		{"revoked before the timestamp", ca.CRL(t, soon, map[*x509.Certificate]time.Time{signer.Cert: earlier}), timestamped, seal.RevocationRevoked, false},
		{"an impostor's list", impostor.CRL(t, soon, map[*x509.Certificate]time.Time{signer.Cert: earlier}), plain, seal.RevocationUnknown, true},
		{"an out-of-date list", ca.CRL(t, past, nil), plain, seal.RevocationUnknown, true},
	} {
		dir := t.TempDir()
		crlFile := filepath.Join(dir, "crl.der")
		if err := os.WriteFile(crlFile, c.crl, 0o644); err != nil {
			t.Fatal(err)
		}
		trust, err := seal.LoadTrust(ca.WritePEM(t, dir), crlFile)
		if err != nil {
			t.Fatal(err)
		}
		rep, err := seal.Verify(t.Context(), c.pdf, trust)
		if err != nil || len(rep.Seals) != 1 {
			t.Fatalf("%s: %v %+v", c.name, err, rep)
		}
		s := rep.Seals[0]
		if s.Revocation != c.state || s.Trusted != c.trusted || (c.state == seal.RevocationRevoked) == s.RevokedAt.IsZero() {
			t.Errorf("%s: %+v", c.name, s)
		}
	}
	// PEM, several lists in a file; lists without anchors are refused
	dir := t.TempDir()
	var pemLists []byte
	for _, l := range [][]byte{impostor.CRL(t, time.Now().Add(time.Hour), nil), ca.CRL(t, time.Now().Add(time.Hour), map[*x509.Certificate]time.Time{signer.Cert: later})} {
		pemLists = append(pemLists, pem.EncodeToMemory(&pem.Block{Type: "X509 CRL", Bytes: l})...)
	}
	crlFile := filepath.Join(dir, "crls.pem")
	if err := os.WriteFile(crlFile, pemLists, 0o644); err != nil {
		t.Fatal(err)
	}
	trust, err := seal.LoadTrust(ca.WritePEM(t, dir), crlFile)
	if err != nil || len(trust.CRLs) != 2 {
		t.Fatalf("PEM lists: %v", err)
	}
	if rep, _ := seal.Verify(t.Context(), plain, trust); rep.Seals[0].Revocation != seal.RevocationRevoked {
		t.Errorf("PEM lists: %+v", rep.Seals[0])
	}
	if _, err := seal.LoadTrust("", crlFile); err == nil || !strings.Contains(err.Error(), "give --trust too") {
		t.Errorf("lists without anchors: %v", err)
	}
	if _, err := seal.LoadTrust(ca.WritePEM(t, dir), ca.WritePEM(t, dir)); err == nil || !strings.Contains(err.Error(), "no revocation list in it") {
		t.Errorf("a certificate as a list: %v", err)
	}
}
