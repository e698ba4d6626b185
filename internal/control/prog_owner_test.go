package control_test

import (
	"testing"

	"cadran/internal/apperr"
	"cadran/internal/control"
)

// TestActionOwnerReportsDone: the owner of an action, an employee without
// the module's view permission, reads the action their task links to and
// reports it done, which closes the task; they cannot cancel it, nor read or
// move an action that is not theirs. A carried-over action's deadline moves
// into the new year.
func TestActionOwnerReportsDone(t *testing.T) {
	run(t, func(t *testing.T, e *env) {
		ctx := t.Context()
		p, err := e.svc.CreateProgramme(ctx, e.qm, control.ProgrammeInput{Year: 2026})
		if err != nil {
			t.Fatal(err)
		}
		mine, err := e.svc.CreateAction(ctx, e.qm, control.ActionInput{ProgrammeID: p.ID, Standard: 13, Title: "Nomenclatorul arhivistic actualizat", OwnerID: e.ema, DueOn: "2026-12-15"})
		if err != nil {
			t.Fatal(err)
		}
		other, err := e.svc.CreateAction(ctx, e.qm, control.ActionInput{ProgrammeID: p.ID, Standard: 11, Title: "Planul de continuitate", OwnerID: e.ion, DueOn: "2026-06-30"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := e.svc.Action(ctx, e.emp, mine.ID); err != nil {
			t.Fatalf("the owner cannot read their action: %v", err)
		}
		if _, err := e.svc.Action(ctx, e.emp, other.ID); apperr.KindOf(err) != apperr.KindForbidden {
			t.Fatalf("an employee read someone else's action: %v", err)
		}
		_, err = e.svc.MoveAction(ctx, e.emp, mine.ID, control.ActionMove{To: control.ActionCancelled, Version: mine.Version})
		wantKind(t, err, apperr.KindForbidden)
		_, err = e.svc.MoveAction(ctx, e.emp, other.ID, control.ActionMove{To: control.ActionDone, Version: other.Version})
		wantKind(t, err, apperr.KindForbidden)
		done, err := e.svc.MoveAction(ctx, e.emp, mine.ID, control.ActionMove{To: control.ActionDone, Result: "Nomenclatorul a fost aprobat și transmis la Arhivele Naționale.", Version: mine.Version})
		if err != nil {
			t.Fatalf("the owner cannot report done: %v", err)
		}
		if done.State != control.ActionDone || done.DoneOn != "2026-11-23" {
			t.Fatalf("done %+v", done)
		}
		if n := e.openTasks(t, e.ema, control.EntityAction); n != 0 {
			t.Fatalf("the owner's task is still open (%d)", n)
		}
		// Reopening is the office's.
		_, err = e.svc.MoveAction(ctx, e.emp, mine.ID, control.ActionMove{To: control.ActionOpen, Version: done.Version})
		wantKind(t, err, apperr.KindForbidden)

		// Carried into 2027, the open action due 30 June 2026 is due 30 June 2027.
		p, _ = e.svc.Programme(ctx, e.qm, p.ID)
		if _, err := e.svc.MoveProgramme(ctx, e.qm, p.ID, control.ProgrammeMove{Action: control.ProgrammeApprove, Decision: "Dispoziția nr. 5/10.01.2026", ApprovedOn: "2026-01-10", Version: p.Version}); err != nil {
			t.Fatal(err)
		}
		next, err := e.svc.NextProgramme(ctx, e.qm, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		pg, err := e.svc.Actions(ctx, e.qm, control.ActionFilter{ProgrammeID: next.ID})
		if err != nil || pg.Total != 1 {
			t.Fatalf("carried %+v %v", pg, err)
		}
		if got := pg.Items[0].DueOn; got != "2027-06-30" {
			t.Fatalf("carried deadline %s, want 2027-06-30", got)
		}
	})
}
