// Package arch holds a test of the import rules between Protokol's
// packages: data flows one way (cmd -> server/config -> render ->
// data/view/tmpl/pdf/xlsx; pdf -> layout -> font; pdf -> cos, attach),
// and the domain, the sandbox, the layout, the PDF writer and its object
// model know nothing of those who call them. A leaf (bounded) serves all.
package arch

import (
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// forbidden lists, per package, the packages it must not import.
var forbidden = map[string][]string{
	"data":   {"protokol/internal/"}, // imports nothing of Protokol
	"locale": {"protokol/internal/render", "protokol/internal/server", "protokol/internal/config", "protokol/internal/tmpl", "protokol/internal/view"},
	"view":   {"protokol/internal/render", "protokol/internal/server", "protokol/internal/config", "protokol/internal/tmpl"},
	"tmpl":   {"protokol/internal/render", "protokol/internal/server", "protokol/internal/config"},
	"render": {"protokol/internal/server", "protokol/internal/config"},
	"config": {"protokol/internal/server"},
	// the file's object model and the attachment reader know no document
	"render/cos":  {"protokol/internal/"},
	"render/font": {"protokol/internal/"},
	"attach":      {"protokol/internal/"},
	"seal":        {"protokol/internal/"},
	// a leaf every package may use (leaves), itself using none
	"bounded": {"protokol/internal/"},
	// the case systems' exports become our document; nothing else
	"batch": {"protokol/internal/server", "protokol/internal/config"},
	"esdh":  {"protokol/internal/render", "protokol/internal/server", "protokol/internal/config", "protokol/internal/view", "protokol/internal/tmpl"},
	// the layout turns Markdown into frames; it knows no file format and
	// no meeting
	"render/layout": {"protokol/internal/render/pdf", "protokol/internal/render/cos", "codeberg.org/go-pdf/fpdf", "github.com/pdfcpu", "protokol/internal/data", "protokol/internal/view", "protokol/internal/tmpl", "protokol/internal/locale", "protokol/internal/server", "protokol/internal/config"},
	// the PDF writer turns frames into a file; it knows no meeting
	"render/pdf": {"protokol/internal/data", "protokol/internal/view", "protokol/internal/tmpl", "protokol/internal/locale", "protokol/internal/server", "protokol/internal/config", "protokol/internal/render/xlsx"},
}

// leaves are packages of no domain, importing none of Protokol's, which
// every package may use.
var leaves = map[string]bool{"protokol/internal/bounded": true}

func TestImportRules(t *testing.T) {
	for pkg, bad := range forbidden {
		files, _ := filepath.Glob(filepath.Join("..", pkg, "*.go"))
		if len(files) == 0 {
			t.Fatalf("no files in internal/%s", pkg)
		}
		for _, f := range files {
			if strings.HasSuffix(f, "_test.go") {
				continue
			}
			src, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			ast, err := parser.ParseFile(token.NewFileSet(), f, src, parser.ImportsOnly)
			if err != nil {
				t.Fatal(err)
			}
			for _, imp := range ast.Imports {
				path, _ := strconv.Unquote(imp.Path.Value)
				if leaves[path] {
					continue
				}
				for _, b := range bad {
					if strings.HasPrefix(path, b) {
						t.Errorf("%s imports %s", f, path)
					}
				}
			}
		}
	}
}
