// Package org holds institutions (the tenants), their tree of organisational
// units and their people.
package org

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"cadran/internal/apperr"
	"cadran/internal/audit"
	"cadran/internal/auth"
	"cadran/internal/clock"
	"cadran/internal/db"
	"cadran/internal/textutil"
)

// Service is the org store.
type Service struct {
	DB    *db.DB
	Clock clock.Clock
	// OnPersonPlaced, when set, runs inside the transaction that puts an
	// active person into a unit (a new hire, a move, a return), so other
	// modules can hand them what their unit has: documents to read, say.
	OnPersonPlaced func(ctx context.Context, tx *sql.Tx, a auth.Actor, personID, unitID int64) error
}

// placed runs the OnPersonPlaced hook when p has newly arrived in its unit.
func (s *Service) placed(ctx context.Context, tx *sql.Tx, a auth.Actor, before, after Person) error {
	if s.OnPersonPlaced == nil || !after.Active || after.UnitID == 0 || (before.Active && before.UnitID == after.UnitID) {
		return nil
	}
	return s.OnPersonPlaced(ctx, tx, a, after.ID, after.UnitID)
}

// Institution kinds.
const (
	KindMunicipality  = "municipality"
	KindTown          = "town"
	KindCommune       = "commune"
	KindCountyCouncil = "county_council"
	KindSubordinate   = "subordinate_service"
	KindDecentralised = "decentralised_service"
)

// InstitutionKinds lists the kinds in the order forms show them.
var InstitutionKinds = []string{KindMunicipality, KindTown, KindCommune, KindCountyCouncil, KindSubordinate, KindDecentralised}

// Counties are Romania's 41 counties and the capital.
var Counties = []string{"Alba", "Arad", "Argeș", "Bacău", "Bihor", "Bistrița-Năsăud", "Botoșani", "Brașov", "Brăila", "București", "Buzău", "Caraș-Severin", "Călărași", "Cluj", "Constanța", "Covasna", "Dâmbovița", "Dolj", "Galați", "Giurgiu", "Gorj", "Harghita", "Hunedoara", "Ialomița", "Iași", "Ilfov", "Maramureș", "Mehedinți", "Mureș", "Neamț", "Olt", "Prahova", "Satu Mare", "Sălaj", "Sibiu", "Suceava", "Teleorman", "Timiș", "Tulcea", "Vaslui", "Vâlcea", "Vrancea"}

// Institution is a tenant: a town hall, a county council or a public service.
type Institution struct {
	ID     int64  `json:"id"`
	Name   string `json:"name"`
	CUI    string `json:"cui"`
	Kind   string `json:"kind"`
	County string `json:"county"`
	// ReminderDays is how many days before a due date the inbox reminds
	// people; 0 turns reminders off.
	ReminderDays int       `json:"reminder_days"`
	CreatedAt    time.Time `json:"-"`
	UpdatedAt    time.Time `json:"-"`
	Version      int       `json:"version"`
}

// InstitutionInput is what a form gives to create or change an institution.
type InstitutionInput struct {
	Name   string
	CUI    string
	Kind   string
	County string
	// ReminderDays is only changed by UpdateInstitution; a new institution
	// starts with 3.
	ReminderDays int
	Version      int
}

// ValidCUI checks a Romanian fiscal code (CUI/CIF): 2 to 10 digits, an
// optional "RO" prefix, and the control digit computed with the key 753217532.
func ValidCUI(cui string) bool {
	cui = strings.TrimPrefix(strings.ToUpper(strings.ReplaceAll(cui, " ", "")), "RO")
	if len(cui) < 2 || len(cui) > 10 {
		return false
	}
	for _, r := range cui {
		if r < '0' || r > '9' {
			return false
		}
	}
	return CUICheckDigit(cui[:len(cui)-1]) == int(cui[len(cui)-1]-'0')
}

// CUICheckDigit is the check digit of a fiscal code's body (its digits
// without the last one, at most 9).
func CUICheckDigit(body string) int {
	const key = "753217532"
	body = strings.Repeat("0", 9-len(body)) + body
	sum := 0
	for i := range 9 {
		sum += int(body[i]-'0') * int(key[i]-'0')
	}
	c := sum * 10 % 11
	if c == 10 {
		c = 0
	}
	return c
}

// NormalizeCUI removes spaces and the RO prefix.
func NormalizeCUI(cui string) string {
	return strings.TrimPrefix(strings.ToUpper(strings.ReplaceAll(strings.TrimSpace(cui), " ", "")), "RO")
}

// Validate checks and normalises the input.
func (in *InstitutionInput) Validate() error {
	v := apperr.Validation{}
	in.Name = textutil.Clean(in.Name)
	in.CUI = NormalizeCUI(in.CUI)
	in.County = textutil.Clean(in.County)
	if in.Name == "" {
		v.Add("name", "error.required")
	} else if utf8.RuneCountInString(in.Name) > 200 {
		v.Add("name", "error.too_long")
	}
	if !ValidCUI(in.CUI) {
		v.Add("cui", "institution.error.cui")
	}
	if !slices.Contains(InstitutionKinds, in.Kind) {
		v.Add("kind", "error.choice")
	}
	if !slices.Contains(Counties, in.County) {
		v.Add("county", "error.choice")
	}
	if in.ReminderDays < 0 || in.ReminderDays > 30 {
		v.Add("reminder_days", "institution.error.reminder_days")
	}
	return v.Err()
}

const institutionColumns = `id, name, cui, kind, county, reminder_days, created_at, updated_at, version`

func scanInstitution(row interface{ Scan(...any) error }) (Institution, error) {
	var i Institution
	err := row.Scan(&i.ID, &i.Name, &i.CUI, &i.Kind, &i.County, &i.ReminderDays, &i.CreatedAt, &i.UpdatedAt, &i.Version)
	return i, err
}

// Institution returns the actor's own institution.
func (s *Service) Institution(ctx context.Context, a auth.Actor) (Institution, error) {
	return s.institution(ctx, s.DB.R, a.Tenant)
}

type querier interface {
	QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row
}

func (s *Service) institution(ctx context.Context, q querier, id int64) (Institution, error) {
	i, err := scanInstitution(q.QueryRowContext(ctx, `SELECT `+institutionColumns+` FROM institutions WHERE id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return Institution{}, apperr.NotFound("institution")
	}
	if err != nil {
		return Institution{}, fmt.Errorf("cannot read institution: %w", err)
	}
	return i, nil
}

// InstitutionByCUI finds an institution by fiscal code, for the command line.
func (s *Service) InstitutionByCUI(ctx context.Context, cui string) (Institution, error) {
	i, err := scanInstitution(s.DB.R.QueryRowContext(ctx, `SELECT `+institutionColumns+` FROM institutions WHERE cui = $1`, NormalizeCUI(cui)))
	if errors.Is(err, sql.ErrNoRows) {
		return Institution{}, apperr.NotFound("institution")
	}
	if err != nil {
		return Institution{}, fmt.Errorf("cannot read institution: %w", err)
	}
	return i, nil
}

// InstitutionSummary is a row of the platform's institutions list.
type InstitutionSummary struct {
	Institution
	Users  int
	People int
	Units  int
}

// Institutions lists every institution of the deployment; only platform
// administrators may.
func (s *Service) Institutions(ctx context.Context, a auth.Actor, query string, limit, offset int) ([]InstitutionSummary, int, error) {
	if err := a.RequirePlatformAdmin(); err != nil {
		return nil, 0, err
	}
	where, args := "", []any{}
	if q := strings.TrimSpace(query); q != "" {
		args = append(args, db.LikePattern(textutil.Fold(q)))
		where = ` WHERE i.search_name LIKE $1 ESCAPE '\' OR i.cui LIKE $1 ESCAPE '\'`
	}
	var total int
	if err := s.DB.R.QueryRowContext(ctx, `SELECT COUNT(*) FROM institutions i`+where, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("cannot count institutions: %w", err)
	}
	if limit <= 0 {
		limit = 50
	}
	args = append(args, limit, max(0, offset))
	rows, err := s.DB.R.QueryContext(ctx, `SELECT i.id, i.name, i.cui, i.kind, i.county, i.created_at, i.updated_at, i.version,
		(SELECT COUNT(*) FROM users u WHERE u.tenant_id = i.id AND NOT u.disabled),
		(SELECT COUNT(*) FROM people p WHERE p.tenant_id = i.id AND p.active),
		(SELECT COUNT(*) FROM units n WHERE n.tenant_id = i.id)
		FROM institutions i`+where+fmt.Sprintf(` ORDER BY i.search_name, i.id LIMIT $%d OFFSET $%d`, len(args)-1, len(args)), args...)
	if err != nil {
		return nil, 0, fmt.Errorf("cannot list institutions: %w", err)
	}
	defer rows.Close()
	var out []InstitutionSummary
	for rows.Next() {
		var r InstitutionSummary
		if err := rows.Scan(&r.ID, &r.Name, &r.CUI, &r.Kind, &r.County, &r.CreatedAt, &r.UpdatedAt, &r.Version, &r.Users, &r.People, &r.Units); err != nil {
			return nil, 0, fmt.Errorf("cannot read institution: %w", err)
		}
		out = append(out, r)
	}
	return out, total, rows.Err()
}

// CreateInstitution adds an institution and its first administrator in one
// transaction; only platform administrators may.
func (s *Service) CreateInstitution(ctx context.Context, a auth.Actor, in InstitutionInput, admin auth.UserInput) (Institution, auth.User, error) {
	if err := a.RequirePlatformAdmin(); err != nil {
		return Institution{}, auth.User{}, err
	}
	v := apperr.Validation{}
	if err := in.Validate(); err != nil {
		vi, _ := apperr.AsValidation(err)
		maps(v, vi, "")
	}
	admin.Roles = []auth.Role{auth.RoleAdmin}
	if err := admin.Validate(true); err != nil {
		va, _ := apperr.AsValidation(err)
		maps(v, va, "admin_")
	}
	if err := v.Err(); err != nil {
		return Institution{}, auth.User{}, err
	}
	now := s.Clock.Now()
	var inst Institution
	var user auth.User
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		var id int64
		err := tx.QueryRowContext(ctx, `INSERT INTO institutions (name, search_name, cui, kind, county, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING id`,
			in.Name, textutil.Fold(in.Name), in.CUI, in.Kind, in.County, now).Scan(&id)
		if db.IsUniqueViolation(err) {
			return apperr.Validation{"cui": "institution.error.cui_taken"}
		}
		if err != nil {
			return fmt.Errorf("cannot create institution: %w", err)
		}
		if inst, err = s.institution(ctx, tx, id); err != nil {
			return err
		}
		if err := audit.Record(ctx, tx, now, audit.Event{Tenant: id, Actor: a.Audit(), Action: audit.ActionCreate, Entity: "institution", EntityID: id, Summary: inst.Name, After: inst}); err != nil {
			return err
		}
		user, err = auth.CreateUserTx(ctx, tx, a, id, admin, now)
		return err
	})
	if v, ok := apperr.AsValidation(err); ok && v["username"] != "" {
		return Institution{}, auth.User{}, apperr.Validation{"admin_username": v["username"]}
	}
	return inst, user, err
}

func maps(dst, src apperr.Validation, prefix string) {
	for k, v := range src {
		dst.Add(prefix+k, v)
	}
}

// UpdateInstitution changes the actor's own institution.
func (s *Service) UpdateInstitution(ctx context.Context, a auth.Actor, in InstitutionInput) (Institution, error) {
	if err := a.Require(auth.PermInstitutionEdt); err != nil {
		return Institution{}, err
	}
	if err := in.Validate(); err != nil {
		return Institution{}, err
	}
	now := s.Clock.Now()
	var after Institution
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		before, err := s.institution(ctx, tx, a.Tenant)
		if err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `UPDATE institutions SET name = $1, search_name = $2, cui = $3, kind = $4, county = $5, reminder_days = $6, updated_at = $7, version = version + 1 WHERE id = $8 AND version = $9`,
			in.Name, textutil.Fold(in.Name), in.CUI, in.Kind, in.County, in.ReminderDays, now, a.Tenant, in.Version)
		if db.IsUniqueViolation(err) {
			return apperr.Validation{"cui": "institution.error.cui_taken"}
		}
		if err != nil {
			return fmt.Errorf("cannot update institution: %w", err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return apperr.Stale()
		}
		if after, err = s.institution(ctx, tx, a.Tenant); err != nil {
			return err
		}
		return audit.Record(ctx, tx, now, audit.Event{Tenant: a.Tenant, Actor: a.Audit(), Action: audit.ActionUpdate, Entity: "institution", EntityID: a.Tenant, Summary: after.Name, Before: before, After: after})
	})
	return after, err
}

// CreateInstitutionSystem creates an institution without a first user, for
// the demo and the command line.
func (s *Service) CreateInstitutionSystem(ctx context.Context, in InstitutionInput) (Institution, error) {
	if err := in.Validate(); err != nil {
		return Institution{}, err
	}
	now := s.Clock.Now()
	var inst Institution
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		var id int64
		err := tx.QueryRowContext(ctx, `INSERT INTO institutions (name, search_name, cui, kind, county, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING id`,
			in.Name, textutil.Fold(in.Name), in.CUI, in.Kind, in.County, now).Scan(&id)
		if db.IsUniqueViolation(err) {
			return apperr.Validation{"cui": "institution.error.cui_taken"}
		}
		if err != nil {
			return fmt.Errorf("cannot create institution: %w", err)
		}
		if inst, err = s.institution(ctx, tx, id); err != nil {
			return err
		}
		return audit.Record(ctx, tx, now, audit.Event{Tenant: id, Actor: audit.Actor{Name: "cadran"}, Action: audit.ActionCreate, Entity: "institution", EntityID: id, Summary: inst.Name, After: inst})
	})
	return inst, err
}

// idList renders ids as a comma-separated list of numbers for an IN clause.
// Only integers reach it, so it cannot carry SQL.
func idList(ids []int64) string {
	parts := make([]string, len(ids))
	for i, id := range ids {
		parts[i] = strconv.FormatInt(id, 10)
	}
	return strings.Join(parts, ",")
}
