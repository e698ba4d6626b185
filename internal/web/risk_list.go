package web

import (
	"fmt"
	"html/template"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"cadran/internal/auth"
	"cadran/internal/i18n"
	"cadran/internal/org"
	"cadran/internal/report"
	"cadran/internal/risks"
	"cadran/internal/work"
)

type riskListData struct {
	Risks      []risks.Risk
	Filter     risks.Filter
	Settings   risks.Settings
	Overview   risks.Overview
	Info       risks.YearInfo
	Changes    map[int64]risks.Change
	Years      []int
	Units      []*org.TreeNode
	People     []org.Person
	Kinds      []string
	States     []string
	Levels     []string
	Strategies []string
	Maps       []template.HTML
	Sorts      []sortLink
	Pager      pager
	Saved      savedFilterBlock
	Today      time.Time
	CanPropose bool
	CanManage  bool
}

var riskSortLabels = map[string]string{"code": "risks.field.code", "description": "risks.field.description", "unit": "risks.field.unit",
	"inherent": "risks.field.inherent_e", "residual": "risks.field.current_e", "review": "risks.field.next_review", "state": "risks.field.state"}

// riskFilter reads the register's filter from the query string; without a
// year it is the register in use (see risks.RegisterYear).
func (s *Server) riskFilter(r *http.Request) (risks.Filter, error) {
	q := r.URL.Query()
	year, _ := strconv.Atoi(q.Get("year"))
	if year == 0 {
		y, err := s.risks.RegisterYear(r.Context(), actorOf(r))
		if err != nil {
			return risks.Filter{}, err
		}
		year = y
	}
	p, _ := strconv.Atoi(q.Get("p"))
	i, _ := strconv.Atoi(q.Get("i"))
	return risks.Filter{Year: year, Query: q.Get("q"), Kind: q.Get("kind"), UnitID: queryInt(r, "unit"), State: q.Get("state"), Strategy: q.Get("strategy"),
		Level: q.Get("level"), Above: q.Get("above") == "1", Score: q.Get("score"), P: p, I: i, OwnerID: queryInt(r, "owner"),
		ReviewDue: q.Get("review") == "due", Sort: q.Get("sort")}, nil
}

// riskList is the register: filters, heat maps, the list and its counts.
func (s *Server) riskList(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	a := actorOf(r)
	f, err := s.riskFilter(r)
	if err != nil {
		return err
	}
	pg := newPager(r, 25)
	f.Limit, f.Offset = pg.PerPage, pg.Offset()
	list, total, err := s.risks.List(ctx, a, f)
	if err != nil {
		return err
	}
	pg.Total = total
	st, err := s.risks.Settings(ctx, a)
	if err != nil {
		return err
	}
	d := &riskListData{Risks: list, Filter: f, Settings: st, Pager: pg, Today: work.Day(s.clock.Now()), Kinds: risks.Kinds, States: risks.States,
		Levels: risks.Levels, Strategies: append(append([]string{}, risks.RiskStrategies...), risks.OpportunityStrategies...),
		CanPropose: a.Can(auth.PermRisksPropose), CanManage: a.Can(auth.PermRisksManage)}
	if d.Overview, err = s.risks.Overview(ctx, a); err != nil {
		return err
	}
	if d.Info, err = s.risks.YearInfo(ctx, a, f.Year); err != nil {
		return err
	}
	if d.Changes, err = s.risks.Changes(ctx, a, list, d.Info.Started); err != nil {
		return err
	}
	if d.Years, err = s.risks.Years(ctx, a); err != nil {
		return err
	}
	if d.Units, err = s.org.UnitOptions(ctx, a); err != nil {
		return err
	}
	if d.People, _, err = s.org.People(ctx, a, org.PeopleFilter{Limit: 10000}); err != nil {
		return err
	}
	if d.Saved, err = s.savedFilters(r, "risks"); err != nil {
		return err
	}
	l := localizer(r)
	for _, kind := range []string{risks.KindRisk, risks.KindOpportunity} {
		if f.Kind != "" && f.Kind != kind {
			continue
		}
		g, err := s.risks.HeatMap(ctx, a, f, kind)
		if err != nil {
			return err
		}
		for _, m := range riskHeatMaps(l, st, f, g) {
			d.Maps = append(d.Maps, template.HTML(report.HeatMapSVG(m)))
		}
	}
	p := s.page(r, "risks.list_title", d)
	d.Sorts = sortLinks(p, f.Sort, riskSortLabels, risks.Sorts())
	return s.render(w, http.StatusOK, "risk_list", p)
}

// riskHeatMaps turns a grid into its maps: inherent and residual for risks,
// one for opportunities, each cell linking to the register filtered to it.
func riskHeatMaps(l *i18n.Localizer, st risks.Settings, f risks.Filter, g risks.Grid) []report.HeatMap {
	n := g.Scale
	pl, il := make([]string, n), make([]string, n)
	for k := 1; k <= n; k++ {
		pl[k-1], il[k-1] = st.PLabel(n, k), st.ILabel(n, k)
	}
	rowsLabel, colsLabel := l.T("risks.field.probability"), l.T("risks.field.impact")
	if g.Kind == risks.KindOpportunity {
		rowsLabel, colsLabel = l.T("risks.field.likelihood"), l.T("risks.field.benefit")
		for k := 1; k <= n; k++ {
			il[k-1] = l.T(fmt.Sprintf("risks.benefit.%d.%d", n, k))
		}
	}
	build := func(title, score string, counts [][]int, note string) report.HeatMap {
		h := report.HeatMap{Title: title, RowsLabel: rowsLabel, ColsLabel: colsLabel, RowLabels: pl, ColLabels: il, Counts: counts, Note: note}
		for p := 1; p <= n; p++ {
			var colors, links, labels []string
			for i := 1; i <= n; i++ {
				colors = append(colors, st.Color(g.Kind, p*i))
				q := url.Values{"year": {strconv.Itoa(f.Year)}, "kind": {g.Kind}, "state": {risks.StateActive}, "score": {score}, "p": {strconv.Itoa(p)}, "i": {strconv.Itoa(i)}}
				if f.UnitID != 0 {
					q.Set("unit", strconv.FormatInt(f.UnitID, 10))
				}
				links = append(links, "/risks?"+q.Encode()+"#register")
				labels = append(labels, l.T("risks.map.cell", "P", p, "I", i, "E", p*i, "Count", counts[p-1][i-1]))
			}
			h.Colors, h.Links, h.CellLabels = append(h.Colors, colors), append(h.Links, links), append(h.CellLabels, labels)
		}
		return h
	}
	if g.Kind == risks.KindOpportunity {
		return []report.HeatMap{build(l.T("risks.map.opportunities"), risks.ScoreResidual, g.Residual, l.T("risks.map.count", "Count", g.Total))}
	}
	return []report.HeatMap{
		build(l.T("risks.map.inherent"), risks.ScoreInherent, g.Inherent, l.T("risks.map.count", "Count", g.Total)),
		build(l.T("risks.map.residual"), risks.ScoreResidual, g.Residual, l.T("risks.map.reviewed", "Reviewed", g.Reviewed, "Count", g.Total)),
	}
}

// riskDay formats a YYYY-MM-DD day in the person's language.
func riskDay(l *i18n.Localizer, day string) string {
	t, err := time.Parse(time.DateOnly, day)
	if err != nil {
		return day
	}
	return l.Date(time.Date(t.Year(), t.Month(), t.Day(), 12, 0, 0, 0, time.UTC))
}

func numOrEmpty(n int) any {
	if n == 0 {
		return ""
	}
	return n
}

// riskExport sends the register, filtered, as XLSX in the usual 17-column
// layout, preceded by the code.
func (s *Server) riskExport(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	a := actorOf(r)
	f, err := s.riskFilter(r)
	if err != nil {
		return err
	}
	f.Limit = 10000
	list, _, err := s.risks.List(ctx, a, f)
	if err != nil {
		return err
	}
	ids := make([]int64, len(list))
	for i, rk := range list {
		ids[i] = rk.ID
	}
	ms, err := s.risks.MeasuresOf(ctx, a, ids)
	if err != nil {
		return err
	}
	l := localizer(r)
	headers := []string{l.T("risks.field.code")}
	for k := 1; k <= 17; k++ {
		headers = append(headers, l.T(fmt.Sprintf("risks.col.%d", k)))
	}
	headers = append(headers, l.T("risks.field.kind"), l.T("risks.field.level"), l.T("risks.field.state"))
	t := report.Table{Sheet: l.T("risks.export_sheet", "Year", f.Year), Headers: headers}
	for _, rk := range list {
		var measures, deadlines, status []string
		for _, m := range ms[rk.ID] {
			measures = append(measures, m.Description)
			if m.Deadline != "" {
				deadlines = append(deadlines, riskDay(l, m.Deadline))
			}
			status = append(status, l.T("risks.measure_state."+m.State))
		}
		review := ""
		if rk.LastReviewOn != "" {
			review = riskDay(l, rk.LastReviewOn)
		}
		if len(status) > 0 {
			review = strings.TrimPrefix(review+" – "+strings.Join(status, "; "), " – ")
		}
		owner := rk.Owner()
		unit := rk.UnitName
		if unit == "" {
			unit = l.T("risks.level.institution")
		}

		t.Rows = append(t.Rows, []any{rk.Code, unit, rk.Objective, rk.Description, rk.Causes, owner, rk.InherentP, rk.InherentI, rk.InherentE,
			l.T("risks.strategy." + rk.Strategy), strings.Join(measures, "\n"), strings.Join(deadlines, "\n"), review,
			numOrEmpty(rk.ResidualP), numOrEmpty(rk.ResidualI), numOrEmpty(rk.ResidualE), rk.Secondary, rk.Remarks,
			l.T("risks.kind." + rk.Kind), l.T("risks.level." + rk.Level), l.T("risks.state." + rk.State)})
	}
	return sendTables(w, r, fmt.Sprintf("%s-%d", l.T("risks.export_file"), f.Year), t)
}

// riskProfile prints the risk profile of the year's register (for the
// unit filtered, or the institution).
func (s *Server) riskProfile(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	a := actorOf(r)
	f, err := s.riskFilter(r)
	if err != nil {
		return err
	}
	pr, err := s.risks.Profile(ctx, a, f.Year, f.UnitID)
	if err != nil {
		return err
	}
	inst, err := s.org.Institution(ctx, a)
	if err != nil {
		return err
	}
	l := localizer(r)
	scope := l.T("risks.profile.institution")
	if f.UnitID != 0 {
		u, err := s.org.Unit(ctx, a, f.UnitID)
		if err != nil {
			return err
		}
		scope = u.Name
	}
	st := pr.Settings
	maps := append(riskHeatMaps(l, st, risks.Filter{Year: f.Year, UnitID: f.UnitID}, pr.Risks), riskHeatMaps(l, st, risks.Filter{Year: f.Year, UnitID: f.UnitID}, pr.Opps)...)
	for i := range maps {
		maps[i].Links = nil
	}
	doc := report.RiskProfile{
		Title:    l.T("risks.profile.title", "Year", f.Year),
		Subtitle: inst.Name + " · " + scope + " · " + l.Date(s.clock.Now()),
		Lines: []string{
			l.T("risks.profile.scale", "Scale", st.Scale, "Tolerance", st.Tolerance, "Low", st.BandLow, "Medium", st.BandMedium),
			l.T("risks.profile.counts", "Active", pr.ActiveAll, "Above", len(pr.Above), "Proposed", pr.Proposed),
		},
		Maps: maps, Footer: "Cadran", PageLabel: l.T("print.page"), OfLabel: l.T("print.of"),
	}
	above := report.ProfileSection{Title: l.T("risks.profile.above", "Tolerance", st.Tolerance), Empty: l.T("risks.profile.none"),
		Columns: []string{l.T("risks.field.code"), l.T("risks.field.description"), l.T("risks.field.unit"), l.T("risks.field.current_e")}, Widths: []float64{1.3, 5, 2.5, 1}}
	for _, m := range pr.Above {
		above.Rows = append(above.Rows, []string{m.Code, m.Description, m.Unit, strconv.Itoa(m.Exposure)})
	}
	byUnit := report.ProfileSection{Title: l.T("risks.profile.by_unit"), Empty: l.T("risks.profile.none"),
		Columns: []string{l.T("risks.field.unit"), l.T("risks.profile.active"), l.T("risks.profile.above_short")}, Widths: []float64{6, 1.5, 1.5}}
	for _, c := range pr.ByUnit {
		name := c.Label
		if name == "" {
			name = l.T("risks.level.institution")
		}
		byUnit.Rows = append(byUnit.Rows, []string{name, strconv.Itoa(c.N), strconv.Itoa(c.Above)})
	}
	byStrategy := report.ProfileSection{Title: l.T("risks.profile.by_strategy"), Empty: l.T("risks.profile.none"),
		Columns: []string{l.T("risks.field.strategy"), l.T("risks.profile.active"), l.T("risks.profile.above_short")}, Widths: []float64{6, 1.5, 1.5}}
	for _, c := range pr.Strategy {
		byStrategy.Rows = append(byStrategy.Rows, []string{l.T("risks.strategy." + c.Key), strconv.Itoa(c.N), strconv.Itoa(c.Above)})
	}
	overdue := report.ProfileSection{Title: l.T("risks.profile.overdue"), Empty: l.T("risks.profile.none"),
		Columns: []string{l.T("risks.field.code"), l.T("risks.field.measure"), l.T("risks.field.owner"), l.T("risks.field.deadline")}, Widths: []float64{1.3, 5, 2.2, 1.3}}
	for _, m := range pr.Overdue {
		overdue.Rows = append(overdue.Rows, []string{m.RiskCode, m.Description, m.Owner, riskDay(l, m.Deadline)})
	}
	doc.Sections = []report.ProfileSection{above, byUnit, byStrategy, overdue}
	return sendFile(w, fmt.Sprintf("%s-%d", l.T("risks.profile.file"), f.Year), "pdf", func(w io.Writer) error { return report.WriteRiskProfilePDF(w, doc) })
}
