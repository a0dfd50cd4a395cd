package render_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"protokol/internal/data"
	"protokol/internal/pdftest"
	"protokol/internal/render"
	"protokol/templates"
)

// houseFont is the README's worked example: Helsingør sets its papers in
// a serif. It copies the default set and DejaVu Serif's regular and bold
// faces into a set directory.
func houseFont(t *testing.T) string {
	t.Helper()
	src := "/usr/share/fonts/truetype/dejavu"
	for _, f := range []string{"DejaVuSerif.ttf", "DejaVuSerif-Bold.ttf"} {
		if _, err := os.Stat(filepath.Join(src, f)); err != nil {
			if os.Getenv("CI") != "" {
				t.Fatalf("%s is missing; .ci/run installs fonts-dejavu-core", f)
			}
			t.Skip("DejaVu fonts are needed (apt-get install fonts-dejavu-core)")
		}
	}
	dir := t.TempDir()
	set := copyDefaultSet(t, dir)
	if err := os.MkdirAll(filepath.Join(set, "fonts"), 0o755); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"DejaVuSerif.ttf", "DejaVuSerif-Bold.ttf"} {
		b, err := os.ReadFile(filepath.Join(src, f))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(set, "fonts", f), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// A set's own fonts replace Noto Sans: every text of the issue prints in
// them, embedded as subsets with ToUnicode; italic falls back to the
// regular face, bold italic to the bold.
func TestHouseFont(t *testing.T) {
	dir := houseFont(t)
	r, err := render.New(render.Config{Templates: templates.FS, TemplateDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	var info []string
	for _, s := range r.Sets() {
		if s.Name == "default" {
			info = s.Assets
		}
	}
	if strings.Join(info, "; ") != "regular: DejaVuSerif.ttf; bold: DejaVuSerif-Bold.ttf; italic: DejaVuSerif.ttf (no italic face); bold italic: DejaVuSerif-Bold.ttf (no bold italic face)" {
		t.Errorf("the set's fonts: %q", info)
	}
	m := meeting(t)
	texts := "Nguyễn Thị Hương, Şişli, Ağrı, Łódź, Ελληνικά, Кириллица"
	m.Items[0].Summary = texts + " *kursiv* og **fed**"
	res := renderMeeting(t, r, data.DocMinutes, m, render.Options{})
	if res.Replaced != 0 {
		t.Errorf("%d characters printed as U+FFFD", res.Replaced)
	}
	if all := pdftest.Squash(strings.Join(pdftest.Pages(t, res.Body), " ")); !strings.Contains(all, texts) {
		t.Errorf("the texts are not in the PDF")
	}
	fonts := pdffonts(t, res.Body)
	if strings.Contains(fonts, "Noto") || !strings.Contains(fonts, "+DejaVuSerif ") || !strings.Contains(fonts, "+DejaVuSerif-Bold ") {
		t.Errorf("the PDF is not set in the house font:\n%s", fonts)
	}
	for _, line := range strings.Split(strings.TrimSpace(fonts), "\n")[2:] {
		if f := strings.Fields(line); len(f) < 7 || f[len(f)-5] != "yes" || f[len(f)-4] != "yes" || f[len(f)-3] != "yes" {
			t.Errorf("not an embedded subset with ToUnicode: %s", line)
		}
	}
}

func pdffonts(t *testing.T, pdf []byte) string {
	t.Helper()
	f := filepath.Join(t.TempDir(), "f.pdf")
	if err := os.WriteFile(f, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdffonts", f).Output()
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
}

// A broken or unsupported font file fails the set's load, naming it.
func TestBadHouseFonts(t *testing.T) {
	for name, c := range map[string]struct {
		file string
		data []byte
		want string
	}{
		"not a font":   {"Kommune.ttf", []byte("this is not a font"), "default: fonts/Kommune.ttf: not a TrueType font file"},
		"CFF outlines": {"Kommune.otf", append([]byte("OTTO"), make([]byte, 60)...), "fonts/Kommune.otf: an OpenType font with CFF outlines"},
		"truncated":    {"Kommune.ttf", []byte{0, 1, 0, 0, 0, 9, 0, 0, 0, 0, 0, 0}, "fonts/Kommune.ttf: truncated table directory"},
	} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			set := filepath.Join(dir, "default")
			if err := os.MkdirAll(filepath.Join(set, "fonts"), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(set, "agenda.md.tmpl"), []byte("# x"), 0o644); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(set, "fonts", c.file), c.data, 0o644); err != nil {
				t.Fatal(err)
			}
			_, err := render.New(render.Config{Templates: templates.FS, TemplateDir: dir})
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("got %v, want an error with %q", err, c.want)
			}
		})
	}
}
