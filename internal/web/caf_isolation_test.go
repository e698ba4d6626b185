package web

import (
	"context"
	"net/url"
	"strconv"
	"testing"

	"cadran/internal/caf"
)

func init() {
	isolationModules = append(isolationModules, func(t *testing.T, f *fixture) isolationRecords {
		t.Helper()
		sd := cafcSeed(t, f, caf.StateConsensus)
		ctx := context.Background()
		svc := f.Srv.caf
		id := func(n int64) string { return strconv.FormatInt(n, 10) }
		members, err := svc.Members(ctx, sd.Manager, sd.Cycle.ID)
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
		assessed := count(`SELECT COUNT(*) FROM caf_assessments WHERE cycle_id = $1`, sd.Cycle.ID)
		return isolationRecords{
			IDs: map[string]string{"/caf/{id}": id(sd.Cycle.ID)},
			Params: map[string]string{
				"{n}": "3", "{pid}": id(sd.Member.ID), "{sub}": "1.1", "{eid}": id(sd.Evidence.ID), "{aid}": id(sd.Action.ID),
			},
			Form: url.Values{
				"caf_title": {"Intrus"}, "caf_unit": {id(f.A.Unit.ID)}, "caf_panel": {caf.PanelClassical}, "caf_leader": {id(sd.Lead.ID)},
				"caf_member": {id(sd.Member.ID)}, "caf_role": {caf.RoleMember}, "caf_score": {"99"}, "caf_agreed_on": {"2026-11-20"},
				"caf_step_planned": {"2026-12-01"}, "caf_ev_sub": {"1.1"}, "caf_ev_kind": {caf.EvidenceDocument}, "caf_ev_document": {id(f.A.Doc.ID)},
				"caf_ev_title": {"Intrus"},
			},
			Check: func(t *testing.T) {
				c, err := svc.Cycle(ctx, sd.Manager, sd.Cycle.ID)
				if err != nil || c.Version != sd.Cycle.Version || c.Title != sd.Cycle.Title || c.State != sd.Cycle.State {
					t.Errorf("A's CAF cycle changed during B's requests: %+v (%v)", c, err)
				}
				ms, err := svc.Members(ctx, sd.Manager, sd.Cycle.ID)
				if err != nil || len(ms) != len(members) {
					t.Errorf("A's CAF group is %+v (%v), want %d members", ms, err, len(members))
				}
				if n := count(`SELECT COUNT(*) FROM caf_assessments WHERE cycle_id = $1`, sd.Cycle.ID); n != assessed {
					t.Errorf("A's cycle has %d assessments, want %d", n, assessed)
				}
				if n := count(`SELECT COUNT(*) FROM caf_assessments WHERE cycle_id = $1 AND score = 99`, sd.Cycle.ID); n != 0 {
					t.Errorf("B scored %d of A's sub-criteria", n)
				}
				var score float64
				var version int
				if err := f.DB.R.QueryRow(`SELECT score, version FROM caf_consensus WHERE cycle_id = $1 AND subcriterion = '1.1'`, sd.Cycle.ID).Scan(&score, &version); err != nil || score != 45 || version != 1 {
					t.Errorf("A's consensus of 1.1 is %v (version %d, %v)", score, version, err)
				}
				if n := count(`SELECT COUNT(*) FROM caf_consensus WHERE cycle_id = $1`, sd.Cycle.ID); n != 1 {
					t.Errorf("A's cycle has %d consensus rows, want 1", n)
				}
				ev, err := svc.EvidenceOf(ctx, sd.Manager, sd.Cycle.ID)
				if err != nil || len(ev) != 1 || ev[0].ID != sd.Evidence.ID {
					t.Errorf("A's evidence is %+v (%v)", ev, err)
				}
				plan, err := svc.Plan(ctx, sd.Manager, sd.Cycle.ID)
				if err != nil || len(plan) != 1 || plan[0].Version != sd.Action.Version || plan[0].Title != sd.Action.Title || plan[0].CaseID != 0 {
					t.Errorf("A's improvement plan is %+v (%v)", plan, err)
				}
				if n := count(`SELECT COUNT(*) FROM caf_cycles WHERE tenant_id <> $1 AND (leader_id = $2 OR unit_id = $3 OR previous_id = $4)`,
					f.A.Inst.ID, sd.Lead.ID, f.A.Unit.ID, sd.Cycle.ID); n != 0 {
					t.Errorf("B made %d cycles pointing at A's people, units or cycle", n)
				}
				if n := count(`SELECT COUNT(*) FROM caf_members WHERE tenant_id <> $1 AND person_id IN ($2, $3)`, f.A.Inst.ID, sd.Lead.ID, sd.Member.ID); n != 0 {
					t.Errorf("B put %d of A's people in its groups", n)
				}
				if n := count(`SELECT COUNT(*) FROM caf_evidence WHERE tenant_id <> $1 AND entity = 'document' AND entity_id = $2`, f.A.Inst.ID, f.A.Doc.ID); n != 0 {
					t.Errorf("B linked %d pieces of evidence to A's document", n)
				}
			},
		}
	})
}
