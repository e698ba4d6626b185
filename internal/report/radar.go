package report

import (
	"fmt"
	"html"
	"math"
	"strconv"
	"strings"
)

// Radar is a radar (spider) chart: one axis per item (a CAF criterion or
// sub-criterion), one closed line per series (this cycle, the previous
// one), values 0 to Max.
type Radar struct {
	Title  string // also the chart's accessible name
	Desc   string // a sentence describing what it shows, for <desc>
	Max    float64
	Axes   []RadarAxis
	Series []RadarSeries
	// Format writes a value as the reader does ("62,5"); nil: at most one
	// decimal with a point.
	Format func(float64) string
	// ID prefixes the ids of <title> and <desc>; empty: derived from the
	// chart's content. Set it when one page shows two charts that could
	// otherwise share their ids.
	ID string
}

// RadarAxis is one spoke.
type RadarAxis struct {
	Label string // short, shown at the spoke's end ("1", "1.1")
	Title string // long, in the spoke's <title> ("1 Leadership")
	Href  string // optional link
}

// RadarSeries is one line: a value per axis (nil: no value, the line
// skips it).
type RadarSeries struct {
	Name   string
	Class  string // CSS class: "current", "previous"
	Values []*float64
}

// Radar geometry, in SVG units: a square plot with the legend below it.
const (
	radarSize   = 520
	radarCX     = radarSize / 2
	radarCY     = 258
	radarR      = 190
	radarLegend = 24 // height of one legend row
	radarBottom = 14
)

// radarStyles are the colours of the known series classes: stroke, fill,
// dash. The current cycle is the primary blue, the previous one grey and
// dashed; other series take the next colour of the palette.
var radarStyles = map[string][3]string{
	"current":  {"#1a4f8b", "#1a4f8b", ""},
	"previous": {"#616161", "#9e9e9e", "6 4"},
}

var radarPalette = [][3]string{
	{"#2e7d32", "#2e7d32", ""},
	{"#a35f00", "#a35f00", "2 3"},
	{"#6a1b9a", "#6a1b9a", "8 3 2 3"},
	{"#b71c1c", "#b71c1c", ""},
}

// radarStyleList gives each series its colours: the known classes their
// own, the others the palette in turn.
func radarStyleList(series []RadarSeries) [][3]string {
	out := make([][3]string, len(series))
	next := 0
	for i, s := range series {
		st, ok := radarStyles[s.Class]
		if !ok {
			st = radarPalette[next%len(radarPalette)]
			next++
		}
		out[i] = st
	}
	return out
}

// radarAngle is the angle of spoke i of n: the first points up, the others
// follow clockwise.
func radarAngle(i, n int) float64 {
	return -math.Pi/2 + 2*math.Pi*float64(i)/float64(n)
}

func radarPoint(i, n int, r float64) (x, y float64) {
	a := radarAngle(i, n)
	return radarCX + r*math.Cos(a), radarCY + r*math.Sin(a)
}

// radarValue is a usable value of v in [0, max]: nil, NaN and infinities
// are no value.
func radarValue(v *float64, max float64) (float64, bool) {
	if v == nil || math.IsNaN(*v) || math.IsInf(*v, 0) {
		return 0, false
	}
	return math.Min(math.Max(*v, 0), max), true
}

// RadarSVG draws the chart as a standalone, escaped SVG element. The same
// chart always gives the same text.
func RadarSVG(r Radar) string {
	esc := html.EscapeString
	format := r.Format
	if format == nil {
		format = func(f float64) string { return strconv.FormatFloat(math.Round(f*10)/10, 'f', -1, 64) }
	}
	top := r.Max
	if !(top > 0) || math.IsInf(top, 0) {
		top = 100
	}
	n := len(r.Axes)
	styles := radarStyleList(r.Series)

	// The legend: as many series per row as fit.
	type legendItem struct{ x, row int }
	var items []legendItem
	x, row := 16, 0
	for _, s := range r.Series {
		w := 40 + 7*len([]rune(s.Name))
		if x > 16 && x+w > radarSize-16 {
			x, row = 16, row+1
		}
		items = append(items, legendItem{x, row})
		x += w + 16
	}
	rows := 0
	if len(items) > 0 {
		rows = items[len(items)-1].row + 1
	}
	height := radarCY + radarR + 40 + rows*radarLegend + radarBottom

	id := r.ID
	if id == "" {
		var key strings.Builder
		key.WriteString(r.Title + "\x00" + r.Desc)
		for _, a := range r.Axes {
			key.WriteString("\x00" + a.Label)
		}
		id = "radar-" + strconv.FormatUint(uint64(hash(key.String())), 36)
	}
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" class="radar" viewBox="0 0 %d %d" width="%d" height="%d" role="img" aria-labelledby="%s-t %s-d">`,
		radarSize, height, radarSize, height, esc(id), esc(id))
	fmt.Fprintf(&b, `<title id="%s-t">%s</title><desc id="%s-d">%s</desc>`, esc(id), esc(r.Title), esc(id), esc(r.Desc))

	// The grid: a ring at every fifth of Max (a polygon along the spokes,
	// a circle with fewer than three).
	b.WriteString(`<g class="radar-grid">`)
	for k := 1; k <= 5; k++ {
		rr := radarR * float64(k) / 5
		stroke := "#e0e0e0"
		if k == 5 {
			stroke = "#9e9e9e"
		}
		if n >= 3 {
			pts := make([]string, n)
			for i := range n {
				px, py := radarPoint(i, n, rr)
				pts[i] = ftoa(px) + "," + ftoa(py)
			}
			fmt.Fprintf(&b, `<polygon points="%s" fill="none" stroke="%s"/>`, strings.Join(pts, " "), stroke)
		} else {
			fmt.Fprintf(&b, `<circle cx="%d" cy="%d" r="%s" fill="none" stroke="%s"/>`, radarCX, radarCY, ftoa(rr), stroke)
		}
	}
	b.WriteString(`</g>`)

	// The spokes, each with its label at the end and its long title.
	for i, a := range r.Axes {
		ex, ey := radarPoint(i, n, radarR)
		lx, ly := radarPoint(i, n, radarR+12)
		ang := radarAngle(i, n)
		cos, sin := math.Cos(ang), math.Sin(ang)
		anchor := "middle"
		switch {
		case cos > 0.25:
			anchor = "start"
		case cos < -0.25:
			anchor = "end"
		}
		// Text sits on its baseline: lower it under the bottom half's
		// spokes, centre it vertically on the sides.
		ly += 4 + 8*sin
		if sin > 0.25 {
			ly += 2
		}
		if a.Href != "" {
			fmt.Fprintf(&b, `<a href="%s">`, esc(a.Href))
		}
		title := a.Title
		if title == "" {
			title = a.Label
		}
		fmt.Fprintf(&b, `<g class="radar-axis"><title>%s</title>`, esc(title))
		fmt.Fprintf(&b, `<line x1="%d" y1="%d" x2="%s" y2="%s" stroke="#bdbdbd"/>`, radarCX, radarCY, ftoa(ex), ftoa(ey))
		fmt.Fprintf(&b, `<text x="%s" y="%s" font-size="12" text-anchor="%s" fill="#212121">%s</text>`, ftoa(lx), ftoa(ly), anchor, esc(clipLabel(a.Label, 14)))
		b.WriteString(`</g>`)
		if a.Href != "" {
			b.WriteString(`</a>`)
		}
	}

	// The series: an area through the axes that have a value (points
	// alone with fewer than three), then a point per value with its
	// value in words.
	for si, s := range r.Series {
		stroke, fill, dash := styles[si][0], styles[si][1], styles[si][2]
		class := "radar-" + s.Class
		if s.Class == "" {
			class = "radar-series"
		}
		dashAttr := ""
		if dash != "" {
			dashAttr = ` stroke-dasharray="` + dash + `"`
		}
		fmt.Fprintf(&b, `<g class="%s">`, esc(class))
		type pt struct {
			axis int
			v    float64
		}
		var pts []pt
		for i := range min(n, len(s.Values)) {
			if v, ok := radarValue(s.Values[i], top); ok {
				pts = append(pts, pt{i, v})
			}
		}
		if len(pts) >= 3 {
			var d strings.Builder
			for k, p := range pts {
				px, py := radarPoint(p.axis, n, radarR*p.v/top)
				if k == 0 {
					d.WriteString("M")
				} else {
					d.WriteString(" L")
				}
				d.WriteString(ftoa(px) + "," + ftoa(py))
			}
			d.WriteString(" Z")
			fmt.Fprintf(&b, `<path class="radar-area" d="%s" fill="%s" fill-opacity="0.15" stroke="%s" stroke-width="2"%s/>`, d.String(), fill, stroke, dashAttr)
		}
		for _, p := range pts {
			px, py := radarPoint(p.axis, n, radarR*p.v/top)
			axis := r.Axes[p.axis].Title
			if axis == "" {
				axis = r.Axes[p.axis].Label
			}
			fmt.Fprintf(&b, `<circle class="radar-point" cx="%s" cy="%s" r="3.5" fill="%s" stroke="#ffffff" stroke-width="1"><title>%s – %s: %s</title></circle>`,
				ftoa(px), ftoa(py), stroke, esc(s.Name), esc(axis), esc(format(p.v)))
		}
		b.WriteString(`</g>`)
	}

	// The grid's values by the first spoke, over the series, with a white
	// halo so a line crossing them does not hide them.
	b.WriteString(`<g class="radar-ticks">`)
	for k := 1; k <= 5; k++ {
		fmt.Fprintf(&b, `<text x="%d" y="%s" font-size="10" stroke="#ffffff" stroke-width="3" paint-order="stroke" fill="#616161">%s</text>`,
			radarCX+4, ftoa(radarCY-radarR*float64(k)/5-3), esc(format(top*float64(k)/5)))
	}
	b.WriteString(`</g>`)

	// The legend, in words.
	ly := radarCY + radarR + 40
	for si, s := range r.Series {
		stroke, fill, dash := styles[si][0], styles[si][1], styles[si][2]
		dashAttr := ""
		if dash != "" {
			dashAttr = ` stroke-dasharray="` + dash + `"`
		}
		it := items[si]
		fmt.Fprintf(&b, `<g class="radar-legend" transform="translate(%d,%d)"><rect x="0" y="-8" width="24" height="14" fill="%s" fill-opacity="0.15" stroke="%s" stroke-width="2"%s/><text x="32" y="4" font-size="12" fill="#212121">%s</text></g>`,
			it.x, ly+it.row*radarLegend, fill, stroke, dashAttr, esc(s.Name))
	}
	b.WriteString(`</svg>`)
	return b.String()
}
