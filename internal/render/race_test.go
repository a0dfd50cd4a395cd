package render_test

import (
	"bytes"
	"context"
	"sync"
	"testing"

	"protokol/internal/data"
	"protokol/internal/render"
)

// TestConcurrentRendersAgree renders at once from many goroutines (run
// with -race): fonts, parser and templates are shared, documents not.
func TestConcurrentRendersAgree(t *testing.T) {
	r := newRenderer(t)
	want := renderMeeting(t, r, "minutes", meeting(t), render.Options{}).Body
	var wg sync.WaitGroup
	errs := make(chan string, 8)
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			doc := data.DocMinutes
			if i%2 == 1 {
				doc = "agenda"
			}
			res, err := r.Meeting(context.Background(), doc, meeting(t), render.Options{})
			if err != nil {
				errs <- err.Error()
				return
			}
			if doc == "minutes" && !bytes.Equal(res.Body, want) {
				errs <- "a concurrent render differs"
			}
		}()
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}

// TestConcurrentPacketsAgree: packets read their files with pdfcpu at
// once (run with -race): nothing of one file reaches another's packet.
func TestConcurrentPacketsAgree(t *testing.T) {
	r := newRenderer(t)
	want := renderMeeting(t, r, data.DocAgenda, meeting(t), render.Options{Files: exampleFiles(t)}).Body
	var wg sync.WaitGroup
	errs := make(chan string, 4)
	for range 4 {
		wg.Go(func() {
			res, err := r.Meeting(context.Background(), data.DocAgenda, meeting(t), render.Options{Files: exampleFiles(t)})
			if err != nil {
				errs <- err.Error()
			} else if !bytes.Equal(res.Body, want) {
				errs <- "a concurrent packet differs"
			}
		})
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}
