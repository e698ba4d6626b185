package main

import (
	"net/http"
	"testing"
	"time"
)

func TestBrowsable(t *testing.T) {
	for href, want := range map[string]bool{
		"/risks":                           true,
		"/risks?sort=-score&page=2":        true,
		"/risks/export.xlsx":               false,
		"/risks/export.csv?status=open":    false,
		"/documents/7/versions/2/download": false,
		"/logout":                          false,
		"/static/app.css":                  false,
		"/api/v1/kpis":                     false,
		"/public/44372154/status":          false,
		"/reviews/3/report.pdf":            false,
	} {
		if got := browsable(href); got != want {
			t.Errorf("browsable(%q) = %v, want %v", href, got, want)
		}
	}
}

func TestPercentile(t *testing.T) {
	var s []time.Duration
	for i := 1; i <= 100; i++ {
		s = append(s, time.Duration(i)*time.Millisecond)
	}
	for p, want := range map[int]time.Duration{50: 50 * time.Millisecond, 95: 95 * time.Millisecond, 99: 99 * time.Millisecond, 100: 100 * time.Millisecond} {
		if got := pct(s, p); got != want {
			t.Errorf("pct(%d) = %v, want %v", p, got, want)
		}
	}
	if pct(nil, 99) != 0 || pct(s[:1], 99) != time.Millisecond {
		t.Error("pct of short lists")
	}
}

func TestRouteOf(t *testing.T) {
	res := &http.Response{Header: http.Header{"Server-Timing": {`app;dur=3.25;desc="GET /risks/{id}"`}}}
	if got := routeOf(res, "GET", "/risks/7"); got != "GET /risks/{id}" {
		t.Errorf("routeOf = %q", got)
	}
	if got := routeOf(&http.Response{Header: http.Header{}}, "GET", "/x"); got != "GET /x" {
		t.Errorf("routeOf without the header = %q", got)
	}
}
