package citizen_test

import (
	"testing"
	"time"

	"cadran/internal/db"
	"cadran/internal/db/dbtest"
	"cadran/internal/evidence"
	"cadran/internal/scorecard"
)

// A KPI fed by a service's metric takes its values from the registry when
// the scorecard refreshes, with no re-entry.
func TestScorecardRefreshFeedsKPIFromServiceMetric(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		ctx := t.Context()
		stExample(t, e)
		sc := &scorecard.Service{DB: d, Clock: e.clk, Work: e.work, Metrics: []evidence.MetricSource{e.svc}}
		ms, err := sc.AllMetrics(ctx, e.tenantA)
		if err != nil {
			t.Fatal(err)
		}
		offered := map[string]bool{}
		for _, m := range ms {
			offered[m.Key] = true
		}
		if !offered["citizen.on_time_share/URB-CU"] || !offered["citizen.satisfaction"] || offered["citizen.on_time_share/ZZ-Y"] {
			t.Fatalf("metrics offered: %v", offered)
		}
		var kpi int64
		if err := d.W.QueryRowContext(ctx, `INSERT INTO scorecard_kpis (tenant_id, code, name, polarity, method, frequency, decimals, metric, created_at, updated_at)
			VALUES ($1, 'K01', 'Certificate de urbanism eliberate în termen', $2, $3, $4, 1, 'citizen.on_time_share/URB-CU', $5, $5) RETURNING id`,
			e.tenantA, scorecard.PolarityHigher, scorecard.MethodLinear, scorecard.Monthly, time.Date(2026, 9, 1, 8, 0, 0, 0, time.UTC)).Scan(&kpi); err != nil {
			t.Fatal(err)
		}
		if _, err := sc.Refresh(ctx, e.sysA, e.clk.Now()); err != nil {
			t.Fatal(err)
		}
		value := func(period string) (float64, bool) {
			var v *float64
			err := d.R.QueryRowContext(ctx, `SELECT value FROM scorecard_measurements WHERE tenant_id = $1 AND kpi_id = $2 AND period = $3`, e.tenantA, kpi, period).Scan(&v)
			if err != nil || v == nil {
				return 0, false
			}
			return *v, true
		}
		// September: c0 closed on time (100%); October: 4 of 5 (80%).
		if v, ok := value("2026-09"); !ok || v != 100 {
			t.Fatalf("September: %v %v", v, ok)
		}
		if v, ok := value("2026-10"); !ok || v != 80 {
			t.Fatalf("October: %v %v", v, ok)
		}
	})
}
