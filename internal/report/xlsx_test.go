package report

import (
	"bytes"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

func TestWriteXLSXRoundTrip(t *testing.T) {
	var buf bytes.Buffer
	when := time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)
	err := WriteXLSX(&buf, Table{
		Sheet:   "Personal și funcții",
		Headers: []string{"Nume", "Funcție", "Data"},
		Rows:    [][]any{{"Ștefănescu Țițeica", "Șef serviciu", when}, {"Ana Mureșan", "Consilier", time.Time{}}},
	})
	if err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatalf("the export does not open as a workbook: %v", err)
	}
	rows, err := f.GetRows("Personal și funcții")
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 3 || rows[0][0] != "Nume" || rows[1][0] != "Ștefănescu Țițeica" || rows[2][1] != "Consilier" {
		t.Fatalf("unexpected rows: %q", rows)
	}
}

// Every sheet is a table, so each column has its filter button; a table
// needs its column titles unique and not empty.
func TestWriteXLSXTables(t *testing.T) {
	var buf bytes.Buffer
	err := WriteXLSXSheets(&buf,
		Table{Sheet: "Riscuri", Headers: []string{"Cod", "Data", "Data", ""}, Rows: [][]any{{"R-1", "2026-01-02", "2026-02-03", 4}, {"R-2", "", "", 9}}},
		Table{Sheet: "Măsuri", Headers: []string{"Măsură"}},
	)
	if err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	for sheet, want := range map[string]string{"Riscuri": "A1:D3", "Măsuri": "A1:A2"} {
		tables, err := f.GetTables(sheet)
		if err != nil {
			t.Fatal(err)
		}
		if len(tables) != 1 || tables[0].Range != want {
			t.Errorf("%s: tables %+v, want one over %s", sheet, tables, want)
		}
	}
	rows, err := f.GetRows("Riscuri")
	if err != nil {
		t.Fatal(err)
	}
	if got := rows[0]; len(got) != 4 || got[1] != "Data" || got[2] != "Data (2)" || got[3] != "4" {
		t.Errorf("header row %q: titles must be unique and not empty", got)
	}
}
