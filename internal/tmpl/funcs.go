package tmpl

import (
	"fmt"
	"iter"
	"reflect"
	"slices"
	"strings"
	"text/template"
	"time"

	"github.com/Masterminds/sprig/v3"
	"github.com/shopspring/decimal"

	"protokol/internal/locale"
	"protokol/internal/view"
)

// sprigAllowed are the sprig functions templates may call: text, lists,
// dictionaries without mutation, arithmetic, types, regular expressions.
// Everything touching the environment, files, network, clock, randomness,
// cryptography, or able to build self-referencing values is left out.
var sprigAllowed = []string{
	"abbrev", "abbrevboth", "trunc", "trim", "upper", "lower", "title", "untitle", "substr",
	"trimAll", "trimall", "trimSuffix", "trimPrefix", "nospace", "initials", "swapcase", "snakecase",
	"camelcase", "kebabcase", "wrap", "wrapWith", "contains", "hasPrefix", "hasSuffix", "quote",
	"squote", "cat", "replace", "toString", "atoi", "int", "int64", "float64", "split",
	"splitList", "splitn", "toStrings", "join", "sortAlpha", "default", "empty", "coalesce", "all",
	"any", "compact", "ternary", "add1", "add", "sub", "div", "mod", "mul", "max", "min", "biggest",
	"ceil", "floor", "round", "add1f", "addf", "subf", "divf", "mulf", "maxf", "minf", "list",
	"tuple", "first", "rest", "last", "initial", "reverse", "without", "has", "slice",
	"concat", "append", "push", "prepend", "chunk", "dict", "get", "hasKey", "pluck", "keys", "pick",
	"omit", "values", "dig", "typeOf", "typeIs", "typeIsLike", "kindOf", "kindIs", "deepEqual",
	"fail",
	// bounded versions of their own, in bounds.go: uniq, regexMatch, regexFind,
	// regexFindAll, regexReplaceAll, regexReplaceAllLiteral, regexSplit,
	// regexQuoteMeta; ours: plural (n one many)
}

// staticFuncs are the functions available to every template, bound to the
// limits but not to one execution: sprig's allowed ones, bounded; the
// text helpers; the document helpers; the regular expressions; and
// placeholders for those each execution binds (see run.funcs).
func staticFuncs(lim Limits) template.FuncMap {
	all := sprig.TxtFuncMap()
	fm := template.FuncMap{}
	for _, name := range sprigAllowed {
		if f, ok := all[name]; ok {
			fm[name] = bounded(name, f, lim)
		}
	}
	for _, funcs := range []map[string]any{textFuncs(lim), documentFuncs(lim), regexFuncs(lim)} {
		for name, f := range funcs {
			fm[name] = f
		}
	}
	for _, name := range []string{"until", "untilStep", tickFunc, enterFunc, exitFunc} {
		fm[name] = func(...any) (string, error) { return "", nil }
	}
	return fm
}

// checkString refuses a result over the string limit.
func checkString(lim Limits, s string) (string, error) {
	if len(s) > lim.MaxString {
		return "", limitError("a helper's result is %d bytes; at most %d are allowed", len(s), lim.MaxString)
	}
	return s, nil
}

// textFuncs are text/template's own printing functions and sprig's
// amplifiers, each bounded before it builds its result.
func textFuncs(lim Limits) map[string]any {
	// printing refuses arguments whose text would be over the limit,
	// before they are printed
	printing := func(name string, f func(a ...any) string) func(a ...any) (string, error) {
		return func(a ...any) (string, error) {
			n := 0
			for _, x := range a {
				n += sizeOf(reflect.ValueOf(x), lim.MaxString-n, 0) + 1
				if n > lim.MaxString {
					return "", limitError("%s of arguments over %d bytes", name, lim.MaxString)
				}
			}
			return checkString(lim, f(a...))
		}
	}
	indent := func(name, lead string) func(n int, s string) (string, error) {
		return func(n int, s string) (string, error) {
			if n < 0 || n > 100 {
				return "", limitError("%s %d: at most 100", name, n)
			}
			if size := len(s) + (strings.Count(s, "\n")+1)*n; size > lim.MaxString {
				return "", limitError("%s would return %d bytes; at most %d are allowed", name, size, lim.MaxString)
			}
			pad := strings.Repeat(" ", n)
			return lead + pad + strings.ReplaceAll(s, "\n", "\n"+pad), nil
		}
	}
	return map[string]any{
		"print":    printing("print", fmt.Sprint),
		"println":  printing("println", fmt.Sprintln),
		"printf":   func(f string, a ...any) (string, error) { return boundedPrintf(lim, f, a...) },
		"html":     printing("html", func(a ...any) string { return template.HTMLEscapeString(fmt.Sprint(a...)) }),
		"js":       printing("js", func(a ...any) string { return template.JSEscapeString(fmt.Sprint(a...)) }),
		"urlquery": printing("urlquery", template.URLQueryEscaper),
		"uniq":     uniq(lim),
		"repeat": func(n int, s string) (string, error) {
			if n < 0 || n*len(s) > lim.MaxString {
				return "", limitError("repeat %d of a %d-byte string is over %d bytes", n, len(s), lim.MaxString)
			}
			return strings.Repeat(s, n), nil
		},
		"indent":  indent("indent", ""),
		"nindent": indent("nindent", "\n"),
		"seq": func(a ...int) (string, error) {
			xs, err := seqInts(lim, a...)
			if err != nil {
				return "", err
			}
			parts := make([]string, len(xs))
			for i, x := range xs {
				parts[i] = fmt.Sprint(x)
			}
			return checkString(lim, strings.Join(parts, " "))
		},
	}
}

// documentFuncs are the helpers for committee papers: escaping, dates,
// numbers and lists of people in the document's language.
func documentFuncs(lim Limits) map[string]any {
	str := func(s string) (string, error) { return checkString(lim, s) }
	// persons makes a helper of a way to list people: lang, then people
	persons := func(name string, f func(locale.Lang, []view.Person) string) func(lang string, ps any) (string, error) {
		return func(lang string, ps any) (string, error) {
			pp, err := toPeople(ps)
			if err != nil {
				return "", fmt.Errorf("%s: %w", name, err)
			}
			l, err := locale.Parse(lang)
			if err != nil {
				return "", fmt.Errorf("%s: the language %w", name, err)
			}
			return str(f(l, pp))
		}
	}
	return map[string]any{
		"esc":      func(s string) (string, error) { return str(view.Escape(s)) },
		"capfirst": locale.Capitalize,
		"joinand": func(lang string, list any) (string, error) {
			ss, err := toStrings(list)
			if err != nil {
				return "", err
			}
			l, err := locale.Parse(lang)
			if err != nil {
				return "", fmt.Errorf("joinand: the language %w", err)
			}
			return str(l.Join(ss))
		},
		"people":     persons("people", people),
		"partylist":  persons("partylist", partyList),
		"names":      persons("names", names),
		"number":     number,
		"plural":     func(n int, one, many string) string { return locale.Plural(n, one, many) },
		"longdate":   func(lang string, t any) (string, error) { return dateFunc(lang, t, locale.Lang.LongDate) },
		"date":       func(lang string, t any) (string, error) { return dateFunc(lang, t, locale.Lang.Date) },
		"shortdate":  func(lang string, t any) (string, error) { return dateFunc(lang, t, locale.Lang.ShortDate) },
		"clock":      func(lang string, t any) (string, error) { return dateFunc(lang, t, locale.Lang.Clock) },
		"pagebreak":  func() string { return "\n\n<!-- pagebreak -->\n\n" },
		"demote":     func(level int, md string) string { return view.Demote(md, min(max(level, 1), 6)) },
		"quotemd":    func(s string) (string, error) { return str("> " + strings.ReplaceAll(s, "\n", "\n> ")) },
		"truncwords": truncWords,
	}
}

// bounded wraps a sprig function so a string or list it returns cannot
// exceed the limits: every amplification (cat $s $s in a loop) stops there.
func bounded(name string, f any, lim Limits) any {
	v := reflect.ValueOf(f)
	t := v.Type()
	if t.NumOut() == 0 {
		return f
	}
	switch t.Out(0).Kind() {
	case reflect.String, reflect.Slice, reflect.Interface:
	default:
		return f // numbers and booleans cannot grow
	}
	errType := reflect.TypeFor[error]()
	outs := []reflect.Type{t.Out(0), errType}
	ft := reflect.FuncOf(inTypes(t), outs, t.IsVariadic())
	grows := t.Out(0).Kind() == reflect.String
	return reflect.MakeFunc(ft, func(args []reflect.Value) []reflect.Value {
		if grows {
			if n := estimate(name, args, lim.MaxString); n > lim.MaxString {
				err := limitError("%s could return %d bytes; at most %d are allowed", name, n, lim.MaxString)
				return []reflect.Value{reflect.Zero(t.Out(0)), reflect.ValueOf(&err).Elem()}
			}
		}
		var res []reflect.Value
		if t.IsVariadic() {
			res = v.CallSlice(args)
		} else {
			res = v.Call(args)
		}
		out := res[0]
		var err error
		if len(res) > 1 && !res[1].IsNil() {
			err = res[1].Interface().(error)
		}
		if err == nil {
			err = checkSize(name, out, lim)
		}
		errV := reflect.Zero(errType)
		if err != nil {
			errV = reflect.ValueOf(&err).Elem()
		}
		return []reflect.Value{out, errV}
	}).Interface()
}

func inTypes(t reflect.Type) []reflect.Type {
	in := make([]reflect.Type, t.NumIn())
	for i := range in {
		in[i] = t.In(i)
	}
	return in
}

func checkSize(name string, v reflect.Value, lim Limits) error {
	for v.Kind() == reflect.Interface && !v.IsNil() {
		v = v.Elem()
	}
	switch v.Kind() {
	case reflect.String:
		if v.Len() > lim.MaxString {
			return limitError("%s returned %d bytes; at most %d are allowed", name, v.Len(), lim.MaxString)
		}
	case reflect.Slice:
		if v.Len() > lim.MaxList {
			return limitError("%s returned %d elements; at most %d are allowed", name, v.Len(), lim.MaxList)
		}
	}
	return nil
}

// boundedPrintf refuses widths and precisions that would blow a small
// format up into a huge string ("%999999999d").
func boundedPrintf(lim Limits, format string, a ...any) (string, error) {
	num := 0
	for i := 0; i < len(format); i++ {
		c := format[i]
		if c >= '0' && c <= '9' {
			num = num*10 + int(c-'0')
			if num > 1000 {
				return "", limitError("printf width or precision over 1000 in %q", format)
			}
		} else {
			num = 0
		}
		if c == '*' {
			return "", limitError("printf widths from arguments (*) are not allowed")
		}
	}
	if n := printfSize(format, a, lim.MaxString); n > lim.MaxString {
		return "", limitError("printf could return %d bytes; at most %d are allowed", n, lim.MaxString)
	}
	s := fmt.Sprintf(format, a...)
	if len(s) > lim.MaxString {
		return "", limitError("printf returned %d bytes; at most %d are allowed", len(s), lim.MaxString)
	}
	return s, nil
}

// numbers is an arithmetic sequence from start towards end by step:
// seq's (end included) or until's (end excluded).
type numbers struct {
	start, end, step int
	inclusive        bool
}

func (n numbers) in(x int) bool {
	switch {
	case n.step > 0 && n.inclusive:
		return x <= n.end
	case n.step > 0:
		return x < n.end
	case n.inclusive:
		return x >= n.end
	}
	return x > n.end
}

// count is how many numbers the sequence has, without making them.
func (n numbers) count() int {
	if n.step == 0 || !n.in(n.start) {
		return 0
	}
	d := (n.end - n.start) / n.step
	if !n.inclusive && (n.end-n.start)%n.step == 0 {
		d--
	}
	return d + 1
}

func (n numbers) all(yield func(int) bool) {
	for x := n.start; n.in(x); x += n.step {
		if !yield(x) {
			return
		}
	}
}

func seqInts(lim Limits, a ...int) ([]int, error) {
	n := numbers{start: 1, step: 1, inclusive: true}
	switch len(a) {
	case 1:
		n.end = a[0]
	case 2:
		n.start, n.end = a[0], a[1]
	case 3:
		n.start, n.step, n.end = a[0], a[1], a[2]
	default:
		return nil, fmt.Errorf("seq takes 1 to 3 numbers")
	}
	if n.step == 0 {
		return nil, fmt.Errorf("seq step 0")
	}
	if n.start > n.end && n.step > 0 {
		n.step = -n.step
	}
	if c := n.count(); c > lim.MaxList {
		return nil, limitError("seq of %d numbers; at most %d are allowed", c, lim.MaxList)
	}
	return slices.Collect(n.all), nil
}

func number(lang string, v any, decimals ...int) (string, error) {
	d := 0
	if len(decimals) > 0 {
		d = min(max(decimals[0], 0), 10)
	}
	var x decimal.Decimal
	switch v := v.(type) {
	case decimal.Decimal:
		x = v
	case *decimal.Decimal:
		x = *v
	case int:
		x = decimal.NewFromInt(int64(v))
	case int64:
		x = decimal.NewFromInt(v)
	case float64:
		x = decimal.NewFromFloat(v)
	case string:
		var err error
		if x, err = decimal.NewFromString(v); err != nil {
			return "", fmt.Errorf("number: %q is not a number", v)
		}
	default:
		return "", fmt.Errorf("number: cannot format %T", v)
	}
	l, err := locale.Parse(lang)
	if err != nil {
		return "", fmt.Errorf("number: the language %w", err)
	}
	return l.Number(x, d), nil
}

func dateFunc(lang string, t any, f func(locale.Lang, time.Time) string) (string, error) {
	l, err := locale.Parse(lang)
	if err != nil {
		return "", fmt.Errorf("the language %w", err)
	}
	switch t := t.(type) {
	case view.Date:
		return f(l, view.TimeOf(t)), nil
	case string:
		tt, err := time.Parse(time.RFC3339, t)
		if err != nil {
			return "", fmt.Errorf("not an RFC 3339 time: %q", t)
		}
		return f(l, tt), nil
	}
	return "", fmt.Errorf("cannot format %T as a date", t)
}

func truncWords(n int, s string) string {
	words := strings.Fields(s)
	if n < 0 || len(words) <= n {
		return s
	}
	return strings.Join(words[:n], " ") + " …"
}

// toStrings accepts []string or a list (sprig's list) of strings.
func toStrings(v any) ([]string, error) {
	switch v := v.(type) {
	case []string:
		return v, nil
	case []any:
		out := make([]string, len(v))
		for i, x := range v {
			s, ok := x.(string)
			if !ok {
				return nil, fmt.Errorf("joinand: element %d is %T, not a string", i, x)
			}
			out[i] = s
		}
		return out, nil
	}
	return nil, fmt.Errorf("joinand: want a list of strings, not %T", v)
}

// toPeople accepts []view.Person, one view.Person, or a list of them.
func toPeople(v any) ([]view.Person, error) {
	switch v := v.(type) {
	case []view.Person:
		return v, nil
	case view.Person:
		return []view.Person{v}, nil
	case *view.Person:
		return []view.Person{*v}, nil
	case []any:
		out := make([]view.Person, len(v))
		for i, x := range v {
			p, ok := x.(view.Person)
			if !ok {
				return nil, fmt.Errorf("element %d is %T, not a person", i, x)
			}
			out[i] = p
		}
		return out, nil
	}
	return nil, fmt.Errorf("want people (e.g. .Members), not %T", v)
}

// people lists persons with what a reader needs in brackets: "Per Clausen
// (Ø, pga. sygdom), Jesper Dahlgaard (jobcenterchef) og Birgitte Welling (ref.)".
func people(l locale.Lang, ps []view.Person) string {
	list := make([]string, len(ps))
	for i, p := range ps {
		var extra []string
		for _, s := range []string{p.Party, p.Title, p.Note} {
			if s != "" {
				extra = append(extra, s)
			}
		}
		if p.IsMinuteTaker {
			extra = append(extra, l.Labels().MinuteTaker)
		}
		list[i] = p.Name
		if len(extra) > 0 {
			list[i] += " (" + strings.Join(extra, ", ") + ")"
		}
	}
	return l.Join(list)
}

// partyList names members by party, as Danish minutes do: "Per Tærsbøl,
// John Calberg og Philip Læborg (C), Per Clausen (Ø)". Consecutive members
// of one party share the letter.
func partyList(l locale.Lang, ps []view.Person) string {
	var groups []string
	for i := 0; i < len(ps); {
		j := i + 1
		for ps[i].Party != "" && j < len(ps) && ps[j].Party == ps[i].Party {
			j++
		}
		var nm []string
		for _, p := range ps[i:j] {
			nm = append(nm, p.Name)
		}
		g := l.Join(nm)
		if ps[i].Party != "" {
			g += " (" + ps[i].Party + ")"
		}
		groups = append(groups, g)
		i = j
	}
	return strings.Join(groups, ", ")
}

func names(l locale.Lang, ps []view.Person) string {
	list := make([]string, len(ps))
	for i, p := range ps {
		list[i] = p.Name
	}
	return l.Join(list)
}

// untilSeq is sprig's until as an iterator that checks the limits at
// every step, so a huge range stops at the deadline instead of running on.
func (r *run) untilSeq(args ...int) (iter.Seq[int], error) {
	n := numbers{step: 1}
	switch len(args) {
	case 1:
		n.end = args[0]
		if n.end < 0 {
			n.step = -1
		}
	case 3:
		n.start, n.end, n.step = args[0], args[1], args[2]
	default:
		return nil, fmt.Errorf("until takes 1 number, untilStep 3")
	}
	if n.step == 0 {
		return nil, fmt.Errorf("untilStep with step 0")
	}
	if c := n.count(); c > r.lim.MaxList {
		return nil, limitError("until %d: at most %d numbers are allowed", c, r.lim.MaxList)
	}
	return func(yield func(int) bool) {
		for x := range n.all {
			if r.check() != nil || !yield(x) {
				return
			}
		}
	}, nil
}
