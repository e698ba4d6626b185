package web

import (
	"bytes"
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"cadran/internal/auth"
	"cadran/internal/db"
	"cadran/internal/db/dbtest"
	"cadran/internal/org"
	"cadran/internal/training"
)

// trpSeeded is institution A's training for the record, induction and
// settings pages: a quality manager, a head of the economic directorate, a
// new employee of its budget service (hired through the server, so the
// induction hook gives them a plan) and a new employee of another
// directorate the head does not lead; two competences required of the
// employee's job, a mandatory programme with a session the employee is
// enrolled in, and a certificate that gives one competence and expires
// within the renewal days.
type trpSeeded struct {
	QM, Head, Emp, Other      auth.Actor
	QMUser, HeadUser, EmpUser string
	EmpP, OtherP              org.Person
	Audit, CAF                training.Competence
	Programme                 training.Programme
	Session                   training.Session
	Cert                      training.Certificate
	EmpPlan, OtherPlan        training.Induction
	OtherUnit                 org.Unit
}

func trpSeed(t testing.TB, f *fixture) trpSeeded {
	t.Helper()
	ctx := context.Background()
	svc := f.Srv.training
	sys := auth.SystemActor(f.A.Inst.ID, "test")
	plain := &org.Service{DB: f.DB, Clock: f.Clock}
	as := &auth.Service{DB: f.DB, Clock: f.Clock}
	var sd trpSeeded
	var err error
	user := func(p org.Person, username string, role auth.Role) auth.Actor {
		t.Helper()
		u, err := as.CreateUser(ctx, sys, auth.UserInput{Username: username, DisplayName: p.FullName, Password: testPassword, Roles: []auth.Role{role}, Locale: "ro", PersonID: p.ID})
		if err != nil {
			t.Fatal(err)
		}
		return auth.Actor{UserID: u.ID, Tenant: f.A.Inst.ID, Name: p.FullName, Username: username, PersonID: p.ID, Roles: []auth.Role{role}, Locale: "ro"}
	}
	person := func(o *org.Service, unit int64, name, job string) org.Person {
		t.Helper()
		p, err := o.CreatePerson(ctx, sys, org.PersonInput{UnitID: unit, FullName: name, JobTitle: job, Position: org.PositionExecution, Employment: org.EmploymentCivilServant, Active: true})
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	sd.QMUser, sd.HeadUser, sd.EmpUser = "alfa.trp.rmc", "alfa.trp.sef", "alfa.trp.nou"
	sd.QM = user(person(plain, f.A.Unit.ID, "Alfa Mureșan Țuțu", "Responsabil calitate"), sd.QMUser, auth.RoleQualityManager)
	sd.Head = user(person(plain, f.A.Unit.ID, "Alfa Dobre Ștefan", "Director executiv"), sd.HeadUser, auth.RoleHeadOfUnit)
	if sd.OtherUnit, err = plain.CreateUnit(ctx, sys, org.UnitInput{Name: "Alfa Direcția Urbanism TRP", Kind: org.UnitDirectorate, Relation: org.RelationOwn}); err != nil {
		t.Fatal(err)
	}
	if sd.Audit, err = svc.CreateCompetence(ctx, sd.QM, training.CompetenceInput{Code: "TRP-AUD", Name: "Alfa Audit intern al calității", Area: training.TopicAudit, Active: true}); err != nil {
		t.Fatal(err)
	}
	if sd.CAF, err = svc.CreateCompetence(ctx, sd.QM, training.CompetenceInput{Code: "TRP-CAF", Name: "Alfa Autoevaluare CAF", Area: training.TopicCAF, Active: true}); err != nil {
		t.Fatal(err)
	}
	for _, k := range []struct {
		id    int64
		level int
	}{{sd.Audit.ID, training.LevelPractitioner}, {sd.CAF.ID, training.LevelBasic}} {
		if _, err := svc.AddRequirement(ctx, sd.QM, k.id, training.RequirementInput{Kind: training.RequireJob, Target: "Referent calitate TRP", Level: k.level}); err != nil {
			t.Fatal(err)
		}
	}
	if sd.Programme, err = svc.CreateProgramme(ctx, sd.QM, training.ProgrammeInput{Code: "TRP-IND", Title: "Alfa Sistemul de management al calității pentru angajați noi",
		Topic: training.TopicInduction, Provider: "Biroul calitate", Hours: 8, Mandatory: true, MinAttendance: 80, Active: true}); err != nil {
		t.Fatal(err)
	}
	if sd.Session, err = svc.CreateSession(ctx, sd.QM, training.SessionInput{ProgrammeID: sd.Programme.ID, StartOn: "2026-12-01", EndOn: "2026-12-02",
		Place: "Sala de ședințe", Trainer: "Alfa Mureșan Țuțu"}); err != nil {
		t.Fatal(err)
	}
	// Hired now, through the server's org service: the induction hook runs.
	sd.EmpP = person(f.Srv.org, f.A.SubUnit.ID, "Alfa Pârvu Ștefania", "Referent calitate TRP")
	sd.Emp = user(sd.EmpP, sd.EmpUser, auth.RoleEmployee)
	sd.OtherP = person(f.Srv.org, sd.OtherUnit.ID, "Alfa Oancea Radu", "Referent calitate TRP")
	sd.Other = user(sd.OtherP, "alfa.trp.alt", auth.RoleEmployee)
	if _, err := svc.Enrol(ctx, sd.QM, sd.Session.ID, []int64{sd.EmpP.ID}); err != nil {
		t.Fatal(err)
	}
	if sd.Cert, err = svc.CreateCertificate(ctx, sd.QM, training.CertificateInput{PersonID: sd.EmpP.ID, CompetenceID: sd.Audit.ID, CompetenceLevel: training.LevelPractitioner,
		Name: "Alfa Auditor intern pentru sisteme de management al calității", Number: "TRP 0042", Issuer: "Centrul de formare Țara Bârsei", Hours: 40,
		IssuedOn: "2025-12-15", ExpiresOn: "2026-12-15"}, nil); err != nil {
		t.Fatal(err)
	}
	if sd.EmpPlan, err = svc.InductionOf(ctx, sd.QM, sd.EmpP.ID); err != nil {
		t.Fatalf("the new employee has no induction plan: %v", err)
	}
	if sd.OtherPlan, err = svc.InductionOf(ctx, sd.QM, sd.OtherP.ID); err != nil {
		t.Fatalf("the other new employee has no induction plan: %v", err)
	}
	return sd
}

// trpXLSX opens a workbook and returns its sheets' rows by sheet name.
func trpXLSX(t *testing.T, res *http.Response, body string) map[string][][]string {
	t.Helper()
	wantStatus(t, res, body, http.StatusOK)
	if ct := res.Header.Get("Content-Type"); !strings.Contains(ct, "spreadsheetml") {
		t.Fatalf("%s: content type %q", res.Request.URL.Path, ct)
	}
	x, err := excelize.OpenReader(bytes.NewReader([]byte(body)))
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	out := map[string][][]string{}
	for _, name := range x.GetSheetList() {
		rows, err := x.GetRows(name)
		if err != nil {
			t.Fatal(err)
		}
		out[name] = rows
	}
	return out
}

func trpHas(t *testing.T, where, body string, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(body, w) {
			t.Errorf("%s lacks %q", where, w)
		}
	}
}

func trpLacks(t *testing.T, where, body string, unwanted ...string) {
	t.Helper()
	for _, w := range unwanted {
		if strings.Contains(body, w) {
			t.Errorf("%s shows %q", where, w)
		}
	}
}

// TestTrainingPersonRecord reads a training record as the quality manager
// (Romanian), as the person themself, as their head of unit and as a viewer
// reading their own (English); checks who is refused; and opens the XLSX
// and the PDF.
func TestTrainingPersonRecord(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		sd := trpSeed(t, f)
		emp := "/training/people/" + strconv.FormatInt(sd.EmpP.ID, 10)
		other := "/training/people/" + strconv.FormatInt(sd.OtherP.ID, 10)

		qm := f.login(t, sd.QMUser)
		res, body := qm.get(emp)
		wantStatus(t, res, body, http.StatusOK)
		trpHas(t, "the record (quality manager)", body,
			"Fișa de instruire: Alfa Pârvu Ștefania", "Referent calitate TRP", "Alfa Serviciul Buget",
			// the enrolment, with its programme and session
			"Alfa Sistemul de management al calității pentru angajați noi", "/training/sessions/"+strconv.FormatInt(sd.Session.ID, 10), "Înscris",
			// the certificate, expiring within the 60 renewal days
			"Alfa Auditor intern pentru sisteme de management al calității", "TRP 0042", "Expiră curând",
			"/training/certificates/new?person="+strconv.FormatInt(sd.EmpP.ID, 10),
			// the matrix row: the audit competence held, the CAF one missing
			"Alfa Audit intern al calității", "Alfa Autoevaluare CAF", "o competență cerută lipsește", `class="tag gap"`,
			// the induction plan with its mandatory programme
			"Planul de inducție", "În curs", "Instruire obligatorie", "0 / 1 acțiuni",
			// the quality office may assess and export
			`action="`+emp+`/competences"`, emp+"/record.xlsx", emp+"/record.pdf")
		trpLacks(t, "the record", body, "training.people.", "start_induction")

		// The person reads their own record, without the forms of the office.
		ec := f.login(t, sd.EmpUser)
		res, body = ec.get(emp)
		wantStatus(t, res, body, http.StatusOK)
		trpHas(t, "the employee's own record", body, "Fișa de instruire: Alfa Pârvu Ștefania", "Expiră curând")
		trpLacks(t, "the employee's own record", body, `action="`+emp+`/competences"`, "/training/certificates/new")
		for _, p := range []string{other, other + "/record.pdf", other + "/record.xlsx"} {
			if res, body = ec.get(p); res.StatusCode != http.StatusNotFound && res.StatusCode != http.StatusForbidden {
				t.Errorf("an employee opened another's record %s: %d", p, res.StatusCode)
			}
		}

		// The head of the economic directorate reads and assesses the budget
		// service's people, not the urban planning directorate's.
		hc := f.login(t, sd.HeadUser)
		res, body = hc.get(emp)
		wantStatus(t, res, body, http.StatusOK)
		trpHas(t, "the head's view of the record", body, `action="`+emp+`/competences"`)
		trpLacks(t, "the head's view of the record", body, "/training/certificates/new")
		if res, _ = hc.get(other); res.StatusCode != http.StatusNotFound && res.StatusCode != http.StatusForbidden {
			t.Errorf("the head opened the record of someone outside their units: %d", res.StatusCode)
		}

		// The viewer reads their own record in English.
		vc := f.login(t, "alfa.viewer")
		res, body = vc.get("/training/people/" + strconv.FormatInt(f.A.Person.ID, 10))
		wantStatus(t, res, body, http.StatusOK)
		trpHas(t, "the viewer's own record", body, "Training record: Alfa Ștefănescu Țiței", "Competences required and held", "This person has no induction plan.",
			"No certificate is recorded.")
		trpLacks(t, "the viewer's own record", body, "training.people.", "Start the induction plan")

		// B's administrator sees nothing of A's person.
		bc := f.login(t, f.B.Username)
		if res, _ = bc.get(emp); res.StatusCode != http.StatusNotFound && res.StatusCode != http.StatusForbidden {
			t.Errorf("institution B opened A's record: %d", res.StatusCode)
		}

		// The workbook: a sheet per part, the person's data in it.
		res, body = qm.get(emp + "/record.xlsx")
		sheets := trpXLSX(t, res, body)
		if first := sheets["Persoana"]; len(first) < 4 || !trpRowsHave(first, "Alfa Pârvu Ștefania") || !trpRowsHave(first, "Primăria Alfa") {
			t.Errorf("the record's first sheet is %v", first)
		}
		if rows := sheets["Certificate"]; len(rows) != 2 || !trpRowsHave(rows, "TRP 0042") || !trpRowsHave(rows, "Expiră curând") {
			t.Errorf("the certificates sheet is %v", rows)
		}
		if rows := sheets["Competențe cerute și deținute"]; len(rows) != 3 || !trpRowsHave(rows, "Lipsă") {
			t.Errorf("the matrix sheet is %v", rows)
		}
		if rows := sheets["Instruiri"]; len(rows) != 2 || !trpRowsHave(rows, "TRP-IND") {
			t.Errorf("the enrolments sheet is %v", rows)
		}
		// The PDF, with the Romanian letters printed.
		res, body = qm.get(emp + "/record.pdf")
		wantStatus(t, res, body, http.StatusOK)
		if !strings.HasPrefix(body, "%PDF") || res.Header.Get("Content-Type") != "application/pdf" {
			t.Fatal("the record is not a PDF")
		}
		for _, s := range []string{"Fișa de instruire și competențe", "Alfa Pârvu Ștefania", "ș", "ț", "Centrul de formare", "Instruire obligatorie"} {
			if !citizenPDFHas(t, []byte(body), s) {
				t.Errorf("the record PDF lacks %q", s)
			}
		}
		// The English PDF of the viewer's own record.
		res, body = vc.get("/training/people/" + strconv.FormatInt(f.A.Person.ID, 10) + "/record.pdf")
		wantStatus(t, res, body, http.StatusOK)
		if !citizenPDFHas(t, []byte(body), "Training and competence record") || !citizenPDFHas(t, []byte(body), "Alfa Ștefănescu Țiței") {
			t.Error("the English record PDF lacks its title or the person")
		}

		// The links: the person's page and the account page.
		_, body = qm.get("/people/" + strconv.FormatInt(sd.EmpP.ID, 10))
		trpHas(t, "the person page (quality manager)", body, `href="`+emp+`"`)
		_, body = ec.get("/people/" + strconv.FormatInt(sd.OtherP.ID, 10))
		trpLacks(t, "another's person page (employee)", body, `href="`+other+`"`)
		_, body = hc.get("/people/" + strconv.FormatInt(sd.EmpP.ID, 10))
		trpHas(t, "the person page (head of unit)", body, `href="`+emp+`"`)
		_, body = hc.get("/people/" + strconv.FormatInt(sd.OtherP.ID, 10))
		trpLacks(t, "the person page outside the head's units", body, `href="`+other+`"`)
		_, body = ec.get("/account")
		trpHas(t, "the account page", body, "Fișa mea de instruire", `href="`+emp+`"`)
		_, body = vc.get("/account")
		trpHas(t, "the viewer's account page", body, "My training record")
	})
}

func trpRowsHave(rows [][]string, s string) bool {
	for _, r := range rows {
		for _, c := range r {
			if strings.Contains(c, s) {
				return true
			}
		}
	}
	return false
}

// TestTrainingPersonAssess is the assess form: refused to an employee,
// explained and kept when wrong, recorded when right (the matrix's gap
// closes), and deleted; starting an induction plan by hand, once.
func TestTrainingPersonAssess(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		sd := trpSeed(t, f)
		emp := "/training/people/" + strconv.FormatInt(sd.EmpP.ID, 10)
		caf := strconv.FormatInt(sd.CAF.ID, 10)
		ec := f.login(t, sd.EmpUser)
		hc := f.login(t, sd.HeadUser)
		// Signing in is audited; the assessments are counted from here.
		before := auditCount(t, d, f.A.Inst.ID)
		res, body := ec.post(emp+"/competences", url.Values{"training_assess_competence": {caf}, "training_assess_level": {"1"}, "training_assess_acquired": {"2026-11-20"}})
		wantStatus(t, res, body, http.StatusForbidden)

		// Wrong: no competence, a malformed day, an expiry before the day.
		res, body = hc.post(emp+"/competences", url.Values{"training_assess_competence": {""}, "training_assess_level": {"1"}, "training_assess_acquired": {"2026-13-40"},
			"training_assess_notes": {"Alfa a condus ședința de autoevaluare"}})
		wantStatus(t, res, body, http.StatusUnprocessableEntity)
		trpHas(t, "the refused assessment", body, "Verificați câmpurile marcate", `aria-invalid="true"`, "câmp obligatoriu", "data nu este validă",
			`value="2026-13-40"`, "Alfa a condus ședința de autoevaluare")
		res, body = hc.post(emp+"/competences", url.Values{"training_assess_competence": {caf}, "training_assess_level": {"1"}, "training_assess_acquired": {"2026-11-20"},
			"training_assess_expires": {"2026-11-01"}})
		wantStatus(t, res, body, http.StatusUnprocessableEntity)
		trpHas(t, "the assessment expiring before it began", body, "data expirării trebuie să fie după data dobândirii", `value="2026-11-01"`)
		// The domain's own check: a day in the future.
		res, body = hc.post(emp+"/competences", url.Values{"training_assess_competence": {caf}, "training_assess_level": {"1"}, "training_assess_acquired": {"2026-12-20"}})
		wantStatus(t, res, body, http.StatusUnprocessableEntity)
		trpHas(t, "the assessment dated in the future", body, `id="e-training_assess_acquired"`, `value="2026-12-20"`)
		if n := auditCount(t, d, f.A.Inst.ID); n != before {
			t.Fatalf("refused assessments left %d audit events", n-before)
		}
		// Outside the head's units: refused.
		res, _ = hc.post("/training/people/"+strconv.FormatInt(sd.OtherP.ID, 10)+"/competences", url.Values{"training_assess_competence": {caf}, "training_assess_level": {"1"},
			"training_assess_acquired": {"2026-11-20"}})
		if res.StatusCode != http.StatusNotFound && res.StatusCode != http.StatusForbidden {
			t.Errorf("the head assessed someone outside their units: %d", res.StatusCode)
		}

		// Right: recorded, the gap closes.
		res, _ = hc.post(emp+"/competences", url.Values{"training_assess_competence": {caf}, "training_assess_level": {"1"}, "training_assess_acquired": {"2026-11-20"},
			"training_assess_notes": {"Alfa a condus ședința de autoevaluare"}})
		wantStatus(t, res, "", http.StatusSeeOther)
		if loc := res.Header.Get("Location"); loc != emp+"#competences" {
			t.Errorf("the assessment went to %q", loc)
		}
		res, body = hc.get(emp)
		wantStatus(t, res, body, http.StatusOK)
		trpHas(t, "the record after the assessment", body, "Competența evaluată a fost înregistrată.", "Evaluat de șef", "Persoana deține toate competențele cerute.",
			"Alfa a condus ședința de autoevaluare")
		trpLacks(t, "the record after the assessment", body, "cerută lipsește")
		if n := auditCount(t, d, f.A.Inst.ID); n != before+1 {
			t.Errorf("the assessment left %d audit events, want 1", n-before)
		}
		held, err := f.Srv.training.HeldBy(context.Background(), sd.QM, sd.EmpP.ID)
		if err != nil {
			t.Fatal(err)
		}
		var assessed, fromCert int64
		for _, h := range held {
			switch h.Source {
			case training.HeldAssessed:
				assessed = h.ID
			case training.HeldCertificate:
				fromCert = h.ID
			}
		}
		if assessed == 0 || fromCert == 0 {
			t.Fatalf("held competences: %+v", held)
		}
		// Only assessed competences have a delete button.
		trpHas(t, "the record after the assessment", body, emp+"/competences/"+strconv.FormatInt(assessed, 10)+"/delete")
		trpLacks(t, "the record after the assessment", body, emp+"/competences/"+strconv.FormatInt(fromCert, 10)+"/delete")
		// An employee does not delete it; the head does, and the gap is back.
		res, _ = ec.post(emp+"/competences/"+strconv.FormatInt(assessed, 10)+"/delete", nil)
		if res.StatusCode != http.StatusNotFound && res.StatusCode != http.StatusForbidden {
			t.Errorf("an employee deleted an assessed competence: %d", res.StatusCode)
		}
		res, _ = hc.post(emp+"/competences/"+strconv.FormatInt(assessed, 10)+"/delete", nil)
		wantStatus(t, res, "", http.StatusSeeOther)
		_, body = hc.get(emp)
		trpHas(t, "the record after the deletion", body, "Competența evaluată a fost ștearsă.", "o competență cerută lipsește")

		// Starting an induction plan by hand: the viewer's person has none.
		viewerP := "/training/people/" + strconv.FormatInt(f.A.Person.ID, 10)
		res, _ = hc.post(viewerP+"/induction", nil)
		wantStatus(t, res, "", http.StatusForbidden)
		qm := f.login(t, sd.QMUser)
		_, body = qm.get(viewerP)
		trpHas(t, "a record without a plan", body, "Persoana nu are un plan de inducție.", `action="`+viewerP+`/induction"`)
		res, _ = qm.post(viewerP+"/induction", nil)
		wantStatus(t, res, "", http.StatusSeeOther)
		loc := res.Header.Get("Location")
		if !strings.HasPrefix(loc, "/training/inductions/") {
			t.Fatalf("starting the plan went to %q", loc)
		}
		res, body = qm.get(loc)
		wantStatus(t, res, body, http.StatusOK)
		trpHas(t, "the plan started by hand", body, "Planul de inducție a fost creat", "Alfa Ștefănescu Țiței", "Instruire obligatorie", "0 / 1 acțiuni")
		// The viewer reads their own plan, in English, without the cancel button.
		vc := f.login(t, "alfa.viewer")
		res, body = vc.get(loc)
		wantStatus(t, res, body, http.StatusOK)
		trpHas(t, "the viewer's own plan", body, "Induction plan: Alfa Ștefănescu Țiței", "Mandatory training", "0 / 1 items", "not done")
		trpLacks(t, "the viewer's own plan", body, loc+"/cancel", "training.plans.")
		res, body = vc.get("/training/inductions")
		wantStatus(t, res, body, http.StatusOK)
		trpHas(t, "the viewer's list", body, "Alfa Ștefănescu Țiței", "30 days left")
		res, _ = vc.get("/training/settings")
		wantStatus(t, res, "", http.StatusForbidden)
		// A second time: refused, with the reason above the record.
		res, body = qm.post(viewerP+"/induction", nil)
		if res.StatusCode != http.StatusConflict && res.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("a second plan: status %d", res.StatusCode)
		}
		trpHas(t, "a second plan refused", body, `class="error-summary"`, "Persoana are deja un plan de inducție.", "Fișa de instruire: Alfa Ștefănescu Țiței")
	})
}

// TestTrainingInductionPages is the list of induction plans (filters, sort,
// export), a plan's page, its cancellation (stale, then right), who may
// see what, and the settings form.
func TestTrainingInductionPages(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		sd := trpSeed(t, f)
		// The other new employee's plan is late.
		if _, err := d.W.Exec(`UPDATE training_inductions SET start_on = '2026-10-01', due_on = '2026-11-01' WHERE id = $1`, sd.OtherPlan.ID); err != nil {
			t.Fatal(err)
		}
		qm := f.login(t, sd.QMUser)
		res, body := qm.get("/training/inductions")
		wantStatus(t, res, body, http.StatusOK)
		trpHas(t, "the induction list", body, "Planuri de inducție", "Alfa Pârvu Ștefania", "Alfa Oancea Radu", "depășit cu 22 de zile", "0 / 1 acțiuni",
			"mai sunt 30 de zile", "/training/inductions/export.xlsx", `aria-sort="none"`)
		res, body = qm.get("/training/inductions?overdue=1")
		wantStatus(t, res, body, http.StatusOK)
		trpHas(t, "the overdue plans", body, "Alfa Oancea Radu")
		trpLacks(t, "the overdue plans", body, "Alfa Pârvu Ștefania")
		res, body = qm.get("/training/inductions?unit=" + strconv.FormatInt(f.A.Unit.ID, 10) + "&q=parvu")
		wantStatus(t, res, body, http.StatusOK)
		trpHas(t, "the plans of the economic directorate", body, "Alfa Pârvu Ștefania")
		trpLacks(t, "the plans of the economic directorate", body, "Alfa Oancea Radu")
		res, body = qm.get("/training/inductions?sort=-due")
		wantStatus(t, res, body, http.StatusOK)
		if i, j := strings.Index(body, "Alfa Pârvu Ștefania"), strings.Index(body, "Alfa Oancea Radu"); i < 0 || j < 0 || i > j {
			t.Error("sorted by due day, latest first, the later plan does not come first")
		}
		trpHas(t, "the sorted list", body, `aria-sort="descending"`)
		res, body = qm.get("/training/inductions?state=completed")
		wantStatus(t, res, body, http.StatusOK)
		trpHas(t, "the completed plans", body, "Niciun plan de inducție nu corespunde filtrului.")
		res, body = qm.get("/training/inductions/export.xlsx?overdue=1")
		sheets := trpXLSX(t, res, body)
		rows := sheets["Planuri de inducție"]
		if len(rows) != 2 || rows[1][0] != "Alfa Oancea Radu" || !trpRowsHave(rows, "depășit cu 22 de zile") {
			t.Errorf("the overdue export is %v", rows)
		}

		// The plan's page: the quality manager may cancel it; the person
		// sees their own plan, not another's.
		plan := "/training/inductions/" + strconv.FormatInt(sd.EmpPlan.ID, 10)
		res, body = qm.get(plan)
		wantStatus(t, res, body, http.StatusOK)
		trpHas(t, "the plan's page", body, "Planul de inducție: Alfa Pârvu Ștefania", "Instruire obligatorie", "/training/programmes/"+strconv.FormatInt(sd.Programme.ID, 10),
			"neîndeplinit", `action="`+plan+`/cancel"`, "data-confirm")
		ec := f.login(t, sd.EmpUser)
		res, body = ec.get(plan)
		wantStatus(t, res, body, http.StatusOK)
		trpLacks(t, "the employee's own plan", body, `action="`+plan+`/cancel"`)
		res, body = ec.get("/training/inductions")
		wantStatus(t, res, body, http.StatusOK)
		trpHas(t, "the employee's list", body, "Alfa Pârvu Ștefania")
		trpLacks(t, "the employee's list", body, "Alfa Oancea Radu")
		if res, _ = ec.get("/training/inductions/" + strconv.FormatInt(sd.OtherPlan.ID, 10)); res.StatusCode != http.StatusNotFound && res.StatusCode != http.StatusForbidden {
			t.Errorf("an employee opened another's plan: %d", res.StatusCode)
		}
		res, _ = ec.post(plan+"/cancel", url.Values{"version": {strconv.Itoa(sd.EmpPlan.Version)}})
		wantStatus(t, res, "", http.StatusForbidden)
		vc := f.login(t, "alfa.viewer")
		res, body = vc.get("/training/inductions")
		wantStatus(t, res, body, http.StatusOK)
		trpHas(t, "the viewer's list", body, "Induction plans", "No induction plan matches the filter.")

		// Cancel: a stale version is explained, the right one cancels.
		res, body = qm.post(plan+"/cancel", url.Values{"version": {strconv.Itoa(sd.EmpPlan.Version + 5)}})
		wantStatus(t, res, body, http.StatusConflict)
		trpHas(t, "the stale cancellation", body, "modificată între timp de altcineva", "Planul de inducție: Alfa Pârvu Ștefania")
		res, _ = qm.post(plan+"/cancel", url.Values{"version": {strconv.Itoa(sd.EmpPlan.Version)}})
		wantStatus(t, res, "", http.StatusSeeOther)
		res, body = qm.get(plan)
		wantStatus(t, res, body, http.StatusOK)
		trpHas(t, "the cancelled plan", body, "Planul de inducție a fost anulat.", "Anulat")
		trpLacks(t, "the cancelled plan", body, `action="`+plan+`/cancel"`)
		_, body = qm.get("/training/people/" + strconv.FormatInt(sd.EmpP.ID, 10))
		trpHas(t, "the record of a cancelled plan", body, "Reîncepe planul de inducție")
		in, err := f.Srv.training.Induction(context.Background(), sd.QM, sd.EmpPlan.ID)
		if err != nil || in.State != training.InductionCancelled {
			t.Errorf("the plan is %+v (%v)", in, err)
		}
		var open int
		if err := d.R.QueryRow(`SELECT COUNT(*) FROM tasks WHERE tenant_id = $1 AND state = 'open' AND module = $2 AND entity = $3
				AND entity_id IN (SELECT id FROM training_induction_items WHERE induction_id = $4)`,
			f.A.Inst.ID, training.Module, training.EntityInductionItem, sd.EmpPlan.ID).Scan(&open); err != nil || open != 0 {
			t.Errorf("the cancelled plan left %d open tasks (%v)", open, err)
		}

		// The settings.
		res, _ = ec.get("/training/settings")
		wantStatus(t, res, "", http.StatusForbidden)
		res, body = qm.get("/training/settings")
		wantStatus(t, res, body, http.StatusOK)
		trpHas(t, "the settings", body, "Setări instruire", `value="30"`, `value="60"`)
		res, body = qm.post("/training/settings", url.Values{"version": {"0"}, "training_settings_induction_days": {"treizeci"}, "training_settings_renewal_days": {"90"}})
		wantStatus(t, res, body, http.StatusUnprocessableEntity)
		trpHas(t, "the settings with a word for a number", body, "introduceți un număr întreg de zile", `value="treizeci"`, `value="90"`)
		res, body = qm.post("/training/settings", url.Values{"version": {"0"}, "training_settings_induction_days": {"2"}, "training_settings_renewal_days": {"90"}})
		wantStatus(t, res, body, http.StatusUnprocessableEntity)
		trpHas(t, "the settings out of bounds", body, `id="e-training_settings_induction_days"`, "între 5 și 180 de zile", `value="2"`)
		res, _ = qm.post("/training/settings", url.Values{"version": {"0"}, "training_settings_induction_days": {"45"}, "training_settings_renewal_days": {"90"}})
		wantStatus(t, res, "", http.StatusSeeOther)
		res, body = qm.post("/training/settings", url.Values{"version": {"0"}, "training_settings_induction_days": {"20"}, "training_settings_renewal_days": {"90"}})
		wantStatus(t, res, body, http.StatusConflict)
		trpHas(t, "the stale settings", body, "modificată între timp de altcineva", `value="20"`)
		st, err := f.Srv.training.Settings(context.Background(), sd.QM)
		if err != nil || st.InductionDays != 45 || st.RenewalDays != 90 || st.Version != 1 {
			t.Errorf("the settings are %+v (%v)", st, err)
		}
	})
}
