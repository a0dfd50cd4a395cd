package locale_test

import (
	"fmt"
	"time"

	"github.com/shopspring/decimal"

	"protokol/internal/locale"
)

func ExampleLang_LongDate() {
	meeting := time.Date(2014, 8, 19, 13, 0, 0, 0, time.FixedZone("CEST", 2*3600))
	fmt.Println(locale.Capitalize(locale.Danish.LongDate(meeting)), locale.Danish.TimeRange(meeting, meeting.Add(3*time.Hour)))
	fmt.Println(locale.English.LongDate(meeting))
	// Output:
	// Tirsdag den 19. august 2014 kl. 13:00–16:00
	// Tuesday 19 August 2014
}

func ExampleLang_Number() {
	total := decimal.RequireFromString("295875000")
	fmt.Println(locale.Danish.Number(total, 0), "kr.")
	fmt.Println(locale.Danish.Number(total.Div(decimal.NewFromInt(1_000_000)), 3), "mio. kr.")
	fmt.Println(locale.English.Number(total, 0))
	// Output:
	// 295.875.000 kr.
	// 295,875 mio. kr.
	// 295,875,000
}

func ExampleLang_Join() {
	fmt.Println(locale.Danish.Join([]string{"Per Tærsbøl", "John Calberg", "Philip Læborg"}))
	// Output: Per Tærsbøl, John Calberg og Philip Læborg
}
