package pdf

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"strings"

	"protokol/internal/render/cos"
	"protokol/internal/render/layout"
)

// Sealer signs a digest: the CMS SignedData of a detached content whose
// SHA-256 is digest (package seal).
type Sealer interface {
	Sign(ctx context.Context, digest []byte) ([]byte, error)
}

// A sealed file is written once with room for its signature: a
// signature dictionary (an object of its own, never packed) whose
// /ByteRange and /Contents are placeholders of fixed width, an invisible
// signature field on the last page (a Form element in the tags, so the
// file stays PDF/UA; a zero-size field needs no appearance, so it stays
// PDF/A), and the catalog's AcroForm. Then the byte ranges around
// /Contents are hashed, the CMS is made and written into the placeholder:
// everything but the signature itself is covered.
//
// Why invisible: a seal's proof is the signature a reader checks, not a
// picture of one; a visible block would move the signature sheet's
// layout and look the same on a copy whose seal is broken.

// SealError: the seal could not be made (a timestamp authority that
// does not answer, a key that does not sign); the file is not written.
type SealError struct{ Err error }

func (e *SealError) Error() string { return "sealing: " + e.Err.Error() }
func (e *SealError) Unwrap() error { return e.Err }

// SigRoom is the room for the CMS, in bytes (hex digits twice that): a
// certificate chain of a few certificates and a timestamp fit.
const SigRoom = 24 << 10

// sigDict is the signature dictionary; it records where in its own bytes
// its placeholders are.
type sigDict struct {
	date                   cos.String
	byteRangeAt, contentAt int // from the start of the value
}

// byteRangeWidth is the placeholder's width: "[0 " and three numbers of
// up to eleven digits, "]".
const byteRangeWidth = 40

func (s *sigDict) AppendPDF(b []byte) []byte {
	start := len(b)
	b = append(b, "<</Type /Sig /Filter /Adobe.PPKLite /SubFilter /ETSI.CAdES.detached /M "...)
	b = s.date.AppendPDF(b)
	b = append(b, " /ByteRange "...)
	s.byteRangeAt = len(b) - start
	b = append(b, '[')
	b = append(b, bytes.Repeat([]byte(" "), byteRangeWidth-2)...)
	b = append(b, "] /Contents "...)
	s.contentAt = len(b) - start
	b = append(b, '<')
	b = append(b, bytes.Repeat([]byte("0"), 2*SigRoom)...)
	return append(b, ">>>"...)
}

// signature is a signature being added: its dictionary and its object.
type signature struct {
	dict     *sigDict
	ref      cos.Ref
	acroForm *cos.Dict
}

// sealName is the signature field's name and alternate text.
const sealName = "Segl"

// addSignature adds the signature dictionary, the field's widget on the
// last page (owned by a Form element) and the catalog's AcroForm.
func (f *file) addSignature(t *layout.Tags, m meta) *signature {
	sig := &signature{dict: &sigDict{date: pdfDate(m.sealed)}}
	sig.ref = f.Add(sig.dict)
	last := len(f.pages) - 1
	alt := map[string]string{"da-DK": "Elektronisk segl", "en-GB": "Electronic seal"}[m.lang]
	// an empty appearance: a zero-size field needs none by PDF/A-2, but
	// readers that check by PDF/A-1's rules (PDFBox Preflight) ask for one
	ap := f.Add(&cos.Stream{Dict: cos.NewDict("Type", cos.Name("XObject"), "Subtype", cos.Name("Form"),
		"BBox", cos.Array{cos.Int(0), cos.Int(0), cos.Int(0), cos.Int(0)})})
	widget := f.Add(cos.NewDict("Type", cos.Name("Annot"), "Subtype", cos.Name("Widget"), "FT", cos.Name("Sig"),
		"T", cos.Text(sealName), "TU", cos.Text(alt), "V", sig.ref, "F", cos.Int(4),
		"Rect", cos.Array{cos.Int(0), cos.Int(0), cos.Int(0), cos.Int(0)}, "P", f.pageRefs[last], "AP", cos.NewDict("N", ap)))
	annots, _ := f.Resolve(f.pages[last].Get("Annots")).(cos.Array)
	f.pages[last].Set("Annots", append(annots, widget))
	if t != nil {
		t.AddAnnotation(last+1, "Form", alt)
	}
	sig.acroForm = cos.NewDict("Fields", cos.Array{widget}, "SigFlags", cos.Int(3))
	return sig
}

// seal writes the file with its signature: written once with the
// placeholders, hashed around /Contents, signed, patched.
func (f *file) seal(ctx context.Context, w io.Writer, wr cos.Writer, sig *signature, s Sealer) error {
	f.DictOf(f.Trailer.Get("Root")).Set("AcroForm", sig.acroForm)
	wr.Plain = map[cos.Ref]bool{sig.ref: true}
	wr.Offsets = map[cos.Ref]int{}
	var buf bytes.Buffer
	if err := wr.Write(&buf, f.File); err != nil {
		return err
	}
	b := buf.Bytes()
	at := wr.Offsets[sig.ref]
	from, to := at+sig.dict.contentAt, at+sig.dict.contentAt+2+2*SigRoom // the hex string, its brackets included
	br := fmt.Sprintf("[0 %d %d %d", from, to, len(b)-to)
	if len(br) > byteRangeWidth-1 {
		return fmt.Errorf("pdf: a byte range too long to write: %s]", br)
	}
	// the numbers, then spaces up to the placeholder's "]"
	copy(b[at+sig.dict.byteRangeAt:], br+strings.Repeat(" ", byteRangeWidth-1-len(br)))
	h := sha256.New()
	h.Write(b[:from])
	h.Write(b[to:])
	cms, err := s.Sign(ctx, h.Sum(nil))
	if err != nil {
		return &SealError{err}
	}
	if len(cms) > SigRoom {
		return fmt.Errorf("pdf: the seal is %d bytes; room for %d", len(cms), SigRoom)
	}
	hex.Encode(b[from+1:], cms)
	_, err = w.Write(b)
	return err
}
