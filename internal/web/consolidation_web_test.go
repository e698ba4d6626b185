package web

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/csv"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"cadran/internal/auth"
	"cadran/internal/db"
	"cadran/internal/db/dbtest"
	"cadran/internal/org"
)

// consSeed gives institution A a subordinate body (the social assistance
// directorate, a legal person, with a service under it) holding two active
// risks of 2026 (one above tolerance), a KPI with a value, a person and a
// valid certificate; A's own apparatus keeps the fixture's units. It adds
// a quality manager (ro) and an employee to A.
type consFix struct {
	*fixture
	DAS, SBS org.Unit
}

func consSeed(t *testing.T, f *fixture) *consFix {
	t.Helper()
	ctx := context.Background()
	sys := auth.SystemActor(f.A.Inst.ID, "test")
	o := &org.Service{DB: f.DB, Clock: f.Clock}
	c := &consFix{fixture: f}
	var err error
	if c.DAS, err = o.CreateUnit(ctx, sys, org.UnitInput{Name: "Alfa Direcția de Asistență Socială", Code: "DAS", Kind: org.UnitDirectorate, Relation: org.RelationSubordinate, LegalPerson: true}); err != nil {
		t.Fatal(err)
	}
	if c.SBS, err = o.CreateUnit(ctx, sys, org.UnitInput{ParentID: c.DAS.ID, Name: "Alfa Serviciul Beneficii Sociale", Kind: org.UnitService, Relation: org.RelationSubordinate}); err != nil {
		t.Fatal(err)
	}
	p, err := o.CreatePerson(ctx, sys, org.PersonInput{UnitID: c.SBS.ID, FullName: "Alfa Dora Ionescu", JobTitle: "Asistent social", Position: org.PositionExecution, Employment: org.EmploymentCivilServant, Active: true})
	if err != nil {
		t.Fatal(err)
	}
	now := f.Clock.Now()
	exec := func(q string, args ...any) {
		t.Helper()
		if err := f.DB.Tx(ctx, func(tx *sql.Tx) error { _, err := tx.ExecContext(ctx, q, args...); return err }); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	for i, e := range []int{12, 6} {
		exec(`INSERT INTO risks (tenant_id, year, kind, code, sort_code, level, description, unit_id, scale, inherent_p, inherent_i, inherent_e, strategy, cur_p, cur_i, cur_e, state, created_at, updated_at)
			VALUES ($1, 2026, 'risk', $2, $2, 'unit', 'Alfa riscul beneficiilor', $3, 5, 1, 1, $4, 'reduce', 1, 1, $4, 'active', $5, $5)`, f.A.Inst.ID, fmt.Sprintf("R-DAS-%d", i+1), c.SBS.ID, e, now)
	}
	var kpi int64
	if err := f.DB.Tx(ctx, func(tx *sql.Tx) error {
		return tx.QueryRowContext(ctx, `INSERT INTO scorecard_kpis (tenant_id, code, name, polarity, method, frequency, unit_id, weight, created_at, updated_at)
			VALUES ($1, 'DAS1', 'Alfa anchete sociale la termen', 'higher', 'linear', 'monthly', $2, 1, $3, $3) RETURNING id`, f.A.Inst.ID, c.DAS.ID, now).Scan(&kpi)
	}); err != nil {
		t.Fatal(err)
	}
	exec(`INSERT INTO scorecard_targets (tenant_id, kpi_id, period, target) VALUES ($1, $2, '2026', 90)`, f.A.Inst.ID, kpi)
	exec(`INSERT INTO scorecard_measurements (tenant_id, kpi_id, period, period_end, value, created_at, updated_at) VALUES ($1, $2, '2026-10', '2026-10-31', 95, $3, $3)`, f.A.Inst.ID, kpi, now)
	exec(`INSERT INTO training_certificates (tenant_id, person_id, name, issued_on, created_at, updated_at) VALUES ($1, $2, 'Alfa certificat', '2026-01-10', $3, $3)`, f.A.Inst.ID, p.ID, now)
	au := &auth.Service{DB: f.DB, Clock: f.Clock}
	for _, u := range []struct {
		name string
		role auth.Role
	}{{"alfa.calitate", auth.RoleQualityManager}, {"alfa.angajat", auth.RoleEmployee}} {
		if _, err := au.CreateUser(ctx, sys, auth.UserInput{Username: u.name, DisplayName: u.name, Password: testPassword, Roles: []auth.Role{u.role}, Locale: "ro"}); err != nil {
			t.Fatal(err)
		}
	}
	return c
}

func consRun(t *testing.T, fn func(t *testing.T, c *consFix)) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) { fn(t, consSeed(t, newFixture(t, d))) })
}

// TestConsolidatedPage: the quality manager sees, in Romanian, the own
// apparatus and the subordinate body with its legal-person marker, the
// charts, the body's risk count linked to the register filtered to its
// unit, and the training section; the English viewer sees the page in
// English without the training figures (not theirs to read); an employee
// is refused.
func TestConsolidatedPage(t *testing.T) {
	consRun(t, func(t *testing.T, c *consFix) {
		qm := c.login(t, "alfa.calitate")
		res, body := qm.get("/consolidated")
		wantStatus(t, res, body, http.StatusOK)
		das := strconv.FormatInt(c.DAS.ID, 10)
		for _, want := range []string{
			"<h1>Situație consolidată</h1>", "Aparatul de specialitate", `<a href="/units/` + das + `">Alfa Direcția de Asistență Socială</a>`,
			"subordonată consiliului local · persoană juridică", "Riscuri peste toleranță", "Formare profesională", "Certificate valabile",
			`<a href="/risks?year=2026&amp;kind=risk&amp;state=active&amp;unit=` + das + `">2</a>`,
			`<a href="/risks?year=2026&amp;state=active&amp;above=1&amp;unit=` + das + `">1</a>`,
			`<a href="/training/certificates?expiry=valid&amp;unit=` + das + `">1</a>`,
			`class="score-chart"`, `class="status-chart"`, "100,0 · verde",
			`href="/consolidated/export.xlsx"`, `href="/consolidated/export.csv"`, `href="/consolidated/report.pdf"`,
		} {
			if !strings.Contains(body, want) {
				t.Errorf("the page lacks %q", want)
			}
		}
		if strings.Contains(body, "Beta") {
			t.Error("B's records show in A's view")
		}
		res, body = qm.get("/consolidated?year=2025")
		wantStatus(t, res, body, http.StatusOK)
		if !strings.Contains(body, `<option value="2025" selected>`) || !strings.Contains(body, `/risks?year=2025&amp;kind=risk&amp;state=active&amp;unit=`+das+`">0</a>`) {
			t.Error("the 2025 view does not read the 2025 register")
		}

		en := c.login(t, "alfa.viewer")
		res, body = en.get("/consolidated")
		wantStatus(t, res, body, http.StatusOK)
		for _, want := range []string{"<h1>Consolidated view</h1>", "Own apparatus", "subordinate to the local council · legal person", "Risks above tolerance", "Open nonconformities"} {
			if !strings.Contains(body, want) {
				t.Errorf("the English page lacks %q", want)
			}
		}
		if strings.Contains(body, "Valid certificates") {
			t.Error("a viewer sees everyone's training figures")
		}

		emp := c.login(t, "alfa.angajat")
		res, body = emp.get("/consolidated")
		wantStatus(t, res, body, http.StatusForbidden)
		res, body = emp.get("/consolidated/export.csv")
		wantStatus(t, res, body, http.StatusForbidden)
	})
}

// TestConsolidatedExport: the workbook and the CSV hold the same rows
// (indicators) and columns (section, indicator, the bodies, the total),
// the total column is the sum of the bodies', and the PDF is a PDF.
func TestConsolidatedExport(t *testing.T) {
	consRun(t, func(t *testing.T, c *consFix) {
		qm := c.login(t, "alfa.calitate")
		res, body := qm.get("/consolidated/export.xlsx?year=2026")
		wantStatus(t, res, body, http.StatusOK)
		x, err := excelize.OpenReader(bytes.NewReader([]byte(body)))
		if err != nil {
			t.Fatal(err)
		}
		defer x.Close()
		xrows, err := x.GetRows("Situație consolidată")
		if err != nil {
			t.Fatalf("sheet: %v (%v)", err, x.GetSheetList())
		}
		res, body = qm.get("/consolidated/export.csv?year=2026")
		wantStatus(t, res, body, http.StatusOK)
		if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/csv") {
			t.Fatalf("CSV type %q", ct)
		}
		crows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(body, "\ufeff"))).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		if len(xrows) != len(crows) || len(xrows) < 15 {
			t.Fatalf("XLSX %d rows, CSV %d rows", len(xrows), len(crows))
		}
		want := []string{"Secțiunea", "Indicatorul", "Aparatul de specialitate", "Alfa Direcția de Asistență Socială", "Total"}
		if strings.Join(crows[0], "|") != strings.Join(want, "|") || strings.Join(xrows[0], "|") != strings.Join(want, "|") {
			t.Fatalf("headers: CSV %v, XLSX %v", crows[0], xrows[0])
		}
		found := false
		for i := range crows {
			if strings.Join(crows[i], "|") != strings.Join(xrows[i], "|") {
				t.Errorf("row %d: CSV %v, XLSX %v", i, crows[i], xrows[i])
			}
			if i == 0 {
				continue
			}
			if crows[i][1] == "Riscuri active" {
				found = true
				if crows[i][3] != "2" || crows[i][4] != "2" {
					t.Errorf("active risks: %v", crows[i])
				}
			}
			// Counts: the total is the sum of the bodies.
			own, das, tot := crows[i][2], crows[i][3], crows[i][4]
			a, e1 := strconv.Atoi(own)
			b, e2 := strconv.Atoi(das)
			s, e3 := strconv.Atoi(tot)
			if e1 == nil && e2 == nil && e3 == nil && a+b != s {
				t.Errorf("%s: %d + %d ≠ %d", crows[i][1], a, b, s)
			}
		}
		if !found {
			t.Error("no row of active risks")
		}
		res, body = qm.get("/consolidated/report.pdf")
		wantStatus(t, res, body, http.StatusOK)
		if res.Header.Get("Content-Type") != "application/pdf" || !strings.HasPrefix(body, "%PDF") {
			t.Fatalf("PDF: %q", res.Header.Get("Content-Type"))
		}
	})
}
