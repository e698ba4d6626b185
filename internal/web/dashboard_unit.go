package web

import (
	"context"
	"fmt"
	"html/template"
	"slices"
	"strconv"

	"cadran/internal/auth"
	"cadran/internal/dashboard"
	"cadran/internal/i18n"
	"cadran/internal/report"
	"cadran/internal/scorecard"
)

// dashUnitView is a head of unit's dashboard: the unit they lead and every
// unit under it.
type dashUnitView struct {
	UnitID   int64
	UnitName string
	Units    int // units led, the unit itself included
	KPIs     *dashUnitKPIs
	Risks    *dashUnitRisks
	Work     *dashUnitWork
	Unread   *dashUnread
}

// dashUnitKPIs are the KPIs the units own, with their latest result.
type dashUnitKPIs struct {
	Rows  []dashKPIRow
	Chart template.HTML
	Href  string
}

type dashKPIRow struct {
	ID                       int64
	Code, Name, Unit, Period string
	Value, Score             string
	Status, StatusLabel      string
	Href                     string
}

// dashUnitRisks are the units' active risks by band.
type dashUnitRisks struct {
	dashboard.UnitRisks
	Chart           template.HTML
	Href, AboveHref string
	Tolerance       int
}

// dashUnitWork is the units' open work by module.
type dashUnitWork struct {
	dashboard.UnitWork
	Rows  []dashDueRow
	Chart template.HTML
	Href  string
}

// dashUnread are the documents in force the units' people have not
// confirmed reading.
type dashUnread struct {
	Total int
	Items []dashboard.Unread
}

func (s *Server) dashUnitData(ctx context.Context, a auth.Actor, l *i18n.Localizer, led []int64) (*dashUnitView, error) {
	v := &dashUnitView{UnitID: led[0], Units: len(led)}
	if u, err := s.org.Unit(ctx, a, led[0]); err == nil {
		v.UnitName = u.Name
	} else {
		return nil, err
	}
	ds := s.dashboard
	unit := strconv.FormatInt(v.UnitID, 10)
	var err error
	if a.Can(auth.PermScorecardView) {
		if v.KPIs, err = s.dashUnitKPIs(ctx, a, l, led); err != nil {
			return nil, err
		}
		v.KPIs.Href = "/scorecard/kpis?unit=" + unit
	}
	if a.Can(auth.PermRisksView) {
		year, err := s.risks.RegisterYear(ctx, a)
		if err != nil {
			return nil, err
		}
		st, err := s.risks.Settings(ctx, a)
		if err != nil {
			return nil, err
		}
		ur, err := ds.UnitRisks(ctx, a, led, year, st, 5)
		if err != nil {
			return nil, err
		}
		list := fmt.Sprintf("/risks?year=%d&unit=%s&kind=risk&state=active&sort=-residual", year, unit)
		r := &dashUnitRisks{UnitRisks: ur, Href: list, AboveHref: list + "&above=1", Tolerance: st.Tolerance}
		c := report.StackChart{Title: l.T("dashboard.unit.risks_chart"), Empty: l.T("dashboard.nothing.risks"),
			Desc: l.T("dashboard.unit.risks_desc", map[string]any{"Low": ur.Low, "Medium": ur.Medium, "High": ur.High}),
			Series: []report.StackSeries{
				{Label: l.T("dashboard.band.low"), Fill: st.ColorLow, Stroke: "#444444"},
				{Label: l.T("dashboard.band.medium"), Fill: st.ColorMedium, Stroke: "#444444"},
				{Label: l.T("dashboard.band.high"), Fill: st.ColorHigh, Stroke: "#444444"},
			}}
		if ur.Total > 0 {
			c.Bars = []report.StackBar{{Label: v.UnitName, Href: list, Values: []int{ur.Low, ur.Medium, ur.High}}}
		}
		r.Chart = template.HTML(report.StackChartSVG(c))
		v.Risks = r
	}
	uw, err := ds.UnitWork(ctx, a, led, 8)
	if err != nil {
		return nil, err
	}
	w := &dashUnitWork{UnitWork: uw, Href: dashTasks("scope", "unit", "unit", unit)}
	for _, r := range uw.Rows {
		w.Rows = append(w.Rows, dashDueRow{Name: dashModule(l, r.Module), Href: dashTasks("scope", "unit", "unit", unit, "module", r.Module),
			OverdueHref: dashTasks("scope", "unit", "unit", unit, "module", r.Module, "overdue", "1"), DueRow: r})
	}
	w.Chart = dashDueChart(l, l.T("dashboard.unit.work_chart"),
		l.T("dashboard.unit.work_desc", map[string]any{"Open": uw.Open, "Overdue": uw.Overdue}), uw.Rows, "dashboard.due.later", "unit", v.UnitID)
	v.Work = w
	if a.Can(auth.PermDocsView) {
		items, total, err := ds.Unacknowledged(ctx, a, led, 10)
		if err != nil {
			return nil, err
		}
		v.Unread = &dashUnread{Total: total, Items: items}
	}
	return v, nil
}

// dashUnitKPIs collects the KPIs owned by the led units from the
// institution's scorecard and the scorecards of the led units that have
// objectives of their own: each KPI judged by the scorecard service.
func (s *Server) dashUnitKPIs(ctx context.Context, a auth.Actor, l *i18n.Localizer, led []int64) (*dashUnitKPIs, error) {
	card, units, err := s.scorecard.CardWithUnits(ctx, a, scorecard.CardQuery{})
	if err != nil {
		return nil, err
	}
	seen := map[int64]bool{}
	var kpis []scorecard.KPICard
	collect := func(c scorecard.Card) {
		var walk func([]scorecard.ObjectiveCard)
		walk = func(os []scorecard.ObjectiveCard) {
			for _, oc := range os {
				for _, k := range oc.KPIs {
					if !seen[k.KPI.ID] && slices.Contains(led, k.KPI.UnitID) {
						seen[k.KPI.ID] = true
						kpis = append(kpis, k)
					}
				}
				walk(oc.Children)
			}
		}
		for _, pc := range c.Perspectives {
			walk(pc.Objectives)
		}
	}
	collect(card)
	for _, uc := range units {
		if slices.Contains(led, uc.Query.UnitID) {
			collect(uc)
		}
	}
	slices.SortStableFunc(kpis, func(x, y scorecard.KPICard) int {
		if x.KPI.Code < y.KPI.Code {
			return -1
		}
		if x.KPI.Code > y.KPI.Code {
			return 1
		}
		return 0
	})
	d := &dashUnitKPIs{}
	ch := report.ScoreChart{Title: l.T("dashboard.unit.kpi_chart"), NoData: l.T("scorecard.status.none"),
		Desc: l.T("dashboard.unit.kpi_desc", map[string]any{"Count": len(kpis)})}
	for _, k := range kpis {
		status := scorecard.StatusNone
		score := "—"
		if k.HasResult {
			status, score = k.Result.Status, l.Decimal(k.Result.Score, 1)
		}
		value := "—"
		if k.Value != nil {
			value = l.Decimal(*k.Value, k.KPI.Decimals)
			if k.KPI.MeasureUnit != "" {
				value += " " + k.KPI.MeasureUnit
			}
		}
		href := fmt.Sprintf("/scorecard/kpis/%d", k.KPI.ID)
		d.Rows = append(d.Rows, dashKPIRow{ID: k.KPI.ID, Code: k.KPI.Code, Name: k.KPI.Name, Unit: k.KPI.UnitName, Period: k.Period.Key(),
			Value: value, Score: score, Status: status, StatusLabel: l.T("scorecard.status." + status), Href: href})
		ch.Bars = append(ch.Bars, report.ScoreBar{Label: k.KPI.Code + " " + k.KPI.Name, Score: k.Result.Score, HasData: k.HasResult,
			Status: status, ScoreText: score, StatusLabel: l.T("scorecard.status." + status), Href: href})
	}
	if len(kpis) > 0 {
		d.Chart = template.HTML(report.ScoreChartSVG(ch))
	}
	return d, nil
}
