package attach

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/pdfcpu/pdfcpu/pkg/api"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"
)

func init() {
	// pdfcpu keeps a configuration directory in the user's home unless
	// told not to; a render must not touch the disk
	api.DisableConfigDir()
}

// maxObjectStreamBytes bounds one object or cross-reference stream as
// pdfcpu decodes it while it reads (it decodes them all, before anything
// else sees the file). Such a stream holds dictionaries, not drawings: 16
// MiB is far above any real one. Page contents, fonts and images are
// decoded by this package, under Limits.
const maxObjectStreamBytes = 16 << 20

// Read reads an attachment's PDF in this process. Files that are not
// PDFs, encrypted, damaged beyond pdfcpu's repair or over the limits are
// an *Error or *TooManyPagesError; a cancelled ctx stops the reading.
// Read's work is bounded, but pdfcpu's reading before it only by its
// per-stream limits: a service runs it in a worker (Worker.Read).
func Read(ctx context.Context, b []byte, lim Limits) (f *File, err error) {
	lim = lim.withDefaults()
	// readers look for the header in the first 1,024 bytes: some systems
	// put a few bytes before it
	if !bytes.Contains(b[:min(len(b), 1024)], []byte("%PDF-")) {
		if len(b) == 0 {
			return nil, &Error{"is empty"}
		}
		return nil, &Error{"is not a PDF (it does not begin with %PDF-)"}
	}
	defer func() {
		// pdfcpu is defensive, but a reader of hostile files must not
		// take the service down with it; its message is not the sender's
		// business (it may name our code), only that the file is damaged
		if r := recover(); r != nil {
			f, err = nil, &Error{"is damaged: it could not be read"}
		}
	}()
	conf := model.NewDefaultConfiguration()
	conf.ValidationMode = model.ValidationRelaxed
	conf.Limits.MaxDecodeBytes = maxObjectStreamBytes
	conf.Limits.MaxImageBytes = maxObjectStreamBytes
	conf.Limits.MaxStreamBytes = int64(len(b))
	conf.Limits.MaxObjectCount = max(len(b)/8, 1024) // an object takes more bytes than that
	conf.Limits.MaxXRefEntries = conf.Limits.MaxObjectCount
	conf.Limits.MaxObjectStreamCount = conf.Limits.MaxObjectCount
	conf.Limits.MaxRecursionDepth = maxNesting
	pc, err := pdfcpu.ReadWithContext(ctx, bytes.NewReader(b), conf)
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		if pc != nil && pc.Encrypt != nil || strings.Contains(strings.ToLower(err.Error()), "password") {
			return nil, &Error{"is encrypted; send it without a password or restrictions"}
		}
		return nil, &Error{"is damaged: " + shortError(err)}
	}
	// pdfcpu opens a file whose user password is empty; a packet must
	// still not carry a file its author restricted
	if pc.XRefTable.Encrypt != nil {
		return nil, &Error{"is encrypted; send it without a password or restrictions"}
	}
	r := &reader{ctx: ctx, x: pc.XRefTable, lim: lim, seen: map[int]bool{}, pageOf: map[int]int{},
		copies: map[copyKey]int{}, forms: map[string]int{}, objStms: map[int]bool{}}
	return r.read()
}

// reader is one file being read: its budgets and what its walks saw.
type reader struct {
	ctx     context.Context
	x       *model.XRefTable
	lim     Limits
	work    int   // units of MaxWork spent
	decoded int64 // bytes of MaxDecodedBytes spent
	seen    map[int]bool
	pages   []srcPage
	pageOf  map[int]int // a page object's number -> its index
	out     File
	objStms map[int]bool    // object streams counted
	copies  map[copyKey]int // (object, role) -> index in out.Objects
	forms   map[string]int  // a page's form by what it is made of
	annots  int             // annotations looked at (maxAnnots)
}

type srcPage struct {
	dict      types.Dict
	resources types.Object
	box       [4]float64
	rotate    int
}

func (r *reader) read() (*File, error) {
	cat, err := r.x.Catalog()
	if err != nil || cat == nil {
		return nil, &Error{"is damaged: it has no catalog"}
	}
	if err := r.hiddenLayers(cat); err != nil {
		return nil, err
	}
	root, ok := cat["Pages"].(types.IndirectRef)
	if !ok {
		return nil, &Error{"is damaged: it has no page tree"}
	}
	if err := r.walkPages(root); err != nil {
		return nil, err
	}
	if len(r.pages) == 0 {
		return nil, &Error{"has no pages"}
	}
	for i := range r.pages {
		form, err := r.pageForm(&r.pages[i])
		if err != nil {
			return nil, err
		}
		p := &r.pages[i]
		r.out.Pages = append(r.out.Pages, Page{Box: p.box, Rotate: p.rotate, Form: form})
		if err := r.countLeft(p.dict); err != nil {
			return nil, err
		}
	}
	r.readOutline(cat)
	return &r.out, nil
}

// spend takes n units of work and sees the deadline now and then.
func (r *reader) spend(n int) error {
	r.work += n
	if r.work > r.lim.MaxWork {
		return &Error{fmt.Sprintf("is too complex to read: its structure takes more than %d steps", r.lim.MaxWork)}
	}
	if r.work&1023 < n || n > 1023 {
		return r.ctx.Err()
	}
	return nil
}

// deref resolves a reference, counting the step. An object in an object
// stream makes pdfcpu decode that stream when it is first reached: its
// decoded bytes are counted against the budget then, once a stream.
func (r *reader) deref(o types.Object) (types.Object, error) {
	if err := r.spend(1); err != nil {
		return nil, err
	}
	if ir, ok := o.(types.IndirectRef); ok {
		e := r.x.Table[ir.ObjectNumber.Value()]
		if e != nil && e.ObjectStream != nil && !r.objStms[*e.ObjectStream] {
			r.objStms[*e.ObjectStream] = true
			if err := r.countObjectStream(*e.ObjectStream); err != nil {
				return nil, err
			}
		}
	}
	o, err := r.x.Dereference(o)
	if err != nil {
		return nil, &Error{"is damaged: " + shortError(err)}
	}
	return o, nil
}

// maxAnnots bounds the annotations of a file that are looked at (each
// is a step of the work budget too, so counting them cannot make a large
// file of many links too complex to read): past it the counts are "at
// least".
const maxAnnots = 20_000

// countLeft counts a page's annotations that the packet does not carry,
// by kind: links, form fields (widgets), attached files, and the rest
// (notes, highlights, stamps, ink) as comments. Popups belong to the
// comment they open; printer's marks and the like are not content.
func (r *reader) countLeft(page types.Dict) error {
	annots, err := r.deref(page["Annots"])
	if err != nil {
		return err
	}
	a, _ := annots.(types.Array)
	for _, o := range a {
		if r.annots == maxAnnots {
			break
		}
		r.annots++
		d, err := r.deref(o)
		if err != nil {
			return err
		}
		ad, _ := d.(types.Dict)
		st, _ := ad["Subtype"].(types.Name)
		kind := Comments
		switch st {
		case "Link":
			kind = Links
		case "Widget":
			kind = FormFields
		case "FileAttachment":
			kind = AttachedFiles
		case "Popup", "PrinterMark", "TrapNet", "Watermark", "":
			continue
		}
		if r.out.Left == nil {
			r.out.Left = map[Kind]int{}
		}
		r.out.Left[kind]++
	}
	return nil
}

// hiddenLayers refuses a file whose optional content hides some of it by
// default: the packet draws its pages without layers, so what its author
// hid would be shown.
func (r *reader) hiddenLayers(cat types.Dict) error {
	oc, err := r.deref(cat["OCProperties"])
	if err != nil || oc == nil {
		return nil
	}
	ocd, _ := oc.(types.Dict)
	d, _ := r.deref(ocd["D"])
	dd, _ := d.(types.Dict)
	if dd == nil {
		return nil
	}
	off, _ := r.deref(dd["OFF"])
	base, _ := r.deref(dd["BaseState"])
	if a, ok := off.(types.Array); ok && len(a) > 0 || base != nil && base != types.Name("ON") {
		return &Error{"has layers that are hidden by default (optional content); save or print it as a PDF without layers"}
	}
	return nil
}

// countObjectStream decodes an object stream as pdfcpu is about to, to
// count its bytes against the budget before pdfcpu holds them.
func (r *reader) countObjectStream(n int) error {
	e := r.x.Table[n]
	if e == nil {
		return nil
	}
	osd, ok := e.Object.(types.ObjectStreamDict)
	if !ok {
		return nil
	}
	_, err := r.decodeWithin(osd.StreamDict, len(osd.FilterPipeline), maxObjectStreamBytes)
	if errors.Is(err, errDrop) {
		return nil // pdfcpu will say what it makes of it
	}
	return err
}

func shortError(err error) string {
	s := err.Error()
	if len(s) > 200 {
		s = s[:197] + "…"
	}
	return s
}
