package web

import (
	"context"
	"fmt"
	"math"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"

	"cadran/internal/auth"
	"cadran/internal/benchtest"
	"cadran/internal/db"
	"cadran/internal/db/dbtest"
	"cadran/internal/org"
	"cadran/internal/scorecard"
)

// kpiBenchServer seeds an institution with n monthly KPIs under one
// objective, each with ten years of values ending with last month, a
// yearly target and a dozen corrections, and returns the signed-in handler
// of its quality manager and the KPIs' ids.
func kpiBenchServer(b *testing.B, n int) (http.Handler, *http.Cookie, []int64) {
	b.Helper()
	d := dbtest.Open(b, db.SQLite)
	ctx := context.Background()
	clk := benchClock{}
	o := &org.Service{DB: d, Clock: clk}
	a := &auth.Service{DB: d, Clock: clk}
	inst, err := o.CreateInstitutionSystem(ctx, org.InstitutionInput{Name: "Primăria Bench", CUI: "4322823", Kind: org.KindMunicipality, County: "Cluj"})
	if err != nil {
		b.Fatal(err)
	}
	sys := auth.SystemActor(inst.ID, "bench")
	person, err := o.CreatePerson(ctx, sys, org.PersonInput{FullName: "Ionescu Ștefan", JobTitle: "Responsabil calitate", Position: org.PositionExecution, Employment: org.EmploymentCivilServant, Active: true})
	if err != nil {
		b.Fatal(err)
	}
	if _, err := a.CreateUser(ctx, sys, auth.UserInput{Username: "bench", DisplayName: "Bench", Password: testPassword, Roles: []auth.Role{auth.RoleQualityManager}, PersonID: person.ID}); err != nil {
		b.Fatal(err)
	}
	srv, err := New(Options{DB: d, Clock: clk, Version: "bench"})
	if err != nil {
		b.Fatal(err)
	}
	sc := srv.scorecard
	if err := sc.EnsureDefaults(ctx, sys); err != nil {
		b.Fatal(err)
	}
	ps, err := sc.Perspectives(ctx, sys)
	if err != nil {
		b.Fatal(err)
	}
	obj, err := sc.CreateObjective(ctx, sys, scorecard.ObjectiveInput{PerspectiveID: ps[0].ID, Title: "Servicii publice prompte", Weight: 1})
	if err != nil {
		b.Fatal(err)
	}
	last := scorecard.Containing(scorecard.Monthly, clk.Now()).Prev()
	first := last
	for range 119 {
		first = first.Prev()
	}
	var ids []int64
	for i := range n {
		k, err := sc.CreateKPI(ctx, sys, scorecard.KPIInput{Code: fmt.Sprintf("K%03d", i+1), Name: "Petiții soluționate în termen " + strconv.Itoa(i), MeasureUnit: "%",
			Polarity: scorecard.PolarityHigher, Method: scorecard.MethodLinear, Frequency: scorecard.Monthly, Baseline: kpiF(60), Red: kpiF(75), Decimals: 1,
			OwnerID: person.ID, ObjectiveID: obj.ID, Weight: 1})
		if err != nil {
			b.Fatal(err)
		}
		var ts []scorecard.Target
		for y := first.Year; y <= last.Year; y++ {
			ts = append(ts, scorecard.Target{Period: strconv.Itoa(y), Value: 90})
		}
		if err := sc.SetTargets(ctx, sys, k.ID, k.Version, ts); err != nil {
			b.Fatal(err)
		}
		var es []scorecard.Entry
		j := 0
		for p := first; !last.Before(p); p = p.Next() {
			es = append(es, scorecard.Entry{KPIID: k.ID, Period: p.Key(), Value: math.Round(85+10*math.Sin(float64(j)/5)*10) / 10, Explanation: "sub țintă"})
			j++
		}
		if _, err := sc.Record(ctx, sys, scorecard.SourceImport, es); err != nil {
			b.Fatal(err)
		}
		// A dozen corrections for the history.
		ms, err := sc.Measurements(ctx, sys, k.ID)
		if err != nil {
			b.Fatal(err)
		}
		var fix []scorecard.Entry
		for _, m := range ms[:12] {
			fix = append(fix, scorecard.Entry{KPIID: k.ID, Period: m.Period, Value: *m.Value + 1, Explanation: "corectat", Version: m.Version})
		}
		if _, err := sc.Record(ctx, sys, scorecard.SourceImport, fix); err != nil {
			b.Fatal(err)
		}
		ids = append(ids, k.ID)
	}
	h := srv.Handler()
	login := httptest.NewRequest("POST", "/login", nil)
	login.PostForm = map[string][]string{"username": {"bench"}, "password": {testPassword}}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, login)
	return h, rec.Result().Cookies()[0], ids
}

func kpiBenchGet(h http.Handler, cookie *http.Cookie, path string) error {
	req := httptest.NewRequest("GET", path, nil)
	req.AddCookie(cookie)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != http.StatusOK {
		return fmt.Errorf("GET %s: status %d", path, rec.Code)
	}
	return nil
}

// BenchmarkKPIPage measures a KPI's page (the trend chart of 36 months,
// the table of values, the corrections, the targets form, the audit
// history) for a KPI with ten years of monthly values, on SQLite, through
// the whole handler chain.
func BenchmarkKPIPage(b *testing.B) {
	h, cookie, ids := kpiBenchServer(b, 5)
	path := "/scorecard/kpis/" + strconv.FormatInt(ids[2], 10)
	b.ResetTimer()
	benchtest.Measure(b, func() error { return kpiBenchGet(h, cookie, path) })
}

// BenchmarkKPIPageTenYears is the same page with all ten years charted
// (?from= ten years back): 120 points and 120 table rows.
func BenchmarkKPIPageTenYears(b *testing.B) {
	h, cookie, ids := kpiBenchServer(b, 5)
	path := "/scorecard/kpis/" + strconv.FormatInt(ids[2], 10) + "?from=2000"
	b.ResetTimer()
	benchtest.Measure(b, func() error { return kpiBenchGet(h, cookie, path) })
}

// BenchmarkMeasurementGrid measures the entry grid of this year for 100
// monthly KPIs (1,200 cells with inputs), on SQLite.
func BenchmarkMeasurementGrid(b *testing.B) {
	h, cookie, _ := kpiBenchServer(b, 100)
	b.ResetTimer()
	benchtest.Measure(b, func() error { return kpiBenchGet(h, cookie, "/scorecard/measurements?frequency=monthly") })
}
