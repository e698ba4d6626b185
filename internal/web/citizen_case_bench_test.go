package web

import (
	"context"
	"strconv"
	"testing"
	"time"

	"cadran/internal/auth"
	"cadran/internal/benchtest"
	"cadran/internal/citizen/citizentest"
	"cadran/internal/db"
	"cadran/internal/db/dbtest"
	"cadran/internal/org"
)

// BenchmarkCitizenCases measures the registry's pages through the whole
// handler chain on SQLite, with 200,000 cases registered over two years
// (citizentest.Seed), read by the quality manager (the whole registry):
// the list as it opens (newest first), the list with filters (open
// petitions by deadline; a text search in one year; a unit's overdue
// cases), and the overview.
//
//	go test ./internal/web/ -run '^$' -bench BenchmarkCitizenCases -benchtime 200x
func BenchmarkCitizenCases(b *testing.B) {
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
	if _, err := as.CreateUser(ctx, sys, auth.UserInput{Username: "bench", DisplayName: "Bench", Password: testPassword, Roles: []auth.Role{auth.RoleQualityManager}}); err != nil {
		b.Fatal(err)
	}
	today := time.Now().UTC().Truncate(24 * time.Hour)
	res, err := citizentest.Seed(ctx, d, citizentest.Large{Tenant: inst.ID, Cases: 200_000, From: today.AddDate(-2, 0, 0), To: today.AddDate(0, 0, 1),
		Services: 20, Ratings: 1000})
	if err != nil {
		b.Fatal(err)
	}
	srv, err := New(Options{DB: d, Clock: clk, Version: "bench"})
	if err != nil {
		b.Fatal(err)
	}
	h := srv.Handler()
	get := benchGetter(h)
	unit := strconv.FormatInt(res.Units[0], 10)
	year := strconv.Itoa(today.Year())
	b.Run("list", func(b *testing.B) { benchtest.Measure(b, get("/citizen/cases")) })
	b.Run("open_by_due", func(b *testing.B) { benchtest.Measure(b, get("/citizen/cases?state=open&kind=petition&sort=due")) })
	b.Run("search_year", func(b *testing.B) {
		benchtest.Measure(b, get("/citizen/cases?q=iluminat&year="+year+"&sort=-registered"))
	})
	b.Run("unit_overdue", func(b *testing.B) { benchtest.Measure(b, get("/citizen/cases?overdue=1&unit="+unit)) })
	b.Run("channel_page_40", func(b *testing.B) { benchtest.Measure(b, get("/citizen/cases?channel=online&page=40")) })
	b.Run("overview", func(b *testing.B) { benchtest.Measure(b, get("/citizen")) })
}
