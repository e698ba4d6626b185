package improvement

import (
	"context"
	"fmt"
	"maps"
	"strings"
	"time"

	"cadran/internal/auth"
	"cadran/internal/db"
	"cadran/internal/textutil"
)

// subtreeSQL is the ids of a unit and every unit under it; the unit's id is
// the placeholder left for fmt, the tenant is $1.
const subtreeSQL = `WITH RECURSIVE sub(id) AS (SELECT id FROM units WHERE tenant_id = $1 AND id = $%d
	UNION ALL SELECT u2.id FROM units u2 JOIN sub ON u2.parent_id = sub.id WHERE u2.tenant_id = $1) SELECT id FROM sub`

// openStatesSQL lists OpenStates for an IN clause.
var openStatesSQL = "('" + strings.Join(OpenStates, "', '") + "')"

// Filter narrows the nonconformity log.
type Filter struct {
	Query    string // code, title, description, process, diacritics ignored
	State    string // a States value, or "open" for every open state
	Source   string
	Severity string
	UnitID   int64 // the unit and every unit under it
	Process  string
	Clause   string // the clause and its sub-clauses
	Age      string // an AgeBuckets value: open cases of that age
	Overdue  bool   // cases with an open action past its due day
	OwnerID  int64
	Sort     string // code, detected, severity, state, unit, due; "-" reverses; empty is newest first
	Limit    int
	Offset   int
}

var ncSorts = map[string]string{
	"code":     "n.sort_code",
	"detected": "n.detected_on",
	"severity": "n.severity_rank",
	"state":    "n.state",
	"unit":     "COALESCE(u.sort_name, '')",
	"due":      "CASE WHEN n.next_due = '' THEN '9999-12-31' ELSE n.next_due END",
	"title":    "n.title",
}

// Sorts lists the accepted sort keys of the log.
func Sorts() []string {
	return []string{"code", "title", "detected", "severity", "unit", "state", "due"}
}

// where builds the log's conditions; every one is on the case's own
// columns, so the count needs no join.
func (f Filter) where(tenant int64, today time.Time) (string, []any) {
	where := ` WHERE n.tenant_id = $1`
	args := []any{tenant}
	add := func(cond string, v ...any) {
		args = append(args, v...)
		idx := make([]any, len(v))
		for i := range v {
			idx[i] = len(args) - len(v) + i + 1
		}
		where += fmt.Sprintf(cond, idx...)
	}
	if q := textutil.Fold(strings.TrimSpace(f.Query)); q != "" {
		add(` AND n.search_text LIKE $%d ESCAPE '\'`, db.LikePattern(q))
	}
	switch f.State {
	case "":
	case "open":
		where += ` AND n.state IN ` + openStatesSQL
	default:
		add(` AND n.state = $%d`, f.State)
	}
	if f.Source != "" {
		add(` AND n.source = $%d`, f.Source)
	}
	if f.Severity != "" {
		// The rank, which the indexes hold, stands for the severity.
		rank, ok := severityRank[f.Severity]
		if !ok {
			rank = -1
		}
		add(` AND n.severity_rank = $%d`, rank)
	}
	if f.UnitID != 0 {
		add(` AND n.unit_id IN (`+subtreeSQL+`)`, f.UnitID)
	}
	if p := textutil.Clean(f.Process); p != "" {
		add(` AND n.process = $%d`, p)
	}
	if c := textutil.Clean(f.Clause); c != "" {
		add(` AND (n.clause = $%d OR n.clause LIKE $%d ESCAPE '\')`, c, db.LikePrefix(c+"."))
	}
	if b, ok := ageBounds[f.Age]; ok {
		if f.State == "" {
			where += ` AND n.state IN ` + openStatesSQL
		}
		add(` AND n.detected_on <= $%d`, today.AddDate(0, 0, -b[0]).Format(time.DateOnly))
		if b[1] >= 0 {
			add(` AND n.detected_on >= $%d`, today.AddDate(0, 0, -b[1]).Format(time.DateOnly))
		}
	}
	if f.Overdue {
		add(` AND n.next_due <> '' AND n.next_due < $%d`, today.Format(time.DateOnly))
	}
	if f.OwnerID != 0 {
		add(` AND n.owner_id = $%d`, f.OwnerID)
	}
	return where, args
}

// List returns the nonconformity log matching f and the total count.
func (s *Service) List(ctx context.Context, a auth.Actor, f Filter) ([]Nonconformity, int, error) {
	if err := a.Require(auth.PermImproveView); err != nil {
		return nil, 0, err
	}
	where, args := f.where(a.Tenant, s.today())
	var total int
	if err := s.DB.R.QueryRowContext(ctx, `SELECT COUNT(*) FROM nonconformities n`+where, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("cannot count nonconformities: %w", err)
	}
	sort := f.Sort
	if sort == "" {
		sort = "-code"
	}
	sorts := ncSorts
	if f.Overdue {
		// Every case listed has an open action: its due day sorts as it is,
		// in the order of the index that found it.
		sorts = maps.Clone(ncSorts)
		sorts["due"] = "n.next_due"
	}
	page, args := db.OrderPage(sorts, sort, "code", "n.id", f.Limit, f.Offset, args)
	rows, err := s.DB.R.QueryContext(ctx, `SELECT `+ncColumns+ncFrom+where+page, args...)
	if err != nil {
		return nil, 0, fmt.Errorf("cannot list nonconformities: %w", err)
	}
	out, err := scanNCs(rows)
	return out, total, err
}

// ActionRow is an action with the case or proposal it belongs to.
type ActionRow struct {
	Action
	CaseCode  string
	CaseTitle string
	UnitName  string
}

// Link is the page of the action's case or proposal.
func (r ActionRow) Link() string {
	if r.ProposalID != 0 {
		return proposalLink(r.ProposalID)
	}
	return ncLink(r.NCID)
}

// ActionFilter narrows the list of actions across cases and proposals.
type ActionFilter struct {
	State   string // an ActionStates value; empty is every state
	Overdue bool   // open past the due day
	OwnerID int64
	UnitID  int64  // the case's (or proposal's) unit and those under it
	Kind    string // "nc", "proposal" or empty for both
	Sort    string // due, case, owner, state; "-" reverses
	Limit   int
	Offset  int
}

var actionSorts = map[string]string{
	"due":   "CASE WHEN x.due_on = '' THEN '9999-12-31' ELSE x.due_on END",
	"case":  "COALESCE(n.sort_code, r.sort_code)",
	"owner": "COALESCE(p.sort_name, x.owner_name)",
	"state": "x.state",
}

// ActionSorts lists the accepted sort keys of the action list.
func ActionSorts() []string { return []string{"case", "owner", "due", "state"} }

const actionRowFrom = ` FROM improvement_actions x
	LEFT JOIN people p ON p.id = x.owner_id
	LEFT JOIN nonconformities n ON n.id = x.nc_id
	LEFT JOIN improvement_proposals r ON r.id = x.proposal_id
	LEFT JOIN units u ON u.id = COALESCE(n.unit_id, r.unit_id)`

const actionRowColumns = actionColumns + `, COALESCE(n.code, r.code, ''), COALESCE(n.title, r.title, ''), COALESCE(u.name, '')`

// Actions lists actions across cases and proposals, and the total.
func (s *Service) Actions(ctx context.Context, a auth.Actor, f ActionFilter) ([]ActionRow, int, error) {
	if err := a.Require(auth.PermImproveView); err != nil {
		return nil, 0, err
	}
	where := ` WHERE x.tenant_id = $1`
	args := []any{a.Tenant}
	add := func(cond string, v any) {
		args = append(args, v)
		where += fmt.Sprintf(cond, len(args))
	}
	if f.State != "" {
		add(` AND x.state = $%d`, f.State)
	}
	if f.Overdue {
		args = append(args, ActionOpen, s.today().Format(time.DateOnly))
		where += fmt.Sprintf(` AND x.state = $%d AND x.due_on <> '' AND x.due_on < $%d`, len(args)-1, len(args))
	}
	if f.OwnerID != 0 {
		add(` AND x.owner_id = $%d`, f.OwnerID)
	}
	if f.UnitID != 0 {
		add(` AND COALESCE(n.unit_id, r.unit_id) IN (`+subtreeSQL+`)`, f.UnitID)
	}
	switch f.Kind {
	case "nc":
		where += ` AND x.nc_id IS NOT NULL`
	case "proposal":
		where += ` AND x.proposal_id IS NOT NULL`
	}
	// Only the unit filter needs the cases and proposals to count.
	countFrom := ` FROM improvement_actions x`
	if f.UnitID != 0 {
		countFrom += ` LEFT JOIN nonconformities n ON n.id = x.nc_id LEFT JOIN improvement_proposals r ON r.id = x.proposal_id`
	}
	var total int
	if err := s.DB.R.QueryRowContext(ctx, `SELECT COUNT(*)`+countFrom+where, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("cannot count actions: %w", err)
	}
	sorts := actionSorts
	if f.Overdue {
		// Every action listed has a due day: it sorts as it is, in index order.
		sorts = maps.Clone(actionSorts)
		sorts["due"] = "x.due_on"
	}
	page, args := db.OrderPage(sorts, f.Sort, "due", "x.id", f.Limit, f.Offset, args)
	rows, err := s.DB.R.QueryContext(ctx, `SELECT `+actionRowColumns+actionRowFrom+where+page, args...)
	if err != nil {
		return nil, 0, fmt.Errorf("cannot list actions: %w", err)
	}
	defer rows.Close()
	var out []ActionRow
	for rows.Next() {
		var r ActionRow
		x := &r.Action
		if err := rows.Scan(&x.ID, &x.Tenant, &x.NCID, &x.ProposalID, &x.Description, &x.OwnerID, &x.OwnerName, &x.DueOn, &x.State,
			&x.DoneNote, &x.DoneOn, &x.DoneBy, &x.CreatedAt, &x.UpdatedAt, &x.Version, &r.CaseCode, &r.CaseTitle, &r.UnitName); err != nil {
			return nil, 0, fmt.Errorf("cannot list actions: %w", err)
		}
		out = append(out, r)
	}
	return out, total, rows.Err()
}

// Bucket is a count under a key (an age bucket, a severity).
type Bucket struct {
	Key   string
	Count int
}

// Overview is what the registers overview shows of nonconformities and
// proposals.
type Overview struct {
	// Open is the number of open cases (reported, in analysis, with
	// actions under way, waiting for the check).
	Open int
	// OpenByAge counts the open cases by days since they were detected, in
	// AgeBuckets order (0–30, 31–90, 91–180, over 180); each Key is the
	// bucket, usable as the log's "age" filter.
	OpenByAge []Bucket
	// OpenBySeverity counts the open cases by severity, gravest first;
	// each Key is a Severities value.
	OpenBySeverity []Bucket
	// OverdueActions is the number of open actions past their due day,
	// of cases and of proposals; Overdue holds the first 10, the most
	// overdue first, with their case's code and their owner.
	OverdueActions int
	Overdue        []ActionRow
	// ChecksDue is the number of effectiveness checks planned for today
	// or earlier and not yet recorded.
	ChecksDue int
	// ProposalsAwaiting is the number of proposals submitted or under
	// evaluation: waiting for the quality office.
	ProposalsAwaiting int
}

// Overview counts open cases by age and severity, overdue actions, checks
// due and proposals awaiting evaluation in the actor's institution.
func (s *Service) Overview(ctx context.Context, a auth.Actor) (Overview, error) {
	if err := a.Require(auth.PermImproveView); err != nil {
		return Overview{}, err
	}
	today := s.today()
	day := func(n int) string { return today.AddDate(0, 0, -n).Format(time.DateOnly) }
	var o Overview
	var ages [4]int
	var sev [4]int
	err := s.DB.R.QueryRowContext(ctx, `SELECT COUNT(*),
			COALESCE(SUM(CASE WHEN detected_on >= $2 THEN 1 ELSE 0 END), 0),
			COALESCE(SUM(CASE WHEN detected_on < $2 AND detected_on >= $3 THEN 1 ELSE 0 END), 0),
			COALESCE(SUM(CASE WHEN detected_on < $3 AND detected_on >= $4 THEN 1 ELSE 0 END), 0),
			COALESCE(SUM(CASE WHEN detected_on < $4 THEN 1 ELSE 0 END), 0),
			COALESCE(SUM(CASE WHEN severity_rank = $5 THEN 1 ELSE 0 END), 0),
			COALESCE(SUM(CASE WHEN severity_rank = $6 THEN 1 ELSE 0 END), 0),
			COALESCE(SUM(CASE WHEN severity_rank = $7 THEN 1 ELSE 0 END), 0),
			COALESCE(SUM(CASE WHEN severity_rank = $8 THEN 1 ELSE 0 END), 0)
		FROM nonconformities WHERE tenant_id = $1 AND state IN `+openStatesSQL,
		a.Tenant, day(30), day(90), day(180), severityRank[SeverityMajor], severityRank[SeverityMinor], severityRank[SeverityObservation], severityRank[SeverityOpportunity]).
		Scan(&o.Open, &ages[0], &ages[1], &ages[2], &ages[3], &sev[0], &sev[1], &sev[2], &sev[3])
	if err != nil {
		return Overview{}, fmt.Errorf("cannot count nonconformities: %w", err)
	}
	for i, k := range AgeBuckets {
		o.OpenByAge = append(o.OpenByAge, Bucket{Key: k, Count: ages[i]})
	}
	for i, k := range Severities {
		o.OpenBySeverity = append(o.OpenBySeverity, Bucket{Key: k, Count: sev[i]})
	}
	if o.Overdue, o.OverdueActions, err = s.Actions(ctx, a, ActionFilter{Overdue: true, Sort: "due", Limit: 10}); err != nil {
		return Overview{}, err
	}
	if err := s.DB.R.QueryRowContext(ctx, `SELECT COUNT(*) FROM nc_checks c JOIN nonconformities n ON n.id = c.nc_id
		WHERE c.tenant_id = $1 AND c.verdict = '' AND c.planned_on <= $2 AND n.state = $3`, a.Tenant, today.Format(time.DateOnly), StateVerification).Scan(&o.ChecksDue); err != nil {
		return Overview{}, fmt.Errorf("cannot count checks: %w", err)
	}
	if err := s.DB.R.QueryRowContext(ctx, `SELECT COUNT(*) FROM improvement_proposals WHERE tenant_id = $1 AND state IN ($2, $3)`,
		a.Tenant, PropSubmitted, PropEvaluation).Scan(&o.ProposalsAwaiting); err != nil {
		return Overview{}, fmt.Errorf("cannot count proposals: %w", err)
	}
	return o, nil
}
