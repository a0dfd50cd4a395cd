package esdh

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strconv"
	"strings"

	"protokol/internal/bounded"
)

// maxFiles bounds the XML files a directory import reads.
const maxFiles = 1000

// ImportDir reads the export in a directory (fsys, an os.Root's: no name
// reaches outside it): the one agenda file it holds, or, for Fujitsu and
// Acadre, the one their manifests name to publish, or one meeting's
// agenda and its addenda (see importAgendas). The attachments' files are
// then named relative to the directory.
func ImportDir(ctx context.Context, fsys fs.FS, f Format, o Options) (*Result, error) {
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return nil, err
	}
	var named, agendas []string  // by manifests; agenda files themselves
	minutes := map[string]bool{} // what a manifest says is minutes (Acadre's type 2)
	seen := 0
	var first *node // the first agenda's tree as the loop found it
	firstName, firstSize := "", 0
	for _, e := range entries {
		if e.IsDir() || !strings.EqualFold(path.Ext(e.Name()), ".xml") {
			continue
		}
		if seen++; seen > maxFiles {
			return nil, fmt.Errorf("more than %d XML files in the directory", maxFiles)
		}
		if err := ctx.Err(); err != nil {
			return nil, err // a thousand large files take a while
		}
		b, err := bounded.ReadFile(fsys, e.Name(), int64(o.Limits.withDefaults().MaxBytes))
		if err != nil {
			return nil, fmt.Errorf("%s: %w", e.Name(), err)
		}
		root, err := parseXML(b, o.Limits)
		if err != nil {
			return nil, &Error{Format: f, Problems: []Problem{problemAt(e.Name(), 1, err)}}
		}
		if m := manifestNames(root); m != nil {
			named = append(named, m...)
			for _, p := range acadreMinutes(root) {
				minutes[p] = true
			}
			continue
		}
		if g, err := detect(root); err == nil && (f == "" || g == f) {
			agendas = append(agendas, e.Name())
			if first == nil {
				first, firstName, firstSize = root, e.Name(), len(b) // kept, so it is not read and parsed again
			}
		}
	}
	if len(named) > 0 {
		agendas = named
	}
	slices.Sort(agendas)
	agendas = slices.Compact(agendas)
	switch {
	case len(agendas) == 0:
		return nil, fmt.Errorf("no %s agenda file in the directory", cmpFormat(f))
	case len(agendas) > maxAgendas:
		return nil, fmt.Errorf("the directory holds %d agendas (%s): import one file", len(agendas), strings.Join(agendas, ", "))
	}
	tree := func(name string) (*node, int, error) {
		if name == firstName {
			return first, firstSize, nil
		}
		// another agenda, or one a manifest names (perhaps in a folder)
		b, err := bounded.ReadFile(fsys, name, int64(o.Limits.withDefaults().MaxBytes))
		if err != nil {
			return nil, 0, fmt.Errorf("%s: %w", name, err)
		}
		root, err := parseXML(b, o.Limits)
		if err != nil {
			return nil, 0, &Error{Format: f, Problems: []Problem{problemAt(name, 1, err)}}
		}
		return root, len(b), nil
	}
	res, name, err := importAgendas(ctx, f, o, agendas, tree, minutes)
	if err != nil {
		return nil, err
	}
	inDirectory(res, name)
	return res, nil
}

// inDirectory names the attachments' files as the directory has them,
// from the agenda file's (name) folder; one outside it is left out.
func inDirectory(res *Result, name string) {
	dir := path.Dir(name)
	for k, v := range res.Files {
		p := path.Join(dir, v)
		if !fs.ValidPath(p) {
			res.Problems = append(res.Problems, problemAt(name, 0, msg("the attachment file %q is outside the export's directory; left out", v)))
			delete(res.Files, k)
			continue
		}
		res.Files[k] = p
	}
}

// maxAgendas bounds the agendas of one meeting a directory import joins:
// the agenda and its addenda (together no larger than one export may be).
const maxAgendas = 20

// importAgendas imports the agenda files of a directory. Several are the
// agenda of one meeting and its addenda (tillægsdagsordener) when they
// name the same meeting and are of the same kind, as OS2web's readers
// group them: the lowest agenda ID is the agenda, the others' items
// follow its own marked as addenda. Agendas of other meetings, or a
// meeting's agenda beside its minutes, are refused by name. The result's
// files are named relative to the directory of name, the agenda's file.
func importAgendas(ctx context.Context, f Format, o Options, names []string, tree func(string) (*node, int, error), minutes map[string]bool) (*Result, string, error) {
	type part struct {
		name string
		res  *Result
	}
	var parts []part
	total := 0 // the agendas' bytes: together no more than one export's
	for _, name := range names {
		if err := ctx.Err(); err != nil {
			return nil, "", err
		}
		root, size, err := tree(name)
		if err != nil {
			return nil, "", err
		}
		if total += size; total > o.Limits.withDefaults().MaxBytes {
			return nil, "", fmt.Errorf("the directory's %d agendas are more than %d bytes together, the most an export may be", len(names), o.Limits.withDefaults().MaxBytes)
		}
		res, err := importTree(ctx, f, root, o)
		if err != nil {
			if xe := (*Error)(nil); errors.As(err, &xe) && len(names) > 1 {
				xe.Problems = inFile(name, xe.Problems)
			}
			return nil, "", err
		}
		res.Minutes = res.Minutes || minutes[name]
		parts = append(parts, part{name, res})
	}
	if len(parts) == 1 {
		return parts[0].res, parts[0].name, nil
	}
	head := parts[0]
	for _, p := range parts[1:] {
		switch {
		case head.res.meetingID == "" || p.res.meetingID != head.res.meetingID || p.res.Format != head.res.Format || path.Dir(p.name) != path.Dir(head.name):
			return nil, "", fmt.Errorf("the directory holds %d agendas that are not one meeting's agenda and addenda (%s): import one file", len(names), strings.Join(names, ", "))
		case p.res.Minutes != head.res.Minutes:
			return nil, "", fmt.Errorf("the directory holds both the agenda and the minutes of one meeting (%s): import one file", strings.Join(names, ", "))
		}
	}
	slices.SortStableFunc(parts, func(a, b part) int { return compareIDs(a.res.agendaID, b.res.agendaID) })
	res := parts[0].res
	res.Problems = inFile(parts[0].name, res.Problems)
	numbers := map[string]bool{}
	for _, it := range res.Meeting.Items {
		numbers[it.Number] = true
	}
	namer := &reader{res: res} // names the addenda's files apart from the agenda's
	for _, p := range parts[1:] {
		for _, it := range p.res.Meeting.Items {
			it.Addendum = true
			it.Attachments = slices.Clone(it.Attachments)
			for i, a := range it.Attachments {
				if a.File != "" {
					it.Attachments[i].File = namer.fileName(p.res.Files[a.File])
				}
			}
			if numbers[it.Number] {
				p.res.Problems = append(p.res.Problems, problemAt("/", 0, msg("the addendum's item %s has the number of an item before it: give one of them another number", it.Number)))
			}
			numbers[it.Number] = true
			res.Meeting.Items = append(res.Meeting.Items, it)
		}
		res.Problems = append(res.Problems, inFile(p.name, p.res.Problems)...)
	}
	return res, parts[0].name, nil
}

// compareIDs orders agenda IDs: as numbers when both are, else as text.
func compareIDs(a, b string) int {
	x, errA := strconv.ParseInt(a, 10, 64)
	y, errB := strconv.ParseInt(b, 10, 64)
	if errA == nil && errB == nil {
		return cmp.Compare(x, y)
	}
	return strings.Compare(a, b)
}

// inFile names the file problems of one of several agendas are in.
func inFile(name string, ps []Problem) []Problem {
	for i := range ps {
		ps[i].Path = name + ":" + ps[i].Path
	}
	return ps
}

func cmpFormat(f Format) string {
	if f == "" {
		return "export"
	}
	return string(f)
}

// IsManifest: the file is a Fujitsu notification or an Acadre
// producedAgenda manifest, which names an agenda rather than being one.
func IsManifest(b []byte) bool {
	if len(b) > MaxManifestBytes {
		return false
	}
	root, err := parseXML(b, Limits{MaxBytes: MaxManifestBytes, MaxElements: maxManifestElements})
	return err == nil && manifestNames(root) != nil
}

// A manifest names a meeting's files: a few elements. Larger XML is an
// agenda, told without reading (or parsing) it all.
const (
	MaxManifestBytes    = 1 << 20
	maxManifestElements = 10_000
)

// manifestNames are the agenda files a Fujitsu notification or an Acadre
// producedAgenda manifest names for publishing (nil: not a manifest).
func manifestNames(root *node) []string {
	if root.name == "Root" && root.space == fujitsuNS && root.kid("Notification") != nil {
		n := root.kid("Notification")
		if pub, _ := boolean(n.str("Publish")); !pub {
			return []string{}
		}
		return []string{strings.ReplaceAll(strings.TrimLeft(n.str("PathToXml"), `\/`), `\`, "/")}
	}
	if t := findTable(root, "producedAgenda", 3); t != nil {
		out := []string{}
		siblings := []*node{t}
		if t.parent != nil {
			siblings = t.parent.all("table")
		}
		for _, fields := range siblings {
			if fields.attr("name") != "producedAgenda" {
				continue
			}
			for _, fl := range fields.kid("fields").all("field") {
				if pub, _ := boolean(fl.attr("publish")); pub && fl.attr("xmlfilename") != "" {
					out = append(out, path.Join(fl.attr("filesfolder"), fl.attr("xmlfilename")))
				}
			}
		}
		return out
	}
	return nil
}

// acadreMinutes are the agenda files an Acadre producedAgenda manifest
// names as minutes (its field's type 2; 1 is an agenda).
func acadreMinutes(root *node) []string {
	var out []string
	if t := findTable(root, "producedAgenda", 3); t != nil {
		siblings := []*node{t}
		if t.parent != nil {
			siblings = t.parent.all("table")
		}
		for _, fields := range siblings {
			for _, fl := range fields.kid("fields").all("field") {
				if fl.attr("type") == "2" && fl.attr("xmlfilename") != "" {
					out = append(out, path.Join(fl.attr("filesfolder"), fl.attr("xmlfilename")))
				}
			}
		}
	}
	return out
}

// FS is dir as the meeting's attachments name their files: Open(name)
// opens the export's file for that name, and nothing else.
func (r *Result) FS(dir fs.FS) fs.FS { return mappedFS{dir: dir, names: r.Files} }

type mappedFS struct {
	dir   fs.FS
	names map[string]string
}

func (m mappedFS) Open(name string) (fs.File, error) {
	p, ok := m.names[name]
	if !ok {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
	}
	return m.dir.Open(p)
}
