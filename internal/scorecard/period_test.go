package scorecard

import (
	"testing"
	"time"
)

func TestPeriodKeysAndSpans(t *testing.T) {
	for _, c := range []struct {
		in, key, start, last, next, prev string
	}{
		{"2026-10", "2026-10", "2026-10-01", "2026-10-31", "2026-11", "2026-09"},
		{"2026-12", "2026-12", "2026-12-01", "2026-12-31", "2027-01", "2026-11"},
		{"2026-01", "2026-01", "2026-01-01", "2026-01-31", "2026-02", "2025-12"},
		{"2026-q1", "2026-Q1", "2026-01-01", "2026-03-31", "2026-Q2", "2025-Q4"},
		{"2026-T4", "2026-Q4", "2026-10-01", "2026-12-31", "2027-Q1", "2026-Q3"},
		{"2026-S2", "2026-H2", "2026-07-01", "2026-12-31", "2027-H1", "2026-H1"},
		{"2026-H1", "2026-H1", "2026-01-01", "2026-06-30", "2026-H2", "2025-H2"},
		{"2026", "2026", "2026-01-01", "2026-12-31", "2027", "2025"},
		{"10/2026", "2026-10", "2026-10-01", "2026-10-31", "2026-11", "2026-09"},
		{"2026-02-28", "2026-02", "2026-02-01", "2026-02-28", "2026-03", "2026-01"},
	} {
		p, err := ParsePeriod(c.in)
		if err != nil {
			t.Fatalf("%s: %v", c.in, err)
		}
		got := []string{p.Key(), p.Start().Format(time.DateOnly), p.Last().Format(time.DateOnly), p.Next().Key(), p.Prev().Key()}
		want := []string{c.key, c.start, c.last, c.next, c.prev}
		for i := range got {
			if got[i] != want[i] {
				t.Errorf("%s: got %v, want %v", c.in, got, want)
				break
			}
		}
	}
	for _, bad := range []string{"", "2026-13", "2026-00", "2026-Q5", "2026-H3", "abc", "26-10", "2026-", "1800"} {
		if _, err := ParsePeriod(bad); err == nil {
			t.Errorf("%q: parsed, want an error", bad)
		}
	}
}

func TestLatestEnded(t *testing.T) {
	for _, c := range []struct{ month, freq, want string }{
		{"2026-10", Monthly, "2026-10"},
		{"2026-10", Quarterly, "2026-Q3"},
		{"2026-09", Quarterly, "2026-Q3"},
		{"2026-10", HalfYearly, "2026-H1"},
		{"2026-12", HalfYearly, "2026-H2"},
		{"2026-10", Yearly, "2025"},
		{"2026-12", Yearly, "2026"},
		{"2026-02", Quarterly, "2025-Q4"},
	} {
		m, _ := ParsePeriod(c.month)
		if got := LatestEnded(c.freq, m).Key(); got != c.want {
			t.Errorf("LatestEnded(%s, %s) = %s, want %s", c.freq, c.month, got, c.want)
		}
	}
}

func TestRangeAndLabel(t *testing.T) {
	from := time.Date(2025, 11, 15, 0, 0, 0, 0, time.UTC)
	to := time.Date(2026, 7, 1, 0, 0, 0, 0, time.UTC)
	var keys []string
	for _, p := range Range(Quarterly, from, to) {
		keys = append(keys, p.Key())
	}
	if got, want := len(keys), 4; got != want || keys[0] != "2025-Q4" || keys[3] != "2026-Q3" {
		t.Errorf("Range quarterly = %v", keys)
	}
	if n := len(Range(Monthly, from, to)); n != 9 {
		t.Errorf("Range monthly has %d months, want 9", n)
	}
	if got := Month(2026, 3).Label("ro"); got != "martie 2026" {
		t.Errorf("label ro = %q", got)
	}
	if got := (Period{Freq: Quarterly, Year: 2026, N: 3}).Label("en"); got != "Q3 2026" {
		t.Errorf("label en = %q", got)
	}
}
