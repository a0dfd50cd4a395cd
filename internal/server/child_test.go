package server

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"protokol/internal/attach"
	"protokol/internal/pdftest"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"protokol/internal/render"
	"protokol/internal/tmpl"
	"protokol/templates"
)

// childEnv, when set, makes the test binary run the service instead of
// the tests: crash tests start it as a child process, so a crash or an
// out-of-memory death is seen from outside instead of taking the test run
// with it. Its value is the template directory; the child caps its own
// address space at childMemory, so a helper that allocated gigabytes would
// kill it.
const (
	childEnv    = "PROTOKOL_TEST_CHILD_TEMPLATES"
	childMemory = 4 << 30 // address space: Go reserves well beyond what it uses
)

func TestMain(m *testing.M) {
	attach.ServeWorker() // the child's attachment files are read by this binary, started again
	if dir, ok := os.LookupEnv(childEnv); ok {
		os.Exit(runChild(dir))
	}
	os.Exit(m.Run())
}

func runChild(dir string) int {
	mem := uint64(childMemory)
	if v, err := strconv.ParseUint(os.Getenv("PROTOKOL_TEST_CHILD_AS"), 10, 64); err == nil {
		// v more than what the runtime has mapped so far (1.7 GB of
		// reservations, next to 37 MB resident, for this test binary)
		mem = v + uint64(attach.Mapped())
	}
	lim := syscall.Rlimit{Cur: mem, Max: mem}
	if err := syscall.Setrlimit(syscall.RLIMIT_AS, &lim); err != nil {
		fmt.Fprintln(os.Stderr, "rlimit:", err)
		return 3
	}
	cfg := testConfig()
	cfg.TemplateDir = dir
	cfg.BodyLimit = 64 << 20
	if b, err := strconv.ParseInt(os.Getenv("PROTOKOL_TEST_CHILD_BUDGET"), 10, 64); err == nil {
		cfg.MemoryBudget = b
	}
	cfg.RenderTimeout = 30 * time.Second
	if d, err := time.ParseDuration(os.Getenv("PROTOKOL_TEST_CHILD_TIMEOUT")); err == nil {
		cfg.RenderTimeout = d
	}
	cfg.QueueWait = 20 * time.Second
	cfg.TemplateLimits = tmpl.Limits{Timeout: time.Second}
	// as the service runs: attachment files read in a worker
	r, err := render.New(render.Config{Templates: templates.FS, TemplateDir: cfg.TemplateDir, TemplateLimits: cfg.TemplateLimits,
		Worker: &attach.Worker{}})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 3
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	defer stop()
	if err := Run(ctx, cfg, r, slog.New(slog.NewJSONHandler(os.Stderr, nil)), nil); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	return 0
}

// child is the service running as a child process.
type child struct {
	cmd  *exec.Cmd
	addr string
	exit chan error
}

// startChild starts the service on the template sets in dir and waits
// until it listens.
func startChild(t *testing.T, dir string, extraEnv ...string) *child {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(append(os.Environ(), childEnv+"="+dir), extraEnv...)
	logs, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	c := &child{cmd: cmd, exit: make(chan error, 1)}
	sc := bufio.NewScanner(logs)
	for c.addr == "" && sc.Scan() {
		var rec struct{ Msg, Addr string }
		if json.Unmarshal(sc.Bytes(), &rec) == nil && rec.Msg == "listening" {
			c.addr = rec.Addr
		}
	}
	go func() {
		var tail []string
		for sc.Scan() {
			tail = append(tail, sc.Text())
			if len(tail) > 400 {
				tail = tail[1:]
			}
		}
		err := cmd.Wait()
		if err != nil {
			err = fmt.Errorf("%w; its last words:\n%s", err, strings.Join(tail, "\n"))
		}
		c.exit <- err
	}()
	if c.addr == "" {
		_ = cmd.Process.Kill()
		t.Fatalf("the child did not start: %v", <-c.exit)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
	})
	return c
}

// alive reports whether the child still runs and answers /healthz.
func (c *child) alive(t *testing.T) {
	t.Helper()
	select {
	case err := <-c.exit:
		t.Fatalf("the service died: %v", err)
	default:
	}
	resp, err := http.Get("http://" + c.addr + "/healthz")
	if err != nil {
		t.Fatalf("the service does not answer: %v", err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("/healthz: %s", resp.Status)
	}
}

// Hostile templates, each its own set, posted to a service under a memory
// cap: every one is answered (500, naming the template) and the service
// lives on. Before helpers were bounded ahead of allocation, the first of
// these killed the process with "out of memory".
func TestHostileTemplatesCannotCrashTheService(t *testing.T) {
	hostile := map[string]string{
		"replace":  `{{replace "x" (repeat 100000 "y") (repeat 100000 "x")}}`,
		"join":     `{{$s := repeat 1000000 "x"}}{{$l := list $s $s $s $s $s $s $s $s}}{{$l = concat $l $l $l $l $l $l $l $l}}{{join "," (concat $l $l $l $l $l $l $l $l $l $l $l $l $l $l $l $l)}}`,
		"regex":    `{{regexReplaceAll "x" (repeat 100000 "x") (repeat 100000 "y")}}`,
		"wrap":     `{{wrapWith 1 (repeat 100000 "y") (repeat 100000 "a ")}}`,
		"printf":   `{{$s := repeat 1000000 "x"}}{{printf (repeat 10000 "%[1]s") $s}}`,
		"indent":   `{{indent 100 (repeat 1000000 "\n")}}`,
		"toString": `{{$s := repeat 1000000 "x"}}{{$l := list $s $s $s $s $s $s $s $s}}{{$l = concat $l $l $l $l $l $l $l $l}}{{toString (concat $l $l $l $l $l $l $l $l $l $l $l $l $l $l $l $l)}}`,
	}
	dir := t.TempDir()
	for name, src := range hostile {
		if err := os.MkdirAll(dir+"/"+name, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(dir+"/"+name+"/agenda.md.tmpl", []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	c := startChild(t, dir)
	body := fixture(t, "odense-2012-05-22.minutes.json")
	client := &http.Client{Timeout: 30 * time.Second}
	for name := range hostile {
		resp, err := client.Post("http://"+c.addr+"/v1/agenda?template="+name, "application/json", strings.NewReader(string(body)))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		var p Problem
		_ = json.NewDecoder(resp.Body).Decode(&p)
		resp.Body.Close()
		if resp.StatusCode != 500 || !strings.Contains(p.Detail, name+"/agenda.md.tmpl") {
			t.Errorf("%s: %d %+v", name, resp.StatusCode, p)
		}
		c.alive(t)
	}
}

// Hostile attachment files, each in a packet posted to the service as a
// child process capped at 1 GiB of address space beyond what its runtime
// reserved at start (its attachment worker has its own limits): every one is answered within the render deadline
// and a second, with a 422 naming the file, and the service lives on and
// renders a good packet after them all.
func TestHostileAttachmentsCannotCrashTheService(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("the race detector's address space is not under a 1 GiB cap")
	}
	const deadline = 10 * time.Second
	c := startChild(t, t.TempDir(), "PROTOKOL_TEST_CHILD_AS="+strconv.Itoa(1<<30), "PROTOKOL_TEST_CHILD_TIMEOUT="+deadline.String(),
		"PROTOKOL_TEST_CHILD_BUDGET="+strconv.Itoa(300<<20))
	hostile := map[string][]byte{
		"page tree sharing its kids (a DAG of 60 levels)": pdftest.DAG(60, true),
		"page tree sharing its nodes":                     pdftest.DAG(60, false),
		"300 pages of 63 MiB content each":                pdftest.SharedContent(300, 63, 1<<20, false),
		"40 object streams of 15 MiB":                     pdftest.ObjectStreams(40, 15<<20),
		"an object stream of 20 MiB":                      pdftest.ObjectStreams(1, 20<<20),
		"a form that is a decompression bomb":             pdftest.FormBomb(100 << 20),
		"a chain of 20,000 colour spaces":                 pdftest.Chain(20_000),
	}
	good := exampleUpload(t)
	client := &http.Client{Timeout: deadline + 5*time.Second}
	post := func(parts []part) (*http.Response, Problem, time.Duration) {
		t.Helper()
		body, ct := upload(t, parts...)
		start := time.Now()
		resp, err := client.Post("http://"+c.addr+"/v1/agenda", ct, bytes.NewReader(body))
		if err != nil {
			c.alive(t) // says how it died
			t.Fatal(err)
		}
		var p Problem
		_ = json.NewDecoder(resp.Body).Decode(&p)
		resp.Body.Close()
		return resp, p, time.Since(start)
	}
	for name, file := range hostile {
		parts := slices.Clone(good)
		victim := parts[1].file
		parts[1].body = file
		resp, p, took := post(parts)
		if resp.StatusCode != 422 || len(p.Errors) == 0 || !strings.Contains(p.Errors[0].Message, victim) {
			t.Errorf("%s: %d %+v", name, resp.StatusCode, p)
		}
		if took > deadline+time.Second {
			t.Errorf("%s: answered after %v; the deadline is %v", name, took, deadline)
		}
		c.alive(t)
	}
	// files that are costly but not wrong: answered in time (rendered, or
	// refused by name or by their cost)
	for name, file := range map[string][]byte{
		"100,000 bookmarks":          pdftest.Bookmarked(100_000, false),
		"a catalog behind the fonts": pdftest.CatalogReach("/Font <</F1 1 0 R>>", "Fortroligxyzzy"),
		"400,000 tiny objects":       pdftest.TinyObjects(400_000),
	} {
		parts := slices.Clone(good)
		parts[1].body = file
		resp, p, took := post(parts)
		if resp.StatusCode != 200 && resp.StatusCode != 422 && resp.StatusCode != 413 {
			t.Errorf("%s: %d %+v", name, resp.StatusCode, p)
		}
		if took > deadline+time.Second {
			t.Errorf("%s: answered after %v; the deadline is %v", name, took, deadline)
		}
		c.alive(t)
	}
	resp, p, _ := post(good)
	if resp.StatusCode != 200 {
		t.Errorf("a good packet after them: %d %+v", resp.StatusCode, p)
	}
	c.alive(t)
	// with the Kubernetes example's budget (300 MiB), no input here took
	// the service past 512 MiB resident
	if peak := c.peakRSS(t); peak > 512<<20 {
		t.Errorf("the service peaked at %d MiB resident", peak>>20)
	} else {
		t.Logf("the service peaked at %d MiB resident", peak>>20)
	}
}

// peakRSS is the child's peak resident memory (VmHWM).
func (c *child) peakRSS(t *testing.T) int64 {
	t.Helper()
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", c.cmd.Process.Pid))
	if err != nil {
		t.Fatal(err)
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
