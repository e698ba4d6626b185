package improvement

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"unicode/utf8"

	"cadran/internal/apperr"
	"cadran/internal/audit"
	"cadran/internal/auth"
	"cadran/internal/textutil"
)

// Why is one step of the five whys: the question and its answer.
type Why struct {
	Why     string `json:"why"`
	Because string `json:"because"`
}

// Cause is one entry of the cause-and-effect grid.
type Cause struct {
	Category string `json:"category"`
	Cause    string `json:"cause"`
	Root     bool   `json:"root,omitempty"`
}

// Analysis is a case's root-cause analysis.
type Analysis struct {
	Whys       []Why   `json:"whys"`
	Causes     []Cause `json:"causes"`
	Conclusion string  `json:"conclusion"`
}

// Empty reports whether nothing was written yet.
func (an Analysis) Empty() bool {
	return len(an.Whys) == 0 && len(an.Causes) == 0 && an.Conclusion == ""
}

// ByCategory groups the grid's causes by category, in Categories order,
// for the page and the report.
func (an Analysis) ByCategory() []CategoryCauses {
	var out []CategoryCauses
	for _, c := range Categories {
		cc := CategoryCauses{Category: c}
		for _, x := range an.Causes {
			if x.Category == c {
				cc.Causes = append(cc.Causes, x)
			}
		}
		out = append(out, cc)
	}
	return out
}

// RootCauses are the causes marked as root causes.
func (an Analysis) RootCauses() []Cause {
	var out []Cause
	for _, c := range an.Causes {
		if c.Root {
			out = append(out, c)
		}
	}
	return out
}

// CategoryCauses are the causes of one category of the grid.
type CategoryCauses struct {
	Category string
	Causes   []Cause
}

// AnalysisInput is the root-cause form: the whys in order, the grid and the
// conclusion, with the case's version.
type AnalysisInput struct {
	Analysis
	Version int
}

// Validate drops empty rows, normalises the text and checks the limits.
// Errors name "whys", "causes" and "conclusion" (the first problem of each).
func (in *AnalysisInput) Validate() error {
	v := apperr.Validation{}
	var whys []Why
	for _, w := range in.Whys {
		w.Why, w.Because = textutil.Clean(w.Why), textutil.Clean(w.Because)
		if w.Why == "" && w.Because == "" {
			continue
		}
		field := "whys"
		switch {
		case w.Why == "":
			v.Add(field, "nc.error.why_question")
		case w.Because == "":
			v.Add(field, "nc.error.why_answer")
		case utf8.RuneCountInString(w.Why) > 1000 || utf8.RuneCountInString(w.Because) > 1000:
			v.Add(field, "error.too_long")
		}
		whys = append(whys, w)
	}
	if len(whys) > MaxWhys {
		v.Add("whys", "nc.error.too_many")
	}
	var causes []Cause
	for _, c := range in.Causes {
		c.Cause = textutil.Clean(c.Cause)
		if c.Cause == "" {
			continue
		}
		field := "causes"
		switch {
		case !slices.Contains(Categories, c.Category):
			v.Add(field, "error.choice")
		case utf8.RuneCountInString(c.Cause) > 1000:
			v.Add(field, "error.too_long")
		}
		causes = append(causes, c)
	}
	if len(causes) > MaxCauses {
		v.Add("causes", "nc.error.too_many")
	}
	in.Whys, in.Causes = whys, causes
	in.Conclusion = textutil.CleanText(in.Conclusion)
	if utf8.RuneCountInString(in.Conclusion) > MaxNote {
		v.Add("conclusion", "error.too_long")
	}
	return v.Err()
}

func analysis(ctx context.Context, q querier, tenant int64, n Nonconformity) (Analysis, error) {
	an := Analysis{Conclusion: n.Conclusion}
	rows, err := q.QueryContext(ctx, `SELECT why, because FROM nc_whys WHERE tenant_id = $1 AND nc_id = $2 ORDER BY position`, tenant, n.ID)
	if err != nil {
		return an, fmt.Errorf("cannot read analysis: %w", err)
	}
	for rows.Next() {
		var w Why
		if err := rows.Scan(&w.Why, &w.Because); err != nil {
			rows.Close()
			return an, fmt.Errorf("cannot read analysis: %w", err)
		}
		an.Whys = append(an.Whys, w)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return an, fmt.Errorf("cannot read analysis: %w", err)
	}
	rows, err = q.QueryContext(ctx, `SELECT category, cause, root FROM nc_causes WHERE tenant_id = $1 AND nc_id = $2 ORDER BY position, id`, tenant, n.ID)
	if err != nil {
		return an, fmt.Errorf("cannot read analysis: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var c Cause
		if err := rows.Scan(&c.Category, &c.Cause, &c.Root); err != nil {
			return an, fmt.Errorf("cannot read analysis: %w", err)
		}
		an.Causes = append(an.Causes, c)
	}
	return an, rows.Err()
}

// Analysis returns a case's root-cause analysis.
func (s *Service) Analysis(ctx context.Context, a auth.Actor, id int64) (Analysis, error) {
	n, err := s.Nonconformity(ctx, a, id)
	if err != nil {
		return Analysis{}, err
	}
	return analysis(ctx, s.DB.R, a.Tenant, n)
}

// SaveAnalysis replaces a case's root-cause analysis: the owner or the
// quality office, while the case is in analysis or its actions are carried
// out; a stale Version is refused.
func (s *Service) SaveAnalysis(ctx context.Context, a auth.Actor, id int64, in AnalysisInput) (Nonconformity, error) {
	if err := in.Validate(); err != nil {
		return Nonconformity{}, err
	}
	var out Nonconformity
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		var err error
		out, err = s.SaveAnalysisTx(ctx, tx, a, id, in)
		return err
	})
	return out, err
}

// SaveAnalysisTx is SaveAnalysis inside the caller's transaction.
func (s *Service) SaveAnalysisTx(ctx context.Context, tx *sql.Tx, a auth.Actor, id int64, in AnalysisInput) (Nonconformity, error) {
	if err := in.Validate(); err != nil {
		return Nonconformity{}, err
	}
	now := s.Clock.Now()
	var out Nonconformity
	err := func() error {
		n, err := getNC(ctx, tx, a.Tenant, id)
		if err != nil {
			return err
		}
		if !owns(a, n) {
			return apperr.Forbidden("nc.owner")
		}
		if n.State != StateAnalysis && n.State != StateActions {
			return apperr.Conflict("nc.error.not_in_analysis")
		}
		if n.Version != in.Version {
			return apperr.Stale()
		}
		before, err := analysis(ctx, tx, a.Tenant, n)
		if err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `UPDATE nonconformities SET conclusion = $1, updated_at = $2, version = version + 1 WHERE tenant_id = $3 AND id = $4 AND version = $5`,
			in.Conclusion, now, a.Tenant, id, in.Version)
		if err != nil {
			return fmt.Errorf("cannot save analysis: %w", err)
		}
		if k, _ := res.RowsAffected(); k == 0 {
			return apperr.Stale()
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM nc_whys WHERE tenant_id = $1 AND nc_id = $2`, a.Tenant, id); err != nil {
			return fmt.Errorf("cannot save analysis: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM nc_causes WHERE tenant_id = $1 AND nc_id = $2`, a.Tenant, id); err != nil {
			return fmt.Errorf("cannot save analysis: %w", err)
		}
		for i, w := range in.Whys {
			if _, err := tx.ExecContext(ctx, `INSERT INTO nc_whys (tenant_id, nc_id, position, why, because) VALUES ($1, $2, $3, $4, $5)`,
				a.Tenant, id, i+1, w.Why, w.Because); err != nil {
				return fmt.Errorf("cannot save analysis: %w", err)
			}
		}
		for i, c := range in.Causes {
			if _, err := tx.ExecContext(ctx, `INSERT INTO nc_causes (tenant_id, nc_id, category, cause, root, position) VALUES ($1, $2, $3, $4, $5, $6)`,
				a.Tenant, id, c.Category, c.Cause, c.Root, i+1); err != nil {
				return fmt.Errorf("cannot save analysis: %w", err)
			}
		}
		if out, err = getNC(ctx, tx, a.Tenant, id); err != nil {
			return err
		}
		return audit.Record(ctx, tx, now, audit.Event{Tenant: a.Tenant, Actor: a.Audit(), Action: audit.ActionUpdate, Entity: "nc_analysis", EntityID: id,
			Summary: n.Code, Before: before, After: in.Analysis})
	}()
	return out, err
}
