#!/usr/bin/env bash
# Regenerates the embedded fonts. Not needed to build or test Protokol: its
# output is committed. Needs Debian's fonts-noto-core and python3-fonttools.
#
# Why subsets and 8-bit encodings: fpdf parses a UTF-8 TrueType font anew for
# every document (about 3 ms and 6 MB per style), which alone would spend the
# whole per-render budget. Its TrueType path instead takes a precomputed
# definition (JSON) and a precompressed font file, so a document costs almost
# nothing per font. That path speaks 8-bit encodings, so gen.go splits the
# font's Unicode coverage into cp1252 (WinAnsi: all Danish text) plus a few
# extra 223-character encodings (Latin Extended, Greek, Cyrillic, symbols);
# the layout engine picks the encoding per character. The subset keeps the
# font files small, since each PDF embeds the whole (subsetted) file.
set -euo pipefail
cd "$(dirname "$0")"
src=${NOTO_DIR:-/usr/share/fonts/truetype/noto}
ranges="U+0020-007E,U+00A0-024F,U+02B0-02FF,U+0300-036F,U+0370-03FF,U+0400-04FF,U+1E00-1EFF,U+1F00-1FFF,U+2000-206F,U+2070-209F,U+20A0-20CF,U+2100-214F,U+2150-218F,U+2190-21FF,U+2200-22FF,U+2460-24FF,U+25A0-25FF,U+2713,U+2714,U+2717,U+FFFD"
for s in Regular Bold Italic BoldItalic; do
  /usr/bin/python3 -m fontTools.subset "$src/NotoSans-$s.ttf" --unicodes="$ranges" \
    --layout-features='' --no-hinting --name-IDs='*' --output-file="NotoSans-$s.ttf"
done
go run gen.go
rm -f NotoSans-*.ttf
