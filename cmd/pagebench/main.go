// Command pagebench measures every page and API route of a running Cadran
// server and writes a Markdown table. It discovers the pages itself: it
// signs in as each user, crawls breadth-first from "/" following the links
// and GET forms of the pages, and groups the URLs by the route pattern the
// server names in its Server-Timing header. It then requests one sample URL
// of each route n times, for each user that reached it, and compares the
// 95th percentile with the budget of the route's kind. For the JSON API it
// creates a personal access token through the account page, reads
// /api/v1/openapi.json and measures every GET path, filling path
// parameters from the list routes. It only targets loopback addresses.
//
//	go run ./cmd/pagebench -url http://127.0.0.1:8080 -n 30 -out bench.md \
//		-routes <(cadran routes -method GET)
//
// With -json it also keeps the report for a cost-growth table: run it on
// the same institution at several sizes, then
//
//	go run ./cmd/pagebench -growth 1x=small.json,10x=medium.json,100x=large.json
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/url"
	"os"
	"strings"
	"time"
)

// defaultUsers are the demo institution's sign-ins, one per role.
const defaultUsers = "calitate,primar,economic,auditor,angajat,registratura,consilier,admin"

// Config is one run's settings, from the flags.
type Config struct {
	Base     *url.URL
	Users    []string
	Password string
	// Start are the paths the crawl starts from.
	Start []string
	// N requests per sample, sent by C workers.
	N, C int
	// Samples is how many URLs of each route (and kind) are measured.
	Samples int
	// MaxPages caps the pages fetched per user while crawling; PerShape
	// and PerPattern cap the fetches of one URL shape (a path with its
	// numbers blanked and its query keys) and of one route pattern.
	MaxPages, PerShape, PerPattern int
	// Search fills the q field of GET forms.
	Search  string
	Budgets Budgets
	// MaxTime bounds the whole run; what is left is reported unmeasured.
	MaxTime time.Duration
	// JudgeClient holds the budgets against the client's p95 instead of
	// the server's (DESIGN.md's budget is the server's time).
	JudgeClient bool
	// Log receives progress lines; nil discards them.
	Log io.Writer
}

func main() {
	target := flag.String("url", "http://127.0.0.1:8080", "the server's address (loopback only)")
	users := flag.String("users", defaultUsers, "comma-separated usernames to sign in as")
	password := flag.String("password", os.Getenv("CADRAN_PASSWORD"), "password of every user (default $CADRAN_PASSWORD, else the demo password)")
	n := flag.Int("n", 30, "sequential requests per sample (1 to 10000)")
	c := flag.Int("c", 1, "concurrent requests per sample (1 to 64)")
	samples := flag.Int("samples", 1, "sample URLs measured per route, kind and user")
	start := flag.String("start", "/,/login,/healthz,/metrics", "comma-separated paths the crawl starts from")
	maxPages := flag.Int("max-pages", 3000, "pages fetched per user while crawling")
	perShape := flag.Int("per-shape", 3, "pages fetched per URL shape while crawling (a shape is a path with its numbers blanked)")
	perPattern := flag.Int("per-pattern", 12, "pages fetched per route pattern while crawling")
	search := flag.String("search", "procedura", "text put in the q field of search and filter forms")
	page := flag.Duration("budget-page", 50*time.Millisecond, "p95 budget of a page")
	searchB := flag.Duration("budget-search", 30*time.Millisecond, "p95 budget of a search (a page with q= or a search route)")
	api := flag.Duration("budget-api", 50*time.Millisecond, "p95 budget of an API call")
	download := flag.Duration("budget-download", time.Second, "p95 budget of a download (XLSX, CSV, PDF, DOCX, calendar)")
	judge := flag.String("judge", "server", "whose p95 the budgets hold: server (its Server-Timing) or client (until the whole answer is read)")
	routesFile := flag.String("routes", "", "file with the server's GET routes (cadran routes -method GET), to list those never reached")
	out := flag.String("out", "", "write the Markdown report to this file (default standard output)")
	fail := flag.Bool("fail", false, "exit 1 when a route is over budget, answered an error or was left unmeasured")
	maxTime := flag.Duration("max-time", 20*time.Minute, "stop crawling and measuring after this long")
	quiet := flag.Bool("q", false, "no progress lines on standard error")
	jsonOut := flag.String("json", "", "also write the report as JSON to this file (for -growth)")
	growth := flag.String("growth", "", "write the cost-growth table of earlier -json reports instead of running: label=file.json pairs, smallest data first (1x=a.json,10x=b.json)")
	flag.Parse()

	if *growth != "" {
		runs, err := readGrowthRuns(*growth)
		if err != nil {
			fatal(2, err)
		}
		w := io.Writer(os.Stdout)
		if *out != "" {
			f, err := os.Create(*out)
			if err != nil {
				fatal(1, fmt.Errorf("cannot create -out: %w", err))
			}
			defer f.Close()
			w = f
		}
		if err := WriteGrowth(w, runs); err != nil {
			fatal(1, fmt.Errorf("cannot write the growth table: %w", err))
		}
		return
	}

	if *password == "" {
		*password = "cadran-demo"
	}
	base, err := loopbackURL(*target)
	if err != nil {
		fatal(2, err)
	}
	cfg := Config{
		Base: base, Users: splitList(*users), Password: *password, Start: splitList(*start),
		N: clamp(*n, 1, 10000), C: clamp(*c, 1, 64), Samples: clamp(*samples, 1, 100),
		MaxPages: max(1, *maxPages), PerShape: max(1, *perShape), PerPattern: max(1, *perPattern),
		Search: *search, MaxTime: *maxTime, Log: os.Stderr,
		Budgets: Budgets{Page: *page, Search: *searchB, API: *api, Download: *download},
	}
	if *quiet {
		cfg.Log = nil
	}
	switch *judge {
	case "server":
	case "client":
		cfg.JudgeClient = true
	default:
		fatal(2, errors.New("-judge is server or client"))
	}
	if len(cfg.Users) == 0 {
		fatal(2, errors.New("-users names no user"))
	}
	var known []string
	if *routesFile != "" {
		b, err := os.ReadFile(*routesFile)
		if err != nil {
			fatal(2, fmt.Errorf("cannot read -routes: %w", err))
		}
		known = parseRoutes(string(b))
	}

	rep, err := Run(context.Background(), cfg)
	if err != nil {
		fatal(1, err)
	}
	rep.Known = known
	w := io.Writer(os.Stdout)
	if *out != "" {
		f, err := os.Create(*out)
		if err != nil {
			fatal(1, fmt.Errorf("cannot create -out: %w", err))
		}
		defer f.Close()
		w = f
	}
	if err := rep.WriteMarkdown(w); err != nil {
		fatal(1, fmt.Errorf("cannot write the report: %w", err))
	}
	if *jsonOut != "" {
		f, err := os.Create(*jsonOut)
		if err != nil {
			fatal(1, fmt.Errorf("cannot create -json: %w", err))
		}
		if err := errors.Join(rep.WriteJSON(f), f.Close()); err != nil {
			fatal(1, fmt.Errorf("cannot write -json: %w", err))
		}
	}
	if *out != "" {
		fmt.Fprintln(os.Stderr, rep.SummaryLine())
	}
	if *fail && !rep.Passed() {
		os.Exit(1)
	}
}

func fatal(code int, err error) {
	fmt.Fprintln(os.Stderr, "pagebench:", err)
	os.Exit(code)
}

// loopbackURL parses the target and refuses one that is not on this
// machine: pagebench is a load generator, not a crawler of other sites.
func loopbackURL(s string) (*url.URL, error) {
	u, err := url.Parse(strings.TrimRight(s, "/"))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("-url %q is not an http(s) address", s)
	}
	if ip := net.ParseIP(u.Hostname()); u.Hostname() != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return nil, errors.New("refusing a target that is not on this machine (use 127.0.0.1, ::1 or localhost)")
	}
	u.Path, u.RawQuery, u.Fragment = "", "", ""
	return u, nil
}

// parseRoutes reads "METHOD PATTERN" lines and keeps the GET routes.
func parseRoutes(s string) []string {
	var out []string
	for _, line := range strings.Split(s, "\n") {
		f := strings.Fields(line)
		if len(f) == 2 && f[0] == "GET" {
			out = append(out, f[0]+" "+f[1])
		}
	}
	return out
}

func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func clamp(v, lo, hi int) int { return max(lo, min(v, hi)) }
