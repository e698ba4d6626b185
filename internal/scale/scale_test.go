package scale_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"cadran/internal/audit"
	"cadran/internal/clock"
	"cadran/internal/db"
	"cadran/internal/db/dbtest"
	"cadran/internal/org"
	"cadran/internal/scale"
)

func TestMain(m *testing.M) { os.Exit(dbtest.Main(m)) }

// t0 is the generator's "today" in the tests: the same clock gives the same
// data.
var t0 = time.Date(2026, 11, 20, 9, 30, 0, 0, time.UTC)

// testFactor is the smallest profile: every volume at its floor.
const testFactor = 0.001

func TestGeneratedCUIsAreValid(t *testing.T) {
	seen := map[string]bool{}
	for i := 1; i <= 5000; i++ {
		cui := scale.GeneratedCUI(i)
		if !org.ValidCUI(cui) || seen[cui] {
			t.Fatalf("GeneratedCUI(%d) = %s: valid %v, repeated %v", i, cui, org.ValidCUI(cui), seen[cui])
		}
		seen[cui] = true
	}
}

func TestParseFactor(t *testing.T) {
	for in, want := range map[string]float64{"large": 1, "Medium": 0.1, "small": 0.01, "0.25": 0.25, "2": 2} {
		if got, err := scale.ParseFactor(in); err != nil || got != want {
			t.Errorf("ParseFactor(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, in := range []string{"", "huge", "0", "-1", "11", "NaN"} {
		if _, err := scale.ParseFactor(in); err == nil {
			t.Errorf("ParseFactor(%q) accepted", in)
		}
	}
}

// TestInstitutions generates two small institutions on each engine and
// checks that each reaches its profile, that the audit trail holds every
// generated record and is intact, and that a second run adds nothing.
func TestInstitutions(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		c := clock.NewFixed(t0)
		// Two at once, as on PostgreSQL for a national test.
		rep, err := scale.Institutions(ctx, d, c, 2, scale.Options{Seed: 7, Factor: testFactor, Workers: 2})
		if err != nil {
			t.Fatal(err)
		}
		p := scale.ProfileFor(testFactor)
		if rep.Institutions != 2 {
			t.Fatalf("report = %+v", rep)
		}
		for kind, want := range map[string]int{"units": 2 * p.Units, "people": 2 * p.People, "users": 2 * p.People} {
			if rep.Counts[kind] != want {
				t.Errorf("%s = %d, want %d (report %s)", kind, rep.Counts[kind], want, rep)
			}
		}
		for _, cui := range []string{scale.GeneratedCUI(1), scale.GeneratedCUI(2)} {
			var tenant int64
			if err := d.R.QueryRowContext(ctx, `SELECT id FROM institutions WHERE cui = $1`, cui).Scan(&tenant); err != nil {
				t.Fatalf("institution %s: %v", cui, err)
			}
			for table, want := range map[string]int{"units": p.Units, "people": p.People, "users": p.People} {
				if got := count(t, d, `SELECT COUNT(*) FROM `+table+` WHERE tenant_id = $1`, tenant); got != want {
					t.Errorf("%s of %s = %d, want %d", table, cui, got, want)
				}
			}
			if n := count(t, d, `SELECT COUNT(*) FROM audit_events WHERE tenant_id = $1 AND entity = 'person'`, tenant); n != p.People {
				t.Errorf("audited people of %s = %d, want %d", cui, n, p.People)
			}
		}
		if n, brk, err := audit.Verify(ctx, d.R); err != nil || brk != nil || n == 0 {
			t.Errorf("audit chain: %d events, break %+v, %v", n, brk, err)
		}
		// The benchmark sign-ins exist with their roles.
		for _, u := range []string{"admin.g0001", "calitate.g0001", "primar.g0002"} {
			if count(t, d, `SELECT COUNT(*) FROM users WHERE username = $1`, u) != 1 {
				t.Errorf("user %s missing", u)
			}
		}
		again, err := scale.Institutions(ctx, d, c, 2, scale.Options{Seed: 7, Factor: testFactor})
		if err != nil || again.Institutions != 0 {
			t.Errorf("second run = %+v, %v; want nothing added", again, err)
		}
	})
}

// TestReproducible generates the same institution twice from the same seed
// and clock and compares every generated row.
func TestReproducible(t *testing.T) {
	ctx := context.Background()
	digest := func(seed uint64) (string, map[string]int) {
		d := dbtest.Open(t, db.SQLite)
		if _, err := scale.Institutions(ctx, d, clock.NewFixed(t0), 1, scale.Options{Seed: seed, Factor: testFactor}); err != nil {
			t.Fatal(err)
		}
		return tenantDigest(t, d)
	}
	a, counts := digest(1)
	b, _ := digest(1)
	c, _ := digest(2)
	if a != b {
		t.Errorf("two runs with seed 1 differ: %s, %s", a, b)
	}
	if a == c {
		t.Errorf("seeds 1 and 2 gave the same data")
	}
	for _, table := range []string{"units", "people", "users"} {
		if counts[table] == 0 {
			t.Errorf("no %s generated (digest covers %v)", table, counts)
		}
	}
}

// tenantDigest hashes every row of every table that has a tenant_id column,
// except what is random by design (password salts).
func tenantDigest(t *testing.T, d *db.DB) (string, map[string]int) {
	t.Helper()
	ctx := context.Background()
	rows, err := d.R.QueryContext(ctx, `SELECT m.name FROM sqlite_master m WHERE m.type = 'table'
		AND EXISTS (SELECT 1 FROM pragma_table_info(m.name) c WHERE c.name = 'tenant_id') ORDER BY m.name`)
	if err != nil {
		t.Fatal(err)
	}
	var tables []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			t.Fatal(err)
		}
		tables = append(tables, n)
	}
	rows.Close()
	h := sha256.New()
	counts := map[string]int{}
	for _, table := range tables {
		if table == "sessions" {
			continue
		}
		r, err := d.R.QueryContext(ctx, `SELECT * FROM `+table+` ORDER BY 1`)
		if err != nil {
			t.Fatal(err)
		}
		cols, _ := r.Columns()
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		for r.Next() {
			if err := r.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			for i, c := range cols {
				if c == "password_hash" {
					continue
				}
				fmt.Fprintf(h, "%s.%s=%v;", table, c, vals[i])
			}
			counts[table]++
		}
		r.Close()
	}
	return hex.EncodeToString(h.Sum(nil)), counts
}

// generateOne generates the first generated institution at testFactor on
// the clock t0 and returns its tenant ID.
func generateOne(t *testing.T, d *db.DB) int64 {
	t.Helper()
	ctx := context.Background()
	if _, err := scale.Institutions(ctx, d, clock.NewFixed(t0), 1, scale.Options{Seed: 7, Factor: testFactor}); err != nil {
		t.Fatal(err)
	}
	var tenant int64
	if err := d.R.QueryRowContext(ctx, `SELECT id FROM institutions WHERE cui = $1`, scale.GeneratedCUI(1)).Scan(&tenant); err != nil {
		t.Fatal(err)
	}
	return tenant
}

func count(t *testing.T, d *db.DB, q string, args ...any) int {
	t.Helper()
	var n int
	if err := d.R.QueryRowContext(context.Background(), q, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", strings.Fields(q)[0:4], err)
	}
	return n
}
