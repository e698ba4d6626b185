package web

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"cadran/internal/benchtest"
	"cadran/internal/citizen"
	"cadran/internal/citizen/citizentest"
	"cadran/internal/db"
	"cadran/internal/db/dbtest"
	"cadran/internal/org"
)

// publicBenchServer is a server on SQLite whose institution holds a
// registry of 200,000 cases (citizentest.Seed), and the number and access
// code of one of them. Seeding takes minutes on a small machine: with
// CADRAN_LOAD_DB naming a file TestPublicLoadRegistry prepared, the
// benchmark uses that registry instead, and files one case of its own
// through the public page to get a number and code.
func publicBenchServer(b *testing.B) (h http.Handler, cui string, number, code string) {
	b.Helper()
	ctx := context.Background()
	var d *db.DB
	var inst org.Institution
	var err error
	if path := os.Getenv("CADRAN_LOAD_DB"); path != "" {
		if d, err = db.Open(ctx, path); err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { d.Close() })
		if inst, err = (&org.Service{DB: d, Clock: benchClock{}}).InstitutionByCUI(ctx, publicLoadCUI); err != nil {
			b.Fatal(err)
		}
	} else {
		d = dbtest.Open(b, db.SQLite)
		if inst, number, code, err = publicLoadSeed(ctx, d); err != nil {
			b.Fatal(err)
		}
	}
	srv, err := New(Options{DB: d, Clock: benchClock{}, Version: "bench"})
	if err != nil {
		b.Fatal(err)
	}
	h = srv.Handler()
	if number == "" {
		form := publicFiling(citizen.KindPetition)
		req := httptest.NewRequest("POST", "/public/"+inst.CUI+"/file", strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		n, k := receiptNumber.FindStringSubmatch(rec.Body.String()), receiptCode.FindStringSubmatch(rec.Body.String())
		if rec.Code != http.StatusOK || n == nil || k == nil {
			b.Fatalf("cannot file a case: status %d", rec.Code)
		}
		number, code = n[1], k[1]
	}
	return h, inst.CUI, number, code
}

// publicLoadCUI is the CUI of the load test's institution.
const publicLoadCUI = "4322823"

// publicLoadSeed makes the load test's institution with a registry of
// 200,000 cases over two years and 20,000 ratings.
func publicLoadSeed(ctx context.Context, d *db.DB) (org.Institution, string, string, error) {
	inst, err := (&org.Service{DB: d, Clock: benchClock{}}).CreateInstitutionSystem(ctx, org.InstitutionInput{Name: "Primăria Încărcare", CUI: publicLoadCUI, Kind: org.KindMunicipality, County: "Cluj"})
	if err != nil {
		return inst, "", "", err
	}
	now := time.Now().UTC()
	res, err := citizentest.Seed(ctx, d, citizentest.Large{Tenant: inst.ID, Cases: 200_000, From: now.AddDate(-2, 0, 0), To: now, Ratings: 20_000})
	return inst, res.Number, res.AccessCode, err
}

func publicStatusRequest(cui, number, code string) *http.Request {
	body := url.Values{"public_number": {number}, "public_code": {code}}.Encode()
	req := httptest.NewRequest("POST", "/public/"+cui+"/status", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return req
}

// BenchmarkPublicStatus measures the public status lookup (number and
// access code, POST) of an answered case in a 200,000-case registry on
// SQLite, through the whole handler chain, one request at a time.
//
//	go test ./internal/web/ -run '^$' -bench BenchmarkPublicStatus -benchtime 2000x
func BenchmarkPublicStatus(b *testing.B) {
	h, cui, number, code := publicBenchServer(b)
	b.ResetTimer()
	benchtest.Measure(b, func() error {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, publicStatusRequest(cui, number, code))
		if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), number) {
			return fmt.Errorf("status %d", rec.Code)
		}
		return nil
	})
}

// BenchmarkPublicStatusParallel is the same lookup from concurrent
// clients (GOMAXPROCS goroutines), reporting requests per second.
func BenchmarkPublicStatusParallel(b *testing.B) {
	h, cui, number, code := publicBenchServer(b)
	b.ResetTimer()
	start := time.Now()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, publicStatusRequest(cui, number, code))
			if rec.Code != http.StatusOK {
				b.Errorf("status %d", rec.Code)
				return
			}
		}
	})
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "req/s")
}

// TestPublicLoadRegistry prepares a SQLite file for the load test of the
// public status page with cmd/loadgen: an institution (CUI 4322823) with a
// registry of 200,000 cases, and prints the number and access code of one
// of them. It runs only when CADRAN_LOAD_DB names the file:
//
//	CADRAN_LOAD_DB=/tmp/load.db go test ./internal/web/ -run TestPublicLoadRegistry -v
//	./bin/cadran serve -database /tmp/load.db -addr 127.0.0.1:18081 -log-level warn &
//	go run ./cmd/loadgen -url http://127.0.0.1:18081/public/4322823/status -user '' -method POST \
//		-form 'public_number=NUMBER&public_code=CODE' -n 30000 -c 16
func TestPublicLoadRegistry(t *testing.T) {
	path := os.Getenv("CADRAN_LOAD_DB")
	if path == "" {
		t.Skip("CADRAN_LOAD_DB is not set")
	}
	ctx := context.Background()
	d, err := db.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if _, err := d.Migrate(ctx, time.Now().UTC()); err != nil {
		t.Fatal(err)
	}
	inst, number, code, err := publicLoadSeed(ctx, d)
	if err != nil {
		t.Fatal(err)
	}
	fmt.Printf("cui=%s public_number=%s public_code=%s\n", inst.CUI, number, code)
}
