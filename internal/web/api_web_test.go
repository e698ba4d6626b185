package web

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"

	"cadran/internal/auth"
	"cadran/internal/citizen"
	"cadran/internal/db"
	"cadran/internal/db/dbtest"
	"cadran/internal/documents"
	"cadran/internal/improvement"
	"cadran/internal/risks"
	"cadran/internal/scorecard"
)

// apiSeeded are one institution's records that the API gives.
type apiSeeded struct {
	Risk     risks.Risk
	NC       improvement.Nonconformity
	Proposal improvement.Proposal
	Case     citizen.Case
}

// apiSeed gives tn an active, reviewed risk with a measure, a nonconformity
// in analysis, a proposal and an answered petition, each named with tn's
// marker.
func apiSeed(t *testing.T, f *fixture, tn tenant) apiSeeded {
	t.Helper()
	ctx := context.Background()
	sys := auth.SystemActor(tn.Inst.ID, "test")
	var s apiSeeded
	rs := f.Srv.risks
	r, err := rs.Propose(ctx, sys, risks.Input{Kind: risks.KindRisk, UnitID: tn.Unit.ID, Description: tn.Marker + " Neîncasarea la termen a taxelor locale",
		InherentP: 4, InherentI: 5, Strategy: risks.StrategyTreat})
	if err != nil {
		t.Fatal(err)
	}
	if r, err = rs.Step(ctx, sys, r.ID, risks.StepInput{Action: risks.ActRetain, Version: r.Version}); err != nil {
		t.Fatal(err)
	}
	if _, err := rs.AddMeasure(ctx, sys, r.ID, risks.MeasureInput{Description: tn.Marker + " Reconcilierea lunară a încasărilor", OwnerID: tn.Person.ID, Deadline: "2026-12-31"}); err != nil {
		t.Fatal(err)
	}
	if s.Risk, err = rs.RecordReview(ctx, sys, r.ID, risks.ReviewInput{ResidualP: 3, ResidualI: 4, Version: r.Version}); err != nil {
		t.Fatal(err)
	}
	im := f.Srv.improve
	n, err := im.Create(ctx, sys, improvement.NCInput{Title: tn.Marker + " Termen depășit la registratură", Source: improvement.SourceComplaint,
		Severity: improvement.SeverityMinor, UnitID: tn.SubUnit.ID, Description: tn.Marker + " Răspuns trimis după 35 de zile"})
	if err != nil {
		t.Fatal(err)
	}
	if s.NC, err = im.Step(ctx, sys, n.ID, improvement.StepInput{Action: improvement.ActAccept, OwnerID: tn.Person.ID, Version: n.Version}); err != nil {
		t.Fatal(err)
	}
	if s.Proposal, err = im.Submit(ctx, sys, improvement.ProposalInput{Title: tn.Marker + " Programare online la ghișeu", Description: tn.Marker + " Mai puțină așteptare",
		UnitID: tn.Unit.ID}); err != nil {
		t.Fatal(err)
	}
	rc, err := f.Srv.citizen.Register(ctx, sys, citizen.CaseInput{Kind: citizen.KindPetition, Channel: citizen.ChannelCounter,
		Petitioner: citizen.Petitioner{Name: tn.Marker + " Petent Ionescu", Email: "petent@example.ro"}, Consent: true,
		Subject: tn.Marker + " Iluminat public pe strada Morii", Body: tn.Marker + " conținut", Topic: "utilities", UnitID: tn.SubUnit.ID, AssigneeID: tn.Person.ID})
	if err != nil {
		t.Fatal(err)
	}
	s.Case = rc.Case
	return s
}

// apiToken makes a token for user u of tn and returns it in plain text.
func apiToken(t *testing.T, f *fixture, u auth.User) string {
	t.Helper()
	a, err := f.Srv.auth.ActorByID(context.Background(), u.ID)
	if err != nil {
		t.Fatal(err)
	}
	plain, _, err := f.Srv.auth.CreateToken(context.Background(), a, "integrare", nil)
	if err != nil {
		t.Fatal(err)
	}
	return plain
}

// apiGet calls the API with a token (none when token is "") and an
// Accept-Language.
func apiGet(t *testing.T, f *fixture, token, path string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest("GET", f.HTTP.URL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	return res, body
}

func apiDecode[T any](t *testing.T, body []byte) T {
	t.Helper()
	var v T
	if err := json.Unmarshal(body, &v); err != nil {
		t.Fatalf("cannot decode %s: %v", body, err)
	}
	return v
}

func apiWant(t *testing.T, res *http.Response, body []byte, want int) {
	t.Helper()
	if res.StatusCode != want {
		t.Fatalf("GET %s: status %d, want %d\n%.600s", res.Request.URL, res.StatusCode, want, body)
	}
	if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Fatalf("GET %s: Content-Type %q", res.Request.URL, ct)
	}
}

// apiRoutePattern turns a ServeMux pattern into an OpenAPI path template
// (they are written the same way: /api/v1/risks/{apirisk}).
func apiRouteKeys(s *Server) []string {
	var out []string
	for _, rt := range s.Routes() {
		if strings.HasPrefix(rt[1], "/api/") {
			out = append(out, rt[0]+" "+rt[1])
		}
	}
	sort.Strings(out)
	return out
}

func apiLoadDoc(t *testing.T) *openapi3.T {
	t.Helper()
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(openAPIDoc)
	if err != nil {
		t.Fatalf("the OpenAPI document cannot be read: %v", err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		t.Fatalf("the OpenAPI document is not valid: %v", err)
	}
	return doc
}

// apiValidate checks a real answer against the document's operation for
// method and template; a status the document does not give fails too.
func apiValidate(t *testing.T, doc *openapi3.T, method, template string, params map[string]string, res *http.Response, body []byte) {
	t.Helper()
	item := doc.Paths.Value(template)
	if item == nil {
		t.Fatalf("%s is not in the document", template)
	}
	op := item.GetOperation(method)
	if op == nil {
		t.Fatalf("%s %s is not in the document", method, template)
	}
	in := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{Request: res.Request, PathParams: params,
			Route: &routers.Route{Spec: doc, Path: template, PathItem: item, Method: method, Operation: op}},
		Status: res.StatusCode, Header: res.Header, Options: &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true},
	}
	in.SetBodyBytes(body)
	if err := openapi3filter.ValidateResponse(context.Background(), in); err != nil {
		t.Errorf("%s %s (%d) does not match the document: %v\n%.800s", method, res.Request.URL.RequestURI(), res.StatusCode, err, body)
	}
}

// TestAPIOpenAPIRoutes checks the OpenAPI document against the real
// routes, both ways, then calls every documented GET with a token on
// seeded records and validates each real answer (and the errors) against
// the document's schemas.
func TestAPIOpenAPIRoutes(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		doc := apiLoadDoc(t)
		var documented []string
		for path, item := range doc.Paths.Map() {
			for method := range item.Operations() {
				documented = append(documented, method+" "+path)
			}
		}
		sort.Strings(documented)
		routes := apiRouteKeys(f.Srv)
		for _, r := range routes {
			if !slices.Contains(documented, r) {
				t.Errorf("route %s is not in openapi.json", r)
			}
		}
		for _, d := range documented {
			if !slices.Contains(routes, d) {
				t.Errorf("openapi.json describes %s, which is not a route", d)
			}
		}
		if len(routes) < 12 {
			t.Fatalf("only %d API routes: %v", len(routes), routes)
		}

		kpi := seedKPI(t, f, f.A)
		sd := apiSeed(t, f, f.A)
		citizenGrant(t, f, f.A.Inst.ID, f.A.Admin.ID, string(auth.RoleQualityManager))
		tok := apiToken(t, f, f.A.Admin)
		params := map[string]string{"code": kpi.KPI.Code, "apirisk": strconv.FormatInt(sd.Risk.ID, 10), "apinc": strconv.FormatInt(sd.NC.ID, 10),
			"apidoc": strconv.FormatInt(f.A.Doc.ID, 10)}
		fill := func(template string) string {
			p := template
			for k, v := range params {
				p = strings.ReplaceAll(p, "{"+k+"}", v)
			}
			return p
		}
		called := 0
		for _, key := range documented {
			method, template, _ := strings.Cut(key, " ")
			if method != "GET" {
				continue
			}
			res, body := apiGet(t, f, tok, fill(template))
			apiWant(t, res, body, http.StatusOK)
			apiValidate(t, doc, method, template, params, res, body)
			called++
			if strings.HasSuffix(template, "}") || template == "/api/v1/openapi.json" || strings.Contains(template, "statistics") || strings.HasSuffix(template, "measurements") {
				continue
			}
			// Every list of the seeded institution has a record, and the
			// document's schema has been checked against a real one.
			if l := apiDecode[apiList[json.RawMessage]](t, body); len(l.Data) == 0 || l.Total < 1 || l.Page != 1 || l.PerPage != 50 {
				t.Errorf("%s: %d records of %d, page %d of %d", template, len(l.Data), l.Total, l.Page, l.PerPage)
			}
		}
		if called < 11 {
			t.Fatalf("only %d GET operations called", called)
		}
		// A filtered list, the last page, and the errors, against the document.
		for _, c := range []struct {
			template, path string
			token          string
			status         int
		}{
			{"/api/v1/risks", "/api/v1/risks?state=active&above=1&sort=-residual&per_page=1", tok, 200},
			{"/api/v1/documents", "/api/v1/documents?page=9", tok, 200},
			{"/api/v1/nonconformities", "/api/v1/nonconformities?per_page=1000", tok, 400},
			{"/api/v1/proposals", "/api/v1/proposals", "", 401},
			{"/api/v1/risks/{apirisk}", "/api/v1/risks/99999999", tok, 404},
			{"/api/v1/kpis/{code}", "/api/v1/kpis/K99", tok, 404},
			{"/api/v1/petitions/statistics", "/api/v1/petitions/statistics?year=2031", tok, 400},
		} {
			res, body := apiGet(t, f, c.token, c.path)
			apiWant(t, res, body, c.status)
			apiValidate(t, doc, "GET", c.template, params, res, body)
		}
		// The write endpoint's answer too.
		req, _ := http.NewRequest("POST", f.HTTP.URL+"/api/v1/kpis/"+kpi.KPI.Code+"/measurements", strings.NewReader(`{"period":"2026-10","value":97}`))
		req.Header.Set("Authorization", "Bearer "+tok)
		req.Header.Set("Content-Type", "application/json")
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		apiWant(t, res, body, http.StatusCreated)
		apiValidate(t, doc, "POST", "/api/v1/kpis/{code}/measurements", params, res, body)
	})
}

// TestAPIOpenAPIServed: the document is served to anyone, as JSON, and is
// the embedded one.
func TestAPIOpenAPIServed(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		res, body := apiGet(t, f, "", "/api/v1/openapi.json")
		apiWant(t, res, body, http.StatusOK)
		if !bytes.Equal(body, openAPIDoc) {
			t.Fatal("the served document differs from the embedded one")
		}
		c := f.login(t, "alfa.admin")
		_, page := c.get("/account/tokens")
		for _, want := range []string{"/api/v1/openapi.json", "/api/v1/risks", "/api/v1/petitions/statistics", "per_page"} {
			if !strings.Contains(page, want) {
				t.Errorf("the tokens page does not describe %s", want)
			}
		}
	})
}

// TestAPIReads checks what the read endpoints give, their filters and
// pagination, and their refusals, in both languages.
func TestAPIReads(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		kpi := seedKPI(t, f, f.A)
		sd := apiSeed(t, f, f.A)
		ctx := context.Background()
		sys := auth.SystemActor(f.A.Inst.ID, "test")
		// A second and third risk, for the pages.
		for _, desc := range []string{"Alfa Pierderea datelor personale", "Alfa Întârzierea autorizațiilor de construire"} {
			r, err := f.Srv.risks.Propose(ctx, sys, risks.Input{Kind: risks.KindRisk, UnitID: f.A.SubUnit.ID, Description: desc, InherentP: 2, InherentI: 2, Strategy: risks.StrategyAccept})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := f.Srv.risks.Step(ctx, sys, r.ID, risks.StepInput{Action: risks.ActRetain, Version: r.Version}); err != nil {
				t.Fatal(err)
			}
		}
		admin := apiToken(t, f, f.A.Admin)   // Romanian
		viewer := apiToken(t, f, f.A.Viewer) // English

		t.Run("risks", func(t *testing.T) {
			res, body := apiGet(t, f, admin, "/api/v1/risks")
			apiWant(t, res, body, 200)
			l := apiDecode[apiList[apiRisk]](t, body)
			if l.Total != 3 || len(l.Data) != 3 {
				t.Fatalf("risks: %d of %d", len(l.Data), l.Total)
			}
			var got apiRisk
			for _, r := range l.Data {
				if r.ID == sd.Risk.ID {
					got = r
				}
			}
			if got.Code != sd.Risk.Code || got.Residual == nil || got.Residual.E != 12 || got.Exposure != 12 || got.Inherent.E != 20 || got.Unit == nil ||
				got.Unit.ID != f.A.Unit.ID || got.State != risks.StateActive || got.Year != 2026 || !strings.HasSuffix(got.URL, "/risks/"+strconv.FormatInt(sd.Risk.ID, 10)) {
				t.Errorf("the risk is %+v", got)
			}
			// A filter the page has: the unit's subtree, and above tolerance.
			res, body = apiGet(t, f, admin, "/api/v1/risks?unit="+strconv.FormatInt(f.A.SubUnit.ID, 10))
			apiWant(t, res, body, 200)
			if l := apiDecode[apiList[apiRisk]](t, body); l.Total != 2 {
				t.Errorf("the sub-unit's risks: %d, want 2", l.Total)
			}
			res, body = apiGet(t, f, admin, "/api/v1/risks?q=autorizatiilor")
			apiWant(t, res, body, 200)
			if l := apiDecode[apiList[apiRisk]](t, body); l.Total != 1 || !strings.Contains(l.Data[0].Description, "autorizațiilor") {
				t.Errorf("a search without diacritics: %+v", l)
			}
			// One record, with its measures.
			res, body = apiGet(t, f, viewer, "/api/v1/risks/"+strconv.FormatInt(sd.Risk.ID, 10))
			apiWant(t, res, body, 200)
			one := apiDecode[apiRisk](t, body)
			if one.ID != sd.Risk.ID || len(one.Measures) != 1 || one.Measures[0].Deadline == nil || *one.Measures[0].Deadline != "2026-12-31" {
				t.Errorf("the risk with its measures: %+v", one)
			}
		})

		t.Run("pagination", func(t *testing.T) {
			res, body := apiGet(t, f, admin, "/api/v1/risks?per_page=2&sort=code")
			apiWant(t, res, body, 200)
			p1 := apiDecode[apiList[apiRisk]](t, body)
			link := res.Header.Get("Link")
			if p1.Total != 3 || len(p1.Data) != 2 || p1.PerPage != 2 || !strings.Contains(link, `page=2&per_page=2&sort=code>; rel="next"`) ||
				strings.Contains(link, `rel="prev"`) || !strings.Contains(link, `rel="last"`) || res.Header.Get("X-Total-Count") != "3" {
				t.Fatalf("page 1: %d of %d, Link %s", len(p1.Data), p1.Total, link)
			}
			res, body = apiGet(t, f, admin, "/api/v1/risks?per_page=2&sort=code&page=2")
			apiWant(t, res, body, 200)
			p2 := apiDecode[apiList[apiRisk]](t, body)
			link = res.Header.Get("Link")
			if len(p2.Data) != 1 || p2.Page != 2 || strings.Contains(link, `rel="next"`) || !strings.Contains(link, `page=1&per_page=2&sort=code>; rel="prev"`) {
				t.Fatalf("page 2: %d, Link %s", len(p2.Data), link)
			}
			if p2.Data[0].Code <= p1.Data[1].Code {
				t.Errorf("pages overlap or are out of order: %s then %s", p1.Data[1].Code, p2.Data[0].Code)
			}
			// Past the last page: an empty page, still with the total.
			res, body = apiGet(t, f, admin, "/api/v1/risks?per_page=2&page=5")
			apiWant(t, res, body, 200)
			if p := apiDecode[apiList[apiRisk]](t, body); len(p.Data) != 0 || p.Total != 3 || !strings.HasPrefix(string(body), `{"data":[]`) {
				t.Errorf("past the end: %s", body)
			}
			// The most a page holds.
			res, body = apiGet(t, f, admin, "/api/v1/risks?per_page=100")
			apiWant(t, res, body, 200)
		})

		t.Run("bad parameters", func(t *testing.T) {
			for _, c := range []struct {
				token, path, field, ro, en string
			}{
				{admin, "/api/v1/risks?per_page=1000", "per_page", "între 1 și 100", ""},
				{viewer, "/api/v1/risks?per_page=1000", "per_page", "", "from 1 to 100"},
				{admin, "/api/v1/documents?page=abc", "page", "număr întreg", ""},
				{viewer, "/api/v1/documents?page=0", "page", "", "whole number"},
				{viewer, "/api/v1/nonconformities?state=deschis", "state", "", "must be one of: open, reported"},
				{admin, "/api/v1/proposals?unit=x", "unit", "identificator", ""},
				{viewer, "/api/v1/risks?stat=active", "stat", "", "unknown parameter"},
				{admin, "/api/v1/risks?year=20266", "year", "între 2000 și 2100", ""},
				{viewer, "/api/v1/kpis?sort=size", "sort", "", "must be one of"},
				{viewer, "/api/v1/risks?above=yes", "above", "", "1 or 0"},
				{admin, "/api/v1/risks?page=1&page=2", "page", "o singură dată", ""},
			} {
				res, body := apiGet(t, f, c.token, c.path)
				apiWant(t, res, body, http.StatusBadRequest)
				e := apiDecode[apiError](t, body)
				if len(e.Errors) == 0 || e.Errors[0].Field != c.field {
					t.Errorf("%s: %s", c.path, body)
					continue
				}
				want, lang := c.en, "Some query parameters cannot be used"
				if c.ro != "" {
					want, lang = c.ro, "Unii parametri ai cererii nu pot fi folosiți"
				}
				if !strings.Contains(e.Errors[0].Message, want) || e.Error != lang+"; "+map[bool]string{true: "nu s-a citit nimic.", false: "nothing was read."}[c.ro != ""] {
					t.Errorf("%s: %s", c.path, body)
				}
			}
		})

		t.Run("authentication", func(t *testing.T) {
			res, body := apiGet(t, f, "", "/api/v1/risks")
			apiWant(t, res, body, http.StatusUnauthorized)
			if !strings.HasPrefix(res.Header.Get("WWW-Authenticate"), "Bearer") {
				t.Errorf("no WWW-Authenticate: %v", res.Header)
			}
			res, body = apiGet(t, f, "cdr_nu-este-un-token-valid", "/api/v1/documents")
			apiWant(t, res, body, http.StatusUnauthorized)
			if e := apiDecode[apiError](t, body); e.Error == "" {
				t.Errorf("no message: %s", body)
			}
			// A revoked token is refused.
			a, _ := f.Srv.auth.ActorByID(ctx, f.A.Viewer.ID)
			plain, tk, err := f.Srv.auth.CreateToken(ctx, a, "de revocat", nil)
			if err != nil {
				t.Fatal(err)
			}
			if err := f.Srv.auth.RevokeToken(ctx, a, tk.ID); err != nil {
				t.Fatal(err)
			}
			res, body = apiGet(t, f, plain, "/api/v1/kpis")
			apiWant(t, res, body, http.StatusUnauthorized)
		})

		t.Run("permissions", func(t *testing.T) {
			// A person whose roles were all taken away keeps a token that
			// works, but every read is refused as the pages refuse it.
			noRoles := apiToken(t, f, f.A.Viewer)
			if _, err := f.DB.W.Exec(`DELETE FROM user_roles WHERE user_id = $1`, f.A.Viewer.ID); err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { citizenGrant(t, f, f.A.Inst.ID, f.A.Viewer.ID, string(auth.RoleViewer)) })
			for _, p := range []string{"/api/v1/risks", "/api/v1/risks/" + strconv.FormatInt(sd.Risk.ID, 10), "/api/v1/nonconformities", "/api/v1/proposals",
				"/api/v1/documents", "/api/v1/documents/" + strconv.FormatInt(f.A.Doc.ID, 10), "/api/v1/kpis", "/api/v1/kpis/" + kpi.KPI.Code,
				"/api/v1/petitions/statistics", "/api/v1/nonconformities/" + strconv.FormatInt(sd.NC.ID, 10)} {
				res, body := apiGet(t, f, noRoles, p)
				apiWant(t, res, body, http.StatusForbidden)
				if e := apiDecode[apiError](t, body); e.Error != "Your account does not have this right." || strings.Contains(string(body), "Alfa") {
					t.Errorf("%s: %s", p, body)
				}
			}
			// A viewer may read KPIs but not send values, as on the pages.
			citizenGrant(t, f, f.A.Inst.ID, f.A.Viewer.ID, string(auth.RoleViewer))
			req, _ := http.NewRequest("POST", f.HTTP.URL+"/api/v1/kpis/"+kpi.KPI.Code+"/measurements", strings.NewReader(`{"period":"2026-10","value":97}`))
			req.Header.Set("Authorization", "Bearer "+noRoles)
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			if res.StatusCode != http.StatusForbidden {
				t.Errorf("a viewer's value: status %d", res.StatusCode)
			}
			if _, err := f.DB.W.Exec(`DELETE FROM user_roles WHERE user_id = $1`, f.A.Viewer.ID); err != nil {
				t.Fatal(err)
			}
		})

		t.Run("not found", func(t *testing.T) {
			for _, c := range []struct{ token, path, msg string }{
				{admin, "/api/v1/risks/99999999", "Nu există o astfel de înregistrare în instituția dumneavoastră."},
				{admin, "/api/v1/nonconformities/abc", "Nu există o astfel de înregistrare în instituția dumneavoastră."},
				{admin, "/api/v1/documents/0", "Nu există o astfel de înregistrare în instituția dumneavoastră."},
				{admin, "/api/v1/kpis/K77", "Nu există un indicator cu acest cod."},
			} {
				res, body := apiGet(t, f, c.token, c.path)
				apiWant(t, res, body, http.StatusNotFound)
				if e := apiDecode[apiError](t, body); e.Error != c.msg {
					t.Errorf("%s: %s", c.path, body)
				}
			}
		})

		t.Run("registers and documents", func(t *testing.T) {
			res, body := apiGet(t, f, admin, "/api/v1/nonconformities?state=open&severity=minor")
			apiWant(t, res, body, 200)
			ncs := apiDecode[apiList[apiNonconformity]](t, body)
			if ncs.Total != 1 || ncs.Data[0].ID != sd.NC.ID || !ncs.Data[0].Open || ncs.Data[0].Unit == nil || ncs.Data[0].Unit.ID != f.A.SubUnit.ID || ncs.Data[0].Correction != nil {
				t.Errorf("nonconformities: %s", body)
			}
			res, body = apiGet(t, f, admin, "/api/v1/nonconformities?state=closed")
			apiWant(t, res, body, 200)
			if l := apiDecode[apiList[apiNonconformity]](t, body); l.Total != 0 {
				t.Errorf("closed nonconformities: %s", body)
			}
			res, body = apiGet(t, f, admin, "/api/v1/nonconformities/"+strconv.FormatInt(sd.NC.ID, 10))
			apiWant(t, res, body, 200)
			if n := apiDecode[apiNonconformity](t, body); n.Code != sd.NC.Code || n.Correction == nil || n.State != sd.NC.State {
				t.Errorf("the nonconformity: %s", body)
			}
			res, body = apiGet(t, f, admin, "/api/v1/proposals?state=open")
			apiWant(t, res, body, 200)
			if l := apiDecode[apiList[apiProposal]](t, body); l.Total != 1 || l.Data[0].Code != sd.Proposal.Code || l.Data[0].SubmittedOn == nil {
				t.Errorf("proposals: %s", body)
			}
			res, body = apiGet(t, f, viewer, "/api/v1/documents?kind=operational_procedure")
			apiWant(t, res, body, 200)
			docs := apiDecode[apiList[apiDocument]](t, body)
			if docs.Total != 1 || docs.Data[0].ID != f.A.Doc.ID || docs.Data[0].EditionLabel != "I" || docs.Data[0].State != "in_force" {
				t.Errorf("documents: %s", body)
			}
			if strings.Contains(string(body), "content") || strings.Contains(string(body), "file") {
				t.Errorf("the document's metadata carries content: %s", body)
			}
			res, body = apiGet(t, f, viewer, "/api/v1/documents?kind=form")
			apiWant(t, res, body, 200)
			if l := apiDecode[apiList[apiDocument]](t, body); l.Total != 0 {
				t.Errorf("forms: %s", body)
			}
		})

		t.Run("kpis", func(t *testing.T) {
			res, body := apiGet(t, f, viewer, "/api/v1/kpis")
			apiWant(t, res, body, 200)
			l := apiDecode[apiList[apiKPI]](t, body)
			if l.Total != 1 || l.Data[0].Code != "K01" || l.Data[0].Kind != "entered" || l.Data[0].Latest == nil {
				t.Fatalf("KPIs: %s", body)
			}
			res, body = apiGet(t, f, viewer, "/api/v1/kpis/k01")
			apiWant(t, res, body, 200)
			k := apiDecode[apiKPI](t, body)
			if k.ID != kpi.KPI.ID || len(k.Targets) != 1 || k.Targets[0].Target != 95 || k.Targets[0].Period != "2026" {
				t.Errorf("the KPI: %s", body)
			}
		})

		t.Run("petitions statistics", func(t *testing.T) {
			res, body := apiGet(t, f, viewer, "/api/v1/petitions/statistics?year=2026")
			apiWant(t, res, body, 200)
			st := apiDecode[apiPetitionStats](t, body)
			if st.Year != 2026 || st.From != "2026-01-01" || st.To != "2026-11-23" || st.Total.Registered != 1 || len(st.ByMonth) != 11 ||
				st.ByMonth[10].Month != "2026-11" || st.ByMonth[10].Registered != 1 || st.ByMonth[0].Registered != 0 {
				t.Errorf("statistics: %s", body)
			}
			var petitions int
			for _, k := range st.ByKind {
				if k.Kind == citizen.KindPetition {
					petitions = k.Registered
				}
			}
			if petitions != 1 {
				t.Errorf("petitions by kind: %s", body)
			}
			// By state: the viewer's person answers the case, so sees it in
			// the registry; the administrator, with no case of theirs and no
			// right to the whole registry, counts none.
			stateSum := func(st apiPetitionStats) (all, assigned int) {
				for _, s := range st.ByState {
					all += s.Count
					if s.State == citizen.StateAssigned {
						assigned = s.Count
					}
				}
				return all, assigned
			}
			if all, assigned := stateSum(st); len(st.ByState) != len(citizen.States) || all != 1 || assigned != 1 {
				t.Errorf("the viewer's cases by state: %+v", st.ByState)
			}
			res, body = apiGet(t, f, admin, "/api/v1/petitions/statistics")
			apiWant(t, res, body, 200)
			if st := apiDecode[apiPetitionStats](t, body); st.Total.Registered != 1 {
				t.Errorf("the administrator's statistics: %s", body)
			} else if all, _ := stateSum(st); all != 0 {
				t.Errorf("the administrator sees %d cases of the registry by state", all)
			}
			// The quality manager reads the whole registry.
			citizenGrant(t, f, f.A.Inst.ID, f.A.Admin.ID, string(auth.RoleQualityManager))
			res, body = apiGet(t, f, admin, "/api/v1/petitions/statistics")
			apiWant(t, res, body, 200)
			if all, assigned := stateSum(apiDecode[apiPetitionStats](t, body)); all != 1 || assigned != 1 {
				t.Errorf("the quality manager's cases by state: %s", body)
			}
			if _, err := f.DB.W.Exec(`DELETE FROM user_roles WHERE user_id = $1 AND role = 'quality_manager'`, f.A.Admin.ID); err != nil {
				t.Fatal(err)
			}
			if strings.Contains(string(body), "Petent") || strings.Contains(string(body), "petent@") || strings.Contains(string(body), "Morii") {
				t.Errorf("the statistics carry personal data: %s", body)
			}
			res, body = apiGet(t, f, admin, "/api/v1/petitions/statistics?year=2030")
			apiWant(t, res, body, 400)
			res, body = apiGet(t, f, admin, "/api/v1/petitions/statistics?year=2025")
			apiWant(t, res, body, 200)
			if st := apiDecode[apiPetitionStats](t, body); st.Total.Registered != 0 || len(st.ByMonth) != 12 || st.To != "2025-12-31" {
				t.Errorf("2025: %s", body)
			}
		})

		t.Run("session", func(t *testing.T) {
			// A signed-in browser reads the API with its session.
			c := f.login(t, "alfa.viewer")
			res, body := c.get("/api/v1/risks?per_page=1")
			wantStatus(t, res, body, 200)
			if l := apiDecode[apiList[apiRisk]](t, []byte(body)); l.Total != 3 || len(l.Data) != 1 {
				t.Errorf("with a session: %s", body)
			}
		})
	})
}

// TestAPIOpenAPIEnums: the values the document lists for a field are the
// ones the domain knows, so a new state or kind cannot be left out of it.
func TestAPIOpenAPIEnums(t *testing.T) {
	doc := apiLoadDoc(t)
	enum := func(schema, prop string) []string {
		s := doc.Components.Schemas[schema]
		if s == nil || s.Value.Properties[prop] == nil {
			t.Fatalf("%s.%s is not in the document", schema, prop)
		}
		var out []string
		for _, v := range s.Value.Properties[prop].Value.Enum {
			out = append(out, v.(string))
		}
		return out
	}
	for _, c := range []struct {
		schema, prop string
		want         []string
	}{
		{"Risk", "kind", risks.Kinds}, {"Risk", "state", risks.States}, {"Risk", "level", risks.Levels},
		{"Nonconformity", "state", improvement.States}, {"Nonconformity", "source", improvement.Sources}, {"Nonconformity", "severity", improvement.Severities},
		{"Proposal", "state", improvement.PropStates},
		{"Document", "kind", documents.Kinds}, {"Document", "state", documents.States},
		{"KPI", "frequency", scorecard.Frequencies}, {"KPI", "polarity", scorecard.Polarities}, {"KPI", "method", scorecard.Methods},
		{"StateCount", "state", citizen.States},
	} {
		if got := enum(c.schema, c.prop); !slices.Equal(got, c.want) {
			t.Errorf("%s.%s lists %v, the domain %v", c.schema, c.prop, got, c.want)
		}
	}
}
