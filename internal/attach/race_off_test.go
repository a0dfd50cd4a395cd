//go:build !race

package attach

// raceEnabled: the race detector makes decoding several times slower, so
// tests that decode hundreds of MiB give it more time.
const raceEnabled = false
