package scorecard

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"cadran/internal/apperr"
	"cadran/internal/audit"
	"cadran/internal/auth"
	"cadran/internal/db"
	"cadran/internal/textutil"
)

const stObjectiveColumns = `o.id, o.tenant_id, o.perspective_id, COALESCE(o.unit_id, 0), COALESCE(u.name, ''), COALESCE(o.parent_id, 0), COALESCE(par.code, ''),
	o.code, o.title, o.description, COALESCE(o.owner_id, 0), COALESCE(pe.full_name, ''), o.weight, o.quality, o.position, o.archived,
	o.created_at, o.updated_at, o.version`

const stObjectiveFrom = ` FROM scorecard_objectives o
	JOIN scorecard_perspectives sp ON sp.id = o.perspective_id
	LEFT JOIN units u ON u.id = o.unit_id
	LEFT JOIN scorecard_objectives par ON par.id = o.parent_id
	LEFT JOIN people pe ON pe.id = o.owner_id`

func stScanObjective(row interface{ Scan(...any) error }) (Objective, error) {
	var o Objective
	err := row.Scan(&o.ID, &o.Tenant, &o.PerspectiveID, &o.UnitID, &o.UnitName, &o.ParentID, &o.ParentCode,
		&o.Code, &o.Title, &o.Description, &o.OwnerID, &o.OwnerName, &o.Weight, &o.Quality, &o.Position, &o.Archived,
		&o.Created, &o.Updated, &o.Version)
	return o, err
}

func stScanObjectives(rows *sql.Rows) ([]Objective, error) {
	defer rows.Close()
	var out []Objective
	for rows.Next() {
		o, err := stScanObjective(rows)
		if err != nil {
			return nil, fmt.Errorf("cannot read objective: %w", err)
		}
		out = append(out, o)
	}
	return out, rows.Err()
}

func stGetObjective(ctx context.Context, q stQuerier, tenant, id int64) (Objective, error) {
	o, err := stScanObjective(q.QueryRowContext(ctx, `SELECT `+stObjectiveColumns+stObjectiveFrom+` WHERE o.tenant_id = $1 AND o.id = $2`, tenant, id))
	if errors.Is(err, sql.ErrNoRows) {
		return Objective{}, apperr.NotFound(EntityObjective)
	}
	if err != nil {
		return Objective{}, fmt.Errorf("cannot read objective: %w", err)
	}
	return o, nil
}

// stObjectives lists objectives by filter, in map order.
func stObjectives(ctx context.Context, q stQuerier, tenant int64, f ObjectiveFilter) ([]Objective, error) {
	where := ` WHERE o.tenant_id = $1`
	args := []any{tenant}
	switch {
	case f.AllUnits:
	case f.UnitID == 0:
		where += ` AND o.unit_id IS NULL`
	default:
		args = append(args, f.UnitID)
		where += ` AND o.unit_id = $2`
	}
	if f.QualityOnly {
		where += ` AND o.quality`
	}
	if !f.Archived {
		where += ` AND NOT o.archived`
	}
	rows, err := q.QueryContext(ctx, `SELECT `+stObjectiveColumns+stObjectiveFrom+where+` ORDER BY sp.position, sp.id, o.unit_id IS NOT NULL, o.position, o.code, o.id`, args...)
	if err != nil {
		return nil, fmt.Errorf("cannot list objectives: %w", err)
	}
	return stScanObjectives(rows)
}

// Objectives lists objectives in perspective and position order.
func (s *Service) Objectives(ctx context.Context, a auth.Actor, f ObjectiveFilter) ([]Objective, error) {
	if err := a.Require(auth.PermScorecardView); err != nil {
		return nil, err
	}
	return stObjectives(ctx, s.DB.R, a.Tenant, f)
}

// Objective reads one objective.
func (s *Service) Objective(ctx context.Context, a auth.Actor, id int64) (Objective, error) {
	if err := a.Require(auth.PermScorecardView); err != nil {
		return Objective{}, err
	}
	return stGetObjective(ctx, s.DB.R, a.Tenant, id)
}

// stCodeOK reports whether code is made of letters, digits, ".", "-" and
// "_", starting with a letter or a digit.
func stCodeOK(code string) bool {
	for i, r := range code {
		if !(unicode.IsLetter(r) || unicode.IsDigit(r) || i > 0 && strings.ContainsRune("._-", r)) {
			return false
		}
	}
	return code != ""
}

// Validate checks and normalises an objective's input on its own; the
// references are checked against the database by the store.
func (in *ObjectiveInput) Validate() apperr.Validation {
	v := apperr.Validation{}
	in.Title = textutil.Clean(in.Title)
	in.Description = strings.TrimSpace(textutil.CleanText(in.Description))
	in.Code = strings.ToUpper(textutil.Clean(in.Code))
	switch {
	case in.Title == "":
		v.Add("sc_obj_title", "error.required")
	case utf8.RuneCountInString(in.Title) > MaxTitle:
		v.Add("sc_obj_title", "error.too_long")
	}
	if utf8.RuneCountInString(in.Description) > MaxText {
		v.Add("sc_obj_description", "error.too_long")
	}
	if in.Code != "" && (utf8.RuneCountInString(in.Code) > MaxCode || !stCodeOK(in.Code)) {
		v.Add("sc_obj_code", "scorecard.error.code_format")
	}
	if in.PerspectiveID == 0 {
		v.Add("sc_obj_perspective", "error.required")
	}
	if stBadWeight(in.Weight) {
		v.Add("sc_obj_weight", "scorecard.error.weight")
	}
	if in.Position < 0 || in.Position > 10000 {
		v.Add("sc_obj_position", "error.range")
	}
	return v
}

// stUnitAncestors lists unit's ancestors (not unit itself), nearest first.
func stUnitAncestors(ctx context.Context, q stQuerier, tenant, unit int64) ([]int64, error) {
	rows, err := q.QueryContext(ctx, `WITH RECURSIVE up(id, parent_id, depth) AS (
			SELECT id, parent_id, 0 FROM units WHERE tenant_id = $1 AND id = $2
			UNION ALL
			SELECT u.id, u.parent_id, up.depth + 1 FROM units u JOIN up ON u.id = up.parent_id WHERE u.tenant_id = $1 AND up.depth < 50)
		SELECT id FROM up WHERE depth > 0 ORDER BY depth`, tenant, unit)
	if err != nil {
		return nil, fmt.Errorf("cannot read units above: %w", err)
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("cannot read units above: %w", err)
		}
		out = append(out, id)
	}
	return out, rows.Err()
}

// stCheckObjective checks in's references in tenant; id is the objective
// being changed (0 for a new one).
func stCheckObjective(ctx context.Context, q stQuerier, tenant, id int64, in *ObjectiveInput, v apperr.Validation) error {
	if in.PerspectiveID != 0 {
		p, err := stGetPerspective(ctx, q, tenant, in.PerspectiveID)
		if err != nil && apperr.KindOf(err) != apperr.KindNotFound {
			return err
		}
		if err != nil || p.Archived {
			v.Add("sc_obj_perspective", "error.choice")
		}
	}
	if in.UnitID != 0 {
		if ok, err := stUnitOK(ctx, q, tenant, in.UnitID); err != nil {
			return err
		} else if !ok {
			v.Add("sc_obj_unit", "error.choice")
		}
	}
	if in.OwnerID != 0 {
		if ok, err := stPersonOK(ctx, q, tenant, in.OwnerID); err != nil {
			return err
		} else if !ok {
			v.Add("sc_obj_owner", "error.choice")
		}
	}
	if in.ParentID != 0 {
		if err := stCheckParent(ctx, q, tenant, id, in, v); err != nil {
			return err
		}
	}
	if id != 0 && v["sc_obj_unit"] == "" {
		// The objectives cascaded to this one must still stand below it.
		children, err := stObjectiveChildren(ctx, q, tenant, id)
		if err != nil {
			return err
		}
		for _, c := range children {
			if c.UnitID == 0 || c.UnitID == in.UnitID {
				v.Add("sc_obj_unit", "scorecard.error.children_level")
				break
			}
			if in.UnitID == 0 {
				continue
			}
			up, err := stUnitAncestors(ctx, q, tenant, c.UnitID)
			if err != nil {
				return err
			}
			if !stHasID(up, in.UnitID) {
				v.Add("sc_obj_unit", "scorecard.error.children_level")
				break
			}
		}
	}
	if in.Code != "" {
		n, err := stCount(ctx, q, `SELECT COUNT(*) FROM scorecard_objectives WHERE tenant_id = $1 AND code = $2 AND id <> $3`, tenant, in.Code, id)
		if err != nil {
			return err
		}
		if n > 0 {
			v.Add("sc_obj_code", "scorecard.error.code_taken")
		}
	}
	return nil
}

func stHasID(ids []int64, id int64) bool {
	for _, x := range ids {
		if x == id {
			return true
		}
	}
	return false
}

// stCheckParent checks the objective in contributes to: of this tenant,
// not itself, no cycle, and standing higher: a unit's objective contributes
// to the institution's or to one of a unit above it; the institution's own
// objectives contribute to none.
func stCheckParent(ctx context.Context, q stQuerier, tenant, id int64, in *ObjectiveInput, v apperr.Validation) error {
	if in.ParentID == id {
		v.Add("sc_obj_parent", "scorecard.error.parent_self")
		return nil
	}
	parent, err := stGetObjective(ctx, q, tenant, in.ParentID)
	if apperr.KindOf(err) == apperr.KindNotFound {
		v.Add("sc_obj_parent", "error.choice")
		return nil
	}
	if err != nil {
		return err
	}
	if parent.Archived {
		v.Add("sc_obj_parent", "error.choice")
		return nil
	}
	// No cycle: walking up from the parent never meets this objective.
	seen := map[int64]bool{}
	for cur := parent; cur.ParentID != 0; {
		if cur.ParentID == id && id != 0 || seen[cur.ParentID] {
			v.Add("sc_obj_parent", "scorecard.error.parent_cycle")
			return nil
		}
		seen[cur.ParentID] = true
		if cur, err = stGetObjective(ctx, q, tenant, cur.ParentID); err != nil {
			return err
		}
	}
	if in.UnitID == 0 {
		v.Add("sc_obj_parent", "scorecard.error.parent_level")
		return nil
	}
	if parent.UnitID == 0 {
		return nil
	}
	up, err := stUnitAncestors(ctx, q, tenant, in.UnitID)
	if err != nil {
		return err
	}
	if !stHasID(up, parent.UnitID) {
		v.Add("sc_obj_parent", "scorecard.error.parent_level")
	}
	return nil
}

func stObjectiveChildren(ctx context.Context, q stQuerier, tenant, id int64) ([]Objective, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+stObjectiveColumns+stObjectiveFrom+` WHERE o.tenant_id = $1 AND o.parent_id = $2 AND NOT o.archived ORDER BY o.code`, tenant, id)
	if err != nil {
		return nil, fmt.Errorf("cannot read objectives cascaded: %w", err)
	}
	return stScanObjectives(rows)
}

// stPerspectiveInitial is the first letter of a perspective's Romanian
// name, the prefix of its objectives' codes: Cetățeni, Financiar,
// Procese, Învățare; O for the institution's own perspectives.
func stPerspectiveInitial(kind string) string {
	switch kind {
	case PerspectiveCitizens:
		return "C"
	case PerspectiveFinancial:
		return "F"
	case PerspectiveProcesses:
		return "P"
	case PerspectiveLearning:
		return "I"
	}
	return "O"
}

// stNextCode is the next free code prefix+N among codes read by query
// (which takes the tenant and a LIKE pattern); width pads N with zeros.
func stNextCode(ctx context.Context, q stQuerier, query string, tenant int64, prefix string, width int) (string, error) {
	rows, err := q.QueryContext(ctx, query, tenant, db.LikePrefix(prefix))
	if err != nil {
		return "", fmt.Errorf("cannot read codes: %w", err)
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			return "", fmt.Errorf("cannot read codes: %w", err)
		}
		if k, err := strconv.Atoi(strings.TrimPrefix(c, prefix)); err == nil && k > n {
			n = k
		}
	}
	if err := rows.Err(); err != nil {
		return "", err
	}
	return fmt.Sprintf("%s%0*d", prefix, width, n+1), nil
}

// CreateObjective adds an objective.
func (s *Service) CreateObjective(ctx context.Context, a auth.Actor, in ObjectiveInput) (Objective, error) {
	if err := a.Require(auth.PermScorecardManage); err != nil {
		return Objective{}, err
	}
	now := s.Clock.Now()
	var out Objective
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		v := in.Validate()
		if err := stCheckObjective(ctx, tx, a.Tenant, 0, &in, v); err != nil {
			return err
		}
		if err := v.Err(); err != nil {
			return err
		}
		p, err := stGetPerspective(ctx, tx, a.Tenant, in.PerspectiveID)
		if err != nil {
			return err
		}
		if in.Code == "" {
			if in.Code, err = stNextCode(ctx, tx, `SELECT code FROM scorecard_objectives WHERE tenant_id = $1 AND code LIKE $2 ESCAPE '\'`,
				a.Tenant, stPerspectiveInitial(p.Kind), 1); err != nil {
				return err
			}
		}
		if in.Position == 0 {
			if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(position), 0) + 1 FROM scorecard_objectives WHERE tenant_id = $1 AND perspective_id = $2`,
				a.Tenant, in.PerspectiveID).Scan(&in.Position); err != nil {
				return fmt.Errorf("cannot read positions: %w", err)
			}
		}
		var id int64
		err = tx.QueryRowContext(ctx, `INSERT INTO scorecard_objectives (tenant_id, perspective_id, unit_id, parent_id, code, title, description, owner_id,
				weight, quality, position, search_text, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13) RETURNING id`,
			a.Tenant, in.PerspectiveID, stNullID(in.UnitID), stNullID(in.ParentID), in.Code, in.Title, in.Description, stNullID(in.OwnerID),
			in.Weight, in.Quality, in.Position, textutil.Fold(in.Code+" "+in.Title), now).Scan(&id)
		if db.IsUniqueViolation(err) {
			return apperr.Validation{"sc_obj_code": "scorecard.error.code_taken"}
		}
		if err != nil {
			return fmt.Errorf("cannot create objective: %w", err)
		}
		if out, err = stGetObjective(ctx, tx, a.Tenant, id); err != nil {
			return err
		}
		return audit.Record(ctx, tx, now, audit.Event{Tenant: a.Tenant, Actor: a.Audit(), Action: audit.ActionCreate, Entity: EntityObjective,
			EntityID: id, Summary: out.Code + " " + stClip(out.Title, 120), After: out})
	})
	return out, err
}

// UpdateObjective changes an objective; an empty code keeps the old one.
func (s *Service) UpdateObjective(ctx context.Context, a auth.Actor, id int64, in ObjectiveInput) (Objective, error) {
	if err := a.Require(auth.PermScorecardManage); err != nil {
		return Objective{}, err
	}
	now := s.Clock.Now()
	var out Objective
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		before, err := stGetObjective(ctx, tx, a.Tenant, id)
		if err != nil {
			return err
		}
		v := in.Validate()
		if in.Code == "" {
			in.Code = before.Code
		}
		if err := stCheckObjective(ctx, tx, a.Tenant, id, &in, v); err != nil {
			return err
		}
		if err := v.Err(); err != nil {
			return err
		}
		if before.Version != in.Version {
			return apperr.Stale()
		}
		if in.Position == 0 {
			in.Position = before.Position
		}
		res, err := tx.ExecContext(ctx, `UPDATE scorecard_objectives SET perspective_id = $1, unit_id = $2, parent_id = $3, code = $4, title = $5, description = $6,
				owner_id = $7, weight = $8, quality = $9, position = $10, search_text = $11, updated_at = $12, version = version + 1
			WHERE tenant_id = $13 AND id = $14 AND version = $15`,
			in.PerspectiveID, stNullID(in.UnitID), stNullID(in.ParentID), in.Code, in.Title, in.Description, stNullID(in.OwnerID), in.Weight, in.Quality,
			in.Position, textutil.Fold(in.Code+" "+in.Title), now, a.Tenant, id, in.Version)
		if db.IsUniqueViolation(err) {
			return apperr.Validation{"sc_obj_code": "scorecard.error.code_taken"}
		}
		if err != nil {
			return fmt.Errorf("cannot update objective: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return apperr.Stale()
		}
		if out, err = stGetObjective(ctx, tx, a.Tenant, id); err != nil {
			return err
		}
		return audit.Record(ctx, tx, now, audit.Event{Tenant: a.Tenant, Actor: a.Audit(), Action: audit.ActionUpdate, Entity: EntityObjective,
			EntityID: id, Summary: out.Code + " " + stClip(out.Title, 120), Before: before, After: out})
	})
	return out, err
}

// ArchiveObjective takes an objective off the scorecard, keeping its history.
func (s *Service) ArchiveObjective(ctx context.Context, a auth.Actor, id int64, version int) error {
	if err := a.Require(auth.PermScorecardManage); err != nil {
		return err
	}
	now := s.Clock.Now()
	return s.DB.Tx(ctx, func(tx *sql.Tx) error {
		before, err := stGetObjective(ctx, tx, a.Tenant, id)
		if err != nil {
			return err
		}
		if before.Version != version {
			return apperr.Stale()
		}
		if before.Archived {
			return nil
		}
		res, err := tx.ExecContext(ctx, `UPDATE scorecard_objectives SET archived = $1, updated_at = $2, version = version + 1 WHERE tenant_id = $3 AND id = $4 AND version = $5`,
			true, now, a.Tenant, id, version)
		if err != nil {
			return fmt.Errorf("cannot archive objective: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return apperr.Stale()
		}
		after, err := stGetObjective(ctx, tx, a.Tenant, id)
		if err != nil {
			return err
		}
		return audit.Record(ctx, tx, now, audit.Event{Tenant: a.Tenant, Actor: a.Audit(), Action: audit.ActionUpdate, Entity: EntityObjective,
			EntityID: id, Summary: before.Code + " " + stClip(before.Title, 120), Before: before, After: after})
	})
}

// ---- Links of the strategy map ----

// Links lists the strategy map's arrows between the given scope's
// objectives (unit 0: the institution's).
func (s *Service) Links(ctx context.Context, a auth.Actor, unitID int64) ([]Link, error) {
	if err := a.Require(auth.PermScorecardView); err != nil {
		return nil, err
	}
	scope := `f.unit_id IS NULL AND t.unit_id IS NULL`
	args := []any{a.Tenant}
	if unitID != 0 {
		scope = `f.unit_id = $2 AND t.unit_id = $2`
		args = append(args, unitID)
	}
	rows, err := s.DB.R.QueryContext(ctx, `SELECT l.from_id, l.to_id, l.note FROM scorecard_links l
		JOIN scorecard_objectives f ON f.id = l.from_id AND f.tenant_id = l.tenant_id
		JOIN scorecard_objectives t ON t.id = l.to_id AND t.tenant_id = l.tenant_id
		WHERE l.tenant_id = $1 AND NOT f.archived AND NOT t.archived AND `+scope+` ORDER BY f.code, t.code`, args...)
	if err != nil {
		return nil, fmt.Errorf("cannot read links: %w", err)
	}
	defer rows.Close()
	var out []Link
	for rows.Next() {
		var l Link
		if err := rows.Scan(&l.FromID, &l.ToID, &l.Note); err != nil {
			return nil, fmt.Errorf("cannot read links: %w", err)
		}
		out = append(out, l)
	}
	return out, rows.Err()
}

// AddLink draws an arrow; a link to itself, across institutions or one that
// exists already is refused.
func (s *Service) AddLink(ctx context.Context, a auth.Actor, l Link) error {
	if err := a.Require(auth.PermScorecardManage); err != nil {
		return err
	}
	l.Note = textutil.Clean(l.Note)
	if utf8.RuneCountInString(l.Note) > MaxTitle {
		return apperr.Validation{"sc_link_note": "error.too_long"}
	}
	if l.FromID == l.ToID {
		return apperr.Conflict("scorecard.error.link_self")
	}
	now := s.Clock.Now()
	return s.DB.Tx(ctx, func(tx *sql.Tx) error {
		from, err := stGetObjective(ctx, tx, a.Tenant, l.FromID)
		if err != nil {
			return err
		}
		to, err := stGetObjective(ctx, tx, a.Tenant, l.ToID)
		if err != nil {
			return err
		}
		if n, err := stCount(ctx, tx, `SELECT COUNT(*) FROM scorecard_links WHERE tenant_id = $1 AND from_id = $2 AND to_id = $3`, a.Tenant, l.FromID, l.ToID); err != nil {
			return err
		} else if n > 0 {
			return apperr.Conflict("scorecard.error.link_exists")
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO scorecard_links (tenant_id, from_id, to_id, note, created_at) VALUES ($1, $2, $3, $4, $5)`,
			a.Tenant, l.FromID, l.ToID, l.Note, now)
		if db.IsUniqueViolation(err) {
			return apperr.Conflict("scorecard.error.link_exists")
		}
		if err != nil {
			return fmt.Errorf("cannot add link: %w", err)
		}
		return audit.Record(ctx, tx, now, audit.Event{Tenant: a.Tenant, Actor: a.Audit(), Action: audit.ActionCreate, Entity: EntityLink,
			EntityID: l.FromID, Summary: from.Code + " → " + to.Code, After: map[string]any{"from_id": l.FromID, "to_id": l.ToID, "note": l.Note}})
	})
}

// RemoveLink erases an arrow.
func (s *Service) RemoveLink(ctx context.Context, a auth.Actor, fromID, toID int64) error {
	if err := a.Require(auth.PermScorecardManage); err != nil {
		return err
	}
	now := s.Clock.Now()
	return s.DB.Tx(ctx, func(tx *sql.Tx) error {
		var note, fromCode, toCode string
		err := tx.QueryRowContext(ctx, `SELECT l.note, f.code, t.code FROM scorecard_links l
			JOIN scorecard_objectives f ON f.id = l.from_id JOIN scorecard_objectives t ON t.id = l.to_id
			WHERE l.tenant_id = $1 AND l.from_id = $2 AND l.to_id = $3`, a.Tenant, fromID, toID).Scan(&note, &fromCode, &toCode)
		if errors.Is(err, sql.ErrNoRows) {
			return apperr.NotFound(EntityLink)
		}
		if err != nil {
			return fmt.Errorf("cannot read link: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM scorecard_links WHERE tenant_id = $1 AND from_id = $2 AND to_id = $3`, a.Tenant, fromID, toID); err != nil {
			return fmt.Errorf("cannot remove link: %w", err)
		}
		return audit.Record(ctx, tx, now, audit.Event{Tenant: a.Tenant, Actor: a.Audit(), Action: audit.ActionDelete, Entity: EntityLink,
			EntityID: fromID, Summary: fromCode + " → " + toCode, Before: map[string]any{"from_id": fromID, "to_id": toID, "note": note}})
	})
}
