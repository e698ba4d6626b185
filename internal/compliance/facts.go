package compliance

import (
	"context"
	"fmt"

	"cadran/internal/evidence"
	"cadran/internal/improvement"
	"cadran/internal/work"
)

// ReviewFacts states the certificate and external audits of a period for
// the management review: the certificate and the next audit it is due
// (changes in context), the certification body's audits held in the
// period with their findings (audit results), and the gaps the readiness
// view lists today (opportunities for improvement).
func (s *Service) ReviewFacts(ctx context.Context, tenant int64, p evidence.Period) ([]evidence.Fact, error) {
	cy, err := s.cycle(ctx, s.DB.R, tenant)
	if err != nil {
		return nil, err
	}
	var out []evidence.Fact
	show := func(day string) string {
		if d, ok := parseDay(day); ok {
			return d.Format("02.01.2006")
		}
		return day
	}
	if c := cy.Certificate; c != nil {
		f := evidence.Fact{Input: evidence.InputContext, Key: "compliance.fact.certificate", Href: "/compliance/audits",
			Args: map[string]any{"Number": c.Number, "Body": c.Body, "Issued": show(c.IssuedOn), "Expires": show(c.ExpiresOn)}}
		if cy.State == CertExpired {
			f.Key, f.Warn = "compliance.fact.certificate_expired", true
		}
		out = append(out, f)
		if m := cy.Next; m != nil {
			out = append(out, evidence.Fact{Input: evidence.InputContext, Key: "compliance.fact.next." + m.Kind, Href: "/compliance/readiness",
				Args: map[string]any{"Due": show(m.Due)}, Warn: m.Overdue})
		}
	} else {
		out = append(out, evidence.Fact{Input: evidence.InputContext, Key: "compliance.fact.no_certificate", Href: "/compliance/audits"})
	}

	from, to := dayString(work.Day(p.From)), dayString(work.Day(p.To))
	audits, err := allAudits(ctx, s.DB.R, tenant)
	if err != nil {
		return nil, err
	}
	today := dayString(s.today())
	held := 0
	for _, x := range audits {
		if x.StartsOn < from || x.StartsOn >= to || x.StartsOn > today {
			continue
		}
		held++
		fs, err := findingsOf(ctx, s.DB.R, tenant, x.ID)
		if err != nil {
			return nil, err
		}
		by := map[string]int{}
		open := 0
		for _, f := range fs {
			by[f.Severity]++
			if f.Open() {
				open++
			}
		}
		out = append(out, evidence.Fact{Input: evidence.InputAudits, Key: "compliance.fact.external." + x.Kind, Href: fmt.Sprintf("/compliance/audits/%d", x.ID),
			Args: map[string]any{"Date": show(x.StartsOn), "Body": x.Body, "Major": by[improvement.SeverityMajor], "Minor": by[improvement.SeverityMinor],
				"Observations": by[improvement.SeverityObservation], "Opportunities": by[improvement.SeverityOpportunity], "Open": open},
			Warn: by[improvement.SeverityMajor] > 0 || x.Result == ResultNotRecommended})
	}
	if held == 0 {
		out = append(out, evidence.Fact{Input: evidence.InputAudits, Key: "compliance.fact.external_none", Href: "/compliance/audits"})
	}

	r, err := s.readiness(ctx, tenant, "")
	if err != nil {
		return nil, err
	}
	out = append(out, evidence.Fact{Input: evidence.InputImprovement, Key: "compliance.fact.readiness", Href: "/compliance/readiness",
		Args: map[string]any{"Count": len(r.Gaps), "High": r.BySeverity[SeverityHigh], "Percent": r.Percent()}, Warn: r.BySeverity[SeverityHigh] > 0})
	return out, nil
}
