package org

import (
	"context"
	"database/sql"
	"fmt"
)

// Querier is what a read needs: the read pool or a transaction.
type Querier interface {
	QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error)
}

// LedUnits returns the units a head of unit leads: the unit of their person
// record and every unit under it. A person without a unit leads none.
func LedUnits(ctx context.Context, q Querier, tenant, person int64) ([]int64, error) {
	if person == 0 {
		return nil, nil
	}
	rows, err := q.QueryContext(ctx, `WITH RECURSIVE sub(id) AS (
			SELECT unit_id FROM people WHERE tenant_id = $1 AND id = $2 AND unit_id IS NOT NULL
			UNION ALL
			SELECT u.id FROM units u JOIN sub ON u.parent_id = sub.id WHERE u.tenant_id = $1)
		SELECT id FROM sub`, tenant, person)
	if err != nil {
		return nil, fmt.Errorf("cannot read the units a person leads: %w", err)
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("cannot read the units a person leads: %w", err)
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}
