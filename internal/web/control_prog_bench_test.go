package web

import (
	"context"
	"fmt"
	"strconv"
	"testing"
	"time"

	"cadran/internal/auth"
	"cadran/internal/benchtest"
	"cadran/internal/control"
	"cadran/internal/db"
	"cadran/internal/db/dbtest"
	"cadran/internal/org"
	"cadran/internal/work"
)

// BenchmarkControlProgPages measures the actions list and the programme
// pages through the whole handler chain on SQLite, read by the quality
// manager, with 1,000 actions: 200 people in 20 units, last year's
// programme (closed, 400 actions) and this year's (approved, 600 actions,
// 6 objectives), each action under one of the 16 standards with an owner,
// a unit and a deadline, a third of them done.
//
//	go test ./internal/web/ -run '^$' -bench BenchmarkControlProgPages -benchtime 200x
func BenchmarkControlProgPages(b *testing.B) {
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
	var units, people []int64
	for i := range 20 {
		u, err := o.CreateUnit(ctx, sys, org.UnitInput{Name: fmt.Sprintf("Serviciul %02d", i+1), Kind: org.UnitService, Relation: org.RelationOwn})
		if err != nil {
			b.Fatal(err)
		}
		units = append(units, u.ID)
	}
	for i := range 200 {
		p, err := o.CreatePerson(ctx, sys, org.PersonInput{UnitID: units[i%20], FullName: fmt.Sprintf("Țăranu Ștefan %03d", i+1), JobTitle: "Consilier",
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
	svc := srv.control
	today := work.Day(clk.Now())
	day := func(n int) string { return today.AddDate(0, 0, n).Format(time.DateOnly) }
	n := 0
	var current control.Programme
	for k, size := range []int{400, 600} {
		p, err := svc.CreateProgramme(ctx, sys, control.ProgrammeInput{Year: today.Year() - 1 + k})
		if err != nil {
			b.Fatal(err)
		}
		var objs []int64
		for j := range 6 {
			o, err := svc.AddObjective(ctx, sys, p.ID, control.ObjectiveInput{Title: fmt.Sprintf("Obiectivul %d: îmbunătățirea controlului", j+1)})
			if err != nil {
				b.Fatal(err)
			}
			objs = append(objs, o.ID)
		}
		for i := range size {
			x, err := svc.CreateAction(ctx, sys, control.ActionInput{ProgrammeID: p.ID, ObjectiveID: objs[i%6], Standard: 1 + i%16,
				Title: fmt.Sprintf("Acțiunea %04d: actualizarea procedurii și instruirea personalului", n), Description: "Măsură stabilită în ședința comisiei de monitorizare",
				OwnerID: people[(i*7)%len(people)], UnitID: units[i%len(units)], DueOn: day(-200 + i%400)})
			if err != nil {
				b.Fatal(err)
			}
			if i%3 == 0 {
				if _, err := svc.MoveAction(ctx, sys, x.ID, control.ActionMove{To: control.ActionDone, DoneOn: day(-1), Result: "Realizată", Version: x.Version}); err != nil {
					b.Fatal(err)
				}
			}
			n++
		}
		if p, err = svc.Programme(ctx, sys, p.ID); err != nil {
			b.Fatal(err)
		}
		if p, err = svc.MoveProgramme(ctx, sys, p.ID, control.ProgrammeMove{Action: control.ProgrammeApprove, Decision: "Dispoziția nr. 1", ApprovedOn: day(-300), Version: p.Version}); err != nil {
			b.Fatal(err)
		}
		if k == 0 {
			if _, err := svc.MoveProgramme(ctx, sys, p.ID, control.ProgrammeMove{Action: control.ProgrammeClose, Version: p.Version}); err != nil {
				b.Fatal(err)
			}
		}
		current = p
	}
	get := benchGetter(srv.Handler())
	id := strconv.FormatInt(current.ID, 10)
	for _, c := range []struct{ name, path string }{
		{"actions", "/control/actions"},
		{"actions-filtered", "/control/actions?standard=8&overdue=1&unit=" + strconv.FormatInt(units[3], 10)},
		{"actions-search", "/control/actions?q=procedurii&sort=-owner&page=10"},
		{"actions.xlsx", "/control/actions/export.xlsx"},
		{"programmes", "/control/programmes"},
		{"programme", "/control/programmes/" + id},
		{"programme.pdf", "/control/programmes/" + id + "/programme.pdf"},
	} {
		b.Run(c.name, func(b *testing.B) { benchtest.Measure(b, get(c.path)) })
	}
}
