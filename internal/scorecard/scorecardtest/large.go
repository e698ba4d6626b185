// Package scorecardtest builds the large municipality's scorecard the
// benchmarks of the scorecard and of its pages measure, so both measure the
// same data.
package scorecardtest

import (
	"context"
	"database/sql"
	"fmt"
	"testing"
	"time"

	"cadran/internal/auth"
	"cadran/internal/clock"
	"cadran/internal/db"
	"cadran/internal/org"
	"cadran/internal/scorecard"
	"cadran/internal/work"
)

// The large municipality: 500 KPIs (450 monthly, 35 quarterly, 15 yearly)
// over 40 objectives in the four perspectives (28 of the institution, 12 of
// four directorates cascaded to them), ten years of values (2017-2026,
// about 55,500), a target for every year and, for a quarter of the KPIs,
// for every period (about 14,000 more).
const (
	KPIs       = 500
	Objectives = 28
	UnitObjs   = 12
	Years      = 10
	Units      = 4
)

// Until is the day the data runs up to: values exist for every period that
// ended before it.
var Until = time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC)

// Large creates the institution in d and returns its scorecard service and
// a system actor of it.
func Large(tb testing.TB, d *db.DB, clk clock.Clock) (*scorecard.Service, auth.Actor) {
	tb.Helper()
	ctx := context.Background()
	o := &org.Service{DB: d, Clock: clk}
	svc := &scorecard.Service{DB: d, Clock: clk, Work: &work.Service{DB: d, Clock: clk}}
	inst, err := o.CreateInstitutionSystem(ctx, org.InstitutionInput{Name: "Primăria Municipiului Bench", CUI: "4322823", Kind: org.KindMunicipality, County: "Cluj"})
	if err != nil {
		tb.Fatal(err)
	}
	sys := auth.SystemActor(inst.ID, "bench")
	var units []int64
	for i := range Units {
		u, err := o.CreateUnit(ctx, sys, org.UnitInput{Name: fmt.Sprintf("Direcția %d", i+1), Code: fmt.Sprintf("D%d", i+1), Kind: org.UnitDirectorate, Relation: org.RelationOwn})
		if err != nil {
			tb.Fatal(err)
		}
		units = append(units, u.ID)
	}
	if err := svc.EnsureDefaults(ctx, sys); err != nil {
		tb.Fatal(err)
	}
	ps, err := svc.Perspectives(ctx, sys)
	if err != nil {
		tb.Fatal(err)
	}
	var objs []int64
	for i := range Objectives {
		ob, err := svc.CreateObjective(ctx, sys, scorecard.ObjectiveInput{PerspectiveID: ps[i%4].ID, Title: fmt.Sprintf("Obiectivul strategic %d al primăriei", i+1), Weight: float64(1 + i%3), Quality: i%5 == 0})
		if err != nil {
			tb.Fatal(err)
		}
		objs = append(objs, ob.ID)
	}
	for i := range UnitObjs {
		ob, err := svc.CreateObjective(ctx, sys, scorecard.ObjectiveInput{PerspectiveID: ps[i%4].ID, UnitID: units[i%Units], ParentID: objs[i],
			Title: fmt.Sprintf("Obiectivul direcției %d", i+1), Weight: 1})
		if err != nil {
			tb.Fatal(err)
		}
		objs = append(objs, ob.ID)
	}
	for i := 0; i+1 < Objectives; i += 2 {
		if err := svc.AddLink(ctx, sys, scorecard.Link{FromID: objs[i+1], ToID: objs[i]}); err != nil {
			tb.Fatal(err)
		}
	}
	err = d.Tx(ctx, func(tx *sql.Tx) error { return insertKPIs(ctx, tx, inst.ID, objs) })
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := d.W.ExecContext(ctx, `ANALYZE`); err != nil {
		tb.Fatal(err)
	}
	return svc, sys
}

// insertKPIs writes the KPIs, targets and values with plain SQL: through
// the service the setup would take minutes.
func insertKPIs(ctx context.Context, tx *sql.Tx, tenant int64, objs []int64) error {
	insK, err := tx.PrepareContext(ctx, `INSERT INTO scorecard_kpis (tenant_id, code, name, measure_unit, polarity, method, frequency, baseline, red_low, decimals, objective_id, weight,
		search_text, created_at, updated_at) VALUES ($1, $2, $3, '%', $4, $5, $6, $7, $8, 1, $9, $10, $11, $12, $12) RETURNING id`)
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
	for i := range KPIs {
		freq := scorecard.Monthly
		switch {
		case i%100 >= 97:
			freq = scorecard.Yearly
		case i%100 >= 90:
			freq = scorecard.Quarterly
		}
		method := []string{scorecard.MethodLinear, scorecard.MethodBands, scorecard.MethodBinary}[i%3]
		code := fmt.Sprintf("K%03d", i+1)
		var id int64
		if err := insK.QueryRowContext(ctx, tenant, code, "Indicatorul de performanță "+code, scorecard.PolarityHigher, method, freq, 50.0, 70.0, objs[i%len(objs)], 1.0, code, Until).Scan(&id); err != nil {
			return err
		}
		for y := Until.Year() - Years + 1; y <= Until.Year(); y++ {
			if _, err := insT.ExecContext(ctx, tenant, id, fmt.Sprint(y), 90.0); err != nil {
				return err
			}
			for _, p := range scorecard.Range(freq, time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(y, 12, 31, 0, 0, 0, 0, time.UTC)) {
				if !p.End().Before(Until) {
					break
				}
				if i%4 == 0 {
					// A quarter of the KPIs have a target of each period too.
					if _, err := insT.ExecContext(ctx, tenant, id, p.Key(), 85.0+float64(p.N%3)); err != nil {
						return err
					}
				}
				v := 60 + float64((i*7+p.N*13+y)%40)
				if _, err := insM.ExecContext(ctx, tenant, id, p.Key(), p.Last().Format(time.DateOnly), v, p.End()); err != nil {
					return err
				}
			}
		}
	}
	return nil
}
