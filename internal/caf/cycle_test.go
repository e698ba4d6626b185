package caf_test

import (
	"errors"
	"testing"

	"cadran/internal/apperr"
	"cadran/internal/caf"
	"cadran/internal/db"
	"cadran/internal/db/dbtest"
)

// TestFineTuned saves the fine-tuned panel's numbers one at a time: the
// score follows once all are given.
func TestFineTuned(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		ctx := t.Context()
		s := e.svc
		c := e.cycle(t, caf.PanelFineTuned)
		c = fire(t, e, e.qm, c, caf.ActStart, "")
		// An enabler: Plan 40 and Do 60 saved first, no score yet.
		x := must(s.SaveAssessment(ctx, e.emp, c.ID, caf.AssessmentInput{Sub: "2.1", Scores: caf.Scores{Score: F(99), Plan: F(40), Do: F(60)}}))(t)
		if x.Score != nil || x.Scores.Score != nil || !near(x.Scores.Plan, 40) {
			t.Fatalf("partial %+v", x)
		}
		// Then Check 70 and Act 50: (40 + 60 + 70 + 50) / 4 = 55.
		x = must(s.SaveAssessment(ctx, e.emp, c.ID, caf.AssessmentInput{Sub: "2.1", Scores: caf.Scores{Plan: F(40), Do: F(60), Check: F(70), Act: F(50)}, Version: x.Version}))(t)
		if !near(x.Score, 55) {
			t.Fatalf("complete %+v", x.Score)
		}
		if ms := must(s.Members(ctx, e.qm, c.ID))(t); ms[1].Assessed != 1 {
			t.Errorf("assessed %+v", ms)
		}
		// A result takes trends and targets: (70 + 45) / 2 = 57.5.
		_, err := s.SaveAssessment(ctx, e.emp, c.ID, caf.AssessmentInput{Sub: "6.2", Scores: caf.Scores{Trend: F(70), Target: F(145)}})
		wantKey(t, err, "caf_target", "caf.error.score_range")
		x = must(s.SaveAssessment(ctx, e.emp, c.ID, caf.AssessmentInput{Sub: "6.2", Scores: caf.Scores{Trend: F(70), Target: F(45), Plan: F(1)}}))(t)
		if !near(x.Score, 57.5) || x.Scores.Plan != nil {
			t.Fatalf("result %+v", x)
		}
		mine := must(s.MyAssessment(ctx, e.emp, c.ID))(t)
		if len(mine) != 28 || mine[0].Sub != "1.1" || mine[0].Score != nil || mine[4].Sub != "2.1" || !near(mine[4].Score, 55) {
			t.Errorf("mine %+v", mine[4])
		}
		_, err = s.MyAssessment(ctx, e.qm, c.ID)
		if !errors.Is(err, apperr.ErrForbidden) {
			t.Errorf("a non-member's assessment: %v", err)
		}

		// The consensus needs every number of the panel.
		c = fire(t, e, e.qm, c, caf.ActConsensus, "")
		if e.openTasks(t, e.ema, caf.EntityCycle) != 0 || e.openTasks(t, e.dan, caf.EntityCycle) != 0 {
			t.Error("assessment tasks left open at the consensus")
		}
		// Nobody submitted: the audit event names them.
		if e.count(t, `SELECT COUNT(*) FROM audit_events WHERE entity = 'caf_cycle' AND action = 'transition' AND after_json LIKE '%not_submitted%Ema%'`) != 1 {
			t.Error("the consensus step does not list who did not submit")
		}
		_, err = s.SaveConsensus(ctx, e.qm, c.ID, caf.ConsensusInput{Sub: "2.1", Scores: caf.Scores{Plan: F(40), Do: F(60), Check: F(70)}, AgreedOn: day(0)})
		wantKey(t, err, "caf_act", "error.required")
		x2 := must(s.SaveConsensus(ctx, e.qm, c.ID, caf.ConsensusInput{Sub: "2.1", Scores: caf.Scores{Plan: F(40), Do: F(60), Check: F(70), Act: F(30)}, AgreedOn: day(0)}))(t)
		if !near(x2.Score, 50) {
			t.Errorf("consensus %+v", x2)
		}
		// Reopened, the members get their task again.
		c = fire(t, e, e.head, c, caf.ActReopen, "")
		if c.State != caf.StateAssessing || e.openTasks(t, e.ema, caf.EntityCycle) != 1 {
			t.Errorf("reopened %+v", c)
		}
		// Cancelled with a reason: the tasks go.
		_, err = s.Fire(ctx, e.qm, c.ID, caf.ActCancel, c.Version, " ")
		wantKey(t, err, "reason", "workflow.error.reason_required")
		c = fire(t, e, e.qm, c, caf.ActCancel, "Reorganizarea instituției")
		if c.State != caf.StateCancelled || c.CancelReason != "Reorganizarea instituției" || e.openTasks(t, e.ema, caf.EntityCycle) != 0 {
			t.Errorf("cancelled %+v", c)
		}
		if acts := s.Actions(ctx, e.qm, c); len(acts) != 0 {
			t.Errorf("actions on a cancelled cycle %v", acts)
		}
	})
}

// TestLeaderAndEdit changes the leader and the panel while planning.
func TestLeaderAndEdit(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		ctx := t.Context()
		s := e.svc
		c := e.cycle(t, caf.PanelClassical)
		// The leader manages their own cycle without the permission.
		in := caf.CycleInput{Title: "CAF la Direcția Economică", UnitID: e.econ, Panel: caf.PanelFineTuned, LeaderID: e.ema, Version: c.Version}
		_, err := s.UpdateCycle(ctx, e.emp, c.ID, in)
		wantForbidden(t, err)
		c = must(s.UpdateCycle(ctx, e.head, c.ID, in))(t)
		if c.LeaderID != e.ema || c.Panel != caf.PanelFineTuned || c.UnitName != "Direcția Economică" {
			t.Fatalf("updated %+v", c)
		}
		ms := must(s.Members(ctx, e.qm, c.ID))(t)
		if len(ms) != 2 || ms[0].PersonID != e.ema || ms[0].Role != caf.RoleLeader || ms[1].Role != caf.RoleMember {
			t.Errorf("members %+v", ms)
		}
		// Dan is no longer the leader: he may not manage any more.
		_, err = s.UpdateCycle(ctx, e.head, c.ID, caf.CycleInput{Title: "x", LeaderID: e.dan, Version: c.Version})
		wantForbidden(t, err)
		_, err = s.UpdateCycle(ctx, e.qm, c.ID, caf.CycleInput{Title: "x", LeaderID: e.ema, Version: c.Version - 1})
		if !errors.Is(err, apperr.ErrConflict) {
			t.Errorf("stale update: %v", err)
		}
		// A new leader not in the group joins it.
		c = must(s.UpdateCycle(ctx, e.qm, c.ID, caf.CycleInput{Title: c.Title, Panel: c.Panel, LeaderID: e.ion, Version: c.Version}))(t)
		if ms := must(s.Members(ctx, e.qm, c.ID))(t); len(ms) != 3 || ms[0].PersonID != e.ion || ms[0].Role != caf.RoleLeader {
			t.Errorf("members %+v", ms)
		}
		if g := caf.Mix(must(s.Members(ctx, e.qm, c.ID))(t)); g.Units != 2 || g.Management != 1 || g.Execution != 2 {
			t.Errorf("mix %+v", g)
		}
	})
}

// TestTenantIsolation: another institution's cycle does not exist for B,
// and A's cycle takes none of B's people.
func TestTenantIsolation(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		ctx := t.Context()
		s := e.svc
		c := e.cycle(t, caf.PanelClassical)
		notFound := func(name string, err error) {
			t.Helper()
			if !errors.Is(err, apperr.ErrNotFound) {
				t.Errorf("%s: %v, want not found", name, err)
			}
		}
		_, err := s.Cycle(ctx, e.other, c.ID)
		notFound("cycle", err)
		_, err = s.StepsOf(ctx, e.other, c.ID)
		notFound("steps", err)
		_, err = s.Members(ctx, e.other, c.ID)
		notFound("members", err)
		_, err = s.Board(ctx, e.other, c.ID)
		notFound("board", err)
		_, err = s.ResultsOf(ctx, e.other, c.ID)
		notFound("results", err)
		_, err = s.Plan(ctx, e.other, c.ID)
		notFound("plan", err)
		_, err = s.EvidenceOf(ctx, e.other, c.ID)
		notFound("evidence", err)
		_, err = s.UpdateCycle(ctx, e.other, c.ID, caf.CycleInput{Title: "x"})
		notFound("update", err)
		_, err = s.Fire(ctx, e.other, c.ID, caf.ActCancel, c.Version, "x")
		notFound("fire", err)
		notFound("add member", s.AddMember(ctx, e.other, c.ID, caf.MemberInput{PersonID: e.bob}))
		notFound("step", s.SetStep(ctx, e.other, c.ID, caf.Step{N: 1}))
		_, err = s.NextCycle(ctx, e.other, c.ID)
		notFound("next", err)
		if page := must(s.Cycles(ctx, e.other, caf.CycleFilter{}))(t); page.Total != 0 {
			t.Errorf("B lists A's cycles: %+v", page)
		}
		// A foreign person as leader or member is refused.
		_, err = s.UpdateCycle(ctx, e.qm, c.ID, caf.CycleInput{Title: c.Title, LeaderID: e.bob, Version: c.Version})
		wantKey(t, err, "caf_leader", "error.choice")
		wantKey(t, s.AddMember(ctx, e.qm, c.ID, caf.MemberInput{PersonID: e.bob}), "caf_member", "error.choice")
	})
}
