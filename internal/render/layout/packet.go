package layout

import (
	"fmt"
	"protokol/internal/render/font"
	"strconv"

	"protokol/internal/attach"
)

// Attachment is an attachment's PDF, placed where the template writes
// <!-- attachment KEY -->: each of its pages on a page of the packet,
// portrait or landscape as it is shown, scaled into the space between a
// stamp in the top margin and the running footer, so the stamp and the
// footer never cover its text. Its first page is a link target and gets
// a bookmark one level below the previous one (the item's), with the
// file's own bookmarks under it (package attach reads them); the pages
// are one Figure in the structure tree, with the attachment's name as
// its alternate text, since their own text is not tagged.
type Attachment struct {
	Key    string       // as the directive names it
	Anchor string       // link target of its first page, for contents lines
	Stamp  string       // on every page, e.g. "Bilag 5.1 · Budget 2015"
	Alt    string       // alternate text of its pages
	Source *attach.File // the file as package attach read it
	File   string       // its file's name, for messages
}

// Where an attachment page goes, in millimetres from the page's edges.
const (
	attachSide   = 10.0 // left and right
	attachTop    = 14.0 // below the stamp
	attachBottom = 18.0 // above the footer's rule
	stampBase    = 10.0 // the stamp's baseline
)

// Placed is one attachment page drawn on one of our pages.
type Placed struct {
	Key   string // the attachment's (Attachment.Key)
	Page  int    // our page, 1-based
	Name  string // its XObject resource name on that page
	Src   *attach.File
	Index int // the file's page, 0-based
}

// UnplacedError: the template did not place an attachment the packet
// has, or placed one twice or one it does not have.
type UnplacedError struct{ Key, Problem string }

func (e *UnplacedError) Error() string {
	return fmt.Sprintf("the template %s attachment %s", e.Problem, e.Key)
}

// attach places an attachment's pages after what is laid out so far.
func (e *engine) attach(key string) {
	a, ok := e.attachments[key]
	if !ok {
		e.err = &UnplacedError{key, "placed an unknown"}
		return
	}
	if e.placedKeys[key] {
		e.err = &UnplacedError{key, "placed twice the"}
		return
	}
	e.placedKeys[key] = true
	fig := e.tags.open("Figure")
	fig.attrs().Alt = e.clean.clean(a.Alt)
	stamp := e.clean.clean(a.Stamp)
	for i := range a.Source.Pages {
		sp := &a.Source.Pages[i]
		dw, dh := sp.Size()
		e.attachPage(dw > dh)
		if i == 0 {
			if an, ok := e.anchors[a.Anchor]; ok && an.page == 0 {
				an.page, an.y = e.pages, 0
				e.anchors[a.Anchor] = an
			}
			level := e.bookmarkDepth()
			if e.lastAttach {
				level = e.attachOutline // a sibling of the attachment before
			}
			e.addBookmark(stamp, level, 0)
			e.attachOutline = level
		}
		e.sourceBookmarks(a.Source, i)
		// the stamp: pagination, like a running header
		e.artifact(func() {
			e.drawText(attachSide, stampBase, font.Bold, smallSize, grey, e.fit(stamp, font.Bold, smallSize, e.w-2*attachSide))
		})
		// the page, scaled into the box and aligned to its top
		bx, by := attachSide*ptPerMM, attachBottom*ptPerMM
		bw, bh := (e.w-2*attachSide)*ptPerMM, (e.h-attachTop-attachBottom)*ptPerMM
		s := min(bw/dw, bh/dh)
		x, y := bx+(bw-s*dw)/2, by+bh-s*dh
		m := sp.Placement(s, x, y)
		name := "Bl" + strconv.Itoa(len(e.placed))
		e.placed = append(e.placed, Placed{Key: a.Key, Page: e.pages, Name: name, Src: a.Source, Index: i})
		e.place(Box{Kind: FormBox, Text: name, M: &m, Mark: e.mark()})
		// a hairline round it, so a reader sees where the page ends
		e.place(Box{Kind: OutlineBox, X: x, Y: y, X2: s * dw, Y2: s * dh, Color: ruleGrey})
	}
	e.tags.close()
	e.lastAttach = true
	e.y = e.bottom() + 1 // what follows starts on a page of its own
	e.nextForced = true
}

// sourceBookmarks adds the attachment's own bookmarks that open its page
// i, under the attachment's bookmark, never more than one level below
// the bookmark before (a file's outline need not follow its pages).
func (e *engine) sourceBookmarks(src *attach.File, i int) {
	for _, b := range src.Outline {
		if b.Page != i {
			continue
		}
		level := min(e.attachOutline+1+b.Level, e.bookmarkDepth())
		e.addBookmark(e.clean.clean(b.Title), level, 0)
	}
}

// attachPage starts a page for an attachment page: A4 in its
// orientation, without the watermark (which would cover the page's own
// text), not counted against MaxPages (the attachments have their own
// limits).
func (e *engine) attachPage(landscape bool) {
	if e.attachPages == 0 || !e.frame.attachment {
		e.fillBeforeBreak() // the page before the attachment's first
	}
	e.addFrame(landscape)
	e.frame.attachment = true
	e.attachPages++
}

// fit cuts clean text to a width with an ellipsis.
func (e *engine) fit(s string, st font.Style, size, width float64) string {
	if e.width(st, size, s) <= width {
		return s
	}
	r := []rune(s)
	for len(r) > 0 && e.width(st, size, string(r)+"…") > width {
		r = r[:len(r)-1]
	}
	return string(r) + "…"
}

// addFrame starts a page, A4 portrait or landscape, and makes it current.
func (e *engine) addFrame(landscape bool) {
	f := &Frame{W: pageW, H: pageH}
	if n := len(e.frames); n > 0 {
		// pages of one document hold about as many boxes as the one before:
		// room for that many, not a slice grown by doubling
		f.Boxes = make([]Box, 0, len(e.frames[n-1].Boxes)+len(e.frames[n-1].Boxes)/8)
	}
	if landscape {
		f.W, f.H = pageH, pageW
	}
	e.frames = append(e.frames, f)
	e.pages = len(e.frames)
	e.setPage(e.pages)
}

// setPage goes to a page laid out before (or the new one), to place on it.
func (e *engine) setPage(p int) {
	e.frame, e.page = e.frames[p-1], p
	e.w, e.h = e.frame.W, e.frame.H
}
