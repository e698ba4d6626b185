package demo

import (
	"context"
	"testing"
	"time"

	"cadran/internal/auth"
	"cadran/internal/clock"
	"cadran/internal/db"
	"cadran/internal/db/dbtest"
	"cadran/internal/org"
	"cadran/internal/risks"
	"cadran/internal/work"
)

// The demo risk register has last year's register and this year's started
// from it (new, changed and unchanged rows), every state, opportunities,
// overdue measures, risks above tolerance and alerts waiting.
func TestSeedFillsTheRiskRegister(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		now := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
		clk := clock.NewFixed(now)
		res, err := Seed(ctx, d, clk)
		if err != nil {
			t.Fatal(err)
		}
		inst, err := (&org.Service{DB: d, Clock: clk}).InstitutionByCUI(ctx, CUI)
		if err != nil {
			t.Fatal(err)
		}
		count := func(q string, args ...any) int {
			t.Helper()
			var n int
			if err := d.R.QueryRowContext(ctx, q, append([]any{inst.ID}, args...)...).Scan(&n); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
			return n
		}
		if n := count(`SELECT COUNT(*) FROM risks WHERE tenant_id = $1`); n != res.Institutions[0].Risks {
			t.Errorf("Seed reports %d risks, the table holds %d", res.Institutions[0].Risks, n)
		}
		if n := count(`SELECT COUNT(*) FROM risks WHERE tenant_id = $1 AND year = 2026 AND kind = 'risk'`); n < 40 {
			t.Errorf("this year's register has %d risks", n)
		}
		if n := count(`SELECT COUNT(*) FROM risks WHERE tenant_id = $1 AND year = 2026 AND kind = 'opportunity'`); n < 6 {
			t.Errorf("this year's register has %d opportunities", n)
		}
		for _, st := range risks.States {
			if n := count(`SELECT COUNT(*) FROM risks WHERE tenant_id = $1 AND state = $2`, st); n == 0 {
				t.Errorf("no entry in state %s", st)
			}
		}
		qm := auth.SystemActor(inst.ID, "test")
		svc := &risks.Service{DB: d, Clock: clk, Work: &work.Service{DB: d, Clock: clk}}
		ov, err := svc.Overview(ctx, qm)
		if err != nil {
			t.Fatal(err)
		}
		if ov.Proposed < 3 || ov.AboveTolerance == 0 || ov.MeasuresOverdue == 0 || ov.ReviewsDue == 0 {
			t.Errorf("overview %+v", ov)
		}
		list, _, err := svc.List(ctx, qm, risks.Filter{Year: 2026, Limit: 500})
		if err != nil {
			t.Fatal(err)
		}
		ch, err := svc.Changes(ctx, qm, list, true)
		if err != nil {
			t.Fatal(err)
		}
		var fresh, changed, same int
		for _, c := range ch {
			switch {
			case c.New:
				fresh++
			case c.Unchanged():
				same++
			default:
				changed++
			}
		}
		if fresh == 0 || changed == 0 || same == 0 {
			t.Errorf("changes since last year: %d new, %d changed, %d unchanged", fresh, changed, same)
		}
		if n := count(`SELECT COUNT(*) FROM tasks WHERE tenant_id = $1 AND module = 'risks' AND kind = 'approve' AND state = 'open' AND role = 'quality_manager'`); n < 3 {
			t.Errorf("%d alerts wait in the team's inbox", n)
		}
		if n := count(`SELECT COUNT(*) FROM risk_register_reviews WHERE tenant_id = $1`); n < 2 {
			t.Errorf("%d register reviews", n)
		}
	})
}
