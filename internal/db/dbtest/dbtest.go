// Package dbtest gives tests a fresh, migrated database on SQLite and, when
// PostgreSQL is available, on PostgreSQL.
//
// PostgreSQL comes from one of two places:
//
//   - CADRAN_TEST_POSTGRES, a postgres:// URL of a server where the tests may
//     CREATE DATABASE (the URL names the maintenance database to connect to);
//   - otherwise a throw-away cluster that this package starts once per test
//     process, on first use, with the newest initdb/pg_ctl found in
//     /usr/lib/postgresql/*/bin (or on PATH). It listens on 127.0.0.1 only,
//     runs with fsync off, and is stopped and removed by Main. When the tests
//     run as root the cluster runs as the postgres user (through runuser),
//     since PostgreSQL refuses to run as root.
//
// When neither is available PostgreSQL tests are skipped, except when the
// environment variable CI is "true": CI installs PostgreSQL and must never
// skip, so there an unavailable PostgreSQL fails the test.
//
// Every package that uses dbtest needs
//
//	func TestMain(m *testing.M) { os.Exit(dbtest.Main(m)) }
package dbtest

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"os/exec"
	"os/signal"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"cadran/internal/db"
)

// EnvPostgres names the environment variable holding the URL of an existing
// PostgreSQL server to use instead of a throw-away cluster.
const EnvPostgres = "CADRAN_TEST_POSTGRES"

// errNoPostgres means neither CADRAN_TEST_POSTGRES nor PostgreSQL binaries
// were found: PostgreSQL tests skip (or fail under CI).
var errNoPostgres = errors.New("PostgreSQL is not available: set " + EnvPostgres + " to a postgres:// URL or install PostgreSQL (initdb and pg_ctl in /usr/lib/postgresql/*/bin)")

// Main runs the tests and then stops the throw-away PostgreSQL cluster if
// one was started. Call it from TestMain: os.Exit(dbtest.Main(m)).
func Main(m *testing.M) int {
	code := m.Run()
	if err := shutdown(); err != nil {
		fmt.Fprintf(os.Stderr, "dbtest: %v\n", err)
		if code == 0 {
			code = 1
		}
	}
	return code
}

// Run runs fn as subtests named "sqlite" and "postgres", each with a fresh,
// migrated, empty database. The postgres subtest is skipped when PostgreSQL
// is not available (and fails instead when CI is "true").
func Run(t *testing.T, fn func(t *testing.T, d *db.DB)) {
	t.Helper()
	for _, engine := range []db.Engine{db.SQLite, db.Postgres} {
		t.Run(string(engine), func(t *testing.T) {
			fn(t, Open(t, engine))
		})
	}
}

// Open returns a fresh migrated database on engine, closed (and on
// PostgreSQL dropped) at test cleanup. It skips the test if PostgreSQL is
// not available, except that when CI is "true" that is a fatal error.
//
// A PostgreSQL database is copied from a template migrated once per test
// process, which is faster than migrating each database.
func Open(t testing.TB, engine db.Engine) *db.DB {
	t.Helper()
	var dsn string
	switch engine {
	case db.SQLite:
		dsn = filepath.Join(t.TempDir(), "cadran.db")
	case db.Postgres:
		s := server(t)
		tmpl, err := s.template()
		if err != nil {
			t.Fatalf("dbtest: %v", err)
		}
		dsn = s.createDatabase(t, tmpl)
	default:
		t.Fatalf("dbtest: unknown engine %q", engine)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	d, err := db.Open(ctx, dsn)
	if err != nil {
		t.Fatalf("dbtest: %v", err)
	}
	t.Cleanup(func() {
		if err := d.Close(); err != nil {
			t.Errorf("dbtest: cannot close the %s database: %v", engine, err)
		}
	})
	// On PostgreSQL the template is migrated already and this only checks.
	if _, err := d.Migrate(ctx, time.Now()); err != nil {
		t.Fatalf("dbtest: cannot migrate the %s database: %v", engine, err)
	}
	return d
}

// PostgresDSN returns the connection URL of a fresh, empty, unmigrated
// PostgreSQL database, dropped at test cleanup. It skips or fails like Open
// when PostgreSQL is not available.
func PostgresDSN(t testing.TB) string {
	t.Helper()
	return server(t).createDatabase(t, "")
}

// createDatabase creates a database, from template when not empty, and
// drops it at test cleanup.
func (s *pgServer) createDatabase(t testing.TB, template string) string {
	t.Helper()
	name := fmt.Sprintf("t_%d_%d", counter.Add(1), os.Getpid())
	q := "CREATE DATABASE " + name
	if template != "" {
		q += " TEMPLATE " + template
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if _, err := s.admin.ExecContext(ctx, q); err != nil {
		t.Fatalf("dbtest: cannot create database %s: %v", name, err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		if _, err := s.admin.ExecContext(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
			t.Errorf("dbtest: cannot drop database %s: %v", name, err)
		}
	})
	return s.dsn(name)
}

// template returns the name of a migrated template database, creating it
// on first use.
func (s *pgServer) template() (string, error) {
	s.tmplOnce.Do(func() {
		name := fmt.Sprintf("t_template_%d", os.Getpid())
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		if _, err := s.admin.ExecContext(ctx, "CREATE DATABASE "+name); err != nil {
			s.tmplErr = fmt.Errorf("cannot create the template database: %w", err)
			return
		}
		d, err := db.Open(ctx, s.dsn(name))
		if err == nil {
			_, err = d.Migrate(ctx, time.Now())
			err = errors.Join(err, d.Close())
		}
		if err != nil {
			s.admin.ExecContext(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)")
			s.tmplErr = fmt.Errorf("cannot migrate the template database: %w", err)
			return
		}
		s.tmpl = name
	})
	return s.tmpl, s.tmplErr
}

var (
	counter atomic.Int64

	pgOnce   sync.Once
	pg       *pgServer
	pgErr    error
	pgLogged atomic.Bool

	// mu guards live, srv and stopped, which shutdown reads; a signal can
	// call shutdown while the server is still starting.
	mu       sync.Mutex
	live     *cluster  // the started cluster, from the moment pg_ctl starts it
	srv      *pgServer // the server, once it answers
	stopped  bool
	stopOnce sync.Once
	stopErr  error
)

// pgServer is the PostgreSQL server the tests use.
type pgServer struct {
	base    *url.URL // URL of the maintenance database
	admin   *sql.DB  // connection to it, for CREATE/DROP DATABASE
	cluster *cluster // nil when the server came from CADRAN_TEST_POSTGRES
	took    time.Duration

	tmplOnce sync.Once
	tmpl     string // migrated template database
	tmplErr  error
}

func (s *pgServer) dsn(name string) string {
	u := *s.base
	u.Path = "/" + name
	u.RawPath = ""
	return u.String()
}

// server returns the PostgreSQL server, starting it on first use; it skips
// or fails t when there is none.
func server(t testing.TB) *pgServer {
	t.Helper()
	pgOnce.Do(func() {
		pg, pgErr = startServer()
		mu.Lock()
		srv = pg
		mu.Unlock()
	})
	switch {
	case errors.Is(pgErr, errNoPostgres):
		if os.Getenv("CI") == "true" {
			t.Fatalf("dbtest: %v (CI=true, so PostgreSQL tests must not be skipped)", pgErr)
		}
		t.Skipf("dbtest: %v", pgErr)
	case pgErr != nil:
		t.Fatalf("dbtest: %v", pgErr)
	}
	if pg.cluster != nil && pgLogged.CompareAndSwap(false, true) {
		t.Logf("dbtest: started a throw-away PostgreSQL %s cluster on 127.0.0.1:%d in %s", pg.cluster.version, pg.cluster.port, pg.took.Round(time.Millisecond))
	}
	return pg
}

func startServer() (*pgServer, error) {
	start := time.Now()
	s := &pgServer{}
	if dsn := os.Getenv(EnvPostgres); dsn != "" {
		if !db.IsPostgres(dsn) {
			return nil, fmt.Errorf("%s must be a postgres:// URL", EnvPostgres)
		}
		u, err := url.Parse(dsn)
		if err != nil {
			return nil, fmt.Errorf("%s is not a valid URL: %w", EnvPostgres, err)
		}
		s.base = u
	} else {
		c, err := startCluster()
		if err != nil {
			return nil, err
		}
		s.cluster = c
		s.base = &url.URL{
			Scheme:   "postgres",
			User:     url.User("postgres"),
			Host:     net.JoinHostPort("127.0.0.1", strconv.Itoa(c.port)),
			Path:     "/postgres",
			RawQuery: "sslmode=disable",
		}
	}
	admin, err := sql.Open("pgx", s.base.String())
	if err == nil {
		admin.SetMaxOpenConns(4)
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		err = admin.PingContext(ctx)
		cancel()
		if err != nil {
			admin.Close()
		}
	}
	if err != nil {
		if s.cluster != nil {
			err = errors.Join(err, s.cluster.stop())
		}
		return nil, fmt.Errorf("cannot connect to PostgreSQL at %s: %w", s.base.Redacted(), err)
	}
	s.admin = admin
	s.took = time.Since(start)
	return s, nil
}

// shutdown closes the admin connection and stops the cluster, once;
// concurrent callers wait until it is done.
func shutdown() error {
	stopOnce.Do(func() {
		signal.Reset(os.Interrupt, syscall.SIGTERM)
		mu.Lock()
		stopped = true
		s, c := srv, live
		mu.Unlock()
		if s != nil {
			if s.cluster == nil && s.tmpl != "" {
				ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
				defer cancel()
				if _, err := s.admin.ExecContext(ctx, "DROP DATABASE IF EXISTS "+s.tmpl+" WITH (FORCE)"); err != nil {
					stopErr = fmt.Errorf("cannot drop the template database %s: %w", s.tmpl, err)
				}
			}
			stopErr = errors.Join(stopErr, s.admin.Close())
		}
		if c != nil {
			stopErr = errors.Join(stopErr, c.stop())
		}
	})
	return stopErr
}

// cluster is a throw-away PostgreSQL cluster in a temporary directory.
type cluster struct {
	dir     string // temporary directory: data/, the log, the unix socket
	bin     string // directory holding initdb and pg_ctl
	version string
	runuser string // path of runuser when the cluster runs as postgres
	port    int
}

func (c *cluster) data() string { return filepath.Join(c.dir, "data") }
func (c *cluster) log() string  { return filepath.Join(c.dir, "postgres.log") }

// run runs one of the PostgreSQL programs, as postgres when we are root.
func (c *cluster) run(prog string, args ...string) error {
	path := filepath.Join(c.bin, prog)
	var cmd *exec.Cmd
	if c.runuser != "" {
		cmd = exec.Command(c.runuser, append([]string{"-u", "postgres", "--", path}, args...)...)
	} else {
		cmd = exec.Command(path, args...)
	}
	cmd.Dir = c.dir
	cmd.Env = cleanEnv()
	out, err := cmd.CombinedOutput()
	if err != nil {
		return fmt.Errorf("%s failed: %w\n%s", prog, err, strings.TrimSpace(string(out)))
	}
	return nil
}

// cleanEnv is the environment without PG* variables, which would otherwise
// change where the PostgreSQL programs look.
func cleanEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "PG") {
			env = append(env, kv)
		}
	}
	return append(env, "LC_ALL=C")
}

const clusterConf = `
# Added by cadran/internal/db/dbtest: a throw-away cluster for tests.
listen_addresses = '127.0.0.1'
unix_socket_directories = '%s'
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 300
shared_buffers = 64MB
max_wal_size = 1GB
logging_collector = off
`

func startCluster() (c *cluster, err error) {
	bin, version, err := findBinaries()
	if err != nil {
		return nil, err
	}
	c = &cluster{bin: bin, version: version}
	uid, gid := -1, -1
	if os.Geteuid() == 0 {
		u, err := user.Lookup("postgres")
		if err != nil {
			return nil, fmt.Errorf("cannot start PostgreSQL for tests: running as root needs a postgres user to run the cluster as (or set %s): %w", EnvPostgres, err)
		}
		uid, _ = strconv.Atoi(u.Uid)
		gid, _ = strconv.Atoi(u.Gid)
		if c.runuser, err = exec.LookPath("runuser"); err != nil {
			return nil, fmt.Errorf("cannot start PostgreSQL for tests: running as root needs runuser to run the cluster as postgres: %w", err)
		}
	}
	removeStaleClusters(c)
	if c.dir, err = os.MkdirTemp("", fmt.Sprintf("cadran-pg-%d-", os.Getpid())); err != nil {
		return nil, fmt.Errorf("cannot start PostgreSQL for tests: %w", err)
	}
	defer func() {
		if err != nil {
			os.RemoveAll(c.dir)
		}
	}()
	if uid >= 0 {
		if err := os.Chown(c.dir, uid, gid); err != nil {
			return nil, fmt.Errorf("cannot start PostgreSQL for tests: cannot give %s to the postgres user: %w", c.dir, err)
		}
	}

	// C.UTF-8 gives lower()/upper() on diacritics; plain C is the fallback
	// where that locale is missing.
	initdb := func(locale string) error {
		return c.run("initdb", "-D", c.data(), "-U", "postgres", "-A", "trust", "-E", "UTF8",
			"--locale="+locale, "--no-sync", "--no-instructions")
	}
	if err := initdb("C.UTF-8"); err != nil {
		os.RemoveAll(c.data())
		if err2 := initdb("C"); err2 != nil {
			return nil, fmt.Errorf("cannot start PostgreSQL for tests: %w\nwith --locale=C.UTF-8: %v", err2, err)
		}
	}
	conf, err := os.OpenFile(filepath.Join(c.data(), "postgresql.conf"), os.O_APPEND|os.O_WRONLY, 0)
	if err == nil {
		_, err = fmt.Fprintf(conf, clusterConf, c.dir)
		err = errors.Join(err, conf.Close())
	}
	if err != nil {
		return nil, fmt.Errorf("cannot start PostgreSQL for tests: cannot configure the cluster: %w", err)
	}

	// The free port is found by listening on :0 and closing, so another
	// process may take it before PostgreSQL binds it: try a few times.
	for attempt := 1; ; attempt++ {
		if c.port, err = freePort(); err != nil {
			return nil, fmt.Errorf("cannot start PostgreSQL for tests: cannot find a free port: %w", err)
		}
		err = c.run("pg_ctl", "start", "-D", c.data(), "-l", c.log(), "-w", "-t", "60", "-s",
			"-o", "-p "+strconv.Itoa(c.port))
		if err == nil {
			break
		}
		// pg_ctl may have given up waiting on a server that did start.
		_ = c.run("pg_ctl", "stop", "-D", c.data(), "-m", "immediate", "-w", "-s")
		logText, _ := os.ReadFile(c.log())
		if attempt < 3 && strings.Contains(string(logText), "could not bind") {
			continue
		}
		return nil, fmt.Errorf("cannot start PostgreSQL for tests: %w\nserver log %s:\n%s", err, c.log(), tail(string(logText), 40))
	}

	// Main stops the cluster, or shutdown on SIGINT/SIGTERM. A cluster left
	// behind by a killed process (a test timeout) is removed by the next run.
	mu.Lock()
	if stopped {
		mu.Unlock()
		return nil, errors.Join(errors.New("cannot start PostgreSQL for tests: the tests are ending"), c.stop())
	}
	live = c
	mu.Unlock()
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	go func() {
		sig := <-sigs
		if err := shutdown(); err != nil {
			fmt.Fprintf(os.Stderr, "dbtest: %v\n", err)
		}
		fmt.Fprintf(os.Stderr, "dbtest: %v: stopped the PostgreSQL test cluster\n", sig)
		os.Exit(1)
	}()
	return c, nil
}

// stop stops the cluster at once and removes its directory.
func (c *cluster) stop() error {
	err := c.run("pg_ctl", "stop", "-D", c.data(), "-m", "immediate", "-w", "-s")
	if err != nil {
		err = fmt.Errorf("cannot stop the PostgreSQL test cluster: %w", err)
	}
	if rmErr := os.RemoveAll(c.dir); rmErr != nil {
		err = errors.Join(err, fmt.Errorf("cannot remove the PostgreSQL test cluster: %w", rmErr))
	}
	return err
}

// removeStaleClusters stops and removes clusters left in the temporary
// directory by test processes that no longer run.
func removeStaleClusters(c *cluster) {
	dirs, _ := filepath.Glob(filepath.Join(os.TempDir(), "cadran-pg-*-*"))
	for _, dir := range dirs {
		rest := strings.TrimPrefix(filepath.Base(dir), "cadran-pg-")
		pidText, _, _ := strings.Cut(rest, "-")
		pid, err := strconv.Atoi(pidText)
		if err != nil || pid == os.Getpid() || processAlive(pid) {
			continue
		}
		old := &cluster{dir: dir, bin: c.bin, runuser: c.runuser}
		if _, err := os.Stat(filepath.Join(old.data(), "postmaster.pid")); err == nil {
			_ = old.run("pg_ctl", "stop", "-D", old.data(), "-m", "immediate", "-w", "-s")
		}
		_ = os.RemoveAll(dir)
	}
}

func processAlive(pid int) bool {
	p, err := os.FindProcess(pid)
	if err != nil {
		return false
	}
	err = p.Signal(syscall.Signal(0))
	return err == nil || errors.Is(err, syscall.EPERM)
}

// findBinaries returns the directory of the newest initdb and pg_ctl.
func findBinaries() (bin, version string, err error) {
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	best := ""
	for _, dir := range dirs {
		if !isFile(filepath.Join(dir, "initdb")) || !isFile(filepath.Join(dir, "pg_ctl")) {
			continue
		}
		v := filepath.Base(filepath.Dir(dir))
		if best == "" || newerVersion(v, best) {
			bin, best = dir, v
		}
	}
	if bin != "" {
		return bin, best, nil
	}
	if p, err := exec.LookPath("pg_ctl"); err == nil {
		dir := filepath.Dir(p)
		if isFile(filepath.Join(dir, "initdb")) {
			return dir, "(from PATH)", nil
		}
	}
	return "", "", errNoPostgres
}

func isFile(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && fi.Mode().IsRegular()
}

// newerVersion compares dotted version numbers such as "9.6" and "17".
func newerVersion(a, b string) bool {
	as, bs := strings.Split(a, "."), strings.Split(b, ".")
	for i := 0; i < max(len(as), len(bs)); i++ {
		var x, y int
		if i < len(as) {
			x, _ = strconv.Atoi(as[i])
		}
		if i < len(bs) {
			y, _ = strconv.Atoi(bs[i])
		}
		if x != y {
			return x > y
		}
	}
	return false
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

func tail(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
