// Package fonts embeds the typeface every Protokol PDF is set in unless a
// template set brings its own: Noto Sans in four styles, subsetted to
// Latin, Greek, Cyrillic and common symbols (make.sh), each a TrueType
// file compressed with zlib. A document embeds subsets of them with only
// the glyphs it uses. The licence is in OFL.txt beside this file.
package fonts

import "embed"

//go:generate ./make.sh

// FS holds NotoSans-<Style>.z per style (Regular, Bold, Italic,
// BoldItalic) and OFL.txt.
//
//go:embed *.z OFL.txt
var FS embed.FS

// Styles are the four styles, by the letters their file stems stand for.
var Styles = map[string]string{"": "Regular", "B": "Bold", "I": "Italic", "BI": "BoldItalic"}
