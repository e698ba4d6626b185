package control

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"cadran/internal/apperr"
	"cadran/internal/audit"
	"cadran/internal/auth"
	"cadran/internal/db"
	"cadran/internal/workflow"
)

// Programme is the development programme of the control system for a
// year, approved by an act of the head of the institution and updated
// yearly from the previous one.
type Programme struct {
	ID, Tenant int64
	Year       int
	Title      string
	State      string // ProgrammeDraft, ProgrammeApproved, ProgrammeClosed
	Decision   string // the approving act: "Dispoziția nr. 112/15.01.2026"
	ApprovedOn string // YYYY-MM-DD
	Notes      string
	PreviousID int64 // the programme it was carried over from, 0: none
	CreatedAt  time.Time
	UpdatedAt  time.Time
	Version    int
	// Filled in by reads: its actions by state, and the open ones past
	// their due date.
	Actions, Open, Done, Cancelled, Overdue int
}

// Counted is the number of actions that count towards progress (those
// not cancelled).
func (p Programme) Counted() int { return p.Actions - p.Cancelled }

// Percent is the share of the programme's actions done, out of those not
// cancelled (0 when it has none).
func (p Programme) Percent() int {
	n := p.Actions - p.Cancelled
	if n <= 0 {
		return 0
	}
	return p.Done * 100 / n
}

// Href is the programme's page.
func (p Programme) Href() string { return programmeHref(p.ID) }

// ProgrammeInput creates or changes a programme. An empty Title on
// creation is the default "Programul de dezvoltare a sistemului de control
// intern managerial pentru anul <year>". Year cannot change once created.
type ProgrammeInput struct {
	Year    int
	Title   string
	Notes   string
	Version int
}

// Programme workflow actions.
const (
	ProgrammeApprove = "approve" // draft → approved: Decision and ApprovedOn required
	ProgrammeReturn  = "return"  // approved → draft
	ProgrammeClose   = "close"   // approved → closed
)

// ProgrammeMove moves a programme through its workflow.
type ProgrammeMove struct {
	Action     string // ProgrammeApprove, ProgrammeReturn, ProgrammeClose
	Decision   string
	ApprovedOn string
	Version    int
}

// ProgrammeFilter narrows the programme list.
type ProgrammeFilter struct {
	State   string
	Sort    string // year (default, latest first when Desc), state, title
	Desc    bool
	Page    int
	PerPage int
}

// ProgrammeSorts lists the programme list's sort keys.
var ProgrammeSorts = []string{"year", "title", "state"}

// ProgrammePage is one page of programmes.
type ProgrammePage struct {
	Items []Programme
	Total int
}

// Objective is one objective of a programme.
type Objective struct {
	ID, Tenant, ProgrammeID int64
	Code                    string // O1
	Title                   string
	Description             string
	CreatedAt               time.Time
	UpdatedAt               time.Time
	Version                 int
	// Filled in by reads: the actions under it.
	Actions int
}

// ObjectiveInput adds or changes an objective. An empty Code on creation
// is the next free "O<n>".
type ObjectiveInput struct {
	Code, Title, Description string
	Version                  int
}

// Field names of the programme, transition and objective forms.
const (
	FieldProgYear       = "prog_year"
	FieldProgTitle      = "prog_title"
	FieldProgNotes      = "prog_notes"
	FieldProgDecision   = "prog_decision"
	FieldProgApprovedOn = "prog_approved_on"
	FieldObjCode        = "obj_code"
	FieldObjTitle       = "obj_title"
	FieldObjDescription = "obj_description"
)

// ProgrammeTitle is the default title of a year's programme.
func ProgrammeTitle(year int) string {
	return fmt.Sprintf("Programul de dezvoltare a sistemului de control intern managerial pentru anul %d", year)
}

// progGate is a programme as the workflow's guards see it.
type progGate struct{ p Programme }

// ProgrammeFlow is the programme's state machine: draft → approved →
// closed, with approved back to draft.
var ProgrammeFlow = workflow.New("control_programme", ProgrammeDraft,
	[]workflow.State{ProgrammeDraft, ProgrammeApproved, ProgrammeClosed},
	workflow.Transition[progGate]{Name: ProgrammeApprove, From: []workflow.State{ProgrammeDraft}, To: ProgrammeApproved, Perm: auth.PermControlManage},
	workflow.Transition[progGate]{Name: ProgrammeReturn, From: []workflow.State{ProgrammeApproved}, To: ProgrammeDraft, Perm: auth.PermControlManage},
	workflow.Transition[progGate]{Name: ProgrammeClose, From: []workflow.State{ProgrammeApproved}, To: ProgrammeClosed, Perm: auth.PermControlManage},
)

// Validate checks a programme's input and normalises it.
func (in *ProgrammeInput) Validate(create bool) error {
	v := apperr.Validation{}
	if create && (in.Year < 2000 || in.Year > 2100) {
		v.Add(FieldProgYear, "controlprog.error.year")
	}
	in.Title = strings.TrimSpace(in.Title)
	if create && in.Title == "" && in.Year >= 2000 && in.Year <= 2100 {
		in.Title = ProgrammeTitle(in.Year)
	}
	progCheckLine(v, FieldProgTitle, &in.Title, progMaxTitle, true)
	progCheckText(v, FieldProgNotes, &in.Notes, progMaxText, false)
	return v.Err()
}

// Validate checks an objective's input and normalises it.
func (in *ObjectiveInput) Validate() error {
	v := apperr.Validation{}
	in.Code = strings.ToUpper(strings.TrimSpace(in.Code))
	if in.Code != "" {
		ok := len(in.Code) <= progMaxCode
		for _, r := range in.Code {
			if !(r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '.' || r == '-') {
				ok = false
			}
		}
		if !ok {
			v.Add(FieldObjCode, "controlprog.error.code")
		}
	}
	progCheckLine(v, FieldObjTitle, &in.Title, progMaxTitle, true)
	progCheckText(v, FieldObjDescription, &in.Description, progMaxText, false)
	return v.Err()
}

const progColumns = `p.id, p.tenant_id, p.year, p.title, p.state, p.decision, p.approved_on, p.notes, p.previous_id, p.created_at, p.updated_at, p.version`

func progScan(row interface{ Scan(...any) error }) (Programme, error) {
	var p Programme
	var prev sql.NullInt64
	err := row.Scan(&p.ID, &p.Tenant, &p.Year, &p.Title, &p.State, &p.Decision, &p.ApprovedOn, &p.Notes, &prev, &p.CreatedAt, &p.UpdatedAt, &p.Version)
	p.PreviousID = prev.Int64
	return p, err
}

// progGet reads one programme of the institution, without its progress.
func progGet(ctx context.Context, q progQuerier, tenant, id int64) (Programme, error) {
	p, err := progScan(q.QueryRowContext(ctx, `SELECT `+progColumns+` FROM control_programmes p WHERE p.tenant_id = $1 AND p.id = $2`, tenant, id))
	if errors.Is(err, sql.ErrNoRows) {
		return Programme{}, apperr.NotFound(EntityProgramme)
	}
	if err != nil {
		return Programme{}, fmt.Errorf("cannot read programme: %w", err)
	}
	return p, nil
}

// progFill counts the programmes' actions by state.
func progFill(ctx context.Context, q progQuerier, tenant int64, today string, ps []Programme) error {
	if len(ps) == 0 {
		return nil
	}
	idx := map[int64]int{}
	ids := make([]int64, len(ps))
	for i, p := range ps {
		idx[p.ID], ids[i] = i, p.ID
	}
	rows, err := q.QueryContext(ctx, `SELECT programme_id, state, COUNT(*),
			SUM(CASE WHEN state = 'open' AND due_on <> '' AND due_on < $2 THEN 1 ELSE 0 END)
		FROM control_actions WHERE tenant_id = $1 AND programme_id IN (`+progIDList(ids)+`) GROUP BY programme_id, state`, tenant, today)
	if err != nil {
		return fmt.Errorf("cannot count programme actions: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var state string
		var n, late int
		if err := rows.Scan(&id, &state, &n, &late); err != nil {
			return fmt.Errorf("cannot count programme actions: %w", err)
		}
		p := &ps[idx[id]]
		p.Actions += n
		switch state {
		case ActionOpen:
			p.Open = n
			if p.State != ProgrammeClosed {
				p.Overdue = late
			}
		case ActionDone:
			p.Done = n
		case ActionCancelled:
			p.Cancelled = n
		}
	}
	return rows.Err()
}

var progSorts = map[string]string{"year": "p.year", "title": "p.title", "state": "p.state"}

// Programmes lists the institution's programmes with their progress.
func (s *Service) Programmes(ctx context.Context, a auth.Actor, f ProgrammeFilter) (ProgrammePage, error) {
	if err := a.Require(auth.PermControlView); err != nil {
		return ProgrammePage{}, err
	}
	where := ` WHERE p.tenant_id = $1`
	args := []any{a.Tenant}
	if f.State != "" {
		args = append(args, f.State)
		where += fmt.Sprintf(` AND p.state = $%d`, len(args))
	}
	var out ProgrammePage
	if err := s.DB.R.QueryRowContext(ctx, `SELECT COUNT(*) FROM control_programmes p`+where, args...).Scan(&out.Total); err != nil {
		return out, fmt.Errorf("cannot count programmes: %w", err)
	}
	sort := f.Sort
	if sort == "" {
		sort, f.Desc = "year", true
	}
	if f.Desc {
		sort = "-" + sort
	}
	per := f.PerPage
	if per <= 0 {
		per = db.DefaultPageSize
	}
	order, args := db.OrderPage(progSorts, sort, "year", "p.id", per, max(0, f.Page-1)*per, args)
	rows, err := s.DB.R.QueryContext(ctx, `SELECT `+progColumns+` FROM control_programmes p`+where+order, args...)
	if err != nil {
		return out, fmt.Errorf("cannot list programmes: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		p, err := progScan(rows)
		if err != nil {
			return out, fmt.Errorf("cannot read programme: %w", err)
		}
		out.Items = append(out.Items, p)
	}
	if err := rows.Err(); err != nil {
		return out, fmt.Errorf("cannot list programmes: %w", err)
	}
	rows.Close()
	return out, progFill(ctx, s.DB.R, a.Tenant, progToday(s.Clock.Now()), out.Items)
}

// Programme reads one programme with its progress.
func (s *Service) Programme(ctx context.Context, a auth.Actor, id int64) (Programme, error) {
	if err := a.Require(auth.PermControlView); err != nil {
		return Programme{}, err
	}
	p, err := progGet(ctx, s.DB.R, a.Tenant, id)
	if err != nil {
		return Programme{}, err
	}
	ps := []Programme{p}
	if err := progFill(ctx, s.DB.R, a.Tenant, progToday(s.Clock.Now()), ps); err != nil {
		return Programme{}, err
	}
	return ps[0], nil
}

// ProgrammeOfYear reads the programme of a year (NotFound when none).
func (s *Service) ProgrammeOfYear(ctx context.Context, a auth.Actor, year int) (Programme, error) {
	if err := a.Require(auth.PermControlView); err != nil {
		return Programme{}, err
	}
	var id int64
	err := s.DB.R.QueryRowContext(ctx, `SELECT id FROM control_programmes WHERE tenant_id = $1 AND year = $2`, a.Tenant, year).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return Programme{}, apperr.NotFound(EntityProgramme)
	}
	if err != nil {
		return Programme{}, fmt.Errorf("cannot read programme: %w", err)
	}
	return s.Programme(ctx, a, id)
}

// progInsert stores a new draft programme and audits it.
func progInsert(ctx context.Context, tx *sql.Tx, a auth.Actor, in ProgrammeInput, previous int64, now time.Time) (Programme, error) {
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM control_programmes WHERE tenant_id = $1 AND year = $2`, a.Tenant, in.Year).Scan(&n); err != nil {
		return Programme{}, fmt.Errorf("cannot check programme year: %w", err)
	}
	if n > 0 {
		return Programme{}, apperr.Validation{FieldProgYear: "controlprog.error.year_taken"}
	}
	var id int64
	err := tx.QueryRowContext(ctx, `INSERT INTO control_programmes (tenant_id, year, title, state, notes, previous_id, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING id`, a.Tenant, in.Year, in.Title, ProgrammeDraft, in.Notes, progNull(previous), now).Scan(&id)
	if db.IsUniqueViolation(err) {
		return Programme{}, apperr.Validation{FieldProgYear: "controlprog.error.year_taken"}
	}
	if err != nil {
		return Programme{}, fmt.Errorf("cannot create programme: %w", err)
	}
	p, err := progGet(ctx, tx, a.Tenant, id)
	if err != nil {
		return Programme{}, err
	}
	return p, audit.Record(ctx, tx, now, audit.Event{Tenant: a.Tenant, Actor: a.Audit(), Action: audit.ActionCreate, Entity: EntityProgramme, EntityID: id,
		Summary: p.Title, After: p})
}

// CreateProgramme creates a year's programme, a draft.
func (s *Service) CreateProgramme(ctx context.Context, a auth.Actor, in ProgrammeInput) (Programme, error) {
	if err := a.Require(auth.PermControlManage); err != nil {
		return Programme{}, err
	}
	if err := in.Validate(true); err != nil {
		return Programme{}, err
	}
	now := s.Clock.Now()
	var out Programme
	err := s.DB.Tx(ctx, func(tx *sql.Tx) (err error) {
		out, err = progInsert(ctx, tx, a, in, 0, now)
		return err
	})
	return out, err
}

// UpdateProgramme changes a programme's title and notes.
func (s *Service) UpdateProgramme(ctx context.Context, a auth.Actor, id int64, in ProgrammeInput) (Programme, error) {
	if err := a.Require(auth.PermControlManage); err != nil {
		return Programme{}, err
	}
	if err := in.Validate(false); err != nil {
		return Programme{}, err
	}
	now := s.Clock.Now()
	var out Programme
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		before, err := progGet(ctx, tx, a.Tenant, id)
		if err != nil {
			return err
		}
		if before.Version != in.Version {
			return apperr.Stale()
		}
		if _, err := tx.ExecContext(ctx, `UPDATE control_programmes SET title = $3, notes = $4, updated_at = $5, version = version + 1
			WHERE tenant_id = $1 AND id = $2`, a.Tenant, id, in.Title, in.Notes, now); err != nil {
			return fmt.Errorf("cannot update programme: %w", err)
		}
		if out, err = progGet(ctx, tx, a.Tenant, id); err != nil {
			return err
		}
		return audit.Record(ctx, tx, now, audit.Event{Tenant: a.Tenant, Actor: a.Audit(), Action: audit.ActionUpdate, Entity: EntityProgramme, EntityID: id,
			Summary: out.Title, Before: before, After: out})
	})
	return out, err
}

// progStep is a programme's transition in the audit trail.
type progStep struct {
	Step      workflow.Step `json:"step"`
	Programme Programme     `json:"programme"`
}

// progMove fires action on p inside tx: it writes the new state (and the
// approval for approve), closes the open actions' tasks when the programme
// closes, and audits the step.
func (s *Service) progMove(ctx context.Context, tx *sql.Tx, a auth.Actor, before Programme, m ProgrammeMove, now time.Time) (Programme, error) {
	step, err := ProgrammeFlow.Fire(workflow.State(before.State), m.Action, a, progGate{before}, "", now)
	if err != nil {
		return Programme{}, err
	}
	decision, approvedOn := before.Decision, before.ApprovedOn
	if m.Action == ProgrammeApprove {
		v := apperr.Validation{}
		progCheckLine(v, FieldProgDecision, &m.Decision, progMaxShort, true)
		progCheckDay(v, FieldProgApprovedOn, &m.ApprovedOn, true)
		if err := v.Err(); err != nil {
			return Programme{}, err
		}
		decision, approvedOn = m.Decision, m.ApprovedOn
	}
	res, err := tx.ExecContext(ctx, `UPDATE control_programmes SET state = $3, decision = $4, approved_on = $5, updated_at = $6, version = version + 1
		WHERE tenant_id = $1 AND id = $2 AND version = $7`, a.Tenant, before.ID, string(step.To), decision, approvedOn, now, before.Version)
	if err != nil {
		return Programme{}, fmt.Errorf("cannot move programme: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return Programme{}, apperr.Stale()
	}
	if step.To == ProgrammeClosed {
		if err := s.progCloseTasks(ctx, tx, a, before.ID); err != nil {
			return Programme{}, err
		}
	}
	after, err := progGet(ctx, tx, a.Tenant, before.ID)
	if err != nil {
		return Programme{}, err
	}
	return after, audit.Record(ctx, tx, now, audit.Event{Tenant: a.Tenant, Actor: a.Audit(), Action: audit.ActionTransition, Entity: EntityProgramme, EntityID: before.ID,
		Summary: after.Title + ": " + m.Action, Before: before, After: progStep{Step: step, Programme: after}})
}

// progCloseTasks cancels the tasks of a closing programme's open actions.
func (s *Service) progCloseTasks(ctx context.Context, tx *sql.Tx, a auth.Actor, programmeID int64) error {
	ids, err := progIDs(ctx, tx, `SELECT id FROM control_actions WHERE tenant_id = $1 AND programme_id = $2 AND state = 'open' ORDER BY id`, a.Tenant, programmeID)
	if err != nil {
		return err
	}
	for _, id := range ids {
		if _, err := s.Work.Close(ctx, tx, a, workSel(actionRef(id)), workCancelled); err != nil {
			return err
		}
	}
	return nil
}

// progIDs reads a list of ids.
func progIDs(ctx context.Context, q progQuerier, query string, args ...any) ([]int64, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("cannot read ids: %w", err)
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("cannot read ids: %w", err)
		}
		out = append(out, id)
	}
	return out, rows.Err()
}

// MoveProgramme moves a programme through draft → approved → closed.
func (s *Service) MoveProgramme(ctx context.Context, a auth.Actor, id int64, m ProgrammeMove) (Programme, error) {
	if err := a.Require(auth.PermControlManage); err != nil {
		return Programme{}, err
	}
	now := s.Clock.Now()
	var out Programme
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		before, err := progGet(ctx, tx, a.Tenant, id)
		if err != nil {
			return err
		}
		if before.Version != m.Version {
			return apperr.Stale()
		}
		out, err = s.progMove(ctx, tx, a, before, m, now)
		return err
	})
	return out, err
}

// ProgrammeActions lists the workflow actions a may take on p (the
// buttons a page shows).
func ProgrammeActions(a auth.Actor, p Programme) []string {
	return ProgrammeFlow.Actions(workflow.State(p.State), a, progGate{p})
}

// NextProgramme is the yearly update: it creates next year's draft from
// programme from, with the same objectives and its open actions carried
// over (each a new task), and closes from. Refused when next year's
// programme exists or from is still a draft.
func (s *Service) NextProgramme(ctx context.Context, a auth.Actor, from int64) (Programme, error) {
	if err := a.Require(auth.PermControlManage); err != nil {
		return Programme{}, err
	}
	now := s.Clock.Now()
	var out Programme
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		old, err := progGet(ctx, tx, a.Tenant, from)
		if err != nil {
			return err
		}
		if old.State == ProgrammeDraft {
			return apperr.Conflict("controlprog.error.next_draft")
		}
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM control_programmes WHERE tenant_id = $1 AND year = $2`, a.Tenant, old.Year+1).Scan(&n); err != nil {
			return fmt.Errorf("cannot check programme year: %w", err)
		}
		if n > 0 {
			return apperr.Conflict("controlprog.error.next_exists")
		}
		in := ProgrammeInput{Year: old.Year + 1, Notes: old.Notes}
		if err := in.Validate(true); err != nil {
			return err
		}
		if out, err = progInsert(ctx, tx, a, in, old.ID, now); err != nil {
			return err
		}
		// The objectives, under the same codes.
		objs, err := progObjectives(ctx, tx, a.Tenant, old.ID)
		if err != nil {
			return err
		}
		newObj := map[int64]int64{}
		for _, o := range objs {
			no, err := s.objInsert(ctx, tx, a, out.ID, ObjectiveInput{Code: o.Code, Title: o.Title, Description: o.Description}, now)
			if err != nil {
				return err
			}
			newObj[o.ID] = no.ID
		}
		// The open actions, carried over; the old ones keep their state
		// in the closed programme, without a task.
		open, err := actWhere(ctx, tx, a.Tenant, ` AND x.programme_id = $2 AND x.state = 'open' ORDER BY x.standard, x.id`, old.ID)
		if err != nil {
			return err
		}
		for _, x := range open {
			in := ActionInput{ProgrammeID: out.ID, ObjectiveID: newObj[x.ObjectiveID], Standard: x.Standard, Title: x.Title, Description: x.Description,
				OwnerID: x.OwnerID, UnitID: x.UnitID, DueOn: carryDue(x.DueOn, out.Year)}
			if _, err := s.actInsert(ctx, tx, a, out, in, x.ID, now); err != nil {
				return err
			}
		}
		if old.State == ProgrammeApproved {
			if _, err := s.progMove(ctx, tx, a, old, ProgrammeMove{Action: ProgrammeClose}, now); err != nil {
				return err
			}
		} else if err := s.progCloseTasks(ctx, tx, a, old.ID); err != nil {
			return err
		}
		ps := []Programme{out}
		if err := progFill(ctx, tx, a.Tenant, progToday(now), ps); err != nil {
			return err
		}
		out = ps[0]
		return nil
	})
	return out, err
}

const objColumns = `o.id, o.tenant_id, o.programme_id, o.code, o.title, o.description, o.created_at, o.updated_at, o.version,
	(SELECT COUNT(*) FROM control_actions x WHERE x.tenant_id = o.tenant_id AND x.objective_id = o.id)`

func objScan(row interface{ Scan(...any) error }) (Objective, error) {
	var o Objective
	err := row.Scan(&o.ID, &o.Tenant, &o.ProgrammeID, &o.Code, &o.Title, &o.Description, &o.CreatedAt, &o.UpdatedAt, &o.Version, &o.Actions)
	return o, err
}

func objGet(ctx context.Context, q progQuerier, tenant, programmeID, id int64) (Objective, error) {
	o, err := objScan(q.QueryRowContext(ctx, `SELECT `+objColumns+` FROM control_objectives o WHERE o.tenant_id = $1 AND o.programme_id = $2 AND o.id = $3`, tenant, programmeID, id))
	if errors.Is(err, sql.ErrNoRows) {
		return Objective{}, apperr.NotFound(EntityObjective)
	}
	if err != nil {
		return Objective{}, fmt.Errorf("cannot read objective: %w", err)
	}
	return o, nil
}

func progObjectives(ctx context.Context, q progQuerier, tenant, programmeID int64) ([]Objective, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+objColumns+` FROM control_objectives o WHERE o.tenant_id = $1 AND o.programme_id = $2
		ORDER BY LENGTH(o.code), o.code, o.id`, tenant, programmeID)
	if err != nil {
		return nil, fmt.Errorf("cannot list objectives: %w", err)
	}
	defer rows.Close()
	var out []Objective
	for rows.Next() {
		o, err := objScan(rows)
		if err != nil {
			return nil, fmt.Errorf("cannot read objective: %w", err)
		}
		out = append(out, o)
	}
	return out, rows.Err()
}

// Objectives lists a programme's objectives by code.
func (s *Service) Objectives(ctx context.Context, a auth.Actor, programmeID int64) ([]Objective, error) {
	if err := a.Require(auth.PermControlView); err != nil {
		return nil, err
	}
	if _, err := progGet(ctx, s.DB.R, a.Tenant, programmeID); err != nil {
		return nil, err
	}
	return progObjectives(ctx, s.DB.R, a.Tenant, programmeID)
}

// objCodeFree refuses a code another objective of the programme has.
func objCodeFree(ctx context.Context, q progQuerier, tenant, programmeID, self int64, code string) error {
	var n int
	if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM control_objectives WHERE tenant_id = $1 AND programme_id = $2 AND code = $3 AND id <> $4`,
		tenant, programmeID, code, self).Scan(&n); err != nil {
		return fmt.Errorf("cannot check objective code: %w", err)
	}
	if n > 0 {
		return apperr.Validation{FieldObjCode: "controlprog.error.code_taken"}
	}
	return nil
}

// objInsert stores an objective (the next free O<n> when it has no code)
// and audits it.
func (s *Service) objInsert(ctx context.Context, tx *sql.Tx, a auth.Actor, programmeID int64, in ObjectiveInput, now time.Time) (Objective, error) {
	if in.Code == "" {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM control_objectives WHERE tenant_id = $1 AND programme_id = $2`, a.Tenant, programmeID).Scan(&n); err != nil {
			return Objective{}, fmt.Errorf("cannot count objectives: %w", err)
		}
		for i := n + 1; ; i++ {
			in.Code = fmt.Sprintf("O%d", i)
			if objCodeFree(ctx, tx, a.Tenant, programmeID, 0, in.Code) == nil {
				break
			}
		}
	} else if err := objCodeFree(ctx, tx, a.Tenant, programmeID, 0, in.Code); err != nil {
		return Objective{}, err
	}
	var id int64
	err := tx.QueryRowContext(ctx, `INSERT INTO control_objectives (tenant_id, programme_id, code, title, description, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING id`, a.Tenant, programmeID, in.Code, in.Title, in.Description, now).Scan(&id)
	if db.IsUniqueViolation(err) {
		return Objective{}, apperr.Validation{FieldObjCode: "controlprog.error.code_taken"}
	}
	if err != nil {
		return Objective{}, fmt.Errorf("cannot create objective: %w", err)
	}
	o, err := objGet(ctx, tx, a.Tenant, programmeID, id)
	if err != nil {
		return Objective{}, err
	}
	return o, audit.Record(ctx, tx, now, audit.Event{Tenant: a.Tenant, Actor: a.Audit(), Action: audit.ActionCreate, Entity: EntityObjective, EntityID: id,
		Summary: o.Code + " " + o.Title, After: o})
}

// progOpen reads a programme that may still change (not closed).
func progOpen(ctx context.Context, q progQuerier, tenant, id int64) (Programme, error) {
	p, err := progGet(ctx, q, tenant, id)
	if err != nil {
		return Programme{}, err
	}
	if p.State == ProgrammeClosed {
		return Programme{}, apperr.Conflict("controlprog.error.programme_closed")
	}
	return p, nil
}

// AddObjective adds an objective to a programme that is not closed.
func (s *Service) AddObjective(ctx context.Context, a auth.Actor, programmeID int64, in ObjectiveInput) (Objective, error) {
	if err := a.Require(auth.PermControlManage); err != nil {
		return Objective{}, err
	}
	if err := in.Validate(); err != nil {
		return Objective{}, err
	}
	now := s.Clock.Now()
	var out Objective
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		if _, err := progOpen(ctx, tx, a.Tenant, programmeID); err != nil {
			return err
		}
		var err error
		out, err = s.objInsert(ctx, tx, a, programmeID, in, now)
		return err
	})
	return out, err
}

// UpdateObjective changes an objective of a programme.
func (s *Service) UpdateObjective(ctx context.Context, a auth.Actor, programmeID, id int64, in ObjectiveInput) (Objective, error) {
	if err := a.Require(auth.PermControlManage); err != nil {
		return Objective{}, err
	}
	if err := in.Validate(); err != nil {
		return Objective{}, err
	}
	now := s.Clock.Now()
	var out Objective
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		if _, err := progOpen(ctx, tx, a.Tenant, programmeID); err != nil {
			return err
		}
		before, err := objGet(ctx, tx, a.Tenant, programmeID, id)
		if err != nil {
			return err
		}
		if before.Version != in.Version {
			return apperr.Stale()
		}
		if in.Code == "" {
			in.Code = before.Code
		}
		if err := objCodeFree(ctx, tx, a.Tenant, programmeID, id, in.Code); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `UPDATE control_objectives SET code = $3, title = $4, description = $5, updated_at = $6, version = version + 1
			WHERE tenant_id = $1 AND id = $2`, a.Tenant, id, in.Code, in.Title, in.Description, now)
		if db.IsUniqueViolation(err) {
			return apperr.Validation{FieldObjCode: "controlprog.error.code_taken"}
		}
		if err != nil {
			return fmt.Errorf("cannot update objective: %w", err)
		}
		if out, err = objGet(ctx, tx, a.Tenant, programmeID, id); err != nil {
			return err
		}
		return audit.Record(ctx, tx, now, audit.Event{Tenant: a.Tenant, Actor: a.Audit(), Action: audit.ActionUpdate, Entity: EntityObjective, EntityID: id,
			Summary: out.Code + " " + out.Title, Before: before, After: out})
	})
	return out, err
}

// carryDue is a carried-over action's deadline in the programme of year:
// the same day of the year, moved into it, so the action does not start
// the new programme already overdue. A deadline within the year is kept.
func carryDue(due string, year int) string {
	d, err := time.Parse(time.DateOnly, due)
	if err != nil || d.Year() >= year {
		return due
	}
	return d.AddDate(year-d.Year(), 0, 0).Format(time.DateOnly)
}
