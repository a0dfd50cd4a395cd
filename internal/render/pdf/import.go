package pdf

import (
	"fmt"
	"strings"

	"protokol/internal/attach"
)

// An attachment page enters the packet as the form XObject package attach
// built of it: the page's content with the objects its resources reach,
// copied from an allowlist and numbered here. Each file's objects are
// added once, when its first page is drawn, numbered in their order.

// placed is one attachment page drawn on one of our pages.
type placed struct {
	key   string // the attachment's (Attachment.Key)
	page  int    // our page, 1-based
	name  string // its XObject resource name on that page
	src   *attach.File
	index int // the file's page, 0-based
}

// addFile adds a file's objects.
func addFile(f *attach.File, newObj func(string, []byte) *object) []*object {
	objs := make([]*object, len(f.Objects))
	for i := range f.Objects {
		objs[i] = newObj("", nil)
	}
	for i := range f.Objects {
		o := &f.Objects[i]
		objs[i].dict = string(o.Append(nil, func(j int) int { return objs[j].num }))
		objs[i].stream = o.Stream
	}
	return objs
}

// importPages writes the attachment pages' objects and gives each page
// that draws one its own resources: the shared ones (res, which every
// page names by resRef) and its forms.
func importPages(att []placed, pages []int, byNum map[int]*object, res *object, resRef string, newObj func(string, []byte) *object) {
	if len(att) == 0 {
		return
	}
	added := map[*attach.File][]*object{}
	// fpdf writes an empty /XObject dictionary; the forms go into a copy
	before, after, found := strings.Cut(res.dict, "/XObject <<")
	if !found {
		before, after = strings.TrimSuffix(strings.TrimSpace(res.dict), ">>"), ">>\n>>"
	}
	for i := 0; i < len(att); {
		page := att[i].page
		var entries []string
		for ; i < len(att) && att[i].page == page; i++ {
			objs, ok := added[att[i].src]
			if !ok {
				objs = addFile(att[i].src, newObj)
				added[att[i].src] = objs
			}
			entries = append(entries, fmt.Sprintf("/%s %d 0 R", att[i].name, objs[att[i].src.Pages[att[i].index].Form].num))
		}
		r := newObj(before+"/XObject <<"+strings.Join(entries, " ")+after, nil)
		po := byNum[pages[page-1]]
		po.dict = strings.Replace(po.dict, resRef, fmt.Sprintf("/Resources %d 0 R", r.num), 1)
	}
}
