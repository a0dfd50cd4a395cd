package font

import (
	"encoding/binary"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"
)

// Describe lists the faces (tmpl.Assets).
func (f *House) Describe() []string { return f.Faces }

// House is a template set's own typeface (its house font): up to four
// faces from the set's fonts/ directory, parsed once when the set loads.
type House struct {
	Set   *Set
	Faces []string // what each style is set in, for listings: "Regular: DejaVuSerif.ttf", …
}

// Load reads the TrueType files (.ttf, or .otf with TrueType
// outlines) in the fonts/ directory of a template set and sorts them into
// regular, bold, italic and bold italic by what the fonts say of
// themselves (OS/2 fsSelection, else head macStyle). It returns nil when
// the set has no fonts/. A file that is not such a font, two files for one
// style, or no regular face is an error naming the file.
func Load(set fs.FS) (*House, error) {
	entries, err := fs.ReadDir(set, "fonts")
	if err != nil {
		return nil, nil // no fonts of its own
	}
	var faces [4]*Face
	var files [4]string
	for _, e := range entries {
		ext := strings.ToLower(path.Ext(e.Name()))
		if e.IsDir() || ext != ".ttf" && ext != ".otf" {
			continue
		}
		file := path.Join("fonts", e.Name())
		b, err := fs.ReadFile(set, file)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", file, err)
		}
		f, err := parseTTF(b)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", file, err)
		}
		st := f.style()
		if faces[st] != nil {
			return nil, fmt.Errorf("%s: both it and %s are the %s face", file, files[st], styleLabels[st])
		}
		faces[st], files[st] = f, file
	}
	if faces == [4]*Face{} {
		return nil, nil
	}
	if faces[Regular] == nil {
		var given []string
		for st, f := range files {
			if f != "" {
				given = append(given, f+" ("+styleLabels[st]+")")
			}
		}
		return nil, fmt.Errorf("fonts/ has no regular face, only %s", strings.Join(given, ", "))
	}
	out := &House{Set: newSet(faces)}
	for st := range 4 {
		var src string
		switch {
		case files[st] != "":
			src = path.Base(files[st])
		case out.Set.Faces[st] == faces[Regular]:
			src = path.Base(files[Regular]) + " (no " + styleLabels[st] + " face)"
		default:
			i := slices.Index(faces[:], out.Set.Faces[st])
			src = path.Base(files[i]) + " (no " + styleLabels[st] + " face)"
		}
		out.Faces = append(out.Faces, styleLabels[st]+": "+src)
	}
	return out, nil
}

var styleLabels = [4]string{"regular", "bold", "italic", "bold italic"}

// style is the face's style by its own account.
func (f *Face) style() Style {
	var b, i bool
	if os2 := f.tables["OS/2"]; len(os2) >= 64 {
		sel := binary.BigEndian.Uint16(os2[62:])
		b, i = sel&0x20 != 0, sel&0x01 != 0
	} else if head := f.tables["head"]; len(head) >= 46 {
		mac := binary.BigEndian.Uint16(head[44:])
		b, i = mac&1 != 0, mac&2 != 0
	}
	return StyleOf(b, i)
}
