package web

import (
	"net/http"
	"slices"
	"strconv"
	"time"

	"cadran/internal/apperr"
	"cadran/internal/auth"
	"cadran/internal/frameworks"
	"cadran/internal/improvement"
	"cadran/internal/org"
	"cadran/internal/work"
)

type ncFormData struct {
	ID         int64
	Code       string
	Form       improvement.NCInput
	Sources    []string
	Severities []string
	Units      []*org.TreeNode
	People     []org.Person
	Processes  []string
	Clauses    []frameworks.Clause
	Today      string
	// Manage: the quality office, who names the owner.
	Manage bool
}

func ncInput(r *http.Request) improvement.NCInput {
	return improvement.NCInput{Title: r.FormValue("title"), Description: r.FormValue("description"), Source: r.FormValue("source"),
		SourceRef: r.FormValue("source_ref"), Process: r.FormValue("process"), UnitID: formInt(r, "unit_id"), Clause: r.FormValue("clause"),
		Severity: r.FormValue("severity"), DetectedOn: r.FormValue("detected_on"), OwnerID: formInt(r, "owner_id"), Correction: r.FormValue("correction"),
		CorrectionBy: r.FormValue("correction_by"), CorrectionOn: r.FormValue("correction_on"), Version: formVersion(r)}
}

// processOptions are the process names offered in forms: those documents
// link to and those cases and proposals already use.
func (s *Server) processOptions(r *http.Request) ([]string, error) {
	a := actorOf(r)
	out, err := s.improve.Processes(r.Context(), a)
	if err != nil {
		return nil, err
	}
	if a.Can(auth.PermDocsView) {
		docs, err := s.docs.Processes(r.Context(), a)
		if err != nil {
			return nil, err
		}
		out = append(out, docs...)
	}
	slices.Sort(out)
	return slices.Compact(out), nil
}

func (s *Server) ncFormData(r *http.Request, id int64, in improvement.NCInput) (*ncFormData, error) {
	a := actorOf(r)
	d := &ncFormData{ID: id, Form: in, Sources: improvement.Sources, Severities: improvement.Severities, Clauses: frameworks.ISO9001,
		Today: work.Day(s.clock.Now()).Format(time.DateOnly), Manage: a.Can(auth.PermImproveManage)}
	var err error
	if d.Units, err = s.org.UnitOptions(r.Context(), a); err != nil {
		return nil, err
	}
	if d.People, _, err = s.org.People(r.Context(), a, org.PeopleFilter{Limit: 10000}); err != nil {
		return nil, err
	}
	if d.Processes, err = s.processOptions(r); err != nil {
		return nil, err
	}
	return d, nil
}

// ncNew is the form to report a nonconformity.
func (s *Server) ncNew(w http.ResponseWriter, r *http.Request) error {
	a := actorOf(r)
	if err := a.Require(auth.PermImproveReport); err != nil {
		return err
	}
	in := improvement.NCInput{UnitID: queryInt(r, "unit"), DetectedOn: work.Day(s.clock.Now()).Format(time.DateOnly), Source: r.URL.Query().Get("source")}
	if in.Source == "" && !a.Can(auth.PermImproveManage) {
		in.Source = improvement.SourceEmployee
	}
	if in.UnitID == 0 && a.PersonID != 0 {
		// People report most often what they see in their own unit.
		if p, err := s.org.Person(r.Context(), a, a.PersonID); err == nil {
			in.UnitID = p.UnitID
		}
	}
	d, err := s.ncFormData(r, 0, in)
	if err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "nc_form", s.page(r, "nc.new_title", d))
}

// ncCreate records a reported nonconformity.
func (s *Server) ncCreate(w http.ResponseWriter, r *http.Request) error {
	in := ncInput(r)
	a := actorOf(r)
	if !a.Can(auth.PermImproveManage) {
		in.OwnerID = 0
	}
	n, err := s.improve.Create(r.Context(), a, in)
	if err == nil {
		s.flash(r, "nc.flash.reported", "Code", n.Code)
		return redirect(w, r, "/nonconformities/"+strconv.FormatInt(n.ID, 10))
	}
	d, derr := s.ncFormData(r, 0, in)
	if derr != nil {
		return derr
	}
	return s.formError(w, r, err, "nc_form", "nc.new_title", d)
}

// ncEdit is the form to change a case's details.
func (s *Server) ncEdit(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	a := actorOf(r)
	n, err := s.improve.Nonconformity(r.Context(), a, id)
	if err != nil {
		return err
	}
	if !improvement.MayEdit(a, n) {
		return apperr.Forbidden(string(auth.PermImproveManage))
	}
	d, err := s.ncFormData(r, id, improvement.NCInput{Title: n.Title, Description: n.Description, Source: n.Source, SourceRef: n.SourceRef, Process: n.Process,
		UnitID: n.UnitID, Clause: n.Clause, Severity: n.Severity, DetectedOn: n.DetectedOn, OwnerID: n.OwnerID, Correction: n.Correction,
		CorrectionBy: n.CorrectionBy, CorrectionOn: n.CorrectionOn, Version: n.Version})
	if err != nil {
		return err
	}
	d.Code = n.Code
	p := s.page(r, "nc.edit_title", d)
	return s.render(w, http.StatusOK, "nc_form", p)
}

// ncUpdate saves a case's details.
func (s *Server) ncUpdate(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	in := ncInput(r)
	a := actorOf(r)
	n, err := s.improve.Nonconformity(r.Context(), a, id)
	if err != nil {
		return err
	}
	if !a.Can(auth.PermImproveManage) {
		// Only the quality office names the owner; others keep it.
		in.OwnerID = n.OwnerID
	}
	if _, err = s.improve.Update(r.Context(), a, id, in); err == nil {
		s.flash(r, "flash.saved")
		return redirect(w, r, "/nonconformities/"+strconv.FormatInt(id, 10))
	}
	d, derr := s.ncFormData(r, id, in)
	if derr != nil {
		return derr
	}
	d.Code = n.Code
	return s.formError(w, r, err, "nc_form", "nc.edit_title", d)
}
