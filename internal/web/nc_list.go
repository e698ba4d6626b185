package web

import (
	"io"
	"net/http"
	"time"

	"cadran/internal/auth"
	"cadran/internal/frameworks"
	"cadran/internal/improvement"
	"cadran/internal/org"
	"cadran/internal/report"
	"cadran/internal/work"
)

type ncListData struct {
	Cases      []improvement.Nonconformity
	Filter     improvement.Filter
	Overview   improvement.Overview
	Today      time.Time
	Sources    []string
	Severities []string
	States     []string
	Ages       []string
	Units      []*org.TreeNode
	People     []org.Person
	Processes  []string
	Clauses    []frameworks.Clause
	Sorts      []sortLink
	Pager      pager
	Saved      savedFilterBlock
	CanReport  bool
	CanManage  bool
}

var ncSortLabels = map[string]string{"code": "nc.code", "title": "nc.title", "detected": "nc.detected_on", "severity": "nc.severity",
	"unit": "nc.unit", "state": "nc.state", "due": "nc.next_due"}

func ncFilter(r *http.Request) improvement.Filter {
	q := r.URL.Query()
	return improvement.Filter{Query: q.Get("q"), State: q.Get("state"), Source: q.Get("source"), Severity: q.Get("severity"), UnitID: queryInt(r, "unit"),
		Process: q.Get("process"), Clause: q.Get("clause"), Age: q.Get("age"), Overdue: q.Get("overdue") == "1", OwnerID: queryInt(r, "owner"), Sort: q.Get("sort")}
}

// ncList is the nonconformity log (registrul neconformităților).
func (s *Server) ncList(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	a := actorOf(r)
	f := ncFilter(r)
	pg := newPager(r, 25)
	f.Limit, f.Offset = pg.PerPage, pg.Offset()
	cases, total, err := s.improve.List(ctx, a, f)
	if err != nil {
		return err
	}
	pg.Total = total
	d := &ncListData{Cases: cases, Filter: f, Today: work.Day(s.clock.Now()), Sources: improvement.Sources, Severities: improvement.Severities,
		States: improvement.States, Ages: improvement.AgeBuckets, Clauses: frameworks.ISO9001, Pager: pg,
		CanReport: a.Can(auth.PermImproveReport), CanManage: a.Can(auth.PermImproveManage)}
	if d.Overview, err = s.improve.Overview(ctx, a); err != nil {
		return err
	}
	if d.Units, err = s.org.UnitOptions(ctx, a); err != nil {
		return err
	}
	if d.People, _, err = s.org.People(ctx, a, org.PeopleFilter{Limit: 10000}); err != nil {
		return err
	}
	if d.Processes, err = s.improve.Processes(ctx, a); err != nil {
		return err
	}
	if d.Saved, err = s.savedFilters(r, "nonconformities"); err != nil {
		return err
	}
	p := s.page(r, "nc.list_title", d)
	d.Sorts = sortLinks(p, f.Sort, ncSortLabels, improvement.Sorts())
	return s.render(w, http.StatusOK, "nc_list", p)
}

// ncRows is the log as exported: every filtered case.
func (s *Server) ncRows(r *http.Request) ([]string, [][]string, error) {
	f := ncFilter(r)
	f.Limit = 10000
	cases, _, err := s.improve.List(r.Context(), actorOf(r), f)
	if err != nil {
		return nil, nil, err
	}
	l := localizer(r)
	headers := []string{l.T("nc.code"), l.T("nc.detected_on"), l.T("nc.source"), l.T("nc.title"), l.T("nc.unit"), l.T("nc.process"), l.T("nc.clause"),
		l.T("nc.severity"), l.T("nc.owner"), l.T("nc.state"), l.T("nc.next_due"), l.T("nc.closed_on")}
	rows := make([][]string, 0, len(cases))
	for _, n := range cases {
		rows = append(rows, []string{n.Code, civilDay(l.Date, n.DetectedOn), l.T("nc.source." + n.Source), n.Title, n.UnitName, n.Process, n.Clause,
			l.T("nc.severity." + n.Severity), n.OwnerName, l.T("nc.state." + n.State), civilDay(l.Date, n.NextDue), civilDay(l.Date, n.ClosedOn)})
	}
	return headers, rows, nil
}

// ncExport sends the filtered log as XLSX.
func (s *Server) ncExport(w http.ResponseWriter, r *http.Request) error {
	headers, rows, err := s.ncRows(r)
	if err != nil {
		return err
	}
	l := localizer(r)
	return sendTables(w, r, l.T("nc.export_file"), ncTable(l.T("nc.list_title"), headers, rows))
}

// ncTable makes a list of text rows into an export table.
func ncTable(sheet string, headers []string, rows [][]string) report.Table {
	t := report.Table{Sheet: sheet, Headers: headers}
	for _, row := range rows {
		cells := make([]any, len(row))
		for i, c := range row {
			cells[i] = c
		}
		t.Rows = append(t.Rows, cells)
	}
	return t
}

// ncExportPDF prints the filtered log.
func (s *Server) ncExportPDF(w http.ResponseWriter, r *http.Request) error {
	headers, rows, err := s.ncRows(r)
	if err != nil {
		return err
	}
	inst, err := s.org.Institution(r.Context(), actorOf(r))
	if err != nil {
		return err
	}
	l := localizer(r)
	t := report.PDFTable{Title: l.T("nc.list_title"), Subtitle: inst.Name + " · " + l.Date(s.clock.Now()), Columns: headers,
		Widths: []float64{1.1, 0.9, 1.1, 3, 1.8, 1.4, 0.6, 0.8, 1.3, 1, 0.9, 0.9}, Rows: rows, Footer: "Cadran", PageLabel: l.T("print.page"), OfLabel: l.T("print.of")}
	return sendFile(w, l.T("nc.export_file"), "pdf", func(w io.Writer) error { return report.WriteTablePDF(w, t) })
}

type ncActionListData struct {
	Rows   []improvement.ActionRow
	Filter improvement.ActionFilter
	Today  time.Time
	States []string
	Units  []*org.TreeNode
	People []org.Person
	Sorts  []sortLink
	Pager  pager
	Saved  savedFilterBlock
}

var ncActionSortLabels = map[string]string{"case": "nc.action_case", "owner": "nc.action_owner", "due": "nc.action_due", "state": "nc.action_state"}

func ncActionFilter(r *http.Request) improvement.ActionFilter {
	q := r.URL.Query()
	return improvement.ActionFilter{State: q.Get("state"), Overdue: q.Get("overdue") == "1", OwnerID: queryInt(r, "owner"), UnitID: queryInt(r, "unit"),
		Kind: q.Get("kind"), Sort: q.Get("sort")}
}

// ncActionList lists corrective and improvement actions across cases.
func (s *Server) ncActionList(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	a := actorOf(r)
	f := ncActionFilter(r)
	pg := newPager(r, 25)
	f.Limit, f.Offset = pg.PerPage, pg.Offset()
	rows, total, err := s.improve.Actions(ctx, a, f)
	if err != nil {
		return err
	}
	pg.Total = total
	d := &ncActionListData{Rows: rows, Filter: f, Today: work.Day(s.clock.Now()), States: improvement.ActionStates, Pager: pg}
	if d.Units, err = s.org.UnitOptions(ctx, a); err != nil {
		return err
	}
	if d.People, _, err = s.org.People(ctx, a, org.PeopleFilter{Limit: 10000}); err != nil {
		return err
	}
	if d.Saved, err = s.savedFilters(r, "actions"); err != nil {
		return err
	}
	p := s.page(r, "nc.actions_title", d)
	d.Sorts = sortLinks(p, f.Sort, ncActionSortLabels, improvement.ActionSorts())
	return s.render(w, http.StatusOK, "nc_actions", p)
}

// ncActionExport sends the filtered actions as XLSX.
func (s *Server) ncActionExport(w http.ResponseWriter, r *http.Request) error {
	f := ncActionFilter(r)
	f.Limit = 10000
	list, _, err := s.improve.Actions(r.Context(), actorOf(r), f)
	if err != nil {
		return err
	}
	l := localizer(r)
	headers := []string{l.T("nc.action_case"), l.T("nc.title"), l.T("nc.unit"), l.T("nc.action_description"), l.T("nc.action_owner"), l.T("nc.action_due"),
		l.T("nc.action_state"), l.T("nc.action_done_on"), l.T("nc.action_done_note")}
	rows := make([][]string, 0, len(list))
	for _, x := range list {
		rows = append(rows, []string{x.CaseCode, x.CaseTitle, x.UnitName, x.Description, x.OwnerName, civilDay(l.Date, x.DueOn),
			l.T("nc.action_state." + x.State), civilDay(l.Date, x.DoneOn), x.DoneNote})
	}
	return sendTables(w, r, l.T("nc.actions_export_file"), ncTable(l.T("nc.actions_title"), headers, rows))
}
