package web

// The scorecard's pages: the overview (scorecard_overview.go), the strategy
// map and its links (scorecard_map.go), perspectives
// (scorecard_perspective.go), objectives (scorecard_objective.go),
// initiatives (scorecard_initiative.go), quality objectives
// (scorecard_quality.go) and the report (scorecard_report.go). This file
// holds what they share: reading the month and the unit, the template
// helpers, and the scorecard's SVG charts built from a card.

import (
	"context"
	"html/template"
	"math"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"cadran/internal/auth"
	"cadran/internal/i18n"
	"cadran/internal/report"
	"cadran/internal/scorecard"
)

// scCardQuery reads ?month=2026-10 (default: the last month that has
// ended) and ?unit=ID (default: the institution).
func (s *Server) scCardQuery(r *http.Request) scorecard.CardQuery {
	q := scorecard.CardQuery{UnitID: max(queryInt(r, "unit"), 0)}
	if m, err := scorecard.ParsePeriod(r.URL.Query().Get("month")); err == nil && m.Year >= 1990 && m.Year <= 2200 {
		q.Month = m
	}
	if q.Month.IsZero() {
		q.Month = scorecard.MonthOf(s.clock.Now()).Prev()
	}
	if q.Month.Freq != scorecard.Monthly {
		q.Month = scorecard.Containing(scorecard.Monthly, q.Month.Last())
	}
	return q
}

// scUnit is a unit with scorecard objectives of its own, for the unit
// select.
type scUnit struct {
	ID   int64
	Name string
}

// scUnits lists the units that have objectives of their own.
func (s *Server) scUnits(ctx context.Context, a auth.Actor) ([]scUnit, error) {
	objs, err := s.scorecard.Objectives(ctx, a, scorecard.ObjectiveFilter{AllUnits: true})
	if err != nil {
		return nil, err
	}
	seen := map[int64]bool{}
	var out []scUnit
	for _, o := range objs {
		if o.UnitID != 0 && !seen[o.UnitID] {
			seen[o.UnitID] = true
			out = append(out, scUnit{ID: o.UnitID, Name: o.UnitName})
		}
	}
	slices.SortFunc(out, func(x, y scUnit) int { return strings.Compare(x.Name, y.Name) })
	return out, nil
}

// scUnitsOf is scUnits from the institution's card, which scores every
// unit with objectives of its own.
func scUnitsOf(c scorecard.Card) []scUnit {
	out := make([]scUnit, 0, len(c.Units))
	for _, u := range c.Units {
		out = append(out, scUnit{ID: u.UnitID, Name: u.UnitName})
	}
	slices.SortFunc(out, func(x, y scUnit) int { return strings.Compare(x.Name, y.Name) })
	return out
}

// scMonthQuery is the query string that keeps a card's month and unit.
func scMonthQuery(q scorecard.CardQuery) string {
	v := "?month=" + q.Month.Key()
	if q.UnitID != 0 {
		v += "&unit=" + strconv.FormatInt(q.UnitID, 10)
	}
	return v
}

// ScStatus names a status in words.
func (p *Page) ScStatus(status string) string {
	if status == "" {
		status = scorecard.StatusNone
	}
	return p.T("scorecard.status." + status)
}

// ScIcon is the sign shown beside a status's colour, so it never reads by
// colour alone.
func (p *Page) ScIcon(status string) string {
	switch status {
	case scorecard.StatusGreen:
		return "✓"
	case scorecard.StatusAmber:
		return "!"
	case scorecard.StatusRed:
		return "✗"
	}
	return "–"
}

// ScPerspective is a perspective's name: the institution's own, else the
// catalogue's for its kind.
func (p *Page) ScPerspective(x scorecard.Perspective) string { return scPerspectiveName(p.l, x) }

func scPerspectiveName(l *i18n.Localizer, x scorecard.Perspective) string {
	if x.Name != "" || x.Kind == "" {
		return x.Name
	}
	return l.T("scorecard.perspective." + x.Kind)
}

// ScScore is an aggregate's score with one decimal, or a dash without data.
func (p *Page) ScScore(a scorecard.Agg) string {
	if !a.HasData {
		return "—"
	}
	return p.Decimal(a.Score, 1)
}

// ScNum is a value with the KPI's decimals, or a dash when missing.
func (p *Page) ScNum(v *float64, decimals int) string {
	if v == nil {
		return "—"
	}
	return p.Decimal(*v, decimals)
}

// ScFloat is a number with the given decimals.
func (p *Page) ScFloat(v float64, decimals int) string { return p.Decimal(v, decimals) }

// ScTarget is a target: a value, or a band "low–high".
func (p *Page) ScTarget(t *scorecard.Target, decimals int) string {
	if t == nil {
		return "—"
	}
	if t.High != nil && *t.High != t.Value {
		return p.Decimal(t.Value, decimals) + "–" + p.Decimal(*t.High, decimals)
	}
	return p.Decimal(t.Value, decimals)
}

// ScPct is a share (0-1) as a percentage with one decimal.
func (p *Page) ScPct(f float64) string { return p.Decimal(f*100, 1) + " %" }

// ScPeriod is a period as people read it.
func (p *Page) ScPeriod(x scorecard.Period) string { return x.Label(p.Lang) }

// ScTrend compares a KPI's value with the period before: "up", "down",
// "flat", or "" when either is missing.
func (p *Page) ScTrend(k scorecard.KPICard) string {
	if k.Value == nil || k.Previous == nil {
		return ""
	}
	d := *k.Value - *k.Previous
	switch {
	case math.Abs(d) < 1e-9*math.Max(1, math.Abs(*k.Value)):
		return "flat"
	case d > 0:
		return "up"
	}
	return "down"
}

// ScTrendArrow is the arrow of a trend.
func (p *Page) ScTrendArrow(trend string) string {
	return map[string]string{"up": "↑", "down": "↓", "flat": "→"}[trend]
}

// scChart is the overview's bar chart: a bar per perspective that has
// objectives in the card.
func scChart(l *i18n.Localizer, c scorecard.Card, title string) template.HTML {
	ch := report.ScoreChart{Title: title, NoData: l.T("scorecard.status.none"),
		Desc: l.T("scorecard.overview.chart_desc", map[string]any{"Score": scScoreText(l, c.Agg), "Status": l.T("scorecard.status." + c.Agg.Status)})}
	for _, pc := range c.Perspectives {
		if len(pc.Objectives) == 0 {
			continue
		}
		ch.Bars = append(ch.Bars, report.ScoreBar{Label: scPerspectiveName(l, pc.Perspective), Score: pc.Agg.Score, HasData: pc.Agg.HasData,
			Status: pc.Agg.Status, ScoreText: scScoreText(l, pc.Agg), StatusLabel: l.T("scorecard.status." + pc.Agg.Status),
			Href: "#persp-" + strconv.FormatInt(pc.Perspective.ID, 10)})
	}
	return template.HTML(report.ScoreChartSVG(ch))
}

func scScoreText(l *i18n.Localizer, a scorecard.Agg) string {
	if !a.HasData {
		return "—"
	}
	return l.Decimal(a.Score, 1)
}

// scFindObjective finds an objective's card in a card, at any depth.
func scFindObjective(c scorecard.Card, id int64) (scorecard.ObjectiveCard, bool) {
	var walk func([]scorecard.ObjectiveCard) (scorecard.ObjectiveCard, bool)
	walk = func(list []scorecard.ObjectiveCard) (scorecard.ObjectiveCard, bool) {
		for _, oc := range list {
			if oc.Objective.ID == id {
				return oc, true
			}
			if f, ok := walk(oc.Children); ok {
				return f, true
			}
		}
		return scorecard.ObjectiveCard{}, false
	}
	for _, pc := range c.Perspectives {
		if f, ok := walk(pc.Objectives); ok {
			return f, true
		}
	}
	return scorecard.ObjectiveCard{}, false
}

// scFloat reads a decimal number typed with a comma or a point; a number
// that cannot be read is NaN, which the domain refuses with its own
// message for the field.
func scFloat(s string) float64 {
	s = strings.TrimSpace(strings.ReplaceAll(s, " ", ""))
	if s == "" {
		return 0
	}
	if strings.Contains(s, ",") {
		s = strings.ReplaceAll(strings.ReplaceAll(s, ".", ""), ",", ".")
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return math.NaN()
	}
	return f
}

// scFloatText writes a number back into a form field.
func scFloatText(f float64) string {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return ""
	}
	return strconv.FormatFloat(f, 'f', -1, 64)
}

// scInt reads a whole number; one that cannot be read is -1, out of every
// range the domain accepts.
func scInt(s string) int {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		return -1
	}
	return n
}
