package caf_test

import (
	"errors"
	"strings"
	"testing"

	"cadran/internal/apperr"
	"cadran/internal/caf"
	"cadran/internal/db"
	"cadran/internal/db/dbtest"
	"cadran/internal/improvement"
)

// TestCycleLifecycle runs one classical cycle from planning to closure:
// the group, the tasks, the individual assessments hidden until submitted,
// the consensus, the results, the plan with its tasks and its case, and the
// next cycle.
func TestCycleLifecycle(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		ctx := t.Context()
		s := e.svc

		// Creating: a code for the start year, the ten steps, the leader in
		// the group; a second cycle the same year gets -2.
		_, err := s.CreateCycle(ctx, e.emp, caf.CycleInput{Title: "x"})
		wantForbidden(t, err)
		_, err = s.CreateCycle(ctx, e.qm, caf.CycleInput{Model: "1999", Panel: "stars", StartOn: day(5), EndOn: day(1)})
		wantKey(t, err, "caf_model", "error.choice")
		wantKey(t, err, "caf_panel", "error.choice")
		wantKey(t, err, "caf_end", "caf.error.end_before_start")
		_, err = s.CreateCycle(ctx, e.qm, caf.CycleInput{LeaderID: e.bob})
		wantKey(t, err, "caf_leader", "error.choice")
		c := must(s.CreateCycle(ctx, e.qm, caf.CycleInput{Title: "Autoevaluare CAF 2026", LeaderID: e.dan, StartOn: day(-10), EndOn: day(40)}))(t)
		if c.Code != "CAF-2026" || c.Model != "2020" || c.Panel != caf.PanelClassical || c.State != caf.StatePlanning || c.LeaderName != "Dan Țurcanu" {
			t.Fatalf("created %+v", c)
		}
		if c2 := must(s.CreateCycle(ctx, e.qm, caf.CycleInput{UnitID: e.econ}))(t); c2.Code != "CAF-2026-2" || c2.UnitName != "Direcția Economică" || c2.Title != "Autoevaluare CAF 2026" {
			t.Errorf("second %+v", c2)
		}
		if steps := must(s.StepsOf(ctx, e.viewer, c.ID))(t); len(steps) != 10 || steps[9].N != 10 || steps[2].Phase() != "assessment" {
			t.Errorf("steps %+v", steps)
		}
		ms := must(s.Members(ctx, e.viewer, c.ID))(t)
		if len(ms) != 1 || ms[0].PersonID != e.dan || ms[0].Role != caf.RoleLeader || ms[0].Position != "management" || ms[0].UnitName != "Direcția Economică" {
			t.Fatalf("members %+v", ms)
		}
		if page := must(s.Cycles(ctx, e.viewer, caf.CycleFilter{Query: "caf 2026", Year: 2026, Sort: "code"}))(t); page.Total != 2 || page.Items[0].Code != "CAF-2026" {
			t.Errorf("list %+v", page)
		}
		if page := must(s.Cycles(ctx, e.viewer, caf.CycleFilter{State: caf.StateClosed}))(t); page.Total != 0 {
			t.Errorf("closed %+v", page)
		}

		// Steps: done not in the future; managers and the leader only.
		wantKey(t, s.SetStep(ctx, e.qm, c.ID, caf.Step{N: 1, DoneOn: day(1)}), "caf_step_done", "caf.error.future")
		wantForbidden(t, s.SetStep(ctx, e.emp, c.ID, caf.Step{N: 1, DoneOn: day(-1)}))
		ok(t, s.SetStep(ctx, e.head, c.ID, caf.Step{N: 1, PlannedOn: day(-9), DoneOn: day(-8), Notes: "Decizia nr. 112/2026"}))
		if steps := must(s.StepsOf(ctx, e.qm, c.ID))(t); steps[0].DoneOn != day(-8) || steps[0].Notes != "Decizia nr. 112/2026" {
			t.Errorf("step 1 %+v", steps[0])
		}

		// The group: a leader alone cannot start; a foreign person is refused.
		_, err = s.Fire(ctx, e.qm, c.ID, caf.ActStart, c.Version, "")
		wantConflict(t, err, "caf.error.too_few_members")
		wantKey(t, s.AddMember(ctx, e.qm, c.ID, caf.MemberInput{PersonID: e.bob}), "caf_member", "error.choice")
		wantForbidden(t, s.AddMember(ctx, e.emp, c.ID, caf.MemberInput{PersonID: e.ema}))
		ok(t, s.AddMember(ctx, e.head, c.ID, caf.MemberInput{PersonID: e.ema}))
		wantConflict(t, s.AddMember(ctx, e.qm, c.ID, caf.MemberInput{PersonID: e.ema}), "caf.error.member_exists")
		wantConflict(t, s.RemoveMember(ctx, e.qm, c.ID, e.dan), "caf.error.remove_leader")
		if acts := s.Actions(ctx, e.emp, c); len(acts) != 0 {
			t.Errorf("an employee's actions %v", acts)
		}
		if acts := s.Actions(ctx, e.head, c); strings.Join(acts, ",") != "start,cancel" {
			t.Errorf("the leader's actions %v", acts)
		}

		// Start: every member gets the task, due at the cycle's end.
		c = fire(t, e, e.head, c, caf.ActStart, "")
		if c.State != caf.StateAssessing || e.openTasks(t, e.dan, caf.EntityCycle) != 1 || e.openTasks(t, e.ema, caf.EntityCycle) != 1 {
			t.Fatalf("started %+v", c)
		}
		if n := e.count(t, `SELECT COUNT(*) FROM tasks WHERE module = 'caf' AND person_id = $1 AND due_on = $2`, e.ema, day(40)); n != 1 {
			t.Errorf("the task is not due at the cycle's end (%d)", n)
		}
		// A member added now gets the task too; removing them cancels it.
		ok(t, s.AddMember(ctx, e.qm, c.ID, caf.MemberInput{PersonID: e.ion}))
		if e.openTasks(t, e.ion, caf.EntityCycle) != 1 {
			t.Error("Ion has no task")
		}
		_, err = s.UpdateCycle(ctx, e.qm, c.ID, caf.CycleInput{Title: c.Title, Panel: caf.PanelFineTuned, LeaderID: c.LeaderID, Version: c.Version})
		wantKey(t, err, "caf_panel", "caf.error.panel_locked")

		// Individual assessment: only members; partial saves; the texts.
		_, err = s.SaveAssessment(ctx, e.qm, c.ID, caf.AssessmentInput{Sub: "1.1", Scores: caf.Scores{Score: F(50)}})
		if !errors.Is(err, apperr.ErrForbidden) {
			t.Fatalf("a non-member assesses: %v", err)
		}
		_, err = s.SaveAssessment(ctx, e.emp, c.ID, caf.AssessmentInput{Sub: "1.1", Scores: caf.Scores{Score: F(150)}})
		wantKey(t, err, "caf_score", "caf.error.score_range")
		_, err = s.SaveAssessment(ctx, e.emp, c.ID, caf.AssessmentInput{Sub: "10.1", Scores: caf.Scores{Score: F(50)}})
		wantKey(t, err, "caf_sub", "error.choice")
		x := must(s.SaveAssessment(ctx, e.emp2, c.ID, caf.AssessmentInput{Sub: "1.1", Evidence: "Ciornă", Scores: caf.Scores{Score: F(10)}}))(t)
		if !near(x.Score, 10) || x.Version != 1 {
			t.Fatalf("draft %+v", x)
		}
		_, err = s.SaveAssessment(ctx, e.emp2, c.ID, caf.AssessmentInput{Sub: "1.1", Scores: caf.Scores{Score: F(20)}, Version: 7})
		if !errors.Is(err, apperr.ErrConflict) {
			t.Fatalf("stale save: %v", err)
		}
		ok(t, s.RemoveMember(ctx, e.qm, c.ID, e.ion))
		if e.openTasks(t, e.ion, caf.EntityCycle) != 0 || e.count(t, `SELECT COUNT(*) FROM caf_assessments WHERE person_id = $1`, e.ion) != 0 {
			t.Error("Ion's task or draft survived his removal")
		}

		// Ema scores 1.1 at 40, Dan at 80: 40 apart, wide.
		e.fill(t, e.emp, c, func(code string) float64 {
			if code == "1.1" {
				return 40
			}
			return 50
		})
		e.fill(t, e.head, c, func(code string) float64 {
			if code == "1.1" {
				return 80
			}
			return 60
		})
		// Visibility. Before anyone submits, each sees only their own.
		sv := must(s.SubBoard(ctx, e.emp, c.ID, "1.1"))(t)
		if len(sv.Members) != 2 || !sv.Members[0].Hidden || sv.Members[0].Score != nil || sv.Members[1].Hidden || !near(sv.Members[1].Score, 40) {
			t.Fatalf("Ema before submitting: %+v", sv.Members)
		}
		if !near(sv.Mean, 40) || sv.Wide {
			t.Errorf("Ema's view counts what she cannot see: %+v", sv)
		}
		// The quality manager (not a member) sees nothing not submitted.
		if sv := must(s.SubBoard(ctx, e.qm, c.ID, "1.1"))(t); !sv.Members[0].Hidden || !sv.Members[1].Hidden || sv.Mean != nil {
			t.Errorf("the manager sees drafts: %+v", sv.Members)
		}
		// Submitting an incomplete assessment names what is missing.
		ok(t, s.SetStep(ctx, e.qm, c.ID, caf.Step{N: 2, DoneOn: day(-5)}))
		_, err = s.SaveAssessment(ctx, e.emp, c.ID, caf.AssessmentInput{Sub: "9.2", Scores: caf.Scores{}, Version: 1})
		ok(t, err)
		err = s.Submit(ctx, e.emp, c.ID)
		var ae *apperr.Error
		if !errors.As(err, &ae) || ae.Kind != apperr.KindInvalid || ae.Key != "caf.error.incomplete" || ae.Args["Subs"] != "9.2" || ae.Args["Count"] != 1 {
			t.Fatalf("incomplete submit: %v", err)
		}
		_, err = s.SaveAssessment(ctx, e.emp, c.ID, caf.AssessmentInput{Sub: "9.2", Scores: caf.Scores{Score: F(50)}, Version: 2})
		ok(t, err)
		ok(t, s.Submit(ctx, e.emp, c.ID))
		if e.openTasks(t, e.ema, caf.EntityCycle) != 0 || e.count(t, `SELECT COUNT(*) FROM tasks WHERE module = 'caf' AND person_id = $1 AND state = 'done'`, e.ema) != 1 {
			t.Error("Ema's task did not close as done")
		}
		_, err = s.SaveAssessment(ctx, e.emp, c.ID, caf.AssessmentInput{Sub: "1.1", Scores: caf.Scores{Score: F(45)}, Version: 1})
		wantConflict(t, err, "caf.error.submitted")
		// Ema has submitted, Dan not: she still cannot see his; he cannot
		// see hers (he has not submitted); the manager now sees hers.
		if sv := must(s.SubBoard(ctx, e.emp, c.ID, "1.1"))(t); !sv.Members[0].Hidden {
			t.Error("Ema sees Dan's draft")
		}
		if sv := must(s.SubBoard(ctx, e.head, c.ID, "1.1"))(t); !sv.Members[1].Hidden || sv.Members[1].Strengths != "" || sv.Members[0].Hidden {
			t.Errorf("Dan before submitting: %+v", sv.Members)
		}
		if sv := must(s.SubBoard(ctx, e.qm, c.ID, "1.1"))(t); !sv.Members[0].Hidden || sv.Members[1].Hidden {
			t.Errorf("the manager after Ema submitted: %+v", sv.Members)
		}
		// Both submitted: both see both; mean (80 + 40) / 2 = 60, spread 40, wide.
		ok(t, s.Submit(ctx, e.head, c.ID))
		for _, a := range []string{"ema", "dan"} {
			actor := e.emp
			if a == "dan" {
				actor = e.head
			}
			sv := must(s.SubBoard(ctx, actor, c.ID, "1.1"))(t)
			if sv.Members[0].Hidden || sv.Members[1].Hidden || !near(sv.Mean, 60) || sv.Spread != 40 || !sv.Wide || !near(sv.Min, 40) || !near(sv.Max, 80) {
				t.Errorf("%s after both submitted: %+v", a, sv)
			}
		}
		// 1.2: 50 and 60, spread 10, not wide.
		board := must(s.Board(ctx, e.emp, c.ID))(t)
		if len(board) != 28 || board[1].Sub != "1.2" || board[1].Wide || board[1].Spread != 10 || !board[0].Enabler || board[27].Enabler {
			t.Errorf("board %+v", board[1])
		}
		// The viewer (no member, no manager) waits for the consensus stage.
		if vb := must(s.Board(ctx, e.viewer, c.ID))(t); !vb[0].Members[0].Hidden || vb[0].Mean != nil {
			t.Error("the viewer sees individual scores during the assessment")
		}

		// Consensus: nobody late, tasks closed; improving needs every score.
		c = must(s.Cycle(ctx, e.qm, c.ID))(t)
		_, err = s.SaveConsensus(ctx, e.qm, c.ID, caf.ConsensusInput{Sub: "1.1", Scores: caf.Scores{Score: F(60)}, AgreedOn: day(0)})
		wantConflict(t, err, "caf.error.not_consensus")
		c = fire(t, e, e.qm, c, caf.ActConsensus, "")
		if sv := must(s.SubBoard(ctx, e.viewer, c.ID, "1.1"))(t); sv.Members[0].Hidden {
			t.Error("the viewer cannot see the submitted scores at the consensus stage")
		}
		_, err = s.Fire(ctx, e.qm, c.ID, caf.ActImprove, c.Version, "")
		if !errors.As(err, &ae) || ae.Key != "caf.error.consensus_missing" || ae.Args["Count"] != 28 {
			t.Fatalf("improve without consensus: %v", err)
		}
		_, err = s.SaveConsensus(ctx, e.emp, c.ID, caf.ConsensusInput{Sub: "1.1", Scores: caf.Scores{Score: F(60)}, AgreedOn: day(0)})
		wantForbidden(t, err)
		_, err = s.SaveConsensus(ctx, e.qm, c.ID, caf.ConsensusInput{Sub: "1.1", Scores: caf.Scores{}, AgreedOn: day(1)})
		wantKey(t, err, "caf_score", "error.required")
		wantKey(t, err, "caf_agreed_on", "caf.error.future")
		// Consensus: 1.1 = 60; criterion 1's others 55; every other 50
		// except 9.2, left for last.
		for _, sub := range c.CAF().Subs() {
			v := 50.0
			switch {
			case sub.Code == "1.1":
				v = 60
			case strings.HasPrefix(sub.Code, "1."):
				v = 55
			case sub.Code == "9.2":
				continue
			}
			x := must(s.SaveConsensus(ctx, e.head, c.ID, caf.ConsensusInput{Sub: sub.Code, Scores: caf.Scores{Score: F(v)}, Strengths: "Puncte forte", Improvements: "De îmbunătățit", AgreedOn: day(0)}))(t)
			if x.RecordedBy != e.head.Name || x.Version != 1 {
				t.Fatalf("consensus %+v", x)
			}
		}
		_, err = s.Fire(ctx, e.qm, c.ID, caf.ActImprove, c.Version, "")
		if !errors.As(err, &ae) || ae.Args["Subs"] != "9.2" {
			t.Fatalf("improve with 9.2 missing: %v", err)
		}
		r := must(s.ResultsOf(ctx, e.viewer, c.ID))(t)
		// Criterion 1: (60 + 55 + 55 + 55) / 4 = 56.25; criterion 9: 9.1 only = 50;
		// enablers (60 + 3 × 55 + 16 × 50) / 20 = 1025 / 20 = 51.25; results: 7 × 50 / 7 = 50;
		// total (1025 + 350) / 27 = 50.925...
		if r.Missing != 1 || !near(r.Criteria[0].Score, 56.25) || !near(r.Criteria[8].Score, 50) || !near(r.Enablers.Score, 51.25) ||
			!near(r.Results.Score, 50) || !near(r.Total.Score, 1375.0/27) || r.Previous != nil {
			t.Errorf("results %+v", r)
		}
		_, err = s.SaveConsensus(ctx, e.qm, c.ID, caf.ConsensusInput{Sub: "9.2", Scores: caf.Scores{Score: F(30)}, AgreedOn: day(0), Version: 3})
		ok(t, err) // a first consensus has no version to be stale against
		x92 := must(s.SubBoard(ctx, e.qm, c.ID, "9.2"))(t).Consensus
		_, err = s.SaveConsensus(ctx, e.qm, c.ID, caf.ConsensusInput{Sub: "9.2", Scores: caf.Scores{Score: F(35)}, AgreedOn: day(0), Version: x92.Version + 1})
		if !errors.Is(err, apperr.ErrConflict) {
			t.Fatalf("stale consensus: %v", err)
		}
		c = fire(t, e, e.qm, c, caf.ActImprove, "")

		// The plan: an action with an owner and a due date is Ema's task.
		_, err = s.CreateAction(ctx, e.qm, c.ID, caf.ActionInput{Title: "", Impact: 4, Ease: 0, OwnerID: e.bob, DueOn: "mâine"})
		wantKey(t, err, "caf_action_title", "error.required")
		wantKey(t, err, "caf_action_impact", "error.choice")
		wantKey(t, err, "caf_action_ease", "error.choice")
		wantKey(t, err, "caf_action_due", "error.date")
		_, err = s.CreateAction(ctx, e.qm, c.ID, caf.ActionInput{Title: "x", Impact: 1, Ease: 1, OwnerID: e.bob})
		wantKey(t, err, "caf_action_owner", "error.choice")
		quick := must(s.CreateAction(ctx, e.qm, c.ID, caf.ActionInput{Sub: "9.2", Title: "Indicatori de eficiență pe procese", Impact: 3, Ease: 3, OwnerID: e.ema, DueOn: day(60)}))(t)
		slow := must(s.CreateAction(ctx, e.head, c.ID, caf.ActionInput{Sub: "4.5", Title: "Digitalizarea arhivei", Impact: 3, Ease: 1, DueOn: day(200)}))(t)
		mid := must(s.CreateAction(ctx, e.qm, c.ID, caf.ActionInput{Title: "Sondaj anual al personalului", Impact: 2, Ease: 2}))(t)
		if e.openTasks(t, e.ema, caf.EntityAction) != 1 || quick.Priority() != 9 || quick.OwnerName != "Ema Știrbu" {
			t.Fatalf("action %+v", quick)
		}
		plan := must(s.Plan(ctx, e.viewer, c.ID))(t)
		if len(plan) != 3 || plan[0].ID != quick.ID || plan[1].ID != mid.ID || plan[2].ID != slow.ID {
			t.Errorf("plan order %v %v %v", plan[0].Title, plan[1].Title, plan[2].Title)
		}
		upd := caf.ActionInput{Sub: quick.Sub, Title: quick.Title, Impact: 3, Ease: 3, OwnerID: e.ema, DueOn: quick.DueOn, State: caf.ActionDone, Version: quick.Version}
		done := must(s.UpdateAction(ctx, e.qm, c.ID, quick.ID, upd))(t)
		if done.DoneOn != day(0) || e.openTasks(t, e.ema, caf.EntityAction) != 0 ||
			e.count(t, `SELECT COUNT(*) FROM tasks WHERE module = 'caf' AND entity = 'caf_action' AND state = 'done'`) != 1 {
			t.Errorf("done %+v", done)
		}
		_, err = s.UpdateAction(ctx, e.qm, c.ID, quick.ID, upd)
		if !errors.Is(err, apperr.ErrConflict) {
			t.Errorf("stale action: %v", err)
		}

		// A case in the improvement register, once.
		withCase := must(s.RaiseCase(ctx, e.qm, c.ID, slow.ID))(t)
		if withCase.CaseID == 0 || !strings.HasPrefix(withCase.CaseCode, "NC-2026-") {
			t.Fatalf("case %+v", withCase)
		}
		_, err = s.RaiseCase(ctx, e.qm, c.ID, slow.ID)
		wantConflict(t, err, "caf.error.case_exists")
		if n := e.count(t, `SELECT COUNT(*) FROM nonconformities WHERE source_module = 'caf' AND source_entity = 'caf_action' AND source_id = $1 AND severity = $2 AND unit_id IS NULL`,
			slow.ID, improvement.SeverityOpportunity); n != 1 {
			t.Errorf("%d cases for the action", n)
		}

		// Evidence: a record of the institution, a survey on its criterion.
		_, err = s.AddEvidence(ctx, e.emp, c.ID, caf.EvidenceInput{Sub: "6.1", Kind: caf.EvidenceStaffSurvey, Title: "Sondaj 2026"})
		wantKey(t, err, "caf_ev_sub", "caf.error.survey_criterion_7")
		_, err = s.AddEvidence(ctx, e.emp, c.ID, caf.EvidenceInput{Sub: "9.1", Kind: caf.EvidenceRecord, Entity: caf.RecordNonconformity, EntityID: withCase.CaseID + 1000})
		wantKey(t, err, "caf_ev_entity_id", "error.choice")
		_, err = s.AddEvidence(ctx, e.emp, c.ID, caf.EvidenceInput{Sub: "9.1", Kind: caf.EvidenceDocument})
		wantKey(t, err, "caf_ev_entity_id", "error.required")
		_, err = s.AddEvidence(ctx, e.emp2, c.ID, caf.EvidenceInput{Sub: "9.1", Kind: caf.EvidenceNote, Title: "Notă"})
		if !errors.Is(err, apperr.ErrForbidden) {
			t.Errorf("a non-member adds evidence: %v", err)
		}
		ev := must(s.AddEvidence(ctx, e.emp, c.ID, caf.EvidenceInput{Sub: "9.2", Kind: caf.EvidenceRecord, Entity: caf.RecordNonconformity, EntityID: withCase.CaseID, Title: "ignored"}))(t)
		if ev.Title != withCase.CaseCode+" Digitalizarea arhivei" || ev.Href != "/nonconformities/"+itoa(withCase.CaseID) || ev.AddedBy != e.emp.Name {
			t.Errorf("record evidence %+v", ev)
		}
		must(s.AddEvidence(ctx, e.qm, c.ID, caf.EvidenceInput{Sub: "7.1", Kind: caf.EvidenceStaffSurvey, Title: "Sondajul personalului, 2026", Notes: "82% mulțumiți; 61 de respondenți."}))(t)
		gone := must(s.AddEvidence(ctx, e.qm, c.ID, caf.EvidenceInput{Sub: "1.1", Kind: caf.EvidenceNote, Title: "De șters", Href: "https://exemplu.ro"}))(t)
		ok(t, s.RemoveEvidence(ctx, e.qm, c.ID, gone.ID))
		if evs := must(s.EvidenceOf(ctx, e.viewer, c.ID))(t); len(evs) != 2 || evs[0].Sub != "7.1" || evs[1].Sub != "9.2" {
			t.Errorf("evidence %+v", evs)
		}

		// Readiness for the external feedback procedure.
		ready := map[string]bool{}
		for _, it := range must(s.Readiness(ctx, e.viewer, c.ID))(t) {
			ready[it.Key] = it.Ready
			if it.Key == "caf.fact.plan" && (it.Args["Actions"] != 3 || it.Args["Owned"] != 1 || it.Args["Done"] != 1) {
				t.Errorf("plan readiness %+v", it.Args)
			}
		}
		if len(ready) != 7 || ready["caf.fact.steps"] || !ready["caf.fact.group"] || ready["caf.fact.no_comm_plan"] ||
			!ready["caf.fact.consensus"] || ready["caf.fact.evidence"] || ready["caf.fact.surveys"] || ready["caf.fact.plan"] {
			t.Errorf("readiness %v", ready)
		}

		// Close, then the next cycle.
		_, err = s.NextCycle(ctx, e.qm, c.ID)
		wantConflict(t, err, "caf.error.next_not_closed")
		c = fire(t, e, e.head, c, caf.ActClose, "")
		e.clk.Set(t0.AddDate(2, 0, 0))
		n := must(s.NextCycle(ctx, e.qm, c.ID))(t)
		if n.Code != "CAF-2028" || n.Title != "Autoevaluare CAF 2028" || n.State != caf.StatePlanning || n.PreviousID != c.ID || n.PreviousCode != "CAF-2026" ||
			n.LeaderID != e.dan || n.Panel != c.Panel || n.StartOn != "" {
			t.Fatalf("next %+v", n)
		}
		_, err = s.NextCycle(ctx, e.qm, c.ID)
		wantConflict(t, err, "caf.error.next_exists")
		nm := must(s.Members(ctx, e.qm, n.ID))(t)
		if len(nm) != 2 || nm[0].PersonID != e.dan || nm[0].Role != caf.RoleLeader || nm[1].PersonID != e.ema || nm[1].SubmittedAt != nil || nm[1].Assessed != 0 {
			t.Errorf("next group %+v", nm)
		}
		if evs := must(s.EvidenceOf(ctx, e.qm, n.ID))(t); len(evs) != 2 || evs[1].Href != ev.Href {
			t.Errorf("next evidence %+v", evs)
		}
		if steps := must(s.StepsOf(ctx, e.qm, n.ID))(t); steps[0].DoneOn != "" {
			t.Error("steps carried over")
		}
		nr := must(s.ResultsOf(ctx, e.qm, n.ID))(t)
		if nr.Missing != 28 || nr.Total.Score != nil || !near(nr.Total.Previous, (1025.0+380)/28) || !near(nr.Criteria[0].Previous, 56.25) || nr.Previous == nil || nr.Previous.Code != "CAF-2026" {
			t.Errorf("next results %+v", nr)
		}
		if sv := must(s.SubBoard(ctx, e.head, n.ID, "1.1"))(t); sv.Consensus != nil || sv.Members[0].Score != nil {
			t.Errorf("scores carried over: %+v", sv)
		}

		// Every change is in the audit trail.
		for _, entity := range []string{caf.EntityCycle, caf.EntityStep, caf.EntityMember, caf.EntityAssessment, caf.EntityConsensus, caf.EntityEvidence, caf.EntityAction} {
			if e.count(t, `SELECT COUNT(*) FROM audit_events WHERE entity = $1`, entity) == 0 {
				t.Errorf("no audit event of %s", entity)
			}
		}
	})
}

func itoa(n int64) string {
	var b []byte
	for ; n > 0; n /= 10 {
		b = append([]byte{byte('0' + n%10)}, b...)
	}
	return string(b)
}
