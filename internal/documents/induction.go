package documents

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"

	"cadran/internal/auth"
)

// InductionDoc is a document a new employee's induction plan lists: the
// quality policy, the quality manual, or a procedure of their unit, in its
// version in force.
type InductionDoc struct {
	DocumentID int64
	VersionID  int64
	Kind       string // KindPolicy, KindManual, KindSystem or KindOperational
	Code       string
	Title      string
	// Acknowledged reports whether the person already confirmed reading
	// the version in force.
	Acknowledged bool
}

// IssueForInduction gives a new employee the documents every employee must
// read (the quality policy and the quality manual in force, whoever their
// distribution list names) and the procedures in force distributed to
// their unit or a unit above it: a receipt with a copy number and a task to
// confirm reading each, unless they already have one. It returns those
// documents, policy first, then the manual, then the procedures, by code.
// The training module calls it inside the transaction that starts the
// induction plan.
func (s *Service) IssueForInduction(ctx context.Context, tx *sql.Tx, a auth.Actor, personID, unitID int64) ([]InductionDoc, error) {
	var unit sql.NullInt64
	err := tx.QueryRowContext(ctx, `SELECT unit_id FROM people WHERE tenant_id = $1 AND id = $2`, a.Tenant, personID).Scan(&unit)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("cannot issue induction documents: person %d is not of institution %d", personID, a.Tenant)
	}
	if err != nil {
		return nil, fmt.Errorf("cannot issue induction documents: %w", err)
	}
	// Every employee reads the policy and the manual.
	rows, err := tx.QueryContext(ctx, `SELECT d.id FROM documents d JOIN document_versions v ON v.id = d.current_id
		WHERE d.tenant_id = $1 AND v.state = $2 AND d.kind IN ($3, $4)`, a.Tenant, StateInForce, KindPolicy, KindManual)
	if err != nil {
		return nil, fmt.Errorf("cannot find the quality policy and manual: %w", err)
	}
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return nil, fmt.Errorf("cannot find the quality policy and manual: %w", err)
		}
		ids = append(ids, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("cannot find the quality policy and manual: %w", err)
	}
	// The unit's documents, as PersonPlaced resolves them.
	if unitID != 0 {
		more, err := unitDocuments(ctx, tx, a.Tenant, unitID)
		if err != nil {
			return nil, err
		}
		ids = append(ids, more...)
	}
	now := s.Clock.Now()
	var out []InductionDoc
	seen := map[int64]bool{}
	for _, id := range ids {
		if seen[id] {
			continue
		}
		seen[id] = true
		d, err := getDocument(ctx, tx, a.Tenant, id)
		if err != nil {
			return nil, err
		}
		whole := d.Kind == KindPolicy || d.Kind == KindManual
		if !whole && !Procedural(d.Kind) {
			continue
		}
		v, err := getVersion(ctx, tx, a.Tenant, d.CurrentID)
		if err != nil {
			return nil, err
		}
		// The distribution list first, with its purpose; the policy and the
		// manual then reach whoever it does not name.
		if err := s.distribute(ctx, tx, a, d, v, personID, now); err != nil {
			return nil, err
		}
		if whole {
			if err := s.issue(ctx, tx, a, d, v, []receiver{{person: personID, purpose: PurposeApply, unit: unit.Int64}}, now); err != nil {
				return nil, err
			}
		}
		var ack sql.NullTime
		err = tx.QueryRowContext(ctx, `SELECT acknowledged_at FROM document_receipts WHERE tenant_id = $1 AND version_id = $2 AND person_id = $3`,
			a.Tenant, v.ID, personID).Scan(&ack)
		if errors.Is(err, sql.ErrNoRows) {
			continue // a procedure of the unit whose list does not reach them after all
		}
		if err != nil {
			return nil, fmt.Errorf("cannot read receipt: %w", err)
		}
		out = append(out, InductionDoc{DocumentID: d.ID, VersionID: v.ID, Kind: d.Kind, Code: d.Code, Title: d.Title, Acknowledged: ack.Valid})
	}
	order := func(kind string) int {
		switch kind {
		case KindPolicy:
			return 0
		case KindManual:
			return 1
		}
		return 2
	}
	slices.SortStableFunc(out, func(x, y InductionDoc) int {
		if o := order(x.Kind) - order(y.Kind); o != 0 {
			return o
		}
		return compareCodes(x.Code, y.Code)
	})
	return out, nil
}

// compareCodes orders document codes as the register does.
func compareCodes(x, y string) int {
	sx, sy := sortCode(x), sortCode(y)
	switch {
	case sx < sy:
		return -1
	case sx > sy:
		return 1
	}
	return 0
}
