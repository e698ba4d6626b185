package improvement

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"cadran/internal/apperr"
	"cadran/internal/audit"
	"cadran/internal/auth"
	"cadran/internal/textutil"
	"cadran/internal/work"
)

// Action is a corrective action of a nonconformity or an improvement action
// of a proposal: what to do, who does it, by when, and what was done.
type Action struct {
	ID          int64  `json:"id"`
	Tenant      int64  `json:"tenant_id"`
	NCID        int64  `json:"nc_id,omitempty"`
	ProposalID  int64  `json:"proposal_id,omitempty"`
	Description string `json:"description"`
	OwnerID     int64  `json:"owner_id,omitempty"`
	// OwnerName is the owner's name: the person's, or as an imported log
	// wrote it when no person matched.
	OwnerName string    `json:"owner_name,omitempty"`
	DueOn     string    `json:"due_on,omitempty"`
	State     string    `json:"state"`
	DoneNote  string    `json:"done_note,omitempty"`
	DoneOn    string    `json:"done_on,omitempty"`
	DoneBy    string    `json:"done_by,omitempty"`
	CreatedAt time.Time `json:"-"`
	UpdatedAt time.Time `json:"-"`
	Version   int       `json:"version"`
}

// Overdue reports whether the action is open past its due day.
func (x Action) Overdue(today time.Time) bool {
	return x.State == ActionOpen && x.DueOn != "" && x.DueOn < today.Format(time.DateOnly)
}

// ActionInput is the form of an action.
type ActionInput struct {
	Description string
	OwnerID     int64
	DueOn       string // YYYY-MM-DD
	Version     int
}

// Validate checks the input; a due day may not be in the past.
func (in *ActionInput) Validate(today time.Time) error {
	v := apperr.Validation{}
	in.Description = textutil.CleanText(in.Description)
	switch {
	case in.Description == "":
		v.Add("description", "error.required")
	case utf8.RuneCountInString(in.Description) > 2000:
		v.Add("description", "error.too_long")
	}
	if in.OwnerID == 0 {
		v.Add("owner_id", "error.required")
	}
	in.DueOn = strings.TrimSpace(in.DueOn)
	if d, ok := parseDay(in.DueOn); in.DueOn == "" {
		v.Add("due", "error.required")
	} else if !ok {
		v.Add("due", "error.date")
	} else if d.Before(today) {
		v.Add("due", "nc.error.past")
	}
	return v.Err()
}

// DoneInput records what was done.
type DoneInput struct {
	Note    string
	Version int
}

// parent is the record an action belongs to.
type parent struct {
	proposal bool
	id       int64
}

func parentNC(id int64) parent       { return parent{id: id} }
func parentProposal(id int64) parent { return parent{proposal: true, id: id} }

func (p parent) column() string {
	if p.proposal {
		return "proposal_id"
	}
	return "nc_id"
}

// parentState is what the rules on actions need of their record.
type parentState struct {
	code, title, link, severity string
	// stage: actions may be planned at this stage; plan: by this actor.
	stage, plan bool
	// live: the actions are being carried out: they may be marked done and
	// open ones have inbox tasks.
	live bool
}

func (s *Service) parentState(ctx context.Context, q querier, a auth.Actor, p parent) (parentState, error) {
	if p.proposal {
		pr, err := getProposal(ctx, q, a.Tenant, p.id)
		if err != nil {
			return parentState{}, err
		}
		stage := pr.State == PropSubmitted || pr.State == PropEvaluation || pr.State == PropAccepted
		return parentState{code: pr.Code, title: pr.Title, link: proposalLink(pr.ID), stage: stage, plan: stage && manages(a), live: pr.State == PropAccepted}, nil
	}
	n, err := getNC(ctx, q, a.Tenant, p.id)
	if err != nil {
		return parentState{}, err
	}
	live := n.State == StateAnalysis || n.State == StateActions
	return parentState{code: n.Code, title: n.Title, link: ncLink(n.ID), severity: n.Severity, stage: live, plan: live && owns(a, n), live: live}, nil
}

const actionColumns = `x.id, x.tenant_id, COALESCE(x.nc_id, 0), COALESCE(x.proposal_id, 0), x.description, COALESCE(x.owner_id, 0),
	COALESCE(p.full_name, x.owner_name), x.due_on, x.state, x.done_note, x.done_on, x.done_by, x.created_at, x.updated_at, x.version`

const actionFrom = ` FROM improvement_actions x LEFT JOIN people p ON p.id = x.owner_id`

func scanAction(row interface{ Scan(...any) error }) (Action, error) {
	var x Action
	err := row.Scan(&x.ID, &x.Tenant, &x.NCID, &x.ProposalID, &x.Description, &x.OwnerID, &x.OwnerName, &x.DueOn, &x.State,
		&x.DoneNote, &x.DoneOn, &x.DoneBy, &x.CreatedAt, &x.UpdatedAt, &x.Version)
	return x, err
}

func getAction(ctx context.Context, q querier, tenant int64, p parent, id int64) (Action, error) {
	x, err := scanAction(q.QueryRowContext(ctx, `SELECT `+actionColumns+actionFrom+` WHERE x.tenant_id = $1 AND x.id = $2 AND x.`+p.column()+` = $3`, tenant, id, p.id))
	if errors.Is(err, sql.ErrNoRows) {
		return Action{}, apperr.NotFound("action")
	}
	if err != nil {
		return Action{}, fmt.Errorf("cannot read action: %w", err)
	}
	return x, nil
}

func actionsOf(ctx context.Context, q querier, tenant int64, p parent) ([]Action, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+actionColumns+actionFrom+` WHERE x.tenant_id = $1 AND x.`+p.column()+` = $2 ORDER BY x.id`, tenant, p.id)
	if err != nil {
		return nil, fmt.Errorf("cannot read actions: %w", err)
	}
	defer rows.Close()
	var out []Action
	for rows.Next() {
		x, err := scanAction(rows)
		if err != nil {
			return nil, fmt.Errorf("cannot read actions: %w", err)
		}
		out = append(out, x)
	}
	return out, rows.Err()
}

// actionTask is the inbox task of an open action.
func actionTask(ps parentState, x Action) work.NewTask {
	due, _ := parseDay(x.DueOn)
	title := ps.code + ": " + x.Description
	if r := []rune(title); len(r) > 290 {
		title = string(r[:289]) + "…"
	}
	return work.NewTask{Ref: actionRef(x.ID), Kind: work.KindAct, Title: title, Link: ps.link + fmt.Sprintf("#action-%d", x.ID),
		Assignee: work.Assignee{PersonID: x.OwnerID}, Due: due, Priority: priorityOf(ps.severity)}
}

// refresh keeps a case's summary of its open actions (the earliest due day
// and how many) in step with them, for the list's filters and sorting.
func refresh(ctx context.Context, tx *sql.Tx, tenant int64, p parent) error {
	if p.proposal {
		return nil
	}
	_, err := tx.ExecContext(ctx, `UPDATE nonconformities SET
			next_due = COALESCE((SELECT MIN(due_on) FROM improvement_actions WHERE tenant_id = $1 AND nc_id = $2 AND state = $3), ''),
			open_actions = (SELECT COUNT(*) FROM improvement_actions WHERE tenant_id = $1 AND nc_id = $2 AND state = $3)
		WHERE tenant_id = $1 AND id = $2`, tenant, p.id, ActionOpen)
	if err != nil {
		return fmt.Errorf("cannot update the case's actions: %w", err)
	}
	return nil
}

// AddAction plans a corrective action of a case: its owner or the quality
// office, while the case is in analysis or its actions are carried out.
// The action's owner gets it in their inbox, due on its day.
func (s *Service) AddAction(ctx context.Context, a auth.Actor, ncID int64, in ActionInput) (Action, error) {
	return s.addAction(ctx, a, parentNC(ncID), in)
}

// AddProposalAction plans an improvement action of a proposal: the quality
// office, until the proposal is decided or implemented. Its owner gets it
// once the proposal is accepted.
func (s *Service) AddProposalAction(ctx context.Context, a auth.Actor, proposalID int64, in ActionInput) (Action, error) {
	return s.addAction(ctx, a, parentProposal(proposalID), in)
}

func (s *Service) addAction(ctx context.Context, a auth.Actor, p parent, in ActionInput) (Action, error) {
	if err := in.Validate(work.Day(s.Clock.Now())); err != nil {
		return Action{}, err
	}
	var x Action
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		var err error
		x, err = s.addActionTx(ctx, tx, a, p, in)
		return err
	})
	return x, err
}

// AddActionTx is AddAction inside the caller's transaction.
func (s *Service) AddActionTx(ctx context.Context, tx *sql.Tx, a auth.Actor, ncID int64, in ActionInput) (Action, error) {
	return s.addActionTx(ctx, tx, a, parentNC(ncID), in)
}

// AddProposalActionTx is AddProposalAction inside the caller's transaction.
func (s *Service) AddProposalActionTx(ctx context.Context, tx *sql.Tx, a auth.Actor, proposalID int64, in ActionInput) (Action, error) {
	return s.addActionTx(ctx, tx, a, parentProposal(proposalID), in)
}

func (s *Service) addActionTx(ctx context.Context, tx *sql.Tx, a auth.Actor, p parent, in ActionInput) (Action, error) {
	now := s.Clock.Now()
	if err := in.Validate(work.Day(now)); err != nil {
		return Action{}, err
	}
	var x Action
	err := func() error {
		ps, err := s.parentState(ctx, tx, a, p)
		if err != nil {
			return err
		}
		if !ps.plan {
			return refuse(a, ps)
		}
		if err := checkRefs(ctx, tx, a.Tenant, 0, map[string]int64{"owner_id": in.OwnerID}); err != nil {
			return err
		}
		var ncID, propID int64
		if p.proposal {
			propID = p.id
		} else {
			ncID = p.id
		}
		var id int64
		if err := tx.QueryRowContext(ctx, `INSERT INTO improvement_actions (tenant_id, nc_id, proposal_id, description, owner_id, due_on, state, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) RETURNING id`, a.Tenant, nullID(ncID), nullID(propID), in.Description, in.OwnerID, in.DueOn, ActionOpen, now).Scan(&id); err != nil {
			return fmt.Errorf("cannot add action: %w", err)
		}
		if x, err = getAction(ctx, tx, a.Tenant, p, id); err != nil {
			return err
		}
		if err := refresh(ctx, tx, a.Tenant, p); err != nil {
			return err
		}
		if err := audit.Record(ctx, tx, now, audit.Event{Tenant: a.Tenant, Actor: a.Audit(), Action: audit.ActionCreate, Entity: "improvement_action", EntityID: id,
			Summary: ps.code, After: x}); err != nil {
			return err
		}
		if ps.live {
			_, err = s.Work.Assign(ctx, tx, a, actionTask(ps, x))
		}
		return err
	}()
	return x, err
}

// refuse explains why actions may not change: the record is past the
// stage, or the actor is not the one to plan them.
// plannedAction reads p's state and an open action of p at version for a
// change of plan (edit, cancel), which only those who plan p's actions may
// make.
func (s *Service) plannedAction(ctx context.Context, tx *sql.Tx, a auth.Actor, p parent, id int64, version int) (parentState, Action, error) {
	ps, err := s.parentState(ctx, tx, a, p)
	if err != nil {
		return ps, Action{}, err
	}
	before, err := getAction(ctx, tx, a.Tenant, p, id)
	if err != nil {
		return ps, Action{}, err
	}
	switch {
	case !ps.plan:
		return ps, Action{}, refuse(a, ps)
	case before.State != ActionOpen:
		return ps, Action{}, apperr.Conflict("nc.error.action_closed")
	case before.Version != version:
		return ps, Action{}, apperr.Stale()
	}
	return ps, before, nil
}

func refuse(a auth.Actor, ps parentState) error {
	if ps.stage {
		return apperr.Forbidden("nc.owner")
	}
	return apperr.Conflict("nc.error.actions_closed")
}

// UpdateAction changes an open action of a case (what, who, by when); a
// stale Version is refused. A new owner or day moves its inbox task.
func (s *Service) UpdateAction(ctx context.Context, a auth.Actor, ncID, actionID int64, in ActionInput) (Action, error) {
	return s.updateAction(ctx, a, parentNC(ncID), actionID, in)
}

func (s *Service) updateAction(ctx context.Context, a auth.Actor, p parent, id int64, in ActionInput) (Action, error) {
	now := s.Clock.Now()
	if err := in.Validate(work.Day(now)); err != nil {
		return Action{}, err
	}
	var x Action
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		ps, before, err := s.plannedAction(ctx, tx, a, p, id, in.Version)
		if err != nil {
			return err
		}
		if err := checkRefs(ctx, tx, a.Tenant, 0, map[string]int64{"owner_id": in.OwnerID}); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `UPDATE improvement_actions SET description = $1, owner_id = $2, owner_name = '', due_on = $3, updated_at = $4, version = version + 1
			WHERE tenant_id = $5 AND id = $6 AND version = $7`, in.Description, in.OwnerID, in.DueOn, now, a.Tenant, id, in.Version)
		if err != nil {
			return fmt.Errorf("cannot change action: %w", err)
		}
		if k, _ := res.RowsAffected(); k == 0 {
			return apperr.Stale()
		}
		if x, err = getAction(ctx, tx, a.Tenant, p, id); err != nil {
			return err
		}
		if err := refresh(ctx, tx, a.Tenant, p); err != nil {
			return err
		}
		if err := audit.Record(ctx, tx, now, audit.Event{Tenant: a.Tenant, Actor: a.Audit(), Action: audit.ActionUpdate, Entity: "improvement_action", EntityID: id,
			Summary: ps.code, Before: before, After: x}); err != nil {
			return err
		}
		if ps.live && (x.OwnerID != before.OwnerID || x.DueOn != before.DueOn || x.Description != before.Description) {
			if _, err := s.Work.Close(ctx, tx, a, work.Selector{Ref: actionRef(id)}, work.StateCancelled); err != nil {
				return err
			}
			_, err = s.Work.Assign(ctx, tx, a, actionTask(ps, x))
		}
		return err
	})
	return x, err
}

// CompleteAction records a case's action as done, with what was done: its
// owner, the case's owner or the quality office, while the actions are
// carried out. Its inbox task closes with it.
func (s *Service) CompleteAction(ctx context.Context, a auth.Actor, ncID, actionID int64, in DoneInput) (Action, error) {
	return s.completeAction(ctx, a, parentNC(ncID), actionID, in)
}

// CompleteProposalAction records a proposal's action as done; when it was
// the last open one, the proposal is implemented.
func (s *Service) CompleteProposalAction(ctx context.Context, a auth.Actor, proposalID, actionID int64, in DoneInput) (Action, error) {
	return s.completeAction(ctx, a, parentProposal(proposalID), actionID, in)
}

func (s *Service) completeAction(ctx context.Context, a auth.Actor, p parent, id int64, in DoneInput) (Action, error) {
	in.Note = textutil.CleanText(in.Note)
	switch {
	case in.Note == "":
		return Action{}, apperr.Validation{"done_note": "nc.error.done_note"}
	case utf8.RuneCountInString(in.Note) > MaxNote:
		return Action{}, apperr.Validation{"done_note": "error.too_long"}
	}
	var x Action
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		var err error
		x, err = s.completeActionTx(ctx, tx, a, p, id, in)
		return err
	})
	return x, err
}

// CompleteActionTx is CompleteAction inside the caller's transaction.
func (s *Service) CompleteActionTx(ctx context.Context, tx *sql.Tx, a auth.Actor, ncID, actionID int64, in DoneInput) (Action, error) {
	return s.completeActionTx(ctx, tx, a, parentNC(ncID), actionID, in)
}

// CompleteProposalActionTx is CompleteProposalAction inside the caller's
// transaction.
func (s *Service) CompleteProposalActionTx(ctx context.Context, tx *sql.Tx, a auth.Actor, proposalID, actionID int64, in DoneInput) (Action, error) {
	return s.completeActionTx(ctx, tx, a, parentProposal(proposalID), actionID, in)
}

func (s *Service) completeActionTx(ctx context.Context, tx *sql.Tx, a auth.Actor, p parent, id int64, in DoneInput) (Action, error) {
	in.Note = textutil.CleanText(in.Note)
	switch {
	case in.Note == "":
		return Action{}, apperr.Validation{"done_note": "nc.error.done_note"}
	case utf8.RuneCountInString(in.Note) > MaxNote:
		return Action{}, apperr.Validation{"done_note": "error.too_long"}
	}
	now := s.Clock.Now()
	var x Action
	err := func() error {
		ps, err := s.parentState(ctx, tx, a, p)
		if err != nil {
			return err
		}
		before, err := getAction(ctx, tx, a.Tenant, p, id)
		if err != nil {
			return err
		}
		if !ps.plan && !(a.PersonID != 0 && a.PersonID == before.OwnerID && a.Can(auth.PermImproveReport)) {
			return apperr.Forbidden("nc.action_owner")
		}
		if !ps.live {
			return apperr.Conflict("nc.error.actions_closed")
		}
		if before.State != ActionOpen {
			return apperr.Conflict("nc.error.action_closed")
		}
		if before.Version != in.Version {
			return apperr.Stale()
		}
		res, err := tx.ExecContext(ctx, `UPDATE improvement_actions SET state = $1, done_note = $2, done_on = $3, done_by = $4, updated_at = $5, version = version + 1
			WHERE tenant_id = $6 AND id = $7 AND version = $8`, ActionDone, in.Note, work.Day(now).Format(time.DateOnly), a.Name, now, a.Tenant, id, in.Version)
		if err != nil {
			return fmt.Errorf("cannot complete action: %w", err)
		}
		if k, _ := res.RowsAffected(); k == 0 {
			return apperr.Stale()
		}
		if x, err = getAction(ctx, tx, a.Tenant, p, id); err != nil {
			return err
		}
		if err := refresh(ctx, tx, a.Tenant, p); err != nil {
			return err
		}
		if err := audit.Record(ctx, tx, now, audit.Event{Tenant: a.Tenant, Actor: a.Audit(), Action: audit.ActionComplete, Entity: "improvement_action", EntityID: id,
			Summary: ps.code, Before: before, After: x}); err != nil {
			return err
		}
		if _, err := s.Work.Close(ctx, tx, a, work.Selector{Ref: actionRef(id)}, work.StateDone); err != nil {
			return err
		}
		if p.proposal {
			return s.implementIfDone(ctx, tx, a, p.id, now)
		}
		return nil
	}()
	return x, err
}

// CancelAction drops an open action of a case that is no longer needed:
// the case's owner or the quality office. Its inbox task is cancelled.
func (s *Service) CancelAction(ctx context.Context, a auth.Actor, ncID, actionID int64, version int) (Action, error) {
	now := s.Clock.Now()
	p := parentNC(ncID)
	var x Action
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		ps, before, err := s.plannedAction(ctx, tx, a, p, actionID, version)
		if err != nil {
			return err
		}
		if err := setActionState(ctx, tx, a, before, ActionCancelled, now); err != nil {
			return err
		}
		if x, err = getAction(ctx, tx, a.Tenant, p, actionID); err != nil {
			return err
		}
		if err := refresh(ctx, tx, a.Tenant, p); err != nil {
			return err
		}
		if err := audit.Record(ctx, tx, now, audit.Event{Tenant: a.Tenant, Actor: a.Audit(), Action: audit.ActionCancel, Entity: "improvement_action", EntityID: actionID,
			Summary: ps.code, Before: before, After: x}); err != nil {
			return err
		}
		_, err = s.Work.Close(ctx, tx, a, work.Selector{Ref: actionRef(actionID)}, work.StateCancelled)
		return err
	})
	return x, err
}

func setActionState(ctx context.Context, tx *sql.Tx, a auth.Actor, x Action, state string, now time.Time) error {
	res, err := tx.ExecContext(ctx, `UPDATE improvement_actions SET state = $1, updated_at = $2, version = version + 1 WHERE tenant_id = $3 AND id = $4 AND version = $5`,
		state, now, a.Tenant, x.ID, x.Version)
	if err != nil {
		return fmt.Errorf("cannot change action: %w", err)
	}
	if k, _ := res.RowsAffected(); k == 0 {
		return apperr.Stale()
	}
	return nil
}

// cancelOpenActions cancels the open actions of a record that was
// declined or cancelled, with their tasks.
func (s *Service) cancelOpenActions(ctx context.Context, tx *sql.Tx, a auth.Actor, p parent, now time.Time) error {
	list, err := actionsOf(ctx, tx, a.Tenant, p)
	if err != nil {
		return err
	}
	for _, x := range list {
		if x.State != ActionOpen {
			continue
		}
		if err := setActionState(ctx, tx, a, x, ActionCancelled, now); err != nil {
			return err
		}
		after := x
		after.State, after.Version = ActionCancelled, x.Version+1
		if err := audit.Record(ctx, tx, now, audit.Event{Tenant: a.Tenant, Actor: a.Audit(), Action: audit.ActionCancel, Entity: "improvement_action", EntityID: x.ID,
			Summary: "cancel", Before: x, After: after}); err != nil {
			return err
		}
		if _, err := s.Work.Close(ctx, tx, a, work.Selector{Ref: actionRef(x.ID)}, work.StateCancelled); err != nil {
			return err
		}
	}
	return refresh(ctx, tx, a.Tenant, p)
}
