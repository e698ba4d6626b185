package citizen

import (
	"slices"
	"sync"
	"time"
)

// OrthodoxEaster is the day of Orthodox Easter Sunday in year, in the
// Gregorian calendar, at midnight UTC: Meeus's Julian algorithm gives the
// day in the Julian calendar, and from 1900 to 2099 the Julian calendar is
// 13 days behind the Gregorian one.
func OrthodoxEaster(year int) time.Time {
	a := year % 4
	b := year % 7
	c := year % 19
	d := (19*c + 15) % 30
	e := (2*a + 4*b - d + 34) % 7
	month := (d + e + 114) / 31
	day := (d+e+114)%31 + 1
	// time.Date normalises a day past the month's end (April 30 + 13).
	return time.Date(year, time.Month(month), day+13, 0, 0, 0, 0, time.UTC)
}

// holidayCache keeps each year's holidays once computed: the deadline
// arithmetic asks for them for every case of a list.
var holidayCache sync.Map // int -> map[time.Time]bool

// Holidays are Romania's public holidays of year (Labour Code, art. 139),
// sorted, at midnight UTC: 1-2 January, 6-7 January (Epiphany and Saint
// John), 24 January (the Union), Orthodox Good Friday, Easter Sunday and
// Monday, 1 May, 1 June (Children's Day), Orthodox Pentecost (Rusalii)
// Sunday and Monday, 15 August, 30 November (Saint Andrew), 1 December
// (the National Day), 25-26 December. A day named twice (1 June falling on
// Rusalii Monday) is listed once.
func Holidays(year int) []time.Time {
	date := func(m time.Month, d int) time.Time { return time.Date(year, m, d, 0, 0, 0, 0, time.UTC) }
	easter := OrthodoxEaster(year)
	days := []time.Time{
		date(time.January, 1), date(time.January, 2),
		date(time.January, 6), date(time.January, 7),
		date(time.January, 24),
		easter.AddDate(0, 0, -2), easter, easter.AddDate(0, 0, 1),
		date(time.May, 1), date(time.June, 1),
		easter.AddDate(0, 0, 49), easter.AddDate(0, 0, 50),
		date(time.August, 15), date(time.November, 30), date(time.December, 1),
		date(time.December, 25), date(time.December, 26),
	}
	slices.SortFunc(days, func(x, y time.Time) int { return x.Compare(y) })
	return slices.CompactFunc(days, func(x, y time.Time) bool { return x.Equal(y) })
}

func holidaySet(year int) map[time.Time]bool {
	if m, ok := holidayCache.Load(year); ok {
		return m.(map[time.Time]bool)
	}
	m := map[time.Time]bool{}
	for _, d := range Holidays(year) {
		m[d] = true
	}
	holidayCache.Store(year, m)
	return m
}

// day is t's calendar date at midnight UTC (deadlines are civil dates).
func day(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// WorkingDay reports whether day is neither a Saturday, a Sunday nor a
// public holiday.
func WorkingDay(d time.Time) bool {
	d = day(d)
	if wd := d.Weekday(); wd == time.Saturday || wd == time.Sunday {
		return false
	}
	return !holidaySet(d.Year())[d]
}

// NextWorkingDay is day itself when it is a working day, else the first
// working day after it.
func NextWorkingDay(d time.Time) time.Time {
	d = day(d)
	for !WorkingDay(d) {
		d = d.AddDate(0, 0, 1)
	}
	return d
}
