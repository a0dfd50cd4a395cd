package server

import (
	"context"
	"sync/atomic"
	"time"
)

// limiter bounds concurrent renders and the queue in front of them, so an
// overload turns into quick 503s instead of a pile of requests eating
// memory.
type limiter struct {
	slots   chan struct{}
	waiting atomic.Int64
	queue   int64
	wait    time.Duration
}

func newLimiter(concurrent, queue int, wait time.Duration) *limiter {
	return &limiter{slots: make(chan struct{}, concurrent), queue: int64(queue), wait: wait}
}

// acquire takes a render slot, waiting in the queue if there is room in
// it; release must follow a nil error.
func (l *limiter) acquire(ctx context.Context) error {
	select {
	case l.slots <- struct{}{}:
		return nil
	default:
	}
	if l.waiting.Add(1) > l.queue {
		l.waiting.Add(-1)
		return overloaded(1, "all render slots are busy and the queue is full; try again shortly")
	}
	defer l.waiting.Add(-1)
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
