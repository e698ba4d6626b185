// Package dashboard reads the figures of the role dashboards that no module
// already sums up: the work inbox by module and due week, the document
// versions waiting for a signature, the receipts nobody has confirmed, the
// internal audits of the quarter and a unit's risks by band.
//
// Everything else on the dashboards (the scorecard, the risk register's
// tolerance, the citizen indicators, the CAF cycle, the control system's
// grade, the certificate) is read through the modules' own services by the
// web layer, so the arithmetic lives in one place. Every query here is
// scoped to the actor's institution and checks the module's permission.
package dashboard

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"cadran/internal/auth"
	"cadran/internal/clock"
	"cadran/internal/db"
	"cadran/internal/work"
)

// Service reads the dashboards' own figures.
type Service struct {
	DB    *db.DB
	Clock clock.Clock
}

// Weeks is how many weeks after the current one the due chart looks ahead.
const Weeks = 4

// DueRow is one module's open work items by when they are due: overdue
// (before today), this week (today to Sunday) and the next Weeks weeks.
type DueRow struct {
	Module                   string
	Overdue, ThisWeek, Next  int
	OldestOverdue, NextDueOn string // YYYY-MM-DD, "" when none
}

// Total is the row's items in the chart's window.
func (r DueRow) Total() int { return r.Overdue + r.ThisWeek + r.Next }

// Due is the institution's open work by module and due week.
type Due struct {
	Today, WeekEnd, Horizon string // YYYY-MM-DD: today, this Sunday, the last day of the window
	Rows                    []DueRow
	Overdue, ThisWeek, Next int
}

// Window returns today, the last day of the week and the last day of the
// chart's window for now (Bucharest calendar, weeks starting on Monday).
func Window(now time.Time) (today, weekEnd, horizon time.Time) {
	today = work.Day(now)
	wd := int(today.Weekday()+6) % 7 // Monday 0 … Sunday 6
	weekEnd = today.AddDate(0, 0, 6-wd)
	return today, weekEnd, weekEnd.AddDate(0, 0, 7*Weeks)
}

// Due counts every open work item of the institution due before the end of
// the window, by module (those who oversee the institution's work).
func (s *Service) Due(ctx context.Context, a auth.Actor) (Due, error) {
	if err := a.Require(auth.PermWorkOversee); err != nil {
		return Due{}, err
	}
	today, weekEnd, horizon := Window(s.Clock.Now())
	d := Due{Today: day(today), WeekEnd: day(weekEnd), Horizon: day(horizon)}
	rows, err := s.DB.R.QueryContext(ctx, `SELECT module,
			COALESCE(SUM(CASE WHEN due_on < $2 THEN 1 ELSE 0 END), 0),
			COALESCE(SUM(CASE WHEN due_on >= $2 AND due_on <= $3 THEN 1 ELSE 0 END), 0),
			COALESCE(SUM(CASE WHEN due_on > $3 THEN 1 ELSE 0 END), 0),
			COALESCE(MIN(CASE WHEN due_on < $2 THEN due_on END), ''),
			COALESCE(MIN(CASE WHEN due_on >= $2 THEN due_on END), '')
		FROM tasks WHERE tenant_id = $1 AND state = 'open' AND due_on <= $4
		GROUP BY module ORDER BY module`, a.Tenant, d.Today, d.WeekEnd, d.Horizon)
	if err != nil {
		return Due{}, fmt.Errorf("cannot count the work due: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var r DueRow
		if err := rows.Scan(&r.Module, &r.Overdue, &r.ThisWeek, &r.Next, &r.OldestOverdue, &r.NextDueOn); err != nil {
			return Due{}, fmt.Errorf("cannot count the work due: %w", err)
		}
		d.Rows = append(d.Rows, r)
		d.Overdue += r.Overdue
		d.ThisWeek += r.ThisWeek
		d.Next += r.Next
	}
	return d, rows.Err()
}

// Task is an open work item in a short list.
type Task struct {
	ID     int64
	Module string
	Title  string
	Link   string
	DueOn  string
	Person string // the assignee, or "" for a role
}

// URL is where the item is handled: its record, or its own page.
func (t Task) URL() string {
	if t.Link != "" {
		return t.Link
	}
	return "/tasks/" + strconv.FormatInt(t.ID, 10)
}

// UnitWork is the open work of a set of units: by module, and the oldest
// items first.
type UnitWork struct {
	Rows    []DueRow // ThisWeek and Next hold the items due later (Next: any time after this week)
	Open    int
	Overdue int
	Oldest  []Task // up to limit, oldest due day first
}

// UnitWork counts the open work items of units' people and roles, by
// module. The caller has checked that the actor leads the units.
func (s *Service) UnitWork(ctx context.Context, a auth.Actor, units []int64, limit int) (UnitWork, error) {
	var w UnitWork
	if len(units) == 0 {
		return w, nil
	}
	today, weekEnd, _ := Window(s.Clock.Now())
	ids := `SELECT x.id FROM tasks x WHERE x.tenant_id = $1 AND x.state = 'open' AND x.person_id IN (SELECT id FROM people WHERE tenant_id = $1 AND unit_id IN (` + idList(units) + `))` +
		` UNION ALL SELECT x.id FROM tasks x WHERE x.tenant_id = $1 AND x.state = 'open' AND x.role <> '' AND x.role_unit_id IN (` + idList(units) + `)`
	rows, err := s.DB.R.QueryContext(ctx, `SELECT module,
			COALESCE(SUM(CASE WHEN due_on < $2 THEN 1 ELSE 0 END), 0),
			COALESCE(SUM(CASE WHEN due_on >= $2 AND due_on <= $3 THEN 1 ELSE 0 END), 0),
			COALESCE(SUM(CASE WHEN due_on > $3 THEN 1 ELSE 0 END), 0),
			COALESCE(MIN(CASE WHEN due_on < $2 THEN due_on END), ''),
			COALESCE(MIN(CASE WHEN due_on >= $2 THEN due_on END), '')
		FROM tasks WHERE tenant_id = $1 AND id IN (`+ids+`) GROUP BY module ORDER BY module`, a.Tenant, day(today), day(weekEnd))
	if err != nil {
		return w, fmt.Errorf("cannot count the unit's work: %w", err)
	}
	for rows.Next() {
		var r DueRow
		if err := rows.Scan(&r.Module, &r.Overdue, &r.ThisWeek, &r.Next, &r.OldestOverdue, &r.NextDueOn); err != nil {
			rows.Close()
			return w, fmt.Errorf("cannot count the unit's work: %w", err)
		}
		w.Rows = append(w.Rows, r)
		w.Open += r.Total()
		w.Overdue += r.Overdue
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return w, err
	}
	if limit <= 0 || w.Open == 0 {
		return w, nil
	}
	rows, err = s.DB.R.QueryContext(ctx, `SELECT t.id, t.module, t.title, t.link, t.due_on, COALESCE(p.full_name, '')
		FROM tasks t LEFT JOIN people p ON p.id = t.person_id AND p.tenant_id = t.tenant_id
		WHERE t.tenant_id = $1 AND t.id IN (`+ids+`) ORDER BY t.due_on, t.id LIMIT $2`, a.Tenant, limit)
	if err != nil {
		return w, fmt.Errorf("cannot list the unit's work: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var t Task
		if err := rows.Scan(&t.ID, &t.Module, &t.Title, &t.Link, &t.DueOn, &t.Person); err != nil {
			return w, fmt.Errorf("cannot list the unit's work: %w", err)
		}
		w.Oldest = append(w.Oldest, t)
	}
	return w, rows.Err()
}

func day(t time.Time) string { return t.Format(time.DateOnly) }

// idList writes ids (read from the database, never from a request) as a
// SQL list.
func idList(ids []int64) string {
	s := make([]string, len(ids))
	for i, id := range ids {
		s[i] = strconv.FormatInt(id, 10)
	}
	return strings.Join(s, ", ")
}
