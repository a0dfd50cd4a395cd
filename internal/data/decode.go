package data

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/shopspring/decimal"
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

func decodeAndValidate(body []byte, v any, validate func() error) error {
	// Fast path: a well-formed document decodes in one pass. Only when that
	// fails is the document walked again to name every problem by path.
	if utf8.Valid(body) {
		dec := json.NewDecoder(bytes.NewReader(body))
		dec.DisallowUnknownFields()
		if err := dec.Decode(v); err == nil {
			if _, err := dec.Token(); err == io.EOF {
				return validate()
			}
		}
	}
	shape, err := decodeStrict(body, v)
	if err == errPartial {
		return &ValidationError{Errors: shape}
	}
	if err != nil {
		return err
	}
	if len(shape) == 0 {
		// the fast path failed on something the walk does not see (a number
		// too large for its field, say): let encoding/json say what
		dec := json.NewDecoder(bytes.NewReader(body))
		dec.DisallowUnknownFields()
		if err := dec.Decode(v); err != nil {
			return &ValidationError{Errors: []FieldError{{Message: strings.TrimPrefix(err.Error(), "json: ")}}}
		}
	}
	verr := validate()
	if len(shape) == 0 {
		return verr
	}
	// a field of the wrong type also looks empty to validation: say it once
	bad := map[string]bool{}
	for _, fe := range shape {
		bad[fe.Field] = true
	}
	var ve *ValidationError
	if errors.As(verr, &ve) {
		for _, fe := range ve.Errors {
			if !bad[fe.Field] {
				shape = append(shape, fe)
			}
		}
	}
	return &ValidationError{Errors: shape}
}

// errPartial: the shape problems stopped decoding; only they are reported.
var errPartial = errors.New("partial decode")

var (
	decimalType   = reflect.TypeFor[decimal.Decimal]()
	amountsType   = reflect.TypeFor[Amounts]()
	timestampType = reflect.TypeFor[Timestamp]()
)

// decodeStrict decodes body into v (a pointer to a struct) and returns,
// with JSON paths, every field that v's type does not have and every value
// of the wrong JSON type; err is set only for malformed JSON. encoding/json
// stops at the first problem and names no path for unknown fields, so the
// document is first read into generic values and walked against v's type.
func decodeStrict(body []byte, v any) ([]FieldError, error) {
	if !utf8.Valid(body) {
		off := 0
		for off < len(body) {
			r, n := utf8.DecodeRune(body[off:])
			if r == utf8.RuneError && n <= 1 {
				break
			}
			off += n
		}
		return nil, &ValidationError{Syntax: true, Errors: []FieldError{{Message: fmt.Sprintf("the body is not valid UTF-8 (first bad byte at offset %d)", off)}}}
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var raw any
	if err := dec.Decode(&raw); err != nil {
		return nil, syntaxError(body, err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, &ValidationError{Syntax: true, Errors: []FieldError{{Message: "unexpected data after the JSON document"}}}
	}
	if _, ok := raw.(map[string]any); !ok {
		return nil, &ValidationError{Syntax: true, Errors: []FieldError{{Message: "the document must be a JSON object, not " + jsonKind(raw)}}}
	}
	var p problems
	checkValue(raw, reflect.TypeOf(v).Elem(), "", &p)
	// wrong types were reported above; decode what can be decoded so the
	// rest of the document is validated too, unless decoding stopped early
	// (then validation would report fields it never saw)
	if err := json.Unmarshal(body, v); err != nil {
		var te *json.UnmarshalTypeError
		if !errors.As(err, &te) {
			return p.list, errPartial
		}
	}
	return p.list, nil
}

func syntaxError(body []byte, err error) error {
	var se *json.SyntaxError
	msg := err.Error()
	if errors.As(err, &se) {
		line, col := lineCol(body, int(se.Offset))
		msg = fmt.Sprintf("malformed JSON at line %d, column %d: %s", line, col, strings.TrimPrefix(se.Error(), "json: "))
	} else if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		msg = "malformed JSON: the document is empty or ends too early"
	}
	return &ValidationError{Syntax: true, Errors: []FieldError{{Message: msg}}}
}

func lineCol(body []byte, off int) (int, int) {
	off = min(off, len(body))
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
	case json.Number:
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

func checkValue(v any, t reflect.Type, path string, p *problems) {
	if v == nil {
		return // null is the same as absent
	}
	switch t {
	case decimalType:
		// a number, or a string holding one (for senders that keep
		// amounts as decimal strings)
		var s string
		switch n := v.(type) {
		case json.Number:
			s = string(n)
		case string:
			s = n
		default:
			p.add(path, "must be a number, not %s", jsonKind(v))
			return
		}
		if _, err := decimal.NewFromString(s); err != nil {
			p.add(path, "must be a number, not %q", s)
		}
		return
	case amountsType:
		obj, ok := v.(map[string]any)
		if !ok {
			p.add(path, "must be an object of amounts by column key, not %s", jsonKind(v))
			return
		}
		for _, k := range sortedKeys(obj) {
			checkValue(obj[k], decimalType, dot(path, k), p)
		}
		return
	case timestampType:
		if _, ok := v.(string); !ok {
			p.add(path, "must be an RFC 3339 time as a string, not %s", jsonKind(v))
		}
		return
	}
	switch t.Kind() {
	case reflect.Pointer:
		checkValue(v, t.Elem(), path, p)
	case reflect.String:
		if _, ok := v.(string); !ok {
			p.add(path, "must be a string, not %s", jsonKind(v))
		}
	case reflect.Bool:
		if _, ok := v.(bool); !ok {
			p.add(path, "must be true or false, not %s", jsonKind(v))
		}
	case reflect.Int, reflect.Int64, reflect.Int32:
		n, ok := v.(json.Number)
		if !ok {
			p.add(path, "must be a whole number, not %s", jsonKind(v))
			return
		}
		if _, err := strconv.ParseInt(string(n), 10, 32); err != nil {
			p.add(path, "must be a whole number of reasonable size, not %s", n)
		}
	case reflect.Slice:
		arr, ok := v.([]any)
		if !ok {
			p.add(path, "must be an array, not %s", jsonKind(v))
			return
		}
		for i, e := range arr {
			checkValue(e, t.Elem(), at(path, i), p)
		}
	case reflect.Map:
		obj, ok := v.(map[string]any)
		if !ok {
			p.add(path, "must be an object, not %s", jsonKind(v))
			return
		}
		for _, k := range sortedKeys(obj) {
			checkValue(obj[k], t.Elem(), dot(path, k), p)
		}
	case reflect.Struct:
		obj, ok := v.(map[string]any)
		if !ok {
			p.add(path, "must be an object, not %s", jsonKind(v))
			return
		}
		fields := jsonFields(t)
		for _, k := range sortedKeys(obj) {
			f, ok := fields[k]
			if !ok {
				msg := "unknown field"
				if near := nearest(k, fields); near != "" {
					msg += fmt.Sprintf(" (did you mean %q?)", near)
				}
				p.add(dot(path, k), "%s", msg)
				continue
			}
			checkValue(obj[k], f.Type, dot(path, k), p)
		}
	}
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
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
func nearest(k string, fields map[string]reflect.StructField) string {
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
