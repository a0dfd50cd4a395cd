// Command protokol-load posts a document to a Protokol service on this
// machine for a bounded time and reports throughput and latency.
//
//	protokol-load -url http://127.0.0.1:8080/v1/agenda -c 32 -d 20s -items 3
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"time"

	"protokol/examples"
	"protokol/internal/loadtest"
)

func main() {
	target := flag.String("url", "http://127.0.0.1:8080/v1/agenda", "endpoint to post to (loopback only)")
	file := flag.String("i", "", "document to post (default: the embedded example meeting, "+examples.Meeting+")")
	items := flag.Int("items", 3, "keep only the first N items of a meeting (0: all)")
	conns := flag.Int("c", 32, "concurrent connections")
	dur := flag.Duration("d", 20*time.Second, "how long to send")
	max := flag.Int("n", 0, "stop after this many requests (0: only the duration)")
	flag.Parse()

	body := examples.Read(examples.Meeting)
	if *file != "" {
		var err error
		if body, err = os.ReadFile(*file); err != nil {
			fmt.Fprintln(os.Stderr, "protokol-load:", err)
			os.Exit(1)
		}
	}
	if *items > 0 {
		var doc map[string]any
		if json.Unmarshal(body, &doc) == nil {
			if list, ok := doc["items"].([]any); ok && len(list) > *items {
				doc["items"] = list[:*items]
				dropGuestsOfRemovedItems(doc)
				body, _ = json.Marshal(doc)
			}
		}
	}
	rep, err := loadtest.Run(context.Background(), loadtest.Options{URL: *target, Body: body, Connections: *conns, Duration: *dur, MaxRequests: *max})
	if err != nil {
		fmt.Fprintln(os.Stderr, "protokol-load:", err)
		os.Exit(1)
	}
	fmt.Print(rep)
	if rep.Errors > 0 {
		os.Exit(1)
	}
}

// dropGuestsOfRemovedItems removes participants who attend only items that
// were cut, so the shortened meeting stays valid.
func dropGuestsOfRemovedItems(doc map[string]any) {
	kept := map[string]bool{}
	for _, it := range doc["items"].([]any) {
		if m, ok := it.(map[string]any); ok {
			kept[fmt.Sprint(m["number"])] = true
		}
	}
	ps, _ := doc["participants"].([]any)
	var out []any
	for _, p := range ps {
		m, ok := p.(map[string]any)
		if !ok {
			continue
		}
		if refs, ok := m["items"].([]any); ok {
			var still []any
			for _, r := range refs {
				if kept[fmt.Sprint(r)] {
					still = append(still, r)
				}
			}
			if len(still) == 0 {
				continue
			}
			m["items"] = still
		}
		out = append(out, m)
	}
	doc["participants"] = out
}
