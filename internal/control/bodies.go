package control

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
)

// Body is the monitoring commission or the risk management team.
type Body struct {
	ID, Tenant int64
	Kind       string // BodyCommission, BodyRiskTeam
	Name       string
	Decision   string // the act setting it up
	DecisionOn string
	Notes      string
	Active     bool
	CreatedAt  time.Time
	UpdatedAt  time.Time
	Version    int
	// Filled in by reads: current members and meetings.
	Members, Meetings int
}

// Href is the body's page.
func (b Body) Href() string { return bodyHref(b.ID) }

// BodyKinds lists the kinds of body.
var BodyKinds = []string{BodyCommission, BodyRiskTeam}

// Roles lists the roles in a body.
var Roles = []string{RolePresident, RoleVicePresident, RoleMember, RoleSecretary}

// BodyInput creates or changes a body.
type BodyInput struct {
	Kind, Name, Decision, DecisionOn, Notes string
	Active                                  bool
	Version                                 int
}

// BodyFilter narrows the body list.
type BodyFilter struct {
	Kind    string
	Active  string // "", "yes", "no"
	Sort    string // kind (default), name, decision_on
	Desc    bool
	Page    int
	PerPage int
}

// BodyPage is one page of bodies.
type BodyPage struct {
	Items []Body
	Total int
}

// Member is a person in a body.
type Member struct {
	ID, Tenant, BodyID, PersonID int64
	Role                         string
	FromOn, UntilOn              string // UntilOn empty: still a member
	CreatedAt                    time.Time
	UpdatedAt                    time.Time
	Version                      int
	// Filled in by reads.
	PersonName, JobTitle string
}

// Current reports whether the member is still in the body on today
// (YYYY-MM-DD).
func (m Member) Current(today string) bool { return m.UntilOn == "" || m.UntilOn >= today }

// MemberInput adds a member or changes one. FromOn defaults to today.
type MemberInput struct {
	PersonID        int64
	Role            string
	FromOn, UntilOn string
	Version         int
}

// Field names of the body and member forms.
const (
	FieldBodyKind       = "body_kind"
	FieldBodyName       = "body_name"
	FieldBodyDecision   = "body_decision"
	FieldBodyDecisionOn = "body_decision_on"
	FieldBodyNotes      = "body_notes"
	FieldMemPerson      = "mem_person_id"
	FieldMemRole        = "mem_role"
	FieldMemFrom        = "mem_from_on"
	FieldMemUntil       = "mem_until_on"
)

// Validate checks a body's input and normalises it.
func (in *BodyInput) Validate() error {
	v := apperr.Validation{}
	in.Kind = strings.TrimSpace(in.Kind)
	if !slices.Contains(BodyKinds, in.Kind) {
		v.Add(FieldBodyKind, "error.choice")
	}
	progCheckLine(v, FieldBodyName, &in.Name, progMaxShort, true)
	progCheckLine(v, FieldBodyDecision, &in.Decision, progMaxShort, false)
	progCheckDay(v, FieldBodyDecisionOn, &in.DecisionOn, false)
	progCheckText(v, FieldBodyNotes, &in.Notes, progMaxText, false)
	return v.Err()
}

// Validate checks a member's input and normalises it; today is the
// default start.
func (in *MemberInput) Validate(today string) error {
	v := apperr.Validation{}
	if in.PersonID <= 0 {
		v.Add(FieldMemPerson, "error.required")
	}
	in.Role = strings.TrimSpace(in.Role)
	if !slices.Contains(Roles, in.Role) {
		v.Add(FieldMemRole, "error.choice")
	}
	if strings.TrimSpace(in.FromOn) == "" {
		in.FromOn = today
	}
	progCheckDay(v, FieldMemFrom, &in.FromOn, true)
	progCheckDay(v, FieldMemUntil, &in.UntilOn, false)
	if v[FieldMemFrom] == "" && v[FieldMemUntil] == "" && in.UntilOn != "" && in.UntilOn < in.FromOn {
		v.Add(FieldMemUntil, "controlprog.error.until_before_from")
	}
	return v.Err()
}

const bodyColumns = `b.id, b.tenant_id, b.kind, b.name, b.decision, b.decision_on, b.notes, b.active, b.created_at, b.updated_at, b.version,
	(SELECT COUNT(*) FROM control_body_members m WHERE m.tenant_id = b.tenant_id AND m.body_id = b.id AND (m.until_on = '' OR m.until_on >= $%d)),
	(SELECT COUNT(*) FROM control_meetings mt WHERE mt.tenant_id = b.tenant_id AND mt.body_id = b.id)`

func bodyScan(row interface{ Scan(...any) error }) (Body, error) {
	var b Body
	err := row.Scan(&b.ID, &b.Tenant, &b.Kind, &b.Name, &b.Decision, &b.DecisionOn, &b.Notes, &b.Active, &b.CreatedAt, &b.UpdatedAt, &b.Version,
		&b.Members, &b.Meetings)
	return b, err
}

func bodyGet(ctx context.Context, q progQuerier, tenant, id int64, today string) (Body, error) {
	b, err := bodyScan(q.QueryRowContext(ctx, `SELECT `+fmt.Sprintf(bodyColumns, 3)+` FROM control_bodies b WHERE b.tenant_id = $1 AND b.id = $2`, tenant, id, today))
	if errors.Is(err, sql.ErrNoRows) {
		return Body{}, apperr.NotFound(EntityBody)
	}
	if err != nil {
		return Body{}, fmt.Errorf("cannot read body: %w", err)
	}
	return b, nil
}

var bodySorts = map[string]string{"kind": "b.kind", "name": "b.name", "decision_on": "b.decision_on"}

// Bodies lists the institution's bodies.
func (s *Service) Bodies(ctx context.Context, a auth.Actor, f BodyFilter) (BodyPage, error) {
	if err := a.Require(auth.PermControlView); err != nil {
		return BodyPage{}, err
	}
	where := ` WHERE b.tenant_id = $1`
	args := []any{a.Tenant}
	if slices.Contains(BodyKinds, f.Kind) {
		args = append(args, f.Kind)
		where += fmt.Sprintf(` AND b.kind = $%d`, len(args))
	}
	switch f.Active {
	case "yes":
		where += ` AND b.active`
	case "no":
		where += ` AND NOT b.active`
	}
	var out BodyPage
	if err := s.DB.R.QueryRowContext(ctx, `SELECT COUNT(*) FROM control_bodies b`+where, args...).Scan(&out.Total); err != nil {
		return out, fmt.Errorf("cannot count bodies: %w", err)
	}
	args = append(args, progToday(s.Clock.Now()))
	cols := fmt.Sprintf(bodyColumns, len(args))
	sort := f.Sort
	if f.Desc {
		sort = "-" + sort
	}
	per := f.PerPage
	if per <= 0 {
		per = db.DefaultPageSize
	}
	order, args := db.OrderPage(bodySorts, sort, "kind", "b.name, b.id", per, max(0, f.Page-1)*per, args)
	rows, err := s.DB.R.QueryContext(ctx, `SELECT `+cols+` FROM control_bodies b`+where+order, args...)
	if err != nil {
		return out, fmt.Errorf("cannot list bodies: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		b, err := bodyScan(rows)
		if err != nil {
			return out, fmt.Errorf("cannot read body: %w", err)
		}
		out.Items = append(out.Items, b)
	}
	return out, rows.Err()
}

// Body reads one body.
func (s *Service) Body(ctx context.Context, a auth.Actor, id int64) (Body, error) {
	if err := a.Require(auth.PermControlView); err != nil {
		return Body{}, err
	}
	return bodyGet(ctx, s.DB.R, a.Tenant, id, progToday(s.Clock.Now()))
}

// CreateBody creates a body.
func (s *Service) CreateBody(ctx context.Context, a auth.Actor, in BodyInput) (Body, error) {
	if err := a.Require(auth.PermControlManage); err != nil {
		return Body{}, err
	}
	if err := in.Validate(); err != nil {
		return Body{}, err
	}
	now := s.Clock.Now()
	var out Body
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		var id int64
		if err := tx.QueryRowContext(ctx, `INSERT INTO control_bodies (tenant_id, kind, name, decision, decision_on, notes, active, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) RETURNING id`, a.Tenant, in.Kind, in.Name, in.Decision, in.DecisionOn, in.Notes, in.Active, now).Scan(&id); err != nil {
			return fmt.Errorf("cannot create body: %w", err)
		}
		var err error
		if out, err = bodyGet(ctx, tx, a.Tenant, id, progToday(now)); err != nil {
			return err
		}
		return audit.Record(ctx, tx, now, audit.Event{Tenant: a.Tenant, Actor: a.Audit(), Action: audit.ActionCreate, Entity: EntityBody, EntityID: id,
			Summary: out.Name, After: out})
	})
	return out, err
}

// UpdateBody changes a body.
func (s *Service) UpdateBody(ctx context.Context, a auth.Actor, id int64, in BodyInput) (Body, error) {
	if err := a.Require(auth.PermControlManage); err != nil {
		return Body{}, err
	}
	if err := in.Validate(); err != nil {
		return Body{}, err
	}
	now := s.Clock.Now()
	var out Body
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		before, err := bodyGet(ctx, tx, a.Tenant, id, progToday(now))
		if err != nil {
			return err
		}
		if before.Version != in.Version {
			return apperr.Stale()
		}
		if _, err := tx.ExecContext(ctx, `UPDATE control_bodies SET kind = $3, name = $4, decision = $5, decision_on = $6, notes = $7, active = $8,
				updated_at = $9, version = version + 1 WHERE tenant_id = $1 AND id = $2`,
			a.Tenant, id, in.Kind, in.Name, in.Decision, in.DecisionOn, in.Notes, in.Active, now); err != nil {
			return fmt.Errorf("cannot update body: %w", err)
		}
		if out, err = bodyGet(ctx, tx, a.Tenant, id, progToday(now)); err != nil {
			return err
		}
		return audit.Record(ctx, tx, now, audit.Event{Tenant: a.Tenant, Actor: a.Audit(), Action: audit.ActionUpdate, Entity: EntityBody, EntityID: id,
			Summary: out.Name, Before: before, After: out})
	})
	return out, err
}

const memColumns = `m.id, m.tenant_id, m.body_id, m.person_id, m.role, m.from_on, m.until_on, m.created_at, m.updated_at, m.version,
	p.full_name, p.job_title`

func memScan(row interface{ Scan(...any) error }) (Member, error) {
	var m Member
	err := row.Scan(&m.ID, &m.Tenant, &m.BodyID, &m.PersonID, &m.Role, &m.FromOn, &m.UntilOn, &m.CreatedAt, &m.UpdatedAt, &m.Version,
		&m.PersonName, &m.JobTitle)
	return m, err
}

const memFrom = ` FROM control_body_members m JOIN people p ON p.tenant_id = m.tenant_id AND p.id = m.person_id`

// memRoleOrder sorts roles: president, vice-president, members, secretary.
const memRoleOrder = `CASE m.role WHEN 'president' THEN 0 WHEN 'vice_president' THEN 1 WHEN 'member' THEN 2 ELSE 3 END`

func memList(ctx context.Context, q progQuerier, tenant, bodyID int64, today string) ([]Member, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+memColumns+memFrom+` WHERE m.tenant_id = $1 AND m.body_id = $2
		ORDER BY CASE WHEN m.until_on = '' OR m.until_on >= $3 THEN 0 ELSE 1 END, `+memRoleOrder+`, p.sort_name, m.id`, tenant, bodyID, today)
	if err != nil {
		return nil, fmt.Errorf("cannot list members: %w", err)
	}
	defer rows.Close()
	var out []Member
	for rows.Next() {
		m, err := memScan(rows)
		if err != nil {
			return nil, fmt.Errorf("cannot read member: %w", err)
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

func memGet(ctx context.Context, q progQuerier, tenant, bodyID, id int64) (Member, error) {
	m, err := memScan(q.QueryRowContext(ctx, `SELECT `+memColumns+memFrom+` WHERE m.tenant_id = $1 AND m.body_id = $2 AND m.id = $3`, tenant, bodyID, id))
	if errors.Is(err, sql.ErrNoRows) {
		return Member{}, apperr.NotFound(EntityMember)
	}
	if err != nil {
		return Member{}, fmt.Errorf("cannot read member: %w", err)
	}
	return m, nil
}

// Members lists a body's members, current ones first, by role.
func (s *Service) Members(ctx context.Context, a auth.Actor, bodyID int64) ([]Member, error) {
	if err := a.Require(auth.PermControlView); err != nil {
		return nil, err
	}
	today := progToday(s.Clock.Now())
	if _, err := bodyGet(ctx, s.DB.R, a.Tenant, bodyID, today); err != nil {
		return nil, err
	}
	return memList(ctx, s.DB.R, a.Tenant, bodyID, today)
}

// memCheck refuses a second current president, the same person twice at
// once, and a person who is not the institution's.
func memCheck(ctx context.Context, q progQuerier, tenant, bodyID, self int64, in MemberInput, today string) error {
	if err := progCheckPerson(ctx, q, tenant, in.PersonID, FieldMemPerson); err != nil {
		return err
	}
	if in.UntilOn != "" && in.UntilOn < today {
		return nil // a past membership clashes with nobody now
	}
	var twice int
	if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM control_body_members WHERE tenant_id = $1 AND body_id = $2 AND id <> $3
		AND person_id = $4 AND (until_on = '' OR until_on >= $5)`, tenant, bodyID, self, in.PersonID, today).Scan(&twice); err != nil {
		return fmt.Errorf("cannot check members: %w", err)
	}
	if twice > 0 {
		return apperr.Validation{FieldMemPerson: "controlprog.error.member_twice"}
	}
	if in.Role != RolePresident {
		return nil
	}
	var n int
	if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM control_body_members WHERE tenant_id = $1 AND body_id = $2 AND id <> $3
		AND role = 'president' AND (until_on = '' OR until_on >= $4)`, tenant, bodyID, self, today).Scan(&n); err != nil {
		return fmt.Errorf("cannot check members: %w", err)
	}
	if n > 0 {
		return apperr.Validation{FieldMemRole: "controlprog.error.one_president"}
	}
	return nil
}

// bodyRetask gives the body's planned meetings the attend tasks of its
// members as they now are.
func (s *Service) bodyRetask(ctx context.Context, tx *sql.Tx, a auth.Actor, bodyID int64) error {
	ids, err := progIDs(ctx, tx, `SELECT id FROM control_meetings WHERE tenant_id = $1 AND body_id = $2 AND state = 'planned' ORDER BY id`, a.Tenant, bodyID)
	if err != nil {
		return err
	}
	for _, id := range ids {
		m, err := meetGet(ctx, tx, a.Tenant, id)
		if err != nil {
			return err
		}
		if err := s.meetRetask(ctx, tx, a, m); err != nil {
			return err
		}
	}
	return nil
}

// AddMember adds a person to a body (one current president per body);
// its planned meetings give the new member an attend task.
func (s *Service) AddMember(ctx context.Context, a auth.Actor, bodyID int64, in MemberInput) (Member, error) {
	if err := a.Require(auth.PermControlManage); err != nil {
		return Member{}, err
	}
	now := s.Clock.Now()
	today := progToday(now)
	if err := in.Validate(today); err != nil {
		return Member{}, err
	}
	var out Member
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		if _, err := bodyGet(ctx, tx, a.Tenant, bodyID, today); err != nil {
			return err
		}
		if err := memCheck(ctx, tx, a.Tenant, bodyID, 0, in, today); err != nil {
			return err
		}
		var id int64
		if err := tx.QueryRowContext(ctx, `INSERT INTO control_body_members (tenant_id, body_id, person_id, role, from_on, until_on, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING id`, a.Tenant, bodyID, in.PersonID, in.Role, in.FromOn, in.UntilOn, now).Scan(&id); err != nil {
			return fmt.Errorf("cannot add member: %w", err)
		}
		var err error
		if out, err = memGet(ctx, tx, a.Tenant, bodyID, id); err != nil {
			return err
		}
		if err := audit.Record(ctx, tx, now, audit.Event{Tenant: a.Tenant, Actor: a.Audit(), Action: audit.ActionCreate, Entity: EntityMember, EntityID: id,
			Summary: out.PersonName + " (" + out.Role + ")", After: out}); err != nil {
			return err
		}
		return s.bodyRetask(ctx, tx, a, bodyID)
	})
	return out, err
}

// UpdateMember changes a member's role or dates (an UntilOn ends the
// membership). The person cannot change.
func (s *Service) UpdateMember(ctx context.Context, a auth.Actor, bodyID, id int64, in MemberInput) (Member, error) {
	if err := a.Require(auth.PermControlManage); err != nil {
		return Member{}, err
	}
	now := s.Clock.Now()
	today := progToday(now)
	var out Member
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		before, err := memGet(ctx, tx, a.Tenant, bodyID, id)
		if err != nil {
			return err
		}
		in.PersonID = before.PersonID
		if err := in.Validate(today); err != nil {
			return err
		}
		if before.Version != in.Version {
			return apperr.Stale()
		}
		if err := memCheck(ctx, tx, a.Tenant, bodyID, id, in, today); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE control_body_members SET role = $3, from_on = $4, until_on = $5, updated_at = $6, version = version + 1
			WHERE tenant_id = $1 AND id = $2`, a.Tenant, id, in.Role, in.FromOn, in.UntilOn, now); err != nil {
			return fmt.Errorf("cannot update member: %w", err)
		}
		if out, err = memGet(ctx, tx, a.Tenant, bodyID, id); err != nil {
			return err
		}
		if err := audit.Record(ctx, tx, now, audit.Event{Tenant: a.Tenant, Actor: a.Audit(), Action: audit.ActionUpdate, Entity: EntityMember, EntityID: id,
			Summary: out.PersonName + " (" + out.Role + ")", Before: before, After: out}); err != nil {
			return err
		}
		if before.UntilOn != out.UntilOn {
			return s.bodyRetask(ctx, tx, a, bodyID)
		}
		return nil
	})
	return out, err
}
