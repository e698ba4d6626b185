package control

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"sync"
	"time"

	"cadran/internal/evidence"
	"cadran/internal/i18n"
	"cadran/internal/work"
)

var _ evidence.MetricSource = (*Service)(nil)

// Metric keys the scorecard may feed a KPI with.
const (
	// Standards implemented in the institution, from the latest
	// consolidated or approved self-evaluation of the period's years.
	MetricStandardsImplemented = "control.standards_implemented"
	// The same as a share of the model's standards, %.
	MetricConformityShare = "control.conformity_share"
	// Share of the development programme's actions due in the period
	// done by their due date, %.
	MetricProgrammeDone = "control.programme_done_share"
	// Share of the activities needing a procedure that have one, %.
	MetricProcedureCoverage = "control.procedure_coverage"
	// People in a rotatable sensitive function longer than its maximum
	// years, on the period's last day.
	MetricRotationOverdue = "control.sensitive_rotation_overdue"
)

// metList is the module's metrics.
var metList = []evidence.Metric{
	{Key: MetricStandardsImplemented, Label: "controlmetrics.metric.standards_implemented", Unit: "nr.", Polarity: "higher"},
	{Key: MetricConformityShare, Label: "controlmetrics.metric.conformity_share", Unit: "%", Polarity: "higher"},
	{Key: MetricProgrammeDone, Label: "controlmetrics.metric.programme_done_share", Unit: "%", Polarity: "higher"},
	{Key: MetricProcedureCoverage, Label: "controlmetrics.metric.procedure_coverage", Unit: "%", Polarity: "higher"},
	{Key: MetricRotationOverdue, Label: "controlmetrics.metric.sensitive_rotation_overdue", Unit: "nr.", Polarity: "lower"},
}

// metQuerier reads: the pool or a transaction.
type metQuerier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// metRO is the Romanian catalogue the ISO 9001 matrix's lines are written
// from (the institution's words).
var metRO = sync.OnceValue(func() *i18n.Localizer { return i18n.MustLoad().Localizer("ro") })

// Metrics lists the metrics the module computes.
func (s *Service) Metrics() []evidence.Metric {
	return append([]evidence.Metric(nil), metList...)
}

// Measure computes a metric over [from, to) (to is the day after the
// period's last):
//   - standards implemented: of the self-evaluations consolidated or
//     approved whose year falls in the period (each describes 31 December
//     of its year), the latest's count of standards implemented in the
//     institution (ok false with none);
//   - conformity share: the same count over the model's standards, %;
//   - programme done: the actions of approved or closed development
//     programmes due in the period, not cancelled, and the share of them
//     done by their due date (ok false when none was due);
//   - procedure coverage: the activities recorded before the period's end,
//     exempt ones left out, and the share of them a procedure covers (ok
//     false when none needs a procedure);
//   - rotation overdue: the people in an active sensitive function with
//     rotation on the period's last day who came in longer than the
//     function's maximum years before it (ok false with no active
//     sensitive function: the inventory is not drawn up).
func (s *Service) Measure(ctx context.Context, tenant int64, key string, from, to time.Time) (float64, bool, error) {
	f, t := work.Day(from), work.Day(to)
	if !t.After(f) {
		switch key {
		case MetricStandardsImplemented, MetricConformityShare, MetricProgrammeDone, MetricProcedureCoverage, MetricRotationOverdue:
			return 0, false, nil
		}
		return 0, false, fmt.Errorf("cannot measure %q: not a control metric", key)
	}
	last := t.AddDate(0, 0, -1)
	q := s.DB.R
	switch key {
	case MetricStandardsImplemented, MetricConformityShare:
		ev, ok, err := metLatestEvaluation(ctx, q, tenant, f.Year(), last.Year())
		if err != nil || !ok {
			return 0, false, err
		}
		sum, err := metGrade(ctx, q, tenant, ev)
		if err != nil {
			return 0, false, err
		}
		if key == MetricStandardsImplemented {
			return float64(sum.Implemented), true, nil
		}
		if sum.Standards == 0 {
			return 0, false, nil
		}
		return metRound(100 * float64(sum.Implemented) / float64(sum.Standards)), true, nil
	case MetricProgrammeDone:
		a, err := metActions(ctx, q, tenant, f, t)
		if err != nil || a.Due == 0 {
			return 0, false, err
		}
		return metRound(100 * float64(a.OnTime) / float64(a.Due)), true, nil
	case MetricProcedureCoverage:
		c, err := metCoverage(ctx, q, tenant, t)
		if err != nil || c.Needed() == 0 {
			return 0, false, err
		}
		return c.Percent(), true, nil
	case MetricRotationOverdue:
		r, err := metRotation(ctx, q, tenant, last)
		if err != nil || r.Functions == 0 {
			return 0, false, err
		}
		return float64(r.Overdue), true, nil
	}
	return 0, false, fmt.Errorf("cannot measure %q: not a control metric", key)
}

// metRound rounds to two decimals.
func metRound(x float64) float64 { return math.Round(x*100) / 100 }

// metEval is an evaluation as the metrics read it.
type metEval struct {
	ID    int64
	Year  int
	Model string
	State string
	DueOn string
}

// metLatestEvaluation is the consolidated or approved evaluation with the
// greatest year in [fromYear, toYear].
func metLatestEvaluation(ctx context.Context, q metQuerier, tenant int64, fromYear, toYear int) (metEval, bool, error) {
	var e metEval
	err := q.QueryRowContext(ctx, `SELECT id, year, model, state, due_on FROM control_evaluations
		WHERE tenant_id = $1 AND state IN ($2, $3) AND year >= $4 AND year <= $5
		ORDER BY year DESC LIMIT 1`, tenant, EvalConsolidated, EvalApproved, fromYear, toYear).Scan(&e.ID, &e.Year, &e.Model, &e.State, &e.DueOn)
	if errors.Is(err, sql.ErrNoRows) {
		return metEval{}, false, nil
	}
	if err != nil {
		return metEval{}, false, fmt.Errorf("cannot read the self-evaluations: %w", err)
	}
	return e, true, nil
}

// metGraded is an evaluation's outcome: the standards by status in the
// institution (a standard without a status counts as not implemented) and
// the system's grade under the institution's thresholds.
type metGraded struct {
	Standards                            int
	Implemented, Partial, NotImplemented int
	Units, Submitted                     int
	Grade                                string
}

// metGrade grades an evaluation as its summary does (summary.go): the
// same arithmetic, and the thresholds frozen at consolidation.
func metGrade(ctx context.Context, q metQuerier, tenant int64, ev metEval) (metGraded, error) {
	sum, err := summarize(ctx, q, tenant, ev.ID)
	if err != nil {
		return metGraded{}, err
	}
	return metGraded{
		Standards:   sum.Implemented + sum.Partial + sum.NotImplemented,
		Implemented: sum.Implemented, Partial: sum.Partial, NotImplemented: sum.NotImplemented,
		Units: sum.Units, Submitted: sum.Submitted, Grade: sum.Grade,
	}, nil
}

// metActionCounts are the development programmes' actions of a period.
type metActionCounts struct {
	// Due in the period (not cancelled), of them done by their due date,
	// and done late (after it, before the period's end).
	Due, OnTime, Late int
	// Overdue at the period's end: due before it and not done by then.
	Overdue int
}

// metActions counts the actions of approved or closed programmes due in
// [from, to), and those overdue at to.
func metActions(ctx context.Context, q metQuerier, tenant int64, from, to time.Time) (metActionCounts, error) {
	fs, ts := from.Format(time.DateOnly), to.Format(time.DateOnly)
	var c metActionCounts
	err := q.QueryRowContext(ctx, `SELECT
			COALESCE(SUM(CASE WHEN a.due_on >= $2 AND a.due_on < $3 THEN 1 ELSE 0 END), 0),
			COALESCE(SUM(CASE WHEN a.due_on >= $2 AND a.due_on < $3 AND a.state = $5 AND a.done_on <> '' AND a.done_on <= a.due_on THEN 1 ELSE 0 END), 0),
			COALESCE(SUM(CASE WHEN a.due_on >= $2 AND a.due_on < $3 AND a.state = $5 AND a.done_on > a.due_on AND a.done_on < $3 THEN 1 ELSE 0 END), 0),
			COALESCE(SUM(CASE WHEN a.due_on < $3 AND (a.state = $4 OR (a.state = $5 AND a.done_on >= $3)) THEN 1 ELSE 0 END), 0)
		FROM control_actions a JOIN control_programmes p ON p.id = a.programme_id AND p.tenant_id = a.tenant_id
		WHERE a.tenant_id = $1 AND a.due_on <> '' AND a.state <> $6 AND p.state IN ($7, $8)`,
		tenant, fs, ts, ActionOpen, ActionDone, ActionCancelled, ProgrammeApproved, ProgrammeClosed).Scan(&c.Due, &c.OnTime, &c.Late, &c.Overdue)
	if err != nil {
		return metActionCounts{}, fmt.Errorf("cannot count the development programme's actions: %w", err)
	}
	return c, nil
}

// metCoverageCounts is procedure coverage over the institution.
type metCoverageCounts struct {
	Activities, Covered, Exempt int
}

// Needed counts the activities that need a procedure.
func (c metCoverageCounts) Needed() int { return c.Activities - c.Exempt }

// Missing counts the activities that need a procedure and have none.
func (c metCoverageCounts) Missing() int { return c.Needed() - c.Covered }

// Percent is the share of the activities needing a procedure that have
// one (0 when none needs one).
func (c metCoverageCounts) Percent() float64 {
	if c.Needed() <= 0 {
		return 0
	}
	return metRound(100 * float64(c.Covered) / float64(c.Needed()))
}

// metCoverage counts the activities recorded before end: covered (a
// procedure linked), exempt (none linked, a reason why none is needed).
func metCoverage(ctx context.Context, q metQuerier, tenant int64, end time.Time) (metCoverageCounts, error) {
	var c metCoverageCounts
	err := q.QueryRowContext(ctx, `SELECT COUNT(*),
			COALESCE(SUM(CASE WHEN document_id IS NOT NULL THEN 1 ELSE 0 END), 0),
			COALESCE(SUM(CASE WHEN document_id IS NULL AND exempt <> '' THEN 1 ELSE 0 END), 0)
		FROM control_activities WHERE tenant_id = $1 AND created_at < $2`, tenant, end).Scan(&c.Activities, &c.Covered, &c.Exempt)
	if err != nil {
		return metCoverageCounts{}, fmt.Errorf("cannot measure procedure coverage: %w", err)
	}
	return c, nil
}

// metRotationCounts is the inventory of sensitive functions on a day.
type metRotationCounts struct {
	// Active functions, the people in them, and those of them overdue for
	// rotation (in a rotatable function past since + max years).
	Functions, Holders, Overdue int
}

// metRotation reads the sensitive functions active on day and the people
// in them then (came in by day, not left by then).
func metRotation(ctx context.Context, q metQuerier, tenant int64, day time.Time) (metRotationCounts, error) {
	ds := day.Format(time.DateOnly)
	var c metRotationCounts
	if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM control_sensitive_functions WHERE tenant_id = $1 AND state = 'active'`, tenant).Scan(&c.Functions); err != nil {
		return metRotationCounts{}, fmt.Errorf("cannot count the sensitive functions: %w", err)
	}
	rows, err := q.QueryContext(ctx, `SELECT h.since_on, f.rotation, f.max_years
		FROM control_sensitive_holders h JOIN control_sensitive_functions f ON f.id = h.function_id AND f.tenant_id = h.tenant_id
		WHERE h.tenant_id = $1 AND f.state = 'active' AND h.since_on <= $2 AND (h.until_on = '' OR h.until_on > $2)`, tenant, ds)
	if err != nil {
		return metRotationCounts{}, fmt.Errorf("cannot read the people in sensitive functions: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var since string
		var rotation bool
		var years int
		if err := rows.Scan(&since, &rotation, &years); err != nil {
			return metRotationCounts{}, fmt.Errorf("cannot read the people in sensitive functions: %w", err)
		}
		c.Holders++
		if r, ok := metRotationDay(since, years); rotation && ok && day.After(r) {
			c.Overdue++
		}
	}
	if err := rows.Err(); err != nil {
		return metRotationCounts{}, fmt.Errorf("cannot read the people in sensitive functions: %w", err)
	}
	return c, nil
}

// metRotationDay is the day someone who came in on since is due for
// rotation in a function of years (29 February falls on the last day of
// February in a common year).
func metRotationDay(since string, years int) (time.Time, bool) {
	d, err := time.Parse(time.DateOnly, since)
	if err != nil {
		return time.Time{}, false
	}
	r := time.Date(d.Year()+years, d.Month(), d.Day(), 0, 0, 0, 0, time.UTC)
	if r.Day() != d.Day() {
		r = time.Date(d.Year()+years, d.Month()+1, 0, 0, 0, 0, 0, time.UTC)
	}
	return r, true
}
