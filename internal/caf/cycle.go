package caf

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"cadran/internal/apperr"
	"cadran/internal/audit"
	"cadran/internal/auth"
	"cadran/internal/db"
	"cadran/internal/frameworks"
	"cadran/internal/textutil"
	"cadran/internal/work"
)

// Cycle is one self-assessment.
type Cycle struct {
	ID           int64
	Tenant       int64
	Code         string // CAF-2026
	Title        string
	Model        string // the CAF edition, "2020"
	UnitID       int64  // 0: the whole institution
	UnitName     string // read
	Panel        string
	LeaderID     int64
	LeaderName   string // read
	State        string
	StartOn      string
	EndOn        string
	CommPlan     string // the communication plan
	PEFNotes     string // readiness notes for the external feedback procedure
	PreviousID   int64
	PreviousCode string // read
	CancelReason string
	Created      time.Time
	Updated      time.Time
	Version      int
}

// Open reports whether the cycle is still under way (not closed or
// cancelled).
func (c Cycle) Open() bool { return c.State != StateClosed && c.State != StateCancelled }

// CAF is the cycle's edition of the model (the latest when the cycle's is
// unknown, which only a removed edition could cause).
func (c Cycle) CAF() frameworks.CAF {
	if m, ok := frameworks.CAFModel(c.Model); ok {
		return m
	}
	m, _ := frameworks.CAFModel(frameworks.CAFLatest)
	return m
}

// CycleInput creates or changes a cycle.
type CycleInput struct {
	Title    string
	Model    string // empty: frameworks.CAFLatest
	UnitID   int64
	Panel    string
	LeaderID int64
	StartOn  string
	EndOn    string
	CommPlan string
	PEFNotes string
	Version  int
}

// Text limits, in characters.
const (
	MaxTitle = 300
	MaxText  = 8000
)

// Validate checks and normalises the input: form fields caf_title,
// caf_model, caf_panel, caf_start, caf_end, caf_comm_plan, caf_pef_notes
// (the unit and the leader are checked against the institution apart).
func (in *CycleInput) Validate() error {
	v := apperr.Validation{}
	in.Title = textutil.Clean(in.Title)
	in.CommPlan = strings.TrimSpace(textutil.CleanText(in.CommPlan))
	in.PEFNotes = strings.TrimSpace(textutil.CleanText(in.PEFNotes))
	in.StartOn, in.EndOn = strings.TrimSpace(in.StartOn), strings.TrimSpace(in.EndOn)
	in.Model = strings.TrimSpace(in.Model)
	if in.Model == "" {
		in.Model = frameworks.CAFLatest
	}
	if utf8.RuneCountInString(in.Title) > MaxTitle {
		v.Add("caf_title", "error.too_long")
	}
	if _, ok := frameworks.CAFModel(in.Model); !ok {
		v.Add("caf_model", "error.choice")
	}
	if in.Panel == "" {
		in.Panel = PanelClassical
	}
	if !slices.Contains(Panels, in.Panel) {
		v.Add("caf_panel", "error.choice")
	}
	start, okStart := parseDay(in.StartOn)
	if in.StartOn != "" && !okStart {
		v.Add("caf_start", "error.date")
	}
	end, okEnd := parseDay(in.EndOn)
	if in.EndOn != "" && !okEnd {
		v.Add("caf_end", "error.date")
	}
	if okStart && okEnd && end.Before(start) {
		v.Add("caf_end", "caf.error.end_before_start")
	}
	if utf8.RuneCountInString(in.CommPlan) > MaxText {
		v.Add("caf_comm_plan", "error.too_long")
	}
	if utf8.RuneCountInString(in.PEFNotes) > MaxText {
		v.Add("caf_pef_notes", "error.too_long")
	}
	return v.Err()
}

// CycleFilter narrows the cycle list.
type CycleFilter struct {
	Query   string
	State   string
	Year    int
	Sort    string // code, start, state
	Desc    bool
	Page    int
	PerPage int
}

// CyclePage is one page of cycles.
type CyclePage struct {
	Items []Cycle
	Total int
}

// Step is one of the ten implementation steps.
type Step struct {
	N         int // 1 to 10
	PlannedOn string
	DoneOn    string
	Notes     string
}

// Phase is the step's phase: start (1-2), assessment (3-6), improvement
// (7-10), as the keys caf.phase.* name them.
func (st Step) Phase() string {
	switch {
	case st.N <= 2:
		return "start"
	case st.N <= 6:
		return "assessment"
	default:
		return "improvement"
	}
}

// Member is a member of the self-assessment group.
type Member struct {
	PersonID    int64
	Name        string // read
	UnitName    string // read: their unit, to show the group spans units
	Position    string // read: their level (management, execution)
	Role        string // leader, member
	SubmittedAt *time.Time
	Assessed    int // read: sub-criteria they have scored
}

// MemberInput adds a person to the group.
type MemberInput struct {
	PersonID int64
	Role     string
}

// Actions of the cycle workflow.
const (
	ActStart     = "start"     // planning → assessing (needs a leader and at least two members)
	ActConsensus = "consensus" // assessing → consensus
	ActImprove   = "improve"   // consensus → improving (every sub-criterion has a consensus score)
	ActClose     = "close"     // improving → closed
	ActCancel    = "cancel"    // any open state → cancelled, with a reason
	ActReopen    = "reopen"    // consensus → assessing
)

type querier interface {
	QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row
}

const cycleColumns = `c.id, c.tenant_id, c.code, c.title, c.model, COALESCE(c.unit_id, 0), COALESCE(u.name, ''), c.panel, COALESCE(c.leader_id, 0),
	COALESCE(p.full_name, ''), c.state, c.start_on, c.end_on, c.communication_plan, c.pef_notes, COALESCE(c.previous_id, 0), COALESCE(pc.code, ''),
	c.cancel_reason, c.created_at, c.updated_at, c.version`

const cycleFrom = ` FROM caf_cycles c
	LEFT JOIN units u ON u.id = c.unit_id
	LEFT JOIN people p ON p.id = c.leader_id
	LEFT JOIN caf_cycles pc ON pc.id = c.previous_id`

func scanCycle(row interface{ Scan(...any) error }) (Cycle, error) {
	var c Cycle
	err := row.Scan(&c.ID, &c.Tenant, &c.Code, &c.Title, &c.Model, &c.UnitID, &c.UnitName, &c.Panel, &c.LeaderID,
		&c.LeaderName, &c.State, &c.StartOn, &c.EndOn, &c.CommPlan, &c.PEFNotes, &c.PreviousID, &c.PreviousCode,
		&c.CancelReason, &c.Created, &c.Updated, &c.Version)
	return c, err
}

func getCycle(ctx context.Context, q querier, tenant, id int64) (Cycle, error) {
	c, err := scanCycle(q.QueryRowContext(ctx, `SELECT `+cycleColumns+cycleFrom+` WHERE c.tenant_id = $1 AND c.id = $2`, tenant, id))
	if errors.Is(err, sql.ErrNoRows) {
		return Cycle{}, apperr.NotFound(EntityCycle)
	}
	if err != nil {
		return Cycle{}, fmt.Errorf("cannot read CAF cycle: %w", err)
	}
	return c, nil
}

// MayManage reports whether a runs cycle c: a manager (quality office, top
// management) or the cycle's project leader.
func MayManage(a auth.Actor, c Cycle) bool {
	return a.Can(auth.PermCAFManage) || (a.PersonID != 0 && a.PersonID == c.LeaderID)
}

func requireManage(a auth.Actor, c Cycle) error {
	if !MayManage(a, c) {
		return apperr.Forbidden(string(auth.PermCAFManage))
	}
	return nil
}

// manageable reads a cycle for a change by a manager or its leader.
func manageable(ctx context.Context, tx *sql.Tx, a auth.Actor, id int64) (Cycle, error) {
	if err := a.Require(auth.PermCAFView); err != nil {
		return Cycle{}, err
	}
	c, err := getCycle(ctx, tx, a.Tenant, id)
	if err != nil {
		return Cycle{}, err
	}
	return c, requireManage(a, c)
}

var cycleSorts = map[string]string{
	"code":  "c.code",
	"start": "c.start_on",
	"state": "c.state",
	"title": "c.title",
}

// Cycles lists cycles.
func (s *Service) Cycles(ctx context.Context, a auth.Actor, f CycleFilter) (CyclePage, error) {
	if err := a.Require(auth.PermCAFView); err != nil {
		return CyclePage{}, err
	}
	where := ` WHERE c.tenant_id = $1`
	args := []any{a.Tenant}
	add := func(cond string, v ...any) {
		for _, x := range v {
			args = append(args, x)
			cond = strings.Replace(cond, "?", fmt.Sprintf("$%d", len(args)), 1)
		}
		where += " AND " + cond
	}
	if q := textutil.Fold(strings.TrimSpace(f.Query)); q != "" {
		add(`c.search_text LIKE ? ESCAPE '\'`, db.LikePattern(q))
	}
	if slices.Contains(States, f.State) {
		add(`c.state = ?`, f.State)
	}
	if f.Year > 0 {
		y := strconv.Itoa(f.Year)
		add(`(c.start_on LIKE ? OR (c.start_on = '' AND c.code LIKE ?))`, y+"-%", "CAF-"+y+"%")
	}
	var out CyclePage
	if err := s.DB.R.QueryRowContext(ctx, `SELECT COUNT(*) FROM caf_cycles c`+where, args...).Scan(&out.Total); err != nil {
		return CyclePage{}, fmt.Errorf("cannot count CAF cycles: %w", err)
	}
	sort := f.Sort
	if _, ok := cycleSorts[sort]; !ok {
		sort, f.Desc = "start", true // the newest first
	}
	if f.Desc {
		sort = "-" + sort
	}
	per := f.PerPage
	if per <= 0 || per > db.MaxPageSize {
		per = db.DefaultPageSize
	}
	page, args := db.OrderPage(cycleSorts, sort, "start", "c.id DESC", per, (max(f.Page, 1)-1)*per, args)
	rows, err := s.DB.R.QueryContext(ctx, `SELECT `+cycleColumns+cycleFrom+where+page, args...)
	if err != nil {
		return CyclePage{}, fmt.Errorf("cannot list CAF cycles: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		c, err := scanCycle(rows)
		if err != nil {
			return CyclePage{}, fmt.Errorf("cannot list CAF cycles: %w", err)
		}
		out.Items = append(out.Items, c)
	}
	return out, rows.Err()
}

// Cycle reads one cycle.
func (s *Service) Cycle(ctx context.Context, a auth.Actor, id int64) (Cycle, error) {
	if err := a.Require(auth.PermCAFView); err != nil {
		return Cycle{}, err
	}
	return getCycle(ctx, s.DB.R, a.Tenant, id)
}

// checkRefs checks that unit and leader belong to the institution (the
// leader an active person).
func checkRefs(ctx context.Context, q querier, tenant, unit, leader int64) error {
	v := apperr.Validation{}
	var n int
	if unit != 0 {
		if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM units WHERE tenant_id = $1 AND id = $2`, tenant, unit).Scan(&n); err != nil {
			return fmt.Errorf("cannot check unit: %w", err)
		}
		if n == 0 {
			v.Add("caf_unit", "error.choice")
		}
	}
	if leader != 0 {
		if ok, err := activePerson(ctx, q, tenant, leader); err != nil {
			return err
		} else if !ok {
			v.Add("caf_leader", "error.choice")
		}
	}
	return v.Err()
}

func activePerson(ctx context.Context, q querier, tenant, person int64) (bool, error) {
	var n int
	if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM people WHERE tenant_id = $1 AND id = $2 AND active`, tenant, person).Scan(&n); err != nil {
		return false, fmt.Errorf("cannot check person: %w", err)
	}
	return n > 0, nil
}

// nextCycleCode is CAF-<year>, or CAF-<year>-2, -3 ... when taken.
func nextCycleCode(ctx context.Context, q querier, tenant int64, year int) (string, error) {
	base := "CAF-" + strconv.Itoa(year)
	for i := 1; ; i++ {
		code := base
		if i > 1 {
			code = base + "-" + strconv.Itoa(i)
		}
		var n int
		if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM caf_cycles WHERE tenant_id = $1 AND code = $2`, tenant, code).Scan(&n); err != nil {
			return "", fmt.Errorf("cannot number CAF cycle: %w", err)
		}
		if n == 0 {
			return code, nil
		}
	}
}

func cycleSearch(code, title string) string { return textutil.Fold(code + " " + title) }

// insertCycle writes a new cycle in planning with its ten empty steps and,
// when it has one, its leader as a member.
func insertCycle(ctx context.Context, tx *sql.Tx, a auth.Actor, in CycleInput, previous int64, now time.Time) (int64, string, error) {
	year := work.Day(now).Year()
	if d, ok := parseDay(in.StartOn); ok {
		year = d.Year()
	}
	code, err := nextCycleCode(ctx, tx, a.Tenant, year)
	if err != nil {
		return 0, "", err
	}
	if in.Title == "" {
		in.Title = "Autoevaluare CAF " + strconv.Itoa(year)
	}
	var id int64
	err = tx.QueryRowContext(ctx, `INSERT INTO caf_cycles (tenant_id, code, title, model, unit_id, panel, leader_id, state, start_on, end_on,
			communication_plan, pef_notes, previous_id, search_text, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $15) RETURNING id`,
		a.Tenant, code, in.Title, in.Model, nullID(in.UnitID), in.Panel, nullID(in.LeaderID), StatePlanning, in.StartOn, in.EndOn,
		in.CommPlan, in.PEFNotes, nullID(previous), cycleSearch(code, in.Title), now).Scan(&id)
	if db.IsUniqueViolation(err) {
		return 0, "", apperr.Conflict("caf.error.code_taken")
	}
	if err != nil {
		return 0, "", fmt.Errorf("cannot record CAF cycle: %w", err)
	}
	for n := 1; n <= Steps; n++ {
		if _, err := tx.ExecContext(ctx, `INSERT INTO caf_steps (tenant_id, cycle_id, step) VALUES ($1, $2, $3)`, a.Tenant, id, n); err != nil {
			return 0, "", fmt.Errorf("cannot record CAF steps: %w", err)
		}
	}
	if in.LeaderID != 0 {
		if _, err := tx.ExecContext(ctx, `INSERT INTO caf_members (tenant_id, cycle_id, person_id, role) VALUES ($1, $2, $3, $4)`,
			a.Tenant, id, in.LeaderID, RoleLeader); err != nil {
			return 0, "", fmt.Errorf("cannot record CAF leader: %w", err)
		}
	}
	return id, code, nil
}

// CreateCycle starts a cycle in planning, with its ten steps.
func (s *Service) CreateCycle(ctx context.Context, a auth.Actor, in CycleInput) (Cycle, error) {
	if err := a.Require(auth.PermCAFManage); err != nil {
		return Cycle{}, err
	}
	if err := in.Validate(); err != nil {
		return Cycle{}, err
	}
	now := s.Clock.Now()
	var out Cycle
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		if err := checkRefs(ctx, tx, a.Tenant, in.UnitID, in.LeaderID); err != nil {
			return err
		}
		id, _, err := insertCycle(ctx, tx, a, in, 0, now)
		if err != nil {
			return err
		}
		if out, err = getCycle(ctx, tx, a.Tenant, id); err != nil {
			return err
		}
		return audit.Record(ctx, tx, now, audit.Event{Tenant: a.Tenant, Actor: a.Audit(), Action: audit.ActionCreate, Entity: EntityCycle, EntityID: id,
			Summary: out.Code + " " + out.Title, After: out})
	})
	return out, err
}

// UpdateCycle changes a cycle's scope, panel (only before assessing), leader,
// dates and plans.
func (s *Service) UpdateCycle(ctx context.Context, a auth.Actor, id int64, in CycleInput) (Cycle, error) {
	if err := in.Validate(); err != nil {
		return Cycle{}, err
	}
	now := s.Clock.Now()
	var out Cycle
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		before, err := manageable(ctx, tx, a, id)
		if err != nil {
			return err
		}
		if !before.Open() {
			return apperr.Conflict("caf.error.not_open")
		}
		if before.Version != in.Version {
			return apperr.Stale()
		}
		if before.State != StatePlanning {
			v := apperr.Validation{}
			if in.Panel != before.Panel {
				v.Add("caf_panel", "caf.error.panel_locked")
			}
			if in.Model != before.Model {
				v.Add("caf_model", "caf.error.panel_locked")
			}
			if err := v.Err(); err != nil {
				return err
			}
		}
		if err := checkRefs(ctx, tx, a.Tenant, in.UnitID, in.LeaderID); err != nil {
			return err
		}
		if in.Title == "" {
			in.Title = before.Title
		}
		res, err := tx.ExecContext(ctx, `UPDATE caf_cycles SET title = $1, model = $2, unit_id = $3, panel = $4, leader_id = $5, start_on = $6, end_on = $7,
				communication_plan = $8, pef_notes = $9, search_text = $10, updated_at = $11, version = version + 1
			WHERE tenant_id = $12 AND id = $13 AND version = $14`,
			in.Title, in.Model, nullID(in.UnitID), in.Panel, nullID(in.LeaderID), in.StartOn, in.EndOn, in.CommPlan, in.PEFNotes,
			cycleSearch(before.Code, in.Title), now, a.Tenant, id, in.Version)
		if err != nil {
			return fmt.Errorf("cannot update CAF cycle: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return apperr.Stale()
		}
		if in.LeaderID != before.LeaderID {
			if err := s.changeLeader(ctx, tx, a, before, in.LeaderID, now); err != nil {
				return err
			}
		}
		if out, err = getCycle(ctx, tx, a.Tenant, id); err != nil {
			return err
		}
		return audit.Record(ctx, tx, now, audit.Event{Tenant: a.Tenant, Actor: a.Audit(), Action: audit.ActionUpdate, Entity: EntityCycle, EntityID: id,
			Summary: out.Code + " " + out.Title, Before: before, After: out})
	})
	return out, err
}

// changeLeader makes the new leader a member with the leader's role (a
// member already keeps their assessment) and the old one a plain member.
func (s *Service) changeLeader(ctx context.Context, tx *sql.Tx, a auth.Actor, c Cycle, leader int64, now time.Time) error {
	if _, err := tx.ExecContext(ctx, `UPDATE caf_members SET role = $1 WHERE tenant_id = $2 AND cycle_id = $3 AND role = $4`,
		RoleMember, a.Tenant, c.ID, RoleLeader); err != nil {
		return fmt.Errorf("cannot change CAF leader: %w", err)
	}
	if leader == 0 {
		return nil
	}
	res, err := tx.ExecContext(ctx, `UPDATE caf_members SET role = $1 WHERE tenant_id = $2 AND cycle_id = $3 AND person_id = $4`, RoleLeader, a.Tenant, c.ID, leader)
	if err != nil {
		return fmt.Errorf("cannot change CAF leader: %w", err)
	}
	if n, _ := res.RowsAffected(); n > 0 {
		return nil
	}
	if c.State != StatePlanning && c.State != StateAssessing {
		// The group is closed; the leader runs the cycle without scoring.
		return nil
	}
	return s.insertMember(ctx, tx, a, c, leader, RoleLeader, now)
}

func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

func parseDay(s string) (time.Time, bool) {
	if s == "" {
		return time.Time{}, false
	}
	d, err := time.Parse(time.DateOnly, s)
	return d, err == nil
}

func clip(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n-1]) + "…"
}

func cycleRef(id int64) work.Ref  { return work.Ref{Module: Module, Entity: EntityCycle, ID: id} }
func actionRef(id int64) work.Ref { return work.Ref{Module: Module, Entity: EntityAction, ID: id} }
