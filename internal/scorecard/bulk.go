package scorecard

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
)

// PastValue is a value a KPI's owner entered in the past, for the
// generator of large institutions: the owner entered it At, so it went in
// force at once.
type PastValue struct {
	KPI         KPI
	Period      Period
	Value       float64
	Explanation string
	By          auth.Actor // the KPI's owner, signed in
	At          time.Time
}

// RecordPastTx writes many values at once, each exactly as Record writes a
// value its owner enters for a period that has none yet: the row in force
// (created and then filled, so at version 2), entered and approved by the
// owner, and its create event in the audit trail through rec. Record's
// checks are the caller's: each period new to its KPI, of the KPI's
// frequency and ended by At, an explanation for a value in the red. No
// due-value task is closed: a past period's task was closed when its value
// came in. On PostgreSQL the rows go in multi-row INSERTs of a few hundred
// (one round trip each); on SQLite one row per execution of one prepared
// statement, since a statement with thousands of numbered parameters costs
// SQLite more to parse than to run.
func RecordPastTx(ctx context.Context, tx *sql.Tx, engine db.Engine, rec audit.Appender, tenant int64, vals []PastValue) error {
	chunk := 1
	if engine == db.Postgres {
		chunk = 250
	}
	stmts := map[int]*sql.Stmt{}
	defer func() {
		for _, st := range stmts {
			st.Close()
		}
	}()
	const cols = 10
	for from := 0; from < len(vals); from += chunk {
		part := vals[from:min(from+chunk, len(vals))]
		st, ok := stmts[len(part)]
		if !ok {
			var b strings.Builder
			b.WriteString(`INSERT INTO scorecard_measurements (tenant_id, kpi_id, period, period_end, value, explanation, source, entered_by,
		entered_by_name, entered_at, approved_by_name, approved_at, created_at, updated_at, version) VALUES `)
			for i := range part {
				if i > 0 {
					b.WriteString(", ")
				}
				n := i * cols
				fmt.Fprintf(&b, "($%d, $%d, $%d, $%d, $%d, $%d, $%d, $%d, $%d, $%d, $%d, $%d, $%d, $%d, 2)",
					n+1, n+2, n+3, n+4, n+5, n+6, n+7, n+8, n+9, n+10, n+9, n+10, n+10, n+10)
			}
			b.WriteString(` RETURNING id, kpi_id, period`)
			var err error
			if st, err = tx.PrepareContext(ctx, b.String()); err != nil {
				return fmt.Errorf("cannot prepare measurements: %w", err)
			}
			stmts[len(part)] = st
		}
		args := make([]any, 0, len(part)*cols)
		for _, v := range part {
			at := v.At.UTC().Truncate(time.Microsecond)
			args = append(args, tenant, v.KPI.ID, v.Period.Key(), v.Period.Last().Format(time.DateOnly), v.Value, v.Explanation, SourceManual,
				msNullID(v.By.UserID), v.By.Name, at)
		}
		rows, err := st.QueryContext(ctx, args...)
		if err != nil {
			if msIsUnique(err) {
				return apperr.Stale()
			}
			return fmt.Errorf("cannot save measurement: %w", err)
		}
		type key struct {
			kpi    int64
			period string
		}
		ids := make(map[key]int64, len(part))
		for rows.Next() {
			var id int64
			var k key
			if err := rows.Scan(&id, &k.kpi, &k.period); err != nil {
				rows.Close()
				return fmt.Errorf("cannot save measurement: %w", err)
			}
			ids[k] = id
		}
		if err := errors.Join(rows.Err(), rows.Close()); err != nil {
			if msIsUnique(err) {
				return apperr.Stale()
			}
			return fmt.Errorf("cannot save measurement: %w", err)
		}
		for _, v := range part {
			at := v.At.UTC().Truncate(time.Microsecond)
			id, ok := ids[key{v.KPI.ID, v.Period.Key()}]
			if !ok {
				return fmt.Errorf("cannot save measurement: no id for %s", msSummary(v.KPI, v.Period.Key()))
			}
			value := v.Value
			// The row as msGet reads it back, which is what Record audits.
			after := Measurement{ID: id, Tenant: tenant, KPIID: v.KPI.ID, KPICode: v.KPI.Code, KPIName: v.KPI.Name, Period: v.Period.Key(),
				Value: &value, Explanation: v.Explanation, Source: SourceManual, EnteredByID: v.By.UserID, EnteredBy: v.By.Name, EnteredAt: &at,
				ApprovedBy: v.By.Name, ApprovedAt: &at, Updated: at, Version: 2}
			if err := rec.Record(ctx, at, audit.Event{Tenant: tenant, Actor: v.By.Audit(), Action: audit.ActionCreate, Entity: EntityMeasurement,
				EntityID: id, Summary: msSummary(v.KPI, v.Period.Key()), After: after}); err != nil {
				return err
			}
		}
	}
	return nil
}
