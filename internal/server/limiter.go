package server

import (
	"context"
	"time"
)

// limiter bounds the requests a server holds. A request first needs a
// ticket (at most concurrent + queue exist, so at most that many bodies are
// read and held), then a render slot (at most concurrent), waiting at most
// wait for it. Beyond that it is refused at once with 503: overload turns
// into fast refusals, never into a pile of requests eating memory.
type limiter struct {
	tickets chan struct{}
	slots   chan struct{}
	wait    time.Duration
}

func newLimiter(concurrent, queue int, wait time.Duration) *limiter {
	return &limiter{tickets: make(chan struct{}, concurrent+queue), slots: make(chan struct{}, concurrent), wait: wait}
}

// admit takes a ticket or refuses; leave must follow a nil error.
func (l *limiter) admit() error {
	select {
	case l.tickets <- struct{}{}:
		return nil
	default:
		return overloaded(1, "all render slots are busy and the queue is full; try again shortly")
	}
}

func (l *limiter) leave() { <-l.tickets }

// acquire takes a render slot, waiting up to the limit; release must
// follow a nil error.
func (l *limiter) acquire(ctx context.Context) error {
	select {
	case l.slots <- struct{}{}:
		return nil
	default:
	}
	t := time.NewTimer(l.wait)
	defer t.Stop()
	select {
	case l.slots <- struct{}{}:
		return nil
	case <-t.C:
		return overloaded(2, "no render slot became free in time; try again shortly")
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (l *limiter) release() { <-l.slots }

// inFlight is the number of renders running.
func (l *limiter) inFlight() int { return len(l.slots) }
