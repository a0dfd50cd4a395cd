// Package templates embeds the template sets that come with Protokol: each
// directory here is a set (see internal/tmpl for the layout and README.md,
// "Writing a template", for what a template sees).
package templates

import "embed"

// FS holds the embedded sets, one directory each.
//
//go:embed all:default all:compact
var FS embed.FS
