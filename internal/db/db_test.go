package db_test

import (
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"cadran/internal/db"
	"cadran/internal/db/dbtest"
)

func TestMain(m *testing.M) { os.Exit(dbtest.Main(m)) }

// The two migration folders hold the same versions under the same names,
// each version once, in order.
func TestMigrationParity(t *testing.T) {
	lite, err := db.Migrations(db.SQLite)
	if err != nil {
		t.Fatal(err)
	}
	pg, err := db.Migrations(db.Postgres)
	if err != nil {
		t.Fatal(err)
	}
	if len(lite) == 0 {
		t.Fatal("no SQLite migrations are embedded")
	}
	for engine, ms := range map[db.Engine][]db.Migration{db.SQLite: lite, db.Postgres: pg} {
		for i, m := range ms {
			if i > 0 && m.Version <= ms[i-1].Version {
				t.Errorf("%s: %s has the same version as %s", engine, m.Name, ms[i-1].Name)
			}
			if strings.TrimSpace(m.SQL) == "" {
				t.Errorf("%s: %s is empty", engine, m.Name)
			}
		}
	}
	names := func(ms []db.Migration) []string {
		var out []string
		for _, m := range ms {
			out = append(out, m.Name)
		}
		return out
	}
	if l, p := names(lite), names(pg); !slices.Equal(l, p) {
		t.Errorf("the migration folders differ:\nsqlite:   %v\npostgres: %v", l, p)
	}
	if l, p := db.LatestVersion(db.SQLite), db.LatestVersion(db.Postgres); l != p {
		t.Errorf("LatestVersion: sqlite %d, postgres %d", l, p)
	}
}

// Migrating an empty database applies every migration once; a second run
// applies nothing.
func TestMigrateFreshAndIdempotent(t *testing.T) {
	all := func(engine db.Engine) []int {
		ms, err := db.Migrations(engine)
		if err != nil {
			t.Fatal(err)
		}
		var vs []int
		for _, m := range ms {
			vs = append(vs, m.Version)
		}
		return vs
	}
	for _, engine := range []db.Engine{db.SQLite, db.Postgres} {
		t.Run(string(engine), func(t *testing.T) {
			dsn := t.TempDir() + "/fresh.db"
			if engine == db.Postgres {
				dsn = dbtest.PostgresDSN(t)
			}
			ctx := t.Context()
			d, err := db.Open(ctx, dsn)
			if err != nil {
				t.Fatal(err)
			}
			defer d.Close()
			if v, err := d.SchemaVersion(ctx); err != nil || v != 0 {
				t.Fatalf("SchemaVersion of an empty database = %d, %v; want 0", v, err)
			}
			applied, err := d.Migrate(ctx, time.Now())
			if err != nil {
				t.Fatal(err)
			}
			if want := all(engine); !slices.Equal(applied, want) {
				t.Errorf("first Migrate applied %v, want %v", applied, want)
			}
			applied, err = d.Migrate(ctx, time.Now())
			if err != nil {
				t.Fatal(err)
			}
			if len(applied) != 0 {
				t.Errorf("second Migrate applied %v, want nothing", applied)
			}
			if v, err := d.SchemaVersion(ctx); err != nil || v != db.LatestVersion(engine) {
				t.Errorf("SchemaVersion = %d, %v; want %d", v, err, db.LatestVersion(engine))
			}
		})
	}
}

func TestMigrateIdempotent(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		applied, err := d.Migrate(t.Context(), time.Now())
		if err != nil {
			t.Fatal(err)
		}
		if len(applied) != 0 {
			t.Errorf("Migrate on a migrated database applied %v", applied)
		}
	})
}

// A database written by a newer Cadran is refused, not migrated.
func TestNewerSchemaRefused(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		ctx := t.Context()
		newer := db.LatestVersion(d.Engine) + 1
		if _, err := d.W.ExecContext(ctx, `INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)`,
			newer, "9999_from_the_future.sql", time.Now().UTC()); err != nil {
			t.Fatal(err)
		}
		if err := d.CheckVersion(ctx); !errors.Is(err, db.ErrNewerSchema) {
			t.Errorf("CheckVersion = %v, want ErrNewerSchema", err)
		}
		applied, err := d.Migrate(ctx, time.Now())
		if !errors.Is(err, db.ErrNewerSchema) {
			t.Errorf("Migrate = %v, want ErrNewerSchema", err)
		}
		if len(applied) != 0 {
			t.Errorf("Migrate applied %v on a newer database", applied)
		}
	})
}

func insertInstitution(t *testing.T, d *db.DB, name, cui string) error {
	t.Helper()
	now := time.Now().UTC()
	_, err := d.W.ExecContext(t.Context(),
		`INSERT INTO institutions (name, cui, kind, county, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6)`,
		name, cui, "comuna", "Cluj", now, now)
	return err
}

func TestIsUniqueViolation(t *testing.T) {
	if db.IsUniqueViolation(nil) {
		t.Error("IsUniqueViolation(nil) = true")
	}
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		if err := insertInstitution(t, d, "Comuna Florești", "RO4305857"); err != nil {
			t.Fatal(err)
		}
		err := insertInstitution(t, d, "Comuna Florești (dublură)", "RO4305857")
		if err == nil {
			t.Fatal("inserting the same cui twice succeeded")
		}
		if !db.IsUniqueViolation(err) {
			t.Errorf("IsUniqueViolation(%v) = false, want true", err)
		}
		// Another constraint failure is not a unique violation.
		_, err = d.W.ExecContext(t.Context(), `INSERT INTO institutions (name) VALUES ($1)`, "fără cui")
		if err == nil {
			t.Fatal("inserting an institution without cui succeeded")
		}
		if db.IsUniqueViolation(err) {
			t.Errorf("IsUniqueViolation(%v) = true for a NOT NULL failure", err)
		}
	})
}

func TestLikePatternString(t *testing.T) {
	for in, want := range map[string]string{
		"":        "%%",
		"abc":     "%abc%",
		"50%":     `%50\%%`,
		"a_b":     `%a\_b%`,
		`c:\x`:    `%c:\\x%`,
		`\%_`:     `%\\\%\_%`,
		"Brașov":  "%Brașov%",
		"100% _x": `%100\% \_x%`,
	} {
		if got := db.LikePattern(in); got != want {
			t.Errorf("LikePattern(%q) = %q, want %q", in, got, want)
		}
	}
}

// % and _ (and \) in a search are matched literally on both engines.
func TestLikePatternMatchesLiterally(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		names := []string{
			"Școala 100% verde_nr1",
			"Școala 1000 verdeXnr1", // would match if % and _ were wildcards
			"Școala 100 verde nr1",
			`Arhiva C:\docs`,
			"Arhiva C:Xdocs",
		}
		for i, n := range names {
			if err := insertInstitution(t, d, n, "RO"+string(rune('A'+i))); err != nil {
				t.Fatal(err)
			}
		}
		for search, want := range map[string][]string{
			"0% verde_":  {"Școala 100% verde_nr1"},
			"%":          {"Școala 100% verde_nr1"},
			"_":          {"Școala 100% verde_nr1"},
			`C:\`:        {`Arhiva C:\docs`},
			"verde":      {"Școala 1000 verdeXnr1", "Școala 100 verde nr1", "Școala 100% verde_nr1"},
			"nu există%": nil,
		} {
			rows, err := d.R.QueryContext(t.Context(), `SELECT name FROM institutions WHERE name LIKE $1 ESCAPE '\' ORDER BY name`, db.LikePattern(search))
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for rows.Next() {
				var n string
				if err := rows.Scan(&n); err != nil {
					t.Fatal(err)
				}
				got = append(got, n)
			}
			if err := rows.Err(); err != nil {
				t.Fatal(err)
			}
			rows.Close()
			slices.Sort(want)
			slices.Sort(got)
			if !slices.Equal(got, want) {
				t.Errorf("search %q matched %q, want %q", search, got, want)
			}
		}
	})
}

func TestOrderPage(t *testing.T) {
	sorts := map[string]string{"name": "p.sort_name", "updated": "p.updated_at"}
	cases := []struct {
		sort          string
		limit, offset int
		want          string
		wantArgs      []any
	}{
		{"updated", 10, 20, ` ORDER BY p.updated_at ASC, p.id LIMIT $2 OFFSET $3`, []any{"x", 10, 20}},
		{"-name", 0, -5, ` ORDER BY p.sort_name DESC, p.id LIMIT $2 OFFSET $3`, []any{"x", 25, 0}},
		{"-bogus; DROP TABLE people", 50000, 0, ` ORDER BY p.sort_name DESC, p.id LIMIT $2 OFFSET $3`, []any{"x", 25, 0}},
	}
	for _, c := range cases {
		got, args := db.OrderPage(sorts, c.sort, "name", "p.id", c.limit, c.offset, []any{"x"})
		if got != c.want || fmt.Sprint(args) != fmt.Sprint(c.wantArgs) {
			t.Errorf("OrderPage(%q, %d, %d) = %q %v, want %q %v", c.sort, c.limit, c.offset, got, args, c.want, c.wantArgs)
		}
	}
}

// TestOptimize: on SQLite the planner's statistics are written for a
// table that has rows; on PostgreSQL it does nothing and fails nothing.
func TestOptimize(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		ctx := t.Context()
		for i := range 50 {
			if _, err := d.W.ExecContext(ctx, `INSERT INTO institutions (name, cui, kind, county, created_at, updated_at) VALUES ($1, $2, 'town', 'Cluj', $3, $3)`,
				fmt.Sprintf("Primăria %d", i), fmt.Sprintf("9%06d", i), time.Date(2026, 11, 23, 8, 0, 0, 0, time.UTC)); err != nil {
				t.Fatal(err)
			}
		}
		if err := d.Optimize(ctx); err != nil {
			t.Fatal(err)
		}
		if d.Engine != db.SQLite {
			return
		}
		var n int
		if err := d.R.QueryRowContext(ctx, `SELECT COUNT(*) FROM sqlite_stat1 WHERE tbl = 'institutions'`).Scan(&n); err != nil || n == 0 {
			t.Fatalf("no statistics for institutions: %d (%v)", n, err)
		}
	})
}
