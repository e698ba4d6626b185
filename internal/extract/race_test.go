//go:build race

package extract

// slowdown scales the time limits in tests: the race detector makes this
// code several times slower.
const slowdown = 10
