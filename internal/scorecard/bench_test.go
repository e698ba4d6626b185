package scorecard_test

import (
	"context"
	"database/sql"
	"fmt"
	"testing"
	"time"

	"cadran/internal/auth"
	"cadran/internal/benchtest"
	"cadran/internal/clock"
	"cadran/internal/db"
	"cadran/internal/db/dbtest"
	"cadran/internal/org"
	"cadran/internal/scorecard"
	"cadran/internal/work"
)

// The scorecard of a large municipality: 500 KPIs (450 monthly, 35
// quarterly, 15 yearly) over 40 objectives in the four perspectives (28 of
// the institution, 12 of its directorates cascaded to them), with ten years
// of values (2017-2026: about 55,500), a target for every year and, for a
// quarter of the KPIs, for every period (about 14,000 more).
const (
	benchKPIs       = 500
	benchObjectives = 28
	benchUnitObjs   = 12
	benchYears      = 10
)

func newCardBench(b *testing.B) (*scorecard.Service, auth.Actor) {
	b.Helper()
	ctx := context.Background()
	d := dbtest.Open(b, db.SQLite)
	clk := clock.NewFixed(stT0)
	o := &org.Service{DB: d, Clock: clk}
	svc := &scorecard.Service{DB: d, Clock: clk, Work: &work.Service{DB: d, Clock: clk}}
	inst, err := o.CreateInstitutionSystem(ctx, org.InstitutionInput{Name: "Primăria Municipiului Bench", CUI: "4322823", Kind: org.KindMunicipality, County: "Cluj"})
	if err != nil {
		b.Fatal(err)
	}
	sys := auth.SystemActor(inst.ID, "bench")
	var units []int64
	for i := range 4 {
		u, err := o.CreateUnit(ctx, sys, org.UnitInput{Name: fmt.Sprintf("Direcția %d", i+1), Code: fmt.Sprintf("D%d", i+1), Kind: org.UnitDirectorate, Relation: org.RelationOwn})
		if err != nil {
			b.Fatal(err)
		}
		units = append(units, u.ID)
	}
	if err := svc.EnsureDefaults(ctx, sys); err != nil {
		b.Fatal(err)
	}
	ps, err := svc.Perspectives(ctx, sys)
	if err != nil {
		b.Fatal(err)
	}
	var objs []int64
	for i := range benchObjectives {
		ob, err := svc.CreateObjective(ctx, sys, scorecard.ObjectiveInput{PerspectiveID: ps[i%4].ID, Title: fmt.Sprintf("Obiectivul strategic %d", i+1), Weight: float64(1 + i%3), Quality: i%5 == 0})
		if err != nil {
			b.Fatal(err)
		}
		objs = append(objs, ob.ID)
	}
	for i := range benchUnitObjs {
		ob, err := svc.CreateObjective(ctx, sys, scorecard.ObjectiveInput{PerspectiveID: ps[i%4].ID, UnitID: units[i%4], ParentID: objs[i],
			Title: fmt.Sprintf("Obiectivul direcției %d", i+1), Weight: 1})
		if err != nil {
			b.Fatal(err)
		}
		objs = append(objs, ob.ID)
	}
	now := stT0
	err = d.Tx(ctx, func(tx *sql.Tx) error {
		insK, err := tx.PrepareContext(ctx, `INSERT INTO scorecard_kpis (tenant_id, code, name, polarity, method, frequency, baseline, red_low, objective_id, weight,
			search_text, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12) RETURNING id`)
		if err != nil {
			return err
		}
		defer insK.Close()
		insT, err := tx.PrepareContext(ctx, `INSERT INTO scorecard_targets (tenant_id, kpi_id, period, target) VALUES ($1, $2, $3, $4)`)
		if err != nil {
			return err
		}
		defer insT.Close()
		insM, err := tx.PrepareContext(ctx, `INSERT INTO scorecard_measurements (tenant_id, kpi_id, period, period_end, value, source, entered_by_name, entered_at,
			created_at, updated_at) VALUES ($1, $2, $3, $4, $5, 'manual', 'bench', $6, $6, $6)`)
		if err != nil {
			return err
		}
		defer insM.Close()
		for i := range benchKPIs {
			freq := scorecard.Monthly
			switch {
			case i%100 >= 97:
				freq = scorecard.Yearly
			case i%100 >= 90:
				freq = scorecard.Quarterly
			}
			pol, method := scorecard.PolarityHigher, []string{scorecard.MethodLinear, scorecard.MethodBands, scorecard.MethodBinary}[i%3]
			code := fmt.Sprintf("K%03d", i+1)
			var id int64
			if err := insK.QueryRowContext(ctx, inst.ID, code, "Indicatorul "+code, pol, method, freq, 50.0, 70.0, objs[i%len(objs)], 1.0,
				code, now).Scan(&id); err != nil {
				return err
			}
			for y := 2026 - benchYears + 1; y <= 2026; y++ {
				if _, err := insT.ExecContext(ctx, inst.ID, id, fmt.Sprint(y), 90.0); err != nil {
					return err
				}
				for _, p := range scorecard.Range(freq, time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(y, 12, 31, 0, 0, 0, 0, time.UTC)) {
					if !p.End().Before(time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC)) {
						break
					}
					if i%4 == 0 {
						// A quarter of the KPIs have a target of each period too.
						if _, err := insT.ExecContext(ctx, inst.ID, id, p.Key(), 85.0+float64(p.N%3)); err != nil {
							return err
						}
					}
					v := 60 + float64((i*7+p.N*13+y)%40)
					if _, err := insM.ExecContext(ctx, inst.ID, id, p.Key(), p.Last().Format(time.DateOnly), v, p.End()); err != nil {
						return err
					}
				}
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	if _, err := d.W.ExecContext(ctx, `ANALYZE`); err != nil {
		b.Fatal(err)
	}
	return svc, sys
}

// BenchmarkCard computes the institution's scorecard for October 2026.
//
//	go test ./internal/scorecard/ -run '^$' -bench BenchmarkCard -benchtime 50x
func BenchmarkCard(b *testing.B) {
	svc, a := newCardBench(b)
	ctx := context.Background()
	q := scorecard.CardQuery{Month: scorecard.Month(2026, 10)}
	card, err := svc.Card(ctx, a, q)
	if err != nil {
		b.Fatal(err)
	}
	n := 0
	var count func(os []scorecard.ObjectiveCard)
	count = func(os []scorecard.ObjectiveCard) {
		for _, o := range os {
			n += len(o.KPIs)
			count(o.Children)
		}
	}
	for _, p := range card.Perspectives {
		count(p.Objectives)
	}
	if n != benchKPIs || !card.Agg.HasData || len(card.Units) != 4 {
		b.Fatalf("the card holds %d KPIs, data %v, %d units", n, card.Agg.HasData, len(card.Units))
	}
	benchtest.Measure(b, func() error {
		_, err := svc.Card(ctx, a, q)
		return err
	})
}

// BenchmarkSeries reads one monthly KPI's ten years.
//
//	go test ./internal/scorecard/ -run '^$' -bench BenchmarkSeries -benchtime 200x
func BenchmarkSeries(b *testing.B) {
	svc, a := newCardBench(b)
	ctx := context.Background()
	k, err := svc.KPIByCode(ctx, a, "K001")
	if err != nil {
		b.Fatal(err)
	}
	benchtest.Measure(b, func() error {
		_, err := svc.Series(ctx, a, k.ID, scorecard.Month(2017, 1), scorecard.Month(2026, 10))
		return err
	})
}
