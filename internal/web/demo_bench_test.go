package web

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"cadran/internal/clock"
	"cadran/internal/db"
	"cadran/internal/demo"
)

// demoBench is the seeded demo institution the page benchmarks share
// (SQLite, served through the whole handler chain). It is seeded once per
// run of the test binary, however many benchmarks use it.
var demoBench struct {
	once sync.Once
	dir  string
	h    http.Handler
	err  error
}

// demoBenchHandler returns the demo's handler, seeding it on first use.
func demoBenchHandler(b *testing.B) http.Handler {
	b.Helper()
	demoBench.once.Do(func() {
		// The database outlives the first benchmark (b.TempDir would not);
		// TestMain removes it.
		dir, err := os.MkdirTemp("", "cadran-demo-bench-")
		if err != nil {
			demoBench.err = err
			return
		}
		demoBench.dir = dir
		ctx := context.Background()
		d, err := db.Open(ctx, filepath.Join(dir, "demo.db"))
		if err != nil {
			demoBench.err = err
			return
		}
		if _, err := d.Migrate(ctx, time.Now()); err != nil {
			demoBench.err = err
			return
		}
		if _, err := demo.Seed(ctx, d, clock.System{}); err != nil {
			demoBench.err = err
			return
		}
		if _, err := d.W.Exec(`ANALYZE`); err != nil {
			demoBench.err = err
			return
		}
		srv, err := New(Options{DB: d, Clock: benchClock{}, Version: "bench"})
		if err != nil {
			demoBench.err = err
			return
		}
		demoBench.h = srv.Handler()
	})
	if demoBench.err != nil {
		b.Fatal(demoBench.err)
	}
	return demoBench.h
}

// demoBenchCleanup removes the shared demo database, if a benchmark made it.
func demoBenchCleanup() {
	if demoBench.dir != "" {
		os.RemoveAll(demoBench.dir)
	}
}

// demoBenchGet signs username in and returns a request of path that fails
// unless the answer is 200 and holds marker.
func demoBenchGet(b *testing.B, h http.Handler, username, path, marker string) func() error {
	b.Helper()
	login := httptest.NewRequest("POST", "/login", nil)
	login.PostForm = map[string][]string{"username": {username}, "password": {demo.Password}}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, login)
	if rec.Code != http.StatusSeeOther || len(rec.Result().Cookies()) == 0 {
		b.Fatalf("sign-in of %s: %d", username, rec.Code)
	}
	cookie := rec.Result().Cookies()[0]
	return func() error {
		req := httptest.NewRequest("GET", path, nil)
		req.AddCookie(cookie)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), marker) {
			return fmt.Errorf("GET %s as %s: status %d, marker %q missing", path, username, rec.Code, marker)
		}
		return nil
	}
}
