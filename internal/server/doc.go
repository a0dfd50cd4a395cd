// Package server is Protokol's HTTP layer and the only package that imports
// Gin: routes, request limits, the render queue, error responses as
// problem+json (RFC 9457), logs, metrics, readiness and graceful shutdown.
//
// Handlers return errors; problem.go alone turns them into responses, and
// a document is written only after it was rendered completely.
package server
