package scorecard_test

import (
	"fmt"
	"testing"

	"cadran/internal/benchtest"
	"cadran/internal/db"
	"cadran/internal/db/dbtest"
	"cadran/internal/scorecard"
)

// msBenchEnv is a large municipality's scorecard: 500 monthly KPIs with
// ten years of values (60,000), and targets per year.
func msBenchEnv(b *testing.B, kpis int) (*msEnv, []int64) {
	e := msNewEnv(b, dbtest.Open(b, db.SQLite))
	ctx := b.Context()
	ids := make([]int64, kpis)
	for i := range ids {
		unit := e.tax
		if i%2 == 0 {
			unit = e.quality
		}
		ids[i] = e.kpi(b, msKPI{code: fmt.Sprintf("K%03d", i+1), owner: e.ema, unit: unit, baseline: msF64(50), red: msF64(70)})
	}
	tx, err := e.d.W.BeginTx(ctx, nil)
	if err != nil {
		b.Fatal(err)
	}
	m, err := tx.PrepareContext(ctx, `INSERT INTO scorecard_measurements (tenant_id, kpi_id, period, period_end, value, source, entered_by_name, entered_at,
		approved_by_name, approved_at, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, 'manual', 'Ema', $6, 'Ema', $6, $6, $6)`)
	if err != nil {
		b.Fatal(err)
	}
	tg, err := tx.PrepareContext(ctx, `INSERT INTO scorecard_targets (tenant_id, kpi_id, period, target) VALUES ($1, $2, $3, 90)`)
	if err != nil {
		b.Fatal(err)
	}
	for i, id := range ids {
		for p := scorecard.Month(2016, 11); p.Before(scorecard.Month(2026, 11)); p = p.Next() {
			if _, err := m.ExecContext(ctx, e.sysA.Tenant, id, p.Key(), p.Last().Format("2006-01-02"), float64(60+(i+p.N)%40), msT0); err != nil {
				b.Fatal(err)
			}
			if p.N == 1 {
				if _, err := tg.ExecContext(ctx, e.sysA.Tenant, id, p.YearKey()); err != nil {
					b.Fatal(err)
				}
			}
		}
	}
	if err := tx.Commit(); err != nil {
		b.Fatal(err)
	}
	return e, ids
}

// BenchmarkGrid reads the entry grid of a year for 250 of the 500 KPIs
// (one unit) and for all 500.
func BenchmarkGrid(b *testing.B) {
	e, _ := msBenchEnv(b, 500)
	for _, c := range []struct {
		name string
		q    scorecard.GridQuery
	}{
		{"unit_250kpis", scorecard.GridQuery{Year: 2026, UnitID: e.tax}},
		{"all_500kpis", scorecard.GridQuery{Year: 2026}},
	} {
		b.Run(c.name, func(b *testing.B) {
			benchtest.Measure(b, func() error {
				g, err := e.svc.Grid(b.Context(), e.qm, c.q)
				if err == nil && len(g.Rows) == 0 {
					err = fmt.Errorf("empty grid")
				}
				return err
			})
		})
	}
}

// BenchmarkRecordGrid saves a year of 50 KPIs (600 values) through Record
// in one batch, each time with new values, so every one is a correction
// kept in the history.
func BenchmarkRecordGrid(b *testing.B) {
	e, ids := msBenchEnv(b, 50)
	round := 0
	benchtest.Measure(b, func() error {
		round++
		entries := make([]scorecard.Entry, 0, 600)
		for i, id := range ids {
			for n := 1; n <= 12; n++ {
				if n > 10 {
					continue
				}
				entries = append(entries, scorecard.Entry{KPIID: id, Period: scorecard.Month(2026, n).Key(), Value: float64(90 + (i+n+round)%10)})
			}
		}
		_, err := e.svc.Record(b.Context(), e.emp, scorecard.SourceAPI, entries)
		return err
	})
}
