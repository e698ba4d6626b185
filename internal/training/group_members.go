package training

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"cadran/internal/apperr"
	"cadran/internal/audit"
	"cadran/internal/auth"
	"cadran/internal/db"
	"cadran/internal/org"
	"cadran/internal/work"
)

// grpPerson is what adding a member needs to know of a person.
type grpPerson struct {
	ID                   int64
	Name                 string
	Position, Employment string
	Active               bool
}

// CategoryOf is the category a funded project reports a person under,
// from their employment and position: an elected official is elected, a
// management position is management, contract staff is contract, anyone
// else an execution civil servant.
func CategoryOf(p org.Person) string {
	return grpCategory(p.Position, p.Employment)
}

func grpCategory(position, employment string) string {
	switch {
	case employment == org.EmploymentElected:
		return CategoryElected
	case position == org.PositionManagement:
		return CategoryManagement
	case employment == org.EmploymentContract:
		return CategoryContract
	default:
		return CategoryExecution
	}
}

// grpPeople reads the named people of the institution; a person of
// another institution, or none, is missing from the map.
func grpPeople(ctx context.Context, q querier, tenant int64, ids []int64) (map[int64]grpPerson, error) {
	out := map[int64]grpPerson{}
	for start := 0; start < len(ids); start += 500 {
		chunk := ids[start:min(len(ids), start+500)]
		list, args := sesInList(chunk, []any{tenant})
		rows, err := q.QueryContext(ctx, `SELECT id, full_name, position, employment, active FROM people WHERE tenant_id = $1 AND id IN (`+list+`)`, args...)
		if err != nil {
			return nil, fmt.Errorf("cannot read people: %w", err)
		}
		for rows.Next() {
			var p grpPerson
			if err := rows.Scan(&p.ID, &p.Name, &p.Position, &p.Employment, &p.Active); err != nil {
				rows.Close()
				return nil, fmt.Errorf("cannot read person: %w", err)
			}
			out[p.ID] = p
		}
		err = rows.Err()
		rows.Close()
		if err != nil {
			return nil, fmt.Errorf("cannot read people: %w", err)
		}
	}
	return out, nil
}

// grpUnique drops zero and repeated ids, keeping the order.
func grpUnique(ids []int64) []int64 {
	var out []int64
	seen := map[int64]bool{}
	for _, id := range ids {
		if id > 0 && !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}

const grpMemberColumns = `m.id, m.tenant_id, m.group_id, m.person_id, m.category, m.gender, m.birth_year, m.education, m.residence,
	m.consent, m.joined_on, m.left_on, m.created_at, m.updated_at, m.version,
	p.full_name, p.job_title, COALESCE(p.unit_id, 0), COALESCE(u.name, '')`

const grpMemberFrom = ` FROM training_group_members m
	JOIN people p ON p.tenant_id = m.tenant_id AND p.id = m.person_id
	LEFT JOIN units u ON u.tenant_id = p.tenant_id AND u.id = p.unit_id`

func grpScanMember(row interface{ Scan(...any) error }, more ...any) (Member, error) {
	var m Member
	dest := []any{&m.ID, &m.Tenant, &m.GroupID, &m.PersonID, &m.Category, &m.Gender, &m.BirthYear, &m.Education, &m.Residence,
		&m.Consent, &m.JoinedOn, &m.LeftOn, &m.CreatedAt, &m.UpdatedAt, &m.Version,
		&m.Name, &m.JobTitle, &m.UnitID, &m.UnitName}
	err := row.Scan(append(dest, more...)...)
	return m, err
}

func grpGetMember(ctx context.Context, q querier, tenant, groupID, id int64) (Member, error) {
	m, err := grpScanMember(q.QueryRowContext(ctx, `SELECT `+grpMemberColumns+grpMemberFrom+` WHERE m.tenant_id = $1 AND m.group_id = $2 AND m.id = $3`, tenant, groupID, id))
	if errors.Is(err, sql.ErrNoRows) {
		return Member{}, apperr.NotFound(EntityMember)
	}
	if err != nil {
		return Member{}, fmt.Errorf("cannot read target group member: %w", err)
	}
	return m, nil
}

// Members lists a group's members (those who left too, last), with the
// hours and programmes each completed.
func (s *Service) Members(ctx context.Context, a auth.Actor, groupID int64) ([]Member, error) {
	if err := a.Require(auth.PermTrainingRecords); err != nil {
		return nil, err
	}
	if _, err := grpGet(ctx, s.DB.R, a.Tenant, groupID); err != nil {
		return nil, err
	}
	rows, err := s.DB.R.QueryContext(ctx, `SELECT `+grpMemberColumns+`, COALESCE(x.hours, 0.0), COALESCE(x.done, 0)`+grpMemberFrom+`
		LEFT JOIN (SELECT e.person_id,
				SUM(CASE WHEN e.state <> 'withdrawn' THEN e.hours ELSE 0 END) AS hours,
				COUNT(DISTINCT CASE WHEN e.state = 'completed' THEN pr.id END) AS done
			FROM training_enrolments e
			JOIN training_sessions s ON s.tenant_id = e.tenant_id AND s.id = e.session_id
			JOIN training_programmes pr ON pr.tenant_id = s.tenant_id AND pr.id = s.programme_id
			WHERE e.tenant_id = $1 AND pr.group_id = $2
			GROUP BY e.person_id) x ON x.person_id = m.person_id
		WHERE m.tenant_id = $1 AND m.group_id = $2
		ORDER BY CASE WHEN m.left_on = '' THEN 0 ELSE 1 END, p.sort_name, m.id`, a.Tenant, groupID)
	if err != nil {
		return nil, fmt.Errorf("cannot list target group members: %w", err)
	}
	defer rows.Close()
	var out []Member
	for rows.Next() {
		var hours float64
		var done int
		m, err := grpScanMember(rows, &hours, &done)
		if err != nil {
			return nil, fmt.Errorf("cannot read target group member: %w", err)
		}
		m.Hours, m.Completed = hours, done
		out = append(out, m)
	}
	return out, rows.Err()
}

// grpInsertMember stores a member (the input validated, the person of the
// institution) and audits it.
func (s *Service) grpInsertMember(ctx context.Context, tx *sql.Tx, a auth.Actor, g Group, p grpPerson, in MemberInput, now time.Time) (Member, error) {
	if in.Category == "" {
		in.Category = grpCategory(p.Position, p.Employment)
	}
	var id int64
	err := tx.QueryRowContext(ctx, `INSERT INTO training_group_members (tenant_id, group_id, person_id, category, gender, birth_year, education, residence,
			consent, joined_on, left_on, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12) RETURNING id`,
		a.Tenant, g.ID, p.ID, in.Category, in.Gender, in.BirthYear, in.Education, in.Residence, in.Consent, in.JoinedOn, in.LeftOn, now).Scan(&id)
	if db.IsUniqueViolation(err) {
		return Member{}, apperr.Validation{FieldMemberPerson: "training.error.member.exists"}
	}
	if err != nil {
		return Member{}, fmt.Errorf("cannot add target group member: %w", err)
	}
	m, err := grpGetMember(ctx, tx, a.Tenant, g.ID, id)
	if err != nil {
		return Member{}, err
	}
	return m, audit.Record(ctx, tx, now, audit.Event{Tenant: a.Tenant, Actor: a.Audit(), Action: audit.ActionCreate, Entity: EntityMember, EntityID: id,
		Summary: g.Code + ": " + m.Name, After: m})
}

// AddMembers adds people to a group, their category taken from each
// person; returns how many were added (people already in it are skipped).
func (s *Service) AddMembers(ctx context.Context, a auth.Actor, groupID int64, people []int64, joinedOn string) (int, error) {
	if err := a.Require(auth.PermTrainingManage); err != nil {
		return 0, err
	}
	now := s.Clock.Now()
	v := apperr.Validation{}
	if joinedOn == "" {
		joinedOn = work.Day(now).Format(time.DateOnly)
	}
	grpCheckDay(v, FieldMemberJoined, &joinedOn, true)
	people = grpUnique(people)
	if len(people) == 0 {
		v.Add(FieldMemberPerson, "error.required")
	}
	if err := v.Err(); err != nil {
		return 0, err
	}
	added := 0
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		g, err := grpGet(ctx, tx, a.Tenant, groupID)
		if err != nil {
			return err
		}
		found, err := grpPeople(ctx, tx, a.Tenant, people)
		if err != nil {
			return err
		}
		for _, id := range people {
			if _, ok := found[id]; !ok {
				return apperr.Validation{FieldMemberPerson: "error.choice"}
			}
		}
		in := map[int64]bool{}
		rows, err := tx.QueryContext(ctx, `SELECT person_id FROM training_group_members WHERE tenant_id = $1 AND group_id = $2`, a.Tenant, groupID)
		if err != nil {
			return fmt.Errorf("cannot read target group members: %w", err)
		}
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return fmt.Errorf("cannot read target group member: %w", err)
			}
			in[id] = true
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return fmt.Errorf("cannot read target group members: %w", err)
		}
		for _, id := range people {
			if in[id] {
				continue
			}
			if _, err := s.grpInsertMember(ctx, tx, a, g, found[id], MemberInput{PersonID: id, JoinedOn: joinedOn}, now); err != nil {
				return err
			}
			added++
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	return added, nil
}

// AddMember adds one person with their eligibility data.
func (s *Service) AddMember(ctx context.Context, a auth.Actor, groupID int64, in MemberInput) (Member, error) {
	if err := a.Require(auth.PermTrainingManage); err != nil {
		return Member{}, err
	}
	now := s.Clock.Now()
	if err := in.Validate(work.Day(now)); err != nil {
		return Member{}, err
	}
	var out Member
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		g, err := grpGet(ctx, tx, a.Tenant, groupID)
		if err != nil {
			return err
		}
		found, err := grpPeople(ctx, tx, a.Tenant, []int64{in.PersonID})
		if err != nil {
			return err
		}
		p, ok := found[in.PersonID]
		if !ok {
			return apperr.Validation{FieldMemberPerson: "error.choice"}
		}
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM training_group_members WHERE tenant_id = $1 AND group_id = $2 AND person_id = $3`,
			a.Tenant, groupID, in.PersonID).Scan(&n); err != nil {
			return fmt.Errorf("cannot check target group member: %w", err)
		}
		if n > 0 {
			return apperr.Validation{FieldMemberPerson: "training.error.member.exists"}
		}
		out, err = s.grpInsertMember(ctx, tx, a, g, p, in, now)
		return err
	})
	return out, err
}

// UpdateMember changes a member's eligibility data or marks them as left
// (a member is never deleted: the project reports who took part). The
// person does not change; an empty category is taken from the person again.
func (s *Service) UpdateMember(ctx context.Context, a auth.Actor, groupID, memberID int64, in MemberInput) (Member, error) {
	if err := a.Require(auth.PermTrainingManage); err != nil {
		return Member{}, err
	}
	now := s.Clock.Now()
	var out Member
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		g, err := grpGet(ctx, tx, a.Tenant, groupID)
		if err != nil {
			return err
		}
		before, err := grpGetMember(ctx, tx, a.Tenant, groupID, memberID)
		if err != nil {
			return err
		}
		in.PersonID = before.PersonID
		if err := in.Validate(work.Day(now)); err != nil {
			return err
		}
		if before.Version != in.Version {
			return apperr.Stale()
		}
		if in.Category == "" {
			found, err := grpPeople(ctx, tx, a.Tenant, []int64{before.PersonID})
			if err != nil {
				return err
			}
			p := found[before.PersonID]
			in.Category = grpCategory(p.Position, p.Employment)
		}
		res, err := tx.ExecContext(ctx, `UPDATE training_group_members SET category = $4, gender = $5, birth_year = $6, education = $7, residence = $8,
				consent = $9, joined_on = $10, left_on = $11, updated_at = $12, version = version + 1
			WHERE tenant_id = $1 AND group_id = $2 AND id = $3 AND version = $13`,
			a.Tenant, groupID, memberID, in.Category, in.Gender, in.BirthYear, in.Education, in.Residence, in.Consent, in.JoinedOn, in.LeftOn, now, in.Version)
		if err != nil {
			return fmt.Errorf("cannot update target group member: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return apperr.Stale()
		}
		if out, err = grpGetMember(ctx, tx, a.Tenant, groupID, memberID); err != nil {
			return err
		}
		return audit.Record(ctx, tx, now, audit.Event{Tenant: a.Tenant, Actor: a.Audit(), Action: audit.ActionUpdate, Entity: EntityMember, EntityID: memberID,
			Summary: g.Code + ": " + out.Name, Before: before, After: out})
	})
	return out, err
}
