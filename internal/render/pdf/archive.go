package pdf

import (
	"context"
	_ "embed"
	"errors"
	"fmt"
	"io"
	"protokol/internal/render/font"
	"protokol/internal/render/layout"
	"strings"
	"time"

	"protokol/internal/render/cos"
)

// What fpdf cannot write, a post-pass over its finished file adds: the
// structure tree the layout recorded (tags.go), the catalog entries of a
// tagged PDF (MarkInfo, StructTreeRoot, ViewerPreferences, Lang), the
// PDF/A parts (XMP metadata matching the Info dictionary, an sRGB output
// intent, a trailer ID from the content, link annotations that print,
// outline counts, no EmbeddedFiles tree), and page entries (StructParents,
// Tabs). fpdf's file is read into package cos's objects by its
// cross-reference table, changed as objects (found from the trailer: the
// catalog, its page tree and outline, the Info dictionary) and written
// anew, every object once, with object streams and a cross-reference
// stream.
//
// Why a post-pass and not a patched fpdf: a vendored fork of fpdf would
// have to be kept in step with upstream, and pdfcpu rewrites Producer and
// dates and costs more than the whole layout. The pass is part of every
// render, so a PDF is archival by default; Document.Plain skips the
// structure tree and the PDF/A parts.

//go:embed icc/sRGB2014.icc
var sRGB []byte

// meta is what the post-pass writes about the document.
type meta struct {
	title, subject, author, keywords string
	lang                             string // BCP 47, e.g. "da-DK"
	date                             time.Time
	packet                           bool      // pages of attachments' own: no PDF/A or PDF/UA claim
	seal                             Sealer    // signs the file when set (seal.go)
	sealed                           time.Time // the seal's claimed time
}

// archive writes fpdf's output b to w with the document's fonts embedded
// and the page streams compressed; unless plain, as a tagged PDF/A-2a,
// PDF/UA-1 file.
func archive(ctx context.Context, w io.Writer, b []byte, streams [][]byte, t *layout.Tags, m meta, fs *font.Set, used *fontUse, att []layout.Placed, plain bool) error {
	f, err := readFile(b)
	if err != nil {
		return err
	}
	if err := f.resources(fs, used, att); err != nil {
		return err
	}
	if err := f.setContents(streams); err != nil {
		return err
	}
	var sig *signature
	if m.seal != nil {
		sig = f.addSignature(t, m)
	}
	if !plain {
		root := f.structure(t)
		f.metadata(m, root)
	}
	wr := cos.Writer{Deflate: func(b []byte) []byte { return deflateWith(objStmLevel, b) }}
	if sig != nil {
		return f.seal(ctx, w, wr, sig, m.seal)
	}
	return wr.Write(w, f.File)
}

// file is fpdf's output as objects, while the post-pass adds to it.
type file struct {
	*cos.File
	pages    []*cos.Dict // the page objects, in order
	pageRefs []cos.Ref
	catalog  *cos.Dict
	outlines cos.Ref // the outline's root, or 0
}

// readFile reads fpdf's output: its objects, pages, catalog and outline
// root, found from the trailer as a reader finds them.
func readFile(b []byte) (*file, error) {
	cf, err := cos.Read(b)
	if err != nil {
		return nil, fmt.Errorf("pdf: reading the layout's file: %w", err)
	}
	f := &file{File: cf, catalog: cf.DictOf(cf.Trailer.Get("Root"))}
	if f.catalog == nil {
		return nil, errors.New("pdf: no catalog")
	}
	if _, ok := cf.Trailer.Get("Info").(cos.Ref); !ok {
		return nil, errors.New("pdf: no Info dictionary")
	}
	f.collectPages(f.catalog.Get("Pages"), map[cos.Ref]bool{})
	if len(f.pages) == 0 {
		return nil, errors.New("pdf: no pages")
	}
	if r, ok := f.catalog.Get("Outlines").(cos.Ref); ok {
		f.outlines = r
	}
	return f, nil
}

// collectPages walks the page tree in order, each node once.
func (f *file) collectPages(v cos.Value, seen map[cos.Ref]bool) {
	r, ok := v.(cos.Ref)
	if !ok || seen[r] {
		return
	}
	seen[r] = true
	d := f.DictOf(r)
	switch d.Get("Type") {
	case cos.Name("Page"):
		f.pages = append(f.pages, d)
		f.pageRefs = append(f.pageRefs, r)
	case cos.Name("Pages"):
		kids, _ := f.Resolve(d.Get("Kids")).(cos.Array)
		for _, k := range kids {
			f.collectPages(k, seen)
		}
	}
}

// resources embeds the fonts into the pages' resources and the
// attachments' pages into the pages that draw them.
func (f *file) resources(fs *font.Set, used *fontUse, att []layout.Placed) error {
	fonts := embedFonts(f.File, fs, used)
	done := map[*cos.Dict]bool{}
	for _, p := range f.pages {
		res := f.DictOf(p.Get("Resources"))
		if res == nil {
			return errors.New("pdf: a page without resources")
		}
		if done[res] {
			continue
		}
		done[res] = true
		merged := &cos.Dict{}
		if own := f.DictOf(res.Get("Font")); own != nil {
			merged = own.Clone()
		}
		for k, v := range fonts.All() {
			merged.Set(k, v)
		}
		res.Set("Font", merged)
	}
	f.importPages(att)
	return nil
}

// setContents makes the content streams the writer drew the pages'
// contents, in place of fpdf's own (which hold only its default state):
// each page's contents object is replaced, so no object is left over.
func (f *file) setContents(streams [][]byte) error {
	if len(streams) != len(f.pages) {
		return fmt.Errorf("pdf: %d pages and %d content streams", len(f.pages), len(streams))
	}
	for i, p := range f.pages {
		s := &cos.Stream{Dict: cos.NewDict("Filter", cos.Name("FlateDecode")), Data: streams[i]}
		if r, ok := p.Get("Contents").(cos.Ref); ok {
			if _, stream := f.Resolve(r).(*cos.Stream); stream {
				f.Objects[r] = s
				continue
			}
		}
		p.Set("Contents", f.Add(s))
	}
	return nil
}

// structure writes the structure tree the layout recorded: elements get
// object numbers first, so kids and the parent tree can refer to them;
// then the pages' annotations become objects of their own, and the
// parent tree and the elements are written. It returns the tree's root.
func (f *file) structure(t *layout.Tags) cos.Ref {
	var elems []*layout.Elem
	var number func(el *layout.Elem)
	number = func(el *layout.Elem) {
		elems = append(elems, el)
		for _, k := range el.Kids {
			if k.Elem != nil {
				number(k.Elem)
			}
		}
	}
	number(t.Root)
	root := f.Reserve(1)
	first := f.Reserve(len(elems))
	for i, el := range elems {
		el.Obj = int32(int(first) + i)
	}
	annots, tree := f.pageEntries(t)
	parentTree := f.Add(cos.NewDict("Nums", tree))
	f.Objects[root] = cos.NewDict("Type", cos.Name("StructTreeRoot"), "K", cos.Ref(t.Root.Obj),
		"ParentTree", parentTree, "ParentTreeNextKey", cos.Int(tree.next))
	for _, el := range elems {
		f.Objects[el.Obj] = &elemObject{el: el, root: root, pages: f.pageRefs, annots: annots}
	}
	return root
}

// pageEntries gives each page its StructParents and its annotations
// objects of their own (printable, each owned by its Link element), and
// returns the annotations' objects by page and index and the parent
// tree's entries.
func (f *file) pageEntries(t *layout.Tags) (map[[2]int]cos.Ref, *parentTree) {
	annotObj := map[[2]int]cos.Ref{} // page, index -> object
	tree := &parentTree{mcids: make([][]*layout.Elem, len(f.pages)), next: len(f.pages)}
	for p, page := range f.pages {
		annots, _ := f.Resolve(page.Get("Annots")).(cos.Array)
		var refs cos.Array
		for i, a := range annots {
			d := f.DictOf(a)
			if d == nil {
				continue
			}
			d.Set("F", cos.Int(4))
			if i < len(t.Annots[p+1]) {
				owner := t.Annots[p+1][i]
				d.Set("StructParent", cos.Int(tree.next))
				text := ""
				if owner.Attrs != nil {
					text = owner.Attrs.Text
				}
				d.Set("Contents", cos.Text(text))
				tree.annots = append(tree.annots, owner)
				tree.next++
			}
			r, indirect := a.(cos.Ref)
			if !indirect {
				r = f.Add(d)
			}
			annotObj[[2]int{p + 1, i}] = r
			refs = append(refs, r)
		}
		page.Delete("Annots")
		page.Set("StructParents", cos.Int(p))
		if len(refs) > 0 {
			page.Set("Annots", refs)
			page.Set("Tabs", cos.Name("S"))
		}
		tree.mcids[p] = t.MCIDs[p+1]
	}
	return annotObj, tree
}

// parentTree is the parent tree's /Nums array: each page's key (its
// index) with the elements of its MCIDs, then the annotations' keys with
// their Link elements. It writes itself: a long document's tree has tens
// of thousands of references.
type parentTree struct {
	mcids  [][]*layout.Elem // per page
	annots []*layout.Elem   // keys from len(mcids) on
	next   int              // the next key
}

// AppendPDF implements cos.Value.
func (t *parentTree) AppendPDF(b []byte) []byte {
	b = append(b, '[')
	for p, els := range t.mcids {
		b = cos.Int(p).AppendPDF(b)
		b = append(b, " ["...)
		for i, el := range els {
			if i > 0 {
				b = append(b, ' ')
			}
			b = cos.AppendRef(b, int(el.Obj))
		}
		b = append(b, "]\n"...)
	}
	for i, el := range t.annots {
		b = cos.Int(len(t.mcids) + i).AppendPDF(b)
		b = append(b, ' ')
		b = append(cos.AppendRef(b, int(el.Obj)), '\n')
	}
	return append(b, ']')
}

// elemObject is a structure element's dictionary. It writes itself, for
// the same reason as parentTree.
type elemObject struct {
	el     *layout.Elem
	root   cos.Ref
	pages  []cos.Ref
	annots map[[2]int]cos.Ref
}

// AppendPDF implements cos.Value.
func (o *elemObject) AppendPDF(b []byte) []byte {
	el := o.el
	parent := int(o.root)
	if el.Parent != nil {
		parent = int(el.Parent.Obj)
	}
	b = append(b, "<</Type /StructElem /S "...)
	b = cos.AppendName(b, el.Type)
	b = append(b, " /P "...)
	b = cos.AppendRef(b, parent)
	b = append(b, " /K ["...)
	for _, k := range el.Kids {
		switch {
		case k.Elem != nil:
			b = cos.AppendRef(b, int(k.Elem.Obj))
		case k.Annot >= 0:
			if ao, ok := o.annots[[2]int{int(k.Page), int(k.Annot)}]; ok {
				b = append(b, "<</Type /OBJR /Obj "...)
				b = cos.AppendRef(b, int(ao))
				b = append(b, " /Pg "...)
				b = append(cos.AppendRef(b, int(o.pages[k.Page-1])), ">>"...)
			}
		default:
			b = append(b, "<</Type /MCR /Pg "...)
			b = cos.AppendRef(b, int(o.pages[k.Page-1]))
			b = append(b, " /MCID "...)
			b = append(cos.Int(k.MCID).AppendPDF(b), ">>"...)
		}
		b = append(b, ' ')
	}
	b = append(b, ']')
	if a := el.Attrs; a != nil {
		if a.Lang != "" {
			b = cos.String(a.Lang).AppendPDF(append(b, " /Lang "...))
		}
		if a.Alt != "" {
			b = cos.AppendText(append(b, " /Alt "...), a.Alt)
		}
		if a.Scope != "" {
			b = cos.AppendName(append(b, " /A <</O /Table /Scope "...), a.Scope)
			b = append(b, ">>"...)
		}
		if el.Type == "Link" && a.Text != "" {
			b = cos.AppendText(append(b, " /Alt "...), a.Text)
		}
	}
	return append(b, ">>"...)
}

// metadata writes the PDF/A and PDF/UA parts of the catalog: outline
// counts, Info, XMP, the sRGB output intent, Lang, MarkInfo, the
// structure tree and the viewer preferences.
func (f *file) metadata(m meta, root cos.Ref) {
	if f.outlines != 0 {
		f.countOutlines()
	}
	f.Objects[f.Trailer.Get("Info").(cos.Ref)] = infoDict(m)
	xmp := f.Add(&cos.Stream{Dict: cos.NewDict("Type", cos.Name("Metadata"), "Subtype", cos.Name("XML")), Data: []byte(xmpPacket(m))})
	icc := f.Add(&cos.Stream{Dict: cos.NewDict("N", cos.Int(3), "Filter", cos.Name("FlateDecode")), Data: deflate(sRGB)})
	intent := cos.NewDict("Type", cos.Name("OutputIntent"), "S", cos.Name("GTS_PDFA1"),
		"OutputConditionIdentifier", cos.String("sRGB IEC61966-2.1"), "Info", cos.String("sRGB IEC61966-2.1"), "DestOutputProfile", icc)
	cat := cos.NewDict("Type", cos.Name("Catalog"), "Pages", f.catalog.Get("Pages"), "Lang", cos.String(m.lang),
		"MarkInfo", cos.NewDict("Marked", cos.Bool(true)), "StructTreeRoot", root,
		"ViewerPreferences", cos.NewDict("DisplayDocTitle", cos.Bool(true)), "Metadata", xmp, "OutputIntents", cos.Array{intent})
	if f.outlines != 0 {
		cat.Set("Outlines", f.outlines)
		cat.Set("PageMode", cos.Name("UseOutlines"))
	}
	f.Objects[f.Trailer.Get("Root").(cos.Ref)] = cat
}

// countOutlines gives every outline item, and the root, the /Count of
// its descendants (all open): a walk from the root by /First and /Next,
// each item once.
func (f *file) countOutlines() {
	seen := map[cos.Ref]bool{}
	var count func(r cos.Ref) int
	count = func(r cos.Ref) int {
		d := f.DictOf(r)
		if d == nil {
			return 0
		}
		n := 0
		for c, ok := d.Get("First").(cos.Ref); ok && !seen[c]; c, ok = f.DictOf(c).Get("Next").(cos.Ref) {
			seen[c] = true
			n += 1 + count(c)
		}
		d.Set("Count", cos.Int(n))
		return n
	}
	count(f.outlines)
}

// documentDate is the date written in the file: the meeting's, never the
// clock's, so renders are reproducible.
func documentDate(m meta) time.Time {
	if m.date.IsZero() {
		return time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	return m.date
}

// pdfDate is d as a PDF date string.
func pdfDate(d time.Time) cos.String {
	_, off := d.Zone()
	sign := '+'
	if off < 0 {
		sign, off = '-', -off
	}
	return cos.String(fmt.Sprintf("D:%s%c%02d'%02d'", d.Format("20060102150405"), sign, off/3600, off%3600/60))
}

func infoDict(m meta) *cos.Dict {
	date := pdfDate(documentDate(m))
	info := &cos.Dict{}
	for _, f := range []struct{ key, v string }{{"Title", m.title}, {"Subject", m.subject}, {"Author", m.author}, {"Keywords", m.keywords}} {
		if f.v != "" {
			info.Set(cos.Name(f.key), cos.Text(f.v))
		}
	}
	info.Set("Producer", cos.Text(producer))
	info.Set("Creator", cos.Text(producer))
	info.Set("CreationDate", date)
	info.Set("ModDate", date)
	return info
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
