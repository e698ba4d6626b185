package web

import (
	"archive/zip"
	"bytes"
	"context"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"cadran/internal/auth"
	"cadran/internal/control"
	"cadran/internal/db"
	"cadran/internal/db/dbtest"
	"cadran/internal/org"
)

// csFixture is institution A with a quality manager and an employee, a
// sensitive function with a holder since 2020 (overdue for rotation on
// the fixture's clock, 23 November 2026) and an activity without a
// procedure.
type csFixture struct {
	*fixture
	QM, Emp  string
	Fn       control.SensitiveFunction
	Holder   control.Holder
	Measure  control.SensitiveMeasure
	Activity control.Activity
}

func csSeed(t testing.TB, f *fixture) *csFixture {
	t.Helper()
	ctx := context.Background()
	sys := auth.SystemActor(f.A.Inst.ID, "test")
	o := &org.Service{DB: f.DB, Clock: f.Clock}
	p, err := o.CreatePerson(ctx, sys, org.PersonInput{UnitID: f.A.SubUnit.ID, FullName: "Alfa Ștefania Țurcan", JobTitle: "Casier", Position: org.PositionExecution,
		Employment: org.EmploymentCivilServant, Active: true})
	if err != nil {
		t.Fatal(err)
	}
	au := &auth.Service{DB: f.DB, Clock: f.Clock}
	for _, u := range []struct {
		name string
		role auth.Role
	}{{"alfa.csqm", auth.RoleQualityManager}, {"alfa.csemp", auth.RoleEmployee}} {
		if _, err := au.CreateUser(ctx, sys, auth.UserInput{Username: u.name, DisplayName: u.name, Password: testPassword, Roles: []auth.Role{u.role}, Locale: "ro"}); err != nil {
			t.Fatal(err)
		}
	}
	svc := f.Srv.control
	fn, err := svc.CreateSensitive(ctx, sys, control.SensitiveInput{UnitID: f.A.SubUnit.ID, Title: "Alfa Casier încasări", Factors: []string{"money", "public"}, Rotation: true})
	if err != nil {
		t.Fatal(err)
	}
	h, err := svc.AddHolder(ctx, sys, fn.ID, control.HolderInput{PersonID: p.ID, SinceOn: "2020-03-02"})
	if err != nil {
		t.Fatal(err)
	}
	d, err := svc.SensitiveFunction(ctx, sys, fn.ID)
	if err != nil || len(d.Measures) != 1 {
		t.Fatalf("seeded function: %+v %v", d, err)
	}
	x, err := svc.CreateActivity(ctx, sys, control.ActivityInput{UnitID: f.A.SubUnit.ID, Title: "Alfa Încasarea taxelor la ghișeu", OwnerID: p.ID, DueOn: "2027-01-31"})
	if err != nil {
		t.Fatal(err)
	}
	return &csFixture{fixture: f, QM: "alfa.csqm", Emp: "alfa.csemp", Fn: d.Function, Holder: h, Measure: d.Measures[0], Activity: x}
}

func csRun(t *testing.T, fn func(t *testing.T, c *csFixture)) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) { fn(t, csSeed(t, newFixture(t, d))) })
}

func TestControlSensPages(t *testing.T) {
	csRun(t, func(t *testing.T, c *csFixture) {
		qm := c.login(t, c.QM)
		fn := "/control/sensitive/" + strconv.FormatInt(c.Fn.ID, 10)
		act := "/control/activities/" + strconv.FormatInt(c.Activity.ID, 10)
		for _, lang := range []string{"ro", "en"} {
			qm.post("/language", url.Values{"lang": {lang}, "locale": {lang}})
			pages := map[string][]string{
				"/control/sensitive":               {"Alfa Casier încasări"},
				"/control/sensitive?overdue=1":     {"Alfa Casier încasări"},
				"/control/sensitive?factor=assets": {},
				"/control/sensitive/new":           {},
				fn:                                 {"Alfa Ștefania Țurcan", "2025"},
				fn + "/edit":                       {"Alfa Casier încasări"},
				"/control/coverage":                {"Alfa Încasarea taxelor la ghișeu"},
				"/control/coverage?status=covered": {},
				"/control/activities/new":          {},
				act + "/edit":                      {"Alfa Încasarea taxelor la ghișeu"},
			}
			for path, wants := range pages {
				res, body := qm.get(path)
				wantStatus(t, res, body, http.StatusOK)
				for _, w := range wants {
					if !strings.Contains(body, w) {
						t.Errorf("%s (%s) lacks %q", path, lang, w)
					}
				}
			}
		}
		res, body := qm.get("/control/sensitive?q=casier")
		wantStatus(t, res, body, http.StatusOK)
		if !strings.Contains(body, "Alfa Casier") {
			t.Error("the search does not find the function")
		}
	})
}

func TestControlSensFlow(t *testing.T) {
	csRun(t, func(t *testing.T, c *csFixture) {
		qm := c.login(t, c.QM)
		// Bad input: the form comes back with the error and the values kept.
		res, body := qm.post("/control/sensitive", url.Values{"sens_unit": {strconv.FormatInt(c.A.Unit.ID, 10)}, "sens_title": {"Inspector achiziții publice"}, "sens_rotation": {"1"}})
		wantStatus(t, res, body, http.StatusUnprocessableEntity)
		if !strings.Contains(body, "Inspector achiziții publice") || !strings.Contains(body, `id="e-sens_factors"`) {
			t.Fatal("the failed form lost the title or shows no error at the factors")
		}
		res, body = qm.post("/control/sensitive", url.Values{"sens_unit": {strconv.FormatInt(c.A.Unit.ID, 10)}, "sens_title": {"Inspector achiziții publice"},
			"sens_factors": {"procurement", "exclusive"}, "sens_rotation": {"1"}, "sens_max_years": {"4"}})
		wantStatus(t, res, body, http.StatusSeeOther)
		loc := res.Header.Get("Location")
		id, _ := strconv.ParseInt(strings.TrimPrefix(loc, "/control/sensitive/"), 10, 64)
		if id == 0 {
			t.Fatalf("redirect to %q", loc)
		}
		person := strconv.FormatInt(c.A.Person.ID, 10)
		res, body = qm.post(loc+"/holders", url.Values{"holder_person": {person}, "holder_since": {"2030-01-01"}})
		wantStatus(t, res, body, http.StatusUnprocessableEntity)
		if !strings.Contains(body, `id="e-holder_since"`) {
			t.Fatal("no error next to the day")
		}
		res, body = qm.post(loc+"/holders", url.Values{"holder_person": {person}, "holder_since": {"2021-06-01"}})
		wantStatus(t, res, body, http.StatusSeeOther)
		res, body = qm.post(loc+"/measures", url.Values{"measure_kind": {"dual_signature"}, "measure_description": {"Viza a doua persoane pe documentația de atribuire"},
			"measure_due": {"2027-03-31"}})
		wantStatus(t, res, body, http.StatusSeeOther)
		d, err := c.Srv.control.SensitiveFunction(context.Background(), auth.SystemActor(c.A.Inst.ID, "t"), id)
		if err != nil || len(d.Holders) != 1 || len(d.Measures) != 2 || d.Holders[0].RotationOn != "2025-06-01" || !d.Holders[0].Overdue {
			t.Fatalf("after the posts: %+v %v", d, err)
		}
		var other control.SensitiveMeasure
		for _, m := range d.Measures {
			if m.Kind == "dual_signature" {
				other = m
			}
		}
		res, body = qm.post(loc+"/measures/"+strconv.FormatInt(other.ID, 10), url.Values{"measure_kind": {"dual_signature"}, "measure_description": {other.Description},
			"measure_due": {"2027-03-31"}, "measure_state": {"done"}, "measure_done": {"2026-11-20"}, "version": {strconv.Itoa(other.Version)}})
		wantStatus(t, res, body, http.StatusSeeOther)
		h := d.Holders[0]
		res, body = qm.post(loc+"/holders/"+strconv.FormatInt(h.ID, 10), url.Values{"holder_until": {"2026-11-23"}, "version": {strconv.Itoa(h.Version)}})
		wantStatus(t, res, body, http.StatusSeeOther)
		res, body = qm.get(loc)
		wantStatus(t, res, body, http.StatusOK)
		if !strings.Contains(body, "A ieșit din funcție") {
			t.Error("the page does not show the person left")
		}
		// Activities: create, link... delete.
		res, body = qm.post("/control/activities", url.Values{"act_unit": {strconv.FormatInt(c.A.Unit.ID, 10)}, "act_title": {"Arhivarea documentelor"},
			"act_document": {strconv.FormatInt(c.A.Doc.ID, 10)}, "act_exempt": {"nu e cazul"}})
		wantStatus(t, res, body, http.StatusUnprocessableEntity)
		if !strings.Contains(body, "Arhivarea documentelor") || !strings.Contains(body, `id="e-act_exempt"`) {
			t.Fatal("the failed activity form lost its values or its error")
		}
		res, body = qm.post("/control/activities", url.Values{"act_unit": {strconv.FormatInt(c.A.Unit.ID, 10)}, "act_title": {"Arhivarea documentelor"},
			"act_document": {strconv.FormatInt(c.A.Doc.ID, 10)}})
		wantStatus(t, res, body, http.StatusSeeOther)
		x := c.Activity
		res, body = qm.post("/control/activities/"+strconv.FormatInt(x.ID, 10), url.Values{"act_unit": {strconv.FormatInt(x.UnitID, 10)}, "act_title": {x.Title},
			"act_exempt": {"Reglementată integral prin hotărârea consiliului local."}, "version": {strconv.Itoa(x.Version)}})
		wantStatus(t, res, body, http.StatusSeeOther)
		res, body = qm.get("/control/coverage")
		wantStatus(t, res, body, http.StatusOK)
		if !strings.Contains(body, "100 %") {
			t.Error("the coverage shares did not change to 100 %")
		}
		res, body = qm.post("/control/activities/"+strconv.FormatInt(x.ID, 10)+"/delete", url.Values{"version": {strconv.Itoa(x.Version + 1)}})
		wantStatus(t, res, body, http.StatusSeeOther)
		if _, err := c.Srv.control.Activity(context.Background(), auth.SystemActor(c.A.Inst.ID, "t"), x.ID); err == nil {
			t.Error("the activity was not deleted")
		}
	})
}

func TestControlSensRefused(t *testing.T) {
	csRun(t, func(t *testing.T, c *csFixture) {
		fn := "/control/sensitive/" + strconv.FormatInt(c.Fn.ID, 10)
		act := "/control/activities/" + strconv.FormatInt(c.Activity.ID, 10)
		for _, user := range []string{c.Emp, c.A.Username} {
			u := c.login(t, user)
			for _, path := range []string{"/control/sensitive", fn, "/control/coverage", "/control/sensitive/inventory.pdf"} {
				res, body := u.get(path)
				wantStatus(t, res, body, http.StatusForbidden)
			}
		}
		viewer := c.login(t, "alfa.viewer")
		res, body := viewer.get(fn)
		wantStatus(t, res, body, http.StatusOK)
		if strings.Contains(body, `action="`+fn+`/holders"`) {
			t.Error("the viewer is offered the holder form")
		}
		posts := map[string]url.Values{
			"/control/sensitive": {"sens_unit": {"1"}, "sens_title": {"x"}, "sens_factors": {"money"}},
			fn:                   {"sens_unit": {"1"}, "sens_title": {"x"}, "sens_factors": {"money"}, "version": {"1"}},
			fn + "/holders":      {"holder_person": {"1"}, "holder_since": {"2020-01-01"}},
			fn + "/holders/" + strconv.FormatInt(c.Holder.ID, 10): {"version": {"1"}},
			fn + "/measures": {"measure_kind": {"other"}, "measure_description": {"x"}},
			fn + "/measures/" + strconv.FormatInt(c.Measure.ID, 10): {"measure_kind": {"other"}, "version": {"1"}},
			"/control/activities": {"act_unit": {"1"}, "act_title": {"x"}},
			act:                   {"act_unit": {"1"}, "act_title": {"x"}, "version": {"1"}},
			act + "/delete":       {"version": {"1"}},
		}
		for path, form := range posts {
			res, body := viewer.post(path, form)
			wantStatus(t, res, body, http.StatusForbidden)
		}
		for _, path := range []string{"/control/sensitive/new", fn + "/edit", "/control/activities/new", act + "/edit"} {
			res, body := viewer.get(path)
			wantStatus(t, res, body, http.StatusForbidden)
		}
	})
}

func TestControlSensExports(t *testing.T) {
	csRun(t, func(t *testing.T, c *csFixture) {
		qm := c.login(t, c.QM)
		for _, path := range []string{"/control/sensitive/export.xlsx", "/control/coverage/export.xlsx"} {
			res, body := qm.get(path)
			wantStatus(t, res, body, http.StatusOK)
			x, err := excelize.OpenReader(strings.NewReader(body))
			if err != nil {
				t.Fatalf("%s: %v", path, err)
			}
			found := false
			for _, sh := range x.GetSheetList() {
				rows, _ := x.GetRows(sh)
				for _, r := range rows {
					found = found || strings.Contains(strings.Join(r, "|"), "Alfa")
				}
			}
			if !found {
				t.Errorf("%s: no row of A's", path)
			}
		}
		for _, path := range []string{"/control/sensitive/inventory.pdf", "/control/coverage.pdf"} {
			res, body := qm.get(path)
			wantStatus(t, res, body, http.StatusOK)
			if !strings.HasPrefix(body, "%PDF") || res.Header.Get("Content-Type") != "application/pdf" {
				t.Errorf("%s is not a PDF", path)
			}
		}
		res, body := qm.get("/control/sensitive/inventory.docx")
		wantStatus(t, res, body, http.StatusOK)
		zr, err := zip.NewReader(bytes.NewReader([]byte(body)), int64(len(body)))
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range zr.File {
			if f.Name != "word/document.xml" {
				continue
			}
			rc, _ := f.Open()
			doc, _ := io.ReadAll(rc)
			for _, want := range []string{"Inventarul funcțiilor sensibile", "Alfa Ștefania Țurcan", "Alfa Casier încasări", `w:orient="landscape"`} {
				if !strings.Contains(string(doc), want) {
					t.Errorf("the DOCX lacks %q", want)
				}
			}
		}
	})
}
