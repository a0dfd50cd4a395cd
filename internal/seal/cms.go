// Package seal signs a PDF with an organisation's certificate: a CMS
// SignedData, detached, as PAdES baseline B-B wants it (content type,
// message digest and signing-certificate-v2 as signed attributes; no
// signing time, which the PDF's signature dictionary carries), with an
// RFC 3161 timestamp as an unsigned attribute for baseline B-T; and it
// verifies such a seal. It is written with encoding/asn1 from the RFCs
// (5652, 5035, 3161): the Go CMS libraries either do not write
// signing-certificate-v2 (go.mozilla.org/pkcs7, archived), or need a
// newer Go than ours (digitorus), or bring an HSM framework; the part
// PAdES needs is a few hundred lines we test against OpenSSL and poppler.
package seal

import (
	"bytes"
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"errors"
	"math/big"
	"slices"
)

var (
	oidData                = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 7, 1}
	oidSignedData          = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 7, 2}
	oidContentType         = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 3}
	oidMessageDigest       = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 4}
	oidSigningCertificate2 = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 16, 2, 47}
	oidSHA256              = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 2, 1}
	oidRSA                 = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 1, 1}
	oidECDSASHA256         = asn1.ObjectIdentifier{1, 2, 840, 10045, 4, 3, 2}
	oidTimeStampToken      = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 16, 2, 14}
	oidTSTInfo             = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 16, 1, 4}
	oidSigningTime         = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 5}
)

type contentInfo struct {
	ContentType asn1.ObjectIdentifier
	Content     asn1.RawValue `asn1:"explicit,tag:0"` // read: the content; written: [0] and the content, whole
}

type signedData struct {
	Version          int
	DigestAlgorithms []pkix.AlgorithmIdentifier `asn1:"set"`
	EncapContentInfo encapContent
	Certificates     asn1.RawValue `asn1:"tag:0"`
	SignerInfos      []signerInfo  `asn1:"set"`
}

type encapContent struct {
	ContentType asn1.ObjectIdentifier
	Content     asn1.RawValue `asn1:"optional"` // [0] EXPLICIT OCTET STRING, written whole; absent when detached
}

type issuerAndSerial struct {
	Issuer asn1.RawValue
	Serial *big.Int
}

type signerInfo struct {
	Version            int
	SID                issuerAndSerial
	DigestAlgorithm    pkix.AlgorithmIdentifier
	SignedAttrs        asn1.RawValue `asn1:"tag:0"`
	SignatureAlgorithm pkix.AlgorithmIdentifier
	Signature          []byte
	UnsignedAttrs      asn1.RawValue `asn1:"optional"` // [1] IMPLICIT, written whole
}

type attribute struct {
	Type   asn1.ObjectIdentifier
	Values asn1.RawValue `asn1:"set"`
}

// essCertIDv2 names the signing certificate by its SHA-256 (the default
// hash algorithm, so left out), RFC 5035.
type essCertIDv2 struct {
	CertHash []byte
}

type signingCertificateV2 struct {
	Certs []essCertIDv2
}

// Signer seals with one certificate and its key.
type Signer struct {
	Cert  *x509.Certificate
	Chain []*x509.Certificate // the issuers, to include (optional)
	Key   crypto.Signer       // RSA or ECDSA
	// TSA, when set, timestamps each signature (PAdES baseline B-T).
	TSA *TSA
}

// Sign makes the CMS SignedData of a detached content whose SHA-256 is
// digest; with a TSA, the signature's timestamp is added.
func (s *Signer) Sign(ctx context.Context, digest []byte) ([]byte, error) {
	si, err := s.signerInfo(oidData, digest)
	if err != nil {
		return nil, err
	}
	if s.TSA != nil {
		token, err := s.TSA.Stamp(ctx, si.Signature)
		if err != nil {
			return nil, err
		}
		attr, err := asn1.Marshal(attribute{Type: oidTimeStampToken, Values: asn1.RawValue{Class: asn1.ClassUniversal, Tag: asn1.TagSet, IsCompound: true, Bytes: token}})
		if err != nil {
			return nil, err
		}
		si.UnsignedAttrs = asn1.RawValue{Class: asn1.ClassContextSpecific, Tag: 1, IsCompound: true, Bytes: attr}
	}
	return s.signedData(si, encapContent{ContentType: oidData})
}

// SignContent makes the CMS SignedData that encapsulates content of the
// given type (a timestamp authority's TSTInfo).
func (s *Signer) SignContent(contentType asn1.ObjectIdentifier, content []byte) ([]byte, error) {
	digest := sha256.Sum256(content)
	si, err := s.signerInfo(contentType, digest[:])
	if err != nil {
		return nil, err
	}
	octets, err := asn1.Marshal(content)
	if err != nil {
		return nil, err
	}
	wrapped, err := asn1.Marshal(asn1.RawValue{Class: asn1.ClassContextSpecific, Tag: 0, IsCompound: true, Bytes: octets})
	if err != nil {
		return nil, err
	}
	return s.signedData(si, encapContent{ContentType: contentType, Content: asn1.RawValue{FullBytes: wrapped}})
}

// signerInfo signs the attributes of a content of the type and digest.
func (s *Signer) signerInfo(contentType asn1.ObjectIdentifier, digest []byte) (signerInfo, error) {
	sigAlg := pkix.AlgorithmIdentifier{Algorithm: oidRSA, Parameters: asn1.NullRawValue}
	switch s.Key.Public().(type) {
	case *rsa.PublicKey:
	case *ecdsa.PublicKey:
		sigAlg = pkix.AlgorithmIdentifier{Algorithm: oidECDSASHA256}
	default:
		return signerInfo{}, errors.New("seal: the key is neither RSA nor ECDSA")
	}
	certHash := sha256.Sum256(s.Cert.Raw)
	attrs, err := signedAttrs(contentType, digest, certHash[:])
	if err != nil {
		return signerInfo{}, err
	}
	// the signature is over the attributes as a SET OF (tag 0x31), not
	// as the [0] IMPLICIT they are stored as
	h := sha256.Sum256(asSet(attrs))
	sig, err := s.Key.Sign(rand.Reader, h[:], crypto.SHA256)
	if err != nil {
		return signerInfo{}, errors.New("seal: the key did not sign") // its error may say more about the key than a log should
	}
	return signerInfo{
		Version:            1,
		SID:                issuerAndSerial{Issuer: asn1.RawValue{FullBytes: s.Cert.RawIssuer}, Serial: s.Cert.SerialNumber},
		DigestAlgorithm:    pkix.AlgorithmIdentifier{Algorithm: oidSHA256},
		SignedAttrs:        asn1.RawValue{FullBytes: attrs},
		SignatureAlgorithm: sigAlg,
		Signature:          sig,
	}, nil
}

// signedData wraps one signer's info, the certificates and the content.
func (s *Signer) signedData(si signerInfo, content encapContent) ([]byte, error) {
	var certs []byte
	for _, c := range append([]*x509.Certificate{s.Cert}, s.Chain...) {
		certs = append(certs, c.Raw...)
	}
	version := 1
	if !content.ContentType.Equal(oidData) {
		version = 3 // RFC 5652 5.1: another content type
	}
	sd := signedData{
		Version:          version,
		DigestAlgorithms: []pkix.AlgorithmIdentifier{{Algorithm: oidSHA256}},
		EncapContentInfo: content,
		Certificates:     asn1.RawValue{Class: asn1.ClassContextSpecific, Tag: 0, IsCompound: true, Bytes: certs},
		SignerInfos:      []signerInfo{si},
	}
	inner, err := asn1.Marshal(sd)
	if err != nil {
		return nil, err
	}
	// a RawValue of FullBytes is written as it is, without the explicit
	// tag of its field: the [0] is written here
	wrapped, err := asn1.Marshal(asn1.RawValue{Class: asn1.ClassContextSpecific, Tag: 0, IsCompound: true, Bytes: inner})
	if err != nil {
		return nil, err
	}
	return asn1.Marshal(contentInfo{ContentType: oidSignedData, Content: asn1.RawValue{FullBytes: wrapped}})
}

// asSet is [0] IMPLICIT attributes re-tagged as the SET OF they sign.
func asSet(attrs []byte) []byte {
	return append([]byte{0x31}, attrs[1:]...)
}

// signedAttrs are the signed attributes, DER-sorted, as [0] IMPLICIT.
func signedAttrs(contentType asn1.ObjectIdentifier, digest, certHash []byte) ([]byte, error) {
	var enc [][]byte
	for _, a := range []struct {
		oid asn1.ObjectIdentifier
		v   any
	}{{oidContentType, contentType}, {oidMessageDigest, digest}, {oidSigningCertificate2, signingCertificateV2{Certs: []essCertIDv2{{CertHash: certHash}}}}} {
		v, err := asn1.Marshal(a.v)
		if err != nil {
			return nil, err
		}
		b, err := asn1.Marshal(attribute{Type: a.oid, Values: asn1.RawValue{Class: asn1.ClassUniversal, Tag: asn1.TagSet, IsCompound: true, Bytes: v}})
		if err != nil {
			return nil, err
		}
		enc = append(enc, b)
	}
	// DER: a SET OF is sorted by its elements' encodings
	slices.SortFunc(enc, bytes.Compare)
	return asn1.Marshal(asn1.RawValue{Class: asn1.ClassContextSpecific, Tag: 0, IsCompound: true, Bytes: bytes.Join(enc, nil)})
}
