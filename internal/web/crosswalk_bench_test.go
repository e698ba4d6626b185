package web

import (
	"testing"

	"cadran/internal/benchtest"
)

// BenchmarkCrosswalkReadiness measures the crosswalk's pages on the seeded
// demo institution (SQLite, the whole handler chain) read by the quality
// manager: the readiness of each framework (every item's evidence, direct
// and through the crosswalk, read from the compliance matrix, the latest
// CAF cycle and the latest self-evaluation), one item's page, the mapping,
// and the ISO clause page with its crosswalk panel.
//
//	go test ./internal/web/ -run '^$' -bench BenchmarkCrosswalkReadiness -benchtime 200x
func BenchmarkCrosswalkReadiness(b *testing.B) {
	h := demoBenchHandler(b)
	for _, c := range []struct{ name, path, marker string }{
		{"iso", "/crosswalk/iso", `id="item-7.5"`},
		{"caf", "/crosswalk/caf", `id="item-4.4"`},
		{"osgg", "/crosswalk/osgg", `id="item-13"`},
		{"item", "/crosswalk/osgg/13", "Nomenclatorul arhivistic"},
		{"mapping", "/crosswalk", `id="std-13"`},
		{"clause", "/compliance/clauses/7.5", `id="crosswalk"`},
	} {
		b.Run(c.name, func(b *testing.B) { benchtest.Measure(b, demoBenchGet(b, h, "calitate", c.path, c.marker)) })
	}
}
