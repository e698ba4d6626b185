package report

import (
	"bytes"
	"encoding/xml"
	"strings"
	"testing"
)

func sampleMap() HeatMap {
	counts := [][]int{{1, 0, 0}, {0, 2, 0}, {0, 0, 3}}
	colors := [][]string{{"#c8e6c9", "#c8e6c9", "#ffe082"}, {"#c8e6c9", "#ffe082", "#ef9a9a"}, {"#ffe082", "#ef9a9a", "#ef9a9a"}}
	links := [][]string{{"/risks?p=1&i=1", "/risks?p=1&i=2", "/risks?p=1&i=3"}, {"/risks?p=2&i=1", "/risks?p=2&i=2", "/risks?p=2&i=3"}, {"/risks?p=3&i=1", "/risks?p=3&i=2", "/risks?p=3&i=3"}}
	return HeatMap{Title: "Risc inerent — țintă", RowsLabel: "Probabilitate", ColsLabel: "Impact", RowLabels: []string{"scăzută", "medie", "ridicată"},
		ColLabels: []string{"scăzut", "mediu", "ridicat"}, Counts: counts, Colors: colors, Links: links, Note: "6 înregistrări active"}
}

func TestHeatMapSVG(t *testing.T) {
	svg := HeatMapSVG(sampleMap())
	// Well-formed XML, an image with its title, and the links escaped.
	if err := xml.Unmarshal([]byte(svg), new(struct{})); err != nil {
		t.Fatalf("the SVG is not well-formed: %v", err)
	}
	for _, want := range []string{`role="img"`, "<title", "Risc inerent — țintă", `href="/risks?p=3&amp;i=3"`, `>3</text>`, `fill="#ef9a9a"`} {
		if !strings.Contains(svg, want) {
			t.Errorf("the SVG lacks %q", want)
		}
	}
	// Every cell shows its count, so the map reads without colour.
	if n := strings.Count(svg, "<rect"); n != 9 {
		t.Errorf("%d cells, want 9", n)
	}
}

func TestRiskProfilePDF(t *testing.T) {
	var buf bytes.Buffer
	p := RiskProfile{Title: "Profilul de risc 2026", Subtitle: "Primăria Municipiului Târgu Verde · 23.11.2026",
		Lines: []string{"Scala 3×3; toleranța la risc: expunere peste 4."}, Maps: []HeatMap{sampleMap(), sampleMap(), sampleMap()},
		Sections: []ProfileSection{
			{Title: "Riscuri peste toleranță", Columns: []string{"Cod", "Descriere"}, Rows: [][]string{{"R-DE-01", "Neîncasarea la termen a impozitelor și taxelor locale"}}},
			{Title: "Măsuri de control cu termen depășit", Columns: []string{"Cod", "Măsura"}, Empty: "Nu este cazul."},
		}, Footer: "Cadran", PageLabel: "Pagina", OfLabel: "din"}
	if err := WriteRiskProfilePDF(&buf, p); err != nil {
		t.Fatal(err)
	}
	text := strings.Join(pdfPages(t, buf.Bytes()), "\n")
	for _, want := range []string{"Profilul de risc 2026", "Târgu Verde", "Neîncasarea la termen a impozitelor și taxelor locale", "Riscuri peste toleranță", "Nu este cazul.", "Pagina 1 din"} {
		if !strings.Contains(text, want) {
			t.Errorf("the profile lacks %q", want)
		}
	}
}
