package web

import (
	"context"
	"fmt"
	"testing"
	"time"

	"cadran/internal/auth"
	"cadran/internal/benchtest"
	"cadran/internal/control"
	"cadran/internal/db"
	"cadran/internal/db/dbtest"
	"cadran/internal/documents"
	"cadran/internal/org"
)

// BenchmarkControlCoverage measures GET /control/coverage (the table per
// compartment and the first page of activities) and the list filtered to
// the activities lacking a procedure, through the whole handler chain on
// SQLite, for a large municipality: 60 units × 20 activities, half covered
// by one of 200 procedures, a tenth exempt, the rest missing (with an
// owner and a due date), read by the quality manager. The same data
// serves the inventory list with 120 sensitive functions.
//
//	go test ./internal/web/ -run '^$' -bench BenchmarkControlCoverage -benchtime 300x
func BenchmarkControlCoverage(b *testing.B) {
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
	var units, people []int64
	for i := range 60 {
		u, err := o.CreateUnit(ctx, sys, org.UnitInput{Name: fmt.Sprintf("Serviciul %02d al primăriei", i+1), Kind: org.UnitService, Relation: org.RelationOwn})
		if err != nil {
			b.Fatal(err)
		}
		units = append(units, u.ID)
		p, err := o.CreatePerson(ctx, sys, org.PersonInput{UnitID: u.ID, FullName: fmt.Sprintf("Șef Serviciu %02d", i+1), Position: org.PositionManagement,
			Employment: org.EmploymentCivilServant, Active: true})
		if err != nil {
			b.Fatal(err)
		}
		people = append(people, p.ID)
	}
	now := time.Now().UTC()
	var procs []int64
	for i := range 200 {
		var id int64
		code := fmt.Sprintf("PO-%03d", i+1)
		if err := d.W.QueryRowContext(ctx, `INSERT INTO documents (tenant_id, kind, code, title, review_months, state, sort_code, sort_title, created_at, updated_at)
			VALUES ($1, $2, $3, $4, 12, 'approved', $3, $4, $5, $5) RETURNING id`, inst.ID, documents.KindOperational, code, "Procedura operațională "+code, now).Scan(&id); err != nil {
			b.Fatal(err)
		}
		procs = append(procs, id)
	}
	srv, err := New(Options{DB: d, Clock: clk, Version: "bench"})
	if err != nil {
		b.Fatal(err)
	}
	svc := srv.control
	for i, u := range units {
		for j := range 20 {
			in := control.ActivityInput{UnitID: u, Title: fmt.Sprintf("Activitatea %d a serviciului %02d: întocmirea și verificarea documentației", j+1, i+1)}
			switch {
			case j%2 == 0:
				in.DocumentID = procs[(i*20+j)%len(procs)]
			case j%10 == 1:
				in.Exempt = "Activitate reglementată integral prin lege."
			default:
				in.OwnerID, in.DueOn = people[i], "2027-03-31"
			}
			if _, err := svc.CreateActivity(ctx, sys, in); err != nil {
				b.Fatal(err)
			}
		}
		for j := range 2 {
			f, err := svc.CreateSensitive(ctx, sys, control.SensitiveInput{UnitID: u, Title: fmt.Sprintf("Inspector %d", j+1), Factors: []string{"money", "public"}, Rotation: j == 0})
			if err != nil {
				b.Fatal(err)
			}
			if _, err := svc.AddHolder(ctx, sys, f.ID, control.HolderInput{PersonID: people[i], SinceOn: "2019-05-01"}); err != nil {
				b.Fatal(err)
			}
		}
	}
	if err := d.Optimize(ctx); err != nil {
		b.Fatal(err)
	}
	get := benchGetter(srv.Handler())
	b.Run("coverage", func(b *testing.B) { benchtest.Measure(b, get("/control/coverage")) })
	b.Run("missing", func(b *testing.B) { benchtest.Measure(b, get("/control/coverage?status=missing&sort=due")) })
	b.Run("sensitive", func(b *testing.B) { benchtest.Measure(b, get("/control/sensitive?overdue=1")) })
}
