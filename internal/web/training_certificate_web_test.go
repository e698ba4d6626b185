package web

import (
	"bytes"
	"context"
	"mime/multipart"
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

// trcPDF is the smallest file a PDF sniffer recognises: a scan.
var trcPDF = []byte("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")

// trcPeople are institution A's people of the certificate and matrix tests,
// besides the fixture's: an inspector of the budget service (an employee
// who signs in, in English), and the head of the economic directorate.
type trcPeople struct {
	Emp, Head         int64
	EmpUser, HeadUser string
}

// trcUser adds a person of institution A with a user holding role.
func trcUser(t *testing.T, f *fixture, username, name, job string, unit int64, role auth.Role, locale string) int64 {
	t.Helper()
	ctx := context.Background()
	sys := auth.SystemActor(f.A.Inst.ID, "test")
	o := &org.Service{DB: f.DB, Clock: f.Clock}
	p, err := o.CreatePerson(ctx, sys, org.PersonInput{UnitID: unit, FullName: name, JobTitle: job, Position: org.PositionExecution,
		Employment: org.EmploymentCivilServant, Active: true})
	if err != nil {
		t.Fatal(err)
	}
	as := &auth.Service{DB: f.DB, Clock: f.Clock}
	if _, err := as.CreateUser(ctx, sys, auth.UserInput{Username: username, DisplayName: name, Password: testPassword, Roles: []auth.Role{role}, Locale: locale, PersonID: p.ID}); err != nil {
		t.Fatal(err)
	}
	return p.ID
}

// trcSetUp makes A's administrator the quality manager too, and adds the
// employee and the head of unit.
func trcSetUp(t *testing.T, f *fixture) trcPeople {
	t.Helper()
	citizenGrant(t, f, f.A.Inst.ID, f.A.Admin.ID, string(auth.RoleQualityManager))
	return trcPeople{
		Emp:     trcUser(t, f, "alfa.inspector", "Alfa Mureșan Ștefania", "Inspector", f.A.SubUnit.ID, auth.RoleEmployee, "en"),
		Head:    trcUser(t, f, "alfa.director", "Alfa Țurcanu Petru", "Director executiv", f.A.Unit.ID, auth.RoleHeadOfUnit, "ro"),
		EmpUser: "alfa.inspector", HeadUser: "alfa.director",
	}
}

// trcUpload posts a multipart form with a file in field, as a browser does.
func (c *client) trcUpload(path, field, name string, content []byte, fields url.Values) (*http.Response, string) {
	c.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, vs := range fields {
		for _, v := range vs {
			mw.WriteField(k, v)
		}
	}
	if name != "" {
		fw, _ := mw.CreateFormFile(field, name)
		fw.Write(content)
	}
	mw.Close()
	req, _ := http.NewRequest("POST", c.base+path, &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return c.do(req)
}

// trcNotIn fails when body shows any of avoid.
func trcNotIn(t *testing.T, what, body string, avoid ...string) {
	t.Helper()
	for _, a := range avoid {
		if strings.Contains(body, a) {
			t.Errorf("%s shows %q", what, a)
		}
	}
}

// trcXLSX opens a workbook download.
func trcXLSX(t *testing.T, res *http.Response, body string) *excelize.File {
	t.Helper()
	wantStatus(t, res, body, http.StatusOK)
	if ct := res.Header.Get("Content-Type"); !strings.Contains(ct, "spreadsheetml") {
		t.Fatalf("%s: content type %q", res.Request.URL.Path, ct)
	}
	x, err := excelize.OpenReader(bytes.NewReader([]byte(body)))
	if err != nil {
		t.Fatalf("%s is not a workbook: %v", res.Request.URL.Path, err)
	}
	t.Cleanup(func() { x.Close() })
	return x
}

func trcID(t *testing.T, res *http.Response, prefix string) string {
	t.Helper()
	loc := res.Header.Get("Location")
	if !strings.HasPrefix(loc, prefix) {
		t.Fatalf("redirected to %q, want %s…", loc, prefix)
	}
	return strings.TrimPrefix(strings.SplitN(loc, "#", 2)[0], prefix)
}

// TestTrainingCertificateFlow walks a certificate's life through the
// pages: a competence and what requires it, the matrix showing the gap, a
// certificate with its scan closing it, the scan's download, bad input
// kept in the form, the list's filters and export, revoking, and who may
// see and do what.
func TestTrainingCertificateFlow(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		pp := trcSetUp(t, f)
		qm := f.login(t, f.A.Username) // Romanian
		emp := f.login(t, pp.EmpUser)  // English
		head := f.login(t, pp.HeadUser)
		viewer := f.login(t, "alfa.viewer")
		emp64 := strconv.FormatInt(pp.Emp, 10)

		// The competence: a bad form keeps what was typed.
		res, body := qm.post("/training/competences", url.Values{"training_comp_code": {"c audit!"}, "training_comp_name": {"Audit intern în instituții"}, "training_comp_area": {"audit"}, "training_comp_validity": {"doi"}})
		wantStatus(t, res, body, http.StatusUnprocessableEntity)
		wantIn(t, "the refused competence", body, "Verificați câmpurile marcate", `aria-invalid="true"`, `value="Audit intern în instituții"`, `value="doi"`,
			"numărul de luni trebuie să fie un număr întreg", `href="#f-training_comp_validity"`)
		res, body = qm.post("/training/competences", url.Values{"training_comp_code": {"c-iso"}, "training_comp_name": {"Managementul calității (ISO 9001)"},
			"training_comp_area": {"quality"}, "training_comp_validity": {"0"}, "training_comp_active": {"1"}})
		wantStatus(t, res, body, http.StatusSeeOther)
		comp := trcID(t, res, "/training/competences/")

		// The job "inspector" (any case, any diacritics) requires it at
		// level 2; the head of unit is not concerned.
		res, body = qm.post("/training/competences/"+comp+"/requirements", url.Values{"training_req_kind": {"job"}, "training_req_job": {""}, "training_req_level": {"2"}})
		wantStatus(t, res, body, http.StatusUnprocessableEntity)
		wantIn(t, "a requirement without a job", body, `id="f-training_req_job"`, "câmp obligatoriu")
		res, body = qm.post("/training/competences/"+comp+"/requirements", url.Values{"training_req_kind": {"job"}, "training_req_job": {"inspector"}, "training_req_level": {"2"}})
		wantStatus(t, res, body, http.StatusSeeOther)
		res, body = qm.get("/training/competences/" + comp)
		wantStatus(t, res, body, http.StatusOK)
		wantIn(t, "the competence's page", body, "C-ISO · Managementul calității (ISO 9001)", "Cine are nevoie de această competență", "inspector", "2 · Practician",
			`list="training-jobs"`, `<option value="Inspector">`, `<option value="auditor">`, "Nimeni nu deține această competență")

		// The matrix: the inspector has a gap.
		res, body = qm.get("/training/matrix")
		wantStatus(t, res, body, http.StatusOK)
		wantIn(t, "the matrix", body, "Matricea competențelor", "Sinteză pe compartimente", `<abbr title="Managementul calității (ISO 9001)">C-ISO</abbr>`,
			"/training/people/"+emp64, "Alfa Mureșan Ștefania", `class="tmx-c tmx-gap">2/0`, "Lipsă", "Alfa Serviciul Buget", "training_matrix")

		// A certificate for the inspector: bad input first, kept.
		cert := url.Values{"training_cert_person": {emp64}, "training_cert_name": {"Responsabil cu managementul calității"}, "training_cert_number": {"Seria RMC nr. 1234"},
			"training_cert_issuer": {"Asociația Română pentru Calitate"}, "training_cert_hours": {"40"}, "training_cert_competence": {comp}, "training_cert_level": {"2"},
			"training_cert_issued_on": {"2026-11-02"}, "training_cert_expires_on": {"2026-10-01"}, "training_cert_notes": {"Curs în două module"}}
		res, body = qm.trcUpload("/training/certificates", "training_cert_scan", "certificat.pdf", trcPDF, cert)
		wantStatus(t, res, body, http.StatusUnprocessableEntity)
		wantIn(t, "the refused certificate", body, `href="#f-training_cert_expires_on"`, `value="Seria RMC nr. 1234"`, "Curs în două module", `value="2026-10-01"`,
			`enctype="multipart/form-data"`, "alegeți-l din nou")
		cert.Set("training_cert_expires_on", "2029-11-02")
		res, body = qm.trcUpload("/training/certificates", "training_cert_scan", "certificat.pdf", []byte("nu este un PDF, doar text"), cert)
		wantStatus(t, res, body, http.StatusUnprocessableEntity)
		wantIn(t, "a text file as a scan", body, `href="#f-training_cert_scan"`)
		res, body = qm.trcUpload("/training/certificates", "training_cert_scan", "certificat RMC.pdf", trcPDF, cert)
		wantStatus(t, res, body, http.StatusSeeOther)
		id := trcID(t, res, "/training/certificates/")
		res, body = qm.get("/training/certificates/" + id)
		wantStatus(t, res, body, http.StatusOK)
		wantIn(t, "the certificate's page", body, "Înregistrarea a fost creată.", "Responsabil cu managementul calității", "Seria RMC nr. 1234",
			"Asociația Română pentru Calitate", "40 de ore", "/training/certificates/"+id+"/scan", "certificat RMC.pdf", "PDF", "Valabil", "2 · Practician",
			"Revocă certificatul", `data-confirm="Sigur doriți să revocați`, "/training/certificates/new?renews="+id)

		// The scan comes back as it went, never sniffed.
		res, body = qm.get("/training/certificates/" + id + "/scan")
		wantStatus(t, res, body, http.StatusOK)
		if res.Header.Get("Content-Type") != "application/pdf" || res.Header.Get("X-Content-Type-Options") != "nosniff" ||
			!strings.HasPrefix(res.Header.Get("Content-Disposition"), "attachment") || !strings.Contains(res.Header.Get("Content-Disposition"), `filename="certificat RMC.pdf"`) ||
			body != string(trcPDF) {
			t.Errorf("scan: %v %q", res.Header, body)
		}

		// The matrix changes: the gap is closed.
		_, body = qm.get("/training/matrix?unit=" + strconv.FormatInt(f.A.SubUnit.ID, 10))
		wantIn(t, "the matrix after the certificate", body, `class="tmx-c tmx-ok" title="expiră la 02.11.2029">2/2`)
		trcNotIn(t, "the matrix after the certificate", body, "tmx-c tmx-gap")
		_, body = qm.get("/training/competences/" + comp)
		wantIn(t, "the holders", body, "Cine o deține acum", "/training/people/"+emp64, "Deținută")

		// The list, its filters and its export.
		_, body = qm.get("/training/certificates")
		wantIn(t, "the list", body, "Certificate", "Responsabil cu managementul calității", "Alfa Mureșan Ștefania", "Valabil", `aria-sort="descending"`)
		_, body = qm.get("/training/certificates?expiry=expired")
		wantIn(t, "the expired ones", body, "Nu există certificate care să corespundă filtrului.")
		_, body = qm.get("/training/certificates?q=rmc+nr.+1234&expiry=valid")
		wantIn(t, "a search", body, "Responsabil cu managementul calității")
		res, body = qm.get("/training/certificates/export.xlsx?expiry=valid")
		x := trcXLSX(t, res, body)
		rows, _ := x.GetRows(x.GetSheetName(0))
		if len(rows) != 2 || rows[0][0] != "Persoana" || rows[1][0] != "Alfa Mureșan Ștefania" || rows[1][2] != "Responsabil cu managementul calității" || rows[1][11] != "Valabil" {
			t.Errorf("export rows: %q", rows)
		}

		// Who may see what: the employee their own, in English; the
		// viewer (another person) nothing of it; the head of unit their
		// units'. Only the quality office records.
		res, body = emp.get("/training/certificates")
		wantStatus(t, res, body, http.StatusOK)
		wantIn(t, "the employee's list", body, "Certificates", "Responsabil cu managementul calității", "Valid")
		trcNotIn(t, "the employee's list", body, "Add a certificate")
		for _, path := range []string{"/training/certificates/new", "/training/certificates/" + id + "/edit", "/training/competences/new"} {
			if res, _ := emp.get(path); res.StatusCode != http.StatusForbidden {
				t.Errorf("the employee reached %s: %d", path, res.StatusCode)
			}
		}
		for path, form := range map[string]url.Values{"/training/certificates/" + id + "/revoke": {"version": {"1"}}, "/training/competences": {"training_comp_code": {"X"}},
			"/training/competences/" + comp + "/requirements": {"training_req_kind": {"everyone"}, "training_req_level": {"1"}}} {
			if res, _ := emp.post(path, form); res.StatusCode != http.StatusForbidden {
				t.Errorf("the employee posted %s: %d", path, res.StatusCode)
			}
		}
		res, body = emp.get("/training/matrix")
		wantStatus(t, res, body, http.StatusOK)
		wantIn(t, "the employee's matrix", body, "Competence matrix", "The competences your job and roles require", "Alfa Mureșan Ștefania")
		trcNotIn(t, "the employee's matrix", body, "Alfa Ștefănescu Țiței", "Alfa Țurcanu Petru")
		if res, _ := viewer.get("/training/certificates/" + id); res.StatusCode != http.StatusNotFound {
			t.Errorf("another person read the certificate: %d", res.StatusCode)
		}
		if res, _ := viewer.get("/training/certificates/" + id + "/scan"); res.StatusCode != http.StatusNotFound {
			t.Errorf("another person downloaded the scan: %d", res.StatusCode)
		}
		_, body = viewer.get("/training/certificates")
		trcNotIn(t, "the viewer's list", body, "Responsabil cu managementul calității")
		res, body = head.get("/training/certificates/" + id)
		wantStatus(t, res, body, http.StatusOK)
		trcNotIn(t, "the head's view of a certificate", body, "Revocă certificatul")

		// Revoking: confirmed in the page, the competence lapses.
		before := auditCount(t, d, f.A.Inst.ID)
		res, body = qm.post("/training/certificates/"+id+"/revoke", url.Values{"version": {"1"}})
		wantStatus(t, res, body, http.StatusSeeOther)
		if n := auditCount(t, d, f.A.Inst.ID); n <= before {
			t.Error("revoking left no audit event")
		}
		_, body = qm.get("/training/certificates/" + id)
		wantIn(t, "the revoked certificate", body, "Certificatul a fost revocat.", "Revocat")
		trcNotIn(t, "the revoked certificate", body, "Revocă certificatul")
		_, body = qm.get("/training/certificates?expiry=revoked")
		wantIn(t, "the revoked filter", body, "Responsabil cu managementul calității")
		_, body = qm.get("/training/matrix?gaps=1")
		wantIn(t, "the matrix after revoking", body, `class="tmx-c tmx-gap">2/0`, "Alfa Mureșan Ștefania")
	})
}

// TestTrainingCertificateFromEnrolmentAndRenewal prefills the form from a
// completed enrolment (the session page's link), and a renewal from the
// certificate renewed.
func TestTrainingCertificateFromEnrolmentAndRenewal(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		pp := trcSetUp(t, f)
		qm := f.login(t, f.A.Username)
		ctx := context.Background()
		sys := auth.SystemActor(f.A.Inst.ID, "test")
		svc := f.Srv.training
		comp, err := svc.CreateCompetence(ctx, sys, training.CompetenceInput{Code: "C-AUDIT", Name: "Audit intern", Area: training.TopicAudit, Active: true})
		if err != nil {
			t.Fatal(err)
		}
		prog, err := svc.CreateProgramme(ctx, sys, training.ProgrammeInput{Code: "P-AI-2026", Title: "Auditor intern în sectorul public", Topic: training.TopicAudit,
			Provider: "Școala de Finanțe Publice", Hours: 24, Certificate: "Certificat de auditor intern", CertificateMonths: 36, CompetenceID: comp.ID,
			CompetenceLevel: 2, MinAttendance: 80, Active: true})
		if err != nil {
			t.Fatal(err)
		}
		ses, err := svc.CreateSession(ctx, sys, training.SessionInput{ProgrammeID: prog.ID, StartOn: "2026-11-16", EndOn: "2026-11-17", Place: "Sala de consiliu", Trainer: "Ionescu Maria"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Enrol(ctx, sys, ses.ID, []int64{pp.Emp}); err != nil {
			t.Fatal(err)
		}
		es, err := svc.Enrolments(ctx, sys, ses.ID)
		if err != nil || len(es) != 1 {
			t.Fatalf("enrolments %+v, %v", es, err)
		}
		path := "/training/certificates/new?enrolment=" + strconv.FormatInt(es[0].ID, 10) + "&session=" + strconv.FormatInt(ses.ID, 10)
		res, body := qm.get(path)
		wantStatus(t, res, body, http.StatusOK)
		wantIn(t, "the form from an enrolment", body, "Alfa Mureșan Ștefania, înscris la sesiunea", "Auditor intern în sectorul public",
			`value="Certificat de auditor intern"`, `value="Școala de Finanțe Publice"`, `name="training_cert_enrolment" value="`+strconv.FormatInt(es[0].ID, 10)+`"`)
		trcNotIn(t, "the form from an enrolment", body, `id="f-training_cert_person"`)
		// Not completed yet: the domain says so beside the enrolment.
		res, body = qm.trcUpload("/training/certificates", "training_cert_scan", "", nil, url.Values{"training_cert_enrolment": {strconv.FormatInt(es[0].ID, 10)},
			"training_cert_name": {"Certificat de auditor intern"}, "training_cert_issued_on": {"2026-11-17"}, "training_cert_level": {"2"}})
		wantStatus(t, res, body, http.StatusUnprocessableEntity)
		wantIn(t, "an enrolment not completed", body, `href="#f-training_cert_enrolment"`)

		// Held with full attendance and closed: completed. The session
		// page's link carries only the enrolment; the form finds the
		// session from the page the person came from.
		if ses, err = svc.SetSessionState(ctx, sys, ses.ID, training.SessionHeld, ses.Version); err != nil {
			t.Fatal(err)
		}
		if err := svc.SaveAttendance(ctx, sys, ses.ID, map[int64][]string{es[0].ID: {"2026-11-16", "2026-11-17"}}); err != nil {
			t.Fatal(err)
		}
		if ses, err = svc.SetSessionState(ctx, sys, ses.ID, training.SessionClosed, ses.Version); err != nil {
			t.Fatal(err)
		}
		req, _ := http.NewRequest("GET", qm.base+"/training/certificates/new?enrolment="+strconv.FormatInt(es[0].ID, 10), nil)
		req.Header.Set("Referer", qm.base+"/training/sessions/"+strconv.FormatInt(ses.ID, 10))
		res, body = qm.do(req)
		wantStatus(t, res, body, http.StatusOK)
		wantIn(t, "the form from the session page", body, "Alfa Mureșan Ștefania, înscris la sesiunea", "stare: Absolvit", `value="Certificat de auditor intern"`)
		res, body = qm.get("/training/certificates/new?enrolment=" + strconv.FormatInt(es[0].ID, 10))
		wantStatus(t, res, body, http.StatusOK)
		wantIn(t, "the form from an enrolment alone", body, "lăsați denumirea goală pentru a o prelua din program")
		// Saved with the title left empty: the programme gives it, its
		// validity the expiry, the enrolment the person and hours.
		res, body = qm.trcUpload("/training/certificates", "training_cert_scan", "", nil, url.Values{"training_cert_enrolment": {strconv.FormatInt(es[0].ID, 10)},
			"training_cert_number": {"AI-2026-01"}, "training_cert_issued_on": {"2026-11-17"}, "training_cert_level": {"2"}})
		wantStatus(t, res, body, http.StatusSeeOther)
		_, body = qm.get(res.Header.Get("Location"))
		wantIn(t, "the certificate from the enrolment", body, "Certificat de auditor intern", "AI-2026-01", "Alfa Mureșan Ștefania", "17.11.2029", "24 de ore", "P-AI-2026")

		// A certificate recorded for the person, renewed from its page.
		old, err := svc.CreateCertificate(ctx, sys, training.CertificateInput{PersonID: pp.Emp, Name: "Certificat de auditor intern", Number: "AI-0007", Issuer: "ANFP",
			CompetenceID: comp.ID, CompetenceLevel: 2, IssuedOn: "2023-12-01", ExpiresOn: "2026-12-01"}, nil)
		if err != nil {
			t.Fatal(err)
		}
		res, body = qm.get("/training/certificates/" + strconv.FormatInt(old.ID, 10))
		wantStatus(t, res, body, http.StatusOK)
		wantIn(t, "an expiring certificate", body, "Expiră curând", "titularul are o sarcină de reînnoire", "nu a fost încărcată")
		res, body = qm.get("/training/certificates/new?renews=" + strconv.FormatInt(old.ID, 10))
		wantStatus(t, res, body, http.StatusOK)
		wantIn(t, "the renewal form", body, `value="Certificat de auditor intern"`, `value="ANFP"`, "AI-0007",
			`<option value="`+strconv.FormatInt(old.ID, 10)+`" selected>`, `<option value="`+strconv.FormatInt(pp.Emp, 10)+`" selected>`)
		res, body = qm.trcUpload("/training/certificates", "training_cert_scan", "", nil, url.Values{"training_cert_person": {strconv.FormatInt(pp.Emp, 10)},
			"training_cert_name": {"Certificat de auditor intern"}, "training_cert_number": {"AI-0107"}, "training_cert_issued_on": {"2026-11-20"},
			"training_cert_expires_on": {"2029-11-20"}, "training_cert_competence": {strconv.FormatInt(comp.ID, 10)}, "training_cert_level": {"2"},
			"training_cert_renews": {strconv.FormatInt(old.ID, 10)}})
		wantStatus(t, res, body, http.StatusSeeOther)
		_, body = qm.get("/training/certificates/" + strconv.FormatInt(old.ID, 10))
		wantIn(t, "the renewed certificate", body, "Reînnoit prin", "AI-0107", "Reînnoit")
		trcNotIn(t, "the renewed certificate", body, "/training/certificates/new?renews=")

		// The edit form keeps the scan unless a new one is chosen.
		res, body = qm.get("/training/certificates/" + strconv.FormatInt(old.ID, 10) + "/edit")
		wantStatus(t, res, body, http.StatusOK)
		wantIn(t, "the edit form", body, "Modifică certificatul", `value="AI-0007"`, `name="version" value="1"`)
		res, body = qm.trcUpload("/training/certificates/"+strconv.FormatInt(old.ID, 10), "training_cert_scan", "scan.png", []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"),
			url.Values{"training_cert_person": {strconv.FormatInt(pp.Emp, 10)}, "training_cert_name": {"Certificat de auditor intern"}, "training_cert_number": {"AI-0007/b"},
				"training_cert_issued_on": {"2023-12-01"}, "training_cert_expires_on": {"2026-12-01"}, "training_cert_level": {"2"}, "version": {"1"}})
		wantStatus(t, res, body, http.StatusSeeOther)
		res, body = qm.get("/training/certificates/" + strconv.FormatInt(old.ID, 10) + "/scan")
		wantStatus(t, res, body, http.StatusOK)
		if res.Header.Get("Content-Type") != "image/png" || !strings.Contains(res.Header.Get("Content-Disposition"), "scan.png") {
			t.Errorf("the new scan: %v", res.Header)
		}
		// A stale edit: refused, what was typed kept.
		res, body = qm.trcUpload("/training/certificates/"+strconv.FormatInt(old.ID, 10), "training_cert_scan", "", nil,
			url.Values{"training_cert_person": {strconv.FormatInt(pp.Emp, 10)}, "training_cert_name": {"Versiune veche a certificatului"}, "training_cert_issued_on": {"2023-12-01"},
				"training_cert_level": {"2"}, "version": {"1"}})
		wantStatus(t, res, body, http.StatusConflict)
		wantIn(t, "a stale edit", body, "modificată între timp de altcineva", `value="Versiune veche a certificatului"`)
	})
}
