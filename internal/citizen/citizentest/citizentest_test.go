package citizentest_test

import (
	"os"
	"testing"
	"time"

	"cadran/internal/citizen"
	"cadran/internal/citizen/citizentest"
	"cadran/internal/clock"
	"cadran/internal/db"
	"cadran/internal/db/dbtest"
	"cadran/internal/org"
)

func TestMain(m *testing.M) { os.Exit(dbtest.Main(m)) }

func TestSeedWritesAConsistentRegistry(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		ctx := t.Context()
		to := time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)
		o := &org.Service{DB: d, Clock: clock.NewFixed(to)}
		inst, err := o.CreateInstitutionSystem(ctx, org.InstitutionInput{Name: "Primăria Test", CUI: "4322823", Kind: org.KindMunicipality, County: "Cluj"})
		if err != nil {
			t.Fatal(err)
		}
		start := time.Now()
		const n = 3000
		res, err := citizentest.Seed(ctx, d, citizentest.Large{Tenant: inst.ID, Cases: n, From: to.AddDate(-2, 0, 0), To: to, Services: 20, Ratings: 500})
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("%d cases in %v", n, time.Since(start))
		if len(res.ServiceIDs) != 20 || len(res.Units) == 0 || len(res.People) == 0 || res.Number == "" || res.AccessCode == "" {
			t.Fatalf("result %+v", res)
		}
		count := func(q string, args ...any) int {
			t.Helper()
			var c int
			if err := d.R.QueryRowContext(ctx, q, args...).Scan(&c); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
			return c
		}
		if c := count(`SELECT COUNT(*) FROM citizen_cases WHERE tenant_id = $1`, inst.ID); c != n {
			t.Fatalf("cases %d", c)
		}
		if c := count(`SELECT COUNT(*) FROM citizen_feedback WHERE tenant_id = $1`, inst.ID); c != 500 {
			t.Fatalf("ratings %d", c)
		}
		// Closed cases have their days and (but filed ones) whether on time;
		// open ones have neither.
		if c := count(`SELECT COUNT(*) FROM citizen_cases WHERE closed_on <> '' AND (days_taken IS NULL OR (on_time IS NULL AND state <> 'filed'))`); c != 0 {
			t.Fatalf("%d closed cases without their figures", c)
		}
		if c := count(`SELECT COUNT(*) FROM citizen_cases WHERE closed_on = '' AND (days_taken IS NOT NULL OR state NOT IN ('registered', 'assigned'))`); c != 0 {
			t.Fatalf("%d open cases with figures", c)
		}
		// Overdue open cases are a few percent.
		overdue := count(`SELECT COUNT(*) FROM citizen_cases WHERE closed_on = '' AND due_on < '2026-11-23'`)
		if overdue < n/100 || overdue > n/10 {
			t.Fatalf("%d overdue open of %d", overdue, n)
		}
		// Registration numbers continue in the counters, and the access code
		// opens the case it was given for.
		if c := count(`SELECT last_seq FROM citizen_counters WHERE tenant_id = $1 AND year = 2026`, inst.ID); c != count(`SELECT MAX(seq) FROM citizen_cases WHERE year = 2026`) {
			t.Fatalf("counter %d", c)
		}
		seq, year, _ := citizen.ParseNumber(res.Number)
		if c := count(`SELECT COUNT(*) FROM citizen_cases WHERE tenant_id = $1 AND year = $2 AND seq = $3 AND access_hash = $4`, inst.ID, year, seq, citizen.HashAccessCode(res.AccessCode)); c != 1 {
			t.Fatalf("access code of %s", res.Number)
		}
		// Every kind, channel and closing state occurs.
		for _, q := range []string{`SELECT COUNT(DISTINCT kind) FROM citizen_cases`, `SELECT COUNT(DISTINCT channel) FROM citizen_cases`} {
			if c := count(q); c < 3 {
				t.Fatalf("%s: %d", q, c)
			}
		}
		if c := count(`SELECT COUNT(DISTINCT state) FROM citizen_cases`); c < 5 {
			t.Fatalf("states %d", c)
		}
	})
}
