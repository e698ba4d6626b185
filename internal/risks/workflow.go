package risks

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"cadran/internal/apperr"
	"cadran/internal/audit"
	"cadran/internal/auth"
	"cadran/internal/work"
	"cadran/internal/workflow"
)

// Actions on a register entry.
const (
	ActPropose  = "propose"  // the alert form was sent (recorded, not a transition)
	ActRetain   = "retain"   // validated into the unit's register
	ActEscalate = "escalate" // validated into the institution's consolidated register
	ActDecline  = "decline"  // not relevant, with a reason
	ActClose    = "close"    // no longer applies, with a reason
	ActReopen   = "reopen"   // applies again
	ActCarry    = "carry"    // carried into next year's register (the yearly review)
)

// gate is a register entry as one actor sees it, for the workflow's guards.
type gate struct{ r Risk }

// Flow is the one state machine of a register entry: an alert form waits
// as proposed until the risk management team retains it (unit register),
// escalates it (the institution's register) or declines it; an active
// entry may be closed and reopened, and the yearly review carries it into
// the next year's register.
var Flow = workflow.New("risk", StateProposed,
	[]workflow.State{StateProposed, StateActive, StateDeclined, StateClosed, StateCarried},
	workflow.Transition[gate]{Name: ActRetain, From: []workflow.State{StateProposed}, To: StateActive, Perm: auth.PermRisksManage},
	workflow.Transition[gate]{Name: ActEscalate, From: []workflow.State{StateProposed}, To: StateActive, Perm: auth.PermRisksManage},
	workflow.Transition[gate]{Name: ActDecline, From: []workflow.State{StateProposed}, To: StateDeclined, Perm: auth.PermRisksManage, Reason: true},
	workflow.Transition[gate]{Name: ActClose, From: []workflow.State{StateActive}, To: StateClosed, Perm: auth.PermRisksManage, Reason: true},
	workflow.Transition[gate]{Name: ActReopen, From: []workflow.State{StateClosed}, To: StateActive, Perm: auth.PermRisksManage},
	// Only the yearly review (StartYear) carries; Step refuses it.
	workflow.Transition[gate]{Name: ActCarry, From: []workflow.State{StateActive}, To: StateCarried, Perm: auth.PermRisksManage},
)

// StepInput is a workflow step asked for on a risk's page.
type StepInput struct {
	Action  string
	Reason  string
	Version int
}

// Actions lists what a may do with r now.
func Actions(a auth.Actor, r Risk) []string {
	return Flow.Actions(workflow.State(r.State), a, gate{r})
}

// NeedsReason reports whether action on r asks for a reason.
func NeedsReason(r Risk, action string) bool {
	return Flow.NeedsReason(workflow.State(r.State), action)
}

// Step moves a register entry through its workflow; a stale Version is
// refused. The team's decision closes its task; an entry coming into the
// register gets its review date and the review task; one leaving it has its
// tasks cancelled.
func (s *Service) Step(ctx context.Context, a auth.Actor, id int64, in StepInput) (Risk, error) {
	if in.Action == ActCarry {
		return Risk{}, apperr.Conflict("workflow.error.transition")
	}
	var out Risk
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		var err error
		out, err = s.StepTx(ctx, tx, a, id, in)
		return err
	})
	return out, err
}

// StepTx is Step inside the caller's transaction, for the generators that
// move many entries in one.
func (s *Service) StepTx(ctx context.Context, tx *sql.Tx, a auth.Actor, id int64, in StepInput) (Risk, error) {
	if in.Action == ActCarry {
		return Risk{}, apperr.Conflict("workflow.error.transition")
	}
	now := s.Clock.Now()
	r, err := getRisk(ctx, tx, a.Tenant, id)
	if err != nil {
		return Risk{}, err
	}
	step, err := Flow.Fire(workflow.State(r.State), in.Action, a, gate{r}, in.Reason, now)
	if err != nil {
		return Risk{}, err
	}
	if r.Version != in.Version {
		return Risk{}, apperr.Stale()
	}
	return s.applyStep(ctx, tx, a, r, step, now)
}

// applyStep writes a step fired on r: the new state and what comes with it.
func (s *Service) applyStep(ctx context.Context, tx *sql.Tx, a auth.Actor, r Risk, step workflow.Step, now time.Time) (Risk, error) {
	st, err := s.settings(ctx, tx, a.Tenant)
	if err != nil {
		return Risk{}, err
	}
	level, next, reason := r.Level, r.NextReviewOn, r.DecisionReason
	today := work.Day(now)
	switch step.Action {
	case ActRetain:
		level = LevelUnit
		if r.UnitID == 0 {
			level = LevelInstitution
		}
		next = today.AddDate(0, st.ReviewMonths, 0).Format(time.DateOnly)
	case ActEscalate:
		level = LevelInstitution
		next = today.AddDate(0, st.ReviewMonths, 0).Format(time.DateOnly)
	case ActReopen:
		next = today.AddDate(0, st.ReviewMonths, 0).Format(time.DateOnly)
		reason = ""
	case ActDecline, ActClose:
		next = ""
		reason = step.Reason
	}
	res, err := tx.ExecContext(ctx, `UPDATE risks SET state = $1, level = $2, next_review_on = $3, decision_reason = $4, updated_at = $5, version = version + 1
		WHERE tenant_id = $6 AND id = $7 AND version = $8`, string(step.To), level, next, reason, now, a.Tenant, r.ID, r.Version)
	if err != nil {
		return Risk{}, fmt.Errorf("cannot change risk: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return Risk{}, apperr.Stale()
	}
	if err := insertStep(ctx, tx, a, r.ID, step); err != nil {
		return Risk{}, err
	}
	out, err := getRisk(ctx, tx, a.Tenant, r.ID)
	if err != nil {
		return Risk{}, err
	}
	switch step.Action {
	case ActRetain, ActEscalate, ActDecline:
		if _, err := s.Work.Close(ctx, tx, a, work.Selector{Ref: riskRef(r.ID), Kind: work.KindApprove}, work.StateDone); err != nil {
			return Risk{}, err
		}
	}
	switch step.To {
	case StateActive:
		if err := s.scheduleReview(ctx, tx, a, out); err != nil {
			return Risk{}, err
		}
		if err := s.openMeasureTasks(ctx, tx, a, out); err != nil {
			return Risk{}, err
		}
	default:
		if _, err := s.Work.Close(ctx, tx, a, work.Selector{Ref: riskRef(r.ID)}, work.StateCancelled); err != nil {
			return Risk{}, err
		}
		if err := s.closeMeasureTasks(ctx, tx, a, r.ID); err != nil {
			return Risk{}, err
		}
	}
	if err := audit.Record(ctx, tx, now, audit.Event{Tenant: a.Tenant, Actor: a.Audit(), Action: audit.ActionTransition, Entity: "risk", EntityID: r.ID,
		Summary: out.Code + ": " + step.Action, Before: map[string]string{"state": r.State, "level": r.Level}, After: step}); err != nil {
		return Risk{}, err
	}
	return out, nil
}

// scheduleReview keeps one open review task per active entry, due on its
// next review day, for its owner (or the head of its unit, or the risk
// management team).
func (s *Service) scheduleReview(ctx context.Context, tx *sql.Tx, a auth.Actor, r Risk) error {
	if _, err := s.Work.Close(ctx, tx, a, work.Selector{Ref: riskRef(r.ID), Kind: work.KindReport}, work.StateCancelled); err != nil {
		return err
	}
	t, ok, err := reviewTask(ctx, tx, a.Tenant, r)
	if err != nil || !ok {
		return err
	}
	_, err = s.Work.Assign(ctx, tx, a, t)
	return err
}

// reviewTask is the task of r's next review; none when none is due.
func reviewTask(ctx context.Context, q querier, tenant int64, r Risk) (work.NewTask, bool, error) {
	if r.State != StateActive || r.NextReviewOn == "" {
		return work.NewTask{}, false, nil
	}
	due, err := time.Parse(time.DateOnly, r.NextReviewOn)
	if err != nil {
		return work.NewTask{}, false, nil
	}
	as, err := reviewer(ctx, q, tenant, r)
	if err != nil {
		return work.NewTask{}, false, err
	}
	return work.NewTask{Ref: riskRef(r.ID), Kind: work.KindReport, Title: "Revizuire " + r.Code + " " + clip(r.Description, 200),
		Details: "Revizuirea periodică a riscului: probabilitatea și impactul reziduale, stadiul măsurilor de control.",
		Link:    fmt.Sprintf("/risks/%d#review", r.ID), Assignee: as, Due: due}, true, nil
}

// reviewer is who reviews r: its owner while active in the institution,
// else the head of its unit, else the risk management team.
func reviewer(ctx context.Context, q querier, tenant int64, r Risk) (work.Assignee, error) {
	if r.OwnerID != 0 {
		var active bool
		if err := q.QueryRowContext(ctx, `SELECT active FROM people WHERE tenant_id = $1 AND id = $2`, tenant, r.OwnerID).Scan(&active); err != nil {
			return work.Assignee{}, fmt.Errorf("cannot read risk owner: %w", err)
		}
		if active {
			return work.Assignee{PersonID: r.OwnerID}, nil
		}
	}
	if r.UnitID != 0 {
		return work.Assignee{Role: auth.RoleHeadOfUnit, UnitID: r.UnitID}, nil
	}
	return work.Assignee{Role: auth.RoleQualityManager}, nil
}
