package citizen_test

import (
	"context"
	"testing"
	"time"

	"cadran/internal/auth"
	"cadran/internal/benchtest"
	"cadran/internal/citizen"
	"cadran/internal/citizen/citizentest"
	"cadran/internal/clock"
	"cadran/internal/db"
	"cadran/internal/db/dbtest"
	"cadran/internal/org"
	"cadran/internal/work"
)

// The registry of a large municipality: 200,000 cases over the two years
// up to t0, 20 services, 20,000 ratings; another institution's 20,000
// cases beside them.
const (
	benchCases   = 200_000
	benchRatings = 20_000
)

var benchFrom = time.Date(2024, 11, 23, 0, 0, 0, 0, time.UTC)

type statsBench struct {
	svc *citizen.Service
	qm  auth.Actor
}

func newStatsBench(b *testing.B) statsBench {
	b.Helper()
	ctx := context.Background()
	d := dbtest.Open(b, db.SQLite)
	clk := clock.NewFixed(t0)
	o := &org.Service{DB: d, Clock: clk}
	as := &auth.Service{DB: d, Clock: clk}
	var qm auth.Actor
	for k, cui := range []string{"4322823", "4305857"} {
		inst, err := o.CreateInstitutionSystem(ctx, org.InstitutionInput{Name: "Primăria " + cui, CUI: cui, Kind: org.KindMunicipality, County: "Cluj"})
		if err != nil {
			b.Fatal(err)
		}
		n := benchCases
		if k == 1 {
			n = benchCases / 10
		}
		start := time.Now()
		if _, err := citizentest.Seed(ctx, d, citizentest.Large{Tenant: inst.ID, Cases: n, From: benchFrom, To: t0, Services: 20, Ratings: benchRatings}); err != nil {
			b.Fatal(err)
		}
		b.Logf("seeded %d cases in %v", n, time.Since(start).Round(time.Millisecond))
		if k == 0 {
			u, err := as.CreateUser(ctx, auth.SystemActor(inst.ID, "bench"), auth.UserInput{Username: "calitate", DisplayName: "Calitate", Password: "parola-buna-2026",
				Locale: "ro", Roles: []auth.Role{auth.RoleQualityManager}})
			if err != nil {
				b.Fatal(err)
			}
			if qm, err = as.ActorByID(ctx, u.ID); err != nil {
				b.Fatal(err)
			}
		}
	}
	if _, err := d.W.ExecContext(ctx, `ANALYZE`); err != nil {
		b.Fatal(err)
	}
	return statsBench{svc: &citizen.Service{DB: d, Clock: clk, Work: &work.Service{DB: d, Clock: clk}}, qm: qm}
}

// BenchmarkIndicators computes the whole indicator set (every service and
// kind) of the latest year of a 200,000-case registry.
//
//	go test ./internal/citizen/ -run '^$' -bench BenchmarkIndicators -benchtime 50x
func BenchmarkIndicators(b *testing.B) {
	e := newStatsBench(b)
	ctx := context.Background()
	from, to := t0.AddDate(-1, 0, 0), t0.AddDate(0, 0, -1)
	var rows int
	benchtest.Measure(b, func() error {
		set, err := e.svc.ServiceIndicators(ctx, e.qm, from, to)
		rows = len(set.Rows)
		if err == nil && set.Total.Closed == 0 {
			b.Fatal("no case closed")
		}
		return err
	})
	b.ReportMetric(float64(rows), "rows")
}

// BenchmarkImpact compares the latest year with the year before
// (the institution's baseline) over the same registry.
//
//	go test ./internal/citizen/ -run '^$' -bench BenchmarkImpact -benchtime 50x
func BenchmarkImpact(b *testing.B) {
	e := newStatsBench(b)
	ctx := context.Background()
	st, err := e.svc.SettingsOf(ctx, e.qm.Tenant)
	if err != nil {
		b.Fatal(err)
	}
	st.BaselineFrom, st.BaselineTo = benchFrom, t0.AddDate(-1, 0, -1)
	if _, err := e.svc.SaveSettings(ctx, e.qm, st); err != nil {
		b.Fatal(err)
	}
	from, to := t0.AddDate(-1, 0, 0), t0.AddDate(0, 0, -1)
	benchtest.Measure(b, func() error {
		imp, err := e.svc.Impact(ctx, e.qm, from, to)
		if err == nil && (len(imp.Rows) == 0 || !imp.Rows[0].HasBaseline()) {
			b.Fatal("no baseline")
		}
		return err
	})
}
