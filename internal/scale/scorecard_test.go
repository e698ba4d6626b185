package scale_test

import (
	"context"
	"encoding/json"
	"testing"

	"cadran/internal/auth"
	"cadran/internal/caf"
	"cadran/internal/clock"
	"cadran/internal/control"
	"cadran/internal/db"
	"cadran/internal/db/dbtest"
	"cadran/internal/frameworks"
	"cadran/internal/scale"
	"cadran/internal/scorecard"
	"cadran/internal/textutil"
	"cadran/internal/work"
)

// generated makes one small institution and returns its tenant and a
// system actor in it.
func generated(t *testing.T, d *db.DB) (int64, auth.Actor) {
	t.Helper()
	tenant := generateOne(t, d)
	return tenant, auth.SystemActor(tenant, "test")
}

// TestGeneratedPerformance checks the scorecard, CAF and internal control
// of a generated institution through the modules' own reads: the profile's
// KPIs with ten years of values (each audited, the red ones explained,
// the last month's missing ones due in their owners' inboxes), five CAF
// cycles with every member's 28 scores and the consensus, and ten yearly
// self-evaluations of the 16 standards.
func TestGeneratedPerformance(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		tenant, a := generated(t, d)
		p := scale.ProfileFor(testFactor)
		c := clock.NewFixed(t0)

		t.Run("scorecard", func(t *testing.T) {
			svc := &scorecard.Service{DB: d, Clock: c, Work: &work.Service{DB: d, Clock: c}}
			page, err := svc.KPIs(ctx, a, scorecard.KPIFilter{PerPage: 1000})
			if err != nil {
				t.Fatal(err)
			}
			if page.Total != p.KPIs || len(page.Items) != p.KPIs {
				t.Fatalf("KPIs = %d (%d listed), want %d", page.Total, len(page.Items), p.KPIs)
			}
			last := scorecard.MonthOf(t0).Prev()
			values, reds, greens, missing := 0, 0, 0, 0
			for _, k := range page.Items {
				ms, err := svc.Measurements(ctx, a, k.ID)
				if err != nil {
					t.Fatal(err)
				}
				targets, err := svc.Targets(ctx, a, k.ID)
				if err != nil {
					t.Fatal(err)
				}
				periods := len(scorecard.Range(k.Frequency, scorecard.Month(last.Year-p.Years, last.N).Next().Start(), scorecard.LatestEnded(k.Frequency, last).Last()))
				if len(ms) < periods-1 || len(ms) > periods {
					t.Errorf("%s (%s) has %d values, want %d periods' worth", k.Code, k.Frequency, len(ms), periods)
				}
				if k.Frequency == scorecard.Monthly && len(ms) < 12*p.Years-1 {
					t.Errorf("%s has %d monthly values over %d years", k.Code, len(ms), p.Years)
				}
				latest := scorecard.LatestEnded(k.Frequency, last).Key()
				has := false
				for _, m := range ms {
					v := m.Value
					if v == nil {
						v = m.Pending
					}
					if v == nil {
						t.Fatalf("%s %s has no value", k.Code, m.Period)
					}
					has = has || m.Period == latest
					values++
					per, _ := scorecard.ParsePeriod(m.Period)
					if tg, ok := scorecard.TargetFor(targets, per); ok && m.Value != nil {
						switch k.Rule().Evaluate(*m.Value, tg).Status {
						case scorecard.StatusRed:
							reds++
							if m.Explanation == "" {
								t.Errorf("%s %s is red without an explanation", k.Code, m.Period)
							}
						case scorecard.StatusGreen:
							greens++
						}
					}
				}
				if !has {
					missing++
					if n := count(t, d, `SELECT COUNT(*) FROM tasks WHERE tenant_id = $1 AND module = 'scorecard' AND entity = 'kpi' AND entity_id = $2
						AND state = 'open' AND due_on = $3`, tenant, k.ID, scorecard.DueOn(scorecard.LatestEnded(k.Frequency, last)).Format("2006-01-02")); n != 1 {
						t.Errorf("%s misses %s but has %d due-value tasks", k.Code, latest, n)
					}
				}
			}
			if values < p.KPIs*p.Years {
				t.Errorf("only %d values for %d KPIs over %d years", values, p.KPIs, p.Years)
			}
			if reds == 0 || greens == 0 {
				t.Errorf("values do not vary: %d red, %d green of %d", reds, greens, values)
			}
			if n := count(t, d, `SELECT COUNT(*) FROM tasks WHERE tenant_id = $1 AND module = 'scorecard' AND entity = 'kpi' AND kind = $2 AND state = 'open'`,
				tenant, work.KindReport); n != missing {
				t.Errorf("open due-value tasks = %d, want %d", n, missing)
			}
			// Every value was audited as it was entered.
			stored := count(t, d, `SELECT COUNT(*) FROM scorecard_measurements WHERE tenant_id = $1`, tenant)
			if n := count(t, d, `SELECT COUNT(DISTINCT entity_id) FROM audit_events WHERE tenant_id = $1 AND entity = $2 AND action = 'create'`,
				tenant, scorecard.EntityMeasurement); n != stored || stored != values {
				t.Errorf("audited values = %d, stored %d, read %d", n, stored, values)
			}
			// The audited row is the row as the service reads it back.
			var id int64
			var after string
			if err := d.R.QueryRowContext(ctx, `SELECT entity_id, after_json FROM audit_events WHERE tenant_id = $1 AND entity = $2 AND action = 'create'
				ORDER BY seq LIMIT 1`, tenant, scorecard.EntityMeasurement).Scan(&id, &after); err != nil {
				t.Fatal(err)
			}
			m, err := svc.Measurement(ctx, a, id)
			if err != nil {
				t.Fatal(err)
			}
			if b, _ := json.Marshal(m); string(b) != after {
				t.Errorf("audited value %s\nread back   %s", after, b)
			}
			// Entered by their owners, in the past.
			if n := count(t, d, `SELECT COUNT(*) FROM scorecard_measurements m JOIN users u ON u.id = m.entered_by
				JOIN scorecard_kpis k ON k.id = m.kpi_id WHERE m.tenant_id = $1 AND u.person_id = k.owner_id AND m.entered_at < $2`, tenant, t0); n < values-p.KPIs {
				t.Errorf("only %d of %d values entered by their owners", n, values)
			}
			// The search finds a KPI without its diacritics.
			name := page.Items[0].Name
			found, err := svc.KPIs(ctx, a, scorecard.KPIFilter{Query: textutil.Fold(name)})
			if err != nil || found.Total == 0 {
				t.Errorf("search %q: %d found, %v", textutil.Fold(name), found.Total, err)
			}
			objs, err := svc.Objectives(ctx, a, scorecard.ObjectiveFilter{AllUnits: true})
			if err != nil || len(objs) < 4 {
				t.Errorf("objectives = %d, %v", len(objs), err)
			}
			quality := 0
			for _, o := range objs {
				if o.Quality {
					quality++
				}
			}
			if quality == 0 {
				t.Errorf("no quality objective among %d", len(objs))
			}
			ini, err := svc.Initiatives(ctx, a, scorecard.InitiativeFilter{})
			if err != nil || ini.Total < 2 {
				t.Errorf("initiatives = %d, %v", ini.Total, err)
			}
		})

		t.Run("caf", func(t *testing.T) {
			svc := &caf.Service{DB: d, Clock: c, Work: &work.Service{DB: d, Clock: c}}
			page, err := svc.Cycles(ctx, a, caf.CycleFilter{PerPage: 100})
			if err != nil {
				t.Fatal(err)
			}
			if page.Total != 5 {
				t.Fatalf("CAF cycles = %d, want 5", page.Total)
			}
			model, _ := frameworks.CAFModel(frameworks.CAFLatest)
			states := map[string]int{}
			for _, cy := range page.Items {
				states[cy.State]++
				members, err := svc.Members(ctx, a, cy.ID)
				if err != nil {
					t.Fatal(err)
				}
				if len(members) < 3 {
					t.Errorf("%s: %d members", cy.Code, len(members))
				}
				if n := count(t, d, `SELECT COUNT(*) FROM caf_assessments WHERE tenant_id = $1 AND cycle_id = $2 AND score IS NOT NULL`, tenant, cy.ID); n != len(members)*len(model.Subs()) {
					t.Errorf("%s: %d scores from %d members", cy.Code, n, len(members))
				}
				res, err := svc.ResultsOf(ctx, a, cy.ID)
				if err != nil || res.Missing != 0 || res.Total.Score == nil {
					t.Errorf("%s results: missing %d, %v", cy.Code, res.Missing, err)
				}
				plan, err := svc.Plan(ctx, a, cy.ID)
				if err != nil || len(plan) == 0 {
					t.Errorf("%s plan: %d actions, %v", cy.Code, len(plan), err)
				}
				for _, x := range plan {
					open := count(t, d, `SELECT COUNT(*) FROM tasks WHERE tenant_id = $1 AND module = 'caf' AND entity = $2 AND entity_id = $3 AND state = 'open'`,
						tenant, caf.EntityAction, x.ID)
					if want := map[bool]int{true: 1, false: 0}[x.State == caf.ActionOpen]; open != want {
						t.Errorf("%s action %q (%s): %d open tasks", cy.Code, x.Title, x.State, open)
					}
				}
			}
			if states[caf.StateClosed] != 4 || states[caf.StateImproving] != 1 {
				t.Errorf("cycle states = %v", states)
			}
			if n := count(t, d, `SELECT COUNT(*) FROM audit_events WHERE tenant_id = $1 AND entity = $2`, tenant, caf.EntityAssessment); n !=
				count(t, d, `SELECT COUNT(*) FROM caf_assessments WHERE tenant_id = $1`, tenant) {
				t.Errorf("audited assessments = %d", n)
			}
		})

		t.Run("control", func(t *testing.T) {
			svc := &control.Service{DB: d, Clock: c, Work: &work.Service{DB: d, Clock: c}}
			evals, err := svc.Evaluations(ctx, a)
			if err != nil {
				t.Fatal(err)
			}
			if len(evals) != p.Years {
				t.Fatalf("self-evaluations = %d, want %d", len(evals), p.Years)
			}
			model, _ := frameworks.OSGGModel(frameworks.OSGGLatest)
			states := map[string]int{}
			for _, e := range evals {
				states[e.State]++
				if e.Units != p.Units {
					t.Errorf("%d: %d units, want %d", e.Year, e.Units, p.Units)
				}
				answers := count(t, d, `SELECT COUNT(*) FROM control_answers WHERE tenant_id = $1 AND evaluation_id = $2`, tenant, e.ID)
				if e.State == control.EvalOpen {
					// The compartments that have not submitted keep their task.
					if n := count(t, d, `SELECT COUNT(*) FROM tasks WHERE tenant_id = $1 AND module = 'control' AND state = 'open' AND entity = 'control_eval_unit'`, tenant); n != e.Units-e.Submitted {
						t.Errorf("open evaluation: %d answer tasks for %d of %d units not submitted", n, e.Units-e.Submitted, e.Units)
					}
					continue
				}
				if e.Submitted != e.Units || answers != e.Units*model.Questions() {
					t.Errorf("%d: %d of %d submitted, %d answers", e.Year, e.Submitted, e.Units, answers)
				}
				sum, err := svc.Summary(ctx, a, e.ID)
				if err != nil || sum.Grade == "" || sum.Implemented+sum.Partial+sum.NotImplemented != 16 {
					t.Errorf("%d summary: %+v, %v", e.Year, sum, err)
				}
			}
			if states[control.EvalApproved] != p.Years-1 || states[control.EvalOpen] != 1 {
				t.Errorf("evaluation states = %v", states)
			}
			if n, m := count(t, d, `SELECT COUNT(*) FROM audit_events WHERE tenant_id = $1 AND entity = $2`, tenant, control.EntityAnswer),
				count(t, d, `SELECT COUNT(*) FROM control_answers WHERE tenant_id = $1`, tenant); n != m || m == 0 {
				t.Errorf("audited answers = %d of %d", n, m)
			}
			fns, err := svc.SensitiveFunctions(ctx, a, control.SensitiveFilter{})
			if err != nil || fns.Total < 3 {
				t.Errorf("sensitive functions = %d, %v", fns.Total, err)
			}
			bodies, err := svc.Bodies(ctx, a, control.BodyFilter{})
			if err != nil || bodies.Total != 2 {
				t.Errorf("control bodies = %d, %v", bodies.Total, err)
			}
			progs, err := svc.Programmes(ctx, a, control.ProgrammeFilter{})
			if err != nil || progs.Total != p.Years {
				t.Errorf("programmes = %d, %v", progs.Total, err)
			}
		})
	})
}
