package web

import (
	"context"
	"net/http"
	"strings"

	"cadran/internal/auth"
	"cadran/internal/org"
	"cadran/internal/report"
	"cadran/internal/scorecard"
)

// kpiObjectiveGroup is the objectives of one perspective, for selects.
type kpiObjectiveGroup struct {
	Label      string
	Objectives []scorecard.Objective
}

type kpiListData struct {
	Page        scorecard.KPIPage
	Filter      scorecard.KPIFilter
	SortKey     string
	Statuses    map[int64]scorecard.KPICard
	Objectives  []kpiObjectiveGroup
	Units       []*org.TreeNode
	People      []org.Person
	Processes   []string
	Frequencies []string
	Kinds       []string
	Sorts       []sortLink
	Pager       pager
	Pending     int
	Saved       savedFilterBlock
	CanManage   bool
	CanMeasure  bool
}

var kpiSortLabels = map[string]string{"code": "scorecard.kpis.col.code", "name": "scorecard.kpis.col.name", "frequency": "scorecard.kpis.col.frequency",
	"owner": "scorecard.kpis.col.owner", "objective": "scorecard.kpis.col.objective", "updated": "scorecard.kpis.col.updated"}

// kpiFilter reads the KPI list's filter from the query string.
func kpiFilter(r *http.Request) (scorecard.KPIFilter, string) {
	q := r.URL.Query()
	sortKey := q.Get("sort")
	f := scorecard.KPIFilter{Query: q.Get("q"), ObjectiveID: queryInt(r, "objective"), UnitID: queryInt(r, "unit"), Process: strings.TrimSpace(q.Get("process")),
		Frequency: q.Get("frequency"), Kind: q.Get("kind"), OwnerID: queryInt(r, "owner"), Archived: q.Get("archived") == "1"}
	f.Sort, f.Desc = strings.TrimPrefix(sortKey, "-"), strings.HasPrefix(sortKey, "-")
	return f, sortKey
}

// kpiObjectiveGroups lists the institution's objectives (and every
// unit's) grouped by perspective, in map order.
func (s *Server) kpiObjectiveGroups(ctx context.Context, a auth.Actor, lang func(string, ...any) string) ([]kpiObjectiveGroup, error) {
	ps, err := s.scorecard.Perspectives(ctx, a)
	if err != nil {
		return nil, err
	}
	os, err := s.scorecard.Objectives(ctx, a, scorecard.ObjectiveFilter{AllUnits: true})
	if err != nil {
		return nil, err
	}
	byP := map[int64][]scorecard.Objective{}
	for _, o := range os {
		byP[o.PerspectiveID] = append(byP[o.PerspectiveID], o)
	}
	var out []kpiObjectiveGroup
	for _, p := range ps {
		if len(byP[p.ID]) == 0 {
			continue
		}
		label := p.Name
		if label == "" {
			label = lang("scorecard.perspective." + p.Kind)
		}
		out = append(out, kpiObjectiveGroup{Label: label, Objectives: byP[p.ID]})
	}
	return out, nil
}

// kpiList is the KPI list: filters, sortable columns, the current status.
func (s *Server) kpiList(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	a := actorOf(r)
	f, sortKey := kpiFilter(r)
	pg := newPager(r, 50)
	f.Page, f.PerPage = pg.Page, pg.PerPage
	page, err := s.scorecard.KPIs(ctx, a, f)
	if err != nil {
		return err
	}
	pg.Total = page.Total
	l := localizer(r)
	d := &kpiListData{Page: page, Filter: f, SortKey: sortKey, Pager: pg, Frequencies: scorecard.Frequencies,
		Kinds:     []string{scorecard.KindEntered, scorecard.KindMetric, scorecard.KindFormula},
		CanManage: a.Can(auth.PermScorecardManage), CanMeasure: a.Can(auth.PermScorecardMeasure)}
	if d.Saved, err = s.savedFilters(r, "kpis"); err != nil {
		return err
	}
	if d.Statuses, err = s.kpiStatuses(ctx, a, page.Items); err != nil {
		return err
	}
	if d.Objectives, err = s.kpiObjectiveGroups(ctx, a, l.T); err != nil {
		return err
	}
	if d.Units, err = s.org.UnitOptions(ctx, a); err != nil {
		return err
	}
	if d.People, _, err = s.org.People(ctx, a, org.PeopleFilter{Limit: 10000}); err != nil {
		return err
	}
	if d.Processes, err = s.kpiProcesses(ctx, a); err != nil {
		return err
	}
	if d.Pending, err = s.scorecard.PendingCount(ctx, a); err != nil {
		return err
	}
	p := s.page(r, "scorecard.kpis.title", d)
	current := sortKey
	if current == "" {
		current = "code" // the store's default order
	}
	d.Sorts = sortLinks(p, current, kpiSortLabels, scorecard.KPISorts())
	return s.render(w, http.StatusOK, "kpi_list", p)
}

// kpiProcesses are the processes the documents name, for the process
// filter and the form's suggestions; none when the actor cannot read
// documents.
func (s *Server) kpiProcesses(ctx context.Context, a auth.Actor) ([]string, error) {
	if !a.Can(auth.PermDocsView) {
		return nil, nil
	}
	return s.docs.Processes(ctx, a)
}

// kpiExport sends the filtered KPI list as XLSX.
func (s *Server) kpiExport(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	a := actorOf(r)
	f, _ := kpiFilter(r)
	f.Page, f.PerPage = 1, 10000
	page, err := s.scorecard.KPIs(ctx, a, f)
	if err != nil {
		return err
	}
	st, err := s.kpiStatuses(ctx, a, page.Items)
	if err != nil {
		return err
	}
	l := localizer(r)
	t := report.Table{Sheet: l.T("scorecard.kpis.export_sheet"), Headers: []string{
		l.T("scorecard.kpis.col.code"), l.T("scorecard.kpis.col.name"), l.T("scorecard.kpis.col.objective"), l.T("scorecard.kpis.col.unit"),
		l.T("scorecard.kpis.col.process"), l.T("scorecard.kpis.col.frequency"), l.T("scorecard.kpis.col.measure_unit"), l.T("scorecard.kpis.col.polarity"),
		l.T("scorecard.kpis.col.method"), l.T("scorecard.kpis.col.baseline"), l.T("scorecard.kpis.col.red"), l.T("scorecard.kpis.col.owner"),
		l.T("scorecard.kpis.col.kind"), l.T("scorecard.kpis.col.weight"), l.T("scorecard.kpis.col.period"), l.T("scorecard.kpis.col.value"),
		l.T("scorecard.kpis.col.target"), l.T("scorecard.kpis.col.score"), l.T("scorecard.kpis.col.status")}}
	num := func(f *float64) any {
		if f == nil {
			return ""
		}
		return *f
	}
	for _, k := range page.Items {
		kc := st[k.ID]
		kind := scorecard.KindEntered
		if k.Metric != "" {
			kind = scorecard.KindMetric
		} else if k.Formula != "" {
			kind = scorecard.KindFormula
		}
		var target, score any = "", ""
		if kc.Target != nil {
			target = kc.Target.Value
		}
		if kc.HasResult {
			score = kc.Result.Score
		}
		period := ""
		if !kc.Period.IsZero() {
			period = kc.Period.Label(l.Lang())
		}
		t.Rows = append(t.Rows, []any{k.Code, k.Name, k.ObjectiveCode, k.UnitName, k.Process, l.T("scorecard.frequency." + k.Frequency), k.MeasureUnit,
			l.T("scorecard.polarity." + k.Polarity), l.T("scorecard.method." + k.Method), num(k.Baseline), num(k.Red), k.OwnerName,
			l.T("scorecard.kpis.kind." + kind), k.Weight, period, num(kc.Value), target, score, l.T("scorecard.status." + kpiStatus(kc))})
	}
	return sendTables(w, r, l.T("scorecard.kpis.export_file"), t)
}
