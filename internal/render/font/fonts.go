// Package font is the typefaces the layout measures with and the writer
// embeds: TrueType files parsed once (ttf.go, hostile input when a
// template set brings its own: every table bounded, composite glyphs
// checked for cycles), a set of four styles with fast glyph lookup and
// widths (fonts.go), a template set's house font sorted into styles
// (housefonts.go), and subsets cut for embedding. It knows nothing of
// PDF objects or documents.
package font

import (
	"bytes"
	"compress/zlib"
	"fmt"
	"io"
	"sync"

	"protokol/fonts"
)

// Style indexes the four font styles.
type Style uint8

const (
	Regular Style = iota
	Bold
	Italic
	BoldItalic
)

var styleNames = [4]string{"", "B", "I", "BI"}

func StyleOf(b, i bool) Style {
	switch {
	case b && i:
		return BoldItalic
	case b:
		return Bold
	case i:
		return Italic
	}
	return Regular
}

// replacement is drawn for every character the font cannot draw.
const replacement = '\uFFFD'

// Set is the typeface prepared once per process: a TrueType face per
// style, parsed once. Documents share it read-only; each document embeds
// subsets of the faces it used.
type Set struct {
	Faces       [4]*Face
	Ascent      float64 // in 1/1000 of the font size, of the regular face
	Descent     float64
	Replacement rune        // what is drawn for characters the faces lack: U+FFFD, or ? if the font has none
	dense       [4][]uint16 // by style, the glyph of each character below denseRunes (0: none)
}

// newSet makes a set of faces; faces[Regular] must be set, and a
// missing style falls back: bold italic to bold, then to italic, then to
// regular; italic and bold to regular.
func newSet(faces [4]*Face) *Set {
	fs := &Set{Faces: faces}
	if fs.Faces[Bold] == nil {
		fs.Faces[Bold] = fs.Faces[Regular]
	}
	if fs.Faces[Italic] == nil {
		fs.Faces[Italic] = fs.Faces[Regular]
	}
	if fs.Faces[BoldItalic] == nil {
		fs.Faces[BoldItalic] = fs.Faces[Bold]
		if faces[Bold] == nil {
			fs.Faces[BoldItalic] = fs.Faces[Italic]
		}
	}
	for st, f := range fs.Faces {
		fs.dense[st] = make([]uint16, denseRunes)
		for r, g := range f.cmap {
			if r < denseRunes {
				fs.dense[st][r] = g
			}
		}
	}
	reg := fs.Faces[Regular]
	fs.Ascent, fs.Descent = float64(reg.Ascent)*1000/reg.UPEM, float64(-reg.Descent)*1000/reg.UPEM
	fs.Replacement = replacement
	if !fs.Drawable(replacement) {
		fs.Replacement = '?'
	}
	return fs
}

var (
	loadOnce sync.Once
	theFonts *Set
	loadErr  error
)

// Embedded prepares the embedded fonts; it is cheap to call again.
func Embedded() (*Set, error) {
	loadOnce.Do(func() { theFonts, loadErr = readFonts() })
	return theFonts, loadErr
}

func readFonts() (*Set, error) {
	var faces [4]*Face
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
	fs := newSet(faces)
	if fs.Replacement != replacement {
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
func (fs *Set) lookup(st Style, r rune) uint16 {
	if r >= 0 && r < denseRunes {
		return fs.dense[st][r]
	}
	return fs.Faces[st].cmap[r]
}

// Drawable reports whether the font has a glyph for r.
func (fs *Set) Drawable(r rune) bool { return fs.lookup(Regular, r) != 0 }

// Glyph is the glyph for r in a style (r must be drawable; a style that
// lacks it draws the replacement character).
func (fs *Set) Glyph(st Style, r rune) uint16 {
	if g := fs.lookup(st, r); g != 0 {
		return g
	}
	return fs.lookup(st, fs.Replacement)
}

// RuneWidth is r's advance in 1/1000 of the font size; r must be drawable.
func (fs *Set) RuneWidth(st Style, r rune) float64 {
	return fs.Faces[st].Width(fs.Glyph(st, r))
}

// TextWidth is the advance of s (already cleaned) in 1/1000 of the size.
func (fs *Set) TextWidth(st Style, s string) float64 {
	w := 0.0
	for _, r := range s {
		w += fs.RuneWidth(st, r)
	}
	return w
}
