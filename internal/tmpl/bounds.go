package tmpl

import (
	"fmt"
	"reflect"
	"regexp"
	"regexp/syntax"
	"strings"
)

// A helper's result is bounded before the helper runs, from the sizes of
// its arguments: checking the result afterwards is too late when a 1 KiB
// template asks replace, join or printf for gigabytes. Each estimate is an
// upper bound of what the helper can return; a call whose bound is over
// MaxString is refused without being made.

// estimators bound the result of the helpers that can return more than
// their arguments hold. Every other string helper is bounded by the sum of
// its arguments' sizes (see estimate).
var estimators = map[string]func(args []reflect.Value) int{
	// replace old new src: every occurrence of old becomes new
	"replace": func(a []reflect.Value) int {
		old, repl, src := str(a[0]), str(a[1]), str(a[2])
		n := strings.Count(src, old) // an empty old matches between every character
		return len(src) + n*max(len(repl)-len(old), 0)
	},
	// join sep list
	"join": func(a []reflect.Value) int {
		n, size := elements(a[1])
		return size + n*len(str(a[0]))
	},
	// wrapWith width sep text: a break (sep) can come at every space; long
	// words are not broken
	"wrapWith": func(a []reflect.Value) int {
		s, sep := str(a[2]), str(a[1])
		return len(s) + (strings.Count(s, " ")+strings.Count(s, "\n")+1)*len(sep)
	},
	"wrap": func(a []reflect.Value) int {
		s := str(a[1])
		return len(s) + strings.Count(s, " ") + strings.Count(s, "\n") + 1
	},
}

// estimate is an upper bound of the bytes a string helper named name
// returns for args, computed without building the result. Helpers without
// an estimator copy at most their arguments (with a constant factor for
// escaping, which a 1 MiB limit absorbs).
func estimate(name string, args []reflect.Value, budget int) int {
	if e := estimators[name]; e != nil {
		return e(args)
	}
	total := 0
	for _, a := range args {
		total += sizeOf(a, budget-total, 0)
		if total > budget {
			break
		}
	}
	return total
}

func str(v reflect.Value) string {
	for v.Kind() == reflect.Interface && !v.IsNil() {
		v = v.Elem()
	}
	if v.Kind() == reflect.String {
		return v.String()
	}
	return fmt.Sprint(v.Interface())
}

// elements counts a list's elements and the bytes they print as.
func elements(v reflect.Value) (n, size int) {
	for v.Kind() == reflect.Interface && !v.IsNil() {
		v = v.Elem()
	}
	if v.Kind() != reflect.Slice && v.Kind() != reflect.Array {
		return 1, sizeOf(v, 1<<40, 0)
	}
	for i := 0; i < v.Len(); i++ {
		size += sizeOf(v.Index(i), 1<<40, 0)
	}
	return v.Len(), size
}

// sizeOf is about the number of bytes v prints as (fmt's %v), counted
// only up to budget: a list holding the same 1 MiB string 100,000 times
// is judged after two of them, not after 100 GB.
func sizeOf(v reflect.Value, budget, depth int) int {
	if depth > 16 || budget < 0 {
		return 1
	}
	switch v.Kind() {
	case reflect.Invalid:
		return 5
	case reflect.String:
		return v.Len()
	case reflect.Interface, reflect.Pointer:
		if v.IsNil() {
			return 5
		}
		return sizeOf(v.Elem(), budget, depth+1)
	case reflect.Slice, reflect.Array:
		n := 2
		for i := 0; i < v.Len() && n <= budget; i++ {
			n += 1 + sizeOf(v.Index(i), budget-n, depth+1)
		}
		return n
	case reflect.Map:
		n := 5
		it := v.MapRange()
		for n <= budget && it.Next() {
			n += 2 + sizeOf(it.Key(), budget-n, depth+1) + sizeOf(it.Value(), budget-n, depth+1)
		}
		return n
	case reflect.Struct:
		n := 2
		for i := 0; i < v.NumField() && n <= budget; i++ {
			n += 1 + sizeOf(v.Field(i), budget-n, depth+1)
		}
		return n
	}
	return 24 // numbers, booleans, functions
}

// printfSize bounds fmt.Sprintf(format, a...): each verb prints at most
// its widest argument padded to its width (widths are at most 1000, see
// boundedPrintf), and with explicit argument indexes ("%[1]s%[1]s…") any
// verb may print any argument again.
func printfSize(format string, a []any, budget int) int {
	verbs := strings.Count(format, "%")
	widest := 0
	for _, x := range a {
		widest = max(widest, sizeOf(reflect.ValueOf(x), budget, 0))
	}
	if widest > budget {
		return widest
	}
	return len(format) + verbs*(widest+1000)
}

// Regular expressions: sprig compiles the pattern on every call and panics
// on a bad one; its replacement can expand "$1" once per match. These
// versions compile within a size limit, cost (the pattern's program times
// the input) within a budget, and bound a replacement's result before it
// is built.
const (
	maxPattern = 1000       // bytes of a pattern
	maxRegexOp = 50_000_000 // program instructions × input bytes for one call
)

func compileBounded(pattern string, input int) (*regexp.Regexp, error) {
	if len(pattern) > maxPattern {
		return nil, limitError("a regular expression of %d bytes; at most %d are allowed", len(pattern), maxPattern)
	}
	re, err := syntax.Parse(pattern, syntax.Perl)
	if err != nil {
		return nil, fmt.Errorf("regular expression %q: %w", pattern, err)
	}
	prog, err := syntax.Compile(re.Simplify())
	if err != nil {
		return nil, fmt.Errorf("regular expression %q: %w", pattern, err)
	}
	if cost := len(prog.Inst) * max(input, 1); cost > maxRegexOp {
		return nil, limitError("the regular expression %.40q is too costly for an input of %d bytes (%d instructions)", pattern, input, len(prog.Inst))
	}
	return regexp.Compile(pattern)
}

// regexFuncs are the bounded regular-expression helpers, with sprig's
// names and argument order.
func regexFuncs(lim Limits) map[string]any {
	list := func(n int) error {
		if n > lim.MaxList {
			return limitError("a regular expression returned %d elements; at most %d are allowed", n, lim.MaxList)
		}
		return nil
	}
	count := func(n int) int {
		if n < 0 || n > lim.MaxList {
			return lim.MaxList + 1
		}
		return n
	}
	replace := func(literal bool) func(pattern, s, repl string) (string, error) {
		return func(pattern, s, repl string) (string, error) {
			re, err := compileBounded(pattern, len(s))
			if err != nil {
				return "", err
			}
			matches := re.FindAllStringIndex(s, lim.MaxList+1)
			if err := list(len(matches)); err != nil {
				return "", err
			}
			refs := 0
			if !literal {
				refs = strings.Count(repl, "$")
			}
			// each match becomes repl, each $ reference at most the match
			if n := len(s) + len(matches)*len(repl) + refs*len(s); n > lim.MaxString {
				return "", limitError("regexReplaceAll could return %d bytes; at most %d are allowed", n, lim.MaxString)
			}
			if literal {
				return re.ReplaceAllLiteralString(s, repl), nil
			}
			return re.ReplaceAllString(s, repl), nil
		}
	}
	return map[string]any{
		"regexMatch": func(pattern, s string) (bool, error) {
			re, err := compileBounded(pattern, len(s))
			if err != nil {
				return false, err
			}
			return re.MatchString(s), nil
		},
		"regexFind": func(pattern, s string) (string, error) {
			re, err := compileBounded(pattern, len(s))
			if err != nil {
				return "", err
			}
			return re.FindString(s), nil
		},
		"regexFindAll": func(pattern, s string, n int) ([]string, error) {
			re, err := compileBounded(pattern, len(s))
			if err != nil {
				return nil, err
			}
			out := re.FindAllString(s, count(n))
			return out, list(len(out))
		},
		"regexSplit": func(pattern, s string, n int) ([]string, error) {
			re, err := compileBounded(pattern, len(s))
			if err != nil {
				return nil, err
			}
			out := re.Split(s, count(n))
			return out, list(len(out))
		},
		"regexReplaceAll":        replace(false),
		"regexReplaceAllLiteral": replace(true),
		"regexQuoteMeta":         regexp.QuoteMeta,
	}
}

// uniq is sprig's uniq in linear time: sprig compares every element with
// every kept one (100,000 elements took minutes). Elements that cannot be
// map keys (lists, dictionaries) are compared deeply, and there may be
// only a few of them.
func uniq(lim Limits) func(list any) ([]any, error) {
	return func(list any) ([]any, error) {
		v := reflect.ValueOf(list)
		if v.Kind() != reflect.Slice && v.Kind() != reflect.Array {
			return nil, fmt.Errorf("uniq: cannot take a %T", list)
		}
		if v.Len() > lim.MaxList {
			return nil, limitError("uniq of %d elements; at most %d are allowed", v.Len(), lim.MaxList)
		}
		seen := map[any]bool{}
		var odd, out []any
	next:
		for i := 0; i < v.Len(); i++ {
			x := v.Index(i).Interface()
			if x == nil || reflect.TypeOf(x).Comparable() {
				if !seen[x] {
					seen[x] = true
					out = append(out, x)
				}
				continue
			}
			for _, o := range odd {
				if reflect.DeepEqual(o, x) {
					continue next
				}
			}
			if len(odd) == 1000 {
				return nil, limitError("uniq: at most 1000 lists or dictionaries can be compared")
			}
			odd = append(odd, x)
			out = append(out, x)
		}
		return out, nil
	}
}
