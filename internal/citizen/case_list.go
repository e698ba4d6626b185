package citizen

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"cadran/internal/auth"
	"cadran/internal/db"
	"cadran/internal/textutil"
	"cadran/internal/work"
)

// caseSorts are the list's orders, each with its direction placeholder:
// a registration number sorts by year then sequence, both the same way.
var caseSorts = map[string]string{
	"number":     "c.year %[1]s, c.seq %[1]s",
	"registered": "c.registered_on %[1]s, c.id %[1]s",
	"due":        "c.due_on %[1]s, c.id %[1]s",
	"state":      "c.state %[1]s, c.due_on, c.id",
}

// CaseSorts lists the accepted sort keys.
var CaseSorts = []string{"number", "registered", "due", "state"}

// CountCap is where a text search stops counting its matches: the list
// says it found more than 1,000 (CasePage.TotalCapped) rather than
// reading every one. At 10,000 a search for a common word ("autorizație",
// a quarter of a 200,000-case registry) took 58 ms at p95; at 1,000, 38.
const CountCap = 1000

// fullText is the registry's full-text index: the folded search column
// (number, subject, petitioner) in FTS5 on SQLite, a tsvector expression
// index on PostgreSQL (migration 0016).
func (s *Service) fullText() db.FullText {
	return db.FullText{Engine: s.DB.Engine, Table: "citizen_cases_fts"}
}

// caseQuery is a filter as SQL: one WHERE clause per part of the actor's
// scope (two for a head of unit: their units' cases, and those assigned to
// them), each of which an index serves, rather than one OR that none does.
type caseQuery struct {
	wheres []string
	args   []any
	text   bool // a full-text search: counted up to CountCap
}

// unitTree reads unit and every unit under it, so the filter names them
// (and an index serves it) rather than walking the tree for every case.
func (s *Service) unitTree(ctx context.Context, tenant, unit int64) ([]int64, error) {
	rows, err := s.DB.R.QueryContext(ctx, `WITH RECURSIVE sub(id) AS (SELECT id FROM units WHERE tenant_id = $1 AND id = $2
			UNION ALL SELECT u2.id FROM units u2 JOIN sub ON u2.parent_id = sub.id WHERE u2.tenant_id = $1) SELECT id FROM sub`, tenant, unit)
	if err != nil {
		return nil, fmt.Errorf("cannot read units: %w", err)
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("cannot read units: %w", err)
		}
		out = append(out, id)
	}
	return out, rows.Err()
}

// query builds f's predicates within the actor's scope.
func (s *Service) query(ctx context.Context, tenant int64, sc scope, f CaseFilter, today time.Time) (caseQuery, error) {
	var units []int64
	if f.UnitID != 0 {
		var err error
		if units, err = s.unitTree(ctx, tenant, f.UnitID); err != nil {
			return caseQuery{}, err
		}
	}
	ft := s.fullText()
	if _, _, ok := ParseNumber(f.Query); !ok {
		if terms := db.Terms(textutil.Fold(strings.TrimSpace(f.Query))); len(terms) > 0 {
			// A rare word is found fastest from its matches; a common one by
			// walking the other conditions' index in the page's order.
			few, err := ft.Few(ctx, s.DB.R, terms, fewMatches)
			if err != nil {
				return caseQuery{}, err
			}
			f.fromMatches = few
		}
	}
	return f.where(tenant, sc, today, ft, units), nil
}

// fewMatches is the number of text matches under which a search starts
// from them: on 200,000 petitions, walking every case to check it against
// a word that matches none took 33 ms per query.
var fewMatches = 2000

// inList is placeholders for ids, appended to args.
func inList(ids []int64, args []any) (string, []any) {
	ph := make([]string, len(ids))
	for i, id := range ids {
		args = append(args, id)
		ph[i] = fmt.Sprintf("$%d", len(args))
	}
	return strings.Join(ph, ", "), args
}

// where builds the predicates of f within the actor's scope; units is the
// subtree of f.UnitID.
func (f CaseFilter) where(tenant int64, sc scope, today time.Time, ft db.FullText, units []int64) caseQuery {
	where := ` WHERE c.tenant_id = $1`
	args := []any{tenant}
	add := func(cond string, v ...any) {
		for _, x := range v {
			args = append(args, x)
			cond = strings.Replace(cond, "?", fmt.Sprintf("$%d", len(args)), 1)
		}
		where += " AND " + cond
	}
	var text bool
	if seq, year, ok := ParseNumber(f.Query); ok {
		// A registration number finds its case through the unique index.
		add(`c.year = ? AND c.seq = ?`, year, seq)
	} else if q := textutil.Fold(strings.TrimSpace(f.Query)); q != "" && len(db.Terms(q)) == 0 {
		// Nothing to search for but signs ("%"): nothing matches.
		where += " AND 1 = 0"
	} else if terms := db.Terms(q); len(terms) > 0 {
		// Every word, as a word prefix, through the full-text index. The
		// unary plus keeps SQLite from looking up every match in the table
		// (wide rows): it walks a narrow index of the other conditions, in
		// the page's order, and checks each id against the matches; unless
		// the matches are few (see query).
		col := "+c.id"
		if f.fromMatches {
			col = "c.id"
		}
		cond, arg := ft.Matches(col, terms, len(args)+1)
		args = append(args, arg)
		where += " AND " + cond
		text = true
	}
	if slices.Contains(Kinds, f.Kind) {
		add(`c.kind = ?`, f.Kind)
	}
	switch {
	case f.State == "open" || f.Overdue:
		add(`c.state IN (?, ?)`, StateRegistered, StateAssigned)
	case slices.Contains(States, f.State):
		add(`c.state = ?`, f.State)
	}
	if f.Overdue {
		add(`c.due_on < ?`, dayText(today))
	}
	if slices.Contains(Channels, f.Channel) {
		add(`c.channel = ?`, f.Channel)
	}
	if f.Topic != "" {
		add(`c.topic = ?`, f.Topic)
	}
	if f.Year != 0 {
		add(`c.year = ?`, f.Year)
	}
	if f.UnitID != 0 {
		if len(units) == 0 {
			where += " AND 1 = 0"
		} else {
			var list string
			list, args = inList(units, args)
			where += " AND c.unit_id IN (" + list + ")"
		}
	}
	if f.ServiceID != 0 {
		add(`c.service_id = ?`, f.ServiceID)
	}
	if f.AssigneeID != 0 {
		add(`c.assignee_id = ?`, f.AssigneeID)
	}
	if !f.From.IsZero() {
		add(`c.registered_on >= ?`, dayText(day(f.From)))
	}
	if !f.To.IsZero() {
		add(`c.registered_on <= ?`, dayText(day(f.To)))
	}
	q := caseQuery{text: text}
	var parts []string
	parts, q.args = sc.parts(args)
	for _, p := range parts {
		q.wheres = append(q.wheres, where+p)
	}
	return q
}

// parts is the scope as SQL over alias c, one predicate per part (their
// union is what the actor sees), arguments numbered after args.
func (sc scope) parts(args []any) ([]string, []any) {
	if sc.all {
		return []string{""}, args
	}
	var out []string
	if len(sc.units) > 0 {
		var list string
		list, args = inList(sc.units, args)
		out = append(out, " AND c.unit_id IN ("+list+")")
	}
	if sc.person != 0 {
		args = append(args, sc.person)
		out = append(out, fmt.Sprintf(" AND c.assignee_id = $%d", len(args)))
	}
	if len(out) == 0 {
		return []string{" AND 1 = 0"}, args
	}
	return out, args
}

// ids is a subquery of the matching cases' ids (a union of the scope's
// parts), for one WHERE over c.
func (q caseQuery) ids() string {
	sel := make([]string, len(q.wheres))
	for i, w := range q.wheres {
		sel[i] = `SELECT c.id FROM citizen_cases c` + w
	}
	return strings.Join(sel, " UNION ")
}

// where is one WHERE clause over c for all the scope's parts.
func (q caseQuery) where() string {
	if len(q.wheres) == 1 {
		return q.wheres[0]
	}
	return ` WHERE c.id IN (` + q.ids() + `)`
}

// count counts the matching cases; a text search stops past CountCap.
func (q caseQuery) count(ctx context.Context, r querier) (n int, capped bool, err error) {
	sql := `SELECT COUNT(*) FROM (` + q.ids() + `) k`
	if len(q.wheres) == 1 {
		sql = `SELECT COUNT(*) FROM citizen_cases c` + q.wheres[0]
	}
	if q.text {
		sql = fmt.Sprintf(`SELECT COUNT(*) FROM (%s LIMIT %d) k`, q.ids(), CountCap+1)
	}
	if err := r.QueryRowContext(ctx, sql, q.args...).Scan(&n); err != nil {
		return 0, false, fmt.Errorf("cannot count cases: %w", err)
	}
	if q.text && n > CountCap {
		return CountCap, true, nil
	}
	return n, false, nil
}

// sortKeys are the columns the orders read, selected by each part of a
// scope so their union can be sorted.
const sortKeys = `c.id, c.year, c.seq, c.registered_on, c.due_on, c.state`

// page is the query of a page's ids in order: for a scope of several parts,
// each part's first offset+limit in order, and then their union's.
func (q caseQuery) page(order string, limit, offset int) (string, []any) {
	n := len(q.args)
	args := append(slices.Clip(q.args), limit, offset)
	tail := fmt.Sprintf(` ORDER BY %s LIMIT $%d OFFSET $%d`, order, n+1, n+2)
	if len(q.wheres) == 1 {
		return `SELECT c.id FROM citizen_cases c` + q.wheres[0] + tail, args
	}
	args = append(args, limit+offset)
	sel := make([]string, len(q.wheres))
	for i, w := range q.wheres {
		sel[i] = fmt.Sprintf(`SELECT * FROM (SELECT %s FROM citizen_cases c%s ORDER BY %s LIMIT $%d) p%d`, sortKeys, w, order, n+3, i)
	}
	return `SELECT c.id FROM (` + strings.Join(sel, " UNION ") + `) c` + tail, args
}

// order is f's ORDER BY, LIMIT and OFFSET: by number, newest first, unless
// told otherwise.
func (f CaseFilter) order() (order string, limit, offset int) {
	key, desc := f.Sort, f.Desc
	if _, ok := caseSorts[key]; !ok {
		key, desc = "number", true
	}
	dir := "ASC"
	if desc {
		dir = "DESC"
	}
	per := f.PerPage
	if per <= 0 || per > db.MaxPageSize {
		per = db.DefaultPageSize
	}
	page := max(1, f.Page)
	return fmt.Sprintf(caseSorts[key], dir), per, (page - 1) * per
}

// pageQuery picks a page's ids first (ids, in order), sorting narrow rows,
// and only then reads those cases whole: sorting thousands of whole cases
// (their texts and joins) costs ten times more than sorting their ids.
func pageQuery(ids, order string) string {
	return `SELECT ` + caseColumns + ` FROM (` + ids + `) k
	JOIN citizen_cases c ON c.id = k.id
	LEFT JOIN citizen_services s ON s.id = c.service_id
	LEFT JOIN units u ON u.id = c.unit_id
	LEFT JOIN people p ON p.id = c.assignee_id ORDER BY ` + order
}

// Cases lists the cases the actor may see that match f: the registry
// (PermCitizenView) all of them, a head of unit those of their units and
// their own, anyone else the cases assigned to them.
func (s *Service) Cases(ctx context.Context, a auth.Actor, f CaseFilter) (CasePage, error) {
	sc, err := s.scope(ctx, s.DB.R, a)
	if err != nil {
		return CasePage{}, err
	}
	q, err := s.query(ctx, a.Tenant, sc, f, work.Day(s.Clock.Now()))
	if err != nil {
		return CasePage{}, err
	}
	var out CasePage
	if out.Total, out.TotalCapped, err = q.count(ctx, s.DB.R); err != nil {
		return CasePage{}, err
	}
	order, limit, offset := f.order()
	ids, args := q.page(order, limit, offset)
	rows, err := s.DB.R.QueryContext(ctx, pageQuery(ids, order), args...)
	if err != nil {
		return CasePage{}, fmt.Errorf("cannot list cases: %w", err)
	}
	out.Items, err = scanCases(rows)
	return out, err
}

// CaseOverview is the registry's situation today, for the overview page.
type CaseOverview struct {
	Open, Overdue, DueThisWeek int
	// ByKind counts the open cases of each kind.
	ByKind map[string]int
	// Soon lists the open cases due soonest (overdue first), at most 10.
	Soon []Case
	// RegisteredThisYear counts the cases registered this year.
	RegisteredThisYear int
}

// Overview is the registry's situation for the actor: the whole registry,
// their units' or their own cases. "Due this week" counts the open cases
// due from today to 7 days ahead.
func (s *Service) Overview(ctx context.Context, a auth.Actor) (CaseOverview, error) {
	sc, err := s.scope(ctx, s.DB.R, a)
	if err != nil {
		return CaseOverview{}, err
	}
	today := work.Day(s.Clock.Now())
	out := CaseOverview{ByKind: map[string]int{}}
	oq := CaseFilter{State: "open"}.where(a.Tenant, sc, today, s.fullText(), nil)
	where, args := oq.where(), oq.args
	n := len(args)
	q := fmt.Sprintf(`SELECT c.kind, COUNT(*), SUM(CASE WHEN c.due_on < $%d THEN 1 ELSE 0 END), SUM(CASE WHEN c.due_on >= $%d AND c.due_on <= $%d THEN 1 ELSE 0 END)
		FROM citizen_cases c%s GROUP BY c.kind`, n+1, n+1, n+2, where)
	rows, err := s.DB.R.QueryContext(ctx, q, append(args, dayText(today), dayText(today.AddDate(0, 0, 7)))...)
	if err != nil {
		return out, fmt.Errorf("cannot count open cases: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var kind string
		var open, overdue, week int
		if err := rows.Scan(&kind, &open, &overdue, &week); err != nil {
			return out, fmt.Errorf("cannot count open cases: %w", err)
		}
		out.ByKind[kind] = open
		out.Open += open
		out.Overdue += overdue
		out.DueThisWeek += week
	}
	if err := rows.Err(); err != nil {
		return out, err
	}
	ids, args := oq.page(`c.due_on, c.id`, 10, 0)
	soon, err := s.DB.R.QueryContext(ctx, pageQuery(ids, `c.due_on, c.id`), args...)
	if err != nil {
		return out, fmt.Errorf("cannot list open cases: %w", err)
	}
	if out.Soon, err = scanCases(soon); err != nil {
		return out, err
	}
	yq := CaseFilter{Year: today.Year()}.where(a.Tenant, sc, today, s.fullText(), nil)
	if out.RegisteredThisYear, _, err = yq.count(ctx, s.DB.R); err != nil {
		return out, err
	}
	return out, nil
}
