package web

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"cadran/internal/auth"
	"cadran/internal/db"
	"cadran/internal/db/dbtest"
	"cadran/internal/org"
	"cadran/internal/training"
)

// trmSeed is the matrix tests' catalogue: C-ISO required of everyone at
// level 1, C-AUDIT of inspectors at level 2; the inspector holds C-ISO by
// a certificate that lapses within the renewal days; a person of another
// directorate, outside the head of unit's.
type trmSeed struct {
	trcPeople
	ISO, Audit training.Competence
	Req        training.Requirement
	Other      int64
}

func trmSetUp(t *testing.T, f *fixture) trmSeed {
	t.Helper()
	ctx := context.Background()
	sys := auth.SystemActor(f.A.Inst.ID, "test")
	svc := f.Srv.training
	sd := trmSeed{trcPeople: trcSetUp(t, f)}
	var err error
	if sd.ISO, err = svc.CreateCompetence(ctx, sys, training.CompetenceInput{Code: "C-ISO", Name: "Sistemul de management al calității", Area: training.TopicQuality, Active: true}); err != nil {
		t.Fatal(err)
	}
	if sd.Audit, err = svc.CreateCompetence(ctx, sys, training.CompetenceInput{Code: "C-AUDIT", Name: "Auditul intern al calității", Area: training.TopicAudit, ValidityMonths: 24, Active: true}); err != nil {
		t.Fatal(err)
	}
	if _, err = svc.AddRequirement(ctx, sys, sd.ISO.ID, training.RequirementInput{Kind: training.RequireEveryone, Level: 1}); err != nil {
		t.Fatal(err)
	}
	if sd.Req, err = svc.AddRequirement(ctx, sys, sd.Audit.ID, training.RequirementInput{Kind: training.RequireJob, Target: "INSPECTOR", Level: 2}); err != nil {
		t.Fatal(err)
	}
	if _, err = svc.CreateCertificate(ctx, sys, training.CertificateInput{PersonID: sd.Emp, Name: "Curs ISO 9001 pentru funcționari", CompetenceID: sd.ISO.ID, CompetenceLevel: 1,
		IssuedOn: "2025-12-15", ExpiresOn: "2026-12-15"}, nil); err != nil {
		t.Fatal(err)
	}
	o := &org.Service{DB: f.DB, Clock: f.Clock}
	u, err := o.CreateUnit(ctx, sys, org.UnitInput{Name: "Alfa Direcția Urbanism", Kind: org.UnitDirectorate, Relation: org.RelationOwn})
	if err != nil {
		t.Fatal(err)
	}
	p, err := o.CreatePerson(ctx, sys, org.PersonInput{UnitID: u.ID, FullName: "Alfa Băcanu Irina", JobTitle: "Arhitect-șef", Position: org.PositionManagement,
		Employment: org.EmploymentCivilServant, Active: true})
	if err != nil {
		t.Fatal(err)
	}
	sd.Other = p.ID
	return sd
}

// TestTrainingMatrixPagesAndExports checks the matrix's cells and unit
// summary, its filters, who sees which rows, and its workbook and PDF.
func TestTrainingMatrixPagesAndExports(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		sd := trmSetUp(t, f)
		qm := f.login(t, f.A.Username)
		emp := f.login(t, sd.EmpUser)
		head := f.login(t, sd.HeadUser)

		res, body := qm.get("/training/matrix")
		wantStatus(t, res, body, http.StatusOK)
		wantIn(t, "the matrix", body, `<abbr title="Sistemul de management al calității">C-ISO</abbr>`, `<abbr title="Auditul intern al calității">C-AUDIT</abbr>`,
			// The inspector: C-ISO lapses soon, C-AUDIT missing.
			`class="tmx-c tmx-expiring" title="expiră la 15.12.2026">1/1`, `class="tmx-c tmx-gap">2/0`,
			// The head of unit and the other directorate: C-ISO missing.
			"Alfa Țurcanu Petru", "Alfa Băcanu Irina", `class="tmx-c tmx-gap">1/0`,
			"Alfa Direcția Urbanism", "Legenda matricei", "nivelul cerut / nivelul deținut", "Doar persoanele cu lipsuri",
			`role="region"`, `scope="rowgroup"`, "/training/matrix/export.xlsx", "/training/matrix/report.pdf")
		if strings.Index(body, "Alfa Direcția Economică") > strings.Index(body, "Alfa Direcția Urbanism") {
			t.Error("the units are not in the matrix's order")
		}
		// The area filter keeps its columns; the query its people.
		_, body = qm.get("/training/matrix?area=audit")
		wantIn(t, "the audit area", body, "C-AUDIT")
		trcNotIn(t, "the audit area", body, ">C-ISO</abbr>")
		_, body = qm.get("/training/matrix?q=muresan")
		wantIn(t, "a search", body, "Alfa Mureșan Ștefania")
		trcNotIn(t, "a search", body, "Alfa Băcanu Irina")
		_, body = qm.get("/training/matrix?unit=" + strconv.FormatInt(f.A.Unit.ID, 10))
		wantIn(t, "a unit with the units under it", body, "Alfa Mureșan Ștefania", "Alfa Țurcanu Petru")
		trcNotIn(t, "a unit with the units under it", body, "Alfa Băcanu Irina")

		// The head sees their directorate, the employee only their line.
		_, body = head.get("/training/matrix")
		wantIn(t, "the head's matrix", body, "compartimentele pe care le conduceți", "Alfa Mureșan Ștefania", "Alfa Țurcanu Petru")
		trcNotIn(t, "the head's matrix", body, "Alfa Băcanu Irina")
		_, body = emp.get("/training/matrix")
		wantIn(t, "the employee's matrix", body, "Competence matrix", "Key to the matrix", "Summary by unit", "Expiring soon", "Alfa Mureșan Ștefania")
		trcNotIn(t, "the employee's matrix", body, "Alfa Țurcanu Petru", "Alfa Băcanu Irina")

		// The workbook: the grid with its coloured states, the summary, the key.
		res, body = qm.get("/training/matrix/export.xlsx?gaps=1")
		x := trcXLSX(t, res, body)
		if got := x.GetSheetList(); len(got) != 3 || got[0] != "Matricea competențelor" || got[1] != "Compartimente" || got[2] != "Legendă" {
			t.Fatalf("sheets %q", got)
		}
		rows, _ := x.GetRows("Matricea competențelor")
		var empRow int
		for i, r := range rows {
			if len(r) > 0 && r[0] == "Alfa Mureșan Ștefania" {
				empRow = i + 1
			}
		}
		if len(rows) < 2 || rows[0][0] != "Persoana" || rows[0][4] != "C-AUDIT" || rows[0][5] != "C-ISO" || empRow == 0 {
			t.Fatalf("matrix rows %q", rows)
		}
		for col, want := range map[string]struct{ text, fill string }{"E": {"2/0 Lipsă", "F8D7D7"}, "F": {"1/1 Expiră curând", "FFF1CC"}} {
			cell := col + strconv.Itoa(empRow)
			v, _ := x.GetCellValue("Matricea competențelor", cell)
			id, _ := x.GetCellStyle("Matricea competențelor", cell)
			st, err := x.GetStyle(id)
			if err != nil || v != want.text || len(st.Fill.Color) == 0 || !strings.EqualFold(st.Fill.Color[0], want.fill) {
				t.Errorf("cell %s = %q, style %+v (%v), want %q on %s", cell, v, st, err, want.text, want.fill)
			}
		}
		units, _ := x.GetRows("Compartimente")
		if len(units) < 3 || units[0][4] != "Acoperire (%)" {
			t.Errorf("unit sheet %q", units)
		}
		for _, r := range units[1:] {
			if r[0] == "Alfa Direcția Urbanism" && (r[1] != "1" || r[2] != "1" || r[3] != "1" || r[4] != "0") {
				t.Errorf("the other directorate's summary: %q", r)
			}
		}
		legend, _ := x.GetRows("Legendă")
		if len(legend) < 4 || legend[2][0] != "C-ISO" || legend[2][1] != "Sistemul de management al calității" {
			t.Errorf("legend %q", legend)
		}

		// The PDF: landscape, the summary and the gaps per unit, diacritics intact.
		res, body = qm.get("/training/matrix/report.pdf")
		wantStatus(t, res, body, http.StatusOK)
		if !strings.HasPrefix(body, "%PDF") || res.Header.Get("Content-Type") != "application/pdf" || !strings.Contains(res.Header.Get("Content-Disposition"), "matricea-competentelor-2026-11-23.pdf") {
			t.Fatalf("report.pdf: %v", res.Header)
		}
		if !strings.Contains(body, "/MediaBox [0 0 841.89 595.28]") {
			t.Error("the report is not on landscape pages")
		}
		for _, s := range []string{"Primăria Alfa", "Matricea competențelor: sinteză și lipsuri", "Sinteză pe compartimente", "Alfa Țurcanu Petru",
			"Alfa Mureșan Ștefania", "C-AUDIT · Auditul intern al calității", "2 · Practician", "Lipsuri: Alfa Direcția Urbanism ", "o lipsă", "Arhitect-șef"} {
			if !citizenPDFHas(t, []byte(body), s) {
				t.Errorf("the report lacks %q", s)
			}
		}
		// In English, for the employee: their own gaps only.
		res, body = emp.get("/training/matrix/report.pdf")
		wantStatus(t, res, body, http.StatusOK)
		if !citizenPDFHas(t, []byte(body), "Competence matrix: summary and gaps") || citizenPDFHas(t, []byte(body), "Alfa Băcanu Irina") {
			t.Error("the employee's report is not theirs, in English")
		}
	})
}

// TestTrainingCompetenceCatalogue checks the catalogue's list, filters
// and export in both languages, the competence's page, its edit with a
// stale version, and deleting a requirement.
func TestTrainingCompetenceCatalogue(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		sd := trmSetUp(t, f)
		qm := f.login(t, f.A.Username)
		viewer := f.login(t, "alfa.viewer")
		audit := "/training/competences/" + strconv.FormatInt(sd.Audit.ID, 10)

		res, body := qm.get("/training/competences")
		wantStatus(t, res, body, http.StatusOK)
		wantIn(t, "the catalogue", body, "Catalogul competențelor", "C-AUDIT", "Auditul intern al calității", "Audit intern", "24 de luni", "nu expiră",
			"Adaugă o competență", `aria-sort="ascending"`)
		_, body = qm.get("/training/competences?area=audit")
		trcNotIn(t, "the audit area", body, "C-ISO")
		_, body = qm.get("/training/competences?sort=-holders")
		if strings.Index(body, ">C-ISO<") > strings.Index(body, ">C-AUDIT<") {
			t.Error("the catalogue is not sorted by holders, most first")
		}
		res, body = viewer.get("/training/competences")
		wantStatus(t, res, body, http.StatusOK)
		wantIn(t, "the catalogue in English", body, "Competence catalogue", "Internal audit", "24 months", "does not lapse")
		trcNotIn(t, "the viewer's catalogue", body, "Add a competence")
		res, body = qm.get("/training/competences/export.xlsx")
		x := trcXLSX(t, res, body)
		rows, _ := x.GetRows(x.GetSheetName(0))
		if len(rows) != 3 || rows[0][0] != "Cod" || rows[1][0] != "C-AUDIT" || rows[1][4] != "1" || rows[2][0] != "C-ISO" || rows[2][4] != "1" || rows[2][5] != "1" {
			t.Errorf("catalogue export %q", rows)
		}

		// The competence's page: who requires it and who holds it.
		res, body = qm.get(audit)
		wantStatus(t, res, body, http.StatusOK)
		wantIn(t, "the competence", body, "C-AUDIT · Auditul intern al calității", "INSPECTOR", "2 · Practician", "Modifică datele competenței",
			"/requirements/"+strconv.FormatInt(sd.Req.ID, 10)+"/delete", `data-confirm="Sigur doriți să ștergeți această cerință?"`)
		res, body = viewer.get(audit)
		wantStatus(t, res, body, http.StatusOK)
		wantIn(t, "the competence in English", body, "Who needs this competence", "Who holds it now", "You see only the people")
		trcNotIn(t, "the viewer's competence", body, "Edit the competence's details", "Add a requirement")

		// An edit: saved, then a stale one refused with what was typed.
		form := url.Values{"training_comp_code": {"C-AUDIT"}, "training_comp_name": {"Auditul intern al sistemului calității"}, "training_comp_area": {"audit"},
			"training_comp_validity": {"36"}, "training_comp_active": {"1"}, "version": {"1"}}
		res, body = qm.post(audit, form)
		wantStatus(t, res, body, http.StatusSeeOther)
		_, body = qm.get(audit)
		wantIn(t, "the edited competence", body, "Auditul intern al sistemului calității", "36 de luni")
		form.Set("training_comp_name", "Denumire veche")
		res, body = qm.post(audit, form)
		wantStatus(t, res, body, http.StatusConflict)
		wantIn(t, "a stale edit", body, "modificată între timp de altcineva", `value="Denumire veche"`, "<details class=\"card\" open>")
		// A duplicate requirement is refused beside the job; a role one is added.
		res, body = qm.post(audit+"/requirements", url.Values{"training_req_kind": {"job"}, "training_req_job": {"Inspector"}, "training_req_level": {"1"}})
		wantStatus(t, res, body, http.StatusUnprocessableEntity)
		wantIn(t, "a duplicate requirement", body, `href="#f-training_req_job"`, `value="Inspector"`)
		res, body = qm.post(audit+"/requirements", url.Values{"training_req_kind": {"role"}, "training_req_role": {"auditor"}, "training_req_level": {"3"}})
		wantStatus(t, res, body, http.StatusSeeOther)
		_, body = qm.get(audit)
		wantIn(t, "a role requirement", body, "Auditor din registrul auditorilor interni", "3 · Expert")
		// Deleting a requirement: the inspector no longer has the gap.
		res, body = qm.post(audit+"/requirements/"+strconv.FormatInt(sd.Req.ID, 10)+"/delete", nil)
		wantStatus(t, res, body, http.StatusSeeOther)
		_, body = qm.get(audit)
		wantIn(t, "after deleting", body, "Cerința a fost ștearsă.")
		trcNotIn(t, "after deleting", body, "INSPECTOR")
		_, body = qm.get("/training/matrix?area=audit&gaps=1")
		trcNotIn(t, "the matrix after deleting", body, "Alfa Mureșan Ștefania")
		// Not found for another competence's requirement id.
		if res, _ := qm.post("/training/competences/"+strconv.FormatInt(sd.ISO.ID, 10)+"/requirements/999999/delete", nil); res.StatusCode != http.StatusNotFound {
			t.Errorf("deleting a requirement that does not exist: %d", res.StatusCode)
		}
	})
}
