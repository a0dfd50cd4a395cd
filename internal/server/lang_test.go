package server

import (
	"encoding/json"
	"testing"
)

// Problems come in the client's language: the lang parameter, else
// Accept-Language, else English; each keeps its field and gains its
// location in words.
func TestProblemsInTheClientsLanguage(t *testing.T) {
	s := newServer(t, testConfig())
	body := []byte(`{"municipality":"X","committee":"","start":"2014-08-19T13:00:00+02:00","location":"S","items":[{"number":"1","title":"T","duration_minutes":-3}]}`)
	for _, c := range []struct {
		target, accept, message, location, detail string
	}{
		{"/v1/agenda", "", "is required", "Committee", "2 problems; see errors"},
		{"/v1/agenda", "da-DK,da;q=0.9,en;q=0.8", "skal udfyldes", "Udvalg", "2 problemer; se errors"},
		{"/v1/agenda", "fr-FR,en;q=0.5", "is required", "Committee", "2 problems; see errors"},
		{"/v1/agenda?lang=da", "en", "skal udfyldes", "Udvalg", "2 problemer; se errors"},
	} {
		w := do(t, s, "POST", c.target, body, "Accept-Language", c.accept)
		var p Problem
		if err := json.Unmarshal(w.Body.Bytes(), &p); err != nil || w.Code != 422 || len(p.Errors) != 2 {
			t.Fatalf("%s %q: %d %s", c.target, c.accept, w.Code, w.Body)
		}
		fe := p.Errors[0]
		if fe.Field != "committee" || fe.Message != c.message || fe.Location != c.location || p.Detail != c.detail {
			t.Errorf("%s %q: %+v, detail %q", c.target, c.accept, fe, p.Detail)
		}
	}
}
