package demo

import (
	"context"
	"strconv"
	"testing"
	"time"

	"cadran/internal/auth"
	"cadran/internal/clock"
	"cadran/internal/db"
	"cadran/internal/db/dbtest"
	"cadran/internal/org"
	"cadran/internal/scorecard"
)

// The demo scorecard: twelve institution objectives coloured in every
// colour for the last month, two units cascaded, values of three years
// with history, approvals and the work they leave in the inbox.
func TestSeedFillsTheScorecard(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		today := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
		clk := clock.NewFixed(today)
		start := time.Now()
		res, err := Seed(ctx, d, clk)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("seeded in %s", time.Since(start).Round(time.Millisecond))
		inst, err := (&org.Service{DB: d, Clock: clk}).InstitutionByCUI(ctx, CUI)
		if err != nil {
			t.Fatal(err)
		}
		created := res.Institutions[0]
		if created.KPIs < 30 || created.Measurements < 600 {
			t.Errorf("demo scorecard: %d KPIs, %d measurements", created.KPIs, created.Measurements)
		}
		users := &auth.Service{DB: d, Clock: clk}
		u, err := users.UserByUsername(ctx, "consilier")
		if err != nil {
			t.Fatal(err)
		}
		viewer, err := users.ActorByID(ctx, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		svc := &scorecard.Service{DB: d, Clock: clk}
		card, err := svc.Card(ctx, viewer, scorecard.CardQuery{})
		if err != nil {
			t.Fatal(err)
		}
		if card.Query.Month.Key() != "2026-10" {
			t.Errorf("card month %s, want 2026-10", card.Query.Month.Key())
		}
		colours := map[string]int{}
		quality := 0
		for _, p := range card.Perspectives {
			for _, o := range p.Objectives {
				colours[o.Agg.Status]++
				if o.Objective.Quality {
					quality++
				}
				t.Logf("%-9s %-4s %5.1f %-5s %s", p.Perspective.Kind, o.Objective.Code, o.Agg.Score, o.Agg.Status, o.Objective.Title)
				for _, k := range o.KPIs {
					v := "—"
					if k.Value != nil {
						v = scFmt(*k.Value)
					}
					t.Logf("          %-5s %-8s %8s %5.1f %-5s %s", k.KPI.Code, k.Period.Key(), v, k.Result.Score, k.Result.Status, k.NoData)
				}
				for _, c := range o.Children {
					t.Logf("          ↳ %-4s %5.1f %-5s %s", c.Objective.Code, c.Agg.Score, c.Agg.Status, c.Objective.Title)
				}
			}
		}
		for _, u := range card.Units {
			t.Logf("unit %s %.1f %s", u.UnitName, u.Agg.Score, u.Agg.Status)
		}
		t.Logf("institution %.1f %s", card.Agg.Score, card.Agg.Status)
		if colours[scorecard.StatusGreen] < 3 || colours[scorecard.StatusAmber] < 3 || colours[scorecard.StatusRed] < 2 || colours[scorecard.StatusNone] > 0 {
			t.Errorf("objective colours for October: %v, want a mix of green, amber and red", colours)
		}
		if quality < 4 || len(card.Units) != 2 {
			t.Errorf("%d quality objectives, %d units with a scorecard", quality, len(card.Units))
		}
		var history, pending, approved, computed, formula, dueTasks, approveTasks, initiativeTasks, overdueInitiatives int
		if err := d.R.QueryRowContext(ctx, `SELECT
			(SELECT COUNT(*) FROM scorecard_measurement_history WHERE tenant_id = $1),
			(SELECT COUNT(*) FROM scorecard_measurements WHERE tenant_id = $1 AND pending_value IS NOT NULL),
			(SELECT COUNT(*) FROM scorecard_measurements WHERE tenant_id = $1 AND approved_by_name <> '' AND approved_by_name <> entered_by_name),
			(SELECT COUNT(*) FROM scorecard_measurements WHERE tenant_id = $1 AND source = 'computed'),
			(SELECT COUNT(*) FROM scorecard_measurements WHERE tenant_id = $1 AND source = 'formula'),
			(SELECT COUNT(*) FROM tasks WHERE tenant_id = $1 AND module = 'scorecard' AND kind = 'report' AND state = 'open'),
			(SELECT COUNT(*) FROM tasks WHERE tenant_id = $1 AND module = 'scorecard' AND kind = 'approve' AND state = 'open'),
			(SELECT COUNT(*) FROM tasks WHERE tenant_id = $1 AND module = 'scorecard' AND kind = 'act' AND state = 'open'),
			(SELECT COUNT(*) FROM tasks WHERE tenant_id = $1 AND module = 'scorecard' AND kind = 'act' AND state = 'open' AND due_on < '2026-11-23')`, inst.ID).
			Scan(&history, &pending, &approved, &computed, &formula, &dueTasks, &approveTasks, &initiativeTasks, &overdueInitiatives); err != nil {
			t.Fatal(err)
		}
		t.Logf("history %d, pending %d, approved %d, computed %d, formula %d, due tasks %d, approval tasks %d, initiative tasks %d (%d overdue)",
			history, pending, approved, computed, formula, dueTasks, approveTasks, initiativeTasks, overdueInitiatives)
		if history < 3 || pending != 1 || approved < 60 || computed < 30 || formula < 30 || dueTasks != 1 || approveTasks != 1 || initiativeTasks < 3 || overdueInitiatives != 1 {
			t.Error("the demo scorecard lacks some of its story")
		}
		for _, code := range []string{"K16", "K17", "K22"} {
			var vals []string
			r, err := d.R.QueryContext(ctx, `SELECT m.period, m.value FROM scorecard_measurements m JOIN scorecard_kpis k ON k.id = m.kpi_id WHERE m.tenant_id = $1 AND k.code = $2 ORDER BY m.period`, inst.ID, code)
			if err != nil {
				t.Fatal(err)
			}
			for r.Next() {
				var p string
				var v float64
				if err := r.Scan(&p, &v); err != nil {
					t.Fatal(err)
				}
				vals = append(vals, p+"="+scFmt(v))
			}
			r.Close()
			t.Logf("%s: %v", code, vals)
		}
		rows, err := d.R.QueryContext(ctx, `SELECT entity, COUNT(*) FROM audit_events WHERE tenant_id = $1 AND entity IN
			('scorecard_perspective', 'scorecard_objective', 'scorecard_link', 'kpi', 'kpi_measurement', 'initiative')
			OR (entity = 'task' AND entity_id IN (SELECT id FROM tasks WHERE module = 'scorecard')) GROUP BY entity ORDER BY entity`, inst.ID)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		for rows.Next() {
			var e string
			var n int
			if err := rows.Scan(&e, &n); err != nil {
				t.Fatal(err)
			}
			t.Logf("audit %s: %d", e, n)
		}
	})
}

func scFmt(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }
