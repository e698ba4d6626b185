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

// BenchmarkCrosswalkReadiness measures the crosswalk's pages on the seeded
// demo institution (SQLite, the whole handler chain) read by the quality
// manager: the readiness of each framework (every item's evidence, direct
// and through the crosswalk, read from the compliance matrix, the latest
// CAF cycle and the latest self-evaluation), one item's page, the mapping,
// and the ISO clause page with its crosswalk panel.
//
//	go test ./internal/web/ -run '^$' -bench BenchmarkCrosswalkReadiness -benchtime 200x
func BenchmarkCrosswalkReadiness(b *testing.B) {
	h := cwBenchHandler(b)
	for _, c := range []struct{ name, path, marker string }{
		{"iso", "/crosswalk/iso", `id="item-7.5"`},
		{"caf", "/crosswalk/caf", `id="item-4.4"`},
		{"osgg", "/crosswalk/osgg", `id="item-13"`},
		{"item", "/crosswalk/osgg/13", "Nomenclatorul arhivistic"},
		{"mapping", "/crosswalk", `id="std-13"`},
		{"clause", "/compliance/clauses/7.5", `id="crosswalk"`},
	} {
		b.Run(c.name, func(b *testing.B) { benchtest.Measure(b, cwBenchGet(b, h, "calitate", c.path, c.marker)) })
	}
}

var cwBench struct {
	once sync.Once
	h    http.Handler
	err  error
}

func cwBenchHandler(b *testing.B) http.Handler {
	b.Helper()
	cwBench.once.Do(func() {
		dir, err := os.MkdirTemp("", "cadran-crosswalk-bench-")
		if err != nil {
			cwBench.err = err
			return
		}
		d, err := db.Open(context.Background(), filepath.Join(dir, "crosswalk.db"))
		if err != nil {
			cwBench.err = err
			return
		}
		if _, err := d.Migrate(context.Background(), time.Now()); err != nil {
			cwBench.err = err
			return
		}
		if _, err := demo.Seed(context.Background(), d, clock.System{}); err != nil {
			cwBench.err = err
			return
		}
		if _, err := d.W.Exec(`ANALYZE`); err != nil {
			cwBench.err = err
			return
		}
		srv, err := New(Options{DB: d, Clock: benchClock{}, Version: "bench"})
		if err != nil {
			cwBench.err = err
			return
		}
		cwBench.h = srv.Handler()
	})
	if cwBench.err != nil {
		b.Fatal(cwBench.err)
	}
	return cwBench.h
}

func cwBenchGet(b *testing.B, h http.Handler, username, path, marker string) func() error {
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
