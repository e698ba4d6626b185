package training

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"strings"
	"time"

	"cadran/internal/auth"
	"cadran/internal/evidence"
	"cadran/internal/work"
)

var _ evidence.TenantMetricSource = (*Service)(nil)

// Metric keys the scorecard may feed a KPI with.
const (
	MetricTrained        = "training.people_trained"    // people who completed a programme in the period
	MetricCertified      = "training.people_certified"  // people who obtained a certificate in the period
	MetricHoursPerPerson = "training.hours_per_person"  // hours attended in the period per active person
	MetricInductionOK    = "training.induction_on_time" // share of plans due in the period completed on time, %
	MetricCoverage       = "training.matrix_coverage"   // share of required competences held, %, at the period's end
	// MetricGroupShare is per target group ("training.group_share/GT-CODE"):
	// the share of its members who completed its programmes, %.
	MetricGroupShare = "training.group_share"
)

// metList is the institution-wide metrics, all better when higher.
var metList = []evidence.Metric{
	{Key: MetricTrained, Label: "training.metric.people_trained", Unit: "nr.", Polarity: "higher"},
	{Key: MetricCertified, Label: "training.metric.people_certified", Unit: "nr.", Polarity: "higher"},
	{Key: MetricHoursPerPerson, Label: "training.metric.hours_per_person", Unit: "ore", Polarity: "higher"},
	{Key: MetricInductionOK, Label: "training.metric.induction_on_time", Unit: "%", Polarity: "higher"},
	{Key: MetricCoverage, Label: "training.metric.matrix_coverage", Unit: "%", Polarity: "higher"},
}

// Overview is the module's front page.
type Overview struct {
	Year int
	// People trained and certified this year, hours per active person.
	Trained, Certified int
	HoursPerPerson     float64
	// Certificates expiring within the renewal days, and expired (not
	// renewed).
	Expiring, Expired int
	// Induction plans open, and overdue.
	InductionsOpen, InductionsOverdue int
	// Coverage of the competence matrix, %; Gaps its gap cells.
	Coverage float64
	Gaps     int
	Upcoming []Session // the next sessions
	Groups   []Group   // active target groups with their progress
	// Required counts the matrix's required cells (0: no requirement set,
	// Coverage means nothing).
	Required int
}

// OverviewUpcoming is how many upcoming sessions the front page lists.
const OverviewUpcoming = 5

// Overview reads the front page's figures for the year: the institution's
// (people trained and certified, hours, certificates to renew, induction
// plans, the matrix), the next planned sessions, and for the records
// permission the active target groups with their progress.
func (s *Service) Overview(ctx context.Context, a auth.Actor, year int) (Overview, error) {
	if err := a.Require(auth.PermTrainingView); err != nil {
		return Overview{}, err
	}
	today := work.Day(s.Clock.Now())
	if year < 2000 || year > 2100 {
		year = today.Year()
	}
	out := Overview{Year: year}
	from := time.Date(year, 1, 1, 0, 0, 0, 0, time.UTC).Format(time.DateOnly)
	to := time.Date(year+1, 1, 1, 0, 0, 0, 0, time.UTC).Format(time.DateOnly)
	q := s.DB.R
	var err error
	if out.Trained, err = metTrained(ctx, q, a.Tenant, from, to); err != nil {
		return Overview{}, err
	}
	if out.Certified, err = metCertified(ctx, q, a.Tenant, from, to); err != nil {
		return Overview{}, err
	}
	if out.HoursPerPerson, _, err = metHoursPerPerson(ctx, q, a.Tenant, from, to); err != nil {
		return Overview{}, err
	}
	st, err := settingsOf(ctx, q, a.Tenant)
	if err != nil {
		return Overview{}, err
	}
	if out.Expiring, out.Expired, err = metExpiry(ctx, q, a.Tenant, today, st.RenewalDays); err != nil {
		return Overview{}, err
	}
	if out.InductionsOpen, out.InductionsOverdue, _, err = metInductions(ctx, q, a.Tenant, today); err != nil {
		return Overview{}, err
	}
	var cov metCoverage
	if cov, err = s.metMatrix(ctx, a.Tenant, today); err != nil {
		return Overview{}, err
	}
	out.Required, out.Gaps, out.Coverage = cov.required, cov.gaps, cov.percent()
	up, err := s.Sessions(ctx, a, SessionFilter{From: today.Format(time.DateOnly), State: SessionPlanned, Sort: "start", PerPage: OverviewUpcoming})
	if err != nil {
		return Overview{}, err
	}
	out.Upcoming = up.Items
	if a.Can(auth.PermTrainingRecords) {
		gs, err := s.Groups(ctx, a, GroupFilter{Active: "yes", Sort: "code", PerPage: 20})
		if err != nil {
			return Overview{}, err
		}
		out.Groups = gs.Items
	}
	return out, nil
}

// Metrics lists the metrics the module computes.
func (s *Service) Metrics() []evidence.Metric {
	return append([]evidence.Metric(nil), metList...)
}

// TenantMetrics lists the per-group metrics of an institution: one per
// active target group ("training.group_share/GT-CODE"), named in the
// institution's words.
func (s *Service) TenantMetrics(ctx context.Context, tenant int64) ([]evidence.Metric, error) {
	rows, err := s.DB.R.QueryContext(ctx, `SELECT code, name FROM training_groups WHERE tenant_id = $1 AND active ORDER BY code`, tenant)
	if err != nil {
		return nil, fmt.Errorf("cannot list target groups: %w", err)
	}
	defer rows.Close()
	var out []evidence.Metric
	for rows.Next() {
		var code, name string
		if err := rows.Scan(&code, &name); err != nil {
			return nil, fmt.Errorf("cannot list target groups: %w", err)
		}
		out = append(out, evidence.Metric{Key: MetricGroupShare + "/" + code, Label: "training.metric.group_share", Unit: "%", Polarity: "higher",
			Name: indRO().T("traininginduction.metric.group_share_name", "Code", code, "Name", name)})
	}
	return out, rows.Err()
}

// Measure computes a metric over [from, to) (to is the day after the
// period's last):
//   - people trained: distinct people with an enrolment completed in the
//     period;
//   - people certified: distinct people with a certificate (not revoked)
//     issued in the period;
//   - hours per person: the hours of the enrolments completed in the
//     period over the active people (ok false with nobody active);
//   - induction on time: the share of the plans due in the period (not
//     cancelled) completed by their due day (ok false when none was due);
//   - matrix coverage: the share of the required cells of the matrix on
//     the period's last day held at the level (ok false when nothing is
//     required);
//   - a group's share: the share of its members on the period's last day
//     (joined, not left) who had completed every programme of the group
//     by then (ok false with no member, no programme or an unknown code).
func (s *Service) Measure(ctx context.Context, tenant int64, key string, from, to time.Time) (float64, bool, error) {
	base, code, perGroup := strings.Cut(key, "/")
	if perGroup != (base == MetricGroupShare) {
		return 0, false, fmt.Errorf("cannot measure %q: not a training metric", key)
	}
	f, t := work.Day(from), work.Day(to)
	if !t.After(f) {
		return 0, false, nil
	}
	fs, ts := f.Format(time.DateOnly), t.Format(time.DateOnly)
	last := t.AddDate(0, 0, -1)
	q := s.DB.R
	switch base {
	case MetricTrained:
		n, err := metTrained(ctx, q, tenant, fs, ts)
		return float64(n), err == nil, err
	case MetricCertified:
		n, err := metCertified(ctx, q, tenant, fs, ts)
		return float64(n), err == nil, err
	case MetricHoursPerPerson:
		return metHoursPerPerson(ctx, q, tenant, fs, ts)
	case MetricInductionOK:
		var due, onTime int
		if err := q.QueryRowContext(ctx, `SELECT COUNT(*), COALESCE(SUM(CASE WHEN state = $4 AND completed_on <> '' AND completed_on <= due_on THEN 1 ELSE 0 END), 0)
			FROM training_inductions WHERE tenant_id = $1 AND due_on >= $2 AND due_on < $3 AND state <> $5`,
			tenant, fs, ts, InductionCompleted, InductionCancelled).Scan(&due, &onTime); err != nil {
			return 0, false, fmt.Errorf("cannot measure induction plans: %w", err)
		}
		if due == 0 {
			return 0, false, nil
		}
		return metRound(100 * float64(onTime) / float64(due)), true, nil
	case MetricCoverage:
		cov, err := s.metMatrix(ctx, tenant, last)
		if err != nil {
			return 0, false, err
		}
		return cov.percent(), cov.required > 0, nil
	case MetricGroupShare:
		return metGroupShare(ctx, q, tenant, code, last.Format(time.DateOnly))
	}
	return 0, false, fmt.Errorf("cannot measure %q: not a training metric", key)
}

// metRound rounds to two decimals.
func metRound(x float64) float64 { return math.Round(x*100) / 100 }

// metTrained counts the people with an enrolment completed in [from, to).
func metTrained(ctx context.Context, q querier, tenant int64, from, to string) (int, error) {
	var n int
	if err := q.QueryRowContext(ctx, `SELECT COUNT(DISTINCT person_id) FROM training_enrolments
		WHERE tenant_id = $1 AND state = $2 AND completed_on >= $3 AND completed_on < $4`, tenant, EnrolCompleted, from, to).Scan(&n); err != nil {
		return 0, fmt.Errorf("cannot count people trained: %w", err)
	}
	return n, nil
}

// metCertified counts the people with a certificate (not revoked) issued
// in [from, to).
func metCertified(ctx context.Context, q querier, tenant int64, from, to string) (int, error) {
	var n int
	if err := q.QueryRowContext(ctx, `SELECT COUNT(DISTINCT person_id) FROM training_certificates
		WHERE tenant_id = $1 AND revoked = FALSE AND issued_on >= $2 AND issued_on < $3`, tenant, from, to).Scan(&n); err != nil {
		return 0, fmt.Errorf("cannot count people certified: %w", err)
	}
	return n, nil
}

// metHoursPerPerson is the hours of the enrolments completed in [from, to)
// over the active people; ok false with nobody active.
func metHoursPerPerson(ctx context.Context, q querier, tenant int64, from, to string) (float64, bool, error) {
	var hours float64
	var people int
	if err := q.QueryRowContext(ctx, `SELECT
			COALESCE((SELECT SUM(hours) FROM training_enrolments WHERE tenant_id = $1 AND state = $2 AND completed_on >= $3 AND completed_on < $4), 0.0),
			(SELECT COUNT(*) FROM people WHERE tenant_id = $1 AND active)`, tenant, EnrolCompleted, from, to).Scan(&hours, &people); err != nil {
		return 0, false, fmt.Errorf("cannot measure hours per person: %w", err)
	}
	if people == 0 {
		return 0, false, nil
	}
	return metRound(hours / float64(people)), true, nil
}

// metExpiry counts the certificates of active people, not revoked nor
// renewed, that expire within days of today, and those already expired.
// The renewed ones are read once (renews_id has no index: a correlated
// subquery would scan the table for each certificate).
func metExpiry(ctx context.Context, q querier, tenant int64, today time.Time, days int) (expiring, expired int, err error) {
	d, w := today.Format(time.DateOnly), today.AddDate(0, 0, days).Format(time.DateOnly)
	err = q.QueryRowContext(ctx, `SELECT
			COALESCE(SUM(CASE WHEN c.expires_on >= $2 AND c.expires_on <= $3 THEN 1 ELSE 0 END), 0),
			COALESCE(SUM(CASE WHEN c.expires_on < $2 THEN 1 ELSE 0 END), 0)
		FROM training_certificates c JOIN people p ON p.id = c.person_id
		WHERE c.tenant_id = $1 AND c.revoked = FALSE AND c.expires_on <> '' AND p.active
			AND c.id NOT IN (SELECT r.renews_id FROM training_certificates r WHERE r.tenant_id = $1 AND r.renews_id IS NOT NULL AND r.revoked = FALSE)`,
		tenant, d, w).Scan(&expiring, &expired)
	if err != nil {
		return 0, 0, fmt.Errorf("cannot count expiring certificates: %w", err)
	}
	return expiring, expired, nil
}

// metInductions counts the open induction plans, those of them overdue on
// today, and the plans completed.
func metInductions(ctx context.Context, q querier, tenant int64, today time.Time) (open, overdue, completed int, err error) {
	err = q.QueryRowContext(ctx, `SELECT
			COALESCE(SUM(CASE WHEN state = $2 THEN 1 ELSE 0 END), 0),
			COALESCE(SUM(CASE WHEN state = $2 AND due_on < $3 THEN 1 ELSE 0 END), 0),
			COALESCE(SUM(CASE WHEN state = $4 THEN 1 ELSE 0 END), 0)
		FROM training_inductions WHERE tenant_id = $1`, tenant, InductionOpen, today.Format(time.DateOnly), InductionCompleted).Scan(&open, &overdue, &completed)
	if err != nil {
		return 0, 0, 0, fmt.Errorf("cannot count induction plans: %w", err)
	}
	return open, overdue, completed, nil
}

// metCoverage sums the matrix's required cells and their gaps.
type metCoverage struct {
	required, gaps, people int // people counts those with a gap
}

// percent is the share of required cells without a gap.
func (c metCoverage) percent() float64 {
	if c.required == 0 {
		return 0
	}
	return metRound(100 * float64(c.required-c.gaps) / float64(c.required))
}

// metMatrix builds the institution's matrix on day and sums it.
func (s *Service) metMatrix(ctx context.Context, tenant int64, day time.Time) (metCoverage, error) {
	m, err := s.Matrix(ctx, auth.SystemActor(tenant, "training metrics"), MatrixFilter{GapsOnly: true, PerPage: 1}, day)
	if err != nil {
		return metCoverage{}, err
	}
	var c metCoverage
	for _, u := range m.Units {
		c.required += u.Required
		c.gaps += u.Gaps
	}
	c.people = m.Total
	return c, nil
}

// metGroupShare is the share of a group's members on day (joined by then,
// not left) who had completed each of its programmes by then.
func metGroupShare(ctx context.Context, q querier, tenant int64, code, day string) (float64, bool, error) {
	var group int64
	err := q.QueryRowContext(ctx, `SELECT id FROM training_groups WHERE tenant_id = $1 AND code = $2`, tenant, code).Scan(&group)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, false, nil
	}
	if err != nil {
		return 0, false, fmt.Errorf("cannot read target group %s: %w", code, err)
	}
	var programmes, members, completed int
	err = q.QueryRowContext(ctx, `WITH gp AS (
			SELECT id FROM training_programmes WHERE tenant_id = $1 AND group_id = $2),
		m AS (
			SELECT person_id FROM training_group_members
			WHERE tenant_id = $1 AND group_id = $2 AND joined_on <= $3 AND (left_on = '' OR left_on > $3)),
		d AS (
			SELECT e.person_id, COUNT(DISTINCT ss.programme_id) AS n FROM training_enrolments e
			JOIN training_sessions ss ON ss.id = e.session_id
			WHERE e.tenant_id = $1 AND e.state = $4 AND e.completed_on <> '' AND e.completed_on <= $3 AND ss.programme_id IN (SELECT id FROM gp)
			GROUP BY e.person_id)
		SELECT (SELECT COUNT(*) FROM gp), (SELECT COUNT(*) FROM m),
			(SELECT COUNT(*) FROM m JOIN d ON d.person_id = m.person_id WHERE d.n >= (SELECT COUNT(*) FROM gp))`,
		tenant, group, day, EnrolCompleted).Scan(&programmes, &members, &completed)
	if err != nil {
		return 0, false, fmt.Errorf("cannot measure target group %s: %w", code, err)
	}
	if programmes == 0 || members == 0 {
		return 0, false, nil
	}
	return metRound(100 * float64(completed) / float64(members)), true, nil
}
