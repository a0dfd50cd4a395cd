package seal

import (
	"errors"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"
)

// Every problem verify can give has its Danish words: each format the
// seal's checks add, each error text this package makes and each
// beginning of a wrapped one (read from the source, so a new message
// without a translation fails here).
func TestEveryProblemHasItsDanish(t *testing.T) {
	src := func(name string) string {
		b, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	for _, m := range regexp.MustCompile(`s\.problem\("((?:[^"\\]|\\.)*)"`).FindAllStringSubmatch(src("verify.go"), -1) {
		if _, ok := danishFormats[m[1]]; !ok {
			t.Errorf("no Danish for the problem %q", m[1])
		}
	}
	prefixes := map[string]bool{}
	for _, p := range danishPrefixes {
		prefixes[p[0]] = true
	}
	read := src("read.go") // the errors a seal's problems carry
	for _, m := range regexp.MustCompile(`errors\.New\("([^"]*)"\)`).FindAllStringSubmatch(read, -1) {
		if _, ok := danishErrors[m[1]]; !ok {
			t.Errorf("no Danish for the error %q", m[1])
		}
	}
	for _, m := range regexp.MustCompile(`fmt\.Errorf\("([^"%]*)%w"`).FindAllStringSubmatch(read, -1) {
		if !prefixes[m[1]] {
			t.Errorf("no Danish for the beginning %q", m[1])
		}
	}
}

// A problem reads in Danish with its time in Danish time and a wrapped
// error's known words translated; in English as it was written.
func TestProblemsInDanish(t *testing.T) {
	s := &Seal{}
	at := time.Date(2020, 3, 1, 8, 30, 0, 0, time.UTC)
	s.problem("a certificate of the chain was revoked on %v and no trusted timestamp shows the seal is older", at)
	s.problem("%v", errors.New("the timestamp: the signature does not verify: crypto/ecdsa: verification error"))
	r := (&Report{Seals: []Seal{*s}}).In("da")
	want := []string{"et certifikat i kæden blev spærret 01.03.2020 kl. 09.30, og intet betroet tidsstempel viser, at seglet er ældre",
		"tidsstemplet: signaturen kan ikke verificeres: crypto/ecdsa: verification error"}
	if got := r.Seals[0].Problems; strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("in Danish:\n%q\nnot\n%q", got, want)
	}
	if en := (&Report{Seals: []Seal{*s}}).In("en").Seals[0].Problems; en[0] != "a certificate of the chain was revoked on 2020-03-01T08:30:00Z and no trusted timestamp shows the seal is older" || en[0] != s.Problems[0] {
		t.Errorf("in English: %q", en)
	}
}
