package font

import (
	"encoding/binary"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
)

// Face is one TrueType font, parsed once per process: what the layout
// measures with and what a document's subset is cut from.
type Face struct {
	Name        string // PostScript name
	ttf         []byte
	tables      map[string][]byte
	UPEM        float64
	advances    []uint16        // per glyph, in font units
	cmap        map[rune]uint16 // rune -> glyph
	loca        []uint32        // glyph offsets into glyf, numGlyphs+1
	Ascent      int             // in font units
	Descent     int             // negative
	CapH        int
	BBox        [4]int16
	ItalicAngle float64
}

// parseTTF reads a TrueType font (TrueType outlines: glyf and loca).
func parseTTF(b []byte) (*Face, error) {
	if len(b) < 12 {
		return nil, errors.New("not a font file")
	}
	switch v := binary.BigEndian.Uint32(b); v {
	case 0x00010000, 0x74727565: // TrueType
	case 0x4F54544F: // "OTTO"
		return nil, errors.New("an OpenType font with CFF outlines; only TrueType outlines (glyf) are supported")
	default:
		return nil, errors.New("not a TrueType font file")
	}
	n := int(binary.BigEndian.Uint16(b[4:]))
	f := &Face{ttf: b, tables: map[string][]byte{}}
	for i := 0; i < n; i++ {
		rec := 12 + 16*i
		if rec+16 > len(b) {
			return nil, errors.New("truncated table directory")
		}
		tag := string(b[rec : rec+4])
		off, ln := binary.BigEndian.Uint32(b[rec+8:]), binary.BigEndian.Uint32(b[rec+12:])
		if uint64(off)+uint64(ln) > uint64(len(b)) {
			return nil, fmt.Errorf("table %s lies outside the file", tag)
		}
		f.tables[tag] = b[off : off+ln]
	}
	for _, t := range []string{"head", "hhea", "hmtx", "maxp", "cmap", "loca", "glyf"} {
		if f.tables[t] == nil {
			if t == "glyf" || t == "loca" {
				return nil, errors.New("no TrueType outlines (glyf); only those are supported")
			}
			return nil, fmt.Errorf("no %s table", t)
		}
	}
	head, hhea, maxp := f.tables["head"], f.tables["hhea"], f.tables["maxp"]
	if len(head) < 54 || len(hhea) < 36 || len(maxp) < 6 {
		return nil, errors.New("truncated head, hhea or maxp")
	}
	f.UPEM = float64(binary.BigEndian.Uint16(head[18:]))
	if f.UPEM == 0 {
		return nil, errors.New("unitsPerEm is 0")
	}
	for i := range f.BBox {
		f.BBox[i] = int16(binary.BigEndian.Uint16(head[36+2*i:]))
	}
	longLoca := binary.BigEndian.Uint16(head[50:]) == 1
	glyphs := int(binary.BigEndian.Uint16(maxp[4:]))
	f.Ascent = int(int16(binary.BigEndian.Uint16(hhea[4:])))
	f.Descent = int(int16(binary.BigEndian.Uint16(hhea[6:])))
	f.CapH = f.Ascent * 7 / 10
	if os2 := f.tables["OS/2"]; len(os2) >= 90 && binary.BigEndian.Uint16(os2) >= 2 {
		f.CapH = int(int16(binary.BigEndian.Uint16(os2[88:])))
	}
	if post := f.tables["post"]; len(post) >= 8 {
		f.ItalicAngle = float64(int32(binary.BigEndian.Uint32(post[4:]))) / 65536
	}
	if err := f.readGlyphs(hhea, glyphs, longLoca); err != nil {
		return nil, err
	}
	if err := f.readCmap(glyphs); err != nil {
		return nil, err
	}
	f.Name = psName(f.nameString(6))
	if err := f.checkComposites(); err != nil {
		return nil, err
	}
	if f.Name == "" {
		f.Name = "Font"
	}
	return f, nil
}

// readGlyphs reads the glyphs' advances (hmtx) and where their outlines
// lie (loca), checking every offset against glyf.
func (f *Face) readGlyphs(hhea []byte, glyphs int, longLoca bool) error {
	// advances
	hm := int(binary.BigEndian.Uint16(hhea[34:]))
	hmtx := f.tables["hmtx"]
	if hm == 0 || len(hmtx) < 4*hm {
		return errors.New("truncated hmtx")
	}
	f.advances = make([]uint16, glyphs)
	for g := range glyphs {
		i := min(g, hm-1)
		f.advances[g] = binary.BigEndian.Uint16(hmtx[4*i:])
	}
	// loca
	loca := f.tables["loca"]
	f.loca = make([]uint32, glyphs+1)
	for g := 0; g <= glyphs; g++ {
		switch {
		case longLoca && 4*g+4 <= len(loca):
			f.loca[g] = binary.BigEndian.Uint32(loca[4*g:])
		case !longLoca && 2*g+2 <= len(loca):
			f.loca[g] = 2 * uint32(binary.BigEndian.Uint16(loca[2*g:]))
		default:
			return errors.New("truncated loca")
		}
		if f.loca[g] > uint32(len(f.tables["glyf"])) || g > 0 && f.loca[g] < f.loca[g-1] {
			return errors.New("loca points outside glyf")
		}
	}
	return nil
}

// maxCmapSteps bounds the mappings a character map may list: twice the
// code points Unicode has (a real font lists each once).
const maxCmapSteps = 2 * 0x110000

var errCmapTooLarge = errors.New("its character map (cmap) lists more mappings than Unicode has characters twice over; its ranges overlap")

// readCmap reads the Unicode subtable: format 12 (3,10) or format 4 (3,1).
func (f *Face) readCmap(glyphs int) error {
	c := f.tables["cmap"]
	if len(c) < 4 {
		return errors.New("truncated cmap")
	}
	var fmt4, fmt12 []byte
	for i := 0; i < int(binary.BigEndian.Uint16(c[2:])); i++ {
		r := 4 + 8*i
		if r+8 > len(c) {
			break
		}
		pid, eid, off := binary.BigEndian.Uint16(c[r:]), binary.BigEndian.Uint16(c[r+2:]), binary.BigEndian.Uint32(c[r+4:])
		if int(off)+4 > len(c) {
			continue
		}
		sub := c[off:]
		switch {
		case pid == 3 && eid == 10 && binary.BigEndian.Uint16(sub) == 12:
			fmt12 = sub
		case (pid == 3 && eid == 1 || pid == 0) && binary.BigEndian.Uint16(sub) == 4:
			fmt4 = sub
		}
	}
	f.cmap = map[rune]uint16{}
	// ranges may overlap: a font's mappings are counted, and more than
	// Unicode has twice over is a font built to take the loading's time
	steps := 0
	add := func(r rune, g int) {
		steps++
		if g > 0 && g < glyphs {
			f.cmap[r] = uint16(g)
		}
	}
	switch {
	case len(fmt12) >= 16:
		n := int(binary.BigEndian.Uint32(fmt12[12:]))
		for i := 0; i < n && 16+12*i+12 <= len(fmt12); i++ {
			g := fmt12[16+12*i:]
			start, end, gid := binary.BigEndian.Uint32(g), binary.BigEndian.Uint32(g[4:]), binary.BigEndian.Uint32(g[8:])
			for r := start; r <= end && r < 0x110000 && r-start < 0x10000; r++ {
				add(rune(r), int(gid+r-start))
			}
			if steps > maxCmapSteps {
				return errCmapTooLarge
			}
		}
	case len(fmt4) >= 14:
		seg := int(binary.BigEndian.Uint16(fmt4[6:])) / 2
		if len(fmt4) < 16+8*seg {
			return errors.New("truncated cmap format 4")
		}
		ends, starts, deltas, ranges := fmt4[14:], fmt4[16+2*seg:], fmt4[16+4*seg:], fmt4[16+6*seg:]
		for s := 0; s < seg; s++ {
			end, start := binary.BigEndian.Uint16(ends[2*s:]), binary.BigEndian.Uint16(starts[2*s:])
			delta, ro := binary.BigEndian.Uint16(deltas[2*s:]), binary.BigEndian.Uint16(ranges[2*s:])
			for r := uint32(start); r <= uint32(end) && r != 0xFFFF; r++ {
				if ro == 0 {
					add(rune(r), int(uint16(r)+delta))
					continue
				}
				i := 16 + 6*seg + 2*s + int(ro) + 2*int(r-uint32(start))
				if i+2 <= len(fmt4) {
					if g := binary.BigEndian.Uint16(fmt4[i:]); g != 0 {
						add(rune(r), int(g+delta))
					}
				}
			}
			if steps > maxCmapSteps {
				return errCmapTooLarge
			}
		}
	default:
		return errors.New("no Unicode cmap (3,1 or 3,10)")
	}
	return nil
}

// nameString reads a name from the name table (Windows, Unicode).
func (f *Face) nameString(id uint16) string {
	n := f.tables["name"]
	if len(n) < 6 {
		return ""
	}
	count, strs := int(binary.BigEndian.Uint16(n[2:])), int(binary.BigEndian.Uint16(n[4:]))
	for i := 0; i < count && 6+12*i+12 <= len(n); i++ {
		r := n[6+12*i:]
		pid, nid := binary.BigEndian.Uint16(r), binary.BigEndian.Uint16(r[6:])
		ln, off := int(binary.BigEndian.Uint16(r[8:])), int(binary.BigEndian.Uint16(r[10:]))
		if pid != 3 || nid != id || strs+off+ln > len(n) {
			continue
		}
		u := make([]rune, 0, ln/2)
		for j := 0; j+1 < ln; j += 2 {
			u = append(u, rune(binary.BigEndian.Uint16(n[strs+off+j:])))
		}
		return string(u)
	}
	return ""
}

// Width is a glyph's advance in 1/1000 of the font size.
func (f *Face) Width(g uint16) float64 {
	if int(g) >= len(f.advances) {
		return 0
	}
	return float64(f.advances[g]) * 1000 / f.UPEM
}

// glyphData is a glyph's outline.
func (f *Face) glyphData(g uint16) []byte {
	if int(g)+1 >= len(f.loca) {
		return nil
	}
	return f.tables["glyf"][f.loca[g]:f.loca[g+1]]
}

// components are the glyphs a composite glyph is made of.
func (f *Face) components(g uint16) []uint16 {
	d := f.glyphData(g)
	if len(d) < 10 || int16(binary.BigEndian.Uint16(d)) >= 0 {
		return nil
	}
	var out []uint16
	for i := 10; i+4 <= len(d); {
		flags, gid := binary.BigEndian.Uint16(d[i:]), binary.BigEndian.Uint16(d[i+2:])
		out = append(out, gid)
		i += 4
		if flags&1 != 0 { // ARG_1_AND_2_ARE_WORDS
			i += 4
		} else {
			i += 2
		}
		switch {
		case flags&8 != 0: // WE_HAVE_A_SCALE
			i += 2
		case flags&0x40 != 0: // X_AND_Y_SCALE
			i += 4
		case flags&0x80 != 0: // TWO_BY_TWO
			i += 8
		}
		if flags&0x20 == 0 { // MORE_COMPONENTS
			break
		}
	}
	return out
}

// Subset writes a TrueType font with the glyphs used (and those they are
// made of) and no others. Glyph numbers stay as they are (so a CID is its
// glyph, CIDToGIDMap /Identity); the glyphs not used are empty.
func (f *Face) Subset(used []uint16) []byte {
	// the glyphs used and those they are made of: a worklist with a
	// visited set, so a composite that names itself (checked at load
	// too) cannot recurse
	keep := map[uint16]bool{0: true}
	work := slices.Clone(used)
	work = append(work, f.components(0)...)
	for len(work) > 0 {
		g := work[len(work)-1]
		work = work[:len(work)-1]
		if keep[g] && g != 0 || int(g) >= len(f.loca)-1 {
			continue
		}
		keep[g] = true
		for _, c := range f.components(g) {
			if !keep[c] {
				work = append(work, c)
			}
		}
	}
	n := len(f.loca) - 1
	var glyf []byte
	loca := make([]byte, 4*(n+1))
	for g := range n {
		binary.BigEndian.PutUint32(loca[4*g:], uint32(len(glyf)))
		if keep[uint16(g)] {
			glyf = append(glyf, f.glyphData(uint16(g))...)
			for len(glyf)%4 != 0 {
				glyf = append(glyf, 0)
			}
		}
	}
	binary.BigEndian.PutUint32(loca[4*n:], uint32(len(glyf)))
	head := slices.Clone(f.tables["head"])
	binary.BigEndian.PutUint16(head[50:], 1) // long loca
	binary.BigEndian.PutUint32(head[8:], 0)  // checkSumAdjustment, set below
	tables := map[string][]byte{"head": head, "hhea": f.tables["hhea"], "maxp": f.tables["maxp"], "hmtx": f.tables["hmtx"],
		"loca": loca, "glyf": glyf}
	for _, t := range []string{"OS/2", "cvt ", "fpgm", "prep"} {
		if f.tables[t] != nil {
			tables[t] = f.tables[t]
		}
	}
	post := make([]byte, 32) // format 3: no glyph names
	copy(post, f.tables["post"])
	binary.BigEndian.PutUint32(post, 0x00030000)
	tables["post"] = post
	return writeTTF(tables)
}

// writeTTF assembles tables into a font file with the directory and
// checksums the format asks for.
func writeTTF(tables map[string][]byte) []byte {
	tags := make([]string, 0, len(tables))
	for t := range tables {
		tags = append(tags, t)
	}
	sort.Strings(tags)
	n := len(tags)
	sel := 0
	for 1<<(sel+1) <= n {
		sel++
	}
	out := make([]byte, 12+16*n)
	binary.BigEndian.PutUint32(out, 0x00010000)
	binary.BigEndian.PutUint16(out[4:], uint16(n))
	binary.BigEndian.PutUint16(out[6:], uint16(16<<sel))
	binary.BigEndian.PutUint16(out[8:], uint16(sel))
	binary.BigEndian.PutUint16(out[10:], uint16(16*n-16<<sel))
	headAt := 0
	for i, t := range tags {
		data := tables[t]
		rec := 12 + 16*i
		copy(out[rec:], t)
		binary.BigEndian.PutUint32(out[rec+4:], checksum(data))
		binary.BigEndian.PutUint32(out[rec+8:], uint32(len(out)))
		binary.BigEndian.PutUint32(out[rec+12:], uint32(len(data)))
		if t == "head" {
			headAt = len(out)
		}
		out = append(out, data...)
		for len(out)%4 != 0 {
			out = append(out, 0)
		}
	}
	binary.BigEndian.PutUint32(out[headAt+8:], 0xB1B0AFBA-checksum(out))
	return out
}

func checksum(b []byte) uint32 {
	var s uint32
	for i := 0; i < len(b); i += 4 {
		var w [4]byte
		copy(w[:], b[i:])
		s += binary.BigEndian.Uint32(w[:])
	}
	return s
}

// psName keeps of a PostScript name what a PDF name may hold as it is
// written: printable ASCII but the delimiters, #, and white space; at
// most 63 characters (the PostScript limit).
func psName(s string) string {
	var b []byte
	for i := 0; i < len(s) && len(b) < 63; i++ {
		c := s[i]
		if c > ' ' && c < 0x7F && !strings.ContainsRune("()<>[]{}/%#", rune(c)) {
			b = append(b, c)
		}
	}
	return string(b)
}

// maxComponentDepth bounds how deep composite glyphs nest: TrueType
// fonts use one or two levels.
const maxComponentDepth = 16

// checkComposites refuses a font whose composite glyphs refer to
// themselves, directly or round about, or nest too deep: each glyph is
// resolved once (a depth per glyph, memoised), so the check is linear
// in the glyphs and their components.
func (f *Face) checkComposites() error {
	n := len(f.loca) - 1
	depth := make([]int8, n) // 0: not yet, -1: being resolved, d: resolved at depth d-1
	type frame struct {
		g    uint16
		kids []uint16
		i    int
	}
	for root := range n {
		if depth[root] != 0 {
			continue
		}
		stack := []frame{{g: uint16(root), kids: f.components(uint16(root))}}
		depth[root] = -1
		for len(stack) > 0 {
			top := &stack[len(stack)-1]
			if top.i == len(top.kids) {
				d := int8(1)
				for _, k := range top.kids {
					if int(k) < n {
						d = max(d, depth[k]+1)
					}
				}
				if d > maxComponentDepth {
					return fmt.Errorf("glyph %d nests composite glyphs more than %d deep", top.g, maxComponentDepth)
				}
				depth[top.g] = d
				stack = stack[:len(stack)-1]
				continue
			}
			k := top.kids[top.i]
			top.i++
			if int(k) >= n {
				continue
			}
			switch depth[k] {
			case -1:
				return fmt.Errorf("glyph %d is a composite that contains itself", k)
			case 0:
				depth[k] = -1
				stack = append(stack, frame{g: k, kids: f.components(k)})
			}
		}
	}
	return nil
}
