package demo

import (
	"context"
	"testing"
	"time"

	"cadran/internal/auth"
	"cadran/internal/clock"
	"cadran/internal/compliance"
	"cadran/internal/db"
	"cadran/internal/db/dbtest"
	"cadran/internal/improvement"
	"cadran/internal/org"
	"cadran/internal/work"
)

// The demo town hall is certified, two surveillances held, each finding a
// case in the register (the older ones closed), 8.3 excluded, every other
// clause assessed, and the recertification waiting in the quality
// manager's inbox.
func TestSeedFillsTheComplianceMatrix(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		clk := clock.NewFixed(time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC))
		if _, err := Seed(ctx, d, clk); err != nil {
			t.Fatal(err)
		}
		inst, err := (&org.Service{DB: d, Clock: clk}).InstitutionByCUI(ctx, CUI)
		if err != nil {
			t.Fatal(err)
		}
		a := auth.SystemActor(inst.ID, "test")
		ws := &work.Service{DB: d, Clock: clk}
		imp := &improvement.Service{DB: d, Clock: clk, Work: ws}
		svc := &compliance.Service{DB: d, Clock: clk, Work: ws, Improve: imp}
		cy, err := svc.Cycle(ctx, a)
		if err != nil {
			t.Fatal(err)
		}
		if cy.Certificate == nil || cy.State != compliance.CertValid || cy.Next == nil || cy.Next.Kind != compliance.KindRecertification ||
			!cy.Milestones[0].Held || !cy.Milestones[1].Held || len(cy.Audits) != 4 {
			t.Fatalf("the demo cycle: %+v", cy)
		}
		if ym := cy.Audits[3].StartsOn[:7]; ym != "2026-10" {
			t.Errorf("the second surveillance was held in %s, want October 2026", ym)
		}
		states := map[string]int{}
		for _, x := range cy.Audits {
			fs, err := svc.Findings(ctx, a, x.ID)
			if err != nil {
				t.Fatal(err)
			}
			for _, f := range fs {
				ncs, err := imp.BySource(ctx, a, compliance.Module, "external_finding", f.ID)
				if err != nil || len(ncs) != 1 {
					t.Fatalf("finding %d has %d cases (%v)", f.ID, len(ncs), err)
				}
				states[x.Kind+":"+ncs[0].State]++
			}
		}
		want := map[string]int{"stage2:closed": 1, "surveillance_1:closed": 2, "surveillance_2:actions": 1, "surveillance_2:analysis": 1}
		for k, n := range want {
			if states[k] != n {
				t.Errorf("cases %v, want %v", states, want)
				break
			}
		}
		m, err := svc.Matrix(ctx, a, compliance.Filter{})
		if err != nil {
			t.Fatal(err)
		}
		if m.ByStatus[compliance.StatusNotApplicable] != 1 || m.ByStatus[compliance.StatusPartial] != 3 || m.ByStatus[compliance.StatusNotAssessed] != 0 ||
			m.Settings.Policy == nil || !m.Settings.Policy.InForce || m.Settings.Scope == nil || m.Settings.Scope.Code != "MC-01" {
			t.Errorf("the demo matrix: statuses %v, policy %+v, scope %+v", m.ByStatus, m.Settings.Policy, m.Settings.Scope)
		}
		var open int
		if err := d.R.QueryRow(`SELECT COUNT(*) FROM tasks WHERE tenant_id = $1 AND module = 'compliance' AND state = 'open' AND entity = 'certificate_recertification'`, inst.ID).Scan(&open); err != nil || open != 1 {
			t.Errorf("%d recertification tasks open (err %v)", open, err)
		}
	})
}
