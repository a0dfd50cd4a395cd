package server

import (
	"encoding/json"
	"testing"
)

// FuzzEndpoints posts arbitrary bodies: the answer is a document or a
// problem, never a 500.
// Run it with: go test ./internal/server -fuzz FuzzEndpoints
func FuzzEndpoints(f *testing.F) {
	f.Add([]byte(`{"municipality":"M","committee":"C","start":"2014-08-19T13:00:00+02:00","location":"L","items":[{"number":"1","title":"T"}]}`), uint8(0))
	f.Add([]byte(`{"title":"B","tables":[{"title":"T","columns":[{"key":"a","label":"A"}],"rows":[{"label":"x","values":{"a":1}}]}]}`), uint8(2))
	f.Add([]byte("{\"municipality\":\"\xff\"}"), uint8(1))
	f.Add([]byte(`[]`), uint8(0))
	f.Add([]byte(`{"items":[{"number":{"a":1}}],"start":1e999}`), uint8(1))
	s := newServer(f, testConfig())
	targets := []string{"/v1/agenda", "/v1/minutes?public=true", "/v1/budget", "/v1/budget?format=pdf"}
	f.Fuzz(func(t *testing.T, body []byte, target uint8) {
		w := do(t, s, "POST", targets[int(target)%len(targets)], body)
		if w.Code >= 500 {
			t.Fatalf("status %d for %q: %s", w.Code, body, w.Body)
		}
		if w.Code != 200 && !json.Valid(w.Body.Bytes()) {
			t.Fatalf("an error that is not a JSON problem: %s", w.Body)
		}
	})
}
