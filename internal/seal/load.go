package seal

import (
	"cmp"
	"crypto"
	"crypto/ecdsa"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"software.sslmate.com/src/go-pkcs12"

	"protokol/internal/bounded"
)

// maxFile bounds a certificate or key file: real ones are a few KiB.
const maxFile = 1 << 20

// readSecret reads a key file, refusing one that others may read: a
// seal's key is the municipality's, and a file any local user can read
// is one it has already lost.
func readSecret(path string) ([]byte, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if fi.Mode().Perm()&0o004 != 0 {
		return nil, fmt.Errorf("%s may be read by every user (mode %v): make it readable by the service only, e.g. chmod 600 (or 440 with the service's group)", path, fi.Mode().Perm())
	}
	return readFile(path)
}

func readFile(path string) ([]byte, error) {
	return readBounded(path, maxFile, "larger than a certificate or key file is")
}

// readBounded reads a file of at most limit bytes; what is larger, tooLarge says.
func readBounded(path string, limit int64, tooLarge string) ([]byte, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if fi.Size() > limit {
		return nil, fmt.Errorf("%s is %s", path, tooLarge)
	}
	return os.ReadFile(path)
}

// pemBlocks parses each PEM block of the type in b, in order; others
// are passed over.
func pemBlocks[T any](b []byte, typ string, parse func([]byte) (T, error)) ([]T, error) {
	var out []T
	for rest := b; ; {
		var blk *pem.Block
		if blk, rest = pem.Decode(rest); blk == nil {
			return out, nil
		}
		if blk.Type != typ {
			continue
		}
		v, err := parse(blk.Bytes)
		if err != nil {
			return nil, fmt.Errorf("block %d: %w", len(out)+1, err)
		}
		out = append(out, v)
	}
}

// LoadPEM reads a seal's certificate (with its issuers after it) and its
// key (PKCS#8, PKCS#1 or SEC 1) from PEM files. No error carries the
// key's bytes.
func LoadPEM(certPath, keyPath string) (*Signer, error) {
	certPEM, err := readFile(certPath)
	if err != nil {
		return nil, fmt.Errorf("seal certificate: %w", err)
	}
	certs, err := pemBlocks(certPEM, "CERTIFICATE", x509.ParseCertificate)
	if err != nil {
		return nil, fmt.Errorf("seal certificate %s: %w", certPath, err)
	}
	if len(certs) == 0 {
		return nil, fmt.Errorf("seal certificate %s: no CERTIFICATE in it", certPath)
	}
	keyPEM, err := readSecret(keyPath)
	if err != nil {
		return nil, fmt.Errorf("seal key: %w", err)
	}
	key, err := parseKey(keyPEM)
	clear(keyPEM)
	if err != nil {
		return nil, fmt.Errorf("seal key %s: %w", keyPath, err)
	}
	return newSigner(certs[0], certs[1:], key)
}

// parseKey reads the first private key of a PEM file.
func parseKey(b []byte) (crypto.Signer, error) {
	for rest := b; ; {
		var blk *pem.Block
		if blk, rest = pem.Decode(rest); blk == nil {
			return nil, errors.New("no private key in it (PEM: PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY; an encrypted key must be decrypted, or given as PKCS#12)")
		}
		var k any
		var err error
		switch blk.Type {
		case "PRIVATE KEY":
			k, err = x509.ParsePKCS8PrivateKey(blk.Bytes)
		case "RSA PRIVATE KEY":
			k, err = x509.ParsePKCS1PrivateKey(blk.Bytes)
		case "EC PRIVATE KEY":
			k, err = x509.ParseECPrivateKey(blk.Bytes)
		default:
			continue
		}
		clear(blk.Bytes)
		if err != nil {
			return nil, errors.New("the private key cannot be read") // the parser's words may quote it
		}
		s, ok := k.(crypto.Signer)
		if !ok {
			return nil, errors.New("the private key is of a kind that cannot sign")
		}
		return s, nil
	}
}

// LoadPKCS12 reads a seal's certificate, chain and key from a PKCS#12
// file (as the Danish seal issuers deliver them) with its password.
func LoadPKCS12(path, password string) (*Signer, error) {
	b, err := readSecret(path)
	if err != nil {
		return nil, fmt.Errorf("seal PKCS#12: %w", err)
	}
	key, cert, chain, err := pkcs12.DecodeChain(b, password)
	clear(b)
	if err != nil {
		if errors.Is(err, pkcs12.ErrIncorrectPassword) {
			return nil, fmt.Errorf("seal PKCS#12 %s: the password is wrong", path)
		}
		return nil, fmt.Errorf("seal PKCS#12 %s: %w", path, err)
	}
	s, ok := key.(crypto.Signer)
	if !ok {
		return nil, fmt.Errorf("seal PKCS#12 %s: the key cannot sign", path)
	}
	return newSigner(cert, chain, s)
}

// ReadPassword reads a password file's first line.
func ReadPassword(path string) (string, error) {
	b, err := readSecret(path)
	if err != nil {
		return "", fmt.Errorf("seal password: %w", err)
	}
	line, _, _ := strings.Cut(string(b), "\n")
	return strings.TrimRight(line, "\r"), nil
}

// newSigner checks that the key is the certificate's and of a kind a
// PAdES reader verifies.
func newSigner(cert *x509.Certificate, chain []*x509.Certificate, key crypto.Signer) (*Signer, error) {
	switch k := key.Public().(type) {
	case *rsa.PublicKey:
		if k.N.BitLen() < 2048 {
			return nil, fmt.Errorf("seal: an RSA key of %d bits; at least 2048", k.N.BitLen())
		}
	case *ecdsa.PublicKey:
	default:
		return nil, errors.New("seal: the key is neither RSA nor ECDSA")
	}
	if pub, ok := cert.PublicKey.(interface{ Equal(crypto.PublicKey) bool }); !ok || !pub.Equal(key.Public()) {
		return nil, errors.New("seal: the key is not the certificate's")
	}
	return &Signer{Cert: cert, Chain: chain, Key: key}, nil
}

// maxPDF bounds a file verify reads from disk.
const maxPDF = 1 << 30

// ReadPDF reads a file to verify, an outsider's: a regular file of at
// most maxPDF bytes (package bounded).
func ReadPDF(path string) ([]byte, error) {
	dir, name := filepath.Split(path)
	b, err := bounded.ReadFile(os.DirFS(cmp.Or(dir, ".")), name, maxPDF)
	var tl *bounded.TooLargeError
	var nr *bounded.NotRegularError
	switch {
	case errors.As(err, &tl):
		return nil, fmt.Errorf("%s is larger than 1 GiB", path)
	case errors.As(err, &nr):
		return nil, fmt.Errorf("%s is not a file (%s)", path, nr.Mode.Type())
	case err != nil:
		if pe := (*fs.PathError)(nil); errors.As(err, &pe) {
			pe.Path = path // the name as given, not as the directory's
		}
		return nil, err
	}
	return b, nil
}
