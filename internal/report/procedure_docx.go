package report

import (
	"archive/zip"
	"encoding/xml"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// WriteProcedureDOCX writes p as a Word document with the same content as
// the PDF: the header box (with PAGE and NUMPAGES fields) and the draft mark
// in the page header, the table of contents, sections 1 to 3 as bordered
// tables and the numbered sections. No Go DOCX library is mature, so the
// WordprocessingML is written here; the package holds only the parts Word
// and LibreOffice need.
func WriteProcedureDOCX(w io.Writer, p Procedure) error {
	l := p.labels()
	parts := []struct{ name, body string }{
		// [Content_Types].xml first, as the OPC convention has it.
		{"[Content_Types].xml", docxContentTypes(true)},
		{"_rels/.rels", docxRootRels},
		{"docProps/core.xml", docxCore(p)},
		{"docProps/app.xml", docxApp},
		{"word/_rels/document.xml.rels", docxDocumentRels(true)},
		{"word/document.xml", docxDocument(p, l)},
		{"word/styles.xml", docxStyles},
		{"word/settings.xml", docxSettings},
		{"word/numbering.xml", docxNumbering},
		{"word/header1.xml", docxHeader(p, l)},
		{"word/footer1.xml", docxFooter(p)},
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

// Page geometry in twentieths of a point: A4 with 2 cm margins.
const (
	docxPageW   = 11906
	docxPageH   = 16838
	docxMargin  = 1134
	docxTextW   = docxPageW - 2*docxMargin
	docxXMLDecl = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n"
	wNS         = `xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" ` +
		`xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"`
)

// docxDocument is word/document.xml: the body of the procedure.
func docxDocument(p Procedure, l ProcedureLabels) string {
	var b strings.Builder
	b.WriteString(docxXMLDecl + `<w:document ` + wNS + `><w:body>`)
	if s := p.draftState(l); s != "" {
		b.WriteString(wPara(`<w:jc w:val="center"/>`, wRun(s, `<w:color w:val="C00000"/>`)))
	}
	docxContents(&b, p, l)
	docxFixedTable(&b, 0, l.SignOffTitle, l.SignOffCols[:], signOffWidths, signOffRows(p.SignOffs), 18)
	docxFixedTable(&b, 1, l.RevisionTitle, l.RevisionCols[:], revisionWidths, revisionRows(p.Revisions), 18)
	docxFixedTable(&b, 2, l.DistributionTitle, l.DistributionCols[:], distributionWidths, distributionRows(p.Distribution), 16)
	for i, s := range p.Sections {
		b.WriteString(wHeading(fixedSections+i, s.heading()))
		for _, blk := range Blocks(s.Body) {
			ppr := `<w:jc w:val="both"/>`
			if blk.Bullet {
				ppr = `<w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr>` + ppr
			}
			b.WriteString(wPara(ppr, wRun(blk.Text, "")))
		}
	}
	b.WriteString(`<w:sectPr>` +
		`<w:headerReference w:type="default" r:id="rIdHeader1"/>` +
		`<w:footerReference w:type="default" r:id="rIdFooter1"/>` +
		`<w:pgSz w:w="` + strconv.Itoa(docxPageW) + `" w:h="` + strconv.Itoa(docxPageH) + `"/>` +
		`<w:pgMar w:top="` + strconv.Itoa(docxMargin) + `" w:right="` + strconv.Itoa(docxMargin) +
		`" w:bottom="` + strconv.Itoa(docxMargin) + `" w:left="` + strconv.Itoa(docxMargin) +
		`" w:header="567" w:footer="567" w:gutter="0"/>` +
		`</w:sectPr></w:body></w:document>`)
	return b.String()
}

// docxContents writes the table of contents: each entry with a PAGEREF
// field to the bookmark on its heading, which Word and LibreOffice compute
// when they lay the document out.
func docxContents(b *strings.Builder, p Procedure, l ProcedureLabels) {
	b.WriteString(wPara(`<w:keepNext/><w:spacing w:before="120" w:after="120"/>`, wRun(l.Contents, `<w:b/><w:sz w:val="24"/>`)))
	widths := []int{docxTextW - 1000, 1000}
	var rows []string
	for i, text := range p.contents(l) {
		rows = append(rows, wRow(false, []string{
			wCell(widths[0], "", wPara(wTight, wRun(oneLine(text), ""))),
			// Dirty: Word recomputes the page on opening instead of
			// showing the placeholder; LibreOffice always does.
			wCell(widths[1], "", wPara(wTight+`<w:jc w:val="center"/>`, wField("PAGEREF "+bookmarkName(i)+` \h`, "1", "", true))),
		}))
	}
	b.WriteString(wTable(widths, rows) + wGap)
}

// docxFixedTable writes one of sections 1 to 3: its heading and a table
// whose header row repeats on each page. sz is the font size in half-points.
func docxFixedTable(b *strings.Builder, entry int, title string, cols []string, rel []float64, rows [][]string, sz int) {
	b.WriteString(wHeading(entry, title))
	widths := twips(rel, len(cols))
	rpr := `<w:sz w:val="` + strconv.Itoa(sz) + `"/>`
	trs := []string{wTextRow(true, widths, cols, `<w:b/>`+rpr)}
	for _, r := range rows {
		trs = append(trs, wTextRow(false, widths, r, rpr))
	}
	b.WriteString(wTable(widths, trs) + wGap)
}

// wTight is the paragraph property of text in table cells: no space after.
const wTight = `<w:spacing w:after="0"/>`

// wGap is the empty paragraph after a table. It spaces the table from what
// follows, and a table may not be the last element before w:sectPr.
const wGap = `<w:p><w:pPr><w:spacing w:after="120"/></w:pPr></w:p>`

// twips scales relative widths to the text width.
func twips(rel []float64, n int) []int {
	mm := scaleWidths(rel, n, docxTextW)
	out := make([]int, n)
	for i, w := range mm {
		out[i] = int(w)
	}
	return out
}

// docxHeader is word/header1.xml: the OSGG header box and, on a draft, the
// draft mark, so that both appear on every page.
func docxHeader(p Procedure, l ProcedureLabels) string {
	const sz = `<w:sz w:val="16"/>`
	widths := []int{docxTextW * 30 / 100, docxTextW * 42 / 100, docxTextW * 28 / 100}

	var left strings.Builder
	for _, h := range p.Header {
		left.WriteString(wPara(wTight, wRun(oneLine(h), `<w:b/>`+sz)))
	}
	if u := oneLine(p.Unit); u != "" {
		left.WriteString(wPara(wTight, wRun(l.Unit+": "+u, sz)))
	}

	middle := wPara(wTight+`<w:jc w:val="center"/>`, wRun(oneLine(p.Kind), `<w:b/>`+sz)) +
		wPara(wTight+`<w:jc w:val="center"/>`, wRun(oneLine(p.Title), `<w:b/>`+sz))

	var right strings.Builder
	lines := []string{
		l.Code + ": " + oneLine(p.Code),
		l.Edition + ": " + oneLine(p.Edition),
		l.Revision + ": " + oneLine(p.Revision),
		l.CopyNo + ": " + oneLine(p.Copy), // left blank to be filled in by hand
	}
	if c := oneLine(p.Copies); c != "" {
		lines = append(lines, l.Copies+": "+c)
	}
	for _, line := range lines {
		right.WriteString(wPara(wTight, wRun(line, sz)))
	}
	right.WriteString(wPara(wTight, wRun(l.Page+" ", sz)+wField("PAGE", "1", sz, false)+
		wRun(" "+l.Of+" ", sz)+wField("NUMPAGES", "1", sz, false)))

	var b strings.Builder
	b.WriteString(docxXMLDecl + `<w:hdr ` + wNS + `>`)
	b.WriteString(wTable(widths, []string{wRow(false, []string{
		wCell(widths[0], "", left.String()),
		wCell(widths[1], `<w:vAlign w:val="center"/>`, middle),
		wCell(widths[2], "", right.String()),
	})}))
	// A header must end with a paragraph; it also spaces the box from the text.
	mark := ""
	if p.Draft {
		mark = wRun(oneLine(l.DraftMark), `<w:b/><w:color w:val="C00000"/><w:sz w:val="24"/>`)
	}
	b.WriteString(wPara(`<w:spacing w:before="60" w:after="120"/><w:jc w:val="center"/>`, mark))
	b.WriteString(`</w:hdr>`)
	return b.String()
}

// docxFooter is word/footer1.xml: p.Footer in small grey type.
func docxFooter(p Procedure) string {
	return docxXMLDecl + `<w:ftr ` + wNS + `>` +
		wPara(`<w:pBdr><w:top w:val="single" w:sz="4" w:space="1" w:color="A0A0A0"/></w:pBdr>`,
			wRun(oneLine(p.Footer), `<w:color w:val="5A5A5A"/><w:sz w:val="14"/>`)) +
		`</w:ftr>`
}

// docxCore is docProps/core.xml. It carries no dates: the document has no
// clock of its own, and equal input gives equal output.
func docxCore(p Procedure) string {
	return docxXMLDecl + `<cp:coreProperties ` +
		`xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" ` +
		`xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" ` +
		`xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">` +
		`<dc:title>` + xmlText(oneLine(p.Title)) + `</dc:title>` +
		`<dc:subject>` + xmlText(oneLine(p.Code)) + `</dc:subject>` +
		`<dc:creator>Cadran</dc:creator>` +
		`<dc:language>ro-RO</dc:language>` +
		`</cp:coreProperties>`
}

// wHeading is a Heading1 paragraph with the bookmark the contents refer to.
func wHeading(entry int, text string) string {
	id := strconv.Itoa(entry + 1)
	return `<w:p><w:pPr><w:pStyle w:val="Heading1"/></w:pPr>` +
		`<w:bookmarkStart w:id="` + id + `" w:name="` + bookmarkName(entry) + `"/>` +
		wRun(oneLine(text), "") +
		`<w:bookmarkEnd w:id="` + id + `"/></w:p>`
}

// bookmarkName names the heading of contents entry i. The leading
// underscore hides it from Word's bookmark list.
func bookmarkName(i int) string {
	return "_CadranSec" + strconv.Itoa(i)
}

// wPara is a paragraph with the given properties and runs.
func wPara(ppr, runs string) string {
	if ppr != "" {
		ppr = `<w:pPr>` + ppr + `</w:pPr>`
	}
	return `<w:p>` + ppr + runs + `</w:p>`
}

// wRun is a run of text: text is cleaned and escaped, and its line breaks
// become w:br. xml:space="preserve" keeps leading and trailing spaces.
func wRun(text, rpr string) string {
	if rpr != "" {
		rpr = `<w:rPr>` + rpr + `</w:rPr>`
	}
	var b strings.Builder
	b.WriteString(`<w:r>` + rpr)
	for i, line := range strings.Split(cleanPrintText(text), "\n") {
		if i > 0 {
			b.WriteString(`<w:br/>`)
		}
		b.WriteString(`<w:t xml:space="preserve">` + xmlText(line) + `</w:t>`)
	}
	b.WriteString(`</w:r>`)
	return b.String()
}

// wField is a field (PAGE, NUMPAGES, PAGEREF) with a cached result that
// readers replace when they lay the document out; dirty asks Word to
// update it on opening.
func wField(instr, cached, rpr string, dirty bool) string {
	if rpr != "" {
		rpr = `<w:rPr>` + rpr + `</w:rPr>`
	}
	begin := `<w:fldChar w:fldCharType="begin"/>`
	if dirty {
		begin = `<w:fldChar w:fldCharType="begin" w:dirty="true"/>`
	}
	return `<w:r>` + rpr + begin + `</w:r>` +
		`<w:r>` + rpr + `<w:instrText xml:space="preserve"> ` + xmlText(instr) + ` </w:instrText></w:r>` +
		`<w:r>` + rpr + `<w:fldChar w:fldCharType="separate"/></w:r>` +
		`<w:r>` + rpr + `<w:t>` + xmlText(cached) + `</w:t></w:r>` +
		`<w:r>` + rpr + `<w:fldChar w:fldCharType="end"/></w:r>`
}

// wTable is a full-width table with single borders and fixed column widths.
func wTable(widths []int, rows []string) string {
	var b strings.Builder
	b.WriteString(`<w:tbl><w:tblPr><w:tblW w:w="5000" w:type="pct"/><w:tblBorders>`)
	for _, side := range []string{"top", "left", "bottom", "right", "insideH", "insideV"} {
		b.WriteString(`<w:` + side + ` w:val="single" w:sz="4" w:space="0" w:color="000000"/>`)
	}
	b.WriteString(`</w:tblBorders><w:tblLayout w:type="fixed"/>` +
		`<w:tblCellMar><w:left w:w="60" w:type="dxa"/><w:right w:w="60" w:type="dxa"/></w:tblCellMar>` +
		`</w:tblPr><w:tblGrid>`)
	for _, w := range widths {
		b.WriteString(`<w:gridCol w:w="` + strconv.Itoa(w) + `"/>`)
	}
	b.WriteString(`</w:tblGrid>`)
	for _, r := range rows {
		b.WriteString(r)
	}
	b.WriteString(`</w:tbl>`)
	return b.String()
}

// wTextRow is a row of plain-text cells; a header row is shaded and
// repeated at the top of each page. Missing cells are left empty.
func wTextRow(header bool, widths []int, cells []string, rpr string) string {
	tcs := make([]string, len(widths))
	for i, w := range widths {
		text, tcpr := "", ""
		if i < len(cells) {
			text = cells[i]
		}
		if header {
			tcpr = `<w:shd w:val="clear" w:color="auto" w:fill="DDE6F0"/>`
		}
		ppr := wTight
		if i == 0 {
			ppr += `<w:jc w:val="center"/>`
		}
		tcs[i] = wCell(w, tcpr, wPara(ppr, wRun(text, rpr)))
	}
	return wRow(header, tcs)
}

func wRow(header bool, cells []string) string {
	trpr := ""
	if header {
		trpr = `<w:trPr><w:tblHeader/></w:trPr>`
	}
	return `<w:tr>` + trpr + strings.Join(cells, "") + `</w:tr>`
}

// wCell is a table cell; content must hold at least one paragraph.
func wCell(width int, tcpr, content string) string {
	if content == "" {
		content = `<w:p/>`
	}
	return `<w:tc><w:tcPr><w:tcW w:w="` + strconv.Itoa(width) + `" w:type="dxa"/>` + tcpr + `</w:tcPr>` +
		content + `</w:tc>`
}

// xmlText escapes s for element content and attribute values; characters
// XML 1.0 cannot carry become U+FFFD.
func xmlText(s string) string {
	var b strings.Builder
	_ = xml.EscapeText(&b, []byte(s)) // a strings.Builder does not fail
	return b.String()
}

// The fixed parts of the package.
const (
	docxRootRels = docxXMLDecl +
		`<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
		`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>` +
		`<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>` +
		`<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties" Target="docProps/app.xml"/>` +
		`</Relationships>`

	docxApp = docxXMLDecl +
		`<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">` +
		`<Application>Cadran</Application></Properties>`

	// Arial has ș ț with the comma below; LibreOffice substitutes the
	// metric-compatible Liberation Sans.
	docxStyles = docxXMLDecl + `<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">` +
		`<w:docDefaults><w:rPrDefault><w:rPr>` +
		`<w:rFonts w:ascii="Arial" w:hAnsi="Arial" w:eastAsia="Arial" w:cs="Arial"/>` +
		`<w:sz w:val="20"/><w:szCs w:val="20"/><w:lang w:val="ro-RO" w:eastAsia="ro-RO" w:bidi="ar-SA"/>` +
		`</w:rPr></w:rPrDefault>` +
		`<w:pPrDefault><w:pPr><w:spacing w:after="100" w:line="264" w:lineRule="auto"/></w:pPr></w:pPrDefault>` +
		`</w:docDefaults>` +
		`<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/></w:style>` +
		`<w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/>` +
		`<w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/>` +
		`<w:pPr><w:keepNext/><w:keepLines/><w:spacing w:before="240" w:after="120"/><w:outlineLvl w:val="0"/></w:pPr>` +
		`<w:rPr><w:b/><w:bCs/><w:sz w:val="24"/><w:szCs w:val="24"/></w:rPr></w:style>` +
		`<w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/>` +
		`<w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar><w:top w:w="0" w:type="dxa"/>` +
		`<w:left w:w="108" w:type="dxa"/><w:bottom w:w="0" w:type="dxa"/><w:right w:w="108" w:type="dxa"/>` +
		`</w:tblCellMar></w:tblPr></w:style>` +
		`</w:styles>`

	docxSettings = docxXMLDecl + `<w:settings xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">` +
		`<w:defaultTabStop w:val="709"/><w:characterSpacingControl w:val="doNotCompress"/>` +
		`<w:compat><w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat>` +
		`</w:settings>`

	// One bullet list, used by the "- " items of the section bodies.
	docxNumbering = docxXMLDecl + `<w:numbering xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">` +
		`<w:abstractNum w:abstractNumId="0"><w:multiLevelType w:val="singleLevel"/>` +
		`<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="bullet"/><w:lvlText w:val="•"/><w:lvlJc w:val="left"/>` +
		`<w:pPr><w:ind w:left="720" w:hanging="360"/></w:pPr></w:lvl></w:abstractNum>` +
		`<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>` +
		`</w:numbering>`
)

// docxContentTypes lists the package's parts, with a page header part or
// without one (a report whose header is in its body).
func docxContentTypes(header bool) string {
	h := ""
	if header {
		h = `<Override PartName="/word/header1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml"/>`
	}
	return docxXMLDecl +
		`<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
		`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>` +
		`<Default Extension="xml" ContentType="application/xml"/>` +
		`<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>` +
		`<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>` +
		`<Override PartName="/word/settings.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml"/>` +
		`<Override PartName="/word/numbering.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.numbering+xml"/>` +
		h +
		`<Override PartName="/word/footer1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"/>` +
		`<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>` +
		`<Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>` +
		`</Types>`
}

// docxDocumentRels links the main part to the others, with or without the
// page header.
func docxDocumentRels(header bool) string {
	h := ""
	if header {
		h = `<Relationship Id="rIdHeader1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/header" Target="header1.xml"/>`
	}
	return docxXMLDecl +
		`<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
		`<Relationship Id="rIdStyles" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>` +
		`<Relationship Id="rIdSettings" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/settings" Target="settings.xml"/>` +
		`<Relationship Id="rIdNumbering" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/numbering" Target="numbering.xml"/>` +
		h +
		`<Relationship Id="rIdFooter1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer" Target="footer1.xml"/>` +
		`</Relationships>`
}
