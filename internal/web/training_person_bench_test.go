package web

import (
	"context"
	"fmt"
	"strconv"
	"testing"

	"cadran/internal/auth"
	"cadran/internal/benchtest"
	"cadran/internal/db"
	"cadran/internal/db/dbtest"
	"cadran/internal/org"
	"cadran/internal/training"
)

// BenchmarkTrainingPerson measures, through the whole handler chain on
// SQLite and read by the quality manager, in an institution of 300 people
// in 12 units, 40 competences each required of one of 10 jobs, and 300
// induction plans (every person hired through the server, so the hook
// made each plan with a mandatory programme):
//
//   - record: GET /training/people/{id}, a person with 20 enrolments,
//     10 certificates, assessed competences and their plan;
//
//   - record.pdf and record.xlsx of that person;
//
//   - inductions: GET /training/inductions, every plan (page 1 of 12);
//
//   - overdue: the open plans past their due day in one directorate.
//
//     go test ./internal/web/ -run '^$' -bench BenchmarkTrainingPerson -benchtime 200x
func BenchmarkTrainingPerson(b *testing.B) {
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
	for i := range 12 {
		u, err := o.CreateUnit(ctx, sys, org.UnitInput{Name: fmt.Sprintf("Direcția %02d", i+1), Kind: org.UnitDirectorate, Relation: org.RelationOwn})
		if err != nil {
			b.Fatal(err)
		}
		units = append(units, u.ID)
	}
	if _, err := as.CreateUser(ctx, sys, auth.UserInput{Username: "bench", DisplayName: "Bench", Password: testPassword, Roles: []auth.Role{auth.RoleQualityManager}}); err != nil {
		b.Fatal(err)
	}
	qm := auth.Actor{Tenant: inst.ID, Name: "Bench", Roles: []auth.Role{auth.RoleQualityManager}}
	srv, err := New(Options{DB: d, Clock: clk, Version: "bench"})
	if err != nil {
		b.Fatal(err)
	}
	svc := srv.training
	job := func(i int) string { return fmt.Sprintf("Consilier treapta %d", i%10) }
	var comps []training.Competence
	for i := range 40 {
		k, err := svc.CreateCompetence(ctx, qm, training.CompetenceInput{Code: fmt.Sprintf("C-%02d", i), Name: fmt.Sprintf("Competența %02d în managementul calității", i),
			Area: training.Areas[i%len(training.Areas)], Active: true})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := svc.AddRequirement(ctx, qm, k.ID, training.RequirementInput{Kind: training.RequireJob, Target: job(i), Level: 1 + i%3}); err != nil {
			b.Fatal(err)
		}
		comps = append(comps, k)
	}
	var progs []training.Programme
	for i := range 10 {
		p, err := svc.CreateProgramme(ctx, qm, training.ProgrammeInput{Code: fmt.Sprintf("P-%02d", i), Title: fmt.Sprintf("Programul de instruire %02d", i), Topic: training.TopicQuality,
			Hours: 16, Mandatory: i == 0, MinAttendance: 80, CompetenceID: comps[i].ID, CompetenceLevel: 2, Active: true})
		if err != nil {
			b.Fatal(err)
		}
		progs = append(progs, p)
	}
	var people []org.Person
	for i := range 300 {
		p, err := srv.org.CreatePerson(ctx, sys, org.PersonInput{UnitID: units[i%len(units)], FullName: fmt.Sprintf("Angajat Ștefănescu %03d", i), JobTitle: job(i),
			Position: org.PositionExecution, Employment: org.EmploymentCivilServant, Active: true})
		if err != nil {
			b.Fatal(err)
		}
		people = append(people, p)
	}
	// Half the plans are late.
	if _, err := d.W.Exec(`UPDATE training_inductions SET due_on = '2020-01-31' WHERE tenant_id = $1 AND id % 2 = 0`, inst.ID); err != nil {
		b.Fatal(err)
	}
	one := people[0]
	for i := range 20 {
		ss, err := svc.CreateSession(ctx, qm, training.SessionInput{ProgrammeID: progs[i%len(progs)].ID, StartOn: fmt.Sprintf("2027-%02d-%02d", 1+i%12, 1+i), EndOn: fmt.Sprintf("2027-%02d-%02d", 1+i%12, 2+i),
			Place: "Sala mare", Trainer: "Formator"})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := svc.Enrol(ctx, qm, ss.ID, []int64{one.ID, people[1+i].ID}); err != nil {
			b.Fatal(err)
		}
	}
	for i := range 10 {
		if _, err := svc.CreateCertificate(ctx, qm, training.CertificateInput{PersonID: one.ID, CompetenceID: comps[10+i].ID, CompetenceLevel: 2,
			Name: fmt.Sprintf("Certificat de absolvire %02d", i), Number: fmt.Sprintf("AB %04d", i), Issuer: "Centrul de formare", Hours: 24,
			IssuedOn: "2025-06-01", ExpiresOn: fmt.Sprintf("202%d-06-01", 6+i%3)}, nil); err != nil {
			b.Fatal(err)
		}
	}
	for i := range 5 {
		if _, err := svc.Assess(ctx, qm, one.ID, training.HeldInput{CompetenceID: comps[20+i].ID, Level: 2, AcquiredOn: "2025-10-01", Notes: "Evaluare la locul de muncă"}); err != nil {
			b.Fatal(err)
		}
	}

	get := benchGetter(srv.Handler())
	rec := "/training/people/" + strconv.FormatInt(one.ID, 10)
	b.Run("record", func(b *testing.B) { benchtest.Measure(b, get(rec)) })
	b.Run("record.pdf", func(b *testing.B) { benchtest.Measure(b, get(rec+"/record.pdf")) })
	b.Run("record.xlsx", func(b *testing.B) { benchtest.Measure(b, get(rec+"/record.xlsx")) })
	b.Run("inductions", func(b *testing.B) { benchtest.Measure(b, get("/training/inductions?state=all")) })
	b.Run("overdue", func(b *testing.B) {
		benchtest.Measure(b, get("/training/inductions?overdue=1&unit="+strconv.FormatInt(units[0], 10)))
	})
}
