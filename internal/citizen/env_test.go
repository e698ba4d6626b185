package citizen_test

import (
	"errors"
	"os"
	"testing"
	"time"

	"cadran/internal/apperr"
	"cadran/internal/auth"
	"cadran/internal/citizen"
	"cadran/internal/clock"
	"cadran/internal/db"
	"cadran/internal/db/dbtest"
	"cadran/internal/i18n"
	"cadran/internal/notify"
	"cadran/internal/org"
	"cadran/internal/work"
)

func TestMain(m *testing.M) { os.Exit(dbtest.Main(m)) }

// t0 is Monday 23 November 2026, 11:00 in Bucharest.
var t0 = time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)

// env is institution A (the registry, the economic directorate with a tax
// service under it, urbanism) and institution B.
//
// The helpers of env are shared by the module's tests (H1's case_*,
// access_* and H2's stats_*, services_* files): keep their signatures.
type env struct {
	d    *db.DB
	clk  *clock.Fixed
	org  *org.Service
	auth *auth.Service
	work *work.Service
	svc  *citizen.Service

	// A's units and B's one unit.
	registry, econ, tax, urban, unitB int64
	// People: the registry clerk, the quality manager, the economic
	// director (a head of unit), two employees of the tax service, an
	// urbanism employee, B's clerk.
	rita, ana, dan, ema, ion, ura, bob int64
	clerk, qm, head, emp, emp2, urb    auth.Actor
	top, viewer                        auth.Actor
	other                              auth.Actor // B's registry clerk
	sysA, sysB                         auth.Actor
	tenantA, tenantB                   int64
}

func newEnv(t *testing.T, d *db.DB) *env {
	t.Helper()
	ctx := t.Context()
	clk := clock.NewFixed(t0)
	e := &env{d: d, clk: clk, org: &org.Service{DB: d, Clock: clk}, auth: &auth.Service{DB: d, Clock: clk}}
	notes := &notify.Service{DB: d, Clock: clk, Bundle: i18n.MustLoad()}
	e.work = &work.Service{DB: d, Clock: clk, Notify: notes}
	e.svc = &citizen.Service{DB: d, Clock: clk, Work: e.work}
	a, err := e.org.CreateInstitutionSystem(ctx, org.InstitutionInput{Name: "Primăria Municipiului Târgu Mureș", CUI: "4322823", Kind: org.KindMunicipality, County: "Mureș"})
	if err != nil {
		t.Fatal(err)
	}
	b, err := e.org.CreateInstitutionSystem(ctx, org.InstitutionInput{Name: "Primăria Orașului Sovata", CUI: "4305857", Kind: org.KindTown, County: "Mureș"})
	if err != nil {
		t.Fatal(err)
	}
	e.tenantA, e.tenantB = a.ID, b.ID
	e.sysA, e.sysB = auth.SystemActor(a.ID, "test"), auth.SystemActor(b.ID, "test")
	unit := func(a auth.Actor, parent int64, name, code string) int64 {
		u, err := e.org.CreateUnit(ctx, a, org.UnitInput{ParentID: parent, Name: name, Code: code, Kind: "service", Relation: "own"})
		if err != nil {
			t.Fatalf("unit %s: %v", name, err)
		}
		return u.ID
	}
	e.registry = unit(e.sysA, 0, "Serviciul Relații cu Publicul și Registratură", "SRPR")
	e.econ = unit(e.sysA, 0, "Direcția Economică", "DE")
	e.tax = unit(e.sysA, e.econ, "Serviciul Impozite și Taxe Locale", "SITL")
	e.urban = unit(e.sysA, 0, "Direcția Urbanism", "DU")
	e.unitB = unit(e.sysB, 0, "Compartimentul Registratură", "REG")
	person := func(a auth.Actor, u int64, name string) int64 {
		p, err := e.org.CreatePerson(ctx, a, org.PersonInput{UnitID: u, FullName: name, Position: org.PositionExecution, Employment: org.EmploymentCivilServant, Active: true})
		if err != nil {
			t.Fatalf("person %s: %v", name, err)
		}
		return p.ID
	}
	e.rita = person(e.sysA, e.registry, "Rita Pop")
	e.ana = person(e.sysA, e.registry, "Ana Mureșan")
	e.dan = person(e.sysA, e.econ, "Dan Țurcanu")
	e.ema = person(e.sysA, e.tax, "Ema Știrbu")
	e.ion = person(e.sysA, e.tax, "Ion Bălan")
	e.ura = person(e.sysA, e.urban, "Ura Câmpeanu")
	e.bob = person(e.sysB, e.unitB, "Bob Bratu")
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
	e.clerk = user(e.sysA, "rita", e.rita, auth.RoleRegistryClerk)
	e.qm = user(e.sysA, "ana", e.ana, auth.RoleQualityManager)
	e.head = user(e.sysA, "dan", e.dan, auth.RoleHeadOfUnit)
	e.emp = user(e.sysA, "ema", e.ema, auth.RoleEmployee)
	e.emp2 = user(e.sysA, "ion", e.ion, auth.RoleEmployee)
	e.urb = user(e.sysA, "ura", e.ura, auth.RoleEmployee)
	e.top = user(e.sysA, "primar", 0, auth.RoleTopManagement)
	e.viewer = user(e.sysA, "consilier", 0, auth.RoleViewer)
	e.other = user(e.sysB, "bob", e.bob, auth.RoleRegistryClerk)
	return e
}

// service adds a service to tenant's catalogue directly (the catalogue's
// own API is tested in services_test.go) and returns its id.
func (e *env) service(t *testing.T, tenant int64, code, name string, unit int64, legalDays int, active bool) int64 {
	t.Helper()
	var u any
	if unit != 0 {
		u = unit
	}
	var id int64
	if err := e.d.W.QueryRowContext(t.Context(), `INSERT INTO citizen_services (tenant_id, code, name, unit_id, legal_days, active, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING id`, tenant, code, name, u, legalDays, active, e.clk.Now()).Scan(&id); err != nil {
		t.Fatal(err)
	}
	return id
}

// at moves the clock to 11:00 in Bucharest on day (YYYY-MM-DD).
func (e *env) at(t *testing.T, dayText string) {
	t.Helper()
	d, err := time.Parse(time.DateOnly, dayText)
	if err != nil {
		t.Fatal(err)
	}
	e.clk.Set(d.Add(9 * time.Hour))
}

func (e *env) count(t *testing.T, q string, args ...any) int {
	t.Helper()
	var n int
	if err := e.d.R.QueryRowContext(t.Context(), q, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return n
}

// tasks returns the open citizen tasks of case id: who has them (a person
// id, or the role and its unit) and their due day.
type openTask struct {
	PersonID int64
	Role     string
	UnitID   int64
	Due      string
	Kind     string
}

func (e *env) openTasks(t *testing.T, id int64) []openTask {
	t.Helper()
	rows, err := e.d.R.QueryContext(t.Context(), `SELECT COALESCE(person_id, 0), role, COALESCE(role_unit_id, 0), due_on, kind FROM tasks
		WHERE module = 'citizen' AND entity = 'citizen_case' AND entity_id = $1 AND state = 'open' ORDER BY id`, id)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []openTask
	for rows.Next() {
		var x openTask
		if err := rows.Scan(&x.PersonID, &x.Role, &x.UnitID, &x.Due, &x.Kind); err != nil {
			t.Fatal(err)
		}
		out = append(out, x)
	}
	return out
}

// events counts the audit events on entity id.
func (e *env) events(t *testing.T, entity string, id int64) int {
	t.Helper()
	return e.count(t, `SELECT COUNT(*) FROM audit_events WHERE entity = $1 AND entity_id = $2`, entity, id)
}

// petition registers a petition at the counter, assigned to person (0:
// none) in unit (0: none), as the clerk.
func (e *env) petition(t *testing.T, subject string, unit, person int64) citizen.Receipt {
	t.Helper()
	r, err := e.svc.Register(t.Context(), e.clerk, citizen.CaseInput{Kind: citizen.KindPetition, Channel: citizen.ChannelCounter,
		Petitioner: citizen.Petitioner{Name: "Maria Popescu", Phone: "0740 123 456", Address: "Str. Trandafirilor 3, Târgu Mureș"}, Consent: true,
		Subject: subject, Body: "Vă rog să verificați.", Topic: "taxes", UnitID: unit, AssigneeID: person})
	if err != nil {
		t.Fatal(err)
	}
	return r
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

func wantKind(t *testing.T, err error, kind apperr.Kind) {
	t.Helper()
	if apperr.KindOf(err) != kind || err == nil {
		t.Fatalf("want error kind %d, got %v", kind, err)
	}
}

func date(s string) time.Time {
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return d
}
