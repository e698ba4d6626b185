// Package report renders Cadran's exports and reports: XLSX lists now; PDF,
// DOCX and SVG charts as the modules need them.
package report

import (
	"fmt"
	"io"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
)

// Table is a list to export: a sheet name, column headers and rows of cells
// (string, number, bool or time.Time).
type Table struct {
	Sheet   string
	Headers []string
	Rows    [][]any
}

// WriteXLSX writes t as a workbook with a bold, frozen header row, an
// autofilter and column widths fitted to the content. Rows are streamed, so a
// long list does not build a large document in memory.
func WriteXLSX(w io.Writer, t Table) error { return WriteXLSXSheets(w, t) }

// WriteXLSXSheets writes a workbook of several sheets, each laid out like
// WriteXLSX's (the scorecard report has a KPI and an objective sheet).
func WriteXLSXSheets(w io.Writer, tables ...Table) error {
	streams := make([]Stream, len(tables))
	for i, t := range tables {
		streams[i] = t.Stream()
	}
	return WriteXLSXStreams(w, streams...)
}

// WriteXLSXStreams is WriteXLSXSheets for rows read as they are written: a
// sheet's rows are kept in a compact form (on disk past a megabyte) while
// its column widths are measured, then written out, so a long register is
// never whole in memory. Every row is read before the first byte goes to
// w, so a failure to read one gives an error rather than half a file.
func WriteXLSXStreams(w io.Writer, streams ...Stream) error {
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
	for n, t := range streams {
		sheet := t.Sheet
		if sheet == "" {
			sheet = fmt.Sprintf("Sheet%d", n+1)
		}
		if utf8.RuneCountInString(sheet) > 31 {
			sheet = string([]rune(sheet)[:31])
		}
		if n == 0 {
			if err := f.SetSheetName("Sheet1", sheet); err != nil {
				return fmt.Errorf("cannot name sheet: %w", err)
			}
		} else if _, err := f.NewSheet(sheet); err != nil {
			return fmt.Errorf("cannot add sheet: %w", err)
		}
		if err := writeSheet(f, n+1, sheet, t, bold, dateStyle); err != nil {
			return err
		}
	}
	if _, err := f.WriteTo(w); err != nil {
		return fmt.Errorf("cannot write workbook: %w", err)
	}
	return nil
}

// writeSheet streams one table into a sheet. The column widths fit the
// longest cell of each column and go before the first row, so the rows are
// read once to measure them (and kept, unless they are in memory already),
// then written.
func writeSheet(f *excelize.File, n int, sheet string, t Stream, bold, dateStyle int) error {
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return fmt.Errorf("cannot start sheet: %w", err)
	}
	widths := make([]int, len(t.Headers))
	for i, h := range t.Headers {
		widths[i] = utf8.RuneCountInString(h)
	}
	measure := func(row []any) {
		for i, c := range row {
			if i < len(widths) {
				widths[i] = max(widths[i], cellWidth(c))
			}
		}
	}
	rows := t.Rows
	if t.mem != nil {
		for _, row := range t.mem {
			measure(row)
		}
	} else {
		sp := &spill{}
		defer sp.close()
		if err := t.each(func(row []any) error {
			measure(row)
			return sp.add(row)
		}); err != nil {
			return err
		}
		rows = sp.replay
	}
	for i, wd := range widths {
		if err := sw.SetColWidth(i+1, i+1, float64(min(60, max(8, wd+2)))); err != nil {
			return err
		}
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	header := make([]any, len(t.Headers))
	for i, h := range tableHeaders(t.Headers) {
		header[i] = excelize.Cell{StyleID: bold, Value: h}
	}
	if err := sw.SetRow("A1", header); err != nil {
		return fmt.Errorf("cannot write header: %w", err)
	}
	count := 0
	var cells []any
	emit := func(row []any) error {
		count++
		cells = cells[:0]
		for _, c := range row {
			if tm, ok := c.(time.Time); ok {
				if tm.IsZero() {
					cells = append(cells, "")
				} else {
					cells = append(cells, excelize.Cell{StyleID: dateStyle, Value: tm})
				}
				continue
			}
			cells = append(cells, c)
		}
		cell, _ := excelize.CoordinatesToCellName(1, count+1)
		if err := sw.SetRow(cell, cells); err != nil {
			return fmt.Errorf("cannot write row %d: %w", count, err)
		}
		return nil
	}
	if rows != nil {
		if err := rows(emit); err != nil {
			return err
		}
	}
	// The list is a table, so every column has its filter button. The
	// stream writer adds it as it goes; an autofilter set on the finished
	// sheet would make excelize read the whole sheet back (most of the
	// time of a long export).
	if len(t.Headers) > 0 {
		last, _ := excelize.CoordinatesToCellName(len(t.Headers), count+1)
		noStripes := false
		if err := sw.AddTable(&excelize.Table{Range: "A1:" + last, Name: fmt.Sprintf("Lista%d", n), StyleName: "TableStyleLight1", ShowRowStripes: &noStripes}); err != nil {
			return fmt.Errorf("cannot add filter: %w", err)
		}
	}
	if err := sw.Flush(); err != nil {
		return fmt.Errorf("cannot finish sheet: %w", err)
	}
	return nil
}

// tableHeaders makes the column titles a table accepts: none empty, none
// repeated (a second "Data" becomes "Data (2)").
func tableHeaders(hs []string) []string {
	out := make([]string, len(hs))
	seen := map[string]int{}
	for i, h := range hs {
		h = strings.TrimSpace(h)
		if h == "" {
			h = fmt.Sprintf("%d", i+1)
		}
		key := strings.ToLower(h)
		seen[key]++
		if k := seen[key]; k > 1 {
			h = fmt.Sprintf("%s (%d)", h, k)
		}
		out[i] = h
	}
	return out
}
