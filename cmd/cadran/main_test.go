package main

import (
	"bytes"
	"context"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"cadran/internal/audit"
	"cadran/internal/auth"
	"cadran/internal/clock"
	"cadran/internal/db"
	"cadran/internal/db/dbtest"
	"cadran/internal/demo"
	"cadran/internal/org"
)

func TestMain(m *testing.M) { os.Exit(dbtest.Main(m)) }

// result is what one run of the command printed and returned.
type result struct {
	code        int
	out, errOut string
}

// cli runs cadran in-process with an environment of its own (only env, not
// the test process's) and stdin as standard input.
type cli struct {
	env   map[string]string
	stdin string
	ready func(url string)
	ctx   context.Context
}

func (c cli) run(t *testing.T, args ...string) result {
	t.Helper()
	var out, errOut bytes.Buffer
	a := &app{
		stdin:  strings.NewReader(c.stdin),
		stdout: &out,
		stderr: &errOut,
		getenv: func(k string) string { return c.env[k] },
		ready:  c.ready,
	}
	ctx := c.ctx
	if ctx == nil {
		ctx = context.Background()
	}
	code := a.run(ctx, args)
	return result{code, out.String(), errOut.String()}
}

// must runs cadran and fails the test unless it exits 0.
func (c cli) must(t *testing.T, args ...string) string {
	t.Helper()
	r := c.run(t, args...)
	if r.code != 0 {
		t.Fatalf("cadran %s: exit %d\nstdout: %s\nstderr: %s", strings.Join(args, " "), r.code, r.out, r.errOut)
	}
	return r.out
}

// oneError checks that a failed run printed exactly one line, the error.
func oneError(t *testing.T, r result, code int, mention string) {
	t.Helper()
	if r.code != code {
		t.Errorf("exit %d, want %d (stderr %q)", r.code, code, r.errOut)
	}
	lines := strings.Split(strings.TrimRight(r.errOut, "\n"), "\n")
	if len(lines) != 1 || !strings.HasPrefix(lines[0], "cadran: ") {
		t.Errorf("stderr is not one line starting with cadran: %q", r.errOut)
	}
	if !strings.Contains(strings.ToLower(r.errOut), strings.ToLower(mention)) {
		t.Errorf("stderr %q does not mention %q", r.errOut, mention)
	}
	if strings.Contains(r.errOut, "goroutine") || strings.Contains(r.errOut, "panic") {
		t.Errorf("stderr has a stack trace: %q", r.errOut)
	}
}

func TestVersion(t *testing.T) {
	var out, errOut bytes.Buffer
	if code := run(context.Background(), []string{"version"}, &out, &errOut); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	if got := out.String(); got != "cadran "+version+"\n" {
		t.Errorf("version printed %q", got)
	}
}

func TestUsage(t *testing.T) {
	var out, errOut bytes.Buffer
	if code := run(context.Background(), nil, &out, &errOut); code != 2 {
		t.Errorf("no arguments: exit %d, want 2", code)
	}
	for _, c := range subcommands() {
		if !strings.Contains(errOut.String(), "  "+c.name+" ") {
			t.Errorf("usage does not list %s:\n%s", c.name, errOut.String())
		}
	}
	if !strings.HasSuffix(errOut.String(), "cadran: no command given\n") {
		t.Errorf("usage does not end with the error: %q", errOut.String())
	}

	out.Reset()
	if code := run(context.Background(), []string{"-h"}, &out, &errOut); code != 0 || !strings.Contains(out.String(), "Commands:") {
		t.Errorf("cadran -h: exit %d, %q", code, out.String())
	}
}

func TestHelp(t *testing.T) {
	for _, args := range [][]string{
		{"serve", "-h"}, {"demo", "--help"}, {"migrate", "-h"}, {"user", "-h"}, {"user", "add", "-h"},
		{"user", "passwd", "-h"}, {"user", "list", "-h"}, {"backup", "-h"}, {"restore", "-h"},
		{"audit", "verify", "-h"}, {"version", "-h"}, {"help", "migrate"},
	} {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			r := cli{}.run(t, args...)
			if r.code != 0 || r.errOut != "" {
				t.Fatalf("exit %d, stderr %q", r.code, r.errOut)
			}
			if !strings.HasPrefix(r.out, "Usage: cadran ") {
				t.Errorf("help does not start with Usage: %q", r.out)
			}
		})
	}
	if r := (cli{}).run(t, "restore", "-h"); !strings.Contains(r.out, "Stop the Cadran server first") {
		t.Errorf("restore help does not say to stop the server: %q", r.out)
	}
}

func TestUsageErrors(t *testing.T) {
	tests := []struct {
		args    []string
		mention string
	}{
		{[]string{"bogus"}, `unknown command "bogus"`},
		{[]string{"migrate", "-bogus"}, "-bogus"},
		{[]string{"serve", "--addr"}, "flag needs an argument"},
		{[]string{"serve", "--addr", "nowhere"}, "host:port"},
		{[]string{"serve", "--log-level", "loud"}, "log level"},
		{[]string{"migrate", "extra"}, `unexpected argument "extra"`},
		{[]string{"backup"}, "needs FILE"},
		{[]string{"user"}, "add, passwd or list"},
		{[]string{"user", "remove"}, "add, passwd or list"},
		{[]string{"user", "add", "-username", "x"}, "-institution"},
		{[]string{"user", "add", "-institution", "1", "-username", "x", "-name", "X", "-role", "boss"}, `unknown role "boss"`},
		{[]string{"user", "passwd"}, "needs USERNAME"},
		{[]string{"audit"}, "verify"},
		{[]string{"version", "-x"}, "-x"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			oneError(t, cli{}.run(t, tt.args...), 2, tt.mention)
		})
	}
	// The real entry point behaves the same.
	var out, errOut bytes.Buffer
	if code := run(context.Background(), []string{"frobnicate"}, &out, &errOut); code != 2 || strings.Count(errOut.String(), "\n") != 1 {
		t.Errorf("run(frobnicate) = %d, %q", code, errOut.String())
	}
}

func TestMigrate(t *testing.T) {
	dir := t.TempDir()
	c := cli{env: map[string]string{"CADRAN_DATA_DIR": dir}}
	out := c.must(t, "migrate")
	if !strings.Contains(out, "applied") {
		t.Errorf("first migrate printed %q", out)
	}
	if _, err := os.Stat(filepath.Join(dir, "cadran.db")); err != nil {
		t.Errorf("no database in the data directory: %v", err)
	}
	if out := c.must(t, "migrate"); !strings.HasPrefix(out, "already up to date") {
		t.Errorf("second migrate printed %q", out)
	}
	out = c.must(t, "migrate", "-status")
	if !strings.Contains(out, "up to date") || !strings.Contains(out, "latest version:") {
		t.Errorf("migrate -status printed %q", out)
	}
	// -status never creates a database.
	missing := filepath.Join(dir, "missing.db")
	oneError(t, c.run(t, "migrate", "-status", "-database", missing), 1, "no database at")
	if _, err := os.Stat(missing); err == nil {
		t.Error("migrate -status created a database")
	}
}

func TestNewerSchema(t *testing.T) {
	path := filepath.Join(t.TempDir(), "cadran.db")
	c := cli{env: map[string]string{"CADRAN_DATABASE": path}}
	c.must(t, "migrate")
	d, err := db.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := d.W.Exec(`INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, 'future.sql', $2)`, db.LatestVersion(db.SQLite)+1, time.Now().UTC()); err != nil {
		t.Fatal(err)
	}
	d.Close()
	for _, args := range [][]string{
		{"migrate"}, {"migrate", "-status"}, {"serve", "-addr", "127.0.0.1:0"}, {"audit", "verify"}, {"user", "list"},
	} {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			oneError(t, c.run(t, args...), 1, "written by a newer Cadran")
		})
	}
}

func TestUnreachableDatabase(t *testing.T) {
	r := cli{}.run(t, "migrate", "-database", "postgres://cadran:secret@127.0.0.1:1/x")
	oneError(t, r, 1, "cannot open the database")
	if strings.Contains(r.errOut, "secret") {
		t.Errorf("the password leaked: %q", r.errOut)
	}
	if r.out != "" {
		t.Errorf("stdout %q", r.out)
	}
}

// createInstitution adds an institution through the org service, as the
// web's platform administration would.
func createInstitution(t *testing.T, dsn, name, cui string) {
	t.Helper()
	d, err := db.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	orgs := &org.Service{DB: d, Clock: clock.System{}}
	if _, err := orgs.CreateInstitutionSystem(context.Background(), org.InstitutionInput{Name: name, CUI: cui, Kind: org.KindTown, County: "Sibiu"}); err != nil {
		t.Fatal(err)
	}
}

func TestUser(t *testing.T) {
	for _, engine := range []db.Engine{db.SQLite, db.Postgres} {
		t.Run(string(engine), func(t *testing.T) {
			dsn := filepath.Join(t.TempDir(), "cadran.db")
			if engine == db.Postgres {
				dsn = dbtest.PostgresDSN(t)
			}
			testUser(t, dsn)
		})
	}
}

func testUser(t *testing.T, dsn string) {
	ctx := context.Background()
	env := map[string]string{"CADRAN_DATABASE": dsn}
	cli{env: env}.must(t, "migrate")
	createInstitution(t, dsn, "Primăria Orașului Cisnădie", demo.ValeaCUI)

	// The password comes from CADRAN_PASSWORD...
	withPw := cli{env: map[string]string{"CADRAN_DATABASE": dsn, "CADRAN_PASSWORD": "o parolă lungă"}}
	out := withPw.must(t, "user", "add", "-institution", "RO"+demo.ValeaCUI, "-username", "Ana.Ionescu",
		"-name", "Ana  Ionescu-Țurcan", "-email", "ana@example.org", "-role", "admin,quality_manager", "-locale", "en")
	if !strings.Contains(out, "added user ana.ionescu") || !strings.Contains(out, "Primăria Orașului Cisnădie") {
		t.Errorf("user add printed %q", out)
	}
	// ... or from one line of standard input; flags may follow arguments.
	cli{env: env, stdin: "parola-din-stdin\r\nignored\n"}.must(t, "user", "add", "-institution", demo.ValeaCUI,
		"-username", "mihai", "-name", "Mihai Șerban", "-role", "employee", "-platform-admin")

	out = cli{env: env}.must(t, "user", "list", "-institution", demo.ValeaCUI)
	for _, want := range []string{"ana.ionescu", "Ana Ionescu-Țurcan", "admin,quality_manager", "mihai", "Mihai Șerban", "platform admin", "2 users"} {
		if !strings.Contains(out, want) {
			t.Errorf("user list does not show %q:\n%s", want, out)
		}
	}
	if all := (cli{env: env}).must(t, "user", "list"); !strings.Contains(all, "2 users") {
		t.Errorf("user list of every institution:\n%s", all)
	}

	// Mistakes are one sentence each.
	oneError(t, withPw.run(t, "user", "add", "-institution", demo.ValeaCUI, "-username", "ana.ionescu", "-name", "Ana", "-role", "viewer"), 1, "taken")
	oneError(t, withPw.run(t, "user", "add", "-institution", demo.CUI, "-username", "x.y", "-name", "X", "-role", "viewer"), 1, "no institution with the CUI")
	oneError(t, cli{env: env}.run(t, "user", "add", "-institution", demo.ValeaCUI, "-username", "nopw", "-name", "X", "-role", "viewer"), 1, "no password given")
	oneError(t, cli{env: env, stdin: "short\n"}.run(t, "user", "add", "-institution", demo.ValeaCUI, "-username", "shorty", "-name", "X", "-role", "viewer"), 1, "at least 10 characters")
	oneError(t, cli{env: env, stdin: "long enough pw\n"}.run(t, "user", "passwd", "nobody"), 1, `no user "nobody"`)

	// passwd sets a new password that then signs in.
	out = cli{env: env, stdin: "parolă-nouă-2025\n"}.must(t, "user", "passwd", "ANA.IONESCU")
	if !strings.Contains(out, "password of ana.ionescu changed") {
		t.Errorf("user passwd printed %q", out)
	}
	d, err := db.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	users := &auth.Service{DB: d, Clock: clock.System{}}
	u, err := users.Authenticate(ctx, "ana.ionescu", "parolă-nouă-2025", "192.0.2.7")
	if err != nil {
		t.Fatalf("sign in with the new password: %v", err)
	}
	if u.DisplayName != "Ana Ionescu-Țurcan" || u.Locale != "en" || u.Email != "ana@example.org" {
		t.Errorf("user read back as %+v", u)
	}
	if _, err := users.Authenticate(ctx, "mihai", "parola-din-stdin", "192.0.2.7"); err != nil {
		t.Errorf("sign in with the password from stdin: %v", err)
	}

	// Every change is audited, in the command line's name.
	events, _, err := audit.List(ctx, d.R, u.Tenant, audit.Filter{Entity: "user", Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	byCLI := 0
	for _, e := range events {
		if e.ActorName == actorName {
			byCLI++
		}
	}
	if byCLI != 3 { // two creations and one password change
		t.Errorf("%d user events by %q, want 3: %+v", byCLI, actorName, events)
	}
	if out := (cli{env: env}).must(t, "audit", "verify"); !strings.HasPrefix(out, "audit trail intact: ") {
		t.Errorf("audit verify printed %q", out)
	}
}

func TestBackupRestore(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "cadran.db")
	backup := filepath.Join(dir, "copie.db")
	env := map[string]string{"CADRAN_DATABASE": path}
	c := cli{env: env}
	oneError(t, c.run(t, "backup", backup), 1, "no database at")
	c.must(t, "migrate")
	createInstitution(t, path, "Comuna Sântana de Mureș", demo.ValeaCUI)
	pw := cli{env: map[string]string{"CADRAN_DATABASE": path, "CADRAN_PASSWORD": "before-backup"}}
	pw.must(t, "user", "add", "-institution", demo.ValeaCUI, "-username", "kept", "-name", "Ștefan Kept", "-role", "admin")

	out := c.must(t, "backup", backup)
	if !strings.Contains(out, "written to "+backup) {
		t.Errorf("backup printed %q", out)
	}
	oneError(t, c.run(t, "backup", backup), 1, "already exists")

	pw.must(t, "user", "add", "-institution", demo.ValeaCUI, "-username", "lost", "-name", "Lost", "-role", "viewer")
	out = c.must(t, "restore", backup)
	if !strings.Contains(out, "must have been stopped") {
		t.Errorf("restore printed %q", out)
	}
	list := c.must(t, "user", "list")
	if !strings.Contains(list, "Ștefan Kept") || strings.Contains(list, "lost") {
		t.Errorf("after restore the users are:\n%s", list)
	}
	c.must(t, "audit", "verify")

	oneError(t, c.run(t, "restore", filepath.Join(dir, "nothing.db")), 1, "nothing.db")

	// A backup restores onto a new machine, into a data directory not yet made.
	fresh := cli{env: map[string]string{"CADRAN_DATA_DIR": filepath.Join(dir, "new", "data")}}
	fresh.must(t, "restore", backup)
	if list := fresh.must(t, "user", "list"); !strings.Contains(list, "Ștefan Kept") {
		t.Errorf("restored on a new machine, the users are:\n%s", list)
	}
	pg := cli{env: map[string]string{"CADRAN_DATABASE": "postgres://u:p@127.0.0.1:1/x"}}
	oneError(t, pg.run(t, "backup", backup+"2"), 1, "pg_dump")
	oneError(t, pg.run(t, "restore", backup), 1, "pg_restore")
}

func TestAuditVerify(t *testing.T) {
	path := filepath.Join(t.TempDir(), "cadran.db")
	c := cli{env: map[string]string{"CADRAN_DATABASE": path}}
	c.must(t, "migrate")
	if out := c.must(t, "audit", "verify"); out != "audit trail intact: 0 events\n" {
		t.Errorf("empty database: %q", out)
	}
	d, err := db.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if _, err := demo.Seed(context.Background(), d, clock.System{}); err != nil {
		t.Fatal(err)
	}
	out := c.must(t, "audit", "verify")
	if !strings.HasPrefix(out, "audit trail intact: ") || strings.HasPrefix(out, "audit trail intact: 0 ") {
		t.Errorf("seeded database: %q", out)
	}

	// Someone with access to the file edits an event behind Cadran's back.
	if _, err := d.W.Exec(`DROP TRIGGER audit_events_no_update`); err != nil {
		t.Fatal(err)
	}
	if _, err := d.W.Exec(`UPDATE audit_events SET summary = 'altered' WHERE seq = 3 AND tenant_id = (SELECT id FROM institutions WHERE cui = $1)`, demo.CUI); err != nil {
		t.Fatal(err)
	}
	r := c.run(t, "audit", "verify")
	oneError(t, r, 1, "audit trail broken in "+demo.Name)
	if !strings.Contains(r.errOut, "event 3") {
		t.Errorf("the break is not located: %q", r.errOut)
	}
}

// serveOnce runs a server command until it listens, fetches /healthz and
// stops it by cancelling its context.
func serveOnce(t *testing.T, env map[string]string, args ...string) (result, int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	status := 0
	c := cli{env: env, ctx: ctx, ready: func(url string) {
		defer cancel()
		resp, err := http.Get(url + "/healthz")
		if err != nil {
			t.Errorf("GET /healthz: %v", err)
			return
		}
		resp.Body.Close()
		status = resp.StatusCode
	}}
	return c.run(t, append(args, "-addr", "127.0.0.1:0")...), status
}

func TestServe(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{"CADRAN_DATA_DIR": dir, "CADRAN_LOG_FORMAT": "json"}
	r, status := serveOnce(t, env, "serve")
	if r.code != 0 {
		t.Fatalf("serve: exit %d: %s", r.code, r.errOut)
	}
	if status != http.StatusOK {
		t.Errorf("/healthz answered %d", status)
	}
	if !strings.Contains(r.errOut, `"msg":"Cadran is listening"`) || !strings.Contains(r.errOut, `"url":"http://127.0.0.1:`) {
		t.Errorf("serve did not log its URL as JSON: %s", r.errOut)
	}
	// serve created and migrated the database.
	if out := (cli{env: env}).must(t, "migrate"); !strings.HasPrefix(out, "already up to date") {
		t.Errorf("after serve, migrate printed %q", out)
	}
	// A port in use is one sentence.
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	held := make(chan string, 1)
	done := make(chan result)
	go func() {
		done <- cli{env: env, ctx: ctx, ready: func(url string) { held <- strings.TrimPrefix(url, "http://") }}.run(t, "serve", "-addr", "127.0.0.1:0")
	}()
	select {
	case addr := <-held:
		oneError(t, cli{env: env}.run(t, "serve", "-addr", addr), 1, "cannot listen on")
	case r := <-done:
		t.Fatalf("the first server stopped: %+v", r)
	case <-time.After(time.Minute):
		t.Fatal("the first server did not start")
	}
	cancel()
	if r := <-done; r.code != 0 {
		t.Errorf("the first server exited %d: %s", r.code, r.errOut)
	}
}

func TestDemo(t *testing.T) {
	for _, engine := range []db.Engine{db.SQLite, db.Postgres} {
		t.Run(string(engine), func(t *testing.T) {
			env := map[string]string{"CADRAN_DATA_DIR": t.TempDir()}
			if engine == db.Postgres {
				env["CADRAN_DATABASE"] = dbtest.PostgresDSN(t)
			}
			r, status := serveOnce(t, env, "demo")
			if r.code != 0 || status != http.StatusOK {
				t.Fatalf("demo: exit %d, /healthz %d: %s", r.code, status, r.errOut)
			}
			for _, want := range []string{"Cadran rulează la http://127.0.0.1:", "utilizatori demo: admin, calitate, primar", "parola: " + demo.Password, "Cadran is running at", "password: " + demo.Password} {
				if !strings.Contains(r.out, want) {
					t.Errorf("demo printed no %q:\n%s", want, r.out)
				}
			}
			if !strings.Contains(r.errOut, "demo data created") {
				t.Errorf("first demo did not create the data: %s", r.errOut)
			}

			// The second run finds the data and leaves it alone.
			r, _ = serveOnce(t, env, "demo")
			if r.code != 0 || !strings.Contains(r.errOut, "already there") {
				t.Errorf("second demo: exit %d: %s", r.code, r.errOut)
			}
			out := cli{env: env}.must(t, "user", "list")
			if !strings.Contains(out, plural(len(demo.Usernames), "user", "users")) {
				t.Errorf("after two demo runs the users are:\n%s", out)
			}
			if out := (cli{env: env}).must(t, "audit", "verify"); !strings.HasPrefix(out, "audit trail intact") {
				t.Errorf("audit verify after demo: %q", out)
			}
		})
	}
}
