package web

// Training sessions: the list and its export, the form, and a session's
// page with its state buttons, the enrolment form and the enrolled people
// (this file); the attendance grid, the results and the attendance sheet
// are in training_attendance.go.

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"cadran/internal/apperr"
	"cadran/internal/auth"
	"cadran/internal/org"
	"cadran/internal/report"
	"cadran/internal/training"
	"cadran/internal/work"
)

var trainingSessionSortKeys = []string{"start", "code", "programme", "state"}

var trainingSessionSortLabels = map[string]string{"start": "traininggroups.session.dates", "code": "traininggroups.session.code",
	"programme": "traininggroups.session.programme", "state": "traininggroups.session.state"}

type trainingSessionListData struct {
	Items      []training.Session
	Filter     training.SessionFilter
	Programmes []training.Programme
	States     []string
	Sorts      []sortLink
	Pager      pager
	Saved      savedFilterBlock
	CanManage  bool
	// FromBad and ToBad: a date of the filter did not read as a date and
	// was left out.
	FromBad, ToBad bool
}

// trainingSessionFilterOf reads the session list's filter; a malformed
// date is left out and flagged.
func trainingSessionFilterOf(r *http.Request) (f training.SessionFilter, current string, fromBad, toBad bool) {
	q := r.URL.Query()
	f = training.SessionFilter{Query: strings.TrimSpace(q.Get("q")), ProgrammeID: queryInt(r, "programme"), State: q.Get("state")}
	known := false
	for _, s := range training.SessionStates {
		known = known || s == f.State
	}
	if !known {
		f.State = ""
	}
	if v := strings.TrimSpace(q.Get("from")); v != "" {
		if _, ok := trainingGroupDayOf(v); ok {
			f.From = v
		} else {
			fromBad = true
		}
	}
	if v := strings.TrimSpace(q.Get("to")); v != "" {
		if _, ok := trainingGroupDayOf(v); ok {
			f.To = v
		} else {
			toBad = true
		}
	}
	f.Sort, f.Desc, current = trainingGroupSort(r, trainingSessionSortKeys, "start")
	if current == "" {
		// The newest first unless asked otherwise.
		f.Desc = true
		current = "-start"
	}
	return f, current, fromBad, toBad
}

// trainingSessionProgrammes lists every programme, for the filter and the
// form.
func (s *Server) trainingSessionProgrammes(r *http.Request, activeOnly bool) ([]training.Programme, error) {
	f := training.ProgrammeFilter{Sort: "code", Page: 1, PerPage: 500}
	if activeOnly {
		f.Active = "yes"
	}
	var out []training.Programme
	for ; ; f.Page++ {
		res, err := s.training.Programmes(r.Context(), actorOf(r), f)
		if err != nil {
			return nil, err
		}
		out = append(out, res.Items...)
		if len(res.Items) < f.PerPage || len(out) >= res.Total {
			return out, nil
		}
	}
}

// trainingSessionList is the sessions: filters, sortable list, pager.
func (s *Server) trainingSessionList(w http.ResponseWriter, r *http.Request) error {
	a := actorOf(r)
	if err := a.Require(auth.PermTrainingView); err != nil {
		return err
	}
	f, current, fromBad, toBad := trainingSessionFilterOf(r)
	pg := newPager(r, trainingGroupPerPage)
	f.Page, f.PerPage = pg.Page, pg.PerPage
	res, err := s.training.Sessions(r.Context(), a, f)
	if err != nil {
		return err
	}
	pg.Total = res.Total
	d := &trainingSessionListData{Items: res.Items, Filter: f, States: training.SessionStates, Pager: pg, CanManage: a.Can(auth.PermTrainingManage),
		FromBad: fromBad, ToBad: toBad}
	if d.Programmes, err = s.trainingSessionProgrammes(r, false); err != nil {
		return err
	}
	if d.Saved, err = s.savedFilters(r, "training_sessions"); err != nil {
		return err
	}
	p := s.page(r, "traininggroups.session.list_title", d)
	d.Sorts = sortLinks(p, current, trainingSessionSortLabels, trainingSessionSortKeys)
	return s.render(w, http.StatusOK, "training_session_list", p)
}

// trainingSessionExport sends the filtered sessions as XLSX.
func (s *Server) trainingSessionExport(w http.ResponseWriter, r *http.Request) error {
	a := actorOf(r)
	if err := a.Require(auth.PermTrainingView); err != nil {
		return err
	}
	f, _, _, _ := trainingSessionFilterOf(r)
	var items []training.Session
	for f.Page, f.PerPage = 1, 500; ; f.Page++ {
		res, err := s.training.Sessions(r.Context(), a, f)
		if err != nil {
			return err
		}
		items = append(items, res.Items...)
		if len(res.Items) < f.PerPage || len(items) >= res.Total {
			break
		}
	}
	l := localizer(r)
	t := report.Table{Sheet: l.T("traininggroups.session.list_title"), Headers: []string{l.T("traininggroups.session.code"), l.T("traininggroups.session.programme_code"),
		l.T("traininggroups.session.programme"), l.T("traininggroups.session.start"), l.T("traininggroups.session.end"), l.T("traininggroups.session.place"),
		l.T("traininggroups.session.trainer"), l.T("traininggroups.programme.hours"), l.T("traininggroups.session.capacity"), l.T("traininggroups.session.enrolled"),
		l.T("traininggroups.session.completed"), l.T("traininggroups.session.state")}}
	for _, x := range items {
		capacity := any("")
		if x.Capacity > 0 {
			capacity = x.Capacity
		}
		t.Rows = append(t.Rows, []any{x.Code, x.ProgrammeCode, x.ProgrammeTitle, trainingGroupXDay(x.StartOn), trainingGroupXDay(x.EndOn), x.Place, x.Trainer,
			x.Hours, capacity, x.Enrolled, x.Completed, trainingGroupWord(l, "training.session.", x.State)})
	}
	return sendTables(w, r, l.T("traininggroups.session.export_file"), t)
}

// trainingSessionFormData is the session form's data.
type trainingSessionFormData struct {
	ID         int64
	Code       string
	State      string
	Form       training.SessionInput
	Raw        map[string]string
	Programmes []training.Programme
}

// trainingSessionInput reads the session form.
func trainingSessionInput(r *http.Request) (training.SessionInput, apperr.Validation, map[string]string) {
	bad, raw := apperr.Validation{}, map[string]string{}
	in := training.SessionInput{ProgrammeID: formInt(r, "ts_programme"), Place: strings.TrimSpace(r.FormValue("ts_place")),
		Trainer: strings.TrimSpace(r.FormValue("ts_trainer")), Notes: r.FormValue("ts_notes"), Version: formVersion(r)}
	in.StartOn = trainingGroupDay(r, "ts_start", bad)
	in.EndOn = trainingGroupDay(r, "ts_end", bad)
	in.Capacity = trainingGroupNumber(r, "ts_capacity", bad, raw)
	return in, bad, raw
}

// trainingSessionAlias names the domain's session fields as the form does.
var trainingSessionAlias = map[string]string{training.FieldSessProgramme: "ts_programme", training.FieldSessStart: "ts_start", training.FieldSessEnd: "ts_end",
	training.FieldSessPlace: "ts_place", training.FieldSessTrainer: "ts_trainer", training.FieldSessCapacity: "ts_capacity", training.FieldSessNotes: "ts_notes",
	training.FieldSessPeople: "ts_people"}

func (s *Server) trainingSessionForm(w http.ResponseWriter, r *http.Request, status int, err error, d *trainingSessionFormData, title string) error {
	var perr error
	if d.Programmes, perr = s.trainingSessionProgrammes(r, d.ID == 0); perr != nil {
		return perr
	}
	if d.ID != 0 {
		// An inactive programme still shows on its sessions' form.
		found := false
		for _, p := range d.Programmes {
			found = found || p.ID == d.Form.ProgrammeID
		}
		if !found {
			if p, perr := s.training.Programme(r.Context(), actorOf(r), d.Form.ProgrammeID); perr == nil {
				d.Programmes = append(d.Programmes, p)
			}
		}
	}
	if err != nil {
		if k := apperr.KindOf(err); k != apperr.KindInvalid && k != apperr.KindConflict {
			return err
		}
		return s.formError(w, r, err, "training_session_form", title, d)
	}
	p := s.page(r, title, d)
	if d.Code != "" {
		p.Title = p.T(title) + " " + d.Code
	}
	return s.render(w, status, "training_session_form", p)
}

// trainingSessionNew is the form to plan a session, of the programme
// named by ?programme= when there is one.
func (s *Server) trainingSessionNew(w http.ResponseWriter, r *http.Request) error {
	if err := actorOf(r).Require(auth.PermTrainingManage); err != nil {
		return err
	}
	d := &trainingSessionFormData{Form: training.SessionInput{ProgrammeID: queryInt(r, "programme")}, Raw: map[string]string{}}
	return s.trainingSessionForm(w, r, http.StatusOK, nil, d, "traininggroups.session.new_title")
}

// trainingSessionCreate plans the session.
func (s *Server) trainingSessionCreate(w http.ResponseWriter, r *http.Request) error {
	a := actorOf(r)
	if err := a.Require(auth.PermTrainingManage); err != nil {
		return err
	}
	in, bad, raw := trainingSessionInput(r)
	var x training.Session
	var err error
	if len(bad) == 0 {
		x, err = s.training.CreateSession(r.Context(), a, in)
	}
	if err := trainingGroupFields(err, bad, "ts_", trainingSessionAlias); err != nil {
		return s.trainingSessionForm(w, r, 0, err, &trainingSessionFormData{Form: in, Raw: raw}, "traininggroups.session.new_title")
	}
	s.flash(r, "traininggroups.session.flash_created", "Code", x.Code)
	return redirect(w, r, "/training/sessions/"+strconv.FormatInt(x.ID, 10))
}

// trainingSessionEdit is the form for a session.
func (s *Server) trainingSessionEdit(w http.ResponseWriter, r *http.Request) error {
	a := actorOf(r)
	if err := a.Require(auth.PermTrainingManage); err != nil {
		return err
	}
	id, err := pathID(r)
	if err != nil {
		return err
	}
	x, err := s.training.Session(r.Context(), a, id)
	if err != nil {
		return err
	}
	in := training.SessionInput{ProgrammeID: x.ProgrammeID, StartOn: x.StartOn, EndOn: x.EndOn, Place: x.Place, Trainer: x.Trainer, Notes: x.Notes,
		Capacity: x.Capacity, Version: x.Version}
	d := &trainingSessionFormData{ID: id, Code: x.Code, State: x.State, Form: in, Raw: map[string]string{}}
	return s.trainingSessionForm(w, r, http.StatusOK, nil, d, "traininggroups.session.edit_title")
}

// trainingSessionUpdate saves the session, checked against its version.
func (s *Server) trainingSessionUpdate(w http.ResponseWriter, r *http.Request) error {
	a := actorOf(r)
	if err := a.Require(auth.PermTrainingManage); err != nil {
		return err
	}
	id, err := pathID(r)
	if err != nil {
		return err
	}
	x, err := s.training.Session(r.Context(), a, id)
	if err != nil {
		return err
	}
	in, bad, raw := trainingSessionInput(r)
	if len(bad) == 0 {
		_, err = s.training.UpdateSession(r.Context(), a, id, in)
	}
	if err := trainingGroupFields(err, bad, "ts_", trainingSessionAlias); err != nil {
		d := &trainingSessionFormData{ID: id, Code: x.Code, State: x.State, Form: in, Raw: raw}
		return s.trainingSessionForm(w, r, 0, err, d, "traininggroups.session.edit_title")
	}
	s.flash(r, "flash.saved")
	return redirect(w, r, "/training/sessions/"+strconv.FormatInt(id, 10))
}

// trainingSessionMove is a state button of a session's page.
type trainingSessionMove struct {
	State string
	// Confirm asks before moving (closing is final, cancelling too).
	Confirm bool
	Danger  bool
}

// trainingSessionMoves are the buttons of the moves the actor may make
// now (the session's state machine decides): closing and cancelling ask
// first.
func trainingSessionMoves(a auth.Actor, x training.Session) []trainingSessionMove {
	var out []trainingSessionMove
	for _, st := range training.SessionActions(a, x) {
		out = append(out, trainingSessionMove{State: st, Confirm: st != training.SessionHeld, Danger: st == training.SessionCancelled})
	}
	return out
}

// trainingSessionShowData is a session's page.
type trainingSessionShowData struct {
	Session    training.Session
	Programme  training.Programme
	Enrolments []training.Enrolment
	// SeesEnrolments: the actor may read the enrolled list (all of it, or
	// their units' people, or their own line).
	SeesEnrolments bool
	Moves          []trainingSessionMove
	Candidates     []org.Person
	Units          []*org.TreeNode
	Picked         map[int64]bool
	Unit           int64
	Days           int
	Today          string
	CanManage      bool
	CanRecords     bool
}

// Editable: the session's details may change while it is planned or held.
func (d *trainingSessionShowData) Editable() bool {
	return d.Session.State == training.SessionPlanned || d.Session.State == training.SessionHeld
}

// Enrolling: people may be enrolled while the session is planned or held.
func (d *trainingSessionShowData) Enrolling() bool { return d.Editable() }

// trainingSessionShowData reads what a session's page shows.
func (s *Server) trainingSessionShowData(r *http.Request) (*trainingSessionShowData, error) {
	a := actorOf(r)
	if err := a.Require(auth.PermTrainingView); err != nil {
		return nil, err
	}
	id, err := pathID(r)
	if err != nil {
		return nil, err
	}
	ctx := r.Context()
	x, err := s.training.Session(ctx, a, id)
	if err != nil {
		return nil, err
	}
	p, err := s.training.Programme(ctx, a, x.ProgrammeID)
	if err != nil {
		return nil, err
	}
	d := &trainingSessionShowData{Session: x, Programme: p, Days: len(x.Days()), Picked: map[int64]bool{}, Today: work.Day(s.clock.Now()).Format("2006-01-02"),
		CanManage: a.Can(auth.PermTrainingManage), CanRecords: a.Can(auth.PermTrainingRecords)}
	d.Moves = trainingSessionMoves(a, x)
	switch d.Enrolments, err = s.training.Enrolments(ctx, a, id); {
	case err == nil:
		d.SeesEnrolments = true
	case apperr.KindOf(err) == apperr.KindForbidden:
		// The offer is public; who enrolled is not.
	default:
		return nil, err
	}
	if d.CanManage && d.Enrolling() {
		people, err := s.trainingGroupActivePeople(r)
		if err != nil {
			return nil, err
		}
		in := map[int64]bool{}
		for _, e := range d.Enrolments {
			if e.State != training.EnrolWithdrawn {
				in[e.PersonID] = true
			}
		}
		for _, p := range people {
			if !in[p.ID] {
				d.Candidates = append(d.Candidates, p)
			}
		}
		if d.Units, err = s.org.UnitOptions(ctx, a); err != nil {
			return nil, err
		}
	}
	return d, nil
}

// trainingSessionShow is a session's page: its details, the state
// buttons, the enrolment form, the people enrolled with their attendance,
// hours and results, and the links to the attendance grid and sheet.
func (s *Server) trainingSessionShow(w http.ResponseWriter, r *http.Request) error {
	d, err := s.trainingSessionShowData(r)
	if err != nil {
		return err
	}
	p := s.page(r, "traininggroups.session.show_title", d)
	p.Title = d.Session.Code + " · " + d.Programme.Title
	return s.render(w, http.StatusOK, "training_session_show", p)
}

// trainingSessionState moves the session on: held, closed (which completes
// or fails each enrolment) or cancelled.
func (s *Server) trainingSessionState(w http.ResponseWriter, r *http.Request) error {
	a := actorOf(r)
	if err := a.Require(auth.PermTrainingManage); err != nil {
		return err
	}
	id, err := pathID(r)
	if err != nil {
		return err
	}
	state := r.FormValue("ts_state")
	x, err := s.training.SetSessionState(r.Context(), a, id, state, formVersion(r))
	if err != nil {
		return s.trainingSessionActionError(w, r, err)
	}
	s.flash(r, "traininggroups.session.flash_state", "State", localizer(r).T("training.session."+x.State))
	return redirect(w, r, "/training/sessions/"+strconv.FormatInt(id, 10))
}

// trainingSessionEnrol enrols the people chosen, or a whole unit's.
func (s *Server) trainingSessionEnrol(w http.ResponseWriter, r *http.Request) error {
	a := actorOf(r)
	if err := a.Require(auth.PermTrainingManage); err != nil {
		return err
	}
	id, err := pathID(r)
	if err != nil {
		return err
	}
	if _, err := s.training.Session(r.Context(), a, id); err != nil {
		return err
	}
	people, err := s.trainingGroupPeople(r, "ts_people", "ts_unit")
	n := 0
	if err == nil {
		n, err = s.training.Enrol(r.Context(), a, id, people)
	}
	if err := trainingGroupFields(err, nil, "ts_", trainingSessionAlias); err != nil {
		if k := apperr.KindOf(err); k != apperr.KindInvalid && k != apperr.KindConflict {
			return err
		}
		d, derr := s.trainingSessionShowData(r)
		if derr != nil {
			return derr
		}
		for _, p := range trainingGroupIDs(r, "ts_people") {
			d.Picked[p] = true
		}
		d.Unit = formInt(r, "ts_unit")
		return s.formError(w, r, err, "training_session_show", "traininggroups.session.show_title", d)
	}
	s.flash(r, "traininggroups.session.flash_enrolled", "Count", n)
	return redirect(w, r, "/training/sessions/"+strconv.FormatInt(id, 10)+"#enrolled")
}

// trainingSessionWithdraw withdraws an enrolment; its task is cancelled.
func (s *Server) trainingSessionWithdraw(w http.ResponseWriter, r *http.Request) error {
	a := actorOf(r)
	if err := a.Require(auth.PermTrainingManage); err != nil {
		return err
	}
	id, err := pathID(r)
	if err != nil {
		return err
	}
	eid, err := pathParamID(r, "teid")
	if err != nil {
		return err
	}
	if err := s.training.Withdraw(r.Context(), a, id, eid); err != nil {
		return s.trainingSessionActionError(w, r, err)
	}
	s.flash(r, "traininggroups.session.flash_withdrawn")
	return redirect(w, r, "/training/sessions/"+strconv.FormatInt(id, 10)+"#enrolled")
}

// trainingSessionActionError shows the session's page with the message of
// a refused state change or withdrawal (a form without fields of its own);
// any other error is the error page.
func (s *Server) trainingSessionActionError(w http.ResponseWriter, r *http.Request, err error) error {
	status := http.StatusUnprocessableEntity
	switch apperr.KindOf(err) {
	case apperr.KindInvalid:
	case apperr.KindConflict:
		status = http.StatusConflict
	default:
		return err
	}
	d, derr := s.trainingSessionShowData(r)
	if derr != nil {
		return derr
	}
	p := s.page(r, "traininggroups.session.show_title", d)
	p.Title = d.Session.Code + " · " + d.Programme.Title
	p.Error = trainingGroupErrorText(p, err)
	return s.render(w, status, "training_session_show", p)
}

// trainingGroupErrorText is an invalid or conflicting action's message,
// for a form without fields of its own.
func trainingGroupErrorText(p *Page, err error) string {
	if v, ok := apperr.AsValidation(err); ok {
		for _, key := range v {
			return p.T(key)
		}
	}
	var ae *apperr.Error
	if errors.As(err, &ae) && ae.Key != "" {
		if ae.Args != nil {
			return p.T(ae.Key, ae.Args)
		}
		return p.T(ae.Key)
	}
	return p.T("error.invalid")
}
