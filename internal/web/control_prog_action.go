package web

// The development programme's actions across programmes: the list with
// its filters and export, the form, an action's page and its state.

import (
	"net/http"
	"slices"
	"strconv"
	"strings"

	"cadran/internal/apperr"
	"cadran/internal/auth"
	"cadran/internal/control"
	"cadran/internal/org"
	"cadran/internal/report"
)

var cprogActionSortKeys = []string{"due", "standard", "title", "owner", "unit", "state", "year"}

var cprogActionSortLabels = map[string]string{"due": "field.act_due_on", "standard": "field.act_standard", "title": "controlprog.action.title_col",
	"owner": "field.act_owner_id", "unit": "field.act_unit_id", "state": "controlprog.state", "year": "controlprog.programme.year"}

type cprogActionListData struct {
	Items      []control.Action
	Filter     control.ActionFilter
	Programmes []control.Programme
	Standards  []cprogStandard
	Units      []*org.TreeNode
	People     []org.Person
	States     []string
	Sorts      []sortLink
	Pager      pager
	Saved      savedFilterBlock
	Today      string
	CanManage  bool
}

func cprogActionFilterOf(r *http.Request) (control.ActionFilter, string) {
	q := r.URL.Query()
	f := control.ActionFilter{ProgrammeID: queryInt(r, "programme"), Year: int(queryInt(r, "year")), Standard: int(queryInt(r, "standard")),
		UnitID: queryInt(r, "unit"), OwnerID: queryInt(r, "owner"), State: q.Get("state"), Overdue: q.Get("overdue") == "1",
		Query: strings.TrimSpace(q.Get("q"))}
	if !slices.Contains(control.ActionStates, f.State) {
		f.State = ""
	}
	var current string
	f.Sort, f.Desc, current = cprogSort(r, cprogActionSortKeys, "due")
	return f, current
}

// cprogActionList lists the actions of every programme, filtered.
func (s *Server) cprogActionList(w http.ResponseWriter, r *http.Request) error {
	a := actorOf(r)
	if err := a.Require(auth.PermControlView); err != nil {
		return err
	}
	ctx := r.Context()
	f, current := cprogActionFilterOf(r)
	pg := newPager(r, cprogPerPage)
	f.Page, f.PerPage = pg.Page, pg.PerPage
	res, err := s.control.Actions(ctx, a, f)
	if err != nil {
		return err
	}
	pg.Total = res.Total
	p := s.page(r, "controlprog.action.list_title", nil)
	d := &cprogActionListData{Items: res.Items, Filter: f, Pager: pg, CanManage: cprogManage(a), Standards: cprogStandards(p.Lang),
		States: control.ActionStates, Today: s.cprogToday()}
	progs, err := s.control.Programmes(ctx, a, control.ProgrammeFilter{PerPage: 100})
	if err != nil {
		return err
	}
	d.Programmes = progs.Items
	if d.Units, err = s.org.UnitOptions(ctx, a); err != nil {
		return err
	}
	if d.People, err = s.cprogPeople(r); err != nil {
		return err
	}
	if d.Saved, err = s.savedFilters(r, "control_actions"); err != nil {
		return err
	}
	p.Data = d
	d.Sorts = sortLinks(p, current, cprogActionSortLabels, cprogActionSortKeys)
	return s.render(w, http.StatusOK, "control_prog_actions", p)
}

// cprogActionExport sends the filtered actions as XLSX.
func (s *Server) cprogActionExport(w http.ResponseWriter, r *http.Request) error {
	a := actorOf(r)
	if err := a.Require(auth.PermControlView); err != nil {
		return err
	}
	f, _ := cprogActionFilterOf(r)
	l := localizer(r)
	lang := l.Lang()
	t := report.Table{Sheet: l.T("controlprog.action.list_title"), Headers: []string{l.T("controlprog.programme.year"), l.T("field.act_standard"),
		l.T("field.act_objective_id"), l.T("controlprog.action.title_col"), l.T("field.act_description"), l.T("field.act_owner_id"), l.T("field.act_unit_id"),
		l.T("field.act_due_on"), l.T("controlprog.state"), l.T("field.act_done_on"), l.T("field.act_result"), l.T("controlprog.action.carried")}}
	today := s.cprogToday()
	for f.Page, f.PerPage = 1, 1000; ; f.Page++ {
		res, err := s.control.Actions(r.Context(), a, f)
		if err != nil {
			return err
		}
		for _, x := range res.Items {
			state := l.T("control.action.state." + x.State)
			if x.Overdue(today) {
				state += " (" + l.T("controlprog.overdue") + ")"
			}
			t.Rows = append(t.Rows, []any{x.Year, cprogStandardTitle(lang, x.Standard), x.ObjectiveCode, x.Title, x.Description, x.OwnerName, x.UnitName,
				cprogXDay(x.DueOn), state, cprogXDay(x.DoneOn), x.Result, cprogIf(x.CarriedFrom != 0, l.T("common.yes"))})
		}
		if len(res.Items) < f.PerPage || f.Page*f.PerPage >= res.Total {
			break
		}
	}
	return sendTables(w, r, l.T("controlprog.action.export_file"), t)
}

type cprogActionFormData struct {
	ID         int64
	Programme  control.Programme
	Programmes []control.Programme // on creation, when none was named
	Objectives []control.Objective
	Standards  []cprogStandard
	Units      []*org.TreeNode
	People     []org.Person
	Form       control.ActionInput
}

func cprogActionInput(r *http.Request, bad apperr.Validation) control.ActionInput {
	return control.ActionInput{ProgrammeID: formInt(r, control.FieldActionProgramme), ObjectiveID: formInt(r, control.FieldActionObjective),
		Standard: cprogInt(r, control.FieldActionStandard, bad), Title: r.FormValue(control.FieldActionTitle), Description: r.FormValue(control.FieldActionDescription),
		OwnerID: formInt(r, control.FieldActionOwner), UnitID: formInt(r, control.FieldActionUnit), DueOn: r.FormValue(control.FieldActionDue), Version: formVersion(r)}
}

// cprogActionFormFill reads the form's choices: the programme's
// objectives, the standards, units and people.
func (s *Server) cprogActionFormFill(r *http.Request, d *cprogActionFormData) error {
	a := actorOf(r)
	ctx := r.Context()
	d.Standards = cprogStandards(localizer(r).Lang())
	var err error
	if d.Form.ProgrammeID != 0 {
		if d.Programme, err = s.control.Programme(ctx, a, d.Form.ProgrammeID); err != nil {
			if apperr.KindOf(err) != apperr.KindNotFound {
				return err
			}
			d.Form.ProgrammeID = 0
		} else if d.Objectives, err = s.control.Objectives(ctx, a, d.Programme.ID); err != nil {
			return err
		}
	}
	if d.ID == 0 {
		progs, err := s.control.Programmes(ctx, a, control.ProgrammeFilter{PerPage: 100})
		if err != nil {
			return err
		}
		for _, p := range progs.Items {
			if p.State != control.ProgrammeClosed {
				d.Programmes = append(d.Programmes, p)
			}
		}
	}
	if d.Units, err = s.org.UnitOptions(ctx, a); err != nil {
		return err
	}
	d.People, err = s.cprogPeople(r)
	return err
}

// cprogActionNew is the form for a new action (?programme= names the
// programme).
func (s *Server) cprogActionNew(w http.ResponseWriter, r *http.Request) error {
	a := actorOf(r)
	if err := a.Require(auth.PermControlManage); err != nil {
		return err
	}
	d := &cprogActionFormData{Form: control.ActionInput{ProgrammeID: queryInt(r, "programme"), Standard: int(queryInt(r, "standard"))}}
	if err := s.cprogActionFormFill(r, d); err != nil {
		return err
	}
	if d.Form.ProgrammeID == 0 && len(d.Programmes) > 0 {
		d.Form.ProgrammeID = d.Programmes[0].ID
		if err := s.cprogActionFormFill(r, d); err != nil {
			return err
		}
	}
	return s.render(w, http.StatusOK, "control_prog_action_form", s.page(r, "controlprog.action.new_title", d))
}

// cprogActionCreate adds the action (and its owner's task).
func (s *Server) cprogActionCreate(w http.ResponseWriter, r *http.Request) error {
	a := actorOf(r)
	if err := a.Require(auth.PermControlManage); err != nil {
		return err
	}
	bad := apperr.Validation{}
	in := cprogActionInput(r, bad)
	var x control.Action
	var err error
	if len(bad) == 0 {
		x, err = s.control.CreateAction(r.Context(), a, in)
	}
	if err := cprogFields(err, bad); err != nil {
		if k := apperr.KindOf(err); k != apperr.KindInvalid && k != apperr.KindConflict {
			return err
		}
		d := &cprogActionFormData{Form: in}
		if ferr := s.cprogActionFormFill(r, d); ferr != nil {
			return ferr
		}
		return s.formError(w, r, err, "control_prog_action_form", "controlprog.action.new_title", d)
	}
	s.flash(r, "controlprog.action.flash_created")
	if r.FormValue("back") == "programme" {
		return redirect(w, r, "/control/programmes/"+strconv.FormatInt(x.ProgrammeID, 10))
	}
	return redirect(w, r, x.Href())
}

type cprogActionShowData struct {
	Action    control.Action
	CanManage bool
	Editable  bool
	// CanReport: the actor owns the open action and may report it done.
	CanReport bool
	Today     string
	Move      control.ActionMove
}

func (s *Server) cprogActionShowData(r *http.Request) (*cprogActionShowData, error) {
	a := actorOf(r)
	id, err := pathID(r)
	if err != nil {
		return nil, err
	}
	// The domain lets the action's owner read it without the view
	// permission.
	x, err := s.control.Action(r.Context(), a, id)
	if err != nil {
		return nil, err
	}
	today := s.cprogToday()
	editable := cprogManage(a) && x.ProgrammeState != control.ProgrammeClosed
	return &cprogActionShowData{Action: x, CanManage: cprogManage(a), Editable: editable, Today: today,
		CanReport: !editable && x.State == control.ActionOpen && x.ProgrammeState != control.ProgrammeClosed && a.PersonID != 0 && x.OwnerID == a.PersonID,
		Move:      control.ActionMove{DoneOn: today, Result: x.Result}}, nil
}

// cprogActionShow is an action's page.
func (s *Server) cprogActionShow(w http.ResponseWriter, r *http.Request) error {
	d, err := s.cprogActionShowData(r)
	if err != nil {
		return err
	}
	p := s.page(r, "controlprog.action.show_title", d)
	p.Title = d.Action.Title
	return s.render(w, http.StatusOK, "control_prog_action", p)
}

// cprogActionEdit is an action's form.
func (s *Server) cprogActionEdit(w http.ResponseWriter, r *http.Request) error {
	a := actorOf(r)
	if err := a.Require(auth.PermControlManage); err != nil {
		return err
	}
	id, err := pathID(r)
	if err != nil {
		return err
	}
	x, err := s.control.Action(r.Context(), a, id)
	if err != nil {
		return err
	}
	d := &cprogActionFormData{ID: id, Form: control.ActionInput{ProgrammeID: x.ProgrammeID, ObjectiveID: x.ObjectiveID, Standard: x.Standard, Title: x.Title,
		Description: x.Description, OwnerID: x.OwnerID, UnitID: x.UnitID, DueOn: x.DueOn, Version: x.Version}}
	if err := s.cprogActionFormFill(r, d); err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "control_prog_action_form", s.page(r, "controlprog.action.edit_title", d))
}

// cprogActionUpdate saves an action; its task follows its owner and due
// date.
func (s *Server) cprogActionUpdate(w http.ResponseWriter, r *http.Request) error {
	a := actorOf(r)
	if err := a.Require(auth.PermControlManage); err != nil {
		return err
	}
	id, err := pathID(r)
	if err != nil {
		return err
	}
	x, err := s.control.Action(r.Context(), a, id)
	if err != nil {
		return err
	}
	bad := apperr.Validation{}
	in := cprogActionInput(r, bad)
	in.ProgrammeID = x.ProgrammeID
	if len(bad) == 0 {
		_, err = s.control.UpdateAction(r.Context(), a, id, in)
	}
	if err := cprogFields(err, bad); err != nil {
		if k := apperr.KindOf(err); k != apperr.KindInvalid && k != apperr.KindConflict {
			return err
		}
		d := &cprogActionFormData{ID: id, Form: in}
		if ferr := s.cprogActionFormFill(r, d); ferr != nil {
			return ferr
		}
		return s.formError(w, r, err, "control_prog_action_form", "controlprog.action.edit_title", d)
	}
	s.flash(r, "flash.saved")
	return redirect(w, r, x.Href())
}

// cprogActionState marks an action done (with its day and result),
// cancelled or open again.
func (s *Server) cprogActionState(w http.ResponseWriter, r *http.Request) error {
	// The domain decides: the office moves any action, its owner reports
	// it done.
	a := actorOf(r)
	id, err := pathID(r)
	if err != nil {
		return err
	}
	m := control.ActionMove{To: r.FormValue("to"), DoneOn: r.FormValue(control.FieldActionDoneOn), Result: r.FormValue(control.FieldActionResult), Version: formVersion(r)}
	if _, err := s.control.MoveAction(r.Context(), a, id, m); err != nil {
		if k := apperr.KindOf(err); k != apperr.KindInvalid && k != apperr.KindConflict {
			return err
		}
		d, derr := s.cprogActionShowData(r)
		if derr != nil {
			return derr
		}
		d.Move = m
		return s.formError(w, r, err, "control_prog_action", "controlprog.action.show_title", d)
	}
	s.flash(r, "controlprog.action.flash_"+m.To)
	return redirect(w, r, "/control/actions/"+strconv.FormatInt(id, 10))
}
