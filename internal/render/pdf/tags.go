package pdf

import (
	"protokol/internal/render/cos"
)

// The layout tags what it draws as it draws it (PDF/UA, ISO 14289-1):
// every text run is a marked-content sequence with an MCID, owned by the
// structure element that is open when it is drawn; every rule, fill, dot
// leader and running footer is an Artifact. The drawing primitives do the
// marking themselves (drawText, rule, fill), so a new kind of block cannot
// forget it: it only has to open its structure element.

// elem is a structure element: its type (a standard structure type), its
// parent and its content in reading order.
type elem struct {
	typ    string
	parent *elem
	kids   []kid
	attrs  []elemEntry // further entries of its dictionary, e.g. /A <</O /Table /Scope /Column>>
	text   string      // a Link's text: its annotation's /Contents
	obj    int         // object number, once written
}

// elemEntry is an entry of a structure element's dictionary.
type elemEntry struct {
	key cos.Name
	val cos.Value
}

// set sets an entry of the element's dictionary.
func (el *elem) set(key cos.Name, v cos.Value) {
	for i := range el.attrs {
		if el.attrs[i].key == key {
			el.attrs[i].val = v
			return
		}
	}
	el.attrs = append(el.attrs, elemEntry{key, v})
}

// kid is a structure element's child: another element, a marked-content
// sequence on a page, or an annotation (a link's).
type kid struct {
	elem  *elem
	page  int // for marked content and annotations: the page (1-based)
	mcid  int
	annot int // index of the annotation on its page, or -1
}

// tagger records the structure tree while the layout draws.
type tagger struct {
	root      *elem
	cur       *elem
	mcids     map[int][]*elem // per page, the element of each MCID
	annots    map[int][]*elem // per page, the Link element of each annotation, in the order fpdf keeps them
	artifacts int             // > 0 while drawing artifacts
}

func newTagger() *tagger {
	root := &elem{typ: "Document"}
	return &tagger{root: root, cur: root, mcids: map[int][]*elem{}, annots: map[int][]*elem{}}
}

// open starts a structure element inside the current one and makes it
// current; close ends it.
func (t *tagger) open(typ string) *elem {
	el := &elem{typ: typ, parent: t.cur}
	t.cur.kids = append(t.cur.kids, kid{elem: el, annot: -1})
	t.cur = el
	return el
}

func (t *tagger) close() {
	if t.cur.parent != nil {
		t.cur = t.cur.parent
	}
}

// within makes el current while f draws, then restores the current one.
func (t *tagger) within(el *elem, f func()) {
	saved := t.cur
	t.cur = el
	f()
	t.cur = saved
}

// annotation records that the current element (a Link) owns the next
// annotation fpdf adds to page.
func (t *tagger) annotation(page int) {
	t.cur.kids = append(t.cur.kids, kid{page: page, annot: len(t.annots[page])})
	t.annots[page] = append(t.annots[page], t.cur)
}

// artifact lays f out as artifacts: pagination and layout, not text a
// reader reads (the drawing primitives mark each piece).
func (e *engine) artifact(f func()) {
	e.tags.artifacts++
	f()
	e.tags.artifacts--
}

// block lays f out as one structure element of type typ.
func (e *engine) block(typ string, f func()) *elem {
	el := e.tags.open(typ)
	f()
	e.tags.close()
	return el
}
