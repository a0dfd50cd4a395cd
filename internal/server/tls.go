package server

import (
	"crypto/tls"
)

// certificate serves the TLS certificate from its files, read again when
// either changes (see watched), so a renewed certificate is served
// without a restart.
type certificate struct{ *watched[*tls.Certificate] }

func newCertificate(certFile, keyFile string, log func(string, ...any)) (*certificate, error) {
	w, err := newWatched("TLS certificate", []string{certFile, keyFile}, func() (*tls.Certificate, error) {
		pair, err := tls.LoadX509KeyPair(certFile, keyFile)
		return &pair, err
	}, log)
	if err != nil {
		return nil, err
	}
	return &certificate{w}, nil
}

// getCertificate is tls.Config.GetCertificate.
func (c *certificate) getCertificate(*tls.ClientHelloInfo) (*tls.Certificate, error) {
	return c.get(), nil
}

// tlsConfig is the service's TLS: version 1.2 at least, Go's cipher
// suites, the certificate from its files.
func (c *certificate) tlsConfig() *tls.Config {
	return &tls.Config{MinVersion: tls.VersionTLS12, GetCertificate: c.getCertificate, NextProtos: []string{"h2", "http/1.1"}}
}
