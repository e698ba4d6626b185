package report

import (
	"archive/zip"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// The inventory of sensitive functions (the functions, the people in them,
// the plan of measures) and procedure coverage are wide tables: they print
// on A4 landscape pages, in PDF (WriteLandscapeReportPDF) and in DOCX
// (WriteLandscapeReportDOCX) for the quality office to edit and sign.

const (
	docxLandW     = docxPageH
	docxLandH     = docxPageW
	docxLandTextW = docxLandW - 2*docxMargin
)

// WriteLandscapeReportDOCX writes r like WriteCaseReportDOCX, on A4
// landscape pages with its tables as wide as the page.
func WriteLandscapeReportDOCX(w io.Writer, r CaseReport) error {
	parts := []struct{ name, body string }{
		{"[Content_Types].xml", docxContentTypes(false)},
		{"_rels/.rels", docxRootRels},
		{"docProps/core.xml", caseCore(r)},
		{"docProps/app.xml", docxApp},
		{"word/_rels/document.xml.rels", docxDocumentRels(false)},
		{"word/document.xml", landscapeDocument(r)},
		{"word/styles.xml", docxStyles},
		{"word/settings.xml", docxSettings},
		{"word/numbering.xml", docxNumbering},
		{"word/footer1.xml", caseFooter(r)},
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

func landTwips(rel []float64, n int) []int {
	mm := scaleWidths(rel, n, docxLandTextW)
	out := make([]int, n)
	for i, w := range mm {
		out[i] = int(w)
	}
	return out
}

func landscapeDocument(r CaseReport) string {
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
			widths := landTwips([]float64{1, 3}, 2)
			rows := make([]string, 0, len(s.Fields))
			for _, f := range s.Fields {
				rows = append(rows, wTextRow(false, widths, []string{f[0], f[1]}, `<w:sz w:val="18"/>`))
			}
			b.WriteString(wTable(widths, rows))
			b.WriteString(wPara(wTight, ""))
		}
		for _, blk := range Blocks(s.Text) {
			b.WriteString(wPara(`<w:jc w:val="both"/>`, wRun(blk.Text, "")))
		}
		if s.Table != nil && len(s.Table.Rows) > 0 {
			widths := landTwips(s.Table.Widths, len(s.Table.Columns))
			rows := []string{wTextRow(true, widths, s.Table.Columns, `<w:b/><w:sz w:val="18"/>`)}
			for _, row := range s.Table.Rows {
				rows = append(rows, wTextRow(false, widths, row, `<w:sz w:val="18"/>`))
			}
			b.WriteString(wTable(widths, rows))
			b.WriteString(wPara(wTight, ""))
		}
	}
	b.WriteString(`<w:sectPr>` +
		`<w:footerReference w:type="default" r:id="rIdFooter1"/>` +
		`<w:pgSz w:w="` + strconv.Itoa(docxLandW) + `" w:h="` + strconv.Itoa(docxLandH) + `" w:orient="landscape"/>` +
		`<w:pgMar w:top="` + strconv.Itoa(docxMargin) + `" w:right="` + strconv.Itoa(docxMargin) +
		`" w:bottom="` + strconv.Itoa(docxMargin) + `" w:left="` + strconv.Itoa(docxMargin) +
		`" w:header="567" w:footer="567" w:gutter="0"/>` +
		`</w:sectPr></w:body></w:document>`)
	return b.String()
}
