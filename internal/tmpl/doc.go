// Package tmpl loads template sets and executes them safely.
//
// A set is a directory named after the set holding one template per
// document kind (agenda.md.tmpl, minutes.md.tmpl, budget.md.tmpl) and
// optional partials (_*.tmpl) shared by them. The embedded "default" and
// "compact" sets come with the binary; a directory of sets on disk adds to
// them and overrides those of the same name.
//
// Templates are text/template with a curated function set: the document
// helpers of funcs.go and an allowlist of sprig functions. Nothing reachable
// reads the environment, files, the network, the clock or randomness, and
// every execution is bounded: output size, run time, loop iterations,
// template call depth and the size of any helper's result (see Limits).
package tmpl
