package report

import (
	"strings"

	"codeberg.org/go-pdf/fpdf"
	"github.com/go-fonts/dejavu/dejavusans"
	"github.com/go-fonts/dejavu/dejavusansbold"
)

// pdfFont is the family every PDF uses. The 14 built-in PDF fonts only know
// Latin-1 and cannot show ș ț ă î; DejaVu Sans covers all of Romanian, is
// embedded (subset to the letters used) and comes from a Go module, so no
// font file lives in the repository.
const pdfFont = "DejaVu"

// totalPagesAlias stands for the number of pages until the document is
// closed, when fpdf replaces it everywhere, in the printed text too: a
// "{nb}" typed by a user would print as the page count, a harmless oddity.
const totalPagesAlias = "{nb}"

// newPDF starts an A4 document in millimetres with DejaVu Sans regular and
// bold registered and the total-pages alias switched on. Errors (a font that
// fails to load included) surface from Output, as fpdf keeps the first one.
func newPDF(orientation string) *fpdf.Fpdf {
	pdf := fpdf.New(orientation, "mm", "A4", "")
	// The alias must be set before the fonts are added: fpdf chooses the
	// subset it always embeds from it. The digits the alias turns into are
	// in the subset anyway, because the last page prints its own number in
	// the same font.
	pdf.AliasNbPages(totalPagesAlias)
	pdf.AddUTF8FontFromBytes(pdfFont, "", dejavusans.TTF)
	pdf.AddUTF8FontFromBytes(pdfFont, "B", dejavusansbold.TTF)
	pdf.SetFont(pdfFont, "", 10)
	pdf.SetCreator("Cadran", true)
	pdf.SetLang("ro-RO")
	return pdf
}

// pdfDoc is an fpdf document with the y where the body starts below the
// page header, which the header function records on each new page.
type pdfDoc struct {
	*fpdf.Fpdf
	bodyTop float64
}

// CellFormat, MultiCell and SplitText shadow fpdf's so that every text
// printed passes through pdfText.
func (d *pdfDoc) CellFormat(w, h float64, txt, border string, ln int, align string, fill bool, link int, linkStr string) {
	d.Fpdf.CellFormat(w, h, pdfText(txt), border, ln, align, fill, link, linkStr)
}

func (d *pdfDoc) MultiCell(w, h float64, txt, border, align string, fill bool) {
	d.Fpdf.MultiCell(w, h, pdfText(txt), border, align, fill)
}

func (d *pdfDoc) SplitText(txt string, w float64) []string {
	return d.Fpdf.SplitText(pdfText(txt), w)
}

// pdfText replaces the characters beyond U+FFFF (emoji, for one, which a
// petition may well hold) with U+FFFD: fpdf maps only the Basic
// Multilingual Plane and panics when it closes a document that used more.
func pdfText(s string) string {
	return strings.Map(func(r rune) rune {
		if r > 0xFFFF {
			return '\uFFFD'
		}
		return r
	}, s)
}

// bottom is the y past which nothing is printed.
func (d *pdfDoc) bottom() float64 {
	_, pageH := d.GetPageSize()
	_, margin := d.GetAutoPageBreak()
	return pageH - margin
}

// keepTogether starts a new page unless h millimetres still fit, so that a
// heading is not left alone at the foot of a page.
func (d *pdfDoc) keepTogether(h float64) {
	if d.GetY()+h > d.bottom() && d.GetY() > d.bodyTop+0.01 {
		d.AddPage()
	}
}
