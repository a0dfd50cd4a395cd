package pdf

import (
	"fmt"
	"protokol/internal/render/cos"
	"strconv"

	"codeberg.org/go-pdf/fpdf"

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
		panic(&UnplacedError{key, "placed an unknown"})
	}
	if e.placedKeys[key] {
		panic(&UnplacedError{key, "placed twice the"})
	}
	e.placedKeys[key] = true
	fig := e.tags.open("Figure")
	fig.set("Alt", cos.Text(e.clean.clean(a.Alt)))
	stamp := e.clean.clean(a.Stamp)
	for i := range a.Source.Pages {
		sp := &a.Source.Pages[i]
		dw, dh := sp.Size()
		orient := "P"
		if dw > dh {
			orient = "L"
		}
		e.attachPage(orient)
		if i == 0 {
			if an, ok := e.anchors[a.Anchor]; ok && an.page == 0 {
				e.pdf.SetLink(an.link, 0, e.pages)
				an.page = e.pages
				e.anchors[a.Anchor] = an
			}
			level := e.bookmarkDepth()
			if e.lastAttach {
				level = e.attachOutline // a sibling of the attachment before
			}
			e.pdf.Bookmark(utf16BE(stamp), level, 0)
			e.bookmark++
			e.lastOutline = level
			e.attachOutline = level
		}
		e.sourceBookmarks(a.Source, i)
		// the stamp: pagination, like a running header
		e.artifact(func() {
			e.drawText(attachSide, stampBase, bold, smallSize, grey, e.fit(stamp, bold, smallSize, e.w-2*attachSide))
		})
		// the page, scaled into the box and aligned to its top
		bx, by := attachSide*ptPerMM, attachBottom*ptPerMM
		bw, bh := (e.w-2*attachSide)*ptPerMM, (e.h-attachTop-attachBottom)*ptPerMM
		s := min(bw/dw, bh/dh)
		x, y := bx+(bw-s*dw)/2, by+bh-s*dh
		m := sp.Placement(s, x, y)
		name := "Bl" + strconv.Itoa(len(e.placed))
		e.placed = append(e.placed, placed{key: a.Key, page: e.pages, name: name, src: a.Source, index: i})
		b := e.begin(nil)
		b = fmt.Appendf(b, "q %.5f %.5f %.5f %.5f %.3f %.3f cm /%s Do Q\nEMC", m[0], m[1], m[2], m[3], m[4], m[5], name)
		e.pdf.RawWriteStr(string(b))
		// a hairline round it, so a reader sees where the page ends
		e.pdf.RawWriteStr(fmt.Sprintf("/Artifact BMC q %s RG 0.3 w %.3f %.3f %.3f %.3f re S Q EMC",
			appendColor(nil, ruleGrey), x, y, s*dw, s*dh))
	}
	e.tags.close()
	e.lastAttach = true
	e.y = e.bottom() + 1 // what follows starts on a page of its own
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
		e.pdf.Bookmark(utf16BE(e.clean.clean(b.Title)), level, 0)
		e.bookmark++
		e.lastOutline = level
	}
}

// attachPage starts a page for an attachment page: A4 in its
// orientation, without the watermark (which would cover the page's own
// text), not counted against MaxPages (the attachments have their own
// limits).
func (e *engine) attachPage(orient string) {
	e.pdf.AddPageFormat(orient, fpdf.SizeType{Wd: pageW, Ht: pageH})
	e.pages++
	e.attachPages++
	e.setSize(orient == "L")
}

// fit cuts clean text to a width with an ellipsis.
func (e *engine) fit(s string, st style, size, width float64) string {
	if e.width(st, size, s) <= width {
		return s
	}
	r := []rune(s)
	for len(r) > 0 && e.width(st, size, string(r)+"…") > width {
		r = r[:len(r)-1]
	}
	return string(r) + "…"
}

// setSize records the size of the page just added.
func (e *engine) setSize(landscape bool) {
	e.w, e.h = pageW, pageH
	if landscape {
		e.w, e.h = pageH, pageW
	}
	for len(e.sizes) <= e.pages {
		e.sizes = append(e.sizes, [2]float64{pageW, pageH})
	}
	e.sizes[e.pages] = [2]float64{e.w, e.h}
}

// setPage goes back to a page laid out before, to draw on it.
func (e *engine) setPage(p int) {
	e.pdf.SetPage(p)
	e.w, e.h = e.sizes[p][0], e.sizes[p][1]
}
