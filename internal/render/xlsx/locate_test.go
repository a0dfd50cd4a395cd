package xlsx

import (
	"bytes"
	"testing"
)

// The marker row and the dimension are found as XML, not as excelize's
// spelling of them: other quotes, spaces, prefixes and attribute order
// find the same places.
func TestLocateReadsTheSheetAsXML(t *testing.T) {
	s := &splicer{tables: map[string]*spliced{marker(1): {}}}
	for _, sheet := range []string{
		`<worksheet><dimension ref="A1"/><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>` + marker(1) + `</t></is></c></row><row r="2"/></sheetData></worksheet>`,
		`<x:worksheet xmlns:x="urn:x"><x:dimension  ref='A1:B2' ></x:dimension><x:sheetData><x:row spans="1:1" r="1" ><x:c t="inlineStr" r="A1"><x:is><x:t>` + marker(1) + `</x:t></x:is></x:c></x:row ></x:sheetData></x:worksheet>`,
	} {
		p, err := s.locate([]byte(sheet))
		if err != nil {
			t.Fatal(err)
		}
		b := []byte(sheet)
		if row := string(b[p.row[0]:p.row[1]]); p.table == nil || !bytes.HasPrefix([]byte(row), []byte("<")) || !bytes.Contains([]byte(row), []byte(marker(1))) || !bytes.HasSuffix([]byte(row), []byte(">")) {
			t.Errorf("marker row %q in %s", row, sheet)
		}
		if dim := string(b[p.dim[0]:p.dim[1]]); !bytes.Contains([]byte(dim), []byte("dimension")) || !bytes.HasSuffix([]byte(dim), []byte(">")) {
			t.Errorf("dimension %q in %s", dim, sheet)
		}
	}
	if p, err := s.locate([]byte(`<worksheet><sheetData><row r="1"/></sheetData></worksheet>`)); err != nil || p.table != nil {
		t.Errorf("a sheet without a marker: %v, %v", p, err)
	}
	if _, err := s.locate([]byte(`<worksheet><t>` + marker(1) + `</t></worksheet>`)); err == nil {
		t.Error("a marker outside a row is not refused")
	}
}
