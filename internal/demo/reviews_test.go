package demo

import (
	"context"
	"testing"
	"time"

	"cadran/internal/auth"
	"cadran/internal/clock"
	"cadran/internal/db"
	"cadran/internal/db/dbtest"
	"cadran/internal/evidence"
	"cadran/internal/org"
	"cadran/internal/reviews"
	"cadran/internal/work"
)

// The demo has last year's management review, closed, with its actions
// mostly done and one overdue, and this year's prepared from it: inputs
// compiled from the demo's registers, the open actions carried into input
// (a), some assessments written.
func TestSeedHoldsTheManagementReviews(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		now := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
		clk := clock.NewFixed(now)
		if _, err := Seed(ctx, d, clk); err != nil {
			t.Fatal(err)
		}
		inst, err := (&org.Service{DB: d, Clock: clk}).InstitutionByCUI(ctx, CUI)
		if err != nil {
			t.Fatal(err)
		}
		a := auth.SystemActor(inst.ID, "test")
		svc := &reviews.Service{DB: d, Clock: clk, Work: &work.Service{DB: d, Clock: clk}}
		rows, total, err := svc.List(ctx, a, reviews.Filter{Sort: "code"})
		if err != nil || total != 2 {
			t.Fatalf("%d reviews (%v)", total, err)
		}
		prev, cur := rows[0], rows[1]
		if prev.Code != "AM-2025-01" || prev.State != reviews.StateClosed || prev.HeldOn != "2025-12-15" || prev.Actions != 5 || prev.OpenActions != 1 || prev.OverdueActions != 1 {
			t.Errorf("last year's review: %+v", prev)
		}
		if cur.Code != "AM-2026-01" || cur.State != reviews.StatePrepared || cur.PreviousID != prev.ID || cur.MeetingOn != "2026-12-15" || cur.CompiledAt == nil {
			t.Errorf("this year's review: %+v", cur)
		}
		views, err := svc.InputViews(ctx, a, cur.Review, &prev.Review)
		if err != nil {
			t.Fatal(err)
		}
		keys := map[string]bool{}
		assessed := 0
		for _, v := range views {
			if v.Assessment != "" {
				assessed++
			}
			for _, f := range v.Facts {
				keys[f.Key] = true
			}
		}
		for _, k := range []string{"reviews.fact.prev_actions", "reviews.fact.overdue_action", "reviews.fact.nc_opened", "reviews.fact.risks_active", "reviews.fact.procedures"} {
			if !keys[k] {
				t.Errorf("this year's inputs lack %s", k)
			}
		}
		if assessed != 4 {
			t.Errorf("%d inputs assessed, want 4", assessed)
		}
		if len(views) != len(evidence.Inputs) {
			t.Errorf("%d inputs", len(views))
		}
		var n int
		if err := d.R.QueryRowContext(ctx, `SELECT COUNT(*) FROM tasks WHERE tenant_id = $1 AND module = 'reviews' AND state = 'open'`, inst.ID).Scan(&n); err != nil || n != 2 {
			t.Errorf("%d open review tasks (the overdue action and the preparation), err %v", n, err)
		}
	})
}
