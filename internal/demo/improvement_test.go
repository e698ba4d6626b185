package demo

import (
	"context"
	"testing"
	"time"

	"cadran/internal/audit"
	"cadran/internal/auth"
	"cadran/internal/clock"
	"cadran/internal/db"
	"cadran/internal/db/dbtest"
	"cadran/internal/improvement"
	"cadran/internal/org"
	"cadran/internal/work"
)

// The demo log shows every part of the module: each state of a case and of
// a proposal, every source, root causes, overdue actions, a check found not
// effective and the case reopened, and the numbering by year.
func TestSeedFillsTheNonconformityLog(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		now := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
		clk := clock.NewFixed(now)
		res, err := Seed(ctx, d, clk)
		if err != nil {
			t.Fatal(err)
		}
		c := res.Institutions[0]
		if c.Nonconformities != len(demoNonconformities) || c.Proposals != len(demoProposals) {
			t.Errorf("Seed reports %d nonconformities and %d proposals, want %d and %d", c.Nonconformities, c.Proposals, len(demoNonconformities), len(demoProposals))
		}
		inst, err := (&org.Service{DB: d, Clock: clk}).InstitutionByCUI(ctx, CUI)
		if err != nil {
			t.Fatal(err)
		}
		users := &auth.Service{DB: d, Clock: clk}
		u, err := users.UserByUsername(ctx, "calitate")
		if err != nil {
			t.Fatal(err)
		}
		qm, err := users.ActorByID(ctx, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		svc := &improvement.Service{DB: d, Clock: clk, Work: &work.Service{DB: d, Clock: clk}}
		// The log holds the demo's own cases and those the audits raised
		// from their findings (internal and external audits).
		list, total, err := svc.List(ctx, qm, improvement.Filter{Limit: 200})
		if err != nil || total <= len(demoNonconformities) || total > 200 {
			t.Fatalf("the log holds %d cases (%v)", total, err)
		}
		var own int
		if err := d.R.QueryRowContext(ctx, `SELECT COUNT(*) FROM nonconformities WHERE tenant_id = $1 AND source_module = ''`, inst.ID).Scan(&own); err != nil || own != len(demoNonconformities) {
			t.Fatalf("the log holds %d cases of its own, want %d (%v)", own, len(demoNonconformities), err)
		}
		states, sources, severities := map[string]int{}, map[string]int{}, map[string]int{}
		years := map[string]bool{}
		for _, n := range list {
			states[n.State]++
			sources[n.Source]++
			severities[n.Severity]++
			years[n.Code[3:7]] = true
		}
		for _, s := range improvement.States {
			if states[s] == 0 {
				t.Errorf("no case is %s", s)
			}
		}
		for _, s := range improvement.Sources[:6] {
			if sources[s] == 0 {
				t.Errorf("no case comes from %s", s)
			}
		}
		for _, s := range improvement.Severities {
			if severities[s] == 0 {
				t.Errorf("no case is %s", s)
			}
		}
		if len(years) < 2 {
			t.Errorf("the cases are numbered in %d years only", len(years))
		}
		o, err := svc.Overview(ctx, qm)
		if err != nil {
			t.Fatal(err)
		}
		if o.OverdueActions < 2 || o.ChecksDue < 1 || o.ProposalsAwaiting < 2 || o.OpenByAge[0].Count == 0 || o.OpenByAge[1].Count == 0 {
			t.Errorf("overview: %+v", o)
		}
		reopened, _, err := svc.List(ctx, qm, improvement.Filter{State: improvement.StateClosed, Query: "autorizatiilor de construire"})
		if err != nil || len(reopened) != 1 || reopened[0].Reopened != 1 {
			t.Fatalf("the reopened case: %+v %v", reopened, err)
		}
		v, err := svc.Open(ctx, qm, reopened[0].ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(v.Checks) != 2 || v.Checks[0].Verdict != improvement.VerdictNotEffective || len(v.Analysis.Causes) == 0 || len(v.Actions) != 3 {
			t.Errorf("the reopened case's checks %+v, causes %d, actions %d", v.Checks, len(v.Analysis.Causes), len(v.Actions))
		}
		props, _, err := svc.Proposals(ctx, qm, improvement.ProposalFilter{Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		pstates := map[string]int{}
		for _, p := range props {
			pstates[p.State]++
		}
		for _, s := range improvement.PropStates {
			if pstates[s] == 0 {
				t.Errorf("no proposal is %s", s)
			}
		}
		// The inbox holds the work the log leaves: triage for the quality
		// office, actions for their owners, checks for the checkers.
		var tasks int
		if err := d.R.QueryRowContext(ctx, `SELECT COUNT(*) FROM tasks WHERE tenant_id = $1 AND module = 'improvement' AND state = 'open'`, inst.ID).Scan(&tasks); err != nil || tasks < 10 {
			t.Errorf("%d open tasks of the log (%v)", tasks, err)
		}
		if _, brk, err := audit.Verify(ctx, d.R); err != nil || brk != nil {
			t.Errorf("audit chain: %v %v", brk, err)
		}
	})
}
