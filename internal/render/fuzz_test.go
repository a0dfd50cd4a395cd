package render_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"protokol/examples"
	"protokol/internal/data"
	"protokol/internal/render"
)

// FuzzMeeting decodes arbitrary bytes as a meeting; whatever validates must
// render as agenda and minutes, public or not, in both embedded sets,
// without error or panic.
// Run it with: go test ./internal/render -fuzz FuzzMeeting
func FuzzMeeting(f *testing.F) {
	f.Add(examples.Read(examples.Meeting))
	for _, s := range []string{
		`{"municipality":"M","committee":"C","start":"2014-08-19T13:00:00+02:00","location":"L","items":[{"number":"1","title":"T"}]}`,
		`{"municipality":"M 😀","committee":"C\u0000\u202e","start":"2014-08-19T13:00:00-11:00","location":"L","language":"en","note":"# x\n\n<!-- toc -->\n[a](#punkt-1)","items":[{"number":"1.a.","title":"**T** {#x}","access":"closed","summary":"| a |\n|---|\n| ` + "`b`" + ` |","decision":"- [x] done\n\n> q\n\n    code"}]}`,
		`{"municipality":"M","committee":"C","start":"2014-08-19T13:00:00Z","location":"L","groups":[{"code":"A","title":"G"}],"items":[{"number":"1","title":"T","group":"A","sections":[{"heading":"H","body":"1. a\n   1. b\n      - c\n\n![img](x.png) <br> &amp; &#128512; \\*"}],"attachments":[{"title":"B","access":"closed"}],"budget_tables":[{"title":"T","columns":[{"key":"a","label":"A"},{"key":"b","label":"B","formula":"-a"}],"rows":[{"label":"g","rows":[{"label":"x","values":{"a":"0.1"}}]}]}]}]}`,
		`{"municipality":"M","committee":"C","start":"2014-08-19T13:00:00+02:00","location":"L","items":[{"number":"1","title":"` + longWord + `"}]}`,
	} {
		f.Add([]byte(s))
	}
	r := newRenderer(f)
	f.Fuzz(func(t *testing.T, body []byte) {
		done := make(chan struct{})
		go func() {
			defer close(done)
			m, err := data.DecodeMeeting(body)
			if err != nil {
				return
			}
			for _, set := range []string{"default", "compact"} {
				for _, doc := range []data.Document{data.DocAgenda, data.DocMinutes} {
					for _, public := range []bool{false, true} {
						if _, err := r.Meeting(context.Background(), doc, m, render.Options{Template: set, Public: public}); err != nil {
							t.Errorf("%s/%s (public %v) of a valid meeting failed: %v", set, doc, public, err)
						}
					}
				}
			}
		}()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			panic(fmt.Sprintf("rendering hangs on %q", body))
		}
	})
}

const longWord = "Aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"

// FuzzBudget does the same for budgets, to PDF and workbook.
func FuzzBudget(f *testing.F) {
	f.Add(examples.Read(examples.Budget))
	f.Add([]byte(`{"title":"B","tables":[{"title":"[T]:*?/\\","unit":"mio. kr.","decimals":4,"budget":-1,"columns":[{"key":"a","label":"A"}],"rows":[{"label":"x","values":{"a":-0.00005}}]}]}`))
	f.Add(manyTables(12, 2)) // sheets 10 and up, their print names
	r := newRenderer(f)
	f.Fuzz(func(t *testing.T, body []byte) {
		b, err := data.DecodeBudget(body)
		if err != nil {
			return
		}
		if _, err := r.BudgetPDF(context.Background(), b, render.Options{}); err != nil {
			t.Fatalf("PDF of a valid budget failed: %v", err)
		}
		if _, err := r.BudgetXLSX(context.Background(), b, render.Options{}); err != nil {
			t.Fatalf("workbook of a valid budget failed: %v", err)
		}
		// and from its JSON, the rows read a table at a time as they are written
		if _, err := render.Job(context.Background(), r, "budget", "xlsx", body, render.Options{}); err != nil {
			t.Fatalf("workbook of a valid budget's JSON failed: %v", err)
		}
	})
}
