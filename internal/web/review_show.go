package web

import (
	"errors"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"

	"cadran/internal/apperr"
	"cadran/internal/audit"
	"cadran/internal/auth"
	"cadran/internal/evidence"
	"cadran/internal/i18n"
	"cadran/internal/org"
	"cadran/internal/reviews"
	"cadran/internal/work"
)

// reviewFactLine is a fact as the page and the minutes print it.
type reviewFactLine struct {
	Text, Href string
	Warn, New  bool
	// Prev is the previous review's figure, when it differs.
	Prev string
}

// reviewInputLine is one input (9.3.2) of a review, in the reader's
// language.
type reviewInputLine struct {
	reviews.InputView
	Label string
	Lines []reviewFactLine
}

// reviewDecisionLine is a decision with the actions that carry it out.
type reviewDecisionLine struct {
	reviews.Decision
	Actions []reviews.Action
}

type reviewShowData struct {
	Review      reviews.Review
	Prev        *reviews.Review
	Inputs      []reviewInputLine
	Decisions   []reviewDecisionLine
	Orphans     []reviews.Action // actions not tied to a decision
	Actions     []reviews.Action
	Moves       []string
	NeedsReason map[string]bool
	Steps       []reviews.Step
	Audit       []audit.Stored
	People      []org.Person
	Categories  []string
	InputKeys   []string
	Conclusions []string
	Today       time.Time
	PersonID    int64
	// What the actor may do now.
	Manage, MayCompile, MayAssess, MayDecide, MayNext bool
	// Carried is how many open actions of earlier reviews input (a) lists.
	Carried int
	// After a refused form: the input or action it was about and what was
	// typed.
	ErrInput     string
	AssessForm   reviews.AssessmentInput
	DecisionForm reviews.DecisionInput
	ActionForm   reviews.ActionInput
	ErrAction    int64
	ActionNote   string
	StepForm     reviews.StepInput
}

// reviewFactText translates a fact in the reader's language: whole numbers
// grouped as the language writes them, days (arguments named ...Day or
// ...Date, YYYY-MM-DD) as dates.
func reviewFactText(l *i18n.Localizer, f evidence.Fact) string {
	if len(f.Args) == 0 {
		return l.T(f.Key)
	}
	args := make(map[string]any, len(f.Args))
	for k, v := range f.Args {
		if k == "Count" {
			args[k] = v // the plural form needs the number itself
			continue
		}
		switch x := v.(type) {
		case string:
			args[k] = x
			if strings.HasSuffix(k, "Day") || strings.HasSuffix(k, "Date") {
				if t, err := time.Parse(time.DateOnly, x); err == nil {
					args[k] = l.Date(t)
				} else if t, err := time.Parse(time.RFC3339, x); err == nil {
					args[k] = l.Date(t)
				}
			}
		case int:
			args[k] = l.Number(x)
		case int64:
			args[k] = l.Number(x)
		case float64:
			if x == math.Trunc(x) {
				args[k] = l.Number(int64(x))
			} else {
				args[k] = l.Decimal(x, 1)
			}
		default:
			args[k] = v
		}
	}
	return l.T(f.Key, args)
}

// reviewInputLines puts the inputs in the reader's language.
func reviewInputLines(l *i18n.Localizer, views []reviews.InputView) []reviewInputLine {
	out := make([]reviewInputLine, 0, len(views))
	for _, v := range views {
		line := reviewInputLine{InputView: v, Label: l.T("reviews.input." + v.Input)}
		for _, f := range v.Facts {
			fl := reviewFactLine{Text: reviewFactText(l, f.Fact), Href: f.Href, Warn: f.Warn, New: f.New}
			if f.Prev != nil {
				fl.Prev = reviewFactText(l, *f.Prev)
			}
			line.Lines = append(line.Lines, fl)
		}
		out = append(out, line)
	}
	return out
}

func (s *Server) reviewShowData(r *http.Request, id int64) (*reviewShowData, error) {
	ctx := r.Context()
	a := actorOf(r)
	rv, err := s.reviews.Review(ctx, a, id)
	if err != nil {
		return nil, err
	}
	d := &reviewShowData{Review: rv, NeedsReason: map[string]bool{}, Categories: reviews.DecisionCategories, InputKeys: evidence.Inputs,
		Conclusions: reviews.Conclusions, Today: work.Day(s.clock.Now()), PersonID: a.PersonID, Moves: reviews.Moves(a, rv)}
	manage := a.Can(auth.PermReviewsManage)
	d.Manage = manage
	d.MayCompile = manage && !rv.Frozen()
	d.MayAssess = manage && rv.State != reviews.StateClosed && rv.State != reviews.StateCancelled
	d.MayDecide = manage && rv.State == reviews.StateHeld
	d.MayNext = manage && (rv.State == reviews.StateHeld || rv.State == reviews.StateClosed)
	for _, m := range d.Moves {
		d.NeedsReason[m] = reviews.NeedsReason(rv, m)
	}
	prev, ok, err := s.reviews.Previous(ctx, a, rv)
	if err != nil {
		return nil, err
	}
	if ok {
		d.Prev = &prev
	}
	views, err := s.reviews.InputViews(ctx, a, rv, d.Prev)
	if err != nil {
		return nil, err
	}
	d.Inputs = reviewInputLines(localizer(r), views)
	for _, v := range views {
		if v.Input == evidence.InputPreviousActions {
			for _, f := range v.Facts {
				if f.Key == "reviews.fact.open_action" || f.Key == "reviews.fact.overdue_action" {
					d.Carried++
				}
			}
		}
	}
	out, err := s.reviews.Outputs(ctx, a, id)
	if err != nil {
		return nil, err
	}
	d.Actions = out.Actions
	byDecision := map[int64][]reviews.Action{}
	for _, x := range out.Actions {
		if x.DecisionID == 0 {
			d.Orphans = append(d.Orphans, x)
		} else {
			byDecision[x.DecisionID] = append(byDecision[x.DecisionID], x)
		}
	}
	for _, cat := range reviews.DecisionCategories {
		for _, dec := range out.Decisions {
			if dec.Category == cat {
				d.Decisions = append(d.Decisions, reviewDecisionLine{Decision: dec, Actions: byDecision[dec.ID]})
			}
		}
	}
	if d.Steps, err = s.reviews.Steps(ctx, a, id); err != nil {
		return nil, err
	}
	if d.MayDecide || d.MayAssess {
		if d.People, _, err = s.org.People(ctx, a, org.PeopleFilter{Limit: 10000}); err != nil {
			return nil, err
		}
	}
	if a.Can(auth.PermAuditView) {
		if d.Audit, _, err = audit.List(ctx, s.db.R, a.Tenant, audit.Filter{Entity: "review", EntityID: id, Limit: 50}); err != nil {
			return nil, err
		}
	}
	return d, nil
}

// reviewShow is a review: its meeting, inputs, decisions, actions and
// history.
func (s *Server) reviewShow(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	d, err := s.reviewShowData(r, id)
	if err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "review_show", s.reviewPage(r, d))
}

func (s *Server) reviewPage(r *http.Request, d *reviewShowData) *Page {
	p := s.page(r, "reviews.list_title", d)
	p.Title = d.Review.Code + " " + d.Review.Title
	return p
}

// reviewRefused re-renders a review's page with what the person typed when
// a form on it was refused for a reason they can fix.
func (s *Server) reviewRefused(w http.ResponseWriter, r *http.Request, id int64, err error, keep func(d *reviewShowData)) error {
	switch apperr.KindOf(err) {
	case apperr.KindInvalid, apperr.KindConflict:
	default:
		return err
	}
	d, derr := s.reviewShowData(r, id)
	if derr != nil {
		return derr
	}
	if keep != nil {
		keep(d)
	}
	p := s.reviewPage(r, d)
	if v, ok := apperr.AsValidation(err); ok {
		p.Errors = v
		p.Error = p.T("error.invalid")
		return s.render(w, http.StatusUnprocessableEntity, "review_show", p)
	}
	var ae *apperr.Error
	if errors.As(err, &ae) {
		p.Error = p.T(ae.Key, ae.Args)
	}
	return s.render(w, http.StatusConflict, "review_show", p)
}

// reviewStep holds the meeting, closes the review or cancels it.
func (s *Server) reviewStep(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	in := reviews.StepInput{Action: r.FormValue("action"), Reason: r.FormValue("reason"), HeldOn: r.FormValue("review_held_on"), Version: formVersion(r)}
	rv, err := s.reviews.Step(r.Context(), actorOf(r), id, in)
	if err != nil {
		return s.reviewRefused(w, r, id, err, func(d *reviewShowData) { d.StepForm = in })
	}
	s.flash(r, "reviews.flash."+in.Action, "Code", rv.Code)
	return redirect(w, r, reviewPath(id))
}

// reviewCompile compiles the inputs from live data.
func (s *Server) reviewCompile(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	rv, err := s.reviews.Compile(r.Context(), actorOf(r), id, formVersion(r))
	if err != nil {
		return s.reviewRefused(w, r, id, err, nil)
	}
	s.flash(r, "reviews.flash.compiled", "Code", rv.Code)
	return redirect(w, r, reviewPath(id)+"#inputs")
}

// reviewAssessment saves the written assessment of one input.
func (s *Server) reviewAssessment(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	input := r.PathValue("input")
	in := reviews.AssessmentInput{Text: r.FormValue("review_assessment"), Conclusion: r.FormValue("conclusion"), Version: formVersion(r)}
	if _, err := s.reviews.SaveAssessment(r.Context(), actorOf(r), id, input, in); err != nil {
		return s.reviewRefused(w, r, id, err, func(d *reviewShowData) { d.ErrInput, d.AssessForm = input, in })
	}
	s.flash(r, "flash.saved")
	return redirect(w, r, reviewPath(id)+"#input-"+input)
}

// reviewDecisionAdd records a decision of the meeting.
func (s *Server) reviewDecisionAdd(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	in := reviews.DecisionInput{Category: r.FormValue("review_category"), Input: r.FormValue("review_input"), Text: r.FormValue("review_decision")}
	if _, err := s.reviews.AddDecision(r.Context(), actorOf(r), id, in); err != nil {
		return s.reviewRefused(w, r, id, err, func(d *reviewShowData) { d.DecisionForm = in })
	}
	s.flash(r, "reviews.flash.decision_added")
	return redirect(w, r, reviewPath(id)+"#decisions")
}

// reviewDecisionDelete removes a decision recorded by mistake.
func (s *Server) reviewDecisionDelete(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	did, err := pathParamID(r, "did")
	if err != nil {
		return err
	}
	if err := s.reviews.DeleteDecision(r.Context(), actorOf(r), id, did, formVersion(r)); err != nil {
		return s.reviewRefused(w, r, id, err, nil)
	}
	s.flash(r, "reviews.flash.decision_deleted")
	return redirect(w, r, reviewPath(id)+"#decisions")
}

// reviewActionAdd records an action with its owner and due day.
func (s *Server) reviewActionAdd(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	in := reviews.ActionInput{DecisionID: formInt(r, "review_decision_id"), Description: r.FormValue("description"), OwnerID: formInt(r, "owner_id"), DueOn: r.FormValue("due")}
	if _, err := s.reviews.AddAction(r.Context(), actorOf(r), id, in); err != nil {
		return s.reviewRefused(w, r, id, err, func(d *reviewShowData) { d.ActionForm = in })
	}
	s.flash(r, "reviews.flash.action_added")
	return redirect(w, r, reviewPath(id)+"#decisions")
}

// reviewActionDone records an action as done.
func (s *Server) reviewActionDone(w http.ResponseWriter, r *http.Request) error {
	return s.reviewActionFinish(w, r, true)
}

// reviewActionCancel drops an action, with the reason.
func (s *Server) reviewActionCancel(w http.ResponseWriter, r *http.Request) error {
	return s.reviewActionFinish(w, r, false)
}

func (s *Server) reviewActionFinish(w http.ResponseWriter, r *http.Request, done bool) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	aid, err := pathParamID(r, "aid")
	if err != nil {
		return err
	}
	a := actorOf(r)
	note := r.FormValue("done_note")
	flash := "reviews.flash.action_done"
	if done {
		_, err = s.reviews.CompleteAction(r.Context(), a, id, aid, reviews.DoneInput{Note: note, Version: formVersion(r)})
	} else {
		note = r.FormValue("reason")
		flash = "reviews.flash.action_cancelled"
		_, err = s.reviews.CancelAction(r.Context(), a, id, aid, reviews.DoneInput{Note: note, Version: formVersion(r)})
	}
	if err != nil {
		return s.reviewRefused(w, r, id, err, func(d *reviewShowData) { d.ErrAction, d.ActionNote = aid, note })
	}
	s.flash(r, flash)
	return redirect(w, r, reviewPath(id)+"#action-"+strconv.FormatInt(aid, 10))
}

// reviewNext prepares the next review from this one.
func (s *Server) reviewNext(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	next, err := s.reviews.PrepareNext(r.Context(), actorOf(r), id)
	if err != nil {
		return s.reviewRefused(w, r, id, err, nil)
	}
	s.flash(r, "reviews.flash.next", "Code", next.Code)
	return redirect(w, r, reviewPath(next.ID))
}
