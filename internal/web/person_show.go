package web

import (
	"net/http"

	"cadran/internal/audit"
	"cadran/internal/auth"
	"cadran/internal/org"
)

type personShowData struct {
	Person  org.Person
	History []audit.Stored
	// TrainingRecord: the actor may read the person's training record.
	TrainingRecord bool
}

func (s *Server) personShow(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	a := actorOf(r)
	p, err := s.org.Person(r.Context(), a, id)
	if err != nil {
		return err
	}
	d := personShowData{Person: p}
	if d.TrainingRecord, err = s.trainingMayRead(r.Context(), a, p); err != nil {
		return err
	}
	if a.Can(auth.PermAuditView) {
		if d.History, _, err = audit.List(r.Context(), s.db.R, a.Tenant, audit.Filter{Entity: "person", EntityID: id, Limit: 20}); err != nil {
			return err
		}
	}
	pg := s.page(r, "person.show_title", d)
	pg.Title = p.FullName
	return s.render(w, http.StatusOK, "person_show", pg)
}
