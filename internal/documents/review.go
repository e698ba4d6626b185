package documents

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"cadran/internal/apperr"
	"cadran/internal/audit"
	"cadran/internal/auth"
	"cadran/internal/textutil"
	"cadran/internal/work"
)

// Review outcomes.
const (
	ReviewUnchanged = "unchanged" // still fit for purpose
	ReviewRevise    = "revise"    // a revision is opened
)

// ReviewInput records a periodic review.
type ReviewInput struct {
	Outcome string
	Note    string
	Version int
}

// Review is a recorded periodic review.
type Review struct {
	ID         int64
	Outcome    string
	Note       string
	ReviewedOn string
	Name       string
	CreatedAt  time.Time
}

// scheduleReview keeps one open review task per document in force, for its
// owner (or, without one, the head of its unit), due on its review day.
func (s *Service) scheduleReview(ctx context.Context, tx *sql.Tx, a auth.Actor, d Document) error {
	if _, err := s.Work.Close(ctx, tx, a, work.Selector{Ref: documentRef(d.ID), Kind: work.KindAct}, work.StateCancelled); err != nil {
		return err
	}
	t, ok := reviewTask(d)
	if !ok {
		return nil
	}
	_, err := s.Work.Assign(ctx, tx, a, t)
	return err
}

// reviewTask is the task of d's next periodic review, for its owner (or the
// head of its unit, or the quality office); none when no review is due.
func reviewTask(d Document) (work.NewTask, bool) {
	if d.NextReviewOn == "" || d.CurrentID == 0 {
		return work.NewTask{}, false
	}
	due, err := time.Parse(time.DateOnly, d.NextReviewOn)
	if err != nil {
		return work.NewTask{}, false
	}
	as := work.Assignee{PersonID: d.OwnerID}
	if d.OwnerID == 0 {
		if d.UnitID == 0 {
			as = work.Assignee{Role: auth.RoleQualityManager}
		} else {
			as = work.Assignee{Role: auth.RoleHeadOfUnit, UnitID: d.UnitID}
		}
	}
	return work.NewTask{Ref: documentRef(d.ID), Kind: work.KindAct, Title: d.Code + " " + d.Title,
		Details: "review", Link: fmt.Sprintf("/documents/%d#review", d.ID), Assignee: as, Due: due}, true
}

// MayReview reports whether a records reviews of d: its owner, or an editor.
func (s *Service) MayReview(ctx context.Context, a auth.Actor, d Document) (bool, error) {
	if a.PersonID != 0 && a.PersonID == d.OwnerID {
		return true, nil
	}
	return s.mayEdit(ctx, s.DB.R, a, d.UnitID)
}

// RecordReview records a periodic review of a document in force and sets
// the next one; "revise" also opens a revision with the note as its reason.
func (s *Service) RecordReview(ctx context.Context, a auth.Actor, docID int64, in ReviewInput) (Document, error) {
	in.Note = strings.TrimSpace(textutil.CleanText(in.Note))
	bad := apperr.Validation{}
	if !slices.Contains([]string{ReviewUnchanged, ReviewRevise}, in.Outcome) {
		bad.Add("outcome", "error.choice")
	}
	if utf8.RuneCountInString(in.Note) > MaxReason {
		bad.Add("note", "error.too_long")
	}
	if in.Outcome == ReviewRevise && in.Note == "" {
		bad.Add("note", "documents.error.reason_required")
	}
	if err := bad.Err(); err != nil {
		return Document{}, err
	}
	now := s.Clock.Now()
	today := work.Day(now).Format(time.DateOnly)
	var out Document
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		d, err := getDocument(ctx, tx, a.Tenant, docID)
		if err != nil {
			return err
		}
		if ok, err := s.MayReview(ctx, a, d); err != nil {
			return err
		} else if !ok {
			return apperr.Forbidden("documents.review")
		}
		if d.Version != in.Version {
			return apperr.Stale()
		}
		if d.State != StateInForce {
			return apperr.Conflict("documents.error.not_in_force")
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO document_reviews (tenant_id, document_id, outcome, note, reviewed_on, user_id, name, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, a.Tenant, d.ID, in.Outcome, in.Note, today, a.UserID, a.Name, now); err != nil {
			return fmt.Errorf("cannot record review: %w", err)
		}
		next := addMonths(today, d.ReviewMonths)
		if _, err := tx.ExecContext(ctx, `UPDATE documents SET last_reviewed_on = $1, next_review_on = $2, updated_at = $3, version = version + 1 WHERE id = $4`,
			today, next, now, d.ID); err != nil {
			return fmt.Errorf("cannot record review: %w", err)
		}
		if _, err := s.Work.Close(ctx, tx, a, work.Selector{Ref: documentRef(d.ID), Kind: work.KindAct}, work.StateDone); err != nil {
			return err
		}
		if out, err = getDocument(ctx, tx, a.Tenant, d.ID); err != nil {
			return err
		}
		if err := s.scheduleReview(ctx, tx, a, out); err != nil {
			return err
		}
		if err := audit.Record(ctx, tx, now, audit.Event{Tenant: a.Tenant, Actor: a.Audit(), Action: audit.ActionCreate, Entity: "document_review", EntityID: d.ID,
			Summary: d.Code + ": " + in.Outcome, Before: map[string]string{"next_review_on": d.NextReviewOn}, After: map[string]string{"outcome": in.Outcome, "note": in.Note, "next_review_on": next}}); err != nil {
			return err
		}
		if in.Outcome == ReviewRevise {
			if _, err := s.newVersion(ctx, tx, a, d.ID, NewVersionInput{Reason: in.Note}, now); err != nil {
				return err
			}
			out, err = getDocument(ctx, tx, a.Tenant, d.ID)
			return err
		}
		return nil
	})
	return out, err
}

// Reviews lists a document's recorded reviews, newest first.
func (s *Service) Reviews(ctx context.Context, a auth.Actor, docID int64) ([]Review, error) {
	if _, err := s.Document(ctx, a, docID); err != nil {
		return nil, err
	}
	rows, err := s.DB.R.QueryContext(ctx, `SELECT id, outcome, note, reviewed_on, name, created_at FROM document_reviews WHERE tenant_id = $1 AND document_id = $2 ORDER BY id DESC`, a.Tenant, docID)
	if err != nil {
		return nil, fmt.Errorf("cannot read reviews: %w", err)
	}
	defer rows.Close()
	var out []Review
	for rows.Next() {
		var r Review
		if err := rows.Scan(&r.ID, &r.Outcome, &r.Note, &r.ReviewedOn, &r.Name, &r.CreatedAt); err != nil {
			return nil, fmt.Errorf("cannot read reviews: %w", err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}
