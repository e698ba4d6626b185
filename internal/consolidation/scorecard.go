package consolidation

import (
	"database/sql"
	"fmt"
	"strconv"
	"strings"

	"cadran/internal/scorecard"
)

// scorecard judges every KPI (not archived) for the latest period of its
// frequency ended by month, with the scorecard's own rule and target
// look-up, and adds it to its owning unit's body: a part of the body's
// roll-up (weighted by the KPI's weight) and one of the status counts.
// The owning unit is the KPI's own unit, else its objective's (a unit's
// scorecard), else its owner's unit; a KPI with none is unassigned.
func (r *reader) scorecard(month scorecard.Period, parts [][]scorecard.Part) error {
	type kpi struct {
		id, unit int64
		k        scorecard.KPI
	}
	rows, err := r.q.QueryContext(r.ctx, `SELECT k.id, COALESCE(k.unit_id, o.unit_id, p.unit_id, 0), k.code, k.name, k.polarity, k.method, k.frequency, k.baseline, k.red_low, k.red_high, k.weight
		FROM scorecard_kpis k
		LEFT JOIN scorecard_objectives o ON o.id = k.objective_id AND o.tenant_id = k.tenant_id
		LEFT JOIN people p ON p.id = k.owner_id AND p.tenant_id = k.tenant_id
		WHERE k.tenant_id = $1 AND NOT k.archived ORDER BY k.code, k.id`, r.tenant)
	if err != nil {
		return fmt.Errorf("cannot read KPIs: %w", err)
	}
	var kpis []kpi
	for rows.Next() {
		var x kpi
		var base, red, high sql.NullFloat64
		if err := rows.Scan(&x.id, &x.unit, &x.k.Code, &x.k.Name, &x.k.Polarity, &x.k.Method, &x.k.Frequency, &base, &red, &high, &x.k.Weight); err != nil {
			rows.Close()
			return fmt.Errorf("cannot read KPIs: %w", err)
		}
		x.k.ID, x.k.Baseline, x.k.Red, x.k.RedHigh = x.id, nullable(base), nullable(red), nullable(high)
		kpis = append(kpis, x)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("cannot read KPIs: %w", err)
	}
	if len(kpis) == 0 {
		return nil
	}
	// The period keys: each frequency's latest ended period, and its year
	// for the targets set per year.
	var vkeys, tkeys []any
	for _, f := range scorecard.Frequencies {
		p := scorecard.LatestEnded(f, month)
		vkeys = append(vkeys, p.Key())
		tkeys = append(tkeys, p.Key(), p.YearKey())
	}
	targets := map[int64][]scorecard.Target{}
	rows, err = r.q.QueryContext(r.ctx, `SELECT kpi_id, period, target, target_high FROM scorecard_targets WHERE tenant_id = $1 AND period IN (`+placeholders(len(tkeys), 2)+`)`,
		append([]any{r.tenant}, tkeys...)...)
	if err != nil {
		return fmt.Errorf("cannot read targets: %w", err)
	}
	for rows.Next() {
		var id int64
		var t scorecard.Target
		var high sql.NullFloat64
		if err := rows.Scan(&id, &t.Period, &t.Value, &high); err != nil {
			rows.Close()
			return fmt.Errorf("cannot read targets: %w", err)
		}
		t.High = nullable(high)
		targets[id] = append(targets[id], t)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("cannot read targets: %w", err)
	}
	values := map[string]float64{}
	rows, err = r.q.QueryContext(r.ctx, `SELECT kpi_id, period, value FROM scorecard_measurements WHERE tenant_id = $1 AND value IS NOT NULL AND period IN (`+placeholders(len(vkeys), 2)+`)`,
		append([]any{r.tenant}, vkeys...)...)
	if err != nil {
		return fmt.Errorf("cannot read values: %w", err)
	}
	for rows.Next() {
		var id int64
		var key string
		var v float64
		if err := rows.Scan(&id, &key, &v); err != nil {
			rows.Close()
			return fmt.Errorf("cannot read values: %w", err)
		}
		values[strconv.FormatInt(id, 10)+"/"+key] = v
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("cannot read values: %w", err)
	}
	for _, x := range kpis {
		p := scorecard.LatestEnded(x.k.Frequency, month)
		part := scorecard.Part{Kind: "kpi", ID: x.id, Code: x.k.Code, Name: x.k.Name, Href: fmt.Sprintf("/scorecard/kpis/%d", x.id),
			Weight: x.k.Weight, Status: scorecard.StatusNone}
		v, hasValue := values[strconv.FormatInt(x.id, 10)+"/"+p.Key()]
		t, hasTarget := scorecard.TargetFor(targets[x.id], p)
		if hasValue && hasTarget {
			res := x.k.Rule().Evaluate(v, t)
			part.Score, part.HasData, part.Status = res.Score, true, res.Status
		}
		i := r.at(x.unit)
		f := &r.figs[i]
		f.KPIs++
		switch part.Status {
		case scorecard.StatusGreen:
			f.Green++
		case scorecard.StatusAmber:
			f.Amber++
		case scorecard.StatusRed:
			f.Red++
		default:
			f.NoData++
		}
		parts[i] = append(parts[i], part)
	}
	return nil
}

func nullable(n sql.NullFloat64) *float64 {
	if !n.Valid {
		return nil
	}
	v := n.Float64
	return &v
}

// placeholders writes n placeholders from $from.
func placeholders(n, from int) string {
	ph := make([]string, n)
	for i := range ph {
		ph[i] = "$" + strconv.Itoa(from+i)
	}
	return strings.Join(ph, ", ")
}
