package citizen

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"

	"cadran/internal/db"
)

// The indicators' summary: what the registry's cases and the ratings add
// to each month, by service (0: none) and kind, kept in the transaction
// that registers, changes or closes a case, or stores a rating.
//
//   - citizen_stats: per month, the cases registered, the cases closed
//     (answered, refused, redirected) and those closed on time, the ratings
//     and their sum, and the net change of the cases open past their
//     deadline (see stFacts.add);
//   - citizen_stats_days: per month, the closed cases by days taken (the
//     histogram the mean and the 90th percentile come from).
//
// A period's indicators add the whole months of the summary and read the
// days of a month the period covers only in part from the registry (see
// stGather).

// stBucket is a summary row's key.
type stBucket struct {
	month   string // YYYY-MM
	service int64
	kind    string
}

// stFigures are a summary row's figures (or a change to them).
type stFigures struct {
	registered, closed, onTime, overdue, ratings, ratingSum int
}

func (c stFigures) zero() bool { return c == stFigures{} }

type stDaysKey struct {
	stBucket
	days int
}

// stDelta is a change to the summary (or a summary computed from scratch).
type stDelta struct {
	totals map[stBucket]stFigures
	days   map[stDaysKey]int
}

func newStDelta() *stDelta {
	return &stDelta{totals: map[stBucket]stFigures{}, days: map[stDaysKey]int{}}
}

func (d *stDelta) bump(b stBucket, f func(*stFigures)) {
	c := d.totals[b]
	f(&c)
	d.totals[b] = c
}

// stFacts are what the indicators read of a case, as stored.
type stFacts struct {
	service                       int64
	kind, state                   string
	registeredOn, dueOn, closedOn string
	days                          *int
	onTime                        *bool
}

func stFactsOf(c Case) stFacts {
	return stFacts{service: c.ServiceID, kind: c.Kind, state: c.State, registeredOn: dayText(c.RegisteredOn), dueOn: dayText(c.DueOn),
		closedOn: dayText(c.ClosedOn), days: c.DaysTaken, onTime: c.OnTime}
}

// stClosedState: closed for the indicators (filed is not: see Indicators).
func stClosedState(state string) bool {
	return state == StateAnswered || state == StateRefused || state == StateRedirected
}

// stOverdueFrom is the day from which a case not closed by then counts
// as open past its deadline: its deadline, or its registration if later.
func (f stFacts) stOverdueFrom() string {
	return max(f.dueOn, f.registeredOn)
}

// add adds (sign 1) or takes away (sign -1) a case's part of the summary:
//
//   - registered in its registration month;
//   - closed, by days taken and on time or not, in its closing month when
//     closed in one of stClosedState with its days and on-time known;
//   - open past its deadline: a case counts at a period's end e when
//     E <= e and it is not closed by e (E = stOverdueFrom): +1 in E's
//     month when not closed by E, and -1 in its closing month when it was
//     closed after E. Their sum up to e is whether it counts at e.
func (d *stDelta) add(f stFacts, sign int) {
	if !slices.Contains(Kinds, f.kind) || len(f.registeredOn) < 7 {
		return
	}
	b := stBucket{month: f.registeredOn[:7], service: f.service, kind: f.kind}
	d.bump(b, func(c *stFigures) { c.registered += sign })
	if stClosedState(f.state) && len(f.closedOn) >= 7 && f.days != nil && *f.days >= 0 && f.onTime != nil {
		b.month = f.closedOn[:7]
		d.bump(b, func(c *stFigures) {
			c.closed += sign
			if *f.onTime {
				c.onTime += sign
			}
		})
		d.days[stDaysKey{b, *f.days}] += sign
	}
	e := f.stOverdueFrom()
	if len(e) < 7 || (f.closedOn != "" && f.closedOn <= e) {
		return
	}
	b.month = e[:7]
	d.bump(b, func(c *stFigures) { c.overdue += sign })
	if f.closedOn != "" {
		b.month = f.closedOn[:7]
		d.bump(b, func(c *stFigures) { c.overdue -= sign })
	}
}

// addRating adds a rating given on day (YYYY-MM-DD).
func (d *stDelta) addRating(service int64, kind, day string, rating int) {
	if len(day) < 7 {
		return
	}
	d.bump(stBucket{month: day[:7], service: service, kind: kind}, func(c *stFigures) { c.ratings++; c.ratingSum += rating })
}

// sorted returns the buckets and day counts that change, in key order.
func (d *stDelta) sorted() ([]stBucket, []stDaysKey) {
	keys := make([]stBucket, 0, len(d.totals))
	for k, c := range d.totals {
		if !c.zero() {
			keys = append(keys, k)
		}
	}
	slices.SortFunc(keys, stBucketCmp)
	dk := make([]stDaysKey, 0, len(d.days))
	for k, n := range d.days {
		if n != 0 {
			dk = append(dk, k)
		}
	}
	slices.SortFunc(dk, func(a, b stDaysKey) int {
		if c := stBucketCmp(a.stBucket, b.stBucket); c != 0 {
			return c
		}
		return a.days - b.days
	})
	return keys, dk
}

// apply writes the change inside tx, row by row in key order (concurrent
// transactions lock rows in the same order).
func (d *stDelta) apply(ctx context.Context, tx *sql.Tx, tenant int64) error {
	keys, dk := d.sorted()
	for _, k := range keys {
		c := d.totals[k]
		if _, err := tx.ExecContext(ctx, `INSERT INTO citizen_stats (tenant_id, month, service_id, kind, registered, closed, on_time, overdue, ratings, rating_sum)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
			ON CONFLICT (tenant_id, month, service_id, kind) DO UPDATE SET registered = citizen_stats.registered + excluded.registered,
				closed = citizen_stats.closed + excluded.closed, on_time = citizen_stats.on_time + excluded.on_time,
				overdue = citizen_stats.overdue + excluded.overdue, ratings = citizen_stats.ratings + excluded.ratings,
				rating_sum = citizen_stats.rating_sum + excluded.rating_sum`,
			tenant, k.month, k.service, k.kind, c.registered, c.closed, c.onTime, c.overdue, c.ratings, c.ratingSum); err != nil {
			return fmt.Errorf("cannot update the indicators' summary: %w", err)
		}
	}
	for _, k := range dk {
		if _, err := tx.ExecContext(ctx, `INSERT INTO citizen_stats_days (tenant_id, month, service_id, kind, days_taken, closed)
			VALUES ($1, $2, $3, $4, $5, $6)
			ON CONFLICT (tenant_id, month, service_id, kind, days_taken) DO UPDATE SET closed = citizen_stats_days.closed + excluded.closed`,
			tenant, k.month, k.service, k.kind, k.days, d.days[k]); err != nil {
			return fmt.Errorf("cannot update the indicators' summary: %w", err)
		}
	}
	return nil
}

func stBucketCmp(a, b stBucket) int {
	if c := strings.Compare(a.month, b.month); c != 0 {
		return c
	}
	if a.service != b.service {
		if a.service < b.service {
			return -1
		}
		return 1
	}
	return strings.Compare(a.kind, b.kind)
}

// stTrack moves a case's part of the summary from before (zero Case: a
// new case) to after, inside the transaction that writes it.
func stTrack(ctx context.Context, tx *sql.Tx, before, after Case) error {
	d := newStDelta()
	if before.ID != 0 {
		d.add(stFactsOf(before), -1)
	}
	d.add(stFactsOf(after), 1)
	return d.apply(ctx, tx, after.Tenant)
}

// stRated adds a rating to the summary, inside the transaction that
// stores it.
func stRated(ctx context.Context, tx *sql.Tx, tenant, service int64, kind, day string, rating int) error {
	d := newStDelta()
	d.addRating(service, kind, day, rating)
	return d.apply(ctx, tx, tenant)
}

// stScratch computes a tenant's summary from scratch from the registry
// and the ratings.
func stScratch(ctx context.Context, q stQuerier, tenant int64) (*stDelta, error) {
	d := newStDelta()
	rows, err := q.QueryContext(ctx, `SELECT COALESCE(service_id, 0), kind, state, registered_on, due_on, closed_on, days_taken, on_time
		FROM citizen_cases WHERE tenant_id = $1`, tenant)
	if err != nil {
		return nil, fmt.Errorf("cannot read the registry: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var f stFacts
		var days sql.NullInt64
		var onTime sql.NullBool
		if err := rows.Scan(&f.service, &f.kind, &f.state, &f.registeredOn, &f.dueOn, &f.closedOn, &days, &onTime); err != nil {
			return nil, fmt.Errorf("cannot read the registry: %w", err)
		}
		if days.Valid {
			n := int(days.Int64)
			f.days = &n
		}
		if onTime.Valid {
			f.onTime = &onTime.Bool
		}
		d.add(f, 1)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("cannot read the registry: %w", err)
	}
	rows.Close()
	fr, err := q.QueryContext(ctx, `SELECT COALESCE(service_id, 0), kind, given_on, rating FROM citizen_feedback WHERE tenant_id = $1`, tenant)
	if err != nil {
		return nil, fmt.Errorf("cannot read the ratings: %w", err)
	}
	defer fr.Close()
	for fr.Next() {
		var service int64
		var kind, day string
		var rating int
		if err := fr.Scan(&service, &kind, &day, &rating); err != nil {
			return nil, fmt.Errorf("cannot read the ratings: %w", err)
		}
		d.addRating(service, kind, day, rating)
	}
	return d, fr.Err()
}

// RebuildStats recomputes a tenant's indicators' summary from its registry
// and ratings: after writing cases or ratings other than through the
// Service (a bulk load), or to repair it.
func RebuildStats(ctx context.Context, d *db.DB, tenant int64) error {
	return d.Tx(ctx, func(tx *sql.Tx) error {
		for _, table := range []string{"citizen_stats", "citizen_stats_days"} {
			if _, err := tx.ExecContext(ctx, `DELETE FROM `+table+` WHERE tenant_id = $1`, tenant); err != nil {
				return fmt.Errorf("cannot clear the indicators' summary: %w", err)
			}
		}
		s, err := stScratch(ctx, tx, tenant)
		if err != nil {
			return err
		}
		return s.apply(ctx, tx, tenant)
	})
}

// StatsSummary is a tenant's summary as stored, rows with all figures
// zero left out, for the tests to compare with StatsScratch.
func StatsSummary(ctx context.Context, d *db.DB, tenant int64) (map[string]int, error) {
	out := map[string]int{}
	rows, err := d.R.QueryContext(ctx, `SELECT month, service_id, kind, registered, closed, on_time, overdue, ratings, rating_sum FROM citizen_stats WHERE tenant_id = $1`, tenant)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var b stBucket
		var c stFigures
		if err := rows.Scan(&b.month, &b.service, &b.kind, &c.registered, &c.closed, &c.onTime, &c.overdue, &c.ratings, &c.ratingSum); err != nil {
			return nil, err
		}
		stSummaryPut(out, b, c)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	dr, err := d.R.QueryContext(ctx, `SELECT month, service_id, kind, days_taken, closed FROM citizen_stats_days WHERE tenant_id = $1`, tenant)
	if err != nil {
		return nil, err
	}
	defer dr.Close()
	for dr.Next() {
		var k stDaysKey
		var n int
		if err := dr.Scan(&k.month, &k.service, &k.kind, &k.days, &n); err != nil {
			return nil, err
		}
		if n != 0 {
			out[fmt.Sprintf("%s/%d/%s/days %d", k.month, k.service, k.kind, k.days)] = n
		}
	}
	return out, dr.Err()
}

// StatsScratch is a tenant's summary computed from scratch, in the form
// of StatsSummary.
func StatsScratch(ctx context.Context, d *db.DB, tenant int64) (map[string]int, error) {
	s, err := stScratch(ctx, d.R, tenant)
	if err != nil {
		return nil, err
	}
	out := map[string]int{}
	for b, c := range s.totals {
		stSummaryPut(out, b, c)
	}
	for k, n := range s.days {
		if n != 0 {
			out[fmt.Sprintf("%s/%d/%s/days %d", k.month, k.service, k.kind, k.days)] = n
		}
	}
	return out, nil
}

func stSummaryPut(out map[string]int, b stBucket, c stFigures) {
	p := fmt.Sprintf("%s/%d/%s/", b.month, b.service, b.kind)
	for name, n := range map[string]int{"registered": c.registered, "closed": c.closed, "on_time": c.onTime, "overdue": c.overdue, "ratings": c.ratings, "rating_sum": c.ratingSum} {
		if n != 0 {
			out[p+name] = n
		}
	}
}
