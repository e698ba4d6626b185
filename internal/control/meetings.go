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
	"cadran/internal/textutil"
	"cadran/internal/work"
)

// Meeting is a meeting of a body and its minutes (proces-verbal).
type Meeting struct {
	ID, Tenant, BodyID int64
	Number             string // the minutes' registration number
	HeldOn             string // the day, planned or held
	Place              string
	Agenda             string
	Minutes            string // the discussion
	State              string // MeetingPlanned, MeetingHeld
	CreatedAt          time.Time
	UpdatedAt          time.Time
	Version            int
	// Filled in by reads.
	BodyName, BodyKind string
	Attendees          []Attendee // only by Meeting
	Decisions          int
}

// Href is the meeting's page.
func (m Meeting) Href() string { return meetingHref(m.ID) }

// Attendee is a member present at a meeting.
type Attendee struct {
	PersonID   int64
	PersonName string
	Role       string // the role in the body, "" if no longer a member
}

// MeetingInput plans a meeting or changes one. Attendees are the people
// present (members of the body); nil keeps them as they are on update.
type MeetingInput struct {
	BodyID                        int64 // on creation only
	Number, HeldOn, Place, Agenda string
	Minutes                       string
	Attendees                     []int64
	Version                       int
}

// MeetingMove marks a meeting held (its attend tasks are done) or planned
// again.
type MeetingMove struct {
	To      string // MeetingHeld, MeetingPlanned
	Version int
}

// MeetingFilter narrows the meetings list.
type MeetingFilter struct {
	BodyID  int64
	Kind    string
	State   string
	Year    int
	Query   string // agenda, place, number
	Sort    string // date (default), body, number, state
	Desc    bool
	Page    int
	PerPage int
}

// MeetingSorts lists the meetings list's sort keys.
var MeetingSorts = []string{"date", "body", "number", "state"}

// MeetingPage is one page of meetings.
type MeetingPage struct {
	Items []Meeting
	Total int
}

// Decision is what a held meeting decided; one with an owner and a due
// date is a task.
type Decision struct {
	ID, Tenant, MeetingID int64
	Number                string // "Hotărârea nr. 3/2026"
	Text                  string
	OwnerID               int64
	DueOn                 string
	State                 string // ActionOpen, ActionDone, ActionCancelled
	DoneOn                string
	CreatedAt             time.Time
	UpdatedAt             time.Time
	Version               int
	// Filled in by reads.
	OwnerName, BodyName, MeetingNumber, MeetingOn string
}

// Overdue reports whether the decision is open after its due day.
func (d Decision) Overdue(today string) bool {
	return d.State == ActionOpen && d.DueOn != "" && d.DueOn < today
}

// DecisionInput adds or changes a decision. State defaults to open;
// DoneOn defaults to today when done.
type DecisionInput struct {
	Number, Text string
	OwnerID      int64
	DueOn        string
	State        string
	DoneOn       string
	Version      int
}

// DecisionFilter narrows the decisions list.
type DecisionFilter struct {
	MeetingID, BodyID, OwnerID int64
	State                      string
	Overdue                    bool
	Sort                       string // due (default), number, state, date
	Desc                       bool
	Page                       int
	PerPage                    int
}

// DecisionPage is one page of decisions.
type DecisionPage struct {
	Items []Decision
	Total int
}

// Field names of the meeting and decision forms.
const (
	FieldMeetBody      = "meet_body_id"
	FieldMeetNumber    = "meet_number"
	FieldMeetHeldOn    = "meet_held_on"
	FieldMeetPlace     = "meet_place"
	FieldMeetAgenda    = "meet_agenda"
	FieldMeetMinutes   = "meet_minutes"
	FieldMeetAttendees = "meet_attendees"
	FieldDecNumber     = "dec_number"
	FieldDecText       = "dec_text"
	FieldDecOwner      = "dec_owner_id"
	FieldDecDue        = "dec_due_on"
	FieldDecState      = "dec_state"
	FieldDecDoneOn     = "dec_done_on"
)

// Validate checks a meeting's input and normalises it.
func (in *MeetingInput) Validate() error {
	v := apperr.Validation{}
	progCheckLine(v, FieldMeetNumber, &in.Number, progMaxShort, false)
	progCheckDay(v, FieldMeetHeldOn, &in.HeldOn, true)
	progCheckLine(v, FieldMeetPlace, &in.Place, progMaxShort, false)
	progCheckText(v, FieldMeetAgenda, &in.Agenda, progMaxText, false)
	progCheckText(v, FieldMeetMinutes, &in.Minutes, 4*progMaxText, false)
	return v.Err()
}

// Validate checks a decision's input and normalises it; today is the
// default day it was carried out.
func (in *DecisionInput) Validate(today string) error {
	v := apperr.Validation{}
	progCheckLine(v, FieldDecNumber, &in.Number, progMaxShort, false)
	progCheckText(v, FieldDecText, &in.Text, progMaxText, true)
	progCheckDay(v, FieldDecDue, &in.DueOn, false)
	if in.State == "" {
		in.State = ActionOpen
	}
	if !slices.Contains(ActionStates, in.State) {
		v.Add(FieldDecState, "error.choice")
	}
	if in.State == ActionDone {
		if strings.TrimSpace(in.DoneOn) == "" {
			in.DoneOn = today
		}
		progCheckDay(v, FieldDecDoneOn, &in.DoneOn, true)
	} else {
		in.DoneOn = ""
	}
	return v.Err()
}

const meetColumns = `mt.id, mt.tenant_id, mt.body_id, mt.number, mt.held_on, mt.place, mt.agenda, mt.minutes, mt.state,
	mt.created_at, mt.updated_at, mt.version, b.name, b.kind,
	(SELECT COUNT(*) FROM control_decisions d WHERE d.tenant_id = mt.tenant_id AND d.meeting_id = mt.id)`

const meetFrom = ` FROM control_meetings mt JOIN control_bodies b ON b.tenant_id = mt.tenant_id AND b.id = mt.body_id`

func meetScan(row interface{ Scan(...any) error }) (Meeting, error) {
	var m Meeting
	err := row.Scan(&m.ID, &m.Tenant, &m.BodyID, &m.Number, &m.HeldOn, &m.Place, &m.Agenda, &m.Minutes, &m.State,
		&m.CreatedAt, &m.UpdatedAt, &m.Version, &m.BodyName, &m.BodyKind, &m.Decisions)
	return m, err
}

// meetGet reads a meeting with its attendees.
func meetGet(ctx context.Context, q progQuerier, tenant, id int64) (Meeting, error) {
	m, err := meetScan(q.QueryRowContext(ctx, `SELECT `+meetColumns+meetFrom+` WHERE mt.tenant_id = $1 AND mt.id = $2`, tenant, id))
	if errors.Is(err, sql.ErrNoRows) {
		return Meeting{}, apperr.NotFound(EntityMeeting)
	}
	if err != nil {
		return Meeting{}, fmt.Errorf("cannot read meeting: %w", err)
	}
	rows, err := q.QueryContext(ctx, `SELECT a.person_id, p.full_name,
			COALESCE((SELECT MIN(m.role) FROM control_body_members m WHERE m.tenant_id = a.tenant_id AND m.body_id = $3 AND m.person_id = a.person_id), '')
		FROM control_meeting_attendees a JOIN people p ON p.tenant_id = a.tenant_id AND p.id = a.person_id
		WHERE a.tenant_id = $1 AND a.meeting_id = $2 ORDER BY p.sort_name, p.id`, tenant, id, m.BodyID)
	if err != nil {
		return Meeting{}, fmt.Errorf("cannot read attendees: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var at Attendee
		if err := rows.Scan(&at.PersonID, &at.PersonName, &at.Role); err != nil {
			return Meeting{}, fmt.Errorf("cannot read attendees: %w", err)
		}
		m.Attendees = append(m.Attendees, at)
	}
	return m, rows.Err()
}

var meetSorts = map[string]string{"date": "mt.held_on", "body": "b.name", "number": "mt.number", "state": "mt.state"}

// Meetings lists meetings.
func (s *Service) Meetings(ctx context.Context, a auth.Actor, f MeetingFilter) (MeetingPage, error) {
	if err := a.Require(auth.PermControlView); err != nil {
		return MeetingPage{}, err
	}
	where := ` WHERE mt.tenant_id = $1`
	args := []any{a.Tenant}
	add := func(cond string, v any) {
		args = append(args, v)
		where += fmt.Sprintf(" AND "+cond, len(args))
	}
	if f.BodyID > 0 {
		add(`mt.body_id = $%d`, f.BodyID)
	}
	if slices.Contains(BodyKinds, f.Kind) {
		add(`b.kind = $%d`, f.Kind)
	}
	if f.State == MeetingPlanned || f.State == MeetingHeld {
		add(`mt.state = $%d`, f.State)
	}
	if f.Year > 0 {
		add(`mt.held_on LIKE $%d`, fmt.Sprintf("%04d-%%", f.Year))
	}
	if q := textutil.Fold(strings.TrimSpace(f.Query)); q != "" {
		// No search_text column: the number, place and agenda, as typed.
		args = append(args, "%"+strings.TrimSpace(f.Query)+"%")
		where += fmt.Sprintf(` AND (LOWER(mt.number) LIKE LOWER($%d) OR LOWER(mt.place) LIKE LOWER($%d) OR LOWER(mt.agenda) LIKE LOWER($%d))`, len(args), len(args), len(args))
	}
	if f.Sort == "" {
		f.Sort, f.Desc = "date", true
	}
	var out MeetingPage
	var err error
	out.Items, out.Total, err = db.Page(ctx, s.DB.R, "meetings", db.PageQuery{Select: meetColumns, From: meetFrom + where, Args: args,
		Sorts: meetSorts, Sort: f.Sort, Desc: f.Desc, Default: "date", Tail: "mt.id", Page: f.Page, PerPage: f.PerPage},
		func(r *sql.Rows) (Meeting, error) { return meetScan(r) })
	return out, err
}

// Meeting reads one meeting with its attendees.
func (s *Service) Meeting(ctx context.Context, a auth.Actor, id int64) (Meeting, error) {
	if err := a.Require(auth.PermControlView); err != nil {
		return Meeting{}, err
	}
	return meetGet(ctx, s.DB.R, a.Tenant, id)
}

// meetSetAttendees replaces a meeting's attendees; each must be (or have
// been) a member of its body.
func meetSetAttendees(ctx context.Context, tx *sql.Tx, tenant, meetingID, bodyID int64, people []int64) error {
	slices.Sort(people)
	people = slices.Compact(people)
	for _, p := range people {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM control_body_members WHERE tenant_id = $1 AND body_id = $2 AND person_id = $3`,
			tenant, bodyID, p).Scan(&n); err != nil {
			return fmt.Errorf("cannot check attendee: %w", err)
		}
		if n == 0 {
			return apperr.Validation{FieldMeetAttendees: "controlprog.error.attendee"}
		}
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM control_meeting_attendees WHERE tenant_id = $1 AND meeting_id = $2`, tenant, meetingID); err != nil {
		return fmt.Errorf("cannot change attendees: %w", err)
	}
	for _, p := range people {
		if _, err := tx.ExecContext(ctx, `INSERT INTO control_meeting_attendees (tenant_id, meeting_id, person_id) VALUES ($1, $2, $3)`, tenant, meetingID, p); err != nil {
			return fmt.Errorf("cannot change attendees: %w", err)
		}
	}
	return nil
}

// meetRetask gives a planned meeting's current members (active people)
// their attend tasks due its day, replacing the ones it had.
func (s *Service) meetRetask(ctx context.Context, tx *sql.Tx, a auth.Actor, m Meeting) error {
	if _, err := s.Work.Close(ctx, tx, a, workSel(meetingRef(m.ID)), work.StateCancelled); err != nil {
		return err
	}
	if m.State != MeetingPlanned {
		return nil
	}
	people, err := progIDs(ctx, tx, `SELECT DISTINCT m.person_id FROM control_body_members m JOIN people p ON p.tenant_id = m.tenant_id AND p.id = m.person_id
		WHERE m.tenant_id = $1 AND m.body_id = $2 AND p.active AND m.from_on <= $3 AND (m.until_on = '' OR m.until_on >= $3) ORDER BY m.person_id`,
		a.Tenant, m.BodyID, m.HeldOn)
	if err != nil {
		return err
	}
	due, _ := progDay(m.HeldOn)
	title := progClip(fmt.Sprintf("Ședința: %s, %s", m.BodyName, due.Format("02.01.2006")), 250)
	ts := make([]work.NewTask, 0, len(people))
	for _, p := range people {
		ts = append(ts, work.NewTask{Ref: meetingRef(m.ID), Kind: work.KindAttend, Title: title, Details: progClip(m.Place, 200),
			Link: m.Href(), Assignee: work.Assignee{PersonID: p}, Due: due})
	}
	for _, t := range ts {
		if _, err := s.Work.Assign(ctx, tx, a, t); err != nil {
			return err
		}
	}
	return nil
}

// CreateMeeting plans a meeting of an active body: each current member
// gets an attend task due its day.
func (s *Service) CreateMeeting(ctx context.Context, a auth.Actor, in MeetingInput) (Meeting, error) {
	if err := a.Require(auth.PermControlManage); err != nil {
		return Meeting{}, err
	}
	v := apperr.Validation{}
	if in.BodyID <= 0 {
		v.Add(FieldMeetBody, "error.required")
	}
	if err := in.Validate(); err != nil {
		bad, _ := apperr.AsValidation(err)
		for k, key := range bad {
			v.Add(k, key)
		}
	}
	if err := v.Err(); err != nil {
		return Meeting{}, err
	}
	now := s.Clock.Now()
	var out Meeting
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		b, err := bodyGet(ctx, tx, a.Tenant, in.BodyID, progToday(now))
		if apperr.KindOf(err) == apperr.KindNotFound {
			return apperr.Validation{FieldMeetBody: "error.choice"}
		}
		if err != nil {
			return err
		}
		if !b.Active {
			return apperr.Validation{FieldMeetBody: "controlprog.error.body_inactive"}
		}
		var id int64
		if err := tx.QueryRowContext(ctx, `INSERT INTO control_meetings (tenant_id, body_id, number, held_on, place, agenda, minutes, state, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) RETURNING id`, a.Tenant, in.BodyID, in.Number, in.HeldOn, in.Place, in.Agenda, in.Minutes,
			MeetingPlanned, now).Scan(&id); err != nil {
			return fmt.Errorf("cannot create meeting: %w", err)
		}
		if len(in.Attendees) > 0 {
			if err := meetSetAttendees(ctx, tx, a.Tenant, id, in.BodyID, in.Attendees); err != nil {
				return err
			}
		}
		if out, err = meetGet(ctx, tx, a.Tenant, id); err != nil {
			return err
		}
		if err := audit.Record(ctx, tx, now, audit.Event{Tenant: a.Tenant, Actor: a.Audit(), Action: audit.ActionCreate, Entity: EntityMeeting, EntityID: id,
			Summary: out.BodyName + " " + out.HeldOn, After: out}); err != nil {
			return err
		}
		return s.meetRetask(ctx, tx, a, out)
	})
	return out, err
}

// UpdateMeeting changes a meeting; a new day moves the attend tasks.
func (s *Service) UpdateMeeting(ctx context.Context, a auth.Actor, id int64, in MeetingInput) (Meeting, error) {
	if err := a.Require(auth.PermControlManage); err != nil {
		return Meeting{}, err
	}
	if err := in.Validate(); err != nil {
		return Meeting{}, err
	}
	now := s.Clock.Now()
	var out Meeting
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		before, err := meetGet(ctx, tx, a.Tenant, id)
		if err != nil {
			return err
		}
		if before.Version != in.Version {
			return apperr.Stale()
		}
		if _, err := tx.ExecContext(ctx, `UPDATE control_meetings SET number = $3, held_on = $4, place = $5, agenda = $6, minutes = $7,
				updated_at = $8, version = version + 1 WHERE tenant_id = $1 AND id = $2`,
			a.Tenant, id, in.Number, in.HeldOn, in.Place, in.Agenda, in.Minutes, now); err != nil {
			return fmt.Errorf("cannot update meeting: %w", err)
		}
		if in.Attendees != nil {
			if err := meetSetAttendees(ctx, tx, a.Tenant, id, before.BodyID, in.Attendees); err != nil {
				return err
			}
		}
		if out, err = meetGet(ctx, tx, a.Tenant, id); err != nil {
			return err
		}
		if err := audit.Record(ctx, tx, now, audit.Event{Tenant: a.Tenant, Actor: a.Audit(), Action: audit.ActionUpdate, Entity: EntityMeeting, EntityID: id,
			Summary: out.BodyName + " " + out.HeldOn, Before: before, After: out}); err != nil {
			return err
		}
		if out.State == MeetingPlanned && (out.HeldOn != before.HeldOn || out.Place != before.Place) {
			return s.meetRetask(ctx, tx, a, out)
		}
		return nil
	})
	return out, err
}

// MoveMeeting marks a meeting held (its attend tasks done) or planned
// again (its members' tasks back).
func (s *Service) MoveMeeting(ctx context.Context, a auth.Actor, id int64, mv MeetingMove) (Meeting, error) {
	if err := a.Require(auth.PermControlManage); err != nil {
		return Meeting{}, err
	}
	now := s.Clock.Now()
	var out Meeting
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		before, err := meetGet(ctx, tx, a.Tenant, id)
		if err != nil {
			return err
		}
		if before.Version != mv.Version {
			return apperr.Stale()
		}
		switch {
		case mv.To == MeetingHeld && before.State == MeetingPlanned:
			if before.HeldOn > progToday(now) {
				return apperr.Conflict("controlprog.error.meeting_future")
			}
		case mv.To == MeetingPlanned && before.State == MeetingHeld:
		default:
			return apperr.Conflict("workflow.error.transition")
		}
		if _, err := tx.ExecContext(ctx, `UPDATE control_meetings SET state = $3, updated_at = $4, version = version + 1 WHERE tenant_id = $1 AND id = $2`,
			a.Tenant, id, mv.To, now); err != nil {
			return fmt.Errorf("cannot move meeting: %w", err)
		}
		if out, err = meetGet(ctx, tx, a.Tenant, id); err != nil {
			return err
		}
		if err := audit.Record(ctx, tx, now, audit.Event{Tenant: a.Tenant, Actor: a.Audit(), Action: audit.ActionTransition, Entity: EntityMeeting, EntityID: id,
			Summary: out.BodyName + " " + out.HeldOn + ": " + mv.To, Before: before, After: out}); err != nil {
			return err
		}
		if mv.To == MeetingHeld {
			_, err = s.Work.Close(ctx, tx, a, workSel(meetingRef(id)), work.StateDone)
			return err
		}
		return s.meetRetask(ctx, tx, a, out)
	})
	return out, err
}

const decColumns = `d.id, d.tenant_id, d.meeting_id, d.number, d.text, d.owner_id, d.due_on, d.state, d.done_on, d.created_at, d.updated_at, d.version,
	COALESCE(pe.full_name, ''), b.name, mt.number, mt.held_on`

const decFrom = ` FROM control_decisions d
	JOIN control_meetings mt ON mt.tenant_id = d.tenant_id AND mt.id = d.meeting_id
	JOIN control_bodies b ON b.tenant_id = d.tenant_id AND b.id = mt.body_id
	LEFT JOIN people pe ON pe.tenant_id = d.tenant_id AND pe.id = d.owner_id`

func decScan(row interface{ Scan(...any) error }) (Decision, error) {
	var d Decision
	var owner sql.NullInt64
	err := row.Scan(&d.ID, &d.Tenant, &d.MeetingID, &d.Number, &d.Text, &owner, &d.DueOn, &d.State, &d.DoneOn, &d.CreatedAt, &d.UpdatedAt, &d.Version,
		&d.OwnerName, &d.BodyName, &d.MeetingNumber, &d.MeetingOn)
	d.OwnerID = owner.Int64
	return d, err
}

func decGet(ctx context.Context, q progQuerier, tenant, id int64) (Decision, error) {
	d, err := decScan(q.QueryRowContext(ctx, `SELECT `+decColumns+decFrom+` WHERE d.tenant_id = $1 AND d.id = $2`, tenant, id))
	if errors.Is(err, sql.ErrNoRows) {
		return Decision{}, apperr.NotFound(EntityDecision)
	}
	if err != nil {
		return Decision{}, fmt.Errorf("cannot read decision: %w", err)
	}
	return d, nil
}

var decSorts = map[string]string{"due": "d.due_on", "number": "d.number", "state": "d.state", "date": "mt.held_on"}

// Decisions lists decisions.
func (s *Service) Decisions(ctx context.Context, a auth.Actor, f DecisionFilter) (DecisionPage, error) {
	if err := a.Require(auth.PermControlView); err != nil {
		return DecisionPage{}, err
	}
	where := ` WHERE d.tenant_id = $1`
	args := []any{a.Tenant}
	add := func(cond string, v any) {
		args = append(args, v)
		where += fmt.Sprintf(" AND "+cond, len(args))
	}
	if f.MeetingID > 0 {
		add(`d.meeting_id = $%d`, f.MeetingID)
	}
	if f.BodyID > 0 {
		add(`mt.body_id = $%d`, f.BodyID)
	}
	if f.OwnerID > 0 {
		add(`d.owner_id = $%d`, f.OwnerID)
	}
	if slices.Contains(ActionStates, f.State) {
		add(`d.state = $%d`, f.State)
	}
	if f.Overdue {
		add(`d.state = 'open' AND d.due_on <> '' AND d.due_on < $%d`, progToday(s.Clock.Now()))
	}
	var out DecisionPage
	var err error
	out.Items, out.Total, err = db.Page(ctx, s.DB.R, "decisions", db.PageQuery{Select: decColumns, From: decFrom + where, Args: args,
		Sorts: decSorts, Sort: f.Sort, Desc: f.Desc, Default: "date", Tail: "d.id", Page: f.Page, PerPage: f.PerPage},
		func(r *sql.Rows) (Decision, error) { return decScan(r) })
	return out, err
}

// Decision reads one decision.
func (s *Service) Decision(ctx context.Context, a auth.Actor, id int64) (Decision, error) {
	if err := a.Require(auth.PermControlView); err != nil {
		return Decision{}, err
	}
	return decGet(ctx, s.DB.R, a.Tenant, id)
}

// decRetask gives an open decision with an owner and a due date its task.
func (s *Service) decRetask(ctx context.Context, tx *sql.Tx, a auth.Actor, d Decision) error {
	if _, err := s.Work.Close(ctx, tx, a, workSel(decisionRef(d.ID)), work.StateCancelled); err != nil {
		return err
	}
	if d.State != ActionOpen || d.OwnerID == 0 || d.DueOn == "" {
		return nil
	}
	_, active, ok, err := progPerson(ctx, tx, d.Tenant, d.OwnerID)
	if err != nil || !ok || !active {
		return err
	}
	due, _ := progDay(d.DueOn)
	title := d.Text
	if d.Number != "" {
		title = d.Number + ": " + d.Text
	}
	_, err = s.Work.Assign(ctx, tx, a, work.NewTask{Ref: decisionRef(d.ID), Kind: work.KindAct, Title: progClip(title, 250),
		Details: d.BodyName, Link: meetingHref(d.MeetingID), Assignee: work.Assignee{PersonID: d.OwnerID}, Due: due})
	return err
}

// AddDecision adds a decision to a held meeting.
func (s *Service) AddDecision(ctx context.Context, a auth.Actor, meetingID int64, in DecisionInput) (Decision, error) {
	if err := a.Require(auth.PermControlManage); err != nil {
		return Decision{}, err
	}
	now := s.Clock.Now()
	if err := in.Validate(progToday(now)); err != nil {
		return Decision{}, err
	}
	var out Decision
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		m, err := meetGet(ctx, tx, a.Tenant, meetingID)
		if err != nil {
			return err
		}
		if m.State != MeetingHeld {
			return apperr.Conflict("controlprog.error.meeting_not_held")
		}
		if err := progCheckPerson(ctx, tx, a.Tenant, in.OwnerID, FieldDecOwner); err != nil {
			return err
		}
		var id int64
		if err := tx.QueryRowContext(ctx, `INSERT INTO control_decisions (tenant_id, meeting_id, number, text, owner_id, due_on, state, done_on, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) RETURNING id`, a.Tenant, meetingID, in.Number, in.Text, progNull(in.OwnerID), in.DueOn,
			in.State, in.DoneOn, now).Scan(&id); err != nil {
			return fmt.Errorf("cannot add decision: %w", err)
		}
		if out, err = decGet(ctx, tx, a.Tenant, id); err != nil {
			return err
		}
		if err := audit.Record(ctx, tx, now, audit.Event{Tenant: a.Tenant, Actor: a.Audit(), Action: audit.ActionCreate, Entity: EntityDecision, EntityID: id,
			Summary: progClip(out.Number+" "+out.Text, 120), After: out}); err != nil {
			return err
		}
		return s.decRetask(ctx, tx, a, out)
	})
	return out, err
}

// UpdateDecision changes a decision of a meeting (its state too): done
// closes its task, a new owner or due date moves it.
func (s *Service) UpdateDecision(ctx context.Context, a auth.Actor, meetingID, id int64, in DecisionInput) (Decision, error) {
	if err := a.Require(auth.PermControlManage); err != nil {
		return Decision{}, err
	}
	now := s.Clock.Now()
	if err := in.Validate(progToday(now)); err != nil {
		return Decision{}, err
	}
	var out Decision
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		before, err := decGet(ctx, tx, a.Tenant, id)
		if err != nil {
			return err
		}
		if before.MeetingID != meetingID {
			return apperr.NotFound(EntityDecision)
		}
		if before.Version != in.Version {
			return apperr.Stale()
		}
		if err := progCheckPerson(ctx, tx, a.Tenant, in.OwnerID, FieldDecOwner); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE control_decisions SET number = $3, text = $4, owner_id = $5, due_on = $6, state = $7, done_on = $8,
				updated_at = $9, version = version + 1 WHERE tenant_id = $1 AND id = $2`,
			a.Tenant, id, in.Number, in.Text, progNull(in.OwnerID), in.DueOn, in.State, in.DoneOn, now); err != nil {
			return fmt.Errorf("cannot update decision: %w", err)
		}
		if out, err = decGet(ctx, tx, a.Tenant, id); err != nil {
			return err
		}
		action := audit.ActionUpdate
		if out.State != before.State {
			action = map[string]string{ActionDone: audit.ActionComplete, ActionCancelled: audit.ActionCancel, ActionOpen: audit.ActionUpdate}[out.State]
		}
		if err := audit.Record(ctx, tx, now, audit.Event{Tenant: a.Tenant, Actor: a.Audit(), Action: action, Entity: EntityDecision, EntityID: id,
			Summary: progClip(out.Number+" "+out.Text, 120), Before: before, After: out}); err != nil {
			return err
		}
		switch {
		case out.State == ActionDone && before.State != ActionDone:
			_, err = s.Work.Close(ctx, tx, a, workSel(decisionRef(id)), work.StateDone)
			return err
		case out.State != before.State || out.OwnerID != before.OwnerID || out.DueOn != before.DueOn || out.Text != before.Text || out.Number != before.Number:
			return s.decRetask(ctx, tx, a, out)
		}
		return nil
	})
	return out, err
}
