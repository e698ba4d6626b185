package work

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"cadran/internal/auth"
	"cadran/internal/db"
	"cadran/internal/textutil"
)

// Filter narrows and orders the task list.
type Filter struct {
	Query   string
	Scope   string // "mine" (default for most), "unit", "all"
	State   string // "open" (default), "done", "cancelled", "all"
	Kind    string
	Module  string
	UnitID  int64 // the task's unit and every unit under it
	Overdue bool
	Sort    string // due, title, kind, unit, assignee, updated; a leading "-" reverses
	Limit   int
	Offset  int
}

var taskSorts = map[string]string{
	"due":      "t.due_on",
	"title":    "t.search_text",
	"kind":     "t.kind",
	"unit":     "COALESCE(u.sort_name, '')",
	"assignee": "COALESCE(p.sort_name, t.role)",
	"updated":  "t.updated_at",
}

// Sorts lists the accepted sort keys.
func Sorts() []string { return []string{"due", "title", "kind", "unit", "assignee", "updated"} }

// Scopes lists the scopes an actor may choose.
func (s *Service) Scopes(ctx context.Context, a auth.Actor) ([]string, error) {
	v, err := s.viewer(ctx, s.DB.R, a)
	if err != nil {
		return nil, err
	}
	out := []string{"mine"}
	if len(v.subtree) > 0 {
		out = append(out, "unit")
	}
	if v.oversees {
		out = append(out, "all")
	}
	return out, nil
}

// List returns the tasks the actor may see that match f, and their total.
// Everyone sees their own; heads of unit also their units'; those who
// oversee the institution, all of it.
func (s *Service) List(ctx context.Context, a auth.Actor, f Filter) ([]Task, int, error) {
	v, err := s.viewer(ctx, s.DB.R, a)
	if err != nil {
		return nil, 0, err
	}
	where := ` WHERE t.tenant_id = $1`
	args := []any{a.Tenant}
	add := func(cond string, vals ...any) {
		for _, val := range vals {
			args = append(args, val)
			cond = strings.Replace(cond, "?", fmt.Sprintf("$%d", len(args)), 1)
		}
		where += " AND " + cond
	}
	// The state, also inside the id lists below: their indexes hold it, so
	// a person's thousands of closed tasks are not read one by one.
	state := ""
	switch f.State {
	case "all":
	case StateDone, StateCancelled:
		state = f.State
	default:
		state = StateOpen
	}
	scope := f.Scope
	switch {
	case scope == "all" && v.oversees:
	case scope == "unit" && len(v.subtree) > 0:
		add(inUnits(v.subtree, state))
	default:
		scope = "mine"
		// The ids of the actor's tasks, each half on its own index, so the
		// OR does not turn into a scan of the institution's tasks.
		byPerson, byRole, margs := v.mineWhere(len(args) + 1)
		args = append(args, margs...)
		inState := ""
		if state != "" {
			args = append(args, state)
			inState = fmt.Sprintf(` AND t.state = $%d`, len(args))
		}
		ids := `SELECT t.id FROM tasks t WHERE t.tenant_id = $1 AND ` + byPerson + inState
		if byRole != "" {
			ids += ` UNION ALL SELECT t.id FROM tasks t WHERE t.tenant_id = $1 AND ` + byRole + inState
		}
		where += " AND t.id IN (" + ids + ")"
	}
	if state != "" {
		add(`t.state = ?`, state)
	}
	if slices.Contains(Kinds, f.Kind) {
		add(`t.kind = ?`, f.Kind)
	}
	if f.Module != "" {
		add(`t.module = ?`, f.Module)
	}
	if f.UnitID != 0 {
		units, err := subtree(ctx, s.DB.R, a.Tenant, f.UnitID)
		if err != nil {
			return nil, 0, err
		}
		add(inUnits(units, state))
	}
	if f.Overdue {
		add(`t.state = 'open' AND t.due_on < ?`, Day(s.Clock.Now()).Format(time.DateOnly))
	}
	if q := textutil.Fold(strings.TrimSpace(f.Query)); q != "" {
		add(`t.search_text LIKE ? ESCAPE '\'`, db.LikePattern(q))
	}
	// The filters touch only the tasks table, so the count needs no join.
	var total int
	if err := s.DB.R.QueryRowContext(ctx, `SELECT COUNT(*) FROM tasks t`+where, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("cannot count tasks: %w", err)
	}
	page, args := db.OrderPage(taskSorts, f.Sort, "due", "t.due_on, t.id", f.Limit, f.Offset, args)
	rows, err := s.DB.R.QueryContext(ctx, `SELECT `+taskColumns+taskFrom+where+page, args...)
	if err != nil {
		return nil, 0, fmt.Errorf("cannot list tasks: %w", err)
	}
	tasks, err := scanTasks(rows)
	return tasks, total, err
}

// inUnits is the condition "the task belongs to one of units": a person
// working in them, or a role in them; each half uses its own index, which
// holds the state (state "": any).
func inUnits(units []int64, state string) string {
	list := idList(units)
	inState := ""
	if state != "" {
		inState = ` AND x.state = '` + state + `'`
	}
	return `t.id IN (SELECT x.id FROM tasks x WHERE x.tenant_id = $1 AND x.person_id IN (SELECT id FROM people WHERE tenant_id = $1 AND unit_id IN (` + list + `))` + inState +
		` UNION ALL SELECT x.id FROM tasks x WHERE x.tenant_id = $1 AND x.role <> '' AND x.role_unit_id IN (` + list + `)` + inState + `)`
}
