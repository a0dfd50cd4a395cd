package batch_test

import (
	"bytes"
	"context"
	"crypto/x509"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"protokol/examples"
	"protokol/internal/batch"
	"protokol/internal/pdftest"
	"protokol/internal/render"
	"protokol/internal/seal"
	"protokol/internal/seal/sealtest"
	"protokol/templates"
)

// meetingAndBudget is an input directory with the example meeting
// (m.json) and budget (b.json), an output directory and a renderer.
func meetingAndBudget(t *testing.T) (in, out string, r *render.Renderer) {
	in, out = t.TempDir(), t.TempDir()
	if err := os.WriteFile(filepath.Join(in, "m.json"), examples.Read(examples.Meeting), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(in, "b.json"), examples.Read(examples.Budget), 0o644); err != nil {
		t.Fatal(err)
	}
	r, err := render.New(render.Config{Templates: templates.FS})
	if err != nil {
		t.Fatal(err)
	}
	return in, out, r
}

// A document whose expected cost is over the memory budget is refused by
// name, as the service refuses it, and the others go on.
func TestMemoryAdmission(t *testing.T) {
	in, out, r := meetingAndBudget(t)
	need := render.Cost("agenda", render.FormatPDF, len(examples.Read(examples.Meeting)))
	res, err := batch.Run(context.Background(), r, batch.Options{Input: in, Out: out, Kinds: []batch.Kind{batch.Agenda, batch.XLSX}, Workers: 2, MemoryBudget: need - 1})
	if err != nil {
		t.Fatal(err)
	}
	if res.Failed != 1 || res.Done != 1 || len(res.Failures) != 1 || !strings.Contains(res.Failures[0], "m.json: agenda: rendering it takes about") {
		t.Errorf("%+v %v", res.Progress, res.Failures)
	}
}

// Kinds are read strictly.
func TestParseKinds(t *testing.T) {
	if k, err := batch.ParseKinds("agenda, public,agenda"); err != nil || len(k) != 2 {
		t.Errorf("%v %v", k, err)
	}
	if _, err := batch.ParseKinds("agenda,referat"); err == nil || !strings.Contains(err.Error(), `"referat" is not a kind`) {
		t.Errorf("%v", err)
	}
}

// A run stopped before it reached an input keeps what the last run
// recorded of it: the manifest does not forget finished work.
func TestAStoppedRunKeepsTheLastRunsRecord(t *testing.T) {
	in, out := t.TempDir(), t.TempDir()
	for i := range 5 {
		if err := os.WriteFile(filepath.Join(in, fmt.Sprintf("m%d.json", i)), examples.Read(examples.Meeting), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	r, err := render.New(render.Config{Templates: templates.FS})
	if err != nil {
		t.Fatal(err)
	}
	o := batch.Options{Input: in, Out: out, Kinds: []batch.Kind{batch.Agenda}, Workers: 2}
	if res, err := batch.Run(context.Background(), r, o); err != nil || res.Done != 5 {
		t.Fatalf("%+v %v", res, err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	res, err := batch.Run(ctx, r, o)
	if err == nil || res.Done+res.Skipped > 1 {
		t.Fatalf("a stopped run: %+v %v", res.Progress, err)
	}
	if n := len(res.Manifest.Inputs); n != 5 {
		t.Errorf("the stopped run's manifest has %d inputs; the last run's 5 were done", n)
	}
	if res, err := batch.Run(context.Background(), r, o); err != nil || res.Skipped != 5 || res.Done != 0 {
		t.Errorf("after it: %+v %v", res.Progress, err)
	}
}

// An input that changed so that its document's name changed leaves no
// file of the old name behind.
func TestAChangedInputLeavesNoStaleFile(t *testing.T) {
	in, out := t.TempDir(), t.TempDir()
	body := examples.Read(examples.Meeting)
	if err := os.WriteFile(filepath.Join(in, "m.json"), body, 0o644); err != nil {
		t.Fatal(err)
	}
	r, err := render.New(render.Config{Templates: templates.FS})
	if err != nil {
		t.Fatal(err)
	}
	o := batch.Options{Input: in, Out: out, Kinds: []batch.Kind{batch.Agenda}}
	first, err := batch.Run(context.Background(), r, o)
	if err != nil || first.Done != 1 {
		t.Fatalf("%+v %v", first, err)
	}
	old := first.Manifest.Inputs["m.json"].Outputs[0].Path
	changed := bytes.Replace(body, []byte("Beskæftigelsesudvalget"), []byte("Socialudvalget"), 1)
	if err := os.WriteFile(filepath.Join(in, "m.json"), changed, 0o644); err != nil {
		t.Fatal(err)
	}
	second, err := batch.Run(context.Background(), r, o)
	if err != nil || second.Done != 1 {
		t.Fatalf("%+v %v", second, err)
	}
	now := second.Manifest.Inputs["m.json"].Outputs[0].Path
	if now == old {
		t.Fatalf("the name did not change (%s): the test proves nothing", now)
	}
	if _, err := os.Stat(filepath.Join(out, old)); err == nil {
		t.Errorf("%s is left behind", old)
	}
	if _, err := os.Stat(filepath.Join(out, now)); err != nil {
		t.Errorf("%s: %v", now, err)
	}
}

// An input larger than any document is refused by its size, unread (a
// sparse file of 300 MiB costs the test nothing).
func TestAHugeInputIsRefusedUnread(t *testing.T) {
	in, out := t.TempDir(), t.TempDir()
	f, err := os.Create(filepath.Join(in, "huge.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(300 << 20); err != nil {
		t.Fatal(err)
	}
	f.Close()
	r, err := render.New(render.Config{Templates: templates.FS})
	if err != nil {
		t.Fatal(err)
	}
	res, err := batch.Run(context.Background(), r, batch.Options{Input: in, Out: out, Kinds: []batch.Kind{batch.Agenda}})
	if err != nil || res.Failed != 1 || len(res.Failures) != 1 || !strings.Contains(res.Failures[0], "huge.json: the file is 300 MiB; at most 256 MiB are read") {
		t.Errorf("%+v %v %v", res.Progress, res.Failures, err)
	}
}

// A pipe named like a meeting is not opened (it would block a worker
// forever); it fails by name and the others are rendered.
func TestAPipeAmongTheInputsFailsWithoutBlocking(t *testing.T) {
	in, out, r := meetingAndBudget(t)
	if err := syscall.Mkfifo(filepath.Join(in, "pipe.json"), 0o600); err != nil {
		t.Skip(err)
	}
	res, err := batch.Run(context.Background(), r, batch.Options{Input: in, Out: out, Kinds: []batch.Kind{batch.Agenda}})
	if err != nil || res.Failed != 1 || res.Done != 2 || !strings.Contains(strings.Join(res.Failures, "\n"), "pipe.json: not a regular file") {
		t.Errorf("%+v %v %v", res.Progress, res.Failures, err)
	}
}

// A document that takes longer than the timeout fails by name, saying
// so (not as a stopped run); with time enough the same input renders.
func TestADocumentOverItsTimeoutFailsAlone(t *testing.T) {
	in, out, r := meetingAndBudget(t)
	o := batch.Options{Input: in, Out: out, Kinds: []batch.Kind{batch.Agenda}, Timeout: time.Nanosecond}
	res, err := batch.Run(context.Background(), r, o)
	if err != nil || res.Failed != 1 || len(res.Failures) != 1 || !strings.Contains(res.Failures[0], "m.json: agenda: it took longer than 1ns (--timeout)") {
		t.Errorf("%+v %v %v", res.Progress, res.Failures, err)
	}
	o.Timeout = time.Minute
	if res, err := batch.Run(context.Background(), r, o); err != nil || res.Done != 1 || res.Failed != 0 {
		t.Errorf("the same run with a minute: %+v %v %v", res.Progress, res.Failures, err)
	}
}

// --seal seals the minutes and decision records and their public
// versions, each verifying as whole and trusted; the agenda made beside
// them is not sealed.
func TestBatchSealsTheRecords(t *testing.T) {
	ca := sealtest.NewCA(t, "Root")
	r, err := render.New(render.Config{Templates: templates.FS, Seal: ca.Signer(t, "Odense Kommune", "ecdsa")})
	if err != nil {
		t.Fatal(err)
	}
	in, out := t.TempDir(), t.TempDir()
	if err := os.WriteFile(filepath.Join(in, "m.json"), examples.Read(examples.Minutes), 0o644); err != nil {
		t.Fatal(err)
	}
	o := batch.Options{Input: in, Out: out, Kinds: []batch.Kind{batch.Agenda, batch.Minutes, batch.Decisions, batch.Public}, Render: render.Options{Seal: true}}
	res, err := batch.Run(context.Background(), r, o)
	if err != nil || res.Done != 1 || res.Failed != 0 {
		t.Fatalf("%+v %v %v", res.Progress, res.Failures, err)
	}
	trust := &seal.Trust{Roots: x509.NewCertPool()}
	trust.Roots.AddCert(ca.Cert)
	sealed := 0
	for _, o := range res.Manifest.Inputs["m.json"].Outputs {
		b, err := os.ReadFile(filepath.Join(out, filepath.FromSlash(o.Path)))
		if err != nil {
			t.Fatal(err)
		}
		rep, err := seal.Verify(t.Context(), b, trust)
		if err != nil {
			t.Fatal(err)
		}
		want := o.Kind == batch.Minutes || o.Kind == batch.Decisions
		if got := len(rep.Seals) == 1 && rep.Seals[0].Valid(); got != want || len(rep.Seals) > 1 {
			t.Errorf("%s (public %t): sealed and valid %t, want %t: %+v", o.Path, o.Public, got, want, rep.Seals)
		}
		if want {
			sealed++
		}
	}
	if sealed != 4 {
		t.Errorf("%d sealed documents, not 4 (minutes, decisions, and their public versions): %+v", sealed, res.Manifest.Inputs["m.json"].Outputs)
	}
}

// A packet's note of what its attachment files held that it does not
// carry goes into the manifest with the input.
func TestPacketNotesAreInTheManifest(t *testing.T) {
	in, out, files := t.TempDir(), t.TempDir(), t.TempDir()
	if err := os.WriteFile(filepath.Join(in, "m.json"), examples.Read(examples.Meeting), 0o644); err != nil {
		t.Fatal(err)
	}
	entries, err := fs.ReadDir(examples.FS, examples.Attachments)
	if err != nil {
		t.Fatal(err)
	}
	for i, e := range entries {
		b, _ := fs.ReadFile(examples.FS, examples.Attachments+"/"+e.Name())
		if i == 0 {
			b = pdftest.Annotated()
		}
		if err := os.WriteFile(filepath.Join(files, e.Name()), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	r, err := render.New(render.Config{Templates: templates.FS})
	if err != nil {
		t.Fatal(err)
	}
	res, err := batch.Run(context.Background(), r, batch.Options{Input: in, Out: out, Kinds: []batch.Kind{batch.Packet, batch.Public}, Attachments: files})
	if err != nil || res.Done != 1 || res.Failed != 0 {
		t.Fatalf("%+v %v %v", res.Progress, res.Failures, err)
	}
	want := entries[0].Name() + ": 2 links, 1 form field and 1 comment are not carried over into the packet"
	if notes := res.Manifest.Inputs["m.json"].Notes; !slices.Contains(notes, want) || len(notes) != 1 {
		t.Errorf("notes %q, want %q once", notes, want)
	}
}
