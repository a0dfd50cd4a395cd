package server

import (
	"crypto/tls"
	"os"
	"sync"
	"time"
)

// certificate serves the TLS certificate from its files, read again when
// either changes (checked at most once a second, on a handshake), so a
// renewed certificate is served without a restart. A pair that fails to
// load keeps the last good one and is logged.
type certificate struct {
	certFile, keyFile string
	log               func(string, ...any)

	mu        sync.Mutex
	cert      *tls.Certificate
	stamps    [2]fileStamp
	lastCheck time.Time
}

func newCertificate(certFile, keyFile string, log func(string, ...any)) (*certificate, error) {
	c := &certificate{certFile: certFile, keyFile: keyFile, log: log}
	if err := c.load(); err != nil {
		return nil, err
	}
	return c, nil
}

func (c *certificate) stampsNow() [2]fileStamp {
	var st [2]fileStamp
	for i, f := range []string{c.certFile, c.keyFile} {
		if info, err := os.Stat(f); err == nil {
			st[i] = fileStamp{info.ModTime(), info.Size()}
		}
	}
	return st
}

func (c *certificate) load() error {
	st := c.stampsNow()
	pair, err := tls.LoadX509KeyPair(c.certFile, c.keyFile)
	if err != nil {
		return err
	}
	c.mu.Lock()
	c.cert, c.stamps = &pair, st
	c.mu.Unlock()
	return nil
}

// get is tls.Config.GetCertificate.
func (c *certificate) get(*tls.ClientHelloInfo) (*tls.Certificate, error) {
	c.mu.Lock()
	check := time.Since(c.lastCheck) >= time.Second
	if check {
		c.lastCheck = time.Now()
	}
	stamps := c.stamps
	c.mu.Unlock()
	if check && c.stampsNow() != stamps {
		if err := c.load(); err != nil {
			c.log("TLS certificate not reloaded; the last good one stays in use", "err", err.Error())
		} else {
			c.log("TLS certificate reloaded")
		}
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.cert, nil
}

// tlsConfig is the service's TLS: version 1.2 at least, Go's cipher
// suites, the certificate from its files.
func (c *certificate) tlsConfig() *tls.Config {
	return &tls.Config{MinVersion: tls.VersionTLS12, GetCertificate: c.get, NextProtos: []string{"h2", "http/1.1"}}
}
