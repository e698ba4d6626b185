package main

import (
	"context"
	"fmt"
	"io"
	"math"
	"slices"
	"sort"
	"sync"
	"time"
)

// Budgets are the p95 limits of each kind of route.
type Budgets struct {
	Page, Search, API, Download time.Duration
}

// For is the budget of a kind.
func (b Budgets) For(kind string) time.Duration {
	switch kind {
	case KindSearch:
		return b.Search
	case KindAPI:
		return b.API
	case KindDownload:
		return b.Download
	}
	return b.Page
}

// Row is one measured sample: a route, for one user.
type Row struct {
	Sample
	N                  int // requests answered without error
	P50, P95, P99, Max time.Duration
	ServerP95          time.Duration
	Budget             time.Duration
	Statuses           map[int]int
	Errors             int    // requests with a status of 400 or more, or no answer
	FirstErr           string // the first such failure
	Measured           bool   // false when the run ran out of time first
	// Judged is the p95 held against the budget: the server's, or the
	// client's with -judge client.
	Judged time.Duration
}

// Over is true when the row's judged p95 is over its budget.
func (r Row) Over() bool { return r.Measured && r.N > 0 && r.Judged > r.Budget }

// Result is the row's verdict.
func (r Row) Result() string {
	switch {
	case !r.Measured:
		return "NOT MEASURED"
	case r.Errors > 0:
		return "ERROR"
	case r.Over():
		return "OVER"
	}
	return "OK"
}

// percentile is the nearest-rank percentile of sorted durations: the
// smallest value that at least p of them do not exceed.
func percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := int(math.Ceil(p*float64(len(sorted)))) - 1
	return sorted[clamp(i, 0, len(sorted)-1)]
}

// measure requests the sample n times with c workers sharing the user's
// session, after one uncounted request, and summarises the answers.
func measure(ctx context.Context, s *session, smp Sample, n, c int, budget time.Duration, judgeClient bool) Row {
	row := Row{Sample: smp, Budget: budget, Statuses: map[int]int{}, Measured: true}
	var (
		mu           sync.Mutex
		client, serv []time.Duration
		jobs         = make(chan struct{}, n)
		wg           sync.WaitGroup
	)
	for range n {
		jobs <- struct{}{}
	}
	close(jobs)
	// One request first, not counted: it opens the connection and warms
	// the server's caches for the page, as a person's second visit finds
	// them.
	s.get(ctx, smp.URL, false)
	for range min(c, n) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range jobs {
				f, err := s.get(ctx, smp.URL, false)
				mu.Lock()
				switch {
				case err != nil:
					row.Errors++
					if row.FirstErr == "" {
						row.FirstErr = err.Error()
					}
				default:
					row.Statuses[f.Status]++
					if f.Status >= 400 {
						row.Errors++
						if row.FirstErr == "" {
							row.FirstErr = fmt.Sprintf("status %d", f.Status)
						}
					} else {
						client = append(client, f.Elapsed)
						serv = append(serv, time.Duration(f.ServerMS*float64(time.Millisecond)))
					}
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	slices.Sort(client)
	slices.Sort(serv)
	row.N = len(client)
	row.P50, row.P95, row.P99 = percentile(client, .50), percentile(client, .95), percentile(client, .99)
	row.Max = percentile(client, 1)
	row.ServerP95 = percentile(serv, .95)
	row.Judged = row.ServerP95
	if judgeClient {
		row.Judged = row.P95
	}
	return row
}

// Report is a run's outcome.
type Report struct {
	Target  string
	Users   []string
	N, C    int
	Budgets Budgets
	Started time.Time
	Took    time.Duration
	Rows    []Row
	// JudgeClient: the budgets were held against the client's p95.
	JudgeClient bool
	// CrawlErrors are pages that answered an error while crawling;
	// Problems are failures that are not a page (a sign-in, a token).
	CrawlErrors []CrawlError
	Problems    []string
	// Skipped are API routes left out for want of a record to show.
	Skipped []string
	// Fetched counts the pages fetched while crawling, per user.
	Fetched map[string]int
	// TimedOut is set when -max-time ended the run early.
	TimedOut bool
	// Known are the server's GET routes, when given, to list those never
	// reached.
	Known []string
}

// sortRows orders the table by route, kind, then user in the order given.
func sortRows(rows []Row, users []string) {
	rank := map[string]int{}
	for i, u := range users {
		rank[u] = i
	}
	sort.SliceStable(rows, func(i, j int) bool {
		a, b := rows[i], rows[j]
		if a.Pattern != b.Pattern {
			return a.Pattern < b.Pattern
		}
		if a.Kind != b.Kind {
			return a.Kind < b.Kind
		}
		return rank[a.User] < rank[b.User]
	})
}

// Run signs in as each user, crawls, measures the pages and the API and
// returns the report. Failures of one user (a wrong password) are reported,
// not returned; an error means nothing could be measured.
func Run(ctx context.Context, cfg Config) (*Report, error) {
	logf := func(format string, args ...any) {
		if cfg.Log != nil {
			fmt.Fprintf(cfg.Log, "pagebench: "+format+"\n", args...)
		}
	}
	rep := &Report{Target: cfg.Base.String(), Users: cfg.Users, N: cfg.N, C: cfg.C, Budgets: cfg.Budgets, JudgeClient: cfg.JudgeClient,
		Started: time.Now(), Fetched: map[string]int{}}
	deadline := rep.Started.Add(cfg.MaxTime)
	defer func() { rep.Took = time.Since(rep.Started) }()

	type userRun struct {
		s       *session
		samples []Sample
	}
	var runs []userRun
	for _, user := range cfg.Users {
		s, err := signIn(ctx, cfg.Base, user, cfg.Password)
		if err != nil {
			rep.Problems = append(rep.Problems, err.Error())
			logf("%v", err)
			continue
		}
		t0 := time.Now()
		samples, errs, fetched := crawl(ctx, s, cfg, cfg.Start, deadline)
		rep.CrawlErrors = append(rep.CrawlErrors, errs...)
		rep.Fetched[user] = fetched
		logf("%s: crawled %d pages in %s, %d routes to measure, %d errors", user, fetched, time.Since(t0).Round(time.Millisecond), len(samples), len(errs))
		apiSamples, skipped, err := apiSamples(ctx, s)
		rep.Skipped = append(rep.Skipped, skipped...)
		if err != nil {
			rep.Problems = append(rep.Problems, fmt.Sprintf("API as %s: %v", user, err))
			logf("API as %s: %v", user, err)
		}
		runs = append(runs, userRun{s, append(samples, apiSamples...)})
	}
	if len(runs) == 0 {
		return nil, fmt.Errorf("no user could sign in at %s: %v", cfg.Base, rep.Problems)
	}

	for _, ur := range runs {
		t0 := time.Now()
		for _, smp := range ur.samples {
			budget := cfg.Budgets.For(smp.Kind)
			if time.Now().After(deadline) || ctx.Err() != nil {
				rep.TimedOut = true
				rep.Rows = append(rep.Rows, Row{Sample: smp, Budget: budget})
				continue
			}
			rep.Rows = append(rep.Rows, measure(ctx, ur.s, smp, cfg.N, cfg.C, budget, cfg.JudgeClient))
		}
		logf("%s: measured %d samples in %s", ur.s.user, len(ur.samples), time.Since(t0).Round(time.Millisecond))
		if err := revokeToken(ctx, ur.s); err != nil {
			rep.Problems = append(rep.Problems, fmt.Sprintf("cannot revoke the token of %s: %v", ur.s.user, err))
		}
	}
	if time.Now().After(deadline) {
		rep.TimedOut = true
	}
	sortRows(rep.Rows, cfg.Users)
	return rep, nil
}

// Counts summarises the rows.
func (r *Report) Counts() (routes, rows, over, errored, unmeasured int) {
	seen := map[string]bool{}
	for _, row := range r.Rows {
		if row.Measured && !seen[row.Pattern] {
			seen[row.Pattern] = true
			routes++
		}
		if row.Measured {
			rows++
		}
		switch row.Result() {
		case "OVER":
			over++
		case "ERROR":
			errored++
		case "NOT MEASURED":
			unmeasured++
		}
	}
	return
}

// Unreached are the known GET routes no crawl or API call reached.
func (r *Report) Unreached() []string {
	reached := map[string]bool{}
	for _, row := range r.Rows {
		reached[row.Pattern] = true
	}
	for _, e := range r.CrawlErrors {
		reached[e.Pattern] = true
	}
	var out []string
	for _, k := range r.Known {
		if !reached[k] {
			out = append(out, k)
		}
	}
	return out
}

// Passed is true when every route was measured, within budget and without
// errors.
func (r *Report) Passed() bool {
	_, _, over, errored, unmeasured := r.Counts()
	return over == 0 && errored == 0 && unmeasured == 0 && len(r.CrawlErrors) == 0 && len(r.Problems) == 0 && !r.TimedOut
}

// SummaryLine is the report in one line.
func (r *Report) SummaryLine() string {
	routes, rows, over, errored, unmeasured := r.Counts()
	s := fmt.Sprintf("pagebench: %d routes measured (%d samples), %d over budget, %d with errors, %d crawl errors",
		routes, rows, over, errored, len(r.CrawlErrors))
	if unmeasured > 0 {
		s += fmt.Sprintf(", %d not measured (out of time)", unmeasured)
	}
	if r.Known != nil {
		s += fmt.Sprintf(", %d of %d GET routes never reached", len(r.Unreached()), len(r.Known))
	}
	return s
}

// ms writes a duration in milliseconds with two decimals.
func ms(d time.Duration) string {
	return fmt.Sprintf("%.2f", float64(d.Microseconds())/1000)
}

func budgetText(d time.Duration) string {
	if d >= time.Second {
		return fmt.Sprintf("%g s", d.Seconds())
	}
	return fmt.Sprintf("%g ms", float64(d.Microseconds())/1000)
}

// WriteMarkdown writes the table and the summary.
func (r *Report) WriteMarkdown(w io.Writer) error {
	routes, rows, over, errored, unmeasured := r.Counts()
	var b []byte
	p := func(format string, args ...any) { b = fmt.Appendf(b, format, args...) }
	p("# Page benchmark\n\n")
	p("Target %s, %s, users %s; %d requests per sample, %d at a time; took %s.\n",
		r.Target, r.Started.UTC().Format(time.RFC3339), joinComma(r.Users), r.N, r.C, r.Took.Round(time.Second))
	judged := "the server's p95 (its own time until the answer starts, from its Server-Timing header)"
	if r.JudgeClient {
		judged = "the client's p95 (the time until the whole answer is read)"
	}
	p("Budgets on %s: page %s, search %s, API %s, download %s. ", judged,
		budgetText(r.Budgets.Page), budgetText(r.Budgets.Search), budgetText(r.Budgets.API), budgetText(r.Budgets.Download))
	p("Times in milliseconds; p50 to max are the client's.\n\n")

	p("## Summary\n\n")
	p("- routes measured: %d (%d samples over %d users)\n", routes, rows, len(r.Fetched))
	p("- over budget: %d\n", over)
	p("- with errors: %d samples, %d pages while crawling, %d other problems\n", errored, len(r.CrawlErrors), len(r.Problems))
	if unmeasured > 0 || r.TimedOut {
		p("- not measured: %d samples (the run reached -max-time)\n", unmeasured)
	}
	if len(r.Skipped) > 0 {
		p("- API routes skipped for want of a record: %d\n", len(r.Skipped))
	}
	if r.Known != nil {
		p("- GET routes never reached: %d of %d\n", len(r.Unreached()), len(r.Known))
	}
	users := make([]string, 0, len(r.Fetched))
	for _, u := range r.Users {
		if n, ok := r.Fetched[u]; ok {
			users = append(users, fmt.Sprintf("%s %d", u, n))
		}
	}
	p("- pages fetched while crawling: %s\n\n", joinComma(users))

	p("| Route | Kind | User | Sample URL | n | p50 | p95 | p99 | max | server p95 | Budget | Result |\n")
	p("|---|---|---|---|--:|--:|--:|--:|--:|--:|--:|---|\n")
	for _, row := range r.Rows {
		if !row.Measured {
			p("| %s | %s | %s | %s | 0 | | | | | | %s | NOT MEASURED |\n", cell(row.Pattern), row.Kind, row.User, cell(row.URL), budgetText(row.Budget))
			continue
		}
		p("| %s | %s | %s | %s | %d | %s | %s | %s | %s | %s | %s | %s |\n", cell(row.Pattern), row.Kind, row.User, cell(row.URL),
			row.N, ms(row.P50), ms(row.P95), ms(row.P99), ms(row.Max), ms(row.ServerP95), budgetText(row.Budget), row.Result())
	}

	if over > 0 {
		p("\n## Over budget\n\n")
		for _, row := range r.Rows {
			if row.Result() == "OVER" {
				p("- %s (%s, %s): p95 %s ms, budget %s, %s\n", row.Pattern, row.Kind, row.User, ms(row.Judged), budgetText(row.Budget), row.URL)
			}
		}
	}
	if errored > 0 || len(r.CrawlErrors) > 0 || len(r.Problems) > 0 {
		p("\n## Errors\n\n")
		for _, row := range r.Rows {
			if row.Result() == "ERROR" {
				p("- %s (%s): %s, %d of %d requests failed, first: %s\n", row.URL, row.User, row.Pattern, row.Errors, r.N, row.FirstErr)
			}
		}
		for _, e := range r.CrawlErrors {
			what := e.Err
			if e.Status != 0 {
				what = fmt.Sprintf("status %d", e.Status)
			}
			p("- crawl %s (%s): %s %s, linked from %s\n", e.URL, e.User, e.Pattern, what, orDash(e.From))
		}
		for _, pr := range r.Problems {
			p("- %s\n", pr)
		}
	}
	if len(r.Skipped) > 0 {
		p("\n## Skipped\n\n")
		for _, sk := range r.Skipped {
			p("- %s\n", sk)
		}
	}
	if r.Known != nil {
		if un := r.Unreached(); len(un) > 0 {
			p("\n## GET routes never reached\n\n")
			for _, u := range un {
				p("- %s\n", u)
			}
		}
	}
	_, err := w.Write(b)
	return err
}

// cell escapes a table cell.
func cell(s string) string {
	out := make([]rune, 0, len(s))
	for _, c := range s {
		if c == '|' {
			out = append(out, '\\')
		}
		out = append(out, c)
	}
	return "`" + string(out) + "`"
}

func joinComma(s []string) string {
	if len(s) == 0 {
		return "-"
	}
	out := s[0]
	for _, x := range s[1:] {
		out += ", " + x
	}
	return out
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
