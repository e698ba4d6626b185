package audits_test

import (
	"errors"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"cadran/internal/apperr"
	"cadran/internal/audits"
	"cadran/internal/db"
	"cadran/internal/db/dbtest"
	"cadran/internal/evidence"
	"cadran/internal/frameworks"
	"cadran/internal/improvement"
	"cadran/internal/risks"
	"cadran/internal/work"
)

func TestQuestionBankCoversEveryClause(t *testing.T) {
	for _, c := range frameworks.ISO9001 {
		qs := audits.Bank[c.Code]
		if len(qs) < 1 || len(qs) > 3 {
			t.Errorf("clause %s has %d questions, want 1 to 3", c.Code, len(qs))
		}
		for _, q := range qs {
			if q.RO == "" || q.EN == "" || strings.ContainsAny(q.RO, "şţŞŢ") {
				t.Errorf("clause %s: question %q lacks a language or has cedilla letters", c.Code, q.RO)
			}
		}
	}
	for code := range audits.Bank {
		if _, ok := frameworks.ISOClause(code); !ok {
			t.Errorf("the bank has questions for %s, which is not a clause", code)
		}
	}
}

func TestFrequencyRule(t *testing.T) {
	for _, c := range []struct {
		exposure, tolerance int
		last                string
		want                int
	}{
		{15, 8, "", 2},
		{8, 8, "", 1},
		{4, 8, audits.FindingMajor, 2},
		{4, 8, audits.FindingMinor, 1},
		{0, 8, "", 1},
	} {
		if got := audits.Frequency(c.exposure, c.tolerance, c.last); got != c.want {
			t.Errorf("Frequency(%d, %d, %q) = %d, want %d", c.exposure, c.tolerance, c.last, got, c.want)
		}
	}
}

// An auditor may not audit their own unit, nor a unit above it; the error
// names them and nothing is saved.
func TestIndependence(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		ctx := t.Context()
		for _, c := range []struct {
			name  string
			unit  int64
			lead  int64
			team  []int64
			field string
		}{
			{"lead in the audited unit", e.tax, e.ion, nil, "lead_id"},
			{"lead under the audited unit", e.econ, e.ion, nil, "lead_id"},
			{"team member in the audited unit", e.tax, e.aura, []int64{e.ion}, "audit_team"},
		} {
			in := e.plan(10)
			in.UnitID, in.LeadID, in.Team = c.unit, c.lead, c.team
			_, err := e.svc.Create(ctx, e.qm, in)
			wantKey(t, err, c.field, "audits.error.own_unit")
			var ie *audits.IndependenceError
			if !errors.As(err, &ie) || !slices.Contains(ie.Names, "Ion Bălan") {
				t.Errorf("%s: the error does not name the auditor: %v", c.name, err)
			}
		}
		if n := e.count(t, `SELECT COUNT(*) FROM internal_audits`); n != 0 {
			t.Fatalf("%d audits saved despite the refusals", n)
		}
		// Ion audits the registry: allowed.
		in := e.plan(10)
		in.UnitID, in.LeadID, in.Team, in.Procedures = e.registry, e.ion, nil, nil
		if _, err := e.svc.Create(ctx, e.qm, in); err != nil {
			t.Fatal(err)
		}
		// Someone not in the register cannot lead.
		in.LeadID = e.dan
		_, err := e.svc.Create(ctx, e.qm, in)
		wantKey(t, err, "lead_id", "audits.error.not_auditor")
		// An auditor cannot plan.
		_, err = e.svc.Create(ctx, e.auditor, e.plan(10))
		wantForbidden(t, err)
	})
}

// An audit from plan to report: tasks, the generated checklist, a finding
// that opens its case in the nonconformity register, the report, the
// evidence for the compliance matrix and the facts for the review.
func TestAuditLifecycle(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		ctx := t.Context()
		x := must(e.svc.Create(ctx, e.qm, e.plan(-2)))(t)
		if x.Code != "AI-2026-01" || x.State != audits.StatePlanned || !slices.Equal(x.Clauses, []string{"7.5.3", "8.5.1"}) || !slices.Equal(x.Team, []int64{e.vlad}) {
			t.Fatalf("audit %+v", x)
		}
		// Tasks: each auditor conducts it, the head of the tax service
		// receives them, the lead issues the report.
		if n := e.count(t, `SELECT COUNT(*) FROM tasks WHERE module = 'audits' AND state = 'open' AND person_id IN ($1, $2) AND kind = 'attend'`, e.aura, e.vlad); n != 2 {
			t.Errorf("%d conduct tasks, want 2", n)
		}
		if n := e.count(t, `SELECT COUNT(*) FROM tasks WHERE module = 'audits' AND state = 'open' AND role = 'head_of_unit' AND role_unit_id = $1`, e.tax); n != 1 {
			t.Errorf("%d auditee tasks, want 1", n)
		}
		if n := e.count(t, `SELECT COUNT(*) FROM tasks WHERE module = 'audits' AND state = 'open' AND person_id = $1 AND kind = 'report' AND due_on = $2`, e.aura, day(-1+audits.ReportDays)); n != 1 {
			t.Errorf("%d report tasks due a week after the end, want 1", n)
		}
		// Stale plan refused.
		in := e.plan(-2)
		in.Version = x.Version - 1
		if _, err := e.svc.Update(ctx, e.qm, x.ID, in); !errors.Is(err, apperr.ErrConflict) {
			t.Fatalf("stale update: %v", err)
		}
		// The checklist: the bank's questions of both clauses and three per procedure.
		n := must(e.svc.Generate(ctx, e.auditor, x.ID))(t)
		want := len(audits.Bank["7.5.3"]) + len(audits.Bank["8.5.1"]) + 3
		if n != want {
			t.Fatalf("generated %d items, want %d", n, want)
		}
		if again := must(e.svc.Generate(ctx, e.auditor, x.ID))(t); again != 0 {
			t.Fatalf("generating again added %d items", again)
		}
		items := must(e.svc.Checklist(ctx, e.auditor, x.ID))(t)
		var procItems int
		for _, it := range items {
			if it.Source == audits.SourceProcedure {
				procItems++
				if it.Clause != "8.5.1" || it.DocumentID != e.proc.ID {
					t.Errorf("procedure item %+v", it)
				}
			}
		}
		if procItems != 3 || !strings.Contains(items[0].Question, "Sunt") && !strings.Contains(items[0].Question, "Se ") {
			t.Errorf("procedure items %d; first question %q", procItems, items[0].Question)
		}
		// A verdict before the start is refused; the team starts it.
		_, err := e.svc.SaveItems(ctx, e.auditor, x.ID, []audits.ItemUpdate{{ID: items[0].ID, Question: items[0].Question, Verdict: audits.VerdictConform, Version: items[0].Version}})
		wantKey(t, err, "verdict_"+itoa(items[0].ID), "audits.error.not_started")
		_, err = e.svc.Step(ctx, e.taxAuditor, x.ID, audits.StepInput{Action: audits.ActStart, Version: x.Version})
		wantForbidden(t, err)
		x = must(e.svc.Step(ctx, e.auditor, x.ID, audits.StepInput{Action: audits.ActStart, Version: x.Version}))(t)
		if n := e.count(t, `SELECT COUNT(*) FROM tasks WHERE module = 'audits' AND state = 'open' AND role = 'head_of_unit'`); n != 0 {
			t.Errorf("the auditee task is still open after the start")
		}
		// An auditor not on the team reads but cannot record.
		_, err = e.svc.SaveItems(ctx, e.taxAuditor, x.ID, []audits.ItemUpdate{{ID: items[0].ID, Verdict: audits.VerdictConform, Version: items[0].Version}})
		wantForbidden(t, err)
		// A nonconforming verdict needs evidence.
		_, err = e.svc.SaveItems(ctx, e.auditor, x.ID, []audits.ItemUpdate{{ID: items[1].ID, Verdict: audits.VerdictMinor, Version: items[1].Version}})
		wantKey(t, err, "evidence_"+itoa(items[1].ID), "audits.error.evidence_required")
		bad := slices.IndexFunc(items, func(it audits.Item) bool { return it.Clause == "8.5.1" })
		var ups []audits.ItemUpdate
		for i, it := range items {
			v := audits.VerdictConform
			ev := "Dosarele 12/2026 și 47/2026 verificate."
			if i == bad {
				v, ev = audits.VerdictMajor, "Trei decizii de impunere emise după termenul legal."
			}
			ups = append(ups, audits.ItemUpdate{ID: it.ID, Question: it.Question, Evidence: ev, Verdict: v, Version: it.Version})
		}
		if n := must(e.svc.SaveItems(ctx, e.auditor2, x.ID, ups))(t); n != len(items) {
			t.Fatalf("saved %d items", n)
		}
		// Saving the same form again is stale: nothing lost silently.
		ups[0].Evidence = "altceva"
		if _, err := e.svc.SaveItems(ctx, e.auditor, x.ID, ups); !errors.Is(err, apperr.ErrConflict) {
			t.Fatalf("stale checklist: %v", err)
		}
		// A finding opens its case, linked back to the audit.
		_, err = e.svc.RecordFinding(ctx, e.taxAuditor, x.ID, audits.FindingInput{Kind: audits.FindingMajor, Clause: "8.5.1", Evidence: "x"})
		wantForbidden(t, err)
		_, err = e.svc.RecordFinding(ctx, e.auditor, x.ID, audits.FindingInput{Kind: "grav", Clause: "9.9"})
		wantKey(t, err, "finding_kind", "error.choice")
		f := must(e.svc.RecordFinding(ctx, e.auditor, x.ID, audits.FindingInput{Kind: audits.FindingMajor, Clause: "8.5.1", Requirement: "Termenul legal de emitere a deciziilor de impunere",
			Evidence: "Trei decizii de impunere emise după termenul legal.", ItemID: items[bad].ID}))(t)
		if f.NCID == 0 || f.NCCode == "" || f.NCState != improvement.StateReported {
			t.Fatalf("finding %+v", f)
		}
		ncs := must(e.improve.BySource(ctx, e.qm, audits.Module, "audit_finding", f.ID))(t)
		if len(ncs) != 1 || ncs[0].ID != f.NCID || ncs[0].Source != improvement.SourceInternalAudit || ncs[0].SourceRef != x.Code ||
			ncs[0].Severity != improvement.SeverityMajor || ncs[0].UnitID != e.tax || ncs[0].Clause != "8.5.1" {
			t.Fatalf("the case raised: %+v", ncs)
		}
		obs := must(e.svc.RecordFinding(ctx, e.auditor2, x.ID, audits.FindingInput{Kind: audits.FindingOpportunity, Clause: "7.5.3", Evidence: "Arhivarea electronică ar scurta căutarea dosarelor."}))(t)
		if obs.Seq != 2 {
			t.Errorf("second finding numbered %d", obs.Seq)
		}
		// Finishing the fieldwork closes the auditors' tasks; closing needs
		// the conclusions, and only the lead (or the office) closes.
		x = must(e.svc.Audit(ctx, e.qm, x.ID))(t)
		x = must(e.svc.Step(ctx, e.auditor2, x.ID, audits.StepInput{Action: audits.ActFinish, Version: x.Version}))(t)
		if n := e.count(t, `SELECT COUNT(*) FROM tasks WHERE module = 'audits' AND state = 'open' AND kind = 'attend'`); n != 0 {
			t.Errorf("%d conduct tasks still open after the fieldwork", n)
		}
		_, err = e.svc.Step(ctx, e.auditor, x.ID, audits.StepInput{Action: audits.ActClose, Version: x.Version})
		wantKey(t, err, "audit_conclusions", "audits.error.conclusions_required")
		x = must(e.svc.SaveReport(ctx, e.auditor, x.ID, audits.ReportInput{Summary: "Auditul s-a desfășurat conform planului.", Conclusions: "Procesul este implementat, cu o neconformitate majoră privind termenele.",
			Distribution: "Primar; șeful serviciului", Version: x.Version}))(t)
		_, err = e.svc.Step(ctx, e.auditor2, x.ID, audits.StepInput{Action: audits.ActClose, Version: x.Version})
		wantForbidden(t, err)
		x = must(e.svc.Step(ctx, e.auditor, x.ID, audits.StepInput{Action: audits.ActClose, Version: x.Version}))(t)
		if x.State != audits.StateClosed || x.ReportedOn != day(0) {
			t.Fatalf("closed audit %+v", x)
		}
		if n := e.count(t, `SELECT COUNT(*) FROM tasks WHERE module = 'audits' AND state = 'open'`); n != 0 {
			t.Errorf("%d audit tasks still open after the report", n)
		}
		if n := e.count(t, `SELECT COUNT(*) FROM tasks WHERE module = 'audits' AND state = 'done' AND kind = 'report'`); n != 1 {
			t.Errorf("the report task is not done")
		}
		// Writing after the close is refused.
		_, err = e.svc.RecordFinding(ctx, e.auditor, x.ID, audits.FindingInput{Kind: audits.FindingMinor, Clause: "8.5.1", Evidence: "târziu"})
		wantConflict(t, err, "audits.error.not_under_way")
		// Every change is in the audit trail.
		if n := e.count(t, `SELECT COUNT(*) FROM audit_events WHERE entity IN ('internal_audit', 'audit_checklist', 'audit_checklist_item', 'audit_finding') AND entity_id IN (SELECT id FROM internal_audits UNION SELECT id FROM audit_findings UNION SELECT id FROM audit_checklist)`); n < 2+len(items)+2+4 {
			t.Errorf("only %d audit events", n)
		}

		// Clause evidence: 8.5.1 major, 7.5.3 an opportunity.
		ev := must(e.svc.ClauseEvidence(ctx, e.qm.Tenant))(t)
		res := map[string]string{}
		for _, it := range ev {
			if it.Kind != evidence.KindAudit || it.Href != "/audits/"+itoa(x.ID) || it.Open {
				t.Errorf("evidence item %+v", it)
			}
			res[it.Clause] = it.Result
		}
		if res["8.5.1"] != evidence.ResultMajor || res["7.5.3"] != evidence.ResultOpportunity || len(res) != 2 {
			t.Errorf("clause results %v", res)
		}
		if ev := must(e.svc.ClauseEvidence(ctx, e.other.Tenant))(t); len(ev) != 0 {
			t.Errorf("B sees A's audits as evidence: %v", ev)
		}
		facts := must(e.svc.ReviewFacts(ctx, e.qm.Tenant, evidence.Period{From: time.Date(2025, 12, 31, 22, 0, 0, 0, time.UTC), To: time.Date(2026, 12, 31, 22, 0, 0, 0, time.UTC)}))(t)
		keys := map[string]map[string]any{}
		for _, f := range facts {
			keys[f.Key] = f.Args
		}
		if keys["audits.fact.held"]["Held"] != 1 || keys["audits.fact.findings"]["Major"] != 1 || keys["audits.fact.open_findings"]["Open"] != 2 {
			t.Errorf("review facts %v", keys)
		}
		// B cannot see A's audit.
		if _, err := e.svc.Audit(ctx, e.other, x.ID); !errors.Is(err, apperr.ErrNotFound) {
			t.Errorf("B reads A's audit: %v", err)
		}
	})
}

// The programme's proposal follows the rule: a unit with a risk above
// tolerance, or a major finding last time, twice a year; others once; and
// next year's programme starts from this year's with what changed marked.
func TestProgrammeProposalAndNextYear(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		ctx := t.Context()
		e.procedure(t, "Registratura generală", e.registry)
		// The tax service: a risk of 4×4 = 16 > 8.
		r := must(e.risks.Propose(ctx, e.qm, risks.Input{Kind: risks.KindRisk, UnitID: e.tax, Description: "Neîncasarea impozitelor", InherentP: 4, InherentI: 4, Strategy: risks.StrategyTreat}))(t)
		must(e.risks.Step(ctx, e.qm, r.ID, risks.StepInput{Action: risks.ActRetain, Version: r.Version}))(t)
		cs := must(e.svc.Propose(ctx, e.qm, 2026))(t)
		by := map[int64]audits.Candidate{}
		for _, c := range cs {
			by[c.UnitID] = c
		}
		if c := by[e.tax]; c.Frequency != 2 || c.Exposure != 16 || c.Tolerance != 8 || !strings.Contains(c.Process, "Impozite") || !slices.Contains(c.Clauses, "8.5.1") {
			t.Errorf("tax service candidate %+v", c)
		}
		if c := by[e.registry]; c.Frequency != 1 || c.UnitName == "" {
			t.Errorf("registry candidate %+v", c)
		}
		if cs[0].UnitID != e.tax {
			t.Errorf("the gravest unit is not first: %+v", cs[0])
		}
		if _, err := e.svc.Propose(ctx, e.auditor, 2026); !errors.Is(err, apperr.ErrForbidden) {
			t.Errorf("an auditor proposes the programme: %v", err)
		}
		n := must(e.svc.ApplyProposal(ctx, e.qm, 2026))(t)
		if n != 3 {
			t.Fatalf("proposal saved %d items, want 3 (tax twice, registry once)", n)
		}
		v := must(e.svc.ProgrammeView(ctx, e.auditor, 2026))(t)
		var taxMonths []int
		for _, it := range v.Items {
			if it.UnitID == e.tax {
				taxMonths = append(taxMonths, it.Month)
				if rs := it.Reasons(); len(rs) == 0 || rs[0].Key != "audits.reason.risk_above" || rs[0].Args["Exposure"] != 16 {
					t.Errorf("reasons %+v", rs)
				}
			}
		}
		if len(taxMonths) != 2 || taxMonths[1]-taxMonths[0] != 6 {
			t.Errorf("tax service months %v, want two six months apart", taxMonths)
		}
		p := v.Programme
		p2 := must(e.svc.StepProgramme(ctx, e.qm, 2026, audits.ProgrammeStepInput{Action: audits.ActApprove, Version: p.Version}))(t)
		if p2.State != audits.ProgrammeApproved || p2.ApprovedName != e.qm.Name || p2.ApprovedAt == nil {
			t.Fatalf("approved programme %+v", p2)
		}
		_, err := e.svc.ApplyProposal(ctx, e.qm, 2026)
		wantConflict(t, err, "audits.error.programme_approved")

		// An audit of the registry from the programme finds a major
		// nonconformity; the tax risk is closed. Next year: the registry
		// twice (marked more), the tax service once (marked fewer), a new
		// unit with a procedure marked new.
		var regItem int64
		for _, it := range v.Items {
			if it.UnitID == e.registry {
				regItem = it.ID
			}
		}
		in := e.plan(-10)
		in.ItemID, in.UnitID, in.Procedures = regItem, e.registry, nil
		x := must(e.svc.Create(ctx, e.qm, in))(t)
		x = must(e.svc.Step(ctx, e.auditor, x.ID, audits.StepInput{Action: audits.ActStart, Version: x.Version}))(t)
		must(e.svc.RecordFinding(ctx, e.auditor, x.ID, audits.FindingInput{Kind: audits.FindingMajor, Clause: "8.5.1", Evidence: "Petiții fără răspuns în termen."}))(t)
		r = must(e.risks.Risk(ctx, e.qm, r.ID))(t)
		must(e.risks.Step(ctx, e.qm, r.ID, risks.StepInput{Action: risks.ActClose, Reason: "Nu mai este cazul.", Version: r.Version}))(t)
		e.procedure(t, "Audit public intern", e.capi)
		next := must(e.svc.StartNext(ctx, e.qm, 2026))(t)
		if next.Year != 2027 || next.State != audits.ProgrammeDraft || next.PreviousID != p.ID {
			t.Fatalf("next programme %+v", next)
		}
		nv := must(e.svc.ProgrammeView(ctx, e.qm, 2027))(t)
		changes := map[int64][]string{}
		for _, it := range nv.Items {
			changes[it.UnitID] = append(changes[it.UnitID], it.Change)
			if len(it.Audits) != 0 {
				t.Errorf("a carried item already has audits")
			}
		}
		if !slices.Equal(changes[e.registry], []string{audits.ChangeMore, audits.ChangeMore}) || !slices.Equal(changes[e.tax], []string{audits.ChangeFewer}) ||
			!slices.Equal(changes[e.capi], []string{audits.ChangeNew}) {
			t.Errorf("changes %v", changes)
		}
		if _, err := e.svc.StartNext(ctx, e.qm, 2026); err == nil {
			t.Error("the next programme was started twice")
		}
	})
}

// A new audit of the same unit starts from the previous one: questions
// kept with their verdicts reset, a clause added marked, the open finding
// followed up.
func TestCarryOver(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		ctx := t.Context()
		prev := must(e.svc.Create(ctx, e.qm, e.plan(-60)))(t)
		must(e.svc.Generate(ctx, e.qm, prev.ID))(t)
		prev = must(e.svc.Step(ctx, e.auditor, prev.ID, audits.StepInput{Action: audits.ActStart, Version: prev.Version}))(t)
		items := must(e.svc.Checklist(ctx, e.qm, prev.ID))(t)
		must(e.svc.SaveItems(ctx, e.auditor, prev.ID, []audits.ItemUpdate{{ID: items[0].ID, Question: items[0].Question, Evidence: "Verificat.", Verdict: audits.VerdictConform, Version: items[0].Version}}))(t)
		must(e.svc.AddItem(ctx, e.auditor, prev.ID, audits.ItemInput{Clause: "8.5.1", Question: "Sunt afișate taxele la ghișeu?"}))(t)
		f := must(e.svc.RecordFinding(ctx, e.auditor, prev.ID, audits.FindingInput{Kind: audits.FindingMinor, Clause: "7.5.3", Evidence: "Registrul de intrări nu este arhivat."}))(t)

		in := audits.FromPrevious(prev)
		if in.PreviousID != prev.ID || in.StartOn != work.Day(t0).AddDate(1, 0, -60).Format(time.DateOnly) || in.Scope != prev.Scope {
			t.Fatalf("FromPrevious %+v", in)
		}
		in.StartOn, in.EndOn = day(5), day(6)
		in.Clauses = append(in.Clauses, "9.1.2")
		x := must(e.svc.Create(ctx, e.qm, in))(t)
		if x.PreviousID != prev.ID {
			t.Fatalf("no link to the previous audit")
		}
		got := must(e.svc.Checklist(ctx, e.qm, x.ID))(t)
		var manual, added, follow int
		for _, it := range got {
			if it.Verdict != "" || it.Evidence != "" {
				t.Errorf("carried item kept its result: %+v", it)
			}
			switch {
			case it.Source == audits.SourceManual:
				manual++
			case it.Change == audits.ChangeClauseAdded:
				added++
				if it.Clause != "9.1.2" {
					t.Errorf("clause added marked on %s", it.Clause)
				}
			case it.Source == audits.SourceFollowUp:
				follow++
				if it.FollowUpNC != f.NCID || it.Change != audits.ChangeFollowUp || !strings.Contains(it.Question, prev.Code) {
					t.Errorf("follow-up item %+v", it)
				}
			}
		}
		if want := len(items) + 1 + len(audits.Bank["9.1.2"]) + 1; len(got) != want || manual != 1 || added != len(audits.Bank["9.1.2"]) || follow != 1 {
			t.Errorf("carried checklist: %d items (want %d), %d manual, %d added, %d follow-ups", len(got), want, manual, added, follow)
		}
	})
}

// The auditor register: qualifications, their expiry, who may change it.
func TestAuditorRegister(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		ctx := t.Context()
		_, err := e.svc.RegisterAuditor(ctx, e.qm, audits.AuditorInput{PersonID: e.aura})
		wantKey(t, err, "person_id", "audits.error.auditor_taken")
		_, err = e.svc.AddQualification(ctx, e.qm, e.regAura, audits.QualificationInput{Name: "", IssuedOn: day(3)})
		wantKey(t, err, "qualification_name", "error.required")
		_, err = e.svc.AddQualification(ctx, e.auditor, e.regAura, audits.QualificationInput{Name: "Auditor intern"})
		wantForbidden(t, err)
		must(e.svc.AddQualification(ctx, e.qm, e.regAura, audits.QualificationInput{Name: "Auditor intern SMC ISO 19011", Issuer: "ASRO", CertificateNo: "AI-1234", Hours: 40,
			IssuedOn: "2024-03-01", ExpiresOn: day(30)}))(t)
		must(e.svc.AddQualification(ctx, e.qm, e.regVlad, audits.QualificationInput{Name: "Auditor intern", IssuedOn: "2020-01-10", ExpiresOn: "2023-01-10"}))(t)
		list := must(e.svc.Auditors(ctx, e.auditor, true))(t)
		today := work.Day(t0)
		for _, a := range list {
			c := a.Competence(today)
			switch a.PersonID {
			case e.aura:
				if c.Valid != 1 || c.Expiring != 1 || c.Hours != 40 || c.Missing {
					t.Errorf("aura's competence %+v", c)
				}
			case e.vlad:
				if c.Expired != 1 || !c.Missing {
					t.Errorf("vlad's competence %+v", c)
				}
			case e.ion:
				if !c.Missing {
					t.Errorf("ion's competence %+v", c)
				}
			}
		}
		au := must(e.svc.Auditor(ctx, e.qm, e.regIon))(t)
		must(e.svc.UpdateAuditor(ctx, e.qm, e.regIon, audits.AuditorInput{Active: false, Version: au.Version}))(t)
		if list := must(e.svc.Auditors(ctx, e.qm, true))(t); len(list) != 2 {
			t.Errorf("%d active auditors, want 2", len(list))
		}
		in := e.plan(3)
		in.UnitID, in.LeadID, in.Team = e.registry, e.ion, nil
		_, err = e.svc.Create(ctx, e.qm, in)
		wantKey(t, err, "lead_id", "audits.error.not_auditor")
		if _, err := e.svc.Auditor(ctx, e.other, e.regAura); !errors.Is(err, apperr.ErrNotFound) {
			t.Errorf("B reads A's auditor: %v", err)
		}
	})
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
