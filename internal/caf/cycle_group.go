package caf

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"cadran/internal/apperr"
	"cadran/internal/audit"
	"cadran/internal/auth"
	"cadran/internal/textutil"
	"cadran/internal/work"
)

// StepsOf lists a cycle's ten steps.
func (s *Service) StepsOf(ctx context.Context, a auth.Actor, cycleID int64) ([]Step, error) {
	if _, err := s.Cycle(ctx, a, cycleID); err != nil {
		return nil, err
	}
	return stepsOf(ctx, s.DB.R, a.Tenant, cycleID)
}

func stepsOf(ctx context.Context, q querier, tenant, cycleID int64) ([]Step, error) {
	rows, err := q.QueryContext(ctx, `SELECT step, planned_on, done_on, notes FROM caf_steps WHERE tenant_id = $1 AND cycle_id = $2 ORDER BY step`, tenant, cycleID)
	if err != nil {
		return nil, fmt.Errorf("cannot read CAF steps: %w", err)
	}
	defer rows.Close()
	var out []Step
	for rows.Next() {
		var st Step
		if err := rows.Scan(&st.N, &st.PlannedOn, &st.DoneOn, &st.Notes); err != nil {
			return nil, fmt.Errorf("cannot read CAF steps: %w", err)
		}
		out = append(out, st)
	}
	return out, rows.Err()
}

// Validate checks and normalises a step against today: form fields
// caf_step_planned, caf_step_done, caf_step_notes.
func (st *Step) Validate(today time.Time) error {
	v := apperr.Validation{}
	st.PlannedOn, st.DoneOn = strings.TrimSpace(st.PlannedOn), strings.TrimSpace(st.DoneOn)
	st.Notes = strings.TrimSpace(textutil.CleanText(st.Notes))
	if st.N < 1 || st.N > Steps {
		v.Add("caf_step", "error.choice")
	}
	if _, ok := parseDay(st.PlannedOn); st.PlannedOn != "" && !ok {
		v.Add("caf_step_planned", "error.date")
	}
	if d, ok := parseDay(st.DoneOn); st.DoneOn != "" && !ok {
		v.Add("caf_step_done", "error.date")
	} else if ok && d.After(today) {
		v.Add("caf_step_done", "caf.error.future")
	}
	if utf8.RuneCountInString(st.Notes) > MaxText {
		v.Add("caf_step_notes", "error.too_long")
	}
	return v.Err()
}

// SetStep records a step's planned date, done date and notes.
func (s *Service) SetStep(ctx context.Context, a auth.Actor, cycleID int64, st Step) error {
	now := s.Clock.Now()
	if err := st.Validate(work.Day(now)); err != nil {
		return err
	}
	return s.DB.Tx(ctx, func(tx *sql.Tx) error {
		c, err := manageable(ctx, tx, a, cycleID)
		if err != nil {
			return err
		}
		if c.State == StateCancelled {
			return apperr.Conflict("caf.error.not_open")
		}
		var before Step
		err = tx.QueryRowContext(ctx, `SELECT step, planned_on, done_on, notes FROM caf_steps WHERE tenant_id = $1 AND cycle_id = $2 AND step = $3`,
			a.Tenant, cycleID, st.N).Scan(&before.N, &before.PlannedOn, &before.DoneOn, &before.Notes)
		if err == sql.ErrNoRows {
			return apperr.NotFound(EntityStep)
		}
		if err != nil {
			return fmt.Errorf("cannot read CAF step: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE caf_steps SET planned_on = $1, done_on = $2, notes = $3 WHERE tenant_id = $4 AND cycle_id = $5 AND step = $6`,
			st.PlannedOn, st.DoneOn, st.Notes, a.Tenant, cycleID, st.N); err != nil {
			return fmt.Errorf("cannot record CAF step: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE caf_cycles SET updated_at = $1 WHERE tenant_id = $2 AND id = $3`, now, a.Tenant, cycleID); err != nil {
			return fmt.Errorf("cannot record CAF step: %w", err)
		}
		return audit.Record(ctx, tx, now, audit.Event{Tenant: a.Tenant, Actor: a.Audit(), Action: audit.ActionUpdate, Entity: EntityStep, EntityID: cycleID,
			Summary: c.Code + ": etapa " + strconv.Itoa(st.N), Before: before, After: st})
	})
}

// Members lists the group.
func (s *Service) Members(ctx context.Context, a auth.Actor, cycleID int64) ([]Member, error) {
	c, err := s.Cycle(ctx, a, cycleID)
	if err != nil {
		return nil, err
	}
	return membersOf(ctx, s.DB.R, a.Tenant, c)
}

// membersOf lists c's group, the leader first, then by name, each with how
// many sub-criteria they have scored completely.
func membersOf(ctx context.Context, q querier, tenant int64, c Cycle) ([]Member, error) {
	return readMembers(ctx, q, tenant, c, 0)
}

// readMembers reads c's group, or only person in it when person is not 0.
func readMembers(ctx context.Context, q querier, tenant int64, c Cycle, person int64) ([]Member, error) {
	query := `SELECT m.person_id, p.full_name, COALESCE(u.name, ''), p.position, m.role, m.submitted_at, COALESCE(x.n, 0)
		FROM caf_members m
		JOIN people p ON p.id = m.person_id
		LEFT JOIN units u ON u.id = p.unit_id
		LEFT JOIN (SELECT person_id, COUNT(*) AS n FROM caf_assessments WHERE tenant_id = $1 AND cycle_id = $2 AND score IS NOT NULL GROUP BY person_id) x
			ON x.person_id = m.person_id
		WHERE m.tenant_id = $1 AND m.cycle_id = $2`
	args := []any{tenant, c.ID}
	if person != 0 {
		query += ` AND m.person_id = $3`
		args = append(args, person)
	}
	rows, err := q.QueryContext(ctx, query+` ORDER BY CASE WHEN m.role = 'leader' THEN 0 ELSE 1 END, p.sort_name, p.full_name, m.person_id`, args...)
	if err != nil {
		return nil, fmt.Errorf("cannot read CAF group: %w", err)
	}
	defer rows.Close()
	var out []Member
	for rows.Next() {
		var m Member
		var at sql.NullTime
		if err := rows.Scan(&m.PersonID, &m.Name, &m.UnitName, &m.Position, &m.Role, &at, &m.Assessed); err != nil {
			return nil, fmt.Errorf("cannot read CAF group: %w", err)
		}
		if at.Valid {
			t := at.Time
			m.SubmittedAt = &t
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// member reads one member of c, ok false when person is not in the group.
func member(ctx context.Context, q querier, tenant int64, c Cycle, person int64) (Member, bool, error) {
	if person == 0 {
		return Member{}, false, nil
	}
	ms, err := readMembers(ctx, q, tenant, c, person)
	if err != nil || len(ms) == 0 {
		return Member{}, false, err
	}
	return ms[0], true, nil
}

// GroupMix is how widely the group spans the institution: how many units
// and which position levels (management, execution) its members come from.
type GroupMix struct {
	Units      int
	Management int
	Execution  int
}

// Mix summarises the spread of a group, for the page to show (CAF asks
// for members from different units and levels).
func Mix(ms []Member) GroupMix {
	units := map[string]bool{}
	var g GroupMix
	for _, m := range ms {
		if m.UnitName != "" {
			units[m.UnitName] = true
		}
		switch m.Position {
		case "management":
			g.Management++
		case "execution":
			g.Execution++
		}
	}
	g.Units = len(units)
	return g
}

func (s *Service) insertMember(ctx context.Context, tx *sql.Tx, a auth.Actor, c Cycle, person int64, role string, now time.Time) error {
	if _, err := tx.ExecContext(ctx, `INSERT INTO caf_members (tenant_id, cycle_id, person_id, role) VALUES ($1, $2, $3, $4)`, a.Tenant, c.ID, person, role); err != nil {
		return fmt.Errorf("cannot add CAF member: %w", err)
	}
	if c.State == StateAssessing {
		if _, err := s.Work.Assign(ctx, tx, a, assessTask(c, person, now)); err != nil {
			return err
		}
	}
	var name string
	if err := tx.QueryRowContext(ctx, `SELECT full_name FROM people WHERE tenant_id = $1 AND id = $2`, a.Tenant, person).Scan(&name); err != nil {
		return fmt.Errorf("cannot read CAF member: %w", err)
	}
	return audit.Record(ctx, tx, now, audit.Event{Tenant: a.Tenant, Actor: a.Audit(), Action: audit.ActionCreate, Entity: EntityMember, EntityID: person,
		Summary: c.Code + ": " + name, After: map[string]any{"cycle_id": c.ID, "person_id": person, "name": name, "role": role}})
}

// AddMember adds a person to the group; each member gets a task to assess.
func (s *Service) AddMember(ctx context.Context, a auth.Actor, cycleID int64, in MemberInput) error {
	if in.Role == "" {
		in.Role = RoleMember
	}
	if in.Role != RoleMember {
		// The leader is the cycle's LeaderID, changed with UpdateCycle.
		return apperr.Validation{"caf_role": "error.choice"}
	}
	now := s.Clock.Now()
	return s.DB.Tx(ctx, func(tx *sql.Tx) error {
		c, err := manageable(ctx, tx, a, cycleID)
		if err != nil {
			return err
		}
		if c.State != StatePlanning && c.State != StateAssessing {
			return apperr.Conflict("caf.error.group_locked")
		}
		if ok, err := activePerson(ctx, tx, a.Tenant, in.PersonID); err != nil {
			return err
		} else if !ok {
			return apperr.Validation{"caf_member": "error.choice"}
		}
		if _, ok, err := member(ctx, tx, a.Tenant, c, in.PersonID); err != nil {
			return err
		} else if ok {
			return apperr.Conflict("caf.error.member_exists")
		}
		return s.insertMember(ctx, tx, a, c, in.PersonID, in.Role, now)
	})
}

// RemoveMember takes a person out of the group (not after they submitted).
func (s *Service) RemoveMember(ctx context.Context, a auth.Actor, cycleID, personID int64) error {
	now := s.Clock.Now()
	return s.DB.Tx(ctx, func(tx *sql.Tx) error {
		c, err := manageable(ctx, tx, a, cycleID)
		if err != nil {
			return err
		}
		if c.State != StatePlanning && c.State != StateAssessing {
			return apperr.Conflict("caf.error.group_locked")
		}
		m, ok, err := member(ctx, tx, a.Tenant, c, personID)
		if err != nil {
			return err
		}
		if !ok {
			return apperr.NotFound(EntityMember)
		}
		if m.Role == RoleLeader {
			return apperr.Conflict("caf.error.remove_leader")
		}
		if m.SubmittedAt != nil {
			return apperr.Conflict("caf.error.member_submitted")
		}
		// Their unfinished drafts go with them.
		if _, err := tx.ExecContext(ctx, `DELETE FROM caf_assessments WHERE tenant_id = $1 AND cycle_id = $2 AND person_id = $3`, a.Tenant, cycleID, personID); err != nil {
			return fmt.Errorf("cannot remove CAF member: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM caf_members WHERE tenant_id = $1 AND cycle_id = $2 AND person_id = $3`, a.Tenant, cycleID, personID); err != nil {
			return fmt.Errorf("cannot remove CAF member: %w", err)
		}
		if _, err := s.Work.Close(ctx, tx, a, work.Selector{Ref: cycleRef(cycleID), Kind: work.KindAct, PersonID: personID}, work.StateCancelled); err != nil {
			return err
		}
		return audit.Record(ctx, tx, now, audit.Event{Tenant: a.Tenant, Actor: a.Audit(), Action: audit.ActionDelete, Entity: EntityMember, EntityID: personID,
			Summary: c.Code + ": " + m.Name, Before: m})
	})
}
