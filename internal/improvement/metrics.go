package improvement

import (
	"context"
	"fmt"
	"time"

	"cadran/internal/evidence"
)

// Metrics the scorecard's KPIs may be fed by.
const (
	MetricActionsOverdue = "improvement.actions_overdue"
	MetricNCClosedOnTime = "improvement.nc_closed_on_time"
	MetricProposals      = "improvement.proposals"
)

var _ evidence.MetricSource = (*Service)(nil)

// Metrics lists the figures nonconformities and proposals give the
// scorecard.
func (s *Service) Metrics() []evidence.Metric {
	return []evidence.Metric{
		{Key: MetricActionsOverdue, Label: "scorecard.metric.improvement_actions_overdue", Unit: "nr.", Polarity: "lower"},
		{Key: MetricNCClosedOnTime, Label: "scorecard.metric.improvement_nc_closed_on_time", Unit: "%", Polarity: "higher"},
		{Key: MetricProposals, Label: "scorecard.metric.improvement_proposals", Unit: "nr.", Polarity: "higher"},
	}
}

// Measure computes a metric over [from, to).
//
// improvement.actions_overdue: corrective actions (of nonconformities)
// created before to, due before to and still open at to (open now, or done
// on or after to); ok false when the institution has no corrective action
// yet.
//
// improvement.nc_closed_on_time: of the nonconformities closed in the
// span, the share (%) closed by their target day, the latest due day of
// their corrective actions (a case without a dated action counts as on
// time); ok false when none closed.
//
// improvement.proposals: improvement proposals submitted in the span.
func (s *Service) Measure(ctx context.Context, tenant int64, key string, from, to time.Time) (float64, bool, error) {
	start, end := from.Format(time.DateOnly), to.Format(time.DateOnly)
	switch key {
	case MetricActionsOverdue:
		var overdue, total int
		if err := s.DB.R.QueryRowContext(ctx, `SELECT COALESCE(SUM(CASE WHEN due_on <> '' AND due_on < $2 AND (state = $3 OR state = $4 AND done_on >= $2) THEN 1 ELSE 0 END), 0), COUNT(*)
			FROM improvement_actions WHERE tenant_id = $1 AND nc_id IS NOT NULL AND created_at < $5`, tenant, end, ActionOpen, ActionDone, to).Scan(&overdue, &total); err != nil {
			return 0, false, fmt.Errorf("cannot count overdue actions: %w", err)
		}
		return float64(overdue), total > 0, nil
	case MetricNCClosedOnTime:
		var onTime, total int
		if err := s.DB.R.QueryRowContext(ctx, `SELECT COALESCE(SUM(CASE WHEN t.target IS NULL OR n.closed_on <= t.target THEN 1 ELSE 0 END), 0), COUNT(*)
			FROM nonconformities n LEFT JOIN (SELECT nc_id, MAX(due_on) AS target FROM improvement_actions
				WHERE tenant_id = $1 AND nc_id IS NOT NULL AND state <> $5 AND due_on <> '' GROUP BY nc_id) t ON t.nc_id = n.id
			WHERE n.tenant_id = $1 AND n.state = $2 AND n.closed_on >= $3 AND n.closed_on < $4`, tenant, StateClosed, start, end, ActionCancelled).Scan(&onTime, &total); err != nil {
			return 0, false, fmt.Errorf("cannot count closed nonconformities: %w", err)
		}
		if total == 0 {
			return 0, false, nil
		}
		return float64(onTime) * 100 / float64(total), true, nil
	case MetricProposals:
		var n int
		if err := s.DB.R.QueryRowContext(ctx, `SELECT COUNT(*) FROM improvement_proposals WHERE tenant_id = $1 AND submitted_on >= $2 AND submitted_on < $3`,
			tenant, start, end).Scan(&n); err != nil {
			return 0, false, fmt.Errorf("cannot count proposals: %w", err)
		}
		return float64(n), true, nil
	}
	return 0, false, fmt.Errorf("cannot measure %q: not an improvement metric", key)
}
