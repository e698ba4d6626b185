// Command loadgen measures a running Cadran server: it signs in once per
// worker, requests one page a bounded number of times and reports requests
// per second and latency percentiles. It only targets loopback addresses.
//
//	go run ./cmd/loadgen -url http://127.0.0.1:8080/people -user admin -n 5000 -c 8
//
// With -method POST it sends -form (URL-encoded) as a form, as a browser
// would, for pages that answer a form, such as the public status lookup:
//
//	go run ./cmd/loadgen -url http://127.0.0.1:8080/public/4322823/status -user '' \
//		-method POST -form 'public_number=1234/2026&public_code=ABCD-EFGH-JKMN' -n 20000 -c 16
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"slices"
	"strings"
	"sync"
	"time"
)

func main() {
	target := flag.String("url", "http://127.0.0.1:8080/people", "page to request (loopback only)")
	user := flag.String("user", "admin", "username to sign in with (empty: no sign-in)")
	password := flag.String("password", os.Getenv("CADRAN_PASSWORD"), "password (default $CADRAN_PASSWORD, else the demo password)")
	n := flag.Int("n", 2000, "total requests (at most 200000)")
	c := flag.Int("c", 4, "concurrent workers (at most 64)")
	limit := flag.Duration("max", 2*time.Minute, "stop after this long in any case")
	method := flag.String("method", "GET", "GET, or POST to send -form")
	form := flag.String("form", "", "URL-encoded form body for -method POST (a=1&b=2)")
	flag.Parse()
	if *password == "" {
		*password = "cadran-demo"
	}
	if *method != "GET" && *method != "POST" {
		fmt.Fprintln(os.Stderr, "loadgen: -method is GET or POST")
		os.Exit(2)
	}
	if _, err := url.ParseQuery(*form); err != nil {
		fmt.Fprintln(os.Stderr, "loadgen: cannot parse -form:", err)
		os.Exit(2)
	}
	if err := run(*target, *user, *password, *method, *form, min(*n, 200000), max(1, min(*c, 64)), *limit); err != nil {
		fmt.Fprintln(os.Stderr, "loadgen:", err)
		os.Exit(1)
	}
}

func run(target, user, password, method, form string, n, c int, limit time.Duration) error {
	u, err := url.Parse(target)
	if err != nil {
		return fmt.Errorf("cannot parse -url: %w", err)
	}
	if ip := net.ParseIP(u.Hostname()); u.Hostname() != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return errors.New("refusing a target that is not on this machine (use 127.0.0.1, ::1 or localhost)")
	}
	clients := make([]*http.Client, c)
	for i := range clients {
		jar, _ := cookiejar.New(nil)
		clients[i] = &http.Client{Jar: jar, Timeout: 30 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
			Transport: &http.Transport{MaxIdleConnsPerHost: 2}}
		if user != "" {
			login := u.Scheme + "://" + u.Host + "/login"
			res, err := clients[i].PostForm(login, url.Values{"username": {user}, "password": {password}})
			if err != nil {
				return fmt.Errorf("cannot sign in: %w", err)
			}
			res.Body.Close()
			if res.StatusCode != http.StatusSeeOther {
				return fmt.Errorf("cannot sign in as %s: status %d", user, res.StatusCode)
			}
		}
	}
	var (
		mu        sync.Mutex
		latencies = make([]time.Duration, 0, n)
		failures  int
		next      = make(chan struct{}, n)
	)
	for range n {
		next <- struct{}{}
	}
	close(next)
	deadline := time.Now().Add(limit)
	start := time.Now()
	var wg sync.WaitGroup
	for i := range c {
		wg.Add(1)
		go func(cl *http.Client) {
			defer wg.Done()
			for range next {
				if time.Now().After(deadline) {
					return
				}
				t0 := time.Now()
				var res *http.Response
				var err error
				if method == "POST" {
					res, err = cl.Post(target, "application/x-www-form-urlencoded", strings.NewReader(form))
				} else {
					res, err = cl.Get(target)
				}
				ok := err == nil && res.StatusCode == http.StatusOK
				if err == nil {
					io.Copy(io.Discard, res.Body)
					res.Body.Close()
				}
				d := time.Since(t0)
				mu.Lock()
				if ok {
					latencies = append(latencies, d)
				} else {
					failures++
				}
				mu.Unlock()
			}
		}(clients[i])
	}
	wg.Wait()
	elapsed := time.Since(start)
	slices.Sort(latencies)
	pct := func(p float64) time.Duration {
		if len(latencies) == 0 {
			return 0
		}
		return latencies[min(len(latencies)-1, int(float64(len(latencies))*p))]
	}
	fmt.Printf("%s %s  requests=%d failures=%d concurrency=%d elapsed=%s\n", method, strings.TrimSpace(target), len(latencies), failures, c, elapsed.Round(time.Millisecond))
	fmt.Printf("throughput=%.0f req/s  p50=%s p95=%s p99=%s max=%s\n", float64(len(latencies))/elapsed.Seconds(),
		pct(.50).Round(10*time.Microsecond), pct(.95).Round(10*time.Microsecond), pct(.99).Round(10*time.Microsecond), pct(1).Round(10*time.Microsecond))
	if failures > 0 {
		return fmt.Errorf("%d requests failed", failures)
	}
	return nil
}
