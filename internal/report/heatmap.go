package report

import (
	"fmt"
	"html"
	"io"
	"strconv"
	"strings"
)

// HeatMap is a probability-by-impact grid: one cell per pair of levels,
// coloured by band, holding how many entries stand there. Probability runs
// up the vertical axis (highest at the top), impact along the horizontal.
type HeatMap struct {
	Title     string // "Risc inerent"
	RowsLabel string // "Probabilitate"
	ColsLabel string // "Impact"
	// RowLabels and ColLabels name the levels, lowest first.
	RowLabels []string
	ColLabels []string
	// Counts[p-1][i-1], Colors likewise (#rrggbb); Links and CellLabels
	// (what a screen reader says of the cell) may be nil.
	Counts     [][]int
	Colors     [][]string
	Links      [][]string
	CellLabels [][]string
	// Note is printed under the map (what the counts cover).
	Note string
}

func (h HeatMap) size() int { return len(h.Counts) }

func (h HeatMap) at(m [][]string, p, i int) string {
	if p < len(m) && i < len(m[p]) {
		return m[p][i]
	}
	return ""
}

// HeatMapSVG draws h as an inline SVG: role="img" with a title, each cell a
// link (when given) with its count written in it, so the numbers read
// without the colours.
func HeatMapSVG(h HeatMap) string {
	n := h.size()
	const cell, left, top, bottom = 56, 118, 30, 62
	w, ht := left+n*cell+10, top+n*cell+bottom
	esc := html.EscapeString
	var b strings.Builder
	id := "hm-" + strconv.FormatUint(uint64(hash(h.Title+h.RowsLabel)), 36)
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" class="heatmap" viewBox="0 0 %d %d" width="%d" height="%d" role="img" aria-labelledby="%s">`, w, ht, w, ht, id)
	fmt.Fprintf(&b, `<title id="%s">%s</title>`, id, esc(h.Title))
	fmt.Fprintf(&b, `<text x="%d" y="18" font-size="14" font-weight="bold">%s</text>`, left, esc(h.Title))
	for p := n; p >= 1; p-- {
		y := top + (n-p)*cell
		fmt.Fprintf(&b, `<text x="%d" y="%d" font-size="11" text-anchor="end">%d %s</text>`, left-6, y+cell/2+4, p, esc(clipLabel(at1(h.RowLabels, p), 16)))
		for i := 1; i <= n; i++ {
			x := left + (i-1)*cell
			color := h.at(h.Colors, p-1, i-1)
			if color == "" {
				color = "#eeeeee"
			}
			count := 0
			if p-1 < len(h.Counts) && i-1 < len(h.Counts[p-1]) {
				count = h.Counts[p-1][i-1]
			}
			label := h.at(h.CellLabels, p-1, i-1)
			link := h.at(h.Links, p-1, i-1)
			if link != "" {
				fmt.Fprintf(&b, `<a href="%s" aria-label="%s">`, esc(link), esc(label))
			}
			fmt.Fprintf(&b, `<rect x="%d" y="%d" width="%d" height="%d" fill="%s" stroke="#ffffff" stroke-width="2"/>`, x, y, cell, cell, esc(color))
			weight := "normal"
			if count > 0 {
				weight = "bold"
			}
			fmt.Fprintf(&b, `<text x="%d" y="%d" font-size="16" font-weight="%s" text-anchor="middle">%d</text>`, x+cell/2, y+cell/2+6, weight, count)
			fmt.Fprintf(&b, `<text x="%d" y="%d" font-size="9" text-anchor="end" fill="#444444">%d</text>`, x+cell-4, y+11, p*i)
			if link != "" {
				b.WriteString(`</a>`)
			}
		}
	}
	for i := 1; i <= n; i++ {
		x := left + (i-1)*cell + cell/2
		fmt.Fprintf(&b, `<text x="%d" y="%d" font-size="11" text-anchor="middle">%d</text>`, x, top+n*cell+14, i)
		fmt.Fprintf(&b, `<text x="%d" y="%d" font-size="9" text-anchor="middle">%s</text>`, x, top+n*cell+26, esc(clipLabel(at1(h.ColLabels, i), 12)))
	}
	fmt.Fprintf(&b, `<text x="%d" y="%d" font-size="12" text-anchor="middle" font-weight="bold">%s →</text>`, left+n*cell/2, top+n*cell+44, esc(h.ColsLabel))
	fmt.Fprintf(&b, `<text x="12" y="%d" font-size="12" font-weight="bold" transform="rotate(-90 12 %d)" text-anchor="middle">%s →</text>`, top+n*cell/2, top+n*cell/2, esc(h.RowsLabel))
	if h.Note != "" {
		fmt.Fprintf(&b, `<text x="%d" y="%d" font-size="10" fill="#444444">%s</text>`, 4, top+n*cell+58, esc(h.Note))
	}
	b.WriteString(`</svg>`)
	return b.String()
}

func at1(labels []string, level int) string {
	if level >= 1 && level <= len(labels) {
		return labels[level-1]
	}
	return ""
}

func clipLabel(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

func hash(s string) uint32 {
	h := uint32(2166136261)
	for i := 0; i < len(s); i++ {
		h ^= uint32(s[i])
		h *= 16777619
	}
	return h
}

// RiskProfile is the risk profile report: the heat maps, then tables.
type RiskProfile struct {
	Title    string
	Subtitle string // institution, date
	Lines    []string
	Maps     []HeatMap
	Sections []ProfileSection
	Footer   string
	// PageLabel and OfLabel make "Pagina 1 din 3".
	PageLabel, OfLabel string
}

// ProfileSection is one table of the profile.
type ProfileSection struct {
	Title   string
	Columns []string
	Widths  []float64
	Rows    [][]string
	Empty   string // printed when there are no rows
}

const profileMargin = 12 // mm

// WriteRiskProfilePDF writes the profile on A4 portrait pages: the title on
// every page, the heat maps two by two drawn as rectangles with their
// counts, then each section as a table.
func WriteRiskProfilePDF(w io.Writer, p RiskProfile) error {
	doc := &pdfDoc{Fpdf: newPDF("P")}
	doc.SetTitle(oneLine(p.Title), true)
	doc.SetMargins(profileMargin, profileMargin, profileMargin)
	doc.SetAutoPageBreak(true, 14)
	doc.SetHeaderFunc(func() {
		doc.SetXY(profileMargin, profileMargin)
		doc.SetFont(pdfFont, "B", 13)
		doc.printLines(oneLine(p.Title), 6, 2)
		doc.SetFont(pdfFont, "", 9)
		doc.SetTextColor(80, 80, 80)
		doc.printLines(cleanPrintText(p.Subtitle), 4.5, 2)
		doc.SetTextColor(0, 0, 0)
		doc.Ln(2)
		doc.bodyTop = doc.GetY()
	})
	doc.SetFooterFunc(func() { doc.tableFooter(PDFTable{Footer: p.Footer, PageLabel: p.PageLabel, OfLabel: p.OfLabel}) })
	doc.AddPage()
	doc.SetFont(pdfFont, "", 9)
	for _, l := range p.Lines {
		doc.printLines(cleanPrintText(l), 4.5, 4)
	}
	doc.Ln(2)
	pageW, _ := doc.GetPageSize()
	colW := (pageW - 2*profileMargin - 6) / 2
	for k := 0; k < len(p.Maps); k += 2 {
		hmax := 0.0
		doc.keepTogether(mapHeight(p.Maps[k], colW))
		y := doc.GetY()
		for j := k; j < k+2 && j < len(p.Maps); j++ {
			x := profileMargin + float64(j-k)*(colW+6)
			hmax = max(hmax, doc.heatMap(x, y, colW, p.Maps[j]))
		}
		doc.SetXY(profileMargin, y+hmax+4)
	}
	for _, sec := range p.Sections {
		doc.keepTogether(20)
		doc.SetFont(pdfFont, "B", 11)
		doc.printLines(oneLine(sec.Title), 6, 2)
		doc.Ln(1)
		if len(sec.Rows) == 0 {
			doc.SetFont(pdfFont, "", 9)
			doc.printLines(cleanPrintText(sec.Empty), 4.5, 3)
			doc.Ln(3)
			continue
		}
		g := &pdfGrid{doc: doc, widths: scaleWidths(sec.Widths, len(sec.Columns), pageW-2*profileMargin), header: cleanCells(sec.Columns), fontSize: 8, lineH: 3.6}
		g.drawHeader()
		for _, row := range sec.Rows {
			g.drawRow(cleanCells(row))
		}
		doc.Ln(4)
	}
	if err := doc.Output(w); err != nil {
		return fmt.Errorf("cannot write risk profile: %w", err)
	}
	return nil
}

func mapHeight(h HeatMap, w float64) float64 {
	n := float64(max(1, h.size()))
	cell := (w - 24) / n
	return 8 + n*cell + 16
}

// heatMap draws h at (x, y) in width w and returns its height.
func (d *pdfDoc) heatMap(x, y, w float64, h HeatMap) float64 {
	n := h.size()
	if n == 0 {
		return 0
	}
	const labelW = 24.0
	cell := (w - labelW) / float64(n)
	d.SetFont(pdfFont, "B", 10)
	d.SetXY(x, y)
	d.CellFormat(w, 6, oneLine(h.Title), "", 0, "L", false, 0, "")
	top := y + 8
	d.SetLineWidth(0.4)
	d.SetDrawColor(255, 255, 255)
	for p := n; p >= 1; p-- {
		cy := top + float64(n-p)*cell
		d.SetFont(pdfFont, "", 6.5)
		d.SetXY(x, cy+cell/2-2)
		d.CellFormat(labelW-1, 4, strconv.Itoa(p)+" "+clipLabel(at1(h.RowLabels, p), 14), "", 0, "R", false, 0, "")
		for i := 1; i <= n; i++ {
			cx := x + labelW + float64(i-1)*cell
			r, g, b := rgb(h.at(h.Colors, p-1, i-1))
			d.SetFillColor(r, g, b)
			d.Rect(cx, cy, cell, cell, "FD")
			count := 0
			if p-1 < len(h.Counts) && i-1 < len(h.Counts[p-1]) {
				count = h.Counts[p-1][i-1]
			}
			style := ""
			if count > 0 {
				style = "B"
			}
			d.SetFont(pdfFont, style, 11)
			d.SetXY(cx, cy+cell/2-3)
			d.CellFormat(cell, 6, strconv.Itoa(count), "", 0, "C", false, 0, "")
			d.SetFont(pdfFont, "", 5.5)
			d.SetTextColor(70, 70, 70)
			d.SetXY(cx, cy+0.5)
			d.CellFormat(cell-1, 3, strconv.Itoa(p*i), "", 0, "R", false, 0, "")
			d.SetTextColor(0, 0, 0)
		}
	}
	d.SetDrawColor(0, 0, 0)
	d.SetLineWidth(0.2)
	base := top + float64(n)*cell
	d.SetFont(pdfFont, "", 6.5)
	for i := 1; i <= n; i++ {
		cx := x + labelW + float64(i-1)*cell
		d.SetXY(cx, base+0.5)
		d.CellFormat(cell, 3, strconv.Itoa(i)+" "+clipLabel(at1(h.ColLabels, i), 12), "", 0, "C", false, 0, "")
	}
	d.SetFont(pdfFont, "B", 7.5)
	d.SetXY(x+labelW, base+4)
	d.CellFormat(w-labelW, 4, h.ColsLabel+" →   ↑ "+h.RowsLabel, "", 0, "C", false, 0, "")
	hgt := base + 8 - y
	if h.Note != "" {
		d.SetFont(pdfFont, "", 7)
		d.SetXY(x, base+8)
		d.MultiCell(w, 3.2, cleanPrintText(h.Note), "", "L", false)
		hgt = d.GetY() - y
	}
	return hgt
}

func rgb(hex string) (int, int, int) {
	if len(hex) != 7 || hex[0] != '#' {
		return 238, 238, 238
	}
	v, err := strconv.ParseUint(hex[1:], 16, 32)
	if err != nil {
		return 238, 238, 238
	}
	return int(v >> 16 & 0xff), int(v >> 8 & 0xff), int(v & 0xff)
}
