package risks

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"time"

	"cadran/internal/apperr"
	"cadran/internal/audit"
	"cadran/internal/auth"
	"cadran/internal/work"
	"cadran/internal/workflow"
)

// StartYear starts the register of year from+1 from the register of from
// (the yearly review): every active entry is carried into the new year as a
// new row pointing back to last year's, with its measures that are not done
// or cancelled; last year's row is marked carried. Closed and declined
// entries stay behind. It returns how many entries were carried. A year
// already started is refused.
func (s *Service) StartYear(ctx context.Context, a auth.Actor, from int) (int, error) {
	if err := a.Require(auth.PermRisksManage); err != nil {
		return 0, err
	}
	now := s.Clock.Now()
	to := from + 1
	if from < 2000 || to > Year(now)+1 {
		return 0, apperr.Validation{"risk_year": "error.range"}
	}
	carried := 0
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM risks WHERE tenant_id = $1 AND year = $2 AND previous_id IS NOT NULL`, a.Tenant, to).Scan(&n); err != nil {
			return fmt.Errorf("cannot check the register: %w", err)
		}
		if n > 0 {
			return apperr.Conflict("risks.error.year_started")
		}
		rows, err := tx.QueryContext(ctx, `SELECT `+riskColumns+riskFrom+` WHERE r.tenant_id = $1 AND r.year = $2 AND r.state = $3 ORDER BY r.sort_code, r.id`, a.Tenant, from, StateActive)
		if err != nil {
			return fmt.Errorf("cannot read the register: %w", err)
		}
		old, err := scanRisks(rows)
		if err != nil {
			return err
		}
		if len(old) == 0 {
			return apperr.Conflict("risks.error.nothing_to_carry")
		}
		for _, r := range old {
			if err := s.carry(ctx, tx, a, r, to, now); err != nil {
				return err
			}
			carried++
		}
		return nil
	})
	return carried, err
}

func (s *Service) carry(ctx context.Context, tx *sql.Tx, a auth.Actor, r Risk, to int, now time.Time) error {
	step, err := Flow.Fire(workflow.State(r.State), ActCarry, a, gate{r}, "", now)
	if err != nil {
		return err
	}
	code := r.Code
	var taken int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM risks WHERE tenant_id = $1 AND year = $2 AND code = $3`, a.Tenant, to, code).Scan(&taken); err != nil {
		return fmt.Errorf("cannot check risk code: %w", err)
	}
	if taken > 0 {
		if code, err = nextCode(ctx, tx, a.Tenant, to, r.Kind, r.UnitID); err != nil {
			return err
		}
	}
	var id int64
	err = tx.QueryRowContext(ctx, `INSERT INTO risks (tenant_id, year, kind, code, sort_code, level, unit_id, objective, description, causes, consequences,
			owner_id, owner_text, scale, inherent_p, inherent_i, inherent_e, strategy, residual_p, residual_i, residual_e, cur_p, cur_i, cur_e,
			last_review_on, next_review_on, secondary, remarks, proposed_measures, evidence, state, proposed_by, proposed_name, previous_id,
			search_text, sort_text, created_at, updated_at)
		SELECT tenant_id, $1, kind, $2, $3, level, unit_id, objective, description, causes, consequences,
			owner_id, owner_text, scale, inherent_p, inherent_i, inherent_e, strategy, residual_p, residual_i, residual_e, cur_p, cur_i, cur_e,
			last_review_on, next_review_on, secondary, remarks, proposed_measures, evidence, $4, proposed_by, proposed_name, id,
			$5, sort_text, $6, $6
		FROM risks WHERE tenant_id = $7 AND id = $8 RETURNING id`,
		to, code, sortCode(code), StateActive, searchText(code, r.Description, r.Causes), now, a.Tenant, r.ID).Scan(&id)
	if err != nil {
		return fmt.Errorf("cannot carry risk %s: %w", r.Code, err)
	}
	res, err := tx.ExecContext(ctx, `UPDATE risks SET state = $1, next_review_on = '', updated_at = $2, version = version + 1 WHERE tenant_id = $3 AND id = $4 AND version = $5`,
		StateCarried, now, a.Tenant, r.ID, r.Version)
	if err != nil {
		return fmt.Errorf("cannot carry risk %s: %w", r.Code, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return apperr.Stale()
	}
	if err := insertStep(ctx, tx, a, r.ID, step); err != nil {
		return err
	}
	if err := insertStep(ctx, tx, a, id, workflow.Step{Action: ActCarry, From: "", To: StateActive, Reason: fmt.Sprintf("%s / %d", r.Code, r.Year), ActorID: a.UserID, Actor: a.Name, At: now}); err != nil {
		return err
	}
	if _, err := s.Work.Close(ctx, tx, a, work.Selector{Ref: riskRef(r.ID)}, work.StateCancelled); err != nil {
		return err
	}
	ms, err := measuresOf(ctx, tx, a.Tenant, r.ID)
	if err != nil {
		return err
	}
	for _, m := range ms {
		if _, err := s.Work.Close(ctx, tx, a, work.Selector{Ref: measureRef(m.ID)}, work.StateCancelled); err != nil {
			return err
		}
		if !MeasureOpen(m.State) {
			continue
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO risk_measures (tenant_id, risk_id, description, owner_id, owner_text, deadline, state, note, previous_id, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10)`, a.Tenant, id, m.Description, nullID(m.OwnerID), m.OwnerText, m.Deadline, m.State, m.Note, m.ID, now); err != nil {
			return fmt.Errorf("cannot carry measure: %w", err)
		}
	}
	nr, err := getRisk(ctx, tx, a.Tenant, id)
	if err != nil {
		return err
	}
	if err := s.scheduleReview(ctx, tx, a, nr); err != nil {
		return err
	}
	if err := s.openMeasureTasks(ctx, tx, a, nr); err != nil {
		return err
	}
	if err := audit.Record(ctx, tx, now, audit.Event{Tenant: a.Tenant, Actor: a.Audit(), Action: audit.ActionTransition, Entity: "risk", EntityID: r.ID,
		Summary: r.Code + ": " + ActCarry, Before: map[string]string{"state": r.State}, After: step}); err != nil {
		return err
	}
	return audit.Record(ctx, tx, now, audit.Event{Tenant: a.Tenant, Actor: a.Audit(), Action: audit.ActionCreate, Entity: "risk", EntityID: id,
		Summary: nr.Code + " " + clip(nr.Description, 120), After: nr})
}

// Change says how a row of a year's register differs from last year's.
type Change struct {
	// New: no row of last year's register stands behind it.
	New bool
	// Fields are the columns that changed since last year (message-key
	// suffixes: "description", "inherent", "residual", "strategy",
	// "measures", ...); empty for an unchanged row.
	Fields []string
}

// Unchanged reports whether the row is carried with nothing changed.
func (c Change) Unchanged() bool { return !c.New && len(c.Fields) == 0 }

// YearInfo is what the register view of a year says about the yearly review.
type YearInfo struct {
	Year int
	// Started: the year's register was started from last year's.
	Started bool
	// Startable: last year's register has active entries and this year's
	// was not started from it yet (offered to the team).
	Startable bool
	// Left are last year's entries not carried (closed ones).
	Left []Risk
}

// Year describes the yearly review of year's register.
func (s *Service) YearInfo(ctx context.Context, a auth.Actor, year int) (YearInfo, error) {
	if err := a.Require(auth.PermRisksView); err != nil {
		return YearInfo{}, err
	}
	info := YearInfo{Year: year}
	var started, lastActive int
	if err := s.DB.R.QueryRowContext(ctx, `SELECT
			COALESCE(SUM(CASE WHEN year = $2 AND previous_id IS NOT NULL THEN 1 ELSE 0 END), 0),
			COALESCE(SUM(CASE WHEN year = $3 AND state = $4 THEN 1 ELSE 0 END), 0)
		FROM risks WHERE tenant_id = $1 AND year IN ($2, $3)`, a.Tenant, year, year-1, StateActive).Scan(&started, &lastActive); err != nil {
		return YearInfo{}, fmt.Errorf("cannot read the register: %w", err)
	}
	info.Started = started > 0
	info.Startable = !info.Started && lastActive > 0
	if info.Started {
		rows, err := s.DB.R.QueryContext(ctx, `SELECT `+riskColumns+riskFrom+` WHERE r.tenant_id = $1 AND r.year = $2 AND r.state = $3 ORDER BY r.sort_code, r.id`, a.Tenant, year-1, StateClosed)
		if err != nil {
			return YearInfo{}, fmt.Errorf("cannot read the register: %w", err)
		}
		if info.Left, err = scanRisks(rows); err != nil {
			return YearInfo{}, err
		}
	}
	return info, nil
}

// Changes compares each of rs with the row of last year's register it was
// carried from. started says whether the year was started from last year's
// register; without it nothing is new.
func (s *Service) Changes(ctx context.Context, a auth.Actor, rs []Risk, started bool) (map[int64]Change, error) {
	out := map[int64]Change{}
	if !started || len(rs) == 0 {
		return out, nil
	}
	var prevIDs, ids []int64
	for _, r := range rs {
		if r.PreviousID == 0 {
			out[r.ID] = Change{New: true}
			continue
		}
		prevIDs = append(prevIDs, r.PreviousID)
		ids = append(ids, r.ID)
	}
	if len(prevIDs) == 0 {
		return out, nil
	}
	prev := map[int64]Risk{}
	in, args := idList(prevIDs, 2)
	rows, err := s.DB.R.QueryContext(ctx, `SELECT `+riskColumns+riskFrom+` WHERE r.tenant_id = $1 AND r.id IN (`+in+`)`, append([]any{a.Tenant}, args...)...)
	if err != nil {
		return nil, fmt.Errorf("cannot read last year's register: %w", err)
	}
	old, err := scanRisks(rows)
	if err != nil {
		return nil, err
	}
	for _, r := range old {
		prev[r.ID] = r
	}
	// This year's measures (cancelled ones left out) against those last
	// year's row still had open when it was carried.
	measures, err := measureKeys(ctx, s.DB.R, a.Tenant, ids, []string{MeasurePlanned, MeasureInProgress, MeasureDone})
	if err != nil {
		return nil, err
	}
	before, err := measureKeys(ctx, s.DB.R, a.Tenant, prevIDs, []string{MeasurePlanned, MeasureInProgress})
	if err != nil {
		return nil, err
	}
	for _, r := range rs {
		if r.PreviousID == 0 {
			continue
		}
		p, ok := prev[r.PreviousID]
		if !ok {
			out[r.ID] = Change{New: true}
			continue
		}
		var f []string
		add := func(name string, changed bool) {
			if changed {
				f = append(f, name)
			}
		}
		add("unit", r.UnitID != p.UnitID || r.Level != p.Level)
		add("objective", r.Objective != p.Objective)
		add("description", r.Description != p.Description)
		add("causes", r.Causes != p.Causes)
		add("consequences", r.Consequences != p.Consequences)
		add("owner", r.OwnerID != p.OwnerID || r.OwnerText != p.OwnerText)
		add("inherent", r.InherentP != p.InherentP || r.InherentI != p.InherentI)
		add("residual", r.ResidualP != p.ResidualP || r.ResidualI != p.ResidualI)
		add("strategy", r.Strategy != p.Strategy)
		add("measures", measures[r.ID] != before[p.ID])
		add("secondary", r.Secondary != p.Secondary)
		add("remarks", r.Remarks != p.Remarks)
		out[r.ID] = Change{Fields: f}
	}
	return out, nil
}

// measureKeys sums up each risk's measures in states (description and
// state of each) so two years' rows compare with one string.
func measureKeys(ctx context.Context, q querier, tenant int64, riskIDs []int64, states []string) (map[int64]string, error) {
	in, args := idList(riskIDs, 2)
	sin := make([]string, len(states))
	for i, st := range states {
		args = append(args, st)
		sin[i] = fmt.Sprintf("$%d", len(args)+1)
	}
	rows, err := q.QueryContext(ctx, `SELECT risk_id, description, state FROM risk_measures WHERE tenant_id = $1 AND risk_id IN (`+in+`) AND state IN (`+strings.Join(sin, ", ")+`) ORDER BY risk_id, id`,
		append([]any{tenant}, args...)...)
	if err != nil {
		return nil, fmt.Errorf("cannot read measures: %w", err)
	}
	defer rows.Close()
	parts := map[int64][]string{}
	for rows.Next() {
		var id int64
		var d, st string
		if err := rows.Scan(&id, &d, &st); err != nil {
			return nil, fmt.Errorf("cannot read measures: %w", err)
		}
		// A carried measure still open counts as unchanged whether it is
		// planned or in progress; done is a change.
		if st != MeasureDone {
			st = "open"
		}
		parts[id] = append(parts[id], d+"\x1f"+st)
	}
	out := map[int64]string{}
	for id, p := range parts {
		slices.Sort(p)
		out[id] = strings.Join(p, "\x1e")
	}
	return out, rows.Err()
}

// idList is "$2, $3, ..." for ids, numbered from first.
func idList(ids []int64, first int) (string, []any) {
	ph := make([]string, len(ids))
	args := make([]any, len(ids))
	for i, id := range ids {
		ph[i] = fmt.Sprintf("$%d", first+i)
		args[i] = id
	}
	return strings.Join(ph, ", "), args
}
