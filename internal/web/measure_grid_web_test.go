package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"cadran/internal/auth"
	"cadran/internal/db"
	"cadran/internal/db/dbtest"
	"cadran/internal/scorecard"
)

// TestMeasurementGridPages checks the grid's pages: 55 KPIs are two pages
// of 50, the filters and the page survive a save (the form posts to them
// and the save returns to them), and a save touches only the KPIs of its
// page, whatever else the form carries.
func TestMeasurementGridPages(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		s := seedKPI(t, f, f.A)
		kpiPeople(t, f)
		ctx := context.Background()
		sys := auth.SystemActor(f.A.Inst.ID, "test")
		ids := map[string]int64{"K01": s.KPI.ID}
		for i := 2; i <= 55; i++ {
			code := fmt.Sprintf("K%02d", i)
			k, err := f.Srv.scorecard.CreateKPI(ctx, sys, scorecard.KPIInput{Code: code, Name: "Indicatorul " + code, Polarity: scorecard.PolarityHigher,
				Method: scorecard.MethodLinear, Frequency: scorecard.Monthly, OwnerID: f.A.Person.ID, ObjectiveID: s.Objective.ID, Weight: 1})
			if err != nil {
				t.Fatal(err)
			}
			ids[code] = k.ID
		}
		owner := f.login(t, "alfa.owner")
		cell := func(code, period string) string { return strconv.FormatInt(ids[code], 10) + "_" + period }
		obj := strconv.FormatInt(s.Objective.ID, 10)

		res, body := owner.get("/scorecard/measurements?frequency=monthly&year=2026")
		wantStatus(t, res, body, http.StatusOK)
		if !strings.Contains(body, `name="v_`+cell("K50", "2026-10")+`"`) || strings.Contains(body, `name="v_`+cell("K51", "2026-10")+`"`) {
			t.Error("the first page does not hold K01–K50")
		}
		for _, want := range []string{"Se afișează 1–50 din 55", "Pagina 1 din 2", "?frequency=monthly&amp;page=2&amp;year=2026", "doar valorile indicatorilor din pagina aceasta"} {
			if !strings.Contains(body, want) {
				t.Errorf("the first page lacks %q", want)
			}
		}

		page2 := "/scorecard/measurements?frequency=monthly&objective=" + obj + "&page=2&year=2026"
		res, body = owner.get(page2)
		wantStatus(t, res, body, http.StatusOK)
		if !strings.Contains(body, `name="v_`+cell("K52", "2026-10")+`"`) || strings.Contains(body, `name="v_`+cell("K01", "2026-10")+`"`) {
			t.Error("the second page does not hold K51–K55 only")
		}
		// The form posts to the grid's choice and page, as a query string
		// the browser sends back as it is.
		action := `action="/scorecard/measurements?frequency=monthly&amp;objective=` + obj + `&amp;page=2&amp;year=2026"`
		if !strings.Contains(body, action) {
			t.Fatalf("the second page's form lacks %s", action)
		}

		// A save of page 2 carrying a cell of page 1 records page 2's cell
		// only, and returns to page 2 of the same choice.
		form := url.Values{"v_" + cell("K52", "2026-10"): {"12"}, "o_" + cell("K52", "2026-10"): {""}, "x_" + cell("K52", "2026-10"): {""},
			"v_" + cell("K02", "2026-10"): {"13"}, "o_" + cell("K02", "2026-10"): {""}, "x_" + cell("K02", "2026-10"): {""}}
		res, body = owner.post(page2, form)
		wantStatus(t, res, body, http.StatusSeeOther)
		if loc := res.Header.Get("Location"); loc != page2 {
			t.Errorf("the save returned to %q, want %q", loc, page2)
		}
		if m := kpiMeasurements(t, f, ids["K52"])["2026-10"]; m.Value == nil || *m.Value != 12 {
			t.Errorf("K52 October = %+v", m)
		}
		if ms := kpiMeasurements(t, f, ids["K02"]); len(ms) != 0 {
			t.Errorf("a save of page 2 recorded page 1's K02: %v", ms)
		}

		// A refused save re-renders the same page, the pager kept.
		res, body = owner.post(page2, url.Values{"v_" + cell("K53", "2026-10"): {"abc"}, "o_" + cell("K53", "2026-10"): {""}})
		wantStatus(t, res, body, http.StatusUnprocessableEntity)
		if !strings.Contains(body, action) || !strings.Contains(body, "Pagina 2 din 2") || !strings.Contains(body, `value="abc"`) {
			t.Error("the refused save lost its page or what was typed")
		}

		// A page past the last is the last; another frequency starts again.
		res, body = owner.get("/scorecard/measurements?frequency=monthly&year=2026&page=9")
		wantStatus(t, res, body, http.StatusOK)
		if !strings.Contains(body, "Pagina 2 din 2") || !strings.Contains(body, `name="v_`+cell("K55", "2026-10")+`"`) {
			t.Error("a page past the last does not show the last")
		}
		res, body = owner.get("/scorecard/measurements?frequency=quarterly&year=2026&page=2")
		wantStatus(t, res, body, http.StatusOK)
		if strings.Contains(body, `class="pager"`) && !strings.Contains(body, "Pagina 1 din 1") {
			t.Error("the quarterly grid is not one page")
		}
	})
}
