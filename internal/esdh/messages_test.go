package esdh

import (
	"context"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"protokol/internal/srctest"
)

// Every problem an export can give has its Danish: the formats given to
// msg and to a reader's problem are read from the source, so a new one
// without its translation fails here.
func TestEveryProblemHasItsDanish(t *testing.T) {
	format := regexp.MustCompile(`(?:\bmsg|r\.problem\([^,]+,)\(?\s*("(?:[^"\\]|\\.)*")`)
	seen := 0
	for f, src := range srctest.Files(t) {
		if f == "messages.go" {
			continue
		}
		for _, m := range format.FindAllStringSubmatch(src, -1) {
			s, err := strconv.Unquote(m[1])
			if err != nil {
				t.Fatal(err)
			}
			seen++
			if danishFormats[s] == "" {
				t.Errorf("%s: no Danish for %q", f, s)
			}
		}
	}
	if seen < 25 {
		t.Errorf("only %d problems found in the source: the pattern no longer finds them", seen)
	}
	for _, kind := range content {
		if danishLost[kind][0] == "" || danishLost[kind][1] == "" {
			t.Errorf("no Danish for a text's lost %q", kind)
		}
	}
}

// A reader of Danish gets an export's problems in Danish, what a text
// lost in Danish words and numbers, and a broken export's too; the
// English stays the problem's Message.
func TestProblemsInDanish(t *testing.T) {
	x := `<Dagsorden Åben="true"><Møde Udvalg="U" Mødedato="1. maj 2018" Mødetid="9:00" Mødested="R"/><Dagsordenpunkter>` +
		`<Dagsordenpunkt Nummer="1" Åbent="måske"><Overskrift>T</Overskrift><Indhold>&lt;p&gt;Se &lt;img src="a.png"&gt;&lt;img src="b.png"&gt;&lt;object&gt;&lt;/object&gt;&lt;/p&gt;</Indhold></Dagsordenpunkt>` +
		`</Dagsordenpunkter></Dagsorden>`
	res, err := Import(context.Background(), "", []byte(x), Options{})
	if err != nil {
		t.Fatal(err)
	}
	var en, da []string
	for _, p := range res.Problems {
		en, da = append(en, p.String()), append(da, p.Text("da"))
	}
	want := []string{`Åbent="måske" er hverken true eller false: punktet regnes for lukket`, "1 indlejret objekt og 2 billeder er udeladt af teksten", "linje 1, /Dagsorden"}
	for _, w := range want {
		if !strings.Contains(strings.Join(da, "\n"), w) {
			t.Errorf("the problems in Danish lack %q:\n%s", w, strings.Join(da, "\n"))
		}
	}
	if !strings.Contains(strings.Join(en, "\n"), "1 embedded object and 2 pictures left out of the text") || res.Problems[0].Message != res.Problems[0].In("en").Message {
		t.Errorf("the problems in English: %s", strings.Join(en, "\n"))
	}
	_, err = Import(context.Background(), "", []byte(`<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><x/>`), Options{})
	xe, ok := err.(*Error)
	if !ok || !strings.Contains(xe.Text("da"), "eksporten kan ikke læses; linje 1, /: eksporten erklærer en DTD") || !strings.Contains(xe.Error(), "the export cannot be read; line 1, /: the export declares a DTD") {
		t.Errorf("a broken export in Danish: %v", err)
	}
}
