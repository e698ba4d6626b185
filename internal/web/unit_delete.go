package web

import (
	"errors"
	"net/http"
	"strconv"

	"cadran/internal/apperr"
)

// unitDelete removes an empty unit.
func (s *Server) unitDelete(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	err = s.org.DeleteUnit(r.Context(), actorOf(r), id, formVersion(r))
	return s.afterDelete(w, r, err, "/units/"+strconv.FormatInt(id, 10), "/units")
}

// afterDelete sends the person on after a delete: to the list when it
// worked, or back to the record with the reason when the domain refused it
// (sub-records still attached, a stale page).
func (s *Server) afterDelete(w http.ResponseWriter, r *http.Request, err error, record, list string) error {
	var ae *apperr.Error
	if errors.As(err, &ae) && ae.Kind == apperr.KindConflict {
		s.flash(r, ae.Key)
		return redirect(w, r, record)
	}
	if err != nil {
		return err
	}
	s.flash(r, "flash.deleted")
	return redirect(w, r, list)
}
