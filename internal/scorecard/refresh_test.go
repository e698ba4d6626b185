package scorecard_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"cadran/internal/apperr"
	"cadran/internal/db"
	"cadran/internal/db/dbtest"
	"cadran/internal/evidence"
	"cadran/internal/scorecard"
)

// msFakeMetrics is a metric source whose figure is a function of the span.
type msFakeMetrics struct {
	measure func(from time.Time) (float64, bool)
}

func (f *msFakeMetrics) Metrics() []evidence.Metric {
	return []evidence.Metric{{Key: "fake.count", Label: "x", Unit: "nr.", Polarity: "lower"}, {Key: "fake.another", Label: "y"}}
}

func (f *msFakeMetrics) Measure(ctx context.Context, tenant int64, key string, from, to time.Time) (float64, bool, error) {
	v, ok := f.measure(from)
	return v, ok, nil
}

func TestRefreshComputesMetricsAndFormulas(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := msNewEnv(t, d)
		ctx := t.Context()
		fake := &msFakeMetrics{measure: func(from time.Time) (float64, bool) {
			if from.Year() == 2023 && from.Month() == 1 {
				return 0, false // nothing to measure
			}
			return float64(from.Month()), true
		}}
		e.svc.Metrics = []evidence.MetricSource{fake}
		if ms, err := e.svc.AllMetrics(ctx, e.qm.Tenant); err != nil || len(ms) != 2 || ms[0].Key != "fake.another" {
			t.Fatalf("all metrics: %+v", ms)
		}
		m := e.kpi(t, msKPI{code: "K05", metric: "fake.count", created: msT0})
		y := e.kpi(t, msKPI{code: "K06", freq: scorecard.Yearly, owner: e.ema})
		msMust(e.svc.Record(ctx, e.emp, scorecard.SourceManual, []scorecard.Entry{{KPIID: y, Period: "2025", Value: 4}}))(t)
		// Formulas of formulas, in whichever order they were made, and a
		// yearly KPI read by a monthly formula.
		f2 := e.kpi(t, msKPI{code: "K08", formula: "K07 + 1", decimals: 2})
		f1 := e.kpi(t, msKPI{code: "K07", formula: "K05 * 2 / K06", decimals: 2})
		e.kpi(t, msKPI{code: "K09", formula: "K10 + 1"})
		e.kpi(t, msKPI{code: "K10", formula: "K09 + 1"}) // a circle: left out

		if _, err := e.svc.Refresh(ctx, e.emp, msT0); !errors.Is(err, apperr.ErrForbidden) {
			t.Fatalf("an employee refreshing: %v", err)
		}
		res := msMust(e.svc.Refresh(ctx, e.sysA, msT0))(t)
		// K05: January 2023 to October 2026 less the empty month = 45;
		// K07 and K08 only where K06 (2025, read for December 2025 and the
		// months of 2026) has a value: 11 each.
		if res.Computed != 45+11+11 {
			t.Fatalf("computed %d", res.Computed)
		}
		if v, _ := e.value(t, m, "2026-10"); v == nil || *v != 10 {
			t.Fatalf("K05 October: %v", v)
		}
		if v, _ := e.value(t, f1, "2026-10"); v == nil || *v != 5 {
			t.Fatalf("K07 October: %v", v)
		}
		if v, _ := e.value(t, f2, "2026-03"); v == nil || *v != 2.5 {
			t.Fatalf("K08 March: %v", v)
		}
		if v, _ := e.value(t, f1, "2025-10"); v != nil {
			t.Fatalf("K07 in 2025 without K06 for 2024: %v", *v)
		}
		if n := e.count(t, `SELECT COUNT(*) FROM scorecard_measurements WHERE source = 'computed'`); n != 45 {
			t.Fatalf("computed rows %d", n)
		}
		// Computed KPIs refuse entered values.
		_, err := e.svc.Record(ctx, e.qm, scorecard.SourceManual, []scorecard.Entry{{KPIID: f1, Period: "2026-10", Value: 1}})
		msWantEntryError(t, err, 0, "value", "scorecard.measure.error.not_entered")

		// Idempotent.
		events := e.count(t, `SELECT COUNT(*) FROM audit_events`)
		res = msMust(e.svc.Refresh(ctx, e.sysA, msT0))(t)
		if res.Computed != 0 || res.Tasks != 0 || e.count(t, `SELECT COUNT(*) FROM audit_events`) != events {
			t.Fatalf("second refresh: %+v", res)
		}

		// A changed figure is recomputed, the old one kept.
		fake.measure = func(from time.Time) (float64, bool) {
			if from.Year() == 2026 && from.Month() == 10 {
				return 20, true
			}
			if from.Year() == 2023 && from.Month() == 1 {
				return 0, false
			}
			return float64(from.Month()), true
		}
		res = msMust(e.svc.Refresh(ctx, e.sysA, msT0))(t)
		if res.Computed != 3 {
			t.Fatalf("recomputed %d", res.Computed)
		}
		if v, _ := e.value(t, f2, "2026-10"); v == nil || *v != 11 {
			t.Fatalf("K08 October after the change: %v", v)
		}
		hist := msMust(e.svc.History(ctx, e.viewer, m))(t)
		if len(hist) != 1 || hist[0].Reason != scorecard.ReasonRecomputed || *hist[0].Value != 10 {
			t.Fatalf("history: %+v", hist)
		}
		// The other institution is untouched.
		if n := e.count(t, `SELECT COUNT(*) FROM scorecard_measurements WHERE tenant_id = $1`, e.sysB.Tenant); n != 0 {
			t.Fatalf("B has %d values", n)
		}
	})
}

func TestRefreshDueTasks(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := msNewEnv(t, d)
		ctx := t.Context()
		k := e.kpi(t, msKPI{code: "K01", owner: e.ema})
		q := e.kpi(t, msKPI{code: "K02", owner: e.ema, freq: scorecard.Quarterly})
		e.kpi(t, msKPI{code: "K03"}) // no owner: no task
		e.kpi(t, msKPI{code: "K04", owner: e.ema, created: msT0.AddDate(0, 0, -2), freq: scorecard.Yearly})
		e.kpi(t, msKPI{code: "K05", owner: e.ema, created: msT0, freq: scorecard.HalfYearly}) // asked for H1, the half-year before its own
		e.kpi(t, msKPI{code: "K06", owner: e.ema, created: msT0, freq: scorecard.Quarterly})  // Q3 is the quarter before its own: asked
		e.kpi(t, msKPI{code: "K07", owner: e.ema, created: msT0.AddDate(1, 0, 0)})            // created after the period: not asked
		msMust(e.svc.Record(ctx, e.emp, scorecard.SourceManual, []scorecard.Entry{{KPIID: q, Period: "2026-Q3", Value: 1}}))(t)

		res := msMust(e.svc.RefreshAll(ctx))(t)
		if res.Tasks != 4 {
			t.Fatalf("tasks %d", res.Tasks)
		}
		open := func() int {
			return e.count(t, `SELECT COUNT(*) FROM tasks WHERE module = 'scorecard' AND entity = 'kpi' AND kind = 'report' AND state = 'open' AND person_id = $1`, e.ema)
		}
		if n := e.count(t, `SELECT COUNT(*) FROM tasks WHERE entity_id = $1 AND kind = 'report' AND state = 'open' AND due_on = '2026-11-10'
			AND title = 'Introduceți valoarea indicatorului K01 pentru octombrie 2026' AND link = '/scorecard/measurements?frequency=monthly&year=2026'`, k); n != 1 {
			t.Fatalf("October's task: %d", n)
		}
		if n := e.count(t, `SELECT COUNT(*) FROM tasks WHERE kind = 'report' AND due_on = '2026-01-10'`); n != 1 {
			t.Fatalf("the yearly KPI's task for 2025: %d", n)
		}
		if n := msMust(e.svc.RefreshAll(ctx))(t); n.Tasks != 0 || open() != 4 {
			t.Fatalf("second refresh: %+v, %d open", n, open())
		}
		// A pending value leaves the task open; approving it closes it.
		msMust(e.svc.Record(ctx, e.head, scorecard.SourceManual, []scorecard.Entry{{KPIID: k, Period: "2026-10", Value: 7}}))(t)
		if open() != 4 {
			t.Fatalf("after a pending value: %d open", open())
		}
		m := msMust(e.svc.PendingApprovals(ctx, e.emp))(t)[0]
		if err := e.svc.Approve(ctx, e.emp, m.ID, m.Version); err != nil {
			t.Fatal(err)
		}
		if open() != 3 || e.count(t, `SELECT COUNT(*) FROM tasks WHERE entity_id = $1 AND kind = 'report' AND state = 'done'`, k) != 1 {
			t.Fatalf("after approval: %d open", open())
		}
		// December: November falls due; an older open task is replaced.
		e.clk.Set(time.Date(2026, 12, 3, 9, 0, 0, 0, time.UTC))
		res = msMust(e.svc.RefreshAll(ctx))(t)
		if res.Tasks != 1 || open() != 4 {
			t.Fatalf("December: %+v, %d open", res, open())
		}
		msMust(e.svc.Record(ctx, e.emp, scorecard.SourceManual, []scorecard.Entry{{KPIID: k, Period: "2026-11", Value: 8}}))(t)
		if open() != 3 {
			t.Fatalf("after the owner's value: %d open", open())
		}
		// An older period's value does not close another period's task.
		y := e.count(t, `SELECT id FROM scorecard_kpis WHERE code = 'K04'`)
		msMust(e.svc.Record(ctx, e.emp, scorecard.SourceManual, []scorecard.Entry{{KPIID: int64(y), Period: "2024", Value: 8}}))(t)
		if open() != 3 {
			t.Fatalf("after 2024's value: %d open", open())
		}
	})
}

// msFakeTenantMetrics offers, beside its own metric, one per record of
// institution A ("fake.count/S1"), as the citizen services' catalogue does.
type msFakeTenantMetrics struct {
	msFakeMetrics
	tenant int64
	keys   []string // the keys Measure was asked for
}

func (f *msFakeTenantMetrics) TenantMetrics(ctx context.Context, tenant int64) ([]evidence.Metric, error) {
	if tenant != f.tenant {
		return nil, nil
	}
	return []evidence.Metric{{Key: "fake.count/S1", Name: "Certificat de urbanism: în termen", Unit: "%", Polarity: "higher"}}, nil
}

func (f *msFakeTenantMetrics) Measure(ctx context.Context, tenant int64, key string, from, to time.Time) (float64, bool, error) {
	f.keys = append(f.keys, key)
	return 75, true, nil
}

// TestRefreshTenantMetrics: a metric of one institution's own record is
// offered to that institution only, accepted on its KPIs, and measured with
// its whole key.
func TestRefreshTenantMetrics(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := msNewEnv(t, d)
		ctx := t.Context()
		fake := &msFakeTenantMetrics{tenant: e.qm.Tenant}
		e.svc.Metrics = []evidence.MetricSource{fake}
		ms, err := e.svc.AllMetrics(ctx, e.qm.Tenant)
		if err != nil || len(ms) != 3 || ms[2].Key != "fake.count/S1" || ms[2].Name == "" {
			t.Fatalf("A's metrics: %+v (%v)", ms, err)
		}
		if ms, err := e.svc.AllMetrics(ctx, e.other.Tenant); err != nil || len(ms) != 2 {
			t.Fatalf("B's metrics: %+v (%v)", ms, err)
		}
		in := scorecard.KPIInput{Name: "Certificate de urbanism în termen", Metric: "fake.count/S1", Polarity: scorecard.PolarityHigher,
			Method: scorecard.MethodLinear, Frequency: scorecard.Monthly, Weight: 1}
		_, err = e.svc.CreateKPI(ctx, e.other, in)
		stWantField(t, err, "kpi_metric", "error.choice")
		k, err := e.svc.CreateKPI(ctx, e.qm, in)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := e.svc.Refresh(ctx, e.sysA, msT0); err != nil {
			t.Fatal(err)
		}
		if v, _ := e.value(t, k.ID, "2026-10"); v == nil || *v != 75 {
			t.Fatalf("October: %v", v)
		}
		if len(fake.keys) == 0 || fake.keys[0] != "fake.count/S1" {
			t.Fatalf("measured keys %v", fake.keys)
		}
	})
}
