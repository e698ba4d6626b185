package main

import (
	"strings"
	"testing"

	"cadran/internal/db"
	"cadran/internal/db/dbtest"
)

// TestNewInstallation follows the README's steps for a real installation:
// an institution, then its administrator, on both engines.
func TestNewInstallation(t *testing.T) {
	for _, engine := range []db.Engine{db.SQLite, db.Postgres} {
		t.Run(string(engine), func(t *testing.T) {
			env := map[string]string{"CADRAN_DATA_DIR": t.TempDir(), "CADRAN_PASSWORD": "o-parola-lunga-2026"}
			if engine == db.Postgres {
				env["CADRAN_DATABASE"] = dbtest.PostgresDSN(t)
			}
			c := cli{env: env}
			out := c.must(t, "institution", "add", "-name", "Primăria Orașului Exemplu", "-cui", "RO 4322823", "-kind", "town", "-county", "Cluj")
			if !strings.Contains(out, "added institution Primăria Orașului Exemplu, CUI 4322823") {
				t.Fatalf("institution add printed %q", out)
			}
			c.must(t, "user", "add", "-institution", "4322823", "-username", "ana.pop", "-name", "Ana Pop", "-role", "admin")
			if out := c.must(t, "user", "list", "-institution", "4322823"); !strings.Contains(out, "ana.pop") {
				t.Fatalf("user list: %q", out)
			}
			oneError(t, c.run(t, "institution", "add", "-name", "Alta", "-cui", "4322823", "-kind", "town", "-county", "Cluj"), 1, "already exists")
			oneError(t, c.run(t, "institution", "add", "-name", "Alta", "-cui", "4322824", "-kind", "town", "-county", "Cluj"), 1, "check digit")
			oneError(t, c.run(t, "institution", "add", "-name", "Alta"), 1, "cui")
			oneError(t, c.run(t, "institution"), 2, "institution add")
			// The demo refuses a database that serves a real institution.
			r, _ := serveOnce(t, env, "demo")
			oneError(t, r, 1, "public password")
			if out := c.must(t, "user", "list"); strings.Contains(out, "calitate") {
				t.Fatal("demo users were added to a real database")
			}
		})
	}
}
