package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"protokol/examples"
	"protokol/internal/batch"
	"protokol/internal/config"
	"protokol/internal/data"
	"protokol/internal/render"
)

// archive writes n meetings varied from the example (committee, date,
// how many items) under dir/in, in year folders, and one broken one.
func archive(t *testing.T, dir string, n int) string {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(examples.Read(examples.Meeting), &m); err != nil {
		t.Fatal(err)
	}
	items := m["items"].([]any)
	for _, p := range m["participants"].([]any) {
		delete(p.(map[string]any), "items") // guests of items that a shorter meeting lacks
	}
	in := filepath.Join(dir, "in")
	start := time.Date(2015, 1, 5, 13, 0, 0, 0, time.FixedZone("", 3600))
	for i := range n {
		day := start.AddDate(0, 0, i*2)
		m["committee"] = fmt.Sprintf("Udvalg %d", i%37)
		m["start"], m["end"] = day.Format(time.RFC3339), day.Add(2*time.Hour).Format(time.RFC3339)
		m["items"] = items[:1+i%3]
		b, _ := json.Marshal(m)
		p := filepath.Join(in, day.Format("2006"), fmt.Sprintf("%04d-%s.json", i, day.Format("01-02")))
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(in, "broken.json"), []byte(`{"municipality":"M","items":[{"numbr":"1"}]}`), 0o644); err != nil {
		t.Fatal(err)
	}
	return in
}

func readManifest(t *testing.T, p string) *batch.Manifest {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	var m batch.Manifest
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return &m
}

// A batch of 2,000 meetings with two workers, stopped half-way by
// SIGINT, then run again: every output present once, byte-identical to a
// render of its own, the manifest right, nothing half-written, and the
// second run redid only what the first had not finished; the broken
// input is named and makes the exit status 1.
func TestBatchResumesAfterAnInterrupt(t *testing.T) {
	if testing.Short() {
		t.Skip("renders 2,000 documents")
	}
	n := 2000
	if raceEnabled {
		n = 300 // the race detector's renders are ten times slower; the workers race the same
	}
	dir := t.TempDir()
	in := archive(t, dir, n)
	out := filepath.Join(dir, "out")
	cmd := exec.Command(os.Args[0])
	cmd.Env = append(os.Environ(), runEnv+"=batch\n-i\n"+in+"\n-o\n"+out+"\n-j\n2\n--kinds\nagenda")
	var errs bytes.Buffer
	cmd.Stderr = &errs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	journal := filepath.Join(out, "manifest.json.journal")
	for deadline := time.Now().Add(2 * time.Minute); ; time.Sleep(20 * time.Millisecond) {
		b, _ := os.ReadFile(journal)
		if bytes.Count(b, []byte("\n")) >= n*35/100 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the batch did not get going: %s", errs.String())
		}
	}
	cmd.Process.Signal(syscall.SIGINT)
	err := cmd.Wait()
	if code := cmd.ProcessState.ExitCode(); code != 130 {
		t.Fatalf("interrupted: exit %d (%v), not 130: %s", code, err, errs.String())
	}
	first := readManifest(t, filepath.Join(out, "manifest.json"))
	if got := len(first.Inputs); got < n*35/100 || got > n {
		t.Fatalf("the first run recorded %d inputs", got)
	}
	if _, err := os.Stat(journal); err == nil {
		t.Error("the journal is left after a clean stop")
	}
	mtimes := map[string]time.Time{}
	for _, e := range first.Inputs {
		for _, o := range e.Outputs {
			fi, err := os.Stat(filepath.Join(out, o.Path))
			if err != nil {
				t.Fatalf("the first run's %s: %v", o.Path, err)
			}
			mtimes[o.Path] = fi.ModTime()
		}
	}
	time.Sleep(10 * time.Millisecond)

	var stdout, stderr bytes.Buffer
	if code := run([]string{"batch", "-i", in, "-o", out, "-j", "2", "--kinds", "agenda"}, nil, &stdout, &stderr); code != 1 {
		t.Fatalf("the second run: exit %d: %s", code, stderr.String())
	}
	if !strings.Contains(stderr.String(), "failed: broken.json: agenda: committee: is required") || !strings.Contains(stderr.String(), `items[0].numbr: unknown field (did you mean "number"?)`) {
		t.Errorf("the broken input is not named:\n%s", stderr.String())
	}
	want := fmt.Sprintf("%d/%d inputs (%d skipped, 1 failed)", n+1, n+1, len(first.Inputs)-boolInt(first.Inputs["broken.json"] != nil && !first.Inputs["broken.json"].OK))
	if !strings.Contains(stderr.String(), want) {
		t.Errorf("the second run does not say %q:\n%s", want, stderr.String())
	}
	m := readManifest(t, filepath.Join(out, "manifest.json"))
	if len(m.Inputs) != n+1 {
		t.Fatalf("the manifest has %d inputs", len(m.Inputs))
	}
	paths := map[string]bool{}
	for k, e := range m.Inputs {
		if k == "broken.json" {
			if e.OK || len(e.Outputs) != 0 {
				t.Errorf("broken.json: %+v", e)
			}
			continue
		}
		if !e.OK || len(e.Outputs) != 1 {
			t.Errorf("%s: %+v", k, e)
			continue
		}
		o := e.Outputs[0]
		b, err := os.ReadFile(filepath.Join(out, o.Path))
		sum := sha256.Sum256(b)
		if err != nil || hex.EncodeToString(sum[:]) != o.SHA256 || paths[o.Path] {
			t.Errorf("%s: %s is not as recorded (or twice): %v", k, o.Path, err)
		}
		paths[o.Path] = true
		if was, ok := mtimes[o.Path]; ok {
			if fi, _ := os.Stat(filepath.Join(out, o.Path)); !fi.ModTime().Equal(was) {
				t.Errorf("%s was made again", o.Path)
			}
		}
	}
	var files int
	filepath.WalkDir(out, func(p string, d fs.DirEntry, err error) error {
		if d.IsDir() {
			return nil
		}
		if strings.HasPrefix(d.Name(), ".tmp-") || strings.HasSuffix(d.Name(), ".journal") {
			t.Errorf("left behind: %s", p)
		}
		if strings.HasSuffix(p, ".pdf") {
			files++
		}
		return nil
	})
	if files != n {
		t.Errorf("%d PDFs in the output; %d expected", files, n)
	}
	// byte-identical to a render of its own
	r := newRenderer(t)
	keys := slices.Sorted(maps.Keys(m.Inputs))
	for i, k := range []string{keys[0], keys[n/2], keys[n-1]} {
		e := m.Inputs[k]
		if e == nil {
			t.Errorf("no %s in the manifest", k)
			continue
		}
		body, _ := os.ReadFile(filepath.Join(in, k))
		res, err := render.Job(context.Background(), r, data.DocAgenda, render.FormatPDF, body, render.Options{})
		if err != nil {
			t.Fatal(err)
		}
		got, _ := os.ReadFile(filepath.Join(out, e.Outputs[0].Path))
		if !bytes.Equal(got, res.Body) {
			t.Errorf("%d: %s differs from a render of its own", i, k)
		}
	}
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

func newRenderer(t *testing.T) *render.Renderer {
	t.Helper()
	r, err := renderer(&config.Config{})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// Four shards cover the inputs exactly once, and their merged manifest is
// a single run's, byte for byte; a merge with a shard missing says which.
func TestBatchShardsMergeIntoOneRun(t *testing.T) {
	dir := t.TempDir()
	in := archive(t, dir, 120)
	single, sharded := filepath.Join(dir, "single"), filepath.Join(dir, "sharded")
	var stdout, stderr bytes.Buffer
	if code := run([]string{"batch", "-i", in, "-o", single, "--kinds", "agenda,public"}, nil, &stdout, &stderr); code != 1 {
		t.Fatalf("single: %d %s", code, stderr.String())
	}
	for i := range 4 {
		run([]string{"batch", "-i", in, "-o", sharded, "--kinds", "agenda,public", "--shard", fmt.Sprintf("%d/4", i)}, nil, &stdout, &stderr)
		if i == 2 {
			if code := run([]string{"batch", "merge", sharded}, nil, &stdout, &stderr); code != 1 || !strings.Contains(stderr.String(), "shards [3] of 4 have no manifest yet") {
				t.Errorf("a merge with a shard missing: %d %s", code, stderr.String())
			}
		}
	}
	stderr.Reset()
	if code := run([]string{"batch", "merge", sharded}, nil, &stdout, &stderr); code != 1 || !strings.Contains(stderr.String(), "merged 121 inputs") {
		t.Fatalf("merge: %d %s", code, stderr.String())
	}
	seen := 0
	for i := range 4 {
		seen += len(readManifest(t, filepath.Join(sharded, fmt.Sprintf("manifest-shard-%d-of-4.json", i))).Inputs)
	}
	a, _ := os.ReadFile(filepath.Join(single, "manifest.json"))
	b, _ := os.ReadFile(filepath.Join(sharded, "manifest.json"))
	if seen != 121 || !bytes.Equal(a, b) {
		t.Errorf("the shards recorded %d inputs; the merged manifest equals a single run's: %v", seen, bytes.Equal(a, b))
	}
}

// NDJSON on standard input: a document a line.
func TestBatchReadsNDJSON(t *testing.T) {
	out := t.TempDir()
	var lines bytes.Buffer
	for _, name := range []string{examples.Meeting, examples.Budget} {
		var v any
		json.Unmarshal(examples.Read(name), &v)
		b, _ := json.Marshal(v)
		lines.Write(append(b, '\n'))
	}
	var stdout, stderr bytes.Buffer
	if code := run([]string{"batch", "-i", "-", "-o", out, "--kinds", "minutes,xlsx"}, &lines, &stdout, &stderr); code != 0 {
		t.Fatalf("%d %s", code, stderr.String())
	}
	m := readManifest(t, filepath.Join(out, "manifest.json"))
	if e := m.Inputs["-:1"]; e == nil || len(e.Outputs) != 1 || !strings.HasPrefix(e.Outputs[0].Path, "line-1/Referat ") {
		t.Errorf("line 1: %+v", e)
	}
	if e := m.Inputs["-:2"]; e == nil || len(e.Outputs) != 1 || e.Outputs[0].Kind != "xlsx" {
		t.Errorf("line 2: %+v", e)
	}
}

// An export is an input like a JSON meeting: its directory's files make
// its packet, and what it lacks comes from the command line.
func TestBatchRendersExports(t *testing.T) {
	in, out := sbsysExport(t), t.TempDir()
	var stdout, stderr bytes.Buffer
	if code := run([]string{"batch", "-i", in, "-o", out, "--kinds", "agenda,packet,public", "--municipality", "Aalborg Kommune"}, nil, &stdout, &stderr); code != 0 {
		t.Fatalf("%d %s", code, stderr.String())
	}
	e := readManifest(t, filepath.Join(out, "manifest.json")).Inputs["dagsorden.xml"]
	if e == nil || len(e.Outputs) != 4 {
		t.Fatalf("%+v", e)
	}
	var packet, publicPacket batch.Output
	for _, o := range e.Outputs {
		if o.Kind == batch.Packet && o.Public {
			publicPacket = o
		} else if o.Kind == batch.Packet {
			packet = o
		}
	}
	if !strings.Contains(packet.Path, "med bilag") || publicPacket.Pages >= packet.Pages {
		t.Errorf("packet %+v, public packet %+v", packet, publicPacket)
	}
}
