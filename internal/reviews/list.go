package reviews

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"cadran/internal/auth"
	"cadran/internal/db"
	"cadran/internal/evidence"
	"cadran/internal/textutil"
)

// Filter narrows the list of reviews.
type Filter struct {
	Year   int    // 0: every year
	State  string // one of States; "" every state
	Query  string // code or title, diacritics ignored
	Sort   string // code, title, meeting, state; "-" reverses
	Limit  int
	Offset int
}

var reviewSorts = map[string]string{
	"code":    "r.sort_code",
	"title":   "r.search_text",
	"meeting": "r.meeting_on",
	"state":   "r.state",
}

// Sorts lists the accepted sort keys, in the order of the list's columns.
func Sorts() []string { return []string{"code", "title", "meeting", "state"} }

// Row is a review as the list shows it, with its actions counted.
type Row struct {
	Review
	Actions, OpenActions, OverdueActions int
}

// List returns a page of the institution's reviews matching f, and the
// total count. The newest come first unless f sorts otherwise.
func (s *Service) List(ctx context.Context, a auth.Actor, f Filter) ([]Row, int, error) {
	if err := a.Require(auth.PermReviewsView); err != nil {
		return nil, 0, err
	}
	where := ` WHERE r.tenant_id = $1`
	args := []any{a.Tenant}
	add := func(cond string, v any) {
		args = append(args, v)
		where += " AND " + strings.Replace(cond, "?", fmt.Sprintf("$%d", len(args)), 1)
	}
	if f.Year != 0 {
		add(`r.year = ?`, f.Year)
	}
	if slices.Contains(States, f.State) {
		add(`r.state = ?`, f.State)
	}
	if q := textutil.Fold(strings.TrimSpace(f.Query)); q != "" {
		add(`r.search_text LIKE ? ESCAPE '\'`, db.LikePattern(q))
	}
	var total int
	if err := s.DB.R.QueryRowContext(ctx, `SELECT COUNT(*) FROM reviews r`+where, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("cannot count reviews: %w", err)
	}
	sort := f.Sort
	if sort == "" {
		sort = "-meeting"
	}
	page, args := db.OrderPage(reviewSorts, sort, "meeting", "r.id DESC", f.Limit, f.Offset, args)
	rows, err := s.DB.R.QueryContext(ctx, `SELECT `+reviewColumns+reviewFrom+where+page, args...)
	if err != nil {
		return nil, 0, fmt.Errorf("cannot list reviews: %w", err)
	}
	list, err := scanReviews(rows)
	if err != nil {
		return nil, 0, err
	}
	out := make([]Row, len(list))
	ids := make([]any, 0, len(list)+3)
	ids = append(ids, a.Tenant, ActionOpen, s.today().Format(time.DateOnly))
	index := map[int64]int{}
	marks := make([]string, len(list))
	for i, r := range list {
		out[i].Review = r
		index[r.ID] = i
		ids = append(ids, r.ID)
		marks[i] = fmt.Sprintf("$%d", len(ids))
	}
	if len(list) == 0 {
		return out, total, nil
	}
	crows, err := s.DB.R.QueryContext(ctx, `SELECT review_id, COUNT(*), SUM(CASE WHEN state = $2 THEN 1 ELSE 0 END),
			SUM(CASE WHEN state = $2 AND due_on < $3 THEN 1 ELSE 0 END)
		FROM review_actions WHERE tenant_id = $1 AND review_id IN (`+strings.Join(marks, ", ")+`) GROUP BY review_id`, ids...)
	if err != nil {
		return nil, 0, fmt.Errorf("cannot count review actions: %w", err)
	}
	defer crows.Close()
	for crows.Next() {
		var id int64
		var n, open, late int
		if err := crows.Scan(&id, &n, &open, &late); err != nil {
			return nil, 0, fmt.Errorf("cannot count review actions: %w", err)
		}
		i := index[id]
		out[i].Actions, out[i].OpenActions, out[i].OverdueActions = n, open, late
	}
	return out, total, crows.Err()
}

// Years lists the years that have a review, newest first, with the current
// year always among them.
func (s *Service) Years(ctx context.Context, a auth.Actor) ([]int, error) {
	if err := a.Require(auth.PermReviewsView); err != nil {
		return nil, err
	}
	rows, err := s.DB.R.QueryContext(ctx, `SELECT DISTINCT year FROM reviews WHERE tenant_id = $1`, a.Tenant)
	if err != nil {
		return nil, fmt.Errorf("cannot read review years: %w", err)
	}
	defer rows.Close()
	out := []int{s.today().Year()}
	for rows.Next() {
		var y int
		if err := rows.Scan(&y); err != nil {
			return nil, fmt.Errorf("cannot read review years: %w", err)
		}
		if !slices.Contains(out, y) {
			out = append(out, y)
		}
	}
	slices.SortFunc(out, func(x, y int) int { return y - x })
	return out, rows.Err()
}

// ActionFilter narrows the list of review actions.
type ActionFilter struct {
	State    string // one of ActionStates; "" every state
	Overdue  bool   // open past their due day
	OwnerID  int64
	ReviewID int64
	Sort     string // review, owner, due, state; "-" reverses
	Limit    int
	Offset   int
}

var actionSorts = map[string]string{
	"review": "r.sort_code",
	"owner":  "COALESCE(p.full_name, '')",
	"due":    "x.due_on",
	"state":  "x.state",
}

// ActionSorts lists the accepted sort keys of the actions list.
func ActionSorts() []string { return []string{"review", "owner", "due", "state"} }

// Actions returns a page of the actions of every review matching f, and
// the total count.
func (s *Service) Actions(ctx context.Context, a auth.Actor, f ActionFilter) ([]Action, int, error) {
	if err := a.Require(auth.PermReviewsView); err != nil {
		return nil, 0, err
	}
	where := ` WHERE x.tenant_id = $1`
	args := []any{a.Tenant}
	add := func(cond string, v ...any) {
		for _, x := range v {
			args = append(args, x)
			cond = strings.Replace(cond, "?", fmt.Sprintf("$%d", len(args)), 1)
		}
		where += " AND " + cond
	}
	if slices.Contains(ActionStates, f.State) {
		add(`x.state = ?`, f.State)
	}
	if f.Overdue {
		add(`x.state = ? AND x.due_on < ?`, ActionOpen, s.today().Format(time.DateOnly))
	}
	if f.OwnerID != 0 {
		add(`x.owner_id = ?`, f.OwnerID)
	}
	if f.ReviewID != 0 {
		add(`x.review_id = ?`, f.ReviewID)
	}
	var total int
	if err := s.DB.R.QueryRowContext(ctx, `SELECT COUNT(*)`+actionFrom+where, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("cannot count review actions: %w", err)
	}
	page, args := db.OrderPage(actionSorts, f.Sort, "due", "x.id", f.Limit, f.Offset, args)
	rows, err := s.DB.R.QueryContext(ctx, `SELECT `+actionColumns+actionFrom+where+page, args...)
	if err != nil {
		return nil, 0, fmt.Errorf("cannot list review actions: %w", err)
	}
	out, err := scanActions(rows)
	return out, total, err
}

// ClauseEvidence lists the reviews held, as evidence for clause 9.3, and
// those that decided on improvements, for clause 10.3.
func (s *Service) ClauseEvidence(ctx context.Context, tenant int64) ([]evidence.Item, error) {
	rows, err := s.DB.R.QueryContext(ctx, `SELECT r.id, r.code, r.title, r.held_on, r.state,
			(SELECT COUNT(*) FROM review_decisions d WHERE d.tenant_id = r.tenant_id AND d.review_id = r.id AND d.category = $4)
		FROM reviews r WHERE r.tenant_id = $1 AND r.state IN ($2, $3) ORDER BY r.held_on DESC, r.id DESC`, tenant, StateHeld, StateClosed, DecisionImprovement)
	if err != nil {
		return nil, fmt.Errorf("cannot read review evidence: %w", err)
	}
	defer rows.Close()
	var out []evidence.Item
	for rows.Next() {
		var id int64
		var code, title, held, state string
		var improvements int
		if err := rows.Scan(&id, &code, &title, &held, &state, &improvements); err != nil {
			return nil, fmt.Errorf("cannot read review evidence: %w", err)
		}
		day, _ := parseDay(held)
		it := evidence.Item{Clause: "9.3", Kind: evidence.KindReview, Entity: "review", ID: id, Code: code, Title: title, Href: reviewLink(id), Date: day, Open: state == StateHeld}
		out = append(out, it)
		if improvements > 0 {
			it.Clause = "10.3"
			out = append(out, it)
		}
	}
	return out, rows.Err()
}
