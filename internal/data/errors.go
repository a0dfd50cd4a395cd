package data

import (
	"fmt"
	"strings"
)

// FieldError is one problem with one field, named by its JSON path
// (for example "items[3].number"; "" is the document itself).
type FieldError struct {
	Field   string `json:"field"`
	Message string `json:"message"`
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
	Errors []FieldError
}

func (e *ValidationError) Error() string {
	msgs := make([]string, len(e.Errors))
	for i, fe := range e.Errors {
		msgs[i] = fe.Error()
	}
	kind := "invalid document"
	if e.Syntax {
		kind = "malformed document"
	}
	return fmt.Sprintf("%s: %s", kind, strings.Join(msgs, "; "))
}

// problems collects FieldErrors while a document is checked.
type problems struct{ list []FieldError }

func (p *problems) add(field, format string, args ...any) {
	p.list = append(p.list, FieldError{Field: field, Message: fmt.Sprintf(format, args...)})
}

func (p *problems) err() error {
	if len(p.list) == 0 {
		return nil
	}
	return &ValidationError{Errors: p.list}
}

// path helpers keep JSON paths uniform: "items[3].number".
func at(base string, i int) string { return fmt.Sprintf("%s[%d]", base, i) }

func dot(base, field string) string {
	if base == "" {
		return field
	}
	return base + "." + field
}
