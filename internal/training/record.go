package training

import (
	"context"
	"errors"
	"fmt"
	"math"

	"cadran/internal/apperr"
	"cadran/internal/auth"
	"cadran/internal/db"
	"cadran/internal/org"
	"cadran/internal/work"
)

// RecordLine is one enrolment in a training record.
type RecordLine struct {
	Enrolment
	SessionCode, ProgrammeCode, ProgrammeTitle, Topic string
	StartOn, EndOn, Place, Trainer                    string
	ProgrammeHours                                    int
	ProgrammeID                                       int64
}

// PersonRecord is a person's training record: what they attended, the
// certificates they hold, the competences required of them and held, and
// their induction plan.
type PersonRecord struct {
	Person       org.Person
	Lines        []RecordLine
	Certificates []Certificate
	Held         []Held
	// Row is the person's line of the competence matrix, with its columns.
	Competences []Competence
	Row         MatrixRow
	Induction   *Induction
	Groups      []Group
	// Hours sums the hours attended; Completed counts programmes completed.
	Hours     float64
	Completed int
}

// GroupRecordRow is one member's line of a group's record: per programme
// of the group, the enrolment's state and hours.
type GroupRecordRow struct {
	Member       Member
	Programmes   []RecordLine // one per GroupRecord.Programmes; zero value: not enrolled
	Certificates int
	Hours        float64
	// Completed counts the group's programmes the member completed.
	Completed int
}

// GroupRecord is a target group's training record, as a funded project
// reports it.
type GroupRecord struct {
	Group      Group
	Programmes []Programme
	Rows       []GroupRecordRow
}

const recordLineColumns = `e.id, e.tenant_id, e.session_id, e.person_id, e.state, e.score, e.hours, e.completed_on, e.notes, e.created_at, e.updated_at, e.version,
	p.full_name, p.job_title, COALESCE(u.name, ''),
	(SELECT COUNT(*) FROM training_attendance a WHERE a.tenant_id = e.tenant_id AND a.enrolment_id = e.id AND a.present = TRUE),
	ss.code, pr.id, pr.code, pr.title, pr.topic, ss.start_on, ss.end_on, ss.place, ss.trainer, pr.hours`

const recordLineFrom = ` FROM training_enrolments e
	JOIN training_sessions ss ON ss.id = e.session_id
	JOIN training_programmes pr ON pr.id = ss.programme_id
	JOIN people p ON p.id = e.person_id
	LEFT JOIN units u ON u.id = p.unit_id`

func scanRecordLine(row interface{ Scan(...any) error }) (RecordLine, error) {
	var l RecordLine
	var score *int64
	err := row.Scan(&l.ID, &l.Tenant, &l.SessionID, &l.PersonID, &l.State, &score, &l.Hours, &l.CompletedOn, &l.Notes, &l.CreatedAt, &l.UpdatedAt, &l.Version,
		&l.Name, &l.JobTitle, &l.UnitName, &l.DaysPresent,
		&l.SessionCode, &l.ProgrammeID, &l.ProgrammeCode, &l.ProgrammeTitle, &l.Topic, &l.StartOn, &l.EndOn, &l.Place, &l.Trainer, &l.ProgrammeHours)
	if score != nil {
		v := int(*score)
		l.Score = &v
	}
	return l, err
}

// PersonRecord reads a person's training record: their own, their units'
// for a head of unit, anyone's with the records permission.
func (s *Service) PersonRecord(ctx context.Context, a auth.Actor, personID int64) (PersonRecord, error) {
	if err := s.compMaySeePerson(ctx, s.DB.R, a, personID); err != nil {
		return PersonRecord{}, err
	}
	var r PersonRecord
	p := &r.Person
	err := s.DB.R.QueryRowContext(ctx, `SELECT p.id, p.tenant_id, COALESCE(p.unit_id, 0), p.full_name, p.email, p.phone, p.job_title, p.position, p.employment,
			p.elected_role, p.active, p.created_at, p.updated_at, p.version, COALESCE(u.name, '')
		FROM people p LEFT JOIN units u ON u.id = p.unit_id WHERE p.tenant_id = $1 AND p.id = $2`, a.Tenant, personID).
		Scan(&p.ID, &p.Tenant, &p.UnitID, &p.FullName, &p.Email, &p.Phone, &p.JobTitle, &p.Position, &p.Employment,
			&p.ElectedRole, &p.Active, &p.CreatedAt, &p.UpdatedAt, &p.Version, &p.UnitName)
	if err != nil {
		return PersonRecord{}, fmt.Errorf("cannot read person: %w", err)
	}
	rows, err := s.DB.R.QueryContext(ctx, `SELECT `+recordLineColumns+recordLineFrom+`
		WHERE e.tenant_id = $1 AND e.person_id = $2 ORDER BY ss.start_on DESC, e.id DESC`, a.Tenant, personID)
	if err != nil {
		return PersonRecord{}, fmt.Errorf("cannot read training record: %w", err)
	}
	done := map[int64]bool{}
	for rows.Next() {
		l, err := scanRecordLine(rows)
		if err != nil {
			rows.Close()
			return PersonRecord{}, fmt.Errorf("cannot read training record: %w", err)
		}
		if l.State != EnrolWithdrawn {
			r.Hours += l.Hours
		}
		if l.State == EnrolCompleted {
			done[l.ProgrammeID] = true
		}
		r.Lines = append(r.Lines, l)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return PersonRecord{}, fmt.Errorf("cannot read training record: %w", err)
	}
	r.Hours = math.Round(r.Hours*100) / 100
	r.Completed = len(done)
	certs, err := s.Certificates(ctx, a, CertificateFilter{PersonID: personID, Sort: "issued", Desc: true, PerPage: db.MaxPageSize})
	if err != nil {
		return PersonRecord{}, err
	}
	r.Certificates = certs.Items
	if r.Held, err = s.HeldBy(ctx, a, personID); err != nil {
		return PersonRecord{}, err
	}
	m, err := s.Matrix(ctx, a, MatrixFilter{PersonID: personID, PerPage: 1}, work.Day(s.Clock.Now()))
	if err != nil {
		return PersonRecord{}, err
	}
	r.Competences = m.Competences
	if len(m.Rows) > 0 {
		r.Row = m.Rows[0]
	}
	in, err := getInduction(ctx, s.DB.R, a.Tenant, "i.person_id", personID)
	switch {
	case err == nil:
		r.Induction = &in
	case !errors.Is(err, apperr.ErrNotFound):
		return PersonRecord{}, err
	}
	grows, err := s.DB.R.QueryContext(ctx, `SELECT `+grpColumns+` FROM training_groups g
		JOIN training_group_members m ON m.tenant_id = g.tenant_id AND m.group_id = g.id
		WHERE g.tenant_id = $1 AND m.person_id = $2 ORDER BY g.code`, a.Tenant, personID)
	if err != nil {
		return PersonRecord{}, fmt.Errorf("cannot read the person's target groups: %w", err)
	}
	defer grows.Close()
	for grows.Next() {
		g, err := grpScan(grows)
		if err != nil {
			return PersonRecord{}, fmt.Errorf("cannot read the person's target groups: %w", err)
		}
		r.Groups = append(r.Groups, g)
	}
	if err := grows.Err(); err != nil {
		return PersonRecord{}, fmt.Errorf("cannot read the person's target groups: %w", err)
	}
	return r, nil
}

// GroupRecord reads a target group's record: per member (those who left
// too, last) and programme of the group, the enrolment that counts (a
// completed one before any other, then the latest), the certificates the
// member holds from the group's programmes, and the hours attended in them.
func (s *Service) GroupRecord(ctx context.Context, a auth.Actor, groupID int64) (GroupRecord, error) {
	var r GroupRecord
	var err error
	if r.Group, err = s.Group(ctx, a, groupID); err != nil {
		return GroupRecord{}, err
	}
	members, err := s.Members(ctx, a, groupID)
	if err != nil {
		return GroupRecord{}, err
	}
	progs, err := s.Programmes(ctx, a, ProgrammeFilter{GroupID: groupID, Sort: "code", PerPage: db.MaxPageSize})
	if err != nil {
		return GroupRecord{}, err
	}
	r.Programmes = progs.Items
	col := map[int64]int{}
	for i, p := range r.Programmes {
		col[p.ID] = i
	}
	idx := map[int64]int{}
	r.Rows = make([]GroupRecordRow, len(members))
	for i, m := range members {
		r.Rows[i] = GroupRecordRow{Member: m, Programmes: make([]RecordLine, len(r.Programmes))}
		idx[m.PersonID] = i
	}
	if len(members) == 0 || len(r.Programmes) == 0 {
		return r, nil
	}
	// The members' enrolments in the group's programmes, the one that counts
	// last for each (completed, then the latest session).
	rows, err := s.DB.R.QueryContext(ctx, `SELECT `+recordLineColumns+recordLineFrom+`
		JOIN training_group_members gm ON gm.tenant_id = e.tenant_id AND gm.group_id = pr.group_id AND gm.person_id = e.person_id
		WHERE e.tenant_id = $1 AND pr.group_id = $2
		ORDER BY e.person_id, pr.id, CASE WHEN e.state = 'completed' THEN 1 ELSE 0 END, ss.start_on, e.id`, a.Tenant, groupID)
	if err != nil {
		return GroupRecord{}, fmt.Errorf("cannot read the group's record: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		l, err := scanRecordLine(rows)
		if err != nil {
			return GroupRecord{}, fmt.Errorf("cannot read the group's record: %w", err)
		}
		i, ok1 := idx[l.PersonID]
		c, ok2 := col[l.ProgrammeID]
		if !ok1 || !ok2 {
			continue
		}
		row := &r.Rows[i]
		if l.State != EnrolWithdrawn {
			row.Hours += l.Hours
		}
		row.Programmes[c] = l
	}
	if err := rows.Err(); err != nil {
		return GroupRecord{}, fmt.Errorf("cannot read the group's record: %w", err)
	}
	rows.Close()
	crows, err := s.DB.R.QueryContext(ctx, `SELECT c.person_id, COUNT(*) FROM training_certificates c
		JOIN training_programmes pr ON pr.id = c.programme_id
		WHERE c.tenant_id = $1 AND pr.group_id = $2 AND c.revoked = FALSE GROUP BY c.person_id`, a.Tenant, groupID)
	if err != nil {
		return GroupRecord{}, fmt.Errorf("cannot count the group's certificates: %w", err)
	}
	defer crows.Close()
	for crows.Next() {
		var person int64
		var n int
		if err := crows.Scan(&person, &n); err != nil {
			return GroupRecord{}, fmt.Errorf("cannot count the group's certificates: %w", err)
		}
		if i, ok := idx[person]; ok {
			r.Rows[i].Certificates = n
		}
	}
	if err := crows.Err(); err != nil {
		return GroupRecord{}, fmt.Errorf("cannot count the group's certificates: %w", err)
	}
	for i := range r.Rows {
		row := &r.Rows[i]
		row.Hours = math.Round(row.Hours*100) / 100
		for _, l := range row.Programmes {
			if l.State == EnrolCompleted {
				row.Completed++
			}
		}
	}
	return r, nil
}
