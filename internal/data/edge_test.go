package data

import (
	"fmt"
	"strings"
	"testing"
)

// Each count and length limit of the contract at limit-1, limit and
// limit+1: the first two pass, the last is a problem naming the field and
// the limit.
func TestMeetingLimitsAtTheirEdges(t *testing.T) {
	list := func(n int, f func(i int) string) string {
		parts := make([]string, n)
		for i := range parts {
			parts[i] = f(i)
		}
		return "[" + strings.Join(parts, ",") + "]"
	}
	items := `[{"number":"1","title":"Godkendelse af dagsorden"}]`
	cases := []struct {
		name, field, limit string
		max                int
		doc                func(n int) string
	}{
		{"a short text", "committee", "500", maxShort, func(n int) string {
			return strings.Replace(validMeeting, `"Beskæftigelsesudvalget"`, `"`+strings.Repeat("æ", n)+`"`, 1)
		}},
		{"a Markdown field", "items[0].summary", "100000", maxMarkdown, func(n int) string {
			return strings.Replace(validMeeting, items, `[{"number":"1","title":"t","summary":"`+strings.Repeat("x", n)+`"}]`, 1)
		}},
		{"items", "items", "1000", maxItems, func(n int) string {
			return strings.Replace(validMeeting, items, list(n, func(i int) string { return fmt.Sprintf(`{"number":"%d","title":"t"}`, i+1) }), 1)
		}},
		{"participants", "participants", "1000", maxPeople, func(n int) string {
			return strings.Replace(validMeeting, `"items":`, `"participants":`+list(n, func(i int) string { return fmt.Sprintf(`{"name":"Person %d"}`, i) })+`,"items":`, 1)
		}},
		{"an item's attachments", "items[0].attachments", "1000", maxListLength, func(n int) string {
			return strings.Replace(validMeeting, items, `[{"number":"1","title":"t","attachments":`+list(n, func(i int) string { return fmt.Sprintf(`{"title":"Bilag %d"}`, i) })+`}]`, 1)
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			for _, n := range []int{c.max - 1, c.max} {
				if _, err := DecodeMeeting([]byte(c.doc(n))); err != nil {
					t.Errorf("%d: refused: %v", n, err)
				}
			}
			_, err := DecodeMeeting([]byte(c.doc(c.max + 1)))
			fields, _ := fieldsOf(t, err)
			if msg, ok := fields[c.field]; !ok || !strings.Contains(msg, c.limit) {
				t.Errorf("%d: want a problem of %s saying %s, got %v", c.max+1, c.field, c.limit, err)
			}
		})
	}
}
