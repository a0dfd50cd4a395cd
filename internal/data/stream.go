package data

import (
	"encoding/json"
	"errors"
	"fmt"
	"iter"
)

// TableRows reads the top-level rows of tables[table] from a budget's
// JSON one at a time, so a table of 100,000 lines need not be kept
// decoded while it is written out. Use it only on a body DecodeBudget has
// accepted: it finds values by a light scan that trusts the JSON to be
// well-formed, and, like encoding/json, it takes the last of duplicate
// keys, so it reads exactly the rows that were validated. After the
// sequence ends, *errp holds any error.
func TableRows(body []byte, table int) (seq iter.Seq[*Row], errp *error) {
	var err error
	return func(yield func(*Row) bool) {
		at, e := lastValue(body, 0, "tables")
		if e == nil {
			at, e = element(body, at, table)
		}
		if e == nil {
			at, e = lastValue(body, at, "rows")
		}
		if e == nil {
			e = eachElement(body, at, func(start, end int) bool {
				var r Row
				if e := json.Unmarshal(body[start:end], &r); e != nil {
					err = e
					return false
				}
				return yield(&r)
			})
		}
		if e != nil {
			err = e
		}
	}, &err
}

var errShape = errors.New("the document does not have the shape it was validated with")

func space(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
		i++
	}
	return i
}

// skip returns the index just past the value that starts at b[i].
func skip(b []byte, i int) (int, error) {
	if i >= len(b) {
		return 0, errShape
	}
	switch b[i] {
	case '"':
		if e := stringEnd(b[i:]); e >= 0 {
			return i + e + 1, nil
		}
		return 0, errShape
	case '{', '[':
		depth := 0
		for ; i < len(b); i++ {
			switch b[i] {
			case '"':
				e := stringEnd(b[i:])
				if e < 0 {
					return 0, errShape
				}
				i += e
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					return i + 1, nil
				}
			}
		}
		return 0, errShape
	}
	for i < len(b) && b[i] != ',' && b[i] != '}' && b[i] != ']' && b[i] != ' ' && b[i] != '\n' && b[i] != '\r' && b[i] != '\t' {
		i++
	}
	return i, nil
}

// lastValue returns where the value of the last key named key starts in
// the object at b[at].
func lastValue(b []byte, at int, key string) (int, error) {
	i := space(b, at)
	if i >= len(b) || b[i] != '{' {
		return 0, errShape
	}
	found := -1
	i = space(b, i+1)
	for i < len(b) && b[i] != '}' {
		end, err := skip(b, i)
		if err != nil || b[i] != '"' {
			return 0, errShape
		}
		var k string
		if err := json.Unmarshal(b[i:end], &k); err != nil {
			return 0, err
		}
		i = space(b, end)
		if i >= len(b) || b[i] != ':' {
			return 0, errShape
		}
		i = space(b, i+1)
		if k == key {
			found = i
		}
		if i, err = skip(b, i); err != nil {
			return 0, err
		}
		i = space(b, i)
		if i < len(b) && b[i] == ',' {
			i = space(b, i+1)
		}
	}
	if found < 0 {
		return 0, fmt.Errorf("%s: %w", key, errShape)
	}
	return found, nil
}

// eachElement calls fn with the bounds of each element of the array at b[at].
func eachElement(b []byte, at int, fn func(start, end int) bool) error {
	i := space(b, at)
	if i >= len(b) || b[i] != '[' {
		return errShape
	}
	i = space(b, i+1)
	for i < len(b) && b[i] != ']' {
		end, err := skip(b, i)
		if err != nil {
			return err
		}
		if !fn(i, end) {
			return nil
		}
		i = space(b, end)
		if i < len(b) && b[i] == ',' {
			i = space(b, i+1)
		}
	}
	return nil
}

// element returns where the n-th element of the array at b[at] starts.
func element(b []byte, at, n int) (int, error) {
	found := -1
	err := eachElement(b, at, func(start, end int) bool {
		if n == 0 {
			found = start
			return false
		}
		n--
		return true
	})
	if err == nil && found < 0 {
		err = errShape
	}
	return found, err
}
