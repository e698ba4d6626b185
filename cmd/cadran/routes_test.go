package main

import (
	"slices"
	"strings"
	"testing"
)

func TestRoutes(t *testing.T) {
	out := cli{}.must(t, "routes")
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if len(lines) < 100 {
		t.Fatalf("only %d routes:\n%s", len(lines), out)
	}
	methods := map[string]int{}
	seen := map[string]bool{}
	for _, l := range lines {
		f := strings.Fields(l)
		if len(f) != 2 || !strings.HasPrefix(f[1], "/") {
			t.Fatalf("line %q is not METHOD PATTERN", l)
		}
		if seen[l] {
			t.Errorf("%q listed twice", l)
		}
		seen[l] = true
		methods[f[0]]++
	}
	if !slices.IsSortedFunc(lines, func(a, b string) int {
		ma, pa, _ := strings.Cut(a, " ")
		mb, pb, _ := strings.Cut(b, " ")
		if c := strings.Compare(pa, pb); c != 0 {
			return c
		}
		return strings.Compare(ma, mb)
	}) {
		t.Error("routes are not sorted by pattern, then method")
	}
	for _, want := range []string{"GET /{$}", "GET /login", "POST /login", "GET /risks/{id}", "GET /api/v1/openapi.json", "GET /healthz"} {
		if !seen[want] {
			t.Errorf("%q not listed", want)
		}
	}
	if methods["GET"] == 0 || methods["POST"] == 0 {
		t.Errorf("methods %v", methods)
	}

	// -method filters, in any case, and keeps the order.
	get := cli{}.must(t, "routes", "-method", "get")
	var want []string
	for _, l := range lines {
		if strings.HasPrefix(l, "GET ") {
			want = append(want, l)
		}
	}
	if got := strings.Split(strings.TrimSuffix(get, "\n"), "\n"); !slices.Equal(got, want) || len(got) != methods["GET"] {
		t.Errorf("routes -method get printed %d lines, want the %d GET routes", len(got), len(want))
	}

	oneError(t, cli{}.run(t, "routes", "extra"), 2, "unexpected argument")
	if r := (cli{}).run(t, "routes", "-h"); r.code != 0 || !strings.Contains(r.out, "-method") {
		t.Errorf("routes -h: exit %d, %q", r.code, r.out)
	}
}
