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
