package cos

import (
	"bytes"
	"compress/zlib"
	"fmt"
	"io"
	"strings"
	"testing"
)

func TestValuesWriteAsPDF(t *testing.T) {
	for _, c := range []struct {
		v    Value
		want string
	}{
		{Name("Type"), "/Type"},
		{Name("A B#(x)"), "/A#20B#23#28x#29"},
		{Name("Æ"), "/#C3#86"},
		{String("a(b)\\c\nd"), `(a\(b\)\\c\nd)`},
		{Text("Æ & 😀"), "<FEFF00C6002000260020D83DDE00>"},
		{Real(595.28), "595.28"},
		{Real(-0.00001), "0"},
		{Real(12), "12"},
		{Int(-3), "-3"},
		{Ref(12), "12 0 R"},
		{Array{Int(1), Name("N"), Array{}}, "[1 /N []]"},
		{NewDict("Type", Name("Page"), "Count", Int(0)), "<</Type /Page /Count 0>>"},
		{&Dict{}, "<<>>"},
		{&Stream{Dict: NewDict("Length", Int(99), "Filter", Name("FlateDecode")), Data: []byte("abc")}, "<</Filter /FlateDecode /Length 3>>"},
		{&Stream{Dict: &Dict{}, Data: nil}, "<</Length 0>>"},
		{Null{}, "null"},
		{Bool(true), "true"},
	} {
		if got := string(c.v.AppendPDF(nil)); got != c.want {
			t.Errorf("%#v: %s, want %s", c.v, got, c.want)
		}
	}
}

// classic builds a file with a classic cross-reference table from the
// objects' bodies (object i+1 is objs[i]).
func classic(header string, objs []string, trailer string) []byte {
	var b bytes.Buffer
	b.WriteString(header)
	offs := make([]int, len(objs))
	for i, o := range objs {
		offs[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	at := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, o := range offs {
		fmt.Fprintf(&b, "%010d 00000 n \n", o)
	}
	fmt.Fprintf(&b, "trailer\n%s\nstartxref\n%d\n%%%%EOF\n", trailer, at)
	return b.Bytes()
}

func TestReadFindsObjectsByTheTable(t *testing.T) {
	b := classic("%PDF-1.3\n% a comment\n", []string{
		"<< /Type /Catalog /Pages 2 0 R % comment inside\n>>",
		"<</Type/Pages/Kids[3 0 R]/Count 1>>",
		"<</Type /Page /Parent 2 0 R /Contents 4 0 R /Title (a\\(b\\) \\101\\\nc) /H <41 42 4>>>",
		"<< /Length 5 0 R >>\nstream\r\nq Q\nendstream",
		"4",
	}, "<</Root 1 0 R /Size 6>>")
	f, err := Read(b)
	if err != nil {
		t.Fatal(err)
	}
	cat := f.DictOf(f.Trailer.Get("Root"))
	if cat.Get("Type") != Name("Catalog") {
		t.Fatalf("catalog: %s", cat.AppendPDF(nil))
	}
	page := f.DictOf(f.DictOf(cat.Get("Pages")).Get("Kids").(Array)[0])
	if got := string(page.Get("Title").(String)); got != "a(b) Ac" {
		t.Errorf("title %q", got)
	}
	if got := string(page.Get("H").(String)); got != "AB@" {
		t.Errorf("hex string %q", got)
	}
	if s := f.Resolve(page.Get("Contents")).(*Stream); string(s.Data) != "q Q\n" {
		t.Errorf("stream data %q (its length is a reference)", s.Data)
	}
}

func TestReadRefusesBrokenFiles(t *testing.T) {
	deep := strings.Repeat("[", 100) + strings.Repeat("]", 100)
	for name, b := range map[string][]byte{
		"no startxref":     []byte("%PDF-1.3\n1 0 obj\n<<>>\nendobj\n"),
		"nested too deep":  classic("%PDF-1.3\n", []string{deep}, "<</Root 1 0 R>>"),
		"stream cut":       classic("%PDF-1.3\n", []string{"<</Length 999>>\nstream\nabc\nendstream"}, "<</Root 1 0 R>>"),
		"length is wrong":  classic("%PDF-1.3\n", []string{"<</Length 1>>\nstream\nabc\nendstream"}, "<</Root 1 0 R>>"),
		"a loop in /Prev":  bytes.Replace(classic("%PDF-1.3\n", []string{"<<>>"}, "<</Root 1 0 R /Prev 9>>"), []byte("/Prev 9"), []byte("/Prev 0"), 1),
		"unended string":   classic("%PDF-1.3\n", []string{"(abc"}, "<</Root 1 0 R>>"),
		"length to stream": classic("%PDF-1.3\n", []string{"<</Length 1 0 R>>\nstream\nabc\nendstream"}, "<</Root 1 0 R>>"),
	} {
		if _, err := Read(b); err == nil {
			t.Errorf("%s: read without an error", name)
		}
	}
}

// What the writer writes, the reader of another program reads: here our
// own reader after inflating the object streams by hand would be circular,
// so the test reads the cross-reference stream and an object stream as a
// reader does.
func TestWriteRoundTrip(t *testing.T) {
	f := &File{Objects: []Value{nil}}
	page := NewDict("Type", Name("Page"))
	cat := f.Add(NewDict("Type", Name("Catalog")))
	pr := f.Add(page)
	f.Add(&Stream{Dict: &Dict{}, Data: []byte("BT ET")})
	f.Trailer = NewDict("Root", cat)
	var out bytes.Buffer
	zl := func(b []byte) []byte {
		var z bytes.Buffer
		w := zlib.NewWriter(&z)
		w.Write(b)
		w.Close()
		return z.Bytes()
	}
	if err := (&Writer{Deflate: zl}).Write(&out, f); err != nil {
		t.Fatal(err)
	}
	s := out.String()
	if !strings.HasPrefix(s, "%PDF-1.7\n") || !strings.HasSuffix(s, "%%EOF\n") {
		t.Fatalf("not a PDF: %q", s)
	}
	if !strings.Contains(s, "1 0 obj\n<</Type /Catalog>>") || !strings.Contains(s, "stream\nBT ET\nendstream") {
		t.Errorf("the catalog and the stream are not objects of their own: %q", s)
	}
	i := strings.Index(s, "/Type /ObjStm")
	j := strings.Index(s[i:], "stream\n") + i + len("stream\n")
	r, err := zlib.NewReader(strings.NewReader(s[j:]))
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(r)
	if want := fmt.Sprintf("%d 0 <</Type /Page>>\n", pr); string(body) != want {
		t.Errorf("object stream %q, want %q", body, want)
	}
	var again bytes.Buffer
	(&Writer{Deflate: zl}).Write(&again, f)
	if !bytes.Equal(again.Bytes(), out.Bytes()) {
		t.Error("the same objects wrote two files")
	}
}
