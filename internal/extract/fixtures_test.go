package extract

import (
	"archive/zip"
	"bytes"
	"compress/zlib"
	"fmt"
	"strings"
	"testing"
	"time"

	"codeberg.org/go-pdf/fpdf"
	"github.com/go-fonts/dejavu/dejavusans"
	"github.com/xuri/excelize/v2"
)

// romanian is the sentence the fixtures carry: comma-below ș ț, ă â î and
// an en dash, which the built-in PDF fonts cannot show.
const romanian = "Procedură operațională privind arhivarea documentelor – ș ț ă â î"

const wordNSAttr = `xmlns:w="` + wordNS + `"`

// docxBody wraps WordprocessingML paragraphs into a document part.
func docxBody(paragraphs ...string) string {
	return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` +
		`<w:document ` + wordNSAttr + `><w:body>` + strings.Join(paragraphs, "") +
		`<w:sectPr/></w:body></w:document>`
}

// para is a paragraph of one run of plain text.
func para(text string) string {
	return `<w:p><w:r><w:t xml:space="preserve">` + text + `</w:t></w:r></w:p>`
}

const contentTypes = `<?xml version="1.0" encoding="UTF-8"?>` +
	`<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
	`<Default Extension="xml" ContentType="application/xml"/></Types>`

// makeZip writes the named parts, in order, with the given method.
func makeZip(t testing.TB, method uint16, parts ...[2]string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, p := range parts {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: p[0], Method: method})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write([]byte(p[1])); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// makeDOCX builds a minimal Word document: the parts Detect needs, a body,
// and a header part whose text must not be extracted.
func makeDOCX(t testing.TB, body string) []byte {
	return makeZip(t, zip.Deflate,
		[2]string{"[Content_Types].xml", contentTypes},
		[2]string{"word/document.xml", body},
		[2]string{"word/header1.xml", `<w:hdr ` + wordNSAttr + `>` + para("ANTET PRIMĂRIE") + `</w:hdr>`},
	)
}

func makeODT(t testing.TB) []byte {
	return makeZip(t, zip.Store,
		[2]string{"mimetype", odtMimetype},
		[2]string{"content.xml", `<office:document-content/>`},
	)
}

func makeXLSX(t testing.TB) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetCellValue("Sheet1", "A1", romanian); err != nil {
		t.Fatal(err)
	}
	buf, err := f.WriteToBuffer()
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// makePDF prints each page's lines with DejaVu Sans, as the report package
// does. compress=false leaves the content streams readable, which makes a
// better fuzzing seed.
func makePDF(t testing.TB, compress bool, pages ...[]string) []byte {
	t.Helper()
	p := fpdf.New("P", "mm", "A4", "")
	p.SetCompression(compress)
	p.SetCreationDate(time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC))
	p.AddUTF8FontFromBytes("DejaVu", "", dejavusans.TTF)
	p.SetFont("DejaVu", "", 11)
	for _, lines := range pages {
		p.AddPage()
		for _, l := range lines {
			p.MultiCell(0, 6, l, "", "L", false)
		}
	}
	var buf bytes.Buffer
	if err := p.Output(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// rawPDF lays out hand-written objects, numbered from 1, behind a classic
// cross-reference table. Object 1 must be the catalog.
func rawPDF(objects ...string) []byte {
	var b bytes.Buffer
	b.WriteString("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
	offsets := make([]int, len(objects))
	for i, o := range objects {
		offsets[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objects)+1)
	for _, off := range offsets {
		fmt.Fprintf(&b, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&b, "trailer\n<</Size %d /Root 1 0 R>>\nstartxref\n%d\n%%%%EOF\n", len(objects)+1, xref)
	return b.Bytes()
}

// stream is a stream object holding data as it is.
func stream(dict, data string) string {
	return fmt.Sprintf("<<%s /Length %d>>\nstream\n%s\nendstream", dict, len(data), data)
}

// flateStream is a stream object holding data deflated.
func flateStream(dict string, data []byte) string {
	var z bytes.Buffer
	zw := zlib.NewWriter(&z)
	zw.Write(data)
	zw.Close()
	return stream(dict+" /Filter /FlateDecode", z.String())
}

// onePage is a document with one page showing content with font F1.
// Extra objects are numbered from 6.
func onePage(font, content string, extra ...string) []byte {
	return rawPDF(append([]string{
		"<</Type/Catalog /Pages 2 0 R>>",
		"<</Type/Pages /Kids [3 0 R] /Count 1>>",
		"<</Type/Page /Parent 2 0 R /Resources <</Font <</F1 4 0 R>>>> /Contents 5 0 R>>",
		font,
		stream("", content),
	}, extra...)...)
}

const helvetica = "<</Type/Font /Subtype/Type1 /BaseFont/Helvetica /Encoding/WinAnsiEncoding>>"
