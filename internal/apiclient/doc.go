// Package apiclient is a Go client of the service, generated from its own
// OpenAPI document (internal/server/openapi.json) by oapi-codegen, pinned
// as a tool in go.mod. It is here to prove the document makes a usable
// client: its tests regenerate it (it must be what the document gives)
// and drive the service through it. Other services may use it too.
package apiclient

//go:generate go tool oapi-codegen -config oapi.yaml ../server/openapi.json
