package compliance

import (
	"context"
	"slices"
	"strings"
	"time"

	"cadran/internal/apperr"
	"cadran/internal/auth"
	"cadran/internal/evidence"
	"cadran/internal/frameworks"
	"cadran/internal/textutil"
)

// Gap reasons of a clause, in the order the matrix names them.
const (
	GapNotAssessed    = "not_assessed"
	GapNotImplemented = "not_implemented"
	GapPartial        = "partial"
	GapNoEvidence     = "no_evidence"
	GapNotAudited     = "not_audited"
)

// Row is one clause of the matrix.
type Row struct {
	Clause   frameworks.Clause
	Status   ClauseStatus
	Evidence *ClauseEvidence // with the sub-clauses' evidence rolled up
	Counts   Counts
	// LastAudit is the latest internal audit that covered the clause.
	LastAudit *evidence.Item
	// Gaps are what an auditor would find missing (empty for a clause not
	// applicable).
	Gaps []string
}

// Gap reports whether the clause has any gap.
func (r Row) Gap() bool { return len(r.Gaps) > 0 }

// Evidenced is the number of pieces of evidence of conformity.
func (r Row) Evidenced() int {
	c := r.Counts
	return c.Documents + len(r.Evidence.Summaries) + c.Audits + c.Reviews + c.Indicators + c.Manual
}

// Filter narrows the matrix.
type Filter struct {
	Chapter  string // "4" to "10"
	Status   string // a Statuses value
	GapsOnly bool
	Query    string // code or title, diacritics ignored
	Sort     string // clause, status, evidence, audited, ncs, gaps; "-" reverses
	Limit    int
	Offset   int
}

// MatrixSorts lists the sort keys of the matrix.
func MatrixSorts() []string {
	return []string{"clause", "status", "evidence", "audited", "ncs", "gaps"}
}

// Matrix is the compliance matrix and what its header shows.
type Matrix struct {
	Rows  []Row
	Total int
	// All counts every clause by status, before the filter.
	ByStatus map[string]int
	// Applicable, Ready: applicable clauses, and those without a gap.
	Applicable, Ready int
	Settings          Settings
	Cycle             Cycle
	// AuditedFrom is the start of the window an internal audit must fall in.
	AuditedFrom time.Time
}

// Percent is the share of applicable clauses without a gap.
func (m Matrix) Percent() int { return percent(m.Ready, m.Applicable) }

func percent(a, b int) int {
	if b == 0 {
		return 0
	}
	return a * 100 / b
}

// assessment is every clause's row, before any filter.
type assessment struct {
	rows        []Row
	g           *gathered
	cycle       Cycle
	settings    Settings
	auditedFrom time.Time
}

// auditedFrom is where the window of internal audits starts: twelve months
// back, or the last external audit held, whichever is earlier (the
// internal audits since the certification body last came count).
func auditedFrom(today time.Time, audits []ExternalAudit) time.Time {
	from := today.AddDate(0, -AuditWindowMonths, 0)
	t := dayString(today)
	var last string
	for _, x := range audits {
		if x.StartsOn <= t && x.StartsOn > last {
			last = x.StartsOn
		}
	}
	if d, ok := parseDay(last); ok && d.Before(from) {
		return d
	}
	return from
}

func (s *Service) assess(ctx context.Context, q querier, tenant int64, detail string) (*assessment, error) {
	g, err := s.gather(ctx, q, tenant, detail)
	if err != nil {
		return nil, err
	}
	st, err := statuses(ctx, q, tenant)
	if err != nil {
		return nil, err
	}
	as := &assessment{g: g}
	if as.cycle, err = s.cycle(ctx, q, tenant); err != nil {
		return nil, err
	}
	if as.settings, err = getSettings(ctx, q, tenant); err != nil {
		return nil, err
	}
	as.auditedFrom = auditedFrom(g.today, as.cycle.Audits)
	for _, c := range frameworks.ISO9001 {
		r := Row{Clause: c, Status: st[c.Code], Evidence: g.rolled(c.Code)}
		if r.Status.Status == "" {
			r.Status = ClauseStatus{Clause: c.Code, Status: StatusNotAssessed}
		}
		r.Counts = r.Evidence.Counts()
		r.LastAudit = r.Evidence.LastAudit()
		r.Gaps = clauseGaps(r, as.auditedFrom)
		as.rows = append(as.rows, r)
	}
	return as, nil
}

// clauseGaps names what is missing for one clause.
func clauseGaps(r Row, from time.Time) []string {
	var gaps []string
	switch r.Status.Status {
	case StatusNotApplicable:
		return nil
	case StatusNotAssessed:
		gaps = append(gaps, GapNotAssessed)
	case StatusNotImplemented:
		gaps = append(gaps, GapNotImplemented)
	case StatusPartial:
		gaps = append(gaps, GapPartial)
	}
	if !r.Evidence.HasEvidence() {
		gaps = append(gaps, GapNoEvidence)
	}
	if !r.Evidence.AuditedSince(from) {
		gaps = append(gaps, GapNotAudited)
	}
	return gaps
}

// Matrix returns the clauses matching f, with their status, evidence and
// gaps.
func (s *Service) Matrix(ctx context.Context, a auth.Actor, f Filter) (Matrix, error) {
	if err := a.Require(auth.PermComplianceView); err != nil {
		return Matrix{}, err
	}
	as, err := s.assess(ctx, s.DB.R, a.Tenant, "")
	if err != nil {
		return Matrix{}, err
	}
	m := Matrix{ByStatus: map[string]int{}, Settings: as.settings, Cycle: as.cycle, AuditedFrom: as.auditedFrom}
	q := textutil.Fold(strings.TrimSpace(f.Query))
	var rows []Row
	for _, r := range as.rows {
		m.ByStatus[r.Status.Status]++
		if r.Status.Applicable() {
			m.Applicable++
			if !r.Gap() {
				m.Ready++
			}
		}
		if f.Chapter != "" && r.Clause.Chapter() != f.Chapter {
			continue
		}
		if f.Status != "" && r.Status.Status != f.Status {
			continue
		}
		if f.GapsOnly && !r.Gap() {
			continue
		}
		if q != "" && !strings.Contains(textutil.Fold(r.Clause.Code+" "+r.Clause.TitleRO+" "+r.Clause.TitleEN), q) {
			continue
		}
		rows = append(rows, r)
	}
	sortRows(rows, f.Sort)
	m.Total = len(rows)
	limit := f.Limit
	if limit <= 0 {
		limit = len(rows)
	}
	start := min(max(0, f.Offset), len(rows))
	m.Rows = rows[start:min(len(rows), start+limit)]
	return m, nil
}

func sortRows(rows []Row, sort string) {
	key, desc := strings.CutPrefix(sort, "-")
	cmp := func(a, b Row) int {
		switch key {
		case "status":
			return slices.Index(Statuses, a.Status.Status) - slices.Index(Statuses, b.Status.Status)
		case "evidence":
			return a.Evidenced() - b.Evidenced()
		case "audited":
			return lastAuditDate(a).Compare(lastAuditDate(b))
		case "ncs":
			return a.Evidence.OpenNCs - b.Evidence.OpenNCs
		case "gaps":
			return len(a.Gaps) - len(b.Gaps)
		}
		return 0
	}
	slices.SortStableFunc(rows, func(a, b Row) int {
		c := cmp(a, b)
		if desc {
			c = -c
		}
		if c == 0 {
			c = frameworks.CompareClauses(a.Clause.Code, b.Clause.Code)
		}
		return c
	})
}

func lastAuditDate(r Row) time.Time {
	if r.LastAudit == nil {
		return time.Time{}
	}
	return r.LastAudit.Date
}

// ClausePage is one clause with all its evidence, the nonconformities
// listed one by one, and its sub-clauses' rows.
type ClausePage struct {
	Row
	Children    []Row
	AuditedFrom time.Time
}

// Clause returns the page of one clause; an unknown clause is not found.
func (s *Service) Clause(ctx context.Context, a auth.Actor, code string) (ClausePage, error) {
	if err := a.Require(auth.PermComplianceView); err != nil {
		return ClausePage{}, err
	}
	if !validClause(code) {
		return ClausePage{}, apperr.NotFound("clause")
	}
	// The clause's nonconformities are listed with its sub-clauses'.
	as, err := s.assess(ctx, s.DB.R, a.Tenant, code)
	if err != nil {
		return ClausePage{}, err
	}
	p := ClausePage{AuditedFrom: as.auditedFrom}
	for _, r := range as.rows {
		switch {
		case r.Clause.Code == code:
			p.Row = r
		case frameworks.Parent(r.Clause.Code) == code:
			p.Children = append(p.Children, r)
		}
	}
	return p, nil
}
