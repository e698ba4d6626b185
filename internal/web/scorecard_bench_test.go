package web

import (
	"context"
	"database/sql"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"cadran/internal/auth"
	"cadran/internal/benchtest"
	"cadran/internal/db"
	"cadran/internal/db/dbtest"
	"cadran/internal/org"
	"cadran/internal/scorecard"
	"cadran/internal/work"
)

// BenchmarkScorecardPage measures GET /scorecard (the institution's
// scorecard for October 2026, through the whole handler chain: session,
// actor, the card's queries and arithmetic, the SVG chart, the template) on
// SQLite, in a large municipality: 500 KPIs (450 monthly, 35 quarterly, 15
// yearly) over 40 objectives (28 of the institution, 12 of four
// directorates cascaded to them), ten years of values (about 55,500) and a
// target for every year, and for a quarter of the KPIs every period.
//
//	go test ./internal/web/ -run '^$' -bench BenchmarkScorecardPage -benchtime 100x
func BenchmarkScorecardPage(b *testing.B) {
	d := dbtest.Open(b, db.SQLite)
	ctx := context.Background()
	clk := benchClock{}
	o := &org.Service{DB: d, Clock: clk}
	a := &auth.Service{DB: d, Clock: clk}
	svc := &scorecard.Service{DB: d, Clock: clk, Work: &work.Service{DB: d, Clock: clk}}
	inst, err := o.CreateInstitutionSystem(ctx, org.InstitutionInput{Name: "Primăria Bench", CUI: "4322823", Kind: org.KindMunicipality, County: "Cluj"})
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
	for i := range 28 {
		ob, err := svc.CreateObjective(ctx, sys, scorecard.ObjectiveInput{PerspectiveID: ps[i%4].ID, Title: fmt.Sprintf("Obiectivul strategic %d al primăriei", i+1), Weight: float64(1 + i%3), Quality: i%5 == 0})
		if err != nil {
			b.Fatal(err)
		}
		objs = append(objs, ob.ID)
	}
	for i := range 12 {
		ob, err := svc.CreateObjective(ctx, sys, scorecard.ObjectiveInput{PerspectiveID: ps[i%4].ID, UnitID: units[i%4], ParentID: objs[i], Title: fmt.Sprintf("Obiectivul direcției %d", i+1), Weight: 1})
		if err != nil {
			b.Fatal(err)
		}
		objs = append(objs, ob.ID)
	}
	for i := 0; i+1 < 28; i += 2 {
		if err := svc.AddLink(ctx, sys, scorecard.Link{FromID: objs[i+1], ToID: objs[i]}); err != nil {
			b.Fatal(err)
		}
	}
	now := time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC)
	err = d.Tx(ctx, func(tx *sql.Tx) error {
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
		for i := range 500 {
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
			if err := insK.QueryRowContext(ctx, inst.ID, code, "Indicatorul de performanță "+code, scorecard.PolarityHigher, method, freq, 50.0, 70.0, objs[i%len(objs)], 1.0, code, now).Scan(&id); err != nil {
				return err
			}
			for y := 2017; y <= 2026; y++ {
				if _, err := insT.ExecContext(ctx, inst.ID, id, fmt.Sprint(y), 90.0); err != nil {
					return err
				}
				for _, p := range scorecard.Range(freq, time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(y, 12, 31, 0, 0, 0, 0, time.UTC)) {
					if !p.End().Before(now) {
						break
					}
					if i%4 == 0 {
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
	if _, err := a.CreateUser(ctx, sys, auth.UserInput{Username: "bench", DisplayName: "Bench", Password: testPassword, Roles: []auth.Role{auth.RoleQualityManager}}); err != nil {
		b.Fatal(err)
	}
	srv, err := New(Options{DB: d, Clock: clk, Version: "bench"})
	if err != nil {
		b.Fatal(err)
	}
	h := srv.Handler()
	login := httptest.NewRequest("POST", "/login", nil)
	login.PostForm = map[string][]string{"username": {"bench"}, "password": {testPassword}}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, login)
	cookie := rec.Result().Cookies()[0]
	get := func(path string) func() error {
		return func() error {
			req := httptest.NewRequest("GET", path, nil)
			req.AddCookie(cookie)
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			if rec.Code != http.StatusOK {
				return fmt.Errorf("GET %s: status %d", path, rec.Code)
			}
			return nil
		}
	}
	b.Run("overview", func(b *testing.B) { benchtest.Measure(b, get("/scorecard?month=2026-10")) })
	b.Run("map", func(b *testing.B) { benchtest.Measure(b, get("/scorecard/map?month=2026-10")) })
}
