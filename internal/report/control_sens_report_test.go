package report

import (
	"archive/zip"
	"bytes"
	"io"
	"strings"
	"testing"
)

func TestLandscapeReportDOCX(t *testing.T) {
	r := CaseReport{Institution: "Primăria Municipiului Târgu Mureș", Title: "Inventarul funcțiilor sensibile",
		Sections: []ReportSection{{Heading: "Lista funcțiilor", Table: &ReportTable{Columns: []string{"Nr.", "Funcția", "Compartiment"},
			Widths: []float64{1, 4, 4}, Rows: [][]string{{"1", "Casier", "Serviciul Impozite și Taxe Locale"}}}}}}
	var b bytes.Buffer
	if err := WriteLandscapeReportDOCX(&b, r); err != nil {
		t.Fatal(err)
	}
	zr, err := zip.NewReader(bytes.NewReader(b.Bytes()), int64(b.Len()))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range zr.File {
		if f.Name != "word/document.xml" {
			continue
		}
		rc, _ := f.Open()
		doc, _ := io.ReadAll(rc)
		for _, want := range []string{`w:orient="landscape"`, "Serviciul Impozite și Taxe Locale", "funcțiilor sensibile"} {
			if !strings.Contains(string(doc), want) {
				t.Errorf("document lacks %q", want)
			}
		}
		return
	}
	t.Fatal("no word/document.xml")
}
