package web

// The development programme of the control system: the list and its
// export, the form, a programme's page with its objectives, its actions by
// standard, its workflow and the yearly update, and the programme as the
// document the commission approves (PDF, DOCX).

import (
	"io"
	"net/http"
	"strconv"
	"strings"

	"cadran/internal/apperr"
	"cadran/internal/auth"
	"cadran/internal/control"
	"cadran/internal/report"
)

var cprogProgrammeSortKeys = []string{"year", "title", "state"}

var cprogProgrammeSortLabels = map[string]string{"year": "controlprog.programme.year", "title": "controlprog.programme.title_col", "state": "controlprog.state"}

type cprogProgrammeListData struct {
	Items     []control.Programme
	Filter    control.ProgrammeFilter
	States    []string
	Sorts     []sortLink
	Pager     pager
	CanManage bool
}

func cprogProgrammeFilterOf(r *http.Request) (control.ProgrammeFilter, string) {
	f := control.ProgrammeFilter{State: r.URL.Query().Get("state")}
	switch f.State {
	case control.ProgrammeDraft, control.ProgrammeApproved, control.ProgrammeClosed:
	default:
		f.State = ""
	}
	var current string
	f.Sort, f.Desc, current = cprogSort(r, cprogProgrammeSortKeys, "year")
	if current == "" {
		f.Desc = true
	}
	return f, current
}

// cprogProgrammeList lists the programmes, the latest year first, with
// their progress.
func (s *Server) cprogProgrammeList(w http.ResponseWriter, r *http.Request) error {
	a := actorOf(r)
	if err := a.Require(auth.PermControlView); err != nil {
		return err
	}
	f, current := cprogProgrammeFilterOf(r)
	pg := newPager(r, cprogPerPage)
	f.Page, f.PerPage = pg.Page, pg.PerPage
	res, err := s.control.Programmes(r.Context(), a, f)
	if err != nil {
		return err
	}
	pg.Total = res.Total
	d := &cprogProgrammeListData{Items: res.Items, Filter: f, Pager: pg, CanManage: cprogManage(a),
		States: []string{control.ProgrammeDraft, control.ProgrammeApproved, control.ProgrammeClosed}}
	p := s.page(r, "controlprog.programme.list_title", d)
	d.Sorts = sortLinks(p, current, cprogProgrammeSortLabels, cprogProgrammeSortKeys)
	return s.render(w, http.StatusOK, "control_prog_programmes", p)
}

// cprogProgrammeExport sends the programmes and their progress as XLSX.
func (s *Server) cprogProgrammeExport(w http.ResponseWriter, r *http.Request) error {
	a := actorOf(r)
	if err := a.Require(auth.PermControlView); err != nil {
		return err
	}
	f, _ := cprogProgrammeFilterOf(r)
	f.Page, f.PerPage = 1, 1000
	res, err := s.control.Programmes(r.Context(), a, f)
	if err != nil {
		return err
	}
	l := localizer(r)
	t := report.Table{Sheet: l.T("controlprog.programme.list_title"), Headers: []string{l.T("controlprog.programme.year"), l.T("controlprog.programme.title_col"),
		l.T("controlprog.state"), l.T("field.prog_decision"), l.T("field.prog_approved_on"), l.T("controlprog.programme.actions"),
		l.T("controlprog.programme.done"), l.T("controlprog.programme.open"), l.T("controlprog.programme.overdue"), l.T("controlprog.programme.percent")}}
	for _, x := range res.Items {
		t.Rows = append(t.Rows, []any{x.Year, x.Title, l.T("control.programme.state." + x.State), x.Decision, cprogXDay(x.ApprovedOn),
			x.Actions, x.Done, x.Open, x.Overdue, x.Percent()})
	}
	return sendTables(w, r, l.T("controlprog.programme.export_file"), t)
}

type cprogProgrammeFormData struct {
	ID   int64
	Year int
	Form control.ProgrammeInput
}

func cprogProgrammeInput(r *http.Request, bad apperr.Validation) control.ProgrammeInput {
	return control.ProgrammeInput{Year: cprogInt(r, control.FieldProgYear, bad), Title: r.FormValue(control.FieldProgTitle),
		Notes: r.FormValue(control.FieldProgNotes), Version: formVersion(r)}
}

// cprogProgrammeNew is the form for a year's programme (next year's by
// default once this year's exists).
func (s *Server) cprogProgrammeNew(w http.ResponseWriter, r *http.Request) error {
	a := actorOf(r)
	if err := a.Require(auth.PermControlManage); err != nil {
		return err
	}
	year := s.clock.Now().Year()
	if _, err := s.control.ProgrammeOfYear(r.Context(), a, year); err == nil {
		year++
	}
	d := &cprogProgrammeFormData{Form: control.ProgrammeInput{Year: year}}
	return s.render(w, http.StatusOK, "control_prog_programme_form", s.page(r, "controlprog.programme.new_title", d))
}

// cprogProgrammeCreate creates the programme, a draft.
func (s *Server) cprogProgrammeCreate(w http.ResponseWriter, r *http.Request) error {
	a := actorOf(r)
	if err := a.Require(auth.PermControlManage); err != nil {
		return err
	}
	bad := apperr.Validation{}
	in := cprogProgrammeInput(r, bad)
	var p control.Programme
	var err error
	if len(bad) == 0 {
		p, err = s.control.CreateProgramme(r.Context(), a, in)
	}
	if err := cprogFields(err, bad); err != nil {
		return s.cprogFormError(w, r, err, "control_prog_programme_form", "controlprog.programme.new_title", &cprogProgrammeFormData{Form: in})
	}
	s.flash(r, "controlprog.programme.flash_created", "Year", p.Year)
	return redirect(w, r, p.Href())
}

// cprogProgrammeEdit is the form for a programme's title and notes.
func (s *Server) cprogProgrammeEdit(w http.ResponseWriter, r *http.Request) error {
	a := actorOf(r)
	if err := a.Require(auth.PermControlManage); err != nil {
		return err
	}
	id, err := pathID(r)
	if err != nil {
		return err
	}
	p, err := s.control.Programme(r.Context(), a, id)
	if err != nil {
		return err
	}
	d := &cprogProgrammeFormData{ID: id, Year: p.Year, Form: control.ProgrammeInput{Year: p.Year, Title: p.Title, Notes: p.Notes, Version: p.Version}}
	return s.render(w, http.StatusOK, "control_prog_programme_form", s.page(r, "controlprog.programme.edit_title", d))
}

// cprogProgrammeUpdate saves a programme's title and notes.
func (s *Server) cprogProgrammeUpdate(w http.ResponseWriter, r *http.Request) error {
	a := actorOf(r)
	if err := a.Require(auth.PermControlManage); err != nil {
		return err
	}
	id, err := pathID(r)
	if err != nil {
		return err
	}
	p, err := s.control.Programme(r.Context(), a, id)
	if err != nil {
		return err
	}
	bad := apperr.Validation{}
	in := cprogProgrammeInput(r, bad)
	in.Year = p.Year
	delete(bad, control.FieldProgYear)
	_, err = s.control.UpdateProgramme(r.Context(), a, id, in)
	if err := cprogFields(err, bad); err != nil {
		return s.cprogFormError(w, r, err, "control_prog_programme_form", "controlprog.programme.edit_title", &cprogProgrammeFormData{ID: id, Year: p.Year, Form: in})
	}
	s.flash(r, "flash.saved")
	return redirect(w, r, p.Href())
}

// cprogStandardGroup is a programme's actions under one standard.
type cprogStandardGroup struct {
	Standard int
	Items    []control.Action
}

type cprogProgrammeShowData struct {
	Programme  control.Programme
	Objectives []control.Objective
	Groups     []cprogStandardGroup
	Moves      []string
	CanManage  bool
	Editable   bool
	Today      string
	// ObjFor is the objective whose form is shown with errors (0: the
	// new objective's), ObjForm what it was sent with; ObjErr tells
	// whether an objective form failed at all.
	ObjErr  bool
	ObjFor  int64
	ObjForm control.ObjectiveInput
	// Approve keeps the approval form's values.
	Approve control.ProgrammeMove
}

func (s *Server) cprogProgrammeShowData(r *http.Request) (*cprogProgrammeShowData, error) {
	a := actorOf(r)
	if err := a.Require(auth.PermControlView); err != nil {
		return nil, err
	}
	id, err := pathID(r)
	if err != nil {
		return nil, err
	}
	ctx := r.Context()
	p, err := s.control.Programme(ctx, a, id)
	if err != nil {
		return nil, err
	}
	d := &cprogProgrammeShowData{Programme: p, CanManage: cprogManage(a), Editable: cprogManage(a) && p.State != control.ProgrammeClosed,
		Today: s.cprogToday(), Moves: control.ProgrammeActions(a, p)}
	d.Approve = control.ProgrammeMove{ApprovedOn: d.Today, Decision: p.Decision}
	if d.Objectives, err = s.control.Objectives(ctx, a, id); err != nil {
		return nil, err
	}
	acts, err := s.control.Actions(ctx, a, control.ActionFilter{ProgrammeID: id, Sort: "standard", PerPage: 10000})
	if err != nil {
		return nil, err
	}
	for _, x := range acts.Items {
		if n := len(d.Groups); n == 0 || d.Groups[n-1].Standard != x.Standard {
			d.Groups = append(d.Groups, cprogStandardGroup{Standard: x.Standard})
		}
		g := &d.Groups[len(d.Groups)-1]
		g.Items = append(g.Items, x)
	}
	return d, nil
}

// cprogProgrammeShow is a programme's page.
func (s *Server) cprogProgrammeShow(w http.ResponseWriter, r *http.Request) error {
	d, err := s.cprogProgrammeShowData(r)
	if err != nil {
		return err
	}
	p := s.page(r, "controlprog.programme.show_title", d)
	p.Title = d.Programme.Title
	return s.render(w, http.StatusOK, "control_prog_programme", p)
}

// cprogProgrammeAgain shows the programme's page again with err (invalid
// input or a conflict) on the form that failed.
func (s *Server) cprogProgrammeAgain(w http.ResponseWriter, r *http.Request, err error, fill func(d *cprogProgrammeShowData)) error {
	if k := apperr.KindOf(err); k != apperr.KindInvalid && k != apperr.KindConflict {
		return err
	}
	d, derr := s.cprogProgrammeShowData(r)
	if derr != nil {
		return derr
	}
	fill(d)
	return s.formError(w, r, err, "control_prog_programme", "controlprog.programme.show_title", d)
}

// cprogProgrammeState fires a workflow action (approve with the act and
// its date, return to draft, close).
func (s *Server) cprogProgrammeState(w http.ResponseWriter, r *http.Request) error {
	a := actorOf(r)
	if err := a.Require(auth.PermControlManage); err != nil {
		return err
	}
	id, err := pathID(r)
	if err != nil {
		return err
	}
	m := control.ProgrammeMove{Action: r.FormValue("action"), Decision: r.FormValue(control.FieldProgDecision),
		ApprovedOn: r.FormValue(control.FieldProgApprovedOn), Version: formVersion(r)}
	if _, err := s.control.MoveProgramme(r.Context(), a, id, m); err != nil {
		return s.cprogProgrammeAgain(w, r, err, func(d *cprogProgrammeShowData) { d.Approve = m })
	}
	s.flash(r, "controlprog.programme.flash_"+m.Action)
	return redirect(w, r, "/control/programmes/"+strconv.FormatInt(id, 10))
}

// cprogProgrammeNext is the yearly update: next year's draft.
func (s *Server) cprogProgrammeNext(w http.ResponseWriter, r *http.Request) error {
	a := actorOf(r)
	if err := a.Require(auth.PermControlManage); err != nil {
		return err
	}
	id, err := pathID(r)
	if err != nil {
		return err
	}
	next, err := s.control.NextProgramme(r.Context(), a, id)
	if err != nil {
		return s.cprogProgrammeAgain(w, r, err, func(*cprogProgrammeShowData) {})
	}
	s.flash(r, "controlprog.programme.flash_next", "Year", next.Year)
	return redirect(w, r, next.Href())
}

func cprogObjectiveInput(r *http.Request) control.ObjectiveInput {
	return control.ObjectiveInput{Code: strings.TrimSpace(r.FormValue(control.FieldObjCode)), Title: r.FormValue(control.FieldObjTitle),
		Description: r.FormValue(control.FieldObjDescription), Version: formVersion(r)}
}

// cprogObjectiveAdd adds an objective.
func (s *Server) cprogObjectiveAdd(w http.ResponseWriter, r *http.Request) error {
	a := actorOf(r)
	if err := a.Require(auth.PermControlManage); err != nil {
		return err
	}
	id, err := pathID(r)
	if err != nil {
		return err
	}
	in := cprogObjectiveInput(r)
	if _, err := s.control.AddObjective(r.Context(), a, id, in); err != nil {
		return s.cprogProgrammeAgain(w, r, err, func(d *cprogProgrammeShowData) { d.ObjErr, d.ObjFor, d.ObjForm = true, 0, in })
	}
	s.flash(r, "flash.saved")
	return redirect(w, r, "/control/programmes/"+strconv.FormatInt(id, 10)+"#objectives")
}

// cprogObjectiveUpdate changes an objective.
func (s *Server) cprogObjectiveUpdate(w http.ResponseWriter, r *http.Request) error {
	a := actorOf(r)
	if err := a.Require(auth.PermControlManage); err != nil {
		return err
	}
	id, err := pathID(r)
	if err != nil {
		return err
	}
	oid, err := pathParamID(r, "coid")
	if err != nil {
		return err
	}
	in := cprogObjectiveInput(r)
	if _, err := s.control.UpdateObjective(r.Context(), a, id, oid, in); err != nil {
		return s.cprogProgrammeAgain(w, r, err, func(d *cprogProgrammeShowData) { d.ObjErr, d.ObjFor, d.ObjForm = true, oid, in })
	}
	s.flash(r, "flash.saved")
	return redirect(w, r, "/control/programmes/"+strconv.FormatInt(id, 10)+"#objectives")
}

// cprogLabels are the words of the programme and the minutes documents.
func cprogLabels(l interface{ T(string, ...any) string }) report.ControlProgLabels {
	return report.ControlProgLabels{Page: l.T("controlprog.doc.page"), Of: l.T("controlprog.doc.of"), General: l.T("controlprog.doc.general"),
		Objectives: l.T("controlprog.programme.objectives"), NoObjectives: l.T("controlprog.programme.no_objectives"),
		Code: l.T("field.obj_code"), Objective: l.T("field.act_objective_id"), Description: l.T("field.obj_description"),
		Actions: l.T("controlprog.programme.actions"), NoActions: l.T("controlprog.programme.no_actions"), Standard: l.T("controlprog.doc.standard"),
		No: l.T("controlprog.doc.no"), Action: l.T("controlprog.action.title_col"), Owner: l.T("field.act_owner_id"), Due: l.T("field.act_due_on"),
		State: l.T("controlprog.state"), Present: l.T("controlprog.meeting.attendees"), NoPresent: l.T("controlprog.meeting.no_attendees"),
		Person: l.T("controlprog.member.person"), Role: l.T("controlprog.member.role"), Agenda: l.T("field.meet_agenda"),
		Discussion: l.T("controlprog.minutes.discussion"), Decisions: l.T("controlprog.meeting.decisions"), NoDecisions: l.T("controlprog.meeting.no_decisions"),
		Decision: l.T("field.dec_text"), DecisionNumber: l.T("field.dec_number"), Signatures: l.T("controlprog.doc.signatures"),
		SignRole: l.T("controlprog.doc.sign_role"), SignName: l.T("controlprog.doc.sign_name"), SignDate: l.T("controlprog.doc.sign_date"),
		Sign: l.T("controlprog.doc.sign"), ApprovedBy: l.T("controlprog.doc.approved_by"), DrawnBy: l.T("controlprog.doc.drawn_by"),
		President: l.T("control.role.president"), Secretary: l.T("control.role.secretary")}
}

// cprogProgrammeReport is the programme as the commission approves it:
// its act, its objectives, then per standard each action with its owner,
// deadline and state.
func (s *Server) cprogProgrammeReport(r *http.Request) (report.CaseReport, string, error) {
	d, err := s.cprogProgrammeShowData(r)
	if err != nil {
		return report.CaseReport{}, "", err
	}
	l := localizer(r)
	lang := l.Lang()
	p := d.Programme
	doc := report.ControlProgramme{Institution: s.cprogInstitution(r), Title: p.Title,
		Subtitle: l.T("control.programme.state."+p.State) + cprogIf(p.Decision != "", " · "+p.Decision), Notes: p.Notes, L: cprogLabels(l)}
	doc.Fields = [][2]string{{l.T("controlprog.programme.year"), strconv.Itoa(p.Year)}, {l.T("controlprog.state"), l.T("control.programme.state." + p.State)}}
	if p.Decision != "" {
		doc.Fields = append(doc.Fields, [2]string{l.T("field.prog_decision"), p.Decision}, [2]string{l.T("field.prog_approved_on"), cprogDay(p.ApprovedOn)})
	}
	doc.Fields = append(doc.Fields, [2]string{l.T("controlprog.programme.progress"), l.T("controlprog.programme.progress_text", "Done", p.Done, "Total", p.Counted(), "Percent", p.Percent())})
	for _, o := range d.Objectives {
		doc.Objectives = append(doc.Objectives, report.ControlProgObjective{Code: o.Code, Title: o.Title, Description: o.Description})
	}
	for _, g := range d.Groups {
		st := report.ControlProgStandard{Title: cprogStandardTitle(lang, g.Standard)}
		for _, x := range g.Items {
			state := l.T("control.action.state." + x.State)
			if x.State == control.ActionDone && x.DoneOn != "" {
				state += " (" + cprogDay(x.DoneOn) + ")"
			}
			owner := x.OwnerName
			if x.UnitName != "" {
				owner = strings.TrimSpace(owner + " — " + x.UnitName)
			}
			st.Actions = append(st.Actions, report.ControlProgAction{Title: x.Title, Description: x.Description, Objective: x.ObjectiveCode, Owner: owner,
				Due: cprogDay(x.DueOn), State: state})
		}
		doc.Standards = append(doc.Standards, st)
	}
	return doc.Report(), l.T("controlprog.programme.file", "Year", p.Year), nil
}

func cprogIf(ok bool, s string) string {
	if ok {
		return s
	}
	return ""
}

// cprogProgrammePDF sends the programme as PDF.
func (s *Server) cprogProgrammePDF(w http.ResponseWriter, r *http.Request) error {
	rep, name, err := s.cprogProgrammeReport(r)
	if err != nil {
		return err
	}
	return sendFile(w, name, "pdf", func(b io.Writer) error { return report.WriteCaseReportPDF(b, rep) })
}

// cprogProgrammeDOCX sends the programme as DOCX, to edit before signing.
func (s *Server) cprogProgrammeDOCX(w http.ResponseWriter, r *http.Request) error {
	rep, name, err := s.cprogProgrammeReport(r)
	if err != nil {
		return err
	}
	return sendFile(w, name, "docx", func(b io.Writer) error { return report.WriteCaseReportDOCX(b, rep) })
}
