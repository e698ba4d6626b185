package web

import (
	"context"
	"fmt"
	"testing"

	"cadran/internal/auth"
	"cadran/internal/benchtest"
	"cadran/internal/control"
	"cadran/internal/db"
	"cadran/internal/db/dbtest"
	"cadran/internal/frameworks"
	"cadran/internal/org"
)

// BenchmarkControlEval measures, through the whole handler chain on SQLite
// and read by the quality manager, a self-evaluation of 60 compartments
// that answered every question (yes, no with an explanation, or not
// applicable, varied by compartment and question), with evidence on every
// standard of one compartment:
//
//   - summary: GET /control/evaluations/{id}/summary, every answer tallied;
//
//   - questionnaire: GET .../units/{cuid}, one compartment's 16 forms;
//
//   - evaluation: the evaluation's page with its 60 compartments;
//
//   - overview: GET /control, the latest evaluation with its grade;
//
//   - summary.pdf and report.pdf.
//
//     go test ./internal/web/ -run '^$' -bench BenchmarkControlEval -benchtime 200x
func BenchmarkControlEval(b *testing.B) {
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
	if _, err := as.CreateUser(ctx, sys, auth.UserInput{Username: "bench", DisplayName: "Bench", Password: testPassword, Roles: []auth.Role{auth.RoleQualityManager}}); err != nil {
		b.Fatal(err)
	}
	srv, err := New(Options{DB: d, Clock: clk, Version: "bench"})
	if err != nil {
		b.Fatal(err)
	}
	svc := srv.control
	year := clk.Now().Year()
	ev, err := svc.OpenEvaluation(ctx, sys, control.EvaluationInput{Year: year, Units: units})
	if err != nil {
		b.Fatal(err)
	}
	m, _ := frameworks.OSGGModel(frameworks.OSGGLatest)
	for i, u := range units {
		for _, st := range m.Standards() {
			var in []control.AnswerInput
			for j, q := range st.Questions {
				a := control.AnswerInput{Question: q.Code, Answer: control.AnswerYes}
				switch (i + j + st.Number) % 7 {
				case 0:
					a.Answer, a.Explanation = control.AnswerNo, "Procedura nu este încă actualizată; termen trimestrul I."
				case 1:
					a.Answer = control.AnswerNA
				}
				in = append(in, a)
			}
			if err := svc.SaveAnswers(ctx, sys, ev.ID, u, st.Number, in); err != nil {
				b.Fatal(err)
			}
			if i == 0 {
				for k := range 2 {
					if _, err := svc.AddEvidence(ctx, sys, ev.ID, u, control.EvidenceInput{Standard: st.Number, Kind: control.EvidenceNote,
						Title: fmt.Sprintf("Dovada %d pentru standardul %d", k+1, st.Number), Notes: "Registrul de evidență"}); err != nil {
						b.Fatal(err)
					}
				}
			}
		}
	}
	get := benchGetter(srv.Handler())
	base := fmt.Sprintf("/control/evaluations/%d", ev.ID)
	b.Run("summary", func(b *testing.B) { benchtest.Measure(b, get(base+"/summary")) })
	b.Run("questionnaire", func(b *testing.B) { benchtest.Measure(b, get(fmt.Sprintf("%s/units/%d", base, units[0]))) })
	b.Run("evaluation", func(b *testing.B) { benchtest.Measure(b, get(base)) })
	b.Run("overview", func(b *testing.B) { benchtest.Measure(b, get("/control")) })
	b.Run("summary.pdf", func(b *testing.B) { benchtest.Measure(b, get(base+"/summary.pdf")) })
	b.Run("report.pdf", func(b *testing.B) { benchtest.Measure(b, get(base+"/report.pdf")) })
}
