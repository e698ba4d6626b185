package web

import (
	"net/http"
	"strconv"

	"cadran/internal/org"
)

type personFormData struct {
	ID           int64
	Form         org.PersonInput
	Units        []*org.TreeNode
	Positions    []string
	Employments  []string
	ElectedRoles []string
}

func (s *Server) personFormData(r *http.Request, id int64, in org.PersonInput) (personFormData, error) {
	units, err := s.org.UnitOptions(r.Context(), actorOf(r))
	if err != nil {
		return personFormData{}, err
	}
	return personFormData{ID: id, Form: in, Units: units, Positions: org.Positions, Employments: org.Employments, ElectedRoles: org.ElectedRoles}, nil
}

func personInput(r *http.Request) org.PersonInput {
	return org.PersonInput{
		UnitID: formInt(r, "unit_id"), FullName: r.FormValue("full_name"), Email: r.FormValue("email"), Phone: r.FormValue("phone"),
		JobTitle: r.FormValue("job_title"), Position: r.FormValue("position"), Employment: r.FormValue("employment"),
		ElectedRole: r.FormValue("elected_role"), Active: r.FormValue("active") == "on", Version: formVersion(r),
	}
}

func (s *Server) personNew(w http.ResponseWriter, r *http.Request) error {
	if err := actorOf(r).Require("org.manage"); err != nil {
		return err
	}
	d, err := s.personFormData(r, 0, org.PersonInput{UnitID: formInt(r, "unit"), Position: org.PositionExecution, Employment: org.EmploymentCivilServant, Active: true})
	if err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "person_form", s.page(r, "person.new_title", d))
}

func (s *Server) personCreate(w http.ResponseWriter, r *http.Request) error {
	in := personInput(r)
	p, err := s.org.CreatePerson(r.Context(), actorOf(r), in)
	if err == nil {
		s.flash(r, "flash.created")
		return redirect(w, r, "/people/"+strconv.FormatInt(p.ID, 10))
	}
	d, derr := s.personFormData(r, 0, in)
	if derr != nil {
		return derr
	}
	return s.formError(w, r, err, "person_form", "person.new_title", d)
}

func (s *Server) personEdit(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	a := actorOf(r)
	p, err := s.org.Person(r.Context(), a, id)
	if err != nil {
		return err
	}
	if err := a.Require("org.manage"); err != nil {
		return err
	}
	d, err := s.personFormData(r, id, org.PersonInput{UnitID: p.UnitID, FullName: p.FullName, Email: p.Email, Phone: p.Phone, JobTitle: p.JobTitle,
		Position: p.Position, Employment: p.Employment, ElectedRole: p.ElectedRole, Active: p.Active, Version: p.Version})
	if err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "person_form", s.page(r, "person.edit_title", d))
}

func (s *Server) personUpdate(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	in := personInput(r)
	_, err = s.org.UpdatePerson(r.Context(), actorOf(r), id, in)
	if err == nil {
		s.flash(r, "flash.saved")
		return redirect(w, r, "/people/"+strconv.FormatInt(id, 10))
	}
	d, derr := s.personFormData(r, id, in)
	if derr != nil {
		return derr
	}
	return s.formError(w, r, err, "person_form", "person.edit_title", d)
}

func (s *Server) personDelete(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	err = s.org.DeletePerson(r.Context(), actorOf(r), id, formVersion(r))
	return s.afterDelete(w, r, err, "/people/"+strconv.FormatInt(id, 10), "/people")
}
