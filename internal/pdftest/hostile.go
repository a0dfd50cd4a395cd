package pdftest

import (
	"bytes"
	"compress/zlib"
	"fmt"
	"strings"
)

// Hostile files: each small to write and built to cost a reader in one
// particular way. The attachment reader's tests and the service's crash
// test use the same ones.

// Zipped is b compressed as FlateDecode expects.
func Zipped(b []byte) []byte {
	var buf bytes.Buffer
	w, _ := zlib.NewWriterLevel(&buf, zlib.BestSpeed)
	w.Write(b)
	w.Close()
	return buf.Bytes()
}

// Stream is an indirect object's text: a compressed stream with the
// dictionary entries given.
func Stream(dict string, data []byte) string {
	z := Zipped(data)
	return fmt.Sprintf("<<%s /Filter /FlateDecode /Length %d>>\nstream\n%s\nendstream", dict, len(z), z)
}

// DAG is a page tree of the given depth whose nodes share their kids: at
// each level two nodes, both with the same list of the next level's two
// (shared as one Kids array, or as the same nodes listed twice), so a
// walk that follows every path takes 2^depth steps.
func DAG(depth int, sharedArray bool) []byte {
	objs := []string{"<</Type /Catalog /Pages 3 0 R>>", Stream("", []byte("0 0 m 1 1 l S"))}
	// level i's nodes are objects 3+3i and 4+3i; its kids array 5+3i
	for i := range depth {
		a, b, kids := 3+3*i, 4+3*i, 5+3*i
		next := fmt.Sprintf("[%d 0 R %d 0 R]", a+3, b+3)
		if i == depth-1 {
			next = "[]"
		}
		kidsRef := fmt.Sprintf("%d 0 R", kids)
		if !sharedArray {
			kidsRef = next
		}
		objs = append(objs,
			fmt.Sprintf("<</Type /Pages /Kids %s /Count 1>>", kidsRef),
			fmt.Sprintf("<</Type /Pages /Kids %s /Count 1>>", kidsRef),
			next)
	}
	return Objects(objs...)
}

// SharedContent is a file of pages pages whose content is refs
// references to one stream of about size bytes decoded: one array shared
// by all (and one resources dictionary), or an array of each page's own.
func SharedContent(pages, refs, size int, shared bool) []byte {
	big := Stream("", bytes.Repeat([]byte("0 0 m 1 1 l S\n"), size/14))
	list := "[" + strings.TrimSpace(strings.Repeat("4 0 R ", refs)) + "]"
	objs := []string{"<</Type /Catalog /Pages 2 0 R>>", "", list, big, "<<>>"}
	var kids []string
	for i := range pages {
		contents := "3 0 R"
		if !shared {
			contents = list
		}
		objs = append(objs, "<</Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources 5 0 R /Contents "+contents+">>")
		kids = append(kids, fmt.Sprintf("%d 0 R", 6+i))
	}
	objs[1] = fmt.Sprintf("<</Type /Pages /Kids [%s] /Count %d>>", strings.Join(kids, " "), pages)
	return Objects(objs...)
}

// FormBomb is a one-page file drawing a form XObject whose content
// decodes to n bytes.
func FormBomb(n int) []byte {
	return Objects("<</Type /Catalog /Pages 2 0 R>>", "<</Type /Pages /Kids [3 0 R] /Count 1>>",
		"<</Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources <</XObject <</X 5 0 R>>>> /Contents 4 0 R>>",
		Stream("", []byte("/X Do")),
		Stream(" /Type /XObject /Subtype /Form /BBox [0 0 1 1]", make([]byte, n)))
}

// ImageBomb is a one-page file drawing a 100×100 RGB image whose data
// decodes to n bytes (30,000 is the image; more is a bomb).
func ImageBomb(n int) []byte {
	return Objects("<</Type /Catalog /Pages 2 0 R>>", "<</Type /Pages /Kids [3 0 R] /Count 1>>",
		"<</Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources <</XObject <</I 5 0 R>>>> /Contents 4 0 R>>",
		Stream("", []byte("q 100 0 0 100 0 0 cm /I Do Q")),
		Stream(" /Type /XObject /Subtype /Image /Width 100 /Height 100 /ColorSpace /DeviceRGB /BitsPerComponent 8", make([]byte, n)))
}

// Bookmarked is a one-page file with n bookmarks, each opening the page; the
// last one's /Next points back at the first when loop.
func Bookmarked(n int, loop bool) []byte {
	objs := []string{"<</Type /Catalog /Pages 2 0 R /Outlines 5 0 R>>", "<</Type /Pages /Kids [3 0 R] /Count 1>>",
		"<</Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources <<>> /Contents 4 0 R>>",
		Stream("", []byte("0 0 m")), fmt.Sprintf("<</Type /Outlines /First 6 0 R /Last %d 0 R /Count %d>>", 5+n, n)}
	for i := range n {
		next := fmt.Sprintf(" /Next %d 0 R", 7+i)
		if i == n-1 {
			next = ""
			if loop {
				next = " /Next 6 0 R"
			}
		}
		objs = append(objs, fmt.Sprintf("<</Title (Bogmaerke %d) /Parent 5 0 R /Dest [3 0 R /Fit]%s>>", i, next))
	}
	return Objects(objs...)
}

// Chain is a file whose one page names a colour space that is a chain of
// n-3 objects, each an indexed colour space on the next.
func Chain(n int) []byte {
	objs := []string{"<</Type /Catalog /Pages 2 0 R>>", "<</Type /Pages /Kids [3 0 R] /Count 1>>",
		"<</Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources <</ColorSpace <</C 4 0 R>>>>>>"}
	for i := len(objs) + 1; i <= n; i++ {
		objs = append(objs, fmt.Sprintf("[/Indexed %d 0 R 1 <00>]", i+1))
	}
	return Objects(objs...)
}

// ObjectStreams is a file whose page names n objects, each in an object
// stream of its own that decodes to about size bytes (a cross-reference
// stream lists them).
func ObjectStreams(n, size int) []byte {
	var b bytes.Buffer
	b.WriteString("%PDF-1.7\n")
	type entry struct{ typ, a, b int }
	entries := []entry{{0, 0, 65535}}
	obj := func(s string) {
		entries = append(entries, entry{1, b.Len(), 0})
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", len(entries)-1, s)
	}
	obj("<</Type /Catalog /Pages 2 0 R>>")
	obj("<</Type /Pages /Kids [3 0 R] /Count 1>>")
	first := len(entries) + 1 // object streams first..first+n-1, their objects after
	var cs []string
	for i := range n {
		cs = append(cs, fmt.Sprintf("/C%d %d 0 R", i, first+n+i))
	}
	obj("<</Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources <</ColorSpace <<" + strings.Join(cs, " ") + ">>>>>>")
	for i := range n {
		prolog := fmt.Sprintf("%d 0 ", first+n+i)
		data := append([]byte(prolog), bytes.Repeat([]byte(" "), size)...)
		data = append(data, "null"...)
		obj(Stream(fmt.Sprintf(" /Type /ObjStm /N 1 /First %d", len(prolog)), data))
	}
	for i := range n {
		entries = append(entries, entry{2, first + i, 0})
	}
	xrefNum := len(entries)
	entries = append(entries, entry{1, b.Len(), 0})
	var rows []byte
	for _, e := range entries {
		rows = append(rows, byte(e.typ), byte(e.a>>24), byte(e.a>>16), byte(e.a>>8), byte(e.a), byte(e.b>>8), byte(e.b))
	}
	off := b.Len()
	fmt.Fprintf(&b, "%d 0 obj\n<</Type /XRef /Size %d /W [1 4 2] /Root 1 0 R /Length %d>>\nstream\n", xrefNum, len(entries), len(rows))
	b.Write(rows)
	fmt.Fprintf(&b, "\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n", off)
	return b.Bytes()
}

// CatalogReach is a one-page file whose page's resources (res, a
// dictionary's inside) may name object 1, its catalog, which holds
// JavaScript, an embedded file, a form with XFA and metadata, each
// carrying secret.
func CatalogReach(res, secret string) []byte {
	catalog := "<</Type /Catalog /Pages 2 0 R /OpenAction 5 0 R /Names <</EmbeddedFiles <</Names [(a) 6 0 R]>> /JavaScript <</Names [(j) 5 0 R]>>>>" +
		" /AcroForm <</Fields [8 0 R] /XFA 9 0 R>> /Metadata 10 0 R /Outlines 11 0 R>>"
	return Objects(catalog,
		"<</Type /Pages /Kids [3 0 R] /Count 1>>",
		"<</Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources <<"+res+">> /Contents 4 0 R /Annots [8 0 R] /AA <</O 5 0 R>>>>",
		Stream("", []byte("BT /F1 12 Tf 72 700 Td (Hello) Tj ET")),
		"<</S /JavaScript /JS ("+secret+" app.alert)>>",
		"<</Type /Filespec /F (a.txt) /EF <</F 12 0 R>>>>",
		Stream(" /Type /XObject /Subtype /Form /BBox [0 0 10 10] /Resources <</Font <</Z 1 0 R>>>> /Metadata 10 0 R", []byte("0 0 m 10 10 l S")),
		"<</FT /Tx /T ("+secret+" field) /V ("+secret+" value) /Subtype /Widget /A 5 0 R>>",
		Stream("", []byte("<xdp>"+secret+" xfa</xdp>")),
		Stream(" /Type /Metadata /Subtype /XML", []byte(secret+" metadata")),
		"<</Type /Outlines>>",
		Stream(" /Type /EmbeddedFile", []byte(secret+" embedded")),
	)
}

// TinyObjects is a one-page file whose page names n tiny objects (optional
// content groups, in one array): a file of many objects, each cheap to
// write and costly to read and copy.
func TinyObjects(n int) []byte {
	objs := []string{"<</Type /Catalog /Pages 2 0 R>>", "<</Type /Pages /Kids [3 0 R] /Count 1>>", "", Stream("", []byte("0 0 m"))}
	var refs strings.Builder
	for i := range n {
		fmt.Fprintf(&refs, "%d 0 R ", 5+i)
		objs = append(objs, "<</Type /OCG /Name (g)>>")
	}
	objs[2] = "<</Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources <</Properties <</P <</Type /OCMD /OCGs [" + refs.String() + "]>>>>>>>>"
	return Objects(objs...)
}
