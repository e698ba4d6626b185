// Package benchtest holds what the benchmarks of every package share: the
// latency percentiles they report, so performance targets ("p95 under
// 50 ms") are read off the benchmark output, never asserted in a test.
package benchtest

import (
	"math"
	"slices"
	"testing"
	"time"
)

// Measure runs fn once per benchmark iteration, fails the benchmark on the
// first error, and reports the median and the 95th percentile of the
// iterations' durations as the metrics p50-ms and p95-ms.
func Measure(b *testing.B, fn func() error) {
	b.Helper()
	var took []time.Duration
	for b.Loop() {
		start := time.Now()
		if err := fn(); err != nil {
			b.Fatal(err)
		}
		took = append(took, time.Since(start))
	}
	b.ReportMetric(Percentile(took, 0.50), "p50-ms")
	b.ReportMetric(Percentile(took, 0.95), "p95-ms")
}

// Percentile returns the p-th percentile (0 < p <= 1, nearest rank) of
// durations, in milliseconds; 0 for none. It sorts durations in place.
func Percentile(durations []time.Duration, p float64) float64 {
	if len(durations) == 0 {
		return 0
	}
	slices.Sort(durations)
	i := int(math.Ceil(p*float64(len(durations)))) - 1
	return float64(durations[max(0, min(i, len(durations)-1))]) / float64(time.Millisecond)
}
