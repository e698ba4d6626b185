package control_test

import (
	"os"
	"testing"
	"time"

	"cadran/internal/auth"
	"cadran/internal/blob"
	"cadran/internal/clock"
	"cadran/internal/control"
	"cadran/internal/db"
	"cadran/internal/db/dbtest"
	"cadran/internal/documents"
	"cadran/internal/i18n"
	"cadran/internal/notify"
	"cadran/internal/org"
	"cadran/internal/work"
)

// The shared fixture of the control package's tests (lead's groundwork;
// helpers add their own fixtures in their own test files, not here).

func TestMain(m *testing.M) { os.Exit(dbtest.Main(m)) }

// t0 is Monday 23 November 2026, 11:00 in Bucharest.
var t0 = time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)

// env is institution A (a quality office, the economic directorate with a
// tax service under it) and institution B.
type env struct {
	d    *db.DB
	clk  *clock.Fixed
	org  *org.Service
	docs *documents.Service
	work *work.Service
	svc  *control.Service

	quality, econ, tax int64
	// People: the quality manager, the economic director (head of unit),
	// two employees of the tax service, a viewer, and B's person.
	ana, dan, ema, ion, vio, bob int64
	qm, head, emp, emp2, viewer  auth.Actor
	other                        auth.Actor // B's quality manager
	sysA, sysB                   auth.Actor
}

func newEnv(t testing.TB, d *db.DB) *env {
	t.Helper()
	ctx := t.Context()
	clk := clock.NewFixed(t0)
	e := &env{d: d, clk: clk, org: &org.Service{DB: d, Clock: clk}}
	au := &auth.Service{DB: d, Clock: clk}
	notes := &notify.Service{DB: d, Clock: clk, Bundle: i18n.MustLoad()}
	e.work = &work.Service{DB: d, Clock: clk, Notify: notes}
	e.docs = &documents.Service{DB: d, Clock: clk, Work: e.work}
	files, err := blob.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	e.docs.Files = files
	e.svc = &control.Service{DB: d, Clock: clk, Work: e.work}
	a, err := e.org.CreateInstitutionSystem(ctx, org.InstitutionInput{Name: "Primăria Municipiului Târgu Mureș", CUI: "4322823", Kind: org.KindMunicipality, County: "Mureș"})
	if err != nil {
		t.Fatal(err)
	}
	b, err := e.org.CreateInstitutionSystem(ctx, org.InstitutionInput{Name: "Primăria Orașului Sovata", CUI: "4305857", Kind: org.KindTown, County: "Mureș"})
	if err != nil {
		t.Fatal(err)
	}
	e.sysA = auth.SystemActor(a.ID, "test")
	e.sysB = auth.SystemActor(b.ID, "test")
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
	e.ana = e.person(t, e.sysA, e.quality, "Ana Mureșan", "Consilier calitate", org.PositionExecution)
	e.dan = e.person(t, e.sysA, e.econ, "Dan Țurcanu", "Director executiv", org.PositionManagement)
	e.ema = e.person(t, e.sysA, e.tax, "Ema Știrbu", "Inspector", org.PositionExecution)
	e.ion = e.person(t, e.sysA, e.tax, "Ion Bălan", "Inspector", org.PositionExecution)
	e.vio = e.person(t, e.sysA, e.quality, "Viorica Pop", "Referent", org.PositionExecution)
	e.bob = e.person(t, e.sysB, 0, "Bob Bratu", "Inspector", org.PositionExecution)
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
	e.emp2 = user(e.sysA, "ion", e.ion, auth.RoleEmployee, auth.RoleAuditor)
	e.viewer = user(e.sysA, "vio", e.vio, auth.RoleViewer)
	e.other = user(e.sysB, "bob", e.bob, auth.RoleQualityManager)
	return e
}

// person creates an active civil servant in unit u (0: none).
func (e *env) person(t testing.TB, a auth.Actor, u int64, name, job, position string) int64 {
	t.Helper()
	p, err := e.org.CreatePerson(t.Context(), a, org.PersonInput{UnitID: u, FullName: name, JobTitle: job, Position: position, Employment: org.EmploymentCivilServant, Active: true})
	if err != nil {
		t.Fatalf("person %s: %v", name, err)
	}
	return p.ID
}

func (e *env) count(t testing.TB, q string, args ...any) int {
	t.Helper()
	var n int
	if err := e.d.R.QueryRowContext(t.Context(), q, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return n
}

// openTasks counts a person's open control tasks of one entity.
func (e *env) openTasks(t testing.TB, person int64, entity string) int {
	t.Helper()
	return e.count(t, `SELECT COUNT(*) FROM tasks WHERE module = 'control' AND entity = $1 AND state = 'open' AND person_id = $2`, entity, person)
}

// run runs fn on SQLite and, when its binaries are installed, PostgreSQL,
// each with a fresh env.
func run(t *testing.T, fn func(t *testing.T, e *env)) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) { fn(t, newEnv(t, d)) })
}
