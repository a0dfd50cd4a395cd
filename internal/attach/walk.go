package attach

import (
	"fmt"
	"math"
	"strings"
	"unicode/utf16"

	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"
)

// inherited are the page attributes a page tree node passes down.
type inherited struct {
	resources types.Object
	media     *[4]float64
	crop      *[4]float64
	rotate    int
}

// walkPages lists the pages in order. Every indirect object of the tree
// (node or list of kids) is visited once: a tree that shares a node or a
// list of kids (a DAG, whose paths are exponential in its depth) or
// loops is damaged, as a page tree has one parent for each node.
func (r *reader) walkPages(root types.IndirectRef) error {
	type frame struct {
		node  types.Object
		inh   inherited
		depth int
	}
	stack := []frame{{node: root}}
	for len(stack) > 0 {
		f := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if f.depth > maxTreeDepth {
			return &Error{"is damaged: its page tree is too deep"}
		}
		num, err := r.visit(f.node)
		if err != nil {
			return err
		}
		o, err := r.deref(f.node)
		if err != nil {
			return err
		}
		d, ok := o.(types.Dict)
		if !ok {
			return &Error{"is damaged: a page is not a dictionary"}
		}
		inh := f.inh
		if res, ok := d["Resources"]; ok {
			inh.resources = res
		}
		if b := r.box(d["MediaBox"]); b != nil {
			inh.media = b
		}
		if b := r.box(d["CropBox"]); b != nil {
			inh.crop = b
		}
		if rot, ok := r.number(d["Rotate"]); ok && !math.IsNaN(rot) && math.Abs(rot) < 1e6 {
			inh.rotate = ((int(rot)/90)%4 + 4) % 4 * 90
		}
		kids, isTree := d["Kids"]
		if t, _ := d["Type"].(types.Name); t == "Page" || !isTree {
			if err := r.addPage(d, inh, num); err != nil {
				return err
			}
			continue
		}
		if _, err := r.visit(kids); err != nil {
			return err
		}
		ko, err := r.deref(kids)
		if err != nil {
			return err
		}
		arr, ok := ko.(types.Array)
		if !ok {
			return &Error{"is damaged: its page tree has no list of pages"}
		}
		if err := r.spend(len(arr)); err != nil {
			return err
		}
		for i := len(arr) - 1; i >= 0; i-- { // pushed last first: popped in order
			stack = append(stack, frame{node: arr[i], inh: inh, depth: f.depth + 1})
		}
	}
	return nil
}

// visit marks an indirect object of the page tree as seen; seen before
// is an error. It returns the object's number (0 for a direct object).
func (r *reader) visit(o types.Object) (int, error) {
	ir, ok := o.(types.IndirectRef)
	if !ok {
		return 0, nil
	}
	n := ir.ObjectNumber.Value()
	if r.seen[n] {
		return 0, &Error{"is damaged: its page tree loops or shares a node"}
	}
	r.seen[n] = true
	return n, nil
}

func (r *reader) addPage(d types.Dict, inh inherited, num int) error {
	if len(r.pages) >= r.lim.MaxPages {
		return &TooManyPagesError{Max: r.lim.MaxPages}
	}
	box := [4]float64{0, 0, 612, 792} // Letter, the spec's default
	if inh.media != nil {
		box = *inh.media
	}
	if c := inh.crop; c != nil {
		// the crop box, clipped to the media box
		box = [4]float64{max(box[0], c[0]), max(box[1], c[1]), min(box[2], c[2]), min(box[3], c[3])}
	}
	if box[2]-box[0] < 1 || box[3]-box[1] < 1 || box[2]-box[0] > 14400 || box[3]-box[1] > 14400 {
		return &Error{fmt.Sprintf("has a page (%d) of no usable size", len(r.pages)+1)}
	}
	if num != 0 {
		r.pageOf[num] = len(r.pages)
	}
	r.pages = append(r.pages, srcPage{dict: d, resources: inh.resources, box: box, rotate: inh.rotate})
	return nil
}

func (r *reader) number(o types.Object) (float64, bool) {
	if o == nil {
		return 0, false
	}
	o, err := r.deref(o)
	if err != nil {
		return 0, false
	}
	switch v := o.(type) {
	case types.Integer:
		return float64(v), true
	case types.Float:
		return float64(v), !math.IsNaN(float64(v)) && !math.IsInf(float64(v), 0)
	}
	return 0, false
}

// box reads a rectangle, normalised so the first corner is the lower left.
func (r *reader) box(o types.Object) *[4]float64 {
	if o == nil {
		return nil
	}
	o, err := r.deref(o)
	if err != nil {
		return nil
	}
	a, ok := o.(types.Array)
	if !ok || len(a) != 4 {
		return nil
	}
	var v [4]float64
	for i := range a {
		f, ok := r.number(a[i])
		if !ok {
			return nil
		}
		v[i] = f
	}
	return &[4]float64{min(v[0], v[2]), min(v[1], v[3]), max(v[0], v[2]), max(v[1], v[3])}
}

// readOutline keeps the file's bookmarks that open one of its pages, the
// first MaxOutlineLevel levels, at most MaxOutline of them, each item
// visited once. A broken outline is no reason to refuse a file: what is
// read of it is kept, the rest left out.
func (r *reader) readOutline(cat types.Dict) {
	o, err := r.deref(cat["Outlines"])
	root, _ := o.(types.Dict)
	if err != nil || root == nil {
		return
	}
	seen := map[int]bool{}
	type frame struct {
		item  types.Object
		level int
	}
	// a stack of siblings lists: depth first, in order
	stack := []frame{{root["First"], 0}}
	for len(stack) > 0 && len(r.out.Outline) < MaxOutline {
		f := &stack[len(stack)-1]
		ir, ok := f.item.(types.IndirectRef)
		if !ok || seen[ir.ObjectNumber.Value()] || r.spend(1) != nil {
			stack = stack[:len(stack)-1]
			continue
		}
		seen[ir.ObjectNumber.Value()] = true
		o, err := r.deref(ir)
		d, _ := o.(types.Dict)
		if err != nil || d == nil {
			stack = stack[:len(stack)-1]
			continue
		}
		level := f.level
		f.item = d["Next"]
		if title := r.text(d["Title"]); strings.TrimSpace(title) != "" {
			if p, ok := r.destPage(d); ok {
				r.out.Outline = append(r.out.Outline, Bookmark{Title: title, Page: p, Level: level})
			}
		}
		if level+1 < MaxOutlineLevel {
			if first, ok := d["First"]; ok {
				stack = append(stack, frame{first, level + 1})
			}
		}
	}
}

// maxTitle bounds a bookmark's title as kept.
const maxTitle = 500

// text reads a text string (PDFDocEncoding or UTF-16BE).
func (r *reader) text(o types.Object) string {
	o, err := r.deref(o)
	if err != nil {
		return ""
	}
	var b []byte
	switch v := o.(type) {
	case types.StringLiteral:
		b, err = types.Unescape(string(v))
	case types.HexLiteral:
		b, err = v.Bytes()
	default:
		return ""
	}
	if err != nil {
		return ""
	}
	var s string
	if len(b) >= 2 && b[0] == 0xFE && b[1] == 0xFF {
		u := make([]uint16, 0, len(b)/2)
		for i := 2; i+1 < len(b); i += 2 {
			u = append(u, uint16(b[i])<<8|uint16(b[i+1]))
		}
		s = string(utf16.Decode(u))
	} else {
		rs := make([]rune, len(b))
		for i, c := range b {
			rs[i] = rune(c) // Latin-1 is close enough to PDFDocEncoding for titles
		}
		s = string(rs)
	}
	if rs := []rune(s); len(rs) > maxTitle {
		s = string(rs[:maxTitle]) + "…"
	}
	return s
}

// destPage is the page a bookmark opens: its /Dest, or its action's /D
// for a GoTo, an explicit destination whose first element is a page.
// Named destinations are not looked up (a name tree is one more walk
// over an outsider's structure for a convenience): such a bookmark is
// left out.
func (r *reader) destPage(d types.Dict) (int, bool) {
	dest := d["Dest"]
	if dest == nil {
		a, err := r.deref(d["A"])
		ad, _ := a.(types.Dict)
		if err != nil || ad == nil {
			return 0, false
		}
		if s, _ := ad["S"].(types.Name); s != "GoTo" {
			return 0, false
		}
		dest = ad["D"]
	}
	o, err := r.deref(dest)
	arr, _ := o.(types.Array)
	if err != nil || len(arr) == 0 {
		return 0, false
	}
	ir, ok := arr[0].(types.IndirectRef)
	if !ok {
		return 0, false
	}
	p, ok := r.pageOf[ir.ObjectNumber.Value()]
	return p, ok
}
