package report

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// TestWriteFilledXLSX checks the matrix workbook: fills only where asked,
// each the colour given, the first column frozen with the header, the
// other sheets laid out as WriteXLSX's.
func TestWriteFilledXLSX(t *testing.T) {
	grid := FilledTable{Table: Table{Sheet: "Matricea competențelor", Headers: []string{"Persoana", "Lipsuri", "C-ISO", "C-AUDIT"},
		Rows: [][]any{{"Mureșan Ștefania", 1, "1/1 Deținută", "2/0 Lipsă"}, {"Țurcanu Petru", 0, "", "1/1 Deținută"}}},
		Fills: [][]string{{"", "", "DCEFE0", "F8D7D7"}, {"", "", "", "#DCEFE0"}}, FrozenCols: 1}
	var buf bytes.Buffer
	if err := WriteFilledXLSX(&buf, grid, Table{Sheet: "Compartimente", Headers: []string{"Compartimentul", "Acoperire (%)"}, Rows: [][]any{{"Serviciul Buget", 87.5}}}); err != nil {
		t.Fatal(err)
	}
	x, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	if got := x.GetSheetList(); len(got) != 2 || got[0] != "Matricea competențelor" || got[1] != "Compartimente" {
		t.Fatalf("sheets %q", got)
	}
	for cell, want := range map[string]string{"A2": "", "C2": "DCEFE0", "D2": "F8D7D7", "C3": "", "D3": "DCEFE0"} {
		id, err := x.GetCellStyle(grid.Sheet, cell)
		if err != nil {
			t.Fatal(err)
		}
		st, err := x.GetStyle(id)
		if err != nil {
			t.Fatal(err)
		}
		got := ""
		if len(st.Fill.Color) > 0 {
			got = strings.ToUpper(st.Fill.Color[0])
		}
		if got != want {
			t.Errorf("%s is filled %q, want %q", cell, got, want)
		}
	}
	if v, _ := x.GetCellValue(grid.Sheet, "D2"); v != "2/0 Lipsă" {
		t.Errorf("D2 = %q", v)
	}
	panes, err := x.GetPanes(grid.Sheet)
	if err != nil || !panes.Freeze || panes.XSplit != 1 || panes.YSplit != 1 {
		t.Errorf("panes %+v (%v), want the first row and column frozen", panes, err)
	}
	rows, _ := x.GetRows("Compartimente")
	if len(rows) != 2 || rows[1][0] != "Serviciul Buget" || rows[1][1] != "87.5" {
		t.Errorf("summary rows %q", rows)
	}
}

// TestWriteLandscapeReportPDF checks the landscape report: wide pages,
// the sections' headings and tables, a table that runs over pages with its
// header repeated, page numbers, and Romanian letters intact.
func TestWriteLandscapeReportPDF(t *testing.T) {
	gaps := &ReportTable{Columns: []string{"Persoana", "Competența", "Nivel cerut", "Nivel deținut"}, Widths: []float64{2, 4, 1, 1}}
	for i := range 120 {
		gaps.Rows = append(gaps.Rows, []string{fmt.Sprintf("Țurcanu Ștefan %03d", i+1), "C-AUDIT · Auditul intern al calității", "2 · Practician", "—"})
	}
	r := CaseReport{Institution: "Primăria Municipiului Târgu Mureș", Title: "Matricea competențelor: sinteză și lipsuri", Subtitle: "Situația la 23.11.2026",
		Footer: "Generat de Cadran", PageLabel: "Pagina", OfLabel: "din", Sections: []ReportSection{
			{Heading: "Sinteză pe compartimente", Table: &ReportTable{Columns: []string{"Compartimentul", "Persoane", "Lipsuri", "Acoperire (%)"},
				Rows: [][]string{{"Direcția Economică", "12", "4", "83,3 %"}}}},
			{Heading: "Lipsuri: Direcția Economică", Table: gaps},
			{Heading: "Observații", Text: "Nu există lipsuri în celelalte compartimente. Litere: " + diacritics},
		}}
	var buf bytes.Buffer
	if err := WriteLandscapeReportPDF(&buf, r); err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(buf.Bytes(), []byte("/MediaBox [0 0 841.89 595.28]")) {
		t.Error("the pages are not A4 landscape")
	}
	pages := pdfPages(t, buf.Bytes())
	if len(pages) < 3 {
		t.Fatalf("%d pages for 120 gaps, want several", len(pages))
	}
	all := flat(strings.Join(pages, "\n"))
	for _, want := range []string{r.Institution, r.Title, "Sinteză pe compartimente", "Direcția Economică", "83,3 %", "Țurcanu Ștefan 001", "Țurcanu Ștefan 120",
		"Nu există lipsuri în celelalte compartimente.", fmt.Sprintf("Pagina 1 din %d", len(pages))} {
		if !strings.Contains(all, want) {
			t.Errorf("the report lacks %q", want)
		}
	}
	for i, p := range pages[1:] {
		if !strings.Contains(p, "Nivel deținut") {
			t.Errorf("page %d does not repeat the table's header", i+2)
		}
	}
	checkRomanianText(t, all)
}
