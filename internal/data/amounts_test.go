package data

import (
	"github.com/go-json-experiment/json"
	"testing"

	"github.com/shopspring/decimal"
)

func TestAmountsKeepEveryDigit(t *testing.T) {
	var a Amounts
	in := `{"a": 0.1, "b": "-123456789012.07", "c": 1e3, "d": 123456789012345678901234.5, "e": -0, "f": "0.000001", "g": null, "h": 999999999999999999}`
	if err := json.Unmarshal([]byte(in), &a); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"a": "0.1", "b": "-123456789012.07", "c": "1000", "d": "123456789012345678901234.5", "e": "0", "f": "0.000001", "h": "999999999999999999"}
	if len(a) != len(want) {
		t.Fatalf("%d amounts, want %d: %+v", len(a), len(want), a)
	}
	for k, w := range want {
		v, ok := a.Get(k)
		if !ok || v.String() != w {
			t.Errorf("%s = %v (%v), want %s", k, v, ok, w)
		}
	}
	for _, bad := range []string{`{"a": "12 kr"}`, `{"a": true}`, `{"a": [1]}`, `{"a": "1.2.3"}`, `{"a": "."}`, `{"a": "-"}`} {
		if err := json.Unmarshal([]byte(bad), &a); err == nil {
			t.Errorf("%s accepted", bad)
		}
	}
}

// FuzzAmount checks the fast amount reader against decimal's own parser.
func FuzzAmount(f *testing.F) {
	for _, s := range []string{"0", "-0", "0.1", "123456789012.07", "999999999999999999", "1000000000000000000", "1e3", "-.5", "1.", "00012.3400", "٣"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := parseAmount("k", []byte(s))
		want, werr := decimal.NewFromString(s)
		if (err == nil) != (werr == nil) {
			t.Fatalf("%q: parseAmount error %v, decimal error %v", s, err, werr)
		}
		if err == nil && !got.Value().Equal(want) {
			t.Fatalf("%q: parseAmount %s, decimal %s", s, got.Value(), want)
		}
	})
}
