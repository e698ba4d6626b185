package caf

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"cadran/internal/apperr"
	"cadran/internal/audit"
	"cadran/internal/auth"
	"cadran/internal/db"
)

// SaveAssessmentsTx saves many sub-criteria of the actor's own assessment
// inside tx, each exactly as SaveAssessment saves it (the same checks, rows
// and audit event, written through rec, which may be an audit.Batch), for
// the generator of large institutions. When none of the sub-criteria has
// an assessment yet (a member's first sitting) they are read, written and
// read back in three statements instead of three per sub-criterion;
// otherwise each goes through writeAssessment.
func SaveAssessmentsTx(ctx context.Context, tx *sql.Tx, rec audit.Appender, a auth.Actor, cycleID int64, ins []AssessmentInput, now time.Time) error {
	if err := a.Require(auth.PermCAFView); err != nil {
		return err
	}
	c, m, err := assessable(ctx, tx, a, cycleID)
	if err != nil {
		return err
	}
	record := func(ev audit.Event) error { return rec.Record(ctx, now, ev) }
	mine, err := assessmentsBySub(ctx, tx, a, c)
	if err != nil {
		return err
	}
	fresh := len(mine) == 0
	seen := map[string]bool{}
	for _, in := range ins {
		if seen[in.Sub] {
			fresh = false
		}
		seen[in.Sub] = true
	}
	if !fresh || len(ins) == 0 {
		for _, in := range ins {
			if _, err := writeAssessment(ctx, tx, a, c, m, in, now, record); err != nil {
				return err
			}
		}
		return nil
	}
	model := c.CAF()
	var q strings.Builder
	q.WriteString(`INSERT INTO caf_assessments (tenant_id, cycle_id, person_id, subcriterion, evidence, strengths, improvements,
			score, plan, do_score, check_score, act, trend, target, updated_at) VALUES `)
	const cols = 15
	args := make([]any, 0, cols*len(ins))
	for _, in := range ins {
		sc, score, err := checkAssessment(c, model, &in)
		if err != nil {
			return err
		}
		args = append(args, a.Tenant, c.ID, a.PersonID, in.Sub, in.Evidence, in.Strengths, in.Improvements,
			score, sc.Plan, sc.Do, sc.Check, sc.Act, sc.Trend, sc.Target, now)
	}
	q.WriteString(db.Values(len(ins), cols))
	if _, err := tx.ExecContext(ctx, q.String(), args...); err != nil {
		if db.IsUniqueViolation(err) {
			return apperr.Stale()
		}
		return fmt.Errorf("cannot record CAF assessment: %w", err)
	}
	// Read back, as writeAssessment audits the row as stored.
	if mine, err = assessmentsBySub(ctx, tx, a, c); err != nil {
		return err
	}
	for _, in := range ins {
		out, ok := mine[in.Sub]
		if !ok {
			return fmt.Errorf("cannot read CAF assessment %s", in.Sub)
		}
		if err := record(audit.Event{Tenant: a.Tenant, Actor: a.Audit(), Action: audit.ActionCreate, Entity: EntityAssessment, EntityID: out.ID,
			Summary: c.Code + " " + in.Sub + ": " + m.Name, After: out}); err != nil {
			return err
		}
	}
	return nil
}

// assessmentsBySub reads the actor's assessment of cycle c, by
// sub-criterion.
func assessmentsBySub(ctx context.Context, tx *sql.Tx, a auth.Actor, c Cycle) (map[string]Assessment, error) {
	list, err := assessmentsOf(ctx, tx, a.Tenant, c, a.PersonID)
	if err != nil {
		return nil, err
	}
	out := make(map[string]Assessment, len(list))
	for _, x := range list {
		out[x.Sub] = x
	}
	return out, nil
}
