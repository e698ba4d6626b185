package web

// An evaluation's page: its state with the transitions allowed, its
// compartments with their progress, and the way to add one.

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"cadran/internal/apperr"
	"cadran/internal/auth"
	"cadran/internal/control"
	"cadran/internal/org"
)

// controlEvalMove is a transition offered as a button.
type controlEvalMove struct {
	To string
	// Approve: the transition asks who approved and when.
	Approve bool
}

// controlEvalMoves are the transitions from a state (the domain decides,
// this only offers them).
func controlEvalMoves(state string) []controlEvalMove {
	switch state {
	case control.EvalOpen:
		return []controlEvalMove{{To: control.EvalConsolidated}}
	case control.EvalConsolidated:
		return []controlEvalMove{{To: control.EvalApproved, Approve: true}, {To: control.EvalOpen}}
	}
	return nil
}

// controlEvalShowData is an evaluation's page.
type controlEvalShowData struct {
	Evaluation control.Evaluation
	Units      []control.EvalUnit
	// Addable are the institution's units not yet taking part.
	Addable   []org.Unit
	Moves     []controlEvalMove
	Approval  control.Transition
	Answered  int
	Questions int
	CanManage bool
	Today     string
}

func (s *Server) controlEvalShowRead(r *http.Request, id int64) (*controlEvalShowData, error) {
	a := actorOf(r)
	ctx := r.Context()
	ev, err := s.control.Evaluation(ctx, a, id)
	if err != nil {
		return nil, err
	}
	d := &controlEvalShowData{Evaluation: ev, CanManage: a.Can(auth.PermControlManage), Today: s.clock.Now().Format("2006-01-02")}
	if d.Units, err = s.control.EvalUnits(ctx, a, id); err != nil {
		return nil, err
	}
	for _, u := range d.Units {
		d.Answered += u.Answered
		d.Questions += u.Questions
	}
	if d.CanManage {
		d.Moves = controlEvalMoves(ev.State)
		if ev.State == control.EvalOpen && a.Can(auth.PermOrgView) {
			units, err := s.controlEvalUnits(r)
			if err != nil {
				return nil, err
			}
			in := map[int64]bool{}
			for _, u := range d.Units {
				in[u.UnitID] = true
			}
			for _, u := range units {
				if !in[u.ID] {
					d.Addable = append(d.Addable, u)
				}
			}
		}
	}
	return d, nil
}

// controlEvalShow is an evaluation's page.
func (s *Server) controlEvalShow(w http.ResponseWriter, r *http.Request) error {
	a := actorOf(r)
	if err := a.Require(auth.PermControlView); err != nil {
		return err
	}
	id, err := pathID(r)
	if err != nil {
		return err
	}
	d, err := s.controlEvalShowRead(r, id)
	if err != nil {
		return err
	}
	p := s.page(r, "controleval.show.title", d)
	p.Title = controlEvalTitle(localizer(r), d.Evaluation)
	return s.render(w, http.StatusOK, "control_eval_show", p)
}

// controlEvalShowError shows the evaluation's page again with the error of
// a form on it (a transition refused, a compartment not added).
func (s *Server) controlEvalShowError(w http.ResponseWriter, r *http.Request, id int64, err error, approval control.Transition) error {
	if k := apperr.KindOf(err); k != apperr.KindInvalid && k != apperr.KindConflict {
		return err
	}
	d, derr := s.controlEvalShowRead(r, id)
	if derr != nil {
		return derr
	}
	d.Approval = approval
	p := s.page(r, "controleval.show.title", d)
	p.Title = controlEvalTitle(localizer(r), d.Evaluation)
	status := http.StatusUnprocessableEntity
	if v, ok := apperr.AsValidation(err); ok {
		p.Errors = apperr.Validation{}
		for k, msg := range v {
			switch {
			case strings.Contains(k, "approved_by"):
				p.Errors["ct_approved_by"] = msg
			case strings.Contains(k, "approved_on"):
				p.Errors["ct_approved_on"] = msg
			case strings.Contains(k, "unit"):
				p.Errors["ct_unit"] = msg
			default:
				p.Errors["ct_state"] = msg
			}
		}
		p.Error = p.T("error.invalid")
	} else {
		var ae *apperr.Error
		if errors.As(err, &ae) {
			p.Error = p.T(ae.Key, ae.Args)
		}
		status = http.StatusConflict
	}
	return s.render(w, status, "control_eval_show", p)
}

// controlEvalState moves the evaluation: consolidate, reopen, approve
// (with who approved and when).
func (s *Server) controlEvalState(w http.ResponseWriter, r *http.Request) error {
	a := actorOf(r)
	if err := a.Require(auth.PermControlManage); err != nil {
		return err
	}
	id, err := pathID(r)
	if err != nil {
		return err
	}
	t := control.Transition{To: r.FormValue("ct_to"), ApprovedBy: strings.TrimSpace(r.FormValue("ct_approved_by")), Version: formVersion(r)}
	bad := apperr.Validation{}
	t.ApprovedOn = trainingGroupDay(r, "ct_approved_on", bad)
	if len(bad) > 0 {
		err = apperr.Validation{"ct_approved_on": "controleval.error.date"}
	} else {
		_, err = s.control.MoveEvaluation(r.Context(), a, id, t)
	}
	if err != nil {
		return s.controlEvalShowError(w, r, id, err, t)
	}
	s.flash(r, "controleval.flash.moved", "State", localizer(r).T("control.eval.state."+t.To))
	return redirect(w, r, "/control/evaluations/"+strconv.FormatInt(id, 10))
}

// controlEvalUnitAdd adds a compartment to an open evaluation.
func (s *Server) controlEvalUnitAdd(w http.ResponseWriter, r *http.Request) error {
	a := actorOf(r)
	if err := a.Require(auth.PermControlManage); err != nil {
		return err
	}
	id, err := pathID(r)
	if err != nil {
		return err
	}
	unit := formInt(r, "ct_unit")
	if unit <= 0 {
		err = apperr.Validation{"ct_unit": "controleval.error.unit"}
	} else {
		err = s.control.AddEvalUnit(r.Context(), a, id, unit)
	}
	if err != nil {
		return s.controlEvalShowError(w, r, id, err, control.Transition{})
	}
	s.flash(r, "controleval.flash.unit_added")
	return redirect(w, r, "/control/evaluations/"+strconv.FormatInt(id, 10))
}
