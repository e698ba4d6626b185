package training_test

import (
	"errors"
	"testing"

	"cadran/internal/apperr"
	"cadran/internal/org"
	"cadran/internal/training"
)

// Fixtures of the groups', programmes' and sessions' tests.

// sesMust fails the test on err and returns v: sesMust(f())(t).
func sesMust[T any](v T, err error) func(testing.TB) T {
	return func(t testing.TB) T {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
}

func sesOK(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// sesWant checks err is of kind (and, for a validation error, names field
// with key; for another application error, has key).
func sesWant(t testing.TB, err error, kind apperr.Kind, field, key string) {
	t.Helper()
	if err == nil {
		t.Fatalf("no error, want kind %d %s %s", kind, field, key)
	}
	if got := apperr.KindOf(err); got != kind {
		t.Fatalf("error %v: kind %d, want %d", err, got, kind)
	}
	if v, ok := apperr.AsValidation(err); ok && field != "" {
		if v[field] != key {
			t.Fatalf("validation %v: %s = %q, want %q", v, field, v[field], key)
		}
		return
	}
	var ae *apperr.Error
	if key != "" && errors.As(err, &ae) && ae.Key != key {
		t.Fatalf("error %v: key %q, want %q", err, ae.Key, key)
	}
}

// sesProgramme creates a programme of A (16 hours, 80 % attendance, no
// assessment) with changes.
func sesProgramme(t testing.TB, e *env, code string, change func(*training.ProgrammeInput)) training.Programme {
	t.Helper()
	in := training.ProgrammeInput{Code: code, Title: "Managementul calității " + code, Topic: training.TopicQuality, Provider: "Furnizor SRL",
		Hours: 16, MinAttendance: 80, Active: true}
	if change != nil {
		change(&in)
	}
	return sesMust(e.svc.CreateProgramme(t.Context(), e.qm, in))(t)
}

// sesSession plans a session of p.
func sesSession(t testing.TB, e *env, p training.Programme, start, end string, capacity int) training.Session {
	t.Helper()
	return sesMust(e.svc.CreateSession(t.Context(), e.qm, training.SessionInput{ProgrammeID: p.ID, StartOn: start, EndOn: end,
		Place: "Sala de consiliu", Trainer: "Ștefan Ionescu", Capacity: capacity}))(t)
}

// sesState moves a session on, reading its version first.
func sesState(t testing.TB, e *env, id int64, state string) training.Session {
	t.Helper()
	ss := sesMust(e.svc.Session(t.Context(), e.qm, id))(t)
	return sesMust(e.svc.SetSessionState(t.Context(), e.qm, id, state, ss.Version))(t)
}

// sesEnrolment finds a person's enrolment in a session.
func sesEnrolment(t testing.TB, e *env, sessionID, person int64) training.Enrolment {
	t.Helper()
	for _, en := range sesMust(e.svc.Enrolments(t.Context(), e.qm, sessionID))(t) {
		if en.PersonID == person {
			return en
		}
	}
	t.Fatalf("person %d is not enrolled in session %d", person, sessionID)
	return training.Enrolment{}
}

// sesElected creates an elected councillor of A.
func sesElected(t testing.TB, e *env, name string) int64 {
	t.Helper()
	p := sesMust(e.org.CreatePerson(t.Context(), e.sysA, org.PersonInput{FullName: name, JobTitle: "Consilier local", Position: org.PositionExecution,
		Employment: org.EmploymentElected, ElectedRole: org.ElectedCouncillor, Active: true}))(t)
	return p.ID
}

func sesInt(n int) *int { return &n }
