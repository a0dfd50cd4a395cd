package data

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
)

// FieldError is one problem with one field, named by its JSON path
// (for example "items[3].number"; "" is the document itself).
type FieldError struct {
	Field   string `json:"field,omitempty"` // none for the document as a whole (malformed JSON)
	Message string `json:"message"`
	// Location is Field in words, once the problem is in a language
	// (In): "Punkt 2 › Varighed".
	Location string `json:"location,omitempty"`

	format string // the message's format and arguments, for In
	args   []any
}

func (e FieldError) Error() string {
	if e.Field == "" {
		return e.Message
	}
	return e.Field + ": " + e.Message
}

// ValidationError lists every problem found in a document. Malformed JSON
// (or invalid UTF-8) has Syntax set: the HTTP layer answers 400 for that,
// and 422 for well-formed JSON with unknown fields, wrong types or broken
// rules, all listed at once.
type ValidationError struct {
	Syntax bool
	Errors []FieldError // at most MaxProblems
	More   int          // problems found beyond those listed
	lang   string       // the language of its messages, once In made them ("" is English)
}

// MaxProblems is how many problems a ValidationError lists: a document
// with 200,000 bad items gets the first hundred and a count, not a
// response as large as the document.
const MaxProblems = 100

func (e *ValidationError) Error() string {
	msgs := make([]string, len(e.Errors), len(e.Errors)+1)
	for i, fe := range e.Errors {
		msgs[i] = fe.Error()
	}
	if e.More > 0 {
		msgs = append(msgs, e.MoreText())
	}
	kind := "invalid document"
	if e.Syntax {
		kind = "malformed document"
	}
	return fmt.Sprintf("%s: %s", kind, strings.Join(msgs, "; "))
}

// MoreText says how many problems were not listed: "and 12 more problems".
func (e *ValidationError) MoreText() string {
	switch {
	case e.lang == "da" && e.More == 1:
		return "og 1 problem mere"
	case e.lang == "da":
		return fmt.Sprintf("og %d problemer mere", e.More)
	case e.More == 1:
		return "and 1 more problem"
	}
	return fmt.Sprintf("and %d more problems", e.More)
}

// problems collects FieldErrors while a document is checked, the first
// MaxProblems of them; the rest are only counted, without formatting.
type problems struct {
	list []FieldError
	more int
}

func (p *problems) add(field, format string, args ...any) {
	if len(p.list) >= MaxProblems {
		p.more++
		return
	}
	p.list = append(p.list, FieldError{Field: field, Message: fmt.Sprintf(format, args...), format: format, args: args})
}

// Problems is the same collector for the service's and the renderer's
// own lists (a query's parameters, an upload's parts, a packet's files):
// the cap applies as problems are added, never after all are formatted.
type Problems = problems

// Add adds a problem, formatted only while it will be listed.
func (p *problems) Add(field, format string, args ...any) { p.add(field, format, args...) }

// Err is the problems as a *ValidationError in the document's order, or
// nil when there are none.
func (p *problems) Err() error { return p.err() }

// full reports whether further problems are only counted.
func (p *problems) full() bool { return len(p.list) >= MaxProblems }

func (p *problems) err() error {
	if len(p.list) == 0 {
		return nil
	}
	// in the document's order, not the order of the checks
	slices.SortStableFunc(p.list, func(a, b FieldError) int { return comparePaths(a.Field, b.Field) })
	return &ValidationError{Errors: p.list, More: p.more}
}

// comparePaths orders JSON paths as the document has them: field by
// field, indexes as numbers (items[2] before items[10]).
func comparePaths(a, b string) int {
	for a != "" && b != "" {
		if a[0] >= '0' && a[0] <= '9' && b[0] >= '0' && b[0] <= '9' {
			i, j := digits(a), digits(b)
			if c := cmp.Compare(len(strings.TrimLeft(a[:i], "0")), len(strings.TrimLeft(b[:j], "0"))); c != 0 {
				return c
			}
			if c := strings.Compare(strings.TrimLeft(a[:i], "0"), strings.TrimLeft(b[:j], "0")); c != 0 {
				return c
			}
			a, b = a[i:], b[j:]
			continue
		}
		if a[0] != b[0] {
			return cmp.Compare(a[0], b[0])
		}
		a, b = a[1:], b[1:]
	}
	return cmp.Compare(len(a), len(b))
}

func digits(s string) int {
	i := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	return i
}

// path helpers keep JSON paths uniform: "items[3].number".
func at(base string, i int) string { return fmt.Sprintf("%s[%d]", base, i) }

func dot(base, field string) string {
	if base == "" {
		return field
	}
	return base + "." + field
}
