package report

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"cadran/internal/benchtest"
)

func fp(f float64) *float64 { return &f }

func TestRadarSVG(t *testing.T) {
	r := Radar{
		Title: "Rezultate pe criterii <script>alert(1)</script>",
		Desc:  "Scorurile ciclului 2026 & ale ciclului 2024",
		Max:   100,
		Axes: []RadarAxis{
			{Label: "1", Title: "1 Leadership", Href: "/caf/cycles/1/results#c1"},
			{Label: "2", Title: "2 Strategie și planificare"},
			{Label: "3", Title: "3 Oameni"},
			{Label: "4", Title: "4 Parteneriate și resurse"},
			{Label: "<b>5</b>", Title: "5 Procese \"cheie\""},
		},
		Series: []RadarSeries{
			{Name: "Ciclul 2026", Class: "current", Values: []*float64{fp(62.5), fp(40), nil, fp(55), fp(70)}},
			{Name: "Ciclul 2024", Class: "previous", Values: []*float64{fp(50), nil, fp(30), nil, nil}},
		},
	}
	svg := RadarSVG(r)
	wellFormed(t, svg)
	for _, want := range []string{
		`<svg xmlns="http://www.w3.org/2000/svg"`, `viewBox="0 0 520 `, `role="img"`, `aria-labelledby="radar-`,
		"&lt;script&gt;alert(1)&lt;/script&gt;", "Scorurile ciclului 2026 &amp; ale ciclului 2024",
		`<a href="/caf/cycles/1/results#c1">`, "<title>1 Leadership</title>", "<title>2 Strategie și planificare</title>",
		"&lt;b&gt;5&lt;/b&gt;", "5 Procese &#34;cheie&#34;",
		`class="radar-current"`, `class="radar-previous"`, `stroke-dasharray="6 4"`, `fill-opacity="0.15"`,
		"<title>Ciclul 2026 – 1 Leadership: 62.5</title>", "<title>Ciclul 2024 – 3 Oameni: 30</title>",
	} {
		if !strings.Contains(svg, want) {
			t.Errorf("the chart lacks %q", want)
		}
	}
	for _, bad := range []string{"<script>", "<b>5"} {
		if strings.Contains(svg, bad) {
			t.Errorf("%q is not escaped", bad)
		}
	}
	// aria-labelledby names the <title> and <desc> that exist.
	m := regexp.MustCompile(`aria-labelledby="([^" ]+) ([^"]+)"`).FindStringSubmatch(svg)
	if m == nil || !strings.Contains(svg, `<title id="`+m[1]+`">`) || !strings.Contains(svg, `<desc id="`+m[2]+`">`) {
		t.Errorf("aria-labelledby does not point at the title and desc: %v", m)
	}
	if n := strings.Count(svg, `class="radar-axis"`); n != 5 {
		t.Errorf("%d spokes, want 5", n)
	}
	if n := strings.Count(svg, `<a href=`); n != 1 {
		t.Errorf("%d links, want 1 (only the first axis has one)", n)
	}
	if n := strings.Count(svg, `class="radar-legend"`); n != 2 {
		t.Errorf("%d legend entries, want 2", n)
	}
	if !strings.Contains(svg, ">Ciclul 2026</text>") || !strings.Contains(svg, ">Ciclul 2024</text>") {
		t.Error("the legend does not name the series")
	}
	// The current cycle has 4 values: one closed area through them, 4
	// points. The previous one has 2: points alone, no area.
	if n := strings.Count(svg, `class="radar-area"`); n != 1 {
		t.Errorf("%d areas, want 1", n)
	}
	if n := strings.Count(svg, `class="radar-point"`); n != 6 {
		t.Errorf("%d points, want 6 (nil values skipped)", n)
	}
	area := regexp.MustCompile(`class="radar-area" d="([^"]+)"`).FindStringSubmatch(svg)
	if area == nil || strings.Count(area[1], "M") != 1 || strings.Count(area[1], "L") != 3 || !strings.HasSuffix(area[1], "Z") {
		t.Errorf("the area is not one closed path through the 4 values: %v", area)
	}
	if strings.Contains(svg, "Ciclul 2026 – 3 Oameni") {
		t.Error("a nil value is drawn")
	}
	// The grid: 5 rings and their values, 20 % to 100 % of Max.
	if n := strings.Count(svg, `<polygon `); n != 5 {
		t.Errorf("%d grid rings, want 5", n)
	}
	for _, v := range []string{"20", "40", "60", "80", "100"} {
		if !strings.Contains(svg, `fill="#616161">`+v+`</text>`) {
			t.Errorf("the grid lacks the value label %s", v)
		}
	}
	if svg != RadarSVG(r) {
		t.Error("the output is not deterministic")
	}
}

// TestRadarValuePosition checks the geometry: the first spoke points up,
// a value of Max sits on the outer ring, half of Max halfway.
func TestRadarValuePosition(t *testing.T) {
	r := Radar{Max: 5, Axes: []RadarAxis{{Label: "a"}, {Label: "b"}, {Label: "c"}, {Label: "d"}},
		Series: []RadarSeries{{Name: "S", Class: "current", Values: []*float64{fp(5), fp(2.5), fp(9), fp(-1)}}}}
	svg := RadarSVG(r)
	wellFormed(t, svg)
	for _, want := range []string{
		fmt.Sprintf(`cx="%d" cy="%d"`, radarCX, radarCY-radarR),   // 5 of 5, up
		fmt.Sprintf(`cx="%d" cy="%d"`, radarCX+radarR/2, radarCY), // 2.5 of 5, right
		fmt.Sprintf(`cx="%d" cy="%d"`, radarCX, radarCY+radarR),   // 9 clamped to 5, down
		fmt.Sprintf(`cx="%d" cy="%d" r="3.5"`, radarCX, radarCY),  // -1 clamped to 0, centre
		"<title>S – a: 5</title>", "<title>S – b: 2.5</title>", ">1</text>", ">5</text>",
	} {
		if !strings.Contains(svg, want) {
			t.Errorf("the chart lacks %q", want)
		}
	}
}

func TestRadarSVG28Axes(t *testing.T) {
	var axes []RadarAxis
	var cur, prev []*float64
	for i := range 28 {
		axes = append(axes, RadarAxis{Label: fmt.Sprintf("%d.%d", i/4+1, i%4+1), Title: fmt.Sprintf("Subcriteriul %d", i+1), Href: fmt.Sprintf("/caf/x/%d", i)})
		cur = append(cur, fp(float64(i*3)))
		if i%2 == 0 {
			prev = append(prev, fp(float64(100-i)))
		} else {
			prev = append(prev, nil)
		}
	}
	r := Radar{Title: "Subcriterii", Max: 100, Axes: axes, Format: func(f float64) string { return strings.Replace(fmt.Sprintf("%.1f", f), ".", ",", 1) },
		Series: []RadarSeries{{Name: "Acum", Class: "current", Values: cur}, {Name: "Înainte", Class: "previous", Values: prev[:20]}}}
	svg := RadarSVG(r)
	wellFormed(t, svg)
	if n := strings.Count(svg, `class="radar-axis"`); n != 28 {
		t.Errorf("%d spokes, want 28", n)
	}
	if n := strings.Count(svg, `<a href=`); n != 28 {
		t.Errorf("%d links, want 28", n)
	}
	// 28 current values, 10 previous ones (20 given, every other nil).
	if n := strings.Count(svg, `class="radar-point"`); n != 38 {
		t.Errorf("%d points, want 38", n)
	}
	if n := strings.Count(svg, `class="radar-area"`); n != 2 {
		t.Errorf("%d areas, want 2", n)
	}
	for _, want := range []string{">20,0</text>", ">100,0</text>", "<title>Acum – Subcriteriul 2: 3,0</title>", "<title>Înainte – Subcriteriul 19: 82,0</title>"} {
		if !strings.Contains(svg, want) {
			t.Errorf("the chart lacks %q", want)
		}
	}
	// Spokes on the right start their label, on the left end it.
	if !strings.Contains(svg, `text-anchor="start" fill="#212121">1.4</text>`) || !strings.Contains(svg, `text-anchor="end" fill="#212121">6.4</text>`) {
		t.Error("labels are not anchored by their side")
	}
}

func TestRadarSVGEmpty(t *testing.T) {
	for _, r := range []Radar{{}, {Title: "Gol", Axes: []RadarAxis{{Label: "1"}, {Label: "2"}}, Series: []RadarSeries{{Name: "S", Values: []*float64{fp(10), fp(20), fp(30)}}}}} {
		svg := RadarSVG(r)
		wellFormed(t, svg)
		if !strings.Contains(svg, `role="img"`) || !strings.Contains(svg, "<title id=") {
			t.Errorf("an empty chart is not accessible: %s", svg)
		}
		if strings.Contains(svg, "radar-area") {
			t.Error("an area drawn with fewer than three values")
		}
		if len(r.Series) > 0 {
			// A series without a class: the generic class, the palette's
			// first colour, and only the values that have an axis.
			if !strings.Contains(svg, `<g class="radar-series">`) || !strings.Contains(svg, `fill="#2e7d32"`) {
				t.Error("a series without a class is not drawn in the palette's first colour")
			}
			if n := strings.Count(svg, `class="radar-point"`); n != 2 {
				t.Errorf("%d points, want 2 (a value past the last axis is left out)", n)
			}
		}
	}
}

// BenchmarkRadarSVG draws the results page's biggest chart: 28
// sub-criteria, this cycle and the previous one.
func BenchmarkRadarSVG(b *testing.B) {
	r := Radar{Title: "Scoruri pe subcriterii", Desc: "Ciclul curent și cel anterior", Max: 100}
	var cur, prev []*float64
	for i := range 28 {
		r.Axes = append(r.Axes, RadarAxis{Label: fmt.Sprintf("%d.%d", i/4+1, i%4+1), Title: fmt.Sprintf("Subcriteriul %d", i+1), Href: fmt.Sprintf("/caf/cycles/1/subs/%d", i)})
		cur = append(cur, fp(float64(i*3%100)))
		prev = append(prev, fp(float64(i*7%100)))
	}
	r.Series = []RadarSeries{{Name: "Ciclul 2026", Class: "current", Values: cur}, {Name: "Ciclul 2024", Class: "previous", Values: prev}}
	benchtest.Measure(b, func() error {
		if RadarSVG(r) == "" {
			return fmt.Errorf("empty chart")
		}
		return nil
	})
}
