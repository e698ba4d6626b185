package compliance

import (
	"context"
	"fmt"
	"slices"
	"time"

	"cadran/internal/auth"
	"cadran/internal/evidence"
	"cadran/internal/frameworks"
	"cadran/internal/improvement"
)

// Kinds of external audit the readiness view prepares for.
const (
	ReadyCertification   = "certification"
	ReadySurveillance    = "surveillance"
	ReadyRecertification = "recertification"
)

// ReadyKinds lists them.
var ReadyKinds = []string{ReadySurveillance, ReadyRecertification, ReadyCertification}

// Severities of a gap.
const (
	SeverityHigh   = "high"
	SeverityMedium = "medium"
	SeverityLow    = "low"
)

// GapSeverities lists them, gravest first.
var GapSeverities = []string{SeverityHigh, SeverityMedium, SeverityLow}

// Gap kinds beyond a clause's own (see the Gap constants of the matrix).
const (
	GapNCOpen         = "nc_open"          // an open major or minor nonconformity
	GapActionOverdue  = "action_overdue"   // a corrective action past its due day
	GapFindingOpen    = "finding_open"     // a finding of the last external audit still open
	GapReviewOverdue  = "doc_review"       // a document linked to a clause overdue for review
	GapNoReview       = "no_review"        // no management review in the last 12 months
	GapPolicyMissing  = "policy_missing"   // no quality policy chosen
	GapPolicyNotForce = "policy_not_force" // the policy is not in force
	GapScopeMissing   = "scope_missing"
	GapScopeNotForce  = "scope_not_force"
	GapCertNone       = "cert_none"
	GapCertExpired    = "cert_expired"
	GapCertExpiring   = "cert_expiring"
	GapMilestoneLate  = "milestone_late" // a surveillance or recertification past its deadline
)

// ReadinessGap is one thing an auditor would find missing, with why, how
// grave and where to see it.
type ReadinessGap struct {
	Kind     string // a Gap constant; the message is compliance.gap.<Kind>
	Severity string
	Clause   string
	Code     string // the record's code (a nonconformity, a document)
	Title    string
	Href     string
	Date     string // a due day or a date the message names
}

// Readiness is the list of gaps before an external audit.
type Readiness struct {
	Audit      string // a Ready constant
	Gaps       []ReadinessGap
	Applicable int
	Ready      int
	BySeverity map[string]int
	Cycle      Cycle
	Settings   Settings
	// AuditedFrom is the start of the window of internal audits counted.
	AuditedFrom time.Time
}

// Percent is the share of applicable clauses without a gap.
func (r Readiness) Percent() int { return percent(r.Ready, r.Applicable) }

// DefaultReadyKind is the next external audit due by the cycle: the
// certification without a certificate, the recertification when that is
// next, else a surveillance.
func DefaultReadyKind(cy Cycle) string {
	switch {
	case cy.Certificate == nil || cy.State == CertExpired:
		return ReadyCertification
	case cy.Next != nil && cy.Next.Kind == KindRecertification:
		return ReadyRecertification
	}
	return ReadySurveillance
}

// Readiness lists the gaps before an external audit of kind (empty: the
// next one due). Every clause-level gap of the matrix is listed, then the
// registers' (open major and minor nonconformities, overdue corrective
// actions, open findings of the last external audit, documents overdue for
// review), the management review, the policy and scope, and the
// certificate.
func (s *Service) Readiness(ctx context.Context, a auth.Actor, kind string) (Readiness, error) {
	if err := a.Require(auth.PermComplianceView); err != nil {
		return Readiness{}, err
	}
	return s.readiness(ctx, a.Tenant, kind)
}

func (s *Service) readiness(ctx context.Context, tenant int64, kind string) (Readiness, error) {
	as, err := s.assess(ctx, s.DB.R, tenant, "")
	if err != nil {
		return Readiness{}, err
	}
	if !slices.Contains(ReadyKinds, kind) {
		kind = DefaultReadyKind(as.cycle)
	}
	r := Readiness{Audit: kind, BySeverity: map[string]int{}, Cycle: as.cycle, Settings: as.settings, AuditedFrom: as.auditedFrom}
	today := as.g.today
	t := dayString(today)
	add := func(g ReadinessGap) {
		r.Gaps = append(r.Gaps, g)
		r.BySeverity[g.Severity]++
	}

	// The clauses.
	for _, row := range as.rows {
		if !row.Status.Applicable() {
			continue
		}
		r.Applicable++
		if !row.Gap() {
			r.Ready++
		}
		for _, k := range row.Gaps {
			sev := SeverityMedium
			switch {
			case k == GapNotImplemented:
				sev = SeverityHigh
			case k == GapNotAudited && kind == ReadySurveillance:
				// A surveillance samples the system; a clause not audited
				// this year is a weakness, not a finding.
				sev = SeverityLow
			}
			add(ReadinessGap{Kind: k, Severity: sev, Clause: row.Clause.Code, Title: row.Clause.TitleRO, Href: "/compliance/clauses/" + row.Clause.Code})
		}
	}

	// Open major and minor nonconformities and overdue corrective actions.
	openIn, args := openStates(4)
	rows, err := s.DB.R.QueryContext(ctx, `SELECT id, code, title, clause, severity, detected_on FROM nonconformities
		WHERE tenant_id = $1 AND severity IN ($2, $3) AND state IN (`+openIn+`) ORDER BY severity_rank, detected_on, id`,
		append([]any{tenant, improvement.SeverityMajor, improvement.SeverityMinor}, args...)...)
	if err != nil {
		return Readiness{}, errRead("nonconformities", err)
	}
	for rows.Next() {
		var id int64
		var g ReadinessGap
		var sev string
		if err := rows.Scan(&id, &g.Code, &g.Title, &g.Clause, &sev, &g.Date); err != nil {
			rows.Close()
			return Readiness{}, errRead("nonconformities", err)
		}
		g.Kind, g.Severity, g.Href = GapNCOpen, SeverityMedium, fmt.Sprintf("/nonconformities/%d", id)
		if sev == improvement.SeverityMajor {
			g.Severity = SeverityHigh
		}
		add(g)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return Readiness{}, errRead("nonconformities", err)
	}
	rows, err = s.DB.R.QueryContext(ctx, `SELECT n.id, n.code, a.description, n.clause, a.due_on FROM improvement_actions a
		JOIN nonconformities n ON n.id = a.nc_id AND n.tenant_id = a.tenant_id
		WHERE a.tenant_id = $1 AND a.state = $2 AND a.due_on <> '' AND a.due_on < $3 ORDER BY a.due_on, a.id`, tenant, improvement.ActionOpen, t)
	if err != nil {
		return Readiness{}, errRead("actions", err)
	}
	for rows.Next() {
		var id int64
		g := ReadinessGap{Kind: GapActionOverdue, Severity: SeverityMedium}
		if err := rows.Scan(&id, &g.Code, &g.Title, &g.Clause, &g.Date); err != nil {
			rows.Close()
			return Readiness{}, errRead("actions", err)
		}
		g.Href = fmt.Sprintf("/nonconformities/%d#actions", id)
		add(g)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return Readiness{}, errRead("actions", err)
	}

	// The findings of the last external audit held, still open.
	var last *ExternalAudit
	for i := range as.cycle.Audits {
		if x := &as.cycle.Audits[i]; x.StartsOn <= t && (last == nil || x.StartsOn >= last.StartsOn) {
			last = x
		}
	}
	if last != nil {
		fs, err := findingsOf(ctx, s.DB.R, tenant, last.ID)
		if err != nil {
			return Readiness{}, err
		}
		for _, f := range fs {
			if !f.Open() {
				continue
			}
			sev := SeverityMedium
			if f.Severity == improvement.SeverityMajor {
				sev = SeverityHigh
			}
			add(ReadinessGap{Kind: GapFindingOpen, Severity: sev, Clause: f.Clause, Code: f.NCCode, Title: clip(f.Text, 200),
				Href: fmt.Sprintf("/compliance/audits/%d#finding-%d", last.ID, f.ID), Date: last.StartsOn})
		}
	}

	// Documents linked to a clause and overdue for review, once each.
	seen := map[int64]bool{}
	var due []evidence.Item
	for _, c := range frameworks.ISO9001 {
		if e, ok := as.g.own[c.Code]; ok {
			for _, d := range e.ReviewDue {
				if !seen[d.ID] {
					seen[d.ID] = true
					due = append(due, d)
				}
			}
		}
	}
	for _, d := range due {
		add(ReadinessGap{Kind: GapReviewOverdue, Severity: SeverityLow, Clause: d.Clause, Code: d.Code, Title: d.Title, Href: d.Href, Date: dayString(d.Date)})
	}

	// The management review.
	reviewed := false
	since := today.AddDate(0, -ReviewWindowMonths, 0)
	for _, e := range as.g.own {
		for _, it := range e.Reviews {
			if !it.Open && !it.Date.Before(since) {
				reviewed = true
			}
		}
	}
	if !reviewed {
		add(ReadinessGap{Kind: GapNoReview, Severity: SeverityHigh, Clause: "9.3", Href: "/reviews", Date: dayString(since)})
	}

	// The policy and the scope.
	st := as.settings
	switch {
	case st.Policy == nil:
		add(ReadinessGap{Kind: GapPolicyMissing, Severity: SeverityHigh, Clause: PolicyClause, Href: "/compliance/settings"})
	case !st.Policy.InForce:
		add(ReadinessGap{Kind: GapPolicyNotForce, Severity: SeverityHigh, Clause: PolicyClause, Code: st.Policy.Code, Title: st.Policy.Title, Href: fmt.Sprintf("/documents/%d", st.Policy.ID)})
	}
	switch {
	case st.Scope == nil:
		add(ReadinessGap{Kind: GapScopeMissing, Severity: SeverityHigh, Clause: ScopeClause, Href: "/compliance/settings"})
	case !st.Scope.InForce:
		add(ReadinessGap{Kind: GapScopeNotForce, Severity: SeverityHigh, Clause: ScopeClause, Code: st.Scope.Code, Title: st.Scope.Title, Href: fmt.Sprintf("/documents/%d", st.Scope.ID)})
	}

	// The certificate, for an audit that keeps one.
	if kind != ReadyCertification {
		cy := as.cycle
		switch cy.State {
		case CertNone:
			add(ReadinessGap{Kind: GapCertNone, Severity: SeverityHigh, Href: "/compliance/audits"})
		case CertExpired:
			add(ReadinessGap{Kind: GapCertExpired, Severity: SeverityHigh, Code: cy.Certificate.Number, Href: "/compliance/audits", Date: cy.Certificate.ExpiresOn})
		case CertExpiring:
			add(ReadinessGap{Kind: GapCertExpiring, Severity: SeverityMedium, Code: cy.Certificate.Number, Href: "/compliance/audits", Date: cy.Certificate.ExpiresOn})
		}
		for _, m := range cy.Milestones {
			if m.Overdue {
				add(ReadinessGap{Kind: GapMilestoneLate, Severity: SeverityHigh, Code: m.Kind, Href: "/compliance/audits", Date: m.Due})
			}
		}
	}
	slices.SortStableFunc(r.Gaps, func(x, y ReadinessGap) int {
		return slices.Index(GapSeverities, x.Severity) - slices.Index(GapSeverities, y.Severity)
	})
	return r, nil
}
