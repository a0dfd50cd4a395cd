package batch

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"regexp"
	"slices"
	"strconv"

	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
)

// Manifest is what a run made: per input, its hash and its documents'.
// It holds no times, so two runs that made the same files have the same
// manifest, and shards' manifests merge into a single run's.
type Manifest struct {
	Version int               `json:"version"`
	Inputs  map[string]*Entry `json:"inputs"` // by the input's path in the input directory, or "-:LINE"
}

// Entry is one input's record.
type Entry struct {
	SHA256   string   `json:"sha256"`   // of the input's bytes
	Settings string   `json:"settings"` // of what else shaped the outputs (kinds, template, language, fill)
	OK       bool     `json:"ok"`
	Outputs  []Output `json:"outputs"`
	Problems []string `json:"problems,omitempty"` // why a document failed
	Notes    []string `json:"notes,omitempty"`    // what an export's import left out, kinds that do not apply
}

// Output is one document made.
type Output struct {
	Kind   Kind   `json:"kind"`
	Public bool   `json:"public,omitzero"`
	Path   string `json:"path"` // in the output directory
	SHA256 string `json:"sha256"`
	Pages  int    `json:"pages,omitzero"`
	Bytes  int    `json:"bytes"`
}

type journalLine struct {
	Key   string `json:"key"`
	Entry *Entry `json:"entry"`
}

// manifestName is a run's manifest: manifest.json, or a shard's own.
func manifestName(shard, shards int) string {
	if shards <= 1 {
		return "manifest.json"
	}
	return fmt.Sprintf("manifest-shard-%d-of-%d.json", shard, shards)
}

// loadManifest reads the last run's manifest and the journal of a run
// that stopped before writing one (its lines after the manifest's).
func loadManifest(out *os.Root, name string) (*Manifest, error) {
	m := &Manifest{Version: 1, Inputs: map[string]*Entry{}}
	b, err := fs.ReadFile(out.FS(), name)
	switch {
	case errors.Is(err, fs.ErrNotExist):
	case err != nil:
		return nil, err
	default:
		if err := json.Unmarshal(b, m); err != nil {
			return nil, fmt.Errorf("%s: %w (remove it to render everything again)", name, err)
		}
		if m.Inputs == nil {
			m.Inputs = map[string]*Entry{}
		}
	}
	j, err := fs.ReadFile(out.FS(), name+".journal")
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	sc := bufio.NewScanner(bytes.NewReader(j))
	sc.Buffer(nil, 64<<20)
	for sc.Scan() {
		var l journalLine
		if json.Unmarshal(sc.Bytes(), &l) == nil && l.Entry != nil {
			m.Inputs[l.Key] = l.Entry // a line cut short by a kill is left out
		}
	}
	return m, nil
}

// writeManifest writes m beside the outputs, atomically.
func writeManifest(out *os.Root, name string, m *Manifest) error {
	b, err := json.Marshal(m, json.Deterministic(true), jsontext.WithIndent("  "))
	if err != nil {
		return err
	}
	tmp := name + ".tmp"
	if err := writeFile(out, tmp, append(b, '\n')); err != nil {
		return err
	}
	return out.Rename(tmp, name)
}

func writeFile(out *os.Root, name string, b []byte) error {
	f, err := out.OpenFile(name, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	_, err = f.Write(b)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

var shardManifest = regexp.MustCompile(`^manifest-shard-(\d+)-of-(\d+)\.json$`)

// Merge joins the shards' manifests in dir into manifest.json: every
// shard of the count must be there, and no input in two.
func Merge(dir string) (*Manifest, error) {
	out, err := os.OpenRoot(dir)
	if err != nil {
		return nil, err
	}
	defer out.Close()
	entries, err := fs.ReadDir(out.FS(), ".")
	if err != nil {
		return nil, err
	}
	merged := &Manifest{Version: 1, Inputs: map[string]*Entry{}}
	count, seen := 0, map[int]bool{}
	for _, e := range entries {
		m := shardManifest.FindStringSubmatch(e.Name())
		if m == nil {
			continue
		}
		i, _ := strconv.Atoi(m[1])
		n, _ := strconv.Atoi(m[2])
		if count != 0 && n != count {
			return nil, fmt.Errorf("%s is a shard of %d; the others are of %d", e.Name(), n, count)
		}
		count, seen[i] = n, true
		part, err := loadManifest(out, e.Name())
		if err != nil {
			return nil, err
		}
		if _, err := fs.Stat(out.FS(), e.Name()+".journal"); err == nil {
			return nil, fmt.Errorf("shard %d of %d has not finished (its journal is there): run it again", i, n)
		}
		for k, v := range part.Inputs {
			if _, dup := merged.Inputs[k]; dup {
				return nil, fmt.Errorf("%s is in two shards' manifests", k)
			}
			merged.Inputs[k] = v
		}
	}
	if count == 0 {
		return nil, fmt.Errorf("no shard manifests (manifest-shard-I-of-N.json) in %s", dir)
	}
	var missing []int
	for i := range count {
		if !seen[i] {
			missing = append(missing, i)
		}
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("shards %v of %d have no manifest yet", missing, count)
	}
	return merged, writeManifest(out, "manifest.json", merged)
}

// Failed are the inputs a manifest records as failed, in order.
func (m *Manifest) Failed() []string {
	var out []string
	for _, k := range slices.Sorted(maps.Keys(m.Inputs)) {
		if !m.Inputs[k].OK {
			out = append(out, k)
		}
	}
	return out
}
