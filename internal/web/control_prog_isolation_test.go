package web

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"cadran/internal/auth"
	"cadran/internal/control"
	"cadran/internal/db"
	"cadran/internal/db/dbtest"
)

// cprogRecords are institution A's programme, objective, action, body,
// member, meeting and decision.
type cprogRecords struct {
	Programme control.Programme
	Objective control.Objective
	Action    control.Action
	Body      control.Body
	Member    control.Member
	Meeting   control.Meeting
	Decision  control.Decision
}

// cprogSeed gives institution A an approved programme with an objective
// and an action owned by A's person, the monitoring commission with A's
// person as president, a held meeting and a decision.
func cprogSeed(t testing.TB, f *fixture) cprogRecords {
	t.Helper()
	ctx := context.Background()
	sys := auth.SystemActor(f.A.Inst.ID, "test")
	svc := f.Srv.control
	var r cprogRecords
	var err error
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	r.Programme, err = svc.CreateProgramme(ctx, sys, control.ProgrammeInput{Year: 2026, Title: "Alfa Programul de dezvoltare a SCIM 2026"})
	must(err)
	r.Programme, err = svc.MoveProgramme(ctx, sys, r.Programme.ID, control.ProgrammeMove{Action: control.ProgrammeApprove, Decision: "Alfa Dispoziția nr. 12/2026",
		ApprovedOn: "2026-01-15", Version: r.Programme.Version})
	must(err)
	r.Objective, err = svc.AddObjective(ctx, sys, r.Programme.ID, control.ObjectiveInput{Title: "Alfa Proceduri actualizate"})
	must(err)
	r.Action, err = svc.CreateAction(ctx, sys, control.ActionInput{ProgrammeID: r.Programme.ID, ObjectiveID: r.Objective.ID, Standard: 9,
		Title: "Alfa Actualizarea procedurii de arhivare", OwnerID: f.A.Person.ID, UnitID: f.A.SubUnit.ID, DueOn: "2026-12-15"})
	must(err)
	r.Body, err = svc.CreateBody(ctx, sys, control.BodyInput{Kind: control.BodyCommission, Name: "Alfa Comisia de monitorizare", Decision: "Alfa Dispoziția nr. 245/2024",
		DecisionOn: "2024-03-12", Active: true})
	must(err)
	r.Member, err = svc.AddMember(ctx, sys, r.Body.ID, control.MemberInput{PersonID: f.A.Person.ID, Role: control.RolePresident, FromOn: "2024-03-12"})
	must(err)
	r.Meeting, err = svc.CreateMeeting(ctx, sys, control.MeetingInput{BodyID: r.Body.ID, Number: "Alfa PV 3/2026", HeldOn: "2026-11-20", Place: "Alfa Sala mică",
		Agenda: "Alfa Analiza programului"})
	must(err)
	r.Meeting, err = svc.UpdateMeeting(ctx, sys, r.Meeting.ID, control.MeetingInput{Number: r.Meeting.Number, HeldOn: r.Meeting.HeldOn, Place: r.Meeting.Place,
		Agenda: r.Meeting.Agenda, Minutes: "Alfa S-a analizat stadiul.", Attendees: []int64{f.A.Person.ID}, Version: r.Meeting.Version})
	must(err)
	r.Meeting, err = svc.MoveMeeting(ctx, sys, r.Meeting.ID, control.MeetingMove{To: control.MeetingHeld, Version: r.Meeting.Version})
	must(err)
	r.Decision, err = svc.AddDecision(ctx, sys, r.Meeting.ID, control.DecisionInput{Number: "Alfa H 1/2026", Text: "Alfa Se revizuiește registrul riscurilor",
		OwnerID: f.A.Person.ID, DueOn: "2026-12-20"})
	must(err)
	// Read back as the pages read them, with their versions.
	r.Programme, err = svc.Programme(ctx, sys, r.Programme.ID)
	must(err)
	r.Action, err = svc.Action(ctx, sys, r.Action.ID)
	must(err)
	r.Meeting, err = svc.Meeting(ctx, sys, r.Meeting.ID)
	must(err)
	return r
}

// cprogForeign are form values of every form of this part that point at
// institution A's records.
func cprogForeign(f *fixture, r cprogRecords) url.Values {
	id := func(n int64) string { return strconv.FormatInt(n, 10) }
	return url.Values{
		"prog_year": {"2031"}, "prog_title": {"Intrus"}, "prog_decision": {"Intrus"}, "prog_approved_on": {"2026-11-01"},
		"obj_code": {"O9"}, "obj_title": {"Intrus"},
		"act_programme_id": {id(r.Programme.ID)}, "act_objective_id": {id(r.Objective.ID)}, "act_standard": {"3"}, "act_title": {"Intrus"},
		"act_owner_id": {id(f.A.Person.ID)}, "act_unit_id": {id(f.A.Unit.ID)}, "act_due_on": {"2026-12-31"}, "to": {"done"},
		"body_kind": {control.BodyCommission}, "body_name": {"Intrus"}, "body_active": {"1"},
		"mem_person_id": {id(f.A.Person.ID)}, "mem_role": {control.RoleMember}, "mem_from_on": {"2026-01-01"},
		"meet_body_id": {id(r.Body.ID)}, "meet_held_on": {"2026-12-01"}, "meet_attendees": {id(f.A.Person.ID)}, "attendees_sent": {"1"},
		"dec_text": {"Intrus"}, "dec_owner_id": {id(f.A.Person.ID)}, "dec_due_on": {"2026-12-31"}, "dec_state": {control.ActionDone},
	}
}

// cprogCheck says whether A's records are as cprogSeed left them and
// nothing of another institution points at them.
func cprogCheck(t *testing.T, f *fixture, r cprogRecords) {
	t.Helper()
	ctx := context.Background()
	sys := auth.SystemActor(f.A.Inst.ID, "test")
	svc := f.Srv.control
	if p, err := svc.Programme(ctx, sys, r.Programme.ID); err != nil || p.Version != r.Programme.Version || p.State != control.ProgrammeApproved {
		t.Errorf("A's programme changed: %+v (%v)", p, err)
	}
	if os, err := svc.Objectives(ctx, sys, r.Programme.ID); err != nil || len(os) != 1 || os[0].Version != r.Objective.Version {
		t.Errorf("A's objectives changed: %+v (%v)", os, err)
	}
	if x, err := svc.Action(ctx, sys, r.Action.ID); err != nil || x.Version != r.Action.Version || x.State != control.ActionOpen {
		t.Errorf("A's action changed: %+v (%v)", x, err)
	}
	if b, err := svc.Body(ctx, sys, r.Body.ID); err != nil || b.Version != r.Body.Version {
		t.Errorf("A's body changed: %+v (%v)", b, err)
	}
	if ms, err := svc.Members(ctx, sys, r.Body.ID); err != nil || len(ms) != 1 || ms[0].Version != r.Member.Version {
		t.Errorf("A's members changed: %+v (%v)", ms, err)
	}
	if m, err := svc.Meeting(ctx, sys, r.Meeting.ID); err != nil || m.Version != r.Meeting.Version || len(m.Attendees) != 1 {
		t.Errorf("A's meeting changed: %+v (%v)", m, err)
	}
	if d, err := svc.Decision(ctx, sys, r.Decision.ID); err != nil || d.Version != r.Decision.Version || d.State != control.ActionOpen {
		t.Errorf("A's decision changed: %+v (%v)", d, err)
	}
	for _, q := range []string{
		`SELECT COUNT(*) FROM control_actions WHERE tenant_id <> $1 AND (programme_id = $2 OR objective_id = $3 OR owner_id = $4 OR unit_id = $5)`,
		`SELECT COUNT(*) FROM control_objectives WHERE tenant_id <> $1 AND (programme_id = $2 OR id = $3 OR $4 = 0 OR $5 = 0)`,
		`SELECT COUNT(*) FROM control_body_members WHERE tenant_id <> $1 AND (person_id = $4 OR $2 = 0 OR $3 = 0 OR $5 = 0)`,
		`SELECT COUNT(*) FROM control_decisions WHERE tenant_id <> $1 AND (owner_id = $4 OR $2 = 0 OR $3 = 0 OR $5 = 0)`,
		`SELECT COUNT(*) FROM control_meeting_attendees WHERE tenant_id <> $1 AND (person_id = $4 OR $2 = 0 OR $3 = 0 OR $5 = 0)`,
	} {
		var n int
		if err := f.DB.R.QueryRow(q, f.A.Inst.ID, r.Programme.ID, r.Objective.ID, f.A.Person.ID, f.A.Unit.ID).Scan(&n); err != nil || n != 0 {
			t.Errorf("%s: %d (%v)", q, n, err)
		}
	}
	var n int
	if err := f.DB.R.QueryRow(`SELECT COUNT(*) FROM control_meetings WHERE tenant_id <> $1 AND body_id = $2`, f.A.Inst.ID, r.Body.ID).Scan(&n); err != nil || n != 0 {
		t.Errorf("B planned %d meetings of A's body (%v)", n, err)
	}
}

func init() {
	isolationModules = append(isolationModules, func(t *testing.T, f *fixture) isolationRecords {
		t.Helper()
		r := cprogSeed(t, f)
		id := func(n int64) string { return strconv.FormatInt(n, 10) }
		return isolationRecords{
			IDs: map[string]string{"/control/programmes/{id}": id(r.Programme.ID), "/control/actions/{id}": id(r.Action.ID),
				"/control/bodies/{id}": id(r.Body.ID), "/control/meetings/{id}": id(r.Meeting.ID)},
			Params: map[string]string{"{coid}": id(r.Objective.ID), "{cmid}": id(r.Member.ID), "{cdid}": id(r.Decision.ID)},
			Form:   cprogForeign(f, r),
			Check:  func(t *testing.T) { cprogCheck(t, f, r) },
		}
	})
}

// TestControlProgIsolationForQualityManager walks every route of this part
// as B's quality manager (who may manage internal managerial control,
// unlike B's administrator in the general isolation test) against A's
// records: each is refused or shows nothing of A's, and A's records do not
// change. Creating B's own programme and body is allowed, and checked to
// point at nothing of A's.
func TestControlProgIsolationForQualityManager(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		if _, err := d.W.Exec(`INSERT INTO user_roles (tenant_id, user_id, role) VALUES ($1, $2, 'quality_manager')`, f.B.Inst.ID, f.B.Admin.ID); err != nil {
			t.Fatal(err)
		}
		r := cprogSeed(t, f)
		b := f.login(t, f.B.Username)
		id := func(n int64) string { return strconv.FormatInt(n, 10) }
		form := cprogForeign(f, r)
		form.Set("version", "1")
		repl := strings.NewReplacer("/control/programmes/{id}", "/control/programmes/"+id(r.Programme.ID), "/control/actions/{id}", "/control/actions/"+id(r.Action.ID),
			"/control/bodies/{id}", "/control/bodies/"+id(r.Body.ID), "/control/meetings/{id}", "/control/meetings/"+id(r.Meeting.ID),
			"{coid}", id(r.Objective.ID), "{cmid}", id(r.Member.ID), "{cdid}", id(r.Decision.ID))
		checked := 0
		for _, rt := range f.Srv.controlProgRoutes() {
			path := repl.Replace(rt.Pattern)
			var res *http.Response
			var body string
			if rt.Method == "GET" {
				res, body = b.get(path)
			} else {
				res, body = b.post(path, form)
			}
			checked++
			if strings.Contains(body, "Alfa") || strings.Contains(body, f.A.Inst.Name) || strings.Contains(body, f.A.Person.FullName) {
				t.Errorf("%s %s shows A's data", rt.Method, path)
			}
			switch {
			case res.StatusCode == http.StatusNotFound, res.StatusCode == http.StatusForbidden, res.StatusCode == http.StatusUnprocessableEntity:
			case res.StatusCode == http.StatusOK && rt.Method == "GET" && !strings.Contains(rt.Pattern, "{id}"):
			case res.StatusCode == http.StatusSeeOther && rt.Method == "POST" && (rt.Pattern == "/control/programmes" || rt.Pattern == "/control/bodies"):
				// B's own programme or body, with nothing of A's in it.
			default:
				t.Errorf("%s %s: status %d, want a refusal", rt.Method, path, res.StatusCode)
			}
		}
		if checked != 42 {
			t.Errorf("%d routes checked, want 42", checked)
		}
		cprogCheck(t, f, r)
	})
}
