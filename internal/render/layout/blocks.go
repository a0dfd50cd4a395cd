package layout

import (
	"bytes"
	"math"
	"protokol/internal/render/font"
	"strconv"
	"strings"

	"github.com/yuin/goldmark/ast"
	extast "github.com/yuin/goldmark/extension/ast"
)

// headingSize and the space before a heading, by level.
var (
	headingSize   = [7]float64{0, 22, 14, 11.5, 10.5, 10, 10}
	headingBefore = [7]float64{0, 0, 5, 4, 3, 2.5, 2.5}
)

const (
	listIndent  = 6.0
	quoteIndent = 5.0
)

var bullets = []string{"•", "–", "·"}

// layoutBlocks lays out the block children of n.
func (e *engine) layoutBlocks(n ast.Node, src []byte, depth int) {
	_, top := n.(*ast.Document)
	for c := n.FirstChild(); c != nil && !e.stopped(); {
		next := c.NextSibling()
		e.layoutBlock(c, src, depth)
		if top {
			// a block laid out is not looked at again (look-ahead reads the
			// blocks after it): the collector may take its syntax tree, a
			// large table's most of a render's memory
			n.RemoveChild(n, c)
		}
		c = next
	}
}

// gap adds vertical space, except at the top of a page.
func (e *engine) gap(mm float64) {
	if e.pages > 0 && e.y > marginT {
		e.y += mm
	}
}

func (e *engine) layoutBlock(n ast.Node, src []byte, depth int) {
	switch n := n.(type) {
	case *ast.Heading:
		el := e.block(e.headingRole(n.Level), func() { e.heading(n, src) })
		if l, ok := attr(n, "lang"); ok {
			// a label in another language than the document's text
			if tag := bcp47[l]; tag != "" {
				el.attrs().Lang = tag
			}
		}
	case *ast.Paragraph:
		if e.inTOC && e.tocLine(n, src) {
			return
		}
		if isLabel(n) {
			// "**Per Clausen (Ø):**" or "**Ikke til stede:** …": a
			// label line goes with what it introduces
			e.ensure(lineHeight(bodySize)*1.5 + e.keepNeed(n.NextSibling(), src, 0))
		}
		if blankParagraph(n, src) {
			// a paragraph of (no-break) spaces is vertical space, not an
			// empty paragraph for a screen reader to announce
			e.y += lineHeight(bodySize) * 1.5
			return
		}
		e.block("P", func() { e.paragraph(inlines(n, src, span{}, nil), bodySize, false, alignLeft, black) })
		if e.inTOC {
			e.y += lineHeight(bodySize) * 0.25 // spaced as the entries with a page number around it
		} else {
			e.gap(lineHeight(bodySize) * 0.5)
		}
	case *ast.TextBlock: // a paragraph in a tight list
		e.block("P", func() { e.paragraph(inlines(n, src, span{}, nil), bodySize, false, alignLeft, black) })
		if n.NextSibling() != nil {
			e.gap(lineHeight(bodySize) * 0.2)
		}
	case *ast.List:
		e.block("L", func() { e.list(n, src, depth) })
		if depth == 0 {
			e.gap(lineHeight(bodySize) * 0.5)
		}
	case *ast.Blockquote:
		e.block("BlockQuote", func() { e.quote(n, src, depth) })
	case *ast.FencedCodeBlock, *ast.CodeBlock:
		e.block("P", func() { e.code(n, src) })
	case *ast.ThematicBreak:
		e.ensure(6)
		e.y += 2.5
		e.rule(e.left, e.right, e.y, 0.3, ruleGrey)
		e.y += 3.5
	case *ast.HTMLBlock:
		e.directive(n, src)
	case *extast.Table:
		e.table(n, src)
		e.gap(lineHeight(bodySize) * 0.6)
	default:
		e.layoutBlocks(n, src, depth)
	}
}

// headingTag is a heading's structure type. Templates write the front
// page's title as # and everything that follows from ##: an item's
// heading ## is H1 and its sections' ### are H2, one level down each,
// never skipping a level. Inside the table of contents a heading (a
// group's name) is an entry of it.
func headingTag(level int, inTOC bool) string {
	if inTOC {
		return "TOCI"
	}
	return "H" + strconv.Itoa(min(max(level-1, 1), 6))
}

// bcp47 are the languages a heading's lang attribute may name.
var bcp47 = map[string]string{"da": "da-DK", "en": "en-GB"}

// keepNeed is the height the block n needs at the foot of a page to
// begin there, by the same rules the layout keeps: a paragraph of up to
// shortBlock lines whole, a longer one two lines, a label line with what
// follows it, a heading with what follows it, a table's header and four
// rows, a list's first entry's first lines.
func (e *engine) keepNeed(n ast.Node, src []byte, depth int) float64 {
	lh := lineHeight(bodySize)
	if n == nil || depth > 3 {
		return 0
	}
	switch n := n.(type) {
	case *ast.TextBlock: // an entry of a tight list
		lines := e.estimateLines(n, src)
		if lines > shortBlock {
			lines = 2
		}
		return float64(lines) * lh
	case *ast.Paragraph:
		lines := e.estimateLines(n, src)
		if isLabel(n) {
			return float64(lines)*lh + lh*0.5 + e.keepNeed(n.NextSibling(), src, depth+1)
		}
		if lines > shortBlock {
			lines = 2
		}
		return float64(lines) * lh
	case *ast.Heading:
		size := headingSize[min(max(n.Level, 1), 6)]
		return lineHeight(size) + headingBefore[min(max(n.Level, 1), 6)] + e.keepNeed(n.NextSibling(), src, depth+1)
	case *extast.Table:
		return 5 * lineHeight(tableSize)
	}
	return 2 * lh
}

// estimateLines is about the lines a paragraph takes in the column, from
// its text's width (a little more for the spaces lines end at): keepNeed
// looks ahead at every heading, so it must not lay the text out twice.
// Past shortBlock lines the answer only needs to say so.
func (e *engine) estimateLines(n ast.Node, src []byte) int {
	w := 0.0
	for _, sp := range inlines(n, src, span{}, nil) {
		if sp.br {
			w = math.Ceil(w/(e.right-e.left)) * (e.right - e.left)
			continue
		}
		w += e.width(font.StyleOf(sp.bold, sp.italic), bodySize, sp.text)
		if w > float64(shortBlock+1)*(e.right-e.left) {
			break
		}
	}
	return max(1, int(math.Ceil(w*1.08/(e.right-e.left))))
}

// isLabel reports a paragraph that begins with bold text ending in a
// colon and is short: "**Per Clausen (Ø):**", "**Ikke til stede:** …".
func isLabel(n *ast.Paragraph) bool {
	em, ok := n.FirstChild().(*ast.Emphasis)
	if !ok || em.Level != 2 || n.Lines().Len() != 1 {
		return false
	}
	seg := n.Lines().At(0)
	return seg.Stop-seg.Start <= 200
}

// blankParagraph reports a paragraph of only (no-break) spaces: looked
// at only when its source is short, as every paragraph passes here.
func blankParagraph(n *ast.Paragraph, src []byte) bool {
	size := 0
	for i := range n.Lines().Len() {
		seg := n.Lines().At(i)
		size += seg.Stop - seg.Start
	}
	if size > 32 {
		return false
	}
	return strings.TrimSpace(strings.ReplaceAll(plainText(n, src), "\u00A0", " ")) == ""
}

// headingRole is headingTag, never more than one level below the
// heading before it in the structure tree, whatever the Markdown skips
// (# then ### in an item's text would be H3 then H5).
func (e *engine) headingRole(level int) string {
	tag := headingTag(level, e.inTOC)
	if tag == "TOCI" {
		return tag
	}
	h := min(int(tag[1]-'0'), e.lastHeading+1)
	e.lastHeading = h
	return "H" + strconv.Itoa(h)
}

// directive handles the layout comments templates write:
// <!-- pagebreak -->, <!-- toc --> and <!-- /toc -->.
func (e *engine) directive(n *ast.HTMLBlock, src []byte) {
	var raw bytes.Buffer
	for i := 0; i < n.Lines().Len(); i++ {
		seg := n.Lines().At(i)
		raw.Write(seg.Value(src))
	}
	s := strings.TrimSpace(raw.String())
	if !strings.HasPrefix(s, "<!--") || !strings.HasSuffix(s, "-->") {
		return // other raw HTML has no meaning on paper
	}
	switch strings.TrimSpace(s[4 : len(s)-3]) {
	case "pagebreak":
		if e.pages > 0 && e.y > marginT {
			e.fillBeforeBreak()
			e.nextForced = true
			e.newPage()
		}
	case "toc":
		if !e.inTOC {
			e.tags.open("TOC")
		}
		e.inTOC = true
	case "/toc":
		if e.inTOC {
			e.tags.close()
		}
		e.inTOC = false
	default:
		d := strings.TrimSpace(s[4 : len(s)-3])
		if key, ok := strings.CutPrefix(d, "attachment "); ok {
			e.attach(strings.TrimSpace(key))
		} else if key, ok := strings.CutPrefix(d, "chart "); ok {
			e.chart(strings.TrimSpace(key))
		} else if labels, ok := strings.CutPrefix(d, "labels "); ok {
			// the next list's markers, in a hanging column: "5.1 5.2"
			e.nextLabels = strings.Fields(labels)
		}
	}
}

func (e *engine) heading(n *ast.Heading, src []byte) {
	lvl := min(max(n.Level, 1), 6)
	size := headingSize[lvl]
	spans := inlines(n, src, span{}, nil)
	lines := e.breakLines(e.measure(spans, size, true), e.right-e.left, size)
	h := float64(len(lines)) * lineHeight(size)
	e.gap(headingBefore[lvl])
	// keep the heading with what follows: the first lines of a long
	// paragraph, a short one whole, a label with what it introduces, a
	// table's header and a few rows
	e.ensure(h + e.keepNeed(n.NextSibling(), src, 0) + 1)
	top := e.y
	if id, ok := attr(n, "id"); ok {
		if a, ok := e.anchors[id]; ok && a.page == 0 {
			a.page, a.y = e.pages, top
			e.anchors[id] = a
			text, ok := attr(n, "bookmark")
			if !ok {
				text = plainText(n, src)
			}
			level := 0
			if l, ok := attr(n, "outline"); ok {
				level, _ = strconv.Atoi(l)
				level = min(max(level, 0), e.bookmarkDepth())
			}
			e.addBookmark(e.clean.clean(text), level, top)
			e.lastAttach = false
		}
	}
	for _, l := range lines {
		base := e.y + e.baselineOffset(size)
		e.drawLine(l, e.left, base, e.right-e.left, size, alignLeft, black)
		e.y += lineHeight(size)
	}
	e.y += size * 0.12
}

// bookmarkDepth is the deepest outline level the next bookmark may take:
// one below the previous, so the outline never skips a level.
func (e *engine) bookmarkDepth() int {
	if e.bookmark == 0 {
		return 0
	}
	return e.lastOutline + 1
}

func attr(n ast.Node, name string) (string, bool) {
	v, ok := n.AttributeString(name)
	if !ok {
		return "", false
	}
	switch v := v.(type) {
	case []byte:
		return string(v), true
	case string:
		return v, true
	case float64: // goldmark reads an unquoted number (outline=1) as one
		return strconv.FormatFloat(v, 'f', -1, 64), true
	case int:
		return strconv.Itoa(v), true
	}
	return "", false
}

func (e *engine) list(l *ast.List, src []byte, depth int) {
	num := l.Start
	saved := e.left
	indent := listIndent
	labels := e.nextLabels // a template's own markers (<!-- labels … -->)
	e.nextLabels = nil
	if l.IsOrdered() {
		last := strconv.Itoa(num+l.ChildCount()-1) + "."
		indent = max(listIndent, e.width(font.Regular, bodySize, last)+2.5)
	}
	for _, lb := range labels {
		indent = max(indent, e.width(font.Regular, bodySize, e.clean.clean(lb))+3)
	}
	k := 0
	for item := l.FirstChild(); item != nil; item = item.NextSibling() {
		text := bullets[depth%len(bullets)]
		if l.IsOrdered() {
			text = strconv.Itoa(num) + string(l.Marker)
			num++
		}
		labelled := k < len(labels)
		if labelled {
			text = labels[k]
		}
		k++
		// an entry with sub-entries keeps its first: never its text at
		// the foot of a page and its sub-items over the page
		if first, sub := item.FirstChild(), subList(item); first != nil && sub != nil && sub.FirstChild() != nil {
			lines := len(e.breakLines(e.measure(inlines(first, src, span{}, nil), bodySize, false), e.right-saved-indent, bodySize))
			saveLeft := e.left
			e.left = saved + 2*indent // the sub-entry's width, for its need
			need := float64(lines)*lineHeight(bodySize) + e.keepNeed(sub.FirstChild().FirstChild(), src, 0)
			e.left = saveLeft
			e.ensure(need + 1)
		}
		e.tags.open("LI")
		e.marker = &marker{text: text, x: saved + 1, lbl: e.tags.open("Lbl")}
		e.tags.close()
		if l.IsOrdered() || labelled {
			e.marker.x = saved
		}
		e.left = saved + indent
		e.block("LBody", func() { e.layoutBlocks(item, src, depth+1) })
		e.tags.close()
		e.marker = nil
		e.left = saved
		if !l.IsTight && item.NextSibling() != nil {
			e.gap(lineHeight(bodySize) * 0.3)
		}
	}
}

// subList is the list a list entry holds, or nil.
func subList(item ast.Node) *ast.List {
	for k := item.FirstChild(); k != nil; k = k.NextSibling() {
		if l, ok := k.(*ast.List); ok {
			return l
		}
	}
	return nil
}

func (e *engine) quote(n *ast.Blockquote, src []byte, depth int) {
	saved := e.left
	e.left += quoteIndent
	page, top := e.pages, e.y
	e.layoutBlocks(n, src, depth)
	e.left = saved
	if e.pages == page {
		e.line(saved+1.5, top, saved+1.5, e.y-lineHeight(bodySize)*0.4, 0.6, quoteGrey)
	}
}

func (e *engine) code(n ast.Node, src []byte) {
	var spans []span
	lines := n.Lines()
	for i := 0; i < lines.Len(); i++ {
		seg := lines.At(i)
		spans = append(spans, span{text: strings.TrimRight(string(seg.Value(src)), "\n")}, span{br: true})
	}
	saved := e.left
	e.left += 3
	e.paragraph(spans, smallSize, false, alignLeft, grey)
	e.left = saved
	e.gap(lineHeight(bodySize) * 0.5)
}

// tocLine lays out a table-of-contents entry: a paragraph that is only a
// link to an anchor. The page number is filled in when it is known.
func (e *engine) tocLine(n *ast.Paragraph, src []byte) bool {
	link, ok := n.FirstChild().(*ast.Link)
	if !ok || link.NextSibling() != nil || !bytes.HasPrefix(link.Destination, []byte("#")) {
		return false
	}
	target := string(link.Destination[1:])
	spans := inlines(link, src, span{}, nil)
	numW := e.width(font.Regular, bodySize, "0000") + 2
	saved := e.right
	e.right -= numW
	e.tags.open("TOCI")
	linkEl := e.tags.open("Link")
	linkEl.attrs().Text = plainText(link, src)
	lines := e.paragraph(spans, bodySize, false, alignLeft, black)
	e.tags.close()
	ref := e.tags.open("Reference") // the page number, drawn when it is known
	e.tags.close()
	e.tags.close()
	e.right = saved
	lh := lineHeight(bodySize)
	base := e.y - lh + e.baselineOffset(bodySize)
	last := lines[len(lines)-1]
	e.toc = append(e.toc, tocEntry{page: e.pages, baseline: base, textEnd: e.left + last.w, target: target, ref: ref})
	if id, ok := e.linkTo(target); ok {
		top := e.y - float64(len(lines))*lh
		if top < marginT { // the entry began on the previous page
			top = marginT
		}
		e.link(e.left, top, e.right-e.left, e.y-top, id, "")
		e.tags.within(linkEl, func() { e.tags.annotation(e.page) })
	}
	e.y += lh * 0.25
	return true
}
