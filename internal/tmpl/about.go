package tmpl

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
)

// About is what a set says of itself for people choosing it, in its
// set.json: {"title": {"da": "Standard", "en": "Standard"},
// "description": {"da": "…", "en": "…"}}. Both are optional; a page shows
// the name when there is no title.
type About struct {
	Title       map[string]string `json:"title,omitempty"`
	Description map[string]string `json:"description,omitempty"`
}

// maxAbout bounds set.json: a title and a description, not a book.
const maxAbout = 16 << 10

// readAbout reads set.json if the set has one: strict (unknown fields
// and trailing data are errors), languages da and en, short texts.
func readAbout(fsys fs.FS) (About, error) {
	var a About
	f, err := fsys.Open("set.json")
	if errors.Is(err, fs.ErrNotExist) {
		return a, nil
	}
	if err != nil {
		return a, err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, maxAbout+1))
	if err != nil {
		return a, err
	}
	if len(b) > maxAbout {
		return a, fmt.Errorf("larger than %d bytes", maxAbout)
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&a); err != nil {
		return a, err
	}
	if dec.More() {
		return a, errors.New("more than one JSON value")
	}
	for what, m := range map[string]map[string]string{"title": a.Title, "description": a.Description} {
		for lang, text := range m {
			if lang != "da" && lang != "en" {
				return a, fmt.Errorf("%s: language %q (da or en)", what, lang)
			}
			if len([]rune(text)) > 500 {
				return a, fmt.Errorf("%s.%s: longer than 500 characters", what, lang)
			}
		}
	}
	return a, nil
}
