// Command usersim simulates many people using Cadran at once, the way a
// national deployment sees them: each simulated person signs in as the
// quality manager of one generated institution and walks through the pages
// their menus and lists link to, pausing between clicks, and now and then
// files an improvement proposal. Requests go to several `cadran serve`
// processes in turn, as a load balancer would send them; when a process
// stops answering, the person's requests move to the next one (a failover,
// counted apart from errors).
//
// It reports latency percentiles over every request and by route (from the
// server's Server-Timing header), the errors, and the writes the server
// acknowledged, which it can list in a file so that a script checks after a
// killed process that none was lost.
//
//	go run ./cmd/usersim -urls http://127.0.0.1:8081,http://127.0.0.1:8082 \
//		-institutions 3000 -c 300 -duration 10m
//
// It only targets loopback addresses.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

type config struct {
	backends     []*url.URL
	userPattern  string
	institutions int
	users        int
	password     string
	duration     time.Duration
	think        time.Duration
	ramp         time.Duration
	write        float64
	run          string // tag written into generated titles
	seed         uint64
}

func main() {
	var cfg config
	urls := flag.String("urls", "http://127.0.0.1:8080", "comma-separated base URLs of the cadran serve processes (loopback only)")
	flag.StringVar(&cfg.userPattern, "user", "calitate.g%04d", "username pattern; %d is the institution's number")
	flag.IntVar(&cfg.institutions, "institutions", 3000, "generated institutions to spread the people over")
	flag.IntVar(&cfg.users, "c", 300, "simulated people at once (at most 2000)")
	flag.StringVar(&cfg.password, "password", envOr("CADRAN_PASSWORD", "cadran-demo"), "password (default $CADRAN_PASSWORD, else the demo password)")
	flag.DurationVar(&cfg.duration, "duration", time.Minute, "how long to run")
	flag.DurationVar(&cfg.think, "think", 3*time.Second, "mean pause between a person's clicks (exponential)")
	flag.DurationVar(&cfg.ramp, "ramp", 20*time.Second, "spread the sign-ins over this long")
	flag.Float64Var(&cfg.write, "write", 0.02, "share of clicks that file an improvement proposal")
	flag.StringVar(&cfg.run, "run", time.Now().UTC().Format("150405"), "tag of this run, written into the proposals' titles")
	flag.Uint64Var(&cfg.seed, "seed", 1, "seed of the people's walks")
	out := flag.String("out", "", "also write the report to this file")
	acked := flag.String("acked", "", "write the titles of the acknowledged proposals to this file, one per line")
	flag.Parse()
	for _, s := range strings.Split(*urls, ",") {
		u, err := url.Parse(strings.TrimRight(strings.TrimSpace(s), "/"))
		if err != nil || u.Host == "" {
			fail(2, "cannot parse -urls entry %q", s)
		}
		if !isLoopback(u.Hostname()) {
			fail(2, "%s is not a loopback address: usersim only measures servers on this machine", u.Host)
		}
		cfg.backends = append(cfg.backends, u)
	}
	if cfg.users < 1 || cfg.users > 2000 || cfg.institutions < 1 {
		fail(2, "-c must be 1..2000 and -institutions at least 1")
	}
	res := simulate(cfg)
	report := res.report(cfg)
	fmt.Print(report)
	if *out != "" {
		if err := os.WriteFile(*out, []byte(report), 0o644); err != nil {
			fail(1, "%v", err)
		}
	}
	if *acked != "" {
		if err := os.WriteFile(*acked, []byte(strings.Join(res.acked, "\n")+"\n"), 0o644); err != nil {
			fail(1, "%v", err)
		}
	}
	if res.signInFailed > 0 || len(res.errors) > 0 {
		os.Exit(1)
	}
}

// result gathers what every simulated person saw.
type result struct {
	mu           sync.Mutex
	latencies    []time.Duration
	byRoute      map[string][]time.Duration
	errors       []string // "GET /x: 500"
	acked        []string // titles of proposals the server confirmed
	inDoubt      int      // writes whose process died before answering
	failovers    atomic.Int64
	signInFailed int
	took         time.Duration
}

func simulate(cfg config) *result {
	res := &result{byRoute: map[string][]time.Duration{}}
	start := time.Now()
	deadline := start.Add(cfg.duration)
	var wg sync.WaitGroup
	for i := range cfg.users {
		// People spread evenly over the institutions.
		inst := 1 + i*cfg.institutions/cfg.users
		p := &person{
			cfg: cfg, res: res, index: i, username: fmt.Sprintf(cfg.userPattern, inst),
			backend: i % len(cfg.backends), rng: rand.New(rand.NewPCG(cfg.seed, uint64(i))),
		}
		wg.Go(func() {
			time.Sleep(time.Duration(float64(cfg.ramp) * float64(i) / float64(cfg.users)))
			p.live(deadline)
		})
	}
	wg.Wait()
	res.took = time.Since(start)
	return res
}

// person is one simulated user.
type person struct {
	cfg      config
	res      *result
	index    int
	username string
	backend  int
	client   *http.Client
	rng      *rand.Rand
	menu     []string // links of the home page: the way back from anywhere
	writes   int
}

var hrefRE = regexp.MustCompile(`href="(/[^"#]*)"`)

func (p *person) live(deadline time.Time) {
	jar, _ := cookiejar.New(nil)
	p.client = &http.Client{
		Jar: jar, Timeout: 30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		Transport:     &http.Transport{MaxIdleConnsPerHost: 2},
	}
	if err := p.signIn(); err != nil {
		p.res.mu.Lock()
		p.res.signInFailed++
		p.res.errors = append(p.res.errors, fmt.Sprintf("sign-in %s: %v", p.username, err))
		p.res.mu.Unlock()
		return
	}
	page := "/"
	links := p.get(page)
	p.menu = links
	for time.Now().Before(deadline) {
		pause := time.Duration(p.rng.ExpFloat64() * float64(p.cfg.think))
		time.Sleep(min(pause, 5*p.cfg.think, time.Until(deadline)))
		if !time.Now().Before(deadline) {
			return
		}
		if p.rng.Float64() < p.cfg.write {
			p.propose()
			continue
		}
		// Mostly follow a link of the page; sometimes go back to the menu.
		next := ""
		if len(links) > 0 && p.rng.IntN(10) < 7 {
			next = pick(p.rng, links)
		} else if len(p.menu) > 0 {
			next = pick(p.rng, p.menu)
		} else {
			next = "/"
		}
		if l := p.get(next); l != nil {
			links = l
		}
	}
}

// browsable keeps the links a person would click and the simulation can
// replay without side effects: pages, not downloads or sign-out.
func browsable(href string) bool {
	path, _, _ := strings.Cut(href, "?")
	for _, skip := range []string{"/logout", "/static/", "/api/", "/public/", "/calendar/", "/files/", "/login"} {
		if strings.HasPrefix(path, skip) {
			return false
		}
	}
	for _, ext := range []string{".xlsx", ".csv", ".pdf", ".docx", ".ics", ".zip", ".json"} {
		if strings.HasSuffix(path, ext) {
			return false
		}
	}
	return !strings.Contains(path, "/download") && !strings.Contains(path, "/attachments/")
}

func (p *person) signIn() error {
	form := url.Values{"username": {p.username}, "password": {p.cfg.password}}
	res, _, err := p.do("POST", "/login", form)
	if err != nil {
		return err
	}
	if res.StatusCode != http.StatusSeeOther {
		return fmt.Errorf("sign-in answered %d", res.StatusCode)
	}
	return nil
}

// get requests a page and returns its browsable links (nil on an error).
func (p *person) get(path string) []string {
	res, body, err := p.do("GET", path, nil)
	if err != nil {
		p.fail(fmt.Sprintf("GET %s: %v", path, err))
		return nil
	}
	if res.StatusCode >= 400 {
		p.fail(fmt.Sprintf("GET %s: %d", path, res.StatusCode))
		return nil
	}
	var links []string
	seen := map[string]bool{}
	for _, m := range hrefRE.FindAllStringSubmatch(body, -1) {
		l := strings.ReplaceAll(m[1], "&amp;", "&")
		if browsable(l) && !seen[l] {
			seen[l] = true
			links = append(links, l)
		}
	}
	return links
}

// propose files an improvement proposal with a title unique to this run.
func (p *person) propose() {
	p.writes++
	title := fmt.Sprintf("Propunere simulată %s-%d-%d: reducerea timpului de așteptare la ghișeu", p.cfg.run, p.index, p.writes)
	form := url.Values{
		"title":       {title},
		"description": {"Clienții așteaptă la ghișeu în orele de vârf; propunem programarea online și un al doilea ghișeu."},
		"benefit":     {"Timp de așteptare mai mic și cetățeni mai mulțumiți."},
	}
	res, _, err := p.do("POST", "/proposals", form)
	switch {
	case errors.Is(err, errInDoubt):
		p.res.mu.Lock()
		p.res.inDoubt++
		p.res.mu.Unlock()
	case err != nil:
		p.fail(fmt.Sprintf("POST /proposals: %v", err))
	case res.StatusCode != http.StatusSeeOther:
		p.fail(fmt.Sprintf("POST /proposals: %d", res.StatusCode))
	default:
		p.res.mu.Lock()
		p.res.acked = append(p.res.acked, title)
		p.res.mu.Unlock()
	}
}

// errInDoubt is a write whose process failed before answering: it may or may
// not have been committed, so it is neither acknowledged nor an error.
var errInDoubt = errors.New("the process stopped before answering")

// do sends one request to the person's current process. When the process
// does not answer (refused, reset), the request moves to the next process:
// a GET is sent again, a write is in doubt. It records the latency of the
// answered attempt.
func (p *person) do(method, path string, form url.Values) (*http.Response, string, error) {
	var lastErr error
	for range len(p.cfg.backends) {
		base := p.cfg.backends[p.backend]
		var body io.Reader
		if form != nil {
			body = strings.NewReader(form.Encode())
		}
		req, err := http.NewRequest(method, base.String()+path, body)
		if err != nil {
			return nil, "", err
		}
		if form != nil {
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		}
		start := time.Now()
		res, err := p.client.Do(req)
		if err != nil {
			lastErr = err
			p.res.failovers.Add(1)
			p.backend = (p.backend + 1) % len(p.cfg.backends)
			if method != "GET" && path != "/login" {
				return nil, "", errInDoubt
			}
			continue
		}
		b, err := io.ReadAll(res.Body)
		res.Body.Close()
		d := time.Since(start)
		if err != nil {
			lastErr = err
			p.res.failovers.Add(1)
			p.backend = (p.backend + 1) % len(p.cfg.backends)
			continue
		}
		p.record(routeOf(res, method, path), d)
		return res, string(b), nil
	}
	return nil, "", lastErr
}

var descRE = regexp.MustCompile(`desc="([^"]*)"`)

// routeOf names the route that served a response, from Server-Timing.
func routeOf(res *http.Response, method, path string) string {
	if m := descRE.FindStringSubmatch(res.Header.Get("Server-Timing")); m != nil {
		return m[1]
	}
	return method + " " + path
}

func (p *person) record(route string, d time.Duration) {
	p.res.mu.Lock()
	p.res.latencies = append(p.res.latencies, d)
	p.res.byRoute[route] = append(p.res.byRoute[route], d)
	p.res.mu.Unlock()
}

func (p *person) fail(msg string) {
	p.res.mu.Lock()
	p.res.errors = append(p.res.errors, msg)
	p.res.mu.Unlock()
}

func (r *result) report(cfg config) string {
	var b strings.Builder
	all := slices.Clone(r.latencies)
	slices.Sort(all)
	fmt.Fprintf(&b, "usersim: %d people over %d institutions, %s, %d process(es), think %s, writes %.0f%%\n",
		cfg.users, cfg.institutions, cfg.duration, len(cfg.backends), cfg.think, cfg.write*100)
	fmt.Fprintf(&b, "requests %d in %s (%.0f/s); errors %d; failovers %d; sign-ins failed %d\n",
		len(all), r.took.Round(time.Second), float64(len(all))/r.took.Seconds(), len(r.errors), r.failovers.Load(), r.signInFailed)
	fmt.Fprintf(&b, "latency p50 %s, p95 %s, p99 %s, max %s\n", ms(pct(all, 50)), ms(pct(all, 95)), ms(pct(all, 99)), ms(pct(all, 100)))
	fmt.Fprintf(&b, "proposals acknowledged %d, in doubt (process stopped mid-request) %d\n\n", len(r.acked), r.inDoubt)
	type row struct {
		route string
		n     int
		p50   time.Duration
		p99   time.Duration
		max   time.Duration
	}
	var rows []row
	for route, ds := range r.byRoute {
		s := slices.Clone(ds)
		slices.Sort(s)
		rows = append(rows, row{route, len(s), pct(s, 50), pct(s, 99), pct(s, 100)})
	}
	sort.Slice(rows, func(i, j int) bool {
		return rows[i].p99 > rows[j].p99 || rows[i].p99 == rows[j].p99 && rows[i].route < rows[j].route
	})
	fmt.Fprintln(&b, "| route | requests | p50 ms | p99 ms | max ms |")
	fmt.Fprintln(&b, "|---|---|---|---|---|")
	for i, x := range rows {
		if i == 25 {
			fmt.Fprintf(&b, "| … %d more routes | | | | |\n", len(rows)-25)
			break
		}
		fmt.Fprintf(&b, "| `%s` | %d | %s | %s | %s |\n", x.route, x.n, ms(x.p50), ms(x.p99), ms(x.max))
	}
	if len(r.errors) > 0 {
		fmt.Fprintln(&b, "\nerrors (first 20):")
		for _, e := range r.errors[:min(20, len(r.errors))] {
			fmt.Fprintln(&b, "  "+e)
		}
	}
	return b.String()
}

// pct is the p-th percentile of sorted durations (nearest rank).
func pct(sorted []time.Duration, p int) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := (len(sorted)*p + 99) / 100
	return sorted[max(0, min(len(sorted)-1, i-1))]
}

func ms(d time.Duration) string { return fmt.Sprintf("%.1f", float64(d.Microseconds())/1000) }

func pick[T any](r *rand.Rand, s []T) T { return s[r.IntN(len(s))] }

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

func envOr(k, def string) string {
	if v := os.Getenv(k); v != "" {
		return v
	}
	return def
}

func fail(code int, format string, args ...any) {
	fmt.Fprintf(os.Stderr, "usersim: "+format+"\n", args...)
	os.Exit(code)
}
