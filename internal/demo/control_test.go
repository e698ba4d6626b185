package demo

import (
	"context"
	"testing"
	"time"

	"cadran/internal/auth"
	"cadran/internal/clock"
	"cadran/internal/control"
	"cadran/internal/db"
	"cadran/internal/db/dbtest"
	"cadran/internal/org"
	"cadran/internal/work"
)

// The demo's internal managerial control: last year's self-evaluation
// approved with its grade computed from the answers (partially conform),
// this year's open with compartments submitted, halfway and not started
// (their tasks in the inboxes), the commission and the risk team with
// their meetings and decisions, the two programmes (this year's made from
// last year's, with carry-over and overdue actions), the inventory of
// sensitive functions with someone overdue for rotation, and procedure
// coverage with covered, missing and exempt activities.
func TestSeedPlaysControl(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		now := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
		today := now.Format(time.DateOnly)
		clk := clock.NewFixed(now)
		start := time.Now()
		res, err := Seed(ctx, d, clk)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("seeded in %s: %s", time.Since(start).Round(time.Millisecond), res)
		if got := res.Institutions[0].ControlEvaluations; got != 2 {
			t.Errorf("Seed made %d self-evaluations, want 2", got)
		}
		inst, err := (&org.Service{DB: d, Clock: clk}).InstitutionByCUI(ctx, CUI)
		if err != nil {
			t.Fatal(err)
		}
		tenant := inst.ID
		users := &auth.Service{DB: d, Clock: clk}
		actor := func(name string) auth.Actor {
			t.Helper()
			u, err := users.UserByUsername(ctx, name)
			if err != nil {
				t.Fatal(err)
			}
			a, err := users.ActorByID(ctx, u.ID)
			if err != nil {
				t.Fatal(err)
			}
			return a
		}
		qm := actor("calitate")
		svc := &control.Service{DB: d, Clock: clk, Work: &work.Service{DB: d, Clock: clk}}

		evals, err := svc.Evaluations(ctx, qm)
		if err != nil {
			t.Fatal(err)
		}
		if len(evals) != 2 {
			t.Fatalf("%d evaluations, want 2", len(evals))
		}
		this, last := evals[0], evals[1]
		if this.Year != 2026 || last.Year != 2025 {
			t.Errorf("evaluations of %d and %d, want 2026 and 2025", this.Year, last.Year)
		}

		// Last year's: approved in February, every compartment submitted,
		// the grade computed from the answers.
		if last.State != control.EvalApproved || last.ApprovedBy == "" || last.ReportNo == "" || last.ApprovedOn != "2026-02-12" {
			t.Errorf("last year's evaluation: state %s, approved by %q on %s, report %q; want approved on 2026-02-12 with a report number",
				last.State, last.ApprovedBy, last.ApprovedOn, last.ReportNo)
		}
		sum, err := svc.Summary(ctx, qm, last.ID)
		if err != nil {
			t.Fatal(err)
		}
		if sum.Units != len(ctlEvalUnits) || sum.Submitted != sum.Units {
			t.Errorf("last year's summary: %d of %d compartments submitted, want all %d", sum.Submitted, sum.Units, len(ctlEvalUnits))
		}
		notImplemented := map[int]bool{}
		for _, c := range sum.Components {
			for _, st := range c.Standards {
				n := st.Standard.Number
				if st.Status != control.StatusImplemented {
					notImplemented[n] = true
					if st.Measures == "" {
						t.Errorf("standard %d is %q but has no measures", n, st.Status)
					}
				}
				if st.Tally.Incomplete != 0 {
					t.Errorf("standard %d: %d compartments without a status in a completed evaluation", n, st.Tally.Incomplete)
				}
				switch n {
				case 14:
					if st.Tally.Applicable() != len(ctlAccounts) {
						t.Errorf("standard 14 applies in %d compartments, want %d (those keeping accounts)", st.Tally.Applicable(), len(ctlAccounts))
					}
				case 16:
					if st.Tally.Applicable() != 1 || st.Status != control.StatusImplemented {
						t.Errorf("standard 16: applies in %d compartments with status %q, want internal audit alone, implemented", st.Tally.Applicable(), st.Status)
					}
				case 2, 8, 11:
					if st.Status != control.StatusPartial || st.Tally.Partial == 0 {
						t.Errorf("standard %d: %q with tally %+v, want partially implemented", n, st.Status, st.Tally)
					}
				}
			}
		}
		if len(notImplemented) != 3 || !notImplemented[2] || !notImplemented[8] || !notImplemented[11] {
			t.Errorf("standards not implemented: %v, want 2, 8 and 11", notImplemented)
		}
		if sum.Implemented != 13 || sum.Grade != control.GradePartial {
			t.Errorf("last year's grade: %d implemented, %q; want 13 and partially conform", sum.Implemented, sum.Grade)
		}

		// This year's: open, mixed progress.
		if this.State != control.EvalOpen {
			t.Errorf("this year's evaluation is %s, want open", this.State)
		}
		units, err := svc.EvalUnits(ctx, qm, this.ID)
		if err != nil {
			t.Fatal(err)
		}
		var submitted, halfway, untouched int
		for _, u := range units {
			switch {
			case u.State == control.UnitSubmitted:
				submitted++
			case u.Answered > 0 && u.Answered < u.Questions:
				halfway++
			case u.Answered == 0:
				untouched++
			}
		}
		if submitted != len(ctlThisYearSubmitted) || halfway != len(ctlThisYearHalfway) ||
			untouched != len(ctlEvalUnits)-len(ctlThisYearSubmitted)-len(ctlThisYearHalfway) {
			t.Errorf("this year's compartments: %d submitted, %d halfway, %d not started; want %d, %d, %d", submitted, halfway, untouched,
				len(ctlThisYearSubmitted), len(ctlThisYearHalfway), len(ctlEvalUnits)-len(ctlThisYearSubmitted)-len(ctlThisYearHalfway))
		}
		// Every compartment that has not submitted keeps its task (its
		// head's, or the quality office's); the browser test answers for
		// Serviciul Contabilitate, which has not started.
		var sc int
		for _, u := range units {
			var tasks int
			if err := d.R.QueryRowContext(ctx, `SELECT COUNT(*) FROM tasks WHERE tenant_id = $1 AND module = $2 AND entity = $3 AND entity_id = $4 AND state = 'open'`,
				tenant, control.Module, control.EntityEvalUnit, control.EvalUnitRef(this.ID, u.UnitID).ID).Scan(&tasks); err != nil {
				t.Fatal(err)
			}
			if want := map[bool]int{true: 0, false: 1}[u.State == control.UnitSubmitted]; tasks != want {
				t.Errorf("%s (%s) has %d open tasks, want %d", u.UnitName, u.State, tasks, want)
			}
			if u.UnitName == "Serviciul Contabilitate" {
				sc++
				if u.Answered != 0 || u.State != control.UnitPending {
					t.Errorf("Serviciul Contabilitate has answered %d questions (%s), want none: the browser test answers it", u.Answered, u.State)
				}
			}
		}
		if sc != 1 {
			t.Errorf("Serviciul Contabilitate is not in this year's evaluation")
		}
		thisSum, err := svc.Summary(ctx, qm, this.ID)
		if err != nil {
			t.Fatal(err)
		}
		if thisSum.Submitted != len(ctlThisYearSubmitted) {
			t.Errorf("this year's summary counts %d submitted, want %d", thisSum.Submitted, len(ctlThisYearSubmitted))
		}

		// The bodies.
		bodies, err := svc.Bodies(ctx, qm, control.BodyFilter{PerPage: 10})
		if err != nil {
			t.Fatal(err)
		}
		kinds := map[string]control.Body{}
		for _, b := range bodies.Items {
			kinds[b.Kind] = b
		}
		com, ok := kinds[control.BodyCommission]
		if !ok || kinds[control.BodyRiskTeam].ID == 0 {
			t.Fatalf("bodies %+v, want the commission and the risk team", bodies.Items)
		}
		members, err := svc.Members(ctx, qm, com.ID)
		if err != nil {
			t.Fatal(err)
		}
		roles := map[string]int{}
		auditor := actor("auditor")
		for _, m := range members {
			roles[m.Role]++
			if m.PersonID == auditor.PersonID {
				t.Errorf("the internal auditor is a member of the commission")
			}
		}
		if roles[control.RolePresident] != 1 || roles[control.RoleSecretary] == 0 || roles[control.RoleMember] < 10 {
			t.Errorf("commission roles %v, want one president, a secretariat and ten members or more", roles)
		}
		meetings, err := svc.Meetings(ctx, qm, control.MeetingFilter{PerPage: 50})
		if err != nil {
			t.Fatal(err)
		}
		if meetings.Total < 4 || meetings.Total > 9 {
			t.Errorf("%d meetings, want 4 to 9", meetings.Total)
		}
		decisions, err := svc.Decisions(ctx, qm, control.DecisionFilter{PerPage: 100})
		if err != nil {
			t.Fatal(err)
		}
		var open, done int
		for _, dec := range decisions.Items {
			switch dec.State {
			case control.ActionOpen:
				open++
				if dec.OwnerID == 0 || dec.DueOn == "" {
					t.Errorf("open decision %q without owner or deadline", dec.Text)
				}
			case control.ActionDone:
				done++
			}
		}
		if open == 0 || done == 0 {
			t.Errorf("decisions: %d open, %d done; want some of each", open, done)
		}

		// The programmes: last year's closed, this year's approved from it.
		progs, err := svc.Programmes(ctx, qm, control.ProgrammeFilter{PerPage: 10})
		if err != nil {
			t.Fatal(err)
		}
		byYear := map[int]control.Programme{}
		for _, p := range progs.Items {
			byYear[p.Year] = p
		}
		cur, prev := byYear[2026], byYear[2025]
		if cur.State != control.ProgrammeApproved || prev.State != control.ProgrammeClosed || cur.PreviousID != prev.ID {
			t.Errorf("programmes: 2026 %s from %d, 2025 %s (%d); want 2026 approved from 2025, closed", cur.State, cur.PreviousID, prev.State, prev.ID)
		}
		acts, err := svc.Actions(ctx, qm, control.ActionFilter{ProgrammeID: cur.ID, PerPage: 100})
		if err != nil {
			t.Fatal(err)
		}
		var carried, overdue, actDone int
		for _, x := range acts.Items {
			if x.CarriedFrom != 0 {
				carried++
			}
			if x.Overdue(today) {
				overdue++
			}
			if x.State == control.ActionDone {
				actDone++
			}
		}
		if acts.Total < 12 || acts.Total > 20 || carried == 0 || overdue == 0 || overdue > 3 || actDone == 0 {
			t.Errorf("2026 actions: %d, %d carried over, %d overdue, %d done; want 12-20 with some carried, 1-3 overdue, some done",
				acts.Total, carried, overdue, actDone)
		}

		// Sensitive functions.
		inv, err := svc.SensitiveInventory(ctx, qm)
		if err != nil {
			t.Fatal(err)
		}
		if n := len(inv.Functions); n < 8 || n > 12 {
			t.Errorf("%d sensitive functions, want 8 to 12", n)
		}
		var late int
		for _, h := range inv.Holders {
			if h.Overdue {
				late++
			}
		}
		if late == 0 || late > 3 {
			t.Errorf("%d people overdue for rotation, want one to three", late)
		}
		if len(inv.Measures) < len(inv.Functions) {
			t.Errorf("%d measures for %d functions, want at least one each", len(inv.Measures), len(inv.Functions))
		}

		// Procedure coverage.
		cov, err := svc.Coverage(ctx, qm)
		if err != nil {
			t.Fatal(err)
		}
		if cov.Total.Covered < 15 || cov.Total.Missing < 5 || cov.Total.Exempt < 2 {
			t.Errorf("coverage %+v, want covered, missing and exempt activities", cov.Total)
		}
	})
}
