package web

import (
	"context"
	"net/url"
	"strconv"
	"testing"

	"cadran/internal/auth"
	"cadran/internal/scorecard"
)

// kpiSeed gives institution A a perspective set, an objective, a monthly
// KPI "K01" owned by A's person with a yearly target of 95 for 2026, and a
// value of 96 for September 2026.
type kpiSeed struct {
	Objective scorecard.Objective
	KPI       scorecard.KPI
	M         scorecard.Measurement
}

func kpiF(f float64) *float64 { return &f }

func seedKPI(t *testing.T, f *fixture, tenant tenant) kpiSeed {
	t.Helper()
	ctx := context.Background()
	sys := auth.SystemActor(tenant.Inst.ID, "test")
	sc := f.Srv.scorecard
	if err := sc.EnsureDefaults(ctx, sys); err != nil {
		t.Fatal(err)
	}
	ps, err := sc.Perspectives(ctx, sys)
	if err != nil || len(ps) == 0 {
		t.Fatalf("perspectives: %v, %v", ps, err)
	}
	var s kpiSeed
	if s.Objective, err = sc.CreateObjective(ctx, sys, scorecard.ObjectiveInput{PerspectiveID: ps[0].ID, Title: tenant.Marker + " Servicii publice prompte", Weight: 1}); err != nil {
		t.Fatal(err)
	}
	if s.KPI, err = sc.CreateKPI(ctx, sys, scorecard.KPIInput{Code: "K01", Name: tenant.Marker + " Petiții soluționate în termen", MeasureUnit: "%",
		Polarity: scorecard.PolarityHigher, Method: scorecard.MethodLinear, Frequency: scorecard.Monthly, Baseline: kpiF(70), Red: kpiF(80), Decimals: 1,
		OwnerID: tenant.Person.ID, ObjectiveID: s.Objective.ID, Weight: 1}); err != nil {
		t.Fatal(err)
	}
	if err := sc.SetTargets(ctx, sys, s.KPI.ID, s.KPI.Version, []scorecard.Target{{Period: "2026", Value: 95}}); err != nil {
		t.Fatal(err)
	}
	if s.KPI, err = sc.KPI(ctx, sys, s.KPI.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := sc.Record(ctx, sys, scorecard.SourceManual, []scorecard.Entry{{KPIID: s.KPI.ID, Period: "2026-09", Value: 96}}); err != nil {
		t.Fatal(err)
	}
	ms, err := sc.Measurements(ctx, sys, s.KPI.ID)
	if err != nil || len(ms) != 1 {
		t.Fatalf("measurements: %v, %v", ms, err)
	}
	s.M = ms[0]
	return s
}

func init() {
	isolationModules = append(isolationModules, func(t *testing.T, f *fixture) isolationRecords {
		t.Helper()
		ctx := context.Background()
		s := seedKPI(t, f, f.A)
		sys := auth.SystemActor(f.A.Inst.ID, "test")
		_, tok, err := f.Srv.auth.CreateToken(ctx, f.A.Admin.Actor(), "Alfa export contabilitate", nil)
		if err != nil {
			t.Fatal(err)
		}
		id := strconv.FormatInt(s.KPI.ID, 10)
		return isolationRecords{
			IDs: map[string]string{"/scorecard/kpis/{id}": id, "/scorecard/measurements/{id}": strconv.FormatInt(s.M.ID, 10),
				"/account/tokens/{id}": strconv.FormatInt(tok.ID, 10)},
			Params: map[string]string{"{code}": s.KPI.Code},
			Form: url.Values{"kpi_name": {"Intrus"}, "kpi_code": {"K99"}, "kpi_polarity": {"higher"}, "kpi_method": {"linear"}, "kpi_frequency": {"monthly"},
				"kpi_objective": {strconv.FormatInt(s.Objective.ID, 10)}, "kpi_owner": {strconv.FormatInt(f.A.Person.ID, 10)},
				"t_count": {"0"}, "t_period_0": {"2026"}, "t_value_0": {"1"},
				"v_" + id + "_2026-10": {"1"}, "ver_" + id + "_2026-10": {"0"}},
			Check: func(t *testing.T) {
				k, err := f.Srv.scorecard.KPI(ctx, sys, s.KPI.ID)
				if err != nil || k.Version != s.KPI.Version || k.Name != s.KPI.Name || k.Archived {
					t.Errorf("A's KPI changed during B's requests: %+v (%v)", k, err)
				}
				ts, err := f.Srv.scorecard.Targets(ctx, sys, s.KPI.ID)
				if err != nil || len(ts) != 1 || ts[0].Value != 95 {
					t.Errorf("A's targets changed: %+v (%v)", ts, err)
				}
				ms, err := f.Srv.scorecard.Measurements(ctx, sys, s.KPI.ID)
				if err != nil || len(ms) != 1 || ms[0].Version != s.M.Version || *ms[0].Value != 96 || ms[0].Pending != nil {
					t.Errorf("A's values changed: %+v (%v)", ms, err)
				}
				toks, err := f.Srv.auth.Tokens(ctx, f.A.Admin.Actor())
				if err != nil || len(toks) != 1 || toks[0].Revoked != nil {
					t.Errorf("A's tokens changed: %+v (%v)", toks, err)
				}
				var n int
				if err := f.DB.R.QueryRow(`SELECT COUNT(*) FROM scorecard_kpis WHERE tenant_id <> $1 AND (objective_id = $2 OR owner_id = $3)`, f.A.Inst.ID, s.Objective.ID, f.A.Person.ID).Scan(&n); err != nil || n != 0 {
					t.Errorf("B made %d KPIs on A's objective or person (err %v)", n, err)
				}
				if err := f.DB.R.QueryRow(`SELECT COUNT(*) FROM scorecard_measurements WHERE kpi_id = $1`, s.KPI.ID).Scan(&n); err != nil || n != 1 {
					t.Errorf("A's KPI has %d measurements (err %v)", n, err)
				}
			},
		}
	})
}
