package training

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
	"cadran/internal/db"
	"cadran/internal/textutil"
	"cadran/internal/work"
	"cadran/internal/workflow"
)

// Session is one run of a programme.
type Session struct {
	ID          int64     `json:"id"`
	Tenant      int64     `json:"tenant_id"`
	ProgrammeID int64     `json:"programme_id"`
	Code        string    `json:"code"`
	StartOn     string    `json:"start_on"`
	EndOn       string    `json:"end_on"`
	Place       string    `json:"place,omitempty"`
	Trainer     string    `json:"trainer,omitempty"`
	Capacity    int       `json:"capacity,omitempty"`
	State       string    `json:"state"`
	Notes       string    `json:"notes,omitempty"`
	CreatedAt   time.Time `json:"-"`
	UpdatedAt   time.Time `json:"-"`
	Version     int       `json:"version"`

	// Filled in by reads.
	ProgrammeCode, ProgrammeTitle string `json:"-"`
	Hours                         int    `json:"-"` // the programme's hours
	// Enrolled counts enrolments not withdrawn; Completed those completed.
	Enrolled, Completed int `json:"-"`
}

// Days lists the session's days, start to end.
func (ss Session) Days() []string {
	start, ok1 := parseDay(ss.StartOn)
	end, ok2 := parseDay(ss.EndOn)
	if !ok1 || !ok2 {
		return nil
	}
	var days []string
	for d := start; !d.After(end) && len(days) < 60; d = d.AddDate(0, 0, 1) {
		days = append(days, d.Format(time.DateOnly))
	}
	return days
}

// SessionInput creates or changes a session.
type SessionInput struct {
	ProgrammeID           int64
	StartOn, EndOn        string
	Place, Trainer, Notes string
	Capacity              int
	Version               int
}

// SessionFilter narrows the session list.
type SessionFilter struct {
	Query       string
	ProgrammeID int64
	State       string
	From, To    string // start day range, YYYY-MM-DD
	Sort        string // start, code, programme, state
	Desc        bool
	Page        int
	PerPage     int
}

// SessionPage is one page of sessions.
type SessionPage struct {
	Items []Session
	Total int
}

// Enrolment is a person enrolled in a session.
type Enrolment struct {
	ID          int64     `json:"id"`
	Tenant      int64     `json:"tenant_id"`
	SessionID   int64     `json:"session_id"`
	PersonID    int64     `json:"person_id"`
	State       string    `json:"state"`
	Score       *int      `json:"score,omitempty"`
	Hours       float64   `json:"hours"`
	CompletedOn string    `json:"completed_on,omitempty"`
	Notes       string    `json:"notes,omitempty"`
	CreatedAt   time.Time `json:"-"`
	UpdatedAt   time.Time `json:"-"`
	Version     int       `json:"version"`

	// Filled in by reads.
	Name, JobTitle, UnitName string `json:"-"`
	// DaysPresent counts the days marked present.
	DaysPresent int `json:"-"`
}

// AttendanceSheet is a session's attendance grid: one row per enrolment
// (withdrawn ones left out), one column per day.
type AttendanceSheet struct {
	Session   Session
	Programme Programme
	Days      []string
	Rows      []AttendanceRow
}

// AttendanceRow is one person's line: Present[i] is Days[i]; Marked[i]
// tells a recorded absence from a day not recorded yet.
type AttendanceRow struct {
	Enrolment Enrolment
	Present   []bool
	Marked    []bool
}

// ResultInput is one person's assessment result.
type ResultInput struct {
	EnrolmentID int64
	Score       *int // nil: not assessed
	Notes       string
}

// Limits of the session form.
const (
	MaxSessionDays = 60 // days from start to end, both counted
	MaxCapacity    = 10000
	// ReportDays is how many days after a session's end the quality
	// office's task to record attendance and results falls due.
	ReportDays = 3
)

// Field names of the session forms.
const (
	FieldSessProgramme = "session_programme_id"
	FieldSessStart     = "session_start_on"
	FieldSessEnd       = "session_end_on"
	FieldSessPlace     = "session_place"
	FieldSessTrainer   = "session_trainer"
	FieldSessCapacity  = "session_capacity"
	FieldSessNotes     = "session_notes"
	// FieldSessPeople is the people to enrol.
	FieldSessPeople = "session_people"
	// FieldSessAttendance is the attendance grid as a whole.
	FieldSessAttendance = "session_attendance"
)

// FieldScore and FieldResultNotes name one enrolment's result fields.
func FieldScore(enrolmentID int64) string { return "score_" + strconv.FormatInt(enrolmentID, 10) }

// FieldResultNotes names one enrolment's notes field.
func FieldResultNotes(enrolmentID int64) string { return "notes_" + strconv.FormatInt(enrolmentID, 10) }

// SessionSorts lists the session list's sort keys.
var SessionSorts = []string{"start", "code", "programme", "state"}

// Href is the session's page.
func (ss Session) Href() string { return "/training/sessions/" + strconv.FormatInt(ss.ID, 10) }

// Open reports whether the session may still change (planned or held).
func (ss Session) Open() bool { return ss.State == SessionPlanned || ss.State == SessionHeld }

// Full reports whether the session has no place left.
func (ss Session) Full() bool { return ss.Capacity > 0 && ss.Enrolled >= ss.Capacity }

// Validate checks the input on its own and normalises it; the programme
// is checked when saving.
func (in *SessionInput) Validate() error {
	v := apperr.Validation{}
	if in.ProgrammeID <= 0 {
		v.Add(FieldSessProgramme, "error.required")
	}
	grpCheckDay(v, FieldSessStart, &in.StartOn, true)
	grpCheckDay(v, FieldSessEnd, &in.EndOn, true)
	_, badStart := v[FieldSessStart]
	_, badEnd := v[FieldSessEnd]
	if !badStart && !badEnd {
		start, _ := parseDay(in.StartOn)
		end, _ := parseDay(in.EndOn)
		switch {
		case end.Before(start):
			v.Add(FieldSessEnd, "training.error.end_before_start")
		case end.Sub(start) >= MaxSessionDays*24*time.Hour:
			v.Add(FieldSessEnd, "training.error.session.too_long")
		}
	}
	grpCheckText(v, FieldSessPlace, &in.Place, MaxShort, false)
	grpCheckText(v, FieldSessTrainer, &in.Trainer, MaxShort, false)
	in.Notes = textutil.CleanText(in.Notes)
	if utf8.RuneCountInString(in.Notes) > MaxText {
		v.Add(FieldSessNotes, "error.too_long")
	}
	if in.Capacity < 0 || in.Capacity > MaxCapacity {
		v.Add(FieldSessCapacity, "training.error.session.capacity")
	}
	return v.Err()
}

const sesColumns = `s.id, s.tenant_id, s.programme_id, s.code, s.start_on, s.end_on, s.place, s.trainer, s.capacity, s.state, s.notes,
	s.created_at, s.updated_at, s.version, p.code, p.title, p.hours,
	(SELECT COUNT(*) FROM training_enrolments e WHERE e.tenant_id = s.tenant_id AND e.session_id = s.id AND e.state <> 'withdrawn'),
	(SELECT COUNT(*) FROM training_enrolments e WHERE e.tenant_id = s.tenant_id AND e.session_id = s.id AND e.state = 'completed')`

const sesFrom = ` FROM training_sessions s JOIN training_programmes p ON p.tenant_id = s.tenant_id AND p.id = s.programme_id`

func sesScan(row interface{ Scan(...any) error }) (Session, error) {
	var ss Session
	err := row.Scan(&ss.ID, &ss.Tenant, &ss.ProgrammeID, &ss.Code, &ss.StartOn, &ss.EndOn, &ss.Place, &ss.Trainer, &ss.Capacity, &ss.State, &ss.Notes,
		&ss.CreatedAt, &ss.UpdatedAt, &ss.Version, &ss.ProgrammeCode, &ss.ProgrammeTitle, &ss.Hours, &ss.Enrolled, &ss.Completed)
	return ss, err
}

// sesGet reads one session of the institution.
func sesGet(ctx context.Context, q querier, tenant, id int64) (Session, error) {
	ss, err := sesScan(q.QueryRowContext(ctx, `SELECT `+sesColumns+sesFrom+` WHERE s.tenant_id = $1 AND s.id = $2`, tenant, id))
	if errors.Is(err, sql.ErrNoRows) {
		return Session{}, apperr.NotFound(EntitySession)
	}
	if err != nil {
		return Session{}, fmt.Errorf("cannot read session: %w", err)
	}
	return ss, nil
}

// sesLock takes the session's row for the rest of tx (on PostgreSQL; the
// single SQLite writer already excludes the others) and reads it, so
// enrolment, attendance and state changes of one session run one at a time.
func sesLock(ctx context.Context, tx *sql.Tx, tenant, id int64) (Session, error) {
	if _, err := tx.ExecContext(ctx, `UPDATE training_sessions SET version = version WHERE tenant_id = $1 AND id = $2`, tenant, id); err != nil {
		return Session{}, fmt.Errorf("cannot lock session: %w", err)
	}
	return sesGet(ctx, tx, tenant, id)
}

var sesSorts = map[string]string{
	"start":     "s.start_on",
	"code":      "s.code",
	"programme": "p.code",
	"state":     "s.state",
}

// Sessions lists sessions.
func (s *Service) Sessions(ctx context.Context, a auth.Actor, f SessionFilter) (SessionPage, error) {
	if err := a.Require(auth.PermTrainingView); err != nil {
		return SessionPage{}, err
	}
	where := ` WHERE s.tenant_id = $1`
	args := []any{a.Tenant}
	add := func(cond string, v any) {
		args = append(args, v)
		where += " AND " + strings.Replace(cond, "?", fmt.Sprintf("$%d", len(args)), 1)
	}
	if q := textutil.Fold(strings.TrimSpace(f.Query)); q != "" {
		args = append(args, db.LikePattern(q))
		n := len(args)
		where += fmt.Sprintf(` AND (p.search_text LIKE $%[1]d ESCAPE '\' OR LOWER(s.code) LIKE $%[1]d ESCAPE '\'
			OR LOWER(s.place) LIKE $%[1]d ESCAPE '\' OR LOWER(s.trainer) LIKE $%[1]d ESCAPE '\')`, n)
	}
	if f.ProgrammeID != 0 {
		add(`s.programme_id = ?`, f.ProgrammeID)
	}
	if f.State != "" {
		add(`s.state = ?`, f.State)
	}
	if d, ok := parseDay(f.From); ok {
		add(`s.start_on >= ?`, d.Format(time.DateOnly))
	}
	if d, ok := parseDay(f.To); ok {
		add(`s.start_on <= ?`, d.Format(time.DateOnly))
	}
	var out SessionPage
	var err error
	out.Items, out.Total, err = db.Page(ctx, s.DB.R, "sessions", db.PageQuery{Select: sesColumns, From: sesFrom + where, Args: args,
		Sorts: sesSorts, Sort: f.Sort, Desc: f.Desc, Default: "start", Tail: "s.id", Page: f.Page, PerPage: f.PerPage},
		func(r *sql.Rows) (Session, error) { return sesScan(r) })
	return out, err
}

// Session reads a session.
func (s *Service) Session(ctx context.Context, a auth.Actor, id int64) (Session, error) {
	if err := a.Require(auth.PermTrainingView); err != nil {
		return Session{}, err
	}
	return sesGet(ctx, s.DB.R, a.Tenant, id)
}

// sesProgramme reads the programme of a session being planned: one of the
// institution's, active.
func sesProgramme(ctx context.Context, q querier, tenant, id int64) (Programme, error) {
	p, err := prgGet(ctx, q, tenant, id)
	if apperr.KindOf(err) == apperr.KindNotFound {
		return Programme{}, apperr.Validation{FieldSessProgramme: "error.choice"}
	}
	if err != nil {
		return Programme{}, err
	}
	if !p.Active {
		return Programme{}, apperr.Validation{FieldSessProgramme: "training.error.session.programme_inactive"}
	}
	return p, nil
}

// CreateSession plans a session of a programme; its code is the
// programme's code and the session's number within it ("P-MC-2025/2").
func (s *Service) CreateSession(ctx context.Context, a auth.Actor, in SessionInput) (Session, error) {
	if err := a.Require(auth.PermTrainingManage); err != nil {
		return Session{}, err
	}
	if err := in.Validate(); err != nil {
		return Session{}, err
	}
	now := s.Clock.Now()
	var out Session
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		p, err := sesProgramme(ctx, tx, a.Tenant, in.ProgrammeID)
		if err != nil {
			return err
		}
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM training_sessions WHERE tenant_id = $1 AND programme_id = $2`, a.Tenant, p.ID).Scan(&n); err != nil {
			return fmt.Errorf("cannot number session: %w", err)
		}
		// The count is the next number unless a code was taken otherwise
		// (the programme's code changed, or another's looks like it).
		var code string
		for n++; ; n++ {
			code = p.Code + "/" + strconv.Itoa(n)
			var taken int
			if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM training_sessions WHERE tenant_id = $1 AND code = $2`, a.Tenant, code).Scan(&taken); err != nil {
				return fmt.Errorf("cannot number session: %w", err)
			}
			if taken == 0 {
				break
			}
		}
		var id int64
		if err := tx.QueryRowContext(ctx, `INSERT INTO training_sessions (tenant_id, programme_id, code, start_on, end_on, place, trainer, capacity, state, notes, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11) RETURNING id`,
			a.Tenant, p.ID, code, in.StartOn, in.EndOn, in.Place, in.Trainer, in.Capacity, SessionPlanned, in.Notes, now).Scan(&id); err != nil {
			return fmt.Errorf("cannot create session: %w", err)
		}
		if out, err = sesGet(ctx, tx, a.Tenant, id); err != nil {
			return err
		}
		return audit.Record(ctx, tx, now, audit.Event{Tenant: a.Tenant, Actor: a.Audit(), Action: audit.ActionCreate, Entity: EntitySession, EntityID: id,
			Summary: out.Code + " " + out.ProgrammeTitle, After: out})
	})
	return out, err
}

// UpdateSession changes a session's dates, place or trainer while it is
// planned or held; its programme does not change. Fewer places than
// people enrolled are refused. Attendance recorded for days no longer in
// the session is dropped and the hours recomputed; a new start day moves
// the attendance tasks' due day.
func (s *Service) UpdateSession(ctx context.Context, a auth.Actor, id int64, in SessionInput) (Session, error) {
	if err := a.Require(auth.PermTrainingManage); err != nil {
		return Session{}, err
	}
	now := s.Clock.Now()
	var out Session
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		before, err := sesLock(ctx, tx, a.Tenant, id)
		if err != nil {
			return err
		}
		if in.ProgrammeID == 0 {
			in.ProgrammeID = before.ProgrammeID
		}
		if err := in.Validate(); err != nil {
			return err
		}
		if in.ProgrammeID != before.ProgrammeID {
			return apperr.Validation{FieldSessProgramme: "training.error.session.programme_fixed"}
		}
		if before.Version != in.Version {
			return apperr.Stale()
		}
		if !before.Open() {
			return apperr.Conflict("training.error.session.not_open")
		}
		if in.Capacity > 0 && in.Capacity < before.Enrolled {
			return apperr.Validation{FieldSessCapacity: "training.error.session.capacity_below"}
		}
		res, err := tx.ExecContext(ctx, `UPDATE training_sessions SET start_on = $3, end_on = $4, place = $5, trainer = $6, capacity = $7, notes = $8,
				updated_at = $9, version = version + 1
			WHERE tenant_id = $1 AND id = $2 AND version = $10`,
			a.Tenant, id, in.StartOn, in.EndOn, in.Place, in.Trainer, in.Capacity, in.Notes, now, in.Version)
		if err != nil {
			return fmt.Errorf("cannot update session: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return apperr.Stale()
		}
		if out, err = sesGet(ctx, tx, a.Tenant, id); err != nil {
			return err
		}
		if out.StartOn != before.StartOn || out.EndOn != before.EndOn {
			if err := s.sesDatesChanged(ctx, tx, a, before, out, now); err != nil {
				return err
			}
		}
		return audit.Record(ctx, tx, now, audit.Event{Tenant: a.Tenant, Actor: a.Audit(), Action: audit.ActionUpdate, Entity: EntitySession, EntityID: id,
			Summary: out.Code + " " + out.ProgrammeTitle, Before: before, After: out})
	})
	return out, err
}

// sesDatesChanged follows a session's new dates: attendance outside them
// goes, hours are recomputed, and a new start day reissues the open
// attendance tasks with the new due day (a report task, once held, with
// the new end day).
func (s *Service) sesDatesChanged(ctx context.Context, tx *sql.Tx, a auth.Actor, before, after Session, now time.Time) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM training_attendance WHERE tenant_id = $1
			AND enrolment_id IN (SELECT id FROM training_enrolments WHERE tenant_id = $1 AND session_id = $2)
			AND (day < $3 OR day > $4)`, a.Tenant, after.ID, after.StartOn, after.EndOn); err != nil {
		return fmt.Errorf("cannot drop attendance outside the session: %w", err)
	}
	if err := sesRecomputeHours(ctx, tx, a.Tenant, after, now); err != nil {
		return err
	}
	p, err := prgGet(ctx, tx, a.Tenant, after.ProgrammeID)
	if err != nil {
		return err
	}
	if after.StartOn != before.StartOn {
		es, err := sesEnrolments(ctx, tx, a.Tenant, after.ID, sesScope{all: true}, false)
		if err != nil {
			return err
		}
		for _, e := range es {
			if e.State != EnrolEnrolled {
				continue
			}
			n, err := s.Work.Close(ctx, tx, a, work.Selector{Ref: enrolRef(e.ID), Kind: work.KindAttend}, work.StateCancelled)
			if err != nil {
				return err
			}
			if n > 0 {
				if _, err := s.Work.Assign(ctx, tx, a, attendTask(after, p, e)); err != nil {
					return err
				}
			}
		}
	}
	if after.EndOn != before.EndOn && after.State == SessionHeld {
		n, err := s.Work.Close(ctx, tx, a, work.Selector{Ref: sessionRef(after.ID), Kind: work.KindReport}, work.StateCancelled)
		if err != nil {
			return err
		}
		if n > 0 {
			if _, err := s.Work.Assign(ctx, tx, a, reportTask(after, p)); err != nil {
				return err
			}
		}
	}
	return nil
}

// sessionRef and enrolRef name a session's and an enrolment's tasks.
func sessionRef(id int64) work.Ref { return work.Ref{Module: Module, Entity: EntitySession, ID: id} }

func enrolRef(id int64) work.Ref { return work.Ref{Module: Module, Entity: EntityEnrolment, ID: id} }

// sesDue reads a stored day as a task's due day.
func sesDue(day string, plus int) time.Time {
	d, _ := parseDay(day)
	return d.AddDate(0, 0, plus)
}

// attendTask is an enrolled person's task to attend the session, due its
// first day.
func attendTask(ss Session, p Programme, e Enrolment) work.NewTask {
	details := "Sesiunea " + ss.Code + ": " + ss.StartOn
	if ss.EndOn != ss.StartOn {
		details += " – " + ss.EndOn
	}
	if ss.Place != "" {
		details += ", " + ss.Place
	}
	if ss.Trainer != "" {
		details += ", formator " + ss.Trainer
	}
	details += "."
	return work.NewTask{Ref: enrolRef(e.ID), Kind: work.KindAttend, Title: "Participați la instruirea „" + p.Title + "” (" + ss.Code + ")",
		Details: details, Link: ss.Href(), Assignee: work.Assignee{PersonID: e.PersonID}, Due: sesDue(ss.StartOn, 0)}
}

// reportTask is the quality office's task to record a held session's
// attendance and results, due ReportDays after its end.
func reportTask(ss Session, p Programme) work.NewTask {
	return work.NewTask{Ref: sessionRef(ss.ID), Kind: work.KindReport, Title: "Consemnați prezența și rezultatele: " + ss.Code + " " + p.Title,
		Details: "Completați prezența pe zile și rezultatele evaluării, apoi încheiați sesiunea.", Link: ss.Href(),
		Assignee: work.Assignee{Role: auth.RoleQualityManager}, Due: sesDue(ss.EndOn, ReportDays)}
}

// sesGate is a session as the workflow sees it.
type sesGate struct{ ss Session }

// SessionFlow is a session's state machine: planned → held → closed, and
// a planned or held session may be cancelled. Each action is named by the
// state it leads to.
var SessionFlow = workflow.New("training_session", workflow.State(SessionPlanned),
	[]workflow.State{SessionPlanned, SessionHeld, SessionClosed, SessionCancelled},
	workflow.Transition[sesGate]{Name: SessionHeld, From: []workflow.State{SessionPlanned}, To: SessionHeld, Perm: auth.PermTrainingManage},
	workflow.Transition[sesGate]{Name: SessionClosed, From: []workflow.State{SessionHeld}, To: SessionClosed, Perm: auth.PermTrainingManage},
	workflow.Transition[sesGate]{Name: SessionCancelled, From: []workflow.State{SessionPlanned, SessionHeld}, To: SessionCancelled, Perm: auth.PermTrainingManage},
)

// SessionActions lists the states the actor may move a session to now.
func SessionActions(a auth.Actor, ss Session) []string {
	return SessionFlow.Actions(workflow.State(ss.State), a, sesGate{ss})
}

// SetSessionState moves a session on: planned → held → closed, or
// cancelled. Holding it gives the quality office the task to record
// attendance and results; closing it completes or fails each enrolment
// from its attendance and score (a completion grants the programme's
// competence and ticks the person's induction item) and closes the tasks;
// cancelling it withdraws every enrolment and cancels every task.
func (s *Service) SetSessionState(ctx context.Context, a auth.Actor, id int64, state string, version int) (Session, error) {
	if err := a.Require(auth.PermTrainingManage); err != nil {
		return Session{}, err
	}
	if !slices.Contains(SessionStates, state) {
		return Session{}, apperr.Validation{"state": "error.choice"}
	}
	now := s.Clock.Now()
	var out Session
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		before, err := sesLock(ctx, tx, a.Tenant, id)
		if err != nil {
			return err
		}
		step, err := SessionFlow.Fire(workflow.State(before.State), state, a, sesGate{before}, "", now)
		if err != nil {
			return err
		}
		if before.Version != version {
			return apperr.Stale()
		}
		p, err := prgGet(ctx, tx, a.Tenant, before.ProgrammeID)
		if err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `UPDATE training_sessions SET state = $3, updated_at = $4, version = version + 1
			WHERE tenant_id = $1 AND id = $2 AND version = $5`, a.Tenant, id, string(step.To), now, version)
		if err != nil {
			return fmt.Errorf("cannot change session: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return apperr.Stale()
		}
		after := map[string]any{"step": step}
		switch state {
		case SessionHeld:
			if _, err := s.Work.Assign(ctx, tx, a, reportTask(before, p)); err != nil {
				return err
			}
		case SessionClosed:
			done, failed, err := s.sesClose(ctx, tx, a, before, p, now)
			if err != nil {
				return err
			}
			after["completed"], after["failed"] = done, failed
		case SessionCancelled:
			n, err := s.sesCancel(ctx, tx, a, before, now)
			if err != nil {
				return err
			}
			after["withdrawn"] = n
		}
		if out, err = sesGet(ctx, tx, a.Tenant, id); err != nil {
			return err
		}
		return audit.Record(ctx, tx, now, audit.Event{Tenant: a.Tenant, Actor: a.Audit(), Action: audit.ActionTransition, Entity: EntitySession, EntityID: id,
			Summary: out.Code + ": " + state, Before: map[string]string{"state": before.State}, After: after})
	})
	return out, err
}
