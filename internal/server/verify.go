package server

import (
	"context"
	"mime"
	"net/http"

	"github.com/gin-gonic/gin"

	"protokol/internal/seal"
)

// verify answers what a PDF's seals prove (seal.Report): whether it is
// sealed, by whom, when, whether every byte after the seal is covered and
// whether the certificate chains to the trust anchors (--trust) and was
// not revoked (--crl). The body
// is the PDF, read under the body limit and the memory budget; checking
// it hashes the file once per signature, in a render slot, with the
// render deadline.
func (s *Server) verify(c *gin.Context) error {
	if ct := c.GetHeader("Content-Type"); ct != "" {
		if mt, _, err := mime.ParseMediaType(ct); err != nil || mt != "application/pdf" && mt != "application/octet-stream" {
			return &httpError{&Problem{Type: problemBase + "unsupported-media-type", Title: "Unsupported media type", Status: http.StatusUnsupportedMediaType,
				Detail: "the body is the PDF to verify (Content-Type: application/pdf)",
				da:     "indholdet er den PDF, der skal tjekkes (Content-Type: application/pdf)", class: "media_type"}}
		}
	}
	body, held, err := s.readBody(c)
	defer s.lim.free(held)
	if err != nil {
		return err
	}
	need := int64(64 << 10) // the report; the body is held already
	if err := s.lim.acquire(c.Request.Context(), need); err != nil {
		return err
	}
	defer s.lim.release(need)
	ctx, cancel := context.WithTimeout(c.Request.Context(), s.cfg.RenderTimeout)
	defer cancel()
	rep, err := seal.Verify(ctx, body, s.trust.get())
	if err != nil {
		return err
	}
	outcome := "valid"
	if len(rep.Seals) == 0 {
		outcome = "unsealed"
	}
	for _, sl := range rep.Seals {
		if !sl.Valid() {
			outcome = "invalid"
		}
	}
	s.m.verifies.WithLabelValues(outcome).Inc()
	c.JSON(http.StatusOK, rep.In(messageLang(c)))
	return nil
}
