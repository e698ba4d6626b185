package org

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/mail"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"cadran/internal/apperr"
	"cadran/internal/audit"
	"cadran/internal/auth"
	"cadran/internal/db"
	"cadran/internal/textutil"
)

// Position: management (conducere) or execution (execuție).
const (
	PositionManagement = "management"
	PositionExecution  = "execution"
)

// Employment: civil servant, contract staff or elected official.
const (
	EmploymentCivilServant = "civil_servant"
	EmploymentContract     = "contract"
	EmploymentElected      = "elected"
)

// Elected roles, only for elected officials.
const (
	ElectedMayor       = "mayor"
	ElectedDeputyMayor = "deputy_mayor"
	ElectedCouncillor  = "councillor"
	ElectedPresident   = "county_president"
)

var (
	Positions    = []string{PositionManagement, PositionExecution}
	Employments  = []string{EmploymentCivilServant, EmploymentContract, EmploymentElected}
	ElectedRoles = []string{ElectedMayor, ElectedDeputyMayor, ElectedCouncillor, ElectedPresident}
)

// Person is someone who works in or for the institution.
type Person struct {
	ID          int64     `json:"id"`
	Tenant      int64     `json:"tenant_id"`
	UnitID      int64     `json:"unit_id,omitempty"`
	FullName    string    `json:"full_name"`
	Email       string    `json:"email"`
	Phone       string    `json:"phone"`
	JobTitle    string    `json:"job_title"`
	Position    string    `json:"position"`
	Employment  string    `json:"employment"`
	ElectedRole string    `json:"elected_role,omitempty"`
	Active      bool      `json:"active"`
	CreatedAt   time.Time `json:"-"`
	UpdatedAt   time.Time `json:"-"`
	Version     int       `json:"version"`
	// UnitName is filled in by listings.
	UnitName string `json:"-"`
}

// PersonInput is what a form gives to create or change a person.
type PersonInput struct {
	UnitID      int64
	FullName    string
	Email       string
	Phone       string
	JobTitle    string
	Position    string
	Employment  string
	ElectedRole string
	Active      bool
	Version     int
}

// Validate checks and normalises the input.
func (in *PersonInput) Validate() error {
	v := apperr.Validation{}
	in.FullName = textutil.Clean(in.FullName)
	in.JobTitle = textutil.Clean(in.JobTitle)
	in.Email = strings.TrimSpace(in.Email)
	in.Phone = strings.TrimSpace(in.Phone)
	if in.FullName == "" {
		v.Add("full_name", "error.required")
	} else if utf8.RuneCountInString(in.FullName) > 200 {
		v.Add("full_name", "error.too_long")
	}
	if utf8.RuneCountInString(in.JobTitle) > 200 {
		v.Add("job_title", "error.too_long")
	}
	if in.Email != "" {
		if a, err := mail.ParseAddress(in.Email); err != nil || a.Address != in.Email {
			v.Add("email", "error.email")
		}
	}
	if len(in.Phone) > 30 || strings.Trim(in.Phone, "+0123456789 ()-./") != "" {
		v.Add("phone", "error.phone")
	}
	if !slices.Contains(Positions, in.Position) {
		v.Add("position", "error.choice")
	}
	if !slices.Contains(Employments, in.Employment) {
		v.Add("employment", "error.choice")
	}
	switch {
	case in.Employment == EmploymentElected && !slices.Contains(ElectedRoles, in.ElectedRole):
		v.Add("elected_role", "person.error.elected_role")
	case in.Employment != EmploymentElected && in.ElectedRole != "":
		v.Add("elected_role", "person.error.not_elected")
	}
	return v.Err()
}

const personColumns = `p.id, p.tenant_id, COALESCE(p.unit_id, 0), p.full_name, p.email, p.phone, p.job_title, p.position, p.employment, p.elected_role, p.active, p.created_at, p.updated_at, p.version, COALESCE(u.name, '')`

const personFrom = ` FROM people p LEFT JOIN units u ON u.tenant_id = p.tenant_id AND u.id = p.unit_id`

func scanPerson(row interface{ Scan(...any) error }) (Person, error) {
	var p Person
	err := row.Scan(&p.ID, &p.Tenant, &p.UnitID, &p.FullName, &p.Email, &p.Phone, &p.JobTitle, &p.Position, &p.Employment, &p.ElectedRole, &p.Active, &p.CreatedAt, &p.UpdatedAt, &p.Version, &p.UnitName)
	return p, err
}

func getPerson(ctx context.Context, q querier, tenant, id int64) (Person, error) {
	p, err := scanPerson(q.QueryRowContext(ctx, `SELECT `+personColumns+personFrom+` WHERE p.tenant_id = $1 AND p.id = $2`, tenant, id))
	if errors.Is(err, sql.ErrNoRows) {
		return Person{}, apperr.NotFound("person")
	}
	if err != nil {
		return Person{}, fmt.Errorf("cannot read person: %w", err)
	}
	return p, nil
}

// Person returns one person of the actor's institution.
func (s *Service) Person(ctx context.Context, a auth.Actor, id int64) (Person, error) {
	if err := a.Require(auth.PermOrgView); err != nil {
		return Person{}, err
	}
	return getPerson(ctx, s.DB.R, a.Tenant, id)
}

// PeopleFilter narrows and orders the people list.
type PeopleFilter struct {
	Query      string
	UnitID     int64 // this unit and every unit under it
	Employment string
	Position   string
	Status     string // "active" (default), "inactive" or "all"
	Sort       string // name, unit, job, updated; a leading "-" reverses
	Limit      int
	Offset     int
}

var personSorts = map[string]string{
	"name":    "p.sort_name",          // the folded name: Ștefan sorts among the S names
	"unit":    "COALESCE(u.name, '')", // no unit sorts as an empty name on both engines
	"job":     "p.job_title",
	"updated": "p.updated_at",
}

// PeopleSorts lists the accepted sort keys.
func PeopleSorts() []string { return []string{"name", "unit", "job", "updated"} }

// People lists the institution's people matching f and the total count. The
// search folds diacritics, so "stefanescu" finds "Ștefănescu".
func (s *Service) People(ctx context.Context, a auth.Actor, f PeopleFilter) ([]Person, int, error) {
	if err := a.Require(auth.PermOrgView); err != nil {
		return nil, 0, err
	}
	where := ` WHERE p.tenant_id = $1`
	args := []any{a.Tenant}
	if q := textutil.Fold(strings.TrimSpace(f.Query)); q != "" {
		args = append(args, db.LikePattern(q))
		where += fmt.Sprintf(` AND p.search_text LIKE $%d ESCAPE '\'`, len(args))
	}
	if f.UnitID != 0 {
		units, err := s.units(ctx, s.DB.R, a.Tenant)
		if err != nil {
			return nil, 0, err
		}
		where += ` AND p.unit_id IN (` + idList(Subtree(units, f.UnitID)) + `)`
	}
	if f.Employment != "" {
		args = append(args, f.Employment)
		where += fmt.Sprintf(` AND p.employment = $%d`, len(args))
	}
	if f.Position != "" {
		args = append(args, f.Position)
		where += fmt.Sprintf(` AND p.position = $%d`, len(args))
	}
	switch f.Status {
	case "all":
	case "inactive":
		where += ` AND NOT p.active`
	default:
		where += ` AND p.active`
	}
	var total int
	// The filters touch only people's own columns, so the count needs no join.
	if err := s.DB.R.QueryRowContext(ctx, `SELECT COUNT(*) FROM people p`+where, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("cannot count people: %w", err)
	}
	page, args := db.OrderPage(personSorts, f.Sort, "name", "p.sort_name, p.id", f.Limit, f.Offset, args)
	rows, err := s.DB.R.QueryContext(ctx, `SELECT `+personColumns+personFrom+where+page, args...)
	if err != nil {
		return nil, 0, fmt.Errorf("cannot list people: %w", err)
	}
	defer rows.Close()
	var out []Person
	for rows.Next() {
		p, err := scanPerson(rows)
		if err != nil {
			return nil, 0, fmt.Errorf("cannot read person: %w", err)
		}
		out = append(out, p)
	}
	return out, total, rows.Err()
}

func (s *Service) checkUnit(ctx context.Context, tx *sql.Tx, tenant, unit int64) error {
	if unit == 0 {
		return nil
	}
	if _, err := getUnit(ctx, tx, tenant, unit); errors.Is(err, apperr.ErrNotFound) {
		return apperr.Validation{"unit_id": "error.choice"}
	} else if err != nil {
		return err
	}
	return nil
}

func searchText(in PersonInput) string {
	return textutil.Fold(strings.Join([]string{in.FullName, in.Email, in.JobTitle}, " "))
}

// CreatePerson adds a person to the actor's institution.
func (s *Service) CreatePerson(ctx context.Context, a auth.Actor, in PersonInput) (Person, error) {
	if err := a.Require(auth.PermOrgManage); err != nil {
		return Person{}, err
	}
	if err := in.Validate(); err != nil {
		return Person{}, err
	}
	now := s.Clock.Now()
	var p Person
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		if err := s.checkUnit(ctx, tx, a.Tenant, in.UnitID); err != nil {
			return err
		}
		var id int64
		if err := tx.QueryRowContext(ctx, `INSERT INTO people (tenant_id, unit_id, full_name, email, phone, job_title, position, employment, elected_role, active, sort_name, search_text, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13) RETURNING id`,
			a.Tenant, nullID(in.UnitID), in.FullName, in.Email, in.Phone, in.JobTitle, in.Position, in.Employment, in.ElectedRole, in.Active, textutil.Fold(in.FullName), searchText(in), now).Scan(&id); err != nil {
			return fmt.Errorf("cannot create person: %w", err)
		}
		var err error
		if p, err = getPerson(ctx, tx, a.Tenant, id); err != nil {
			return err
		}
		if err := s.placed(ctx, tx, a, Person{}, p); err != nil {
			return err
		}
		return audit.Record(ctx, tx, now, audit.Event{Tenant: a.Tenant, Actor: a.Audit(), Action: audit.ActionCreate, Entity: "person", EntityID: id, Summary: p.FullName, After: p})
	})
	return p, err
}

// UpdatePerson changes a person; a stale Version is refused.
func (s *Service) UpdatePerson(ctx context.Context, a auth.Actor, id int64, in PersonInput) (Person, error) {
	if err := a.Require(auth.PermOrgManage); err != nil {
		return Person{}, err
	}
	if err := in.Validate(); err != nil {
		return Person{}, err
	}
	now := s.Clock.Now()
	var after Person
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		before, err := getPerson(ctx, tx, a.Tenant, id)
		if err != nil {
			return err
		}
		if err := s.checkUnit(ctx, tx, a.Tenant, in.UnitID); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `UPDATE people SET unit_id = $1, full_name = $2, email = $3, phone = $4, job_title = $5, position = $6, employment = $7, elected_role = $8, active = $9, sort_name = $10, search_text = $11, updated_at = $12, version = version + 1
			WHERE tenant_id = $13 AND id = $14 AND version = $15`,
			nullID(in.UnitID), in.FullName, in.Email, in.Phone, in.JobTitle, in.Position, in.Employment, in.ElectedRole, in.Active, textutil.Fold(in.FullName), searchText(in), now, a.Tenant, id, in.Version)
		if err != nil {
			return fmt.Errorf("cannot update person: %w", err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return apperr.Stale()
		}
		if after, err = getPerson(ctx, tx, a.Tenant, id); err != nil {
			return err
		}
		if err := s.placed(ctx, tx, a, before, after); err != nil {
			return err
		}
		return audit.Record(ctx, tx, now, audit.Event{Tenant: a.Tenant, Actor: a.Audit(), Action: audit.ActionUpdate, Entity: "person", EntityID: id, Summary: after.FullName, Before: before, After: after})
	})
	return after, err
}

// DeletePerson removes a person who has no user account; one with an account
// is kept (mark them inactive instead) so the trail keeps its meaning.
func (s *Service) DeletePerson(ctx context.Context, a auth.Actor, id int64, version int) error {
	if err := a.Require(auth.PermOrgManage); err != nil {
		return err
	}
	now := s.Clock.Now()
	return s.DB.Tx(ctx, func(tx *sql.Tx) error {
		before, err := getPerson(ctx, tx, a.Tenant, id)
		if err != nil {
			return err
		}
		if before.Version != version {
			return apperr.Stale()
		}
		var users int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM users WHERE tenant_id = $1 AND person_id = $2`, a.Tenant, id).Scan(&users); err != nil {
			return fmt.Errorf("cannot check person's account: %w", err)
		}
		if users > 0 {
			return apperr.Conflict("person.error.has_user")
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM people WHERE tenant_id = $1 AND id = $2`, a.Tenant, id); err != nil {
			return fmt.Errorf("cannot delete person: %w", err)
		}
		return audit.Record(ctx, tx, now, audit.Event{Tenant: a.Tenant, Actor: a.Audit(), Action: audit.ActionDelete, Entity: "person", EntityID: id, Summary: before.FullName, Before: before})
	})
}

// Counts is a summary of the institution for its home page.
type Counts struct {
	Units, People, Users, Events int
}

// Counts returns the institution's totals.
func (s *Service) Counts(ctx context.Context, a auth.Actor) (Counts, error) {
	var c Counts
	err := s.DB.R.QueryRowContext(ctx, `SELECT
		(SELECT COUNT(*) FROM units WHERE tenant_id = $1),
		(SELECT COUNT(*) FROM people WHERE tenant_id = $1 AND active),
		(SELECT COUNT(*) FROM users WHERE tenant_id = $1 AND NOT disabled),
		(SELECT COUNT(*) FROM audit_events WHERE tenant_id = $1)`, a.Tenant).Scan(&c.Units, &c.People, &c.Users, &c.Events)
	if err != nil {
		return c, fmt.Errorf("cannot count institution records: %w", err)
	}
	return c, nil
}
