package attach

import (
	"bytes"
	"compress/zlib"
	"context"
	"errors"
	"fmt"
	"maps"
	"os"
	"strings"
	"testing"
	"time"

	"protokol/internal/pdftest"
)

func TestMain(m *testing.M) {
	ServeWorker() // this test binary is the worker of TestWorker…
	os.Exit(m.Run())
}

const page = "<</Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources <<>> /Contents 4 0 R>>"

var stream = pdftest.Stream

func read(t *testing.T, b []byte) (*File, error) {
	t.Helper()
	limit := 30 * time.Second
	if raceEnabled {
		limit *= 6 // hundreds of MiB decoded under the race detector, on a busy machine
	}
	ctx, cancel := context.WithTimeout(context.Background(), limit)
	defer cancel()
	return Read(ctx, b, Limits{})
}

// The file's own catalog, reached from a page's resources under every
// name a resource may have, brings none of what it holds: no JavaScript,
// embedded file, form, XFA or metadata reaches the copy.
func TestOnlyWhatAPageDrawsIsCopied(t *testing.T) {
	secret := "Fortroligxyzzy"
	for name, res := range map[string]string{
		"font":        "/Font <</F1 1 0 R>>",
		"xobject":     "/XObject <</X 1 0 R /Y 7 0 R>>",
		"gstate":      "/ExtGState <</G 1 0 R>>",
		"colorspace":  "/ColorSpace <</C [/Indexed /DeviceRGB 1 1 0 R]>>",
		"pattern":     "/Pattern <</P 1 0 R>>",
		"shading":     "/Shading <</S 1 0 R>>",
		"properties":  "/Properties <</O 1 0 R>>",
		"unknown key": "/Whatever 1 0 R",
		"direct":      "/Font <</F1 <</Type /Font /Subtype /Type1 /BaseFont /Helvetica /A 5 0 R /Parent 1 0 R>>>>",
	} {
		t.Run(name, func(t *testing.T) {
			b := pdftest.CatalogReach(res, secret)
			f, err := read(t, b)
			if err != nil {
				t.Fatal(err)
			}
			var all []byte
			for i := range f.Objects {
				o := &f.Objects[i]
				all = append(append(all, o.Dict...), o.Stream...)
				if o.Stream != nil {
					all = append(all, inflate(t, o.Stream)...)
				}
			}
			for _, bad := range []string{secret, "JavaScript", "/JS", "EmbeddedFile", "AcroForm", "/XFA", "/Metadata", "OpenAction", "/Annots", "/AA", "/Pages", "/Parent", "/Names"} {
				if bytes.Contains(all, []byte(bad)) {
					t.Errorf("the copy holds %q:\n%s", bad, all)
				}
			}
			if len(f.Pages) != 1 || !bytes.Contains(inflate(t, f.Objects[f.Pages[0].Form].Stream), []byte("(Hello) Tj")) {
				t.Error("the page's own content is lost")
			}
		})
	}
}

func inflate(t *testing.T, b []byte) []byte {
	t.Helper()
	r, err := zlib.NewReader(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("a copied stream is not FlateDecode: %v", err)
	}
	var out bytes.Buffer
	if _, err := out.ReadFrom(r); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

// A page tree whose nodes share their kids (60 levels: 2^60 paths) or
// that loops is refused as damaged at once, not walked path by path.
func TestPageTreeThatSharesOrLoopsIsRefused(t *testing.T) {
	for name, b := range map[string][]byte{
		"shared kids arrays": pdftest.DAG(60, true),
		"shared nodes":       pdftest.DAG(60, false),
		"a loop": pdftest.Objects("<</Type /Catalog /Pages 2 0 R>>", "<</Type /Pages /Kids [3 0 R] /Count 1>>",
			"<</Type /Pages /Kids [2 0 R] /Count 1>>"),
		"a page twice": pdftest.Objects("<</Type /Catalog /Pages 2 0 R>>", "<</Type /Pages /Kids [3 0 R 3 0 R] /Count 2>>", page,
			stream("", []byte("0 0 m"))),
	} {
		t.Run(name, func(t *testing.T) {
			_, err := read(t, b)
			var e *Error
			if !errors.As(err, &e) || !strings.Contains(e.Reason, "page tree") {
				t.Fatalf("err = %v, want a damaged page tree", err)
			}
		})
	}
}

// 300 pages whose content is 63 references to one 1 MiB stream: each
// page's form would be 63 MiB decoded. Shared as one array with shared
// resources, it is one form; as an array per page, the budget of decoded
// bytes stops the reading after a few pages, with an answer.
func TestSharedContentIsBounded(t *testing.T) {
	for _, shared := range []bool{true, false} {
		f, err := read(t, pdftest.SharedContent(300, 63, 1<<20, shared))
		if shared {
			if err != nil {
				t.Fatalf("shared content: %v", err)
			}
			forms := map[int]bool{}
			for _, p := range f.Pages {
				forms[p.Form] = true
			}
			if len(f.Pages) != 300 || len(forms) != 1 {
				t.Errorf("%d pages, %d forms; want 300 pages drawing one form", len(f.Pages), len(forms))
			}
			continue
		}
		var e *Error
		if !errors.As(err, &e) || !strings.Contains(e.Reason, "decode to more than 256 MiB together") {
			t.Errorf("content per page: err = %v, want the decoded budget", err)
		}
	}
}

// A content stream that is itself a decompression bomb is refused; one
// within the limits is decoded and compressed anew, so the packet holds
// nothing a reader must decompress beyond what we did.
func TestContentBombIsRefused(t *testing.T) {
	form := pdftest.FormBomb
	_, err := read(t, form(80<<20))
	var e *Error
	if !errors.As(err, &e) || !strings.Contains(e.Reason, "more than 64 MiB") {
		t.Errorf("an 80 MiB form: err = %v", err)
	}
	f, err := read(t, form(1<<20))
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range f.Objects {
		if bytes.Contains(o.Dict, []byte("/Subtype /Form /BBox [0 0 1 1]")) || bytes.Contains(o.Dict, []byte("/BBox [0 0 1 1]")) {
			if got := len(inflate(t, o.Stream)); got != 1<<20 {
				t.Errorf("the form decodes to %d bytes, want 1 MiB", got)
			}
			return
		}
	}
	t.Error("the form is not copied")
}

// An image whose data decodes to more than its pixels can take is a
// bomb, not an image: left out; a real one is kept.
func TestImageBombIsLeftOut(t *testing.T) {
	img := pdftest.ImageBomb
	_, err := read(t, img(50<<20))
	var e *Error
	if !errors.As(err, &e) {
		t.Errorf("a 50 MiB image of 100×100 pixels: err = %v, want it refused", err)
	}
	f, err := read(t, img(30000))
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, o := range f.Objects {
		found = found || bytes.Contains(o.Dict, []byte("/Subtype /Image"))
	}
	if !found {
		t.Error("a real image is left out")
	}
}

// 100,000 bookmarks: the first MaxOutline are kept, the rest not read; a
// list of bookmarks that loops ends where it began.
func TestBookmarksAreBounded(t *testing.T) {
	f, err := read(t, pdftest.Bookmarked(100_000, false))
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Outline) != MaxOutline || f.Outline[0].Title != "Bogmaerke 0" {
		t.Errorf("%d bookmarks kept, want %d", len(f.Outline), MaxOutline)
	}
	f, err = read(t, pdftest.Bookmarked(5, true))
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Outline) != 5 {
		t.Errorf("a looping outline gave %d bookmarks, want 5", len(f.Outline))
	}
}

// TestCostlyAttachmentSeesTheDeadline: a file of 300,000 objects (16 MB,
// seconds of reading) stops when the render's time is up, not when the
// reading is done.
func TestCostlyAttachmentSeesTheDeadline(t *testing.T) {
	if testing.Short() {
		t.Skip("reads a 16 MB file")
	}
	b := pdftest.Chain(300_000)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	_, err := Read(ctx, b, Limits{})
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v; the reading must stop at the deadline", err)
	}
}

// A chain of colour spaces 20,000 deep is refused as nested too deep,
// never copied by recursion without end.
func TestDeepChainIsRefused(t *testing.T) {
	_, err := read(t, pdftest.Chain(20_000))
	var e *Error
	if !errors.As(err, &e) || !strings.Contains(e.Reason, "nested too deep") {
		t.Fatalf("err = %v", err)
	}
}

// An object stream over what pdfcpu may decode of one is refused, and
// many within that limit are counted against the file's budget as they
// are reached (40 of 15 MiB: 600 MiB). What no budget of ours bounds
// (here: a budget set far too high) is contained by the worker: it dies
// at its memory limit, the file is named, the next file is read by a
// new worker and the caller is unharmed.
func TestWorkerContainsWhatCannotBeBounded(t *testing.T) {
	if testing.Short() {
		t.Skip("decodes hundreds of MiB")
	}
	_, err := read(t, pdftest.ObjectStreams(1, 20<<20))
	var e *Error
	if !errors.As(err, &e) || !strings.Contains(e.Reason, "more than 16 MiB") {
		t.Errorf("a 20 MiB object stream: err = %v, want it refused", err)
	}
	many := pdftest.ObjectStreams(40, 15<<20)
	_, err = read(t, many)
	if !errors.As(err, &e) || !strings.Contains(e.Reason, "256 MiB together") {
		t.Errorf("40 object streams of 15 MiB: err = %v, want the budget", err)
	}
	w := &Worker{Memory: 512 << 20}
	limit := 60 * time.Second
	if raceEnabled {
		limit *= 6
	}
	ctx, cancel := context.WithTimeout(context.Background(), limit)
	defer cancel()
	good := pdftest.Numbered("ok", 2)
	res, err := w.ReadAll(ctx, [][]byte{good, many, good}, Limits{MaxDecodedBytes: 8 << 30})
	if err != nil {
		t.Fatal(err)
	}
	if res[0].Err != nil || len(res[0].File.Pages) != 2 || res[2].Err != nil || len(res[2].File.Pages) != 2 {
		t.Errorf("the good files around the bad one: %+v, %+v", res[0], res[2])
	}
	if !errors.As(res[1].Err, &e) || !strings.Contains(e.Reason, "limits (memory or time)") {
		t.Errorf("the bad file: %v, want the worker's limits named", res[1].Err)
	}
}

// What a worker reads is what the process reads itself.
func TestWorkerReadsAsTheProcessDoes(t *testing.T) {
	b := pdftest.Make(pdftest.Page{W: pdftest.A4W, H: pdftest.A4H, Rotate: 90, Lines: []string{"Narhval"}},
		pdftest.Page{W: 420, H: 595, Split: true, Lines: []string{"Axolotl", "to"}})
	want, err := read(t, b)
	if err != nil {
		t.Fatal(err)
	}
	res, err := (&Worker{}).ReadAll(context.Background(), [][]byte{b, []byte("not a pdf")}, Limits{})
	if err != nil {
		t.Fatal(err)
	}
	got := res[0].File
	if res[0].Err != nil || fmt.Sprint(got.Pages) != fmt.Sprint(want.Pages) || len(got.Objects) != len(want.Objects) {
		t.Errorf("the worker read %+v (%v), the process %+v", got, res[0].Err, want)
	}
	for i := range want.Objects {
		if !bytes.Equal(got.Objects[i].Dict, want.Objects[i].Dict) || !bytes.Equal(got.Objects[i].Stream, want.Objects[i].Stream) {
			t.Errorf("object %d differs", i)
		}
	}
	var e *Error
	if !errors.As(res[1].Err, &e) || !strings.Contains(e.Reason, "not a PDF") {
		t.Errorf("the second file: %v", res[1].Err)
	}
}

// What the packet does not carry of a file's pages is counted, so the
// user can be told: links, form fields, comments (a popup is its
// comment's), attached files; annotations without a subtype are not
// content.
func TestWhatIsLeftIsCounted(t *testing.T) {
	b := pdftest.Objects(
		"<</Type /Catalog /Pages 2 0 R>>",
		"<</Type /Pages /Kids [3 0 R 5 0 R] /Count 2>>",
		"<</Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Annots [6 0 R 7 0 R <</Subtype /Widget /FT /Tx>> <</Subtype /Text>> <</Subtype /Popup>> <<>>]>>",
		pdftest.Stream("", []byte("BT /F1 12 Tf 72 700 Td (Hello) Tj ET")),
		"<</Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Annots 8 0 R>>",
		"<</Subtype /Link /Rect [0 0 10 10] /A <</S /URI /URI (https://example.org)>>>>",
		"<</Subtype /Link /Rect [0 0 10 10] /Dest [3 0 R /Fit]>>",
		"[<</Subtype /Highlight>> <</Subtype /FileAttachment /FS <</F (x.txt)>>>> 6 0 R]",
	)
	f, err := read(t, b)
	if err != nil {
		t.Fatal(err)
	}
	want := map[Kind]int{Links: 3, FormFields: 1, Comments: 2, AttachedFiles: 1}
	if !maps.Equal(f.Left, want) {
		t.Errorf("left: %v, want %v", f.Left, want)
	}
	if f, err := read(t, pdftest.Numbered("plain", 2)); err != nil || f.Left != nil {
		t.Errorf("a file without annotations: %v %v", f.Left, err)
	}
}

// Counting what is left out cannot make a file too complex to read: 2,500
// pages sharing one array of 1,000 links (2.5 million looks, more than
// the work budget) are read, and the count stops at maxAnnots.
func TestCountingLinksIsBounded(t *testing.T) {
	links := strings.Repeat("<</Subtype /Link /Rect [0 0 1 1]>> ", 1000)
	objs := []string{"<</Type /Catalog /Pages 2 0 R>>", "", "[" + links + "]", stream("", []byte("0 0 m 1 1 l S"))}
	var kids []string
	for i := range 2500 {
		kids = append(kids, fmt.Sprintf("%d 0 R", 5+i))
		objs = append(objs, "<</Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources <<>> /Contents 4 0 R /Annots 3 0 R>>")
	}
	objs[1] = fmt.Sprintf("<</Type /Pages /Kids [%s] /Count 2500>>", strings.Join(kids, " "))
	f, err := Read(context.Background(), pdftest.Objects(objs...), Limits{MaxPages: 5000})
	if err != nil {
		t.Fatal(err)
	}
	if f.Left[Links] != maxAnnots || len(f.Pages) != 2500 {
		t.Errorf("%v pages, left %v", len(f.Pages), f.Left)
	}
}
