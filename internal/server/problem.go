package server

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"protokol/internal/data"
	"protokol/internal/esdh"
	"protokol/internal/render"
)

// Problem is an RFC 9457 problem document.
type Problem struct {
	Type     string            `json:"type"`
	Title    string            `json:"title"`
	Status   int               `json:"status"`
	Detail   string            `json:"detail,omitempty"`
	Instance string            `json:"instance,omitempty"`
	Errors   []data.FieldError `json:"errors,omitempty"`
	More     int               `json:"more,omitempty"` // problems found beyond those listed in errors

	ve         *data.ValidationError // the problems, put in the client's language when written
	da         string                // the detail in Danish, for a client that reads Danish ("" : the English one)
	xe         *esdh.Error           // an export's problems, put in the client's language when written
	retryAfter int                   // seconds, for 503
	class      string                // for metrics and logs
	logErr     error                 // what is logged, never sent
}

// problemBase prefixes problem types: URNs name them without claiming a
// web address nobody serves.
const problemBase = "urn:protokol:problem:"

// httpError is an error that already knows its answer.
type httpError struct{ p *Problem }

func (e *httpError) Error() string { return e.p.Title + ": " + e.p.Detail }

// badRequests answers 400 for bad query parameters or upload parts,
// naming each (at most data.MaxProblems); nil for none.
func badRequests(ps *data.Problems) error {
	var ve *data.ValidationError
	if !errors.As(ps.Err(), &ve) {
		return nil
	}
	detail := summary(ve)
	return &httpError{&Problem{Type: problemBase + "bad-request", Title: "Bad request", Status: http.StatusBadRequest,
		Detail: detail, Errors: ve.Errors, More: ve.More, ve: ve, class: "bad_request"}}
}

// badRequest is one problem of a request (not its document).
func badRequest(field, message string) error {
	var ps data.Problems
	ps.Add(field, "%s", message)
	return badRequests(&ps)
}

// bodyTimeout: the client did not send its body within the read timeout.
func bodyTimeout(d time.Duration) error {
	return &httpError{&Problem{Type: problemBase + "body-timeout", Title: "Request body too slow", Status: http.StatusRequestTimeout,
		Detail: fmt.Sprintf("the body did not arrive within %s", d), da: fmt.Sprintf("forespørgslens indhold kom ikke inden for %s", d), class: "body_timeout"}}
}

func overloaded(retry int, detail, da string) error {
	return &httpError{&Problem{Type: problemBase + "overloaded", Title: "Service overloaded", Status: http.StatusServiceUnavailable,
		Detail: detail, da: da, retryAfter: retry, class: "overloaded"}}
}

// problemFor maps any error a handler returns to the answer the client
// gets. It is the only place that chooses a status code.
func problemFor(err error) *Problem {
	var he *httpError
	var ve *data.ValidationError
	var mbe *http.MaxBytesError
	var ee *render.TemplateError
	var tl *tooLarge
	var dl *render.TooLargeError
	var oe *render.OptionError
	var se *render.SealError
	var xe *esdh.Error
	switch {
	case errors.As(err, &he):
		return he.p
	case errors.As(err, &oe):
		return badRequest(oe.Option, oe.Message).(*httpError).p
	case errors.Is(err, context.Canceled):
		// the client went away; nobody reads this answer, and it is no
		// fault of the service's (nginx's 499)
		return &Problem{Type: problemBase + "canceled", Title: "Request canceled", Status: 499, class: "canceled"}
	case errors.As(err, &tl):
		return &Problem{Type: problemBase + "too-large", Title: "Document too large", Status: http.StatusRequestEntityTooLarge,
			Detail: tl.Error(), da: tl.danish(), class: "too_large"}
	case errors.As(err, &dl):
		return &Problem{Type: problemBase + "too-large", Title: "Document too large", Status: http.StatusRequestEntityTooLarge,
			Detail: dl.Error(), da: dl.Danish, class: "too_large"}
	case errors.As(err, &mbe):
		return &Problem{Type: problemBase + "too-large", Title: "Request body too large", Status: http.StatusRequestEntityTooLarge,
			Detail: fmt.Sprintf("the body is larger than the limit of %d bytes", mbe.Limit),
			da:     fmt.Sprintf("forespørgslen er større end grænsen på %d bytes", mbe.Limit), class: "too_large"}
	case errors.As(err, &ve) && ve.Syntax:
		return &Problem{Type: problemBase + "malformed", Title: "Malformed document", Status: http.StatusBadRequest,
			Detail: summary(ve), Errors: ve.Errors, More: ve.More, ve: ve, class: "malformed"}
	case errors.As(err, &ve):
		return &Problem{Type: problemBase + "invalid", Title: "Invalid document", Status: http.StatusUnprocessableEntity,
			Detail: summary(ve), Errors: ve.Errors, More: ve.More, ve: ve, class: "invalid"}
	case render.IsNotFound(err):
		return &Problem{Type: problemBase + "unknown-template", Title: "Unknown template", Status: http.StatusNotFound,
			Detail: err.Error(), class: "unknown_template"}
	case errors.Is(err, context.DeadlineExceeded):
		return &Problem{Type: problemBase + "timeout", Title: "Render timed out", Status: http.StatusServiceUnavailable,
			Detail: "the document took longer to render than the service allows", da: "dokumentet tog længere tid at danne, end tjenesten tillader",
			retryAfter: 5, class: "timeout", logErr: err}
	case errors.As(err, &xe):
		return &Problem{Type: problemBase + "export-unreadable", Title: "Export cannot be read", Status: http.StatusUnprocessableEntity,
			Detail: fmt.Sprintf("the %s export cannot be read as a meeting; see errors", cmp.Or(string(xe.Format), "case system's")), Errors: exportErrors(xe, "en"),
			da: fmt.Sprintf("eksporten fra %s kan ikke læses som et møde; se errors", cmp.Or(string(xe.Format), "sagssystemet")), xe: xe, class: "invalid"}
	case errors.As(err, &se):
		// a timestamp authority that did not answer: worth a retry
		return &Problem{Type: problemBase + "seal-failed", Title: "Seal failed", Status: http.StatusServiceUnavailable,
			Detail: "the document could not be sealed: " + se.Err.Error(), da: "dokumentet kunne ikke forsegles: " + se.Err.Error(), retryAfter: 5, class: "seal", logErr: err}
	case errors.As(err, &ee):
		// the template, not the request, is at fault: say which and where
		return &Problem{Type: problemBase + "template-failed", Title: "Template failed", Status: http.StatusInternalServerError,
			Detail: ee.Error(), class: "template", logErr: err}
	}
	return internalProblem(err)
}

func internalProblem(err error) *Problem {
	return &Problem{Type: problemBase + "internal", Title: "Internal error", Status: http.StatusInternalServerError,
		Detail: "the service failed to render the document; the request ID identifies it in the logs",
		da:     "tjenesten kunne ikke danne dokumentet; forespørgslens ID finder fejlen i loggen", class: "internal", logErr: err}
}

func summary(ve *data.ValidationError) string { return summaryIn(ve, "en") }

// summaryIn says how many problems there are, in lang.
func summaryIn(ve *data.ValidationError, lang string) string {
	da := lang == "da"
	switch {
	case ve.More > 0 && da:
		return fmt.Sprintf("%d problemer; errors nævner de første %d (%s)", len(ve.Errors)+ve.More, len(ve.Errors), ve.MoreText())
	case ve.More > 0:
		return fmt.Sprintf("%d problems; errors lists the first %d (%s)", len(ve.Errors)+ve.More, len(ve.Errors), ve.MoreText())
	case len(ve.Errors) == 1 && da && ve.Errors[0].Location != "":
		return ve.Errors[0].Location + ": " + ve.Errors[0].Message
	case len(ve.Errors) == 1:
		return ve.Errors[0].Error()
	case da:
		return fmt.Sprintf("%d problemer; se errors", len(ve.Errors))
	}
	return fmt.Sprintf("%d problems; see errors", len(ve.Errors))
}

// messageLang is the language a client reads problems in: the lang
// parameter when it is one we speak, else the first of Danish and
// English its Accept-Language names, else English.
func messageLang(c *gin.Context) string {
	if l := c.Query("lang"); l == "da" || l == "en" {
		return l
	}
	for _, part := range strings.Split(c.GetHeader("Accept-Language"), ",") {
		tag, _, _ := strings.Cut(strings.TrimSpace(part), ";")
		primary, _, _ := strings.Cut(strings.ToLower(tag), "-")
		if primary == "da" || primary == "en" {
			return primary
		}
	}
	return "en"
}

// writeProblem sends a problem as application/problem+json.
func writeProblem(c *gin.Context, p *Problem) {
	p.Instance = c.Request.URL.Path
	if p.retryAfter > 0 {
		c.Header("Retry-After", strconv.Itoa(p.retryAfter))
	}
	c.Set(ctxClass, p.class)
	if p.logErr != nil {
		c.Set(ctxLogErr, p.logErr.Error())
	}
	lang := messageLang(c)
	if p.ve != nil {
		// in the client's language, each with its location in words
		ve := p.ve.In(lang)
		p.Errors, p.Detail = ve.Errors, summaryIn(ve, lang)
	}
	if p.xe != nil {
		p.Errors = exportErrors(p.xe, lang)
	}
	if lang == "da" {
		p.Title = cmp.Or(danishTitles[p.Title], p.Title)
		p.Detail = cmp.Or(p.da, p.Detail)
	}
	c.Header("Content-Type", "application/problem+json")
	c.Header("Cache-Control", "no-store")
	status := p.Status
	c.JSON(status, p)
}

// danishTitles are the problems' titles for a client that reads Danish
// (a test holds every title the service gives to one here).
var danishTitles = map[string]string{
	"Bad request":            "Forkert forespørgsel",
	"Request body too slow":  "Forespørgslen kom for langsomt",
	"Service overloaded":     "Tjenesten er optaget",
	"Request canceled":       "Forespørgslen blev afbrudt",
	"Document too large":     "Dokumentet er for stort",
	"Request body too large": "Forespørgslen er for stor",
	"Malformed document":     "Dokumentet kan ikke læses",
	"Invalid document":       "Dokumentet er ikke gyldigt",
	"Unknown template":       "Ukendt skabelonsæt",
	"Render timed out":       "Dannelsen tog for lang tid",
	"Export cannot be read":  "Eksporten kan ikke læses",
	"Seal failed":            "Forseglingen mislykkedes",
	"Template failed":        "Skabelonen fejlede",
	"Internal error":         "Intern fejl",
	"Unauthorized":           "Adgang nægtet",
	"Unsupported media type": "Indholdstypen understøttes ikke",
	"Not found":              "Ikke fundet",
	"Method not allowed":     "Metoden er ikke tilladt",
}

// exportErrors are an export's problems as a problem's errors, for a
// reader of lang: each with its XML path and line.
func exportErrors(xe *esdh.Error, lang string) []data.FieldError {
	errs := make([]data.FieldError, 0, len(xe.Problems))
	line := map[string]string{"da": "linje %d"}[lang]
	for _, p := range esdh.ProblemsIn(xe.Problems, lang) {
		errs = append(errs, data.FieldError{Field: p.Path, Message: p.Message, Location: fmt.Sprintf(cmp.Or(line, "line %d"), p.Line)})
	}
	return errs
}
