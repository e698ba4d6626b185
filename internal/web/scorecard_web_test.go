package web

import (
	"bytes"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"cadran/internal/db"
	"cadran/internal/db/dbtest"
)

// scManager makes A's administrator also its quality manager, who manages
// the scorecard, and signs them in.
func scManager(t *testing.T, f *fixture) *client {
	t.Helper()
	if _, err := f.DB.W.Exec(`INSERT INTO user_roles (tenant_id, user_id, role) VALUES ($1, $2, 'quality_manager')`, f.A.Inst.ID, f.A.Admin.ID); err != nil {
		t.Fatal(err)
	}
	return f.login(t, f.A.Username)
}

func wantIn(t *testing.T, what, body string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(body, w) {
			t.Errorf("%s lacks %q", what, w)
		}
	}
}

func TestScorecardPagesRender(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		sc := scSeed(t, f)
		admin := f.login(t, f.A.Username)
		viewer := f.login(t, "alfa.viewer")

		// October 2026 is the default month on 23 November 2026.
		res, body := admin.get("/scorecard")
		wantStatus(t, res, body, http.StatusOK)
		wantIn(t, "the overview (ro)", body, "octombrie 2026", "SC-C1 Alfa Servicii publice rapide și sigure", "SCK1", "93,0 %", "95,0", "86,7",
			"Galben (țintă neatinsă)", "Cum s-a calculat", "(93,0 − 80,0) / (95,0 − 80,0) × 100", "SC-DE1 Alfa Răspunsuri la timp în direcție",
			"Alfa Direcția Economică", `role="img"`, "în creștere față de perioada anterioară (91,0)", "Obiective ale compartimentelor care contribuie")
		// The objective has its KPI (86.7) and the unit's objective without
		// data: the roll-up counts the KPI alone, renormalised to 100 %.
		wantIn(t, "the roll-up", body, "Media ponderată a 1 din 2 componente cu date", "100,0 %")
		if strings.Contains(body, "Beta") {
			t.Error("the overview shows B's data")
		}
		res, body = viewer.get("/scorecard?month=2026-10")
		wantStatus(t, res, body, http.StatusOK)
		wantIn(t, "the overview (en)", body, "October 2026", "SC-C1 Alfa Servicii", "86.7", "Amber", "How it was calculated")
		if strings.Contains(body, `href="/scorecard/objectives/new`) {
			t.Error("the viewer is offered a new objective")
		}
		// A unit's scorecard.
		res, body = admin.get("/scorecard?month=2026-10&unit=" + strconv.FormatInt(f.A.Unit.ID, 10))
		wantStatus(t, res, body, http.StatusOK)
		wantIn(t, "the unit's scorecard", body, "Tabloul de bord: Alfa Direcția Economică", "SC-DE1")

		res, body = admin.get("/scorecard/map?month=2026-10")
		wantStatus(t, res, body, http.StatusOK)
		wantIn(t, "the map", body, `class="strategy-map"`, ">SC-C1<", ">SC-F1<", `class="link"`, "SC-F1 → SC-C1: Alfa bani pentru digitalizare", "86,7")
		if n := strings.Count(body, `class="node"`); n != 2 {
			t.Errorf("the institution's map has %d nodes, want C1 and F1", n)
		}

		res, body = viewer.get("/scorecard/objectives/" + strconv.FormatInt(sc.Citizens.ID, 10) + "?month=2026-10")
		wantStatus(t, res, body, http.StatusOK)
		wantIn(t, "the objective", body, "SC-C1 Alfa Servicii", "SCK1", "86.7", "SC-F1 Alfa Încasarea", "Alfa Ghișeul unic digital", "SC-DE1")

		res, body = admin.get("/scorecard/quality?month=2026-10")
		wantStatus(t, res, body, http.StatusOK)
		wantIn(t, "the quality objectives", body, "SC-C1 Alfa Servicii", "Alfa Ghișeul unic digital", "31.12.2026", "95,0")

		res, body = viewer.get("/scorecard/perspectives")
		wantStatus(t, res, body, http.StatusOK)
		wantIn(t, "the perspectives", body, "Citizens and community", "Learning and growth")
		if strings.Contains(body, `action="/scorecard/perspectives"`) {
			t.Error("the viewer is offered the perspective forms")
		}

		res, body = viewer.get("/scorecard/initiatives?q=ghiseul&state=ongoing")
		wantStatus(t, res, body, http.StatusOK)
		wantIn(t, "the initiatives", body, "Alfa Ghișeul unic digital", "40 %")
		res, body = viewer.get("/scorecard/initiatives?state=done")
		wantStatus(t, res, body, http.StatusOK)
		if strings.Contains(body, "Alfa Ghișeul") {
			t.Error("the state filter kept an ongoing initiative")
		}
		res, body = viewer.get("/scorecard/initiatives/export.xlsx?q=ghiseul")
		wantStatus(t, res, body, http.StatusOK)
		x, err := excelize.OpenReader(strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		rows, _ := x.GetRows(x.GetSheetList()[0])
		if len(rows) != 2 || rows[1][1] != "Alfa Ghișeul unic digital" {
			t.Errorf("initiatives export rows %q", rows)
		}
		x.Close()
		res, body = viewer.get("/scorecard/initiatives/" + strconv.FormatInt(sc.Initiative.ID, 10))
		wantStatus(t, res, body, http.StatusOK)
		wantIn(t, "the initiative", body, "Alfa Ghișeul unic digital", "PNRR", "SC-C1")
	})
}

func TestScorecardReports(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		scSeed(t, f)
		viewer := f.login(t, "alfa.viewer")
		res, body := viewer.get("/scorecard/report.pdf?month=2026-10")
		wantStatus(t, res, body, http.StatusOK)
		if !strings.HasPrefix(body, "%PDF") || res.Header.Get("Content-Type") != "application/pdf" {
			t.Fatalf("not a PDF: %q", body[:min(len(body), 20)])
		}
		res, body = viewer.get("/scorecard/report.xlsx?month=2026-10")
		wantStatus(t, res, body, http.StatusOK)
		x, err := excelize.OpenReader(bytes.NewReader([]byte(body)))
		if err != nil {
			t.Fatal(err)
		}
		defer x.Close()
		sheets := x.GetSheetList()
		if len(sheets) != 2 || sheets[0] != "KPIs" || sheets[1] != "Objectives" {
			t.Fatalf("sheets %q", sheets)
		}
		rows, _ := x.GetRows("KPIs")
		if len(rows) != 2 {
			t.Fatalf("KPI rows %q", rows)
		}
		k := rows[1]
		if k[0] != "Citizens and community" || k[2] != "SCK1" || k[3] != "Alfa Petiții soluționate în termen" || k[5] != "2026-10" || k[6] != "93" || k[7] != "95" ||
			!strings.HasPrefix(k[8], "Amber") || k[9] != "86.7" {
			t.Errorf("KPI row %q", k)
		}
		rows, _ = x.GetRows("Objectives")
		if len(rows) != 4 { // C1, DE1 cascaded to it, F1
			t.Errorf("objective rows %q", rows)
		}
	})
}

func TestScorecardManagerForms(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		sc := scSeed(t, f)
		viewer := f.login(t, "alfa.viewer")
		persp := strconv.FormatInt(sc.Perspectives[2].ID, 10)

		// A viewer reads but changes nothing.
		for _, path := range []string{"/scorecard/objectives/new", "/scorecard/initiatives/new", "/scorecard/objectives/" + strconv.FormatInt(sc.Citizens.ID, 10) + "/edit"} {
			res, body := viewer.get(path)
			wantStatus(t, res, body, http.StatusForbidden)
		}
		for path, form := range map[string]url.Values{
			"/scorecard/objectives":   {"sc_obj_perspective": {persp}, "sc_obj_title": {"Cititorul"}, "sc_obj_weight": {"1"}},
			"/scorecard/links":        {"from_id": {strconv.FormatInt(sc.Citizens.ID, 10)}, "to_id": {strconv.FormatInt(sc.Finance.ID, 10)}},
			"/scorecard/links/delete": {"from_id": {strconv.FormatInt(sc.Finance.ID, 10)}, "to_id": {strconv.FormatInt(sc.Citizens.ID, 10)}},
			"/scorecard/perspectives": {"sc_persp_name": {"Cititorul"}},
			"/scorecard/initiatives":  {"sc_ini_title": {"Cititorul"}},
			"/scorecard/objectives/" + strconv.FormatInt(sc.Citizens.ID, 10) + "/archive": {"version": {strconv.Itoa(sc.Citizens.Version)}},
		} {
			res, body := viewer.post(path, form)
			wantStatus(t, res, body, http.StatusForbidden)
		}

		m := scManager(t, f)
		// A form with mistakes comes back with the error summary and what was typed.
		res, body := m.post("/scorecard/objectives", url.Values{"sc_obj_perspective": {persp}, "sc_obj_code": {"P 9!"}, "sc_obj_title": {""},
			"sc_obj_description": {"Alfa procese digitale, fără hârtie"}, "sc_obj_weight": {"abc"}, "sc_obj_quality": {"1"}})
		wantStatus(t, res, body, http.StatusUnprocessableEntity)
		wantIn(t, "the refused form", body, `class="error-summary"`, `href="#f-sc_obj_title"`, "Titlul obiectivului", `href="#f-sc_obj_weight"`,
			`value="P 9!"`, `value="abc"`, "Alfa procese digitale, fără hârtie", `id="f-sc_obj_quality" name="sc_obj_quality" value="1" checked`, `aria-invalid="true"`)
		var n int
		if err := d.R.QueryRow(`SELECT COUNT(*) FROM scorecard_objectives WHERE tenant_id = $1`, f.A.Inst.ID).Scan(&n); err != nil || n != 3 {
			t.Fatalf("%d objectives after a refused form (err %v)", n, err)
		}
		res, body = m.post("/scorecard/objectives", url.Values{"sc_obj_perspective": {persp}, "sc_obj_code": {"P1"}, "sc_obj_title": {"Alfa Procese digitale"},
			"sc_obj_weight": {"1,5"}, "sc_obj_quality": {"1"}, "sc_obj_owner": {strconv.FormatInt(f.A.Person.ID, 10)}})
		wantStatus(t, res, body, http.StatusSeeOther)
		loc := res.Header.Get("Location")
		if !strings.HasPrefix(loc, "/scorecard/objectives/") {
			t.Fatalf("created objective at %q", loc)
		}
		res, body = m.get(loc)
		wantStatus(t, res, body, http.StatusOK)
		wantIn(t, "the new objective", body, "P1 Alfa Procese digitale", "1,50", "obiectiv al calității", "Alfa Ștefănescu Țiței")
		p1, _ := strconv.ParseInt(strings.TrimPrefix(loc, "/scorecard/objectives/"), 10, 64)

		// Links: add P1 → F1, refuse it twice, then remove it.
		link := url.Values{"from_id": {strconv.FormatInt(p1, 10)}, "to_id": {strconv.FormatInt(sc.Finance.ID, 10)}, "sc_link_note": {"Alfa mai puțină hârtie"}, "month": {"2026-10"}}
		res, body = m.post("/scorecard/links", link)
		wantStatus(t, res, body, http.StatusSeeOther)
		if got := res.Header.Get("Location"); got != "/scorecard/map?month=2026-10" {
			t.Errorf("back to %q", got)
		}
		res, body = m.get("/scorecard/map?month=2026-10")
		wantStatus(t, res, body, http.StatusOK)
		wantIn(t, "the map with the new link", body, "P1 → SC-F1: Alfa mai puțină hârtie", ">P1<")
		res, body = m.post("/scorecard/links", link)
		wantStatus(t, res, body, http.StatusConflict)
		wantIn(t, "the refused link", body, `class="error-summary"`, "cele două obiective sunt deja legate")
		res, body = m.post("/scorecard/links/delete", url.Values{"from_id": link["from_id"], "to_id": link["to_id"]})
		wantStatus(t, res, body, http.StatusSeeOther)
		if err := d.R.QueryRow(`SELECT COUNT(*) FROM scorecard_links WHERE tenant_id = $1 AND from_id = $2`, f.A.Inst.ID, p1).Scan(&n); err != nil || n != 0 {
			t.Errorf("%d links left from P1 (err %v)", n, err)
		}

		// Perspectives: rename one, with a stale version refused.
		pid := strconv.FormatInt(sc.Perspectives[3].ID, 10)
		res, body = m.post("/scorecard/perspectives/"+pid, url.Values{"sc_persp_name": {"Alfa Oameni și tehnologie"}, "sc_persp_weight": {"2"}, "sc_persp_position": {"4"}, "version": {strconv.Itoa(sc.Perspectives[3].Version)}})
		wantStatus(t, res, body, http.StatusSeeOther)
		res, body = m.post("/scorecard/perspectives/"+pid, url.Values{"sc_persp_name": {"Alfa Altceva"}, "sc_persp_weight": {"2"}, "version": {strconv.Itoa(sc.Perspectives[3].Version)}})
		wantStatus(t, res, body, http.StatusConflict)
		res, body = m.post("/scorecard/perspectives", url.Values{"sc_persp_name": {""}, "sc_persp_weight": {"-1"}})
		wantStatus(t, res, body, http.StatusUnprocessableEntity)
		wantIn(t, "the refused perspective", body, `href="#f-sc_persp_name"`, `id="f-sc_persp_name"`, `value="-1"`)
		res, body = m.get("/scorecard/perspectives")
		wantStatus(t, res, body, http.StatusOK)
		wantIn(t, "the perspectives", body, "Alfa Oameni și tehnologie")

		// An initiative's end date is a task in its owner's inbox.
		res, body = m.post("/scorecard/initiatives", url.Values{"sc_ini_title": {"Alfa Arhiva electronică"}, "sc_ini_owner": {strconv.FormatInt(f.A.Person.ID, 10)},
			"sc_ini_objectives": {strconv.FormatInt(p1, 10), strconv.FormatInt(sc.Citizens.ID, 10)}, "sc_ini_budget": {"50.000,50"}, "sc_ini_start": {"2026-12-01"},
			"sc_ini_end": {"2027-06-30"}, "sc_ini_progress": {"0"}, "sc_ini_state": {"planned"}})
		wantStatus(t, res, body, http.StatusSeeOther)
		id, _ := strconv.ParseInt(strings.TrimPrefix(res.Header.Get("Location"), "/scorecard/initiatives/"), 10, 64)
		var person int64
		var due string
		if err := d.R.QueryRow(`SELECT person_id, due_on FROM tasks WHERE tenant_id = $1 AND module = 'scorecard' AND entity = 'initiative' AND entity_id = $2 AND state = 'open'`,
			f.A.Inst.ID, id).Scan(&person, &due); err != nil || person != f.A.Person.ID || !strings.HasPrefix(due, "2027-06-30") {
			t.Errorf("the initiative's task: person %d due %q (err %v)", person, due, err)
		}
		res, body = m.get("/scorecard/initiatives/" + strconv.FormatInt(id, 10))
		wantStatus(t, res, body, http.StatusOK)
		wantIn(t, "the new initiative", body, "Alfa Arhiva electronică", "50.000,50", "P1 Alfa Procese digitale", "SC-C1 Alfa Servicii")
		// Bad numbers and dates come back as typed.
		res, body = m.post("/scorecard/initiatives", url.Values{"sc_ini_title": {"Alfa Greșită"}, "sc_ini_budget": {"mult"}, "sc_ini_progress": {"150"}, "sc_ini_end": {"31.12.2026"}})
		wantStatus(t, res, body, http.StatusUnprocessableEntity)
		wantIn(t, "the refused initiative", body, `href="#f-sc_ini_budget"`, `href="#f-sc_ini_progress"`, `href="#f-sc_ini_end"`, `value="mult"`, `value="31.12.2026"`)

		// Archiving takes the objective off the scorecard.
		res, body = m.post("/scorecard/objectives/"+strconv.FormatInt(p1, 10)+"/archive", url.Values{"version": {"1"}})
		wantStatus(t, res, body, http.StatusSeeOther)
		res, body = m.get("/scorecard")
		wantStatus(t, res, body, http.StatusOK)
		if strings.Contains(body, "P1 Alfa Procese digitale") {
			t.Error("the archived objective is still on the scorecard")
		}
	})
}
