// Package fonts embeds the typeface every Protokol PDF is set in: Noto Sans
// in four styles, subsetted to Latin, Greek, Cyrillic and common symbols, and
// prepared for fpdf as precomputed 8-bit font definitions (see make.sh for
// why). The licence is in OFL.txt beside this file.
package fonts

import (
	"embed"
	"io/fs"
	"strconv"
)

//go:generate ./make.sh

// FS holds, per style (Regular, Bold, Italic, BoldItalic), the compressed
// font file NotoSans-<Style>.z and one definition NotoSans-<Style>-<enc>.json
// per encoding, and the encoding maps <enc>.map (code, Unicode, glyph name).
//
//go:embed *.json *.z *.map OFL.txt
var FS embed.FS

// Encodings lists the encodings in the order the layout engine prefers them:
// cp1252 first (all Danish and Western European text), then the extra
// ones gen.go wrote, x1, x2, … (read from FS, so they cannot drift apart).
func Encodings() []string {
	out := []string{"cp1252"}
	for n := 1; ; n++ {
		name := "x" + strconv.Itoa(n)
		if _, err := fs.Stat(FS, name+".map"); err != nil {
			return out
		}
		out = append(out, name)
	}
}

// Styles are the four styles as fpdf names them, with their file stems.
var Styles = map[string]string{"": "Regular", "B": "Bold", "I": "Italic", "BI": "BoldItalic"}
