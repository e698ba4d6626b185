package caf

import (
	"context"
	"fmt"

	"cadran/internal/auth"
)

// ReadinessItem is one thing the external feedback procedure (PEF) looks
// for, as the report lists it: a message key (caf.fact.*) with its
// arguments, and whether the cycle meets it.
type ReadinessItem struct {
	Key   string
	Args  map[string]any
	Ready bool
}

// Readiness lists the cycle's readiness for the external feedback
// procedure: the ten steps carried out, a group spanning units and levels,
// a communication plan, evidence and a consensus score for every
// sub-criterion, both surveys attached, and an improvement plan whose
// actions have owners and due dates.
func (s *Service) Readiness(ctx context.Context, a auth.Actor, cycleID int64) ([]ReadinessItem, error) {
	c, err := s.Cycle(ctx, a, cycleID)
	if err != nil {
		return nil, err
	}
	q := s.DB.R
	steps, err := stepsOf(ctx, q, a.Tenant, c.ID)
	if err != nil {
		return nil, err
	}
	done := 0
	for _, st := range steps {
		if st.DoneOn != "" {
			done++
		}
	}
	members, err := membersOf(ctx, q, a.Tenant, c)
	if err != nil {
		return nil, err
	}
	mix := Mix(members)
	cons, err := consensusOf(ctx, q, a.Tenant, c)
	if err != nil {
		return nil, err
	}
	evs, err := evidenceOf(ctx, q, a.Tenant, c)
	if err != nil {
		return nil, err
	}
	subs := c.CAF().Subs()
	scored, withEv := 0, 0
	has := map[string]bool{}
	staff, citizen := 0, 0
	for _, e := range evs {
		has[e.Sub] = true
		switch e.Kind {
		case EvidenceStaffSurvey:
			staff++
		case EvidenceCitizenSurvey:
			citizen++
		}
	}
	for _, sub := range subs {
		if x, ok := cons[sub.Code]; ok && x.Score != nil {
			scored++
		}
		if has[sub.Code] {
			withEv++
		}
	}
	var actions, owned, completed int
	if err := q.QueryRowContext(ctx, `SELECT COUNT(*),
			COALESCE(SUM(CASE WHEN owner_id IS NOT NULL AND due_on <> '' THEN 1 ELSE 0 END), 0),
			COALESCE(SUM(CASE WHEN state = $3 THEN 1 ELSE 0 END), 0)
		FROM caf_actions WHERE tenant_id = $1 AND cycle_id = $2 AND state <> $4`, a.Tenant, c.ID, ActionDone, ActionCancelled).Scan(&actions, &owned, &completed); err != nil {
		return nil, fmt.Errorf("cannot read CAF plan: %w", err)
	}
	commKey := "caf.fact.comm_plan"
	if c.CommPlan == "" {
		commKey = "caf.fact.no_comm_plan"
	}
	return []ReadinessItem{
		{Key: "caf.fact.steps", Args: map[string]any{"Done": done, "Total": Steps}, Ready: done == Steps},
		{Key: "caf.fact.group", Args: map[string]any{"Members": len(members), "Units": mix.Units, "Management": mix.Management, "Execution": mix.Execution},
			Ready: len(members) >= MinMembers && mix.Units >= 2 && mix.Management > 0 && mix.Execution > 0},
		{Key: commKey, Ready: c.CommPlan != ""},
		{Key: "caf.fact.evidence", Args: map[string]any{"With": withEv, "Total": len(subs)}, Ready: withEv == len(subs)},
		{Key: "caf.fact.consensus", Args: map[string]any{"Scored": scored, "Total": len(subs)}, Ready: scored == len(subs)},
		{Key: "caf.fact.surveys", Args: map[string]any{"Staff": staff, "Citizen": citizen, "StaffCriterion": StaffSurveyCriterion, "CitizenCriterion": CitizenSurveyCriterion},
			Ready: staff > 0 && citizen > 0},
		{Key: "caf.fact.plan", Args: map[string]any{"Actions": actions, "Owned": owned, "Done": completed}, Ready: actions > 0 && owned == actions},
	}, nil
}
