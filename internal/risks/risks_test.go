package risks_test

import (
	"errors"
	"os"
	"slices"
	"testing"
	"time"

	"cadran/internal/apperr"
	"cadran/internal/auth"
	"cadran/internal/clock"
	"cadran/internal/db"
	"cadran/internal/db/dbtest"
	"cadran/internal/i18n"
	"cadran/internal/notify"
	"cadran/internal/org"
	"cadran/internal/risks"
	"cadran/internal/work"
)

func TestMain(m *testing.M) { os.Exit(dbtest.Main(m)) }

// t0 is Monday 23 November 2026, 11:00 in Bucharest.
var t0 = time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)

type env struct {
	d    *db.DB
	clk  *clock.Fixed
	org  *org.Service
	work *work.Service
	svc  *risks.Service

	econ, tax, hr          int64 // units: economic directorate, tax service under it, HR
	ana, dan, ema, ion     int64 // people: quality manager, head of economic, tax employee, HR employee
	qm, head, emp, emp2, b auth.Actor
	sysA                   auth.Actor
}

func newEnv(t *testing.T, d *db.DB) *env {
	t.Helper()
	ctx := t.Context()
	clk := clock.NewFixed(t0)
	e := &env{d: d, clk: clk, org: &org.Service{DB: d, Clock: clk}}
	as := &auth.Service{DB: d, Clock: clk}
	e.work = &work.Service{DB: d, Clock: clk, Notify: &notify.Service{DB: d, Clock: clk, Bundle: i18n.MustLoad()}}
	e.svc = &risks.Service{DB: d, Clock: clk, Work: e.work}
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
		u, err := e.org.CreateUnit(ctx, e.sysA, org.UnitInput{ParentID: parent, Name: name, Code: code, Kind: "directorate", Relation: "own"})
		if err != nil {
			t.Fatal(err)
		}
		return u.ID
	}
	e.econ = unit(0, "Direcția Economică", "DE")
	e.tax = unit(e.econ, "Serviciul Impozite și Taxe Locale", "DE-SITL")
	e.hr = unit(0, "Serviciul Resurse Umane", "SRU")
	person := func(a auth.Actor, u int64, name string) int64 {
		p, err := e.org.CreatePerson(ctx, a, org.PersonInput{UnitID: u, FullName: name, Position: org.PositionExecution, Employment: org.EmploymentCivilServant, Active: true})
		if err != nil {
			t.Fatal(err)
		}
		return p.ID
	}
	e.ana = person(e.sysA, 0, "Ana Mureșan")
	e.dan = person(e.sysA, e.econ, "Dan Țurcanu")
	e.ema = person(e.sysA, e.tax, "Ema Știrbu")
	e.ion = person(e.sysA, e.hr, "Ion Bălan")
	user := func(a auth.Actor, name string, pid int64, roles ...auth.Role) auth.Actor {
		u, err := as.CreateUser(ctx, a, auth.UserInput{Username: name, DisplayName: name, Password: "parola-buna-2026", PersonID: pid, Locale: "ro", Roles: roles})
		if err != nil {
			t.Fatal(err)
		}
		act, err := as.ActorByID(ctx, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		return act
	}
	e.qm = user(e.sysA, "ana", e.ana, auth.RoleQualityManager)
	e.head = user(e.sysA, "dan", e.dan, auth.RoleHeadOfUnit)
	e.emp = user(e.sysA, "ema", e.ema, auth.RoleEmployee)
	e.emp2 = user(e.sysA, "ion", e.ion, auth.RoleEmployee)
	e.b = user(sysB, "bob", person(sysB, 0, "Bob Bratu"), auth.RoleQualityManager)
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

func alert(unit int64, p, i int) risks.Input {
	return risks.Input{Kind: risks.KindRisk, UnitID: unit, Objective: "Încasarea veniturilor proprii", Description: "Neîncasarea la termen a impozitelor locale",
		Causes: "Evidență fiscală neactualizată", Consequences: "Deficit bugetar", InherentP: p, InherentI: i, Strategy: risks.StrategyTreat}
}

func TestAlertValidationAndTeamDecision(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		ctx := t.Context()
		// Who may send an alert form for which unit.
		cases := []struct {
			name string
			a    auth.Actor
			unit int64
			ok   bool
		}{
			{"head for a unit under theirs", e.head, e.tax, true},
			{"head for a unit not theirs", e.head, e.hr, false},
			{"employee for their own unit", e.emp, e.tax, true},
			{"employee for the directorate above", e.emp, e.econ, false},
			{"quality office for any unit", e.qm, e.hr, true},
			{"another institution's actor", e.b, e.tax, false},
		}
		for _, c := range cases {
			_, err := e.svc.Propose(ctx, c.a, alert(c.unit, 4, 4))
			if (err == nil) != c.ok {
				t.Errorf("%s: err %v, want ok=%v", c.name, err, c.ok)
			}
		}
		// Bad input is refused with the fields named and nothing saved.
		before := e.count(t, `SELECT COUNT(*) FROM risks`)
		in := alert(e.tax, 6, 0)
		in.Description, in.Exposure, in.Strategy = "", 7, "exploit"
		_, err := e.svc.Propose(ctx, e.emp, in)
		v, ok := apperr.AsValidation(err)
		if !ok || v["risk_description"] == "" || v["risk_p"] != "risks.error.level" || v["risk_i"] != "risks.error.level" || v["risk_strategy"] != "error.choice" {
			t.Fatalf("bad alert: %v", err)
		}
		in = alert(e.tax, 2, 3)
		in.Exposure = 7
		if _, err := e.svc.Propose(ctx, e.emp, in); err == nil {
			t.Fatal("an exposure that is not P×I was accepted")
		}
		if n := e.count(t, `SELECT COUNT(*) FROM risks`); n != before {
			t.Fatalf("refused alerts saved %d rows", n-before)
		}

		r, err := e.svc.Propose(ctx, e.emp, alert(e.tax, 4, 3))
		if err != nil {
			t.Fatal(err)
		}
		if r.State != risks.StateProposed || r.Code == "" || r.InherentE != 12 || r.Year != 2026 {
			t.Fatalf("proposed: %+v", r)
		}
		if n := e.count(t, `SELECT COUNT(*) FROM tasks WHERE module = 'risks' AND entity_id = $1 AND kind = 'approve' AND role = 'quality_manager' AND state = 'open'`, r.ID); n != 1 {
			t.Fatalf("%d decision tasks", n)
		}
		// The employee cannot decide; declining needs a reason.
		if _, err := e.svc.Step(ctx, e.emp, r.ID, risks.StepInput{Action: risks.ActRetain, Version: r.Version}); !errors.Is(err, apperr.ErrForbidden) {
			t.Fatalf("employee retained: %v", err)
		}
		if _, err := e.svc.Step(ctx, e.qm, r.ID, risks.StepInput{Action: risks.ActDecline, Version: r.Version}); err == nil {
			t.Fatal("declined without a reason")
		}
		if got := risks.Actions(e.qm, r); !slices.Equal(got, []string{risks.ActRetain, risks.ActEscalate, risks.ActDecline}) {
			t.Fatalf("actions %v", got)
		}
		// A stale decision is refused.
		if _, err := e.svc.Step(ctx, e.qm, r.ID, risks.StepInput{Action: risks.ActEscalate, Version: r.Version - 1}); !errors.Is(err, apperr.ErrConflict) {
			t.Fatalf("stale step: %v", err)
		}
		r, err = e.svc.Step(ctx, e.qm, r.ID, risks.StepInput{Action: risks.ActEscalate, Version: r.Version})
		if err != nil {
			t.Fatal(err)
		}
		if r.State != risks.StateActive || r.Level != risks.LevelInstitution || r.NextReviewOn != "2027-05-23" {
			t.Fatalf("escalated: %+v", r)
		}
		if n := e.count(t, `SELECT COUNT(*) FROM tasks WHERE module = 'risks' AND entity_id = $1 AND kind = 'approve' AND state = 'done'`, r.ID); n != 1 {
			t.Fatal("the decision task is not done")
		}
		if n := e.count(t, `SELECT COUNT(*) FROM tasks WHERE module = 'risks' AND entity_id = $1 AND kind = 'report' AND due_on = '2027-05-23' AND state = 'open'`, r.ID); n != 1 {
			t.Fatal("no review task")
		}
		steps, err := e.svc.Steps(ctx, e.emp, r.ID)
		if err != nil || len(steps) != 2 || steps[1].Action != risks.ActEscalate {
			t.Fatalf("steps %v %v", steps, err)
		}
		if _, err := e.svc.Risk(ctx, e.b, r.ID); !errors.Is(err, apperr.ErrNotFound) {
			t.Fatalf("another institution read the risk: %v", err)
		}
		if n := e.count(t, `SELECT COUNT(*) FROM audit_events WHERE entity = 'risk' AND entity_id = $1`, r.ID); n != 2 {
			t.Fatalf("%d audit events", n)
		}
	})
}

func TestMeasuresReviewsAndYear(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		ctx := t.Context()
		r, err := e.svc.Propose(ctx, e.head, alert(e.tax, 5, 4))
		if err != nil {
			t.Fatal(err)
		}
		if r, err = e.svc.Step(ctx, e.qm, r.ID, risks.StepInput{Action: risks.ActRetain, Version: r.Version}); err != nil {
			t.Fatal(err)
		}
		// A measure with an owner and a deadline is a task of its owner.
		m, err := e.svc.AddMeasure(ctx, e.head, r.ID, risks.MeasureInput{Description: "Reconcilierea lunară a evidenței fiscale", OwnerID: e.ema, Deadline: "2026-12-15"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := e.svc.AddMeasure(ctx, e.emp2, r.ID, risks.MeasureInput{Description: "Intrus"}); !errors.Is(err, apperr.ErrForbidden) {
			t.Fatalf("an employee of another unit added a measure: %v", err)
		}
		if n := e.count(t, `SELECT COUNT(*) FROM tasks WHERE entity = 'risk_measure' AND entity_id = $1 AND person_id = $2 AND state = 'open' AND due_on = '2026-12-15'`, m.ID, e.ema); n != 1 {
			t.Fatal("no measure task")
		}
		if _, err := e.svc.UpdateMeasure(ctx, e.qm, r.ID, m.ID, risks.MeasureInput{Description: m.Description, OwnerID: e.ema, Deadline: m.Deadline, State: risks.MeasureDone, Version: m.Version + 1}); !errors.Is(err, apperr.ErrConflict) {
			t.Fatalf("stale measure update: %v", err)
		}
		m2, err := e.svc.AddMeasure(ctx, e.qm, r.ID, risks.MeasureInput{Description: "Notificarea contribuabililor restanți", OwnerID: e.ema, Deadline: "2026-10-01"})
		if err != nil {
			t.Fatal(err)
		}
		if m, err = e.svc.UpdateMeasure(ctx, e.qm, r.ID, m.ID, risks.MeasureInput{Description: m.Description, OwnerID: e.ema, Deadline: m.Deadline, State: risks.MeasureDone, Version: m.Version}); err != nil {
			t.Fatal(err)
		}
		if n := e.count(t, `SELECT COUNT(*) FROM tasks WHERE entity = 'risk_measure' AND entity_id = $1 AND state = 'done'`, m.ID); n != 1 {
			t.Fatal("the measure's task is not done")
		}
		// The review records the residual score and schedules the next.
		r, err = e.svc.Risk(ctx, e.qm, r.ID)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := e.svc.RecordReview(ctx, e.head, r.ID, risks.ReviewInput{ResidualP: 9, ResidualI: 1, Version: r.Version}); err == nil {
			t.Fatal("a residual probability of 9 was accepted")
		}
		if r, err = e.svc.RecordReview(ctx, e.head, r.ID, risks.ReviewInput{ResidualP: 3, ResidualI: 3, Measures: "Reconcilierea este făcută lunar.", Version: r.Version}); err != nil {
			t.Fatal(err)
		}
		if r.ResidualE != 9 || r.CurE != 9 || r.LastReviewOn != "2026-11-23" || r.NextReviewOn != "2027-05-23" {
			t.Fatalf("reviewed: %+v", r)
		}
		ov, err := e.svc.Overview(ctx, e.emp)
		if err != nil {
			t.Fatal(err)
		}
		if ov.Active != 1 || ov.AboveTolerance != 1 || len(ov.Top) != 1 || ov.MeasuresOverdue != 1 || ov.Overdue[0].ID != m2.ID {
			t.Fatalf("overview %+v", ov)
		}
		// The heat map counts it in its cells, and the cell filter finds it.
		g, err := e.svc.HeatMap(ctx, e.emp, risks.Filter{}, risks.KindRisk)
		if err != nil {
			t.Fatal(err)
		}
		if g.Inherent[4][3] != 1 || g.Residual[2][2] != 1 || g.Total != 1 {
			t.Fatalf("grid %+v", g)
		}
		list, n, err := e.svc.List(ctx, e.emp, risks.Filter{Score: risks.ScoreResidual, P: 3, I: 3, UnitID: e.econ})
		if err != nil || n != 1 || list[0].ID != r.ID {
			t.Fatalf("cell filter: %d %v", n, err)
		}
		if _, n, _ = e.svc.List(ctx, e.emp, risks.Filter{Score: risks.ScoreInherent, P: 3, I: 3}); n != 0 {
			t.Fatal("the inherent cell 3×3 lists the risk")
		}
		if _, n, _ = e.svc.List(ctx, e.b, risks.Filter{}); n != 0 {
			t.Fatal("another institution lists the risk")
		}
		// Another risk is closed; the yearly review carries only the active one.
		c, err := e.svc.Propose(ctx, e.qm, alert(e.hr, 2, 2))
		if err != nil {
			t.Fatal(err)
		}
		c, _ = e.svc.Step(ctx, e.qm, c.ID, risks.StepInput{Action: risks.ActRetain, Version: c.Version})
		if _, err := e.svc.Step(ctx, e.qm, c.ID, risks.StepInput{Action: risks.ActClose, Reason: "Activitatea a fost externalizată.", Version: c.Version}); err != nil {
			t.Fatal(err)
		}
		e.clk.Set(time.Date(2027, 1, 10, 9, 0, 0, 0, time.UTC))
		// In January, before the new register is started, the pages open on
		// last year's register, which is still the one in use.
		if y, err := e.svc.RegisterYear(ctx, e.head); err != nil || y != 2026 {
			t.Fatalf("register year before the start: %d %v", y, err)
		}
		if y, err := e.svc.RegisterYear(ctx, e.b); err != nil || y != 2027 {
			t.Fatalf("register year of an institution with no register: %d %v", y, err)
		}
		if _, err := e.svc.StartYear(ctx, e.head, 2026); !errors.Is(err, apperr.ErrForbidden) {
			t.Fatalf("a head of unit started the year: %v", err)
		}
		n, err = e.svc.StartYear(ctx, e.qm, 2026)
		if err != nil || n != 1 {
			t.Fatalf("carried %d: %v", n, err)
		}
		if y, err := e.svc.RegisterYear(ctx, e.head); err != nil || y != 2027 {
			t.Fatalf("register year after the start: %d %v", y, err)
		}
		if _, err := e.svc.StartYear(ctx, e.qm, 2026); !errors.Is(err, apperr.ErrConflict) {
			t.Fatalf("started twice: %v", err)
		}
		list, _, err = e.svc.List(ctx, e.qm, risks.Filter{Year: 2027})
		if err != nil || len(list) != 1 || list[0].Code != r.Code || list[0].PreviousID != r.ID {
			t.Fatalf("2027 register: %+v %v", list, err)
		}
		nr := list[0]
		ms, _ := e.svc.Measures(ctx, e.qm, nr.ID)
		if len(ms) != 1 || ms[0].PreviousID != m2.ID {
			t.Fatalf("carried measures %+v", ms)
		}
		old, _ := e.svc.Risk(ctx, e.qm, r.ID)
		if old.State != risks.StateCarried {
			t.Fatalf("last year's row is %s", old.State)
		}
		if n := e.count(t, `SELECT COUNT(*) FROM tasks WHERE module = 'risks' AND entity_id IN ($1, $2) AND state = 'open'`, r.ID, m2.ID); n != 0 {
			t.Fatalf("%d tasks left open on last year's rows", n)
		}
		info, err := e.svc.YearInfo(ctx, e.qm, 2027)
		if err != nil || !info.Started || len(info.Left) != 1 || info.Left[0].ID != c.ID {
			t.Fatalf("year info %+v %v", info, err)
		}
		ch, _ := e.svc.Changes(ctx, e.qm, list, true)
		if !ch[nr.ID].Unchanged() {
			t.Fatalf("carried row changed: %+v", ch[nr.ID])
		}
		in := alert(e.tax, 5, 5)
		in.Version = nr.Version
		if _, err := e.svc.Update(ctx, e.qm, nr.ID, in); err != nil {
			t.Fatal(err)
		}
		fresh, err := e.svc.Propose(ctx, e.emp, alert(e.tax, 1, 1))
		if err != nil {
			t.Fatal(err)
		}
		if fresh.Code == nr.Code {
			t.Fatal("a new risk took the carried code")
		}
		list, _, _ = e.svc.List(ctx, e.qm, risks.Filter{Year: 2027})
		ch, _ = e.svc.Changes(ctx, e.qm, list, true)
		if !slices.Equal(ch[nr.ID].Fields, []string{"inherent"}) || !ch[fresh.ID].New {
			t.Fatalf("changes %+v", ch)
		}
		// Stale edit refused.
		if _, err := e.svc.Update(ctx, e.qm, nr.ID, in); !errors.Is(err, apperr.ErrConflict) {
			t.Fatalf("stale edit: %v", err)
		}
	})
}

func TestSettingsScale(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		ctx := t.Context()
		st := risks.Defaults(3)
		if _, err := e.svc.SaveSettings(ctx, e.emp, st); !errors.Is(err, apperr.ErrForbidden) {
			t.Fatal(err)
		}
		bad := risks.Defaults(5)
		bad.Tolerance, bad.ColorHigh, bad.PLabels = 30, "red", []string{"a"}
		_, err := e.svc.SaveSettings(ctx, e.qm, bad)
		if v, ok := apperr.AsValidation(err); !ok || v["risk_tolerance"] == "" || v["risk_color_high"] == "" || v["risk_p_labels"] == "" {
			t.Fatalf("bad settings: %v", err)
		}
		if _, err := e.svc.Propose(ctx, e.qm, alert(e.tax, 5, 5)); err != nil {
			t.Fatal(err)
		}
		_, err = e.svc.SaveSettings(ctx, e.qm, st)
		if v, ok := apperr.AsValidation(err); !ok || v["risk_scale"] != "risks.error.scale_in_use" {
			t.Fatalf("scale changed under a scored risk: %v", err)
		}
		st5 := risks.Defaults(5)
		st5.Tolerance = 12
		got, err := e.svc.SaveSettings(ctx, e.qm, st5)
		if err != nil || got.Tolerance != 12 || got.Version != 1 {
			t.Fatalf("save: %+v %v", got, err)
		}
		if _, err := e.svc.SaveSettings(ctx, e.qm, st5); !errors.Is(err, apperr.ErrConflict) {
			t.Fatalf("stale settings: %v", err)
		}
	})
}
