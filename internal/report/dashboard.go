package report

import (
	"fmt"
	"html"
	"strconv"
	"strings"
)

// StackSeries is one kind of segment of a stacked bar chart: its name in
// the legend and its colours (a light fill that dark text reads on, and a
// strong stroke).
type StackSeries struct {
	Label        string
	Fill, Stroke string
}

// StackBar is one row of a stacked bar chart: a count per series, each
// segment optionally a link, and the row's label a link to the whole.
type StackBar struct {
	Label  string
	Href   string
	Values []int    // one per series
	Hrefs  []string // one per series, "" for none; may be nil
}

// StackChart draws rows of counts split by series (work items by module and
// due week, risks by band) as horizontal stacked bars on a common scale.
type StackChart struct {
	Title string
	Desc  string // what the chart shows, read by screen readers
	// Series name the segments, in the order of each bar's Values.
	Series []StackSeries
	Bars   []StackBar
	// Empty is written when there is nothing to draw.
	Empty string
}

// StackChartSVG draws c as an inline SVG with role="img", a <title> and a
// <desc>. Every segment carries its count as text (when it fits) and a
// <title>, and every row its total, so the figures read without colours.
func StackChartSVG(c StackChart) string {
	const left, barW, right, top, row, bottom = 200, 360, 60, 50, 28, 12
	w := left + barW + right
	n := max(len(c.Bars), 1)
	h := top + row*n + bottom
	esc := html.EscapeString
	id := "st-" + strconv.FormatUint(uint64(hash(c.Title+c.Desc)), 36)
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" class="stack-chart" viewBox="0 0 %d %d" width="%d" height="%d" role="img" aria-labelledby="%s-t %s-d">`, w, h, w, h, id, id)
	fmt.Fprintf(&b, `<title id="%s-t">%s</title><desc id="%s-d">%s</desc>`, id, esc(c.Title), id, esc(c.Desc))
	fmt.Fprintf(&b, `<text x="4" y="18" font-size="14" font-weight="bold">%s</text>`, esc(c.Title))
	// The legend.
	x := 4
	for _, s := range c.Series {
		fmt.Fprintf(&b, `<rect x="%d" y="28" width="12" height="12" fill="%s" stroke="%s"/>`, x, esc(s.Fill), esc(s.Stroke))
		fmt.Fprintf(&b, `<text x="%d" y="38" font-size="11">%s</text>`, x+16, esc(s.Label))
		x += 24 + 7*len([]rune(s.Label))
	}
	peak := 0
	for _, bar := range c.Bars {
		peak = max(peak, stackSum(bar.Values))
	}
	if len(c.Bars) == 0 || peak == 0 {
		fmt.Fprintf(&b, `<text x="%d" y="%d" font-size="12" fill="#444">%s</text></svg>`, 4, top+row/2+4, esc(c.Empty))
		return b.String()
	}
	for i, bar := range c.Bars {
		y := top + i*row
		label := esc(clipLabel(bar.Label, 30))
		if bar.Href != "" {
			fmt.Fprintf(&b, `<a href="%s"><text x="%d" y="%d" font-size="12" text-anchor="end" fill="#0b4f8a" text-decoration="underline">%s</text></a>`, esc(bar.Href), left-8, y+row/2+4, label)
		} else {
			fmt.Fprintf(&b, `<text x="%d" y="%d" font-size="12" text-anchor="end">%s</text>`, left-8, y+row/2+4, label)
		}
		at := float64(left)
		for j, v := range bar.Values {
			if v <= 0 || j >= len(c.Series) {
				continue
			}
			s := c.Series[j]
			sw := float64(barW) * float64(v) / float64(peak)
			href := ""
			if j < len(bar.Hrefs) {
				href = bar.Hrefs[j]
			}
			if href != "" {
				fmt.Fprintf(&b, `<a href="%s">`, esc(href))
			}
			fmt.Fprintf(&b, `<rect x="%.1f" y="%d" width="%.1f" height="%d" fill="%s" stroke="%s"><title>%s: %s, %d</title></rect>`,
				at, y+4, sw, row-8, esc(s.Fill), esc(s.Stroke), label, esc(s.Label), v)
			if sw >= 18 {
				fmt.Fprintf(&b, `<text x="%.1f" y="%d" font-size="11" text-anchor="middle">%d</text>`, at+sw/2, y+row/2+4, v)
			}
			if href != "" {
				b.WriteString(`</a>`)
			}
			at += sw
		}
		fmt.Fprintf(&b, `<text x="%.1f" y="%d" font-size="12" font-weight="bold">%d</text>`, at+6, y+row/2+4, stackSum(bar.Values))
	}
	b.WriteString(`</svg>`)
	return b.String()
}

func stackSum(v []int) int {
	n := 0
	for _, x := range v {
		n += x
	}
	return n
}
