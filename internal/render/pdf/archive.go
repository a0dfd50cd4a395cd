package pdf

import (
	"bufio"
	"bytes"
	_ "embed"
	"errors"
	"fmt"
	"hash/crc64"
	"hash/fnv"
	"io"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf16"
)

// What fpdf cannot write, a post-pass over its finished bytes adds: the
// structure tree the layout recorded (tags.go), the catalog entries of a
// tagged PDF (MarkInfo, StructTreeRoot, ViewerPreferences, Lang), the
// PDF/A parts (XMP metadata matching the Info dictionary, an sRGB output
// intent, a trailer ID from the content, link annotations that print,
// outline counts, no EmbeddedFiles tree), and page entries (StructParents,
// Tabs). The file is written anew, every object once, with a fresh xref.
//
// Why a post-pass and not a patched fpdf or pdfcpu: fpdf's output is
// simple and regular (numbered objects, plain dictionaries, streams with a
// direct /Length), so reading it back is a hundred lines that depend on
// nothing; a vendored fork of fpdf would have to be kept in step with
// upstream, and pdfcpu rewrites Producer and dates and costs more than the
// whole layout. The pass is part of every render, so a PDF is archival by
// default; Document.Plain skips it.

//go:embed icc/sRGB2014.icc
var sRGB []byte

// object is one indirect object of fpdf's output.
type object struct {
	num    int
	dict   string // the dictionary or other value, as written
	stream []byte // nil for objects without a stream
}

var (
	objHead      = regexp.MustCompile(`^(\d+) 0 obj\n`)
	lengthKey    = regexp.MustCompile(`/Length (\d+)`)
	refs         = regexp.MustCompile(`(\d+) 0 R`)
	resourcesRef = regexp.MustCompile(`/Resources (\d+) 0 R`)
	contentsRef  = regexp.MustCompile(`/Contents (\d+) 0 R`)
)

// readObjects parses fpdf's output into its objects, in file order.
func readObjects(b []byte) ([]*object, error) {
	// past the header's two lines
	i := bytes.IndexByte(b, '\n') + 1
	i += bytes.IndexByte(b[i:], '\n') + 1
	var out []*object
	for {
		m := objHead.FindSubmatch(b[i:])
		if m == nil {
			break
		}
		num, _ := strconv.Atoi(string(m[1]))
		i += len(m[0])
		o := &object{num: num}
		end := bytes.Index(b[i:], []byte("\nendobj\n"))
		st := bytes.Index(b[i:], []byte("\nstream\n"))
		if end < 0 {
			return nil, fmt.Errorf("pdf: object %d has no end", num)
		}
		if st >= 0 && st < end {
			o.dict = string(b[i : i+st])
			lm := lengthKey.FindStringSubmatch(o.dict)
			if lm == nil {
				return nil, fmt.Errorf("pdf: stream %d has no length", num)
			}
			n, _ := strconv.Atoi(lm[1])
			s := i + st + len("\nstream\n")
			if s+n > len(b) {
				return nil, fmt.Errorf("pdf: stream %d is cut", num)
			}
			o.stream = b[s : s+n]
			i = s + n
			rest := []byte("\nendstream\nendobj\n")
			if !bytes.HasPrefix(b[i:], rest) {
				return nil, fmt.Errorf("pdf: stream %d does not end where its length says", num)
			}
			i += len(rest)
		} else {
			o.dict = string(b[i : i+end])
			i += end + len("\nendobj\n")
		}
		out = append(out, o)
	}
	return out, nil
}

// meta is what the post-pass writes about the document.
type meta struct {
	title, subject, author, keywords string
	lang                             string // BCP 47, e.g. "da-DK"
	date                             time.Time
	packet                           bool // pages of attachments' own: no PDF/A or PDF/UA claim
}

// archive writes fpdf's output b to w with the document's fonts embedded
// and the page streams compressed; unless plain, as a tagged PDF/A-2a,
// PDF/UA-1 file.
func archive(w io.Writer, b []byte, t *tagger, m meta, fs *fontSet, used *fontUse, att []placed, plain bool) error {
	f, err := readFile(b)
	if err != nil {
		return err
	}
	if err := f.resources(fs, used, att); err != nil {
		return err
	}
	f.compressPages()
	if plain {
		return write(w, f.objs, f.catalog.num, f.info.num)
	}
	root := f.structure(t)
	f.metadata(m, root)
	return write(w, f.objs, f.catalog.num, f.info.num)
}

// file is fpdf's output as objects, while the post-pass adds to it.
type file struct {
	objs                    []*object
	byNum                   map[int]*object
	next                    int   // the next object number
	pages                   []int // the pages' object numbers, in order
	catalog, info, outlines *object
}

// readFile reads fpdf's output: its objects, pages, catalog, Info
// dictionary and outline root.
func readFile(b []byte) (*file, error) {
	objs, err := readObjects(b)
	if err != nil {
		return nil, err
	}
	f := &file{objs: objs, byNum: map[int]*object{}}
	for _, o := range objs {
		f.byNum[o.num] = o
		f.next = max(f.next, o.num+1)
	}
	if f.pages = pageNumbers(f.byNum[1]); len(f.pages) == 0 {
		return nil, errors.New("pdf: no pages")
	}
	for _, o := range objs {
		switch {
		case strings.Contains(o.dict, "/Type /Catalog"):
			f.catalog = o
		case strings.HasPrefix(o.dict, "<<\n/Producer"):
			f.info = o
		case strings.HasPrefix(o.dict, "<</Type /Outlines"):
			f.outlines = o
		}
	}
	if f.catalog == nil || f.info == nil {
		return nil, errors.New("pdf: no catalog or info")
	}
	return f, nil
}

// newObj adds an object with the next number.
func (f *file) newObj(dict string, stream []byte) *object {
	o := &object{num: f.next, dict: dict, stream: stream}
	f.next++
	f.objs = append(f.objs, o)
	f.byNum[o.num] = o
	return o
}

// resources embeds the fonts into the pages' shared resources and the
// attachments' pages into the pages that draw them.
func (f *file) resources(fs *fontSet, used *fontUse, att []placed) error {
	first := f.byNum[f.pages[0]]
	rm := resourcesRef.FindStringSubmatch(first.dict)
	if rm == nil {
		return errors.New("pdf: no resources")
	}
	rn, _ := strconv.Atoi(rm[1])
	res := f.byNum[rn]
	if res == nil {
		return errors.New("pdf: no resources")
	}
	fonts := embedFonts(f.newObj, fs, used)
	if i := strings.Index(res.dict, "/Font <<"); i >= 0 {
		res.dict = res.dict[:i+len("/Font <<")] + fonts + res.dict[i+len("/Font <<"):]
	} else {
		res.dict = strings.TrimSuffix(strings.TrimSpace(res.dict), ">>") + "/Font <<" + fonts + ">>\n>>"
	}
	importPages(att, f.pages, f.byNum, res, rm[0], f.newObj)
	return nil
}

// compressPages compresses the pages' content streams.
func (f *file) compressPages() {
	var streams []*object
	for _, num := range f.pages {
		if cm := contentsRef.FindStringSubmatch(f.byNum[num].dict); cm != nil {
			cn, _ := strconv.Atoi(cm[1])
			if c := f.byNum[cn]; c != nil && c.stream != nil {
				streams = append(streams, c)
			}
		}
	}
	compressStreams(streams)
}

// structure writes the structure tree the layout recorded: elements get
// object numbers first, so kids and the parent tree can refer to them;
// then the pages' annotations become objects of their own, and the
// parent tree and the elements are written. It returns the tree's root.
func (f *file) structure(t *tagger) *object {
	pruneEmpty(t.root)
	root := f.newObj("", nil)
	var elems []*elem
	var number func(el *elem)
	number = func(el *elem) {
		el.obj = f.next
		f.next++
		elems = append(elems, el)
		for _, k := range el.kids {
			if k.elem != nil {
				number(k.elem)
			}
		}
	}
	number(t.root)
	annotObj, nums, nextKey := f.pageEntries(t)
	parentTree := f.newObj("<</Nums ["+strings.Join(nums, "\n")+"]>>", nil)
	root.dict = fmt.Sprintf("<</Type /StructTreeRoot /K %d 0 R /ParentTree %d 0 R /ParentTreeNextKey %d>>", t.root.obj, parentTree.num, nextKey)
	f.elements(elems, root, annotObj)
	return root
}

// pageEntries gives each page its StructParents and its annotations
// objects of their own (printable, each owned by its Link element), and
// returns the annotations' objects, the parent tree's entries (pages'
// keys first, then the annotations') and the next key.
func (f *file) pageEntries(t *tagger) (annotObj map[[2]int]int, nums []string, nextKey int) {
	annotObj = map[[2]int]int{}      // page, index -> object
	structParent := len(f.pages)     // the parent-tree keys after the pages' are the annotations'
	var pageNums, annotNums []string // the parent tree: pages' keys come first, then the annotations
	for p, num := range f.pages {
		o := f.byNum[num]
		dict, annots := splitAnnots(o.dict)
		dict = strings.TrimSuffix(strings.TrimSpace(dict), ">>")
		var refsOut []string
		for i, a := range annots {
			var owner *elem
			if i < len(t.annots[p+1]) {
				owner = t.annots[p+1][i]
			}
			a = strings.TrimSuffix(a, ">>")
			a += " /F 4"
			if owner != nil {
				a += fmt.Sprintf(" /StructParent %d /Contents %s", structParent, textString(owner.text))
				annotNums = append(annotNums, fmt.Sprintf("%d %d 0 R", structParent, owner.obj))
				structParent++
			}
			ao := f.newObj(a+">>", nil)
			annotObj[[2]int{p + 1, i}] = ao.num
			refsOut = append(refsOut, fmt.Sprintf("%d 0 R", ao.num))
		}
		dict += fmt.Sprintf("\n/StructParents %d", p)
		if len(refsOut) > 0 {
			dict += "\n/Annots [" + strings.Join(refsOut, " ") + "]\n/Tabs /S"
		}
		o.dict = dict + ">>"
		var mc []string
		for _, el := range t.mcids[p+1] {
			mc = append(mc, fmt.Sprintf("%d 0 R", el.obj))
		}
		pageNums = append(pageNums, fmt.Sprintf("%d [%s]", p, strings.Join(mc, " ")))
	}
	return annotObj, slices.Concat(pageNums, annotNums), structParent
}

// elements writes every structure element's dictionary.
func (f *file) elements(elems []*elem, root *object, annotObj map[[2]int]int) {
	var d []byte // one buffer for every element's dictionary
	ref := func(n int) { d = append(strconv.AppendInt(d, int64(n), 10), " 0 R"...) }
	for _, el := range elems {
		parent := root.num
		if el.parent != nil {
			parent = el.parent.obj
		}
		d = append(append(d[:0], "<</Type /StructElem /S /"...), el.typ...)
		d = append(d, " /P "...)
		ref(parent)
		d = append(d, " /K ["...)
		for _, k := range el.kids {
			switch {
			case k.elem != nil:
				ref(k.elem.obj)
			case k.annot >= 0:
				if ao, ok := annotObj[[2]int{k.page, k.annot}]; ok {
					d = append(d, "<</Type /OBJR /Obj "...)
					ref(ao)
					d = append(d, " /Pg "...)
					ref(f.pages[k.page-1])
					d = append(d, ">>"...)
				}
			default:
				d = append(d, "<</Type /MCR /Pg "...)
				ref(f.pages[k.page-1])
				d = append(strconv.AppendInt(append(d, " /MCID "...), int64(k.mcid), 10), ">>"...)
			}
			d = append(d, ' ')
		}
		d = append(d, ']')
		if el.attrs != "" {
			d = append(append(d, ' '), el.attrs...)
		}
		if el.typ == "Link" && el.text != "" {
			d = append(append(d, " /Alt "...), textString(el.text)...)
		}
		o := &object{num: el.obj, dict: string(append(d, ">>"...))}
		f.byNum[o.num] = o
		f.objs = append(f.objs, o)
	}
}

// metadata writes the PDF/A and PDF/UA parts of the catalog: outline
// counts, Info, XMP, the sRGB output intent, Lang, MarkInfo, the
// structure tree and the viewer preferences.
func (f *file) metadata(m meta, root *object) {
	if f.outlines != nil {
		countOutlines(f.objs, f.outlines)
	}
	f.info.dict = infoDict(m)
	xmp := f.newObj("", []byte(xmpPacket(m)))
	xmp.dict = fmt.Sprintf("<</Type /Metadata /Subtype /XML /Length %d>>", len(xmp.stream))
	iccData := deflate(sRGB)
	icc := f.newObj(fmt.Sprintf("<</N 3 /Filter /FlateDecode /Length %d>>", len(iccData)), iccData)
	cat := fmt.Sprintf("<</Type /Catalog\n/Pages 1 0 R\n/Lang (%s)\n/MarkInfo <</Marked true>>\n/StructTreeRoot %d 0 R\n/ViewerPreferences <</DisplayDocTitle true>>\n/Metadata %d 0 R\n"+
		"/OutputIntents [<</Type /OutputIntent /S /GTS_PDFA1 /OutputConditionIdentifier (sRGB IEC61966-2.1) /Info (sRGB IEC61966-2.1) /DestOutputProfile %d 0 R>>]",
		m.lang, root.num, xmp.num, icc.num)
	if f.outlines != nil {
		cat += fmt.Sprintf("\n/Outlines %d 0 R\n/PageMode /UseOutlines", f.outlines.num)
	}
	f.catalog.dict = cat + ">>"
}

// pageNumbers lists the page objects of the page tree, in order.
func pageNumbers(tree *object) []int {
	if tree == nil {
		return nil
	}
	_, kids, ok := strings.Cut(tree.dict, "/Kids [")
	if !ok {
		return nil
	}
	kids, _, _ = strings.Cut(kids, "]")
	var out []int
	for _, m := range refs.FindAllStringSubmatch(kids, -1) {
		n, _ := strconv.Atoi(m[1])
		out = append(out, n)
	}
	return out
}

// splitAnnots takes the inline annotation dictionaries out of a page
// dictionary.
func splitAnnots(dict string) (string, []string) {
	i := strings.Index(dict, "/Annots [")
	if i < 0 {
		return dict, nil
	}
	j := i + len("/Annots [")
	var annots []string
	depth, start := 0, -1
	for ; j < len(dict); j++ {
		switch {
		case dict[j] == '(':
			j = skipString(dict, j)
		case strings.HasPrefix(dict[j:], "<<"):
			if depth == 0 {
				start = j
			}
			depth++
			j++
		case strings.HasPrefix(dict[j:], ">>"):
			depth--
			j++
			if depth == 0 {
				annots = append(annots, dict[start:j+1])
			}
		case dict[j] == ']' && depth == 0:
			return dict[:i] + dict[j+1:], annots
		}
	}
	return dict, annots
}

// skipString returns the index of the parenthesis closing the literal
// string that opens at s[i].
func skipString(s string, i int) int {
	depth := 0
	for ; i < len(s); i++ {
		switch s[i] {
		case '\\':
			i++
		case '(':
			depth++
		case ')':
			depth--
			if depth == 0 {
				return i
			}
		}
	}
	return i
}

// pruneEmpty drops elements with no content, which would only puzzle a
// screen reader.
func pruneEmpty(el *elem) bool {
	kept := el.kids[:0]
	for _, k := range el.kids {
		if k.elem == nil || pruneEmpty(k.elem) {
			kept = append(kept, k)
		}
	}
	el.kids = kept
	// an empty table cell stays: every row keeps as many cells as its
	// header, so a screen reader announces each amount under its column
	return len(kept) > 0 || el.parent == nil || el.typ == "TD" || el.typ == "TH"
}

// countOutlines gives every outline item with children, and the root,
// the /Count of its descendants (all open).
func countOutlines(objs []*object, root *object) {
	parentOf := map[int]int{}
	items := map[int]*object{}
	for _, o := range objs {
		if !strings.HasPrefix(o.dict, "<</Title") {
			continue
		}
		if _, p, ok := strings.Cut(o.dict, "/Parent "); ok {
			n, _ := strconv.Atoi(strings.Fields(p)[0])
			parentOf[o.num] = n
			items[o.num] = o
		}
	}
	count := map[int]int{}
	for n := range items {
		for p, ok := parentOf[n]; ok || p == root.num; p, ok = parentOf[p] {
			count[p]++
			if p == root.num {
				break
			}
		}
	}
	for n, o := range items {
		o.dict = strings.Replace(o.dict, "/Count 0>>", fmt.Sprintf("/Count %d>>", count[n]), 1)
	}
	root.dict = strings.TrimSuffix(root.dict, ">>") + fmt.Sprintf(" /Count %d>>", count[root.num])
}

// write serializes the objects to w. Objects without a stream go into
// compressed object streams (the structure tree is most of a file's
// objects), so the file ends with a cross-reference stream; its /ID is a
// digest of the content (the page streams and the metadata), so identical
// input gives an identical file.
func write(w io.Writer, objs []*object, catalog, info int) error {
	slices.SortFunc(objs, func(a, b *object) int { return a.num - b.num })
	size := objs[len(objs)-1].num + 1
	locs := make([]xrefLoc, size)
	plain, objStms, names := pack(objs, catalog, size, locs)

	out := &counter{w: bufio.NewWriterSize(w, 64<<10)}
	out.WriteString("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
	sum := crc64.New(crcTable)
	stmAt := map[int]int{}
	for _, o := range plain {
		if o.num < size {
			locs[o.num] = xrefLoc{1, out.n, 0}
		} else {
			stmAt[o.num] = out.n
		}
		out.WriteString(strconv.Itoa(o.num))
		out.WriteString(" 0 obj\n")
		out.WriteString(o.dict)
		out.WriteString("\n")
		if o.stream != nil {
			out.WriteString("stream\n")
			out.Write(o.stream)
			out.WriteString("\nendstream\n")
			if !strings.Contains(o.dict, "/ObjStm") && !strings.Contains(o.dict, "/Length1") {
				sum.Write(o.stream)
			}
		}
		out.WriteString("endobj\n")
	}
	id := fmt.Sprintf("%016x%016x", sum.Sum64(), names)
	writeXRef(out, locs, objStms, stmAt, size+len(objStms), catalog, info, id)
	if out.err != nil {
		return out.err
	}
	return out.w.(*bufio.Writer).Flush()
}

// xrefLoc is where an object is: kind 1 at an offset (a), kind 2 in an
// object stream (a) at an index (b).
type xrefLoc struct{ kind, a, b int }

// pack puts every object without a stream, but the catalog (which some
// readers look for first), into object streams numbered from size, and
// returns the objects to write plainly (the object streams last) and a
// digest of the packed dictionaries (the ID's second half).
func pack(objs []*object, catalog, size int, locs []xrefLoc) (plain, objStms []*object, names uint64) {
	var packed []*object
	for _, o := range objs {
		if o.stream == nil && o.num != catalog {
			packed = append(packed, o)
		} else {
			plain = append(plain, o)
		}
	}
	next := size
	digest := fnv.New64a()
	var head, body []byte
	for i := 0; i < len(packed); i += objStmSize {
		group := packed[i:min(i+objStmSize, len(packed))]
		head, body = head[:0], body[:0]
		for k, o := range group {
			head = strconv.AppendInt(head, int64(o.num), 10)
			head = append(head, ' ')
			head = strconv.AppendInt(head, int64(len(body)), 10)
			head = append(head, ' ')
			body = append(body, o.dict...)
			body = append(body, '\n')
			locs[o.num] = xrefLoc{2, next, k}
		}
		digest.Write(body)
		first := len(head)
		data := deflateWith(objStmLevel, append(head, body...))
		objStms = append(objStms, &object{num: next, stream: data,
			dict: fmt.Sprintf("<</Type /ObjStm /N %d /First %d /Filter /FlateDecode /Length %d>>", len(group), first, len(data))})
		next++
	}
	return append(plain, objStms...), objStms, digest.Sum64()
}

// writeXRef writes the cross-reference stream (object xrefNum, the last):
// type, 4-byte offset or stream, 2-byte index; then the trailer's end.
func writeXRef(out *counter, locs []xrefLoc, objStms []*object, stmAt map[int]int, xrefNum, catalog, info int, id string) {
	var x []byte
	entry := func(kind byte, a uint32, b uint16) {
		x = append(x, kind, byte(a>>24), byte(a>>16), byte(a>>8), byte(a), byte(b>>8), byte(b))
	}
	entry(0, 0, 65535)
	for n := 1; n < len(locs); n++ {
		switch l := locs[n]; l.kind {
		case 1:
			entry(1, uint32(l.a), 0)
		case 2:
			entry(2, uint32(l.a), uint16(l.b))
		default:
			entry(0, 0, 0)
		}
	}
	for _, o := range objStms {
		entry(1, uint32(stmAt[o.num]), 0)
	}
	xrefAt := out.n
	entry(1, uint32(xrefAt), 0)
	data := deflate(x)
	fmt.Fprintf(out, "%d 0 obj\n<</Type /XRef /Size %d /W [1 4 2] /Root %d 0 R /Info %d 0 R /ID [<%s> <%s>] /Filter /FlateDecode /Length %d>>\nstream\n",
		xrefNum, xrefNum+1, catalog, info, id, id, len(data))
	out.Write(data)
	fmt.Fprintf(out, "\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n", xrefAt)
}

// objStmSize is how many objects one object stream holds.
const objStmSize = 200

var crcTable = crc64.MakeTable(crc64.ECMA)

// counter counts what it writes and keeps the first error.
type counter struct {
	w   io.Writer
	n   int
	err error
}

func (c *counter) Write(p []byte) (int, error) {
	if c.err != nil {
		return 0, c.err
	}
	n, err := c.w.Write(p)
	c.n += n
	c.err = err
	return n, err
}

func (c *counter) WriteString(s string) {
	if c.err == nil {
		n, err := io.WriteString(c.w, s)
		c.n += n
		c.err = err
	}
}

// textString is a PDF text string: UTF-16BE with a byte-order mark, in hex.
func textString(s string) string {
	var b strings.Builder
	b.WriteString("<FEFF")
	for _, u := range utf16.Encode([]rune(s)) {
		fmt.Fprintf(&b, "%04X", u)
	}
	b.WriteString(">")
	return b.String()
}

// documentDate is the date written in the file: the meeting's, never the
// clock's, so renders are reproducible.
func documentDate(m meta) time.Time {
	if m.date.IsZero() {
		return time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	return m.date
}

func infoDict(m meta) string {
	d := documentDate(m)
	_, off := d.Zone()
	sign := '+'
	if off < 0 {
		sign, off = '-', -off
	}
	date := fmt.Sprintf("D:%s%c%02d'%02d'", d.Format("20060102150405"), sign, off/3600, off%3600/60)
	var b strings.Builder
	b.WriteString("<<")
	for _, f := range []struct{ key, v string }{{"Title", m.title}, {"Subject", m.subject}, {"Author", m.author}, {"Keywords", m.keywords}} {
		if f.v != "" {
			fmt.Fprintf(&b, "\n/%s %s", f.key, textString(f.v))
		}
	}
	fmt.Fprintf(&b, "\n/Producer %s\n/Creator %s\n/CreationDate (%s)\n/ModDate (%s)\n>>", textString(producer), textString(producer), date, date)
	return b.String()
}

const producer = "Protokol"

// xmpPacket is the XMP metadata: the same title, author, subject,
// keywords, producer and dates as the Info dictionary, the language, and
// the PDF/A-2a and PDF/UA-1 identifications (with the PDF/A extension
// schema that declares pdfuaid, which PDF/A does not know).
func xmpPacket(m meta) string {
	x := func(s string) string {
		var b strings.Builder
		for _, r := range s {
			switch r {
			case '&':
				b.WriteString("&amp;")
			case '<':
				b.WriteString("&lt;")
			case '>':
				b.WriteString("&gt;")
			default:
				b.WriteRune(r)
			}
		}
		return b.String()
	}
	date := documentDate(m).Format(time.RFC3339)
	var b strings.Builder
	b.WriteString("<?xpacket begin=\"\ufeff\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n")
	b.WriteString(`<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">` + "\n")
	b.WriteString(`<rdf:Description rdf:about="" xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/" xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:pdf="http://ns.adobe.com/pdf/1.3/" xmlns:xmp="http://ns.adobe.com/xap/1.0/">` + "\n")
	if !m.packet {
		b.WriteString("<pdfaid:part>2</pdfaid:part><pdfaid:conformance>A</pdfaid:conformance><pdfuaid:part>1</pdfuaid:part>\n")
	}
	if m.title != "" {
		fmt.Fprintf(&b, "<dc:title><rdf:Alt><rdf:li xml:lang=\"x-default\">%s</rdf:li></rdf:Alt></dc:title>\n", x(m.title))
	}
	if m.author != "" {
		fmt.Fprintf(&b, "<dc:creator><rdf:Seq><rdf:li>%s</rdf:li></rdf:Seq></dc:creator>\n", x(m.author))
	}
	if m.subject != "" {
		fmt.Fprintf(&b, "<dc:description><rdf:Alt><rdf:li xml:lang=\"x-default\">%s</rdf:li></rdf:Alt></dc:description>\n", x(m.subject))
	}
	fmt.Fprintf(&b, "<dc:language><rdf:Bag><rdf:li>%s</rdf:li></rdf:Bag></dc:language>\n", x(m.lang))
	if m.keywords != "" {
		fmt.Fprintf(&b, "<pdf:Keywords>%s</pdf:Keywords>\n", x(m.keywords))
	}
	fmt.Fprintf(&b, "<pdf:Producer>%s</pdf:Producer><xmp:CreatorTool>%s</xmp:CreatorTool>\n", producer, producer)
	fmt.Fprintf(&b, "<xmp:CreateDate>%s</xmp:CreateDate><xmp:ModifyDate>%s</xmp:ModifyDate><xmp:MetadataDate>%s</xmp:MetadataDate>\n", date, date, date)
	b.WriteString("</rdf:Description>\n")
	b.WriteString(`<rdf:Description rdf:about="" xmlns:pdfaExtension="http://www.aiim.org/pdfa/ns/extension/" xmlns:pdfaSchema="http://www.aiim.org/pdfa/ns/schema#" xmlns:pdfaProperty="http://www.aiim.org/pdfa/ns/property#">` +
		`<pdfaExtension:schemas><rdf:Bag><rdf:li rdf:parseType="Resource">` +
		`<pdfaSchema:schema>PDF/UA Universal Accessibility Schema</pdfaSchema:schema><pdfaSchema:namespaceURI>http://www.aiim.org/pdfua/ns/id/</pdfaSchema:namespaceURI><pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>` +
		`<pdfaSchema:property><rdf:Seq><rdf:li rdf:parseType="Resource"><pdfaProperty:name>part</pdfaProperty:name><pdfaProperty:valueType>Integer</pdfaProperty:valueType><pdfaProperty:category>internal</pdfaProperty:category><pdfaProperty:description>Indicates which part of ISO 14289 standard is followed</pdfaProperty:description></rdf:li></rdf:Seq></pdfaSchema:property>` +
		`</rdf:li></rdf:Bag></pdfaExtension:schemas></rdf:Description>` + "\n")
	b.WriteString("</rdf:RDF></x:xmpmeta>\n")
	b.WriteString(strings.Repeat(strings.Repeat(" ", 63)+"\n", 4)) // room to edit it in place
	b.WriteString(`<?xpacket end="w"?>`)
	return b.String()
}
