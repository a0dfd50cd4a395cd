// Package examples holds the example documents that ship with Protokol:
// real Danish committee papers as JSON. The README's first command renders
// one of them, the load generator posts one, and the tests read them
// through FS, so a clone of the repository needs nothing beside it.
package examples

import "embed"

// The example documents.
const (
	Meeting = "aalborg-2014-08-19.meeting.json"           // Aalborg's employment committee, 19 August 2014
	Minutes = "odense-2012-05-22.minutes.json"            // Odense, with chair, vice chair, a closed item and a guest
	Budget  = "aalborg-aktiveringsramme-2016.budget.json" // Aalborg's allocation of the activation budget 2016
	// Attachments is the directory of the PDFs the Meeting's attachments
	// name in their file fields: with them it renders as the agenda packet.
	Attachments = "bilag"
)

// FS holds the example files by name.
//
//go:embed *.json bilag/*.pdf
var FS embed.FS

// Read returns an example file; it panics on a name that is not one, since
// the names are constants of this package.
func Read(name string) []byte {
	b, err := FS.ReadFile(name)
	if err != nil {
		panic("examples: " + err.Error())
	}
	return b
}
