package web

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"cadran/internal/audits"
	"cadran/internal/auth"
	"cadran/internal/org"
	"cadran/internal/report"
	"cadran/internal/work"
)

type iauditListData struct {
	Rows      []audits.Row
	Filter    audits.Filter
	Counts    audits.Counts
	Programme *audits.Programme
	Items     int
	Years     []int
	States    []string
	Units     []*org.TreeNode
	Auditors  []audits.Auditor
	Sorts     []sortLink
	Pager     pager
	Today     time.Time
	CanManage bool
	// AllYears: the filter asks for every year.
	AllYears bool
}

var iauditSortLabels = map[string]string{"code": "audits.code", "title": "audits.title", "unit": "audits.subject", "start": "audits.dates", "state": "audits.state"}

// iauditFilter reads the list's filter; without a year it is this year's
// audits ("all" for every year).
func (s *Server) iauditFilter(r *http.Request) (audits.Filter, bool) {
	q := r.URL.Query()
	year, _ := strconv.Atoi(q.Get("year"))
	all := q.Get("year") == "all"
	if year == 0 && !all {
		year = work.Day(s.clock.Now()).Year()
	}
	return audits.Filter{Year: year, Query: q.Get("q"), State: q.Get("state"), UnitID: queryInt(r, "unit"), AuditorID: queryInt(r, "auditor"), Sort: q.Get("sort")}, all
}

// iauditList is the module's entry page: the year's programme at a glance
// and its audits, filtered, sorted and paged.
func (s *Server) iauditList(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	a := actorOf(r)
	f, all := s.iauditFilter(r)
	pg := newPager(r, 25)
	f.Limit, f.Offset = pg.PerPage, pg.Offset()
	rows, total, err := s.audits.List(ctx, a, f)
	if err != nil {
		return err
	}
	pg.Total = total
	year := f.Year
	if all {
		year = work.Day(s.clock.Now()).Year()
	}
	d := &iauditListData{Rows: rows, Filter: f, Pager: pg, States: audits.States, Today: work.Day(s.clock.Now()), CanManage: a.Can(auth.PermAuditsManage), AllYears: all}
	if d.Counts, err = s.audits.YearCounts(ctx, a, year); err != nil {
		return err
	}
	if v, err := s.audits.ProgrammeView(ctx, a, year); err != nil {
		return err
	} else if v.Programme != nil {
		d.Programme, d.Items = v.Programme, len(v.Items)
	}
	if d.Years, err = s.audits.ProgrammeYears(ctx, a); err != nil {
		return err
	}
	if d.Units, err = s.org.UnitOptions(ctx, a); err != nil {
		return err
	}
	if d.Auditors, err = s.audits.Auditors(ctx, a, false); err != nil {
		return err
	}
	p := s.page(r, "audits.list_title", d)
	d.Sorts = sortLinks(p, f.Sort, iauditSortLabels, audits.Sorts())
	return s.render(w, http.StatusOK, "iaudit_list", p)
}

// iauditExport sends the filtered list as XLSX.
func (s *Server) iauditExport(w http.ResponseWriter, r *http.Request) error {
	a := actorOf(r)
	f, _ := s.iauditFilter(r)
	f.Limit = 10000
	rows, _, err := s.audits.List(r.Context(), a, f)
	if err != nil {
		return err
	}
	l := localizer(r)
	t := report.Table{Sheet: l.T("audits.export_sheet"), Headers: []string{l.T("audits.code"), l.T("audits.title"), l.T("audits.unit"), l.T("audits.process"),
		l.T("audits.clauses"), l.T("audits.lead"), l.T("audits.start"), l.T("audits.end"), l.T("audits.state"), l.T("audits.checklist_done"),
		l.T("audits.findings"), l.T("audits.open_findings"), l.T("audits.reported_on")}}
	for _, x := range rows {
		t.Rows = append(t.Rows, []any{x.Code, x.Title, x.UnitName, x.Process, strings.Join(x.Clauses, ", "), x.LeadName, civilDay(l.Date, x.StartOn), civilDay(l.Date, x.EndOn),
			l.T("audits.state." + x.State), fmt.Sprintf("%d/%d", x.Recorded, x.Items), x.Findings, x.OpenFindings, civilDay(l.Date, x.ReportedOn)})
	}
	name := l.T("audits.export_file")
	if f.Year != 0 {
		name += "-" + strconv.Itoa(f.Year)
	}
	return sendTables(w, r, name, t)
}
