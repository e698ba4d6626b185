package report

import (
	"encoding/xml"
	"strings"
	"testing"
)

func tcP(f float64) *float64 { return &f }

func TestTrendChartSVG(t *testing.T) {
	c := TrendChart{
		Title: "K01 Petiții soluționate în termen: evoluție",
		Red:   tcP(80),
		Points: []TrendPoint{
			{Label: "ian. 2026", Value: tcP(92), Target: tcP(95), Status: "amber", Title: "ianuarie 2026: 92 %, galben"},
			{Label: "feb. 2026", Target: tcP(95), Status: "none"},
			{Label: "mar. 2026", Value: tcP(75.5), Target: tcP(95), Status: "red", Title: "martie 2026: 75,5 %, roșu & <alarmă>"},
			{Label: "apr. 2026", Value: tcP(97), Target: tcP(95), Status: "green", Title: "aprilie 2026: 97 %, verde"},
		},
		ValueLabel: "Valoare", TargetLabel: "Țintă", RedLabel: "Prag roșu", EmptyLabel: "Fără valori",
		Format: func(f float64) string {
			return strings.ReplaceAll(strings.TrimSuffix(strings.TrimRight(strings.TrimRight(tcF(f), "0"), "."), "."), ".", ",")
		},
	}
	svg := TrendChartSVG(c)
	// Well-formed XML, so it goes into a page, a PDF and a print alike.
	if err := xml.Unmarshal([]byte(svg), new(struct{})); err != nil {
		t.Fatalf("not well-formed: %v\n%s", err, svg)
	}
	for _, want := range []string{
		`role="img"`, `aria-label="K01 Petiții soluționate în termen: evoluție"`,
		`<title>martie 2026: 75,5 %, roșu &amp; &lt;alarmă&gt;</title>`,
		`class="tc-point status-red"`, `class="tc-point status-green"`, `class="tc-point status-amber"`,
		`stroke-dasharray="6 4"`, `>ian. 2026<`, `>apr. 2026<`, `>Prag roșu<`, `>Țintă<`,
	} {
		if !strings.Contains(svg, want) {
			t.Errorf("chart lacks %q", want)
		}
	}
	// Three values, one missing period: the line breaks there, so one
	// polyline joins March and April only.
	if n := strings.Count(svg, `<circle class="tc-point`); n != 3 {
		t.Errorf("points = %d, want 3", n)
	}
	if n := strings.Count(svg, `class="tc-line"`); n != 1 {
		t.Errorf("line segments = %d, want 1 (broken at February)", n)
	}
	// The red threshold sits below the target: a larger y.
	if n := strings.Count(svg, "<rect"); n != 0 {
		t.Errorf("a non-band KPI has %d band rectangles", n)
	}
}

func TestTrendChartBandAndEmpty(t *testing.T) {
	band := TrendChartSVG(TrendChart{Title: "Band", Red: tcP(2), RedHigh: tcP(9), Points: []TrendPoint{
		{Label: "2025", Value: tcP(5), Target: tcP(4), TargetHigh: tcP(6), Status: "green", Title: "2025: 5"},
		{Label: "2026", Value: tcP(8), Target: tcP(4), TargetHigh: tcP(6), Status: "amber", Title: "2026: 8"},
	}})
	if n := strings.Count(band, "<rect"); n != 2 {
		t.Errorf("band rectangles = %d, want one per period", n)
	}
	if n := strings.Count(band, `class="tc-red"`); n != 2 {
		t.Errorf("red lines = %d, want 2 (below and above the band)", n)
	}
	empty := TrendChartSVG(TrendChart{Title: "Nimic", EmptyLabel: "Nu există încă valori", Points: []TrendPoint{{Label: "2026"}}})
	if !strings.Contains(empty, "Nu există încă valori") || strings.Contains(empty, "<circle") {
		t.Errorf("empty chart = %s", empty)
	}
	if err := xml.Unmarshal([]byte(empty), new(struct{})); err != nil {
		t.Fatal(err)
	}
}

func TestTrendTicks(t *testing.T) {
	for _, tc := range []struct {
		lo, hi      float64
		first, step float64
	}{
		{0, 100, 0, 20},
		{72.4, 98.1, 75, 5},
		{0.5, 3.2, 0.5, 0.5},
	} {
		ticks := tcTicks(tc.lo, tc.hi)
		if len(ticks) < 3 || ticks[0] != tc.first || ticks[1]-ticks[0] != tc.step {
			t.Errorf("ticks(%v, %v) = %v, want from %v by %v", tc.lo, tc.hi, ticks, tc.first, tc.step)
		}
		for _, x := range ticks {
			if x < tc.lo || x > tc.hi {
				t.Errorf("tick %v outside [%v, %v]", x, tc.lo, tc.hi)
			}
		}
	}
}
