package web

import (
	"context"
	"testing"

	"cadran/internal/auth"
	"cadran/internal/benchtest"
	"cadran/internal/db"
	"cadran/internal/db/dbtest"
	"cadran/internal/scorecard/scorecardtest"
)

// BenchmarkScorecardPage measures GET /scorecard (the institution's
// scorecard for October 2026, through the whole handler chain: session,
// actor, the card's queries and arithmetic, the SVG chart, the template) on
// SQLite, in scorecardtest's large municipality (500 KPIs, ten years of
// values), the same data as the scorecard package's BenchmarkCard.
//
//	go test ./internal/web/ -run '^$' -bench BenchmarkScorecardPage -benchtime 100x
func BenchmarkScorecardPage(b *testing.B) {
	d := dbtest.Open(b, db.SQLite)
	ctx := context.Background()
	clk := benchClock{}
	a := &auth.Service{DB: d, Clock: clk}
	_, sys := scorecardtest.Large(b, d, clk)
	if _, err := a.CreateUser(ctx, sys, auth.UserInput{Username: "bench", DisplayName: "Bench", Password: testPassword, Roles: []auth.Role{auth.RoleQualityManager}}); err != nil {
		b.Fatal(err)
	}
	srv, err := New(Options{DB: d, Clock: clk, Version: "bench"})
	if err != nil {
		b.Fatal(err)
	}
	h := srv.Handler()
	get := benchGetter(h)
	b.Run("overview", func(b *testing.B) { benchtest.Measure(b, get("/scorecard?month=2026-10")) })
	b.Run("map", func(b *testing.B) { benchtest.Measure(b, get("/scorecard/map?month=2026-10")) })
}
