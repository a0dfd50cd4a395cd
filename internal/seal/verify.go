package seal

import (
	"bytes"
	"context"
	"crypto/x509"
	"encoding/hex"
	"errors"
	"strconv"
	"time"
)

// Report is what a PDF's seals prove.
type Report struct {
	Seals []Seal `json:"seals"` // in the file's order; none when it is not sealed
}

// Seal is one signature found in a PDF.
type Seal struct {
	Signer       string `json:"signer"`       // the certificate's subject
	Organization string `json:"organization"` // its O, when it has one
	Issuer       string `json:"issuer"`
	// Time is when it was sealed: the timestamp's time when it has one
	// (TimeSource "timestamp"), else the time the signer claims
	// ("claimed"), or zero ("none").
	Time               time.Time `json:"time,omitzero"`
	TimeSource         string    `json:"time_source"`
	TimestampAuthority string    `json:"timestamp_authority,omitempty"`
	// TimeProven: the time is a timestamp's whose authority chains to the
	// trust anchors (for a timestamping certificate, at that time). Only
	// a proven time is when the seal's certificate is checked; a claimed
	// one is the signer's word, so the certificate is checked as of now.
	TimeProven bool `json:"time_proven"`
	// Intact: the signature verifies over the bytes its byte range names.
	Intact bool `json:"intact"`
	// CoversWholeFile: those bytes are the whole file but the signature
	// itself, so nothing was added or changed after sealing.
	CoversWholeFile bool `json:"covers_whole_file"`
	// Trusted: the certificate chains to one of the trust anchors at the
	// proven time (else now), and was not revoked before it.
	Trusted bool `json:"trusted"`
	// Revocation is what the revocation lists say of the chain
	// (RevocationNotChecked, Good, Revoked or Unknown); RevokedAt is when
	// a certificate of it was revoked.
	Revocation string    `json:"revocation"`
	RevokedAt  time.Time `json:"revoked_at,omitzero"`
	// Problems are what is wrong, in English (Report.In gives them in
	// Danish); found keeps them as formats and arguments for that.
	Problems []string `json:"problems,omitempty"`
	found    []problem
}

// Valid: intact, covering the whole file and trusted.
func (s *Seal) Valid() bool { return s.Intact && s.CoversWholeFile && s.Trusted }

// maxSignatures bounds the signature dictionaries a file may make us
// check: each costs a pass over the file.
const maxSignatures = 16

// Verify finds the signatures of a PDF by their byte ranges and checks
// each: the CMS over the bytes it covers, the timestamp, the chain to
// t's anchors and its revocation lists (nil: nothing is trusted). The file is
// outsiders': every number it gives is checked against its length, the
// work is one hash of the file per signature, at most maxSignatures, and
// ctx is seen between them.
func Verify(ctx context.Context, pdf []byte, t *Trust) (*Report, error) {
	r := &Report{Seals: []Seal{}}
	for at, n := 0, 0; ; n++ {
		i := bytes.Index(pdf[at:], []byte("/ByteRange"))
		if i < 0 {
			break
		}
		if n == maxSignatures {
			return r, errors.New("more signatures than this service checks")
		}
		if err := ctx.Err(); err != nil {
			return r, err
		}
		at += i + len("/ByteRange")
		if s, ok := verifyAt(pdf, at, t); ok {
			r.Seals = append(r.Seals, s)
		}
	}
	return r, nil
}

// verifyAt checks the signature whose /ByteRange value begins at at; not
// ok when there is no byte range there (the word in other text).
func verifyAt(pdf []byte, at int, t *Trust) (Seal, bool) {
	br, ok := byteRange(pdf, at)
	if !ok {
		return Seal{}, false
	}
	a, b, c, d := br[0], br[1], br[2], br[3]
	// a byte range whose gap is no hex string is no signature dictionary
	// (the words in a title in the XMP, say), so not a seal at all
	der, ok := hexString(pdf[a+b : c])
	if !ok {
		return Seal{}, false
	}
	s := Seal{TimeSource: "none", Revocation: RevocationNotChecked}
	s.CoversWholeFile = a == 0 && c+d == len(pdf)
	if !s.CoversWholeFile {
		s.problem("the signature does not cover the whole file: something was added or changed after it")
	}
	sig, err := parseCMS(der)
	if err != nil {
		s.problem("%v", err)
		return s, true
	}
	s.Signer, s.Issuer = sig.signer.Subject.String(), sig.signer.Issuer.String()
	if len(sig.signer.Subject.Organization) > 0 {
		s.Organization = sig.signer.Subject.Organization[0]
	}
	h := sig.hash.New()
	h.Write(pdf[a : a+b])
	h.Write(pdf[c : c+d])
	if err := sig.check(h.Sum(nil)); err != nil {
		s.problem("%v", err)
	} else {
		s.Intact = true
	}
	s.when(sig, pdf, at, t)
	s.trust(sig, t)
	return s, true
}

// when finds the seal's time: a timestamp's (proven when its authority
// is trusted), or the signed attribute's, or the signature dictionary's
// /M.
func (s *Seal) when(sig *cms, pdf []byte, at int, t *Trust) {
	if tokens := sig.unsigned[oidTimeStampToken.String()]; len(tokens) > 0 {
		info, tsa, err := checkToken(tokens[0], sig.si.Signature)
		if err != nil {
			s.problem("%v", err)
		} else {
			s.Time, s.TimeSource, s.TimestampAuthority = info.GenTime, "timestamp", tsa.signer.Subject.String()
			s.TimeProven = s.provenBy(tsa, info.GenTime, t)
			return
		}
	}
	if t, ok := sig.signingTime(); ok {
		s.Time, s.TimeSource = t, "claimed"
		return
	}
	if t, ok := dictDate(pdf, at); ok {
		s.Time, s.TimeSource = t, "claimed"
	}
}

// provenBy: the timestamp's authority chains to the anchors as a
// timestamping certificate at the time it gives, and was not revoked
// before it. Anyone can make a timestamp; only a trusted one proves the
// seal existed then.
func (s *Seal) provenBy(tsa *cms, at time.Time, t *Trust) bool {
	if t == nil || t.Roots == nil {
		return false // said once, by trust
	}
	chains, err := tsa.signer.Verify(x509.VerifyOptions{Roots: t.Roots, Intermediates: others(tsa), CurrentTime: at,
		KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageTimeStamping}})
	if err != nil {
		s.problem("the timestamp's authority does not chain to a trust anchor, so its time proves nothing: %v", err)
		return false
	}
	if rev, when := t.revocation(chains[0], time.Now()); rev == RevocationRevoked && !at.Before(when) {
		s.problem("the timestamp's authority was revoked on %v, before the time it gives", when)
		return false
	}
	return true
}

// others are the certificates a CMS carries besides its signer's: the
// intermediates its chain may need.
func others(c *cms) *x509.CertPool {
	pool := x509.NewCertPool()
	for _, cert := range c.certs {
		if cert != c.signer {
			pool.AddCert(cert)
		}
	}
	return pool
}

// trust checks the chain to the anchors, at the proven time or else now,
// and the chain's revocation: a certificate revoked before the proven
// time (or at all, when the time is only claimed) is not trusted.
func (s *Seal) trust(sig *cms, t *Trust) {
	if t == nil || t.Roots == nil {
		s.problem("no trust anchors were given (--trust), so the certificate is not checked against any")
		return
	}
	now := time.Now()
	at := now
	if s.TimeProven {
		at = s.Time
	}
	chains, err := sig.signer.Verify(x509.VerifyOptions{Roots: t.Roots, Intermediates: others(sig), CurrentTime: at, KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageAny}})
	if err != nil {
		s.problem("the certificate does not chain to a trust anchor: %v", err)
		return
	}
	s.Revocation, s.RevokedAt = t.revocation(chains[0], now)
	switch {
	case s.Revocation != RevocationRevoked:
	case s.TimeProven && s.Time.Before(s.RevokedAt):
		s.problem("a certificate of the chain was revoked on %v, after the timestamp shows the seal was made: the seal holds", s.RevokedAt)
	default:
		s.problem("a certificate of the chain was revoked on %v and no trusted timestamp shows the seal is older", s.RevokedAt)
		return
	}
	s.Trusted = true
}

// byteRange reads "[a b c d]" at at: four numbers that name two ranges
// in order inside the file.
func byteRange(pdf []byte, at int) ([4]int, bool) {
	var br [4]int
	i := skipSpace(pdf, at)
	if i >= len(pdf) || pdf[i] != '[' {
		return br, false
	}
	i++
	for k := range br {
		i = skipSpace(pdf, i)
		j := i
		for j < len(pdf) && j-i < 12 && pdf[j] >= '0' && pdf[j] <= '9' {
			j++
		}
		n, err := strconv.Atoi(string(pdf[i:j]))
		if err != nil {
			return br, false
		}
		br[k], i = n, j
	}
	if i = skipSpace(pdf, i); i >= len(pdf) || pdf[i] != ']' {
		return br, false
	}
	a, b, c, d := br[0], br[1], br[2], br[3]
	return br, a+b <= c && c <= len(pdf) && d <= len(pdf)-c
}

func skipSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\n' || b[i] == '\r' || b[i] == '\t') {
		i++
	}
	return i
}

// hexString decodes "<…>", its padding of zeros after the DER left on.
func hexString(b []byte) ([]byte, bool) {
	if len(b) < 2 || b[0] != '<' || b[len(b)-1] != '>' {
		return nil, false
	}
	der, err := hex.DecodeString(string(b[1 : len(b)-1]))
	return der, err == nil
}

// dictDate is the /M date of the signature dictionary around at: looked
// for within the 2 KiB before /ByteRange (where writers put it).
func dictDate(pdf []byte, at int) (time.Time, bool) {
	from := max(0, at-2048)
	win := pdf[from:at]
	if k := bytes.LastIndex(win, []byte("<<")); k >= 0 {
		win = win[k:]
	}
	i := bytes.LastIndex(win, []byte("/M (D:"))
	if i < 0 {
		return time.Time{}, false
	}
	s := string(win[i+len("/M (D:"):])
	if j := bytes.IndexByte([]byte(s), ')'); j >= 0 {
		s = s[:j]
	}
	return parsePDFDate(s)
}

// parsePDFDate reads YYYYMMDDHHmmSS and an offset "+HH'mm'" or "Z".
func parsePDFDate(s string) (time.Time, bool) {
	if len(s) < 14 {
		return time.Time{}, false
	}
	t, err := time.Parse("20060102150405", s[:14])
	if err != nil {
		return time.Time{}, false
	}
	rest := s[14:]
	if len(rest) >= 6 && (rest[0] == '+' || rest[0] == '-') {
		h, err1 := strconv.Atoi(rest[1:3])
		m, err2 := strconv.Atoi(rest[4:6])
		if err1 == nil && err2 == nil {
			off := h*3600 + m*60
			if rest[0] == '-' {
				off = -off
			}
			t = time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), 0, time.FixedZone("", off))
		}
	}
	return t, true
}
