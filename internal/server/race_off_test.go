//go:build !race

package server

// raceEnabled: the race detector multiplies memory use several times, so
// tests of the process's memory skip under it.
const raceEnabled = false
