// Package work is the one inbox every module hands its people work through:
// tasks with a record, an assignee (a person, or a role in a unit), a due
// day, a priority and a state; the "my work" view; the reminder scheduler;
// and each person's calendar feed.
//
// A module creates and closes its tasks inside its own transaction through
// the Tasks interface, so a task exists exactly when the record needs it:
//
//	t, err := inbox.Assign(ctx, tx, actor, work.NewTask{Ref: work.Ref{Module: "documents", Entity: "document", ID: doc.ID}, Kind: work.KindApprove, ...})
//	n, err := inbox.Close(ctx, tx, actor, work.Selector{Ref: ref}, work.StateDone)
package work

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"cadran/internal/apperr"
	"cadran/internal/audit"
	"cadran/internal/auth"
	"cadran/internal/clock"
	"cadran/internal/db"
	"cadran/internal/i18n"
	"cadran/internal/notify"
	"cadran/internal/textutil"
)

// Kinds of work, named by what the person has to do.
const (
	KindApprove     = "approve"     // sign off a document, a plan, a report
	KindAcknowledge = "acknowledge" // read a procedure and confirm it
	KindAct         = "act"         // carry out an action
	KindReport      = "report"      // enter a measurement or a report
	KindAttend      = "attend"      // attend a session, an audit, a meeting
	KindAnswer      = "answer"      // answer a petition or a request
)

// Kinds lists every kind in the order screens show them.
var Kinds = []string{KindApprove, KindAcknowledge, KindAct, KindReport, KindAttend, KindAnswer}

// States of a task.
const (
	StateOpen      = "open"
	StateDone      = "done"
	StateCancelled = "cancelled"
)

// States lists every state.
var States = []string{StateOpen, StateDone, StateCancelled}

// Priorities.
const (
	PriorityHigh   = "high"
	PriorityNormal = "normal"
	PriorityLow    = "low"
)

// Priorities lists the priorities, highest first.
var Priorities = []string{PriorityHigh, PriorityNormal, PriorityLow}

// ModuleWork is the module of tasks people hand out by hand; they have no
// other record, so their assignee closes them.
const ModuleWork = "work"

// Ref names the record a task is about.
type Ref struct {
	Module string `json:"module"`
	Entity string `json:"entity"`
	ID     int64  `json:"entity_id"`
}

// Assignee is who must do the task: a person, or whoever holds a role in a
// unit (no unit: anyone holding the role in the institution).
type Assignee struct {
	PersonID int64     `json:"person_id,omitempty"`
	Role     auth.Role `json:"role,omitempty"`
	UnitID   int64     `json:"unit_id,omitempty"`
}

// Task is one piece of work with a due day.
type Task struct {
	ID       int64  `json:"id"`
	Tenant   int64  `json:"tenant_id"`
	Ref      Ref    `json:"ref"`
	Kind     string `json:"kind"`
	Title    string `json:"title"`
	Details  string `json:"details,omitempty"`
	Link     string `json:"link,omitempty"`
	Assignee `json:"assignee"`
	// Due is the due day, a civil date held at midnight UTC.
	Due       time.Time  `json:"due"`
	Priority  string     `json:"priority"`
	State     string     `json:"state"`
	CreatedBy int64      `json:"created_by,omitempty"`
	ClosedAt  *time.Time `json:"closed_at,omitempty"`
	ClosedBy  string     `json:"closed_by,omitempty"`
	CreatedAt time.Time  `json:"-"`
	UpdatedAt time.Time  `json:"-"`
	Version   int        `json:"version"`
	// Filled in by reads: the assignee's name and the unit the task belongs
	// to (the role's unit, or the person's).
	PersonName string `json:"-"`
	UnitID     int64  `json:"-"`
	UnitName   string `json:"-"`
}

// URL is where the task is handled: its record, or its own page.
func (t Task) URL() string {
	if t.Link != "" {
		return t.Link
	}
	return "/tasks/" + strconv.FormatInt(t.ID, 10)
}

// Manual reports whether the task was handed out by hand, so its assignee
// closes it; other tasks close with their record.
func (t Task) Manual() bool { return t.Ref.Module == ModuleWork }

// DueToday reports whether the task is open and due today.
func (t Task) DueToday(today time.Time) bool { return t.State == StateOpen && t.Due.Equal(today) }

// Overdue reports whether the task is open after its due day.
func (t Task) Overdue(today time.Time) bool { return t.State == StateOpen && t.Due.Before(today) }

// NewTask is what a module gives to hand out work.
type NewTask struct {
	Ref      Ref
	Kind     string
	Title    string
	Details  string
	Link     string
	Assignee Assignee
	Due      time.Time
	Priority string // empty: normal
}

// Selector picks the open tasks of a record to close: all of them, or only
// those of one kind, or of one person (a read acknowledgement closes only
// the reader's task).
type Selector struct {
	Ref      Ref
	Kind     string
	PersonID int64
}

// Tasks is what a module needs from the inbox. The calls run inside the
// module's transaction; AssignMany is for bulk writes (see batch.go).
type Tasks interface {
	Assign(ctx context.Context, tx *sql.Tx, a auth.Actor, t NewTask) (Task, error)
	Close(ctx context.Context, tx *sql.Tx, a auth.Actor, sel Selector, state string) (int, error)
	AssignMany(ctx context.Context, tx *sql.Tx, a auth.Actor, rec audit.Appender, ts []NewTask) (int, error)
}

// Service stores tasks and notifies their people.
type Service struct {
	DB     *db.DB
	Clock  clock.Clock
	Notify *notify.Service
}

var _ Tasks = (*Service)(nil)

// Day returns the civil date of t in Bucharest, at midnight UTC.
func Day(t time.Time) time.Time {
	y, m, d := t.In(i18n.Bucharest).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// DateOnly returns the civil date of a date already picked by a person.
func DateOnly(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

func (in *NewTask) validate() error {
	v := apperr.Validation{}
	in.Title = textutil.Clean(in.Title)
	in.Details = strings.TrimSpace(textutil.CleanText(in.Details))
	if in.Title == "" {
		v.Add("title", "error.required")
	} else if utf8.RuneCountInString(in.Title) > 300 {
		v.Add("title", "error.too_long")
	}
	if utf8.RuneCountInString(in.Details) > 4000 {
		v.Add("details", "error.too_long")
	}
	if !slices.Contains(Kinds, in.Kind) {
		v.Add("kind", "error.choice")
	}
	if in.Priority == "" {
		in.Priority = PriorityNormal
	}
	if !slices.Contains(Priorities, in.Priority) {
		v.Add("priority", "error.choice")
	}
	if in.Due.IsZero() {
		v.Add("due", "error.required")
	} else {
		in.Due = DateOnly(in.Due)
	}
	if in.Ref.Module == "" || in.Ref.Entity == "" {
		v.Add("ref", "error.required")
	}
	validAssignee(v, in.Assignee)
	return v.Err()
}

func validAssignee(v apperr.Validation, as Assignee) {
	switch {
	case as.PersonID != 0 && as.Role != "":
		v.Add("assignee", "task.error.one_assignee")
	case as.PersonID == 0 && as.Role == "":
		v.Add("assignee", "error.required")
	case as.Role != "" && !auth.ValidRole(as.Role):
		v.Add("role", "error.choice")
	case as.PersonID != 0 && as.UnitID != 0:
		v.Add("unit_id", "task.error.unit_with_person")
	}
}

type querier interface {
	QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row
}

const taskColumns = `t.id, t.tenant_id, t.module, t.entity, t.entity_id, t.kind, t.title, t.details, t.link,
	COALESCE(t.person_id, 0), t.role, COALESCE(t.role_unit_id, 0), t.due_on, t.priority, t.state, t.created_by,
	t.closed_at, t.closed_by, t.created_at, t.updated_at, t.version,
	COALESCE(p.full_name, ''), COALESCE(u.id, 0), COALESCE(u.name, '')`

// Positions of the due day and the id in taskColumns, for ORDER BY after a
// UNION, where column names are not reliable on both engines.
const (
	idColumn  = 1
	dueColumn = 13
)

const taskFrom = ` FROM tasks t
	LEFT JOIN people p ON p.tenant_id = t.tenant_id AND p.id = t.person_id
	LEFT JOIN units u ON u.tenant_id = t.tenant_id AND u.id = COALESCE(t.role_unit_id, p.unit_id)`

func scanTask(row interface{ Scan(...any) error }) (Task, error) {
	var t Task
	var due string
	var role string
	var closed sql.NullTime
	err := row.Scan(&t.ID, &t.Tenant, &t.Ref.Module, &t.Ref.Entity, &t.Ref.ID, &t.Kind, &t.Title, &t.Details, &t.Link,
		&t.PersonID, &role, &t.Assignee.UnitID, &due, &t.Priority, &t.State, &t.CreatedBy,
		&closed, &t.ClosedBy, &t.CreatedAt, &t.UpdatedAt, &t.Version,
		&t.PersonName, &t.UnitID, &t.UnitName)
	if err != nil {
		return t, err
	}
	t.Role = auth.Role(role)
	if t.Due, err = time.Parse(time.DateOnly, due); err != nil {
		return t, fmt.Errorf("cannot read due day %q: %w", due, err)
	}
	if closed.Valid {
		t.ClosedAt = &closed.Time
	}
	return t, nil
}

func scanTasks(rows *sql.Rows) ([]Task, error) {
	defer rows.Close()
	var out []Task
	for rows.Next() {
		t, err := scanTask(rows)
		if err != nil {
			return nil, fmt.Errorf("cannot read task: %w", err)
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

func getTask(ctx context.Context, q querier, tenant, id int64) (Task, error) {
	t, err := scanTask(q.QueryRowContext(ctx, `SELECT `+taskColumns+taskFrom+` WHERE t.tenant_id = $1 AND t.id = $2`, tenant, id))
	if errors.Is(err, sql.ErrNoRows) {
		return Task{}, apperr.NotFound("task")
	}
	if err != nil {
		return Task{}, fmt.Errorf("cannot read task: %w", err)
	}
	return t, nil
}

// checkAssignee makes sure the person or unit belongs to the institution.
func checkAssignee(ctx context.Context, q querier, tenant int64, as Assignee) error {
	if as.PersonID != 0 {
		var active bool
		err := q.QueryRowContext(ctx, `SELECT active FROM people WHERE tenant_id = $1 AND id = $2`, tenant, as.PersonID).Scan(&active)
		if errors.Is(err, sql.ErrNoRows) {
			return apperr.Validation{"person_id": "error.choice"}
		}
		if err != nil {
			return fmt.Errorf("cannot check assignee: %w", err)
		}
		if !active {
			return apperr.Validation{"person_id": "task.error.inactive_person"}
		}
	}
	if as.UnitID != 0 {
		var n int
		if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM units WHERE tenant_id = $1 AND id = $2`, tenant, as.UnitID).Scan(&n); err != nil {
			return fmt.Errorf("cannot check unit: %w", err)
		}
		if n == 0 {
			return apperr.Validation{"unit_id": "error.choice"}
		}
	}
	return nil
}

// Assign hands out a task inside the caller's transaction: it is stored,
// audited and its people are notified (in the app, and by e-mail when they
// want it) when tx commits.
func (s *Service) Assign(ctx context.Context, tx *sql.Tx, a auth.Actor, in NewTask) (Task, error) {
	if err := in.validate(); err != nil {
		return Task{}, err
	}
	if err := checkAssignee(ctx, tx, a.Tenant, in.Assignee); err != nil {
		return Task{}, err
	}
	now := s.Clock.Now()
	var id int64
	if err := tx.QueryRowContext(ctx, `INSERT INTO tasks (tenant_id, module, entity, entity_id, kind, title, details, link, person_id, role, role_unit_id, due_on, priority, state, created_by, search_text, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, 'open', $14, $15, $16, $16) RETURNING id`,
		a.Tenant, in.Ref.Module, in.Ref.Entity, in.Ref.ID, in.Kind, in.Title, in.Details, in.Link,
		nullID(in.Assignee.PersonID), string(in.Assignee.Role), nullID(in.Assignee.UnitID), in.Due.Format(time.DateOnly),
		in.Priority, a.UserID, textutil.Fold(in.Title), now).Scan(&id); err != nil {
		return Task{}, fmt.Errorf("cannot create task: %w", err)
	}
	t, err := getTask(ctx, tx, a.Tenant, id)
	if err != nil {
		return Task{}, err
	}
	if err := audit.Record(ctx, tx, now, audit.Event{Tenant: a.Tenant, Actor: a.Audit(), Action: audit.ActionCreate, Entity: "task", EntityID: id, Summary: t.Title, After: t}); err != nil {
		return Task{}, err
	}
	return t, s.notify(ctx, tx, t, notify.EventAssigned, a.Name)
}

// Close ends the open tasks that sel picks, inside the caller's transaction,
// and returns how many it closed. Each closing is audited.
func (s *Service) Close(ctx context.Context, tx *sql.Tx, a auth.Actor, sel Selector, state string) (int, error) {
	if state != StateDone && state != StateCancelled {
		return 0, fmt.Errorf("cannot close tasks: state %q is not a closed state", state)
	}
	where := ` WHERE t.tenant_id = $1 AND t.module = $2 AND t.entity = $3 AND t.entity_id = $4 AND t.state = 'open'`
	args := []any{a.Tenant, sel.Ref.Module, sel.Ref.Entity, sel.Ref.ID}
	if sel.Kind != "" {
		args = append(args, sel.Kind)
		where += fmt.Sprintf(` AND t.kind = $%d`, len(args))
	}
	if sel.PersonID != 0 {
		args = append(args, sel.PersonID)
		where += fmt.Sprintf(` AND t.person_id = $%d`, len(args))
	}
	rows, err := tx.QueryContext(ctx, `SELECT `+taskColumns+taskFrom+where+` ORDER BY t.id`, args...)
	if err != nil {
		return 0, fmt.Errorf("cannot find tasks to close: %w", err)
	}
	open, err := scanTasks(rows)
	if err != nil {
		return 0, err
	}
	for _, t := range open {
		if _, err := s.setState(ctx, tx, a, t, state); err != nil {
			return 0, err
		}
	}
	return len(open), nil
}

// setState closes (or reopens) one task and audits it.
func (s *Service) setState(ctx context.Context, tx *sql.Tx, a auth.Actor, before Task, state string) (Task, error) {
	now := s.Clock.Now()
	var closedAt any
	closedBy := ""
	if state != StateOpen {
		closedAt, closedBy = now, a.Name
	}
	res, err := tx.ExecContext(ctx, `UPDATE tasks SET state = $1, closed_at = $2, closed_by = $3, updated_at = $4, version = version + 1
		WHERE tenant_id = $5 AND id = $6 AND version = $7`, state, closedAt, closedBy, now, a.Tenant, before.ID, before.Version)
	if err != nil {
		return Task{}, fmt.Errorf("cannot change task: %w", err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return Task{}, apperr.Stale()
	}
	after, err := getTask(ctx, tx, a.Tenant, before.ID)
	if err != nil {
		return Task{}, err
	}
	action := map[string]string{StateDone: audit.ActionComplete, StateCancelled: audit.ActionCancel}[state]
	if action == "" {
		action = audit.ActionUpdate
	}
	return after, audit.Record(ctx, tx, now, audit.Event{Tenant: a.Tenant, Actor: a.Audit(), Action: action, Entity: "task", EntityID: before.ID, Summary: before.Title, Before: before, After: after})
}

// notify tells the task's people about event.
func (s *Service) notify(ctx context.Context, tx *sql.Tx, t Task, event, by string) error {
	if s.Notify == nil {
		return nil
	}
	to, err := recipients(ctx, tx, t.Tenant, t.Assignee)
	if err != nil {
		return err
	}
	return s.Notify.Send(ctx, tx, notify.Notice{Tenant: t.Tenant, Event: event, TaskID: t.ID, Kind: t.Kind, Title: t.Title, Details: t.Details, Link: t.URL(), Due: t.Due, By: by}, to)
}

// recipients lists who an assignee is: the person (through their account
// when they have one), or every enabled user holding the role in the unit.
func recipients(ctx context.Context, q querier, tenant int64, as Assignee) ([]notify.Recipient, error) {
	var rows *sql.Rows
	var err error
	if as.PersonID != 0 {
		rows, err = q.QueryContext(ctx, `SELECT COALESCE(u.id, 0), p.id, COALESCE(u.display_name, p.full_name), COALESCE(NULLIF(u.email, ''), p.email), COALESCE(u.locale, 'ro')
			FROM people p LEFT JOIN users u ON u.tenant_id = p.tenant_id AND u.person_id = p.id AND NOT u.disabled
			WHERE p.tenant_id = $1 AND p.id = $2`, tenant, as.PersonID)
	} else {
		rows, err = q.QueryContext(ctx, `SELECT u.id, COALESCE(p.id, 0), u.display_name, COALESCE(NULLIF(u.email, ''), p.email, ''), u.locale
			FROM users u JOIN user_roles r ON r.user_id = u.id AND r.role = $2
			LEFT JOIN people p ON p.tenant_id = u.tenant_id AND p.id = u.person_id
			WHERE u.tenant_id = $1 AND NOT u.disabled AND ($3 = 0 OR p.unit_id = $3)
			ORDER BY u.id`, tenant, string(as.Role), as.UnitID)
	}
	if err != nil {
		return nil, fmt.Errorf("cannot find the task's people: %w", err)
	}
	defer rows.Close()
	var out []notify.Recipient
	for rows.Next() {
		r := notify.Recipient{Tenant: tenant}
		if err := rows.Scan(&r.UserID, &r.PersonID, &r.Name, &r.Email, &r.Locale); err != nil {
			return nil, fmt.Errorf("cannot read the task's people: %w", err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}
