package scorecard_test

import (
	"errors"
	"testing"
	"time"

	"cadran/internal/auth"
	"cadran/internal/clock"
	"cadran/internal/db"
	"cadran/internal/org"
	"cadran/internal/scorecard"
	"cadran/internal/work"
)

// msT0 is Monday 23 November 2026, 11:00 in Bucharest.
var msT0 = time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)

// msEnv is institution A (a quality office, the economic directorate with
// a tax service under it) and institution B, with KPIs made by plain SQL.
type msEnv struct {
	d    *db.DB
	clk  *clock.Fixed
	org  *org.Service
	auth *auth.Service
	work *work.Service
	svc  *scorecard.Service

	quality, econ, tax int64
	// People: the quality manager, the economic director (head of unit),
	// an employee of the tax service who owns KPIs, a person without a
	// sign-in.
	ana, dan, ema, nobody int64
	qm, head, emp, viewer auth.Actor
	other                 auth.Actor // B's quality manager
	sysA, sysB            auth.Actor
}

func msNewEnv(t testing.TB, d *db.DB) *msEnv {
	t.Helper()
	ctx := t.Context()
	clk := clock.NewFixed(msT0)
	e := &msEnv{d: d, clk: clk, org: &org.Service{DB: d, Clock: clk}, auth: &auth.Service{DB: d, Clock: clk}}
	e.work = &work.Service{DB: d, Clock: clk}
	e.svc = &scorecard.Service{DB: d, Clock: clk, Work: e.work}
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
	e.nobody = person(e.sysA, e.tax, "Nicolae Fără-Cont")
	vio := person(e.sysA, e.quality, "Vio Consilier")
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
	e.viewer = user(e.sysA, "vio", vio, auth.RoleViewer)
	e.other = user(e.sysB, "bob", bob, auth.RoleQualityManager)
	return e
}

// msKPI is a KPI made with plain SQL.
type msKPI struct {
	tenant           int64
	code, freq       string
	polarity, method string
	baseline, red    *float64
	owner, unit      int64
	metric, formula  string
	decimals         int
	created          time.Time
	targets          map[string]float64
}

func msF64(v float64) *float64 { return &v }

func (e *msEnv) kpi(t testing.TB, k msKPI) int64 {
	t.Helper()
	if k.tenant == 0 {
		k.tenant = e.sysA.Tenant
	}
	if k.freq == "" {
		k.freq = scorecard.Monthly
	}
	if k.polarity == "" {
		k.polarity = scorecard.PolarityHigher
	}
	if k.method == "" {
		k.method = scorecard.MethodLinear
	}
	if k.created.IsZero() {
		k.created = time.Date(2024, 1, 10, 8, 0, 0, 0, time.UTC)
	}
	null := func(id int64) any {
		if id == 0 {
			return nil
		}
		return id
	}
	nf := func(f *float64) any {
		if f == nil {
			return nil
		}
		return *f
	}
	var id int64
	if err := e.d.W.QueryRowContext(t.Context(), `INSERT INTO scorecard_kpis (tenant_id, code, name, polarity, method, frequency, baseline, red_low, decimals,
		owner_id, unit_id, metric, formula, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $14) RETURNING id`,
		k.tenant, k.code, "Indicatorul "+k.code, k.polarity, k.method, k.freq, nf(k.baseline), nf(k.red), k.decimals, null(k.owner), null(k.unit),
		k.metric, k.formula, k.created).Scan(&id); err != nil {
		t.Fatalf("kpi %s: %v", k.code, err)
	}
	for p, v := range k.targets {
		if _, err := e.d.W.ExecContext(t.Context(), `INSERT INTO scorecard_targets (tenant_id, kpi_id, period, target) VALUES ($1, $2, $3, $4)`, k.tenant, id, p, v); err != nil {
			t.Fatal(err)
		}
	}
	return id
}

func (e *msEnv) count(t *testing.T, q string, args ...any) int {
	t.Helper()
	var n int
	if err := e.d.R.QueryRowContext(t.Context(), q, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return n
}

// value reads a KPI's value in force and pending value for a period.
func (e *msEnv) value(t *testing.T, kpi int64, period string) (value, pending *float64) {
	t.Helper()
	var v, p *float64
	err := e.d.R.QueryRowContext(t.Context(), `SELECT value, pending_value FROM scorecard_measurements WHERE kpi_id = $1 AND period = $2`, kpi, period).Scan(&v, &p)
	if err != nil {
		return nil, nil
	}
	return v, p
}

func msWantEntryError(t *testing.T, err error, index int, field, key string) {
	t.Helper()
	var ee scorecard.EntryErrors
	if !errors.As(err, &ee) {
		t.Fatalf("want entry errors, got %v", err)
	}
	for _, x := range ee {
		if x.Index == index && x.Field == field && x.Key == key {
			return
		}
	}
	t.Fatalf("want entry %d %s=%s, got %+v", index, field, key, ee)
}

func msMust[T any](v T, err error) func(t *testing.T) T {
	return func(t *testing.T) T {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
}
