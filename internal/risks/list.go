package risks

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"time"

	"cadran/internal/auth"
	"cadran/internal/db"
	"cadran/internal/textutil"
	"cadran/internal/work"
)

// Scores a heat-map cell filter can name.
const (
	ScoreInherent = "inherent"
	ScoreResidual = "residual" // the current score: residual once reviewed
)

// Filter narrows a year's register.
type Filter struct {
	Year     int    // 0: the current year
	Query    string // code, description or causes, diacritics ignored
	Kind     string
	UnitID   int64 // the unit and the units under it
	State    string
	Strategy string
	Level    string
	// Above keeps the risks whose current exposure is above tolerance.
	Above bool
	// Score with P and I picks one heat-map cell: inherent, or residual
	// (the current score).
	Score   string
	P, I    int
	OwnerID int64
	// ReviewDue keeps active entries whose review is due or overdue.
	ReviewDue bool
	Sort      string // code, description, unit, inherent, residual, review, state; "-" reverses
	Limit     int
	Offset    int
}

var riskSorts = map[string]string{
	"code":        "r.sort_code",
	"description": "r.sort_text",
	"unit":        "COALESCE(u.sort_name, '')",
	"inherent":    "r.inherent_e",
	"residual":    "r.cur_e",
	"review":      "r.next_review_on",
	"state":       "r.state",
}

// Sorts lists the accepted sort keys, in the order of the list's columns.
func Sorts() []string {
	return []string{"code", "description", "unit", "inherent", "residual", "review", "state"}
}

// where builds the predicate of f; cell says whether the heat-map cell
// (Score, P, I) counts.
func (s *Service) where(a auth.Actor, f Filter, st Settings, cell bool) (string, []any) {
	where := ` WHERE r.tenant_id = $1 AND r.year = $2`
	args := []any{a.Tenant, f.Year}
	add := func(cond string, v ...any) {
		for _, x := range v {
			args = append(args, x)
			cond = strings.Replace(cond, "?", fmt.Sprintf("$%d", len(args)), 1)
		}
		where += " AND " + cond
	}
	if q := textutil.Fold(strings.TrimSpace(f.Query)); q != "" {
		add(`r.search_text LIKE ? ESCAPE '\'`, db.LikePattern(q))
	}
	if validKind(f.Kind) {
		add(`r.kind = ?`, f.Kind)
	}
	if f.UnitID != 0 {
		add(`r.unit_id IN (WITH RECURSIVE sub(id) AS (SELECT id FROM units WHERE tenant_id = $1 AND id = ?
			UNION ALL SELECT u2.id FROM units u2 JOIN sub ON u2.parent_id = sub.id WHERE u2.tenant_id = $1) SELECT id FROM sub)`, f.UnitID)
	}
	if slices.Contains(States, f.State) {
		add(`r.state = ?`, f.State)
	}
	if f.Strategy != "" {
		add(`r.strategy = ?`, f.Strategy)
	}
	if slices.Contains(Levels, f.Level) {
		add(`r.level = ?`, f.Level)
	}
	if f.Above {
		add(`r.kind = ? AND r.cur_e > ?`, KindRisk, st.Tolerance)
	}
	if cell && f.P > 0 && f.I > 0 {
		if f.Score == ScoreInherent {
			add(`r.inherent_p = ? AND r.inherent_i = ? AND r.scale = ?`, f.P, f.I, st.Scale)
		} else {
			add(`r.cur_p = ? AND r.cur_i = ? AND r.scale = ?`, f.P, f.I, st.Scale)
		}
	}
	if f.OwnerID != 0 {
		add(`r.owner_id = ?`, f.OwnerID)
	}
	if f.ReviewDue {
		add(`r.state = ? AND r.next_review_on <> '' AND r.next_review_on <= ?`, StateActive, work.Day(s.Clock.Now()).Format(time.DateOnly))
	}
	return where, args
}

// List returns a page of a year's register matching f and the total count.
func (s *Service) List(ctx context.Context, a auth.Actor, f Filter) ([]Risk, int, error) {
	if err := a.Require(auth.PermRisksView); err != nil {
		return nil, 0, err
	}
	if f.Year == 0 {
		f.Year = Year(s.Clock.Now())
	}
	st, err := s.settings(ctx, s.DB.R, a.Tenant)
	if err != nil {
		return nil, 0, err
	}
	where, args := s.where(a, f, st, true)
	var total int
	if err := s.DB.R.QueryRowContext(ctx, `SELECT COUNT(*) FROM risks r`+where, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("cannot count risks: %w", err)
	}
	page, args := db.OrderPage(riskSorts, f.Sort, "code", "r.sort_code, r.id", f.Limit, f.Offset, args)
	rows, err := s.DB.R.QueryContext(ctx, `SELECT `+riskColumns+riskFrom+where+page, args...)
	if err != nil {
		return nil, 0, fmt.Errorf("cannot list risks: %w", err)
	}
	out, err := scanRisks(rows)
	return out, total, err
}

// Grid is a heat map's counts: Inherent[p-1][i-1] entries with inherent
// probability p and impact i, and Residual the same for the current score.
type Grid struct {
	Kind     string
	Scale    int
	Inherent [][]int
	Residual [][]int
	// Reviewed is how many of the entries have a residual score; the others
	// stand at their inherent score in the residual map.
	Reviewed, Total int
}

// HeatMap counts the entries of kind matching f (its cell aside) by score.
// Without a state in f, it counts the register: active entries. Entries
// scored on another scale than the institution's are left out.
func (s *Service) HeatMap(ctx context.Context, a auth.Actor, f Filter, kind string) (Grid, error) {
	if err := a.Require(auth.PermRisksView); err != nil {
		return Grid{}, err
	}
	if f.Year == 0 {
		f.Year = Year(s.Clock.Now())
	}
	st, err := s.settings(ctx, s.DB.R, a.Tenant)
	if err != nil {
		return Grid{}, err
	}
	f.Kind = kind
	if f.State == "" {
		f.State = StateActive
	}
	where, args := s.where(a, f, st, false)
	args = append(args, st.Scale)
	rows, err := s.DB.R.QueryContext(ctx, `SELECT r.inherent_p, r.inherent_i, r.cur_p, r.cur_i, r.residual_e FROM risks r`+where+fmt.Sprintf(` AND r.scale = $%d`, len(args)), args...)
	if err != nil {
		return Grid{}, fmt.Errorf("cannot map risks: %w", err)
	}
	defer rows.Close()
	g := Grid{Kind: kind, Scale: st.Scale, Inherent: square(st.Scale), Residual: square(st.Scale)}
	for rows.Next() {
		var ip, ii, cp, ci, re int
		if err := rows.Scan(&ip, &ii, &cp, &ci, &re); err != nil {
			return Grid{}, fmt.Errorf("cannot map risks: %w", err)
		}
		if ip < 1 || ii < 1 || ip > st.Scale || ii > st.Scale || cp < 1 || ci < 1 || cp > st.Scale || ci > st.Scale {
			continue
		}
		g.Inherent[ip-1][ii-1]++
		g.Residual[cp-1][ci-1]++
		g.Total++
		if re > 0 {
			g.Reviewed++
		}
	}
	return g, rows.Err()
}

func square(n int) [][]int {
	out := make([][]int, n)
	for i := range out {
		out[i] = make([]int, n)
	}
	return out
}

// RegisterYear is the year whose register a page opens on: the current
// year once it has entries, otherwise the latest earlier year that has
// some (in January, before the new register is started from last year's,
// the register in use is still last year's), otherwise the current year.
func (s *Service) RegisterYear(ctx context.Context, a auth.Actor) (int, error) {
	now := Year(s.Clock.Now())
	var y sql.NullInt64
	if err := s.DB.R.QueryRowContext(ctx, `SELECT MAX(year) FROM risks WHERE tenant_id = $1 AND year <= $2`, a.Tenant, now).Scan(&y); err != nil {
		return 0, fmt.Errorf("cannot read register years: %w", err)
	}
	if !y.Valid {
		return now, nil
	}
	return int(y.Int64), nil
}

// Years lists the years that have a register, newest first, with the
// current year always among them.
func (s *Service) Years(ctx context.Context, a auth.Actor) ([]int, error) {
	if err := a.Require(auth.PermRisksView); err != nil {
		return nil, err
	}
	rows, err := s.DB.R.QueryContext(ctx, `SELECT DISTINCT year FROM risks WHERE tenant_id = $1`, a.Tenant)
	if err != nil {
		return nil, fmt.Errorf("cannot read register years: %w", err)
	}
	defer rows.Close()
	out := []int{Year(s.Clock.Now())}
	for rows.Next() {
		var y int
		if err := rows.Scan(&y); err != nil {
			return nil, fmt.Errorf("cannot read register years: %w", err)
		}
		if !slices.Contains(out, y) {
			out = append(out, y)
		}
	}
	slices.SortFunc(out, func(x, y int) int { return y - x })
	return out, rows.Err()
}
