package training

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"cadran/internal/apperr"
	"cadran/internal/audit"
	"cadran/internal/auth"
	"cadran/internal/db"
	"cadran/internal/textutil"
)

// Competence is an entry of the competence catalogue.
type Competence struct {
	ID             int64     `json:"id"`
	Tenant         int64     `json:"tenant_id"`
	Code           string    `json:"code"`
	Name           string    `json:"name"`
	Description    string    `json:"description,omitempty"`
	Area           string    `json:"area"`
	ValidityMonths int       `json:"validity_months,omitempty"`
	Active         bool      `json:"active"`
	CreatedAt      time.Time `json:"-"`
	UpdatedAt      time.Time `json:"-"`
	Version        int       `json:"version"`

	// Filled in by reads: how many requirements name it, how many people
	// hold it now.
	Requirements, Holders int `json:"-"`
}

// CompetenceInput creates or changes a competence.
type CompetenceInput struct {
	Code, Name, Description, Area string
	ValidityMonths                int
	Active                        bool
	Version                       int
}

// Requirement says a job, a role or everyone requires a competence at a
// level.
type Requirement struct {
	ID           int64     `json:"id"`
	CompetenceID int64     `json:"competence_id"`
	Kind         string    `json:"kind"`
	Target       string    `json:"target,omitempty"`
	Level        int       `json:"level"`
	CreatedAt    time.Time `json:"-"`
	// People counts the active people it applies to (filled in by reads).
	People int `json:"-"`
}

// RequirementInput adds a requirement.
type RequirementInput struct {
	Kind   string
	Target string
	Level  int
}

// Held is a competence a person holds.
type Held struct {
	ID            int64     `json:"id"`
	PersonID      int64     `json:"person_id"`
	CompetenceID  int64     `json:"competence_id"`
	Level         int       `json:"level"`
	Source        string    `json:"source"`
	CertificateID int64     `json:"certificate_id,omitempty"`
	EnrolmentID   int64     `json:"enrolment_id,omitempty"`
	AcquiredOn    string    `json:"acquired_on"`
	ExpiresOn     string    `json:"expires_on,omitempty"`
	Notes         string    `json:"notes,omitempty"`
	CreatedAt     time.Time `json:"-"`
	Version       int       `json:"version"`

	// Filled in by reads.
	CompetenceCode, CompetenceName string `json:"-"`
}

// InForce reports whether the competence is held on day.
func (h Held) InForce(day time.Time) bool {
	d := day.Format(time.DateOnly)
	return h.AcquiredOn <= d && (h.ExpiresOn == "" || h.ExpiresOn >= d)
}

// HeldInput records a competence assessed by the head of unit or the
// quality office.
type HeldInput struct {
	CompetenceID int64
	Level        int
	AcquiredOn   string
	ExpiresOn    string // empty: from the competence's validity, or none
	Notes        string
}

// RoleRegisteredAuditor is the target of a role requirement that the
// people of the internal audit register (active entries) meet, whatever
// their user's roles.
const RoleRegisteredAuditor = "auditor"

// RequireRoles lists the targets a role requirement may name.
func RequireRoles() []string {
	out := []string{RoleRegisteredAuditor}
	for _, r := range auth.Roles {
		out = append(out, string(r))
	}
	return out
}

// Limits of the catalogue's forms.
const (
	MaxCompetenceCode = 20
	MaxCompetenceName = 200
	MaxCompetenceText = 4000
	MaxJobTitle       = 200
)

// Field names of the catalogue's forms, as their errors name them.
const (
	FieldCompCode        = "competence_code"
	FieldCompName        = "competence_name"
	FieldCompDescription = "competence_description"
	FieldCompArea        = "competence_area"
	FieldCompValidity    = "competence_validity_months"
	FieldReqKind         = "requirement_kind"
	FieldReqTarget       = "requirement_target"
	FieldReqLevel        = "requirement_level"
	FieldHeldCompetence  = "held_competence_id"
	FieldHeldLevel       = "held_level"
	FieldHeldAcquired    = "held_acquired_on"
	FieldHeldExpires     = "held_expires_on"
	FieldHeldNotes       = "held_notes"
)

// Cell states in the matrix.
const (
	CellOK       = "ok"       // required and held at the level, in force
	CellExpiring = "expiring" // held, but lapses within the renewal days
	CellGap      = "gap"      // required, not held, lapsed, or below the level
	CellExtra    = "extra"    // held, not required
	CellNone     = ""         // neither required nor held
)

// Cell is one person × competence square of the matrix.
type Cell struct {
	Required  int    // level required, 0 not required
	Held      int    // level held in force, 0 none
	ExpiresOn string // when the held competence lapses, "" never
	State     string // one of the Cell constants
}

// MatrixRow is one person's line.
type MatrixRow struct {
	PersonID int64
	Name     string
	JobTitle string
	UnitID   int64
	UnitName string
	Cells    []Cell // one per Matrix.Competences
	Gaps     int
}

// UnitGaps sums the gaps of one unit.
type UnitGaps struct {
	UnitID   int64
	UnitName string
	People   int
	Required int // required cells
	Gaps     int // of which gaps
}

// Coverage is the share of required cells without a gap, in percent.
func (u UnitGaps) Coverage() float64 {
	if u.Required == 0 {
		return 100
	}
	return 100 * float64(u.Required-u.Gaps) / float64(u.Required)
}

// Matrix is the competence matrix: competences as columns, people as rows,
// and the gaps summed per unit.
type Matrix struct {
	Competences []Competence
	Rows        []MatrixRow
	Units       []UnitGaps
	Total       int // rows before paging
	// RenewalDays is the window in which a held competence shows as
	// expiring.
	RenewalDays int
}

// MatrixFilter narrows the matrix.
type MatrixFilter struct {
	UnitID   int64 // with the units under it
	Area     string
	Query    string // a person's name or job
	GapsOnly bool   // only people with a gap
	PersonID int64  // only this person's row (their training record)
	Page     int
	PerPage  int
}

// compClip shortens s to n runes.
func compClip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// compAddMonths adds months to a day, keeping to the last day of a
// shorter month (31 January + 1 month is 28 or 29 February).
func compAddMonths(t time.Time, months int) time.Time {
	y, m, d := t.Date()
	first := time.Date(y, m+time.Month(months), 1, 0, 0, 0, 0, time.UTC)
	last := first.AddDate(0, 1, -1).Day()
	return time.Date(first.Year(), first.Month(), min(d, last), 0, 0, 0, 0, time.UTC)
}

// compSubtree is unit and every unit under it.
func compSubtree(ctx context.Context, q querier, tenant, unit int64) ([]int64, error) {
	rows, err := q.QueryContext(ctx, `WITH RECURSIVE sub(id) AS (SELECT id FROM units WHERE tenant_id = $1 AND id = $2
			UNION ALL SELECT u2.id FROM units u2 JOIN sub ON u2.parent_id = sub.id WHERE u2.tenant_id = $1) SELECT id FROM sub`, tenant, unit)
	if err != nil {
		return nil, fmt.Errorf("cannot read units: %w", err)
	}
	defer rows.Close()
	out := []int64{}
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("cannot read units: %w", err)
		}
		out = append(out, id)
	}
	if len(out) == 0 {
		// An unknown unit (or another institution's) matches nobody.
		out = append(out, 0)
	}
	return out, rows.Err()
}

// compSees reports whether the scope includes a person of a unit.
func compSees(sc sesScope, person, unit int64) bool {
	return sc.all || (person != 0 && person == sc.person) || (unit != 0 && slices.Contains(sc.units, unit))
}

// compPerson reads a person's unit and whether they are active.
func compPerson(ctx context.Context, q querier, tenant, person int64) (unit int64, name string, active bool, err error) {
	err = q.QueryRowContext(ctx, `SELECT COALESCE(unit_id, 0), full_name, active FROM people WHERE tenant_id = $1 AND id = $2`, tenant, person).Scan(&unit, &name, &active)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, "", false, apperr.NotFound("person")
	}
	if err != nil {
		return 0, "", false, fmt.Errorf("cannot read person: %w", err)
	}
	return unit, name, active, nil
}

// compMaySeePerson checks the actor may read a person's training.
func (s *Service) compMaySeePerson(ctx context.Context, q querier, a auth.Actor, person int64) error {
	if err := a.Require(auth.PermTrainingView); err != nil {
		return err
	}
	unit, _, _, err := compPerson(ctx, q, a.Tenant, person)
	if err != nil {
		return err
	}
	sc, err := sesScopeOf(ctx, q, a)
	if err != nil {
		return err
	}
	if !compSees(sc, person, unit) {
		return apperr.NotFound("person")
	}
	return nil
}

const compColumns = `k.id, k.tenant_id, k.code, k.name, k.description, k.area, k.validity_months, k.active, k.created_at, k.updated_at, k.version,
	(SELECT COUNT(*) FROM training_requirements r WHERE r.tenant_id = k.tenant_id AND r.competence_id = k.id),
	(SELECT COUNT(DISTINCT h.person_id) FROM training_person_competences h JOIN people hp ON hp.id = h.person_id
		WHERE h.tenant_id = k.tenant_id AND h.competence_id = k.id AND hp.active = TRUE AND h.acquired_on <= $2 AND (h.expires_on = '' OR h.expires_on >= $2))`

func compScan(row interface{ Scan(...any) error }) (Competence, error) {
	var k Competence
	err := row.Scan(&k.ID, &k.Tenant, &k.Code, &k.Name, &k.Description, &k.Area, &k.ValidityMonths, &k.Active, &k.CreatedAt, &k.UpdatedAt, &k.Version,
		&k.Requirements, &k.Holders)
	return k, err
}

func compGet(ctx context.Context, q querier, tenant, id int64, today time.Time) (Competence, error) {
	k, err := compScan(q.QueryRowContext(ctx, `SELECT `+compColumns+` FROM training_competences k WHERE k.tenant_id = $1 AND k.id = $3`,
		tenant, today.Format(time.DateOnly), id))
	if errors.Is(err, sql.ErrNoRows) {
		return Competence{}, apperr.NotFound(EntityCompetence)
	}
	if err != nil {
		return Competence{}, fmt.Errorf("cannot read competence: %w", err)
	}
	return k, nil
}

func compList(ctx context.Context, q querier, tenant int64, activeOnly bool, area string, today time.Time) ([]Competence, error) {
	out, err := compListBare(ctx, q, tenant, activeOnly, area)
	if err != nil || len(out) == 0 {
		return out, err
	}
	// The counts in two grouped reads rather than two subqueries per
	// competence.
	index := map[int64]int{}
	for i, k := range out {
		index[k.ID] = i
	}
	count := func(what, query string, args ...any) error {
		rows, err := q.QueryContext(ctx, query, args...)
		if err != nil {
			return fmt.Errorf("cannot count %s: %w", what, err)
		}
		defer rows.Close()
		for rows.Next() {
			var id int64
			var n int
			if err := rows.Scan(&id, &n); err != nil {
				return fmt.Errorf("cannot count %s: %w", what, err)
			}
			if i, ok := index[id]; ok {
				if what == "requirements" {
					out[i].Requirements = n
				} else {
					out[i].Holders = n
				}
			}
		}
		return rows.Err()
	}
	if err := count("requirements", `SELECT competence_id, COUNT(*) FROM training_requirements WHERE tenant_id = $1 GROUP BY competence_id`, tenant); err != nil {
		return nil, err
	}
	day := today.Format(time.DateOnly)
	if err := count("holders", `SELECT h.competence_id, COUNT(DISTINCT h.person_id) FROM training_person_competences h JOIN people hp ON hp.id = h.person_id
		WHERE h.tenant_id = $1 AND hp.active = TRUE AND h.acquired_on <= $2 AND (h.expires_on = '' OR h.expires_on >= $2) GROUP BY h.competence_id`, tenant, day); err != nil {
		return nil, err
	}
	return out, nil
}

// compListBare lists the catalogue without the counts (the matrix's
// columns).
func compListBare(ctx context.Context, q querier, tenant int64, activeOnly bool, area string) ([]Competence, error) {
	query := `SELECT k.id, k.tenant_id, k.code, k.name, k.description, k.area, k.validity_months, k.active, k.created_at, k.updated_at, k.version, 0, 0
		FROM training_competences k WHERE k.tenant_id = $1`
	args := []any{tenant}
	if activeOnly {
		query += ` AND k.active = TRUE`
	}
	if area != "" {
		args = append(args, area)
		query += fmt.Sprintf(` AND k.area = $%d`, len(args))
	}
	rows, err := q.QueryContext(ctx, query+` ORDER BY k.code, k.id`, args...)
	if err != nil {
		return nil, fmt.Errorf("cannot list competences: %w", err)
	}
	defer rows.Close()
	var out []Competence
	for rows.Next() {
		k, err := compScan(rows)
		if err != nil {
			return nil, fmt.Errorf("cannot read competence: %w", err)
		}
		out = append(out, k)
	}
	return out, rows.Err()
}

// Competences lists the catalogue (all, or only the active ones).
func (s *Service) Competences(ctx context.Context, a auth.Actor, activeOnly bool) ([]Competence, error) {
	if err := a.Require(auth.PermTrainingView); err != nil {
		return nil, err
	}
	return compList(ctx, s.DB.R, a.Tenant, activeOnly, "", s.certToday())
}

// Competence reads one competence.
func (s *Service) Competence(ctx context.Context, a auth.Actor, id int64) (Competence, error) {
	if err := a.Require(auth.PermTrainingView); err != nil {
		return Competence{}, err
	}
	return compGet(ctx, s.DB.R, a.Tenant, id, s.certToday())
}

// Validate checks and normalises the input: the code in capitals, the
// texts cleaned. The code's uniqueness is checked when saving.
func (in *CompetenceInput) Validate() error {
	v := apperr.Validation{}
	in.Code = strings.ToUpper(textutil.Clean(in.Code))
	in.Name = textutil.Clean(in.Name)
	in.Description = textutil.CleanText(in.Description)
	in.Area = strings.TrimSpace(in.Area)
	switch {
	case in.Code == "":
		v.Add(FieldCompCode, "error.required")
	case len([]rune(in.Code)) > MaxCompetenceCode:
		v.Add(FieldCompCode, "error.too_long")
	case !compValidCode(in.Code):
		v.Add(FieldCompCode, "trainingcomp.error.code")
	}
	switch {
	case in.Name == "":
		v.Add(FieldCompName, "error.required")
	case len([]rune(in.Name)) > MaxCompetenceName:
		v.Add(FieldCompName, "error.too_long")
	}
	if len([]rune(in.Description)) > MaxCompetenceText {
		v.Add(FieldCompDescription, "error.too_long")
	}
	if !slices.Contains(Areas, in.Area) {
		v.Add(FieldCompArea, "error.choice")
	}
	if in.ValidityMonths < 0 || in.ValidityMonths > MaxValidMonth {
		v.Add(FieldCompValidity, "error.range")
	}
	return v.Err()
}

// compValidCode: capital letters, digits, dashes and dots, starting with
// a letter or a digit.
func compValidCode(c string) bool {
	for i, r := range c {
		switch {
		case r >= 'A' && r <= 'Z', r >= '0' && r <= '9':
		case (r == '-' || r == '.' || r == '_') && i > 0:
		default:
			return false
		}
	}
	return c != ""
}

func compCodeTaken(ctx context.Context, q querier, tenant, self int64, code string) error {
	var n int
	if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM training_competences WHERE tenant_id = $1 AND code = $2 AND id <> $3`, tenant, code, self).Scan(&n); err != nil {
		return fmt.Errorf("cannot check competence code: %w", err)
	}
	if n > 0 {
		return apperr.Validation{FieldCompCode: "trainingcomp.error.code_taken"}
	}
	return nil
}

// CreateCompetence adds a competence to the catalogue.
func (s *Service) CreateCompetence(ctx context.Context, a auth.Actor, in CompetenceInput) (Competence, error) {
	if err := a.Require(auth.PermTrainingManage); err != nil {
		return Competence{}, err
	}
	if err := in.Validate(); err != nil {
		return Competence{}, err
	}
	now := s.Clock.Now()
	var out Competence
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		if err := compCodeTaken(ctx, tx, a.Tenant, 0, in.Code); err != nil {
			return err
		}
		var id int64
		err := tx.QueryRowContext(ctx, `INSERT INTO training_competences (tenant_id, code, name, description, area, validity_months, active, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) RETURNING id`, a.Tenant, in.Code, in.Name, in.Description, in.Area, in.ValidityMonths, in.Active, now).Scan(&id)
		if db.IsUniqueViolation(err) {
			return apperr.Validation{FieldCompCode: "trainingcomp.error.code_taken"}
		}
		if err != nil {
			return fmt.Errorf("cannot record competence: %w", err)
		}
		if out, err = compGet(ctx, tx, a.Tenant, id, s.certToday()); err != nil {
			return err
		}
		return audit.Record(ctx, tx, now, audit.Event{Tenant: a.Tenant, Actor: a.Audit(), Action: audit.ActionCreate, Entity: EntityCompetence, EntityID: id,
			Summary: out.Code + " " + out.Name, After: out})
	})
	return out, err
}

// UpdateCompetence changes a competence.
func (s *Service) UpdateCompetence(ctx context.Context, a auth.Actor, id int64, in CompetenceInput) (Competence, error) {
	if err := a.Require(auth.PermTrainingManage); err != nil {
		return Competence{}, err
	}
	if err := in.Validate(); err != nil {
		return Competence{}, err
	}
	now := s.Clock.Now()
	var out Competence
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		before, err := compGet(ctx, tx, a.Tenant, id, s.certToday())
		if err != nil {
			return err
		}
		if before.Version != in.Version {
			return apperr.Stale()
		}
		if err := compCodeTaken(ctx, tx, a.Tenant, id, in.Code); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `UPDATE training_competences SET code = $3, name = $4, description = $5, area = $6, validity_months = $7, active = $8,
				updated_at = $9, version = version + 1 WHERE tenant_id = $1 AND id = $2 AND version = $10`,
			a.Tenant, id, in.Code, in.Name, in.Description, in.Area, in.ValidityMonths, in.Active, now, in.Version)
		if db.IsUniqueViolation(err) {
			return apperr.Validation{FieldCompCode: "trainingcomp.error.code_taken"}
		}
		if err != nil {
			return fmt.Errorf("cannot update competence: %w", err)
		}
		if n, err := res.RowsAffected(); err != nil {
			return fmt.Errorf("cannot update competence: %w", err)
		} else if n == 0 {
			return apperr.Stale()
		}
		if out, err = compGet(ctx, tx, a.Tenant, id, s.certToday()); err != nil {
			return err
		}
		return audit.Record(ctx, tx, now, audit.Event{Tenant: a.Tenant, Actor: a.Audit(), Action: audit.ActionUpdate, Entity: EntityCompetence, EntityID: id,
			Summary: out.Code + " " + out.Name, Before: before, After: out})
	})
	return out, err
}

func compRequirements(ctx context.Context, q querier, tenant int64, competenceID int64) ([]Requirement, error) {
	query := `SELECT id, competence_id, kind, target, level, created_at FROM training_requirements WHERE tenant_id = $1`
	args := []any{tenant}
	if competenceID != 0 {
		args = append(args, competenceID)
		query += ` AND competence_id = $2`
	}
	rows, err := q.QueryContext(ctx, query+` ORDER BY competence_id, kind, target_key, id`, args...)
	if err != nil {
		return nil, fmt.Errorf("cannot read requirements: %w", err)
	}
	defer rows.Close()
	var out []Requirement
	for rows.Next() {
		var r Requirement
		if err := rows.Scan(&r.ID, &r.CompetenceID, &r.Kind, &r.Target, &r.Level, &r.CreatedAt); err != nil {
			return nil, fmt.Errorf("cannot read requirement: %w", err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// Requirements lists who requires a competence.
func (s *Service) Requirements(ctx context.Context, a auth.Actor, competenceID int64) ([]Requirement, error) {
	if err := a.Require(auth.PermTrainingView); err != nil {
		return nil, err
	}
	if _, err := compGet(ctx, s.DB.R, a.Tenant, competenceID, s.certToday()); err != nil {
		return nil, err
	}
	list, err := compRequirements(ctx, s.DB.R, a.Tenant, competenceID)
	if err != nil || len(list) == 0 {
		return list, err
	}
	people, err := matrixPeople(ctx, s.DB.R, a.Tenant, matrixPeopleQuery{})
	if err != nil {
		return nil, err
	}
	for i := range list {
		r := matrixRule{kind: list[i].Kind, key: requirementKey(list[i].Kind, list[i].Target)}
		for _, p := range people {
			if r.applies(p) {
				list[i].People++
			}
		}
	}
	return list, nil
}

// requirementKey is a requirement's target as matched: a job title
// folded, a role as is.
func requirementKey(kind, target string) string {
	switch kind {
	case RequireJob:
		return textutil.Fold(textutil.Clean(target))
	case RequireRole:
		return target
	}
	return ""
}

// Validate checks and normalises a requirement.
func (in *RequirementInput) Validate() error {
	v := apperr.Validation{}
	in.Target = textutil.Clean(in.Target)
	switch in.Kind {
	case RequireJob:
		switch {
		case in.Target == "":
			v.Add(FieldReqTarget, "error.required")
		case len([]rune(in.Target)) > MaxJobTitle:
			v.Add(FieldReqTarget, "error.too_long")
		}
	case RequireRole:
		if !slices.Contains(RequireRoles(), in.Target) {
			v.Add(FieldReqTarget, "error.choice")
		}
	case RequireEveryone:
		in.Target = ""
	default:
		v.Add(FieldReqKind, "error.choice")
	}
	if in.Level < LevelBasic || in.Level > LevelExpert {
		v.Add(FieldReqLevel, "error.choice")
	}
	return v.Err()
}

// AddRequirement adds a requirement.
func (s *Service) AddRequirement(ctx context.Context, a auth.Actor, competenceID int64, in RequirementInput) (Requirement, error) {
	if err := a.Require(auth.PermTrainingManage); err != nil {
		return Requirement{}, err
	}
	if err := in.Validate(); err != nil {
		return Requirement{}, err
	}
	key := requirementKey(in.Kind, in.Target)
	now := s.Clock.Now()
	var out Requirement
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		k, err := compGet(ctx, tx, a.Tenant, competenceID, s.certToday())
		if err != nil {
			return err
		}
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM training_requirements WHERE tenant_id = $1 AND competence_id = $2 AND kind = $3 AND target_key = $4`,
			a.Tenant, competenceID, in.Kind, key).Scan(&n); err != nil {
			return fmt.Errorf("cannot check requirement: %w", err)
		}
		if n > 0 {
			return apperr.Validation{FieldReqTarget: "trainingcomp.error.requirement_taken"}
		}
		err = tx.QueryRowContext(ctx, `INSERT INTO training_requirements (tenant_id, competence_id, kind, target, target_key, level, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`, a.Tenant, competenceID, in.Kind, in.Target, key, in.Level, now).Scan(&out.ID)
		if db.IsUniqueViolation(err) {
			return apperr.Validation{FieldReqTarget: "trainingcomp.error.requirement_taken"}
		}
		if err != nil {
			return fmt.Errorf("cannot record requirement: %w", err)
		}
		out = Requirement{ID: out.ID, CompetenceID: competenceID, Kind: in.Kind, Target: in.Target, Level: in.Level, CreatedAt: now}
		return audit.Record(ctx, tx, now, audit.Event{Tenant: a.Tenant, Actor: a.Audit(), Action: audit.ActionCreate, Entity: EntityRequire, EntityID: out.ID,
			Summary: k.Code + ": " + in.Kind + " " + in.Target, After: out})
	})
	return out, err
}

// DeleteRequirement removes a requirement.
func (s *Service) DeleteRequirement(ctx context.Context, a auth.Actor, competenceID, requirementID int64) error {
	if err := a.Require(auth.PermTrainingManage); err != nil {
		return err
	}
	now := s.Clock.Now()
	return s.DB.Tx(ctx, func(tx *sql.Tx) error {
		k, err := compGet(ctx, tx, a.Tenant, competenceID, s.certToday())
		if err != nil {
			return err
		}
		list, err := compRequirements(ctx, tx, a.Tenant, competenceID)
		if err != nil {
			return err
		}
		i := slices.IndexFunc(list, func(r Requirement) bool { return r.ID == requirementID })
		if i < 0 {
			return apperr.NotFound(EntityRequire)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM training_requirements WHERE tenant_id = $1 AND competence_id = $2 AND id = $3`,
			a.Tenant, competenceID, requirementID); err != nil {
			return fmt.Errorf("cannot delete requirement: %w", err)
		}
		return audit.Record(ctx, tx, now, audit.Event{Tenant: a.Tenant, Actor: a.Audit(), Action: audit.ActionDelete, Entity: EntityRequire, EntityID: requirementID,
			Summary: k.Code + ": " + list[i].Kind + " " + list[i].Target, Before: list[i]})
	})
}

const heldColumns = `h.id, h.person_id, h.competence_id, h.level, h.source, COALESCE(h.certificate_id, 0), COALESCE(h.enrolment_id, 0),
	h.acquired_on, h.expires_on, h.notes, h.created_at, h.version, k.code, k.name`

// compHeldWhere reads held competences matching cond (its arguments from
// $2, the tenant being $1).
func compHeldWhere(ctx context.Context, q querier, tenant int64, cond string, args ...any) ([]Held, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+heldColumns+` FROM training_person_competences h JOIN training_competences k ON k.id = h.competence_id
		WHERE h.tenant_id = $1 AND `+cond+` ORDER BY k.code, h.acquired_on DESC, h.id`, append([]any{tenant}, args...)...)
	if err != nil {
		return nil, fmt.Errorf("cannot read held competences: %w", err)
	}
	defer rows.Close()
	var out []Held
	for rows.Next() {
		var h Held
		if err := rows.Scan(&h.ID, &h.PersonID, &h.CompetenceID, &h.Level, &h.Source, &h.CertificateID, &h.EnrolmentID,
			&h.AcquiredOn, &h.ExpiresOn, &h.Notes, &h.CreatedAt, &h.Version, &h.CompetenceCode, &h.CompetenceName); err != nil {
			return nil, fmt.Errorf("cannot read held competence: %w", err)
		}
		out = append(out, h)
	}
	return out, rows.Err()
}

// compHeldInsert records a held competence and audits it.
func (s *Service) compHeldInsert(ctx context.Context, tx *sql.Tx, a auth.Actor, tenant int64, h Held, personName string, now time.Time) (Held, error) {
	err := tx.QueryRowContext(ctx, `INSERT INTO training_person_competences (tenant_id, person_id, competence_id, level, source, certificate_id, enrolment_id,
			acquired_on, expires_on, notes, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id`,
		tenant, h.PersonID, h.CompetenceID, h.Level, h.Source, nullID(h.CertificateID), nullID(h.EnrolmentID), h.AcquiredOn, h.ExpiresOn, h.Notes, now).Scan(&h.ID)
	if err != nil {
		return Held{}, fmt.Errorf("cannot record held competence: %w", err)
	}
	got, err := compHeldWhere(ctx, tx, tenant, `h.id = $2`, h.ID)
	if err != nil {
		return Held{}, err
	}
	if len(got) == 1 {
		h = got[0]
	}
	return h, audit.Record(ctx, tx, now, audit.Event{Tenant: tenant, Actor: a.Audit(), Action: audit.ActionCreate, Entity: EntityHeld, EntityID: h.ID,
		Summary: personName + ": " + h.CompetenceCode, After: h})
}

// HeldBy lists the competences a person holds (lapsed ones too).
func (s *Service) HeldBy(ctx context.Context, a auth.Actor, personID int64) ([]Held, error) {
	if err := s.compMaySeePerson(ctx, s.DB.R, a, personID); err != nil {
		return nil, err
	}
	return compHeldWhere(ctx, s.DB.R, a.Tenant, `h.person_id = $2`, personID)
}

// compMayAssess checks the actor may record an assessed competence of a
// person of unit: the quality office, or the head of the person's unit
// (not for themselves).
func (s *Service) compMayAssess(ctx context.Context, q querier, a auth.Actor, person, unit int64) error {
	if a.Can(auth.PermTrainingManage) {
		return nil
	}
	if a.HasRole(auth.RoleHeadOfUnit) && person != a.PersonID {
		sc, err := sesScopeOf(ctx, q, a)
		if err != nil {
			return err
		}
		if unit != 0 && slices.Contains(sc.units, unit) {
			return nil
		}
	}
	return apperr.Forbidden(string(auth.PermTrainingManage))
}

// Assess records a competence a person holds, assessed by their head of
// unit or the quality office.
func (s *Service) Assess(ctx context.Context, a auth.Actor, personID int64, in HeldInput) (Held, error) {
	if err := a.Require(auth.PermTrainingView); err != nil {
		return Held{}, err
	}
	today := s.certToday()
	now := s.Clock.Now()
	var out Held
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		unit, name, active, err := compPerson(ctx, tx, a.Tenant, personID)
		if err != nil {
			return err
		}
		if err := s.compMayAssess(ctx, tx, a, personID, unit); err != nil {
			return err
		}
		v := apperr.Validation{}
		if !active {
			v.Add(FieldHeldCompetence, "trainingcomp.error.person_inactive")
		}
		in.Notes = textutil.CleanText(in.Notes)
		in.AcquiredOn, in.ExpiresOn = strings.TrimSpace(in.AcquiredOn), strings.TrimSpace(in.ExpiresOn)
		var k Competence
		if in.CompetenceID == 0 {
			v.Add(FieldHeldCompetence, "error.required")
		} else if k, err = compGet(ctx, tx, a.Tenant, in.CompetenceID, today); errors.Is(err, apperr.ErrNotFound) || (err == nil && !k.Active) {
			v.Add(FieldHeldCompetence, "error.choice")
		} else if err != nil {
			return err
		}
		if in.Level < LevelBasic || in.Level > LevelExpert {
			v.Add(FieldHeldLevel, "error.choice")
		}
		if in.AcquiredOn == "" {
			in.AcquiredOn = today.Format(time.DateOnly)
		}
		acquired, ok := parseDay(in.AcquiredOn)
		switch {
		case !ok:
			v.Add(FieldHeldAcquired, "error.date")
		case acquired.After(today):
			v.Add(FieldHeldAcquired, "trainingcomp.error.acquired_future")
		}
		if in.ExpiresOn != "" {
			exp, eok := parseDay(in.ExpiresOn)
			switch {
			case !eok:
				v.Add(FieldHeldExpires, "error.date")
			case ok && exp.Before(acquired):
				v.Add(FieldHeldExpires, "trainingcomp.error.expiry_before_acquired")
			}
		} else if ok && k.ValidityMonths > 0 {
			in.ExpiresOn = compAddMonths(acquired, k.ValidityMonths).Format(time.DateOnly)
		}
		if len([]rune(in.Notes)) > MaxCompetenceText {
			v.Add(FieldHeldNotes, "error.too_long")
		}
		if err := v.Err(); err != nil {
			return err
		}
		out, err = s.compHeldInsert(ctx, tx, a, a.Tenant, Held{PersonID: personID, CompetenceID: in.CompetenceID, Level: in.Level, Source: HeldAssessed,
			AcquiredOn: in.AcquiredOn, ExpiresOn: in.ExpiresOn, Notes: in.Notes}, name, now)
		return err
	})
	return out, err
}

// DeleteHeld removes an assessed competence (the ones from certificates
// go with their certificate).
func (s *Service) DeleteHeld(ctx context.Context, a auth.Actor, personID, heldID int64) error {
	if err := a.Require(auth.PermTrainingView); err != nil {
		return err
	}
	now := s.Clock.Now()
	return s.DB.Tx(ctx, func(tx *sql.Tx) error {
		unit, name, _, err := compPerson(ctx, tx, a.Tenant, personID)
		if err != nil {
			return err
		}
		if err := s.compMayAssess(ctx, tx, a, personID, unit); err != nil {
			return err
		}
		got, err := compHeldWhere(ctx, tx, a.Tenant, `h.person_id = $2 AND h.id = $3`, personID, heldID)
		if err != nil {
			return err
		}
		if len(got) == 0 {
			return apperr.NotFound(EntityHeld)
		}
		if got[0].Source != HeldAssessed {
			return apperr.Conflict("trainingcomp.error.held_not_assessed")
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM training_person_competences WHERE tenant_id = $1 AND id = $2`, a.Tenant, heldID); err != nil {
			return fmt.Errorf("cannot delete held competence: %w", err)
		}
		return audit.Record(ctx, tx, now, audit.Event{Tenant: a.Tenant, Actor: a.Audit(), Action: audit.ActionDelete, Entity: EntityHeld, EntityID: heldID,
			Summary: name + ": " + got[0].CompetenceCode, Before: got[0]})
	})
}

// grantFromProgramme makes the person of a completed enrolment hold the
// programme's competence (source programme) when the programme gives one
// and leads to no certificate (a certificate grants it when recorded): the
// sessions call it inside the transaction that completes the enrolment.
func (s *Service) grantFromProgramme(ctx context.Context, tx *sql.Tx, a auth.Actor, e Enrolment, p Programme) error {
	if p.CompetenceID == 0 || p.Certificate != "" || e.ID == 0 {
		return nil
	}
	tenant := e.Tenant
	if tenant == 0 {
		tenant = a.Tenant
	}
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM training_person_competences WHERE tenant_id = $1 AND enrolment_id = $2 AND competence_id = $3`,
		tenant, e.ID, p.CompetenceID).Scan(&n); err != nil {
		return fmt.Errorf("cannot read held competence: %w", err)
	}
	if n > 0 {
		return nil
	}
	var months int
	err := tx.QueryRowContext(ctx, `SELECT validity_months FROM training_competences WHERE tenant_id = $1 AND id = $2`, tenant, p.CompetenceID).Scan(&months)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("cannot read competence: %w", err)
	}
	acquired, ok := parseDay(e.CompletedOn)
	if !ok {
		acquired = s.certToday()
	}
	h := Held{PersonID: e.PersonID, CompetenceID: p.CompetenceID, Level: p.CompetenceLevel, Source: HeldProgramme, EnrolmentID: e.ID,
		AcquiredOn: acquired.Format(time.DateOnly)}
	if h.Level < LevelBasic || h.Level > LevelExpert {
		h.Level = LevelBasic
	}
	if months > 0 {
		h.ExpiresOn = compAddMonths(acquired, months).Format(time.DateOnly)
	}
	name := e.Name
	if name == "" {
		_ = tx.QueryRowContext(ctx, `SELECT full_name FROM people WHERE tenant_id = $1 AND id = $2`, tenant, e.PersonID).Scan(&name)
	}
	_, err = s.compHeldInsert(ctx, tx, a, tenant, h, name, s.Clock.Now())
	return err
}
