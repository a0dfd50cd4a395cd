package seal

import (
	"bytes"
	"crypto/sha256"
	"crypto/x509"
	"errors"
	"fmt"
	"sync"
	"time"
)

// Trust is what a seal is checked against: the anchors its certificate
// must chain to, and the revocation lists that say whether a certificate
// of the chain was revoked. A nil *Trust (or nil Roots) trusts nothing.
type Trust struct {
	Roots *x509.CertPool
	CRLs  []*x509.RevocationList

	lists lists // the lists made ready for lookups, on first use
}

// lists are the revocation lists made ready for lookups: each list's
// serial numbers indexed, once, and which issuer signed which list,
// checked once per issuer. A national CA's list runs to some MiB and
// hundreds of thousands of entries: a hash of it and a scan of it for
// every seal verified cost milliseconds each.
type lists struct {
	once    sync.Once
	revoked []map[string]time.Time // per list: a serial number (hex) -> its earliest revocation
	mu      sync.Mutex
	signed  map[signedKey]bool
}

type signedKey struct {
	list   int
	issuer [sha256.Size]byte // of the issuer's certificate
}

// index builds the serial numbers' index of each list (an entry with
// reason removeFromCRL, 8, is no longer revoked).
func (t *Trust) index() {
	t.lists.revoked = make([]map[string]time.Time, len(t.CRLs))
	for i, l := range t.CRLs {
		m := make(map[string]time.Time, len(l.RevokedCertificateEntries))
		for _, e := range l.RevokedCertificateEntries {
			k := e.SerialNumber.Text(16)
			if at, ok := m[k]; e.ReasonCode != 8 && (!ok || e.RevocationTime.Before(at)) {
				m[k] = e.RevocationTime
			}
		}
		t.lists.revoked[i] = m
	}
	t.lists.signed = map[signedKey]bool{}
}

// signedBy: list i is issuer's, by name and by signature.
func (t *Trust) signedBy(i int, issuer *x509.Certificate) bool {
	l := t.CRLs[i]
	if !bytes.Equal(l.RawIssuer, issuer.RawSubject) {
		return false
	}
	k := signedKey{i, sha256.Sum256(issuer.Raw)}
	t.lists.mu.Lock()
	ok, known := t.lists.signed[k]
	t.lists.mu.Unlock()
	if !known {
		ok = l.CheckSignatureFrom(issuer) == nil
		t.lists.mu.Lock()
		t.lists.signed[k] = ok
		t.lists.mu.Unlock()
	}
	return ok
}

// maxCRL bounds a file of revocation lists: a national CA's list runs to
// some MiB.
const maxCRL = 64 << 20

// LoadTrust reads trust anchors from a PEM file of certificates and,
// when crls is not "", revocation lists from a file of them (PEM "X509
// CRL" blocks, or one DER list); "" anchors is none (nothing trusted).
func LoadTrust(anchors, crls string) (*Trust, error) {
	if anchors == "" {
		if crls != "" {
			return nil, errors.New("revocation lists without trust anchors check nothing: give --trust too")
		}
		return nil, nil
	}
	b, err := readFile(anchors)
	if err != nil {
		return nil, fmt.Errorf("trust anchors: %w", err)
	}
	t := &Trust{Roots: x509.NewCertPool()}
	if !t.Roots.AppendCertsFromPEM(b) {
		return nil, fmt.Errorf("trust anchors %s: no certificate in it (PEM)", anchors)
	}
	if crls == "" {
		return t, nil
	}
	if b, err = readBounded(crls, maxCRL, "larger than 64 MiB"); err != nil {
		return nil, fmt.Errorf("revocation lists: %w", err)
	}
	if t.CRLs, err = parseCRLs(b); err != nil {
		return nil, fmt.Errorf("revocation lists %s: %w", crls, err)
	}
	return t, nil
}

// parseCRLs reads PEM "X509 CRL" blocks, or a single DER list.
func parseCRLs(b []byte) ([]*x509.RevocationList, error) {
	if !bytes.Contains(b, []byte("-----BEGIN")) {
		l, err := x509.ParseRevocationList(b)
		if err != nil {
			return nil, err
		}
		return []*x509.RevocationList{l}, nil
	}
	out, err := pemBlocks(b, "X509 CRL", x509.ParseRevocationList)
	if err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return nil, errors.New("no revocation list in it (PEM \"X509 CRL\" or DER)")
	}
	return out, nil
}

// Revocation answers of a seal.
const (
	RevocationNotChecked = "not-checked" // no lists were given
	RevocationGood       = "good"        // a current list of each issuer in the chain, none naming its certificate
	RevocationRevoked    = "revoked"     // a list names a certificate of the chain
	RevocationUnknown    = "unknown"     // lists were given, but none current and signed by an issuer in the chain
)

// revocation checks each certificate of chain but its anchor against the
// lists signed by its issuer: revoked when one names it (the earliest
// revocation time), good when each has a list that is current at now,
// else unknown.
func (t *Trust) revocation(chain []*x509.Certificate, now time.Time) (string, time.Time) {
	if t == nil || len(t.CRLs) == 0 {
		return RevocationNotChecked, time.Time{}
	}
	t.lists.once.Do(t.index)
	state, revokedAt := RevocationGood, time.Time{}
	for i := 0; i+1 < len(chain); i++ {
		cert, issuer := chain[i], chain[i+1]
		current := false
		for j, l := range t.CRLs {
			if !t.signedBy(j, issuer) {
				continue
			}
			current = current || l.NextUpdate.IsZero() || now.Before(l.NextUpdate)
			if at, ok := t.lists.revoked[j][cert.SerialNumber.Text(16)]; ok && (revokedAt.IsZero() || at.Before(revokedAt)) {
				revokedAt = at
			}
		}
		if !current && state == RevocationGood {
			state = RevocationUnknown
		}
	}
	if !revokedAt.IsZero() {
		return RevocationRevoked, revokedAt
	}
	return state, time.Time{}
}
