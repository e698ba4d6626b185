package improvement_test

import (
	"testing"

	"cadran/internal/db"
	"cadran/internal/db/dbtest"
	"cadran/internal/improvement"
)

// TestProposalLifecycle: an employee proposes, the quality office is told,
// evaluates, plans an action and accepts; the action reaches its owner only
// on acceptance, and the proposal is implemented when it is done. Another
// proposal is declined with the reason its proposer reads.
func TestProposalLifecycle(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		ctx := t.Context()
		s := e.svc
		_, err := s.Submit(ctx, e.emp, improvement.ProposalInput{Title: "Programare online"})
		wantKey(t, err, "description", "error.required")
		p := must(s.Submit(ctx, e.emp, improvement.ProposalInput{Title: "Programare online la ghișeul de taxe", Description: "Cetățenii își aleg ora pe site.",
			Benefit: "Cozi mai scurte.", UnitID: e.tax, Process: "Încasarea impozitelor"}))(t)
		if p.Code != "PI-2026-001" || p.State != improvement.PropSubmitted || !p.Mine(e.emp) || p.Mine(e.emp2) {
			t.Fatalf("submitted: %+v", p)
		}
		if e.openTasks(t, 0, "quality_manager") != 1 {
			t.Fatal("the quality office was not told")
		}
		_, err = s.ProposalStep(ctx, e.emp, p.ID, improvement.StepInput{Action: improvement.ActEvaluate, Version: p.Version})
		wantForbidden(t, err)
		p = must(s.ProposalStep(ctx, e.qm, p.ID, improvement.StepInput{Action: improvement.ActEvaluate, Version: p.Version}))(t)
		_, err = s.ProposalStep(ctx, e.qm, p.ID, improvement.StepInput{Action: improvement.ActAcceptP, Version: p.Version})
		wantConflict(t, err, "proposal.error.no_action")
		_, err = s.AddProposalAction(ctx, e.emp, p.ID, improvement.ActionInput{Description: "x", OwnerID: e.ion, DueOn: day(20)})
		wantForbidden(t, err)
		x := must(s.AddProposalAction(ctx, e.qm, p.ID, improvement.ActionInput{Description: "Modul de programare pe site", OwnerID: e.ion, DueOn: day(20)}))(t)
		if e.openTasks(t, e.ion, "") != 0 {
			t.Error("an action of a proposal not yet accepted reached its owner")
		}
		v := must(s.OpenProposal(ctx, e.qm, p.ID))(t)
		if len(v.Moves) != 2 || v.Moves[0] != improvement.ActAcceptP || !v.MayPlan {
			t.Errorf("moves under evaluation: %v", v.Moves)
		}
		p = must(s.ProposalStep(ctx, e.qm, p.ID, improvement.StepInput{Action: improvement.ActAcceptP, Version: p.Version}))(t)
		if p.State != improvement.PropAccepted || p.DecidedOn != day(0) || e.openTasks(t, e.ion, "") != 1 || e.openTasks(t, 0, "quality_manager") != 0 {
			t.Fatalf("accepted: %+v", p)
		}
		_, err = s.CompleteProposalAction(ctx, e.emp, p.ID, x.ID, improvement.DoneInput{Note: "gata", Version: x.Version})
		wantForbidden(t, err)
		must(s.CompleteProposalAction(ctx, e.emp2, p.ID, x.ID, improvement.DoneInput{Note: "Modulul funcționează din 1 decembrie.", Version: x.Version}))(t)
		p = must(s.Proposal(ctx, e.emp, p.ID))(t)
		if p.State != improvement.PropImplemented || e.openTasks(t, e.ion, "") != 0 {
			t.Fatalf("implemented: %+v", p)
		}
		v = must(s.OpenProposal(ctx, e.emp, p.ID))(t)
		if len(v.History) != 4 || v.History[3].Action != improvement.ActImplement || len(v.Moves) != 0 {
			t.Errorf("history %+v moves %v", v.History, v.Moves)
		}

		q := must(s.Submit(ctx, e.emp2, improvement.ProposalInput{Title: "Cafea gratuită", Description: "Pentru cetățeni."}))(t)
		must(s.AddProposalAction(ctx, e.qm, q.ID, improvement.ActionInput{Description: "Aparat", OwnerID: e.ema, DueOn: day(5)}))(t)
		_, err = s.ProposalStep(ctx, e.qm, q.ID, improvement.StepInput{Action: improvement.ActDeclineP, Version: q.Version})
		wantKey(t, err, "reason", "workflow.error.reason_required")
		_, err = s.ProposalStep(ctx, e.qm, q.ID, improvement.StepInput{Action: improvement.ActImplement, Version: q.Version})
		wantConflict(t, err, "workflow.error.transition")
		q = must(s.ProposalStep(ctx, e.qm, q.ID, improvement.StepInput{Action: improvement.ActDeclineP, Reason: "Nu există buget în 2026.", Version: q.Version}))(t)
		if q.State != improvement.PropDeclined || q.Decision != "Nu există buget în 2026." {
			t.Fatalf("declined: %+v", q)
		}
		if e.count(t, `SELECT COUNT(*) FROM improvement_actions WHERE proposal_id = $1 AND state = 'cancelled'`, q.ID) != 1 {
			t.Error("the declined proposal's action is not cancelled")
		}
		mine := must2(s.Proposals(ctx, e.emp2, improvement.ProposalFilter{Mine: true}))(t)
		if len(mine) != 1 || mine[0].ID != q.ID {
			t.Errorf("my proposals: %+v", mine)
		}
		all := must2(s.Proposals(ctx, e.emp2, improvement.ProposalFilter{State: "open"}))(t)
		if len(all) != 0 {
			t.Errorf("open proposals: %+v", all)
		}
		if got := must2(s.Proposals(ctx, e.other, improvement.ProposalFilter{}))(t); len(got) != 0 {
			t.Errorf("B sees A's proposals: %+v", got)
		}
	})
}

// must2 is must for a list and its total.
func must2[T any](v T, _ int, err error) func(t *testing.T) T {
	return must(v, err)
}
