package reviews

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
	"cadran/internal/evidence"
	"cadran/internal/textutil"
	"cadran/internal/work"
)

// Decision is an output of the review (ISO 9001 9.3.3): an improvement
// opportunity, a change needed to the QMS or a resource need.
type Decision struct {
	ID        int64     `json:"id"`
	ReviewID  int64     `json:"review_id"`
	Category  string    `json:"category"`
	Input     string    `json:"input,omitempty"` // the input it answers, optional
	Text      string    `json:"text"`
	CreatedAt time.Time `json:"-"`
	Version   int       `json:"version"`
}

// DecisionInput is the form of a decision.
type DecisionInput struct {
	Category string
	Input    string
	Text     string
}

// Validate checks the input.
func (in *DecisionInput) Validate() error {
	v := apperr.Validation{}
	in.Text = strings.TrimSpace(textutil.CleanText(in.Text))
	if !slices.Contains(DecisionCategories, in.Category) {
		v.Add("review_category", "error.choice")
	}
	if in.Input != "" && !slices.Contains(evidence.Inputs, in.Input) {
		v.Add("review_input", "error.choice")
	}
	switch {
	case in.Text == "":
		v.Add("review_decision", "error.required")
	case utf8.RuneCountInString(in.Text) > MaxNote:
		v.Add("review_decision", "error.too_long")
	}
	return v.Err()
}

// Action is an action decided by the review, with its owner and due day.
type Action struct {
	ID           int64     `json:"id"`
	ReviewID     int64     `json:"review_id"`
	DecisionID   int64     `json:"decision_id,omitempty"`
	Description  string    `json:"description"`
	OwnerID      int64     `json:"owner_id"`
	DueOn        string    `json:"due_on"`
	State        string    `json:"state"`
	DoneNote     string    `json:"done_note,omitempty"`
	DoneOn       string    `json:"done_on,omitempty"`
	DoneBy       string    `json:"done_by,omitempty"`
	CancelReason string    `json:"cancel_reason,omitempty"`
	CreatedAt    time.Time `json:"-"`
	UpdatedAt    time.Time `json:"-"`
	Version      int       `json:"version"`
	// Filled in by reads.
	OwnerName   string `json:"-"`
	ReviewCode  string `json:"-"`
	ReviewTitle string `json:"-"`
	Decision    string `json:"-"`
}

// Overdue reports whether the action is open past its due day.
func (x Action) Overdue(today time.Time) bool {
	return x.State == ActionOpen && x.DueOn < today.Format(time.DateOnly)
}

// ActionInput is the form of an action.
type ActionInput struct {
	DecisionID  int64
	Description string
	OwnerID     int64
	DueOn       string
}

// Validate checks the input; a due day may not be in the past.
func (in *ActionInput) Validate(today time.Time) error {
	v := apperr.Validation{}
	in.Description = strings.TrimSpace(textutil.CleanText(in.Description))
	switch {
	case in.Description == "":
		v.Add("description", "error.required")
	case utf8.RuneCountInString(in.Description) > 2000:
		v.Add("description", "error.too_long")
	}
	if in.OwnerID == 0 {
		v.Add("owner_id", "error.required")
	}
	if d, ok := parseDay(in.DueOn); strings.TrimSpace(in.DueOn) == "" {
		v.Add("due", "error.required")
	} else if !ok {
		v.Add("due", "error.date")
	} else if d.Before(today) {
		v.Add("due", "reviews.error.past")
	} else {
		in.DueOn = d.Format(time.DateOnly)
	}
	return v.Err()
}

const decisionColumns = `id, review_id, category, input, text, created_at, version`

func decisionsOf(ctx context.Context, q querier, tenant, review int64) ([]Decision, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+decisionColumns+` FROM review_decisions WHERE tenant_id = $1 AND review_id = $2 ORDER BY id`, tenant, review)
	if err != nil {
		return nil, fmt.Errorf("cannot read decisions: %w", err)
	}
	defer rows.Close()
	var out []Decision
	for rows.Next() {
		var d Decision
		if err := rows.Scan(&d.ID, &d.ReviewID, &d.Category, &d.Input, &d.Text, &d.CreatedAt, &d.Version); err != nil {
			return nil, fmt.Errorf("cannot read decisions: %w", err)
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

const actionColumns = `x.id, x.review_id, COALESCE(x.decision_id, 0), x.description, x.owner_id, x.due_on, x.state, x.done_note, x.done_on, x.done_by,
	x.cancel_reason, x.created_at, x.updated_at, x.version, COALESCE(p.full_name, ''), r.code, r.title, COALESCE(d.text, '')`

const actionFrom = ` FROM review_actions x
	JOIN reviews r ON r.tenant_id = x.tenant_id AND r.id = x.review_id
	LEFT JOIN people p ON p.tenant_id = x.tenant_id AND p.id = x.owner_id
	LEFT JOIN review_decisions d ON d.tenant_id = x.tenant_id AND d.id = x.decision_id`

func scanAction(row interface{ Scan(...any) error }) (Action, error) {
	var x Action
	err := row.Scan(&x.ID, &x.ReviewID, &x.DecisionID, &x.Description, &x.OwnerID, &x.DueOn, &x.State, &x.DoneNote, &x.DoneOn, &x.DoneBy,
		&x.CancelReason, &x.CreatedAt, &x.UpdatedAt, &x.Version, &x.OwnerName, &x.ReviewCode, &x.ReviewTitle, &x.Decision)
	return x, err
}

func scanActions(rows *sql.Rows) ([]Action, error) {
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

func getAction(ctx context.Context, q querier, tenant, review, id int64) (Action, error) {
	x, err := scanAction(q.QueryRowContext(ctx, `SELECT `+actionColumns+actionFrom+` WHERE x.tenant_id = $1 AND x.review_id = $2 AND x.id = $3`, tenant, review, id))
	if errors.Is(err, sql.ErrNoRows) {
		return Action{}, apperr.NotFound("review_action")
	}
	if err != nil {
		return Action{}, fmt.Errorf("cannot read action: %w", err)
	}
	return x, nil
}

func actionsOf(ctx context.Context, q querier, tenant, review int64) ([]Action, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+actionColumns+actionFrom+` WHERE x.tenant_id = $1 AND x.review_id = $2 ORDER BY x.id`, tenant, review)
	if err != nil {
		return nil, fmt.Errorf("cannot read actions: %w", err)
	}
	return scanActions(rows)
}

// Outputs are a review's decisions and actions.
type Outputs struct {
	Decisions []Decision
	Actions   []Action
}

// Outputs returns the decisions and actions of a review.
func (s *Service) Outputs(ctx context.Context, a auth.Actor, id int64) (Outputs, error) {
	if err := a.Require(auth.PermReviewsView); err != nil {
		return Outputs{}, err
	}
	var out Outputs
	var err error
	if out.Decisions, err = decisionsOf(ctx, s.DB.R, a.Tenant, id); err != nil {
		return out, err
	}
	out.Actions, err = actionsOf(ctx, s.DB.R, a.Tenant, id)
	return out, err
}

// heldReview reads a review whose outputs may change: the meeting was held
// and the minutes are not approved yet.
func heldReview(ctx context.Context, tx *sql.Tx, a auth.Actor, id int64) (Review, error) {
	if err := a.Require(auth.PermReviewsManage); err != nil {
		return Review{}, err
	}
	r, err := getReview(ctx, tx, a.Tenant, id)
	if err != nil {
		return Review{}, err
	}
	if r.State != StateHeld {
		return Review{}, apperr.Conflict("reviews.error.not_held")
	}
	return r, nil
}

// AddDecision records an output of the meeting.
func (s *Service) AddDecision(ctx context.Context, a auth.Actor, id int64, in DecisionInput) (Decision, error) {
	if err := a.Require(auth.PermReviewsManage); err != nil {
		return Decision{}, err
	}
	if err := in.Validate(); err != nil {
		return Decision{}, err
	}
	now := s.Clock.Now()
	var out Decision
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		r, err := heldReview(ctx, tx, a, id)
		if err != nil {
			return err
		}
		if err := tx.QueryRowContext(ctx, `INSERT INTO review_decisions (tenant_id, review_id, category, input, text, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING id`, a.Tenant, id, in.Category, in.Input, in.Text, now).Scan(&out.ID); err != nil {
			return fmt.Errorf("cannot record decision: %w", err)
		}
		out = Decision{ID: out.ID, ReviewID: id, Category: in.Category, Input: in.Input, Text: in.Text, CreatedAt: now, Version: 1}
		return audit.Record(ctx, tx, now, audit.Event{Tenant: a.Tenant, Actor: a.Audit(), Action: audit.ActionCreate, Entity: "review_decision", EntityID: out.ID,
			Summary: r.Code + ": " + clip(in.Text, 120), After: out})
	})
	return out, err
}

// DeleteDecision removes a decision recorded by mistake, while the minutes
// are not approved and no action comes from it.
func (s *Service) DeleteDecision(ctx context.Context, a auth.Actor, id, decisionID int64, version int) error {
	now := s.Clock.Now()
	return s.DB.Tx(ctx, func(tx *sql.Tx) error {
		r, err := heldReview(ctx, tx, a, id)
		if err != nil {
			return err
		}
		list, err := decisionsOf(ctx, tx, a.Tenant, id)
		if err != nil {
			return err
		}
		i := slices.IndexFunc(list, func(d Decision) bool { return d.ID == decisionID })
		if i < 0 {
			return apperr.NotFound("review_decision")
		}
		if list[i].Version != version {
			return apperr.Stale()
		}
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM review_actions WHERE tenant_id = $1 AND decision_id = $2 AND state <> $3`, a.Tenant, decisionID, ActionCancelled).Scan(&n); err != nil {
			return fmt.Errorf("cannot check decision: %w", err)
		}
		if n > 0 {
			return apperr.Conflict("reviews.error.decision_has_actions")
		}
		if _, err := tx.ExecContext(ctx, `UPDATE review_actions SET decision_id = NULL WHERE tenant_id = $1 AND decision_id = $2`, a.Tenant, decisionID); err != nil {
			return fmt.Errorf("cannot delete decision: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM review_decisions WHERE tenant_id = $1 AND id = $2`, a.Tenant, decisionID); err != nil {
			return fmt.Errorf("cannot delete decision: %w", err)
		}
		return audit.Record(ctx, tx, now, audit.Event{Tenant: a.Tenant, Actor: a.Audit(), Action: audit.ActionDelete, Entity: "review_decision", EntityID: decisionID,
			Summary: r.Code + ": " + clip(list[i].Text, 120), Before: list[i]})
	})
}

// actionTask is the inbox task of an open action.
func actionTask(r Review, x Action) work.NewTask {
	due, _ := parseDay(x.DueOn)
	return work.NewTask{Ref: actionRef(x.ID), Kind: work.KindAct, Title: clip(r.Code+": "+x.Description, 290),
		Details: "Acțiune stabilită în analiza efectuată de management " + r.Code + ". Când ați realizat-o, consemnați pe pagina analizei ce s-a făcut.",
		Link:    fmt.Sprintf("%s#action-%d", reviewLink(r.ID), x.ID), Assignee: work.Assignee{PersonID: x.OwnerID}, Due: due}
}

// AddAction records an action decided in the meeting: its owner gets it
// in their inbox, due on its day.
func (s *Service) AddAction(ctx context.Context, a auth.Actor, id int64, in ActionInput) (Action, error) {
	if err := a.Require(auth.PermReviewsManage); err != nil {
		return Action{}, err
	}
	now := s.Clock.Now()
	if err := in.Validate(work.Day(now)); err != nil {
		return Action{}, err
	}
	var out Action
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		r, err := heldReview(ctx, tx, a, id)
		if err != nil {
			return err
		}
		if in.DecisionID != 0 {
			var n int
			if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM review_decisions WHERE tenant_id = $1 AND review_id = $2 AND id = $3`, a.Tenant, id, in.DecisionID).Scan(&n); err != nil {
				return fmt.Errorf("cannot check decision: %w", err)
			}
			if n == 0 {
				return apperr.Validation{"review_decision_id": "error.choice"}
			}
		}
		var ok int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM people WHERE tenant_id = $1 AND id = $2 AND active`, a.Tenant, in.OwnerID).Scan(&ok); err != nil {
			return fmt.Errorf("cannot check owner: %w", err)
		}
		if ok == 0 {
			return apperr.Validation{"owner_id": "error.choice"}
		}
		var aid int64
		if err := tx.QueryRowContext(ctx, `INSERT INTO review_actions (tenant_id, review_id, decision_id, description, owner_id, due_on, state, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) RETURNING id`, a.Tenant, id, nullID(in.DecisionID), in.Description, in.OwnerID, in.DueOn, ActionOpen, now).Scan(&aid); err != nil {
			return fmt.Errorf("cannot record action: %w", err)
		}
		if out, err = getAction(ctx, tx, a.Tenant, id, aid); err != nil {
			return err
		}
		if _, err := s.Work.Assign(ctx, tx, a, actionTask(r, out)); err != nil {
			return err
		}
		return audit.Record(ctx, tx, now, audit.Event{Tenant: a.Tenant, Actor: a.Audit(), Action: audit.ActionCreate, Entity: "review_action", EntityID: aid,
			Summary: r.Code + ": " + clip(out.Description, 120), After: out})
	})
	return out, err
}

// DoneInput records what was done, or why an action is dropped.
type DoneInput struct {
	Note    string
	Version int
}

// CompleteAction records an action as done, with what was done: its owner
// or whoever manages reviews. Its inbox task closes with it.
func (s *Service) CompleteAction(ctx context.Context, a auth.Actor, id, actionID int64, in DoneInput) (Action, error) {
	in.Note = strings.TrimSpace(textutil.CleanText(in.Note))
	switch {
	case in.Note == "":
		return Action{}, apperr.Validation{"done_note": "reviews.error.done_note"}
	case utf8.RuneCountInString(in.Note) > MaxNote:
		return Action{}, apperr.Validation{"done_note": "error.too_long"}
	}
	return s.finishAction(ctx, a, id, actionID, in.Version, ActionDone, in.Note)
}

// CancelAction drops an open action no longer needed, with the reason:
// whoever manages reviews. Its inbox task is cancelled.
func (s *Service) CancelAction(ctx context.Context, a auth.Actor, id, actionID int64, in DoneInput) (Action, error) {
	if err := a.Require(auth.PermReviewsManage); err != nil {
		return Action{}, err
	}
	in.Note = strings.TrimSpace(textutil.CleanText(in.Note))
	switch {
	case in.Note == "":
		return Action{}, apperr.Validation{"reason": "workflow.error.reason_required"}
	case utf8.RuneCountInString(in.Note) > MaxNote:
		return Action{}, apperr.Validation{"reason": "error.too_long"}
	}
	return s.finishAction(ctx, a, id, actionID, in.Version, ActionCancelled, in.Note)
}

// MayComplete reports whether a may record x as done.
func MayComplete(a auth.Actor, x Action) bool {
	return x.State == ActionOpen && (a.Can(auth.PermReviewsManage) || (a.PersonID != 0 && a.PersonID == x.OwnerID))
}

func (s *Service) finishAction(ctx context.Context, a auth.Actor, id, actionID int64, version int, state, note string) (Action, error) {
	now := s.Clock.Now()
	var out Action
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		r, err := getReview(ctx, tx, a.Tenant, id)
		if err != nil {
			return err
		}
		before, err := getAction(ctx, tx, a.Tenant, id, actionID)
		if err != nil {
			return err
		}
		if !a.Can(auth.PermReviewsManage) && !(a.PersonID != 0 && a.PersonID == before.OwnerID) {
			return apperr.Forbidden(string(auth.PermReviewsManage))
		}
		if r.State != StateHeld && r.State != StateClosed {
			return apperr.Conflict("reviews.error.not_held")
		}
		if before.State != ActionOpen {
			return apperr.Conflict("reviews.error.action_closed")
		}
		if before.Version != version {
			return apperr.Stale()
		}
		doneNote, doneOn, doneBy, reason := "", "", "", ""
		if state == ActionDone {
			doneNote, doneOn, doneBy = note, work.Day(now).Format(time.DateOnly), a.Name
		} else {
			reason = note
		}
		res, err := tx.ExecContext(ctx, `UPDATE review_actions SET state = $1, done_note = $2, done_on = $3, done_by = $4, cancel_reason = $5, updated_at = $6, version = version + 1
			WHERE tenant_id = $7 AND id = $8 AND version = $9`, state, doneNote, doneOn, doneBy, reason, now, a.Tenant, actionID, version)
		if err != nil {
			return fmt.Errorf("cannot change action: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return apperr.Stale()
		}
		if out, err = getAction(ctx, tx, a.Tenant, id, actionID); err != nil {
			return err
		}
		taskState, act := work.StateDone, audit.ActionComplete
		if state == ActionCancelled {
			taskState, act = work.StateCancelled, audit.ActionCancel
		}
		if _, err := s.Work.Close(ctx, tx, a, work.Selector{Ref: actionRef(actionID)}, taskState); err != nil {
			return err
		}
		return audit.Record(ctx, tx, now, audit.Event{Tenant: a.Tenant, Actor: a.Audit(), Action: act, Entity: "review_action", EntityID: actionID,
			Summary: r.Code + ": " + clip(out.Description, 120), Before: before, After: out})
	})
	return out, err
}
