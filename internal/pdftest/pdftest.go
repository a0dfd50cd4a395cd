// Package pdftest reads PDFs back the way a user would, for tests: the text
// of each page (poppler's pdftotext), the page count and metadata
// (pdfinfo), and the bookmarks with the pages they open.
package pdftest

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"unicode/utf16"
)

func need(t testing.TB, tool string) {
	t.Helper()
	if _, err := exec.LookPath(tool); err != nil {
		t.Fatalf("%s is needed (Debian: apt-get install poppler-utils; .ci/run installs it)", tool)
	}
}

func write(t testing.TB, pdf []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "doc.pdf")
	if err := os.WriteFile(p, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// Pages returns the text of every page, in reading order.
func Pages(t testing.TB, pdf []byte) []string {
	t.Helper()
	need(t, "pdftotext")
	out, err := exec.Command("pdftotext", "-enc", "UTF-8", write(t, pdf), "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	pages := strings.Split(string(out), "\f")
	if len(pages) > 0 && strings.TrimSpace(pages[len(pages)-1]) == "" {
		pages = pages[:len(pages)-1]
	}
	return pages
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
}

var (
	kidsRe    = regexp.MustCompile(`/Type /Pages\s*/Kids \[([0-9 R]*)\]`)
	outlineRe = regexp.MustCompile(`(?s)<</Title \((.*?)\)\s*/Parent.*?/Dest \[(\d+) 0 R`)
)

// Outline returns the bookmarks in document order. It reads fpdf's
// uncompressed object dictionaries directly.
func Outline(t testing.TB, pdf []byte) []Bookmark {
	t.Helper()
	m := kidsRe.FindSubmatch(pdf)
	if m == nil {
		t.Fatal("no page tree in the PDF")
	}
	pageOf := map[string]int{}
	for i, f := range strings.Fields(strings.ReplaceAll(string(m[1]), " 0 R", "")) {
		pageOf[f] = i + 1
	}
	var out []Bookmark
	for _, om := range outlineRe.FindAllSubmatch(pdf, -1) {
		out = append(out, Bookmark{Title: pdfString(om[1]), Page: pageOf[string(om[2])]})
	}
	return out
}

// pdfString decodes a literal string's escapes and UTF-16BE with BOM.
func pdfString(b []byte) string {
	var raw bytes.Buffer
	for i := 0; i < len(b); i++ {
		c := b[i]
		if c != '\\' || i+1 == len(b) {
			raw.WriteByte(c)
			continue
		}
		i++
		switch e := b[i]; e {
		case 'n':
			raw.WriteByte('\n')
		case 'r':
			raw.WriteByte('\r')
		case 't':
			raw.WriteByte('\t')
		case '0', '1', '2', '3', '4', '5', '6', '7':
			j := i
			for j < len(b) && j < i+3 && b[j] >= '0' && b[j] <= '7' {
				j++
			}
			n, _ := strconv.ParseUint(string(b[i:j]), 8, 8)
			raw.WriteByte(byte(n))
			i = j - 1
		default:
			raw.WriteByte(e)
		}
	}
	s := raw.Bytes()
	if len(s) >= 2 && s[0] == 0xFE && s[1] == 0xFF {
		u := make([]uint16, 0, len(s)/2)
		for i := 2; i+1 < len(s); i += 2 {
			u = append(u, uint16(s[i])<<8|uint16(s[i+1]))
		}
		return string(utf16.Decode(u))
	}
	return string(s)
}

// Squash folds runs of white space into one space, so a test can look
// for a phrase wherever pdftotext broke its lines.
func Squash(s string) string { return strings.Join(strings.Fields(s), " ") }
