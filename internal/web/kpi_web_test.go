package web

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"cadran/internal/auth"
	"cadran/internal/db"
	"cadran/internal/db/dbtest"
	"cadran/internal/org"
	"cadran/internal/scorecard"
)

// kpiPeople makes A's administrator a quality manager and gives A two
// users who may enter values: "alfa.owner", the employee who is A's person
// and so owns K01, and "alfa.clerk", a registry clerk who owns nothing.
func kpiPeople(t *testing.T, f *fixture) {
	t.Helper()
	ctx := context.Background()
	sys := auth.SystemActor(f.A.Inst.ID, "test")
	if _, err := f.DB.W.Exec(`INSERT INTO user_roles (tenant_id, user_id, role) VALUES ($1, $2, 'quality_manager')`, f.A.Inst.ID, f.A.Admin.ID); err != nil {
		t.Fatal(err)
	}
	o := &org.Service{DB: f.DB, Clock: f.Clock}
	clerk, err := o.CreatePerson(ctx, sys, org.PersonInput{UnitID: f.A.Unit.ID, FullName: "Alfa Registratură Ionescu", Position: org.PositionExecution, Employment: org.EmploymentCivilServant, Active: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range []auth.UserInput{
		{Username: "alfa.owner", DisplayName: "Alfa Responsabil", Password: testPassword, Roles: []auth.Role{auth.RoleEmployee}, Locale: "ro", PersonID: f.A.Person.ID},
		{Username: "alfa.clerk", DisplayName: "Alfa Registratură", Password: testPassword, Roles: []auth.Role{auth.RoleRegistryClerk}, Locale: "ro", PersonID: clerk.ID},
	} {
		if _, err := f.Srv.auth.CreateUser(ctx, sys, u); err != nil {
			t.Fatal(err)
		}
	}
}

func kpiMeasurements(t *testing.T, f *fixture, kpiID int64) map[string]scorecard.Measurement {
	t.Helper()
	ms, err := f.Srv.scorecard.Measurements(context.Background(), auth.SystemActor(f.A.Inst.ID, "test"), kpiID)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]scorecard.Measurement{}
	for _, m := range ms {
		out[m.Period] = m
	}
	return out
}

var kpiPagePath = regexp.MustCompile(`^/scorecard/kpis/(\d+)$`)

func TestKPIFormListExportAndTargets(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		s := seedKPI(t, f, f.A)
		kpiPeople(t, f)
		qm := f.login(t, f.A.Username)
		owner := strconv.FormatInt(f.A.Person.ID, 10)
		obj := strconv.FormatInt(s.Objective.ID, 10)

		res, body := qm.get("/scorecard/kpis/new")
		wantStatus(t, res, body, http.StatusOK)
		// Bad input: the summary names each field, what was typed stays,
		// nothing is saved.
		bad := url.Values{"kpi_code": {"K02"}, "kpi_name": {""}, "kpi_baseline": {"șaizeci"}, "kpi_red": {"70"}, "kpi_polarity": {"higher"},
			"kpi_method": {"linear"}, "kpi_frequency": {"quarterly"}, "kpi_owner": {owner}, "kpi_objective": {obj}, "kpi_weight": {"1"},
			"kpi_description": {"Alfa cereri în termen, scrise de mână"}, "version": {"0"}}
		res, body = qm.post("/scorecard/kpis", bad)
		wantStatus(t, res, body, http.StatusUnprocessableEntity)
		for _, want := range []string{"error-summary", `href="#f-kpi_name"`, `href="#f-kpi_baseline"`, `value="șaizeci"`, "Alfa cereri în termen, scrise de mână", `aria-invalid="true"`} {
			if !strings.Contains(body, want) {
				t.Errorf("the refused KPI form lacks %q", want)
			}
		}
		var n int
		if err := d.R.QueryRow(`SELECT COUNT(*) FROM scorecard_kpis WHERE tenant_id = $1`, f.A.Inst.ID).Scan(&n); err != nil || n != 1 {
			t.Fatalf("KPIs after the refused form = %d (%v), want 1", n, err)
		}

		good := url.Values{"kpi_code": {"K02"}, "kpi_name": {"Alfa Cereri rezolvate"}, "kpi_baseline": {"60,5"}, "kpi_red": {"70"}, "kpi_red_high": {"99"},
			"kpi_polarity": {"higher"}, "kpi_method": {"linear"}, "kpi_frequency": {"quarterly"}, "kpi_owner": {owner}, "kpi_objective": {obj},
			"kpi_weight": {"0,5"}, "kpi_measure_unit": {"%"}, "kpi_decimals": {"1"}, "kpi_source": {"entered"}, "kpi_process": {"Relații cu publicul"}, "version": {"0"}}
		res, body = qm.post("/scorecard/kpis", good)
		wantStatus(t, res, body, http.StatusSeeOther)
		m := kpiPagePath.FindStringSubmatch(res.Header.Get("Location"))
		if m == nil {
			t.Fatalf("created KPI redirects to %q", res.Header.Get("Location"))
		}
		id, _ := strconv.ParseInt(m[1], 10, 64)
		k, err := f.Srv.scorecard.KPI(context.Background(), auth.SystemActor(f.A.Inst.ID, "test"), id)
		if err != nil {
			t.Fatal(err)
		}
		if k.Baseline == nil || *k.Baseline != 60.5 || k.Weight != 0.5 || k.RedHigh != nil || k.Frequency != scorecard.Quarterly || k.Process != "Relații cu publicul" {
			t.Errorf("saved KPI = %+v", k)
		}

		// The list filters by text and frequency; the status column shows
		// K01's September value against its target.
		res, body = qm.get("/scorecard/kpis")
		wantStatus(t, res, body, http.StatusOK)
		for _, want := range []string{"Alfa Petiții soluționate în termen", "Alfa Cereri rezolvate", "/scorecard/approvals", "/imports/new?target=measurements", `aria-sort="ascending"`} {
			if !strings.Contains(body, want) {
				t.Errorf("the KPI list lacks %q", want)
			}
		}
		res, body = qm.get("/scorecard/kpis?q=cereri&frequency=quarterly")
		wantStatus(t, res, body, http.StatusOK)
		if !strings.Contains(body, "Alfa Cereri rezolvate") || strings.Contains(body, "Alfa Petiții") {
			t.Error("the filtered list shows the wrong KPIs")
		}

		res, body = qm.get("/scorecard/kpis/export.xlsx?frequency=monthly")
		wantStatus(t, res, body, http.StatusOK)
		x, err := excelize.OpenReader(bytes.NewReader([]byte(body)))
		if err != nil {
			t.Fatal(err)
		}
		rows, err := x.GetRows(x.GetSheetList()[0])
		if err != nil || len(rows) != 2 {
			t.Fatalf("export rows = %d (%v), want a header and K01", len(rows), err)
		}
		if rows[1][0] != "K01" || rows[1][1] != "Alfa Petiții soluționate în termen" {
			t.Errorf("export row = %v", rows[1])
		}

		// The KPI's page: chart, values with the arithmetic, targets form.
		kid := strconv.FormatInt(s.KPI.ID, 10)
		res, body = qm.get("/scorecard/kpis/" + kid)
		wantStatus(t, res, body, http.StatusOK)
		for _, want := range []string{`<svg`, `role="img"`, `class="tc-point status-green"`, "septembrie 2026", "96,0 %", "(96,0 − 70,0) / (95,0 − 70,0)", `name="t_value_0"`} {
			if !strings.Contains(body, want) {
				t.Errorf("the KPI page lacks %q", want)
			}
		}
		// Targets: a bad number is refused with what was typed kept; a good
		// one is saved and moves the KPI's version on.
		res, body = qm.get("/scorecard/kpis/" + kid)
		tf := url.Values{"version": {strconv.Itoa(s.KPI.Version)}, "t_count": {"1"}, "t_period_0": {"2026"}, "t_had_0": {"1"}, "t_value_0": {"nouăzeci"}, "t_period_1": {"2026-12"}, "t_value_1": {"97"}}
		res, body = qm.post("/scorecard/kpis/"+kid+"/targets", tf)
		wantStatus(t, res, body, http.StatusUnprocessableEntity)
		if !strings.Contains(body, `value="nouăzeci"`) || !strings.Contains(body, "error-summary") {
			t.Error("the refused targets form does not keep the typed value")
		}
		tf.Set("t_value_0", "96,5")
		res, body = qm.post("/scorecard/kpis/"+kid+"/targets", tf)
		wantStatus(t, res, body, http.StatusSeeOther)
		ts, err := f.Srv.scorecard.Targets(context.Background(), auth.SystemActor(f.A.Inst.ID, "test"), s.KPI.ID)
		if err != nil || len(ts) != 2 || ts[0].Period != "2026" || ts[0].Value != 96.5 || ts[1].Period != "2026-12" || ts[1].Value != 97 {
			t.Errorf("targets = %+v (%v)", ts, err)
		}
		// A stale version is refused.
		res, body = qm.post("/scorecard/kpis/"+kid+"/targets", tf)
		wantStatus(t, res, body, http.StatusConflict)

		// The viewer reads but is not offered what it may not do.
		viewer := f.login(t, f.A.Viewer.Username)
		res, body = viewer.get("/scorecard/kpis/" + kid)
		wantStatus(t, res, body, http.StatusOK)
		if strings.Contains(body, `action="/scorecard/kpis/`+kid+`/targets"`) || strings.Contains(body, "/archive") {
			t.Error("the viewer is offered the targets form or the archive button")
		}
		res, body = viewer.post("/scorecard/kpis", good)
		wantStatus(t, res, body, http.StatusForbidden)
	})
}

func TestMeasurementGridAndApprovals(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		s := seedKPI(t, f, f.A)
		kpiPeople(t, f)
		owner := f.login(t, "alfa.owner")
		kid := strconv.FormatInt(s.KPI.ID, 10)
		cell := kid + "_2026-10"
		grid := "/scorecard/measurements?frequency=monthly&year=2026"

		res, body := owner.get(grid)
		wantStatus(t, res, body, http.StatusOK)
		for _, want := range []string{`name="v_` + cell + `"`, `name="x_` + cell + `"`, `name="ver_` + kid + `_2026-09" value="` + strconv.Itoa(s.M.Version) + `"`, `value="96"`} {
			if !strings.Contains(body, want) {
				t.Errorf("the grid lacks %q", want)
			}
		}
		// A red value without an explanation: refused, the cell marked and
		// named in the summary, the typed value kept, nothing saved.
		red := url.Values{"v_" + cell: {"75,5"}, "o_" + cell: {""}, "ver_" + cell: {"0"}, "x_" + cell: {""},
			"v_" + kid + "_2026-09": {"96"}, "o_" + kid + "_2026-09": {"96"}, "ver_" + kid + "_2026-09": {strconv.Itoa(s.M.Version)}}
		res, body = owner.post(grid, red)
		wantStatus(t, res, body, http.StatusUnprocessableEntity)
		for _, want := range []string{"error-summary", `href="#v_` + cell + `"`, "K01 octombrie 2026", "scrieți pe scurt explicația", `value="75,5"`, `aria-invalid="true"`} {
			if !strings.Contains(body, want) {
				t.Errorf("the refused grid lacks %q", want)
			}
		}
		if ms := kpiMeasurements(t, f, s.KPI.ID); len(ms) != 1 {
			t.Fatalf("measurements after the refused grid = %v", ms)
		}

		// The owner's value goes in force at once and changes the card.
		ok := url.Values{"v_" + cell: {"97"}, "o_" + cell: {""}, "ver_" + cell: {"0"}, "x_" + cell: {""}}
		res, body = owner.post(grid, ok)
		wantStatus(t, res, body, http.StatusSeeOther)
		ms := kpiMeasurements(t, f, s.KPI.ID)
		if m := ms["2026-10"]; m.Value == nil || *m.Value != 97 || m.Pending != nil || m.Source != scorecard.SourceManual {
			t.Fatalf("October = %+v", m)
		}
		card, err := f.Srv.scorecard.Card(context.Background(), auth.SystemActor(f.A.Inst.ID, "test"), scorecard.CardQuery{Month: scorecard.Month(2026, 10)})
		if err != nil {
			t.Fatal(err)
		}
		var got *scorecard.KPICard
		for _, pc := range card.Perspectives {
			for _, oc := range pc.Objectives {
				for i := range oc.KPIs {
					if oc.KPIs[i].KPI.ID == s.KPI.ID {
						got = &oc.KPIs[i]
					}
				}
			}
		}
		if got == nil || got.Value == nil || *got.Value != 97 || got.Result.Status != scorecard.StatusGreen {
			t.Errorf("the October card's K01 = %+v", got)
		}

		// A non-owner's value waits for the owner's approval.
		clerk := f.login(t, "alfa.clerk")
		aug := kid + "_2026-08"
		res, body = clerk.post(grid, url.Values{"v_" + aug: {"90"}, "o_" + aug: {""}, "ver_" + aug: {"0"}, "x_" + aug: {""}})
		wantStatus(t, res, body, http.StatusSeeOther)
		m := kpiMeasurements(t, f, s.KPI.ID)["2026-08"]
		if m.Pending == nil || *m.Pending != 90 || m.Value != nil {
			t.Fatalf("August after the clerk = %+v", m)
		}
		res, body = clerk.get("/scorecard/approvals")
		wantStatus(t, res, body, http.StatusOK)
		if strings.Contains(body, "/approve") {
			t.Error("the clerk may approve their own value")
		}
		res, body = owner.get("/scorecard/approvals")
		wantStatus(t, res, body, http.StatusOK)
		if !strings.Contains(body, "/scorecard/measurements/"+strconv.FormatInt(m.ID, 10)+"/approve") || !strings.Contains(body, "Alfa Registratură") {
			t.Fatal("the owner's approvals page lacks the clerk's value")
		}
		// Rejecting needs a reason.
		res, body = owner.post("/scorecard/measurements/"+strconv.FormatInt(m.ID, 10)+"/reject", url.Values{"version": {strconv.Itoa(m.Version)}, "reason": {""}})
		wantStatus(t, res, body, http.StatusUnprocessableEntity)
		res, body = owner.post("/scorecard/measurements/"+strconv.FormatInt(m.ID, 10)+"/approve", url.Values{"version": {strconv.Itoa(m.Version)}})
		wantStatus(t, res, body, http.StatusSeeOther)
		m = kpiMeasurements(t, f, s.KPI.ID)["2026-08"]
		if m.Value == nil || *m.Value != 90 || m.Pending != nil {
			t.Errorf("August after approval = %+v", m)
		}
		// Approving again: the value was decided on.
		res, body = owner.post("/scorecard/measurements/"+strconv.FormatInt(m.ID, 10)+"/approve", url.Values{"version": {strconv.Itoa(m.Version)}})
		wantStatus(t, res, body, http.StatusConflict)

		// A browser form sent from another site is refused by the server.
		req, _ := http.NewRequest("POST", owner.base+grid, strings.NewReader(ok.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Origin", "https://rau.example")
		req.Header.Set("Sec-Fetch-Site", "cross-site")
		res, body = owner.do(req)
		wantStatus(t, res, body, http.StatusForbidden)

		// Recomputing is for managers.
		res, body = owner.post("/scorecard/refresh", nil)
		wantStatus(t, res, body, http.StatusForbidden)
		qm := f.login(t, f.A.Username)
		res, body = qm.post("/scorecard/refresh", nil)
		wantStatus(t, res, body, http.StatusSeeOther)
	})
}

// apiCall sends a JSON request with no cookies, as a program does.
func apiCall(t *testing.T, f *fixture, method, path, token, body string) (int, http.Header, map[string]any) {
	t.Helper()
	req, _ := http.NewRequest(method, f.HTTP.URL+path, strings.NewReader(body))
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	var out map[string]any
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatalf("%s %s: not JSON (%v): %s", method, path, err, b)
	}
	if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("%s %s: Content-Type %q", method, path, ct)
	}
	if len(res.Cookies()) != 0 {
		t.Errorf("%s %s: the API set a cookie", method, path)
	}
	return res.StatusCode, res.Header, out
}

var tokenRE = regexp.MustCompile(`cdr_[a-z0-9]{40,}`)

func TestMeasurementAPIAndTokens(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		s := seedKPI(t, f, f.A)
		kpiPeople(t, f)
		ctx := context.Background()
		// B's KPI, whose code A does not have.
		sysB := auth.SystemActor(f.B.Inst.ID, "test")
		kb, err := f.Srv.scorecard.CreateKPI(ctx, sysB, scorecard.KPIInput{Code: "K07", Name: "Beta Indicator", Polarity: scorecard.PolarityHigher,
			Method: scorecard.MethodLinear, Frequency: scorecard.Monthly, Weight: 1})
		if err != nil {
			t.Fatal(err)
		}

		owner := f.login(t, "alfa.owner")
		res, body := owner.get("/account/tokens")
		wantStatus(t, res, body, http.StatusOK)
		res, body = owner.post("/account/tokens", url.Values{"token_name": {""}})
		wantStatus(t, res, body, http.StatusUnprocessableEntity)
		if !strings.Contains(body, `href="#f-token_name"`) {
			t.Error("the refused token form lacks the error summary")
		}
		res, body = owner.post("/account/tokens", url.Values{"token_name": {"Export contabilitate"}, "token_expires": {"2027-12-31"}})
		wantStatus(t, res, body, http.StatusOK)
		plain := tokenRE.FindString(body)
		if plain == "" || !strings.Contains(body, "curl -X POST") {
			t.Fatal("the new token is not shown with its example")
		}
		res, body = owner.get("/account/tokens")
		wantStatus(t, res, body, http.StatusOK)
		if strings.Contains(body, plain) || !strings.Contains(body, plain[:8]+"…") || !strings.Contains(body, "Export contabilitate") {
			t.Error("the token list shows the token again, or not its prefix")
		}

		path := "/api/v1/kpis/K01/measurements"
		status, h, out := apiCall(t, f, "POST", path, "", `{"period":"2026-10","value":93.5}`)
		if status != http.StatusUnauthorized || !strings.HasPrefix(h.Get("WWW-Authenticate"), "Bearer") {
			t.Errorf("without a token: %d %v", status, out)
		}
		status, _, _ = apiCall(t, f, "POST", path, "cdr_nimic", `{"period":"2026-10","value":93.5}`)
		if status != http.StatusUnauthorized {
			t.Errorf("with a bad token: %d", status)
		}
		status, _, out = apiCall(t, f, "POST", path, plain, `{"period":"2026-10","value":93.5,"explanation":"trimis de program"}`)
		if status != http.StatusCreated || out["saved"] != 1.0 || out["pending"] != 0.0 {
			t.Fatalf("a value with a token: %d %v", status, out)
		}
		list := out["measurements"].([]any)
		if len(list) != 1 || list[0].(map[string]any)["period"] != "2026-10" || list[0].(map[string]any)["value"] != 93.5 || list[0].(map[string]any)["source"] != "api" {
			t.Errorf("saved = %v", list)
		}
		if m := kpiMeasurements(t, f, s.KPI.ID)["2026-10"]; m.Value == nil || *m.Value != 93.5 || m.EnteredBy != "Alfa Responsabil" {
			t.Errorf("October = %+v", m)
		}
		// Several values at once; a red one without an explanation stops the
		// whole batch, with the problem in the token user's language.
		status, _, out = apiCall(t, f, "POST", path, plain, `{"values":[{"period":"2026-07","value":94},{"period":"2026-08","value":75}]}`)
		if status != http.StatusUnprocessableEntity {
			t.Fatalf("a red value: %d %v", status, out)
		}
		errs := out["errors"].([]any)
		if len(errs) != 1 || errs[0].(map[string]any)["field"] != "explanation" || errs[0].(map[string]any)["index"] != 1.0 ||
			!strings.Contains(errs[0].(map[string]any)["message"].(string), "explicația") {
			t.Errorf("errors = %v", errs)
		}
		if _, ok := kpiMeasurements(t, f, s.KPI.ID)["2026-07"]; ok {
			t.Error("part of a refused batch was saved")
		}
		for name, body := range map[string]string{"malformed": `{"period":`, "unknown field": `{"period":"2026-10","value":1,"valoare":2}`,
			"two values": `{"period":"2026-10","value":1} {"period":"2026-11","value":2}`, "empty": `{}`} {
			if status, _, out := apiCall(t, f, "POST", path, plain, body); status != http.StatusBadRequest {
				t.Errorf("%s body: %d %v", name, status, out)
			}
		}
		status, _, _ = apiCall(t, f, "POST", path, plain, `{"period":"2026-10","value":94,"version":99}`)
		if status != http.StatusConflict {
			t.Errorf("a stale version: %d", status)
		}
		status, _, _ = apiCall(t, f, "POST", "/api/v1/kpis/"+kb.Code+"/measurements", plain, `{"period":"2026-10","value":1}`)
		if status != http.StatusNotFound {
			t.Errorf("B's KPI with A's token: %d", status)
		}
		status, _, _ = apiCall(t, f, "GET", "/api/v1/kpis/"+kb.Code+"/measurements", plain, "")
		if status != http.StatusNotFound {
			t.Errorf("B's KPI read with A's token: %d", status)
		}
		status, _, out = apiCall(t, f, "GET", path+"?from=2026-09&to=2026-12", plain, "")
		if status != http.StatusOK {
			t.Fatalf("list: %d %v", status, out)
		}
		got := out["measurements"].([]any)
		if len(got) != 2 || got[0].(map[string]any)["period"] != "2026-09" || got[1].(map[string]any)["status"] != "amber" {
			t.Errorf("listed = %v", got)
		}
		// A viewer's token reads but cannot send.
		vplain, _, err := f.Srv.auth.CreateToken(ctx, f.A.Viewer.Actor(), "cititor", nil)
		if err != nil {
			t.Fatal(err)
		}
		if status, _, _ := apiCall(t, f, "POST", path, vplain, `{"period":"2026-10","value":1}`); status != http.StatusForbidden {
			t.Errorf("a viewer's token sends: %d", status)
		}

		// Revoking makes the token useless at once.
		toks, err := f.Srv.auth.Tokens(ctx, auth.Actor{Tenant: f.A.Inst.ID, UserID: kpiUserID(t, f, "alfa.owner")})
		if err != nil || len(toks) != 1 {
			t.Fatalf("owner's tokens = %v (%v)", toks, err)
		}
		res, body = owner.post("/account/tokens/"+strconv.FormatInt(toks[0].ID, 10)+"/revoke", nil)
		wantStatus(t, res, body, http.StatusSeeOther)
		if status, _, _ := apiCall(t, f, "GET", path, plain, ""); status != http.StatusUnauthorized {
			t.Errorf("a revoked token: %d", status)
		}
	})
}

func kpiUserID(t *testing.T, f *fixture, username string) int64 {
	t.Helper()
	u, err := f.Srv.auth.UserByUsername(context.Background(), username)
	if err != nil {
		t.Fatal(err)
	}
	return u.ID
}
