package report

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"testing"
	"time"

	"cadran/internal/i18n"
)

// streamTable is a long table of every kind of cell a list holds, long
// enough that a streamed sheet keeps its rows in a temporary file.
func streamTable(n int) Table {
	t := Table{Sheet: "Registru de petiții", Headers: []string{"Nr.", "Data", "Petent", "Zile", "Medie", "Închis", "Notă", "Extra"}}
	v := 2.5
	for i := range n {
		day := time.Date(2026, time.Month(1+i%12), 1+i%28, 0, 0, 0, 0, time.UTC)
		var at any = time.Date(2026, 3, 1+i%28, 9, i%60, 0, 0, i18n.Bucharest)
		if i%7 == 0 {
			at = time.Time{}
		}
		var extra any
		switch i % 4 {
		case 1:
			extra = int64(i) * 1_000_000
		case 2:
			extra = &v
		case 3:
			extra = fmt.Sprintf("Ștefan Țurcanu, str. Mărășești %d", i)
		}
		t.Rows = append(t.Rows, []any{fmt.Sprintf("%d/2026", i+1), day, strings.Repeat("Înșiruire ăâîșț ", 1+i%5), i % 30,
			float64(i) / 7, i%3 == 0, at, extra})
	}
	return t
}

// rowsOf gives t's rows as a Stream reads them: one at a time, in a slice
// the producer reuses.
func rowsOf(t Table) Stream {
	return Stream{Sheet: t.Sheet, Headers: t.Headers, Rows: func(emit func([]any) error) error {
		row := make([]any, len(t.Headers))
		for _, r := range t.Rows {
			row = append(row[:0], r...)
			if err := emit(row); err != nil {
				return err
			}
		}
		return nil
	}}
}

// unzipped reads the parts of a workbook.
func unzipped(t *testing.T, b []byte) map[string][]byte {
	t.Helper()
	z, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]byte{}
	for _, f := range z.File {
		r, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		out[f.Name], _ = io.ReadAll(r)
		r.Close()
	}
	return out
}

// A streamed workbook is the same, part for part, as the one written from
// the rows in memory: the same cells, formats and column widths, though
// its rows went through a temporary file.
func TestWriteXLSXStreamsSameAsTable(t *testing.T) {
	defer func(n int) { spillMemory = n }(spillMemory)
	spillMemory = 64 << 10 // the rows go to a file early
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	tab := streamTable(12000)
	var mem, streamed bytes.Buffer
	if err := WriteXLSXSheets(&mem, tab, Table{Sheet: "Gol", Headers: []string{"A"}}); err != nil {
		t.Fatal(err)
	}
	if err := WriteXLSXStreams(&streamed, rowsOf(tab), rowsOf(Table{Sheet: "Gol", Headers: []string{"A"}})); err != nil {
		t.Fatal(err)
	}
	if left, _ := os.ReadDir(tmp); len(left) > 0 {
		t.Errorf("temporary files left behind: %v", left)
	}
	a, b := unzipped(t, mem.Bytes()), unzipped(t, streamed.Bytes())
	if len(a) != len(b) {
		t.Fatalf("%d parts streamed, %d from memory", len(b), len(a))
	}
	for name, want := range a {
		if !bytes.Equal(b[name], want) {
			t.Errorf("part %s differs (%d bytes streamed, %d from memory)", name, len(b[name]), len(want))
		}
	}
	if sheet := a["xl/worksheets/sheet1.xml"]; !bytes.Contains(sheet, []byte("12000/2026")) || !bytes.Contains(sheet, []byte("Înșiruire ăâîșț")) {
		t.Error("the sheet lacks its last row or its diacritics")
	}
}

// A streamed CSV is the same file as the one written from memory.
func TestWriteCSVStreamSameAsTable(t *testing.T) {
	tab := streamTable(5000)
	var mem, streamed bytes.Buffer
	if err := WriteCSV(&mem, tab); err != nil {
		t.Fatal(err)
	}
	if err := WriteCSVStream(&streamed, rowsOf(tab)); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(mem.Bytes(), streamed.Bytes()) {
		t.Fatal("the streamed CSV differs from the one written from memory")
	}
	if n := bytes.Count(mem.Bytes(), []byte("\n")); n != 5001 {
		t.Errorf("%d lines, want 5001", n)
	}
}

// A failure to read the rows stops the file and is returned.
func TestStreamReadFailure(t *testing.T) {
	boom := errors.New("the database went away")
	s := Stream{Sheet: "S", Headers: []string{"A"}, Rows: func(emit func([]any) error) error {
		for i := range 100 {
			if err := emit([]any{i}); err != nil {
				return err
			}
		}
		return boom
	}}
	if err := WriteXLSXStreams(io.Discard, s); !errors.Is(err, boom) {
		t.Errorf("workbook: %v, want %v", err, boom)
	}
	var b bytes.Buffer
	if err := WriteCSVStream(&b, s); !errors.Is(err, boom) {
		t.Errorf("CSV: %v, want %v", err, boom)
	}
}
