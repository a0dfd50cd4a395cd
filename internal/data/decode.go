package data

import (
	"bytes"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
	"github.com/shopspring/decimal"
)

// Every path that reads a document (validation, the fast decode, the row
// stream of a workbook) reads it with github.com/go-json-experiment/json,
// the JSON v2 work that encoding/json/v2 comes from (Go 1.26 still hides
// that behind GOEXPERIMENT=jsonv2, which a user's build does not set). Its
// defaults are what a contract needs and encoding/json lacks: names match
// exactly, never case-insensitively ("Access" is not "access"), and a
// name given twice in one object is an error, not "the last one wins".
// So no two readers of the same bytes can disagree about what was sent.
var decodeOptions = json.JoinOptions(
	json.RejectUnknownMembers(true),
	json.WithUnmarshalers(json.UnmarshalFromFunc(unmarshalDecimal)),
)

// DecodeMeeting decodes and validates a Meeting. Malformed JSON is a
// *ValidationError with Syntax set; unknown fields, wrong types and broken
// rules are reported together in one *ValidationError.
func DecodeMeeting(body []byte) (*Meeting, error) {
	var m Meeting
	return &m, decodeAndValidate(body, &m, m.Validate)
}

// DecodeBudget decodes and validates a Budget, as DecodeMeeting does.
func DecodeBudget(body []byte) (*Budget, error) {
	var b Budget
	return &b, decodeAndValidate(body, &b, b.Validate)
}

// utf8BOM is what Windows editors put before UTF-8 text.
var utf8BOM = []byte("\xEF\xBB\xBF")

// TrimBOM drops a UTF-8 byte-order mark from the start of a document.
func TrimBOM(body []byte) []byte { return bytes.TrimPrefix(body, utf8BOM) }

func decodeAndValidate(body []byte, v any, validate func() error) error {
	body = TrimBOM(body)
	if off := invalidUTF8(body); off >= 0 {
		return &ValidationError{Syntax: true, Errors: []FieldError{{Message: fmt.Sprintf(
			"the document is not UTF-8 (is it saved as Latin-1?): the first byte that is not is at offset %d", off)}}}
	}
	// Fast path: a valid document decodes in one pass. Only when that
	// fails is the document read again, generically, to name every
	// problem by path.
	if err := json.Unmarshal(body, v, decodeOptions); err == nil {
		return validate()
	}
	raw, err := readTree(body)
	if err != nil {
		return err
	}
	if _, ok := raw.(map[string]any); !ok {
		return &ValidationError{Syntax: true, Errors: []FieldError{{Message: "the document must be a JSON object, not " + jsonKind(raw)}}}
	}
	// The walk names every unknown field and every value of the wrong
	// type, and keeps what is right. Decoding what it kept lets Validate
	// see the rest of the document, so one bad value hides no other
	// problem.
	var p problems
	kept := checkValue(raw, reflect.TypeOf(v).Elem(), "", &p)
	clean, err := json.Marshal(kept, json.Deterministic(true))
	if err == nil {
		reset(v)
		err = json.Unmarshal(clean, v, decodeOptions)
	}
	if err != nil {
		// something the walk does not model: say what the decoder says
		p.add("", "%s", strings.TrimPrefix(err.Error(), "json: "))
		return p.err()
	}
	shape := slices.Clone(p.list)
	var ve *ValidationError
	if errors.As(validate(), &ve) {
		for _, fe := range ve.Errors {
			// a field of the wrong type also looks empty to validation:
			// say it once
			if !slices.ContainsFunc(shape, func(s FieldError) bool { return within(fe.Field, s.Field) }) {
				p.add(fe.Field, fe.format, fe.args...)
			}
		}
		p.more += ve.More
	}
	return p.err()
}

// reset sets *v to its zero value before a second decode.
func reset(v any) {
	rv := reflect.ValueOf(v).Elem()
	rv.Set(reflect.Zero(rv.Type()))
}

// within reports whether path is field or lies inside it.
func within(path, field string) bool {
	if field == "" || !strings.HasPrefix(path, field) {
		return path == field
	}
	rest := path[len(field):]
	return rest == "" || rest[0] == '.' || rest[0] == '['
}

// invalidUTF8 is the offset of the first byte that is not UTF-8, or -1.
func invalidUTF8(b []byte) int {
	if utf8.Valid(b) {
		return -1
	}
	off := 0
	for off < len(b) {
		r, n := utf8.DecodeRune(b[off:])
		if r == utf8.RuneError && n <= 1 {
			return off
		}
		off += n
	}
	return off
}

// readTree reads a JSON document into generic values: objects as
// map[string]any, arrays as []any, numbers as jsontext.Value (their text,
// exactly as sent), strings, booleans and nil. A name given twice is a
// problem of that field; other errors are malformed JSON, with line and
// column.
func readTree(body []byte) (any, error) {
	dec := jsontext.NewDecoder(bytes.NewReader(body))
	v, err := readValue(dec)
	if err == nil {
		if _, err2 := dec.ReadToken(); err2 == nil {
			return nil, &ValidationError{Syntax: true, Errors: []FieldError{{Message: "unexpected data after the JSON document"}}}
		}
		return v, nil
	}
	var se *jsontext.SyntacticError
	if errors.As(err, &se) && errors.Is(se.Err, jsontext.ErrDuplicateName) {
		return nil, &ValidationError{Errors: []FieldError{{Field: pointerPath(se.JSONPointer),
			Message: "is given twice; each name may appear once in an object, and names are case-sensitive"}}}
	}
	msg := "malformed JSON: the document is empty or ends too early"
	if errors.As(err, &se) {
		line, col := lineCol(body, int(se.ByteOffset))
		msg = fmt.Sprintf("malformed JSON at line %d, column %d: %s", line, col, strings.TrimPrefix(se.Err.Error(), "jsontext: "))
	}
	return nil, &ValidationError{Syntax: true, Errors: []FieldError{{Message: msg}}}
}

func readValue(dec *jsontext.Decoder) (any, error) {
	switch dec.PeekKind() {
	case '{':
		if _, err := dec.ReadToken(); err != nil {
			return nil, err
		}
		obj := map[string]any{}
		for dec.PeekKind() != '}' {
			tok, err := dec.ReadToken()
			if err != nil {
				return nil, err
			}
			name := tok.String() // before the next read voids tok
			v, err := readValue(dec)
			if err != nil {
				return nil, err
			}
			obj[name] = v
		}
		_, err := dec.ReadToken()
		return obj, err
	case '[':
		if _, err := dec.ReadToken(); err != nil {
			return nil, err
		}
		arr := []any{}
		for dec.PeekKind() != ']' {
			v, err := readValue(dec)
			if err != nil {
				return nil, err
			}
			arr = append(arr, v)
		}
		_, err := dec.ReadToken()
		return arr, err
	case '0':
		v, err := dec.ReadValue()
		return slices.Clone(v), err
	}
	tok, err := dec.ReadToken()
	if err != nil {
		return nil, err
	}
	switch tok.Kind() {
	case '"':
		return tok.String(), nil
	case 't', 'f':
		return tok.Bool(), nil
	}
	return nil, nil
}

// pointerPath turns a JSON Pointer ("/items/3/number") into the paths
// errors use ("items[3].number").
func pointerPath(p jsontext.Pointer) string {
	path := ""
	for tok := range p.Tokens() {
		if _, err := strconv.Atoi(tok); err == nil && path != "" {
			path += "[" + tok + "]"
		} else {
			path = dot(path, tok)
		}
	}
	return path
}

func lineCol(body []byte, off int) (int, int) {
	off = min(max(off, 0), len(body))
	line := 1 + bytes.Count(body[:off], []byte("\n"))
	col := off - bytes.LastIndexByte(body[:off], '\n')
	return line, col
}

func jsonKind(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case string:
		return "a string"
	case jsontext.Value:
		return "a number"
	case bool:
		return "a boolean"
	case []any:
		return "an array"
	case map[string]any:
		return "an object"
	}
	return fmt.Sprintf("%T", v)
}

var (
	decimalType   = reflect.TypeFor[decimal.Decimal]()
	amountsType   = reflect.TypeFor[Amounts]()
	timestampType = reflect.TypeFor[Timestamp]()
)

// checkValue checks v against the Go type t, adds a problem for every
// unknown field and every value of the wrong JSON type, and returns what
// of v is right (nil where nothing is).
func checkValue(v any, t reflect.Type, path string, p *problems) any {
	if v == nil {
		return nil // null is the same as absent
	}
	if kept, ok := checkSpecial(v, t, path, p); ok {
		return kept
	}
	switch t.Kind() {
	case reflect.Pointer:
		return checkValue(v, t.Elem(), path, p)
	case reflect.String:
		if _, ok := v.(string); !ok {
			p.add(path, "must be a string, not %s", jsonKind(v))
			return nil
		}
	case reflect.Bool:
		if _, ok := v.(bool); !ok {
			p.add(path, "must be true or false, not %s", jsonKind(v))
			return nil
		}
	case reflect.Int, reflect.Int64, reflect.Int32:
		n, ok := v.(jsontext.Value)
		if !ok {
			p.add(path, "must be a whole number, not %s", jsonKind(v))
			return nil
		}
		if _, err := strconv.ParseInt(string(n), 10, 32); err != nil {
			p.add(path, "must be a whole number of reasonable size, not %s", truncate(string(n)))
			return nil
		}
	case reflect.Slice:
		arr, ok := v.([]any)
		if !ok {
			p.add(path, "must be an array, not %s", jsonKind(v))
			return nil
		}
		out := make([]any, len(arr))
		for i, e := range arr {
			out[i] = checkValue(e, t.Elem(), at(path, i), p)
		}
		return out
	case reflect.Struct:
		obj, ok := v.(map[string]any)
		if !ok {
			p.add(path, "must be an object, not %s", jsonKind(v))
			return nil
		}
		fields := jsonFields(t)
		return checkObject(obj, path, p, func(k string) (reflect.Type, bool) {
			f, ok := fields[k]
			if !ok {
				msg := msgf("unknown field")
				// past the listed problems one is only counted: spare the suggestion
				if !p.full() {
					if hint, ok := fieldHints[t.Name()+"."+k]; ok {
						msg = msgf("unknown field (%s)", hint)
					} else if near := nearest(k, fields); near != "" {
						msg = msgf("unknown field (did you mean %q?)", near)
					}
				}
				p.add(dot(path, k), "%s", msg)
			}
			return f.Type, ok
		})
	}
	return v
}

// checkSpecial checks the types that read themselves from JSON: amounts
// and times. ok is false for every other type.
func checkSpecial(v any, t reflect.Type, path string, p *problems) (kept any, ok bool) {
	switch t {
	case decimalType:
		// a number, or a string holding one (for senders that keep
		// amounts as decimal strings)
		var s string
		switch n := v.(type) {
		case jsontext.Value:
			s = string(n)
		case string:
			s = n
		default:
			p.add(path, "must be a number, not %s", jsonKind(v))
			return nil, true
		}
		if _, err := parseDecimal(s); err != nil {
			p.add(path, "%s", err)
			return nil, true
		}
		return v, true
	case amountsType:
		obj, isObj := v.(map[string]any)
		if !isObj {
			p.add(path, "must be an object of amounts by column key, not %s", jsonKind(v))
			return nil, true
		}
		return checkObject(obj, path, p, func(string) (reflect.Type, bool) { return decimalType, true }), true
	case timestampType:
		if _, isString := v.(string); !isString {
			p.add(path, "must be an RFC 3339 time as a string, not %s", jsonKind(v))
			return nil, true
		}
		return v, true
	}
	return nil, false
}

// checkObject checks each member of obj, in name order, against the type
// field gives for its name, and keeps those that are right.
func checkObject(obj map[string]any, path string, p *problems, field func(string) (reflect.Type, bool)) map[string]any {
	out := make(map[string]any, len(obj))
	keys := make([]string, 0, len(obj))
	for k := range obj {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		t, ok := field(k)
		if !ok {
			continue
		}
		if kept := checkValue(obj[k], t, dot(path, k), p); kept != nil {
			out[k] = kept
		}
	}
	return out
}

// jsonFields maps the JSON names of t's exported fields to the fields.
func jsonFields(t reflect.Type) map[string]reflect.StructField {
	out := make(map[string]reflect.StructField, t.NumField())
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "-" || !f.IsExported() {
			continue
		}
		if name == "" {
			name = f.Name
		}
		out[name] = f
	}
	return out
}

// nearest suggests the known field closest to a misspelt one.
// fieldHints answer the fields senders write by mistake, by type and
// name, better than the nearest name could.
var fieldHints = map[string]string{
	"Item.closed":        `use "access": "closed"`,
	"Item.open":          `use "access": "open"`,
	"Item.public":        `use "access": "open" or "closed"`,
	"Item.lukket":        `use "access": "closed"`,
	"Attachment.closed":  `use "access": "closed"`,
	"Attachment.public":  `use "access": "open" or "closed"`,
	"Participant.absent": `use "attendance": "absent"`,
	"Meeting.date":       `use "start", an RFC 3339 time with its offset`,
}

func nearest(k string, fields map[string]reflect.StructField) string {
	if len(k) > 64 {
		return "" // no field name is that long; spare the distance
	}
	best, bestD := "", 3
	for name := range fields {
		if d := editDistance(strings.ToLower(k), name); d < bestD || (d == bestD && name < best) {
			best, bestD = name, d
		}
	}
	return best
}

func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}

// truncate shortens a value quoted in a message.
func truncate(s string) string {
	if len(s) <= 40 {
		return s
	}
	return s[:37] + "…"
}
