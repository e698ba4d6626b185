package web

import (
	"bytes"
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"cadran/internal/audits"
	"cadran/internal/auth"
	"cadran/internal/db"
	"cadran/internal/db/dbtest"
	"cadran/internal/extract"
	"cadran/internal/improvement"
	"cadran/internal/org"
)

// iauditUsers signs in the quality manager, the auditor on the fixture's
// audit, and an auditor who is not on it.
func iauditUsers(t *testing.T, f *fixture, x iauditFixture) (qm, onTeam, offTeam *client) {
	t.Helper()
	ctx := context.Background()
	as := &auth.Service{DB: f.DB, Clock: f.Clock}
	o := &org.Service{DB: f.DB, Clock: f.Clock}
	mk := func(name string, person int64, role auth.Role) *client {
		if _, err := as.CreateUser(ctx, x.sys, auth.UserInput{Username: name, DisplayName: name, Password: testPassword, PersonID: person, Locale: "ro", Roles: []auth.Role{role}}); err != nil {
			t.Fatal(err)
		}
		return f.login(t, name)
	}
	other, err := o.CreatePerson(ctx, x.sys, org.PersonInput{UnitID: f.A.Unit.ID, FullName: "Alfa Verificatorul Altul", Position: org.PositionExecution, Employment: org.EmploymentCivilServant, Active: true})
	if err != nil {
		t.Fatal(err)
	}
	return mk("alfa.calitate", 0, auth.RoleQualityManager), mk("alfa.auditor", x.auditorID, auth.RoleAuditor), mk("alfa.auditor2", other.ID, auth.RoleAuditor)
}

func TestIauditPlanFormKeepsInputAndRefusesOwnUnit(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		x := newIauditFixture(t, f)
		qm, _, _ := iauditUsers(t, f, x)
		before := auditCount(t, d, f.A.Inst.ID)
		person := strconv.FormatInt(x.auditorID, 10)
		// No scope, no clauses: errors named, what was typed kept.
		res, body := qm.post("/audits", url.Values{"audit_title": {"Auditul registraturii țintă"}, "unit_id": {strconv.FormatInt(f.A.SubUnit.ID, 10)},
			"lead_id": {person}, "audit_start": {"2026-12-07"}, "audit_end": {"2026-12-08"}, "agenda_activity_0": {"Ședința de deschidere"}, "agenda_day_0": {"2026-12-07"}})
		wantStatus(t, res, body, http.StatusUnprocessableEntity)
		for _, want := range []string{`value="Auditul registraturii țintă"`, `aria-invalid="true"`, "Domeniul auditului", "Alegeți cel puțin o cerință", `value="Ședința de deschidere"`} {
			if !strings.Contains(body, want) {
				t.Errorf("the refused plan lacks %q", want)
			}
		}
		// The auditor works in the audit compartment: they may not audit it.
		var capi int64
		if err := d.R.QueryRow(`SELECT unit_id FROM people WHERE id = $1`, x.auditorID).Scan(&capi); err != nil {
			t.Fatal(err)
		}
		res, body = qm.post("/audits", url.Values{"audit_title": {"Auditul auditului"}, "unit_id": {strconv.FormatInt(capi, 10)}, "audit_scope": {"Auditul public intern"},
			"audit_clauses": {"9.2"}, "lead_id": {person}, "audit_start": {"2026-12-07"}, "audit_end": {"2026-12-08"}})
		wantStatus(t, res, body, http.StatusUnprocessableEntity)
		if !strings.Contains(body, "nu poate audita compartimentul în care lucrează") || !strings.Contains(body, "Alfa Auditorescu Ștefana") {
			t.Error("the independence refusal does not name the auditor")
		}
		if n := auditCount(t, d, f.A.Inst.ID); n != before {
			t.Errorf("refused plans left %d audit events", n-before)
		}
		// A valid plan from the programme row: saved, tasks handed out.
		res, body = qm.post("/audits", url.Values{"audit_title": {"Auditul bugetului, al doilea"}, "unit_id": {strconv.FormatInt(f.A.Unit.ID, 10)}, "audit_scope": {"Execuția bugetară"},
			"audit_clauses": {"8.5.1", "9.1.2"}, "lead_id": {person}, "audit_start": {"2026-12-07"}, "audit_end": {"2026-12-08"}, "programme_item_id": {strconv.FormatInt(x.item.ID, 10)},
			"audit_procedures": {strconv.FormatInt(f.A.Doc.ID, 10)}})
		wantStatus(t, res, body, http.StatusSeeOther)
		res, body = qm.get(res.Header.Get("Location"))
		wantStatus(t, res, body, http.StatusOK)
		if !strings.Contains(body, "AI-2026-02") || !strings.Contains(body, "a fost planificat") || !strings.Contains(body, "9.1.2") {
			t.Error("the new audit's page lacks its code, the flash or its clauses")
		}
		// The programme shows both audits under November's row.
		res, body = qm.get("/audits/programme?year=2026")
		wantStatus(t, res, body, http.StatusOK)
		if !strings.Contains(body, "AI-2026-01") || !strings.Contains(body, "AI-2026-02") || !strings.Contains(body, "Noiembrie") {
			t.Error("the programme page does not list the audits planned from its row")
		}
	})
}

func TestIauditPermissionsAndFindingToRegister(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		x := newIauditFixture(t, f)
		_, onTeam, offTeam := iauditUsers(t, f, x)
		viewer := f.login(t, "alfa.viewer")
		path := "/audits/" + strconv.FormatInt(x.audit.ID, 10)
		it := x.items[1]
		itk := strconv.FormatInt(it.ID, 10)
		form := url.Values{"item": {itk}, "version_" + itk: {strconv.Itoa(it.Version)}, "question_" + itk: {it.Question}, "evidence_" + itk: {"Dosare verificate"}, "verdict_" + itk: {"conform"}}
		finding := url.Values{"finding_kind": {"major"}, "finding_clause": {"8.5.1"}, "finding_evidence": {"Bugetul a fost aprobat după termenul legal."},
			"finding_requirement": {"Termenul de aprobare a bugetului local"}, "finding_item": {itk}}
		// The viewer reads but records nothing.
		res, body := viewer.get(path)
		wantStatus(t, res, body, http.StatusOK)
		if strings.Contains(body, `action="`+path+`/checklist"`) || strings.Contains(body, `action="`+path+`/findings"`) || !strings.Contains(body, x.items[0].Question) {
			t.Error("the viewer sees the recording forms, or not the checklist")
		}
		for _, c := range []*client{viewer, offTeam} {
			res, body = c.post(path+"/checklist", form)
			wantStatus(t, res, body, http.StatusForbidden)
			res, body = c.post(path+"/findings", finding)
			wantStatus(t, res, body, http.StatusForbidden)
		}
		res, body = offTeam.get(path)
		wantStatus(t, res, body, http.StatusOK)
		if strings.Contains(body, `action="`+path+`/findings"`) {
			t.Error("an auditor not on the team is offered the finding form")
		}
		// The auditor on the team: a nonconforming verdict without evidence
		// is refused with the typed notes kept.
		bad := url.Values{"item": {itk}, "version_" + itk: {strconv.Itoa(it.Version)}, "question_" + itk: {it.Question}, "notes_" + itk: {""}, "evidence_" + itk: {""}, "verdict_" + itk: {"minor"}}
		res, body = onTeam.post(path+"/checklist", bad)
		wantStatus(t, res, body, http.StatusUnprocessableEntity)
		if !strings.Contains(body, "Întrebarea nr. 2") || !strings.Contains(body, `id="e-evidence_`+itk+`"`) {
			t.Error("the refused checklist does not say which question and field")
		}
		res, body = onTeam.post(path+"/checklist", form)
		wantStatus(t, res, body, http.StatusSeeOther)
		res, body = onTeam.post(path+"/findings", url.Values{"finding_kind": {"major"}, "finding_clause": {"8.5.1"}, "finding_evidence": {""}})
		wantStatus(t, res, body, http.StatusUnprocessableEntity)
		res, body = onTeam.post(path+"/findings", finding)
		wantStatus(t, res, body, http.StatusSeeOther)
		res, body = onTeam.get(path)
		wantStatus(t, res, body, http.StatusOK)
		var ncID int64
		var ncCode string
		if err := d.R.QueryRow(`SELECT n.id, n.code FROM audit_findings f JOIN nonconformities n ON n.id = f.nc_id WHERE f.audit_id = $1 AND f.seq = 2`, x.audit.ID).Scan(&ncID, &ncCode); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(body, "/nonconformities/"+strconv.FormatInt(ncID, 10)) || !strings.Contains(body, ncCode) {
			t.Error("the finding does not link to its case")
		}
		res, body = viewer.get("/nonconformities?source=internal_audit")
		wantStatus(t, res, body, http.StatusOK)
		if !strings.Contains(body, ncCode) {
			t.Error("the finding's case is not in the nonconformity register")
		}
		n, err := f.Srv.improve.Nonconformity(context.Background(), x.sys, ncID)
		if err != nil || n.Severity != improvement.SeverityMajor || n.SourceRef != x.audit.Code || n.SourceModule != audits.Module {
			t.Errorf("the case %+v (%v)", n, err)
		}
		// The report: conclusions needed to close; the PDF reads in Romanian.
		x2, _ := x.svc.Audit(context.Background(), x.sys, x.audit.ID)
		res, body = onTeam.post(path+"/step", url.Values{"action": {"finish"}, "version": {strconv.Itoa(x2.Version)}})
		wantStatus(t, res, body, http.StatusSeeOther)
		x2, _ = x.svc.Audit(context.Background(), x.sys, x.audit.ID)
		res, body = onTeam.post(path+"/step", url.Values{"action": {"close"}, "version": {strconv.Itoa(x2.Version)}})
		wantStatus(t, res, body, http.StatusUnprocessableEntity)
		if !strings.Contains(body, "Scrieți concluziile raportului") {
			t.Error("closing without conclusions is not explained")
		}
		res, body = onTeam.post(path+"/report", url.Values{"audit_summary": {"Auditul s-a desfășurat conform agendei."}, "audit_conclusions": {"Sistemul este implementat; o neconformitate majoră privind termenele."},
			"audit_distribution": {"Primar; Direcția Economică"}, "version": {strconv.Itoa(x2.Version)}})
		wantStatus(t, res, body, http.StatusSeeOther)
		x2, _ = x.svc.Audit(context.Background(), x.sys, x.audit.ID)
		res, body = onTeam.post(path+"/step", url.Values{"action": {"close"}, "version": {strconv.Itoa(x2.Version)}})
		wantStatus(t, res, body, http.StatusSeeOther)
		res, pdf := onTeam.get(path + "/report.pdf")
		wantStatus(t, res, "", http.StatusOK)
		text, err := extract.Text(extract.PDF, bytes.NewReader([]byte(pdf)), int64(len(pdf)), 1_000_000)
		if err != nil {
			t.Fatal(err)
		}
		for _, want := range []string{"Raport de audit intern", x.audit.Code, "majoră", ncCode, "Concluzii", "Sistemul este implementat", "Alfa Auditorescu Ștefana", "Semnături"} {
			if !strings.Contains(text, want) {
				t.Errorf("the PDF report lacks %q", want)
			}
		}
		if strings.ContainsAny(text, "şţ") {
			t.Error("the PDF report has cedilla letters")
		}
		res, docx := onTeam.get(path + "/report.docx")
		wantStatus(t, res, "", http.StatusOK)
		dtext, err := extract.Text(extract.DOCX, bytes.NewReader([]byte(docx)), int64(len(docx)), 1_000_000)
		if err != nil || !strings.Contains(dtext, "Desfășurarea auditului") {
			t.Errorf("the DOCX report: %v", err)
		}
		// The viewer reads it in English.
		res, pdf = viewer.get(path + "/report.pdf")
		wantStatus(t, res, "", http.StatusOK)
		if text, err := extract.Text(extract.PDF, bytes.NewReader([]byte(pdf)), int64(len(pdf)), 1_000_000); err != nil || !strings.Contains(text, "Internal audit report") {
			t.Errorf("the English PDF report: %v", err)
		}
		res, body = viewer.get("/audits/programme/export.pdf?year=2026")
		wantStatus(t, res, body, http.StatusOK)
		res, body = viewer.get("/audits/export.xlsx?year=2026")
		wantStatus(t, res, body, http.StatusOK)
		if !strings.HasPrefix(body, "PK") {
			t.Error("the XLSX export is not a workbook")
		}
	})
}
