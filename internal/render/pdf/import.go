package pdf

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"
)

// An attachment page enters the packet as a form XObject: the page's
// content (its one stream copied as it is, or its several streams
// decoded, joined and compressed anew) with its resources, drawn on one
// of our pages inside a transformation that rotates and scales it. The
// objects the resources reach are copied once per attachment file, with
// new numbers; the rest of the file (annotations, structure
// tree, metadata) is not carried over.

// placed is one attachment page drawn on one of our pages.
type placed struct {
	key   string // the attachment's (Attachment.Key)
	page  int    // our page, 1-based
	name  string // its XObject resource name on that page
	src   *Source
	index int // the source's page, 0-based
}

// importer copies attachment pages into the packet's objects.
type importer struct {
	ctx    context.Context
	newObj func(string, []byte) *object
	copies map[*Source]*copier
	budget int64 // bytes the copies may still take beyond the files' own
}

func newImporter(ctx context.Context, newObj func(string, []byte) *object, budget int64) *importer {
	return &importer{ctx: ctx, newObj: newObj, copies: map[*Source]*copier{}, budget: budget}
}

// copier copies one file's objects, each once.
type copier struct {
	im    *importer
	src   *Source
	nums  map[int]*object // the file's object number -> ours
	work  []pending
	count int
}

type pending struct {
	ref types.IndirectRef
	to  *object
}

// form writes the form XObject of one attachment page and returns it.
func (im *importer) form(p placed) (*object, error) {
	c := im.copies[p.src]
	if c == nil {
		c = &copier{im: im, src: p.src, nums: map[int]*object{}}
		im.copies[p.src] = c
	}
	sp := &p.src.pages[p.index]
	d := fmt.Appendf(nil, "<</Type /XObject /Subtype /Form /FormType 1 /BBox [%s %s %s %s] /Resources ",
		num(sp.box[0]), num(sp.box[1]), num(sp.box[2]), num(sp.box[3]))
	var err error
	if sp.resources == nil {
		d = append(d, "<<>>"...)
	} else if d, err = c.value(d, sp.resources, 0); err != nil {
		return nil, err
	}
	if g, ok := sp.dict["Group"]; ok {
		d = append(d, " /Group "...)
		if d, err = c.value(d, g, 0); err != nil {
			return nil, err
		}
	}
	stream, filters, err := c.content(sp.dict["Contents"])
	if err != nil {
		return nil, err
	}
	d = append(d, filters...)
	d = append(append(d, " /Length "...), strconv.Itoa(len(stream))...)
	o := im.newObj(string(append(d, ">>"...)), stream)
	if err := c.drain(); err != nil {
		return nil, err
	}
	return o, nil
}

// content is the page's content as one stream, with the /Filter and
// /DecodeParms entries it needs.
func (c *copier) content(ref types.Object) (stream []byte, filters []byte, err error) {
	o, err := c.src.xref.Dereference(ref)
	if err != nil || o == nil {
		return []byte{}, nil, nil // a page without content is blank
	}
	if sd, ok := o.(types.StreamDict); ok {
		for _, k := range []string{"Filter", "DecodeParms"} {
			if v, ok := sd.Dict[k]; ok {
				filters = append(append(append(filters, ' '), types.Name(k).PDFString()...), ' ')
				if filters, err = c.value(filters, v, 0); err != nil {
					return nil, nil, err
				}
			}
		}
		return orEmpty(sd.Raw), filters, nil
	}
	arr, ok := o.(types.Array)
	if !ok {
		return []byte{}, nil, nil
	}
	// several streams are one content stream in the reader's eyes:
	// decoded and joined (a token never spans two), then compressed
	var joined []byte
	for _, r := range arr {
		so, err := c.src.xref.Dereference(r)
		if err != nil {
			continue
		}
		sd, ok := so.(types.StreamDict)
		if !ok {
			continue
		}
		if err := sd.DecodeWithLimit(c.src.limit - int64(len(joined))); err != nil {
			return nil, nil, &SourceError{"has page content that cannot be decoded within the limits: " + shortError(err)}
		}
		joined = append(append(joined, sd.Content...), '\n')
		if int64(len(joined)) > c.src.limit {
			return nil, nil, &SourceError{fmt.Sprintf("has a page whose content is larger than %d bytes decoded", c.src.limit)}
		}
	}
	return deflateWith(pageStreams, joined), []byte(" /Filter /FlateDecode"), nil
}

func orEmpty(b []byte) []byte {
	if b == nil {
		return []byte{}
	}
	return b
}

// ref is our number for one of the file's objects, copied when the
// queue is drained.
func (c *copier) ref(r types.IndirectRef) int {
	n := r.ObjectNumber.Value()
	if o, ok := c.nums[n]; ok {
		return o.num
	}
	o := c.im.newObj("null", nil)
	c.nums[n] = o
	c.work = append(c.work, pending{ref: r, to: o})
	return o.num
}

// skipped are entries that would tie a copied object to the file it came
// from: its page tree and structure tree.
var skipped = map[string]bool{"Parent": true, "StructParent": true, "StructParents": true}

// value writes a direct object, numbering the objects it refers to.
func (c *copier) value(b []byte, o types.Object, depth int) ([]byte, error) {
	if depth > 64 {
		return nil, &SourceError{"is damaged: an object is nested too deep"}
	}
	var err error
	switch v := o.(type) {
	case nil:
		return append(b, "null"...), nil
	case types.IndirectRef:
		return append(strconv.AppendInt(b, int64(c.ref(v)), 10), " 0 R"...), nil
	case types.Dict:
		b = append(b, "<<"...)
		for _, k := range slices.Sorted(maps.Keys(v)) {
			if skipped[k] {
				continue
			}
			b = append(append(b, types.Name(k).PDFString()...), ' ')
			if b, err = c.value(b, v[k], depth+1); err != nil {
				return nil, err
			}
			b = append(b, ' ')
		}
		return append(b, ">>"...), nil
	case types.Array:
		b = append(b, '[')
		for i, e := range v {
			if i > 0 {
				b = append(b, ' ')
			}
			if b, err = c.value(b, e, depth+1); err != nil {
				return nil, err
			}
		}
		return append(b, ']'), nil
	case types.Name, types.StringLiteral, types.HexLiteral, types.Integer, types.Float, types.Boolean:
		return append(b, v.PDFString()...), nil
	}
	return append(b, "null"...), nil
}

// drain copies the objects referred to so far, and those they refer to.
func (c *copier) drain() error {
	for len(c.work) > 0 {
		p := c.work[len(c.work)-1]
		c.work = c.work[:len(c.work)-1]
		c.count++
		if c.count%256 == 0 {
			if err := c.im.ctx.Err(); err != nil {
				return err
			}
		}
		o, err := c.src.xref.Dereference(p.ref)
		if err != nil || o == nil {
			continue // a broken reference reads as null, as in any reader
		}
		var d []byte
		switch v := o.(type) {
		case types.StreamDict:
			dict := types.Dict{}
			for k, e := range v.Dict {
				if k != "Length" {
					dict[k] = e
				}
			}
			if d, err = c.value(nil, dict, 0); err != nil {
				return err
			}
			p.to.stream = orEmpty(v.Raw)
			d = append(d[:len(d)-2], " /Length "...)
			d = append(strconv.AppendInt(d, int64(len(p.to.stream)), 10), ">>"...)
			c.im.budget -= int64(len(p.to.stream))
		case types.ObjectStreamDict, types.XRefStreamDict:
			continue // the file's own bookkeeping, nothing a page draws
		default:
			if d, err = c.value(nil, o, 0); err != nil {
				return err
			}
		}
		p.to.dict = string(d)
		c.im.budget -= int64(len(d))
		if c.im.budget < 0 {
			return &SourceError{"is too large to place: its pages reach more objects than the limits allow"}
		}
	}
	return nil
}

// num writes a coordinate compactly.
func num(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

// AttachmentError is a problem with an attachment's file found while it
// is copied into the packet.
type AttachmentError struct {
	Key string // the attachment's (Attachment.Key)
	Err *SourceError
}

func (e *AttachmentError) Error() string { return e.Key + ": " + e.Err.Error() }

// importPages writes the form XObjects of the attachment pages and gives
// each page that draws one its own resources: the shared ones (res,
// which every page names by resRef) and its forms.
func importPages(ctx context.Context, att []placed, pages []int, byNum map[int]*object, res *object, resRef string, newObj func(string, []byte) *object) error {
	if len(att) == 0 {
		return nil
	}
	var files int64
	seen := map[*Source]bool{}
	for _, p := range att {
		if !seen[p.src] {
			seen[p.src] = true
			files += p.src.bytes
		}
	}
	im := newImporter(ctx, newObj, 4*files+32<<20)
	// fpdf writes an empty /XObject dictionary; the forms go into a copy
	before, after, found := strings.Cut(res.dict, "/XObject <<")
	if !found {
		before, after = strings.TrimSuffix(strings.TrimSpace(res.dict), ">>"), ">>\n>>"
	}
	for i := 0; i < len(att); {
		page := att[i].page
		var entries []string
		for ; i < len(att) && att[i].page == page; i++ {
			o, err := im.form(att[i])
			var se *SourceError
			if errors.As(err, &se) {
				return &AttachmentError{Key: att[i].key, Err: se}
			}
			if err != nil {
				return err
			}
			entries = append(entries, fmt.Sprintf("/%s %d 0 R", att[i].name, o.num))
		}
		r := newObj(before+"/XObject <<"+strings.Join(entries, " ")+after, nil)
		po := byNum[pages[page-1]]
		po.dict = strings.Replace(po.dict, resRef, fmt.Sprintf("/Resources %d 0 R", r.num), 1)
	}
	return nil
}
