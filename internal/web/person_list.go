package web

import (
	"net/http"
	"strconv"

	"cadran/internal/org"
	"cadran/internal/report"
)

type personListData struct {
	People      []org.Person
	Filter      org.PeopleFilter
	Units       []*org.TreeNode
	Employments []string
	Positions   []string
	Sorts       []sortLink
	Pager       pager
}

var personSortLabels = map[string]string{"name": "person.full_name", "unit": "person.unit", "job": "person.job_title", "updated": "common.updated_at"}

func peopleFilter(r *http.Request) org.PeopleFilter {
	q := r.URL.Query()
	unit, _ := strconv.ParseInt(q.Get("unit"), 10, 64)
	return org.PeopleFilter{Query: q.Get("q"), UnitID: unit, Employment: q.Get("employment"), Position: q.Get("position"), Status: q.Get("status"), Sort: q.Get("sort")}
}

// personList is the searchable, filterable, sortable people list.
func (s *Server) personList(w http.ResponseWriter, r *http.Request) error {
	a := actorOf(r)
	f := peopleFilter(r)
	pg := newPager(r, 25)
	f.Limit, f.Offset = pg.PerPage, pg.Offset()
	people, total, err := s.org.People(r.Context(), a, f)
	if err != nil {
		return err
	}
	pg.Total = total
	units, err := s.org.UnitOptions(r.Context(), a)
	if err != nil {
		return err
	}
	d := &personListData{People: people, Filter: f, Units: units, Employments: org.Employments, Positions: org.Positions, Pager: pg}
	p := s.page(r, "person.list_title", d)
	d.Sorts = sortLinks(p, f.Sort, personSortLabels, org.PeopleSorts())
	return s.render(w, http.StatusOK, "person_list", p)
}

// personExport sends the filtered list (every page) as an XLSX workbook.
func (s *Server) personExport(w http.ResponseWriter, r *http.Request) error {
	a := actorOf(r)
	f := peopleFilter(r)
	f.Limit = 10000
	people, _, err := s.org.People(r.Context(), a, f)
	if err != nil {
		return err
	}
	l := localizer(r)
	t := report.Table{Sheet: l.T("person.list_title"), Headers: []string{
		l.T("person.full_name"), l.T("person.unit"), l.T("person.job_title"), l.T("person.position"),
		l.T("person.employment"), l.T("person.elected_role"), l.T("person.email"), l.T("person.phone"), l.T("person.active"),
	}}
	for _, p := range people {
		elected := ""
		if p.ElectedRole != "" {
			elected = l.T("person.elected_role." + p.ElectedRole)
		}
		active := l.T("common.no")
		if p.Active {
			active = l.T("common.yes")
		}
		t.Rows = append(t.Rows, []any{p.FullName, p.UnitName, p.JobTitle, l.T("person.position." + p.Position),
			l.T("person.employment." + p.Employment), elected, p.Email, p.Phone, active})
	}
	return sendTables(w, r, l.T("person.export_file"), t)
}
