package control_test

import (
	"database/sql"
	"fmt"
	"testing"

	"cadran/internal/benchtest"
	"cadran/internal/control"
	"cadran/internal/db"
	"cadran/internal/db/dbtest"
	"cadran/internal/org"
)

// evBench is a large municipality's evaluation: 60 compartments, each
// having answered every question of the 16 standards (yes, no and not
// applicable mixed so every status occurs).
func evBench(b *testing.B) (*env, control.Evaluation) {
	b.Helper()
	ctx := b.Context()
	e := newEnv(b, dbtest.Open(b, db.SQLite))
	for i := range 57 {
		evMust(e.org.CreateUnit(ctx, e.sysA, org.UnitInput{Name: fmt.Sprintf("Compartimentul %02d", i+1), Code: fmt.Sprintf("C%02d", i+1), Kind: "service", Relation: "own"}))(b)
	}
	ev := e.evOpen(b)
	if ev.Units != 60 {
		b.Fatalf("%d units", ev.Units)
	}
	units := evMust(e.svc.EvalUnits(ctx, e.qm, ev.ID))(b)
	now := e.clk.Now()
	evOK(b, e.d.Tx(ctx, func(tx *sql.Tx) error {
		for ui, u := range units {
			for _, std := range evModel().Standards() {
				for qi, q := range std.Questions {
					answer := []string{control.AnswerYes, control.AnswerYes, control.AnswerNo, control.AnswerNA}[(ui*std.Number+qi)%4]
					if ui%5 == 0 {
						answer = control.AnswerYes
					}
					if _, err := tx.ExecContext(ctx, `INSERT INTO control_answers (tenant_id, evaluation_id, unit_id, standard, question, answer, explanation, updated_at, updated_by)
						VALUES ($1, $2, $3, $4, $5, $6, '', $7, 'bench')`, e.sysA.Tenant, ev.ID, u.UnitID, std.Number, q.Code, answer, now); err != nil {
						return err
					}
				}
			}
		}
		return nil
	}))
	return e, ev
}

// BenchmarkSummary is the summary page's query: 60 compartments × every
// question answered.
func BenchmarkSummary(b *testing.B) {
	e, ev := evBench(b)
	want := 60 * evModel().Questions()
	if n := e.count(b, `SELECT COUNT(*) FROM control_answers WHERE evaluation_id = $1`, ev.ID); n != want {
		b.Fatalf("%d answers, want %d", n, want)
	}
	benchtest.Measure(b, func() error {
		s, err := e.svc.Summary(b.Context(), e.viewer, ev.ID)
		if err == nil && (s.Units != 60 || len(s.Standards()) != 16 || s.Standards()[0].Tally.Applicable()+s.Standards()[0].Tally.NotApplicable != 60) {
			err = fmt.Errorf("summary %+v", s.Standards()[0].Tally)
		}
		return err
	})
}

// BenchmarkQuestionnaire is one compartment's questionnaire in the same
// evaluation.
func BenchmarkQuestionnaire(b *testing.B) {
	e, ev := evBench(b)
	benchtest.Measure(b, func() error {
		q, err := e.svc.Questionnaire(b.Context(), e.head, ev.ID, e.econ)
		if err == nil && q.Unit.Answered != evModel().Questions() {
			err = fmt.Errorf("answered %d", q.Unit.Answered)
		}
		return err
	})
}
