package cos

import (
	"bytes"
	"errors"
	"fmt"
	"strconv"
)

// File is a PDF file as objects: Objects[n] is object n (nil where there
// is none), the trailer names the catalog and the Info dictionary.
type File struct {
	Objects []Value
	Trailer *Dict
}

// Add appends an object and returns its reference.
func (f *File) Add(v Value) Ref {
	f.Objects = append(f.Objects, v)
	return Ref(len(f.Objects) - 1)
}

// Reserve returns n new object numbers, their objects to be set later.
func (f *File) Reserve(n int) Ref {
	first := len(f.Objects)
	f.Objects = append(f.Objects, make([]Value, n)...)
	return Ref(first)
}

// Resolve follows a reference (once; the objects read and made here are
// never references themselves); other values are returned as they are.
func (f *File) Resolve(v Value) Value {
	if r, ok := v.(Ref); ok {
		if int(r) > 0 && int(r) < len(f.Objects) {
			return f.Objects[r]
		}
		return nil
	}
	return v
}

// DictOf resolves v to a dictionary (a stream's too), or nil.
func (f *File) DictOf(v Value) *Dict {
	switch d := f.Resolve(v).(type) {
	case *Dict:
		return d
	case *Stream:
		return d.Dict
	}
	return nil
}

// maxDepth bounds the nesting of arrays and dictionaries.
const maxDepth = 64

// Read reads a file written with a classic cross-reference table (as
// fpdf and qpdf's QDF mode write them), following /Prev to earlier
// sections. Every object in the table is read at its offset; a stream's
// /Length may be a reference.
func Read(b []byte) (*File, error) {
	i := bytes.LastIndex(b, []byte("startxref"))
	if i < 0 {
		return nil, errors.New("cos: no startxref")
	}
	lx := &lexer{b: b, i: i + len("startxref")}
	off, ok := lx.int()
	if !ok {
		return nil, errors.New("cos: no offset after startxref")
	}
	r := &reader{b: b, offsets: map[int]int{}}
	f := &File{}
	seen := map[int]bool{}
	for off >= 0 {
		if seen[off] {
			return nil, errors.New("cos: cross-reference sections in a loop")
		}
		seen[off] = true
		tr, err := r.xref(off)
		if err != nil {
			return nil, err
		}
		if f.Trailer == nil {
			f.Trailer = tr
		}
		off = -1
		if p, ok := tr.Get("Prev").(Int); ok {
			off = int(p)
		}
	}
	size := 0
	for n := range r.offsets {
		size = max(size, n+1)
	}
	f.Objects = make([]Value, size)
	for n := range r.offsets {
		v, err := r.object(n, 0)
		if err != nil {
			return nil, err
		}
		f.Objects[n] = v
	}
	return f, nil
}

type reader struct {
	b       []byte
	offsets map[int]int // object number -> offset
}

// xref reads a cross-reference table at off and returns its trailer.
func (r *reader) xref(off int) (*Dict, error) {
	lx := &lexer{b: r.b, i: off}
	if kw := lx.keyword(); kw != "xref" {
		return nil, fmt.Errorf("cos: no cross-reference table at %d (a cross-reference stream?)", off)
	}
	for {
		save := lx.i
		if kw := lx.keyword(); kw == "trailer" {
			break
		}
		lx.i = save
		first, ok1 := lx.int()
		count, ok2 := lx.int()
		if !ok1 || !ok2 || count < 0 || count > len(r.b)/18 {
			return nil, fmt.Errorf("cos: bad cross-reference section at %d", save)
		}
		for k := range count {
			o, ok1 := lx.int()
			_, ok2 := lx.int()
			kind := lx.keyword()
			if !ok1 || !ok2 || (kind != "n" && kind != "f") {
				return nil, fmt.Errorf("cos: bad cross-reference entry at %d", lx.i)
			}
			if _, have := r.offsets[first+k]; kind == "n" && !have && first+k > 0 {
				r.offsets[first+k] = o
			}
		}
	}
	v, err := lx.value(0)
	if err != nil {
		return nil, err
	}
	tr, ok := v.(*Dict)
	if !ok {
		return nil, errors.New("cos: the trailer is not a dictionary")
	}
	return tr, nil
}

// object reads object n at its offset; depth counts indirect lengths.
func (r *reader) object(n, depth int) (Value, error) {
	off, ok := r.offsets[n]
	if !ok || off < 0 || off >= len(r.b) {
		return nil, fmt.Errorf("cos: object %d is not in the file", n)
	}
	lx := &lexer{b: r.b, i: off}
	num, ok1 := lx.int()
	_, ok2 := lx.int()
	if !ok1 || !ok2 || num != n || lx.keyword() != "obj" {
		return nil, fmt.Errorf("cos: object %d is not at offset %d", n, off)
	}
	v, err := lx.value(0)
	if err != nil {
		return nil, fmt.Errorf("cos: object %d: %w", n, err)
	}
	save := lx.i
	if lx.keyword() != "stream" {
		lx.i = save
		return v, nil
	}
	d, ok := v.(*Dict)
	if !ok {
		return nil, fmt.Errorf("cos: object %d: a stream without a dictionary", n)
	}
	// the data starts after the end of line that follows the keyword
	if lx.i < len(r.b) && r.b[lx.i] == '\r' {
		lx.i++
	}
	if lx.i < len(r.b) && r.b[lx.i] == '\n' {
		lx.i++
	}
	length, err := r.length(d.Get("Length"), depth)
	if err != nil {
		return nil, fmt.Errorf("cos: object %d: %w", n, err)
	}
	if length < 0 || lx.i+length > len(r.b) {
		return nil, fmt.Errorf("cos: object %d: the stream is cut", n)
	}
	data := r.b[lx.i : lx.i+length]
	lx.i += length
	if lx.keyword() != "endstream" {
		return nil, fmt.Errorf("cos: object %d: the stream does not end where its length says", n)
	}
	return &Stream{Dict: d, Data: data}, nil
}

// length is a stream's /Length: a number or a reference to one.
func (r *reader) length(v Value, depth int) (int, error) {
	switch l := v.(type) {
	case Int:
		return int(l), nil
	case Ref:
		if depth > 0 {
			return 0, errors.New("a length refers to a stream")
		}
		lv, err := r.object(int(l), depth+1)
		if err != nil {
			return 0, err
		}
		if n, ok := lv.(Int); ok {
			return int(n), nil
		}
	}
	return 0, errors.New("a stream without a length")
}

// lexer reads PDF tokens.
type lexer struct {
	b []byte
	i int
}

// skip passes whitespace and comments.
func (lx *lexer) skip() {
	for lx.i < len(lx.b) {
		c := lx.b[lx.i]
		switch {
		case isSpace(c):
			lx.i++
		case c == '%':
			for lx.i < len(lx.b) && lx.b[lx.i] != '\n' && lx.b[lx.i] != '\r' {
				lx.i++
			}
		default:
			return
		}
	}
}

// regular reads a run of regular characters (a number or a keyword).
func (lx *lexer) regular() []byte {
	lx.skip()
	start := lx.i
	for lx.i < len(lx.b) && !isSpace(lx.b[lx.i]) && !isDelimiter(lx.b[lx.i]) {
		lx.i++
	}
	return lx.b[start:lx.i]
}

func (lx *lexer) keyword() string { return string(lx.regular()) }

func (lx *lexer) int() (int, bool) { return atoi(lx.regular()) }

// atoi reads a decimal integer with an optional sign, without the
// allocations strconv's errors make (the lexer tries a number wherever
// one may be).
func atoi(b []byte) (int, bool) {
	neg := false
	if len(b) > 0 && (b[0] == '-' || b[0] == '+') {
		neg, b = b[0] == '-', b[1:]
	}
	if len(b) == 0 || len(b) > 18 {
		return 0, false
	}
	n := 0
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	if neg {
		n = -n
	}
	return n, true
}

// value reads one object.
func (lx *lexer) value(depth int) (Value, error) {
	if depth > maxDepth {
		return nil, errors.New("nested too deeply")
	}
	lx.skip()
	if lx.i >= len(lx.b) {
		return nil, errors.New("the file ends inside an object")
	}
	switch c := lx.b[lx.i]; {
	case c == '/':
		lx.i++
		return Name(lx.name()), nil
	case c == '(':
		return lx.literal()
	case c == '<' && lx.i+1 < len(lx.b) && lx.b[lx.i+1] == '<':
		lx.i += 2
		return lx.dict(depth)
	case c == '<':
		return lx.hex()
	case c == '[':
		lx.i++
		return lx.array(depth)
	}
	return lx.scalar()
}

// scalar reads a number, a reference, true, false or null.
func (lx *lexer) scalar() (Value, error) {
	at := lx.i
	tok := lx.regular()
	switch string(tok) {
	case "true":
		return Bool(true), nil
	case "false":
		return Bool(false), nil
	case "null":
		return Null{}, nil
	case "":
		return nil, fmt.Errorf("unexpected %q at %d", lx.b[at], at)
	}
	if n, ok := atoi(tok); ok {
		// a reference is "n g R"
		save := lx.i
		if g, ok := lx.int(); ok && g >= 0 && lx.keyword() == "R" {
			return Ref(n), nil
		}
		lx.i = save
		return Int(n), nil
	}
	v, err := strconv.ParseFloat(string(tok), 64)
	if err != nil {
		return nil, fmt.Errorf("unexpected %q at %d", tok, at)
	}
	return Real(v), nil
}

func (lx *lexer) dict(depth int) (Value, error) {
	d := &Dict{}
	for {
		lx.skip()
		if lx.i+1 < len(lx.b) && lx.b[lx.i] == '>' && lx.b[lx.i+1] == '>' {
			lx.i += 2
			return d, nil
		}
		if lx.i >= len(lx.b) || lx.b[lx.i] != '/' {
			return nil, fmt.Errorf("a dictionary key is not a name at %d", lx.i)
		}
		lx.i++
		k := Name(lx.name())
		v, err := lx.value(depth + 1)
		if err != nil {
			return nil, err
		}
		d.Set(k, v)
	}
}

func (lx *lexer) array(depth int) (Value, error) {
	a := Array{}
	for {
		lx.skip()
		if lx.i < len(lx.b) && lx.b[lx.i] == ']' {
			lx.i++
			return a, nil
		}
		v, err := lx.value(depth + 1)
		if err != nil {
			return nil, err
		}
		a = append(a, v)
	}
}

// name reads a name's characters after the slash, #XX escapes decoded.
func (lx *lexer) name() string {
	start := lx.i
	for lx.i < len(lx.b) && !isSpace(lx.b[lx.i]) && !isDelimiter(lx.b[lx.i]) {
		lx.i++
	}
	raw := lx.b[start:lx.i]
	if bytes.IndexByte(raw, '#') < 0 {
		return string(raw)
	}
	var out []byte
	for k := 0; k < len(raw); k++ {
		if raw[k] == '#' && k+2 < len(raw) {
			if v, err := strconv.ParseUint(string(raw[k+1:k+3]), 16, 8); err == nil {
				out = append(out, byte(v))
				k += 2
				continue
			}
		}
		out = append(out, raw[k])
	}
	return string(out)
}

// literal reads a literal string with its escapes.
func (lx *lexer) literal() (Value, error) {
	lx.i++ // (
	var out []byte
	depth := 1
	for lx.i < len(lx.b) {
		c := lx.b[lx.i]
		lx.i++
		switch c {
		case '(':
			depth++
		case ')':
			if depth--; depth == 0 {
				return String(out), nil
			}
		case '\\':
			out = lx.escape(out)
			continue
		}
		out = append(out, c)
	}
	return nil, errors.New("a string does not end")
}

// escape reads the escape after a backslash in a literal string.
func (lx *lexer) escape(out []byte) []byte {
	if lx.i >= len(lx.b) {
		return out
	}
	c := lx.b[lx.i]
	lx.i++
	switch c {
	case 'n':
		return append(out, '\n')
	case 'r':
		return append(out, '\r')
	case 't':
		return append(out, '\t')
	case 'b':
		return append(out, '\b')
	case 'f':
		return append(out, '\f')
	case '\r':
		if lx.i < len(lx.b) && lx.b[lx.i] == '\n' {
			lx.i++
		}
		return out
	case '\n':
		return out
	}
	if c >= '0' && c <= '7' {
		v := int(c - '0')
		for k := 0; k < 2 && lx.i < len(lx.b) && lx.b[lx.i] >= '0' && lx.b[lx.i] <= '7'; k++ {
			v = v*8 + int(lx.b[lx.i]-'0')
			lx.i++
		}
		return append(out, byte(v))
	}
	return append(out, c)
}

// hex reads a hex string.
func (lx *lexer) hex() (Value, error) {
	lx.i++ // <
	var out []byte
	half, odd := byte(0), false
	for lx.i < len(lx.b) {
		c := lx.b[lx.i]
		lx.i++
		var v byte
		switch {
		case c == '>':
			if odd {
				out = append(out, half<<4)
			}
			return String(out), nil
		case c >= '0' && c <= '9':
			v = c - '0'
		case c >= 'a' && c <= 'f':
			v = c - 'a' + 10
		case c >= 'A' && c <= 'F':
			v = c - 'A' + 10
		case isSpace(c):
			continue
		default:
			return nil, fmt.Errorf("%q in a hex string", c)
		}
		if odd {
			out = append(out, half<<4|v)
		} else {
			half = v
		}
		odd = !odd
	}
	return nil, errors.New("a hex string does not end")
}
