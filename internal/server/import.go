package server

import (
	"context"
	"errors"
	"mime"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"
	"github.com/go-json-experiment/json"

	"protokol/internal/data"
	"protokol/internal/esdh"
)

// A case system's export comes in as XML (Content-Type application/xml,
// or from=FORMAT on a JSON-less body): it is read into our meeting
// document (package esdh) before anything else, under the body limit and
// the memory budget, within the render deadline; what it lacks is named
// by the validation that follows, what could not be taken by the
// X-Import-Problems header (a count; POST /v1/import lists them).

func isXML(mt string) bool {
	return mt == "application/xml" || mt == "text/xml"
}

// importCost is the memory reading an export of n bytes takes at its
// peak: its tree, the texts as HTML and as Markdown, the JSON (a 501-item
// SBSYS export allocates 32 times its bytes in all, BenchmarkImport500).
func importCost(n int) int64 { return 32*int64(n) + 4<<20 }

// maxImportElements bounds an export's elements over HTTP: a 1,000-item
// meeting with its texts and attachments is some tens of thousands.
const maxImportElements = 200_000

// fromXML: the body (or the multipart meeting part) is an export.
func fromXML(c *gin.Context, partType string) bool {
	if c.Query("from") != "" {
		return true
	}
	ct := partType
	if ct == "" {
		ct = c.GetHeader("Content-Type")
	}
	mt, _, _ := mime.ParseMediaType(ct)
	return isXML(mt)
}

// readExport reads an export's body into our JSON.
func (s *Server) readExport(c *gin.Context, body []byte) (*esdh.Result, error) {
	format := esdh.Format(c.Query("from"))
	if format == "auto" {
		format = ""
	}
	need := importCost(len(body))
	if need > s.lim.budget {
		return nil, &tooLarge{cost: need, budget: s.lim.budget}
	}
	if err := s.lim.reserve(c.Request.Context(), need); err != nil {
		return nil, err
	}
	defer s.lim.free(need)
	ctx, cancel := context.WithTimeout(c.Request.Context(), s.cfg.RenderTimeout)
	defer cancel()
	res, err := esdh.Import(ctx, format, body, esdh.Options{Municipality: c.Query("municipality"), Location: c.Query("location"),
		Limits: esdh.Limits{MaxBytes: int(s.cfg.BodyLimit), MaxElements: maxImportElements}})
	if err != nil {
		return nil, err
	}
	if len(res.Problems) > 0 {
		c.Header("X-Import-Problems", strconv.Itoa(len(res.Problems)))
	}
	return res, nil
}

// importExport answers POST /v1/import: the export as our meeting
// document, what kind of document it is, and what was left out.
func (s *Server) importExport(c *gin.Context) error {
	if _, err := options(c, importQuery); err != nil {
		return err
	}
	if ct := c.GetHeader("Content-Type"); ct != "" && !fromXML(c, ct) {
		return &httpError{&Problem{Type: problemBase + "unsupported-media-type", Title: "Unsupported media type", Status: http.StatusUnsupportedMediaType,
			Detail: "the body is a case system's export (Content-Type: application/xml)",
			da:     "indholdet er en eksport fra et sagssystem (Content-Type: application/xml)", class: "media_type"}}
	}
	body, held, err := s.readBody(c)
	defer s.lim.free(held)
	if err != nil {
		return err
	}
	res, err := s.readExport(c, body)
	if err != nil {
		return err
	}
	doc := data.DocAgenda
	if res.Minutes {
		doc = data.DocMinutes
	}
	js, err := res.JSON()
	if err != nil {
		return err
	}
	// the meeting as it will be checked: its problems, named as any
	// document's are, so the page shows them where the fields are
	var problems []data.FieldError
	var ve *data.ValidationError
	if _, err := data.DecodeMeeting(js); errors.As(err, &ve) {
		problems = ve.In(messageLang(c)).Errors
	}
	out, err := json.Marshal(importAnswer{Format: res.Format, Document: doc, Meeting: res.Meeting, LeftOut: esdh.ProblemsIn(res.Problems, messageLang(c)), Problems: orEmptyFE(problems)})
	if err != nil {
		return err
	}
	c.Data(http.StatusOK, "application/json; charset=utf-8", out)
	return nil
}

// importAnswer is what POST /v1/import answers.
type importAnswer struct {
	Format   esdh.Format       `json:"format"`
	Document data.Document     `json:"document"` // agenda or minutes, as the export says
	Meeting  *data.Meeting     `json:"meeting"`
	LeftOut  []esdh.Problem    `json:"left_out"` // what the export has that could not be taken
	Problems []data.FieldError `json:"problems"` // what the meeting lacks before it renders (municipality, location, …)
}

func orEmptyFE(p []data.FieldError) []data.FieldError {
	if p == nil {
		return []data.FieldError{}
	}
	return p
}
