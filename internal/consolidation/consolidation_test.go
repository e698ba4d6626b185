package consolidation_test

import (
	"database/sql"
	"errors"
	"math"
	"os"
	"reflect"
	"strconv"
	"testing"
	"time"

	"cadran/internal/apperr"
	"cadran/internal/auth"
	"cadran/internal/clock"
	"cadran/internal/consolidation"
	"cadran/internal/db"
	"cadran/internal/db/dbtest"
	"cadran/internal/org"
	"cadran/internal/risks"
)

func TestMain(m *testing.M) { os.Exit(dbtest.Main(m)) }

// t0 is Monday 23 November 2026: the scorecard is read as of October.
var t0 = time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)

// env is institution A — an own apparatus of two top-level units (the
// economic directorate, with a tax service and a subordinate-marked
// compartment under it, and the quality office), the social assistance
// directorate (subordinate, legal person, with a service under it) and the
// local police (decentralised) — and institution B with records of its
// own that A must never see.
type env struct {
	d   *db.DB
	svc *consolidation.Service
	org *org.Service

	econ, tax, comp, quality, das, sbs, pl, bUnit int64
	qm, top, emp, head, other                     auth.Actor
	a, b                                          int64
}

func newEnv(t *testing.T, d *db.DB) *env {
	t.Helper()
	ctx := t.Context()
	clk := clock.NewFixed(t0)
	e := &env{d: d, org: &org.Service{DB: d, Clock: clk}}
	e.svc = &consolidation.Service{DB: d, Clock: clk, Risks: &risks.Service{DB: d, Clock: clk}}
	au := &auth.Service{DB: d, Clock: clk}
	a, err := e.org.CreateInstitutionSystem(ctx, org.InstitutionInput{Name: "Primăria Municipiului Târgu Mureș", CUI: "4322823", Kind: org.KindMunicipality, County: "Mureș"})
	if err != nil {
		t.Fatal(err)
	}
	b, err := e.org.CreateInstitutionSystem(ctx, org.InstitutionInput{Name: "Primăria Orașului Sovata", CUI: "4305857", Kind: org.KindTown, County: "Mureș"})
	if err != nil {
		t.Fatal(err)
	}
	e.a, e.b = a.ID, b.ID
	sysA, sysB := auth.SystemActor(a.ID, "test"), auth.SystemActor(b.ID, "test")
	unit := func(sys auth.Actor, parent int64, name, relation string, legal bool) int64 {
		u, err := e.org.CreateUnit(ctx, sys, org.UnitInput{ParentID: parent, Name: name, Kind: org.UnitService, Relation: relation, LegalPerson: legal})
		if err != nil {
			t.Fatalf("unit %s: %v", name, err)
		}
		return u.ID
	}
	e.econ = unit(sysA, 0, "Direcția Economică", org.RelationOwn, false)
	e.tax = unit(sysA, e.econ, "Serviciul Impozite și Taxe", org.RelationOwn, false)
	e.comp = unit(sysA, e.econ, "Cantina socială", org.RelationSubordinate, false)
	e.quality = unit(sysA, 0, "Biroul Managementul Calității", org.RelationOwn, false)
	e.das = unit(sysA, 0, "Direcția de Asistență Socială", org.RelationSubordinate, true)
	e.sbs = unit(sysA, e.das, "Serviciul Beneficii Sociale", org.RelationSubordinate, false)
	e.pl = unit(sysA, 0, "Poliția Locală", org.RelationDecentralised, true)
	e.bUnit = unit(sysB, 0, "Serviciul Public de Asistență Socială Sovata", org.RelationSubordinate, true)
	person := func(sys auth.Actor, u int64, name string) int64 {
		p, err := e.org.CreatePerson(ctx, sys, org.PersonInput{UnitID: u, FullName: name, JobTitle: "Inspector", Position: org.PositionExecution, Employment: org.EmploymentCivilServant, Active: true})
		if err != nil {
			t.Fatalf("person %s: %v", name, err)
		}
		return p.ID
	}
	user := func(sys auth.Actor, name string, pid int64, roles ...auth.Role) auth.Actor {
		u, err := au.CreateUser(ctx, sys, auth.UserInput{Username: name, DisplayName: name, Password: "parola-buna-2026", PersonID: pid, Locale: "ro", Roles: roles})
		if err != nil {
			t.Fatalf("user %s: %v", name, err)
		}
		act, err := au.ActorByID(ctx, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		return act
	}
	ana := person(sysA, e.quality, "Ana Mureșan")
	dan := person(sysA, e.econ, "Dan Țurcanu")
	ema := person(sysA, e.tax, "Ema Știrbu")
	gone := person(sysA, e.tax, "Ion Bălan")
	dora := person(sysA, e.sbs, "Dora Ionescu")
	dinu := person(sysA, e.das, "Dinu Pop")
	paul := person(sysA, e.pl, "Paul Radu")
	nobody := person(sysA, 0, "Nora Fără-Unitate")
	bob := person(sysB, e.bUnit, "Bob Bratu")
	e.qm = user(sysA, "ana", ana, auth.RoleQualityManager)
	e.top = user(sysA, "primar", 0, auth.RoleTopManagement)
	e.emp = user(sysA, "ema", ema, auth.RoleEmployee)
	e.head = user(sysA, "dan", dan, auth.RoleHeadOfUnit)
	e.other = user(sysB, "bob", bob, auth.RoleQualityManager)
	e.exec(t, `UPDATE people SET active = FALSE WHERE id = $1`, gone)

	// KPIs, as of October 2026.
	kpi := func(tenant, unit int64, code, polarity, method, freq string, red any, weight float64, archived bool) int64 {
		var u any
		if unit != 0 {
			u = unit
		}
		return e.insert(t, `INSERT INTO scorecard_kpis (tenant_id, code, name, polarity, method, frequency, baseline, red_low, unit_id, weight, archived, created_at, updated_at)
			VALUES ($1, $2, $2, $3, $4, $5, 0, $6, $7, $8, $9, $10, $10) RETURNING id`, tenant, code, polarity, method, freq, red, u, weight, archived, t0)
	}
	measure := func(tenant, k int64, period, end string, target, value float64) {
		e.exec(t, `INSERT INTO scorecard_targets (tenant_id, kpi_id, period, target) VALUES ($1, $2, $3, $4)`, tenant, k, "2026", target)
		e.exec(t, `INSERT INTO scorecard_measurements (tenant_id, kpi_id, period, period_end, value, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $6)`,
			tenant, k, period, end, value, t0)
	}
	// Own: amber 90 (weight 1) and green 100 (weight 3): 97.5.
	measure(e.a, kpi(e.a, e.econ, "K1", "higher", "linear", "monthly", 50.0, 1, false), "2026-10", "2026-10-31", 100, 90)
	measure(e.a, kpi(e.a, e.tax, "K2", "higher", "linear", "quarterly", nil, 3, false), "2026-Q3", "2026-09-30", 100, 100)
	// An older value does not count: October's is the one read.
	k2b := kpi(e.a, e.tax, "K2B", "higher", "linear", "monthly", nil, 0, false)
	e.exec(t, `INSERT INTO scorecard_measurements (tenant_id, kpi_id, period, period_end, value, created_at, updated_at) VALUES ($1, $2, '2026-09', '2026-09-30', 5, $3, $3)`, e.a, k2b, t0)
	// DAS: red (binary, missed); PL: no value; one without a unit: green.
	measure(e.a, kpi(e.a, e.sbs, "K3", "higher", "binary", "monthly", nil, 1, false), "2026-10", "2026-10-31", 50, 40)
	kpi(e.a, e.pl, "K4", "lower", "linear", "monthly", nil, 1, false)
	measure(e.a, kpi(e.a, 0, "K5", "higher", "bands", "monthly", nil, 1, false), "2026-10", "2026-10-31", 10, 12)
	kpi(e.a, e.das, "K6", "higher", "linear", "monthly", nil, 1, true) // archived
	measure(e.b, kpi(e.b, e.bUnit, "KB", "higher", "linear", "monthly", nil, 1, false), "2026-10", "2026-10-31", 10, 12)

	// Risks of 2026 (tolerance 8, high above 8).
	n := 0
	risk := func(tenant, unit int64, year int, kind, state string, e2 int) {
		n++
		var u any
		if unit != 0 {
			u = unit
		}
		e.exec(t, `INSERT INTO risks (tenant_id, year, kind, code, sort_code, level, description, unit_id, scale, inherent_p, inherent_i, inherent_e, strategy, cur_p, cur_i, cur_e, state, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $4, 'unit', 'Riscul', $5, 5, 1, 1, $6, 'reduce', 1, 1, $6, $7, $8, $8)`, tenant, year, kind, "R"+string(rune('A'+n)), u, e2, state, t0)
	}
	risk(e.a, e.econ, 2026, "risk", "active", 12)
	risk(e.a, e.das, 2026, "risk", "active", 6)
	risk(e.a, e.sbs, 2026, "risk", "active", 9)
	risk(e.a, e.pl, 2026, "risk", "active", 4)
	risk(e.a, e.das, 2026, "risk", "closed", 20)
	risk(e.a, e.das, 2026, "opportunity", "active", 20)
	risk(e.a, e.das, 2025, "risk", "active", 20)
	risk(e.a, 0, 2026, "risk", "active", 10)
	risk(e.b, e.bUnit, 2026, "risk", "active", 25)

	// Nonconformities, actions, proposals.
	nc := func(tenant, unit int64, code, state, detected string) int64 {
		return e.insert(t, `INSERT INTO nonconformities (tenant_id, code, sort_code, title, source, unit_id, severity, severity_rank, detected_on, state, created_at, updated_at)
			VALUES ($1, $2, $2, 'Neconformitatea', 'audit', $3, 'minor', 1, $4, $5, $6, $6) RETURNING id`, tenant, code, unit, detected, state, t0)
	}
	action := func(tenant, ncID int64, due, state string) {
		e.exec(t, `INSERT INTO improvement_actions (tenant_id, nc_id, description, due_on, state, created_at, updated_at) VALUES ($1, $2, 'Acțiunea', $3, $4, $5, $5)`, tenant, ncID, due, state, t0)
	}
	nc(e.a, e.econ, "NC1", "analysis", "2026-05-01")
	nc(e.a, e.das, "NC2", "closed", "2025-03-01")
	sbsNC := nc(e.a, e.sbs, "NC3", "reported", "2026-11-01")
	action(e.a, sbsNC, "2026-11-01", "open")
	action(e.a, sbsNC, "2026-12-31", "open")
	action(e.a, sbsNC, "2026-10-01", "done")
	nc(e.a, e.pl, "NC4", "cancelled", "2026-02-02")
	bNC := nc(e.b, e.bUnit, "NCB", "reported", "2026-01-01")
	action(e.b, bNC, "2026-01-10", "open")
	proposal := func(tenant, unit int64, code, state string) {
		e.exec(t, `INSERT INTO improvement_proposals (tenant_id, code, sort_code, title, description, unit_id, state, submitted_on, created_at, updated_at)
			VALUES ($1, $2, $2, 'Propunerea', 'Descrierea', $3, $4, '2026-03-01', $5, $5)`, tenant, code, unit, state, t0)
	}
	proposal(e.a, e.das, "P1", "submitted")
	proposal(e.a, e.pl, "P2", "declined")
	proposal(e.a, e.econ, "P3", "accepted")
	proposal(e.b, e.bUnit, "PB", "evaluation")

	// Sensitive functions.
	fn := func(tenant, unit int64, state string) {
		e.exec(t, `INSERT INTO control_sensitive_functions (tenant_id, unit_id, title, state, created_at, updated_at) VALUES ($1, $2, 'Casier', $3, $4, $4)`, tenant, unit, state, t0)
	}
	fn(e.a, e.pl, "active")
	fn(e.a, e.pl, "active")
	fn(e.a, e.das, "retired")
	fn(e.a, e.econ, "active")
	fn(e.b, e.bUnit, "active")

	// Training: three sessions of one programme, enrolments, certificates.
	prog := func(tenant int64, code string) int64 {
		return e.insert(t, `INSERT INTO training_programmes (tenant_id, code, title, topic, hours, created_at, updated_at) VALUES ($1, $2, 'Programul', 'quality', 8, $3, $3) RETURNING id`, tenant, code, t0)
	}
	session := func(tenant, p int64, code, day string) int64 {
		return e.insert(t, `INSERT INTO training_sessions (tenant_id, programme_id, code, start_on, end_on, state, created_at, updated_at) VALUES ($1, $2, $3, $4, $4, 'held', $5, $5) RETURNING id`,
			tenant, p, code, day, t0)
	}
	enrol := func(tenant, s, person int64, state string, hours float64, done string) {
		e.exec(t, `INSERT INTO training_enrolments (tenant_id, session_id, person_id, state, hours, completed_on, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $7)`,
			tenant, s, person, state, hours, done, t0)
	}
	pa := prog(e.a, "P-A")
	s1, s2, s3 := session(e.a, pa, "S1", "2026-03-10"), session(e.a, pa, "S2", "2026-06-10"), session(e.a, pa, "S3", "2025-12-20")
	enrol(e.a, s1, ana, "completed", 8, "2026-03-10")
	enrol(e.a, s2, ana, "completed", 4, "2026-06-10")
	enrol(e.a, s1, dora, "completed", 16, "2026-10-01")
	enrol(e.a, s1, paul, "enrolled", 0, "")
	enrol(e.a, s1, gone, "completed", 8, "2026-03-10")
	enrol(e.a, s3, dinu, "completed", 8, "2025-12-20")
	sb := session(e.b, prog(e.b, "P-B"), "SB", "2026-03-10")
	enrol(e.b, sb, bob, "completed", 40, "2026-03-10")
	cert := func(tenant, person int64, expires string, revoked bool) {
		e.exec(t, `INSERT INTO training_certificates (tenant_id, person_id, name, issued_on, expires_on, revoked, created_at, updated_at) VALUES ($1, $2, 'Auditor intern', '2025-01-10', $3, $4, $5, $5)`,
			tenant, person, expires, revoked, t0)
	}
	cert(e.a, ana, "", false)
	cert(e.a, dinu, "2026-01-01", false)
	cert(e.a, paul, "", true)
	cert(e.a, paul, "2027-01-01", false)
	cert(e.a, nobody, "", false)
	cert(e.b, bob, "", false)
	return e
}

func (e *env) exec(t *testing.T, q string, args ...any) {
	t.Helper()
	if err := e.d.Tx(t.Context(), func(tx *sql.Tx) error { _, err := tx.ExecContext(t.Context(), q, args...); return err }); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
}

func (e *env) insert(t *testing.T, q string, args ...any) int64 {
	t.Helper()
	var id int64
	if err := e.d.Tx(t.Context(), func(tx *sql.Tx) error { return tx.QueryRowContext(t.Context(), q, args...).Scan(&id) }); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return id
}

func run(t *testing.T, fn func(t *testing.T, e *env)) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) { fn(t, newEnv(t, d)) })
}

// byKey returns the view's columns by body key.
func byKey(v consolidation.View) map[string]consolidation.Column {
	out := map[string]consolidation.Column{}
	for _, c := range v.Columns {
		out[c.Body.Key] = c
	}
	return out
}

func key(id int64) string { return "u" + strconv.FormatInt(id, 10) }

// TestBodies: the own apparatus gathers every own top-level unit with its
// subtree (a subordinate-marked unit inside it included); each subordinate
// or decentralised top-level unit is a body with its subtree and its
// legal-person marker; B's units are not A's.
func TestBodies(t *testing.T) {
	run(t, func(t *testing.T, e *env) {
		bodies, byUnit, err := consolidation.Bodies(t.Context(), e.d.R, e.a)
		if err != nil {
			t.Fatal(err)
		}
		if len(bodies) != 3 {
			t.Fatalf("bodies: %+v", bodies)
		}
		own, das, pl := bodies[0], bodies[1], bodies[2]
		if own.Kind != consolidation.KindOwn || own.UnitID != 0 || len(own.Units) != 4 || !own.Has(e.comp) || !own.Has(e.quality) || !own.Has(e.tax) {
			t.Errorf("own apparatus: %+v", own)
		}
		if das.Kind != consolidation.KindSubordinate || das.UnitID != e.das || !das.LegalPerson || len(das.Units) != 2 || !das.Has(e.sbs) || das.Name != "Direcția de Asistență Socială" {
			t.Errorf("DAS: %+v", das)
		}
		if pl.Kind != consolidation.KindDecentralised || pl.UnitID != e.pl || !pl.LegalPerson || len(pl.Units) != 1 {
			t.Errorf("PL: %+v", pl)
		}
		if byUnit[e.sbs] != 1 || byUnit[e.tax] != 0 || byUnit[e.pl] != 2 {
			t.Errorf("by unit: %v", byUnit)
		}
		if _, ok := byUnit[e.bUnit]; ok {
			t.Errorf("B's unit is among A's bodies")
		}
	})
}

// TestConsolidatedFigures pins each section's figures for the fixture,
// and that every total is the sum of its columns.
func TestConsolidatedFigures(t *testing.T) {
	run(t, func(t *testing.T, e *env) {
		v, err := e.svc.Consolidated(t.Context(), e.qm, consolidation.Query{})
		if err != nil {
			t.Fatal(err)
		}
		if v.Year != 2026 || v.Month.Key() != "2026-10" || v.Tolerance != 8 || v.CertDay != "2026-11-23" {
			t.Fatalf("view: year %d month %s tolerance %d cert day %s", v.Year, v.Month.Key(), v.Tolerance, v.CertDay)
		}
		if !v.Sections.Scorecard || !v.Sections.Risks || !v.Sections.Improvement || !v.Sections.Control || !v.Sections.Training {
			t.Fatalf("sections: %+v", v.Sections)
		}
		cols := byKey(v)
		if len(v.Columns) != 4 || v.Columns[3].Body.Key != consolidation.KindUnassigned {
			t.Fatalf("columns: %d, last %+v", len(v.Columns), v.Columns[len(v.Columns)-1].Body)
		}
		own, das, pl, none := cols["own"].Figures, cols[key(e.das)].Figures, cols[key(e.pl)].Figures, cols["unassigned"].Figures
		type row struct {
			name      string
			got, want [4]int
		}
		four := func(f func(consolidation.Figures) int) [4]int { return [4]int{f(own), f(das), f(pl), f(none)} }
		rows := []row{
			{"KPIs", four(func(f consolidation.Figures) int { return f.KPIs }), [4]int{3, 1, 1, 1}},
			{"green", four(func(f consolidation.Figures) int { return f.Green }), [4]int{1, 0, 0, 1}},
			{"amber", four(func(f consolidation.Figures) int { return f.Amber }), [4]int{1, 0, 0, 0}},
			{"red", four(func(f consolidation.Figures) int { return f.Red }), [4]int{0, 1, 0, 0}},
			{"no data", four(func(f consolidation.Figures) int { return f.NoData }), [4]int{1, 0, 1, 0}},
			{"risks", four(func(f consolidation.Figures) int { return f.Risks }), [4]int{1, 2, 1, 1}},
			{"above tolerance", four(func(f consolidation.Figures) int { return f.AboveTolerance }), [4]int{1, 1, 0, 1}},
			{"high", four(func(f consolidation.Figures) int { return f.HighRisks }), [4]int{1, 1, 0, 1}},
			{"NCs open", four(func(f consolidation.Figures) int { return f.NCsOpen }), [4]int{1, 1, 0, 0}},
			{"NCs of the year", four(func(f consolidation.Figures) int { return f.NCsYear }), [4]int{1, 1, 1, 0}},
			{"actions overdue", four(func(f consolidation.Figures) int { return f.ActionsOverdue }), [4]int{0, 1, 0, 0}},
			{"proposals open", four(func(f consolidation.Figures) int { return f.ProposalsOpen }), [4]int{1, 1, 0, 0}},
			{"sensitive", four(func(f consolidation.Figures) int { return f.Sensitive }), [4]int{1, 0, 2, 0}},
			{"people", four(func(f consolidation.Figures) int { return f.People }), [4]int{3, 2, 1, 1}},
			{"trained", four(func(f consolidation.Figures) int { return f.Trained }), [4]int{1, 1, 0, 0}},
			{"certificates", four(func(f consolidation.Figures) int { return f.Certificates }), [4]int{1, 0, 1, 1}},
		}
		for _, r := range rows {
			if r.got != r.want {
				t.Errorf("%s: got %v, want %v (own, DAS, PL, unassigned)", r.name, r.got, r.want)
			}
		}
		if own.Hours != 12 || das.Hours != 16 || pl.Hours != 0 {
			t.Errorf("hours: own %v, DAS %v, PL %v", own.Hours, das.Hours, pl.Hours)
		}
		if sh, ok := das.TrainedShare(); !ok || sh != 50 {
			t.Errorf("DAS share trained: %v %v", sh, ok)
		}
		// Scores: the scorecard's rule and roll-up.
		near := func(a, b float64) bool { return math.Abs(a-b) < 1e-9 }
		if !own.Score.HasData || !near(own.Score.Score, 97.5) || own.Score.Status != "green" {
			t.Errorf("own score: %+v", own.Score)
		}
		if !das.Score.HasData || das.Score.Score != 0 || das.Score.Status != "red" {
			t.Errorf("DAS score: %+v", das.Score)
		}
		if pl.Score.HasData || pl.Score.Missing != 1 {
			t.Errorf("PL score: %+v", pl.Score)
		}
		if !v.Total.Score.HasData || !near(v.Total.Score.Score, 490.0/6) {
			t.Errorf("total score: %+v", v.Total.Score)
		}
		// Totals are the sums of the columns.
		var sum consolidation.Figures
		var hours float64
		for _, c := range v.Columns {
			f := c.Figures
			sum.KPIs += f.KPIs
			sum.Green += f.Green
			sum.Amber += f.Amber
			sum.Red += f.Red
			sum.NoData += f.NoData
			sum.Risks += f.Risks
			sum.AboveTolerance += f.AboveTolerance
			sum.HighRisks += f.HighRisks
			sum.NCsOpen += f.NCsOpen
			sum.NCsYear += f.NCsYear
			sum.ActionsOverdue += f.ActionsOverdue
			sum.ProposalsOpen += f.ProposalsOpen
			sum.Sensitive += f.Sensitive
			sum.People += f.People
			sum.Trained += f.Trained
			sum.Certificates += f.Certificates
			hours += f.Hours
		}
		tot := v.Total
		tot.Score, sum.Score = consolidation.Figures{}.Score, consolidation.Figures{}.Score
		if tot.Hours != hours {
			t.Errorf("total hours %v, sum %v", tot.Hours, hours)
		}
		tot.Hours = 0
		if !reflect.DeepEqual(tot, sum) {
			t.Errorf("total %+v\n  sum %+v", tot, sum)
		}
		if tot.KPIs != 6 || tot.Risks != 5 || tot.People != 7 || tot.Certificates != 3 {
			t.Errorf("totals: %+v", tot)
		}
	})
}

// TestConsolidatedYearAndAccess: a past year reads that year's register
// and the certificates valid on its last day; an out-of-range year falls
// back to the current one; those without the permission are refused; B
// sees only its own records.
func TestConsolidatedYearAndAccess(t *testing.T) {
	run(t, func(t *testing.T, e *env) {
		ctx := t.Context()
		v, err := e.svc.Consolidated(ctx, e.top, consolidation.Query{Year: 2025})
		if err != nil {
			t.Fatal(err)
		}
		cols := byKey(v)
		das := cols[key(e.das)].Figures
		if v.Year != 2025 || v.Month.Key() != "2025-12" || v.CertDay != "2025-12-31" || das.Risks != 1 || das.Trained != 1 || das.Certificates != 1 || das.NCsYear != 1 {
			t.Errorf("2025: year %d month %s cert %s DAS %+v", v.Year, v.Month.Key(), v.CertDay, das)
		}
		if v, err := e.svc.Consolidated(ctx, e.top, consolidation.Query{Year: 2031}); err != nil || v.Year != 2026 {
			t.Errorf("a future year: %d %v", v.Year, err)
		}
		for name, a := range map[string]auth.Actor{"employee": e.emp, "head of unit": e.head} {
			if _, err := e.svc.Consolidated(ctx, a, consolidation.Query{}); !errors.Is(err, apperr.ErrForbidden) {
				t.Errorf("%s: %v", name, err)
			}
		}
		v, err = e.svc.Consolidated(ctx, e.other, consolidation.Query{})
		if err != nil {
			t.Fatal(err)
		}
		if len(v.Columns) != 1 || v.Columns[0].Body.UnitID != e.bUnit {
			t.Fatalf("B's columns: %+v", v.Columns)
		}
		b := v.Total
		if b.KPIs != 1 || b.Risks != 1 || b.NCsOpen != 1 || b.ActionsOverdue != 1 || b.ProposalsOpen != 1 || b.Sensitive != 1 || b.People != 1 || b.Trained != 1 || b.Hours != 40 || b.Certificates != 1 {
			t.Errorf("B's totals: %+v", b)
		}
	})
}
