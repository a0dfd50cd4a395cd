package pdf

import (
	"fmt"

	"protokol/internal/render/cos"
	"protokol/internal/render/font"
)

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
	overflow bool        // a font.Style needed more codes than there are
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
func (u *fontUse) code(st font.Style, g uint16, r rune) int {
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
