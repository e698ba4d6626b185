package risks

import (
	"context"
	"fmt"
	"time"

	"cadran/internal/auth"
	"cadran/internal/work"
)

// Overview is the risk register's part of the registers overview page,
// for the current year's register.
type Overview struct {
	Year int
	// Active counts risks in the register; Opportunities the opportunities.
	Active        int
	Opportunities int
	// Proposed counts alert forms waiting for the team's decision (risks
	// and opportunities).
	Proposed int
	// Tolerance is the institution's threshold; AboveTolerance counts the
	// active risks whose current exposure (residual when reviewed, else
	// inherent) is strictly above it, and Top lists the 10 highest of them.
	Tolerance      int
	AboveTolerance int
	Top            []Summary
	// MeasuresOverdue counts open control measures of active entries past
	// their deadline; Overdue lists the 10 oldest.
	MeasuresOverdue int
	Overdue         []OverdueMeasure
	// ReviewsDue counts active entries whose review day has come.
	ReviewsDue int
}

// Summary is one register entry in a short list.
type Summary struct {
	ID          int64
	Code        string
	Description string
	Unit        string
	Exposure    int
	Link        string // "/risks/12"
}

// OverdueMeasure is an open control measure past its deadline.
type OverdueMeasure struct {
	ID          int64
	RiskID      int64
	RiskCode    string
	Description string
	Owner       string
	Deadline    string // YYYY-MM-DD
	Link        string // "/risks/12#measure-34"
}

// Overview sums up the current year's register for the overview page.
func (s *Service) Overview(ctx context.Context, a auth.Actor) (Overview, error) {
	if err := a.Require(auth.PermRisksView); err != nil {
		return Overview{}, err
	}
	st, err := s.settings(ctx, s.DB.R, a.Tenant)
	if err != nil {
		return Overview{}, err
	}
	now := s.Clock.Now()
	today := work.Day(now).Format(time.DateOnly)
	year, err := s.RegisterYear(ctx, a)
	if err != nil {
		return Overview{}, err
	}
	o := Overview{Year: year, Tolerance: st.Tolerance}
	err = s.DB.R.QueryRowContext(ctx, `SELECT
			COALESCE(SUM(CASE WHEN state = $3 AND kind = $4 THEN 1 ELSE 0 END), 0),
			COALESCE(SUM(CASE WHEN state = $3 AND kind = $5 THEN 1 ELSE 0 END), 0),
			COALESCE(SUM(CASE WHEN state = $6 THEN 1 ELSE 0 END), 0),
			COALESCE(SUM(CASE WHEN state = $3 AND kind = $4 AND cur_e > $7 THEN 1 ELSE 0 END), 0),
			COALESCE(SUM(CASE WHEN state = $3 AND next_review_on <> '' AND next_review_on <= $8 THEN 1 ELSE 0 END), 0)
		FROM risks WHERE tenant_id = $1 AND year = $2`,
		a.Tenant, o.Year, StateActive, KindRisk, KindOpportunity, StateProposed, st.Tolerance, today).
		Scan(&o.Active, &o.Opportunities, &o.Proposed, &o.AboveTolerance, &o.ReviewsDue)
	if err != nil {
		return Overview{}, fmt.Errorf("cannot count risks: %w", err)
	}
	if o.Top, err = s.aboveTolerance(ctx, a.Tenant, o.Year, 0, st.Tolerance, 10); err != nil {
		return Overview{}, err
	}
	if o.MeasuresOverdue, o.Overdue, err = s.overdueMeasures(ctx, a.Tenant, o.Year, 0, today, 10); err != nil {
		return Overview{}, err
	}
	return o, nil
}

// aboveTolerance lists the active risks of year (in unit's subtree when
// unit is not 0) above tolerance, highest current exposure first.
func (s *Service) aboveTolerance(ctx context.Context, tenant int64, year int, unit int64, tolerance, limit int) ([]Summary, error) {
	args := []any{tenant, year, StateActive, KindRisk, tolerance, limit}
	q := `SELECT r.id, r.code, r.description, COALESCE(u.name, ''), r.cur_e FROM risks r LEFT JOIN units u ON u.id = r.unit_id
		WHERE r.tenant_id = $1 AND r.year = $2 AND r.state = $3 AND r.kind = $4 AND r.cur_e > $5` + unitClause(unit, &args) + ` ORDER BY r.cur_e DESC, r.sort_code LIMIT $6`
	rows, err := s.DB.R.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("cannot list risks above tolerance: %w", err)
	}
	defer rows.Close()
	var out []Summary
	for rows.Next() {
		var m Summary
		if err := rows.Scan(&m.ID, &m.Code, &m.Description, &m.Unit, &m.Exposure); err != nil {
			return nil, fmt.Errorf("cannot list risks above tolerance: %w", err)
		}
		m.Link = fmt.Sprintf("/risks/%d", m.ID)
		out = append(out, m)
	}
	return out, rows.Err()
}

// unitClause restricts r to unit's subtree, appending its argument.
func unitClause(unit int64, args *[]any) string {
	if unit == 0 {
		return ""
	}
	*args = append(*args, unit)
	return fmt.Sprintf(` AND r.unit_id IN (WITH RECURSIVE sub(id) AS (SELECT id FROM units WHERE tenant_id = $1 AND id = $%d
		UNION ALL SELECT u2.id FROM units u2 JOIN sub ON u2.parent_id = sub.id WHERE u2.tenant_id = $1) SELECT id FROM sub)`, len(*args))
}

// overdueMeasures counts the open measures of active entries of year past
// their deadline and lists the oldest (limit 0: all).
func (s *Service) overdueMeasures(ctx context.Context, tenant int64, year int, unit int64, today string, limit int) (int, []OverdueMeasure, error) {
	args := []any{tenant, year, StateActive, MeasurePlanned, MeasureInProgress, today}
	where := ` FROM risk_measures m JOIN risks r ON r.id = m.risk_id LEFT JOIN people p ON p.id = m.owner_id
		WHERE m.tenant_id = $1 AND r.year = $2 AND r.state = $3 AND m.state IN ($4, $5) AND m.deadline <> '' AND m.deadline < $6` + unitClause(unit, &args)
	var n int
	if err := s.DB.R.QueryRowContext(ctx, `SELECT COUNT(*)`+where, args...).Scan(&n); err != nil {
		return 0, nil, fmt.Errorf("cannot count overdue measures: %w", err)
	}
	if limit <= 0 {
		limit = 10000
	}
	args = append(args, limit)
	rows, err := s.DB.R.QueryContext(ctx, `SELECT m.id, r.id, r.code, m.description, COALESCE(p.full_name, m.owner_text), m.deadline`+where+
		fmt.Sprintf(` ORDER BY m.deadline, m.id LIMIT $%d`, len(args)), args...)
	if err != nil {
		return 0, nil, fmt.Errorf("cannot list overdue measures: %w", err)
	}
	defer rows.Close()
	var out []OverdueMeasure
	for rows.Next() {
		var m OverdueMeasure
		if err := rows.Scan(&m.ID, &m.RiskID, &m.RiskCode, &m.Description, &m.Owner, &m.Deadline); err != nil {
			return 0, nil, fmt.Errorf("cannot list overdue measures: %w", err)
		}
		m.Link = fmt.Sprintf("/risks/%d#measure-%d", m.RiskID, m.ID)
		out = append(out, m)
	}
	return n, out, rows.Err()
}

// Count is a number of entries under a label (a unit, a strategy).
type Count struct {
	Key   string
	Label string
	N     int
	Above int // of them, above tolerance
}

// Profile is what the risk profile report prints for a year's register,
// for the institution or one unit's subtree.
type Profile struct {
	Year      int
	UnitID    int64
	Settings  Settings
	Risks     Grid
	Opps      Grid
	Above     []Summary
	ByUnit    []Count
	Strategy  []Count
	Overdue   []OverdueMeasure
	Proposed  int
	ActiveAll int
}

// Profile gathers the risk profile of year's register (unit 0: the whole
// institution).
func (s *Service) Profile(ctx context.Context, a auth.Actor, year int, unit int64) (Profile, error) {
	if err := a.Require(auth.PermRisksView); err != nil {
		return Profile{}, err
	}
	if year == 0 {
		y, err := s.RegisterYear(ctx, a)
		if err != nil {
			return Profile{}, err
		}
		year = y
	}
	st, err := s.settings(ctx, s.DB.R, a.Tenant)
	if err != nil {
		return Profile{}, err
	}
	p := Profile{Year: year, UnitID: unit, Settings: st}
	f := Filter{Year: year, UnitID: unit}
	if p.Risks, err = s.HeatMap(ctx, a, f, KindRisk); err != nil {
		return Profile{}, err
	}
	if p.Opps, err = s.HeatMap(ctx, a, f, KindOpportunity); err != nil {
		return Profile{}, err
	}
	if p.Above, err = s.aboveTolerance(ctx, a.Tenant, year, unit, st.Tolerance, 1000); err != nil {
		return Profile{}, err
	}
	today := work.Day(s.Clock.Now()).Format(time.DateOnly)
	if _, p.Overdue, err = s.overdueMeasures(ctx, a.Tenant, year, unit, today, 0); err != nil {
		return Profile{}, err
	}
	args := []any{a.Tenant, year, StateActive, KindRisk, st.Tolerance}
	uc := unitClause(unit, &args)
	rows, err := s.DB.R.QueryContext(ctx, `SELECT COALESCE(u.name, ''), COUNT(*), COALESCE(SUM(CASE WHEN r.cur_e > $5 THEN 1 ELSE 0 END), 0)
		FROM risks r LEFT JOIN units u ON u.id = r.unit_id WHERE r.tenant_id = $1 AND r.year = $2 AND r.state = $3 AND r.kind = $4`+uc+`
		GROUP BY COALESCE(u.name, ''), COALESCE(u.sort_name, '') ORDER BY COALESCE(u.sort_name, '')`, args...)
	if err != nil {
		return Profile{}, fmt.Errorf("cannot count risks by unit: %w", err)
	}
	for rows.Next() {
		var c Count
		if err := rows.Scan(&c.Label, &c.N, &c.Above); err != nil {
			rows.Close()
			return Profile{}, fmt.Errorf("cannot count risks by unit: %w", err)
		}
		p.ActiveAll += c.N
		p.ByUnit = append(p.ByUnit, c)
	}
	rows.Close()
	rows, err = s.DB.R.QueryContext(ctx, `SELECT r.strategy, COUNT(*), COALESCE(SUM(CASE WHEN r.cur_e > $5 THEN 1 ELSE 0 END), 0)
		FROM risks r WHERE r.tenant_id = $1 AND r.year = $2 AND r.state = $3 AND r.kind = $4`+uc+` GROUP BY r.strategy`, args...)
	if err != nil {
		return Profile{}, fmt.Errorf("cannot count risks by strategy: %w", err)
	}
	byKey := map[string]Count{}
	for rows.Next() {
		var c Count
		if err := rows.Scan(&c.Key, &c.N, &c.Above); err != nil {
			rows.Close()
			return Profile{}, fmt.Errorf("cannot count risks by strategy: %w", err)
		}
		byKey[c.Key] = c
	}
	rows.Close()
	for _, k := range RiskStrategies {
		if c, ok := byKey[k]; ok {
			p.Strategy = append(p.Strategy, c)
		}
	}
	args = []any{a.Tenant, year, StateProposed}
	if err := s.DB.R.QueryRowContext(ctx, `SELECT COUNT(*) FROM risks r WHERE r.tenant_id = $1 AND r.year = $2 AND r.state = $3`+unitClause(unit, &args), args...).Scan(&p.Proposed); err != nil {
		return Profile{}, fmt.Errorf("cannot count proposed risks: %w", err)
	}
	return p, nil
}
