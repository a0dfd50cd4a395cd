package pdf

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os/exec"
	"testing"
	"time"

	"protokol/internal/pdftest"
)

// chain is a PDF whose one page reaches n objects, each referring to
// the next: cheap to write, costly to read (pdfcpu takes about 8 KB of
// allocation per object) and to copy.
func chain(n int) []byte {
	objs := []string{"<</Type /Catalog /Pages 2 0 R>>", "<</Type /Pages /Kids [3 0 R] /Count 1>>",
		"<</Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources <</X [4 0 R]>>>>"}
	for i := len(objs) + 1; i <= n; i++ {
		objs = append(objs, fmt.Sprintf("[%d 0 R]", i+1))
	}
	return pdftest.Objects(objs...)
}

// TestCostlyAttachmentSeesTheDeadline: a file of 300,000 objects (16 MB,
// seconds of reading) stops when the render's time is up, not when the
// reading is done.
func TestCostlyAttachmentSeesTheDeadline(t *testing.T) {
	if testing.Short() {
		t.Skip("reads a 16 MB file")
	}
	b := chain(300_000)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	_, err := ReadSource(ctx, b, SourceLimits{MaxPages: 10, MaxDecodeBytes: 64 << 20})
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v; the reading must stop at the deadline", err)
	}
}

// TestLongObjectChainIsCopied: a page reaching objects through a chain
// of references is copied without recursion (a worklist), all of it.
func TestLongObjectChainIsCopied(t *testing.T) {
	s, err := ReadSource(context.Background(), chain(20_000), SourceLimits{MaxPages: 10, MaxDecodeBytes: 64 << 20})
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	d := &Document{Markdown: "Tekst.\n\n<!-- attachment k -->\n", Plain: true, Attachments: []*Attachment{{Key: "k", Source: s}}}
	if _, err := Render(context.Background(), &out, d); err != nil {
		t.Fatal(err)
	}
	xref, err := exec.Command("qpdf", "--show-xref", pdftest.File(t, out.Bytes())).Output()
	if err != nil {
		t.Fatal(err)
	}
	if n := bytes.Count(xref, []byte("\n")); n < 20_000 {
		t.Errorf("the packet has %d objects; the chain alone is 20,000", n)
	}
}
