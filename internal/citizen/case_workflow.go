package citizen

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"cadran/internal/apperr"
	"cadran/internal/audit"
	"cadran/internal/auth"
	"cadran/internal/textutil"
	"cadran/internal/work"
	"cadran/internal/workflow"
)

// Actions on a case (the names Actions returns, for a page's buttons).
const (
	ActAssign    = "assign"    // to a unit and a person: their task
	ActExtend    = "extend"    // a petition by up to 15 days; a request for information becomes complex
	ActRedirect  = "redirect"  // sent to the competent institution, the petitioner told
	ActAnswer    = "answer"    // answered
	ActRefuse    = "refuse"    // a request for information refused (AnswerRefused)
	ActFile      = "file"      // filed away with a reason
	ActComplaint = "complaint" // an administrative complaint against an answer to a request for information
	ActCode      = "code"      // a new access code for the petitioner
)

// gate is a case as one actor sees it, for the workflow's guards.
type gate struct {
	c  Case
	sc scope
}

// mayAssign: the registry, or the head of the case's unit.
func mayAssign(a auth.Actor, g gate) bool {
	return a.Can(auth.PermCitizenRegister) || (a.HasRole(auth.RoleHeadOfUnit) && g.sc.leads(g.c.UnitID))
}

// mayAnswer: the registry, the case's assignee, or the head of its unit.
func mayAnswer(a auth.Actor, g gate) bool {
	return a.Can(auth.PermCitizenRegister) || (a.PersonID != 0 && a.PersonID == g.c.AssigneeID) ||
		(a.HasRole(auth.RoleHeadOfUnit) && g.sc.leads(g.c.UnitID))
}

var (
	openStates = []workflow.State{StateRegistered, StateAssigned}
	allStates  = []workflow.State{StateRegistered, StateAssigned, StateAnswered, StateRedirected, StateFiled, StateRefused}
)

func guardAssign(a auth.Actor, g gate) error {
	if !mayAssign(a, g) {
		return apperr.Forbidden(string(auth.PermCitizenRegister))
	}
	return nil
}

func guardAnswer(a auth.Actor, g gate) error {
	if !mayAnswer(a, g) {
		return apperr.Forbidden(string(auth.PermCitizenRegister))
	}
	return nil
}

func guardExtend(_ auth.Actor, g gate) error {
	switch {
	case g.c.Kind == KindService:
		return apperr.Conflict("citizen.reg.error.no_extension")
	case g.c.Extended() || (g.c.Kind == KindInfo && g.c.Complex):
		return apperr.Conflict("citizen.reg.error.extended")
	}
	return nil
}

// Flow is the one state machine of a case: registered (no unit yet) or
// assigned, then answered, refused (a request for information, exempt
// information), redirected to the competent institution, or filed away.
// Extension keeps the state.
var Flow = workflow.New("citizen_case", StateRegistered, allStates,
	workflow.Transition[gate]{Name: ActAssign, From: openStates, To: StateAssigned, Guard: guardAssign},
	workflow.Transition[gate]{Name: ActExtend, From: []workflow.State{StateRegistered}, To: StateRegistered, Perm: auth.PermCitizenRegister, Guard: guardExtend},
	workflow.Transition[gate]{Name: ActExtend, From: []workflow.State{StateAssigned}, To: StateAssigned, Perm: auth.PermCitizenRegister, Guard: guardExtend},
	workflow.Transition[gate]{Name: ActRedirect, From: openStates, To: StateRedirected, Perm: auth.PermCitizenRegister,
		Guard: func(_ auth.Actor, g gate) error {
			if g.c.Kind == KindService {
				return apperr.Conflict("citizen.reg.error.no_redirect")
			}
			return nil
		}},
	workflow.Transition[gate]{Name: ActAnswer, From: openStates, To: StateAnswered, Guard: guardAnswer},
	workflow.Transition[gate]{Name: ActRefuse, From: openStates, To: StateRefused,
		Guard: func(a auth.Actor, g gate) error {
			if g.c.Kind != KindInfo {
				return apperr.Validation{FieldAnswerKind: "error.choice"}
			}
			return guardAnswer(a, g)
		}},
	workflow.Transition[gate]{Name: ActFile, From: openStates, To: StateFiled, Perm: auth.PermCitizenRegister},
)

// Actions lists what a may do with c now, in the order a page shows them
// (the workflow's moves, then a complaint and a new access code).
func (s *Service) Actions(ctx context.Context, a auth.Actor, c Case) ([]string, error) {
	sc, err := s.scope(ctx, s.DB.R, a)
	if err != nil {
		return nil, err
	}
	if !sc.sees(c) {
		return nil, nil
	}
	out := Flow.Actions(workflow.State(c.State), a, gate{c: c, sc: sc})
	if c.Kind == KindInfo && (c.State == StateAnswered || c.State == StateRefused) && a.Can(auth.PermCitizenRegister) {
		out = append(out, ActComplaint)
	}
	if !c.Anonymous() && a.Can(auth.PermCitizenRegister) {
		out = append(out, ActCode)
	}
	return out, nil
}

// change reads a case the actor may see, fires action on it and checks
// the version, then lets fn change it and saves it: the row (version + 1),
// the audit event, and the case's task (moved while open, done once
// closed).
func (s *Service) change(ctx context.Context, a auth.Actor, id int64, action string, version int, fn func(tx *sql.Tx, c *Case, st Settings, today time.Time) error) (Case, error) {
	now := s.Clock.Now()
	today := work.Day(now)
	var out Case
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		before, sc, err := s.visibleCase(ctx, tx, a, id)
		if err != nil {
			return err
		}
		step, err := Flow.Fire(workflow.State(before.State), action, a, gate{c: before, sc: sc}, "", now)
		if err != nil {
			return err
		}
		if before.Version != version {
			return apperr.Stale()
		}
		st, err := settingsOf(ctx, tx, a.Tenant)
		if err != nil {
			return err
		}
		c := before
		c.State = string(step.To)
		if err := fn(tx, &c, st, today); err != nil {
			return err
		}
		if !c.Open() {
			closeCase(&c, st.ShiftToWorking)
		}
		if out, err = s.save(ctx, tx, a, before, c, now); err != nil {
			return err
		}
		if err := audit.Record(ctx, tx, now, audit.Event{Tenant: a.Tenant, Actor: a.Audit(), Action: audit.ActionTransition, Entity: EntityCase, EntityID: id,
			Summary: out.Number + ": " + action, Before: before, After: out}); err != nil {
			return err
		}
		switch {
		case !out.Open():
			_, err = s.Work.Close(ctx, tx, a, work.Selector{Ref: caseRef(id)}, work.StateDone)
		case out.AssigneeID != before.AssigneeID || out.UnitID != before.UnitID || !out.DueOn.Equal(before.DueOn):
			err = s.retask(ctx, tx, a, out)
		}
		return err
	})
	return out, err
}

// closeCase fills in how long a closed case took and whether it was
// closed in time.
func closeCase(c *Case, shift bool) {
	days := int(c.ClosedOn.Sub(c.RegisteredOn).Hours() / 24)
	onTime := !c.ClosedOn.After(CloseBy(*c, c.State, shift))
	c.DaysTaken, c.OnTime = &days, &onTime
}

// save writes a case's changeable columns if its version is still
// before's, and reads it back.
func (s *Service) save(ctx context.Context, tx *sql.Tx, a auth.Actor, before, c Case, now time.Time) (Case, error) {
	res, err := tx.ExecContext(ctx, `UPDATE citizen_cases SET unit_id = $1, assignee_id = $2, complex = $3, state = $4, due_on = $5,
			extension_days = $6, extension_reason = $7, extension_notice_on = $8, redirected_to = $9, redirect_notice_on = $10,
			answer = $11, answer_kind = $12, closed_on = $13, days_taken = $14, on_time = $15, complaint = $16,
			updated_at = $17, version = version + 1
		WHERE tenant_id = $18 AND id = $19 AND version = $20`,
		nullID(c.UnitID), nullID(c.AssigneeID), c.Complex, c.State, dayText(c.DueOn),
		c.ExtensionDays, c.ExtensionReason, dayText(c.ExtensionNoticeOn), c.RedirectedTo, dayText(c.RedirectNoticeOn),
		c.Answer, c.AnswerKind, dayText(c.ClosedOn), nullInt(c.DaysTaken), nullBool(c.OnTime), c.Complaint,
		now, a.Tenant, c.ID, before.Version)
	if err != nil {
		return Case{}, fmt.Errorf("cannot change case: %w", err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return Case{}, apperr.Stale()
	}
	out, err := getCase(ctx, tx, a.Tenant, c.ID)
	if err != nil {
		return Case{}, err
	}
	return out, stTrack(ctx, tx, before, out)
}

// pastDay checks a day a person gave: set, not in the future, not before
// the case's registration.
func pastDay(v apperr.Validation, field string, d time.Time, c Case, today time.Time, required bool) time.Time {
	if d.IsZero() {
		if required {
			v.Add(field, "error.required")
		}
		return d
	}
	d = day(d)
	switch {
	case d.After(today):
		v.Add(field, "citizen.reg.error.future")
	case d.Before(c.RegisteredOn):
		v.Add(field, "citizen.reg.error.before_registration")
	}
	return d
}

func cleanReason(v apperr.Validation, field, s string, maxLen int) string {
	s = textutil.CleanText(s)
	switch {
	case s == "":
		v.Add(field, "error.required")
	case utf8.RuneCountInString(s) > maxLen:
		v.Add(field, "error.too_long")
	}
	return s
}

// Assign sends a case to a unit and person; their task moves with it. The
// registry assigns any case; a head of unit assigns the cases of their
// units, to their units and their people. With a person and no unit, the
// case goes to the person's unit.
func (s *Service) Assign(ctx context.Context, a auth.Actor, id int64, in AssignInput) (Case, error) {
	return s.change(ctx, a, id, ActAssign, in.Version, func(tx *sql.Tx, c *Case, _ Settings, _ time.Time) error {
		if in.UnitID == 0 && in.AssigneeID == 0 {
			return apperr.Validation{FieldUnit: "error.required"}
		}
		r, err := checkRefs(ctx, tx, a.Tenant, 0, in.UnitID, in.AssigneeID)
		if err != nil {
			return err
		}
		unit := in.UnitID
		if unit == 0 {
			unit = r.assigneeUnit
		}
		if !a.Can(auth.PermCitizenRegister) {
			// A head of unit keeps the case within the units they lead.
			sc, err := s.scope(ctx, tx, a)
			if err != nil {
				return err
			}
			v := apperr.Validation{}
			if !sc.leads(unit) {
				v.Add(FieldUnit, "citizen.reg.error.not_your_unit")
			}
			if in.AssigneeID != 0 && !sc.leads(r.assigneeUnit) {
				v.Add(FieldAssignee, "citizen.reg.error.not_your_unit")
			}
			if err := v.Err(); err != nil {
				return err
			}
		}
		if unit == c.UnitID && in.AssigneeID == c.AssigneeID && c.State == StateAssigned {
			return apperr.Validation{FieldAssignee: "citizen.reg.error.same_assignee"}
		}
		c.UnitID, c.AssigneeID = unit, in.AssigneeID
		return nil
	})
}

// Extend extends a case's deadline, once, while it is open: a petition by
// 1 to 15 days (its deadline is recomputed as 30 + days from registration),
// a request for information to 30 days as a complex one, with the notice
// to the petitioner dated within 10 days of registration. The reason and
// the notice's date are required; the assignee's task moves to the new
// deadline.
func (s *Service) Extend(ctx context.Context, a auth.Actor, id int64, in ExtendInput) (Case, error) {
	return s.change(ctx, a, id, ActExtend, in.Version, func(_ *sql.Tx, c *Case, st Settings, today time.Time) error {
		v := apperr.Validation{}
		reason := cleanReason(v, FieldReason, in.Reason, MaxReason)
		notice := pastDay(v, FieldNoticeOn, in.NoticeOn, *c, today, true)
		if c.Kind == KindPetition && (in.Days < 1 || in.Days > PetitionExtensionMax) {
			v.Add(FieldDays, "citizen.reg.error.extension_days")
		}
		if !notice.IsZero() {
			switch {
			case c.Kind == KindInfo && notice.After(AddDays(c.RegisteredOn, InfoDays, st.ShiftToWorking)):
				v.Add(FieldNoticeOn, "citizen.reg.error.info_notice_late")
			case c.Kind == KindPetition && notice.After(c.DueOn):
				v.Add(FieldNoticeOn, "citizen.reg.error.notice_late")
			}
		}
		if err := v.Err(); err != nil {
			return err
		}
		if c.Kind == KindInfo {
			c.Complex, c.ExtensionDays = true, InfoComplexDays-InfoDays
		} else {
			c.ExtensionDays = in.Days
		}
		c.ExtensionReason, c.ExtensionNoticeOn = reason, notice
		c.DueOn = dueOn(*c, 0, st.ShiftToWorking)
		return nil
	})
}

// Redirect records that a case was sent to the competent institution and
// the petitioner told (on time within 5 days of registration).
func (s *Service) Redirect(ctx context.Context, a auth.Actor, id int64, in RedirectInput) (Case, error) {
	return s.change(ctx, a, id, ActRedirect, in.Version, func(_ *sql.Tx, c *Case, _ Settings, today time.Time) error {
		v := apperr.Validation{}
		to := textutil.Clean(in.To)
		switch {
		case to == "":
			v.Add(FieldTo, "error.required")
		case utf8.RuneCountInString(to) > MaxSubject:
			v.Add(FieldTo, "error.too_long")
		}
		on := in.RedirectedOn
		if on.IsZero() {
			on = today
		}
		on = pastDay(v, FieldRedirectedOn, on, *c, today, true)
		notice := pastDay(v, FieldNoticeOn, in.NoticeOn, *c, today, true)
		if err := v.Err(); err != nil {
			return err
		}
		c.RedirectedTo, c.RedirectNoticeOn, c.ClosedOn = to, notice, on
		return nil
	})
}

// Answer records the answer and closes the case: its kind is one of
// AnswerKinds[case kind] (AnswerRefused refuses a request for
// information), the day is not in the future nor before registration
// (zero: today). The registry, the case's assignee or the head of its unit
// may answer.
func (s *Service) Answer(ctx context.Context, a auth.Actor, id int64, in AnswerInput) (Case, error) {
	action := ActAnswer
	if in.Kind == AnswerRefused {
		action = ActRefuse
	}
	return s.change(ctx, a, id, action, in.Version, func(_ *sql.Tx, c *Case, _ Settings, today time.Time) error {
		v := apperr.Validation{}
		if !slices.Contains(AnswerKinds[c.Kind], in.Kind) {
			v.Add(FieldAnswerKind, "error.choice")
		}
		answer := cleanReason(v, FieldAnswer, in.Answer, MaxAnswer)
		on := in.AnsweredOn
		if on.IsZero() {
			on = today
		}
		on = pastDay(v, FieldAnsweredOn, on, *c, today, true)
		if err := v.Err(); err != nil {
			return err
		}
		c.Answer, c.AnswerKind, c.ClosedOn = answer, in.Kind, on
		return nil
	})
}

// FileAway files a case away without an answer (anonymous, without
// identification, or a repeat of one already answered); the reason is
// kept as the case's answer.
func (s *Service) FileAway(ctx context.Context, a auth.Actor, id int64, in FileInput) (Case, error) {
	return s.change(ctx, a, id, ActFile, in.Version, func(_ *sql.Tx, c *Case, _ Settings, today time.Time) error {
		v := apperr.Validation{}
		reason := cleanReason(v, FieldReason, in.Reason, MaxReason)
		if err := v.Err(); err != nil {
			return err
		}
		c.Answer, c.AnswerKind, c.ClosedOn = reason, "", today
		return nil
	})
}

// SetComplaint records an administrative complaint against an answer, or
// its outcome ("" clears it): only on an answered or refused request for
// information, by the registry.
func (s *Service) SetComplaint(ctx context.Context, a auth.Actor, id int64, complaint string, version int) (Case, error) {
	if err := a.Require(auth.PermCitizenRegister); err != nil {
		return Case{}, err
	}
	complaint = strings.TrimSpace(complaint)
	if complaint != "" && !slices.Contains(Complaints, complaint) {
		return Case{}, apperr.Validation{FieldComplaint: "error.choice"}
	}
	now := s.Clock.Now()
	var out Case
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		before, _, err := s.visibleCase(ctx, tx, a, id)
		if err != nil {
			return err
		}
		if before.Kind != KindInfo || (before.State != StateAnswered && before.State != StateRefused) {
			return apperr.Conflict("citizen.reg.error.no_complaint")
		}
		if before.Version != version {
			return apperr.Stale()
		}
		c := before
		c.Complaint = complaint
		if out, err = s.save(ctx, tx, a, before, c, now); err != nil {
			return err
		}
		return audit.Record(ctx, tx, now, audit.Event{Tenant: a.Tenant, Actor: a.Audit(), Action: audit.ActionUpdate, Entity: EntityCase, EntityID: id,
			Summary: out.Number + ": " + ActComplaint, Before: before, After: out})
	})
	return out, err
}

// NewAccessCode gives a case a new access code (the petitioner lost
// theirs, and the registry has checked who they are); the old one stops
// working.
func (s *Service) NewAccessCode(ctx context.Context, a auth.Actor, id int64) (Receipt, error) {
	if err := a.Require(auth.PermCitizenRegister); err != nil {
		return Receipt{}, err
	}
	code, err := GenerateAccessCode()
	if err != nil {
		return Receipt{}, err
	}
	now := s.Clock.Now()
	var out Receipt
	err = s.DB.Tx(ctx, func(tx *sql.Tx) error {
		before, _, err := s.visibleCase(ctx, tx, a, id)
		if err != nil {
			return err
		}
		if before.Anonymous() {
			return apperr.Conflict("citizen.reg.error.anonymous")
		}
		if _, err := tx.ExecContext(ctx, `UPDATE citizen_cases SET access_hash = $1, updated_at = $2, version = version + 1 WHERE tenant_id = $3 AND id = $4`,
			HashAccessCode(code), now, a.Tenant, id); err != nil {
			return fmt.Errorf("cannot change access code: %w", err)
		}
		c, err := getCase(ctx, tx, a.Tenant, id)
		if err != nil {
			return err
		}
		out = Receipt{Case: c, AccessCode: code}
		return audit.Record(ctx, tx, now, audit.Event{Tenant: a.Tenant, Actor: a.Audit(), Action: audit.ActionUpdate, Entity: EntityCase, EntityID: id,
			Summary: c.Number + ": " + ActCode})
	})
	return out, err
}
