package pdf

import (
	"bytes"
	"context"
	"protokol/internal/render/font"
	"strings"
	"testing"

	"protokol/internal/pdftest"
)

// TestOneAndTwoByteCodes: a document of more than 128 different
// characters in one style writes the first 128 as one-byte codes and the
// rest as two; every one of them extracts as written.
func TestOneAndTwoByteCodes(t *testing.T) {
	var chars []rune
	for _, block := range [][2]rune{{'A', 'Z'}, {'a', 'z'}, {'À', 'ÿ'}, {'Α', 'Ω'}, {'α', 'ω'}, {'А', 'я'}} {
		for r := block[0]; r <= block[1]; r++ {
			if r != '×' && r != '÷' && r != '\u03a2' {
				chars = append(chars, r)
			}
		}
	}
	if len(chars) < 200 {
		t.Fatalf("only %d characters", len(chars))
	}
	var md strings.Builder
	for i := 0; i < len(chars); i += 40 {
		md.WriteString(string(chars[i:min(i+40, len(chars))]) + "\n\n")
	}
	var buf bytes.Buffer
	st, err := Render(context.Background(), &buf, &Document{Markdown: md.String(), Lang: "da"})
	if err != nil {
		t.Fatal(err)
	}
	if st.Replaced != 0 {
		t.Fatalf("%d characters replaced; the test needs them all in the font", st.Replaced)
	}
	text := strings.Join(strings.Fields(strings.Join(pdftest.Pages(t, buf.Bytes()), "")), "")
	if text != string(chars) {
		t.Errorf("extracted %q,\nwant      %q", text, string(chars))
	}
}

// A style that needs more codes than there are is refused with an error
// value, not a panic: the writer checks after drawing.
func TestTooManyGlyphsIsAnError(t *testing.T) {
	var u fontUse
	for g := range maxCodes {
		if c := u.code(font.Regular, uint16(g), 'a'); c != g {
			t.Fatalf("glyph %d got code %d", g, c)
		}
	}
	if u.overflow {
		t.Fatal("overflow before the codes ran out")
	}
	u.code(font.Regular, maxCodes, 'b')
	if !u.overflow {
		t.Error("one glyph more than the codes did not overflow")
	}
}
