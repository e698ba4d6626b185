package web

import (
	"bytes"
	"context"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"cadran/internal/auth"
	"cadran/internal/db"
	"cadran/internal/db/dbtest"
	"cadran/internal/org"
	"cadran/internal/risks"
)

// riskEmployee gives institution A an employee of its sub-unit who may
// send alert forms for it, and makes A's administrator the quality manager.
func riskEmployee(t *testing.T, f *fixture) string {
	t.Helper()
	ctx := context.Background()
	sys := auth.SystemActor(f.A.Inst.ID, "test")
	if _, err := f.DB.W.Exec(`INSERT INTO user_roles (tenant_id, user_id, role) VALUES ($1, $2, 'quality_manager')`, f.A.Inst.ID, f.A.Admin.ID); err != nil {
		t.Fatal(err)
	}
	o := &org.Service{DB: f.DB, Clock: f.Clock}
	p, err := o.CreatePerson(ctx, sys, org.PersonInput{UnitID: f.A.SubUnit.ID, FullName: "Alfa Inspector Bugetar", Position: org.PositionExecution, Employment: org.EmploymentCivilServant, Active: true})
	if err != nil {
		t.Fatal(err)
	}
	as := &auth.Service{DB: f.DB, Clock: f.Clock}
	if _, err := as.CreateUser(ctx, sys, auth.UserInput{Username: "alfa.inspector", DisplayName: "Alfa Inspector", Password: testPassword, Roles: []auth.Role{auth.RoleEmployee}, Locale: "ro", PersonID: p.ID}); err != nil {
		t.Fatal(err)
	}
	return "alfa.inspector"
}

func riskCount(t *testing.T, d *db.DB, tenant int64) int {
	t.Helper()
	var n int
	if err := d.R.QueryRow(`SELECT COUNT(*) FROM risks WHERE tenant_id = $1`, tenant).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

var riskPath = regexp.MustCompile(`^/risks/(\d+)$`)

func TestRiskAlertValidationExportsAndMaps(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		emp := f.login(t, riskEmployee(t, f))
		qm := f.login(t, f.A.Username)
		unit := strconv.FormatInt(f.A.SubUnit.ID, 10)

		res, body := emp.get("/risks/new")
		wantStatus(t, res, body, http.StatusOK)
		if !strings.Contains(body, `value="`+unit+`" selected`) {
			t.Error("the alert form does not start at the employee's unit")
		}

		// Bad input: the error summary names the fields, the typed text is
		// kept, nothing is saved.
		bad := url.Values{"kind": {"risk"}, "unit_id": {unit}, "risk_description": {""}, "risk_causes": {"Alfa cauze scrise de mână"},
			"risk_p": {"9"}, "risk_i": {"2"}, "risk_exposure": {"5"}, "risk_strategy": {"treat"}, "version": {"0"}}
		res, body = emp.post("/risks", bad)
		wantStatus(t, res, body, http.StatusUnprocessableEntity)
		for _, want := range []string{"error-summary", `href="#f-risk_description"`, `href="#f-risk_p"`, "Alfa cauze scrise de mână"} {
			if !strings.Contains(body, want) {
				t.Errorf("the refused alert form lacks %q", want)
			}
		}
		if n := riskCount(t, d, f.A.Inst.ID); n != 0 {
			t.Fatalf("a refused alert saved %d risks", n)
		}
		// An employee may not report for another unit.
		other := url.Values{"kind": {"risk"}, "unit_id": {strconv.FormatInt(f.A.Unit.ID, 10)}, "risk_description": {"Alfa risc"}, "risk_p": {"3"}, "risk_i": {"4"}, "risk_strategy": {"treat"}}
		res, _ = emp.post("/risks", other)
		if res.StatusCode != http.StatusForbidden {
			t.Fatalf("an alert for another unit: status %d", res.StatusCode)
		}

		good := url.Values{"kind": {"risk"}, "unit_id": {unit}, "risk_objective": {"Execuția bugetară"}, "risk_description": {"Alfa Angajarea cheltuielilor fără viza de control financiar preventiv"},
			"risk_causes": {"Circuitul documentelor nu este respectat"}, "risk_p": {"3"}, "risk_i": {"4"}, "risk_exposure": {"12"}, "risk_strategy": {"treat"}}
		res, body = emp.post("/risks", good)
		wantStatus(t, res, body, http.StatusSeeOther)
		m := riskPath.FindStringSubmatch(res.Header.Get("Location"))
		if m == nil {
			t.Fatalf("redirected to %q", res.Header.Get("Location"))
		}
		page := m[0]
		id, _ := strconv.ParseInt(m[1], 10, 64)

		// The employee sees no decision; the quality manager retains it.
		_, body = emp.get(page)
		if strings.Contains(body, `name="action" value="retain"`) {
			t.Error("the employee is offered the team's decision")
		}
		_, body = qm.get(page)
		if !strings.Contains(body, `name="action" value="retain"`) || !strings.Contains(body, `name="action" value="decline"`) {
			t.Fatal("the quality manager is not offered the decision")
		}
		res, body = qm.post(page+"/step", url.Values{"action": {"decline"}, "version": {"1"}})
		wantStatus(t, res, body, http.StatusUnprocessableEntity)
		res, body = qm.post(page+"/step", url.Values{"action": {"retain"}, "version": {"1"}})
		wantStatus(t, res, body, http.StatusSeeOther)
		var state string
		if err := d.R.QueryRow(`SELECT state FROM risks WHERE id = $1`, id).Scan(&state); err != nil || state != risks.StateActive {
			t.Fatalf("state %q (%v)", state, err)
		}

		// An edit from a page loaded before the decision is refused and
		// keeps what was typed.
		edit := url.Values{}
		for k, v := range good {
			edit[k] = v
		}
		edit.Set("risk_description", "Alfa Text nou scris pe o pagină veche")
		edit.Set("version", "1")
		res, body = qm.post(page, edit)
		wantStatus(t, res, body, http.StatusConflict)
		if !strings.Contains(body, "Alfa Text nou scris pe o pagină veche") {
			t.Error("the typed text is lost")
		}
		var desc string
		if err := d.R.QueryRow(`SELECT description FROM risks WHERE id = $1`, id).Scan(&desc); err != nil || strings.Contains(desc, "pagină veche") {
			t.Fatalf("stale edit saved: %q (%v)", desc, err)
		}

		// A second risk in another cell, retained too.
		second := url.Values{"kind": {"risk"}, "unit_id": {unit}, "risk_description": {"Alfa Depășirea termenului de plată a furnizorilor"}, "risk_p": {"2"}, "risk_i": {"2"}, "risk_strategy": {"monitor"}}
		res, _ = emp.post("/risks", second)
		m2 := riskPath.FindStringSubmatch(res.Header.Get("Location"))
		if m2 == nil {
			t.Fatal("the second alert was refused")
		}
		if res, body = qm.post(m2[0]+"/step", url.Values{"action": {"retain"}, "version": {"1"}}); res.StatusCode != http.StatusSeeOther {
			wantStatus(t, res, body, http.StatusSeeOther)
		}

		// The inherent map's cell 3×4 links to the register filtered to it.
		_, body = qm.get("/risks")
		if !strings.Contains(body, `role="img"`) {
			t.Fatal("no heat map on the register")
		}
		var cell string
		for _, h := range regexp.MustCompile(`<a href="(/risks\?[^"]+)"`).FindAllStringSubmatch(body, -1) {
			u, _ := url.Parse(html.UnescapeString(h[1]))
			q := u.Query()
			if q.Get("score") == "inherent" && q.Get("p") == "3" && q.Get("i") == "4" && q.Get("kind") == "risk" {
				cell = u.RequestURI()
			}
		}
		if cell == "" {
			t.Fatal("no link for the inherent cell 3×4")
		}
		res, body = qm.get(cell)
		wantStatus(t, res, body, http.StatusOK)
		if !strings.Contains(body, "Angajarea cheltuielilor") || strings.Contains(body, "Depășirea termenului") {
			t.Error("the cell's list does not hold exactly its risk")
		}

		// Exports: the register in the 17 usual columns, the profile in PDF.
		res, body = qm.get("/risks/export.xlsx")
		wantStatus(t, res, "", http.StatusOK)
		if res.Header.Get("Content-Type") != "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" {
			t.Errorf("xlsx content type %q", res.Header.Get("Content-Type"))
		}
		x, err := excelize.OpenReader(bytes.NewReader([]byte(body)))
		if err != nil {
			t.Fatal(err)
		}
		rows, err := x.GetRows(x.GetSheetList()[0])
		if err != nil || len(rows) != 3 {
			t.Fatalf("xlsx rows %d (%v)", len(rows), err)
		}
		if got := rows[0][1:18]; !slices.Equal(got, risks.RegisterHeadingsRO()) {
			t.Errorf("xlsx headings %q", got)
		}
		res, body = qm.get("/risks/profile.pdf")
		wantStatus(t, res, "", http.StatusOK)
		if res.Header.Get("Content-Type") != "application/pdf" || !strings.HasPrefix(body, "%PDF") {
			t.Errorf("profile: %s, %q", res.Header.Get("Content-Type"), body[:min(8, len(body))])
		}

		// The page reads in English for a person who chose it.
		viewer := f.login(t, "alfa.viewer")
		_, body = viewer.get(page)
		if !strings.Contains(body, "Risk register") || !strings.Contains(body, "Inherent risk") {
			t.Error("the risk page is not in English for the English-speaking viewer")
		}
		if strings.Contains(body, "risks.") {
			t.Errorf("a raw catalogue key shows: %s", regexp.MustCompile(`risks\.[a-z_.]+`).FindString(body))
		}
	})
}

func TestRiskMeasureAndReviewForms(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		riskEmployee(t, f)
		qm := f.login(t, f.A.Username)
		svc := &risks.Service{DB: d, Clock: f.Clock, Work: f.Srv.work}
		sys := auth.SystemActor(f.A.Inst.ID, "test")
		r, err := svc.Propose(context.Background(), sys, risks.Input{Kind: risks.KindRisk, UnitID: f.A.Unit.ID, Description: "Alfa Risc de test", InherentP: 4, InherentI: 5, Strategy: risks.StrategyTreat})
		if err != nil {
			t.Fatal(err)
		}
		if r, err = svc.Step(context.Background(), sys, r.ID, risks.StepInput{Action: risks.ActEscalate, Version: r.Version}); err != nil {
			t.Fatal(err)
		}
		page := "/risks/" + strconv.FormatInt(r.ID, 10)
		// A measure without a description is refused with the summary.
		res, body := qm.post(page+"/measures", url.Values{"risk_measure": {""}, "due": {"31.12.2026"}, "note": {"Alfa notă păstrată"}})
		wantStatus(t, res, body, http.StatusUnprocessableEntity)
		if !strings.Contains(body, `href="#f-risk_measure"`) || !strings.Contains(body, "Alfa notă păstrată") {
			t.Error("the refused measure form lacks its summary or the typed note")
		}
		res, body = qm.post(page+"/measures", url.Values{"risk_measure": {"Verificarea lunară a angajamentelor"}, "owner_id": {strconv.FormatInt(f.A.Person.ID, 10)}, "due": {"2026-12-31"}})
		wantStatus(t, res, body, http.StatusSeeOther)
		var tasks int
		if err := d.R.QueryRow(`SELECT COUNT(*) FROM tasks WHERE module = 'risks' AND entity = 'risk_measure' AND person_id = $1 AND state = 'open'`, f.A.Person.ID).Scan(&tasks); err != nil || tasks != 1 {
			t.Fatalf("measure tasks %d (%v)", tasks, err)
		}
		res, body = qm.post(page+"/review", url.Values{"risk_residual_p": {"7"}, "risk_residual_i": {"2"}, "version": {strconv.Itoa(r.Version)}})
		wantStatus(t, res, body, http.StatusUnprocessableEntity)
		res, body = qm.post(page+"/review", url.Values{"risk_residual_p": {"2"}, "risk_residual_i": {"3"}, "risk_measures_status": {"În curs"}, "version": {strconv.Itoa(r.Version)}})
		wantStatus(t, res, body, http.StatusSeeOther)
		_, body = qm.get(page)
		if !strings.Contains(body, "2×3 = 6") {
			t.Error("the review is not listed")
		}
		// Settings: a bad tolerance is refused with the summary.
		res, body = qm.post("/risks/settings", url.Values{"risk_scale": {"5"}, "risk_tolerance": {"40"}, "risk_band_low": {"4"}, "risk_band_medium": {"8"},
			"risk_color_low": {"#00ff00"}, "risk_color_medium": {"#ffff00"}, "risk_color_high": {"#ff0000"}, "risk_review_months": {"6"},
			"risk_p_label_1": {"a"}, "risk_p_label_2": {"b"}, "risk_p_label_3": {"c"}, "risk_p_label_4": {"d"}, "risk_p_label_5": {"e"},
			"risk_i_label_1": {"a"}, "risk_i_label_2": {"b"}, "risk_i_label_3": {"c"}, "risk_i_label_4": {"d"}, "risk_i_label_5": {"e"}, "version": {"0"}})
		wantStatus(t, res, body, http.StatusUnprocessableEntity)
		if !strings.Contains(body, `href="#f-risk_tolerance"`) {
			t.Error("no summary for the tolerance")
		}
		// A register review and the yearly review pages answer.
		res, body = qm.post("/risks/reviews", url.Values{"risk_year": {"2026"}, "risk_conclusion": {""}})
		wantStatus(t, res, body, http.StatusUnprocessableEntity)
		res, body = qm.post("/risks/reviews", url.Values{"risk_year": {"2026"}, "unit_id": {"0"}, "risk_conclusion": {"Registrul este actualizat; riscurile peste toleranță au măsuri."}})
		wantStatus(t, res, body, http.StatusSeeOther)
		_, body = qm.get("/risks/reviews?year=2026")
		if !strings.Contains(body, "riscurile peste toleranță au măsuri") {
			t.Error("the register review is not listed")
		}
	})
}
