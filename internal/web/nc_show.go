package web

import (
	"net/http"
	"strconv"
	"time"

	"cadran/internal/apperr"
	"cadran/internal/audit"
	"cadran/internal/auth"
	"cadran/internal/frameworks"
	"cadran/internal/improvement"
	"cadran/internal/org"
	"cadran/internal/work"
	"cadran/internal/workflow"
)

type ncShowData struct {
	improvement.View
	Today       time.Time
	People      []org.Person
	Categories  []string
	NeedsReason map[string]bool
	// Whys and Causes are the rows of the root-cause form: what is saved
	// (or was typed in a refused save) and blank rows to add more.
	Whys   []improvement.Why
	Causes []improvement.Cause
	// Live: the actions are being carried out; PersonID is the actor's.
	Live     bool
	PersonID int64
	// After a refused form: the action it was about, and what was typed.
	ErrAction  int64
	ActionForm improvement.ActionInput
	StepForm   improvement.StepInput
	DoneNote   string
	Clause     string
	CheckOn    string // the check day proposed: a month from today
	Audit      []audit.Stored
}

// ncShow is a case with its analysis, actions, checks and history.
func (s *Server) ncShow(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	d, err := s.ncShowData(r, id)
	if err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "nc_show", s.ncPage(r, d))
}

func (s *Server) ncPage(r *http.Request, d *ncShowData) *Page {
	p := s.page(r, "nc.list_title", d)
	p.Title = d.NC.Code + " " + d.NC.Title
	return p
}

func (s *Server) ncShowData(r *http.Request, id int64) (*ncShowData, error) {
	ctx := r.Context()
	a := actorOf(r)
	v, err := s.improve.Open(ctx, a, id)
	if err != nil {
		return nil, err
	}
	today := work.Day(s.clock.Now())
	d := &ncShowData{View: v, Today: today, Categories: improvement.Categories, NeedsReason: map[string]bool{}, PersonID: a.PersonID,
		Live: v.NC.State == improvement.StateAnalysis || v.NC.State == improvement.StateActions, CheckOn: today.AddDate(0, 1, 0).Format(time.DateOnly)}
	for _, m := range v.Moves {
		d.NeedsReason[m] = improvement.NCFlow.NeedsReason(workflow.State(v.NC.State), m)
	}
	if c, ok := frameworks.ISOClause(v.NC.Clause); ok {
		d.Clause = c.Code + " " + c.Title(localizer(r).Lang())
	}
	d.setAnalysisRows(v.Analysis)
	if len(v.Moves) > 0 || v.MayAnalyse {
		if d.People, _, err = s.org.People(ctx, a, org.PeopleFilter{Limit: 10000}); err != nil {
			return nil, err
		}
	}
	if a.Can(auth.PermAuditView) {
		if d.Audit, _, err = audit.List(ctx, s.db.R, a.Tenant, audit.Filter{Entity: "nonconformity", EntityID: id, Limit: 50}); err != nil {
			return nil, err
		}
	}
	return d, nil
}

// setAnalysisRows fills the root-cause form: the rows given and blanks,
// at least five whys and three more causes.
func (d *ncShowData) setAnalysisRows(an improvement.Analysis) {
	d.Whys = append([]improvement.Why{}, an.Whys...)
	for len(d.Whys) < 5 || (len(d.Whys) < improvement.MaxWhys && len(d.Whys) == len(an.Whys)) {
		d.Whys = append(d.Whys, improvement.Why{})
	}
	d.Causes = append([]improvement.Cause{}, an.Causes...)
	for range 3 {
		d.Causes = append(d.Causes, improvement.Cause{})
	}
}

// ncRefused re-renders a case's page with what the person typed when a
// form on it was refused for a reason they can fix.
func (s *Server) ncRefused(w http.ResponseWriter, r *http.Request, id int64, err error, keep func(d *ncShowData)) error {
	switch apperr.KindOf(err) {
	case apperr.KindInvalid, apperr.KindConflict:
	default:
		return err
	}
	d, derr := s.ncShowData(r, id)
	if derr != nil {
		return derr
	}
	if keep != nil {
		keep(d)
	}
	return s.formError(w, r, err, "nc_show", "nc.list_title", d)
}

func ncPath(id int64) string { return "/nonconformities/" + strconv.FormatInt(id, 10) }

// ncStep moves a case through its workflow.
func (s *Server) ncStep(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	in := improvement.StepInput{Action: r.FormValue("action"), Reason: r.FormValue("reason"), OwnerID: formInt(r, "owner_id"),
		CheckerID: formInt(r, "checker_id"), CheckOn: r.FormValue("check_on"), Version: formVersion(r)}
	n, err := s.improve.Step(r.Context(), actorOf(r), id, in)
	if err != nil {
		return s.ncRefused(w, r, id, err, func(d *ncShowData) { d.StepForm = in })
	}
	s.flash(r, "nc.flash."+in.Action, "Code", n.Code)
	return redirect(w, r, ncPath(id))
}

// ncAnalysis saves the root-cause analysis. The form sends rows why_N and
// because_N, and category_N, cause_N and root_N (a checkbox).
func (s *Server) ncAnalysis(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return apperr.Validation{"form": "error.invalid"}
	}
	in := improvement.AnalysisInput{Version: formVersion(r)}
	in.Conclusion = r.PostFormValue("conclusion")
	for i := range improvement.MaxWhys + 5 {
		n := strconv.Itoa(i)
		if _, ok := r.PostForm["why_"+n]; !ok {
			break
		}
		in.Whys = append(in.Whys, improvement.Why{Why: r.PostFormValue("why_" + n), Because: r.PostFormValue("because_" + n)})
	}
	for i := range improvement.MaxCauses + 5 {
		n := strconv.Itoa(i)
		if _, ok := r.PostForm["cause_"+n]; !ok {
			break
		}
		in.Causes = append(in.Causes, improvement.Cause{Category: r.PostFormValue("category_" + n), Cause: r.PostFormValue("cause_" + n), Root: r.PostFormValue("root_"+n) == "1"})
	}
	if _, err := s.improve.SaveAnalysis(r.Context(), actorOf(r), id, in); err != nil {
		return s.ncRefused(w, r, id, err, func(d *ncShowData) {
			d.setAnalysisRows(in.Analysis)
			d.Analysis.Conclusion = in.Conclusion
		})
	}
	s.flash(r, "flash.saved")
	return redirect(w, r, ncPath(id)+"#analysis")
}

func ncActionInput(r *http.Request) improvement.ActionInput {
	return improvement.ActionInput{Description: r.FormValue("description"), OwnerID: formInt(r, "owner_id"), DueOn: r.FormValue("due"), Version: formVersion(r)}
}

// ncPathAction reads an action's id from the path parameter name.
func ncPathAction(r *http.Request, name string) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, apperr.NotFound("action")
	}
	return id, nil
}

// ncActionAdd plans a corrective action.
func (s *Server) ncActionAdd(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	in := ncActionInput(r)
	if _, err := s.improve.AddAction(r.Context(), actorOf(r), id, in); err != nil {
		return s.ncRefused(w, r, id, err, func(d *ncShowData) { d.ActionForm = in })
	}
	s.flash(r, "nc.flash.action_added")
	return redirect(w, r, ncPath(id)+"#actions")
}

// ncActionUpdate changes an open action.
func (s *Server) ncActionUpdate(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	aid, err := ncPathAction(r, "caid")
	if err != nil {
		return err
	}
	in := ncActionInput(r)
	if _, err := s.improve.UpdateAction(r.Context(), actorOf(r), id, aid, in); err != nil {
		return s.ncRefused(w, r, id, err, func(d *ncShowData) { d.ErrAction = aid })
	}
	s.flash(r, "flash.saved")
	return redirect(w, r, ncPath(id)+"#actions")
}

// ncActionDone records an action as carried out.
func (s *Server) ncActionDone(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	aid, err := ncPathAction(r, "caid")
	if err != nil {
		return err
	}
	in := improvement.DoneInput{Note: r.FormValue("done_note"), Version: formVersion(r)}
	if _, err := s.improve.CompleteAction(r.Context(), actorOf(r), id, aid, in); err != nil {
		return s.ncRefused(w, r, id, err, func(d *ncShowData) { d.ErrAction, d.DoneNote = aid, in.Note })
	}
	s.flash(r, "nc.flash.action_done")
	return redirect(w, r, ncPath(id)+"#actions")
}

// ncActionCancel drops an open action no longer needed.
func (s *Server) ncActionCancel(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	aid, err := ncPathAction(r, "caid")
	if err != nil {
		return err
	}
	if _, err := s.improve.CancelAction(r.Context(), actorOf(r), id, aid, formVersion(r)); err != nil {
		return s.ncRefused(w, r, id, err, func(d *ncShowData) { d.ErrAction = aid })
	}
	s.flash(r, "nc.flash.action_cancelled")
	return redirect(w, r, ncPath(id)+"#actions")
}
