package training_test

import (
	"fmt"
	"testing"
	"time"

	"cadran/internal/benchtest"
	"cadran/internal/db"
	"cadran/internal/db/dbtest"
	"cadran/internal/documents"
	"cadran/internal/training"
)

// indBenchWorld is a large institution's training on SQLite: 300 people
// hired through org, each with an induction plan of the policy, the
// manual, their directorate's procedure and two mandatory programmes
// (a third of them read everything, every tenth completed a programme);
// 20 sessions of 30 people through 2026 with completed enrolments and a
// certificate each; a target group of the 300 with the two programmes;
// three competences required of everyone, inspectors and directors, held
// by half the people.
func indBenchWorld(b *testing.B) *env {
	b.Helper()
	ctx := b.Context()
	e := newEnv(b, dbtest.Open(b, db.SQLite))
	A := e.qm.Tenant
	indInForce(b, e, documents.KindPolicy, "PC-01", "Politica în domeniul calității")
	indInForce(b, e, documents.KindManual, "MC-01", "Manualul calității")
	indInForce(b, e, documents.KindSystem, "PS-DE-01", "Procedura de încasare", e.econ)
	p1 := indProgramme(b, e, "P-IND-1", true, true)
	p2 := indProgramme(b, e, "P-IND-2", true, true)
	units := []int64{e.quality, e.econ, e.tax}
	var people []int64
	for i := range 300 {
		// Hired over the last 60 days, so some plans are overdue.
		e.clk.Set(t0.AddDate(0, 0, -60+i/5))
		people = append(people, indHire(b, e, units[i%3], fmt.Sprintf("Angajat %03d", i)))
	}
	e.clk.Set(t0)
	for i, p := range people {
		if i%3 == 0 {
			indExec(b, e, `UPDATE training_induction_items SET done_on = '2026-11-01' WHERE document_id IS NOT NULL AND induction_id = (SELECT id FROM training_inductions WHERE person_id = $1)`, p)
		}
	}
	group := indInsert(b, e, `INSERT INTO training_groups (tenant_id, code, name, created_at, updated_at) VALUES ($1, 'GT-MARE', 'Grupul mare', $2, $2)`, A, t0)
	indExec(b, e, `UPDATE training_programmes SET group_id = $1 WHERE tenant_id = $2`, group, A)
	for _, p := range people {
		indExec(b, e, `INSERT INTO training_group_members (tenant_id, group_id, person_id, category, joined_on, created_at, updated_at) VALUES ($1, $2, $3, 'execution', '2026-01-01', $4, $4)`,
			A, group, p, t0)
	}
	for s := range 20 {
		prog := p1.ID
		if s%2 == 1 {
			prog = p2.ID
		}
		day := time.Date(2026, time.Month(1+s/2), 10+s%2, 0, 0, 0, 0, time.UTC).Format(time.DateOnly)
		ss := indRawSession(b, e, A, prog, fmt.Sprintf("S-%02d", s), day, day, training.SessionClosed)
		for j := range 30 {
			p := people[(s*30+j)%len(people)]
			indRawEnrolment(b, e, A, ss, p, training.EnrolCompleted, 8, day)
			indRawCertificate(b, e, A, p, prog, day, "2028-01-01", false)
		}
	}
	comps := make([]int64, 3)
	for i := range comps {
		comps[i] = indMust(e.svc.CreateCompetence(ctx, e.qm, training.CompetenceInput{Code: fmt.Sprintf("C-%d", i), Name: fmt.Sprintf("Competența %d", i), Area: training.TopicQuality, Active: true}))(b).ID
	}
	indMust(e.svc.AddRequirement(ctx, e.qm, comps[0], training.RequirementInput{Kind: training.RequireEveryone, Level: 1}))(b)
	indMust(e.svc.AddRequirement(ctx, e.qm, comps[1], training.RequirementInput{Kind: training.RequireJob, Target: "Inspector", Level: 1}))(b)
	indMust(e.svc.AddRequirement(ctx, e.qm, comps[2], training.RequirementInput{Kind: training.RequireJob, Target: "Director executiv", Level: 2}))(b)
	for i, p := range people {
		if i%2 == 0 {
			indExec(b, e, `INSERT INTO training_person_competences (tenant_id, person_id, competence_id, level, source, acquired_on, created_at) VALUES ($1, $2, $3, 1, 'assessed', '2026-02-01', $4)`,
				A, p, comps[i%3/2], t0)
		}
	}
	if n := e.count(b, `SELECT COUNT(*) FROM training_inductions WHERE tenant_id = $1`, A); n != 300 {
		b.Fatalf("plans: %d", n)
	}
	return e
}

// BenchmarkInductionList is the induction list's first page of 300 plans,
// open ones by progress, and the overdue ones, as the quality manager
// sees them.
func BenchmarkInductionList(b *testing.B) {
	e := indBenchWorld(b)
	for _, tc := range []struct {
		name string
		f    training.InductionFilter
	}{
		{"open-by-progress", training.InductionFilter{State: training.InductionOpen, Sort: "progress"}},
		{"overdue-by-due", training.InductionFilter{Overdue: true}},
		{"unit-search", training.InductionFilter{UnitID: e.econ, Query: "angajat 1"}},
	} {
		b.Run(tc.name, func(b *testing.B) {
			benchtest.Measure(b, func() error {
				p, err := e.svc.Inductions(b.Context(), e.qm, tc.f)
				if err == nil && (p.Total == 0 || len(p.Items) == 0) {
					err = fmt.Errorf("empty page")
				}
				return err
			})
		})
	}
}

// BenchmarkTrainingMeasure is each metric over 2026, as the scorecard's
// refresh computes it.
func BenchmarkTrainingMeasure(b *testing.B) {
	e := indBenchWorld(b)
	from, to := indDay("2026-01-01"), indDay("2027-01-01")
	for _, key := range []string{training.MetricTrained, training.MetricCertified, training.MetricHoursPerPerson, training.MetricInductionOK,
		training.MetricCoverage, training.MetricGroupShare + "/GT-MARE"} {
		b.Run(key, func(b *testing.B) {
			benchtest.Measure(b, func() error {
				_, ok, err := e.svc.Measure(b.Context(), e.qm.Tenant, key, from, to)
				if err == nil && !ok {
					err = fmt.Errorf("%s: nothing measured", key)
				}
				return err
			})
		})
	}
}

// BenchmarkTrainingOverview is the module's front page for the quality
// manager on the same institution.
func BenchmarkTrainingOverview(b *testing.B) {
	e := indBenchWorld(b)
	benchtest.Measure(b, func() error {
		o, err := e.svc.Overview(b.Context(), e.qm, 2026)
		if err == nil && (o.Trained == 0 || o.InductionsOpen == 0 || len(o.Groups) != 1) {
			err = fmt.Errorf("overview %+v", o)
		}
		return err
	})
}
