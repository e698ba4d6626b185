package citizen

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"cadran/internal/apperr"
	"cadran/internal/audit"
	"cadran/internal/auth"
	"cadran/internal/org"
	"cadran/internal/textutil"
	"cadran/internal/work"
)

type querier interface {
	QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row
}

const caseColumns = `c.id, c.tenant_id, c.kind, c.year, c.seq, c.number, c.registered_on, c.registered_at, c.channel,
	c.petitioner_name, c.petitioner_email, c.petitioner_phone, c.petitioner_address, c.legal_person, c.consent_at, c.consent_version,
	c.subject, c.body, c.topic, COALESCE(c.service_id, 0), COALESCE(s.code, ''), COALESCE(s.name, ''),
	COALESCE(c.unit_id, 0), COALESCE(u.name, ''), COALESCE(c.assignee_id, 0), COALESCE(p.full_name, ''),
	c.complex, c.state, c.due_on, c.base_due_on, c.extension_days, c.extension_reason, c.extension_notice_on,
	c.redirected_to, c.redirect_notice_on, c.answer, c.answer_kind, c.closed_on, c.days_taken, c.on_time, c.complaint, c.rated,
	COALESCE(c.created_by, 0), c.created_at, c.updated_at, c.version`

const caseFrom = ` FROM citizen_cases c
	LEFT JOIN citizen_services s ON s.id = c.service_id
	LEFT JOIN units u ON u.id = c.unit_id
	LEFT JOIN people p ON p.id = c.assignee_id`

func scanCase(row interface{ Scan(...any) error }) (Case, error) {
	var c Case
	var reg, due, base, notice, redirNotice, closed string
	var consent sql.NullTime
	var days sql.NullInt64
	var onTime sql.NullBool
	err := row.Scan(&c.ID, &c.Tenant, &c.Kind, &c.Year, &c.Seq, &c.Number, &reg, &c.RegisteredAt, &c.Channel,
		&c.Petitioner.Name, &c.Petitioner.Email, &c.Petitioner.Phone, &c.Petitioner.Address, &c.Petitioner.LegalPerson, &consent, &c.ConsentVersion,
		&c.Subject, &c.Body, &c.Topic, &c.ServiceID, &c.ServiceCode, &c.ServiceName,
		&c.UnitID, &c.UnitName, &c.AssigneeID, &c.AssigneeName,
		&c.Complex, &c.State, &due, &base, &c.ExtensionDays, &c.ExtensionReason, &notice,
		&c.RedirectedTo, &redirNotice, &c.Answer, &c.AnswerKind, &closed, &days, &onTime, &c.Complaint, &c.Rated,
		&c.CreatedBy, &c.CreatedAt, &c.UpdatedAt, &c.Version)
	if err != nil {
		return c, err
	}
	c.RegisteredOn, c.DueOn, c.BaseDueOn = parseDay(reg), parseDay(due), parseDay(base)
	c.ExtensionNoticeOn, c.RedirectNoticeOn, c.ClosedOn = parseDay(notice), parseDay(redirNotice), parseDay(closed)
	if consent.Valid {
		t := consent.Time
		c.ConsentAt = &t
	}
	if days.Valid {
		n := int(days.Int64)
		c.DaysTaken = &n
	}
	if onTime.Valid {
		b := onTime.Bool
		c.OnTime = &b
	}
	return c, nil
}

func scanCases(rows *sql.Rows) ([]Case, error) {
	defer rows.Close()
	var out []Case
	for rows.Next() {
		c, err := scanCase(rows)
		if err != nil {
			return nil, fmt.Errorf("cannot read case: %w", err)
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

func getCase(ctx context.Context, q querier, tenant, id int64) (Case, error) {
	c, err := scanCase(q.QueryRowContext(ctx, `SELECT `+caseColumns+caseFrom+` WHERE c.tenant_id = $1 AND c.id = $2`, tenant, id))
	if errors.Is(err, sql.ErrNoRows) {
		return Case{}, apperr.NotFound(EntityCase)
	}
	if err != nil {
		return Case{}, fmt.Errorf("cannot read case: %w", err)
	}
	return c, nil
}

// scope is what an actor may see of the registry: everything, or the
// cases of the units a head leads and the cases assigned to them.
type scope struct {
	all    bool
	person int64
	units  []int64 // a head of unit's unit and every unit under it
}

func (s *Service) scope(ctx context.Context, q querier, a auth.Actor) (scope, error) {
	if a.Can(auth.PermCitizenView) {
		return scope{all: true}, nil
	}
	sc := scope{person: a.PersonID}
	if a.PersonID == 0 || !a.HasRole(auth.RoleHeadOfUnit) {
		return sc, nil
	}
	units, err := org.LedUnits(ctx, q, a.Tenant, a.PersonID)
	if err != nil {
		return sc, fmt.Errorf("cannot read the actor's units: %w", err)
	}
	sc.units = units
	return sc, nil
}

// leads reports whether the scope's head leads unit.
func (sc scope) leads(unit int64) bool {
	for _, u := range sc.units {
		if u == unit && unit != 0 {
			return true
		}
	}
	return false
}

// sees reports whether the scope includes c.
func (sc scope) sees(c Case) bool {
	return sc.all || (sc.person != 0 && c.AssigneeID == sc.person) || sc.leads(c.UnitID)
}

// predicate is the scope as SQL over alias c, its arguments numbered after
// args.
func (sc scope) predicate(args []any) (string, []any) {
	if sc.all {
		return "", args
	}
	var or []string
	if sc.person != 0 {
		args = append(args, sc.person)
		or = append(or, fmt.Sprintf("c.assignee_id = $%d", len(args)))
	}
	if len(sc.units) > 0 {
		ph := make([]string, len(sc.units))
		for i, u := range sc.units {
			args = append(args, u)
			ph[i] = fmt.Sprintf("$%d", len(args))
		}
		or = append(or, "c.unit_id IN ("+strings.Join(ph, ", ")+")")
	}
	if len(or) == 0 {
		return " AND 1 = 0", args
	}
	return " AND (" + strings.Join(or, " OR ") + ")", args
}

// visibleCase reads a case the actor may see; any other is not found.
func (s *Service) visibleCase(ctx context.Context, q querier, a auth.Actor, id int64) (Case, scope, error) {
	sc, err := s.scope(ctx, q, a)
	if err != nil {
		return Case{}, sc, err
	}
	c, err := getCase(ctx, q, a.Tenant, id)
	if err != nil {
		return Case{}, sc, err
	}
	if !sc.sees(c) {
		return Case{}, sc, apperr.NotFound(EntityCase)
	}
	return c, sc, nil
}

// Case reads one case the actor may see.
func (s *Service) Case(ctx context.Context, a auth.Actor, id int64) (Case, error) {
	c, _, err := s.visibleCase(ctx, s.DB.R, a, id)
	return c, err
}

// nextNumber takes the year's next registration number, atomically on
// both engines: the upsert holds the counter's row until tx ends.
func nextNumber(ctx context.Context, tx *sql.Tx, tenant int64, year int) (int, error) {
	var seq int
	err := tx.QueryRowContext(ctx, `INSERT INTO citizen_counters (tenant_id, year, last_seq) VALUES ($1, $2, 1)
		ON CONFLICT (tenant_id, year) DO UPDATE SET last_seq = citizen_counters.last_seq + 1
		RETURNING last_seq`, tenant, year).Scan(&seq)
	if err != nil {
		return 0, fmt.Errorf("cannot take a registration number: %w", err)
	}
	return seq, nil
}

// FormatNumber writes a registration number: "1234/2026".
func FormatNumber(seq, year int) string { return strconv.Itoa(seq) + "/" + strconv.Itoa(year) }

// ParseNumber reads a registration number as a person types it ("1234/2026",
// spaces allowed).
func ParseNumber(number string) (seq, year int, ok bool) {
	a, b, found := strings.Cut(strings.ReplaceAll(number, " ", ""), "/")
	if !found {
		return 0, 0, false
	}
	seq, err1 := strconv.Atoi(a)
	year, err2 := strconv.Atoi(b)
	if err1 != nil || err2 != nil || seq <= 0 || year < 1900 || year > 9999 {
		return 0, 0, false
	}
	return seq, year, true
}

func searchText(c Case) string {
	return textutil.Fold(c.Number + " " + c.Subject + " " + c.Petitioner.Name)
}

func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

func nullInt(p *int) any {
	if p == nil {
		return nil
	}
	return *p
}

func nullBool(p *bool) any {
	if p == nil {
		return nil
	}
	return *p
}

// checkRefs makes sure the service, unit and person named belong to the
// institution (the service active, the person active); it returns the
// service's legal days and unit, and the person's unit.
type refs struct {
	serviceDays   int
	serviceUnit   int64
	assigneeUnit  int64
	serviceActive bool
}

func checkRefs(ctx context.Context, q querier, tenant, service, unit, person int64) (refs, error) {
	var r refs
	v := apperr.Validation{}
	if service != 0 {
		var u sql.NullInt64
		err := q.QueryRowContext(ctx, `SELECT legal_days, unit_id, active FROM citizen_services WHERE tenant_id = $1 AND id = $2`, tenant, service).Scan(&r.serviceDays, &u, &r.serviceActive)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			v.Add(FieldService, "error.choice")
		case err != nil:
			return r, fmt.Errorf("cannot check service: %w", err)
		case !r.serviceActive:
			v.Add(FieldService, "citizen.reg.error.service_inactive")
		}
		r.serviceUnit = u.Int64
	}
	if unit != 0 {
		var n int
		if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM units WHERE tenant_id = $1 AND id = $2`, tenant, unit).Scan(&n); err != nil {
			return r, fmt.Errorf("cannot check unit: %w", err)
		}
		if n == 0 {
			v.Add(FieldUnit, "error.choice")
		}
	}
	if person != 0 {
		var u sql.NullInt64
		err := q.QueryRowContext(ctx, `SELECT unit_id FROM people WHERE tenant_id = $1 AND id = $2 AND active`, tenant, person).Scan(&u)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			v.Add(FieldAssignee, "error.choice")
		case err != nil:
			return r, fmt.Errorf("cannot check person: %w", err)
		}
		r.assigneeUnit = u.Int64
	}
	return r, v.Err()
}

// caseRef names a case in the inbox.
func caseRef(id int64) work.Ref { return work.Ref{Module: Module, Entity: EntityCase, ID: id} }

// caseTask is the one open task an open case has: its assignee's, else
// the head of its unit's, else the registry's (to assign it), due on the
// case's deadline.
func caseTask(c Case) work.NewTask {
	as := work.Assignee{Role: auth.RoleRegistryClerk}
	details := "Repartizați cazul unui compartiment și unei persoane."
	switch {
	case c.AssigneeID != 0:
		as = work.Assignee{PersonID: c.AssigneeID}
		details = "Pregătiți răspunsul și consemnați-l până la termenul legal."
	case c.UnitID != 0:
		as = work.Assignee{Role: auth.RoleHeadOfUnit, UnitID: c.UnitID}
		details = "Repartizați cazul unei persoane din compartiment sau răspundeți până la termenul legal."
	}
	title := "Nr. " + c.Number + ": " + c.Subject
	if r := []rune(title); len(r) > 300 {
		title = string(r[:299]) + "…"
	}
	return work.NewTask{Ref: caseRef(c.ID), Kind: work.KindAnswer, Title: title, Details: details, Link: c.Link(),
		Assignee: as, Due: c.DueOn}
}

// retask replaces an open case's task (a new assignee or deadline).
func (s *Service) retask(ctx context.Context, tx *sql.Tx, a auth.Actor, c Case) error {
	if _, err := s.Work.Close(ctx, tx, a, work.Selector{Ref: caseRef(c.ID)}, work.StateCancelled); err != nil {
		return err
	}
	if !c.Open() {
		return nil
	}
	_, err := s.Work.Assign(ctx, tx, a, caseTask(c))
	return err
}

// Register records a case the registry received (at the counter, by post
// or e-mail), gives it the year's next number, computes its deadline and,
// when assigned, hands the assignee a task due on it (with a unit but no
// person: the head of the unit; with neither: the registry, to assign it).
// An anonymous petition is filed away at once, with no access code.
func (s *Service) Register(ctx context.Context, a auth.Actor, in CaseInput) (Receipt, error) {
	if err := a.Require(auth.PermCitizenRegister); err != nil {
		return Receipt{}, err
	}
	if err := in.Validate(); err != nil {
		return Receipt{}, err
	}
	var out Receipt
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		var err error
		out, err = s.register(ctx, tx, a, in, false)
		return err
	})
	return out, err
}

// register writes a validated case inside tx.
func (s *Service) register(ctx context.Context, tx *sql.Tx, a auth.Actor, in CaseInput, public bool) (Receipt, error) {
	now := s.Clock.Now()
	today := work.Day(now)
	r, err := checkRefs(ctx, tx, a.Tenant, in.ServiceID, in.UnitID, in.AssigneeID)
	if err != nil {
		return Receipt{}, err
	}
	st, err := settingsOf(ctx, tx, a.Tenant)
	if err != nil {
		return Receipt{}, err
	}
	c := Case{Tenant: a.Tenant, Kind: in.Kind, Year: today.Year(), RegisteredOn: today, RegisteredAt: now, Channel: in.Channel,
		Petitioner: in.Petitioner, Subject: in.Subject, Body: in.Body, Topic: in.Topic, ServiceID: in.ServiceID,
		UnitID: in.UnitID, AssigneeID: in.AssigneeID, Complex: in.Complex, State: StateRegistered, CreatedBy: a.UserID,
		CreatedAt: now, UpdatedAt: now, Version: 1}
	if c.UnitID == 0 && c.AssigneeID != 0 {
		c.UnitID = r.assigneeUnit
	}
	if c.UnitID == 0 && c.Kind == KindService {
		c.UnitID = r.serviceUnit
	}
	if in.Consent {
		c.ConsentAt, c.ConsentVersion = &now, ConsentVersion
	}
	if c.AssigneeID != 0 || c.UnitID != 0 {
		c.State = StateAssigned
	}
	c.DueOn = dueOn(c, r.serviceDays, st.ShiftToWorking)
	c.BaseDueOn = c.DueOn
	if c.Anonymous() {
		zero, yes := 0, true
		c.State, c.Answer, c.ClosedOn, c.DaysTaken, c.OnTime = StateFiled, FiledAnonymous, today, &zero, &yes
	}
	if c.Seq, err = nextNumber(ctx, tx, a.Tenant, c.Year); err != nil {
		return Receipt{}, err
	}
	c.Number = FormatNumber(c.Seq, c.Year)
	var code, hash string
	if !c.Anonymous() {
		if code, err = GenerateAccessCode(); err != nil {
			return Receipt{}, err
		}
		hash = HashAccessCode(code)
	}
	err = tx.QueryRowContext(ctx, `INSERT INTO citizen_cases (tenant_id, kind, year, seq, number, registered_on, registered_at, channel,
			petitioner_name, petitioner_email, petitioner_phone, petitioner_address, legal_person, consent_at, consent_version,
			subject, body, topic, service_id, unit_id, assignee_id, complex, state, due_on, base_due_on,
			answer, closed_on, days_taken, on_time, access_hash, search_text, created_by, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25,
			$26, $27, $28, $29, $30, $31, $32, $33, $33) RETURNING id`,
		a.Tenant, c.Kind, c.Year, c.Seq, c.Number, dayText(c.RegisteredOn), now, c.Channel,
		c.Petitioner.Name, c.Petitioner.Email, c.Petitioner.Phone, c.Petitioner.Address, c.Petitioner.LegalPerson, c.ConsentAt, c.ConsentVersion,
		c.Subject, c.Body, c.Topic, nullID(c.ServiceID), nullID(c.UnitID), nullID(c.AssigneeID), c.Complex, c.State, dayText(c.DueOn), dayText(c.BaseDueOn),
		c.Answer, dayText(c.ClosedOn), nullInt(c.DaysTaken), nullBool(c.OnTime), hash, searchText(c), nullID(a.UserID), now).Scan(&c.ID)
	if err != nil {
		return Receipt{}, fmt.Errorf("cannot register case: %w", err)
	}
	if c, err = getCase(ctx, tx, a.Tenant, c.ID); err != nil {
		return Receipt{}, err
	}
	if err := stTrack(ctx, tx, Case{}, c); err != nil {
		return Receipt{}, err
	}
	summary := c.Number
	if public {
		summary += " (online)"
	}
	if err := audit.Record(ctx, tx, now, audit.Event{Tenant: a.Tenant, Actor: a.Audit(), Action: audit.ActionCreate, Entity: EntityCase, EntityID: c.ID,
		Summary: summary, After: c}); err != nil {
		return Receipt{}, err
	}
	if c.Open() {
		if _, err := s.Work.Assign(ctx, tx, a, caseTask(c)); err != nil {
			return Receipt{}, err
		}
	}
	return Receipt{Case: c, AccessCode: code}, nil
}
