package locale

import (
	"testing"
	"time"

	"github.com/shopspring/decimal"
)

func TestNumbers(t *testing.T) {
	for _, tt := range []struct {
		v        string
		decimals int
		da, en   string
	}{
		{"57830000", 0, "57.830.000", "57,830,000"},
		{"209.607", 3, "209,607", "209.607"},
		{"-3775000", 0, "-3.775.000", "-3,775,000"},
		{"0.5", 0, "1", "1"},
		{"-0.004", 2, "0,00", "0.00"},
		{"123456789012.07", 2, "123.456.789.012,07", "123,456,789,012.07"},
		{"999.5", 0, "1.000", "1,000"},
	} {
		d := decimal.RequireFromString(tt.v)
		if got := Danish.Number(d, tt.decimals); got != tt.da {
			t.Errorf("da %s: %q, want %q", tt.v, got, tt.da)
		}
		if got := English.Number(d, tt.decimals); got != tt.en {
			t.Errorf("en %s: %q, want %q", tt.v, got, tt.en)
		}
	}
}

func TestDates(t *testing.T) {
	tm := time.Date(2014, 8, 19, 13, 0, 0, 0, time.FixedZone("", 2*3600))
	end := tm.Add(3 * time.Hour)
	for _, tt := range []struct{ got, want string }{
		{Danish.LongDate(tm), "tirsdag den 19. august 2014"},
		{English.LongDate(tm), "Tuesday 19 August 2014"},
		{Danish.ShortDate(tm), "19.08.2014"},
		{English.ShortDate(tm), "19/08/2014"},
		{Danish.TimeRange(tm, end), "kl. 13:00–16:00"},
		{English.TimeRange(tm, time.Time{}), "13:00"},
		{Capitalize(Danish.LongDate(tm)), "Tirsdag den 19. august 2014"},
		{Danish.Join([]string{"a", "b", "c"}), "a, b og c"},
		{English.Join([]string{"a", "b"}), "a and b"},
		{Danish.Date(time.Date(2016, 1, 5, 0, 0, 0, 0, time.UTC)), "5. januar 2016"},
	} {
		if tt.got != tt.want {
			t.Errorf("%q, want %q", tt.got, tt.want)
		}
	}
}
