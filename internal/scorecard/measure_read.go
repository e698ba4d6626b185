package scorecard

import (
	"context"
	"fmt"
	"strconv"

	"cadran/internal/auth"
	"cadran/internal/work"
)

// Measurements lists a KPI's measurements, newest period first.
func (s *Service) Measurements(ctx context.Context, a auth.Actor, kpiID int64) ([]Measurement, error) {
	if err := a.Require(auth.PermScorecardView); err != nil {
		return nil, err
	}
	return msMeasurements(ctx, s.DB.R, a.Tenant, ` AND m.kpi_id = $2 ORDER BY m.period_end DESC`, kpiID)
}

// Measurement reads one measurement.
func (s *Service) Measurement(ctx context.Context, a auth.Actor, id int64) (Measurement, error) {
	if err := a.Require(auth.PermScorecardView); err != nil {
		return Measurement{}, err
	}
	return msGet(ctx, s.DB.R, a.Tenant, id)
}

// History lists the values a KPI's measurements replaced, newest first.
func (s *Service) History(ctx context.Context, a auth.Actor, kpiID int64) ([]Change, error) {
	if err := a.Require(auth.PermScorecardView); err != nil {
		return nil, err
	}
	rows, err := s.DB.R.QueryContext(ctx, `SELECT period, value, explanation, source, entered_by_name, entered_at, replaced_by_name, replaced_at, reason
		FROM scorecard_measurement_history WHERE tenant_id = $1 AND kpi_id = $2 ORDER BY replaced_at DESC, id DESC`, a.Tenant, kpiID)
	if err != nil {
		return nil, fmt.Errorf("cannot read value history: %w", err)
	}
	defer rows.Close()
	var out []Change
	for rows.Next() {
		var c Change
		var v msNF
		var at msNT
		if err := rows.Scan(&c.Period, &v, &c.Explanation, &c.Source, &c.EnteredBy, &at, &c.ReplacedBy, &c.ReplacedAt, &c.Reason); err != nil {
			return nil, fmt.Errorf("cannot read value history: %w", err)
		}
		c.Value, c.EnteredAt = msFloat(v), msTime(at)
		c.ReplacedAt = c.ReplacedAt.UTC()
		out = append(out, c)
	}
	return out, rows.Err()
}

// PendingApprovals lists the values waiting for approval that the actor
// may approve (their own KPIs; the quality office sees all), oldest first.
func (s *Service) PendingApprovals(ctx context.Context, a auth.Actor) ([]Measurement, error) {
	if err := a.Require(auth.PermScorecardView); err != nil {
		return nil, err
	}
	if a.Can(auth.PermScorecardManage) {
		return msMeasurements(ctx, s.DB.R, a.Tenant, ` AND m.pending_value IS NOT NULL ORDER BY m.pending_at, m.id`)
	}
	if a.PersonID == 0 {
		return nil, nil
	}
	return msMeasurements(ctx, s.DB.R, a.Tenant, ` AND m.pending_value IS NOT NULL AND k.owner_id = $2 ORDER BY m.pending_at, m.id`, a.PersonID)
}

// PendingCount counts the values PendingApprovals lists, without reading
// them (the KPI list's button).
func (s *Service) PendingCount(ctx context.Context, a auth.Actor) (int, error) {
	if err := a.Require(auth.PermScorecardView); err != nil {
		return 0, err
	}
	var n int
	var err error
	switch {
	case a.Can(auth.PermScorecardManage):
		err = s.DB.R.QueryRowContext(ctx, `SELECT COUNT(*)`+msFrom+` WHERE m.tenant_id = $1 AND m.pending_value IS NOT NULL`, a.Tenant).Scan(&n)
	case a.PersonID == 0:
		return 0, nil
	default:
		err = s.DB.R.QueryRowContext(ctx, `SELECT COUNT(*)`+msFrom+` WHERE m.tenant_id = $1 AND m.pending_value IS NOT NULL AND k.owner_id = $2`,
			a.Tenant, a.PersonID).Scan(&n)
	}
	if err != nil {
		return 0, fmt.Errorf("cannot count values awaiting approval: %w", err)
	}
	return n, nil
}

// Grid reads the entry grid: the entered KPIs of a frequency (monthly by
// default) over a year (this year by default), with one query for the
// KPIs, one for the measurements and one for the targets.
func (s *Service) Grid(ctx context.Context, a auth.Actor, q GridQuery) (Grid, error) {
	if err := a.Require(auth.PermScorecardView); err != nil {
		return Grid{}, err
	}
	today := work.Day(s.Clock.Now())
	if PerYear(q.Frequency) == 0 {
		q.Frequency = Monthly
	}
	if q.Year < 2000 || q.Year > today.Year()+1 {
		q.Year = today.Year()
	}
	g := Grid{Query: q}
	for p := (Period{Freq: q.Frequency, Year: q.Year, N: 1}); p.Year == q.Year; p = p.Next() {
		g.Periods = append(g.Periods, p)
	}
	where := ` AND NOT k.archived AND k.metric = '' AND k.formula = '' AND k.frequency = $2`
	args := []any{q.Frequency}
	if q.UnitID != 0 {
		args = append(args, q.UnitID)
		where += fmt.Sprintf(` AND k.unit_id IN (WITH RECURSIVE sub(id) AS (SELECT id FROM units WHERE tenant_id = $1 AND id = $%d
			UNION ALL SELECT u2.id FROM units u2 JOIN sub ON u2.parent_id = sub.id WHERE u2.tenant_id = $1) SELECT id FROM sub)`, len(args)+1)
	}
	if q.ObjectiveID != 0 {
		args = append(args, q.ObjectiveID)
		where += fmt.Sprintf(` AND k.objective_id = $%d`, len(args)+1)
	}
	if q.OwnerID != 0 {
		args = append(args, q.OwnerID)
		where += fmt.Sprintf(` AND k.owner_id = $%d`, len(args)+1)
	}
	var kpis []msKPI
	var err error
	if q.PerPage > 0 {
		// A page: the count, then the page's KPIs; the values and targets
		// below are those of the page's KPIs only.
		if err := s.DB.R.QueryRowContext(ctx, `SELECT COUNT(*) FROM scorecard_kpis k WHERE k.tenant_id = $1`+where, append([]any{a.Tenant}, args...)...).Scan(&g.Total); err != nil {
			return g, fmt.Errorf("cannot count KPIs: %w", err)
		}
		q.Page = min(max(q.Page, 1), max(1, (g.Total+q.PerPage-1)/q.PerPage))
		g.Query = q
		kpis, err = msKPIsPage(ctx, s.DB.R, a.Tenant, where, q.PerPage, (q.Page-1)*q.PerPage, args...)
	} else {
		kpis, err = msKPIs(ctx, s.DB.R, a.Tenant, where, args...)
		g.Total = len(kpis)
	}
	if err != nil || len(kpis) == 0 {
		return g, err
	}
	// The measurements and targets of the year: period keys of the year
	// sort between "2026" and "2027".
	from, to := strconv.Itoa(q.Year), strconv.Itoa(q.Year+1)
	ms, err := msGridMeasurements(ctx, s.DB.R, a.Tenant, kpis, from, to)
	if err != nil {
		return g, err
	}
	ids := make([]int64, len(kpis))
	for i := range kpis {
		ids[i] = kpis[i].ID
	}
	in, targs := msIn([]any{from, to}, ids)
	targets, err := msTargets(ctx, s.DB.R, a.Tenant, ` AND t.period >= $2 AND t.period < $3 AND t.kpi_id IN (`+in+`)`, targs...)
	if err != nil {
		return g, err
	}
	byCell := make(map[string]*Measurement, len(ms))
	for i := range ms {
		byCell[msKey(ms[i].KPIID, ms[i].Period)] = &ms[i]
	}
	measure := a.Can(auth.PermScorecardMeasure)
	g.Rows = make([]GridRow, 0, len(kpis))
	for _, k := range kpis {
		row := GridRow{KPI: k.KPI, Editable: measure, Cells: make([]GridCell, len(g.Periods))}
		ts := targets[k.ID]
		for i, p := range g.Periods {
			c := GridCell{Period: p, Measurement: byCell[msKey(k.ID, p.Key())], Status: StatusNone}
			if t, ok := TargetFor(ts, p); ok {
				c.Target = &t
			}
			m := c.Measurement
			if m != nil && m.Value != nil && c.Target != nil {
				c.Status = k.Rule().Evaluate(*m.Value, *c.Target).Status
			}
			c.Due = !p.End().After(today) && (m == nil || m.Value == nil && m.Pending == nil)
			row.Cells[i] = c
		}
		g.Rows = append(g.Rows, row)
	}
	return g, nil
}

// msGridMeasurements reads the measurements of kpis whose period key sorts
// in [from, to), with only the columns the grid shows (the grid is the
// hot page: a unit may have hundreds of KPIs).
func msGridMeasurements(ctx context.Context, q msQuerier, tenant int64, kpis []msKPI, from, to string) ([]Measurement, error) {
	ids := make([]int64, len(kpis))
	byID := make(map[int64]*msKPI, len(kpis))
	for i := range kpis {
		ids[i] = kpis[i].ID
		byID[kpis[i].ID] = &kpis[i]
	}
	in, args := msIn([]any{from, to}, ids)
	rows, err := q.QueryContext(ctx, `SELECT m.id, m.kpi_id, m.period, m.value, m.explanation, m.source, m.entered_by_name, m.approved_by_name,
		m.pending_value, m.pending_explanation, m.pending_by_name, m.version
		FROM scorecard_measurements m WHERE m.tenant_id = $1 AND m.period >= $2 AND m.period < $3 AND m.kpi_id IN (`+in+`)`, append([]any{tenant}, args...)...)
	if err != nil {
		return nil, fmt.Errorf("cannot read measurements: %w", err)
	}
	defer rows.Close()
	out := make([]Measurement, 0, len(kpis)*12)
	for rows.Next() {
		m := Measurement{Tenant: tenant}
		var value, pending msNF
		if err := rows.Scan(&m.ID, &m.KPIID, &m.Period, &value, &m.Explanation, &m.Source, &m.EnteredBy, &m.ApprovedBy,
			&pending, &m.PendingNote, &m.PendingBy, &m.Version); err != nil {
			return nil, fmt.Errorf("cannot read measurement: %w", err)
		}
		m.Value, m.Pending = msFloat(value), msFloat(pending)
		if k := byID[m.KPIID]; k != nil {
			m.KPICode, m.KPIName = k.Code, k.Name
		}
		out = append(out, m)
	}
	return out, rows.Err()
}
