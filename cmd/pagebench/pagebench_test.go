package main

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestExtractLinks(t *testing.T) {
	base, _ := url.Parse("http://127.0.0.1:8080")
	page := `<!doctype html><html><head>
<link rel="stylesheet" href="/static/app.1a2b.css"><script src="/static/app.js"></script></head><body>
<a href="/risks/12">risc</a>
<a href="edit">relative</a>
<a href="http://127.0.0.1:8080/units?page=2#top">absolute, same origin</a>
<a href="http://example.org/x">other site</a>
<a href="http://127.0.0.1:9999/x">other port</a>
<a href="mailto:a@b.ro">mail</a>
<a href="#main">skip link</a>
<a href="/risks/12">again</a>
<a href="/logout">logout</a>
<a>no href</a>
<form method="post" action="/risks/12/delete"><button>Șterge</button></form>
<form action="/documents/search" role="search"><input type="search" name="q" value=""><button type="submit" name="go" value="1">Caută</button></form>
<form method="GET" action="/risks?ignored=1">
  <input type="hidden" name="year" value="2026">
  <input type="text" name="owner" value="">
  <select name="state"><option value="">toate</option><option value="open" selected>deschise</option></select>
  <select name="sort"><option value="-level">nivel</option><option value="code">cod</option></select>
  <input type="checkbox" name="overdue" checked><input type="checkbox" name="mine" value="1">
  <input type="text" name="off" value="x" disabled>
  <textarea name="note">notă</textarea>
</form>
</body></html>`
	got := extractLinks(base, "/risks/12/view", []byte(page), "procedură")
	want := []string{
		"/static/app.1a2b.css",
		"/static/app.js",
		"/risks/12",
		"/risks/12/edit",
		"/units?page=2",
		"/documents/search?q=procedur%C4%83",
		"/risks?year=2026&state=open&sort=-level&overdue=on&note=not%C4%83",
	}
	if !slices.Equal(got, want) {
		t.Errorf("links:\n got %q\nwant %q", got, want)
	}
}

func TestParseServerTiming(t *testing.T) {
	for _, c := range []struct {
		header, pattern string
		ms              float64
	}{
		{`app;dur=12.34;desc="GET /risks/{id}"`, "GET /risks/{id}", 12.34},
		{`db;dur=3, app;dur=0.50;desc="GET /{$}"`, "GET /{$}", 0.5},
		{`app;desc="GET /a;b, c";dur=7`, "GET /a;b, c", 7},
		{`app;dur=1.5`, "", 1.5},
		{`cache;desc="hit"`, "", 0},
		{``, "", 0},
	} {
		p, ms := parseServerTiming(c.header)
		if p != c.pattern || ms != c.ms {
			t.Errorf("parseServerTiming(%q) = %q, %v; want %q, %v", c.header, p, ms, c.pattern, c.ms)
		}
	}
}

func TestShape(t *testing.T) {
	same := [][2]string{
		{"/risks/12?page=3", "/risks/40?page=9"},
		{"/documents/1/versions/7", "/documents/22/versions/3"},
		{"/units?sort=name&page=2", "/units?page=5&sort=-name"},
	}
	for _, c := range same {
		if shape(c[0]) != shape(c[1]) {
			t.Errorf("%s and %s have different shapes: %s, %s", c[0], c[1], shape(c[0]), shape(c[1]))
		}
	}
	differ := [][2]string{
		{"/risks/12", "/risks/12/edit"},
		{"/risks", "/risks?q=x"},
		{"/compliance/clauses/4.1", "/compliance/clauses/5.2"}, // not a plain number: different pages
		{"/risks/12", "/units/12"},
	}
	for _, c := range differ {
		if shape(c[0]) == shape(c[1]) {
			t.Errorf("%s and %s share the shape %s", c[0], c[1], shape(c[0]))
		}
	}
}

func TestPercentile(t *testing.T) {
	var ds []time.Duration
	for i := 1; i <= 100; i++ {
		ds = append(ds, time.Duration(i)*time.Millisecond)
	}
	for _, c := range []struct {
		p    float64
		want time.Duration
	}{{.5, 50 * time.Millisecond}, {.95, 95 * time.Millisecond}, {.99, 99 * time.Millisecond}, {1, 100 * time.Millisecond}, {0, time.Millisecond}} {
		if got := percentile(ds, c.p); got != c.want {
			t.Errorf("p%v of 1..100 ms = %v, want %v", c.p*100, got, c.want)
		}
	}
	// Nearest rank on few samples: the p95 of ten is the largest.
	ten := ds[:10]
	if got := percentile(ten, .95); got != 10*time.Millisecond {
		t.Errorf("p95 of 1..10 ms = %v, want 10ms", got)
	}
	if got := percentile(ten, .5); got != 5*time.Millisecond {
		t.Errorf("p50 of 1..10 ms = %v, want 5ms", got)
	}
	if got := percentile(nil, .95); got != 0 {
		t.Errorf("p95 of nothing = %v", got)
	}
}

func TestClassifyAndBudget(t *testing.T) {
	b := Budgets{Page: 50 * time.Millisecond, Search: 30 * time.Millisecond, API: 40 * time.Millisecond, Download: time.Second}
	for _, c := range []struct {
		url, pattern string
		download     bool
		kind         string
		budget       time.Duration
	}{
		{"/risks", "GET /risks", false, KindPage, 50 * time.Millisecond},
		{"/risks?q=", "GET /risks", false, KindPage, 50 * time.Millisecond},
		{"/risks?year=2026&q=procedura", "GET /risks", false, KindSearch, 30 * time.Millisecond},
		{"/documents/search", "GET /documents/search", false, KindSearch, 30 * time.Millisecond},
		{"/documents/search/export.xlsx?q=a", "GET /documents/search/export.xlsx", false, KindDownload, time.Second},
		{"/units/export.csv", "GET /units/export.csv", false, KindDownload, time.Second},
		{"/documents/3/versions/4/print.pdf", "GET /documents/{id}/versions/{vid}/print.pdf", false, KindDownload, time.Second},
		{"/calendar/abc", "GET /calendar/{file}", true, KindDownload, time.Second},
		{"/api/v1/risks?q=x", "GET /api/v1/risks", false, KindAPI, 40 * time.Millisecond},
	} {
		kind := classify(c.url, c.pattern, c.download)
		if kind != c.kind || b.For(kind) != c.budget {
			t.Errorf("%s: kind %s budget %v, want %s %v", c.url, kind, b.For(kind), c.kind, c.budget)
		}
	}
	h := http.Header{"Content-Disposition": {`attachment; filename="x.bin"`}}
	if !isDownload("/reports/x", h) || isDownload("/reports/x", http.Header{}) {
		t.Error("an attachment is a download and a page is not")
	}
}

func TestRowResult(t *testing.T) {
	ok := Row{Measured: true, N: 30, P95: 80 * time.Millisecond, Judged: 49 * time.Millisecond, Budget: 50 * time.Millisecond}
	over := ok
	over.Judged = 51 * time.Millisecond
	failed := ok
	failed.Errors = 1
	for _, c := range []struct {
		row  Row
		want string
	}{{ok, "OK"}, {over, "OVER"}, {failed, "ERROR"}, {Row{Budget: time.Second}, "NOT MEASURED"}} {
		if got := c.row.Result(); got != c.want {
			t.Errorf("%+v: %s, want %s", c.row, got, c.want)
		}
	}
	rep := &Report{Rows: []Row{ok}, Fetched: map[string]int{"a": 1}}
	if !rep.Passed() {
		t.Error("a report of one good row did not pass")
	}
	rep.Rows = append(rep.Rows, over)
	if rep.Passed() {
		t.Error("a report with a row over budget passed")
	}
	rep.Rows = []Row{ok}
	rep.CrawlErrors = []CrawlError{{URL: "/x", Status: 500}}
	if rep.Passed() {
		t.Error("a report with a crawl error passed")
	}
}

func TestLoopbackURL(t *testing.T) {
	for _, s := range []string{"http://127.0.0.1:8080", "http://localhost:1/", "http://[::1]:80/x?y"} {
		if _, err := loopbackURL(s); err != nil {
			t.Errorf("%s refused: %v", s, err)
		}
	}
	for _, s := range []string{"http://10.0.0.1:8080", "https://cadran.primaria.ro", "ftp://127.0.0.1", "127.0.0.1:8080"} {
		if _, err := loopbackURL(s); err == nil {
			t.Errorf("%s accepted", s)
		}
	}
}

func TestTokenFromPage(t *testing.T) {
	page := `<div class="card notice"><input type="text" id="f-plain" readonly value="cdr_abc123"></div>
<table><tbody>
<tr><td>export</td><td><form method="post" action="/account/tokens/3/revoke"><button>Revocă</button></form></td></tr>
<tr><td>pagebench 2026-11-24 04:00:00.000</td><td><form method="post" action="/account/tokens/4/revoke"><button>Revocă</button></form></td></tr>
</tbody></table>`
	plain, revoke := tokenFromPage([]byte(page), "pagebench 2026-11-24 04:00:00.000")
	if plain != "cdr_abc123" || revoke != "/account/tokens/4/revoke" {
		t.Errorf("token %q, revoke %q", plain, revoke)
	}
}

func TestParseRoutesAndUnreached(t *testing.T) {
	known := parseRoutes("GET /risks\nPOST /risks\nGET /risks/{id}\n\nGET /units\n")
	if !slices.Equal(known, []string{"GET /risks", "GET /risks/{id}", "GET /units"}) {
		t.Fatalf("parseRoutes: %q", known)
	}
	rep := &Report{Known: known, Rows: []Row{{Sample: Sample{Pattern: "GET /risks"}}},
		CrawlErrors: []CrawlError{{Pattern: "GET /units", Status: 500}}}
	if got := rep.Unreached(); !slices.Equal(got, []string{"GET /risks/{id}"}) {
		t.Errorf("unreached %q", got)
	}
	var b strings.Builder
	if err := rep.WriteMarkdown(&b); err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"## GET routes never reached", "- GET /risks/{id}", "status 500"} {
		if !strings.Contains(b.String(), s) {
			t.Errorf("report lacks %q:\n%s", s, b.String())
		}
	}
}
