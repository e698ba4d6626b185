package dashboard

import (
	"context"
	"database/sql"
	"errors"
	"os"
	"testing"
	"time"

	"cadran/internal/apperr"
	"cadran/internal/auth"
	"cadran/internal/clock"
	"cadran/internal/db"
	"cadran/internal/db/dbtest"
	"cadran/internal/org"
	"cadran/internal/work"
)

func TestMain(m *testing.M) { os.Exit(dbtest.Main(m)) }

func TestWindowAndQuarter(t *testing.T) {
	// Tuesday 24 November 2026, 01:30 in Bucharest (23:30 UTC the day before).
	now := time.Date(2026, 11, 23, 23, 30, 0, 0, time.UTC)
	today, weekEnd, horizon := Window(now)
	if got := [3]string{day(today), day(weekEnd), day(horizon)}; got != [3]string{"2026-11-24", "2026-11-29", "2026-12-27"} {
		t.Errorf("window %v", got)
	}
	// A Sunday ends its own week.
	if _, end, _ := Window(time.Date(2026, 11, 29, 10, 0, 0, 0, time.UTC)); day(end) != "2026-11-29" {
		t.Errorf("Sunday's week ends %s", day(end))
	}
	for _, c := range []struct {
		at   time.Time
		want Quarter
	}{
		{now, Quarter{2026, 4, "2026-10-01", "2026-12-31"}},
		{time.Date(2026, 2, 28, 12, 0, 0, 0, time.UTC), Quarter{2026, 1, "2026-01-01", "2026-03-31"}},
		{time.Date(2026, 6, 30, 21, 30, 0, 0, time.UTC), Quarter{2026, 3, "2026-07-01", "2026-09-30"}}, // already 1 July in Bucharest
	} {
		if got := QuarterOf(c.at); got != c.want {
			t.Errorf("QuarterOf(%s) = %+v, want %+v", c.at, got, c.want)
		}
	}
}

// TestDueCountsOneInstitution: the due chart counts the open tasks of the
// actor's institution only, by module and week, and is refused to those
// who do not oversee the institution's work.
func TestDueCountsOneInstitution(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		c := clock.NewFixed(time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)) // a Tuesday
		o := &org.Service{DB: d, Clock: c}
		ws := &work.Service{DB: d, Clock: c}
		mk := func(name, cui string) (auth.Actor, int64) {
			inst, err := o.CreateInstitutionSystem(ctx, org.InstitutionInput{Name: name, CUI: cui, Kind: org.KindMunicipality, County: "Mureș"})
			if err != nil {
				t.Fatal(err)
			}
			sys := auth.SystemActor(inst.ID, "test")
			u, err := o.CreateUnit(ctx, sys, org.UnitInput{Name: "Direcția Economică", Code: "DE", Kind: org.UnitDirectorate, Relation: org.RelationOwn})
			if err != nil {
				t.Fatal(err)
			}
			p, err := o.CreatePerson(ctx, sys, org.PersonInput{UnitID: u.ID, FullName: "Ion Țurcanu " + cui, Position: org.PositionExecution, Employment: org.EmploymentCivilServant, Active: true})
			if err != nil {
				t.Fatal(err)
			}
			return sys, p.ID
		}
		a, pa := mk("Primăria Alfa", "4322823")
		b, pb := mk("Primăria Beta", "4305857")
		assign := func(sys auth.Actor, person int64, module, due string) {
			t.Helper()
			on, _ := time.Parse(time.DateOnly, due)
			if err := d.Tx(ctx, func(tx *sql.Tx) error {
				_, err := ws.Assign(ctx, tx, sys, work.NewTask{Ref: work.Ref{Module: module, Entity: "x", ID: 1}, Kind: work.KindAct, Title: "Sarcină " + due,
					Assignee: work.Assignee{PersonID: person}, Due: on})
				return err
			}); err != nil {
				t.Fatal(err)
			}
		}
		assign(a, pa, "risks", "2026-11-20")     // overdue
		assign(a, pa, "risks", "2026-11-24")     // today: this week
		assign(a, pa, "documents", "2026-11-29") // Sunday: this week
		assign(a, pa, "documents", "2026-11-30") // next weeks
		assign(a, pa, "documents", "2026-12-27") // the window's last day
		assign(a, pa, "documents", "2026-12-28") // beyond the window
		assign(b, pb, "risks", "2026-11-01")     // another institution's
		s := &Service{DB: d, Clock: c}
		qm := auth.Actor{UserID: 1, Tenant: a.Tenant, Roles: []auth.Role{auth.RoleQualityManager}}
		due, err := s.Due(ctx, qm)
		if err != nil {
			t.Fatal(err)
		}
		if due.Overdue != 1 || due.ThisWeek != 2 || due.Next != 2 || len(due.Rows) != 2 {
			t.Fatalf("due %+v", due)
		}
		want := []DueRow{
			{Module: "documents", ThisWeek: 1, Next: 2, NextDueOn: "2026-11-29"},
			{Module: "risks", Overdue: 1, ThisWeek: 1, OldestOverdue: "2026-11-20", NextDueOn: "2026-11-24"},
		}
		for i, r := range due.Rows {
			if r != want[i] {
				t.Errorf("row %d: %+v, want %+v", i, r, want[i])
			}
		}
		emp := auth.Actor{UserID: 2, Tenant: a.Tenant, Roles: []auth.Role{auth.RoleEmployee}}
		if _, err := s.Due(ctx, emp); !errors.Is(err, apperr.ErrForbidden) {
			t.Errorf("an employee read the institution's work: %v", err)
		}
	})
}
