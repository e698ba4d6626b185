package documents

import (
	"context"
	"fmt"
	"strings"
	"time"

	"cadran/internal/auth"
	"cadran/internal/db"
	"cadran/internal/textutil"
	"cadran/internal/work"
)

// Filter narrows the master list of documents.
type Filter struct {
	Query  string // code or title, diacritics ignored
	Kind   string
	UnitID int64
	State  string
	// Review: "due" lists documents whose periodic review is due or overdue.
	Review string
	Sort   string // code, title, kind, unit, state, effective, review, updated; "-" reverses
	Limit  int
	Offset int
}

var docSorts = map[string]string{
	"code":      "d.sort_code",
	"title":     "d.sort_title",
	"kind":      "d.kind",
	"unit":      "COALESCE(u.sort_name, '')",
	"state":     "d.state",
	"effective": "d.effective_on",
	"review":    "d.next_review_on",
	"updated":   "d.updated_at",
}

// Sorts lists the accepted sort keys.
func Sorts() []string {
	return []string{"code", "title", "kind", "unit", "state", "effective", "review", "updated"}
}

// List returns the master list of documents matching f and the total count.
func (s *Service) List(ctx context.Context, a auth.Actor, f Filter) ([]Document, int, error) {
	if err := a.Require(auth.PermDocsView); err != nil {
		return nil, 0, err
	}
	where := ` WHERE d.tenant_id = $1` + visible(a)
	args := []any{a.Tenant}
	if q := textutil.Fold(strings.TrimSpace(f.Query)); q != "" {
		args = append(args, db.LikePattern(q))
		where += fmt.Sprintf(` AND d.search_text LIKE $%d ESCAPE '\'`, len(args))
	}
	if f.Kind != "" {
		args = append(args, f.Kind)
		where += fmt.Sprintf(` AND d.kind = $%d`, len(args))
	}
	if f.UnitID != 0 {
		args = append(args, f.UnitID)
		where += fmt.Sprintf(` AND d.unit_id IN (WITH RECURSIVE sub(id) AS (SELECT id FROM units WHERE tenant_id = $1 AND id = $%d
			UNION ALL SELECT u2.id FROM units u2 JOIN sub ON u2.parent_id = sub.id WHERE u2.tenant_id = $1) SELECT id FROM sub)`, len(args))
	}
	if f.State != "" {
		args = append(args, f.State)
		where += fmt.Sprintf(` AND d.state = $%d`, len(args))
	}
	if f.Review == "due" {
		args = append(args, work.Day(s.Clock.Now()).Format(time.DateOnly), StateInForce)
		where += fmt.Sprintf(` AND d.next_review_on <> '' AND d.next_review_on <= $%d AND d.state = $%d`, len(args)-1, len(args))
	}
	var total int
	if err := s.DB.R.QueryRowContext(ctx, `SELECT COUNT(*) FROM documents d`+where, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("cannot count documents: %w", err)
	}
	page, args := db.OrderPage(docSorts, f.Sort, "code", "d.sort_code, d.id", f.Limit, f.Offset, args)
	rows, err := s.DB.R.QueryContext(ctx, `SELECT `+docColumns+docFrom+where+page, args...)
	if err != nil {
		return nil, 0, fmt.Errorf("cannot list documents: %w", err)
	}
	defer rows.Close()
	var out []Document
	for rows.Next() {
		d, err := scanDocument(rows)
		if err != nil {
			return nil, 0, fmt.Errorf("cannot list documents: %w", err)
		}
		out = append(out, d)
	}
	return out, total, rows.Err()
}

// Counts summarise the register for the documents page.
type Counts struct {
	InForce   int
	Pending   int
	ReviewDue int
	ToAckByMe int
	Withdrawn int
}

// Summary counts the actor's institution's documents by state.
func (s *Service) Summary(ctx context.Context, a auth.Actor) (Counts, error) {
	if err := a.Require(auth.PermDocsView); err != nil {
		return Counts{}, err
	}
	today := work.Day(s.Clock.Now()).Format(time.DateOnly)
	var c Counts
	err := s.DB.R.QueryRowContext(ctx, `SELECT
			COALESCE(SUM(CASE WHEN state = $2 THEN 1 ELSE 0 END), 0),
			COALESCE(SUM(CASE WHEN state IN ($3, $4, $5, $6, $7) THEN 1 ELSE 0 END), 0),
			COALESCE(SUM(CASE WHEN state = $2 AND next_review_on <> '' AND next_review_on <= $8 THEN 1 ELSE 0 END), 0),
			COALESCE(SUM(CASE WHEN state = $9 THEN 1 ELSE 0 END), 0)
		FROM documents d WHERE tenant_id = $1`+visible(a),
		a.Tenant, StateInForce, StateDraft, StateVerification, StateEndorsement, StateApproval, StateApproved, today, StateWithdrawn).
		Scan(&c.InForce, &c.Pending, &c.ReviewDue, &c.Withdrawn)
	if err != nil {
		return Counts{}, fmt.Errorf("cannot count documents: %w", err)
	}
	if a.PersonID != 0 {
		if err := s.DB.R.QueryRowContext(ctx, `SELECT COUNT(*) FROM document_receipts r JOIN document_versions v ON v.id = r.version_id
			WHERE r.tenant_id = $1 AND r.person_id = $2 AND r.acknowledged_at IS NULL AND v.state = $3`, a.Tenant, a.PersonID, StateInForce).Scan(&c.ToAckByMe); err != nil {
			return Counts{}, fmt.Errorf("cannot count documents: %w", err)
		}
	}
	return c, nil
}
