package training

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"cadran/internal/apperr"
	"cadran/internal/audit"
	"cadran/internal/auth"
	"cadran/internal/work"
)

const sesEnrolColumns = `e.id, e.tenant_id, e.session_id, e.person_id, e.state, e.score, e.hours, e.completed_on, e.notes,
	e.created_at, e.updated_at, e.version, p.full_name, p.job_title, COALESCE(u.name, ''),
	(SELECT COUNT(*) FROM training_attendance t WHERE t.tenant_id = e.tenant_id AND t.enrolment_id = e.id AND t.present)`

const sesEnrolFrom = ` FROM training_enrolments e
	JOIN people p ON p.tenant_id = e.tenant_id AND p.id = e.person_id
	LEFT JOIN units u ON u.tenant_id = p.tenant_id AND u.id = p.unit_id`

func sesScanEnrolment(row interface{ Scan(...any) error }) (Enrolment, error) {
	var e Enrolment
	var score sql.NullInt64
	err := row.Scan(&e.ID, &e.Tenant, &e.SessionID, &e.PersonID, &e.State, &score, &e.Hours, &e.CompletedOn, &e.Notes,
		&e.CreatedAt, &e.UpdatedAt, &e.Version, &e.Name, &e.JobTitle, &e.UnitName, &e.DaysPresent)
	if score.Valid {
		n := int(score.Int64)
		e.Score = &n
	}
	return e, err
}

// sesEnrolments reads a session's enrolments within a scope, withdrawn
// ones last (or left out), by name.
func sesEnrolments(ctx context.Context, q querier, tenant, sessionID int64, sc sesScope, activeOnly bool) ([]Enrolment, error) {
	where := ` WHERE e.tenant_id = $1 AND e.session_id = $2`
	if activeOnly {
		where += ` AND e.state <> 'withdrawn'`
	}
	pred, args := sc.predicate("p", []any{tenant, sessionID})
	rows, err := q.QueryContext(ctx, `SELECT `+sesEnrolColumns+sesEnrolFrom+where+pred+`
		ORDER BY CASE WHEN e.state = 'withdrawn' THEN 1 ELSE 0 END, p.sort_name, e.id`, args...)
	if err != nil {
		return nil, fmt.Errorf("cannot list enrolments: %w", err)
	}
	defer rows.Close()
	var out []Enrolment
	for rows.Next() {
		e, err := sesScanEnrolment(rows)
		if err != nil {
			return nil, fmt.Errorf("cannot read enrolment: %w", err)
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// sesGetEnrolment reads one enrolment of a session.
func sesGetEnrolment(ctx context.Context, q querier, tenant, sessionID, id int64) (Enrolment, error) {
	e, err := sesScanEnrolment(q.QueryRowContext(ctx, `SELECT `+sesEnrolColumns+sesEnrolFrom+` WHERE e.tenant_id = $1 AND e.session_id = $2 AND e.id = $3`,
		tenant, sessionID, id))
	if errors.Is(err, sql.ErrNoRows) {
		return Enrolment{}, apperr.NotFound(EntityEnrolment)
	}
	if err != nil {
		return Enrolment{}, fmt.Errorf("cannot read enrolment: %w", err)
	}
	return e, nil
}

// Enrolments lists a session's enrolments (withdrawn ones last): all of
// them for the records permission and the quality office, a head of
// unit's units' people, one's own otherwise.
func (s *Service) Enrolments(ctx context.Context, a auth.Actor, sessionID int64) ([]Enrolment, error) {
	if err := a.Require(auth.PermTrainingView); err != nil {
		return nil, err
	}
	if _, err := sesGet(ctx, s.DB.R, a.Tenant, sessionID); err != nil {
		return nil, err
	}
	sc, err := sesScopeOf(ctx, s.DB.R, a)
	if err != nil {
		return nil, err
	}
	return sesEnrolments(ctx, s.DB.R, a.Tenant, sessionID, sc, false)
}

// enrolEvent is what the audit trail keeps of an enrolment written in bulk.
type enrolEvent struct {
	SessionID int64  `json:"session_id"`
	PersonID  int64  `json:"person_id"`
	State     string `json:"state"`
}

// Enrol enrols people in a session while it is planned or held; returns
// how many were enrolled (people already enrolled are skipped, a withdrawn
// one is enrolled again). The people must be active people of the
// institution, and the session's capacity must hold them all, or no one is
// enrolled. Each gets a task to attend, due the session's first day.
func (s *Service) Enrol(ctx context.Context, a auth.Actor, sessionID int64, people []int64) (int, error) {
	if err := a.Require(auth.PermTrainingManage); err != nil {
		return 0, err
	}
	people = grpUnique(people)
	if len(people) == 0 {
		return 0, apperr.Validation{FieldSessPeople: "error.required"}
	}
	now := s.Clock.Now()
	count := 0
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		ss, err := sesLock(ctx, tx, a.Tenant, sessionID)
		if err != nil {
			return err
		}
		if !ss.Open() {
			return apperr.Conflict("training.error.session.not_open")
		}
		p, err := prgGet(ctx, tx, a.Tenant, ss.ProgrammeID)
		if err != nil {
			return err
		}
		found, err := grpPeople(ctx, tx, a.Tenant, people)
		if err != nil {
			return err
		}
		for _, id := range people {
			person, ok := found[id]
			if !ok {
				return apperr.Validation{FieldSessPeople: "error.choice"}
			}
			if !person.Active {
				return apperr.Validation{FieldSessPeople: "training.error.enrol.inactive"}
			}
		}
		type prior struct {
			id    int64
			state string
		}
		had := map[int64]prior{}
		rows, err := tx.QueryContext(ctx, `SELECT id, person_id, state FROM training_enrolments WHERE tenant_id = $1 AND session_id = $2`, a.Tenant, sessionID)
		if err != nil {
			return fmt.Errorf("cannot read enrolments: %w", err)
		}
		for rows.Next() {
			var pr prior
			var person int64
			if err := rows.Scan(&pr.id, &person, &pr.state); err != nil {
				rows.Close()
				return fmt.Errorf("cannot read enrolment: %w", err)
			}
			had[person] = pr
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return fmt.Errorf("cannot read enrolments: %w", err)
		}
		var fresh, again []int64
		for _, id := range people {
			pr, ok := had[id]
			switch {
			case !ok:
				fresh = append(fresh, id)
			case pr.state == EnrolWithdrawn:
				again = append(again, id)
			}
		}
		count = len(fresh) + len(again)
		if count == 0 {
			return nil
		}
		if ss.Capacity > 0 && ss.Enrolled+count > ss.Capacity {
			return &apperr.Error{Kind: apperr.KindConflict, Key: "training.error.session.full",
				Args: map[string]any{"Capacity": ss.Capacity, "Free": max(0, ss.Capacity-ss.Enrolled), "Count": count}}
		}
		rec, err := audit.NewRecorder(ctx, tx, a.Tenant)
		if err != nil {
			return err
		}
		var tasks []work.NewTask
		insert, err := tx.PrepareContext(ctx, `INSERT INTO training_enrolments (tenant_id, session_id, person_id, state, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $5) RETURNING id`)
		if err != nil {
			return fmt.Errorf("cannot prepare enrolments: %w", err)
		}
		defer insert.Close()
		for _, person := range fresh {
			var id int64
			if err := insert.QueryRowContext(ctx, a.Tenant, sessionID, person, EnrolEnrolled, now).Scan(&id); err != nil {
				return fmt.Errorf("cannot enrol: %w", err)
			}
			if err := rec.Record(ctx, now, audit.Event{Tenant: a.Tenant, Actor: a.Audit(), Action: audit.ActionCreate, Entity: EntityEnrolment, EntityID: id,
				Summary: ss.Code + ": " + found[person].Name, After: enrolEvent{SessionID: sessionID, PersonID: person, State: EnrolEnrolled}}); err != nil {
				return err
			}
			tasks = append(tasks, attendTask(ss, p, Enrolment{ID: id, PersonID: person}))
		}
		for _, person := range again {
			pr := had[person]
			if _, err := tx.ExecContext(ctx, `UPDATE training_enrolments SET state = $3, updated_at = $4, version = version + 1
				WHERE tenant_id = $1 AND id = $2`, a.Tenant, pr.id, EnrolEnrolled, now); err != nil {
				return fmt.Errorf("cannot enrol again: %w", err)
			}
			if err := rec.Record(ctx, now, audit.Event{Tenant: a.Tenant, Actor: a.Audit(), Action: audit.ActionUpdate, Entity: EntityEnrolment, EntityID: pr.id,
				Summary: ss.Code + ": " + found[person].Name,
				Before:  enrolEvent{SessionID: sessionID, PersonID: person, State: EnrolWithdrawn},
				After:   enrolEvent{SessionID: sessionID, PersonID: person, State: EnrolEnrolled}}); err != nil {
				return err
			}
			tasks = append(tasks, attendTask(ss, p, Enrolment{ID: pr.id, PersonID: person}))
		}
		if _, err := s.Work.AssignMany(ctx, tx, a, rec, tasks); err != nil {
			return err
		}
		return rec.Close(ctx)
	})
	if err != nil {
		return 0, err
	}
	return count, nil
}

// Withdraw withdraws an enrolment while the session is planned or held;
// the person's task to attend is cancelled. The attendance recorded stays.
func (s *Service) Withdraw(ctx context.Context, a auth.Actor, sessionID, enrolmentID int64) error {
	if err := a.Require(auth.PermTrainingManage); err != nil {
		return err
	}
	now := s.Clock.Now()
	return s.DB.Tx(ctx, func(tx *sql.Tx) error {
		ss, err := sesLock(ctx, tx, a.Tenant, sessionID)
		if err != nil {
			return err
		}
		before, err := sesGetEnrolment(ctx, tx, a.Tenant, sessionID, enrolmentID)
		if err != nil {
			return err
		}
		if !ss.Open() {
			return apperr.Conflict("training.error.session.not_open")
		}
		if before.State != EnrolEnrolled {
			return apperr.Conflict("training.error.enrol.not_enrolled")
		}
		return s.sesSetEnrolState(ctx, tx, a, ss, before, EnrolWithdrawn, "", now, work.StateCancelled)
	})
}

// sesSetEnrolState moves an enrolment to state (with its completion day),
// audits it and closes the person's attendance task as taskState.
func (s *Service) sesSetEnrolState(ctx context.Context, tx *sql.Tx, a auth.Actor, ss Session, before Enrolment, state, completedOn string, now time.Time, taskState string) error {
	res, err := tx.ExecContext(ctx, `UPDATE training_enrolments SET state = $3, completed_on = $4, updated_at = $5, version = version + 1
		WHERE tenant_id = $1 AND id = $2 AND version = $6`, a.Tenant, before.ID, state, completedOn, now, before.Version)
	if err != nil {
		return fmt.Errorf("cannot change enrolment: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return apperr.Stale()
	}
	after := before
	after.State, after.CompletedOn, after.UpdatedAt, after.Version = state, completedOn, now, before.Version+1
	if err := audit.Record(ctx, tx, now, audit.Event{Tenant: a.Tenant, Actor: a.Audit(), Action: audit.ActionUpdate, Entity: EntityEnrolment, EntityID: before.ID,
		Summary: ss.Code + ": " + before.Name, Before: before, After: after}); err != nil {
		return err
	}
	_, err = s.Work.Close(ctx, tx, a, work.Selector{Ref: enrolRef(before.ID), Kind: work.KindAttend}, taskState)
	return err
}
