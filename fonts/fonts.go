// Package fonts embeds the typeface every Protokol PDF is set in: Noto Sans
// in four styles, subsetted to Latin, Greek, Cyrillic and common symbols, and
// prepared for fpdf as precomputed 8-bit font definitions (see make.sh for
// why). The licence is in OFL.txt beside this file.
package fonts

import "embed"

//go:generate ./make.sh

// FS holds, per style (Regular, Bold, Italic, BoldItalic), the compressed
// font file NotoSans-<Style>.z and one definition NotoSans-<Style>-<enc>.json
// per encoding, and the encoding maps <enc>.map (code, Unicode, glyph name).
//
//go:embed *.json *.z *.map OFL.txt
var FS embed.FS

// Encodings lists the encodings in the order the layout engine prefers them:
// cp1252 first (all Danish and Western European text), then the extra ones.
var Encodings = []string{"cp1252", "x1", "x2", "x3", "x4", "x5", "x6", "x7", "x8"}

// Styles are the four styles as fpdf names them, with their file stems.
var Styles = map[string]string{"": "Regular", "B": "Bold", "I": "Italic", "BI": "BoldItalic"}
