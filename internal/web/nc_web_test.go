package web

import (
	"archive/zip"
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
	"cadran/internal/db"
	"cadran/internal/db/dbtest"
	"cadran/internal/org"
)

// ncPeople are institution A's people for the nonconformity tests, each
// with a sign-in: the quality manager, the head of the economic
// directorate, an employee of the budget service and an internal auditor.
type ncPeople struct {
	qm, head, emp, aud     org.Person
	qmC, headC, empC, audC *client
	qmU, headU, empU, audU string
}

func newNCPeople(t *testing.T, f *fixture) ncPeople {
	t.Helper()
	ctx := context.Background()
	sys := auth.SystemActor(f.A.Inst.ID, "test")
	o := &org.Service{DB: f.DB, Clock: f.Clock}
	as := &auth.Service{DB: f.DB, Clock: f.Clock}
	mk := func(unit int64, name, username string, role auth.Role) (org.Person, string) {
		p, err := o.CreatePerson(ctx, sys, org.PersonInput{UnitID: unit, FullName: name, Position: org.PositionExecution, Employment: org.EmploymentCivilServant, Active: true})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := as.CreateUser(ctx, sys, auth.UserInput{Username: username, DisplayName: name, Password: testPassword, PersonID: p.ID, Locale: "ro", Roles: []auth.Role{role}}); err != nil {
			t.Fatal(err)
		}
		return p, username
	}
	var n ncPeople
	n.qm, n.qmU = mk(f.A.Unit.ID, "Alfa Ana Calitate", "alfa.calitate", auth.RoleQualityManager)
	n.head, n.headU = mk(f.A.Unit.ID, "Alfa Dan Director", "alfa.director", auth.RoleHeadOfUnit)
	n.emp, n.empU = mk(f.A.SubUnit.ID, "Alfa Ema Inspector", "alfa.angajat", auth.RoleEmployee)
	n.aud, n.audU = mk(f.A.Unit.ID, "Alfa Aura Auditor", "alfa.auditor", auth.RoleAuditor)
	n.qmC, n.headC, n.empC, n.audC = f.login(t, n.qmU), f.login(t, n.headU), f.login(t, n.empU), f.login(t, n.audU)
	return n
}

var ncVersionField = regexp.MustCompile(`name="version" value="(\d+)"`)

// ncVersion reads the case's version from its page (the first form).
func ncVersion(t *testing.T, c *client, path string) string {
	t.Helper()
	res, body := c.get(path)
	wantStatus(t, res, body, http.StatusOK)
	m := ncVersionField.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("%s has no form with a version", path)
	}
	return m[1]
}

func ncStepForm(t *testing.T, c *client, path, action string, extra url.Values) (*http.Response, string) {
	t.Helper()
	form := url.Values{"action": {action}, "version": {ncVersion(t, c, path)}}
	for k, v := range extra {
		form[k] = v
	}
	return c.post(path+"/step", form)
}

func ncIDs(v int64) string { return strconv.FormatInt(v, 10) }

// TestNonconformityOverHTTP walks a case through its life in the pages:
// an employee reports it, the quality office accepts it, the owner records
// the root cause and an action, the action's owner marks it done, the
// checker rule refuses the wrong people, a check finds it not effective and
// reopens it, a second round closes it; bad input and a stale save keep
// what was typed; the exports and the report open.
func TestNonconformityOverHTTP(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		p := newNCPeople(t, f)

		// The report form refuses a missing title and keeps the rest.
		res, body := p.empC.get("/nonconformities/new")
		wantStatus(t, res, body, http.StatusOK)
		if !strings.Contains(body, `value="`+ncIDs(f.A.SubUnit.ID)+`" selected`) {
			t.Error("the report form does not start in the employee's unit")
		}
		form := url.Values{"title": {""}, "description": {"Cererea nr. 4521 a primit răspuns după 45 de zile."}, "source": {"complaint"}, "severity": {"minor"},
			"unit_id": {ncIDs(f.A.SubUnit.ID)}, "detected_on": {"2026-11-20"}, "clause": {"8.5.1"}, "process": {"Soluționarea petițiilor"}}
		res, body = p.empC.post("/nonconformities", form)
		wantStatus(t, res, body, http.StatusUnprocessableEntity)
		if !strings.Contains(body, "error-summary") || !strings.Contains(body, "Cererea nr. 4521 a primit răspuns după 45 de zile.") {
			t.Fatal("the refused report lost what was typed or has no error summary")
		}
		form.Set("title", "Alfa Răspuns întârziat la petiție")
		res, body = p.empC.post("/nonconformities", form)
		wantStatus(t, res, body, http.StatusSeeOther)
		path := res.Header.Get("Location")
		if !regexp.MustCompile(`^/nonconformities/\d+$`).MatchString(path) {
			t.Fatalf("redirect to %q", path)
		}
		_, body = p.empC.get(path)
		if !strings.Contains(body, "NC-2026-001") || !strings.Contains(body, "sesizată") || strings.Contains(body, `value="accept"`) {
			t.Error("the reporter's page: no code, no state, or a triage button")
		}

		// Only the quality office accepts; it names the owner.
		res, body = p.empC.post(path+"/step", url.Values{"action": {"accept"}, "version": {ncVersion(t, p.qmC, path)}})
		wantStatus(t, res, body, http.StatusForbidden)
		res, body = ncStepForm(t, p.qmC, path, "accept", url.Values{"owner_id": {ncIDs(p.head.ID)}})
		wantStatus(t, res, body, http.StatusSeeOther)

		// The owner records the root cause; a save from an old page is refused and keeps the text.
		v := ncVersion(t, p.headC, path)
		analysis := url.Values{"version": {v}, "why_0": {"De ce a întârziat răspunsul?"}, "because_0": {"Petiția nu a fost repartizată."},
			"why_1": {""}, "because_1": {""}, "category_0": {"methods"}, "cause_0": {"Procedura nu prevede repartizarea zilnică."}, "root_0": {"1"},
			"category_1": {"people"}, "cause_1": {""}, "conclusion": {"Lipsește pasul de repartizare."}}
		res, body = p.headC.post(path+"/analysis", analysis)
		wantStatus(t, res, body, http.StatusSeeOther)
		analysis.Set("conclusion", "Text scris pe o pagină veche")
		res, body = p.headC.post(path+"/analysis", analysis)
		wantStatus(t, res, body, http.StatusConflict)
		if !strings.Contains(body, "Text scris pe o pagină veche") {
			t.Error("the stale analysis lost what was typed")
		}
		analysis.Set("version", ncVersion(t, p.headC, path))
		analysis.Set("category_0", "weather")
		res, body = p.headC.post(path+"/analysis", analysis)
		wantStatus(t, res, body, http.StatusUnprocessableEntity)

		// An action for the employee, then the plan.
		res, body = p.headC.post(path+"/actions", url.Values{"description": {"Revizuirea procedurii de registratură"}, "owner_id": {ncIDs(p.emp.ID)}, "due": {"2026-11-01"}})
		wantStatus(t, res, body, http.StatusUnprocessableEntity)
		if !strings.Contains(body, "Revizuirea procedurii de registratură") {
			t.Error("the refused action lost its description")
		}
		res, body = p.headC.post(path+"/actions", url.Values{"description": {"Revizuirea procedurii de registratură"}, "owner_id": {ncIDs(p.emp.ID)}, "due": {"2026-12-15"}})
		wantStatus(t, res, body, http.StatusSeeOther)
		res, body = ncStepForm(t, p.headC, path, "plan", nil)
		wantStatus(t, res, body, http.StatusSeeOther)

		// The employee sees the action in the inbox and marks it done from the case page.
		_, body = p.empC.get("/work")
		if !strings.Contains(body, "Revizuirea procedurii de registratură") {
			t.Error("the action is not in its owner's inbox")
		}
		_, body = p.empC.get(path)
		m := regexp.MustCompile(`action="(/nonconformities/\d+/actions/\d+)/done"[^>]*>\s*<input type="hidden" name="version" value="(\d+)"`).FindStringSubmatch(body)
		if m == nil {
			t.Fatal("the action's owner has no form to mark it done")
		}
		res, body = p.empC.post(m[1]+"/done", url.Values{"version": {m[2]}, "done_note": {""}})
		wantStatus(t, res, body, http.StatusUnprocessableEntity)
		res, body = p.empC.post(m[1]+"/done", url.Values{"version": {m[2]}, "done_note": {"Procedura revizuită și aprobată."}})
		wantStatus(t, res, body, http.StatusSeeOther)

		// The checker: not the owner, not an action's owner.
		for _, who := range []int64{p.head.ID, p.emp.ID} {
			res, body = ncStepForm(t, p.headC, path, "verify", url.Values{"checker_id": {ncIDs(who)}, "check_on": {"2026-12-20"}})
			wantStatus(t, res, body, http.StatusUnprocessableEntity)
			if !strings.Contains(body, "verificatorul nu poate fi") {
				t.Error("no message for a checker who may not check")
			}
		}
		res, body = ncStepForm(t, p.headC, path, "verify", url.Values{"checker_id": {ncIDs(p.aud.ID)}, "check_on": {"2026-12-20"}})
		wantStatus(t, res, body, http.StatusSeeOther)
		res, _ = ncStepForm(t, p.audC, path, "effective", nil)
		if res.StatusCode != http.StatusSeeOther {
			// The checker's page has the verdict buttons; the owner's does not.
			t.Fatalf("the checker could not record the verdict: %d", res.StatusCode)
		}
		_, body = p.headC.get(path)
		if !strings.Contains(body, "închisă") || strings.Contains(body, `value="not_effective"`) {
			t.Error("the case is not shown closed")
		}
		// The log, its exports and the report.
		_, body = p.empC.get("/nonconformities?state=closed&q=raspuns")
		if !strings.Contains(body, "Alfa Răspuns întârziat la petiție") {
			t.Error("the closed case is not in the filtered log")
		}
		res, body = p.empC.get("/nonconformities/export.xlsx?state=closed")
		wantStatus(t, res, body, http.StatusOK)
		x, err := excelize.OpenReader(strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		rows, _ := x.GetRows(x.GetSheetList()[0])
		if len(rows) != 2 || rows[1][0] != "NC-2026-001" {
			t.Errorf("export rows: %v", rows)
		}
		for _, u := range []string{"/nonconformities/export.pdf", path + "/report.pdf"} {
			res, body = p.empC.get(u)
			wantStatus(t, res, body, http.StatusOK)
			if !strings.HasPrefix(body, "%PDF") {
				t.Errorf("%s is not a PDF", u)
			}
		}
		res, body = p.empC.get(path + "/report.docx")
		wantStatus(t, res, body, http.StatusOK)
		if _, err := zip.NewReader(bytes.NewReader([]byte(body)), int64(len(body))); err != nil {
			t.Errorf("the report is not a DOCX: %v", err)
		}
		for _, u := range []string{"/nonconformities/actions?overdue=1", "/nonconformities/actions/export.xlsx", "/nonconformities/" + strings.TrimPrefix(path, "/nonconformities/") + "/edit"} {
			res, body = p.qmC.get(u)
			if u == path+"/edit" {
				// A closed case is not edited.
				wantStatus(t, res, body, http.StatusForbidden)
				continue
			}
			wantStatus(t, res, body, http.StatusOK)
		}
		// In English.
		viewer := f.login(t, "alfa.viewer")
		_, body = viewer.get(path)
		for _, want := range []string{"Nonconformity log", "closed", "The five whys", "Effectiveness check", "effective"} {
			if !strings.Contains(body, want) {
				t.Errorf("the English page lacks %q", want)
			}
		}
	})
}

// TestNonconformityReopens: a check that finds the actions not effective
// needs a reason, sends the case back to analysis and is kept in the
// history; the case closes after a second round.
func TestNonconformityReopens(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		p := newNCPeople(t, f)
		res, body := p.qmC.post("/nonconformities", url.Values{"title": {"Alfa Dosare incomplete la ghișeu"}, "source": {"internal_audit"}, "severity": {"major"},
			"owner_id": {ncIDs(p.head.ID)}, "unit_id": {ncIDs(f.A.Unit.ID)}})
		wantStatus(t, res, body, http.StatusSeeOther)
		path := res.Header.Get("Location")
		round := func(desc string) {
			t.Helper()
			res, body = p.headC.post(path+"/actions", url.Values{"description": {desc}, "owner_id": {ncIDs(p.emp.ID)}, "due": {"2026-12-15"}})
			wantStatus(t, res, body, http.StatusSeeOther)
			res, body = p.headC.post(path+"/analysis", url.Values{"version": {ncVersion(t, p.headC, path)}, "conclusion": {"Lista de verificare lipsește."}})
			wantStatus(t, res, body, http.StatusSeeOther)
			res, body = ncStepForm(t, p.headC, path, "plan", nil)
			wantStatus(t, res, body, http.StatusSeeOther)
			_, body = p.empC.get(path)
			m := regexp.MustCompile(`action="(/nonconformities/\d+/actions/\d+)/done"[^>]*>\s*<input type="hidden" name="version" value="(\d+)"`).FindStringSubmatch(body)
			if m == nil {
				t.Fatal("no done form")
			}
			res, body = p.empC.post(m[1]+"/done", url.Values{"version": {m[2]}, "done_note": {"Făcut."}})
			wantStatus(t, res, body, http.StatusSeeOther)
			res, body = ncStepForm(t, p.headC, path, "verify", url.Values{"checker_id": {ncIDs(p.qm.ID)}, "check_on": {"2026-12-01"}})
			wantStatus(t, res, body, http.StatusSeeOther)
		}
		res, body = ncStepForm(t, p.qmC, path, "accept", url.Values{"owner_id": {ncIDs(p.head.ID)}})
		wantStatus(t, res, body, http.StatusSeeOther)
		round("Lista de verificare a dosarelor")
		res, body = p.headC.post(path+"/step", url.Values{"action": {"effective"}, "version": {ncVersion(t, p.qmC, path)}})
		wantStatus(t, res, body, http.StatusForbidden)
		res, body = ncStepForm(t, p.qmC, path, "not_effective", url.Values{"reason": {""}})
		wantStatus(t, res, body, http.StatusUnprocessableEntity)
		res, body = ncStepForm(t, p.qmC, path, "not_effective", url.Values{"reason": {"Trei dosare incomplete în decembrie."}})
		wantStatus(t, res, body, http.StatusSeeOther)
		_, body = p.headC.get(path)
		if !strings.Contains(body, "în analiză") || !strings.Contains(body, "redeschisă o dată") || !strings.Contains(body, "Trei dosare incomplete în decembrie.") {
			t.Error("the reopened case does not show its state, count or reason")
		}
		round("Instruirea personalului de la ghișeu")
		res, body = ncStepForm(t, p.qmC, path, "effective", nil)
		wantStatus(t, res, body, http.StatusSeeOther)
		_, body = p.empC.get(path)
		if !strings.Contains(body, "închisă") || strings.Count(body, "neeficace") < 1 || strings.Count(body, ">eficace<") < 1 {
			t.Error("the closed case does not keep both checks")
		}
	})
}

// TestProposalOverHTTP: an employee proposes, the quality office plans an
// action and accepts, the owner carries it out and the proposal is
// implemented; a declined one shows its reason to the proposer.
func TestProposalOverHTTP(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		p := newNCPeople(t, f)
		res, body := p.empC.post("/proposals", url.Values{"title": {"Alfa Programare online"}, "description": {""}})
		wantStatus(t, res, body, http.StatusUnprocessableEntity)
		if !strings.Contains(body, "Alfa Programare online") {
			t.Error("the refused proposal lost its title")
		}
		res, body = p.empC.post("/proposals", url.Values{"title": {"Alfa Programare online"}, "description": {"Cetățenii își aleg ora."}, "benefit": {"Cozi mai scurte."}})
		wantStatus(t, res, body, http.StatusSeeOther)
		path := res.Header.Get("Location")
		_, body = p.qmC.get("/work")
		if !strings.Contains(body, "Alfa Programare online") {
			t.Error("the quality office was not told of the proposal")
		}
		step := func(c *client, action string, extra url.Values) (*http.Response, string) {
			return ncStepForm(t, c, path, action, extra)
		}
		res, body = step(p.qmC, "accept", nil)
		wantStatus(t, res, body, http.StatusConflict)
		res, body = p.qmC.post(path+"/actions", url.Values{"description": {"Modul de programare"}, "owner_id": {ncIDs(p.emp.ID)}, "due": {"2026-12-31"}})
		wantStatus(t, res, body, http.StatusSeeOther)
		res, body = step(p.qmC, "accept", nil)
		wantStatus(t, res, body, http.StatusSeeOther)
		_, body = p.empC.get(path)
		m := regexp.MustCompile(`action="(/proposals/\d+/actions/\d+)/done"[^>]*>\s*<input type="hidden" name="version" value="(\d+)"`).FindStringSubmatch(body)
		if m == nil {
			t.Fatal("no done form for the action's owner")
		}
		res, body = p.empC.post(m[1]+"/done", url.Values{"version": {m[2]}, "done_note": {"Modulul funcționează."}})
		wantStatus(t, res, body, http.StatusSeeOther)
		_, body = p.empC.get(path)
		if !strings.Contains(body, "implementată") {
			t.Error("the proposal is not implemented")
		}
		res, body = p.empC.post("/proposals", url.Values{"title": {"Alfa Cafea gratuită"}, "description": {"Pentru cetățeni."}})
		wantStatus(t, res, body, http.StatusSeeOther)
		path = res.Header.Get("Location")
		res, body = step(p.qmC, "decline", url.Values{"reason": {"Nu există buget."}})
		wantStatus(t, res, body, http.StatusSeeOther)
		_, body = p.empC.get("/proposals?mine=1&state=declined")
		if !strings.Contains(body, "Alfa Cafea gratuită") || strings.Contains(body, "Alfa Programare online") {
			t.Error("my declined proposals")
		}
		_, body = p.empC.get(path)
		if !strings.Contains(body, "Nu există buget.") {
			t.Error("the proposer does not see why it was declined")
		}
		res, body = p.empC.get("/proposals/export.xlsx")
		wantStatus(t, res, body, http.StatusOK)
	})
}

// TestImprovementPagesRender renders every page of the module for the
// quality manager and the viewer, who may read but not report.
func TestImprovementPagesRender(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		p := newNCPeople(t, f)
		res, _ := p.empC.post("/nonconformities", url.Values{"title": {"Alfa Caz"}, "source": {"employee"}, "severity": {"minor"}})
		nc := res.Header.Get("Location")
		res, _ = p.empC.post("/proposals", url.Values{"title": {"Alfa Idee"}, "description": {"Descriere."}})
		pr := res.Header.Get("Location")
		viewer := f.login(t, "alfa.viewer")
		for _, u := range []string{"/nonconformities", "/nonconformities/new", "/nonconformities/actions", nc, nc + "/edit", "/proposals", "/proposals/new", pr} {
			res, body := p.qmC.get(u)
			wantStatus(t, res, body, http.StatusOK)
			if regexp.MustCompile(`\b(nc|proposal|field)\.[a-z_]+`).MatchString(strings.ReplaceAll(body, "nc.example", "")) {
				t.Errorf("%s shows an untranslated key: %s", u, regexp.MustCompile(`\b(nc|proposal|field)\.[a-z_.]+`).FindString(body))
			}
			res, body = viewer.get(u)
			want := http.StatusOK
			if strings.HasSuffix(u, "/new") || strings.HasSuffix(u, "/edit") {
				want = http.StatusForbidden
			}
			wantStatus(t, res, body, want)
		}
	})
}

// TestNonconformityLogImport brings a nonconformity log kept in a CSV file
// through the shared import pages: the Romanian headings map by
// themselves, the preview has no problems, and the run fills the log.
func TestNonconformityLogImport(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		p := newNCPeople(t, f)
		t.Cleanup(f.Srv.imports.Wait)
		file := "Registrul neconformităților 2025\n\n" +
			"Nr.;Data constatării;Sursa;Descrierea neconformității;Compartiment;Clauza;Gravitate;Cauza;Acțiune corectivă;Responsabil;Termen;Stadiu;Data închiderii\n" +
			"1;12.03.2025;Audit intern;Alfa registrul de intrare nu este numerotat;DE;7.5.3;minoră;Lipsa instruirii;Numerotarea registrului;Alfa Ema Inspector;30.04.2025;închisă;28.04.2025\n" +
			"2;01.10.2026;Reclamație;Alfa certificat fiscal eliberat după 10 zile;Alfa Serviciul Buget;8.5.1;majoră;Circuit greșit;Termen intern de 2 zile;Alfa Ema Inspector;15.12.2026;deschisă;\n"
		page := p.qmC.importJob("nonconformities", "registru.csv", []byte(file))
		res, body := p.qmC.get(page)
		wantStatus(t, res, body, http.StatusOK)
		if !strings.Contains(body, page+"/run") {
			t.Fatalf("the preview offers no run:\n%s", body[strings.Index(body, "<main"):min(len(body), strings.Index(body, "<main")+3000)])
		}
		res, body = p.qmC.post(page+"/run", url.Values{"version": {importVersionOf(t, body)}})
		wantStatus(t, res, body, http.StatusSeeOther)
		f.Srv.imports.Wait()
		_, body = p.qmC.get("/nonconformities?sort=code")
		for _, want := range []string{"NC-2025-001", "NC-2026-001", "Alfa registrul de intrare nu este numerotat"} {
			if !strings.Contains(body, want) {
				t.Errorf("the log lacks %q after the import", want)
			}
		}
		_, body = p.empC.get("/work")
		if !strings.Contains(body, "Termen intern de 2 zile") {
			t.Error("the imported open action is not in its owner's inbox")
		}
	})
}
