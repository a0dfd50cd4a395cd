package layout

import (
	"slices"
	"strings"

	"protokol/internal/render/font"
)

// A page that an item's last lines spilled onto, and that a page break
// ends (the next item starts on a page of its own), would hold one or two
// lines: "Beslutning / Orientering foretaget." alone. Before such a
// break the layout looks back: lines of the page before come along (the
// frames are data, so they move), as many as make the page hold
// minLines, taking a heading or a label line with what follows it and
// never splitting a paragraph into fewer than two lines a side. A page
// whose content began there (a new item, the document's start) keeps
// what it has however short; so does the document's last page. Tables,
// figures, links and fills do not move: a page after one of those stays
// as it is.

// minLines is the fewest body lines a page should hold.
const minLines = 4

// pageLine is a line of body text on a page.
type pageLine struct {
	y           float64 // baseline
	top, bottom float64
	block       *Elem // its top-level structure element
	bold        bool  // all its text bold: a label line
}

// pageLines lists a page's lines of body text (marked text, not
// artifacts) in order down the page.
func (e *engine) pageLines(f *Frame) []pageLine {
	var out []pageLine
	for _, b := range f.Boxes {
		if b.Kind != TextBox || b.Mark.El == nil {
			continue
		}
		i := slices.IndexFunc(out, func(l pageLine) bool { return l.y == b.Y })
		if i < 0 {
			top := b.Y - e.baselineOffset(b.Size)
			out = append(out, pageLine{y: b.Y, top: top, bottom: top + lineHeight(b.Size), block: e.topLevel(b.Mark.El), bold: true})
			i = len(out) - 1
		}
		l := &out[i]
		l.top = min(l.top, b.Y-e.baselineOffset(b.Size))
		l.bottom = max(l.bottom, b.Y-e.baselineOffset(b.Size)+lineHeight(b.Size))
		l.bold = l.bold && b.Style == font.Bold
	}
	slices.SortStableFunc(out, func(a, b pageLine) int {
		switch {
		case a.y < b.y:
			return -1
		case a.y > b.y:
			return 1
		}
		return 0
	})
	return out
}

// topLevel is the element's ancestor just below the document.
func (e *engine) topLevel(el *Elem) *Elem {
	for el.Parent != nil && el.Parent != e.tags.Root {
		el = el.Parent
	}
	return el
}

// fillBeforeBreak is called before a page break: the current page, begun
// by overflow, takes lines from the page before if it holds fewer than
// minLines.
func (e *engine) fillBeforeBreak() {
	if e.err != nil || e.page != e.pages || e.page < 2 || e.frame.forced {
		return
	}
	cur, prev := e.frame, e.frames[e.page-2]
	if prev.W != cur.W || prev.attachment {
		return
	}
	have := e.pageLines(cur)
	if len(have) == 0 || len(have) >= minLines {
		return
	}
	lines := e.pageLines(prev)
	c := e.cutAt(lines, len(lines)-(minLines-len(have)), have)
	if c <= 0 {
		return
	}
	gap := 0.0
	if lines[len(lines)-1].block != have[0].block {
		gap = lineHeight(bodySize) * 0.5
	}
	e.moveDown(prev, cur, lines[c].top, lines[len(lines)-1].bottom, gap)
}

// cutAt moves a cut before lines[c] up until it breaks no rule: a block
// split at the cut keeps two lines a side (else it moves whole), and a
// heading or label line above the cut comes along. It returns 0 when
// nothing can move.
func (e *engine) cutAt(lines []pageLine, c int, next []pageLine) int {
	for c > 0 && c < len(lines) {
		start := c // where lines[c]'s block begins on the page
		for start > 0 && lines[start-1].block == lines[c].block {
			start--
		}
		if start < c {
			after := len(lines) - c
			for _, l := range next {
				if l.block == lines[c].block {
					after++
				}
			}
			if c-start < 2 || after < 2 {
				c = start
				continue
			}
			return c
		}
		above := lines[c-1]
		label := above.bold && (c < 2 || lines[c-2].block != above.block)
		if strings.HasPrefix(above.block.Type, "H") || label {
			c--
			continue
		}
		return c
	}
	return c
}

// moveDown moves what prev holds from cutTop (to bottom) to the top of
// cur, and cur's own content down under it with gap between: boxes,
// bookmarks, link targets and contents entries, the structure tree's
// pages with them. Nothing moves if something there cannot (a table's
// fill, a figure, a link, a line across the cut) or cur has no room.
func (e *engine) moveDown(prev, cur *Frame, cutTop, bottom, gap float64) {
	dy1, dy2 := marginT-cutTop, bottom-cutTop+gap
	if !movable(prev, cutTop) || e.y+dy2 > e.bottom() {
		return
	}
	var kept, moved []Box
	for _, b := range prev.Boxes {
		if b.Y < cutTop || b.Kind == WatermarkBox {
			kept = append(kept, b)
			continue
		}
		shift(&b, dy1)
		if b.Mark.El != nil {
			b.Mark.El.Kids[b.Mark.Kid].Page = int32(e.page)
		}
		moved = append(moved, b)
	}
	var marks, rest []Box // cur's watermark stays first
	for _, b := range cur.Boxes {
		if b.Kind == WatermarkBox {
			marks = append(marks, b)
			continue
		}
		shift(&b, dy2)
		rest = append(rest, b)
	}
	prev.Boxes, cur.Boxes = kept, slices.Concat(marks, moved, rest)
	for i := range cur.Links {
		cur.Links[i].Y += dy2
	}
	var keptMarks, movedMarks []Bookmark
	for _, bm := range prev.Bookmarks {
		if bm.Y >= cutTop {
			bm.Y += dy1
			movedMarks = append(movedMarks, bm)
		} else {
			keptMarks = append(keptMarks, bm)
		}
	}
	for i := range cur.Bookmarks {
		cur.Bookmarks[i].Y += dy2
	}
	prev.Bookmarks, cur.Bookmarks = keptMarks, slices.Concat(movedMarks, cur.Bookmarks)
	e.moveTargets(cutTop, dy1, dy2)
	e.y += dy2
}

// shift moves a box down a page by dy: its position, and a line's end
// (a fill's Y2 is its height, which stays).
func shift(b *Box, dy float64) {
	b.Y += dy
	if b.Kind == LineBox {
		b.Y2 += dy
	}
}

// movable says whether what a page holds from cutTop down may move:
// no table fill, figure, dot leader or link there, no line across it.
func movable(f *Frame, cutTop float64) bool {
	for _, b := range f.Boxes {
		below := b.Y >= cutTop
		switch b.Kind {
		case FillBox, FormBox, OutlineBox, LeaderBox:
			if below {
				return false
			}
		case LineBox:
			if below != (b.Y2 >= cutTop) {
				return false
			}
		}
	}
	for _, l := range f.Links {
		if l.Y+l.H > cutTop {
			return false
		}
	}
	return true
}

// moveTargets moves the link targets and contents entries with the
// boxes: from the page before, below cutTop, by dy1 onto this page; this
// page's own down by dy2.
func (e *engine) moveTargets(cutTop, dy1, dy2 float64) {
	for id, a := range e.anchors {
		switch {
		case a.page == e.page-1 && a.y >= cutTop:
			a.page, a.y = e.page, a.y+dy1
		case a.page == e.page:
			a.y += dy2
		}
		e.anchors[id] = a
	}
	for i := range e.toc {
		t := &e.toc[i]
		switch {
		case t.page == e.page-1 && t.baseline >= cutTop:
			t.page, t.baseline = e.page, t.baseline+dy1
		case t.page == e.page:
			t.baseline += dy2
		}
	}
}
