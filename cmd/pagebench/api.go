package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"time"

	"golang.org/x/net/html"
)

// tokenPage is the account page where a person makes personal access
// tokens; the API accepts them as "Authorization: Bearer".
const tokenPage = "/account/tokens"

// createToken makes a token for the session's user through the web form,
// as a person would: the page shows the token once, in the input f-plain.
// It expires in two days, so one left behind by a killed run goes away;
// revokeToken revokes it at the end of the run.
func (s *session) createToken(ctx context.Context) (name, revoke string, err error) {
	name = "pagebench " + time.Now().UTC().Format("2006-01-02 15:04:05.000")
	form := url.Values{"token_name": {name}, "token_expires": {time.Now().UTC().AddDate(0, 0, 2).Format(time.DateOnly)}}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.base.String()+tokenPage, strings.NewReader(form.Encode()))
	if err != nil {
		return "", "", err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	// A same-origin form post, as the browser sends it: Go's
	// CrossOriginProtection lets it through.
	req.Header.Set("Origin", s.base.String())
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	res, err := s.client.Do(req)
	if err != nil {
		return "", "", fmt.Errorf("cannot create a token: %w", err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(io.LimitReader(res.Body, maxBody))
	if err != nil {
		return "", "", fmt.Errorf("cannot create a token: %w", err)
	}
	if res.StatusCode != http.StatusOK {
		return "", "", fmt.Errorf("cannot create a token: status %d", res.StatusCode)
	}
	plain, revoke := tokenFromPage(body, name)
	if plain == "" {
		return "", "", errors.New("cannot create a token: the page does not show one (too many live tokens?)")
	}
	s.token = plain
	return name, revoke, nil
}

// tokenFromPage finds the new token's plain text and the revoke form of
// the row that names it.
func tokenFromPage(body []byte, name string) (plain, revoke string) {
	doc, err := html.Parse(bytes.NewReader(body))
	if err != nil {
		return "", ""
	}
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			if id, _ := attr(n, "id"); n.Data == "input" && id == "f-plain" {
				plain, _ = attr(n, "value")
			}
			if n.Data == "tr" && strings.Contains(text(n), name) {
				var find func(n *html.Node)
				find = func(n *html.Node) {
					if a, _ := attr(n, "action"); n.Type == html.ElementNode && n.Data == "form" && strings.HasSuffix(a, "/revoke") {
						revoke = a
					}
					for c := n.FirstChild; c != nil; c = c.NextSibling {
						find(c)
					}
				}
				find(n)
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	return plain, revoke
}

// revokeToken revokes the token made for the run through its form.
func revokeToken(ctx context.Context, s *session) error {
	if s.token == "" || s.revoke == "" {
		return nil
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.base.String()+s.revoke, nil)
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", s.base.String())
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	res, err := s.client.Do(req)
	if err != nil {
		return err
	}
	io.Copy(io.Discard, res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther {
		return fmt.Errorf("status %d", res.StatusCode)
	}
	s.token, s.revoke = "", ""
	return nil
}

var paramRE = regexp.MustCompile(`\{([^}]+)\}`)

// apiSamples makes a token, reads the OpenAPI document and returns one
// sample for each GET path, with its path parameters taken from the first
// record of the list route above it (/api/v1/risks for
// /api/v1/risks/{apirisk}): the field of the parameter's name, else id.
// skipped names the paths left out because their list is empty.
func apiSamples(ctx context.Context, s *session) (out []Sample, skipped []string, err error) {
	_, revoke, err := s.createToken(ctx)
	if err != nil {
		return nil, nil, err
	}
	s.revoke = revoke
	var doc struct {
		Paths map[string]map[string]json.RawMessage `json:"paths"`
	}
	if err := s.getJSON(ctx, "/api/v1/openapi.json", &doc); err != nil {
		return nil, nil, err
	}
	paths := make([]string, 0, len(doc.Paths))
	for p, ops := range doc.Paths {
		if _, ok := ops["get"]; ok {
			paths = append(paths, p)
		}
	}
	slices.Sort(paths)
	firsts := map[string]map[string]any{}
	var problems []string
	for _, p := range paths {
		u := p
		if i := strings.Index(p, "{"); i >= 0 {
			list := strings.TrimRight(p[:i], "/")
			first, ok := firsts[list]
			if !ok {
				var page struct {
					Data []map[string]any `json:"data"`
				}
				if err := s.getJSON(ctx, list+"?per_page=1", &page); err != nil {
					problems = append(problems, fmt.Sprintf("%s: %v", p, err))
					continue
				}
				if len(page.Data) > 0 {
					first = page.Data[0]
				}
				firsts[list] = first
			}
			if first == nil {
				skipped = append(skipped, fmt.Sprintf("GET %s as %s: %s lists no record to fill it with", p, s.user, list))
				continue
			}
			u = paramRE.ReplaceAllStringFunc(p, func(m string) string {
				v, ok := first[m[1:len(m)-1]]
				if !ok {
					v = first["id"]
				}
				return url.PathEscape(jsonText(v))
			})
		}
		pattern := "GET " + p
		if f, err := s.get(ctx, u, false); err == nil && f.Pattern != "" {
			pattern = f.Pattern
		}
		out = append(out, Sample{Pattern: pattern, Kind: KindAPI, User: s.user, URL: u})
	}
	if len(problems) > 0 {
		return out, skipped, errors.New(strings.Join(problems, "; "))
	}
	return out, skipped, nil
}

// jsonText writes a JSON scalar as it goes into a path: 12, not 12.0.
func jsonText(v any) string {
	switch x := v.(type) {
	case float64:
		if x == float64(int64(x)) {
			return fmt.Sprintf("%d", int64(x))
		}
		return fmt.Sprint(x)
	case string:
		return x
	}
	return fmt.Sprint(v)
}

// getJSON requests an API path with the token and decodes the answer.
func (s *session) getJSON(ctx context.Context, path string, v any) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, s.base.String()+path, nil)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+s.token)
	res, err := s.api.Do(req)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		io.Copy(io.Discard, res.Body)
		return fmt.Errorf("GET %s: status %d", path, res.StatusCode)
	}
	if err := json.NewDecoder(io.LimitReader(res.Body, maxBody)).Decode(v); err != nil {
		return fmt.Errorf("GET %s: %w", path, err)
	}
	return nil
}
