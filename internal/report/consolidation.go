package report

import (
	"fmt"
	"html"
	"strconv"
	"strings"
)

// StatusCount is one segment of a body's bar: how many KPIs have a status.
type StatusCount struct {
	Status string // green, amber, red, none
	Label  string // the status in words, with the count: "2 verzi"
	Count  int
}

// StatusBar is one body's row of the status chart.
type StatusBar struct {
	Label  string
	Href   string // optional link
	Counts []StatusCount
}

// StatusChart is the consolidated view's KPI chart: a horizontal bar per
// body, split into its KPIs' statuses, every bar to the same full width
// (the shares) with the counts written beside it, so a small body reads
// as well as a large one.
type StatusChart struct {
	Title string
	Desc  string // what the chart shows, read by screen readers
	Bars  []StatusBar
	Empty string // written instead of a bar without KPIs
}

// StatusChartSVG draws c as an inline SVG with role="img", a <title> and a
// <desc>; each segment has a <title> with its status and count, and the
// counts are also written as text after the bar (the colour is never the
// only sign).
func StatusChartSVG(c StatusChart) string {
	const left, barW, right, top, row, bottom = 210, 300, 250, 34, 30, 10
	w := left + barW + right
	h := top + row*max(len(c.Bars), 1) + bottom
	esc := html.EscapeString
	id := "st-" + strconv.FormatUint(uint64(hash(c.Title+c.Desc)), 36)
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" class="status-chart" viewBox="0 0 %d %d" width="%d" height="%d" role="img" aria-labelledby="%s-t %s-d">`, w, h, w, h, id, id)
	fmt.Fprintf(&b, `<title id="%s-t">%s</title><desc id="%s-d">%s</desc>`, id, esc(c.Title), id, esc(c.Desc))
	fmt.Fprintf(&b, `<text x="4" y="18" font-size="14" font-weight="bold">%s</text>`, esc(c.Title))
	for i, bar := range c.Bars {
		y := top + i*row
		fmt.Fprintf(&b, `<text x="%d" y="%d" font-size="12" text-anchor="end">%s</text>`, left-8, y+row/2+4, esc(clipLabel(bar.Label, 32)))
		total := 0
		for _, s := range bar.Counts {
			total += max(s.Count, 0)
		}
		if bar.Href != "" {
			fmt.Fprintf(&b, `<a href="%s">`, esc(bar.Href))
		}
		if total == 0 {
			fmt.Fprintf(&b, `<rect x="%d" y="%d" width="%d" height="%d" fill="#f7f7f7"/>`, left, y+4, barW, row-8)
			fmt.Fprintf(&b, `<text x="%d" y="%d" font-size="12" fill="#424242">%s</text>`, left+barW+8, y+row/2+4, esc(c.Empty))
		} else {
			x := float64(left)
			var words []string
			for _, s := range bar.Counts {
				if s.Count <= 0 {
					continue
				}
				sw := float64(barW) * float64(s.Count) / float64(total)
				fill, stroke := ScoreColors(s.Status)
				fmt.Fprintf(&b, `<rect x="%s" y="%d" width="%s" height="%d" fill="%s" stroke="%s"><title>%s</title></rect>`, ftoa(x), y+4, ftoa(sw), row-8, fill, stroke, esc(s.Label))
				x += sw
				words = append(words, s.Label)
			}
			fmt.Fprintf(&b, `<text x="%d" y="%d" font-size="11">%s</text>`, left+barW+8, y+row/2+4, esc(clipLabel(strings.Join(words, " · "), 46)))
		}
		if bar.Href != "" {
			b.WriteString(`</a>`)
		}
	}
	b.WriteString(`</svg>`)
	return b.String()
}
