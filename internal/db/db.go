// Package db opens Cadran's database, SQLite by default or PostgreSQL at
// scale, runs the embedded migrations and holds the few differences between
// the two engines.
package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strings"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver
	_ "modernc.org/sqlite"             // registers the "sqlite" driver
)

// Engine names a database engine.
type Engine string

const (
	SQLite   Engine = "sqlite"
	Postgres Engine = "postgres"
)

// DB is an open Cadran database. Writes go through W, reads through R. On
// SQLite W is a single connection that begins IMMEDIATE transactions, so
// read-then-write transactions never fail with SQLITE_BUSY; R is a pool of
// readers that WAL lets run beside the writer. On PostgreSQL both are the same
// pool.
type DB struct {
	W      *sql.DB
	R      *sql.DB
	Engine Engine
	// Path is the SQLite file, empty on PostgreSQL.
	Path string
}

// IsPostgres reports whether dsn names a PostgreSQL database.
func IsPostgres(dsn string) bool {
	return strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
}

// Open opens the database named by dsn (a SQLite file path or a postgres://
// URL) and checks that it answers. It does not migrate; call Migrate.
func Open(ctx context.Context, dsn string) (*DB, error) {
	if IsPostgres(dsn) {
		return openPostgres(ctx, dsn)
	}
	return openSQLite(ctx, dsn)
}

func openPostgres(ctx context.Context, dsn string) (*DB, error) {
	pool, err := sql.Open("pgx", dsn)
	if err != nil {
		return nil, fmt.Errorf("cannot open PostgreSQL: %w", err)
	}
	pool.SetMaxOpenConns(32)
	pool.SetMaxIdleConns(16)
	if err := pool.PingContext(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("cannot reach PostgreSQL at %s: %w", redact(dsn), err)
	}
	return &DB{W: pool, R: pool, Engine: Postgres}, nil
}

func openSQLite(ctx context.Context, path string) (*DB, error) {
	if path == "" {
		return nil, errors.New("cannot open SQLite: no file path given")
	}
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o750); err != nil {
			return nil, fmt.Errorf("cannot create the data directory %s: %w", dir, err)
		}
	}
	// busy_timeout comes first so that the following pragmas wait for locks.
	// temp_store(2) keeps temporary tables and the statement journal of a long
	// transaction (an import) in memory instead of a temporary file.
	pragmas := "_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=foreign_keys(1)&_pragma=synchronous(NORMAL)&_pragma=temp_store(2)"
	u := "file:" + (&url.URL{Path: path}).EscapedPath() + "?" + pragmas
	w, err := sql.Open("sqlite", u+"&_txlock=immediate")
	if err != nil {
		return nil, fmt.Errorf("cannot open SQLite %s: %w", path, err)
	}
	w.SetMaxOpenConns(1)
	w.SetConnMaxLifetime(0)
	if err := w.PingContext(ctx); err != nil {
		w.Close()
		return nil, fmt.Errorf("cannot open SQLite %s: %w", path, err)
	}
	r, err := sql.Open("sqlite", u+"&mode=ro")
	if err != nil {
		w.Close()
		return nil, fmt.Errorf("cannot open SQLite %s: %w", path, err)
	}
	r.SetMaxOpenConns(max(4, runtime.NumCPU()))
	return &DB{W: w, R: r, Engine: SQLite, Path: path}, nil
}

// Close closes both pools.
func (d *DB) Close() error {
	err := d.W.Close()
	if d.R != d.W {
		err = errors.Join(err, d.R.Close())
	}
	return err
}

// Tx runs fn in a write transaction, committing when fn returns nil.
func (d *DB) Tx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	tx, err := d.W.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("cannot begin transaction: %w", err)
	}
	if err := fn(tx); err != nil {
		_ = tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("cannot commit transaction: %w", err)
	}
	return nil
}

// IsUniqueViolation reports whether err is a unique-constraint failure on
// either engine.
func IsUniqueViolation(err error) bool {
	if err == nil {
		return false
	}
	s := err.Error()
	return strings.Contains(s, "UNIQUE constraint failed") || strings.Contains(s, "SQLSTATE 23505")
}

func redact(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil {
		return "the given URL"
	}
	return u.Redacted()
}

// LikePattern escapes s for use in LIKE ... ESCAPE '\' and wraps it in %.
func LikePattern(s string) string {
	return "%" + likeEscaper.Replace(s) + "%"
}

// LikePrefix is a LIKE pattern (with ESCAPE '\') for strings starting with s.
func LikePrefix(s string) string { return likeEscaper.Replace(s) + "%" }

var likeEscaper = strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)

// Lock keys for TryLock, one per background job.
const (
	LockScheduler int64 = 7340022
)

// TryLock takes the lock named key for the rest of tx and reports whether it
// got it. On PostgreSQL it is an advisory transaction lock, so of several
// `cadran serve` processes sharing a database only one runs a job at a time;
// on SQLite the write transaction already excludes every other writer.
func (d *DB) TryLock(ctx context.Context, tx *sql.Tx, key int64) (bool, error) {
	if d.Engine != Postgres {
		return true, nil
	}
	var ok bool
	if err := tx.QueryRowContext(ctx, `SELECT pg_try_advisory_xact_lock($1)`, key).Scan(&ok); err != nil {
		return false, fmt.Errorf("cannot take lock %d: %w", key, err)
	}
	return ok, nil
}

// Page sizes of lists: the default, and the most one request may ask for
// (an export of every row).
const (
	DefaultPageSize = 25
	MaxPageSize     = 10000
)

// OrderPage writes the ORDER BY, LIMIT and OFFSET of a list page. sort is a
// key of sorts, with a leading "-" for descending; an unknown key sorts by
// def. tail breaks ties (for example "p.sort_name, p.id"). The limit, 25
// when not positive and at most MaxPageSize, and the offset are appended to
// args and bound as placeholders.
func OrderPage(sorts map[string]string, sort, def, tail string, limit, offset int, args []any) (string, []any) {
	key, desc := strings.CutPrefix(sort, "-")
	col, ok := sorts[key]
	if !ok {
		col = sorts[def]
	}
	dir := " ASC"
	if desc {
		dir = " DESC"
	}
	if limit <= 0 || limit > MaxPageSize {
		limit = DefaultPageSize
	}
	args = append(args, limit, max(0, offset))
	return fmt.Sprintf(` ORDER BY %s%s, %s LIMIT $%d OFFSET $%d`, col, dir, tail, len(args)-1, len(args)), args
}

// Optimize refreshes SQLite's query-planner statistics, so that a register
// grown to hundreds of thousands of rows is read through the right index.
// It only analyses tables whose statistics are missing or stale (optimize
// 0x10002), so it is cheap to run at start and every hour. It reads whole
// indexes (analysis_limit 0): statistics sampled from the first thousand
// rows could not tell how many rows an institution has, and on the large
// generated institution they made the planner walk all 200,000 petitions in
// due-date order (300 ms) instead of the unit's open ones (5 ms). A full
// analysis of that 1.2 GB database takes about 2 s, in the background.
// PostgreSQL's autovacuum keeps its own statistics: nothing to do there.
func (d *DB) Optimize(ctx context.Context) error {
	if d.Engine != SQLite {
		return nil
	}
	for _, q := range []string{`PRAGMA analysis_limit = 0`, `PRAGMA optimize = 0x10002`} {
		if _, err := d.W.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("cannot refresh the query planner's statistics: %w", err)
		}
	}
	return nil
}
