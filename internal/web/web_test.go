package web

import (
	"bytes"
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"cadran/internal/db"
	"cadran/internal/db/dbtest"
)

func TestSignInAndOut(t *testing.T) {
	d := dbtest.Open(t, db.SQLite)
	f := newFixture(t, d)
	c := f.client(t)
	res, _ := c.get("/people")
	wantStatus(t, res, "", http.StatusSeeOther)
	if loc := res.Header.Get("Location"); loc != "/login?next=%2Fpeople" {
		t.Fatalf("redirect to %q", loc)
	}
	res, body := c.post("/login", url.Values{"username": {f.A.Username}, "password": {"greșită-parola"}})
	wantStatus(t, res, body, http.StatusUnauthorized)
	if !strings.Contains(body, "Numele de utilizator sau parola nu sunt corecte.") {
		t.Fatal("no Romanian error for a wrong password")
	}
	if strings.Contains(body, "greșită-parola") {
		t.Fatal("the password was echoed back into the page")
	}
	res, _ = c.post("/login", url.Values{"username": {f.A.Username}, "password": {testPassword}, "next": {"/people"}})
	wantStatus(t, res, "", http.StatusSeeOther)
	if loc := res.Header.Get("Location"); loc != "/people" {
		t.Fatalf("after sign-in went to %q", loc)
	}
	cookie := res.Header.Get("Set-Cookie")
	for _, want := range []string{"cadran_session=", "HttpOnly", "SameSite=Lax"} {
		if !strings.Contains(cookie, want) {
			t.Errorf("session cookie %q lacks %s", cookie, want)
		}
	}
	res, body = c.get("/")
	wantStatus(t, res, body, http.StatusOK)
	if !strings.Contains(body, "Primăria Alfa") || !strings.Contains(body, `lang="ro"`) {
		t.Fatal("home page does not show the institution in Romanian")
	}
	res, _ = c.post("/logout", nil)
	wantStatus(t, res, "", http.StatusSeeOther)
	res, _ = c.get("/")
	wantStatus(t, res, "", http.StatusSeeOther)
}

func TestOpenRedirectRefused(t *testing.T) {
	d := dbtest.Open(t, db.SQLite)
	f := newFixture(t, d)
	for _, next := range []string{"https://evil.example/", "//evil.example/x", `/\evil.example`} {
		c := f.client(t)
		res, _ := c.post("/login", url.Values{"username": {f.A.Username}, "password": {testPassword}, "next": {next}})
		if loc := res.Header.Get("Location"); loc != "/" {
			t.Errorf("next=%q redirected to %q", next, loc)
		}
	}
}

func TestSignInThrottled(t *testing.T) {
	d := dbtest.Open(t, db.SQLite)
	f := newFixture(t, d)
	c := f.client(t)
	for range 5 {
		c.post("/login", url.Values{"username": {f.A.Username}, "password": {"nu-este-bună"}})
	}
	res, body := c.post("/login", url.Values{"username": {f.A.Username}, "password": {testPassword}})
	wantStatus(t, res, body, http.StatusTooManyRequests)
	if !strings.Contains(body, "încercați din nou peste 15 minute") {
		t.Fatalf("no throttling message: %s", body)
	}
}

func TestSecurityHeaders(t *testing.T) {
	d := dbtest.Open(t, db.SQLite)
	f := newFixture(t, d)
	res, _ := f.client(t).get("/login")
	for h, want := range map[string]string{
		"Content-Security-Policy": "default-src 'self'",
		"X-Content-Type-Options":  "nosniff",
		"X-Frame-Options":         "DENY",
		"Referrer-Policy":         "same-origin",
	} {
		if !strings.Contains(res.Header.Get(h), want) {
			t.Errorf("%s = %q, want %q", h, res.Header.Get(h), want)
		}
	}
	// A cross-site form post (as a browser sends it) is refused.
	c := f.login(t, f.A.Username)
	req, _ := http.NewRequest("POST", c.base+"/units", strings.NewReader("name=X&kind=service&relation=own"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	req.Header.Set("Origin", "https://evil.example")
	res, _ = c.do(req)
	wantStatus(t, res, "", http.StatusForbidden)
}

func TestLanguageFollowsTheUser(t *testing.T) {
	d := dbtest.Open(t, db.SQLite)
	f := newFixture(t, d)
	c := f.login(t, f.A.Username)
	_, body := c.get("/units")
	if !strings.Contains(body, "Structura organizatorică") {
		t.Fatal("not Romanian by default")
	}
	res, _ := c.post("/language", url.Values{"lang": {"en"}, "back": {"/units"}})
	if loc := res.Header.Get("Location"); loc != "/units" {
		t.Fatalf("language switch went to %q", loc)
	}
	_, body = c.get("/units")
	if !strings.Contains(body, "Organisation chart") || !strings.Contains(body, `lang="en"`) {
		t.Fatal("not English after the switch")
	}
	// The choice is kept on the user: a new session speaks English too.
	c2 := f.login(t, f.A.Username)
	if _, body := c2.get("/units"); !strings.Contains(body, "Organisation chart") {
		t.Fatal("the language choice was not kept for the user")
	}
	if res, _ := c.post("/language", url.Values{"lang": {"fr"}}); res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("unknown language: status %d", res.StatusCode)
	}
}

// viewerRefused are the GET routes, beyond new, edit and settings pages,
// that need more than reading: a viewer is refused them.
var viewerRefused = map[string]bool{
	// Training: target groups hold eligibility data, attendance is personal.
	"/training/groups": true, "/training/groups/export.xlsx": true, "/training/groups/{id}": true,
	"/training/groups/{id}/members/{tmid}": true, "/training/groups/{id}/record.xlsx": true, "/training/groups/{id}/record.pdf": true,
	"/training/sessions/{id}/attendance": true, "/training/sessions/{id}/attendance.pdf": true,
	// The legal reports on petitions and public information are drawn up
	// by the quality office and management.
	"/citizen/reports": true, "/citizen/reports/petitions.pdf": true, "/citizen/reports/petitions.xlsx": true,
	"/citizen/reports/information.pdf": true, "/citizen/reports/information.xlsx": true,
}

func TestEveryPageRenders(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		admin := f.login(t, f.A.Username)
		viewer := f.login(t, "alfa.viewer")
		if _, err := d.W.Exec(`UPDATE users SET platform_admin = TRUE WHERE id = $1`, f.A.Admin.ID); err != nil {
			t.Fatal(err)
		}
		// The administrator is also the quality manager here, so the pages
		// of the inbox that need oversight render too.
		if _, err := d.W.Exec(`INSERT INTO user_roles (tenant_id, user_id, role) VALUES ($1, $2, 'quality_manager')`, f.A.Inst.ID, f.A.Admin.ID); err != nil {
			t.Fatal(err)
		}
		ids := map[string]string{"/units/{id}": fmt.Sprint(f.A.SubUnit.ID), "/people/{id}": fmt.Sprint(f.A.Person.ID), "/users/{id}": fmt.Sprint(f.A.Viewer.ID),
			"/audit/{id}": fmt.Sprint(f.A.AuditID), "/tasks/{id}": fmt.Sprint(f.A.Task.ID), "/documents/{id}": fmt.Sprint(f.A.Doc.ID)}
		pairs := []string{"{vid}", strconv.FormatInt(f.A.Draft, 10), "{fid}", strconv.FormatInt(f.A.File, 10)}
		// The modules' own records of institution A, as the isolation test
		// makes them.
		for _, m := range isolationModules {
			recs := m(t, f)
			maps.Copy(ids, recs.IDs)
			for k, v := range recs.Params {
				pairs = append(pairs, k, v)
			}
		}
		params := strings.NewReplacer(pairs...)
		for _, rt := range f.Srv.Routes() {
			if rt[0] != "GET" || strings.HasPrefix(rt[1], "/static/") || strings.HasPrefix(rt[1], "/calendar/") {
				continue
			}
			path := strings.TrimSuffix(rt[1], "{$}")
			if i := strings.Index(path, "{id}"); i >= 0 {
				path = strings.Replace(path, "{id}", ids[path[:i+4]], 1)
			}
			path = params.Replace(path)
			res, body := admin.get(path)
			want := http.StatusOK
			if path == "/login" {
				want = http.StatusSeeOther // already signed in
			}
			wantStatus(t, res, body, want)
			if strings.Contains(body, "nav.") || strings.Contains(body, "error.") && strings.Contains(res.Header.Get("Content-Type"), "html") {
				t.Errorf("%s shows an untranslated key", path)
			}
			// The viewer (English) may read the chart and people, and is refused the rest.
			res, body = viewer.get(path)
			switch {
			case path == "/login":
			case path == "/imports/new":
				// The chooser of registers to import into, empty for a viewer.
				wantStatus(t, res, body, http.StatusOK)
			case strings.HasPrefix(path, "/imports/") && rt[1] != "/imports/{target}/template.xlsx":
				// An import is only its uploader's: not found for anyone else.
				wantStatus(t, res, body, http.StatusNotFound)
			case strings.Contains(path, "/versions/"):
				// The viewer does not see a draft revision: not found, as if absent.
				wantStatus(t, res, body, http.StatusNotFound)
			case strings.HasPrefix(path, "/users"), path == "/audit", strings.HasPrefix(path, "/audit/"), strings.HasPrefix(path, "/platform"), strings.HasSuffix(path, "/new"), strings.HasSuffix(path, "/edit"), strings.HasSuffix(path, "/reassign"),
				strings.HasPrefix(path, "/documents/import"), strings.Contains(path, "/settings"), viewerRefused[rt[1]], viewerRefused[strings.TrimSuffix(rt[1], ".csv")+".xlsx"]:
				wantStatus(t, res, body, http.StatusForbidden)
				if !strings.Contains(body, "You are not allowed to do this.") {
					t.Errorf("%s: no English refusal for the viewer", path)
				}
			default:
				wantStatus(t, res, body, http.StatusOK)
			}
		}
	})
}

func TestUnitLifecycleIsAudited(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		c := f.login(t, f.A.Username)
		before := auditCount(t, d, f.A.Inst.ID)
		// Invalid input: a clear message, the typed values kept, nothing saved.
		res, body := c.post("/units", url.Values{"name": {""}, "code": {"cîc"}, "kind": {"service"}, "relation": {"own"}, "parent_id": {strconv.FormatInt(f.A.Unit.ID, 10)}})
		wantStatus(t, res, body, http.StatusUnprocessableEntity)
		if !strings.Contains(body, "Verificați câmpurile marcate") || !strings.Contains(body, `aria-invalid="true"`) || !strings.Contains(body, `value="cîc"`) {
			t.Fatal("the form did not explain the error or lost what was typed")
		}
		res, _ = c.post("/units", url.Values{"name": {"Compartimentul  Îmbunătăţire"}, "code": {"cic"}, "kind": {"compartment"}, "relation": {"own"}, "parent_id": {strconv.FormatInt(f.A.Unit.ID, 10)}})
		wantStatus(t, res, "", http.StatusSeeOther)
		loc := res.Header.Get("Location")
		res, body = c.get(loc)
		wantStatus(t, res, body, http.StatusOK)
		if !strings.Contains(body, "Compartimentul Îmbunătățire") || !strings.Contains(body, "Înregistrarea a fost creată.") {
			t.Fatal("the new unit page lacks its cleaned name (comma-below ț) or the flash")
		}
		id := strings.TrimPrefix(loc, "/units/")
		// A stale edit is refused with an explanation and what was typed kept.
		res, _ = c.post("/units/"+id, url.Values{"name": {"Compartimentul Calitate"}, "kind": {"compartment"}, "relation": {"own"}, "version": {"1"}})
		wantStatus(t, res, "", http.StatusSeeOther)
		res, body = c.post("/units/"+id, url.Values{"name": {"Versiune veche"}, "kind": {"compartment"}, "relation": {"own"}, "version": {"1"}})
		wantStatus(t, res, body, http.StatusConflict)
		if !strings.Contains(body, "modificată între timp de altcineva") || !strings.Contains(body, "Versiune veche") {
			t.Fatal("stale edit not explained or typed value lost")
		}
		// A unit with people cannot be deleted; the reason is shown.
		res, _ = c.post("/units/"+strconv.FormatInt(f.A.SubUnit.ID, 10)+"/delete", url.Values{"version": {"1"}})
		wantStatus(t, res, "", http.StatusSeeOther)
		if _, body = c.get(res.Header.Get("Location")); !strings.Contains(body, "Compartimentul are personal") {
			t.Fatal("refused delete not explained")
		}
		res, _ = c.post("/units/"+id+"/delete", url.Values{"version": {"2"}})
		wantStatus(t, res, "", http.StatusSeeOther)
		if res.Header.Get("Location") != "/units" {
			t.Fatalf("delete went to %q", res.Header.Get("Location"))
		}
		// create + update + delete: three events, each with before/after.
		if n := auditCount(t, d, f.A.Inst.ID) - before; n != 3 {
			t.Fatalf("%d audit events for create, update and delete", n)
		}
		_, body = c.get("/audit?entity=unit")
		for _, want := range []string{"Creare", "Modificare", "Ștergere", "Compartimentul Calitate"} {
			if !strings.Contains(body, want) {
				t.Errorf("audit list lacks %q", want)
			}
		}
	})
}

func TestPeopleListSearchSortPageExport(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		c := f.login(t, f.A.Username)
		for i := range 30 {
			res, body := c.post("/people", url.Values{"full_name": {"Popescu Ion " + strconv.Itoa(100+i)}, "unit_id": {strconv.FormatInt(f.A.Unit.ID, 10)}, "position": {"execution"}, "employment": {"contract"}, "active": {"on"}})
			wantStatus(t, res, body, http.StatusSeeOther)
		}
		_, body := c.get("/people?q=stefanescu+titei")
		if !strings.Contains(body, "Alfa Ștefănescu Țiței") {
			t.Fatal("search without diacritics did not find the person")
		}
		_, body = c.get("/people?sort=-name&unit=" + strconv.FormatInt(f.A.Unit.ID, 10))
		if !strings.Contains(body, "Se afișează 1–25 din 32") || !strings.Contains(body, `aria-sort="descending"`) {
			t.Fatal("pagination or sort state missing")
		}
		if strings.Index(body, "Popescu Ion 129") > strings.Index(body, "Popescu Ion 128") {
			t.Fatal("descending sort not applied")
		}
		_, body = c.get("/people?page=2&unit=" + strconv.FormatInt(f.A.Unit.ID, 10))
		if !strings.Contains(body, "Se afișează 26–32 din 32") {
			t.Fatal("second page wrong")
		}
		res, xlsx := c.get("/people/export.xlsx?unit=" + strconv.FormatInt(f.A.SubUnit.ID, 10))
		wantStatus(t, res, "", http.StatusOK)
		wb, err := excelize.OpenReader(bytes.NewReader([]byte(xlsx)))
		if err != nil {
			t.Fatalf("export is not a workbook: %v", err)
		}
		rows, _ := wb.GetRows(wb.GetSheetName(0))
		if len(rows) != 2 || rows[0][0] != "Nume și prenume" || rows[1][0] != "Alfa Ștefănescu Țiței" || rows[1][3] != "Funcție de conducere" {
			t.Fatalf("export rows: %q", rows)
		}
	})
}

func TestPasswordChangeEndsOtherSessions(t *testing.T) {
	d := dbtest.Open(t, db.SQLite)
	f := newFixture(t, d)
	c1 := f.login(t, f.A.Username)
	c2 := f.login(t, f.A.Username)
	res, body := c1.post("/account/password", url.Values{"current_password": {testPassword}, "new_password": {"scurt"}, "confirm_password": {"scurt"}})
	wantStatus(t, res, body, http.StatusUnprocessableEntity)
	if !strings.Contains(body, "cel puțin 10 caractere") {
		t.Fatal("short password not explained")
	}
	res, _ = c1.post("/account/password", url.Values{"current_password": {testPassword}, "new_password": {"o-parola-noua-lunga"}, "confirm_password": {"o-parola-noua-lunga"}})
	wantStatus(t, res, "", http.StatusSeeOther)
	if res, _ := c1.get("/account"); res.StatusCode != http.StatusOK {
		t.Fatalf("the session that changed the password was signed out: %d", res.StatusCode)
	}
	if res, _ := c2.get("/account"); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("the other session still works: %d", res.StatusCode)
	}
}

func TestDisabledUserIsSignedOut(t *testing.T) {
	d := dbtest.Open(t, db.SQLite)
	f := newFixture(t, d)
	viewer := f.login(t, "alfa.viewer")
	admin := f.login(t, f.A.Username)
	res, body := admin.post("/users/"+strconv.FormatInt(f.A.Viewer.ID, 10), url.Values{"display_name": {"Alfa Cititor"}, "roles": {"viewer"}, "locale": {"en"}, "disabled": {"on"}, "version": {"1"}})
	wantStatus(t, res, body, http.StatusSeeOther)
	if res, _ := viewer.get("/"); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("a disabled user's session still works: %d", res.StatusCode)
	}
}

func TestPlatformAdminCreatesInstitution(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		c := f.login(t, f.A.Username)
		if res, _ := c.get("/platform/institutions"); res.StatusCode != http.StatusForbidden {
			t.Fatalf("a plain administrator reached the platform list: %d", res.StatusCode)
		}
		if _, err := d.W.Exec(`UPDATE users SET platform_admin = TRUE WHERE id = $1`, f.A.Admin.ID); err != nil {
			t.Fatal(err)
		}
		form := url.Values{"name": {"Comuna Gamma"}, "cui": {"RO 4322824"}, "kind": {"commune"}, "county": {"Sibiu"},
			"admin_username": {"gamma.admin"}, "admin_display_name": {"Administrator Gamma"}, "admin_password": {"parola-gamma-1"}, "admin_locale": {"ro"}}
		res, body := c.post("/platform/institutions", form)
		wantStatus(t, res, body, http.StatusUnprocessableEntity)
		if !strings.Contains(body, "cifra de control") || strings.Contains(body, "parola-gamma-1") {
			t.Fatal("bad CUI not explained, or the password was echoed")
		}
		form.Set("cui", "RO 7811441")
		res, body = c.post("/platform/institutions", form)
		wantStatus(t, res, body, http.StatusSeeOther)
		g := f.client(t)
		res, _ = g.post("/login", url.Values{"username": {"gamma.admin"}, "password": {"parola-gamma-1"}})
		wantStatus(t, res, "", http.StatusSeeOther)
		_, body = g.get("/")
		if !strings.Contains(body, "Comuna Gamma") || strings.Contains(body, "Primăria Alfa") || strings.Contains(body, "Ștefănescu") {
			t.Fatal("the new institution's administrator does not land in their own institution")
		}
	})
}

func TestHealthAndMetrics(t *testing.T) {
	d := dbtest.Open(t, db.SQLite)
	f := newFixture(t, d)
	c := f.client(t)
	res, body := c.get("/healthz")
	wantStatus(t, res, body, http.StatusOK)
	if !strings.HasPrefix(body, "ok") {
		t.Fatalf("healthz: %q", body)
	}
	res, _ = c.get("/login")
	if st := res.Header.Get("Server-Timing"); !regexp.MustCompile(`^app;dur=\d+\.\d\d;desc="GET /login"$`).MatchString(st) {
		t.Errorf("Server-Timing = %q, want the time and the route", st)
	}
	res, body = c.get("/metrics")
	wantStatus(t, res, body, http.StatusOK)
	for _, want := range []string{`cadran_http_requests_total{route="GET /login",status="200"} 1`, "cadran_http_request_duration_seconds_bucket", "go_goroutines"} {
		if !strings.Contains(body, want) {
			t.Errorf("metrics lack %q", want)
		}
	}
	res, _ = c.get("/no/such/page")
	wantStatus(t, res, "", http.StatusNotFound)
}

func TestStaticFilesAreHashedAndCached(t *testing.T) {
	d := dbtest.Open(t, db.SQLite)
	f := newFixture(t, d)
	c := f.client(t)
	_, body := c.get("/login")
	href := f.Srv.static.url("app.css")
	if !strings.Contains(body, href) || href == "/static/app.css" {
		t.Fatalf("page does not link the hashed stylesheet %s", href)
	}
	res, css := c.get(href)
	wantStatus(t, res, "", http.StatusOK)
	if !strings.Contains(res.Header.Get("Cache-Control"), "immutable") || !strings.Contains(css, "--brand") || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/css") {
		t.Fatal("stylesheet not served with long caching")
	}
	if res, _ := c.get("/static/app.css"); res.StatusCode != http.StatusNotFound {
		t.Fatal("unhashed name served")
	}
}
