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

// BenchmarkCases measures the registry list's first page (with its count)
// on SQLite over 200,000 cases of two years, with the filters people use
// most; the budget is p95 under 50 ms. Another institution's 20,000 cases
// sit beside them. Run:
//
//	go test ./internal/citizen/ -run '^$' -bench BenchmarkCases -benchtime 200x
func BenchmarkCases(b *testing.B) {
	ctx := context.Background()
	d := dbtest.Open(b, db.SQLite)
	clk := clock.NewFixed(t0)
	o := &org.Service{DB: d, Clock: clk}
	as := &auth.Service{DB: d, Clock: clk}
	svc := &citizen.Service{DB: d, Clock: clk, Work: &work.Service{DB: d, Clock: clk}}
	var res citizentest.Result
	var tenant int64
	for k, cui := range []string{"4322823", "4305857"} {
		inst, err := o.CreateInstitutionSystem(ctx, org.InstitutionInput{Name: "Primăria " + cui, CUI: cui, Kind: org.KindMunicipality, County: "Cluj"})
		if err != nil {
			b.Fatal(err)
		}
		n := 200_000
		if k == 1 {
			n = 20_000
		}
		start := time.Now()
		r, err := citizentest.Seed(ctx, d, citizentest.Large{Tenant: inst.ID, Cases: n, From: t0.AddDate(-2, 0, 0), To: t0, Services: 20, Ratings: 1000})
		if err != nil {
			b.Fatal(err)
		}
		b.Logf("seeded %d cases in %v", n, time.Since(start).Round(time.Millisecond))
		if k == 0 {
			res, tenant = r, inst.ID
		}
	}
	// A database in service is analysed now and then (PRAGMA optimize);
	// without statistics SQLite takes the tenant's index for selective.
	if _, err := d.W.ExecContext(ctx, `ANALYZE`); err != nil {
		b.Fatal(err)
	}
	user := func(name string, person int64, role auth.Role) auth.Actor {
		u, err := as.CreateUser(ctx, auth.SystemActor(tenant, "bench"), auth.UserInput{Username: name, DisplayName: name, Password: "parola-buna-2026",
			PersonID: person, Locale: "ro", Roles: []auth.Role{role}})
		if err != nil {
			b.Fatal(err)
		}
		a, err := as.ActorByID(ctx, u.ID)
		if err != nil {
			b.Fatal(err)
		}
		return a
	}
	clerk := user("registratura", 0, auth.RoleRegistryClerk)
	head := user("sef", res.People[0], auth.RoleHeadOfUnit)
	emp := user("angajat", res.People[1], auth.RoleEmployee)
	for _, c := range []struct {
		name string
		a    auth.Actor
		f    citizen.CaseFilter
	}{
		{"all", clerk, citizen.CaseFilter{}},
		{"year_state", clerk, citizen.CaseFilter{Year: 2026, State: citizen.StateAnswered}},
		{"year_open_by_due", clerk, citizen.CaseFilter{Year: 2026, State: "open", Sort: "due"}},
		{"kind_unit", clerk, citizen.CaseFilter{Kind: citizen.KindPetition, UnitID: res.Units[0]}},
		{"overdue", clerk, citizen.CaseFilter{Overdue: true, Sort: "due"}},
		{"query", clerk, citizen.CaseFilter{Query: "autorizație"}},
		{"query_number", clerk, citizen.CaseFilter{Query: res.Number}},
		{"head_of_unit", head, citizen.CaseFilter{State: "open"}},
		{"employee", emp, citizen.CaseFilter{}},
	} {
		b.Run(c.name, func(b *testing.B) {
			p, err := svc.Cases(ctx, c.a, c.f)
			if err != nil {
				b.Fatal(err)
			}
			b.Logf("%s: %d matching", c.name, p.Total)
			benchtest.Measure(b, func() error {
				_, err := svc.Cases(ctx, c.a, c.f)
				return err
			})
		})
	}
	b.Run("overview", func(b *testing.B) {
		benchtest.Measure(b, func() error {
			_, err := svc.Overview(ctx, clerk)
			return err
		})
	})
	b.Run("status", func(b *testing.B) {
		benchtest.Measure(b, func() error {
			_, err := svc.Status(ctx, tenant, res.Number, res.AccessCode)
			return err
		})
	})
}
