package work_test

import (
	"sync"
	"testing"
	"time"

	"cadran/internal/db"
	"cadran/internal/db/dbtest"
	"cadran/internal/notify"
	"cadran/internal/work"
)

// local returns a moment in Bucharest (EET, UTC+2, in November).
func local(m time.Month, d, hour int) time.Time {
	return time.Date(2026, m, d, hour-2, 0, 0, 0, time.UTC)
}

func TestSchedulerSendsEachNoticeOnce(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		ctx := t.Context()
		sched := &work.Scheduler{Work: e.work, Auth: e.auth}
		ema := work.Assignee{PersonID: e.ema}
		thu := e.assign(t, work.NewTask{Ref: doc(1), Kind: work.KindApprove, Title: "Joi", Assignee: ema, Due: day(2026, 11, 26)})
		e.assign(t, work.NewTask{Ref: doc(2), Kind: work.KindApprove, Title: "Marți", Assignee: ema, Due: day(2026, 11, 24)})
		e.assign(t, work.NewTask{Ref: doc(3), Kind: work.KindApprove, Title: "Decembrie", Assignee: ema, Due: day(2026, 12, 10)})
		e.assign(t, work.NewTask{Ref: doc(4), Kind: work.KindApprove, Title: "Deja întârziată", Assignee: ema, Due: day(2026, 11, 20)})
		run := func(s *work.Scheduler, at time.Time) work.Run {
			t.Helper()
			e.clk.Set(at)
			r, err := s.RunOnce(ctx)
			if err != nil {
				t.Fatalf("run at %v: %v", at, err)
			}
			return r
		}
		// Monday 11:00: tasks given today get no reminder yet; the late one
		// gets its overdue notice.
		if r := run(sched, local(11, 23, 11)); r.Reminders != 0 || r.Overdue != 1 {
			t.Errorf("Monday: %+v, want 0 reminders, 1 overdue", r)
		}
		if r := run(sched, local(11, 23, 11).Add(5*time.Minute)); r.Reminders != 0 || r.Overdue != 0 {
			t.Errorf("Monday again: %+v, want nothing", r)
		}
		// Tuesday 05:00 is before the sending hour.
		if r := run(sched, local(11, 24, 5)); !r.Early {
			t.Errorf("Tuesday at five: %+v, want early", r)
		}
		// Tuesday 08:00: Thursday's task is 2 days away (within 3) and
		// Tuesday's is due today.
		if r := run(sched, local(11, 24, 8)); r.Reminders != 2 || r.Overdue != 0 {
			t.Errorf("Tuesday: %+v, want 2 reminders", r)
		}
		// A restart is a new scheduler: nothing is sent twice.
		restarted := &work.Scheduler{Work: e.work, Auth: e.auth}
		if r := run(restarted, local(11, 24, 9)); r.Reminders != 0 || r.Overdue != 0 {
			t.Errorf("after a restart: %+v, want nothing", r)
		}
		// Wednesday: Tuesday's task is overdue.
		if r := run(restarted, local(11, 25, 8)); r.Reminders != 0 || r.Overdue != 1 {
			t.Errorf("Wednesday: %+v, want 1 overdue", r)
		}
		// Thursday's task moves to 4 December: a new due day earns a new reminder.
		_, err := e.work.Reassign(ctx, e.qm, thu.ID, work.ReassignInput{Assignee: ema, Due: day(2026, 12, 4), Version: thu.Version})
		if err != nil {
			t.Fatal(err)
		}
		if n := e.notifications(t, e.emp, notify.EventRescheduled); n != 1 {
			t.Errorf("Ema was told of the new due day %d times, want once", n)
		}
		if r := run(restarted, local(12, 1, 8)); r.Reminders != 1 {
			t.Errorf("1 December: %+v, want the moved task's reminder", r)
		}
		if r := run(restarted, local(12, 5, 8)); r.Overdue != 1 {
			t.Errorf("5 December: %+v, want the moved task overdue", r)
		}
		if n := e.notifications(t, e.emp, notify.EventReminder); n != 3 {
			t.Errorf("reminders = %d, want 3", n)
		}
		if n := e.notifications(t, e.emp, notify.EventOverdue); n != 3 {
			t.Errorf("overdue notices = %d, want 3", n)
		}
		// Each (task, event) went out once, but for the moved task, which had
		// a reminder for each of its two due days.
		if n := e.count(t, `SELECT COUNT(*) FROM (SELECT task_id, event FROM notifications WHERE event IN ('reminder', 'overdue') GROUP BY task_id, event HAVING COUNT(*) > 1) dup`); n != 1 {
			t.Errorf("%d (task, event) pairs went out more than once, want only the moved task's reminder", n)
		}
	})
}

func TestSchedulerRespectsTheInstitutionsReminderDays(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		if _, err := d.W.ExecContext(t.Context(), `UPDATE institutions SET reminder_days = 7 WHERE id = $1`, e.a.ID); err != nil {
			t.Fatal(err)
		}
		e.assign(t, work.NewTask{Ref: doc(1), Kind: work.KindReport, Title: "Raport", Assignee: work.Assignee{PersonID: e.ema}, Due: day(2026, 12, 1)})
		sched := &work.Scheduler{Work: e.work, Auth: e.auth}
		e.clk.Set(local(11, 24, 8)) // 7 days before
		if r, err := sched.RunOnce(t.Context()); err != nil || r.Reminders != 1 {
			t.Errorf("seven days ahead: %+v, %v", r, err)
		}
		if _, err := d.W.ExecContext(t.Context(), `UPDATE institutions SET reminder_days = 0 WHERE id = $1`, e.a.ID); err != nil {
			t.Fatal(err)
		}
		e.assign(t, work.NewTask{Ref: doc(2), Kind: work.KindReport, Title: "Altul", Assignee: work.Assignee{PersonID: e.ema}, Due: day(2026, 11, 26)})
		e.clk.Set(local(11, 25, 8))
		if r, err := sched.RunOnce(t.Context()); err != nil || r.Reminders != 0 {
			t.Errorf("reminders off: %+v, %v", r, err)
		}
	})
}

// Several `cadran serve` processes share one database: their schedulers run
// at the same moment, and still every notice goes out once.
func TestConcurrentSchedulersSendOnce(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		people := []int64{e.ema, e.dan, e.ana, e.eve}
		for i := range 40 {
			e.assign(t, work.NewTask{Ref: doc(int64(i)), Kind: work.KindAct, Title: "Sarcina", Assignee: work.Assignee{PersonID: people[i%4]}, Due: day(2026, 11, 20+i%10)})
		}
		e.clk.Set(local(11, 25, 8))
		var wg sync.WaitGroup
		results := make([]work.Run, 4)
		errs := make([]error, 4)
		for i := range 4 {
			// Each process has its own services over the same database.
			s := &work.Scheduler{Work: &work.Service{DB: d, Clock: e.clk, Notify: e.notes}, Auth: e.auth}
			wg.Go(func() { results[i], errs[i] = s.RunOnce(t.Context()) })
		}
		wg.Wait()
		total := 0
		for i := range 4 {
			if errs[i] != nil {
				t.Fatalf("scheduler %d: %v", i, errs[i])
			}
			total += results[i].Reminders + results[i].Overdue
		}
		// Due 20..24 Nov are overdue (20 tasks); due 25..28 are within 3 days (16 tasks).
		if total != 36 {
			t.Errorf("notices sent by all schedulers = %d, want 36 (%+v)", total, results)
		}
		if n := e.count(t, `SELECT COUNT(*) FROM notifications WHERE event IN ('reminder', 'overdue')`); n != 36 {
			t.Errorf("notifications = %d, want 36", n)
		}
	})
}
