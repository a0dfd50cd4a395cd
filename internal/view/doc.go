// Package view turns validated documents into what templates see: typed
// structs with every date, number and total already worked out in the
// document's language, Markdown fields ready to print, and nothing a
// document must not show (closed content in a public version, decisions in
// an agenda) present at all.
package view
