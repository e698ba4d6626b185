package documents

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"cadran/internal/apperr"
	"cadran/internal/audit"
	"cadran/internal/auth"
	"cadran/internal/db"
	"cadran/internal/textutil"
)

// DocumentInput is what a form gives to register a document or change its
// register entry.
type DocumentInput struct {
	Kind         string
	Code         string // empty: Cadran proposes the next code
	Title        string
	UnitID       int64
	OwnerID      int64
	ReviewMonths int // 0: the institution's default
	Version      int
}

// Validate checks and normalises the input.
func (in *DocumentInput) Validate() error {
	v := apperr.Validation{}
	in.Code = strings.ToUpper(textutil.Clean(in.Code))
	in.Title = textutil.Clean(in.Title)
	if !slices.Contains(Kinds, in.Kind) {
		v.Add("kind", "error.choice")
	}
	if utf8.RuneCountInString(in.Code) > MaxCode {
		v.Add("code", "error.too_long")
	} else if strings.ContainsAny(in.Code, " \t") {
		v.Add("code", "documents.error.code_spaces")
	}
	switch {
	case in.Title == "":
		v.Add("title", "error.required")
	case utf8.RuneCountInString(in.Title) > MaxTitle:
		v.Add("title", "error.too_long")
	}
	if in.ReviewMonths < 0 || in.ReviewMonths > 60 {
		v.Add("review_months", "documents.error.review_months")
	}
	return v.Err()
}

const docColumns = `d.id, d.tenant_id, d.kind, d.code, d.title, COALESCE(d.unit_id, 0), COALESCE(d.owner_id, 0), d.review_months,
	COALESCE(d.current_id, 0), COALESCE(d.latest_id, 0), d.state, d.effective_on, d.next_review_on, d.last_reviewed_on,
	d.created_at, d.updated_at, d.version, COALESCE(u.name, ''), COALESCE(p.full_name, ''),
	COALESCE(c.edition, l.edition, 0), COALESCE(c.revision, l.revision, 0), COALESCE(l.state, '')`

const docFrom = ` FROM documents d
	LEFT JOIN units u ON u.id = d.unit_id
	LEFT JOIN people p ON p.id = d.owner_id
	LEFT JOIN document_versions c ON c.id = d.current_id
	LEFT JOIN document_versions l ON l.id = d.latest_id`

func scanDocument(row interface{ Scan(...any) error }) (Document, error) {
	var d Document
	err := row.Scan(&d.ID, &d.Tenant, &d.Kind, &d.Code, &d.Title, &d.UnitID, &d.OwnerID, &d.ReviewMonths,
		&d.CurrentID, &d.LatestID, &d.State, &d.EffectiveOn, &d.NextReviewOn, &d.LastReviewedOn,
		&d.CreatedAt, &d.UpdatedAt, &d.Version, &d.UnitName, &d.OwnerName, &d.Edition, &d.Revision, &d.LatestState)
	if d.LatestState == d.State || d.LatestID == d.CurrentID {
		d.LatestState = ""
	}
	return d, err
}

func getDocument(ctx context.Context, q querier, tenant, id int64) (Document, error) {
	d, err := scanDocument(q.QueryRowContext(ctx, `SELECT `+docColumns+docFrom+` WHERE d.tenant_id = $1 AND d.id = $2`, tenant, id))
	if errors.Is(err, sql.ErrNoRows) {
		return Document{}, apperr.NotFound("document")
	}
	if err != nil {
		return Document{}, fmt.Errorf("cannot read document: %w", err)
	}
	return d, nil
}

// Document returns one document of the actor's institution. A document that
// was never in force is seen only by those who work on it.
func (s *Service) Document(ctx context.Context, a auth.Actor, id int64) (Document, error) {
	if err := a.Require(auth.PermDocsView); err != nil {
		return Document{}, err
	}
	d, err := getDocument(ctx, s.DB.R, a.Tenant, id)
	if err != nil {
		return Document{}, err
	}
	if d.CurrentID == 0 && !seesDrafts(a) {
		if ok, err := s.mayEdit(ctx, s.DB.R, a, d.UnitID); err != nil || !ok {
			latest, lerr := getVersion(ctx, s.DB.R, a.Tenant, d.LatestID)
			if err != nil || lerr != nil || !involved(a, latest) {
				return Document{}, apperr.NotFound("document")
			}
		}
	}
	return d, nil
}

// seesDrafts: the quality office and top management follow every document.
func seesDrafts(a auth.Actor) bool {
	return a.Can(auth.PermDocsManage) || a.HasRole(auth.RoleTopManagement)
}

// involved reports whether a is named on v: its author or one of its signers.
func involved(a auth.Actor, v Version) bool {
	return a.UserID != 0 && slices.Contains([]int64{v.AuthorID, v.VerifierID, v.EndorserID, v.ApproverID}, a.UserID)
}

// mayEdit reports whether a may draft documents owned by unit: the quality
// office anywhere, a head of unit within the units they lead.
func (s *Service) mayEdit(ctx context.Context, q querier, a auth.Actor, unit int64) (bool, error) {
	if a.Can(auth.PermDocsManage) {
		return true, nil
	}
	if !a.Can(auth.PermDocsEdit) || a.PersonID == 0 || unit == 0 {
		return false, nil
	}
	var n int
	err := q.QueryRowContext(ctx, `WITH RECURSIVE sub(id) AS (
			SELECT unit_id FROM people WHERE tenant_id = $1 AND id = $2 AND unit_id IS NOT NULL
			UNION ALL
			SELECT u.id FROM units u JOIN sub ON u.parent_id = sub.id WHERE u.tenant_id = $1)
		SELECT COUNT(*) FROM sub WHERE id = $3`, a.Tenant, a.PersonID, unit).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("cannot check the actor's units: %w", err)
	}
	return n > 0, nil
}

// MayEdit reports whether a may draft and register documents of unit.
func (s *Service) MayEdit(ctx context.Context, a auth.Actor, unit int64) (bool, error) {
	return s.mayEdit(ctx, s.DB.R, a, unit)
}

func (s *Service) checkRefs(ctx context.Context, q querier, tenant int64, in DocumentInput) error {
	v := apperr.Validation{}
	var n int
	if in.UnitID != 0 {
		if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM units WHERE tenant_id = $1 AND id = $2`, tenant, in.UnitID).Scan(&n); err != nil {
			return fmt.Errorf("cannot check unit: %w", err)
		}
		if n == 0 {
			v.Add("unit_id", "error.choice")
		}
	}
	if in.OwnerID != 0 {
		if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM people WHERE tenant_id = $1 AND id = $2 AND active`, tenant, in.OwnerID).Scan(&n); err != nil {
			return fmt.Errorf("cannot check owner: %w", err)
		}
		if n == 0 {
			v.Add("owner_id", "error.choice")
		}
	}
	return v.Err()
}

func searchKey(code, title string) string { return textutil.Fold(code + " " + title) }

// Create registers a document and opens its first draft, edition I
// revision 0, written in sections (or only registered, for an external
// document).
func (s *Service) Create(ctx context.Context, a auth.Actor, in DocumentInput) (Document, error) {
	if err := a.Require(auth.PermDocsEdit); err != nil {
		return Document{}, err
	}
	if err := in.Validate(); err != nil {
		return Document{}, err
	}
	now := s.Clock.Now()
	var d Document
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		if ok, err := s.mayEdit(ctx, tx, a, in.UnitID); err != nil {
			return err
		} else if !ok {
			if in.UnitID == 0 {
				return apperr.Validation{"unit_id": "error.required"}
			}
			return apperr.Forbidden(string(auth.PermDocsEdit))
		}
		if err := s.checkRefs(ctx, tx, a.Tenant, in); err != nil {
			return err
		}
		st, err := s.settings(ctx, tx, a.Tenant)
		if err != nil {
			return err
		}
		if in.ReviewMonths == 0 {
			in.ReviewMonths = st.ReviewMonths
		}
		if in.Code == "" {
			if in.Code, err = s.nextCode(ctx, tx, a.Tenant, in.Kind, in.UnitID); err != nil {
				return err
			}
		}
		var id int64
		err = tx.QueryRowContext(ctx, `INSERT INTO documents (tenant_id, kind, code, title, unit_id, owner_id, review_months, state, sort_code, sort_title, search_text, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12) RETURNING id`,
			a.Tenant, in.Kind, in.Code, in.Title, nullID(in.UnitID), nullID(in.OwnerID), in.ReviewMonths, StateDraft,
			sortCode(in.Code), textutil.Fold(in.Title), searchKey(in.Code, in.Title), now).Scan(&id)
		if db.IsUniqueViolation(err) {
			return apperr.Validation{"code": "documents.error.code_taken"}
		}
		if err != nil {
			return fmt.Errorf("cannot create document: %w", err)
		}
		source := SourceSections
		if in.Kind == KindExternal {
			source = SourceFile
		}
		vid, err := insertVersion(ctx, tx, a, id, 1, 0, source, "", now)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE documents SET latest_id = $1 WHERE id = $2`, vid, id); err != nil {
			return fmt.Errorf("cannot create document: %w", err)
		}
		if in.UnitID != 0 {
			if _, err := tx.ExecContext(ctx, `INSERT INTO document_distribution (tenant_id, document_id, unit_id, purpose) VALUES ($1, $2, $3, $4)`,
				a.Tenant, id, in.UnitID, PurposeApply); err != nil {
				return fmt.Errorf("cannot create document: %w", err)
			}
		}
		if d, err = getDocument(ctx, tx, a.Tenant, id); err != nil {
			return err
		}
		if err := s.index(ctx, tx, a.Tenant, id); err != nil {
			return err
		}
		return audit.Record(ctx, tx, now, audit.Event{Tenant: a.Tenant, Actor: a.Audit(), Action: audit.ActionCreate, Entity: "document", EntityID: id, Summary: d.Code + " " + d.Title, After: d})
	})
	return d, err
}

// sortCode pads the numbers in a code so PO-DAS-10 sorts after PO-DAS-9.
func sortCode(code string) string {
	var b strings.Builder
	digits := ""
	flush := func() {
		if digits != "" {
			b.WriteString(strings.Repeat("0", max(0, 6-len(digits))))
			b.WriteString(digits)
			digits = ""
		}
	}
	for _, r := range strings.ToUpper(code) {
		if r >= '0' && r <= '9' {
			digits += string(r)
			continue
		}
		flush()
		b.WriteRune(r)
	}
	flush()
	return b.String()
}

// Update changes a document's register entry; a stale Version is refused.
// The code of a document that was ever in force does not change.
func (s *Service) Update(ctx context.Context, a auth.Actor, id int64, in DocumentInput) (Document, error) {
	if err := in.Validate(); err != nil {
		return Document{}, err
	}
	now := s.Clock.Now()
	var d Document
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		before, err := getDocument(ctx, tx, a.Tenant, id)
		if err != nil {
			return err
		}
		if err := s.requireEdit(ctx, tx, a, before.UnitID); err != nil {
			return err
		}
		if in.UnitID != before.UnitID {
			if err := s.requireEdit(ctx, tx, a, in.UnitID); err != nil {
				return err
			}
		}
		if before.Version != in.Version {
			return apperr.Stale()
		}
		if in.Code == "" {
			in.Code = before.Code
		}
		if in.Code != before.Code && before.CurrentID != 0 {
			return apperr.Validation{"code": "documents.error.code_fixed"}
		}
		if in.Kind != before.Kind && before.CurrentID != 0 {
			return apperr.Validation{"kind": "documents.error.kind_fixed"}
		}
		if in.ReviewMonths == 0 {
			in.ReviewMonths = before.ReviewMonths
		}
		if err := s.checkRefs(ctx, tx, a.Tenant, in); err != nil {
			return err
		}
		next := before.NextReviewOn
		if before.LastReviewedOn != "" || before.EffectiveOn != "" {
			from := before.LastReviewedOn
			if from == "" {
				from = before.EffectiveOn
			}
			next = addMonths(from, in.ReviewMonths)
		}
		res, err := tx.ExecContext(ctx, `UPDATE documents SET kind = $1, code = $2, title = $3, unit_id = $4, owner_id = $5, review_months = $6,
			next_review_on = $7, sort_code = $8, sort_title = $9, search_text = $10, updated_at = $11, version = version + 1
			WHERE tenant_id = $12 AND id = $13 AND version = $14`,
			in.Kind, in.Code, in.Title, nullID(in.UnitID), nullID(in.OwnerID), in.ReviewMonths, next, sortCode(in.Code), textutil.Fold(in.Title),
			searchKey(in.Code, in.Title), now, a.Tenant, id, in.Version)
		if db.IsUniqueViolation(err) {
			return apperr.Validation{"code": "documents.error.code_taken"}
		}
		if err != nil {
			return fmt.Errorf("cannot update document: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return apperr.Stale()
		}
		if d, err = getDocument(ctx, tx, a.Tenant, id); err != nil {
			return err
		}
		if next != before.NextReviewOn || in.OwnerID != before.OwnerID {
			if err := s.scheduleReview(ctx, tx, a, d); err != nil {
				return err
			}
		}
		if err := s.index(ctx, tx, a.Tenant, id); err != nil {
			return err
		}
		return audit.Record(ctx, tx, now, audit.Event{Tenant: a.Tenant, Actor: a.Audit(), Action: audit.ActionUpdate, Entity: "document", EntityID: id, Summary: d.Code + " " + d.Title, Before: before, After: d})
	})
	return d, err
}

func (s *Service) requireEdit(ctx context.Context, q querier, a auth.Actor, unit int64) error {
	ok, err := s.mayEdit(ctx, q, a, unit)
	if err != nil {
		return err
	}
	if !ok {
		return apperr.Forbidden(string(auth.PermDocsEdit))
	}
	return nil
}

func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}
