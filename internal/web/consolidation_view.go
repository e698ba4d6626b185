package web

// The consolidated view (/consolidated): the own apparatus and each
// subordinate or decentralised body side by side and in total, for the
// scorecard, the registers and training; its XLSX and CSV export and its
// PDF. One table (consTable) is built from the view and drawn by the page,
// the export and the PDF alike, so the three always hold the same numbers.

import (
	"fmt"
	"html/template"
	"io"
	"math"
	"net/http"
	"strconv"

	"cadran/internal/consolidation"
	"cadran/internal/i18n"
	"cadran/internal/report"
	"cadran/internal/work"
)

// consService is the consolidated view's service (stateless: built per
// request from the server's database, clock and risk register).
func (s *Server) consService() *consolidation.Service {
	return &consolidation.Service{DB: s.db, Clock: s.clock, Risks: s.risks}
}

// consIndicator is one row of the view: a figure of a body, how it is
// written and, where the module's list can filter by unit, its link.
type consIndicator struct {
	section string // scorecard, registers, training
	key     string // the row's label
	format  string // n (count), h (hours), pct (share), score
	get     func(f consolidation.Figures) (float64, bool)
	// link is the module's list for a body's unit ("" for the total:
	// the list unfiltered); nil when the list has no such filter.
	link func(v consolidation.View, unit string) string
}

func consCount(f func(consolidation.Figures) int) func(consolidation.Figures) (float64, bool) {
	return func(x consolidation.Figures) (float64, bool) { return float64(f(x)), true }
}

// consIndicators are the rows in order; which show depends on the
// sections the actor may read.
func consIndicators(v consolidation.View) []consIndicator {
	var out []consIndicator
	sec := v.Sections
	if sec.Scorecard {
		out = append(out,
			consIndicator{"scorecard", "consolidation.row.score", "score", func(f consolidation.Figures) (float64, bool) { return f.Score.Score, f.Score.HasData }, nil},
			// No link: the KPI list filters by the KPI's own unit, while
			// a body owns a KPI through its objective or owner as well.
			consIndicator{"scorecard", "consolidation.row.kpis", "n", consCount(func(f consolidation.Figures) int { return f.KPIs }), nil},
			consIndicator{"scorecard", "consolidation.row.green", "n", consCount(func(f consolidation.Figures) int { return f.Green }), nil},
			consIndicator{"scorecard", "consolidation.row.amber", "n", consCount(func(f consolidation.Figures) int { return f.Amber }), nil},
			consIndicator{"scorecard", "consolidation.row.red", "n", consCount(func(f consolidation.Figures) int { return f.Red }), nil},
			consIndicator{"scorecard", "consolidation.row.nodata", "n", consCount(func(f consolidation.Figures) int { return f.NoData }), nil},
		)
	}
	if sec.Risks {
		out = append(out,
			consIndicator{"registers", "consolidation.row.risks", "n", consCount(func(f consolidation.Figures) int { return f.Risks }),
				func(v consolidation.View, u string) string {
					return fmt.Sprintf("/risks?year=%d&kind=risk&state=active", v.Year) + consAnd(u)
				}},
			consIndicator{"registers", "consolidation.row.above", "n", consCount(func(f consolidation.Figures) int { return f.AboveTolerance }),
				func(v consolidation.View, u string) string {
					return fmt.Sprintf("/risks?year=%d&state=active&above=1", v.Year) + consAnd(u)
				}},
			consIndicator{"registers", "consolidation.row.high", "n", consCount(func(f consolidation.Figures) int { return f.HighRisks }), nil},
		)
	}
	if sec.Improvement {
		out = append(out,
			consIndicator{"registers", "consolidation.row.ncs_open", "n", consCount(func(f consolidation.Figures) int { return f.NCsOpen }),
				func(_ consolidation.View, u string) string { return "/nonconformities?state=open" + consAnd(u) }},
			consIndicator{"registers", "consolidation.row.ncs_year", "n", consCount(func(f consolidation.Figures) int { return f.NCsYear }), nil},
			consIndicator{"registers", "consolidation.row.actions_overdue", "n", consCount(func(f consolidation.Figures) int { return f.ActionsOverdue }),
				func(_ consolidation.View, u string) string {
					return "/nonconformities/actions?overdue=1&kind=nc" + consAnd(u)
				}},
			consIndicator{"registers", "consolidation.row.proposals", "n", consCount(func(f consolidation.Figures) int { return f.ProposalsOpen }),
				func(_ consolidation.View, u string) string { return "/proposals?state=open" + consAnd(u) }},
		)
	}
	if sec.Control {
		out = append(out, consIndicator{"registers", "consolidation.row.sensitive", "n", consCount(func(f consolidation.Figures) int { return f.Sensitive }),
			func(_ consolidation.View, u string) string { return "/control/sensitive?state=active" + consAnd(u) }})
	}
	if sec.Training {
		certLink := func(v consolidation.View, u string) string { return "/training/certificates?expiry=valid" + consAnd(u) }
		if v.CertDay != v.Today {
			// The list shows the certificates valid today, not on a
			// past year's last day.
			certLink = nil
		}
		out = append(out,
			consIndicator{"training", "consolidation.row.people", "n", consCount(func(f consolidation.Figures) int { return f.People }),
				func(_ consolidation.View, u string) string { return "/people" + consQuery(u) }},
			consIndicator{"training", "consolidation.row.trained", "n", consCount(func(f consolidation.Figures) int { return f.Trained }), nil},
			consIndicator{"training", "consolidation.row.share", "pct", func(f consolidation.Figures) (float64, bool) { return f.TrainedShare() }, nil},
			consIndicator{"training", "consolidation.row.hours", "h", func(f consolidation.Figures) (float64, bool) { return f.Hours, true }, nil},
			consIndicator{"training", "consolidation.row.certificates", "n", consCount(func(f consolidation.Figures) int { return f.Certificates }), certLink},
		)
	}
	return out
}

// consQuery and consAnd add a body's unit filter ("unit=ID") to a list's
// address.
func consQuery(u string) string {
	if u == "" {
		return ""
	}
	return "?" + u
}

func consAnd(u string) string {
	if u == "" {
		return ""
	}
	return "&" + u
}

// consHead is a column's heading.
type consHead struct {
	Name, Kind, Href string
	Legal            bool
	Total            bool
}

// consCell is one figure: as written, as a number for the workbook, and
// its link.
type consCell struct {
	Text  string
	Value any
	Href  string
}

// consRow is an indicator's row.
type consRow struct {
	Label string
	Cells []consCell // one per body, then the total
}

// consSection is a section of rows under its heading.
type consSection struct {
	ID, Title string
	Rows      []consRow
}

// consTable is the view as the page, the workbook and the PDF show it.
type consTable struct {
	Heads    []consHead // the bodies, then the total
	Sections []consSection
}

// consBodyName names a body: its unit, or the own apparatus or the
// unassigned records in words.
func consBodyName(l *i18n.Localizer, b consolidation.Body) string {
	switch b.Kind {
	case consolidation.KindOwn:
		return l.T("consolidation.body.own")
	case consolidation.KindUnassigned:
		return l.T("consolidation.body.unassigned")
	}
	return b.Name
}

func consFormat(l *i18n.Localizer, format string, x float64, ok bool) (string, any) {
	if !ok {
		return "—", ""
	}
	round := math.Round(x*10) / 10
	switch format {
	case "n":
		return l.Number(int(x)), int(x)
	case "pct":
		return l.Decimal(x, 1) + " %", round
	}
	return l.Decimal(x, 1), round
}

func consolidationTable(l *i18n.Localizer, v consolidation.View) consTable {
	var t consTable
	for _, c := range v.Columns {
		h := consHead{Name: consBodyName(l, c.Body), Kind: l.T("consolidation.kind." + c.Body.Kind), Legal: c.Body.LegalPerson}
		if c.Body.UnitID != 0 {
			h.Href = "/units/" + strconv.FormatInt(c.Body.UnitID, 10)
		}
		t.Heads = append(t.Heads, h)
	}
	t.Heads = append(t.Heads, consHead{Name: l.T("consolidation.total"), Total: true})
	for _, ind := range consIndicators(v) {
		if len(t.Sections) == 0 || t.Sections[len(t.Sections)-1].ID != ind.section {
			t.Sections = append(t.Sections, consSection{ID: ind.section, Title: l.T("consolidation.section." + ind.section)})
		}
		row := consRow{Label: l.T(ind.key)}
		cell := func(f consolidation.Figures, unit string, linked bool) consCell {
			x, ok := ind.get(f)
			var c consCell
			c.Text, c.Value = consFormat(l, ind.format, x, ok)
			if ind.format == "score" && ok {
				c.Text += " · " + l.T("consolidation.status."+f.Score.Status)
			}
			if ind.link != nil && linked {
				c.Href = ind.link(v, unit)
			}
			return c
		}
		for _, c := range v.Columns {
			unit := ""
			if c.Body.UnitID != 0 {
				unit = "unit=" + strconv.FormatInt(c.Body.UnitID, 10)
			}
			row.Cells = append(row.Cells, cell(c.Figures, unit, unit != ""))
		}
		row.Cells = append(row.Cells, cell(v.Total, "", true))
		s := &t.Sections[len(t.Sections)-1]
		s.Rows = append(s.Rows, row)
	}
	return t
}

// consolidationData is the page.
type consolidationData struct {
	View      consolidation.View
	Table     consTable
	Years     []int
	ScoreSVG  template.HTML
	StatusSVG template.HTML
	// MonthLabel is the month the scorecard is read as of.
	MonthLabel string
}

func (s *Server) consolidatedRead(r *http.Request) (consolidation.View, error) {
	year, _ := strconv.Atoi(r.URL.Query().Get("year"))
	return s.consService().Consolidated(r.Context(), actorOf(r), consolidation.Query{Year: year})
}

// consolidatedView is the page: the filter for the year, the charts of the
// bodies' scores and KPI statuses, and the table.
func (s *Server) consolidatedView(w http.ResponseWriter, r *http.Request) error {
	v, err := s.consolidatedRead(r)
	if err != nil {
		return err
	}
	l := localizer(r)
	d := consolidationData{View: v, Table: consolidationTable(l, v), MonthLabel: v.Month.Label(l.Lang())}
	this := work.Day(s.clock.Now()).Year()
	for y := this; y >= max(consolidation.MinYear, this-6); y-- {
		d.Years = append(d.Years, y)
	}
	if v.Sections.Scorecard {
		d.ScoreSVG, d.StatusSVG = consolidationCharts(l, v)
	}
	return s.render(w, http.StatusOK, "consolidation_view", s.page(r, "consolidation.title", d))
}

// consolidationCharts draws the bodies' scores and their KPIs' statuses.
func consolidationCharts(l *i18n.Localizer, v consolidation.View) (template.HTML, template.HTML) {
	sc := report.ScoreChart{Title: l.T("consolidation.chart.score"), Desc: l.T("consolidation.chart.score_desc"), NoData: l.T("consolidation.status.none")}
	st := report.StatusChart{Title: l.T("consolidation.chart.status"), Desc: l.T("consolidation.chart.status_desc"), Empty: l.T("consolidation.chart.no_kpis")}
	add := func(name string, unit int64, f consolidation.Figures) {
		href := ""
		if unit != 0 {
			href = "/units/" + strconv.FormatInt(unit, 10)
		}
		sc.Bars = append(sc.Bars, report.ScoreBar{Label: name, Score: f.Score.Score, HasData: f.Score.HasData, Status: f.Score.Status,
			ScoreText: l.Decimal(f.Score.Score, 1), StatusLabel: l.T("consolidation.status." + f.Score.Status), Href: href})
		st.Bars = append(st.Bars, report.StatusBar{Label: name, Href: href, Counts: []report.StatusCount{
			{Status: "green", Count: f.Green, Label: l.T("consolidation.count.green", "Count", f.Green)},
			{Status: "amber", Count: f.Amber, Label: l.T("consolidation.count.amber", "Count", f.Amber)},
			{Status: "red", Count: f.Red, Label: l.T("consolidation.count.red", "Count", f.Red)},
			{Status: "none", Count: f.NoData, Label: l.T("consolidation.count.none", "Count", f.NoData)},
		}})
	}
	for _, c := range v.Columns {
		add(consBodyName(l, c.Body), c.Body.UnitID, c.Figures)
	}
	add(l.T("consolidation.total"), 0, v.Total)
	return template.HTML(report.ScoreChartSVG(sc)), template.HTML(report.StatusChartSVG(st))
}

// consolidationExport is the table as rows = indicators, columns = the
// section, the indicator, each body and the total.
func consolidationExport(l *i18n.Localizer, v consolidation.View) report.Table {
	t := consolidationTable(l, v)
	out := report.Table{Sheet: l.T("consolidation.sheet"), Headers: []string{l.T("consolidation.col.section"), l.T("consolidation.col.indicator")}}
	for _, h := range t.Heads {
		out.Headers = append(out.Headers, h.Name)
	}
	for _, sec := range t.Sections {
		for _, row := range sec.Rows {
			cells := []any{sec.Title, row.Label}
			for _, c := range row.Cells {
				cells = append(cells, c.Value)
			}
			out.Rows = append(out.Rows, cells)
		}
	}
	return out
}

func consFileName(l *i18n.Localizer, v consolidation.View) string {
	return l.T("consolidation.file") + " " + strconv.Itoa(v.Year)
}

// consolidatedExport downloads the table as XLSX (…/export.xlsx) or CSV
// (…/export.csv), for the year of the page.
func (s *Server) consolidatedExport(w http.ResponseWriter, r *http.Request) error {
	v, err := s.consolidatedRead(r)
	if err != nil {
		return err
	}
	l := localizer(r)
	return sendTables(w, r, consFileName(l, v), consolidationExport(l, v))
}

// consolidatedPDF prints the table on A4 landscape: a heading row per
// section, then its indicators.
func (s *Server) consolidatedPDF(w http.ResponseWriter, r *http.Request) error {
	v, err := s.consolidatedRead(r)
	if err != nil {
		return err
	}
	l := localizer(r)
	inst, err := s.org.Institution(r.Context(), actorOf(r))
	if err != nil {
		return err
	}
	t := consolidationTable(l, v)
	cols := []string{l.T("consolidation.col.indicator")}
	widths := []float64{2.6}
	for _, h := range t.Heads {
		name := h.Name
		if h.Legal {
			name += " (" + l.T("consolidation.legal_person") + ")"
		}
		cols = append(cols, name)
		widths = append(widths, 1.2)
	}
	var rows [][]string
	for _, sec := range t.Sections {
		rows = append(rows, []string{sec.Title})
		for _, row := range sec.Rows {
			cells := []string{row.Label}
			for _, c := range row.Cells {
				cells = append(cells, c.Text)
			}
			rows = append(rows, cells)
		}
	}
	pt := report.PDFTable{Title: l.T("consolidation.pdf_title", "Year", v.Year),
		Subtitle: inst.Name + " · " + l.T("consolidation.pdf_subtitle", "Month", v.Month.Label(l.Lang()), "Date", l.Date(s.clock.Now())),
		Columns:  cols, Widths: widths, Rows: rows, Footer: "Cadran", PageLabel: l.T("print.page"), OfLabel: l.T("print.of")}
	return sendFile(w, consFileName(l, v), "pdf", func(w io.Writer) error { return report.WriteTablePDF(w, pt) })
}
