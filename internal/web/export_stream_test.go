package web

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"cadran/internal/auth"
	"cadran/internal/citizen/citizentest"
	"cadran/internal/clock"
	"cadran/internal/db"
	"cadran/internal/db/dbtest"
	"cadran/internal/org"
	"cadran/internal/report"
)

// The registry's export streams its rows, a batch at a time: a long one
// (3,500 cases, several batches) holds every case the filter selects, in
// the list's order, and the CSV and the workbook hold the same cells.
func TestExportStreamLargeRegistry(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		o := &org.Service{DB: d, Clock: clock.System{}}
		as := &auth.Service{DB: d, Clock: clock.System{}}
		inst, err := o.CreateInstitutionSystem(ctx, org.InstitutionInput{Name: "Primăria Municipiului Export", CUI: "4322823", Kind: org.KindMunicipality, County: "Mureș"})
		if err != nil {
			t.Fatal(err)
		}
		sys := auth.SystemActor(inst.ID, "test")
		if _, err := as.CreateUser(ctx, sys, auth.UserInput{Username: "calitate", DisplayName: "Calitate", Password: testPassword, Roles: []auth.Role{auth.RoleQualityManager}}); err != nil {
			t.Fatal(err)
		}
		today := time.Now().UTC().Truncate(24 * time.Hour)
		const cases = 3500
		if _, err := citizentest.Seed(ctx, d, citizentest.Large{Tenant: inst.ID, Cases: cases, From: today.AddDate(-1, 0, 0), To: today.AddDate(0, 0, 1), Services: 8}); err != nil {
			t.Fatal(err)
		}
		srv, err := New(Options{DB: d, Clock: clock.System{}, Version: "test", FilesDir: t.TempDir()})
		if err != nil {
			t.Fatal(err)
		}
		hs := httptest.NewServer(srv.Handler())
		t.Cleanup(hs.Close)
		jar, _ := cookiejar.New(nil)
		c := &client{t: t, base: hs.URL, c: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
		res, body := c.post("/login", url.Values{"username": {"calitate"}, "password": {testPassword}})
		wantStatus(t, res, body, http.StatusSeeOther)

		// The registry's numbers, newest first, as the list sorts them.
		var want []string
		rows, err := d.R.QueryContext(ctx, `SELECT number FROM citizen_cases WHERE tenant_id = $1 ORDER BY year DESC, seq DESC`, inst.ID)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var n string
			if err := rows.Scan(&n); err != nil {
				t.Fatal(err)
			}
			want = append(want, n)
		}
		rows.Close()
		if len(want) != cases {
			t.Fatalf("%d cases seeded, want %d", len(want), cases)
		}

		path := "/citizen/cases/export.csv"
		res, body = c.get(path)
		recs := exportCSV(t, path, res, body)
		if len(recs) != cases+1 {
			t.Fatalf("CSV: %d records, want %d and the header", len(recs), cases)
		}
		if recs[0][0] != "Nr. înregistrare" || len(recs[0]) != 15 {
			t.Errorf("CSV header %q", recs[0])
		}
		for i, n := range want {
			if recs[i+1][0] != n {
				t.Fatalf("CSV row %d: number %q, want %q", i+1, recs[i+1][0], n)
			}
			if len(recs[i+1]) != 15 || recs[i+1][1] == "" || recs[i+1][2] == "" || recs[i+1][11] == "" {
				t.Fatalf("CSV row %d incomplete: %q", i+1, recs[i+1])
			}
		}

		res, body = c.get("/citizen/cases/export.xlsx")
		wantStatus(t, res, body, http.StatusOK)
		if cd := res.Header.Get("Content-Disposition"); !strings.Contains(cd, ".xlsx") {
			t.Errorf("content disposition %q", cd)
		}
		x, err := excelize.OpenReader(bytes.NewReader([]byte(body)))
		if err != nil {
			t.Fatal(err)
		}
		sheet, err := x.GetRows(x.GetSheetName(0))
		if err != nil {
			t.Fatal(err)
		}
		if len(sheet) != len(recs) {
			t.Fatalf("workbook: %d rows, CSV %d", len(sheet), len(recs))
		}
		for i := range sheet {
			got := append([]string{}, sheet[i]...)
			for len(got) < len(recs[i]) {
				got = append(got, "") // the workbook's empty cells at the end of a row
			}
			if strings.Join(got, "\x00") != strings.Join(recs[i], "\x00") {
				t.Fatalf("row %d: workbook %q, CSV %q", i, got, recs[i])
			}
		}

		// A filter and an order: the open petitions by deadline.
		res, body = c.get("/citizen/cases/export.csv?kind=petition&state=open&sort=due")
		recs = exportCSV(t, "filtered", res, body)
		var open int
		if err := d.R.QueryRowContext(ctx, `SELECT COUNT(*) FROM citizen_cases WHERE tenant_id = $1 AND kind = 'petition' AND state IN ('registered', 'assigned')`, inst.ID).Scan(&open); err != nil {
			t.Fatal(err)
		}
		if len(recs) != open+1 {
			t.Errorf("filtered CSV: %d records, want %d and the header", len(recs), open)
		}
		for i := 2; i < len(recs); i++ {
			if recs[i][2] != "Petiție" {
				t.Fatalf("filtered CSV row %d is a %q", i, recs[i][2])
			}
		}
	})
}

// A CSV whose rows fail half-way is cut off rather than ending as if whole.
func TestExportStreamAbort(t *testing.T) {
	rw := httptest.NewRecorder()
	r := httptest.NewRequest("GET", "/x/export.csv", nil)
	fw := &fileWriter{w: rw, name: "Listă", ext: "csv"}
	if _, err := fw.Write([]byte("a,b\n")); err != nil {
		t.Fatal(err)
	}
	if ct := rw.Header().Get("Content-Type"); ct != "text/csv; charset=utf-8" {
		t.Errorf("content type %q", ct)
	}
	if cd := rw.Header().Get("Content-Disposition"); !strings.Contains(cd, "filename*=utf-8''List%C4%83.csv") {
		t.Errorf("content disposition %q", cd)
	}
	defer func() {
		if v := recover(); v != http.ErrAbortHandler {
			t.Errorf("recovered %v, want http.ErrAbortHandler", v)
		}
	}()
	abortResponse(rw, r, context.DeadlineExceeded) // a recorder cannot be hijacked: the handler is aborted
}

// Over a real connection, a CSV that fails after its first bytes went out
// ends in a broken download, not in a short file that looks whole.
func TestExportStreamAbortConnection(t *testing.T) {
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s := report.Stream{Sheet: "S", Headers: []string{"Nr."}, Rows: func(emit func([]any) error) error {
			for i := range 20000 { // well past the writer's buffer
				if err := emit([]any{strings.Repeat("rând ", 4), i}); err != nil {
					return err
				}
			}
			return context.DeadlineExceeded
		}}
		if err := sendStreams(w, r, "Listă", s); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
		}
	}))
	defer hs.Close()
	res, err := http.Get(hs.URL + "/x/export.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Fatalf("status %d", res.StatusCode)
	}
	if _, err := io.ReadAll(res.Body); err == nil {
		t.Error("the cut-off download read as a whole file")
	}
}
