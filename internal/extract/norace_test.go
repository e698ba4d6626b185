//go:build !race

package extract

// slowdown scales the time limits in tests; see race_test.go.
const slowdown = 1
