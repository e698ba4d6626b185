package report

import (
	"encoding/xml"
	"strings"
	"testing"
)

func TestStackChartSVG(t *testing.T) {
	c := StackChart{Title: "Sarcini deschise, pe module", Desc: "3 cu termen depășit", Empty: "Nimic",
		Series: []StackSeries{{Label: "Depășite", Fill: "#f8c4c4", Stroke: "#b71c1c"}, {Label: "Săptămâna aceasta", Fill: "#ffe0a3", Stroke: "#a35f00"}},
		Bars: []StackBar{
			{Label: "Riscuri & măsuri", Href: "/tasks?module=risks&scope=all", Values: []int{40, 10}, Hrefs: []string{"/tasks?module=risks&overdue=1", ""}},
			{Label: "Documente", Values: []int{0, 3}},
		}}
	svg := StackChartSVG(c)
	// Well-formed XML, so it embeds in a page and a PDF alike.
	if err := xml.Unmarshal([]byte(svg), new(any)); err != nil {
		t.Fatalf("not well-formed: %v\n%s", err, svg)
	}
	for _, want := range []string{
		`role="img"`, `<title id="`, `<desc id="`, "Sarcini deschise, pe module", "3 cu termen depășit",
		"Riscuri &amp; măsuri", `href="/tasks?module=risks&amp;scope=all"`, `href="/tasks?module=risks&amp;overdue=1"`,
		"Depășite", "Săptămâna aceasta",
		// Every segment says its count in a title, and each row its total.
		"<title>Riscuri &amp; măsuri: Depășite, 40</title>", "<title>Documente: Săptămâna aceasta, 3</title>",
		`font-weight="bold">50</text>`, `font-weight="bold">3</text>`,
	} {
		if !strings.Contains(svg, want) {
			t.Errorf("the chart lacks %q", want)
		}
	}
	// A zero segment draws nothing; the bars share one scale: 40 of the
	// largest row's 50 take 4/5 of the bar's width.
	if strings.Contains(svg, "Documente: Depășite") {
		t.Error("a zero segment was drawn")
	}
	if !strings.Contains(svg, `width="288.0"`) {
		t.Errorf("the 40 of 50 segment is not 288 wide:\n%s", svg)
	}
	if strings.Contains(svg, "Nimic") {
		t.Error("a chart with bars says it is empty")
	}
}

func TestStackChartSVGEmpty(t *testing.T) {
	for _, c := range []StackChart{
		{Title: "Gol", Empty: "Nicio sarcină scadentă."},
		{Title: "Zero", Empty: "Nicio sarcină scadentă.", Series: []StackSeries{{Label: "A"}}, Bars: []StackBar{{Label: "x", Values: []int{0}}}},
	} {
		svg := StackChartSVG(c)
		if err := xml.Unmarshal([]byte(svg), new(any)); err != nil {
			t.Fatalf("%s: not well-formed: %v", c.Title, err)
		}
		if !strings.Contains(svg, "Nicio sarcină scadentă.") || strings.Contains(svg, "<rect x=\"200") {
			t.Errorf("%s: an empty chart should say so and draw no bar:\n%s", c.Title, svg)
		}
	}
}
