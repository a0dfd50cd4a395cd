package pdf

import (
	"bytes"
	"fmt"
	"github.com/klauspost/compress/flate"
	"hash/fnv"
	"protokol/internal/render/cos"
	"protokol/internal/render/font"
	"runtime"
	"slices"
	"strings"
	"sync"
	"unicode/utf16"
)

// Each document embeds, per style it used, a subset of the face with only
// the glyphs it drew, as a CID font (Type0, CIDToGIDMap Identity) with an
// embedded CMap from fontUse's codes, mostly one byte, and a ToUnicode map, so text extracts and copies as written
// and any character the face has prints, not only those of 8-bit
// encodings. Streams are compressed with pooled writers: a new flate
// writer per stream costs more than the compression.

// Levels (klauspost/compress's flate, three times as fast as the
// standard library's at its fastest): 3 for page streams, most of a
// file's bytes; 5 for object streams (the structure tree, repetitive, a
// fifth of the bytes); 3 for the fonts and the rest, which are small.
// Measured on 34 pages of minutes: 104.9 KB at level 1 throughout, 99.5
// KB as here (98.1 KB with object streams at 9, which cost 2 ms more).
var (
	pageStreams = pool(3)
	objStmLevel = pool(5)
	good        = pool(3)
)

// flatePool keeps flate writers (a few hundred KB of state each) across
// renders. Not a sync.Pool: that is emptied at every collection, and a
// render collects several times.
type flatePool struct {
	level int
	free  chan *flate.Writer
}

func pool(level int) *flatePool {
	return &flatePool{level: level, free: make(chan *flate.Writer, 16)}
}

func (p *flatePool) get() *flate.Writer {
	select {
	case w := <-p.free:
		return w
	default:
		w, _ := flate.NewWriter(nil, p.level)
		return w
	}
}

func (p *flatePool) put(w *flate.Writer) {
	select {
	case p.free <- w:
	default:
	}
}

// deflate compresses b (zlib framing, as /FlateDecode wants) well.
func deflate(b []byte) []byte { return deflateWith(good, b) }

func deflateWith(p *flatePool, b []byte) []byte {
	var out bytes.Buffer
	out.Grow(len(b)/3 + 64)
	out.Write([]byte{0x78, 0x9C}) // zlib header: deflate, default compression
	w := p.get()
	w.Reset(&out)
	w.Write(b)
	w.Close()
	p.put(w)
	a := adler32(b)
	out.Write([]byte{byte(a >> 24), byte(a >> 16), byte(a >> 8), byte(a)})
	return out.Bytes()
}

func adler32(b []byte) uint32 {
	const mod = 65521
	s1, s2 := uint32(1), uint32(0)
	for len(b) > 0 {
		n := min(len(b), 5552)
		for _, c := range b[:n] {
			s1 += uint32(c)
			s2 += s1
		}
		s1, s2 = s1%mod, s2%mod
		b = b[n:]
	}
	return s2<<16 | s1
}

// compressor deflates the pages' content streams on other cores while
// the writer draws the next pages (a long document's compression is a
// tenth of its render); each page's result goes to its own index, so the
// file is the same whatever the scheduling.
type compressor struct {
	jobs chan compressJob
	out  [][]byte
	wg   sync.WaitGroup
}

type compressJob struct {
	page int
	data []byte
}

func newCompressor(pages int) *compressor {
	c := &compressor{jobs: make(chan compressJob, 16), out: make([][]byte, pages)}
	for range min(runtime.GOMAXPROCS(0), 4) {
		c.wg.Go(func() {
			for j := range c.jobs {
				c.out[j.page] = deflateWith(pageStreams, j.data)
			}
		})
	}
	return c
}

// add queues a page's content stream (page from 0); the compressor owns
// data from now on.
func (c *compressor) add(page int, data []byte) { c.jobs <- compressJob{page, data} }

// wait returns the compressed streams once all are done; nothing may be
// added after it.
func (c *compressor) wait() [][]byte {
	close(c.jobs)
	c.wg.Wait()
	return c.out
}

// embedFonts adds the document's fonts and returns the /Font resource
// entries (/F0 n 0 R …).
func embedFonts(f *cos.File, fs *font.Set, used *fontUse) *cos.Dict {
	res := &cos.Dict{}
	flate := func(data []byte) *cos.Stream {
		return &cos.Stream{Dict: cos.NewDict("Filter", cos.Name("FlateDecode")), Data: data}
	}
	identity := cos.NewDict("Registry", cos.String("Adobe"), "Ordering", cos.String("Identity"), "Supplement", cos.Int(0))
	for st := range used.order {
		codes := used.order[st] // the glyph of each code
		if len(codes) == 0 {
			continue
		}
		gids := slices.Sorted(slices.Values(codes))
		face := fs.Faces[st]
		name := subsetTag(gids) + "+" + face.Name
		ff := f.Add(flate(deflate(face.Subset(gids))))
		cs := f.Add(flate(cidSet(len(codes))))
		scale := 1000 / face.UPEM
		scaled := func(v int) cos.Int { return cos.Int(int(float64(v) * scale)) }
		desc := f.Add(cos.NewDict("Type", cos.Name("FontDescriptor"), "FontName", cos.Name(name), "Flags", cos.Int(descriptorFlags(face)),
			"FontBBox", cos.Array{scaled(int(face.BBox[0])), scaled(int(face.BBox[1])), scaled(int(face.BBox[2])), scaled(int(face.BBox[3]))},
			"ItalicAngle", cos.Real(face.ItalicAngle), "Ascent", scaled(face.Ascent), "Descent", scaled(face.Descent), "CapHeight", scaled(face.CapH),
			"StemV", cos.Int(80), "FontFile2", ff, "CIDSet", cs))
		gm := f.Add(flate(cidToGID(codes)))
		cid := f.Add(cos.NewDict("Type", cos.Name("Font"), "Subtype", cos.Name("CIDFontType2"), "BaseFont", cos.Name(name),
			"CIDSystemInfo", identity, "FontDescriptor", desc, "DW", cos.Int(1000), "W", widthArray(face, codes), "CIDToGIDMap", gm))
		cmapName := fmt.Sprintf("Protokol-%s-F%d", name[:6], st)
		em := f.Add(&cos.Stream{Dict: cos.NewDict("Type", cos.Name("CMap"), "CMapName", cos.Name(cmapName), "CIDSystemInfo", identity,
			"WMode", cos.Int(0), "Filter", cos.Name("FlateDecode")), Data: deflate([]byte(encodingCMap(cmapName, len(codes))))})
		tu := f.Add(flate(deflate([]byte(toUnicode(codes, used.chars[st])))))
		font := f.Add(cos.NewDict("Type", cos.Name("Font"), "Subtype", cos.Name("Type0"), "BaseFont", cos.Name(name),
			"Encoding", em, "DescendantFonts", cos.Array{cid}, "ToUnicode", tu))
		res.Set(cos.Name(fmt.Sprintf("F%d", st)), font)
	}
	return res
}

// descriptorFlags: nonsymbolic, italic when the face slants.
func descriptorFlags(f *font.Face) int {
	flags := 32
	if f.ItalicAngle != 0 {
		flags |= 64
	}
	return flags
}

// subsetTag is the six capital letters a subset's name starts with, from
// its glyphs, so the same glyphs give the same name.
func subsetTag(gids []uint16) string {
	h := fnv.New64a()
	for _, g := range gids {
		h.Write([]byte{byte(g >> 8), byte(g)})
	}
	v := h.Sum64()
	tag := make([]byte, 6)
	for i := range tag {
		tag[i] = 'A' + byte(v%26)
		v /= 26
	}
	return string(tag)
}

// A code's CID is its value: 00-7F, and 8000-FFFF for the two-byte ones.
// (The CID could be the glyph, with CIDToGIDMap /Identity, but MuPDF
// reads a ToUnicode map through the encoding's code space by CID, and
// drops every CID outside it: "Besk\uFFFDftigelsesudvalget". With CIDs
// equal to codes, every reader finds them.)
func cidOf(code int) int {
	if code < oneByte {
		return code
	}
	return code - oneByte + twoByte
}

// widthArray is the /W array: the widths of the CIDs, in their two runs.
func widthArray(f *font.Face, codes []uint16) cos.Array {
	var w cos.Array
	for start := 0; start < len(codes); {
		end := min(len(codes), max(start+1, oneByte))
		if start >= oneByte {
			end = len(codes)
		}
		run := make(cos.Array, 0, end-start)
		for c := start; c < end; c++ {
			run = append(run, cos.Int(int(f.Width(codes[c])+0.5)))
		}
		w = append(w, cos.Int(cidOf(start)), run)
		start = end
	}
	return w
}

// cidToGID is the CIDToGIDMap stream: the glyph of each CID, two bytes a
// CID from 0 to the last.
func cidToGID(codes []uint16) []byte {
	m := make([]byte, 2*(cidOf(len(codes)-1)+1))
	for c, g := range codes {
		i := 2 * cidOf(c)
		m[i], m[i+1] = byte(g>>8), byte(g)
	}
	return deflate(m)
}

// cidSet is the bit string of the CIDs the subset has (PDF/A-1 wants it
// for subsets; PDF/A-2 allows it when right): those of the n codes.
func cidSet(n int) []byte {
	set := make([]byte, cidOf(n-1)/8+1)
	for c := range n {
		cid := cidOf(c)
		set[cid/8] |= 0x80 >> (cid % 8)
	}
	return deflate(set)
}

// codespace is the code space of fontUse's codes, in CMap syntax.
func codespace(codes int) string {
	if codes <= oneByte {
		return "1 begincodespacerange\n<00> <7F>\nendcodespacerange\n"
	}
	return "2 begincodespacerange\n<00> <7F>\n<8000> <FFFF>\nendcodespacerange\n"
}

// codeHex is a code in a CMap: <41> or <8012>.
func codeHex(b *strings.Builder, c int) {
	if c < oneByte {
		fmt.Fprintf(b, "<%02X>", c)
	} else {
		fmt.Fprintf(b, "<%04X>", c+twoByte-oneByte)
	}
}

// encodingCMap maps the codes to their CIDs, the same numbers: a range
// for the one-byte codes and one for the two-byte ones.
func encodingCMap(name string, n int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%%!PS-Adobe-3.0 Resource-CMap\n/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n/CIDSystemInfo <</Registry (Adobe) /Ordering (Identity) /Supplement 0>> def\n/CMapName /%s def\n/CMapType 1 def\n/WMode 0 def\n", name)
	b.WriteString(codespace(n))
	if n > oneByte {
		b.WriteString("2 begincidrange\n")
	} else {
		b.WriteString("1 begincidrange\n")
	}
	fmt.Fprintf(&b, "<00> <%02X> 0\n", min(n, oneByte)-1)
	if n > oneByte {
		fmt.Fprintf(&b, "<8000> <%04X> %d\n", cidOf(n-1), twoByte)
	}
	b.WriteString("endcidrange\nendcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n")
	return b.String()
}

// toUnicode is the CMap from codes to the characters their glyphs
// stood for.
func toUnicode(glyphs []uint16, chars []rune) string {
	head := "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n/CIDSystemInfo <</Registry (Adobe) /Ordering (UCS) /Supplement 0>> def\n/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
	return cmap(head, "bfchar", glyphs, func(b *strings.Builder, g uint16) {
		b.WriteString(" <")
		for _, u := range utf16.Encode([]rune{chars[g]}) {
			fmt.Fprintf(b, "%04X", u)
		}
		b.WriteString(">")
	})
}

// cmap writes a CMap of fontUse's codes: head, the code space, then for
// each code (the glyph glyphs[code]) its entry in blocks of 100, as the
// CMap format allows.
func cmap(head, block string, glyphs []uint16, entry func(*strings.Builder, uint16)) string {
	var b strings.Builder
	b.WriteString(head)
	b.WriteString(codespace(len(glyphs)))
	for i := 0; i < len(glyphs); i += 100 {
		chunk := glyphs[i:min(i+100, len(glyphs))]
		fmt.Fprintf(&b, "%d begin%s\n", len(chunk), block)
		for k, g := range chunk {
			codeHex(&b, i+k)
			entry(&b, g)
			b.WriteByte('\n')
		}
		fmt.Fprintf(&b, "end%s\n", block)
	}
	b.WriteString("endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n")
	return b.String()
}
