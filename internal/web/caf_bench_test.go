package web

import (
	"context"
	"fmt"
	"strconv"
	"testing"

	"cadran/internal/auth"
	"cadran/internal/benchtest"
	"cadran/internal/caf"
	"cadran/internal/db"
	"cadran/internal/db/dbtest"
	"cadran/internal/org"
)

// BenchmarkCAFBoard measures GET /caf/{id}/consensus (the consensus table:
// every member's score side by side, mean, range and spread per
// sub-criterion, the consensus) through the whole handler chain on SQLite,
// for a group of 15 members who have all submitted their 28 sub-criteria,
// with half the sub-criteria agreed, read by the quality manager.
//
//	go test ./internal/web/ -run '^$' -bench BenchmarkCAFBoard -benchtime 200x
func BenchmarkCAFBoard(b *testing.B) {
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
	for _, name := range []string{"Direcția Economică", "Direcția Urbanism", "Serviciul Public Comunitar de Evidență a Persoanelor"} {
		u, err := o.CreateUnit(ctx, sys, org.UnitInput{Name: name, Kind: org.UnitDirectorate, Relation: org.RelationOwn})
		if err != nil {
			b.Fatal(err)
		}
		units = append(units, u.ID)
	}
	if _, err := as.CreateUser(ctx, sys, auth.UserInput{Username: "bench", DisplayName: "Bench", Password: testPassword, Roles: []auth.Role{auth.RoleQualityManager}}); err != nil {
		b.Fatal(err)
	}
	mgr := auth.Actor{Tenant: inst.ID, Name: "Bench", Roles: []auth.Role{auth.RoleQualityManager}}
	var members []auth.Actor
	for i := range 15 {
		pos := org.PositionExecution
		if i%4 == 0 {
			pos = org.PositionManagement
		}
		p, err := o.CreatePerson(ctx, sys, org.PersonInput{UnitID: units[i%len(units)], FullName: fmt.Sprintf("Membru Grup %02d", i+1), Position: pos,
			Employment: org.EmploymentCivilServant, Active: true})
		if err != nil {
			b.Fatal(err)
		}
		members = append(members, auth.Actor{Tenant: inst.ID, Name: p.FullName, PersonID: p.ID, Roles: []auth.Role{auth.RoleEmployee}})
	}
	srv, err := New(Options{DB: d, Clock: clk, Version: "bench"})
	if err != nil {
		b.Fatal(err)
	}
	svc := srv.caf
	c, err := svc.CreateCycle(ctx, mgr, caf.CycleInput{Title: "Autoevaluarea CAF 2026", Panel: caf.PanelClassical, LeaderID: members[0].PersonID})
	if err != nil {
		b.Fatal(err)
	}
	for _, m := range members[1:] {
		if err := svc.AddMember(ctx, mgr, c.ID, caf.MemberInput{PersonID: m.PersonID, Role: caf.RoleMember}); err != nil {
			b.Fatal(err)
		}
	}
	fire := func(action string) {
		b.Helper()
		cur, err := svc.Cycle(ctx, mgr, c.ID)
		if err != nil {
			b.Fatal(err)
		}
		if c, err = svc.Fire(ctx, mgr, c.ID, action, cur.Version, ""); err != nil {
			b.Fatal(err)
		}
	}
	fire(caf.ActStart)
	subs := c.CAF().Subs()
	for i, m := range members {
		for j, sub := range subs {
			v := float64((i*7 + j*13) % 101)
			if _, err := svc.SaveAssessment(ctx, m, c.ID, caf.AssessmentInput{Sub: sub.Code, Evidence: "Dovezi văzute pentru " + sub.Code,
				Strengths: "Puncte tari", Improvements: "De îmbunătățit", Scores: caf.Scores{Score: &v}}); err != nil {
				b.Fatal(err)
			}
		}
		if err := svc.Submit(ctx, m, c.ID); err != nil {
			b.Fatal(err)
		}
	}
	fire(caf.ActConsensus)
	for j, sub := range subs {
		if j%2 == 1 {
			continue
		}
		v := 50.0
		if _, err := svc.SaveConsensus(ctx, mgr, c.ID, caf.ConsensusInput{Sub: sub.Code, Scores: caf.Scores{Score: &v}, AgreedOn: "2026-11-20"}); err != nil {
			b.Fatal(err)
		}
	}

	h := srv.Handler()
	get := benchGetter(h)
	page := "/caf/" + strconv.FormatInt(c.ID, 10)
	b.Run("board", func(b *testing.B) { benchtest.Measure(b, get(page+"/consensus")) })
	b.Run("sub", func(b *testing.B) { benchtest.Measure(b, get(page+"/consensus/1.1")) })
}
