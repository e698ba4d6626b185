package web

import (
	"context"
	"strconv"
	"testing"
	"time"

	"cadran/internal/auth"
	"cadran/internal/benchtest"
	"cadran/internal/citizen"
	"cadran/internal/citizen/citizentest"
	"cadran/internal/db"
	"cadran/internal/db/dbtest"
	"cadran/internal/org"
)

// BenchmarkCitizenStats measures the catalogue's statistics pages through
// the whole handler chain on SQLite, with 200,000 cases registered over two
// years and 20,000 ratings (citizentest.Seed), and the first of those
// years as the institution's impact baseline: the indicators of the last
// 12 months (the page as it opens) and of a calendar year, the impact
// (both periods computed), a service's page (its indicators over two
// periods, its ratings and QR code) and the ratings list.
//
//	go test ./internal/web/ -run '^$' -bench BenchmarkCitizenStats -benchtime 200x
func BenchmarkCitizenStats(b *testing.B) {
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
	from := today.AddDate(-2, 0, 0)
	res, err := citizentest.Seed(ctx, d, citizentest.Large{Tenant: inst.ID, Cases: 200_000, From: from, To: today.AddDate(0, 0, 1), Services: 20, Ratings: 20_000})
	if err != nil {
		b.Fatal(err)
	}
	srv, err := New(Options{DB: d, Clock: clk, Version: "bench"})
	if err != nil {
		b.Fatal(err)
	}
	st, err := srv.citizen.SettingsOf(ctx, inst.ID)
	if err != nil {
		b.Fatal(err)
	}
	st.BaselineFrom, st.BaselineTo = from, from.AddDate(1, 0, -1)
	if _, err := srv.citizen.SaveSettings(ctx, sys, citizen.Settings{Tenant: inst.ID, ShiftToWorking: st.ShiftToWorking, PublicEnabled: st.PublicEnabled,
		BaselineFrom: st.BaselineFrom, BaselineTo: st.BaselineTo, Version: st.Version}); err != nil {
		b.Fatal(err)
	}
	h := srv.Handler()
	get := benchGetter(h)
	year := strconv.Itoa(today.Year() - 1)
	service := strconv.FormatInt(res.ServiceIDs[0], 10)
	b.Run("indicators", func(b *testing.B) { benchtest.Measure(b, get("/citizen/indicators")) })
	b.Run("indicators_year", func(b *testing.B) { benchtest.Measure(b, get("/citizen/indicators?year="+year)) })
	b.Run("impact", func(b *testing.B) { benchtest.Measure(b, get("/citizen/impact")) })
	b.Run("service", func(b *testing.B) { benchtest.Measure(b, get("/citizen/services/"+service)) })
	b.Run("feedback", func(b *testing.B) { benchtest.Measure(b, get("/citizen/feedback?sort=rating")) })
}
