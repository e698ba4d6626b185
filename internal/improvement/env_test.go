package improvement_test

import (
	"errors"
	"os"
	"testing"
	"time"

	"cadran/internal/apperr"
	"cadran/internal/auth"
	"cadran/internal/clock"
	"cadran/internal/db"
	"cadran/internal/db/dbtest"
	"cadran/internal/i18n"
	"cadran/internal/improvement"
	"cadran/internal/notify"
	"cadran/internal/org"
	"cadran/internal/work"
)

func TestMain(m *testing.M) { os.Exit(dbtest.Main(m)) }

// t0 is Monday 23 November 2026, 11:00 in Bucharest.
var t0 = time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)

// env is institution A (a quality office, the economic directorate with a
// tax service under it, the registry) and institution B.
type env struct {
	d    *db.DB
	clk  *clock.Fixed
	org  *org.Service
	auth *auth.Service
	work *work.Service
	svc  *improvement.Service

	quality, econ, tax, registry int64
	// People: the quality manager, the economic director (a head of
	// unit), two employees of the tax service, the internal auditor, and
	// one without a sign-in.
	ana, dan, ema, ion, aura, nobody int64
	qm, head, emp, emp2, auditor     auth.Actor
	other                            auth.Actor // B's quality manager
	sysA, sysB                       auth.Actor
}

func newEnv(t *testing.T, d *db.DB) *env {
	t.Helper()
	ctx := t.Context()
	clk := clock.NewFixed(t0)
	e := &env{d: d, clk: clk, org: &org.Service{DB: d, Clock: clk}, auth: &auth.Service{DB: d, Clock: clk}}
	notes := &notify.Service{DB: d, Clock: clk, Bundle: i18n.MustLoad()}
	e.work = &work.Service{DB: d, Clock: clk, Notify: notes}
	e.svc = &improvement.Service{DB: d, Clock: clk, Work: e.work}
	a, err := e.org.CreateInstitutionSystem(ctx, org.InstitutionInput{Name: "Primăria Municipiului Târgu Mureș", CUI: "4322823", Kind: org.KindMunicipality, County: "Mureș"})
	if err != nil {
		t.Fatal(err)
	}
	b, err := e.org.CreateInstitutionSystem(ctx, org.InstitutionInput{Name: "Primăria Orașului Sovata", CUI: "4305857", Kind: org.KindTown, County: "Mureș"})
	if err != nil {
		t.Fatal(err)
	}
	e.sysA, e.sysB = auth.SystemActor(a.ID, "test"), auth.SystemActor(b.ID, "test")
	unit := func(parent int64, name, code string) int64 {
		u, err := e.org.CreateUnit(ctx, e.sysA, org.UnitInput{ParentID: parent, Name: name, Code: code, Kind: "service", Relation: "own"})
		if err != nil {
			t.Fatalf("unit %s: %v", name, err)
		}
		return u.ID
	}
	e.quality = unit(0, "Biroul Managementul Calității", "BMC")
	e.econ = unit(0, "Direcția Economică", "DE")
	e.tax = unit(e.econ, "Serviciul Impozite și Taxe Locale", "SITL")
	e.registry = unit(0, "Serviciul Relații cu Publicul și Registratură", "SRPR")
	person := func(a auth.Actor, u int64, name string) int64 {
		p, err := e.org.CreatePerson(ctx, a, org.PersonInput{UnitID: u, FullName: name, Position: org.PositionExecution, Employment: org.EmploymentCivilServant, Active: true})
		if err != nil {
			t.Fatalf("person %s: %v", name, err)
		}
		return p.ID
	}
	e.ana = person(e.sysA, e.quality, "Ana Mureșan")
	e.dan = person(e.sysA, e.econ, "Dan Țurcanu")
	e.ema = person(e.sysA, e.tax, "Ema Știrbu")
	e.ion = person(e.sysA, e.tax, "Ion Bălan")
	e.aura = person(e.sysA, e.quality, "Aura Ionescu")
	e.nobody = person(e.sysA, e.registry, "Nicolae Fără-Cont")
	bob := person(e.sysB, 0, "Bob Bratu")
	user := func(a auth.Actor, name string, pid int64, roles ...auth.Role) auth.Actor {
		u, err := e.auth.CreateUser(ctx, a, auth.UserInput{Username: name, DisplayName: name, Password: "parola-buna-2026", PersonID: pid, Locale: "ro", Roles: roles})
		if err != nil {
			t.Fatalf("user %s: %v", name, err)
		}
		act, err := e.auth.ActorByID(ctx, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		return act
	}
	e.qm = user(e.sysA, "ana", e.ana, auth.RoleQualityManager)
	e.head = user(e.sysA, "dan", e.dan, auth.RoleHeadOfUnit)
	e.emp = user(e.sysA, "ema", e.ema, auth.RoleEmployee)
	e.emp2 = user(e.sysA, "ion", e.ion, auth.RoleEmployee)
	e.auditor = user(e.sysA, "aura", e.aura, auth.RoleAuditor)
	e.other = user(e.sysB, "bob", bob, auth.RoleQualityManager)
	return e
}

func (e *env) count(t *testing.T, q string, args ...any) int {
	t.Helper()
	var n int
	if err := e.d.R.QueryRowContext(t.Context(), q, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return n
}

// openTasks counts the open tasks of a person (or, with role, of a role).
func (e *env) openTasks(t *testing.T, person int64, role auth.Role) int {
	t.Helper()
	if role != "" {
		return e.count(t, `SELECT COUNT(*) FROM tasks WHERE module = 'improvement' AND state = 'open' AND role = $1`, string(role))
	}
	return e.count(t, `SELECT COUNT(*) FROM tasks WHERE module = 'improvement' AND state = 'open' AND person_id = $1`, person)
}

func must[T any](v T, err error) func(t *testing.T) T {
	return func(t *testing.T) T {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
}

func wantKey(t *testing.T, err error, field, key string) {
	t.Helper()
	v, ok := apperr.AsValidation(err)
	if !ok || v[field] != key {
		t.Fatalf("want %s=%s, got %v", field, key, err)
	}
}

func wantConflict(t *testing.T, err error, key string) {
	t.Helper()
	var ae *apperr.Error
	if !errors.As(err, &ae) || ae.Kind != apperr.KindConflict || ae.Key != key {
		t.Fatalf("want conflict %s, got %v", key, err)
	}
}

func wantForbidden(t *testing.T, err error) {
	t.Helper()
	if !errors.Is(err, apperr.ErrForbidden) {
		t.Fatalf("want forbidden, got %v", err)
	}
}

func day(days int) string { return work.Day(t0).AddDate(0, 0, days).Format(time.DateOnly) }

// report is a complaint about the tax service, as an employee files it.
func (e *env) report(t *testing.T, a auth.Actor, title string) improvement.Nonconformity {
	t.Helper()
	return must(e.svc.Create(t.Context(), a, improvement.NCInput{Title: title, Description: "Cererea nr. 1234 a primit răspuns după 45 de zile.",
		Source: improvement.SourceComplaint, SourceRef: "Petiția nr. 1234/2026", Process: "Eliberarea certificatelor fiscale", UnitID: e.tax,
		Clause: "8.5.1", Severity: improvement.SeverityMinor, DetectedOn: day(-3)}))(t)
}
