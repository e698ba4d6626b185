package dashboard

import (
	"context"
	"fmt"
	"time"

	"cadran/internal/auth"
	"cadran/internal/documents"
)

// Awaiting is a document version in the approval workflow: the step it is
// at and the signer it waits for.
type Awaiting struct {
	DocumentID int64
	Code       string
	Title      string
	Edition    int
	Revision   int
	State      string // verification, endorsement, approval
	Signer     string // the user who signs next ("" when none is named)
	Since      string // YYYY-MM-DD: the version's last change
}

// Approvals lists the document versions waiting for a signature (verify,
// endorse or approve), the longest waiting first, and how many there are
// (the quality office, which manages every document).
func (s *Service) Approvals(ctx context.Context, a auth.Actor, limit int) ([]Awaiting, int, error) {
	if err := a.Require(auth.PermDocsManage); err != nil {
		return nil, 0, err
	}
	const from = ` FROM document_versions v JOIN documents d ON d.id = v.document_id AND d.tenant_id = v.tenant_id`
	const where = ` WHERE v.tenant_id = $1 AND v.state IN ($2, $3, $4)`
	args := []any{a.Tenant, documents.StateVerification, documents.StateEndorsement, documents.StateApproval}
	var total int
	if err := s.DB.R.QueryRowContext(ctx, `SELECT COUNT(*)`+from+where, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("cannot count the documents awaiting approval: %w", err)
	}
	if total == 0 {
		return nil, 0, nil
	}
	// The signer is the version's verifier, endorser or approver, by step.
	rows, err := s.DB.R.QueryContext(ctx, `SELECT d.id, d.code, d.title, v.edition, v.revision, v.state, COALESCE(u.display_name, ''), v.updated_at`+from+`
		LEFT JOIN users u ON u.tenant_id = v.tenant_id AND u.id = CASE v.state WHEN $2 THEN v.verifier_id WHEN $3 THEN v.endorser_id ELSE v.approver_id END`+where+`
		ORDER BY v.updated_at, d.sort_code LIMIT $5`, append(args, limit)...)
	if err != nil {
		return nil, 0, fmt.Errorf("cannot list the documents awaiting approval: %w", err)
	}
	defer rows.Close()
	var out []Awaiting
	for rows.Next() {
		var x Awaiting
		var since time.Time
		if err := rows.Scan(&x.DocumentID, &x.Code, &x.Title, &x.Edition, &x.Revision, &x.State, &x.Signer, &since); err != nil {
			return nil, 0, fmt.Errorf("cannot list the documents awaiting approval: %w", err)
		}
		x.Since = day(since)
		out = append(out, x)
	}
	return out, total, rows.Err()
}

// Unread is a document in force that people of the units have received
// and not yet confirmed reading.
type Unread struct {
	DocumentID int64
	Code       string
	Title      string
	People     []string // who has not confirmed, by name
	Missing    int      // how many have not confirmed
}

// Unacknowledged lists the documents in force distributed to the active
// people of units whose receipt someone has not confirmed, with who; and
// the number of receipts waiting. The caller has checked that the actor
// leads the units.
func (s *Service) Unacknowledged(ctx context.Context, a auth.Actor, units []int64, limit int) ([]Unread, int, error) {
	if err := a.Require(auth.PermDocsView); err != nil {
		return nil, 0, err
	}
	if len(units) == 0 {
		return nil, 0, nil
	}
	rows, err := s.DB.R.QueryContext(ctx, `SELECT d.id, d.code, d.title, p.full_name
		FROM document_receipts r
		JOIN document_versions v ON v.id = r.version_id AND v.tenant_id = r.tenant_id
		JOIN documents d ON d.id = v.document_id AND d.tenant_id = r.tenant_id
		JOIN people p ON p.id = r.person_id AND p.tenant_id = r.tenant_id
		WHERE r.tenant_id = $1 AND r.acknowledged_at IS NULL AND v.state = $2
			AND r.person_id IN (SELECT id FROM people WHERE tenant_id = $1 AND active AND unit_id IN (`+idList(units)+`))
		ORDER BY d.sort_code, d.id, p.sort_name`, a.Tenant, documents.StateInForce)
	if err != nil {
		return nil, 0, fmt.Errorf("cannot list the unconfirmed documents: %w", err)
	}
	defer rows.Close()
	var out []Unread
	total := 0
	for rows.Next() {
		var id int64
		var code, title, name string
		if err := rows.Scan(&id, &code, &title, &name); err != nil {
			return nil, 0, fmt.Errorf("cannot list the unconfirmed documents: %w", err)
		}
		total++
		if n := len(out); n == 0 || out[n-1].DocumentID != id {
			out = append(out, Unread{DocumentID: id, Code: code, Title: title})
		}
		u := &out[len(out)-1]
		u.Missing++
		u.People = append(u.People, name)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, err
	}
	if limit > 0 && len(out) > limit {
		out = out[:limit]
	}
	return out, total, nil
}
