package data

import (
	"bytes"
	"fmt"
	"iter"

	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
)

// TableRows reads the top-level rows of tables[table] from a budget's JSON
// one at a time, so a table of 100,000 lines need not be kept decoded while
// it is written out. It reads with the same decoder and options as
// DecodeBudget (exact names, no name twice), so on a body DecodeBudget has
// accepted it yields exactly the rows that were validated. An error ends
// the sequence.
func TableRows(body []byte, table int) iter.Seq2[*Row, error] {
	return func(yield func(*Row, error) bool) {
		dec := jsontext.NewDecoder(bytes.NewReader(TrimBOM(body)))
		err := seekMember(dec, "tables")
		if err == nil {
			err = seekElement(dec, table)
		}
		if err == nil {
			err = seekMember(dec, "rows")
		}
		if err == nil {
			err = expect(dec, '[')
		}
		for err == nil && dec.PeekKind() != ']' {
			var r Row
			if err = json.UnmarshalDecode(dec, &r, decodeOptions); err == nil && !yield(&r, nil) {
				return
			}
		}
		if err != nil {
			yield(nil, fmt.Errorf("tables[%d].rows: %w", table, err))
		}
	}
}

func expect(dec *jsontext.Decoder, kind jsontext.Kind) error {
	tok, err := dec.ReadToken()
	if err == nil && tok.Kind() != kind {
		err = fmt.Errorf("expected %v, found %v", kind, tok.Kind())
	}
	return err
}

// seekMember reads into the object that comes next up to the value of the
// member named name.
func seekMember(dec *jsontext.Decoder, name string) error {
	if err := expect(dec, '{'); err != nil {
		return err
	}
	for dec.PeekKind() != '}' {
		tok, err := dec.ReadToken()
		if err != nil {
			return err
		}
		if tok.String() == name {
			return nil
		}
		if err := dec.SkipValue(); err != nil {
			return err
		}
	}
	return fmt.Errorf("no member %q", name)
}

// seekElement reads into the array that comes next up to its n-th element.
func seekElement(dec *jsontext.Decoder, n int) error {
	if err := expect(dec, '['); err != nil {
		return err
	}
	for i := 0; dec.PeekKind() != ']'; i++ {
		if i == n {
			return nil
		}
		if err := dec.SkipValue(); err != nil {
			return err
		}
	}
	return fmt.Errorf("no element %d", n)
}
