package tmpl

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"slices"
	"sort"
	"strings"
	"sync"
	"text/template"
	"text/template/parse"
	"time"

	"protokol/internal/data"
)

// DefaultSet is the set used when none is named.
const DefaultSet = "default"

// Parts are the named templates a kind's template may define besides its
// body: document metadata and the running footer.
func Parts() []string { return []string{"title", "subject", "keywords", "footer-left", "footer-right"} }

const (
	tickFunc  = "_protokol_tick"
	enterFunc = "_protokol_enter"
	exitFunc  = "_protokol_exit"
)

// ErrUnknownSet: no set of that name. ErrUnknownKind: the set has no
// template for that document kind.
var (
	ErrUnknownSet  = errors.New("unknown template set")
	ErrUnknownKind = errors.New("the template set has no template for this document")
)

// Output is what one execution produced.
type Output struct {
	Body  string            // the document as Markdown
	Parts map[string]string // defined parts by name (see Parts)
}

// Set is one loaded template set.
type Set struct {
	Name   string
	Source string // "embedded", or "directory" for a set from the template directory
	About  About  // its name and description for people (set.json)
	kinds  map[data.Document]*template.Template
	assets Assets // what the caller's loader made of the set's other files
}

// Assets are what a Loader made of a set's files besides its templates
// (the layout's fonts, say).
type Assets interface {
	// Describe lists them for GET /v1/templates.
	Describe() []string
}

// Loader reads a set's other files when the set loads; an error fails
// the load like a template that does not parse. It returns nil when the
// set has none.
type Loader func(set fs.FS) (Assets, error)

// SetInfo describes a set for listings.
type SetInfo struct {
	Name   string `json:"name"`
	Source string `json:"source"`
	About
	Kinds  []data.Document `json:"kinds"`            // the documents it has templates for
	Assets []string        `json:"assets,omitempty"` // its own fonts, say
}

// Registry holds the loaded sets. It is safe for concurrent use; Reload
// swaps the sets atomically, so executions in flight finish on the sets
// they started with.
type Registry struct {
	lim      Limits
	funcs    template.FuncMap
	load     Loader
	embedded fs.FS
	dir      string

	mu    sync.RWMutex
	sets  map[string]*Set
	tried string // fingerprint of dir at the last load, whether it failed or not
}

// New loads the embedded sets (each a directory of embedded) and, if dir is
// not empty, the sets under dir. Any template that does not parse or breaks
// a load-time rule fails the whole load, with file and line. docFuncs are
// the caller's own helpers (the layout's page-number placeholders, say),
// added to the sandbox's; they must be bounded and free of side effects as
// the sandbox's are.
func New(embedded fs.FS, dir string, lim Limits, docFuncs template.FuncMap, load Loader) (*Registry, error) {
	lim = lim.withDefaults()
	funcs := staticFuncs(lim)
	for name, f := range docFuncs {
		funcs[name] = f
	}
	r := &Registry{lim: lim, funcs: funcs, embedded: embedded, dir: dir, load: load}
	if err := r.Reload(); err != nil {
		return nil, err
	}
	return r, nil
}

// Reload reads every set again. On error the sets loaded before stay in
// use and the error is returned; Changed stays false until the directory
// changes again, so a directory that stays broken is reported once.
func (r *Registry) Reload() error {
	if r.dir != "" {
		stamp := fingerprint(r.dir)
		r.mu.Lock()
		r.tried = stamp
		r.mu.Unlock()
	}
	sets := map[string]*Set{}
	if err := r.loadAll(r.embedded, "embedded", sets); err != nil {
		return err
	}
	if r.dir != "" {
		if fi, err := os.Stat(r.dir); err != nil || !fi.IsDir() {
			if errors.Is(err, fs.ErrNotExist) {
				return fmt.Errorf("template directory %s does not exist", r.dir)
			}
			if err == nil {
				return fmt.Errorf("template directory %s is not a directory", r.dir)
			}
			return fmt.Errorf("template directory %s: %w", r.dir, err)
		}
		if err := r.loadAll(os.DirFS(r.dir), "directory", sets); err != nil {
			// the operator's log names the directory; clients never see it
			return fmt.Errorf("template directory %s: %w", r.dir, err)
		}
	}
	r.mu.Lock()
	r.sets = sets
	r.mu.Unlock()
	return nil
}

// Changed reports whether the directory of sets changed since the last
// load (files added, removed, modified).
func (r *Registry) Changed() bool {
	if r.dir == "" {
		return false
	}
	stamp := fingerprint(r.dir)
	r.mu.RLock()
	defer r.mu.RUnlock()
	return stamp != r.tried
}

// fingerprint names every file under dir with its size and time; a
// directory that cannot be read is fingerprinted by its error, so it
// counts as changed once, not at every look.
func fingerprint(dir string) string {
	var b strings.Builder
	err := fs.WalkDir(os.DirFS(dir), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if info, err := d.Info(); err == nil && !d.IsDir() {
			fmt.Fprintf(&b, "%s %d %d\n", p, info.Size(), info.ModTime().UnixNano())
		}
		return nil
	})
	if err != nil {
		return "error: " + err.Error()
	}
	return b.String()
}

func (r *Registry) loadAll(fsys fs.FS, source string, into map[string]*Set) error {
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return fmt.Errorf("template directory %s: %w", source, err)
	}
	for _, e := range entries {
		if !e.IsDir() || strings.HasPrefix(e.Name(), ".") {
			continue
		}
		sub, _ := fs.Sub(fsys, e.Name())
		set, err := r.loadSet(sub, e.Name(), source)
		if err != nil {
			return err
		}
		if len(set.kinds) > 0 {
			into[set.Name] = set
		}
	}
	return nil
}

func (r *Registry) loadSet(fsys fs.FS, name, source string) (*Set, error) {
	set := &Set{Name: name, Source: source, kinds: map[data.Document]*template.Template{}}
	files, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return nil, err
	}
	if set.About, err = readAbout(fsys); err != nil {
		return nil, fmt.Errorf("template set %s: set.json: %w", name, err)
	}
	var partials []string
	for _, f := range files {
		if !f.IsDir() && strings.HasPrefix(f.Name(), "_") && strings.HasSuffix(f.Name(), ".tmpl") {
			partials = append(partials, f.Name())
		}
	}
	sort.Strings(partials)
	for _, kind := range data.Documents() {
		file := string(kind) + ".md.tmpl"
		if _, err := fs.Stat(fsys, file); err != nil {
			continue
		}
		// templates are named by their path, so errors say which set and file
		t := template.New(path.Join(name, file)).Funcs(r.funcs).Option("missingkey=error")
		// partials first: the kind's own file comes last, so its parts
		// (title, footer, …) win over a partial's
		for _, f := range slices.Concat(partials, []string{file}) {
			src, err := fs.ReadFile(fsys, f)
			if err != nil {
				return nil, err
			}
			target := t
			if f != file {
				target = t.New(path.Join(name, f))
			}
			if _, err := target.Parse(string(src)); err != nil {
				return nil, fmt.Errorf("template %s", strings.TrimPrefix(err.Error(), "template: "))
			}
		}
		if err := r.instrument(t); err != nil {
			return nil, err
		}
		set.kinds[kind] = t
	}
	if r.load != nil {
		a, err := r.load(fsys)
		if err != nil {
			return nil, fmt.Errorf("template set %s: %w", name, err)
		}
		set.assets = a
	}
	return set, nil
}

// instrument checks load-time rules and makes every loop and template call
// report to the execution's limits: each range body starts with a tick
// (time and iteration count), each template body is wrapped in enter/exit
// (call depth). A loop that writes nothing and calls nothing is therefore
// still stopped.
func (r *Registry) instrument(t *template.Template) error {
	tick := actionNode(tickFunc)
	enter, exit := actionNode(enterFunc), actionNode(exitFunc)
	for _, tt := range t.Templates() {
		if tt.Tree == nil || tt.Tree.Root == nil {
			continue
		}
		var err error
		walk(tt.Tree.Root, func(n parse.Node) {
			rn, ok := n.(*parse.RangeNode)
			if !ok || err != nil {
				return
			}
			if len(rn.Pipe.Cmds) == 1 && len(rn.Pipe.Cmds[0].Args) == 1 {
				if num, ok := rn.Pipe.Cmds[0].Args[0].(*parse.NumberNode); ok && num.IsInt && num.Int64 > int64(r.lim.MaxLiteral) {
					loc, _ := tt.ErrorContext(rn)
					err = fmt.Errorf("template %s: range over %d: at most %d iterations are allowed", loc, num.Int64, r.lim.MaxLiteral)
					return
				}
			}
			if rn.List != nil {
				rn.List.Nodes = append([]parse.Node{tick.Copy()}, rn.List.Nodes...)
			}
		})
		if err != nil {
			return err
		}
		root := tt.Tree.Root
		root.Nodes = append(append([]parse.Node{enter.Copy()}, root.Nodes...), exit.Copy())
	}
	return nil
}

func walk(n parse.Node, fn func(parse.Node)) {
	if n == nil {
		return
	}
	fn(n)
	switch n := n.(type) {
	case *parse.ListNode:
		if n == nil {
			return
		}
		for _, c := range n.Nodes {
			walk(c, fn)
		}
	case *parse.IfNode:
		walk(n.List, fn)
		walk(n.ElseList, fn)
	case *parse.RangeNode:
		walk(n.List, fn)
		walk(n.ElseList, fn)
	case *parse.WithNode:
		walk(n.List, fn)
		walk(n.ElseList, fn)
	}
}

// actionNode parses {{name}} to get a node calling a function that prints
// nothing.
func actionNode(name string) parse.Node {
	trees, err := parse.Parse("x", "{{"+name+"}}", "{{", "}}", map[string]any{name: func() string { return "" }})
	if err != nil {
		panic(err)
	}
	return trees["x"].Root.Nodes[0]
}

// Sets lists the loaded sets.
func (r *Registry) Sets() []SetInfo {
	r.mu.RLock()
	defer r.mu.RUnlock()
	var out []SetInfo
	for _, s := range r.sets {
		info := SetInfo{Name: s.Name, Source: s.Source, About: s.About}
		if s.assets != nil {
			info.Assets = s.assets.Describe()
		}
		for _, k := range data.Documents() {
			if s.kinds[k] != nil {
				info.Kinds = append(info.Kinds, k)
			}
		}
		out = append(out, info)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

func (r *Registry) lookup(set string, kind data.Document) (*template.Template, error) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	s := r.sets[set]
	if s == nil {
		names := make([]string, 0, len(r.sets))
		for n := range r.sets {
			names = append(names, n)
		}
		sort.Strings(names)
		return nil, fmt.Errorf("%w %q; the sets are %s", ErrUnknownSet, set, strings.Join(names, ", "))
	}
	t := s.kinds[kind]
	if t == nil {
		return nil, fmt.Errorf("%w: set %q has no %s template", ErrUnknownKind, set, kind)
	}
	return t, nil
}

// SetAssets returns what the loader made of a set's other files (nil
// for none or no such set).
func (r *Registry) SetAssets(set string) Assets {
	r.mu.RLock()
	defer r.mu.RUnlock()
	if s := r.sets[set]; s != nil {
		return s.assets
	}
	return nil
}

// Check reports whether the set exists and has a template for kind.
func (r *Registry) Check(set string, kind data.Document) error {
	_, err := r.lookup(set, kind)
	return err
}

// ExecError is a template that failed while running: the message names
// the template file and line.
type ExecError struct{ Err error }

func (e *ExecError) Error() string { return e.Err.Error() }
func (e *ExecError) Unwrap() error { return e.Err }

// Execute runs the set's template for kind on data (a view struct) and its
// parts, within the limits.
func (r *Registry) Execute(ctx context.Context, set string, kind data.Document, v any) (*Output, error) {
	base, err := r.lookup(set, kind)
	if err != nil {
		return nil, err
	}
	t, err := base.Clone()
	if err != nil {
		return nil, err
	}
	ex := &run{lim: r.lim, ctx: ctx, deadline: time.Now().Add(r.lim.Timeout)}
	if d, ok := ctx.Deadline(); ok && d.Before(ex.deadline) {
		ex.deadline = d
	}
	t.Funcs(ex.funcs())
	out := &Output{Parts: map[string]string{}}
	w := &capWriter{run: ex}
	if err := ex.exec(t, w, v); err != nil {
		return nil, err
	}
	out.Body = w.buf.String()
	for _, p := range Parts() {
		pt := t.Lookup(p)
		if pt == nil {
			continue
		}
		pw := &capWriter{run: ex}
		if err := ex.exec(pt, pw, v); err != nil {
			return nil, err
		}
		out.Parts[p] = strings.TrimSpace(pw.buf.String())
	}
	return out, nil
}

// run is the state of one execution.
type run struct {
	lim      Limits
	ctx      context.Context
	deadline time.Time
	loops    int
	depth    int
	written  int
	stopped  error // the limit that stopped the run, if any
}

func (r *run) funcs() template.FuncMap {
	return template.FuncMap{
		tickFunc: func() (string, error) {
			r.loops++
			if r.loops > r.lim.MaxLoops {
				return "", r.stop(limitError("loops ran %d times; at most %d are allowed", r.loops, r.lim.MaxLoops))
			}
			return "", r.check()
		},
		enterFunc: func() (string, error) {
			r.depth++
			if r.depth > r.lim.MaxDepth {
				return "", r.stop(limitError("templates call each other more than %d deep", r.lim.MaxDepth))
			}
			return "", r.check()
		},
		exitFunc:    func() string { r.depth--; return "" },
		"until":     func(n int) (any, error) { return r.untilSeq(n) },
		"untilStep": func(a, b, c int) (any, error) { return r.untilSeq(a, b, c) },
	}
}

func (r *run) stop(err error) error {
	if r.stopped == nil {
		r.stopped = err
	}
	return r.stopped
}

// check stops the run once its time is up or its caller gave up.
func (r *run) check() error {
	if r.stopped != nil {
		return r.stopped
	}
	if time.Now().After(r.deadline) {
		return r.stop(limitError("the template ran longer than %s", r.lim.Timeout))
	}
	if err := r.ctx.Err(); err != nil {
		return r.stop(err)
	}
	return nil
}

func (r *run) exec(t *template.Template, w *capWriter, data any) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = &ExecError{fmt.Errorf("template %s panicked: %v", t.Name(), p)}
		}
	}()
	err = t.Execute(w, data)
	if err == nil && r.stopped == nil {
		return nil
	}
	// name the template file, and where it was when it failed if
	// text/template knows
	where := "template " + t.Name()
	if err != nil {
		msg := strings.TrimPrefix(err.Error(), "template: ")
		switch {
		case r.stopped != nil && msg == r.stopped.Error():
			// a write stopped by the limit: text/template adds no position
		case strings.HasPrefix(msg, t.Name()):
			where = "template " + msg
		default:
			where += ": " + msg
		}
	}
	if r.stopped != nil {
		return &ExecError{fmt.Errorf("%w (%s)", r.stopped, where)}
	}
	return &ExecError{errors.New(where)}
}

// capWriter collects output up to the size limit and stops at the deadline.
type capWriter struct {
	buf bytes.Buffer
	run *run
}

func (w *capWriter) Write(p []byte) (int, error) {
	if err := w.run.check(); err != nil {
		return 0, err
	}
	w.run.written += len(p)
	if w.run.written > w.run.lim.MaxOutput {
		return 0, w.run.stop(limitError("the template wrote more than %d bytes", w.run.lim.MaxOutput))
	}
	return w.buf.Write(p)
}
