package view

import (
	"slices"
	"strings"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
)

// Escape makes plain text safe to put into Markdown: characters that would
// start emphasis, links, tables, headings, HTML or attributes are escaped,
// and line breaks become spaces.
func Escape(s string) string {
	if s == "" {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	start := true
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch c {
		case '\r', '\n':
			b.WriteByte(' ')
			continue
		case '&':
			// an entity, not a backslash: text after an escaped & would still
			// read as an entity ("\&amp;" prints "&")
			b.WriteString("&amp;")
			start = false
			continue
		case '\\', '`', '*', '_', '{', '}', '[', ']', '<', '>', '#', '|', '~', '!':
			b.WriteByte('\\')
		case '-', '+', '=':
			if start {
				b.WriteByte('\\')
			}
		case '.', ')':
			if isDigits(s[:i]) && i > 0 {
				b.WriteByte('\\')
			}
		}
		if c != ' ' {
			start = false
		}
		b.WriteByte(c)
	}
	return b.String()
}

func isDigits(s string) bool {
	s = strings.TrimLeft(s, " ")
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// Demote makes user Markdown safe to place under a template's headings.
// It neutralizes what only templates may say (see neutralize): heading
// attributes, which set link targets and bookmarks, in ATX and setext
// headings and in any container; and raw HTML blocks, which carry the
// layout's directives (<!-- toc -->, <!-- pagebreak -->). Then it pushes
// the headings down so the shallowest becomes level min (at most 6): an
// item body's "# Baggrund" must not outrank the template's own headings.
// Fenced code is left alone.
func Demote(md string, minLevel int) string {
	md = neutralize(md)
	if !strings.Contains(md, "#") {
		return md
	}
	lines := strings.Split(md, "\n")
	shallowest := 7
	fence := ""
	forEachHeading(lines, &fence, func(i, level, indent int) { shallowest = min(shallowest, level) })
	shift := 0
	if shallowest < minLevel {
		shift = minLevel - shallowest
	}
	fence = ""
	forEachHeading(lines, &fence, func(i, level, indent int) {
		n := min(level+shift, 6)
		lines[i] = lines[i][:indent] + strings.Repeat("#", n) + lines[i][indent+level:]
	})
	return strings.Join(lines, "\n")
}

func forEachHeading(lines []string, fence *string, fn func(i, level, indent int)) {
	for i, l := range lines {
		t := strings.TrimLeft(l, " ")
		indent := len(l) - len(t)
		if indent > 3 {
			continue
		}
		if strings.HasPrefix(t, "```") || strings.HasPrefix(t, "~~~") {
			mark := t[:3]
			if *fence == "" {
				*fence = mark
			} else if *fence == mark {
				*fence = ""
			}
			continue
		}
		if *fence != "" || !strings.HasPrefix(t, "#") {
			continue
		}
		level := len(t) - len(strings.TrimLeft(t, "#"))
		if level > 6 || (len(t) > level && t[level] != ' ' && t[level] != '\t') {
			continue
		}
		fn(i, level, indent)
	}
}

// userMarkdown parses user Markdown as the layout will (the block parsers
// and attributes matter here; inline extensions do not).
var userMarkdown = goldmark.New(
	goldmark.WithExtensions(extension.Table),
	goldmark.WithParserOptions(parser.WithAttribute()),
)

// neutralize rewrites user Markdown so that no heading in it has
// attributes and no raw HTML block is left: the Markdown is parsed, as the
// layout will parse it, and each such construct is changed where the
// parser found it: a heading's "{" is escaped, a setext heading becomes an
// ATX heading (at the top level) or a paragraph (inside a list or quote),
// an HTML block is removed (raw HTML has no meaning on paper). Text that
// cannot hold any of these is returned at once, unparsed.
func neutralize(md string) string {
	if !mayHoldDirectives(md) {
		return md
	}
	for range 3 {
		edits := findUnsafe([]byte(md))
		if len(edits) == 0 {
			return md
		}
		md = applyEdits(md, edits)
	}
	if len(findUnsafe([]byte(md))) == 0 {
		return md
	}
	// never reached by any input seen; the safe last resort
	return strings.NewReplacer("{", "\\{", "<", "&lt;").Replace(md)
}

// mayHoldDirectives is a quick look for what neutralize changes: a line
// ending in "}", a line starting with "<", or a setext underline.
func mayHoldDirectives(md string) bool {
	for line := range strings.Lines(md) {
		t := strings.TrimRight(line, " \t\r\n")
		if strings.HasSuffix(t, "}") {
			return true
		}
		t = strings.TrimLeft(t, " \t>-*+0123456789.)")
		if strings.HasPrefix(t, "<") || (t == "" && strings.ContainsAny(line, "=-")) || strings.Trim(t, "=") == "" && t != "" {
			return true
		}
	}
	return false
}

// edit replaces md[from:to] with text.
type edit struct {
	from, to int
	text     string
}

func applyEdits(md string, edits []edit) string {
	slices.SortFunc(edits, func(a, b edit) int { return b.from - a.from })
	for _, e := range edits {
		md = md[:e.from] + e.text + md[e.to:]
	}
	return md
}

func findUnsafe(src []byte) []edit {
	var edits []edit
	doc := userMarkdown.Parser().Parse(text.NewReader(src))
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.HTMLBlock:
			if n.Lines().Len() > 0 {
				from := n.Lines().At(0).Start
				to := n.Lines().At(n.Lines().Len() - 1).Stop
				if n.HasClosure() {
					to = n.ClosureLine.Stop
				}
				edits = append(edits, edit{from, to, ""})
			}
			return ast.WalkSkipChildren, nil
		case *ast.Heading:
			edits = append(edits, headingEdits(n, src)...)
		}
		return ast.WalkContinue, nil
	})
	return edits
}

// headingEdits escapes a heading's attributes and turns a setext heading
// into something the line-based demotion can see.
func headingEdits(h *ast.Heading, src []byte) []edit {
	lines := h.Lines()
	if lines.Len() == 0 {
		return nil
	}
	first, last := lines.At(0), lines.At(lines.Len()-1)
	lineEnd := func(i int) int {
		for i < len(src) && src[i] != '\n' {
			i++
		}
		return i
	}
	var edits []edit
	if h.Attributes() != nil {
		end := lineEnd(last.Stop)
		if j := indexByte(src[last.Stop:end], '{'); j >= 0 {
			edits = append(edits, edit{last.Stop + j, last.Stop + j, "\\"})
		}
	}
	lineStart := first.Start
	for lineStart > 0 && src[lineStart-1] != '\n' {
		lineStart--
	}
	atx := strings.HasSuffix(strings.TrimRight(string(src[lineStart:first.Start]), " \t"), "#")
	if atx {
		return edits
	}
	// setext: the underline is the next line
	uStart := lineEnd(last.Stop) + 1
	if uStart >= len(src) {
		return edits
	}
	uEnd := lineEnd(uStart)
	u := strings.TrimLeft(string(src[uStart:uEnd]), " \t>")
	ui := uEnd - len(u)
	_, top := h.Parent().(*ast.Document)
	if top && lines.Len() == 1 {
		edits = append(edits, edit{first.Start, first.Start, strings.Repeat("#", h.Level) + " "}, edit{uStart, uEnd, ""})
	} else {
		edits = append(edits, edit{ui, ui, "\\"})
	}
	return edits
}

func indexByte(b []byte, c byte) int {
	for i, x := range b {
		if x == c {
			return i
		}
	}
	return -1
}
