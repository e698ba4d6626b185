package control_test

import (
	"errors"
	"testing"

	"cadran/internal/apperr"
	"cadran/internal/auth"
	"cadran/internal/control"
	"cadran/internal/frameworks"
)

// Helpers of the self-evaluation's tests (prefix ev).

func evOK(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func evMust[T any](v T, err error) func(testing.TB) T {
	return func(t testing.TB) T {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
}

// evField checks that err is a validation error with key on field.
func evField(t testing.TB, err error, field, key string) {
	t.Helper()
	v, ok := apperr.AsValidation(err)
	if !ok {
		t.Fatalf("want a validation error %s=%s, got %v", field, key, err)
	}
	if v[field] != key {
		t.Fatalf("want %s=%s, got %v", field, key, v)
	}
}

// evKey checks that err is an application error of kind with key, and
// returns its arguments.
func evKey(t testing.TB, err error, kind apperr.Kind, key string) map[string]any {
	t.Helper()
	var ae *apperr.Error
	if !errors.As(err, &ae) || ae.Kind != kind || ae.Key != key {
		t.Fatalf("want %s (kind %d), got %v", key, kind, err)
	}
	return ae.Args
}

func evNotFound(t testing.TB, what string, err error) {
	t.Helper()
	if !errors.Is(err, apperr.ErrNotFound) {
		t.Fatalf("%s: want not found, got %v", what, err)
	}
}

func evModel() frameworks.OSGG {
	m, _ := frameworks.OSGGModel(frameworks.OSGGLatest)
	return m
}

// Patterns of answers to a standard's questions, giving each status in a
// compartment (every standard has at least two questions).
const (
	evAllYes     = "I"
	evMixed      = "PI" // the first yes, the rest no
	evAllNo      = "NI"
	evAllNA      = "NA"
	evIncomplete = "-" // yes but the last question unanswered
)

// evInputs are the answers to std's questions following pattern.
func evInputs(std frameworks.OSGGStandard, pattern string) []control.AnswerInput {
	var in []control.AnswerInput
	for i, q := range std.Questions {
		x := control.AnswerInput{Question: q.Code}
		switch pattern {
		case evAllYes:
			x.Answer = control.AnswerYes
		case evMixed:
			x.Answer = control.AnswerNo
			if i == 0 {
				x.Answer = control.AnswerYes
			}
		case evAllNo:
			x.Answer = control.AnswerNo
		case evAllNA:
			x.Answer = control.AnswerNA
		case evIncomplete:
			if i < len(std.Questions)-1 {
				x.Answer = control.AnswerYes
			}
		}
		if x.Answer == control.AnswerNo {
			x.Explanation = "Nu există încă o procedură aprobată; se va elabora în trimestrul I."
		}
		in = append(in, x)
	}
	return in
}

// evAnswer answers standard n for unit following pattern, as a.
func (e *env) evAnswer(t testing.TB, a auth.Actor, evalID, unit int64, n int, pattern string) {
	t.Helper()
	std, ok := evModel().Standard(n)
	if !ok {
		t.Fatalf("no standard %d", n)
	}
	evOK(t, e.svc.SaveAnswers(t.Context(), a, evalID, unit, n, evInputs(std, pattern)))
}

// evAnswerAll answers every standard for unit: patterns[n] for standard n,
// all yes for the others.
func (e *env) evAnswerAll(t testing.TB, a auth.Actor, evalID, unit int64, patterns map[int]string) {
	t.Helper()
	for _, std := range evModel().Standards() {
		p, ok := patterns[std.Number]
		if !ok {
			p = evAllYes
		}
		e.evAnswer(t, a, evalID, unit, std.Number, p)
	}
}

// evOpen opens the 2026 evaluation for every unit of A, as the quality
// manager.
func (e *env) evOpen(t testing.TB) control.Evaluation {
	t.Helper()
	return evMust(e.svc.OpenEvaluation(t.Context(), e.qm, control.EvaluationInput{Year: 2026}))(t)
}

// evAudits counts A's audit events of entity (and action, when given).
func (e *env) evAudits(t testing.TB, entity, action string) int {
	t.Helper()
	if action == "" {
		return e.count(t, `SELECT COUNT(*) FROM audit_events WHERE tenant_id = $1 AND entity = $2`, e.sysA.Tenant, entity)
	}
	return e.count(t, `SELECT COUNT(*) FROM audit_events WHERE tenant_id = $1 AND entity = $2 AND action = $3`, e.sysA.Tenant, entity, action)
}

// evRoleTasks counts the open control tasks of entity for the quality
// managers' role.
func (e *env) evRoleTasks(t testing.TB, entity string) int {
	t.Helper()
	return e.count(t, `SELECT COUNT(*) FROM tasks WHERE tenant_id = $1 AND module = 'control' AND entity = $2 AND state = 'open' AND role = $3`,
		e.sysA.Tenant, entity, string(auth.RoleQualityManager))
}
