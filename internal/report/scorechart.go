package report

import (
	"fmt"
	"html"
	"strconv"
	"strings"
)

// Status colours of the scorecard, shared by the overview chart and the
// strategy map: a light fill that dark text reads on, and a strong stroke.
// The colour is never the only sign: every bar and node also says its
// status in words.
var scoreFill = map[string][2]string{
	"green": {"#c8e6c9", "#2e7d32"},
	"amber": {"#ffe0a3", "#a35f00"},
	"red":   {"#f8c4c4", "#b71c1c"},
	"none":  {"#eeeeee", "#616161"},
}

// ScoreColors returns the fill and stroke of a status ("green", "amber",
// "red", anything else: no data).
func ScoreColors(status string) (fill, stroke string) {
	c, ok := scoreFill[status]
	if !ok {
		c = scoreFill["none"]
	}
	return c[0], c[1]
}

// ScoreBar is one bar of the overview chart: a perspective (or a unit) and
// its 0-100 score.
type ScoreBar struct {
	Label       string
	Score       float64
	HasData     bool
	Status      string // green, amber, red, none
	ScoreText   string // the score as the reader writes numbers: "86,7"
	StatusLabel string // the status in words: "Verde (țintă atinsă)"
	Href        string // optional link
}

// ScoreChart is the scorecard overview: a horizontal bar per row on a
// 0-100 axis with guides at the amber (50) and green (80) thresholds.
type ScoreChart struct {
	Title  string
	Desc   string // what the chart shows, read by screen readers
	Bars   []ScoreBar
	NoData string // written instead of a bar without data
	// Guides are the thresholds drawn as dashed lines (default 50 and 80).
	Guides []float64
}

// ScoreChartSVG draws c as an inline SVG with role="img", a <title> and a
// <desc>; each bar carries its score and status as text.
func ScoreChartSVG(c ScoreChart) string {
	const left, barW, right, top, row, bottom = 210, 360, 190, 34, 30, 30
	w := left + barW + right
	h := top + row*max(len(c.Bars), 1) + bottom
	esc := html.EscapeString
	guides := c.Guides
	if guides == nil {
		guides = []float64{50, 80}
	}
	id := "sc-" + strconv.FormatUint(uint64(hash(c.Title+c.Desc)), 36)
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" class="score-chart" viewBox="0 0 %d %d" width="%d" height="%d" role="img" aria-labelledby="%s-t %s-d">`, w, h, w, h, id, id)
	fmt.Fprintf(&b, `<title id="%s-t">%s</title><desc id="%s-d">%s</desc>`, id, esc(c.Title), id, esc(c.Desc))
	fmt.Fprintf(&b, `<text x="4" y="18" font-size="14" font-weight="bold">%s</text>`, esc(c.Title))
	axisY := top + row*max(len(c.Bars), 1)
	for i, bar := range c.Bars {
		y := top + i*row
		fmt.Fprintf(&b, `<text x="%d" y="%d" font-size="12" text-anchor="end">%s</text>`, left-8, y+row/2+4, esc(clipLabel(bar.Label, 32)))
		fmt.Fprintf(&b, `<rect x="%d" y="%d" width="%d" height="%d" fill="#f7f7f7"/>`, left, y+4, barW, row-8)
		fill, stroke := ScoreColors(bar.Status)
		if bar.Href != "" {
			fmt.Fprintf(&b, `<a href="%s">`, esc(bar.Href))
		}
		if bar.HasData {
			bw := barW * clamp01(bar.Score/100)
			fmt.Fprintf(&b, `<rect x="%d" y="%d" width="%s" height="%d" fill="%s" stroke="%s"/>`, left, y+4, ftoa(bw), row-8, fill, stroke)
			fmt.Fprintf(&b, `<text x="%d" y="%d" font-size="12"><tspan font-weight="bold">%s</tspan> · %s</text>`, left+barW+8, y+row/2+4, esc(bar.ScoreText), esc(bar.StatusLabel))
		} else {
			fmt.Fprintf(&b, `<text x="%d" y="%d" font-size="12" fill="#424242">%s</text>`, left+barW+8, y+row/2+4, esc(c.NoData))
		}
		if bar.Href != "" {
			b.WriteString(`</a>`)
		}
	}
	for _, g := range guides {
		x := float64(left) + barW*clamp01(g/100)
		fmt.Fprintf(&b, `<line x1="%s" y1="%d" x2="%s" y2="%d" stroke="#555555" stroke-dasharray="4 3"/>`, ftoa(x), top, ftoa(x), axisY)
		fmt.Fprintf(&b, `<text x="%s" y="%d" font-size="10" text-anchor="middle">%s</text>`, ftoa(x), axisY+14, ftoa(g))
	}
	fmt.Fprintf(&b, `<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="#333333"/>`, left, axisY, left+barW, axisY)
	fmt.Fprintf(&b, `<text x="%d" y="%d" font-size="10" text-anchor="middle">0</text><text x="%d" y="%d" font-size="10" text-anchor="middle">100</text>`, left, axisY+14, left+barW, axisY+14)
	b.WriteString(`</svg>`)
	return b.String()
}

func clamp01(f float64) float64 {
	if f != f || f < 0 {
		return 0
	}
	if f > 1 {
		return 1
	}
	return f
}

// ftoa writes a coordinate with at most one decimal.
func ftoa(f float64) string { return strconv.FormatFloat(float64(int(f*10+0.5))/10, 'f', -1, 64) }
