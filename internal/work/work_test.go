package work_test

import (
	"context"
	"database/sql"
	"errors"
	"os"
	"testing"
	"time"

	"cadran/internal/apperr"
	"cadran/internal/audit"
	"cadran/internal/auth"
	"cadran/internal/clock"
	"cadran/internal/db"
	"cadran/internal/db/dbtest"
	"cadran/internal/i18n"
	"cadran/internal/notify"
	"cadran/internal/org"
	"cadran/internal/work"
)

func TestMain(m *testing.M) { os.Exit(dbtest.Main(m)) }

// t0 is Monday 23 November 2026, 11:00 in Bucharest.
var t0 = time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

const password = "parola-buna-2026"

// env is an institution A with a quality office and an economic directorate
// (with a budget service under it), and an institution B.
type env struct {
	d     *db.DB
	clk   *clock.Fixed
	org   *org.Service
	auth  *auth.Service
	notes *notify.Service
	work  *work.Service
	a, b  org.Institution

	quality, economic, budget int64 // units of A
	ana, dan, ema, ion, eve   int64 // people of A
	bob                       int64 // a person of B

	qm, head, emp, eng, other auth.Actor // users: Ana (quality manager), Dan (head of the directorate), Ema (employee), Eve (English), Bob (B)
	sys                       auth.Actor
}

func newEnv(t *testing.T, d *db.DB) *env {
	t.Helper()
	ctx := t.Context()
	clk := clock.NewFixed(t0)
	e := &env{d: d, clk: clk, org: &org.Service{DB: d, Clock: clk}, auth: &auth.Service{DB: d, Clock: clk}}
	e.notes = &notify.Service{DB: d, Clock: clk, Bundle: i18n.MustLoad(), BaseURL: "https://cadran.example.ro"}
	e.work = &work.Service{DB: d, Clock: clk, Notify: e.notes}
	var err error
	if e.a, err = e.org.CreateInstitutionSystem(ctx, org.InstitutionInput{Name: "Primăria Municipiului Târgu Mureș", CUI: "4322823", Kind: org.KindMunicipality, County: "Mureș"}); err != nil {
		t.Fatal(err)
	}
	if e.b, err = e.org.CreateInstitutionSystem(ctx, org.InstitutionInput{Name: "Primăria Orașului Sovata", CUI: "4305857", Kind: org.KindTown, County: "Mureș"}); err != nil {
		t.Fatal(err)
	}
	sysA, sysB := auth.SystemActor(e.a.ID, "test"), auth.SystemActor(e.b.ID, "test")
	e.sys = sysA
	unit := func(a auth.Actor, parent int64, name string) int64 {
		u, err := e.org.CreateUnit(ctx, a, org.UnitInput{ParentID: parent, Name: name, Kind: "directorate", Relation: "own"})
		if err != nil {
			t.Fatalf("unit %s: %v", name, err)
		}
		return u.ID
	}
	e.quality = unit(sysA, 0, "Compartimentul Managementul Calității")
	e.economic = unit(sysA, 0, "Direcția Economică")
	e.budget = unit(sysA, e.economic, "Serviciul Buget")
	person := func(a auth.Actor, u int64, name, email string) int64 {
		p, err := e.org.CreatePerson(ctx, a, org.PersonInput{UnitID: u, FullName: name, Email: email, Position: org.PositionExecution, Employment: org.EmploymentCivilServant, Active: true})
		if err != nil {
			t.Fatalf("person %s: %v", name, err)
		}
		return p.ID
	}
	e.ana = person(sysA, e.quality, "Ana Mureșan", "ana@example.ro")
	e.dan = person(sysA, e.economic, "Dan Țurcanu", "dan@example.ro")
	e.ema = person(sysA, e.budget, "Ema Știrbu", "ema@example.ro")
	e.ion = person(sysA, e.budget, "Ion Bălan", "ion@example.ro")
	e.eve = person(sysA, e.quality, "Eve Smith", "eve@example.ro")
	e.bob = person(sysB, 0, "Bob Bratu", "bob@example.ro")
	user := func(a auth.Actor, name string, pid int64, locale string, roles ...auth.Role) auth.Actor {
		u, err := e.auth.CreateUser(ctx, a, auth.UserInput{Username: name, DisplayName: name, Password: password, PersonID: pid, Locale: locale, Roles: roles})
		if err != nil {
			t.Fatalf("user %s: %v", name, err)
		}
		act, err := e.auth.ActorByID(ctx, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		return act
	}
	e.qm = user(sysA, "ana", e.ana, "ro", auth.RoleQualityManager)
	e.head = user(sysA, "dan", e.dan, "ro", auth.RoleHeadOfUnit)
	e.emp = user(sysA, "ema", e.ema, "ro", auth.RoleEmployee)
	e.eng = user(sysA, "eve", e.eve, "en", auth.RoleEmployee)
	e.other = user(sysB, "bob", e.bob, "ro", auth.RoleQualityManager)
	return e
}

// assign hands out a task as a module would, in its own transaction.
func (e *env) assign(t *testing.T, nt work.NewTask) work.Task {
	t.Helper()
	var task work.Task
	err := e.d.Tx(t.Context(), func(tx *sql.Tx) error {
		var err error
		task, err = e.work.Assign(t.Context(), tx, e.sys, nt)
		return err
	})
	if err != nil {
		t.Fatalf("assign %q: %v", nt.Title, err)
	}
	return task
}

func doc(id int64) work.Ref { return work.Ref{Module: "documents", Entity: "document", ID: id} }

func (e *env) count(t *testing.T, q string, args ...any) int {
	t.Helper()
	var n int
	if err := e.d.R.QueryRowContext(t.Context(), q, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return n
}

func (e *env) notifications(t *testing.T, a auth.Actor, event string) int {
	t.Helper()
	return e.count(t, `SELECT COUNT(*) FROM notifications WHERE user_id = $1 AND event = $2`, a.UserID, event)
}

func titles(ts []work.Task) []string {
	out := make([]string, len(ts))
	for i, t := range ts {
		out[i] = t.Title
	}
	return out
}

func equal(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestAssignAndCloseWithTheRecord(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		ctx := t.Context()
		approve := e.assign(t, work.NewTask{Ref: doc(7), Kind: work.KindApprove, Title: "Aprobare PO-DE-03 Întocmirea bugetului", Link: "/documents/7", Assignee: work.Assignee{PersonID: e.dan}, Due: day(2026, 11, 27)})
		ackEma := e.assign(t, work.NewTask{Ref: doc(7), Kind: work.KindAcknowledge, Title: "Citiți PO-DE-03", Link: "/documents/7", Assignee: work.Assignee{PersonID: e.ema}, Due: day(2026, 12, 4)})
		ackIon := e.assign(t, work.NewTask{Ref: doc(7), Kind: work.KindAcknowledge, Title: "Citiți PO-DE-03", Link: "/documents/7", Assignee: work.Assignee{PersonID: e.ion}, Due: day(2026, 12, 4)})
		if approve.State != work.StateOpen || approve.Priority != work.PriorityNormal || approve.UnitName != "Direcția Economică" || approve.URL() != "/documents/7" {
			t.Errorf("assigned task = %+v", approve)
		}
		// Users are told in the app; Ion has no account, so only e-mail could reach him.
		if n := e.notifications(t, e.head, notify.EventAssigned); n != 1 {
			t.Errorf("Dan's notifications = %d, want 1", n)
		}
		if n := e.count(t, `SELECT COUNT(*) FROM notifications`); n != 2 {
			t.Errorf("notifications = %d, want 2 (Dan, Ema)", n)
		}
		// Ema reads the procedure: only her acknowledgement closes.
		var n int
		err := d.Tx(ctx, func(tx *sql.Tx) error {
			var err error
			n, err = e.work.Close(ctx, tx, e.emp, work.Selector{Ref: doc(7), Kind: work.KindAcknowledge, PersonID: e.ema}, work.StateDone)
			return err
		})
		if err != nil || n != 1 {
			t.Fatalf("close Ema's acknowledgement = %d, %v", n, err)
		}
		if got, _ := e.work.Task(ctx, e.sys, ackEma.ID); got.State != work.StateDone || got.ClosedBy != "ema" || got.ClosedAt == nil {
			t.Errorf("Ema's task = %+v, want done by ema", got)
		}
		if got, _ := e.work.Task(ctx, e.sys, ackIon.ID); got.State != work.StateOpen {
			t.Errorf("Ion's task closed with Ema's")
		}
		// The document is withdrawn: every open task of it is cancelled.
		err = d.Tx(ctx, func(tx *sql.Tx) error {
			var err error
			n, err = e.work.Close(ctx, tx, e.sys, work.Selector{Ref: doc(7)}, work.StateCancelled)
			return err
		})
		if err != nil || n != 2 {
			t.Fatalf("close the record's tasks = %d, %v; want 2", n, err)
		}
		if open := e.count(t, `SELECT COUNT(*) FROM tasks WHERE state = 'open'`); open != 0 {
			t.Errorf("open tasks left = %d", open)
		}
		// Every change is in the trail, and the chain holds.
		if ev := e.count(t, `SELECT COUNT(*) FROM audit_events WHERE entity = 'task'`); ev != 6 {
			t.Errorf("task audit events = %d, want 6 (3 created, 3 closed)", ev)
		}
		if _, brk, err := audit.Verify(ctx, d.R); err != nil || brk != nil {
			t.Errorf("audit chain: %v %v", brk, err)
		}
	})
}

func TestAssignRollsBackWithTheModule(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		boom := errors.New("the module failed after assigning")
		err := d.Tx(t.Context(), func(tx *sql.Tx) error {
			if _, err := e.work.Assign(t.Context(), tx, e.sys, work.NewTask{Ref: doc(1), Kind: work.KindApprove, Title: "Aprobare", Assignee: work.Assignee{PersonID: e.dan}, Due: day(2026, 12, 1)}); err != nil {
				return err
			}
			return boom
		})
		if !errors.Is(err, boom) {
			t.Fatalf("tx error = %v", err)
		}
		for _, table := range []string{"tasks", "notifications"} {
			if n := e.count(t, `SELECT COUNT(*) FROM `+table); n != 0 {
				t.Errorf("%s left after rollback: %d", table, n)
			}
		}
		if n := e.count(t, `SELECT COUNT(*) FROM audit_events WHERE entity = 'task'`); n != 0 {
			t.Errorf("audit events left after rollback: %d", n)
		}
	})
}

func TestAssignValidates(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		ok := work.NewTask{Ref: doc(1), Kind: work.KindApprove, Title: "Aprobare", Assignee: work.Assignee{PersonID: e.dan}, Due: day(2026, 12, 1)}
		cases := []struct {
			name  string
			edit  func(*work.NewTask)
			field string
		}{
			{"no title", func(n *work.NewTask) { n.Title = "  " }, "title"},
			{"unknown kind", func(n *work.NewTask) { n.Kind = "dance" }, "kind"},
			{"no due day", func(n *work.NewTask) { n.Due = time.Time{} }, "due"},
			{"bad priority", func(n *work.NewTask) { n.Priority = "urgent" }, "priority"},
			{"nobody", func(n *work.NewTask) { n.Assignee = work.Assignee{} }, "assignee"},
			{"both", func(n *work.NewTask) { n.Assignee.Role = auth.RoleHeadOfUnit }, "assignee"},
			{"unknown role", func(n *work.NewTask) { n.Assignee = work.Assignee{Role: "king"} }, "role"},
			{"person of another institution", func(n *work.NewTask) { n.Assignee = work.Assignee{PersonID: e.bob} }, "person_id"},
		}
		for _, c := range cases {
			nt := ok
			c.edit(&nt)
			err := d.Tx(t.Context(), func(tx *sql.Tx) error {
				_, err := e.work.Assign(t.Context(), tx, e.sys, nt)
				return err
			})
			v, isV := apperr.AsValidation(err)
			if !isV || v[c.field] == "" {
				t.Errorf("%s: error = %v, want a validation error on %s", c.name, err, c.field)
			}
		}
	})
}

func TestMyWorkGroupsByDueDay(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		ctx := t.Context()
		mk := func(title, kind string, due time.Time, as work.Assignee) work.Task {
			return e.assign(t, work.NewTask{Ref: work.Ref{Module: "test", Entity: "thing", ID: 1}, Kind: kind, Title: title, Assignee: as, Due: due})
		}
		ema := work.Assignee{PersonID: e.ema}
		mk("Raport trimestrial", work.KindReport, day(2026, 11, 20), ema)    // overdue
		mk("Ședință CMC", work.KindAttend, day(2026, 11, 23), ema)           // today
		mk("Citiți procedura", work.KindAcknowledge, day(2026, 11, 29), ema) // Sunday: this week
		mk("Răspuns petiție", work.KindAnswer, day(2026, 11, 30), ema)       // next Monday: later
		mk("Acțiune corectivă", work.KindAct, day(2027, 1, 15), ema)         // later
		// Role tasks: the head of the economic directorate, and any quality manager.
		mk("Aprobare buget", work.KindApprove, day(2026, 11, 24), work.Assignee{Role: auth.RoleHeadOfUnit, UnitID: e.economic})
		mk("Analiza riscurilor", work.KindAct, day(2026, 11, 10), work.Assignee{Role: auth.RoleQualityManager})
		// Closed tasks do not count.
		closed := e.assign(t, work.NewTask{Ref: work.Ref{Module: "test", Entity: "thing", ID: 2}, Kind: work.KindAct, Title: "Deja făcut", Assignee: ema, Due: day(2026, 11, 21)})
		if err := d.Tx(ctx, func(tx *sql.Tx) error {
			_, err := e.work.Close(ctx, tx, e.sys, work.Selector{Ref: closed.Ref, PersonID: e.ema, Kind: work.KindAct}, work.StateDone)
			return err
		}); err != nil {
			t.Fatal(err)
		}

		in, err := e.work.MyWork(ctx, e.emp, "")
		if err != nil {
			t.Fatal(err)
		}
		if got := titles(in.Overdue); !equal(got, []string{"Raport trimestrial"}) {
			t.Errorf("overdue = %v", got)
		}
		if got := titles(in.ThisWeek); !equal(got, []string{"Ședință CMC", "Citiți procedura"}) {
			t.Errorf("this week = %v", got)
		}
		if got := titles(in.Later); !equal(got, []string{"Răspuns petiție", "Acțiune corectivă"}) {
			t.Errorf("later = %v", got)
		}
		if in.Total != 5 || in.KindCounts[work.KindAct] != 1 {
			t.Errorf("total = %d, counts = %v", in.Total, in.KindCounts)
		}
		if in.Heads || in.Oversees {
			t.Errorf("an employee heads or oversees: %+v", in)
		}
		filtered, err := e.work.MyWork(ctx, e.emp, work.KindAttend)
		if err != nil {
			t.Fatal(err)
		}
		if filtered.Total != 1 || len(filtered.ThisWeek) != 1 || filtered.KindCounts[work.KindReport] != 1 {
			t.Errorf("kind filter: %+v", filtered)
		}
		c, err := e.work.Counts(ctx, e.emp)
		if err != nil || c.Open != 5 || c.Overdue != 1 {
			t.Errorf("counts = %+v, %v; want 5 open, 1 overdue", c, err)
		}

		// Dan heads the directorate: the role task is his, and he sees Ema's
		// work (the budget service is under his directorate).
		dan, err := e.work.MyWork(ctx, e.head, "")
		if err != nil {
			t.Fatal(err)
		}
		if got := titles(dan.ThisWeek); !equal(got, []string{"Aprobare buget"}) {
			t.Errorf("Dan's this week = %v", got)
		}
		if !dan.Heads || dan.UnitTotal != 5 || len(dan.Unit) != 5 {
			t.Errorf("Dan's unit view: heads=%v total=%d %v", dan.Heads, dan.UnitTotal, titles(dan.Unit))
		}
		// Ana is the quality manager: the institution-wide role task is hers,
		// and she sees every overdue task.
		ana, err := e.work.MyWork(ctx, e.qm, "")
		if err != nil {
			t.Fatal(err)
		}
		if got := titles(ana.Overdue); !equal(got, []string{"Analiza riscurilor"}) {
			t.Errorf("Ana's overdue = %v", got)
		}
		if !ana.Oversees || ana.InstitutionTotal != 2 || !equal(titles(ana.Institution), []string{"Analiza riscurilor", "Raport trimestrial"}) {
			t.Errorf("Ana's institution view: %d %v", ana.InstitutionTotal, titles(ana.Institution))
		}
		// B's quality manager sees none of it.
		bob, err := e.work.MyWork(ctx, e.other, "")
		if err != nil || bob.Total != 0 || bob.InstitutionTotal != 0 {
			t.Errorf("the other institution sees %+v, %v", bob, err)
		}
	})
}

func TestTaskAccess(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		ctx := t.Context()
		danTask := e.assign(t, work.NewTask{Ref: doc(3), Kind: work.KindApprove, Title: "Aprobare", Assignee: work.Assignee{PersonID: e.dan}, Due: day(2026, 12, 1)})
		emaTask := e.assign(t, work.NewTask{Ref: doc(3), Kind: work.KindAcknowledge, Title: "Citire", Assignee: work.Assignee{PersonID: e.ema}, Due: day(2026, 12, 1)})
		if _, err := e.work.Task(ctx, e.emp, danTask.ID); !errors.Is(err, apperr.ErrForbidden) {
			t.Errorf("Ema opens Dan's task: %v, want forbidden", err)
		}
		if _, err := e.work.Task(ctx, e.head, emaTask.ID); err != nil {
			t.Errorf("Dan opens the task of someone in his directorate: %v", err)
		}
		if _, err := e.work.Task(ctx, e.qm, danTask.ID); err != nil {
			t.Errorf("the quality manager opens any task: %v", err)
		}
		if _, err := e.work.Task(ctx, e.other, danTask.ID); !errors.Is(err, apperr.ErrNotFound) {
			t.Errorf("another institution opens the task: %v, want not found", err)
		}
		tasks, total, err := e.work.List(ctx, e.other, work.Filter{Scope: "all"})
		if err != nil || total != 0 || len(tasks) != 0 {
			t.Errorf("another institution lists %d tasks, %v", total, err)
		}
	})
}

func TestManualTasks(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		ctx := t.Context()
		in := work.ManualInput{Title: "Actualizați registrul riscurilor", Details: "Serviciul Buget\npână la ședința CMC", Assignee: work.Assignee{PersonID: e.ema}, Due: day(2026, 12, 10), Priority: work.PriorityHigh}
		if _, err := e.work.CreateManual(ctx, e.emp, in); !errors.Is(err, apperr.ErrForbidden) {
			t.Errorf("an employee hands out work: %v", err)
		}
		outside := in
		outside.Assignee = work.Assignee{PersonID: e.ana}
		if _, err := e.work.CreateManual(ctx, e.head, outside); err == nil {
			t.Error("a head of unit handed work outside their units")
		} else if v, _ := apperr.AsValidation(err); v["assignee"] != "task.error.outside_unit" {
			t.Errorf("outside the unit: %v", err)
		}
		past := in
		past.Due = day(2026, 11, 20)
		if _, err := e.work.CreateManual(ctx, e.head, past); err == nil {
			t.Error("a task due in the past was accepted")
		}
		task, err := e.work.CreateManual(ctx, e.head, in)
		if err != nil {
			t.Fatal(err)
		}
		if task.Kind != work.KindAct || !task.Manual() || task.URL() == "" || task.CreatedBy != e.head.UserID {
			t.Errorf("manual task = %+v", task)
		}
		ab, err := e.work.Abilities(ctx, e.emp, task)
		if err != nil || !ab.Complete || ab.Cancel || ab.Reassign {
			t.Errorf("Ema's abilities = %+v, %v; want only complete", ab, err)
		}
		// Reassign to Ion, with a reason; stale versions are refused.
		if _, err := e.work.Reassign(ctx, e.head, task.ID, work.ReassignInput{Assignee: work.Assignee{PersonID: e.ion}, Due: day(2026, 12, 11), Version: task.Version + 1}); !errors.Is(err, apperr.ErrConflict) {
			t.Errorf("stale reassign: %v", err)
		}
		moved, err := e.work.Reassign(ctx, e.head, task.ID, work.ReassignInput{Assignee: work.Assignee{PersonID: e.ion}, Due: day(2026, 12, 11), Reason: "Ema este în concediu", Version: task.Version})
		if err != nil {
			t.Fatal(err)
		}
		if moved.PersonID != e.ion || !moved.Due.Equal(day(2026, 12, 11)) {
			t.Errorf("moved = %+v", moved)
		}
		evs, _, err := audit.List(ctx, d.R, e.a.ID, audit.Filter{Entity: "task", EntityID: task.ID})
		if err != nil || len(evs) != 2 || evs[0].Action != audit.ActionReassign || evs[0].Summary != "Actualizați registrul riscurilor — Ema este în concediu" || evs[0].Before == "" || evs[0].After == "" {
			t.Errorf("reassign trail = %+v, %v", evs, err)
		}
		// Ema, who was told of it, may still read it but no longer act on it;
		// Dan completes it on Ion's behalf.
		if _, err := e.work.Task(ctx, e.emp, task.ID); err != nil {
			t.Errorf("Ema cannot read the task she was told about: %v", err)
		}
		if _, err := e.work.Task(ctx, e.eng, task.ID); !errors.Is(err, apperr.ErrForbidden) {
			t.Errorf("Eve, never told of it, reads the task: %v", err)
		}
		if _, err := e.work.Complete(ctx, e.emp, task.ID, moved.Version); !errors.Is(err, apperr.ErrForbidden) {
			t.Errorf("Ema completes a task no longer hers: %v", err)
		}
		done, err := e.work.Complete(ctx, e.head, task.ID, moved.Version)
		if err != nil || done.State != work.StateDone {
			t.Fatalf("complete = %+v, %v", done, err)
		}
		if _, err := e.work.Cancel(ctx, e.head, task.ID, done.Version); !errors.Is(err, apperr.ErrConflict) {
			t.Errorf("cancel a closed task: %v", err)
		}
		// A module's task closes with its record, not by hand.
		mod := e.assign(t, work.NewTask{Ref: doc(9), Kind: work.KindApprove, Title: "Aprobare", Assignee: work.Assignee{PersonID: e.ema}, Due: day(2026, 12, 1)})
		if _, err := e.work.Complete(ctx, e.emp, mod.ID, mod.Version); err == nil {
			t.Error("a module's task was closed by hand")
		} else if ae := (*apperr.Error)(nil); !errors.As(err, &ae) || ae.Key != "task.error.closes_with_record" {
			t.Errorf("close by hand: %v", err)
		}
	})
}

func TestCalendarFeedTokens(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		ctx := t.Context()
		tok, err := e.work.NewFeed(ctx, e.emp)
		if err != nil || len(tok) < 40 {
			t.Fatalf("token %q, %v", tok, err)
		}
		if uid, err := e.work.FeedUser(ctx, tok); err != nil || uid != e.emp.UserID {
			t.Errorf("feed user = %d, %v", uid, err)
		}
		f, err := e.work.Feed(ctx, e.emp)
		if err != nil || !f.Active || f.LastUsedAt == nil {
			t.Errorf("feed = %+v, %v", f, err)
		}
		if n := e.count(t, `SELECT COUNT(*) FROM calendar_feeds WHERE token_hash = $1`, tok); n != 0 {
			t.Error("the token is stored in clear")
		}
		renewed, err := e.work.NewFeed(ctx, e.emp)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := e.work.FeedUser(ctx, tok); !errors.Is(err, apperr.ErrNotFound) {
			t.Errorf("the old address still works: %v", err)
		}
		if err := e.work.RevokeFeed(ctx, e.emp); err != nil {
			t.Fatal(err)
		}
		if _, err := e.work.FeedUser(ctx, renewed); !errors.Is(err, apperr.ErrNotFound) {
			t.Errorf("a revoked address still works: %v", err)
		}
		if n := e.count(t, `SELECT COUNT(*) FROM audit_events WHERE entity = 'calendar_feed'`); n != 3 {
			t.Errorf("calendar audit events = %d, want 3", n)
		}
	})
}

var _ = context.Background
