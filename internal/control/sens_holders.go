package control

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"cadran/internal/apperr"
	"cadran/internal/audit"
	"cadran/internal/auth"
	"cadran/internal/textutil"
	"cadran/internal/work"
)

const sensHolderColumns = `h.id, h.function_id, h.person_id, h.since_on, h.until_on, h.created_at, h.updated_at, h.version,
	COALESCE(p.full_name, ''), COALESCE(p.job_title, ''), f.rotation, f.max_years`

const sensHolderFrom = ` FROM control_sensitive_holders h
	JOIN control_sensitive_functions f ON f.id = h.function_id
	LEFT JOIN people p ON p.id = h.person_id`

func sensHolderScan(row interface{ Scan(...any) error }) (Holder, bool, int, error) {
	var h Holder
	var rotation bool
	var years int
	err := row.Scan(&h.ID, &h.FunctionID, &h.PersonID, &h.SinceOn, &h.UntilOn, &h.CreatedAt, &h.UpdatedAt, &h.Version, &h.Name, &h.JobTitle, &rotation, &years)
	return h, rotation, years, err
}

// sensHolders reads holders matching cond ($1 the tenant, $2 arg): those
// in the function now first (longest there first), then those who left.
func sensHolders(ctx context.Context, q sensQuerier, tenant, arg int64, cond string, today time.Time, notice int) ([]Holder, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+sensHolderColumns+sensHolderFrom+` WHERE h.tenant_id = $1 AND `+cond+`
		ORDER BY CASE WHEN h.until_on = '' THEN 0 ELSE 1 END, h.since_on, h.id`, tenant, arg)
	if err != nil {
		return nil, fmt.Errorf("cannot read sensitive function holders: %w", err)
	}
	defer rows.Close()
	var out []Holder
	for rows.Next() {
		h, rotation, years, err := sensHolderScan(rows)
		if err != nil {
			return nil, fmt.Errorf("cannot read sensitive function holder: %w", err)
		}
		sensFill(&h, rotation, years, notice, today)
		out = append(out, h)
	}
	return out, rows.Err()
}

func sensHolderGet(ctx context.Context, q sensQuerier, tenant, fnID, id int64, today time.Time, notice int) (Holder, error) {
	h, rotation, years, err := sensHolderScan(q.QueryRowContext(ctx, `SELECT `+sensHolderColumns+sensHolderFrom+` WHERE h.tenant_id = $1 AND h.function_id = $2 AND h.id = $3`,
		tenant, fnID, id))
	if errors.Is(err, sql.ErrNoRows) {
		return Holder{}, apperr.NotFound(EntityHolder)
	}
	if err != nil {
		return Holder{}, fmt.Errorf("cannot read sensitive function holder: %w", err)
	}
	sensFill(&h, rotation, years, notice, today)
	return h, nil
}

// sensWritable reads a function for a change of its holders or measures:
// it must be active.
func sensWritable(ctx context.Context, tx *sql.Tx, a auth.Actor, fnID int64, today time.Time) (SensitiveFunction, error) {
	if err := a.Require(auth.PermControlManage); err != nil {
		return SensitiveFunction{}, err
	}
	f, err := sensGet(ctx, tx, a.Tenant, fnID, today)
	if err != nil {
		return f, err
	}
	if f.State != FunctionActive {
		return f, apperr.Conflict("control.sens.error.retired")
	}
	return f, nil
}

// AddHolder records a person in a function. In a rotatable function it
// plans the person's rotation: a measure due on the rotation date, owned
// by the head of the function's unit, and its task.
func (s *Service) AddHolder(ctx context.Context, a auth.Actor, fnID int64, in HolderInput) (Holder, error) {
	now := s.Clock.Now()
	today := work.Day(now)
	var out Holder
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		f, err := sensWritable(ctx, tx, a, fnID, today)
		if err != nil {
			return err
		}
		v := apperr.Validation{}
		in.SinceOn = strings.TrimSpace(in.SinceOn)
		if in.PersonID <= 0 {
			v.Add(FieldHolderPerson, "error.required")
		} else if ok, err := sensPersonOK(ctx, tx, a.Tenant, in.PersonID); err != nil {
			return err
		} else if !ok {
			v.Add(FieldHolderPerson, "error.choice")
		}
		switch since, ok := sensDay(in.SinceOn); {
		case in.SinceOn == "":
			v.Add(FieldHolderSince, "error.required")
		case !ok:
			v.Add(FieldHolderSince, "error.date")
		case since.After(today):
			v.Add(FieldHolderSince, "control.sens.error.since_future")
		}
		if err := v.Err(); err != nil {
			return err
		}
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM control_sensitive_holders WHERE tenant_id = $1 AND function_id = $2 AND person_id = $3 AND until_on = ''`,
			a.Tenant, fnID, in.PersonID).Scan(&n); err != nil {
			return fmt.Errorf("cannot read sensitive function holders: %w", err)
		}
		if n > 0 {
			return apperr.Validation{FieldHolderPerson: "control.sens.error.holder_exists"}
		}
		_, notice, err := sensRotation(ctx, tx, a.Tenant)
		if err != nil {
			return err
		}
		var id int64
		if err := tx.QueryRowContext(ctx, `INSERT INTO control_sensitive_holders (tenant_id, function_id, person_id, since_on, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $5) RETURNING id`, a.Tenant, fnID, in.PersonID, in.SinceOn, now).Scan(&id); err != nil {
			return fmt.Errorf("cannot record sensitive function holder: %w", err)
		}
		if out, err = sensHolderGet(ctx, tx, a.Tenant, fnID, id, today, notice); err != nil {
			return err
		}
		if err := s.touchSensitive(ctx, tx, a.Tenant, fnID, now); err != nil {
			return err
		}
		if err := audit.Record(ctx, tx, now, audit.Event{Tenant: a.Tenant, Actor: a.Audit(), Action: audit.ActionCreate, Entity: EntityHolder, EntityID: id,
			Summary: sensClip(f.Title, 120) + ": " + out.Name, After: out}); err != nil {
			return err
		}
		if !f.Rotation {
			return nil
		}
		head, err := sensUnitHead(ctx, tx, a.Tenant, f.UnitID)
		if err != nil {
			return err
		}
		if head == in.PersonID {
			head = 0 // nobody plans their own rotation: the quality office does
		}
		_, err = s.insertMeasure(ctx, tx, a, f, SMeasureInput{HolderID: id, Kind: MeasureRotation, OwnerID: head, DueOn: out.RotationOn,
			Description: "Rotația lui " + out.Name + " din funcția sensibilă „" + f.Title + "”, în funcție din " + out.SinceOn + "."}, now)
		return err
	})
	return out, err
}

// EndHolder records the day a person left a function; their planned
// rotation is then done (they rotated) and its task closed.
func (s *Service) EndHolder(ctx context.Context, a auth.Actor, fnID, id int64, in HolderEnd) (Holder, error) {
	now := s.Clock.Now()
	today := work.Day(now)
	var out Holder
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		f, err := sensWritable(ctx, tx, a, fnID, today)
		if err != nil {
			return err
		}
		_, notice, err := sensRotation(ctx, tx, a.Tenant)
		if err != nil {
			return err
		}
		before, err := sensHolderGet(ctx, tx, a.Tenant, fnID, id, today, notice)
		if err != nil {
			return err
		}
		if !before.Current() {
			return apperr.Conflict("control.sens.error.holder_ended")
		}
		in.UntilOn = strings.TrimSpace(in.UntilOn)
		if in.UntilOn == "" {
			in.UntilOn = today.Format(time.DateOnly)
		}
		switch until, ok := sensDay(in.UntilOn); {
		case !ok:
			return apperr.Validation{FieldHolderUntil: "error.date"}
		case in.UntilOn < before.SinceOn:
			return apperr.Validation{FieldHolderUntil: "control.sens.error.until_before_since"}
		case until.After(today):
			return apperr.Validation{FieldHolderUntil: "control.sens.error.until_future"}
		}
		if before.Version != in.Version {
			return apperr.Stale()
		}
		res, err := tx.ExecContext(ctx, `UPDATE control_sensitive_holders SET until_on = $1, updated_at = $2, version = version + 1
			WHERE tenant_id = $3 AND function_id = $4 AND id = $5 AND version = $6`, in.UntilOn, now, a.Tenant, fnID, id, in.Version)
		if err != nil {
			return fmt.Errorf("cannot update sensitive function holder: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return apperr.Stale()
		}
		if out, err = sensHolderGet(ctx, tx, a.Tenant, fnID, id, today, notice); err != nil {
			return err
		}
		if err := s.sensSettle(ctx, tx, a, fnID, id, MeasureDone, in.UntilOn, now); err != nil {
			return err
		}
		if err := s.touchSensitive(ctx, tx, a.Tenant, fnID, now); err != nil {
			return err
		}
		return audit.Record(ctx, tx, now, audit.Event{Tenant: a.Tenant, Actor: a.Audit(), Action: audit.ActionUpdate, Entity: EntityHolder, EntityID: id,
			Summary: sensClip(f.Title, 120) + ": " + out.Name, Before: before, After: out})
	})
	return out, err
}

// touchSensitive marks a function changed (its holders or measures), so
// an edit form loaded before is stale.
func (s *Service) touchSensitive(ctx context.Context, tx *sql.Tx, tenant, id int64, now time.Time) error {
	if _, err := tx.ExecContext(ctx, `UPDATE control_sensitive_functions SET updated_at = $1 WHERE tenant_id = $2 AND id = $3`, now, tenant, id); err != nil {
		return fmt.Errorf("cannot update sensitive function: %w", err)
	}
	return nil
}

// Measures.

func sensMeasureRef(id int64) work.Ref {
	return work.Ref{Module: Module, Entity: EntitySMeasure, ID: id}
}

const sensMeasureColumns = `m.id, m.function_id, COALESCE(m.holder_id, 0), m.kind, m.description, COALESCE(m.owner_id, 0), m.due_on, m.state, m.done_on,
	m.created_at, m.updated_at, m.version, COALESCE(hp.full_name, ''), COALESCE(op.full_name, ''), f.title, COALESCE(u.name, '')`

const sensMeasureFrom = ` FROM control_sensitive_measures m
	JOIN control_sensitive_functions f ON f.id = m.function_id
	LEFT JOIN units u ON u.id = f.unit_id
	LEFT JOIN control_sensitive_holders h ON h.id = m.holder_id
	LEFT JOIN people hp ON hp.id = h.person_id
	LEFT JOIN people op ON op.id = m.owner_id`

func sensMeasureScan(row interface{ Scan(...any) error }, today time.Time) (SensitiveMeasure, error) {
	var m SensitiveMeasure
	err := row.Scan(&m.ID, &m.FunctionID, &m.HolderID, &m.Kind, &m.Description, &m.OwnerID, &m.DueOn, &m.State, &m.DoneOn,
		&m.CreatedAt, &m.UpdatedAt, &m.Version, &m.HolderName, &m.OwnerName, &m.FunctionTitle, &m.UnitName)
	if d, ok := sensDay(m.DueOn); ok && m.State == MeasurePlanned && d.Before(today) {
		m.Overdue = true
	}
	return m, err
}

func sensMeasures(ctx context.Context, q sensQuerier, tenant int64, cond string, arg int64, today time.Time) ([]SensitiveMeasure, error) {
	return sensMeasuresArgs(ctx, q, tenant, cond, []any{arg}, today)
}

// sensMeasuresArgs reads measures matching cond ($1 the tenant, then
// args): planned first by due date, then the others.
func sensMeasuresArgs(ctx context.Context, q sensQuerier, tenant int64, cond string, args []any, today time.Time) ([]SensitiveMeasure, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+sensMeasureColumns+sensMeasureFrom+` WHERE m.tenant_id = $1 AND `+cond+`
		ORDER BY CASE m.state WHEN 'planned' THEN 0 WHEN 'done' THEN 1 ELSE 2 END, CASE WHEN m.due_on = '' THEN 1 ELSE 0 END, m.due_on, m.id`,
		append([]any{tenant}, args...)...)
	if err != nil {
		return nil, fmt.Errorf("cannot read sensitive function measures: %w", err)
	}
	defer rows.Close()
	var out []SensitiveMeasure
	for rows.Next() {
		m, err := sensMeasureScan(rows, today)
		if err != nil {
			return nil, fmt.Errorf("cannot read sensitive function measure: %w", err)
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

func sensMeasureGet(ctx context.Context, q sensQuerier, tenant, fnID, id int64, today time.Time) (SensitiveMeasure, error) {
	ms, err := sensMeasuresArgs(ctx, q, tenant, `m.function_id = $2 AND m.id = $3`, []any{fnID, id}, today)
	if err != nil {
		return SensitiveMeasure{}, err
	}
	if len(ms) == 0 {
		return SensitiveMeasure{}, apperr.NotFound(EntitySMeasure)
	}
	return ms[0], nil
}

// validate checks and normalises a measure's input.
func (in *SMeasureInput) validate(today time.Time) error {
	v := apperr.Validation{}
	in.Description = strings.TrimSpace(textutil.CleanText(in.Description))
	in.DueOn = strings.TrimSpace(in.DueOn)
	in.DoneOn = strings.TrimSpace(in.DoneOn)
	if !slices.Contains(MeasureKinds, in.Kind) {
		v.Add(FieldMeasureKind, "error.choice")
	}
	if utf8.RuneCountInString(in.Description) > SensMaxText {
		v.Add(FieldMeasureDescription, "error.too_long")
	}
	if in.Kind != MeasureRotation && in.Kind != "" && in.Description == "" {
		v.Add(FieldMeasureDescription, "control.sens.error.measure_description")
	}
	if _, ok := sensDay(in.DueOn); in.DueOn != "" && !ok {
		v.Add(FieldMeasureDue, "error.date")
	}
	if in.State == "" {
		in.State = MeasurePlanned
	}
	if !slices.Contains(MeasureStates, in.State) {
		v.Add(FieldMeasureState, "error.choice")
	}
	if in.State == MeasureDone {
		if in.DoneOn == "" {
			in.DoneOn = today.Format(time.DateOnly)
		}
		if d, ok := sensDay(in.DoneOn); !ok {
			v.Add(FieldMeasureDone, "error.date")
		} else if d.After(today) {
			v.Add(FieldMeasureDone, "control.sens.error.done_future")
		}
	} else {
		in.DoneOn = ""
	}
	return v.Err()
}

// sensMeasureTask is the task of a planned measure with a due date: for its
// owner, or for the quality office when it has none.
func sensMeasureTask(f SensitiveFunction, m SensitiveMeasure) (work.NewTask, bool) {
	due, ok := sensDay(m.DueOn)
	if m.State != MeasurePlanned || !ok {
		return work.NewTask{}, false
	}
	title := "Măsură pentru funcția sensibilă „" + sensClip(f.Title, 150) + "”"
	if m.Kind == MeasureRotation {
		title = "Rotația personalului: " + sensClip(f.Title, 150)
		if m.HolderName != "" {
			title += " (" + m.HolderName + ")"
		}
	}
	who := work.Assignee{PersonID: m.OwnerID}
	if m.OwnerID == 0 {
		who = work.Assignee{Role: auth.RoleQualityManager}
	}
	return work.NewTask{Ref: sensMeasureRef(m.ID), Kind: work.KindAct, Title: sensClip(title, 250), Details: sensClip(m.Description, 2000),
		Link: f.Href() + "#measure-" + sensID(m.ID), Assignee: who, Due: due}, true
}

// sensCheckMeasure checks the measure's holder and owner belong to the
// function and the institution.
func sensCheckMeasure(ctx context.Context, tx *sql.Tx, tenant, fnID int64, in SMeasureInput) error {
	v := apperr.Validation{}
	if in.HolderID != 0 {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM control_sensitive_holders WHERE tenant_id = $1 AND function_id = $2 AND id = $3`,
			tenant, fnID, in.HolderID).Scan(&n); err != nil {
			return fmt.Errorf("cannot read sensitive function holder: %w", err)
		}
		if n == 0 {
			v.Add(FieldMeasureHolder, "error.choice")
		}
	}
	if in.OwnerID != 0 {
		if ok, err := sensPersonOK(ctx, tx, tenant, in.OwnerID); err != nil {
			return err
		} else if !ok {
			v.Add(FieldMeasureOwner, "error.choice")
		}
	}
	return v.Err()
}

func (s *Service) insertMeasure(ctx context.Context, tx *sql.Tx, a auth.Actor, f SensitiveFunction, in SMeasureInput, now time.Time) (SensitiveMeasure, error) {
	today := work.Day(now)
	if err := in.validate(today); err != nil {
		return SensitiveMeasure{}, err
	}
	if err := sensCheckMeasure(ctx, tx, a.Tenant, f.ID, in); err != nil {
		return SensitiveMeasure{}, err
	}
	var id int64
	if err := tx.QueryRowContext(ctx, `INSERT INTO control_sensitive_measures (tenant_id, function_id, holder_id, kind, description, owner_id, due_on, state, done_on,
			created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10) RETURNING id`,
		a.Tenant, f.ID, sensNullID(in.HolderID), in.Kind, in.Description, sensNullID(in.OwnerID), in.DueOn, in.State, in.DoneOn, now).Scan(&id); err != nil {
		return SensitiveMeasure{}, fmt.Errorf("cannot record sensitive function measure: %w", err)
	}
	out, err := sensMeasureGet(ctx, tx, a.Tenant, f.ID, id, today)
	if err != nil {
		return out, err
	}
	if t, ok := sensMeasureTask(f, out); ok {
		if _, err := s.Work.Assign(ctx, tx, a, t); err != nil {
			return out, err
		}
	}
	return out, audit.Record(ctx, tx, now, audit.Event{Tenant: a.Tenant, Actor: a.Audit(), Action: audit.ActionCreate, Entity: EntitySMeasure, EntityID: id,
		Summary: sensClip(f.Title, 120) + ": " + out.Kind, After: out})
}

// AddSMeasure adds a measure to a function; planned with a due date, it is
// a task for its owner (or the quality office).
func (s *Service) AddSMeasure(ctx context.Context, a auth.Actor, fnID int64, in SMeasureInput) (SensitiveMeasure, error) {
	now := s.Clock.Now()
	var out SensitiveMeasure
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		f, err := sensWritable(ctx, tx, a, fnID, work.Day(now))
		if err != nil {
			return err
		}
		if out, err = s.insertMeasure(ctx, tx, a, f, in, now); err != nil {
			return err
		}
		return s.touchSensitive(ctx, tx, a.Tenant, fnID, now)
	})
	return out, err
}

// UpdateSMeasure changes a measure or its state (done records the day it
// was done); its task follows.
func (s *Service) UpdateSMeasure(ctx context.Context, a auth.Actor, fnID, id int64, in SMeasureInput) (SensitiveMeasure, error) {
	now := s.Clock.Now()
	today := work.Day(now)
	var out SensitiveMeasure
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		f, err := sensWritable(ctx, tx, a, fnID, today)
		if err != nil {
			return err
		}
		before, err := sensMeasureGet(ctx, tx, a.Tenant, fnID, id, today)
		if err != nil {
			return err
		}
		if err := in.validate(today); err != nil {
			return err
		}
		if before.Version != in.Version {
			return apperr.Stale()
		}
		if err := sensCheckMeasure(ctx, tx, a.Tenant, fnID, in); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `UPDATE control_sensitive_measures SET holder_id = $1, kind = $2, description = $3, owner_id = $4, due_on = $5, state = $6,
				done_on = $7, updated_at = $8, version = version + 1
			WHERE tenant_id = $9 AND function_id = $10 AND id = $11 AND version = $12`,
			sensNullID(in.HolderID), in.Kind, in.Description, sensNullID(in.OwnerID), in.DueOn, in.State, in.DoneOn, now, a.Tenant, fnID, id, in.Version)
		if err != nil {
			return fmt.Errorf("cannot update sensitive function measure: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return apperr.Stale()
		}
		if out, err = sensMeasureGet(ctx, tx, a.Tenant, fnID, id, today); err != nil {
			return err
		}
		if before.OwnerID != out.OwnerID || before.DueOn != out.DueOn || before.State != out.State || before.Kind != out.Kind || before.HolderID != out.HolderID {
			closed := work.StateCancelled
			if out.State == MeasureDone {
				closed = work.StateDone
			}
			if _, err := s.Work.Close(ctx, tx, a, work.Selector{Ref: sensMeasureRef(id)}, closed); err != nil {
				return err
			}
			if t, ok := sensMeasureTask(f, out); ok {
				if _, err := s.Work.Assign(ctx, tx, a, t); err != nil {
					return err
				}
			}
		}
		if err := s.touchSensitive(ctx, tx, a.Tenant, fnID, now); err != nil {
			return err
		}
		return audit.Record(ctx, tx, now, audit.Event{Tenant: a.Tenant, Actor: a.Audit(), Action: audit.ActionUpdate, Entity: EntitySMeasure, EntityID: id,
			Summary: sensClip(f.Title, 120) + ": " + out.Kind, Before: before, After: out})
	})
	return out, err
}

// SensitiveInventory is the three lists kept under standard 2, for the
// PDF and DOCX: the active functions, the people in them now (with since
// and rotation date), and the plan of measures (planned and done).
func (s *Service) SensitiveInventory(ctx context.Context, a auth.Actor) (Inventory, error) {
	if err := a.Require(auth.PermControlView); err != nil {
		return Inventory{}, err
	}
	today := work.Day(s.Clock.Now())
	out := Inventory{Today: today.Format(time.DateOnly)}
	page, err := s.SensitiveFunctions(ctx, a, SensitiveFilter{State: FunctionActive, PerPage: 10000})
	if err != nil {
		return out, err
	}
	out.Functions = page.Items
	_, notice, err := sensRotation(ctx, s.DB.R, a.Tenant)
	if err != nil {
		return out, err
	}
	rows, err := s.DB.R.QueryContext(ctx, `SELECT `+sensHolderColumns+`, f.title, COALESCE(u.name, '')`+sensHolderFrom+`
		LEFT JOIN units u ON u.id = f.unit_id
		WHERE h.tenant_id = $1 AND h.until_on = '' AND f.state = 'active'
		ORDER BY u.sort_name, f.title, f.id, h.since_on, h.id`, a.Tenant)
	if err != nil {
		return out, fmt.Errorf("cannot read sensitive function holders: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var ih InventoryHolder
		var years int
		if err := rows.Scan(&ih.ID, &ih.Holder.FunctionID, &ih.PersonID, &ih.SinceOn, &ih.UntilOn, &ih.CreatedAt, &ih.UpdatedAt, &ih.Version, &ih.Name, &ih.JobTitle,
			&ih.Rotation, &years, &ih.FunctionTitle, &ih.UnitName); err != nil {
			return out, fmt.Errorf("cannot read sensitive function holder: %w", err)
		}
		sensFill(&ih.Holder, ih.Rotation, years, notice, today)
		ih.FunctionID = ih.Holder.FunctionID
		out.Holders = append(out.Holders, ih)
	}
	if err := rows.Err(); err != nil {
		return out, err
	}
	rows.Close()
	if out.Measures, err = sensMeasuresArgs(ctx, s.DB.R, a.Tenant, `f.state = 'active' AND m.state <> 'cancelled'`, nil, today); err != nil {
		return out, err
	}
	return out, nil
}
