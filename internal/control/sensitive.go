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
	"cadran/internal/db"
	"cadran/internal/textutil"
	"cadran/internal/work"
)

// The inventory of sensitive functions (DOMAIN.md "Sensitive functions"):
// the posts of each unit exposed to risk, the people in them and since
// when, and the measures that reduce the risk, rotation first. A person in
// a rotatable function longer than its max years is overdue for rotation;
// the rotation date is computed on read (since + max years), so the clock
// passing it needs no job. Adding a person to a rotatable function plans
// their rotation: a measure due on the rotation date, a task for the head
// of the unit (or, with no head known, for the quality office).

// validate checks and normalises the input; maxDefault fills MaxYears 0.
func (in *SensitiveInput) validate(maxDefault int) error {
	v := apperr.Validation{}
	in.Title = textutil.Clean(in.Title)
	in.Description = strings.TrimSpace(textutil.CleanText(in.Description))
	if in.UnitID <= 0 {
		v.Add(FieldSensUnit, "error.required")
	}
	switch {
	case in.Title == "":
		v.Add(FieldSensTitle, "error.required")
	case utf8.RuneCountInString(in.Title) > SensMaxTitle:
		v.Add(FieldSensTitle, "error.too_long")
	}
	if utf8.RuneCountInString(in.Description) > SensMaxText {
		v.Add(FieldSensDescription, "error.too_long")
	}
	var factors []string
	for _, f := range in.Factors {
		f = strings.TrimSpace(f)
		if f == "" || slices.Contains(factors, f) {
			continue
		}
		if !slices.Contains(SensitiveFactors, f) {
			v.Add(FieldSensFactors, "error.choice")
			continue
		}
		factors = append(factors, f)
	}
	// Keep the catalogue's order, so the list reads the same everywhere.
	slices.SortFunc(factors, func(a, b string) int { return slices.Index(SensitiveFactors, a) - slices.Index(SensitiveFactors, b) })
	in.Factors = factors
	if len(factors) == 0 {
		if _, bad := v[FieldSensFactors]; !bad {
			v.Add(FieldSensFactors, "control.sens.error.factors")
		}
	}
	if in.MaxYears == 0 {
		in.MaxYears = maxDefault
	}
	if in.MaxYears < 1 || in.MaxYears > SensMaxYears {
		v.Add(FieldSensMaxYears, "control.sens.error.max_years")
	}
	if in.State == "" {
		in.State = FunctionActive
	}
	if !slices.Contains(FunctionStates, in.State) {
		v.Add(FieldSensState, "error.choice")
	}
	return v.Err()
}

// sensColumns are a function's columns and counts on today (a number
// YYYYMMDD, written into the SQL: an int, never text from a person).
func sensColumns(today time.Time) string {
	return fmt.Sprintf(`f.id, f.tenant_id, f.unit_id, f.title, f.factors, f.description, f.rotation, f.max_years, f.state, f.created_at, f.updated_at, f.version,
	COALESCE(u.name, ''),
	(SELECT COUNT(*) FROM control_sensitive_holders h WHERE h.tenant_id = f.tenant_id AND h.function_id = f.id AND h.until_on = ''),
	(SELECT COUNT(*) FROM control_sensitive_holders h WHERE h.tenant_id = f.tenant_id AND h.function_id = f.id AND h.until_on = '' AND f.rotation = TRUE
		AND %s < %d),
	(SELECT COUNT(*) FROM control_sensitive_measures m WHERE m.tenant_id = f.tenant_id AND m.function_id = f.id AND m.state <> 'cancelled')`, sensRotationExpr, sensDayNumber(today))
}

const sensFrom = ` FROM control_sensitive_functions f LEFT JOIN units u ON u.id = f.unit_id`

func sensScan(row interface{ Scan(...any) error }) (SensitiveFunction, error) {
	var f SensitiveFunction
	var factors string
	err := row.Scan(&f.ID, &f.Tenant, &f.UnitID, &f.Title, &factors, &f.Description, &f.Rotation, &f.MaxYears, &f.State, &f.CreatedAt, &f.UpdatedAt, &f.Version,
		&f.UnitName, &f.Holders, &f.Overdue, &f.Measures)
	f.Factors = sensFactors(factors)
	return f, err
}

func sensGet(ctx context.Context, q sensQuerier, tenant, id int64, today time.Time) (SensitiveFunction, error) {
	f, err := sensScan(q.QueryRowContext(ctx, `SELECT `+sensColumns(today)+sensFrom+` WHERE f.tenant_id = $1 AND f.id = $2`, tenant, id))
	if errors.Is(err, sql.ErrNoRows) {
		return SensitiveFunction{}, apperr.NotFound(EntitySensitive)
	}
	if err != nil {
		return SensitiveFunction{}, fmt.Errorf("cannot read sensitive function: %w", err)
	}
	return f, nil
}

var sensSorts = map[string]string{
	"title":   "f.title",
	"unit":    "u.sort_name",
	"holders": "(SELECT COUNT(*) FROM control_sensitive_holders h WHERE h.tenant_id = f.tenant_id AND h.function_id = f.id AND h.until_on = '')",
	"state":   "f.state",
	"updated": "f.updated_at",
}

// SensitiveFunctions lists the inventory.
func (s *Service) SensitiveFunctions(ctx context.Context, a auth.Actor, f SensitiveFilter) (SensitivePage, error) {
	if err := a.Require(auth.PermControlView); err != nil {
		return SensitivePage{}, err
	}
	today := work.Day(s.Clock.Now())
	where := ` WHERE f.tenant_id = $1`
	args := []any{a.Tenant}
	add := func(cond string, v any) {
		args = append(args, v)
		where += " AND " + strings.ReplaceAll(cond, "?", fmt.Sprintf("$%d", len(args)))
	}
	if q := textutil.Fold(strings.TrimSpace(f.Query)); q != "" {
		add(`f.search_text LIKE ? ESCAPE '\'`, db.LikePattern(q))
	}
	if f.UnitID != 0 {
		add(`f.unit_id = ?`, f.UnitID)
	}
	if slices.Contains(SensitiveFactors, f.Factor) {
		add(`(',' || f.factors || ',') LIKE ?`, "%,"+f.Factor+",%")
	}
	if slices.Contains(FunctionStates, f.State) {
		add(`f.state = ?`, f.State)
	}
	if f.Overdue {
		where += fmt.Sprintf(` AND f.rotation = TRUE AND EXISTS (SELECT 1 FROM control_sensitive_holders h WHERE h.tenant_id = f.tenant_id AND h.function_id = f.id
			AND h.until_on = '' AND %s < %d)`, sensRotationExpr, sensDayNumber(today))
	}
	var out SensitivePage
	var err error
	out.Items, out.Total, err = db.Page(ctx, s.DB.R, "sensitive functions", db.PageQuery{Select: sensColumns(today), From: sensFrom + where, Args: args,
		Sorts: sensSorts, Sort: f.Sort, Desc: f.Desc, Default: "unit", Tail: "f.title, f.id", Page: f.Page, PerPage: f.PerPage},
		func(r *sql.Rows) (SensitiveFunction, error) { return sensScan(r) })
	return out, err
}

// SensitiveFunction reads a function with its holders and measures.
func (s *Service) SensitiveFunction(ctx context.Context, a auth.Actor, id int64) (SensitiveDetail, error) {
	if err := a.Require(auth.PermControlView); err != nil {
		return SensitiveDetail{}, err
	}
	today := work.Day(s.Clock.Now())
	f, err := sensGet(ctx, s.DB.R, a.Tenant, id, today)
	if err != nil {
		return SensitiveDetail{}, err
	}
	_, notice, err := sensRotation(ctx, s.DB.R, a.Tenant)
	if err != nil {
		return SensitiveDetail{}, err
	}
	out := SensitiveDetail{Function: f}
	if out.Holders, err = sensHolders(ctx, s.DB.R, a.Tenant, id, `h.function_id = $2`, today, notice); err != nil {
		return out, err
	}
	if out.Measures, err = sensMeasures(ctx, s.DB.R, a.Tenant, `m.function_id = $2`, id, today); err != nil {
		return out, err
	}
	return out, nil
}

// CreateSensitive adds a function to the inventory.
func (s *Service) CreateSensitive(ctx context.Context, a auth.Actor, in SensitiveInput) (SensitiveFunction, error) {
	if err := a.Require(auth.PermControlManage); err != nil {
		return SensitiveFunction{}, err
	}
	now := s.Clock.Now()
	var out SensitiveFunction
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		years, _, err := sensRotation(ctx, tx, a.Tenant)
		if err != nil {
			return err
		}
		if err := in.validate(years); err != nil {
			return err
		}
		unitName, err := sensUnitName(ctx, tx, a.Tenant, in.UnitID)
		if err != nil {
			return err
		}
		var id int64
		if err := tx.QueryRowContext(ctx, `INSERT INTO control_sensitive_functions (tenant_id, unit_id, title, factors, description, rotation, max_years, state,
				search_text, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10) RETURNING id`,
			a.Tenant, in.UnitID, in.Title, strings.Join(in.Factors, ","), in.Description, in.Rotation, in.MaxYears, in.State,
			sensSearch(in.Title, in.Description, unitName, in.Factors), now).Scan(&id); err != nil {
			return fmt.Errorf("cannot record sensitive function: %w", err)
		}
		if out, err = sensGet(ctx, tx, a.Tenant, id, work.Day(now)); err != nil {
			return err
		}
		return audit.Record(ctx, tx, now, audit.Event{Tenant: a.Tenant, Actor: a.Audit(), Action: audit.ActionCreate, Entity: EntitySensitive, EntityID: id,
			Summary: sensClip(out.Title, 120) + " (" + sensClip(unitName, 80) + ")", After: out})
	})
	return out, err
}

// UpdateSensitive changes a function. Retiring it cancels its planned
// measures and their tasks.
func (s *Service) UpdateSensitive(ctx context.Context, a auth.Actor, id int64, in SensitiveInput) (SensitiveFunction, error) {
	if err := a.Require(auth.PermControlManage); err != nil {
		return SensitiveFunction{}, err
	}
	now := s.Clock.Now()
	today := work.Day(now)
	var out SensitiveFunction
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		before, err := sensGet(ctx, tx, a.Tenant, id, today)
		if err != nil {
			return err
		}
		years, _, err := sensRotation(ctx, tx, a.Tenant)
		if err != nil {
			return err
		}
		if err := in.validate(years); err != nil {
			return err
		}
		if before.Version != in.Version {
			return apperr.Stale()
		}
		unitName, err := sensUnitName(ctx, tx, a.Tenant, in.UnitID)
		if err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `UPDATE control_sensitive_functions SET unit_id = $1, title = $2, factors = $3, description = $4, rotation = $5,
				max_years = $6, state = $7, search_text = $8, updated_at = $9, version = version + 1
			WHERE tenant_id = $10 AND id = $11 AND version = $12`,
			in.UnitID, in.Title, strings.Join(in.Factors, ","), in.Description, in.Rotation, in.MaxYears, in.State,
			sensSearch(in.Title, in.Description, unitName, in.Factors), now, a.Tenant, id, in.Version)
		if err != nil {
			return fmt.Errorf("cannot update sensitive function: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return apperr.Stale()
		}
		if in.State == FunctionRetired && before.State != FunctionRetired {
			if err := s.sensCancelPlanned(ctx, tx, a, id, 0, now); err != nil {
				return err
			}
		}
		if out, err = sensGet(ctx, tx, a.Tenant, id, today); err != nil {
			return err
		}
		return audit.Record(ctx, tx, now, audit.Event{Tenant: a.Tenant, Actor: a.Audit(), Action: audit.ActionUpdate, Entity: EntitySensitive, EntityID: id,
			Summary: sensClip(out.Title, 120) + " (" + sensClip(unitName, 80) + ")", Before: before, After: out})
	})
	return out, err
}

func sensUnitName(ctx context.Context, q sensQuerier, tenant, unit int64) (string, error) {
	var name string
	err := q.QueryRowContext(ctx, `SELECT name FROM units WHERE tenant_id = $1 AND id = $2`, tenant, unit).Scan(&name)
	if errors.Is(err, sql.ErrNoRows) {
		return "", apperr.Validation{FieldSensUnit: "error.choice"}
	}
	if err != nil {
		return "", fmt.Errorf("cannot read unit: %w", err)
	}
	return name, nil
}

// sensCancelPlanned cancels the planned measures of a function (of one
// holder when holder is not 0) and closes their tasks, each audited.
func (s *Service) sensCancelPlanned(ctx context.Context, tx *sql.Tx, a auth.Actor, fnID, holder int64, now time.Time) error {
	return s.sensSettle(ctx, tx, a, fnID, holder, MeasureCancelled, "", now)
}

// sensSettle moves the planned measures of a function (of one holder when
// holder is not 0; then only the rotation measures) to state, closing
// their tasks, each change audited.
func (s *Service) sensSettle(ctx context.Context, tx *sql.Tx, a auth.Actor, fnID, holder int64, state, doneOn string, now time.Time) error {
	cond, args := `m.function_id = $2 AND m.state = 'planned'`, []any{fnID}
	if holder != 0 {
		cond, args = `m.function_id = $2 AND m.state = 'planned' AND m.holder_id = $3 AND m.kind = 'rotation'`, []any{fnID, holder}
	}
	ms, err := sensMeasuresArgs(ctx, tx, a.Tenant, cond, args, work.Day(now))
	if err != nil {
		return err
	}
	for _, m := range ms {
		if _, err := tx.ExecContext(ctx, `UPDATE control_sensitive_measures SET state = $1, done_on = $2, updated_at = $3, version = version + 1
			WHERE tenant_id = $4 AND id = $5`, state, doneOn, now, a.Tenant, m.ID); err != nil {
			return fmt.Errorf("cannot update sensitive function measure: %w", err)
		}
		closed := work.StateCancelled
		if state == MeasureDone {
			closed = work.StateDone
		}
		if _, err := s.Work.Close(ctx, tx, a, work.Selector{Ref: sensMeasureRef(m.ID)}, closed); err != nil {
			return err
		}
		after := m
		after.State, after.DoneOn, after.Version = state, doneOn, m.Version+1
		if err := audit.Record(ctx, tx, now, audit.Event{Tenant: a.Tenant, Actor: a.Audit(), Action: audit.ActionUpdate, Entity: EntitySMeasure, EntityID: m.ID,
			Summary: sensClip(m.FunctionTitle, 120) + ": " + m.Kind, Before: m, After: after}); err != nil {
			return err
		}
	}
	return nil
}
