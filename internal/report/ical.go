package report

import (
	"bufio"
	"fmt"
	"io"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	ics "github.com/arran4/golang-ical"
)

// Calendar is a feed of all-day events, such as one person's deadlines,
// that calendar programs (Outlook, Thunderbird) subscribe to.
type Calendar struct {
	Name   string // X-WR-CALNAME, e.g. "Cadran: Ana Popescu"
	Events []Event
}

// Event is one all-day entry in a Calendar.
type Event struct {
	UID          string    // stable across feeds, e.g. "task-42@cadran"
	Day          time.Time // the civil date: year, month and day are used, the location is ignored
	Summary      string
	Description  string
	URL          string   // absolute link back to the record, empty to omit
	Categories   []string // one CATEGORIES property each
	Priority     int      // 0 none, 1 high, 5 normal, 9 low (RFC 5545)
	Cancelled    bool     // STATUS:CANCELLED, otherwise CONFIRMED
	Stamp        time.Time
	LastModified time.Time // zero to omit
}

// feedZone is the zone the calendar carries as a VTIMEZONE. The events are
// dates and need no zone, but RFC 5545 (section 3.4) requires at least one
// component in a calendar, so a feed with no deadlines would otherwise be
// invalid (strict readers, go-ical among them, reject it).
const feedZone = "Europe/Bucharest"

// WriteICS writes c as text/calendar: UTF-8, CRLF line ends, lines folded at
// 75 octets without splitting a character. Each event is an all-day,
// transparent (not busy) VEVENT. Text is cleaned of control characters
// (a CR or CRLF becomes a line break) and escaped; a URL must be absolute and
// free of spaces and control characters. Every event needs a unique UID, a
// Day and a Stamp, which the caller takes from its clock.
func WriteICS(w io.Writer, c Calendar) error {
	cal := ics.NewCalendarFor("Cadran")
	cal.SetProductId("-//Cadran//Cadran//RO")
	cal.SetCalscale("GREGORIAN")
	cal.SetMethod(ics.MethodPublish)
	if name := cleanText(c.Name); name != "" {
		cal.SetXWRCalName(name)
	}
	// The library's property name already holds ";VALUE=DURATION"; passing
	// the parameter as well would write it twice.
	cal.SetRefreshInterval("PT1H")
	cal.SetXPublishedTTL("PT1H")
	cal.AddVTimezone(bucharestZone())

	seen := make(map[string]bool, len(c.Events))
	for i, e := range c.Events {
		ev, err := newVEvent(e)
		if err != nil {
			return fmt.Errorf("cannot write calendar: event %d: %w", i+1, err)
		}
		if seen[e.UID] {
			return fmt.Errorf("cannot write calendar: event %d: duplicate UID %q", i+1, e.UID)
		}
		seen[e.UID] = true
		cal.AddVEvent(ev)
	}

	// The library ignores some write errors (BEGIN and END lines); a
	// bufio.Writer keeps the first one and Flush reports it.
	bw := bufio.NewWriter(w)
	if err := cal.SerializeTo(bw, ics.WithNewLineWindows); err != nil {
		return fmt.Errorf("cannot write calendar: %w", err)
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("cannot write calendar: %w", err)
	}
	return nil
}

func newVEvent(e Event) (*ics.VEvent, error) {
	uid := e.UID
	if uid == "" {
		return nil, fmt.Errorf("missing UID")
	}
	if !utf8.ValidString(uid) || strings.ContainsFunc(uid, unicode.IsControl) {
		// Cleaning it as text could make two UIDs equal.
		return nil, fmt.Errorf("UID %q contains control characters or invalid UTF-8", uid)
	}
	if e.Day.IsZero() {
		return nil, fmt.Errorf("missing day")
	}
	if e.Stamp.IsZero() {
		return nil, fmt.Errorf("missing stamp")
	}
	if e.Priority < 0 || e.Priority > 9 {
		return nil, fmt.Errorf("priority %d out of range 0-9", e.Priority)
	}
	if e.URL != "" {
		if err := checkURL(e.URL); err != nil {
			return nil, err
		}
	}

	y, m, d := e.Day.Date()
	start := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	ev := ics.NewEvent(uid)
	ev.SetDtStampTime(e.Stamp)
	ev.SetAllDayStartAt(start)
	ev.SetAllDayEndAt(start.AddDate(0, 0, 1)) // DTEND is exclusive
	if s := cleanText(e.Summary); s != "" {
		ev.SetSummary(s)
	}
	if s := cleanText(e.Description); s != "" {
		ev.SetDescription(s)
	}
	if e.URL != "" {
		ev.SetURL(e.URL)
	}
	for _, cat := range e.Categories {
		// The library escapes the comma, so one category per property
		// (RFC 5545 allows CATEGORIES more than once).
		if s := cleanText(cat); s != "" {
			ev.AddCategory(s)
		}
	}
	if e.Priority != 0 {
		ev.SetPriority(e.Priority)
	}
	if e.Cancelled {
		ev.SetStatus(ics.ObjectStatusCancelled)
	} else {
		ev.SetStatus(ics.ObjectStatusConfirmed)
	}
	ev.SetTimeTransparency(ics.TransparencyTransparent)
	if !e.LastModified.IsZero() {
		ev.SetLastModifiedAt(e.LastModified)
	}
	return ev, nil
}

// cleanText prepares a TEXT value for the library, which escapes backslash,
// semicolon, comma and LF but passes CR and other control characters through
// raw, where they would break the content line. Line breaks become LF,
// other control characters but TAB are dropped and invalid UTF-8 is replaced.
func cleanText(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	return strings.Map(func(r rune) rune {
		if r != '\n' && r != '\t' && unicode.IsControl(r) {
			return -1
		}
		return r
	}, s)
}

// checkURL accepts an absolute URL that can go into a content line as is: the
// library writes URI values unescaped, so a space or control character would
// corrupt the feed.
func checkURL(s string) error {
	for _, r := range s {
		if r <= ' ' || r == 0x7f || unicode.IsControl(r) {
			return fmt.Errorf("URL contains %s", strconv.QuoteRune(r))
		}
	}
	u, err := url.Parse(s)
	if err != nil {
		return fmt.Errorf("invalid URL: %w", err)
	}
	if !u.IsAbs() {
		return fmt.Errorf("URL %q is not absolute", s)
	}
	return nil
}

// bucharestZone is Romania's time: EET (UTC+2) and, from the last Sunday of
// March at 03:00 to the last Sunday of October at 04:00, EEST (UTC+3).
func bucharestZone() *ics.VTimezone {
	tz := ics.NewTimezone(feedZone)
	std := tz.AddStandard()
	std.SetProperty(ics.ComponentProperty(ics.PropertyTzname), "EET")
	std.SetProperty(ics.ComponentPropertyDtStart, "19701025T040000")
	std.SetProperty(ics.ComponentPropertyRrule, "FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU")
	std.SetProperty(ics.ComponentProperty(ics.PropertyTzoffsetfrom), "+0300")
	std.SetProperty(ics.ComponentProperty(ics.PropertyTzoffsetto), "+0200")
	dst := &ics.Daylight{} // the library has AddStandard but no AddDaylight
	dst.SetProperty(ics.ComponentProperty(ics.PropertyTzname), "EEST")
	dst.SetProperty(ics.ComponentPropertyDtStart, "19700329T030000")
	dst.SetProperty(ics.ComponentPropertyRrule, "FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU")
	dst.SetProperty(ics.ComponentProperty(ics.PropertyTzoffsetfrom), "+0200")
	dst.SetProperty(ics.ComponentProperty(ics.PropertyTzoffsetto), "+0300")
	tz.Components = append(tz.Components, dst)
	return tz
}
