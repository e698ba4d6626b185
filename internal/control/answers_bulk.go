package control

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"time"

	"cadran/internal/apperr"
	"cadran/internal/audit"
	"cadran/internal/auth"
	"cadran/internal/db"
)

// StandardAnswerInputs are the answers a compartment gives to one standard.
type StandardAnswerInputs struct {
	Standard int
	Answers  []AnswerInput
}

// SaveAnswersTx saves a compartment's answers to several standards inside
// tx, each as SaveAnswers saves it (the same checks of the answers, the
// same rows and one audit event per changed answer, written through rec),
// for the generator of large institutions, which answers thousands of
// questionnaires: the compartment's answers are read once, its new answers
// go in multi-row INSERTs, and the events go through any appender, such as
// an audit.Batch, which holds them for multi-row INSERTs. A changed or
// cleared answer goes through saveAnswer. The caller has checked that a
// may answer for the compartment and that its questionnaire is open: e and
// u are as read in tx.
func SaveAnswersTx(ctx context.Context, tx *sql.Tx, rec audit.Appender, a auth.Actor, e Evaluation, u EvalUnit, in []StandardAnswerInputs, now time.Time) error {
	if !e.Open() || u.State != UnitPending {
		return apperr.Conflict("control.error.eval_not_open")
	}
	before, err := evalAnswersOf(ctx, tx, a.Tenant, e.ID, u.UnitID, 0)
	if err != nil {
		return err
	}
	record := func(ev audit.Event) error { return rec.Record(ctx, now, ev) }
	type fresh struct {
		standard int
		x        AnswerInput
	}
	var rows []fresh
	for _, sa := range in {
		st, ok := e.OSGG().Standard(sa.Standard)
		if !ok {
			return apperr.NotFound("control_standard")
		}
		inputs, err := validateAnswers(st, sa.Answers)
		if err != nil {
			return err
		}
		for _, x := range inputs {
			if _, had := before[x.Question]; had || x.Answer == "" {
				if err := saveAnswer(ctx, tx, a, e, u, sa.Standard, before, x, now, record); err != nil {
					return err
				}
				continue
			}
			rows = append(rows, fresh{sa.Standard, x})
		}
	}
	const cols = 9
	for from := 0; from < len(rows); from += 3000 / cols {
		part := rows[from:min(from+3000/cols, len(rows))]
		q := `INSERT INTO control_answers (tenant_id, evaluation_id, unit_id, standard, question, answer, explanation, updated_at, updated_by) VALUES ` +
			db.Values(len(part), cols)
		args := make([]any, 0, cols*len(part))
		for _, r := range part {
			args = append(args, a.Tenant, e.ID, u.UnitID, r.standard, r.x.Question, r.x.Answer, r.x.Explanation, now, a.Name)
		}
		if _, err := tx.ExecContext(ctx, q, args...); err != nil {
			if db.IsUniqueViolation(err) {
				return apperr.Stale()
			}
			return fmt.Errorf("cannot save control answer: %w", err)
		}
		for _, r := range part {
			// The event saveAnswer writes for a new answer.
			if err := record(audit.Event{Tenant: a.Tenant, Actor: a.Audit(), Entity: EntityAnswer, EntityID: e.ID,
				Summary: strconv.Itoa(e.Year) + " · " + u.UnitName + " · " + r.x.Question,
				Action:  audit.ActionCreate, After: answerLogged{u.UnitID, r.x.Question, r.x.Answer, r.x.Explanation}}); err != nil {
				return err
			}
		}
	}
	return nil
}

// answerLogged is what the audit trail keeps of an answer.
type answerLogged struct {
	UnitID      int64  `json:"unit_id"`
	Question    string `json:"question"`
	Answer      string `json:"answer"`
	Explanation string `json:"explanation"`
}
