package tmpl

import (
	"cmp"
	"errors"
	"fmt"
	"time"
)

// Limits bound one template execution. The zero value of a field means its
// default.
type Limits struct {
	Timeout    time.Duration // wall time of one execution (default 2s)
	MaxOutput  int           // bytes one execution may write (default 16 MiB)
	MaxLoops   int           // range iterations in one execution, all loops together (default 1,000,000)
	MaxDepth   int           // nested {{template}} calls (default 64)
	MaxString  int           // bytes of any string a helper returns (default 1 MiB)
	MaxList    int           // elements of any list a helper returns, and of until/seq (default 100,000)
	MaxLiteral int           // largest integer literal a template may range over (default 100,000)
}

// DefaultLimits are the limits used when none are configured.
func DefaultLimits() Limits {
	return Limits{
		Timeout:    2 * time.Second,
		MaxOutput:  16 << 20,
		MaxLoops:   1_000_000,
		MaxDepth:   64,
		MaxString:  1 << 20,
		MaxList:    100_000,
		MaxLiteral: 100_000,
	}
}

func (l Limits) withDefaults() Limits {
	d := DefaultLimits()
	orDefault(&l.Timeout, d.Timeout)
	for _, f := range []struct{ v, d *int }{{&l.MaxOutput, &d.MaxOutput}, {&l.MaxLoops, &d.MaxLoops},
		{&l.MaxDepth, &d.MaxDepth}, {&l.MaxString, &d.MaxString}, {&l.MaxList, &d.MaxList}, {&l.MaxLiteral, &d.MaxLiteral}} {
		orDefault(f.v, *f.d)
	}
	return l
}

// orDefault sets *v to def unless it is positive.
func orDefault[T cmp.Ordered](v *T, def T) {
	var zero T
	if *v <= zero {
		*v = def
	}
}

// ErrLimit is wrapped by every error that stopped a template at a limit.
var ErrLimit = errors.New("template limit reached")

func limitError(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrLimit, fmt.Sprintf(format, args...))
}
