package web

import (
	"net/http"
	"strconv"

	"cadran/internal/apperr"
	"cadran/internal/audit"
	"cadran/internal/auth"
	"cadran/internal/org"
	"cadran/internal/scorecard"
)

// scObjectiveForm is an objective's form as typed (numbers kept as text,
// so a mistyped one comes back as it was written).
type scObjectiveForm struct {
	scorecard.ObjectiveInput
	Weight, Position string
}

type scObjectiveFormData struct {
	ID           int64
	Code         string
	Form         scObjectiveForm
	Perspectives []scorecard.Perspective
	Units        []*org.TreeNode
	People       []org.Person
	Parents      []scorecard.Objective
}

func scObjectiveInput(r *http.Request) scObjectiveForm {
	f := scObjectiveForm{Weight: r.FormValue("sc_obj_weight"), Position: r.FormValue("sc_obj_position")}
	f.ObjectiveInput = scorecard.ObjectiveInput{PerspectiveID: formInt(r, "sc_obj_perspective"), UnitID: formInt(r, "sc_obj_unit"), ParentID: formInt(r, "sc_obj_parent"),
		Code: r.FormValue("sc_obj_code"), Title: r.FormValue("sc_obj_title"), Description: r.FormValue("sc_obj_description"), OwnerID: formInt(r, "sc_obj_owner"),
		Weight: scFloat(f.Weight), Quality: r.FormValue("sc_obj_quality") == "1", Position: scInt(f.Position), Version: formVersion(r)}
	if f.Weight == "" {
		f.ObjectiveInput.Weight = 1
	}
	return f
}

func (s *Server) scObjectiveFormData(r *http.Request, id int64, code string, f scObjectiveForm) (*scObjectiveFormData, error) {
	ctx := r.Context()
	a := actorOf(r)
	d := &scObjectiveFormData{ID: id, Code: code, Form: f}
	var err error
	if err = s.scorecard.EnsureDefaults(ctx, a); err != nil {
		return nil, err
	}
	if d.Perspectives, err = s.scorecard.Perspectives(ctx, a); err != nil {
		return nil, err
	}
	if d.Units, err = s.org.UnitOptions(ctx, a); err != nil {
		return nil, err
	}
	if d.People, _, err = s.org.People(ctx, a, org.PeopleFilter{Limit: 10000}); err != nil {
		return nil, err
	}
	objs, err := s.scorecard.Objectives(ctx, a, scorecard.ObjectiveFilter{AllUnits: true})
	if err != nil {
		return nil, err
	}
	for _, o := range objs {
		if o.ID != id {
			d.Parents = append(d.Parents, o)
		}
	}
	return d, nil
}

// scorecardObjectiveNew is the form of a new objective; ?perspective=,
// ?unit=, ?parent= and ?quality=1 fill it in.
func (s *Server) scorecardObjectiveNew(w http.ResponseWriter, r *http.Request) error {
	a := actorOf(r)
	if err := a.Require(auth.PermScorecardManage); err != nil {
		return err
	}
	f := scObjectiveForm{Weight: "1"}
	f.PerspectiveID, f.UnitID, f.ParentID = queryInt(r, "perspective"), queryInt(r, "unit"), queryInt(r, "parent")
	f.Quality = r.URL.Query().Get("quality") == "1"
	d, err := s.scObjectiveFormData(r, 0, "", f)
	if err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "scorecard_objective_form", s.page(r, "scorecard.objective.new", d))
}

// scorecardObjectiveCreate saves a new objective.
func (s *Server) scorecardObjectiveCreate(w http.ResponseWriter, r *http.Request) error {
	f := scObjectiveInput(r)
	o, err := s.scorecard.CreateObjective(r.Context(), actorOf(r), f.ObjectiveInput)
	if err == nil {
		s.flash(r, "flash.created")
		return redirect(w, r, "/scorecard/objectives/"+strconv.FormatInt(o.ID, 10))
	}
	if apperr.KindOf(err) == apperr.KindForbidden {
		return err
	}
	d, derr := s.scObjectiveFormData(r, 0, "", f)
	if derr != nil {
		return derr
	}
	return s.formError(w, r, err, "scorecard_objective_form", "scorecard.objective.new", d)
}

// scorecardObjectiveEdit is an objective's form.
func (s *Server) scorecardObjectiveEdit(w http.ResponseWriter, r *http.Request) error {
	a := actorOf(r)
	if err := a.Require(auth.PermScorecardManage); err != nil {
		return err
	}
	id, err := pathID(r)
	if err != nil {
		return err
	}
	o, err := s.scorecard.Objective(r.Context(), a, id)
	if err != nil {
		return err
	}
	f := scObjectiveForm{ObjectiveInput: scorecard.ObjectiveInput{PerspectiveID: o.PerspectiveID, UnitID: o.UnitID, ParentID: o.ParentID, Code: o.Code, Title: o.Title,
		Description: o.Description, OwnerID: o.OwnerID, Weight: o.Weight, Quality: o.Quality, Position: o.Position, Version: o.Version},
		Weight: scFloatText(o.Weight), Position: strconv.Itoa(o.Position)}
	d, err := s.scObjectiveFormData(r, id, o.Code, f)
	if err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "scorecard_objective_form", s.page(r, "scorecard.objective.edit", d))
}

// scorecardObjectiveUpdate saves an objective.
func (s *Server) scorecardObjectiveUpdate(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	a := actorOf(r)
	f := scObjectiveInput(r)
	if _, err = s.scorecard.UpdateObjective(r.Context(), a, id, f.ObjectiveInput); err == nil {
		s.flash(r, "flash.saved")
		return redirect(w, r, "/scorecard/objectives/"+strconv.FormatInt(id, 10))
	}
	if k := apperr.KindOf(err); k == apperr.KindForbidden || k == apperr.KindNotFound {
		return err
	}
	before, gerr := s.scorecard.Objective(r.Context(), a, id)
	if gerr != nil {
		return gerr
	}
	d, derr := s.scObjectiveFormData(r, id, before.Code, f)
	if derr != nil {
		return derr
	}
	return s.formError(w, r, err, "scorecard_objective_form", "scorecard.objective.edit", d)
}

// scorecardObjectiveArchive takes an objective off the scorecard.
func (s *Server) scorecardObjectiveArchive(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	if err := s.scorecard.ArchiveObjective(r.Context(), actorOf(r), id, formVersion(r)); err != nil {
		return err
	}
	s.flash(r, "scorecard.objective.flash_archived")
	return redirect(w, r, "/scorecard")
}

// scObjectiveShowData is an objective's page.
type scObjectiveShowData struct {
	Objective   scorecard.Objective
	Perspective scorecard.Perspective
	Card        scorecard.ObjectiveCard
	HasCard     bool
	Month       string
	MonthLabel  string
	Keep        string
	In, Out     []scMapLink // arrows into it (its causes) and out of it (its effects)
	Initiatives []scorecard.Initiative
	History     []audit.Stored
	CanManage   bool
}

// scorecardObjectiveShow is an objective: its score and how it was
// calculated, its KPIs, the objectives cascaded to it, its initiatives,
// its neighbours on the strategy map and its history.
func (s *Server) scorecardObjectiveShow(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	a := actorOf(r)
	id, err := pathID(r)
	if err != nil {
		return err
	}
	o, err := s.scorecard.Objective(ctx, a, id)
	if err != nil {
		return err
	}
	q := s.scCardQuery(r)
	q.UnitID = o.UnitID
	l := localizer(r)
	d := &scObjectiveShowData{Objective: o, Month: q.Month.Key(), MonthLabel: q.Month.Label(l.Lang()), Keep: scMonthQuery(q), CanManage: a.Can(auth.PermScorecardManage)}
	card, err := s.scorecard.Card(ctx, a, q)
	if err != nil {
		return err
	}
	d.Card, d.HasCard = scFindObjective(card, id)
	for _, pc := range card.Perspectives {
		if pc.Perspective.ID == o.PerspectiveID {
			d.Perspective = pc.Perspective
		}
	}
	objs, err := s.scorecard.Objectives(ctx, a, scorecard.ObjectiveFilter{AllUnits: true})
	if err != nil {
		return err
	}
	byID := map[int64]scorecard.Objective{}
	for _, x := range objs {
		byID[x.ID] = x
	}
	links, err := s.scorecard.Links(ctx, a, o.UnitID)
	if err != nil {
		return err
	}
	for _, lk := range links {
		switch id {
		case lk.ToID:
			d.In = append(d.In, scMapLink{Link: lk, From: byID[lk.FromID], To: o})
		case lk.FromID:
			d.Out = append(d.Out, scMapLink{Link: lk, From: o, To: byID[lk.ToID]})
		}
	}
	ini, err := s.scorecard.Initiatives(ctx, a, scorecard.InitiativeFilter{ObjectiveID: id, PerPage: 200})
	if err != nil {
		return err
	}
	d.Initiatives = ini.Items
	if a.Can(auth.PermAuditView) {
		if d.History, _, err = audit.List(ctx, s.db.R, a.Tenant, audit.Filter{Entity: scorecard.EntityObjective, EntityID: id, Limit: 50}); err != nil {
			return err
		}
	}
	p := s.page(r, "scorecard.objective.title", d)
	p.Title = o.Code + " " + clipTitle(o.Title)
	return s.render(w, http.StatusOK, "scorecard_objective_show", p)
}
