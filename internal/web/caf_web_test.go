package web

import (
	"bytes"
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"cadran/internal/auth"
	"cadran/internal/caf"
	"cadran/internal/db"
	"cadran/internal/db/dbtest"
	"cadran/internal/org"
)

// cafcSeeded is institution A's self-assessment for the cycle pages'
// tests: led by Lead (Unit, management), with Member (SubUnit, execution);
// both are users (Lead and Member usernames).
type cafcSeeded struct {
	Manager      auth.Actor
	Lead, Member org.Person
	LeadActor    auth.Actor
	MemberActor  auth.Actor
	LeadUser     string
	MemberUser   string
	Cycle        caf.Cycle
	Evidence     caf.Evidence
	Action       caf.Action
}

// cafcSeed gives institution A a self-assessment, played up to state:
// planning (the group of two), assessing (started, nothing scored),
// consensus (both members submitted every sub-criterion: Member 70 and Lead
// 20 for 1.1, 60 and 50 for the others; 1.1 agreed at 45; one piece of
// evidence and one improvement action).
func cafcSeed(t testing.TB, f *fixture, state string) cafcSeeded {
	t.Helper()
	ctx := context.Background()
	svc := f.Srv.caf
	sys := auth.SystemActor(f.A.Inst.ID, "test")
	o := &org.Service{DB: f.DB, Clock: f.Clock}
	as := &auth.Service{DB: f.DB, Clock: f.Clock}
	var sd cafcSeeded
	sd.Manager = auth.Actor{UserID: f.A.Admin.ID, Tenant: f.A.Inst.ID, Name: "Alfa Administrator", Username: f.A.Username,
		Roles: []auth.Role{auth.RoleAdmin, auth.RoleQualityManager}, Locale: "ro"}
	person := func(unit int64, name, position, username string) (org.Person, auth.Actor) {
		t.Helper()
		p, err := o.CreatePerson(ctx, sys, org.PersonInput{UnitID: unit, FullName: name, JobTitle: "Consilier", Position: position, Employment: org.EmploymentCivilServant, Active: true})
		if err != nil {
			t.Fatal(err)
		}
		u, err := as.CreateUser(ctx, sys, auth.UserInput{Username: username, DisplayName: name, Password: testPassword, Roles: []auth.Role{auth.RoleEmployee}, Locale: "ro", PersonID: p.ID})
		if err != nil {
			t.Fatal(err)
		}
		return p, auth.Actor{UserID: u.ID, Tenant: f.A.Inst.ID, Name: name, Username: username, PersonID: p.ID, Roles: []auth.Role{auth.RoleEmployee}, Locale: "ro"}
	}
	sd.LeadUser, sd.MemberUser = "alfa.caf.lider", "alfa.caf.membru"
	sd.Lead, sd.LeadActor = person(f.A.Unit.ID, "Alfa Georgescu Mihai", org.PositionManagement, sd.LeadUser)
	sd.Member, sd.MemberActor = person(f.A.SubUnit.ID, "Alfa Popescu Ioana", org.PositionExecution, sd.MemberUser)
	var err error
	must := func(c caf.Cycle, err error) caf.Cycle {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	sd.Cycle = must(svc.CreateCycle(ctx, sd.Manager, caf.CycleInput{Title: "Alfa Autoevaluarea CAF 2026", Panel: caf.PanelClassical, LeaderID: sd.Lead.ID,
		StartOn: "2026-10-01", EndOn: "2027-06-30", CommPlan: "Alfa ședință cu șefii de compartimente"}))
	if err = svc.AddMember(ctx, sd.Manager, sd.Cycle.ID, caf.MemberInput{PersonID: sd.Member.ID, Role: caf.RoleMember}); err != nil {
		t.Fatal(err)
	}
	sd.Cycle = must(svc.Cycle(ctx, sd.Manager, sd.Cycle.ID))
	if state == caf.StatePlanning {
		return sd
	}
	sd.Cycle = must(svc.Fire(ctx, sd.Manager, sd.Cycle.ID, caf.ActStart, sd.Cycle.Version, ""))
	if state == caf.StateAssessing {
		return sd
	}
	for _, sub := range sd.Cycle.CAF().Subs() {
		m, l := 60.0, 50.0
		if sub.Code == "1.1" {
			m, l = 70, 20
		}
		if _, err = svc.SaveAssessment(ctx, sd.MemberActor, sd.Cycle.ID, caf.AssessmentInput{Sub: sub.Code, Strengths: "Alfa puncte tari " + sub.Code, Scores: caf.Scores{Score: &m}}); err != nil {
			t.Fatal(err)
		}
		if _, err = svc.SaveAssessment(ctx, sd.LeadActor, sd.Cycle.ID, caf.AssessmentInput{Sub: sub.Code, Scores: caf.Scores{Score: &l}}); err != nil {
			t.Fatal(err)
		}
	}
	for _, a := range []auth.Actor{sd.MemberActor, sd.LeadActor} {
		if err = svc.Submit(ctx, a, sd.Cycle.ID); err != nil {
			t.Fatal(err)
		}
	}
	sd.Cycle = must(svc.Cycle(ctx, sd.Manager, sd.Cycle.ID))
	sd.Cycle = must(svc.Fire(ctx, sd.Manager, sd.Cycle.ID, caf.ActConsensus, sd.Cycle.Version, ""))
	agreed := 45.0
	if _, err = svc.SaveConsensus(ctx, sd.Manager, sd.Cycle.ID, caf.ConsensusInput{Sub: "1.1", Scores: caf.Scores{Score: &agreed}, Strengths: "Alfa misiunea este afișată",
		Improvements: "Alfa valorile nu sunt cunoscute", AgreedOn: "2026-11-20"}); err != nil {
		t.Fatal(err)
	}
	if sd.Evidence, err = svc.AddEvidence(ctx, sd.Manager, sd.Cycle.ID, caf.EvidenceInput{Sub: "1.1", Kind: caf.EvidenceNote, Title: "Alfa Regulamentul de organizare afișat"}); err != nil {
		t.Fatal(err)
	}
	if sd.Action, err = svc.CreateAction(ctx, sd.Manager, sd.Cycle.ID, caf.ActionInput{Sub: "1.1", Title: "Alfa Revizuirea anuală a valorilor", Impact: 3, Ease: 2,
		OwnerID: sd.Lead.ID, DueOn: "2027-03-31", State: caf.ActionOpen}); err != nil {
		t.Fatal(err)
	}
	sd.Cycle = must(svc.Cycle(ctx, sd.Manager, sd.Cycle.ID))
	return sd
}

// cafcRow is the consensus table's row of a sub-criterion.
func cafcRow(t *testing.T, body, sub string) string {
	t.Helper()
	m := regexp.MustCompile(`(?s)<tr id="sub-` + regexp.QuoteMeta(sub) + `"[^>]*>.*?</tr>`).FindString(body)
	if m == "" {
		t.Fatalf("no row for %s on the consensus page", sub)
	}
	return m
}

func cafcScore(t *testing.T, d *db.DB, cycle, person int64, sub string) (score *float64) {
	t.Helper()
	if err := d.R.QueryRow(`SELECT score FROM caf_assessments WHERE cycle_id = $1 AND person_id = $2 AND subcriterion = $3`, cycle, person, sub).Scan(&score); err != nil {
		t.Fatalf("assessment of %s: %v", sub, err)
	}
	return score
}

var cafcPath = regexp.MustCompile(`^/caf/(\d+)$`)

// TestCAFCyclePages walks a self-assessment through the pages: the list,
// the form with its errors, the cycle page in both languages, the group,
// the steps, the start, an individual assessment refused then saved, the
// visibility rule, submission, the consensus, the evidence and the export.
func TestCAFCyclePages(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		if _, err := d.W.Exec(`INSERT INTO user_roles (tenant_id, user_id, role) VALUES ($1, $2, 'quality_manager')`, f.A.Inst.ID, f.A.Admin.ID); err != nil {
			t.Fatal(err)
		}
		sd := cafcSeed(t, f, caf.StatePlanning)
		qm := f.login(t, f.A.Username)
		viewer := f.login(t, "alfa.viewer")
		lead := f.login(t, sd.LeadUser)
		member := f.login(t, sd.MemberUser)
		id := strconv.FormatInt(sd.Cycle.ID, 10)
		page := "/caf/" + id

		for _, path := range []string{"/caf", "/caf/new", "/caf/model", page} {
			res, body := qm.get(path)
			wantStatus(t, res, body, http.StatusOK)
		}
		_, body := qm.get("/caf")
		if !strings.Contains(body, "Autoevaluări CAF") || !strings.Contains(body, sd.Cycle.Code) || !strings.Contains(body, `href="/caf/new"`) {
			t.Error("the list lacks its title, the cycle or the new button")
		}
		_, body = viewer.get("/caf")
		if !strings.Contains(body, "CAF self-assessments") || strings.Contains(body, `href="/caf/new"`) {
			t.Error("the viewer's list is not in English or offers a new self-assessment")
		}
		_, body = qm.get("/caf?state=closed")
		if strings.Contains(body, sd.Cycle.Code) {
			t.Error("the state filter keeps a cycle in planning")
		}
		_, body = qm.get("/caf/model")
		for _, want := range []string{"1.1", "9.2", "Criterii favorizante", "Panoul clasic", "71–90"} {
			if !strings.Contains(body, want) {
				t.Errorf("the model page lacks %q", want)
			}
		}

		// The form: refused input is shown again with the summary and kept.
		bad := url.Values{"caf_title": {"Alfa Autoevaluare greșită"}, "caf_panel": {"oricare"}, "caf_start": {"2027-01-10"}, "caf_end": {"2026-12-01"}, "caf_comm_plan": {"Alfa plan scris de mână"}}
		res, body := qm.post("/caf", bad)
		wantStatus(t, res, body, http.StatusUnprocessableEntity)
		for _, want := range []string{"error-summary", `href="#f-caf_panel"`, `href="#f-caf_end"`, "Alfa plan scris de mână", "Alfa Autoevaluare greșită"} {
			if !strings.Contains(body, want) {
				t.Errorf("the refused form lacks %q", want)
			}
		}
		good := url.Values{"caf_title": {"Alfa Autoevaluarea direcției"}, "caf_unit": {strconv.FormatInt(f.A.Unit.ID, 10)}, "caf_panel": {"finetuned"},
			"caf_leader": {strconv.FormatInt(sd.Lead.ID, 10)}, "caf_start": {"2026-11-01"}}
		res, body = qm.post("/caf", good)
		wantStatus(t, res, body, http.StatusSeeOther)
		m := cafcPath.FindStringSubmatch(res.Header.Get("Location"))
		if m == nil {
			t.Fatalf("created and sent to %q", res.Header.Get("Location"))
		}

		// On the fine-tuned panel an enabler takes P, D, C, A and a result
		// trends and targets; the sub-criterion's score is their mean.
		fine, _ := strconv.ParseInt(m[1], 10, 64)
		if err := f.Srv.caf.AddMember(context.Background(), sd.Manager, fine, caf.MemberInput{PersonID: sd.Member.ID, Role: caf.RoleMember}); err != nil {
			t.Fatal(err)
		}
		fc, err := f.Srv.caf.Cycle(context.Background(), sd.Manager, fine)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.Srv.caf.Fire(context.Background(), sd.Manager, fine, caf.ActStart, fc.Version, ""); err != nil {
			t.Fatal(err)
		}
		_, body = lead.get(m[0] + "/assess/1.1")
		if !strings.Contains(body, `name="caf_plan"`) || !strings.Contains(body, `name="caf_act"`) || strings.Contains(body, `name="caf_score"`) {
			t.Error("a fine-tuned enabler's form lacks P, D, C, A")
		}
		_, body = lead.get(m[0] + "/assess/6.1")
		if !strings.Contains(body, `name="caf_trend"`) || !strings.Contains(body, `name="caf_target"`) || strings.Contains(body, `name="caf_plan"`) {
			t.Error("a fine-tuned result's form lacks trends and targets")
		}
		res, body = lead.post(m[0]+"/assess/1.1", url.Values{"caf_plan": {"40"}, "caf_do": {"50"}, "caf_check": {"60,5"}, "caf_act": {"70"}, "version": {"0"}})
		wantStatus(t, res, body, http.StatusSeeOther)
		_, body = lead.get(m[0] + "/assess/1.1")
		if !strings.Contains(body, "<strong>55,1</strong>") || !strings.Contains(body, `value="60,5"`) {
			t.Error("the fine-tuned score is not the mean 55,1 of P, D, C, A")
		}

		// The viewer may read but not change anything.
		res, body = viewer.get(page)
		wantStatus(t, res, body, http.StatusOK)
		if !strings.Contains(body, "The self-assessment group") || !strings.Contains(body, "Alfa Popescu Ioana") {
			t.Error("the viewer's cycle page lacks the group in English")
		}
		if m := regexp.MustCompile(`caf\.(list|form|show|model|assess|board|evidence)\.[a-z_.]+`).FindString(body); m != "" {
			t.Errorf("a raw catalogue key shows: %s", m)
		}
		for _, post := range []struct {
			path string
			form url.Values
		}{
			{"/caf", good},
			{page, good},
			{page + "/fire", url.Values{"action": {"start"}, "version": {"1"}}},
			{page + "/members", url.Values{"caf_member": {strconv.FormatInt(f.A.Person.ID, 10)}}},
			{page + "/steps/1", url.Values{"caf_step_planned": {"2026-11-01"}}},
			{page + "/members/" + strconv.FormatInt(sd.Member.ID, 10) + "/remove", nil},
		} {
			if res, _ := viewer.post(post.path, post.form); res.StatusCode != http.StatusForbidden {
				t.Errorf("the viewer's POST %s: status %d, want 403", post.path, res.StatusCode)
			}
		}

		// The group spans two units and both levels: no warning. The steps.
		_, body = qm.get(page)
		if strings.Contains(body, "CAF recomandă un grup") {
			t.Error("a group from two units and both levels is flagged as narrow")
		}
		res, body = lead.post(page+"/steps/1", url.Values{"caf_step_planned": {"2026-10-15"}, "caf_step_done": {"2030-01-01"}, "caf_step_notes": {"Alfa decizia primarului"}})
		wantStatus(t, res, body, http.StatusUnprocessableEntity)
		if !strings.Contains(body, `href="#f-caf_step_done"`) || !strings.Contains(body, "Alfa decizia primarului") {
			t.Error("a refused step loses its summary or its notes")
		}
		res, body = lead.post(page+"/steps/1", url.Values{"caf_step_planned": {"2026-10-15"}, "caf_step_done": {"2026-10-20"}, "caf_step_notes": {"Alfa decizia primarului"}})
		wantStatus(t, res, body, http.StatusSeeOther)
		var done string
		if err := d.R.QueryRow(`SELECT done_on FROM caf_steps WHERE cycle_id = $1 AND step = 1`, sd.Cycle.ID).Scan(&done); err != nil || done != "2026-10-20" {
			t.Fatalf("step 1 done on %q (%v)", done, err)
		}

		// Start: the member's assessment opens.
		res, body = qm.post(page+"/fire", url.Values{"action": {"start"}, "version": {strconv.Itoa(sd.Cycle.Version)}})
		wantStatus(t, res, body, http.StatusSeeOther)
		res, body = member.get(page + "/assess")
		wantStatus(t, res, body, http.StatusOK)
		if !strings.Contains(body, "0 din 28 subcriterii punctate") || !strings.Contains(body, "disabled") {
			t.Error("the member's empty assessment does not say 0 of 28 with Submit disabled")
		}
		res, body = qm.get(page + "/assess")
		wantStatus(t, res, body, http.StatusOK)
		if !strings.Contains(body, "Nu faceți parte din grupul") {
			t.Error("the manager, not a member, is not told so")
		}

		// A score of 120 is refused, the typed text kept, nothing saved.
		res, body = member.post(page+"/assess/1.1", url.Values{"caf_evidence": {"Alfa misiunea pe site"}, "caf_strengths": {"Alfa valorile afișate"}, "caf_score": {"120"}, "version": {"0"}})
		wantStatus(t, res, body, http.StatusUnprocessableEntity)
		for _, want := range []string{`href="#f-caf_score"`, "Alfa valorile afișate", `value="120"`} {
			if !strings.Contains(body, want) {
				t.Errorf("the refused assessment lacks %q", want)
			}
		}
		res, body = member.post(page+"/assess/1.1", url.Values{"caf_score": {"șaptezeci"}, "version": {"0"}})
		wantStatus(t, res, body, http.StatusUnprocessableEntity)
		if !strings.Contains(body, "introduceți un număr de la 0 la 100") {
			t.Error("a score that is no number is not explained")
		}
		var n int
		if err := d.R.QueryRow(`SELECT COUNT(*) FROM caf_assessments WHERE cycle_id = $1`, sd.Cycle.ID).Scan(&n); err != nil || n != 0 {
			t.Fatalf("refused assessments saved %d rows (%v)", n, err)
		}
		res, body = member.post(page+"/assess/1.1", url.Values{"caf_evidence": {"Alfa misiunea pe site"}, "caf_strengths": {"Alfa valorile afișate"}, "caf_score": {"70"}, "version": {"0"}, "next": {"1"}})
		wantStatus(t, res, body, http.StatusSeeOther)
		if loc := res.Header.Get("Location"); loc != page+"/assess/1.2" {
			t.Errorf("save and next went to %q", loc)
		}
		if s := cafcScore(t, d, sd.Cycle.ID, sd.Member.ID, "1.1"); s == nil || *s != 70 {
			t.Fatalf("the member's 1.1 is %v, want 70", s)
		}
		_, body = member.get(page + "/assess/1.1")
		if !strings.Contains(body, `value="70"`) || !strings.Contains(body, "Alfa misiunea pe site") {
			t.Error("the saved assessment does not show again")
		}
		// The lead scores 1.1 at 20 through the domain.
		l := 20.0
		if _, err := f.Srv.caf.SaveAssessment(context.Background(), sd.LeadActor, sd.Cycle.ID, caf.AssessmentInput{Sub: "1.1", Strengths: "Alfa părerea liderului", Scores: caf.Scores{Score: &l}}); err != nil {
			t.Fatal(err)
		}

		// Neither has submitted: each sees only their own number.
		res, body = member.get(page + "/consensus")
		wantStatus(t, res, body, http.StatusOK)
		row := cafcRow(t, body, "1.1")
		if !strings.Contains(row, ">70<") || !strings.Contains(row, "nedepus") || strings.Contains(row, ">20<") {
			t.Errorf("before submitting, the member's row is %s", row)
		}
		_, body = member.get(page + "/consensus/1.1")
		if strings.Contains(body, "Alfa părerea liderului") {
			t.Error("the member reads the lead's strengths before anyone submitted")
		}

		// Both complete and submit; then each sees the other's score and
		// the wide spread (70 − 20 = 50).
		for _, sub := range sd.Cycle.CAF().Subs() {
			if sub.Code == "1.1" {
				continue
			}
			v := 55.0
			for _, a := range []auth.Actor{sd.MemberActor, sd.LeadActor} {
				if _, err := f.Srv.caf.SaveAssessment(context.Background(), a, sd.Cycle.ID, caf.AssessmentInput{Sub: sub.Code, Scores: caf.Scores{Score: &v}}); err != nil {
					t.Fatal(err)
				}
			}
		}
		_, body = member.get(page + "/assess")
		if !strings.Contains(body, `action="`+page+`/submit"`) {
			t.Fatal("a complete assessment offers no Submit")
		}
		res, body = member.post(page+"/submit", nil)
		wantStatus(t, res, body, http.StatusSeeOther)
		res, body = member.post(page+"/assess/1.1", url.Values{"caf_score": {"10"}, "version": {"1"}})
		if res.StatusCode != http.StatusConflict {
			t.Errorf("a submitted assessment changed: status %d", res.StatusCode)
		}
		_, body = member.get(page + "/consensus")
		if row = cafcRow(t, body, "1.1"); !strings.Contains(row, "nedepus") {
			t.Errorf("the lead's unsubmitted score shows to the member: %s", row)
		}
		if err := f.Srv.caf.Submit(context.Background(), sd.LeadActor, sd.Cycle.ID); err != nil {
			t.Fatal(err)
		}
		_, body = member.get(page + "/consensus")
		row = cafcRow(t, body, "1.1")
		if !strings.Contains(row, ">20<") || !strings.Contains(row, ">70<") || !strings.Contains(row, "caf-wide") || !strings.Contains(row, "dispersie mare") {
			t.Errorf("after both submitted, the row is %s", row)
		}
		if row = cafcRow(t, body, "1.2"); strings.Contains(row, "caf-wide") {
			t.Errorf("an agreed sub-criterion is flagged wide: %s", row)
		}

		// Consensus: the manager records 1.1.
		c, err := f.Srv.caf.Cycle(context.Background(), sd.Manager, sd.Cycle.ID)
		if err != nil {
			t.Fatal(err)
		}
		res, body = qm.post(page+"/fire", url.Values{"action": {"consensus"}, "version": {strconv.Itoa(c.Version)}})
		wantStatus(t, res, body, http.StatusSeeOther)
		_, body = qm.get(page + "/consensus/1.1")
		if !strings.Contains(body, "Alfa părerea liderului") || !strings.Contains(body, `action="`+page+`/consensus/1.1"`) {
			t.Error("the consensus page lacks the members' texts or the form")
		}
		res, body = member.post(page+"/consensus/1.1", url.Values{"caf_score": {"45"}, "caf_agreed_on": {"2026-11-20"}})
		if res.StatusCode != http.StatusForbidden {
			t.Errorf("a plain member recorded the consensus: status %d", res.StatusCode)
		}
		res, body = qm.post(page+"/consensus/1.1", url.Values{"caf_score": {"45"}, "caf_strengths": {"Alfa misiunea afișată"}, "caf_agreed_on": {"2026-11-20"}, "version": {"0"}})
		wantStatus(t, res, body, http.StatusSeeOther)
		_, body = qm.get(page + "/consensus")
		if row = cafcRow(t, body, "1.1"); !strings.Contains(row, "<strong>45</strong>") {
			t.Errorf("the consensus does not show in the table: %s", row)
		}
		var agreedOn string
		if err := d.R.QueryRow(`SELECT agreed_on FROM caf_consensus WHERE cycle_id = $1 AND subcriterion = '1.1'`, sd.Cycle.ID).Scan(&agreedOn); err != nil || agreedOn != "2026-11-20" {
			t.Errorf("consensus agreed on %q (%v)", agreedOn, err)
		}

		// Evidence: a staff survey belongs to criterion 7, a note anywhere.
		res, body = member.post(page+"/evidence", url.Values{"caf_ev_sub": {"6.1"}, "caf_ev_kind": {"staff_survey"}, "caf_ev_title": {"Alfa Sondaj personal 2026"}})
		wantStatus(t, res, body, http.StatusUnprocessableEntity)
		if !strings.Contains(body, `href="#f-caf_ev_sub"`) || !strings.Contains(body, "Alfa Sondaj personal 2026") {
			t.Error("the refused survey loses its summary or its title")
		}
		res, body = member.post(page+"/evidence", url.Values{"caf_ev_sub": {"7.1"}, "caf_ev_kind": {"staff_survey"}, "caf_ev_title": {"Alfa Sondaj personal 2026"}, "caf_ev_notes": {"Alfa 82 % mulțumiți"}})
		wantStatus(t, res, body, http.StatusSeeOther)
		res, body = member.post(page+"/evidence", url.Values{"caf_ev_sub": {"1.1"}, "caf_ev_kind": {"document"}, "caf_ev_document": {strconv.FormatInt(f.A.Doc.ID, 10)}})
		wantStatus(t, res, body, http.StatusSeeOther)
		_, body = member.get(page + "/evidence")
		if !strings.Contains(body, "Alfa Sondaj personal 2026") || !strings.Contains(body, `href="/documents/`+strconv.FormatInt(f.A.Doc.ID, 10)+`"`) {
			t.Error("the evidence page lacks the survey or the document link")
		}
		_, body = member.get(page + "/assess/1.1")
		if !strings.Contains(body, `href="/documents/`+strconv.FormatInt(f.A.Doc.ID, 10)+`"`) {
			t.Error("the assessment page of 1.1 does not list its evidence")
		}

		// The export opens and holds both cycles.
		res, body = qm.get("/caf/export.xlsx")
		wantStatus(t, res, "", http.StatusOK)
		x, err := excelize.OpenReader(bytes.NewReader([]byte(body)))
		if err != nil {
			t.Fatal(err)
		}
		rows, err := x.GetRows(x.GetSheetList()[0])
		if err != nil || len(rows) != 3 || rows[0][0] != "Cod" {
			t.Fatalf("xlsx rows %q (%v)", rows, err)
		}
	})
}
