package caf

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

// MinMembers is the smallest self-assessment group a cycle starts with,
// its leader included.
const MinMembers = 2

// AssessDays is how long members have to assess when the cycle has no end
// date (or one already past).
const AssessDays = 30

// gate is a cycle as one actor sees it, for the workflow's guards.
type gate struct{ c Cycle }

// mayRun lets managers and the cycle's leader fire every step; what the
// step needs (members, consensus scores) is checked by Fire, so the button
// shows and a press explains what is missing.
func mayRun(a auth.Actor, g gate) error { return requireManage(a, g.c) }

var openStates = []workflow.State{StatePlanning, StateAssessing, StateConsensus, StateImproving}

// Flow is the one state machine of a cycle: planning → assessing
// (individual assessment) → consensus → improving (the improvement plan) →
// closed; consensus may go back to assessing, and any open cycle may be
// cancelled with a reason.
var Flow = workflow.New("caf_cycle", StatePlanning,
	[]workflow.State{StatePlanning, StateAssessing, StateConsensus, StateImproving, StateClosed, StateCancelled},
	workflow.Transition[gate]{Name: ActStart, From: []workflow.State{StatePlanning}, To: StateAssessing, Guard: mayRun},
	workflow.Transition[gate]{Name: ActConsensus, From: []workflow.State{StateAssessing}, To: StateConsensus, Guard: mayRun},
	workflow.Transition[gate]{Name: ActReopen, From: []workflow.State{StateConsensus}, To: StateAssessing, Guard: mayRun},
	workflow.Transition[gate]{Name: ActImprove, From: []workflow.State{StateConsensus}, To: StateImproving, Guard: mayRun},
	workflow.Transition[gate]{Name: ActClose, From: []workflow.State{StateImproving}, To: StateClosed, Guard: mayRun},
	workflow.Transition[gate]{Name: ActCancel, From: openStates, To: StateCancelled, Guard: mayRun, Reason: true},
)

// Actions lists the workflow actions the actor may take on a cycle now.
func (s *Service) Actions(ctx context.Context, a auth.Actor, c Cycle) []string {
	if !a.Can(auth.PermCAFView) {
		return nil
	}
	return Flow.Actions(workflow.State(c.State), a, gate{c})
}

// NeedsReason reports whether action on c asks for a reason.
func NeedsReason(c Cycle, action string) bool {
	return Flow.NeedsReason(workflow.State(c.State), action)
}

// Fire moves a cycle through its workflow.
func (s *Service) Fire(ctx context.Context, a auth.Actor, id int64, action string, version int, reason string) (Cycle, error) {
	if err := a.Require(auth.PermCAFView); err != nil {
		return Cycle{}, err
	}
	now := s.Clock.Now()
	var out Cycle
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		c, err := getCycle(ctx, tx, a.Tenant, id)
		if err != nil {
			return err
		}
		step, err := Flow.Fire(workflow.State(c.State), action, a, gate{c}, reason, now)
		if err != nil {
			return err
		}
		if c.Version != version {
			return apperr.Stale()
		}
		members, err := membersOf(ctx, tx, a.Tenant, c)
		if err != nil {
			return err
		}
		after := map[string]any{"step": step}
		switch action {
		case ActStart:
			if c.LeaderID == 0 {
				return apperr.Conflict("caf.error.no_leader")
			}
			if len(members) < MinMembers {
				return apperr.Conflict("caf.error.too_few_members")
			}
		case ActImprove:
			if missing, err := missingConsensus(ctx, tx, a.Tenant, c); err != nil {
				return err
			} else if len(missing) > 0 {
				return &apperr.Error{Kind: apperr.KindConflict, Key: "caf.error.consensus_missing",
					Args: map[string]any{"Subs": strings.Join(missing, ", "), "Count": len(missing)}}
			}
		case ActConsensus:
			var late []string
			for _, m := range members {
				if m.SubmittedAt == nil {
					late = append(late, m.Name)
				}
			}
			after["not_submitted"] = late
		}
		cancel := c.CancelReason
		if action == ActCancel {
			cancel = step.Reason
		}
		res, err := tx.ExecContext(ctx, `UPDATE caf_cycles SET state = $1, cancel_reason = $2, updated_at = $3, version = version + 1
			WHERE tenant_id = $4 AND id = $5 AND version = $6`, string(step.To), cancel, now, a.Tenant, id, version)
		if err != nil {
			return fmt.Errorf("cannot change CAF cycle: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return apperr.Stale()
		}
		if out, err = getCycle(ctx, tx, a.Tenant, id); err != nil {
			return err
		}
		switch action {
		case ActStart, ActReopen:
			// Everyone who has not handed in their assessment gets the task.
			for _, m := range members {
				if m.SubmittedAt == nil {
					if _, err := s.Work.Assign(ctx, tx, a, assessTask(out, m.PersonID, now)); err != nil {
						return err
					}
				}
			}
		case ActConsensus, ActCancel:
			if _, err := s.Work.Close(ctx, tx, a, work.Selector{Ref: cycleRef(id), Kind: work.KindAct}, work.StateCancelled); err != nil {
				return err
			}
		}
		return audit.Record(ctx, tx, now, audit.Event{Tenant: a.Tenant, Actor: a.Audit(), Action: audit.ActionTransition, Entity: EntityCycle, EntityID: id,
			Summary: out.Code + ": " + action, Before: map[string]string{"state": c.State}, After: after})
	})
	return out, err
}

// assessTask is a member's task to assess every sub-criterion, due at the
// cycle's end (or in AssessDays when it has none, or it is past).
func assessTask(c Cycle, person int64, now time.Time) work.NewTask {
	today := work.Day(now)
	due := today.AddDate(0, 0, AssessDays)
	if end, ok := parseDay(c.EndOn); ok && !end.Before(today) {
		due = end
	}
	return work.NewTask{Ref: cycleRef(c.ID), Kind: work.KindAct, Title: "Autoevaluați criteriile CAF (" + c.Code + ")",
		Details: "Evaluare individuală: pentru fiecare subcriteriu, dovezile, punctele forte, aspectele de îmbunătățit și punctajul; apoi predați evaluarea.",
		Link:    fmt.Sprintf("/caf/%d/assess", c.ID), Assignee: work.Assignee{PersonID: person}, Due: due}
}

// missingConsensus lists the sub-criteria of c's model without a consensus
// score, in the model's order.
func missingConsensus(ctx context.Context, q querier, tenant int64, c Cycle) ([]string, error) {
	have, err := consensusOf(ctx, q, tenant, c)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, sub := range c.CAF().Subs() {
		if x, ok := have[sub.Code]; !ok || x.Score == nil {
			out = append(out, sub.Code)
		}
	}
	return out, nil
}
