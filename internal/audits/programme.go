package audits

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"cadran/internal/apperr"
	"cadran/internal/audit"
	"cadran/internal/auth"
	"cadran/internal/db"
	"cadran/internal/documents"
	"cadran/internal/risks"
	"cadran/internal/textutil"
	"cadran/internal/workflow"
)

// Programme is the yearly audit programme (programul anual de audit intern).
type Programme struct {
	ID           int64      `json:"id"`
	Tenant       int64      `json:"tenant_id"`
	Year         int        `json:"year"`
	State        string     `json:"state"`
	Notes        string     `json:"notes,omitempty"`
	ApprovedBy   int64      `json:"approved_by,omitempty"`
	ApprovedName string     `json:"approved_name,omitempty"`
	ApprovedAt   *time.Time `json:"approved_at,omitempty"`
	PreviousID   int64      `json:"previous_id,omitempty"`
	CreatedAt    time.Time  `json:"-"`
	UpdatedAt    time.Time  `json:"-"`
	Version      int        `json:"version"`
}

// ProgrammeItem is an audit planned in a programme: a unit and/or a
// process, the month, the clauses, how often the rule asks for it and why.
type ProgrammeItem struct {
	ID           int64    `json:"id"`
	ProgrammeID  int64    `json:"programme_id"`
	UnitID       int64    `json:"unit_id,omitempty"`
	Process      string   `json:"process,omitempty"`
	Month        int      `json:"month"`
	Clauses      []string `json:"clauses"`
	Frequency    int      `json:"frequency"`
	RiskExposure int      `json:"risk_exposure,omitempty"`
	Tolerance    int      `json:"tolerance,omitempty"`
	LastResult   string   `json:"last_result,omitempty"`
	LastYear     int      `json:"last_year,omitempty"`
	OpenFindings int      `json:"open_findings,omitempty"`
	Change       string   `json:"change,omitempty"`
	PreviousID   int64    `json:"previous_id,omitempty"`
	Version      int      `json:"version"`

	// Filled in by reads.
	UnitName string     `json:"-"`
	Audits   []AuditRef `json:"-"`
}

// AuditRef is an audit planned from a programme item.
type AuditRef struct {
	ID      int64
	Code    string
	State   string
	StartOn string
}

// Subject is what the item covers.
func (i ProgrammeItem) Subject() string {
	switch {
	case i.UnitName != "" && i.Process != "":
		return i.UnitName + " · " + i.Process
	case i.UnitName != "":
		return i.UnitName
	}
	return i.Process
}

// Reason is one line of why an item is planned that often, as a message
// key and its arguments.
type Reason struct {
	Key  string
	Args map[string]any
}

// Reasons says why the rule gives the item its frequency.
func (i ProgrammeItem) Reasons() []Reason {
	var out []Reason
	switch {
	case i.RiskExposure > i.Tolerance && i.Tolerance > 0:
		out = append(out, Reason{"audits.reason.risk_above", map[string]any{"Exposure": i.RiskExposure, "Tolerance": i.Tolerance}})
	case i.RiskExposure > 0:
		out = append(out, Reason{"audits.reason.risk_within", map[string]any{"Exposure": i.RiskExposure, "Tolerance": i.Tolerance}})
	}
	switch {
	case i.LastResult == FindingMajor:
		out = append(out, Reason{"audits.reason.major", map[string]any{"Year": i.LastYear}})
	case i.LastYear != 0 && i.LastResult != "":
		out = append(out, Reason{"audits.reason.last_" + i.LastResult, map[string]any{"Year": i.LastYear}})
	case i.LastYear == 0:
		out = append(out, Reason{"audits.reason.never", nil})
	}
	if i.OpenFindings > 0 {
		out = append(out, Reason{"audits.reason.open_findings", map[string]any{"N": i.OpenFindings}})
	}
	return out
}

// Frequency is the rule of the programme: a unit is audited twice a year
// when the highest exposure of its active risks is above the institution's
// tolerance, or when its last audit found a major nonconformity; otherwise
// once a year.
func Frequency(exposure, tolerance int, lastResult string) int {
	if exposure > tolerance || lastResult == FindingMajor {
		return 2
	}
	return 1
}

// Candidate is a unit or process the programme should cover, with the
// figures the rule reads.
type Candidate struct {
	UnitID       int64
	UnitName     string
	Process      string
	Clauses      []string
	Exposure     int
	Tolerance    int
	LastResult   string
	LastYear     int
	OpenFindings int
	Frequency    int
}

// baseClauses are asked in every unit's audit besides the clauses its
// procedures are linked to.
var baseClauses = []string{"6.1", "7.5.3", "8.5.1", "10.2"}

// candidates lists what the programme of year should cover: every unit
// that has procedures in force or active risks, and every process named on
// documents that belong to no unit; each with its highest risk exposure in
// the latest register up to year, the worst result of its last audit
// before year, and that audit's findings still open. Gravest first.
func candidates(ctx context.Context, q querier, tenant int64, year, tolerance int) ([]Candidate, error) {
	by := map[int64]*Candidate{}
	var order []int64
	get := func(unit int64) *Candidate {
		if c, ok := by[unit]; ok {
			return c
		}
		c := &Candidate{UnitID: unit, Tolerance: tolerance}
		by[unit] = c
		order = append(order, unit)
		return c
	}
	var processOnly []*Candidate
	// Units with procedures in force, their processes and linked clauses.
	rows, err := q.QueryContext(ctx, `SELECT d.unit_id, COALESCE(l.target, ''), COALESCE(l.target_key, '')
		FROM documents d JOIN document_versions v ON v.id = d.current_id AND v.state = $2
		LEFT JOIN document_links l ON l.document_id = d.id AND l.tenant_id = d.tenant_id AND l.target IN ('process', 'iso_clause')
		WHERE d.tenant_id = $1 AND d.kind IN ($3, $4) AND d.unit_id IS NOT NULL ORDER BY d.sort_code, l.target_key`, tenant, documents.StateInForce, documents.KindSystem, documents.KindOperational)
	if err != nil {
		return nil, fmt.Errorf("cannot read procedures: %w", err)
	}
	for rows.Next() {
		var unit int64
		var target, key string
		if err := rows.Scan(&unit, &target, &key); err != nil {
			rows.Close()
			return nil, fmt.Errorf("cannot read procedures: %w", err)
		}
		c := get(unit)
		switch target {
		case "process":
			if !strings.Contains(", "+c.Process+",", ", "+key+",") {
				if c.Process != "" {
					c.Process += ", "
				}
				c.Process += key
			}
		case "iso_clause":
			c.Clauses = append(c.Clauses, key)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	// Processes named on documents of no unit.
	procs, err := q.QueryContext(ctx, `SELECT DISTINCT l.target_key FROM document_links l JOIN documents d ON d.id = l.document_id
		WHERE l.tenant_id = $1 AND l.target = 'process' AND d.unit_id IS NULL AND d.current_id IS NOT NULL ORDER BY l.target_key`, tenant)
	if err != nil {
		return nil, fmt.Errorf("cannot read processes: %w", err)
	}
	for procs.Next() {
		var p string
		if err := procs.Scan(&p); err != nil {
			procs.Close()
			return nil, fmt.Errorf("cannot read processes: %w", err)
		}
		processOnly = append(processOnly, &Candidate{Process: clip(p, 200), Tolerance: tolerance})
	}
	procs.Close()
	if err := procs.Err(); err != nil {
		return nil, err
	}
	// The highest exposure of each unit's active risks in the register in use.
	rk, err := q.QueryContext(ctx, `SELECT unit_id, MAX(cur_e) FROM risks
		WHERE tenant_id = $1 AND kind = $2 AND state = $3 AND unit_id IS NOT NULL
		AND year = (SELECT MAX(year) FROM risks WHERE tenant_id = $1 AND year <= $4) GROUP BY unit_id`, tenant, risks.KindRisk, risks.StateActive, year)
	if err != nil {
		return nil, fmt.Errorf("cannot read risks: %w", err)
	}
	for rk.Next() {
		var unit int64
		var e int
		if err := rk.Scan(&unit, &e); err != nil {
			rk.Close()
			return nil, fmt.Errorf("cannot read risks: %w", err)
		}
		get(unit).Exposure = e
	}
	rk.Close()
	if err := rk.Err(); err != nil {
		return nil, err
	}
	// The last audit of each unit before the year: its worst finding and
	// those whose case is still open.
	last, err := q.QueryContext(ctx, `SELECT x.id, x.unit_id, x.year, x.start_on FROM internal_audits x
		WHERE x.tenant_id = $1 AND x.unit_id IS NOT NULL AND x.state IN ($2, $3, $4) AND x.start_on < $5 ORDER BY x.unit_id, x.start_on DESC, x.id DESC`,
		tenant, StateInProgress, StateReporting, StateClosed, fmt.Sprintf("%04d-01-01", year))
	if err != nil {
		return nil, fmt.Errorf("cannot read audits: %w", err)
	}
	lastOf := map[int64]int64{}
	var lastIDs []int64
	for last.Next() {
		var id, unit int64
		var y int
		var start string
		if err := last.Scan(&id, &unit, &y, &start); err != nil {
			last.Close()
			return nil, fmt.Errorf("cannot read audits: %w", err)
		}
		if _, seen := lastOf[unit]; seen {
			continue
		}
		lastOf[unit] = id
		lastIDs = append(lastIDs, id)
		if c, ok := by[unit]; ok {
			c.LastYear = y
			c.LastResult = VerdictConform
		}
	}
	last.Close()
	if err := last.Err(); err != nil {
		return nil, err
	}
	if len(lastIDs) > 0 {
		in, args := idList(lastIDs, 2)
		fr, err := q.QueryContext(ctx, `SELECT x.unit_id, f.kind, COALESCE(n.state, '') FROM audit_findings f JOIN internal_audits x ON x.id = f.audit_id
			LEFT JOIN nonconformities n ON n.id = f.nc_id AND n.tenant_id = f.tenant_id WHERE f.tenant_id = $1 AND f.audit_id IN (`+in+`)`, append([]any{tenant}, args...)...)
		if err != nil {
			return nil, fmt.Errorf("cannot read findings: %w", err)
		}
		for fr.Next() {
			var unit int64
			var kind, state string
			if err := fr.Scan(&unit, &kind, &state); err != nil {
				fr.Close()
				return nil, fmt.Errorf("cannot read findings: %w", err)
			}
			c, ok := by[unit]
			if !ok {
				continue
			}
			c.LastResult = worse(c.LastResult, kind)
			if state != "" && slices.Contains([]string{"reported", "analysis", "actions", "verification"}, state) {
				c.OpenFindings++
			}
		}
		fr.Close()
		if err := fr.Err(); err != nil {
			return nil, err
		}
	}
	names := map[int64]string{}
	un, err := q.QueryContext(ctx, `SELECT id, name FROM units WHERE tenant_id = $1`, tenant)
	if err != nil {
		return nil, fmt.Errorf("cannot read units: %w", err)
	}
	for un.Next() {
		var id int64
		var n string
		if err := un.Scan(&id, &n); err != nil {
			un.Close()
			return nil, fmt.Errorf("cannot read units: %w", err)
		}
		names[id] = n
	}
	un.Close()
	var out []Candidate
	for _, u := range order {
		c := by[u]
		name, ok := names[u]
		if !ok {
			continue
		}
		c.UnitName = name
		c.Process = clip(c.Process, 200)
		c.Clauses, _ = NormClauses(append(c.Clauses, baseClauses...))
		c.Frequency = Frequency(c.Exposure, tolerance, c.LastResult)
		out = append(out, *c)
	}
	for _, c := range processOnly {
		c.Clauses = append([]string{"4.4"}, baseClauses...)
		c.Clauses, _ = NormClauses(c.Clauses)
		c.Frequency = Frequency(0, tolerance, "")
		out = append(out, *c)
	}
	rank := func(r string) int { return slices.Index(FindingKinds, r) }
	slices.SortStableFunc(out, func(a, b Candidate) int {
		if a.Frequency != b.Frequency {
			return b.Frequency - a.Frequency
		}
		if a.Exposure != b.Exposure {
			return b.Exposure - a.Exposure
		}
		ra, rb := rank(a.LastResult), rank(b.LastResult)
		if ra < 0 {
			ra = 99
		}
		if rb < 0 {
			rb = 99
		}
		if ra != rb {
			return ra - rb
		}
		return strings.Compare(textutil.Fold(a.Subject()), textutil.Fold(b.Subject()))
	})
	return out, nil
}

// Subject is what the candidate covers.
func (c Candidate) Subject() string {
	if c.UnitName != "" {
		return c.UnitName
	}
	return c.Process
}

// months spreads the candidates over the year, gravest first: those
// audited twice take a month from February to June and the same month six
// months later; the others fill February to November in turn.
func months(cs []Candidate) [][]int {
	out := make([][]int, len(cs))
	twice, once := 0, 0
	for i, c := range cs {
		if c.Frequency >= 2 {
			m := 2 + twice%5
			out[i] = []int{m, m + 6}
			twice++
			continue
		}
		out[i] = []int{2 + (once+twice)%10}
		once++
	}
	return out
}

// Propose computes the programme the rule proposes for year, without
// saving it.
func (s *Service) Propose(ctx context.Context, a auth.Actor, year int) ([]Candidate, error) {
	if err := a.Require(auth.PermAuditsManage); err != nil {
		return nil, err
	}
	tol, err := s.tolerance(ctx, a)
	if err != nil {
		return nil, err
	}
	return candidates(ctx, s.DB.R, a.Tenant, year, tol)
}

func (s *Service) tolerance(ctx context.Context, a auth.Actor) (int, error) {
	st, err := (&risks.Service{DB: s.DB, Clock: s.Clock}).Settings(ctx, auth.SystemActor(a.Tenant, a.Name))
	if err != nil {
		return 0, err
	}
	return st.Tolerance, nil
}

const programmeColumns = `id, tenant_id, year, state, notes, approved_by, approved_name, approved_at, COALESCE(previous_id, 0), created_at, updated_at, version`

func scanProgramme(row interface{ Scan(...any) error }) (Programme, error) {
	var p Programme
	var at sql.NullTime
	err := row.Scan(&p.ID, &p.Tenant, &p.Year, &p.State, &p.Notes, &p.ApprovedBy, &p.ApprovedName, &at, &p.PreviousID, &p.CreatedAt, &p.UpdatedAt, &p.Version)
	if at.Valid {
		t := at.Time
		p.ApprovedAt = &t
	}
	return p, err
}

func programmeOf(ctx context.Context, q querier, tenant int64, year int) (Programme, error) {
	p, err := scanProgramme(q.QueryRowContext(ctx, `SELECT `+programmeColumns+` FROM audit_programmes WHERE tenant_id = $1 AND year = $2`, tenant, year))
	if errors.Is(err, sql.ErrNoRows) {
		return Programme{}, apperr.NotFound("audit_programme")
	}
	if err != nil {
		return Programme{}, fmt.Errorf("cannot read programme: %w", err)
	}
	return p, nil
}

// Programme returns the programme of year.
func (s *Service) Programme(ctx context.Context, a auth.Actor, year int) (Programme, error) {
	if err := a.Require(auth.PermAuditsView); err != nil {
		return Programme{}, err
	}
	return programmeOf(ctx, s.DB.R, a.Tenant, year)
}

const itemCols = `i.id, i.programme_id, COALESCE(i.unit_id, 0), i.process, i.month, i.clauses, i.frequency, i.risk_exposure, i.tolerance, i.last_result, i.last_year,
	i.open_findings, i.change, COALESCE(i.previous_id, 0), i.version, COALESCE(u.name, '')`

func itemsOf(ctx context.Context, q querier, tenant, programme int64) ([]ProgrammeItem, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+itemCols+` FROM audit_programme_items i LEFT JOIN units u ON u.id = i.unit_id
		WHERE i.tenant_id = $1 AND i.programme_id = $2 ORDER BY i.month, COALESCE(u.sort_name, ''), i.process, i.id`, tenant, programme)
	if err != nil {
		return nil, fmt.Errorf("cannot read programme: %w", err)
	}
	var out []ProgrammeItem
	for rows.Next() {
		var it ProgrammeItem
		var clauses string
		if err := rows.Scan(&it.ID, &it.ProgrammeID, &it.UnitID, &it.Process, &it.Month, &clauses, &it.Frequency, &it.RiskExposure, &it.Tolerance, &it.LastResult, &it.LastYear,
			&it.OpenFindings, &it.Change, &it.PreviousID, &it.Version, &it.UnitName); err != nil {
			rows.Close()
			return nil, fmt.Errorf("cannot read programme: %w", err)
		}
		it.Clauses = splitClauses(clauses)
		out = append(out, it)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	ar, err := q.QueryContext(ctx, `SELECT item_id, id, code, state, start_on FROM internal_audits WHERE tenant_id = $1 AND programme_id = $2 AND item_id IS NOT NULL ORDER BY start_on, id`, tenant, programme)
	if err != nil {
		return nil, fmt.Errorf("cannot read programme audits: %w", err)
	}
	defer ar.Close()
	for ar.Next() {
		var item int64
		var r AuditRef
		if err := ar.Scan(&item, &r.ID, &r.Code, &r.State, &r.StartOn); err != nil {
			return nil, fmt.Errorf("cannot read programme audits: %w", err)
		}
		for k := range out {
			if out[k].ID == item {
				out[k].Audits = append(out[k].Audits, r)
			}
		}
	}
	return out, ar.Err()
}

// ProgrammeView is a year's programme as its page shows it.
type ProgrammeView struct {
	Year      int
	Programme *Programme
	Items     []ProgrammeItem
	// Unplanned are the year's audits planned outside the programme's items.
	Unplanned []Audit
	// Dropped are last year's items whose unit or process the programme no
	// longer covers.
	Dropped []ProgrammeItem
	// Startable: last year has a programme and this year has none yet.
	Startable bool
}

// ProgrammeView reads year's programme, its items with their audits, and
// what changed from last year's.
func (s *Service) ProgrammeView(ctx context.Context, a auth.Actor, year int) (ProgrammeView, error) {
	if err := a.Require(auth.PermAuditsView); err != nil {
		return ProgrammeView{}, err
	}
	v := ProgrammeView{Year: year}
	p, err := programmeOf(ctx, s.DB.R, a.Tenant, year)
	switch {
	case errors.Is(err, apperr.ErrNotFound):
		if _, err := programmeOf(ctx, s.DB.R, a.Tenant, year-1); err == nil {
			v.Startable = true
		}
	case err != nil:
		return v, err
	default:
		v.Programme = &p
		if v.Items, err = itemsOf(ctx, s.DB.R, a.Tenant, p.ID); err != nil {
			return v, err
		}
		if p.PreviousID != 0 {
			prev, err := itemsOf(ctx, s.DB.R, a.Tenant, p.PreviousID)
			if err != nil {
				return v, err
			}
			for _, pi := range prev {
				if !slices.ContainsFunc(v.Items, func(i ProgrammeItem) bool { return sameSubject(i, pi) }) {
					v.Dropped = append(v.Dropped, pi)
				}
			}
		}
	}
	rows, err := s.DB.R.QueryContext(ctx, `SELECT `+auditColumns+auditFrom+` WHERE x.tenant_id = $1 AND x.year = $2 AND x.item_id IS NULL ORDER BY x.start_on, x.id`, a.Tenant, year)
	if err != nil {
		return v, fmt.Errorf("cannot read audits: %w", err)
	}
	if v.Unplanned, err = scanAudits(rows); err != nil {
		return v, err
	}
	return v, nil
}

func sameSubject(a, b ProgrammeItem) bool {
	if a.UnitID != 0 || b.UnitID != 0 {
		return a.UnitID == b.UnitID
	}
	return a.Process == b.Process
}

// ProgrammeYears lists the years that have a programme or audits, newest
// first, with the current year among them.
func (s *Service) ProgrammeYears(ctx context.Context, a auth.Actor) ([]int, error) {
	if err := a.Require(auth.PermAuditsView); err != nil {
		return nil, err
	}
	rows, err := s.DB.R.QueryContext(ctx, `SELECT year FROM audit_programmes WHERE tenant_id = $1 UNION SELECT year FROM internal_audits WHERE tenant_id = $1`, a.Tenant)
	if err != nil {
		return nil, fmt.Errorf("cannot read years: %w", err)
	}
	defer rows.Close()
	out := []int{s.today().Year()}
	for rows.Next() {
		var y int
		if err := rows.Scan(&y); err != nil {
			return nil, fmt.Errorf("cannot read years: %w", err)
		}
		if !slices.Contains(out, y) {
			out = append(out, y)
		}
	}
	slices.SortFunc(out, func(x, y int) int { return y - x })
	return out, rows.Err()
}

// Actions on a programme.
const (
	ActApprove = "approve"
	ActRevise  = "revise" // back to draft, with a reason
)

// ProgrammeFlow: a programme is drafted (proposed, edited), then approved
// by the quality office on the mayor's decision; revising an approved
// programme sends it back to draft with a reason.
var ProgrammeFlow = workflow.New("audit_programme", ProgrammeDraft,
	[]workflow.State{ProgrammeDraft, ProgrammeApproved},
	workflow.Transition[Programme]{Name: ActApprove, From: []workflow.State{ProgrammeDraft}, To: ProgrammeApproved, Perm: auth.PermAuditsManage},
	workflow.Transition[Programme]{Name: ActRevise, From: []workflow.State{ProgrammeApproved}, To: ProgrammeDraft, Perm: auth.PermAuditsManage, Reason: true},
)

// ProgrammeActions lists what a may do with p now.
func ProgrammeActions(a auth.Actor, p Programme) []string {
	return ProgrammeFlow.Actions(workflow.State(p.State), a, p)
}

func (s *Service) insertProgramme(ctx context.Context, tx *sql.Tx, a auth.Actor, year int, notes string, previous int64, now time.Time) (Programme, error) {
	var id int64
	err := tx.QueryRowContext(ctx, `INSERT INTO audit_programmes (tenant_id, year, state, notes, previous_id, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING id`,
		a.Tenant, year, ProgrammeDraft, notes, nullID(previous), now).Scan(&id)
	if db.IsUniqueViolation(err) {
		return Programme{}, apperr.Conflict("audits.error.programme_exists")
	}
	if err != nil {
		return Programme{}, fmt.Errorf("cannot record programme: %w", err)
	}
	p, err := programmeOf(ctx, tx, a.Tenant, year)
	if err != nil {
		return Programme{}, err
	}
	return p, audit.Record(ctx, tx, now, audit.Event{Tenant: a.Tenant, Actor: a.Audit(), Action: audit.ActionCreate, Entity: "audit_programme", EntityID: id,
		Summary: fmt.Sprint(year), After: p})
}

func validYear(year int, today time.Time) bool { return year >= 2000 && year <= today.Year()+1 }

func insertItem(ctx context.Context, tx *sql.Tx, tenant, programme int64, it ProgrammeItem, now time.Time) (int64, error) {
	var id int64
	err := tx.QueryRowContext(ctx, `INSERT INTO audit_programme_items (tenant_id, programme_id, unit_id, process, month, clauses, frequency, risk_exposure, tolerance,
			last_result, last_year, open_findings, change, previous_id, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $15) RETURNING id`,
		tenant, programme, nullID(it.UnitID), it.Process, it.Month, joinClauses(it.Clauses), it.Frequency, it.RiskExposure, it.Tolerance,
		it.LastResult, it.LastYear, it.OpenFindings, it.Change, nullID(it.PreviousID), now).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("cannot record programme item: %w", err)
	}
	return id, nil
}

func itemOf(c Candidate, month int) ProgrammeItem {
	return ProgrammeItem{UnitID: c.UnitID, Process: c.Process, Month: month, Clauses: c.Clauses, Frequency: c.Frequency, RiskExposure: c.Exposure,
		Tolerance: c.Tolerance, LastResult: c.LastResult, LastYear: c.LastYear, OpenFindings: c.OpenFindings}
}

// ApplyProposal fills year's draft programme (creating it) with the
// rule's proposal: the items no audit was planned from yet are replaced by
// the proposed ones. It returns how many items it proposed.
func (s *Service) ApplyProposal(ctx context.Context, a auth.Actor, year int) (int, error) {
	if err := a.Require(auth.PermAuditsManage); err != nil {
		return 0, err
	}
	now := s.Clock.Now()
	if !validYear(year, s.today()) {
		return 0, apperr.Validation{"programme_year": "error.range"}
	}
	tol, err := s.tolerance(ctx, a)
	if err != nil {
		return 0, err
	}
	n := 0
	err = s.DB.Tx(ctx, func(tx *sql.Tx) error {
		p, err := programmeOf(ctx, tx, a.Tenant, year)
		if errors.Is(err, apperr.ErrNotFound) {
			p, err = s.insertProgramme(ctx, tx, a, year, "", 0, now)
		}
		if err != nil {
			return err
		}
		if p.State != ProgrammeDraft {
			return apperr.Conflict("audits.error.programme_approved")
		}
		cs, err := candidates(ctx, tx, a.Tenant, year, tol)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM audit_programme_items WHERE tenant_id = $1 AND programme_id = $2
			AND id NOT IN (SELECT item_id FROM internal_audits WHERE tenant_id = $1 AND item_id IS NOT NULL)`, a.Tenant, p.ID); err != nil {
			return fmt.Errorf("cannot clear programme: %w", err)
		}
		for i, ms := range months(cs) {
			for _, m := range ms {
				if _, err := insertItem(ctx, tx, a.Tenant, p.ID, itemOf(cs[i], m), now); err != nil {
					return err
				}
				n++
			}
		}
		if _, err := tx.ExecContext(ctx, `UPDATE audit_programmes SET updated_at = $1, version = version + 1 WHERE tenant_id = $2 AND id = $3`, now, a.Tenant, p.ID); err != nil {
			return fmt.Errorf("cannot update programme: %w", err)
		}
		return audit.Record(ctx, tx, now, audit.Event{Tenant: a.Tenant, Actor: a.Audit(), Action: audit.ActionUpdate, Entity: "audit_programme", EntityID: p.ID,
			Summary: fmt.Sprintf("%d: %d", year, n), After: map[string]any{"proposed": n, "tolerance": tol}})
	})
	return n, err
}

// StartNext starts the programme of from+1 from the programme of from: each
// unit or process keeps its months and clauses, the rule's frequency is
// computed again (a row added or dropped, and marked, when new risks or
// results change it), units and processes new to the proposal are added
// and marked, and those no longer proposed stay behind (listed as dropped).
// Every item starts without audits; the programme starts as a draft.
func (s *Service) StartNext(ctx context.Context, a auth.Actor, from int) (Programme, error) {
	if err := a.Require(auth.PermAuditsManage); err != nil {
		return Programme{}, err
	}
	to := from + 1
	if !validYear(to, s.today()) {
		return Programme{}, apperr.Validation{"programme_year": "error.range"}
	}
	tol, err := s.tolerance(ctx, a)
	if err != nil {
		return Programme{}, err
	}
	now := s.Clock.Now()
	var out Programme
	err = s.DB.Tx(ctx, func(tx *sql.Tx) error {
		prev, err := programmeOf(ctx, tx, a.Tenant, from)
		if err != nil {
			return err
		}
		prevItems, err := itemsOf(ctx, tx, a.Tenant, prev.ID)
		if err != nil {
			return err
		}
		if out, err = s.insertProgramme(ctx, tx, a, to, prev.Notes, prev.ID, now); err != nil {
			return err
		}
		cs, err := candidates(ctx, tx, a.Tenant, to, tol)
		if err != nil {
			return err
		}
		proposed := months(cs)
		n := 0
		for i, c := range cs {
			var had []ProgrammeItem
			for _, pi := range prevItems {
				if sameSubject(pi, ProgrammeItem{UnitID: c.UnitID, Process: c.Process}) {
					had = append(had, pi)
				}
			}
			var rows []ProgrammeItem
			switch {
			case len(had) == 0:
				for _, m := range proposed[i] {
					it := itemOf(c, m)
					it.Change = ChangeNew
					rows = append(rows, it)
				}
			default:
				change := ""
				if c.Frequency > len(had) {
					change = ChangeMore
				} else if c.Frequency < len(had) {
					change = ChangeFewer
				}
				for k := 0; k < min(len(had), c.Frequency); k++ {
					it := itemOf(c, had[k].Month)
					it.Clauses, it.Process, it.PreviousID, it.Change = had[k].Clauses, had[k].Process, had[k].ID, change
					rows = append(rows, it)
				}
				for k := len(had); k < c.Frequency; k++ {
					m := had[len(had)-1].Month + 6
					if m > 12 {
						m -= 12
					}
					it := itemOf(c, m)
					it.Clauses, it.Process, it.Change = had[0].Clauses, had[0].Process, change
					rows = append(rows, it)
				}
			}
			for _, it := range rows {
				if _, err := insertItem(ctx, tx, a.Tenant, out.ID, it, now); err != nil {
					return err
				}
				n++
			}
		}
		return audit.Record(ctx, tx, now, audit.Event{Tenant: a.Tenant, Actor: a.Audit(), Action: audit.ActionUpdate, Entity: "audit_programme", EntityID: out.ID,
			Summary: fmt.Sprintf("%d ← %d: %d", to, from, n), After: map[string]any{"from": from, "items": n}})
	})
	return out, err
}

// ProgrammeStepInput is a programme's approval or revision.
type ProgrammeStepInput struct {
	Action  string
	Reason  string
	Version int
}

// StepProgramme approves a draft programme, or sends an approved one back
// to draft with a reason; a stale Version is refused.
func (s *Service) StepProgramme(ctx context.Context, a auth.Actor, year int, in ProgrammeStepInput) (Programme, error) {
	now := s.Clock.Now()
	var out Programme
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		p, err := programmeOf(ctx, tx, a.Tenant, year)
		if err != nil {
			return err
		}
		step, err := ProgrammeFlow.Fire(workflow.State(p.State), in.Action, a, p, in.Reason, now)
		if err != nil {
			return err
		}
		if p.Version != in.Version {
			return apperr.Stale()
		}
		if step.Action == ActApprove {
			var n int
			if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM audit_programme_items WHERE tenant_id = $1 AND programme_id = $2`, a.Tenant, p.ID).Scan(&n); err != nil {
				return fmt.Errorf("cannot read programme: %w", err)
			}
			if n == 0 {
				return apperr.Conflict("audits.error.programme_empty")
			}
		}
		var by int64
		var name string
		var at any
		if step.Action == ActApprove {
			by, name, at = a.UserID, a.Name, now
		}
		res, err := tx.ExecContext(ctx, `UPDATE audit_programmes SET state = $1, approved_by = $2, approved_name = $3, approved_at = $4, updated_at = $5, version = version + 1
			WHERE tenant_id = $6 AND id = $7 AND version = $8`, string(step.To), by, name, at, now, a.Tenant, p.ID, p.Version)
		if err != nil {
			return fmt.Errorf("cannot change programme: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return apperr.Stale()
		}
		if out, err = programmeOf(ctx, tx, a.Tenant, year); err != nil {
			return err
		}
		return audit.Record(ctx, tx, now, audit.Event{Tenant: a.Tenant, Actor: a.Audit(), Action: audit.ActionTransition, Entity: "audit_programme", EntityID: p.ID,
			Summary: fmt.Sprintf("%d: %s", year, step.Action), Before: map[string]string{"state": p.State}, After: step})
	})
	return out, err
}

// ProgrammeInput is a programme's notes.
type ProgrammeInput struct {
	Notes   string
	Version int
}

// CreateProgramme starts an empty draft programme for year.
func (s *Service) CreateProgramme(ctx context.Context, a auth.Actor, year int, notes string) (Programme, error) {
	if err := a.Require(auth.PermAuditsManage); err != nil {
		return Programme{}, err
	}
	if !validYear(year, s.today()) {
		return Programme{}, apperr.Validation{"programme_year": "error.range"}
	}
	notes = strings.TrimSpace(textutil.CleanText(notes))
	if tooLong(notes, MaxText) {
		return Programme{}, apperr.Validation{"programme_notes": "error.too_long"}
	}
	var out Programme
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		var err error
		out, err = s.insertProgramme(ctx, tx, a, year, notes, 0, s.Clock.Now())
		return err
	})
	return out, err
}

// UpdateProgramme changes a programme's notes.
func (s *Service) UpdateProgramme(ctx context.Context, a auth.Actor, year int, in ProgrammeInput) (Programme, error) {
	if err := a.Require(auth.PermAuditsManage); err != nil {
		return Programme{}, err
	}
	in.Notes = strings.TrimSpace(textutil.CleanText(in.Notes))
	if tooLong(in.Notes, MaxText) {
		return Programme{}, apperr.Validation{"programme_notes": "error.too_long"}
	}
	now := s.Clock.Now()
	var out Programme
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		p, err := programmeOf(ctx, tx, a.Tenant, year)
		if err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `UPDATE audit_programmes SET notes = $1, updated_at = $2, version = version + 1 WHERE tenant_id = $3 AND id = $4 AND version = $5`,
			in.Notes, now, a.Tenant, p.ID, in.Version)
		if err != nil {
			return fmt.Errorf("cannot update programme: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return apperr.Stale()
		}
		if out, err = programmeOf(ctx, tx, a.Tenant, year); err != nil {
			return err
		}
		return audit.Record(ctx, tx, now, audit.Event{Tenant: a.Tenant, Actor: a.Audit(), Action: audit.ActionUpdate, Entity: "audit_programme", EntityID: p.ID,
			Summary: fmt.Sprint(year), Before: p, After: out})
	})
	return out, err
}

// ProgrammeItemInput is a programme item as the programme's form gives it.
type ProgrammeItemInput struct {
	UnitID  int64
	Process string
	Month   int
	Clauses []string
	Version int
}

// Validate checks and normalises the input.
func (in *ProgrammeItemInput) Validate() error {
	v := apperr.Validation{}
	in.Process = textutil.Clean(in.Process)
	if in.UnitID == 0 && in.Process == "" {
		v.Add("unit_id", "audits.error.subject_required")
	}
	if tooLong(in.Process, 200) {
		v.Add("process", "error.too_long")
	}
	if in.Month < 1 || in.Month > 12 {
		v.Add("item_month", "error.choice")
	}
	cs, unknown := NormClauses(in.Clauses)
	in.Clauses = cs
	if unknown {
		v.Add("audit_clauses", "error.choice")
	} else if len(cs) == 0 {
		v.Add("audit_clauses", "audits.error.clauses_required")
	}
	return v.Err()
}

// draftProgramme reads year's programme and refuses one already approved.
func draftProgramme(ctx context.Context, tx *sql.Tx, tenant int64, year int) (Programme, error) {
	p, err := programmeOf(ctx, tx, tenant, year)
	if err != nil {
		return Programme{}, err
	}
	if p.State != ProgrammeDraft {
		return Programme{}, apperr.Conflict("audits.error.programme_approved")
	}
	return p, nil
}

func checkUnit(ctx context.Context, q querier, tenant, unit int64) error {
	if unit == 0 {
		return nil
	}
	var n int
	if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM units WHERE tenant_id = $1 AND id = $2`, tenant, unit).Scan(&n); err != nil {
		return fmt.Errorf("cannot check unit: %w", err)
	} else if n == 0 {
		return apperr.Validation{"unit_id": "error.choice"}
	}
	return nil
}

// AddProgrammeItem adds an audit to a draft programme by hand.
func (s *Service) AddProgrammeItem(ctx context.Context, a auth.Actor, year int, in ProgrammeItemInput) (ProgrammeItem, error) {
	if err := a.Require(auth.PermAuditsManage); err != nil {
		return ProgrammeItem{}, err
	}
	if err := in.Validate(); err != nil {
		return ProgrammeItem{}, err
	}
	now := s.Clock.Now()
	var out ProgrammeItem
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		p, err := draftProgramme(ctx, tx, a.Tenant, year)
		if err != nil {
			return err
		}
		if err := checkUnit(ctx, tx, a.Tenant, in.UnitID); err != nil {
			return err
		}
		out = ProgrammeItem{ProgrammeID: p.ID, UnitID: in.UnitID, Process: in.Process, Month: in.Month, Clauses: in.Clauses, Frequency: 1, Version: 1}
		if out.ID, err = insertItem(ctx, tx, a.Tenant, p.ID, out, now); err != nil {
			return err
		}
		return audit.Record(ctx, tx, now, audit.Event{Tenant: a.Tenant, Actor: a.Audit(), Action: audit.ActionCreate, Entity: "audit_programme_item", EntityID: out.ID,
			Summary: fmt.Sprintf("%d/%02d", year, in.Month), After: out})
	})
	return out, err
}

func getItem(ctx context.Context, q querier, tenant, programme, id int64) (ProgrammeItem, error) {
	items, err := itemsOf(ctx, q, tenant, programme)
	if err != nil {
		return ProgrammeItem{}, err
	}
	for _, it := range items {
		if it.ID == id {
			return it, nil
		}
	}
	return ProgrammeItem{}, apperr.NotFound("audit_programme_item")
}

// UpdateProgrammeItem changes an item of a draft programme.
func (s *Service) UpdateProgrammeItem(ctx context.Context, a auth.Actor, year int, id int64, in ProgrammeItemInput) (ProgrammeItem, error) {
	if err := a.Require(auth.PermAuditsManage); err != nil {
		return ProgrammeItem{}, err
	}
	now := s.Clock.Now()
	var out ProgrammeItem
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		p, err := draftProgramme(ctx, tx, a.Tenant, year)
		if err != nil {
			return err
		}
		before, err := getItem(ctx, tx, a.Tenant, p.ID, id)
		if err != nil {
			return err
		}
		if err := in.Validate(); err != nil {
			return err
		}
		if err := checkUnit(ctx, tx, a.Tenant, in.UnitID); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `UPDATE audit_programme_items SET unit_id = $1, process = $2, month = $3, clauses = $4, updated_at = $5, version = version + 1
			WHERE tenant_id = $6 AND id = $7 AND version = $8`, nullID(in.UnitID), in.Process, in.Month, joinClauses(in.Clauses), now, a.Tenant, id, in.Version)
		if err != nil {
			return fmt.Errorf("cannot update programme item: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return apperr.Stale()
		}
		if out, err = getItem(ctx, tx, a.Tenant, p.ID, id); err != nil {
			return err
		}
		return audit.Record(ctx, tx, now, audit.Event{Tenant: a.Tenant, Actor: a.Audit(), Action: audit.ActionUpdate, Entity: "audit_programme_item", EntityID: id,
			Summary: fmt.Sprintf("%d/%02d %s", year, out.Month, out.Subject()), Before: before, After: out})
	})
	return out, err
}

// DeleteProgrammeItem removes an item of a draft programme that no audit
// was planned from.
func (s *Service) DeleteProgrammeItem(ctx context.Context, a auth.Actor, year int, id int64) error {
	if err := a.Require(auth.PermAuditsManage); err != nil {
		return err
	}
	now := s.Clock.Now()
	return s.DB.Tx(ctx, func(tx *sql.Tx) error {
		p, err := draftProgramme(ctx, tx, a.Tenant, year)
		if err != nil {
			return err
		}
		before, err := getItem(ctx, tx, a.Tenant, p.ID, id)
		if err != nil {
			return err
		}
		if len(before.Audits) > 0 {
			return apperr.Conflict("audits.error.item_planned")
		}
		if _, err := tx.ExecContext(ctx, `UPDATE audit_programme_items SET previous_id = NULL WHERE tenant_id = $1 AND previous_id = $2`, a.Tenant, id); err != nil {
			return fmt.Errorf("cannot delete programme item: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM audit_programme_items WHERE tenant_id = $1 AND id = $2`, a.Tenant, id); err != nil {
			return fmt.Errorf("cannot delete programme item: %w", err)
		}
		return audit.Record(ctx, tx, now, audit.Event{Tenant: a.Tenant, Actor: a.Audit(), Action: audit.ActionDelete, Entity: "audit_programme_item", EntityID: id,
			Summary: fmt.Sprintf("%d/%02d %s", year, before.Month, before.Subject()), Before: before})
	})
}

// ProgrammeItem returns one item of a year's programme.
func (s *Service) ProgrammeItem(ctx context.Context, a auth.Actor, id int64) (ProgrammeItem, int, error) {
	if err := a.Require(auth.PermAuditsView); err != nil {
		return ProgrammeItem{}, 0, err
	}
	var programme int64
	var year int
	err := s.DB.R.QueryRowContext(ctx, `SELECT p.id, p.year FROM audit_programme_items i JOIN audit_programmes p ON p.id = i.programme_id WHERE i.tenant_id = $1 AND i.id = $2`,
		a.Tenant, id).Scan(&programme, &year)
	if errors.Is(err, sql.ErrNoRows) {
		return ProgrammeItem{}, 0, apperr.NotFound("audit_programme_item")
	}
	if err != nil {
		return ProgrammeItem{}, 0, fmt.Errorf("cannot read programme item: %w", err)
	}
	it, err := getItem(ctx, s.DB.R, a.Tenant, programme, id)
	return it, year, err
}

// MonthStart is the first working-day-ish date of a programme month: the
// second Monday, as audits rarely open on the first days of a month.
func MonthStart(year, month int) time.Time {
	d := time.Date(year, time.Month(month), 1, 0, 0, 0, 0, time.UTC)
	for d.Weekday() != time.Monday {
		d = d.AddDate(0, 0, 1)
	}
	return d.AddDate(0, 0, 7)
}
