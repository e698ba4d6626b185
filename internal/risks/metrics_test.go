package risks_test

import (
	"testing"
	"time"

	"cadran/internal/db"
	"cadran/internal/db/dbtest"
	"cadran/internal/risks"
)

func TestMetrics(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		ctx := t.Context()
		tenant := e.sysA.Tenant
		exec := func(q string, args ...any) {
			t.Helper()
			if _, err := d.W.ExecContext(ctx, q, args...); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
		}
		// Default 5-level scale: tolerance 8.
		risk := func(id int64, year int, kind, state string, e int) {
			exec(`INSERT INTO risks (id, tenant_id, year, kind, code, sort_code, level, description, scale, inherent_p, inherent_i, inherent_e, strategy,
				cur_p, cur_i, cur_e, state, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $5, 'institution', 'Risc', 5, 1, 1, $6, 'treat', 1, 1, $6, $7, $8, $8)`,
				id, tenant, year, kind, "R"+string(rune('0'+id)), e, state, t0)
		}
		risk(1, 2026, risks.KindRisk, risks.StateActive, 12)
		risk(2, 2026, risks.KindRisk, risks.StateActive, 8)
		risk(3, 2026, risks.KindOpportunity, risks.StateActive, 16)
		risk(4, 2026, risks.KindRisk, risks.StateClosed, 20)
		risk(5, 2025, risks.KindRisk, risks.StateActive, 20)
		measure := func(deadline, state string, updated time.Time) {
			exec(`INSERT INTO risk_measures (tenant_id, risk_id, description, deadline, state, created_at, updated_at) VALUES ($1, 1, 'Măsură', $2, $3, $4, $5)`,
				tenant, deadline, state, t0.AddDate(-1, 0, 0), updated)
		}
		measure("2026-10-15", risks.MeasureDone, time.Date(2026, 10, 14, 12, 0, 0, 0, time.UTC))      // on time
		measure("2026-10-15", risks.MeasureDone, time.Date(2026, 10, 20, 12, 0, 0, 0, time.UTC))      // late
		measure("2026-10-31", risks.MeasureInProgress, time.Date(2026, 10, 1, 12, 0, 0, 0, time.UTC)) // not done
		measure("2026-10-20", risks.MeasureCancelled, t0)                                             // left out
		measure("2026-11-20", risks.MeasureDone, t0)                                                  // another month
		from, to := time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
		if v, ok, err := e.svc.Measure(ctx, tenant, risks.MetricAboveTolerance, from, to); err != nil || !ok || v != 1 {
			t.Fatalf("above tolerance: %v %v %v", v, ok, err)
		}
		if v, ok, _ := e.svc.Measure(ctx, tenant, risks.MetricAboveTolerance, time.Date(2025, 12, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)); !ok || v != 1 {
			t.Fatalf("above tolerance in 2025's register: %v", v)
		}
		if _, ok, _ := e.svc.Measure(ctx, tenant, risks.MetricAboveTolerance, time.Date(2024, 12, 1, 0, 0, 0, 0, time.UTC), time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)); ok {
			t.Fatal("2024 has no register and still a figure")
		}
		if v, ok, err := e.svc.Measure(ctx, tenant, risks.MetricMeasuresDoneOnTime, from, to); err != nil || !ok || v < 33.33 || v > 33.34 {
			t.Fatalf("measures on time: %v %v %v", v, ok, err)
		}
		if _, ok, _ := e.svc.Measure(ctx, tenant, risks.MetricMeasuresDoneOnTime, to.AddDate(0, 1, 0), to.AddDate(0, 2, 0)); ok {
			t.Fatal("December has no measure due and still a rate")
		}
	})
}
