package risks

import (
	"context"
	"fmt"
	"time"

	"cadran/internal/evidence"
	"cadran/internal/work"
)

// Metrics the scorecard's KPIs may be fed by.
const (
	MetricAboveTolerance     = "risks.above_tolerance"
	MetricMeasuresDoneOnTime = "risks.measures_done_on_time"
)

var _ evidence.MetricSource = (*Service)(nil)

// Metrics lists the figures the risk register gives the scorecard.
func (s *Service) Metrics() []evidence.Metric {
	return []evidence.Metric{
		{Key: MetricAboveTolerance, Label: "scorecard.metric.risks_above_tolerance", Unit: "nr.", Polarity: "lower"},
		{Key: MetricMeasuresDoneOnTime, Label: "scorecard.metric.risks_measures_done_on_time", Unit: "%", Polarity: "higher"},
	}
}

// Measure computes a metric over [from, to).
//
// risks.above_tolerance: the active risks of the register of the span's
// last year whose current exposure is above the institution's tolerance
// (as scored now: the register keeps no past scores); ok false when that
// register has no active risk.
//
// risks.measures_done_on_time: of the control measures whose deadline
// falls in the span (cancelled ones left out), the share (%) marked done
// by their deadline (the day the measure last changed stands for the day
// it was done); ok false when none falls due.
func (s *Service) Measure(ctx context.Context, tenant int64, key string, from, to time.Time) (float64, bool, error) {
	switch key {
	case MetricAboveTolerance:
		st, err := s.settings(ctx, s.DB.R, tenant)
		if err != nil {
			return 0, false, err
		}
		year := to.AddDate(0, 0, -1).Year()
		var above, total int
		if err := s.DB.R.QueryRowContext(ctx, `SELECT COALESCE(SUM(CASE WHEN cur_e > $5 THEN 1 ELSE 0 END), 0), COUNT(*)
			FROM risks WHERE tenant_id = $1 AND year = $2 AND state = $3 AND kind = $4`, tenant, year, StateActive, KindRisk, st.Tolerance).Scan(&above, &total); err != nil {
			return 0, false, fmt.Errorf("cannot count risks above tolerance: %w", err)
		}
		return float64(above), total > 0, nil
	case MetricMeasuresDoneOnTime:
		rows, err := s.DB.R.QueryContext(ctx, `SELECT m.deadline, m.state, m.updated_at FROM risk_measures m
			WHERE m.tenant_id = $1 AND m.deadline >= $2 AND m.deadline < $3 AND m.state <> $4`,
			tenant, from.Format(time.DateOnly), to.Format(time.DateOnly), MeasureCancelled)
		if err != nil {
			return 0, false, fmt.Errorf("cannot read control measures: %w", err)
		}
		defer rows.Close()
		onTime, total := 0, 0
		for rows.Next() {
			var deadline, state string
			var updated time.Time
			if err := rows.Scan(&deadline, &state, &updated); err != nil {
				return 0, false, fmt.Errorf("cannot read control measures: %w", err)
			}
			total++
			if state == MeasureDone && work.Day(updated).Format(time.DateOnly) <= deadline {
				onTime++
			}
		}
		if err := rows.Err(); err != nil {
			return 0, false, fmt.Errorf("cannot read control measures: %w", err)
		}
		if total == 0 {
			return 0, false, nil
		}
		return float64(onTime) * 100 / float64(total), true, nil
	}
	return 0, false, fmt.Errorf("cannot measure %q: not a risks metric", key)
}
