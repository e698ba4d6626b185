package demo

import (
	"context"
	"testing"
	"time"

	"cadran/internal/auth"
	"cadran/internal/caf"
	"cadran/internal/clock"
	"cadran/internal/db"
	"cadran/internal/db/dbtest"
	"cadran/internal/org"
)

// The demo CAF self-assessments: the finished cycle complete from the
// group's assessments to the closed plan, the cycle in progress started
// from it with two members late, and the results computed on both.
func TestSeedRunsTheCAFCycles(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		now := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
		clk := clock.NewFixed(now)
		start := time.Now()
		res, err := Seed(ctx, d, clk)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("seeded in %s", time.Since(start).Round(time.Millisecond))
		if n := res.Institutions[0].CAFCycles; n != 2 {
			t.Errorf("Seed made %d CAF cycles, want 2", n)
		}
		inst, err := (&org.Service{DB: d, Clock: clk}).InstitutionByCUI(ctx, CUI)
		if err != nil {
			t.Fatal(err)
		}
		tenant := inst.ID
		users := &auth.Service{DB: d, Clock: clk}
		actor := func(name string) auth.Actor {
			t.Helper()
			u, err := users.UserByUsername(ctx, name)
			if err != nil {
				t.Fatal(err)
			}
			a, err := users.ActorByID(ctx, u.ID)
			if err != nil {
				t.Fatal(err)
			}
			return a
		}
		viewer := actor("consilier")
		svc := &caf.Service{DB: d, Clock: clk}
		page, err := svc.Cycles(ctx, viewer, caf.CycleFilter{Sort: "code"})
		if err != nil {
			t.Fatal(err)
		}
		cycles := map[string]caf.Cycle{}
		for _, c := range page.Items {
			cycles[c.Code] = c
		}
		done, open := cycles["CAF-2024"], cycles["CAF-2026"]
		if page.Total != 2 || done.State != caf.StateClosed || open.State != caf.StateAssessing || open.PreviousID != done.ID {
			t.Fatalf("cycles %+v, want CAF-2024 closed and CAF-2026 assessing, started from it", page.Items)
		}
		if done.Panel != caf.PanelClassical || done.UnitID != 0 || done.LeaderName == "" {
			t.Errorf("CAF-2024: panel %s, unit %d, leader %q", done.Panel, done.UnitID, done.LeaderName)
		}

		count := func(q string, args ...any) int {
			t.Helper()
			var n int
			if err := d.R.QueryRowContext(ctx, q, args...).Scan(&n); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
			return n
		}
		for _, tc := range []struct {
			what  string
			cycle caf.Cycle
			q     string
			want  int
		}{
			{"members", done, `SELECT COUNT(*) FROM caf_members WHERE tenant_id = $1 AND cycle_id = $2`, 9},
			{"submitted", done, `SELECT COUNT(*) FROM caf_members WHERE tenant_id = $1 AND cycle_id = $2 AND submitted_at IS NOT NULL`, 9},
			{"assessments", done, `SELECT COUNT(*) FROM caf_assessments WHERE tenant_id = $1 AND cycle_id = $2 AND score IS NOT NULL`, 9 * 28},
			{"consensus", done, `SELECT COUNT(*) FROM caf_consensus WHERE tenant_id = $1 AND cycle_id = $2 AND score IS NOT NULL AND agreed_on <> ''`, 28},
			{"steps done", done, `SELECT COUNT(*) FROM caf_steps WHERE tenant_id = $1 AND cycle_id = $2 AND done_on <> ''`, 10},
			{"evidence", done, `SELECT COUNT(*) FROM caf_evidence WHERE tenant_id = $1 AND cycle_id = $2`, 15},
			{"actions", done, `SELECT COUNT(*) FROM caf_actions WHERE tenant_id = $1 AND cycle_id = $2`, 7},
			{"actions done", done, `SELECT COUNT(*) FROM caf_actions WHERE tenant_id = $1 AND cycle_id = $2 AND state = 'done' AND done_on <> ''`, 6},
			{"actions raised as a case", done, `SELECT COUNT(*) FROM caf_actions a JOIN nonconformities n ON n.id = a.case_id AND n.tenant_id = a.tenant_id
				WHERE a.tenant_id = $1 AND a.cycle_id = $2 AND n.source_module = 'caf'`, 1},
			{"members", open, `SELECT COUNT(*) FROM caf_members WHERE tenant_id = $1 AND cycle_id = $2`, 9},
			{"submitted", open, `SELECT COUNT(*) FROM caf_members WHERE tenant_id = $1 AND cycle_id = $2 AND submitted_at IS NOT NULL`, 7},
			{"assessments", open, `SELECT COUNT(*) FROM caf_assessments WHERE tenant_id = $1 AND cycle_id = $2 AND score IS NOT NULL`, 7*28 + 2*27},
			{"consensus", open, `SELECT COUNT(*) FROM caf_consensus WHERE tenant_id = $1 AND cycle_id = $2`, len(cafEarlyConsensus)},
			{"steps done", open, `SELECT COUNT(*) FROM caf_steps WHERE tenant_id = $1 AND cycle_id = $2 AND done_on <> ''`, 4},
			{"evidence (carried over, and the new survey)", open, `SELECT COUNT(*) FROM caf_evidence WHERE tenant_id = $1 AND cycle_id = $2`, 16},
			{"open assessment tasks", open, `SELECT COUNT(*) FROM tasks WHERE tenant_id = $1 AND module = 'caf' AND entity = 'caf_cycle' AND entity_id = $2 AND state = 'open'`, 2},
		} {
			if got := count(tc.q, tenant, tc.cycle.ID); got != tc.want {
				t.Errorf("%s %s: %d, want %d", tc.cycle.Code, tc.what, got, tc.want)
			}
		}
		// The two late members are the demo's economic and angajat, each with
		// the assessment task and sub-criterion 2.3 left.
		for _, name := range []string{"economic", "angajat"} {
			a := actor(name)
			if n := count(`SELECT COUNT(*) FROM tasks WHERE tenant_id = $1 AND module = 'caf' AND entity_id = $2 AND person_id = $3 AND state = 'open'`,
				tenant, open.ID, a.PersonID); n != 1 {
				t.Errorf("%s has %d open CAF tasks, want 1", name, n)
			}
			mine, err := svc.MyAssessment(ctx, a, open.ID)
			if err != nil {
				t.Fatal(err)
			}
			var left []string
			for _, x := range mine {
				if x.Score == nil {
					left = append(left, x.Sub)
				}
			}
			if len(left) != 1 || left[0] != cafLateSub {
				t.Errorf("%s has %v left to assess, want [%s]", name, left, cafLateSub)
			}
		}

		// The finished cycle's consensus view flags the wide disagreements;
		// its results are complete; the cycle in progress compares with it.
		board, err := svc.Board(ctx, actor("calitate"), done.ID)
		if err != nil {
			t.Fatal(err)
		}
		wide := map[string]bool{}
		for _, v := range board {
			if v.Wide {
				wide[v.Sub] = true
			}
		}
		for _, sp := range cafSubs {
			if sp.wide && !wide[sp.code] {
				t.Errorf("CAF-2024 %s is not flagged as a wide disagreement", sp.code)
			}
		}
		if len(wide) < 5 || len(wide) > 10 {
			t.Errorf("CAF-2024 has %d wide disagreements (%v), want a handful", len(wide), wide)
		}
		r, err := svc.ResultsOf(ctx, viewer, done.ID)
		if err != nil {
			t.Fatal(err)
		}
		if r.Missing != 0 || r.Total.Score == nil || *r.Total.Score < 35 || *r.Total.Score > 60 {
			t.Errorf("CAF-2024 results: missing %d, total %v", r.Missing, r.Total.Score)
		}
		r, err = svc.ResultsOf(ctx, viewer, open.ID)
		if err != nil {
			t.Fatal(err)
		}
		if r.Previous == nil || r.Previous.ID != done.ID || r.Missing != 28-len(cafEarlyConsensus) {
			t.Fatalf("CAF-2026 results: previous %v, missing %d", r.Previous, r.Missing)
		}
		c1 := r.Criteria[0]
		if c1.Code != "1" || c1.Score == nil || c1.Previous == nil || *c1.Score <= *c1.Previous {
			t.Errorf("CAF-2026 criterion 1: %+v, want a score above the previous one", c1)
		}

		// Every CAF change is in the audit trail, under the people who made it.
		rows, err := d.R.QueryContext(ctx, `SELECT entity, COUNT(*), COUNT(DISTINCT actor_name) FROM audit_events WHERE tenant_id = $1 AND entity LIKE 'caf%' GROUP BY entity ORDER BY entity`, tenant)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		events := map[string]int{}
		for rows.Next() {
			var entity string
			var n, actors int
			if err := rows.Scan(&entity, &n, &actors); err != nil {
				t.Fatal(err)
			}
			events[entity] = n
			t.Logf("audit: %s %d events by %d people", entity, n, actors)
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		if events[caf.EntityAssessment] < 500 || events[caf.EntityConsensus] != 28+len(cafEarlyConsensus) || events[caf.EntityAction] == 0 {
			t.Errorf("audit events by entity: %v", events)
		}
		var tasks int
		tasks = count(`SELECT COUNT(*) FROM audit_events WHERE tenant_id = $1 AND entity = 'task' AND entity_id IN (SELECT id FROM tasks WHERE module = 'caf')`, tenant)
		t.Logf("audit: task (module caf) %d events; caf tasks %d, open %d", tasks,
			count(`SELECT COUNT(*) FROM tasks WHERE tenant_id = $1 AND module = 'caf'`, tenant),
			count(`SELECT COUNT(*) FROM tasks WHERE tenant_id = $1 AND module = 'caf' AND state = 'open'`, tenant))
	})
}
