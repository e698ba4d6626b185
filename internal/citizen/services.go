package citizen

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
	"cadran/internal/textutil"
)

// Limits of the catalogue form.
const (
	MaxServiceCode  = 20
	MaxServiceName  = 200
	MaxServiceShort = 500  // legal basis, fee
	MaxServiceText  = 8000 // description, documents
	MaxLegalDays    = 365
)

// Field names of the catalogue form, as its error summary names them.
const (
	FieldServiceCode         = "citizen_service_code"
	FieldServiceName         = "citizen_service_name"
	FieldServiceDescription  = "citizen_service_description"
	FieldServiceUnit         = "citizen_service_unit_id"
	FieldServiceLegalDays    = "citizen_service_legal_days"
	FieldServiceLegalBasis   = "citizen_service_legal_basis"
	FieldServiceDocuments    = "citizen_service_documents"
	FieldServiceFee          = "citizen_service_fee"
	FieldServiceBaselineFrom = "citizen_service_baseline_from"
	FieldServiceBaselineTo   = "citizen_service_baseline_to"
)

// stQuerier is what the catalogue and the indicators read through: the
// reader pool or a transaction.
type stQuerier interface {
	QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row
}

// PublicServiceInput is what the catalogue form gives.
type PublicServiceInput struct {
	Code                     string
	Name                     string
	Description              string
	UnitID                   int64
	LegalDays                int
	LegalBasis               string
	Documents                string
	Fee                      string
	Active                   bool
	BaselineFrom, BaselineTo time.Time
	Version                  int
}

// Validate checks the input on its own and normalises it: the code is
// upper-cased, texts are cleaned. The code's uniqueness and the unit's
// institution are checked when saving.
func (in *PublicServiceInput) Validate() error {
	v := apperr.Validation{}
	in.Code = strings.ToUpper(strings.TrimSpace(in.Code))
	in.Name = textutil.Clean(in.Name)
	in.LegalBasis = textutil.Clean(in.LegalBasis)
	in.Fee = textutil.Clean(in.Fee)
	in.Description = textutil.CleanText(in.Description)
	in.Documents = textutil.CleanText(in.Documents)
	switch {
	case in.Code == "":
		v.Add(FieldServiceCode, "error.required")
	case len(in.Code) > MaxServiceCode:
		v.Add(FieldServiceCode, "error.too_long")
	case !stValidCode(in.Code):
		v.Add(FieldServiceCode, "citizen.stats.error.code")
	}
	switch {
	case in.Name == "":
		v.Add(FieldServiceName, "error.required")
	case utf8.RuneCountInString(in.Name) > MaxServiceName:
		v.Add(FieldServiceName, "error.too_long")
	}
	if in.UnitID <= 0 {
		v.Add(FieldServiceUnit, "error.required")
	}
	if in.LegalDays < 1 || in.LegalDays > MaxLegalDays {
		v.Add(FieldServiceLegalDays, "citizen.stats.error.legal_days")
	}
	if utf8.RuneCountInString(in.LegalBasis) > MaxServiceShort {
		v.Add(FieldServiceLegalBasis, "error.too_long")
	}
	if utf8.RuneCountInString(in.Fee) > MaxServiceShort {
		v.Add(FieldServiceFee, "error.too_long")
	}
	if utf8.RuneCountInString(in.Description) > MaxServiceText {
		v.Add(FieldServiceDescription, "error.too_long")
	}
	if utf8.RuneCountInString(in.Documents) > MaxServiceText {
		v.Add(FieldServiceDocuments, "error.too_long")
	}
	in.BaselineFrom, in.BaselineTo = stDay(in.BaselineFrom), stDay(in.BaselineTo)
	switch {
	case in.BaselineFrom.IsZero() != in.BaselineTo.IsZero():
		if in.BaselineFrom.IsZero() {
			v.Add(FieldServiceBaselineFrom, "citizen.stats.error.baseline_both")
		} else {
			v.Add(FieldServiceBaselineTo, "citizen.stats.error.baseline_both")
		}
	case in.BaselineTo.Before(in.BaselineFrom):
		v.Add(FieldServiceBaselineTo, "citizen.stats.error.baseline_order")
	}
	return v.Err()
}

// stValidCode: capital letters A-Z, digits and dashes, starting with a
// letter or digit (the code goes into the public links).
func stValidCode(c string) bool {
	for i, r := range c {
		switch {
		case r >= 'A' && r <= 'Z', r >= '0' && r <= '9':
		case r == '-' && i > 0:
		default:
			return false
		}
	}
	return c != ""
}

// stDay drops the time of a date picked by a person.
func stDay(t time.Time) time.Time {
	if t.IsZero() {
		return time.Time{}
	}
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// stDate writes a day as stored; zero is "".
func stDate(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(time.DateOnly)
}

// stParseDate reads a stored day; "" is zero.
func stParseDate(s string) time.Time {
	if s == "" {
		return time.Time{}
	}
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return time.Time{}
	}
	return t
}

// DocumentList is the required documents, one per line, blanks dropped.
func (p PublicService) DocumentList() []string {
	var out []string
	for _, l := range strings.Split(p.Documents, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

const stServiceColumns = `s.id, s.tenant_id, s.code, s.name, s.description, COALESCE(s.unit_id, 0), COALESCE(u.name, ''), s.legal_days, s.legal_basis,
	s.documents, s.fee, s.active, s.baseline_from, s.baseline_to, s.created_at, s.updated_at, s.version`

const stServiceFrom = ` FROM citizen_services s LEFT JOIN units u ON u.id = s.unit_id`

func stScanService(row interface{ Scan(...any) error }) (PublicService, error) {
	var p PublicService
	var from, to string
	err := row.Scan(&p.ID, &p.Tenant, &p.Code, &p.Name, &p.Description, &p.UnitID, &p.UnitName, &p.LegalDays, &p.LegalBasis,
		&p.Documents, &p.Fee, &p.Active, &from, &to, &p.CreatedAt, &p.UpdatedAt, &p.Version)
	p.BaselineFrom, p.BaselineTo = stParseDate(from), stParseDate(to)
	return p, err
}

func stServices(ctx context.Context, q stQuerier, tenant int64, activeOnly bool) ([]PublicService, error) {
	query := `SELECT ` + stServiceColumns + stServiceFrom + ` WHERE s.tenant_id = $1`
	if activeOnly {
		query += ` AND s.active`
	}
	rows, err := q.QueryContext(ctx, query+` ORDER BY s.code`, tenant)
	if err != nil {
		return nil, fmt.Errorf("cannot read the service catalogue: %w", err)
	}
	defer rows.Close()
	var out []PublicService
	for rows.Next() {
		p, err := stScanService(rows)
		if err != nil {
			return nil, fmt.Errorf("cannot read the service catalogue: %w", err)
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

func stService(ctx context.Context, q stQuerier, tenant, id int64) (PublicService, error) {
	p, err := stScanService(q.QueryRowContext(ctx, `SELECT `+stServiceColumns+stServiceFrom+` WHERE s.tenant_id = $1 AND s.id = $2`, tenant, id))
	if errors.Is(err, sql.ErrNoRows) {
		return PublicService{}, apperr.NotFound(EntityService)
	}
	if err != nil {
		return PublicService{}, fmt.Errorf("cannot read service: %w", err)
	}
	return p, nil
}

// PublicServices lists the catalogue (all, or only the active services).
func (s *Service) PublicServices(ctx context.Context, a auth.Actor, activeOnly bool) ([]PublicService, error) {
	if err := a.Require(auth.PermCitizenStats); err != nil {
		return nil, err
	}
	return stServices(ctx, s.DB.R, a.Tenant, activeOnly)
}

// CatalogueOf lists an institution's active services for its public page,
// with no one signed in.
func (s *Service) CatalogueOf(ctx context.Context, tenant int64) ([]PublicService, error) {
	return stServices(ctx, s.DB.R, tenant, true)
}

// ServiceByCode finds an active service of the catalogue by its code, for
// the public pages (not found when inactive).
func (s *Service) ServiceByCode(ctx context.Context, tenant int64, code string) (PublicService, error) {
	p, err := stScanService(s.DB.R.QueryRowContext(ctx, `SELECT `+stServiceColumns+stServiceFrom+` WHERE s.tenant_id = $1 AND s.code = $2 AND s.active`,
		tenant, strings.ToUpper(strings.TrimSpace(code))))
	if errors.Is(err, sql.ErrNoRows) {
		return PublicService{}, apperr.NotFound(EntityService)
	}
	if err != nil {
		return PublicService{}, fmt.Errorf("cannot read service: %w", err)
	}
	return p, nil
}

// PublicService reads one service of the catalogue.
func (s *Service) PublicService(ctx context.Context, a auth.Actor, id int64) (PublicService, error) {
	if err := a.Require(auth.PermCitizenStats); err != nil {
		return PublicService{}, err
	}
	return stService(ctx, s.DB.R, a.Tenant, id)
}

// stCheckService checks what needs the database: the unit is the
// institution's, the code is free (except for the service itself).
func stCheckService(ctx context.Context, q stQuerier, tenant, self int64, in PublicServiceInput) error {
	v := apperr.Validation{}
	var n int
	if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM units WHERE tenant_id = $1 AND id = $2`, tenant, in.UnitID).Scan(&n); err != nil {
		return fmt.Errorf("cannot check unit: %w", err)
	}
	if n == 0 {
		v.Add(FieldServiceUnit, "error.choice")
	}
	if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM citizen_services WHERE tenant_id = $1 AND code = $2 AND id <> $3`, tenant, in.Code, self).Scan(&n); err != nil {
		return fmt.Errorf("cannot check service code: %w", err)
	}
	if n > 0 {
		v.Add(FieldServiceCode, "citizen.stats.error.code_taken")
	}
	return v.Err()
}

func stNullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// CreatePublicService adds a service to the catalogue.
func (s *Service) CreatePublicService(ctx context.Context, a auth.Actor, in PublicServiceInput) (PublicService, error) {
	if err := a.Require(auth.PermCitizenManage); err != nil {
		return PublicService{}, err
	}
	if err := in.Validate(); err != nil {
		return PublicService{}, err
	}
	now := s.Clock.Now()
	var out PublicService
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		if err := stCheckService(ctx, tx, a.Tenant, 0, in); err != nil {
			return err
		}
		var id int64
		err := tx.QueryRowContext(ctx, `INSERT INTO citizen_services (tenant_id, code, name, description, unit_id, legal_days, legal_basis, documents, fee, active,
				baseline_from, baseline_to, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13) RETURNING id`,
			a.Tenant, in.Code, in.Name, in.Description, stNullID(in.UnitID), in.LegalDays, in.LegalBasis, in.Documents, in.Fee, in.Active,
			stDate(in.BaselineFrom), stDate(in.BaselineTo), now).Scan(&id)
		if db.IsUniqueViolation(err) {
			return apperr.Validation{FieldServiceCode: "citizen.stats.error.code_taken"}
		}
		if err != nil {
			return fmt.Errorf("cannot record service: %w", err)
		}
		if out, err = stService(ctx, tx, a.Tenant, id); err != nil {
			return err
		}
		return audit.Record(ctx, tx, now, audit.Event{Tenant: a.Tenant, Actor: a.Audit(), Action: audit.ActionCreate, Entity: EntityService, EntityID: id,
			Summary: out.Code + " " + out.Name, After: out})
	})
	return out, err
}

// UpdatePublicService changes a service of the catalogue; a stale Version
// is refused.
func (s *Service) UpdatePublicService(ctx context.Context, a auth.Actor, id int64, in PublicServiceInput) (PublicService, error) {
	if err := a.Require(auth.PermCitizenManage); err != nil {
		return PublicService{}, err
	}
	if err := in.Validate(); err != nil {
		return PublicService{}, err
	}
	now := s.Clock.Now()
	var out PublicService
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		before, err := stService(ctx, tx, a.Tenant, id)
		if err != nil {
			return err
		}
		if before.Version != in.Version {
			return apperr.Stale()
		}
		if err := stCheckService(ctx, tx, a.Tenant, id, in); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `UPDATE citizen_services SET code = $3, name = $4, description = $5, unit_id = $6, legal_days = $7, legal_basis = $8,
				documents = $9, fee = $10, active = $11, baseline_from = $12, baseline_to = $13, updated_at = $14, version = version + 1
			WHERE tenant_id = $1 AND id = $2 AND version = $15`,
			a.Tenant, id, in.Code, in.Name, in.Description, stNullID(in.UnitID), in.LegalDays, in.LegalBasis, in.Documents, in.Fee, in.Active,
			stDate(in.BaselineFrom), stDate(in.BaselineTo), now, in.Version)
		if db.IsUniqueViolation(err) {
			return apperr.Validation{FieldServiceCode: "citizen.stats.error.code_taken"}
		}
		if err != nil {
			return fmt.Errorf("cannot update service: %w", err)
		}
		if n, err := res.RowsAffected(); err != nil {
			return fmt.Errorf("cannot update service: %w", err)
		} else if n == 0 {
			return apperr.Stale()
		}
		if out, err = stService(ctx, tx, a.Tenant, id); err != nil {
			return err
		}
		return audit.Record(ctx, tx, now, audit.Event{Tenant: a.Tenant, Actor: a.Audit(), Action: audit.ActionUpdate, Entity: EntityService, EntityID: id,
			Summary: out.Code + " " + out.Name, Before: before, After: out})
	})
	return out, err
}
