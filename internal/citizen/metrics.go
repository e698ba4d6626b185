package citizen

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"cadran/internal/evidence"
)

var _ evidence.TenantMetricSource = (*Service)(nil)

// Metrics the scorecard's KPIs may be fed by: the institution's whole
// registry, or one service of its catalogue ("citizen.on_time_share/URB-CU").
const (
	MetricOnTimeShare  = "citizen.on_time_share" // % of the cases closed in the period closed by their deadline
	MetricAvgDays      = "citizen.avg_days"      // mean calendar days to close
	MetricP90Days      = "citizen.p90_days"      // 90th percentile of the days to close
	MetricSatisfaction = "citizen.satisfaction"  // mean rating, 1 to 5
	MetricRegistered   = "citizen.registered"    // cases registered
	MetricOverdueOpen  = "citizen.overdue_open"  // cases open past their deadline at the period's end
)

// stMetrics are the metrics with their units, polarities and, for a
// service's metric, the words its name is made of.
var stMetrics = []struct {
	evidence.Metric
	words string
}{
	{evidence.Metric{Key: MetricOnTimeShare, Label: "citizen.metric.on_time_share", Unit: "%", Polarity: "higher"}, "cereri soluționate în termen (%)"},
	{evidence.Metric{Key: MetricAvgDays, Label: "citizen.metric.avg_days", Unit: "zile", Polarity: "lower"}, "durata medie de soluționare (zile)"},
	{evidence.Metric{Key: MetricP90Days, Label: "citizen.metric.p90_days", Unit: "zile", Polarity: "lower"}, "durata de soluționare, percentila 90 (zile)"},
	{evidence.Metric{Key: MetricSatisfaction, Label: "citizen.metric.satisfaction", Unit: "1-5", Polarity: "higher"}, "satisfacția cetățenilor (1-5)"},
	{evidence.Metric{Key: MetricRegistered, Label: "citizen.metric.registered", Unit: "nr.", Polarity: "higher"}, "cereri înregistrate"},
	{evidence.Metric{Key: MetricOverdueOpen, Label: "citizen.metric.overdue_open", Unit: "nr.", Polarity: "lower"}, "cereri nesoluționate cu termenul depășit"},
}

// Metrics are the institution-wide indicators a scorecard KPI may be fed by.
func (s *Service) Metrics() []evidence.Metric {
	out := make([]evidence.Metric, len(stMetrics))
	for i, m := range stMetrics {
		out[i] = m.Metric
	}
	return out
}

// TenantMetrics are each active service's indicators
// ("citizen.on_time_share/URB-CU"), named "<service name>: <metric words>".
func (s *Service) TenantMetrics(ctx context.Context, tenant int64) ([]evidence.Metric, error) {
	services, err := stServices(ctx, s.DB.R, tenant, true)
	if err != nil {
		return nil, err
	}
	out := make([]evidence.Metric, 0, len(services)*len(stMetrics))
	for _, p := range services {
		for _, m := range stMetrics {
			mm := m.Metric
			mm.Key = m.Key + "/" + p.Code
			mm.Name = p.Name + ": " + m.words
			out = append(out, mm)
		}
	}
	return out, nil
}

// Measure computes a metric over [from, to) (to is the day after the
// period's last). ok is false when there is nothing to measure: no case
// closed in the period for a share or a time, no rating for satisfaction,
// or a service code the catalogue no longer has.
func (s *Service) Measure(ctx context.Context, tenant int64, key string, from, to time.Time) (float64, bool, error) {
	base, code, perService := strings.Cut(key, "/")
	known := false
	for _, m := range stMetrics {
		known = known || m.Key == base
	}
	if !known {
		return 0, false, fmt.Errorf("cannot measure %q: not a citizen services metric", key)
	}
	from, last := stDay(from), stDay(to).AddDate(0, 0, -1)
	if last.Before(from) {
		return 0, false, nil
	}
	var in Indicators
	if perService {
		var id int64
		err := s.DB.R.QueryRowContext(ctx, `SELECT id FROM citizen_services WHERE tenant_id = $1 AND code = $2`, tenant, code).Scan(&id)
		if errors.Is(err, sql.ErrNoRows) {
			return 0, false, nil
		}
		if err != nil {
			return 0, false, fmt.Errorf("cannot read service %s: %w", code, err)
		}
		if in, err = s.serviceIndicators(ctx, tenant, id, from, last); err != nil {
			return 0, false, err
		}
	} else {
		aggs, err := stGather(ctx, s.DB.R, tenant, from, last, 0)
		if err != nil {
			return 0, false, err
		}
		var g stAgg
		for _, a := range aggs {
			g.add(a)
		}
		in = g.indicators()
	}
	return MetricValue(in, base)
}

// MetricValue is a metric's value from indicators: ok false when there is
// nothing to measure.
func MetricValue(in Indicators, metric string) (float64, bool, error) {
	switch metric {
	case MetricOnTimeShare:
		return in.OnTimeShare * 100, in.Closed > 0, nil
	case MetricAvgDays:
		return in.AvgDays, in.Closed > 0 && in.AvgDays >= 0, nil
	case MetricP90Days:
		return in.P90Days, in.Closed > 0, nil
	case MetricSatisfaction:
		return in.Satisfaction, in.Ratings > 0, nil
	case MetricRegistered:
		return float64(in.Registered), true, nil
	case MetricOverdueOpen:
		return float64(in.OverdueOpen), true, nil
	}
	return 0, false, fmt.Errorf("cannot measure %q: not a citizen services metric", metric)
}
