package report

import (
	"strings"
	"testing"
)

func TestStatusChartSVG(t *testing.T) {
	svg := StatusChartSVG(StatusChart{
		Title: "Indicatori după stare <b>",
		Desc:  "Aparatul propriu & instituțiile subordonate",
		Empty: "fără indicatori",
		Bars: []StatusBar{
			{Label: "Aparatul de specialitate", Counts: []StatusCount{{"green", "3 verzi", 3}, {"amber", "1 galben", 1}, {"red", "0 roșii", 0}, {"none", "1 fără date", 1}}},
			{Label: "Direcția de Asistență Socială", Href: "/scorecard/kpis?unit=7", Counts: []StatusCount{{"red", "2 roșii", 2}}},
			{Label: "Poliția Locală"},
		},
	})
	wellFormed(t, svg)
	for _, want := range []string{
		`role="img"`, "Indicatori după stare &lt;b&gt;", "Aparatul propriu &amp; instituțiile subordonate",
		`<a href="/scorecard/kpis?unit=7">`, "<title>3 verzi</title>", "<title>1 fără date</title>", "3 verzi · 1 galben · 1 fără date",
		`width="180"`, `width="60"`, "fără indicatori", `fill="#f8c4c4"`,
	} {
		if !strings.Contains(svg, want) {
			t.Errorf("missing %q in %s", want, svg)
		}
	}
	if strings.Contains(svg, "0 roșii") {
		t.Error("an empty segment is drawn")
	}
}
