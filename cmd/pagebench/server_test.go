package main

import (
	"context"
	"log/slog"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"cadran/internal/clock"
	"cadran/internal/db"
	"cadran/internal/scale"
	"cadran/internal/web"
)

// TestCrawlRealServer runs the crawl and the measurements against the real
// server, on a fresh SQLite database with a small generated institution.
func TestCrawlRealServer(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a server")
	}
	ctx := context.Background()
	d, err := db.Open(ctx, filepath.Join(t.TempDir(), "cadran.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if _, err := d.Migrate(ctx, time.Now()); err != nil {
		t.Fatal(err)
	}
	t0 := time.Now()
	if _, err := scale.Institutions(ctx, d, clock.System{}, 1, scale.Options{Seed: 1, Factor: 0.001}); err != nil {
		t.Fatal(err)
	}
	t.Logf("generated in %s", time.Since(t0).Round(time.Millisecond))
	srv, err := web.New(web.Options{DB: d})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	defer ts.Close()
	base, err := loopbackURL(ts.URL)
	if err != nil {
		t.Fatal(err)
	}

	// The server's request log would drown the test's output.
	prev := slog.Default()
	slog.SetDefault(slog.New(slog.DiscardHandler))
	defer slog.SetDefault(prev)

	users := []string{"admin.g0001", "calitate.g0001", "nobody.g0001"}
	cfg := Config{
		Base: base, Users: users, Password: "cadran-demo", Start: []string{"/", "/healthz"},
		N: 2, C: 2, Samples: 1, MaxPages: 200, PerShape: 2, PerPattern: 2, Search: "direcția",
		// Budgets a test machine meets whatever else runs on it: this test
		// checks the crawl and the bookkeeping, not the speed.
		Budgets: Budgets{Page: time.Minute, Search: time.Minute, API: time.Minute, Download: time.Minute},
		MaxTime: 2 * time.Minute, Log: testLog{t},
	}
	rep, err := Run(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}

	// The user that does not exist is a problem reported, not a failure.
	if len(rep.Problems) != 1 || !strings.Contains(rep.Problems[0], "nobody.g0001") {
		t.Errorf("problems: %q", rep.Problems)
	}
	for _, e := range rep.CrawlErrors {
		t.Errorf("crawl error: %+v", e)
	}
	patterns := map[string]map[string]bool{} // pattern -> users
	kinds := map[string]int{}
	for _, row := range rep.Rows {
		if !row.Measured || row.Errors > 0 {
			t.Errorf("%s %s (%s): %s, %s", row.Pattern, row.URL, row.User, row.Result(), row.FirstErr)
			continue
		}
		if row.N != cfg.N || row.P50 <= 0 || row.P50 > row.P95 || row.P95 > row.P99 || row.P99 > row.Max || row.ServerP95 <= 0 {
			t.Errorf("%s (%s): figures out of order: %+v", row.Pattern, row.User, row)
		}
		if row.Judged != row.ServerP95 {
			t.Errorf("%s: judged on %v, not the server's p95 %v", row.Pattern, row.Judged, row.ServerP95)
		}
		if row.ServerP95 > row.Max {
			t.Errorf("%s: the server's p95 %v exceeds the client's max %v", row.Pattern, row.ServerP95, row.Max)
		}
		if patterns[row.Pattern] == nil {
			patterns[row.Pattern] = map[string]bool{}
		}
		patterns[row.Pattern][row.User] = true
		kinds[row.Kind]++
	}
	if len(patterns) < 20 {
		t.Errorf("only %d route patterns reached: %v", len(patterns), patterns)
	}
	for _, p := range []string{"GET /{$}", "GET /healthz", "GET /units", "GET /units/{id}", "GET /people/{id}", "GET /api/v1/openapi.json", "GET /api/v1/kpis"} {
		if len(patterns[p]) == 0 {
			t.Errorf("%s not measured", p)
		}
	}
	// Each user's own crawl: the home page is measured for both.
	if n := len(patterns["GET /{$}"]); n != 2 {
		t.Errorf("home page measured for %d users, want 2", n)
	}
	// The administrator reaches the user list.
	if !patterns["GET /users"]["admin.g0001"] {
		t.Error("GET /users not reached as admin")
	}
	for _, k := range []string{KindPage, KindDownload, KindAPI, KindSearch} {
		if kinds[k] == 0 {
			t.Errorf("no %s measured (kinds %v)", k, kinds)
		}
	}
	for _, row := range rep.Rows {
		if strings.Contains(row.URL, "logout") {
			t.Errorf("measured %s", row.URL)
		}
	}

	// The tokens made for the API are revoked at the end.
	var live int
	if err := d.R.QueryRowContext(ctx, `SELECT COUNT(*) FROM api_tokens WHERE revoked_at IS NULL`).Scan(&live); err != nil {
		t.Fatal(err)
	}
	var made int
	if err := d.R.QueryRowContext(ctx, `SELECT COUNT(*) FROM api_tokens WHERE name LIKE 'pagebench %'`).Scan(&made); err != nil {
		t.Fatal(err)
	}
	if live != 0 || made != 2 {
		t.Errorf("%d pagebench tokens made (want 2), %d still live (want 0)", made, live)
	}

	// The report lists every row and, given the route list, what the
	// crawl missed.
	rep.Known = []string{"GET /{$}", "GET /never/{x}"}
	var b strings.Builder
	if err := rep.WriteMarkdown(&b); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	if got := strings.Count(out, "\n| `GET "); got != len(rep.Rows) {
		t.Errorf("%d table rows, want %d", got, len(rep.Rows))
	}
	for _, s := range []string{"| Route | Kind | User | Sample URL |", "- GET /never/{x}", "GET routes never reached: 1 of 2", "over budget: 0"} {
		if !strings.Contains(out, s) {
			t.Errorf("report lacks %q", s)
		}
	}
	if rep.Passed() {
		t.Error("a run with a user who cannot sign in passed")
	}
	if _, err := url.Parse(rep.Target); err != nil || rep.Target != ts.URL {
		t.Errorf("target %q", rep.Target)
	}
}

// testLog sends the progress lines to the test's log.
type testLog struct{ t *testing.T }

func (l testLog) Write(b []byte) (int, error) {
	l.t.Log(strings.TrimSpace(string(b)))
	return len(b), nil
}
