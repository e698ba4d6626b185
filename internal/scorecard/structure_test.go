package scorecard_test

import (
	"context"
	"errors"
	"math"
	"testing"
	"time"

	"cadran/internal/apperr"
	"cadran/internal/auth"
	"cadran/internal/clock"
	"cadran/internal/db"
	"cadran/internal/db/dbtest"
	"cadran/internal/evidence"
	"cadran/internal/org"
	"cadran/internal/scorecard"
	"cadran/internal/work"
)

// stT0 is Monday 23 November 2026, 11:00 in Bucharest.
var stT0 = time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)

// stEnv is institution A (the economic directorate with the tax service
// under it, and HR beside them) and institution B.
type stEnv struct {
	d   *db.DB
	clk *clock.Fixed
	svc *scorecard.Service

	econ, tax, hr    int64
	ana, dan, ema    int64
	qm, head, viewer auth.Actor
	other            auth.Actor // B's quality manager
	sysA, sysB       auth.Actor
	bPerson, bUnit   int64
	persp            map[string]int64 // A's default perspectives by kind
}

// stMetrics is a metric source for the tests.
type stMetrics struct{}

func (stMetrics) Metrics() []evidence.Metric {
	return []evidence.Metric{{Key: "documents.ack_rate", Label: "x", Unit: "%", Polarity: scorecard.PolarityHigher}}
}

func (stMetrics) Measure(ctx context.Context, tenant int64, key string, from, to time.Time) (float64, bool, error) {
	return 0, false, nil
}

func stNewEnv(t *testing.T, d *db.DB) *stEnv {
	t.Helper()
	ctx := t.Context()
	clk := clock.NewFixed(stT0)
	e := &stEnv{d: d, clk: clk}
	orgs := &org.Service{DB: d, Clock: clk}
	as := &auth.Service{DB: d, Clock: clk}
	e.svc = &scorecard.Service{DB: d, Clock: clk, Work: &work.Service{DB: d, Clock: clk}, Metrics: []evidence.MetricSource{stMetrics{}}}
	a, err := orgs.CreateInstitutionSystem(ctx, org.InstitutionInput{Name: "Primăria Municipiului Târgu Mureș", CUI: "4322823", Kind: org.KindMunicipality, County: "Mureș"})
	if err != nil {
		t.Fatal(err)
	}
	b, err := orgs.CreateInstitutionSystem(ctx, org.InstitutionInput{Name: "Primăria Orașului Sovata", CUI: "4305857", Kind: org.KindTown, County: "Mureș"})
	if err != nil {
		t.Fatal(err)
	}
	e.sysA, e.sysB = auth.SystemActor(a.ID, "test"), auth.SystemActor(b.ID, "test")
	unit := func(by auth.Actor, parent int64, name, code, relation string) int64 {
		u, err := orgs.CreateUnit(ctx, by, org.UnitInput{ParentID: parent, Name: name, Code: code, Kind: "service", Relation: relation})
		if err != nil {
			t.Fatalf("unit %s: %v", name, err)
		}
		return u.ID
	}
	e.econ = unit(e.sysA, 0, "Direcția Economică", "DE", org.RelationOwn)
	e.tax = unit(e.sysA, e.econ, "Serviciul Impozite și Taxe Locale", "SITL", org.RelationOwn)
	e.hr = unit(e.sysA, 0, "Clubul Sportiv Municipal", "CSM", org.RelationSubordinate)
	e.bUnit = unit(e.sysB, 0, "Compartimentul Financiar", "CF", org.RelationOwn)
	person := func(by auth.Actor, u int64, name string) int64 {
		p, err := orgs.CreatePerson(ctx, by, org.PersonInput{UnitID: u, FullName: name, Position: org.PositionExecution, Employment: org.EmploymentCivilServant, Active: true})
		if err != nil {
			t.Fatalf("person %s: %v", name, err)
		}
		return p.ID
	}
	e.ana = person(e.sysA, 0, "Ana Mureșan")
	e.dan = person(e.sysA, e.econ, "Dan Țurcanu")
	e.ema = person(e.sysA, e.tax, "Ema Știrbu")
	e.bPerson = person(e.sysB, 0, "Bob Bratu")
	user := func(by auth.Actor, name string, pid int64, roles ...auth.Role) auth.Actor {
		u, err := as.CreateUser(ctx, by, auth.UserInput{Username: name, DisplayName: name, Password: "parola-buna-2026", PersonID: pid, Locale: "ro", Roles: roles})
		if err != nil {
			t.Fatalf("user %s: %v", name, err)
		}
		act, err := as.ActorByID(ctx, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		return act
	}
	e.qm = user(e.sysA, "ana", e.ana, auth.RoleQualityManager)
	e.head = user(e.sysA, "dan", e.dan, auth.RoleHeadOfUnit)
	e.viewer = user(e.sysA, "vio", 0, auth.RoleViewer)
	e.other = user(e.sysB, "bob", e.bPerson, auth.RoleQualityManager)
	if err := e.svc.EnsureDefaults(ctx, e.qm); err != nil {
		t.Fatal(err)
	}
	ps, err := e.svc.Perspectives(ctx, e.qm)
	if err != nil {
		t.Fatal(err)
	}
	e.persp = map[string]int64{}
	for _, p := range ps {
		e.persp[p.Kind] = p.ID
	}
	return e
}

func (e *stEnv) count(t *testing.T, q string, args ...any) int {
	t.Helper()
	var n int
	if err := e.d.R.QueryRowContext(t.Context(), q, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return n
}

func (e *stEnv) objective(t *testing.T, in scorecard.ObjectiveInput) scorecard.Objective {
	t.Helper()
	if in.Weight == 0 {
		in.Weight = 1
	}
	o, err := e.svc.CreateObjective(t.Context(), e.qm, in)
	if err != nil {
		t.Fatalf("objective %s: %v", in.Title, err)
	}
	return o
}

func (e *stEnv) kpi(t *testing.T, in scorecard.KPIInput) scorecard.KPI {
	t.Helper()
	if in.Polarity == "" {
		in.Polarity = scorecard.PolarityHigher
	}
	if in.Method == "" {
		in.Method = scorecard.MethodLinear
	}
	if in.Frequency == "" {
		in.Frequency = scorecard.Monthly
	}
	if in.Weight == 0 {
		in.Weight = 1
	}
	k, err := e.svc.CreateKPI(t.Context(), e.qm, in)
	if err != nil {
		t.Fatalf("KPI %s: %v", in.Name, err)
	}
	return k
}

// stWantField checks that err is a validation error naming field with key.
func stWantField(t *testing.T, err error, field, key string) {
	t.Helper()
	v, ok := apperr.AsValidation(err)
	if !ok {
		t.Fatalf("want a validation error on %s, got %v", field, err)
	}
	if v[field] != key {
		t.Fatalf("want %s=%s, got %v", field, key, v)
	}
}

func stWantKind(t *testing.T, err error, kind apperr.Kind) {
	t.Helper()
	if apperr.KindOf(err) != kind {
		t.Fatalf("want error kind %v, got %v", kind, err)
	}
}

func TestPerspectivesDefaultsAndEdits(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := stNewEnv(t, d)
		ctx := t.Context()
		ps, err := e.svc.Perspectives(ctx, e.viewer)
		if err != nil {
			t.Fatal(err)
		}
		if len(ps) != 4 || ps[0].Kind != scorecard.PerspectiveCitizens || ps[3].Kind != scorecard.PerspectiveLearning || ps[2].Position != 3 || ps[1].Weight != 1 {
			t.Fatalf("defaults: %+v", ps)
		}
		// A second call, and another institution's, change nothing here.
		if err := e.svc.EnsureDefaults(ctx, e.qm); err != nil {
			t.Fatal(err)
		}
		if err := e.svc.EnsureDefaults(ctx, e.other); err != nil {
			t.Fatal(err)
		}
		if n := e.count(t, `SELECT COUNT(*) FROM scorecard_perspectives WHERE tenant_id = $1`, e.sysA.Tenant); n != 4 {
			t.Fatalf("%d perspectives", n)
		}
		if n := e.count(t, `SELECT COUNT(*) FROM audit_events WHERE tenant_id = $1 AND entity = 'scorecard_perspective' AND action = 'create'`, e.sysA.Tenant); n != 4 {
			t.Fatalf("%d audit events", n)
		}
		// Only the managers change the structure.
		_, err = e.svc.CreatePerspective(ctx, e.viewer, scorecard.PerspectiveInput{Name: "Parteneriate", Weight: 1})
		stWantKind(t, err, apperr.KindForbidden)
		_, err = e.svc.CreatePerspective(ctx, e.qm, scorecard.PerspectiveInput{Name: " ", Weight: -1})
		stWantField(t, err, "sc_persp_name", "error.required")
		stWantField(t, err, "sc_persp_weight", "scorecard.error.weight")
		p, err := e.svc.CreatePerspective(ctx, e.qm, scorecard.PerspectiveInput{Name: "Parteneriate  şi comunitate", Weight: 0.5})
		if err != nil {
			t.Fatal(err)
		}
		if p.Position != 5 || p.Name != "Parteneriate și comunitate" || p.Kind != "" {
			t.Fatalf("created %+v", p)
		}
		// A default perspective may go without a name of its own.
		fin := ps[1]
		up, err := e.svc.UpdatePerspective(ctx, e.qm, fin.ID, scorecard.PerspectiveInput{Weight: 2, Version: fin.Version})
		if err != nil {
			t.Fatal(err)
		}
		if up.Weight != 2 || up.Position != fin.Position || up.Version != fin.Version+1 {
			t.Fatalf("updated %+v", up)
		}
		_, err = e.svc.UpdatePerspective(ctx, e.qm, fin.ID, scorecard.PerspectiveInput{Weight: 3, Version: fin.Version})
		stWantKind(t, err, apperr.KindConflict)
		_, err = e.svc.UpdatePerspective(ctx, e.other, fin.ID, scorecard.PerspectiveInput{Weight: 3, Version: up.Version})
		stWantKind(t, err, apperr.KindNotFound)
	})
}

func TestObjectiveValidationAndCascade(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := stNewEnv(t, d)
		ctx := t.Context()
		cit, fin := e.persp[scorecard.PerspectiveCitizens], e.persp[scorecard.PerspectiveFinancial]
		c1 := e.objective(t, scorecard.ObjectiveInput{PerspectiveID: cit, Title: "Servicii publice mai rapide", OwnerID: e.ana})
		c2 := e.objective(t, scorecard.ObjectiveInput{PerspectiveID: cit, Title: "Cetățeni mai bine informați"})
		f1 := e.objective(t, scorecard.ObjectiveInput{PerspectiveID: fin, Title: "Venituri proprii mai mari", Quality: true})
		if c1.Code != "C1" || c2.Code != "C2" || f1.Code != "F1" || c1.OwnerName != "Ana Mureșan" || c1.Position != 1 || c2.Position != 2 {
			t.Fatalf("codes %s %s %s, owner %q", c1.Code, c2.Code, f1.Code, c1.OwnerName)
		}
		custom, err := e.svc.CreatePerspective(ctx, e.qm, scorecard.PerspectiveInput{Name: "Parteneriate", Weight: 1})
		if err != nil {
			t.Fatal(err)
		}
		o1 := e.objective(t, scorecard.ObjectiveInput{PerspectiveID: custom.ID, Title: "Parteneriate cu ONG-uri"})
		if o1.Code != "O1" {
			t.Fatalf("custom perspective code %s", o1.Code)
		}
		// The economic directorate's objective contributes to F1, the tax
		// service's to the directorate's.
		de1 := e.objective(t, scorecard.ObjectiveInput{PerspectiveID: fin, UnitID: e.econ, ParentID: f1.ID, Title: "Încasarea impozitelor"})
		tx1 := e.objective(t, scorecard.ObjectiveInput{PerspectiveID: fin, UnitID: e.tax, ParentID: de1.ID, Title: "Reducerea restanțelor"})
		if de1.ParentCode != "F1" || de1.UnitName != "Direcția Economică" || tx1.ParentID != de1.ID {
			t.Fatalf("cascade %+v %+v", de1, tx1)
		}

		bad := []struct {
			name       string
			in         scorecard.ObjectiveInput
			field, key string
		}{
			{"no title", scorecard.ObjectiveInput{PerspectiveID: cit}, "sc_obj_title", "error.required"},
			{"no perspective", scorecard.ObjectiveInput{Title: "x"}, "sc_obj_perspective", "error.required"},
			{"negative weight", scorecard.ObjectiveInput{PerspectiveID: cit, Title: "x", Weight: -1}, "sc_obj_weight", "scorecard.error.weight"},
			{"code taken", scorecard.ObjectiveInput{PerspectiveID: cit, Title: "x", Code: "c1"}, "sc_obj_code", "scorecard.error.code_taken"},
			{"bad code", scorecard.ObjectiveInput{PerspectiveID: cit, Title: "x", Code: "C 1!"}, "sc_obj_code", "scorecard.error.code_format"},
			{"another institution's unit", scorecard.ObjectiveInput{PerspectiveID: cit, Title: "x", UnitID: e.bUnit}, "sc_obj_unit", "error.choice"},
			{"another institution's owner", scorecard.ObjectiveInput{PerspectiveID: cit, Title: "x", OwnerID: e.bPerson}, "sc_obj_owner", "error.choice"},
			{"the institution's objective has no parent", scorecard.ObjectiveInput{PerspectiveID: cit, Title: "x", ParentID: c1.ID}, "sc_obj_parent", "scorecard.error.parent_level"},
			{"a sibling unit's objective", scorecard.ObjectiveInput{PerspectiveID: fin, Title: "x", UnitID: e.hr, ParentID: de1.ID}, "sc_obj_parent", "scorecard.error.parent_level"},
			{"an objective of a unit below", scorecard.ObjectiveInput{PerspectiveID: fin, Title: "x", UnitID: e.econ, ParentID: tx1.ID}, "sc_obj_parent", "scorecard.error.parent_level"},
			{"the same unit's objective", scorecard.ObjectiveInput{PerspectiveID: fin, Title: "x", UnitID: e.econ, ParentID: de1.ID}, "sc_obj_parent", "scorecard.error.parent_level"},
			{"a missing parent", scorecard.ObjectiveInput{PerspectiveID: fin, Title: "x", UnitID: e.econ, ParentID: 99999}, "sc_obj_parent", "error.choice"},
		}
		before := e.count(t, `SELECT COUNT(*) FROM scorecard_objectives`)
		for _, c := range bad {
			t.Run(c.name, func(t *testing.T) {
				if c.in.Weight == 0 {
					c.in.Weight = 1
				}
				_, err := e.svc.CreateObjective(ctx, e.qm, c.in)
				stWantField(t, err, c.field, c.key)
			})
		}
		if n := e.count(t, `SELECT COUNT(*) FROM scorecard_objectives`); n != before {
			t.Fatalf("refused objectives were saved: %d, was %d", n, before)
		}
		// Another institution cannot use A's perspective or parent.
		_, err = e.svc.CreateObjective(ctx, e.other, scorecard.ObjectiveInput{PerspectiveID: cit, Title: "x", Weight: 1})
		stWantField(t, err, "sc_obj_perspective", "error.choice")
		// Only managers.
		_, err = e.svc.CreateObjective(ctx, e.head, scorecard.ObjectiveInput{PerspectiveID: cit, Title: "x", Weight: 1})
		stWantKind(t, err, apperr.KindForbidden)

		upd := func(o scorecard.Objective) scorecard.ObjectiveInput {
			return scorecard.ObjectiveInput{PerspectiveID: o.PerspectiveID, UnitID: o.UnitID, ParentID: o.ParentID, Code: o.Code, Title: o.Title,
				OwnerID: o.OwnerID, Weight: o.Weight, Quality: o.Quality, Position: o.Position, Version: o.Version}
		}
		// Itself; a cycle through the tax service's objective; the
		// directorate cannot move below the unit whose objective feeds it.
		in := upd(de1)
		in.ParentID = de1.ID
		_, err = e.svc.UpdateObjective(ctx, e.qm, de1.ID, in)
		stWantField(t, err, "sc_obj_parent", "scorecard.error.parent_self")
		in = upd(de1)
		in.ParentID = tx1.ID
		_, err = e.svc.UpdateObjective(ctx, e.qm, de1.ID, in)
		stWantField(t, err, "sc_obj_parent", "scorecard.error.parent_cycle")
		in = upd(de1)
		in.UnitID = e.tax
		_, err = e.svc.UpdateObjective(ctx, e.qm, de1.ID, in)
		stWantField(t, err, "sc_obj_unit", "scorecard.error.children_level")
		// A good change, then the stale version it leaves behind.
		in = upd(c2)
		in.Title, in.Weight, in.Code = "Cetățeni informați la timp", 2, ""
		c2b, err := e.svc.UpdateObjective(ctx, e.qm, c2.ID, in)
		if err != nil {
			t.Fatal(err)
		}
		if c2b.Code != "C2" || c2b.Weight != 2 || c2b.Version != c2.Version+1 {
			t.Fatalf("updated %+v", c2b)
		}
		_, err = e.svc.UpdateObjective(ctx, e.qm, c2.ID, upd(c2))
		stWantKind(t, err, apperr.KindConflict)
		if err := e.svc.ArchiveObjective(ctx, e.qm, c2.ID, c2.Version); apperr.KindOf(err) != apperr.KindConflict {
			t.Fatalf("stale archive: %v", err)
		}
		if err := e.svc.ArchiveObjective(ctx, e.qm, c2.ID, c2b.Version); err != nil {
			t.Fatal(err)
		}
		// Lists: the institution's own, a unit's, all, quality only.
		list := func(f scorecard.ObjectiveFilter) []string {
			os, err := e.svc.Objectives(ctx, e.viewer, f)
			if err != nil {
				t.Fatal(err)
			}
			var out []string
			for _, o := range os {
				out = append(out, o.Code)
			}
			return out
		}
		for _, c := range []struct {
			f    scorecard.ObjectiveFilter
			want []string
		}{
			{scorecard.ObjectiveFilter{}, []string{"C1", "F1", "O1"}},
			{scorecard.ObjectiveFilter{Archived: true}, []string{"C1", "C2", "F1", "O1"}},
			{scorecard.ObjectiveFilter{UnitID: e.econ}, []string{"F2"}},
			{scorecard.ObjectiveFilter{AllUnits: true}, []string{"C1", "F1", "F2", "F3", "O1"}},
			{scorecard.ObjectiveFilter{QualityOnly: true}, []string{"F1"}},
		} {
			if got := list(c.f); !equalStrings(got, c.want) {
				t.Errorf("%+v: got %v, want %v", c.f, got, c.want)
			}
		}
		if os, err := e.svc.Objectives(ctx, e.other, scorecard.ObjectiveFilter{AllUnits: true}); err != nil || len(os) != 0 {
			t.Fatalf("B sees %v %v", os, err)
		}
		if _, err := e.svc.Objective(ctx, e.other, c1.ID); apperr.KindOf(err) != apperr.KindNotFound {
			t.Fatalf("B reads A's objective: %v", err)
		}
		// Every change is in the audit trail with before and after.
		n := e.count(t, `SELECT COUNT(*) FROM audit_events WHERE tenant_id = $1 AND entity = 'scorecard_objective' AND entity_id = $2
			AND action = 'update' AND before_json <> '' AND after_json <> ''`, e.sysA.Tenant, c2.ID)
		if n != 2 {
			t.Fatalf("%d update events of C2", n)
		}
	})
}

func equalStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestLinks(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := stNewEnv(t, d)
		ctx := t.Context()
		c1 := e.objective(t, scorecard.ObjectiveInput{PerspectiveID: e.persp[scorecard.PerspectiveCitizens], Title: "Servicii mai rapide"})
		p1 := e.objective(t, scorecard.ObjectiveInput{PerspectiveID: e.persp[scorecard.PerspectiveProcesses], Title: "Procese digitalizate"})
		u1 := e.objective(t, scorecard.ObjectiveInput{PerspectiveID: e.persp[scorecard.PerspectiveProcesses], UnitID: e.econ, Title: "Plăți online"})
		if err := e.svc.AddLink(ctx, e.qm, scorecard.Link{FromID: p1.ID, ToID: c1.ID, Note: "digitalizarea scurtează termenele"}); err != nil {
			t.Fatal(err)
		}
		if err := e.svc.AddLink(ctx, e.qm, scorecard.Link{FromID: u1.ID, ToID: c1.ID}); err != nil {
			t.Fatal(err)
		}
		stWantKind(t, e.svc.AddLink(ctx, e.qm, scorecard.Link{FromID: p1.ID, ToID: c1.ID}), apperr.KindConflict)
		stWantKind(t, e.svc.AddLink(ctx, e.qm, scorecard.Link{FromID: p1.ID, ToID: p1.ID}), apperr.KindConflict)
		stWantKind(t, e.svc.AddLink(ctx, e.other, scorecard.Link{FromID: c1.ID, ToID: p1.ID}), apperr.KindNotFound)
		stWantKind(t, e.svc.AddLink(ctx, e.viewer, scorecard.Link{FromID: c1.ID, ToID: p1.ID}), apperr.KindForbidden)
		ls, err := e.svc.Links(ctx, e.viewer, 0)
		if err != nil {
			t.Fatal(err)
		}
		if len(ls) != 1 || ls[0].FromID != p1.ID || ls[0].ToID != c1.ID || ls[0].Note != "digitalizarea scurtează termenele" {
			t.Fatalf("institution links %+v", ls)
		}
		if ls, _ := e.svc.Links(ctx, e.other, 0); len(ls) != 0 {
			t.Fatalf("B sees %v", ls)
		}
		stWantKind(t, e.svc.RemoveLink(ctx, e.other, p1.ID, c1.ID), apperr.KindNotFound)
		if err := e.svc.RemoveLink(ctx, e.qm, p1.ID, c1.ID); err != nil {
			t.Fatal(err)
		}
		stWantKind(t, e.svc.RemoveLink(ctx, e.qm, p1.ID, c1.ID), apperr.KindNotFound)
		if n := e.count(t, `SELECT COUNT(*) FROM audit_events WHERE tenant_id = $1 AND entity = 'scorecard_link' AND entity_id = $2`, e.sysA.Tenant, p1.ID); n != 2 {
			t.Fatalf("%d link events", n)
		}
	})
}

func TestKPIValidationFormulasAndList(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := stNewEnv(t, d)
		ctx := t.Context()
		fin := e.persp[scorecard.PerspectiveFinancial]
		de1 := e.objective(t, scorecard.ObjectiveInput{PerspectiveID: fin, UnitID: e.econ, Title: "Încasarea impozitelor"})
		k1 := e.kpi(t, scorecard.KPIInput{Name: "Încasări din impozite", MeasureUnit: "lei", OwnerID: e.dan, ObjectiveID: de1.ID, Process: "Colectarea veniturilor"})
		k2 := e.kpi(t, scorecard.KPIInput{Name: "Debite de încasat", MeasureUnit: "lei", UnitID: e.tax, Frequency: scorecard.Quarterly})
		if k1.Code != "K01" || k2.Code != "K02" || k1.UnitID != e.econ || k1.ObjectiveCode != "F1" || k1.OwnerName != "Dan Țurcanu" {
			t.Fatalf("created %+v / %+v", k1, k2)
		}
		k3 := e.kpi(t, scorecard.KPIInput{Name: "Grad de încasare", MeasureUnit: "%", Formula: "k01 / K02 * 100", ObjectiveID: de1.ID})
		if k3.Formula != "k01 / K02 * 100" || k3.Entered() {
			t.Fatalf("formula KPI %+v", k3)
		}
		k4 := e.kpi(t, scorecard.KPIInput{Name: "Proceduri citite", Metric: "documents.ack_rate", Polarity: scorecard.PolarityHigher})

		base := func() scorecard.KPIInput {
			return scorecard.KPIInput{Name: "x", Polarity: scorecard.PolarityHigher, Method: scorecard.MethodLinear, Frequency: scorecard.Monthly, Weight: 1, Decimals: 1}
		}
		nan := math.NaN()
		bad := []struct {
			name       string
			mod        func(*scorecard.KPIInput)
			field, key string
		}{
			{"no name", func(in *scorecard.KPIInput) { in.Name = "" }, "kpi_name", "error.required"},
			{"code taken", func(in *scorecard.KPIInput) { in.Code = "k01" }, "kpi_code", "scorecard.error.code_taken"},
			{"code with a space", func(in *scorecard.KPIInput) { in.Code = "K 9" }, "kpi_code", "scorecard.error.kpi_code_format"},
			{"code starting with a digit", func(in *scorecard.KPIInput) { in.Code = "9K" }, "kpi_code", "scorecard.error.kpi_code_format"},
			{"no polarity", func(in *scorecard.KPIInput) { in.Polarity = "" }, "kpi_polarity", "error.required"},
			{"unknown method", func(in *scorecard.KPIInput) { in.Method = "magic" }, "kpi_method", "error.choice"},
			{"unknown frequency", func(in *scorecard.KPIInput) { in.Frequency = "weekly" }, "kpi_frequency", "error.choice"},
			{"baseline not a number", func(in *scorecard.KPIInput) { in.Baseline = &nan }, "kpi_baseline", "scorecard.error.number"},
			{"band thresholds reversed", func(in *scorecard.KPIInput) {
				in.Polarity, in.Red, in.RedHigh = scorecard.PolarityBand, stF(5), stF(1)
			}, "kpi_red_high", "scorecard.error.band_order"},
			{"decimals", func(in *scorecard.KPIInput) { in.Decimals = 9 }, "kpi_decimals", "error.range"},
			{"weight", func(in *scorecard.KPIInput) { in.Weight = -2 }, "kpi_weight", "scorecard.error.weight"},
			{"owner of B", func(in *scorecard.KPIInput) { in.OwnerID = e.bPerson }, "kpi_owner", "error.choice"},
			{"unit of B", func(in *scorecard.KPIInput) { in.UnitID = e.bUnit }, "kpi_unit", "error.choice"},
			{"objective missing", func(in *scorecard.KPIInput) { in.ObjectiveID = 424242 }, "kpi_objective", "error.choice"},
			{"unknown metric", func(in *scorecard.KPIInput) { in.Metric = "documents.nothing" }, "kpi_metric", "error.choice"},
			{"metric and formula", func(in *scorecard.KPIInput) { in.Metric, in.Formula = "documents.ack_rate", "K01 * 2" }, "kpi_formula", "scorecard.error.metric_and_formula"},
			{"formula syntax", func(in *scorecard.KPIInput) { in.Formula = "K01 +* 2" }, "kpi_formula", "scorecard.error.formula_syntax"},
			{"formula call", func(in *scorecard.KPIInput) { in.Formula = "max(K01, K02)" }, "kpi_formula", "scorecard.error.formula_syntax"},
			{"formula unknown code", func(in *scorecard.KPIInput) { in.Formula = "K01 + K77" }, "kpi_formula", "scorecard.error.formula_code"},
			{"formula itself", func(in *scorecard.KPIInput) { in.Code, in.Formula = "K09", "K09 + 1" }, "kpi_formula", "scorecard.error.formula_self"},
		}
		before := e.count(t, `SELECT COUNT(*) FROM scorecard_kpis`)
		for _, c := range bad {
			t.Run(c.name, func(t *testing.T) {
				in := base()
				c.mod(&in)
				_, err := e.svc.CreateKPI(ctx, e.qm, in)
				stWantField(t, err, c.field, c.key)
			})
		}
		if n := e.count(t, `SELECT COUNT(*) FROM scorecard_kpis`); n != before {
			t.Fatalf("refused KPIs were saved")
		}
		_, err := e.svc.CreateKPI(ctx, e.head, base())
		stWantKind(t, err, apperr.KindForbidden)

		upd := func(k scorecard.KPI) scorecard.KPIInput {
			return scorecard.KPIInput{Code: k.Code, Name: k.Name, MeasureUnit: k.MeasureUnit, Polarity: k.Polarity, Method: k.Method, Frequency: k.Frequency,
				Baseline: k.Baseline, Red: k.Red, RedHigh: k.RedHigh, Decimals: k.Decimals, OwnerID: k.OwnerID, Metric: k.Metric, Formula: k.Formula,
				ObjectiveID: k.ObjectiveID, UnitID: k.UnitID, Process: k.Process, Weight: k.Weight, Version: k.Version}
		}
		// K01 computed from K03 would go round in a circle through K03's
		// formula; K01's code and archiving are held by K03's formula.
		in := upd(k1)
		in.Formula = "K03 + 1"
		_, err = e.svc.UpdateKPI(ctx, e.qm, k1.ID, in)
		stWantField(t, err, "kpi_formula", "scorecard.error.formula_cycle")
		in = upd(k1)
		in.Code = "K11"
		_, err = e.svc.UpdateKPI(ctx, e.qm, k1.ID, in)
		stWantField(t, err, "kpi_code", "scorecard.error.code_in_formula")
		stWantKind(t, e.svc.ArchiveKPI(ctx, e.qm, k1.ID, k1.Version), apperr.KindConflict)
		// A good change; then the stale version.
		in = upd(k2)
		in.Name, in.Red = "Debite rămase de încasat", stF(100)
		k2b, err := e.svc.UpdateKPI(ctx, e.qm, k2.ID, in)
		if err != nil {
			t.Fatal(err)
		}
		if k2b.Name != "Debite rămase de încasat" || *k2b.Red != 100 || k2b.Version != k2.Version+1 {
			t.Fatalf("updated %+v", k2b)
		}
		_, err = e.svc.UpdateKPI(ctx, e.qm, k2.ID, upd(k2))
		stWantKind(t, err, apperr.KindConflict)
		if _, err := e.svc.KPI(ctx, e.other, k1.ID); apperr.KindOf(err) != apperr.KindNotFound {
			t.Fatalf("B reads A's KPI: %v", err)
		}
		if k, err := e.svc.KPIByCode(ctx, e.viewer, " k03 "); err != nil || k.ID != k3.ID {
			t.Fatalf("by code: %+v %v", k, err)
		}
		if _, err := e.svc.KPIByCode(ctx, e.other, "K03"); apperr.KindOf(err) != apperr.KindNotFound {
			t.Fatalf("B reads A's KPI by code: %v", err)
		}

		codes := func(f scorecard.KPIFilter) []string {
			p, err := e.svc.KPIs(ctx, e.viewer, f)
			if err != nil {
				t.Fatal(err)
			}
			var out []string
			for _, k := range p.Items {
				out = append(out, k.Code)
			}
			return out
		}
		for _, c := range []struct {
			name string
			f    scorecard.KPIFilter
			want []string
		}{
			{"all", scorecard.KPIFilter{}, []string{"K01", "K02", "K03", "K04"}},
			{"diacritics ignored", scorecard.KPIFilter{Query: "INCASARI"}, []string{"K01"}},
			{"by code", scorecard.KPIFilter{Query: "k02"}, []string{"K02"}},
			{"objective", scorecard.KPIFilter{ObjectiveID: de1.ID}, []string{"K01", "K03"}},
			{"unit subtree", scorecard.KPIFilter{UnitID: e.econ}, []string{"K01", "K02", "K03"}},
			{"unit below", scorecard.KPIFilter{UnitID: e.tax}, []string{"K02"}},
			{"process", scorecard.KPIFilter{Process: "Colectarea veniturilor"}, []string{"K01"}},
			{"frequency", scorecard.KPIFilter{Frequency: scorecard.Quarterly}, []string{"K02"}},
			{"entered", scorecard.KPIFilter{Kind: scorecard.KindEntered}, []string{"K01", "K02"}},
			{"formula", scorecard.KPIFilter{Kind: scorecard.KindFormula}, []string{"K03"}},
			{"metric", scorecard.KPIFilter{Kind: scorecard.KindMetric}, []string{"K04"}},
			{"owner", scorecard.KPIFilter{OwnerID: e.dan}, []string{"K01"}},
			{"code descending", scorecard.KPIFilter{Sort: "code", Desc: true}, []string{"K04", "K03", "K02", "K01"}},
			{"page 2 of 3 a page", scorecard.KPIFilter{PerPage: 3, Page: 2}, []string{"K04"}},
		} {
			if got := codes(c.f); !equalStrings(got, c.want) {
				t.Errorf("%s: got %v, want %v", c.name, got, c.want)
			}
		}
		if p, err := e.svc.KPIs(ctx, e.viewer, scorecard.KPIFilter{PerPage: 3}); err != nil || p.Total != 4 || len(p.Items) != 3 {
			t.Fatalf("page: %d of %d, %v", len(p.Items), p.Total, err)
		}
		if p, _ := e.svc.KPIs(ctx, e.other, scorecard.KPIFilter{}); p.Total != 0 {
			t.Fatalf("B lists %d of A's KPIs", p.Total)
		}
		// Archiving: the metric KPI goes off the list, kept with Archived.
		if err := e.svc.ArchiveKPI(ctx, e.qm, k4.ID, k4.Version); err != nil {
			t.Fatal(err)
		}
		if got := codes(scorecard.KPIFilter{}); len(got) != 3 {
			t.Fatalf("after archiving: %v", got)
		}
		if got := codes(scorecard.KPIFilter{Archived: true}); len(got) != 4 {
			t.Fatalf("with archived: %v", got)
		}
		if n := e.count(t, `SELECT COUNT(*) FROM audit_events WHERE tenant_id = $1 AND entity = 'kpi'`, e.sysA.Tenant); n != 6 {
			t.Fatalf("%d KPI events, want 4 creates, an update, an archive", n)
		}
	})
}

func TestTargets(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := stNewEnv(t, d)
		ctx := t.Context()
		k := e.kpi(t, scorecard.KPIInput{Name: "Petiții soluționate la termen", Frequency: scorecard.Quarterly, Baseline: stF(60), Red: stF(70)})
		band := e.kpi(t, scorecard.KPIInput{Name: "Abaterea execuției bugetare", Polarity: scorecard.PolarityBand, Red: stF(1), RedHigh: stF(5)})
		bad := []struct {
			name       string
			kpi        scorecard.KPI
			ts         []scorecard.Target
			field, key string
		}{
			{"unreadable period", k, []scorecard.Target{{Period: "2026-Z1", Value: 90}}, "kpi_target_2026-Z1", "scorecard.error.period"},
			{"a month for a quarterly KPI", k, []scorecard.Target{{Period: "2026-03", Value: 90}}, "kpi_target_2026-03", "scorecard.error.period_frequency"},
			{"red above the target", k, []scorecard.Target{{Period: "2026-Q1", Value: 65}}, "kpi_target_2026-Q1", "scorecard.error.red_higher"},
			{"band upside down", band, []scorecard.Target{{Period: "2026", Value: 3, High: stF(2)}}, "kpi_target_2026", "scorecard.error.target_high"},
			{"band above its red", band, []scorecard.Target{{Period: "2026", Value: 2, High: stF(6)}}, "kpi_target_2026", "scorecard.error.red_band_high"},
		}
		for _, c := range bad {
			t.Run(c.name, func(t *testing.T) {
				stWantField(t, e.svc.SetTargets(ctx, e.qm, c.kpi.ID, c.kpi.Version, c.ts), c.field, c.key)
			})
		}
		// "2026-T2" is the Romanian spelling of a quarter.
		if err := e.svc.SetTargets(ctx, e.qm, k.ID, k.Version, []scorecard.Target{{Period: "2026", Value: 90}, {Period: "2026-T2", Value: 85}}); err != nil {
			t.Fatal(err)
		}
		ts, err := e.svc.Targets(ctx, e.viewer, k.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(ts) != 2 || ts[0].Period != "2026" || ts[1].Period != "2026-Q2" || ts[1].Value != 85 {
			t.Fatalf("targets %+v", ts)
		}
		// The KPI's version moved: the old one is stale.
		stWantKind(t, e.svc.SetTargets(ctx, e.qm, k.ID, k.Version, []scorecard.Target{{Period: "2026", Value: 91}}), apperr.KindConflict)
		k, _ = e.svc.KPI(ctx, e.qm, k.ID)
		if err := e.svc.SetTargets(ctx, e.qm, k.ID, k.Version, []scorecard.Target{{Period: "2026-Q2", Value: math.NaN()}, {Period: "2026", Value: 92}}); err != nil {
			t.Fatal(err)
		}
		ts, _ = e.svc.Targets(ctx, e.qm, k.ID)
		if len(ts) != 1 || ts[0].Value != 92 {
			t.Fatalf("after removing: %+v", ts)
		}
		if err := e.svc.SetTargets(ctx, e.qm, band.ID, band.Version, []scorecard.Target{{Period: "2026", Value: 2, High: stF(3)}}); err != nil {
			t.Fatal(err)
		}
		// Thresholds that no longer fit the targets are refused on the KPI.
		band, _ = e.svc.KPI(ctx, e.qm, band.ID)
		_, err = e.svc.UpdateKPI(ctx, e.qm, band.ID, scorecard.KPIInput{Name: band.Name, Polarity: band.Polarity, Method: band.Method, Frequency: band.Frequency,
			Red: stF(2.5), RedHigh: band.RedHigh, Weight: 1, Version: band.Version})
		stWantField(t, err, "kpi_red", "scorecard.error.red_band_low")
		if _, err := e.svc.Targets(ctx, e.other, k.ID); apperr.KindOf(err) != apperr.KindNotFound {
			t.Fatalf("B reads A's targets: %v", err)
		}
		stWantKind(t, e.svc.SetTargets(ctx, e.viewer, k.ID, k.Version, nil), apperr.KindForbidden)
		if n := e.count(t, `SELECT COUNT(*) FROM audit_events WHERE tenant_id = $1 AND entity = 'kpi' AND entity_id = $2 AND action = 'update'`, e.sysA.Tenant, k.ID); n != 2 {
			t.Fatalf("%d target events", n)
		}
	})
}

func TestInitiativesAndTheirTasks(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := stNewEnv(t, d)
		ctx := t.Context()
		c1 := e.objective(t, scorecard.ObjectiveInput{PerspectiveID: e.persp[scorecard.PerspectiveCitizens], Title: "Servicii mai rapide"})
		p1 := e.objective(t, scorecard.ObjectiveInput{PerspectiveID: e.persp[scorecard.PerspectiveProcesses], Title: "Procese digitalizate"})
		good := scorecard.InitiativeInput{Title: "Ghișeu unic digital", OwnerID: e.dan, UnitID: e.econ, ObjectiveIDs: []int64{p1.ID, c1.ID, c1.ID},
			Budget: 250000, Spent: 0, StartOn: "2026-03-01", EndOn: "2026-12-15", Progress: 40, State: scorecard.InitiativeOngoing, Funding: "PNRR"}
		bad := []struct {
			name       string
			mod        func(*scorecard.InitiativeInput)
			field, key string
		}{
			{"no title", func(in *scorecard.InitiativeInput) { in.Title = "" }, "sc_ini_title", "error.required"},
			{"bad date", func(in *scorecard.InitiativeInput) { in.StartOn = "2026-02-30" }, "sc_ini_start", "error.date"},
			{"end before start", func(in *scorecard.InitiativeInput) { in.EndOn = "2026-01-01" }, "sc_ini_end", "scorecard.error.end_before_start"},
			{"progress over 100", func(in *scorecard.InitiativeInput) { in.Progress = 120 }, "sc_ini_progress", "scorecard.error.progress"},
			{"negative budget", func(in *scorecard.InitiativeInput) { in.Budget = -1 }, "sc_ini_budget", "scorecard.error.amount"},
			{"unknown state", func(in *scorecard.InitiativeInput) { in.State = "paused" }, "sc_ini_state", "error.choice"},
			{"objective of B", func(in *scorecard.InitiativeInput) { in.ObjectiveIDs = []int64{999999} }, "sc_ini_objectives", "error.choice"},
			{"owner of B", func(in *scorecard.InitiativeInput) { in.OwnerID = e.bPerson }, "sc_ini_owner", "error.choice"},
		}
		for _, c := range bad {
			t.Run(c.name, func(t *testing.T) {
				in := good
				in.ObjectiveIDs = append([]int64(nil), good.ObjectiveIDs...)
				c.mod(&in)
				_, err := e.svc.CreateInitiative(ctx, e.qm, in)
				stWantField(t, err, c.field, c.key)
			})
		}
		x, err := e.svc.CreateInitiative(ctx, e.qm, good)
		if err != nil {
			t.Fatal(err)
		}
		if x.Code != "IN-2026-01" || len(x.Objectives) != 2 || x.Objectives[0].Code != "C1" || x.OwnerName != "Dan Țurcanu" || x.UnitName != "Direcția Economică" {
			t.Fatalf("created %+v", x)
		}
		task := func(state string) (int, string) {
			t.Helper()
			var n int
			var due string
			rows, err := d.R.QueryContext(ctx, `SELECT due_on FROM tasks WHERE tenant_id = $1 AND module = 'scorecard' AND entity = 'initiative' AND entity_id = $2
				AND state = $3 AND person_id = $4 AND kind = $5`, e.sysA.Tenant, x.ID, state, e.dan, work.KindAct)
			if err != nil {
				t.Fatal(err)
			}
			defer rows.Close()
			for rows.Next() {
				n++
				if err := rows.Scan(&due); err != nil {
					t.Fatal(err)
				}
			}
			return n, due
		}
		if n, due := task(work.StateOpen); n != 1 || due != "2026-12-15" {
			t.Fatalf("open tasks %d due %s", n, due)
		}
		// A new end date moves the task.
		in := good
		in.EndOn, in.Version, in.Code = "2027-02-28", x.Version, ""
		x2, err := e.svc.UpdateInitiative(ctx, e.qm, x.ID, in)
		if err != nil {
			t.Fatal(err)
		}
		if n, due := task(work.StateOpen); n != 1 || due != "2027-02-28" {
			t.Fatalf("moved task: %d due %s", n, due)
		}
		if n, _ := task(work.StateCancelled); n != 1 {
			t.Fatalf("the old task is not cancelled: %d", n)
		}
		_, err = e.svc.UpdateInitiative(ctx, e.qm, x.ID, in)
		stWantKind(t, err, apperr.KindConflict)
		// Overdue: open after its end date.
		e.clk.Set(time.Date(2027, 3, 5, 9, 0, 0, 0, time.UTC))
		page, err := e.svc.Initiatives(ctx, e.viewer, scorecard.InitiativeFilter{Overdue: true})
		if err != nil || page.Total != 1 || len(page.Items[0].Objectives) != 2 {
			t.Fatalf("overdue: %+v %v", page, err)
		}
		// Done closes the task as done.
		in.State, in.Progress, in.Version = scorecard.InitiativeDone, 100, x2.Version
		if _, err := e.svc.UpdateInitiative(ctx, e.qm, x.ID, in); err != nil {
			t.Fatal(err)
		}
		if n, _ := task(work.StateOpen); n != 0 {
			t.Fatalf("a done initiative keeps %d open tasks", n)
		}
		if n, _ := task(work.StateDone); n != 1 {
			t.Fatalf("done tasks: %d", n)
		}
		for _, c := range []struct {
			f    scorecard.InitiativeFilter
			want int
		}{
			{scorecard.InitiativeFilter{}, 1},
			{scorecard.InitiativeFilter{Overdue: true}, 0},
			{scorecard.InitiativeFilter{State: scorecard.InitiativeDone}, 1},
			{scorecard.InitiativeFilter{State: scorecard.InitiativeOngoing}, 0},
			{scorecard.InitiativeFilter{ObjectiveID: p1.ID}, 1},
			{scorecard.InitiativeFilter{Query: "ghiseu"}, 1},
			{scorecard.InitiativeFilter{OwnerID: e.ana}, 0},
		} {
			if p, err := e.svc.Initiatives(ctx, e.viewer, c.f); err != nil || p.Total != c.want {
				t.Errorf("%+v: %d, want %d (%v)", c.f, p.Total, c.want, err)
			}
		}
		if p, _ := e.svc.Initiatives(ctx, e.other, scorecard.InitiativeFilter{}); p.Total != 0 {
			t.Fatalf("B lists A's initiatives")
		}
		if _, err := e.svc.Initiative(ctx, e.other, x.ID); !errors.Is(err, apperr.NotFound(scorecard.EntityInitiative)) && apperr.KindOf(err) != apperr.KindNotFound {
			t.Fatalf("B reads A's initiative: %v", err)
		}
		if n := e.count(t, `SELECT COUNT(*) FROM audit_events WHERE tenant_id = $1 AND entity = 'initiative' AND entity_id = $2`, e.sysA.Tenant, x.ID); n != 3 {
			t.Fatalf("%d initiative events", n)
		}
	})
}

func TestFormulaParser(t *testing.T) {
	for _, c := range []struct {
		src   string
		codes []string
		vals  map[string]float64
		want  float64
		ok    bool
	}{
		{"K03 / K04 * 100", []string{"K03", "K04"}, map[string]float64{"K03": 45, "K04": 60}, 75, true},
		{"(k1 + k2) / 2", []string{"K1", "K2"}, map[string]float64{"K1": 3, "K2": 5}, 4, true},
		{"-K1 + 10", []string{"K1"}, map[string]float64{"K1": 4}, 6, true},
		{"2 + 3 * 4", nil, nil, 14, true},
		{"(2 + 3) * 4", nil, nil, 20, true},
		{"C1.2 - 0.5", []string{"C1.2"}, map[string]float64{"C1.2": 1}, 0.5, true},
		{"K1 / K2", []string{"K1", "K2"}, map[string]float64{"K1": 1, "K2": 0}, 0, false}, // division by zero
		{"K1 + K2 + K1", []string{"K1", "K2"}, map[string]float64{"K1": 1}, 0, false},     // K2 missing
	} {
		f, err := scorecard.ParseFormula(c.src)
		if err != nil {
			t.Errorf("%s: %v", c.src, err)
			continue
		}
		if !equalStrings(f.Codes(), c.codes) {
			t.Errorf("%s: codes %v, want %v", c.src, f.Codes(), c.codes)
		}
		if v, ok := f.Eval(c.vals); ok != c.ok || !stNear(v, c.want) {
			t.Errorf("%s: %v %v, want %v %v", c.src, v, ok, c.want, c.ok)
		}
	}
	for _, src := range []string{"", "K1 +", "(K1", "K1)", "max(K1, K2)", "K1 == 2", `"a"`, "K1.", "K1 ^ 2", "K1 K2", "K1 ? 1 : 2", "1..2"} {
		if _, err := scorecard.ParseFormula(src); err == nil {
			t.Errorf("%q was accepted", src)
		}
	}
}
