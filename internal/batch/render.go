package batch

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"slices"
	"strings"

	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"

	"protokol/internal/data"
	"protokol/internal/esdh"
	"protokol/internal/render"
)

// task is one document of an input.
type task struct {
	kind   Kind // as the manifest names it: agenda, minutes, decisions, packet, xlsx, pdf
	doc    data.Document
	format render.Format
	public bool
	packet bool
}

// tasks are the documents the kinds ask of a meeting or a budget.
func tasks(kinds []Kind, budget, files bool) []task {
	var out []task
	if budget {
		for _, k := range []Kind{XLSX, PDF} {
			if slices.Contains(kinds, k) {
				out = append(out, task{kind: k, doc: data.DocBudget, format: render.Format(k)})
			}
		}
		return out
	}
	docs := []Kind{}
	for _, k := range []Kind{Agenda, Minutes, Decisions} {
		if slices.Contains(kinds, k) {
			docs = append(docs, k)
		}
	}
	if len(docs) == 0 && slices.Contains(kinds, Public) {
		docs = []Kind{Agenda, Minutes} // "public" alone: the public agenda and minutes
	}
	for _, k := range docs {
		out = append(out, task{kind: k, doc: data.Document(k), format: render.FormatPDF})
	}
	if slices.Contains(kinds, Public) {
		for _, k := range docs {
			out = append(out, task{kind: k, doc: data.Document(k), format: render.FormatPDF, public: true})
		}
	}
	if slices.Contains(kinds, Packet) && files {
		out = append(out, task{kind: Packet, doc: data.DocAgenda, format: render.FormatPDF, packet: true})
		if slices.Contains(kinds, Public) {
			out = append(out, task{kind: Packet, doc: data.DocAgenda, format: render.FormatPDF, packet: true, public: true})
		}
	}
	return out
}

// render makes an input's documents and records them in e; false when
// any failed (its problem recorded, the others still made).
func (j *job) render(ctx context.Context, in input, body []byte, e *Entry) bool {
	var files fs.FS
	if in.xml {
		ictx, cancel := j.deadline(ctx)
		res, err := esdh.Import(ictx, "", body, j.o.Fill)
		err = j.late(ctx, ictx, err)
		cancel()
		if err != nil {
			e.Problems = append(e.Problems, err.Error())
			return false
		}
		for _, p := range res.Problems {
			e.Notes = append(e.Notes, "left out: "+p.String())
		}
		if body, err = res.JSON(); err != nil {
			e.Problems = append(e.Problems, err.Error())
			return false
		}
		if len(res.Files) > 0 {
			if sub, err := fs.Sub(j.in.FS(), in.dir); err == nil {
				files = res.FS(sub)
			}
		}
	} else if j.o.Attachments != "" {
		files = os.DirFS(j.o.Attachments) // the user's own directory, named on the command line
	}
	var peek struct {
		Tables jsontext.Value `json:"tables"`
		Items  []struct {
			Attachments []struct {
				File string `json:"file"`
			} `json:"attachments"`
		} `json:"items"`
	}
	_ = json.Unmarshal(body, &peek) // a document that is not JSON fails below, with its problem named
	hasFiles := false
	for _, it := range peek.Items {
		for _, a := range it.Attachments {
			hasFiles = hasFiles || a.File != ""
		}
	}
	ts := tasks(j.o.Kinds, len(peek.Tables) > 0, files != nil && hasFiles)
	if len(ts) == 0 {
		e.Notes = append(e.Notes, "no kind asked for applies to this document")
	}
	ok := true
	for _, t := range ts {
		out, err := j.renderOne(ctx, t, body, files)
		if err == nil {
			err = j.write(outDir(in.key), out, t, e)
		}
		if err == nil && !t.public { // the public packet carries the same files' pages, or fewer
			for _, l := range out.Left {
				e.Notes = append(e.Notes, l.String())
			}
		}
		if err != nil {
			if ctx.Err() != nil {
				return false
			}
			e.Problems = append(e.Problems, fmt.Sprintf("%s%s: %s", t.kind, map[bool]string{true: " (public)"}[t.public], problemText(err)))
			ok = false
		}
	}
	return ok
}

// renderOne renders a task once its memory is admitted.
func (j *job) renderOne(ctx context.Context, t task, body []byte, files fs.FS) (*render.Result, error) {
	cost := render.Cost(t.doc, t.format, len(body))
	if cost > j.o.MemoryBudget {
		return nil, fmt.Errorf("rendering it takes about %d MiB; the memory budget is %d MiB", cost>>20, j.o.MemoryBudget>>20)
	}
	if err := j.mem.Acquire(ctx, cost); err != nil {
		return nil, err
	}
	defer j.mem.Release(cost)
	o := j.o.Render
	o.Public = t.public
	// only minutes and decision records are sealed (an agenda is a call
	// to a meeting, not its record)
	o.Seal = o.Seal && (t.doc == data.DocMinutes || t.doc == data.DocDecisions)
	if t.packet {
		o.Files = &render.Files{Dir: files}
	}
	rctx, cancel := j.deadline(ctx)
	defer cancel()
	res, err := render.Job(rctx, j.r, t.doc, t.format, body, o)
	return res, j.late(ctx, rctx, err)
}

// deadline is ctx bounded by the per-document timeout, if any.
func (j *job) deadline(ctx context.Context) (context.Context, context.CancelFunc) {
	if j.o.Timeout <= 0 {
		return ctx, func() {}
	}
	return context.WithTimeout(ctx, j.o.Timeout)
}

// late names a document's timeout as its problem: an error that came of
// the document's own deadline (not of the run being stopped) says so.
func (j *job) late(run, doc context.Context, err error) error {
	if err != nil && run.Err() == nil && errors.Is(doc.Err(), context.DeadlineExceeded) {
		return fmt.Errorf("it took longer than %s (--timeout); left unmade", j.o.Timeout)
	}
	return err
}

// outDir is where an input's documents go: its path without the
// extension, or line-N for NDJSON.
func outDir(key string) string {
	if n, ok := strings.CutPrefix(key, "-:"); ok {
		return "line-" + n
	}
	return strings.TrimSuffix(key, path.Ext(key))
}

// write puts a document in place: written to a temporary file beside
// it, then renamed, so no reader (and no stopped run) sees half a file.
func (j *job) write(dir string, res *render.Result, t task, e *Entry) error {
	if err := j.out.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	name := path.Join(dir, res.Filename)
	var rnd [6]byte
	_, _ = rand.Read(rnd[:])
	tmp := path.Join(dir, ".tmp-"+hex.EncodeToString(rnd[:]))
	f, err := j.out.OpenFile(tmp, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	_, err = f.Write(res.Body)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = j.out.Rename(tmp, name)
	}
	if err != nil {
		_ = j.out.Remove(tmp)
		return err
	}
	sum := sha256.Sum256(res.Body)
	e.Outputs = append(e.Outputs, Output{Kind: t.kind, Public: t.public, Path: name, SHA256: hex.EncodeToString(sum[:]), Pages: res.Pages, Bytes: len(res.Body)})
	return nil
}

// problemText is an error as one line: a document's problems listed.
func problemText(err error) string {
	var ve *data.ValidationError
	if errors.As(err, &ve) {
		var b bytes.Buffer
		for i, fe := range ve.Errors {
			if i > 0 {
				b.WriteString("; ")
			}
			b.WriteString(fe.Error())
		}
		if ve.More > 0 {
			fmt.Fprintf(&b, "; and %d more", ve.More)
		}
		return b.String()
	}
	return err.Error()
}
