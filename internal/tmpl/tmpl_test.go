package tmpl

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"testing/fstest"
	"text/template"
	"time"

	"protokol/examples"
	"protokol/internal/data"
	"protokol/internal/view"
	"protokol/templates"
)

func meetingView(t testing.TB) *view.Meeting {
	t.Helper()
	m, err := data.DecodeMeeting(examples.Read(examples.Meeting))
	if err != nil {
		t.Fatal(err)
	}
	return view.NewMeeting(m, view.MeetingOptions{Document: data.DocMinutes})
}

// set makes a registry with one embedded set "t" holding agenda.md.tmpl.
// testDocFuncs stand in for the layout's helpers, which the embedded sets
// call in their footers.
var testDocFuncs = template.FuncMap{"page": func() string { return "1" }, "pages": func() string { return "1" }}

func set(t *testing.T, src string, lim Limits) (*Registry, error) {
	t.Helper()
	return New(fstest.MapFS{"t/agenda.md.tmpl": {Data: []byte(src)}}, "", lim, testDocFuncs, nil)
}

func TestEmbeddedSetsRender(t *testing.T) {
	r, err := New(templates.FS, "", Limits{}, testDocFuncs, nil)
	if err != nil {
		t.Fatal(err)
	}
	v := meetingView(t)
	for _, s := range []string{"default", "compact"} {
		for _, kind := range []data.Document{data.DocAgenda, data.DocMinutes} {
			out, err := r.Execute(context.Background(), s, kind, v)
			if err != nil {
				t.Fatalf("%s/%s: %v", s, kind, err)
			}
			if !strings.Contains(out.Body, "Punkt 5. Udkast til strategien") || out.Parts["footer-left"] == "" || out.Parts["title"] == "" {
				t.Errorf("%s/%s: body or parts missing: %v", s, kind, out.Parts)
			}
		}
	}
}

func TestHostileTemplatesAreRefusedOrStopped(t *testing.T) {
	lim := Limits{Timeout: 500 * time.Millisecond}
	tests := []struct {
		name, src string
		atLoad    bool   // refused when the set is loaded
		want      string // in the error
	}{
		{"env", `{{env "HOME"}}`, true, `function "env" not defined`},
		{"expandenv", `{{expandenv "$HOME"}}`, true, `function "expandenv" not defined`},
		{"certificates", `{{genCA "x" 365}}`, true, `function "genCA" not defined`},
		{"clock", `{{now}}`, true, `function "now" not defined`},
		{"network", `{{getHostByName "example.com"}}`, true, `function "getHostByName" not defined`},
		{"self-referencing dict", `{{$d := dict}}{{set $d "me" $d}}{{$d}}`, true, `function "set" not defined`},
		{"range over a huge literal", "line 1\n{{range 50000000}}{{end}}", true, "agenda.md.tmpl:2"},
		{"repeat", `{{repeat 200000000 "x"}}`, false, "repeat 200000000"},
		{"until", `{{range until 50000000}}{{end}}`, false, "until 50000000"},
		{"printf width", `{{printf "%999999999d" 1}}`, false, "printf width"},
		{"doubling strings", `{{$s := "xxxxxxxxxx"}}{{range until 40}}{{$s = cat $s $s}}{{end}}{{$s}}`, false, "cat could return"},
		// helpers that would build gigabytes from small inputs are refused before they allocate
		{"replace amplifies", `{{replace "x" (repeat 10000 "y") (repeat 100000 "x")}}`, false, "replace could return"},
		{"replace of nothing", `{{replace "" (repeat 1000 "y") (repeat 100000 "x")}}`, false, "replace could return"},
		{"join of one string many times", `{{$s := repeat 1000000 "x"}}{{$l := list $s $s $s $s $s $s $s $s}}{{$l = concat $l $l $l $l $l $l $l $l}}{{join "," (concat $l $l $l $l $l $l $l $l)}}`, false, "join could return"},
		{"regexReplaceAll expands", `{{regexReplaceAll "x" (repeat 100000 "x") (repeat 10000 "y")}}`, false, "regexReplaceAll could return"},
		{"regexReplaceAll references", `{{regexReplaceAll "(x+)" (repeat 500000 "x") "$1$1$1$1"}}`, false, "regexReplaceAll could return"},
		{"heavy regular expression", `{{regexMatch "((a?){30}){30}b" (repeat 1000000 "a")}}`, false, "too costly"},
		{"bad regular expression", `{{regexMatch "(" "x"}}`, false, "missing closing )"},
		{"wrapWith amplifies", `{{wrapWith 1 (repeat 100000 "y") (repeat 50000 "a ")}}`, false, "wrapWith could return"},
		{"printf with argument index", `{{$s := repeat 1000000 "x"}}{{printf (repeat 1000 "%[1]s") $s}}`, false, "printf could return"},
		{"print many", `{{$s := repeat 1000000 "x"}}{{print $s $s $s $s $s $s $s $s $s $s}}`, false, "print of arguments over"},
		{"indent many lines", `{{indent 100 (repeat 1000000 "\n")}}`, false, "indent would return"},
		{"nested loops writing nothing", `{{range until 10000}}{{range until 10000}}{{range until 10000}}{{end}}{{end}}{{end}}`, false, "template limit reached"},
		{"nested loops over data", `{{range .Items}}{{range $.Items}}{{range $.Items}}{{range $.Items}}{{range $.Items}}{{range $.Items}}{{range $.Items}}{{end}}{{end}}{{end}}{{end}}{{end}}{{end}}{{end}}`, false, "template limit reached"},
		{"range over a computed integer", `{{range mul 100000 100000}}{{end}}`, false, "template limit reached"},
		{"infinite recursion", `{{define "x"}}{{template "x" .}}{{end}}{{template "x" .}}`, false, "more than 64 deep"},
		{"huge output", `{{range until 100000}}{{repeat 1000 "x"}}{{end}}`, false, "wrote more than"},
		{"fail", "\n\n{{fail \"stop here\"}}", false, "agenda.md.tmpl:3"},
		{"missing field", "{{.Nope}}", false, "agenda.md.tmpl:1"},
		{"the host's time zone", "{{.Start.Time.Local}}", false, "can't evaluate field Time"},
	}
	v := meetingView(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var before runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			start := time.Now()
			l := lim
			if tt.name == "huge output" {
				// a generous deadline, so the output cap is what stops it
				// even on a slow or busy machine
				l = Limits{Timeout: 10 * time.Second, MaxOutput: 1 << 20}
			}
			r, err := set(t, tt.src, l)
			if tt.atLoad {
				if err == nil || !strings.Contains(err.Error(), tt.want) {
					t.Fatalf("want a load error with %q, got %v", tt.want, err)
				}
				return
			}
			if err != nil {
				t.Fatalf("load: %v", err)
			}
			_, err = r.Execute(context.Background(), "t", "agenda", v)
			var ee *ExecError
			if !errors.As(err, &ee) || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("want an execution error with %q, got %v", tt.want, err)
			}
			if !strings.Contains(err.Error(), "t/agenda.md.tmpl") {
				t.Errorf("the error does not name the template: %v", err)
			}
			if d := time.Since(start); d > 3*time.Second {
				t.Errorf("stopped only after %s", d)
			}
			var after runtime.MemStats
			runtime.ReadMemStats(&after)
			if grew := after.TotalAlloc - before.TotalAlloc; grew > 300<<20 {
				t.Errorf("allocated %d MB before it was stopped", grew>>20)
			}
		})
	}
}

// uniq was quadratic in sprig (100,000 elements: minutes, past every
// deadline, since a helper call cannot be interrupted); ours is linear.
func TestUniqIsLinear(t *testing.T) {
	r, err := set(t, `{{len (uniq (concat (splitList " " (seq 50000)) (splitList " " (seq 50000))))}}`, Limits{})
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	out, err := r.Execute(context.Background(), "t", "agenda", meetingView(t))
	if err != nil || out.Body != "50000" {
		t.Fatalf("%q %v", out, err)
	}
	if d := time.Since(start); d > 5*time.Second { // generous: quadratic took minutes
		t.Errorf("took %s", d)
	}
}

func TestDeadlineStopsARunawayLoop(t *testing.T) {
	r, err := set(t, `{{range until 100000}}{{range until 100000}}{{end}}{{end}}`, Limits{Timeout: 100 * time.Millisecond, MaxLoops: 1 << 40})
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	_, err = r.Execute(context.Background(), "t", "agenda", meetingView(t))
	if !errors.Is(err, ErrLimit) || !strings.Contains(err.Error(), "longer than 100ms") {
		t.Fatalf("want the time limit, got %v", err)
	}
	if d := time.Since(start); d > 5*time.Second { // generous: the point is that it stops
		t.Errorf("took %s", d)
	}
}

func TestSetsOnDiskOverrideAndReload(t *testing.T) {
	dir := t.TempDir()
	write := func(name, src string) {
		t.Helper()
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("default/agenda.md.tmpl", "# Helsingør {{.DocumentName}}\n{{template \"extra\" .}}")
	write("default/_extra.tmpl", `{{define "extra"}}Beslutninger følger.{{end}}`)
	write("kommune/minutes.md.tmpl", "# {{.DocumentName}}")
	r, err := New(templates.FS, dir, Limits{}, testDocFuncs, nil)
	if err != nil {
		t.Fatal(err)
	}
	out, err := r.Execute(context.Background(), "default", "agenda", meetingView(t))
	if err != nil || out.Body != "# Helsingør Referat\nBeslutninger følger." {
		t.Fatalf("override: %q %v", out, err)
	}
	if err := r.Check("default", "minutes"); !errors.Is(err, ErrUnknownKind) {
		t.Errorf("the disk set replaces the embedded one whole; minutes: %v", err)
	}
	if err := r.Check("compact", "agenda"); err != nil {
		t.Errorf("embedded sets stay: %v", err)
	}
	var names []string
	for _, s := range r.Sets() {
		names = append(names, s.Name+":"+s.Source)
	}
	if strings.Join(names, " ") != "compact:embedded default:directory kommune:directory" {
		t.Errorf("sets: %v", names)
	}
	if r.Changed() {
		t.Error("nothing changed yet")
	}
	time.Sleep(10 * time.Millisecond)
	write("default/agenda.md.tmpl", "# Ny {{.DocumentName}}")
	if !r.Changed() {
		t.Fatal("the change was not seen")
	}
	if err := r.Reload(); err != nil {
		t.Fatal(err)
	}
	if out, _ := r.Execute(context.Background(), "default", "agenda", meetingView(t)); out.Body != "# Ny Referat" {
		t.Errorf("after reload: %q", out.Body)
	}
	// a broken change is refused, with file and line, and the old sets stay
	write("default/agenda.md.tmpl", "# Ny\n{{if}}")
	err = r.Reload()
	if err == nil || !strings.Contains(err.Error(), "default/agenda.md.tmpl:2") {
		t.Fatalf("want a parse error naming file and line, got %v", err)
	}
	if out, _ := r.Execute(context.Background(), "default", "agenda", meetingView(t)); out.Body != "# Ny Referat" {
		t.Errorf("the old set should stay in use: %q", out.Body)
	}
	// a directory that stays broken is reported once, not at every poll
	if r.Changed() {
		t.Error("the broken directory counts as changed again after its failed load")
	}
	time.Sleep(10 * time.Millisecond)
	write("default/agenda.md.tmpl", "# Rettet {{.DocumentName}}")
	if !r.Changed() {
		t.Error("the repair was not seen")
	}
}

func TestUnknownSetsAndDirectories(t *testing.T) {
	r, err := New(templates.FS, "", Limits{}, testDocFuncs, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := r.Check("helsingor", "agenda"); !errors.Is(err, ErrUnknownSet) || !strings.Contains(err.Error(), "the sets are compact, default") {
		t.Errorf("an unknown set does not list the sets: %v", err)
	}
	missing := filepath.Join(t.TempDir(), "nonexistent")
	if _, err := New(templates.FS, missing, Limits{}, testDocFuncs, nil); err == nil || err.Error() != "template directory "+missing+" does not exist" {
		t.Errorf("a missing directory: %v", err)
	}
}

func TestHelpers(t *testing.T) {
	r, err := set(t, `{{partylist .Lang .Absent}}|{{people .Lang .Others}}|{{esc "1. *a* [b](c) {#d} | e"}}|`+
		`{{number "da" "-1234567.891" 2}}|{{number "en" 1234567 0}}|{{longdate "da" .Start}}|{{shortdate "en" .Start}}|`+
		`{{joinand "da" (list "a" "b" "c")}}|{{plural 2 "bilag" "bilag"}}|{{.Start.Long}}|{{capfirst .Start.Weekday}}`, Limits{})
	if err != nil {
		t.Fatal(err)
	}
	out, err := r.Execute(context.Background(), "t", "agenda", meetingView(t))
	if err != nil {
		t.Fatal(err)
	}
	want := `Daniel Nyboe Andersen (B), Per Clausen (Ø)|Arne Lund Kristensen (direktør), Jørgen Christensen, Jesper Dahlgaard (jobcenterchef) og Birgitte Welling (ref.)|` +
		`1\. \*a\* \[b\](c) \{\#d\} \| e|-1.234.567,89|1,234,567|tirsdag den 19. august 2014|19/08/2014|a, b og c|bilag|tirsdag den 19. august 2014|Tirsdag`
	if out.Body != want {
		t.Errorf("helpers:\n got %s\nwant %s", out.Body, want)
	}
}

func TestPartyListGroupsConsecutiveMembers(t *testing.T) {
	ps := []view.Person{{Name: "Per Tærsbøl", Party: "C"}, {Name: "John Calberg", Party: "C"}, {Name: "Philip Læborg", Party: "C"}, {Name: "Per Clausen", Party: "Ø"}, {Name: "Uden Parti"}}
	if got := partyList("da", ps); got != "Per Tærsbøl, John Calberg og Philip Læborg (C), Per Clausen (Ø), Uden Parti" {
		t.Errorf("got %q", got)
	}
}
