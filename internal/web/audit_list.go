package web

import (
	"net/http"
	"strconv"
	"time"

	"cadran/internal/apperr"
	"cadran/internal/audit"
	"cadran/internal/auth"
	"cadran/internal/i18n"
	"cadran/internal/report"
)

type auditListData struct {
	Events   []audit.Stored
	Entities []string
	Actors   []audit.ActorRef
	Actor    string
	Entity   string
	From, To string
	Pager    pager
}

// auditFilter reads the filters; dates are days in Bucharest time, To
// inclusive.
func auditFilter(r *http.Request) (audit.Filter, error) {
	q := r.URL.Query()
	f := audit.Filter{Entity: q.Get("entity")}
	f.ActorID, _ = strconv.ParseInt(q.Get("actor"), 10, 64)
	v := apperr.Validation{}
	if s := q.Get("from"); s != "" {
		t, err := time.ParseInLocation("2006-01-02", s, i18n.Bucharest)
		if err != nil {
			v.Add("from", "error.date")
		}
		f.From = t
	}
	if s := q.Get("to"); s != "" {
		t, err := time.ParseInLocation("2006-01-02", s, i18n.Bucharest)
		if err != nil {
			v.Add("to", "error.date")
		}
		f.To = t.AddDate(0, 0, 1)
	}
	return f, v.Err()
}

func (s *Server) auditList(w http.ResponseWriter, r *http.Request) error {
	a := actorOf(r)
	if err := a.Require(auth.PermAuditView); err != nil {
		return err
	}
	q := r.URL.Query()
	d := auditListData{Actor: q.Get("actor"), Entity: q.Get("entity"), From: q.Get("from"), To: q.Get("to"), Pager: newPager(r, 50)}
	f, ferr := auditFilter(r)
	var err error
	if d.Entities, err = audit.Entities(r.Context(), s.db.R, a.Tenant); err != nil {
		return err
	}
	if d.Actors, err = audit.Actors(r.Context(), s.db.R, a.Tenant); err != nil {
		return err
	}
	p := s.page(r, "audit.title", &d)
	if v, ok := apperr.AsValidation(ferr); ok {
		p.Errors = v
		p.Error = p.T("error.invalid")
		return s.render(w, http.StatusUnprocessableEntity, "audit_list", p)
	}
	f.Limit, f.Offset = d.Pager.PerPage, d.Pager.Offset()
	if d.Events, d.Pager.Total, err = audit.List(r.Context(), s.db.R, a.Tenant, f); err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "audit_list", p)
}

// auditExport sends the filtered trail (up to 50,000 events) as XLSX.
func (s *Server) auditExport(w http.ResponseWriter, r *http.Request) error {
	a := actorOf(r)
	if err := a.Require(auth.PermAuditView); err != nil {
		return err
	}
	f, err := auditFilter(r)
	if err != nil {
		return err
	}
	f.Limit = 50000
	events, _, err := audit.List(r.Context(), s.db.R, a.Tenant, f)
	if err != nil {
		return err
	}
	l := localizer(r)
	t := report.Table{Sheet: l.T("audit.title"), Headers: []string{"#", l.T("audit.at"), l.T("audit.actor"), l.T("audit.action"), l.T("audit.entity"), l.T("audit.record"), l.T("audit.before"), l.T("audit.after")}}
	for _, e := range events {
		t.Rows = append(t.Rows, []any{e.Seq, l.DateTime(e.At), e.ActorName, l.T("audit.action." + e.Action), l.T("entity." + e.Entity), e.Summary, e.Before, e.After})
	}
	return sendTables(w, r, l.T("audit.export_file"), t)
}
