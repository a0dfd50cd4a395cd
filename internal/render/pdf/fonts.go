package pdf

import (
	"bytes"
	"compress/zlib"
	"fmt"
	"io"
	"protokol/internal/render/cos"
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

// fontSet is the typeface prepared once per process: a TrueType face per
// style, parsed once. Documents share it read-only; each document embeds
// subsets of the faces it used (see fontUse).
type fontSet struct {
	faces       [4]*face
	ascent      float64 // in 1/1000 of the font size, of the regular face
	descent     float64
	replacement rune        // what is drawn for characters the faces lack: U+FFFD, or ? if the font has none
	dense       [4][]uint16 // by style, the glyph of each character below denseRunes (0: none)
}

// newFontSet makes a set of faces; faces[regular] must be set, and a
// missing style falls back: bold italic to bold, then to italic, then to
// regular; italic and bold to regular.
func newFontSet(faces [4]*face) *fontSet {
	fs := &fontSet{faces: faces}
	if fs.faces[bold] == nil {
		fs.faces[bold] = fs.faces[regular]
	}
	if fs.faces[italic] == nil {
		fs.faces[italic] = fs.faces[regular]
	}
	if fs.faces[boldItalic] == nil {
		fs.faces[boldItalic] = fs.faces[bold]
		if faces[bold] == nil {
			fs.faces[boldItalic] = fs.faces[italic]
		}
	}
	for st, f := range fs.faces {
		fs.dense[st] = make([]uint16, denseRunes)
		for r, g := range f.cmap {
			if r < denseRunes {
				fs.dense[st][r] = g
			}
		}
	}
	reg := fs.faces[regular]
	fs.ascent, fs.descent = float64(reg.ascent)*1000/reg.upem, float64(-reg.descent)*1000/reg.upem
	fs.replacement = replacement
	if !fs.drawable(replacement) {
		fs.replacement = '?'
	}
	return fs
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

func readFonts() (*fontSet, error) {
	var faces [4]*face
	for st := range 4 {
		name := "NotoSans-" + fonts.Styles[styleNames[st]] + ".z"
		z, err := fonts.FS.ReadFile(name)
		if err != nil {
			return nil, err
		}
		r, err := zlib.NewReader(bytes.NewReader(z))
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		ttf, err := io.ReadAll(r)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		f, err := parseTTF(ttf)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		faces[st] = f
	}
	fs := newFontSet(faces)
	if fs.replacement != replacement {
		return nil, fmt.Errorf("the embedded font has no replacement character U+FFFD")
	}
	return fs, nil
}

// denseRunes: characters below it are looked up in an array (Latin,
// Greek, Cyrillic, punctuation and symbols: nearly every character a
// document draws), the rest in the font's map. The lookup is in the
// layout's innermost loop.
const denseRunes = 0x3000

// lookup is r's glyph in a style, 0 for none (glyph 0 is never mapped).
func (fs *fontSet) lookup(st style, r rune) uint16 {
	if r >= 0 && r < denseRunes {
		return fs.dense[st][r]
	}
	return fs.faces[st].cmap[r]
}

// drawable reports whether the font has a glyph for r.
func (fs *fontSet) drawable(r rune) bool { return fs.lookup(regular, r) != 0 }

// glyph is the glyph for r in a style (r must be drawable; a style that
// lacks it draws the replacement character).
func (fs *fontSet) glyph(st style, r rune) uint16 {
	if g := fs.lookup(st, r); g != 0 {
		return g
	}
	return fs.lookup(st, fs.replacement)
}

// runeWidth is r's advance in 1/1000 of the font size; r must be drawable.
func (fs *fontSet) runeWidth(st style, r rune) float64 {
	return fs.faces[st].width(fs.glyph(st, r))
}

// textWidth is the advance of s (already cleaned) in 1/1000 of the size.
func (fs *fontSet) textWidth(st style, s string) float64 {
	w := 0.0
	for _, r := range s {
		w += fs.runeWidth(st, r)
	}
	return w
}

// fontUse records, per style, the glyphs one document drew, the first
// character each stood for (for the ToUnicode map) and the code it is
// written with. Codes are given in the order glyphs are first drawn: the
// first 128 of a style are one byte (00-7F), the rest two (8000-FFFF),
// so a page of Latin text writes a byte per character, not the two of
// Identity-H, and a style may still use 32,896 glyphs (the embedded CMap
// maps the codes to the glyphs). Slices by glyph number, not maps: it is
// called for every character drawn.
type fontUse struct {
	chars    [4][]rune   // by glyph: its character, 0 for glyphs not drawn
	codes    [4][]uint16 // by glyph: its code + 1, 0 for none yet
	order    [4][]uint16 // by code: its glyph
	overflow bool        // a style needed more codes than there are
}

// Codes: oneByte one-byte codes, then up to twoByte two-byte ones.
const (
	oneByte  = 0x80
	twoByte  = 0x8000
	maxCodes = oneByte + twoByte
)

// TooManyGlyphsError: a document drew more different glyphs in one
// style than its font's codes can name.
type TooManyGlyphsError struct{}

func (e *TooManyGlyphsError) Error() string {
	return fmt.Sprintf("the document uses more than %d different characters in one style", maxCodes)
}

// code is the code glyph g is written with in style st, given on its
// first use; r is the character it stands for.
func (u *fontUse) code(st style, g uint16, r rune) int {
	if int(g) >= len(u.codes[st]) {
		n := int(g) + 1 - len(u.codes[st])
		u.codes[st] = append(u.codes[st], make([]uint16, n)...)
		u.chars[st] = append(u.chars[st], make([]rune, n)...)
	}
	if c := u.codes[st][g]; c != 0 {
		return int(c) - 1
	}
	c := len(u.order[st])
	if c >= maxCodes {
		u.overflow = true // the writer reports it; the text is not drawn right
		return 0
	}
	u.order[st] = append(u.order[st], g)
	u.codes[st][g] = uint16(c + 1)
	u.chars[st][g] = r
	return c
}

// appendCode writes a code into a literal string.
func appendCode(b []byte, c int) []byte {
	if c < oneByte {
		return cos.AppendStringByte(b, byte(c))
	}
	c += twoByte - oneByte
	return cos.AppendStringByte(cos.AppendStringByte(b, byte(c>>8)), byte(c))
}

// hexCode is a code as a hex string: <41> or <8012>.
func hexCode(c int) string {
	if c < oneByte {
		return fmt.Sprintf("<%02X>", c)
	}
	return fmt.Sprintf("<%04X>", c+twoByte-oneByte)
}
