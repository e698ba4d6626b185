package web

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"cadran/internal/benchtest"
	"cadran/internal/clock"
	"cadran/internal/db"
	"cadran/internal/demo"
)

// BenchmarkConsolidated measures GET /consolidated on the seeded demo
// municipality (SQLite, the whole handler chain: session, navigation, the
// unit tree, every section's grouped queries, the scorecard's scoring of
// every KPI, both SVG charts and the template), signed in as the quality
// manager, who reads every section. The -export variant is the XLSX of the
// same table.
//
//	go test ./internal/web/ -run '^$' -bench 'BenchmarkConsolidated' -benchtime 200x
func BenchmarkConsolidated(b *testing.B) {
	h, cookie := consBench(b)
	benchtest.Measure(b, consBenchGet(h, cookie, "/consolidated", `id="consolidated"`))
}

func BenchmarkConsolidatedExport(b *testing.B) {
	h, cookie := consBench(b)
	benchtest.Measure(b, consBenchGet(h, cookie, "/consolidated/export.xlsx", ""))
}

var consBenchState struct {
	h      http.Handler
	cookie *http.Cookie
}

func consBench(b *testing.B) (http.Handler, *http.Cookie) {
	b.Helper()
	if consBenchState.h != nil {
		return consBenchState.h, consBenchState.cookie
	}
	dir, err := os.MkdirTemp("", "cadran-cons-bench-")
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	d, err := db.Open(ctx, filepath.Join(dir, "cons.db"))
	if err != nil {
		b.Fatal(err)
	}
	if _, err := d.Migrate(ctx, time.Now()); err != nil {
		b.Fatal(err)
	}
	if _, err := demo.Seed(ctx, d, clock.System{}); err != nil {
		b.Fatal(err)
	}
	if _, err := d.W.Exec(`ANALYZE`); err != nil {
		b.Fatal(err)
	}
	srv, err := New(Options{DB: d, Clock: benchClock{}, Version: "bench"})
	if err != nil {
		b.Fatal(err)
	}
	h := srv.Handler()
	login := httptest.NewRequest("POST", "/login", nil)
	login.PostForm = map[string][]string{"username": {"calitate"}, "password": {demo.Password}}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, login)
	if rec.Code != http.StatusSeeOther || len(rec.Result().Cookies()) == 0 {
		b.Fatalf("sign-in: %d", rec.Code)
	}
	consBenchState.h, consBenchState.cookie = h, rec.Result().Cookies()[0]
	return consBenchState.h, consBenchState.cookie
}

func consBenchGet(h http.Handler, cookie *http.Cookie, path, marker string) func() error {
	return func() error {
		req := httptest.NewRequest("GET", path, nil)
		req.AddCookie(cookie)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), marker) {
			return fmt.Errorf("GET %s: status %d, marker %q missing", path, rec.Code, marker)
		}
		return nil
	}
}
