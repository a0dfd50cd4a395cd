package server

import (
	"os"
	"slices"
	"sync"
	"time"
)

// watched is a value made from files (the TLS certificate, the trust
// anchors and revocation lists), made again when one of them changes:
// checked at most once a second, when the value is asked for, so a
// renewed file is in use without a restart. A remake that fails keeps the
// last good value and is logged.
type watched[T any] struct {
	files []string
	load  func() (T, error)
	what  string // for the log: "TLS certificate"
	log   func(string, ...any)

	mu        sync.Mutex
	val       T
	stamps    []fileStamp
	failed    []fileStamp // the files as they were when a remake failed: not tried (or logged) again until they change
	lastCheck time.Time
}

// newWatched loads the value once; an error then is the caller's.
func newWatched[T any](what string, files []string, load func() (T, error), log func(string, ...any)) (*watched[T], error) {
	w := &watched[T]{files: files, load: load, what: what, log: log}
	st := w.stampsNow()
	v, err := load()
	if err != nil {
		return nil, err
	}
	w.val, w.stamps = v, st
	return w, nil
}

func (w *watched[T]) stampsNow() []fileStamp {
	st := make([]fileStamp, len(w.files))
	for i, f := range w.files {
		if info, err := os.Stat(f); err == nil {
			st[i] = fileStamp{info.ModTime(), info.Size()}
		}
	}
	return st
}

// get is the value, made again first when a file changed. The files
// are looked at and read outside the lock (a revocation list takes a
// while to parse): meanwhile the others get the last value.
func (w *watched[T]) get() T {
	w.mu.Lock()
	val := w.val
	if time.Since(w.lastCheck) < time.Second {
		w.mu.Unlock()
		return val
	}
	w.lastCheck = time.Now() // one look a second, whoever asks
	stamps, failed := w.stamps, w.failed
	w.mu.Unlock()
	st := w.stampsNow()
	if slices.Equal(st, stamps) || slices.Equal(st, failed) {
		return val
	}
	v, err := w.load()
	w.mu.Lock()
	defer w.mu.Unlock()
	if err != nil {
		w.log(w.what+" not reloaded; the last good one stays in use", "err", err.Error())
		w.failed = st
		return w.val
	}
	w.val, w.stamps, w.failed = v, st, nil
	w.log(w.what + " reloaded")
	return w.val
}
