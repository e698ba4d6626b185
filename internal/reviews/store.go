package reviews

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"cadran/internal/apperr"
	"cadran/internal/audit"
	"cadran/internal/auth"
	"cadran/internal/db"
	"cadran/internal/textutil"
	"cadran/internal/work"
	"cadran/internal/workflow"
)

// Review is one management review: the meeting, the period it looks back
// on and where it stands.
type Review struct {
	ID         int64  `json:"id"`
	Tenant     int64  `json:"tenant_id"`
	Code       string `json:"code"`
	Year       int    `json:"year"`
	Title      string `json:"title"`
	PeriodFrom string `json:"period_from"` // YYYY-MM-DD, inclusive
	PeriodTo   string `json:"period_to"`   // YYYY-MM-DD, inclusive
	MeetingOn  string `json:"meeting_on"`
	Place      string `json:"place,omitempty"`
	ChairID    int64  `json:"chair_id,omitempty"`
	Guests     string `json:"guests,omitempty"`
	State      string `json:"state"`
	PreviousID int64  `json:"previous_id,omitempty"`
	// CompiledAt is when the inputs were last compiled, for the period
	// CompiledFrom–CompiledTo; nil before the first compilation.
	CompiledAt   *time.Time `json:"compiled_at,omitempty"`
	CompiledBy   string     `json:"compiled_by,omitempty"`
	CompiledFrom string     `json:"compiled_from,omitempty"`
	CompiledTo   string     `json:"compiled_to,omitempty"`
	HeldOn       string     `json:"held_on,omitempty"`
	ClosedOn     string     `json:"closed_on,omitempty"`
	Conclusion   string     `json:"conclusion,omitempty"`
	CancelReason string     `json:"cancel_reason,omitempty"`
	CreatedAt    time.Time  `json:"-"`
	UpdatedAt    time.Time  `json:"-"`
	Version      int        `json:"version"`
	// Filled in by reads.
	ChairName    string        `json:"-"`
	PreviousCode string        `json:"-"`
	Participants []Participant `json:"participants,omitempty"`
}

// Participant is a person of the institution invited to the meeting.
type Participant struct {
	PersonID int64  `json:"person_id"`
	Name     string `json:"name"`
	JobTitle string `json:"-"`
	UnitName string `json:"-"`
}

// Period is the span the review looks back on, as the evidence contract
// takes it: From inclusive, To exclusive.
func (r Review) Period() (from, to time.Time) {
	from, _ = parseDay(r.PeriodFrom)
	to, _ = parseDay(r.PeriodTo)
	return from, to.AddDate(0, 0, 1)
}

// Compiled reports whether the inputs were compiled.
func (r Review) Compiled() bool { return r.CompiledAt != nil }

// Stale reports whether the period changed since the inputs were compiled.
func (r Review) Stale() bool {
	return r.Compiled() && (r.CompiledFrom != r.PeriodFrom || r.CompiledTo != r.PeriodTo)
}

// Frozen reports whether the inputs may no longer be compiled: the meeting
// was held (or the review called off).
func (r Review) Frozen() bool { return r.State != StatePlanned && r.State != StatePrepared }

// MeetingDay is the day the meeting took place, or is planned.
func (r Review) MeetingDay() string {
	if r.HeldOn != "" {
		return r.HeldOn
	}
	return r.MeetingOn
}

// Input is the form of a review.
type Input struct {
	Title        string
	PeriodFrom   string
	PeriodTo     string
	MeetingOn    string
	Place        string
	ChairID      int64
	Participants []int64
	Guests       string
	Conclusion   string
	Version      int
}

// Validate checks and normalises the input.
func (in *Input) Validate() error {
	v := apperr.Validation{}
	in.Title = textutil.Clean(in.Title)
	in.Place = textutil.Clean(in.Place)
	in.Guests = strings.TrimSpace(textutil.CleanText(in.Guests))
	in.Conclusion = strings.TrimSpace(textutil.CleanText(in.Conclusion))
	switch {
	case in.Title == "":
		v.Add("title", "error.required")
	case utf8.RuneCountInString(in.Title) > MaxTitle:
		v.Add("title", "error.too_long")
	}
	from, okFrom := parseDay(in.PeriodFrom)
	to, okTo := parseDay(in.PeriodTo)
	switch {
	case strings.TrimSpace(in.PeriodFrom) == "":
		v.Add("review_period_from", "error.required")
	case !okFrom:
		v.Add("review_period_from", "error.date")
	}
	switch {
	case strings.TrimSpace(in.PeriodTo) == "":
		v.Add("review_period_to", "error.required")
	case !okTo:
		v.Add("review_period_to", "error.date")
	case okFrom && to.Before(from):
		v.Add("review_period_to", "reviews.error.period_order")
	case okFrom && to.After(from.AddDate(2, 0, 0)):
		v.Add("review_period_to", "reviews.error.period_long")
	}
	meeting, okMeeting := parseDay(in.MeetingOn)
	switch {
	case strings.TrimSpace(in.MeetingOn) == "":
		v.Add("review_meeting_on", "error.required")
	case !okMeeting:
		v.Add("review_meeting_on", "error.date")
	case okFrom && meeting.Before(from):
		v.Add("review_meeting_on", "reviews.error.meeting_before")
	}
	if okFrom {
		in.PeriodFrom = from.Format(time.DateOnly)
	}
	if okTo {
		in.PeriodTo = to.Format(time.DateOnly)
	}
	if okMeeting {
		in.MeetingOn = meeting.Format(time.DateOnly)
	}
	if utf8.RuneCountInString(in.Place) > MaxShort {
		v.Add("review_place", "error.too_long")
	}
	if in.ChairID == 0 {
		v.Add("review_chair_id", "error.required")
	}
	if utf8.RuneCountInString(in.Guests) > MaxNote {
		v.Add("review_guests", "error.too_long")
	}
	if utf8.RuneCountInString(in.Conclusion) > MaxText {
		v.Add("conclusion", "error.too_long")
	}
	ps := in.Participants[:0:0]
	for _, id := range in.Participants {
		if id > 0 && id != in.ChairID && !slices.Contains(ps, id) {
			ps = append(ps, id)
		}
	}
	in.Participants = ps
	if len(in.Participants) > 200 {
		v.Add("review_participants", "error.too_long")
	}
	return v.Err()
}

const reviewColumns = `r.id, r.tenant_id, r.code, r.year, r.title, r.period_from, r.period_to, r.meeting_on, r.place, COALESCE(r.chair_id, 0), r.guests,
	r.state, COALESCE(r.previous_id, 0), r.compiled_at, r.compiled_by, r.compiled_from, r.compiled_to, r.held_on, r.closed_on, r.conclusion, r.cancel_reason,
	r.created_at, r.updated_at, r.version, COALESCE(p.full_name, ''), COALESCE(pr.code, '')`

const reviewFrom = ` FROM reviews r
	LEFT JOIN people p ON p.tenant_id = r.tenant_id AND p.id = r.chair_id
	LEFT JOIN reviews pr ON pr.tenant_id = r.tenant_id AND pr.id = r.previous_id`

func scanReview(row interface{ Scan(...any) error }) (Review, error) {
	var r Review
	var compiled sql.NullTime
	err := row.Scan(&r.ID, &r.Tenant, &r.Code, &r.Year, &r.Title, &r.PeriodFrom, &r.PeriodTo, &r.MeetingOn, &r.Place, &r.ChairID, &r.Guests,
		&r.State, &r.PreviousID, &compiled, &r.CompiledBy, &r.CompiledFrom, &r.CompiledTo, &r.HeldOn, &r.ClosedOn, &r.Conclusion, &r.CancelReason,
		&r.CreatedAt, &r.UpdatedAt, &r.Version, &r.ChairName, &r.PreviousCode)
	if compiled.Valid {
		t := compiled.Time.UTC()
		r.CompiledAt = &t
	}
	return r, err
}

func scanReviews(rows *sql.Rows) ([]Review, error) {
	defer rows.Close()
	var out []Review
	for rows.Next() {
		r, err := scanReview(rows)
		if err != nil {
			return nil, fmt.Errorf("cannot read review: %w", err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

func getReview(ctx context.Context, q querier, tenant, id int64) (Review, error) {
	r, err := scanReview(q.QueryRowContext(ctx, `SELECT `+reviewColumns+reviewFrom+` WHERE r.tenant_id = $1 AND r.id = $2`, tenant, id))
	if errors.Is(err, sql.ErrNoRows) {
		return Review{}, apperr.NotFound("review")
	}
	if err != nil {
		return Review{}, fmt.Errorf("cannot read review: %w", err)
	}
	if r.Participants, err = participants(ctx, q, tenant, id); err != nil {
		return Review{}, err
	}
	return r, nil
}

func participants(ctx context.Context, q querier, tenant, id int64) ([]Participant, error) {
	rows, err := q.QueryContext(ctx, `SELECT p.id, p.full_name, p.job_title, COALESCE(u.name, '')
		FROM review_participants rp JOIN people p ON p.tenant_id = rp.tenant_id AND p.id = rp.person_id
		LEFT JOIN units u ON u.tenant_id = p.tenant_id AND u.id = p.unit_id
		WHERE rp.tenant_id = $1 AND rp.review_id = $2 ORDER BY p.full_name, p.id`, tenant, id)
	if err != nil {
		return nil, fmt.Errorf("cannot read participants: %w", err)
	}
	defer rows.Close()
	var out []Participant
	for rows.Next() {
		var p Participant
		if err := rows.Scan(&p.PersonID, &p.Name, &p.JobTitle, &p.UnitName); err != nil {
			return nil, fmt.Errorf("cannot read participants: %w", err)
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

func setParticipants(ctx context.Context, tx *sql.Tx, tenant, id int64, people []int64) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM review_participants WHERE tenant_id = $1 AND review_id = $2`, tenant, id); err != nil {
		return fmt.Errorf("cannot change participants: %w", err)
	}
	for _, p := range people {
		if _, err := tx.ExecContext(ctx, `INSERT INTO review_participants (tenant_id, review_id, person_id) VALUES ($1, $2, $3)`, tenant, id, p); err != nil {
			return fmt.Errorf("cannot add participant: %w", err)
		}
	}
	return nil
}

// checkPeople makes sure the chair and the participants are active people
// of the institution.
func checkPeople(ctx context.Context, q querier, tenant int64, chair int64, others []int64) error {
	active := func(id int64) (bool, error) {
		var n int
		if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM people WHERE tenant_id = $1 AND id = $2 AND active`, tenant, id).Scan(&n); err != nil {
			return false, fmt.Errorf("cannot check person: %w", err)
		}
		return n > 0, nil
	}
	v := apperr.Validation{}
	if chair != 0 {
		ok, err := active(chair)
		if err != nil {
			return err
		}
		if !ok {
			v.Add("review_chair_id", "error.choice")
		}
	}
	for _, id := range others {
		ok, err := active(id)
		if err != nil {
			return err
		}
		if !ok {
			v.Add("review_participants", "error.choice")
			break
		}
	}
	return v.Err()
}

// Review returns one review of the actor's institution, with its
// participants.
func (s *Service) Review(ctx context.Context, a auth.Actor, id int64) (Review, error) {
	if err := a.Require(auth.PermReviewsView); err != nil {
		return Review{}, err
	}
	return getReview(ctx, s.DB.R, a.Tenant, id)
}

// nextCode is the next free code of year: AM-2026-02.
func nextCode(ctx context.Context, q querier, tenant int64, year int) (string, error) {
	prefix := fmt.Sprintf("AM-%d-", year)
	rows, err := q.QueryContext(ctx, `SELECT code FROM reviews WHERE tenant_id = $1 AND code LIKE $2 ESCAPE '\'`, tenant, db.LikePrefix(prefix))
	if err != nil {
		return "", fmt.Errorf("cannot read review codes: %w", err)
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			return "", fmt.Errorf("cannot read review codes: %w", err)
		}
		var k int
		if _, err := fmt.Sscanf(strings.TrimPrefix(c, prefix), "%d", &k); err == nil && k > n {
			n = k
		}
	}
	return fmt.Sprintf("%s%02d", prefix, n+1), rows.Err()
}

func sortCode(code string) string {
	// AM-2026-01: the number is zero-padded to three places so AM-2026-100
	// sorts after AM-2026-99.
	i := strings.LastIndex(code, "-")
	if i < 0 {
		return code
	}
	return code[:i+1] + fmt.Sprintf("%03s", code[i+1:])
}

func searchText(code, title string) string { return textutil.Fold(code + " " + title) }

// Create plans a review: the quality office gets a task to prepare its
// inputs a week before the meeting.
func (s *Service) Create(ctx context.Context, a auth.Actor, in Input) (Review, error) {
	if err := a.Require(auth.PermReviewsManage); err != nil {
		return Review{}, err
	}
	if err := in.Validate(); err != nil {
		return Review{}, err
	}
	var out Review
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		var err error
		out, err = s.create(ctx, tx, a, in, 0)
		return err
	})
	return out, err
}

// create inserts a validated review and its first step and task.
func (s *Service) create(ctx context.Context, tx *sql.Tx, a auth.Actor, in Input, previous int64) (Review, error) {
	now := s.Clock.Now()
	if err := checkPeople(ctx, tx, a.Tenant, in.ChairID, in.Participants); err != nil {
		return Review{}, err
	}
	meeting, _ := parseDay(in.MeetingOn)
	code, err := nextCode(ctx, tx, a.Tenant, meeting.Year())
	if err != nil {
		return Review{}, err
	}
	var id int64
	err = tx.QueryRowContext(ctx, `INSERT INTO reviews (tenant_id, code, sort_code, year, title, period_from, period_to, meeting_on, place, chair_id, guests,
			state, previous_id, search_text, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $15) RETURNING id`,
		a.Tenant, code, sortCode(code), meeting.Year(), in.Title, in.PeriodFrom, in.PeriodTo, in.MeetingOn, in.Place, in.ChairID, in.Guests,
		StatePlanned, nullID(previous), searchText(code, in.Title), now).Scan(&id)
	if db.IsUniqueViolation(err) {
		return Review{}, apperr.Conflict("reviews.error.code_taken")
	}
	if err != nil {
		return Review{}, fmt.Errorf("cannot record review: %w", err)
	}
	if err := setParticipants(ctx, tx, a.Tenant, id, in.Participants); err != nil {
		return Review{}, err
	}
	if err := createInputs(ctx, tx, a.Tenant, id, now); err != nil {
		return Review{}, err
	}
	if err := insertStep(ctx, tx, a, id, workflow.Step{Action: ActPlan, To: StatePlanned, ActorID: a.UserID, Actor: a.Name, At: now}); err != nil {
		return Review{}, err
	}
	out, err := getReview(ctx, tx, a.Tenant, id)
	if err != nil {
		return Review{}, err
	}
	if _, err := s.Work.Assign(ctx, tx, a, s.prepareTask(out)); err != nil {
		return Review{}, err
	}
	return out, audit.Record(ctx, tx, now, audit.Event{Tenant: a.Tenant, Actor: a.Audit(), Action: audit.ActionCreate, Entity: "review", EntityID: id,
		Summary: out.Code + " " + clip(out.Title, 120), After: out})
}

// prepareTask is the quality office's task to compile and assess the
// inputs before the meeting.
func (s *Service) prepareTask(r Review) work.NewTask {
	due := s.today()
	if m, ok := parseDay(r.MeetingOn); ok && m.AddDate(0, 0, -prepareDays).After(due) {
		due = m.AddDate(0, 0, -prepareDays)
	}
	return work.NewTask{Ref: reviewRef(r.ID), Kind: work.KindReport, Title: "Pregătirea datelor de intrare: " + r.Code + " " + clip(r.Title, 200),
		Details: "Compilați datele de intrare ale analizei efectuate de management din registre și scrieți evaluarea fiecărei intrări înainte de ședință.",
		Link:    reviewLink(r.ID) + "#inputs", Assignee: work.Assignee{Role: auth.RoleQualityManager}, Due: due}
}

// Update changes a review's details; a stale Version is refused. Once the
// meeting is held its period and planned day no longer change (the inputs
// were compiled for them); a closed or cancelled review does not change.
func (s *Service) Update(ctx context.Context, a auth.Actor, id int64, in Input) (Review, error) {
	if err := a.Require(auth.PermReviewsManage); err != nil {
		return Review{}, err
	}
	now := s.Clock.Now()
	var out Review
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		before, err := getReview(ctx, tx, a.Tenant, id)
		if err != nil {
			return err
		}
		if before.State == StateClosed || before.State == StateCancelled {
			return apperr.Conflict("reviews.error.locked")
		}
		if before.State == StateHeld {
			in.PeriodFrom, in.PeriodTo, in.MeetingOn = before.PeriodFrom, before.PeriodTo, before.MeetingOn
		}
		if err := in.Validate(); err != nil {
			return err
		}
		if before.Version != in.Version {
			return apperr.Stale()
		}
		if err := checkPeople(ctx, tx, a.Tenant, in.ChairID, in.Participants); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `UPDATE reviews SET title = $1, period_from = $2, period_to = $3, meeting_on = $4, place = $5, chair_id = $6, guests = $7,
				conclusion = $8, search_text = $9, updated_at = $10, version = version + 1
			WHERE tenant_id = $11 AND id = $12 AND version = $13`,
			in.Title, in.PeriodFrom, in.PeriodTo, in.MeetingOn, in.Place, in.ChairID, in.Guests, in.Conclusion, searchText(before.Code, in.Title), now,
			a.Tenant, id, in.Version)
		if err != nil {
			return fmt.Errorf("cannot change review: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return apperr.Stale()
		}
		if err := setParticipants(ctx, tx, a.Tenant, id, in.Participants); err != nil {
			return err
		}
		if out, err = getReview(ctx, tx, a.Tenant, id); err != nil {
			return err
		}
		if out.MeetingOn != before.MeetingOn && !before.Frozen() {
			// The preparation task follows the meeting day.
			n, err := s.Work.Close(ctx, tx, a, work.Selector{Ref: reviewRef(id), Kind: work.KindReport}, work.StateCancelled)
			if err != nil {
				return err
			}
			if n > 0 {
				if _, err := s.Work.Assign(ctx, tx, a, s.prepareTask(out)); err != nil {
					return err
				}
			}
		}
		return audit.Record(ctx, tx, now, audit.Event{Tenant: a.Tenant, Actor: a.Audit(), Action: audit.ActionUpdate, Entity: "review", EntityID: id,
			Summary: out.Code + " " + clip(out.Title, 120), Before: before, After: out})
	})
	return out, err
}

func insertStep(ctx context.Context, tx *sql.Tx, a auth.Actor, reviewID int64, st workflow.Step) error {
	if _, err := tx.ExecContext(ctx, `INSERT INTO review_steps (tenant_id, review_id, action, from_state, to_state, reason, actor_id, actor_name, at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`, a.Tenant, reviewID, st.Action, string(st.From), string(st.To), st.Reason, st.ActorID, st.Actor, st.At); err != nil {
		return fmt.Errorf("cannot record review step: %w", err)
	}
	return nil
}

// Step is one recorded step of a review's workflow.
type Step struct {
	Action    string
	From, To  string
	Reason    string
	ActorName string
	At        time.Time
}

// Steps lists a review's workflow steps, oldest first.
func (s *Service) Steps(ctx context.Context, a auth.Actor, id int64) ([]Step, error) {
	if err := a.Require(auth.PermReviewsView); err != nil {
		return nil, err
	}
	rows, err := s.DB.R.QueryContext(ctx, `SELECT action, from_state, to_state, reason, actor_name, at FROM review_steps WHERE tenant_id = $1 AND review_id = $2 ORDER BY id`, a.Tenant, id)
	if err != nil {
		return nil, fmt.Errorf("cannot read review steps: %w", err)
	}
	defer rows.Close()
	var out []Step
	for rows.Next() {
		var st Step
		if err := rows.Scan(&st.Action, &st.From, &st.To, &st.Reason, &st.ActorName, &st.At); err != nil {
			return nil, fmt.Errorf("cannot read review steps: %w", err)
		}
		out = append(out, st)
	}
	return out, rows.Err()
}
