package caf

import (
	"context"

	"cadran/internal/auth"
	"cadran/internal/frameworks"
)

// Scored is a score and the previous cycle's, either nil when missing.
type Scored struct {
	Score    *float64
	Previous *float64
}

// Delta is the change since the previous cycle, ok false when either is
// missing.
func (x Scored) Delta() (float64, bool) {
	if x.Score == nil || x.Previous == nil {
		return 0, false
	}
	return *x.Score - *x.Previous, true
}

// SubResult is a sub-criterion's consensus score.
type SubResult struct {
	Code string
	Scored
}

// CriterionResult is a criterion's score: the mean of its sub-criteria.
type CriterionResult struct {
	Code string
	Kind string // enabler, result
	Scored
	Subs []SubResult
}

// Results are a cycle's scores per sub-criterion, criterion, enablers,
// results and in total, beside the previous cycle's.
type Results struct {
	Cycle    Cycle
	Previous *Cycle
	Criteria []CriterionResult
	Enablers Scored // mean of the enablers' sub-criteria
	Results  Scored // mean of the results' sub-criteria
	Total    Scored // mean of all sub-criteria
	Missing  int    // sub-criteria without a consensus score
}

// ResultsOf computes a cycle's results.
func (s *Service) ResultsOf(ctx context.Context, a auth.Actor, cycleID int64) (Results, error) {
	c, err := s.Cycle(ctx, a, cycleID)
	if err != nil {
		return Results{}, err
	}
	cons, err := consensusOf(ctx, s.DB.R, a.Tenant, c)
	if err != nil {
		return Results{}, err
	}
	scores := map[string]*float64{}
	for code, x := range cons {
		scores[code] = x.Score
	}
	var prev *Cycle
	prevScores := map[string]*float64{}
	if c.PreviousID != 0 {
		p, err := getCycle(ctx, s.DB.R, a.Tenant, c.PreviousID)
		if err != nil {
			return Results{}, err
		}
		prev = &p
		pc, err := consensusOf(ctx, s.DB.R, a.Tenant, p)
		if err != nil {
			return Results{}, err
		}
		for code, x := range pc {
			prevScores[code] = x.Score
		}
	}
	r := Compute(c.CAF(), scores, prevScores)
	r.Cycle, r.Previous = c, prev
	return r, nil
}

// Compute rolls the sub-criteria's consensus scores (and the previous
// cycle's, matched by code) up the model, as CAF 2020 does it: a
// criterion's score is the mean of its sub-criteria that have a score; the
// enablers' and the results' totals, and the total, are likewise means of
// the sub-criteria (not of the criteria, so a criterion with four
// sub-criteria weighs twice one with two). Sub-criteria without a score
// are left out of every mean and counted in Missing.
func Compute(model frameworks.CAF, scores, previous map[string]*float64) Results {
	var r Results
	var en, enP, res, resP, all, allP []*float64
	for _, cr := range model.Criteria {
		out := CriterionResult{Code: cr.Code, Kind: cr.Kind}
		var cur, old []*float64
		for _, sub := range cr.Sub {
			x := SubResult{Code: sub.Code, Scored: Scored{Score: scores[sub.Code], Previous: previous[sub.Code]}}
			if x.Score == nil {
				r.Missing++
			}
			out.Subs = append(out.Subs, x)
			cur, old = append(cur, x.Score), append(old, x.Previous)
		}
		out.Score, out.Previous = MeanPtr(cur), MeanPtr(old)
		if cr.Kind == frameworks.CAFEnabler {
			en, enP = append(en, cur...), append(enP, old...)
		} else {
			res, resP = append(res, cur...), append(resP, old...)
		}
		all, allP = append(all, cur...), append(allP, old...)
		r.Criteria = append(r.Criteria, out)
	}
	r.Enablers = Scored{Score: MeanPtr(en), Previous: MeanPtr(enP)}
	r.Results = Scored{Score: MeanPtr(res), Previous: MeanPtr(resP)}
	r.Total = Scored{Score: MeanPtr(all), Previous: MeanPtr(allP)}
	return r
}
