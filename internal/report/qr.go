package report

import (
	"fmt"
	"html"
	"io"
	"strconv"
	"strings"

	qrcode "github.com/skip2/go-qrcode"
)

// QR is a QR code as its grid of modules (true: dark), quiet zone
// included, so an SVG, a PDF or a test reads the same squares.
type QR struct {
	Modules [][]bool
	// Version is the QR version (1 to 40): the symbol is 17+4·Version
	// modules wide without its quiet zone.
	Version int
}

// QRCode encodes content at the medium error-correction level (15% of the
// symbol may be lost: a poster scuffed at a counter still reads), with the
// standard quiet zone of four light modules around it.
func QRCode(content string) (QR, error) {
	q, err := qrcode.New(content, qrcode.Medium)
	if err != nil {
		return QR{}, fmt.Errorf("cannot encode QR code: %w", err)
	}
	return QR{Modules: q.Bitmap(), Version: q.VersionNumber}, nil
}

// Size is the width (and height) in modules, quiet zone included.
func (q QR) Size() int { return len(q.Modules) }

// qrRun is a horizontal run of dark modules: row y, columns [x, x+n).
type qrRun struct{ x, y, n int }

// runs lists the dark modules as horizontal runs, row by row: one path or
// a few rectangles per run instead of one per module.
func (q QR) runs() []qrRun {
	var out []qrRun
	for y, row := range q.Modules {
		for x := 0; x < len(row); {
			if !row[x] {
				x++
				continue
			}
			start := x
			for x < len(row) && row[x] {
				x++
			}
			out = append(out, qrRun{start, y, x - start})
		}
	}
	return out
}

// QRSVG draws content's QR code as an SVG image: a light square and one
// path holding every dark module, one unit per module (it scales to any
// size without blurring), role="img" and a title for screen readers.
func QRSVG(content, title string) (string, error) {
	q, err := QRCode(content)
	if err != nil {
		return "", err
	}
	return q.SVG(title), nil
}

// SVG draws the code; see QRSVG.
func (q QR) SVG(title string) string {
	n := strconv.Itoa(q.Size())
	var b strings.Builder
	b.Grow(64 * len(q.Modules))
	b.WriteString(`<svg xmlns="http://www.w3.org/2000/svg" class="qr" viewBox="0 0 ` + n + ` ` + n + `" width="` + strconv.Itoa(q.Size()*6) + `" height="` + strconv.Itoa(q.Size()*6) + `" role="img" shape-rendering="crispEdges"`)
	if title != "" {
		b.WriteString(` aria-label="` + html.EscapeString(title) + `"><title>` + html.EscapeString(title) + `</title>`)
	} else {
		b.WriteString(`>`)
	}
	b.WriteString(`<rect width="` + n + `" height="` + n + `" fill="#fff"/><path fill="#000" d="`)
	for _, r := range q.runs() {
		fmt.Fprintf(&b, "M%d %dh%dv1h-%dz", r.x, r.y, r.n, r.n)
	}
	b.WriteString(`"/></svg>`)
	return b.String()
}

// QRPoster is the printable counter poster of a service: the institution,
// the service, an invitation to rate it and its QR code, and the short
// link in text for whoever cannot scan.
type QRPoster struct {
	Institution string
	Service     string // "URB-CU · Certificat de urbanism"
	Headline    string // "Cum v-am servit? Scanați codul"
	Hint        string // "Evaluarea este anonimă și durează un minut."
	LinkLabel   string // "sau deschideți"
	Link        string // the short link the code holds
	Footer      string
}

// WriteQRPosterPDF writes the poster on one A4 portrait page, the QR code
// drawn as filled rectangles (sharp at any printer resolution).
func WriteQRPosterPDF(w io.Writer, p QRPoster) error {
	q, err := QRCode(p.Link)
	if err != nil {
		return err
	}
	doc := &pdfDoc{Fpdf: newPDF("P")}
	doc.SetTitle(oneLine(p.Headline+" · "+p.Service), true)
	const margin = 20.0
	doc.SetMargins(margin, margin, margin)
	doc.SetAutoPageBreak(false, margin)
	doc.AddPage()
	pageW, pageH := doc.GetPageSize()
	textW := pageW - 2*margin
	center := func(size float64, style string, lineH float64, text string) {
		doc.SetFont(pdfFont, style, size)
		for _, line := range doc.SplitText(cleanPrintText(text), textW) {
			doc.SetX(margin)
			doc.CellFormat(textW, lineH, line, "", 1, "C", false, 0, "")
		}
	}
	doc.SetY(margin)
	doc.SetTextColor(80, 80, 80)
	center(14, "", 7, oneLine(p.Institution))
	doc.Ln(6)
	doc.SetTextColor(0, 0, 0)
	center(20, "B", 9, oneLine(p.Service))
	doc.Ln(8)
	center(28, "B", 13, oneLine(p.Headline))
	doc.Ln(6)

	// The code: as large as fits beside the text, 120 mm at most.
	side := min(120.0, textW, pageH-doc.GetY()-75)
	mod := side / float64(max(1, q.Size()))
	x0, y0 := (pageW-side)/2, doc.GetY()
	doc.SetFillColor(0, 0, 0)
	for _, r := range q.runs() {
		doc.Rect(x0+float64(r.x)*mod, y0+float64(r.y)*mod, float64(r.n)*mod, mod, "F")
	}
	doc.SetY(y0 + side + 6)
	if p.Hint != "" {
		center(14, "", 7, oneLine(p.Hint))
		doc.Ln(4)
	}
	doc.SetTextColor(80, 80, 80)
	if p.LinkLabel != "" {
		center(12, "", 6, oneLine(p.LinkLabel))
	}
	doc.SetTextColor(0, 0, 0)
	center(15, "B", 8, p.Link)
	if p.Footer != "" {
		doc.SetY(pageH - margin - 6)
		doc.SetTextColor(110, 110, 110)
		center(8, "", 4, oneLine(p.Footer))
	}
	if err := doc.Output(w); err != nil {
		return fmt.Errorf("cannot write poster PDF: %w", err)
	}
	return nil
}
