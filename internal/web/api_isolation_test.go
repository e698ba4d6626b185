package web

import (
	"context"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"cadran/internal/auth"
	"cadran/internal/db"
	"cadran/internal/db/dbtest"
	"cadran/internal/improvement"
	"cadran/internal/risks"
)

// The API's path parameters for the route-walking isolation test: A's
// risk, nonconformity and document ({code} is the KPI module's).
func init() {
	isolationModules = append(isolationModules, func(t *testing.T, f *fixture) isolationRecords {
		t.Helper()
		ctx := context.Background()
		sys := auth.SystemActor(f.A.Inst.ID, "test")
		r, err := f.Srv.risks.Propose(ctx, sys, risks.Input{Kind: risks.KindRisk, UnitID: f.A.Unit.ID, Description: "Alfa Risc citit prin API", InherentP: 3, InherentI: 3,
			Strategy: risks.StrategyMonitor})
		if err != nil {
			t.Fatal(err)
		}
		n, err := f.Srv.improve.Create(ctx, sys, improvement.NCInput{Title: "Alfa Neconformitate citită prin API", Source: improvement.SourceEmployee,
			Severity: improvement.SeverityObservation, UnitID: f.A.Unit.ID, Description: "Alfa descriere"})
		if err != nil {
			t.Fatal(err)
		}
		return isolationRecords{
			Params: map[string]string{"{apirisk}": strconv.FormatInt(r.ID, 10), "{apinc}": strconv.FormatInt(n.ID, 10), "{apidoc}": strconv.FormatInt(f.A.Doc.ID, 10)},
			Own: map[string]string{
				"GET /api/v1/openapi.json": "the API's description, the same for everyone; TestAPIOpenAPIServed",
			},
		}
	})
}

// TestAPITenantIsolation walks every /api/v1 route with institution B's
// token (B's administrator holding every role) against institution A's
// records: a record of A's is not found, a list holds only B's records, a
// filter on A's unit finds nothing, a value sent to A's KPI is refused,
// and no answer carries anything of A's.
func TestAPITenantIsolation(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx := context.Background()
		kpi := seedKPI(t, f, f.A)
		a := apiSeed(t, f, f.A)
		b := apiSeed(t, f, f.B)
		for _, r := range auth.Roles {
			if r != auth.RoleAdmin {
				citizenGrant(t, f, f.B.Inst.ID, f.B.Admin.ID, string(r))
			}
		}
		tok := apiToken(t, f, f.B.Admin)
		ids := map[string]string{"{code}": kpi.KPI.Code, "{apirisk}": strconv.FormatInt(a.Risk.ID, 10), "{apinc}": strconv.FormatInt(a.NC.ID, 10),
			"{apidoc}": strconv.FormatInt(f.A.Doc.ID, 10)}
		leaks := func(path string, body []byte) {
			t.Helper()
			s := string(body)
			if strings.Contains(s, f.A.Marker) || strings.Contains(s, f.A.Inst.Name) || strings.Contains(s, f.A.Unit.Name) {
				t.Errorf("GET %s shows institution A's data: %.400s", path, s)
			}
		}
		checked := 0
		for _, rt := range f.Srv.Routes() {
			method, pattern := rt[0], rt[1]
			if !strings.HasPrefix(pattern, "/api/") || pattern == "/api/v1/openapi.json" {
				continue
			}
			path := pattern
			for k, v := range ids {
				path = strings.ReplaceAll(path, k, v)
			}
			if strings.Contains(path, "{") {
				t.Errorf("%s %s: a path parameter without an id of A's", method, pattern)
				continue
			}
			checked++
			if method == "POST" {
				req, _ := http.NewRequest("POST", f.HTTP.URL+path, strings.NewReader(`{"period":"2026-10","value":1}`))
				req.Header.Set("Authorization", "Bearer "+tok)
				res, err := http.DefaultClient.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				res.Body.Close()
				if res.StatusCode != http.StatusNotFound {
					t.Errorf("POST %s: status %d, want 404", path, res.StatusCode)
				}
				continue
			}
			res, body := apiGet(t, f, tok, path)
			leaks(path, body)
			if strings.Contains(pattern, "{") {
				apiWant(t, res, body, http.StatusNotFound)
				continue
			}
			apiWant(t, res, body, http.StatusOK)
			if strings.Contains(pattern, "statistics") {
				var st apiPetitionStats
				if err := json.Unmarshal(body, &st); err != nil || st.Total.Registered != 1 {
					t.Errorf("B's statistics count %d cases, want B's one (%v)", st.Total.Registered, err)
				}
				continue
			}
			l := apiDecode[apiList[json.RawMessage]](t, body)
			if pattern != "/api/v1/kpis" && (l.Total < 1 || !strings.Contains(string(body), f.B.Marker)) {
				t.Errorf("GET %s: B's own list is empty: %s", path, body)
			}
			// A filter on A's unit finds nothing of A's.
			res, body = apiGet(t, f, tok, path+"?unit="+strconv.FormatInt(f.A.Unit.ID, 10))
			apiWant(t, res, body, http.StatusOK)
			leaks(path, body)
			if l := apiDecode[apiList[json.RawMessage]](t, body); l.Total != 0 || len(l.Data) != 0 {
				t.Errorf("GET %s?unit=<A's unit>: %s", path, body)
			}
		}
		if checked < 11 {
			t.Fatalf("only %d API routes checked", checked)
		}
		// B's own records are found with B's token, so the 404s above are
		// the tenant's doing, not a broken endpoint.
		for _, p := range []string{"/api/v1/risks/" + strconv.FormatInt(b.Risk.ID, 10), "/api/v1/nonconformities/" + strconv.FormatInt(b.NC.ID, 10),
			"/api/v1/documents/" + strconv.FormatInt(f.B.Doc.ID, 10)} {
			res, body := apiGet(t, f, tok, p)
			apiWant(t, res, body, http.StatusOK)
			leaks(p, body)
		}
		// A's token does not reach B's records either.
		atok := apiToken(t, f, f.A.Admin)
		res, body := apiGet(t, f, atok, "/api/v1/risks/"+strconv.FormatInt(b.Risk.ID, 10))
		apiWant(t, res, body, http.StatusNotFound)
		// A's KPI kept its one value.
		ms, err := f.Srv.scorecard.Measurements(ctx, auth.SystemActor(f.A.Inst.ID, "test"), kpi.KPI.ID)
		if err != nil || len(ms) != 1 || *ms[0].Value != 96 {
			t.Errorf("A's KPI values after B's requests: %+v (%v)", ms, err)
		}
	})
}
