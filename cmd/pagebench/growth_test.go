package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// growthReport is a report of measured rows: pattern -> server p95.
func growthReport(p95 map[string]time.Duration) *Report {
	r := &Report{Users: []string{"calitate"}}
	for pattern, d := range p95 {
		r.Rows = append(r.Rows, Row{Sample: Sample{Pattern: pattern, Kind: KindPage, User: "calitate"}, N: 10, Measured: true, ServerP95: d})
	}
	return r
}

func TestGrowthThroughJSON(t *testing.T) {
	dir := t.TempDir()
	ms := time.Millisecond
	runs := map[string]*Report{
		"small":  growthReport(map[string]time.Duration{"GET /risks": 2 * ms, "GET /{$}": 4 * ms, "GET /audit": 1 * ms, "GET /only-small": ms}),
		"medium": growthReport(map[string]time.Duration{"GET /risks": 6 * ms, "GET /{$}": 4 * ms, "GET /audit": 2 * ms}),
		"large":  growthReport(map[string]time.Duration{"GET /risks": 40 * ms, "GET /{$}": 5 * ms, "GET /audit": 3500 * time.Microsecond}),
	}
	var spec []string
	for _, name := range []string{"small", "medium", "large"} {
		var b bytes.Buffer
		if err := runs[name].WriteJSON(&b); err != nil {
			t.Fatal(err)
		}
		file := filepath.Join(dir, name+".json")
		if err := os.WriteFile(file, b.Bytes(), 0o600); err != nil {
			t.Fatal(err)
		}
		spec = append(spec, map[string]string{"small": "1x", "medium": "10x", "large": "100x"}[name]+"="+file)
	}
	got, err := readGrowthRuns(strings.Join(spec, ","))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := WriteGrowth(&out, got); err != nil {
		t.Fatal(err)
	}
	s := out.String()
	for _, want := range []string{
		"- routes compared (measured without error in every run): 3\n",
		"- routes that grow with the data: 1\n",
		"- routes left out (not measured in every run): 1\n",
		"| `GET /risks` | page | calitate | 2.00 | 6.00 | 40.00 | 20.0 |\n",
		// Flat: barely more at 100x.
		"| `GET /{$}` | page | calitate | 4.00 | 4.00 | 5.00 | 1.2 |\n",
	} {
		if !strings.Contains(s, want) {
			t.Errorf("growth table lacks %q:\n%s", want, s)
		}
	}
	// 1 ms -> 3.5 ms is a ratio of 3.5 but only 2.5 ms more: not growth.
	grows := s[strings.Index(s, "## Routes that grow"):strings.Index(s, "## Every route")]
	if strings.Contains(grows, "/audit") || !strings.Contains(grows, "/risks") {
		t.Errorf("the routes that grow are wrong:\n%s", grows)
	}
}

func TestGrowthRefusesBadSpecs(t *testing.T) {
	for _, spec := range []string{"", "1x=", "a.json", "1x=/does/not/exist.json,10x=/nor/this.json"} {
		if _, err := readGrowthRuns(spec); err == nil {
			t.Errorf("readGrowthRuns(%q) accepted it", spec)
		}
	}
}
