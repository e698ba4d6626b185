package web

import (
	"html/template"
	"net/http"

	"cadran/internal/auth"
	"cadran/internal/scorecard"
)

// scOverviewData is the scorecard overview.
type scOverviewData struct {
	Card       scorecard.Card
	Chart      template.HTML
	Month      string // "2026-10", for the month field
	MonthLabel string
	Keep       string // "?month=...&unit=..." for the links that keep the view
	Units      []scUnit
	CanManage  bool
	CanMeasure bool
}

// scorecardOverview is the scorecard as of a month: the institution's or a
// unit's, its perspectives as bands, each objective as a tile coloured by
// its status with its KPIs and how every score was calculated.
func (s *Server) scorecardOverview(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	a := actorOf(r)
	if err := s.scorecard.EnsureDefaults(ctx, a); err != nil {
		return err
	}
	q := s.scCardQuery(r)
	card, err := s.scorecard.Card(ctx, a, q)
	if err != nil {
		return err
	}
	l := localizer(r)
	d := &scOverviewData{Card: card, Month: q.Month.Key(), MonthLabel: q.Month.Label(l.Lang()), Keep: scMonthQuery(q),
		CanManage: a.Can(auth.PermScorecardManage), CanMeasure: a.Can(auth.PermScorecardMeasure)}
	if q.UnitID == 0 {
		// The institution's card already lists the units with objectives
		// of their own: no second read of every objective.
		d.Units = scUnitsOf(card)
	} else if d.Units, err = s.scUnits(ctx, a); err != nil {
		return err
	}
	scope := card.UnitName
	if scope == "" {
		scope = l.T("scorecard.page.institution")
	}
	d.Chart = scChart(l, card, l.T("scorecard.overview.chart_title", map[string]any{"Scope": scope, "Month": d.MonthLabel}))
	p := s.page(r, "scorecard.overview.title", d)
	if card.UnitName != "" {
		p.Title = p.T("scorecard.overview.unit_title", map[string]any{"Unit": card.UnitName})
	}
	return s.render(w, http.StatusOK, "scorecard_overview", p)
}
