package report

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"strings"
	"testing"
)

func sampleCaseReport(actions int) CaseReport {
	r := CaseReport{
		Institution: "Primăria Municipiului Târgu Verde",
		Title:       "Raport de neconformitate",
		Subtitle:    "NC-2026-007 · închisă",
		Footer:      "Cadran",
		Sections: []ReportSection{
			{Heading: "1. Descrierea neconformității", Fields: [][2]string{{"Sursa", "Reclamație a unui cetățean"}, {"Compartiment", "Serviciul Impozite și Taxe Locale"}},
				Text: "Certificatul fiscal a fost eliberat după 12 zile, față de termenul de 2 zile.\n- cererea nr. 4521;\n- răspunsul întârziat."},
			{Heading: "2. Analiza cauzei", Table: &ReportTable{Columns: []string{"Nr.", "De ce?", "Pentru că"}, Widths: []float64{0.4, 3, 3},
				Rows: [][]string{{"1", "De ce a întârziat?", "Cererea nu a fost repartizată în aceeași zi."}}}},
		},
	}
	t := &ReportTable{Columns: []string{"Acțiune", "Responsabil", "Termen", "Stadiu"}}
	for i := range actions {
		t.Rows = append(t.Rows, []string{fmt.Sprintf("Acțiunea corectivă nr. %d: instruirea personalului de la ghișeu privind termenele", i+1), "Ștefan Țurcanu", "31.12.2026", "deschisă"})
	}
	r.Sections = append(r.Sections, ReportSection{Heading: "3. Acțiuni corective", Table: t})
	return r
}

// TestCaseReportPDF: the report prints every Romanian letter, and a long
// table goes on over pages with "Pagina X din Y".
func TestCaseReportPDF(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteCaseReportPDF(&buf, sampleCaseReport(80)); err != nil {
		t.Fatal(err)
	}
	pages := pdfPages(t, buf.Bytes())
	if len(pages) < 2 {
		t.Fatalf("80 actions on %d page", len(pages))
	}
	all := flat(strings.Join(pages, "\n"))
	for _, want := range []string{"Raport de neconformitate", "Primăria Municipiului Târgu Verde", "Serviciul Impozite și Taxe Locale",
		"Cererea nu a fost repartizată în aceeași zi.", "Ștefan Țurcanu", "Acțiunea corectivă nr. 80", "Pagina 2 din " + fmt.Sprint(len(pages))} {
		if !strings.Contains(all, want) {
			t.Errorf("the PDF lacks %q", want)
		}
	}
	if !strings.Contains(pages[1], "Responsabil") {
		t.Error("the table's header is not repeated on the next page")
	}
}

// TestCaseReportDOCX: the Word package is well formed, declares its parts
// and holds the report's text.
func TestCaseReportDOCX(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteCaseReportDOCX(&buf, sampleCaseReport(3)); err != nil {
		t.Fatal(err)
	}
	zr, err := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		t.Fatal(err)
	}
	parts := map[string][]byte{}
	for _, f := range zr.File {
		rc, _ := f.Open()
		b, _ := io.ReadAll(rc)
		rc.Close()
		parts[f.Name] = b
		checkWellFormed(t, f.Name, b)
	}
	for name := range parts {
		if !strings.HasSuffix(name, ".rels") && name != "[Content_Types].xml" &&
			!bytes.Contains(parts["[Content_Types].xml"], []byte(`PartName="/`+name+`"`)) {
			t.Errorf("[Content_Types].xml does not declare %s", name)
		}
	}
	text := readWordXML(t, parts["word/document.xml"]).text()
	for _, want := range []string{"Raport de neconformitate", "NC-2026-007 · închisă", "Ștefan Țurcanu", "De ce a întârziat?", "răspunsul întârziat."} {
		if !strings.Contains(text, want) {
			t.Errorf("the DOCX lacks %q", want)
		}
	}
	if !bytes.Contains(parts["word/footer1.xml"], []byte("NUMPAGES")) {
		t.Error("no page count in the footer")
	}
}
