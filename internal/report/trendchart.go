package report

import (
	"fmt"
	"html"
	"math"
	"strconv"
	"strings"
)

// TrendPoint is one period of a KPI's trend chart.
type TrendPoint struct {
	Label      string   // the period on the axis: "oct. 2026", "T3 2026"
	Value      *float64 // nil: no value for the period
	Target     *float64 // nil: no target
	TargetHigh *float64 // the band's upper end (band KPIs)
	Status     string   // green, amber, red, none
	// Title is what a reader hears of the point: "octombrie 2026: 93,5 %,
	// verde (țintă atinsă), ținta 95".
	Title string
}

// TrendChart is a KPI's values over time against its target: the values
// as a line with a point per period coloured by status, the target as a
// line (a shaded area for a band), the red threshold dashed.
type TrendChart struct {
	Title   string // the chart's accessible name
	Points  []TrendPoint
	Red     *float64 // red threshold (below a band for band KPIs)
	RedHigh *float64 // red threshold above a band
	// Legend labels.
	ValueLabel, TargetLabel, RedLabel, EmptyLabel string
	// Format writes a number as the reader does ("93,5"); nil: plain.
	Format func(float64) string
}

// Trend chart geometry, in SVG units.
const (
	tcWidth  = 760
	tcHeight = 300
	tcLeft   = 64
	tcRight  = 16
	tcTop    = 36
	tcBottom = 56
)

// TrendChartSVG draws c as an inline SVG with role="img". Every point
// carries its period, value and status in words in its <title>, so the
// colours are never the only sign.
func TrendChartSVG(c TrendChart) string {
	esc := html.EscapeString
	format := c.Format
	if format == nil {
		format = func(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }
	}
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" class="trendchart" viewBox="0 0 %d %d" width="100%%" preserveAspectRatio="xMinYMin meet" role="img" aria-label="%s">`,
		tcWidth, tcHeight, esc(c.Title))
	fmt.Fprintf(&b, `<title>%s</title>`, esc(c.Title))
	lo, hi, ok := c.yRange()
	n := len(c.Points)
	if !ok || n == 0 {
		fmt.Fprintf(&b, `<text x="%d" y="%d" font-size="14">%s</text></svg>`, tcLeft, tcHeight/2, esc(c.EmptyLabel))
		return b.String()
	}
	plotW := float64(tcWidth - tcLeft - tcRight)
	plotH := float64(tcHeight - tcTop - tcBottom)
	slot := plotW / float64(n)
	x := func(i int) float64 { return float64(tcLeft) + slot*(float64(i)+0.5) }
	y := func(v float64) float64 { return float64(tcTop) + plotH*(hi-v)/(hi-lo) }

	// Grid and the vertical axis's numbers.
	for _, t := range tcTicks(lo, hi) {
		yy := y(t)
		fmt.Fprintf(&b, `<line x1="%d" y1="%s" x2="%d" y2="%s" stroke="#e0e0e0"/>`, tcLeft, tcF(yy), tcWidth-tcRight, tcF(yy))
		fmt.Fprintf(&b, `<text x="%d" y="%s" font-size="11" text-anchor="end">%s</text>`, tcLeft-6, tcF(yy+4), esc(format(t)))
	}
	fmt.Fprintf(&b, `<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="#616161"/>`, tcLeft, tcTop, tcLeft, tcHeight-tcBottom)
	fmt.Fprintf(&b, `<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="#616161"/>`, tcLeft, tcHeight-tcBottom, tcWidth-tcRight, tcHeight-tcBottom)

	// Period labels: at most about twelve, evenly spaced, the last always.
	every := max(1, (n+11)/12)
	for i, p := range c.Points {
		if i%every != 0 && i != n-1 {
			continue
		}
		if i != n-1 && n-1-i < every && i%every == 0 && i != 0 {
			continue // too close to the last label
		}
		fmt.Fprintf(&b, `<text x="%s" y="%d" font-size="11" text-anchor="middle">%s</text>`, tcF(x(i)), tcHeight-tcBottom+16, esc(p.Label))
	}

	// The target: a shaded band or a line, step by step, as targets may
	// change from one year to the next.
	b.WriteString(`<g class="tc-target">`)
	for i, p := range c.Points {
		if p.Target == nil {
			continue
		}
		x0, x1 := x(i)-slot/2, x(i)+slot/2
		if p.TargetHigh != nil {
			top, bot := y(*p.TargetHigh), y(*p.Target)
			fmt.Fprintf(&b, `<rect x="%s" y="%s" width="%s" height="%s" fill="#c8e6c9" fill-opacity="0.6"/>`, tcF(x0), tcF(top), tcF(x1-x0), tcF(math.Max(bot-top, 1)))
			fmt.Fprintf(&b, `<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="#2e7d32" stroke-width="1.5"/>`, tcF(x0), tcF(top), tcF(x1), tcF(top))
		}
		fmt.Fprintf(&b, `<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="#2e7d32" stroke-width="2"/>`, tcF(x0), tcF(y(*p.Target)), tcF(x1), tcF(y(*p.Target)))
	}
	b.WriteString(`</g>`)

	// The red thresholds, dashed across the whole chart.
	for _, r := range []*float64{c.Red, c.RedHigh} {
		if r == nil {
			continue
		}
		fmt.Fprintf(&b, `<line class="tc-red" x1="%d" y1="%s" x2="%d" y2="%s" stroke="#b71c1c" stroke-width="1.5" stroke-dasharray="6 4"/>`, tcLeft, tcF(y(*r)), tcWidth-tcRight, tcF(y(*r)))
	}

	// The values: a line broken where a period has none, then the points.
	var seg []string
	flush := func() {
		if len(seg) > 1 {
			fmt.Fprintf(&b, `<polyline class="tc-line" points="%s" fill="none" stroke="#1a4f8b" stroke-width="2"/>`, strings.Join(seg, " "))
		}
		seg = seg[:0]
	}
	for i, p := range c.Points {
		if p.Value == nil {
			flush()
			continue
		}
		seg = append(seg, tcF(x(i))+","+tcF(y(*p.Value)))
	}
	flush()
	for i, p := range c.Points {
		if p.Value == nil {
			continue
		}
		fill, stroke := ScoreColors(p.Status)
		fmt.Fprintf(&b, `<circle class="tc-point status-%s" cx="%s" cy="%s" r="4.5" fill="%s" stroke="%s" stroke-width="2"><title>%s</title></circle>`,
			esc(tcStatus(p.Status)), tcF(x(i)), tcF(y(*p.Value)), stroke, fill, esc(p.Title))
	}

	// The legend, in words.
	lx := tcLeft
	legend := func(mark, label string) {
		if label == "" {
			return
		}
		fmt.Fprintf(&b, `<g transform="translate(%d,14)">%s<text x="26" y="4" font-size="12">%s</text></g>`, lx, mark, esc(label))
		lx += 40 + 7*len([]rune(label))
	}
	legend(`<line x1="0" y1="0" x2="20" y2="0" stroke="#1a4f8b" stroke-width="2"/><circle cx="10" cy="0" r="4" fill="#1a4f8b"/>`, c.ValueLabel)
	legend(`<line x1="0" y1="0" x2="20" y2="0" stroke="#2e7d32" stroke-width="2"/>`, c.TargetLabel)
	if c.Red != nil || c.RedHigh != nil {
		legend(`<line x1="0" y1="0" x2="20" y2="0" stroke="#b71c1c" stroke-width="1.5" stroke-dasharray="6 4"/>`, c.RedLabel)
	}
	b.WriteString(`</svg>`)
	return b.String()
}

// yRange is the vertical axis's span: every value, target and threshold
// with some room around them.
func (c TrendChart) yRange() (lo, hi float64, ok bool) {
	lo, hi = math.Inf(1), math.Inf(-1)
	see := func(f *float64) {
		if f == nil || math.IsNaN(*f) || math.IsInf(*f, 0) {
			return
		}
		lo, hi, ok = math.Min(lo, *f), math.Max(hi, *f), true
	}
	for _, p := range c.Points {
		see(p.Value)
		see(p.Target)
		see(p.TargetHigh)
	}
	if !ok {
		return 0, 0, false
	}
	see(c.Red)
	see(c.RedHigh)
	if hi == lo {
		d := math.Max(math.Abs(hi)*0.1, 1)
		return lo - d, hi + d, true
	}
	pad := (hi - lo) * 0.08
	nlo := lo - pad
	if lo >= 0 && nlo < 0 {
		nlo = 0 // a share or a count does not go below zero
	}
	return nlo, hi + pad, true
}

// tcTicks picks about six round numbers (1, 2, 2.5 or 5 times a power of
// ten apart) in [lo, hi].
func tcTicks(lo, hi float64) []float64 {
	mag := math.Pow(10, math.Floor(math.Log10((hi-lo)/6)))
	step, best := mag, math.Inf(1)
	for _, scale := range []float64{0.1, 1, 10} {
		for _, m := range []float64{1, 2, 2.5, 5} {
			st := m * mag * scale
			n := math.Floor(hi/st+1e-9) - math.Ceil(lo/st-1e-9) + 1
			if d := math.Abs(n - 6); d < best || (d == best && st > step) {
				step, best = st, d
			}
		}
	}
	var out []float64
	for t := math.Ceil(lo/step-1e-9) * step; t <= hi+step*1e-9 && len(out) < 20; t += step {
		out = append(out, math.Round(t/step*1e6)/1e6*step)
	}
	return out
}

func tcStatus(s string) string {
	switch s {
	case "green", "amber", "red":
		return s
	}
	return "none"
}

// tcF writes a coordinate with one decimal.
func tcF(f float64) string { return strconv.FormatFloat(math.Round(f*10)/10, 'f', -1, 64) }
