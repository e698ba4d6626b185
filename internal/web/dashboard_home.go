package web

import (
	"context"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"time"

	"cadran/internal/auth"
	"cadran/internal/dashboard"
	"cadran/internal/i18n"
	"cadran/internal/org"
	"cadran/internal/report"
)

// The role dashboards, shown on the home page (home.go): top management's,
// the quality manager's and a head of unit's. A person holding several of
// these roles gets one tab each (/?view=top|quality|unit), the highest
// first. Each widget shows only what the person may see in its module, and
// says so plainly when the module holds nothing yet.

// Dashboard views, highest first.
const (
	dashTop     = "top"
	dashQuality = "quality"
	dashUnit    = "unit"
)

// dashTab is one tab of the dashboards.
type dashTab struct {
	View, Key, Href string
	Active          bool
}

// dashViews lists the dashboards the actor may open, highest first, and the
// units a head of unit leads (for the unit dashboard).
func (s *Server) dashViews(ctx context.Context, a auth.Actor) ([]string, []int64, error) {
	var views []string
	if a.HasRole(auth.RoleTopManagement) {
		views = append(views, dashTop)
	}
	if a.HasRole(auth.RoleQualityManager) {
		views = append(views, dashQuality)
	}
	var led []int64
	if a.HasRole(auth.RoleHeadOfUnit) && a.PersonID != 0 {
		var err error
		if led, err = org.LedUnits(ctx, s.db.R, a.Tenant, a.PersonID); err != nil {
			return nil, nil, err
		}
		if len(led) > 0 {
			views = append(views, dashUnit)
		}
	}
	return views, led, nil
}

// dashPick is the view asked for in ?view= when the actor may open it, else
// the highest.
func dashPick(views []string, asked string) string {
	for _, v := range views {
		if v == asked {
			return v
		}
	}
	if len(views) == 0 {
		return ""
	}
	return views[0]
}

func dashTabs(views []string, current string) []dashTab {
	if len(views) < 2 {
		return nil
	}
	out := make([]dashTab, len(views))
	for i, v := range views {
		out[i] = dashTab{View: v, Key: "dashboard.tab." + v, Href: "/?view=" + v, Active: v == current}
	}
	return out
}

// dashDay writes a YYYY-MM-DD day as the reader's language writes dates;
// "" stays "".
func dashDay(l *i18n.Localizer, day string) string {
	t, err := time.Parse(time.DateOnly, day)
	if err != nil {
		return day
	}
	return l.Date(t)
}

// dashPct writes a share (0 to 1) as a percentage with one decimal.
func dashPct(l *i18n.Localizer, share float64) string {
	return l.Decimal(share*100, 1) + " %"
}

// dashModule names a module of the work inbox.
func dashModule(l *i18n.Localizer, module string) string {
	if k := "task.module." + module; l.Has(k) {
		return l.T(k)
	}
	return module
}

// dashTasks is the task list filtered to what a figure counts.
func dashTasks(kv ...string) string {
	q := url.Values{}
	for i := 0; i+1 < len(kv); i += 2 {
		if kv[i+1] != "" {
			q.Set(kv[i], kv[i+1])
		}
	}
	return "/tasks?" + q.Encode()
}

// Series colours of the due chart: overdue, this week, later.
var dashDueSeries = [3][2]string{{"#f8c4c4", "#b71c1c"}, {"#ffe0a3", "#a35f00"}, {"#cfe3f5", "#0b4f8a"}}

// dashDueChart draws work items by module: one bar per module, split into
// overdue, due this week and due later (in the next weeks). scope is the
// task list's scope the segments link to ("all", or "unit" with unit).
func dashDueChart(l *i18n.Localizer, title, desc string, rows []dashboard.DueRow, laterKey, scope string, unit int64) template.HTML {
	c := report.StackChart{Title: title, Desc: desc, Empty: l.T("dashboard.nothing.due"), Series: []report.StackSeries{
		{Label: l.T("dashboard.due.overdue"), Fill: dashDueSeries[0][0], Stroke: dashDueSeries[0][1]},
		{Label: l.T("dashboard.due.this_week"), Fill: dashDueSeries[1][0], Stroke: dashDueSeries[1][1]},
		{Label: l.T(laterKey), Fill: dashDueSeries[2][0], Stroke: dashDueSeries[2][1]},
	}}
	u := ""
	if unit != 0 {
		u = fmt.Sprint(unit)
	}
	for _, r := range rows {
		all := dashTasks("scope", scope, "unit", u, "module", r.Module)
		c.Bars = append(c.Bars, report.StackBar{Label: dashModule(l, r.Module), Href: all,
			Values: []int{r.Overdue, r.ThisWeek, r.Next},
			Hrefs:  []string{dashTasks("scope", scope, "unit", u, "module", r.Module, "overdue", "1"), all, all}})
	}
	return template.HTML(report.StackChartSVG(c))
}

// home is the institution's front page: the dashboard of the person's role,
// or, for everyone else, what the institution holds and what changed last.
func (s *Server) home(w http.ResponseWriter, r *http.Request) error {
	a := actorOf(r)
	views, led, err := s.dashViews(r.Context(), a)
	if err != nil {
		return err
	}
	view := dashPick(views, r.URL.Query().Get("view"))
	if view == "" {
		return s.homePlain(w, r)
	}
	d := homeData{Roles: a.Roles, View: view, Tabs: dashTabs(views, view)}
	l := localizer(r)
	switch view {
	case dashTop:
		d.Top, err = s.dashTopData(r.Context(), a, l)
	case dashQuality:
		d.Quality, err = s.dashQualityData(r.Context(), a, l)
	case dashUnit:
		d.Unit, err = s.dashUnitData(r.Context(), a, l, led)
	}
	if err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "home", s.page(r, "dashboard.title."+view, d))
}

// DashDay writes a YYYY-MM-DD day in the page's language.
func (p *Page) DashDay(day string) string { return dashDay(p.l, day) }
