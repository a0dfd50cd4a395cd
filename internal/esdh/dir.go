package esdh

import (
	"context"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"

	"protokol/internal/bounded"
)

// maxFiles bounds the XML files a directory import reads.
const maxFiles = 1000

// ImportDir reads the export in a directory (fsys, an os.Root's: no name
// reaches outside it): the one agenda file it holds, or, for Fujitsu and
// Acadre, the one their manifests name to publish. The attachments' files
// are then named relative to the directory.
func ImportDir(ctx context.Context, fsys fs.FS, f Format, o Options) (*Result, error) {
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return nil, err
	}
	var named, agendas []string  // by manifests; agenda files themselves
	minutes := map[string]bool{} // what a manifest says is minutes (Acadre's type 2)
	seen := 0
	var first *node // the tree of agendas[0] as the loop found it
	for _, e := range entries {
		if e.IsDir() || !strings.EqualFold(path.Ext(e.Name()), ".xml") {
			continue
		}
		if seen++; seen > maxFiles {
			return nil, fmt.Errorf("more than %d XML files in the directory", maxFiles)
		}
		b, err := bounded.ReadFile(fsys, e.Name(), int64(o.Limits.withDefaults().MaxBytes))
		if err != nil {
			return nil, fmt.Errorf("%s: %w", e.Name(), err)
		}
		root, err := parseXML(b, o.Limits)
		if err != nil {
			return nil, &Error{Format: f, Problems: []Problem{{Path: e.Name(), Line: 1, Message: err.Error()}}}
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
				first = root // kept, so the agenda is not read and parsed again
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
	case len(agendas) > 1:
		return nil, fmt.Errorf("the directory holds %d agendas (%s): import one file", len(agendas), strings.Join(agendas, ", "))
	}
	name := agendas[0]
	if len(named) > 0 || first == nil {
		// named by a manifest: perhaps in a folder the loop did not read
		b, err := bounded.ReadFile(fsys, name, int64(o.Limits.withDefaults().MaxBytes))
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		if first, err = parseXML(b, o.Limits); err != nil {
			return nil, &Error{Format: f, Problems: []Problem{{Path: name, Line: 1, Message: err.Error()}}}
		}
	}
	res, err := importTree(ctx, f, first, o)
	if err != nil {
		return nil, err
	}
	res.Minutes = res.Minutes || minutes[name]
	// the attachments' files as the directory has them
	dir := path.Dir(name)
	for k, v := range res.Files {
		p := path.Join(dir, v)
		if !fs.ValidPath(p) {
			res.Problems = append(res.Problems, Problem{Path: name, Message: fmt.Sprintf("the attachment file %q is outside the export's directory; left out", v)})
			delete(res.Files, k)
			continue
		}
		res.Files[k] = p
	}
	return res, nil
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
