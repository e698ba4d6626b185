package web

import (
	"context"
	"net/url"
	"strconv"
	"testing"

	"cadran/internal/auth"
	"cadran/internal/risks"
)

func init() {
	isolationModules = append(isolationModules, func(t *testing.T, f *fixture) isolationRecords {
		t.Helper()
		ctx := context.Background()
		sys := auth.SystemActor(f.A.Inst.ID, "test")
		svc := &risks.Service{DB: f.DB, Clock: f.Clock, Work: f.Srv.work}
		r, err := svc.Propose(ctx, sys, risks.Input{Kind: risks.KindRisk, UnitID: f.A.Unit.ID, Description: "Alfa Neîncasarea impozitelor locale", InherentP: 4, InherentI: 4, Strategy: risks.StrategyTreat})
		if err != nil {
			t.Fatal(err)
		}
		if r, err = svc.Step(ctx, sys, r.ID, risks.StepInput{Action: risks.ActRetain, Version: r.Version}); err != nil {
			t.Fatal(err)
		}
		m, err := svc.AddMeasure(ctx, sys, r.ID, risks.MeasureInput{Description: "Alfa Reconcilierea lunară", OwnerID: f.A.Person.ID, Deadline: "2026-12-31"})
		if err != nil {
			t.Fatal(err)
		}
		if r, err = svc.RecordReview(ctx, sys, r.ID, risks.ReviewInput{ResidualP: 3, ResidualI: 3, Version: r.Version}); err != nil {
			t.Fatal(err)
		}
		id, mid := strconv.FormatInt(r.ID, 10), strconv.FormatInt(m.ID, 10)
		return isolationRecords{
			IDs:    map[string]string{"/risks/{id}": id},
			Params: map[string]string{"{mid}": mid},
			Form: url.Values{"risk_description": {"Intrus"}, "risk_p": {"1"}, "risk_i": {"1"}, "risk_strategy": {"accept"}, "risk_measure": {"Intrus"},
				"risk_residual_p": {"1"}, "risk_residual_i": {"1"}, "risk_year": {"2026"}, "risk_conclusion": {"Intrus"}, "owner_id": {strconv.FormatInt(f.A.Person.ID, 10)}},
			Check: func(t *testing.T) {
				after, err := svc.Risk(ctx, sys, r.ID)
				if err != nil || after.Version != r.Version || after.Description != r.Description || after.State != risks.StateActive || after.ResidualE != 9 {
					t.Errorf("A's risk changed during B's requests: %+v (%v)", after, err)
				}
				ms, err := svc.Measures(ctx, sys, r.ID)
				if err != nil || len(ms) != 1 || ms[0].Version != m.Version || ms[0].Description != m.Description {
					t.Errorf("A's measures changed: %+v (%v)", ms, err)
				}
				var n int
				if err := f.DB.R.QueryRow(`SELECT COUNT(*) FROM risks WHERE tenant_id <> $1 AND (unit_id IN ($2, $3) OR owner_id = $4)`, f.A.Inst.ID, f.A.Unit.ID, f.A.SubUnit.ID, f.A.Person.ID).Scan(&n); err != nil || n != 0 {
					t.Errorf("B made %d risks in A's units (err %v)", n, err)
				}
				if err := f.DB.R.QueryRow(`SELECT COUNT(*) FROM risk_reviews WHERE risk_id = $1`, r.ID).Scan(&n); err != nil || n != 1 {
					t.Errorf("A's risk has %d reviews (err %v)", n, err)
				}
				if err := f.DB.R.QueryRow(`SELECT COUNT(*) FROM risk_register_reviews WHERE tenant_id <> $1 AND unit_id IN ($2, $3)`, f.A.Inst.ID, f.A.Unit.ID, f.A.SubUnit.ID).Scan(&n); err != nil || n != 0 {
					t.Errorf("B reviewed A's units' register %d times (err %v)", n, err)
				}
			},
		}
	})
}
