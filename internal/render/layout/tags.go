package layout

// The layout tags what it places as it places it (for PDF/UA, ISO
// 14289-1): every text run belongs to the structure element that is open
// when it is placed, which keeps its place in the reading order (a kid
// whose MCID the writer gives when it draws the box); every rule, fill,
// dot leader and running footer is an artifact. The placing primitives do
// the marking themselves (drawText, rule, fill), so a new kind of block
// cannot forget it: it only has to open its structure element.

// Elem is a structure element: its type (a standard structure type), its
// parent and its content in reading order.
//
// A table-heavy document has hundreds of thousands of elements (a cell
// each): the few entries most lack are behind Attrs, so an element with
// its one kid takes 88 bytes.
type Elem struct {
	Type   string
	Parent *Elem
	Kids   []Kid
	Attrs  *Attrs // nil for most
	Obj    int32  // the writer's number for it (package pdf: its object)
}

// Attrs are a structure element's further entries.
type Attrs struct {
	Lang  string // the language of its text when it is not the document's (BCP 47)
	Alt   string // alternate text (a Figure's)
	Scope string // a header cell's: "Column" or "Row"
	Text  string // a Link's text: its annotation's /Contents
}

// attrs are el's entries, made when first set.
func (el *Elem) attrs() *Attrs {
	if el.Attrs == nil {
		el.Attrs = &Attrs{}
	}
	return el.Attrs
}

// Kid is a structure element's child: another element, a marked-content
// sequence on a page, or an annotation (a link's).
type Kid struct {
	Elem  *Elem
	Page  int32 // for marked content and annotations: the page (1-based)
	MCID  int32 // its marked content's id on the page, given by the writer
	Annot int32 // index of the annotation on its page, or -1
}

// Tags records the structure tree while the layout draws.
type Tags struct {
	Root      *Elem
	cur       *Elem
	MCIDs     map[int][]*Elem // per page, the element of each MCID
	Annots    map[int][]*Elem // per page, the Link element of each link area, in the frame's order
	artifacts int             // > 0 while drawing artifacts
}

func newTagger() *Tags {
	root := &Elem{Type: "Document"}
	return &Tags{Root: root, cur: root, MCIDs: map[int][]*Elem{}, Annots: map[int][]*Elem{}}
}

// open starts a structure element inside the current one and makes it
// current; close ends it.
func (t *Tags) open(typ string) *Elem {
	el := &Elem{Type: typ, Parent: t.cur}
	t.cur.Kids = append(t.cur.Kids, Kid{Elem: el, Annot: -1})
	t.cur = el
	return el
}

func (t *Tags) close() {
	if t.cur.Parent != nil {
		t.cur = t.cur.Parent
	}
}

// within makes el current while f draws, then restores the current one.
func (t *Tags) within(el *Elem, f func()) {
	saved := t.cur
	t.cur = el
	f()
	t.cur = saved
}

// annotation records that the current element (a Link) owns the next
// link area placed on page.
func (t *Tags) annotation(page int) {
	t.cur.Kids = append(t.cur.Kids, Kid{Page: int32(page), Annot: int32(len(t.Annots[page]))})
	t.Annots[page] = append(t.Annots[page], t.cur)
}

// AddAnnotation adds, after everything laid out, an element of type typ
// (a Form for a signature field) owning the next annotation on page, with
// alt as its alternate text and the annotation's /Contents.
func (t *Tags) AddAnnotation(page int, typ, alt string) {
	el := &Elem{Type: typ, Parent: t.Root, Attrs: &Attrs{Alt: alt, Text: alt}}
	t.Root.Kids = append(t.Root.Kids, Kid{Elem: el, Annot: -1})
	el.Kids = append(el.Kids, Kid{Page: int32(page), MCID: -1, Annot: int32(len(t.Annots[page]))})
	t.Annots[page] = append(t.Annots[page], el)
}

// artifact lays f out as artifacts: pagination and layout, not text a
// reader reads (the drawing primitives mark each piece).
func (e *engine) artifact(f func()) {
	e.tags.artifacts++
	f()
	e.tags.artifacts--
}

// block lays f out as one structure element of type typ.
func (e *engine) block(typ string, f func()) *Elem {
	el := e.tags.open(typ)
	f()
	e.tags.close()
	return el
}

// pruneEmpty drops elements with no content, which would only puzzle a
// screen reader.
func pruneEmpty(el *Elem) bool {
	kept := el.Kids[:0]
	for _, k := range el.Kids {
		if k.Elem == nil || pruneEmpty(k.Elem) {
			kept = append(kept, k)
		}
	}
	el.Kids = kept
	// an empty table cell stays: every row keeps as many cells as its
	// header, so a screen reader announces each amount under its column
	return len(kept) > 0 || el.Parent == nil || el.Type == "TD" || el.Type == "TH"
}
