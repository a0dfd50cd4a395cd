package server

import (
	"context"
	_ "embed"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"protokol/internal/render"
)

// handle adapts a handler that returns an error.
func (s *Server) handle(h func(*gin.Context) error) gin.HandlerFunc {
	return func(c *gin.Context) {
		if err := h(c); err != nil {
			writeProblem(c, problemFor(err))
		}
	}
}

var templateName = regexp.MustCompile(`^[A-Za-z0-9_-]{1,64}$`)

// options reads the query parameters every render endpoint takes.
func options(c *gin.Context) (render.Options, error) {
	var o render.Options
	q := c.Request.URL.Query()
	o.Template = q.Get("template")
	if o.Template == "" {
		o.Template = "default"
	} else if !templateName.MatchString(o.Template) {
		return o, badRequest("template", "%q is not a template set name (letters, digits, - and _)", o.Template)
	}
	switch p := q.Get("public"); p {
	case "", "false", "0":
	case "true", "1":
		o.Public = true
	default:
		return o, badRequest("public", "must be true or false, not %q", p)
	}
	switch l := q.Get("lang"); l {
	case "", "da", "en":
		o.Lang = l
	default:
		return o, badRequest("lang", "must be da or en, not %q", l)
	}
	return o, nil
}

// admitBody admits the request (or refuses it when the queue is full) and
// reads its body within the configured limit; done must be called when
// the request is finished, if err is nil.
func (s *Server) admitBody(c *gin.Context) (body []byte, done func(), err error) {
	if c.Request.ContentLength > s.cfg.BodyLimit {
		return nil, nil, &http.MaxBytesError{Limit: s.cfg.BodyLimit}
	}
	if err := s.lim.admit(); err != nil {
		return nil, nil, err
	}
	body, err = io.ReadAll(http.MaxBytesReader(c.Writer, c.Request.Body, s.cfg.BodyLimit))
	if err != nil {
		s.lim.leave()
		return nil, nil, err
	}
	return body, s.lim.leave, nil
}

// render runs a decode-and-render job in a render slot, with the render
// deadline, and records its metrics.
func (s *Server) render(c *gin.Context, document, tmplName string, job func(ctx context.Context) (*render.Result, error)) (*render.Result, error) {
	if err := s.lim.acquire(c.Request.Context()); err != nil {
		return nil, err
	}
	defer s.lim.release()
	ctx, cancel := context.WithTimeout(c.Request.Context(), s.cfg.RenderTimeout)
	defer cancel()
	start := time.Now()
	res, err := job(ctx)
	if err != nil {
		return nil, err
	}
	s.m.duration.WithLabelValues(document, tmplName).Observe(time.Since(start).Seconds())
	format := "pdf"
	if res.ContentType == render.XLSX {
		format = "xlsx"
	}
	s.m.bytes.WithLabelValues(document, format).Add(float64(len(res.Body)))
	if res.Pages > 0 {
		s.m.pages.WithLabelValues(document).Add(float64(res.Pages))
		c.Set(ctxPages, res.Pages)
	}
	if res.Replaced > 0 {
		s.m.replaced.Add(float64(res.Replaced))
		c.Set(ctxReplaced, res.Replaced)
	}
	return res, nil
}

func (s *Server) meeting(document string) func(*gin.Context) error {
	return func(c *gin.Context) error {
		o, err := options(c)
		if err != nil {
			return err
		}
		if err := s.r.Templates.Check(o.Template, document); err != nil {
			return err
		}
		body, done, err := s.admitBody(c)
		if err != nil {
			return err
		}
		defer done()
		res, err := s.render(c, document, o.Template, func(ctx context.Context) (*render.Result, error) {
			return render.Job(ctx, s.r, document, "pdf", body, o)
		})
		if err != nil {
			return err
		}
		send(c, res)
		return nil
	}
}

func (s *Server) budget(c *gin.Context) error {
	o, err := options(c)
	if err != nil {
		return err
	}
	format := c.Query("format")
	switch format {
	case "pdf", "xlsx":
	case "":
		format = "xlsx"
		if accept := c.GetHeader("Accept"); strings.Contains(accept, render.PDF) && !strings.Contains(accept, render.XLSX) {
			format = "pdf"
		}
	default:
		return badRequest("format", "must be xlsx or pdf, not %q", format)
	}
	label := "none" // a workbook uses no template; an unchecked name must not become a metric label
	if format == "pdf" {
		if err := s.r.Templates.Check(o.Template, "budget"); err != nil {
			return err
		}
		label = o.Template
	}
	body, done, err := s.admitBody(c)
	if err != nil {
		return err
	}
	defer done()
	res, err := s.render(c, "budget", label, func(ctx context.Context) (*render.Result, error) {
		return render.Job(ctx, s.r, "budget", format, body, o)
	})
	if err != nil {
		return err
	}
	send(c, res)
	return nil
}

func (s *Server) templates(c *gin.Context) error {
	c.JSON(http.StatusOK, gin.H{"templates": s.r.Templates.Sets()})
	return nil
}

// send writes a finished document.
func send(c *gin.Context, res *render.Result) {
	c.Header("Content-Disposition", contentDisposition(res.Filename))
	c.Header("Cache-Control", "no-store")
	c.Data(http.StatusOK, res.ContentType, res.Body)
}

// contentDisposition names the file for every browser: an ASCII fallback
// (æ -> ae, ø -> oe, å -> aa) and the exact UTF-8 name (RFC 6266, 5987).
func contentDisposition(name string) string {
	name = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7F || r == '/' || r == '\\' {
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
