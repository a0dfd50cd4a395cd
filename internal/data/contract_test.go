package data

import (
	"os"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// docs/contract.md is the reference users read: each of its field tables
// must list exactly the JSON fields of the Go type it describes.
func TestContractDocumentListsEveryField(t *testing.T) {
	doc, err := os.ReadFile("../../docs/contract.md")
	if err != nil {
		t.Fatal(err)
	}
	types := map[string]reflect.Type{
		"Meeting": reflect.TypeFor[Meeting](), "Participant": reflect.TypeFor[Participant](), "Group": reflect.TypeFor[Group](),
		"Item": reflect.TypeFor[Item](), "Attachment": reflect.TypeFor[Attachment](), "Budget": reflect.TypeFor[Budget](),
		"BudgetTable": reflect.TypeFor[BudgetTable](), "Column": reflect.TypeFor[Column](), "Row": reflect.TypeFor[Row](), "Dissent": reflect.TypeFor[Dissent](),
		"Chart": reflect.TypeFor[Chart](), "Approval": reflect.TypeFor[Approval](),
	}
	documented := map[string][]string{}
	section := ""
	heading := regexp.MustCompile(`^#{2,3} (\w+)$`)
	name := regexp.MustCompile("`([a-z_]+)`") // backquotes: no raw string
	for line := range strings.Lines(string(doc)) {
		line = strings.TrimSpace(line)
		if m := heading.FindStringSubmatch(line); m != nil {
			section = m[1]
			continue
		}
		if types[section] == nil || !strings.HasPrefix(line, "| `") {
			continue
		}
		first := strings.Split(line, "|")[1]
		for _, m := range name.FindAllStringSubmatch(first, -1) {
			documented[section] = append(documented[section], m[1])
		}
	}
	for section, typ := range types {
		var fields []string
		for name := range jsonFields(typ) {
			fields = append(fields, name)
		}
		slices.Sort(fields)
		got := slices.Sorted(slices.Values(documented[section]))
		if !slices.Equal(got, fields) {
			t.Errorf("docs/contract.md, %s: lists %v; the type has %v", section, got, fields)
		}
	}
}
