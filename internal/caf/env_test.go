package caf_test

import (
	"errors"
	"os"
	"testing"
	"time"

	"cadran/internal/apperr"
	"cadran/internal/auth"
	"cadran/internal/caf"
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
// tax service under it) and institution B.
type env struct {
	d   *db.DB
	clk *clock.Fixed
	org *org.Service
	svc *caf.Service

	quality, econ, tax int64
	// People: the quality manager (no member of the group), the economic
	// director (the project leader), two employees of the tax service, a
	// viewer, and B's person.
	ana, dan, ema, ion, vio, bob int64
	qm, head, emp, emp2, viewer  auth.Actor
	other                        auth.Actor // B's quality manager
	sysA                         auth.Actor
}

func newEnv(t testing.TB, d *db.DB) *env {
	t.Helper()
	ctx := t.Context()
	clk := clock.NewFixed(t0)
	e := &env{d: d, clk: clk, org: &org.Service{DB: d, Clock: clk}}
	au := &auth.Service{DB: d, Clock: clk}
	notes := &notify.Service{DB: d, Clock: clk, Bundle: i18n.MustLoad()}
	tasks := &work.Service{DB: d, Clock: clk, Notify: notes}
	e.svc = &caf.Service{DB: d, Clock: clk, Work: tasks, Improve: &improvement.Service{DB: d, Clock: clk, Work: tasks}}
	a, err := e.org.CreateInstitutionSystem(ctx, org.InstitutionInput{Name: "Primăria Municipiului Târgu Mureș", CUI: "4322823", Kind: org.KindMunicipality, County: "Mureș"})
	if err != nil {
		t.Fatal(err)
	}
	b, err := e.org.CreateInstitutionSystem(ctx, org.InstitutionInput{Name: "Primăria Orașului Sovata", CUI: "4305857", Kind: org.KindTown, County: "Mureș"})
	if err != nil {
		t.Fatal(err)
	}
	e.sysA = auth.SystemActor(a.ID, "test")
	sysB := auth.SystemActor(b.ID, "test")
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
	person := func(a auth.Actor, u int64, name, position string) int64 {
		p, err := e.org.CreatePerson(ctx, a, org.PersonInput{UnitID: u, FullName: name, Position: position, Employment: org.EmploymentCivilServant, Active: true})
		if err != nil {
			t.Fatalf("person %s: %v", name, err)
		}
		return p.ID
	}
	e.ana = person(e.sysA, e.quality, "Ana Mureșan", org.PositionExecution)
	e.dan = person(e.sysA, e.econ, "Dan Țurcanu", org.PositionManagement)
	e.ema = person(e.sysA, e.tax, "Ema Știrbu", org.PositionExecution)
	e.ion = person(e.sysA, e.tax, "Ion Bălan", org.PositionExecution)
	e.vio = person(e.sysA, e.quality, "Viorica Pop", org.PositionExecution)
	e.bob = person(sysB, 0, "Bob Bratu", org.PositionExecution)
	user := func(a auth.Actor, name string, pid int64, roles ...auth.Role) auth.Actor {
		u, err := au.CreateUser(ctx, a, auth.UserInput{Username: name, DisplayName: name, Password: "parola-buna-2026", PersonID: pid, Locale: "ro", Roles: roles})
		if err != nil {
			t.Fatalf("user %s: %v", name, err)
		}
		act, err := au.ActorByID(ctx, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		return act
	}
	e.qm = user(e.sysA, "ana", e.ana, auth.RoleQualityManager)
	e.head = user(e.sysA, "dan", e.dan, auth.RoleHeadOfUnit)
	e.emp = user(e.sysA, "ema", e.ema, auth.RoleEmployee)
	e.emp2 = user(e.sysA, "ion", e.ion, auth.RoleEmployee)
	e.viewer = user(e.sysA, "vio", e.vio, auth.RoleViewer)
	e.other = user(sysB, "bob", e.bob, auth.RoleQualityManager)
	return e
}

func (e *env) count(t testing.TB, q string, args ...any) int {
	t.Helper()
	var n int
	if err := e.d.R.QueryRowContext(t.Context(), q, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return n
}

// openTasks counts a person's open CAF tasks of one entity.
func (e *env) openTasks(t testing.TB, person int64, entity string) int {
	t.Helper()
	return e.count(t, `SELECT COUNT(*) FROM tasks WHERE module = 'caf' AND entity = $1 AND state = 'open' AND person_id = $2`, entity, person)
}

func must[T any](v T, err error) func(t testing.TB) T {
	return func(t testing.TB) T {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
}

func ok(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func wantKey(t testing.TB, err error, field, key string) {
	t.Helper()
	v, isV := apperr.AsValidation(err)
	if !isV || v[field] != key {
		t.Fatalf("want %s=%s, got %v", field, key, err)
	}
}

func wantConflict(t testing.TB, err error, key string) {
	t.Helper()
	var ae *apperr.Error
	if !errors.As(err, &ae) || ae.Kind != apperr.KindConflict || ae.Key != key {
		t.Fatalf("want conflict %s, got %v", key, err)
	}
}

func wantForbidden(t testing.TB, err error) {
	t.Helper()
	if !errors.Is(err, apperr.ErrForbidden) {
		t.Fatalf("want forbidden, got %v", err)
	}
}

func day(days int) string { return work.Day(t0).AddDate(0, 0, days).Format(time.DateOnly) }

// cycle creates a classical cycle led by Dan, with Ema in the group.
func (e *env) cycle(t testing.TB, panel string) caf.Cycle {
	t.Helper()
	c := must(e.svc.CreateCycle(t.Context(), e.qm, caf.CycleInput{Title: "Autoevaluare CAF 2026", Panel: panel, LeaderID: e.dan,
		StartOn: day(-10), EndOn: day(40), CommPlan: "Ședință cu șefii de compartimente; anunț pe intranet."}))(t)
	ok(t, e.svc.AddMember(t.Context(), e.qm, c.ID, caf.MemberInput{PersonID: e.ema}))
	return c
}

// fill scores every sub-criterion of a's assessment on the classical
// panel: score(code) gives each.
func (e *env) fill(t testing.TB, a auth.Actor, c caf.Cycle, score func(code string) float64) {
	t.Helper()
	mine := must(e.svc.MyAssessment(t.Context(), a, c.ID))(t)
	for _, x := range mine {
		_, err := e.svc.SaveAssessment(t.Context(), a, c.ID, caf.AssessmentInput{Sub: x.Sub, Evidence: "Procedura PO-01, raportul anual.",
			Strengths: "Există", Improvements: "De extins", Scores: caf.Scores{Score: caf.F(score(x.Sub))}, Version: x.Version})
		ok(t, err)
	}
}

func fire(t testing.TB, e *env, a auth.Actor, c caf.Cycle, action, reason string) caf.Cycle {
	t.Helper()
	return must(e.svc.Fire(t.Context(), a, c.ID, action, c.Version, reason))(t)
}
