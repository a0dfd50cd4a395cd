package pdf

import (
	"protokol/internal/attach"
	"protokol/internal/render/cos"
	"protokol/internal/render/layout"
)

// An attachment page enters the packet as the form XObject package attach
// built of it: the page's content with the objects its resources reach,
// copied from an allowlist and numbered here. Each file's objects are
// added once, when its first page is drawn, numbered in their order.

// imported is one of an attachment's objects, as package attach wrote
// it, with its references numbered in our file.
type imported struct {
	o     *attach.Object
	first int // our number of the file's object 0
}

// AppendPDF implements cos.Value.
func (im imported) AppendPDF(b []byte) []byte {
	return im.o.Append(b, func(j int) int { return im.first + j })
}

// importedStream is an imported stream: its dictionary has its /Length.
type importedStream struct{ imported }

// StreamData implements cos.Streamer.
func (im *importedStream) StreamData() []byte { return im.o.Stream }

// addFile adds a file's objects and returns the number of its first.
func addFile(f *cos.File, src *attach.File) int {
	first := int(f.Reserve(len(src.Objects)))
	for i := range src.Objects {
		o := &src.Objects[i]
		var v cos.Value = imported{o, first}
		if o.Stream != nil {
			v = &importedStream{imported{o, first}}
		}
		f.Objects[first+i] = v
	}
	return first
}

// importPages writes the attachment pages' objects and gives each page
// that draws one its own resources: a copy of its shared ones with its
// forms among the XObjects.
func (f *file) importPages(att []layout.Placed) {
	added := map[*attach.File]int{}
	for i := 0; i < len(att); {
		page := att[i].Page
		forms := &cos.Dict{}
		for ; i < len(att) && att[i].Page == page; i++ {
			first, ok := added[att[i].Src]
			if !ok {
				first = addFile(f.File, att[i].Src)
				added[att[i].Src] = first
			}
			forms.Set(cos.Name(att[i].Name), cos.Ref(first+att[i].Src.Pages[att[i].Index].Form))
		}
		p := f.pages[page-1]
		res := f.DictOf(p.Get("Resources")).Clone()
		if own := f.DictOf(res.Get("XObject")); own != nil {
			for k, v := range own.All() {
				if forms.Get(k) == nil {
					forms.Set(k, v)
				}
			}
		}
		res.Set("XObject", forms)
		p.Set("Resources", f.Add(res))
	}
}
