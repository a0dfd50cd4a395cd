package pdf

import (
	"encoding/json"
	"fmt"
	"strings"
	"sync"

	"protokol/fonts"
)

// style indexes the four font styles.
type style uint8

const (
	regular style = iota
	bold
	italic
	boldItalic
)

var styleNames = [4]string{"", "B", "I", "BI"}

func styleOf(b, i bool) style {
	switch {
	case b && i:
		return boldItalic
	case b:
		return bold
	case i:
		return italic
	}
	return regular
}

// replacement is drawn for every character the font cannot draw.
const replacement = '\uFFFD'

// fontSet is the typeface prepared once per process: which encoding and
// code draw each rune, the width of every code, and the fpdf definitions
// and font files to register in each document. Documents share it read-only.
type fontSet struct {
	// slot maps a BMP rune to (encoding index + 1) << 8 | code; 0 means
	// the font has no glyph for it.
	slot [1 << 16]uint16
	// width[style][encoding][code] in 1/1000 of the font size.
	width   [4][][256]uint16
	defs    [4][][]byte // fpdf JSON definitions
	file    [4][]byte   // zlib-compressed font file
	ascent  float64     // in 1/1000 of the font size
	descent float64
}

var (
	loadOnce sync.Once
	theFonts *fontSet
	loadErr  error
)

// loadFonts prepares the embedded fonts; it is cheap to call again.
func loadFonts() (*fontSet, error) {
	loadOnce.Do(func() { theFonts, loadErr = readFonts() })
	return theFonts, loadErr
}

type fontDef struct {
	Desc struct{ Ascent, Descent int }
	Cw   []int
}

func readFonts() (*fontSet, error) {
	fs := &fontSet{}
	encodings := fonts.Encodings()
	for ei, enc := range encodings {
		m, err := fonts.FS.ReadFile(enc + ".map")
		if err != nil {
			return nil, err
		}
		for _, line := range strings.Split(string(m), "\n") {
			var code, uv int
			var name string
			if n, _ := fmt.Sscanf(line, "!%X U+%X %s", &code, &uv, &name); n != 3 || name == ".notdef" || uv >= 1<<16 {
				continue
			}
			if fs.slot[uv] == 0 { // the first (preferred) encoding wins
				fs.slot[uv] = uint16(ei+1)<<8 | uint16(code)
			}
		}
	}
	for st := range 4 {
		stem := "NotoSans-" + fonts.Styles[styleNames[st]]
		z, err := fonts.FS.ReadFile(stem + ".z")
		if err != nil {
			return nil, err
		}
		fs.file[st] = z
		for _, enc := range encodings {
			js, err := fonts.FS.ReadFile(stem + "-" + enc + ".json")
			if err != nil {
				return nil, err
			}
			var d fontDef
			if err := json.Unmarshal(js, &d); err != nil {
				return nil, fmt.Errorf("font definition %s-%s: %w", stem, enc, err)
			}
			var w [256]uint16
			for c := 0; c < 256 && c < len(d.Cw); c++ {
				w[c] = uint16(d.Cw[c])
			}
			fs.width[st] = append(fs.width[st], w)
			fs.defs[st] = append(fs.defs[st], js)
			if st == 0 && enc == "cp1252" {
				fs.ascent, fs.descent = float64(d.Desc.Ascent), float64(-d.Desc.Descent)
			}
		}
	}
	if fs.slot[replacement] == 0 {
		return nil, fmt.Errorf("the embedded font has no replacement character U+FFFD")
	}
	return fs, nil
}

// drawable reports whether the font has a glyph for r.
func (fs *fontSet) drawable(r rune) bool { return r < 1<<16 && fs.slot[r] != 0 }

// runeWidth is r's advance in 1/1000 of the font size; r must be drawable.
func (fs *fontSet) runeWidth(st style, r rune) int {
	s := fs.slot[r]
	return int(fs.width[st][int(s>>8)-1][s&0xFF])
}

// textWidth is the advance of s (already cleaned) in 1/1000 of the size.
func (fs *fontSet) textWidth(st style, s string) int {
	w := 0
	for _, r := range s {
		w += fs.runeWidth(st, r)
	}
	return w
}
