package layout

import (
	"bytes"
	"regexp"

	"github.com/yuin/goldmark/ast"
	extast "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/util"
)

// inlines flattens the inline children of n into spans.
//
// <span lang="en"> … </span> around inline text gives its language (a
// label in another language than the document's text), and
// <span status="green"> … </span> (yellow, red) a status: a mark before
// the text, both in the status's colour; <span status="negative"> a
// negative amount shown red, without a mark; other raw HTML has no
// meaning on paper.
func inlines(n ast.Node, src []byte, base span, out []span) []span {
	outer := base
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		if raw, ok := c.(*ast.RawHTML); ok {
			if attr, v, open, ok := spanTag(raw, src); ok {
				base.lang, base.status = outer.lang, outer.status
				switch {
				case open && attr == "lang":
					base.lang = v
				case open && attr == "status":
					base.status = v
				}
				continue
			}
		}
		out = inline(c, src, base, out)
	}
	return out
}

var spanOpen = regexp.MustCompile(`^<span\s+(lang|status)\s*=\s*"([a-z]{2}|green|yellow|red|negative)"\s*>$`)

// spanTag reads <span lang="xx"> or <span status="green"> (open, the
// attribute and its value) or </span>.
func spanTag(n *ast.RawHTML, src []byte) (attr, v string, open, ok bool) {
	var raw []byte
	for i := 0; i < n.Segments.Len(); i++ {
		seg := n.Segments.At(i)
		raw = append(raw, seg.Value(src)...)
	}
	if bytes.Equal(raw, []byte("</span>")) {
		return "", "", false, true
	}
	if m := spanOpen.FindSubmatch(raw); m != nil && (string(m[1]) == "lang") == (len(m[2]) == 2) {
		return string(m[1]), string(m[2]), true, true
	}
	return "", "", false, false
}

func inline(n ast.Node, src []byte, base span, out []span) []span {
	switch n := n.(type) {
	case *ast.Text:
		seg := n.Segment.Value(src)
		if !n.IsRaw() {
			seg = unescape(seg)
		}
		s := base
		s.text = string(seg)
		out = append(out, s)
		if n.HardLineBreak() {
			out = append(out, span{br: true})
		} else if n.SoftLineBreak() {
			s.text = " "
			out = append(out, s)
		}
	case *ast.String:
		s := base
		s.text = string(n.Value)
		out = append(out, s)
	case *ast.Emphasis:
		s := base
		if n.Level >= 2 {
			s.bold = true
		} else {
			s.italic = true
		}
		out = inlines(n, src, s, out)
	case *ast.Link:
		s := base
		s.link = string(n.Destination)
		out = inlines(n, src, s, out)
	case *ast.AutoLink:
		s := base
		url := string(n.URL(src))
		if n.AutoLinkType == ast.AutoLinkEmail && !bytes.HasPrefix(n.URL(src), []byte("mailto:")) {
			s.link = "mailto:" + url
		} else {
			s.link = url
		}
		s.text = string(n.Label(src))
		out = append(out, s)
	case *ast.CodeSpan:
		for c := n.FirstChild(); c != nil; c = c.NextSibling() {
			if t, ok := c.(*ast.Text); ok {
				s := base
				s.text = string(t.Segment.Value(src))
				out = append(out, s)
			}
		}
	case *ast.RawHTML:
		var raw []byte
		for i := 0; i < n.Segments.Len(); i++ {
			seg := n.Segments.At(i)
			raw = append(raw, seg.Value(src)...)
		}
		if t := bytes.ToLower(bytes.ReplaceAll(raw, []byte(" "), nil)); bytes.Equal(t, []byte("<br>")) || bytes.Equal(t, []byte("<br/>")) {
			out = append(out, span{br: true})
		}
		// other raw HTML has no meaning on paper and is left out
	case *ast.Image:
		s := base
		s.text = "["
		out = append(out, s)
		out = inlines(n, src, base, out)
		s.text = "]"
		out = append(out, s)
	case *extast.TaskCheckBox:
		s := base
		s.text = "[ ] "
		if n.IsChecked {
			s.text = "[x] "
		}
		out = append(out, s)
	default:
		out = inlines(n, src, base, out)
	}
	return out
}

// unescape resolves backslash escapes and character references, as
// goldmark's own HTML writer does for text.
func unescape(b []byte) []byte {
	if bytes.IndexByte(b, '\\') < 0 && bytes.IndexByte(b, '&') < 0 {
		return b
	}
	return util.ResolveEntityNames(util.ResolveNumericReferences(util.UnescapePunctuations(b)))
}

// plainText is the text of n's inline children, without styling.
func plainText(n ast.Node, src []byte) string {
	var b bytes.Buffer
	for _, s := range inlines(n, src, span{}, nil) {
		if s.br {
			b.WriteByte(' ')
		}
		b.WriteString(s.text)
	}
	return b.String()
}
