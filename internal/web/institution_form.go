package web

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"cadran/internal/apperr"
	"cadran/internal/org"
)

type institutionData struct {
	Form     org.InstitutionInput
	Kinds    []string
	Counties []string
	CanEdit  bool
}

func (s *Server) institutionShow(w http.ResponseWriter, r *http.Request) error {
	inst, err := s.org.Institution(r.Context(), actorOf(r))
	if err != nil {
		return err
	}
	d := institutionData{
		Form:  org.InstitutionInput{Name: inst.Name, CUI: inst.CUI, Kind: inst.Kind, County: inst.County, ReminderDays: inst.ReminderDays, Version: inst.Version},
		Kinds: org.InstitutionKinds, Counties: org.Counties,
		CanEdit: actorOf(r).Can("institution.edit"),
	}
	return s.render(w, http.StatusOK, "institution", s.page(r, "institution.title", d))
}

func (s *Server) institutionUpdate(w http.ResponseWriter, r *http.Request) error {
	in := org.InstitutionInput{Name: r.FormValue("name"), CUI: r.FormValue("cui"), Kind: r.FormValue("kind"), County: r.FormValue("county"), Version: formVersion(r)}
	days, err := strconv.Atoi(strings.TrimSpace(r.FormValue("reminder_days")))
	if err != nil {
		days = -1 // reported as out of range
	}
	in.ReminderDays = days
	_, err = s.org.UpdateInstitution(r.Context(), actorOf(r), in)
	if err == nil {
		s.flash(r, "flash.saved")
		return redirect(w, r, "/institution")
	}
	return s.formError(w, r, err, "institution", "institution.title", institutionData{Form: in, Kinds: org.InstitutionKinds, Counties: org.Counties, CanEdit: true})
}

// formError re-renders a form with what the person typed when the domain
// refused it for a reason they can fix (invalid input, a stale version or a
// conflict); anything else becomes an error page.
func (s *Server) formError(w http.ResponseWriter, r *http.Request, err error, tmpl, titleKey string, data any) error {
	p := s.page(r, titleKey, data)
	if v, ok := apperr.AsValidation(err); ok {
		p.Errors = v
		p.Error = p.T("error.invalid")
		return s.render(w, http.StatusUnprocessableEntity, tmpl, p)
	}
	var ae *apperr.Error
	if errors.As(err, &ae) && ae.Kind == apperr.KindConflict {
		p.Error = p.T(ae.Key, ae.Args)
		return s.render(w, http.StatusConflict, tmpl, p)
	}
	return err
}
