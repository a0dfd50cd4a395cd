package server

import (
	"context"
	"fmt"
	"time"

	"golang.org/x/sync/semaphore"
)

// limiter bounds what the server holds: memory, requests and renders.
//
//   - Memory: every body byte read and every render's expected cost is
//     taken from one budget of bytes (--memory-budget). A body is counted
//     as it arrives, so a slow client holds only what it has sent; a render
//     takes its cost (see cost) before it starts, and a document whose cost
//     alone is over the budget is refused with 413.
//   - Requests: a request whose body has been read needs a ticket (at most
//     concurrent + queue exist), then a render slot (at most concurrent),
//     waiting at most wait for the slot and its memory. Beyond that it is
//     refused at once with 503: overload turns into fast refusals, never
//     into a pile of requests eating memory. Tickets are taken after the
//     body is read, so slow uploads cannot hold the queue.
type limiter struct {
	tickets chan struct{}
	slots   chan struct{}
	mem     *semaphore.Weighted
	budget  int64
	wait    time.Duration
}

func newLimiter(concurrent, queue int, wait time.Duration, budget int64) *limiter {
	return &limiter{tickets: make(chan struct{}, concurrent+queue), slots: make(chan struct{}, concurrent),
		mem: semaphore.NewWeighted(budget), budget: budget, wait: wait}
}

// admit takes a ticket or refuses; leave must follow a nil error.
func (l *limiter) admit() error {
	select {
	case l.tickets <- struct{}{}:
		return nil
	default:
		return overloaded(1, "all render slots are busy and the queue is full; try again shortly", "alle pladser til dannelse er optaget, og køen er fuld; prøv igen om lidt")
	}
}

func (l *limiter) leave() { <-l.tickets }

// reserve takes n bytes of the memory budget for a body as it is read,
// waiting up to the limit for them; release them with free.
func (l *limiter) reserve(ctx context.Context, n int64) error {
	if l.mem.TryAcquire(n) {
		return nil
	}
	wctx, cancel := context.WithTimeout(ctx, l.wait)
	defer cancel()
	if err := l.mem.Acquire(wctx, n); err != nil {
		if err := ctx.Err(); err != nil {
			return err
		}
		return overloaded(2, "the service holds as much as its memory allows; try again shortly", "tjenesten har så meget i hukommelsen, som den kan; prøv igen om lidt")
	}
	return nil
}

func (l *limiter) free(n int64) {
	if n > 0 {
		l.mem.Release(n)
	}
}

// acquire takes a render slot and cost bytes of memory, waiting up to the
// limit for both; release must follow a nil error.
func (l *limiter) acquire(ctx context.Context, cost int64) error {
	wctx, cancel := context.WithTimeout(ctx, l.wait)
	defer cancel()
	select {
	case l.slots <- struct{}{}:
	case <-wctx.Done():
		if err := ctx.Err(); err != nil {
			return err
		}
		return overloaded(2, "no render slot became free in time; try again shortly", "ingen plads til dannelse blev ledig i tide; prøv igen om lidt")
	}
	if cost > 0 {
		if err := l.mem.Acquire(wctx, cost); err != nil {
			<-l.slots
			if err := ctx.Err(); err != nil {
				return err
			}
			return overloaded(2, "not enough memory became free in time; try again shortly", "der blev ikke hukommelse nok ledig i tide; prøv igen om lidt")
		}
	}
	return nil
}

func (l *limiter) release(cost int64) {
	l.free(cost)
	<-l.slots
}

// inFlight is the number of renders running.
func (l *limiter) inFlight() int { return len(l.slots) }

// tooLarge is a document whose render would need more memory than the
// whole budget.
type tooLarge struct{ cost, budget int64 }

func (e *tooLarge) Error() string {
	return fmt.Sprintf("rendering it would take about %d MiB, more than the service's memory budget of %d MiB", e.cost>>20, e.budget>>20)
}

func (e *tooLarge) danish() string {
	return fmt.Sprintf("at danne det ville bruge omkring %d MiB, mere end tjenestens hukommelsesbudget på %d MiB", e.cost>>20, e.budget>>20)
}
