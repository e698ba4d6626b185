package web

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"cadran/internal/apperr"
	"cadran/internal/audits"
	"cadran/internal/auth"
	"cadran/internal/frameworks"
	"cadran/internal/org"
	"cadran/internal/work"
)

type iauditFormData struct {
	ID         int64
	Code       string
	Form       audits.PlanInput
	Units      []*org.TreeNode
	Auditors   []audits.Auditor
	Procedures []audits.ProcedureOption
	Clauses    []frameworks.Clause
	Processes  []string
	// Agenda is the form's agenda rows: those given and a few blank ones.
	Agenda []audits.AgendaRow
	// Item is the programme item the audit is planned from; Previous the
	// audit it starts from; Earlier the audits of the same unit it could.
	Item     *audits.ProgrammeItem
	Previous *audits.Audit
	Earlier  []audits.Audit
	Today    time.Time
}

// HasClause reports whether the form holds the clause, for checkboxes.
func (d *iauditFormData) HasClause(code string) bool {
	for _, c := range d.Form.Clauses {
		if c == code {
			return true
		}
	}
	return false
}

// HasProcedure reports whether the procedure is in the form's scope.
func (d *iauditFormData) HasProcedure(id int64) bool {
	for _, p := range d.Form.Procedures {
		if p == id {
			return true
		}
	}
	return false
}

// InTeam reports whether the person is in the form's team.
func (d *iauditFormData) InTeam(id int64) bool {
	for _, p := range d.Form.Team {
		if p == id {
			return true
		}
	}
	return false
}

func formIDs(r *http.Request, name string) []int64 {
	_ = r.ParseForm()
	var out []int64
	for _, v := range r.Form[name] {
		if n, err := strconv.ParseInt(v, 10, 64); err == nil && n > 0 {
			out = append(out, n)
		}
	}
	return out
}

func iauditPlanInput(r *http.Request) audits.PlanInput {
	_ = r.ParseForm()
	in := audits.PlanInput{ItemID: formInt(r, "programme_item_id"), Title: r.FormValue("audit_title"), UnitID: formInt(r, "unit_id"), Process: r.FormValue("process"),
		Scope: r.FormValue("audit_scope"), Criteria: r.FormValue("audit_criteria"), Clauses: r.Form["audit_clauses"], Procedures: formIDs(r, "audit_procedures"),
		LeadID: formInt(r, "lead_id"), Team: formIDs(r, "audit_team"), Auditees: r.FormValue("audit_auditees"), StartOn: r.FormValue("audit_start"),
		EndOn: r.FormValue("audit_end"), PreviousID: formInt(r, "audit_previous"), Version: formVersion(r)}
	for i := 0; i < audits.MaxAgenda+5; i++ {
		k := strconv.Itoa(i)
		if _, ok := r.Form["agenda_activity_"+k]; !ok {
			break
		}
		in.Agenda = append(in.Agenda, audits.AgendaRow{Day: r.FormValue("agenda_day_" + k), Time: r.FormValue("agenda_time_" + k),
			Activity: r.FormValue("agenda_activity_" + k), People: r.FormValue("agenda_people_" + k)})
	}
	return in
}

func (s *Server) iauditFormData(r *http.Request, id int64, code string, in audits.PlanInput) (*iauditFormData, error) {
	ctx := r.Context()
	a := actorOf(r)
	d := &iauditFormData{ID: id, Code: code, Form: in, Clauses: frameworks.ISO9001, Today: work.Day(s.clock.Now())}
	var err error
	if d.Units, err = s.org.UnitOptions(ctx, a); err != nil {
		return nil, err
	}
	if d.Auditors, err = s.audits.Auditors(ctx, a, true); err != nil {
		return nil, err
	}
	if d.Procedures, err = s.audits.ProcedureOptions(ctx, a); err != nil {
		return nil, err
	}
	if d.Processes, err = s.docs.Processes(ctx, a); err != nil {
		return nil, err
	}
	d.Agenda = append(d.Agenda, in.Agenda...)
	for range 3 {
		d.Agenda = append(d.Agenda, audits.AgendaRow{})
	}
	if in.ItemID != 0 {
		if it, _, err := s.audits.ProgrammeItem(ctx, a, in.ItemID); err == nil {
			d.Item = &it
		}
	}
	if in.PreviousID != 0 {
		if p, err := s.audits.Audit(ctx, a, in.PreviousID); err == nil {
			d.Previous = &p
		}
	} else if id == 0 && (in.UnitID != 0 || in.Process != "") {
		if d.Earlier, err = s.audits.Previous(ctx, a, in.UnitID, in.Process); err != nil {
			return nil, err
		}
	}
	return d, nil
}

// iauditNew is the audit plan form: blank, from a programme item
// (?item=), or from a previous audit of the same unit (?from=).
func (s *Server) iauditNew(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	a := actorOf(r)
	if err := a.Require(auth.PermAuditsManage); err != nil {
		return err
	}
	var in audits.PlanInput
	if from := queryInt(r, "from"); from != 0 {
		prev, err := s.audits.Audit(ctx, a, from)
		if err != nil {
			return err
		}
		in = audits.FromPrevious(prev)
		if today := work.Day(s.clock.Now()); in.StartOn < today.Format(time.DateOnly) {
			in.StartOn, in.EndOn = today.AddDate(0, 0, 14).Format(time.DateOnly), today.AddDate(0, 0, 15).Format(time.DateOnly)
		}
		in.Agenda = nil
	}
	if item := queryInt(r, "item"); item != 0 {
		it, year, err := s.audits.ProgrammeItem(ctx, a, item)
		if err != nil {
			return err
		}
		in.ItemID = it.ID
		if in.PreviousID == 0 {
			start := audits.MonthStart(year, it.Month)
			in.UnitID, in.Process, in.Clauses = it.UnitID, it.Process, it.Clauses
			in.StartOn, in.EndOn = start.Format(time.DateOnly), start.AddDate(0, 0, 1).Format(time.DateOnly)
			in.Title = iauditTitle(localizer(r).T("audits.default_title"), it.Subject())
			in.Scope = it.Subject()
			in.Criteria = localizer(r).T("audits.default_criteria")
		}
	}
	d, err := s.iauditFormData(r, 0, "", in)
	if err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "iaudit_form", s.page(r, "audits.new_title", d))
}

func iauditTitle(prefix, subject string) string {
	return strings.TrimSpace(prefix + " " + subject)
}

// iauditCreate saves a new audit plan.
func (s *Server) iauditCreate(w http.ResponseWriter, r *http.Request) error {
	in := iauditPlanInput(r)
	x, err := s.audits.Create(r.Context(), actorOf(r), in)
	if err == nil {
		s.flash(r, "audits.flash.planned", "Code", x.Code)
		return redirect(w, r, "/audits/"+strconv.FormatInt(x.ID, 10))
	}
	d, derr := s.iauditFormData(r, 0, "", in)
	if derr != nil {
		return derr
	}
	return s.iauditFormError(w, r, err, "iaudit_form", "audits.new_title", d)
}

// iauditEdit is the form to change an audit's plan.
func (s *Server) iauditEdit(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	ctx := r.Context()
	a := actorOf(r)
	x, err := s.audits.Audit(ctx, a, id)
	if err != nil {
		return err
	}
	if err := a.Require(auth.PermAuditsManage); err != nil {
		return err
	}
	if !audits.MayEditPlan(a, x) {
		return apperr.Conflict("audits.error.plan_closed")
	}
	agenda, err := s.audits.Agenda(ctx, a, id)
	if err != nil {
		return err
	}
	in := audits.PlanInput{ItemID: x.ItemID, Title: x.Title, UnitID: x.UnitID, Process: x.Process, Scope: x.Scope, Criteria: x.Criteria, Clauses: x.Clauses,
		Procedures: x.Procedures, LeadID: x.LeadID, Team: x.Team, Auditees: x.Auditees, StartOn: x.StartOn, EndOn: x.EndOn, Agenda: agenda, PreviousID: x.PreviousID, Version: x.Version}
	d, err := s.iauditFormData(r, id, x.Code, in)
	if err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "iaudit_form", s.page(r, "audits.edit_title", d))
}

// iauditUpdate saves an audit's plan.
func (s *Server) iauditUpdate(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	a := actorOf(r)
	in := iauditPlanInput(r)
	x, err := s.audits.Update(r.Context(), a, id, in)
	if err == nil {
		s.flash(r, "flash.saved")
		return redirect(w, r, "/audits/"+strconv.FormatInt(x.ID, 10))
	}
	before, gerr := s.audits.Audit(r.Context(), a, id)
	if gerr != nil {
		return gerr
	}
	in.ItemID, in.PreviousID = before.ItemID, before.PreviousID
	d, derr := s.iauditFormData(r, id, before.Code, in)
	if derr != nil {
		return derr
	}
	return s.iauditFormError(w, r, err, "iaudit_form", "audits.edit_title", d)
}

// iauditFormError re-renders a form with its errors, as formError does,
// and names the auditors an independence refusal is about.
func (s *Server) iauditFormError(w http.ResponseWriter, r *http.Request, err error, tmpl, titleKey string, data any) error {
	var ie *audits.IndependenceError
	if errors.As(err, &ie) {
		p := s.page(r, titleKey, data)
		p.Errors = apperr.Validation{ie.Field: "audits.error.own_unit"}
		p.Error = p.T("audits.error.own_unit_named", "Names", strings.Join(ie.Names, ", "))
		return s.render(w, http.StatusUnprocessableEntity, tmpl, p)
	}
	return s.formError(w, r, err, tmpl, titleKey, data)
}
