package web

import (
	"context"
	"fmt"
	"html/template"
	"time"

	"cadran/internal/auth"
	"cadran/internal/caf"
	"cadran/internal/citizen"
	"cadran/internal/dashboard"
	"cadran/internal/i18n"
	"cadran/internal/report"
	"cadran/internal/risks"
	"cadran/internal/scorecard"
	"cadran/internal/work"
)

// dashTopView is top management's dashboard. A nil part is one the person
// may not see; a part with nothing in it says so.
type dashTopView struct {
	Scorecard   *dashScorecard
	Risks       *dashRisks
	Overdue     *dashOverdue
	Citizen     *dashCitizen
	CAF         *dashCAF
	Control     *dashControl
	Certificate *dashCertificate
}

// dashScorecard is the institution's scorecard in one line and a chart.
type dashScorecard struct {
	Score, Status, StatusLabel string
	HasData                    bool
	Chart                      template.HTML
	Month                      string
	Perspectives               []dashScoreRow
}

type dashScoreRow struct {
	Name, Score, Status, StatusLabel, Href string
}

// dashRisks are the risks above the institution's tolerance.
type dashRisks struct {
	Year, Tolerance, Above, Active int
	Top                            []risks.Summary
	ListHref                       string
}

// dashOverdue is the institution's overdue work by module.
type dashOverdue struct {
	Total int
	Rows  []dashOverdueRow
	Chart template.HTML
	Href  string
}

type dashOverdueRow struct {
	Module, Name, Href, Oldest string
	Count                      int
}

// dashCitizen is the share of petitions and requests answered in time this
// year.
type dashCitizen struct {
	Year           int
	Closed, OnTime int
	Share          string
	OverdueOpen    int
	Rows           []dashCitizenRow
	Href           string
}

type dashCitizenRow struct {
	Name           string
	Closed, OnTime int
	Share          string
}

// dashCAF is the latest CAF cycle.
type dashCAF struct {
	ID                int64
	Code, Title       string
	State, StateLabel string
	Step              int    // the first step not done; 0 when all are
	StepLabel         string // its name
	Score             string // the cycle's total score, "" when not agreed yet
	Missing           int
}

// dashControl is the latest internal-control self-evaluation.
type dashControl struct {
	ID                    int64
	Year                  int
	StateLabel            string
	Implemented, Standard int
	Partial               int
	Grade, GradeLabel     string
}

// dashCertificate is the ISO 9001 certificate and the next external audit.
type dashCertificate struct {
	Has                    bool
	Number, Body           string
	Expires, State         string
	StateLabel             string
	NextKind, NextDue      string // the next milestone of the cycle
	NextAuditID            int64
	NextAudit, NextAuditOn string // the next external audit recorded
}

func (s *Server) dashTopData(ctx context.Context, a auth.Actor, l *i18n.Localizer) (*dashTopView, error) {
	v := &dashTopView{}
	var err error
	if a.Can(auth.PermScorecardView) {
		if v.Scorecard, err = s.dashScorecard(ctx, a, l); err != nil {
			return nil, err
		}
	}
	if a.Can(auth.PermRisksView) {
		o, err := s.risks.Overview(ctx, a)
		if err != nil {
			return nil, err
		}
		top := o.Top
		if len(top) > 5 {
			top = top[:5]
		}
		v.Risks = &dashRisks{Year: o.Year, Tolerance: o.Tolerance, Above: o.AboveTolerance, Active: o.Active, Top: top,
			ListHref: fmt.Sprintf("/risks?year=%d&above=1&sort=-residual", o.Year)}
	}
	if a.Can(auth.PermWorkOversee) {
		due, err := s.dashboard.Due(ctx, a)
		if err != nil {
			return nil, err
		}
		v.Overdue = dashOverdueOf(l, due)
	}
	if a.Can(auth.PermCitizenStats) {
		if v.Citizen, err = s.dashCitizen(ctx, a, l); err != nil {
			return nil, err
		}
	}
	if a.Can(auth.PermCAFView) {
		if v.CAF, err = s.dashCAF(ctx, a, l); err != nil {
			return nil, err
		}
	}
	if a.Can(auth.PermControlView) {
		if v.Control, err = s.dashControl(ctx, a, l); err != nil {
			return nil, err
		}
	}
	if a.Can(auth.PermComplianceView) {
		if v.Certificate, err = s.dashCertificate(ctx, a, l); err != nil {
			return nil, err
		}
	}
	return v, nil
}

// dashScorecard reads the institution's scorecard through the scorecard
// service (the arithmetic is the scorecard's own).
func (s *Server) dashScorecard(ctx context.Context, a auth.Actor, l *i18n.Localizer) (*dashScorecard, error) {
	card, err := s.scorecard.Card(ctx, a, scorecard.CardQuery{})
	if err != nil {
		return nil, err
	}
	d := &dashScorecard{Score: scScoreText(l, card.Agg), Status: card.Agg.Status, StatusLabel: l.T("scorecard.status." + card.Agg.Status),
		HasData: card.Agg.HasData, Month: card.Query.Month.Key()}
	ch := report.ScoreChart{Title: l.T("dashboard.top.scorecard_chart"), NoData: l.T("scorecard.status.none"),
		Desc: l.T("scorecard.overview.chart_desc", map[string]any{"Score": d.Score, "Status": d.StatusLabel})}
	for _, pc := range card.Perspectives {
		if len(pc.Objectives) == 0 {
			continue
		}
		// The perspective's band on the scorecard page.
		href := fmt.Sprintf("/scorecard#persp-%d", pc.Perspective.ID)
		row := dashScoreRow{Name: scPerspectiveName(l, pc.Perspective), Score: scScoreText(l, pc.Agg),
			Status: pc.Agg.Status, StatusLabel: l.T("scorecard.status." + pc.Agg.Status), Href: href}
		d.Perspectives = append(d.Perspectives, row)
		ch.Bars = append(ch.Bars, report.ScoreBar{Label: row.Name, Score: pc.Agg.Score, HasData: pc.Agg.HasData,
			Status: row.Status, ScoreText: row.Score, StatusLabel: row.StatusLabel, Href: href})
	}
	if len(ch.Bars) > 0 {
		d.Chart = template.HTML(report.ScoreChartSVG(ch))
	}
	return d, nil
}

func dashOverdueOf(l *i18n.Localizer, due dashboard.Due) *dashOverdue {
	o := &dashOverdue{Total: due.Overdue, Href: dashTasks("scope", "all", "overdue", "1")}
	c := report.StackChart{Title: l.T("dashboard.top.overdue_chart"), Desc: l.T("dashboard.top.overdue_desc", map[string]any{"Count": due.Overdue}),
		Empty:  l.T("dashboard.nothing.overdue"),
		Series: []report.StackSeries{{Label: l.T("dashboard.due.overdue"), Fill: dashDueSeries[0][0], Stroke: dashDueSeries[0][1]}}}
	for _, r := range due.Rows {
		if r.Overdue == 0 {
			continue
		}
		href := dashTasks("scope", "all", "module", r.Module, "overdue", "1")
		o.Rows = append(o.Rows, dashOverdueRow{Module: r.Module, Name: dashModule(l, r.Module), Href: href, Count: r.Overdue, Oldest: dashDay(l, r.OldestOverdue)})
		c.Bars = append(c.Bars, report.StackBar{Label: dashModule(l, r.Module), Href: href, Values: []int{r.Overdue}, Hrefs: []string{href}})
	}
	if len(o.Rows) > 0 {
		o.Chart = template.HTML(report.StackChartSVG(c))
	}
	return o
}

// dashCitizen reads this year's indicators of the registry (the citizen
// module's own statistics).
func (s *Server) dashCitizen(ctx context.Context, a auth.Actor, l *i18n.Localizer) (*dashCitizen, error) {
	today := work.Day(s.clock.Now())
	from := time.Date(today.Year(), 1, 1, 0, 0, 0, 0, time.UTC)
	set, err := s.citizen.ServiceIndicators(ctx, a, from, today)
	if err != nil {
		return nil, err
	}
	d := &dashCitizen{Year: today.Year(), Closed: set.Total.Closed, OnTime: set.Total.OnTime, OverdueOpen: set.Total.OverdueOpen,
		Href: fmt.Sprintf("/citizen/indicators?from=%s&to=%s", from.Format(time.DateOnly), today.Format(time.DateOnly))}
	if d.Closed > 0 {
		d.Share = dashPct(l, set.Total.OnTimeShare)
	}
	for _, r := range set.Rows {
		if r.ServiceID != 0 || (r.Kind != citizen.KindPetition && r.Kind != citizen.KindInfo) {
			continue
		}
		row := dashCitizenRow{Name: l.T("dashboard.citizen.kind." + r.Kind), Closed: r.Closed, OnTime: r.OnTime}
		if r.Closed > 0 {
			row.Share = dashPct(l, r.OnTimeShare)
		}
		d.Rows = append(d.Rows, row)
	}
	return d, nil
}

// dashCAF reads the latest CAF cycle, its step and its score.
func (s *Server) dashCAF(ctx context.Context, a auth.Actor, l *i18n.Localizer) (*dashCAF, error) {
	page, err := s.caf.Cycles(ctx, a, caf.CycleFilter{PerPage: 1})
	if err != nil || len(page.Items) == 0 {
		return &dashCAF{}, err
	}
	c := page.Items[0]
	d := &dashCAF{ID: c.ID, Code: c.Code, Title: c.Title, State: c.State, StateLabel: l.T("caf.state." + c.State)}
	steps, err := s.caf.StepsOf(ctx, a, c.ID)
	if err != nil {
		return nil, err
	}
	for _, st := range steps {
		if st.DoneOn == "" {
			d.Step, d.StepLabel = st.N, l.T(fmt.Sprintf("caf.step.%d", st.N))
			break
		}
	}
	res, err := s.caf.ResultsOf(ctx, a, c.ID)
	if err != nil {
		return nil, err
	}
	if res.Total.Score != nil {
		d.Score = l.Decimal(*res.Total.Score, 1)
	}
	d.Missing = res.Missing
	return d, nil
}

// dashControl reads the latest self-evaluation's summary.
func (s *Server) dashControl(ctx context.Context, a auth.Actor, l *i18n.Localizer) (*dashControl, error) {
	evals, err := s.control.Evaluations(ctx, a)
	if err != nil || len(evals) == 0 {
		return &dashControl{}, err
	}
	e := evals[0]
	sum, err := s.control.Summary(ctx, a, e.ID)
	if err != nil {
		return nil, err
	}
	return &dashControl{ID: e.ID, Year: e.Year, StateLabel: l.T("control.eval.state." + e.State), Implemented: sum.Implemented,
		Partial: sum.Partial, Standard: len(sum.Standards()), Grade: sum.Grade, GradeLabel: l.T("control.grade." + sum.Grade)}, nil
}

// dashCertificate reads the certificate's cycle from the compliance module.
func (s *Server) dashCertificate(ctx context.Context, a auth.Actor, l *i18n.Localizer) (*dashCertificate, error) {
	cy, err := s.compliance.Cycle(ctx, a)
	if err != nil {
		return nil, err
	}
	d := &dashCertificate{State: cy.State}
	if cy.Certificate != nil {
		c := cy.Certificate
		d.Has, d.Number, d.Body, d.Expires = true, c.Number, c.Body, dashDay(l, c.ExpiresOn)
		d.StateLabel = l.T("compliance.cert." + cy.State)
	}
	if cy.Next != nil {
		d.NextKind, d.NextDue = l.T("compliance.xkind."+cy.Next.Kind), dashDay(l, cy.Next.Due)
	}
	today := work.Day(s.clock.Now()).Format(time.DateOnly)
	for _, x := range cy.Audits {
		if x.EndsOn >= today {
			d.NextAuditID, d.NextAudit, d.NextAuditOn = x.ID, l.T("compliance.xkind."+x.Kind), dashDay(l, x.StartsOn)
			break
		}
	}
	return d, nil
}
