package work_test

import (
	"database/sql"
	"testing"

	"cadran/internal/apperr"
	"cadran/internal/audit"
	"cadran/internal/auth"
	"cadran/internal/db"
	"cadran/internal/db/dbtest"
	"cadran/internal/notify"
	"cadran/internal/work"
)

// AssignMany stores the tasks as Assign would: the inbox lists them, the
// trail has one event each and chains with events written before and after,
// people are told in the app.
func TestAssignManyStoresAuditsAndNotifies(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		ctx := t.Context()
		e.assign(t, work.NewTask{Ref: doc(1), Kind: work.KindApprove, Title: "Aprobare PO-DE-01", Assignee: work.Assignee{PersonID: e.dan}, Due: day(2026, 11, 27)})
		ref := work.Ref{Module: "risks", Entity: "measure", ID: 9}
		var ts []work.NewTask
		for i := range 40 {
			who := work.Assignee{PersonID: e.ema}
			switch i % 4 {
			case 1:
				who = work.Assignee{PersonID: e.ion} // no account: nobody to tell in the app
			case 2:
				who = work.Assignee{Role: auth.RoleHeadOfUnit, UnitID: e.economic}
			}
			ts = append(ts, work.NewTask{Ref: ref, Kind: work.KindAct, Title: "Implementați măsura de control", Assignee: who, Due: day(2026, 12, 15)})
		}
		var n int
		err := d.Tx(ctx, func(tx *sql.Tx) error {
			rec, err := audit.NewRecorder(ctx, tx, e.a.ID)
			if err != nil {
				return err
			}
			if n, err = e.work.AssignMany(ctx, tx, e.sys, rec, ts); err != nil {
				return err
			}
			return rec.Close(ctx)
		})
		if err != nil || n != 40 {
			t.Fatalf("AssignMany = %d, %v", n, err)
		}
		e.assign(t, work.NewTask{Ref: doc(2), Kind: work.KindApprove, Title: "Aprobare PO-DE-02", Assignee: work.Assignee{PersonID: e.dan}, Due: day(2026, 11, 28)})
		if got := e.count(t, `SELECT COUNT(*) FROM tasks WHERE module = 'risks' AND state = 'open' AND due_on = '2026-12-15'`); got != 40 {
			t.Errorf("stored tasks = %d, want 40", got)
		}
		// Ema: 20 tasks; Dan heads the economic directorate: 10 by role plus 2 approvals.
		if got := e.notifications(t, e.emp, notify.EventAssigned); got != 20 {
			t.Errorf("Ema's notifications = %d, want 20", got)
		}
		if got := e.notifications(t, e.head, notify.EventAssigned); got != 12 {
			t.Errorf("Dan's notifications = %d, want 12", got)
		}
		mine, err := e.work.MyWork(ctx, e.emp, "")
		if err != nil {
			t.Fatal(err)
		}
		if mine.Total != 20 {
			t.Errorf("Ema's inbox holds %d open tasks, want 20", mine.Total)
		}
		if got := e.count(t, `SELECT COUNT(*) FROM audit_events WHERE entity = 'task' AND action = 'create'`); got != 42 {
			t.Errorf("task audit events = %d, want 42", got)
		}
		if _, brk, err := audit.Verify(ctx, d.R); err != nil || brk != nil {
			t.Errorf("audit chain: %v %v", brk, err)
		}
	})
}

// A bad task refuses the batch with the validation error, and a person of
// another institution is refused as Assign refuses it.
func TestAssignManyRefuses(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		ctx := t.Context()
		for name, bad := range map[string]work.NewTask{
			"no title":          {Ref: doc(1), Kind: work.KindAct, Assignee: work.Assignee{PersonID: e.ema}, Due: day(2026, 12, 1)},
			"another tenant":    {Ref: doc(1), Kind: work.KindAct, Title: "Măsură", Assignee: work.Assignee{PersonID: e.bob}, Due: day(2026, 12, 1)},
			"no due day":        {Ref: doc(1), Kind: work.KindAct, Title: "Măsură", Assignee: work.Assignee{PersonID: e.ema}},
			"person and a role": {Ref: doc(1), Kind: work.KindAct, Title: "Măsură", Assignee: work.Assignee{PersonID: e.ema, Role: auth.RoleEmployee}, Due: day(2026, 12, 1)},
		} {
			err := d.Tx(ctx, func(tx *sql.Tx) error {
				rec, err := audit.NewRecorder(ctx, tx, e.a.ID)
				if err != nil {
					return err
				}
				good := work.NewTask{Ref: doc(1), Kind: work.KindAct, Title: "Măsură bună", Assignee: work.Assignee{PersonID: e.ema}, Due: day(2026, 12, 1)}
				if _, err := e.work.AssignMany(ctx, tx, e.sys, rec, []work.NewTask{good, bad}); err != nil {
					return err
				}
				return rec.Close(ctx)
			})
			if _, ok := apperr.AsValidation(err); !ok {
				t.Errorf("%s: error = %v, want a validation error", name, err)
			}
		}
		if got := e.count(t, `SELECT COUNT(*) FROM tasks`); got != 0 {
			t.Errorf("tasks left after refused batches: %d", got)
		}
	})
}
