package caf

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"cadran/internal/apperr"
	"cadran/internal/audit"
	"cadran/internal/auth"
	"cadran/internal/frameworks"
	"cadran/internal/improvement"
	"cadran/internal/textutil"
	"cadran/internal/work"
)

// Action is an improvement action of the plan.
type Action struct {
	ID          int64
	CycleID     int64
	Sub         string
	Title       string
	Description string
	Impact      int // 1 low, 2 medium, 3 high
	Ease        int // 1 hard, 2 medium, 3 easy
	OwnerID     int64
	OwnerName   string // read
	DueOn       string
	State       string
	DoneOn      string
	CaseID      int64  // the improvement register case opened for it
	CaseCode    string // read
	Created     time.Time
	Updated     time.Time
	Version     int
}

// Priority ranks an action in the impact/ease grid: impact × ease, 1 to 9
// (quick wins, high impact and easy, first).
func (x Action) Priority() int { return x.Impact * x.Ease }

// Overdue reports whether an open action is past its due date on today.
func (x Action) Overdue(today time.Time) bool {
	d, ok := parseDay(x.DueOn)
	return x.State == ActionOpen && ok && d.Before(today)
}

// ActionInput creates or changes an action.
type ActionInput struct {
	Sub         string
	Title       string
	Description string
	Impact      int
	Ease        int
	OwnerID     int64
	DueOn       string
	State       string
	Version     int
}

// validate checks and normalises the input: form fields caf_action_sub,
// caf_action_title, caf_action_description, caf_action_impact,
// caf_action_ease, caf_action_owner, caf_action_due, caf_action_state.
func (in *ActionInput) validate(model frameworks.CAF) error {
	v := apperr.Validation{}
	in.Title = textutil.Clean(in.Title)
	in.Description = strings.TrimSpace(textutil.CleanText(in.Description))
	in.DueOn = strings.TrimSpace(in.DueOn)
	in.Sub = strings.TrimSpace(in.Sub)
	if in.Sub != "" {
		if _, ok := model.Sub(in.Sub); !ok {
			v.Add("caf_action_sub", "error.choice")
		}
	}
	switch {
	case in.Title == "":
		v.Add("caf_action_title", "error.required")
	case utf8.RuneCountInString(in.Title) > MaxTitle:
		v.Add("caf_action_title", "error.too_long")
	}
	if utf8.RuneCountInString(in.Description) > MaxText {
		v.Add("caf_action_description", "error.too_long")
	}
	if in.Impact < 1 || in.Impact > 3 {
		v.Add("caf_action_impact", "error.choice")
	}
	if in.Ease < 1 || in.Ease > 3 {
		v.Add("caf_action_ease", "error.choice")
	}
	if _, ok := parseDay(in.DueOn); in.DueOn != "" && !ok {
		v.Add("caf_action_due", "error.date")
	}
	if in.State == "" {
		in.State = ActionOpen
	}
	if !slices.Contains(ActionStates, in.State) {
		v.Add("caf_action_state", "error.choice")
	}
	return v.Err()
}

const actionColumns = `x.id, x.cycle_id, x.subcriterion, x.title, x.description, x.impact, x.ease, COALESCE(x.owner_id, 0), COALESCE(p.full_name, ''),
	x.due_on, x.state, x.done_on, COALESCE(x.case_id, 0), COALESCE(n.code, ''), x.created_at, x.updated_at, x.version`

const actionFrom = ` FROM caf_actions x
	LEFT JOIN people p ON p.id = x.owner_id
	LEFT JOIN nonconformities n ON n.id = x.case_id`

func scanAction(row interface{ Scan(...any) error }) (Action, error) {
	var x Action
	err := row.Scan(&x.ID, &x.CycleID, &x.Sub, &x.Title, &x.Description, &x.Impact, &x.Ease, &x.OwnerID, &x.OwnerName,
		&x.DueOn, &x.State, &x.DoneOn, &x.CaseID, &x.CaseCode, &x.Created, &x.Updated, &x.Version)
	return x, err
}

func getAction(ctx context.Context, q querier, tenant, cycleID, id int64) (Action, error) {
	x, err := scanAction(q.QueryRowContext(ctx, `SELECT `+actionColumns+actionFrom+` WHERE x.tenant_id = $1 AND x.cycle_id = $2 AND x.id = $3`, tenant, cycleID, id))
	if errors.Is(err, sql.ErrNoRows) {
		return Action{}, apperr.NotFound(EntityAction)
	}
	if err != nil {
		return Action{}, fmt.Errorf("cannot read CAF action: %w", err)
	}
	return x, nil
}

// Plan lists the cycle's improvement actions, highest priority first
// (then the earliest due; actions without a due date last).
func (s *Service) Plan(ctx context.Context, a auth.Actor, cycleID int64) ([]Action, error) {
	if _, err := s.Cycle(ctx, a, cycleID); err != nil {
		return nil, err
	}
	rows, err := s.DB.R.QueryContext(ctx, `SELECT `+actionColumns+actionFrom+` WHERE x.tenant_id = $1 AND x.cycle_id = $2
		ORDER BY x.impact * x.ease DESC, CASE WHEN x.due_on = '' THEN 1 ELSE 0 END, x.due_on, x.id`, a.Tenant, cycleID)
	if err != nil {
		return nil, fmt.Errorf("cannot read CAF plan: %w", err)
	}
	defer rows.Close()
	var out []Action
	for rows.Next() {
		x, err := scanAction(rows)
		if err != nil {
			return nil, fmt.Errorf("cannot read CAF plan: %w", err)
		}
		out = append(out, x)
	}
	return out, rows.Err()
}

// actionTask is the owner's task of an open action with an owner and a due
// date.
func actionTask(c Cycle, x Action) (work.NewTask, bool) {
	due, ok := parseDay(x.DueOn)
	if x.State != ActionOpen || x.OwnerID == 0 || !ok {
		return work.NewTask{}, false
	}
	return work.NewTask{Ref: actionRef(x.ID), Kind: work.KindAct, Title: c.Code + ": " + clip(x.Title, 250),
		Details: "Acțiune din planul de îmbunătățire al autoevaluării CAF " + c.Code + ".",
		Link:    fmt.Sprintf("/caf/%d/plan#action-%d", c.ID, x.ID), Assignee: work.Assignee{PersonID: x.OwnerID}, Due: due}, true
}

// planCycle reads a cycle for a change of its plan by a manager or the
// leader.
func planCycle(ctx context.Context, tx *sql.Tx, a auth.Actor, cycleID int64, creating bool) (Cycle, error) {
	c, err := manageable(ctx, tx, a, cycleID)
	if err != nil {
		return Cycle{}, err
	}
	switch {
	case c.State == StateCancelled:
		return Cycle{}, apperr.Conflict("caf.error.not_open")
	case creating && c.State != StateConsensus && c.State != StateImproving:
		// Actions are drawn from the areas for improvement the group agreed.
		return Cycle{}, apperr.Conflict("caf.error.plan_not_open")
	}
	return c, nil
}

func checkOwner(ctx context.Context, q querier, tenant, owner int64) error {
	if owner == 0 {
		return nil
	}
	if ok, err := activePerson(ctx, q, tenant, owner); err != nil {
		return err
	} else if !ok {
		return apperr.Validation{"caf_action_owner": "error.choice"}
	}
	return nil
}

// CreateAction adds an action; with an owner and a due date it is a task
// in the owner's inbox. The cycle must be in consensus or improving.
func (s *Service) CreateAction(ctx context.Context, a auth.Actor, cycleID int64, in ActionInput) (Action, error) {
	now := s.Clock.Now()
	var out Action
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		c, err := planCycle(ctx, tx, a, cycleID, true)
		if err != nil {
			return err
		}
		if err := in.validate(c.CAF()); err != nil {
			return err
		}
		if in.State != ActionOpen {
			return apperr.Validation{"caf_action_state": "error.choice"}
		}
		if err := checkOwner(ctx, tx, a.Tenant, in.OwnerID); err != nil {
			return err
		}
		var id int64
		if err := tx.QueryRowContext(ctx, `INSERT INTO caf_actions (tenant_id, cycle_id, subcriterion, title, description, impact, ease, owner_id, due_on, state,
				created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11) RETURNING id`,
			a.Tenant, cycleID, in.Sub, in.Title, in.Description, in.Impact, in.Ease, nullID(in.OwnerID), in.DueOn, ActionOpen, now).Scan(&id); err != nil {
			return fmt.Errorf("cannot record CAF action: %w", err)
		}
		if out, err = getAction(ctx, tx, a.Tenant, cycleID, id); err != nil {
			return err
		}
		if t, ok := actionTask(c, out); ok {
			if _, err := s.Work.Assign(ctx, tx, a, t); err != nil {
				return err
			}
		}
		if err := touch(ctx, tx, a.Tenant, cycleID, now); err != nil {
			return err
		}
		return audit.Record(ctx, tx, now, audit.Event{Tenant: a.Tenant, Actor: a.Audit(), Action: audit.ActionCreate, Entity: EntityAction, EntityID: id,
			Summary: c.Code + ": " + clip(out.Title, 120), After: out})
	})
	return out, err
}

// UpdateAction changes an action (state done or cancelled closes its task).
// Done records today as the day it was done; reopened, the day is cleared.
func (s *Service) UpdateAction(ctx context.Context, a auth.Actor, cycleID, id int64, in ActionInput) (Action, error) {
	now := s.Clock.Now()
	var out Action
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		c, err := planCycle(ctx, tx, a, cycleID, false)
		if err != nil {
			return err
		}
		if err := in.validate(c.CAF()); err != nil {
			return err
		}
		before, err := getAction(ctx, tx, a.Tenant, cycleID, id)
		if err != nil {
			return err
		}
		if before.Version != in.Version {
			return apperr.Stale()
		}
		if err := checkOwner(ctx, tx, a.Tenant, in.OwnerID); err != nil {
			return err
		}
		done := before.DoneOn
		switch {
		case in.State == ActionDone && before.State != ActionDone:
			done = work.Day(now).Format(time.DateOnly)
		case in.State != ActionDone:
			done = ""
		}
		res, err := tx.ExecContext(ctx, `UPDATE caf_actions SET subcriterion = $1, title = $2, description = $3, impact = $4, ease = $5, owner_id = $6, due_on = $7,
				state = $8, done_on = $9, updated_at = $10, version = version + 1
			WHERE tenant_id = $11 AND cycle_id = $12 AND id = $13 AND version = $14`,
			in.Sub, in.Title, in.Description, in.Impact, in.Ease, nullID(in.OwnerID), in.DueOn, in.State, done, now, a.Tenant, cycleID, id, in.Version)
		if err != nil {
			return fmt.Errorf("cannot update CAF action: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return apperr.Stale()
		}
		if out, err = getAction(ctx, tx, a.Tenant, cycleID, id); err != nil {
			return err
		}
		if before.OwnerID != out.OwnerID || before.DueOn != out.DueOn || before.State != out.State || before.Title != out.Title {
			closed := work.StateCancelled
			if out.State == ActionDone {
				closed = work.StateDone
			}
			if _, err := s.Work.Close(ctx, tx, a, work.Selector{Ref: actionRef(id)}, closed); err != nil {
				return err
			}
			if t, ok := actionTask(c, out); ok {
				if _, err := s.Work.Assign(ctx, tx, a, t); err != nil {
					return err
				}
			}
		}
		if err := touch(ctx, tx, a.Tenant, cycleID, now); err != nil {
			return err
		}
		return audit.Record(ctx, tx, now, audit.Event{Tenant: a.Tenant, Actor: a.Audit(), Action: audit.ActionUpdate, Entity: EntityAction, EntityID: id,
			Summary: c.Code + ": " + clip(out.Title, 120), Before: before, After: out})
	})
	return out, err
}

// RaiseCase opens a case in the improvement register for an action (as an
// improvement opportunity, linked back to the cycle) in the same
// transaction, once.
func (s *Service) RaiseCase(ctx context.Context, a auth.Actor, cycleID, id int64) (Action, error) {
	if s.Improve == nil {
		return Action{}, errors.New("cannot raise a case: the improvement register is not wired")
	}
	now := s.Clock.Now()
	var out Action
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		c, err := planCycle(ctx, tx, a, cycleID, false)
		if err != nil {
			return err
		}
		before, err := getAction(ctx, tx, a.Tenant, cycleID, id)
		if err != nil {
			return err
		}
		if before.CaseID != 0 {
			return apperr.Conflict("caf.error.case_exists")
		}
		if before.State == ActionCancelled {
			return apperr.Conflict("caf.error.action_cancelled")
		}
		desc := before.Description
		ref := c.Code
		if before.Sub != "" {
			ref += ", subcriteriul " + before.Sub
		}
		if desc != "" {
			desc += "\n\n"
		}
		desc += "Acțiune din planul de îmbunătățire al autoevaluării CAF " + ref + "."
		nc, err := s.Improve.Raise(ctx, tx, a, improvement.NCInput{Title: clip(before.Title, improvement.MaxTitle), Description: desc,
			Source: improvement.SourceOther, SourceRef: clip(ref, improvement.MaxShort), SourceModule: Module, SourceEntity: EntityAction, SourceID: id,
			Process: "Autoevaluare CAF", UnitID: c.UnitID, Severity: improvement.SeverityOpportunity})
		if err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `UPDATE caf_actions SET case_id = $1, updated_at = $2, version = version + 1 WHERE tenant_id = $3 AND id = $4 AND case_id IS NULL`,
			nc.ID, now, a.Tenant, id)
		if err != nil {
			return fmt.Errorf("cannot link CAF action: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return apperr.Conflict("caf.error.case_exists")
		}
		if out, err = getAction(ctx, tx, a.Tenant, cycleID, id); err != nil {
			return err
		}
		return audit.Record(ctx, tx, now, audit.Event{Tenant: a.Tenant, Actor: a.Audit(), Action: audit.ActionUpdate, Entity: EntityAction, EntityID: id,
			Summary: c.Code + ": " + clip(out.Title, 120) + " → " + nc.Code, Before: before, After: out})
	})
	return out, err
}
