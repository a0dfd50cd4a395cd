package data

import (
	"fmt"
	"slices"
)

// Document is a kind of document Protokol makes. Parse one with
// ParseDocument; the zero value is not a document.
type Document string

// The documents.
const (
	DocAgenda    Document = "agenda"    // dagsorden, from a Meeting
	DocMinutes   Document = "minutes"   // referat, from a Meeting
	DocBudget    Document = "budget"    // budget tables, from a Budget
	DocDecisions Document = "decisions" // beslutningsprotokol, from a Meeting
)

// Documents lists every document, in the order help texts name them.
func Documents() []Document { return []Document{DocAgenda, DocMinutes, DocDecisions, DocBudget} }

// ParseDocument reads a document's name.
func ParseDocument(s string) (Document, error) {
	if d := Document(s); slices.Contains(Documents(), d) {
		return d, nil
	}
	return "", fmt.Errorf("%q is not a document: agenda, minutes, decisions or budget", s)
}

// FromMeeting reports whether the document is made from a Meeting.
func (d Document) FromMeeting() bool { return d == DocAgenda || d == DocMinutes || d == DocDecisions }

// Decided reports whether the document records decisions (minutes and
// the decision record; not the agenda).
func (d Document) Decided() bool { return d == DocMinutes || d == DocDecisions }
