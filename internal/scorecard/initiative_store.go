package scorecard

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
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

// InitiativeOpen reports whether an initiative in state is still to be
// carried out.
func InitiativeOpen(state string) bool {
	return state == InitiativePlanned || state == InitiativeOngoing
}

const stInitiativeColumns = `i.id, i.tenant_id, i.code, i.title, i.description, COALESCE(i.owner_id, 0), COALESCE(pe.full_name, ''), COALESCE(i.unit_id, 0),
	COALESCE(u.name, ''), i.budget, i.spent, i.start_on, i.end_on, i.progress, i.state, i.funding, i.created_at, i.updated_at, i.version`

const stInitiativeFrom = ` FROM scorecard_initiatives i
	LEFT JOIN people pe ON pe.id = i.owner_id
	LEFT JOIN units u ON u.id = i.unit_id`

func stScanInitiative(row interface{ Scan(...any) error }) (Initiative, error) {
	var x Initiative
	err := row.Scan(&x.ID, &x.Tenant, &x.Code, &x.Title, &x.Description, &x.OwnerID, &x.OwnerName, &x.UnitID,
		&x.UnitName, &x.Budget, &x.Spent, &x.StartOn, &x.EndOn, &x.Progress, &x.State, &x.Funding, &x.Created, &x.Updated, &x.Version)
	return x, err
}

// stInitiativeObjectives fills in the objectives of the given initiatives
// in one query.
func stInitiativeObjectives(ctx context.Context, q stQuerier, tenant int64, items []Initiative) error {
	if len(items) == 0 {
		return nil
	}
	idx := map[int64]int{}
	ph := make([]string, len(items))
	args := []any{tenant}
	for i, x := range items {
		idx[x.ID] = i
		args = append(args, x.ID)
		ph[i] = fmt.Sprintf("$%d", i+2)
		items[i].ObjectiveIDs, items[i].Objectives = nil, nil
	}
	rows, err := q.QueryContext(ctx, `SELECT io.initiative_id, `+stObjectiveColumns+` FROM scorecard_initiative_objectives io
		JOIN scorecard_objectives o ON o.id = io.objective_id AND o.tenant_id = io.tenant_id
		JOIN scorecard_perspectives sp ON sp.id = o.perspective_id
		LEFT JOIN units u ON u.id = o.unit_id
		LEFT JOIN scorecard_objectives par ON par.id = o.parent_id
		LEFT JOIN people pe ON pe.id = o.owner_id
		WHERE io.tenant_id = $1 AND io.initiative_id IN (`+strings.Join(ph, ", ")+`) ORDER BY o.code`, args...)
	if err != nil {
		return fmt.Errorf("cannot read initiative objectives: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var iid int64
		var o Objective
		err := rows.Scan(append([]any{&iid}, &o.ID, &o.Tenant, &o.PerspectiveID, &o.UnitID, &o.UnitName, &o.ParentID, &o.ParentCode,
			&o.Code, &o.Title, &o.Description, &o.OwnerID, &o.OwnerName, &o.Weight, &o.Quality, &o.Position, &o.Archived,
			&o.Created, &o.Updated, &o.Version)...)
		if err != nil {
			return fmt.Errorf("cannot read initiative objectives: %w", err)
		}
		x := &items[idx[iid]]
		x.ObjectiveIDs = append(x.ObjectiveIDs, o.ID)
		x.Objectives = append(x.Objectives, o)
	}
	return rows.Err()
}

func stGetInitiative(ctx context.Context, q stQuerier, tenant, id int64) (Initiative, error) {
	x, err := stScanInitiative(q.QueryRowContext(ctx, `SELECT `+stInitiativeColumns+stInitiativeFrom+` WHERE i.tenant_id = $1 AND i.id = $2`, tenant, id))
	if errors.Is(err, sql.ErrNoRows) {
		return Initiative{}, apperr.NotFound(EntityInitiative)
	}
	if err != nil {
		return Initiative{}, fmt.Errorf("cannot read initiative: %w", err)
	}
	items := []Initiative{x}
	if err := stInitiativeObjectives(ctx, q, tenant, items); err != nil {
		return Initiative{}, err
	}
	return items[0], nil
}

var stInitiativeSorts = map[string]string{
	"code":     "i.code",
	"title":    "i.search_text",
	"end":      "i.end_on",
	"progress": "i.progress",
	"budget":   "i.budget",
	"owner":    "COALESCE(pe.full_name, '')",
}

// InitiativeSorts lists the initiative list's sort keys.
func InitiativeSorts() []string {
	return []string{"code", "title", "end", "progress", "budget", "owner"}
}

func (s *Service) stToday() string { return work.Day(s.Clock.Now()).Format(time.DateOnly) }

// Initiatives lists initiatives.
func (s *Service) Initiatives(ctx context.Context, a auth.Actor, f InitiativeFilter) (InitiativePage, error) {
	if err := a.Require(auth.PermScorecardView); err != nil {
		return InitiativePage{}, err
	}
	where := ` WHERE i.tenant_id = $1`
	args := []any{a.Tenant}
	add := func(cond string, v ...any) {
		for _, x := range v {
			args = append(args, x)
			cond = strings.Replace(cond, "?", fmt.Sprintf("$%d", len(args)), 1)
		}
		where += " AND " + cond
	}
	if q := textutil.Fold(strings.TrimSpace(f.Query)); q != "" {
		add(`i.search_text LIKE ? ESCAPE '\'`, db.LikePattern(q))
	}
	if slices.Contains(InitiativeStates, f.State) {
		add(`i.state = ?`, f.State)
	}
	if f.ObjectiveID != 0 {
		add(`EXISTS (SELECT 1 FROM scorecard_initiative_objectives io WHERE io.tenant_id = $1 AND io.initiative_id = i.id AND io.objective_id = ?)`, f.ObjectiveID)
	}
	if f.OwnerID != 0 {
		add(`i.owner_id = ?`, f.OwnerID)
	}
	if f.Overdue {
		add(`i.state IN (?, ?) AND i.end_on <> '' AND i.end_on < ?`, InitiativePlanned, InitiativeOngoing, s.stToday())
	}
	var page InitiativePage
	if err := s.DB.R.QueryRowContext(ctx, `SELECT COUNT(*) FROM scorecard_initiatives i`+where, args...).Scan(&page.Total); err != nil {
		return InitiativePage{}, fmt.Errorf("cannot count initiatives: %w", err)
	}
	per := f.PerPage
	if per <= 0 {
		per = 50
	}
	sort := f.Sort
	if f.Desc {
		sort = "-" + sort
	}
	order, args := db.OrderPage(stInitiativeSorts, sort, "code", "i.id", per, (max(f.Page, 1)-1)*per, args)
	rows, err := s.DB.R.QueryContext(ctx, `SELECT `+stInitiativeColumns+stInitiativeFrom+where+order, args...)
	if err != nil {
		return InitiativePage{}, fmt.Errorf("cannot list initiatives: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		x, err := stScanInitiative(rows)
		if err != nil {
			return InitiativePage{}, fmt.Errorf("cannot read initiative: %w", err)
		}
		page.Items = append(page.Items, x)
	}
	if err := rows.Err(); err != nil {
		return InitiativePage{}, err
	}
	rows.Close()
	return page, stInitiativeObjectives(ctx, s.DB.R, a.Tenant, page.Items)
}

// Initiative reads one initiative.
func (s *Service) Initiative(ctx context.Context, a auth.Actor, id int64) (Initiative, error) {
	if err := a.Require(auth.PermScorecardView); err != nil {
		return Initiative{}, err
	}
	return stGetInitiative(ctx, s.DB.R, a.Tenant, id)
}

// Validate checks and normalises an initiative's input on its own.
func (in *InitiativeInput) Validate() apperr.Validation {
	v := apperr.Validation{}
	in.Code = strings.ToUpper(textutil.Clean(in.Code))
	in.Title = textutil.Clean(in.Title)
	in.Description = strings.TrimSpace(textutil.CleanText(in.Description))
	in.Funding = textutil.Clean(in.Funding)
	in.StartOn, in.EndOn = strings.TrimSpace(in.StartOn), strings.TrimSpace(in.EndOn)
	switch {
	case in.Title == "":
		v.Add("sc_ini_title", "error.required")
	case utf8.RuneCountInString(in.Title) > MaxTitle:
		v.Add("sc_ini_title", "error.too_long")
	}
	if in.Code != "" && (utf8.RuneCountInString(in.Code) > MaxCode || !stCodeOK(in.Code)) {
		v.Add("sc_ini_code", "scorecard.error.code_format")
	}
	if utf8.RuneCountInString(in.Description) > MaxText {
		v.Add("sc_ini_description", "error.too_long")
	}
	if utf8.RuneCountInString(in.Funding) > MaxTitle {
		v.Add("sc_ini_funding", "error.too_long")
	}
	var start, end time.Time
	var err error
	if in.StartOn != "" {
		if start, err = time.Parse(time.DateOnly, in.StartOn); err != nil {
			v.Add("sc_ini_start", "error.date")
		}
	}
	if in.EndOn != "" {
		if end, err = time.Parse(time.DateOnly, in.EndOn); err != nil {
			v.Add("sc_ini_end", "error.date")
		}
	}
	if !start.IsZero() && !end.IsZero() && end.Before(start) {
		v.Add("sc_ini_end", "scorecard.error.end_before_start")
	}
	if in.Progress < 0 || in.Progress > 100 {
		v.Add("sc_ini_progress", "scorecard.error.progress")
	}
	for field, f := range map[string]float64{"sc_ini_budget": in.Budget, "sc_ini_spent": in.Spent} {
		if math.IsNaN(f) || math.IsInf(f, 0) || f < 0 || f > 1e13 {
			v.Add(field, "scorecard.error.amount")
		}
	}
	if in.State == "" {
		in.State = InitiativePlanned
	}
	if !slices.Contains(InitiativeStates, in.State) {
		v.Add("sc_ini_state", "error.choice")
	}
	slices.Sort(in.ObjectiveIDs)
	in.ObjectiveIDs = slices.Compact(in.ObjectiveIDs)
	in.ObjectiveIDs = slices.DeleteFunc(in.ObjectiveIDs, func(id int64) bool { return id == 0 })
	return v
}

func (s *Service) stCheckInitiative(ctx context.Context, q stQuerier, tenant, id int64, in *InitiativeInput, v apperr.Validation) error {
	if in.OwnerID != 0 {
		if ok, err := stPersonOK(ctx, q, tenant, in.OwnerID); err != nil {
			return err
		} else if !ok {
			v.Add("sc_ini_owner", "error.choice")
		}
	}
	if in.UnitID != 0 {
		if ok, err := stUnitOK(ctx, q, tenant, in.UnitID); err != nil {
			return err
		} else if !ok {
			v.Add("sc_ini_unit", "error.choice")
		}
	}
	for _, oid := range in.ObjectiveIDs {
		n, err := stCount(ctx, q, `SELECT COUNT(*) FROM scorecard_objectives WHERE tenant_id = $1 AND id = $2`, tenant, oid)
		if err != nil {
			return err
		}
		if n == 0 {
			v.Add("sc_ini_objectives", "error.choice")
			break
		}
	}
	if in.Code != "" {
		n, err := stCount(ctx, q, `SELECT COUNT(*) FROM scorecard_initiatives WHERE tenant_id = $1 AND code = $2 AND id <> $3`, tenant, in.Code, id)
		if err != nil {
			return err
		}
		if n > 0 {
			v.Add("sc_ini_code", "scorecard.error.code_taken")
		}
	}
	return nil
}

func stSetInitiativeObjectives(ctx context.Context, tx *sql.Tx, tenant, id int64, ids []int64) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM scorecard_initiative_objectives WHERE tenant_id = $1 AND initiative_id = $2`, tenant, id); err != nil {
		return fmt.Errorf("cannot link objectives: %w", err)
	}
	for _, oid := range ids {
		if _, err := tx.ExecContext(ctx, `INSERT INTO scorecard_initiative_objectives (tenant_id, initiative_id, objective_id) VALUES ($1, $2, $3)`, tenant, id, oid); err != nil {
			return fmt.Errorf("cannot link objectives: %w", err)
		}
	}
	return nil
}

func stInitiativeRef(id int64) work.Ref {
	return work.Ref{Module: Module, Entity: EntityInitiative, ID: id}
}

// stInitiativeTask is the owner's task of an open initiative's end date.
func stInitiativeTask(x Initiative) (work.NewTask, bool) {
	if !InitiativeOpen(x.State) || x.OwnerID == 0 || x.EndOn == "" {
		return work.NewTask{}, false
	}
	due, err := time.Parse(time.DateOnly, x.EndOn)
	if err != nil {
		return work.NewTask{}, false
	}
	return work.NewTask{Ref: stInitiativeRef(x.ID), Kind: work.KindAct, Title: x.Code + ": " + stClip(x.Title, 250),
		Details: "Inițiativă din tabloul de bord: finalizați-o până la termen și actualizați progresul.",
		Link:    fmt.Sprintf("/scorecard/initiatives/%d", x.ID), Assignee: work.Assignee{PersonID: x.OwnerID}, Due: due}, true
}

// CreateInitiative adds an initiative; its end date is a task for its owner.
func (s *Service) CreateInitiative(ctx context.Context, a auth.Actor, in InitiativeInput) (Initiative, error) {
	if err := a.Require(auth.PermScorecardManage); err != nil {
		return Initiative{}, err
	}
	now := s.Clock.Now()
	var out Initiative
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		v := in.Validate()
		if err := s.stCheckInitiative(ctx, tx, a.Tenant, 0, &in, v); err != nil {
			return err
		}
		if err := v.Err(); err != nil {
			return err
		}
		if in.Code == "" {
			var err error
			prefix := fmt.Sprintf("IN-%d-", work.Day(now).Year())
			if in.Code, err = stNextCode(ctx, tx, `SELECT code FROM scorecard_initiatives WHERE tenant_id = $1 AND code LIKE $2 ESCAPE '\'`, a.Tenant, prefix, 2); err != nil {
				return err
			}
		}
		var id int64
		err := tx.QueryRowContext(ctx, `INSERT INTO scorecard_initiatives (tenant_id, code, title, description, owner_id, unit_id, budget, spent, start_on, end_on,
				progress, state, funding, search_text, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $15) RETURNING id`,
			a.Tenant, in.Code, in.Title, in.Description, stNullID(in.OwnerID), stNullID(in.UnitID), in.Budget, in.Spent, in.StartOn, in.EndOn,
			in.Progress, in.State, in.Funding, textutil.Fold(in.Code+" "+in.Title), now).Scan(&id)
		if db.IsUniqueViolation(err) {
			return apperr.Validation{"sc_ini_code": "scorecard.error.code_taken"}
		}
		if err != nil {
			return fmt.Errorf("cannot create initiative: %w", err)
		}
		if err := stSetInitiativeObjectives(ctx, tx, a.Tenant, id, in.ObjectiveIDs); err != nil {
			return err
		}
		if out, err = stGetInitiative(ctx, tx, a.Tenant, id); err != nil {
			return err
		}
		if t, ok := stInitiativeTask(out); ok {
			if _, err := s.Work.Assign(ctx, tx, a, t); err != nil {
				return err
			}
		}
		return audit.Record(ctx, tx, now, audit.Event{Tenant: a.Tenant, Actor: a.Audit(), Action: audit.ActionCreate, Entity: EntityInitiative,
			EntityID: id, Summary: out.Code + " " + stClip(out.Title, 120), After: out})
	})
	return out, err
}

// UpdateInitiative changes an initiative (progress, spending, state); an
// empty code keeps the old one. Its task follows: moved when the end date
// or the owner changes, closed when it is done or cancelled.
func (s *Service) UpdateInitiative(ctx context.Context, a auth.Actor, id int64, in InitiativeInput) (Initiative, error) {
	if err := a.Require(auth.PermScorecardManage); err != nil {
		return Initiative{}, err
	}
	now := s.Clock.Now()
	var out Initiative
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		before, err := stGetInitiative(ctx, tx, a.Tenant, id)
		if err != nil {
			return err
		}
		v := in.Validate()
		if in.Code == "" {
			in.Code = before.Code
		}
		if err := s.stCheckInitiative(ctx, tx, a.Tenant, id, &in, v); err != nil {
			return err
		}
		if err := v.Err(); err != nil {
			return err
		}
		if before.Version != in.Version {
			return apperr.Stale()
		}
		res, err := tx.ExecContext(ctx, `UPDATE scorecard_initiatives SET code = $1, title = $2, description = $3, owner_id = $4, unit_id = $5, budget = $6, spent = $7,
				start_on = $8, end_on = $9, progress = $10, state = $11, funding = $12, search_text = $13, updated_at = $14, version = version + 1
			WHERE tenant_id = $15 AND id = $16 AND version = $17`,
			in.Code, in.Title, in.Description, stNullID(in.OwnerID), stNullID(in.UnitID), in.Budget, in.Spent, in.StartOn, in.EndOn, in.Progress, in.State,
			in.Funding, textutil.Fold(in.Code+" "+in.Title), now, a.Tenant, id, in.Version)
		if db.IsUniqueViolation(err) {
			return apperr.Validation{"sc_ini_code": "scorecard.error.code_taken"}
		}
		if err != nil {
			return fmt.Errorf("cannot update initiative: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return apperr.Stale()
		}
		if err := stSetInitiativeObjectives(ctx, tx, a.Tenant, id, in.ObjectiveIDs); err != nil {
			return err
		}
		if out, err = stGetInitiative(ctx, tx, a.Tenant, id); err != nil {
			return err
		}
		if before.OwnerID != out.OwnerID || before.EndOn != out.EndOn || before.State != out.State || before.Title != out.Title || before.Code != out.Code {
			closed := work.StateCancelled
			if out.State == InitiativeDone {
				closed = work.StateDone
			}
			if _, err := s.Work.Close(ctx, tx, a, work.Selector{Ref: stInitiativeRef(id)}, closed); err != nil {
				return err
			}
			if t, ok := stInitiativeTask(out); ok {
				if _, err := s.Work.Assign(ctx, tx, a, t); err != nil {
					return err
				}
			}
		}
		return audit.Record(ctx, tx, now, audit.Event{Tenant: a.Tenant, Actor: a.Audit(), Action: audit.ActionUpdate, Entity: EntityInitiative,
			EntityID: id, Summary: out.Code + " " + stClip(out.Title, 120), Before: before, After: out})
	})
	return out, err
}
