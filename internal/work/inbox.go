package work

import (
	"context"
	"fmt"
	"slices"
	"time"

	"cadran/internal/auth"
)

// Inbox is one person's "my work": their open tasks grouped by when they are
// due, what their units owe (for a head of unit), and every overdue task of
// the institution (for those who oversee it).
type Inbox struct {
	Today   time.Time
	WeekEnd time.Time // the Sunday that ends this week
	Kind    string    // the kind filter, empty for all

	Overdue, ThisWeek, Later []Task
	// KindCounts counts the person's open tasks per kind, whatever the filter.
	KindCounts map[string]int
	Total      int

	// Unit lists the open tasks of the units a head of unit leads, other
	// than their own, soonest first (at most UnitLimit).
	Heads     bool
	Unit      []Task
	UnitTotal int

	// Institution lists overdue tasks of the whole institution, oldest
	// first (at most InstitutionLimit), for those who oversee it.
	Oversees         bool
	Institution      []Task
	InstitutionTotal int
}

// Limits of the secondary lists; the task list has the rest.
const (
	UnitLimit        = 100
	InstitutionLimit = 100
)

// WeekEnd returns the Sunday of day's week (weeks start on Monday).
func WeekEnd(day time.Time) time.Time {
	wd := int(day.Weekday())
	if wd == 0 {
		wd = 7
	}
	return day.AddDate(0, 0, 7-wd)
}

// mine returns the actor's open tasks, soonest first.
func (s *Service) mine(ctx context.Context, q querier, v viewer) ([]Task, error) {
	byPerson, byRole, args := v.mineWhere(2)
	sqlText := `SELECT ` + taskColumns + taskFrom + ` WHERE t.tenant_id = $1 AND t.state = 'open' AND ` + byPerson
	if byRole != "" {
		sqlText += ` UNION ALL SELECT ` + taskColumns + taskFrom + ` WHERE t.tenant_id = $1 AND t.state = 'open' AND ` + byRole
	}
	rows, err := q.QueryContext(ctx, sqlText, append([]any{v.a.Tenant}, args...)...)
	if err != nil {
		return nil, fmt.Errorf("cannot list the actor's tasks: %w", err)
	}
	tasks, err := scanTasks(rows)
	if err != nil {
		return nil, err
	}
	slices.SortFunc(tasks, byDue)
	return tasks, nil
}

var priorityRank = map[string]int{PriorityHigh: 0, PriorityNormal: 1, PriorityLow: 2}

// byDue orders tasks by due day, then priority, then age.
func byDue(a, b Task) int {
	if c := a.Due.Compare(b.Due); c != 0 {
		return c
	}
	if c := priorityRank[a.Priority] - priorityRank[b.Priority]; c != 0 {
		return c
	}
	return int(a.ID - b.ID)
}

// MyWork builds the actor's inbox, filtered to one kind when kind is set.
func (s *Service) MyWork(ctx context.Context, a auth.Actor, kind string) (Inbox, error) {
	v, err := s.viewer(ctx, s.DB.R, a)
	if err != nil {
		return Inbox{}, err
	}
	today := Day(s.Clock.Now())
	in := Inbox{Today: today, WeekEnd: WeekEnd(today), KindCounts: map[string]int{}, Heads: len(v.subtree) > 0, Oversees: v.oversees}
	if slices.Contains(Kinds, kind) {
		in.Kind = kind
	}
	tasks, err := s.mine(ctx, s.DB.R, v)
	if err != nil {
		return Inbox{}, err
	}
	for _, t := range tasks {
		in.KindCounts[t.Kind]++
		if in.Kind != "" && t.Kind != in.Kind {
			continue
		}
		in.Total++
		switch {
		case t.Due.Before(today):
			in.Overdue = append(in.Overdue, t)
		case !t.Due.After(in.WeekEnd):
			in.ThisWeek = append(in.ThisWeek, t)
		default:
			in.Later = append(in.Later, t)
		}
	}
	kindWhere, kindArgs := "", []any{}
	if in.Kind != "" {
		kindWhere, kindArgs = ` AND t.kind = $2`, []any{in.Kind}
	}
	if in.Heads {
		// Two halves, each on its own index: tasks of the units' people, and
		// tasks of roles in the units. Neither includes the head's own.
		units := idList(v.subtree)
		args := append([]any{a.Tenant}, kindArgs...)
		notMine, margs := v.notMine(len(args) + 1)
		args = append(args, margs...)
		base := ` WHERE t.tenant_id = $1 AND t.state = 'open'` + kindWhere + ` AND ` + notMine
		people := base + ` AND t.person_id IN (SELECT id FROM people WHERE tenant_id = $1 AND unit_id IN (` + units + `))`
		roles := base + ` AND t.role <> '' AND t.role_unit_id IN (` + units + `)`
		if err := s.DB.R.QueryRowContext(ctx, `SELECT (SELECT COUNT(*) FROM tasks t`+people+`) + (SELECT COUNT(*) FROM tasks t`+roles+`)`, args...).Scan(&in.UnitTotal); err != nil {
			return Inbox{}, fmt.Errorf("cannot count the unit's tasks: %w", err)
		}
		rows, err := s.DB.R.QueryContext(ctx, `SELECT `+taskColumns+taskFrom+people+` UNION ALL SELECT `+taskColumns+taskFrom+roles+
			fmt.Sprintf(` ORDER BY %d, %d LIMIT %d`, dueColumn, idColumn, UnitLimit), args...)
		if err != nil {
			return Inbox{}, fmt.Errorf("cannot list the unit's tasks: %w", err)
		}
		if in.Unit, err = scanTasks(rows); err != nil {
			return Inbox{}, err
		}
	}
	if in.Oversees {
		args := append([]any{a.Tenant}, kindArgs...)
		args = append(args, today.Format(time.DateOnly))
		where := ` WHERE t.tenant_id = $1 AND t.state = 'open'` + kindWhere + fmt.Sprintf(` AND t.due_on < $%d`, len(args))
		if err := s.DB.R.QueryRowContext(ctx, `SELECT COUNT(*) FROM tasks t`+where, args...).Scan(&in.InstitutionTotal); err != nil {
			return Inbox{}, fmt.Errorf("cannot count overdue tasks: %w", err)
		}
		rows, err := s.DB.R.QueryContext(ctx, `SELECT `+taskColumns+taskFrom+where+fmt.Sprintf(` ORDER BY t.due_on, t.id LIMIT %d`, InstitutionLimit), args...)
		if err != nil {
			return Inbox{}, fmt.Errorf("cannot list overdue tasks: %w", err)
		}
		if in.Institution, err = scanTasks(rows); err != nil {
			return Inbox{}, err
		}
	}
	return in, nil
}

// Counts are the numbers the navigation shows beside "my work".
type Counts struct {
	Open, Overdue int
}

// Counts returns how many open tasks the actor has, and how many are late.
func (s *Service) Counts(ctx context.Context, a auth.Actor) (Counts, error) {
	if a.PersonID == 0 && len(a.Roles) == 0 {
		return Counts{}, nil
	}
	v, err := s.assignee(ctx, s.DB.R, a)
	if err != nil {
		return Counts{}, err
	}
	byPerson, byRole, args := v.mineWhere(3)
	today := Day(s.Clock.Now()).Format(time.DateOnly)
	part := func(cond string) string {
		return `SELECT COUNT(*) AS n, COALESCE(SUM(CASE WHEN t.due_on < $2 THEN 1 ELSE 0 END), 0) AS late FROM tasks t WHERE t.tenant_id = $1 AND t.state = 'open' AND ` + cond
	}
	sqlText := part(byPerson)
	if byRole != "" {
		sqlText += ` UNION ALL ` + part(byRole)
	}
	rows, err := s.DB.R.QueryContext(ctx, sqlText, append([]any{a.Tenant, today}, args...)...)
	if err != nil {
		return Counts{}, fmt.Errorf("cannot count the actor's tasks: %w", err)
	}
	defer rows.Close()
	var c Counts
	for rows.Next() {
		var n, late int
		if err := rows.Scan(&n, &late); err != nil {
			return Counts{}, fmt.Errorf("cannot count the actor's tasks: %w", err)
		}
		c.Open += n
		c.Overdue += late
	}
	return c, rows.Err()
}
