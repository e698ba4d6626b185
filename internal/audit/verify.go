package audit

import (
	"context"
	"database/sql"
	"fmt"
)

// Break describes the first broken link found in an institution's chain.
type Break struct {
	Tenant int64
	Seq    int64
	Reason string
}

func (b *Break) Error() string {
	return fmt.Sprintf("institution %d: audit chain broken at event %d: %s", b.Tenant, b.Seq, b.Reason)
}

// Verify walks every institution's chain and returns the number of events
// checked and the first break, or nil when every chain is whole.
func Verify(ctx context.Context, q *sql.DB) (int, *Break, error) {
	rows, err := q.QueryContext(ctx, `SELECT tenant_id, seq, hash FROM audit_heads ORDER BY tenant_id`)
	if err != nil {
		return 0, nil, fmt.Errorf("cannot read audit chain heads: %w", err)
	}
	type head struct {
		tenant, seq int64
		hash        string
	}
	var heads []head
	for rows.Next() {
		var h head
		if err := rows.Scan(&h.tenant, &h.seq, &h.hash); err != nil {
			rows.Close()
			return 0, nil, err
		}
		heads = append(heads, h)
	}
	rows.Close()
	total := 0
	for _, h := range heads {
		n, brk, err := verifyTenant(ctx, q, h.tenant, h.seq, h.hash)
		total += n
		if err != nil || brk != nil {
			return total, brk, err
		}
	}
	// Events of an institution whose head row is gone are a break as well.
	var orphan sql.NullInt64
	if err := q.QueryRowContext(ctx, `SELECT MIN(e.tenant_id) FROM audit_events e LEFT JOIN audit_heads h ON h.tenant_id = e.tenant_id WHERE h.tenant_id IS NULL`).Scan(&orphan); err != nil {
		return total, nil, fmt.Errorf("cannot check audit chain heads: %w", err)
	}
	if orphan.Valid {
		return total, &Break{Tenant: orphan.Int64, Seq: 1, Reason: "the chain head is missing"}, nil
	}
	return total, nil, nil
}

func verifyTenant(ctx context.Context, q *sql.DB, tenant, headSeq int64, headHash string) (int, *Break, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+columns+` FROM audit_events WHERE tenant_id = $1 AND seq <= $2 ORDER BY seq`, tenant, headSeq)
	if err != nil {
		return 0, nil, fmt.Errorf("cannot read audit events: %w", err)
	}
	defer rows.Close()
	var prev string
	var want int64 = 1
	n := 0
	for rows.Next() {
		s, err := scan(rows)
		if err != nil {
			return n, nil, fmt.Errorf("cannot read audit event: %w", err)
		}
		n++
		switch {
		case s.Seq != want:
			return n, &Break{tenant, want, fmt.Sprintf("event %d is missing", want)}, nil
		case s.PrevHash != prev:
			return n, &Break{tenant, s.Seq, "it does not point to the event before it"}, nil
		case s.ComputeHash() != s.Hash:
			return n, &Break{tenant, s.Seq, "its content does not match its hash (it was altered)"}, nil
		}
		prev = s.Hash
		want++
	}
	if err := rows.Err(); err != nil {
		return n, nil, err
	}
	if want-1 != headSeq || prev != headHash {
		return n, &Break{tenant, want, "events after this point were removed"}, nil
	}
	return n, nil, nil
}
