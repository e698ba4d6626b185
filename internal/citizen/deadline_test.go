package citizen_test

import (
	"testing"
	"time"

	"cadran/internal/citizen"
)

func TestOrthodoxEaster(t *testing.T) {
	// Published dates of Orthodox Easter Sunday.
	for _, want := range []string{"2020-04-19", "2023-04-16", "2024-05-05", "2025-04-20", "2026-04-12", "2027-05-02", "2028-04-16", "2034-04-09"} {
		d := date(want)
		if got := citizen.OrthodoxEaster(d.Year()); !got.Equal(d) {
			t.Errorf("OrthodoxEaster(%d) = %s, want %s", d.Year(), got.Format(time.DateOnly), want)
		}
	}
}

func TestHolidays(t *testing.T) {
	got := citizen.Holidays(2026)
	// 2026: Easter 12 April, so Good Friday 10 April, Easter Monday 13
	// April, Rusalii 31 May and 1 June; 1 June is also Children's Day and
	// is listed once: 16 days, not 17.
	want := []string{"2026-01-01", "2026-01-02", "2026-01-06", "2026-01-07", "2026-01-24", "2026-04-10", "2026-04-12", "2026-04-13",
		"2026-05-01", "2026-05-31", "2026-06-01", "2026-08-15", "2026-11-30", "2026-12-01", "2026-12-25", "2026-12-26"}
	if len(got) != len(want) {
		t.Fatalf("Holidays(2026) has %d days, want %d: %v", len(got), len(want), got)
	}
	for i := range want {
		if got[i].Format(time.DateOnly) != want[i] {
			t.Errorf("Holidays(2026)[%d] = %s, want %s", i, got[i].Format(time.DateOnly), want[i])
		}
	}
	// 2028: Easter 16 April, Rusalii 4 and 5 June, apart from 1 June: 17 days.
	if n := len(citizen.Holidays(2028)); n != 17 {
		t.Errorf("Holidays(2028) has %d days, want 17", n)
	}
	for _, c := range []struct {
		day     string
		working bool
	}{
		{"2026-11-23", true},  // a Monday
		{"2026-11-28", false}, // a Saturday
		{"2026-11-29", false}, // a Sunday
		{"2026-11-30", false}, // Saint Andrew, a Monday
		{"2026-12-01", false}, // the National Day
		{"2026-12-02", true},
		{"2026-04-13", false}, // Easter Monday
		{"2026-01-24", false}, // the Union
		{"2028-06-05", false}, // Rusalii Monday
		{"2028-06-01", false}, // Children's Day, a Thursday
	} {
		if got := citizen.WorkingDay(date(c.day)); got != c.working {
			t.Errorf("WorkingDay(%s) = %v, want %v", c.day, got, c.working)
		}
	}
}

func TestAddDays(t *testing.T) {
	cases := []struct {
		name         string
		registered   string
		days         int
		shift, plain string // the deadline with and without the shift to a working day
	}{
		// 31 January + 30 days runs through a 28-day February: 2 March.
		{"month end, common year", "2027-01-31", 30, "2027-03-02", "2027-03-02"},
		// The same in a leap year: February has 29 days, so 1 March.
		{"month end, leap year", "2028-01-31", 30, "2028-03-01", "2028-03-01"},
		// 30 January 2028 + 30 lands on 29 February, a Tuesday.
		{"lands on 29 February", "2028-01-30", 30, "2028-02-29", "2028-02-29"},
		// Registered on 29 February, 10 days later is 10 March (a Friday).
		{"registered on 29 February", "2028-02-29", 10, "2028-03-10", "2028-03-10"},
		// 3 September + 30 is Saturday 3 October: Monday 5 October.
		{"Saturday", "2026-09-03", 30, "2026-10-05", "2026-10-03"},
		// 14 March + 30 is Easter Monday, 13 April 2026: Tuesday 14 April.
		{"Easter Monday", "2026-03-14", 30, "2026-04-14", "2026-04-13"},
		// 11 March + 30 is Good Friday, 10 April 2026: then Saturday,
		// Easter Sunday and Monday: Tuesday 14 April.
		{"Good Friday", "2026-03-11", 30, "2026-04-14", "2026-04-10"},
		// 31 October 2028 + 30 is Thursday 30 November (Saint Andrew),
		// then 1 December (Friday) and a weekend: Monday 4 December.
		{"30 November and 1 December", "2028-10-31", 30, "2028-12-04", "2028-11-30"},
		// 25 November + 30 is Christmas, Friday 25 December 2026, then the
		// 26th (Saturday) and a Sunday: Monday 28 December.
		{"Christmas", "2026-11-25", 30, "2026-12-28", "2026-12-25"},
		// 2 December 2026 + 30 is New Year, Friday 1 January 2027, then the
		// 2nd (Saturday) and a Sunday: Monday 4 January.
		{"New Year", "2026-12-02", 30, "2027-01-04", "2027-01-01"},
		// 7 December 2026 + 30 is Wednesday 6 January 2027 (Epiphany), then
		// Saint John on the 7th: Friday 8 January.
		{"Epiphany and Saint John", "2026-12-07", 30, "2027-01-08", "2027-01-06"},
		// 6 May 2028 + 30 is Rusalii Monday, 5 June 2028: Tuesday 6 June.
		{"Rusalii Monday", "2028-05-06", 30, "2028-06-06", "2028-06-05"},
		// A request for information registered on Monday 23 November 2026:
		// 10 days is Thursday 3 December, a working day.
		{"information, 10 days", "2026-11-23", 10, "2026-12-03", "2026-12-03"},
		// A refusal within 5 days of 23 November 2026 is Saturday 28
		// November, then Sunday, 30 November and 1 December: 2 December.
		{"refusal, 5 days", "2026-11-23", 5, "2026-12-02", "2026-11-28"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			reg := date(c.registered)
			if got := citizen.AddDays(reg, c.days, true); got.Format(time.DateOnly) != c.shift {
				t.Errorf("AddDays(%s, %d, shift) = %s, want %s", c.registered, c.days, got.Format(time.DateOnly), c.shift)
			}
			if got := citizen.AddDays(reg, c.days, false); got.Format(time.DateOnly) != c.plain {
				t.Errorf("AddDays(%s, %d, no shift) = %s, want %s", c.registered, c.days, got.Format(time.DateOnly), c.plain)
			}
		})
	}
}

func TestLegalDaysAndCloseBy(t *testing.T) {
	for _, c := range []struct {
		kind         string
		complex      bool
		service, ext int
		want         int
	}{
		{citizen.KindPetition, false, 0, 0, 30},
		{citizen.KindPetition, false, 0, 15, 45}, // extended by the most the law allows
		{citizen.KindInfo, false, 0, 0, 10},
		{citizen.KindInfo, true, 0, 0, 30},
		{citizen.KindInfo, true, 0, 20, 30}, // an extended request is complex: 30, the extension is not added again
		{citizen.KindService, false, 30, 0, 30},
		{citizen.KindService, false, 15, 0, 15},
	} {
		if got := citizen.LegalDays(c.kind, c.complex, c.service, c.ext); got != c.want {
			t.Errorf("LegalDays(%s, %v, %d, %d) = %d, want %d", c.kind, c.complex, c.service, c.ext, got, c.want)
		}
	}
	// A petition registered on 25 November 2026 is due on 25 December,
	// moved to Monday 28 December. Extended by 5 days, its term is 35 days
	// from registration, 30 December: the extension adds to the legal
	// term, not to the shifted day (28 December + 5 would be 2 January, a
	// holiday, then 4 January).
	reg := date("2026-11-25")
	if got := citizen.AddDays(reg, citizen.LegalDays(citizen.KindPetition, false, 0, 5), true); got.Format(time.DateOnly) != "2026-12-30" {
		t.Errorf("extended petition due %s, want 2026-12-30", got.Format(time.DateOnly))
	}
	c := citizen.Case{Kind: citizen.KindInfo, RegisteredOn: date("2026-11-23"), DueOn: date("2026-12-03")}
	for _, x := range []struct{ state, want string }{
		{citizen.StateAnswered, "2026-12-03"},   // the deadline
		{citizen.StateRefused, "2026-12-02"},    // 5 days, shifted past 30 November and 1 December
		{citizen.StateRedirected, "2026-12-02"}, // 5 days, likewise
	} {
		if got := citizen.CloseBy(c, x.state, true); got.Format(time.DateOnly) != x.want {
			t.Errorf("CloseBy(%s) = %s, want %s", x.state, got.Format(time.DateOnly), x.want)
		}
	}
	if got := citizen.CloseBy(c, citizen.StateRefused, false); got.Format(time.DateOnly) != "2026-11-28" {
		t.Errorf("CloseBy(refused, no shift) = %s, want 2026-11-28", got.Format(time.DateOnly))
	}
}
