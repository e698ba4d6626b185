package work

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"cadran/internal/auth"
)

// viewer is what decides which tasks an actor sees: their person, their unit,
// their roles, and, for a head of unit, the units under theirs.
type viewer struct {
	a        auth.Actor
	unitID   int64   // the unit of the actor's person, 0 if none
	subtree  []int64 // a head of unit's unit and every unit under it
	oversees bool
}

func (s *Service) viewer(ctx context.Context, q querier, a auth.Actor) (viewer, error) {
	v, err := s.assignee(ctx, q, a)
	if err != nil || v.unitID == 0 || !a.HasRole(auth.RoleHeadOfUnit) {
		return v, err
	}
	v.subtree, err = subtree(ctx, q, a.Tenant, v.unitID)
	return v, err
}

// assignee is the part of the viewer that says which tasks are the actor's
// own (their person and unit), without the units a head leads: enough for
// the menu count that every page makes.
func (s *Service) assignee(ctx context.Context, q querier, a auth.Actor) (viewer, error) {
	v := viewer{a: a, oversees: a.Can(auth.PermWorkOversee)}
	if a.PersonID == 0 {
		return v, nil
	}
	var unit sql.NullInt64
	err := q.QueryRowContext(ctx, `SELECT unit_id FROM people WHERE tenant_id = $1 AND id = $2`, a.Tenant, a.PersonID).Scan(&unit)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return v, fmt.Errorf("cannot read the actor's unit: %w", err)
	}
	v.unitID = unit.Int64
	return v, nil
}

// subtree returns unit and every unit under it.
func subtree(ctx context.Context, q querier, tenant, unit int64) ([]int64, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, COALESCE(parent_id, 0) FROM units WHERE tenant_id = $1`, tenant)
	if err != nil {
		return nil, fmt.Errorf("cannot read units: %w", err)
	}
	defer rows.Close()
	children := map[int64][]int64{}
	for rows.Next() {
		var id, parent int64
		if err := rows.Scan(&id, &parent); err != nil {
			return nil, fmt.Errorf("cannot read unit: %w", err)
		}
		children[parent] = append(children[parent], id)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	out := []int64{unit}
	for i := 0; i < len(out); i++ {
		out = append(out, children[out[i]]...)
	}
	return out, nil
}

// roleNames are the actor's roles as SQL arguments.
func (v viewer) roleNames() []any {
	out := make([]any, len(v.a.Roles))
	for i, r := range v.a.Roles {
		out[i] = string(r)
	}
	return out
}

// mine reports whether t is assigned to the actor.
func (v viewer) mine(t Task) bool {
	if t.PersonID != 0 {
		return t.PersonID == v.a.PersonID
	}
	return v.a.HasRole(t.Role) && (t.Assignee.UnitID == 0 || t.Assignee.UnitID == v.unitID)
}

// inUnit reports whether t belongs to a unit the actor heads.
func (v viewer) inUnit(t Task) bool {
	return t.UnitID != 0 && slices.Contains(v.subtree, t.UnitID)
}

// sees reports whether the actor may open t.
func (v viewer) sees(t Task) bool {
	return v.a.System || v.oversees || v.mine(t) || v.inUnit(t) || (t.CreatedBy != 0 && t.CreatedBy == v.a.UserID)
}

// manages reports whether the actor may reassign or cancel t: whoever
// oversees the institution's work, the head of the task's unit, or, for a
// task handed out by hand, the one who handed it out.
func (v viewer) manages(t Task) bool {
	if v.a.System || v.oversees {
		return true
	}
	if !v.a.Can(auth.PermWorkAssign) {
		return false
	}
	return v.inUnit(t) || (t.Manual() && t.CreatedBy == v.a.UserID)
}

// mayAssignTo reports whether the actor may hand work to as: overseers to
// anyone, heads of unit within their units.
func (s *Service) mayAssignTo(ctx context.Context, q querier, v viewer, as Assignee) (bool, error) {
	if v.a.System || v.oversees {
		return true, nil
	}
	if !v.a.Can(auth.PermWorkAssign) || len(v.subtree) == 0 {
		return false, nil
	}
	if as.PersonID != 0 {
		var unit sql.NullInt64
		err := q.QueryRowContext(ctx, `SELECT unit_id FROM people WHERE tenant_id = $1 AND id = $2`, v.a.Tenant, as.PersonID).Scan(&unit)
		if errors.Is(err, sql.ErrNoRows) {
			return false, nil
		}
		if err != nil {
			return false, fmt.Errorf("cannot read the assignee's unit: %w", err)
		}
		return slices.Contains(v.subtree, unit.Int64), nil
	}
	return as.UnitID != 0 && slices.Contains(v.subtree, as.UnitID), nil
}

// mineWhere is the SQL condition for "assigned to the actor", as the two
// halves of a UNION ALL so each uses its own index. Arguments start at
// $next.
func (v viewer) mineWhere(next int) (byPerson, byRole string, args []any) {
	args = []any{v.a.PersonID}
	byPerson = fmt.Sprintf(`t.person_id = $%d`, next)
	if len(v.a.Roles) == 0 {
		return byPerson, "", args
	}
	holders := make([]string, len(v.a.Roles))
	for i := range v.a.Roles {
		holders[i] = "$" + strconv.Itoa(next+1+i)
	}
	args = append(args, v.roleNames()...)
	args = append(args, v.unitID)
	byRole = fmt.Sprintf(`t.role <> '' AND t.role IN (%s) AND (t.role_unit_id IS NULL OR t.role_unit_id = $%d)`, strings.Join(holders, ", "), next+1+len(v.a.Roles))
	return byPerson, byRole, args
}

// notMine is the SQL condition "not assigned to the actor", written so that
// NULL columns never hide a row. Arguments start at $next.
func (v viewer) notMine(next int) (string, []any) {
	args := []any{v.a.PersonID}
	cond := fmt.Sprintf(`COALESCE(t.person_id, 0) = $%d`, next)
	if len(v.a.Roles) > 0 {
		holders := make([]string, len(v.a.Roles))
		for i := range v.a.Roles {
			holders[i] = "$" + strconv.Itoa(next+1+i)
		}
		args = append(args, v.roleNames()...)
		args = append(args, v.unitID)
		cond += fmt.Sprintf(` OR (t.role IN (%s) AND (COALESCE(t.role_unit_id, 0) = 0 OR t.role_unit_id = $%d))`, strings.Join(holders, ", "), next+1+len(v.a.Roles))
	}
	return "NOT (" + cond + ")", args
}

// idList writes ids for an IN list; they are numbers read from the database.
func idList(ids []int64) string {
	s := make([]string, len(ids))
	for i, id := range ids {
		s[i] = strconv.FormatInt(id, 10)
	}
	return strings.Join(s, ", ")
}
