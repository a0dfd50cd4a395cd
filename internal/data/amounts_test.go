package data

import (
	"encoding/json"
	"testing"
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
