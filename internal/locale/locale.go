// Package locale holds what differs between Danish and English documents:
// labels, dates, times, numbers and lists. Danish is the default.
package locale

import (
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/shopspring/decimal"
)

// Lang is a document language: "da" or "en".
type Lang string

const (
	Danish  Lang = "da"
	English Lang = "en"
)

// Langs lists the languages.
var Langs = []Lang{Danish, English}

// Parse reads a language's code: "da" or "en".
func Parse(s string) (Lang, error) {
	switch Lang(s) {
	case Danish, English:
		return Lang(s), nil
	}
	return "", fmt.Errorf("must be da or en, not %q", s)
}

// Or is l, or def when l is empty: a caller's choice over a document's.
func (l Lang) Or(def Lang) Lang {
	if l == "" {
		return def
	}
	return l
}

var (
	daWeekdays = [...]string{"søndag", "mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag"}
	daMonths   = [...]string{"januar", "februar", "marts", "april", "maj", "juni", "juli", "august", "september", "oktober", "november", "december"}
)

// Weekday is the lower-case Danish or the English weekday name.
func (l Lang) Weekday(t time.Time) string {
	if l == English {
		return t.Weekday().String()
	}
	return daWeekdays[t.Weekday()]
}

// Month is the lower-case Danish or the English month name.
func (l Lang) Month(t time.Time) string {
	if l == English {
		return t.Month().String()
	}
	return daMonths[t.Month()-1]
}

// LongDate is "tirsdag den 19. august 2014" or "Tuesday 19 August 2014".
func (l Lang) LongDate(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	if l == English {
		return t.Format("Monday 2 January 2006")
	}
	return l.Weekday(t) + " den " + l.Date(t)
}

// Date is "19. august 2014" or "19 August 2014".
func (l Lang) Date(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	if l == English {
		return t.Format("2 January 2006")
	}
	return strconv.Itoa(t.Day()) + ". " + l.Month(t) + " " + strconv.Itoa(t.Year())
}

// ShortDate is "19.08.2014" or "19/08/2014".
func (l Lang) ShortDate(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	if l == English {
		return t.Format("02/01/2006")
	}
	return t.Format("02.01.2006")
}

// Clock is "13:00" in both languages (24-hour clock).
func (l Lang) Clock(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format("15:04")
}

// TimeRange is "kl. 13:00–16:00" or "13:00–16:00"; end may be zero.
func (l Lang) TimeRange(start, end time.Time) string {
	s := l.Clock(start)
	if !end.IsZero() {
		s += "–" + l.Clock(end)
	}
	if l == Danish {
		return "kl. " + s
	}
	return s
}

// Number formats d with the given decimals: "57.830.000", "209,607" in
// Danish; "57,830,000", "209.607" in English. It rounds half away from zero.
func (l Lang) Number(d decimal.Decimal, decimals int) string {
	s := d.StringFixed(int32(decimals))
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	intPart, frac, _ := strings.Cut(s, ".")
	thousands, point := ".", ","
	if l == English {
		thousands, point = ",", "."
	}
	var b strings.Builder
	if neg && strings.Trim(s, "0.") != "" {
		b.WriteByte('-')
	}
	for i, c := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteString(thousands)
		}
		b.WriteRune(c)
	}
	if frac != "" {
		b.WriteString(point)
		b.WriteString(frac)
	}
	return b.String()
}

// And is "og" or "and".
func (l Lang) And() string {
	if l == English {
		return "and"
	}
	return "og"
}

// Join joins a list the way prose does: "a, b og c" or "a, b and c".
func (l Lang) Join(list []string) string {
	switch len(list) {
	case 0:
		return ""
	case 1:
		return list[0]
	}
	return strings.Join(list[:len(list)-1], ", ") + " " + l.And() + " " + list[len(list)-1]
}

// SubtotalLabel names a group's subtotal: "Jobhuset i alt", "Total Jobhuset".
func (l Lang) SubtotalLabel(group string) string {
	if l == English {
		return "Total " + group
	}
	return group + " i alt"
}

// Plural picks one or many by n.
func Plural(n int, one, many string) string {
	if n == 1 || n == -1 {
		return one
	}
	return many
}

// Capitalize upper-cases the first letter: "tirsdag den …" -> "Tirsdag den …".
func Capitalize(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 {
		return s
	}
	return string(unicode.ToUpper(r)) + s[n:]
}
