package pdf

import (
	"bytes"
	"compress/zlib"
	"fmt"
	"io"
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
	replacement rune // what is drawn for characters the faces lack: U+FFFD, or ? if the font has none
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

// drawable reports whether the font has a glyph for r.
func (fs *fontSet) drawable(r rune) bool {
	_, ok := fs.faces[regular].cmap[r]
	return ok
}

// glyph is the glyph for r in a style (r must be drawable; a style that
// lacks it draws the replacement character).
func (fs *fontSet) glyph(st style, r rune) uint16 {
	if g, ok := fs.faces[st].cmap[r]; ok {
		return g
	}
	return fs.faces[st].cmap[fs.replacement]
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

// fontUse records, per style, the glyphs one document drew and the first
// character each stood for (for the ToUnicode map): by glyph number, 0
// for glyphs not drawn. Arrays, not maps: it is called for every
// character drawn.
type fontUse [4][]rune

func (u *fontUse) add(st style, g uint16, r rune) {
	if int(g) >= len(u[st]) {
		u[st] = append(u[st], make([]rune, int(g)+1-len(u[st]))...)
	}
	if u[st][g] == 0 {
		u[st][g] = r
	}
}
