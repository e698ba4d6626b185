package web

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"cadran/internal/apperr"
	"cadran/internal/audit"
	"cadran/internal/auth"
	"cadran/internal/org"
	"cadran/internal/report"
	"cadran/internal/scorecard"
	"cadran/internal/work"
)

type scInitiativeListData struct {
	Page       scorecard.InitiativePage
	Filter     scorecard.InitiativeFilter
	Objectives []scorecard.Objective
	People     []org.Person
	States     []string
	Sorts      []sortLink
	Pager      pager
	Today      string
	Saved      savedFilterBlock
	CanManage  bool
}

var scInitiativeSortLabels = map[string]string{"code": "field.sc_ini_code", "title": "field.sc_ini_title", "end": "field.sc_ini_end",
	"progress": "field.sc_ini_progress", "budget": "field.sc_ini_budget", "owner": "field.sc_ini_owner"}

// scInitiativeFilter reads the list's filter: q, state, objective, owner,
// overdue=1 and sort (a leading "-" reverses it).
func scInitiativeFilter(r *http.Request) scorecard.InitiativeFilter {
	q := r.URL.Query()
	f := scorecard.InitiativeFilter{Query: q.Get("q"), State: q.Get("state"), ObjectiveID: queryInt(r, "objective"), OwnerID: queryInt(r, "owner"),
		Overdue: q.Get("overdue") == "1", Sort: q.Get("sort")}
	if strings.HasPrefix(f.Sort, "-") {
		f.Sort, f.Desc = f.Sort[1:], true
	}
	return f
}

// initiativeList lists the initiatives, filtered, sorted and paginated.
func (s *Server) initiativeList(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	a := actorOf(r)
	f := scInitiativeFilter(r)
	pg := newPager(r, 25)
	f.Page, f.PerPage = pg.Page, pg.PerPage
	page, err := s.scorecard.Initiatives(ctx, a, f)
	if err != nil {
		return err
	}
	pg.Total = page.Total
	d := &scInitiativeListData{Page: page, Filter: f, Pager: pg, States: scorecard.InitiativeStates, Today: work.Day(s.clock.Now()).Format(time.DateOnly),
		CanManage: a.Can(auth.PermScorecardManage)}
	if d.Objectives, err = s.scorecard.Objectives(ctx, a, scorecard.ObjectiveFilter{AllUnits: true}); err != nil {
		return err
	}
	if d.People, _, err = s.org.People(ctx, a, org.PeopleFilter{Limit: 10000}); err != nil {
		return err
	}
	if d.Saved, err = s.savedFilters(r, "initiatives"); err != nil {
		return err
	}
	p := s.page(r, "scorecard.initiative.list_title", d)
	cur := f.Sort
	if f.Desc {
		cur = "-" + cur
	}
	d.Sorts = sortLinks(p, cur, scInitiativeSortLabels, scorecard.InitiativeSorts())
	return s.render(w, http.StatusOK, "scorecard_initiative_list", p)
}

// initiativeExport sends the filtered list as XLSX.
func (s *Server) initiativeExport(w http.ResponseWriter, r *http.Request) error {
	f := scInitiativeFilter(r)
	f.PerPage = 10000
	page, err := s.scorecard.Initiatives(r.Context(), actorOf(r), f)
	if err != nil {
		return err
	}
	l := localizer(r)
	t := report.Table{Sheet: l.T("scorecard.initiative.list_title"), Headers: []string{l.T("field.sc_ini_code"), l.T("field.sc_ini_title"), l.T("field.sc_ini_objectives"),
		l.T("field.sc_ini_owner"), l.T("field.sc_ini_unit"), l.T("field.sc_ini_state"), l.T("field.sc_ini_start"), l.T("field.sc_ini_end"),
		l.T("field.sc_ini_progress"), l.T("field.sc_ini_budget"), l.T("field.sc_ini_spent"), l.T("field.sc_ini_funding")}}
	for _, x := range page.Items {
		var objs []string
		for _, o := range x.Objectives {
			objs = append(objs, o.Code+" "+o.Title)
		}
		t.Rows = append(t.Rows, []any{x.Code, x.Title, strings.Join(objs, "\n"), x.OwnerName, x.UnitName, l.T("scorecard.initiative_state." + x.State),
			scDay(x.StartOn), scDay(x.EndOn), x.Progress, x.Budget, x.Spent, x.Funding})
	}
	return sendTables(w, r, l.T("scorecard.initiative.export_file"), t)
}

// scDay is a YYYY-MM-DD day as a date cell, or empty.
func scDay(day string) any {
	t, err := time.Parse(time.DateOnly, day)
	if err != nil {
		return ""
	}
	return t
}

// scInitiativeForm is an initiative's form as typed.
type scInitiativeForm struct {
	scorecard.InitiativeInput
	Budget, Spent, Progress string
}

type scInitiativeFormData struct {
	ID         int64
	Code       string
	Form       scInitiativeForm
	Selected   map[int64]bool
	Objectives []scorecard.Objective
	Units      []*org.TreeNode
	People     []org.Person
	States     []string
}

func scInitiativeInput(r *http.Request) scInitiativeForm {
	_ = r.ParseForm()
	f := scInitiativeForm{Budget: r.FormValue("sc_ini_budget"), Spent: r.FormValue("sc_ini_spent"), Progress: r.FormValue("sc_ini_progress")}
	f.InitiativeInput = scorecard.InitiativeInput{Code: r.FormValue("sc_ini_code"), Title: r.FormValue("sc_ini_title"), Description: r.FormValue("sc_ini_description"),
		OwnerID: formInt(r, "sc_ini_owner"), UnitID: formInt(r, "sc_ini_unit"), Budget: scFloat(f.Budget), Spent: scFloat(f.Spent),
		StartOn: r.FormValue("sc_ini_start"), EndOn: r.FormValue("sc_ini_end"), Progress: scInt(f.Progress), State: r.FormValue("sc_ini_state"),
		Funding: r.FormValue("sc_ini_funding"), Version: formVersion(r)}
	for _, v := range r.Form["sc_ini_objectives"] {
		if id, err := strconv.ParseInt(v, 10, 64); err == nil {
			f.ObjectiveIDs = append(f.ObjectiveIDs, id)
		} else {
			f.ObjectiveIDs = append(f.ObjectiveIDs, -1)
		}
	}
	return f
}

func (s *Server) scInitiativeFormData(r *http.Request, id int64, code string, f scInitiativeForm) (*scInitiativeFormData, error) {
	ctx := r.Context()
	a := actorOf(r)
	d := &scInitiativeFormData{ID: id, Code: code, Form: f, Selected: map[int64]bool{}, States: scorecard.InitiativeStates}
	for _, o := range f.ObjectiveIDs {
		d.Selected[o] = true
	}
	var err error
	if d.Objectives, err = s.scorecard.Objectives(ctx, a, scorecard.ObjectiveFilter{AllUnits: true}); err != nil {
		return nil, err
	}
	if d.Units, err = s.org.UnitOptions(ctx, a); err != nil {
		return nil, err
	}
	if d.People, _, err = s.org.People(ctx, a, org.PeopleFilter{Limit: 10000}); err != nil {
		return nil, err
	}
	return d, nil
}

// initiativeNew is the form of a new initiative (?objective= preselects one).
func (s *Server) initiativeNew(w http.ResponseWriter, r *http.Request) error {
	a := actorOf(r)
	if err := a.Require(auth.PermScorecardManage); err != nil {
		return err
	}
	f := scInitiativeForm{Progress: "0"}
	f.State = scorecard.InitiativePlanned
	if o := queryInt(r, "objective"); o > 0 {
		f.ObjectiveIDs = []int64{o}
	}
	d, err := s.scInitiativeFormData(r, 0, "", f)
	if err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "scorecard_initiative_form", s.page(r, "scorecard.initiative.new", d))
}

// initiativeCreate saves a new initiative; its end date becomes a task in
// its owner's inbox.
func (s *Server) initiativeCreate(w http.ResponseWriter, r *http.Request) error {
	f := scInitiativeInput(r)
	x, err := s.scorecard.CreateInitiative(r.Context(), actorOf(r), f.InitiativeInput)
	if err == nil {
		s.flash(r, "flash.created")
		return redirect(w, r, "/scorecard/initiatives/"+strconv.FormatInt(x.ID, 10))
	}
	if apperr.KindOf(err) == apperr.KindForbidden {
		return err
	}
	d, derr := s.scInitiativeFormData(r, 0, "", f)
	if derr != nil {
		return derr
	}
	return s.formError(w, r, err, "scorecard_initiative_form", "scorecard.initiative.new", d)
}

// initiativeEdit is an initiative's form.
func (s *Server) initiativeEdit(w http.ResponseWriter, r *http.Request) error {
	a := actorOf(r)
	if err := a.Require(auth.PermScorecardManage); err != nil {
		return err
	}
	id, err := pathID(r)
	if err != nil {
		return err
	}
	x, err := s.scorecard.Initiative(r.Context(), a, id)
	if err != nil {
		return err
	}
	f := scInitiativeForm{InitiativeInput: scorecard.InitiativeInput{Code: x.Code, Title: x.Title, Description: x.Description, OwnerID: x.OwnerID, UnitID: x.UnitID,
		ObjectiveIDs: x.ObjectiveIDs, Budget: x.Budget, Spent: x.Spent, StartOn: x.StartOn, EndOn: x.EndOn, Progress: x.Progress, State: x.State, Funding: x.Funding, Version: x.Version},
		Budget: scFloatText(x.Budget), Spent: scFloatText(x.Spent), Progress: strconv.Itoa(x.Progress)}
	d, err := s.scInitiativeFormData(r, id, x.Code, f)
	if err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "scorecard_initiative_form", s.page(r, "scorecard.initiative.edit", d))
}

// initiativeUpdate saves an initiative.
func (s *Server) initiativeUpdate(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	a := actorOf(r)
	f := scInitiativeInput(r)
	if _, err = s.scorecard.UpdateInitiative(r.Context(), a, id, f.InitiativeInput); err == nil {
		s.flash(r, "flash.saved")
		return redirect(w, r, "/scorecard/initiatives/"+strconv.FormatInt(id, 10))
	}
	if k := apperr.KindOf(err); k == apperr.KindForbidden || k == apperr.KindNotFound {
		return err
	}
	before, gerr := s.scorecard.Initiative(r.Context(), a, id)
	if gerr != nil {
		return gerr
	}
	d, derr := s.scInitiativeFormData(r, id, before.Code, f)
	if derr != nil {
		return derr
	}
	return s.formError(w, r, err, "scorecard_initiative_form", "scorecard.initiative.edit", d)
}

type scInitiativeShowData struct {
	Initiative scorecard.Initiative
	History    []audit.Stored
	Overdue    bool
	CanManage  bool
}

// initiativeShow is an initiative with its objectives and history.
func (s *Server) initiativeShow(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	a := actorOf(r)
	id, err := pathID(r)
	if err != nil {
		return err
	}
	x, err := s.scorecard.Initiative(ctx, a, id)
	if err != nil {
		return err
	}
	d := &scInitiativeShowData{Initiative: x, CanManage: a.Can(auth.PermScorecardManage),
		Overdue: scorecard.InitiativeOpen(x.State) && x.EndOn != "" && x.EndOn < work.Day(s.clock.Now()).Format(time.DateOnly)}
	if a.Can(auth.PermAuditView) {
		if d.History, _, err = audit.List(ctx, s.db.R, a.Tenant, audit.Filter{Entity: scorecard.EntityInitiative, EntityID: id, Limit: 50}); err != nil {
			return err
		}
	}
	p := s.page(r, "scorecard.initiative.list_title", d)
	p.Title = x.Code + " " + clipTitle(x.Title)
	return s.render(w, http.StatusOK, "scorecard_initiative_show", p)
}
