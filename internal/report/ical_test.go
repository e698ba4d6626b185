package report

import (
	"bytes"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"
	_ "time/tzdata" // the VTIMEZONE test compares with Go's own Europe/Bucharest
	"unicode/utf8"

	goical "github.com/emersion/go-ical"
)

// Texts with the characters that need escaping in iCalendar (, ; \ and line
// breaks) and the Romanian letters that take two bytes in UTF-8.
var romanianTexts = []string{
	"Aprobare: Procedura PO-DAS-03, ediția 2; revizia 1 \\ «urgent»\nLinia a doua",
	"ședință",
	"ÎNȘTIINȚARE Țară",
	"Termen: 31.12.2026; răspuns la petiția nr. 1.234, \"Școala nr. 5\" \\\\ dublu\n\nparagraf nou",
	"\\n nu este un rând nou, \\; nici aceasta",
}

var (
	stamp    = time.Date(2026, 11, 23, 8, 30, 0, 0, time.UTC)
	modified = time.Date(2026, 11, 20, 14, 5, 9, 0, time.UTC)
)

func TestWriteICSRoundTrip(t *testing.T) {
	for i, text := range romanianTexts {
		t.Run(strconv.Itoa(i), func(t *testing.T) {
			in := Calendar{
				Name: "Cadran: " + text,
				Events: []Event{{
					UID:          "task-42@cadran, ședință; \\ «x»",
					Day:          time.Date(2026, 12, 31, 0, 0, 0, 0, time.UTC),
					Summary:      text,
					Description:  text + "\n" + text,
					URL:          "https://primaria.example.ro/sarcini/42?fila=2&x=a%2Cb",
					Categories:   []string{"Sarcină", text, "a,b;c"},
					Priority:     1,
					Stamp:        stamp,
					LastModified: modified,
				}, {
					UID:       "task-43@cadran",
					Day:       time.Date(2027, 1, 4, 0, 0, 0, 0, time.UTC),
					Summary:   "ÎNȘTIINȚARE Țară",
					Cancelled: true,
					Stamp:     stamp,
				}},
			}
			cal := decodeFeed(t, writeFeed(t, in))

			wantCal := map[string]string{
				"VERSION":         "2.0",
				"PRODID":          "-//Cadran//Cadran//RO",
				"CALSCALE":        "GREGORIAN",
				"METHOD":          "PUBLISH",
				"X-WR-CALNAME":    in.Name,
				"X-PUBLISHED-TTL": "PT1H",
			}
			for name, want := range wantCal {
				if got := text1(t, cal.Props, name); got != want {
					t.Errorf("%s = %q, want %q", name, got, want)
				}
			}
			if p := cal.Props.Get("REFRESH-INTERVAL"); p == nil || p.ValueType() != goical.ValueDuration || p.Value != "PT1H" {
				t.Errorf("REFRESH-INTERVAL = %+v, want a DURATION of PT1H", p)
			} else if d, err := p.Duration(); err != nil || d != time.Hour {
				t.Errorf("REFRESH-INTERVAL = %v, %v; want 1h", d, err)
			}

			events := cal.Events()
			if len(events) != len(in.Events) {
				t.Fatalf("decoded %d events, want %d", len(events), len(in.Events))
			}
			for j, ev := range events {
				got := eventFrom(t, ev)
				if !reflect.DeepEqual(got, in.Events[j]) {
					t.Errorf("event %d round trip:\n got  %#v\n want %#v", j, got, in.Events[j])
				}
				if s := text1(t, ev.Props, "TRANSP"); s != "TRANSPARENT" {
					t.Errorf("event %d TRANSP = %q, want TRANSPARENT", j, s)
				}
			}
		})
	}
}

func TestWriteICSOptionalProperties(t *testing.T) {
	cal := decodeFeed(t, writeFeed(t, Calendar{Events: []Event{{
		UID:   "review-7@cadran",
		Day:   time.Date(2026, 5, 6, 0, 0, 0, 0, time.UTC),
		Stamp: stamp,
	}}}))
	if cal.Props.Get("X-WR-CALNAME") != nil {
		t.Error("an empty name should leave out X-WR-CALNAME")
	}
	ev := cal.Events()[0]
	var names []string
	for name := range ev.Props {
		names = append(names, name)
	}
	sort.Strings(names)
	want := []string{"DTEND", "DTSTAMP", "DTSTART", "STATUS", "TRANSP", "UID"}
	if !slices.Equal(names, want) {
		t.Errorf("properties = %v, want %v", names, want)
	}
	if s := text1(t, ev.Props, "STATUS"); s != "CONFIRMED" {
		t.Errorf("STATUS = %q, want CONFIRMED", s)
	}
}

func TestWriteICSDates(t *testing.T) {
	bucharest, err := time.LoadLocation("Europe/Bucharest")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name       string
		day        time.Time
		start, end string
	}{
		{"ordinary", time.Date(2026, 3, 15, 0, 0, 0, 0, time.UTC), "20260315", "20260316"},
		{"month end", time.Date(2026, 1, 31, 0, 0, 0, 0, time.UTC), "20260131", "20260201"},
		{"february", time.Date(2026, 2, 28, 0, 0, 0, 0, time.UTC), "20260228", "20260301"},
		{"leap year", time.Date(2028, 2, 28, 0, 0, 0, 0, time.UTC), "20280228", "20280229"},
		{"leap day", time.Date(2028, 2, 29, 0, 0, 0, 0, time.UTC), "20280229", "20280301"},
		{"year end", time.Date(2026, 12, 31, 0, 0, 0, 0, time.UTC), "20261231", "20270101"},
		// The civil date in the value's own location counts, not the UTC one.
		{"late evening in Bucharest", time.Date(2026, 12, 31, 23, 30, 0, 0, bucharest), "20261231", "20270101"},
		{"early morning in Bucharest", time.Date(2026, 3, 29, 0, 30, 0, 0, bucharest), "20260329", "20260330"},
		{"time of day ignored", time.Date(2026, 10, 25, 17, 45, 0, 0, time.UTC), "20261025", "20261026"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			feed := writeFeed(t, Calendar{Name: "Termene", Events: []Event{{UID: "d@cadran", Day: tt.day, Summary: "Termen", Stamp: stamp}}})
			for _, line := range []string{
				"DTSTART;VALUE=DATE:" + tt.start + "\r\n",
				"DTEND;VALUE=DATE:" + tt.end + "\r\n",
			} {
				if !bytes.Contains(feed, []byte(line)) {
					t.Errorf("feed lacks %q", line)
				}
			}
			ev := decodeFeed(t, feed).Events()[0]
			for name, want := range map[string]string{"DTSTART": tt.start, "DTEND": tt.end} {
				p := ev.Props.Get(name)
				if p.ValueType() != goical.ValueDate {
					t.Errorf("%s value type = %q, want DATE", name, p.ValueType())
				}
				d, err := p.DateTime(time.UTC)
				if err != nil {
					t.Fatalf("%s: %v", name, err)
				}
				if got := d.Format("20060102"); got != want {
					t.Errorf("%s = %s, want %s", name, got, want)
				}
			}
			start, _ := ev.DateTimeStart(time.UTC)
			end, _ := ev.DateTimeEnd(time.UTC)
			if end.Sub(start) != 24*time.Hour {
				t.Errorf("DTEND - DTSTART = %v, want one day", end.Sub(start))
			}
		})
	}
}

func TestWriteICSEmpty(t *testing.T) {
	for _, c := range []Calendar{{}, {Name: "Cadran: Ana Popescu", Events: []Event{}}} {
		cal := decodeFeed(t, writeFeed(t, c))
		if n := len(cal.Events()); n != 0 {
			t.Errorf("decoded %d events, want none", n)
		}
		if text1(t, cal.Props, "PRODID") == "" || text1(t, cal.Props, "VERSION") != "2.0" {
			t.Error("an empty feed still needs PRODID and VERSION")
		}
	}
}

func TestWriteICSLongDescription(t *testing.T) {
	tests := []struct {
		name string
		text string
	}{
		{"no spaces", strings.Repeat("șțăîâȘȚĂÎÂ", 50)},
		{"words", strings.Repeat("ședință ", 62) + "șțăî"},
		{"escapes", strings.Repeat("ă,ț;ș\\î\n", 62) + "ăâîș"},
		{"one ASCII byte shifts the fold", "x" + strings.Repeat("țș", 249) + "ț"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if n := utf8.RuneCountInString(tt.text); n != 500 {
				t.Fatalf("test text has %d characters, want 500", n)
			}
			feed := writeFeed(t, Calendar{Events: []Event{{UID: "lung@cadran", Day: time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC), Description: tt.text, Stamp: stamp}}})
			folded := 0
			for line := range strings.SplitSeq(string(feed), "\r\n") {
				if strings.HasPrefix(line, " ") {
					folded++
				}
			}
			if octets := len(tt.text); folded < octets/75 {
				t.Errorf("only %d continuation lines for a %d-octet value", folded, octets)
			}
			ev := decodeFeed(t, feed).Events()[0]
			if got := text1(t, ev.Props, "DESCRIPTION"); got != tt.text {
				t.Errorf("DESCRIPTION round trip:\n got  %q\n want %q", got, tt.text)
			}
		})
	}
}

func TestWriteICSCleansText(t *testing.T) {
	feed := writeFeed(t, Calendar{Name: "Listă\r\nnouă", Events: []Event{{
		UID:         "curat@cadran",
		Day:         time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC),
		Summary:     "x\r\nEND:VEVENT\r\nBEGIN:VEVENT\rUID:fals",
		Description: "a\x00b\x0bc\x7fd\te\u0085f\xffg",
		Stamp:       stamp,
	}}})
	cal := decodeFeed(t, feed)
	if n := len(cal.Events()); n != 1 {
		t.Fatalf("decoded %d events, want 1 (a line break in text must not start a new line)", n)
	}
	ev := cal.Events()[0]
	checks := []struct{ got, want string }{
		{text1(t, cal.Props, "X-WR-CALNAME"), "Listă\nnouă"},
		{text1(t, ev.Props, "SUMMARY"), "x\nEND:VEVENT\nBEGIN:VEVENT\nUID:fals"},
		{text1(t, ev.Props, "DESCRIPTION"), "abcd\tef\uFFFDg"},
		{text1(t, ev.Props, "UID"), "curat@cadran"},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("got %q, want %q", c.got, c.want)
		}
	}
}

func TestVTimezoneMatchesGo(t *testing.T) {
	cal := decodeFeed(t, writeFeed(t, Calendar{}))
	var tz *goical.Component
	for _, c := range cal.Children {
		if c.Name == goical.CompTimezone {
			tz = c
		}
	}
	if tz == nil || text1(t, tz.Props, "TZID") != "Europe/Bucharest" {
		t.Fatal("the feed lacks the Europe/Bucharest VTIMEZONE")
	}
	loc, err := time.LoadLocation("Europe/Bucharest")
	if err != nil {
		t.Fatal(err)
	}
	for _, obs := range tz.Children {
		set, err := obs.RecurrenceSet(time.UTC) // DTSTART is local time; read it as if UTC, then shift
		if err != nil {
			t.Fatal(err)
		}
		from := parseOffset(t, obs.Props.Get("TZOFFSETFROM").Value)
		to := parseOffset(t, obs.Props.Get("TZOFFSETTO").Value)
		onsets := set.Between(time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2036, 1, 1, 0, 0, 0, 0, time.UTC), true)
		if len(onsets) != 12 {
			t.Fatalf("%s: %d onsets in 2024-2035, want 12", obs.Name, len(onsets))
		}
		for _, local := range onsets {
			instant := local.Add(-from) // local wall time in the old offset
			_, before := instant.Add(-time.Second).In(loc).Zone()
			_, after := instant.In(loc).Zone()
			if time.Duration(before)*time.Second != from || time.Duration(after)*time.Second != to {
				t.Errorf("%s onset %s: Go has offsets %ds then %ds, feed %v then %v", obs.Name, local.Format("2006-01-02 15:04"), before, after, from, to)
			}
		}
	}
}

func TestWriteICSRejects(t *testing.T) {
	day := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	ok := Event{UID: "a@cadran", Day: day, Stamp: stamp}
	with := func(f func(*Event)) []Event { e := ok; f(&e); return []Event{e} }
	tests := []struct {
		name   string
		events []Event
		want   string
	}{
		{"no UID", with(func(e *Event) { e.UID = "" }), "missing UID"},
		{"UID with a line break", with(func(e *Event) { e.UID = "a@cadran\r\nBEGIN:VEVENT" }), "control characters"},
		{"UID not UTF-8", with(func(e *Event) { e.UID = "a\xff@cadran" }), "invalid UTF-8"},
		{"no day", with(func(e *Event) { e.Day = time.Time{} }), "missing day"},
		{"no stamp", with(func(e *Event) { e.Stamp = time.Time{} }), "missing stamp"},
		{"priority too high", with(func(e *Event) { e.Priority = 10 }), "priority"},
		{"negative priority", with(func(e *Event) { e.Priority = -1 }), "priority"},
		{"relative URL", with(func(e *Event) { e.URL = "/sarcini/42" }), "not absolute"},
		{"URL with a line break", with(func(e *Event) { e.URL = "https://x.ro/\r\nBEGIN:VEVENT" }), "URL contains"},
		{"URL with a space", with(func(e *Event) { e.URL = "https://x.ro/a b" }), "URL contains"},
		{"duplicate UID", []Event{ok, ok}, "duplicate UID"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			err := WriteICS(&buf, Calendar{Events: tt.events})
			if err == nil || !strings.HasPrefix(err.Error(), "cannot write calendar: ") || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error = %v, want one about %q", err, tt.want)
			}
			if buf.Len() != 0 {
				t.Errorf("wrote %d bytes before failing", buf.Len())
			}
		})
	}
}

type failWriter struct{ err error }

func (w failWriter) Write([]byte) (int, error) { return 0, w.err }

func TestWriteICSWriteError(t *testing.T) {
	boom := errors.New("disc plin")
	err := WriteICS(failWriter{boom}, Calendar{Name: "x"})
	if !errors.Is(err, boom) || !strings.HasPrefix(err.Error(), "cannot write calendar: ") {
		t.Fatalf("error = %v, want a wrapped %v", err, boom)
	}
}

// writeFeed writes c and checks the wire format: valid UTF-8, CRLF after
// every line and nowhere else, no line longer than 75 octets, no character
// split across a fold.
func writeFeed(t *testing.T, c Calendar) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteICS(&buf, c); err != nil {
		t.Fatal(err)
	}
	feed := buf.Bytes()
	if !utf8.Valid(feed) {
		t.Fatal("the feed is not valid UTF-8")
	}
	if !bytes.HasSuffix(feed, []byte("END:VCALENDAR\r\n")) {
		t.Fatalf("the feed does not end with END:VCALENDAR CRLF: %q", feed[max(0, len(feed)-40):])
	}
	lines := strings.Split(strings.TrimSuffix(string(feed), "\r\n"), "\r\n")
	if lines[0] != "BEGIN:VCALENDAR" {
		t.Errorf("first line = %q", lines[0])
	}
	for n, line := range lines {
		if strings.ContainsAny(line, "\r\n") {
			t.Errorf("line %d has a bare CR or LF: %q", n+1, line)
		}
		if len(line) > 75 {
			t.Errorf("line %d has %d octets: %q", n+1, len(line), line)
		}
		if line == "" {
			t.Errorf("line %d is empty", n+1)
		}
		if !utf8.ValidString(line) {
			t.Errorf("line %d splits a character: %q", n+1, line)
		}
		if line[0] == ' ' && len(line) == 1 {
			t.Errorf("line %d is a continuation with nothing on it", n+1)
		}
		if line[0] == '\t' {
			t.Errorf("line %d continues with a tab; this feed uses a space", n+1)
		}
	}
	return feed
}

// decodeFeed parses feed with go-ical, an independent implementation, and
// encodes the result again, which checks PRODID and VERSION, UID and DTSTAMP
// in each VEVENT, single-valued properties and nested components.
func decodeFeed(t *testing.T, feed []byte) *goical.Calendar {
	t.Helper()
	cal, err := goical.NewDecoder(bytes.NewReader(feed)).Decode()
	if err != nil {
		t.Fatalf("go-ical cannot decode the feed: %v\n%s", err, feed)
	}
	var out bytes.Buffer
	if err := goical.NewEncoder(&out).Encode(cal); err != nil {
		t.Fatalf("go-ical rejects the decoded feed: %v\n%s", err, feed)
	}
	return cal
}

// text1 returns the one TEXT value of name, unescaped.
func text1(t *testing.T, props goical.Props, name string) string {
	t.Helper()
	if n := len(props[name]); n > 1 {
		t.Fatalf("%d %s properties, want at most one", n, name)
	}
	s, err := props.Text(name)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return s
}

// eventFrom reads a decoded VEVENT back into an Event.
func eventFrom(t *testing.T, ev goical.Event) Event {
	t.Helper()
	var e Event
	e.UID = text1(t, ev.Props, "UID")
	e.Summary = text1(t, ev.Props, "SUMMARY")
	e.Description = text1(t, ev.Props, "DESCRIPTION")
	if u := ev.Props.Get("URL"); u != nil {
		if _, err := u.URI(); err != nil {
			t.Fatal(err)
		}
		e.URL = u.Value
	}
	for _, p := range ev.Props.Values("CATEGORIES") {
		l, err := p.TextList()
		if err != nil {
			t.Fatal(err)
		}
		e.Categories = append(e.Categories, l...)
	}
	if p := ev.Props.Get("PRIORITY"); p != nil {
		n, err := p.Int()
		if err != nil {
			t.Fatal(err)
		}
		e.Priority = n
	}
	switch s := text1(t, ev.Props, "STATUS"); s {
	case "CANCELLED":
		e.Cancelled = true
	case "CONFIRMED":
	default:
		t.Errorf("STATUS = %q", s)
	}
	var err error
	if e.Day, err = ev.DateTimeStart(time.UTC); err != nil {
		t.Fatal(err)
	}
	if e.Stamp, err = ev.Props.DateTime("DTSTAMP", nil); err != nil {
		t.Fatal(err)
	}
	if ev.Props.Get("LAST-MODIFIED") != nil {
		if e.LastModified, err = ev.Props.DateTime("LAST-MODIFIED", nil); err != nil {
			t.Fatal(err)
		}
	}
	return e
}

func parseOffset(t *testing.T, s string) time.Duration {
	t.Helper()
	var sign byte
	var h, m int
	if _, err := fmt.Sscanf(s, "%c%02d%02d", &sign, &h, &m); err != nil || (sign != '+' && sign != '-') {
		t.Fatalf("bad UTC offset %q", s)
	}
	d := time.Duration(h)*time.Hour + time.Duration(m)*time.Minute
	if sign == '-' {
		d = -d
	}
	return d
}
