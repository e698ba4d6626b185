package caf

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"cadran/internal/apperr"
	"cadran/internal/audit"
	"cadran/internal/auth"
	"cadran/internal/db"
	"cadran/internal/work"
)

// MemberScore is one member's assessment of a sub-criterion as the
// consensus view shows it. Hidden is true when the reader may not see it yet
// (the member, or the reader, has not submitted).
type MemberScore struct {
	PersonID     int64
	Name         string
	Submitted    bool
	Hidden       bool
	Scores       Scores
	Score        *float64
	Evidence     string
	Strengths    string
	Improvements string
}

// Consensus is the group's agreed assessment of a sub-criterion.
type Consensus struct {
	Sub          string
	Scores       Scores
	Score        *float64 // SubScore of Scores
	Strengths    string
	Improvements string
	AgreedOn     string
	RecordedBy   string
	Version      int
}

// ConsensusInput records the consensus of a sub-criterion.
type ConsensusInput struct {
	Sub          string
	Scores       Scores
	Strengths    string
	Improvements string
	AgreedOn     string
	Version      int
}

// SubView is a sub-criterion in the consensus view: every member's score
// side by side, their mean and spread, and the consensus.
type SubView struct {
	Sub       string
	Enabler   bool
	Members   []MemberScore
	Mean      *float64 // of the visible, complete member scores
	Min, Max  *float64
	Spread    float64
	Wide      bool // Spread >= WideSpread
	Consensus *Consensus
}

// Visible reports whether reader may see member m's individual assessment
// of cycle c. The rule (issue 8: members cannot see each other's scores
// until they submit):
//
//   - one's own assessment is always visible to oneself, submitted or not;
//   - someone else's is visible only once they have submitted it, and then
//   - to a member of the group who has submitted their own;
//   - to a manager or the project leader who is not a member scoring
//     themselves (a member, the leader included, waits for their own
//     submission like everyone else);
//   - to every reader once the individual phase is over (consensus,
//     improving, closed): nothing can change any more and the consensus
//     meeting discusses them.
//
// An assessment never submitted stays hidden from everyone but its author.
func Visible(a auth.Actor, c Cycle, reader *Member, m Member) bool {
	if a.PersonID != 0 && a.PersonID == m.PersonID {
		return true
	}
	if m.SubmittedAt == nil {
		return false
	}
	switch c.State {
	case StateConsensus, StateImproving, StateClosed:
		return true
	}
	if reader != nil {
		return reader.SubmittedAt != nil
	}
	return MayManage(a, c)
}

// board builds the consensus view of c's sub-criteria (all of them, or
// only one when sub is given).
func board(ctx context.Context, q querier, a auth.Actor, c Cycle, sub string) ([]SubView, error) {
	members, err := membersOf(ctx, q, a.Tenant, c)
	if err != nil {
		return nil, err
	}
	var reader *Member
	for i := range members {
		if a.PersonID != 0 && members[i].PersonID == a.PersonID {
			reader = &members[i]
		}
	}
	xs, err := assessmentsOf(ctx, q, a.Tenant, c, 0)
	if err != nil {
		return nil, err
	}
	type key struct {
		person int64
		sub    string
	}
	byKey := make(map[key]Assessment, len(xs))
	for _, x := range xs {
		byKey[key{x.PersonID, x.Sub}] = x
	}
	cons, err := consensusOf(ctx, q, a.Tenant, c)
	if err != nil {
		return nil, err
	}
	visible := make([]bool, len(members))
	for i, m := range members {
		visible[i] = Visible(a, c, reader, m)
	}
	model := c.CAF()
	var out []SubView
	for _, s := range model.Subs() {
		if sub != "" && s.Code != sub {
			continue
		}
		v := SubView{Sub: s.Code, Enabler: model.IsEnabler(s.Code), Members: make([]MemberScore, 0, len(members))}
		var scores []*float64
		for i, m := range members {
			ms := MemberScore{PersonID: m.PersonID, Name: m.Name, Submitted: m.SubmittedAt != nil, Hidden: !visible[i]}
			if x, ok := byKey[key{m.PersonID, s.Code}]; ok && visible[i] {
				ms.Scores, ms.Score = x.Scores, x.Score
				ms.Evidence, ms.Strengths, ms.Improvements = x.Evidence, x.Strengths, x.Improvements
				if x.Score != nil {
					scores = append(scores, x.Score)
				}
			}
			v.Members = append(v.Members, ms)
		}
		v.Mean = MeanPtr(scores)
		if lo, hi, ok := MinMax(scores); ok {
			v.Min, v.Max = &lo, &hi
		}
		v.Spread = Spread(scores)
		v.Wide = len(scores) > 1 && v.Spread >= WideSpread
		if x, ok := cons[s.Code]; ok {
			v.Consensus = &x
		}
		out = append(out, v)
	}
	return out, nil
}

// Board is the consensus view of every sub-criterion of a cycle.
func (s *Service) Board(ctx context.Context, a auth.Actor, cycleID int64) ([]SubView, error) {
	c, err := s.Cycle(ctx, a, cycleID)
	if err != nil {
		return nil, err
	}
	return board(ctx, s.DB.R, a, c, "")
}

// SubBoard is the consensus view of one sub-criterion.
func (s *Service) SubBoard(ctx context.Context, a auth.Actor, cycleID int64, sub string) (SubView, error) {
	c, err := s.Cycle(ctx, a, cycleID)
	if err != nil {
		return SubView{}, err
	}
	if _, ok := c.CAF().Sub(sub); !ok {
		return SubView{}, apperr.NotFound("caf_subcriterion")
	}
	vs, err := board(ctx, s.DB.R, a, c, sub)
	if err != nil {
		return SubView{}, err
	}
	return vs[0], nil
}

const consensusColumns = `subcriterion, score, plan, do_score, check_score, act, trend, target, strengths, improvements, agreed_on, recorded_by, version`

func scanConsensus(row interface{ Scan(...any) error }, c Cycle) (Consensus, error) {
	var x Consensus
	var sc Scores
	if err := row.Scan(&x.Sub, &sc.Score, &sc.Plan, &sc.Do, &sc.Check, &sc.Act, &sc.Trend, &sc.Target, &x.Strengths, &x.Improvements,
		&x.AgreedOn, &x.RecordedBy, &x.Version); err != nil {
		return Consensus{}, err
	}
	en := c.CAF().IsEnabler(x.Sub)
	x.Scores = sc.Normalize(c.Panel, en)
	x.Score = SubScorePtr(c.Panel, en, x.Scores)
	return x, nil
}

// consensusOf reads c's consensus by sub-criterion.
func consensusOf(ctx context.Context, q querier, tenant int64, c Cycle) (map[string]Consensus, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+consensusColumns+` FROM caf_consensus WHERE tenant_id = $1 AND cycle_id = $2`, tenant, c.ID)
	if err != nil {
		return nil, fmt.Errorf("cannot read CAF consensus: %w", err)
	}
	defer rows.Close()
	out := map[string]Consensus{}
	for rows.Next() {
		x, err := scanConsensus(rows, c)
		if err != nil {
			return nil, fmt.Errorf("cannot read CAF consensus: %w", err)
		}
		out[x.Sub] = x
	}
	return out, rows.Err()
}

// SaveConsensus records a sub-criterion's consensus (managers or the
// leader, while the cycle is in consensus, or improving to correct one).
// Every number the panel asks for is needed, and the meeting's date
// (caf_agreed_on), not in the future.
func (s *Service) SaveConsensus(ctx context.Context, a auth.Actor, cycleID int64, in ConsensusInput) (Consensus, error) {
	now := s.Clock.Now()
	var out Consensus
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		var err error
		out, err = saveConsensus(ctx, tx, a, cycleID, in, now, func(ev audit.Event) error { return audit.Record(ctx, tx, now, ev) })
		return err
	})
	return out, err
}

// SaveConsensusTx records the consensus of many sub-criteria agreed in one
// meeting inside tx, each exactly as SaveConsensus records it (the same
// checks, rows and audit event, written through rec), for the generator of
// large institutions (rec may be an audit.Batch, which holds the events
// for multi-row INSERTs).
func SaveConsensusTx(ctx context.Context, tx *sql.Tx, rec audit.Appender, a auth.Actor, cycleID int64, ins []ConsensusInput, now time.Time) error {
	for _, in := range ins {
		if _, err := saveConsensus(ctx, tx, a, cycleID, in, now, func(ev audit.Event) error { return rec.Record(ctx, now, ev) }); err != nil {
			return err
		}
	}
	return nil
}

// saveConsensus is SaveConsensus inside tx, auditing through record.
func saveConsensus(ctx context.Context, tx *sql.Tx, a auth.Actor, cycleID int64, in ConsensusInput, now time.Time, record func(audit.Event) error) (Consensus, error) {
	var out Consensus
	err := func() error {
		c, err := manageable(ctx, tx, a, cycleID)
		if err != nil {
			return err
		}
		if c.State != StateConsensus && c.State != StateImproving {
			return apperr.Conflict("caf.error.not_consensus")
		}
		model := c.CAF()
		if _, ok := model.Sub(in.Sub); !ok {
			return apperr.Validation{"caf_sub": "error.choice"}
		}
		en := model.IsEnabler(in.Sub)
		v := in.Scores.Validate(c.Panel, en, true)
		validText(v, nil, &in.Strengths, &in.Improvements)
		in.AgreedOn = strings.TrimSpace(in.AgreedOn)
		if in.AgreedOn == "" {
			v.Add("caf_agreed_on", "error.required")
		} else if d, ok := parseDay(in.AgreedOn); !ok {
			v.Add("caf_agreed_on", "error.date")
		} else if d.After(work.Day(now)) {
			v.Add("caf_agreed_on", "caf.error.future")
		}
		if err := v.Err(); err != nil {
			return err
		}
		sc := in.Scores.Normalize(c.Panel, en)
		score := SubScorePtr(c.Panel, en, sc)
		before, err := scanConsensus(tx.QueryRowContext(ctx, `SELECT `+consensusColumns+` FROM caf_consensus WHERE tenant_id = $1 AND cycle_id = $2 AND subcriterion = $3`,
			a.Tenant, cycleID, in.Sub), c)
		exists := err == nil
		switch {
		case errors.Is(err, sql.ErrNoRows):
			_, err = tx.ExecContext(ctx, `INSERT INTO caf_consensus (tenant_id, cycle_id, subcriterion, score, plan, do_score, check_score, act, trend, target,
					strengths, improvements, agreed_on, recorded_by, updated_at)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)`,
				a.Tenant, cycleID, in.Sub, score, sc.Plan, sc.Do, sc.Check, sc.Act, sc.Trend, sc.Target, in.Strengths, in.Improvements, in.AgreedOn, a.Name, now)
			if db.IsUniqueViolation(err) {
				return apperr.Stale()
			}
			if err != nil {
				return fmt.Errorf("cannot record CAF consensus: %w", err)
			}
		case err != nil:
			return fmt.Errorf("cannot read CAF consensus: %w", err)
		default:
			if before.Version != in.Version {
				return apperr.Stale()
			}
			res, err := tx.ExecContext(ctx, `UPDATE caf_consensus SET score = $1, plan = $2, do_score = $3, check_score = $4, act = $5, trend = $6, target = $7,
					strengths = $8, improvements = $9, agreed_on = $10, recorded_by = $11, updated_at = $12, version = version + 1
				WHERE tenant_id = $13 AND cycle_id = $14 AND subcriterion = $15 AND version = $16`,
				score, sc.Plan, sc.Do, sc.Check, sc.Act, sc.Trend, sc.Target, in.Strengths, in.Improvements, in.AgreedOn, a.Name, now,
				a.Tenant, cycleID, in.Sub, in.Version)
			if err != nil {
				return fmt.Errorf("cannot record CAF consensus: %w", err)
			}
			if n, _ := res.RowsAffected(); n == 0 {
				return apperr.Stale()
			}
		}
		out, err = scanConsensus(tx.QueryRowContext(ctx, `SELECT `+consensusColumns+` FROM caf_consensus WHERE tenant_id = $1 AND cycle_id = $2 AND subcriterion = $3`,
			a.Tenant, cycleID, in.Sub), c)
		if err != nil {
			return fmt.Errorf("cannot read CAF consensus: %w", err)
		}
		if err := touch(ctx, tx, a.Tenant, cycleID, now); err != nil {
			return err
		}
		ev := audit.Event{Tenant: a.Tenant, Actor: a.Audit(), Action: audit.ActionCreate, Entity: EntityConsensus, EntityID: cycleID,
			Summary: c.Code + " " + in.Sub, After: out}
		if exists {
			ev.Action, ev.Before = audit.ActionUpdate, before
		}
		return record(ev)
	}()
	return out, err
}

// touch marks a cycle changed (its list shows the latest activity) without
// bumping its version, so a cycle form open elsewhere stays valid.
func touch(ctx context.Context, tx *sql.Tx, tenant, id int64, now time.Time) error {
	if _, err := tx.ExecContext(ctx, `UPDATE caf_cycles SET updated_at = $1 WHERE tenant_id = $2 AND id = $3`, now, tenant, id); err != nil {
		return fmt.Errorf("cannot update CAF cycle: %w", err)
	}
	return nil
}
