package web

import (
	"net/http"
	"strconv"
	"time"

	"cadran/internal/apperr"
	"cadran/internal/audit"
	"cadran/internal/auth"
	"cadran/internal/org"
	"cadran/internal/risks"
	"cadran/internal/work"
)

type riskShowData struct {
	Risk        risks.Risk
	Settings    risks.Settings
	Measures    []risks.Measure
	Reviews     []risks.Review
	Steps       []risks.Step
	History     []audit.Stored
	Actions     []string
	NeedsReason map[string]bool
	MayWork     bool
	MayEdit     bool
	Above       bool
	People      []org.Person
	States      []string
	Today       time.Time
	Previous    *risks.Risk
	Change      risks.Change
	// The forms as sent, when one is shown again with its errors.
	MeasureForm risks.MeasureInput
	ReviewForm  risks.ReviewInput
	// MeasureID is the measure whose form was refused; MeasureNew says the
	// new measure's form was.
	MeasureID    int64
	MeasureNew   bool
	BlankMeasure risks.MeasureInput
}

func (s *Server) riskShow(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	d, err := s.riskData(r, id)
	if err != nil {
		return err
	}
	p := s.page(r, "risks.list_title", d)
	p.Title = d.Risk.Code + " " + clipTitle(d.Risk.Description)
	return s.render(w, http.StatusOK, "risk_show", p)
}

func clipTitle(s string) string {
	r := []rune(s)
	if len(r) > 90 {
		return string(r[:89]) + "…"
	}
	return s
}

func (s *Server) riskData(r *http.Request, id int64) (*riskShowData, error) {
	ctx := r.Context()
	a := actorOf(r)
	rk, err := s.risks.Risk(ctx, a, id)
	if err != nil {
		return nil, err
	}
	d := &riskShowData{Risk: rk, Actions: risks.Actions(a, rk), NeedsReason: map[string]bool{}, MayEdit: risks.MayEdit(a, rk), States: risks.MeasureStates,
		Today: work.Day(s.clock.Now()), ReviewForm: risks.ReviewInput{ResidualP: rk.CurP, ResidualI: rk.CurI}}
	for _, act := range d.Actions {
		d.NeedsReason[act] = risks.NeedsReason(rk, act)
	}
	if d.Settings, err = s.risks.Settings(ctx, a); err != nil {
		return nil, err
	}
	d.Above = d.Settings.AboveTolerance(rk)
	if d.Measures, err = s.risks.Measures(ctx, a, id); err != nil {
		return nil, err
	}
	if d.Reviews, err = s.risks.Reviews(ctx, a, id); err != nil {
		return nil, err
	}
	if d.Steps, err = s.risks.Steps(ctx, a, id); err != nil {
		return nil, err
	}
	if d.MayWork, err = s.risks.MayWork(ctx, a, rk); err != nil {
		return nil, err
	}
	if d.MayWork && rk.State == risks.StateActive {
		if d.People, _, err = s.org.People(ctx, a, org.PeopleFilter{Limit: 10000}); err != nil {
			return nil, err
		}
	}
	if rk.PreviousID != 0 {
		if prev, err := s.risks.Risk(ctx, a, rk.PreviousID); err == nil {
			d.Previous = &prev
		}
		ch, err := s.risks.Changes(ctx, a, []risks.Risk{rk}, true)
		if err != nil {
			return nil, err
		}
		d.Change = ch[rk.ID]
	}
	if a.Can(auth.PermAuditView) {
		if d.History, _, err = audit.List(ctx, s.db.R, a.Tenant, audit.Filter{Entity: "risk", EntityID: id, Limit: 50}); err != nil {
			return nil, err
		}
	}
	return d, nil
}

// riskPageError shows the risk's page again with a form's errors.
func (s *Server) riskPageError(w http.ResponseWriter, r *http.Request, id int64, err error, fill func(d *riskShowData)) error {
	d, derr := s.riskData(r, id)
	if derr != nil {
		return derr
	}
	if fill != nil {
		fill(d)
	}
	return s.formError(w, r, err, "risk_show", "risks.list_title", d)
}

// riskStep retains, escalates, declines, closes or reopens an entry.
func (s *Server) riskStep(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	in := risks.StepInput{Action: r.FormValue("action"), Reason: r.FormValue("reason"), Version: formVersion(r)}
	if _, err := s.risks.Step(r.Context(), actorOf(r), id, in); err != nil {
		return s.riskPageError(w, r, id, err, nil)
	}
	s.flash(r, "risks.flash."+in.Action)
	return redirect(w, r, "/risks/"+strconv.FormatInt(id, 10))
}

func measureInput(r *http.Request) risks.MeasureInput {
	return risks.MeasureInput{Description: r.FormValue("risk_measure"), OwnerID: formInt(r, "owner_id"), OwnerText: r.FormValue("risk_owner_text"),
		Deadline: r.FormValue("due"), State: r.FormValue("risk_measure_state"), Note: r.FormValue("note"), Version: formVersion(r)}
}

// riskMeasureAdd adds a control measure.
func (s *Server) riskMeasureAdd(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	in := measureInput(r)
	m, err := s.risks.AddMeasure(r.Context(), actorOf(r), id, in)
	if err != nil {
		return s.riskPageError(w, r, id, err, func(d *riskShowData) { d.MeasureForm, d.MeasureNew = in, true })
	}
	s.flash(r, "flash.saved")
	return redirect(w, r, "/risks/"+strconv.FormatInt(id, 10)+"#measure-"+strconv.FormatInt(m.ID, 10))
}

// riskMeasureUpdate changes a measure, its state included.
func (s *Server) riskMeasureUpdate(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	mid, err := strconv.ParseInt(r.PathValue("mid"), 10, 64)
	if err != nil || mid <= 0 {
		return apperr.NotFound("risk_measure")
	}
	in := measureInput(r)
	if _, err := s.risks.UpdateMeasure(r.Context(), actorOf(r), id, mid, in); err != nil {
		return s.riskPageError(w, r, id, err, func(d *riskShowData) { d.MeasureForm, d.MeasureID = in, mid })
	}
	s.flash(r, "flash.saved")
	return redirect(w, r, "/risks/"+strconv.FormatInt(id, 10)+"#measure-"+strconv.FormatInt(mid, 10))
}

// riskReview records a review of the entry: its residual score.
func (s *Server) riskReview(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	p, _ := strconv.Atoi(r.FormValue("risk_residual_p"))
	i, _ := strconv.Atoi(r.FormValue("risk_residual_i"))
	in := risks.ReviewInput{ResidualP: p, ResidualI: i, Measures: r.FormValue("risk_measures_status"), Note: r.FormValue("note"), Version: formVersion(r)}
	if _, err := s.risks.RecordReview(r.Context(), actorOf(r), id, in); err != nil {
		return s.riskPageError(w, r, id, err, func(d *riskShowData) { d.ReviewForm = in })
	}
	s.flash(r, "risks.flash.reviewed")
	return redirect(w, r, "/risks/"+strconv.FormatInt(id, 10)+"#review")
}
