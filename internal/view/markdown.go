package view

import (
	"strings"
)

// Escape makes plain text safe to put into Markdown: characters that would
// start emphasis, links, tables, headings, HTML or attributes are escaped,
// and line breaks become spaces.
func Escape(s string) string {
	if s == "" {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	start := true
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch c {
		case '\r', '\n':
			b.WriteByte(' ')
			continue
		case '\\', '`', '*', '_', '{', '}', '[', ']', '<', '>', '#', '|', '~', '!', '&':
			b.WriteByte('\\')
		case '-', '+', '=':
			if start {
				b.WriteByte('\\')
			}
		case '.', ')':
			if isDigits(s[:i]) && i > 0 {
				b.WriteByte('\\')
			}
		}
		if c != ' ' {
			start = false
		}
		b.WriteByte(c)
	}
	return b.String()
}

func isDigits(s string) bool {
	s = strings.TrimLeft(s, " ")
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// Demote pushes the ATX headings of user Markdown down so the shallowest
// becomes level min (at most 6): an item body's "# Baggrund" must not
// outrank the template's own headings. It also escapes a heading's
// trailing {…}, so user text cannot claim an item's link target or make
// bookmarks: only templates set heading attributes. Fenced code is left
// alone.
func Demote(md string, minLevel int) string {
	if !strings.Contains(md, "#") {
		return md
	}
	lines := strings.Split(md, "\n")
	shallowest := 7
	fence := ""
	forEachHeading(lines, &fence, func(i, level, indent int) { shallowest = min(shallowest, level) })
	shift := 0
	if shallowest < minLevel {
		shift = minLevel - shallowest
	}
	fence = ""
	forEachHeading(lines, &fence, func(i, level, indent int) {
		n := min(level+shift, 6)
		text := lines[i][indent+level:]
		if j := strings.LastIndexByte(text, '{'); j >= 0 && strings.HasSuffix(strings.TrimSpace(text), "}") && (j == 0 || text[j-1] != '\\') {
			text = text[:j] + "\\" + text[j:]
		}
		lines[i] = lines[i][:indent] + strings.Repeat("#", n) + text
	})
	return strings.Join(lines, "\n")
}

func forEachHeading(lines []string, fence *string, fn func(i, level, indent int)) {
	for i, l := range lines {
		t := strings.TrimLeft(l, " ")
		indent := len(l) - len(t)
		if indent > 3 {
			continue
		}
		if strings.HasPrefix(t, "```") || strings.HasPrefix(t, "~~~") {
			mark := t[:3]
			if *fence == "" {
				*fence = mark
			} else if *fence == mark {
				*fence = ""
			}
			continue
		}
		if *fence != "" || !strings.HasPrefix(t, "#") {
			continue
		}
		level := len(t) - len(strings.TrimLeft(t, "#"))
		if level > 6 || (len(t) > level && t[level] != ' ' && t[level] != '\t') {
			continue
		}
		fn(i, level, indent)
	}
}
