//go:build ignore

// gen.go writes the font definitions Protokol embeds: for every style of the
// subsetted Noto Sans, one fpdf definition (JSON) per 8-bit encoding, the
// encoding maps themselves, and the zlib-compressed font file. Run it through
// make.sh, which makes the subsets first.
package main

import (
	"fmt"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"

	"codeberg.org/go-pdf/fpdf"
)

var styles = []string{"Regular", "Bold", "Italic", "BoldItalic"}

// main is one straight pass, read fonts, split, write, kept in one piece so
// the generated files can be followed from top to bottom.
func main() {
	coverage := map[uint16]bool{}
	for i, s := range styles {
		ttf, err := fpdf.TtfParse("NotoSans-" + s + ".ttf")
		if err != nil {
			log.Fatal(err)
		}
		if i == 0 {
			for r := range ttf.Chars {
				coverage[r] = true
			}
			continue
		}
		for r := range coverage {
			if _, ok := ttf.Chars[r]; !ok {
				delete(coverage, r)
			}
		}
	}

	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "codeberg.org/go-pdf/fpdf").Output()
	if err != nil {
		log.Fatal(err)
	}
	cp1252, err := os.ReadFile(filepath.Join(strings.TrimSpace(string(out)), "font", "cp1252.map"))
	if err != nil {
		log.Fatal(err)
	}
	if err := os.WriteFile("cp1252.map", cp1252, 0o644); err != nil {
		log.Fatal(err)
	}
	for _, line := range strings.Split(string(cp1252), "\n") {
		var code, uv int
		var name string
		if n, _ := fmt.Sscanf(line, "!%X U+%X %s", &code, &uv, &name); n == 3 && name != ".notdef" {
			delete(coverage, uint16(uv))
		}
	}
	delete(coverage, 0x20)

	var rest []int
	for r := range coverage {
		if r > 0x20 {
			rest = append(rest, int(r))
		}
	}
	sort.Ints(rest)
	encodings := []string{"cp1252"}
	for n := 1; len(rest) > 0; n++ {
		take := min(len(rest), 0xFF-0x20)
		name := fmt.Sprintf("x%d", n)
		var b strings.Builder
		for code := 0; code < 256; code++ {
			switch {
			case code == 0x20:
				fmt.Fprintf(&b, "!%02X U+0020 space\n", code)
			case code > 0x20 && code-0x21 < take:
				uv := rest[code-0x21]
				fmt.Fprintf(&b, "!%02X U+%04X uni%04X\n", code, uv, uv)
			default:
				fmt.Fprintf(&b, "!%02X U+%04X .notdef\n", code, code)
			}
		}
		if err := os.WriteFile(name+".map", []byte(b.String()), 0o644); err != nil {
			log.Fatal(err)
		}
		encodings = append(encodings, name)
		rest = rest[take:]
	}

	tmp, err := os.MkdirTemp("", "fontgen")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(tmp)
	for _, s := range styles {
		base := "NotoSans-" + s
		for _, enc := range encodings {
			if err := fpdf.MakeFont(base+".ttf", enc+".map", tmp, nil, true); err != nil {
				log.Fatal(err)
			}
			if err := os.Rename(filepath.Join(tmp, base+".json"), base+"-"+enc+".json"); err != nil {
				log.Fatal(err)
			}
		}
		if err := os.Rename(filepath.Join(tmp, base+".z"), base+".z"); err != nil {
			log.Fatal(err)
		}
	}
	fmt.Printf("%d encodings: %s\n", len(encodings), strings.Join(encodings, " "))
}
