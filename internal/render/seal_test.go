package render_test

import (
	"bytes"
	"context"
	"crypto/x509"
	"encoding/hex"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"protokol/examples"
	"protokol/internal/data"
	"protokol/internal/pdftest"
	"protokol/internal/render"
	"protokol/internal/seal"
	"protokol/internal/seal/sealtest"
	"protokol/templates"
)

// sealedRenderer is a renderer with a seal from a test CA (and a
// timestamp authority when tsa is set).
func sealedRenderer(t testing.TB, ca *sealtest.CA, keyKind string, tsa *sealtest.TSA) *render.Renderer {
	t.Helper()
	s := ca.Signer(t, "Odense Kommune", keyKind)
	if tsa != nil {
		s.TSA = &seal.TSA{URL: tsa.URL}
	}
	r, err := render.New(render.Config{Templates: templates.FS, Seal: s})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func exampleMinutes(t testing.TB) *data.Meeting {
	t.Helper()
	m, err := data.DecodeMeeting(examples.Read(examples.Minutes))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// needTool fails in CI and skips elsewhere when a checker is missing.
func needTool(t *testing.T, tool string) {
	t.Helper()
	if _, err := exec.LookPath(tool); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("%s is not installed; .ci/run installs it", tool)
		}
		t.Skipf("%s is not installed", tool)
	}
}

var byteRangeRE = regexp.MustCompile(`/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]`)

// signedParts are what a verifier reads: the bytes the byte range
// covers, and the CMS in /Contents.
func signedParts(t *testing.T, pdf []byte) (covered, cms []byte) {
	t.Helper()
	m := byteRangeRE.FindSubmatch(pdf)
	if m == nil {
		t.Fatal("no /ByteRange in the sealed file")
	}
	var n [4]int
	for i := range n {
		n[i], _ = strconv.Atoi(string(m[i+1]))
	}
	if n[0] != 0 || n[2]+n[3] != len(pdf) {
		t.Fatalf("the byte range %v does not cover the whole file of %d bytes", n, len(pdf))
	}
	covered = append(append([]byte{}, pdf[:n[1]]...), pdf[n[2]:n[2]+n[3]]...)
	der, err := hex.DecodeString(string(bytes.TrimRight(pdf[n[1]+1:n[2]-1], "0")))
	if err != nil {
		// an odd count of trailing zeros trimmed one too many
		der, err = hex.DecodeString(string(bytes.TrimRight(pdf[n[1]+1:n[2]-1], "0")) + "0")
	}
	if err != nil {
		t.Fatalf("/Contents is not hex: %v", err)
	}
	return covered, der
}

// mutoolSays is MuPDF's verdict (mutool sign -v).
func mutoolSays(t *testing.T, pdf []byte) string {
	t.Helper()
	out, _ := exec.Command("mutool", "sign", "-v", pdftest.File(t, pdf)).CombinedOutput()
	return string(out)
}

// pdfsigSays is pdfsig's verdict on a file, without the certificate's
// trust (its NSS database has no test CA; trust is checked by openssl
// and by our verify).
func pdfsigSays(t *testing.T, pdf []byte) string {
	t.Helper()
	out, _ := exec.Command("pdfsig", "-nocert", pdftest.File(t, pdf)).CombinedOutput()
	return string(out)
}

// opensslVerifies runs openssl cms -verify on the CMS over the covered
// bytes, with the test CA as the only anchor.
func opensslVerifies(t *testing.T, dir, caFile string, covered, cms []byte) error {
	t.Helper()
	content, sig := filepath.Join(dir, "covered.bin"), filepath.Join(dir, "sig.der")
	if err := os.WriteFile(content, covered, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(sig, cms, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("openssl", "cms", "-verify", "-binary", "-inform", "DER", "-in", sig, "-content", content,
		"-CAfile", caFile, "-purpose", "any", "-out", os.DevNull).CombinedOutput()
	if err != nil {
		return errors.New(string(out))
	}
	return nil
}

// A sealed minutes passes poppler's pdfsig, MuPDF's mutool sign -v,
// openssl cms -verify and our verify; one byte changed anywhere in what
// it covers makes all four fail; bytes added after it make it no longer cover the whole file. It
// stays PDF/UA (the field is tagged) and qpdf finds nothing to mend.
func TestSealedMinutesVerify(t *testing.T) {
	needTool(t, "pdfsig")
	needTool(t, "openssl")
	needTool(t, "mutool")
	ca := sealtest.NewCA(t, "Protokol Test Root")
	tsa := sealtest.NewTSA(t, ca)
	dir := t.TempDir()
	caFile := ca.WritePEM(t, dir)
	roots := x509.NewCertPool()
	roots.AddCert(ca.Cert)
	for _, c := range []struct {
		name, key string
		tsa       *sealtest.TSA
		doc       data.Document
		o         render.Options
	}{
		{"RSA-3072 minutes with signature sheet", "rsa", nil, data.DocMinutes, render.Options{Seal: true, Signatures: true}},
		{"ECDSA P-256 public decision record, timestamped", "ecdsa", tsa, data.DocDecisions, render.Options{Seal: true, Public: true}},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := sealedRenderer(t, ca, c.key, c.tsa)
			pdf := renderMeeting(t, r, c.doc, exampleMinutes(t), c.o).Body

			says := pdfsigSays(t, pdf)
			for _, want := range []string{"Signature Validation: Signature is Valid.", "Total document signed", "Signature Type: ETSI.CAdES.detached", "Signer Certificate Common Name: Odense Kommune"} {
				if !strings.Contains(says, want) {
					t.Errorf("pdfsig does not say %q:\n%s", want, says)
				}
			}
			if says := mutoolSays(t, pdf); !strings.Contains(says, "The document is unchanged since signing.") || !strings.Contains(says, "cn=Odense Kommune") {
				t.Errorf("mutool sign -v:\n%s", says)
			}
			covered, cms := signedParts(t, pdf)
			if err := opensslVerifies(t, t.TempDir(), caFile, covered, cms); err != nil {
				t.Errorf("openssl cms -verify: %v", err)
			}
			rep, err := seal.Verify(t.Context(), pdf, &seal.Trust{Roots: roots})
			if err != nil || len(rep.Seals) != 1 {
				t.Fatalf("verify: %v %+v", err, rep)
			}
			s := rep.Seals[0]
			if !s.Valid() || !strings.Contains(s.Signer, "Odense Kommune") || s.Organization != "Odense Kommune" || len(s.Problems) > 0 {
				t.Errorf("verify: %+v", s)
			}
			if c.tsa != nil && (s.TimeSource != "timestamp" || !s.TimeProven || !s.Time.Equal(tsa.At) || !strings.Contains(s.TimestampAuthority, "TSA")) {
				t.Errorf("the timestamp: %+v", s)
			}
			if c.tsa == nil && (s.TimeSource != "claimed" || s.TimeProven) {
				t.Errorf("the claimed time: %+v", s)
			}
			if tg := pdftest.CheckTagged(t, pdf); len(tg.Problems) > 0 {
				t.Errorf("tags: %v", tg.Problems)
			}
			if out, err := exec.Command("qpdf", "--check", pdftest.File(t, pdf)).CombinedOutput(); err != nil {
				t.Errorf("qpdf --check: %v\n%s", err, out)
			}

			// one byte changed in each covered range, and the range's
			// own numbers
			n := byteRangeRE.FindSubmatchIndex(pdf)
			_, gapEnd := gap(pdf)
			for _, at := range []int{len(pdf) / 3, n[2], gapEnd + (len(pdf)-gapEnd)/2, len(pdf) - 3} {
				bad := bytes.Clone(pdf)
				bad[at] ^= 0x01
				if strings.Contains(pdfsigSays(t, bad), "Signature is Valid.") {
					t.Errorf("byte %d changed: pdfsig still says valid", at)
				}
				if strings.Contains(mutoolSays(t, bad), "unchanged since signing") {
					t.Errorf("byte %d changed: mutool still says unchanged", at)
				}
				if rep, err := seal.Verify(context.Background(), bad, &seal.Trust{Roots: roots}); err == nil && len(rep.Seals) == 1 && rep.Seals[0].Valid() {
					t.Errorf("byte %d changed: our verify still says valid", at)
				}
				if at != n[2] { // the range itself changed: openssl is given the same bytes
					if err := opensslVerifies(t, t.TempDir(), caFile, flip(covered, pdf, at), cms); err == nil {
						t.Errorf("byte %d changed: openssl still verifies", at)
					}
				}
			}
			// an incremental update after the seal: still intact, no
			// longer the whole file
			appended := append(bytes.Clone(pdf), "\n1 0 obj\n(changed)\nendobj\n"...)
			rep, err = seal.Verify(t.Context(), appended, &seal.Trust{Roots: roots})
			if err != nil || len(rep.Seals) != 1 || !rep.Seals[0].Intact || rep.Seals[0].CoversWholeFile || rep.Seals[0].Valid() {
				t.Errorf("appended bytes: %+v %v", rep, err)
			}
			if strings.Contains(pdfsigSays(t, appended), "Total document signed") {
				t.Error("appended bytes: pdfsig says the total document is signed")
			}
			if !strings.Contains(mutoolSays(t, appended), "edits since signing") {
				t.Error("appended bytes: mutool sees no edits")
			}
			// without the anchor: intact, not trusted
			if rep, _ := seal.Verify(t.Context(), pdf, nil); rep.Seals[0].Trusted || !rep.Seals[0].Intact {
				t.Errorf("no anchors: %+v", rep.Seals[0])
			}
		})
	}
	if tsa.Requests.Load() != 1 {
		t.Errorf("the timestamp authority was asked %d times; once expected", tsa.Requests.Load())
	}
}

// gap is where /Contents' hex string lies.
func gap(pdf []byte) (from, to int) {
	m := byteRangeRE.FindSubmatch(pdf)
	from, _ = strconv.Atoi(string(m[2]))
	to, _ = strconv.Atoi(string(m[3]))
	return from, to
}

// flip is the covered bytes of pdf with the byte at (a file offset)
// changed.
func flip(covered, pdf []byte, at int) []byte {
	out := bytes.Clone(covered)
	from, to := gap(pdf)
	if at >= to {
		at -= to - from
	}
	out[at] ^= 0x01
	return out
}

// Asking for a seal where none is configured, or for a document that is
// not sealed, is a clear refusal, never a plain file.
func TestSealRefusals(t *testing.T) {
	_, err := newRenderer(t).Meeting(t.Context(), data.DocMinutes, exampleMinutes(t), render.Options{Seal: true})
	var oe *render.OptionError
	if !errors.As(err, &oe) || oe.Option != "seal" || !strings.Contains(oe.Message, "--seal-cert") {
		t.Errorf("no seal configured: %v", err)
	}
	if err := (render.Options{Seal: true}).Check(data.DocAgenda, render.FormatPDF); !errors.As(err, &oe) || oe.Option != "seal" {
		t.Errorf("a sealed agenda: %v", err)
	}
	if err := (render.Options{Seal: true}).Check(data.DocBudget, render.FormatXLSX); !errors.As(err, &oe) || oe.Option != "seal" {
		t.Errorf("a sealed budget: %v", err)
	}
	// a timestamp authority that does not answer: the render fails, with
	// a SealError, and writes nothing
	ca := sealtest.NewCA(t, "Root")
	tsa := sealtest.NewTSA(t, ca)
	tsa.Close()
	_, err = sealedRenderer(t, ca, "ecdsa", tsa).Meeting(t.Context(), data.DocMinutes, exampleMinutes(t), render.Options{Seal: true})
	var se *render.SealError
	if !errors.As(err, &se) {
		t.Errorf("a timestamp authority down: %v", err)
	}
}

// BenchmarkSealedMinutes is the example minutes (Odense, with the
// signature sheet) unsealed, and sealed with RSA-3072 and ECDSA P-256:
// the seal's cost is one more pass over the file (the hash) and the
// signature.
func BenchmarkSealedMinutes(b *testing.B) {
	ca := sealtest.NewCA(b, "Root")
	body := examples.Read(examples.Minutes)
	for _, c := range []struct{ name, key string }{{"unsealed", ""}, {"rsa3072", "rsa"}, {"ecdsaP256", "ecdsa"}} {
		r := newRenderer(b)
		o := render.Options{Signatures: true}
		if c.key != "" {
			r, o.Seal = sealedRenderer(b, ca, c.key, nil), true
		}
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				m, err := data.DecodeMeeting(body)
				if err != nil {
					b.Fatal(err)
				}
				if _, err := r.Meeting(context.Background(), data.DocMinutes, m, o); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// A meeting's own words cannot pose as a signature: a title that spells
// a byte range (it reaches the XMP uncompressed) leaves the one seal the
// file has, valid.
func TestTitleCannotPoseAsASeal(t *testing.T) {
	ca := sealtest.NewCA(t, "Root")
	m := exampleMinutes(t)
	m.Committee = "Udvalget /ByteRange [0 10 20 30] /Contents <3000>"
	pdf := renderMeeting(t, sealedRenderer(t, ca, "ecdsa", nil), data.DocMinutes, m, render.Options{Seal: true}).Body
	if !bytes.Contains(pdf, []byte("/ByteRange [0 10 20 30]")) {
		t.Fatal("the title's words are not in the file as written: the test proves nothing")
	}
	roots := x509.NewCertPool()
	roots.AddCert(ca.Cert)
	rep, err := seal.Verify(t.Context(), pdf, &seal.Trust{Roots: roots})
	if err != nil || len(rep.Seals) != 1 || !rep.Seals[0].Valid() {
		t.Errorf("%+v %v", rep, err)
	}
}
