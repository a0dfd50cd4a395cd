package server

import (
	"embed"
	"net/http"

	"github.com/gin-gonic/gin"
)

// The page for people (GET /): plain HTML, CSS and JavaScript embedded in
// the binary, talking only to this server's API.
//
//go:embed web
var webFS embed.FS

// pagePolicy lets the page load only itself; blob: is for showing the PDF
// it was sent (an object URL in the frame).
const pagePolicy = "default-src 'self'; frame-src 'self' blob:; object-src 'self' blob:; img-src 'self' data:; " +
	"base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

// webFile serves one file of the page.
func webFile(name, contentType string) gin.HandlerFunc {
	body, err := webFS.ReadFile("web/" + name)
	if err != nil {
		panic("server: page file missing: " + err.Error()) // the embed above holds it
	}
	return func(c *gin.Context) {
		h := c.Writer.Header()
		h.Set("Content-Security-Policy", pagePolicy)
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("X-Frame-Options", "DENY")
		// small files: a browser asks again each time, so an upgraded
		// server never runs an old script
		h.Set("Cache-Control", "no-cache")
		c.Data(http.StatusOK, contentType, body)
	}
}
