package report

import (
	"fmt"
	"io"
	"strconv"
)

// Page geometry of a procedure, A4 portrait, in millimetres.
const (
	procMargin    = 15 // left and right
	procTop       = 10
	procBottom    = 18 // leaves room for the footer line
	procBodyLineH = 5  // body text at 10 pt
)

// Relative column widths of the three fixed tables, chosen so that the
// OSGG header texts wrap on two or three lines.
var (
	signOffWidths      = []float64{11, 44, 34, 32, 23, 36}
	revisionWidths     = []float64{12, 42, 38, 48, 40}
	distributionWidths = []float64{9, 24, 18, 28, 24, 28, 22, 27}
)

// WriteProcedurePDF writes p as an A4 PDF in the OSGG 600 layout: the header
// box on every page, the table of contents and sections 1 to 3 as tables,
// then p.Sections, and the draft mark on every page of a draft.
func WriteProcedurePDF(w io.Writer, p Procedure) error {
	l := p.labels()
	d := &procPDF{pdfDoc: pdfDoc{Fpdf: newPDF("P")}, p: p, l: l}
	d.SetTitle(oneLine(p.Title), true)
	d.SetSubject(oneLine(p.Code), true)
	d.SetMargins(procMargin, procTop, procMargin)
	d.SetAutoPageBreak(true, procBottom)
	d.SetHeaderFunc(d.pageHeader)
	d.SetFooterFunc(d.pageFooter)

	d.AddPage()
	d.contents()
	d.fixedTable(0, l.SignOffTitle, l.SignOffCols[:], signOffWidths, signOffRows(p.SignOffs), 8)
	d.fixedTable(1, l.RevisionTitle, l.RevisionCols[:], revisionWidths, revisionRows(p.Revisions), 8)
	d.fixedTable(2, l.DistributionTitle, l.DistributionCols[:], distributionWidths, distributionRows(p.Distribution), 7)
	for i, s := range p.Sections {
		d.section(fixedSections+i, s)
	}
	if err := d.Output(w); err != nil {
		return fmt.Errorf("cannot write procedure PDF: %w", err)
	}
	return nil
}

// procPDF is the document being written and what it prints.
type procPDF struct {
	pdfDoc
	p Procedure
	l ProcedureLabels
}

// pageHeader draws the header box (institution | kind and title | code,
// edition, revision, copy, page) and, on a draft, the draft mark below it.
func (d *procPDF) pageHeader() {
	pageW, _ := d.GetPageSize()
	width := pageW - 2*procMargin
	cols := []float64{width * 0.3, width * 0.42, width * 0.28}
	const pad, lineH = 1.2, 3.8

	// Capped, so that an overlong title cannot push the body off the page.
	left := clampLines(d.headerLeft(cols[0]), maxHeaderLines)
	middle := clampLines(d.headerMiddle(cols[1]), maxHeaderLines)
	right := clampLines(d.headerRight(cols[2]), maxHeaderLines)
	n := max(len(left), len(middle), len(right), 1)
	h := float64(n)*lineH + 2*pad

	x, y := float64(procMargin), float64(procTop)
	d.SetDrawColor(0, 0, 0)
	d.SetLineWidth(0.3)
	d.SetTextColor(0, 0, 0)
	for i, lines := range [][]headerLine{left, middle, right} {
		d.Rect(x, y, cols[i], h, "D")
		top := y + pad
		if i == 1 { // kind and title centred vertically
			top += float64(n-len(lines)) * lineH / 2
		}
		for j, hl := range lines {
			d.SetFont(pdfFont, hl.style, 8)
			d.SetXY(x, top+float64(j)*lineH)
			d.CellFormat(cols[i], lineH, hl.text, "", 0, hl.align, false, 0, "")
		}
		x += cols[i]
	}
	d.SetLineWidth(0.2)
	d.SetXY(procMargin, y+h+2)
	if d.p.Draft {
		d.draftMark()
	}
	d.Ln(2)
	d.bodyTop = d.GetY()
}

// maxHeaderLines is the most lines a column of the header box shows.
const maxHeaderLines = 10

// clampLines keeps the first n lines, ending the last with "…" when some
// were dropped.
func clampLines(lines []headerLine, n int) []headerLine {
	if len(lines) <= n {
		return lines
	}
	lines = lines[:n]
	lines[n-1].text += "…"
	return lines
}

// headerLine is one printed line of the header box.
type headerLine struct {
	text, style, align string
}

// wrapLines splits text to the width w in the given style, one headerLine
// per printed line.
func (d *procPDF) wrapLines(text, style, align string, w float64) []headerLine {
	d.SetFont(pdfFont, style, 8)
	var out []headerLine
	for _, line := range d.SplitText(text, w) {
		out = append(out, headerLine{line, style, align})
	}
	return out
}

func (d *procPDF) headerLeft(w float64) []headerLine {
	var out []headerLine
	for _, h := range d.p.Header {
		out = append(out, d.wrapLines(oneLine(h), "B", "L", w)...)
	}
	if u := oneLine(d.p.Unit); u != "" {
		out = append(out, d.wrapLines(d.l.Unit+": "+u, "", "L", w)...)
	}
	return out
}

func (d *procPDF) headerMiddle(w float64) []headerLine {
	out := d.wrapLines(oneLine(d.p.Kind), "B", "C", w)
	return append(out, d.wrapLines(oneLine(d.p.Title), "B", "C", w)...)
}

func (d *procPDF) headerRight(w float64) []headerLine {
	fields := []string{
		d.l.Code + ": " + oneLine(d.p.Code),
		d.l.Edition + ": " + oneLine(d.p.Edition),
		d.l.Revision + ": " + oneLine(d.p.Revision),
		// Printed even when empty: the copy number is then written by hand.
		d.l.CopyNo + ": " + oneLine(d.p.Copy),
	}
	if c := oneLine(d.p.Copies); c != "" {
		fields = append(fields, d.l.Copies+": "+c)
	}
	fields = append(fields, pageOf(d.Fpdf, d.l.Page, d.l.Of))
	var out []headerLine
	for _, f := range fields {
		out = append(out, d.wrapLines(f, "", "L", w)...)
	}
	return out
}

// draftMark prints the draft text in red under the header and, on the first
// page, the document state as well.
func (d *procPDF) draftMark() {
	d.SetTextColor(200, 0, 0)
	d.SetFont(pdfFont, "B", 12)
	d.MultiCell(0, 6, oneLine(d.l.DraftMark), "", "C", false)
	if s := d.p.draftState(d.l); s != "" && d.PageNo() == 1 {
		d.SetFont(pdfFont, "", 9)
		d.MultiCell(0, 4.5, s, "", "C", false)
	}
	d.SetTextColor(0, 0, 0)
}

// pageFooter prints p.Footer in small grey type above a rule.
func (d *procPDF) pageFooter() {
	pageW, pageH := d.GetPageSize()
	y := pageH - procBottom + 4
	d.SetDrawColor(160, 160, 160)
	d.Line(procMargin, y, pageW-procMargin, y)
	d.SetDrawColor(0, 0, 0)
	d.SetFont(pdfFont, "", 7)
	d.SetTextColor(90, 90, 90)
	d.SetXY(procMargin, y+0.8)
	lines := d.SplitText(oneLine(d.p.Footer), pageW-2*procMargin)
	for i, line := range lines[:min(len(lines), 2)] {
		d.SetXY(procMargin, y+0.8+float64(i)*3.2)
		d.CellFormat(pageW-2*procMargin, 3.2, line, "", 0, "L", false, 0, "")
	}
	d.SetTextColor(0, 0, 0)
}

// pageAlias stands for the page contents entry i starts on; the section
// registers the real number when it is printed and fpdf replaces the alias
// when the document is closed. All aliases have the same width, so the
// numbers that replace them line up, and are short enough never to wrap.
func pageAlias(i int) string {
	return fmt.Sprintf("{p%03d}", i)
}

// contents prints the table of contents: each entry with the page it
// starts on.
func (d *procPDF) contents() {
	d.heading(d.l.Contents)
	pageW, _ := d.GetPageSize()
	width := pageW - 2*procMargin
	g := &pdfGrid{
		doc:      &d.pdfDoc,
		widths:   []float64{width - 22, 22},
		align:    []string{"L", "C"},
		fontSize: 9,
		lineH:    4.2,
	}
	for i, text := range d.p.contents(d.l) {
		g.drawRow([]string{oneLine(text), pageAlias(i)})
	}
	d.Ln(4)
}

// fixedTable prints one of sections 1 to 3: its title and a table with the
// OSGG columns, empty but for the header when there are no rows.
func (d *procPDF) fixedTable(entry int, title string, cols []string, rel []float64, rows [][]string, fontSize float64) {
	pageW, _ := d.GetPageSize()
	g := &pdfGrid{
		doc:      &d.pdfDoc,
		widths:   scaleWidths(rel, len(cols), pageW-2*procMargin),
		header:   cleanCells(cols),
		align:    []string{"C"},
		fontSize: fontSize,
		lineH:    fontSize * 0.45,
	}
	// Keep the title with the table header and one row.
	d.keepTogether(24)
	d.markPage(entry)
	d.heading(title)
	g.drawHeader()
	for _, r := range rows {
		g.drawRow(cleanCells(r))
	}
	d.Ln(4)
}

// section prints a numbered heading and the body: justified paragraphs and
// indented bullet items.
func (d *procPDF) section(entry int, s Section) {
	d.keepTogether(8 + 2*procBodyLineH)
	d.markPage(entry)
	d.heading(s.heading())
	lm, _, _, _ := d.GetMargins()
	for _, b := range Blocks(s.Body) {
		d.SetFont(pdfFont, "", 10)
		if !b.Bullet {
			d.MultiCell(0, procBodyLineH, b.Text, "", "J", false)
			d.Ln(1.5)
			continue
		}
		// The bullet and the first line of its text must share a page.
		d.keepTogether(procBodyLineH)
		d.SetX(lm + 3)
		d.CellFormat(5, procBodyLineH, "•", "", 0, "L", false, 0, "")
		d.SetLeftMargin(lm + 8)
		d.SetX(lm + 8)
		d.MultiCell(0, procBodyLineH, b.Text, "", "J", false)
		d.SetLeftMargin(lm)
		d.SetX(lm)
		d.Ln(0.8)
	}
	d.Ln(3)
}

// heading prints a bold, possibly wrapped, section title.
func (d *procPDF) heading(text string) {
	d.SetFont(pdfFont, "B", 11)
	d.SetTextColor(0, 0, 0)
	d.MultiCell(0, 5.5, oneLine(text), "", "L", false)
	d.Ln(1.5)
}

// markPage records the current page as the start of contents entry i.
func (d *procPDF) markPage(i int) {
	d.RegisterAlias(pageAlias(i), strconv.Itoa(d.PageNo()))
}
