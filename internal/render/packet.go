package render

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"slices"
	"strconv"
	"strings"

	"protokol/internal/attach"
	"protokol/internal/bounded"
	"protokol/internal/data"
	"protokol/internal/render/pdf"
	"protokol/internal/view"
)

// Files are the attachments' PDFs of an agenda packet ("dagsorden med
// bilag"): a meeting whose attachments name files (data.Attachment.File)
// renders with each attachment's pages after its item. Either Dir (the
// command line's --attachments directory: files looked up by name, none
// outside it; others may lie beside them) or Sent (the parts of a
// multipart upload: each must be named by an attachment).
type Files struct {
	Dir  fs.FS
	Sent map[string][]byte
}

// PacketCost is about the memory a packet takes at its peak in this
// process: the meeting's document (Cost), and for its attachment files
// (fileBytes in all, files of them) what reading and copying them takes.
// Measured when pdfcpu read them in this process: a file of images about
// 4 times its bytes, a file of text 1 MiB besides, one of 110,000 tiny
// objects (5.4 MB) a heap of 50 MB, 9 times; 12 times and 1 MiB a file
// cover them all. With a worker (render.Config.Worker) the reading is
// the worker's, bounded by its own memory limit, and this process holds
// the upload, the copies and the packet: less than that.
func PacketCost(jsonLen, fileBytes, files int) int64 {
	return Cost(data.DocAgenda, FormatPDF, jsonLen) + 12*int64(fileBytes) + int64(files)<<20
}

// attachments reads the files of the attachments the view places, in
// order, and reports every problem at once: a file named but not there,
// a file sent but not named, one that is not a readable PDF, and the
// limits (pages and bytes, for all files together).
func (r *Renderer) attachments(ctx context.Context, m *data.Meeting, v *view.Meeting, files *Files) ([]*pdf.Attachment, error) {
	// at most data.MaxProblems listed, as for any document: a million
	// attachments naming files not sent must not make a million lines
	var ps data.Problems
	problem := func(field, msg string) { ps.Add(field, "%s", msg) }
	bad := func(field, file, format string, args ...any) {
		ps.Add(field, "file %q %s", file, fmt.Sprintf(format, args...))
	}
	named := map[string]bool{} // every name the meeting has, closed or left out of this document or not
	for i := range m.Items {
		for _, a := range m.Items[i].Attachments {
			named[a.File] = true
		}
	}
	// the files first (each problem named), then read all together: in
	// the worker, one process for the packet
	want := r.gather(v, files, bad)
	datas := make([][]byte, len(want))
	for i, w := range want {
		datas[i] = w.data
	}
	// every file may have the pages left by those before it: a file
	// over the limit is found by its count, whichever file it is
	results, err := r.readFiles(ctx, datas, attach.Limits{MaxPages: r.lim.MaxAttachmentPages})
	if err != nil {
		return nil, err
	}
	var out []*pdf.Attachment
	pages := 0
	for i, w := range want {
		a, res := w.a, results[i]
		var se *attach.Error
		var tp *attach.TooManyPagesError
		switch {
		case ctx.Err() != nil:
			return nil, ctx.Err()
		case errors.As(res.Err, &tp) || res.Err == nil && pages+len(res.File.Pages) > r.lim.MaxAttachmentPages:
			bad(a.Key, a.File, "takes the attachments past %d pages together (--max-attachment-pages)", r.lim.MaxAttachmentPages)
			pages = r.lim.MaxAttachmentPages
			continue
		case errors.As(res.Err, &se):
			bad(a.Key, a.File, "%s", se.Reason)
			continue
		case res.Err != nil:
			return nil, res.Err
		}
		n := len(res.File.Pages)
		pages += n
		alt := fmt.Sprintf("%s · %s (%d %s)", a.Label, a.Title, n, v.L.PagesWord)
		if n == 1 {
			alt = fmt.Sprintf("%s · %s (1 %s)", a.Label, a.Title, v.L.PageWord)
		}
		out = append(out, &pdf.Attachment{Key: a.Key, Anchor: a.Anchor, Stamp: a.Label + " · " + a.Title, Alt: alt, Source: res.File, File: a.File})
	}
	if files.Sent != nil {
		for _, name := range slices.Sorted(maps.Keys(files.Sent)) {
			if !named[name] {
				problem(name, "was sent, but no attachment names it in its file field")
			}
		}
	}
	if err := ps.Err(); err != nil {
		return nil, err
	}
	return out, nil
}

// wanted is an attachment placed in the packet, with its file's bytes.
type wanted struct {
	a    view.Attachment
	data []byte
}

// gather reads the files of the attachments the view places, in order,
// within the bytes they may take together; a file that cannot be had is
// a problem (bad), not in the list.
func (r *Renderer) gather(v *view.Meeting, files *Files, bad func(field, file, format string, args ...any)) []wanted {
	var want []wanted
	size := int64(0)
	for _, it := range v.Items {
		for _, a := range it.Attachments {
			if !a.Included() {
				continue
			}
			b, err := files.read(a.File, r.lim.MaxAttachmentBytes-size)
			var tl *fileTooLarge
			switch {
			case errors.As(err, &tl):
				bad(a.Key, a.File, "is %s; the attachments may take %s together (--max-attachment-bytes)", bytesText(tl.size), bytesText(r.lim.MaxAttachmentBytes))
				continue
			case errors.Is(err, fs.ErrNotExist):
				if files.Sent != nil {
					bad(a.Key, a.File, "was not sent: add a part with that file name to the upload")
				} else {
					bad(a.Key, a.File, "is not in the attachments directory")
				}
				continue
			case err != nil:
				bad(a.Key, a.File, "cannot be read: %s", readError(err))
				continue
			}
			size += int64(len(b))
			want = append(want, wanted{a, b})
		}
	}
	return want
}

// readFiles reads attachment files, in the worker when there is one.
func (r *Renderer) readFiles(ctx context.Context, files [][]byte, lim attach.Limits) ([]attach.Result, error) {
	if r.worker != nil {
		return r.worker.ReadAll(ctx, files, lim)
	}
	out := make([]attach.Result, len(files))
	for i, b := range files {
		out[i].File, out[i].Err = attach.Read(ctx, b, lim)
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
	}
	return out, nil
}

// readError says why a file could not be read, without the path
// wrapping (statat, open) it came in.
func readError(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	if strings.Contains(err.Error(), "escapes") {
		return "it is a link to a file outside the attachments directory"
	}
	return err.Error()
}

type fileTooLarge struct{ size int64 }

func (e *fileTooLarge) Error() string { return "too large" }

// read returns a file's bytes, refusing one larger than room before it
// is read.
func (f *Files) read(name string, room int64) ([]byte, error) {
	if msg := data.CheckFileName(name); msg != "" {
		return nil, errors.New(msg) // validation saw it first; never a path
	}
	if f.Sent != nil {
		b, ok := f.Sent[name]
		if !ok {
			return nil, fs.ErrNotExist
		}
		if int64(len(b)) > room {
			return nil, &fileTooLarge{int64(len(b))}
		}
		return b, nil
	}
	b, err := bounded.ReadFile(f.Dir, name, room)
	var tl *bounded.TooLargeError
	var nr *bounded.NotRegularError
	switch {
	case errors.As(err, &tl):
		return nil, &fileTooLarge{max(tl.Size, room+1)} // -1: it grew past room while read
	case errors.As(err, &nr):
		return nil, errors.New("is not a regular file")
	case err != nil:
		return nil, err
	}
	return b, nil
}

// bytesText is a size for a message: "3.2 MB".
func bytesText(n int64) string {
	switch {
	case n >= 1<<20:
		return strconv.FormatFloat(float64(n)/(1<<20), 'f', 1, 64) + " MiB"
	case n >= 1<<10:
		return strconv.FormatFloat(float64(n)/(1<<10), 'f', 1, 64) + " KiB"
	}
	return strconv.FormatInt(n, 10) + " bytes"
}
