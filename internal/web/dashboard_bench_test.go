package web

import (
	"testing"

	"cadran/internal/benchtest"
)

// The role dashboards on the seeded demo institution (SQLite, the whole
// handler chain: session, navigation, every widget's queries, the SVG
// charts and the template), each signed in as the demo's user of the role.
// The demo is seeded once for all the benchmarks (demo_bench_test.go).
//
//	go test ./internal/web/ -run '^$' -bench 'BenchmarkDashboard' -benchtime 200x

func BenchmarkDashboardTop(b *testing.B) {
	h := demoBenchHandler(b)
	benchtest.Measure(b, demoBenchGet(b, h, "primar", "/", `id="dash-scorecard"`))
}

func BenchmarkDashboardQuality(b *testing.B) {
	h := demoBenchHandler(b)
	benchtest.Measure(b, demoBenchGet(b, h, "calitate", "/", `id="dash-due"`))
}

func BenchmarkDashboardUnit(b *testing.B) {
	h := demoBenchHandler(b)
	benchtest.Measure(b, demoBenchGet(b, h, "economic", "/", `id="dash-kpis"`))
}
