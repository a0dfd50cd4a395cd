package seal

import (
	"bytes"
	"crypto"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"errors"
	"fmt"
	"time"
)

// Reading a CMS SignedData someone else may have written: any of the
// common hash and signature algorithms, the signer found by issuer and
// serial or by key identifier, every attribute checked that is there.

type signedDataIn struct {
	Version          int
	DigestAlgorithms asn1.RawValue
	EncapContentInfo encapContentIn
	Certificates     asn1.RawValue  `asn1:"optional,tag:0"`
	CRLs             asn1.RawValue  `asn1:"optional,tag:1"`
	SignerInfos      []signerInfoIn `asn1:"set"`
}

type encapContentIn struct {
	ContentType asn1.ObjectIdentifier
	Content     asn1.RawValue `asn1:"optional,explicit,tag:0"` // the [0]: its Bytes are the OCTET STRING
}

type signerInfoIn struct {
	Version            int
	SID                asn1.RawValue
	DigestAlgorithm    pkix.AlgorithmIdentifier
	SignedAttrs        asn1.RawValue `asn1:"optional,tag:0"`
	SignatureAlgorithm pkix.AlgorithmIdentifier
	Signature          []byte
	UnsignedAttrs      asn1.RawValue `asn1:"optional,tag:1"`
}

// cms is a SignedData as read: its signer, certificates and attributes.
type cms struct {
	certs       []*x509.Certificate
	signer      *x509.Certificate
	si          signerInfoIn
	hash        crypto.Hash
	contentType asn1.ObjectIdentifier
	content     []byte              // encapsulated content, nil when detached
	signed      map[string][]byte   // signed attributes: OID -> the first value's DER
	unsigned    map[string][][]byte // unsigned attributes: OID -> their values' DER
}

var hashes = map[string]crypto.Hash{
	"2.16.840.1.101.3.4.2.1": crypto.SHA256,
	"2.16.840.1.101.3.4.2.2": crypto.SHA384,
	"2.16.840.1.101.3.4.2.3": crypto.SHA512,
}

// parseCMS reads a ContentInfo holding a SignedData with one signer.
func parseCMS(der []byte) (*cms, error) {
	var ci contentInfo
	if _, err := asn1.Unmarshal(der, &ci); err != nil || !ci.ContentType.Equal(oidSignedData) {
		return nil, errors.New("not a CMS signed data")
	}
	var sd signedDataIn
	if _, err := asn1.Unmarshal(ci.Content.Bytes, &sd); err != nil {
		return nil, fmt.Errorf("the CMS signed data cannot be read: %w", err)
	}
	if len(sd.SignerInfos) != 1 {
		return nil, fmt.Errorf("%d signers; one expected", len(sd.SignerInfos))
	}
	c := &cms{si: sd.SignerInfos[0], contentType: sd.EncapContentInfo.ContentType}
	var err error
	// the RawValue of an explicit field is the [0] itself: its content is
	// the OCTET STRING
	if inner := sd.EncapContentInfo.Content.Bytes; len(inner) > 0 {
		if _, err := asn1.Unmarshal(inner, &c.content); err != nil {
			return nil, errors.New("the signed content cannot be read")
		}
	}
	if c.certs, err = x509.ParseCertificates(sd.Certificates.Bytes); err != nil {
		return nil, fmt.Errorf("a certificate in the signature cannot be read: %w", err)
	}
	var ok bool
	if c.hash, ok = hashes[c.si.DigestAlgorithm.Algorithm.String()]; !ok {
		return nil, fmt.Errorf("the hash algorithm %s is not supported", c.si.DigestAlgorithm.Algorithm)
	}
	if c.signer = c.findSigner(); c.signer == nil {
		return nil, errors.New("the signer's certificate is not in the signature")
	}
	if c.signed, err = firstValues(asSetOrNil(c.si.SignedAttrs.FullBytes)); err != nil {
		return nil, err
	}
	unsigned := c.si.UnsignedAttrs.FullBytes
	if len(unsigned) > 0 {
		unsigned = asSet(unsigned)
	}
	if c.unsigned, err = allValues(unsigned); err != nil {
		return nil, err
	}
	return c, nil
}

func asSetOrNil(b []byte) []byte {
	if len(b) == 0 {
		return nil
	}
	return asSet(b)
}

// findSigner is the certificate the signer info names.
func (c *cms) findSigner() *x509.Certificate {
	var ias issuerAndSerial
	isIAS := c.si.SID.Tag == asn1.TagSequence && c.si.SID.Class == asn1.ClassUniversal
	if isIAS {
		if _, err := asn1.Unmarshal(c.si.SID.FullBytes, &ias); err != nil {
			return nil
		}
	}
	for _, cert := range c.certs {
		if isIAS && bytes.Equal(cert.RawIssuer, ias.Issuer.FullBytes) && cert.SerialNumber.Cmp(ias.Serial) == 0 {
			return cert
		}
		if !isIAS && len(cert.SubjectKeyId) > 0 && bytes.Equal(cert.SubjectKeyId, c.si.SID.Bytes) {
			return cert
		}
	}
	return nil
}

// allValues reads a SET OF Attribute: each attribute's values' DER.
func allValues(set []byte) (map[string][][]byte, error) {
	out := map[string][][]byte{}
	if len(set) == 0 {
		return out, nil
	}
	var attrs []attribute
	if _, err := asn1.UnmarshalWithParams(set, &attrs, "set"); err != nil {
		return nil, fmt.Errorf("the signature's attributes cannot be read: %w", err)
	}
	for _, a := range attrs {
		for rest := a.Values.Bytes; len(rest) > 0; {
			var v asn1.RawValue
			var err error
			if rest, err = asn1.Unmarshal(rest, &v); err != nil {
				return nil, fmt.Errorf("the signature's attributes cannot be read: %w", err)
			}
			out[a.Type.String()] = append(out[a.Type.String()], v.FullBytes)
		}
	}
	return out, nil
}

func firstValues(set []byte) (map[string][]byte, error) {
	all, err := allValues(set)
	out := map[string][]byte{}
	for k, v := range all {
		out[k] = v[0]
	}
	return out, err
}

// check verifies the signature over the signed attributes and that they
// name digest (the content's, by c.hash) and the signer's certificate.
func (c *cms) check(digest []byte) error {
	if c.si.SignedAttrs.FullBytes == nil {
		return errors.New("the signature has no signed attributes")
	}
	var md []byte
	if _, err := asn1.Unmarshal(c.signed[oidMessageDigest.String()], &md); err != nil || !bytes.Equal(md, digest) {
		return errors.New("the signed bytes have changed (the digest differs)")
	}
	var ct asn1.ObjectIdentifier
	if v, ok := c.signed[oidContentType.String()]; ok {
		if _, err := asn1.Unmarshal(v, &ct); err != nil || !ct.Equal(c.contentType) {
			return errors.New("the signed content type differs from the content's")
		}
	}
	if v, ok := c.signed[oidSigningCertificate2.String()]; ok {
		var sc signingCertificateV2
		h := sha256.Sum256(c.signer.Raw)
		if _, err := asn1.Unmarshal(v, &sc); err != nil || len(sc.Certs) == 0 || !bytes.Equal(sc.Certs[0].CertHash, h[:]) {
			return errors.New("the signing certificate attribute names another certificate")
		}
	}
	alg, err := c.algorithm()
	if err != nil {
		return err
	}
	if err := c.signer.CheckSignature(alg, asSet(c.si.SignedAttrs.FullBytes), c.si.Signature); err != nil {
		return fmt.Errorf("the signature does not verify: %w", err)
	}
	return nil
}

// algorithm is the x509 name of the signer's signature algorithm.
func (c *cms) algorithm() (x509.SignatureAlgorithm, error) {
	rsa := map[crypto.Hash]x509.SignatureAlgorithm{crypto.SHA256: x509.SHA256WithRSA, crypto.SHA384: x509.SHA384WithRSA, crypto.SHA512: x509.SHA512WithRSA}
	ec := map[crypto.Hash]x509.SignatureAlgorithm{crypto.SHA256: x509.ECDSAWithSHA256, crypto.SHA384: x509.ECDSAWithSHA384, crypto.SHA512: x509.ECDSAWithSHA512}
	switch c.si.SignatureAlgorithm.Algorithm.String() {
	case "1.2.840.113549.1.1.1": // rsaEncryption: the digest algorithm says which
		return rsa[c.hash], nil
	case "1.2.840.113549.1.1.11":
		return x509.SHA256WithRSA, nil
	case "1.2.840.113549.1.1.12":
		return x509.SHA384WithRSA, nil
	case "1.2.840.113549.1.1.13":
		return x509.SHA512WithRSA, nil
	case "1.2.840.10045.2.1": // id-ecPublicKey
		return ec[c.hash], nil
	case "1.2.840.10045.4.3.2":
		return x509.ECDSAWithSHA256, nil
	case "1.2.840.10045.4.3.3":
		return x509.ECDSAWithSHA384, nil
	case "1.2.840.10045.4.3.4":
		return x509.ECDSAWithSHA512, nil
	}
	return 0, fmt.Errorf("the signature algorithm %s is not supported", c.si.SignatureAlgorithm.Algorithm)
}

// signingTime is the signed attribute's time, if there is one.
func (c *cms) signingTime() (time.Time, bool) {
	var t time.Time
	v, ok := c.signed[oidSigningTime.String()]
	if !ok {
		return t, false
	}
	_, err := asn1.Unmarshal(v, &t)
	return t, err == nil
}

// checkToken reads an RFC 3161 timestamp token and checks that it is
// signed by its authority and stamps signature.
func checkToken(token, signature []byte) (*TSTInfo, *cms, error) {
	c, err := parseCMS(token)
	if err != nil {
		return nil, nil, fmt.Errorf("the timestamp: %w", err)
	}
	if !c.contentType.Equal(oidTSTInfo) || c.content == nil {
		return nil, nil, errors.New("the timestamp holds no timestamp information")
	}
	h := c.hash.New()
	h.Write(c.content)
	if err := c.check(h.Sum(nil)); err != nil {
		return nil, nil, fmt.Errorf("the timestamp: %w", err)
	}
	var info TSTInfo
	if _, err := asn1.Unmarshal(c.content, &info); err != nil {
		return nil, nil, fmt.Errorf("the timestamp's information cannot be read: %w", err)
	}
	ih, ok := hashes[info.MessageImprint.HashAlgorithm.Algorithm.String()]
	if !ok {
		return nil, nil, errors.New("the timestamp's hash algorithm is not supported")
	}
	sh := ih.New()
	sh.Write(signature)
	if !bytes.Equal(info.MessageImprint.HashedMessage, sh.Sum(nil)) {
		return nil, nil, errors.New("the timestamp does not stamp this signature")
	}
	return &info, c, nil
}
