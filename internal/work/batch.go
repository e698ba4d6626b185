package work

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"cadran/internal/audit"
	"cadran/internal/auth"
	"cadran/internal/notify"
	"cadran/internal/textutil"
)

// AssignMany hands out many tasks inside the caller's transaction, for bulk
// writes such as imports. Each task is stored with one prepared statement
// and audited through rec (the caller's recorder for the same transaction)
// without being read back; assignees are checked and looked up once each.
// People are told in the app, one notification per task; e-mail reaches
// them through the daily digest rather than one message per task, which an
// import of thousands of rows would turn into a flood. It returns how many
// tasks it created; on an error nothing should be committed.
func (s *Service) AssignMany(ctx context.Context, tx *sql.Tx, a auth.Actor, rec audit.Appender, ts []NewTask) (int, error) {
	if len(ts) == 0 {
		return 0, nil
	}
	now := s.Clock.Now()
	insert, err := tx.PrepareContext(ctx, `INSERT INTO tasks (tenant_id, module, entity, entity_id, kind, title, details, link, person_id, role, role_unit_id, due_on, priority, state, created_by, search_text, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, 'open', $14, $15, $16, $16) RETURNING id`)
	if err != nil {
		return 0, fmt.Errorf("cannot prepare tasks: %w", err)
	}
	defer insert.Close()
	notice, err := tx.PrepareContext(ctx, `INSERT INTO notifications (tenant_id, user_id, event, task_id, created_at) VALUES ($1, $2, $3, $4, $5)`)
	if err != nil {
		return 0, fmt.Errorf("cannot prepare notifications: %w", err)
	}
	defer notice.Close()
	checked := map[Assignee]bool{}
	people := map[Assignee][]notify.Recipient{}
	for i := range ts {
		in := &ts[i]
		if err := in.validate(); err != nil {
			return i, err
		}
		if !checked[in.Assignee] {
			if err := checkAssignee(ctx, tx, a.Tenant, in.Assignee); err != nil {
				return i, err
			}
			checked[in.Assignee] = true
			if s.Notify != nil {
				if people[in.Assignee], err = recipients(ctx, tx, a.Tenant, in.Assignee); err != nil {
					return i, err
				}
			}
		}
		var id int64
		if err := insert.QueryRowContext(ctx, a.Tenant, in.Ref.Module, in.Ref.Entity, in.Ref.ID, in.Kind, in.Title, in.Details, in.Link,
			nullID(in.Assignee.PersonID), string(in.Assignee.Role), nullID(in.Assignee.UnitID), in.Due.Format(time.DateOnly),
			in.Priority, a.UserID, textutil.Fold(in.Title), now).Scan(&id); err != nil {
			return i, fmt.Errorf("cannot create task: %w", err)
		}
		t := Task{ID: id, Tenant: a.Tenant, Ref: in.Ref, Kind: in.Kind, Title: in.Title, Details: in.Details, Link: in.Link,
			Assignee: in.Assignee, Due: in.Due, Priority: in.Priority, State: StateOpen, CreatedBy: a.UserID, CreatedAt: now, UpdatedAt: now, Version: 1}
		if err := rec.Record(ctx, now, audit.Event{Tenant: a.Tenant, Actor: a.Audit(), Action: audit.ActionCreate, Entity: "task", EntityID: id, Summary: t.Title, After: t}); err != nil {
			return i, err
		}
		for _, r := range people[in.Assignee] {
			if r.UserID == 0 {
				continue
			}
			if _, err := notice.ExecContext(ctx, a.Tenant, r.UserID, notify.EventAssigned, id, now); err != nil {
				return i, fmt.Errorf("cannot record notification: %w", err)
			}
		}
	}
	return len(ts), nil
}
