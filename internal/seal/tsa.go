package seal

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509/pkix"
	"encoding/asn1"
	"errors"
	"fmt"
	"io"
	"math/big"
	"net/http"
	"time"
)

// TSA is an RFC 3161 timestamp authority, asked over HTTP.
type TSA struct {
	URL    string
	Client *http.Client // nil: http.DefaultClient
	// Timeout bounds one request (10 s if 0); the render's deadline
	// bounds it too.
	Timeout time.Duration
}

// maxTokenSize bounds what a TSA may answer: a token is a few KiB.
const maxTokenSize = 64 << 10

type messageImprint struct {
	HashAlgorithm pkix.AlgorithmIdentifier
	HashedMessage []byte
}

type timeStampReq struct {
	Version        int
	MessageImprint messageImprint
	Nonce          *big.Int `asn1:"optional"`
	CertReq        bool     `asn1:"optional"`
}

type timeStampResp struct {
	Status asn1.RawValue // PKIStatusInfo: status INTEGER first
	Token  asn1.RawValue `asn1:"optional"`
}

// TSTInfo is a timestamp's content (RFC 3161 2.4.2) up to its nonce.
type TSTInfo struct {
	Version        int
	Policy         asn1.ObjectIdentifier
	MessageImprint messageImprint
	Serial         *big.Int
	GenTime        time.Time `asn1:"generalized"`
	Accuracy       accuracy  `asn1:"optional"`
	Ordering       bool      `asn1:"optional"`
	Nonce          *big.Int  `asn1:"optional"`
}

type accuracy struct {
	Seconds int `asn1:"optional"`
	Millis  int `asn1:"optional,tag:0"`
	Micros  int `asn1:"optional,tag:1"`
}

// NewTSTInfo is the content of a timestamp of the request req at t (for
// a timestamp authority: package sealtest's).
func NewTSTInfo(req []byte, policy asn1.ObjectIdentifier, serial *big.Int, t time.Time) ([]byte, error) {
	var r timeStampReq
	if _, err := asn1.Unmarshal(req, &r); err != nil {
		return nil, err
	}
	return asn1.Marshal(TSTInfo{Version: 1, Policy: policy, MessageImprint: r.MessageImprint, Serial: serial, GenTime: t.UTC(), Nonce: r.Nonce})
}

// TimeStampResponse is a granted response carrying token.
func TimeStampResponse(token []byte) ([]byte, error) {
	status, err := asn1.Marshal(struct{ Status int }{0})
	if err != nil {
		return nil, err
	}
	return asn1.Marshal(timeStampResp{Status: asn1.RawValue{FullBytes: status}, Token: asn1.RawValue{FullBytes: token}})
}

// TimeStampRequest is the DER of a request for a timestamp of data's
// SHA-256 with nonce.
func TimeStampRequest(data []byte, nonce *big.Int) ([]byte, error) {
	h := sha256.Sum256(data)
	return asn1.Marshal(timeStampReq{Version: 1, MessageImprint: messageImprint{HashAlgorithm: pkix.AlgorithmIdentifier{Algorithm: oidSHA256}, HashedMessage: h[:]}, Nonce: nonce, CertReq: true})
}

// Stamp asks the TSA for a timestamp token of signature (the CMS
// signer's signature value) and checks that it stamps that signature.
func (t *TSA) Stamp(ctx context.Context, signature []byte) ([]byte, error) {
	nonce, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 63))
	if err != nil {
		return nil, err
	}
	req, err := TimeStampRequest(signature, nonce)
	if err != nil {
		return nil, err
	}
	timeout := t.Timeout
	if timeout == 0 {
		timeout = 10 * time.Second
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	hreq, err := http.NewRequestWithContext(ctx, http.MethodPost, t.URL, bytes.NewReader(req))
	if err != nil {
		return nil, fmt.Errorf("seal: the timestamp authority's address: %w", err)
	}
	hreq.Header.Set("Content-Type", "application/timestamp-query")
	client := t.Client
	if client == nil {
		client = http.DefaultClient
	}
	resp, err := client.Do(hreq)
	if err != nil {
		return nil, fmt.Errorf("seal: asking the timestamp authority: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("seal: the timestamp authority answered %s", resp.Status)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxTokenSize+1))
	if err != nil {
		return nil, fmt.Errorf("seal: reading the timestamp: %w", err)
	}
	if len(body) > maxTokenSize {
		return nil, errors.New("seal: the timestamp authority's answer is too large")
	}
	return tokenOf(body, signature, nonce)
}

// tokenOf takes the token from a TSA's response and checks it is granted
// and stamps signature's hash with the nonce asked for.
func tokenOf(body, signature []byte, nonce *big.Int) ([]byte, error) {
	var r timeStampResp
	if rest, err := asn1.Unmarshal(body, &r); err != nil || len(rest) > 0 {
		return nil, errors.New("seal: the timestamp authority's answer is not a timestamp response")
	}
	var status int
	if _, err := asn1.Unmarshal(r.Status.Bytes, &status); err != nil || status > 1 || len(r.Token.FullBytes) == 0 {
		return nil, fmt.Errorf("seal: the timestamp authority refused (status %d)", status)
	}
	info, _, err := checkToken(r.Token.FullBytes, signature)
	if err != nil {
		return nil, err
	}
	if info.Nonce != nil && info.Nonce.Cmp(nonce) != 0 {
		return nil, errors.New("seal: the timestamp answers another request (nonce)")
	}
	return r.Token.FullBytes, nil
}
