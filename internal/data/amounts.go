package data

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"

	"github.com/shopspring/decimal"
)

// Amounts are a line's values by column key: in JSON an object
// {"budget": 1000.25, "spent": "900.50"}, a number or a numeric string per
// key. They are kept as a short list rather than a map: a budget of
// 100,000 lines holds a map per line otherwise, three times the memory.
type Amounts []Amount

// Amount is one value of a line. Most amounts fit a 64-bit coefficient
// and are kept as coefficient and exponent, without the big integer a
// decimal.Decimal allocates; others keep their decimal.
type Amount struct {
	Key  string
	coef int64
	exp  int32
	big  *decimal.Decimal // set when the amount does not fit coef
}

// NewAmount makes an amount.
func NewAmount(key string, v decimal.Decimal) Amount {
	a := Amount{Key: key}
	if c := v.Coefficient(); c.IsInt64() {
		a.coef, a.exp = c.Int64(), v.Exponent()
	} else {
		a.big = &v
	}
	return a
}

// Value is the amount as an exact decimal.
func (a Amount) Value() decimal.Decimal {
	if a.big != nil {
		return *a.big
	}
	return decimal.New(a.coef, a.exp)
}

// Get returns the amount for a column key.
func (a Amounts) Get(key string) (decimal.Decimal, bool) {
	for _, x := range a {
		if x.Key == key {
			return x.Value(), true
		}
	}
	return decimal.Decimal{}, false
}

// parseAmount reads a JSON number or numeric string. Plain decimals of up
// to 18 digits, the usual case, are read here without allocating.
func parseAmount(key string, text []byte) (Amount, error) {
	a := Amount{Key: key}
	i, neg := 0, false
	if len(text) > 0 && text[0] == '-' {
		neg, i = true, 1
	}
	digits, frac, point := 0, 0, false
	var coef int64
	simple := i < len(text)
	for ; i < len(text) && simple; i++ {
		switch c := text[i]; {
		case c >= '0' && c <= '9':
			if digits == 18 {
				simple = false
				break
			}
			coef = coef*10 + int64(c-'0')
			if coef > 0 {
				digits++
			}
			if point {
				frac++
			}
		case c == '.' && !point && i+1 < len(text):
			point = true
		default:
			simple = false
		}
	}
	if simple {
		if neg {
			coef = -coef
		}
		a.coef, a.exp = coef, int32(-frac)
		return a, nil
	}
	v, err := decimal.NewFromString(string(text))
	if err != nil {
		return a, err
	}
	return NewAmount(key, v), nil
}

// UnmarshalJSON reads the object. encoding/json has already checked that
// it is well-formed JSON; anything but numbers and numeric strings is an
// error here, which the strict decoder then reports with its path.
func (a *Amounts) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if string(b) == "null" {
		*a = nil
		return nil
	}
	if len(b) < 2 || b[0] != '{' {
		return fmt.Errorf("values must be an object")
	}
	var buf [8]Amount
	out := Amounts(buf[:0])
	s := b[1 : len(b)-1]
	for {
		s = bytes.TrimLeft(s, " \t\r\n,")
		if len(s) == 0 {
			break
		}
		// key: a JSON string
		end := stringEnd(s)
		if end < 0 {
			return fmt.Errorf("values: bad key")
		}
		var key string
		if bytes.IndexByte(s[1:end], '\\') < 0 {
			key = string(s[1:end])
		} else if err := json.Unmarshal(s[:end+1], &key); err != nil {
			return err
		}
		s = bytes.TrimLeft(s[end+1:], " \t\r\n")
		if len(s) == 0 || s[0] != ':' {
			return fmt.Errorf("values: expected ':'")
		}
		s = bytes.TrimLeft(s[1:], " \t\r\n")
		// value: a number or a string
		var text []byte
		if len(s) > 0 && s[0] == '"' {
			e := stringEnd(s)
			if e < 0 {
				return fmt.Errorf("values.%s: bad string", key)
			}
			text, s = s[1:e], s[e+1:]
		} else {
			i := 0
			for i < len(s) && s[i] != ',' && s[i] != ' ' && s[i] != '\n' && s[i] != '\r' && s[i] != '\t' {
				i++
			}
			text, s = s[:i], s[i:]
		}
		if string(text) == "null" {
			continue
		}
		amount, err := parseAmount(key, text)
		if err != nil {
			return fmt.Errorf("values.%s: %s is not a number", key, strconv.Quote(string(text)))
		}
		out = append(out, amount)
	}
	// exactly as long as needed: a large budget keeps one per line
	*a = append(make(Amounts, 0, len(out)), out...)
	return nil
}

// MarshalJSON writes the object back.
func (a Amounts) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, x := range a {
		if i > 0 {
			b.WriteByte(',')
		}
		k, _ := json.Marshal(x.Key)
		b.Write(k)
		b.WriteByte(':')
		b.WriteString(x.Value().String())
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// stringEnd is the index of the quote closing the JSON string s starts with.
func stringEnd(s []byte) int {
	if len(s) == 0 || s[0] != '"' {
		return -1
	}
	for i := 1; i < len(s); i++ {
		switch s[i] {
		case '\\':
			i++
		case '"':
			return i
		}
	}
	return -1
}
