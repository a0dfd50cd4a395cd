// Package loadtest posts documents to a running Protokol on this machine
// for a bounded time and reports throughput and latency percentiles.
package loadtest

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"
)

// Options describe one run.
type Options struct {
	URL         string        // e.g. http://127.0.0.1:8080/v1/agenda
	Body        []byte        // the document to post
	Connections int           // concurrent clients
	Duration    time.Duration // how long to send
	MaxRequests int           // stop after this many (0: no limit but the duration)
}

// Report is what a run measured.
type Report struct {
	Requests  int
	Errors    int         // transport errors and non-2xx answers
	Statuses  map[int]int // answers by status
	Elapsed   time.Duration
	Latencies []time.Duration // sorted
	Bytes     int64
}

// Run sends requests until the duration or the request count is reached.
// It refuses any host but loopback: load is never sent off this machine.
func Run(ctx context.Context, o Options) (*Report, error) {
	u, err := url.Parse(o.URL)
	if err != nil {
		return nil, err
	}
	if ip := net.ParseIP(u.Hostname()); u.Hostname() != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return nil, fmt.Errorf("refusing %s: the load test only targets loopback (127.0.0.1, ::1, localhost)", u.Host)
	}
	if o.Connections < 1 || o.Duration <= 0 {
		return nil, fmt.Errorf("need at least one connection and a duration")
	}
	ctx, cancel := context.WithTimeout(ctx, o.Duration)
	defer cancel()
	tr := &http.Transport{MaxIdleConnsPerHost: o.Connections, MaxConnsPerHost: o.Connections}
	client := &http.Client{Transport: tr, Timeout: 30 * time.Second}
	defer tr.CloseIdleConnections()

	var mu sync.Mutex
	rep := &Report{Statuses: map[int]int{}}
	var sent int
	var wg sync.WaitGroup
	start := time.Now()
	for range o.Connections {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil {
				mu.Lock()
				if o.MaxRequests > 0 && sent >= o.MaxRequests {
					mu.Unlock()
					return
				}
				sent++
				mu.Unlock()
				t0 := time.Now()
				req, _ := http.NewRequestWithContext(ctx, "POST", o.URL, bytes.NewReader(o.Body))
				req.Header.Set("Content-Type", "application/json")
				resp, err := client.Do(req)
				var n int64
				status := 0
				if err == nil {
					n, _ = io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
					status = resp.StatusCode
				}
				d := time.Since(t0)
				if ctx.Err() != nil && err != nil {
					return // cut off by the end of the run, not an error
				}
				mu.Lock()
				rep.Requests++
				rep.Statuses[status]++
				rep.Bytes += n
				rep.Latencies = append(rep.Latencies, d)
				if err != nil || status/100 != 2 {
					rep.Errors++
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	rep.Elapsed = time.Since(start)
	slices.Sort(rep.Latencies)
	return rep, nil
}

// Percentile returns the p-th percentile latency (0 < p <= 100).
func (r *Report) Percentile(p float64) time.Duration {
	if len(r.Latencies) == 0 {
		return 0
	}
	i := int(float64(len(r.Latencies))*p/100+0.5) - 1
	return r.Latencies[min(max(i, 0), len(r.Latencies)-1)]
}

// String is the report for people.
func (r *Report) String() string {
	var b strings.Builder
	rate := float64(r.Requests) / r.Elapsed.Seconds()
	fmt.Fprintf(&b, "requests %d in %.1fs: %.0f req/s, errors %d, %.1f MB received\n", r.Requests, r.Elapsed.Seconds(), rate, r.Errors, float64(r.Bytes)/1e6)
	fmt.Fprintf(&b, "latency p50 %s  p90 %s  p99 %s  max %s\n", r.Percentile(50).Round(time.Microsecond*100),
		r.Percentile(90).Round(time.Microsecond*100), r.Percentile(99).Round(time.Microsecond*100), r.Percentile(100).Round(time.Microsecond*100))
	var codes []int
	for c := range r.Statuses {
		codes = append(codes, c)
	}
	slices.Sort(codes)
	b.WriteString("statuses")
	for _, c := range codes {
		fmt.Fprintf(&b, "  %d: %d", c, r.Statuses[c])
	}
	b.WriteString("\n")
	return b.String()
}
