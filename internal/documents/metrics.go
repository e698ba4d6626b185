package documents

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"cadran/internal/evidence"
	"cadran/internal/work"
)

// Metrics the scorecard's KPIs may be fed by.
const (
	MetricAckRate       = "documents.ack_rate"
	MetricReviewOverdue = "documents.review_overdue"
)

var _ evidence.MetricSource = (*Service)(nil)

// Metrics lists the figures documented information gives the scorecard.
func (s *Service) Metrics() []evidence.Metric {
	return []evidence.Metric{
		{Key: MetricAckRate, Label: "scorecard.metric.documents_ack_rate", Unit: "%", Polarity: "higher"},
		{Key: MetricReviewOverdue, Label: "scorecard.metric.documents_review_overdue", Unit: "nr.", Polarity: "lower"},
	}
}

// Measure computes a metric over [from, to).
//
// documents.ack_rate: of the read-acknowledgement receipts handed out in
// the span, the share (%) confirmed by their due day (the day received
// plus the institution's acknowledgement days). A receipt still within its
// days and not confirmed yet is not judged; nothing to judge gives ok false.
//
// documents.review_overdue: the documents in force (effective before to)
// whose periodic review day fell before to; ok false when the institution
// has no document in force.
func (s *Service) Measure(ctx context.Context, tenant int64, key string, from, to time.Time) (float64, bool, error) {
	switch key {
	case MetricAckRate:
		return s.ackRate(ctx, tenant, from, to)
	case MetricReviewOverdue:
		end := to.Format(time.DateOnly)
		var overdue, total int
		if err := s.DB.R.QueryRowContext(ctx, `SELECT COALESCE(SUM(CASE WHEN next_review_on <> '' AND next_review_on < $3 THEN 1 ELSE 0 END), 0), COUNT(*)
			FROM documents WHERE tenant_id = $1 AND state = $2 AND effective_on <> '' AND effective_on < $3`, tenant, StateInForce, end).Scan(&overdue, &total); err != nil {
			return 0, false, fmt.Errorf("cannot count documents past review: %w", err)
		}
		return float64(overdue), total > 0, nil
	}
	return 0, false, fmt.Errorf("cannot measure %q: not a documents metric", key)
}

func (s *Service) ackRate(ctx context.Context, tenant int64, from, to time.Time) (float64, bool, error) {
	days := DefaultSettings.AckDays
	err := s.DB.R.QueryRowContext(ctx, `SELECT ack_days FROM document_settings WHERE tenant_id = $1`, tenant).Scan(&days)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return 0, false, fmt.Errorf("cannot read acknowledgement days: %w", err)
	}
	rows, err := s.DB.R.QueryContext(ctx, `SELECT received_at, acknowledged_at FROM document_receipts
		WHERE tenant_id = $1 AND received_at >= $2 AND received_at < $3`, tenant, from, to)
	if err != nil {
		return 0, false, fmt.Errorf("cannot read receipts: %w", err)
	}
	defer rows.Close()
	today := work.Day(s.Clock.Now())
	onTime, judged := 0, 0
	for rows.Next() {
		var received time.Time
		var acked sql.NullTime
		if err := rows.Scan(&received, &acked); err != nil {
			return 0, false, fmt.Errorf("cannot read receipts: %w", err)
		}
		due := work.Day(received).AddDate(0, 0, days)
		switch {
		case acked.Valid && !work.Day(acked.Time).After(due):
			onTime++
			judged++
		case acked.Valid || today.After(due):
			judged++
		}
	}
	if err := rows.Err(); err != nil {
		return 0, false, fmt.Errorf("cannot read receipts: %w", err)
	}
	if judged == 0 {
		return 0, false, nil
	}
	return float64(onTime) * 100 / float64(judged), true, nil
}
