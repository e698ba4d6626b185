package improvement_test

import (
	"database/sql"
	"errors"
	"testing"

	"cadran/internal/apperr"
	"cadran/internal/audit"
	"cadran/internal/db"
	"cadran/internal/db/dbtest"
	"cadran/internal/improvement"
)

// TestNonconformityLifecycle follows one case from the report to its
// closure: the quality office accepts it and names its owner, the owner
// analyses it and plans an action, the action's owner carries it out, a
// different person finds it not effective (the case goes back to analysis)
// and, after a second action, effective.
func TestNonconformityLifecycle(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		ctx := t.Context()
		s := e.svc
		n := e.report(t, e.emp, "Răspuns întârziat la o petiție")
		if n.Code != "NC-2026-001" || n.State != improvement.StateReported || n.ReporterID != e.ema {
			t.Fatalf("reported: %+v", n)
		}
		if got := e.report(t, e.emp, "A doua"); got.Code != "NC-2026-002" {
			t.Errorf("second code %s", got.Code)
		}
		if e.openTasks(t, 0, "quality_manager") != 2 {
			t.Error("the quality office has no task to triage the reports")
		}

		// Only the quality office triages.
		_, err := s.Step(ctx, e.emp, n.ID, improvement.StepInput{Action: improvement.ActAccept, Version: n.Version})
		wantForbidden(t, err)
		_, err = s.Step(ctx, e.qm, n.ID, improvement.StepInput{Action: improvement.ActAccept, OwnerID: e.dan, Version: n.Version + 1})
		if !errors.Is(err, apperr.ErrConflict) {
			t.Fatalf("stale accept: %v", err)
		}
		n = must(s.Step(ctx, e.qm, n.ID, improvement.StepInput{Action: improvement.ActAccept, OwnerID: e.dan, Version: n.Version}))(t)
		if n.State != improvement.StateAnalysis || n.OwnerID != e.dan {
			t.Fatalf("accepted: %+v", n)
		}
		if e.openTasks(t, 0, "quality_manager") != 1 || e.openTasks(t, e.dan, "") != 1 {
			t.Error("the triage task did not close, or the owner got no analysis task")
		}

		// No plan without a root cause and an action.
		_, err = s.Step(ctx, e.head, n.ID, improvement.StepInput{Action: improvement.ActPlan, Version: n.Version})
		wantConflict(t, err, "nc.error.no_root_cause")
		in := improvement.AnalysisInput{Version: n.Version, Analysis: improvement.Analysis{
			Whys: []improvement.Why{{Why: "De ce a întârziat răspunsul?", Because: "Petiția a stat 30 de zile la registratură."}, {}, {Why: "De ce a stat?", Because: "Nu era repartizată."}},
			Causes: []improvement.Cause{{Category: improvement.CatMethods, Cause: "Procedura nu spune cine repartizează petițiile.", Root: true},
				{Category: improvement.CatPeople, Cause: "Personal nou, neinstruit."}, {Category: improvement.CatEquipment, Cause: ""}},
			Conclusion: "Lipsește pasul de repartizare din procedură."}}
		bad := in
		bad.Causes = []improvement.Cause{{Category: "weather", Cause: "Ploaie"}}
		_, err = s.SaveAnalysis(ctx, e.head, n.ID, bad)
		wantKey(t, err, "causes", "error.choice")
		_, err = s.SaveAnalysis(ctx, e.emp, n.ID, in)
		wantForbidden(t, err)
		n = must(s.SaveAnalysis(ctx, e.head, n.ID, in))(t)
		_, err = s.SaveAnalysis(ctx, e.head, n.ID, in) // the page loaded before the save
		if !errors.Is(err, apperr.ErrConflict) {
			t.Fatalf("stale analysis saved: %v", err)
		}
		an := must(s.Analysis(ctx, e.emp, n.ID))(t)
		if len(an.Whys) != 2 || len(an.Causes) != 2 || len(an.RootCauses()) != 1 || an.Conclusion == "" {
			t.Fatalf("analysis: %+v", an)
		}
		_, err = s.Step(ctx, e.head, n.ID, improvement.StepInput{Action: improvement.ActPlan, Version: n.Version})
		wantConflict(t, err, "nc.error.no_action")

		_, err = s.AddAction(ctx, e.head, n.ID, improvement.ActionInput{Description: "Revizuirea procedurii", OwnerID: e.ion, DueOn: day(-1)})
		wantKey(t, err, "due", "nc.error.past")
		_, err = s.AddAction(ctx, e.emp, n.ID, improvement.ActionInput{Description: "Revizuirea procedurii", OwnerID: e.ion, DueOn: day(10)})
		wantForbidden(t, err)
		act := must(s.AddAction(ctx, e.head, n.ID, improvement.ActionInput{Description: "Revizuirea procedurii de registratură", OwnerID: e.ion, DueOn: day(10)}))(t)
		if e.openTasks(t, e.ion, "") != 1 {
			t.Error("the action's owner has no task")
		}
		n = must(s.Step(ctx, e.head, n.ID, improvement.StepInput{Action: improvement.ActPlan, Version: n.Version}))(t)
		if n.State != improvement.StateActions || n.OpenActions != 1 || n.NextDue != day(10) || e.openTasks(t, e.dan, "") != 0 {
			t.Fatalf("planned: %+v, owner tasks %d", n, e.openTasks(t, e.dan, ""))
		}
		_, err = s.Step(ctx, e.head, n.ID, improvement.StepInput{Action: improvement.ActVerify, CheckerID: e.aura, CheckOn: day(30), Version: n.Version})
		wantConflict(t, err, "nc.error.actions_open")

		// The action's owner carries it out, saying what was done.
		_, err = s.CompleteAction(ctx, e.emp2, n.ID, act.ID, improvement.DoneInput{Version: act.Version})
		wantKey(t, err, "done_note", "nc.error.done_note")
		_, err = s.CompleteAction(ctx, e.emp, n.ID, act.ID, improvement.DoneInput{Note: "Gata", Version: act.Version})
		wantForbidden(t, err)
		act = must(s.CompleteAction(ctx, e.emp2, n.ID, act.ID, improvement.DoneInput{Note: "Procedura revizuită, aprobată la 30.11.2026.", Version: act.Version}))(t)
		if act.State != improvement.ActionDone || act.DoneBy != "ion" || e.openTasks(t, e.ion, "") != 0 {
			t.Fatalf("done: %+v", act)
		}

		// The checker is neither the case's owner nor an action's owner, and can sign in.
		for _, c := range []struct {
			person int64
			key    string
		}{{e.dan, "nc.error.checker_owner"}, {e.ion, "nc.error.checker_action_owner"}, {e.nobody, "nc.error.checker_no_account"}} {
			_, err = s.Step(ctx, e.head, n.ID, improvement.StepInput{Action: improvement.ActVerify, CheckerID: c.person, CheckOn: day(30), Version: n.Version})
			wantKey(t, err, "checker_id", c.key)
		}
		_, err = s.Step(ctx, e.head, n.ID, improvement.StepInput{Action: improvement.ActVerify, CheckerID: e.aura, CheckOn: day(-2), Version: n.Version})
		wantKey(t, err, "check_on", "nc.error.past")
		n = must(s.Step(ctx, e.head, n.ID, improvement.StepInput{Action: improvement.ActVerify, CheckerID: e.aura, CheckOn: day(30), Version: n.Version}))(t)
		if n.State != improvement.StateVerification || e.openTasks(t, e.aura, "") != 1 {
			t.Fatalf("verification: %+v", n)
		}
		// Only the named checker records the verdict; not effective needs a reason.
		_, err = s.Step(ctx, e.qm, n.ID, improvement.StepInput{Action: improvement.ActEffective, Version: n.Version})
		wantForbidden(t, err)
		_, err = s.Step(ctx, e.auditor, n.ID, improvement.StepInput{Action: improvement.ActNotEffective, Version: n.Version})
		wantKey(t, err, "reason", "workflow.error.reason_required")
		n = must(s.Step(ctx, e.auditor, n.ID, improvement.StepInput{Action: improvement.ActNotEffective, Reason: "În decembrie trei petiții au întârziat din nou.", Version: n.Version}))(t)
		if n.State != improvement.StateAnalysis || n.Reopened != 1 || e.openTasks(t, e.aura, "") != 0 || e.openTasks(t, e.dan, "") != 1 {
			t.Fatalf("not effective: %+v", n)
		}

		// A second round: a new action, carried out, checked effective.
		_, err = s.Step(ctx, e.head, n.ID, improvement.StepInput{Action: improvement.ActPlan, Version: n.Version})
		wantConflict(t, err, "nc.error.no_action")
		act2 := must(s.AddAction(ctx, e.qm, n.ID, improvement.ActionInput{Description: "Instruirea personalului registraturii", OwnerID: e.ema, DueOn: day(5)}))(t)
		act2 = must(s.UpdateAction(ctx, e.head, n.ID, act2.ID, improvement.ActionInput{Description: "Instruirea personalului registraturii", OwnerID: e.ion, DueOn: day(7), Version: act2.Version}))(t)
		if e.openTasks(t, e.ema, "") != 0 || e.openTasks(t, e.ion, "") != 1 {
			t.Error("the task did not follow the action to its new owner")
		}
		n = must(s.Step(ctx, e.head, n.ID, improvement.StepInput{Action: improvement.ActPlan, Version: n.Version}))(t)
		must(s.CompleteAction(ctx, e.head, n.ID, act2.ID, improvement.DoneInput{Note: "Instruire ținută la 1.12.2026.", Version: act2.Version}))(t)
		n = must(s.Step(ctx, e.head, n.ID, improvement.StepInput{Action: improvement.ActVerify, CheckerID: e.aura, CheckOn: day(20), Version: n.Version}))(t)
		n = must(s.Step(ctx, e.auditor, n.ID, improvement.StepInput{Action: improvement.ActEffective, Version: n.Version}))(t)
		if n.State != improvement.StateClosed || n.ClosedOn != day(0) || n.IsOpen() {
			t.Fatalf("closed: %+v", n)
		}
		v := must(s.Open(ctx, e.emp, n.ID))(t)
		if len(v.Checks) != 2 || v.Checks[0].Verdict != improvement.VerdictNotEffective || v.Checks[1].Verdict != improvement.VerdictEffective || v.Pending != nil {
			t.Errorf("checks: %+v", v.Checks)
		}
		wantSteps := []string{"report", "accept", "plan", "verify", "not_effective", "plan", "verify", "effective"}
		if len(v.History) != len(wantSteps) {
			t.Fatalf("history: %+v", v.History)
		}
		for i, st := range v.History {
			if st.Action != wantSteps[i] {
				t.Errorf("step %d is %s, want %s", i, st.Action, wantSteps[i])
			}
		}
		if v.History[4].Reason == "" || len(v.Moves) != 0 || v.MayEdit {
			t.Errorf("closed case: reason %q, moves %v, may edit %v", v.History[4].Reason, v.Moves, v.MayEdit)
		}
		if e.count(t, `SELECT COUNT(*) FROM tasks WHERE module = 'improvement' AND state = 'open' AND entity_id IN ($1)`, n.ID) != 0 {
			t.Error("a closed case left open tasks")
		}
		if k := e.count(t, `SELECT COUNT(*) FROM audit_events WHERE entity = 'nonconformity' AND entity_id = $1 AND action = 'transition'`, n.ID); k != 7 {
			t.Errorf("%d transitions audited, want 7", k)
		}
		if _, brk, err := audit.Verify(ctx, d.R); err != nil || brk != nil {
			t.Errorf("audit chain: %v %v", brk, err)
		}
		// Nothing changes on a closed case.
		_, err = s.Update(ctx, e.qm, n.ID, improvement.NCInput{Title: "X", Source: "other", Severity: "minor", Version: n.Version})
		wantConflict(t, err, "nc.error.closed")
	})
}

// TestDeclineAndCancel: a report that is not a nonconformity is declined
// with a reason, and the quality office cancels an open case, which
// cancels its actions and tasks.
func TestDeclineAndCancel(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		ctx := t.Context()
		s := e.svc
		n := e.report(t, e.emp, "Imprimanta nu merge")
		_, err := s.Step(ctx, e.qm, n.ID, improvement.StepInput{Action: improvement.ActDecline, Version: n.Version})
		wantKey(t, err, "reason", "workflow.error.reason_required")
		n = must(s.Step(ctx, e.qm, n.ID, improvement.StepInput{Action: improvement.ActDecline, Reason: "Defecțiune tehnică, nu o neconformitate.", Version: n.Version}))(t)
		if n.State != improvement.StateDeclined || n.ClosedOn == "" || e.openTasks(t, 0, "quality_manager") != 0 {
			t.Fatalf("declined: %+v", n)
		}

		m := e.report(t, e.emp, "Dosare incomplete")
		m = must(s.Step(ctx, e.qm, m.ID, improvement.StepInput{Action: improvement.ActAccept, Version: m.Version}))(t)
		if e.openTasks(t, 0, "quality_manager") != 1 {
			t.Error("without an owner, the analysis goes to the quality office")
		}
		must(s.AddAction(ctx, e.qm, m.ID, improvement.ActionInput{Description: "Listă de verificare", OwnerID: e.ema, DueOn: day(3)}))(t)
		_, err = s.Step(ctx, e.head, m.ID, improvement.StepInput{Action: improvement.ActCancel, Reason: "x", Version: m.Version})
		wantForbidden(t, err)
		m = must(s.Step(ctx, e.qm, m.ID, improvement.StepInput{Action: improvement.ActCancel, Reason: "Dublură a NC-2026-001.", Version: m.Version}))(t)
		if m.State != improvement.StateCancelled || m.OpenActions != 0 || e.openTasks(t, e.ema, "") != 0 || e.openTasks(t, 0, "quality_manager") != 0 {
			t.Fatalf("cancelled: %+v", m)
		}
		// A workflow step that does not apply is a conflict.
		_, err = s.Step(ctx, e.qm, m.ID, improvement.StepInput{Action: improvement.ActAccept, Version: m.Version})
		wantConflict(t, err, "workflow.error.transition")
	})
}

// TestRaiseJoinsTheCallersTransaction: another module's record and the
// case it raises are written together, or neither.
func TestRaiseJoinsTheCallersTransaction(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		ctx := t.Context()
		in := improvement.NCInput{Title: "Constatare de audit: registrul de petiții incomplet", Source: improvement.SourceInternalAudit,
			SourceModule: "audits", SourceEntity: "finding", SourceID: 42, Severity: improvement.SeverityMajor, UnitID: e.registry}
		boom := errors.New("the audit failed to save")
		err := d.Tx(ctx, func(tx *sql.Tx) error {
			if _, err := e.svc.Raise(ctx, tx, e.auditor, in); err != nil {
				return err
			}
			return boom
		})
		if !errors.Is(err, boom) || e.count(t, `SELECT COUNT(*) FROM nonconformities`) != 0 || e.count(t, `SELECT COUNT(*) FROM tasks WHERE module = 'improvement'`) != 0 {
			t.Fatalf("a rolled-back raise left a case: %v", err)
		}
		var n improvement.Nonconformity
		if err := d.Tx(ctx, func(tx *sql.Tx) (err error) {
			n, err = e.svc.Raise(ctx, tx, e.auditor, in)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		found := must(e.svc.BySource(ctx, e.qm, "audits", "finding", 42))(t)
		if len(found) != 1 || found[0].ID != n.ID || found[0].Severity != improvement.SeverityMajor {
			t.Fatalf("by source: %+v", found)
		}
		// The form cannot forge a link to another module's record.
		f := must(e.svc.Create(ctx, e.emp, in))(t)
		if f.SourceModule != "" || f.SourceID != 0 {
			t.Errorf("form set the source link: %+v", f)
		}
		// The viewer of B sees nothing of it.
		if _, err := e.svc.Nonconformity(ctx, e.other, n.ID); !errors.Is(err, apperr.ErrNotFound) {
			t.Errorf("B read A's case: %v", err)
		}
		if _, err := e.svc.Step(ctx, e.other, n.ID, improvement.StepInput{Action: improvement.ActAccept, Version: n.Version}); !errors.Is(err, apperr.ErrNotFound) {
			t.Errorf("B moved A's case: %v", err)
		}
		if _, err := e.svc.AddAction(ctx, e.other, n.ID, improvement.ActionInput{Description: "x", OwnerID: e.ion, DueOn: day(3)}); !errors.Is(err, apperr.ErrNotFound) {
			t.Errorf("B added an action to A's case: %v", err)
		}
	})
}

// TestReportValidation: the form's input is checked and normalised.
func TestReportValidation(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		ctx := t.Context()
		cases := []struct {
			name, field, key string
			in               improvement.NCInput
		}{
			{"no title", "title", "error.required", improvement.NCInput{Source: "other", Severity: "minor"}},
			{"bad source", "source", "error.choice", improvement.NCInput{Title: "x", Source: "rumour", Severity: "minor"}},
			{"bad severity", "severity", "error.choice", improvement.NCInput{Title: "x", Source: "other", Severity: "critical"}},
			{"future", "detected_on", "nc.error.future", improvement.NCInput{Title: "x", Source: "other", Severity: "minor", DetectedOn: day(2)}},
			{"bad date", "detected_on", "error.date", improvement.NCInput{Title: "x", Source: "other", Severity: "minor", DetectedOn: "31.02.2026"}},
			{"bad clause", "clause", "error.choice", improvement.NCInput{Title: "x", Source: "other", Severity: "minor", Clause: "11.4"}},
			{"foreign unit", "unit_id", "error.choice", improvement.NCInput{Title: "x", Source: "other", Severity: "minor", UnitID: 999999}},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				_, err := e.svc.Create(ctx, e.emp, c.in)
				wantKey(t, err, c.field, c.key)
			})
		}
		n := must(e.svc.Create(ctx, e.emp, improvement.NCInput{Title: "  Termen   depăşit  ", Source: "other", Severity: "minor"}))(t)
		if n.Title != "Termen depășit" || n.DetectedOn != day(0) {
			t.Errorf("normalised: %q %s", n.Title, n.DetectedOn)
		}
		if _, err := e.svc.Create(ctx, e.other, improvement.NCInput{Title: "x", Source: "other", Severity: "minor", UnitID: e.tax}); err == nil {
			t.Error("B reported a case in A's unit")
		}
		// The viewer may not report; the reporter edits only while it waits.
		viewer := e.emp
		viewer.Roles = nil
		_, err := e.svc.Create(ctx, viewer, improvement.NCInput{Title: "x", Source: "other", Severity: "minor"})
		wantForbidden(t, err)
		in := improvement.NCInput{Title: "Termen depășit la eliberarea certificatelor", Source: "complaint", Severity: "major", Version: n.Version}
		n = must(e.svc.Update(ctx, e.emp, n.ID, in))(t)
		_, err = e.svc.Update(ctx, e.emp, n.ID, in)
		if !errors.Is(err, apperr.ErrConflict) {
			t.Errorf("stale update: %v", err)
		}
		n = must(e.svc.Step(ctx, e.qm, n.ID, improvement.StepInput{Action: improvement.ActAccept, Version: n.Version}))(t)
		in.Version = n.Version
		_, err = e.svc.Update(ctx, e.emp, n.ID, in)
		wantForbidden(t, err)
	})
}
