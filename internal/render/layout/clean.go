package layout

import (
	"protokol/internal/render/font"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// cleaner turns arbitrary text into text the typeface can draw. Every
// string the layout places passes through it: the writer has no glyph
// fallback, so nothing unchecked may reach it.
type cleaner struct {
	fs       *font.Set
	replaced int // characters replaced so far
}

// clean normalises s to NFC (so "e" + combining acute becomes "é"), drops
// control and joiner characters, turns tabs and newlines into spaces and
// replaces what the font lacks with U+FFFD. A run of undrawable characters
// joined into one picture (an emoji ZWJ sequence, a flag, a skin tone)
// gives one replacement, not several.
func (c *cleaner) clean(s string) string {
	if !norm.NFC.IsNormalString(s) {
		s = norm.NFC.String(s)
	}
	if c.simple(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	lastReplaced, joined, halfFlag := false, false, false
	for _, r := range s {
		isRI := r >= 0x1F1E6 && r <= 0x1F1FF // regional indicators pair up into flags
		if isRI && halfFlag {
			halfFlag = false
			continue
		}
		halfFlag = isRI
		switch {
		case r == '\t' || r == '\n' || r == '\r':
			b.WriteByte(' ')
			lastReplaced = false
		case r == '\u00AD' || r == '\u200B' || r == '\u2060' || r == '\uFEFF' || unicode.Is(unicode.Bidi_Control, r):
			// soft hyphen and zero-width characters: nothing to draw; bidi
			// controls, which the layout does not apply, would make a
			// title or a bookmark read other than it prints
		case r == '\u200D':
			joined = lastReplaced
		case (r >= '\uFE00' && r <= '\uFE0F') || (r >= 0x1F3FB && r <= 0x1F3FF) ||
			(r >= 0xE0020 && r <= 0xE007F):
			// joiners, variation selectors, skin tones, tag characters and
			// the second half of a flag belong to the picture before them
		case r < 0x20 || (r >= 0x7F && r < 0xA0) || unicode.Is(unicode.Co, r):
			// control and private-use characters have no meaning on paper
		case c.fs.Drawable(r):
			b.WriteRune(r)
			lastReplaced, joined = false, false
		default:
			if !joined {
				b.WriteRune(c.fs.Replacement)
				c.replaced++
			}
			lastReplaced, joined = true, false
		}
	}
	return b.String()
}

// simple reports whether s needs no change: the common case of plain text.
func (c *cleaner) simple(s string) bool {
	for _, r := range s {
		switch {
		case r < 0x20, r >= 0x7F && r < 0xA0, r == '\u00AD', r == '\uFEFF', r >= '\u200B' && r <= '\u200D', r == '\u2060', unicode.Is(unicode.Bidi_Control, r):
			return false
		case r >= 0x80 && !c.fs.Drawable(r):
			return false
		}
	}
	return true
}
