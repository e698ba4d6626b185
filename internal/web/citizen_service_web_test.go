package web

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/xuri/excelize/v2"

	"cadran/internal/db"
	"cadran/internal/db/dbtest"
)

// citizenGrant gives a user of the fixture one more role.
func citizenGrant(t *testing.T, f *fixture, tenant, user int64, role string) {
	t.Helper()
	if _, err := f.DB.W.Exec(`INSERT INTO user_roles (tenant_id, user_id, role) VALUES ($1, $2, $3)`, tenant, user, role); err != nil {
		t.Fatal(err)
	}
}

// citizenPDFHas reports whether a PDF prints text. fpdf writes a UTF-8
// font's text as UTF-16BE glyph codes equal to the code points (its
// ToUnicode map is the identity), one string per printed line, in
// compressed content streams: inflate them and look for the code units.
func citizenPDFHas(t *testing.T, pdf []byte, text string) bool {
	t.Helper()
	var want []byte
	for _, u := range utf16.Encode([]rune(text)) {
		want = binary.BigEndian.AppendUint16(want, u)
	}
	b := pdf
	for {
		i := bytes.Index(b, []byte("stream"))
		if i < 0 {
			return false
		}
		b = bytes.TrimLeft(b[i+len("stream"):], "\r\n")
		j := bytes.Index(b, []byte("endstream"))
		if j < 0 {
			return false
		}
		if r, err := zlib.NewReader(bytes.NewReader(b[:j])); err == nil {
			data, _ := io.ReadAll(r)
			// PDF strings escape the bytes ( ) and \; the Romanian letters
			// and the text sought hold none of them.
			if bytes.Contains(data, want) {
				return true
			}
		}
		b = b[j+len("endstream"):]
	}
}

// citizenXLSX opens a workbook and returns its first sheet's rows.
func citizenXLSX(t *testing.T, res *http.Response, body string) [][]string {
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
	rows, err := x.GetRows(x.GetSheetName(0))
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

func citizenRowWith(rows [][]string, cell string) []string {
	for _, r := range rows {
		for _, c := range r {
			if c == cell {
				return r
			}
		}
	}
	return nil
}

// TestCitizenServiceCatalogue walks the catalogue as the quality manager
// in Romanian and as a viewer in English: the form and its errors, the
// service's page with its links and QR code, the poster, the list's
// filters and export, and a lost race.
func TestCitizenServiceCatalogue(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		citizenGrant(t, f, f.A.Inst.ID, f.A.Admin.ID, "quality_manager")
		mgr := f.login(t, f.A.Admin.Username)
		viewer := f.login(t, "alfa.viewer")

		// An empty form: every problem named, nothing saved.
		res, body := mgr.post("/citizen/services", url.Values{"citizen_svc_code": {"urb cu?"}, "citizen_svc_legal_days": {"treizeci"}, "citizen_svc_baseline_from": {"2025-13-01"}})
		wantStatus(t, res, body, http.StatusUnprocessableEntity)
		wantIn(t, "the form with errors", body, `class="error-summary"`, `href="#f-citizen_svc_legal_days"`, "Termenul legal (zile)", `href="#f-citizen_svc_baseline_from"`, `value="treizeci"`)
		res, body = mgr.post("/citizen/services", url.Values{"citizen_svc_code": {"urb cu?"}, "citizen_svc_legal_days": {"30"}})
		wantStatus(t, res, body, http.StatusUnprocessableEntity)
		wantIn(t, "the domain's errors", body, `href="#f-citizen_svc_code"`, `href="#f-citizen_svc_name"`, `href="#f-citizen_svc_unit_id"`, "Codul serviciului")
		var n int
		if err := d.R.QueryRow(`SELECT COUNT(*) FROM citizen_services`).Scan(&n); err != nil || n != 0 {
			t.Fatalf("%d services saved from invalid forms (%v)", n, err)
		}

		form := url.Values{"citizen_svc_code": {"urb-cu"}, "citizen_svc_name": {"Certificat de urbanism <b>"}, "citizen_svc_unit_id": {strconv.FormatInt(f.A.SubUnit.ID, 10)},
			"citizen_svc_legal_days": {"30"}, "citizen_svc_legal_basis": {"Legea 50/1991, art. 6"}, "citizen_svc_fee": {"15 lei"},
			"citizen_svc_documents": {"Cerere tip\n\n  Plan de încadrare în zonă  \nExtras de carte funciară"}, "citizen_svc_active": {"1"}}
		res, body = mgr.post("/citizen/services", form)
		wantStatus(t, res, body, http.StatusSeeOther)
		loc := res.Header.Get("Location")
		if !strings.HasPrefix(loc, "/citizen/services/") {
			t.Fatalf("created: redirected to %q", loc)
		}
		res, body = mgr.get(loc)
		wantStatus(t, res, body, http.StatusOK)
		wantIn(t, "the service's page", body, "URB-CU · Certificat de urbanism &lt;b&gt;", "<li>Plan de încadrare în zonă</li>", "Alfa Serviciul Buget",
			"/public/4322823/services/URB-CU", "/f/4322823/URB-CU", `<svg xmlns="http://www.w3.org/2000/svg" class="qr"`, `role="img"`,
			"Cod QR pentru evaluarea serviciului Certificat de urbanism &lt;b&gt;", "Ultimele 12 luni încheiate", "Anul în curs", loc+"/poster.pdf")
		if strings.Contains(body, "<b>") {
			t.Error("the service's name is printed unescaped")
		}
		res, body = mgr.get(loc + "/qr.svg")
		wantStatus(t, res, body, http.StatusOK)
		if res.Header.Get("Content-Type") != "image/svg+xml" || !strings.Contains(body, "<path fill=\"#000\" d=\"M") {
			t.Errorf("qr.svg: %s %q", res.Header.Get("Content-Type"), body[:min(200, len(body))])
		}
		res, body = viewer.get(loc + "/poster.pdf")
		wantStatus(t, res, body, http.StatusOK)
		if !strings.HasPrefix(body, "%PDF") || res.Header.Get("Content-Type") != "application/pdf" {
			t.Fatal("the poster is not a PDF")
		}
		for _, s := range []string{"Primăria Alfa", "Certificat de urbanism <b>", "How did we serve you?"} {
			if !citizenPDFHas(t, []byte(body), s) {
				t.Errorf("the poster lacks %q", s)
			}
		}
		if !citizenPDFHas(t, []byte(body), f.HTTP.URL+"/f/4322823/URB-CU") {
			t.Error("the poster lacks the short link")
		}

		// A second, inactive service; the list filters and sorts them.
		res, body = mgr.post("/citizen/services", url.Values{"citizen_svc_code": {"FISC-CAF"}, "citizen_svc_name": {"Certificat de atestare fiscală"},
			"citizen_svc_unit_id": {strconv.FormatInt(f.A.Unit.ID, 10)}, "citizen_svc_legal_days": {"2"}})
		wantStatus(t, res, body, http.StatusSeeOther)
		for _, c := range []struct {
			query       string
			want, avoid []string
		}{
			{"", []string{"URB-CU", "FISC-CAF"}, nil},
			{"?active=0", []string{"FISC-CAF"}, []string{"URB-CU"}},
			{"?active=1", []string{"URB-CU"}, []string{"FISC-CAF"}},
			{"?q=fiscala", []string{"FISC-CAF"}, []string{"URB-CU"}},
			{"?unit=" + strconv.FormatInt(f.A.SubUnit.ID, 10), []string{"URB-CU"}, []string{"FISC-CAF"}},
			{"?unit=" + strconv.FormatInt(f.A.Unit.ID, 10), []string{"URB-CU", "FISC-CAF"}, nil}, // the subunit's too
		} {
			res, body = viewer.get("/citizen/services" + c.query)
			wantStatus(t, res, body, http.StatusOK)
			for _, w := range c.want {
				if !strings.Contains(body, ">"+w+"</a>") {
					t.Errorf("%s: %s missing", c.query, w)
				}
			}
			for _, w := range c.avoid {
				if strings.Contains(body, ">"+w+"</a>") {
					t.Errorf("%s: %s shown", c.query, w)
				}
			}
		}
		res, body = viewer.get("/citizen/services?sort=-legal_days")
		wantStatus(t, res, body, http.StatusOK)
		if i, j := strings.Index(body, ">URB-CU</a>"), strings.Index(body, ">FISC-CAF</a>"); i < 0 || j < 0 || i > j {
			t.Error("sorted by legal days, longest first: URB-CU (30) should come before FISC-CAF (2)")
		}
		if strings.Contains(body, `href="/citizen/services/new"`) {
			t.Error("the viewer is offered a new service")
		}
		res, body = viewer.get("/citizen/services/export.xlsx?active=1")
		rows := citizenXLSX(t, res, body)
		if len(rows) != 2 || citizenRowWith(rows, "URB-CU") == nil {
			t.Fatalf("export of the active services: %v", rows)
		}
		row := citizenRowWith(rows, "URB-CU")
		wantIn(t, "the export", strings.Join(row, "|"), "Alfa Serviciul Buget", "|30|", "Cerere tip\nPlan de încadrare în zonă\nExtras de carte funciară")

		// The viewer may read but not change the catalogue.
		for _, p := range []string{"/citizen/services/new", loc + "/edit"} {
			res, body = viewer.get(p)
			wantStatus(t, res, body, http.StatusForbidden)
		}
		res, body = viewer.post(loc, form)
		wantStatus(t, res, body, http.StatusForbidden)

		// Edit: the form shows the service; a stale version loses.
		res, body = mgr.get(loc + "/edit")
		wantStatus(t, res, body, http.StatusOK)
		wantIn(t, "the edit form", body, `value="URB-CU"`, `name="version" value="1"`, "Extras de carte funciară</textarea>")
		form.Set("version", "1")
		form.Set("citizen_svc_legal_days", "25")
		res, body = mgr.post(loc, form)
		wantStatus(t, res, body, http.StatusSeeOther)
		res, body = mgr.post(loc, form)
		wantStatus(t, res, body, http.StatusConflict)
		wantIn(t, "the stale form", body, `class="error-summary"`, `value="25"`)
		res, body = mgr.get(loc)
		wantIn(t, "the service after the change", body, "25 de zile")
	})
}

// TestCitizenSettingsPage saves the settings, refuses bad dates and a lost
// race, and keeps them from a viewer.
func TestCitizenSettingsPage(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		citizenGrant(t, f, f.A.Inst.ID, f.A.Admin.ID, "quality_manager")
		mgr := f.login(t, f.A.Admin.Username)
		viewer := f.login(t, "alfa.viewer")
		res, body := viewer.get("/citizen/settings")
		wantStatus(t, res, body, http.StatusForbidden)
		res, body = mgr.get("/citizen/settings")
		wantStatus(t, res, body, http.StatusOK)
		wantIn(t, "the settings form", body, `name="citizen_settings_shift" value="1" checked`, `name="citizen_settings_public" value="1" checked`, "/public/4322823")
		version := body[strings.Index(body, `name="version" value="`)+len(`name="version" value="`):]
		version = version[:strings.Index(version, `"`)]

		bad := url.Values{"version": {version}, "citizen_settings_baseline_from": {"2025-02-30"}, "citizen_settings_baseline_to": {"2025-12-31"}}
		res, body = mgr.post("/citizen/settings", bad)
		wantStatus(t, res, body, http.StatusUnprocessableEntity)
		wantIn(t, "bad dates", body, `href="#f-citizen_settings_baseline_from"`, `value="2025-02-30"`)
		bad.Set("citizen_settings_baseline_from", "2026-01-01")
		res, body = mgr.post("/citizen/settings", bad)
		wantStatus(t, res, body, http.StatusUnprocessableEntity)
		wantIn(t, "a period in reverse", body, "Sfârșitul perioadei de referință este înaintea începutului.")

		good := url.Values{"version": {version}, "citizen_settings_public": {"1"}, "citizen_settings_baseline_from": {"2025-01-01"},
			"citizen_settings_baseline_to": {"2025-06-30"}, "citizen_settings_contact": {"Registratura: luni–vineri, 8–16 <script>"}}
		res, body = mgr.post("/citizen/settings", good)
		wantStatus(t, res, body, http.StatusSeeOther)
		st, err := f.Srv.citizen.SettingsOf(t.Context(), f.A.Inst.ID)
		if err != nil {
			t.Fatal(err)
		}
		if st.ShiftToWorking || !st.PublicEnabled || st.BaselineFrom.Format("2006-01-02") != "2025-01-01" || st.BaselineTo.Format("2006-01-02") != "2025-06-30" ||
			!strings.HasPrefix(st.Contact, "Registratura: luni–vineri") {
			t.Fatalf("saved settings: %+v", st)
		}
		res, body = mgr.get("/citizen/settings")
		wantIn(t, "the saved form", body, `value="2025-01-01"`, `value="2025-06-30"`, "&lt;script&gt;")
		if strings.Contains(body, `name="citizen_settings_shift" value="1" checked`) {
			t.Error("the shift box is still checked")
		}
		// The same version again: someone else saved in between.
		res, body = mgr.post("/citizen/settings", good)
		wantStatus(t, res, body, http.StatusConflict)
		wantIn(t, "the lost race", body, `class="error-summary"`)
		var events int
		if err := d.R.QueryRow(`SELECT COUNT(*) FROM audit_events WHERE tenant_id = $1 AND entity = 'citizen_settings'`, f.A.Inst.ID).Scan(&events); err != nil || events != 1 {
			t.Errorf("%d audit events for the settings (err %v), want 1", events, err)
		}
	})
}

// TestCitizenStatsPagesRender opens every page of the catalogue, the
// statistics, the reports, the ratings and the settings as the quality
// manager (Romanian) and a viewer (English): each answers, or refuses the
// viewer, and no message key is left untranslated.
func TestCitizenStatsPagesRender(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		citizenGrant(t, f, f.A.Inst.ID, f.A.Admin.ID, "quality_manager")
		mgr := f.login(t, f.A.Admin.Username)
		viewer := f.login(t, "alfa.viewer")
		p := citizenStatsData(t, f)
		id := "/citizen/services/" + strconv.FormatInt(p.ID, 10)
		refused := map[string]bool{"/citizen/services/new": true, id + "/edit": true, "/citizen/settings": true, "/citizen/reports": true,
			"/citizen/reports/petitions.pdf": true, "/citizen/reports/petitions.xlsx": true, "/citizen/reports/information.pdf": true, "/citizen/reports/information.xlsx": true}
		for _, path := range []string{"/citizen/services", "/citizen/services/export.xlsx", "/citizen/services/new", id, id + "/edit", id + "/qr.svg", id + "/poster.pdf",
			"/citizen/indicators", "/citizen/indicators?year=2025", "/citizen/indicators?from=2025-02-01&to=2025-04-30", "/citizen/indicators/export.xlsx",
			"/citizen/impact", "/citizen/impact/report.pdf", "/citizen/impact/report.xlsx", "/citizen/reports", "/citizen/reports/petitions.pdf",
			"/citizen/reports/petitions.xlsx", "/citizen/reports/information.pdf", "/citizen/reports/information.xlsx", "/citizen/feedback",
			"/citizen/feedback/export.xlsx", "/citizen/settings"} {
			for _, c := range []*client{mgr, viewer} {
				res, body := c.get(path)
				want := http.StatusOK
				if c == viewer && refused[strings.SplitN(path, "?", 2)[0]] {
					want = http.StatusForbidden
				}
				wantStatus(t, res, body, want)
				if strings.Contains(res.Header.Get("Content-Type"), "html") {
					for _, k := range []string{"citizen.pages.", "citizen.stats.", "field.citizen", "citizen.kind.", "citizen.topic.", "error."} {
						if strings.Contains(body, k) {
							t.Errorf("%s shows an untranslated key %s…", path, k)
						}
					}
				}
			}
		}
	})
}
