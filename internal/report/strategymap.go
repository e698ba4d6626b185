package report

import (
	"fmt"
	"html"
	"strconv"
	"strings"
	"unicode/utf8"
)

// StrategyMap is a Balanced Scorecard strategy map: a band per perspective
// (top to bottom as given), the objectives of each band spread across it in
// the order given, and the cause-and-effect arrows between them.
type StrategyMap struct {
	Title string
	Desc  string // what the map shows, read by screen readers
	Bands []MapBand
	Nodes []MapNode
	Edges []MapEdge
}

// MapBand is a perspective's band.
type MapBand struct {
	Label string
	Score string // "72,5 · Galben"; may be empty
}

// MapNode is an objective: a rounded rectangle filled by its status, with
// its code, its title (wrapped, cut when too long) and its score, linking
// to the objective.
type MapNode struct {
	ID          int64
	Band        int // index into Bands
	Code        string
	Title       string
	Status      string // green, amber, red, none
	ScoreText   string // "86,7" or "–"
	StatusLabel string // the status in words
	Href        string
}

// MapEdge is an arrow from the cause to the effect.
type MapEdge struct {
	From, To int64
	Label    string // read by screen readers; may be empty
}

// Layout of the map, in SVG units.
const (
	mapWidth   = 980
	mapLabelW  = 150
	mapBandH   = 132
	mapTop     = 30
	mapNodeH   = 84
	mapNodeMax = 190
)

type mapBox struct{ x, y, w, h float64 }

// layout places each node: the bands top to bottom, each band's nodes
// spread evenly across it. It is deterministic: the same map, the same
// picture.
func (m StrategyMap) layout() map[int64]mapBox {
	perBand := make([][]int, len(m.Bands))
	for i, n := range m.Nodes {
		if n.Band >= 0 && n.Band < len(m.Bands) {
			perBand[n.Band] = append(perBand[n.Band], i)
		}
	}
	out := make(map[int64]mapBox, len(m.Nodes))
	avail := float64(mapWidth - mapLabelW - 10)
	for b, idx := range perBand {
		if len(idx) == 0 {
			continue
		}
		slot := avail / float64(len(idx))
		w := min(float64(mapNodeMax), slot-14)
		y := float64(mapTop + b*mapBandH + (mapBandH-mapNodeH)/2)
		for k, i := range idx {
			x := float64(mapLabelW) + slot*float64(k) + (slot-w)/2
			out[m.Nodes[i].ID] = mapBox{x, y, w, mapNodeH}
		}
	}
	return out
}

// StrategyMapSVG draws m as an inline SVG (role="img", <title>, <desc>);
// every text is escaped, each node is a link with an aria-label saying its
// code, title, score and status, and each arrow ends in an arrowhead.
func StrategyMapSVG(m StrategyMap) string {
	esc := html.EscapeString
	h := mapTop + mapBandH*max(len(m.Bands), 1) + 10
	id := "sm-" + strconv.FormatUint(uint64(hash(m.Title+m.Desc)), 36)
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" class="strategy-map" viewBox="0 0 %d %d" width="%d" height="%d" role="img" aria-labelledby="%s-t %s-d">`, mapWidth, h, mapWidth, h, id, id)
	fmt.Fprintf(&b, `<title id="%s-t">%s</title><desc id="%s-d">%s</desc>`, id, esc(m.Title), id, esc(m.Desc))
	fmt.Fprintf(&b, `<defs><marker id="%s-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="8" markerHeight="8" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#37474f"/></marker></defs>`, id)
	fmt.Fprintf(&b, `<text x="4" y="20" font-size="14" font-weight="bold">%s</text>`, esc(m.Title))
	for i, band := range m.Bands {
		y := mapTop + i*mapBandH
		fill := "#fafafa"
		if i%2 == 1 {
			fill = "#f0f3f6"
		}
		fmt.Fprintf(&b, `<rect class="band" x="0" y="%d" width="%d" height="%d" fill="%s" stroke="#d0d7de"/>`, y, mapWidth, mapBandH, fill)
		lines := wrapText(band.Label, 20, 3)
		for k, l := range lines {
			fmt.Fprintf(&b, `<text x="8" y="%d" font-size="12" font-weight="bold">%s</text>`, y+22+k*15, esc(l))
		}
		if band.Score != "" {
			fmt.Fprintf(&b, `<text x="8" y="%d" font-size="11" fill="#333333">%s</text>`, y+22+len(lines)*15+4, esc(clipLabel(band.Score, 24)))
		}
	}
	boxes := m.layout()
	for _, e := range m.Edges {
		from, ok1 := boxes[e.From]
		to, ok2 := boxes[e.To]
		if !ok1 || !ok2 {
			continue
		}
		fmt.Fprintf(&b, `<path class="link" d="%s" fill="none" stroke="#37474f" stroke-width="1.6" marker-end="url(#%s-arrow)">`, edgePath(from, to), id)
		if e.Label != "" {
			fmt.Fprintf(&b, `<title>%s</title>`, esc(e.Label))
		}
		b.WriteString(`</path>`)
	}
	for _, n := range m.Nodes {
		box, ok := boxes[n.ID]
		if !ok {
			continue
		}
		fill, stroke := ScoreColors(n.Status)
		label := strings.TrimSpace(n.Code + " " + n.Title + ": " + n.ScoreText + ", " + n.StatusLabel)
		if n.Href != "" {
			fmt.Fprintf(&b, `<a class="node" href="%s" aria-label="%s">`, esc(n.Href), esc(label))
		} else {
			fmt.Fprintf(&b, `<g class="node" aria-label="%s">`, esc(label))
		}
		fmt.Fprintf(&b, `<rect x="%s" y="%s" width="%s" height="%s" rx="10" ry="10" fill="%s" stroke="%s" stroke-width="2"/>`, ftoa(box.x), ftoa(box.y), ftoa(box.w), ftoa(box.h), fill, stroke)
		cx := box.x + box.w/2
		fmt.Fprintf(&b, `<text x="%s" y="%s" font-size="12" font-weight="bold" text-anchor="middle">%s</text>`, ftoa(cx), ftoa(box.y+16), esc(clipLabel(n.Code, 20)))
		chars := max(8, int((box.w-12)/6.2))
		for k, l := range wrapText(n.Title, chars, 3) {
			fmt.Fprintf(&b, `<text x="%s" y="%s" font-size="10.5" text-anchor="middle">%s</text>`, ftoa(cx), ftoa(box.y+31+float64(k)*13), esc(l))
		}
		fmt.Fprintf(&b, `<text x="%s" y="%s" font-size="11" text-anchor="middle" fill="%s"><tspan font-weight="bold">%s</tspan> · %s</text>`,
			ftoa(cx), ftoa(box.y+box.h-8), stroke, esc(n.ScoreText), esc(clipLabel(n.StatusLabel, chars-6)))
		if n.Href != "" {
			b.WriteString(`</a>`)
		} else {
			b.WriteString(`</g>`)
		}
	}
	b.WriteString(`</svg>`)
	return b.String()
}

// edgePath is a curve from the cause's border to the effect's: from the
// top of the cause to the bottom of an effect above it (the usual upward
// arrow), the reverse for one below, side to side within a band.
func edgePath(from, to mapBox) string {
	var x1, y1, x2, y2, c1x, c1y, c2x, c2y float64
	switch {
	case to.y+to.h <= from.y: // effect above
		x1, y1 = from.x+from.w/2, from.y
		x2, y2 = to.x+to.w/2, to.y+to.h
		mid := (y1 - y2) / 2
		c1x, c1y, c2x, c2y = x1, y1-mid, x2, y2+mid
	case to.y >= from.y+from.h: // effect below
		x1, y1 = from.x+from.w/2, from.y+from.h
		x2, y2 = to.x+to.w/2, to.y
		mid := (y2 - y1) / 2
		c1x, c1y, c2x, c2y = x1, y1+mid, x2, y2-mid
	default: // same band: an arc over the top
		y1, y2 = from.y, to.y
		x1, x2 = from.x+from.w*0.6, to.x+to.w*0.4
		if to.x < from.x {
			x1, x2 = from.x+from.w*0.4, to.x+to.w*0.6
		}
		c1x, c1y, c2x, c2y = x1, y1-34, x2, y2-34
	}
	return "M" + ftoa(x1) + "," + ftoa(y1) + " C" + ftoa(c1x) + "," + ftoa(c1y) + " " + ftoa(c2x) + "," + ftoa(c2y) + " " + ftoa(x2) + "," + ftoa(y2)
}

// wrapText breaks s into at most lines lines of at most width characters,
// at spaces where it can; the last line ends in "…" when text is left out.
func wrapText(s string, width, lines int) []string {
	var out []string
	cur := ""
	for _, w := range strings.Fields(s) {
		for utf8.RuneCountInString(w) > width {
			if cur != "" {
				out, cur = append(out, cur), ""
			}
			r := []rune(w)
			out, w = append(out, string(r[:width])), string(r[width:])
		}
		switch {
		case cur == "":
			cur = w
		case utf8.RuneCountInString(cur)+1+utf8.RuneCountInString(w) <= width:
			cur += " " + w
		default:
			out, cur = append(out, cur), w
		}
	}
	if cur != "" {
		out = append(out, cur)
	}
	if len(out) > lines {
		out = out[:lines]
		last := []rune(out[lines-1])
		if len(last) >= width {
			last = last[:width-1]
		}
		out[lines-1] = strings.TrimSpace(string(last)) + "…"
	}
	return out
}
