package esdh

import (
	"context"
	"strings"
	"sync"

	"github.com/JohannesKaufmann/html-to-markdown/v2/converter"
	"github.com/JohannesKaufmann/html-to-markdown/v2/plugin/base"
	"github.com/JohannesKaufmann/html-to-markdown/v2/plugin/commonmark"
	mdtable "github.com/JohannesKaufmann/html-to-markdown/v2/plugin/table"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// The exports carry their texts as HTML (Word's, often). It becomes our
// Markdown by html-to-markdown (JohannesKaufmann/html-to-markdown v2: MIT,
// maintained, CommonMark with tables), after what we do not take is cut
// out: scripts, styles, embedded objects, comments, and every attribute
// but a link's web or mail address. Text without markup is taken as
// paragraphs, its line breaks kept.

// conv is made when an export is first read: a render never needs it.
var conv = sync.OnceValue(func() *converter.Converter {
	return converter.NewConverter(converter.WithPlugins(base.NewBasePlugin(), commonmark.NewCommonmarkPlugin(), mdtable.NewTablePlugin()))
})

// dropped are the elements left out with all they hold.
var dropped = map[atom.Atom]bool{atom.Script: true, atom.Style: true, atom.Iframe: true, atom.Object: true, atom.Embed: true,
	atom.Head: true, atom.Noscript: true, atom.Template: true, atom.Svg: true, atom.Math: true, atom.Form: true,
	atom.Input: true, atom.Button: true, atom.Select: true, atom.Textarea: true, atom.Img: true, atom.Link: true, atom.Meta: true}

// content are the elements dropped that a reader of the text would
// miss, by what to call them: what is lost is said, not silently gone.
var content = map[atom.Atom]string{atom.Img: "picture", atom.Svg: "drawing", atom.Math: "formula", atom.Object: "embedded object",
	atom.Embed: "embedded object", atom.Iframe: "embedded page", atom.Form: "form", atom.Input: "form field", atom.Select: "form field",
	atom.Textarea: "form field", atom.Button: "form field"}

// lost counts the content dropped from a text, by kind.
type lost map[string]int

// String is what was lost in words: "2 pictures and 1 formula".
func (l lost) String() string { return l.in("en") }

// markdown is an export's HTML (or plain text) as Markdown, and what of
// its content could not be taken.
func markdown(ctx context.Context, s string) (string, lost, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", nil, nil
	}
	if !strings.ContainsAny(s, "<&") {
		// plain text: its paragraphs and line breaks as written
		s = "<p>" + strings.ReplaceAll(strings.ReplaceAll(html.EscapeString(s), "\n\n", "</p><p>"), "\n", "<br>") + "</p>"
	}
	ctxNode := &html.Node{Type: html.ElementNode, Data: "body", DataAtom: atom.Body}
	nodes, err := html.ParseFragment(strings.NewReader(s), ctxNode)
	if err != nil {
		return "", nil, err
	}
	body := &html.Node{Type: html.ElementNode, Data: "body", DataAtom: atom.Body}
	for _, n := range nodes {
		body.AppendChild(n)
	}
	l := lost{}
	clean(body, 0, l)
	out, err := conv().ConvertNode(body, converter.WithContext(ctx))
	if err != nil {
		return "", nil, err
	}
	return strings.TrimSpace(string(out)), l, nil
}

// maxHTMLDepth bounds a text's markup: deeper elements are kept as their
// text alone (Word nests, but not this deep; a hostile text would, to
// make the converter recurse).
const maxHTMLDepth = 48

// clean cuts out what is not taken.
func clean(n *html.Node, depth int, l lost) {
	if depth >= maxHTMLDepth {
		text := textOf(n)
		for c := n.FirstChild; c != nil; c = n.FirstChild {
			n.RemoveChild(c)
		}
		n.AppendChild(&html.Node{Type: html.TextNode, Data: text})
		return
	}
	for c := n.FirstChild; c != nil; {
		next := c.NextSibling
		switch {
		case c.Type == html.CommentNode || c.Type == html.DoctypeNode || c.Type == html.ElementNode && dropped[c.DataAtom]:
			if kind := content[c.DataAtom]; kind != "" && c.Type == html.ElementNode {
				l[kind]++
			}
			n.RemoveChild(c)
		case c.Type == html.ElementNode:
			var kept []html.Attribute
			for _, a := range c.Attr {
				if c.DataAtom == atom.A && a.Key == "href" && safeLink(a.Val) {
					kept = append(kept, html.Attribute{Key: "href", Val: a.Val})
				}
			}
			c.Attr = kept
			clean(c, depth+1, l)
			if c.DataAtom == atom.A && len(kept) == 0 {
				// a link to nowhere we follow: its text alone
				for k := c.FirstChild; k != nil; k = c.FirstChild {
					c.RemoveChild(k)
					n.InsertBefore(k, c)
				}
				n.RemoveChild(c)
			}
		}
		c = next
	}
}

func safeLink(u string) bool {
	u = strings.ToLower(strings.TrimSpace(u))
	return strings.HasPrefix(u, "https://") || strings.HasPrefix(u, "http://") || strings.HasPrefix(u, "mailto:")
}

// textOf is the text inside n, iteratively (n may be deep).
func textOf(n *html.Node) string {
	var b strings.Builder
	stack := []*html.Node{n}
	for len(stack) > 0 {
		c := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if c.Type == html.TextNode {
			b.WriteString(c.Data)
			continue
		}
		if c.Type == html.ElementNode && dropped[c.DataAtom] {
			continue
		}
		for k := c.LastChild; k != nil; k = k.PrevSibling {
			stack = append(stack, k)
		}
	}
	return b.String()
}
