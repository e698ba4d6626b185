package training

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"
	"time"

	"cadran/internal/apperr"
	"cadran/internal/audit"
	"cadran/internal/auth"
	"cadran/internal/documents"
	"cadran/internal/i18n"
	"cadran/internal/work"
)

const inductionColumns = `i.id, i.tenant_id, i.person_id, i.start_on, i.due_on, i.state, i.completed_on, i.created_at, i.updated_at, i.version,
	p.full_name, p.job_title, COALESCE(p.unit_id, 0), COALESCE(u.name, '')`

const inductionFrom = ` FROM training_inductions i JOIN people p ON p.id = i.person_id LEFT JOIN units u ON u.id = p.unit_id`

// fields are the scan targets of inductionColumns.
func (in *Induction) fields() []any {
	return []any{&in.ID, &in.Tenant, &in.PersonID, &in.StartOn, &in.DueOn, &in.State, &in.CompletedOn, &in.CreatedAt, &in.UpdatedAt, &in.Version,
		&in.Name, &in.JobTitle, &in.UnitID, &in.UnitName}
}

// getInduction reads the plan whose column col (i.id or i.person_id) is id,
// with its items.
func getInduction(ctx context.Context, q querier, tenant int64, col string, id int64) (Induction, error) {
	var in Induction
	err := q.QueryRowContext(ctx, `SELECT `+inductionColumns+inductionFrom+` WHERE i.tenant_id = $1 AND `+col+` = $2`, tenant, id).Scan(in.fields()...)
	if errors.Is(err, sql.ErrNoRows) {
		return Induction{}, apperr.NotFound(EntityInduction)
	}
	if err != nil {
		return Induction{}, fmt.Errorf("cannot read induction plan: %w", err)
	}
	if in.Items, err = inductionItems(ctx, q, tenant, in.ID); err != nil {
		return Induction{}, err
	}
	in.Total = len(in.Items)
	for _, it := range in.Items {
		if it.Done() {
			in.Done++
		}
	}
	return in, nil
}

// inductionItems reads a plan's items in the order a plan shows them.
func inductionItems(ctx context.Context, q querier, tenant, id int64) ([]InductionItem, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, kind, COALESCE(document_id, 0), COALESCE(programme_id, 0), title, due_on, done_on
		FROM training_induction_items WHERE tenant_id = $1 AND induction_id = $2
		ORDER BY CASE kind WHEN 'policy' THEN 0 WHEN 'manual' THEN 1 WHEN 'procedure' THEN 2 ELSE 3 END, id`, tenant, id)
	if err != nil {
		return nil, fmt.Errorf("cannot read induction items: %w", err)
	}
	defer rows.Close()
	var out []InductionItem
	for rows.Next() {
		var it InductionItem
		if err := rows.Scan(&it.ID, &it.Kind, &it.DocumentID, &it.ProgrammeID, &it.Title, &it.DueOn, &it.DoneOn); err != nil {
			return nil, fmt.Errorf("cannot read induction items: %w", err)
		}
		switch {
		case it.DocumentID != 0:
			it.Href = fmt.Sprintf("/documents/%d", it.DocumentID)
		case it.ProgrammeID != 0:
			it.Href = fmt.Sprintf("/training/programmes/%d", it.ProgrammeID)
		}
		out = append(out, it)
	}
	return out, rows.Err()
}

// itemRef names an item in the task that hands it out.
func itemRef(id int64) work.Ref { return work.Ref{Module: Module, Entity: EntityInductionItem, ID: id} }

// inductionAudit is a plan as the audit trail keeps it: with its items.
func inductionAudit(in Induction) map[string]any {
	return map[string]any{"plan": in, "items": in.Items}
}

// itemKind is the induction item kind of a document kind.
func itemKind(docKind string) string {
	switch docKind {
	case documents.KindPolicy:
		return ItemPolicy
	case documents.KindManual:
		return ItemManual
	}
	return ItemProcedure
}

// startPlan makes a person's induction plan (due after the settings'
// induction days) with an item for each document the documents module
// issues them and each active mandatory programme, and a task for each
// programme not already completed; reuse is a cancelled plan of theirs to
// start again (0: a new one). It returns 0, creating nothing, when there
// is nothing to put in the plan.
func (s *Service) startPlan(ctx context.Context, tx *sql.Tx, a auth.Actor, personID, unitID, reuse int64, now time.Time) (int64, error) {
	st, err := settingsOf(ctx, tx, a.Tenant)
	if err != nil {
		return 0, err
	}
	today := work.Day(now)
	due := today.AddDate(0, 0, st.InductionDays)
	start, dueOn := today.Format(time.DateOnly), due.Format(time.DateOnly)
	var docs []documents.InductionDoc
	if s.Docs != nil {
		if docs, err = s.Docs.IssueForInduction(ctx, tx, a, personID, unitID); err != nil {
			return 0, err
		}
	}
	type programme struct {
		id          int64
		code, title string
	}
	rows, err := tx.QueryContext(ctx, `SELECT id, code, title FROM training_programmes WHERE tenant_id = $1 AND mandatory AND active ORDER BY code, id`, a.Tenant)
	if err != nil {
		return 0, fmt.Errorf("cannot read mandatory programmes: %w", err)
	}
	var progs []programme
	for rows.Next() {
		var p programme
		if err := rows.Scan(&p.id, &p.code, &p.title); err != nil {
			rows.Close()
			return 0, fmt.Errorf("cannot read mandatory programmes: %w", err)
		}
		progs = append(progs, p)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, fmt.Errorf("cannot read mandatory programmes: %w", err)
	}
	if len(docs)+len(progs) == 0 {
		return 0, nil
	}
	var before *Induction
	id := reuse
	if reuse != 0 {
		b, err := getInduction(ctx, tx, a.Tenant, "i.id", reuse)
		if err != nil {
			return 0, err
		}
		before = &b
		if _, err := tx.ExecContext(ctx, `DELETE FROM training_induction_items WHERE tenant_id = $1 AND induction_id = $2`, a.Tenant, reuse); err != nil {
			return 0, fmt.Errorf("cannot restart induction plan: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE training_inductions SET start_on = $1, due_on = $2, state = $3, completed_on = '', updated_at = $4, version = version + 1
			WHERE tenant_id = $5 AND id = $6`, start, dueOn, InductionOpen, now, a.Tenant, reuse); err != nil {
			return 0, fmt.Errorf("cannot restart induction plan: %w", err)
		}
	} else if err := tx.QueryRowContext(ctx, `INSERT INTO training_inductions (tenant_id, person_id, start_on, due_on, state, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING id`, a.Tenant, personID, start, dueOn, InductionOpen, now).Scan(&id); err != nil {
		return 0, fmt.Errorf("cannot create induction plan: %w", err)
	}
	insert := func(kind string, doc, prog int64, title, done string) (int64, error) {
		var item int64
		err := tx.QueryRowContext(ctx, `INSERT INTO training_induction_items (tenant_id, induction_id, kind, document_id, programme_id, title, due_on, done_on, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`, a.Tenant, id, kind, nullID(doc), nullID(prog), indClip(title, 300), dueOn, done, now).Scan(&item)
		if err != nil {
			return 0, fmt.Errorf("cannot create induction item: %w", err)
		}
		return item, nil
	}
	for _, d := range docs {
		done := ""
		if d.Acknowledged {
			done = start
		}
		if _, err := insert(itemKind(d.Kind), d.DocumentID, 0, d.Code+" "+d.Title, done); err != nil {
			return 0, err
		}
	}
	for _, p := range progs {
		// A programme completed before (a hire who had it elsewhere in the
		// institution's records) counts.
		var done string
		if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(e.completed_on), '') FROM training_enrolments e JOIN training_sessions ss ON ss.id = e.session_id
			WHERE e.tenant_id = $1 AND e.person_id = $2 AND ss.programme_id = $3 AND e.state = $4`, a.Tenant, personID, p.id, EnrolCompleted).Scan(&done); err != nil {
			return 0, fmt.Errorf("cannot read completed programmes: %w", err)
		}
		item, err := insert(ItemProgramme, 0, p.id, p.code+" "+p.title, done)
		if err != nil {
			return 0, err
		}
		if done != "" {
			continue
		}
		if _, err := s.Work.Assign(ctx, tx, a, work.NewTask{Ref: itemRef(item), Kind: work.KindAttend,
			Title: indClip(indRO().T("traininginduction.task.programme", "Code", p.code, "Title", p.title), 300),
			Link:  fmt.Sprintf("/training/programmes/%d", p.id), Assignee: work.Assignee{PersonID: personID}, Due: due}); err != nil {
			return 0, err
		}
	}
	after, err := getInduction(ctx, tx, a.Tenant, "i.id", id)
	if err != nil {
		return 0, err
	}
	ev := audit.Event{Tenant: a.Tenant, Actor: a.Audit(), Action: audit.ActionCreate, Entity: EntityInduction, EntityID: id, Summary: after.Name, After: inductionAudit(after)}
	if before != nil {
		ev.Action, ev.Before = audit.ActionUpdate, inductionAudit(*before)
	}
	if err := audit.Record(ctx, tx, now, ev); err != nil {
		return 0, err
	}
	return id, s.finishIfDone(ctx, tx, a, id, start, now)
}

// markDone marks done the items of a person's open plan whose column
// (document_id or programme_id) is ref, closes their tasks, and completes
// the plan when nothing is left.
func (s *Service) markDone(ctx context.Context, tx *sql.Tx, a auth.Actor, personID int64, column string, ref int64, day string, now time.Time) error {
	before, err := getInduction(ctx, tx, a.Tenant, "i.person_id", personID)
	if errors.Is(err, apperr.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	if before.State != InductionOpen {
		return nil
	}
	var hit []int64
	for _, it := range before.Items {
		if it.Done() {
			continue
		}
		if (column == "document_id" && it.DocumentID == ref) || (column == "programme_id" && it.ProgrammeID == ref) {
			hit = append(hit, it.ID)
		}
	}
	if len(hit) == 0 {
		return nil
	}
	for _, item := range hit {
		if _, err := tx.ExecContext(ctx, `UPDATE training_induction_items SET done_on = $1 WHERE tenant_id = $2 AND id = $3`, day, a.Tenant, item); err != nil {
			return fmt.Errorf("cannot mark induction item done: %w", err)
		}
		if _, err := s.Work.Close(ctx, tx, a, work.Selector{Ref: itemRef(item)}, work.StateDone); err != nil {
			return err
		}
	}
	if _, err := tx.ExecContext(ctx, `UPDATE training_inductions SET updated_at = $1, version = version + 1 WHERE tenant_id = $2 AND id = $3`, now, a.Tenant, before.ID); err != nil {
		return fmt.Errorf("cannot update induction plan: %w", err)
	}
	after, err := getInduction(ctx, tx, a.Tenant, "i.id", before.ID)
	if err != nil {
		return err
	}
	if err := audit.Record(ctx, tx, now, audit.Event{Tenant: a.Tenant, Actor: a.Audit(), Action: audit.ActionUpdate, Entity: EntityInduction, EntityID: before.ID,
		Summary: before.Name, Before: inductionAudit(before), After: inductionAudit(after)}); err != nil {
		return err
	}
	return s.finishIfDone(ctx, tx, a, before.ID, day, now)
}

// finishIfDone completes an open plan whose items are all done, on day,
// and closes whatever task of it is still open.
func (s *Service) finishIfDone(ctx context.Context, tx *sql.Tx, a auth.Actor, id int64, day string, now time.Time) error {
	before, err := getInduction(ctx, tx, a.Tenant, "i.id", id)
	if err != nil {
		return err
	}
	if before.State != InductionOpen || before.Done < before.Total {
		return nil
	}
	// The plan completes on the day its last item was done.
	for _, it := range before.Items {
		if it.DoneOn > day {
			day = it.DoneOn
		}
	}
	if _, err := tx.ExecContext(ctx, `UPDATE training_inductions SET state = $1, completed_on = $2, updated_at = $3, version = version + 1 WHERE tenant_id = $4 AND id = $5`,
		InductionCompleted, day, now, a.Tenant, id); err != nil {
		return fmt.Errorf("cannot complete induction plan: %w", err)
	}
	for _, it := range before.Items {
		if _, err := s.Work.Close(ctx, tx, a, work.Selector{Ref: itemRef(it.ID)}, work.StateDone); err != nil {
			return err
		}
	}
	after, err := getInduction(ctx, tx, a.Tenant, "i.id", id)
	if err != nil {
		return err
	}
	return audit.Record(ctx, tx, now, audit.Event{Tenant: a.Tenant, Actor: a.Audit(), Action: audit.ActionComplete, Entity: EntityInduction, EntityID: id,
		Summary: before.Name, Before: inductionAudit(before), After: inductionAudit(after)})
}

// indClip shortens s to n characters.
func indClip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// indRO is the Romanian catalogue the module's stored texts are written
// from: task titles and the matrix's evidence are the institution's words.
var indRO = sync.OnceValue(func() *i18n.Localizer { return i18n.MustLoad().Localizer("ro") })
