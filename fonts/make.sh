#!/usr/bin/env bash
# Regenerates the embedded fonts. Not needed to build or test Protokol: its
# output is committed. Needs Debian's fonts-noto-core and python3-fonttools.
#
# The layout parses each file once per process and embeds, per document,
# a subset with only the glyphs the document uses; these files are the
# whole of what it can draw: Noto Sans cut to Latin (with Vietnamese),
# Greek, Cyrillic and common symbols, without hinting or layout tables,
# compressed with zlib.
set -euo pipefail
cd "$(dirname "$0")"
src=${NOTO_DIR:-/usr/share/fonts/truetype/noto}
ranges="U+0020-007E,U+00A0-024F,U+02B0-02FF,U+0300-036F,U+0370-03FF,U+0400-04FF,U+1E00-1EFF,U+1F00-1FFF,U+2000-206F,U+2070-209F,U+20A0-20CF,U+2100-214F,U+2150-218F,U+2190-21FF,U+2200-22FF,U+2460-24FF,U+25A0-25FF,U+2713,U+2714,U+2717,U+FFFD"
for s in Regular Bold Italic BoldItalic; do
  /usr/bin/python3 -m fontTools.subset "$src/NotoSans-$s.ttf" --unicodes="$ranges" \
    --layout-features='' --no-hinting --name-IDs='*' --output-file="NotoSans-$s.ttf"
  /usr/bin/python3 -c 'import sys, zlib; sys.stdout.buffer.write(zlib.compress(open(sys.argv[1], "rb").read(), 9))' "NotoSans-$s.ttf" > "NotoSans-$s.z"
done
rm -f NotoSans-*.ttf
