// Package pdftest reads PDFs back the way a user would, for tests: the text
// of each page (poppler's pdftotext), the page count and metadata
// (pdfinfo), and the bookmarks with the pages they open.
package pdftest

import (
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"unicode"
)

func need(t testing.TB, tool string) {
	t.Helper()
	if _, err := exec.LookPath(tool); err != nil {
		t.Fatalf("%s is needed (Debian: apt-get install poppler-utils; .ci/run installs it)", tool)
	}
}

func write(t testing.TB, pdf []byte) string { t.Helper(); return File(t, pdf) }

// File writes a PDF to a file of the test's and returns its path, for
// tools that read files.
func File(t testing.TB, pdf []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "doc.pdf")
	if err := os.WriteFile(p, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// QPDF is the PDF as qpdf rewrites it with flags (--qdf, --encrypt …,
// --object-streams=generate): the file decompressed for a search, or
// made the way another writer makes it.
func QPDF(t testing.TB, pdf []byte, flags ...string) []byte {
	t.Helper()
	need(t, "qpdf")
	out := filepath.Join(t.TempDir(), "qpdf.pdf")
	args := append(append(flags[:len(flags):len(flags)], File(t, pdf)), out)
	if b, err := exec.Command("qpdf", args...).CombinedOutput(); err != nil {
		t.Fatalf("qpdf %s: %v\n%s", strings.Join(flags, " "), err, b)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// Pages returns the text of every page, in reading order.
func Pages(t testing.TB, pdf []byte) []string { return pages(t, pdf) }

// RawPages is Pages in content-stream order, diagonal text included (a
// watermark, say), which pdftotext's layout mode leaves out.
func RawPages(t testing.TB, pdf []byte) []string { return pages(t, pdf, "-raw") }

func pages(t testing.TB, pdf []byte, flags ...string) []string {
	t.Helper()
	need(t, "pdftotext")
	args := append(append([]string{"-enc", "UTF-8"}, flags...), write(t, pdf), "-")
	out, err := exec.Command("pdftotext", args...).Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	pages := strings.Split(string(out), "\f")
	if len(pages) > 0 && strings.TrimSpace(pages[len(pages)-1]) == "" {
		pages = pages[:len(pages)-1]
	}
	sameTextInMuPDF(t, pdf, string(out))
	return pages
}

// sameTextInMuPDF checks that MuPDF (mutool: the reader behind
// SumatraPDF, PyMuPDF and the search indexers built on it) extracts the
// same text as poppler from every PDF a test reads: the same count of
// every letter and digit (and of U+FFFD), whatever order the two lay
// them out in and however they join a word broken at a line's end.
// Poppler alone once passed text MuPDF read as "Besk\uFFFDftigelsesudvalget".
func sameTextInMuPDF(t testing.TB, pdf []byte, poppler string) {
	t.Helper()
	need(t, "mutool")
	out, err := exec.Command("mutool", "draw", "-q", "-F", "txt", "-o", "-", write(t, pdf)).Output()
	if err != nil {
		t.Fatalf("mutool draw: %v", err)
	}
	if diff := letterDiff(poppler, string(out), "MuPDF"); len(diff) > 0 {
		t.Errorf("MuPDF and poppler read different text (%d characters differ): %s", len(diff), strings.Join(diff[:min(len(diff), 12)], "; "))
	}
}

// letterDiff compares the count of every letter and digit (and of
// U+FFFD) in poppler's text and another reader's.
func letterDiff(poppler, other, name string) []string {
	count := func(s string) map[rune]int {
		m := map[rune]int{}
		for _, r := range s {
			if unicode.IsLetter(r) || unicode.IsDigit(r) || r == '\uFFFD' {
				m[r]++
			}
		}
		return m
	}
	p, u := count(poppler), count(other)
	var diff []string
	for r, n := range p {
		if u[r] != n {
			diff = append(diff, fmt.Sprintf("%q poppler %d, %s %d", r, n, name, u[r]))
		}
	}
	for r, n := range u {
		if _, ok := p[r]; !ok {
			diff = append(diff, fmt.Sprintf("%q poppler 0, %s %d", r, name, n))
		}
	}
	sort.Strings(diff)
	return diff
}

//go:embed pdfjs.mjs
var pdfjsScript []byte

// SameTextInPDFJS checks that pdf.js (the reader in Firefox and in many
// web viewers) extracts the same letters and digits as poppler from each
// PDF. pdfjs-dist's legacy build is named by PROTOKOL_PDFJS (.ci/run
// installs it); without it the check is skipped, in CI it must run.
func SameTextInPDFJS(t *testing.T, pdfs map[string][]byte) {
	t.Helper()
	module := os.Getenv("PROTOKOL_PDFJS")
	if module == "" {
		if os.Getenv("CI") != "" {
			t.Fatal("PROTOKOL_PDFJS is not set; .ci/run installs pdfjs-dist and names it")
		}
		t.Skip("pdf.js not installed (npm install --prefix ~/.cache/protokol-pdfjs pdfjs-dist@4.10.38; PROTOKOL_PDFJS=…/legacy/build/pdf.mjs)")
	}
	need(t, "node")
	dir := t.TempDir()
	script := filepath.Join(dir, "text.mjs")
	if err := os.WriteFile(script, pdfjsScript, 0o644); err != nil {
		t.Fatal(err)
	}
	names := slices.Sorted(maps.Keys(pdfs))
	args := []string{script}
	for i, name := range names {
		f := filepath.Join(dir, fmt.Sprintf("%d.pdf", i))
		if err := os.WriteFile(f, pdfs[name], 0o644); err != nil {
			t.Fatal(err)
		}
		args = append(args, f)
	}
	cmd := exec.Command("node", args...)
	cmd.Env = append(os.Environ(), "PROTOKOL_PDFJS="+module)
	out, err := cmd.Output()
	if err != nil {
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			t.Fatalf("pdf.js: %v\n%s", err, ee.Stderr)
		}
		t.Fatalf("pdf.js: %v", err)
	}
	var texts []string
	if err := json.Unmarshal(out, &texts); err != nil || len(texts) != len(names) {
		t.Fatalf("pdf.js answered %d texts for %d files: %v", len(texts), len(names), err)
	}
	for i, name := range names {
		poppler := strings.Join(pages(t, pdfs[name]), "\f")
		if diff := letterDiff(poppler, texts[i], "pdf.js"); len(diff) > 0 {
			t.Errorf("%s: pdf.js and poppler read different text (%d characters differ): %s", name, len(diff), strings.Join(diff[:min(len(diff), 12)], "; "))
		}
	}
}

// Info returns pdfinfo's fields (Title, Author, Pages, …).
func Info(t testing.TB, pdf []byte) map[string]string {
	t.Helper()
	need(t, "pdfinfo")
	out, err := exec.Command("pdfinfo", "-enc", "UTF-8", write(t, pdf)).Output()
	if err != nil {
		t.Fatalf("pdfinfo: %v", err)
	}
	info := map[string]string{}
	for _, line := range strings.Split(string(out), "\n") {
		if k, v, ok := strings.Cut(line, ":"); ok {
			info[strings.TrimSpace(k)] = strings.TrimSpace(v)
		}
	}
	return info
}

// Bookmark is an outline entry and the page (1-based) it opens.
type Bookmark struct {
	Title string
	Page  int
	Level int // 0 at the top, 1 for a bookmark nested in one, …
}

// Outline returns the bookmarks in document order, nested ones after
// their parent, as qpdf reads them.
func Outline(t testing.TB, pdf []byte) []Bookmark {
	t.Helper()
	need(t, "qpdf")
	out, err := exec.Command("qpdf", "--json=2", "--json-key=outlines", write(t, pdf)).Output()
	if err != nil {
		t.Fatalf("qpdf --json: %v", err)
	}
	type item struct {
		Title string `json:"title"`
		Page  int    `json:"destpageposfrom1"`
		Kids  []item `json:"kids"`
	}
	var doc struct {
		Outlines []item `json:"outlines"`
	}
	if err := json.Unmarshal(out, &doc); err != nil {
		t.Fatal(err)
	}
	var list []Bookmark
	var walk func([]item, int)
	walk = func(items []item, level int) {
		for _, it := range items {
			list = append(list, Bookmark{Title: it.Title, Page: it.Page, Level: level})
			walk(it.Kids, level+1)
		}
	}
	walk(doc.Outlines, 0)
	return list
}

// Squash folds runs of white space into one space, so a test can look
// for a phrase wherever pdftotext broke its lines.
func Squash(s string) string { return strings.Join(strings.Fields(s), " ") }

// Word is a word on a page with its box, in points from the top left.
type Word struct {
	Text                   string
	XMin, YMin, XMax, YMax float64
}

var wordBox = regexp.MustCompile(`<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>`)

// Words are each page's words with their boxes, in poppler's reading
// order (pdftotext -bbox).
func Words(t testing.TB, pdf []byte) [][]Word {
	t.Helper()
	need(t, "pdftotext")
	out, err := exec.Command("pdftotext", "-bbox", write(t, pdf), "-").Output()
	if err != nil {
		t.Fatalf("pdftotext -bbox: %v", err)
	}
	f := func(s string) float64 { v, _ := strconv.ParseFloat(s, 64); return v }
	var pages [][]Word
	for _, page := range strings.Split(string(out), "<page ")[1:] {
		var ws []Word
		for _, m := range wordBox.FindAllStringSubmatch(page, -1) {
			ws = append(ws, Word{Text: html.UnescapeString(m[5]), XMin: f(m[1]), YMin: f(m[2]), XMax: f(m[3]), YMax: f(m[4])})
		}
		pages = append(pages, ws)
	}
	return pages
}
