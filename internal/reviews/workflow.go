package reviews

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"cadran/internal/apperr"
	"cadran/internal/audit"
	"cadran/internal/auth"
	"cadran/internal/work"
	"cadran/internal/workflow"
)

// Actions on a review.
const (
	ActPlan    = "plan"    // the review was planned (recorded, not a transition)
	ActPrepare = "prepare" // the inputs were compiled for the first time (Compile)
	ActHold    = "hold"    // the meeting took place: the inputs are frozen
	ActClose   = "close"   // the minutes were approved
	ActCancel  = "cancel"  // called off, with a reason
)

// gate is a review as the workflow's guards see it.
type gate struct{ r Review }

// Flow is the one state machine of a review: planned until its inputs are
// compiled, prepared (they may be compiled again) until the meeting is
// held, which freezes them; closed when the minutes are approved. A review
// not yet held may be cancelled, with a reason.
var Flow = workflow.New("review", StatePlanned,
	[]workflow.State{StatePlanned, StatePrepared, StateHeld, StateClosed, StateCancelled},
	// Only Compile prepares; Step refuses it.
	workflow.Transition[gate]{Name: ActPrepare, From: []workflow.State{StatePlanned}, To: StatePrepared, Perm: auth.PermReviewsManage},
	workflow.Transition[gate]{Name: ActHold, From: []workflow.State{StatePrepared}, To: StateHeld, Perm: auth.PermReviewsManage,
		Guard: func(_ auth.Actor, g gate) error {
			if g.r.Stale() {
				return apperr.Conflict("reviews.error.stale_inputs")
			}
			return nil
		}},
	workflow.Transition[gate]{Name: ActClose, From: []workflow.State{StateHeld}, To: StateClosed, Perm: auth.PermReviewsManage},
	workflow.Transition[gate]{Name: ActCancel, From: []workflow.State{StatePlanned, StatePrepared}, To: StateCancelled, Perm: auth.PermReviewsManage, Reason: true},
)

// StepInput is a workflow step asked for on a review's page.
type StepInput struct {
	Action string
	Reason string
	// HeldOn is the day the meeting took place (hold); empty: today.
	HeldOn  string
	Version int
}

// Moves lists the workflow steps a may take on r now (prepare aside: the
// compile button does it).
func Moves(a auth.Actor, r Review) []string {
	var out []string
	for _, m := range Flow.Actions(workflow.State(r.State), a, gate{r}) {
		if m != ActPrepare {
			out = append(out, m)
		}
	}
	return out
}

// NeedsReason reports whether action on r asks for a reason.
func NeedsReason(r Review, action string) bool {
	return Flow.NeedsReason(workflow.State(r.State), action)
}

// Step moves a review through its workflow; a stale Version is refused.
// Holding the meeting closes the preparation task and gives the chair the
// minutes to approve; closing approves them; cancelling drops the tasks.
func (s *Service) Step(ctx context.Context, a auth.Actor, id int64, in StepInput) (Review, error) {
	if in.Action == ActPrepare {
		return Review{}, apperr.Conflict("workflow.error.transition")
	}
	now := s.Clock.Now()
	today := work.Day(now)
	var out Review
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		r, err := getReview(ctx, tx, a.Tenant, id)
		if err != nil {
			return err
		}
		step, err := Flow.Fire(workflow.State(r.State), in.Action, a, gate{r}, in.Reason, now)
		if err != nil {
			return err
		}
		if r.Version != in.Version {
			return apperr.Stale()
		}
		heldOn, closedOn, reason := r.HeldOn, r.ClosedOn, r.CancelReason
		switch step.Action {
		case ActHold:
			held := today
			if strings.TrimSpace(in.HeldOn) != "" {
				d, ok := parseDay(in.HeldOn)
				from, _ := parseDay(r.PeriodFrom)
				switch {
				case !ok:
					return apperr.Validation{"review_held_on": "error.date"}
				case d.After(today):
					return apperr.Validation{"review_held_on": "reviews.error.held_future"}
				case d.Before(from):
					return apperr.Validation{"review_held_on": "reviews.error.meeting_before"}
				}
				held = d
			}
			heldOn = held.Format(time.DateOnly)
		case ActClose:
			closedOn = today.Format(time.DateOnly)
		case ActCancel:
			reason = step.Reason
		}
		res, err := tx.ExecContext(ctx, `UPDATE reviews SET state = $1, held_on = $2, closed_on = $3, cancel_reason = $4, updated_at = $5, version = version + 1
			WHERE tenant_id = $6 AND id = $7 AND version = $8`, string(step.To), heldOn, closedOn, reason, now, a.Tenant, id, r.Version)
		if err != nil {
			return fmt.Errorf("cannot change review: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return apperr.Stale()
		}
		if err := insertStep(ctx, tx, a, id, step); err != nil {
			return err
		}
		if out, err = getReview(ctx, tx, a.Tenant, id); err != nil {
			return err
		}
		if err := s.stepTasks(ctx, tx, a, out, step.Action); err != nil {
			return err
		}
		return audit.Record(ctx, tx, now, audit.Event{Tenant: a.Tenant, Actor: a.Audit(), Action: audit.ActionTransition, Entity: "review", EntityID: id,
			Summary: out.Code + ": " + step.Action, Before: map[string]string{"state": r.State}, After: step})
	})
	return out, err
}

// stepTasks keeps the review's own tasks in step with its state.
func (s *Service) stepTasks(ctx context.Context, tx *sql.Tx, a auth.Actor, r Review, action string) error {
	switch action {
	case ActHold:
		if _, err := s.Work.Close(ctx, tx, a, work.Selector{Ref: reviewRef(r.ID), Kind: work.KindReport}, work.StateDone); err != nil {
			return err
		}
		held, _ := parseDay(r.HeldOn)
		due := held.AddDate(0, 0, minutesDays)
		if t := s.today(); due.Before(t) {
			due = t
		}
		as, err := chairAssignee(ctx, tx, a.Tenant, r.ChairID)
		if err != nil {
			return err
		}
		_, err = s.Work.Assign(ctx, tx, a, work.NewTask{Ref: reviewRef(r.ID), Kind: work.KindApprove, Title: "Aprobarea minutei: " + r.Code + " " + clip(r.Title, 200),
			Details: "Verificați minuta ședinței de analiză efectuată de management (date de intrare, decizii, acțiuni) și aprobați-o.",
			Link:    reviewLink(r.ID) + "#decisions", Assignee: as, Due: due})
		return err
	case ActClose:
		_, err := s.Work.Close(ctx, tx, a, work.Selector{Ref: reviewRef(r.ID)}, work.StateDone)
		return err
	case ActCancel:
		_, err := s.Work.Close(ctx, tx, a, work.Selector{Ref: reviewRef(r.ID)}, work.StateCancelled)
		return err
	}
	return nil
}

// chairAssignee is who approves the minutes: the chair while active, else
// top management.
func chairAssignee(ctx context.Context, q querier, tenant, chair int64) (work.Assignee, error) {
	if chair != 0 {
		var n int
		if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM people WHERE tenant_id = $1 AND id = $2 AND active`, tenant, chair).Scan(&n); err != nil {
			return work.Assignee{}, fmt.Errorf("cannot read the chair: %w", err)
		}
		if n > 0 {
			return work.Assignee{PersonID: chair}, nil
		}
	}
	return work.Assignee{Role: auth.RoleTopManagement}, nil
}
