package report

import (
	"bytes"
	"fmt"
	"math"
	"regexp"
	"strings"
	"testing"
)

// masterList is a list of documents like the one the documents module
// prints, with n rows.
func masterList(n int) PDFTable {
	t := PDFTable{
		Title:     "Lista documentelor în vigoare",
		Subtitle:  "Primăria Municipiului Târgu Verde – 23.11.2026",
		Columns:   []string{"Cod", "Titlu", "Compartiment", "Ediția", "Revizia", "Data intrării în vigoare"},
		Widths:    []float64{1.2, 5, 3, 0.8, 0.8, 1.6},
		Footer:    "Document generat de Cadran la 23.11.2026 10:15",
		PageLabel: "Pagina",
		OfLabel:   "din",
	}
	for i := 1; i <= n; i++ {
		title := fmt.Sprintf("Procedura operațională privind activitatea nr. %d: ședințe, înștiințări, "+diacritics, i)
		if i%7 == 0 {
			title += " – cu un titlu deosebit de lung, care trebuie să se rupă pe mai multe rânduri în celulă"
		}
		t.Rows = append(t.Rows, []string{
			fmt.Sprintf("PO-%03d", i), title, "Serviciul relații cu publicul și registratură", "I", "0", "01.02.2026",
		})
	}
	return t
}

func TestWriteTablePDF(t *testing.T) {
	tbl := masterList(200)
	pages := renderTablePDF(t, tbl)
	n := len(pages)
	if n < 4 {
		t.Fatalf("got %d pages for 200 rows, want several", n)
	}
	all := flat(strings.Join(pages, "\n"))
	for i, page := range pages {
		for _, want := range []string{
			tbl.Title, tbl.Subtitle, "Data intrării în vigoare", // the column headers repeat
			fmt.Sprintf("Pagina %d din %d", i+1, n), tbl.Footer,
		} {
			if !strings.Contains(flat(page), want) {
				t.Errorf("page %d lacks %q", i+1, want)
			}
		}
	}
	checkRomanianText(t, all)
	if want := flat(strings.Join(tbl.Rows[41], " ")); !strings.Contains(all, want) {
		t.Errorf("the text lacks row 42 %q", want)
	}
	// Every row exactly once: none lost or repeated at a page break.
	codes := regexp.MustCompile(`PO-\d{3}`).FindAllString(all, -1)
	if len(codes) != 200 || codes[0] != "PO-001" || codes[199] != "PO-200" {
		t.Errorf("got %d row codes from %v to %v, want PO-001 to PO-200", len(codes), codes[:1], codes[len(codes)-1:])
	}
}

func TestWriteTablePDFEdgeCases(t *testing.T) {
	tests := []struct {
		name string
		tbl  PDFTable
		want []string // on the first page
	}{
		{"empty", PDFTable{}, []string{"Pagina 1 din 1"}},
		{"headers only", PDFTable{Title: "Registrul riscurilor", Columns: []string{"Risc", "Scor"}}, []string{"Registrul riscurilor", "Risc", "Scor"}},
		{"no headers", PDFTable{Rows: [][]string{{"a"}, {"b", "c"}}}, []string{"a", "b", "c"}},
		{"short row and bad widths", PDFTable{Columns: []string{"A", "B"}, Widths: []float64{1, math.NaN()}, Rows: [][]string{{"doar una"}}}, []string{"doar una"}},
		{"english labels", PDFTable{PageLabel: "Page", OfLabel: "of"}, []string{"Page 1 of 1"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pages := renderTablePDF(t, tt.tbl)
			for _, w := range tt.want {
				if !strings.Contains(pages[0], w) {
					t.Errorf("the first page lacks %q:\n%s", w, pages[0])
				}
			}
		})
	}
}

func TestWriteTablePDFRejectsLongRow(t *testing.T) {
	err := WriteTablePDF(&bytes.Buffer{}, PDFTable{Columns: []string{"A"}, Rows: [][]string{{"1"}, {"2", "3"}}})
	if err == nil || !strings.Contains(err.Error(), "row 2 has 2 cells for 1 columns") {
		t.Fatalf("got %v, want an error naming row 2", err)
	}
}

func TestScaleWidths(t *testing.T) {
	tests := []struct {
		name string
		rel  []float64
		n    int
		want []float64
	}{
		{"relative", []float64{1, 3}, 2, []float64{25, 75}},
		{"nil", nil, 4, []float64{25, 25, 25, 25}},
		{"wrong count", []float64{1, 2, 3}, 2, []float64{50, 50}},
		{"zero", []float64{0, 1}, 2, []float64{50, 50}},
		{"negative", []float64{-1, 2}, 2, []float64{50, 50}},
		{"NaN", []float64{math.NaN(), 1}, 2, []float64{50, 50}},
		{"no columns", nil, 0, []float64{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := scaleWidths(tt.rel, tt.n, 100)
			if fmt.Sprint(got) != fmt.Sprint(tt.want) {
				t.Errorf("scaleWidths(%v, %d, 100) = %v, want %v", tt.rel, tt.n, got, tt.want)
			}
		})
	}
}

func renderTablePDF(t *testing.T, tbl PDFTable) []string {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteTablePDF(&buf, tbl); err != nil {
		t.Fatal(err)
	}
	return pdfPages(t, buf.Bytes())
}

func TestWriteTablePDFOddText(t *testing.T) {
	tbl := masterList(3)
	tbl.Title = strings.Repeat("Registru 😀 ", 300)
	tbl.Rows[1][1] = "Cerere 👍\x07 nouă"
	pages := renderTablePDF(t, tbl)
	if len(pages) != 1 {
		t.Errorf("got %d pages, want the long title cut to leave room for three rows", len(pages))
	}
	if !strings.Contains(pages[0], "Cerere \uFFFD nouă") {
		t.Errorf("the text lacks the cleaned cell:\n%s", pages[0])
	}
}
