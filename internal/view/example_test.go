package view_test

import (
	"fmt"

	"protokol/internal/view"
)

// A title goes into Markdown escaped, so it prints as written.
func ExampleEscape() {
	fmt.Println(view.Escape("Budget 2016 *foreløbigt* | [udkast]"))
	// Output: Budget 2016 \*foreløbigt\* \| \[udkast\]
}

// User Markdown nests below the template's own headings.
func ExampleDemote() {
	fmt.Println(view.Demote("# Baggrund\n\nTekst.\n\n## Økonomi", 4))
	// Output:
	// #### Baggrund
	//
	// Tekst.
	//
	// ##### Økonomi
}
