//go:build race

package main

// raceEnabled: the race detector multiplies memory use several times, so
// memory tests skip under it.
const raceEnabled = true
