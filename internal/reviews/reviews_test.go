package reviews_test

import (
	"context"
	"database/sql"
	"errors"
	"os"
	"strconv"
	"testing"
	"time"

	"cadran/internal/apperr"
	"cadran/internal/auth"
	"cadran/internal/clock"
	"cadran/internal/db"
	"cadran/internal/db/dbtest"
	"cadran/internal/evidence"
	"cadran/internal/i18n"
	"cadran/internal/improvement"
	"cadran/internal/notify"
	"cadran/internal/org"
	"cadran/internal/reviews"
	"cadran/internal/risks"
	"cadran/internal/work"
)

func TestMain(m *testing.M) { os.Exit(dbtest.Main(m)) }

// t0 is Monday 23 November 2026, 11:00 in Bucharest.
var t0 = time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)

// env is institution A (the mayor, the quality manager, the head of the
// economic directorate and an employee) and institution B with records of
// its own, so a compile that forgets the tenant counts them.
type env struct {
	d    *db.DB
	clk  *clock.Fixed
	work *work.Service
	svc  *reviews.Service
	imp  *improvement.Service
	rsk  *risks.Service

	unit                     int64
	mayor, ana, dan, ema     int64
	qm, top, head, emp, view auth.Actor
	other                    auth.Actor // B's quality manager
	sysA, sysB               auth.Actor
	unitB                    int64
}

func newEnv(t testing.TB, d *db.DB) *env {
	t.Helper()
	ctx := t.Context()
	clk := clock.NewFixed(t0)
	e := &env{d: d, clk: clk}
	o := &org.Service{DB: d, Clock: clk}
	as := &auth.Service{DB: d, Clock: clk}
	e.work = &work.Service{DB: d, Clock: clk, Notify: &notify.Service{DB: d, Clock: clk, Bundle: i18n.MustLoad()}}
	e.svc = &reviews.Service{DB: d, Clock: clk, Work: e.work}
	e.imp = &improvement.Service{DB: d, Clock: clk, Work: e.work}
	e.rsk = &risks.Service{DB: d, Clock: clk, Work: e.work}
	a, err := o.CreateInstitutionSystem(ctx, org.InstitutionInput{Name: "Primăria Municipiului Târgu Mureș", CUI: "4322823", Kind: org.KindMunicipality, County: "Mureș"})
	if err != nil {
		t.Fatal(err)
	}
	b, err := o.CreateInstitutionSystem(ctx, org.InstitutionInput{Name: "Primăria Orașului Sovata", CUI: "4305857", Kind: org.KindTown, County: "Mureș"})
	if err != nil {
		t.Fatal(err)
	}
	e.sysA, e.sysB = auth.SystemActor(a.ID, "test"), auth.SystemActor(b.ID, "test")
	u, err := o.CreateUnit(ctx, e.sysA, org.UnitInput{Name: "Direcția Economică", Code: "DE", Kind: org.UnitDirectorate, Relation: org.RelationOwn})
	if err != nil {
		t.Fatal(err)
	}
	e.unit = u.ID
	ub, err := o.CreateUnit(ctx, e.sysB, org.UnitInput{Name: "Compartimentul Financiar", Code: "CF", Kind: org.UnitCompartment, Relation: org.RelationOwn})
	if err != nil {
		t.Fatal(err)
	}
	e.unitB = ub.ID
	person := func(a auth.Actor, unit int64, name string) int64 {
		p, err := o.CreatePerson(ctx, a, org.PersonInput{UnitID: unit, FullName: name, Position: org.PositionExecution, Employment: org.EmploymentCivilServant, Active: true})
		if err != nil {
			t.Fatal(err)
		}
		return p.ID
	}
	e.mayor = person(e.sysA, 0, "Mihai Șerban")
	e.ana = person(e.sysA, e.unit, "Ana Mureșan")
	e.dan = person(e.sysA, e.unit, "Dan Țurcanu")
	e.ema = person(e.sysA, e.unit, "Ema Știrbu")
	bob := person(e.sysB, ub.ID, "Bob Bratu")
	user := func(a auth.Actor, name string, pid int64, role auth.Role) auth.Actor {
		u, err := as.CreateUser(ctx, a, auth.UserInput{Username: name, DisplayName: name, Password: "parola-buna-2026", PersonID: pid, Locale: "ro", Roles: []auth.Role{role}})
		if err != nil {
			t.Fatal(err)
		}
		act, err := as.ActorByID(ctx, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		return act
	}
	e.top = user(e.sysA, "mihai", e.mayor, auth.RoleTopManagement)
	e.qm = user(e.sysA, "ana", e.ana, auth.RoleQualityManager)
	e.head = user(e.sysA, "dan", e.dan, auth.RoleHeadOfUnit)
	e.emp = user(e.sysA, "ema", e.ema, auth.RoleEmployee)
	e.view = user(e.sysA, "consilier", 0, auth.RoleViewer)
	e.other = user(e.sysB, "bob", bob, auth.RoleQualityManager)
	return e
}

func must[T any](v T, err error) func(t testing.TB) T {
	return func(t testing.TB) T {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
}

func (e *env) count(t *testing.T, q string, args ...any) int {
	t.Helper()
	var n int
	if err := e.d.R.QueryRowContext(t.Context(), q, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return n
}

func wantConflict(t *testing.T, err error, key string) {
	t.Helper()
	var ae *apperr.Error
	if !errors.As(err, &ae) || ae.Kind != apperr.KindConflict || ae.Key != key {
		t.Fatalf("want conflict %s, got %v", key, err)
	}
}

func wantField(t *testing.T, err error, field, key string) {
	t.Helper()
	v, ok := apperr.AsValidation(err)
	if !ok || v[field] != key {
		t.Fatalf("want %s=%s, got %v", field, key, err)
	}
}

// plan is this year's review, chaired by the mayor.
func (e *env) plan(t *testing.T, a auth.Actor) reviews.Review {
	t.Helper()
	return must(e.svc.Create(t.Context(), a, reviews.Input{Title: "Analiza efectuată de management 2026", PeriodFrom: "2026-01-01", PeriodTo: "2026-12-31",
		MeetingOn: "2026-12-15", Place: "Sala de ședințe a Primăriei", ChairID: e.mayor, Participants: []int64{e.ana, e.dan}, Guests: "Reprezentantul organismului de certificare"}))(t)
}

// facts are the facts of one input, by key.
func facts(t *testing.T, e *env, r reviews.Review, input string) map[string]evidence.Fact {
	t.Helper()
	views := must(e.svc.InputViews(t.Context(), e.qm, r, nil))(t)
	out := map[string]evidence.Fact{}
	for _, v := range views {
		if v.Input == input {
			for _, f := range v.Facts {
				out[f.Key] = f.Fact
			}
		}
	}
	return out
}

func num(t *testing.T, f evidence.Fact, arg string) int64 {
	t.Helper()
	switch v := f.Args[arg].(type) {
	case int64:
		return v
	case int:
		return int64(v)
	}
	t.Fatalf("%s: argument %s is %T %v", f.Key, arg, f.Args[arg], f.Args[arg])
	return 0
}

func (e *env) openTasks(t *testing.T, module, entity string, id int64) int {
	t.Helper()
	return e.count(t, `SELECT COUNT(*) FROM tasks WHERE module = $1 AND entity = $2 AND entity_id = $3 AND state = 'open'`, module, entity, id)
}

// TestReviewWorkflow: planned with a task for the quality office, prepared
// by compiling, held (the task done, the minutes before the chair), closed;
// each step audited; a stale version and a step out of order are refused.
func TestReviewWorkflow(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		ctx := t.Context()
		if _, err := e.svc.Create(ctx, e.view, reviews.Input{}); !errors.Is(err, apperr.ErrForbidden) {
			t.Fatalf("a viewer planned a review: %v", err)
		}
		_, err := e.svc.Create(ctx, e.qm, reviews.Input{Title: "AM", PeriodFrom: "2026-12-31", PeriodTo: "2026-01-01", MeetingOn: "2026-12-15", ChairID: e.mayor})
		wantField(t, err, "review_period_to", "reviews.error.period_order")
		r := e.plan(t, e.qm)
		if r.Code != "AM-2026-01" || r.State != reviews.StatePlanned || len(r.Participants) != 2 {
			t.Fatalf("planned %+v", r)
		}
		if n := e.count(t, `SELECT COUNT(*) FROM tasks WHERE module = 'reviews' AND role = 'quality_manager' AND state = 'open' AND due_on = '2026-12-08'`); n != 1 {
			t.Fatalf("%d preparation tasks due a week before the meeting", n)
		}
		if r2 := e.plan(t, e.top); r2.Code != "AM-2026-02" {
			t.Fatalf("second review of the year coded %s", r2.Code)
		}
		_, err = e.svc.Step(ctx, e.qm, r.ID, reviews.StepInput{Action: reviews.ActHold, Version: r.Version})
		wantConflict(t, err, "workflow.error.transition")
		_, err = e.svc.Compile(ctx, e.qm, r.ID, r.Version+1)
		wantConflict(t, err, "error.stale")
		r = must(e.svc.Compile(ctx, e.qm, r.ID, r.Version))(t)
		if r.State != reviews.StatePrepared || r.CompiledAt == nil || !r.CompiledAt.Equal(t0) || r.CompiledFrom != "2026-01-01" {
			t.Fatalf("after compile %+v", r)
		}
		r = must(e.svc.Compile(ctx, e.qm, r.ID, r.Version))(t) // again, still prepared
		if r.State != reviews.StatePrepared {
			t.Fatalf("recompiled into %s", r.State)
		}
		_, err = e.svc.Step(ctx, e.qm, r.ID, reviews.StepInput{Action: reviews.ActHold, HeldOn: "2026-11-30", Version: r.Version})
		wantField(t, err, "review_held_on", "reviews.error.held_future")
		r = must(e.svc.Step(ctx, e.qm, r.ID, reviews.StepInput{Action: reviews.ActHold, HeldOn: "2026-11-20", Version: r.Version}))(t)
		if r.State != reviews.StateHeld || r.HeldOn != "2026-11-20" {
			t.Fatalf("held %+v", r)
		}
		if n := e.count(t, `SELECT COUNT(*) FROM tasks WHERE module = 'reviews' AND entity_id = $1 AND kind = 'report' AND state = 'done'`, r.ID); n != 1 {
			t.Fatal("the preparation task was not closed when the meeting was held")
		}
		if n := e.count(t, `SELECT COUNT(*) FROM tasks WHERE module = 'reviews' AND entity_id = $1 AND kind = 'approve' AND state = 'open' AND person_id = $2`, r.ID, e.mayor); n != 1 {
			t.Fatal("the chair has no minutes to approve")
		}
		if _, err := e.svc.Compile(ctx, e.qm, r.ID, r.Version); err == nil {
			t.Fatal("inputs compiled again after the meeting")
		}
		_, err = e.svc.Step(ctx, e.qm, r.ID, reviews.StepInput{Action: reviews.ActCancel, Reason: "x", Version: r.Version})
		wantConflict(t, err, "workflow.error.transition")
		r = must(e.svc.Step(ctx, e.top, r.ID, reviews.StepInput{Action: reviews.ActClose, Version: r.Version}))(t)
		if r.State != reviews.StateClosed || r.ClosedOn != "2026-11-23" || e.openTasks(t, "reviews", "review", r.ID) != 0 {
			t.Fatalf("closed %+v", r)
		}
		steps := must(e.svc.Steps(ctx, e.qm, r.ID))(t)
		var got []string
		for _, s := range steps {
			got = append(got, s.Action)
		}
		if want := []string{"plan", "prepare", "hold", "close"}; len(got) != len(want) || got[0] != want[0] || got[3] != want[3] {
			t.Fatalf("steps %v", got)
		}
		if n := e.count(t, `SELECT COUNT(*) FROM audit_events WHERE entity = 'review' AND entity_id = $1`, r.ID); n < 5 {
			t.Fatalf("only %d audit events for the review", n)
		}
		// Cancelling a planned review needs a reason and drops its task.
		r3 := e.plan(t, e.qm)
		_, err = e.svc.Step(ctx, e.qm, r3.ID, reviews.StepInput{Action: reviews.ActCancel, Version: r3.Version})
		wantField(t, err, "reason", "workflow.error.reason_required")
		must(e.svc.Step(ctx, e.qm, r3.ID, reviews.StepInput{Action: reviews.ActCancel, Reason: "Ședința a fost comasată cu AM-2026-01.", Version: r3.Version}))(t)
		if e.openTasks(t, "reviews", "review", r3.ID) != 0 {
			t.Fatal("a cancelled review kept its task")
		}
		// B does not see A's review.
		if _, err := e.svc.Review(ctx, e.other, r.ID); !errors.Is(err, apperr.ErrNotFound) {
			t.Fatalf("B read A's review: %v", err)
		}
		if _, err := e.svc.Compile(ctx, e.other, r3.ID, r3.Version); !errors.Is(err, apperr.ErrNotFound) {
			t.Fatalf("B compiled A's review: %v", err)
		}
	})
}

// seed gives A and B records in the registers: B's must never be counted
// in A's review.
func (e *env) seed(t *testing.T, a auth.Actor, unit int64, tag string) {
	t.Helper()
	ctx := t.Context()
	nc := func(title, source, severity, detected string) improvement.Nonconformity {
		return must(e.imp.Create(ctx, a, improvement.NCInput{Title: tag + " " + title, Source: source, Severity: severity, UnitID: unit, DetectedOn: detected}))(t)
	}
	nc("Răspuns întârziat la petiție", improvement.SourceComplaint, improvement.SeverityMajor, "2026-03-10")
	nc("Registru necompletat", improvement.SourceInternalAudit, improvement.SeverityMinor, "2026-05-12")
	nc("Formular vechi în uz", improvement.SourceInternalAudit, improvement.SeverityObservation, "2026-06-01")
	nc("Constatare din 2025", improvement.SourceEmployee, improvement.SeverityMinor, "2025-12-15") // before the period
	r := must(e.rsk.Propose(ctx, a, risks.Input{Kind: risks.KindRisk, UnitID: unit, Description: tag + " Neîncasarea impozitelor", InherentP: 4, InherentI: 4, Strategy: risks.StrategyTreat}))(t)
	must(e.rsk.Step(ctx, a, r.ID, risks.StepInput{Action: risks.ActRetain, Version: r.Version}))(t)
	low := must(e.rsk.Propose(ctx, a, risks.Input{Kind: risks.KindRisk, UnitID: unit, Description: tag + " Arhivare întârziată", InherentP: 2, InherentI: 2, Strategy: risks.StrategyAccept}))(t)
	must(e.rsk.Step(ctx, a, low.ID, risks.StepInput{Action: risks.ActRetain, Version: low.Version}))(t)
	if err := e.d.Tx(ctx, func(tx *sql.Tx) error {
		_, err := e.work.Assign(ctx, tx, a, work.NewTask{Ref: work.Ref{Module: work.ModuleWork, Entity: "task"}, Kind: work.KindAct, Title: tag + " Sarcină întârziată",
			Assignee: work.Assignee{Role: auth.RoleQualityManager}, Due: t0.AddDate(0, 0, -5)})
		return err
	}); err != nil {
		t.Fatal(err)
	}
}

// TestCompileCountsTheInstitutionsRecords: the facts are the figures of
// A's registers for the period; B's records, the same, are not counted.
func TestCompileCountsTheInstitutionsRecords(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		ctx := t.Context()
		e.seed(t, e.sysA, e.unit, "A")
		e.seed(t, e.sysB, e.unitB, "B")
		e.seed(t, e.sysB, e.unitB, "B2")
		r := e.plan(t, e.qm)
		r = must(e.svc.Compile(ctx, e.qm, r.ID, r.Version))(t)
		nc := facts(t, e, r, evidence.InputNonconformities)
		opened := nc["reviews.fact.nc_opened"]
		if num(t, opened, "N") != 3 || num(t, opened, "Major") != 1 || num(t, opened, "Minor") != 1 || num(t, opened, "Observation") != 1 || !opened.Warn {
			t.Errorf("nonconformities opened: %+v", opened)
		}
		if f := nc["reviews.fact.nc_source.internal_audit"]; num(t, f, "N") != 2 {
			t.Errorf("from internal audits: %+v", f)
		}
		if f := nc["reviews.fact.nc_open"]; num(t, f, "N") != 4 {
			t.Errorf("open cases: %+v", f)
		}
		if f := facts(t, e, r, evidence.InputSatisfaction)["reviews.fact.complaints"]; num(t, f, "N") != 1 {
			t.Errorf("complaints: %+v", f)
		}
		rk := facts(t, e, r, evidence.InputRisks)
		if f := rk["reviews.fact.risks_active"]; num(t, f, "N") != 2 || num(t, f, "Above") != 1 || num(t, f, "Tolerance") != 8 || !f.Warn {
			t.Errorf("active risks: %+v", f)
		}
		if f := rk["reviews.fact.exposure"]; num(t, f, "Inherent") != 20 || num(t, f, "Residual") != 20 {
			t.Errorf("exposure: %+v", f)
		}
		if f := rk["reviews.fact.risks_new"]; num(t, f, "N") != 2 {
			t.Errorf("new risks: %+v", f)
		}
		if f := facts(t, e, r, evidence.InputProcesses)["reviews.fact.tasks_overdue"]; num(t, f, "N") != 1 {
			t.Errorf("overdue tasks: %+v", f)
		}
		if f := facts(t, e, r, evidence.InputPreviousActions)["reviews.fact.prev_none"]; f.Key == "" {
			t.Error("no previous actions is not said")
		}
		// The inputs no module feeds say so; every input has facts.
		for _, in := range must(e.svc.InputViews(ctx, e.qm, r, nil))(t) {
			if len(in.Facts) == 0 {
				t.Errorf("input %s has no facts", in.Input)
			}
		}
		if f := facts(t, e, r, evidence.InputAudits)["reviews.fact.no_data"]; f.Key == "" {
			t.Error("the audit results input does not say it has no data")
		}
	})
}

// fakeSource is another module's facts.
type fakeSource struct{ n int }

func (f *fakeSource) ReviewFacts(_ context.Context, _ int64, p evidence.Period) ([]evidence.Fact, error) {
	f.n++
	return []evidence.Fact{{Input: evidence.InputAudits, Key: "audits.fact.held", Args: map[string]any{"N": 4, "From": p.From.Format(time.DateOnly), "To": p.To.Format(time.DateOnly)}}}, nil
}

// TestSnapshotIsFrozenWhenHeld: the facts keep what management saw; a
// case reported after the meeting changes nothing; the other modules'
// facts are compiled for the period (To exclusive).
func TestSnapshotIsFrozenWhenHeld(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		ctx := t.Context()
		src := &fakeSource{}
		e.svc.Inputs = []evidence.InputSource{src}
		e.seed(t, e.sysA, e.unit, "A")
		r := e.plan(t, e.qm)
		r = must(e.svc.Compile(ctx, e.qm, r.ID, r.Version))(t)
		au := facts(t, e, r, evidence.InputAudits)["audits.fact.held"]
		if num(t, au, "N") != 4 || au.Args["From"] != "2026-01-01" || au.Args["To"] != "2027-01-01" {
			t.Fatalf("audit facts: %+v", au)
		}
		must(e.svc.SaveAssessment(ctx, e.qm, r.ID, evidence.InputNonconformities, reviews.AssessmentInput{Text: "Cauzele au fost tratate.", Conclusion: reviews.ConclusionAdequate, Version: 1}))(t)
		_, err := e.svc.SaveAssessment(ctx, e.qm, r.ID, evidence.InputNonconformities, reviews.AssessmentInput{Text: "Altă evaluare", Version: 1})
		wantConflict(t, err, "error.stale")
		r = must(e.svc.Step(ctx, e.qm, r.ID, reviews.StepInput{Action: reviews.ActHold, Version: r.Version}))(t)
		must(e.imp.Create(ctx, e.sysA, improvement.NCInput{Title: "A După ședință", Source: improvement.SourceComplaint, Severity: improvement.SeverityMajor, UnitID: e.unit, DetectedOn: "2026-11-23"}))(t)
		if _, err := e.svc.Compile(ctx, e.qm, r.ID, r.Version); err == nil {
			t.Fatal("compiled after the meeting")
		}
		if f := facts(t, e, r, evidence.InputNonconformities)["reviews.fact.nc_opened"]; num(t, f, "N") != 3 {
			t.Fatalf("the snapshot changed after the meeting: %+v", f)
		}
		views := must(e.svc.InputViews(ctx, e.qm, r, nil))(t)
		for _, v := range views {
			if v.Input == evidence.InputNonconformities && (v.Assessment != "Cauzele au fost tratate." || v.Conclusion != reviews.ConclusionAdequate) {
				t.Fatalf("assessment lost: %+v", v.InputRecord)
			}
		}
		if src.n != 1 {
			t.Fatalf("the other modules were asked %d times", src.n)
		}
	})
}

// TestActionsAreTasks: each action is a task in its owner's inbox; the
// owner marks it done and the task closes; a cancelled one needs a reason
// and its task is cancelled; someone else may not close it.
func TestActionsAreTasks(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		ctx := t.Context()
		r := e.plan(t, e.qm)
		if _, err := e.svc.AddDecision(ctx, e.qm, r.ID, reviews.DecisionInput{Category: reviews.DecisionResources, Text: "x"}); err == nil {
			t.Fatal("a decision before the meeting")
		}
		r = must(e.svc.Compile(ctx, e.qm, r.ID, r.Version))(t)
		r = must(e.svc.Step(ctx, e.qm, r.ID, reviews.StepInput{Action: reviews.ActHold, Version: r.Version}))(t)
		_, err := e.svc.AddDecision(ctx, e.qm, r.ID, reviews.DecisionInput{Category: "other", Text: ""})
		wantField(t, err, "review_decision", "error.required")
		dec := must(e.svc.AddDecision(ctx, e.qm, r.ID, reviews.DecisionInput{Category: reviews.DecisionImprovement, Input: evidence.InputSatisfaction,
			Text: "Se introduce chestionarul de satisfacție a cetățenilor la ghișeul unic."}))(t)
		_, err = e.svc.AddAction(ctx, e.qm, r.ID, reviews.ActionInput{DecisionID: dec.ID, Description: "Chestionar", OwnerID: e.dan, DueOn: "2026-01-10"})
		wantField(t, err, "due", "reviews.error.past")
		x := must(e.svc.AddAction(ctx, e.qm, r.ID, reviews.ActionInput{DecisionID: dec.ID, Description: "Elaborarea chestionarului de satisfacție", OwnerID: e.dan, DueOn: "2027-02-28"}))(t)
		y := must(e.svc.AddAction(ctx, e.qm, r.ID, reviews.ActionInput{Description: "Instruirea personalului de la ghișeu", OwnerID: e.ema, DueOn: "2027-03-31"}))(t)
		if n := e.count(t, `SELECT COUNT(*) FROM tasks WHERE module = 'reviews' AND entity = 'review_action' AND entity_id = $1 AND person_id = $2 AND due_on = '2027-02-28' AND state = 'open'`, x.ID, e.dan); n != 1 {
			t.Fatal("the owner has no task for the action")
		}
		if err := e.svc.DeleteDecision(ctx, e.qm, r.ID, dec.ID, dec.Version); err == nil {
			t.Fatal("a decision with an action was deleted")
		}
		if _, err := e.svc.CompleteAction(ctx, e.emp, r.ID, x.ID, reviews.DoneInput{Note: "gata", Version: x.Version}); !errors.Is(err, apperr.ErrForbidden) {
			t.Fatalf("someone else completed the action: %v", err)
		}
		_, err = e.svc.CompleteAction(ctx, e.head, r.ID, x.ID, reviews.DoneInput{Note: " ", Version: x.Version})
		wantField(t, err, "done_note", "reviews.error.done_note")
		x = must(e.svc.CompleteAction(ctx, e.head, r.ID, x.ID, reviews.DoneInput{Note: "Chestionarul a fost aprobat prin dispoziția primarului.", Version: x.Version}))(t)
		if x.State != reviews.ActionDone || x.DoneOn != "2026-11-23" || e.openTasks(t, "reviews", "review_action", x.ID) != 0 {
			t.Fatalf("done %+v", x)
		}
		if n := e.count(t, `SELECT COUNT(*) FROM tasks WHERE entity = 'review_action' AND entity_id = $1 AND state = 'done'`, x.ID); n != 1 {
			t.Fatal("the task did not close as done")
		}
		if _, err := e.svc.CancelAction(ctx, e.emp, r.ID, y.ID, reviews.DoneInput{Note: "nu", Version: y.Version}); !errors.Is(err, apperr.ErrForbidden) {
			t.Fatalf("the owner cancelled: %v", err)
		}
		y = must(e.svc.CancelAction(ctx, e.qm, r.ID, y.ID, reviews.DoneInput{Note: "Cuprinsă în planul anual de instruire.", Version: y.Version}))(t)
		if y.State != reviews.ActionCancelled || e.count(t, `SELECT COUNT(*) FROM tasks WHERE entity = 'review_action' AND entity_id = $1 AND state = 'cancelled'`, y.ID) != 1 {
			t.Fatalf("cancelled %+v", y)
		}
		list, total := must2(e.svc.Actions(ctx, e.view, reviews.ActionFilter{OwnerID: e.dan}))(t)
		if total != 1 || list[0].ID != x.ID || list[0].ReviewCode != r.Code || list[0].Decision == "" {
			t.Fatalf("actions of Dan: %d %+v", total, list)
		}
		if _, total := must2(e.svc.Actions(ctx, e.other, reviews.ActionFilter{}))(t); total != 0 {
			t.Fatalf("B sees %d of A's actions", total)
		}
		ev := must(e.svc.ClauseEvidence(ctx, r.Tenant))(t)
		if len(ev) != 2 || ev[0].Clause != "9.3" || ev[0].Kind != evidence.KindReview || ev[0].Href != "/reviews/"+itoa(r.ID) || ev[1].Clause != "10.3" {
			t.Fatalf("evidence %+v", ev)
		}
	})
}

// TestNextReviewCarriesOpenActions: the next review follows on from the
// previous one, carries its open actions into input (a), starts with no
// decisions, and shows each figure beside the previous one.
func TestNextReviewCarriesOpenActions(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		ctx := t.Context()
		e.clk.Set(time.Date(2025, 12, 10, 9, 0, 0, 0, time.UTC))
		must(e.imp.Create(ctx, e.sysA, improvement.NCInput{Title: "A Caz 2025", Source: improvement.SourceComplaint, Severity: improvement.SeverityMinor, UnitID: e.unit, DetectedOn: "2025-06-01"}))(t)
		prev := must(e.svc.Create(ctx, e.qm, reviews.Input{Title: "Analiza efectuată de management 2025", PeriodFrom: "2025-01-01", PeriodTo: "2025-12-31",
			MeetingOn: "2025-12-15", ChairID: e.mayor, Participants: []int64{e.ana}}))(t)
		prev = must(e.svc.Compile(ctx, e.qm, prev.ID, prev.Version))(t)
		e.clk.Set(time.Date(2025, 12, 15, 9, 0, 0, 0, time.UTC))
		prev = must(e.svc.Step(ctx, e.qm, prev.ID, reviews.StepInput{Action: reviews.ActHold, Version: prev.Version}))(t)
		done := must(e.svc.AddAction(ctx, e.qm, prev.ID, reviews.ActionInput{Description: "Revizuirea procedurii de petiții", OwnerID: e.dan, DueOn: "2026-03-31"}))(t)
		late := must(e.svc.AddAction(ctx, e.qm, prev.ID, reviews.ActionInput{Description: "Digitalizarea registraturii", OwnerID: e.ema, DueOn: "2026-06-30"}))(t)
		open := must(e.svc.AddAction(ctx, e.qm, prev.ID, reviews.ActionInput{Description: "Evaluarea furnizorilor de servicii IT", OwnerID: e.dan, DueOn: "2026-12-31"}))(t)
		_ = open
		e.clk.Set(time.Date(2026, 3, 20, 9, 0, 0, 0, time.UTC))
		must(e.svc.CompleteAction(ctx, e.head, prev.ID, done.ID, reviews.DoneInput{Note: "Procedura PO-07 revizia 2 este în vigoare.", Version: done.Version}))(t)
		prev = must(e.svc.Step(ctx, e.top, prev.ID, reviews.StepInput{Action: reviews.ActClose, Version: prev.Version}))(t)
		e.clk.Set(t0)
		if _, err := e.svc.PrepareNext(ctx, e.emp, prev.ID); !errors.Is(err, apperr.ErrForbidden) {
			t.Fatalf("an employee prepared the next review: %v", err)
		}
		next := must(e.svc.PrepareNext(ctx, e.qm, prev.ID))(t)
		if next.PeriodFrom != "2026-01-01" || next.PeriodTo != "2026-12-31" || next.MeetingOn != "2026-12-15" || next.Title != "Analiza efectuată de management 2026" ||
			next.ChairID != e.mayor || len(next.Participants) != 1 || next.PreviousID != prev.ID || next.State != reviews.StatePlanned || next.Code != "AM-2026-01" {
			t.Fatalf("next %+v", next)
		}
		_, err := e.svc.PrepareNext(ctx, e.qm, prev.ID)
		wantConflict(t, err, "reviews.error.next_exists")
		out := must(e.svc.Outputs(ctx, e.qm, next.ID))(t)
		if len(out.Decisions) != 0 || len(out.Actions) != 0 {
			t.Fatalf("the next review starts with outputs: %+v", out)
		}
		must(e.imp.Create(ctx, e.sysA, improvement.NCInput{Title: "A Caz 2026", Source: improvement.SourceComplaint, Severity: improvement.SeverityMinor, UnitID: e.unit, DetectedOn: "2026-02-01"}))(t)
		must(e.imp.Create(ctx, e.sysA, improvement.NCInput{Title: "A Alt caz 2026", Source: improvement.SourceComplaint, Severity: improvement.SeverityMinor, UnitID: e.unit, DetectedOn: "2026-04-01"}))(t)
		next = must(e.svc.Compile(ctx, e.qm, next.ID, next.Version))(t)
		p, ok := must2(e.svc.Previous(ctx, e.qm, next))(t)
		if !ok || p.ID != prev.ID {
			t.Fatalf("previous of the next review: %v %+v", ok, p)
		}
		views := must(e.svc.InputViews(ctx, e.qm, next, &p))(t)
		var a, c4 reviews.InputView
		for _, v := range views {
			switch v.Input {
			case evidence.InputPreviousActions:
				a = v
			case evidence.InputNonconformities:
				c4 = v
			}
		}
		var openFacts, lateFacts int
		for _, f := range a.Facts {
			switch f.Key {
			case "reviews.fact.prev_actions":
				if num(t, f.Fact, "N") != 3 || num(t, f.Fact, "Done") != 1 || num(t, f.Fact, "Open") != 2 {
					t.Errorf("previous actions: %+v", f.Args)
				}
			case "reviews.fact.open_action":
				openFacts++
			case "reviews.fact.overdue_action":
				lateFacts++
				if f.Args["Code"] != prev.Code || f.Args["DueDay"] != "2026-06-30" || !f.Warn || f.Href != "/reviews/"+itoa(prev.ID)+"#action-"+itoa(late.ID) {
					t.Errorf("overdue action carried: %+v", f)
				}
			}
		}
		if openFacts != 1 || lateFacts != 1 {
			t.Errorf("carried %d open and %d overdue actions, want 1 and 1", openFacts, lateFacts)
		}
		for _, f := range c4.Facts {
			if f.Key == "reviews.fact.nc_opened" {
				if f.Prev == nil || num(t, *f.Prev, "N") != 1 || num(t, f.Fact, "N") != 2 {
					t.Errorf("what changed: %+v prev %+v", f.Fact, f.Prev)
				}
			}
			if f.Key == "reviews.fact.ca_overdue" && f.Prev != nil {
				t.Errorf("an unchanged figure is marked changed: %+v", f)
			}
		}
	})
}

func must2[A, B any](a A, b B, err error) func(t testing.TB) (A, B) {
	return func(t testing.TB) (A, B) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return a, b
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
