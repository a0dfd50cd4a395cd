package esdh

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/text/encoding/charmap"
)

// An export is an outsider's file: it is read into a small tree of its
// own (elements, attributes, text, the line each element starts on) under
// limits checked as it is read, so no reader below can be led further
// than the tree goes. No DTD is read (a DOCTYPE is refused), no entity
// but XML's five and character references is known, and an encoding
// other than UTF-8 is one of the two Danish exports use or refused by
// name.

// Limits bound what one export may make us hold.
type Limits struct {
	MaxBytes    int // the XML file (default 64 MiB)
	MaxDepth    int // element nesting (default 64)
	MaxElements int // elements in all (default 1,000,000)
}

func (l Limits) withDefaults() Limits {
	if l.MaxBytes <= 0 {
		l.MaxBytes = 64 << 20
	}
	if l.MaxDepth <= 0 {
		l.MaxDepth = 64
	}
	if l.MaxElements <= 0 {
		l.MaxElements = 1_000_000
	}
	return l
}

// node is an element of the export.
type node struct {
	name, space string // local name and namespace URL
	attrs       []xml.Attr
	kids        []*node
	text        string // its character data, its children's left out
	inner       []byte // the element's content as written (for HTML held as markup), when asked to keep it
	line        int
	parent      *node
	index       int // among its parent's children of the same name, from 1
}

// parseXML reads an export into its tree.
func parseXML(b []byte, lim Limits) (*node, error) {
	lim = lim.withDefaults()
	if len(b) > lim.MaxBytes {
		return nil, msg("the export is %d bytes; at most %d are read", len(b), lim.MaxBytes)
	}
	b, err := toUTF8(b)
	if err != nil {
		return nil, err
	}
	d := xml.NewDecoder(bytes.NewReader(b))
	d.Strict = true
	d.CharsetReader = func(label string, r io.Reader) (io.Reader, error) {
		return nil, msg("the export is in %q; UTF-8, ISO-8859-1, ISO-8859-15 and Windows-1252 are read", label)
	}
	root := &node{}
	cur := root
	// per open element: its text so far, and its children by name
	type open struct {
		text  strings.Builder
		names map[string]int
	}
	stack := []*open{{}}
	count := 0
	// lines counted as the decoder moves on, never from the start again
	seen, lines := 0, 1
	line := func(off int64) int {
		lines += bytes.Count(b[seen:off], []byte("\n"))
		seen = int(off)
		return lines
	}
	for {
		off := d.InputOffset()
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			var se *xml.SyntaxError
			if errors.As(err, &se) {
				return nil, msgAt(se.Line, "the XML is broken: %s", se.Msg)
			}
			return nil, msg("the XML cannot be read: %v", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if count++; count > lim.MaxElements {
				return nil, msg("more than %d elements", lim.MaxElements)
			}
			if len(stack) > lim.MaxDepth {
				return nil, msgAt(line(off), "elements nested more than %d deep", lim.MaxDepth)
			}
			top := stack[len(stack)-1]
			if top.names == nil {
				top.names = map[string]int{}
			}
			top.names[t.Name.Local]++
			n := &node{name: t.Name.Local, space: t.Name.Space, attrs: t.Attr, line: line(off), parent: cur,
				index: top.names[t.Name.Local], inner: b[d.InputOffset():]}
			cur.kids = append(cur.kids, n)
			cur = n
			stack = append(stack, &open{})
		case xml.EndElement:
			cur.inner = cur.inner[:max(0, int(off)-(len(b)-len(cur.inner)))]
			cur.text = stack[len(stack)-1].text.String()
			stack = stack[:len(stack)-1]
			cur = cur.parent
		case xml.CharData:
			stack[len(stack)-1].text.Write(t)
		case xml.Directive:
			return nil, msgAt(line(off), "the export declares a DTD (<!%s…>); exports have none, and none is read", firstWord(t))
		}
	}
	if len(root.kids) != 1 {
		return nil, msg("the export has no root element")
	}
	root.kids[0].parent = nil
	return root.kids[0], nil
}

var declEncoding = regexp.MustCompile(`^\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._-]+)["']`)

// toUTF8 turns an export in one of the encodings Danish exports are
// written in into UTF-8 (its declaration saying so), so every offset and
// every piece of markup kept is UTF-8; another encoding is refused by
// name.
func toUTF8(b []byte) ([]byte, error) {
	m := declEncoding.FindSubmatchIndex(b)
	if m == nil {
		return b, nil
	}
	label := strings.ToLower(string(b[m[2]:m[3]]))
	var cm *charmap.Charmap
	switch label {
	case "utf-8", "utf8":
		return b, nil
	case "iso-8859-1", "latin1", "latin-1", "iso8859-1", "l1":
		cm = charmap.ISO8859_1
	case "windows-1252", "cp1252":
		cm = charmap.Windows1252
	case "iso-8859-15", "latin9", "latin-9":
		cm = charmap.ISO8859_15
	default:
		return nil, msg("the export is in %q; UTF-8, ISO-8859-1, ISO-8859-15 and Windows-1252 are read", label)
	}
	out, err := cm.NewDecoder().Bytes(b)
	if err != nil {
		return nil, msg("the export is not %s: %v", label, err)
	}
	// the declaration's encoding, now UTF-8 (ASCII before it is the same
	// in either)
	return slices.Concat(out[:m[2]], []byte("UTF-8"), out[m[3]:]), nil
}

func firstWord(b []byte) string {
	s, _, _ := strings.Cut(strings.TrimSpace(string(b)), " ")
	return s
}

// kid is the first child named name (a local name), or nil.
func (n *node) kid(name string) *node {
	if n == nil {
		return nil
	}
	for _, k := range n.kids {
		if k.name == name {
			return k
		}
	}
	return nil
}

// all are the children named name.
func (n *node) all(name string) []*node {
	if n == nil {
		return nil
	}
	var out []*node
	for _, k := range n.kids {
		if k.name == name {
			out = append(out, k)
		}
	}
	return out
}

// at follows a path of child names.
func (n *node) at(names ...string) *node {
	for _, name := range names {
		n = n.kid(name)
	}
	return n
}

// str is the trimmed text of the child at the path ("" when absent).
func (n *node) str(names ...string) string {
	if k := n.at(names...); k != nil {
		return strings.TrimSpace(k.text)
	}
	return ""
}

// attr is an attribute's value by local name.
func (n *node) attr(name string) string {
	if n == nil {
		return ""
	}
	for _, a := range n.attrs {
		if a.Name.Local == name {
			return strings.TrimSpace(a.Value)
		}
	}
	return ""
}

// path is where the element is: /Dagsorden/Dagsordenpunkter/Dagsordenpunkt[2].
func (n *node) path() string {
	if n == nil {
		return ""
	}
	var parts []string
	for ; n != nil; n = n.parent {
		p := n.name
		if n.parent != nil && len(n.parent.all(n.name)) > 1 {
			p += "[" + strconv.Itoa(n.index) + "]"
		}
		parts = append(parts, p)
	}
	var b strings.Builder
	for i := len(parts) - 1; i >= 0; i-- {
		b.WriteString("/" + parts[i])
	}
	return b.String()
}

// markup is the element's content as HTML: its markup as written when it
// holds elements (XHTML inside the export), else its text (HTML escaped
// into the export, or plain text).
func (n *node) markup() string {
	if n == nil {
		return ""
	}
	if len(n.kids) > 0 {
		return string(n.inner)
	}
	return n.text
}
