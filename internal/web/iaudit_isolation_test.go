package web

import (
	"context"
	"net/url"
	"strconv"
	"testing"

	"cadran/internal/audits"
	"cadran/internal/auth"
	"cadran/internal/org"
)

// iauditFixture is institution A's internal audit records: an auditor of
// its own audit compartment with a certificate, the 2026 programme with
// one row, and an audit of A's unit planned from it, under way, with its
// checklist generated, one verdict and one finding raised as a case.
type iauditFixture struct {
	svc       *audits.Service
	sys       auth.Actor
	auditor   audits.Auditor
	qual      audits.Qualification
	item      audits.ProgrammeItem
	audit     audits.Audit
	items     []audits.Item
	finding   audits.Finding
	auditorID int64 // the auditor's person
}

func newIauditFixture(t *testing.T, f *fixture) iauditFixture {
	t.Helper()
	ctx := context.Background()
	x := iauditFixture{svc: &audits.Service{DB: f.DB, Clock: f.Clock, Work: f.Srv.work, Improve: f.Srv.improve}, sys: auth.SystemActor(f.A.Inst.ID, "test")}
	o := &org.Service{DB: f.DB, Clock: f.Clock}
	u, err := o.CreateUnit(ctx, x.sys, org.UnitInput{Name: f.A.Marker + " Compartimentul Audit Public Intern", Kind: org.UnitCompartment, Relation: org.RelationOwn})
	if err != nil {
		t.Fatal(err)
	}
	p, err := o.CreatePerson(ctx, x.sys, org.PersonInput{UnitID: u.ID, FullName: f.A.Marker + " Auditorescu Ștefana", Position: org.PositionExecution, Employment: org.EmploymentCivilServant, Active: true})
	if err != nil {
		t.Fatal(err)
	}
	x.auditorID = p.ID
	if x.auditor, err = x.svc.RegisterAuditor(ctx, x.sys, audits.AuditorInput{PersonID: p.ID, Notes: f.A.Marker + " auditor atestat"}); err != nil {
		t.Fatal(err)
	}
	if x.qual, err = x.svc.AddQualification(ctx, x.sys, x.auditor.ID, audits.QualificationInput{Name: f.A.Marker + " Auditor intern ISO 19011", Issuer: "ASRO", Hours: 40, IssuedOn: "2025-02-10", ExpiresOn: "2028-02-10"}); err != nil {
		t.Fatal(err)
	}
	if _, err := x.svc.CreateProgramme(ctx, x.sys, 2026, f.A.Marker+" Programul aprobat prin dispoziția primarului"); err != nil {
		t.Fatal(err)
	}
	if x.item, err = x.svc.AddProgrammeItem(ctx, x.sys, 2026, audits.ProgrammeItemInput{UnitID: f.A.Unit.ID, Process: f.A.Marker + " Bugetul local", Month: 11, Clauses: []string{"8.5.1", "7.5.3"}}); err != nil {
		t.Fatal(err)
	}
	if x.audit, err = x.svc.Create(ctx, x.sys, audits.PlanInput{ItemID: x.item.ID, Title: f.A.Marker + " Auditul bugetului local", UnitID: f.A.Unit.ID, Process: "Bugetul local",
		Scope: f.A.Marker + " Elaborarea și execuția bugetului", Criteria: "SR EN ISO 9001:2015", Clauses: []string{"8.5.1", "7.5.3"}, Procedures: []int64{f.A.Doc.ID},
		LeadID: p.ID, StartOn: "2026-11-20", EndOn: "2026-11-24", Agenda: []audits.AgendaRow{{Day: "2026-11-20", Time: "09:00", Activity: "Ședința de deschidere"}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := x.svc.Generate(ctx, x.sys, x.audit.ID); err != nil {
		t.Fatal(err)
	}
	if x.audit, err = x.svc.Step(ctx, x.sys, x.audit.ID, audits.StepInput{Action: audits.ActStart, Version: x.audit.Version}); err != nil {
		t.Fatal(err)
	}
	if x.items, err = x.svc.Checklist(ctx, x.sys, x.audit.ID); err != nil {
		t.Fatal(err)
	}
	it := x.items[0]
	if _, err := x.svc.SaveItems(ctx, x.sys, x.audit.ID, []audits.ItemUpdate{{ID: it.ID, Question: it.Question, Evidence: f.A.Marker + " Dosarul bugetului verificat", Verdict: audits.VerdictConform, Version: it.Version}}); err != nil {
		t.Fatal(err)
	}
	if x.finding, err = x.svc.RecordFinding(ctx, x.sys, x.audit.ID, audits.FindingInput{Kind: audits.FindingMinor, Clause: "7.5.3", Evidence: f.A.Marker + " Registrul nu este arhivat"}); err != nil {
		t.Fatal(err)
	}
	if x.items, err = x.svc.Checklist(ctx, x.sys, x.audit.ID); err != nil {
		t.Fatal(err)
	}
	if x.audit, err = x.svc.Audit(ctx, x.sys, x.audit.ID); err != nil {
		t.Fatal(err)
	}
	return x
}

func init() {
	isolationModules = append(isolationModules, func(t *testing.T, f *fixture) isolationRecords {
		t.Helper()
		x := newIauditFixture(t, f)
		ctx := context.Background()
		id := strconv.FormatInt(x.audit.ID, 10)
		person := strconv.FormatInt(x.auditorID, 10)
		return isolationRecords{
			IDs: map[string]string{"/audits/{id}": id},
			Params: map[string]string{"{iid}": strconv.FormatInt(x.item.ID, 10), "{aid}": strconv.FormatInt(x.auditor.ID, 10),
				"{qid}": strconv.FormatInt(x.qual.ID, 10), "{cid}": strconv.FormatInt(x.items[1].ID, 10)},
			Form: url.Values{"lead_id": {person}, "audit_team": {person}, "audit_title": {"Intrus"}, "audit_scope": {"Intrus"}, "audit_clauses": {"8.5.1"},
				"audit_start": {"2026-12-01"}, "audit_end": {"2026-12-02"}, "programme_item_id": {strconv.FormatInt(x.item.ID, 10)}, "audit_previous": {id},
				"audit_procedures": {strconv.FormatInt(f.A.Doc.ID, 10)}, "item": {strconv.FormatInt(x.items[0].ID, 10)},
				"verdict_" + strconv.FormatInt(x.items[0].ID, 10): {"major"}, "finding_kind": {"major"}, "finding_clause": {"8.5.1"}, "finding_evidence": {"Intrus"},
				"item_question": {"Intrus"}, "qualification_name": {"Intrus"}, "item_month": {"3"}, "programme_year": {"2026"}, "auditor_active": {"1"}, "audit_conclusions": {"Intrus"}},
			Check: func(t *testing.T) {
				after, err := x.svc.Audit(ctx, x.sys, x.audit.ID)
				if err != nil || after.Version != x.audit.Version || after.Title != x.audit.Title || after.State != audits.StateInProgress || after.Conclusions != "" {
					t.Errorf("A's audit changed during B's requests: %+v (%v)", after, err)
				}
				items, err := x.svc.Checklist(ctx, x.sys, x.audit.ID)
				if err != nil || len(items) != len(x.items) || items[0].Version != x.items[0].Version || items[0].Verdict != audits.VerdictConform {
					t.Errorf("A's checklist changed: %d items (%v)", len(items), err)
				}
				fs, err := x.svc.Findings(ctx, x.sys, x.audit.ID)
				if err != nil || len(fs) != 1 {
					t.Errorf("A's findings: %d (%v)", len(fs), err)
				}
				au, err := x.svc.Auditor(ctx, x.sys, x.auditor.ID)
				if err != nil || len(au.Qualifications) != 1 || !au.Active {
					t.Errorf("A's auditor changed: %+v (%v)", au, err)
				}
				var n int
				if err := f.DB.R.QueryRow(`SELECT COUNT(*) FROM internal_audits WHERE tenant_id <> $1 AND (unit_id IN ($2, $3) OR lead_id = $4 OR item_id = $5 OR previous_id = $6)`,
					f.A.Inst.ID, f.A.Unit.ID, f.A.SubUnit.ID, x.auditorID, x.item.ID, x.audit.ID).Scan(&n); err != nil || n != 0 {
					t.Errorf("B made %d audits pointing at A's records (err %v)", n, err)
				}
				if err := f.DB.R.QueryRow(`SELECT COUNT(*) FROM auditors WHERE tenant_id <> $1 AND person_id IN ($2, $3)`, f.A.Inst.ID, x.auditorID, f.A.Person.ID).Scan(&n); err != nil || n != 0 {
					t.Errorf("B registered %d of A's people as auditors (err %v)", n, err)
				}
				if err := f.DB.R.QueryRow(`SELECT COUNT(*) FROM audit_programme_items WHERE tenant_id <> $1 AND unit_id IN ($2, $3)`, f.A.Inst.ID, f.A.Unit.ID, f.A.SubUnit.ID).Scan(&n); err != nil || n != 0 {
					t.Errorf("B planned %d audits of A's units (err %v)", n, err)
				}
				if err := f.DB.R.QueryRow(`SELECT COUNT(*) FROM audit_programme_items WHERE id = $1 AND version = $2 AND month = 11`, x.item.ID, x.item.Version).Scan(&n); err != nil || n != 1 {
					t.Errorf("A's programme row changed (err %v)", err)
				}
			},
		}
	})
}
