package scorecard

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"time"

	"cadran/internal/audit"
	"cadran/internal/auth"
	"cadran/internal/evidence"
	"cadran/internal/work"
)

// RefreshResult says what a refresh did.
type RefreshResult struct {
	Computed int // values of metric and formula KPIs written or changed
	Tasks    int // due-value tasks handed out
}

// RefreshYears is how far back a refresh computes the values of metric
// and formula KPIs: every period from the first of the year RefreshYears
// before this one (January 2023 in 2026) to the last one that has ended.
// The other modules' records exist before the KPI is defined, so a new
// KPI gets its trend at once; older periods are left as they are.
const RefreshYears = 3

// AllMetrics lists the metrics every source offers the institution, for
// the KPI form, sorted by key: the modules' own, and those made of the
// institution's records (evidence.TenantMetricSource).
func (s *Service) AllMetrics(ctx context.Context, tenant int64) ([]evidence.Metric, error) {
	var out []evidence.Metric
	for _, src := range s.Metrics {
		out = append(out, src.Metrics()...)
		if ts, ok := src.(evidence.TenantMetricSource); ok {
			more, err := ts.TenantMetrics(ctx, tenant)
			if err != nil {
				return nil, fmt.Errorf("cannot list the metrics of the institution's records: %w", err)
			}
			out = append(out, more...)
		}
	}
	slices.SortFunc(out, func(a, b evidence.Metric) int { return strings.Compare(a.Key, b.Key) })
	return out, nil
}

// rfSource finds the source of a metric key; a key of a record's metric
// ("citizen.on_time/URB-CU") belongs to the source of the metric before
// the slash.
func (s *Service) rfSource(key string) evidence.MetricSource {
	base, _, _ := strings.Cut(key, "/")
	for _, src := range s.Metrics {
		for _, m := range src.Metrics() {
			if m.Key == base {
				return src
			}
		}
	}
	// A metric offered only per record ("training.group_share/GT-1"): the
	// module whose own metrics share the key's prefix.
	if base != key {
		mod, _, _ := strings.Cut(base, ".")
		for _, src := range s.Metrics {
			if _, ok := src.(evidence.TenantMetricSource); !ok {
				continue
			}
			for _, m := range src.Metrics() {
				if p, _, _ := strings.Cut(m.Key, "."); p == mod {
					return src
				}
			}
		}
	}
	return nil
}

// msLastEnded is the last period of freq that has ended by day (whose end,
// exclusive, is at or before it).
func msLastEnded(freq string, day time.Time) Period { return Containing(freq, day).Prev() }

// Refresh brings one institution's scorecard up to date as of now: the
// values of KPIs fed by other modules' metrics and by formulas, for every
// period that has ended (and not only the latest), and a due-value task for
// the owner of each entered KPI whose latest ended period has no value.
//
// Running it twice changes nothing the second time: a computed value equal
// to the one stored is left alone, and a KPI has at most one open
// due-value task, for the period whose due day it carries (DueOn).
func (s *Service) Refresh(ctx context.Context, a auth.Actor, now time.Time) (RefreshResult, error) {
	if err := a.Require(auth.PermScorecardManage); err != nil {
		return RefreshResult{}, err
	}
	var res RefreshResult
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		var err error
		if res.Computed, err = s.rfCompute(ctx, tx, a, now); err != nil {
			return err
		}
		res.Tasks, err = s.rfDueTasks(ctx, tx, a, now)
		return err
	})
	if err != nil {
		return RefreshResult{}, err
	}
	return res, nil
}

// rfCompute writes the values of the metric and formula KPIs.
func (s *Service) rfCompute(ctx context.Context, tx *sql.Tx, a auth.Actor, now time.Time) (int, error) {
	today := work.Day(now)
	kpis, err := msKPIs(ctx, tx, a.Tenant, ` AND NOT k.archived`)
	if err != nil {
		return 0, err
	}
	byCode := map[string]msKPI{}
	var computed []msKPI
	formulas := map[int64]*Formula{}
	for _, k := range kpis {
		byCode[strings.ToUpper(k.Code)] = k
		switch {
		case k.Metric != "":
			computed = append(computed, k)
		case k.Formula != "":
			f, err := ParseFormula(k.Formula)
			if err != nil {
				slog.Warn("scorecard: formula cannot be read", "tenant", a.Tenant, "kpi", k.Code, "err", err)
				continue
			}
			formulas[k.ID] = f
		}
	}
	order, err := rfOrder(kpis, formulas, byCode)
	if err != nil {
		slog.Warn("scorecard: formulas refer to each other in a circle", "tenant", a.Tenant, "err", err)
	}
	computed = append(computed, order...)
	if len(computed) == 0 {
		return 0, nil
	}
	// The values the computed KPIs and the KPIs their formulas read have
	// now, a year further back for the yearly ones a formula reads.
	need := map[int64]bool{}
	for _, k := range computed {
		need[k.ID] = true
		for _, c := range formulas[k.ID].Codes() {
			if r, ok := byCode[c]; ok {
				need[r.ID] = true
			}
		}
	}
	ids := make([]int64, 0, len(need))
	for id := range need {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	start := time.Date(today.Year()-RefreshYears, 1, 1, 0, 0, 0, 0, time.UTC)
	in, args := msIn([]any{start.AddDate(-1, 0, 0).Format(time.DateOnly)}, ids)
	stored, err := msMeasurements(ctx, tx, a.Tenant, ` AND m.period_end >= $2 AND m.kpi_id IN (`+in+`)`, args...)
	if err != nil {
		return 0, err
	}
	rows := map[string]*Measurement{}
	values := map[string]float64{} // by msKey, the values in force
	for i := range stored {
		m := &stored[i]
		rows[msKey(m.KPIID, m.Period)] = m
		if m.Value != nil {
			values[msKey(m.KPIID, m.Period)] = *m.Value
		}
	}
	rec, err := audit.NewRecorder(ctx, tx, a.Tenant)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, k := range computed {
		var src evidence.MetricSource
		if k.Metric != "" {
			if src = s.rfSource(k.Metric); src == nil {
				slog.Warn("scorecard: no module offers the metric", "tenant", a.Tenant, "kpi", k.Code, "metric", k.Metric)
				continue
			}
		}
		last := msLastEnded(k.Frequency, today)
		for p := Containing(k.Frequency, start); !last.Before(p); p = p.Next() {
			var v float64
			var ok bool
			source := SourceComputed
			if src != nil {
				if v, ok, err = src.Measure(ctx, a.Tenant, k.Metric, p.Start(), p.End()); err != nil {
					return 0, fmt.Errorf("cannot compute %s for %s: %w", k.Code, p.Key(), err)
				}
			} else {
				source = SourceFormula
				v, ok = rfEval(formulas[k.ID], p, byCode, values)
			}
			if !ok {
				continue
			}
			v = msRound(v, k.Decimals)
			key := msKey(k.ID, p.Key())
			values[key] = v
			changed, err := rfWrite(ctx, tx, rec, a, k, p, rows[key], v, source, now)
			if err != nil {
				return 0, err
			}
			if changed {
				n++
			}
		}
	}
	return n, rec.Close(ctx)
}

// rfEval computes a formula KPI for period p from the values of the codes
// it reads: of the same period for a KPI of the same frequency, else of
// the period of that KPI's frequency that had ended by the end of p's last
// month (LatestEnded).
func rfEval(f *Formula, p Period, byCode map[string]msKPI, values map[string]float64) (float64, bool) {
	in := map[string]float64{}
	month := MonthOf(p.Last())
	for _, c := range f.Codes() {
		r, ok := byCode[c]
		if !ok {
			return 0, false
		}
		q := p
		if r.Frequency != p.Freq {
			q = LatestEnded(r.Frequency, month)
		}
		v, ok := values[msKey(r.ID, q.Key())]
		if !ok {
			return 0, false
		}
		in[c] = v
	}
	return f.Eval(in)
}

// rfOrder puts the formula KPIs in an order where each comes after the
// formula KPIs it reads; those in a circle are left out.
func rfOrder(kpis []msKPI, formulas map[int64]*Formula, byCode map[string]msKPI) ([]msKPI, error) {
	const (
		unseen = iota
		visiting
		done
	)
	state := map[int64]int{}
	var out []msKPI
	var circle []string
	var visit func(k msKPI) bool
	visit = func(k msKPI) bool {
		switch state[k.ID] {
		case done:
			return true
		case visiting:
			return false
		}
		state[k.ID] = visiting
		for _, c := range formulas[k.ID].Codes() {
			if r, ok := byCode[c]; ok && formulas[r.ID] != nil && !visit(r) {
				state[k.ID] = done
				circle = append(circle, k.Code)
				return false
			}
		}
		state[k.ID] = done
		out = append(out, k)
		return true
	}
	for _, k := range kpis {
		if formulas[k.ID] != nil {
			visit(k)
		}
	}
	if len(circle) > 0 {
		return out, fmt.Errorf("formulas in a circle: %s", strings.Join(circle, ", "))
	}
	return out, nil
}

// rfWrite puts a computed value in force, keeping a different value in
// the history as recomputed; it reports whether anything changed.
func rfWrite(ctx context.Context, tx *sql.Tx, rec *audit.Recorder, a auth.Actor, k msKPI, p Period, cur *Measurement, v float64, source string, now time.Time) (bool, error) {
	if cur != nil && cur.Value != nil && msSame(*cur.Value, v) && cur.Source == source {
		return false, nil
	}
	action := audit.ActionUpdate
	var before *Measurement
	var id int64
	if cur == nil {
		if err := tx.QueryRowContext(ctx, `INSERT INTO scorecard_measurements (tenant_id, kpi_id, period, period_end, value, source, entered_by_name, entered_at,
			approved_by_name, approved_at, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $7, $8, $8, $8) RETURNING id`,
			a.Tenant, k.ID, p.Key(), p.Last().Format(time.DateOnly), v, source, a.Name, now).Scan(&id); err != nil {
			return false, fmt.Errorf("cannot save computed value: %w", err)
		}
		action = audit.ActionCreate
	} else {
		before, id = cur, cur.ID
		if cur.Value != nil {
			if _, err := tx.ExecContext(ctx, `INSERT INTO scorecard_measurement_history (tenant_id, measurement_id, kpi_id, period, value, explanation, source,
				entered_by_name, entered_at, replaced_by_name, replaced_at, reason) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
				a.Tenant, cur.ID, k.ID, cur.Period, *cur.Value, cur.Explanation, cur.Source, cur.EnteredBy, msNullTime(cur.EnteredAt), a.Name, now, ReasonRecomputed); err != nil {
				return false, fmt.Errorf("cannot keep the old value: %w", err)
			}
		}
		if _, err := tx.ExecContext(ctx, `UPDATE scorecard_measurements SET value = $1, explanation = '', source = $2, entered_by = NULL, entered_by_name = $3,
			entered_at = $4, approved_by_name = $3, approved_at = $4, pending_value = NULL, pending_explanation = '', pending_source = '', pending_by = NULL,
			pending_by_name = '', pending_at = NULL, updated_at = $4, version = version + 1 WHERE tenant_id = $5 AND id = $6`,
			v, source, a.Name, now, a.Tenant, cur.ID); err != nil {
			return false, fmt.Errorf("cannot save computed value: %w", err)
		}
	}
	after := Measurement{ID: id, Tenant: a.Tenant, KPIID: k.ID, KPICode: k.Code, KPIName: k.Name, Period: p.Key(), Value: &v, Source: source,
		EnteredBy: a.Name, EnteredAt: &now, ApprovedBy: a.Name, ApprovedAt: &now, Updated: now, Version: 1}
	ev := audit.Event{Tenant: a.Tenant, Actor: a.Audit(), Action: action, Entity: EntityMeasurement, EntityID: id, Summary: msSummary(k.KPI, p.Key()), After: after}
	if before != nil {
		after.Version = before.Version + 1
		ev.Before, ev.After = *before, after
	}
	return true, rec.Record(ctx, now, ev)
}

// rfDueTasks hands each entered KPI's owner a task for the value of its
// latest ended period when that period has no value (in force or
// waiting). A KPI has at most one open due-value task: an older one still
// open is cancelled when a newer period falls due (the grid still shows
// every missing value as due).
func (s *Service) rfDueTasks(ctx context.Context, tx *sql.Tx, a auth.Actor, now time.Time) (int, error) {
	today := work.Day(now)
	kpis, err := msKPIs(ctx, tx, a.Tenant, ` AND NOT k.archived AND k.metric = '' AND k.formula = '' AND k.owner_id IS NOT NULL`)
	if err != nil || len(kpis) == 0 {
		return 0, err
	}
	var keys []string
	for _, f := range Frequencies {
		keys = append(keys, msLastEnded(f, today).Key())
	}
	in, args := msIn(nil, keys)
	ms, err := msMeasurements(ctx, tx, a.Tenant, ` AND m.period IN (`+in+`) AND (m.value IS NOT NULL OR m.pending_value IS NOT NULL)`, args...)
	if err != nil {
		return 0, err
	}
	has := map[string]bool{}
	for _, m := range ms {
		has[msKey(m.KPIID, m.Period)] = true
	}
	open := map[int64][]string{}
	rows, err := tx.QueryContext(ctx, `SELECT entity_id, due_on FROM tasks WHERE tenant_id = $1 AND module = $2 AND entity = $3 AND kind = $4 AND state = 'open'`,
		a.Tenant, Module, EntityKPI, work.KindReport)
	if err != nil {
		return 0, fmt.Errorf("cannot read due-value tasks: %w", err)
	}
	for rows.Next() {
		var id int64
		var due string
		if err := rows.Scan(&id, &due); err != nil {
			rows.Close()
			return 0, fmt.Errorf("cannot read due-value tasks: %w", err)
		}
		open[id] = append(open[id], due)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, fmt.Errorf("cannot read due-value tasks: %w", err)
	}
	n := 0
	for _, k := range kpis {
		p := msLastEnded(k.Frequency, today)
		// A KPI is asked for values from the period before the one it was
		// created in.
		if !k.ownerActive || has[msKey(k.ID, p.Key())] || p.Before(Containing(k.Frequency, k.Created).Prev()) {
			continue
		}
		due := DueOn(p)
		if slices.Contains(open[k.ID], due.Format(time.DateOnly)) {
			continue
		}
		if len(open[k.ID]) > 0 {
			if _, err := s.Work.Close(ctx, tx, a, work.Selector{Ref: msKPIRef(k.ID), Kind: work.KindReport}, work.StateCancelled); err != nil {
				return n, err
			}
		}
		if _, err := s.Work.Assign(ctx, tx, a, work.NewTask{Ref: msKPIRef(k.ID), Kind: work.KindReport,
			Title:   msClip(msRO().T("scorecard.task.due", "Code", k.Code, "Period", p.Label("ro")), 300),
			Details: msClip(fmt.Sprintf("%s (%s). Termen: %s.", k.Name, k.Code, due.Format("02.01.2006")), 4000),
			Link:    GridLink(k.Frequency, p.Year), Assignee: work.Assignee{PersonID: k.OwnerID}, Due: due}); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

// RefreshAll refreshes every institution, for the background loop. An
// institution that fails is logged and the others still run; the errors
// come back joined.
func (s *Service) RefreshAll(ctx context.Context) (RefreshResult, error) {
	rows, err := s.DB.R.QueryContext(ctx, `SELECT id FROM institutions ORDER BY id`)
	if err != nil {
		return RefreshResult{}, fmt.Errorf("cannot list institutions: %w", err)
	}
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return RefreshResult{}, fmt.Errorf("cannot list institutions: %w", err)
		}
		ids = append(ids, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return RefreshResult{}, fmt.Errorf("cannot list institutions: %w", err)
	}
	var total RefreshResult
	var errs []error
	now := s.Clock.Now()
	for _, id := range ids {
		if ctx.Err() != nil {
			return total, ctx.Err()
		}
		res, err := s.Refresh(ctx, auth.SystemActor(id, "Cadran"), now)
		if err != nil {
			slog.Error("scorecard: cannot refresh institution", "tenant", id, "err", err)
			errs = append(errs, fmt.Errorf("institution %d: %w", id, err))
			continue
		}
		total.Computed += res.Computed
		total.Tasks += res.Tasks
	}
	return total, errors.Join(errs...)
}
