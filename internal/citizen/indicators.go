package citizen

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"cadran/internal/auth"
)

// Indicators are a service's (or a kind's) figures over a period: cases
// registered, cases closed and how fast, and satisfaction.
//
// A case counts as closed when it was answered, refused or redirected in
// the period. A case filed away (anonymous, without identification, a
// repeat) is left out: the law does not have it answered, so it says
// nothing of how fast the institution answers and would flatter the
// figures with its zero days; the petition report counts it apart.
type Indicators struct {
	Registered int
	Closed     int
	// AvgDays and P90Days are calendar days from registration to closing
	// of the cases closed in the period (valid when Closed > 0). P90Days
	// is the nearest-rank 90th percentile: the smallest number of days
	// within which at least 90% of the cases were closed.
	AvgDays float64
	P90Days float64
	OnTime  int
	// OnTimeShare is OnTime / Closed, 0 to 1 (valid when Closed > 0).
	OnTimeShare float64
	// OverdueOpen counts the cases open past their deadline at the end of
	// the period: registered by then, not closed by then (closed later, or
	// still open), with their deadline on or before the period's last day.
	OverdueOpen int
	Ratings     int
	// Satisfaction is the mean rating, 1 to 5 (valid when Ratings > 0).
	Satisfaction float64
}

// IndicatorRow is one line of the indicators: a service of the catalogue,
// or the petitions or requests for information not tied to a service.
type IndicatorRow struct {
	ServiceID int64  // zero for a kind's row
	Kind      string // petition, info: the kind's row; service for a service
	Code      string
	Name      string
	Indicators
	// Active is false for a service taken out of the catalogue that still
	// had cases or ratings in the period.
	Active bool
}

// IndicatorSet is the indicators of a period [From, To] (inclusive days).
type IndicatorSet struct {
	From, To time.Time
	Rows     []IndicatorRow
	Total    Indicators
}

// stKey is what the indicators group by: a service, or (for cases and
// ratings tied to no service) a kind.
type stKey struct {
	service int64
	kind    string
}

func stKeyOf(service int64, kind string) stKey {
	if service != 0 {
		return stKey{service: service}
	}
	return stKey{kind: kind}
}

// stAgg gathers a row's figures: the closed cases as a histogram of the
// days they took.
type stAgg struct {
	registered, closed, onTime, overdue int
	days                                map[int]int
	ratings, ratingSum                  int
}

func (g *stAgg) add(o *stAgg) {
	g.registered += o.registered
	g.closed += o.closed
	g.onTime += o.onTime
	g.overdue += o.overdue
	g.ratings += o.ratings
	g.ratingSum += o.ratingSum
	for d, n := range o.days {
		if g.days == nil {
			g.days = map[int]int{}
		}
		g.days[d] += n
	}
}

// indicators turns the gathered figures into the indicators.
func (g *stAgg) indicators() Indicators {
	in := Indicators{Registered: g.registered, Closed: g.closed, OnTime: g.onTime, OverdueOpen: g.overdue, Ratings: g.ratings}
	in.AvgDays, in.P90Days = DaysStats(g.days)
	if g.closed > 0 {
		in.OnTimeShare = float64(g.onTime) / float64(g.closed)
	}
	if g.ratings > 0 {
		in.Satisfaction = float64(g.ratingSum) / float64(g.ratings)
	}
	return in
}

// DaysStats gives the mean and the nearest-rank 90th percentile of a
// histogram of days (days → cases): the percentile is the value at rank
// ⌈0.9·n⌉ of the n values sorted; both 0 when it is empty.
func DaysStats(hist map[int]int) (mean, p90 float64) {
	n, sum := 0, 0
	days := make([]int, 0, len(hist))
	for d, c := range hist {
		if c <= 0 {
			continue
		}
		days = append(days, d)
		n += c
		sum += d * c
	}
	if n == 0 {
		return 0, 0
	}
	sort.Ints(days)
	rank := int(math.Ceil(0.9 * float64(n)))
	seen := 0
	for _, d := range days {
		seen += hist[d]
		if seen >= rank {
			p90 = float64(d)
			break
		}
	}
	return float64(sum) / float64(n), p90
}

// stClosedStates are the states a case counts as closed in for the
// indicators (filed is not: see Indicators).
const stClosedStates = `('` + StateAnswered + `', '` + StateRefused + `', '` + StateRedirected + `')`

// stMonth is a day's month as the summary keys it (YYYY-MM).
func stMonth(d time.Time) string { return d.Format("2006-01") }

func stFirstOfMonth(d time.Time) time.Time {
	return time.Date(d.Year(), d.Month(), 1, 0, 0, 0, 0, time.UTC)
}

func stLastOfMonth(d time.Time) time.Time { return stFirstOfMonth(d).AddDate(0, 1, -1) }

// stSpan is a run of days [a, b] whose figures a period adds (sign 1) or
// takes away (sign -1): a month's days it covers, or those it does not
// cover of a month read whole from the summary.
type stSpan struct {
	a, b time.Time
	sign int
}

// stPeriodPlan is how a period is read: the months [loM, hiM] from the
// summary (none when loM > hiM), plus or minus days from the registry;
// the open past their deadline at its end as the summary's changes up to
// overdueM, plus or minus those of the days of overdue (sign 0: none).
type stPeriodPlan struct {
	loM, hiM, overdueM string
	spans              []stSpan
	overdue            stSpan
}

// stPlan splits [from, to]: the months it covers whole come from the
// summary; of a month it covers in part, the days it covers are read from
// the registry, or, when fewer, the month is read whole and the days it
// does not cover taken away (the current month up to yesterday: the days
// from today on, with nothing closed yet).
func stPlan(from, to time.Time) stPeriodPlan {
	var p stPeriodPlan
	var whole []time.Time // the first days of the months read whole, in order
	part := func(a, b time.Time) {
		first, last := stFirstOfMonth(a), stLastOfMonth(a)
		if covered := stDays(a, b); covered <= stDays(first, last)-covered {
			p.spans = append(p.spans, stSpan{a, b, 1})
			return
		}
		whole = append(whole, first)
		if a.After(first) {
			p.spans = append(p.spans, stSpan{first, a.AddDate(0, 0, -1), -1})
		}
		if b.Before(last) {
			p.spans = append(p.spans, stSpan{b.AddDate(0, 0, 1), last, -1})
		}
	}
	for m := stFirstOfMonth(from); !m.After(to); m = m.AddDate(0, 1, 0) {
		a, b := m, stLastOfMonth(m)
		if from.After(a) {
			a = from
		}
		if to.Before(b) {
			b = to
		}
		if a.Equal(m) && b.Equal(stLastOfMonth(m)) {
			whole = append(whole, m)
		} else {
			part(a, b)
		}
	}
	// Whole months are contiguous: those inside, and an end month read
	// whole beside them.
	slices.SortFunc(whole, func(a, b time.Time) int { return a.Compare(b) })
	lo, hi := time.Time{}, time.Time{}.AddDate(-1, 0, 0)
	if len(whole) > 0 {
		lo, hi = whole[0], whole[len(whole)-1]
	}
	p.loM, p.hiM = "9999-99", "0000-00"
	if !hi.Before(lo) {
		p.loM, p.hiM = stMonth(lo), stMonth(hi)
	}
	// The open past their deadline at to: the changes up to the end of
	// to's month less those after to, or up to the month before plus those
	// of to's month up to to.
	p.overdueM = stMonth(to)
	if last := stLastOfMonth(to); to.Before(last) {
		first := stFirstOfMonth(to)
		if stDays(first, to) <= stDays(to.AddDate(0, 0, 1), last) {
			p.overdueM = stMonth(first.AddDate(0, 0, -1))
			p.overdue = stSpan{first, to, 1}
		} else {
			p.overdue = stSpan{to.AddDate(0, 0, 1), last, -1}
		}
	}
	return p
}

// stDays counts the days of [a, b].
func stDays(a, b time.Time) int { return int(b.Sub(a).Hours()/24) + 1 }

// stGather reads the figures of [from, to] (inclusive days) of every
// service and kind, or of one service when service is not zero.
//
// SQLite has no hash aggregate: a GROUP BY over a year's hundred thousand
// cases sorts them all. So the months the period covers whole are read
// from the summary (citizen_stats, citizen_stats_days: a few rows per
// service and month), and only the days of a month it covers in part from
// the registry, as ranges of citizen_cases_closed, citizen_cases_stats_reg,
// citizen_cases_stats_due and citizen_feedback_stats. The cases open past
// their deadline at the end are the sum of the summary's changes up to the
// end's month, and of those on the days of that month up to the end.
func stGather(ctx context.Context, q stQuerier, tenant int64, from, to time.Time, service int64) (map[stKey]*stAgg, error) {
	out := map[stKey]*stAgg{}
	// at is the figures a row of the registry adds to; nil: none (a kind
	// the indicators do not know, or another service than the one asked).
	at := func(sid int64, kind string, rating bool) *stAgg {
		if !slices.Contains(Kinds, kind) && !(rating && sid != 0) {
			return nil
		}
		k := stKeyOf(sid, kind)
		if service != 0 && k.service != service {
			return nil
		}
		g := out[k]
		if g == nil {
			g = &stAgg{}
			out[k] = g
		}
		return g
	}
	plan := stPlan(from, to)
	loM, hiM, overdueM := plan.loM, plan.hiM, plan.overdueM
	read := func(what, text string, args []any, scan func(rows *sql.Rows) error) error {
		rows, err := stQuery(ctx, q, text, args...)
		if err != nil {
			return fmt.Errorf("cannot read the indicators (%s): %w", what, err)
		}
		defer rows.Close()
		for rows.Next() {
			if err := scan(rows); err != nil {
				return fmt.Errorf("cannot read the indicators (%s): %w", what, err)
			}
		}
		if err := rows.Err(); err != nil {
			return fmt.Errorf("cannot read the indicators (%s): %w", what, err)
		}
		return nil
	}
	var sid int64
	var kind string
	var a, b, c, d, e, o int
	err := read("summary", `SELECT service_id, kind,
			SUM(CASE WHEN month >= $2 AND month <= $3 THEN registered ELSE 0 END), SUM(CASE WHEN month >= $2 AND month <= $3 THEN closed ELSE 0 END),
			SUM(CASE WHEN month >= $2 AND month <= $3 THEN on_time ELSE 0 END), SUM(CASE WHEN month >= $2 AND month <= $3 THEN ratings ELSE 0 END),
			SUM(CASE WHEN month >= $2 AND month <= $3 THEN rating_sum ELSE 0 END), SUM(CASE WHEN month <= $4 THEN overdue ELSE 0 END)
		FROM citizen_stats WHERE tenant_id = $1 AND month <= $5 GROUP BY service_id, kind`,
		[]any{tenant, loM, hiM, overdueM, max(hiM, overdueM)}, func(rows *sql.Rows) error {
			if err := rows.Scan(&sid, &kind, &a, &b, &c, &d, &e, &o); err != nil {
				return err
			}
			if g := at(sid, kind, false); g != nil {
				g.registered += a
				g.closed += b
				g.onTime += c
				g.overdue += o
			}
			if g := at(sid, kind, true); g != nil {
				g.ratings += d
				g.ratingSum += e
			}
			return nil
		})
	if err != nil {
		return nil, err
	}
	hist := func(sid int64, kind string, days, n int) {
		if g := at(sid, kind, false); g != nil && n != 0 {
			if g.days == nil {
				g.days = map[int]int{}
			}
			g.days[days] += n
		}
	}
	if loM <= hiM {
		// Read row by row: a GROUP BY would sort them (no hash aggregate).
		err := read("summary", `SELECT service_id, kind, days_taken, closed FROM citizen_stats_days
			WHERE tenant_id = $1 AND month >= $2 AND month <= $3`,
			[]any{tenant, loM, hiM}, func(rows *sql.Rows) error {
				if err := rows.Scan(&sid, &kind, &a, &b); err != nil {
					return err
				}
				hist(sid, kind, a, b)
				return nil
			})
		if err != nil {
			return nil, err
		}
	}
	for _, sp := range plan.spans {
		sign := sp.sign
		args := []any{tenant, sp.a.Format(time.DateOnly), sp.b.Format(time.DateOnly)}
		err := read("registered", `SELECT COALESCE(service_id, 0), kind, COUNT(*) FROM citizen_cases
			WHERE tenant_id = $1 AND registered_on >= $2 AND registered_on <= $3 GROUP BY COALESCE(service_id, 0), kind`,
			args, func(rows *sql.Rows) error {
				if err := rows.Scan(&sid, &kind, &a); err != nil {
					return err
				}
				if g := at(sid, kind, false); g != nil {
					g.registered += sign * a
				}
				return nil
			})
		if err != nil {
			return nil, err
		}
		err = read("closed", `SELECT COALESCE(service_id, 0), kind, days_taken, COUNT(*), SUM(CASE WHEN on_time THEN 1 ELSE 0 END) FROM citizen_cases
			WHERE tenant_id = $1 AND closed_on >= $2 AND closed_on <= $3 AND state IN `+stClosedStates+` AND days_taken >= 0 AND on_time IS NOT NULL
			GROUP BY COALESCE(service_id, 0), kind, days_taken`,
			args, func(rows *sql.Rows) error {
				if err := rows.Scan(&sid, &kind, &a, &b, &c); err != nil {
					return err
				}
				if g := at(sid, kind, false); g != nil {
					g.closed += sign * b
					g.onTime += sign * c
				}
				hist(sid, kind, a, sign*b)
				return nil
			})
		if err != nil {
			return nil, err
		}
		err = read("ratings", `SELECT COALESCE(service_id, 0), kind, COUNT(*), COALESCE(SUM(rating), 0) FROM citizen_feedback
			WHERE tenant_id = $1 AND given_on >= $2 AND given_on <= $3 GROUP BY COALESCE(service_id, 0), kind`,
			args, func(rows *sql.Rows) error {
				if err := rows.Scan(&sid, &kind, &a, &b); err != nil {
					return err
				}
				if g := at(sid, kind, true); g != nil {
					g.ratings += sign * a
					g.ratingSum += sign * b
				}
				return nil
			})
		if err != nil {
			return nil, err
		}
	}
	if sp := plan.overdue; sp.sign != 0 {
		// The changes on the days of to's month up to to, or taken away
		// those after it (see stFacts.add): +1 for a case not closed by the
		// day it became overdue (its deadline, or its registration if
		// later) when that day is one of them, -1 for a case closed on one
		// of them after that day.
		err := read("overdue", `SELECT 1, COALESCE(service_id, 0), kind, COUNT(*) FROM citizen_cases
				WHERE tenant_id = $1 AND due_on >= $2 AND due_on <= $3 AND registered_on <= due_on AND (closed_on = '' OR closed_on > due_on)
				GROUP BY COALESCE(service_id, 0), kind
			UNION ALL SELECT 1, COALESCE(service_id, 0), kind, COUNT(*) FROM citizen_cases
				WHERE tenant_id = $1 AND registered_on >= $2 AND registered_on <= $3 AND due_on < registered_on AND (closed_on = '' OR closed_on > registered_on)
				GROUP BY COALESCE(service_id, 0), kind
			UNION ALL SELECT -1, COALESCE(service_id, 0), kind, COUNT(*) FROM citizen_cases
				WHERE tenant_id = $1 AND closed_on >= $2 AND closed_on <= $3 AND closed_on > due_on AND closed_on > registered_on
				GROUP BY COALESCE(service_id, 0), kind`,
			[]any{tenant, sp.a.Format(time.DateOnly), sp.b.Format(time.DateOnly)}, func(rows *sql.Rows) error {
				if err := rows.Scan(&a, &sid, &kind, &b); err != nil {
					return err
				}
				if g := at(sid, kind, false); g != nil {
					g.overdue += sp.sign * a * b
				}
				return nil
			})
		if err != nil {
			return nil, err
		}
	}
	// A group with nothing to show is left out, as if never read.
	for k, g := range out {
		if g.registered == 0 && g.closed == 0 && g.overdue == 0 && g.ratings == 0 {
			delete(out, k)
		}
	}
	return out, nil
}

// stStmts caches the indicators' prepared statements by database and
// text: their plans cost more than some of their runs.
var stStmts sync.Map // stStmtKey → *sql.Stmt

type stStmtKey struct {
	db   *sql.DB
	text string
}

// stQuery runs text through a statement prepared once per database
// when q is one (a transaction runs it as it is).
func stQuery(ctx context.Context, q stQuerier, text string, args ...any) (*sql.Rows, error) {
	d, ok := q.(*sql.DB)
	if !ok {
		return q.QueryContext(ctx, text, args...)
	}
	k := stStmtKey{d, text}
	st, ok := stStmts.Load(k)
	if !ok {
		p, err := d.PrepareContext(ctx, text)
		if err != nil {
			return nil, err
		}
		var loaded bool
		if st, loaded = stStmts.LoadOrStore(k, p); loaded {
			p.Close()
		}
	}
	return st.(*sql.Stmt).QueryContext(ctx, args...)
}

// stIndicatorSet lays the gathered figures out in rows: every active
// service (and any other with figures in the period) by code, then the
// petitions and the requests for information tied to no service, then
// anything else tied to no service when it has figures.
func stIndicatorSet(services []PublicService, aggs map[stKey]*stAgg, from, to time.Time) IndicatorSet {
	set := IndicatorSet{From: from, To: to}
	var total stAgg
	used := map[stKey]bool{}
	for _, p := range services {
		k := stKey{service: p.ID}
		g := aggs[k]
		if !p.Active && g == nil {
			continue
		}
		if g == nil {
			g = &stAgg{}
		}
		used[k] = true
		total.add(g)
		set.Rows = append(set.Rows, IndicatorRow{ServiceID: p.ID, Kind: KindService, Code: p.Code, Name: p.Name, Indicators: g.indicators(), Active: p.Active})
	}
	kinds := []string{KindPetition, KindInfo}
	var rest []string
	for k := range aggs {
		if k.service == 0 && k.kind != KindPetition && k.kind != KindInfo {
			rest = append(rest, k.kind)
		}
	}
	sort.Strings(rest)
	for _, kind := range append(kinds, rest...) {
		k := stKey{kind: kind}
		g := aggs[k]
		if g == nil {
			g = &stAgg{}
		}
		used[k] = true
		total.add(g)
		set.Rows = append(set.Rows, IndicatorRow{Kind: kind, Indicators: g.indicators(), Active: true})
	}
	// Figures of a service not in the list (none, unless it was added
	// while reading) still count in the total.
	for k, g := range aggs {
		if !used[k] {
			total.add(g)
		}
	}
	set.Total = total.indicators()
	return set
}

// stCheckPeriod refuses a period that ends before it starts.
func stCheckPeriod(from, to time.Time) error {
	if from.IsZero() || to.IsZero() || to.Before(from) {
		return fmt.Errorf("cannot compute indicators: the period %s to %s is empty", from.Format(time.DateOnly), to.Format(time.DateOnly))
	}
	return nil
}

// ServiceIndicators computes every service's and kind's indicators over
// [from, to] (PermCitizenStats).
func (s *Service) ServiceIndicators(ctx context.Context, a auth.Actor, from, to time.Time) (IndicatorSet, error) {
	if err := a.Require(auth.PermCitizenStats); err != nil {
		return IndicatorSet{}, err
	}
	return s.indicatorSet(ctx, a.Tenant, stDay(from), stDay(to))
}

func (s *Service) indicatorSet(ctx context.Context, tenant int64, from, to time.Time) (IndicatorSet, error) {
	if err := stCheckPeriod(from, to); err != nil {
		return IndicatorSet{}, err
	}
	services, err := stServices(ctx, s.DB.R, tenant, false)
	if err != nil {
		return IndicatorSet{}, err
	}
	aggs, err := stGather(ctx, s.DB.R, tenant, from, to, 0)
	if err != nil {
		return IndicatorSet{}, err
	}
	return stIndicatorSet(services, aggs, from, to), nil
}

// IndicatorsOf computes one service's indicators over [from, to].
func (s *Service) IndicatorsOf(ctx context.Context, a auth.Actor, serviceID int64, from, to time.Time) (Indicators, error) {
	if err := a.Require(auth.PermCitizenStats); err != nil {
		return Indicators{}, err
	}
	if _, err := stService(ctx, s.DB.R, a.Tenant, serviceID); err != nil {
		return Indicators{}, err
	}
	return s.serviceIndicators(ctx, a.Tenant, serviceID, stDay(from), stDay(to))
}

func (s *Service) serviceIndicators(ctx context.Context, tenant, serviceID int64, from, to time.Time) (Indicators, error) {
	if err := stCheckPeriod(from, to); err != nil {
		return Indicators{}, err
	}
	aggs, err := stGather(ctx, s.DB.R, tenant, from, to, serviceID)
	if err != nil {
		return Indicators{}, err
	}
	var g stAgg
	for _, a := range aggs {
		g.add(a)
	}
	return g.indicators(), nil
}

// RowLabel is a row's name for a table: the service's code and name, or
// "" for a kind's row (the caller shows the kind's words).
func (r IndicatorRow) RowLabel() string {
	if r.ServiceID == 0 {
		return ""
	}
	return strings.TrimSpace(r.Code + " " + r.Name)
}
