package report

import (
	"bytes"
	"encoding/csv"
	"strings"
	"testing"
	"time"
)

func TestWriteCSV(t *testing.T) {
	v := 93.5
	tb := Table{Headers: []string{"Cod", "Titlu", "Termen", "Înregistrat", "Valoare", "Gol"}, Rows: [][]any{
		{"R-1", "Risc de întârziere, \"termen\" depășit", time.Date(2026, 3, 31, 0, 0, 0, 0, time.UTC), time.Date(2026, 3, 31, 8, 30, 0, 0, time.UTC), 12.25, nil},
		{"R-2", "Șir cu\nrând nou", time.Time{}, time.Time{}, &v, (*float64)(nil)},
	}}
	var b bytes.Buffer
	if err := WriteCSV(&b, tb); err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(b.Bytes(), []byte("\uFEFF")) {
		t.Fatal("no byte-order mark: spreadsheet programs would garble the diacritics")
	}
	recs, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(b.String(), "\uFEFF"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{
		{"Cod", "Titlu", "Termen", "Înregistrat", "Valoare", "Gol"},
		{"R-1", "Risc de întârziere, \"termen\" depășit", "2026-03-31", "2026-03-31 11:30", "12.25", ""},
		{"R-2", "Șir cu\nrând nou", "", "", "93.5", ""},
	}
	if len(recs) != len(want) {
		t.Fatalf("got %d records, want %d: %q", len(recs), len(want), recs)
	}
	for i := range want {
		if strings.Join(recs[i], "|") != strings.Join(want[i], "|") {
			t.Errorf("record %d = %q, want %q", i, recs[i], want[i])
		}
	}
}
