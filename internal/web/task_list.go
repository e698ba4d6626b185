package web

import (
	"net/http"
	"time"

	"cadran/internal/org"
	"cadran/internal/report"
	"cadran/internal/work"
)

type taskListData struct {
	Tasks  []work.Task
	Filter work.Filter
	Today  time.Time
	Scopes []string
	Kinds  []string
	States []string
	Units  []*org.TreeNode
	Sorts  []sortLink
	Pager  pager
}

var taskSortLabels = map[string]string{"due": "task.due", "title": "task.title", "kind": "task.kind", "unit": "task.unit", "assignee": "task.assignee", "updated": "common.updated_at"}

func taskFilter(r *http.Request) work.Filter {
	q := r.URL.Query()
	return work.Filter{Query: q.Get("q"), Scope: q.Get("scope"), State: q.Get("state"), Kind: q.Get("kind"), Module: q.Get("module"),
		UnitID: queryInt(r, "unit"), Overdue: q.Get("overdue") == "1", Sort: q.Get("sort")}
}

// taskList is every task the person may see, filtered, sorted and paged.
func (s *Server) taskList(w http.ResponseWriter, r *http.Request) error {
	a := actorOf(r)
	f := taskFilter(r)
	pg := newPager(r, 25)
	f.Limit, f.Offset = pg.PerPage, pg.Offset()
	tasks, total, err := s.work.List(r.Context(), a, f)
	if err != nil {
		return err
	}
	pg.Total = total
	scopes, err := s.work.Scopes(r.Context(), a)
	if err != nil {
		return err
	}
	units, err := s.org.UnitOptions(r.Context(), a)
	if err != nil {
		return err
	}
	d := &taskListData{Tasks: tasks, Filter: f, Today: work.Day(s.clock.Now()), Scopes: scopes, Kinds: work.Kinds, States: work.States, Units: units, Pager: pg}
	p := s.page(r, "task.list_title", d)
	d.Sorts = sortLinks(p, f.Sort, taskSortLabels, []string{"title", "kind", "unit", "assignee", "due"}) // the table's column order
	return s.render(w, http.StatusOK, "task_list", p)
}

// taskExport sends the filtered task list (every page) as XLSX.
func (s *Server) taskExport(w http.ResponseWriter, r *http.Request) error {
	a := actorOf(r)
	f := taskFilter(r)
	f.Limit = 10000
	tasks, _, err := s.work.List(r.Context(), a, f)
	if err != nil {
		return err
	}
	l := localizer(r)
	today := work.Day(s.clock.Now())
	t := report.Table{Sheet: l.T("task.list_title"), Headers: []string{
		l.T("task.title"), l.T("task.kind"), l.T("task.module"), l.T("task.unit"), l.T("task.assignee"), l.T("task.due"),
		l.T("task.priority"), l.T("task.state"), l.T("task.overdue"), l.T("task.created_at"), l.T("task.closed_at"), l.T("task.closed_by"),
	}}
	for _, task := range tasks {
		who := task.PersonName
		if who == "" {
			who = l.T("role." + string(task.Role))
		}
		late := l.T("common.no")
		if task.Overdue(today) {
			late = l.T("common.yes")
		}
		closed := ""
		if task.ClosedAt != nil {
			closed = l.DateTime(*task.ClosedAt)
		}
		t.Rows = append(t.Rows, []any{task.Title, l.T("task.kind." + task.Kind), l.T("task.module." + task.Ref.Module), task.UnitName, who,
			task.Due, l.T("task.priority." + task.Priority), l.T("task.state." + task.State), late, l.DateTime(task.CreatedAt), closed, task.ClosedBy})
	}
	return sendTables(w, r, l.T("task.export_file"), t)
}
