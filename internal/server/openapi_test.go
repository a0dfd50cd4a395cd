package server

import (
	"context"
	"encoding/json"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"protokol/examples"
	"protokol/internal/data"
)

func loadOpenAPI(t *testing.T) *openapi3.T {
	t.Helper()
	s := newServer(t, testConfig())
	w := do(t, s, "GET", "/openapi.json", nil)
	if w.Code != 200 {
		t.Fatalf("status %d", w.Code)
	}
	doc, err := openapi3.NewLoader().LoadFromData(w.Body.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		t.Fatalf("the OpenAPI document is not valid: %v", err)
	}
	return doc
}

func TestOpenAPISchemasAcceptTheFixtures(t *testing.T) {
	doc := loadOpenAPI(t)
	for _, ex := range []struct{ schema, file string }{{"Meeting", examples.Meeting}, {"Meeting", examples.Minutes}, {"Budget", examples.Budget}} {
		schema, file := ex.schema, ex.file
		var v any
		if err := json.Unmarshal(fixture(t, file), &v); err != nil {
			t.Fatal(err)
		}
		if err := doc.Components.Schemas[schema].Value.VisitJSON(v); err != nil {
			t.Errorf("%s schema rejects %s: %v", schema, file, err)
		}
	}
	var bad any
	_ = json.Unmarshal([]byte(`{"municipality":"M","committee":"C","start":"2014-08-19T13:00:00+02:00","location":"L","items":[{"number":"1","title":"T","numbr":"x"}]}`), &bad)
	if err := doc.Components.Schemas["Meeting"].Value.VisitJSON(bad); err == nil {
		t.Error("the schema should refuse unknown fields, as the service does")
	}
	for _, p := range []string{"/v1/agenda", "/v1/minutes", "/v1/budget", "/v1/templates", "/healthz", "/readyz", "/metrics", "/openapi.json"} {
		if doc.Paths.Find(p) == nil {
			t.Errorf("no path %s", p)
		}
	}
	for _, code := range []string{"400", "404", "413", "422", "500", "503"} {
		if doc.Paths.Find("/v1/agenda").Post.Responses.Value(code) == nil {
			t.Errorf("/v1/agenda does not describe %s", code)
		}
	}
}

// TestOpenAPIMatchesTheGoTypes keeps the description and the decoder in
// step: every JSON field of the Go types is described, and nothing more.
func TestOpenAPIMatchesTheGoTypes(t *testing.T) {
	doc := loadOpenAPI(t)
	for name, typ := range map[string]reflect.Type{
		"Meeting": reflect.TypeFor[data.Meeting](), "Participant": reflect.TypeFor[data.Participant](), "Group": reflect.TypeFor[data.Group](),
		"Item": reflect.TypeFor[data.Item](), "Section": reflect.TypeFor[data.Section](), "Attachment": reflect.TypeFor[data.Attachment](),
		"Budget": reflect.TypeFor[data.Budget](), "BudgetTable": reflect.TypeFor[data.BudgetTable](), "Column": reflect.TypeFor[data.Column](),
		"Row": reflect.TypeFor[data.Row](),
	} {
		var goFields, described []string
		for i := 0; i < typ.NumField(); i++ {
			tag, _, _ := strings.Cut(typ.Field(i).Tag.Get("json"), ",")
			if tag != "" && tag != "-" {
				goFields = append(goFields, tag)
			}
		}
		for p := range doc.Components.Schemas[name].Value.Properties {
			described = append(described, p)
		}
		sort.Strings(goFields)
		sort.Strings(described)
		if strings.Join(goFields, ",") != strings.Join(described, ",") {
			t.Errorf("%s: Go fields %v, described %v", name, goFields, described)
		}
	}
}
