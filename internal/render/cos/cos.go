// Package cos is the PDF object model of the file writer: typed values
// (names, numbers, strings, references, arrays, dictionaries, streams),
// a reader of the classic files fpdf writes (by their cross-reference
// table, so any whitespace and object order reads the same) and a writer
// that packs the objects into object streams behind a cross-reference
// stream.
//
// Everything the renderer adds to fpdf's output (fonts, the structure
// tree, annotations, XMP, the output intent, imported attachment pages)
// is built from these values or appended by its helpers, never spliced in
// as text; nothing here looks for a string in a file.
//
// The name is PDFBox's and the specification's ("Carousel Object
// System"). Types that write many small objects (the structure tree's
// elements) implement Value themselves with the Append helpers, so a
// large document does not box every number.
package cos

import (
	"iter"
	"strconv"
	"unicode/utf16"
)

// Value is a PDF object: AppendPDF writes it in PDF syntax.
type Value interface {
	AppendPDF(b []byte) []byte
}

type (
	// Null is the null object.
	Null struct{}
	// Bool is true or false.
	Bool bool
	// Int is an integer.
	Int int
	// Real is a number with a fraction, written without an exponent.
	Real float64
	// Name is a name, written with a slash and # escapes.
	Name string
	// String is a byte string, written literally with escapes.
	String []byte
	// Text is a text string: written as UTF-16BE with a byte-order mark,
	// in hex, so any character survives.
	Text string
	// Ref is a reference to an indirect object (generation 0).
	Ref int
	// Array is an array.
	Array []Value
)

// AppendPDF implements Value.
func (Null) AppendPDF(b []byte) []byte { return append(b, "null"...) }

// AppendPDF implements Value.
func (v Bool) AppendPDF(b []byte) []byte { return strconv.AppendBool(b, bool(v)) }

// AppendPDF implements Value.
func (v Int) AppendPDF(b []byte) []byte { return strconv.AppendInt(b, int64(v), 10) }

// AppendPDF implements Value.
func (v Real) AppendPDF(b []byte) []byte { return AppendReal(b, float64(v)) }

// AppendPDF implements Value.
func (v Name) AppendPDF(b []byte) []byte { return AppendName(b, string(v)) }

// AppendPDF implements Value.
func (v String) AppendPDF(b []byte) []byte { return AppendString(b, v) }

// AppendPDF implements Value.
func (v Text) AppendPDF(b []byte) []byte { return AppendText(b, string(v)) }

// AppendPDF implements Value.
func (v Ref) AppendPDF(b []byte) []byte { return AppendRef(b, int(v)) }

// AppendPDF implements Value.
func (v Array) AppendPDF(b []byte) []byte {
	b = append(b, '[')
	for i, x := range v {
		if i > 0 {
			b = append(b, ' ')
		}
		b = x.AppendPDF(b)
	}
	return append(b, ']')
}

// Dict is a dictionary whose keys keep the order they were set in, so a
// file is written the same every time.
type Dict struct {
	keys []Name
	vals []Value
}

// NewDict makes a dictionary of key, value pairs.
func NewDict(kv ...any) *Dict {
	d := &Dict{keys: make([]Name, 0, len(kv)/2), vals: make([]Value, 0, len(kv)/2)}
	for i := 0; i+1 < len(kv); i += 2 {
		d.Set(Name(kv[i].(string)), kv[i+1].(Value))
	}
	return d
}

// Get returns the value of a key, or nil.
func (d *Dict) Get(k Name) Value {
	if d == nil {
		return nil
	}
	for i, key := range d.keys {
		if key == k {
			return d.vals[i]
		}
	}
	return nil
}

// Set sets a key's value, in place if the key is there, else at the end.
func (d *Dict) Set(k Name, v Value) {
	for i, key := range d.keys {
		if key == k {
			d.vals[i] = v
			return
		}
	}
	d.keys = append(d.keys, k)
	d.vals = append(d.vals, v)
}

// Delete removes a key.
func (d *Dict) Delete(k Name) {
	for i, key := range d.keys {
		if key == k {
			d.keys = append(d.keys[:i], d.keys[i+1:]...)
			d.vals = append(d.vals[:i], d.vals[i+1:]...)
			return
		}
	}
}

// All is the entries in order.
func (d *Dict) All() iter.Seq2[Name, Value] {
	return func(yield func(Name, Value) bool) {
		for i, k := range d.keys {
			if !yield(k, d.vals[i]) {
				return
			}
		}
	}
}

// Len is the number of entries.
func (d *Dict) Len() int { return len(d.keys) }

// Clone is a shallow copy: its own entries, the same values.
func (d *Dict) Clone() *Dict {
	return &Dict{keys: append([]Name(nil), d.keys...), vals: append([]Value(nil), d.vals...)}
}

// AppendPDF implements Value.
func (d *Dict) AppendPDF(b []byte) []byte {
	b, _ = d.appendExcept(b, "")
	return append(b, ">>"...)
}

// appendExcept writes the dictionary without one key (a stream's
// /Length, which the writer sets).
func (d *Dict) appendExcept(b []byte, skip Name) ([]byte, bool) {
	b = append(b, "<<"...)
	first := true
	for i, k := range d.keys {
		if k == skip {
			continue
		}
		if !first {
			b = append(b, ' ')
		}
		first = false
		b = AppendName(b, string(k))
		b = append(b, ' ')
		b = d.vals[i].AppendPDF(b)
	}
	return b, !first
}

// Stream is a stream: its dictionary and its data as stored (encoded by
// the dictionary's /Filter). The writer sets /Length.
type Stream struct {
	Dict *Dict
	Data []byte
}

// Streamer is a stream value: AppendPDF writes its dictionary, with the
// /Length of StreamData, which the writer puts after it.
type Streamer interface {
	Value
	StreamData() []byte
}

// StreamData implements Streamer.
func (s *Stream) StreamData() []byte { return s.Data }

// AppendPDF writes the stream's dictionary with its /Length; the data
// follows it in the file (see Writer).
func (s *Stream) AppendPDF(b []byte) []byte {
	b, some := s.Dict.appendExcept(b, "Length")
	if some {
		b = append(b, ' ')
	}
	b = append(b, "/Length "...)
	return append(strconv.AppendInt(b, int64(len(s.Data)), 10), ">>"...)
}

// AppendReal writes a number with up to four decimals, no exponent and
// no trailing zeros.
func AppendReal(b []byte, v float64) []byte {
	n := len(b)
	b = strconv.AppendFloat(b, v, 'f', 4, 64)
	for b[len(b)-1] == '0' {
		b = b[:len(b)-1]
	}
	if b[len(b)-1] == '.' {
		b = b[:len(b)-1]
	}
	if string(b[n:]) == "-0" {
		b = append(b[:n], '0')
	}
	return b
}

// AppendRef writes a reference to object n.
func AppendRef(b []byte, n int) []byte {
	return append(strconv.AppendInt(b, int64(n), 10), " 0 R"...)
}

// AppendName writes a name: characters outside the printable ASCII
// range, delimiters and # as #XX escapes.
func AppendName(b []byte, s string) []byte {
	b = append(b, '/')
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '!' || c > '~' || c == '#' || isDelimiter(c) {
			b = append(b, '#', hexDigits[c>>4], hexDigits[c&15])
			continue
		}
		b = append(b, c)
	}
	return b
}

// AppendString writes a literal string: the delimiters and the backslash
// escaped, line ends as escapes (readers would normalise them).
func AppendString(b []byte, s []byte) []byte {
	b = append(b, '(')
	for _, c := range s {
		b = AppendStringByte(b, c)
	}
	return append(b, ')')
}

// AppendStringByte writes one byte of a literal string.
func AppendStringByte(b []byte, c byte) []byte {
	switch c {
	case '(', ')', '\\':
		return append(b, '\\', c)
	case '\r':
		return append(b, '\\', 'r')
	case '\n':
		return append(b, '\\', 'n')
	}
	return append(b, c)
}

// AppendText writes a text string: UTF-16BE with a byte-order mark, in
// hex.
func AppendText(b []byte, s string) []byte {
	b = append(b, "<FEFF"...)
	for _, r := range s {
		var u [2]uint16
		n := 1
		if r1, r2 := utf16.EncodeRune(r); r1 != '\uFFFD' {
			u[0], u[1], n = uint16(r1), uint16(r2), 2
		} else {
			u[0] = uint16(r)
			if r > 0xFFFF || (r >= 0xD800 && r < 0xE000) {
				u[0] = 0xFFFD
			}
		}
		for _, x := range u[:n] {
			b = append(b, hexDigits[x>>12], hexDigits[x>>8&15], hexDigits[x>>4&15], hexDigits[x&15])
		}
	}
	return append(b, '>')
}

const hexDigits = "0123456789ABCDEF"

func isDelimiter(c byte) bool {
	switch c {
	case '(', ')', '<', '>', '[', ']', '{', '}', '/', '%':
		return true
	}
	return false
}

func isSpace(c byte) bool {
	switch c {
	case 0, '\t', '\n', '\f', '\r', ' ':
		return true
	}
	return false
}
