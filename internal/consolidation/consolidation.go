// Package consolidation is the consolidated view of a municipality: the
// mayor's own apparatus and each subordinate or decentralised body, side
// by side and in total, for the scorecard, the registers and training.
//
// A body is read from the unit tree: every top-level unit whose relation
// is "subordinate" or "decentralised" is a body of its own, with its whole
// subtree; every other unit (the top-level units of the own apparatus and
// everything under them) belongs to the own apparatus. Records without a
// unit make an "unassigned" column, only when there are any, so that the
// total is always the sum of the columns.
//
// The figures follow the modules' own definitions: a KPI's score is the
// scorecard's (its rule evaluated for the latest period of its frequency
// ended by the view's month, rolled up by weight with scorecard.Rollup);
// "above tolerance" and the exposure bands are the risk register's
// settings; open cases, overdue actions and open proposals are the
// improvement module's states; a valid certificate is the training
// module's (not revoked, not expired on the day).
package consolidation

import (
	"context"
	"fmt"
	"slices"
	"time"

	"cadran/internal/auth"
	"cadran/internal/clock"
	"cadran/internal/control"
	"cadran/internal/db"
	"cadran/internal/improvement"
	"cadran/internal/org"
	"cadran/internal/risks"
	"cadran/internal/scorecard"
	"cadran/internal/training"
	"cadran/internal/work"
)

// Service computes the consolidated view.
type Service struct {
	DB    *db.DB
	Clock clock.Clock
	// Risks gives the register's tolerance and exposure bands.
	Risks *risks.Service
}

// Kinds of body.
const (
	KindOwn           = "own"
	KindSubordinate   = org.RelationSubordinate
	KindDecentralised = org.RelationDecentralised
	KindUnassigned    = "unassigned"
)

// Body is one column of the view.
type Body struct {
	Key  string // "own", "u<unit id>", "unassigned"
	Kind string
	// UnitID is the unit whose subtree is the body, for the links to the
	// modules' lists filtered by unit: a subordinate body's top unit, the
	// own apparatus's only top-level unit when it has just one, else 0.
	UnitID      int64
	Name, Code  string // "" for the own apparatus and the unassigned column
	LegalPerson bool
	Units       []int64
}

// Figures are a body's numbers (or the total's).
type Figures struct {
	// Scorecard: the KPIs owned by the body's units (the KPI's unit, else
	// its objective's, else its owner's), how many are green,
	// amber, red or without data, and the body's score.
	KPIs, Green, Amber, Red, NoData int
	Score                           scorecard.Agg
	// Risk register of the year: active risks, those above tolerance and
	// those in the high band.
	Risks, AboveTolerance, HighRisks int
	// Nonconformities open today and detected in the year, corrective
	// actions overdue today, open improvement proposals.
	NCsOpen, NCsYear, ActionsOverdue, ProposalsOpen int
	// Active sensitive functions (internal managerial control).
	Sensitive int
	// Training: active people, those of them who completed a training in
	// the year, the hours of those trainings, valid certificates.
	People, Trained int
	Hours           float64
	Certificates    int
}

// TrainedShare is the share of people with at least one training
// completed in the year, in percent; false with nobody.
func (f Figures) TrainedShare() (float64, bool) {
	if f.People == 0 {
		return 0, false
	}
	return 100 * float64(f.Trained) / float64(f.People), true
}

// add adds g's counts to f (the score is rolled up separately).
func (f *Figures) add(g Figures) {
	f.KPIs += g.KPIs
	f.Green += g.Green
	f.Amber += g.Amber
	f.Red += g.Red
	f.NoData += g.NoData
	f.Risks += g.Risks
	f.AboveTolerance += g.AboveTolerance
	f.HighRisks += g.HighRisks
	f.NCsOpen += g.NCsOpen
	f.NCsYear += g.NCsYear
	f.ActionsOverdue += g.ActionsOverdue
	f.ProposalsOpen += g.ProposalsOpen
	f.Sensitive += g.Sensitive
	f.People += g.People
	f.Trained += g.Trained
	f.Hours += g.Hours
	f.Certificates += g.Certificates
}

// Column is a body and its figures.
type Column struct {
	Body    Body
	Figures Figures
}

// Sections says which sections the actor may read (each module's own
// permission) and so which the view holds.
type Sections struct {
	Scorecard, Risks, Improvement, Control, Training bool
}

// View is the consolidated view of a year.
type View struct {
	Year int
	// Month is the month the scorecard is read as of; CertDay the day
	// certificates are valid on (today, or the year's last day for a
	// past year); Today is the day overdue is judged on.
	Month     scorecard.Period
	CertDay   string
	Today     string
	Tolerance int
	Sections  Sections
	Columns   []Column
	Total     Figures
}

// Query picks the view's year (0: the current one).
type Query struct {
	Year int
}

// MinYear is the first year the view accepts.
const MinYear = 2000

// Consolidated computes the view for the actor's institution.
func (s *Service) Consolidated(ctx context.Context, a auth.Actor, q Query) (View, error) {
	if err := a.Require(auth.PermConsolidatedView); err != nil {
		return View{}, err
	}
	today := work.Day(s.Clock.Now())
	v := View{Year: q.Year, Today: today.Format(time.DateOnly)}
	if v.Year < MinYear || v.Year > today.Year() {
		v.Year = today.Year()
	}
	v.Month = scorecard.MonthOf(today).Prev()
	cert := today
	if v.Year < today.Year() {
		v.Month = scorecard.Month(v.Year, 12)
		cert = time.Date(v.Year, 12, 31, 0, 0, 0, 0, time.UTC)
	}
	v.CertDay = cert.Format(time.DateOnly)
	v.Sections = Sections{
		Scorecard:   a.Can(auth.PermScorecardView),
		Risks:       a.Can(auth.PermRisksView),
		Improvement: a.Can(auth.PermImproveView),
		Control:     a.Can(auth.PermControlView),
		Training:    a.Can(auth.PermTrainingRecords),
	}
	bodies, byUnit, err := Bodies(ctx, s.DB.R, a.Tenant)
	if err != nil {
		return View{}, err
	}
	// figures are kept per body index; index len(bodies) is unassigned.
	none := len(bodies)
	figs := make([]Figures, none+1)
	parts := make([][]scorecard.Part, none+1)
	used := false // a record without a unit was counted
	at := func(unit int64) int {
		if i, ok := byUnit[unit]; ok {
			return i
		}
		used = true
		return none
	}
	r := &reader{ctx: ctx, q: s.DB.R, tenant: a.Tenant, at: at, figs: figs}
	if v.Sections.Scorecard {
		if err := r.scorecard(v.Month, parts); err != nil {
			return View{}, err
		}
	}
	if v.Sections.Risks {
		st, err := s.Risks.Settings(ctx, a)
		if err != nil {
			return View{}, err
		}
		v.Tolerance = st.Tolerance
		if err := r.risks(v.Year, st); err != nil {
			return View{}, err
		}
	}
	if v.Sections.Improvement {
		if err := r.improvement(v.Year, v.Today); err != nil {
			return View{}, err
		}
	}
	if v.Sections.Control {
		if err := r.sensitive(); err != nil {
			return View{}, err
		}
	}
	if v.Sections.Training {
		if err := r.training(v.Year, v.CertDay); err != nil {
			return View{}, err
		}
	}
	var all []scorecard.Part
	for i, b := range bodies {
		figs[i].Score = scorecard.Rollup(parts[i])
		all = append(all, parts[i]...)
		v.Columns = append(v.Columns, Column{Body: b, Figures: figs[i]})
	}
	if used {
		figs[none].Score = scorecard.Rollup(parts[none])
		all = append(all, parts[none]...)
		v.Columns = append(v.Columns, Column{Body: Body{Key: KindUnassigned, Kind: KindUnassigned}, Figures: figs[none]})
	}
	for _, c := range v.Columns {
		v.Total.add(c.Figures)
	}
	v.Total.Score = scorecard.Rollup(all)
	return v, nil
}

// Bodies reads the institution's bodies from its unit tree, the own
// apparatus first (when it has any unit), then each subordinate or
// decentralised top-level unit in the tree's order; byUnit gives each
// unit's body index.
func Bodies(ctx context.Context, q org.Querier, tenant int64) ([]Body, map[int64]int, error) {
	type unit struct {
		id, parent int64
		name, code string
		relation   string
		legal      bool
	}
	rows, err := q.QueryContext(ctx, `SELECT id, COALESCE(parent_id, 0), name, code, relation, legal_person FROM units WHERE tenant_id = $1 ORDER BY position, sort_name, id`, tenant)
	if err != nil {
		return nil, nil, fmt.Errorf("cannot read units: %w", err)
	}
	var units []unit
	known := map[int64]bool{}
	for rows.Next() {
		var u unit
		if err := rows.Scan(&u.id, &u.parent, &u.name, &u.code, &u.relation, &u.legal); err != nil {
			rows.Close()
			return nil, nil, fmt.Errorf("cannot read units: %w", err)
		}
		units = append(units, u)
		known[u.id] = true
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, nil, fmt.Errorf("cannot read units: %w", err)
	}
	children := map[int64][]int64{}
	for _, u := range units {
		if u.parent != 0 && known[u.parent] {
			children[u.parent] = append(children[u.parent], u.id)
		}
	}
	own := Body{Key: KindOwn, Kind: KindOwn}
	var roots int
	var subs []Body
	byUnit := map[int64]int{}
	var walk func(id int64, into *Body, depth int)
	walk = func(id int64, into *Body, depth int) {
		into.Units = append(into.Units, id)
		if depth > 50 {
			return
		}
		for _, c := range children[id] {
			walk(c, into, depth+1)
		}
	}
	ownRoot := int64(0)
	for _, u := range units {
		if u.parent != 0 && known[u.parent] {
			continue
		}
		if u.relation == org.RelationSubordinate || u.relation == org.RelationDecentralised {
			b := Body{Key: fmt.Sprintf("u%d", u.id), Kind: u.relation, UnitID: u.id, Name: u.name, Code: u.code, LegalPerson: u.legal}
			walk(u.id, &b, 0)
			subs = append(subs, b)
			continue
		}
		roots++
		ownRoot = u.id
		walk(u.id, &own, 0)
	}
	var out []Body
	if len(own.Units) > 0 {
		if roots == 1 {
			own.UnitID = ownRoot
		}
		out = append(out, own)
	}
	out = append(out, subs...)
	for i, b := range out {
		for _, id := range b.Units {
			byUnit[id] = i
		}
	}
	return out, byUnit, nil
}

// reader runs the sections' queries, each grouped by unit, and adds their
// counts to the body of each unit.
type reader struct {
	ctx    context.Context
	q      org.Querier
	tenant int64
	at     func(unit int64) int
	figs   []Figures
}

// grouped runs a query whose first column is a unit id (0: none) and
// hands each row's body figures and the remaining columns to add.
func (r *reader) grouped(what, query string, args []any, dest func() []any, add func(f *Figures)) error {
	rows, err := r.q.QueryContext(r.ctx, query, append([]any{r.tenant}, args...)...)
	if err != nil {
		return fmt.Errorf("cannot count %s: %w", what, err)
	}
	defer rows.Close()
	for rows.Next() {
		var unit int64
		if err := rows.Scan(append([]any{&unit}, dest()...)...); err != nil {
			return fmt.Errorf("cannot count %s: %w", what, err)
		}
		add(&r.figs[r.at(unit)])
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("cannot count %s: %w", what, err)
	}
	return nil
}

func (r *reader) risks(year int, st risks.Settings) error {
	var n, above, high int
	return r.grouped("risks", `SELECT COALESCE(unit_id, 0), COUNT(*), COALESCE(SUM(CASE WHEN cur_e > $5 THEN 1 ELSE 0 END), 0), COALESCE(SUM(CASE WHEN cur_e > $6 THEN 1 ELSE 0 END), 0)
		FROM risks WHERE tenant_id = $1 AND year = $2 AND state = $3 AND kind = $4 GROUP BY unit_id`,
		[]any{year, risks.StateActive, risks.KindRisk, st.Tolerance, st.BandMedium},
		func() []any { return []any{&n, &above, &high} },
		func(f *Figures) { f.Risks += n; f.AboveTolerance += above; f.HighRisks += high })
}

func (r *reader) improvement(year int, today string) error {
	from, to := fmt.Sprintf("%04d-01-01", year), fmt.Sprintf("%04d-01-01", year+1)
	args := []any{from, to}
	in := ""
	for i, st := range improvement.OpenStates {
		if i > 0 {
			in += ", "
		}
		args = append(args, st)
		in += fmt.Sprintf("$%d", len(args)+1)
	}
	var open, detected, n int
	if err := r.grouped("nonconformities", `SELECT COALESCE(unit_id, 0), COALESCE(SUM(CASE WHEN state IN (`+in+`) THEN 1 ELSE 0 END), 0),
			COALESCE(SUM(CASE WHEN detected_on >= $2 AND detected_on < $3 THEN 1 ELSE 0 END), 0)
		FROM nonconformities WHERE tenant_id = $1 GROUP BY unit_id`, args,
		func() []any { return []any{&open, &detected} },
		func(f *Figures) { f.NCsOpen += open; f.NCsYear += detected }); err != nil {
		return err
	}
	if err := r.grouped("overdue actions", `SELECT COALESCE(n.unit_id, 0), COUNT(*) FROM improvement_actions x JOIN nonconformities n ON n.id = x.nc_id AND n.tenant_id = x.tenant_id
		WHERE x.tenant_id = $1 AND x.state = $2 AND x.due_on <> '' AND x.due_on < $3 GROUP BY n.unit_id`,
		[]any{improvement.ActionOpen, today},
		func() []any { return []any{&n} },
		func(f *Figures) { f.ActionsOverdue += n }); err != nil {
		return err
	}
	return r.grouped("proposals", `SELECT COALESCE(unit_id, 0), COUNT(*) FROM improvement_proposals WHERE tenant_id = $1 AND state IN ($2, $3, $4) GROUP BY unit_id`,
		[]any{improvement.PropSubmitted, improvement.PropEvaluation, improvement.PropAccepted},
		func() []any { return []any{&n} },
		func(f *Figures) { f.ProposalsOpen += n })
}

func (r *reader) sensitive() error {
	var n int
	return r.grouped("sensitive functions", `SELECT unit_id, COUNT(*) FROM control_sensitive_functions WHERE tenant_id = $1 AND state = $2 GROUP BY unit_id`,
		[]any{control.FunctionActive},
		func() []any { return []any{&n} },
		func(f *Figures) { f.Sensitive += n })
}

func (r *reader) training(year int, certDay string) error {
	var n int
	if err := r.grouped("people", `SELECT COALESCE(unit_id, 0), COUNT(*) FROM people WHERE tenant_id = $1 AND active GROUP BY unit_id`, nil,
		func() []any { return []any{&n} },
		func(f *Figures) { f.People += n }); err != nil {
		return err
	}
	from, to := fmt.Sprintf("%04d-01-01", year), fmt.Sprintf("%04d-01-01", year+1)
	var hours float64
	if err := r.grouped("people trained", `SELECT COALESCE(p.unit_id, 0), COUNT(DISTINCT e.person_id), COALESCE(SUM(e.hours), 0.0)
		FROM training_enrolments e JOIN people p ON p.id = e.person_id AND p.tenant_id = e.tenant_id
		WHERE e.tenant_id = $1 AND e.state = $2 AND e.completed_on >= $3 AND e.completed_on < $4 AND p.active GROUP BY p.unit_id`,
		[]any{training.EnrolCompleted, from, to},
		func() []any { return []any{&n, &hours} },
		func(f *Figures) { f.Trained += n; f.Hours += hours }); err != nil {
		return err
	}
	return r.grouped("certificates", `SELECT COALESCE(p.unit_id, 0), COUNT(*) FROM training_certificates c JOIN people p ON p.id = c.person_id AND p.tenant_id = c.tenant_id
		WHERE c.tenant_id = $1 AND c.revoked = FALSE AND c.issued_on <= $2 AND (c.expires_on = '' OR c.expires_on >= $2) GROUP BY p.unit_id`,
		[]any{certDay},
		func() []any { return []any{&n} },
		func(f *Figures) { f.Certificates += n })
}

// Has reports whether the body holds unit.
func (b Body) Has(unit int64) bool { return slices.Contains(b.Units, unit) }
