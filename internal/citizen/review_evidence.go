package citizen

import (
	"context"
	"fmt"
	"math"
	"time"

	"cadran/internal/evidence"
	"cadran/internal/work"
)

var _ evidence.Source = (*Service)(nil)
var _ evidence.InputSource = (*Service)(nil)

// ISO 9001 clauses citizen services give evidence for.
const (
	ClauseSatisfaction = "9.1.2" // customer satisfaction: the citizens' ratings
	ClauseRequirements = "8.2"   // requirements for products and services: the catalogue
)

// OnTimeWarn is the share of cases closed on time below which a service is
// named in the management review.
const OnTimeWarn = 0.9

// SatisfactionWarn is the mean rating below which satisfaction is flagged
// in the management review.
const SatisfactionWarn = 3.5

// RatingsEvidenceMonths is how far back the ratings count as evidence of
// monitoring customer satisfaction.
const RatingsEvidenceMonths = 12

// ClauseEvidence gives the compliance matrix what citizen services hold:
// for 9.1.2 the citizens' ratings of the last twelve months (one item,
// dated by the latest rating), for 8.2 every active service of the
// catalogue (its responsible unit, legal deadline and documents required
// are the requirements the institution states).
func (s *Service) ClauseEvidence(ctx context.Context, tenant int64) ([]evidence.Item, error) {
	var out []evidence.Item
	today := work.Day(s.Clock.Now())
	since := today.AddDate(0, -RatingsEvidenceMonths, 0)
	var n int
	var sum int
	var latest string
	if err := s.DB.R.QueryRowContext(ctx, `SELECT COUNT(*), COALESCE(SUM(rating), 0), COALESCE(MAX(given_on), '') FROM citizen_feedback
		WHERE tenant_id = $1 AND given_on >= $2`, tenant, since.Format(time.DateOnly)).Scan(&n, &sum, &latest); err != nil {
		return nil, fmt.Errorf("cannot read ratings: %w", err)
	}
	if n > 0 {
		out = append(out, evidence.Item{Clause: ClauseSatisfaction, Kind: evidence.KindIndicator, Entity: EntityFeedback,
			Title: fmt.Sprintf("Evaluări ale satisfacției cetățenilor în ultimele 12 luni: %d, media %s din 5", n, stDecimal(float64(sum)/float64(n), ",")),
			Href:  "/citizen/feedback", Date: stParseDate(latest)})
	}
	services, err := stServices(ctx, s.DB.R, tenant, true)
	if err != nil {
		return nil, err
	}
	for _, p := range services {
		out = append(out, evidence.Item{Clause: ClauseRequirements, Kind: evidence.KindRegister, Entity: EntityService, ID: p.ID, Code: p.Code,
			Title: p.Name, Href: fmt.Sprintf("/citizen/services/%d", p.ID), Date: p.UpdatedAt})
	}
	return out, nil
}

// stDecimal writes f with one decimal and the given separator.
func stDecimal(f float64, sep string) string {
	t := int(math.Round(f * 10))
	return fmt.Sprintf("%d%s%d", t/10, sep, t%10)
}

// stTenths splits a mean into its whole part and tenths, so a fact's
// message writes it with the reader's decimal separator.
func stTenths(f float64) (whole, tenth int) {
	t := int(math.Round(f * 10))
	return t / 10, t % 10
}

// ReviewFacts states the period's facts for the management review:
//   - satisfaction: the ratings given in the period and their mean, and
//     per channel (after an answer, at a counter, online); flagged when
//     the mean is below SatisfactionWarn or there is no rating at all;
//   - processes: the cases closed in the period and the share closed on
//     time (flagged below OnTimeWarn), the cases open past their deadline
//     at the period's end (flagged when any), and each service below
//     OnTimeWarn on its own line, flagged.
func (s *Service) ReviewFacts(ctx context.Context, tenant int64, p evidence.Period) ([]evidence.Fact, error) {
	from, to := work.Day(p.From), work.Day(p.To).AddDate(0, 0, -1)
	if to.Before(from) {
		return nil, nil
	}
	var facts []evidence.Fact
	// Ratings by channel.
	rows, err := s.DB.R.QueryContext(ctx, `SELECT channel, COUNT(*), COALESCE(SUM(rating), 0) FROM citizen_feedback
		WHERE tenant_id = $1 AND given_on >= $2 AND given_on <= $3 GROUP BY channel`, tenant, from.Format(time.DateOnly), to.Format(time.DateOnly))
	if err != nil {
		return nil, fmt.Errorf("cannot read ratings: %w", err)
	}
	byChannel := map[string][2]int{}
	var total, sum int
	for rows.Next() {
		var ch string
		var n, s int
		if err := rows.Scan(&ch, &n, &s); err != nil {
			rows.Close()
			return nil, fmt.Errorf("cannot read ratings: %w", err)
		}
		byChannel[ch] = [2]int{n, s}
		total += n
		sum += s
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("cannot read ratings: %w", err)
	}
	if total == 0 {
		facts = append(facts, evidence.Fact{Input: evidence.InputSatisfaction, Key: "citizen.stats.fact.ratings_none", Href: "/citizen/feedback", Warn: true})
	} else {
		mean := float64(sum) / float64(total)
		w, t := stTenths(mean)
		facts = append(facts, evidence.Fact{Input: evidence.InputSatisfaction, Key: "citizen.stats.fact.ratings",
			Args: map[string]any{"Ratings": total, "Whole": w, "Tenth": t}, Href: "/citizen/feedback", Warn: mean < SatisfactionWarn})
		for _, ch := range []string{FeedbackAnswer, FeedbackCounter, FeedbackOnline} {
			c, ok := byChannel[ch]
			if !ok {
				continue
			}
			m := float64(c[1]) / float64(c[0])
			w, t := stTenths(m)
			facts = append(facts, evidence.Fact{Input: evidence.InputSatisfaction, Key: "citizen.stats.fact.ratings_" + ch,
				Args: map[string]any{"Ratings": c[0], "Whole": w, "Tenth": t}, Href: "/citizen/feedback?channel=" + ch, Warn: m < SatisfactionWarn})
		}
	}
	// Process performance.
	set, err := s.indicatorSet(ctx, tenant, from, to)
	if err != nil {
		return nil, err
	}
	if set.Total.Closed == 0 && set.Total.Registered == 0 {
		facts = append(facts, evidence.Fact{Input: evidence.InputProcesses, Key: "citizen.stats.fact.cases_none", Href: "/citizen/indicators"})
		return facts, nil
	}
	share := int(math.Round(set.Total.OnTimeShare * 100))
	facts = append(facts, evidence.Fact{Input: evidence.InputProcesses, Key: "citizen.stats.fact.cases",
		Args: map[string]any{"Registered": set.Total.Registered, "Closed": set.Total.Closed, "Percent": share},
		Href: "/citizen/indicators?from=" + from.Format(time.DateOnly) + "&to=" + to.Format(time.DateOnly),
		Warn: set.Total.Closed > 0 && set.Total.OnTimeShare < OnTimeWarn})
	if set.Total.OverdueOpen > 0 {
		facts = append(facts, evidence.Fact{Input: evidence.InputProcesses, Key: "citizen.stats.fact.overdue_open",
			Args: map[string]any{"Overdue": set.Total.OverdueOpen}, Href: "/citizen/cases?state=open&overdue=1", Warn: true})
	}
	for _, r := range set.Rows {
		if r.ServiceID == 0 || r.Closed == 0 || r.OnTimeShare >= OnTimeWarn {
			continue
		}
		facts = append(facts, evidence.Fact{Input: evidence.InputProcesses, Key: "citizen.stats.fact.service_late",
			Args: map[string]any{"Code": r.Code, "Name": r.Name, "Closed": r.Closed, "Percent": int(math.Round(r.OnTimeShare * 100))},
			Href: fmt.Sprintf("/citizen/services/%d", r.ServiceID), Warn: true})
	}
	return facts, nil
}
