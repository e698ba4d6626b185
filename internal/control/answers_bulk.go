package control

import (
	"context"
	"database/sql"
	"time"

	"cadran/internal/apperr"
	"cadran/internal/audit"
	"cadran/internal/auth"
)

// SaveAnswersTx saves a compartment's answers to one standard inside tx,
// as SaveAnswers does (the same checks of the answers, the same rows and
// one audit event per changed answer, written through rec), for the
// generator of large institutions, which answers thousands of
// questionnaires in one transaction. The caller has checked that a may
// answer for the compartment and that its questionnaire is open: e and u
// are as read in tx.
func SaveAnswersTx(ctx context.Context, tx *sql.Tx, rec *audit.Recorder, a auth.Actor, e Evaluation, u EvalUnit, standard int, in []AnswerInput, now time.Time) error {
	if !e.Open() || u.State != UnitPending {
		return apperr.Conflict("control.error.eval_not_open")
	}
	st, ok := e.OSGG().Standard(standard)
	if !ok {
		return apperr.NotFound("control_standard")
	}
	inputs, err := validateAnswers(st, in)
	if err != nil {
		return err
	}
	before, err := evalAnswersOf(ctx, tx, a.Tenant, e.ID, u.UnitID, standard)
	if err != nil {
		return err
	}
	record := func(ev audit.Event) error { return rec.Record(ctx, now, ev) }
	for _, x := range inputs {
		if err := saveAnswer(ctx, tx, a, e, u, standard, before, x, now, record); err != nil {
			return err
		}
	}
	return nil
}
