package report

import (
	"encoding/xml"
	"io"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// wellFormed parses svg as XML to the end.
func wellFormed(t *testing.T, svg string) {
	t.Helper()
	d := xml.NewDecoder(strings.NewReader(svg))
	for {
		_, err := d.Token()
		if err == io.EOF {
			return
		}
		if err != nil {
			t.Fatalf("not well-formed XML: %v\n%s", err, svg)
		}
	}
}

func TestStrategyMapSVG(t *testing.T) {
	m := StrategyMap{
		Title: "Harta strategică",
		Desc:  "Obiective pe perspective & legături",
		Bands: []MapBand{{Label: "Cetățeni și comunitate", Score: "86,7 · Verde"}, {Label: "Gestiune financiară"}, {Label: "Procese interne"}},
		Nodes: []MapNode{
			{ID: 1, Band: 0, Code: "C1", Title: "Servicii publice rapide <și> \"sigure\" pentru toți cetățenii municipiului, fără cozi la ghișee", Status: "green", ScoreText: "90", StatusLabel: "Verde", Href: "/scorecard/objectives/1"},
			{ID: 2, Band: 0, Code: "C2", Title: "Încredere", Status: "amber", ScoreText: "60", StatusLabel: "Galben", Href: "/scorecard/objectives/2"},
			{ID: 3, Band: 1, Code: "F1", Title: "Încasări", Status: "red", ScoreText: "20", StatusLabel: "Roșu", Href: "/scorecard/objectives/3"},
			{ID: 4, Band: 2, Code: "P1", Title: "Procese digitale", Status: "none", ScoreText: "–", StatusLabel: "Fără date"},
			{ID: 5, Band: 9, Code: "X9", Title: "În afara benzilor"},
		},
		Edges: []MapEdge{{From: 3, To: 1, Label: "F1 → C1"}, {From: 4, To: 3}, {From: 1, To: 2}, {From: 2, To: 99}},
	}
	svg := StrategyMapSVG(m)
	wellFormed(t, svg)
	for _, want := range []string{`role="img"`, "<title id=", "<desc id=", "Obiective pe perspective &amp; legături", `href="/scorecard/objectives/1"`, "&lt;și&gt;", "&#34;sigure", "C1", "F1", "P1", "Cetățeni și", "comunitate", "86,7 · Verde", "marker-end"} {
		if !strings.Contains(svg, want) {
			t.Errorf("the map lacks %q", want)
		}
	}
	if strings.Contains(svg, "<și>") {
		t.Error("the title is not escaped")
	}
	if n := strings.Count(svg, `class="node"`); n != 4 {
		t.Errorf("%d nodes drawn, want 4 (the one outside every band is left out)", n)
	}
	if n := strings.Count(svg, `class="link"`); n != 3 {
		t.Errorf("%d arrows drawn, want 3 (the one to a missing node is left out)", n)
	}
	if n := strings.Count(svg, `class="band"`); n != 3 {
		t.Errorf("%d bands, want 3", n)
	}
	if svg != StrategyMapSVG(m) {
		t.Error("the layout is not deterministic")
	}
	// An upward arrow (F1 in band 1 to C1 in band 0) starts below where it ends.
	boxes := m.layout()
	if !(boxes[3].y > boxes[1].y) || boxes[1].y != boxes[2].y || boxes[1].x >= boxes[2].x {
		t.Errorf("layout: %+v", boxes)
	}
}

func TestWrapText(t *testing.T) {
	for _, tc := range []struct {
		in    string
		width int
		lines int
		want  []string
	}{
		{"Servicii publice rapide", 12, 3, []string{"Servicii", "publice", "rapide"}},
		{"a b c d e f", 3, 2, []string{"a b", "c…"}},
		{"Supercalifragilistic", 8, 3, []string{"Supercal", "ifragili", "stic"}},
		{"", 10, 2, nil},
	} {
		got := wrapText(tc.in, tc.width, tc.lines)
		if strings.Join(got, "|") != strings.Join(tc.want, "|") {
			t.Errorf("wrapText(%q, %d, %d) = %q, want %q", tc.in, tc.width, tc.lines, got, tc.want)
		}
	}
}

func TestScoreChartSVG(t *testing.T) {
	c := ScoreChart{Title: "Tabloul de bord", Desc: "Scorul pe perspective <0–100>", NoData: "fără date", Bars: []ScoreBar{
		{Label: "Cetățeni & comunitate", Score: 86.7, HasData: true, Status: "green", ScoreText: "86,7", StatusLabel: "Verde", Href: "/scorecard?x=1&y=2"},
		{Label: "Gestiune financiară", Score: 140, HasData: true, Status: "amber", ScoreText: "100", StatusLabel: "Galben"},
		{Label: "Procese interne", Status: "none"},
	}}
	svg := ScoreChartSVG(c)
	wellFormed(t, svg)
	for _, want := range []string{`role="img"`, "Cetățeni &amp; comunitate", "&lt;0–100&gt;", "86,7", "Verde", "fără date", `href="/scorecard?x=1&amp;y=2"`, `stroke-dasharray`} {
		if !strings.Contains(svg, want) {
			t.Errorf("the chart lacks %q", want)
		}
	}
	// 86.7 of 360 units is 312.1; 140 is clamped to the full 360.
	for _, want := range []string{`width="312.1"`, `width="360" height="22" fill="#ffe0a3"`} {
		if !strings.Contains(svg, want) {
			t.Errorf("the chart lacks %q:\n%s", want, svg)
		}
	}
	if n := strings.Count(svg, "<line"); n != 3 {
		t.Errorf("%d lines, want the axis and the 50 and 80 guides", n)
	}
}

func TestWriteXLSXSheets(t *testing.T) {
	var buf strings.Builder
	err := WriteXLSXSheets(&buf,
		Table{Sheet: "Indicatori", Headers: []string{"Cod", "Scor"}, Rows: [][]any{{"K01", 86.7}, {"K02", "—"}}},
		Table{Sheet: "Obiective", Headers: []string{"Cod", "Titlu"}, Rows: [][]any{{"C1", "Servicii rapide și sigure"}}})
	if err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(strings.NewReader(buf.String()))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got := f.GetSheetList(); len(got) != 2 || got[0] != "Indicatori" || got[1] != "Obiective" {
		t.Fatalf("sheets %q", got)
	}
	if v, _ := f.GetCellValue("Obiective", "B2"); v != "Servicii rapide și sigure" {
		t.Errorf("B2 = %q", v)
	}
	if v, _ := f.GetCellValue("Indicatori", "B2"); v != "86.7" {
		t.Errorf("score cell = %q", v)
	}
}
