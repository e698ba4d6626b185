package web

// CAF results, the improvement plan and the self-assessment report:
// caf_results.go (the results page with its two radar charts and the
// shared helpers), caf_plan.go (the improvement plan: grid, table, forms,
// exports) and caf_report.go (the report in PDF, DOCX and XLSX).

import (
	"fmt"
	"html/template"
	"math"
	"net/http"
	"strconv"

	"cadran/internal/caf"
	"cadran/internal/frameworks"
	"cadran/internal/i18n"
	"cadran/internal/report"
)

// cafResRow is a line of the results table: a criterion, a sub-criterion
// or a total, with this cycle's score, the previous cycle's and the
// difference spelled out.
type cafResRow struct {
	Code     string
	Title    string
	Kind     string // enabler, result; "" for totals
	Href     string
	Score    string // "—" when missing
	Previous string
	Trend    string // up, down, same; "" without both scores
	Diff     string // "↑ +12,5 (în creștere)": arrow and words
	Missing  bool   // no consensus score
	Subs     []cafResRow
	score    *float64
	previous *float64
}

// cafResultsData is the results page.
type cafResultsData struct {
	Cycle       caf.Cycle
	Previous    *caf.Cycle
	Enablers    []cafResRow // criteria 1-5 with their sub-criteria
	Results     []cafResRow // criteria 6-9
	Totals      []cafResRow // enablers, results, overall
	Missing     int
	Subs        int
	CritRadar   template.HTML
	SubRadar    template.HTML
	HasPrevious bool
}

// cafResModel is the cycle's edition of the model (the latest when the
// cycle names one Cadran no longer knows, which cannot happen for a saved
// cycle but keeps the pages from failing).
func cafResModel(c caf.Cycle) frameworks.CAF {
	if m, ok := frameworks.CAFModel(c.Model); ok {
		return m
	}
	m, _ := frameworks.CAFModel(frameworks.CAFLatest)
	return m
}

// cafResScore writes a score with one decimal, "—" when missing.
func cafResScore(l *i18n.Localizer, f *float64) string {
	if f == nil {
		return "—"
	}
	return l.Decimal(*f, 1)
}

// cafResDiff compares a score with the previous cycle's: the trend (up, down,
// same) and the difference in words with an arrow, so it never rests on
// colour alone.
func cafResDiff(l *i18n.Localizer, score, prev *float64) (trend, text string) {
	if score == nil || prev == nil {
		return "", ""
	}
	d := math.Round((*score-*prev)*10) / 10
	switch {
	case d > 0:
		return "up", l.T("caf.res.trend.up", map[string]any{"Diff": "+" + l.Decimal(d, 1)})
	case d < 0:
		return "down", l.T("caf.res.trend.down", map[string]any{"Diff": "−" + l.Decimal(-d, 1)})
	}
	return "same", l.T("caf.res.trend.same")
}

func cafResNewRow(l *i18n.Localizer, code, title, kind, href string, sc caf.Scored) cafResRow {
	row := cafResRow{Code: code, Title: title, Kind: kind, Href: href, Score: cafResScore(l, sc.Score), Previous: cafResScore(l, sc.Previous),
		Missing: sc.Score == nil, score: sc.Score, previous: sc.Previous}
	row.Trend, row.Diff = cafResDiff(l, sc.Score, sc.Previous)
	return row
}

// cafResultRows lays the results out as rows: the criteria with their
// sub-criteria, split into enablers and results, and the three totals.
func cafResultRows(l *i18n.Localizer, res caf.Results) (enablers, results, totals []cafResRow) {
	m := cafResModel(res.Cycle)
	lang := l.Lang()
	base := "/caf/" + strconv.FormatInt(res.Cycle.ID, 10)
	for _, cr := range res.Criteria {
		title := cr.Code
		if c, ok := m.Criterion(cr.Code); ok {
			title = c.Title(lang)
		}
		row := cafResNewRow(l, cr.Code, title, cr.Kind, "", cr.Scored)
		for _, sr := range cr.Subs {
			st := sr.Code
			if sub, ok := m.Sub(sr.Code); ok {
				st = sub.Title(lang)
			}
			row.Subs = append(row.Subs, cafResNewRow(l, sr.Code, st, cr.Kind, base+"/consensus/"+sr.Code, sr.Scored))
		}
		if cr.Kind == frameworks.CAFResult {
			results = append(results, row)
		} else {
			enablers = append(enablers, row)
		}
	}
	totals = []cafResRow{
		cafResNewRow(l, "", l.T("caf.enablers"), "", "", res.Enablers),
		cafResNewRow(l, "", l.T("caf.results"), "", "", res.Results),
		cafResNewRow(l, "", l.T("caf.res.total"), "", "", res.Total),
	}
	return enablers, results, totals
}

// cafResRadars draws the two radar charts: the criteria and the
// sub-criteria, this cycle against the previous one.
func cafResRadars(l *i18n.Localizer, res caf.Results, enablers, results []cafResRow) (crit, subs report.Radar) {
	cur := res.Cycle.Code
	format := func(f float64) string { return l.Decimal(f, 1) }
	crit = report.Radar{Title: l.T("caf.res.radar_criteria", map[string]any{"Code": cur}), Max: 100, Format: format, ID: "caf-radar-crit"}
	subs = report.Radar{Title: l.T("caf.res.radar_subs", map[string]any{"Code": cur}), Max: 100, Format: format, ID: "caf-radar-subs"}
	if res.Previous != nil {
		crit.Desc = l.T("caf.res.radar_desc_prev", map[string]any{"Code": cur, "Previous": res.Previous.Code})
	} else {
		crit.Desc = l.T("caf.res.radar_desc", map[string]any{"Code": cur})
	}
	subs.Desc = crit.Desc
	var cv, pv, scv, spv []*float64
	for _, row := range append(append([]cafResRow{}, enablers...), results...) {
		crit.Axes = append(crit.Axes, report.RadarAxis{Label: row.Code, Title: row.Code + " " + row.Title, Href: "#crit-" + row.Code})
		cv, pv = append(cv, row.score), append(pv, row.previous)
		for _, s := range row.Subs {
			subs.Axes = append(subs.Axes, report.RadarAxis{Label: s.Code, Title: s.Code + " " + s.Title, Href: "#sub-" + s.Code})
			scv, spv = append(scv, s.score), append(spv, s.previous)
		}
	}
	crit.Series = []report.RadarSeries{{Name: cur, Class: "current", Values: cv}}
	subs.Series = []report.RadarSeries{{Name: cur, Class: "current", Values: scv}}
	if res.Previous != nil {
		crit.Series = append(crit.Series, report.RadarSeries{Name: res.Previous.Code, Class: "previous", Values: pv})
		subs.Series = append(subs.Series, report.RadarSeries{Name: res.Previous.Code, Class: "previous", Values: spv})
	}
	return crit, subs
}

// cafResults shows a cycle's scores per criterion and sub-criterion,
// enablers, results and overall, beside the previous cycle's, with two
// radar charts and their data as tables.
func (s *Server) cafResults(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	res, err := s.caf.ResultsOf(r.Context(), actorOf(r), id)
	if err != nil {
		return err
	}
	l := localizer(r)
	d := &cafResultsData{Cycle: res.Cycle, Previous: res.Previous, Missing: res.Missing, HasPrevious: res.Previous != nil}
	d.Enablers, d.Results, d.Totals = cafResultRows(l, res)
	for _, c := range append(append([]cafResRow{}, d.Enablers...), d.Results...) {
		d.Subs += len(c.Subs)
	}
	crit, subs := cafResRadars(l, res, d.Enablers, d.Results)
	d.CritRadar = template.HTML(report.RadarSVG(crit))
	d.SubRadar = template.HTML(report.RadarSVG(subs))
	p := s.page(r, "caf.res.title", d)
	p.Title = fmt.Sprintf("%s · %s", l.T("caf.res.title"), res.Cycle.Code)
	return s.render(w, http.StatusOK, "caf_results", p)
}
