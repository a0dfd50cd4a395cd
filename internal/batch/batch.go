// Package batch renders many documents in one run: a directory of
// meetings, budgets and case-system exports (or NDJSON), each into the
// documents asked for, by parallel workers under the service's memory
// admission. A manifest records every input's hash and its outputs'
// hashes, so a second run skips what is done and redoes what changed,
// and a run stopped half-way leaves no half-written file. A stable share
// of the inputs (--shard I/N) lets an Indexed Job spread an archive over
// machines; the shards' manifests merge into one.
package batch

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"hash/fnv"
	"io"
	"io/fs"
	"maps"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/go-json-experiment/json"
	"golang.org/x/sync/semaphore"

	"protokol/internal/bounded"
	"protokol/internal/esdh"
	"protokol/internal/render"
)

// Kind is a document a batch makes of an input.
type Kind string

// The kinds: of a meeting, the agenda, minutes and decision record,
// their public versions (public), the agenda packet with the attachments'
// files (packet); of a budget, the workbook (xlsx) and the PDF (pdf).
const (
	Agenda    Kind = "agenda"
	Minutes   Kind = "minutes"
	Decisions Kind = "decisions"
	Public    Kind = "public"
	Packet    Kind = "packet"
	XLSX      Kind = "xlsx"
	PDF       Kind = "pdf"
)

// Kinds are every kind, in their order.
var Kinds = []Kind{Agenda, Minutes, Decisions, Public, Packet, XLSX, PDF}

// ParseKinds reads "agenda,minutes,public".
func ParseKinds(s string) ([]Kind, error) {
	var out []Kind
	for _, k := range strings.Split(s, ",") {
		k = strings.TrimSpace(k)
		if !slices.Contains(Kinds, Kind(k)) {
			return nil, fmt.Errorf("%q is not a kind: agenda, minutes, decisions, public, packet (meetings), xlsx, pdf (budgets)", k)
		}
		if !slices.Contains(out, Kind(k)) {
			out = append(out, Kind(k))
		}
	}
	return out, nil
}

// Options are a batch run's.
type Options struct {
	Input string    // a directory, or "-": NDJSON on Stdin
	Stdin io.Reader // for "-"
	Out   string    // the output directory
	Kinds []Kind
	// Workers render at once (at least 1).
	Workers int
	// Shard of Shards: this run takes the inputs whose key hashes to
	// Shard (0-based) modulo Shards; Shards 0 or 1 takes all.
	Shard, Shards int
	Render        render.Options // template, language
	// Attachments is the directory of the attachments' PDFs for JSON
	// meetings ("" none); an export's are in its own directory.
	Attachments string
	Fill        esdh.Options // what an export may lack
	// MemoryBudget bounds what the renders in hand may take together,
	// each admitted by its expected cost (render.Cost), as the service
	// admits them.
	MemoryBudget int64
	// Timeout bounds each document's render (and an export's import),
	// counted once its memory is admitted, as the service's render
	// timeout is; one that takes longer fails, the others go on. 0: none.
	Timeout time.Duration
	// Progress, when set, is told how the run goes.
	Progress func(Progress)
}

// Progress is how far a run is.
type Progress struct {
	Inputs, Done, Skipped, Failed int // inputs: all of this shard (-1 while NDJSON is still coming); done (rendered), skipped (unchanged), failed
	Documents, Pages              int
	Elapsed                       time.Duration
	Final                         bool
}

// Result is a finished (or stopped) run.
type Result struct {
	Progress
	Manifest *Manifest
	Failures []string // "input: problem", in input order
}

// input is one document to render.
type input struct {
	key  string // its relative path, or "-:LINE" for NDJSON
	body func() ([]byte, error)
	dir  string // an export's directory (relative to the input directory), or ""
	xml  bool
}

// Run renders the inputs of o into o.Out. A cancelled ctx stops it
// cleanly: renders in hand finish or are abandoned before their files
// are renamed into place, and the manifest records what is done.
func Run(ctx context.Context, r *render.Renderer, o Options) (*Result, error) {
	if o.Workers < 1 {
		o.Workers = 1
	}
	if o.Shards < 1 {
		o.Shards = 1
	}
	if o.MemoryBudget <= 0 {
		o.MemoryBudget = 1 << 30
	}
	if err := os.MkdirAll(o.Out, 0o755); err != nil {
		return nil, err
	}
	out, err := os.OpenRoot(o.Out)
	if err != nil {
		return nil, err
	}
	defer out.Close()
	var in *os.Root
	if o.Input != "-" {
		if in, err = os.OpenRoot(o.Input); err != nil {
			return nil, err
		}
		defer in.Close()
	}
	j := &job{o: o, r: r, in: in, out: out, mem: semaphore.NewWeighted(o.MemoryBudget), settings: settingsOf(o), start: time.Now()}
	if j.prev, err = loadManifest(out, manifestName(o.Shard, o.Shards)); err != nil {
		return nil, err
	}
	if j.journal, err = out.OpenFile(manifestName(o.Shard, o.Shards)+".journal", os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644); err != nil {
		return nil, err
	}
	var inputs func(yield func(input) bool) error
	if in == nil {
		// NDJSON is rendered as it comes: a line at a time in hand
		// per worker, however long the stream
		j.progress.Inputs = -1
		inputs = func(yield func(input) bool) error {
			err := ndjson(o, yield)
			j.mu.Lock()
			j.progress.Inputs = len(j.seen)
			j.mu.Unlock()
			return err
		}
	} else {
		list, err := listInputs(o, in)
		if err != nil {
			j.journal.Close()
			return nil, err
		}
		j.progress.Inputs = len(list)
		j.seen = map[string]bool{}
		for _, i := range list {
			j.seen[i.key] = true // this run's inputs, reached or not
		}
		inputs = func(yield func(input) bool) error {
			for _, i := range list {
				if !yield(i) {
					break
				}
			}
			return nil
		}
	}
	readErr := j.run(ctx, inputs)
	j.stopped = ctx.Err() != nil
	j.journal.Close()
	res := &Result{Progress: j.snapshot(true), Manifest: j.manifest(), Failures: j.failures()}
	if err := writeManifest(out, manifestName(o.Shard, o.Shards), res.Manifest); err != nil {
		return res, err
	}
	_ = out.Remove(manifestName(o.Shard, o.Shards) + ".journal") // recorded in the manifest now
	if o.Progress != nil {
		o.Progress(res.Progress)
	}
	if readErr != nil {
		return res, readErr
	}
	return res, ctx.Err()
}

// job is a run under way.
type job struct {
	o        Options
	r        *render.Renderer
	in, out  *os.Root
	mem      *semaphore.Weighted
	settings string
	start    time.Time
	prev     *Manifest // the last run's, with its journal

	mu       sync.Mutex
	entries  map[string]*Entry
	seen     map[string]bool // this run's inputs: all listed, or the NDJSON lines read
	stopped  bool
	journal  *os.File
	progress Progress
}

func (j *job) run(ctx context.Context, inputs func(yield func(input) bool) error) error {
	j.entries = map[string]*Entry{}
	if j.seen == nil {
		j.seen = map[string]bool{}
	}
	next := make(chan input)
	var wg sync.WaitGroup
	for range j.o.Workers {
		wg.Go(func() {
			for in := range next {
				j.one(ctx, in)
			}
		})
	}
	stopTicker := j.tick()
	err := inputs(func(in input) bool {
		j.mu.Lock()
		j.seen[in.key] = true
		j.mu.Unlock()
		select {
		case next <- in:
			return true
		case <-ctx.Done():
			return false
		}
	})
	close(next)
	wg.Wait()
	stopTicker()
	return err
}

// tick tells the progress every half second.
func (j *job) tick() func() {
	if j.o.Progress == nil {
		return func() {}
	}
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		t := time.NewTicker(500 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				j.o.Progress(j.snapshot(false))
			}
		}
	})
	return func() { close(done); wg.Wait() }
}

func (j *job) snapshot(final bool) Progress {
	j.mu.Lock()
	defer j.mu.Unlock()
	p := j.progress
	p.Elapsed, p.Final = time.Since(j.start), final
	return p
}

// one renders an input's documents, or skips it when the last run made
// them from the same bytes with the same settings and they are still
// there, unchanged.
func (j *job) one(ctx context.Context, in input) {
	body, err := in.body()
	if err != nil {
		j.record(in.key, &Entry{Problems: []string{err.Error()}}, false)
		return
	}
	sum := sha256.Sum256(body)
	hash := hex.EncodeToString(sum[:])
	if prev := j.prev.Inputs[in.key]; prev != nil && prev.OK && prev.SHA256 == hash && prev.Settings == j.settings && j.intact(prev) {
		j.record(in.key, prev, true)
		return
	}
	e := &Entry{SHA256: hash, Settings: j.settings}
	e.OK = j.render(ctx, in, body, e)
	if ctx.Err() != nil && !e.OK {
		return // stopped: neither done nor failed, so redone next time
	}
	if prev := j.prev.Inputs[in.key]; prev != nil && e.OK {
		j.removeStale(prev, e)
	}
	j.record(in.key, e, false)
}

// removeStale removes what the last run made of an input that this run
// did not make again (a changed committee or date names the file anew):
// the output directory holds what the manifest says, nothing older.
func (j *job) removeStale(prev, now *Entry) {
	made := map[string]bool{}
	for _, o := range now.Outputs {
		made[o.Path] = true
	}
	for _, o := range prev.Outputs {
		if !made[o.Path] {
			_ = j.out.Remove(o.Path)
		}
	}
}

// intact: every output the entry names is there with its hash.
func (j *job) intact(e *Entry) bool {
	for _, o := range e.Outputs {
		f, err := j.out.Open(o.Path)
		if err != nil {
			return false
		}
		h := sha256.New()
		_, err = io.Copy(h, f)
		f.Close()
		if err != nil || hex.EncodeToString(h.Sum(nil)) != o.SHA256 {
			return false
		}
	}
	return true
}

// record files an input's entry and tells the journal.
func (j *job) record(key string, e *Entry, skipped bool) {
	line, _ := json.Marshal(journalLine{Key: key, Entry: e})
	j.mu.Lock()
	defer j.mu.Unlock()
	j.entries[key] = e
	switch {
	case skipped:
		j.progress.Skipped++
	case e.OK:
		j.progress.Done++
	default:
		j.progress.Failed++
	}
	if !skipped {
		for _, o := range e.Outputs {
			j.progress.Documents++
			j.progress.Pages += o.Pages
		}
		_, _ = j.journal.Write(append(line, '\n'))
	}
}

func (j *job) manifest() *Manifest {
	j.mu.Lock()
	defer j.mu.Unlock()
	m := &Manifest{Version: 1, Inputs: map[string]*Entry{}}
	for k, e := range j.entries {
		m.Inputs[k] = e
	}
	// a stopped run keeps what the last one recorded of the inputs it did
	// not reach: they are still done
	for k, e := range j.prev.Inputs {
		if _, done := m.Inputs[k]; !done && (j.seen[k] || j.stopped && j.in == nil) {
			m.Inputs[k] = e // (NDJSON stopped: the lines not read yet may be these)
		}
	}
	return m
}

func (j *job) failures() []string {
	j.mu.Lock()
	defer j.mu.Unlock()
	var out []string
	for _, k := range slices.Sorted(maps.Keys(j.entries)) {
		if e := j.entries[k]; !e.OK {
			for _, p := range e.Problems {
				out = append(out, k+": "+p)
			}
		}
	}
	return out
}

// settingsOf is what shapes the outputs besides the input: the kinds,
// the template set, the language and what fills an export.
func settingsOf(o Options) string {
	kinds := make([]string, len(o.Kinds))
	for i, k := range o.Kinds {
		kinds[i] = string(k)
	}
	slices.Sort(kinds)
	h := sha256.Sum256(fmt.Appendf(nil, "kinds=%s template=%s lang=%s municipality=%s location=%s attachments=%t seal=%t",
		strings.Join(kinds, ","), o.Render.Template, o.Render.Lang, o.Fill.Municipality, o.Fill.Location, o.Attachments != "", o.Render.Seal))
	return hex.EncodeToString(h[:8])
}

// ndjson gives this shard's NDJSON lines as they come on o.Stdin (a line
// at most 256 MiB); blank lines are skipped, and count.
func ndjson(o Options, yield func(input) bool) error {
	sc := bufio.NewScanner(o.Stdin)
	sc.Buffer(make([]byte, 0, 1<<20), 256<<20)
	for n := 1; sc.Scan(); n++ {
		if len(bytes.TrimSpace(sc.Bytes())) == 0 {
			continue
		}
		key := fmt.Sprintf("-:%d", n)
		if ShardOf(key, o.Shards) != o.Shard {
			continue
		}
		line := bytes.Clone(sc.Bytes())
		if !yield(input{key: key, body: func() ([]byte, error) { return line, nil }}) {
			return nil
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("standard input: %w", err)
	}
	return nil
}

// listInputs are the inputs of this shard, in a stable order: a
// directory's .json files and case-system exports (.xml, their manifests
// left out), at any depth, hidden directories and the output directory
// skipped.
func listInputs(o Options, in *os.Root) ([]input, error) {
	var mine []input
	outAbs, _ := filepath.Abs(o.Out)
	inAbs, _ := filepath.Abs(o.Input)
	err := fs.WalkDir(in.FS(), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if p != "." && (strings.HasPrefix(d.Name(), ".") || filepath.Join(inAbs, p) == outAbs) {
				return fs.SkipDir
			}
			return nil
		}
		ext := strings.ToLower(path.Ext(p))
		if ext != ".json" && ext != ".xml" {
			return nil
		}
		limit := int64(maxJSON)
		if ext == ".xml" {
			limit = maxXML
		}
		if ShardOf(p, o.Shards) != o.Shard {
			return nil // another shard's: not read here
		}
		if ext == ".xml" {
			// a manifest names an agenda, an input of its own; it is small,
			// so a larger file is no manifest, and is not read whole here
			b, err := bounded.ReadFile(in.FS(), p, esdh.MaxManifestBytes)
			if err == nil && esdh.IsManifest(b) {
				return nil
			}
		}
		mine = append(mine, input{key: p, body: func() ([]byte, error) { return bounded.ReadFile(in.FS(), p, limit) }, dir: path.Dir(p), xml: ext == ".xml"})
		return nil
	})
	if err != nil {
		return nil, err
	}
	return mine, nil
}

// An input is read whole, so it is bounded first (package bounded): a
// meeting or budget as the command line's render reads it, an export as
// package esdh does.
const (
	maxJSON = 256 << 20
	maxXML  = 64 << 20
)

// ShardOf is the shard an input's key falls to: FNV-1a of the key modulo
// the shards, so a shard's share does not change with the machine, the
// order or the other inputs.
func ShardOf(key string, shards int) int {
	if shards <= 1 {
		return 0
	}
	h := fnv.New64a()
	h.Write([]byte(key))
	return int(h.Sum64() % uint64(shards))
}
