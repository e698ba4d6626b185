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

	"cadran/internal/benchtest"
	"cadran/internal/clock"
	"cadran/internal/db"
	"cadran/internal/demo"
)

// The role dashboards on the seeded demo institution (SQLite, the whole
// handler chain: session, navigation, every widget's queries, the SVG
// charts and the template), each signed in as the demo's user of the role.
// The demo is seeded once for the three benchmarks.
//
//	go test ./internal/web/ -run '^$' -bench 'BenchmarkDashboard' -benchtime 200x

var dashBench struct {
	once sync.Once
	h    http.Handler
	err  error
}

func dashBenchHandler(b *testing.B) http.Handler {
	b.Helper()
	dashBench.once.Do(func() {
		// The database outlives the first benchmark (b.TempDir would not):
		// it lives in the system's temporary directory.
		dir, err := os.MkdirTemp("", "cadran-dash-bench-")
		if err != nil {
			dashBench.err = err
			return
		}
		d, err := db.Open(context.Background(), filepath.Join(dir, "dash.db"))
		if err != nil {
			dashBench.err = err
			return
		}
		if _, err := d.Migrate(context.Background(), time.Now()); err != nil {
			dashBench.err = err
			return
		}
		if _, err := demo.Seed(context.Background(), d, clock.System{}); err != nil {
			dashBench.err = err
			return
		}
		if _, err := d.W.Exec(`ANALYZE`); err != nil {
			dashBench.err = err
			return
		}
		srv, err := New(Options{DB: d, Clock: benchClock{}, Version: "bench"})
		if err != nil {
			dashBench.err = err
			return
		}
		dashBench.h = srv.Handler()
	})
	if dashBench.err != nil {
		b.Fatal(dashBench.err)
	}
	return dashBench.h
}

// dashBenchGet signs in a demo user and returns a request of the home page
// that checks it shows the dashboard's marker.
func dashBenchGet(b *testing.B, h http.Handler, username, path, marker string) func() error {
	b.Helper()
	login := httptest.NewRequest("POST", "/login", nil)
	login.PostForm = map[string][]string{"username": {username}, "password": {"cadran-demo"}}
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

func BenchmarkDashboardTop(b *testing.B) {
	h := dashBenchHandler(b)
	benchtest.Measure(b, dashBenchGet(b, h, "primar", "/", `id="dash-scorecard"`))
}

func BenchmarkDashboardQuality(b *testing.B) {
	h := dashBenchHandler(b)
	benchtest.Measure(b, dashBenchGet(b, h, "calitate", "/", `id="dash-due"`))
}

func BenchmarkDashboardUnit(b *testing.B) {
	h := dashBenchHandler(b)
	benchtest.Measure(b, dashBenchGet(b, h, "economic", "/", `id="dash-kpis"`))
}
