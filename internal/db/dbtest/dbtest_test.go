package dbtest_test

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"cadran/internal/db"
	"cadran/internal/db/dbtest"
)

func TestMain(m *testing.M) { os.Exit(dbtest.Main(m)) }

func TestRunGivesMigratedDatabases(t *testing.T) {
	ran := map[string]bool{}
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		ran[string(d.Engine)] = true
		v, err := d.SchemaVersion(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		if want := db.LatestVersion(d.Engine); v != want {
			t.Errorf("schema version = %d, want %d", v, want)
		}
		var n int
		if err := d.R.QueryRowContext(t.Context(), `SELECT COUNT(*) FROM institutions`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n != 0 {
			t.Errorf("a fresh database has %d institutions", n)
		}
	})
	if !ran["sqlite"] {
		t.Error("the sqlite subtest did not run")
	}
}

// Two databases opened in one test are separate: a row in one is not in the
// other.
func TestOpenIsolates(t *testing.T) {
	for _, engine := range []db.Engine{db.SQLite, db.Postgres} {
		t.Run(string(engine), func(t *testing.T) {
			a, b := dbtest.Open(t, engine), dbtest.Open(t, engine)
			ctx := t.Context()
			if _, err := a.W.ExecContext(ctx, `INSERT INTO institutions (name, cui, kind, county, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $5)`,
				"Primăria A", "RO1", "comuna", "Cluj", time.Now().UTC()); err != nil {
				t.Fatal(err)
			}
			var n int
			if err := b.R.QueryRowContext(ctx, `SELECT COUNT(*) FROM institutions`).Scan(&n); err != nil {
				t.Fatal(err)
			}
			if n != 0 {
				t.Errorf("the second database sees %d rows of the first", n)
			}
		})
	}
}

// PostgresDSN names an empty, unmigrated database that is dropped at the end
// of the test that asked for it.
func TestPostgresDSNDroppedAtCleanup(t *testing.T) {
	var dsn string
	t.Run("inner", func(t *testing.T) {
		dsn = dbtest.PostgresDSN(t)
		d, err := db.Open(t.Context(), dsn)
		if err != nil {
			t.Fatal(err)
		}
		defer d.Close()
		v, err := d.SchemaVersion(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		if v != 0 {
			t.Errorf("schema version of a fresh database = %d, want 0", v)
		}
	})
	if dsn == "" {
		t.Skip("PostgreSQL is not available")
	}
	name := dsn[strings.LastIndex(dsn, "/")+1:]
	name, _, _ = strings.Cut(name, "?")
	other := dbtest.Open(t, db.Postgres)
	var exists bool
	if err := other.R.QueryRowContext(context.Background(), `SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)`, name).Scan(&exists); err != nil {
		t.Fatal(err)
	}
	if exists {
		t.Errorf("database %s still exists after its test ended", name)
	}
}
