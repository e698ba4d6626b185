package control

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"strings"
	"time"

	"cadran/internal/evidence"
	"cadran/internal/work"
)

var _ evidence.Source = (*Service)(nil)
var _ evidence.InputSource = (*Service)(nil)

// ISO 9001 clauses internal managerial control gives evidence for.
const (
	ClauseEvaluation = "9.1.3" // analysis and evaluation: the yearly self-evaluation
	ClauseRisks      = "6.1"   // actions to address risks: the sensitive functions
	ClauseDocumented = "7.5"   // documented information: procedure coverage
)

// ClauseEvidence gives the ISO 9001 matrix what internal managerial
// control holds: for 9.1.3 the latest consolidated or approved
// self-evaluation (its grade and standards implemented; open while only
// consolidated); for 6.1 the inventory of sensitive functions (open while
// someone is overdue for rotation); for 7.5 procedure coverage (open while
// an activity lacks a procedure). They are indicators, written in the
// institution's words (Romanian).
func (s *Service) ClauseEvidence(ctx context.Context, tenant int64) ([]evidence.Item, error) {
	today := work.Day(s.Clock.Now())
	q := s.DB.R
	var out []evidence.Item
	ev, ok, err := metLatestEvaluation(ctx, q, tenant, 0, today.Year())
	if err != nil {
		return nil, err
	}
	if ok {
		g, err := metGrade(ctx, q, tenant, ev)
		if err != nil {
			return nil, err
		}
		day, err := rvEvaluationDay(ctx, q, tenant, ev.ID)
		if err != nil {
			return nil, err
		}
		out = append(out, evidence.Item{Clause: ClauseEvaluation, Kind: evidence.KindIndicator, Entity: EntityEvaluation, ID: ev.ID,
			Code:  fmt.Sprintf("SCIM-%d", ev.Year),
			Title: metRO().T("controlmetrics.evidence.evaluation", "Year", ev.Year, "Implemented", g.Implemented, "Standards", g.Standards, "Grade", strings.ToLower(metRO().T("control.grade."+g.Grade))),
			Href:  fmt.Sprintf("/control/evaluations/%d/summary", ev.ID), Date: day, Open: ev.State != EvalApproved})
	}
	r, err := metRotation(ctx, q, tenant, today)
	if err != nil {
		return nil, err
	}
	if r.Functions > 0 {
		out = append(out, evidence.Item{Clause: ClauseRisks, Kind: evidence.KindRegister, Entity: EntitySensitive,
			Title: metRO().T("controlmetrics.evidence.sensitive", "Functions", r.Functions, "Holders", r.Holders, "Overdue", r.Overdue),
			Href:  "/control/sensitive", Date: today, Open: r.Overdue > 0})
	}
	c, err := metCoverage(ctx, q, tenant, today.AddDate(0, 0, 1))
	if err != nil {
		return nil, err
	}
	if c.Activities > 0 {
		out = append(out, evidence.Item{Clause: ClauseDocumented, Kind: evidence.KindIndicator, Entity: EntityActivity,
			Title: metRO().T("controlmetrics.evidence.coverage", "Percent", int(math.Floor(c.Percent())), "Covered", c.Covered, "Needed", c.Needed(), "Missing", c.Missing()),
			Href:  "/control/coverage", Date: today, Open: c.Missing() > 0})
	}
	return out, nil
}

// rvEvaluationDay is when an evaluation was settled: approved, else
// consolidated, else opened.
func rvEvaluationDay(ctx context.Context, q metQuerier, tenant, id int64) (time.Time, error) {
	var opened, consolidated, approved string
	err := q.QueryRowContext(ctx, `SELECT opened_on, consolidated_on, approved_on FROM control_evaluations WHERE tenant_id = $1 AND id = $2`, tenant, id).
		Scan(&opened, &consolidated, &approved)
	if err != nil {
		return time.Time{}, fmt.Errorf("cannot read self-evaluation %d: %w", id, err)
	}
	for _, d := range []string{approved, consolidated, opened} {
		if t, err := time.Parse(time.DateOnly, d); err == nil {
			return t, nil
		}
	}
	return time.Time{}, nil
}

// ReviewFacts states internal managerial control's figures for a period
// to the management review:
//   - under monitoring and measurement results (c5), the latest
//     self-evaluation consolidated or approved by the period's end (its
//     year at most the period's last): the standards implemented, partially
//     and not implemented and the system's grade (flagged unless conform),
//     or that none was made yet (flagged); and a self-evaluation still
//     open with the compartments that have answered (flagged past its due
//     day);
//   - under opportunities for improvement (f), the development
//     programme's actions due in the period, done on time and late, and
//     those overdue at its end (flagged when any);
//   - under process performance and conformity (c3), procedure coverage
//     at the period's end (flagged while an activity lacks a procedure);
//   - under actions on risks (e), the sensitive functions, the people in
//     them and those overdue for rotation on the period's last day
//     (flagged when any).
func (s *Service) ReviewFacts(ctx context.Context, tenant int64, p evidence.Period) ([]evidence.Fact, error) {
	f, t := work.Day(p.From), work.Day(p.To)
	if !t.After(f) {
		return nil, nil
	}
	last := t.AddDate(0, 0, -1)
	q := s.DB.R
	var facts []evidence.Fact

	ev, ok, err := metLatestEvaluation(ctx, q, tenant, 0, last.Year())
	if err != nil {
		return nil, err
	}
	if ok {
		g, err := metGrade(ctx, q, tenant, ev)
		if err != nil {
			return nil, err
		}
		facts = append(facts, evidence.Fact{Input: evidence.InputMonitoring, Key: "controlmetrics.fact.evaluation." + g.Grade,
			Args: map[string]any{"Year": ev.Year, "Implemented": g.Implemented, "Partial": g.Partial, "NotImplemented": g.NotImplemented, "Standards": g.Standards},
			Href: fmt.Sprintf("/control/evaluations/%d/summary", ev.ID), Warn: g.Grade != GradeConform})
	} else {
		facts = append(facts, evidence.Fact{Input: evidence.InputMonitoring, Key: "controlmetrics.fact.evaluation_none", Href: "/control/evaluations", Warn: true})
	}
	var open metEval
	err = q.QueryRowContext(ctx, `SELECT id, year, model, state, due_on FROM control_evaluations
		WHERE tenant_id = $1 AND state = $2 AND opened_on <= $3 ORDER BY year DESC LIMIT 1`, tenant, EvalOpen, last.Format(time.DateOnly)).
		Scan(&open.ID, &open.Year, &open.Model, &open.State, &open.DueOn)
	switch {
	case errors.Is(err, sql.ErrNoRows):
	case err != nil:
		return nil, fmt.Errorf("cannot read the self-evaluations: %w", err)
	default:
		var units, submitted int
		if err := q.QueryRowContext(ctx, `SELECT COUNT(*), COALESCE(SUM(CASE WHEN state = $3 THEN 1 ELSE 0 END), 0)
			FROM control_eval_units WHERE tenant_id = $1 AND evaluation_id = $2`, tenant, open.ID, UnitSubmitted).Scan(&units, &submitted); err != nil {
			return nil, fmt.Errorf("cannot count the self-evaluation's compartments: %w", err)
		}
		due, err := time.Parse(time.DateOnly, open.DueOn)
		shown := open.DueOn
		if err == nil {
			shown = due.Format("02.01.2006")
		}
		facts = append(facts, evidence.Fact{Input: evidence.InputMonitoring, Key: "controlmetrics.fact.evaluation_open",
			Args: map[string]any{"Year": open.Year, "Submitted": submitted, "Units": units, "Due": shown},
			Href: fmt.Sprintf("/control/evaluations/%d", open.ID), Warn: submitted < units && err == nil && last.After(due)})
	}

	a, err := metActions(ctx, q, tenant, f, t)
	if err != nil {
		return nil, err
	}
	if a.Due+a.Overdue > 0 {
		facts = append(facts, evidence.Fact{Input: evidence.InputImprovement, Key: "controlmetrics.fact.programme",
			Args: map[string]any{"Due": a.Due, "OnTime": a.OnTime, "Late": a.Late, "Overdue": a.Overdue}, Href: "/control/actions", Warn: a.Overdue > 0})
	} else {
		var programmes int
		if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM control_programmes WHERE tenant_id = $1 AND year >= $2 AND year <= $3 AND state IN ($4, $5)`,
			tenant, f.Year(), last.Year(), ProgrammeApproved, ProgrammeClosed).Scan(&programmes); err != nil {
			return nil, fmt.Errorf("cannot count the development programmes: %w", err)
		}
		if programmes == 0 {
			facts = append(facts, evidence.Fact{Input: evidence.InputImprovement, Key: "controlmetrics.fact.programme_none", Href: "/control/programmes", Warn: true})
		}
	}

	c, err := metCoverage(ctx, q, tenant, t)
	if err != nil {
		return nil, err
	}
	if c.Activities == 0 {
		facts = append(facts, evidence.Fact{Input: evidence.InputProcesses, Key: "controlmetrics.fact.coverage_none", Href: "/control/coverage", Warn: true})
	} else {
		facts = append(facts, evidence.Fact{Input: evidence.InputProcesses, Key: "controlmetrics.fact.coverage",
			Args: map[string]any{"Percent": int(math.Floor(c.Percent())), "Covered": c.Covered, "Needed": c.Needed(), "Missing": c.Missing(), "Exempt": c.Exempt},
			Href: "/control/coverage", Warn: c.Missing() > 0})
	}

	r, err := metRotation(ctx, q, tenant, last)
	if err != nil {
		return nil, err
	}
	if r.Functions == 0 {
		facts = append(facts, evidence.Fact{Input: evidence.InputRisks, Key: "controlmetrics.fact.sensitive_none", Href: "/control/sensitive", Warn: true})
	} else {
		facts = append(facts, evidence.Fact{Input: evidence.InputRisks, Key: "controlmetrics.fact.sensitive",
			Args: map[string]any{"Functions": r.Functions, "Holders": r.Holders, "Overdue": r.Overdue}, Href: "/control/sensitive", Warn: r.Overdue > 0})
	}
	return facts, nil
}
