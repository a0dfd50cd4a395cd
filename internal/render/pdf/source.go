package pdf

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"strings"

	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"
)

// An attachment (bilag) arrives as a PDF of its own. pdfcpu reads it:
// the cross-reference table in all its forms (classic, streams, hybrid,
// incremental updates, repaired when broken), object streams decoded
// lazily, every allocation bounded by its resource limits, and the Go
// context seen while it reads. What it reads is never written back by
// pdfcpu: the post-pass copies each page's content and the objects its
// resources reach into the packet as a form XObject (import.go), so the
// packet is this package's own file, deterministic, with our metadata.

func init() {
	// pdfcpu keeps a configuration directory in the user's home unless
	// told not to; a render must not touch the disk
	model.ConfigPath = "disable"
}

// SourceLimits bound what reading one attachment may take.
type SourceLimits struct {
	MaxPages       int   // pages of this file
	MaxDecodeBytes int64 // a stream decoded (object streams, page contents)
}

// Source is an attachment's PDF, read and checked: its pages, in order,
// with what the page tree lets them inherit.
type Source struct {
	xref  *model.XRefTable
	pages []srcPage
	limit int64 // SourceLimits.MaxDecodeBytes
	bytes int64 // the file's size
	// the file's own bookmarks, in order, each with its page (0-based)
	// and its level below the attachment's bookmark (0 at the top)
	outline []srcBookmark
}

type srcBookmark struct {
	title       string
	page, level int
}

// Bounds of an attachment's own bookmarks carried into the packet.
const (
	maxOutline      = 1_000
	maxOutlineLevel = 3
)

type srcPage struct {
	dict      types.Dict
	resources types.Object // nil: none
	box       [4]float64   // the visible region (crop box within the media box), in points
	rotate    int          // 0, 90, 180 or 270, clockwise
}

// Pages is the number of pages.
func (s *Source) Pages() int { return len(s.pages) }

// SourceError says what is wrong with an attachment's file, in words for
// whoever sent it.
type SourceError struct{ Reason string }

func (e *SourceError) Error() string { return e.Reason }

// TooManySourcePagesError: the file has more pages than SourceLimits
// allow.
type TooManySourcePagesError struct{ Max int }

func (e *TooManySourcePagesError) Error() string {
	return fmt.Sprintf("has more than %d pages", e.Max)
}

const maxTreeDepth = 64 // page tree levels; real files have two or three

// ReadSource reads an attachment's PDF. Files that are not PDFs,
// encrypted, damaged beyond pdfcpu's repair or over the limits are a
// *SourceError or *TooManySourcePagesError; a cancelled ctx stops the
// reading.
func ReadSource(ctx context.Context, b []byte, lim SourceLimits) (src *Source, err error) {
	// readers look for the header in the first 1,024 bytes: some systems
	// put a few bytes before it
	if !bytes.Contains(b[:min(len(b), 1024)], []byte("%PDF-")) {
		if len(b) == 0 {
			return nil, &SourceError{"is empty"}
		}
		return nil, &SourceError{"is not a PDF (it does not begin with %PDF-)"}
	}
	defer func() {
		// pdfcpu is defensive, but a reader of hostile files must not
		// take the service down with it
		if r := recover(); r != nil {
			src, err = nil, &SourceError{fmt.Sprintf("is damaged: it could not be read (%v)", r)}
		}
	}()
	conf := model.NewDefaultConfiguration()
	conf.ValidationMode = model.ValidationRelaxed
	if lim.MaxDecodeBytes > 0 {
		conf.Limits.MaxDecodeBytes = lim.MaxDecodeBytes
		conf.Limits.MaxImageBytes = lim.MaxDecodeBytes
	}
	conf.Limits.MaxStreamBytes = int64(len(b))
	conf.Limits.MaxObjectCount = max(len(b)/8, 1024) // an object takes more bytes than that
	conf.Limits.MaxXRefEntries = conf.Limits.MaxObjectCount
	conf.Limits.MaxObjectStreamCount = conf.Limits.MaxObjectCount
	conf.Limits.MaxRecursionDepth = 64
	pc, err := pdfcpu.ReadWithContext(ctx, bytes.NewReader(b), conf)
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		if pc != nil && pc.Encrypt != nil || strings.Contains(strings.ToLower(err.Error()), "password") {
			return nil, &SourceError{"is encrypted; send it without a password or restrictions"}
		}
		return nil, &SourceError{"is damaged: " + shortError(err)}
	}
	// pdfcpu opens a file whose user password is empty; a packet must
	// still not carry a file its author restricted
	if pc.XRefTable.Encrypt != nil {
		return nil, &SourceError{"is encrypted; send it without a password or restrictions"}
	}
	s := &Source{xref: pc.XRefTable, limit: conf.Limits.MaxDecodeBytes, bytes: int64(len(b))}
	root, err := pc.XRefTable.Pages()
	if err != nil || root == nil {
		return nil, &SourceError{"is damaged: it has no page tree"}
	}
	if err := s.walk(ctx, *root, inherited{}, 0, map[int]bool{}, lim.MaxPages); err != nil {
		return nil, err
	}
	if len(s.pages) == 0 {
		return nil, &SourceError{"has no pages"}
	}
	s.readOutline(pc)
	return s, nil
}

// readOutline keeps the file's bookmarks that open one of its pages, the
// first levels of them. A broken outline is no reason to refuse a file:
// it is left out.
func (s *Source) readOutline(pc *model.Context) {
	pc.PageCount = len(s.pages)
	// pdfcpu finds the outline when it validates a file, which we do not
	cat, err := pc.XRefTable.Catalog()
	if err != nil {
		return
	}
	if pc.Outlines, err = pc.XRefTable.DereferenceDict(cat["Outlines"]); err != nil || pc.Outlines == nil {
		return
	}
	bms, err := pdfcpu.Bookmarks(pc)
	if err != nil {
		return
	}
	var walk func([]pdfcpu.Bookmark, int)
	walk = func(bms []pdfcpu.Bookmark, level int) {
		for _, b := range bms {
			if len(s.outline) >= maxOutline {
				return
			}
			if b.PageFrom >= 1 && b.PageFrom <= len(s.pages) && strings.TrimSpace(b.Title) != "" {
				s.outline = append(s.outline, srcBookmark{title: b.Title, page: b.PageFrom - 1, level: level})
			}
			if level+1 < maxOutlineLevel {
				walk(b.Kids, level+1)
			}
		}
	}
	walk(bms, 0)
}

func shortError(err error) string {
	s := err.Error()
	if len(s) > 200 {
		s = s[:197] + "…"
	}
	return s
}

// inherited are the page attributes a page tree node passes down.
type inherited struct {
	resources types.Object
	media     *[4]float64
	crop      *[4]float64
	rotate    int
}

func (s *Source) walk(ctx context.Context, ref types.Object, inh inherited, depth int, seen map[int]bool, maxPages int) error {
	if depth > maxTreeDepth {
		return &SourceError{"is damaged: its page tree is too deep"}
	}
	if ir, ok := ref.(types.IndirectRef); ok {
		n := ir.ObjectNumber.Value()
		if seen[n] {
			return &SourceError{"is damaged: its page tree has a cycle"}
		}
		seen[n] = true
	}
	o, err := s.xref.Dereference(ref)
	if err != nil {
		return &SourceError{"is damaged: " + shortError(err)}
	}
	d, ok := o.(types.Dict)
	if !ok {
		return &SourceError{"is damaged: a page is not a dictionary"}
	}
	if r, ok := d["Resources"]; ok {
		inh.resources = r
	}
	if b := s.box(d["MediaBox"]); b != nil {
		inh.media = b
	}
	if b := s.box(d["CropBox"]); b != nil {
		inh.crop = b
	}
	if r, ok := s.number(d["Rotate"]); ok {
		inh.rotate = ((int(r)/90)%4 + 4) % 4 * 90
	}
	kids, isTree := d["Kids"]
	if t, _ := d["Type"].(types.Name); t == "Page" || !isTree {
		if len(s.pages) >= maxPages {
			return &TooManySourcePagesError{Max: maxPages}
		}
		if len(s.pages)%64 == 0 && ctx.Err() != nil {
			return ctx.Err()
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
			return &SourceError{fmt.Sprintf("has a page (%d) of no usable size", len(s.pages)+1)}
		}
		s.pages = append(s.pages, srcPage{dict: d, resources: inh.resources, box: box, rotate: inh.rotate})
		return nil
	}
	ko, err := s.xref.Dereference(kids)
	if err != nil {
		return &SourceError{"is damaged: " + shortError(err)}
	}
	arr, ok := ko.(types.Array)
	if !ok {
		return &SourceError{"is damaged: its page tree has no list of pages"}
	}
	for _, k := range arr {
		if err := s.walk(ctx, k, inh, depth+1, seen, maxPages); err != nil {
			return err
		}
	}
	return nil
}

func (s *Source) number(o types.Object) (float64, bool) {
	f, err := s.xref.DereferenceNumber(o)
	return f, err == nil && o != nil
}

// box reads a rectangle, normalised so the first corner is the lower left.
func (s *Source) box(o types.Object) *[4]float64 {
	if o == nil {
		return nil
	}
	o, err := s.xref.Dereference(o)
	if err != nil {
		return nil
	}
	a, ok := o.(types.Array)
	if !ok || len(a) != 4 {
		return nil
	}
	var r [4]float64
	for i := range a {
		v, ok := s.number(a[i])
		if !ok || math.IsNaN(v) || math.IsInf(v, 0) {
			return nil
		}
		r[i] = v
	}
	return &[4]float64{min(r[0], r[2]), min(r[1], r[3]), max(r[0], r[2]), max(r[1], r[3])}
}

// size is the page's size as it is shown (rotation applied), in points.
func (p *srcPage) size() (w, h float64) {
	w, h = p.box[2]-p.box[0], p.box[3]-p.box[1]
	if p.rotate == 90 || p.rotate == 270 {
		w, h = h, w
	}
	return w, h
}

// placement is the matrix that draws the page's box, rotated as it is
// shown, scaled by s with its lower left corner at (x, y) in points.
func (p *srcPage) placement(s, x, y float64) [6]float64 {
	x0, y0 := p.box[0], p.box[1]
	w, h := p.box[2]-x0, p.box[3]-y0
	switch p.rotate {
	case 90:
		return [6]float64{0, -s, s, 0, x - s*y0, y + s*(w+x0)}
	case 180:
		return [6]float64{-s, 0, 0, -s, x + s*(w+x0), y + s*(h+y0)}
	case 270:
		return [6]float64{0, s, -s, 0, x + s*(h+y0), y - s*x0}
	}
	return [6]float64{s, 0, 0, s, x - s*x0, y - s*y0}
}
