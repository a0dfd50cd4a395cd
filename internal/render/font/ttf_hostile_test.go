package font

import (
	"encoding/binary"
	"strings"
	"testing"
	"time"
)

// composite is a composite glyph of the components given.
func composite(parts ...uint16) []byte {
	b := make([]byte, 10)
	binary.BigEndian.PutUint16(b, 0xFFFF) // numberOfContours -1
	for i, g := range parts {
		flags := uint16(0)
		if i < len(parts)-1 {
			flags |= 0x20 // MORE_COMPONENTS
		}
		b = binary.BigEndian.AppendUint16(b, flags)
		b = binary.BigEndian.AppendUint16(b, g)
		b = append(b, 0, 0) // byte offsets
	}
	return b
}

// font is a TrueType font of the glyphs given, a format 12 character
// map of the groups given (start, end, first glyph) and a PostScript name.
func font(glyphs [][]byte, groups [][3]uint32, name string) []byte {
	n := len(glyphs)
	head := make([]byte, 54)
	binary.BigEndian.PutUint16(head[18:], 1000)
	binary.BigEndian.PutUint16(head[50:], 1) // long loca
	hhea := make([]byte, 36)
	binary.BigEndian.PutUint16(hhea[34:], 1)
	maxp := make([]byte, 6)
	binary.BigEndian.PutUint16(maxp[4:], uint16(n))
	hmtx := []byte{2, 0, 0, 0}
	var glyf, loca []byte
	for _, g := range glyphs {
		loca = binary.BigEndian.AppendUint32(loca, uint32(len(glyf)))
		glyf = append(glyf, g...)
		for len(glyf)%4 != 0 {
			glyf = append(glyf, 0)
		}
	}
	loca = binary.BigEndian.AppendUint32(loca, uint32(len(glyf)))
	sub := []byte{0, 12, 0, 0}
	sub = binary.BigEndian.AppendUint32(sub, uint32(16+12*len(groups)))
	sub = binary.BigEndian.AppendUint32(sub, 0)
	sub = binary.BigEndian.AppendUint32(sub, uint32(len(groups)))
	for _, g := range groups {
		sub = binary.BigEndian.AppendUint32(sub, g[0])
		sub = binary.BigEndian.AppendUint32(sub, g[1])
		sub = binary.BigEndian.AppendUint32(sub, g[2])
	}
	cmap := []byte{0, 0, 0, 1, 0, 3, 0, 10, 0, 0, 0, 12}
	cmap = append(cmap, sub...)
	var nameStr []byte
	for _, r := range name {
		nameStr = binary.BigEndian.AppendUint16(nameStr, uint16(r))
	}
	nameTab := []byte{0, 0, 0, 1, 0, 18, 0, 3, 0, 1, 4, 9, 0, 6}
	nameTab = binary.BigEndian.AppendUint16(nameTab, uint16(len(nameStr)))
	nameTab = append(nameTab, 0, 0)
	nameTab = append(nameTab, nameStr...)
	return writeTTF(map[string][]byte{"head": head, "hhea": hhea, "maxp": maxp, "hmtx": hmtx, "loca": loca,
		"glyf": glyf, "cmap": cmap, "name": nameTab})
}

var simple = append(make([]byte, 10), 0, 0) // a glyph of no contours

// A house font is checked when it loads: composite glyphs that contain
// themselves (glyph 0 itself, or round about) or nest too deep, and a
// character map of overlapping ranges that would take the loading
// seconds, are refused by name, fast; its PostScript name is kept only
// as far as a PDF name may hold it.
func TestHostileFontsAreRefusedAtLoad(t *testing.T) {
	deep := [][]byte{simple}
	for i := 1; i <= 20; i++ {
		deep = append(deep, composite(uint16(i-1)))
	}
	var overlapping [][3]uint32
	for range 200 {
		overlapping = append(overlapping, [3]uint32{0x20, 0x1001F, 1})
	}
	for name, c := range map[string]struct {
		font []byte
		want string
	}{
		"glyph 0 contains itself":    {font([][]byte{composite(0), simple}, [][3]uint32{{0x41, 0x41, 1}}, "A"), "glyph 0 is a composite that contains itself"},
		"a cycle of two":             {font([][]byte{simple, composite(2), composite(1)}, [][3]uint32{{0x41, 0x42, 1}}, "A"), "contains itself"},
		"nested 20 deep":             {font(deep, [][3]uint32{{0x41, 0x41, 20}}, "A"), "more than 16 deep"},
		"overlapping character maps": {font([][]byte{simple, simple}, overlapping, "A"), "ranges overlap"},
	} {
		t.Run(name, func(t *testing.T) {
			start := time.Now()
			_, err := parseTTF(c.font)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("err = %v, want %q", err, c.want)
			}
			if d := time.Since(start); d > 5*time.Second {
				t.Errorf("took %v", d) // a bound, not a benchmark: it took 26 s before
			}
		})
	}
	f, err := parseTTF(font([][]byte{simple, composite(0), simple}, [][3]uint32{{0x41, 0x42, 1}}, "Evil/Name (x)<>[]{}%#\n"+strings.Repeat("L", 100)))
	if err != nil {
		t.Fatal(err)
	}
	if strings.ContainsAny(f.Name, "/()<>[]{}%# \n") || len(f.Name) > 63 || !strings.HasPrefix(f.Name, "EvilNamex") {
		t.Errorf("name %q", f.Name)
	}
	// a composite of glyph 0 still subsets: 0 is kept, nothing loops
	if b := f.Subset([]uint16{1}); len(b) == 0 {
		t.Error("no subset")
	}
}
