package view

import (
	"strings"
	"testing"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// plain parses Markdown and returns its text, to prove escaping keeps text literal.
func plain(src string) (string, int) {
	md := goldmark.New(goldmark.WithExtensions(extension.Table), goldmark.WithParserOptions(parser.WithAttribute()))
	root := md.Parser().Parse(text.NewReader([]byte(src)))
	var out []byte
	blocks := 0
	_ = ast.Walk(root, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		if n.Type() == ast.TypeBlock && n.Kind() != ast.KindDocument {
			blocks++
		}
		switch t := n.(type) {
		case *ast.Text:
			// as the layout reads it: escapes and entities resolved
			v := t.Segment.Value([]byte(src))
			out = append(out, util.ResolveEntityNames(util.ResolveNumericReferences(util.UnescapePunctuations(v)))...)
		case *ast.String:
			out = append(out, t.Value...)
		case *ast.Paragraph, *ast.Document:
		default:
			out = append(out, "<"+n.Kind().String()+">"...) // emphasis, links, HTML: not literal
		}
		return ast.WalkContinue, nil
	})
	return string(out), blocks
}

func TestEscapeKeepsTextLiteral(t *testing.T) {
	for _, s := range []string{"*fed* og _kursiv_", "# ikke en overskrift", "1. ikke en liste", "- heller ikke", "a | b", "[link](x)", "<b>html</b>", "Titel {#id}", "&amp;", "x\ny"} {
		got, blocks := plain(Escape(s))
		if want := strings.ReplaceAll(s, "\n", " "); got != want || blocks != 1 {
			t.Errorf("Escape(%q) = %q reads back as %q in %d blocks, want %q in one", s, Escape(s), got, blocks, want)
		}
	}
}

func TestDemote(t *testing.T) {
	in := "# Baggrund\n\ntekst\n\n## Mål\n\n```\n# kode\n```\n\n####### ikke en overskrift"
	want := "#### Baggrund\n\ntekst\n\n##### Mål\n\n```\n# kode\n```\n\n####### ikke en overskrift"
	if got := Demote(in, 4); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	if got := Demote("### Allerede dyb", 3); got != "### Allerede dyb" {
		t.Errorf("a heading already deep enough moved: %q", got)
	}
	if got := Demote("# Kapring {#punkt-1 bookmark=x}", 4); got != "#### Kapring \\{#punkt-1 bookmark=x}" {
		t.Errorf("heading attributes in user text must be escaped: %q", got)
	}
}
