package scorecard

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"strings"
	"time"
)

// msQuerier is what the measurement code reads through: a pool or a
// transaction.
type msQuerier interface {
	QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row
}

// msKPI is a KPI as the measurement code needs it: whether its owner can
// sign in decides who approves a value someone else entered.
type msKPI struct {
	KPI
	ownerActive  bool
	ownerHasUser bool
}

const msKPIColumns = `k.id, k.tenant_id, k.code, k.name, k.description, k.measure_unit, k.polarity, k.method, k.frequency,
	k.baseline, k.red_low, k.red_high, k.decimals, COALESCE(k.owner_id, 0), COALESCE(p.full_name, ''), k.data_source, k.metric, k.formula,
	COALESCE(k.objective_id, 0), COALESCE(o.code, ''), COALESCE(k.unit_id, 0), COALESCE(u.name, ''), k.process, k.weight, k.archived,
	k.created_at, k.updated_at, k.version, COALESCE(p.active, FALSE),
	EXISTS (SELECT 1 FROM users us WHERE us.tenant_id = k.tenant_id AND us.person_id = k.owner_id AND NOT us.disabled)`

const msKPIFrom = ` FROM scorecard_kpis k
	LEFT JOIN people p ON p.tenant_id = k.tenant_id AND p.id = k.owner_id
	LEFT JOIN scorecard_objectives o ON o.tenant_id = k.tenant_id AND o.id = k.objective_id
	LEFT JOIN units u ON u.tenant_id = k.tenant_id AND u.id = k.unit_id`

func msScanKPI(row interface{ Scan(...any) error }) (msKPI, error) {
	var k msKPI
	var base, red, redHigh sql.NullFloat64
	err := row.Scan(&k.ID, &k.Tenant, &k.Code, &k.Name, &k.Description, &k.MeasureUnit, &k.Polarity, &k.Method, &k.Frequency,
		&base, &red, &redHigh, &k.Decimals, &k.OwnerID, &k.OwnerName, &k.DataSource, &k.Metric, &k.Formula,
		&k.ObjectiveID, &k.ObjectiveCode, &k.UnitID, &k.UnitName, &k.Process, &k.Weight, &k.Archived,
		&k.Created, &k.Updated, &k.Version, &k.ownerActive, &k.ownerHasUser)
	k.Baseline, k.Red, k.RedHigh = msFloat(base), msFloat(red), msFloat(redHigh)
	return k, err
}

func msFloat(n sql.NullFloat64) *float64 {
	if !n.Valid {
		return nil
	}
	v := n.Float64
	return &v
}

func msNull(f *float64) any {
	if f == nil {
		return nil
	}
	return *f
}

func msNullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// msKPIs reads the KPIs that where (a condition on k, its arguments from
// $2) picks, in code order.
func msKPIs(ctx context.Context, q msQuerier, tenant int64, where string, args ...any) ([]msKPI, error) {
	return msKPIsPage(ctx, q, tenant, where, 0, 0, args...)
}

// msKPIsPage reads one page of msKPIs's list: limit KPIs (all when 0)
// after offset.
func msKPIsPage(ctx context.Context, q msQuerier, tenant int64, where string, limit, offset int, args ...any) ([]msKPI, error) {
	query := `SELECT ` + msKPIColumns + msKPIFrom + ` WHERE k.tenant_id = $1` + where + ` ORDER BY k.code`
	if limit > 0 {
		query += fmt.Sprintf(` LIMIT %d OFFSET %d`, limit, max(offset, 0))
	}
	rows, err := q.QueryContext(ctx, query, append([]any{tenant}, args...)...)
	if err != nil {
		return nil, fmt.Errorf("cannot read KPIs: %w", err)
	}
	defer rows.Close()
	var out []msKPI
	for rows.Next() {
		k, err := msScanKPI(rows)
		if err != nil {
			return nil, fmt.Errorf("cannot read KPI: %w", err)
		}
		out = append(out, k)
	}
	return out, rows.Err()
}

// msTargets reads the targets of the KPIs that kpiWhere (a condition on
// scorecard_targets t, arguments from $2) picks, by KPI.
func msTargets(ctx context.Context, q msQuerier, tenant int64, kpiWhere string, args ...any) (map[int64][]Target, error) {
	rows, err := q.QueryContext(ctx, `SELECT t.kpi_id, t.period, t.target, t.target_high FROM scorecard_targets t WHERE t.tenant_id = $1`+kpiWhere+` ORDER BY t.kpi_id, t.period`,
		append([]any{tenant}, args...)...)
	if err != nil {
		return nil, fmt.Errorf("cannot read targets: %w", err)
	}
	defer rows.Close()
	out := map[int64][]Target{}
	for rows.Next() {
		var id int64
		var t Target
		var high sql.NullFloat64
		if err := rows.Scan(&id, &t.Period, &t.Value, &high); err != nil {
			return nil, fmt.Errorf("cannot read target: %w", err)
		}
		t.High = msFloat(high)
		out[id] = append(out[id], t)
	}
	return out, rows.Err()
}

const msColumns = `m.id, m.tenant_id, m.kpi_id, k.code, k.name, m.period, m.value, m.explanation, m.source, COALESCE(m.entered_by, 0), m.entered_by_name,
	m.entered_at, m.approved_by_name, m.approved_at, m.pending_value, m.pending_explanation, m.pending_source, COALESCE(m.pending_by, 0),
	m.pending_by_name, m.pending_at, m.updated_at, m.version`

const msFrom = ` FROM scorecard_measurements m JOIN scorecard_kpis k ON k.tenant_id = m.tenant_id AND k.id = m.kpi_id`

func msScan(row interface{ Scan(...any) error }) (Measurement, error) {
	var m Measurement
	var value, pending sql.NullFloat64
	var entered, approved, pendingAt sql.NullTime
	err := row.Scan(&m.ID, &m.Tenant, &m.KPIID, &m.KPICode, &m.KPIName, &m.Period, &value, &m.Explanation, &m.Source, &m.EnteredByID, &m.EnteredBy,
		&entered, &m.ApprovedBy, &approved, &pending, &m.PendingNote, &m.PendingSrc, &m.PendingByID,
		&m.PendingBy, &pendingAt, &m.Updated, &m.Version)
	m.Value, m.Pending = msFloat(value), msFloat(pending)
	m.EnteredAt, m.ApprovedAt, m.PendingAt = msTime(entered), msTime(approved), msTime(pendingAt)
	return m, err
}

func msTime(t sql.NullTime) *time.Time {
	if !t.Valid {
		return nil
	}
	v := t.Time.UTC()
	return &v
}

// msMeasurements reads the measurements that where (a condition on m and
// k, arguments from $2) picks.
func msMeasurements(ctx context.Context, q msQuerier, tenant int64, where string, args ...any) ([]Measurement, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+msColumns+msFrom+` WHERE m.tenant_id = $1`+where, append([]any{tenant}, args...)...)
	if err != nil {
		return nil, fmt.Errorf("cannot read measurements: %w", err)
	}
	defer rows.Close()
	var out []Measurement
	for rows.Next() {
		m, err := msScan(rows)
		if err != nil {
			return nil, fmt.Errorf("cannot read measurement: %w", err)
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// msIn writes "$n, $n+1, ..." for ids and adds them to args, which are
// the arguments after the tenant's $1.
func msIn[T any](args []any, ids []T) (string, []any) {
	var b strings.Builder
	for i, id := range ids {
		if i > 0 {
			b.WriteString(", ")
		}
		args = append(args, id)
		fmt.Fprintf(&b, "$%d", len(args)+1)
	}
	return b.String(), args
}

// msSame reports whether two values are the same figure (to a billionth).
func msSame(a, b float64) bool { return math.Abs(a-b) <= 1e-9*math.Max(1, math.Abs(a)) }

// msRound rounds a computed value to the KPI's decimals.
func msRound(v float64, decimals int) float64 {
	decimals = max(0, min(decimals, 6))
	p := math.Pow(10, float64(decimals))
	return math.Round(v*p) / p
}

type (
	msNF = sql.NullFloat64
	msNT = sql.NullTime
)
