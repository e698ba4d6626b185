package web

// The CAF cycle pages: the list and its export (this file), the cycle form
// (caf_cycle_form.go), the cycle page with its steps and group
// (caf_cycle_show.go), the model reference (caf_model.go), individual
// assessment (caf_assess.go), the consensus (caf_consensus.go) and the
// evidence (caf_evidence.go).

import (
	"math"
	"net/http"
	"strconv"
	"strings"

	"cadran/internal/apperr"
	"cadran/internal/auth"
	"cadran/internal/caf"
	"cadran/internal/frameworks"
	"cadran/internal/report"
)

type cafListData struct {
	Page      caf.CyclePage
	Filter    caf.CycleFilter
	SortKey   string
	States    []string
	Sorts     map[string]sortLink
	Pager     pager
	CanManage bool
}

var cafSortLabels = map[string]string{"code": "caf.list.col.code", "start": "caf.list.col.dates", "state": "caf.list.col.state"}

// cafFilter reads the cycle list's filter from the query string.
func cafFilter(r *http.Request) (caf.CycleFilter, string) {
	q := r.URL.Query()
	sortKey := q.Get("sort")
	year, _ := strconv.Atoi(q.Get("year"))
	f := caf.CycleFilter{Query: strings.TrimSpace(q.Get("q")), State: q.Get("state"), Year: year}
	f.Sort, f.Desc = strings.TrimPrefix(sortKey, "-"), strings.HasPrefix(sortKey, "-")
	return f, sortKey
}

// cafList lists the institution's self-assessments.
func (s *Server) cafList(w http.ResponseWriter, r *http.Request) error {
	a := actorOf(r)
	f, sortKey := cafFilter(r)
	pg := newPager(r, 25)
	f.Page, f.PerPage = pg.Page, pg.PerPage
	page, err := s.caf.Cycles(r.Context(), a, f)
	if err != nil {
		return err
	}
	pg.Total = page.Total
	d := &cafListData{Page: page, Filter: f, SortKey: sortKey, States: caf.States, Pager: pg, CanManage: a.Can(auth.PermCAFManage)}
	p := s.page(r, "caf.list.title", d)
	d.Sorts = map[string]sortLink{}
	for _, l := range sortLinks(p, sortKey, cafSortLabels, []string{"code", "start", "state"}) {
		d.Sorts[l.Key] = l
	}
	return s.render(w, http.StatusOK, "caf_list", p)
}

// cafExport sends the filtered cycle list as XLSX.
func (s *Server) cafExport(w http.ResponseWriter, r *http.Request) error {
	a := actorOf(r)
	f, _ := cafFilter(r)
	f.Page, f.PerPage = 1, 10000
	page, err := s.caf.Cycles(r.Context(), a, f)
	if err != nil {
		return err
	}
	l := localizer(r)
	t := report.Table{Sheet: l.T("caf.list.export_sheet"), Headers: []string{l.T("caf.list.col.code"), l.T("caf.list.col.title"), l.T("caf.list.col.scope"),
		l.T("caf.list.col.model"), l.T("caf.list.col.panel"), l.T("caf.list.col.state"), l.T("caf.list.col.leader"), l.T("caf.list.col.start"),
		l.T("caf.list.col.end"), l.T("caf.list.col.previous")}}
	for _, c := range page.Items {
		scope := c.UnitName
		if c.UnitID == 0 {
			scope = l.T("caf.list.institution")
		}
		t.Rows = append(t.Rows, []any{c.Code, c.Title, scope, c.Model, l.T("caf.panel." + c.Panel), l.T("caf.state." + c.State), c.LeaderName,
			riskDay(l, c.StartOn), riskDay(l, c.EndOn), c.PreviousCode})
	}
	return sendTables(w, r, l.T("caf.list.export_file"), t)
}

// cafPathSub reads the {sub} path value: a sub-criterion of the cycle's
// model, else not found.
func cafPathSub(r *http.Request, m frameworks.CAF) (frameworks.CAFSub, error) {
	sub, ok := m.Sub(r.PathValue("sub"))
	if !ok {
		return frameworks.CAFSub{}, apperr.NotFound("caf_subcriterion")
	}
	return sub, nil
}

// cafFieldNames renames the domain's validation fields to the form's.
func cafFieldNames(err error, names map[string]string) error {
	v, ok := apperr.AsValidation(err)
	if !ok {
		return err
	}
	out := apperr.Validation{}
	for k, msg := range v {
		if n, ok := names[k]; ok {
			k = n
		}
		out[k] = msg
	}
	return out
}

// CafcScore writes a 0-100 score: whole numbers as they are, others with
// one decimal; a dash when there is none.
func (p *Page) CafcScore(v *float64) string {
	if v == nil {
		return "—"
	}
	return p.CafcNum(*v)
}

// CafcNum writes a number with one decimal unless it is whole.
func (p *Page) CafcNum(v float64) string {
	if v == math.Trunc(v) {
		return p.Decimal(v, 0)
	}
	return p.Decimal(v, 1)
}

// CafcBands lists the classical panel's bands for enablers or results.
func (p *Page) CafcBands(enabler bool) []caf.Band { return caf.Bands(enabler) }

// CafcBand names the classical band a score falls in; empty without one.
func (p *Page) CafcBand(enabler bool, v *float64) string {
	if v == nil {
		return ""
	}
	return p.T(caf.BandOf(enabler, *v).Key)
}
