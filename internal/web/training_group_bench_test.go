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
	"cadran/internal/work"
)

// BenchmarkTrainingGroupPages measures the heaviest pages of the overview,
// groups, programmes and sessions through the whole handler chain on
// SQLite, read by the quality manager, in a large municipality: 600 people
// in 60 units, 20 target groups of 70 members, each group with 2
// programmes; each programme has a closed session of 5 days with 40 people
// whose attendance and results were recorded, and a planned session with
// 30 enrolled.
//
//	go test ./internal/web/ -run '^$' -bench BenchmarkTrainingGroupPages -benchtime 200x
func BenchmarkTrainingGroupPages(b *testing.B) {
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
	for i := range 60 {
		u, err := o.CreateUnit(ctx, sys, org.UnitInput{Name: fmt.Sprintf("Serviciul %02d", i+1), Kind: org.UnitService, Relation: org.RelationOwn})
		if err != nil {
			b.Fatal(err)
		}
		units = append(units, u.ID)
	}
	var people []int64
	for i := range 600 {
		pos, emp := org.PositionExecution, org.EmploymentCivilServant
		if i%10 == 0 {
			pos = org.PositionManagement
		}
		if i%7 == 0 {
			emp = org.EmploymentContract
		}
		p, err := o.CreatePerson(ctx, sys, org.PersonInput{UnitID: units[i%60], FullName: fmt.Sprintf("Țăranu Ștefan %03d", i+1), JobTitle: "Consilier", Position: pos,
			Employment: emp, Active: true})
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
	today := work.Day(clk.Now())
	day := func(n int) string { return today.AddDate(0, 0, n).Format(time.DateOnly) }
	var groupID, gridID, plannedID int64
	for g := range 20 {
		grp, err := svc.CreateGroup(ctx, sys, training.GroupInput{Code: fmt.Sprintf("GT-%02d", g+1), Name: fmt.Sprintf("Grupul țintă %02d", g+1), Project: "SIPOCA 123",
			StartOn: day(-200), EndOn: day(200), GoalMembers: 70, GoalHours: 40, GoalShare: 80, Active: true})
		if err != nil {
			b.Fatal(err)
		}
		members := make([]int64, 70)
		for i := range members {
			members[i] = people[(g*30+i)%len(people)]
		}
		if _, err := svc.AddMembers(ctx, sys, grp.ID, members, day(-180)); err != nil {
			b.Fatal(err)
		}
		for k := range 2 {
			p, err := svc.CreateProgramme(ctx, sys, training.ProgrammeInput{Code: fmt.Sprintf("P-%02d-%d", g+1, k+1), Title: fmt.Sprintf("Managementul calității, modulul %d", k+1),
				Topic: training.TopicQuality, Provider: "Centrul de formare", Hours: 20, Certificate: "Certificat de absolvire", CertificateMonths: 36, GroupID: grp.ID,
				MinAttendance: 80, PassScore: 50, Active: true})
			if err != nil {
				b.Fatal(err)
			}
			closed, err := svc.CreateSession(ctx, sys, training.SessionInput{ProgrammeID: p.ID, StartOn: day(-30), EndOn: day(-26), Place: "Sala de consiliu", Trainer: "Ioana Mureșan"})
			if err != nil {
				b.Fatal(err)
			}
			if _, err := svc.Enrol(ctx, sys, closed.ID, members[k*30:k*30+40]); err != nil {
				b.Fatal(err)
			}
			if closed, err = svc.SetSessionState(ctx, sys, closed.ID, training.SessionHeld, closed.Version); err != nil {
				b.Fatal(err)
			}
			es, err := svc.Enrolments(ctx, sys, closed.ID)
			if err != nil {
				b.Fatal(err)
			}
			present := map[int64][]string{}
			var results []training.ResultInput
			for i, e := range es {
				for j, dd := range closed.Days() {
					if (i+j)%9 != 0 {
						present[e.ID] = append(present[e.ID], dd)
					}
				}
				score := 40 + (i*7)%60
				results = append(results, training.ResultInput{EnrolmentID: e.ID, Score: &score, Notes: "Evaluare scrisă"})
			}
			if err := svc.SaveAttendance(ctx, sys, closed.ID, present); err != nil {
				b.Fatal(err)
			}
			if err := svc.SaveResults(ctx, sys, closed.ID, results); err != nil {
				b.Fatal(err)
			}
			if g < 19 {
				if closed, err = svc.SetSessionState(ctx, sys, closed.ID, training.SessionClosed, closed.Version); err != nil {
					b.Fatal(err)
				}
			}
			planned, err := svc.CreateSession(ctx, sys, training.SessionInput{ProgrammeID: p.ID, StartOn: day(10 + k), EndOn: day(14 + k), Place: "Sala mică", Trainer: "Ioana Mureșan"})
			if err != nil {
				b.Fatal(err)
			}
			if _, err := svc.Enrol(ctx, sys, planned.ID, members[40-k*10:70-k*10]); err != nil {
				b.Fatal(err)
			}
			groupID, gridID, plannedID = grp.ID, closed.ID, planned.ID
		}
	}
	get := benchGetter(srv.Handler())
	id := func(n int64) string { return strconv.FormatInt(n, 10) }
	for _, c := range []struct{ name, path string }{
		{"overview", "/training"},
		{"groups", "/training/groups"},
		{"group", "/training/groups/" + id(groupID)},
		{"programmes", "/training/programmes"},
		{"sessions", "/training/sessions"},
		{"session", "/training/sessions/" + id(plannedID)},
		{"attendance", "/training/sessions/" + id(gridID) + "/attendance"},
		{"attendance.pdf", "/training/sessions/" + id(gridID) + "/attendance.pdf"},
		{"record.xlsx", "/training/groups/" + id(groupID) + "/record.xlsx"},
		{"record.pdf", "/training/groups/" + id(groupID) + "/record.pdf"},
	} {
		b.Run(c.name, func(b *testing.B) { benchtest.Measure(b, get(c.path)) })
	}
}
