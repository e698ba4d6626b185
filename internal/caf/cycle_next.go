package caf

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"

	"cadran/internal/apperr"
	"cadran/internal/audit"
	"cadran/internal/auth"
	"cadran/internal/frameworks"
	"cadran/internal/work"
)

// NextCycle starts a new cycle from a closed one: scope, panel, leader,
// group and evidence carried over, scores reset, the previous cycle linked
// so its scores show beside the new ones.
//
// The new cycle keeps the closed one's edition of the model (the latest
// when that edition is no longer known; UpdateCycle may change it while
// planning), its unit, panel, leader and communication plan; its dates,
// PEF notes and steps start empty, its members have submitted nothing, and
// its code is CAF-<this year>. A cycle is continued only once.
func (s *Service) NextCycle(ctx context.Context, a auth.Actor, id int64) (Cycle, error) {
	now := s.Clock.Now()
	var out Cycle
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		old, err := manageable(ctx, tx, a, id)
		if err != nil {
			return err
		}
		if old.State != StateClosed {
			return apperr.Conflict("caf.error.next_not_closed")
		}
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM caf_cycles WHERE tenant_id = $1 AND previous_id = $2`, a.Tenant, id).Scan(&n); err != nil {
			return fmt.Errorf("cannot check CAF cycles: %w", err)
		}
		if n > 0 {
			return apperr.Conflict("caf.error.next_exists")
		}
		model := old.Model
		if _, ok := frameworks.CAFModel(model); !ok {
			model = frameworks.CAFLatest
		}
		year := strconv.Itoa(work.Day(now).Year())
		title := old.Title
		if oy := strings.TrimPrefix(old.Code, "CAF-"); len(oy) >= 4 {
			title = strings.ReplaceAll(title, oy[:4], year)
		}
		leader := old.LeaderID
		if leader != 0 {
			if ok, err := activePerson(ctx, tx, a.Tenant, leader); err != nil {
				return err
			} else if !ok {
				leader = 0
			}
		}
		in := CycleInput{Title: title, Model: model, UnitID: old.UnitID, Panel: old.Panel, LeaderID: leader, CommPlan: old.CommPlan}
		newID, _, err := insertCycle(ctx, tx, a, in, id, now)
		if err != nil {
			return err
		}
		// The group, less the people who have left and the leader (already
		// added by insertCycle).
		if _, err := tx.ExecContext(ctx, `INSERT INTO caf_members (tenant_id, cycle_id, person_id, role)
			SELECT m.tenant_id, $1, m.person_id, $2 FROM caf_members m JOIN people p ON p.id = m.person_id
			WHERE m.tenant_id = $3 AND m.cycle_id = $4 AND p.active AND m.person_id <> $5`,
			newID, RoleMember, a.Tenant, id, leader); err != nil {
			return fmt.Errorf("cannot carry the CAF group: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO caf_evidence (tenant_id, cycle_id, subcriterion, kind, entity, entity_id, title, href, notes, added_by, created_at)
			SELECT tenant_id, $1, subcriterion, kind, entity, entity_id, title, href, notes, added_by, $2 FROM caf_evidence
			WHERE tenant_id = $3 AND cycle_id = $4 ORDER BY id`, newID, now, a.Tenant, id); err != nil {
			return fmt.Errorf("cannot carry the CAF evidence: %w", err)
		}
		if out, err = getCycle(ctx, tx, a.Tenant, newID); err != nil {
			return err
		}
		return audit.Record(ctx, tx, now, audit.Event{Tenant: a.Tenant, Actor: a.Audit(), Action: audit.ActionCreate, Entity: EntityCycle, EntityID: newID,
			Summary: out.Code + " " + out.Title + " (din " + old.Code + ")", After: out})
	})
	return out, err
}
