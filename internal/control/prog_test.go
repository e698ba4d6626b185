package control_test

import (
	"testing"

	"cadran/internal/apperr"
	"cadran/internal/control"
)

// wantKey fails unless err is a validation error with key on field.
func wantKey(t *testing.T, err error, field, key string) {
	t.Helper()
	v, ok := apperr.AsValidation(err)
	if !ok {
		t.Fatalf("want validation %s=%s, got %v", field, key, err)
	}
	if v[field] != key {
		t.Fatalf("want %s=%s, got %v", field, key, v)
	}
}

func wantKind(t *testing.T, err error, k apperr.Kind) {
	t.Helper()
	if apperr.KindOf(err) != k {
		t.Fatalf("want error kind %v, got %v", k, err)
	}
}

// auditCount counts the audit events of an entity and record.
func (e *env) auditCount(t testing.TB, entity string, id int64) int {
	t.Helper()
	return e.count(t, `SELECT COUNT(*) FROM audit_events WHERE entity = $1 AND entity_id = $2`, entity, id)
}

// taskDue reads the due day of a record's open task.
func (e *env) taskDue(t testing.TB, entity string, id int64) string {
	t.Helper()
	var due string
	if err := e.d.R.QueryRowContext(t.Context(), `SELECT due_on FROM tasks WHERE module = 'control' AND entity = $1 AND entity_id = $2 AND state = 'open'`,
		entity, id).Scan(&due); err != nil {
		t.Fatalf("task of %s %d: %v", entity, id, err)
	}
	return due
}

func TestProgrammeLifecycle(t *testing.T) {
	run(t, func(t *testing.T, e *env) {
		ctx := t.Context()
		// Validation and permissions.
		_, err := e.svc.CreateProgramme(ctx, e.qm, control.ProgrammeInput{Year: 1999})
		wantKey(t, err, control.FieldProgYear, "controlprog.error.year")
		_, err = e.svc.CreateProgramme(ctx, e.emp, control.ProgrammeInput{Year: 2026})
		wantKind(t, err, apperr.KindForbidden)
		_, err = e.svc.CreateProgramme(ctx, e.head, control.ProgrammeInput{Year: 2026})
		wantKind(t, err, apperr.KindForbidden)

		p, err := e.svc.CreateProgramme(ctx, e.qm, control.ProgrammeInput{Year: 2026})
		if err != nil {
			t.Fatal(err)
		}
		if p.Title != control.ProgrammeTitle(2026) || p.State != control.ProgrammeDraft {
			t.Fatalf("programme %+v", p)
		}
		_, err = e.svc.CreateProgramme(ctx, e.qm, control.ProgrammeInput{Year: 2026})
		wantKey(t, err, control.FieldProgYear, "controlprog.error.year_taken")
		// B's programme of the same year is B's business.
		if _, err := e.svc.CreateProgramme(ctx, e.other, control.ProgrammeInput{Year: 2026}); err != nil {
			t.Fatal(err)
		}
		_, err = e.svc.Programme(ctx, e.other, p.ID)
		wantKind(t, err, apperr.KindNotFound)
		_, err = e.svc.UpdateProgramme(ctx, e.other, p.ID, control.ProgrammeInput{Title: "x", Version: p.Version})
		wantKind(t, err, apperr.KindNotFound)

		// Edit, stale.
		p, err = e.svc.UpdateProgramme(ctx, e.qm, p.ID, control.ProgrammeInput{Title: "Programul SCIM 2026", Notes: "Aprobat în ședința comisiei", Version: p.Version})
		if err != nil {
			t.Fatal(err)
		}
		_, err = e.svc.UpdateProgramme(ctx, e.qm, p.ID, control.ProgrammeInput{Title: "Alt titlu", Version: p.Version - 1})
		wantKind(t, err, apperr.KindConflict)

		// Approve needs the act and its date.
		_, err = e.svc.MoveProgramme(ctx, e.qm, p.ID, control.ProgrammeMove{Action: control.ProgrammeApprove, Version: p.Version})
		wantKey(t, err, control.FieldProgDecision, "error.required")
		_, err = e.svc.MoveProgramme(ctx, e.qm, p.ID, control.ProgrammeMove{Action: control.ProgrammeApprove, Decision: "Dispoziția nr. 12", ApprovedOn: "15.01.2026", Version: p.Version})
		wantKey(t, err, control.FieldProgApprovedOn, "error.date")
		_, err = e.svc.MoveProgramme(ctx, e.qm, p.ID, control.ProgrammeMove{Action: control.ProgrammeClose, Version: p.Version})
		wantKind(t, err, apperr.KindConflict)
		if got := control.ProgrammeActions(e.qm, p); len(got) != 1 || got[0] != control.ProgrammeApprove {
			t.Fatalf("actions of a draft: %v", got)
		}
		if got := control.ProgrammeActions(e.viewer, p); len(got) != 0 {
			t.Fatalf("a viewer's actions: %v", got)
		}
		p, err = e.svc.MoveProgramme(ctx, e.qm, p.ID, control.ProgrammeMove{Action: control.ProgrammeApprove, Decision: "Dispoziția primarului nr. 112/15.01.2026", ApprovedOn: "2026-01-15", Version: p.Version})
		if err != nil {
			t.Fatal(err)
		}
		if p.State != control.ProgrammeApproved || p.ApprovedOn != "2026-01-15" {
			t.Fatalf("approved %+v", p)
		}
		if n := e.auditCount(t, control.EntityProgramme, p.ID); n != 3 {
			t.Fatalf("audit events: %d, want 3 (create, update, approve)", n)
		}

		// Objectives: automatic codes, duplicates refused.
		o1, err := e.svc.AddObjective(ctx, e.qm, p.ID, control.ObjectiveInput{Title: "Actualizarea procedurilor"})
		if err != nil {
			t.Fatal(err)
		}
		o2, err := e.svc.AddObjective(ctx, e.qm, p.ID, control.ObjectiveInput{Title: "Gestionarea riscurilor"})
		if err != nil {
			t.Fatal(err)
		}
		if o1.Code != "O1" || o2.Code != "O2" {
			t.Fatalf("codes %s %s", o1.Code, o2.Code)
		}
		_, err = e.svc.UpdateObjective(ctx, e.qm, p.ID, o2.ID, control.ObjectiveInput{Code: "o1", Title: "x", Version: o2.Version})
		wantKey(t, err, control.FieldObjCode, "controlprog.error.code_taken")
		_, err = e.svc.AddObjective(ctx, e.qm, p.ID, control.ObjectiveInput{Code: "O 3!", Title: "x"})
		wantKey(t, err, control.FieldObjCode, "controlprog.error.code")
		_, err = e.svc.AddObjective(ctx, e.other, p.ID, control.ObjectiveInput{Title: "x"})
		wantKind(t, err, apperr.KindNotFound)
	})
}

func TestActionTasks(t *testing.T) {
	run(t, func(t *testing.T, e *env) {
		ctx := t.Context()
		p, err := e.svc.CreateProgramme(ctx, e.qm, control.ProgrammeInput{Year: 2026})
		if err != nil {
			t.Fatal(err)
		}
		// Validation keys.
		_, err = e.svc.CreateAction(ctx, e.qm, control.ActionInput{ProgrammeID: p.ID, Standard: 17, Title: "x"})
		wantKey(t, err, control.FieldActionStandard, "controlprog.error.standard")
		_, err = e.svc.CreateAction(ctx, e.qm, control.ActionInput{ProgrammeID: p.ID, Standard: 3})
		wantKey(t, err, control.FieldActionTitle, "error.required")
		_, err = e.svc.CreateAction(ctx, e.qm, control.ActionInput{ProgrammeID: p.ID, Standard: 3, Title: "x", OwnerID: e.bob})
		wantKey(t, err, control.FieldActionOwner, "error.choice")
		_, err = e.svc.CreateAction(ctx, e.qm, control.ActionInput{ProgrammeID: p.ID, Standard: 3, Title: "x", DueOn: "2026-02-30"})
		wantKey(t, err, control.FieldActionDue, "error.date")
		_, err = e.svc.CreateAction(ctx, e.emp, control.ActionInput{ProgrammeID: p.ID, Standard: 3, Title: "x"})
		wantKind(t, err, apperr.KindForbidden)
		_, err = e.svc.CreateAction(ctx, e.other, control.ActionInput{ProgrammeID: p.ID, Standard: 3, Title: "x"})
		wantKey(t, err, control.FieldActionProgramme, "error.choice")

		// An owner and a due date make a task.
		x, err := e.svc.CreateAction(ctx, e.qm, control.ActionInput{ProgrammeID: p.ID, Standard: 2, Title: "Actualizarea inventarului funcțiilor sensibile",
			OwnerID: e.ema, UnitID: e.tax, DueOn: "2026-12-15"})
		if err != nil {
			t.Fatal(err)
		}
		if n := e.openTasks(t, e.ema, control.EntityAction); n != 1 {
			t.Fatalf("ema's tasks: %d", n)
		}
		// A new owner takes the task over; a new due day moves it.
		x, err = e.svc.UpdateAction(ctx, e.qm, x.ID, control.ActionInput{Standard: 2, Title: x.Title, OwnerID: e.ion, UnitID: e.tax, DueOn: "2026-12-20", Version: x.Version})
		if err != nil {
			t.Fatal(err)
		}
		if a, b := e.openTasks(t, e.ema, control.EntityAction), e.openTasks(t, e.ion, control.EntityAction); a != 0 || b != 1 {
			t.Fatalf("after reassigning: ema %d, ion %d", a, b)
		}
		if due := e.taskDue(t, control.EntityAction, x.ID); due[:10] != "2026-12-20" {
			t.Fatalf("due %s", due)
		}
		// An action without a due date has no task.
		y, err := e.svc.CreateAction(ctx, e.qm, control.ActionInput{ProgrammeID: p.ID, Standard: 8, Title: "Revizuirea registrului riscurilor", OwnerID: e.dan})
		if err != nil {
			t.Fatal(err)
		}
		if n := e.openTasks(t, e.dan, control.EntityAction); n != 0 {
			t.Fatalf("dan's tasks: %d", n)
		}
		// Done closes the task; a done day in the future is refused.
		_, err = e.svc.MoveAction(ctx, e.qm, x.ID, control.ActionMove{To: control.ActionDone, DoneOn: "2027-01-01", Version: x.Version})
		wantKey(t, err, control.FieldActionDoneOn, "controlprog.error.future")
		x, err = e.svc.MoveAction(ctx, e.qm, x.ID, control.ActionMove{To: control.ActionDone, Result: "Inventar aprobat", Version: x.Version})
		if err != nil {
			t.Fatal(err)
		}
		if x.DoneOn != "2026-11-23" || e.openTasks(t, e.ion, control.EntityAction) != 0 {
			t.Fatalf("done %+v", x)
		}
		if n := e.count(t, `SELECT COUNT(*) FROM tasks WHERE entity = 'control_action' AND entity_id = $1 AND state = 'done'`, x.ID); n != 1 {
			t.Fatalf("done tasks %d", n)
		}
		// Reopened, the task comes back.
		x, err = e.svc.MoveAction(ctx, e.qm, x.ID, control.ActionMove{To: control.ActionOpen, Version: x.Version})
		if err != nil {
			t.Fatal(err)
		}
		if e.openTasks(t, e.ion, control.EntityAction) != 1 {
			t.Fatal("reopened action without its task")
		}
		if n := e.auditCount(t, control.EntityAction, x.ID); n != 4 {
			t.Fatalf("audit events %d, want 4", n)
		}
		_, err = e.svc.Action(ctx, e.other, x.ID)
		wantKind(t, err, apperr.KindNotFound)
		_, err = e.svc.MoveAction(ctx, e.other, x.ID, control.ActionMove{To: control.ActionDone, Version: x.Version})
		wantKind(t, err, apperr.KindNotFound)

		// The list: filters, search, sort, overdue.
		if _, err := e.svc.CreateAction(ctx, e.qm, control.ActionInput{ProgrammeID: p.ID, Standard: 8, Title: "Instruirea responsabililor cu riscurile", OwnerID: e.ema, DueOn: "2026-10-01"}); err != nil {
			t.Fatal(err)
		}
		cases := []struct {
			name string
			f    control.ActionFilter
			want int
		}{
			{"all", control.ActionFilter{}, 3},
			{"standard 8", control.ActionFilter{Standard: 8}, 2},
			{"owner", control.ActionFilter{OwnerID: e.ion}, 1},
			{"unit", control.ActionFilter{UnitID: e.tax}, 1},
			{"overdue", control.ActionFilter{Overdue: true}, 1},
			{"search folded", control.ActionFilter{Query: "functiilor"}, 1},
			{"year", control.ActionFilter{Year: 2025}, 0},
			{"done", control.ActionFilter{State: control.ActionDone}, 0},
		}
		for _, c := range cases {
			pg, err := e.svc.Actions(ctx, e.viewer, c.f)
			if err != nil {
				t.Fatal(err)
			}
			if pg.Total != c.want || len(pg.Items) != c.want {
				t.Errorf("%s: %d/%d, want %d", c.name, pg.Total, len(pg.Items), c.want)
			}
		}
		pg, err := e.svc.Actions(ctx, e.qm, control.ActionFilter{Sort: "due"})
		if err != nil {
			t.Fatal(err)
		}
		if pg.Items[0].DueOn != "" || pg.Items[1].DueOn != "2026-10-01" {
			t.Fatalf("sorted by due: %s, %s", pg.Items[0].DueOn, pg.Items[1].DueOn)
		}
		if pg, _ := e.svc.Actions(ctx, e.other, control.ActionFilter{}); pg.Total != 0 {
			t.Fatalf("B sees %d of A's actions", pg.Total)
		}
		p, _ = e.svc.Programme(ctx, e.qm, p.ID)
		if p.Actions != 3 || p.Open != 3 || p.Overdue != 1 {
			t.Fatalf("progress %+v", p)
		}
		_ = y
	})
}

func TestNextProgramme(t *testing.T) {
	run(t, func(t *testing.T, e *env) {
		ctx := t.Context()
		p, err := e.svc.CreateProgramme(ctx, e.qm, control.ProgrammeInput{Year: 2026})
		if err != nil {
			t.Fatal(err)
		}
		_, err = e.svc.NextProgramme(ctx, e.qm, p.ID)
		wantKind(t, err, apperr.KindConflict)
		o, err := e.svc.AddObjective(ctx, e.qm, p.ID, control.ObjectiveInput{Title: "Proceduri actualizate", Description: "Toate activitățile procedurate"})
		if err != nil {
			t.Fatal(err)
		}
		open, err := e.svc.CreateAction(ctx, e.qm, control.ActionInput{ProgrammeID: p.ID, ObjectiveID: o.ID, Standard: 9, Title: "Procedura de arhivare", OwnerID: e.ema, DueOn: "2026-12-31"})
		if err != nil {
			t.Fatal(err)
		}
		done, err := e.svc.CreateAction(ctx, e.qm, control.ActionInput{ProgrammeID: p.ID, Standard: 1, Title: "Codul de conduită", OwnerID: e.ion, DueOn: "2026-03-01"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := e.svc.MoveAction(ctx, e.qm, done.ID, control.ActionMove{To: control.ActionDone, DoneOn: "2026-02-20", Version: done.Version}); err != nil {
			t.Fatal(err)
		}
		p, _ = e.svc.Programme(ctx, e.qm, p.ID)
		if _, err := e.svc.MoveProgramme(ctx, e.qm, p.ID, control.ProgrammeMove{Action: control.ProgrammeApprove, Decision: "Dispoziția nr. 5/10.01.2026", ApprovedOn: "2026-01-10", Version: p.Version}); err != nil {
			t.Fatal(err)
		}
		_, err = e.svc.NextProgramme(ctx, e.other, p.ID)
		wantKind(t, err, apperr.KindNotFound)
		next, err := e.svc.NextProgramme(ctx, e.qm, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		if next.Year != 2027 || next.State != control.ProgrammeDraft || next.PreviousID != p.ID || next.Actions != 1 {
			t.Fatalf("next %+v", next)
		}
		objs, err := e.svc.Objectives(ctx, e.qm, next.ID)
		if err != nil || len(objs) != 1 || objs[0].Code != "O1" || objs[0].Actions != 1 {
			t.Fatalf("objectives %+v %v", objs, err)
		}
		pg, err := e.svc.Actions(ctx, e.qm, control.ActionFilter{ProgrammeID: next.ID})
		if err != nil || pg.Total != 1 {
			t.Fatalf("carried %v %v", pg, err)
		}
		c := pg.Items[0]
		if c.CarriedFrom != open.ID || c.ObjectiveID != objs[0].ID || c.OwnerID != e.ema || c.State != control.ActionOpen {
			t.Fatalf("carried action %+v", c)
		}
		// The task moved with the action: one open task, the new one's.
		if n := e.openTasks(t, e.ema, control.EntityAction); n != 1 {
			t.Fatalf("ema's tasks %d", n)
		}
		if n := e.count(t, `SELECT COUNT(*) FROM tasks WHERE entity = 'control_action' AND entity_id = $1 AND state = 'open'`, c.ID); n != 1 {
			t.Fatal("the carried action has no task")
		}
		old, _ := e.svc.Programme(ctx, e.qm, p.ID)
		if old.State != control.ProgrammeClosed || old.Overdue != 0 {
			t.Fatalf("old %+v", old)
		}
		// A closed programme's actions do not change.
		_, err = e.svc.MoveAction(ctx, e.qm, open.ID, control.ActionMove{To: control.ActionDone, Version: open.Version})
		wantKind(t, err, apperr.KindConflict)
		_, err = e.svc.NextProgramme(ctx, e.qm, p.ID)
		wantKind(t, err, apperr.KindConflict)
		if v, _ := apperr.AsValidation(err); v != nil {
			t.Fatal("want a conflict")
		}
	})
}

func TestBodiesMeetingsDecisions(t *testing.T) {
	run(t, func(t *testing.T, e *env) {
		ctx := t.Context()
		_, err := e.svc.CreateBody(ctx, e.qm, control.BodyInput{Kind: "board", Name: "x"})
		wantKey(t, err, control.FieldBodyKind, "error.choice")
		_, err = e.svc.CreateBody(ctx, e.emp, control.BodyInput{Kind: control.BodyCommission, Name: "x"})
		wantKind(t, err, apperr.KindForbidden)
		b, err := e.svc.CreateBody(ctx, e.qm, control.BodyInput{Kind: control.BodyCommission, Name: "Comisia de monitorizare",
			Decision: "Dispoziția primarului nr. 245/12.03.2024", DecisionOn: "2024-03-12", Active: true})
		if err != nil {
			t.Fatal(err)
		}
		_, err = e.svc.Body(ctx, e.other, b.ID)
		wantKind(t, err, apperr.KindNotFound)

		// Members: one current president, nobody twice, B's people refused.
		pres, err := e.svc.AddMember(ctx, e.qm, b.ID, control.MemberInput{PersonID: e.dan, Role: control.RolePresident, FromOn: "2024-03-12"})
		if err != nil {
			t.Fatal(err)
		}
		_, err = e.svc.AddMember(ctx, e.qm, b.ID, control.MemberInput{PersonID: e.ema, Role: control.RolePresident})
		wantKey(t, err, control.FieldMemRole, "controlprog.error.one_president")
		_, err = e.svc.AddMember(ctx, e.qm, b.ID, control.MemberInput{PersonID: e.dan, Role: control.RoleMember})
		wantKey(t, err, control.FieldMemPerson, "controlprog.error.member_twice")
		_, err = e.svc.AddMember(ctx, e.qm, b.ID, control.MemberInput{PersonID: e.bob, Role: control.RoleMember})
		wantKey(t, err, control.FieldMemPerson, "error.choice")
		_, err = e.svc.AddMember(ctx, e.qm, b.ID, control.MemberInput{PersonID: e.ema, Role: control.RoleMember, FromOn: "2026-01-10", UntilOn: "2025-01-01"})
		wantKey(t, err, control.FieldMemUntil, "controlprog.error.until_before_from")
		sec, err := e.svc.AddMember(ctx, e.qm, b.ID, control.MemberInput{PersonID: e.ana, Role: control.RoleSecretary, FromOn: "2024-03-12"})
		if err != nil {
			t.Fatal(err)
		}
		mem, err := e.svc.AddMember(ctx, e.qm, b.ID, control.MemberInput{PersonID: e.ema, Role: control.RoleMember, FromOn: "2024-03-12"})
		if err != nil {
			t.Fatal(err)
		}
		// The president leaves; a new one may come.
		if _, err := e.svc.UpdateMember(ctx, e.qm, b.ID, pres.ID, control.MemberInput{Role: control.RolePresident, FromOn: "2024-03-12", UntilOn: "2026-06-30", Version: pres.Version}); err != nil {
			t.Fatal(err)
		}
		if _, err := e.svc.UpdateMember(ctx, e.qm, b.ID, mem.ID, control.MemberInput{Role: control.RolePresident, FromOn: "2024-03-12", Version: mem.Version}); err != nil {
			t.Fatal(err)
		}
		ms, err := e.svc.Members(ctx, e.viewer, b.ID)
		if err != nil || len(ms) != 3 || ms[0].PersonID != e.ema || ms[2].PersonID != e.dan {
			t.Fatalf("members %+v %v", ms, err)
		}
		_, err = e.svc.UpdateMember(ctx, e.other, b.ID, sec.ID, control.MemberInput{Role: control.RoleMember, Version: sec.Version})
		wantKind(t, err, apperr.KindNotFound)

		// A planned meeting: an attend task for each current member.
		m, err := e.svc.CreateMeeting(ctx, e.qm, control.MeetingInput{BodyID: b.ID, HeldOn: "2026-12-10", Place: "Sala de ședințe", Agenda: "1. Programul de dezvoltare"})
		if err != nil {
			t.Fatal(err)
		}
		if e.openTasks(t, e.ema, control.EntityMeeting) != 1 || e.openTasks(t, e.ana, control.EntityMeeting) != 1 || e.openTasks(t, e.dan, control.EntityMeeting) != 0 {
			t.Fatal("attend tasks not given to the current members")
		}
		_, err = e.svc.CreateMeeting(ctx, e.qm, control.MeetingInput{BodyID: b.ID})
		wantKey(t, err, control.FieldMeetHeldOn, "error.required")
		_, err = e.svc.CreateMeeting(ctx, e.other, control.MeetingInput{BodyID: b.ID, HeldOn: "2026-12-10"})
		wantKey(t, err, control.FieldMeetBody, "error.choice")
		// Moved: the tasks move.
		m, err = e.svc.UpdateMeeting(ctx, e.qm, m.ID, control.MeetingInput{HeldOn: "2026-11-20", Place: m.Place, Agenda: m.Agenda, Version: m.Version})
		if err != nil {
			t.Fatal(err)
		}
		if due := e.taskDue(t, control.EntityMeeting, m.ID); len(due) < 10 {
			t.Fatalf("due %q", due)
		}
		if n := e.count(t, `SELECT COUNT(*) FROM tasks WHERE entity = 'control_meeting' AND entity_id = $1 AND state = 'open' AND due_on LIKE '2026-11-20%'`, m.ID); n != 2 {
			t.Fatalf("moved tasks %d", n)
		}
		// Decisions wait for the meeting to be held.
		_, err = e.svc.AddDecision(ctx, e.qm, m.ID, control.DecisionInput{Text: "Se aprobă programul"})
		wantKind(t, err, apperr.KindConflict)
		_, err = e.svc.UpdateMeeting(ctx, e.qm, m.ID, control.MeetingInput{HeldOn: m.HeldOn, Attendees: []int64{e.bob}, Version: m.Version})
		wantKey(t, err, control.FieldMeetAttendees, "controlprog.error.attendee")
		m, err = e.svc.UpdateMeeting(ctx, e.qm, m.ID, control.MeetingInput{Number: "PV nr. 4/2026", HeldOn: m.HeldOn, Place: m.Place, Agenda: m.Agenda,
			Minutes: "Președintele a prezentat stadiul implementării.", Attendees: []int64{e.ema, e.ana}, Version: m.Version})
		if err != nil {
			t.Fatal(err)
		}
		m, err = e.svc.MoveMeeting(ctx, e.qm, m.ID, control.MeetingMove{To: control.MeetingHeld, Version: m.Version})
		if err != nil {
			t.Fatal(err)
		}
		if len(m.Attendees) != 2 || e.openTasks(t, e.ema, control.EntityMeeting) != 0 {
			t.Fatalf("held %+v", m)
		}
		if n := e.count(t, `SELECT COUNT(*) FROM tasks WHERE entity = 'control_meeting' AND entity_id = $1 AND state = 'done'`, m.ID); n != 2 {
			t.Fatalf("done attend tasks %d", n)
		}
		d, err := e.svc.AddDecision(ctx, e.qm, m.ID, control.DecisionInput{Number: "Hotărârea nr. 3/2026", Text: "Se actualizează registrul riscurilor", OwnerID: e.ion, DueOn: "2026-12-31"})
		if err != nil {
			t.Fatal(err)
		}
		if e.openTasks(t, e.ion, control.EntityDecision) != 1 {
			t.Fatal("decision without task")
		}
		_, err = e.svc.AddDecision(ctx, e.qm, m.ID, control.DecisionInput{Text: " "})
		wantKey(t, err, control.FieldDecText, "error.required")
		_, err = e.svc.UpdateDecision(ctx, e.other, m.ID, d.ID, control.DecisionInput{Text: "x", Version: d.Version})
		wantKind(t, err, apperr.KindNotFound)
		d, err = e.svc.UpdateDecision(ctx, e.qm, m.ID, d.ID, control.DecisionInput{Number: d.Number, Text: d.Text, OwnerID: e.ema, DueOn: d.DueOn, Version: d.Version})
		if err != nil {
			t.Fatal(err)
		}
		if e.openTasks(t, e.ion, control.EntityDecision) != 0 || e.openTasks(t, e.ema, control.EntityDecision) != 1 {
			t.Fatal("decision task not moved")
		}
		d, err = e.svc.UpdateDecision(ctx, e.qm, m.ID, d.ID, control.DecisionInput{Number: d.Number, Text: d.Text, OwnerID: e.ema, DueOn: d.DueOn, State: control.ActionDone, Version: d.Version})
		if err != nil {
			t.Fatal(err)
		}
		if d.DoneOn != "2026-11-23" || e.openTasks(t, e.ema, control.EntityDecision) != 0 {
			t.Fatalf("decision done %+v", d)
		}
		for _, c := range []struct {
			name string
			f    control.DecisionFilter
			want int
		}{{"meeting", control.DecisionFilter{MeetingID: m.ID}, 1}, {"open", control.DecisionFilter{State: control.ActionOpen}, 0}, {"body", control.DecisionFilter{BodyID: b.ID}, 1}} {
			pg, err := e.svc.Decisions(ctx, e.viewer, c.f)
			if err != nil || pg.Total != c.want {
				t.Errorf("%s: %v %v", c.name, pg.Total, err)
			}
		}
		mp, err := e.svc.Meetings(ctx, e.viewer, control.MeetingFilter{Kind: control.BodyCommission, Year: 2026})
		if err != nil || mp.Total != 1 || mp.Items[0].Decisions != 1 {
			t.Fatalf("meetings %+v %v", mp, err)
		}
		if mp, _ := e.svc.Meetings(ctx, e.other, control.MeetingFilter{}); mp.Total != 0 {
			t.Fatal("B sees A's meetings")
		}
		for _, c := range []struct {
			entity string
			id     int64
			want   int
		}{{control.EntityBody, b.ID, 1}, {control.EntityMember, pres.ID, 2}, {control.EntityMeeting, m.ID, 4}, {control.EntityDecision, d.ID, 3}} {
			if n := e.auditCount(t, c.entity, c.id); n != c.want {
				t.Errorf("audit of %s: %d, want %d", c.entity, n, c.want)
			}
		}
		bs, err := e.svc.Bodies(ctx, e.viewer, control.BodyFilter{})
		if err != nil || bs.Total != 1 || bs.Items[0].Members != 2 || bs.Items[0].Meetings != 1 {
			t.Fatalf("bodies %+v %v", bs, err)
		}
	})
}
