package web

import (
	"context"
	"html/template"

	"cadran/internal/auth"
	"cadran/internal/dashboard"
	"cadran/internal/i18n"
)

// dashQualityView is the quality manager's dashboard.
type dashQualityView struct {
	Due         *dashDue
	Approvals   *dashApprovals
	Audits      *dashAudits
	Certificate *dashCertificate
}

// dashDue is everything due and overdue institution-wide, by module and
// due week.
type dashDue struct {
	Today, WeekEnd, Horizon string
	Overdue, ThisWeek, Next int
	Rows                    []dashDueRow
	Chart                   template.HTML
	Href, OverdueHref       string
}

type dashDueRow struct {
	Name, Href, OverdueHref string
	dashboard.DueRow
}

// dashApprovals are the document versions waiting for a signature.
type dashApprovals struct {
	Total int
	Items []dashboard.Awaiting
}

// dashAudits are the internal audits of the quarter.
type dashAudits struct {
	Quarter dashboard.Quarter
	Items   []dashboard.QuarterAudit
	Href    string
}

func (s *Server) dashQualityData(ctx context.Context, a auth.Actor, l *i18n.Localizer) (*dashQualityView, error) {
	v := &dashQualityView{}
	ds := s.dashboard
	if a.Can(auth.PermWorkOversee) {
		due, err := ds.Due(ctx, a)
		if err != nil {
			return nil, err
		}
		d := &dashDue{Today: dashDay(l, due.Today), WeekEnd: dashDay(l, due.WeekEnd), Horizon: dashDay(l, due.Horizon),
			Overdue: due.Overdue, ThisWeek: due.ThisWeek, Next: due.Next,
			Href: dashTasks("scope", "all", "sort", "due"), OverdueHref: dashTasks("scope", "all", "overdue", "1")}
		for _, r := range due.Rows {
			d.Rows = append(d.Rows, dashDueRow{Name: dashModule(l, r.Module), Href: dashTasks("scope", "all", "module", r.Module),
				OverdueHref: dashTasks("scope", "all", "module", r.Module, "overdue", "1"), DueRow: r})
		}
		d.Chart = dashDueChart(l, l.T("dashboard.quality.due_chart"),
			l.T("dashboard.quality.due_desc", map[string]any{"Overdue": due.Overdue, "Week": due.ThisWeek, "Next": due.Next}),
			due.Rows, "dashboard.due.next_weeks", "all", 0)
		v.Due = d
	}
	if a.Can(auth.PermDocsManage) {
		items, total, err := ds.Approvals(ctx, a, 10)
		if err != nil {
			return nil, err
		}
		v.Approvals = &dashApprovals{Total: total, Items: items}
	}
	if a.Can(auth.PermAuditsView) {
		q, items, err := ds.QuarterAudits(ctx, a)
		if err != nil {
			return nil, err
		}
		v.Audits = &dashAudits{Quarter: q, Items: items, Href: "/audits"}
	}
	if a.Can(auth.PermComplianceView) {
		var err error
		if v.Certificate, err = s.dashCertificate(ctx, a, l); err != nil {
			return nil, err
		}
	}
	return v, nil
}
