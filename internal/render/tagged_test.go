package render_test

import (
	"encoding/xml"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"protokol/examples"
	"protokol/internal/data"
	"protokol/internal/pdftest"
	"protokol/internal/render"
	"protokol/internal/seal/sealtest"
	"protokol/templates"
)

// taggedCases renders every document of every embedded set: agenda,
// minutes, public and English versions of both example meetings, and the
// budget as PDF.
func taggedCases(t *testing.T) map[string][]byte {
	r := newRenderer(t)
	out := map[string][]byte{}
	for _, set := range r.Sets() {
		for _, doc := range set.Kinds {
			if doc == data.DocBudget {
				b, err := data.DecodeBudget(examples.Read(examples.Budget))
				if err != nil {
					t.Fatal(err)
				}
				res, err := r.BudgetPDF(t.Context(), b, render.Options{Template: set.Name})
				if err != nil {
					t.Fatal(err)
				}
				out[set.Name+"/budget"] = res.Body
				continue
			}
			for _, ex := range []string{examples.Meeting, examples.Minutes} {
				for name, o := range map[string]render.Options{"": {}, " public": {Public: true}, " en": {Lang: "en"}} {
					m, err := data.DecodeMeeting(examples.Read(ex))
					if err != nil {
						t.Fatal(err)
					}
					o.Template = set.Name
					out[set.Name+"/"+string(doc)+" "+strings.SplitN(ex, "-", 2)[0]+name] = renderMeeting(t, r, doc, m, o).Body
				}
			}
		}
	}
	// a budget with a chart, a percent column and status marks: Figures,
	// vector marks and their legend
	marked, err := data.DecodeBudget([]byte(`{"title":"Status","tables":[{"title":"T","columns":[{"key":"budget","label":"Budget"},{"key":"actual","label":"Forbrug"},
		{"key":"p","label":"Forbrug i %","formula":"actual / budget","format":"percent"},{"key":"s","label":"Status","format":"status","status":{"of":"p","green":95,"yellow":80}}],
		"charts":[{"title":"Budget og forbrug","columns":["budget","actual"]},{"title":"Forbrug","kind":"line","columns":["actual"]}],
		"rows":[{"label":"Skoler","values":{"budget":100,"actual":97}},{"label":"Veje","values":{"budget":100,"actual":85}},{"label":"Parker","values":{"budget":100,"actual":50}}]}]}`))
	if err != nil {
		t.Fatal(err)
	}
	res, err := r.BudgetPDF(t.Context(), marked, render.Options{})
	if err != nil {
		t.Fatal(err)
	}
	out["default/budget with charts and marks"] = res.Body
	// sealed: a signature field, tagged as a Form
	sealer := sealedRenderer(t, sealtest.NewCA(t, "Root"), "ecdsa", nil)
	out["default/minutes sealed"] = renderMeeting(t, sealer, "minutes", exampleMinutes(t), render.Options{Seal: true, Signatures: true}).Body
	// beyond Latin-1: the fonts' other encodings
	m, err := data.DecodeMeeting(examples.Read(examples.Minutes))
	if err != nil {
		t.Fatal(err)
	}
	m.Items[0].Summary = "Ελληνικά και Кириллица, Łódź, Şişli, Nguyễn, € – “citat”"
	out["default/minutes scripts"] = renderMeeting(t, r, "minutes", m, render.Options{}).Body
	if _, err := os.Stat("/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf"); err == nil {
		hr, err := render.New(render.Config{Templates: templates.FS, TemplateDir: houseFont(t)})
		if err != nil {
			t.Fatal(err)
		}
		out["house/minutes scripts"] = renderMeeting(t, hr, "minutes", m, render.Options{}).Body
	}
	return out
}

// Every PDF is tagged: the Matterhorn conditions a machine can check hold
// (read back by qpdf), headings come one per item and never skip a level,
// and tables have header cells.
func TestPDFsAreTagged(t *testing.T) {
	for name, pdf := range taggedCases(t) {
		t.Run(name, func(t *testing.T) {
			tg := pdftest.CheckTagged(t, pdf)
			for _, p := range tg.Problems {
				t.Error(p)
			}
			if len(tg.Types) < 5 || tg.Types[0] != "Document" {
				t.Fatalf("structure: %v", tg.Types)
			}
			level := 0
			for _, typ := range tg.Types {
				if len(typ) == 2 && typ[0] == 'H' {
					n := int(typ[1] - '0')
					if n > level+1 {
						t.Errorf("a heading skips from H%d to %s", level, typ)
					}
					level = n
				}
			}
			if (strings.Contains(name, "default/agenda") || strings.Contains(name, "default/minutes")) && !slices.Contains(tg.Types, "TOC") {
				t.Error("no TOC element for the table of contents")
			}
		})
	}
}

// PDFBox Preflight (Debian's libpdfbox2-java) validates PDF/A-1b; our files
// claim PDF/A-2a, so its complaints allowed are those whose rule PDF/A-2
// does not have: 7.11 (the part number must be 1) and 1.4 (cross-reference
// streams, which PDF/A-2, on PDF 1.7, allows; they let the structure tree
// go into compressed object streams). .ci/run installs it; elsewhere the
// test is skipped.
func TestPreflight(t *testing.T) {
	jars := []string{"preflight", "pdfbox2", "fontbox2", "xmpbox", "commons-logging", "javax.activation", "jaxb-api"}
	var cp []string
	for _, j := range jars {
		p := filepath.Join("/usr/share/java", j+".jar")
		if _, err := os.Stat(p); err != nil {
			if os.Getenv("CI") != "" {
				t.Fatalf("PDFBox Preflight is not installed (%s); .ci/run installs libpdfbox2-java", p)
			}
			t.Skip("PDFBox Preflight is not installed (apt-get install libpdfbox2-java libactivation-java libjaxb-api-java default-jre-headless)")
		}
		cp = append(cp, p)
	}
	dir := t.TempDir()
	var files []string
	for name, pdf := range taggedCases(t) {
		f := filepath.Join(dir, strings.NewReplacer("/", "_", " ", "_").Replace(name)+".pdf")
		if err := os.WriteFile(f, pdf, 0o644); err != nil {
			t.Fatal(err)
		}
		files = append(files, f)
	}
	slices.Sort(files)
	// a negative control: a plain PDF, which Preflight must find wanting
	control := filepath.Join(dir, "zz-plain-control.pdf")
	if err := os.WriteFile(control, renderMeeting(t, newRenderer(t), "agenda", meeting(t), render.Options{Plain: true}).Body, 0o644); err != nil {
		t.Fatal(err)
	}
	files = append(files, control)
	// one JVM for all files (its "group" mode writes one XML report):
	// a JVM a file took minutes
	list := filepath.Join(dir, "files.txt")
	if err := os.WriteFile(list, []byte(strings.Join(files, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("java", "-cp", strings.Join(cp, ":"), "org.apache.pdfbox.preflight.Validator_A1b", "xml", "group", list).CombinedOutput(); err != nil && len(out) > 0 && !strings.Contains(string(out), "preflight") {
		t.Fatalf("Preflight: %v\n%s", err, out)
	}
	report, err := os.ReadFile(list + ".preflight.xml")
	if err != nil {
		t.Fatalf("Preflight wrote no report: %v", err)
	}
	var r struct {
		Preflights []struct {
			Name      string `xml:"name,attr"`
			Exception string `xml:"exceptionThrown>message"`
			Errors    []struct {
				Code    string `xml:"code"`
				Details string `xml:"details"`
			} `xml:"errors>error"`
		} `xml:"preflight"`
	}
	if err := xml.Unmarshal(report, &r); err != nil {
		t.Fatal(err)
	}
	if len(r.Preflights) != len(files) {
		t.Fatalf("Preflight reported %d files of %d", len(r.Preflights), len(files))
	}
	for _, pf := range r.Preflights {
		if pf.Name == filepath.Base(control) {
			if len(pf.Errors) <= 2 {
				t.Errorf("Preflight found only %v in a plain PDF: the check proves nothing", pf.Errors)
			}
			continue
		}
		if pf.Exception != "" {
			t.Errorf("%s: %s", pf.Name, pf.Exception)
		}
		for _, e := range pf.Errors {
			if strings.HasPrefix(e.Code, "7.11") || e.Code == "1.4" && strings.Contains(e.Details, "/XRef cross reference streams are not allowed") {
				continue
			}
			t.Errorf("%s: %s : %s", pf.Name, e.Code, e.Details)
		}
	}
}

// The checker can fail: a plain PDF (pdf=plain) has none of it.
func TestPlainPDFIsNotTagged(t *testing.T) {
	r := newRenderer(t)
	res := renderMeeting(t, r, "agenda", meeting(t), render.Options{Plain: true})
	tg := pdftest.CheckTagged(t, res.Body)
	for _, want := range []string{"/MarkInfo", "no XMP metadata", "no /StructTreeRoot"} {
		if !slices.ContainsFunc(tg.Problems, func(p string) bool { return strings.Contains(p, want) }) {
			t.Errorf("the checker did not find %q in a plain PDF: %v", want, tg.Problems)
		}
	}
}

// pdf.js (Firefox's reader, and most web viewers') reads the same text as
// poppler (and so as MuPDF, which pages() checks) from every set's
// documents, the sealed minutes, the budget with charts and the scripts
// beyond Latin-1 among them.
func TestPDFJSReadsTheSameText(t *testing.T) {
	pdftest.SameTextInPDFJS(t, taggedCases(t))
}
