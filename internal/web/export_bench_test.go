package web

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strconv"
	"testing"
	"time"

	"cadran/internal/auth"
	"cadran/internal/benchtest"
	"cadran/internal/clock"
	"cadran/internal/db"
	"cadran/internal/db/dbtest"
	"cadran/internal/org"
	"cadran/internal/risks"
	"cadran/internal/textutil"
)

// exportBenchRisks is the register measured: a large municipality's
// risks and opportunities of one year, in every state, over 30 units.
const exportBenchRisks = 2_000

// exportBenchServer serves a register of exportBenchRisks entries on
// SQLite and signs in its quality manager.
func exportBenchServer(b *testing.B) (*http.Client, string) {
	b.Helper()
	ctx := context.Background()
	d := dbtest.Open(b, db.SQLite)
	clk := clock.NewFixed(time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC))
	o := &org.Service{DB: d, Clock: clk}
	as := &auth.Service{DB: d, Clock: clk}
	inst, err := o.CreateInstitutionSystem(ctx, org.InstitutionInput{Name: "Primăria Municipiului Bench", CUI: "4322823", Kind: org.KindMunicipality, County: "Mureș"})
	if err != nil {
		b.Fatal(err)
	}
	sys := auth.SystemActor(inst.ID, "bench")
	var units []int64
	var codes []string
	for i := range 30 {
		u, err := o.CreateUnit(ctx, sys, org.UnitInput{Name: fmt.Sprintf("Serviciul %02d", i), Code: fmt.Sprintf("S%02d", i), Kind: org.UnitService, Relation: org.RelationOwn})
		if err != nil {
			b.Fatal(err)
		}
		units, codes = append(units, u.ID), append(codes, u.Code)
	}
	if _, err := as.CreateUser(ctx, sys, auth.UserInput{Username: "calitate", DisplayName: "Responsabil calitate", Password: testPassword, Roles: []auth.Role{auth.RoleQualityManager}}); err != nil {
		b.Fatal(err)
	}
	descs := []string{"Neîncasarea la termen a impozitelor și taxelor locale", "Atribuirea contractelor de achiziție publică fără respectarea procedurii",
		"Emiterea autorizațiilor de construire peste termenul legal", "Acordarea necuvenită a beneficiilor de asistență socială",
		"Pierderea sau divulgarea datelor cu caracter personal", "Ocuparea posturilor vacante cu personal necorespunzător"}
	states := []string{risks.StateActive, risks.StateActive, risks.StateActive, risks.StateProposed, risks.StateClosed, risks.StateDeclined}
	now := clk.Now()
	if err := d.Tx(ctx, func(tx *sql.Tx) error {
		st, err := tx.Prepare(`INSERT INTO risks (tenant_id, year, kind, code, sort_code, level, unit_id, description, causes, scale, inherent_p, inherent_i, inherent_e, strategy,
				residual_p, residual_i, residual_e, cur_p, cur_i, cur_e, next_review_on, state, search_text, sort_text, created_at, updated_at)
			VALUES ($1, 2026, $2, $3, $4, $5, $6, $7, 'Cauze: lipsă de personal, proceduri neactualizate', 5, $8, $9, $10, 'treat', $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $21)`)
		if err != nil {
			return err
		}
		defer st.Close()
		for i := range exportBenchRisks {
			u := i % len(units)
			p, im := 1+i%5, 1+(i/5)%5
			rp, ri := max(1, p-1), max(1, im-(i%2))
			code := fmt.Sprintf("R-%s-%03d", codes[u], i/len(units)+1)
			desc := descs[i%len(descs)] + " nr. " + strconv.Itoa(i)
			if _, err := st.Exec(inst.ID, risks.KindRisk, code, code, risks.LevelUnit, units[u], desc, p, im, p*im, rp, ri, rp*ri, rp, ri, rp*ri,
				fmt.Sprintf("2027-%02d-%02d", 1+i%12, 1+i%28), states[i%len(states)], textutil.Fold(code+" "+desc), textutil.Fold(desc), now); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		b.Fatal(err)
	}
	srv, err := New(Options{DB: d, Clock: clk, Version: "bench"})
	if err != nil {
		b.Fatal(err)
	}
	hs := httptest.NewServer(srv.Handler())
	b.Cleanup(hs.Close)
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := c.PostForm(hs.URL+"/login", url.Values{"username": {"calitate"}, "password": {testPassword}})
	if err != nil {
		b.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther {
		b.Fatalf("sign-in: status %d", res.StatusCode)
	}
	return c, hs.URL
}

// benchExport downloads the risk register export (year 2026, every state,
// sorted by code: 2,000 rows of 25 columns) in one format, whole, through
// the handler chain.
func benchExport(b *testing.B, ext string) {
	c, base := exportBenchServer(b)
	get := func() error {
		res, err := c.Get(base + "/risks/export." + ext + "?year=2026&sort=code")
		if err != nil {
			return err
		}
		defer res.Body.Close()
		n, err := io.Copy(io.Discard, res.Body)
		if err != nil {
			return err
		}
		if res.StatusCode != http.StatusOK || n < 10_000 {
			return fmt.Errorf("status %d, %d bytes", res.StatusCode, n)
		}
		return nil
	}
	if err := get(); err != nil {
		b.Fatal(err)
	}
	benchtest.Measure(b, get)
}

// BenchmarkExportCSV and BenchmarkExportXLSX measure the same list export
// in its two formats, on SQLite.
//
//	go test ./internal/web/ -run '^$' -bench 'BenchmarkExport(CSV|XLSX)' -benchtime 50x
func BenchmarkExportCSV(b *testing.B)  { benchExport(b, "csv") }
func BenchmarkExportXLSX(b *testing.B) { benchExport(b, "xlsx") }
