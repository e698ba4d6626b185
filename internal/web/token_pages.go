package web

import (
	"net/http"
	"strings"
	"time"

	"cadran/internal/apperr"
	"cadran/internal/auth"
	"cadran/internal/i18n"
	"cadran/internal/scorecard"
)

type tokenPageData struct {
	Tokens []auth.Token
	Now    time.Time
	Name   string // the form's values, kept on an error
	Expiry string
	// Plain is the token just created, shown this once.
	Plain   string
	Created auth.Token
	// Example is a curl command that sends a value with the new token.
	Example  string
	Endpoint string
	MaxTok   int
	// Base is the site's address; OpenAPI the API document's; Endpoints
	// the API's routes, described on the page; ReadExample a curl
	// command that reads through the API.
	Base        string
	OpenAPI     string
	Endpoints   []tokenEndpoint
	ReadExample string
}

// tokenEndpoint is a line of the API's description on the tokens page.
type tokenEndpoint struct {
	Method, Path, What string
}

// tokenEndpoints are the API's routes as the tokens page lists them.
var tokenEndpoints = []tokenEndpoint{
	{"GET", "/api/v1/kpis", "api.ep.kpis"},
	{"GET", "/api/v1/kpis/{code}", "api.ep.kpi"},
	{"GET", "/api/v1/kpis/{code}/measurements", "api.ep.measurements"},
	{"POST", "/api/v1/kpis/{code}/measurements", "api.ep.measure"},
	{"GET", "/api/v1/risks", "api.ep.risks"},
	{"GET", "/api/v1/risks/{apirisk}", "api.ep.risk"},
	{"GET", "/api/v1/nonconformities", "api.ep.ncs"},
	{"GET", "/api/v1/nonconformities/{apinc}", "api.ep.nc"},
	{"GET", "/api/v1/proposals", "api.ep.proposals"},
	{"GET", "/api/v1/documents", "api.ep.documents"},
	{"GET", "/api/v1/documents/{apidoc}", "api.ep.document"},
	{"GET", "/api/v1/petitions/statistics", "api.ep.petitions"},
}

func (s *Server) tokenPage(r *http.Request, d *tokenPageData) (*tokenPageData, error) {
	toks, err := s.auth.Tokens(r.Context(), actorOf(r))
	if err != nil {
		return nil, err
	}
	d.Tokens, d.Now, d.MaxTok = toks, s.clock.Now(), auth.MaxTokens
	d.Base = s.baseURL(r)
	d.Endpoint = d.Base + "/api/v1/kpis/{code}/measurements"
	d.OpenAPI = d.Base + "/api/v1/openapi.json"
	d.Endpoints = tokenEndpoints
	d.ReadExample = "curl -H 'Authorization: Bearer <token>' '" + d.Base + "/api/v1/risks?state=active&per_page=20'"
	return d, nil
}

// tokenList is the person's personal access tokens.
func (s *Server) tokenList(w http.ResponseWriter, r *http.Request) error {
	d, err := s.tokenPage(r, &tokenPageData{})
	if err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "token_list", s.page(r, "token.title", d))
}

// tokenCreate makes a token and shows it once, on this answer only: it is
// never stored in plain text nor put in the session.
func (s *Server) tokenCreate(w http.ResponseWriter, r *http.Request) error {
	a := actorOf(r)
	d := &tokenPageData{Name: r.FormValue("token_name"), Expiry: strings.TrimSpace(r.FormValue("token_expires"))}
	var expires *time.Time
	var err error
	if d.Expiry != "" {
		day, perr := time.ParseInLocation(time.DateOnly, d.Expiry, i18n.Bucharest)
		if perr != nil {
			err = apperr.Validation{"token_expires": "error.date"}
		} else {
			// The token works through the whole day chosen.
			end := day.AddDate(0, 0, 1).UTC()
			expires = &end
		}
	}
	var plain string
	var tok auth.Token
	if err == nil {
		plain, tok, err = s.auth.CreateToken(r.Context(), a, d.Name, expires)
	}
	if err != nil {
		if _, ok := apperr.AsValidation(err); !ok {
			return err
		}
		d, derr := s.tokenPage(r, d)
		if derr != nil {
			return derr
		}
		return s.formError(w, r, err, "token_list", "token.title", d)
	}
	d = &tokenPageData{Plain: plain, Created: tok}
	if d, err = s.tokenPage(r, d); err != nil {
		return err
	}
	code := "K01"
	if page, err := s.scorecard.KPIs(r.Context(), a, scorecard.KPIFilter{Kind: scorecard.KindEntered, PerPage: 1}); err == nil && len(page.Items) > 0 {
		code = page.Items[0].Code
	}
	period := scorecard.Containing(scorecard.Monthly, s.clock.Now()).Prev().Key()
	d.Example = "curl -X POST -H 'Authorization: Bearer " + plain + "' -H 'Content-Type: application/json' \\\n  -d '{\"period\":\"" + period +
		"\",\"value\":93.5}' " + s.baseURL(r) + "/api/v1/kpis/" + code + "/measurements"
	d.ReadExample = strings.Replace(d.ReadExample, "<token>", plain, 1)
	p := s.page(r, "token.title", d)
	p.Flash = p.T("token.flash.created")
	return s.render(w, http.StatusOK, "token_list", p)
}

// tokenRevoke revokes one of the person's tokens.
func (s *Server) tokenRevoke(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	if err := s.auth.RevokeToken(r.Context(), actorOf(r), id); err != nil {
		return err
	}
	s.flash(r, "token.flash.revoked")
	return redirect(w, r, "/account/tokens")
}
