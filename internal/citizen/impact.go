package citizen

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"cadran/internal/auth"
)

// ImpactRow compares a service's indicators in its baseline period with
// the current period.
type ImpactRow struct {
	IndicatorRow             // the current period's
	Baseline                 Indicators
	BaselineFrom, BaselineTo time.Time // zero: no baseline set
	// OwnBaseline: the service's own baseline, not the institution's.
	OwnBaseline bool
}

// HasBaseline reports whether the row has a baseline to compare with.
func (r ImpactRow) HasBaseline() bool { return !r.BaselineFrom.IsZero() }

// Change is the current period's figures less the baseline's, indicator by
// indicator (a share as a share, 0 to 1; the mean rating in points).
// Figures without data on either side (no case closed, no rating) are
// reported by the Has* flags as not comparable.
type Change struct {
	Registered, Closed, OverdueOpen, Ratings    int
	AvgDays, P90Days, OnTimeShare, Satisfaction float64
	// HasTimes: both periods closed cases (AvgDays, P90Days, OnTimeShare
	// mean something); HasSatisfaction: both periods had ratings.
	HasTimes, HasSatisfaction bool
}

// Change gives the row's change from the baseline (zero without one).
func (r ImpactRow) Change() Change {
	if !r.HasBaseline() {
		return Change{}
	}
	cur, base := r.Indicators, r.Baseline
	c := Change{Registered: cur.Registered - base.Registered, Closed: cur.Closed - base.Closed, OverdueOpen: cur.OverdueOpen - base.OverdueOpen,
		Ratings: cur.Ratings - base.Ratings}
	if cur.Closed > 0 && base.Closed > 0 {
		c.HasTimes = true
		c.AvgDays, c.P90Days, c.OnTimeShare = cur.AvgDays-base.AvgDays, cur.P90Days-base.P90Days, cur.OnTimeShare-base.OnTimeShare
	}
	if cur.Ratings > 0 && base.Ratings > 0 {
		c.HasSatisfaction = true
		c.Satisfaction = cur.Satisfaction - base.Satisfaction
	}
	return c
}

// Impact is the impact report: every service's current period against its
// baseline.
type Impact struct {
	From, To time.Time
	Rows     []ImpactRow
	// The institution's baseline (zero: none set), which rows without a
	// baseline of their own use.
	BaselineFrom, BaselineTo time.Time
}

// stBaseline reads the institution's impact baseline from its settings;
// zero when never set.
func stBaseline(ctx context.Context, q stQuerier, tenant int64) (from, to time.Time, err error) {
	var f, t string
	err = q.QueryRowContext(ctx, `SELECT baseline_from, baseline_to FROM citizen_settings WHERE tenant_id = $1`, tenant).Scan(&f, &t)
	if errors.Is(err, sql.ErrNoRows) {
		return time.Time{}, time.Time{}, nil
	}
	if err != nil {
		return time.Time{}, time.Time{}, fmt.Errorf("cannot read the impact baseline: %w", err)
	}
	from, to = stParseDate(f), stParseDate(t)
	if from.IsZero() || to.IsZero() || to.Before(from) {
		return time.Time{}, time.Time{}, nil
	}
	return from, to, nil
}

// Impact compares every service's indicators over [from, to] with its
// baseline (its own, else the institution's) (PermCitizenStats). The
// petitions and requests tied to no service are compared with the
// institution's baseline.
func (s *Service) Impact(ctx context.Context, a auth.Actor, from, to time.Time) (Impact, error) {
	if err := a.Require(auth.PermCitizenStats); err != nil {
		return Impact{}, err
	}
	return s.impact(ctx, a.Tenant, stDay(from), stDay(to))
}

func (s *Service) impact(ctx context.Context, tenant int64, from, to time.Time) (Impact, error) {
	cur, err := s.indicatorSet(ctx, tenant, from, to)
	if err != nil {
		return Impact{}, err
	}
	out := Impact{From: cur.From, To: cur.To}
	if out.BaselineFrom, out.BaselineTo, err = stBaseline(ctx, s.DB.R, tenant); err != nil {
		return Impact{}, err
	}
	services, err := stServices(ctx, s.DB.R, tenant, false)
	if err != nil {
		return Impact{}, err
	}
	byID := map[int64]PublicService{}
	for _, p := range services {
		byID[p.ID] = p
	}
	// One gathering per distinct baseline period (usually one or two).
	type period struct{ from, to time.Time }
	gathered := map[period]map[stKey]*stAgg{}
	for _, r := range cur.Rows {
		row := ImpactRow{IndicatorRow: r, BaselineFrom: out.BaselineFrom, BaselineTo: out.BaselineTo}
		if p, ok := byID[r.ServiceID]; ok && r.ServiceID != 0 && !p.BaselineFrom.IsZero() && !p.BaselineTo.Before(p.BaselineFrom) {
			row.BaselineFrom, row.BaselineTo, row.OwnBaseline = p.BaselineFrom, p.BaselineTo, true
		}
		if row.HasBaseline() {
			pd := period{row.BaselineFrom, row.BaselineTo}
			aggs, ok := gathered[pd]
			if !ok {
				if aggs, err = stGather(ctx, s.DB.R, tenant, pd.from, pd.to, 0); err != nil {
					return Impact{}, err
				}
				gathered[pd] = aggs
			}
			if g := aggs[stKeyOf(r.ServiceID, r.Kind)]; g != nil {
				row.Baseline = g.indicators()
			}
		}
		out.Rows = append(out.Rows, row)
	}
	return out, nil
}
