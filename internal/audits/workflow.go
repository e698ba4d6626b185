package audits

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

// Actions on an audit.
const (
	ActPlan   = "plan"   // the plan was recorded (not a transition)
	ActStart  = "start"  // the opening meeting: the fieldwork begins
	ActFinish = "finish" // the fieldwork is done: the report is written
	ActClose  = "close"  // the report is issued
	ActReopen = "reopen" // back to the fieldwork, from the report
	ActCancel = "cancel" // with a reason
)

// gate is an audit as one actor sees it, for the workflow's guards.
type gate struct{ x Audit }

func onTeamOrOffice(a auth.Actor, g gate) error {
	if MayConduct(a, g.x) {
		return nil
	}
	return apperr.Forbidden(string(auth.PermAuditsConduct))
}

// leadOrOffice: the lead auditor issues the report; the quality office may
// too, when the lead cannot.
func leadOrOffice(a auth.Actor, g gate) error {
	if a.Can(auth.PermAuditsManage) || (a.PersonID != 0 && a.PersonID == g.x.LeadID) {
		return nil
	}
	return apperr.Forbidden(string(auth.PermAuditsConduct))
}

// Flow is the one state machine of an audit: planned, the fieldwork under
// way, the report being written, closed when the report is issued; the
// quality office may cancel it, with a reason, before the report.
var Flow = workflow.New("internal_audit", StatePlanned,
	[]workflow.State{StatePlanned, StateInProgress, StateReporting, StateClosed, StateCancelled},
	workflow.Transition[gate]{Name: ActStart, From: []workflow.State{StatePlanned}, To: StateInProgress, Perm: auth.PermAuditsConduct, Guard: onTeamOrOffice},
	workflow.Transition[gate]{Name: ActFinish, From: []workflow.State{StateInProgress}, To: StateReporting, Perm: auth.PermAuditsConduct, Guard: onTeamOrOffice},
	workflow.Transition[gate]{Name: ActReopen, From: []workflow.State{StateReporting}, To: StateInProgress, Perm: auth.PermAuditsConduct, Guard: onTeamOrOffice},
	workflow.Transition[gate]{Name: ActClose, From: []workflow.State{StateReporting}, To: StateClosed, Perm: auth.PermAuditsConduct, Guard: leadOrOffice},
	workflow.Transition[gate]{Name: ActCancel, From: []workflow.State{StatePlanned, StateInProgress}, To: StateCancelled, Perm: auth.PermAuditsManage, Reason: true},
)

// StepInput is a workflow step asked for on an audit's page.
type StepInput struct {
	Action  string
	Reason  string
	Version int
}

// Actions lists what a may do with x now.
func Actions(a auth.Actor, x Audit) []string {
	return Flow.Actions(workflow.State(x.State), a, gate{x})
}

// NeedsReason reports whether action on x asks for a reason.
func NeedsReason(x Audit, action string) bool {
	return Flow.NeedsReason(workflow.State(x.State), action)
}

// Step moves an audit through its workflow; a stale Version is refused.
// Finishing the fieldwork closes the auditors' tasks; closing needs the
// conclusions and closes the lead auditor's report task; cancelling
// cancels the audit's tasks.
func (s *Service) Step(ctx context.Context, a auth.Actor, id int64, in StepInput) (Audit, error) {
	now := s.Clock.Now()
	var out Audit
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		x, err := getAudit(ctx, tx, a.Tenant, id)
		if err != nil {
			return err
		}
		step, err := Flow.Fire(workflow.State(x.State), in.Action, a, gate{x}, in.Reason, now)
		if err != nil {
			return err
		}
		if x.Version != in.Version {
			return apperr.Stale()
		}
		if step.Action == ActClose && strings.TrimSpace(x.Conclusions) == "" {
			return apperr.Validation{"audit_conclusions": "audits.error.conclusions_required"}
		}
		reported, reason := x.ReportedOn, x.CancelReason
		switch step.Action {
		case ActClose:
			reported = work.Day(now).Format(time.DateOnly)
		case ActCancel:
			reason = step.Reason
		}
		res, err := tx.ExecContext(ctx, `UPDATE internal_audits SET state = $1, reported_on = $2, cancel_reason = $3, updated_at = $4, version = version + 1
			WHERE tenant_id = $5 AND id = $6 AND version = $7`, string(step.To), reported, reason, now, a.Tenant, id, x.Version)
		if err != nil {
			return fmt.Errorf("cannot change audit: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return apperr.Stale()
		}
		if err := insertStep(ctx, tx, a, id, step); err != nil {
			return err
		}
		ref := auditRef(id)
		switch step.Action {
		case ActStart:
			// The auditees received the team.
			if _, err := s.Work.Close(ctx, tx, a, work.Selector{Ref: auditeeRef(id)}, work.StateDone); err != nil {
				return err
			}
		case ActFinish:
			if _, err := s.Work.Close(ctx, tx, a, work.Selector{Ref: ref, Kind: work.KindAttend}, work.StateDone); err != nil {
				return err
			}
		case ActReopen:
			x.State = StateInProgress
			if err := s.reopenConductTasks(ctx, tx, a, x); err != nil {
				return err
			}
		case ActClose:
			if _, err := s.Work.Close(ctx, tx, a, work.Selector{Ref: ref}, work.StateDone); err != nil {
				return err
			}
		case ActCancel:
			if err := s.cancelTasks(ctx, tx, a, id); err != nil {
				return err
			}
		}
		if out, err = getAudit(ctx, tx, a.Tenant, id); err != nil {
			return err
		}
		return audit.Record(ctx, tx, now, audit.Event{Tenant: a.Tenant, Actor: a.Audit(), Action: audit.ActionTransition, Entity: "internal_audit", EntityID: id,
			Summary: out.Code + ": " + step.Action, Before: map[string]string{"state": string(step.From)}, After: step})
	})
	return out, err
}

// reopenConductTasks gives each auditor a task again when the fieldwork
// is reopened from the report.
func (s *Service) reopenConductTasks(ctx context.Context, tx *sql.Tx, a auth.Actor, x Audit) error {
	start, _ := parseDay(x.StartOn)
	due := start
	if today := s.today(); today.After(due) {
		due = today
	}
	for _, p := range x.Auditors() {
		if _, err := s.Work.Assign(ctx, tx, a, work.NewTask{Ref: auditRef(x.ID), Kind: work.KindAttend, Title: "Finalizați lista de verificare și constatările " + x.Code,
			Details: "Înregistrați dovezile, verdictele și constatările; încheiați activitatea de teren.", Link: auditLink(x.ID) + "#checklist",
			Assignee: work.Assignee{PersonID: p}, Due: due}); err != nil {
			return err
		}
	}
	return nil
}

// cancelTasks cancels every open task of the audit.
func (s *Service) cancelTasks(ctx context.Context, tx *sql.Tx, a auth.Actor, id int64) error {
	for _, ref := range []work.Ref{auditRef(id), auditeeRef(id)} {
		if _, err := s.Work.Close(ctx, tx, a, work.Selector{Ref: ref}, work.StateCancelled); err != nil {
			return err
		}
	}
	return nil
}

func insertStep(ctx context.Context, tx *sql.Tx, a auth.Actor, auditID int64, st workflow.Step) error {
	if _, err := tx.ExecContext(ctx, `INSERT INTO audit_steps (tenant_id, audit_id, action, from_state, to_state, reason, actor_id, actor_name, at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`, a.Tenant, auditID, st.Action, string(st.From), string(st.To), st.Reason, st.ActorID, st.Actor, st.At); err != nil {
		return fmt.Errorf("cannot record audit step: %w", err)
	}
	return nil
}

// StepRecord is one workflow step in an audit's history.
type StepRecord struct {
	Action    string
	From, To  string
	Reason    string
	ActorName string
	At        time.Time
}

// Steps lists an audit's workflow steps, oldest first.
func (s *Service) Steps(ctx context.Context, a auth.Actor, id int64) ([]StepRecord, error) {
	if _, err := s.Audit(ctx, a, id); err != nil {
		return nil, err
	}
	rows, err := s.DB.R.QueryContext(ctx, `SELECT action, from_state, to_state, reason, actor_name, at FROM audit_steps WHERE tenant_id = $1 AND audit_id = $2 ORDER BY id`, a.Tenant, id)
	if err != nil {
		return nil, fmt.Errorf("cannot read audit steps: %w", err)
	}
	defer rows.Close()
	var out []StepRecord
	for rows.Next() {
		var st StepRecord
		if err := rows.Scan(&st.Action, &st.From, &st.To, &st.Reason, &st.ActorName, &st.At); err != nil {
			return nil, fmt.Errorf("cannot read audit steps: %w", err)
		}
		out = append(out, st)
	}
	return out, rows.Err()
}
