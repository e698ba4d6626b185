package report

import (
	"fmt"
	"io"
	"strconv"

	"codeberg.org/go-pdf/fpdf"
)

// PDFTable is a simple landscape list report, such as the master list of
// documents. (The name Table is taken by the XLSX export.)
type PDFTable struct {
	Title     string
	Subtitle  string    // e.g. institution name and date
	Columns   []string  // header cells; when empty, the rows are printed without a header
	Widths    []float64 // relative widths, one per column; equal when nil or invalid
	Rows      [][]string
	Footer    string
	PageLabel string // "Pagina"
	OfLabel   string // "din"
}

// WriteTablePDF writes t on A4 landscape pages: the title and subtitle on
// every page, the column headers repeated after each page break, rows as
// tall as their longest wrapped cell, and the footer with "Pagina X din Y".
// A row with more cells than there are columns is an error rather than
// losing data; a shorter row is padded.
func WriteTablePDF(w io.Writer, t PDFTable) error {
	ncol := len(t.Columns)
	for i, row := range t.Rows {
		switch {
		case len(t.Columns) == 0:
			ncol = max(ncol, len(row))
		case len(row) > len(t.Columns):
			return fmt.Errorf("cannot write table PDF: row %d has %d cells for %d columns", i+1, len(row), len(t.Columns))
		}
	}

	doc := &pdfDoc{Fpdf: newPDF("L")}
	doc.SetTitle(oneLine(t.Title), true)
	doc.SetMargins(tableMargin, tableMargin, tableMargin)
	doc.SetAutoPageBreak(true, 14)
	doc.SetHeaderFunc(func() { doc.tableHeader(t) })
	doc.SetFooterFunc(func() { doc.tableFooter(t) })

	pageW, _ := doc.GetPageSize()
	g := &pdfGrid{
		doc:      doc,
		widths:   scaleWidths(t.Widths, ncol, pageW-2*tableMargin),
		header:   cleanCells(t.Columns),
		fontSize: 8,
		lineH:    3.6,
	}
	doc.AddPage()
	g.drawHeader()
	for _, row := range t.Rows {
		g.drawRow(cleanCells(row))
	}
	if err := doc.Output(w); err != nil {
		return fmt.Errorf("cannot write table PDF: %w", err)
	}
	return nil
}

const tableMargin = 10 // mm, all sides of the landscape list

// tableHeader prints the title and subtitle at the top of every page.
func (d *pdfDoc) tableHeader(t PDFTable) {
	d.SetXY(tableMargin, tableMargin)
	d.SetTextColor(0, 0, 0)
	d.SetFont(pdfFont, "B", 13)
	d.printLines(oneLine(t.Title), 6, 2)
	d.SetFont(pdfFont, "", 9)
	d.SetTextColor(80, 80, 80)
	d.printLines(cleanPrintText(t.Subtitle), 4.5, 3)
	d.SetTextColor(0, 0, 0)
	d.Ln(3)
	d.bodyTop = d.GetY()
}

// printLines prints text wrapped to the page width in the current font, at
// most maxLines lines: the title is repeated on every page and must leave room
// for the rows however long it is.
func (d *pdfDoc) printLines(text string, lineH float64, maxLines int) {
	lm, _, rm, _ := d.GetMargins()
	pageW, _ := d.GetPageSize()
	lines := d.SplitText(text, pageW-lm-rm)
	if len(lines) > maxLines {
		lines = lines[:maxLines]
		lines[maxLines-1] += "…"
	}
	for _, line := range lines {
		d.SetX(lm)
		d.CellFormat(0, lineH, line, "", 1, "L", false, 0, "")
	}
}

// tableFooter prints the footer text at the left and the page number at the
// right of every page.
func (d *pdfDoc) tableFooter(t PDFTable) {
	pageW, pageH := d.GetPageSize()
	y := pageH - 10
	d.SetDrawColor(160, 160, 160)
	d.Line(tableMargin, y, pageW-tableMargin, y)
	d.SetFont(pdfFont, "", 7.5)
	d.SetTextColor(80, 80, 80)
	const pageCellW = 45
	d.SetXY(tableMargin, y+0.5)
	d.CellFormat(pageW-2*tableMargin-pageCellW, 4, oneLine(t.Footer), "", 0, "L", false, 0, "")
	// Left-aligned in a fixed cell: the width of the total is unknown
	// until the alias is replaced, so right alignment would drift.
	d.CellFormat(pageCellW, 4, pageOf(d.Fpdf, t.PageLabel, t.OfLabel), "", 0, "L", false, 0, "")
	d.SetTextColor(0, 0, 0)
	d.SetDrawColor(0, 0, 0)
}

// pageOf is "Pagina 3 din {nb}", with the total filled in when the document
// is closed.
func pageOf(pdf *fpdf.Fpdf, page, of string) string {
	if page == "" {
		page = "Pagina"
	}
	if of == "" {
		of = "din"
	}
	return page + " " + strconv.Itoa(pdf.PageNo()) + " " + of + " " + totalPagesAlias
}

// scaleWidths turns relative widths into millimetres filling total. Widths
// that do not match the columns, or are not all positive, give equal
// columns instead of a broken layout.
func scaleWidths(rel []float64, n int, total float64) []float64 {
	out := make([]float64, n)
	sum := 0.0
	valid := len(rel) == n
	for _, r := range rel {
		if !(r > 0) { // also catches NaN
			valid = false
		}
		sum += r
	}
	for i := range out {
		if valid {
			out[i] = total * rel[i] / sum
		} else {
			out[i] = total / float64(n)
		}
	}
	return out
}

// cleanCells applies cleanPrintText to every cell.
func cleanCells(cells []string) []string {
	out := make([]string, len(cells))
	for i, c := range cells {
		out[i] = cleanPrintText(c)
	}
	return out
}

// pdfGrid draws a bordered table. fpdf has no table layout of its own: a
// row is as tall as its cell with the most wrapped lines, moves to the next
// page when it does not fit, and a row taller than a page is split across
// pages. The header row is repeated on each page the table continues on.
type pdfGrid struct {
	doc      *pdfDoc
	widths   []float64 // mm
	header   []string  // nil for no header row
	align    []string  // per column "L" (default) or "C"
	fontSize float64   // pt
	lineH    float64   // mm
}

const gridPadY = 0.8 // mm above and below the text of a cell

func (g *pdfGrid) drawHeader() {
	if len(g.header) == 0 {
		return
	}
	g.draw(g.header, true)
}

func (g *pdfGrid) drawRow(cells []string) {
	g.draw(cells, false)
}

// draw prints one row, splitting it across pages when it must.
func (g *pdfGrid) draw(cells []string, isHeader bool) {
	d := g.doc
	lines := g.wrap(cells, isHeader)
	n := 1
	for _, l := range lines {
		n = max(n, len(l))
	}
	// fresh: the page holds nothing of the table yet but its header row, so
	// breaking again would not help; print what fits and go on. A row taller
	// than any page starts at once where a few lines still fit.
	fresh := d.GetY() <= d.bodyTop+0.01
	tooTall := n > 3 && n > g.linesPerPage()
	for first := 0; first < n; {
		room := int((d.bottom() - d.GetY() - 2*gridPadY) / g.lineH)
		if room < n-first && !fresh && !(tooTall && room >= 3) {
			// Start the row, or the rest of it, on a new page.
			d.AddPage()
			if !isHeader {
				g.drawHeader()
			}
			fresh = true
			continue
		}
		take := min(n-first, max(room, 1))
		g.drawChunk(lines, first, take, isHeader)
		first += take
		fresh = false
	}
}

// linesPerPage is how many lines of a row fit on a page below the header row.
func (g *pdfGrid) linesPerPage() int {
	h := g.doc.bottom() - g.doc.bodyTop - 2*gridPadY
	if len(g.header) > 0 {
		hl := 1
		for _, l := range g.wrap(g.header, true) {
			hl = max(hl, len(l))
		}
		h -= float64(hl)*g.lineH + 2*gridPadY
	}
	return int(h / g.lineH)
}

// wrap splits each cell into the lines that fit its column.
func (g *pdfGrid) wrap(cells []string, isHeader bool) [][]string {
	g.setFont(isHeader)
	lines := make([][]string, len(g.widths))
	for i, w := range g.widths {
		if i < len(cells) && cells[i] != "" {
			lines[i] = g.doc.SplitText(cells[i], w)
		}
	}
	return lines
}

// drawChunk prints lines [first, first+take) of every cell as one bordered
// band and moves below it.
func (g *pdfGrid) drawChunk(lines [][]string, first, take int, isHeader bool) {
	d := g.doc
	lm, _, _, _ := d.GetMargins()
	x, y := lm, d.GetY()
	h := float64(take)*g.lineH + 2*gridPadY
	// The band was measured to fit; fpdf's own page break must not cut
	// through it on a rounding error.
	auto, margin := d.GetAutoPageBreak()
	d.SetAutoPageBreak(false, margin)
	defer d.SetAutoPageBreak(auto, margin)
	g.setFont(isHeader)
	d.SetFillColor(221, 230, 240) // the header colour of the XLSX export
	d.SetDrawColor(0, 0, 0)
	d.SetLineWidth(0.2)
	for i, w := range g.widths {
		style := "D"
		if isHeader {
			style = "FD"
		}
		d.Rect(x, y, w, h, style)
		align := "L"
		if i < len(g.align) && g.align[i] != "" {
			align = g.align[i]
		}
		for j := first; j < first+take && j < len(lines[i]); j++ {
			d.SetXY(x, y+gridPadY+float64(j-first)*g.lineH)
			d.CellFormat(w, g.lineH, lines[i][j], "", 0, align, false, 0, "")
		}
		x += w
	}
	d.SetXY(lm, y+h)
}

func (g *pdfGrid) setFont(bold bool) {
	style := ""
	if bold {
		style = "B"
	}
	g.doc.SetFont(pdfFont, style, g.fontSize)
	g.doc.SetTextColor(0, 0, 0)
}
