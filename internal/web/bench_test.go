package web

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"

	"cadran/internal/auth"
	"cadran/internal/db"
	"cadran/internal/db/dbtest"
	"cadran/internal/org"
)

// BenchmarkPeopleList measures the people list page (first page, sorted by
// name) in an institution of 600 people in 60 units, on SQLite, through the
// whole handler chain: session, actor, query, template.
func BenchmarkPeopleList(b *testing.B) {
	d := dbtest.Open(b, db.SQLite)
	ctx := context.Background()
	o := &org.Service{DB: d, Clock: benchClock{}}
	a := &auth.Service{DB: d, Clock: benchClock{}}
	inst, err := o.CreateInstitutionSystem(ctx, org.InstitutionInput{Name: "Primăria Bench", CUI: "4322823", Kind: org.KindMunicipality, County: "Cluj"})
	if err != nil {
		b.Fatal(err)
	}
	sys := auth.SystemActor(inst.ID, "bench")
	var units []int64
	for i := range 60 {
		u, err := o.CreateUnit(ctx, sys, org.UnitInput{Name: "Serviciul " + strconv.Itoa(i), Kind: org.UnitService, Relation: org.RelationOwn})
		if err != nil {
			b.Fatal(err)
		}
		units = append(units, u.ID)
	}
	for i := range 600 {
		if _, err := o.CreatePerson(ctx, sys, org.PersonInput{UnitID: units[i%60], FullName: "Ionescu Ștefan " + strconv.Itoa(i), JobTitle: "Consilier", Position: org.PositionExecution, Employment: org.EmploymentCivilServant, Active: true}); err != nil {
			b.Fatal(err)
		}
	}
	if _, err := a.CreateUser(ctx, sys, auth.UserInput{Username: "bench", DisplayName: "Bench", Password: testPassword, Roles: []auth.Role{auth.RoleAdmin}}); err != nil {
		b.Fatal(err)
	}
	srv, err := New(Options{DB: d, Clock: benchClock{}, Version: "bench"})
	if err != nil {
		b.Fatal(err)
	}
	h := srv.Handler()
	login := httptest.NewRequest("POST", "/login", nil)
	login.PostForm = map[string][]string{"username": {"bench"}, "password": {testPassword}}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, login)
	cookie := rec.Result().Cookies()[0]
	b.ResetTimer()
	for b.Loop() {
		req := httptest.NewRequest("GET", "/people", nil)
		req.AddCookie(cookie)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			b.Fatalf("status %d", rec.Code)
		}
	}
}

// benchGetter signs in as the benchmark's user "bench" on h and returns a
// maker of measured requests: GET path through the whole handler chain,
// an error unless it answers 200.
func benchGetter(h http.Handler) func(path string) func() error {
	login := httptest.NewRequest("POST", "/login", nil)
	login.PostForm = map[string][]string{"username": {"bench"}, "password": {testPassword}}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, login)
	cookie := rec.Result().Cookies()[0]
	return func(path string) func() error {
		return func() error {
			req := httptest.NewRequest("GET", path, nil)
			req.AddCookie(cookie)
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			if rec.Code != http.StatusOK {
				return fmt.Errorf("GET %s: status %d", path, rec.Code)
			}
			return nil
		}
	}
}
