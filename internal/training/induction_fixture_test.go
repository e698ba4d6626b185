package training_test

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"cadran/internal/apperr"
	"cadran/internal/auth"
	"cadran/internal/documents"
	"cadran/internal/org"
	"cadran/internal/training"
)

// Fixtures of the induction, record, metrics and evidence tests.

// indMust fails the test on err and returns v: indMust(f())(t).
func indMust[T any](v T, err error) func(testing.TB) T {
	return func(t testing.TB) T {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
}

func indOK(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// indKey checks err is an application error of kind with key (a
// validation error: naming field with key).
func indKey(t testing.TB, err error, kind apperr.Kind, field, key string) {
	t.Helper()
	if err == nil {
		t.Fatalf("no error, want %s %s", field, key)
	}
	if got := apperr.KindOf(err); got != kind {
		t.Fatalf("error %v: kind %d, want %d", err, got, kind)
	}
	if v, ok := apperr.AsValidation(err); ok {
		if v[field] != key {
			t.Fatalf("validation %v: %s = %q, want %q", v, field, v[field], key)
		}
		return
	}
	var ae *apperr.Error
	if key != "" && (!errors.As(err, &ae) || ae.Key != key) {
		t.Fatalf("error %v: want key %q", err, key)
	}
}

// indDoc is a document in force of A: its register entry and version I.0,
// distributed to the units given.
type indDoc struct{ id, version int64 }

// indInForce inserts a document in force (as an import of the register
// would) distributed to units.
func indInForce(t testing.TB, e *env, kind, code, title string, units ...int64) indDoc {
	t.Helper()
	ctx := t.Context()
	var d indDoc
	if err := e.d.W.QueryRowContext(ctx, `INSERT INTO documents (tenant_id, kind, code, title, review_months, state, effective_on, sort_code, sort_title, created_at, updated_at)
		VALUES ($1, $2, $3, $4, 12, $5, '2026-01-05', $3, $4, $6, $6) RETURNING id`, e.qm.Tenant, kind, code, title, documents.StateInForce, t0).Scan(&d.id); err != nil {
		t.Fatal(err)
	}
	if err := e.d.W.QueryRowContext(ctx, `INSERT INTO document_versions (tenant_id, document_id, edition, revision, state, source, effective_on, created_at, updated_at)
		VALUES ($1, $2, 1, 0, $3, 'register', '2026-01-05', $4, $4) RETURNING id`, e.qm.Tenant, d.id, documents.StateInForce, t0).Scan(&d.version); err != nil {
		t.Fatal(err)
	}
	if _, err := e.d.W.ExecContext(ctx, `UPDATE documents SET current_id = $1, latest_id = $1 WHERE id = $2`, d.version, d.id); err != nil {
		t.Fatal(err)
	}
	for _, u := range units {
		if _, err := e.d.W.ExecContext(ctx, `INSERT INTO document_distribution (tenant_id, document_id, unit_id, purpose) VALUES ($1, $2, $3, $4)`,
			e.qm.Tenant, d.id, u, documents.PurposeApply); err != nil {
			t.Fatal(err)
		}
	}
	return d
}

// indProgramme creates a programme of A (8 hours, 80 % attendance).
func indProgramme(t testing.TB, e *env, code string, mandatory, active bool) training.Programme {
	t.Helper()
	return indMust(e.svc.CreateProgramme(t.Context(), e.qm, training.ProgrammeInput{Code: code, Title: "Sistemul de management al calității " + code,
		Topic: training.TopicInduction, Provider: "Biroul Managementul Calității", Hours: 8, MinAttendance: 80, Mandatory: mandatory, Active: active}))(t)
}

// indHire creates an active person in unit u through org, so the hook
// the server wires runs.
func indHire(t testing.TB, e *env, u int64, name string) int64 {
	t.Helper()
	p := indMust(e.org.CreatePerson(t.Context(), e.sysA, org.PersonInput{UnitID: u, FullName: name, JobTitle: "Inspector", Position: org.PositionExecution,
		Employment: org.EmploymentCivilServant, Active: true}))(t)
	return p.ID
}

// indUser gives a person a user with the employee role and returns them
// as an actor.
func indUser(t testing.TB, e *env, person int64, username string) auth.Actor {
	t.Helper()
	au := &auth.Service{DB: e.d, Clock: e.clk}
	u := indMust(au.CreateUser(t.Context(), e.sysA, auth.UserInput{Username: username, DisplayName: username, Password: "parola-buna-2026", PersonID: person,
		Locale: "ro", Roles: []auth.Role{auth.RoleEmployee}}))(t)
	return indMust(au.ActorByID(t.Context(), u.ID))(t)
}

// indComplete runs a one-day session of p today with the people present
// and closes it, as the quality office does.
func indComplete(t testing.TB, e *env, p training.Programme, code string, people ...int64) training.Session {
	t.Helper()
	ctx := t.Context()
	day := t0.Format(time.DateOnly)
	ss := indMust(e.svc.CreateSession(ctx, e.qm, training.SessionInput{ProgrammeID: p.ID, StartOn: day, EndOn: day, Place: "Sala mică", Trainer: "Ana Mureșan"}))(t)
	indMust(e.svc.Enrol(ctx, e.qm, ss.ID, people))(t)
	ss = indMust(e.svc.Session(ctx, e.qm, ss.ID))(t)
	ss = indMust(e.svc.SetSessionState(ctx, e.qm, ss.ID, training.SessionHeld, ss.Version))(t)
	present := map[int64][]string{}
	for _, en := range indMust(e.svc.Enrolments(ctx, e.qm, ss.ID))(t) {
		present[en.ID] = []string{day}
	}
	indOK(t, e.svc.SaveAttendance(ctx, e.qm, ss.ID, present))
	ss = indMust(e.svc.Session(ctx, e.qm, ss.ID))(t)
	return indMust(e.svc.SetSessionState(ctx, e.qm, ss.ID, training.SessionClosed, ss.Version))(t)
}

// indExec runs a statement of the fixtures.
func indExec(t testing.TB, e *env, q string, args ...any) {
	t.Helper()
	if _, err := e.d.W.ExecContext(t.Context(), q, args...); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
}

// indInsert runs an INSERT ... RETURNING id of the fixtures.
func indInsert(t testing.TB, e *env, q string, args ...any) int64 {
	t.Helper()
	var id int64
	if err := e.d.W.QueryRowContext(t.Context(), q+` RETURNING id`, args...).Scan(&id); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return id
}

// indRawProgramme inserts a programme of tenant (of a group when group is
// not 0).
func indRawProgramme(t testing.TB, e *env, tenant int64, code string, hours int, group int64) int64 {
	t.Helper()
	var g any
	if group != 0 {
		g = group
	}
	return indInsert(t, e, `INSERT INTO training_programmes (tenant_id, code, title, topic, hours, group_id, created_at, updated_at) VALUES ($1, $2, $3, 'quality', $4, $5, $6, $6)`,
		tenant, code, "Program "+code, hours, g, t0)
}

// indRawSession inserts a closed session of a programme.
func indRawSession(t testing.TB, e *env, tenant, programme int64, code, start, end, state string) int64 {
	t.Helper()
	return indInsert(t, e, `INSERT INTO training_sessions (tenant_id, programme_id, code, start_on, end_on, state, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $7)`,
		tenant, programme, code, start, end, state, t0)
}

// indRawEnrolment inserts an enrolment in a given state.
func indRawEnrolment(t testing.TB, e *env, tenant, session, person int64, state string, hours float64, completed string) int64 {
	t.Helper()
	return indInsert(t, e, `INSERT INTO training_enrolments (tenant_id, session_id, person_id, state, hours, completed_on, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $7)`,
		tenant, session, person, state, hours, completed, t0)
}

// indRawCertificate inserts a certificate.
func indRawCertificate(t testing.TB, e *env, tenant, person, programme int64, issued, expires string, revoked bool) int64 {
	t.Helper()
	var p any
	if programme != 0 {
		p = programme
	}
	return indInsert(t, e, `INSERT INTO training_certificates (tenant_id, person_id, programme_id, name, issued_on, expires_on, revoked, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)`, tenant, person, p, fmt.Sprintf("Certificat %d", person), issued, expires, revoked, t0)
}

// indRawPlan inserts an induction plan.
func indRawPlan(t testing.TB, e *env, tenant, person int64, start, due, state, completed string) int64 {
	t.Helper()
	return indInsert(t, e, `INSERT INTO training_inductions (tenant_id, person_id, start_on, due_on, state, completed_on, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $7)`,
		tenant, person, start, due, state, completed, t0)
}

// indRawItem inserts an item of a plan.
func indRawItem(t testing.TB, e *env, tenant, plan int64, title, due, done string) int64 {
	t.Helper()
	return indInsert(t, e, `INSERT INTO training_induction_items (tenant_id, induction_id, kind, title, due_on, done_on, created_at) VALUES ($1, $2, 'programme', $3, $4, $5, $6)`,
		tenant, plan, title, due, done, t0)
}

// indAudits counts the audit events of an entity and id.
func indAudits(t testing.TB, e *env, entity string, id int64) int {
	t.Helper()
	return e.count(t, `SELECT COUNT(*) FROM audit_events WHERE entity = $1 AND entity_id = $2`, entity, id)
}
