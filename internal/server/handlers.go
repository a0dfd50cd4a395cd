package server

import (
	"context"
	_ "embed"
	"errors"
	"fmt"
	"io"
	"maps"
	"net"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/gin-gonic/gin"

	"protokol/internal/attach"
	"protokol/internal/data"
	"protokol/internal/esdh"
	"protokol/internal/locale"
	"protokol/internal/render"
)

// handle adapts a handler that returns an error.
func (s *Server) handle(h func(*gin.Context) error) gin.HandlerFunc {
	return func(c *gin.Context) {
		if err := h(c); err != nil {
			writeProblem(c, problemFor(err))
			c.Abort()
		}
	}
}

var templateName = regexp.MustCompile(`^[A-Za-z0-9_-]{1,64}$`)

// options reads the query parameters of a render endpoint, which takes
// those in allowed, and reports every bad or unknown one at once.
func options(c *gin.Context, allowed []string) (render.Options, error) {
	var o render.Options
	var ps data.Problems
	bad := ps.Add
	q := c.Request.URL.Query()
	for _, name := range slices.Sorted(maps.Keys(q)) {
		if !slices.Contains(allowed, name) {
			bad(name, "is not a parameter of %s; it takes %s", c.FullPath(), strings.Join(allowed, ", "))
		} else if len(q[name]) > 1 {
			// a proxy that appends public=true must not be overridden by
			// a client's public=false before it
			bad(name, "is given %d times; give it once", len(q[name]))
		}
	}
	o.Template = q.Get("template")
	if o.Template == "" {
		o.Template = render.DefaultSet
	} else if !templateName.MatchString(o.Template) {
		bad("template", "%q is not a template set name (letters, digits, - and _)", truncate(o.Template))
	}
	for _, f := range []struct {
		name string
		v    *bool
	}{{"public", &o.Public}, {"addendum", &o.Addendum}, {"signatures", &o.Signatures}, {"seal", &o.Seal}} {
		vs, given := q[f.name]
		if !given {
			continue
		}
		// exactly true or false: "?public" or "public=" must not quietly
		// render the full, non-public document
		switch p := vs[0]; p {
		case "false":
		case "true":
			*f.v = true
		default:
			bad(f.name, "must be true or false, not %q", truncate(p))
		}
	}
	switch p := q.Get("pdf"); p {
	case "", "archive":
	case "plain":
		o.Plain = true
	default:
		bad("pdf", "must be archive (tagged PDF/UA-1 and PDF/A-2a, the default) or plain, not %q", truncate(p))
	}
	if f := q.Get("from"); f != "" && f != "auto" {
		if _, err := esdh.ParseFormat(f); err != nil {
			bad("from", "%s", err)
		}
	}
	if l := q.Get("lang"); l != "" {
		lang, err := locale.Parse(l)
		if err != nil {
			bad("lang", "%s", err)
		}
		o.Lang = lang
	}
	return o, badRequests(&ps)
}

// truncate shortens a value quoted back to the client.
func truncate(s string) string {
	if len(s) > 40 {
		return s[:37] + "…"
	}
	return s
}

// readBody reads the body within the configured limit, counting its bytes
// against the memory budget as they arrive, at most twice what arrived
// (held is what it took; free it when the request is done). It runs before the request takes a queue
// place, so a slow upload holds only the bytes it sent, and the server's
// read timeout ends it with 408.
func (s *Server) readBody(c *gin.Context) (body []byte, held int64, err error) {
	limit := s.cfg.BodyLimit
	if c.Request.ContentLength > limit {
		return nil, 0, &http.MaxBytesError{Limit: limit}
	}
	r := http.MaxBytesReader(c.Writer, c.Request.Body, limit)
	// what a body declares is not reserved up front: a client that
	// declares 16 MiB and sends a byte holds 64 KiB, and the buffer (and
	// what it reserves) doubles only as the bytes arrive
	end := limit + 1 // one more, to see the end
	if c.Request.ContentLength > 0 {
		end = c.Request.ContentLength + 1
	}
	size := min(int64(64<<10), end)
	for {
		if int64(cap(body)) < size {
			if err := s.lim.reserve(c.Request.Context(), size-held); err != nil {
				return nil, held, err
			}
			held = size
			body = append(make([]byte, 0, size), body...)
		}
		n, err := r.Read(body[len(body):cap(body)])
		body = body[:len(body)+n]
		if err == io.EOF {
			return body, held, nil
		}
		if err != nil {
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				return nil, held, bodyTimeout(s.cfg.ReadTimeout)
			}
			return nil, held, err
		}
		if len(body) == cap(body) {
			size = min(2*size, end)
		}
	}
}

// runJob runs a decode-and-render job in a render slot, with the render
// deadline, and records its metrics; need is the memory it takes beyond
// what its body holds.
func (s *Server) runJob(c *gin.Context, document data.Document, format render.Format, tmplName string, body []byte, o render.Options, need int64) (*render.Result, error) {
	if err := s.lim.acquire(c.Request.Context(), need); err != nil {
		return nil, err
	}
	defer s.lim.release(need)
	ctx, cancel := context.WithTimeout(c.Request.Context(), s.cfg.RenderTimeout)
	defer cancel()
	start := time.Now()
	res, err := render.Job(ctx, s.r, document, format, body, o)
	if o.Seal {
		var se *render.SealError
		switch {
		case err == nil:
			s.m.seals.WithLabelValues("sealed").Inc()
		case errors.As(err, &se):
			s.m.seals.WithLabelValues("failed").Inc()
		}
	}
	if err != nil {
		return nil, err
	}
	s.m.duration.WithLabelValues(string(document), tmplName).Observe(time.Since(start).Seconds())
	s.m.bytes.WithLabelValues(string(document), string(format)).Add(float64(len(res.Body)))
	if res.Pages > 0 {
		s.m.pages.WithLabelValues(string(document)).Add(float64(res.Pages))
		c.Set(ctxPages, res.Pages)
	}
	if res.Replaced > 0 {
		s.m.replaced.Add(float64(res.Replaced))
		c.Set(ctxReplaced, res.Replaced)
	}
	return res, nil
}

// meeting serves an agenda or minutes.
func (s *Server) meeting(document data.Document) func(*gin.Context) error {
	return func(c *gin.Context) error {
		o, err := options(c, meetingQuery)
		if err != nil {
			return err
		}
		return s.serve(c, document, render.FormatPDF, o.Template, o)
	}
}

// budget serves a budget as a workbook or, by ?format=pdf or Accept, PDF.
func (s *Server) budget(c *gin.Context) error {
	o, err := options(c, budgetQuery)
	if err != nil {
		return err
	}
	format := render.FormatXLSX
	if q, ok := c.GetQuery("format"); ok {
		if format, err = render.ParseFormat(q); err != nil {
			return badRequest("format", err.Error())
		}
	} else if c.NegotiateFormat(render.XLSX, render.PDF) == render.PDF {
		format = render.FormatPDF
	}
	label := "none" // a workbook uses no template; an unchecked name must not become a metric label
	if format == render.FormatPDF {
		label = o.Template
	}
	return s.serve(c, data.DocBudget, format, label, o)
}

// serve checks the template, reads the body, renders and sends.
func (s *Server) serve(c *gin.Context, document data.Document, format render.Format, label string, o render.Options) error {
	packet := isMultipart(c)
	check := o
	if packet {
		check.Files = &render.Files{} // the rule, before the files are read
	}
	if err := check.Check(document, format); err != nil {
		return err // before the body is read
	}
	if format == render.FormatPDF {
		if err := s.r.Check(o.Template, document); err != nil {
			return err
		}
	}
	if o.Seal && !s.r.CanSeal() {
		return render.ErrNoSeal
	}
	costOf := func(n int) int64 {
		if packet {
			return render.PacketCost(0, n, 0) // the least it can be: all files
		}
		return render.Cost(document, format, n)
	}
	// a body whose size is known and too large for the memory budget is
	// refused before it is read
	if n := c.Request.ContentLength; n > 0 && n <= s.cfg.BodyLimit {
		if cost := costOf(int(n)); cost > s.lim.budget {
			return &tooLarge{cost: cost, budget: s.lim.budget}
		}
	}
	body, held, err := s.readBody(c)
	defer s.lim.free(held)
	if err != nil {
		return err
	}
	var files map[string][]byte
	var fileBytes int
	partType := ""
	if packet {
		if body, partType, files, fileBytes, err = readParts(c, body); err != nil {
			return err
		}
		o.Files = &render.Files{Sent: files}
	}
	if fromXML(c, partType) {
		res, err := s.readExport(c, body)
		if err != nil {
			return err
		}
		if body, err = res.JSON(); err != nil {
			return err
		}
	}
	cost := costOf(len(body))
	if packet {
		cost = render.PacketCost(len(body), fileBytes, len(files))
	}
	if cost > s.lim.budget {
		return &tooLarge{cost: cost, budget: s.lim.budget}
	}
	if err := s.lim.admit(); err != nil {
		return err
	}
	defer s.lim.leave()
	res, err := s.runJob(c, document, format, label, body, o, max(cost-held, 0))
	if err != nil {
		return err
	}
	send(c, res)
	return nil
}

func (s *Server) templates(c *gin.Context) error {
	c.JSON(http.StatusOK, gin.H{"templates": s.r.Sets(), "seal": s.r.CanSeal(), "body_limit": s.cfg.BodyLimit})
	return nil
}

// send writes a finished document.
func send(c *gin.Context, res *render.Result) {
	c.Header("Content-Disposition", contentDisposition(res.Filename))
	c.Header("Cache-Control", "no-store")
	if res.Pages > 0 {
		c.Header("X-Page-Count", strconv.Itoa(res.Pages))
	}
	for _, l := range res.Left {
		c.Writer.Header().Add("X-Left-Out", leftOutHeader(l))
	}
	c.Data(http.StatusOK, res.ContentType, res.Body)
}

// contentDisposition names the file for every browser: an ASCII fallback
// (æ -> ae, ø -> oe, å -> aa) and the exact UTF-8 name (RFC 6266, 5987).
func contentDisposition(name string) string {
	name = strings.Map(func(r rune) rune {
		// controls, and the bidi controls that make a name read other
		// than it is ("invoice\u202Efdp.exe")
		if r < 0x20 || r == 0x7F || r == '/' || r == '\\' || unicode.Is(unicode.Bidi_Control, r) {
			return '_'
		}
		return r
	}, name)
	ascii := asciiName(name)
	return fmt.Sprintf(`attachment; filename="%s"; filename*=UTF-8''%s`, ascii, strings.ReplaceAll(url.PathEscape(name), "+", "%2B"))
}

var danish = strings.NewReplacer("æ", "ae", "ø", "oe", "å", "aa", "Æ", "Ae", "Ø", "Oe", "Å", "Aa",
	"é", "e", "ü", "u", "ö", "o", "ä", "a", "–", "-", "—", "-")

func asciiName(s string) string {
	s = danish.Replace(s)
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			b.WriteByte('_')
		case r < 0x80:
			b.WriteRune(r)
		default:
			b.WriteByte('_')
		}
	}
	return b.String()
}

//go:embed openapi.json
var openapiDoc []byte

func (s *Server) openapi(c *gin.Context) {
	c.Data(http.StatusOK, "application/json", openapiDoc)
}

// leftOutHeader is one X-Left-Out value: the attachment's file name
// (percent-encoded, so any name is ASCII and has no comma or semicolon)
// and how many of each kind it held that the packet does not carry:
// "forlig.pdf; links=3; form-fields=1".
func leftOutHeader(l render.LeftOut) string {
	var b strings.Builder
	b.WriteString(url.PathEscape(l.File))
	for _, k := range attach.Kinds() {
		if n := l.What[k]; n > 0 {
			fmt.Fprintf(&b, "; %s=%d", strings.ReplaceAll(string(k), " ", "-"), n)
		}
	}
	return b.String()
}
