package seal

import (
	"bytes"
	"crypto/x509"
	"errors"
	"fmt"
	"time"
)

// Trust is what a seal is checked against: the anchors its certificate
// must chain to, and the revocation lists that say whether a certificate
// of the chain was revoked. A nil *Trust (or nil Roots) trusts nothing.
type Trust struct {
	Roots *x509.CertPool
	CRLs  []*x509.RevocationList
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
	state, revokedAt := RevocationGood, time.Time{}
	for i := 0; i+1 < len(chain); i++ {
		cert, issuer := chain[i], chain[i+1]
		current := false
		for _, l := range t.CRLs {
			if !bytes.Equal(l.RawIssuer, issuer.RawSubject) || l.CheckSignatureFrom(issuer) != nil {
				continue
			}
			current = current || l.NextUpdate.IsZero() || now.Before(l.NextUpdate)
			for _, e := range l.RevokedCertificateEntries {
				if e.SerialNumber.Cmp(cert.SerialNumber) == 0 && e.ReasonCode != 8 && (revokedAt.IsZero() || e.RevocationTime.Before(revokedAt)) {
					revokedAt = e.RevocationTime // 8 is removeFromCRL: no longer revoked
				}
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
