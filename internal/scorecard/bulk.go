package scorecard

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"cadran/internal/apperr"
	"cadran/internal/audit"
	"cadran/internal/auth"
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
// came in.
func RecordPastTx(ctx context.Context, tx *sql.Tx, rec *audit.Recorder, tenant int64, vals []PastValue) error {
	// One prepared statement, row by row: a multi-row INSERT with thousands
	// of numbered parameters costs SQLite more to parse than to run.
	stmt, err := tx.PrepareContext(ctx, `INSERT INTO scorecard_measurements (tenant_id, kpi_id, period, period_end, value, explanation, source, entered_by,
		entered_by_name, entered_at, approved_by_name, approved_at, created_at, updated_at, version)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $9, $10, $10, $10, 2) RETURNING id`)
	if err != nil {
		return fmt.Errorf("cannot prepare measurements: %w", err)
	}
	defer stmt.Close()
	for _, v := range vals {
		at := v.At.UTC().Truncate(time.Microsecond)
		var id int64
		if err := stmt.QueryRowContext(ctx, tenant, v.KPI.ID, v.Period.Key(), v.Period.Last().Format(time.DateOnly), v.Value, v.Explanation, SourceManual,
			msNullID(v.By.UserID), v.By.Name, at).Scan(&id); err != nil {
			if msIsUnique(err) {
				return apperr.Stale()
			}
			return fmt.Errorf("cannot save measurement: %w", err)
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
	return nil
}
