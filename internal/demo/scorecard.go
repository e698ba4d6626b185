package demo

import (
	"cadran/internal/control"
	"context"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"cadran/internal/auth"
	"cadran/internal/citizen"
	"cadran/internal/clock"
	"cadran/internal/documents"
	"cadran/internal/evidence"
	"cadran/internal/improvement"
	"cadran/internal/notify"
	"cadran/internal/org"
	"cadran/internal/risks"
	"cadran/internal/scorecard"
	"cadran/internal/training"
	"cadran/internal/work"
)

// scSeeder plays the scorecard's three years: the quality manager builds
// the structure when the strategy is adopted, the owners (and, for two
// KPIs, the registry clerk and an employee) enter each period's values a
// few days after it ends, the owners approve the values others entered,
// a few values are corrected later, and today the computed KPIs refresh
// and the due-value tasks are handed out.
type scSeeder struct {
	s       *seeder
	svc     *scorecard.Service
	clk     *clock.Fixed
	tenant  int64
	now     time.Time
	people  map[string]org.Person
	users   map[string]int64
	units   map[string]int64
	staff   map[string]org.Person // staff:<unit> keys
	actors  map[string]auth.Actor
	objs    map[string]scorecard.Objective
	kpis    map[string]scorecard.KPI
	targets map[string][]scorecard.Target
}

// userOfPerson names the demo users by the people key they are linked to.
var userOfPerson = map[string]string{"mayor": "primar", "head:de": "economic", "calitate": "calitate", "angajat": "angajat", "registratura": "registratura"}

// scorecard seeds the demo municipality's Balanced Scorecard and returns
// how many KPIs and measurements it made.
func (s *seeder) scorecard(ctx context.Context, tenant int64, unitIDs map[string]int64, people map[string]org.Person, users map[string]int64) (kpis, measurements int, err error) {
	now := s.clock.Now()
	clk := clock.NewFixed(now)
	notes := &notify.Service{DB: s.db, Clock: clk}
	if s.work.Notify != nil {
		notes.Bundle = s.work.Notify.Bundle
	}
	ws := &work.Service{DB: s.db, Clock: clk, Notify: notes}
	// The other modules' figures some KPIs are fed by, as the server wires
	// them.
	metrics := []evidence.MetricSource{
		&documents.Service{DB: s.db, Clock: clk, Work: ws},
		&risks.Service{DB: s.db, Clock: clk, Work: ws},
		&improvement.Service{DB: s.db, Clock: clk, Work: ws},
		&citizen.Service{DB: s.db, Clock: clk, Work: ws},
		&training.Service{DB: s.db, Clock: clk, Work: ws},
		&control.Service{DB: s.db, Clock: clk, Work: ws},
	}
	ss := &scSeeder{s: s, svc: &scorecard.Service{DB: s.db, Clock: clk, Work: ws, Metrics: metrics}, clk: clk, tenant: tenant, now: now,
		people: people, users: users, units: unitIDs, staff: map[string]org.Person{}, actors: map[string]auth.Actor{},
		objs: map[string]scorecard.Objective{}, kpis: map[string]scorecard.KPI{}, targets: map[string][]scorecard.Target{}}
	if err := ss.run(ctx); err != nil {
		return 0, 0, fmt.Errorf("cannot seed the demo scorecard: %w", err)
	}
	if err := s.db.R.QueryRowContext(ctx, `SELECT COUNT(*) FROM scorecard_measurements WHERE tenant_id = $1`, tenant).Scan(&measurements); err != nil {
		return 0, 0, fmt.Errorf("cannot count the demo measurements: %w", err)
	}
	return len(ss.kpis), measurements, nil
}

// person finds a people key, or "staff:<unit>": the unit's first person
// who is neither its head nor a demo user's.
func (ss *scSeeder) person(ctx context.Context, key string) (org.Person, error) {
	if p, ok := ss.people[key]; ok {
		return p, nil
	}
	unit, ok := strings.CutPrefix(key, "staff:")
	if !ok {
		return org.Person{}, fmt.Errorf("no demo person %q", key)
	}
	if p, ok := ss.staff[key]; ok {
		return p, nil
	}
	taken := map[int64]bool{}
	for _, p := range ss.people {
		taken[p.ID] = true
	}
	rows, err := ss.s.db.R.QueryContext(ctx, `SELECT id, full_name FROM people WHERE tenant_id = $1 AND unit_id = $2 AND active ORDER BY id`, ss.tenant, ss.units[unit])
	if err != nil {
		return org.Person{}, fmt.Errorf("cannot read the demo people: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var p org.Person
		if err := rows.Scan(&p.ID, &p.FullName); err != nil {
			return org.Person{}, fmt.Errorf("cannot read the demo people: %w", err)
		}
		if !taken[p.ID] {
			p.UnitID = ss.units[unit]
			ss.staff[key] = p
			return p, nil
		}
	}
	return org.Person{}, fmt.Errorf("the demo unit %q has no staff", unit)
}

// actor acts as the person: through their demo user when they have one,
// else in their own name without a sign-in, as a head of unit or an
// employee.
func (ss *scSeeder) actor(ctx context.Context, key string) (auth.Actor, error) {
	if a, ok := ss.actors[key]; ok {
		return a, nil
	}
	var a auth.Actor
	if u, ok := userOfPerson[key]; ok {
		var err error
		if a, err = ss.s.users.ActorByID(ctx, ss.users[u]); err != nil {
			return a, fmt.Errorf("cannot act as the demo user %s: %w", u, err)
		}
	} else {
		p, err := ss.person(ctx, key)
		if err != nil {
			return a, err
		}
		role := auth.RoleHeadOfUnit
		switch {
		case strings.HasPrefix(key, "staff:"):
			role = auth.RoleEmployee
		case key == "deputy" || key == "secretary":
			role = auth.RoleTopManagement
		}
		a = auth.Actor{Tenant: ss.tenant, Name: p.FullName, PersonID: p.ID, Roles: []auth.Role{role}, Locale: "ro"}
	}
	ss.actors[key] = a
	return a, nil
}

// at sets the clock, never past today.
func (ss *scSeeder) at(t time.Time) {
	if limit := ss.now.Add(-time.Hour); t.After(limit) {
		t = limit
	}
	ss.clk.Set(t)
}

func (ss *scSeeder) run(ctx context.Context) error {
	qm, err := ss.actor(ctx, "calitate")
	if err != nil {
		return err
	}
	last := scorecard.MonthOf(ss.now).Prev() // the last month that has ended
	first := last
	for range 35 {
		first = first.Prev()
	}
	// The strategy was adopted the month before the first values.
	adopted := first.Start().AddDate(0, 0, -24).Add(9 * time.Hour)
	ss.at(adopted)
	if err := ss.svc.EnsureDefaults(ctx, qm); err != nil {
		return err
	}
	persp, err := ss.svc.Perspectives(ctx, qm)
	if err != nil {
		return err
	}
	perspByKind := map[string]int64{}
	for _, p := range persp {
		perspByKind[p.Kind] = p.ID
	}
	for i, o := range demoObjectives {
		ss.at(adopted.Add(time.Duration(10+i) * time.Minute))
		owner, err := ss.person(ctx, o.owner)
		if err != nil {
			return err
		}
		in := scorecard.ObjectiveInput{PerspectiveID: perspByKind[o.persp], UnitID: ss.units[o.unit], ParentID: ss.objs[o.parent].ID,
			Title: o.title, Description: o.desc, OwnerID: owner.ID, Weight: o.weight, Quality: o.quality}
		obj, err := ss.svc.CreateObjective(ctx, qm, in)
		if err != nil {
			return fmt.Errorf("objective %s: %w", o.key, err)
		}
		ss.objs[o.key] = obj
	}
	ss.at(adopted.Add(time.Hour))
	for _, l := range scLinks {
		if err := ss.svc.AddLink(ctx, qm, scorecard.Link{FromID: ss.objs[l[0]].ID, ToID: ss.objs[l[1]].ID, Note: l[2]}); err != nil {
			return fmt.Errorf("link %s → %s: %w", l[0], l[1], err)
		}
	}
	// KPIs and their targets, the day after; a formula's KPIs first.
	for i, k := range scOrdered() {
		ss.at(adopted.AddDate(0, 0, 1).Add(time.Duration(i) * time.Minute))
		if err := ss.createKPI(ctx, qm, k, last.Year); err != nil {
			return fmt.Errorf("KPI %s: %w", k.code, err)
		}
	}
	if err := ss.values(ctx, first, last); err != nil {
		return err
	}
	if err := ss.initiatives(ctx, qm); err != nil {
		return err
	}
	// Today: the computed KPIs fill in and the due-value tasks go out.
	ss.clk.Set(ss.now)
	if _, err := ss.svc.Refresh(ctx, qm, ss.now); err != nil {
		return fmt.Errorf("refresh: %w", err)
	}
	return nil
}

// scOrdered lists the KPIs with those a formula reads before it.
func scOrdered() []scKPISpec {
	var read, rest []scKPISpec
	for _, k := range demoKPIs {
		if k.objective == "" {
			read = append(read, k)
		} else {
			rest = append(rest, k)
		}
	}
	return append(read, rest...)
}

func (ss *scSeeder) createKPI(ctx context.Context, qm auth.Actor, k scKPISpec, year int) error {
	owner, err := ss.person(ctx, k.owner)
	if err != nil {
		return err
	}
	in := scorecard.KPIInput{Code: k.code, Name: k.name, Description: k.desc, MeasureUnit: k.unit, Polarity: k.polarity, Method: k.method,
		Frequency: k.freq, Baseline: k.base, Red: k.red, RedHigh: k.high, Decimals: k.decimals, OwnerID: owner.ID, DataSource: k.source,
		Metric: k.metric, Formula: k.formula, ObjectiveID: ss.objs[k.objective].ID, UnitID: ss.units[k.orgUnit], Process: k.process, Weight: k.weight}
	if in.Weight == 0 && k.objective != "" {
		in.Weight = 1
	}
	kpi, err := ss.svc.CreateKPI(ctx, qm, in)
	if err != nil {
		return err
	}
	var ts []scorecard.Target
	if k.targets != [4]float64{} || k.objective != "" {
		for i, v := range k.targets {
			t := scorecard.Target{Period: fmt.Sprintf("%04d", year-3+i), Value: v}
			if k.polarity == band {
				t.High = f64(k.bandTop)
			}
			ts = append(ts, t)
		}
		for n, v := range k.periodTargets {
			p := scorecard.Period{Freq: k.freq, Year: year, N: n}
			ts = append(ts, scorecard.Target{Period: p.Key(), Value: v})
		}
		slices.SortFunc(ts, func(a, b scorecard.Target) int { return strings.Compare(a.Period, b.Period) })
		if err := ss.svc.SetTargets(ctx, qm, kpi.ID, kpi.Version, ts); err != nil {
			return err
		}
	}
	ss.kpis[k.code] = kpi
	ss.targets[k.code] = ts
	return nil
}

// series makes a KPI's values for its periods: the given last values, or a
// trend from the first value to the last with noise; the last is exact.
func (ss *scSeeder) series(k scKPISpec, n int) []float64 {
	out := make([]float64, n)
	if len(k.vals) > 0 {
		for i := range out {
			if j := len(k.vals) - n + i; j >= 0 {
				out[i] = k.vals[j]
			} else {
				out[i] = math.NaN()
			}
		}
		return out
	}
	scale := math.Pow(10, float64(k.decimals))
	for i := range out {
		v := k.to
		if i < n-1 {
			frac := float64(i) / float64(max(n-1, 1))
			v = k.from + (k.to-k.from)*frac + k.noise*ss.s.rng.NormFloat64()
		}
		v = math.Round(v*scale) / scale
		if v < 0 {
			v = 0
		}
		if k.unit == "%" && v > 100 {
			v = 100
		}
		out[i] = v
	}
	return out
}

// scBatch is the values one person enters on one day.
type scBatch struct {
	at      time.Time
	who     string // people key
	source  string
	entries []scorecard.Entry
	// approve: the owner approves these KPIs' values of the batch two days
	// later (the KPI's code and its owner's key).
	approve map[string]string
}

// values plays the periods from first to last month: each period's values
// are entered a few days after it ends, by the owner or by the person who
// keeps the figures, and approved by the owner two days later.
func (ss *scSeeder) values(ctx context.Context, first, last scorecard.Period) error {
	batches := map[string]*scBatch{}
	var order []string
	whyN := map[string]int{}
	// Each person enters on their own day of the month.
	day := map[string]int{}
	for _, k := range demoKPIs {
		if k.metric != "" || k.formula != "" {
			continue
		}
		var periods []scorecard.Period
		for _, p := range scorecard.Range(k.freq, first.Start(), last.Last()) {
			if p.End().After(first.Start()) && !p.End().After(last.End()) {
				periods = append(periods, p)
			}
		}
		vals := ss.series(k, len(periods))
		kpi := ss.kpis[k.code]
		who := k.owner
		if k.by != "" {
			who = k.by
		}
		if _, ok := day[who]; !ok {
			day[who] = 2 + len(day)%7
		}
		for i, p := range periods {
			v := vals[i]
			if math.IsNaN(v) {
				continue
			}
			lastOne := i == len(periods)-1
			if lastOne && k.skipLast {
				continue
			}
			e := scorecard.Entry{KPIID: kpi.ID, Period: p.Key(), Value: v}
			if t, ok := scorecard.TargetFor(ss.targets[k.code], p); ok && kpi.Rule().Evaluate(v, t).Status == scorecard.StatusRed {
				why := "Valoare sub țintă; cauzele se analizează în ședința lunară"
				if len(k.whys) > 0 {
					why = k.whys[whyN[k.code]%len(k.whys)]
					whyN[k.code]++
				}
				e.Explanation = why
			}
			at := p.End().AddDate(0, 0, day[who]).Add(9*time.Hour + time.Duration(len(order)%50)*time.Minute)
			source := scorecard.SourceManual
			if k.imported {
				source = scorecard.SourceImport
			}
			key := at.Format(time.DateOnly) + "|" + who + "|" + source
			b, ok := batches[key]
			if !ok {
				b = &scBatch{at: at, who: who, source: source, approve: map[string]string{}}
				batches[key] = b
				order = append(order, key)
			}
			b.entries = append(b.entries, e)
			if k.by != "" && !(lastOne && k.pendingLast) {
				b.approve[k.code] = k.owner
			}
		}
	}
	slices.SortStableFunc(order, func(a, b string) int { return batches[a].at.Compare(batches[b].at) })
	type approval struct {
		at     time.Time
		owner  string
		kpi    int64
		period string
	}
	var approvals []approval
	flush := func(until time.Time) error {
		for len(approvals) > 0 && !approvals[0].at.After(until) {
			ap := approvals[0]
			approvals = approvals[1:]
			ss.at(ap.at)
			a, err := ss.actor(ctx, ap.owner)
			if err != nil {
				return err
			}
			ms, err := ss.svc.Measurements(ctx, a, ap.kpi)
			if err != nil {
				return err
			}
			for _, m := range ms {
				if m.Period == ap.period && m.Pending != nil {
					if err := ss.svc.Approve(ctx, a, m.ID, m.Version); err != nil {
						return fmt.Errorf("approve %s: %w", ap.period, err)
					}
				}
			}
		}
		return nil
	}
	for _, key := range order {
		b := batches[key]
		if err := flush(b.at); err != nil {
			return err
		}
		ss.at(b.at)
		a, err := ss.actor(ctx, b.who)
		if err != nil {
			return err
		}
		if _, err := ss.svc.Record(ctx, a, b.source, b.entries); err != nil {
			return fmt.Errorf("values of %s on %s: %w", b.who, b.at.Format(time.DateOnly), scEntryError(err, b.entries))
		}
		for _, e := range b.entries {
			for code, owner := range b.approve {
				if ss.kpis[code].ID == e.KPIID {
					approvals = append(approvals, approval{at: b.at.AddDate(0, 0, 2).Add(time.Hour), owner: owner, kpi: e.KPIID, period: e.Period})
				}
			}
		}
		slices.SortStableFunc(approvals, func(x, y approval) int { return x.at.Compare(y.at) })
	}
	if err := flush(ss.now); err != nil {
		return err
	}
	return ss.corrections(ctx, last)
}

// corrections: a few values corrected by their owners after the fact, so
// their history shows the old value.
func (ss *scSeeder) corrections(ctx context.Context, last scorecard.Period) error {
	for _, k := range demoKPIs {
		for _, c := range k.corrections {
			p := scorecard.LatestEnded(k.freq, last)
			for range c.back {
				p = p.Prev()
			}
			a, err := ss.actor(ctx, k.owner)
			if err != nil {
				return err
			}
			kpi := ss.kpis[k.code]
			ms, err := ss.svc.Measurements(ctx, a, kpi.ID)
			if err != nil {
				return err
			}
			for _, m := range ms {
				if m.Period != p.Key() || m.EnteredAt == nil {
					continue
				}
				ss.at(m.EnteredAt.AddDate(0, 0, 12))
				if _, err := ss.svc.Record(ctx, a, scorecard.SourceManual, []scorecard.Entry{{KPIID: kpi.ID, Period: m.Period, Value: c.value,
					Explanation: c.why, Version: m.Version}}); err != nil {
					return fmt.Errorf("correct %s %s: %w", k.code, m.Period, err)
				}
			}
		}
	}
	return nil
}

// scEntryError spells out a batch's refused entries.
func scEntryError(err error, entries []scorecard.Entry) error {
	var errs scorecard.EntryErrors
	if !asEntryErrors(err, &errs) {
		return err
	}
	var parts []string
	for _, e := range errs {
		v := 0.0
		if e.Index < len(entries) {
			v = entries[e.Index].Value
		}
		parts = append(parts, fmt.Sprintf("KPI %d %s value %g: %s %s", e.KPIID, e.Period, v, e.Field, e.Key))
	}
	return fmt.Errorf("%w: %s", err, strings.Join(parts, "; "))
}

func asEntryErrors(err error, out *scorecard.EntryErrors) bool {
	if e, ok := err.(scorecard.EntryErrors); ok {
		*out = e
		return true
	}
	return false
}

// initiatives: the projects, created when they start (or today for the
// planned one) and brought to today's progress.
func (ss *scSeeder) initiatives(ctx context.Context, qm auth.Actor) error {
	month := scorecard.MonthOf(ss.now)
	shift := func(n int) scorecard.Period {
		p := month
		for ; n > 0; n-- {
			p = p.Next()
		}
		for ; n < 0; n++ {
			p = p.Prev()
		}
		return p
	}
	for _, spec := range demoInitiatives {
		owner, err := ss.person(ctx, spec.owner)
		if err != nil {
			return err
		}
		var objs []int64
		for _, o := range spec.objectives {
			objs = append(objs, ss.objs[o].ID)
		}
		start, end := shift(spec.start).Start(), shift(spec.end).Last()
		created := start.AddDate(0, 0, -20).Add(10 * time.Hour)
		ss.at(created)
		in := scorecard.InitiativeInput{Title: spec.title, Description: spec.desc, OwnerID: owner.ID, UnitID: ss.units[spec.unit], ObjectiveIDs: objs,
			Budget: spec.budget, StartOn: start.Format(time.DateOnly), EndOn: end.Format(time.DateOnly), State: scorecard.InitiativePlanned, Funding: spec.funding}
		x, err := ss.svc.CreateInitiative(ctx, qm, in)
		if err != nil {
			return fmt.Errorf("initiative %q: %w", spec.title, err)
		}
		if spec.state == scorecard.InitiativePlanned {
			continue
		}
		// Started on its day; the progress as of today (or its end).
		ss.at(start.Add(9 * time.Hour))
		in.Code, in.State, in.Version = x.Code, scorecard.InitiativeOngoing, x.Version
		in.Progress = 5
		if x, err = ss.svc.UpdateInitiative(ctx, qm, x.ID, in); err != nil {
			return fmt.Errorf("initiative %q: %w", spec.title, err)
		}
		when := ss.now.AddDate(0, 0, -6)
		if spec.state == scorecard.InitiativeDone {
			when = end.Add(15 * time.Hour)
		}
		ss.at(when)
		in.State, in.Progress, in.Spent, in.Version = spec.state, spec.progress, spec.spent, x.Version
		if _, err = ss.svc.UpdateInitiative(ctx, qm, x.ID, in); err != nil {
			return fmt.Errorf("initiative %q: %w", spec.title, err)
		}
	}
	return nil
}
