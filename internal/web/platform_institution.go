package web

import (
	"net/http"

	"cadran/internal/auth"
	"cadran/internal/org"
)

type platformListData struct {
	Institutions []org.InstitutionSummary
	Query        string
	Pager        pager
}

// platformInstitutionList is the deployment's list of institutions, for
// platform administrators only.
func (s *Server) platformInstitutionList(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query().Get("q")
	pg := newPager(r, 50)
	list, total, err := s.org.Institutions(r.Context(), actorOf(r), q, pg.PerPage, pg.Offset())
	if err != nil {
		return err
	}
	pg.Total = total
	return s.render(w, http.StatusOK, "platform_list", s.page(r, "platform.title", platformListData{Institutions: list, Query: q, Pager: pg}))
}

type platformFormData struct {
	Form     org.InstitutionInput
	Admin    auth.UserInput
	Kinds    []string
	Counties []string
}

func (s *Server) platformInstitutionNew(w http.ResponseWriter, r *http.Request) error {
	if err := actorOf(r).RequirePlatformAdmin(); err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "platform_form", s.page(r, "platform.new_title", platformFormData{Form: org.InstitutionInput{Kind: org.KindCommune}, Admin: auth.UserInput{Locale: "ro"}, Kinds: org.InstitutionKinds, Counties: org.Counties}))
}

func (s *Server) platformInstitutionCreate(w http.ResponseWriter, r *http.Request) error {
	in := org.InstitutionInput{Name: r.FormValue("name"), CUI: r.FormValue("cui"), Kind: r.FormValue("kind"), County: r.FormValue("county")}
	admin := auth.UserInput{Username: r.FormValue("admin_username"), DisplayName: r.FormValue("admin_display_name"), Email: r.FormValue("admin_email"), Password: r.FormValue("admin_password"), Locale: r.FormValue("admin_locale")}
	_, _, err := s.org.CreateInstitution(r.Context(), actorOf(r), in, admin)
	if err == nil {
		s.flash(r, "flash.created")
		return redirect(w, r, "/platform/institutions")
	}
	admin.Password = ""
	return s.formError(w, r, err, "platform_form", "platform.new_title", platformFormData{Form: in, Admin: admin, Kinds: org.InstitutionKinds, Counties: org.Counties})
}
