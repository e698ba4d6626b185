package report

import (
	"fmt"
	"io"
	"strconv"
)

// TrainingAttendanceSheet is the sheet people sign at a training session
// ("Listă de prezență"): the institution, the programme and the session's
// details at the top of every page, then one row per person (number, name,
// function and unit) with one blank signature cell per day, and the
// trainer's signature line after the last row.
type TrainingAttendanceSheet struct {
	Institution string
	Title       string   // "LISTĂ DE PREZENȚĂ"
	Programme   string   // "P-MC-2026 · Managementul calității"
	Details     []string // "Sesiunea: P-MC-2026/1", "Perioada: …", "Locul: …", "Formator: …"
	NoLabel     string   // "Nr. crt."
	NameLabel   string   // "Nume și prenume"
	JobLabel    string   // "Funcția / compartimentul"
	SignLabel   string   // "Semnătura", under each day
	Days        []string // one column per day, as printed: "12.03.2026"
	People      []TrainingAttendee
	// Trainer is the closing line: "Formator: Ion Popescu"; Signature the
	// word before the line to sign on ("Semnătura").
	Trainer   string
	Signature string
	Footer    string
	PageLabel string // "Pagina"
	OfLabel   string // "din"
}

// TrainingAttendee is one line of the sheet.
type TrainingAttendee struct {
	Name string
	Job  string // function and unit
}

// trainingSheetMaxDays is how many day columns fit beside the person's
// columns on A4 landscape; a longer session prints the list again for the
// next days.
const trainingSheetMaxDays = 8

// WriteTrainingAttendancePDF writes the sheet on A4 landscape pages. The
// header (institution, title, programme, details) is repeated on every
// page with the column headings; rows are tall enough to sign in. A session
// of more days than fit across the page prints the whole list once per run
// of days, so every day has its column.
func WriteTrainingAttendancePDF(w io.Writer, s TrainingAttendanceSheet) error {
	doc := &pdfDoc{Fpdf: newPDF("L")}
	doc.SetTitle(oneLine(s.Title+" · "+s.Programme), true)
	const margin = 10.0
	doc.SetMargins(margin, margin, margin)
	doc.SetAutoPageBreak(true, 16)
	pageW, _ := doc.GetPageSize()
	bodyW := pageW - 2*margin

	days := s.Days
	if len(days) == 0 {
		days = []string{""}
	}
	var runs [][]string
	for i := 0; i < len(days); i += trainingSheetMaxDays {
		runs = append(runs, days[i:min(len(days), i+trainingSheetMaxDays)])
	}
	var cur []string // the days of the run being printed
	const noW, nameW, jobW = 12.0, 62.0, 70.0
	dayW := func() float64 { return (bodyW - noW - nameW - jobW) / float64(len(cur)) }
	const headH, rowH = 10.0, 10.0

	columns := func() {
		doc.SetFont(pdfFont, "B", 8)
		doc.SetFillColor(221, 230, 240)
		x, y := margin, doc.GetY()
		cell := func(wd float64, lines []string) {
			doc.Rect(x, y, wd, headH, "FD")
			lh := 3.6
			top := y + (headH-lh*float64(len(lines)))/2
			for i, l := range lines {
				doc.SetXY(x, top+float64(i)*lh)
				doc.CellFormat(wd, lh, l, "", 0, "C", false, 0, "")
			}
			x += wd
		}
		cell(noW, []string{oneLine(s.NoLabel)})
		cell(nameW, []string{oneLine(s.NameLabel)})
		cell(jobW, []string{oneLine(s.JobLabel)})
		for _, d := range cur {
			lines := []string{oneLine(s.SignLabel)}
			if d != "" {
				lines = []string{oneLine(d), oneLine(s.SignLabel)}
			}
			cell(dayW(), lines)
		}
		doc.SetXY(margin, y+headH)
	}
	doc.SetHeaderFunc(func() {
		doc.SetXY(margin, margin)
		doc.SetTextColor(0, 0, 0)
		doc.SetFont(pdfFont, "B", 10)
		doc.printLines(oneLine(s.Institution), 5, 2)
		doc.Ln(1)
		doc.SetFont(pdfFont, "B", 14)
		doc.CellFormat(bodyW, 7, oneLine(s.Title), "", 1, "C", false, 0, "")
		doc.SetFont(pdfFont, "B", 11)
		for _, line := range doc.SplitText(oneLine(s.Programme), bodyW) {
			doc.SetX(margin)
			doc.CellFormat(bodyW, 5.5, line, "", 1, "C", false, 0, "")
		}
		doc.SetFont(pdfFont, "", 9)
		for _, d := range s.Details {
			doc.SetX(margin)
			doc.printLines(oneLine(d), 4.5, 2)
		}
		doc.Ln(2)
		doc.SetDrawColor(0, 0, 0)
		doc.SetLineWidth(0.2)
		columns()
		doc.bodyTop = doc.GetY()
	})
	doc.SetFooterFunc(func() {
		doc.tableFooter(PDFTable{Footer: s.Footer, PageLabel: s.PageLabel, OfLabel: s.OfLabel})
	})

	for _, run := range runs {
		cur = run
		doc.AddPage()
		for i, p := range s.People {
			if doc.GetY()+rowH > doc.bottom() {
				doc.AddPage()
			}
			x, y := margin, doc.GetY()
			doc.SetFont(pdfFont, "", 9)
			cell := func(wd float64, text, align string) {
				doc.Rect(x, y, wd, rowH, "D")
				lines := doc.SplitText(cleanPrintText(text), wd-2)
				if len(lines) > 2 {
					lines = lines[:2]
					lines[1] += "…"
				}
				lh := 3.8
				top := y + (rowH-lh*float64(len(lines)))/2
				for j, l := range lines {
					doc.SetXY(x+1, top+float64(j)*lh)
					doc.CellFormat(wd-2, lh, l, "", 0, align, false, 0, "")
				}
				x += wd
			}
			auto, m := doc.GetAutoPageBreak()
			doc.SetAutoPageBreak(false, m)
			cell(noW, strconv.Itoa(i+1), "C")
			cell(nameW, p.Name, "L")
			doc.SetFont(pdfFont, "", 8)
			cell(jobW, p.Job, "L")
			for range cur {
				cell(dayW(), "", "L")
			}
			doc.SetAutoPageBreak(auto, m)
			doc.SetXY(margin, y+rowH)
		}
		// The trainer signs under the list.
		if doc.GetY()+16 > doc.bottom() {
			doc.AddPage()
		}
		doc.Ln(8)
		doc.SetFont(pdfFont, "", 10)
		doc.SetX(margin)
		doc.CellFormat(bodyW/2, 6, oneLine(s.Trainer), "", 0, "L", false, 0, "")
		doc.CellFormat(bodyW/2, 6, oneLine(s.Signature)+" ______________________________", "", 1, "R", false, 0, "")
	}
	if err := doc.Output(w); err != nil {
		return fmt.Errorf("cannot write attendance sheet PDF: %w", err)
	}
	return nil
}
