package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"path"
	"slices"
	"strconv"
	"strings"
	"time"

	"golang.org/x/net/html"
)

// maxBody is how much of a page the crawler reads to find its links.
const maxBody = 16 << 20

// session is one signed-in user's HTTP client. Redirects are not followed:
// a 303 is an answer to measure, and the crawler queues its target.
type session struct {
	user   string
	base   *url.URL
	client *http.Client
	// token, once created, authenticates the API calls, which go through
	// api: a client without the session cookie, as another program's.
	// revoke is the token's revoke form.
	token, revoke string
	api           *http.Client
}

func newClient(jar http.CookieJar) *http.Client {
	return &http.Client{
		Jar:           jar,
		Timeout:       60 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		Transport:     &http.Transport{MaxIdleConnsPerHost: 64, DisableCompression: true},
	}
}

// signIn posts the sign-in form as cmd/loadgen does; the server answers a
// good sign-in with 303 See Other.
func signIn(ctx context.Context, base *url.URL, user, password string) (*session, error) {
	jar, _ := cookiejar.New(nil)
	s := &session{user: user, base: base, client: newClient(jar), api: newClient(nil)}
	form := url.Values{"username": {user}, "password": {password}}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, base.String()+"/login", strings.NewReader(form.Encode()))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	res, err := s.client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("cannot sign in as %s: %w", user, err)
	}
	io.Copy(io.Discard, res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther || strings.HasPrefix(res.Header.Get("Location"), "/login") {
		return nil, fmt.Errorf("cannot sign in as %s: status %d", user, res.StatusCode)
	}
	return s, nil
}

// fetched is one response, as the crawler and the measurements see it.
type fetched struct {
	Status   int
	Pattern  string  // "GET /risks/{id}", from Server-Timing
	ServerMS float64 // the server's own time, from Server-Timing
	Elapsed  time.Duration
	Location string // a redirect's target
	Download bool   // an attachment or a file type that is not a page
	HTML     bool
	Body     []byte // kept only when asked
}

// get requests one URL (a path with its query, on the session's server)
// and reads the whole answer; keep keeps the body of an HTML page.
func (s *session) get(ctx context.Context, rawURL string, keep bool) (fetched, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, s.base.String()+rawURL, nil)
	if err != nil {
		return fetched{}, err
	}
	client := s.client
	if s.token != "" && strings.HasPrefix(rawURL, "/api/") {
		req.Header.Set("Authorization", "Bearer "+s.token)
		client = s.api
	}
	t0 := time.Now()
	res, err := client.Do(req)
	if err != nil {
		return fetched{}, err
	}
	defer res.Body.Close()
	f := fetched{Status: res.StatusCode, Location: res.Header.Get("Location")}
	f.Pattern, f.ServerMS = parseServerTiming(res.Header.Get("Server-Timing"))
	ct, _, _ := mime.ParseMediaType(res.Header.Get("Content-Type"))
	f.HTML = ct == "text/html"
	f.Download = isDownload(rawURL, res.Header)
	if keep && f.HTML {
		f.Body, err = io.ReadAll(io.LimitReader(res.Body, maxBody))
	} else {
		_, err = io.Copy(io.Discard, res.Body)
	}
	f.Elapsed = time.Since(t0)
	return f, err
}

// parseServerTiming reads the route and the duration from the server's
// header: app;dur=12.34;desc="GET /risks/{id}". Other metrics are skipped.
func parseServerTiming(h string) (pattern string, ms float64) {
	for _, metric := range splitOutsideQuotes(h, ',') {
		parts := splitOutsideQuotes(metric, ';')
		if strings.TrimSpace(parts[0]) != "app" {
			continue
		}
		for _, part := range parts[1:] {
			k, v, _ := strings.Cut(strings.TrimSpace(part), "=")
			v = strings.TrimSpace(v)
			switch strings.TrimSpace(k) {
			case "dur":
				ms, _ = strconv.ParseFloat(v, 64)
			case "desc":
				if u, err := strconv.Unquote(v); err == nil {
					v = u
				}
				pattern = v
			}
		}
		return pattern, ms
	}
	return "", 0
}

// splitOutsideQuotes splits s at each sep that is not inside a quoted
// string.
func splitOutsideQuotes(s string, sep byte) []string {
	var out []string
	quoted, start := false, 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '\\':
			i++
		case '"':
			quoted = !quoted
		case sep:
			if !quoted {
				out = append(out, s[start:i])
				start = i + 1
			}
		}
	}
	return append(out, s[start:])
}

// downloadExts are the file types the server hands out as files.
var downloadExts = []string{".xlsx", ".csv", ".pdf", ".docx", ".ics", ".zip", ".odt", ".ods", ".xml", ".txt"}

func isDownload(rawURL string, h http.Header) bool {
	p, _, _ := strings.Cut(rawURL, "?")
	if slices.Contains(downloadExts, strings.ToLower(path.Ext(p))) {
		return true
	}
	return h != nil && strings.HasPrefix(strings.ToLower(h.Get("Content-Disposition")), "attachment")
}

// Kinds of route, each with its own budget.
const (
	KindPage     = "page"
	KindSearch   = "search"
	KindDownload = "download"
	KindAPI      = "api"
)

// classify tells a sample's kind from its URL and its route.
func classify(rawURL, pattern string, download bool) string {
	p, q, _ := strings.Cut(rawURL, "?")
	switch {
	case strings.HasPrefix(p, "/api/"):
		return KindAPI
	case download || isDownload(rawURL, nil):
		return KindDownload
	}
	if vals, err := url.ParseQuery(q); err == nil && strings.TrimSpace(vals.Get("q")) != "" {
		return KindSearch
	}
	if strings.Contains(pattern, "/search") {
		return KindSearch
	}
	return KindPage
}

// shape is a URL with its numeric path segments blanked and its query
// reduced to the sorted keys: /risks/12?page=3 and /risks/40?page=9 are
// one shape. The crawler fetches only a few URLs of each shape, which
// bounds a crawl through 200,000 petitions.
func shape(rawURL string) string {
	p, q, _ := strings.Cut(rawURL, "?")
	segs := strings.Split(p, "/")
	for i, s := range segs {
		if s != "" && strings.Trim(s, "0123456789") == "" {
			segs[i] = "#"
		}
	}
	out := strings.Join(segs, "/")
	if q != "" {
		vals, _ := url.ParseQuery(q)
		keys := make([]string, 0, len(vals))
		for k := range vals {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		out += "?" + strings.Join(keys, "&")
	}
	return out
}

// extractLinks lists the same-origin GET targets of a page, in document
// order and without repeats: the href of links (a, area, link), the src of
// scripts, and the URL a GET form submits with its default values, with
// search as the text of an empty q field. Fragments are dropped; logout,
// mailto and other schemes are skipped. Each result is a path with query.
func extractLinks(base *url.URL, pageURL string, body []byte, search string) []string {
	page, err := base.Parse(pageURL)
	if err != nil {
		return nil
	}
	doc, err := html.Parse(bytes.NewReader(body))
	if err != nil {
		return nil
	}
	var out []string
	seen := map[string]bool{}
	add := func(ref string) {
		u, err := page.Parse(strings.TrimSpace(ref))
		if err != nil || u.Scheme != base.Scheme || u.Host != base.Host {
			return
		}
		u.Fragment, u.RawFragment = "", ""
		p := u.EscapedPath()
		if p == "" {
			p = "/"
		}
		if strings.Contains(p, "logout") {
			return
		}
		if u.RawQuery != "" {
			p += "?" + u.RawQuery
		}
		if !seen[p] {
			seen[p] = true
			out = append(out, p)
		}
	}
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			switch n.Data {
			case "a", "area", "link":
				if href, ok := attr(n, "href"); ok && href != "" && !strings.HasPrefix(href, "#") {
					add(href)
				}
			case "script":
				if src, ok := attr(n, "src"); ok && src != "" {
					add(src)
				}
			case "form":
				if m, _ := attr(n, "method"); m == "" || strings.EqualFold(m, "get") {
					add(formURL(n, search))
				}
				// A POST form changes data: never submitted.
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	return out
}

// formURL is the URL a GET form submits with its default values, the way
// a browser builds it; an empty q field gets the search text and other
// empty fields are left out to keep the URL short.
func formURL(form *html.Node, search string) string {
	action, _ := attr(form, "action")
	vals := url.Values{}
	var keys []string
	set := func(name, value string) {
		if name == "" {
			return
		}
		if name == "q" && strings.TrimSpace(value) == "" {
			value = search
		}
		if value == "" {
			return
		}
		if _, ok := vals[name]; !ok {
			keys = append(keys, name)
		}
		vals.Add(name, value)
	}
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			name, _ := attr(n, "name")
			_, disabled := attr(n, "disabled")
			switch {
			case disabled:
			case n.Data == "input":
				typ, _ := attr(n, "type")
				value, _ := attr(n, "value")
				switch strings.ToLower(typ) {
				case "submit", "button", "reset", "image", "file":
				case "checkbox", "radio":
					if _, on := attr(n, "checked"); on {
						if value == "" {
							value = "on"
						}
						set(name, value)
					}
				default:
					set(name, value)
				}
			case n.Data == "select":
				set(name, selected(n))
				return
			case n.Data == "textarea":
				set(name, text(n))
				return
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(form)
	var q []string
	for _, k := range keys {
		for _, v := range vals[k] {
			q = append(q, url.QueryEscape(k)+"="+url.QueryEscape(v))
		}
	}
	action, _, _ = strings.Cut(action, "?")
	if len(q) == 0 {
		return action
	}
	return action + "?" + strings.Join(q, "&")
}

// selected is a select's submitted value: the selected option, else the
// first one.
func selected(sel *html.Node) string {
	var first *html.Node
	var found string
	var ok bool
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if ok {
			return
		}
		if n.Type == html.ElementNode && n.Data == "option" {
			if first == nil {
				first = n
			}
			if _, sel := attr(n, "selected"); sel {
				found, ok = optionValue(n), true
				return
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(sel)
	if ok {
		return found
	}
	if first != nil {
		return optionValue(first)
	}
	return ""
}

func optionValue(n *html.Node) string {
	if v, ok := attr(n, "value"); ok {
		return v
	}
	return strings.TrimSpace(text(n))
}

func attr(n *html.Node, key string) (string, bool) {
	for _, a := range n.Attr {
		if a.Namespace == "" && a.Key == key {
			return a.Val, true
		}
	}
	return "", false
}

func text(n *html.Node) string {
	var b strings.Builder
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return b.String()
}

// Sample is a URL chosen to measure a route for one user.
type Sample struct {
	Pattern string
	Kind    string
	User    string
	URL     string
}

// CrawlError is a page that answered an error while crawling.
type CrawlError struct {
	User, URL, Pattern, From string
	Status                   int
	Err                      string
}

// crawl walks the user's pages breadth-first from start and returns up to
// samples URLs per route and kind, in the order found, and the pages that
// answered an error.
func crawl(ctx context.Context, s *session, cfg Config, start []string, deadline time.Time) ([]Sample, []CrawlError, int) {
	type item struct{ url, from string }
	queue := make([]item, 0, 64)
	queued := map[string]bool{}
	if len(start) == 0 {
		start = []string{"/"}
	}
	for _, u := range start {
		queue = append(queue, item{u, ""})
		queued[u] = true
	}
	var (
		samples    []Sample
		errs       []CrawlError
		fetches    int
		byShape    = map[string]int{}
		shapePat   = map[string]string{}
		byPattern  = map[string]int{}
		sampleKeys = map[string]int{}
	)
	for len(queue) > 0 && fetches < cfg.MaxPages && time.Now().Before(deadline) && ctx.Err() == nil {
		it := queue[0]
		queue = queue[1:]
		sh := shape(it.url)
		if byShape[sh] >= cfg.PerShape {
			continue
		}
		if p, ok := shapePat[sh]; ok && byPattern[p] >= cfg.PerPattern {
			continue
		}
		f, err := s.get(ctx, it.url, true)
		fetches++
		byShape[sh]++
		if err != nil {
			errs = append(errs, CrawlError{User: s.user, URL: it.url, From: it.from, Err: err.Error()})
			continue
		}
		if f.Pattern != "" {
			shapePat[sh] = f.Pattern
			byPattern[f.Pattern]++
		}
		if f.Status >= 400 {
			errs = append(errs, CrawlError{User: s.user, URL: it.url, Pattern: f.Pattern, From: it.from, Status: f.Status})
			continue
		}
		if f.Pattern != "" && f.Pattern != "unmatched" {
			kind := classify(it.url, f.Pattern, f.Download)
			key := f.Pattern + "\x00" + kind
			if sampleKeys[key] < cfg.Samples {
				sampleKeys[key]++
				samples = append(samples, Sample{Pattern: f.Pattern, Kind: kind, User: s.user, URL: it.url})
			}
		}
		var next []string
		if f.Status >= 300 && f.Location != "" {
			next = extractLinks(s.base, it.url, fmt.Appendf(nil, `<a href="%s">`, html.EscapeString(f.Location)), cfg.Search)
		} else if f.HTML {
			next = extractLinks(s.base, it.url, f.Body, cfg.Search)
		}
		for _, u := range next {
			if !queued[u] {
				queued[u] = true
				queue = append(queue, item{u, it.url})
			}
		}
	}
	return samples, errs, fetches
}
