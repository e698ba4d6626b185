package audits

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"cadran/internal/auth"
	"cadran/internal/db"
	"cadran/internal/textutil"
)

// Filter narrows the list of audits.
type Filter struct {
	Year  int    // 0: every year
	Query string // code, title, process or unit, diacritics ignored
	State string
	// UnitID keeps the audits of the unit and the units under it.
	UnitID int64
	// AuditorID keeps the audits a person leads or is on the team of.
	AuditorID int64
	Sort      string // code, title, unit, start, state; "-" reverses
	Limit     int
	Offset    int
}

var auditSorts = map[string]string{
	"code":  "x.year, x.seq",
	"title": "x.search_text",
	"unit":  "COALESCE(u.sort_name, '')",
	"start": "x.start_on",
	"state": "x.state",
}

// Sorts lists the accepted sort keys, in the order of the list's columns.
func Sorts() []string { return []string{"code", "title", "unit", "start", "state"} }

func (f Filter) where(tenant int64) (string, []any) {
	where := ` WHERE x.tenant_id = $1`
	args := []any{tenant}
	add := func(cond string, v ...any) {
		for _, x := range v {
			args = append(args, x)
			cond = strings.Replace(cond, "?", fmt.Sprintf("$%d", len(args)), 1)
		}
		where += " AND " + cond
	}
	if f.Year != 0 {
		add(`x.year = ?`, f.Year)
	}
	if q := textutil.Fold(strings.TrimSpace(f.Query)); q != "" {
		add(`x.search_text LIKE ? ESCAPE '\'`, db.LikePattern(q))
	}
	if slices.Contains(States, f.State) {
		add(`x.state = ?`, f.State)
	}
	if f.UnitID != 0 {
		add(`x.unit_id IN (WITH RECURSIVE sub(id) AS (SELECT id FROM units WHERE tenant_id = $1 AND id = ?
			UNION ALL SELECT u2.id FROM units u2 JOIN sub ON u2.parent_id = sub.id WHERE u2.tenant_id = $1) SELECT id FROM sub)`, f.UnitID)
	}
	if f.AuditorID != 0 {
		add(`(x.lead_id = ? OR x.id IN (SELECT audit_id FROM audit_team WHERE tenant_id = $1 AND person_id = ?))`, f.AuditorID, f.AuditorID)
	}
	return where, args
}

// Row is an audit in the list, with its counts.
type Row struct {
	Audit
	Items, Recorded, Findings, OpenFindings int
}

// List returns a page of the audits matching f and the total count.
func (s *Service) List(ctx context.Context, a auth.Actor, f Filter) ([]Row, int, error) {
	if err := a.Require(auth.PermAuditsView); err != nil {
		return nil, 0, err
	}
	where, args := f.where(a.Tenant)
	var total int
	if err := s.DB.R.QueryRowContext(ctx, `SELECT COUNT(*) FROM internal_audits x`+where, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("cannot count audits: %w", err)
	}
	page, args := db.OrderPage(auditSorts, f.Sort, "code", "x.id", f.Limit, f.Offset, args)
	rows, err := s.DB.R.QueryContext(ctx, `SELECT `+auditColumns+`,
			(SELECT COUNT(*) FROM audit_checklist c WHERE c.tenant_id = x.tenant_id AND c.audit_id = x.id),
			(SELECT COUNT(*) FROM audit_checklist c WHERE c.tenant_id = x.tenant_id AND c.audit_id = x.id AND c.verdict <> ''),
			(SELECT COUNT(*) FROM audit_findings f WHERE f.tenant_id = x.tenant_id AND f.audit_id = x.id),
			(SELECT COUNT(*) FROM audit_findings f JOIN nonconformities n ON n.id = f.nc_id WHERE f.tenant_id = x.tenant_id AND f.audit_id = x.id
				AND n.state IN ('reported', 'analysis', 'actions', 'verification'))`+auditFrom+where+page, args...)
	if err != nil {
		return nil, 0, fmt.Errorf("cannot list audits: %w", err)
	}
	defer rows.Close()
	var out []Row
	for rows.Next() {
		var r Row
		var clauses string
		x := &r.Audit
		if err := rows.Scan(&x.ID, &x.Tenant, &x.Code, &x.Year, &x.Seq, &x.ProgrammeID, &x.ItemID, &x.Title, &x.UnitID, &x.Process,
			&x.Scope, &x.Criteria, &clauses, &x.LeadID, &x.Auditees, &x.StartOn, &x.EndOn, &x.State, &x.CancelReason, &x.Summary, &x.Conclusions,
			&x.Distribution, &x.ReportedOn, &x.PreviousID, &x.CreatedAt, &x.UpdatedAt, &x.Version, &x.UnitName, &x.LeadName,
			&r.Items, &r.Recorded, &r.Findings, &r.OpenFindings); err != nil {
			return nil, 0, fmt.Errorf("cannot list audits: %w", err)
		}
		x.Clauses = splitClauses(clauses)
		out = append(out, r)
	}
	return out, total, rows.Err()
}

// Counts sums up a year's audits for the entry page.
type Counts struct {
	Planned, InProgress, Reporting, Closed, Cancelled int
	Findings, OpenFindings                            int
}

// YearCounts counts the audits of year by state, and their findings.
func (s *Service) YearCounts(ctx context.Context, a auth.Actor, year int) (Counts, error) {
	if err := a.Require(auth.PermAuditsView); err != nil {
		return Counts{}, err
	}
	var c Counts
	rows, err := s.DB.R.QueryContext(ctx, `SELECT state, COUNT(*) FROM internal_audits WHERE tenant_id = $1 AND year = $2 GROUP BY state`, a.Tenant, year)
	if err != nil {
		return c, fmt.Errorf("cannot count audits: %w", err)
	}
	for rows.Next() {
		var st string
		var n int
		if err := rows.Scan(&st, &n); err != nil {
			rows.Close()
			return c, fmt.Errorf("cannot count audits: %w", err)
		}
		switch st {
		case StatePlanned:
			c.Planned = n
		case StateInProgress:
			c.InProgress = n
		case StateReporting:
			c.Reporting = n
		case StateClosed:
			c.Closed = n
		case StateCancelled:
			c.Cancelled = n
		}
	}
	rows.Close()
	err = s.DB.R.QueryRowContext(ctx, `SELECT COUNT(*), COALESCE(SUM(CASE WHEN n.state IN ('reported', 'analysis', 'actions', 'verification') THEN 1 ELSE 0 END), 0)
		FROM audit_findings f JOIN internal_audits x ON x.id = f.audit_id LEFT JOIN nonconformities n ON n.id = f.nc_id
		WHERE f.tenant_id = $1 AND x.year = $2`, a.Tenant, year).Scan(&c.Findings, &c.OpenFindings)
	if err != nil {
		return c, fmt.Errorf("cannot count findings: %w", err)
	}
	return c, nil
}
