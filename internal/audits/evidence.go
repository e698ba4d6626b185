package audits

import (
	"context"
	"fmt"
	"time"

	"cadran/internal/auth"
	"cadran/internal/evidence"
	"cadran/internal/improvement"
	"cadran/internal/work"
)

var _ evidence.Source = (*Service)(nil)
var _ evidence.InputSource = (*Service)(nil)

// EvidenceYears is how far back audits count as evidence: the three-year
// certification cycle. A clause last audited before it shows as not
// audited in the cycle, which is the gap a certification body would find.
const EvidenceYears = 3

// ClauseEvidence lists the audits that covered each clause, with their
// result, for the compliance matrix: one item per clause of each audit
// that started within the last EvidenceYears years (its chosen clauses,
// and any clause its checklist or findings name), dated by the audit's
// last day (its first while under way), with the gravest verdict or
// finding of that clause. An audit not closed yet is open evidence.
func (s *Service) ClauseEvidence(ctx context.Context, tenant int64) ([]evidence.Item, error) {
	since := s.today().AddDate(-EvidenceYears, 0, 0).Format(time.DateOnly)
	rows, err := s.DB.R.QueryContext(ctx, `SELECT `+auditColumns+auditFrom+` WHERE x.tenant_id = $1 AND x.state IN ($2, $3, $4) AND x.start_on >= $5 ORDER BY x.start_on, x.id`,
		tenant, StateInProgress, StateReporting, StateClosed, since)
	if err != nil {
		return nil, fmt.Errorf("cannot read audits: %w", err)
	}
	list, err := scanAudits(rows)
	if err != nil {
		return nil, err
	}
	type key struct {
		audit  int64
		clause string
	}
	results := map[key]string{}
	named := map[int64][]string{} // clauses the checklist or findings name, by audit
	note := func(k key, rank int) {
		if rank < 0 || rank >= len(evidence.Results) {
			return
		}
		if _, ok := results[k]; !ok {
			named[k.audit] = append(named[k.audit], k.clause)
		}
		results[k] = worse(results[k], evidence.Results[rank])
	}
	// The gravest verdict of each clause of each audit, ranked in SQL so a
	// large institution's thousands of questions come back as one row per
	// clause.
	rank := `CASE %s WHEN 'conform' THEN 0 WHEN 'opportunity' THEN 1 WHEN 'observation' THEN 2 WHEN 'minor' THEN 3 WHEN 'major' THEN 4 ELSE -1 END`
	for _, q := range []string{
		`SELECT c.audit_id, c.clause, MAX(` + fmt.Sprintf(rank, "c.verdict") + `) FROM audit_checklist c JOIN internal_audits x ON x.id = c.audit_id
		WHERE c.tenant_id = $1 AND x.state IN ($2, $3, $4) AND x.start_on >= $5 AND c.clause <> '' AND c.verdict <> '' GROUP BY c.audit_id, c.clause`,
		`SELECT f.audit_id, f.clause, MAX(` + fmt.Sprintf(rank, "f.kind") + `) FROM audit_findings f JOIN internal_audits x ON x.id = f.audit_id
		WHERE f.tenant_id = $1 AND x.state IN ($2, $3, $4) AND x.start_on >= $5 AND f.clause <> '' GROUP BY f.audit_id, f.clause`,
	} {
		rows, err := s.DB.R.QueryContext(ctx, q, tenant, StateInProgress, StateReporting, StateClosed, since)
		if err != nil {
			return nil, fmt.Errorf("cannot read audit results: %w", err)
		}
		for rows.Next() {
			var k key
			var r int
			if err := rows.Scan(&k.audit, &k.clause, &r); err != nil {
				rows.Close()
				return nil, fmt.Errorf("cannot read audit results: %w", err)
			}
			note(k, r)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	var out []evidence.Item
	for _, x := range list {
		day := x.EndOn
		if x.State == StateInProgress {
			day = x.StartOn
		}
		d, _ := parseDay(day)
		clauses, _ := NormClauses(append(append([]string{}, x.Clauses...), named[x.ID]...))
		for _, c := range clauses {
			out = append(out, evidence.Item{Clause: c, Kind: evidence.KindAudit, Entity: "audit", ID: x.ID, Code: x.Code, Title: x.Title,
				Href: auditLink(x.ID), Date: d, Result: results[key{x.ID, c}], Open: x.State != StateClosed})
		}
	}
	return out, nil
}

// ReviewFacts states the audit results of a period for the management
// review: audits planned and held, findings by kind, findings whose case
// is still open, and how much of the programme was covered.
func (s *Service) ReviewFacts(ctx context.Context, tenant int64, p evidence.Period) ([]evidence.Fact, error) {
	from, to := work.Day(p.From).Format(time.DateOnly), work.Day(p.To).Format(time.DateOnly)
	today := s.today().Format(time.DateOnly)
	var planned, held, late int
	err := s.DB.R.QueryRowContext(ctx, `SELECT COUNT(*),
			COALESCE(SUM(CASE WHEN state IN ($4, $5, $6) THEN 1 ELSE 0 END), 0),
			COALESCE(SUM(CASE WHEN state = $7 AND start_on < $8 THEN 1 ELSE 0 END), 0)
		FROM internal_audits WHERE tenant_id = $1 AND start_on >= $2 AND start_on < $3 AND state <> $9`,
		tenant, from, to, StateInProgress, StateReporting, StateClosed, StatePlanned, today, StateCancelled).Scan(&planned, &held, &late)
	if err != nil {
		return nil, fmt.Errorf("cannot count audits: %w", err)
	}
	href := "/audits?year=" + fmt.Sprint(work.Day(p.From).Year())
	if planned == 0 {
		return []evidence.Fact{{Input: evidence.InputAudits, Key: "audits.fact.none", Href: href, Warn: true}}, nil
	}
	facts := []evidence.Fact{{Input: evidence.InputAudits, Key: "audits.fact.held", Args: map[string]any{"Held": held, "Planned": planned, "Late": late}, Href: href, Warn: late > 0}}
	kinds := map[string]int{}
	var open int
	rows, err := s.DB.R.QueryContext(ctx, `SELECT f.kind, COALESCE(n.state, '') FROM audit_findings f JOIN internal_audits x ON x.id = f.audit_id
		LEFT JOIN nonconformities n ON n.id = f.nc_id AND n.tenant_id = f.tenant_id
		WHERE f.tenant_id = $1 AND x.start_on >= $2 AND x.start_on < $3`, tenant, from, to)
	if err != nil {
		return nil, fmt.Errorf("cannot read findings: %w", err)
	}
	total := 0
	for rows.Next() {
		var kind, state string
		if err := rows.Scan(&kind, &state); err != nil {
			rows.Close()
			return nil, fmt.Errorf("cannot read findings: %w", err)
		}
		kinds[kind]++
		total++
		if improvement.IsOpen(state) {
			open++
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	facts = append(facts, evidence.Fact{Input: evidence.InputAudits, Key: "audits.fact.findings", Href: href, Warn: kinds[FindingMajor] > 0,
		Args: map[string]any{"Total": total, "Major": kinds[FindingMajor], "Minor": kinds[FindingMinor], "Observation": kinds[FindingObservation], "Opportunity": kinds[FindingOpportunity]}})
	if total > 0 {
		facts = append(facts, evidence.Fact{Input: evidence.InputAudits, Key: "audits.fact.open_findings", Args: map[string]any{"Open": open, "Total": total},
			Href: "/nonconformities?source=internal_audit", Warn: open > 0})
	}
	var items, covered int
	err = s.DB.R.QueryRowContext(ctx, `SELECT COUNT(*), COALESCE(SUM(CASE WHEN EXISTS (SELECT 1 FROM internal_audits x WHERE x.tenant_id = i.tenant_id AND x.item_id = i.id
			AND x.state IN ($4, $5, $6)) THEN 1 ELSE 0 END), 0)
		FROM audit_programme_items i JOIN audit_programmes p ON p.id = i.programme_id
		WHERE i.tenant_id = $1 AND p.year >= $2 AND p.year <= $3`, tenant, work.Day(p.From).Year(), work.Day(p.To.Add(-time.Second)).Year(), StateInProgress, StateReporting, StateClosed).Scan(&items, &covered)
	if err != nil {
		return nil, fmt.Errorf("cannot read programme coverage: %w", err)
	}
	if items > 0 {
		pct := covered * 100 / items
		facts = append(facts, evidence.Fact{Input: evidence.InputAudits, Key: "audits.fact.coverage", Args: map[string]any{"Covered": covered, "Items": items, "Percent": pct},
			Href: "/audits/programme?year=" + fmt.Sprint(work.Day(p.From).Year()), Warn: pct < 80})
	}
	return facts, nil
}

// MayView is a helper for other modules' pages: whether a reads audits.
func MayView(a auth.Actor) bool { return a.Can(auth.PermAuditsView) }
