package data

import (
	"bytes"
	"errors"
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

// TablesRows gives each table's rows as TableRows does, but in one pass
// over the body when the tables are asked for in order (0, 1, …), as the
// workbook validates and writes them: TableRows reads from the start for
// every table, a pass per table, which for a budget of a thousand small
// tables is a thousand passes that cannot see the deadline. A table asked
// for out of order, or after an error, is read by TableRows.
func TablesRows(body []byte) func(table int) iter.Seq2[*Row, error] {
	r := &tablesReader{body: TrimBOM(body)}
	return r.rows
}

type tablesReader struct {
	body   []byte
	dec    *jsontext.Decoder
	next   int  // the table the decoder reads next
	inRows bool // the previous table's rows array is not read to its end
	broken bool
}

func (r *tablesReader) rows(table int) iter.Seq2[*Row, error] {
	// in order or not is decided when the rows are read, not when they
	// are asked for: the workbook asks for every table's rows before it
	// reads the first
	return func(yield func(*Row, error) bool) {
		if r.broken || table != r.next {
			for row, err := range TableRows(r.body, table) {
				if !yield(row, err) {
					return
				}
			}
			return
		}
		err := r.advance()
		if err == nil {
			r.next++
			r.inRows = true
			for err == nil && r.dec.PeekKind() != ']' {
				var row Row
				if err = json.UnmarshalDecode(r.dec, &row, decodeOptions); err == nil && !yield(&row, nil) {
					return
				}
			}
			if err == nil {
				err = expect(r.dec, ']')
				r.inRows = false
			}
		}
		if err != nil {
			r.broken = true
			yield(nil, fmt.Errorf("tables[%d].rows: %w", table, err))
		}
	}
}

// advance moves the decoder into the next table's rows array: past the
// rest of the table before, or from the start to the first.
func (r *tablesReader) advance() error {
	if r.dec == nil {
		r.dec = jsontext.NewDecoder(bytes.NewReader(r.body))
		if err := seekMember(r.dec, "tables"); err != nil {
			return err
		}
		if err := expect(r.dec, '['); err != nil {
			return err
		}
	} else {
		if r.inRows {
			if err := skipTo(r.dec, ']'); err != nil {
				return err
			}
		}
		// the members after the previous table's rows
		for r.dec.PeekKind() != '}' {
			if _, err := r.dec.ReadToken(); err != nil {
				return err
			}
			if err := r.dec.SkipValue(); err != nil {
				return err
			}
		}
		if err := expect(r.dec, '}'); err != nil {
			return err
		}
	}
	if r.dec.PeekKind() != '{' {
		return fmt.Errorf("no element %d", r.next)
	}
	if err := seekMember(r.dec, "rows"); err != nil {
		return err
	}
	return expect(r.dec, '[')
}

// skipTo skips the values of the array being read and its end.
func skipTo(dec *jsontext.Decoder, end jsontext.Kind) error {
	for dec.PeekKind() != end {
		if err := dec.SkipValue(); err != nil {
			return err
		}
	}
	return expect(dec, end)
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

// skipRows is decodeOptions with every table's rows skipped, not decoded.
var skipRows = json.JoinOptions(
	json.RejectUnknownMembers(true),
	json.WithUnmarshalers(json.JoinUnmarshalers(
		json.UnmarshalFromFunc(unmarshalDecimal),
		json.UnmarshalFromFunc(func(dec *jsontext.Decoder, _ *[]Row) error { return dec.SkipValue() }),
	)),
)

// DecodeBudgetRows decodes and validates a budget as DecodeBudget does,
// without keeping its rows: the tables' rows are read one top-level row
// at a time (TablesRows), each validated and given to visit (with the
// budget, its tables' other fields decoded and validated), then dropped;
// the budget returned has no rows. A budget of 100,000 lines so never
// stands decoded in memory (36 MB of rows for 7 MB of JSON). When
// anything is wrong, the document is decoded whole by DecodeBudget, so
// the problems are reported exactly as it reports them.
func DecodeBudgetRows(body []byte, visit func(b *Budget, table int, r *Row)) (*Budget, error) {
	visited := false
	whole := func() (*Budget, error) {
		b, err := DecodeBudget(body)
		if err == nil && visited {
			// the rows read one by one and read whole disagree: never
			// give a plan of both
			return nil, errors.New("the budget's rows read differently when read again")
		}
		if err == nil {
			// valid after all (nothing here should differ): visit its rows
			for i := range b.Tables {
				for j := range b.Tables[i].Rows {
					visit(b, i, &b.Tables[i].Rows[j])
				}
				b.Tables[i].Rows = nil
			}
		}
		return b, err
	}
	body = TrimBOM(body)
	var b Budget
	if invalidUTF8(body) >= 0 || json.Unmarshal(body, &b, skipRows) != nil {
		return whole()
	}
	var p problems
	cols := b.validateHead(&p)
	if len(p.list) > 0 {
		return whole()
	}
	tables := TablesRows(body)
	for i, byKey := range cols {
		rows := at("tables", i) + ".rows"
		count, n, lines, groups := 0, 0, 0, 0
		for r, err := range tables(i) {
			if err != nil {
				return whole()
			}
			r.validate(&p, at(rows, n), byKey, 1, &count)
			lines += r.lines()
			if r.IsGroup() {
				groups++
			}
			for _, c := range b.Tables[i].Charts {
				if (c.By == ByGroup && groups > MaxChartCategories) || (c.By != ByGroup && lines > MaxChartCategories) {
					return whole() // which names the chart
				}
			}
			if len(p.list) > 0 {
				return whole()
			}
			visit(&b, i, r)
			visited = true
			n++
		}
		if n == 0 || count > maxRows {
			return whole()
		}
	}
	if len(p.list) > 0 || p.more > 0 {
		return whole()
	}
	return &b, nil
}
