package web

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"cadran/internal/auth"
	"cadran/internal/benchtest"
	"cadran/internal/caf"
	"cadran/internal/db"
	"cadran/internal/db/dbtest"
	"cadran/internal/improvement"
	"cadran/internal/org"
	"cadran/internal/work"
)

// BenchmarkCAFResults measures, on SQLite through the whole handler chain,
// the results page (GET /caf/{id}/results: both cycles' consensus, the
// arithmetic, two radar charts, the template), the improvement plan page
// and the self-assessment report in PDF, for a cycle continued from a
// closed one: a group of 12 from 6 units, each of whom assessed all 28
// sub-criteria with written evidence, strengths and areas for improvement,
// the consensus of every sub-criterion, and 40 improvement actions.
//
//	go test ./internal/web/ -run '^$' -bench BenchmarkCAFResults -benchtime 200x
func BenchmarkCAFResults(b *testing.B) {
	d := dbtest.Open(b, db.SQLite)
	ctx := context.Background()
	clk := benchClock{}
	o := &org.Service{DB: d, Clock: clk}
	a := &auth.Service{DB: d, Clock: clk}
	ws := &work.Service{DB: d, Clock: clk}
	svc := &caf.Service{DB: d, Clock: clk, Work: ws, Improve: &improvement.Service{DB: d, Clock: clk, Work: ws}}
	inst, err := o.CreateInstitutionSystem(ctx, org.InstitutionInput{Name: "Primăria Bench", CUI: "4322823", Kind: org.KindMunicipality, County: "Cluj"})
	if err != nil {
		b.Fatal(err)
	}
	sys := auth.SystemActor(inst.ID, "bench")
	var people []org.Person
	for i := range 12 {
		u, err := o.CreateUnit(ctx, sys, org.UnitInput{Name: fmt.Sprintf("Direcția %d", i%6+1), Code: fmt.Sprintf("D%d", i), Kind: org.UnitDirectorate, Relation: org.RelationOwn})
		if err != nil {
			b.Fatal(err)
		}
		pos := org.PositionExecution
		if i%3 == 0 {
			pos = org.PositionManagement
		}
		p, err := o.CreatePerson(ctx, sys, org.PersonInput{UnitID: u.ID, FullName: fmt.Sprintf("Membru Ștefănescu %d", i+1), Position: pos,
			Employment: org.EmploymentCivilServant, Active: true})
		if err != nil {
			b.Fatal(err)
		}
		people = append(people, p)
	}
	mgrUser, err := a.CreateUser(ctx, sys, auth.UserInput{Username: "bench", DisplayName: "Bench", Password: testPassword, Roles: []auth.Role{auth.RoleQualityManager}})
	if err != nil {
		b.Fatal(err)
	}
	mgr := auth.Actor{UserID: mgrUser.ID, Tenant: inst.ID, Name: "Bench", Roles: []auth.Role{auth.RoleQualityManager}}
	today := work.Day(clk.Now()).Format("2006-01-02")
	text := strings.Repeat("Procedura este aplicată și verificată trimestrial; rezultatele sunt discutate în ședința de conducere. ", 3)
	f := func(v float64) *float64 { return &v }
	run := func(c caf.Cycle, base float64, close bool) caf.Cycle {
		fire := func(action string) {
			var err error
			if c, err = svc.Fire(ctx, mgr, c.ID, action, c.Version, ""); err != nil {
				b.Fatal(action, err)
			}
		}
		fire(caf.ActStart)
		for i, p := range people {
			m := auth.Actor{Tenant: inst.ID, PersonID: p.ID, Name: p.FullName, Roles: []auth.Role{auth.RoleEmployee}}
			for j, sub := range cafResModel(c).Subs() {
				if _, err := svc.SaveAssessment(ctx, m, c.ID, caf.AssessmentInput{Sub: sub.Code, Evidence: text, Strengths: text, Improvements: text,
					Scores: caf.Scores{Score: f(base + float64((i*7+j*3)%30))}}); err != nil {
					b.Fatal(err)
				}
			}
			if err := svc.Submit(ctx, m, c.ID); err != nil {
				b.Fatal(err)
			}
		}
		fire(caf.ActConsensus)
		for j, sub := range cafResModel(c).Subs() {
			if _, err := svc.SaveConsensus(ctx, mgr, c.ID, caf.ConsensusInput{Sub: sub.Code, Scores: caf.Scores{Score: f(base + float64(j%20))}, AgreedOn: today,
				Strengths: text, Improvements: text}); err != nil {
				b.Fatal(err)
			}
		}
		fire(caf.ActImprove)
		if close {
			fire(caf.ActClose)
		}
		return c
	}
	prev, err := svc.CreateCycle(ctx, mgr, caf.CycleInput{Title: "Autoevaluarea CAF 2024", LeaderID: people[0].ID, CommPlan: text})
	if err != nil {
		b.Fatal(err)
	}
	for _, p := range people[1:] {
		if err := svc.AddMember(ctx, mgr, prev.ID, caf.MemberInput{PersonID: p.ID}); err != nil {
			b.Fatal(err)
		}
	}
	prev = run(prev, 30, true)
	cur, err := svc.NextCycle(ctx, mgr, prev.ID)
	if err != nil {
		b.Fatal(err)
	}
	cur = run(cur, 45, false)
	subs := cafResModel(cur).Subs()
	for i := range 40 {
		if _, err := svc.CreateAction(ctx, mgr, cur.ID, caf.ActionInput{Sub: subs[i%len(subs)].Code, Title: fmt.Sprintf("Acțiunea de îmbunătățire %d", i+1),
			Description: text, Impact: i%3 + 1, Ease: (i/3)%3 + 1, OwnerID: people[i%len(people)].ID, DueOn: "2027-06-30"}); err != nil {
			b.Fatal(err)
		}
	}
	if _, err := d.W.ExecContext(ctx, `ANALYZE`); err != nil {
		b.Fatal(err)
	}
	srv, err := New(Options{DB: d, Clock: clk, Version: "bench"})
	if err != nil {
		b.Fatal(err)
	}
	h := srv.Handler()
	get := benchGetter(h)
	base := fmt.Sprintf("/caf/%d", cur.ID)
	b.Run("results", func(b *testing.B) { benchtest.Measure(b, get(base+"/results")) })
	b.Run("plan", func(b *testing.B) { benchtest.Measure(b, get(base+"/plan")) })
	b.Run("report.pdf", func(b *testing.B) { benchtest.Measure(b, get(base+"/report.pdf")) })
}
