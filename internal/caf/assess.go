package caf

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"cadran/internal/apperr"
	"cadran/internal/audit"
	"cadran/internal/auth"
	"cadran/internal/db"
	"cadran/internal/frameworks"
	"cadran/internal/textutil"
	"cadran/internal/work"
)

// Assessment is one member's assessment of one sub-criterion.
type Assessment struct {
	ID           int64
	CycleID      int64
	PersonID     int64
	PersonName   string // read
	Sub          string // "1.1"
	Evidence     string
	Strengths    string
	Improvements string
	Scores       Scores
	Score        *float64 // read: SubScore of Scores, nil until complete
	Updated      time.Time
	Version      int
}

// AssessmentInput saves one sub-criterion of the actor's own assessment.
type AssessmentInput struct {
	Sub          string
	Evidence     string
	Strengths    string
	Improvements string
	Scores       Scores
	Version      int
}

// errNotMember refuses what only a member of the group may do.
var errNotMember = &apperr.Error{Kind: apperr.KindForbidden, Key: "caf.error.not_member"}

// validText checks the three texts of an assessment or a consensus: form
// fields caf_evidence, caf_strengths, caf_improvements.
func validText(v apperr.Validation, evidence, strengths, improvements *string) {
	for name, t := range map[string]*string{"caf_evidence": evidence, "caf_strengths": strengths, "caf_improvements": improvements} {
		if t == nil {
			continue
		}
		*t = strings.TrimSpace(textutil.CleanText(*t))
		if utf8.RuneCountInString(*t) > MaxText {
			v.Add(name, "error.too_long")
		}
	}
}

const assessColumns = `x.id, x.cycle_id, x.person_id, COALESCE(p.full_name, ''), x.subcriterion, x.evidence, x.strengths, x.improvements,
	x.score, x.plan, x.do_score, x.check_score, x.act, x.trend, x.target, x.updated_at, x.version`

const assessFrom = ` FROM caf_assessments x LEFT JOIN people p ON p.id = x.person_id`

// scanAssessment reads a row; its Scores are normalised to c's panel and
// Score computed from them.
func scanAssessment(row interface{ Scan(...any) error }, c Cycle) (Assessment, error) {
	var x Assessment
	var sc Scores
	err := row.Scan(&x.ID, &x.CycleID, &x.PersonID, &x.PersonName, &x.Sub, &x.Evidence, &x.Strengths, &x.Improvements,
		&sc.Score, &sc.Plan, &sc.Do, &sc.Check, &sc.Act, &sc.Trend, &sc.Target, &x.Updated, &x.Version)
	if err != nil {
		return Assessment{}, err
	}
	en := c.CAF().IsEnabler(x.Sub)
	x.Scores = sc.Normalize(c.Panel, en)
	x.Score = SubScorePtr(c.Panel, en, x.Scores)
	return x, nil
}

// assessmentsOf reads the assessments of c, of one person when person is
// not 0.
func assessmentsOf(ctx context.Context, q querier, tenant int64, c Cycle, person int64) ([]Assessment, error) {
	query := `SELECT ` + assessColumns + assessFrom + ` WHERE x.tenant_id = $1 AND x.cycle_id = $2`
	args := []any{tenant, c.ID}
	if person != 0 {
		query += ` AND x.person_id = $3`
		args = append(args, person)
	}
	rows, err := q.QueryContext(ctx, query+` ORDER BY x.person_id, x.subcriterion`, args...)
	if err != nil {
		return nil, fmt.Errorf("cannot read CAF assessments: %w", err)
	}
	defer rows.Close()
	var out []Assessment
	for rows.Next() {
		x, err := scanAssessment(rows, c)
		if err != nil {
			return nil, fmt.Errorf("cannot read CAF assessments: %w", err)
		}
		out = append(out, x)
	}
	return out, rows.Err()
}

// MyAssessment lists the actor's own assessment of every sub-criterion of
// the cycle's model (empty ones for those not started).
func (s *Service) MyAssessment(ctx context.Context, a auth.Actor, cycleID int64) ([]Assessment, error) {
	c, err := s.Cycle(ctx, a, cycleID)
	if err != nil {
		return nil, err
	}
	if _, ok, err := member(ctx, s.DB.R, a.Tenant, c, a.PersonID); err != nil {
		return nil, err
	} else if !ok {
		return nil, errNotMember
	}
	saved, err := assessmentsOf(ctx, s.DB.R, a.Tenant, c, a.PersonID)
	if err != nil {
		return nil, err
	}
	bySub := make(map[string]Assessment, len(saved))
	for _, x := range saved {
		bySub[x.Sub] = x
	}
	subs := c.CAF().Subs()
	out := make([]Assessment, 0, len(subs))
	for _, sub := range subs {
		x, ok := bySub[sub.Code]
		if !ok {
			x = Assessment{CycleID: c.ID, PersonID: a.PersonID, PersonName: a.Name, Sub: sub.Code}
		}
		out = append(out, x)
	}
	return out, nil
}

// SaveAssessment saves one sub-criterion of the actor's own assessment; only
// a member, only while the cycle is assessing and before they submit. The
// numbers may be saved one at a time; the score follows once the panel has
// them all.
func (s *Service) SaveAssessment(ctx context.Context, a auth.Actor, cycleID int64, in AssessmentInput) (Assessment, error) {
	if err := a.Require(auth.PermCAFView); err != nil {
		return Assessment{}, err
	}
	now := s.Clock.Now()
	var out Assessment
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		var err error
		out, err = saveAssessment(ctx, tx, a, cycleID, in, now, func(ev audit.Event) error { return audit.Record(ctx, tx, now, ev) })
		return err
	})
	return out, err
}

// assessable reads a cycle and the actor's membership for a change to
// their assessment: only a member, only while the cycle is assessing and
// before they submit.
func assessable(ctx context.Context, tx *sql.Tx, a auth.Actor, cycleID int64) (Cycle, Member, error) {
	c, err := getCycle(ctx, tx, a.Tenant, cycleID)
	if err != nil {
		return c, Member{}, err
	}
	m, ok, err := member(ctx, tx, a.Tenant, c, a.PersonID)
	if err != nil {
		return c, m, err
	}
	if !ok {
		return c, m, errNotMember
	}
	if c.State != StateAssessing {
		return c, m, apperr.Conflict("caf.error.not_assessing")
	}
	if m.SubmittedAt != nil {
		return c, m, apperr.Conflict("caf.error.submitted")
	}
	return c, m, nil
}

// saveAssessment is SaveAssessment inside tx, auditing through record.
func saveAssessment(ctx context.Context, tx *sql.Tx, a auth.Actor, cycleID int64, in AssessmentInput, now time.Time, record func(audit.Event) error) (Assessment, error) {
	c, m, err := assessable(ctx, tx, a, cycleID)
	if err != nil {
		return Assessment{}, err
	}
	return writeAssessment(ctx, tx, a, c, m, in, now, record)
}

// checkAssessment checks one sub-criterion's assessment for cycle c of
// model, trims its texts, and returns its scores as stored and the
// sub-criterion's score.
func checkAssessment(c Cycle, model frameworks.CAF, in *AssessmentInput) (Scores, *float64, error) {
	if _, ok := model.Sub(in.Sub); !ok {
		return Scores{}, nil, apperr.Validation{"caf_sub": "error.choice"}
	}
	en := model.IsEnabler(in.Sub)
	v := in.Scores.Validate(c.Panel, en, false)
	validText(v, &in.Evidence, &in.Strengths, &in.Improvements)
	if err := v.Err(); err != nil {
		return Scores{}, nil, err
	}
	sc := in.Scores.Normalize(c.Panel, en)
	return sc, SubScorePtr(c.Panel, en, sc), nil
}

// writeAssessment saves one sub-criterion of member m's assessment of
// cycle c, read by assessable.
func writeAssessment(ctx context.Context, tx *sql.Tx, a auth.Actor, c Cycle, m Member, in AssessmentInput, now time.Time, record func(audit.Event) error) (Assessment, error) {
	cycleID := c.ID
	var out Assessment
	err := func() error {
		sc, score, err := checkAssessment(c, c.CAF(), &in)
		if err != nil {
			return err
		}
		before, err := scanAssessment(tx.QueryRowContext(ctx, `SELECT `+assessColumns+assessFrom+`
			WHERE x.tenant_id = $1 AND x.cycle_id = $2 AND x.person_id = $3 AND x.subcriterion = $4`, a.Tenant, cycleID, a.PersonID, in.Sub), c)
		var id int64
		switch {
		case errors.Is(err, sql.ErrNoRows):
			err = tx.QueryRowContext(ctx, `INSERT INTO caf_assessments (tenant_id, cycle_id, person_id, subcriterion, evidence, strengths, improvements,
					score, plan, do_score, check_score, act, trend, target, updated_at)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) RETURNING id`,
				a.Tenant, cycleID, a.PersonID, in.Sub, in.Evidence, in.Strengths, in.Improvements,
				score, sc.Plan, sc.Do, sc.Check, sc.Act, sc.Trend, sc.Target, now).Scan(&id)
			if db.IsUniqueViolation(err) {
				return apperr.Stale()
			}
			if err != nil {
				return fmt.Errorf("cannot record CAF assessment: %w", err)
			}
		case err != nil:
			return fmt.Errorf("cannot read CAF assessment: %w", err)
		default:
			if before.Version != in.Version {
				return apperr.Stale()
			}
			id = before.ID
			res, err := tx.ExecContext(ctx, `UPDATE caf_assessments SET evidence = $1, strengths = $2, improvements = $3, score = $4, plan = $5, do_score = $6,
					check_score = $7, act = $8, trend = $9, target = $10, updated_at = $11, version = version + 1
				WHERE tenant_id = $12 AND id = $13 AND version = $14`,
				in.Evidence, in.Strengths, in.Improvements, score, sc.Plan, sc.Do, sc.Check, sc.Act, sc.Trend, sc.Target, now, a.Tenant, id, in.Version)
			if err != nil {
				return fmt.Errorf("cannot record CAF assessment: %w", err)
			}
			if n, _ := res.RowsAffected(); n == 0 {
				return apperr.Stale()
			}
		}
		out, err = scanAssessment(tx.QueryRowContext(ctx, `SELECT `+assessColumns+assessFrom+` WHERE x.tenant_id = $1 AND x.id = $2`, a.Tenant, id), c)
		if err != nil {
			return fmt.Errorf("cannot read CAF assessment: %w", err)
		}
		ev := audit.Event{Tenant: a.Tenant, Actor: a.Audit(), Action: audit.ActionCreate, Entity: EntityAssessment, EntityID: id,
			Summary: c.Code + " " + in.Sub + ": " + m.Name, After: out}
		if before.ID != 0 {
			ev.Action, ev.Before = audit.ActionUpdate, before
		}
		return record(ev)
	}()
	return out, err
}

// Submit hands in the actor's assessment (every sub-criterion scored); it
// cannot be changed afterwards, and their task closes. When sub-criteria are
// missing the error (invalid, key caf.error.incomplete) names them in its
// Args: Subs ("1.1, 4.3") and Count.
func (s *Service) Submit(ctx context.Context, a auth.Actor, cycleID int64) error {
	if err := a.Require(auth.PermCAFView); err != nil {
		return err
	}
	now := s.Clock.Now()
	return s.DB.Tx(ctx, func(tx *sql.Tx) error {
		c, err := getCycle(ctx, tx, a.Tenant, cycleID)
		if err != nil {
			return err
		}
		m, ok, err := member(ctx, tx, a.Tenant, c, a.PersonID)
		if err != nil {
			return err
		}
		if !ok {
			return errNotMember
		}
		if c.State != StateAssessing {
			return apperr.Conflict("caf.error.not_assessing")
		}
		if m.SubmittedAt != nil {
			return apperr.Conflict("caf.error.submitted")
		}
		saved, err := assessmentsOf(ctx, tx, a.Tenant, c, a.PersonID)
		if err != nil {
			return err
		}
		done := map[string]bool{}
		for _, x := range saved {
			done[x.Sub] = x.Score != nil
		}
		var missing []string
		for _, sub := range c.CAF().Subs() {
			if !done[sub.Code] {
				missing = append(missing, sub.Code)
			}
		}
		if len(missing) > 0 {
			return &apperr.Error{Kind: apperr.KindInvalid, Key: "caf.error.incomplete",
				Args: map[string]any{"Subs": strings.Join(missing, ", "), "Count": len(missing)}}
		}
		res, err := tx.ExecContext(ctx, `UPDATE caf_members SET submitted_at = $1 WHERE tenant_id = $2 AND cycle_id = $3 AND person_id = $4 AND submitted_at IS NULL`,
			now, a.Tenant, cycleID, a.PersonID)
		if err != nil {
			return fmt.Errorf("cannot submit CAF assessment: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return apperr.Conflict("caf.error.submitted")
		}
		if _, err := s.Work.Close(ctx, tx, a, work.Selector{Ref: cycleRef(cycleID), Kind: work.KindAct, PersonID: a.PersonID}, work.StateDone); err != nil {
			return err
		}
		return audit.Record(ctx, tx, now, audit.Event{Tenant: a.Tenant, Actor: a.Audit(), Action: audit.ActionComplete, Entity: EntityMember, EntityID: a.PersonID,
			Summary: c.Code + ": " + m.Name, Before: m, After: map[string]any{"submitted_at": now, "scored": len(saved)}})
	})
}
