package work

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"time"

	"cadran/internal/apperr"
	"cadran/internal/audit"
	"cadran/internal/auth"
	"cadran/internal/notify"
	"cadran/internal/workflow"
)

// Task returns one task the actor may see. A task of another institution is
// not found; one of this institution that is none of the actor's business
// is forbidden.
func (s *Service) Task(ctx context.Context, a auth.Actor, id int64) (Task, error) {
	t, err := getTask(ctx, s.DB.R, a.Tenant, id)
	if err != nil {
		return Task{}, err
	}
	v, err := s.viewer(ctx, s.DB.R, a)
	if err != nil {
		return Task{}, err
	}
	if !v.sees(t) {
		// Whoever was told about the task (it was theirs before it moved)
		// may still read it.
		var told int
		if err := s.DB.R.QueryRowContext(ctx, `SELECT COUNT(*) FROM notifications WHERE tenant_id = $1 AND user_id = $2 AND task_id = $3`, a.Tenant, a.UserID, id).Scan(&told); err != nil {
			return Task{}, fmt.Errorf("cannot check the task's notifications: %w", err)
		}
		if told == 0 || a.UserID == 0 {
			return Task{}, apperr.Forbidden("task.view")
		}
	}
	return t, nil
}

// Abilities say what the actor may do with a task, for the page's buttons;
// the actions check again.
type Abilities struct {
	Complete, Cancel, Reassign bool
}

// Abilities returns what the actor may do with t.
func (s *Service) Abilities(ctx context.Context, a auth.Actor, t Task) (Abilities, error) {
	v, err := s.viewer(ctx, s.DB.R, a)
	if err != nil {
		return Abilities{}, err
	}
	acts := taskFlow.Actions(workflow.State(t.State), a, seen{t, v})
	return Abilities{
		Complete: slices.Contains(acts, actionComplete),
		Cancel:   slices.Contains(acts, actionCancel),
		Reassign: t.State == StateOpen && v.manages(t),
	}, nil
}

// seen is a task as one actor sees it, for the workflow's guards.
type seen struct {
	t Task
	v viewer
}

const (
	actionComplete = "complete"
	actionCancel   = "cancel"
)

// byHand refuses to close by hand a task that closes with its record.
func byHand(s seen) error {
	if !s.t.Manual() {
		return apperr.Conflict("task.error.closes_with_record")
	}
	return nil
}

// taskFlow is how a person closes a task handed out by hand: its assignee or
// whoever manages it completes it; only whoever manages it cancels it.
// Tasks of other modules close with their record, through Close.
var taskFlow = workflow.New("task", workflow.State(StateOpen),
	[]workflow.State{StateOpen, StateDone, StateCancelled},
	workflow.Transition[seen]{Name: actionComplete, From: []workflow.State{StateOpen}, To: StateDone,
		Guard: func(a auth.Actor, s seen) error {
			if err := byHand(s); err != nil {
				return err
			}
			if !s.v.mine(s.t) && !s.v.manages(s.t) {
				return apperr.Forbidden("task.finish")
			}
			return nil
		}},
	workflow.Transition[seen]{Name: actionCancel, From: []workflow.State{StateOpen}, To: StateCancelled,
		Guard: func(a auth.Actor, s seen) error {
			if err := byHand(s); err != nil {
				return err
			}
			if !s.v.manages(s.t) {
				return apperr.Forbidden("task.finish")
			}
			return nil
		}},
)

// ManualInput is a task handed out by hand from the inbox.
type ManualInput struct {
	Title    string
	Details  string
	Kind     string
	Assignee Assignee
	Due      time.Time
	Priority string
}

// CreateManual hands out a task that has no other record: the quality
// office asking a unit for something, a head of unit asking one of theirs.
func (s *Service) CreateManual(ctx context.Context, a auth.Actor, in ManualInput) (Task, error) {
	if err := a.Require(auth.PermWorkAssign); err != nil {
		return Task{}, err
	}
	if in.Kind == "" {
		in.Kind = KindAct
	}
	nt := NewTask{Ref: Ref{Module: ModuleWork, Entity: "task"}, Kind: in.Kind, Title: in.Title, Details: in.Details, Assignee: in.Assignee, Due: in.Due, Priority: in.Priority}
	if err := nt.validate(); err != nil {
		return Task{}, err
	}
	if !nt.Due.IsZero() && nt.Due.Before(Day(s.Clock.Now())) {
		return Task{}, apperr.Validation{"due": "task.error.due_past"}
	}
	var t Task
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		v, err := s.viewer(ctx, tx, a)
		if err != nil {
			return err
		}
		if ok, err := s.mayAssignTo(ctx, tx, v, nt.Assignee); err != nil {
			return err
		} else if !ok {
			return apperr.Validation{"assignee": "task.error.outside_unit"}
		}
		t, err = s.Assign(ctx, tx, a, nt)
		return err
	})
	return t, err
}

// Complete marks a task handed out by hand as done. Tasks of other modules
// close when their record is handled.
func (s *Service) Complete(ctx context.Context, a auth.Actor, id int64, version int) (Task, error) {
	return s.finish(ctx, a, id, version, actionComplete)
}

// Cancel withdraws a task handed out by hand; its people are told.
func (s *Service) Cancel(ctx context.Context, a auth.Actor, id int64, version int) (Task, error) {
	return s.finish(ctx, a, id, version, actionCancel)
}

func (s *Service) finish(ctx context.Context, a auth.Actor, id int64, version int, action string) (Task, error) {
	var after Task
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		t, err := getTask(ctx, tx, a.Tenant, id)
		if err != nil {
			return err
		}
		v, err := s.viewer(ctx, tx, a)
		if err != nil {
			return err
		}
		if !v.sees(t) {
			return apperr.Forbidden("task.view")
		}
		if t.Version != version {
			return apperr.Stale()
		}
		step, err := taskFlow.Fire(workflow.State(t.State), action, a, seen{t, v}, "", s.Clock.Now())
		if err != nil {
			return err
		}
		if after, err = s.setState(ctx, tx, a, t, string(step.To)); err != nil {
			return err
		}
		if step.To == StateCancelled {
			return s.notify(ctx, tx, after, notify.EventCancelled, a.Name)
		}
		return nil
	})
	return after, err
}

// ReassignInput moves a task to someone else, or to another day.
type ReassignInput struct {
	Assignee Assignee
	Due      time.Time
	Reason   string
	Version  int
}

// Reassign gives a task to another person or role, or a new due day. It is
// audited with the reason, and the new assignee is told.
func (s *Service) Reassign(ctx context.Context, a auth.Actor, id int64, in ReassignInput) (Task, error) {
	if err := a.Require(auth.PermWorkAssign); err != nil {
		return Task{}, err
	}
	v := apperr.Validation{}
	validAssignee(v, in.Assignee)
	if in.Due.IsZero() {
		v.Add("due", "error.required")
	}
	if len([]rune(in.Reason)) > 500 {
		v.Add("reason", "error.too_long")
	}
	if err := v.Err(); err != nil {
		return Task{}, err
	}
	in.Due = DateOnly(in.Due)
	now := s.Clock.Now()
	var after Task
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		before, err := getTask(ctx, tx, a.Tenant, id)
		if err != nil {
			return err
		}
		vw, err := s.viewer(ctx, tx, a)
		if err != nil {
			return err
		}
		if !vw.sees(before) {
			return apperr.Forbidden("task.view")
		}
		if before.Version != in.Version {
			return apperr.Stale()
		}
		if before.State != StateOpen {
			return apperr.Conflict("task.error.closed")
		}
		if !vw.manages(before) {
			return apperr.Forbidden("task.reassign")
		}
		if err := checkAssignee(ctx, tx, a.Tenant, in.Assignee); err != nil {
			return err
		}
		if ok, err := s.mayAssignTo(ctx, tx, vw, in.Assignee); err != nil {
			return err
		} else if !ok {
			return apperr.Validation{"assignee": "task.error.outside_unit"}
		}
		res, err := tx.ExecContext(ctx, `UPDATE tasks SET person_id = $1, role = $2, role_unit_id = $3, due_on = $4, updated_at = $5, version = version + 1
			WHERE tenant_id = $6 AND id = $7 AND version = $8`,
			nullID(in.Assignee.PersonID), string(in.Assignee.Role), nullID(in.Assignee.UnitID), in.Due.Format(time.DateOnly), now, a.Tenant, id, in.Version)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return apperr.Stale()
		}
		if after, err = getTask(ctx, tx, a.Tenant, id); err != nil {
			return err
		}
		summary := after.Title
		if in.Reason != "" {
			summary += " — " + in.Reason
		}
		if err := audit.Record(ctx, tx, now, audit.Event{Tenant: a.Tenant, Actor: a.Audit(), Action: audit.ActionReassign, Entity: "task", EntityID: id, Summary: summary, Before: before, After: after}); err != nil {
			return err
		}
		if before.Assignee == after.Assignee {
			if before.Due.Equal(after.Due) {
				return nil
			}
			return s.notify(ctx, tx, after, notify.EventRescheduled, a.Name)
		}
		return s.notify(ctx, tx, after, notify.EventReassigned, a.Name)
	})
	return after, err
}
