package data

import (
	"errors"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
)

// A percent column is a ratio of two sums: parsed with its sides, checked
// against its format, computed exactly, with no value where the divisor is
// zero and a subtotal's ratio the ratio of its sums.
func TestPercentColumns(t *testing.T) {
	table := func(cols string) string {
		return `{"title":"B","tables":[{"title":"T","columns":[{"key":"actual","label":"Regnskab"},{"key":"budget","label":"Budget"},` + cols + `],
			"rows":[{"label":"x","values":{"actual":95,"budget":100}},{"label":"nul","values":{"actual":5,"budget":0}},
			{"label":"g","rows":[{"label":"y","values":{"actual":30,"budget":40}},{"label":"z","values":{"actual":10,"budget":10}}]}]}]}`
	}
	for cols, want := range map[string]string{
		`{"key":"p","label":"P","formula":"actual / budget","format":"percent"}`:            "",
		`{"key":"p","label":"P","formula":"(actual - budget) / budget","format":"percent"}`: "",
		`{"key":"p","label":"P","formula":"actual / budget"}`:                               "en brøk vises i procent",
		`{"key":"p","label":"P","formula":"actual / budget","format":"amount"}`:             "skal være en af",
		`{"key":"p","label":"P","format":"percent"}`:                                        "en procentkolonne beregnes",
		`{"key":"p","label":"P","formula":"actual - budget","format":"percent"}`:            "skal have en brøk",
		`{"key":"p","label":"P","formula":"actual - budget / budget","format":"percent"}`:   "sæt en side med mere end ét led i parentes",
		`{"key":"p","label":"P","formula":"actual / budget / budget","format":"percent"}`:   "dividerer mere end én gang",
		`{"key":"p","label":"P","formula":"(actual / budget","format":"percent"}`:           "en parentes er ikke lukket",
		`{"key":"p","label":"P","formula":"(actual) / ((budget))","format":"percent"}`:      "højst ét par parenteser",
		`{"key":"p","label":"P","formula":"actual / nothing","format":"percent"}`:           `"nothing" er ikke nøglen til en kolonne`,
	} {
		b, err := DecodeBudget([]byte(table(cols)))
		if want == "" {
			if err != nil {
				t.Errorf("%s: %v", cols, err)
				continue
			}
			if cols == `{"key":"p","label":"P","formula":"actual / budget","format":"percent"}` {
				checkRatios(t, &b.Tables[0])
			}
			continue
		}
		var ve *ValidationError
		if !errors.As(err, &ve) || !strings.Contains(ve.In("da").Error(), want) {
			t.Errorf("%s: %v, want a problem saying %q", cols, err, want)
		}
	}
}

func checkRatios(t *testing.T, tb *BudgetTable) {
	t.Helper()
	var got []string
	_ = tb.Walk(TableLabels{Total: "I alt"}, func(r *CalcRow) error {
		switch {
		case r.Kind == GroupRow:
		case r.Blank[2]:
			got = append(got, r.Label+"=–")
		default:
			got = append(got, r.Label+"="+r.Values[2].Mul(decimal.New(100, 0)).StringFixed(2))
		}
		return nil
	})
	// x 95/100; nul 5/0; the group 40/50; the total 140/150
	want := "x=95.00 nul=– y=75.00 z=100.00 g=80.00 I alt=93.33"
	if strings.Join(got, " ") != want {
		t.Errorf("ratios %v, want %s", got, want)
	}
}
