package training

import (
	"context"
	"fmt"
	"strings"
	"time"

	"cadran/internal/auth"
	"cadran/internal/org"
	"cadran/internal/work"
)

// sesScope is whose enrolments and attendance an actor may read: everyone's
// (the records permission, or the quality office that manages sessions),
// or their units' people for a head of unit, and always their own.
type sesScope struct {
	all    bool
	person int64
	units  []int64 // a head of unit's unit and every unit under it
}

// sesScopeOf finds the actor's scope. A head of unit's units are found as
// the citizen registry finds them: the unit of the head's person record and
// the tree under it.
func sesScopeOf(ctx context.Context, q querier, a auth.Actor) (sesScope, error) {
	if a.Can(auth.PermTrainingRecords) || a.Can(auth.PermTrainingManage) {
		return sesScope{all: true}, nil
	}
	sc := sesScope{person: a.PersonID}
	if a.PersonID == 0 || !a.HasRole(auth.RoleHeadOfUnit) {
		return sc, nil
	}
	units, err := org.LedUnits(ctx, q, a.Tenant, a.PersonID)
	if err != nil {
		return sc, fmt.Errorf("cannot read the actor's units: %w", err)
	}
	sc.units = units
	return sc, nil
}

// predicate is the scope as SQL over a person alias (people p), its
// arguments numbered after args.
func (sc sesScope) predicate(alias string, args []any) (string, []any) {
	if sc.all {
		return "", args
	}
	var or []string
	if sc.person != 0 {
		args = append(args, sc.person)
		or = append(or, fmt.Sprintf("%s.id = $%d", alias, len(args)))
	}
	if len(sc.units) > 0 {
		var list string
		list, args = sesInList(sc.units, args)
		or = append(or, alias+".unit_id IN ("+list+")")
	}
	if len(or) == 0 {
		return " AND 1 = 0", args
	}
	return " AND (" + strings.Join(or, " OR ") + ")", args
}

// sesInList is placeholders for ids, appended to args.
func sesInList(ids []int64, args []any) (string, []any) {
	ph := make([]string, len(ids))
	for i, id := range ids {
		args = append(args, id)
		ph[i] = fmt.Sprintf("$%d", len(args))
	}
	return strings.Join(ph, ", "), args
}

// sesToday is the civil day of now in Bucharest, as stored.
func sesToday(now time.Time) string {
	return work.Day(now).Format(time.DateOnly)
}
