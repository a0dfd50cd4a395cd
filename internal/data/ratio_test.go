package data

import (
	"errors"
	"strconv"
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

// A status column: checked against its rule, computed on every line,
// subtotal and total from the column it is over (percent points for a
// percent column), none where that has none.
func TestStatusColumns(t *testing.T) {
	doc := func(status string) string {
		return `{"title":"B","tables":[{"title":"T","columns":[{"key":"budget","label":"Budget"},{"key":"actual","label":"Forbrug"},
			{"key":"p","label":"Forbrug i %","formula":"actual / budget","format":"percent"},` + status + `],
			"rows":[{"label":"a","values":{"budget":100,"actual":97}},{"label":"b","values":{"budget":100,"actual":85}},
			{"label":"c","values":{"budget":100,"actual":50}},{"label":"d","values":{"budget":0,"actual":5}}]}]}`
	}
	for status, want := range map[string]string{
		`{"key":"s","label":"S","status":{"of":"p","green":95,"yellow":80}}`:                                 "er en statuskolonne",
		`{"key":"s","label":"S","format":"status","status":{"of":"x","green":95,"yellow":80}}`:               `"x" er ikke nøglen`,
		`{"key":"s","label":"S","format":"status","status":{"of":"p","green":80,"yellow":95}}`:               "ligger over grøn",
		`{"key":"s","label":"S","format":"status","formula":"p","status":{"of":"p","green":95,"yellow":80}}`: "beregnes efter sin regel",
	} {
		_, err := DecodeBudget([]byte(doc(status)))
		var ve *ValidationError
		if !errors.As(err, &ve) || !strings.Contains(ve.In("da").Error(), want) {
			t.Errorf("%s: %v, want %q", status, err, want)
		}
	}
	b, err := DecodeBudget([]byte(doc(`{"key":"s","label":"S","format":"status","status":{"of":"p","green":95,"yellow":80}}`)))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	_ = b.Tables[0].Walk(TableLabels{Total: "I alt"}, func(r *CalcRow) error {
		if r.Blank[3] {
			got = append(got, r.Label+"=–")
		} else {
			got = append(got, r.Label+"="+[]string{"red", "yellow", "green"}[r.Values[3].IntPart()])
		}
		return nil
	})
	// the total: 237 of 300, 79 %: red
	if want := "a=green b=yellow c=red d=– I alt=red"; strings.Join(got, " ") != want {
		t.Errorf("statuses %v, want %s", got, want)
	}
}

// A status column without a rule: each line gives its mark; a subtotal or
// total has none; a mark that is not a status, or one for another column,
// is named.
func TestStatusMarksGivenByTheRows(t *testing.T) {
	doc := func(marks string) string {
		return `{"title":"B","tables":[{"title":"T","columns":[{"key":"budget","label":"Budget"},{"key":"s","label":"Status","format":"status"}],
			"rows":[{"label":"a","values":{"budget":1},"marks":` + marks + `},{"label":"b","values":{"budget":2}}]}]}`
	}
	for marks, want := range map[string]string{
		`{"s":"blue"}`:     `skal være "green", "yellow" eller "red", ikke "blue"`,
		`{"budget":"red"}`: "er ikke en statuskolonne uden regel",
	} {
		_, err := DecodeBudget([]byte(doc(marks)))
		var ve *ValidationError
		if !errors.As(err, &ve) || !strings.Contains(ve.In("da").Error(), want) {
			t.Errorf("%s: %v, want %q", marks, err, want)
		}
	}
	b, err := DecodeBudget([]byte(doc(`{"s":"yellow"}`)))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	_ = b.Tables[0].Walk(TableLabels{Total: "I alt"}, func(r *CalcRow) error {
		if r.Blank[1] {
			got = append(got, r.Label+"=–")
		} else {
			got = append(got, r.Label+"="+[]string{"red", "yellow", "green"}[r.Values[1].IntPart()])
		}
		return nil
	})
	if want := "a=yellow b=– I alt=–"; strings.Join(got, " ") != want {
		t.Errorf("marks %v, want %s", got, want)
	}
}

// A chart of more categories than it shows is refused, in Danish words.
func TestChartOfTooManyCategories(t *testing.T) {
	var rows []string
	for i := range MaxChartCategories + 1 {
		rows = append(rows, `{"label":"r`+strconv.Itoa(i)+`","values":{"a":1}}`)
	}
	doc := `{"title":"B","tables":[{"title":"T","columns":[{"key":"a","label":"A"}],"charts":[{"title":"C","columns":["a"]}],"rows":[` + strings.Join(rows, ",") + `]}]}`
	_, err := DecodeBudget([]byte(doc))
	var ve *ValidationError
	if !errors.As(err, &ve) || !strings.Contains(ve.In("da").Error(), "et diagram over tabellens linjer ville vise 51; højst 50") {
		t.Errorf("%v", err)
	}
}
