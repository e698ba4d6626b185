package web

import (
	"context"
	"net/url"
	"strconv"
	"testing"

	"cadran/internal/training"
)

// The training record, induction and settings pages under the tenant
// isolation test: institution A's person (the viewer's, so the page that
// renders every route shows the viewer their own record and plan) with an
// assessed competence and an induction plan started by hand; B's requests
// carry A's competence in the assess form and new settings.
func init() {
	isolationModules = append(isolationModules, func(t *testing.T, f *fixture) isolationRecords {
		t.Helper()
		ctx := context.Background()
		sd := trpSeed(t, f)
		svc := f.Srv.training
		id := func(n int64) string { return strconv.FormatInt(n, 10) }
		held, err := svc.Assess(ctx, sd.QM, f.A.Person.ID, training.HeldInput{CompetenceID: sd.CAF.ID, Level: training.LevelBasic, AcquiredOn: "2026-11-02",
			Notes: "Alfa evaluare la locul de muncă"})
		if err != nil {
			t.Fatal(err)
		}
		plan, err := svc.StartInduction(ctx, sd.QM, f.A.Person.ID)
		if err != nil {
			t.Fatal(err)
		}
		count := func(query string, args ...any) int {
			t.Helper()
			var n int
			if err := f.DB.R.QueryRow(query, args...).Scan(&n); err != nil {
				t.Fatal(err)
			}
			return n
		}
		heldBefore := count(`SELECT COUNT(*) FROM training_person_competences WHERE tenant_id = $1`, f.A.Inst.ID)
		return isolationRecords{
			IDs:    map[string]string{"/training/people/{id}": id(f.A.Person.ID), "/training/inductions/{id}": id(plan.ID)},
			Params: map[string]string{"{thid}": id(held.ID)},
			Form: url.Values{
				"training_assess_competence": {id(sd.CAF.ID)}, "training_assess_level": {"3"}, "training_assess_acquired": {"2026-11-03"},
				"training_assess_notes":            {"Intrus"},
				"training_settings_induction_days": {"99"}, "training_settings_renewal_days": {"99"},
			},
			Check: func(t *testing.T) {
				hs, err := svc.HeldBy(ctx, sd.QM, f.A.Person.ID)
				if err != nil || len(hs) != 1 || hs[0].ID != held.ID || hs[0].Level != training.LevelBasic || hs[0].Notes != held.Notes {
					t.Errorf("A's person's competences are %+v (%v)", hs, err)
				}
				if n := count(`SELECT COUNT(*) FROM training_person_competences WHERE tenant_id = $1`, f.A.Inst.ID); n != heldBefore {
					t.Errorf("A's institution holds %d competences, want %d", n, heldBefore)
				}
				in, err := svc.Induction(ctx, sd.QM, plan.ID)
				if err != nil || in.State != training.InductionOpen || in.Version != plan.Version {
					t.Errorf("A's induction plan is %+v (%v)", in, err)
				}
				st, err := svc.Settings(ctx, sd.QM)
				if err != nil || st.Version != 0 || st.InductionDays != training.DefaultSettings.InductionDays || st.RenewalDays != training.DefaultSettings.RenewalDays {
					t.Errorf("A's training settings are %+v (%v)", st, err)
				}
				if n := count(`SELECT COUNT(*) FROM training_person_competences WHERE tenant_id <> $1 AND (person_id = $2 OR competence_id = $3)`,
					f.A.Inst.ID, f.A.Person.ID, sd.CAF.ID); n != 0 {
					t.Errorf("B recorded %d competences of A's person or competence", n)
				}
				if n := count(`SELECT COUNT(*) FROM training_inductions WHERE tenant_id <> $1 AND person_id IN ($2, $3)`, f.A.Inst.ID, f.A.Person.ID, sd.EmpP.ID); n != 0 {
					t.Errorf("B started %d induction plans for A's people", n)
				}
				if n := count(`SELECT COUNT(*) FROM training_settings WHERE induction_days = 99 OR renewal_days = 99`); n != 0 {
					t.Errorf("%d institutions' settings took B's values", n)
				}
			},
		}
	})
}
