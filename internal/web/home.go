package web

import (
	"net/http"

	"cadran/internal/audit"
	"cadran/internal/auth"
	"cadran/internal/org"
)

type homeData struct {
	Counts org.Counts
	Recent []audit.Stored
	Roles  []auth.Role
	// The role dashboard (dashboard_home.go): the view shown, the tabs
	// when the person may open several, and the view's figures.
	View    string
	Tabs    []dashTab
	Top     *dashTopView
	Quality *dashQualityView
	Unit    *dashUnitView
}

// homePlain is the front page of those without a dashboard: what the
// institution holds and, for those who may read the trail, what changed
// last.
func (s *Server) homePlain(w http.ResponseWriter, r *http.Request) error {
	a := actorOf(r)
	counts, err := s.org.Counts(r.Context(), a)
	if err != nil {
		return err
	}
	d := homeData{Counts: counts, Roles: a.Roles}
	if a.Can(auth.PermAuditView) {
		if d.Recent, _, err = audit.List(r.Context(), s.db.R, a.Tenant, audit.Filter{Limit: 8}); err != nil {
			return err
		}
	}
	return s.render(w, http.StatusOK, "home", s.page(r, "home.title", d))
}
