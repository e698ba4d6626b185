package web

import (
	"context"
	"database/sql"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"
	"time"

	"cadran/internal/auth"
	"cadran/internal/benchtest"
	"cadran/internal/citizen/citizentest"
	"cadran/internal/db"
	"cadran/internal/db/dbtest"
	"cadran/internal/org"
	"cadran/internal/risks"
	"cadran/internal/textutil"
)

// BenchmarkAPIRisks measures GET /api/v1/risks through the whole handler
// chain on SQLite (bearer token, query check, the register's query, JSON),
// on a register of 10,000 entries in 30 units of a large municipality,
// read by the quality manager's token: the first page of 50 by code, a
// directorate's active risks above tolerance by current exposure, a text
// search, the largest page (100), and one entry with its measures.
//
//	go test ./internal/web/ -run '^$' -bench BenchmarkAPIRisks -benchtime 300x
func BenchmarkAPIRisks(b *testing.B) {
	d := dbtest.Open(b, db.SQLite)
	ctx := context.Background()
	clk := benchClock{}
	o := &org.Service{DB: d, Clock: clk}
	as := &auth.Service{DB: d, Clock: clk}
	inst, err := o.CreateInstitutionSystem(ctx, org.InstitutionInput{Name: "Primăria Municipiului Bench", CUI: "4322823", Kind: org.KindMunicipality, County: "Cluj"})
	if err != nil {
		b.Fatal(err)
	}
	sys := auth.SystemActor(inst.ID, "bench")
	var units []int64
	var codes []string
	var parent int64
	for i := range 30 {
		in := org.UnitInput{Name: fmt.Sprintf("Serviciul %d", i), Code: fmt.Sprintf("S%02d", i), Kind: org.UnitService, Relation: org.RelationOwn, ParentID: parent}
		if i%6 == 0 {
			in = org.UnitInput{Name: fmt.Sprintf("Direcția %d", i/6), Code: fmt.Sprintf("D%d", i/6), Kind: org.UnitDirectorate, Relation: org.RelationOwn}
		}
		u, err := o.CreateUnit(ctx, sys, in)
		if err != nil {
			b.Fatal(err)
		}
		if i%6 == 0 {
			parent = u.ID
		}
		units, codes = append(units, u.ID), append(codes, in.Code)
	}
	u, err := as.CreateUser(ctx, sys, auth.UserInput{Username: "bench", DisplayName: "Bench", Password: testPassword, Roles: []auth.Role{auth.RoleQualityManager}})
	if err != nil {
		b.Fatal(err)
	}
	token, _, err := as.CreateToken(ctx, u.Actor(), "bench", nil)
	if err != nil {
		b.Fatal(err)
	}
	year := time.Now().UTC().Year()
	descriptions := []string{"Neîncasarea la termen a impozitelor și taxelor locale", "Atribuirea contractelor de achiziție publică fără respectarea procedurii",
		"Emiterea autorizațiilor de construire peste termenul legal", "Acordarea necuvenită a beneficiilor de asistență socială",
		"Pierderea sau divulgarea datelor cu caracter personal", "Ocuparea posturilor vacante cu personal necorespunzător"}
	var first int64
	err = d.Tx(ctx, func(tx *sql.Tx) error {
		st, err := tx.Prepare(`INSERT INTO risks (tenant_id, year, kind, code, sort_code, level, unit_id, description, causes, scale, inherent_p, inherent_i, inherent_e, strategy,
				residual_p, residual_i, residual_e, cur_p, cur_i, cur_e, next_review_on, state, search_text, sort_text, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, '', 5, $9, $10, $11, 'treat', $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $22)`)
		if err != nil {
			return err
		}
		defer st.Close()
		states := []string{risks.StateActive, risks.StateActive, risks.StateActive, risks.StateProposed, risks.StateClosed, risks.StateDeclined}
		for i := range 10_000 {
			n := i % 30
			p, im := 1+i%5, 1+(i/5)%5
			rp, ri := max(1, p-1), max(1, im-(i%2))
			if i%3 == 0 {
				rp, ri = 0, 0
			}
			cp, ci := p, im
			if rp > 0 {
				cp, ci = rp, ri
			}
			code := fmt.Sprintf("R-%s-%04d", codes[n], i/30+1)
			desc := descriptions[i%len(descriptions)] + " nr. " + strconv.Itoa(i)
			if _, err := st.Exec(inst.ID, year, risks.KindRisk, code, code, risks.LevelUnit, units[n], desc, p, im, p*im, rp, ri, rp*ri, cp, ci, cp*ci,
				fmt.Sprintf("%d-%02d-%02d", year+1, 1+i%12, 1+i%28), states[i%len(states)], textutil.Fold(code+" "+desc), textutil.Fold(desc), clk.Now()); err != nil {
				return err
			}
		}
		return tx.QueryRowContext(ctx, `SELECT MIN(id) FROM risks WHERE tenant_id = $1`, inst.ID).Scan(&first)
	})
	if err != nil {
		b.Fatal(err)
	}
	srv, err := New(Options{DB: d, Clock: clk, Version: "bench"})
	if err != nil {
		b.Fatal(err)
	}
	h := srv.Handler()
	get := func(path string) func() error {
		return func() error {
			req := httptest.NewRequest("GET", path, nil)
			req.Header.Set("Authorization", "Bearer "+token)
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			if rec.Code != http.StatusOK {
				return fmt.Errorf("GET %s: status %d: %.300s", path, rec.Code, rec.Body.String())
			}
			return nil
		}
	}
	for _, c := range []struct{ name, path string }{
		{"first_page", "/api/v1/risks"},
		{"unit_active_above_by_residual", "/api/v1/risks?unit=" + strconv.FormatInt(units[6], 10) + "&state=active&above=1&sort=-residual"},
		{"search", "/api/v1/risks?q=achizitie&sort=description"},
		{"page_of_100", "/api/v1/risks?per_page=100&page=40"},
		{"one_risk", "/api/v1/risks/" + strconv.FormatInt(first+42, 10)},
	} {
		b.Run(c.name, func(b *testing.B) {
			if err := get(c.path)(); err != nil {
				b.Fatal(err)
			}
			benchtest.Measure(b, get(c.path))
		})
	}
}

// BenchmarkAPIPetitionStatistics measures GET /api/v1/petitions/statistics
// on SQLite with 200,000 cases over two years and 20,000 ratings
// (citizentest.Seed), read with the quality manager's token: the current
// year (up to today) and the last complete year, each with its months
// and the year's cases by state.
//
//	go test ./internal/web/ -run '^$' -bench BenchmarkAPIPetitionStatistics -benchtime 100x
func BenchmarkAPIPetitionStatistics(b *testing.B) {
	d := dbtest.Open(b, db.SQLite)
	ctx := context.Background()
	clk := benchClock{}
	o := &org.Service{DB: d, Clock: clk}
	as := &auth.Service{DB: d, Clock: clk}
	inst, err := o.CreateInstitutionSystem(ctx, org.InstitutionInput{Name: "Primăria Municipiului Bench", CUI: "4322823", Kind: org.KindMunicipality, County: "Mureș"})
	if err != nil {
		b.Fatal(err)
	}
	sys := auth.SystemActor(inst.ID, "bench")
	u, err := as.CreateUser(ctx, sys, auth.UserInput{Username: "bench", DisplayName: "Bench", Password: testPassword, Roles: []auth.Role{auth.RoleQualityManager}})
	if err != nil {
		b.Fatal(err)
	}
	token, _, err := as.CreateToken(ctx, u.Actor(), "bench", nil)
	if err != nil {
		b.Fatal(err)
	}
	today := time.Now().UTC().Truncate(24 * time.Hour)
	if _, err := citizentest.Seed(ctx, d, citizentest.Large{Tenant: inst.ID, Cases: 200_000, From: today.AddDate(-2, 0, 0), To: today.AddDate(0, 0, 1), Services: 20, Ratings: 20_000}); err != nil {
		b.Fatal(err)
	}
	srv, err := New(Options{DB: d, Clock: clk, Version: "bench"})
	if err != nil {
		b.Fatal(err)
	}
	h := srv.Handler()
	get := func(path string) func() error {
		return func() error {
			req := httptest.NewRequest("GET", path, nil)
			req.Header.Set("Authorization", "Bearer "+token)
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			if rec.Code != http.StatusOK {
				return fmt.Errorf("GET %s: status %d: %.300s", path, rec.Code, rec.Body.String())
			}
			return nil
		}
	}
	b.Run("this_year", func(b *testing.B) { benchtest.Measure(b, get("/api/v1/petitions/statistics")) })
	b.Run("last_year", func(b *testing.B) {
		benchtest.Measure(b, get("/api/v1/petitions/statistics?year="+strconv.Itoa(today.Year()-1)))
	})
}
