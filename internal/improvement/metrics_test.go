package improvement_test

import (
	"testing"
	"time"

	"cadran/internal/db"
	"cadran/internal/db/dbtest"
	"cadran/internal/improvement"
)

func TestMetrics(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		ctx := t.Context()
		tenant := e.qm.Tenant
		exec := func(q string, args ...any) {
			t.Helper()
			if _, err := d.W.ExecContext(ctx, q, args...); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
		}
		nc := func(id int64, state, closed string) {
			exec(`INSERT INTO nonconformities (id, tenant_id, code, sort_code, title, source, severity, severity_rank, detected_on, state, closed_on, created_at, updated_at)
				VALUES ($1, $2, $3, $3, 'Caz', 'audit', 'minor', 2, '2026-08-01', $4, $5, $6, $6)`, id, tenant, "NC-"+string(rune('0'+id)), state, closed, t0.AddDate(0, -4, 0))
		}
		action := func(ncID int64, due, state, done string) {
			exec(`INSERT INTO improvement_actions (tenant_id, nc_id, description, due_on, state, done_on, created_at, updated_at) VALUES ($1, $2, 'Acțiune', $3, $4, $5, $6, $6)`,
				tenant, ncID, due, state, done, t0.AddDate(0, -4, 0))
		}
		nc(1, improvement.StateClosed, "2026-10-10") // closed by its target (15 October)
		action(1, "2026-10-05", improvement.ActionDone, "2026-10-04")
		action(1, "2026-10-15", improvement.ActionDone, "2026-10-09")
		nc(2, improvement.StateClosed, "2026-10-20") // closed after its target (30 September)
		action(2, "2026-09-30", improvement.ActionDone, "2026-10-18")
		action(2, "2026-12-31", improvement.ActionCancelled, "")
		nc(3, improvement.StateClosed, "2026-10-25") // no dated action: on time
		nc(4, improvement.StateActions, "")
		action(4, "2026-10-20", improvement.ActionOpen, "")           // overdue at the end of October
		action(4, "2026-11-30", improvement.ActionOpen, "")           // not due yet
		action(4, "2026-10-01", improvement.ActionDone, "2026-11-02") // done late: still open on 1 November
		for i, day := range []string{"2026-10-01", "2026-10-31", "2026-11-01"} {
			exec(`INSERT INTO improvement_proposals (tenant_id, code, sort_code, title, description, state, submitted_on, created_at, updated_at)
				VALUES ($1, $2, $2, 'Idee', 'Idee', 'submitted', $3, $4, $4)`, tenant, "PI-"+string(rune('0'+i)), day, t0)
		}
		from, to := time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
		for _, c := range []struct {
			key  string
			want float64
			ok   bool
		}{
			{improvement.MetricActionsOverdue, 2, true}, // NC-4: the open one past its day and the one done on 2 November
			{improvement.MetricNCClosedOnTime, 200.0 / 3, true},
			{improvement.MetricProposals, 2, true},
		} {
			v, ok, err := e.svc.Measure(ctx, tenant, c.key, from, to)
			if err != nil || ok != c.ok || v < c.want-0.001 || v > c.want+0.001 {
				t.Errorf("%s = %v, %v, %v; want %v", c.key, v, ok, err, c.want)
			}
		}
		if v, _, _ := e.svc.Measure(ctx, tenant, improvement.MetricActionsOverdue, to, to.AddDate(0, 1, 0)); v != 2 {
			t.Errorf("overdue at the end of November: %v", v)
		}
		if _, ok, _ := e.svc.Measure(ctx, tenant, improvement.MetricNCClosedOnTime, to, to.AddDate(0, 1, 0)); ok {
			t.Error("November has no closed case and still a rate")
		}
		if v, ok, _ := e.svc.Measure(ctx, e.other.Tenant, improvement.MetricActionsOverdue, from, to); ok || v != 0 {
			t.Errorf("B: %v %v", v, ok)
		}
	})
}
