package scorecard

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"sort"
	"strings"
	"time"

	"cadran/internal/evidence"
	"cadran/internal/textutil"
	"cadran/internal/work"
)

var _ evidence.Source = (*Service)(nil)
var _ evidence.InputSource = (*Service)(nil)

// ISO 9001 clauses the scorecard gives evidence for.
const (
	ClauseQualityObjectives = "6.2"   // quality objectives and planning to achieve them
	ClauseMonitoring        = "9.1"   // monitoring, measurement, analysis and evaluation
	ClauseSatisfaction      = "9.1.2" // customer satisfaction
)

// stSatisfaction reports whether a KPI clearly concerns the satisfaction
// of citizens (its metric, name or code says so).
func stSatisfaction(name, metric string) bool {
	f := textutil.Fold(name + " " + metric)
	return strings.Contains(f, "satisfac") || strings.Contains(f, "multumir")
}

// ClauseEvidence gives the compliance matrix the scorecard's evidence:
// each quality objective in use for 6.2, each KPI in use with at least one
// approved value for 9.1 (dated by its latest value), and for 9.1.2 too
// when it measures satisfaction.
func (s *Service) ClauseEvidence(ctx context.Context, tenant int64) ([]evidence.Item, error) {
	objs, err := stObjectives(ctx, s.DB.R, tenant, ObjectiveFilter{AllUnits: true, QualityOnly: true})
	if err != nil {
		return nil, err
	}
	var out []evidence.Item
	for _, o := range objs {
		out = append(out, evidence.Item{Clause: ClauseQualityObjectives, Kind: evidence.KindIndicator, Entity: EntityObjective, ID: o.ID,
			Code: o.Code, Title: o.Title, Href: fmt.Sprintf("/scorecard/objectives/%d", o.ID), Date: o.Updated})
	}
	rows, err := s.DB.R.QueryContext(ctx, `SELECT k.id, k.code, k.name, k.metric, m.entered_at, m.updated_at FROM scorecard_kpis k
		JOIN scorecard_measurements m ON m.id = (SELECT m2.id FROM scorecard_measurements m2
			WHERE m2.tenant_id = k.tenant_id AND m2.kpi_id = k.id AND m2.value IS NOT NULL ORDER BY m2.period DESC LIMIT 1)
		WHERE k.tenant_id = $1 AND NOT k.archived ORDER BY k.code`, tenant)
	if err != nil {
		return nil, fmt.Errorf("cannot read KPI evidence: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var code, name, metric string
		var entered sql.NullTime
		var updated time.Time
		if err := rows.Scan(&id, &code, &name, &metric, &entered, &updated); err != nil {
			return nil, fmt.Errorf("cannot read KPI evidence: %w", err)
		}
		date := updated
		if entered.Valid {
			date = entered.Time
		}
		it := evidence.Item{Clause: ClauseMonitoring, Kind: evidence.KindIndicator, Entity: EntityKPI, ID: id, Code: code, Title: name,
			Href: fmt.Sprintf("/scorecard/kpis/%d", id), Date: date}
		out = append(out, it)
		if stSatisfaction(name, metric) {
			it.Clause = ClauseSatisfaction
			out = append(out, it)
		}
	}
	return out, rows.Err()
}

// ReviewFacts states the period's objectives, monitoring results and
// process performance for the management review:
//   - objectives: the quality objectives met (green), partly met (amber),
//     not met (red) and without data as of the period's last month, and
//     each one not met on its own line;
//   - monitoring: the values the KPIs had for the periods that ended in the
//     review period, by status, and the values missing;
//   - processes: for each process with KPIs, its KPIs by the status of
//     their latest value in the period.
func (s *Service) ReviewFacts(ctx context.Context, tenant int64, p evidence.Period) ([]evidence.Fact, error) {
	from, to := work.Day(p.From), work.Day(p.To)
	if !to.After(from) {
		return nil, nil
	}
	month := MonthOf(to.AddDate(0, 0, -1))
	facts, err := s.stObjectiveFacts(ctx, tenant, month)
	if err != nil {
		return nil, err
	}
	more, err := s.stMonitoringFacts(ctx, tenant, from, to)
	if err != nil {
		return nil, err
	}
	return append(facts, more...), nil
}

func (s *Service) stObjectiveFacts(ctx context.Context, tenant int64, month Period) ([]evidence.Fact, error) {
	d, err := s.viewLoad(ctx, s.DB.R, tenant, month, true)
	if err != nil {
		return nil, err
	}
	if len(d.objectives) == 0 {
		return []evidence.Fact{{Input: evidence.InputObjectives, Key: "scorecard.fact.objectives_none", Href: "/scorecard/quality", Warn: true}}, nil
	}
	count := map[string]int{}
	var red []evidence.Fact
	for _, o := range d.objectives {
		c := d.objectiveCard(o, 0)
		count[c.Agg.Status]++
		if c.Agg.Status == StatusRed {
			red = append(red, evidence.Fact{Input: evidence.InputObjectives, Key: "scorecard.fact.objective_red",
				Args: map[string]any{"Code": o.Code, "Title": o.Title, "Score": int(c.Agg.Score + 0.5)},
				Href: fmt.Sprintf("/scorecard/objectives/%d", o.ID), Warn: true})
		}
	}
	facts := []evidence.Fact{{Input: evidence.InputObjectives, Key: "scorecard.fact.objectives",
		Args: map[string]any{"Count": len(d.objectives), "Green": count[StatusGreen], "Amber": count[StatusAmber], "Red": count[StatusRed],
			"None": count[StatusNone], "Month": month.Key()},
		Href: "/scorecard/quality?month=" + month.Key(), Warn: count[StatusRed] > 0 || count[StatusNone] > 0}}
	return append(facts, red...), nil
}

// stMonitoringFacts judges every value of the periods that ended within
// [from, to).
func (s *Service) stMonitoringFacts(ctx context.Context, tenant int64, from, to time.Time) ([]evidence.Fact, error) {
	end := to
	if today := work.Day(s.Clock.Now()).AddDate(0, 0, 1); today.Before(end) {
		end = today // a period still under way is not missing yet
	}
	periods := map[string][]Period{}
	var keys []any
	seen := map[string]bool{}
	for _, f := range Frequencies {
		for _, p := range Range(f, from, to.AddDate(0, 0, -1)) {
			if p.Start().Before(from) || p.End().After(end) {
				continue
			}
			periods[f] = append(periods[f], p)
			for _, k := range []string{p.Key(), p.YearKey()} {
				if !seen[k] {
					seen[k] = true
					keys = append(keys, k)
				}
			}
		}
	}
	rows, err := s.DB.R.QueryContext(ctx, `SELECT `+stKPIColumns+stKPIFrom+` WHERE k.tenant_id = $1 AND NOT k.archived ORDER BY k.code`, tenant)
	if err != nil {
		return nil, fmt.Errorf("cannot read KPIs: %w", err)
	}
	kpis, err := stScanKPIs(rows)
	if err != nil {
		return nil, err
	}
	if len(kpis) == 0 {
		return []evidence.Fact{{Input: evidence.InputMonitoring, Key: "scorecard.fact.monitoring_none", Href: "/scorecard/kpis", Warn: true}}, nil
	}
	targets, err := viewTargets(ctx, s.DB.R, tenant, keys)
	if err != nil {
		return nil, err
	}
	values := map[int64]map[string]float64{}
	if len(keys) > 0 {
		rows, err := s.DB.R.QueryContext(ctx, `SELECT kpi_id, period, value FROM scorecard_measurements WHERE tenant_id = $1 AND value IS NOT NULL AND period IN (`+viewIn(keys, 2)+`)`,
			append([]any{tenant}, keys...)...)
		if err != nil {
			return nil, fmt.Errorf("cannot read values: %w", err)
		}
		for rows.Next() {
			var id int64
			var key string
			var v float64
			if err := rows.Scan(&id, &key, &v); err != nil {
				rows.Close()
				return nil, fmt.Errorf("cannot read values: %w", err)
			}
			if values[id] == nil {
				values[id] = map[string]float64{}
			}
			values[id][key] = v
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	total := map[string]int{}
	var nvalues int
	type procCount struct{ kpis, green, amber, red, none int }
	procs := map[string]*procCount{}
	for _, k := range kpis {
		latest := StatusNone
		for _, p := range periods[k.Frequency] {
			v, ok := values[k.ID][p.Key()]
			if !ok {
				total["missing"]++
				continue
			}
			nvalues++
			st := StatusNone
			if t, ok := TargetFor(targets[k.ID], p); ok {
				st = k.Rule().Evaluate(v, t).Status
			}
			total[st]++
			latest = st
		}
		if k.Process != "" {
			pc := procs[k.Process]
			if pc == nil {
				pc = &procCount{}
				procs[k.Process] = pc
			}
			pc.kpis++
			switch latest {
			case StatusGreen:
				pc.green++
			case StatusAmber:
				pc.amber++
			case StatusRed:
				pc.red++
			default:
				pc.none++
			}
		}
	}
	facts := []evidence.Fact{{Input: evidence.InputMonitoring, Key: "scorecard.fact.monitoring",
		Args: map[string]any{"Count": len(kpis), "Values": nvalues, "Green": total[StatusGreen], "Amber": total[StatusAmber], "Red": total[StatusRed],
			"NoTarget": total[StatusNone], "Missing": total["missing"]},
		Href: "/scorecard/kpis", Warn: total[StatusRed] > 0 || total["missing"] > 0}}
	names := make([]string, 0, len(procs))
	for n := range procs {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		pc := procs[n]
		facts = append(facts, evidence.Fact{Input: evidence.InputProcesses, Key: "scorecard.fact.process",
			Args: map[string]any{"Process": n, "Count": pc.kpis, "Green": pc.green, "Amber": pc.amber, "Red": pc.red, "None": pc.none},
			Href: "/scorecard/kpis?process=" + url.QueryEscape(n), Warn: pc.red > 0})
	}
	return facts, nil
}
