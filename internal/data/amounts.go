package data

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/go-json-experiment/json/jsontext"
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

// maxNumberText is the longest number text read: an amount within the
// contract's limits needs at most 15 significant digits, a sign, a point
// and a few zeros. Longer text (a million zeros, say) is refused before it
// is parsed, since decimal arithmetic on it is as slow as it is long.
const maxNumberText = 64

// maxExponent bounds the exponent of a number in e-notation for the same
// reason: "1e999999" is eight characters but a million digits to compare.
const maxExponent = 30

// errNumber is the message for text that is not an amount.
func errNumber(text string) error {
	if len(text) > maxNumberText {
		return fmt.Errorf("must be a number of at most %d characters, not one of %d", maxNumberText, len(text))
	}
	return fmt.Errorf("must be a number, not %q", truncate(text))
}

// parseDecimal reads a number from its text, within the bounds above.
func parseDecimal(text string) (decimal.Decimal, error) {
	if len(text) > maxNumberText {
		return decimal.Decimal{}, errNumber(text)
	}
	if i := strings.IndexAny(text, "eE"); i >= 0 {
		e, err := strconv.Atoi(strings.TrimPrefix(text[i+1:], "+"))
		if err != nil || e > maxExponent || e < -maxExponent {
			return decimal.Decimal{}, errNumber(text)
		}
	}
	v, err := decimal.NewFromString(text)
	if err != nil {
		return v, errNumber(text)
	}
	return v, nil
}

// unmarshalDecimal reads a decimal (a budget frame) from a JSON number or
// numeric string, within the bounds above.
func unmarshalDecimal(dec *jsontext.Decoder, d *decimal.Decimal) error {
	text, err := numberText(dec)
	if err != nil {
		return err
	}
	if text == "" {
		return nil // null
	}
	v, err := parseDecimal(text)
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// numberText reads a JSON number or string and returns its text, "" for
// null.
func numberText(dec *jsontext.Decoder) (string, error) {
	switch dec.PeekKind() {
	case '0':
		v, err := dec.ReadValue()
		return string(v), err
	case '"':
		tok, err := dec.ReadToken()
		if err != nil {
			return "", err
		}
		if tok.String() == "" {
			return "", errNumber("")
		}
		return tok.String(), nil
	case 'n':
		_, err := dec.ReadToken()
		return "", err
	}
	v, err := dec.ReadValue()
	if err != nil {
		return "", err
	}
	return "", errNumber(string(v))
}

// parseAmount reads a JSON number or numeric string. Plain decimals of up
// to 18 digits, the usual case, are read here without allocating.
func parseAmount(key string, text []byte) (Amount, error) {
	a := Amount{Key: key}
	if len(text) > maxNumberText {
		return a, errNumber(string(text))
	}
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
	v, err := parseDecimal(string(text))
	if err != nil {
		return a, err
	}
	return NewAmount(key, v), nil
}

// UnmarshalJSONFrom reads the object: each member a JSON number, a numeric
// string or null. Names are read by the JSON decoder, escapes and all, so
// "\u0031" is "1" here as everywhere.
func (a *Amounts) UnmarshalJSONFrom(dec *jsontext.Decoder) error {
	if dec.PeekKind() == 'n' {
		_, err := dec.ReadToken()
		*a = nil
		return err
	}
	if tok, err := dec.ReadToken(); err != nil {
		return err
	} else if tok.Kind() != '{' {
		return fmt.Errorf("values must be an object")
	}
	var buf [8]Amount
	out := Amounts(buf[:0])
	for dec.PeekKind() != '}' {
		name, err := dec.ReadToken()
		if err != nil {
			return err
		}
		key := name.String()
		var text []byte
		switch dec.PeekKind() {
		case '0':
			v, err := dec.ReadValue()
			if err != nil {
				return err
			}
			text = v
		default:
			s, err := numberText(dec)
			if err != nil {
				return fmt.Errorf("values.%s: %w", key, err)
			}
			if s == "" {
				continue // null
			}
			text = []byte(s)
		}
		amount, err := parseAmount(key, text)
		if err != nil {
			return fmt.Errorf("values.%s: %w", key, err)
		}
		out = append(out, amount)
	}
	if _, err := dec.ReadToken(); err != nil {
		return err
	}
	// exactly as long as needed: a large budget keeps one per line
	*a = append(make(Amounts, 0, len(out)), out...)
	return nil
}
