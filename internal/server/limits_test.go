package server

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"log/slog"

	"protokol/internal/render"
	"protokol/templates"
)

// serve runs s on a loopback listener until the test ends.
func serve(t *testing.T, s *Server) (addr string, stop context.CancelFunc, done chan error) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done = make(chan error, 1)
	go func() { done <- s.Serve(ctx, ln, nil) }()
	t.Cleanup(cancel)
	return ln.Addr().String(), cancel, done
}

// Slow uploads hold no queue place and no render slot: while many clients
// trickle their bodies, a whole request is served at once, and the slow
// ones are answered 408 when the read timeout ends them, counted as the
// client's.
func TestSlowUploadsLockNobodyOut(t *testing.T) {
	cfg := testConfig()
	cfg.MaxConcurrent, cfg.QueueLength, cfg.ReadTimeout = 1, 1, 2*time.Second
	s := newServer(t, cfg)
	addr, _, _ := serve(t, s)
	const slow = 8
	statuses := make(chan int, slow)
	var started sync.WaitGroup
	for range slow {
		started.Add(1)
		go func() {
			conn, err := net.Dial("tcp", addr)
			if err != nil {
				statuses <- -1
				started.Done()
				return
			}
			defer conn.Close()
			fmt.Fprintf(conn, "POST /v1/agenda HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{")
			started.Done()
			for range 40 { // one byte every 100 ms: 4 s, twice the read timeout
				if _, err := conn.Write([]byte(" ")); err != nil {
					break
				}
				time.Sleep(100 * time.Millisecond)
			}
			resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
			if err != nil {
				statuses <- -2
				return
			}
			resp.Body.Close()
			statuses <- resp.StatusCode
		}()
	}
	started.Wait()
	time.Sleep(200 * time.Millisecond)
	resp, err := http.Post("http://"+addr+"/v1/agenda", "application/json", bytes.NewReader(fixture(t, "odense-2012-05-22.minutes.json")))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Errorf("a whole request among slow uploads: %d", resp.StatusCode)
	}
	for range slow {
		if st := <-statuses; st != http.StatusRequestTimeout {
			t.Errorf("a slow upload was answered %d, want 408", st)
		}
	}
	m := metricsText(t, s)
	if !strings.Contains(m, `protokol_errors_total{class="body_timeout"} `+strconv.Itoa(slow)) || strings.Contains(m, `class="internal"`) {
		t.Errorf("slow uploads are not counted as the client's:\n%s", grepLines(m, "protokol_errors_total"))
	}
}

func metricsText(t *testing.T, s *Server) string {
	t.Helper()
	return do(t, s, "GET", "/metrics", nil).Body.String()
}

func grepLines(s, word string) string {
	var out []string
	for line := range strings.Lines(s) {
		if strings.Contains(line, word) {
			out = append(out, line)
		}
	}
	return strings.Join(out, "")
}

// On SIGTERM the service turns not ready but goes on serving for the
// drain delay, so requests already on their way are answered, not reset.
func TestShutdownDelayKeepsServing(t *testing.T) {
	cfg := testConfig()
	cfg.ShutdownDelay = 1500 * time.Millisecond
	s := newServer(t, cfg)
	addr, stop, done := serve(t, s)
	stop()
	time.Sleep(100 * time.Millisecond)
	for i := range 5 {
		c := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}} // a new connection each time
		resp, err := c.Post("http://"+addr+"/v1/agenda", "application/json", bytes.NewReader(fixture(t, "odense-2012-05-22.minutes.json")))
		if err != nil {
			t.Fatalf("request %d during the drain delay: %v", i, err)
		}
		resp.Body.Close()
		if resp.StatusCode != 200 {
			t.Errorf("request %d during the drain delay: %d", i, resp.StatusCode)
		}
		time.Sleep(100 * time.Millisecond)
	}
	if w := do(t, s, "GET", "/readyz", nil); w.Code != 503 {
		t.Errorf("readyz during the drain: %d", w.Code)
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}

// A client that goes away is the client's doing: 499, not a template
// failure, even when the template was what noticed.
func TestCanceledIsTheClients(t *testing.T) {
	for _, err := range []error{context.Canceled, &render.TemplateError{Err: fmt.Errorf("%w (template default/agenda.md.tmpl)", context.Canceled)}} {
		if p := problemFor(err); p.Status != 499 || p.class != "canceled" || p.logErr != nil {
			t.Errorf("%v: %d %s (logged: %v)", err, p.Status, p.class, p.logErr)
		}
	}
}

// bigBudget is a budget of n lines in groups of 50.
func bigBudget(n int) []byte {
	var b bytes.Buffer
	b.WriteString(`{"title":"Stort budget","tables":[{"title":"T","columns":[{"key":"a","label":"Budget"},{"key":"b","label":"Forbrug"}],"rows":[`)
	for g := 0; g < n/50; g++ {
		if g > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"label":"Gruppe %d","rows":[`, g)
		for l := range 50 {
			if l > 0 {
				b.WriteByte(',')
			}
			fmt.Fprintf(&b, `{"label":"Konto %d.%d","values":{"a":%d.25,"b":%d.5}}`, g, l, 1000+g+l, 900+l)
		}
		b.WriteString(`]}`)
	}
	b.WriteString(`]}]}`)
	return b.Bytes()
}

// The memory rule: renders are admitted by their expected cost against the
// budget, so the largest documents posted at once keep the process under
// its budget (and a document too large for it is refused with 413), where
// before they took it past a gigabyte. The service runs as a child, and its
// peak resident memory is read from the kernel.
func TestLargeDocumentsAtOnceStayWithinTheBudget(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("renders large budgets and measures memory (not under the race detector)")
	}
	const budget = 256 << 20
	c := startChild(t, t.TempDir(), "PROTOKOL_TEST_CHILD_BUDGET="+strconv.Itoa(budget))
	pdf := bigBudget(20_000)   // about 150 MB to render as PDF
	xlsx := bigBudget(100_000) // about 140 MB as a workbook
	type job struct {
		target string
		body   []byte
	}
	jobs := []job{{"/v1/budget?format=pdf", pdf}, {"/v1/budget?format=pdf", pdf}, {"/v1/budget?format=pdf", pdf},
		{"/v1/budget", xlsx}, {"/v1/budget", xlsx}, {"/v1/budget?format=pdf", bigBudget(49_000)}}
	statuses := make(chan string, len(jobs))
	for _, j := range jobs {
		go func() {
			resp, err := (&http.Client{Timeout: 60 * time.Second}).Post("http://"+c.addr+j.target, "application/json", bytes.NewReader(j.body))
			if err != nil {
				statuses <- err.Error()
				return
			}
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			statuses <- strconv.Itoa(resp.StatusCode)
		}()
	}
	got := map[string]int{}
	for range jobs {
		got[<-statuses]++
	}
	c.alive(t)
	if got["200"] < 3 || got["413"] != 1 || got["200"]+got["503"]+got["413"] != len(jobs) {
		t.Errorf("answers: %v (want most 200, the 49,000-line PDF 413, the rest 503)", got)
	}
	peak := peakRSS(t, c.cmd.Process.Pid)
	t.Logf("answers %v, peak resident memory %d MiB with a budget of %d MiB", got, peak>>20, budget>>20)
	if peak > budget+128<<20 {
		t.Errorf("peak resident memory %d MiB; the budget is %d MiB (and 128 MiB for the runtime)", peak>>20, budget>>20)
	}
}

// peakRSS is a process's peak resident memory (VmHWM).
func peakRSS(t *testing.T, pid int) int64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		t.Skip("no /proc:", err)
	}
	for line := range strings.Lines(string(b)) {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
			return kb << 10
		}
	}
	t.Fatal("no VmHWM")
	return 0
}

// What a body declares is not reserved before it arrives: idle clients
// that each declare a 16 MiB upload and send one byte (together far over
// the memory budget) hold 64 KiB each, and a whole request is served at
// once among them. (Reserved as declared, they left too little for it.)
func TestDeclaredBodiesReserveOnlyWhatArrives(t *testing.T) {
	cfg := testConfig()
	cfg.MemoryBudget, cfg.BodyLimit = 244<<20, 16<<20 // fifteen declared bodies would leave 4 MiB of it
	cfg.QueueWait, cfg.ReadTimeout = 300*time.Millisecond, 3*time.Second
	s := newServer(t, cfg)
	addr, _, _ := serve(t, s)
	const idle = 16
	for range idle {
		conn, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		fmt.Fprintf(conn, "POST /v1/agenda HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=b\r\nContent-Length: %d\r\n\r\n-", 16<<20)
	}
	time.Sleep(200 * time.Millisecond)
	resp, err := http.Post("http://"+addr+"/v1/agenda", "application/json", bytes.NewReader(fixture(t, "odense-2012-05-22.minutes.json")))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Errorf("a whole request among %d idle 16 MiB uploads: %d, want 200", idle, resp.StatusCode)
	}
}

// A file name cannot carry bidi controls that make it read other than
// it is, nor control characters, into Content-Disposition.
func TestFileNameHasNoBidiControls(t *testing.T) {
	for _, name := range []string{"Referat\u202Efdp.exe", "a\u2067b\u2069c", "x\u200Fy", "line\nbreak"} {
		cd := contentDisposition(name)
		if strings.ContainsAny(cd, "\u202E\u2067\u2069\u200F\n") || strings.Contains(cd, "%E2%80%AE") || strings.Contains(cd, "%E2%81%A7") || strings.Contains(cd, "%0A") {
			t.Errorf("%q gives %q", name, cd)
		}
	}
}

// Ctrl-C (ErrInterrupted as the cause) stops without the shutdown delay
// meant for load balancers; SIGTERM keeps it. The log says which, and
// where the web page is when the service starts.
func TestInterruptSkipsTheShutdownDelay(t *testing.T) {
	for _, tt := range []struct {
		cause error
		delay string
	}{{ErrInterrupted, `delay=0s`}, {nil, `delay=5s`}} {
		cfg := testConfig()
		cfg.ShutdownDelay = 5 * time.Second
		var logs syncBuffer
		r, err := render.New(render.Config{Templates: templates.FS})
		if err != nil {
			t.Fatal(err)
		}
		s, err := New(cfg, r, slog.New(slog.NewTextHandler(&logs, nil)))
		if err != nil {
			t.Fatal(err)
		}
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithCancelCause(context.Background())
		done := make(chan error, 1)
		go func() { done <- s.Serve(ctx, ln, nil) }()
		for !strings.Contains(logs.String(), "listening") {
			time.Sleep(time.Millisecond)
		}
		cancel(tt.cause)
		if tt.cause != nil {
			if err := <-done; err != nil {
				t.Fatal(err)
			}
		}
		for !strings.Contains(logs.String(), "shutting down: not ready") {
			time.Sleep(time.Millisecond)
		}
		if !strings.Contains(logs.String(), tt.delay) || !strings.Contains(logs.String(), "web_page=http://127.0.0.1:") {
			t.Errorf("cause %v: the log says\n%s\nwant %s and the web page", tt.cause, logs.String(), tt.delay)
		}
	}
	if got := pageURL(&net.TCPAddr{IP: net.IPv6unspecified, Port: 8080}, false); got != "http://localhost:8080/" {
		t.Errorf("pageURL of [::]:8080 = %q", got)
	}
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// The queue at its edge: max-concurrent renders and queue waiting are
// admitted, one more is refused at once.
func TestQueueAtItsEdge(t *testing.T) {
	l := newLimiter(2, 3, time.Second, 1<<20)
	for i := range 5 {
		if err := l.admit(); err != nil {
			t.Fatalf("ticket %d of 5: %v", i+1, err)
		}
	}
	if err := l.admit(); err == nil {
		t.Error("a sixth ticket with 2 slots and a queue of 3")
	}
	l.leave()
	if err := l.admit(); err != nil {
		t.Errorf("a ticket after one left: %v", err)
	}
}

// A body whose declared size alone costs more than the memory budget is
// refused with 413 from its headers, before a byte of it is read (the
// client below never sends it, and the read timeout is far away).
func TestTooCostlyBodyIsRefusedBeforeItIsRead(t *testing.T) {
	cfg := testConfig()
	cfg.MemoryBudget, cfg.BodyLimit, cfg.ReadTimeout = 64<<20, 16<<20, 30*time.Second
	s := newServer(t, cfg)
	addr, _, _ := serve(t, s)
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(10 * time.Second))
	fmt.Fprintf(conn, "POST /v1/agenda HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n", 1<<20)
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("no answer before the body: %v", err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusRequestEntityTooLarge {
		t.Errorf("status %d, want 413", resp.StatusCode)
	}
}
