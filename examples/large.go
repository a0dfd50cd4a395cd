package examples

import (
	"bytes"
	"fmt"
)

// LargeBudget is a budget of groups × lines rows with three columns, one
// computed, as JSON: the large document the benchmarks and memory tests
// render (2,000 × 50 is 100,000 lines, 6.9 MB).
func LargeBudget(groups, lines int) []byte {
	var b bytes.Buffer
	b.WriteString(`{"title":"Stort budget","municipality":"Aarhus Kommune","tables":[{"title":"Alle konti","unit":"1.000 kr.","decimals":1,` +
		`"columns":[{"key":"budget","label":"Budget"},{"key":"spent","label":"Forbrug"},{"key":"diff","label":"Afvigelse","formula":"budget - spent"}],"rows":[`)
	for g := range groups {
		if g > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"label":"Område %d","rows":[`, g+1)
		for l := range lines {
			if l > 0 {
				b.WriteByte(',')
			}
			fmt.Fprintf(&b, `{"label":"Konto %d.%d","values":{"budget":%d.25,"spent":%d.5}}`, g+1, l+1, 1000+g*7+l, 900+l*3)
		}
		b.WriteString(`]}`)
	}
	b.WriteString(`]}]}`)
	return b.Bytes()
}
