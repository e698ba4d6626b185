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
	"cadran/internal/textutil"
	"cadran/internal/work"
	"cadran/internal/workflow"
)

// Audit is one internal audit: its plan, its state and its report texts.
type Audit struct {
	ID           int64    `json:"id"`
	Tenant       int64    `json:"tenant_id"`
	Code         string   `json:"code"`
	Year         int      `json:"year"`
	Seq          int      `json:"-"`
	ProgrammeID  int64    `json:"programme_id,omitempty"`
	ItemID       int64    `json:"item_id,omitempty"`
	Title        string   `json:"title"`
	UnitID       int64    `json:"unit_id,omitempty"`
	Process      string   `json:"process,omitempty"`
	Scope        string   `json:"scope,omitempty"`
	Criteria     string   `json:"criteria,omitempty"`
	Clauses      []string `json:"clauses"`
	LeadID       int64    `json:"lead_id,omitempty"`
	Auditees     string   `json:"auditees,omitempty"`
	StartOn      string   `json:"start_on"`
	EndOn        string   `json:"end_on"`
	State        string   `json:"state"`
	CancelReason string   `json:"cancel_reason,omitempty"`
	Summary      string   `json:"summary,omitempty"`
	Conclusions  string   `json:"conclusions,omitempty"`
	Distribution string   `json:"distribution,omitempty"`
	ReportedOn   string   `json:"reported_on,omitempty"`
	PreviousID   int64    `json:"previous_id,omitempty"`
	// Team are the auditors beside the lead; Procedures the documents in
	// scope (filled in by Get).
	Team       []int64   `json:"team,omitempty"`
	Procedures []int64   `json:"procedures,omitempty"`
	CreatedAt  time.Time `json:"-"`
	UpdatedAt  time.Time `json:"-"`
	Version    int       `json:"version"`

	// Filled in by reads.
	UnitName string `json:"-"`
	LeadName string `json:"-"`
}

// Subject is what the audit covers: the unit, the process, or both.
func (a Audit) Subject() string {
	switch {
	case a.UnitName != "" && a.Process != "":
		return a.UnitName + " · " + a.Process
	case a.UnitName != "":
		return a.UnitName
	}
	return a.Process
}

// OnTeam reports whether person is the lead auditor or in the team.
func (a Audit) OnTeam(person int64) bool {
	return person != 0 && (a.LeadID == person || slices.Contains(a.Team, person))
}

// Auditors are the lead and the team, the lead first.
func (a Audit) Auditors() []int64 {
	out := []int64{}
	if a.LeadID != 0 {
		out = append(out, a.LeadID)
	}
	for _, p := range a.Team {
		if !slices.Contains(out, p) {
			out = append(out, p)
		}
	}
	return out
}

// Open reports whether the audit is neither closed nor cancelled.
func (a Audit) Open() bool { return a.State != StateClosed && a.State != StateCancelled }

// AgendaRow is one line of the audit plan's agenda.
type AgendaRow struct {
	Day      string `json:"day,omitempty"`
	Time     string `json:"time,omitempty"`
	Activity string `json:"activity"`
	People   string `json:"people,omitempty"`
}

// Procedure is a document in the audit's scope, with the edition in force
// when the audit was planned and the one in force now.
type Procedure struct {
	DocumentID int64
	Code       string
	Title      string
	Kind       string
	Edition    int
	Revision   int
	// Current edition and revision of the version in force now (0 when
	// none is in force any more).
	CurEdition, CurRevision int
	// Receipts and Acknowledged: people who received the version in force
	// and those who confirmed reading it.
	Receipts, Acknowledged int
}

// Changed reports whether the procedure has another edition or revision
// in force than when the audit was planned.
func (p Procedure) Changed() bool {
	return p.CurEdition != 0 && (p.CurEdition != p.Edition || p.CurRevision != p.Revision)
}

// PlanInput is the audit plan as the form gives it.
type PlanInput struct {
	ItemID     int64
	Title      string
	UnitID     int64
	Process    string
	Scope      string
	Criteria   string
	Clauses    []string
	Procedures []int64
	LeadID     int64
	Team       []int64
	Auditees   string
	StartOn    string
	EndOn      string
	Agenda     []AgendaRow
	// PreviousID starts the audit from a previous one of the same unit or
	// process (carry.go); only on creation.
	PreviousID int64
	Version    int
}

// Validate checks and normalises the input.
func (in *PlanInput) Validate() error {
	v := apperr.Validation{}
	in.Title, in.Process = textutil.Clean(in.Title), textutil.Clean(in.Process)
	for _, t := range []*string{&in.Scope, &in.Criteria, &in.Auditees} {
		*t = strings.TrimSpace(textutil.CleanText(*t))
	}
	in.StartOn, in.EndOn = strings.TrimSpace(in.StartOn), strings.TrimSpace(in.EndOn)
	switch {
	case in.Title == "":
		v.Add("audit_title", "error.required")
	case tooLong(in.Title, MaxTitle):
		v.Add("audit_title", "error.too_long")
	}
	if in.UnitID == 0 && in.Process == "" {
		v.Add("unit_id", "audits.error.subject_required")
	}
	if tooLong(in.Process, 200) {
		v.Add("process", "error.too_long")
	}
	for name, t := range map[string]string{"audit_scope": in.Scope, "audit_criteria": in.Criteria, "audit_auditees": in.Auditees} {
		if tooLong(t, MaxText) {
			v.Add(name, "error.too_long")
		}
	}
	if in.Scope == "" {
		v.Add("audit_scope", "error.required")
	}
	cs, unknown := NormClauses(in.Clauses)
	in.Clauses = cs
	if unknown {
		v.Add("audit_clauses", "error.choice")
	} else if len(cs) == 0 {
		v.Add("audit_clauses", "audits.error.clauses_required")
	}
	if in.LeadID == 0 {
		v.Add("lead_id", "error.required")
	}
	var team []int64
	for _, p := range in.Team {
		if p != 0 && p != in.LeadID && !slices.Contains(team, p) {
			team = append(team, p)
		}
	}
	in.Team = team
	var procs []int64
	for _, p := range in.Procedures {
		if p != 0 && !slices.Contains(procs, p) {
			procs = append(procs, p)
		}
	}
	in.Procedures = procs
	start, okStart := parseDay(in.StartOn)
	if !okStart {
		v.Add("audit_start", "error.date")
	}
	end, okEnd := parseDay(in.EndOn)
	if !okEnd {
		v.Add("audit_end", "error.date")
	} else if okStart && end.Before(start) {
		v.Add("audit_end", "audits.error.end_before_start")
	} else if okStart && end.After(start.AddDate(0, 0, 60)) {
		v.Add("audit_end", "audits.error.too_long_audit")
	}
	var rows []AgendaRow
	for _, r := range in.Agenda {
		r.Day, r.Time = strings.TrimSpace(r.Day), strings.TrimSpace(r.Time)
		r.Activity, r.People = textutil.Clean(r.Activity), textutil.Clean(r.People)
		if r.Activity == "" && r.People == "" && r.Day == "" && r.Time == "" {
			continue
		}
		switch {
		case r.Activity == "":
			v.Add("audit_agenda", "audits.error.agenda_activity")
		case tooLong(r.Activity, MaxShort) || tooLong(r.People, MaxShort) || tooLong(r.Time, 20):
			v.Add("audit_agenda", "error.too_long")
		}
		if r.Day != "" {
			if d, ok := parseDay(r.Day); !ok {
				v.Add("audit_agenda", "error.date")
			} else if okStart && okEnd && (d.Before(start) || d.After(end)) {
				v.Add("audit_agenda", "audits.error.agenda_outside")
			}
		}
		rows = append(rows, r)
	}
	if len(rows) > MaxAgenda {
		v.Add("audit_agenda", "error.too_long")
	}
	in.Agenda = rows
	return v.Err()
}

// IndependenceError refuses an auditor who would audit their own unit (or
// a unit above it). It is a validation error on its field, and names the
// auditors so the page can say who.
type IndependenceError struct {
	Field string
	Names []string
}

func (e *IndependenceError) Error() string {
	return "auditor may not audit their own unit: " + strings.Join(e.Names, ", ")
}

// As lets apperr.AsValidation find the field's error.
func (e *IndependenceError) As(target any) bool {
	if v, ok := target.(*apperr.Validation); ok {
		*v = apperr.Validation{e.Field: "audits.error.own_unit"}
		return true
	}
	return false
}

const auditColumns = `x.id, x.tenant_id, x.code, x.year, x.seq, COALESCE(x.programme_id, 0), COALESCE(x.item_id, 0), x.title, COALESCE(x.unit_id, 0), x.process,
	x.scope, x.criteria, x.clauses, COALESCE(x.lead_id, 0), x.auditees, x.start_on, x.end_on, x.state, x.cancel_reason, x.summary, x.conclusions,
	x.distribution, x.reported_on, COALESCE(x.previous_id, 0), x.created_at, x.updated_at, x.version, COALESCE(u.name, ''), COALESCE(p.full_name, '')`

const auditFrom = ` FROM internal_audits x
	LEFT JOIN units u ON u.id = x.unit_id
	LEFT JOIN people p ON p.id = x.lead_id`

func scanAudit(row interface{ Scan(...any) error }) (Audit, error) {
	var a Audit
	var clauses string
	err := row.Scan(&a.ID, &a.Tenant, &a.Code, &a.Year, &a.Seq, &a.ProgrammeID, &a.ItemID, &a.Title, &a.UnitID, &a.Process,
		&a.Scope, &a.Criteria, &clauses, &a.LeadID, &a.Auditees, &a.StartOn, &a.EndOn, &a.State, &a.CancelReason, &a.Summary, &a.Conclusions,
		&a.Distribution, &a.ReportedOn, &a.PreviousID, &a.CreatedAt, &a.UpdatedAt, &a.Version, &a.UnitName, &a.LeadName)
	a.Clauses = splitClauses(clauses)
	return a, err
}

func scanAudits(rows *sql.Rows) ([]Audit, error) {
	defer rows.Close()
	var out []Audit
	for rows.Next() {
		a, err := scanAudit(rows)
		if err != nil {
			return nil, fmt.Errorf("cannot read audit: %w", err)
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// getAudit reads an audit with its team and procedures.
func getAudit(ctx context.Context, q querier, tenant, id int64) (Audit, error) {
	a, err := scanAudit(q.QueryRowContext(ctx, `SELECT `+auditColumns+auditFrom+` WHERE x.tenant_id = $1 AND x.id = $2`, tenant, id))
	if errors.Is(err, sql.ErrNoRows) {
		return Audit{}, apperr.NotFound("internal_audit")
	}
	if err != nil {
		return Audit{}, fmt.Errorf("cannot read audit: %w", err)
	}
	if a.Team, err = ids(ctx, q, `SELECT t.person_id FROM audit_team t JOIN people p ON p.id = t.person_id WHERE t.tenant_id = $1 AND t.audit_id = $2 ORDER BY p.sort_name, p.id`, tenant, id); err != nil {
		return Audit{}, err
	}
	if a.Procedures, err = ids(ctx, q, `SELECT ap.document_id FROM audit_procedures ap JOIN documents d ON d.id = ap.document_id WHERE ap.tenant_id = $1 AND ap.audit_id = $2 ORDER BY d.sort_code, d.id`, tenant, id); err != nil {
		return Audit{}, err
	}
	return a, nil
}

func ids(ctx context.Context, q querier, query string, args ...any) ([]int64, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("cannot read audit: %w", err)
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("cannot read audit: %w", err)
		}
		out = append(out, id)
	}
	return out, rows.Err()
}

// Audit returns one audit of the actor's institution.
func (s *Service) Audit(ctx context.Context, a auth.Actor, id int64) (Audit, error) {
	if err := a.Require(auth.PermAuditsView); err != nil {
		return Audit{}, err
	}
	return getAudit(ctx, s.DB.R, a.Tenant, id)
}

// Agenda lists the audit plan's agenda.
func (s *Service) Agenda(ctx context.Context, a auth.Actor, id int64) ([]AgendaRow, error) {
	if err := a.Require(auth.PermAuditsView); err != nil {
		return nil, err
	}
	return agendaOf(ctx, s.DB.R, a.Tenant, id)
}

func agendaOf(ctx context.Context, q querier, tenant, id int64) ([]AgendaRow, error) {
	rows, err := q.QueryContext(ctx, `SELECT at_day, at_time, activity, people FROM audit_agenda WHERE tenant_id = $1 AND audit_id = $2 ORDER BY position`, tenant, id)
	if err != nil {
		return nil, fmt.Errorf("cannot read agenda: %w", err)
	}
	defer rows.Close()
	var out []AgendaRow
	for rows.Next() {
		var r AgendaRow
		if err := rows.Scan(&r.Day, &r.Time, &r.Activity, &r.People); err != nil {
			return nil, fmt.Errorf("cannot read agenda: %w", err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// Procedures lists the documents in the audit's scope, with the edition
// planned and the one in force now, and their read acknowledgements.
func (s *Service) Procedures(ctx context.Context, a auth.Actor, id int64) ([]Procedure, error) {
	if err := a.Require(auth.PermAuditsView); err != nil {
		return nil, err
	}
	return proceduresOf(ctx, s.DB.R, a.Tenant, id)
}

func proceduresOf(ctx context.Context, q querier, tenant, id int64) ([]Procedure, error) {
	rows, err := q.QueryContext(ctx, `SELECT d.id, d.code, d.title, d.kind, ap.edition, ap.revision, COALESCE(v.edition, 0), COALESCE(v.revision, 0),
			(SELECT COUNT(*) FROM document_receipts r WHERE r.tenant_id = d.tenant_id AND r.version_id = d.current_id),
			(SELECT COUNT(*) FROM document_receipts r WHERE r.tenant_id = d.tenant_id AND r.version_id = d.current_id AND r.acknowledged_at IS NOT NULL)
		FROM audit_procedures ap JOIN documents d ON d.id = ap.document_id AND d.tenant_id = ap.tenant_id
		LEFT JOIN document_versions v ON v.id = d.current_id AND v.state = $3
		WHERE ap.tenant_id = $1 AND ap.audit_id = $2 ORDER BY d.sort_code, d.id`, tenant, id, documents.StateInForce)
	if err != nil {
		return nil, fmt.Errorf("cannot read procedures in scope: %w", err)
	}
	defer rows.Close()
	var out []Procedure
	for rows.Next() {
		var p Procedure
		if err := rows.Scan(&p.DocumentID, &p.Code, &p.Title, &p.Kind, &p.Edition, &p.Revision, &p.CurEdition, &p.CurRevision, &p.Receipts, &p.Acknowledged); err != nil {
			return nil, fmt.Errorf("cannot read procedures in scope: %w", err)
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// ProcedureOption is a procedure in force the plan may put in scope.
type ProcedureOption struct {
	ID       int64
	Code     string
	Title    string
	UnitID   int64
	Edition  int
	Revision int
}

// ProcedureOptions lists the tenant's system and operational procedures
// in force.
func (s *Service) ProcedureOptions(ctx context.Context, a auth.Actor) ([]ProcedureOption, error) {
	if err := a.Require(auth.PermAuditsView); err != nil {
		return nil, err
	}
	rows, err := s.DB.R.QueryContext(ctx, `SELECT d.id, d.code, d.title, COALESCE(d.unit_id, 0), v.edition, v.revision
		FROM documents d JOIN document_versions v ON v.id = d.current_id AND v.state = $4
		WHERE d.tenant_id = $1 AND d.kind IN ($2, $3) ORDER BY d.sort_code, d.id`, a.Tenant, documents.KindSystem, documents.KindOperational, documents.StateInForce)
	if err != nil {
		return nil, fmt.Errorf("cannot list procedures: %w", err)
	}
	defer rows.Close()
	var out []ProcedureOption
	for rows.Next() {
		var p ProcedureOption
		if err := rows.Scan(&p.ID, &p.Code, &p.Title, &p.UnitID, &p.Edition, &p.Revision); err != nil {
			return nil, fmt.Errorf("cannot list procedures: %w", err)
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// checkPlan checks the plan's references in the tenant: the unit, the
// programme item, the auditors (active in the register) and their
// independence from the audited unit, and the procedures (in force); it
// returns the edition and revision in force of each procedure.
func checkPlan(ctx context.Context, q querier, tenant int64, in PlanInput) (map[int64][2]int, error) {
	if in.UnitID != 0 {
		var n int
		if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM units WHERE tenant_id = $1 AND id = $2`, tenant, in.UnitID).Scan(&n); err != nil {
			return nil, fmt.Errorf("cannot check unit: %w", err)
		} else if n == 0 {
			return nil, apperr.Validation{"unit_id": "error.choice"}
		}
	}
	if in.ItemID != 0 {
		var n int
		if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM audit_programme_items WHERE tenant_id = $1 AND id = $2`, tenant, in.ItemID).Scan(&n); err != nil {
			return nil, fmt.Errorf("cannot check programme item: %w", err)
		} else if n == 0 {
			return nil, apperr.Validation{"programme_item_id": "error.choice"}
		}
	}
	people := append([]int64{in.LeadID}, in.Team...)
	in2, args := idList(people, 2)
	rows, err := q.QueryContext(ctx, `SELECT p.id, p.full_name, COALESCE(p.unit_id, 0) FROM auditors r JOIN people p ON p.id = r.person_id
		WHERE r.tenant_id = $1 AND r.active = TRUE AND p.active = TRUE AND p.id IN (`+in2+`)`, append([]any{tenant}, args...)...)
	if err != nil {
		return nil, fmt.Errorf("cannot check auditors: %w", err)
	}
	type aud struct {
		name string
		unit int64
	}
	found := map[int64]aud{}
	for rows.Next() {
		var id, unit int64
		var name string
		if err := rows.Scan(&id, &name, &unit); err != nil {
			rows.Close()
			return nil, fmt.Errorf("cannot check auditors: %w", err)
		}
		found[id] = aud{name, unit}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if _, ok := found[in.LeadID]; !ok {
		return nil, apperr.Validation{"lead_id": "audits.error.not_auditor"}
	}
	for _, p := range in.Team {
		if _, ok := found[p]; !ok {
			return nil, apperr.Validation{"audit_team": "audits.error.not_auditor"}
		}
	}
	// Independence: nobody audits the unit they work in, or a unit above it.
	if in.UnitID != 0 {
		sub, err := subtree(ctx, q, tenant, in.UnitID)
		if err != nil {
			return nil, err
		}
		if a := found[in.LeadID]; slices.Contains(sub, a.unit) {
			return nil, &IndependenceError{Field: "lead_id", Names: []string{a.name}}
		}
		var names []string
		for _, p := range in.Team {
			if a := found[p]; slices.Contains(sub, a.unit) {
				names = append(names, a.name)
			}
		}
		if len(names) > 0 {
			return nil, &IndependenceError{Field: "audit_team", Names: names}
		}
	}
	editions := map[int64][2]int{}
	if len(in.Procedures) > 0 {
		in3, args := idList(in.Procedures, 5)
		rows, err := q.QueryContext(ctx, `SELECT d.id, v.edition, v.revision FROM documents d JOIN document_versions v ON v.id = d.current_id AND v.state = $2
			WHERE d.tenant_id = $1 AND d.kind IN ($3, $4) AND d.id IN (`+in3+`)`, append([]any{tenant, documents.StateInForce, documents.KindSystem, documents.KindOperational}, args...)...)
		if err != nil {
			return nil, fmt.Errorf("cannot check procedures: %w", err)
		}
		for rows.Next() {
			var id int64
			var e, r int
			if err := rows.Scan(&id, &e, &r); err != nil {
				rows.Close()
				return nil, fmt.Errorf("cannot check procedures: %w", err)
			}
			editions[id] = [2]int{e, r}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
		if len(editions) != len(in.Procedures) {
			return nil, apperr.Validation{"audit_procedures": "error.choice"}
		}
	}
	return editions, nil
}

// subtree lists unit and the units under it.
func subtree(ctx context.Context, q querier, tenant, unit int64) ([]int64, error) {
	return ids(ctx, q, `WITH RECURSIVE sub(id) AS (SELECT id FROM units WHERE tenant_id = $1 AND id = $2
		UNION ALL SELECT u.id FROM units u JOIN sub ON u.parent_id = sub.id WHERE u.tenant_id = $1) SELECT id FROM sub`, tenant, unit)
}

// nextCode is the next audit code of year: AI-2026-03.
func nextCode(ctx context.Context, tx *sql.Tx, tenant int64, year int) (string, int, error) {
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(seq), 0) FROM internal_audits WHERE tenant_id = $1 AND year = $2`, tenant, year).Scan(&n); err != nil {
		return "", 0, fmt.Errorf("cannot number audit: %w", err)
	}
	return fmt.Sprintf("AI-%d-%02d", year, n+1), n + 1, nil
}

func auditSearch(code, title, process, unit string) string {
	return textutil.Fold(code + " " + title + " " + process + " " + unit)
}

// Create plans an audit. The year of its code is its programme's, else
// that of its first day.
func (s *Service) Create(ctx context.Context, a auth.Actor, in PlanInput) (Audit, error) {
	if err := a.Require(auth.PermAuditsManage); err != nil {
		return Audit{}, err
	}
	if err := in.Validate(); err != nil {
		return Audit{}, err
	}
	now := s.Clock.Now()
	var out Audit
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		editions, err := checkPlan(ctx, tx, a.Tenant, in)
		if err != nil {
			return err
		}
		start, _ := parseDay(in.StartOn)
		year := start.Year()
		var programme int64
		if in.ItemID != 0 {
			if err := tx.QueryRowContext(ctx, `SELECT p.id, p.year FROM audit_programme_items i JOIN audit_programmes p ON p.id = i.programme_id WHERE i.tenant_id = $1 AND i.id = $2`,
				a.Tenant, in.ItemID).Scan(&programme, &year); err != nil {
				return fmt.Errorf("cannot read programme: %w", err)
			}
		} else if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(id), 0) FROM audit_programmes WHERE tenant_id = $1 AND year = $2`, a.Tenant, year).Scan(&programme); err != nil {
			return fmt.Errorf("cannot read programme: %w", err)
		}
		var prev Audit
		if in.PreviousID != 0 {
			if prev, err = getAudit(ctx, tx, a.Tenant, in.PreviousID); err != nil {
				return apperr.Validation{"audit_previous": "error.choice"}
			}
		}
		code, seq, err := nextCode(ctx, tx, a.Tenant, year)
		if err != nil {
			return err
		}
		unitName, err := unitNameOf(ctx, tx, a.Tenant, in.UnitID)
		if err != nil {
			return err
		}
		var id int64
		err = tx.QueryRowContext(ctx, `INSERT INTO internal_audits (tenant_id, code, year, seq, programme_id, item_id, title, unit_id, process, scope, criteria, clauses,
				lead_id, auditees, start_on, end_on, state, previous_id, search_text, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $20) RETURNING id`,
			a.Tenant, code, year, seq, nullID(programme), nullID(in.ItemID), in.Title, nullID(in.UnitID), in.Process, in.Scope, in.Criteria, joinClauses(in.Clauses),
			in.LeadID, in.Auditees, in.StartOn, in.EndOn, StatePlanned, nullID(in.PreviousID), auditSearch(code, in.Title, in.Process, unitName), now).Scan(&id)
		if db.IsUniqueViolation(err) {
			return apperr.Conflict("audits.error.code_taken")
		}
		if err != nil {
			return fmt.Errorf("cannot record audit: %w", err)
		}
		if err := s.writePlanParts(ctx, tx, a.Tenant, id, in, editions); err != nil {
			return err
		}
		if err := insertStep(ctx, tx, a, id, workflow.Step{Action: ActPlan, To: StatePlanned, ActorID: a.UserID, Actor: a.Name, At: now}); err != nil {
			return err
		}
		if out, err = getAudit(ctx, tx, a.Tenant, id); err != nil {
			return err
		}
		if in.PreviousID != 0 {
			if err := s.carryChecklist(ctx, tx, a, out, prev, now); err != nil {
				return err
			}
		}
		if err := s.assignPlanTasks(ctx, tx, a, out); err != nil {
			return err
		}
		return audit.Record(ctx, tx, now, audit.Event{Tenant: a.Tenant, Actor: a.Audit(), Action: audit.ActionCreate, Entity: "internal_audit", EntityID: id,
			Summary: out.Code + " " + clip(out.Title, 120), After: out})
	})
	return out, err
}

func unitNameOf(ctx context.Context, q querier, tenant, unit int64) (string, error) {
	if unit == 0 {
		return "", nil
	}
	var name string
	if err := q.QueryRowContext(ctx, `SELECT name FROM units WHERE tenant_id = $1 AND id = $2`, tenant, unit).Scan(&name); err != nil {
		return "", fmt.Errorf("cannot read unit: %w", err)
	}
	return name, nil
}

// writePlanParts replaces the team, the procedures and the agenda.
func (s *Service) writePlanParts(ctx context.Context, tx *sql.Tx, tenant, id int64, in PlanInput, editions map[int64][2]int) error {
	for _, q := range []string{`DELETE FROM audit_team WHERE tenant_id = $1 AND audit_id = $2`, `DELETE FROM audit_agenda WHERE tenant_id = $1 AND audit_id = $2`} {
		if _, err := tx.ExecContext(ctx, q, tenant, id); err != nil {
			return fmt.Errorf("cannot write audit plan: %w", err)
		}
	}
	for _, p := range in.Team {
		if _, err := tx.ExecContext(ctx, `INSERT INTO audit_team (tenant_id, audit_id, person_id) VALUES ($1, $2, $3)`, tenant, id, p); err != nil {
			return fmt.Errorf("cannot write audit team: %w", err)
		}
	}
	// Procedures keep the edition recorded when they came into scope.
	had, err := ids(ctx, tx, `SELECT document_id FROM audit_procedures WHERE tenant_id = $1 AND audit_id = $2`, tenant, id)
	if err != nil {
		return err
	}
	for _, d := range had {
		if !slices.Contains(in.Procedures, d) {
			if _, err := tx.ExecContext(ctx, `DELETE FROM audit_procedures WHERE tenant_id = $1 AND audit_id = $2 AND document_id = $3`, tenant, id, d); err != nil {
				return fmt.Errorf("cannot write audit procedures: %w", err)
			}
		}
	}
	for _, d := range in.Procedures {
		if slices.Contains(had, d) {
			continue
		}
		e := editions[d]
		if _, err := tx.ExecContext(ctx, `INSERT INTO audit_procedures (tenant_id, audit_id, document_id, edition, revision) VALUES ($1, $2, $3, $4, $5)`, tenant, id, d, e[0], e[1]); err != nil {
			return fmt.Errorf("cannot write audit procedures: %w", err)
		}
	}
	for i, r := range in.Agenda {
		if _, err := tx.ExecContext(ctx, `INSERT INTO audit_agenda (tenant_id, audit_id, position, at_day, at_time, activity, people) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
			tenant, id, i+1, r.Day, r.Time, r.Activity, r.People); err != nil {
			return fmt.Errorf("cannot write agenda: %w", err)
		}
	}
	return nil
}

// MayEditPlan reports whether a may change the plan of x: the quality
// office, while the audit has not been reported.
func MayEditPlan(a auth.Actor, x Audit) bool {
	return a.Can(auth.PermAuditsManage) && (x.State == StatePlanned || x.State == StateInProgress)
}

// Update changes an audit's plan; a stale Version is refused. While the
// audit is under way its unit and auditors may still change, each checked
// again.
func (s *Service) Update(ctx context.Context, a auth.Actor, id int64, in PlanInput) (Audit, error) {
	if err := a.Require(auth.PermAuditsManage); err != nil {
		return Audit{}, err
	}
	now := s.Clock.Now()
	var out Audit
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		before, err := getAudit(ctx, tx, a.Tenant, id)
		if err != nil {
			return err
		}
		if !MayEditPlan(a, before) {
			return apperr.Conflict("audits.error.plan_closed")
		}
		in.ItemID, in.PreviousID = before.ItemID, before.PreviousID
		if err := in.Validate(); err != nil {
			return err
		}
		if before.Version != in.Version {
			return apperr.Stale()
		}
		editions, err := checkPlan(ctx, tx, a.Tenant, in)
		if err != nil {
			return err
		}
		unitName, err := unitNameOf(ctx, tx, a.Tenant, in.UnitID)
		if err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `UPDATE internal_audits SET title = $1, unit_id = $2, process = $3, scope = $4, criteria = $5, clauses = $6, lead_id = $7,
				auditees = $8, start_on = $9, end_on = $10, search_text = $11, updated_at = $12, version = version + 1
			WHERE tenant_id = $13 AND id = $14 AND version = $15`,
			in.Title, nullID(in.UnitID), in.Process, in.Scope, in.Criteria, joinClauses(in.Clauses), in.LeadID, in.Auditees, in.StartOn, in.EndOn,
			auditSearch(before.Code, in.Title, in.Process, unitName), now, a.Tenant, id, in.Version)
		if err != nil {
			return fmt.Errorf("cannot update audit: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return apperr.Stale()
		}
		if err := s.writePlanParts(ctx, tx, a.Tenant, id, in, editions); err != nil {
			return err
		}
		if out, err = getAudit(ctx, tx, a.Tenant, id); err != nil {
			return err
		}
		if !slices.Equal(before.Auditors(), out.Auditors()) || before.StartOn != out.StartOn || before.EndOn != out.EndOn || before.UnitID != out.UnitID {
			if err := s.cancelTasks(ctx, tx, a, id); err != nil {
				return err
			}
			if err := s.assignPlanTasks(ctx, tx, a, out); err != nil {
				return err
			}
		}
		return audit.Record(ctx, tx, now, audit.Event{Tenant: a.Tenant, Actor: a.Audit(), Action: audit.ActionUpdate, Entity: "internal_audit", EntityID: id,
			Summary: out.Code + " " + clip(out.Title, 120), Before: before, After: out})
	})
	return out, err
}

// assignPlanTasks hands out an audit's work: each auditor conducts it from
// its first day, the head of the audited unit receives the auditors, and
// the lead auditor issues the report a few days after the last day. Only
// the work not done yet for the audit's state is handed out.
func (s *Service) assignPlanTasks(ctx context.Context, tx *sql.Tx, a auth.Actor, x Audit) error {
	start, _ := parseDay(x.StartOn)
	end, _ := parseDay(x.EndOn)
	title := x.Code + " " + clip(x.Title, 200)
	if x.State == StatePlanned || x.State == StateInProgress {
		for _, p := range x.Auditors() {
			if _, err := s.Work.Assign(ctx, tx, a, work.NewTask{Ref: auditRef(x.ID), Kind: work.KindAttend, Title: "Efectuați auditul intern " + title,
				Details: "Pregătiți și efectuați auditul conform planului: lista de verificare, dovezile, constatările.", Link: auditLink(x.ID) + "#checklist",
				Assignee: work.Assignee{PersonID: p}, Due: start}); err != nil {
				return err
			}
		}
		if x.UnitID != 0 && x.State == StatePlanned {
			if _, err := s.Work.Assign(ctx, tx, a, work.NewTask{Ref: auditeeRef(x.ID), Kind: work.KindAttend, Title: "Primiți echipa de audit: " + title,
				Details: "Asigurați prezența persoanelor auditate și accesul la înregistrări, conform agendei din planul de audit.", Link: auditLink(x.ID),
				Assignee: work.Assignee{Role: auth.RoleHeadOfUnit, UnitID: x.UnitID}, Due: start}); err != nil {
				return err
			}
		}
	}
	if x.LeadID != 0 && x.Open() {
		if _, err := s.Work.Assign(ctx, tx, a, work.NewTask{Ref: auditRef(x.ID), Kind: work.KindReport, Title: "Emiteți raportul de audit " + title,
			Details: "Completați concluziile și emiteți raportul de audit intern.", Link: auditLink(x.ID) + "#report",
			Assignee: work.Assignee{PersonID: x.LeadID}, Due: end.AddDate(0, 0, ReportDays)}); err != nil {
			return err
		}
	}
	return nil
}

// ReportInput is the report's texts.
type ReportInput struct {
	Summary      string
	Conclusions  string
	Distribution string
	Version      int
}

// SaveReport records the report's summary, conclusions and distribution:
// the team and the quality office, until the audit is closed.
func (s *Service) SaveReport(ctx context.Context, a auth.Actor, id int64, in ReportInput) (Audit, error) {
	for _, t := range []*string{&in.Summary, &in.Conclusions, &in.Distribution} {
		*t = strings.TrimSpace(textutil.CleanText(*t))
	}
	v := apperr.Validation{}
	for name, t := range map[string]string{"audit_summary": in.Summary, "audit_conclusions": in.Conclusions, "audit_distribution": in.Distribution} {
		if tooLong(t, 3*MaxText) {
			v.Add(name, "error.too_long")
		}
	}
	if err := v.Err(); err != nil {
		return Audit{}, err
	}
	now := s.Clock.Now()
	var out Audit
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		before, err := getAudit(ctx, tx, a.Tenant, id)
		if err != nil {
			return err
		}
		if !MayConduct(a, before) {
			return apperr.Forbidden(string(auth.PermAuditsConduct))
		}
		if before.State != StateInProgress && before.State != StateReporting {
			return apperr.Conflict("audits.error.not_under_way")
		}
		res, err := tx.ExecContext(ctx, `UPDATE internal_audits SET summary = $1, conclusions = $2, distribution = $3, updated_at = $4, version = version + 1
			WHERE tenant_id = $5 AND id = $6 AND version = $7`, in.Summary, in.Conclusions, in.Distribution, now, a.Tenant, id, in.Version)
		if err != nil {
			return fmt.Errorf("cannot save report: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return apperr.Stale()
		}
		if out, err = getAudit(ctx, tx, a.Tenant, id); err != nil {
			return err
		}
		return audit.Record(ctx, tx, now, audit.Event{Tenant: a.Tenant, Actor: a.Audit(), Action: audit.ActionUpdate, Entity: "internal_audit", EntityID: id,
			Summary: out.Code + ": " + "report", Before: map[string]string{"summary": before.Summary, "conclusions": before.Conclusions, "distribution": before.Distribution},
			After: map[string]string{"summary": out.Summary, "conclusions": out.Conclusions, "distribution": out.Distribution}})
	})
	return out, err
}

// MayConduct reports whether a records the audit's checklist, findings and
// report: an auditor on its team, or the quality office.
func MayConduct(a auth.Actor, x Audit) bool {
	if a.Can(auth.PermAuditsManage) {
		return true
	}
	return a.Can(auth.PermAuditsConduct) && x.OnTeam(a.PersonID)
}

// Previous lists the earlier audits of the same unit (or, without a unit,
// the same process), newest first, that a new audit may start from.
func (s *Service) Previous(ctx context.Context, a auth.Actor, unit int64, process string) ([]Audit, error) {
	if err := a.Require(auth.PermAuditsView); err != nil {
		return nil, err
	}
	var rows *sql.Rows
	var err error
	if unit != 0 {
		rows, err = s.DB.R.QueryContext(ctx, `SELECT `+auditColumns+auditFrom+` WHERE x.tenant_id = $1 AND x.unit_id = $2 AND x.state <> $3 ORDER BY x.start_on DESC, x.id DESC LIMIT 10`,
			a.Tenant, unit, StateCancelled)
	} else {
		rows, err = s.DB.R.QueryContext(ctx, `SELECT `+auditColumns+auditFrom+` WHERE x.tenant_id = $1 AND x.unit_id IS NULL AND x.process = $2 AND x.state <> $3 ORDER BY x.start_on DESC, x.id DESC LIMIT 10`,
			a.Tenant, process, StateCancelled)
	}
	if err != nil {
		return nil, fmt.Errorf("cannot read previous audits: %w", err)
	}
	return scanAudits(rows)
}
