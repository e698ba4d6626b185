package risks

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"cadran/internal/apperr"
	"cadran/internal/audit"
	"cadran/internal/auth"
	"cadran/internal/textutil"
	"cadran/internal/work"
)

// ReviewInput records a review of one risk.
type ReviewInput struct {
	ResidualP, ResidualI int
	// Measures is the status of the control measures, as the owner
	// describes it (column 12 of the register).
	Measures string
	Note     string
	Version  int
}

// Review is a recorded review of one risk.
type Review struct {
	ID                              int64
	ReviewedOn                      string
	ResidualP, ResidualI, ResidualE int
	Measures                        string
	Note                            string
	Name                            string
	CreatedAt                       time.Time
}

// RecordReview records a review of an active entry: its residual score and
// the state of its measures. The entry's residual score and review dates
// change, this review's task is done and the next one is handed out.
func (s *Service) RecordReview(ctx context.Context, a auth.Actor, riskID int64, in ReviewInput) (Risk, error) {
	in.Measures = strings.TrimSpace(textutil.CleanText(in.Measures))
	in.Note = strings.TrimSpace(textutil.CleanText(in.Note))
	now := s.Clock.Now()
	today := work.Day(now).Format(time.DateOnly)
	var out Risk
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		r, err := s.workableRisk(ctx, tx, a, riskID)
		if err != nil {
			return err
		}
		st, err := s.settings(ctx, tx, a.Tenant)
		if err != nil {
			return err
		}
		bad := apperr.Validation{}
		if in.ResidualP < 1 || in.ResidualP > r.Scale {
			bad.Add("risk_residual_p", "risks.error.level")
		}
		if in.ResidualI < 1 || in.ResidualI > r.Scale {
			bad.Add("risk_residual_i", "risks.error.level")
		}
		if utf8.RuneCountInString(in.Measures) > MaxText {
			bad.Add("risk_measures_status", "error.too_long")
		}
		if utf8.RuneCountInString(in.Note) > MaxText {
			bad.Add("note", "error.too_long")
		}
		if err := bad.Err(); err != nil {
			return err
		}
		if r.Scale != st.Scale {
			return apperr.Conflict("risks.error.rescore")
		}
		if r.Version != in.Version {
			return apperr.Stale()
		}
		e := Exposure(in.ResidualP, in.ResidualI)
		if _, err := tx.ExecContext(ctx, `INSERT INTO risk_reviews (tenant_id, risk_id, reviewed_on, residual_p, residual_i, residual_e, measures, note, user_id, name, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`, a.Tenant, riskID, today, in.ResidualP, in.ResidualI, e, in.Measures, in.Note, a.UserID, a.Name, now); err != nil {
			return fmt.Errorf("cannot record review: %w", err)
		}
		next := work.Day(now).AddDate(0, st.ReviewMonths, 0).Format(time.DateOnly)
		res, err := tx.ExecContext(ctx, `UPDATE risks SET residual_p = $1, residual_i = $2, residual_e = $3, cur_p = $1, cur_i = $2, cur_e = $3,
			last_review_on = $4, next_review_on = $5, updated_at = $6, version = version + 1 WHERE tenant_id = $7 AND id = $8 AND version = $9`,
			in.ResidualP, in.ResidualI, e, today, next, now, a.Tenant, riskID, in.Version)
		if err != nil {
			return fmt.Errorf("cannot record review: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return apperr.Stale()
		}
		if _, err := s.Work.Close(ctx, tx, a, work.Selector{Ref: riskRef(riskID), Kind: work.KindReport}, work.StateDone); err != nil {
			return err
		}
		if out, err = getRisk(ctx, tx, a.Tenant, riskID); err != nil {
			return err
		}
		if err := s.scheduleReview(ctx, tx, a, out); err != nil {
			return err
		}
		return audit.Record(ctx, tx, now, audit.Event{Tenant: a.Tenant, Actor: a.Audit(), Action: audit.ActionCreate, Entity: "risk_review", EntityID: riskID,
			Summary: fmt.Sprintf("%s: %d×%d=%d", r.Code, in.ResidualP, in.ResidualI, e),
			Before:  map[string]any{"residual_p": r.ResidualP, "residual_i": r.ResidualI, "next_review_on": r.NextReviewOn},
			After:   map[string]any{"residual_p": in.ResidualP, "residual_i": in.ResidualI, "measures": in.Measures, "note": in.Note, "next_review_on": next}})
	})
	return out, err
}

// Reviews lists a risk's recorded reviews, newest first.
func (s *Service) Reviews(ctx context.Context, a auth.Actor, riskID int64) ([]Review, error) {
	if _, err := s.Risk(ctx, a, riskID); err != nil {
		return nil, err
	}
	rows, err := s.DB.R.QueryContext(ctx, `SELECT id, reviewed_on, residual_p, residual_i, residual_e, measures, note, name, created_at
		FROM risk_reviews WHERE tenant_id = $1 AND risk_id = $2 ORDER BY id DESC`, a.Tenant, riskID)
	if err != nil {
		return nil, fmt.Errorf("cannot read reviews: %w", err)
	}
	defer rows.Close()
	var out []Review
	for rows.Next() {
		var r Review
		if err := rows.Scan(&r.ID, &r.ReviewedOn, &r.ResidualP, &r.ResidualI, &r.ResidualE, &r.Measures, &r.Note, &r.Name, &r.CreatedAt); err != nil {
			return nil, fmt.Errorf("cannot read reviews: %w", err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// RegisterReviewInput records a review of the register as a whole: the
// risk management team's periodic meeting, for the institution or a unit.
type RegisterReviewInput struct {
	Year       int
	UnitID     int64 // 0: the institution's register
	ReviewedOn string
	Conclusion string
}

// RegisterReview is a recorded review of the register.
type RegisterReview struct {
	ID         int64
	Year       int
	UnitID     int64
	UnitName   string
	ReviewedOn string
	Conclusion string
	Name       string
	CreatedAt  time.Time
}

// RecordRegisterReview records a review of a year's register, by the team
// (any scope) or a head of unit (the units they lead).
func (s *Service) RecordRegisterReview(ctx context.Context, a auth.Actor, in RegisterReviewInput) (RegisterReview, error) {
	if err := a.Require(auth.PermRisksView); err != nil {
		return RegisterReview{}, err
	}
	in.Conclusion = strings.TrimSpace(textutil.CleanText(in.Conclusion))
	in.ReviewedOn = strings.TrimSpace(in.ReviewedOn)
	now := s.Clock.Now()
	bad := apperr.Validation{}
	if in.Year < 2000 || in.Year > Year(now)+1 {
		bad.Add("risk_year", "error.range")
	}
	switch {
	case in.Conclusion == "":
		bad.Add("risk_conclusion", "error.required")
	case utf8.RuneCountInString(in.Conclusion) > MaxText:
		bad.Add("risk_conclusion", "error.too_long")
	}
	if in.ReviewedOn == "" {
		in.ReviewedOn = work.Day(now).Format(time.DateOnly)
	} else if d, err := time.Parse(time.DateOnly, in.ReviewedOn); err != nil {
		bad.Add("risk_reviewed_on", "error.date")
	} else if d.After(work.Day(now)) {
		bad.Add("risk_reviewed_on", "risks.error.future")
	}
	if err := bad.Err(); err != nil {
		return RegisterReview{}, err
	}
	var out RegisterReview
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		ok := a.Can(auth.PermRisksManage)
		if !ok && in.UnitID != 0 && a.HasRole(auth.RoleHeadOfUnit) {
			var err error
			if ok, err = inSubtree(ctx, tx, a, in.UnitID); err != nil {
				return err
			}
		}
		if !ok {
			return apperr.Forbidden(string(auth.PermRisksManage))
		}
		if err := checkRefs(ctx, tx, a.Tenant, in.UnitID, 0); err != nil {
			return err
		}
		if err := tx.QueryRowContext(ctx, `INSERT INTO risk_register_reviews (tenant_id, year, unit_id, reviewed_on, conclusion, user_id, name, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`, a.Tenant, in.Year, nullID(in.UnitID), in.ReviewedOn, in.Conclusion, a.UserID, a.Name, now).Scan(&out.ID); err != nil {
			return fmt.Errorf("cannot record register review: %w", err)
		}
		out = RegisterReview{ID: out.ID, Year: in.Year, UnitID: in.UnitID, ReviewedOn: in.ReviewedOn, Conclusion: in.Conclusion, Name: a.Name, CreatedAt: now}
		return audit.Record(ctx, tx, now, audit.Event{Tenant: a.Tenant, Actor: a.Audit(), Action: audit.ActionCreate, Entity: "risk_register_review", EntityID: out.ID,
			Summary: fmt.Sprintf("%d %s", in.Year, in.ReviewedOn), After: out})
	})
	return out, err
}

// RegisterReviews lists the reviews of a year's register, newest first.
func (s *Service) RegisterReviews(ctx context.Context, a auth.Actor, year int) ([]RegisterReview, error) {
	if err := a.Require(auth.PermRisksView); err != nil {
		return nil, err
	}
	rows, err := s.DB.R.QueryContext(ctx, `SELECT v.id, v.year, COALESCE(v.unit_id, 0), COALESCE(u.name, ''), v.reviewed_on, v.conclusion, v.name, v.created_at
		FROM risk_register_reviews v LEFT JOIN units u ON u.id = v.unit_id WHERE v.tenant_id = $1 AND v.year = $2 ORDER BY v.reviewed_on DESC, v.id DESC`, a.Tenant, year)
	if err != nil {
		return nil, fmt.Errorf("cannot read register reviews: %w", err)
	}
	defer rows.Close()
	var out []RegisterReview
	for rows.Next() {
		var r RegisterReview
		if err := rows.Scan(&r.ID, &r.Year, &r.UnitID, &r.UnitName, &r.ReviewedOn, &r.Conclusion, &r.Name, &r.CreatedAt); err != nil {
			return nil, fmt.Errorf("cannot read register reviews: %w", err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}
