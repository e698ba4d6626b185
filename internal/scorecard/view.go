package scorecard

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"

	"cadran/internal/apperr"
	"cadran/internal/auth"
)

// CardQuery picks a scorecard: a unit's (0: the institution's) as of a
// month. Each KPI shows its value for LatestEnded(its frequency, Month).
type CardQuery struct {
	UnitID      int64
	Month       Period
	QualityOnly bool // only quality objectives (the quality views)
}

// Card is a scorecard as of a month, with every score's arithmetic.
type Card struct {
	Query        CardQuery
	UnitName     string // "" for the institution
	Agg          Agg    // the scorecard's score: its perspectives by weight
	Perspectives []PerspectiveCard
	// Units are the units and subordinate bodies with objectives of their
	// own, each scored as its own scorecard (the institution's card only).
	Units []UnitScore
}

// PerspectiveCard is a perspective's row: its objectives by weight.
type PerspectiveCard struct {
	Perspective Perspective
	Agg         Agg
	Objectives  []ObjectiveCard
}

// ObjectiveCard is an objective scored from its KPIs and the objectives
// cascaded to it, by weight.
type ObjectiveCard struct {
	Objective Objective
	Agg       Agg
	KPIs      []KPICard
	// Children are the units' objectives that contribute to this one.
	Children []ObjectiveCard
	// Initiatives counts the open initiatives linked to it.
	Initiatives int
}

// KPICard is a KPI's value for its period, judged against its target.
type KPICard struct {
	KPI       KPI
	Period    Period
	Value     *float64 // the approved value; nil when missing
	Target    *Target  // nil when the period has no target
	Result    Result   // zero when Value or Target is nil
	HasResult bool
	Pending   bool // a value waits for the owner's approval
	// NoData says why there is no result, as a message key: no approved
	// value for the period (scorecard.fact.kpi_no_value) or no target
	// (scorecard.fact.kpi_no_target); "" when there is one.
	NoData string
	// Previous is the value of the period before, for the trend arrow.
	Previous *float64
}

// UnitScore is a unit's scorecard in one line.
type UnitScore struct {
	UnitID   int64
	UnitName string
	Relation string // own, subordinate, decentralised
	Agg      Agg
}

// Point is one period of a KPI's series, for the trend chart.
type Point struct {
	Period  Period
	Value   *float64
	Target  *Target
	Result  Result
	HasData bool // Result is set: the period has a value and a target
	Pending bool // a value waits for the owner's approval
}

// Messages of KPICard.NoData.
const (
	NoDataValue  = "scorecard.fact.kpi_no_value"
	NoDataTarget = "scorecard.fact.kpi_no_target"
)

// viewMeas is a measurement as the views need it.
type viewMeas struct {
	value   *float64
	pending bool
}

// viewData is everything a scorecard of one month is computed from, read
// in a handful of queries whatever the number of KPIs.
type viewData struct {
	month        Period
	quality      bool
	perspectives []Perspective
	objectives   []Objective
	children     map[int64][]Objective // by parent
	kpis         map[int64][]KPI       // by objective
	targets      map[int64][]Target    // by KPI
	meas         map[int64]map[string]viewMeas
	initiatives  map[int64]int // open initiatives by objective
	memo         map[int64]viewMemo
}

// viewMonth is the month a card is for: q's, as a month, or the last month
// that has ended.
func (s *Service) viewMonth(m Period) Period {
	switch {
	case m.IsZero():
		return MonthOf(s.Clock.Now()).Prev()
	case m.Freq != Monthly:
		return Containing(Monthly, m.Last())
	}
	return m
}

// viewKeys are the period keys a month's card reads values of (each
// frequency's latest ended period and the one before) and targets of (the
// latest ended periods and their years).
func viewKeys(m Period) (values, targets []any) {
	seen := map[string]bool{}
	for _, f := range Frequencies {
		p := LatestEnded(f, m)
		for _, k := range []string{p.Key(), p.Prev().Key()} {
			if !seen["v"+k] {
				seen["v"+k] = true
				values = append(values, k)
			}
		}
		for _, k := range []string{p.Key(), p.YearKey()} {
			if !seen["t"+k] {
				seen["t"+k] = true
				targets = append(targets, k)
			}
		}
	}
	return values, targets
}

func viewIn(args []any, from int) string {
	ph := make([]string, len(args))
	for i := range args {
		ph[i] = "$" + strconv.Itoa(from+i)
	}
	return strings.Join(ph, ", ")
}

func (s *Service) viewLoad(ctx context.Context, q stQuerier, tenant int64, m Period, quality bool) (*viewData, error) {
	d := &viewData{month: m, quality: quality, children: map[int64][]Objective{}, kpis: map[int64][]KPI{},
		targets: map[int64][]Target{}, meas: map[int64]map[string]viewMeas{}, initiatives: map[int64]int{}}
	var err error
	if d.perspectives, err = stPerspectives(ctx, q, tenant); err != nil {
		return nil, err
	}
	if d.objectives, err = stObjectives(ctx, q, tenant, ObjectiveFilter{AllUnits: true, QualityOnly: quality}); err != nil {
		return nil, err
	}
	for _, o := range d.objectives {
		if o.ParentID != 0 {
			d.children[o.ParentID] = append(d.children[o.ParentID], o)
		}
	}
	rows, err := q.QueryContext(ctx, `SELECT `+stKPIColumns+stKPIFrom+` WHERE k.tenant_id = $1 AND NOT k.archived AND k.objective_id IS NOT NULL ORDER BY k.code, k.id`, tenant)
	if err != nil {
		return nil, fmt.Errorf("cannot read KPIs: %w", err)
	}
	kpis, err := stScanKPIs(rows)
	if err != nil {
		return nil, err
	}
	for _, k := range kpis {
		d.kpis[k.ObjectiveID] = append(d.kpis[k.ObjectiveID], k)
	}
	vkeys, tkeys := viewKeys(m)
	if d.targets, err = viewTargets(ctx, q, tenant, tkeys); err != nil {
		return nil, err
	}
	if d.meas, err = viewValues(ctx, q, tenant, vkeys, nil); err != nil {
		return nil, err
	}
	rows, err = q.QueryContext(ctx, `SELECT io.objective_id, COUNT(*) FROM scorecard_initiative_objectives io
		JOIN scorecard_initiatives i ON i.id = io.initiative_id AND i.tenant_id = io.tenant_id
		WHERE io.tenant_id = $1 AND i.state IN ($2, $3) GROUP BY io.objective_id`, tenant, InitiativePlanned, InitiativeOngoing)
	if err != nil {
		return nil, fmt.Errorf("cannot count initiatives: %w", err)
	}
	for rows.Next() {
		var id int64
		var n int
		if err := rows.Scan(&id, &n); err != nil {
			rows.Close()
			return nil, fmt.Errorf("cannot count initiatives: %w", err)
		}
		d.initiatives[id] = n
	}
	rows.Close()
	return d, rows.Err()
}

// viewValues reads the values of the given period keys, by KPI and period;
// of the given KPIs only when ids is not empty.
func viewValues(ctx context.Context, q stQuerier, tenant int64, keys []any, ids []any) (map[int64]map[string]viewMeas, error) {
	out := map[int64]map[string]viewMeas{}
	args := append([]any{tenant}, keys...)
	query := `SELECT kpi_id, period, value, pending_value IS NOT NULL FROM scorecard_measurements WHERE tenant_id = $1 AND period IN (` + viewIn(keys, 2) + `)`
	if len(ids) > 0 {
		query += ` AND kpi_id IN (` + viewIn(ids, len(args)+1) + `)`
		args = append(args, ids...)
	}
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("cannot read values: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var key string
		var v sql.NullFloat64
		var pending bool
		if err := rows.Scan(&id, &key, &v, &pending); err != nil {
			return nil, fmt.Errorf("cannot read values: %w", err)
		}
		if out[id] == nil {
			out[id] = map[string]viewMeas{}
		}
		out[id][key] = viewMeas{value: stFloat(v), pending: pending}
	}
	return out, rows.Err()
}

// viewByID is the most KPIs KPICards names in its queries; for more it
// reads every KPI's values of the periods, which is as fast.
const viewByID = 200

// KPICards judges each of the given KPIs for the latest period of its
// frequency that ended by the end of month (the last month that has ended
// when month is zero), as Card does, reading the values and targets of
// those KPIs only: a list of 50 KPIs does not compute the whole scorecard
// for their status column. Archived KPIs are left out, as the card leaves
// them out.
func (s *Service) KPICards(ctx context.Context, a auth.Actor, kpis []KPI, month Period) (map[int64]KPICard, error) {
	if err := a.Require(auth.PermScorecardView); err != nil {
		return nil, err
	}
	out := make(map[int64]KPICard, len(kpis))
	var ids []any
	for _, k := range kpis {
		if !k.Archived {
			ids = append(ids, k.ID)
		}
	}
	if len(ids) == 0 {
		return out, nil
	}
	if len(ids) > viewByID {
		ids = nil
	}
	d := &viewData{month: s.viewMonth(month)}
	vkeys, tkeys := viewKeys(d.month)
	var err error
	if d.meas, err = viewValues(ctx, s.DB.R, a.Tenant, vkeys, ids); err != nil {
		return nil, err
	}
	if d.targets, err = viewTargetsOf(ctx, s.DB.R, a.Tenant, tkeys, ids); err != nil {
		return nil, err
	}
	for _, k := range kpis {
		if k.Tenant != a.Tenant || k.Archived {
			continue
		}
		out[k.ID] = d.kpiCard(k)
	}
	return out, nil
}

// kpiCard judges a KPI's value for its latest ended period.
func (d *viewData) kpiCard(k KPI) KPICard {
	c := KPICard{KPI: k, Period: LatestEnded(k.Frequency, d.month)}
	ms := d.meas[k.ID]
	if m, ok := ms[c.Period.Key()]; ok {
		c.Value, c.Pending = m.value, m.pending
	}
	if m, ok := ms[c.Period.Prev().Key()]; ok {
		c.Previous = m.value
	}
	if t, ok := TargetFor(d.targets[k.ID], c.Period); ok {
		c.Target = &t
	}
	switch {
	case c.Value == nil:
		c.NoData = NoDataValue
	case c.Target == nil:
		c.NoData = NoDataTarget
	default:
		c.Result, c.HasResult = k.Rule().Evaluate(*c.Value, *c.Target), true
	}
	return c
}

// objectiveCard scores an objective from its KPIs and, recursively, the
// objectives cascaded to it.
func (d *viewData) objectiveCard(o Objective, depth int) ObjectiveCard {
	c, _ := d.objectiveCardAt(o, depth)
	return c
}

// viewMemo is an objective's card kept for reuse: the institution's card
// scores a unit's objectives as cascaded children, then again as the
// unit's own scorecard.
type viewMemo struct {
	card  ObjectiveCard
	depth int
}

// objectiveCardAt is objectiveCard, and whether the whole cascade below o
// was walked (it is cut 20 levels down). A card walked whole from a depth
// is the same from any shallower depth, so it is reused there.
func (d *viewData) objectiveCardAt(o Objective, depth int) (ObjectiveCard, bool) {
	if m, ok := d.memo[o.ID]; ok && depth <= m.depth {
		return m.card, true
	}
	c := ObjectiveCard{Objective: o, Initiatives: d.initiatives[o.ID]}
	var parts []Part
	if n := len(d.kpis[o.ID]) + len(d.children[o.ID]); n > 0 {
		parts = make([]Part, 0, n)
	}
	for _, k := range d.kpis[o.ID] {
		kc := d.kpiCard(k)
		c.KPIs = append(c.KPIs, kc)
		parts = append(parts, Part{Kind: "kpi", ID: k.ID, Code: k.Code, Name: k.Name, Href: "/scorecard/kpis/" + strconv.FormatInt(k.ID, 10),
			Weight: k.Weight, Score: kc.Result.Score, HasData: kc.HasResult, Status: viewStatus(kc.HasResult, kc.Result.Status)})
	}
	whole := true
	if depth < 20 {
		for _, ch := range d.children[o.ID] {
			cc, w := d.objectiveCardAt(ch, depth+1)
			whole = whole && w
			c.Children = append(c.Children, cc)
			parts = append(parts, viewObjectivePart(cc))
		}
	} else if len(d.children[o.ID]) > 0 {
		whole = false
	}
	c.Agg = Rollup(parts)
	if whole {
		if d.memo == nil {
			d.memo = map[int64]viewMemo{}
		}
		if m, ok := d.memo[o.ID]; !ok || depth > m.depth {
			d.memo[o.ID] = viewMemo{card: c, depth: depth}
		}
	}
	return c, whole
}

func viewStatus(has bool, status string) string {
	if !has {
		return StatusNone
	}
	return status
}

func viewObjectivePart(c ObjectiveCard) Part {
	o := c.Objective
	return Part{Kind: "objective", ID: o.ID, Code: o.Code, Name: o.Title, Href: "/scorecard/objectives/" + strconv.FormatInt(o.ID, 10),
		Weight: o.Weight, Score: c.Agg.Score, HasData: c.Agg.HasData, Status: c.Agg.Status}
}

// scope scores the objectives of one unit (0: the institution) by
// perspective. A perspective with no objective in the scope is listed but
// left out of the roll-up: it has nothing to measure, which is not the
// same as a value missing.
func (d *viewData) scope(unit int64) ([]PerspectiveCard, Agg) {
	var out []PerspectiveCard
	var parts []Part
	for _, p := range d.perspectives {
		pc := PerspectiveCard{Perspective: p}
		var ps []Part
		for _, o := range d.objectives {
			if o.PerspectiveID != p.ID || o.UnitID != unit {
				continue
			}
			oc := d.objectiveCard(o, 0)
			pc.Objectives = append(pc.Objectives, oc)
			ps = append(ps, viewObjectivePart(oc))
		}
		pc.Agg = Rollup(ps)
		out = append(out, pc)
		if len(pc.Objectives) > 0 {
			parts = append(parts, Part{Kind: "perspective", ID: p.ID, Code: p.Kind, Name: p.Name, Weight: p.Weight,
				Score: pc.Agg.Score, HasData: pc.Agg.HasData, Status: pc.Agg.Status})
		}
	}
	return out, Rollup(parts)
}

// Card computes a scorecard: each KPI judged for the latest period of its
// frequency that ended by the end of the month (the last month that has
// ended when q.Month is zero), rolled up by weight to objectives (with the
// units' objectives cascaded to them), perspectives and the scorecard. The
// institution's card also scores each unit with objectives of its own.
func (s *Service) Card(ctx context.Context, a auth.Actor, q CardQuery) (Card, error) {
	card, _, err := s.card(ctx, a, q)
	return card, err
}

// CardWithUnits is the institution's Card (q.UnitID is ignored) and the
// card of each unit it scores, computed from one read of the data: a page
// that showed every unit's card by calling Card per unit read all KPIs and
// values once per unit (60 reads on a large institution).
func (s *Service) CardWithUnits(ctx context.Context, a auth.Actor, q CardQuery) (Card, []Card, error) {
	q.UnitID = 0
	card, d, err := s.card(ctx, a, q)
	if err != nil {
		return Card{}, nil, err
	}
	units := make([]Card, 0, len(card.Units))
	for _, u := range card.Units {
		uc := Card{Query: CardQuery{UnitID: u.UnitID, Month: card.Query.Month, QualityOnly: q.QualityOnly}, UnitName: u.UnitName}
		uc.Perspectives, uc.Agg = d.scope(u.UnitID)
		units = append(units, uc)
	}
	return card, units, nil
}

func (s *Service) card(ctx context.Context, a auth.Actor, q CardQuery) (Card, *viewData, error) {
	if err := a.Require(auth.PermScorecardView); err != nil {
		return Card{}, nil, err
	}
	q.Month = s.viewMonth(q.Month)
	card := Card{Query: q}
	type unitRow struct {
		id             int64
		name, relation string
	}
	var units []unitRow
	rows, err := s.DB.R.QueryContext(ctx, `SELECT id, name, relation FROM units WHERE tenant_id = $1 ORDER BY position, sort_name, id`, a.Tenant)
	if err != nil {
		return Card{}, nil, fmt.Errorf("cannot read units: %w", err)
	}
	for rows.Next() {
		var u unitRow
		if err := rows.Scan(&u.id, &u.name, &u.relation); err != nil {
			rows.Close()
			return Card{}, nil, fmt.Errorf("cannot read units: %w", err)
		}
		units = append(units, u)
		if u.id == q.UnitID {
			card.UnitName = u.name
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return Card{}, nil, err
	}
	if q.UnitID != 0 && card.UnitName == "" {
		return Card{}, nil, apperr.NotFound("unit")
	}
	d, err := s.viewLoad(ctx, s.DB.R, a.Tenant, q.Month, q.QualityOnly)
	if err != nil {
		return Card{}, nil, err
	}
	card.Perspectives, card.Agg = d.scope(q.UnitID)
	if q.UnitID == 0 {
		has := map[int64]bool{}
		for _, o := range d.objectives {
			has[o.UnitID] = true
		}
		for _, u := range units {
			if !has[u.id] {
				continue
			}
			_, agg := d.scope(u.id)
			card.Units = append(card.Units, UnitScore{UnitID: u.id, UnitName: u.name, Relation: u.relation, Agg: agg})
		}
	}
	return card, d, nil
}

// MaxSeries is the most periods one series returns.
const MaxSeries = 600

// Series returns a KPI's periods from..to (both included, of its
// frequency), with targets and scores. from and to may be of any
// frequency: the series runs from the KPI's period holding from's first
// day to the one holding to's last.
func (s *Service) Series(ctx context.Context, a auth.Actor, kpiID int64, from, to Period) ([]Point, error) {
	if err := a.Require(auth.PermScorecardView); err != nil {
		return nil, err
	}
	k, err := stGetKPI(ctx, s.DB.R, a.Tenant, kpiID)
	if err != nil {
		return nil, err
	}
	if from.IsZero() || to.IsZero() || to.Before(from) {
		return nil, apperr.Validation{"period": "scorecard.error.period"}
	}
	periods := Range(k.Frequency, from.Start(), to.Last())
	if len(periods) > MaxSeries {
		periods = periods[len(periods)-MaxSeries:]
	}
	targets, err := stTargets(ctx, s.DB.R, a.Tenant, kpiID)
	if err != nil {
		return nil, err
	}
	rows, err := s.DB.R.QueryContext(ctx, `SELECT period, value, pending_value IS NOT NULL FROM scorecard_measurements WHERE tenant_id = $1 AND kpi_id = $2`, a.Tenant, kpiID)
	if err != nil {
		return nil, fmt.Errorf("cannot read values: %w", err)
	}
	meas := map[string]viewMeas{}
	for rows.Next() {
		var key string
		var v sql.NullFloat64
		var pending bool
		if err := rows.Scan(&key, &v, &pending); err != nil {
			rows.Close()
			return nil, fmt.Errorf("cannot read values: %w", err)
		}
		meas[key] = viewMeas{value: stFloat(v), pending: pending}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rule := k.Rule()
	out := make([]Point, 0, len(periods))
	for _, p := range periods {
		pt := Point{Period: p}
		if m, ok := meas[p.Key()]; ok {
			pt.Value, pt.Pending = m.value, m.pending
		}
		if t, ok := TargetFor(targets, p); ok {
			pt.Target = &t
		}
		if pt.Value != nil && pt.Target != nil {
			pt.Result, pt.HasData = rule.Evaluate(*pt.Value, *pt.Target), true
		}
		out = append(out, pt)
	}
	return out, nil
}

// viewTargets reads every KPI's targets of the given period keys, by KPI.
func viewTargets(ctx context.Context, q stQuerier, tenant int64, keys []any) (map[int64][]Target, error) {
	return viewTargetsOf(ctx, q, tenant, keys, nil)
}

// viewTargetsOf reads the targets of the given period keys, by KPI; of the
// given KPIs only when ids is not empty.
func viewTargetsOf(ctx context.Context, q stQuerier, tenant int64, keys []any, ids []any) (map[int64][]Target, error) {
	out := map[int64][]Target{}
	if len(keys) == 0 {
		return out, nil
	}
	args := append([]any{tenant}, keys...)
	query := `SELECT kpi_id, period, target, target_high FROM scorecard_targets WHERE tenant_id = $1 AND period IN (` + viewIn(keys, 2) + `)`
	if len(ids) > 0 {
		query += ` AND kpi_id IN (` + viewIn(ids, len(args)+1) + `)`
		args = append(args, ids...)
	}
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("cannot read targets: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var t Target
		var high sql.NullFloat64
		if err := rows.Scan(&id, &t.Period, &t.Value, &high); err != nil {
			return nil, fmt.Errorf("cannot read targets: %w", err)
		}
		t.High = stFloat(high)
		out[id] = append(out[id], t)
	}
	return out, rows.Err()
}
