package work_test

import (
	"context"
	"database/sql"
	"fmt"
	"testing"
	"time"

	"cadran/internal/auth"
	"cadran/internal/clock"
	"cadran/internal/db"
	"cadran/internal/db/dbtest"
	"cadran/internal/org"
	"cadran/internal/work"
)

// benchInstitution fills a database with an institution of 50 units, 1,000
// people and 50,000 tasks, 500 of them open and assigned to one person, and
// returns that person as an actor.
func benchInstitution(b *testing.B, d *db.DB) (*work.Service, auth.Actor) {
	b.Helper()
	ctx := context.Background()
	clk := clock.NewFixed(t0)
	o := &org.Service{DB: d, Clock: clk}
	inst, err := o.CreateInstitutionSystem(ctx, org.InstitutionInput{Name: "Primăria Municipiului Bench", CUI: "4322823", Kind: org.KindMunicipality, County: "Mureș"})
	if err != nil {
		b.Fatal(err)
	}
	sys := auth.SystemActor(inst.ID, "bench")
	var units []int64
	for i := range 50 {
		u, err := o.CreateUnit(ctx, sys, org.UnitInput{Name: fmt.Sprintf("Serviciul %02d", i), Kind: "service", Relation: "own"})
		if err != nil {
			b.Fatal(err)
		}
		units = append(units, u.ID)
	}
	var people []int64
	now := clk.Now()
	err = d.Tx(ctx, func(tx *sql.Tx) error {
		for i := range 1000 {
			var id int64
			if err := tx.QueryRowContext(ctx, `INSERT INTO people (tenant_id, unit_id, full_name, position, employment, sort_name, search_text, created_at, updated_at)
				VALUES ($1, $2, $3, 'execution', 'civil_servant', $3, $3, $4, $4) RETURNING id`, inst.ID, units[i%50], fmt.Sprintf("persoana %04d", i), now).Scan(&id); err != nil {
				return err
			}
			people = append(people, id)
		}
		kinds := work.Kinds
		for i := range 50000 {
			person := people[1+i%999] // everyone but the first
			state := "done"
			if i%5 == 0 {
				state = "open"
			}
			if i < 500 {
				person, state = people[0], "open"
			}
			due := t0.AddDate(0, 0, i%120-30).Format(time.DateOnly)
			if _, err := tx.ExecContext(ctx, `INSERT INTO tasks (tenant_id, module, entity, entity_id, kind, title, person_id, due_on, priority, state, search_text, created_at, updated_at)
				VALUES ($1, 'bench', 'thing', $2, $3, $4, $5, $6, 'normal', $7, $4, $8, $8)`, inst.ID, i, kinds[i%len(kinds)], fmt.Sprintf("sarcina %05d", i), person, due, state, now); err != nil {
				return err
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
	a := auth.Actor{UserID: 1, Tenant: inst.ID, Name: "bench", PersonID: people[0], Roles: []auth.Role{auth.RoleEmployee}}
	return &work.Service{DB: d, Clock: clk}, a
}

// BenchmarkMyWork builds "my work" for a person with 500 open tasks in an
// institution with 50,000 tasks. The target is under 20 ms on SQLite. The
// same person is measured as an employee, as a head of unit (their unit's
// tasks too) and as the quality manager (every overdue task too).
func BenchmarkMyWork(b *testing.B) {
	for _, engine := range []db.Engine{db.SQLite, db.Postgres} {
		b.Run(string(engine), func(b *testing.B) {
			d := dbtest.Open(b, engine)
			svc, a := benchInstitution(b, d)
			ctx := context.Background()
			for _, role := range []auth.Role{auth.RoleEmployee, auth.RoleHeadOfUnit, auth.RoleQualityManager} {
				b.Run(string(role), func(b *testing.B) {
					a.Roles = []auth.Role{role}
					in, err := svc.MyWork(ctx, a, "")
					if err != nil {
						b.Fatal(err)
					}
					if in.Total != 500 || (role == auth.RoleHeadOfUnit && in.UnitTotal == 0) || (role == auth.RoleQualityManager && in.InstitutionTotal == 0) {
						b.Fatalf("inbox: %d open, unit %d, institution %d", in.Total, in.UnitTotal, in.InstitutionTotal)
					}
					b.ResetTimer()
					for b.Loop() {
						if _, err := svc.MyWork(ctx, a, ""); err != nil {
							b.Fatal(err)
						}
					}
				})
			}
		})
	}
}

// BenchmarkWorkCounts is the query behind the navigation badge on every page.
func BenchmarkWorkCounts(b *testing.B) {
	d := dbtest.Open(b, db.SQLite)
	svc, a := benchInstitution(b, d)
	ctx := context.Background()
	b.ResetTimer()
	for b.Loop() {
		c, err := svc.Counts(ctx, a)
		if err != nil || c.Open != 500 {
			b.Fatalf("counts = %+v, %v", c, err)
		}
	}
}

// BenchmarkTaskList is the first page of the task list (25 rows, with the
// total) in each scope, for the quality manager heading a unit.
func BenchmarkTaskList(b *testing.B) {
	d := dbtest.Open(b, db.SQLite)
	svc, a := benchInstitution(b, d)
	a.Roles = []auth.Role{auth.RoleQualityManager, auth.RoleHeadOfUnit}
	ctx := context.Background()
	for _, scope := range []string{"mine", "unit", "all"} {
		b.Run(scope, func(b *testing.B) {
			for b.Loop() {
				tasks, total, err := svc.List(ctx, a, work.Filter{Scope: scope, Limit: 25})
				if err != nil || len(tasks) != 25 || total < 500 {
					b.Fatalf("list: %d rows of %d, %v", len(tasks), total, err)
				}
			}
		})
	}
}
