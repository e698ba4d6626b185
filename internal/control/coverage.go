package control

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"cadran/internal/apperr"
	"cadran/internal/audit"
	"cadran/internal/auth"
	"cadran/internal/db"
	"cadran/internal/documents"
	"cadran/internal/textutil"
	"cadran/internal/work"
)

// Procedure coverage: the activities of each compartment against the
// procedure (system or operational, documents.Procedural) covering each.
// An activity without one still lacks a procedure unless exempt says why
// none is needed; with an owner and a due date, writing the missing
// procedure is a task for the owner, closed when a procedure is linked.

// validate checks and normalises an activity's input.
func (in *ActivityInput) validate() error {
	v := apperr.Validation{}
	in.Title = textutil.Clean(in.Title)
	in.Description = strings.TrimSpace(textutil.CleanText(in.Description))
	in.Exempt = strings.TrimSpace(textutil.CleanText(in.Exempt))
	in.DueOn = strings.TrimSpace(in.DueOn)
	if in.UnitID <= 0 {
		v.Add(FieldActUnit, "error.required")
	}
	switch {
	case in.Title == "":
		v.Add(FieldActTitle, "error.required")
	case utf8.RuneCountInString(in.Title) > SensMaxTitle:
		v.Add(FieldActTitle, "error.too_long")
	}
	if utf8.RuneCountInString(in.Description) > SensMaxText {
		v.Add(FieldActDescription, "error.too_long")
	}
	if utf8.RuneCountInString(in.Exempt) > SensMaxText {
		v.Add(FieldActExempt, "error.too_long")
	}
	if in.DocumentID != 0 && in.Exempt != "" {
		v.Add(FieldActExempt, "control.cov.error.exempt_and_document")
	}
	if _, ok := sensDay(in.DueOn); in.DueOn != "" && !ok {
		v.Add(FieldActDue, "error.date")
	}
	return v.Err()
}

const covColumns = `x.id, x.tenant_id, x.unit_id, x.title, x.description, COALESCE(x.document_id, 0), x.exempt, COALESCE(x.owner_id, 0), x.due_on,
	x.created_at, x.updated_at, x.version, COALESCE(u.name, ''), COALESCE(d.code, ''), COALESCE(d.title, ''), COALESCE(p.full_name, '')`

const covFrom = ` FROM control_activities x
	LEFT JOIN units u ON u.id = x.unit_id
	LEFT JOIN documents d ON d.id = x.document_id
	LEFT JOIN people p ON p.id = x.owner_id`

func covScan(row interface{ Scan(...any) error }, today time.Time) (Activity, error) {
	var x Activity
	err := row.Scan(&x.ID, &x.Tenant, &x.UnitID, &x.Title, &x.Description, &x.DocumentID, &x.Exempt, &x.OwnerID, &x.DueOn,
		&x.CreatedAt, &x.UpdatedAt, &x.Version, &x.UnitName, &x.DocCode, &x.DocTitle, &x.OwnerName)
	if d, ok := sensDay(x.DueOn); ok && x.Status() == CoverageMissing && d.Before(today) {
		x.Overdue = true
	}
	return x, err
}

func covGet(ctx context.Context, q sensQuerier, tenant, id int64, today time.Time) (Activity, error) {
	x, err := covScan(q.QueryRowContext(ctx, `SELECT `+covColumns+covFrom+` WHERE x.tenant_id = $1 AND x.id = $2`, tenant, id), today)
	if errors.Is(err, sql.ErrNoRows) {
		return Activity{}, apperr.NotFound(EntityActivity)
	}
	if err != nil {
		return Activity{}, fmt.Errorf("cannot read activity: %w", err)
	}
	return x, nil
}

// covStatusSQL is an activity's coverage status in SQL.
const covStatusSQL = `CASE WHEN x.document_id IS NOT NULL THEN 'covered' WHEN x.exempt <> '' THEN 'exempt' ELSE 'missing' END`

var covSorts = map[string]string{
	"unit":    "u.sort_name",
	"title":   "x.title",
	"status":  covStatusSQL,
	"due":     "CASE WHEN x.due_on = '' THEN '9999' ELSE x.due_on END",
	"updated": "x.updated_at",
}

// Activities lists activities.
func (s *Service) Activities(ctx context.Context, a auth.Actor, f ActivityFilter) (ActivityPage, error) {
	if err := a.Require(auth.PermControlView); err != nil {
		return ActivityPage{}, err
	}
	where := ` WHERE x.tenant_id = $1`
	args := []any{a.Tenant}
	add := func(cond string, v any) {
		args = append(args, v)
		where += " AND " + strings.ReplaceAll(cond, "?", fmt.Sprintf("$%d", len(args)))
	}
	if q := textutil.Fold(strings.TrimSpace(f.Query)); q != "" {
		add(`x.search_text LIKE ? ESCAPE '\'`, db.LikePattern(q))
	}
	if f.UnitID != 0 {
		add(`x.unit_id = ?`, f.UnitID)
	}
	switch f.Status {
	case CoverageCovered:
		where += ` AND x.document_id IS NOT NULL`
	case CoverageExempt:
		where += ` AND x.document_id IS NULL AND x.exempt <> ''`
	case CoverageMissing:
		where += ` AND x.document_id IS NULL AND x.exempt = ''`
	}
	today := work.Day(s.Clock.Now())
	var out ActivityPage
	var err error
	out.Items, out.Total, err = db.Page(ctx, s.DB.R, "activities", db.PageQuery{Select: covColumns, From: covFrom + where, Args: args,
		Sorts: covSorts, Sort: f.Sort, Desc: f.Desc, Default: "unit", Tail: "x.title, x.id", Page: f.Page, PerPage: f.PerPage},
		func(r *sql.Rows) (Activity, error) { return covScan(r, today) })
	return out, err
}

// Activity reads an activity.
func (s *Service) Activity(ctx context.Context, a auth.Actor, id int64) (Activity, error) {
	if err := a.Require(auth.PermControlView); err != nil {
		return Activity{}, err
	}
	return covGet(ctx, s.DB.R, a.Tenant, id, work.Day(s.Clock.Now()))
}

// Coverage is procedure coverage per compartment with activities, in the
// order of the units' names, and for the institution.
func (s *Service) Coverage(ctx context.Context, a auth.Actor) (CoverageSummary, error) {
	if err := a.Require(auth.PermControlView); err != nil {
		return CoverageSummary{}, err
	}
	return CoverageOf(ctx, s.DB.R, a.Tenant)
}

// CoverageOf is Coverage without the permission check, for the metrics
// and the reports of other parts.
func CoverageOf(ctx context.Context, q sensQuerier, tenant int64) (CoverageSummary, error) {
	rows, err := q.QueryContext(ctx, `SELECT x.unit_id, COALESCE(MAX(u.name), ''), COUNT(*),
			SUM(CASE WHEN x.document_id IS NOT NULL THEN 1 ELSE 0 END),
			SUM(CASE WHEN x.document_id IS NULL AND x.exempt <> '' THEN 1 ELSE 0 END)
		FROM control_activities x LEFT JOIN units u ON u.id = x.unit_id
		WHERE x.tenant_id = $1
		GROUP BY x.unit_id
		ORDER BY MAX(u.sort_name), MAX(u.name), x.unit_id`, tenant)
	if err != nil {
		return CoverageSummary{}, fmt.Errorf("cannot read procedure coverage: %w", err)
	}
	defer rows.Close()
	var out CoverageSummary
	for rows.Next() {
		var u UnitCoverage
		if err := rows.Scan(&u.UnitID, &u.UnitName, &u.Activities, &u.Covered, &u.Exempt); err != nil {
			return out, fmt.Errorf("cannot read procedure coverage: %w", err)
		}
		u.Missing = u.Activities - u.Covered - u.Exempt
		out.Units = append(out.Units, u)
		out.Total.Activities += u.Activities
		out.Total.Covered += u.Covered
		out.Total.Exempt += u.Exempt
		out.Total.Missing += u.Missing
	}
	return out, rows.Err()
}

// ProcedureOptions lists the institution's procedures an activity may
// link to: system and operational procedures not withdrawn.
func (s *Service) ProcedureOptions(ctx context.Context, a auth.Actor) ([]ProcedureOption, error) {
	if err := a.Require(auth.PermControlView); err != nil {
		return nil, err
	}
	rows, err := s.DB.R.QueryContext(ctx, `SELECT id, code, title, kind FROM documents
		WHERE tenant_id = $1 AND kind IN ($2, $3) AND state <> $4 ORDER BY sort_code, id`, a.Tenant, documents.KindSystem, documents.KindOperational, documents.StateWithdrawn)
	if err != nil {
		return nil, fmt.Errorf("cannot read procedures: %w", err)
	}
	defer rows.Close()
	var out []ProcedureOption
	for rows.Next() {
		var o ProcedureOption
		if err := rows.Scan(&o.ID, &o.Code, &o.Title, &o.Kind); err != nil {
			return nil, fmt.Errorf("cannot read procedure: %w", err)
		}
		out = append(out, o)
	}
	return out, rows.Err()
}

// covCheck checks the unit, the procedure and the owner are the
// institution's; it returns the unit's name.
func covCheck(ctx context.Context, tx *sql.Tx, tenant int64, in ActivityInput) (string, error) {
	v := apperr.Validation{}
	var unitName string
	err := tx.QueryRowContext(ctx, `SELECT name FROM units WHERE tenant_id = $1 AND id = $2`, tenant, in.UnitID).Scan(&unitName)
	if errors.Is(err, sql.ErrNoRows) {
		v.Add(FieldActUnit, "error.choice")
	} else if err != nil {
		return "", fmt.Errorf("cannot read unit: %w", err)
	}
	if in.DocumentID != 0 {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM documents WHERE tenant_id = $1 AND id = $2 AND kind IN ($3, $4) AND state <> $5`,
			tenant, in.DocumentID, documents.KindSystem, documents.KindOperational, documents.StateWithdrawn).Scan(&n); err != nil {
			return "", fmt.Errorf("cannot read procedure: %w", err)
		}
		if n == 0 {
			v.Add(FieldActDocument, "control.cov.error.document")
		}
	}
	if in.OwnerID != 0 {
		if ok, err := sensPersonOK(ctx, tx, tenant, in.OwnerID); err != nil {
			return "", err
		} else if !ok {
			v.Add(FieldActOwner, "error.choice")
		}
	}
	return unitName, v.Err()
}

func covRef(id int64) work.Ref { return work.Ref{Module: Module, Entity: EntityActivity, ID: id} }

// covTask is the owner's task to write the missing procedure.
func covTask(x Activity) (work.NewTask, bool) {
	due, ok := sensDay(x.DueOn)
	if x.Status() != CoverageMissing || x.OwnerID == 0 || !ok {
		return work.NewTask{}, false
	}
	return work.NewTask{Ref: covRef(x.ID), Kind: work.KindAct, Title: sensClip("Elaborați procedura pentru activitatea „"+x.Title+"”", 250),
		Details: "Activitate fără procedură în " + x.UnitName + ".", Link: x.Href(), Assignee: work.Assignee{PersonID: x.OwnerID}, Due: due}, true
}

func covSearch(in ActivityInput, unit string) string {
	return textutil.Fold(in.Title + " " + in.Description + " " + in.Exempt + " " + unit)
}

// CreateActivity adds an activity.
func (s *Service) CreateActivity(ctx context.Context, a auth.Actor, in ActivityInput) (Activity, error) {
	if err := a.Require(auth.PermControlManage); err != nil {
		return Activity{}, err
	}
	now := s.Clock.Now()
	var out Activity
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		if err := in.validate(); err != nil {
			return err
		}
		unit, err := covCheck(ctx, tx, a.Tenant, in)
		if err != nil {
			return err
		}
		var id int64
		if err := tx.QueryRowContext(ctx, `INSERT INTO control_activities (tenant_id, unit_id, title, description, document_id, exempt, owner_id, due_on,
				search_text, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10) RETURNING id`,
			a.Tenant, in.UnitID, in.Title, in.Description, sensNullID(in.DocumentID), in.Exempt, sensNullID(in.OwnerID), in.DueOn, covSearch(in, unit), now).Scan(&id); err != nil {
			return fmt.Errorf("cannot record activity: %w", err)
		}
		if out, err = covGet(ctx, tx, a.Tenant, id, work.Day(now)); err != nil {
			return err
		}
		if t, ok := covTask(out); ok {
			if _, err := s.Work.Assign(ctx, tx, a, t); err != nil {
				return err
			}
		}
		return audit.Record(ctx, tx, now, audit.Event{Tenant: a.Tenant, Actor: a.Audit(), Action: audit.ActionCreate, Entity: EntityActivity, EntityID: id,
			Summary: sensClip(out.Title, 120) + " (" + sensClip(unit, 80) + ")", After: out})
	})
	return out, err
}

// UpdateActivity changes an activity; linking a procedure closes the task
// to write it (done), exempting it cancels the task.
func (s *Service) UpdateActivity(ctx context.Context, a auth.Actor, id int64, in ActivityInput) (Activity, error) {
	if err := a.Require(auth.PermControlManage); err != nil {
		return Activity{}, err
	}
	now := s.Clock.Now()
	today := work.Day(now)
	var out Activity
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		before, err := covGet(ctx, tx, a.Tenant, id, today)
		if err != nil {
			return err
		}
		if err := in.validate(); err != nil {
			return err
		}
		if before.Version != in.Version {
			return apperr.Stale()
		}
		unit, err := covCheck(ctx, tx, a.Tenant, in)
		if err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `UPDATE control_activities SET unit_id = $1, title = $2, description = $3, document_id = $4, exempt = $5, owner_id = $6,
				due_on = $7, search_text = $8, updated_at = $9, version = version + 1
			WHERE tenant_id = $10 AND id = $11 AND version = $12`,
			in.UnitID, in.Title, in.Description, sensNullID(in.DocumentID), in.Exempt, sensNullID(in.OwnerID), in.DueOn, covSearch(in, unit), now, a.Tenant, id, in.Version)
		if err != nil {
			return fmt.Errorf("cannot update activity: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return apperr.Stale()
		}
		if out, err = covGet(ctx, tx, a.Tenant, id, today); err != nil {
			return err
		}
		if before.Status() != out.Status() || before.OwnerID != out.OwnerID || before.DueOn != out.DueOn || before.Title != out.Title {
			closed := work.StateCancelled
			if out.Status() == CoverageCovered {
				closed = work.StateDone
			}
			if _, err := s.Work.Close(ctx, tx, a, work.Selector{Ref: covRef(id)}, closed); err != nil {
				return err
			}
			if t, ok := covTask(out); ok {
				if _, err := s.Work.Assign(ctx, tx, a, t); err != nil {
					return err
				}
			}
		}
		return audit.Record(ctx, tx, now, audit.Event{Tenant: a.Tenant, Actor: a.Audit(), Action: audit.ActionUpdate, Entity: EntityActivity, EntityID: id,
			Summary: sensClip(out.Title, 120) + " (" + sensClip(unit, 80) + ")", Before: before, After: out})
	})
	return out, err
}

// DeleteActivity removes an activity (its task cancelled).
func (s *Service) DeleteActivity(ctx context.Context, a auth.Actor, id int64, version int) error {
	if err := a.Require(auth.PermControlManage); err != nil {
		return err
	}
	now := s.Clock.Now()
	return s.DB.Tx(ctx, func(tx *sql.Tx) error {
		before, err := covGet(ctx, tx, a.Tenant, id, work.Day(now))
		if err != nil {
			return err
		}
		if before.Version != version {
			return apperr.Stale()
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM control_activities WHERE tenant_id = $1 AND id = $2`, a.Tenant, id); err != nil {
			return fmt.Errorf("cannot delete activity: %w", err)
		}
		if _, err := s.Work.Close(ctx, tx, a, work.Selector{Ref: covRef(id)}, work.StateCancelled); err != nil {
			return err
		}
		return audit.Record(ctx, tx, now, audit.Event{Tenant: a.Tenant, Actor: a.Audit(), Action: audit.ActionDelete, Entity: EntityActivity, EntityID: id,
			Summary: sensClip(before.Title, 120) + " (" + sensClip(before.UnitName, 80) + ")", Before: before})
	})
}
