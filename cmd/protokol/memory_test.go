package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"protokol/examples"
	"protokol/internal/attach"
	"protokol/internal/data"
	"protokol/internal/render"
)

// runEnv, when set, makes the test binary run the command its value
// holds (arguments separated by newlines) instead of the tests, so a
// test can measure a render as a process of its own.
const runEnv = "PROTOKOL_TEST_RUN"

// peakLine starts the line where the child says its peak.
const peakLine = "protokol-test-peak:"

// childPeak is the peak resident memory the child said, in bytes, and
// its standard error without that line.
func childPeak(t *testing.T, stderr string) (int64, string) {
	t.Helper()
	before, after, ok := strings.Cut(stderr, peakLine)
	if !ok {
		t.Fatalf("the child did not say its peak: %s", stderr)
	}
	kb, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(after), "kB")), 10, 64)
	if err != nil {
		t.Fatalf("the child's peak %q: %v", after, err)
	}
	return kb << 10, strings.TrimSpace(before)
}

func TestMain(m *testing.M) {
	attach.ServeWorker() // renders' attachment files are read by this binary, started again
	if args, ok := os.LookupEnv(runEnv); ok {
		code := run(strings.Split(args, "\n"), os.Stdin, os.Stdout, os.Stderr)
		// its own peak (VmHWM): the rusage of a child started with
		// vfork counts the parent's resident pages from before the exec
		if status, err := os.ReadFile("/proc/self/status"); err == nil {
			for _, line := range strings.Split(string(status), "\n") {
				if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
					fmt.Fprintf(os.Stderr, "%s %s\n", peakLine, strings.TrimSpace(v))
				}
			}
		}
		os.Exit(code)
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
	peak, said := childPeak(t, errs.String())
	t.Logf("peak resident memory %d MB; %s", peak>>20, said)
	if peak > 80<<20 {
		t.Errorf("a 100,000-line workbook peaked at %d MB; the goal is at most 80 MB", peak>>20)
	}
}

// shaped is a meeting of about size bytes whose items' text is body
// repeated.
func shaped(t *testing.T, size int, body string) []byte {
	t.Helper()
	var items []string
	n := 0
	for total := 0; total < size; n++ {
		b, _ := json.Marshal(body)
		item := fmt.Sprintf(`{"number":"%d","title":"Punkt %d","sections":[{"heading":"Afsnit","body":%s}]}`, n+1, n+1, b)
		items = append(items, item)
		total += len(item)
	}
	return []byte(`{"municipality":"Aalborg Kommune","committee":"Udvalget","start":"2014-08-19T13:00:00+02:00","location":"Sted","items":[` +
		strings.Join(items, ",") + `]}`)
}

func table(cols, rows int, cell func(int) string) string {
	var b strings.Builder
	for r := -2; r < rows; r++ {
		b.WriteString("|")
		for c := range cols {
			switch r {
			case -2:
				fmt.Fprintf(&b, "Kolonne %d|", c)
			case -1:
				b.WriteString("---|")
			default:
				b.WriteString(cell(c) + "|")
			}
		}
		b.WriteString("\n")
	}
	return b.String()
}

// TestCostBoundsTheWorstShapes renders the shapes the memory cost model
// is fitted to (wide and narrow Markdown tables, nested lists, plain
// text), each as a process of its own under Go's default GC, and holds
// its peak resident memory under render.Cost: the server admits renders
// by it, so a shape that costs more would take the service past its
// budget.
func TestCostBoundsTheWorstShapes(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("renders megabytes of tables; memory is not comparable under -race")
	}
	number := func(c int) string { return strconv.Itoa(c*1000) + ".000" }
	shapes := map[string]string{
		"40 narrow columns": table(40, 200, number),
		"12 columns":        table(12, 400, strconv.Itoa),
		"5 columns":         table(5, 400, number),
		"nested lists":      strings.Repeat("- punkt med tekst\n  - underpunkt med mere tekst\n", 300),
		"paragraphs":        strings.Repeat(strings.Repeat("En almindelig sætning i et referat om beskæftigelse. ", 8)+"\n\n", 60),
	}
	dir := t.TempDir()
	for name, body := range shapes {
		in := filepath.Join(dir, "m.json")
		doc := shaped(t, 500_000, body)
		if err := os.WriteFile(in, doc, 0o644); err != nil {
			t.Fatal(err)
		}
		cmd := exec.Command(os.Args[0])
		cmd.Env = append(os.Environ(), runEnv+"=render\nminutes\n-i\n"+in+"\n-o\n"+filepath.Join(dir, "m.pdf"), "GOGC=", "GOMEMLIMIT=")
		var errs bytes.Buffer
		cmd.Stderr = &errs
		if err := cmd.Run(); err != nil {
			t.Fatalf("%s: %v: %s", name, err, errs.String())
		}
		peak, said := childPeak(t, errs.String())
		cost := render.Cost(data.DocMinutes, render.FormatPDF, len(doc))
		t.Logf("%s: %d KB of JSON, peak %d MB, cost %d MB; %s", name, len(doc)>>10, peak>>20, cost>>20, said)
		if peak > cost {
			t.Errorf("%s: peak %d MB over its cost %d MB", name, peak>>20, cost>>20)
		}
	}
}
