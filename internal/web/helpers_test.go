package web

import (
	"context"
	"database/sql"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"cadran/internal/auth"
	"cadran/internal/clock"
	"cadran/internal/db"
	"cadran/internal/db/dbtest"
	"cadran/internal/i18n"
	"cadran/internal/notify"
	"cadran/internal/org"
	"cadran/internal/work"
)

func TestMain(m *testing.M) {
	// Request logs would drown test and benchmark output; warnings still show.
	slog.SetDefault(slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn})))
	os.Exit(dbtest.Main(m))
}

const testPassword = "parola-test-2026"

// tenant is one institution of the fixture, with records whose names mark
// them as its own ("Alfa ..." or "Beta ...").
type tenant struct {
	Inst    org.Institution
	Admin   auth.User
	Viewer  auth.User
	Unit    org.Unit
	SubUnit org.Unit
	Person  org.Person
	Task    work.Task
	// Notice is the viewer's notification of Task.
	Notice   int64
	AuditID  int64
	Marker   string
	Username string
}

type fixture struct {
	DB    *db.DB
	Clock *clock.Fixed
	Srv   *Server
	HTTP  *httptest.Server
	A, B  tenant
}

func newFixture(t *testing.T, d *db.DB) *fixture {
	t.Helper()
	ctx := context.Background()
	c := clock.NewFixed(time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC))
	f := &fixture{DB: d, Clock: c}
	o := &org.Service{DB: d, Clock: c}
	a := &auth.Service{DB: d, Clock: c}
	mk := func(name, cui, marker, prefix string) tenant {
		inst, err := o.CreateInstitutionSystem(ctx, org.InstitutionInput{Name: name, CUI: cui, Kind: org.KindMunicipality, County: "Mureș"})
		if err != nil {
			t.Fatal(err)
		}
		sys := auth.SystemActor(inst.ID, "test")
		tn := tenant{Inst: inst, Marker: marker, Username: prefix + ".admin"}
		if tn.Unit, err = o.CreateUnit(ctx, sys, org.UnitInput{Name: marker + " Direcția Economică", Code: "DE", Kind: org.UnitDirectorate, Relation: org.RelationOwn}); err != nil {
			t.Fatal(err)
		}
		if tn.SubUnit, err = o.CreateUnit(ctx, sys, org.UnitInput{ParentID: tn.Unit.ID, Name: marker + " Serviciul Buget", Kind: org.UnitService, Relation: org.RelationOwn}); err != nil {
			t.Fatal(err)
		}
		if tn.Person, err = o.CreatePerson(ctx, sys, org.PersonInput{UnitID: tn.SubUnit.ID, FullName: marker + " Ștefănescu Țiței", JobTitle: "Șef serviciu", Position: org.PositionManagement, Employment: org.EmploymentCivilServant, Active: true, Email: prefix + "@example.ro"}); err != nil {
			t.Fatal(err)
		}
		if tn.Admin, err = a.CreateUser(ctx, sys, auth.UserInput{Username: prefix + ".admin", DisplayName: marker + " Administrator", Password: testPassword, Roles: []auth.Role{auth.RoleAdmin}, Locale: "ro"}); err != nil {
			t.Fatal(err)
		}
		if tn.Viewer, err = a.CreateUser(ctx, sys, auth.UserInput{Username: prefix + ".viewer", DisplayName: marker + " Cititor", Password: testPassword, Roles: []auth.Role{auth.RoleViewer}, Locale: "en", PersonID: tn.Person.ID}); err != nil {
			t.Fatal(err)
		}
		ws := &work.Service{DB: d, Clock: c, Notify: &notify.Service{DB: d, Clock: c, Bundle: i18n.MustLoad()}}
		if err := d.Tx(ctx, func(tx *sql.Tx) error {
			tn.Task, err = ws.Assign(ctx, tx, sys, work.NewTask{Ref: work.Ref{Module: work.ModuleWork, Entity: "task"}, Kind: work.KindAct, Title: marker + " Actualizați registrul riscurilor",
				Assignee: work.Assignee{PersonID: tn.Person.ID}, Due: time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC)})
			return err
		}); err != nil {
			t.Fatal(err)
		}
		if err := d.R.QueryRowContext(ctx, `SELECT id FROM notifications WHERE user_id = $1`, tn.Viewer.ID).Scan(&tn.Notice); err != nil {
			t.Fatal(err)
		}
		if err := d.R.QueryRowContext(ctx, `SELECT MAX(id) FROM audit_events WHERE tenant_id = $1`, inst.ID).Scan(&tn.AuditID); err != nil {
			t.Fatal(err)
		}
		return tn
	}
	f.A = mk("Primăria Alfa", "4322823", "Alfa", "alfa")
	f.B = mk("Primăria Beta", "4305857", "Beta", "beta")
	srv, err := New(Options{DB: d, Clock: c, Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	f.Srv = srv
	f.HTTP = httptest.NewServer(srv.Handler())
	t.Cleanup(f.HTTP.Close)
	return f
}

// client is a browser-like HTTP client with its own cookies that does not
// follow redirects, so tests see where they point.
type client struct {
	t    *testing.T
	base string
	c    *http.Client
}

func (f *fixture) client(t *testing.T) *client {
	jar, _ := cookiejar.New(nil)
	return &client{t: t, base: f.HTTP.URL, c: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

func (f *fixture) login(t *testing.T, username string) *client {
	t.Helper()
	c := f.client(t)
	res, _ := c.post("/login", url.Values{"username": {username}, "password": {testPassword}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign-in of %s: status %d", username, res.StatusCode)
	}
	return c
}

func (c *client) do(req *http.Request) (*http.Response, string) {
	c.t.Helper()
	res, err := c.c.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res, string(b)
}

func (c *client) get(path string) (*http.Response, string) {
	c.t.Helper()
	req, _ := http.NewRequest("GET", c.base+path, nil)
	return c.do(req)
}

func (c *client) post(path string, form url.Values) (*http.Response, string) {
	c.t.Helper()
	req, _ := http.NewRequest("POST", c.base+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return c.do(req)
}

func wantStatus(t *testing.T, res *http.Response, body string, want int) {
	t.Helper()
	if res.StatusCode != want {
		if len(body) > 600 {
			body = body[:600]
		}
		t.Fatalf("%s %s: status %d, want %d\n%s", res.Request.Method, res.Request.URL.Path, res.StatusCode, want, body)
	}
}

// benchClock is the wall clock for benchmarks.
type benchClock struct{}

func (benchClock) Now() time.Time { return time.Now().UTC().Truncate(time.Microsecond) }
