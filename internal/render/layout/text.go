package layout

import (
	"protokol/internal/render/font"
	"strings"
	"unicode"
	"unicode/utf8"
)

// span is a stretch of inline text with one look.
type span struct {
	text   string // raw: cleaned when broken into pieces
	bold   bool
	italic bool
	link   string // URL, or "#id" for an anchor in the document
	lang   string // its language when a <span lang> says it (a label in another language than the text)
	status string // green, yellow or red when a <span status> says it
	br     bool   // a hard line break (text is empty)
}

type pieceKind uint8

const (
	word pieceKind = iota
	space
	newline
)

// piece is a word, a space or a forced break, measured.
type piece struct {
	kind   pieceKind
	text   string
	st     font.Style
	link   string
	lang   string
	status string // its status colour; with mark set, the status mark itself (no text)
	mark   bool
	w      float64 // millimetres
}

// line is a laid-out line of pieces.
type line struct {
	pieces []piece
	w      float64
}

// statusColor are the status marks' colours: dark enough for text on
// white (contrast above 4.5:1), told apart by their shapes and words too.
var statusColor = map[string]RGB{"green": {26, 127, 55}, "yellow": {154, 103, 0}, "red": {176, 0, 32}, "negative": {176, 0, 32}}

// markWidth is the room a status mark takes before its word, in mm.
func markWidth(size float64) float64 { return size * 0.95 * ptToMM }

// units are the words Danish typography keeps on the line of the number
// before them ("24,2 %", "5 mio. kr."), and within a unit.
var units = []string{"%", "‰", "kr.", "kr", "mio.", "mia.", "mio", "mia", "pct.", "procent", "kroner",
	"timer", "dage", "uger", "måneder", "år", "km", "m²", "m", "cm", "mm", "kg", "t"}

// keepTogether joins a number and its unit with no-break spaces, so a
// line never ends between them. It runs on every span the layout
// measures: one pass over the bytes, no allocation when nothing changes.
func keepTogether(s string) string {
	var b []byte
	last := 0
	for i := 1; i+1 < len(s); i++ {
		if s[i] != ' ' || !numberEnds(s[:i]) || !unitStarts(s[i+1:]) {
			continue
		}
		b = append(append(b, s[last:i]...), "\u00a0"...)
		last = i + 1
	}
	if b == nil {
		return s
	}
	return string(append(b, s[last:]...))
}

// numberEnds reports whether s ends with a digit, or with "mio." or
// "mia." (a unit that takes one after it: "mio. kr.").
func numberEnds(s string) bool {
	c := s[len(s)-1]
	return c >= '0' && c <= '9' || strings.HasSuffix(s, "mio.") || strings.HasSuffix(s, "mia.")
}

// unitStarts reports whether s starts with a unit, as a whole word.
func unitStarts(s string) bool {
	for _, u := range units {
		if !strings.HasPrefix(s, u) {
			continue
		}
		rest := s[len(u):]
		if rest == "" || strings.HasSuffix(u, ".") || u == "%" || u == "‰" {
			return true
		}
		if r, _ := utf8.DecodeRuneInString(rest); !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			return true
		}
	}
	return false
}

// measure cleans spans and cuts them into pieces at spaces.
func (e *engine) measure(spans []span, size float64, forceBold bool) []piece {
	return e.measureInto(nil, spans, size, forceBold)
}

// measureInto is measure appending to dst[:0] when it is large enough.
func (e *engine) measureInto(dst []piece, spans []span, size float64, forceBold bool) []piece {
	// about a word and a space per six bytes: one allocation, not a
	// dozen doublings, for a paragraph
	n := len(spans)
	for _, sp := range spans {
		n += len(sp.text) / 3
	}
	out := dst[:0]
	if cap(out) < n {
		out = make([]piece, 0, n)
	}
	for _, sp := range spans {
		if sp.br {
			out = append(out, piece{kind: newline})
			continue
		}
		st := font.StyleOf(sp.bold || forceBold, sp.italic)
		text := keepTogether(e.clean.clean(sp.text))
		spaceW := e.width(st, size, " ")
		if sp.status != "" && sp.status != "negative" && (len(out) == 0 || out[len(out)-1].status != sp.status) {
			// the mark, joined to the word after it (it breaks with it)
			out = append(out, piece{kind: word, st: st, status: sp.status, mark: true, w: markWidth(size)})
		}
		for text != "" {
			i := strings.IndexByte(text, ' ')
			if i == 0 {
				out = append(out, piece{kind: space, text: " ", st: st, link: sp.link, lang: sp.lang, status: sp.status, w: spaceW})
				text = text[1:]
				continue
			}
			if i < 0 {
				i = len(text)
			}
			w := text[:i]
			out = append(out, piece{kind: word, text: w, st: st, link: sp.link, lang: sp.lang, status: sp.status, w: e.width(st, size, w)})
			text = text[i:]
		}
	}
	return out
}

// breakLines fills lines of at most width millimetres greedily. A word
// wider than a line is cut between characters.
func (e *engine) breakLines(pieces []piece, width float64, size float64) []line {
	return e.breakInto(&breaker{}, pieces, width, size)
}

// breakInto is breakLines with b's arrays reused when large enough.
func (e *engine) breakInto(b *breaker, pieces []piece, width float64, size float64) []line {
	// the lines' pieces, in order, in one array: each line is a slice of
	// it (a cut word adds pieces, and a grown array leaves the lines made
	// so far on the old one, which is as good)
	all, lines := b.all[:0], b.lines[:0]
	if cap(all) < len(pieces)+4 {
		all = make([]piece, 0, len(pieces)+4)
	}
	*b = breaker{e: e, width: width, size: size, all: all, lines: lines}
	for i := 0; i < len(pieces); {
		// a word is a run of word pieces without spaces between them
		j := i
		ww := 0.0
		for j < len(pieces) && pieces[j].kind == word {
			ww += pieces[j].w
			j++
		}
		if j == i {
			switch pieces[i].kind {
			case space:
				if !b.empty() && b.gap == nil {
					b.gap = &pieces[i]
				}
			case newline:
				b.flush()
			}
			i++
			continue
		}
		add := ww
		if b.gap != nil {
			add += b.gap.w
		}
		if !b.empty() && b.cur.w+add > width+0.01 {
			b.flush()
		}
		if b.empty() && ww > width+0.01 {
			b.cutLong(pieces[i:j]) // too long for any line
			i = j
			continue
		}
		if b.gap != nil && !b.empty() {
			b.all = append(b.all, *b.gap)
			b.cur.w += b.gap.w
		}
		b.gap = nil
		b.all = append(b.all, pieces[i:j]...)
		b.cur.w += ww
		i = j
	}
	if !b.empty() || len(b.lines) == 0 {
		b.sync()
		b.lines = append(b.lines, b.cur)
	}
	return b.lines
}

// breaker is breakLines' state: the lines made, the pieces of all of
// them, where the current line starts, and a space waiting to go before
// the next word.
type breaker struct {
	e           *engine
	width, size float64
	lines       []line
	all         []piece
	start       int
	cur         line
	gap         *piece
}

func (b *breaker) empty() bool { return len(b.all) == b.start }

func (b *breaker) sync() { b.cur.pieces = b.all[b.start:len(b.all):len(b.all)] }

// flush ends the current line.
func (b *breaker) flush() {
	b.sync()
	b.lines = append(b.lines, b.cur)
	b.cur = line{}
	b.start = len(b.all)
	b.gap = nil
}

// cutLong cuts a word too long for any line over as many as it takes.
func (b *breaker) cutLong(word []piece) {
	for _, p := range word {
		for p.text != "" {
			room := b.width - b.cur.w
			head, rest := b.e.cut(p, room, b.size, b.empty())
			if head.text == "" && !b.empty() {
				b.flush()
				continue
			}
			if head.text == "" { // not even one character fits: take one anyway
				_, n := utf8.DecodeRuneInString(p.text)
				head = p
				head.text = p.text[:n]
				head.w = b.e.width(p.st, b.size, head.text)
				rest = p.text[n:]
			}
			b.all = append(b.all, head)
			b.cur.w += head.w
			p.text = rest
			p.w = b.e.width(p.st, b.size, rest)
			if rest != "" {
				b.flush()
			}
		}
	}
}

// cut splits a word piece so that its head fits in room millimetres.
// A cut between two letters gets a hyphen, as a reader expects.
// minPiece is the fewest letters a cut word leaves on a line.
const minPiece = 4

func (e *engine) cut(p piece, room, size float64, lineEmpty bool) (piece, string) {
	if p.w <= room {
		return p, ""
	}
	hyphen := e.width(p.st, size, "-")
	w := 0.0
	prev := rune(0)
	for i, r := range p.text {
		rw := e.fs.RuneWidth(p.st, r) * size / 1000 * ptToMM
		if w+rw+hyphen > room {
			// no piece of fewer than minPiece letters: the tail takes some
			// of the head, or the head waits for the next line
			heads, rests := utf8.RuneCountInString(p.text[:i]), utf8.RuneCountInString(p.text[i:])
			if rests < minPiece && heads-(minPiece-rests) >= minPiece {
				for range minPiece - rests {
					_, n := utf8.DecodeLastRuneInString(p.text[:i])
					i -= n
				}
				w = e.width(p.st, size, p.text[:i])
				prev, _ = utf8.DecodeLastRuneInString(p.text[:i])
				r, _ = utf8.DecodeRuneInString(p.text[i:])
			} else if heads < minPiece && rests > 0 && !lineEmpty {
				return piece{st: p.st, link: p.link, kind: p.kind}, p.text
			}
			head := p
			head.text = p.text[:i]
			head.w = w
			if i > 0 && unicode.IsLetter(prev) && unicode.IsLetter(r) {
				head.text += "-"
				head.w += hyphen
			}
			return head, p.text[i:]
		}
		w += rw
		prev = r
	}
	return p, ""
}

type align uint8

const (
	alignLeft align = iota
	alignRight
	alignCenter
)

// drawLine draws one line with its baseline at y inside [x, x+width].
func (e *engine) drawLine(l line, x, y, width, size float64, al align, color RGB) {
	switch al {
	case alignRight:
		x += width - l.w
	case alignCenter:
		x += (width - l.w) / 2
	}
	ps := l.pieces
	for i := 0; i < len(ps); {
		if ps[i].mark {
			// a status mark: a shape, an artifact (the word says it too)
			e.place(Box{Kind: MarkBox, X: x, Y: y, Size: size, Text: ps[i].status, Color: statusColor[ps[i].status]})
			x += ps[i].w
			i++
			continue
		}
		// draw runs of pieces with the same style and link in one go
		j := i + 1
		for j < len(ps) && !ps[j].mark && ps[j].st == ps[i].st && ps[j].link == ps[i].link && ps[j].lang == ps[i].lang && ps[j].status == ps[i].status {
			j++
		}
		w, n := 0.0, 0
		for _, p := range ps[i:j] {
			w += p.w
			n += len(p.text)
		}
		var b strings.Builder
		b.Grow(n)
		for _, p := range ps[i:j] {
			b.WriteString(p.text)
		}
		text := b.String()
		c := color
		if sc, ok := statusColor[ps[i].status]; ok {
			c = sc
		}
		linked := false
		if tag := bcp47[ps[i].lang]; tag != "" {
			// a label in another language: a Span of its own
			e.tags.open("Span").attrs().Lang = tag
		}
		if ps[i].link != "" && !e.inTOC {
			if id, ok := e.linkTo(strings.TrimPrefix(ps[i].link, "#")); ok && strings.HasPrefix(ps[i].link, "#") {
				e.link(x, y-size*ptToMM, w, size*leading*ptToMM, id, "")
				linked = true
			} else if safeURL(ps[i].link) {
				e.link(x, y-size*ptToMM, w, size*leading*ptToMM, 0, ps[i].link)
				linked = true
			}
		}
		if linked {
			// the link's text and its annotation are one Link element
			c = linkBlue
			e.tags.open("Link").attrs().Text = text
			e.tags.annotation(e.page)
			e.placeText(x, y, ps[i].st, size, c, text)
			e.tags.close()
			e.rule(x, x+w, y+0.6, 0.15, linkBlue)
		} else {
			e.placeText(x, y, ps[i].st, size, c, text)
		}
		if bcp47[ps[i].lang] != "" {
			e.tags.close()
		}
		x += w
		i = j
	}
}

// paragraph lays spans out as lines in the current column from e.y,
// moving to new pages as needed, and keeps at least two lines of a
// paragraph together at a page's foot.
//
// Its pieces and lines are the engine's scratch arrays, reused by the
// next paragraph: a caller uses the lines before it lays out another.
func (e *engine) paragraph(spans []span, size float64, forceBold bool, al align, color RGB) []line {
	e.pieces = e.measureInto(e.pieces, spans, size, forceBold)
	lines := e.breakInto(&e.breaker, e.pieces, e.right-e.left, size)
	lh := lineHeight(size)
	split := e.splitAt(len(lines), lh)
	for i, l := range lines {
		if i == split {
			e.newPage()
		}
		e.ensure(lh)
		base := e.y + e.baselineOffset(size)
		if m := e.marker; m != nil {
			e.tags.within(m.lbl, func() { e.drawText(m.x, base, font.Regular, size, color, e.clean.clean(m.text)) })
			e.marker = nil
		}
		e.drawLine(l, e.left, base, e.right-e.left, size, al, color)
		e.y += lh
	}
	return lines
}

// Widows and orphans: a paragraph split over two pages leaves at least
// two lines on each, and one of up to shortBlock lines is not split.
const shortBlock = 6

// splitAt is the line of a paragraph of n lines that starts a new page,
// so that no page holds one line of it alone: 0 moves it whole to the
// next page, -1 lets it run as the lines fall.
func (e *engine) splitAt(n int, lh float64) int {
	if e.pages == 0 || n < 2 {
		return -1
	}
	fit := int((e.room() + 0.01) / lh)
	switch {
	case fit >= n:
		return -1 // it fits
	case (n <= shortBlock || fit < 2) && e.y > marginT+lh:
		return 0 // short, or an orphan: all of it on the next page
	case n-fit < 2 && n-2 >= 2:
		return n - 2 // a widow: its last two lines on the next page
	}
	return -1
}

// safeURL reports whether a link may become a clickable URI in the PDF:
// web and mail addresses only, never javascript: or file: and the like.
func safeURL(u string) bool {
	l := strings.ToLower(u)
	return strings.HasPrefix(l, "https://") || strings.HasPrefix(l, "http://") || strings.HasPrefix(l, "mailto:")
}
