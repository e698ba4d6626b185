package web

import (
	"net/http"
	"strconv"

	"cadran/internal/org"
)

type unitFormData struct {
	ID        int64
	Form      org.UnitInput
	Units     []*org.TreeNode
	Kinds     []string
	Relations []string
}

func (s *Server) unitFormData(r *http.Request, id int64, in org.UnitInput) (unitFormData, error) {
	roots, err := s.org.Tree(r.Context(), actorOf(r))
	if err != nil {
		return unitFormData{}, err
	}
	// A unit cannot move under itself or its own sub-units: leave them out.
	var options []*org.TreeNode
	skip := -1
	for _, n := range org.Flatten(roots) {
		if skip >= 0 && n.Depth > skip {
			continue
		}
		skip = -1
		if id != 0 && n.ID == id {
			skip = n.Depth
			continue
		}
		options = append(options, n)
	}
	return unitFormData{ID: id, Form: in, Units: options, Kinds: org.UnitKinds, Relations: org.UnitRelations}, nil
}

func unitInput(r *http.Request) org.UnitInput {
	pos, _ := strconv.Atoi(r.FormValue("sort_order"))
	return org.UnitInput{
		ParentID: formInt(r, "parent_id"), Name: r.FormValue("name"), Code: r.FormValue("code"),
		Kind: r.FormValue("kind"), Relation: r.FormValue("relation"), LegalPerson: r.FormValue("legal_person") == "on",
		Position: pos, Version: formVersion(r),
	}
}

func (s *Server) unitNew(w http.ResponseWriter, r *http.Request) error {
	if err := actorOf(r).Require("org.manage"); err != nil {
		return err
	}
	d, err := s.unitFormData(r, 0, org.UnitInput{ParentID: formInt(r, "parent"), Kind: org.UnitService, Relation: org.RelationOwn})
	if err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "unit_form", s.page(r, "unit.new_title", d))
}

func (s *Server) unitCreate(w http.ResponseWriter, r *http.Request) error {
	in := unitInput(r)
	u, err := s.org.CreateUnit(r.Context(), actorOf(r), in)
	if err == nil {
		s.flash(r, "flash.created")
		return redirect(w, r, "/units/"+strconv.FormatInt(u.ID, 10))
	}
	d, derr := s.unitFormData(r, 0, in)
	if derr != nil {
		return derr
	}
	return s.formError(w, r, err, "unit_form", "unit.new_title", d)
}

func (s *Server) unitEdit(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	a := actorOf(r)
	u, err := s.org.Unit(r.Context(), a, id)
	if err != nil {
		return err
	}
	if err := a.Require("org.manage"); err != nil {
		return err
	}
	d, err := s.unitFormData(r, id, org.UnitInput{ParentID: u.ParentID, Name: u.Name, Code: u.Code, Kind: u.Kind, Relation: u.Relation, LegalPerson: u.LegalPerson, Position: u.Position, Version: u.Version})
	if err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "unit_form", s.page(r, "unit.edit_title", d))
}

func (s *Server) unitUpdate(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	in := unitInput(r)
	_, err = s.org.UpdateUnit(r.Context(), actorOf(r), id, in)
	if err == nil {
		s.flash(r, "flash.saved")
		return redirect(w, r, "/units/"+strconv.FormatInt(id, 10))
	}
	d, derr := s.unitFormData(r, id, in)
	if derr != nil {
		return derr
	}
	return s.formError(w, r, err, "unit_form", "unit.edit_title", d)
}
