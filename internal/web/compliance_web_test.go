package web

import (
	"bytes"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"cadran/internal/db"
	"cadran/internal/db/dbtest"
)

// cmpQualityManager makes A's administrator the quality manager.
func cmpQualityManager(t *testing.T, f *fixture) {
	t.Helper()
	if _, err := f.DB.W.Exec(`INSERT INTO user_roles (tenant_id, user_id, role) VALUES ($1, $2, 'quality_manager')`, f.A.Inst.ID, f.A.Admin.ID); err != nil {
		t.Fatal(err)
	}
}

func TestComplianceMatrixFormsAndExports(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		cmpQualityManager(t, f)
		qm := f.login(t, f.A.Username)
		viewer := f.login(t, "alfa.viewer")

		res, body := qm.get("/compliance")
		wantStatus(t, res, body, http.StatusOK)
		for _, want := range []string{"Matricea de conformitate ISO 9001", "7.5.3", "Controlul informațiilor documentate", "Neevaluată", "fără dovezi"} {
			if !strings.Contains(body, want) {
				t.Errorf("the matrix lacks %q", want)
			}
		}
		// The fixture's procedure in force is linked to 7.5: one document.
		if !regexp.MustCompile(`(?s)id="clause-7.5".*?un document`).MatchString(body) {
			t.Error("7.5 does not count the procedure linked to it")
		}

		// Not applicable without a justification: refused, what was typed kept.
		res, body = qm.post("/compliance/clauses/8.3", url.Values{"cmp_status": {"not_applicable"}, "note": {"Notă scrisă de mână despre proiectare"}, "version": {"0"}})
		wantStatus(t, res, body, http.StatusUnprocessableEntity)
		for _, want := range []string{"error-summary", `href="#f-cmp_justification"`, "Notă scrisă de mână despre proiectare", `aria-invalid="true"`} {
			if !strings.Contains(body, want) {
				t.Errorf("the refused status form lacks %q", want)
			}
		}
		res, body = qm.post("/compliance/clauses/8.3", url.Values{"cmp_status": {"not_applicable"}, "cmp_justification": {"Primăria nu proiectează servicii noi."}, "version": {"0"}})
		wantStatus(t, res, body, http.StatusSeeOther)
		// A page loaded before that save is stale: refused, input kept.
		res, body = qm.post("/compliance/clauses/8.3", url.Values{"cmp_status": {"implemented"}, "note": {"Text pierdut?"}, "version": {"0"}})
		wantStatus(t, res, body, http.StatusConflict)
		if !strings.Contains(body, "Text pierdut?") {
			t.Error("the stale form lost what was typed")
		}
		_, body = qm.get("/compliance?status=not_applicable")
		if !strings.Contains(body, "exclusă din domeniu") || !strings.Contains(body, "8.3") {
			t.Error("the filter by status does not show 8.3 excluded")
		}

		// Evidence by hand: a bad address is refused, a good one shown, then removed.
		res, body = qm.post("/compliance/clauses/9.1.2/evidence", url.Values{"cmp_ev_title": {"Chestionarul de satisfacție 2026"}, "cmp_ev_url": {"ftp://x"}})
		wantStatus(t, res, body, http.StatusUnprocessableEntity)
		if !strings.Contains(body, "Chestionarul de satisfacție 2026") || !strings.Contains(body, `href="#f-cmp_ev_url"`) {
			t.Error("the refused evidence form lost its input or its error")
		}
		res, _ = qm.post("/compliance/clauses/9.1.2/evidence", url.Values{"cmp_ev_title": {"Chestionarul de satisfacție 2026"}, "cmp_ev_reference": {"Raport nr. 77"}, "cmp_ev_on": {"2026-06-30"}})
		wantStatus(t, res, "", http.StatusSeeOther)
		_, body = qm.get("/compliance/clauses/9.1")
		if !strings.Contains(body, "Chestionarul de satisfacție 2026") {
			t.Fatal("9.1 does not show its sub-clause's evidence")
		}
		var evID string
		if err := d.R.QueryRow(`SELECT CAST(id AS TEXT) FROM compliance_evidence WHERE tenant_id = $1`, f.A.Inst.ID).Scan(&evID); err != nil {
			t.Fatal(err)
		}

		// The viewer reads everything and changes nothing.
		for _, p := range []string{"/compliance", "/compliance/clauses/9.1.2", "/compliance/readiness", "/compliance/audits"} {
			res, body := viewer.get(p)
			wantStatus(t, res, body, http.StatusOK)
			if strings.Contains(body, `action="/compliance/clauses/`) || strings.Contains(body, "/compliance/audits/new") {
				t.Errorf("%s offers the viewer a form", p)
			}
		}
		for p, form := range map[string]url.Values{
			"/compliance/clauses/4.1":                  {"cmp_status": {"implemented"}, "version": {"0"}},
			"/compliance/clauses/4.1/evidence":         {"cmp_ev_title": {"x"}},
			"/compliance/evidence/" + evID + "/delete": {},
			"/compliance/settings":                     {"cmp_scope_text": {"x"}},
			"/compliance/audits":                       {"cmp_body": {"x"}, "cmp_kind": {"special"}, "cmp_starts_on": {"2026-01-10"}},
			"/compliance/certificates":                 {"cmp_cert_number": {"1"}, "cmp_body": {"x"}, "cmp_issued_on": {"2025-01-10"}},
		} {
			res, body := viewer.post(p, form)
			wantStatus(t, res, body, http.StatusForbidden)
		}
		res, _ = qm.post("/compliance/evidence/"+evID+"/delete", nil)
		wantStatus(t, res, "", http.StatusSeeOther)

		// Exports.
		res, body = qm.get("/compliance/export.xlsx?chapter=8")
		wantStatus(t, res, "", http.StatusOK)
		x, err := excelize.OpenReader(bytes.NewReader([]byte(body)))
		if err != nil {
			t.Fatal(err)
		}
		rows, _ := x.GetRows(x.GetSheetName(0))
		if len(rows) != 9 || rows[3][0] != "8.3" || rows[3][2] != "Nu se aplică" {
			t.Errorf("the XLSX of chapter 8: %d rows, row 3 %v", len(rows), rows[min(3, len(rows)-1)])
		}
		for _, p := range []string{"/compliance/export.pdf", "/compliance/readiness.pdf?audit=surveillance"} {
			res, body = qm.get(p)
			wantStatus(t, res, "", http.StatusOK)
			if !strings.HasPrefix(body, "%PDF") || res.Header.Get("Content-Type") != "application/pdf" {
				t.Errorf("%s is not a PDF", p)
			}
		}
	})
}

func TestComplianceExternalAuditOpensCase(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		cmpQualityManager(t, f)
		qm := f.login(t, f.A.Username)

		// The certificate, then its cycle on the certification page.
		res, body := qm.post("/compliance/certificates", url.Values{"cmp_cert_number": {""}, "cmp_body": {"SRAC CERT"}, "cmp_issued_on": {"2024-11-04"}})
		wantStatus(t, res, body, http.StatusUnprocessableEntity)
		if !strings.Contains(body, `value="SRAC CERT"`) {
			t.Error("the refused certificate form lost the body")
		}
		res, _ = qm.post("/compliance/certificates", url.Values{"cmp_cert_number": {"RO-1234"}, "cmp_body": {"SRAC CERT"}, "cmp_issued_on": {"2024-11-04"}})
		wantStatus(t, res, "", http.StatusSeeOther)
		var tasks int
		if err := d.R.QueryRow(`SELECT COUNT(*) FROM tasks WHERE tenant_id = $1 AND module = 'compliance' AND state = 'open'`, f.A.Inst.ID).Scan(&tasks); err != nil || tasks != 3 {
			t.Fatalf("%d cycle tasks (err %v), want 3", tasks, err)
		}

		res, _ = qm.post("/compliance/audits", url.Values{"cmp_body": {"SRAC CERT"}, "cmp_kind": {"surveillance_2"}, "cmp_starts_on": {"2026-10-19"}, "cmp_ends_on": {"2026-10-20"},
			"cmp_result": {"recommended"}, "cmp_report_ref": {"Raport nr. 5521"}})
		wantStatus(t, res, "", http.StatusSeeOther)
		page := res.Header.Get("Location")
		_, body = qm.get("/compliance/audits")
		if !strings.Contains(body, "Audit de supraveghere 2") || !strings.Contains(body, "<svg") || !strings.Contains(body, "efectuat") {
			t.Error("the certification page lacks the audit or the timeline")
		}
		// A finding without text keeps the chosen clause.
		res, body = qm.post(page+"/findings", url.Values{"severity": {"minor"}, "clause": {"7.5.3"}, "cmp_finding": {""}})
		wantStatus(t, res, body, http.StatusUnprocessableEntity)
		if !strings.Contains(body, `value="7.5.3" selected`) {
			t.Error("the refused finding lost its clause")
		}
		res, _ = qm.post(page+"/findings", url.Values{"severity": {"minor"}, "clause": {"7.5.3"}, "cmp_finding": {"Două ediții ale aceleiași proceduri sunt în uz."}})
		wantStatus(t, res, "", http.StatusSeeOther)
		_, body = qm.get(page)
		m := regexp.MustCompile(`href="/nonconformities/(\d+)">(NC-\d{4}-\d{3})<`).FindStringSubmatch(body)
		if m == nil {
			t.Fatal("the finding does not link to its case")
		}
		res, body = qm.get("/nonconformities/" + m[1])
		wantStatus(t, res, body, http.StatusOK)
		if !strings.Contains(body, "Două ediții ale aceleiași proceduri sunt în uz.") || !strings.Contains(body, "Raport nr. 5521") {
			t.Error("the case does not carry the finding and its report")
		}
		// The readiness view lists the open finding.
		_, body = qm.get("/compliance/readiness?audit=recertification")
		if !strings.Contains(body, m[2]) || !strings.Contains(body, "Auditul de recertificare") {
			t.Error("the readiness view lacks the open finding")
		}
	})
}
