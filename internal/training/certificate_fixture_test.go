package training_test

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"cadran/internal/apperr"
	"cadran/internal/training"
)

// Fixtures of the certificate, competence and matrix tests. Programmes,
// sessions and enrolments are written with SQL, so these tests do not
// depend on the sessions' workflow.

// certProgramme inserts a programme of institution A.
func certProgramme(t testing.TB, e *env, code, certificate string, months int, comp int64, level, hours int) int64 {
	t.Helper()
	var compID any
	if comp != 0 {
		compID = comp
	}
	var id int64
	err := e.d.W.QueryRowContext(t.Context(), `INSERT INTO training_programmes (tenant_id, code, title, topic, hours, certificate, certificate_months,
			competence_id, competence_level, created_at, updated_at)
		VALUES ($1, $2, $3, 'audit', $4, $5, $6, $7, $8, $9, $9) RETURNING id`,
		e.qm.Tenant, code, "Programul "+code, hours, certificate, months, compID, level, t0).Scan(&id)
	if err != nil {
		t.Fatalf("programme %s: %v", code, err)
	}
	return id
}

// certEnrolment inserts a session of programme and an enrolment of person
// in the given state.
func certEnrolment(t testing.TB, e *env, programme, person int64, state string, hours float64) int64 {
	t.Helper()
	ctx := t.Context()
	var sid, id int64
	code := fmt.Sprintf("S-%d-%d", programme, person)
	if err := e.d.W.QueryRowContext(ctx, `INSERT INTO training_sessions (tenant_id, programme_id, code, start_on, end_on, state, created_at, updated_at)
		VALUES ($1, $2, $3, '2026-10-05', '2026-10-07', 'closed', $4, $4) RETURNING id`, e.qm.Tenant, programme, code, t0).Scan(&sid); err != nil {
		t.Fatalf("session: %v", err)
	}
	done := ""
	if state == training.EnrolCompleted {
		done = "2026-10-07"
	}
	if err := e.d.W.QueryRowContext(ctx, `INSERT INTO training_enrolments (tenant_id, session_id, person_id, state, hours, completed_on, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING id`, e.qm.Tenant, sid, person, state, hours, done, t0).Scan(&id); err != nil {
		t.Fatalf("enrolment: %v", err)
	}
	return id
}

// compNew adds a competence to A's catalogue.
func compNew(t testing.TB, e *env, code, area string, months int) int64 {
	t.Helper()
	k, err := e.svc.CreateCompetence(t.Context(), e.qm, training.CompetenceInput{Code: code, Name: "Competența " + code, Area: area, ValidityMonths: months, Active: true})
	if err != nil {
		t.Fatalf("competence %s: %v", code, err)
	}
	return k.ID
}

// compReq adds a requirement.
func compReq(t testing.TB, e *env, comp int64, kind, target string, level int) training.Requirement {
	t.Helper()
	r, err := e.svc.AddRequirement(t.Context(), e.qm, comp, training.RequirementInput{Kind: kind, Target: target, Level: level})
	if err != nil {
		t.Fatalf("requirement %s %s: %v", kind, target, err)
	}
	return r
}

// compHold records an assessed competence.
func compHold(t testing.TB, e *env, person, comp int64, level int, acquired, expires string) training.Held {
	t.Helper()
	h, err := e.svc.Assess(t.Context(), e.qm, person, training.HeldInput{CompetenceID: comp, Level: level, AcquiredOn: acquired, ExpiresOn: expires})
	if err != nil {
		t.Fatalf("assess %d/%d: %v", person, comp, err)
	}
	return h
}

// certNew records a certificate.
func certNew(t testing.TB, e *env, in training.CertificateInput) training.Certificate {
	t.Helper()
	c, err := e.svc.CreateCertificate(t.Context(), e.qm, in, nil)
	if err != nil {
		t.Fatalf("certificate %q: %v", in.Name, err)
	}
	return c
}

// certWant checks err is a validation error with key on field.
func certWant(t testing.TB, err error, field, key string) {
	t.Helper()
	v, ok := apperr.AsValidation(err)
	if !ok {
		t.Fatalf("want %s on %s, got %v", key, field, err)
	}
	if v[field] != key {
		t.Fatalf("want %s on %s, got %v", key, field, v)
	}
}

// certWantKind checks err is of kind.
func certWantKind(t testing.TB, err error, kind apperr.Kind) {
	t.Helper()
	if err == nil || apperr.KindOf(err) != kind {
		t.Fatalf("want kind %d, got %v", kind, err)
	}
}

func certNotFound(t testing.TB, err error) {
	t.Helper()
	if !errors.Is(err, apperr.ErrNotFound) {
		t.Fatalf("want not found, got %v", err)
	}
}

// certDay is today plus days, as stored.
func certDay(days int) string {
	return time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC).AddDate(0, 0, days).Format(time.DateOnly)
}

// certTask is a certificate's task as stored.
type certTask struct {
	State, Due, Title, Link string
	Person                  int64
}

// certTasks lists the tasks of a certificate, oldest first.
func certTasks(t testing.TB, e *env, cert int64) []certTask {
	t.Helper()
	rows, err := e.d.R.QueryContext(t.Context(), `SELECT state, due_on, title, link, COALESCE(person_id, 0) FROM tasks
		WHERE module = 'training' AND entity = 'training_certificate' AND entity_id = $1 ORDER BY id`, cert)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []certTask
	for rows.Next() {
		var x certTask
		if err := rows.Scan(&x.State, &x.Due, &x.Title, &x.Link, &x.Person); err != nil {
			t.Fatal(err)
		}
		out = append(out, x)
	}
	return out
}

// certOpenTask is the certificate's one open task, or fails.
func certOpenTask(t testing.TB, e *env, cert int64) certTask {
	t.Helper()
	var open []certTask
	for _, x := range certTasks(t, e, cert) {
		if x.State == "open" {
			open = append(open, x)
		}
	}
	if len(open) != 1 {
		t.Fatalf("certificate %d has %d open tasks: %+v", cert, len(open), certTasks(t, e, cert))
	}
	return open[0]
}
