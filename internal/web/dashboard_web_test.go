package web

import (
	"context"
	"fmt"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"cadran/internal/auth"
	"cadran/internal/clock"
	"cadran/internal/dashboard"
	"cadran/internal/db"
	"cadran/internal/db/dbtest"
	"cadran/internal/demo"
	"cadran/internal/org"
)

// dashDemo serves the seeded demo institution and returns the server, its
// tenant and a sign-in function for its users.
func dashDemo(t *testing.T, d *db.DB) (*Server, int64, func(username string) *client) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	if _, err := demo.Seed(ctx, d, clock.System{}); err != nil {
		t.Fatalf("seeding the demo: %v", err)
	}
	var tenant int64
	if err := d.R.QueryRow(`SELECT id FROM institutions WHERE cui = $1`, demo.CUI).Scan(&tenant); err != nil {
		t.Fatal(err)
	}
	srv, err := New(Options{DB: d, Clock: clock.System{}, Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv.Handler())
	t.Cleanup(hs.Close)
	login := func(username string) *client {
		jar, _ := cookiejar.New(nil)
		c := &client{t: t, base: hs.URL, c: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
		res, body := c.post("/login", url.Values{"username": {username}, "password": {"cadran-demo"}})
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("sign-in of %s: status %d\n%.400s", username, res.StatusCode, body)
		}
		return c
	}
	return srv, tenant, login
}

// dashFigure reads the figure of the element with id in a page.
func dashFigure(t *testing.T, body, id string) string {
	t.Helper()
	m := regexp.MustCompile(`id="` + id + `"[^>]*>([^<]*)<`).FindStringSubmatch(body)
	if m == nil {
		t.Errorf("the page has no element %s", id)
		return ""
	}
	return strings.TrimSpace(m[1])
}

func dashCount(t *testing.T, d *db.DB, q string, args ...any) int {
	t.Helper()
	var n int
	if err := d.R.QueryRow(q, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return n
}

func dashWant(t *testing.T, body string, present []string, absent []string) {
	t.Helper()
	for _, s := range present {
		if !strings.Contains(body, s) {
			t.Errorf("the page lacks %q", s)
		}
	}
	for _, s := range absent {
		if strings.Contains(body, s) {
			t.Errorf("the page shows %q", s)
		}
	}
}

// TestDashboardRoles: on the demo institution, on both engines, the mayor,
// the quality manager and the economic director each see their own
// dashboard (and not the others'), with the figures the database holds and
// links to the records and filtered lists, in Romanian and in English; a
// person with two roles gets tabs; an employee keeps the plain home page.
func TestDashboardRoles(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		srv, tenant, login := dashDemo(t, d)
		ctx := context.Background()
		today, weekEnd, horizon := dashboard.Window(time.Now())
		day := func(x time.Time) string { return x.Format(time.DateOnly) }
		overdue := dashCount(t, d, `SELECT COUNT(*) FROM tasks WHERE tenant_id = $1 AND state = 'open' AND due_on < $2`, tenant, day(today))
		if overdue == 0 {
			t.Fatal("the demo has no overdue task: the test would prove nothing")
		}
		sys := auth.SystemActor(tenant, "test")
		year, err := srv.risks.RegisterYear(ctx, sys)
		if err != nil {
			t.Fatal(err)
		}
		st, err := srv.risks.Settings(ctx, sys)
		if err != nil {
			t.Fatal(err)
		}

		t.Run("top management", func(t *testing.T) {
			c := login("primar")
			res, body := c.get("/")
			wantStatus(t, res, body, http.StatusOK)
			dashWant(t, body, []string{"Tabloul de bord al conducerii", `id="dash-scorecard"`, `role="img"`, `href="/scorecard"`,
				`id="dash-caf"`, `id="dash-control"`, `id="dash-certificate"`, `id="dash-citizen"`, "/tasks?module=",
				fmt.Sprintf(`href="/risks?year=%d&amp;above=1&amp;sort=-residual"`, year)},
				[]string{`id="dash-due"`, `id="dash-kpis"`, `id="dash-unread"`, "dashboard."})
			above := dashCount(t, d, `SELECT COUNT(*) FROM risks WHERE tenant_id = $1 AND year = $2 AND state = 'active' AND kind = 'risk' AND cur_e > $3`, tenant, year, st.Tolerance)
			if got := dashFigure(t, body, "dash-risks-above"); got != fmt.Sprint(above) {
				t.Errorf("risks above tolerance: %s, want %d", got, above)
			}
			if got := dashFigure(t, body, "dash-overdue-total"); strings.ReplaceAll(got, ".", "") != fmt.Sprint(overdue) {
				t.Errorf("overdue tasks: %s, want %d", got, overdue)
			}
			var riskID int64
			if err := d.R.QueryRow(`SELECT id FROM risks WHERE tenant_id = $1 AND year = $2 AND state = 'active' AND kind = 'risk' ORDER BY cur_e DESC, sort_code LIMIT 1`, tenant, year).Scan(&riskID); err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(body, fmt.Sprintf(`href="/risks/%d"`, riskID)) {
				t.Errorf("the worst risk (%d) is not linked", riskID)
			}
			var evalYear int
			if err := d.R.QueryRow(`SELECT year FROM control_evaluations WHERE tenant_id = $1 ORDER BY year DESC, id DESC LIMIT 1`, tenant).Scan(&evalYear); err != nil {
				t.Fatal(err)
			}
			dashWant(t, body, []string{fmt.Sprintf("Autoevaluarea pe anul %d", evalYear)}, nil)
			var expires string
			if err := d.R.QueryRow(`SELECT expires_on FROM compliance_certificates WHERE tenant_id = $1 ORDER BY issued_on DESC, id DESC LIMIT 1`, tenant).Scan(&expires); err == nil {
				e, _ := time.Parse(time.DateOnly, expires)
				if got, want := dashFigure(t, body, "dash-cert-expires"), e.Format("02.01.2006"); got != want {
					t.Errorf("certificate expiry: %s, want %s", got, want)
				}
			}
			// English.
			if res, body := c.post("/language", url.Values{"lang": {"en"}, "back": {"/"}}); res.StatusCode != http.StatusSeeOther {
				t.Fatalf("language: %d %.300s", res.StatusCode, body)
			}
			res, body = c.get("/")
			wantStatus(t, res, body, http.StatusOK)
			dashWant(t, body, []string{"Management dashboard", "Risks above tolerance", "Overdue actions", "CAF self-assessment"}, []string{"dashboard."})
		})

		t.Run("quality manager", func(t *testing.T) {
			c := login("calitate")
			res, body := c.get("/")
			wantStatus(t, res, body, http.StatusOK)
			dashWant(t, body, []string{"Tabloul de bord al calității", `id="dash-due"`, `id="dash-approvals"`, `id="dash-audits"`, `role="img"`,
				"/tasks?module=", "overdue=1", "scope=all"},
				[]string{`id="dash-scorecard"`, `id="dash-kpis"`, `id="dash-risks"`, "dashboard."})
			if got := dashFigure(t, body, "dash-due-overdue"); strings.ReplaceAll(got, ".", "") != fmt.Sprint(overdue) {
				t.Errorf("overdue: %s, want %d", got, overdue)
			}
			week := dashCount(t, d, `SELECT COUNT(*) FROM tasks WHERE tenant_id = $1 AND state = 'open' AND due_on >= $2 AND due_on <= $3`, tenant, day(today), day(weekEnd))
			if got := dashFigure(t, body, "dash-due-week"); got != fmt.Sprint(week) {
				t.Errorf("due this week: %s, want %d", got, week)
			}
			next := dashCount(t, d, `SELECT COUNT(*) FROM tasks WHERE tenant_id = $1 AND state = 'open' AND due_on > $2 AND due_on <= $3`, tenant, day(weekEnd), day(horizon))
			if got := dashFigure(t, body, "dash-due-next"); got != fmt.Sprint(next) {
				t.Errorf("due in the next weeks: %s, want %d", got, next)
			}
			waiting := dashCount(t, d, `SELECT COUNT(*) FROM document_versions WHERE tenant_id = $1 AND state IN ('verification', 'endorsement', 'approval')`, tenant)
			if waiting == 0 {
				if !strings.Contains(body, "Niciun document nu așteaptă") {
					t.Error("no document waits, and the page does not say so")
				}
			} else if got := dashFigure(t, body, "dash-approvals-total"); got != fmt.Sprint(waiting) {
				t.Errorf("documents awaiting approval: %s, want %d", got, waiting)
			}
			q := dashboard.QuarterOf(time.Now())
			rows, err := d.R.Query(`SELECT id, code FROM internal_audits WHERE tenant_id = $1 AND state <> 'cancelled' AND start_on <= $2 AND end_on >= $3`, tenant, q.To, q.From)
			if err != nil {
				t.Fatal(err)
			}
			n := 0
			for rows.Next() {
				var id int64
				var code string
				if err := rows.Scan(&id, &code); err != nil {
					t.Fatal(err)
				}
				n++
				if !strings.Contains(body, fmt.Sprintf(`<a href="/audits/%d">%s</a>`, id, code)) {
					t.Errorf("the quarter's audit %s is not listed", code)
				}
			}
			rows.Close()
			if got := strings.Count(body, `<a href="/audits/`); got != n {
				t.Errorf("%d audits listed, want %d", got, n)
			}
		})

		t.Run("head of unit", func(t *testing.T) {
			var person int64
			if err := d.R.QueryRow(`SELECT person_id FROM users WHERE username = 'economic'`).Scan(&person); err != nil {
				t.Fatal(err)
			}
			led, err := org.LedUnits(ctx, d.R, tenant, person)
			if err != nil || len(led) == 0 {
				t.Fatalf("the economic director leads %v (%v)", led, err)
			}
			in := strings.Trim(strings.Join(strings.Fields(fmt.Sprint(led)), ", "), "[]")
			c := login("economic")
			res, body := c.get("/")
			wantStatus(t, res, body, http.StatusOK)
			dashWant(t, body, []string{"Tabloul de bord al compartimentului", `id="dash-kpis"`, `id="dash-unit-risks"`, `id="dash-unit-work"`, `id="dash-unread"`,
				fmt.Sprintf(`href="/scorecard/kpis?unit=%d"`, led[0]), fmt.Sprintf("scope=unit&amp;unit=%d", led[0])},
				[]string{`id="dash-scorecard"`, `id="dash-due"`, `id="dash-approvals"`, "dashboard."})
			// The unit's KPIs: those of its units on an objective.
			rows, err := d.R.Query(`SELECT id, code FROM scorecard_kpis WHERE tenant_id = $1 AND NOT archived AND objective_id IS NOT NULL AND unit_id IN (`+in+`)`, tenant)
			if err != nil {
				t.Fatal(err)
			}
			var codes []string
			for rows.Next() {
				var id int64
				var code string
				if err := rows.Scan(&id, &code); err != nil {
					t.Fatal(err)
				}
				codes = append(codes, code)
				if !strings.Contains(body, fmt.Sprintf(`<tr data-kpi="%s"><td><a href="/scorecard/kpis/%d">`, code, id)) {
					t.Errorf("KPI %s is not on the unit's dashboard", code)
				}
			}
			rows.Close()
			if len(codes) == 0 {
				t.Error("the demo's economic directorate owns no KPI: the test proves nothing")
			}
			if got := strings.Count(body, `<tr data-kpi=`); got != len(codes) {
				t.Errorf("%d KPIs shown, want %d (%v)", got, len(codes), codes)
			}
			risks := dashCount(t, d, `SELECT COUNT(*) FROM risks WHERE tenant_id = $1 AND year = $2 AND state = 'active' AND kind = 'risk' AND unit_id IN (`+in+`)`, tenant, year)
			if risks > 0 {
				if got := dashFigure(t, body, "dash-unit-risks-total"); got != fmt.Sprint(risks) {
					t.Errorf("unit risks: %s, want %d", got, risks)
				}
			}
			open := dashCount(t, d, `SELECT COUNT(*) FROM tasks WHERE tenant_id = $1 AND state = 'open' AND (person_id IN (SELECT id FROM people WHERE tenant_id = $1 AND unit_id IN (`+in+`)) OR (role <> '' AND role_unit_id IN (`+in+`)))`, tenant)
			if open > 0 {
				if got := dashFigure(t, body, "dash-unit-work-open"); got != fmt.Sprint(open) {
					t.Errorf("unit work: %s, want %d", got, open)
				}
			}
			unread := dashCount(t, d, `SELECT COUNT(*) FROM document_receipts r JOIN document_versions v ON v.id = r.version_id JOIN people p ON p.id = r.person_id
				WHERE r.tenant_id = $1 AND r.acknowledged_at IS NULL AND v.state = 'in_force' AND p.active AND p.unit_id IN (`+in+`)`, tenant)
			if unread > 0 {
				if got := dashFigure(t, body, "dash-unread-total"); got != fmt.Sprint(unread) {
					t.Errorf("unconfirmed receipts: %s, want %d", got, unread)
				}
			} else if !strings.Contains(body, "au confirmat luarea la cunoștință") {
				t.Error("no receipt waits, and the page does not say so")
			}
		})

		t.Run("several roles get tabs", func(t *testing.T) {
			var uid int64
			if err := d.R.QueryRow(`SELECT id FROM users WHERE username = 'calitate'`).Scan(&uid); err != nil {
				t.Fatal(err)
			}
			if _, err := d.W.Exec(`INSERT INTO user_roles (tenant_id, user_id, role) VALUES ($1, $2, $3)`, tenant, uid, string(auth.RoleTopManagement)); err != nil {
				t.Fatal(err)
			}
			c := login("calitate")
			_, body := c.get("/")
			dashWant(t, body, []string{"Tabloul de bord al conducerii", `href="/?view=quality"`, `href="/?view=top" aria-current="page"`}, []string{`id="dash-due"`})
			_, body = c.get("/?view=quality")
			dashWant(t, body, []string{"Tabloul de bord al calității", `id="dash-due"`, `href="/?view=quality" aria-current="page"`}, []string{`id="dash-scorecard"`})
			// A view the person may not open falls back to the highest.
			_, body = c.get("/?view=unit")
			dashWant(t, body, []string{"Tabloul de bord al conducerii"}, []string{`id="dash-kpis"`})
		})

		t.Run("others keep the home page", func(t *testing.T) {
			for _, u := range []string{"angajat", "auditor", "registratura"} {
				c := login(u)
				res, body := c.get("/")
				wantStatus(t, res, body, http.StatusOK)
				if strings.Contains(body, `id="dash-`) || !strings.Contains(body, `href="/units"`) {
					t.Errorf("%s: not the plain home page", u)
				}
			}
		})
	})
}
