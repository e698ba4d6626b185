package web

import (
	"context"
	"fmt"
	"strconv"
	"testing"
	"time"

	"cadran/internal/auth"
	"cadran/internal/benchtest"
	"cadran/internal/db"
	"cadran/internal/db/dbtest"
	"cadran/internal/org"
	"cadran/internal/training"
)

// BenchmarkTrainingMatrix measures the pages of certificates, the
// competence catalogue and the matrix through the whole handler chain on
// SQLite, for a large municipality: 60 units, 600 active people with 12
// job titles, 40 competences each required of a job (and a few of
// everyone or of a role), a third of the cells held (a quarter of those
// lapsing), 1,200 certificates; read by the quality manager.
//
//	go test ./internal/web/ -run '^$' -bench BenchmarkTrainingMatrix -benchtime 100x
func BenchmarkTrainingMatrix(b *testing.B) {
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
	var units []int64
	for i := range 10 {
		dir, err := o.CreateUnit(ctx, sys, org.UnitInput{Name: fmt.Sprintf("Direcția %02d", i+1), Kind: org.UnitDirectorate, Relation: org.RelationOwn})
		if err != nil {
			b.Fatal(err)
		}
		units = append(units, dir.ID)
		for j := range 5 {
			u, err := o.CreateUnit(ctx, sys, org.UnitInput{ParentID: dir.ID, Name: fmt.Sprintf("Serviciul %02d.%d", i+1, j+1), Kind: org.UnitService, Relation: org.RelationOwn})
			if err != nil {
				b.Fatal(err)
			}
			units = append(units, u.ID)
		}
	}
	jobs := []string{"Inspector", "Consilier", "Referent", "Șef serviciu", "Director executiv", "Expert", "Auditor intern", "Consilier juridic",
		"Inspector de specialitate", "Arhitect", "Asistent social", "Polițist local"}
	var people []int64
	for i := range 600 {
		p, err := o.CreatePerson(ctx, sys, org.PersonInput{UnitID: units[i%len(units)], FullName: fmt.Sprintf("Angajat Ștefănescu %03d", i+1), JobTitle: jobs[i%len(jobs)],
			Position: org.PositionExecution, Employment: org.EmploymentCivilServant, Active: true})
		if err != nil {
			b.Fatal(err)
		}
		people = append(people, p.ID)
	}
	if _, err := as.CreateUser(ctx, sys, auth.UserInput{Username: "bench", DisplayName: "Bench", Password: testPassword, Roles: []auth.Role{auth.RoleQualityManager}}); err != nil {
		b.Fatal(err)
	}
	srv, err := New(Options{DB: d, Clock: clk, Version: "bench"})
	if err != nil {
		b.Fatal(err)
	}
	svc := srv.training
	var comps []training.Competence
	for k := range 40 {
		c, err := svc.CreateCompetence(ctx, sys, training.CompetenceInput{Code: fmt.Sprintf("C-%02d", k+1), Name: fmt.Sprintf("Competența de lucru nr. %d", k+1),
			Area: training.Areas[k%len(training.Areas)], ValidityMonths: 24 * (k % 2), Active: true})
		if err != nil {
			b.Fatal(err)
		}
		comps = append(comps, c)
		in := training.RequirementInput{Kind: training.RequireJob, Target: jobs[k%len(jobs)], Level: 1 + k%3}
		if _, err := svc.AddRequirement(ctx, sys, c.ID, in); err != nil {
			b.Fatal(err)
		}
		switch {
		case k < 3:
			_, err = svc.AddRequirement(ctx, sys, c.ID, training.RequirementInput{Kind: training.RequireEveryone, Level: 1})
		case k%10 == 0:
			_, err = svc.AddRequirement(ctx, sys, c.ID, training.RequirementInput{Kind: training.RequireRole, Target: string(auth.RoleAuditor), Level: 2})
		}
		if err != nil {
			b.Fatal(err)
		}
	}
	// Held competences and certificates, written straight to the tables:
	// the pages read them; how they are recorded is the domain's tests'.
	now := time.Now().UTC()
	soon := now.AddDate(0, 0, 20).Format(time.DateOnly)
	tx, err := d.W.Begin()
	if err != nil {
		b.Fatal(err)
	}
	for i, p := range people {
		for k, c := range comps {
			if (i+k)%3 != 0 {
				continue
			}
			expires := ""
			if k%4 == 0 {
				expires = soon
			}
			if _, err := tx.Exec(`INSERT INTO training_person_competences (tenant_id, person_id, competence_id, level, source, acquired_on, expires_on, created_at)
				VALUES ($1, $2, $3, $4, 'assessed', '2025-01-15', $5, $6)`, inst.ID, p, c.ID, 1+(i*k)%3, expires, now); err != nil {
				b.Fatal(err)
			}
		}
		for n := range 2 {
			if _, err := tx.Exec(`INSERT INTO training_certificates (tenant_id, person_id, competence_id, competence_level, name, number, issuer, hours, issued_on, expires_on, created_at, updated_at)
				VALUES ($1, $2, $3, 2, $4, $5, 'Asociația Română pentru Calitate', 24, '2025-03-01', $6, $7, $7)`,
				inst.ID, p, comps[(i+n)%len(comps)].ID, "Certificat de absolvire "+strconv.Itoa(n+1), fmt.Sprintf("AR-%04d/%d", i, n), []string{"2028-03-01", soon}[n], now); err != nil {
				b.Fatal(err)
			}
		}
	}
	if err := tx.Commit(); err != nil {
		b.Fatal(err)
	}

	h := srv.Handler()
	get := benchGetter(h)
	comp := "/training/competences/" + strconv.FormatInt(comps[0].ID, 10)
	for _, c := range []struct{ name, path string }{
		{"matrix", "/training/matrix"},
		{"matrix-gaps-unit", "/training/matrix?gaps=1&unit=" + strconv.FormatInt(units[0], 10)},
		{"matrix.xlsx", "/training/matrix/export.xlsx"},
		{"matrix.pdf", "/training/matrix/report.pdf"},
		{"certificates", "/training/certificates"},
		{"certificates-expiring", "/training/certificates?expiry=expiring&sort=person"},
		{"certificates.xlsx", "/training/certificates/export.xlsx"},
		{"competences", "/training/competences"},
		{"competence", comp},
	} {
		b.Run(c.name, func(b *testing.B) { benchtest.Measure(b, get(c.path)) })
	}
}
