package crosswalk

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"

	"cadran/internal/apperr"
	"cadran/internal/audit"
	"cadran/internal/auth"
	"cadran/internal/db"
)

type querier interface {
	QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row
}

// PairInput is what the add form gives: form fields cw_fw_a, cw_code_a,
// cw_fw_b, cw_code_b.
type PairInput struct {
	A, B Ref
}

// Validate checks that both sides are items of two different frameworks.
func (in *PairInput) Validate() error {
	in.A, in.B = ParseRef(in.A.FW, in.A.Code), ParseRef(in.B.FW, in.B.Code)
	v := apperr.Validation{}
	check := func(r Ref, fwField, codeField string) {
		switch {
		case !ValidFramework(r.FW):
			v.Add(fwField, "error.choice")
		case r.Code == "":
			v.Add(codeField, "error.required")
		case !r.Valid():
			v.Add(codeField, "crosswalk.error.unknown_code."+r.FW)
		}
	}
	check(in.A, "cw_fw_a", "cw_code_a")
	check(in.B, "cw_fw_b", "cw_code_b")
	if len(v) == 0 && in.A.FW == in.B.FW {
		v.Add("cw_fw_b", "crosswalk.error.same_framework")
	}
	return v.Err()
}

// seeded reports whether the institution's crosswalk was seeded.
func seeded(ctx context.Context, q querier, tenant int64) (bool, error) {
	var n int
	if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM crosswalk_settings WHERE tenant_id = $1`, tenant).Scan(&n); err != nil {
		return false, fmt.Errorf("cannot read the crosswalk's settings: %w", err)
	}
	return n > 0, nil
}

// ensure seeds the institution's crosswalk from the reference mapping the
// first time anyone reads it.
func (s *Service) ensure(ctx context.Context, a auth.Actor) error {
	ok, err := seeded(ctx, s.DB.R, a.Tenant)
	if err != nil || ok {
		return err
	}
	return s.Seed(ctx, a)
}

// Seed gives the institution the reference mapping, once: when the
// crosswalk was seeded before (even if every pair was removed since), it
// does nothing.
func (s *Service) Seed(ctx context.Context, a auth.Actor) error {
	now := s.Clock.Now()
	return s.DB.Tx(ctx, func(tx *sql.Tx) error {
		var t int64
		err := tx.QueryRowContext(ctx, `INSERT INTO crosswalk_settings (tenant_id, seeded_at, updated_at) VALUES ($1, $2, $2)
			ON CONFLICT (tenant_id) DO NOTHING RETURNING tenant_id`, a.Tenant, now).Scan(&t)
		if errors.Is(err, sql.ErrNoRows) {
			return nil // seeded meanwhile
		}
		if err != nil {
			return fmt.Errorf("cannot mark the crosswalk seeded: %w", err)
		}
		pairs, err := insertPairs(ctx, tx, a, DefaultPairs(), now)
		if err != nil {
			return err
		}
		return audit.Record(ctx, tx, now, audit.Event{Tenant: a.Tenant, Actor: a.Audit(), Action: audit.ActionCreate, Entity: EntityMapping, EntityID: a.Tenant,
			Summary: fmt.Sprintf("reference mapping: %d pairs", len(pairs)), After: pairs})
	})
}

func insertPairs(ctx context.Context, tx *sql.Tx, a auth.Actor, pairs []Pair, now any) ([]Pair, error) {
	out := make([]Pair, 0, len(pairs))
	for _, p := range pairs {
		if err := tx.QueryRowContext(ctx, `INSERT INTO crosswalk_pairs (tenant_id, fw_a, code_a, fw_b, code_b, created_by, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`, a.Tenant, p.A.FW, p.A.Code, p.B.FW, p.B.Code, a.Name, now).Scan(&p.ID); err != nil {
			return nil, fmt.Errorf("cannot record the crosswalk pair %s – %s: %w", p.A, p.B, err)
		}
		out = append(out, p)
	}
	return out, nil
}

func pairsOf(ctx context.Context, q querier, tenant int64) ([]Pair, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, fw_a, code_a, fw_b, code_b FROM crosswalk_pairs WHERE tenant_id = $1`, tenant)
	if err != nil {
		return nil, fmt.Errorf("cannot read the crosswalk: %w", err)
	}
	defer rows.Close()
	var out []Pair
	for rows.Next() {
		var p Pair
		if err := rows.Scan(&p.ID, &p.A.FW, &p.A.Code, &p.B.FW, &p.B.Code); err != nil {
			return nil, fmt.Errorf("cannot read the crosswalk: %w", err)
		}
		out = append(out, p)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("cannot read the crosswalk: %w", err)
	}
	sortPairs(out)
	return out, nil
}

func sortPairs(ps []Pair) {
	slices.SortFunc(ps, func(x, y Pair) int {
		if c := Compare(x.A, y.A); c != 0 {
			return c
		}
		return Compare(x.B, y.B)
	})
}

// Pairs lists the institution's crosswalk, seeding it on first use.
func (s *Service) Pairs(ctx context.Context, a auth.Actor) ([]Pair, error) {
	if err := a.Require(auth.PermComplianceView); err != nil {
		return nil, err
	}
	if err := s.ensure(ctx, a); err != nil {
		return nil, err
	}
	return pairsOf(ctx, s.DB.R, a.Tenant)
}

// AddPair maps two items of different frameworks to each other.
func (s *Service) AddPair(ctx context.Context, a auth.Actor, in PairInput) (Pair, error) {
	if err := a.Require(auth.PermComplianceEdit); err != nil {
		return Pair{}, err
	}
	if err := in.Validate(); err != nil {
		return Pair{}, err
	}
	if err := s.ensure(ctx, a); err != nil {
		return Pair{}, err
	}
	x, y := ordered(in.A, in.B)
	p := Pair{A: x, B: y}
	now := s.Clock.Now()
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM crosswalk_pairs WHERE tenant_id = $1 AND fw_a = $2 AND code_a = $3 AND fw_b = $4 AND code_b = $5`,
			a.Tenant, x.FW, x.Code, y.FW, y.Code).Scan(&n); err != nil {
			return fmt.Errorf("cannot read the crosswalk: %w", err)
		}
		if n > 0 {
			return apperr.Validation{"cw_code_b": "crosswalk.error.exists"}
		}
		ps, err := insertPairs(ctx, tx, a, []Pair{p}, now)
		if err != nil {
			if db.IsUniqueViolation(err) {
				return apperr.Validation{"cw_code_b": "crosswalk.error.exists"}
			}
			return err
		}
		p = ps[0]
		if err := touch(ctx, tx, a.Tenant, now); err != nil {
			return err
		}
		return audit.Record(ctx, tx, now, audit.Event{Tenant: a.Tenant, Actor: a.Audit(), Action: audit.ActionCreate, Entity: EntityPair, EntityID: p.ID,
			Summary: p.A.String() + " – " + p.B.String(), After: p})
	})
	return p, err
}

func touch(ctx context.Context, tx *sql.Tx, tenant int64, now any) error {
	if _, err := tx.ExecContext(ctx, `UPDATE crosswalk_settings SET updated_at = $2 WHERE tenant_id = $1`, tenant, now); err != nil {
		return fmt.Errorf("cannot update the crosswalk's settings: %w", err)
	}
	return nil
}

// RemovePair removes one pair; the audit trail keeps it.
func (s *Service) RemovePair(ctx context.Context, a auth.Actor, id int64) (Pair, error) {
	if err := a.Require(auth.PermComplianceEdit); err != nil {
		return Pair{}, err
	}
	now := s.Clock.Now()
	var p Pair
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, `SELECT id, fw_a, code_a, fw_b, code_b FROM crosswalk_pairs WHERE tenant_id = $1 AND id = $2`, a.Tenant, id).
			Scan(&p.ID, &p.A.FW, &p.A.Code, &p.B.FW, &p.B.Code)
		if errors.Is(err, sql.ErrNoRows) {
			return apperr.NotFound(EntityPair)
		}
		if err != nil {
			return fmt.Errorf("cannot read the crosswalk pair: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM crosswalk_pairs WHERE tenant_id = $1 AND id = $2`, a.Tenant, id); err != nil {
			return fmt.Errorf("cannot remove the crosswalk pair: %w", err)
		}
		if err := touch(ctx, tx, a.Tenant, now); err != nil {
			return err
		}
		return audit.Record(ctx, tx, now, audit.Event{Tenant: a.Tenant, Actor: a.Audit(), Action: audit.ActionDelete, Entity: EntityPair, EntityID: id,
			Summary: p.A.String() + " – " + p.B.String(), Before: p})
	})
	return p, err
}

// RestoreDefaults puts the reference mapping back in place of the
// institution's: pairs added by hand are removed, pairs removed come back.
// It returns how many pairs it added and removed.
func (s *Service) RestoreDefaults(ctx context.Context, a auth.Actor) (added, removed int, err error) {
	if err := a.Require(auth.PermComplianceEdit); err != nil {
		return 0, 0, err
	}
	if err := s.ensure(ctx, a); err != nil {
		return 0, 0, err
	}
	now := s.Clock.Now()
	err = s.DB.Tx(ctx, func(tx *sql.Tx) error {
		before, err := pairsOf(ctx, tx, a.Tenant)
		if err != nil {
			return err
		}
		want := map[[2]Ref]bool{}
		defaults := DefaultPairs()
		for _, p := range defaults {
			want[[2]Ref{p.A, p.B}] = true
		}
		have := map[[2]Ref]bool{}
		for _, p := range before {
			have[[2]Ref{p.A, p.B}] = true
			if !want[[2]Ref{p.A, p.B}] {
				if _, err := tx.ExecContext(ctx, `DELETE FROM crosswalk_pairs WHERE tenant_id = $1 AND id = $2`, a.Tenant, p.ID); err != nil {
					return fmt.Errorf("cannot remove the crosswalk pair: %w", err)
				}
				removed++
			}
		}
		var missing []Pair
		for _, p := range defaults {
			if !have[[2]Ref{p.A, p.B}] {
				missing = append(missing, p)
			}
		}
		if _, err := insertPairs(ctx, tx, a, missing, now); err != nil {
			return err
		}
		added = len(missing)
		if added+removed == 0 {
			return nil
		}
		if err := touch(ctx, tx, a.Tenant, now); err != nil {
			return err
		}
		after, err := pairsOf(ctx, tx, a.Tenant)
		if err != nil {
			return err
		}
		return audit.Record(ctx, tx, now, audit.Event{Tenant: a.Tenant, Actor: a.Audit(), Action: audit.ActionUpdate, Entity: EntityMapping, EntityID: a.Tenant,
			Summary: fmt.Sprintf("reference mapping restored: %d pairs added, %d removed", added, removed), Before: before, After: after})
	})
	return added, removed, err
}
