package server

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/pem"
	"fmt"
	"math/big"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"
)

func authFiles(t *testing.T, token, user, pass string) (tokens, users string) {
	t.Helper()
	dir := t.TempDir()
	tokens, users = filepath.Join(dir, "tokens"), filepath.Join(dir, "users")
	writeToken(t, tokens, token)
	hash, err := bcrypt.GenerateFromPassword([]byte(pass), bcrypt.MinCost)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(users, []byte("# people\n"+user+":"+string(hash)+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	return tokens, users
}

func writeToken(t *testing.T, path, token string) {
	t.Helper()
	if err := os.WriteFile(path, fmt.Appendf(nil, "sha256:%x  the case system\n", sha256.Sum256([]byte(token))), 0o600); err != nil {
		t.Fatal(err)
	}
}

// With authentication on, a walk over the route table: every route but
// the probes (and /metrics, unless --auth-metrics) answers 401 with a
// challenge for both schemes, without reading a body; a good token or
// user gets through, a bad one is counted by reason and logged without
// the secret.
func TestAuthenticationGuardsEveryRouteButTheProbes(t *testing.T) {
	const token, user, pass = "tok-ABCdef0123456789", "anne", "hemmeligt kodeord"
	for _, metricsClosed := range []bool{false, true} {
		cfg := testConfig()
		cfg.AuthTokensFile, cfg.AuthUsersFile = authFiles(t, token, user, pass)
		cfg.AuthMetrics = metricsClosed
		s := newServer(t, cfg)
		for _, rt := range s.routes() {
			w := do(t, s, rt.method, rt.path, []byte(`{}`))
			open := rt.open || rt.metrics && !metricsClosed
			if open != (w.Code != http.StatusUnauthorized) {
				t.Errorf("%s %s (auth metrics %v): %d", rt.method, rt.path, metricsClosed, w.Code)
			}
			if w.Code == http.StatusUnauthorized {
				ch := w.Header().Values("WWW-Authenticate")
				if len(ch) != 2 || !strings.HasPrefix(ch[0], "Bearer ") || !strings.HasPrefix(ch[1], "Basic ") {
					t.Errorf("%s %s: WWW-Authenticate %q", rt.method, rt.path, ch)
				}
			}
		}
	}
	cfg := testConfig()
	cfg.AuthTokensFile, cfg.AuthUsersFile = authFiles(t, token, user, pass)
	s := newServer(t, cfg)
	basic := "Basic " + base64.StdEncoding.EncodeToString([]byte(user+":"+pass))
	for _, c := range []struct {
		auth string
		want int
	}{
		{"Bearer " + token, 200},
		{"bearer " + token, 200},
		{basic, 200},
		{"Bearer " + token + "x", 401},
		{"Basic " + base64.StdEncoding.EncodeToString([]byte(user+":wrong")), 401},
		{"Basic " + base64.StdEncoding.EncodeToString([]byte("nobody:"+pass)), 401},
		{"Basic !!!", 401},
		{"Digest x", 401},
	} {
		if w := do(t, s, "GET", "/v1/templates", nil, "Authorization", c.auth); w.Code != c.want {
			t.Errorf("%.30s: %d, want %d", c.auth, w.Code, c.want)
		}
	}
	m := metricsText(t, s)
	for _, reason := range []string{"bad_token", "bad_password", "malformed", "wrong_scheme"} {
		if !strings.Contains(m, `protokol_auth_failures_total{reason="`+reason+`"}`) {
			t.Errorf("no failure counted as %s:\n%s", reason, grepLines(m, "auth_failures"))
		}
	}
}

// A token file that changes is read again: a revoked token stops working,
// a new one works, without a restart; a broken file keeps the last good
// set. Nothing of a secret reaches the log.
func TestAuthenticationFilesAreReadAgain(t *testing.T) {
	cfg := testConfig()
	cfg.AuthTokensFile, cfg.AuthUsersFile = authFiles(t, "old-token-1", "anne", "pw")
	var logs syncBuffer
	s := newServer(t, cfg)
	s.auth.creds.log = func(msg string, args ...any) { fmt.Fprintln(&logs, msg, args) }
	get := func(tok string) int {
		s.auth.creds.due()
		return do(t, s, "GET", "/v1/templates", nil, "Authorization", "Bearer "+tok).Code
	}
	if get("old-token-1") != 200 {
		t.Fatal("the first token does not work")
	}
	writeToken(t, cfg.AuthTokensFile, "new-token-22")
	if get("old-token-1") != 401 || get("new-token-22") != 200 {
		t.Error("the changed file was not read again")
	}
	os.WriteFile(cfg.AuthTokensFile, []byte("not a hash line, longer than before\n"), 0o600)
	if get("new-token-22") != 200 {
		t.Error("a broken file replaced the last good set")
	}
	if !strings.Contains(logs.String(), "not reloaded") || strings.Contains(logs.String(), "new-token-22") {
		t.Errorf("the log: %s", logs.String())
	}
	if _, err := newAuthenticator(cfg.AuthTokensFile, "", nil); err == nil || !strings.Contains(err.Error(), "line 1 is not sha256:") {
		t.Errorf("a broken file at start: %v", err)
	}
}

// selfSigned writes a certificate for 127.0.0.1 and its key.
func selfSigned(t *testing.T, certFile, keyFile string, serial int64) *x509.Certificate {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(serial), Subject: pkix.Name{CommonName: "protokol test"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	kb, _ := x509.MarshalPKCS8PrivateKey(key)
	os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600)
	os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: kb}), 0o600)
	c, _ := x509.ParseCertificate(der)
	return c
}

// HTTPS with a certificate read again when its files change: a renewed
// certificate is served to the next connection, and the health probe
// speaks TLS.
func TestTLSCertificateIsReadAgain(t *testing.T) {
	dir := t.TempDir()
	certFile, keyFile := filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	first := selfSigned(t, certFile, keyFile, 1)
	cert, err := newCertificate(certFile, keyFile, func(string, ...any) {})
	if err != nil {
		t.Fatal(err)
	}
	s := newServer(t, testConfig())
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := contextWithCancel()
	defer cancel()
	go s.Serve(ctx, tls.NewListener(ln, cert.tlsConfig()), nil)
	serial := func(trust *x509.Certificate) (int64, error) {
		pool := x509.NewCertPool()
		pool.AddCert(trust)
		c := &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}, DisableKeepAlives: true}}
		resp, err := c.Get("https://" + ln.Addr().String() + "/healthz")
		if err != nil {
			return 0, err
		}
		resp.Body.Close()
		return resp.TLS.PeerCertificates[0].SerialNumber.Int64(), nil
	}
	if n, err := serial(first); err != nil || n != 1 {
		t.Fatalf("serial %d, %v", n, err)
	}
	if err := Probe(ln.Addr().String(), "/healthz", true); err != nil {
		t.Errorf("the health probe over TLS: %v", err)
	}
	second := selfSigned(t, certFile, keyFile, 2)
	cert.due()
	if n, err := serial(second); err != nil || n != 2 {
		t.Errorf("after renewal: serial %d, %v; want the new certificate", n, err)
	}
}

func contextWithCancel() (context.Context, context.CancelFunc) {
	return context.WithCancel(context.Background())
}
