// Package attach reads an attachment's PDF (a bilag, an outsider's file)
// into what a packet needs of it and nothing more: each page's size and
// rotation, the page's appearance as a self-contained form XObject, and
// the file's first bookmarks. Everything else of the file (its catalog,
// page tree, annotations, actions, JavaScript, embedded files, forms,
// XFA, metadata, structure tree) is never copied: a page is rebuilt from
// an allowlist of what drawing it needs (copy.go), every stream decoded
// under a budget and compressed anew, so the packet holds nothing a
// reader must decompress beyond what was decoded here.
//
// Every walk over the file's structure has a visited set, a work budget
// and sees the deadline (walk.go). What cannot be bounded from inside
// (pdfcpu's own reading, which decodes object streams before we see
// them) runs in a worker process with its own memory and CPU limits
// (worker.go), so a file that defeats the reader costs one render.
package attach

import (
	"fmt"
	"strconv"
)

// File is an attachment's PDF as the packet uses it.
type File struct {
	Pages   []Page
	Outline []Bookmark
	// Objects are the copied objects; a page's form and everything it
	// refers to. They refer to each other by index (Ref.To).
	Objects []Object
	// Left counts what a reader of the file would miss in the packet,
	// which carries its pages' appearance and bookmarks only: its links,
	// form fields, comments and attached files, by Kind.
	Left map[Kind]int
}

// Kind is a kind of what a file's pages hold besides their appearance.
type Kind string

// The kinds of Left.
const (
	Links         Kind = "links"
	FormFields    Kind = "form fields"
	Comments      Kind = "comments"
	AttachedFiles Kind = "attached files"
)

// Kinds are the kinds of Left, in the order they are told.
func Kinds() []Kind { return []Kind{Links, FormFields, Comments, AttachedFiles} }

// Page is one page of the file.
type Page struct {
	Box    [4]float64 // the visible region (crop box within the media box), in points
	Rotate int        // 0, 90, 180 or 270, clockwise
	Form   int        // the index of its form XObject in File.Objects
}

// Bookmark is one of the file's own bookmarks.
type Bookmark struct {
	Title string
	Page  int // 0-based
	Level int // 0 at the top
}

// Object is a copied object: its dictionary (or other value) as PDF
// text, with references to other copied objects at the offsets Refs name,
// and a stream (nil for none; Dict then has the stream's /Length).
type Object struct {
	Dict   []byte
	Refs   []Ref
	Stream []byte
}

// Ref is a reference in an Object's Dict: at byte offset At, before the
// " 0 R" that Dict has there, the object number of Objects[To] goes.
type Ref struct{ At, To int }

// Append writes the object's dictionary with the references numbered:
// Objects[i] is object num(i).
func (o *Object) Append(b []byte, num func(int) int) []byte {
	last := 0
	for _, r := range o.Refs {
		b = append(b, o.Dict[last:r.At]...)
		b = strconv.AppendInt(b, int64(num(r.To)), 10)
		last = r.At
	}
	return append(b, o.Dict[last:]...)
}

// Size is the page's size as it is shown (rotation applied), in points.
func (p *Page) Size() (w, h float64) {
	w, h = p.Box[2]-p.Box[0], p.Box[3]-p.Box[1]
	if p.Rotate == 90 || p.Rotate == 270 {
		w, h = h, w
	}
	return w, h
}

// Placement is the matrix that draws the page's box, rotated as it is
// shown, scaled by s with its lower left corner at (x, y) in points.
func (p *Page) Placement(s, x, y float64) [6]float64 {
	x0, y0 := p.Box[0], p.Box[1]
	w, h := p.Box[2]-x0, p.Box[3]-y0
	switch p.Rotate {
	case 90:
		return [6]float64{0, -s, s, 0, x - s*y0, y + s*(w+x0)}
	case 180:
		return [6]float64{-s, 0, 0, -s, x + s*(w+x0), y + s*(h+y0)}
	case 270:
		return [6]float64{0, s, -s, 0, x + s*(h+y0), y - s*x0}
	}
	return [6]float64{s, 0, 0, s, x - s*x0, y - s*y0}
}

// check verifies what a File's user relies on, for one that came from a
// worker: every index in range, every Ref inside its Dict and in order.
func (f *File) check() error {
	n := len(f.Objects)
	for i := range f.Pages {
		if p := &f.Pages[i]; p.Form < 0 || p.Form >= n {
			return fmt.Errorf("page %d: no form", i)
		}
	}
	for i := range f.Objects {
		o := &f.Objects[i]
		last := 0
		for _, r := range o.Refs {
			if r.At < last || r.At+4 > len(o.Dict) || string(o.Dict[r.At:r.At+4]) != " 0 R" || r.To < 0 || r.To >= n {
				return fmt.Errorf("object %d: a reference out of range", i)
			}
			last = r.At
		}
	}
	for _, b := range f.Outline {
		if b.Page < 0 || b.Page >= len(f.Pages) || b.Level < 0 || b.Level >= MaxOutlineLevel {
			return fmt.Errorf("a bookmark out of range")
		}
	}
	return nil
}

// Error says what is wrong with an attachment's file, in words for
// whoever sent it.
type Error struct{ Reason string }

func (e *Error) Error() string { return e.Reason }

// TooManyPagesError: the file has more pages than Limits allow.
type TooManyPagesError struct{ Max int }

func (e *TooManyPagesError) Error() string {
	return fmt.Sprintf("has more than %d pages", e.Max)
}

// Limits bound what reading one file may take. The zero value of a
// field means its default.
type Limits struct {
	MaxPages int // pages of this file (default 2,000)
	// MaxStreamBytes bounds one stream decoded (default 64 MiB);
	// MaxDecodedBytes all streams of the file decoded together (default
	// 256 MiB), a page's content counted for every page that draws it.
	MaxStreamBytes, MaxDecodedBytes int64
	// MaxWork bounds the objects and values the walks visit (default
	// 2,000,000): a file whose structure is a maze costs its size, not
	// the paths through it.
	MaxWork int
}

// Defaults of Limits.
const (
	DefaultMaxPages        = 2_000
	DefaultMaxStreamBytes  = 64 << 20
	DefaultMaxDecodedBytes = 256 << 20
	DefaultMaxWork         = 2_000_000
	// MaxOutline bounds the file's own bookmarks kept, MaxOutlineLevel
	// their levels.
	MaxOutline      = 1_000
	MaxOutlineLevel = 3
	maxTreeDepth    = 64 // page tree levels; real files have two or three
	maxNesting      = 64 // arrays and dictionaries within each other
)

func (l Limits) withDefaults() Limits {
	if l.MaxPages <= 0 {
		l.MaxPages = DefaultMaxPages
	}
	if l.MaxStreamBytes <= 0 {
		l.MaxStreamBytes = DefaultMaxStreamBytes
	}
	if l.MaxDecodedBytes <= 0 {
		l.MaxDecodedBytes = DefaultMaxDecodedBytes
	}
	if l.MaxWork <= 0 {
		l.MaxWork = DefaultMaxWork
	}
	return l
}
