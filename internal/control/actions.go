package control

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"cadran/internal/apperr"
	"cadran/internal/audit"
	"cadran/internal/auth"
	"cadran/internal/db"
	"cadran/internal/frameworks"
	"cadran/internal/textutil"
	"cadran/internal/work"
)

// Action is an action of a development programme, under one of the 16
// standards; an open one with an owner and a due date is a task in the
// owner's inbox.
type Action struct {
	ID, Tenant  int64
	ProgrammeID int64
	ObjectiveID int64 // 0: none
	Standard    int   // 1 to 16
	Title       string
	Description string
	OwnerID     int64 // 0: none
	UnitID      int64 // 0: none
	DueOn       string
	State       string // ActionOpen, ActionDone, ActionCancelled
	DoneOn      string
	Result      string
	CarriedFrom int64 // the action of last year's programme it carries over
	CreatedAt   time.Time
	UpdatedAt   time.Time
	Version     int
	// Filled in by reads.
	Year                          int
	ProgrammeState                string
	ObjectiveCode, ObjectiveTitle string
	OwnerName, UnitName           string
}

// Overdue reports whether the action is open after its due day (today as
// YYYY-MM-DD).
func (x Action) Overdue(today string) bool {
	return x.State == ActionOpen && x.ProgrammeState != ProgrammeClosed && x.DueOn != "" && x.DueOn < today
}

// Href is the action's page.
func (x Action) Href() string { return actionHref(x.ID) }

// ActionInput creates or changes an action. ProgrammeID is read on
// creation only.
type ActionInput struct {
	ProgrammeID int64
	ObjectiveID int64
	Standard    int
	Title       string
	Description string
	OwnerID     int64
	UnitID      int64
	DueOn       string
	Version     int
}

// ActionMove sets an action's state: done (DoneOn, default today, and
// Result), cancelled, or open again.
type ActionMove struct {
	To      string
	DoneOn  string
	Result  string
	Version int
}

// ActionFilter narrows the actions list, across programmes.
type ActionFilter struct {
	ProgrammeID int64
	Year        int
	Standard    int
	UnitID      int64
	OwnerID     int64
	State       string
	Overdue     bool
	Query       string
	Sort        string // due (default), standard, title, owner, unit, state, year
	Desc        bool
	Page        int
	PerPage     int
}

// ActionSorts lists the actions list's sort keys.
var ActionSorts = []string{"due", "standard", "title", "owner", "unit", "state", "year"}

// ActionStates lists the states of an action (and of a decision).
var ActionStates = []string{ActionOpen, ActionDone, ActionCancelled}

// ActionPage is one page of actions.
type ActionPage struct {
	Items []Action
	Total int
}

// Field names of the action form.
const (
	FieldActionProgramme   = "act_programme_id"
	FieldActionObjective   = "act_objective_id"
	FieldActionStandard    = "act_standard"
	FieldActionTitle       = "act_title"
	FieldActionDescription = "act_description"
	FieldActionOwner       = "act_owner_id"
	FieldActionUnit        = "act_unit_id"
	FieldActionDue         = "act_due_on"
	FieldActionDoneOn      = "act_done_on"
	FieldActionResult      = "act_result"
	FieldActionState       = "act_state"
)

// Task plumbing shared by actions, meetings and decisions.
const workCancelled = work.StateCancelled

func workSel(r work.Ref) work.Selector { return work.Selector{Ref: r} }

func actionRef(id int64) work.Ref   { return work.Ref{Module: Module, Entity: EntityAction, ID: id} }
func meetingRef(id int64) work.Ref  { return work.Ref{Module: Module, Entity: EntityMeeting, ID: id} }
func decisionRef(id int64) work.Ref { return work.Ref{Module: Module, Entity: EntityDecision, ID: id} }

// Validate checks an action's input on its own and normalises it.
func (in *ActionInput) Validate() error {
	v := apperr.Validation{}
	if in.ProgrammeID <= 0 {
		v.Add(FieldActionProgramme, "error.required")
	}
	if in.Standard < 1 || in.Standard > 16 {
		v.Add(FieldActionStandard, "controlprog.error.standard")
	}
	progCheckLine(v, FieldActionTitle, &in.Title, progMaxTitle, true)
	progCheckText(v, FieldActionDescription, &in.Description, progMaxText, false)
	progCheckDay(v, FieldActionDue, &in.DueOn, false)
	return v.Err()
}

const actColumns = `x.id, x.tenant_id, x.programme_id, x.objective_id, x.standard, x.title, x.description, x.owner_id, x.unit_id,
	x.due_on, x.state, x.done_on, x.result, x.carried_from, x.created_at, x.updated_at, x.version,
	p.year, p.state, COALESCE(o.code, ''), COALESCE(o.title, ''), COALESCE(pe.full_name, ''), COALESCE(u.name, '')`

const actFrom = ` FROM control_actions x
	JOIN control_programmes p ON p.tenant_id = x.tenant_id AND p.id = x.programme_id
	LEFT JOIN control_objectives o ON o.tenant_id = x.tenant_id AND o.id = x.objective_id
	LEFT JOIN people pe ON pe.tenant_id = x.tenant_id AND pe.id = x.owner_id
	LEFT JOIN units u ON u.tenant_id = x.tenant_id AND u.id = x.unit_id`

func actScan(row interface{ Scan(...any) error }) (Action, error) {
	var x Action
	var obj, owner, unit, carried sql.NullInt64
	err := row.Scan(&x.ID, &x.Tenant, &x.ProgrammeID, &obj, &x.Standard, &x.Title, &x.Description, &owner, &unit,
		&x.DueOn, &x.State, &x.DoneOn, &x.Result, &carried, &x.CreatedAt, &x.UpdatedAt, &x.Version,
		&x.Year, &x.ProgrammeState, &x.ObjectiveCode, &x.ObjectiveTitle, &x.OwnerName, &x.UnitName)
	x.ObjectiveID, x.OwnerID, x.UnitID, x.CarriedFrom = obj.Int64, owner.Int64, unit.Int64, carried.Int64
	return x, err
}

// actWhere reads the institution's actions matching where (which may use
// $2.. for args and carries its own ORDER BY).
func actWhere(ctx context.Context, q progQuerier, tenant int64, where string, args ...any) ([]Action, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+actColumns+actFrom+` WHERE x.tenant_id = $1`+where, append([]any{tenant}, args...)...)
	if err != nil {
		return nil, fmt.Errorf("cannot list actions: %w", err)
	}
	defer rows.Close()
	var out []Action
	for rows.Next() {
		x, err := actScan(rows)
		if err != nil {
			return nil, fmt.Errorf("cannot read action: %w", err)
		}
		out = append(out, x)
	}
	return out, rows.Err()
}

func actGet(ctx context.Context, q progQuerier, tenant, id int64) (Action, error) {
	x, err := actScan(q.QueryRowContext(ctx, `SELECT `+actColumns+actFrom+` WHERE x.tenant_id = $1 AND x.id = $2`, tenant, id))
	if errors.Is(err, sql.ErrNoRows) {
		return Action{}, apperr.NotFound(EntityAction)
	}
	if err != nil {
		return Action{}, fmt.Errorf("cannot read action: %w", err)
	}
	return x, nil
}

var actSorts = map[string]string{
	"due":      "x.due_on",
	"standard": "x.standard",
	"title":    "x.title",
	"owner":    "pe.sort_name",
	"unit":     "u.name",
	"state":    "x.state",
	"year":     "p.year",
}

// Actions lists actions across programmes.
func (s *Service) Actions(ctx context.Context, a auth.Actor, f ActionFilter) (ActionPage, error) {
	if err := a.Require(auth.PermControlView); err != nil {
		return ActionPage{}, err
	}
	where := ` WHERE x.tenant_id = $1`
	args := []any{a.Tenant}
	add := func(cond string, v any) {
		args = append(args, v)
		where += fmt.Sprintf(" AND "+cond, len(args))
	}
	if f.ProgrammeID > 0 {
		add(`x.programme_id = $%d`, f.ProgrammeID)
	}
	if f.Year > 0 {
		add(`p.year = $%d`, f.Year)
	}
	if f.Standard > 0 {
		add(`x.standard = $%d`, f.Standard)
	}
	if f.UnitID > 0 {
		add(`x.unit_id = $%d`, f.UnitID)
	}
	if f.OwnerID > 0 {
		add(`x.owner_id = $%d`, f.OwnerID)
	}
	if slices.Contains(ActionStates, f.State) {
		add(`x.state = $%d`, f.State)
	}
	if f.Overdue {
		add(`x.state = 'open' AND p.state <> 'closed' AND x.due_on <> '' AND x.due_on < $%d`, progToday(s.Clock.Now()))
	}
	if q := textutil.Fold(strings.TrimSpace(f.Query)); q != "" {
		add(`x.search_text LIKE $%d ESCAPE '\'`, db.LikePattern(q))
	}
	var out ActionPage
	var err error
	out.Items, out.Total, err = db.Page(ctx, s.DB.R, "actions", db.PageQuery{Select: actColumns, From: actFrom + where, Args: args,
		Sorts: actSorts, Sort: f.Sort, Desc: f.Desc, Default: "due", Tail: "x.standard, x.id", Page: f.Page, PerPage: f.PerPage},
		func(r *sql.Rows) (Action, error) { return actScan(r) })
	return out, err
}

// Action reads one action.
func (s *Service) Action(ctx context.Context, a auth.Actor, id int64) (Action, error) {
	x, err := actGet(ctx, s.DB.R, a.Tenant, id)
	if err != nil {
		return Action{}, err
	}
	// Its owner reads the action their task links to, whatever their role.
	if !actOwnedBy(x, a) {
		if err := a.Require(auth.PermControlView); err != nil {
			return Action{}, err
		}
	}
	return x, nil
}

// actOwnedBy reports whether a is the action's owner.
func actOwnedBy(x Action, a auth.Actor) bool { return a.PersonID != 0 && x.OwnerID == a.PersonID }

func actSearch(in ActionInput, result string) string {
	return textutil.Fold(in.Title + " " + in.Description + " " + result)
}

// actCheckRefs refuses an objective of another programme, an owner or a
// unit that is not the institution's.
func actCheckRefs(ctx context.Context, q progQuerier, tenant int64, in ActionInput) error {
	v := apperr.Validation{}
	if in.ObjectiveID != 0 {
		if _, err := objGet(ctx, q, tenant, in.ProgrammeID, in.ObjectiveID); err != nil {
			if apperr.KindOf(err) != apperr.KindNotFound {
				return err
			}
			v.Add(FieldActionObjective, "error.choice")
		}
	}
	for _, c := range []struct {
		err error
	}{{progCheckPerson(ctx, q, tenant, in.OwnerID, FieldActionOwner)}, {progCheckUnit(ctx, q, tenant, in.UnitID, FieldActionUnit)}} {
		if c.err == nil {
			continue
		}
		bad, ok := apperr.AsValidation(c.err)
		if !ok {
			return c.err
		}
		for k, key := range bad {
			v.Add(k, key)
		}
	}
	return v.Err()
}

// actRetask makes x's open task the one it needs: the old one is
// cancelled and, for an open action of a programme not closed with an
// active owner and a due date, a new one assigned.
func (s *Service) actRetask(ctx context.Context, tx *sql.Tx, a auth.Actor, x Action) error {
	if _, err := s.Work.Close(ctx, tx, a, workSel(actionRef(x.ID)), work.StateCancelled); err != nil {
		return err
	}
	if x.State != ActionOpen || x.ProgrammeState == ProgrammeClosed || x.OwnerID == 0 || x.DueOn == "" {
		return nil
	}
	_, active, ok, err := progPerson(ctx, tx, x.Tenant, x.OwnerID)
	if err != nil || !ok || !active {
		return err
	}
	due, _ := progDay(x.DueOn)
	details := fmt.Sprintf("Standardul %d", x.Standard)
	if m, ok := frameworks.OSGGModel(frameworks.OSGGLatest); ok {
		if st, ok := m.Standard(x.Standard); ok {
			details += " – " + st.TitleRO
		}
	}
	_, err = s.Work.Assign(ctx, tx, a, work.NewTask{Ref: actionRef(x.ID), Kind: work.KindAct,
		Title:   progClip(fmt.Sprintf("Programul de dezvoltare SCIM %d: %s", x.Year, x.Title), 250),
		Details: details, Link: x.Href(), Assignee: work.Assignee{PersonID: x.OwnerID}, Due: due})
	return err
}

// actInsert stores an action of programme p (carried from another when
// carried is not 0), gives it its task and audits it.
func (s *Service) actInsert(ctx context.Context, tx *sql.Tx, a auth.Actor, p Programme, in ActionInput, carried int64, now time.Time) (Action, error) {
	var id int64
	err := tx.QueryRowContext(ctx, `INSERT INTO control_actions (tenant_id, programme_id, objective_id, standard, title, description, owner_id, unit_id,
			due_on, state, carried_from, search_text, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13) RETURNING id`,
		a.Tenant, p.ID, progNull(in.ObjectiveID), in.Standard, in.Title, in.Description, progNull(in.OwnerID), progNull(in.UnitID),
		in.DueOn, ActionOpen, progNull(carried), actSearch(in, ""), now).Scan(&id)
	if err != nil {
		return Action{}, fmt.Errorf("cannot create action: %w", err)
	}
	x, err := actGet(ctx, tx, a.Tenant, id)
	if err != nil {
		return Action{}, err
	}
	if err := audit.Record(ctx, tx, now, audit.Event{Tenant: a.Tenant, Actor: a.Audit(), Action: audit.ActionCreate, Entity: EntityAction, EntityID: id,
		Summary: x.Title, After: x}); err != nil {
		return Action{}, err
	}
	return x, s.actRetask(ctx, tx, a, x)
}

// CreateAction adds an action to a programme that is not closed.
func (s *Service) CreateAction(ctx context.Context, a auth.Actor, in ActionInput) (Action, error) {
	if err := a.Require(auth.PermControlManage); err != nil {
		return Action{}, err
	}
	if err := in.Validate(); err != nil {
		return Action{}, err
	}
	now := s.Clock.Now()
	var out Action
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		p, err := progGet(ctx, tx, a.Tenant, in.ProgrammeID)
		if apperr.KindOf(err) == apperr.KindNotFound {
			return apperr.Validation{FieldActionProgramme: "error.choice"}
		}
		if err != nil {
			return err
		}
		if p.State == ProgrammeClosed {
			return apperr.Conflict("controlprog.error.programme_closed")
		}
		if err := actCheckRefs(ctx, tx, a.Tenant, in); err != nil {
			return err
		}
		out, err = s.actInsert(ctx, tx, a, p, in, 0, now)
		return err
	})
	return out, err
}

// actEditable reads an action whose programme is not closed.
func actEditable(ctx context.Context, q progQuerier, tenant, id int64) (Action, error) {
	x, err := actGet(ctx, q, tenant, id)
	if err != nil {
		return Action{}, err
	}
	if x.ProgrammeState == ProgrammeClosed {
		return Action{}, apperr.Conflict("controlprog.error.programme_closed")
	}
	return x, nil
}

// UpdateAction changes an action; a new owner or due date moves its task.
func (s *Service) UpdateAction(ctx context.Context, a auth.Actor, id int64, in ActionInput) (Action, error) {
	if err := a.Require(auth.PermControlManage); err != nil {
		return Action{}, err
	}
	now := s.Clock.Now()
	var out Action
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		before, err := actEditable(ctx, tx, a.Tenant, id)
		if err != nil {
			return err
		}
		in.ProgrammeID = before.ProgrammeID
		if err := in.Validate(); err != nil {
			return err
		}
		if before.Version != in.Version {
			return apperr.Stale()
		}
		if err := actCheckRefs(ctx, tx, a.Tenant, in); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE control_actions SET objective_id = $3, standard = $4, title = $5, description = $6, owner_id = $7,
				unit_id = $8, due_on = $9, search_text = $10, updated_at = $11, version = version + 1
			WHERE tenant_id = $1 AND id = $2`, a.Tenant, id, progNull(in.ObjectiveID), in.Standard, in.Title, in.Description,
			progNull(in.OwnerID), progNull(in.UnitID), in.DueOn, actSearch(in, before.Result), now); err != nil {
			return fmt.Errorf("cannot update action: %w", err)
		}
		if out, err = actGet(ctx, tx, a.Tenant, id); err != nil {
			return err
		}
		if err := audit.Record(ctx, tx, now, audit.Event{Tenant: a.Tenant, Actor: a.Audit(), Action: audit.ActionUpdate, Entity: EntityAction, EntityID: id,
			Summary: out.Title, Before: before, After: out}); err != nil {
			return err
		}
		if out.OwnerID != before.OwnerID || out.DueOn != before.DueOn || out.Title != before.Title || out.Standard != before.Standard {
			return s.actRetask(ctx, tx, a, out)
		}
		return nil
	})
	return out, err
}

// MoveAction sets an action's state; done or cancelled closes its task.
func (s *Service) MoveAction(ctx context.Context, a auth.Actor, id int64, m ActionMove) (Action, error) {
	now := s.Clock.Now()
	var out Action
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		before, err := actEditable(ctx, tx, a.Tenant, id)
		if err != nil {
			return err
		}
		// The owner reports their action done; everything else is the
		// office's.
		if !(m.To == ActionDone && before.State == ActionOpen && actOwnedBy(before, a)) {
			if err := a.Require(auth.PermControlManage); err != nil {
				return err
			}
		}
		v := apperr.Validation{}
		doneOn, result := "", before.Result
		switch m.To {
		case ActionDone:
			if strings.TrimSpace(m.DoneOn) == "" {
				m.DoneOn = progToday(now)
			}
			progCheckDay(v, FieldActionDoneOn, &m.DoneOn, true)
			if v[FieldActionDoneOn] == "" && m.DoneOn > progToday(now) {
				v.Add(FieldActionDoneOn, "controlprog.error.future")
			}
			progCheckText(v, FieldActionResult, &m.Result, progMaxText, false)
			doneOn, result = m.DoneOn, m.Result
		case ActionCancelled:
			progCheckText(v, FieldActionResult, &m.Result, progMaxText, false)
			if m.Result != "" {
				result = m.Result
			}
		case ActionOpen:
		default:
			v.Add(FieldActionState, "error.choice")
		}
		if err := v.Err(); err != nil {
			return err
		}
		if before.Version != m.Version {
			return apperr.Stale()
		}
		if m.To == before.State && m.To != ActionDone {
			return apperr.Conflict("workflow.error.transition")
		}
		in := ActionInput{Title: before.Title, Description: before.Description}
		if _, err := tx.ExecContext(ctx, `UPDATE control_actions SET state = $3, done_on = $4, result = $5, search_text = $6, updated_at = $7, version = version + 1
			WHERE tenant_id = $1 AND id = $2`, a.Tenant, id, m.To, doneOn, result, actSearch(in, result), now); err != nil {
			return fmt.Errorf("cannot move action: %w", err)
		}
		if out, err = actGet(ctx, tx, a.Tenant, id); err != nil {
			return err
		}
		action := map[string]string{ActionDone: audit.ActionComplete, ActionCancelled: audit.ActionCancel}[m.To]
		if action == "" {
			action = audit.ActionUpdate
		}
		if err := audit.Record(ctx, tx, now, audit.Event{Tenant: a.Tenant, Actor: a.Audit(), Action: action, Entity: EntityAction, EntityID: id,
			Summary: out.Title, Before: before, After: out}); err != nil {
			return err
		}
		switch m.To {
		case ActionDone:
			_, err = s.Work.Close(ctx, tx, a, workSel(actionRef(id)), work.StateDone)
			return err
		case ActionCancelled:
			_, err = s.Work.Close(ctx, tx, a, workSel(actionRef(id)), work.StateCancelled)
			return err
		}
		return s.actRetask(ctx, tx, a, out)
	})
	return out, err
}
