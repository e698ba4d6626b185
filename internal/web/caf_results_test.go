package web

import (
	"archive/zip"
	"bytes"
	"context"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"cadran/internal/auth"
	"cadran/internal/caf"
	"cadran/internal/db"
	"cadran/internal/db/dbtest"
	"cadran/internal/i18n"
	"cadran/internal/org"
)

// cafResFixture is A's two CAF cycles: CAF-prev closed with every
// sub-criterion agreed at 40, and the current one, continued from it, in
// consensus with 1.1 at 70 (with its strengths and areas for improvement),
// 9.2 not agreed yet and every other sub-criterion at 50. Member (a new
// person) leads both; A's person (the viewer's) is a plain member.
type cafResFixture struct {
	Manager auth.Actor
	Prev    caf.Cycle
	Cur     caf.Cycle
	Member  org.Person
}

func cafF(v float64) *float64 { return &v }

func cafResSeed(t testing.TB, f *fixture) *cafResFixture {
	t.Helper()
	ctx := context.Background()
	svc := f.Srv.caf
	if _, err := f.DB.W.Exec(`INSERT INTO user_roles (tenant_id, user_id, role) VALUES ($1, $2, 'quality_manager')`, f.A.Inst.ID, f.A.Admin.ID); err != nil {
		t.Fatal(err)
	}
	mgr := auth.Actor{UserID: f.A.Admin.ID, Tenant: f.A.Inst.ID, Name: "Alfa Administrator", Username: f.A.Username,
		Roles: []auth.Role{auth.RoleAdmin, auth.RoleQualityManager}, Locale: "ro"}
	o := &org.Service{DB: f.DB, Clock: f.Clock}
	member, err := o.CreatePerson(ctx, auth.SystemActor(f.A.Inst.ID, "test"), org.PersonInput{UnitID: f.A.Unit.ID, FullName: "Alfa Ionescu Mădălina",
		JobTitle: "Consilier", Position: org.PositionExecution, Employment: org.EmploymentCivilServant, Active: true})
	if err != nil {
		t.Fatal(err)
	}
	must := func(c caf.Cycle, err error) caf.Cycle {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	fire := func(c caf.Cycle, action string) caf.Cycle {
		t.Helper()
		return must(svc.Fire(ctx, mgr, c.ID, action, c.Version, ""))
	}
	agree := func(c caf.Cycle, score func(sub string) (float64, bool), strengths, improvements func(sub string) string) {
		t.Helper()
		for _, sub := range cafResModel(c).Subs() {
			v, ok := score(sub.Code)
			if !ok {
				continue
			}
			if _, err := svc.SaveConsensus(ctx, mgr, c.ID, caf.ConsensusInput{Sub: sub.Code, Scores: caf.Scores{Score: cafF(v)}, AgreedOn: "2026-11-20",
				Strengths: strengths(sub.Code), Improvements: improvements(sub.Code)}); err != nil {
				t.Fatalf("consensus of %s: %v", sub.Code, err)
			}
		}
	}
	none := func(string) string { return "" }

	prev := must(svc.CreateCycle(ctx, mgr, caf.CycleInput{Title: "Autoevaluarea CAF a primăriei", Panel: caf.PanelClassical, LeaderID: member.ID,
		PEFNotes: "Solicităm feedback extern în 2027."}))
	if err := svc.AddMember(ctx, mgr, prev.ID, caf.MemberInput{PersonID: f.A.Person.ID}); err != nil {
		t.Fatal(err)
	}
	prev = fire(prev, caf.ActStart)
	prev = fire(prev, caf.ActConsensus)
	agree(prev, func(string) (float64, bool) { return 40, true }, none, none)
	prev = fire(prev, caf.ActImprove)
	prev = fire(prev, caf.ActClose)

	cur := must(svc.NextCycle(ctx, mgr, prev.ID))
	cur = must(svc.Cycle(ctx, mgr, cur.ID))
	if len(must2(t)(svc.Members(ctx, mgr, cur.ID))) < caf.MinMembers {
		if err := svc.AddMember(ctx, mgr, cur.ID, caf.MemberInput{PersonID: f.A.Person.ID}); err != nil {
			t.Fatal(err)
		}
	}
	cur = fire(cur, caf.ActStart)
	cur = fire(cur, caf.ActConsensus)
	agree(cur, func(sub string) (float64, bool) {
		switch sub {
		case "1.1":
			return 70, true
		case "9.2":
			return 0, false
		}
		return 50, true
	}, func(sub string) string {
		if sub == "1.1" {
			return "Misiunea și valorile sunt afișate la ghișeul unic."
		}
		return ""
	}, func(sub string) string {
		if sub == "1.1" {
			return "Valorile nu sunt revizuite anual; personalul nou nu le cunoaște."
		}
		return ""
	})
	return &cafResFixture{Manager: mgr, Prev: prev, Cur: must(svc.Cycle(ctx, mgr, cur.ID)), Member: member}
}

func must2(t testing.TB) func([]caf.Member, error) []caf.Member {
	return func(m []caf.Member, err error) []caf.Member {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return m
	}
}

func TestCAFResultsPage(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		cf := cafResSeed(t, f)
		mgr := f.login(t, f.A.Username)
		viewer := f.login(t, "alfa.viewer")
		path := "/caf/" + strconv.FormatInt(cf.Cur.ID, 10) + "/results"

		res, body := mgr.get(path)
		wantStatus(t, res, body, http.StatusOK)
		// Criterion 1: (70 + 50 + 50 + 50) / 4 = 55 against 40; 1.1 went
		// from 40 to 70; criterion 9 is 9.1 alone (50) while 9.2 waits;
		// enablers (70 + 19 × 50) / 20 = 51; results 7 × 50 / 7 = 50;
		// overall (70 + 26 × 50) / 27 = 50.74.
		wantIn(t, "the results page", body, "<svg", `role="img"`, `id="caf-radar-crit`, `id="caf-radar-subs`,
			"Orientarea organizației prin misiune, viziune și valori", "55,0", "40,0", "↑ &#43;15,0 (creștere)", "↑ &#43;30,0 (creștere)",
			"51,0", "50,7", "↑ &#43;10,7 (creștere)", "fără consens", "Ciclul anterior ("+cf.Prev.Code+")", "comparat cu ciclul anterior "+cf.Prev.Code,
			`id="crit-9"`, `id="sub-9.2"`)
		if strings.Count(body, "<svg") != 2 {
			t.Errorf("the results page has %d charts, want 2", strings.Count(body, "<svg"))
		}
		if !strings.Contains(body, "Un subcriteriu nu are încă punctaj de consens") {
			t.Error("the missing consensus is not flagged")
		}

		res, body = viewer.get(path)
		wantStatus(t, res, body, http.StatusOK)
		wantIn(t, "the results page (en)", body, "Self-assessment results", "55.0", "↑ &#43;15.0 (up)", "Providing direction through mission, vision and values")

		// The previous cycle has no previous one: no comparison.
		res, body = mgr.get("/caf/" + strconv.FormatInt(cf.Prev.ID, 10) + "/results")
		wantStatus(t, res, body, http.StatusOK)
		wantIn(t, "the first cycle's results", body, "primul ciclu", "40,0")
		if strings.Contains(body, "creștere") {
			t.Error("the first cycle shows a trend")
		}
	})
}

func TestCAFPlanAndReports(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		cf := cafResSeed(t, f)
		ctx := context.Background()
		mgr := f.login(t, f.A.Username)
		viewer := f.login(t, "alfa.viewer")
		base := "/caf/" + strconv.FormatInt(cf.Cur.ID, 10)

		res, body := mgr.get(base + "/plan")
		wantStatus(t, res, body, http.StatusOK)
		wantIn(t, "the empty plan", body, "Planul nu are încă acțiuni", "Valorile nu sunt revizuite anual", `name="cafplan_title"`, "Câștiguri rapide")

		// Impact 5 and no title: refused, the form kept, nothing saved.
		form := url.Values{"cafplan_sub": {"1.1"}, "cafplan_title": {""}, "cafplan_impact": {"5"}, "cafplan_ease": {"3"},
			"cafplan_owner": {strconv.FormatInt(f.A.Person.ID, 10)}, "cafplan_due": {"2027-03-31"}}
		res, body = mgr.post(base+"/plan", form)
		wantStatus(t, res, body, http.StatusUnprocessableEntity)
		wantIn(t, "the refused action", body, `href="#f-cafplan_impact"`, `id="f-cafplan_impact"`, `href="#f-cafplan_title"`, "Impactul", "Acțiunea: câmp obligatoriu",
			`<option value="5" selected>`)
		if plan, err := f.Srv.caf.Plan(ctx, cf.Manager, cf.Cur.ID); err != nil || len(plan) != 0 {
			t.Fatalf("a refused action was saved: %v %v", plan, err)
		}

		form.Set("cafplan_title", "Revizuirea anuală a valorilor, cu sesiuni pentru personalul nou")
		form.Set("cafplan_impact", "3")
		res, body = mgr.post(base+"/plan", form)
		wantStatus(t, res, body, http.StatusSeeOther)
		plan, err := f.Srv.caf.Plan(ctx, cf.Manager, cf.Cur.ID)
		if err != nil || len(plan) != 1 {
			t.Fatalf("plan = %v, %v", plan, err)
		}
		x := plan[0]
		aid := strconv.FormatInt(x.ID, 10)
		if loc := res.Header.Get("Location"); loc != base+"/plan#action-"+aid {
			t.Errorf("redirect to %q", loc)
		}
		var tasks int
		if err := f.DB.R.QueryRow(`SELECT COUNT(*) FROM tasks WHERE tenant_id = $1 AND module = 'caf' AND entity = 'caf_action' AND entity_id = $2
			AND person_id = $3 AND state = 'open' AND due_on = '2027-03-31'`, f.A.Inst.ID, x.ID, f.A.Person.ID).Scan(&tasks); err != nil {
			t.Fatal(err)
		}
		if tasks != 1 {
			t.Errorf("the owner has %d tasks for the action, want 1", tasks)
		}
		res, body = viewer.get("/work")
		wantStatus(t, res, body, http.StatusOK)
		wantIn(t, "the owner's inbox", body, "Revizuirea anuală a valorilor")

		res, body = mgr.get(base + "/plan")
		wantStatus(t, res, body, http.StatusOK)
		wantIn(t, "the plan", body, `href="#action-`+aid+`">1. Revizuirea anuală`, "★ câștig rapid", "Alfa Ștefănescu Țiței", "31.03.2027",
			"1.1 Orientarea organizației", `action="`+base+`/plan/`+aid+`/case"`)
		if i, j := strings.Index(body, "caf-cell p33 quick"), strings.Index(body, `href="#action-`+aid+`"`); i < 0 || j < i {
			t.Error("the quick win is not in the high impact, easy cell")
		}

		// The viewer reads the plan but may not change it.
		res, body = viewer.get(base + "/plan")
		wantStatus(t, res, body, http.StatusOK)
		if strings.Contains(body, `name="cafplan_title"`) {
			t.Error("the viewer is offered the add form")
		}
		res, body = viewer.post(base+"/plan", form)
		wantStatus(t, res, body, http.StatusForbidden)

		// One action's edit form at a time.
		res, body = mgr.get(base + "/plan")
		wantStatus(t, res, body, http.StatusOK)
		wantIn(t, "the plan's edit link", body, `href="?edit=`+aid+`#edit-`+aid+`"`)
		if strings.Contains(body, `action="`+base+`/plan/`+aid+`"`) {
			t.Error("the plan shows an edit form unasked")
		}
		res, body = mgr.get(base + "/plan?edit=" + aid)
		wantStatus(t, res, body, http.StatusOK)
		wantIn(t, "the edit form", body, `action="`+base+`/plan/`+aid+`"`, `id="f-cafplan_state-`+aid+`"`, `name="version" value="`+strconv.Itoa(x.Version)+`"`)

		// A change with a bad ease is refused on its own form; then saved.
		upd := url.Values{"version": {strconv.Itoa(x.Version)}, "cafplan_sub": {"1.1"}, "cafplan_title": {x.Title}, "cafplan_impact": {"3"}, "cafplan_ease": {"0"},
			"cafplan_owner": {strconv.FormatInt(cf.Member.ID, 10)}, "cafplan_due": {"2027-04-30"}, "cafplan_state": {"open"}}
		res, body = mgr.post(base+"/plan/"+aid, upd)
		wantStatus(t, res, body, http.StatusUnprocessableEntity)
		wantIn(t, "the refused change", body, `href="#f-cafplan_ease"`, `id="f-cafplan_ease"`, `id="f-cafplan_impact-new"`,
			`<option value="`+strconv.FormatInt(cf.Member.ID, 10)+`" selected>`, `value="2027-04-30"`)
		upd.Set("cafplan_ease", "2")
		res, body = mgr.post(base+"/plan/"+aid, upd)
		wantStatus(t, res, body, http.StatusSeeOther)
		res, body = mgr.post(base+"/plan/"+aid, upd)
		wantStatus(t, res, body, http.StatusConflict)
		wantIn(t, "the stale change", body, "modificată între timp")

		// The case in the improvement register, linked back, once.
		res, body = mgr.post(base+"/plan/"+aid+"/case", nil)
		wantStatus(t, res, body, http.StatusSeeOther)
		plan, _ = f.Srv.caf.Plan(ctx, cf.Manager, cf.Cur.ID)
		if plan[0].CaseID == 0 || plan[0].CaseCode == "" {
			t.Fatalf("no case for the action: %+v", plan[0])
		}
		var src string
		var srcID int64
		if err := f.DB.R.QueryRow(`SELECT source_module, source_id FROM nonconformities WHERE tenant_id = $1 AND id = $2`, f.A.Inst.ID, plan[0].CaseID).Scan(&src, &srcID); err != nil {
			t.Fatal(err)
		}
		if src != "caf" || srcID != x.ID {
			t.Errorf("the case points to %s %d", src, srcID)
		}
		res, body = mgr.get(base + "/plan")
		wantIn(t, "the plan with its case", body, `href="/nonconformities/`+strconv.FormatInt(plan[0].CaseID, 10)+`">`+plan[0].CaseCode)
		res, body = mgr.post(base+"/plan/"+aid+"/case", nil)
		wantStatus(t, res, body, http.StatusConflict)

		// The exports.
		res, body = mgr.get(base + "/plan.xlsx")
		wantStatus(t, res, body, http.StatusOK)
		rows := cafXLSXRows(t, body, "Plan de îmbunătățire")
		if len(rows) != 2 || rows[1][1] != "1.1" || !strings.HasPrefix(rows[1][3], "Revizuirea anuală") || rows[1][9] != "Alfa Ionescu Mădălina" || rows[1][13] != plan[0].CaseCode {
			t.Errorf("plan.xlsx rows = %q", rows)
		}
		for _, p := range []string{"/plan.pdf", "/report.pdf"} {
			res, body = mgr.get(base + p)
			wantStatus(t, res, body, http.StatusOK)
			if !strings.HasPrefix(body, "%PDF") || res.Header.Get("Content-Type") != "application/pdf" {
				t.Errorf("%s is not a PDF", p)
			}
		}
		res, body = mgr.get(base + "/report.docx")
		wantStatus(t, res, body, http.StatusOK)
		doc := cafDocxText(t, body)
		wantIn(t, "report.docx", doc, "Raportul de autoevaluare CAF", "Orientarea organizației prin misiune, viziune și valori",
			"Pregătirea pentru procedura de feedback extern (PEF)", "Valorile nu sunt revizuite anual", "Alfa Ionescu Mădălina", "Redactarea raportului de autoevaluare",
			"Neîndeplinit", "Revizuirea anuală a valorilor")
		res, body = mgr.get(base + "/plan.docx")
		wantStatus(t, res, body, http.StatusOK)
		wantIn(t, "plan.docx", cafDocxText(t, body), "Planul de îmbunătățire CAF", "Revizuirea anuală a valorilor")

		res, body = mgr.get(base + "/report.xlsx")
		wantStatus(t, res, body, http.StatusOK)
		subs := cafXLSXRows(t, body, "Subcriterii")
		if len(subs) != 29 {
			t.Fatalf("the sub-criteria sheet has %d rows, want 28 and the header", len(subs))
		}
		if r := subs[1]; r[1] != "1.1" || r[4] != "70" || r[5] != "40" || !strings.Contains(r[7], "ghișeul unic") || !strings.Contains(r[8], "revizuite anual") {
			t.Errorf("the 1.1 row = %q", r)
		}
		if r := subs[28]; r[1] != "9.2" || r[4] != "" || r[5] != "40" {
			t.Errorf("the 9.2 row = %q", r)
		}
		crits := cafXLSXRows(t, body, "Criterii")
		if len(crits) != 13 || crits[1][0] != "1" || crits[1][3] != "55" || crits[12][3] != "50.7" {
			t.Errorf("the criteria sheet = %q", crits)
		}
		if pl := cafXLSXRows(t, body, "Plan de îmbunătățire"); len(pl) != 2 {
			t.Errorf("the plan sheet = %q", pl)
		}

		// The viewer reads the report too, in English.
		res, body = viewer.get(base + "/report.docx")
		wantStatus(t, res, body, http.StatusOK)
		wantIn(t, "report.docx (en)", cafDocxText(t, body), "CAF self-assessment report", "Readiness for the external feedback procedure (PEF)",
			"Providing direction through mission, vision and values")
	})
}

// TestCAFReportReadiness pins the readiness items for the external
// feedback procedure.
func TestCAFReportReadiness(t *testing.T) {
	l := i18n.MustLoad().Localizer("ro")
	mk := func(done []int, missing int, actions []caf.Action, notes string) map[string]bool {
		d := &cafReportData{Cycle: caf.Cycle{Model: "2020", PEFNotes: notes}, Results: caf.Results{Missing: missing}}
		for n := 1; n <= caf.Steps; n++ {
			st := caf.Step{N: n}
			for _, x := range done {
				if x == n {
					st.DoneOn = "2026-10-01"
				}
			}
			d.Steps = append(d.Steps, st)
		}
		for i, x := range actions {
			d.Actions = append(d.Actions, cafPlanAction{Action: x, N: i + 1})
		}
		out := map[string]bool{}
		for _, it := range cafReportPEF(l, d) {
			out[it.Key] = it.Met
		}
		return out
	}
	owned := caf.Action{OwnerID: 1, DueOn: "2027-01-01", State: caf.ActionOpen}
	tests := []struct {
		name    string
		done    []int
		missing int
		actions []caf.Action
		notes   string
		want    map[string]bool
	}{
		{"nothing yet", nil, 28, nil, "", map[string]bool{"steps": false, "report": false, "consensus": false, "plan": false, "communicated": false, "under_way": false, "notes": false}},
		{"all done", []int{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, 0, []caf.Action{owned, {OwnerID: 2, DueOn: "2026-12-01", State: caf.ActionDone}}, "Cerere PEF în martie",
			map[string]bool{"steps": true, "report": true, "consensus": true, "plan": true, "communicated": true, "under_way": true, "notes": true}},
		{"an action without owner; a cancelled one does not count", []int{6, 8}, 1, []caf.Action{owned, {DueOn: "2027-01-01", State: caf.ActionOpen},
			{State: caf.ActionCancelled}}, "",
			map[string]bool{"steps": false, "report": true, "consensus": false, "plan": false, "communicated": true, "under_way": false, "notes": false}},
		{"cancelled actions only", nil, 0, []caf.Action{{OwnerID: 1, DueOn: "2027-01-01", State: caf.ActionCancelled}}, "",
			map[string]bool{"steps": false, "report": false, "consensus": true, "plan": false, "communicated": false, "under_way": false, "notes": false}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := mk(tt.done, tt.missing, tt.actions, tt.notes)
			for k, want := range tt.want {
				if got[k] != want {
					t.Errorf("%s met = %v, want %v", k, got[k], want)
				}
			}
			if len(got) != 7 {
				t.Errorf("%d items, want 7", len(got))
			}
		})
	}
}

// cafXLSXRows reads a sheet of a workbook.
func cafXLSXRows(t *testing.T, body, sheet string) [][]string {
	t.Helper()
	x, err := excelize.OpenReader(bytes.NewReader([]byte(body)))
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	rows, err := x.GetRows(sheet)
	if err != nil {
		t.Fatalf("sheet %q: %v (sheets %v)", sheet, err, x.GetSheetList())
	}
	for i := range rows {
		for len(rows[i]) < len(rows[0]) {
			rows[i] = append(rows[i], "")
		}
	}
	return rows
}

// cafDocxText is word/document.xml of a DOCX.
func cafDocxText(t *testing.T, body string) string {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader([]byte(body)), int64(len(body)))
	if err != nil {
		t.Fatalf("not a zip: %v", err)
	}
	for _, zf := range zr.File {
		if zf.Name == "word/document.xml" {
			rc, err := zf.Open()
			if err != nil {
				t.Fatal(err)
			}
			defer rc.Close()
			b, _ := io.ReadAll(rc)
			return string(b)
		}
	}
	t.Fatal("no word/document.xml")
	return ""
}
