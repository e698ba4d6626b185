package compliance

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"cadran/internal/apperr"
	"cadran/internal/audit"
	"cadran/internal/auth"
	"cadran/internal/frameworks"
	"cadran/internal/textutil"
)

// ClauseStatus is the quality office's assessment of one clause.
type ClauseStatus struct {
	ID            int64     `json:"id,omitempty"`
	Clause        string    `json:"clause"`
	Status        string    `json:"status"`
	Justification string    `json:"justification,omitempty"`
	OwnerID       int64     `json:"owner_id,omitempty"`
	Notes         string    `json:"notes,omitempty"`
	AssessedAt    time.Time `json:"assessed_at"`
	AssessedName  string    `json:"assessed_name,omitempty"`
	Version       int       `json:"version"`

	// Filled in by reads.
	OwnerName string `json:"-"`
}

// Assessed reports whether the clause was ever assessed.
func (c ClauseStatus) Assessed() bool { return c.Status != StatusNotAssessed }

// Applicable reports whether the clause applies to the institution.
func (c ClauseStatus) Applicable() bool { return c.Status != StatusNotApplicable }

// StatusInput is what the clause's status form gives. Version is 0 for a
// clause never assessed.
type StatusInput struct {
	Status        string
	Justification string
	OwnerID       int64
	Notes         string
	Version       int
}

// Validate checks and normalises the input for clause code.
func (in *StatusInput) Validate(code string) error {
	v := apperr.Validation{}
	in.Justification = strings.TrimSpace(textutil.CleanText(in.Justification))
	in.Notes = strings.TrimSpace(textutil.CleanText(in.Notes))
	if !validStatus(in.Status) {
		v.Add("cmp_status", "error.choice")
	}
	if in.Status == StatusNotApplicable {
		switch {
		case !frameworks.MayExclude(code):
			v.Add("cmp_status", "compliance.error.not_excludable")
		case in.Justification == "":
			v.Add("cmp_justification", "compliance.error.justification")
		}
	}
	if tooLong(in.Justification, MaxText) {
		v.Add("cmp_justification", "error.too_long")
	}
	if tooLong(in.Notes, MaxText) {
		v.Add("note", "error.too_long")
	}
	return v.Err()
}

const statusColumns = `c.id, c.clause, c.status, c.justification, COALESCE(c.owner_id, 0), c.notes, c.assessed_at, c.assessed_name, c.version, COALESCE(p.full_name, '')`

const statusFrom = ` FROM compliance_clauses c LEFT JOIN people p ON p.id = c.owner_id`

func scanStatus(row interface{ Scan(...any) error }) (ClauseStatus, error) {
	var c ClauseStatus
	err := row.Scan(&c.ID, &c.Clause, &c.Status, &c.Justification, &c.OwnerID, &c.Notes, &c.AssessedAt, &c.AssessedName, &c.Version, &c.OwnerName)
	c.AssessedAt = c.AssessedAt.UTC()
	return c, err
}

// statuses reads the assessed clauses of a tenant by code; a clause absent
// from the map is not assessed.
func statuses(ctx context.Context, q querier, tenant int64) (map[string]ClauseStatus, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+statusColumns+statusFrom+` WHERE c.tenant_id = $1`, tenant)
	if err != nil {
		return nil, errRead("clause statuses", err)
	}
	defer rows.Close()
	out := map[string]ClauseStatus{}
	for rows.Next() {
		c, err := scanStatus(rows)
		if err != nil {
			return nil, errRead("clause statuses", err)
		}
		out[c.Clause] = c
	}
	return out, rows.Err()
}

func getStatus(ctx context.Context, q querier, tenant int64, code string) (ClauseStatus, error) {
	c, err := scanStatus(q.QueryRowContext(ctx, `SELECT `+statusColumns+statusFrom+` WHERE c.tenant_id = $1 AND c.clause = $2`, tenant, code))
	if errors.Is(err, sql.ErrNoRows) {
		return ClauseStatus{Clause: code, Status: StatusNotAssessed}, nil
	}
	if err != nil {
		return ClauseStatus{}, errRead("clause status", err)
	}
	return c, nil
}

// Status returns the assessment of one clause (not assessed when never
// set); an unknown clause is not found.
func (s *Service) Status(ctx context.Context, a auth.Actor, code string) (ClauseStatus, error) {
	if err := a.Require(auth.PermComplianceView); err != nil {
		return ClauseStatus{}, err
	}
	if !validClause(code) {
		return ClauseStatus{}, apperr.NotFound("clause")
	}
	return getStatus(ctx, s.DB.R, a.Tenant, code)
}

func checkPerson(ctx context.Context, q querier, tenant, id int64, field string) error {
	if id == 0 {
		return nil
	}
	var n int
	if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM people WHERE tenant_id = $1 AND id = $2 AND active`, tenant, id).Scan(&n); err != nil {
		return fmt.Errorf("cannot check person: %w", err)
	}
	if n == 0 {
		return apperr.Validation{field: "error.choice"}
	}
	return nil
}

// SetStatus records the assessment of a clause: its status, owner and
// notes, and for a clause not applicable the justification the scope gives.
// A stale Version is refused.
func (s *Service) SetStatus(ctx context.Context, a auth.Actor, code string, in StatusInput) (ClauseStatus, error) {
	if err := a.Require(auth.PermComplianceEdit); err != nil {
		return ClauseStatus{}, err
	}
	if !validClause(code) {
		return ClauseStatus{}, apperr.NotFound("clause")
	}
	if err := in.Validate(code); err != nil {
		return ClauseStatus{}, err
	}
	var out ClauseStatus
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		if err := checkPerson(ctx, tx, a.Tenant, in.OwnerID, "owner_id"); err != nil {
			return err
		}
		var err error
		out, err = s.setStatus(ctx, tx, a, code, in)
		return err
	})
	return out, err
}

// setStatus writes a validated assessment inside tx and audits it.
func (s *Service) setStatus(ctx context.Context, tx *sql.Tx, a auth.Actor, code string, in StatusInput) (ClauseStatus, error) {
	now := s.Clock.Now()
	before, err := getStatus(ctx, tx, a.Tenant, code)
	if err != nil {
		return ClauseStatus{}, err
	}
	if before.Version != in.Version {
		return ClauseStatus{}, apperr.Stale()
	}
	if in.Status != StatusNotApplicable {
		// The justification belongs to an exclusion only.
		in.Justification = ""
	}
	action := audit.ActionUpdate
	if before.ID == 0 {
		action = audit.ActionCreate
		_, err = tx.ExecContext(ctx, `INSERT INTO compliance_clauses (tenant_id, clause, status, justification, owner_id, notes, assessed_at, assessed_by, assessed_name, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $7)`, a.Tenant, code, in.Status, in.Justification, nullID(in.OwnerID), in.Notes, now, a.UserID, a.Name)
		if err != nil {
			return ClauseStatus{}, fmt.Errorf("cannot record clause status: %w", err)
		}
	} else {
		res, err := tx.ExecContext(ctx, `UPDATE compliance_clauses SET status = $1, justification = $2, owner_id = $3, notes = $4, assessed_at = $5, assessed_by = $6,
				assessed_name = $7, updated_at = $5, version = version + 1
			WHERE tenant_id = $8 AND clause = $9 AND version = $10`,
			in.Status, in.Justification, nullID(in.OwnerID), in.Notes, now, a.UserID, a.Name, a.Tenant, code, in.Version)
		if err != nil {
			return ClauseStatus{}, fmt.Errorf("cannot update clause status: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return ClauseStatus{}, apperr.Stale()
		}
	}
	out, err := getStatus(ctx, tx, a.Tenant, code)
	if err != nil {
		return ClauseStatus{}, err
	}
	ev := audit.Event{Tenant: a.Tenant, Actor: a.Audit(), Action: action, Entity: "compliance_clause", EntityID: out.ID,
		Summary: clauseLabel(code) + ": " + out.Status, After: out}
	if before.ID != 0 {
		ev.Before = before
	}
	return out, audit.Record(ctx, tx, now, ev)
}
