package report

// The competence matrix's exports (training): a workbook whose cells carry
// a fill colour beside their text, and a landscape report of sections with
// tables.

import (
	"fmt"
	"io"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
)

// FilledTable is a Table whose cells may carry a background colour. The
// colour only repeats what the cell's text says (a matrix cell reads "2/1
// lipsă" as well as being red), so a printout in black and white loses
// nothing.
type FilledTable struct {
	Table
	// Fills holds, per row and cell, an RGB colour such as "FBE9E7"; ""
	// or a missing entry leaves the cell plain.
	Fills [][]string
	// FrozenCols keeps that many leading columns in view when scrolling
	// right (the person's name in the matrix).
	FrozenCols int
}

// WriteFilledXLSX writes a workbook whose first sheet is first, with its
// fills, and whose other sheets are laid out like WriteXLSX's.
func WriteFilledXLSX(w io.Writer, first FilledTable, more ...Table) error {
	f := excelize.NewFile()
	defer f.Close()
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDE6F0"}}})
	if err != nil {
		return err
	}
	dateStyle, err := f.NewStyle(&excelize.Style{NumFmt: 14})
	if err != nil {
		return err
	}
	sheet := sheetName(first.Sheet, 1)
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return fmt.Errorf("cannot name sheet: %w", err)
	}
	if err := writeFilledSheet(f, sheet, first, bold, dateStyle); err != nil {
		return err
	}
	for n, t := range more {
		name := sheetName(t.Sheet, n+2)
		if _, err := f.NewSheet(name); err != nil {
			return fmt.Errorf("cannot add sheet: %w", err)
		}
		if err := writeSheet(f, n+2, name, t.Stream(), bold, dateStyle); err != nil {
			return err
		}
	}
	if _, err := f.WriteTo(w); err != nil {
		return fmt.Errorf("cannot write workbook: %w", err)
	}
	return nil
}

// sheetName is a sheet's name cut to Excel's 31 characters, or SheetN.
func sheetName(name string, n int) string {
	if name == "" {
		return fmt.Sprintf("Sheet%d", n)
	}
	if utf8.RuneCountInString(name) > 31 {
		return string([]rune(name)[:31])
	}
	return name
}

// writeFilledSheet streams a filled table into a sheet: the header bold
// and frozen, the fills as cell styles made once per colour.
func writeFilledSheet(f *excelize.File, sheet string, t FilledTable, bold, dateStyle int) error {
	styles := map[string]int{}
	styleOf := func(colour string) (int, error) {
		if id, ok := styles[colour]; ok {
			return id, nil
		}
		id, err := f.NewStyle(&excelize.Style{
			Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{colour}},
			Alignment: &excelize.Alignment{Horizontal: "center"},
			Border: []excelize.Border{{Type: "left", Color: "BFC7D1", Style: 1}, {Type: "right", Color: "BFC7D1", Style: 1},
				{Type: "top", Color: "BFC7D1", Style: 1}, {Type: "bottom", Color: "BFC7D1", Style: 1}},
		})
		styles[colour] = id
		return id, err
	}
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return fmt.Errorf("cannot start sheet: %w", err)
	}
	widths := make([]int, len(t.Headers))
	for i, h := range t.Headers {
		widths[i] = utf8.RuneCountInString(h)
	}
	for _, row := range t.Rows {
		for i, c := range row {
			if i < len(widths) {
				widths[i] = max(widths[i], utf8.RuneCountInString(fmt.Sprint(c)))
			}
		}
	}
	for i, wd := range widths {
		if err := sw.SetColWidth(i+1, i+1, float64(min(60, max(8, wd+2)))); err != nil {
			return err
		}
	}
	panes := &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}
	if t.FrozenCols > 0 {
		tl, _ := excelize.CoordinatesToCellName(t.FrozenCols+1, 2)
		panes = &excelize.Panes{Freeze: true, XSplit: t.FrozenCols, YSplit: 1, TopLeftCell: tl, ActivePane: "bottomRight"}
	}
	if err := sw.SetPanes(panes); err != nil {
		return err
	}
	header := make([]any, len(t.Headers))
	for i, h := range t.Headers {
		header[i] = excelize.Cell{StyleID: bold, Value: h}
	}
	if err := sw.SetRow("A1", header); err != nil {
		return fmt.Errorf("cannot write header: %w", err)
	}
	for n, row := range t.Rows {
		cells := make([]any, len(row))
		for i, c := range row {
			if tm, ok := c.(time.Time); ok {
				if tm.IsZero() {
					cells[i] = ""
				} else {
					cells[i] = excelize.Cell{StyleID: dateStyle, Value: tm}
				}
				continue
			}
			cells[i] = c
			if n < len(t.Fills) && i < len(t.Fills[n]) && t.Fills[n][i] != "" {
				id, err := styleOf(strings.TrimPrefix(t.Fills[n][i], "#"))
				if err != nil {
					return fmt.Errorf("cannot make a cell style: %w", err)
				}
				cells[i] = excelize.Cell{StyleID: id, Value: c}
			}
		}
		cell, _ := excelize.CoordinatesToCellName(1, n+2)
		if err := sw.SetRow(cell, cells); err != nil {
			return fmt.Errorf("cannot write row %d: %w", n+1, err)
		}
	}
	// No autofilter: excelize adds one by reading the streamed sheet back
	// whole, which for a 600 × 40 matrix costs more than writing it.
	if err := sw.Flush(); err != nil {
		return fmt.Errorf("cannot finish sheet: %w", err)
	}
	return nil
}

// WriteLandscapeReportPDF writes r like WriteCaseReportPDF, on A4
// landscape pages: for reports whose tables are wide, such as the
// competence matrix's summary and gaps per unit.
func WriteLandscapeReportPDF(w io.Writer, r CaseReport) error {
	return writeCaseReportPDF(w, r, landscapeReport)
}
