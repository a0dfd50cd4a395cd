package tmpl

import (
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
var DefaultLimits = Limits{
	Timeout:    2 * time.Second,
	MaxOutput:  16 << 20,
	MaxLoops:   1_000_000,
	MaxDepth:   64,
	MaxString:  1 << 20,
	MaxList:    100_000,
	MaxLiteral: 100_000,
}

func (l Limits) withDefaults() Limits {
	d := DefaultLimits
	if l.Timeout > 0 {
		d.Timeout = l.Timeout
	}
	if l.MaxOutput > 0 {
		d.MaxOutput = l.MaxOutput
	}
	if l.MaxLoops > 0 {
		d.MaxLoops = l.MaxLoops
	}
	if l.MaxDepth > 0 {
		d.MaxDepth = l.MaxDepth
	}
	if l.MaxString > 0 {
		d.MaxString = l.MaxString
	}
	if l.MaxList > 0 {
		d.MaxList = l.MaxList
	}
	if l.MaxLiteral > 0 {
		d.MaxLiteral = l.MaxLiteral
	}
	return d
}

// ErrLimit is wrapped by every error that stopped a template at a limit.
var ErrLimit = errors.New("template limit reached")

func limitError(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrLimit, fmt.Sprintf(format, args...))
}
