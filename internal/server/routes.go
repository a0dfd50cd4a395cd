package server

import (
	"fmt"
	"mime"
	"net/http"
	"strings"

	"protokol/internal/data"

	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// route is one endpoint and what it answers.
type route struct {
	method, path string
	handler      gin.HandlerFunc
	body         bool // it reads a JSON body: other content types are refused
	multipart    bool // it also takes multipart/form-data: the JSON and the attachments' files (an agenda packet)
	xml          bool // it also takes a case system's export (application/xml, from=)
	quiet        bool // probes and scrapes: logged at debug level only
	open         bool // answered without credentials when authentication is on (probes)
	metrics      bool // /metrics: open unless --auth-metrics
}

// handlers is the route's chain: its checks, then its handler.
func (s *Server) chain(r route) []gin.HandlerFunc {
	var hs []gin.HandlerFunc
	if s.auth != nil && !r.open && !(r.metrics && !s.cfg.AuthMetrics) {
		hs = append(hs, s.authenticate) // before the body is read
	}
	if r.body {
		hs = append(hs, s.handle(contentType(r.multipart, r.xml)))
	}
	return append(hs, r.handler)
}

// The query parameters of the render endpoints; options refuses others.
var (
	meetingQuery = []string{"template", "public", "lang", "pdf", "addendum", "signatures", "seal", "from", "municipality", "location"}
	importQuery  = []string{"from", "municipality", "location", "lang"}
	budgetQuery  = []string{"template", "lang", "pdf", "format"} // a budget has no closed items: public is refused, not ignored
)

// routes is every endpoint of the service, in one table.
func (s *Server) routes() []route {
	health := func(c *gin.Context) { c.JSON(http.StatusOK, gin.H{"status": "ok"}) }
	rs := []route{
		{method: "POST", path: "/v1/agenda", handler: s.handle(s.meeting(data.DocAgenda)), body: true, multipart: true, xml: true},
		{method: "POST", path: "/v1/minutes", handler: s.handle(s.meeting(data.DocMinutes)), body: true, multipart: true, xml: true},
		{method: "POST", path: "/v1/decisions", handler: s.handle(s.meeting(data.DocDecisions)), body: true, xml: true},
		{method: "POST", path: "/v1/import", handler: s.handle(s.importExport)},
		{method: "POST", path: "/v1/budget", handler: s.handle(s.budget), body: true},
		{method: "POST", path: "/v1/verify", handler: s.handle(s.verify)},
		{method: "GET", path: "/v1/templates", handler: s.handle(s.templates)},
		{method: "GET", path: "/healthz", handler: health, quiet: true, open: true},
		{method: "HEAD", path: "/healthz", handler: health, quiet: true, open: true},
		{method: "GET", path: "/readyz", handler: s.readyz, quiet: true, open: true},
		{method: "HEAD", path: "/readyz", handler: s.readyz, quiet: true, open: true},
		{method: "GET", path: "/openapi.json", handler: s.openapi},
		{method: "GET", path: "/", handler: webFile("index.html", "text/html; charset=utf-8")},
		{method: "HEAD", path: "/", handler: webFile("index.html", "text/html; charset=utf-8")},
		{method: "GET", path: "/web/app.js", handler: webFile("app.js", "text/javascript; charset=utf-8")},
		{method: "GET", path: "/web/style.css", handler: webFile("style.css", "text/css; charset=utf-8")},
		{method: "GET", path: "/metrics", handler: gin.WrapH(promhttp.HandlerFor(s.m.reg, promhttp.HandlerOpts{})), quiet: true, metrics: true},
	}
	return rs
}

// contentType refuses a body that says it is not JSON (nor, where
// multipart, multipart/form-data). No Content-Type at all is taken as JSON.
func contentType(multipart, xml bool) func(*gin.Context) error {
	return func(c *gin.Context) error {
		ct := c.GetHeader("Content-Type")
		if ct == "" {
			return nil
		}
		mt, _, err := mime.ParseMediaType(ct)
		if err == nil && (mt == "application/json" || strings.HasSuffix(mt, "+json") || multipart && mt == "multipart/form-data" || xml && isXML(mt)) {
			return nil
		}
		want := "JSON (Content-Type: application/json)"
		if multipart {
			want += " or, with the attachments' files, multipart/form-data"
		}
		if xml {
			want += "; or a case system's export, application/xml"
		}
		return &httpError{&Problem{Type: problemBase + "unsupported-media-type", Title: "Unsupported media type", Status: http.StatusUnsupportedMediaType,
			Detail: fmt.Sprintf("the body must be %s, not %q; with curl: -H 'Content-Type: application/json'", want, ct),
			da:     fmt.Sprintf("indholdet skal være %s, ikke %q; med curl: -H 'Content-Type: application/json'", want, ct),
			class:  "media_type"}}
	}
}
