package control_test

import (
	"testing"

	"cadran/internal/apperr"
	"cadran/internal/control"
)

// TestEvalGradeFrozen: a consolidated evaluation keeps the thresholds it was
// graded with when the settings change later; reopening it lets the
// settings apply again. The metrics grade it the same way.
func TestEvalGradeFrozen(t *testing.T) {
	run(t, func(t *testing.T, e *env) {
		ctx := t.Context()
		ev := e.evOpen(t)
		// 14 standards implemented: 1 and 2 partially in the tax service.
		e.evAnswerAll(t, e.qm, ev.ID, e.quality, nil)
		e.evAnswerAll(t, e.head, ev.ID, e.econ, nil)
		e.evAnswerAll(t, e.head, ev.ID, e.tax, map[int]string{1: evMixed, 2: evMixed})
		for _, u := range []int64{e.quality, e.econ, e.tax} {
			evOK(t, e.svc.SubmitUnit(ctx, e.qm, ev.ID, u))
		}
		ev = evMust(e.svc.Evaluation(ctx, e.qm, ev.ID))(t)
		ev = evMust(e.svc.MoveEvaluation(ctx, e.qm, ev.ID, control.Transition{To: control.EvalConsolidated, Version: ev.Version}))(t)
		if ev.ConformMin != 16 || ev.PartialMin != 13 {
			t.Fatalf("frozen thresholds %d/%d, want 16/13", ev.ConformMin, ev.PartialMin)
		}
		grade := func() string {
			t.Helper()
			s := evMust(e.svc.Summary(ctx, e.qm, ev.ID))(t)
			if s.Implemented != 14 {
				t.Fatalf("implemented %d, want 14", s.Implemented)
			}
			return s.Grade
		}
		if g := grade(); g != control.GradePartial {
			t.Fatalf("grade %q", g)
		}
		st := evMust(e.svc.Settings(ctx, e.qm))(t)
		st.ConformMin, st.PartialMin = 14, 10
		evMust(e.svc.SaveSettings(ctx, e.qm, st))(t)
		if g := grade(); g != control.GradePartial {
			t.Fatalf("the settings regraded a consolidated evaluation: %q", g)
		}
		// Reopened, today's settings grade it.
		ev = evMust(e.svc.MoveEvaluation(ctx, e.qm, ev.ID, control.Transition{To: control.EvalOpen, Version: ev.Version}))(t)
		if ev.ConformMin != 0 {
			t.Fatalf("reopened evaluation kept thresholds %d", ev.ConformMin)
		}
		if g := grade(); g != control.GradeConform {
			t.Fatalf("reopened grade %q, want conform under 14/10", g)
		}
	})
}

// TestEvalAnswersStale: a standard's form carries the token of the answers
// it showed; once someone else saved that standard, the form's save is
// refused as stale and nothing of the other person's answers is lost.
func TestEvalAnswersStale(t *testing.T) {
	run(t, func(t *testing.T, e *env) {
		ctx := t.Context()
		ev := e.evOpen(t)
		std, _ := evModel().Standard(9)
		q := evMust(e.svc.Questionnaire(ctx, e.head, ev.ID, e.tax))(t)
		token := q.Standards[8].Token()
		if q.Standards[8].Standard.Number != 9 {
			t.Fatalf("standard %d at index 8", q.Standards[8].Standard.Number)
		}
		// The quality manager answers first.
		evOK(t, e.svc.SaveAnswersAt(ctx, e.qm, ev.ID, e.tax, 9, token, evInputs(std, evAllYes)))
		// The head's form, read before, is refused.
		err := e.svc.SaveAnswersAt(ctx, e.head, ev.ID, e.tax, 9, token, evInputs(std, evAllNo))
		evKey(t, err, apperr.KindConflict, "error.stale")
		q = evMust(e.svc.Questionnaire(ctx, e.head, ev.ID, e.tax))(t)
		if s := q.Standards[8].Status; s != control.StatusImplemented {
			t.Fatalf("the quality manager's answers were overwritten: %s", s)
		}
		// Read again, the head's save goes through.
		evOK(t, e.svc.SaveAnswersAt(ctx, e.head, ev.ID, e.tax, 9, q.Standards[8].Token(), evInputs(std, evAllNo)))
		q = evMust(e.svc.Questionnaire(ctx, e.head, ev.ID, e.tax))(t)
		if s := q.Standards[8].Status; s != control.StatusNotImplemented {
			t.Fatalf("status %s after the head's save", s)
		}
	})
}
