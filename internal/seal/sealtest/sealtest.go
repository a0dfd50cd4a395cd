// Package sealtest makes what the seal's tests need and no test may take
// from outside: a certificate authority, a seal certificate and its key,
// and an RFC 3161 timestamp authority served in-process.
package sealtest

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/pem"
	"io"
	"math/big"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"protokol/internal/seal"
)

// CA is a root certificate and its key.
type CA struct {
	Cert *x509.Certificate
	Key  crypto.Signer
}

var serial atomic.Int64

func next() *big.Int { return big.NewInt(1000 + serial.Add(1)) }

// NewCA makes a root CA named name.
func NewCA(t testing.TB, name string) *CA {
	t.Helper()
	key := newKey(t, "ecdsa")
	tmpl := &x509.Certificate{SerialNumber: next(), Subject: pkix.Name{CommonName: name, Organization: []string{"Protokol test"}},
		NotBefore: time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC), NotAfter: time.Date(2099, 1, 1, 0, 0, 0, 0, time.UTC),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageCRLSign}
	return &CA{Cert: issue(t, tmpl, tmpl, key.Public(), key), Key: key}
}

// Issue makes a certificate for an organisation's seal (keyKind "rsa" is
// RSA-3072, "ecdsa" P-256), or with tsa true a timestamp authority's.
func (ca *CA) Issue(t testing.TB, org, keyKind string, tsa bool) (*x509.Certificate, crypto.Signer) {
	t.Helper()
	key := newKey(t, keyKind)
	tmpl := &x509.Certificate{SerialNumber: next(), Subject: pkix.Name{CommonName: org, Organization: []string{org}, SerialNumber: "CVR:12345678-UID:1"},
		NotBefore: time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC), NotAfter: time.Date(2099, 1, 1, 0, 0, 0, 0, time.UTC),
		KeyUsage: x509.KeyUsageDigitalSignature | x509.KeyUsageContentCommitment}
	if tsa {
		tmpl.ExtKeyUsage = []x509.ExtKeyUsage{x509.ExtKeyUsageTimeStamping}
		tmpl.KeyUsage = x509.KeyUsageDigitalSignature
	}
	return issue(t, tmpl, ca.Cert, key.Public(), ca.Key), key
}

// SignerBetween is a seal signer (ECDSA) whose certificate from ca is
// valid only from from to to: an expired one, say.
func (ca *CA) SignerBetween(t testing.TB, org string, from, to time.Time) *seal.Signer {
	t.Helper()
	key := newKey(t, "ecdsa")
	tmpl := &x509.Certificate{SerialNumber: next(), Subject: pkix.Name{CommonName: org, Organization: []string{org}},
		NotBefore: from, NotAfter: to, KeyUsage: x509.KeyUsageDigitalSignature | x509.KeyUsageContentCommitment}
	return &seal.Signer{Cert: issue(t, tmpl, ca.Cert, key.Public(), ca.Key), Chain: []*x509.Certificate{ca.Cert}, Key: key}
}

// CRL is a revocation list of ca (DER), current until next, naming each
// certificate of revoked as revoked at its time.
func (ca *CA) CRL(t testing.TB, next time.Time, revoked map[*x509.Certificate]time.Time) []byte {
	t.Helper()
	var entries []x509.RevocationListEntry
	for c, at := range revoked {
		entries = append(entries, x509.RevocationListEntry{SerialNumber: c.SerialNumber, RevocationTime: at})
	}
	return ca.CRLOf(t, next, entries)
}

// CRLOf is a revocation list of ca (DER) with these entries, current
// until next.
func (ca *CA) CRLOf(t testing.TB, next time.Time, entries []x509.RevocationListEntry) []byte {
	t.Helper()
	l := &x509.RevocationList{Number: big.NewInt(int64(serial.Add(1))), ThisUpdate: next.Add(-24 * time.Hour), NextUpdate: next, RevokedCertificateEntries: entries}
	der, err := x509.CreateRevocationList(rand.Reader, l, ca.Cert, ca.Key)
	if err != nil {
		t.Fatal(err)
	}
	return der
}

// Signer is a seal signer of a new certificate from ca.
func (ca *CA) Signer(t testing.TB, org, keyKind string) *seal.Signer {
	cert, key := ca.Issue(t, org, keyKind, false)
	return &seal.Signer{Cert: cert, Chain: []*x509.Certificate{ca.Cert}, Key: key}
}

// WritePEM writes ca's root as PEM into dir and returns its path (for
// --trust and openssl's -CAfile).
func (ca *CA) WritePEM(t testing.TB, dir string) string {
	t.Helper()
	p := filepath.Join(dir, "ca.pem")
	if err := os.WriteFile(p, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: ca.Cert.Raw}), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// WriteSigner writes s's certificate and chain, and its key (mode 0600),
// as PEM files into dir.
func WriteSigner(t testing.TB, dir string, s *seal.Signer) (certPath, keyPath string) {
	t.Helper()
	var certs []byte
	for _, c := range append([]*x509.Certificate{s.Cert}, s.Chain...) {
		certs = append(certs, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: c.Raw})...)
	}
	der, err := x509.MarshalPKCS8PrivateKey(s.Key)
	if err != nil {
		t.Fatal(err)
	}
	certPath, keyPath = filepath.Join(dir, "seal.pem"), filepath.Join(dir, "seal.key")
	if err := os.WriteFile(certPath, certs, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(keyPath, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	return certPath, keyPath
}

func newKey(t testing.TB, kind string) crypto.Signer {
	t.Helper()
	var k crypto.Signer
	var err error
	if kind == "rsa" {
		k, err = rsa.GenerateKey(rand.Reader, 3072)
	} else {
		k, err = ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	}
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func issue(t testing.TB, tmpl, parent *x509.Certificate, pub crypto.PublicKey, key crypto.Signer) *x509.Certificate {
	t.Helper()
	der, err := x509.CreateCertificate(rand.Reader, tmpl, parent, pub, key)
	if err != nil {
		t.Fatal(err)
	}
	c, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TSA serves RFC 3161 timestamps signed by a certificate from ca, all at
// the time At; Requests counts them.
type TSA struct {
	*httptest.Server
	At       time.Time
	Requests atomic.Int32
}

// NewTSA starts a timestamp authority; it stops with the test.
func NewTSA(t testing.TB, ca *CA) *TSA {
	cert, key := ca.Issue(t, "Protokol test TSA", "ecdsa", true)
	signer := &seal.Signer{Cert: cert, Chain: []*x509.Certificate{ca.Cert}, Key: key}
	tsa := &TSA{At: time.Date(2017, 1, 12, 10, 0, 0, 0, time.UTC)}
	tsa.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		tsa.Requests.Add(1)
		req, err := io.ReadAll(io.LimitReader(r.Body, 1<<16))
		if err != nil || r.Header.Get("Content-Type") != "application/timestamp-query" {
			http.Error(w, "bad request", http.StatusBadRequest)
			return
		}
		info, err := seal.NewTSTInfo(req, asn1.ObjectIdentifier{1, 3, 6, 1, 4, 1, 99999, 1}, next(), tsa.At)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		token, err := signer.SignContent(asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 16, 1, 4}, info)
		if err == nil {
			var resp []byte
			if resp, err = seal.TimeStampResponse(token); err == nil {
				w.Header().Set("Content-Type", "application/timestamp-reply")
				_, _ = w.Write(resp)
				return
			}
		}
		http.Error(w, err.Error(), http.StatusInternalServerError)
	}))
	t.Cleanup(tsa.Close)
	return tsa
}
