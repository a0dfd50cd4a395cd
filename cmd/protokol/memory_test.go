package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"protokol/internal/attach"
	"strings"
	"syscall"
	"testing"

	"protokol/examples"
)

// runEnv, when set, makes the test binary run the command its value
// holds (arguments separated by newlines) instead of the tests, so a
// test can measure a render as a process of its own.
const runEnv = "PROTOKOL_TEST_RUN"

func TestMain(m *testing.M) {
	attach.ServeWorker() // renders' attachment files are read by this binary, started again
	if args, ok := os.LookupEnv(runEnv); ok {
		os.Exit(run(strings.Split(args, "\n"), os.Stdin, os.Stdout, os.Stderr))
	}
	os.Exit(m.Run())
}

// TestWorkbookOf100000LinesPeaksUnder80MB renders a 100,000-line budget
// (7 MB of JSON) to a workbook as a process of its own, under Go's
// default GC, and reads its peak resident memory: at most 80 MB. (The
// test binary is larger than protokol's, so this is the harder case.)
func TestWorkbookOf100000LinesPeaksUnder80MB(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("renders 100,000 lines; memory is not comparable under -race")
	}
	dir := t.TempDir()
	in, out := filepath.Join(dir, "b.json"), filepath.Join(dir, "b.xlsx")
	if err := os.WriteFile(in, examples.LargeBudget(2000, 50), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(os.Args[0])
	cmd.Env = append(os.Environ(), runEnv+"=render\nbudget\n-i\n"+in+"\n-o\n"+out, "GOGC=", "GOMEMLIMIT=")
	var errs bytes.Buffer
	cmd.Stderr = &errs
	if err := cmd.Run(); err != nil {
		t.Fatalf("%v: %s", err, errs.String())
	}
	peak := cmd.ProcessState.SysUsage().(*syscall.Rusage).Maxrss << 10 // kilobytes on Linux
	t.Logf("peak resident memory %d MB; %s", peak>>20, strings.TrimSpace(errs.String()))
	if peak > 80<<20 {
		t.Errorf("a 100,000-line workbook peaked at %d MB; the goal is at most 80 MB", peak>>20)
	}
}
