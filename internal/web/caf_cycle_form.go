package web

import (
	"net/http"
	"strconv"
	"strings"

	"cadran/internal/apperr"
	"cadran/internal/auth"
	"cadran/internal/caf"
	"cadran/internal/org"
)

type cafFormData struct {
	ID     int64
	Code   string
	Form   caf.CycleInput
	Units  []*org.TreeNode
	People []org.Person
	Panels []string
	// PanelFixed: members have started scoring, so the panel stays.
	PanelFixed bool
}

func cafCycleInput(r *http.Request) caf.CycleInput {
	return caf.CycleInput{Title: strings.TrimSpace(r.FormValue("caf_title")), UnitID: formInt(r, "caf_unit"), Panel: r.FormValue("caf_panel"),
		LeaderID: formInt(r, "caf_leader"), StartOn: strings.TrimSpace(r.FormValue("caf_start")), EndOn: strings.TrimSpace(r.FormValue("caf_end")),
		CommPlan: r.FormValue("caf_comm_plan"), PEFNotes: r.FormValue("caf_pef_notes"), Version: formVersion(r)}
}

func (s *Server) cafFormData(r *http.Request, c *caf.Cycle, in caf.CycleInput) (*cafFormData, error) {
	ctx := r.Context()
	a := actorOf(r)
	d := &cafFormData{Form: in, Panels: caf.Panels}
	if c != nil {
		d.ID, d.Code = c.ID, c.Code
		d.PanelFixed = c.State != caf.StatePlanning
	}
	var err error
	if d.Units, err = s.org.UnitOptions(ctx, a); err != nil {
		return nil, err
	}
	if d.People, _, err = s.org.People(ctx, a, org.PeopleFilter{Limit: 10000}); err != nil {
		return nil, err
	}
	return d, nil
}

// cafNew is the form for a new self-assessment.
func (s *Server) cafNew(w http.ResponseWriter, r *http.Request) error {
	a := actorOf(r)
	if err := a.Require(auth.PermCAFManage); err != nil {
		return err
	}
	in := caf.CycleInput{Panel: caf.PanelClassical, LeaderID: a.PersonID}
	d, err := s.cafFormData(r, nil, in)
	if err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "caf_form", s.page(r, "caf.form.new_title", d))
}

// cafCreate starts a self-assessment in planning.
func (s *Server) cafCreate(w http.ResponseWriter, r *http.Request) error {
	in := cafCycleInput(r)
	c, err := s.caf.CreateCycle(r.Context(), actorOf(r), in)
	if err == nil {
		s.flash(r, "caf.form.flash_created", "Code", c.Code)
		return redirect(w, r, "/caf/"+strconv.FormatInt(c.ID, 10))
	}
	if apperr.KindOf(err) == apperr.KindForbidden {
		return err
	}
	d, derr := s.cafFormData(r, nil, in)
	if derr != nil {
		return derr
	}
	return s.formError(w, r, cafFieldNames(err, map[string]string{"caf_model": "caf_panel"}), "caf_form", "caf.form.new_title", d)
}

// cafEdit is the form to change a cycle.
func (s *Server) cafEdit(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	a := actorOf(r)
	c, err := s.caf.Cycle(r.Context(), a, id)
	if err != nil {
		return err
	}
	if !caf.MayManage(a, c) {
		return apperr.Forbidden(string(auth.PermCAFManage))
	}
	in := caf.CycleInput{Title: c.Title, Model: c.Model, UnitID: c.UnitID, Panel: c.Panel, LeaderID: c.LeaderID, StartOn: c.StartOn, EndOn: c.EndOn,
		CommPlan: c.CommPlan, PEFNotes: c.PEFNotes, Version: c.Version}
	d, err := s.cafFormData(r, &c, in)
	if err != nil {
		return err
	}
	p := s.page(r, "caf.form.edit_title", d)
	p.Title = p.T("caf.form.edit_title") + " " + c.Code
	return s.render(w, http.StatusOK, "caf_form", p)
}

// cafUpdate saves a cycle's scope, panel, leader, dates and plans.
func (s *Server) cafUpdate(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	a := actorOf(r)
	in := cafCycleInput(r)
	before, err := s.caf.Cycle(r.Context(), a, id)
	if err != nil {
		return err
	}
	in.Model = before.Model
	if before.State != caf.StatePlanning {
		in.Panel = before.Panel
	}
	if _, err = s.caf.UpdateCycle(r.Context(), a, id, in); err == nil {
		s.flash(r, "flash.saved")
		return redirect(w, r, "/caf/"+strconv.FormatInt(id, 10))
	}
	if apperr.KindOf(err) == apperr.KindForbidden {
		return err
	}
	d, derr := s.cafFormData(r, &before, in)
	if derr != nil {
		return derr
	}
	return s.formError(w, r, cafFieldNames(err, map[string]string{"caf_model": "caf_panel"}), "caf_form", "caf.form.edit_title", d)
}
