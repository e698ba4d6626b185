package scorecard

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Frequencies of measurement.
const (
	Monthly    = "monthly"
	Quarterly  = "quarterly"
	HalfYearly = "halfyearly"
	Yearly     = "yearly"
)

// Frequencies lists the frequencies, most frequent first.
var Frequencies = []string{Monthly, Quarterly, HalfYearly, Yearly}

// PerYear is how many periods of a frequency a year has (0 for an unknown
// frequency).
func PerYear(freq string) int {
	switch freq {
	case Monthly:
		return 12
	case Quarterly:
		return 4
	case HalfYearly:
		return 2
	case Yearly:
		return 1
	}
	return 0
}

// Period is one period of a frequency: a month (N 1-12), a quarter (1-4),
// a half-year (1-2) or a year (N 1). Its key is how it is stored and
// written in files: "2026-10", "2026-Q3", "2026-H1", "2026".
type Period struct {
	Freq string
	Year int
	N    int
}

// Month returns the monthly period of year and month.
func Month(year, month int) Period { return Period{Freq: Monthly, Year: year, N: month} }

// MonthOf returns the month a day falls in.
func MonthOf(t time.Time) Period { return Month(t.Year(), int(t.Month())) }

// ParsePeriod reads a period key. Besides the keys it writes it accepts
// "2026-T3" and "2026-S1" (the Romanian trimestru and semestru),
// lower case, and "10/2026" or "2026-10-31" for a month.
func ParsePeriod(s string) (Period, error) {
	k := strings.ToUpper(strings.TrimSpace(s))
	bad := fmt.Errorf("cannot read period %q", s)
	if y, err := strconv.Atoi(k); err == nil {
		if y < 1900 || y > 2200 {
			return Period{}, bad
		}
		return Period{Freq: Yearly, Year: y, N: 1}, nil
	}
	if t, err := time.Parse("2006-01-02", k); err == nil {
		return MonthOf(t), nil
	}
	if m, y, ok := strings.Cut(k, "/"); ok {
		k = y + "-" + m
	}
	y, rest, ok := strings.Cut(k, "-")
	if !ok {
		return Period{}, bad
	}
	year, err := strconv.Atoi(y)
	if err != nil || year < 1900 || year > 2200 || rest == "" {
		return Period{}, bad
	}
	p := Period{Year: year}
	switch rest[0] {
	case 'Q', 'T':
		p.Freq, rest = Quarterly, rest[1:]
	case 'H', 'S':
		p.Freq, rest = HalfYearly, rest[1:]
	default:
		p.Freq = Monthly
	}
	if p.N, err = strconv.Atoi(rest); err != nil || p.N < 1 || p.N > PerYear(p.Freq) {
		return Period{}, bad
	}
	return p, nil
}

// Key is the period as stored: "2026-10", "2026-Q3", "2026-H1", "2026".
func (p Period) Key() string {
	switch p.Freq {
	case Monthly:
		return fmt.Sprintf("%04d-%02d", p.Year, p.N)
	case Quarterly:
		return fmt.Sprintf("%04d-Q%d", p.Year, p.N)
	case HalfYearly:
		return fmt.Sprintf("%04d-H%d", p.Year, p.N)
	}
	return fmt.Sprintf("%04d", p.Year)
}

func (p Period) String() string { return p.Key() }

// IsZero reports whether p is the zero period.
func (p Period) IsZero() bool { return p.Year == 0 }

// months is how many months one period spans.
func (p Period) months() int { return 12 / max(PerYear(p.Freq), 1) }

// Start is the period's first day, at midnight UTC.
func (p Period) Start() time.Time {
	return time.Date(p.Year, time.Month((p.N-1)*p.months()+1), 1, 0, 0, 0, 0, time.UTC)
}

// End is the day after the period's last day (exclusive), at midnight UTC.
func (p Period) End() time.Time { return p.Start().AddDate(0, p.months(), 0) }

// Last is the period's last day.
func (p Period) Last() time.Time { return p.End().AddDate(0, 0, -1) }

// Next and Prev step one period of the same frequency.
func (p Period) Next() Period { return p.add(1) }

// Prev is the period before p.
func (p Period) Prev() Period { return p.add(-1) }

func (p Period) add(n int) Period {
	per := PerYear(p.Freq)
	i := p.Year*per + p.N - 1 + n
	return Period{Freq: p.Freq, Year: i / per, N: i%per + 1}
}

// Before reports whether p ends before q ends: for periods of the same
// frequency, whether p comes first.
func (p Period) Before(q Period) bool { return p.End().Compare(q.End()) < 0 }

// YearKey is the key of p's year, under which a yearly target applies to
// every period of the year.
func (p Period) YearKey() string { return fmt.Sprintf("%04d", p.Year) }

// Containing returns the period of freq that holds day t.
func Containing(freq string, t time.Time) Period {
	per := PerYear(freq)
	if per == 0 {
		freq, per = Yearly, 1
	}
	return Period{Freq: freq, Year: t.Year(), N: (int(t.Month())-1)/(12/per) + 1}
}

// LatestEnded returns the last period of freq that has ended by the end of
// month m: for October 2026, the month 2026-10, the quarter 2026-Q3, the
// half-year 2026-H1 and the year 2025. A scorecard viewed for a month
// shows each KPI's value for that period.
func LatestEnded(freq string, m Period) Period {
	end := m.End()
	p := Containing(freq, end.AddDate(0, 0, -1))
	if p.End().After(end) {
		p = p.Prev()
	}
	return p
}

// Range lists the periods of freq from the one holding from to the one
// holding to, both included.
func Range(freq string, from, to time.Time) []Period {
	var out []Period
	last := Containing(freq, to)
	for p := Containing(freq, from); !last.Before(p); p = p.Next() {
		out = append(out, p)
	}
	return out
}

// Label is the period as people read it: "octombrie 2026" or "October
// 2026", "T3 2026" or "Q3 2026", "S1 2026" or "H1 2026", "2026".
func (p Period) Label(lang string) string {
	ro := lang != "en"
	switch p.Freq {
	case Monthly:
		if ro {
			return monthsRO[p.N-1] + " " + strconv.Itoa(p.Year)
		}
		return time.Month(p.N).String() + " " + strconv.Itoa(p.Year)
	case Quarterly:
		if ro {
			return fmt.Sprintf("T%d %d", p.N, p.Year)
		}
		return fmt.Sprintf("Q%d %d", p.N, p.Year)
	case HalfYearly:
		if ro {
			return fmt.Sprintf("S%d %d", p.N, p.Year)
		}
		return fmt.Sprintf("H%d %d", p.N, p.Year)
	}
	return strconv.Itoa(p.Year)
}

var monthsRO = []string{"ianuarie", "februarie", "martie", "aprilie", "mai", "iunie", "iulie", "august", "septembrie", "octombrie", "noiembrie", "decembrie"}
