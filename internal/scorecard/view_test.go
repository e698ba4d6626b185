package scorecard_test

import (
	"testing"
	"time"

	"cadran/internal/apperr"
	"cadran/internal/db"
	"cadran/internal/db/dbtest"
	"cadran/internal/evidence"
	"cadran/internal/scorecard"
)

// stValue stores a measurement with plain SQL: value is the approved
// value, pending a value waiting for approval.
func (e *stEnv) stValue(t *testing.T, tenant, kpi int64, period string, value, pending *float64) {
	t.Helper()
	p, err := scorecard.ParsePeriod(period)
	if err != nil {
		t.Fatal(err)
	}
	nf := func(f *float64) any {
		if f == nil {
			return nil
		}
		return *f
	}
	if _, err := e.d.W.ExecContext(t.Context(), `INSERT INTO scorecard_measurements (tenant_id, kpi_id, period, period_end, value, pending_value, source,
		entered_by_name, entered_at, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, 'manual', 'test', $7, $7, $7)`,
		tenant, kpi, p.Key(), p.Last().Format(time.DateOnly), nf(value), nf(pending), p.End().Add(48*time.Hour)); err != nil {
		t.Fatal(err)
	}
}

func (e *stEnv) targets(t *testing.T, k scorecard.KPI, ts ...scorecard.Target) {
	t.Helper()
	k, err := e.svc.KPI(t.Context(), e.qm, k.ID)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.svc.SetTargets(t.Context(), e.qm, k.ID, k.Version, ts); err != nil {
		t.Fatalf("targets of %s: %v", k.Code, err)
	}
}

// stCard is the small scorecard of the view tests, as of October 2026:
//
//	Citizens (weight 2)
//	  C1 (weight 2): K01 monthly, linear, baseline 60, red 70, target 90, value 81
//	                   → (81 − 60) / (90 − 60) × 100 = 70, amber
//	                 K02 quarterly (2026-Q3), lower, bands, red 20, target 10, value 15 → amber 50
//	                 E1, the economic directorate's objective cascaded to C1:
//	                   K03 monthly, binary, target 95: no value for 2026-10 (only 2026-09) → missing
//	                   K04 yearly (2025), linear, baseline 0, target 100, value 80 → 80 (red: no red threshold)
//	                   E1 = 80 / 1 = 80 (K03 missing), green
//	               C1 = (70 + 50 + 80) / 3 = 66.67, amber
//	  C2 (weight 1): no KPI → no data
//	  Citizens = 66.67 (C2 missing)
//	Processes (weight 1)
//	  P1 (quality, weight 1): K05 monthly, only a pending value → missing
//	                          K06 half-yearly (2026-H1), linear from red 50, target 100, value 75 → 50 (weight 3)
//	                          K07 monthly, weight 0: value 10, target 90 → red 0, counts nothing
//	                 P1 = 3/3 × 50 = 50, amber
//	  Processes = 50
//	Financial, learning: no objectives, left out of the roll-up.
//	Institution = (2 × 66.67 + 1 × 50) / 3 = 61.11, amber.
type stCard struct {
	c1, c2, p1, e1                    scorecard.Objective
	k01, k02, k03, k04, k05, k06, k07 scorecard.KPI
	bKPI                              scorecard.KPI
}

func stBuildCard(t *testing.T, e *stEnv) stCard {
	ctx := t.Context()
	var s stCard
	ps, err := e.svc.Perspectives(ctx, e.qm)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.UpdatePerspective(ctx, e.qm, ps[0].ID, scorecard.PerspectiveInput{Weight: 2, Version: ps[0].Version}); err != nil {
		t.Fatal(err)
	}
	cit, proc := e.persp[scorecard.PerspectiveCitizens], e.persp[scorecard.PerspectiveProcesses]
	s.c1 = e.objective(t, scorecard.ObjectiveInput{PerspectiveID: cit, Title: "Servicii publice mai rapide", Weight: 2})
	s.c2 = e.objective(t, scorecard.ObjectiveInput{PerspectiveID: cit, Title: "Cetățeni informați", Weight: 1})
	s.p1 = e.objective(t, scorecard.ObjectiveInput{PerspectiveID: proc, Title: "Procese conforme", Weight: 1, Quality: true})
	s.e1 = e.objective(t, scorecard.ObjectiveInput{PerspectiveID: cit, UnitID: e.econ, ParentID: s.c1.ID, Title: "Ghișeu rapid la taxe", Weight: 1})

	s.k01 = e.kpi(t, scorecard.KPIInput{Name: "Petiții la termen", ObjectiveID: s.c1.ID, Baseline: stF(60), Red: stF(70), Process: "Registratură"})
	e.targets(t, s.k01, scorecard.Target{Period: "2026", Value: 90})
	e.stValue(t, e.sysA.Tenant, s.k01.ID, "2026-09", stF(75), nil)
	e.stValue(t, e.sysA.Tenant, s.k01.ID, "2026-10", stF(81), nil)

	s.k02 = e.kpi(t, scorecard.KPIInput{Name: "Zile pentru autorizare", ObjectiveID: s.c1.ID, Frequency: scorecard.Quarterly, Polarity: scorecard.PolarityLower,
		Method: scorecard.MethodBands, Red: stF(20)})
	e.targets(t, s.k02, scorecard.Target{Period: "2026-Q3", Value: 10})
	e.stValue(t, e.sysA.Tenant, s.k02.ID, "2026-Q3", stF(15), nil)

	s.k03 = e.kpi(t, scorecard.KPIInput{Name: "Plăți procesate în ziua primirii", ObjectiveID: s.e1.ID, Method: scorecard.MethodBinary})
	e.targets(t, s.k03, scorecard.Target{Period: "2026", Value: 95})
	e.stValue(t, e.sysA.Tenant, s.k03.ID, "2026-09", stF(97), nil)

	s.k04 = e.kpi(t, scorecard.KPIInput{Name: "Contribuabili cu cont online", ObjectiveID: s.e1.ID, Frequency: scorecard.Yearly, Baseline: stF(0)})
	e.targets(t, s.k04, scorecard.Target{Period: "2025", Value: 100})
	e.stValue(t, e.sysA.Tenant, s.k04.ID, "2025", stF(80), nil)

	s.k05 = e.kpi(t, scorecard.KPIInput{Name: "Proceduri revizuite", ObjectiveID: s.p1.ID})
	e.targets(t, s.k05, scorecard.Target{Period: "2026", Value: 100})
	e.stValue(t, e.sysA.Tenant, s.k05.ID, "2026-10", nil, stF(100))

	s.k06 = e.kpi(t, scorecard.KPIInput{Name: "Audituri efectuate", ObjectiveID: s.p1.ID, Frequency: scorecard.HalfYearly, Red: stF(50), Weight: 3})
	e.targets(t, s.k06, scorecard.Target{Period: "2026-H1", Value: 100})
	e.stValue(t, e.sysA.Tenant, s.k06.ID, "2026-H1", stF(75), nil)

	s.k07 = e.kpi(t, scorecard.KPIInput{Name: "Satisfacția cetățenilor la ghișeu", ObjectiveID: s.p1.ID})
	k07, err := e.svc.KPI(ctx, e.qm, s.k07.ID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.UpdateKPI(ctx, e.qm, k07.ID, scorecard.KPIInput{Name: k07.Name, Polarity: k07.Polarity, Method: k07.Method, Frequency: k07.Frequency,
		ObjectiveID: k07.ObjectiveID, Weight: 0, Decimals: 1, Version: k07.Version}); err != nil {
		t.Fatal(err)
	}
	e.targets(t, s.k07, scorecard.Target{Period: "2026", Value: 90})
	e.stValue(t, e.sysA.Tenant, s.k07.ID, "2026-10", stF(10), nil)

	// An open initiative and a done one on C1: one counts.
	if _, err := e.svc.CreateInitiative(ctx, e.qm, scorecard.InitiativeInput{Title: "Programare online", ObjectiveIDs: []int64{s.c1.ID}, State: scorecard.InitiativeOngoing}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.CreateInitiative(ctx, e.qm, scorecard.InitiativeInput{Title: "Afișaj nou", ObjectiveIDs: []int64{s.c1.ID}, State: scorecard.InitiativeDone}); err != nil {
		t.Fatal(err)
	}

	// Institution B's own scorecard, all green, must never show in A's.
	if err := e.svc.EnsureDefaults(ctx, e.other); err != nil {
		t.Fatal(err)
	}
	bps, err := e.svc.Perspectives(ctx, e.other)
	if err != nil {
		t.Fatal(err)
	}
	bo, err := e.svc.CreateObjective(ctx, e.other, scorecard.ObjectiveInput{PerspectiveID: bps[0].ID, Title: "Obiectivul lui B", Weight: 1, Quality: true})
	if err != nil {
		t.Fatal(err)
	}
	s.bKPI, err = e.svc.CreateKPI(ctx, e.other, scorecard.KPIInput{Name: "Indicatorul lui B", Polarity: scorecard.PolarityHigher, Method: scorecard.MethodLinear,
		Frequency: scorecard.Monthly, ObjectiveID: bo.ID, Weight: 1})
	if err != nil {
		t.Fatal(err)
	}
	if err := e.svc.SetTargets(ctx, e.other, s.bKPI.ID, s.bKPI.Version, []scorecard.Target{{Period: "2026", Value: 1}}); err != nil {
		t.Fatal(err)
	}
	e.stValue(t, e.sysB.Tenant, s.bKPI.ID, "2026-10", stF(5), nil)
	return s
}

func stWantAgg(t *testing.T, what string, a scorecard.Agg, score float64, status string, missing int) {
	t.Helper()
	if !stNear(a.Score, score) || a.Status != status || a.Missing != missing {
		t.Errorf("%s: %.2f %s missing %d, want %.2f %s missing %d", what, a.Score, a.Status, a.Missing, score, status, missing)
	}
}

func TestCardScoresByHand(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := stNewEnv(t, d)
		ctx := t.Context()
		s := stBuildCard(t, e)
		card, err := e.svc.Card(ctx, e.viewer, scorecard.CardQuery{Month: scorecard.Month(2026, 10)})
		if err != nil {
			t.Fatal(err)
		}
		stWantAgg(t, "institution", card.Agg, 61.11, scorecard.StatusAmber, 0)
		if len(card.Agg.Parts) != 2 || len(card.Perspectives) != 4 {
			t.Fatalf("%d parts, %d perspectives", len(card.Agg.Parts), len(card.Perspectives))
		}
		cit, fin, proc := card.Perspectives[0], card.Perspectives[1], card.Perspectives[2]
		stWantAgg(t, "citizens", cit.Agg, 66.67, scorecard.StatusAmber, 1)
		stWantAgg(t, "processes", proc.Agg, 50, scorecard.StatusAmber, 0)
		stWantAgg(t, "financial", fin.Agg, 0, scorecard.StatusNone, 0)
		if len(cit.Objectives) != 2 || len(proc.Objectives) != 1 {
			t.Fatalf("objectives %d %d", len(cit.Objectives), len(proc.Objectives))
		}
		c1, c2, p1 := cit.Objectives[0], cit.Objectives[1], proc.Objectives[0]
		stWantAgg(t, "C1", c1.Agg, 66.67, scorecard.StatusAmber, 0)
		stWantAgg(t, "C2", c2.Agg, 0, scorecard.StatusNone, 0)
		stWantAgg(t, "P1", p1.Agg, 50, scorecard.StatusAmber, 1)
		if c1.Initiatives != 1 || c2.Initiatives != 0 {
			t.Errorf("initiatives %d %d", c1.Initiatives, c2.Initiatives)
		}
		if len(c1.Children) != 1 || c1.Children[0].Objective.ID != s.e1.ID {
			t.Fatalf("C1's children %+v", c1.Children)
		}
		e1 := c1.Children[0]
		stWantAgg(t, "E1", e1.Agg, 80, scorecard.StatusGreen, 1)
		// C1's parts: its two KPIs, then E1.
		if ps := c1.Agg.Parts; len(ps) != 3 || ps[2].Kind != "objective" || ps[2].ID != s.e1.ID || !stNear(ps[2].NormWeight, 1.0/3) {
			t.Errorf("C1 parts %+v", ps)
		}
		kpis := map[int64]scorecard.KPICard{}
		for _, oc := range []scorecard.ObjectiveCard{c1, e1, p1} {
			for _, k := range oc.KPIs {
				kpis[k.KPI.ID] = k
			}
		}
		for _, c := range []struct {
			k       scorecard.KPI
			period  string
			score   float64
			status  string
			has     bool
			noData  string
			pending bool
		}{
			{s.k01, "2026-10", 70, scorecard.StatusAmber, true, "", false},
			{s.k02, "2026-Q3", 50, scorecard.StatusAmber, true, "", false},
			{s.k03, "2026-10", 0, "", false, scorecard.NoDataValue, false},
			{s.k04, "2025", 80, scorecard.StatusRed, true, "", false}, // no red threshold: any miss is red, the score still 80
			{s.k05, "2026-10", 0, "", false, scorecard.NoDataValue, true},
			{s.k06, "2026-H1", 50, scorecard.StatusAmber, true, "", false},
			{s.k07, "2026-10", 0, scorecard.StatusRed, true, "", false},
		} {
			k, ok := kpis[c.k.ID]
			if !ok {
				t.Errorf("%s is not on the card", c.k.Code)
				continue
			}
			if k.Period.Key() != c.period || k.HasResult != c.has || !stNear(k.Result.Score, c.score) || k.Result.Status != c.status || k.NoData != c.noData || k.Pending != c.pending {
				t.Errorf("%s: %s has=%v %.2f %q nodata=%q pending=%v", c.k.Code, k.Period.Key(), k.HasResult, k.Result.Score, k.Result.Status, k.NoData, k.Pending)
			}
		}
		if k := kpis[s.k01.ID]; k.Previous == nil || *k.Previous != 75 || k.Target == nil || k.Target.Value != 90 || k.Result.Calc.Key != "scorecard.calc.linear" {
			t.Errorf("K01 previous %v target %v calc %s", k.Previous, k.Target, k.Result.Calc.Key)
		}
		// The units: the economic directorate, with E1 only: 80.
		if len(card.Units) != 1 || card.Units[0].UnitID != e.econ || card.Units[0].Relation != "own" {
			t.Fatalf("units %+v", card.Units)
		}
		stWantAgg(t, "economic directorate", card.Units[0].Agg, 80, scorecard.StatusGreen, 0)

		// The directorate's own card.
		uc, err := e.svc.Card(ctx, e.viewer, scorecard.CardQuery{UnitID: e.econ, Month: scorecard.Month(2026, 10)})
		if err != nil {
			t.Fatal(err)
		}
		stWantAgg(t, "unit card", uc.Agg, 80, scorecard.StatusGreen, 0)
		if uc.UnitName != "Direcția Economică" || len(uc.Units) != 0 || len(uc.Perspectives[0].Objectives) != 1 {
			t.Fatalf("unit card %q %d units", uc.UnitName, len(uc.Units))
		}
		// Quality objectives only: P1.
		qc, err := e.svc.Card(ctx, e.viewer, scorecard.CardQuery{Month: scorecard.Month(2026, 10), QualityOnly: true})
		if err != nil {
			t.Fatal(err)
		}
		stWantAgg(t, "quality card", qc.Agg, 50, scorecard.StatusAmber, 0)
		if len(qc.Perspectives[0].Objectives) != 0 || len(qc.Units) != 0 {
			t.Fatalf("quality card shows other objectives")
		}
		// A month on: K01's November has no value (missing), K02's quarter
		// and E1 are unchanged, so C1 is (50 + 80) / 2 = 65.
		nov, err := e.svc.Card(ctx, e.viewer, scorecard.CardQuery{Month: scorecard.Month(2026, 11)})
		if err != nil {
			t.Fatal(err)
		}
		stWantAgg(t, "C1 in November", nov.Perspectives[0].Objectives[0].Agg, 65, scorecard.StatusAmber, 1)

		// B's card holds only B's objective; A's unit is not B's.
		bc, err := e.svc.Card(ctx, e.other, scorecard.CardQuery{Month: scorecard.Month(2026, 10)})
		if err != nil {
			t.Fatal(err)
		}
		stWantAgg(t, "B", bc.Agg, 100, scorecard.StatusGreen, 0)
		n := 0
		for _, p := range bc.Perspectives {
			for _, o := range p.Objectives {
				n++
				if o.Objective.Tenant != e.sysB.Tenant {
					t.Fatalf("B's card shows %+v", o.Objective)
				}
			}
		}
		if n != 1 || len(bc.Units) != 0 {
			t.Fatalf("B's card: %d objectives, %d units", n, len(bc.Units))
		}
		if _, err := e.svc.Card(ctx, e.other, scorecard.CardQuery{UnitID: e.econ}); apperr.KindOf(err) != apperr.KindNotFound {
			t.Fatalf("B reads A's unit card: %v", err)
		}
		for _, k := range kpis {
			if k.KPI.ID == s.bKPI.ID {
				t.Fatal("A's card shows B's KPI")
			}
		}
	})
}

func TestSeries(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := stNewEnv(t, d)
		ctx := t.Context()
		s := stBuildCard(t, e)
		pts, err := e.svc.Series(ctx, e.viewer, s.k01.ID, scorecard.Month(2026, 7), scorecard.Month(2026, 10))
		if err != nil {
			t.Fatal(err)
		}
		if len(pts) != 4 || pts[0].Period.Key() != "2026-07" || pts[0].Value != nil || pts[0].HasData || pts[0].Target == nil {
			t.Fatalf("series %+v", pts)
		}
		// September: (75 − 60) / 30 × 100 = 50; October: 70.
		if !pts[2].HasData || !stNear(pts[2].Result.Score, 50) || !stNear(pts[3].Result.Score, 70) {
			t.Fatalf("scores %+v %+v", pts[2].Result, pts[3].Result)
		}
		// A quarterly KPI over months: the quarters holding them.
		pts, err = e.svc.Series(ctx, e.viewer, s.k02.ID, scorecard.Month(2026, 1), scorecard.Month(2026, 10))
		if err != nil {
			t.Fatal(err)
		}
		if len(pts) != 4 || pts[2].Period.Key() != "2026-Q3" || !pts[2].HasData || pts[1].Target != nil {
			t.Fatalf("quarterly series %+v", pts)
		}
		if _, err := e.svc.Series(ctx, e.other, s.k01.ID, scorecard.Month(2026, 1), scorecard.Month(2026, 10)); apperr.KindOf(err) != apperr.KindNotFound {
			t.Fatalf("B reads A's series: %v", err)
		}
	})
}

func TestEvidenceAndReviewFacts(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := stNewEnv(t, d)
		ctx := t.Context()
		s := stBuildCard(t, e)
		items, err := e.svc.ClauseEvidence(ctx, e.sysA.Tenant)
		if err != nil {
			t.Fatal(err)
		}
		clauses := map[string][]int64{}
		for _, it := range items {
			clauses[it.Clause] = append(clauses[it.Clause], it.ID)
			if it.Kind != evidence.KindIndicator || it.Href == "" || it.Date.IsZero() {
				t.Errorf("item %+v", it)
			}
		}
		// P1 is the quality objective; six KPIs have an approved value (K05
		// only a pending one); K07 measures satisfaction.
		if len(clauses["6.2"]) != 1 || clauses["6.2"][0] != s.p1.ID || len(clauses["9.1"]) != 6 || len(clauses["9.1.2"]) != 1 || clauses["9.1.2"][0] != s.k07.ID {
			t.Fatalf("evidence %v", clauses)
		}
		// January to October 2026.
		facts, err := e.svc.ReviewFacts(ctx, e.sysA.Tenant, evidence.Period{From: time.Date(2025, 12, 31, 22, 0, 0, 0, time.UTC), To: time.Date(2026, 10, 31, 22, 0, 0, 0, time.UTC)})
		if err != nil {
			t.Fatal(err)
		}
		byKey := map[string]evidence.Fact{}
		for _, f := range facts {
			byKey[f.Key] = f
		}
		obj := byKey["scorecard.fact.objectives"]
		if obj.Args["Count"] != 1 || obj.Args["Amber"] != 1 || obj.Args["Red"] != 0 || obj.Input != evidence.InputObjectives {
			t.Errorf("objectives fact %+v", obj)
		}
		// Values of the periods ended in January to October: K01 2 (amber),
		// K02 1 (amber, Q3), K03 1 (green), K06 1 (amber, H1), K07 1 (red);
		// missing: K01 8, K02 2, K03 9, K05 10, K07 9 = 38.
		mon := byKey["scorecard.fact.monitoring"]
		want := map[string]any{"Count": 7, "Values": 6, "Green": 1, "Amber": 4, "Red": 1, "NoTarget": 0, "Missing": 38}
		for k, v := range want {
			if mon.Args[k] != v {
				t.Errorf("monitoring %s = %v, want %v", k, mon.Args[k], v)
			}
		}
		if !mon.Warn {
			t.Error("missing values should warn")
		}
		proc := byKey["scorecard.fact.process"]
		if proc.Input != evidence.InputProcesses || proc.Args["Process"] != "Registratură" || proc.Args["Amber"] != 1 {
			t.Errorf("process fact %+v", proc)
		}
		// B's facts know nothing of A's.
		bf, err := e.svc.ReviewFacts(ctx, e.sysB.Tenant, evidence.Period{From: time.Date(2025, 12, 31, 22, 0, 0, 0, time.UTC), To: time.Date(2026, 10, 31, 22, 0, 0, 0, time.UTC)})
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range bf {
			if f.Key == "scorecard.fact.monitoring" && f.Args["Count"] != 1 {
				t.Errorf("B's monitoring %+v", f)
			}
		}
	})
}
