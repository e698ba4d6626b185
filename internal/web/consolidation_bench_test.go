package web

import (
	"testing"

	"cadran/internal/benchtest"
)

// BenchmarkConsolidated measures GET /consolidated on the seeded demo
// municipality (SQLite, the whole handler chain: session, navigation, the
// unit tree, every section's grouped queries, the scorecard's scoring of
// every KPI, both SVG charts and the template), signed in as the quality
// manager, who reads every section. The -export variant is the XLSX of the
// same table.
//
//	go test ./internal/web/ -run '^$' -bench 'BenchmarkConsolidated' -benchtime 200x
func BenchmarkConsolidated(b *testing.B) {
	benchtest.Measure(b, demoBenchGet(b, demoBenchHandler(b), "calitate", "/consolidated", `id="consolidated"`))
}

func BenchmarkConsolidatedExport(b *testing.B) {
	benchtest.Measure(b, demoBenchGet(b, demoBenchHandler(b), "calitate", "/consolidated/export.xlsx", ""))
}
