package report

import (
	"archive/zip"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// CaseReport is a report on one record, such as a nonconformity report
// (raport de neconformitate): a title, the institution, and sections of
// fields, written text and tables, with a sign-off table at the end. The
// same report prints to PDF (WriteCaseReportPDF) and to DOCX
// (WriteCaseReportDOCX), for people who complete it by hand.
type CaseReport struct {
	Institution string
	Title       string
	Subtitle    string // the code and the state, say
	Sections    []ReportSection
	Footer      string
	PageLabel   string // "Pagina"
	OfLabel     string // "din"
}

// ReportSection is one part of a case report: a heading with, in order,
// label–value fields, a text and a table (each optional).
type ReportSection struct {
	Heading string
	Fields  [][2]string
	Text    string
	Table   *ReportTable
}

// ReportTable is a bordered table of a case report.
type ReportTable struct {
	Columns []string
	Widths  []float64 // relative; equal when they do not match the columns
	Rows    [][]string
}

const caseMargin = 15 // mm, all sides of the portrait page

// WriteCaseReportPDF writes r on A4 portrait pages with DejaVu Sans, so
// every Romanian letter prints: the institution and title on the first
// page, each section's heading kept with what follows, tables whose rows
// break across pages with their header repeated, and "Pagina X din Y".
func WriteCaseReportPDF(w io.Writer, r CaseReport) error {
	return writeCaseReportPDF(w, r, portraitReport)
}

// reportLayout is what differs between the portrait case report and its
// landscape variant for wide tables.
type reportLayout struct {
	orientation     string  // "P" or "L"
	margin, breakAt float64 // mm: page margins, bottom margin of the page break
	footerUp        float64 // mm from the page's bottom edge to the footer rule
	titleGap, keep  float64 // space under the title; height a heading keeps with it
	valueWidth      float64 // relative width of a field's value column (the label's is 1)
	align           string  // alignment of the sections' text
}

var (
	portraitReport  = reportLayout{orientation: "P", margin: caseMargin, breakAt: 16, footerUp: 12, titleGap: 2, keep: 22, valueWidth: 2.2, align: "J"}
	landscapeReport = reportLayout{orientation: "L", margin: tableMargin, breakAt: 14, footerUp: 10, titleGap: 1, keep: 20, valueWidth: 3, align: "L"}
)

func writeCaseReportPDF(w io.Writer, r CaseReport, l reportLayout) error {
	d := &pdfDoc{Fpdf: newPDF(l.orientation)}
	d.SetTitle(oneLine(r.Title), true)
	d.SetMargins(l.margin, l.margin, l.margin)
	d.SetAutoPageBreak(true, l.breakAt)
	d.SetHeaderFunc(func() {
		d.SetY(l.margin)
		d.bodyTop = d.GetY()
	})
	d.SetFooterFunc(func() {
		pageW, pageH := d.GetPageSize()
		y := pageH - l.footerUp
		d.SetDrawColor(160, 160, 160)
		d.Line(l.margin, y, pageW-l.margin, y)
		d.SetFont(pdfFont, "", 7.5)
		d.SetTextColor(80, 80, 80)
		d.SetXY(l.margin, y+0.5)
		d.CellFormat(pageW-2*l.margin-45, 4, oneLine(r.Footer), "", 0, "L", false, 0, "")
		d.CellFormat(45, 4, pageOf(d.Fpdf, r.PageLabel, r.OfLabel), "", 0, "L", false, 0, "")
		d.SetTextColor(0, 0, 0)
		d.SetDrawColor(0, 0, 0)
	})
	d.AddPage()
	pageW, _ := d.GetPageSize()
	textW := pageW - 2*l.margin
	d.SetFont(pdfFont, "", 9)
	d.SetTextColor(80, 80, 80)
	d.MultiCell(textW, 4.5, cleanPrintText(r.Institution), "", "L", false)
	d.SetTextColor(0, 0, 0)
	d.Ln(l.titleGap)
	d.SetFont(pdfFont, "B", 14)
	d.MultiCell(textW, 6.5, oneLine(r.Title), "", "C", false)
	if r.Subtitle != "" {
		d.SetFont(pdfFont, "", 10)
		d.MultiCell(textW, 5, oneLine(r.Subtitle), "", "C", false)
	}
	d.Ln(3)
	d.bodyTop = d.GetY()
	for _, s := range r.Sections {
		d.keepTogether(l.keep)
		d.SetFont(pdfFont, "B", 11)
		d.SetFillColor(221, 230, 240)
		d.MultiCell(textW, 6, oneLine(s.Heading), "", "L", true)
		d.Ln(1)
		if len(s.Fields) > 0 {
			g := &pdfGrid{doc: d, widths: scaleWidths([]float64{1, l.valueWidth}, 2, textW), fontSize: 9, lineH: 4.2}
			for _, f := range s.Fields {
				g.drawRow(cleanCells([]string{f[0], f[1]}))
			}
			d.Ln(1.5)
		}
		if t := cleanPrintText(s.Text); t != "" {
			d.SetFont(pdfFont, "", 9.5)
			for _, blk := range Blocks(t) {
				text := blk.Text
				if blk.Bullet {
					text = "• " + text
				}
				d.MultiCell(textW, 4.6, text, "", l.align, false)
			}
			d.Ln(1.5)
		}
		if s.Table != nil && len(s.Table.Rows) > 0 {
			g := &pdfGrid{doc: d, widths: scaleWidths(s.Table.Widths, len(s.Table.Columns), textW), header: cleanCells(s.Table.Columns), fontSize: 8.5, lineH: 4}
			g.drawHeader()
			for _, row := range s.Table.Rows {
				g.drawRow(cleanCells(row))
			}
			d.Ln(2)
		}
		d.Ln(1)
	}
	if err := d.Output(w); err != nil {
		return fmt.Errorf("cannot write report PDF: %w", err)
	}
	return nil
}

// WriteCaseReportDOCX writes r as a Word document with the content of the
// PDF, for people who complete or sign it on paper.
func WriteCaseReportDOCX(w io.Writer, r CaseReport) error {
	return writeCaseReportDOCX(w, r, docxPortrait)
}

// WriteLandscapeReportDOCX writes r like WriteCaseReportDOCX, on A4
// landscape pages with its tables as wide as the page.
func WriteLandscapeReportDOCX(w io.Writer, r CaseReport) error {
	return writeCaseReportDOCX(w, r, docxLandscape)
}

// docxLayout is a case report's page: its size, the width of its text and
// the share of a field's label.
type docxLayout struct {
	w, h, textW int
	landscape   bool
	fields      []float64
}

var (
	docxPortrait  = docxLayout{w: docxPageW, h: docxPageH, textW: docxTextW, fields: []float64{1, 2.2}}
	docxLandscape = docxLayout{w: docxPageH, h: docxPageW, textW: docxPageH - 2*docxMargin, landscape: true, fields: []float64{1, 3}}
)

// twips scales relative widths to n columns filling the layout's text.
func (l docxLayout) twips(rel []float64, n int) []int {
	mm := scaleWidths(rel, n, float64(l.textW))
	out := make([]int, n)
	for i, w := range mm {
		out[i] = int(w)
	}
	return out
}

func writeCaseReportDOCX(w io.Writer, r CaseReport, l docxLayout) error {
	parts := []struct{ name, body string }{
		{"[Content_Types].xml", docxContentTypes(false)},
		{"_rels/.rels", docxRootRels},
		{"docProps/core.xml", caseCore(r)},
		{"docProps/app.xml", docxApp},
		{"word/_rels/document.xml.rels", docxDocumentRels(false)},
		{"word/document.xml", caseDocument(r, l)},
		{"word/styles.xml", docxStyles},
		{"word/settings.xml", docxSettings},
		{"word/numbering.xml", docxNumbering},
		{"word/footer1.xml", caseFooter(r, l)},
	}
	zw := zip.NewWriter(w)
	for _, part := range parts {
		f, err := zw.CreateHeader(&zip.FileHeader{Name: part.name, Method: zip.Deflate})
		if err != nil {
			return fmt.Errorf("cannot add DOCX part %s: %w", part.name, err)
		}
		if _, err := io.WriteString(f, part.body); err != nil {
			return fmt.Errorf("cannot write DOCX part %s: %w", part.name, err)
		}
	}
	if err := zw.Close(); err != nil {
		return fmt.Errorf("cannot write DOCX: %w", err)
	}
	return nil
}

func caseDocument(r CaseReport, l docxLayout) string {
	var b strings.Builder
	b.WriteString(docxXMLDecl + `<w:document ` + wNS + `><w:body>`)
	b.WriteString(wPara(``, wRun(r.Institution, `<w:color w:val="505050"/>`)))
	b.WriteString(wPara(`<w:jc w:val="center"/><w:spacing w:before="120" w:after="60"/>`, wRun(oneLine(r.Title), `<w:b/><w:sz w:val="28"/>`)))
	if r.Subtitle != "" {
		b.WriteString(wPara(`<w:jc w:val="center"/>`, wRun(oneLine(r.Subtitle), "")))
	}
	for i, s := range r.Sections {
		b.WriteString(wHeading(i, s.Heading))
		if len(s.Fields) > 0 {
			widths := l.twips(l.fields, 2)
			rows := make([]string, 0, len(s.Fields))
			for _, f := range s.Fields {
				rows = append(rows, wTextRow(false, widths, []string{f[0], f[1]}, `<w:sz w:val="18"/>`))
			}
			b.WriteString(wTable(widths, rows))
			b.WriteString(wPara(wTight, ""))
		}
		for _, blk := range Blocks(s.Text) {
			ppr := `<w:jc w:val="both"/>`
			if blk.Bullet {
				ppr = `<w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr>` + ppr
			}
			b.WriteString(wPara(ppr, wRun(blk.Text, "")))
		}
		if s.Table != nil && len(s.Table.Rows) > 0 {
			widths := l.twips(s.Table.Widths, len(s.Table.Columns))
			rows := []string{wTextRow(true, widths, s.Table.Columns, `<w:b/><w:sz w:val="18"/>`)}
			for _, row := range s.Table.Rows {
				rows = append(rows, wTextRow(false, widths, row, `<w:sz w:val="18"/>`))
			}
			b.WriteString(wTable(widths, rows))
			b.WriteString(wPara(wTight, ""))
		}
	}
	orient := ""
	if l.landscape {
		orient = ` w:orient="landscape"`
	}
	b.WriteString(`<w:sectPr>` +
		`<w:footerReference w:type="default" r:id="rIdFooter1"/>` +
		`<w:pgSz w:w="` + strconv.Itoa(l.w) + `" w:h="` + strconv.Itoa(l.h) + `"` + orient + `/>` +
		`<w:pgMar w:top="` + strconv.Itoa(docxMargin) + `" w:right="` + strconv.Itoa(docxMargin) +
		`" w:bottom="` + strconv.Itoa(docxMargin) + `" w:left="` + strconv.Itoa(docxMargin) +
		`" w:header="567" w:footer="567" w:gutter="0"/>` +
		`</w:sectPr></w:body></w:document>`)
	return b.String()
}

func caseFooter(r CaseReport, l docxLayout) string {
	page, of := r.PageLabel, r.OfLabel
	if page == "" {
		page = "Pagina"
	}
	if of == "" {
		of = "din"
	}
	rpr := `<w:sz w:val="16"/><w:color w:val="505050"/>`
	return docxXMLDecl + `<w:ftr ` + wNS + `>` +
		wPara(`<w:tabs><w:tab w:val="right" w:pos="`+strconv.Itoa(l.textW)+`"/></w:tabs>`,
			wRun(oneLine(r.Footer), rpr)+`<w:r><w:rPr>`+rpr+`</w:rPr><w:tab/></w:r>`+wRun(page+" ", rpr)+wField("PAGE", "1", rpr, false)+
				wRun(" "+of+" ", rpr)+wField("NUMPAGES", "1", rpr, false)) +
		`</w:ftr>`
}

func caseCore(r CaseReport) string {
	return docxXMLDecl + `<cp:coreProperties ` +
		`xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" ` +
		`xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" ` +
		`xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">` +
		`<dc:title>` + xmlText(oneLine(r.Title)) + `</dc:title>` +
		`<dc:subject>` + xmlText(oneLine(r.Subtitle)) + `</dc:subject>` +
		`<dc:creator>Cadran</dc:creator>` +
		`<dc:language>ro-RO</dc:language>` +
		`</cp:coreProperties>`
}
