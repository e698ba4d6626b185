package compliance

import (
	"fmt"
	"html"
	"strings"
	"time"
)

// TimelineLabels are the words of the certificate timeline, in the
// reader's language.
type TimelineLabels struct {
	Title string
	Today string
	// Kinds names the audits and deadlines by kind (short, "Supr. 1").
	Kinds map[string]string
	// Issued and Expires label the certificate's ends.
	Issued, Expires string
	// Held, Planned, Due, Late describe a milestone or an audit for screen
	// readers.
	Held, Planned, Due, Late string
	Date                     func(time.Time) string
}

// TimelineSVG draws a certificate's cycle: the three years from issue to
// expiry with the year marks, the deadlines of the surveillance and
// recertification audits (green once held, red when late), the audits
// recorded (filled when held, hollow when planned) and today. The same
// SVG serves the page and print; a description lists everything for screen
// readers.
func TimelineSVG(cy Cycle, today time.Time, l TimelineLabels) string {
	if cy.Certificate == nil {
		return ""
	}
	const w, h, left, right, axisY = 760.0, 170.0, 30.0, 30.0, 92.0
	issued, _ := parseDay(cy.Certificate.IssuedOn)
	expires, _ := parseDay(cy.Certificate.ExpiresOn)
	start, end := issued, expires
	for _, x := range cy.Audits {
		if d, ok := parseDay(x.StartsOn); ok && d.Before(start) {
			start = d
		}
	}
	start = start.AddDate(0, -1, 0)
	end = end.AddDate(0, 1, 0)
	if today.After(end) {
		end = today.AddDate(0, 1, 0)
	}
	span := end.Sub(start).Hours()
	x := func(t time.Time) float64 { return left + (w-left-right)*t.Sub(start).Hours()/span }
	date := func(t time.Time) string {
		if l.Date != nil {
			return l.Date(t)
		}
		return t.Format("02.01.2006")
	}
	esc := html.EscapeString
	var b, desc strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" class="timeline" viewBox="0 0 %.0f %.0f" width="100%%" role="img" aria-labelledby="tl-title tl-desc">`, w, h)
	fmt.Fprintf(&b, `<title id="tl-title">%s</title>`, esc(l.Title))
	// The axis, the certificate's validity and the years.
	fmt.Fprintf(&b, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="#5b6b7d" stroke-width="2"/>`, left, axisY, w-right, axisY)
	fmt.Fprintf(&b, `<rect x="%.1f" y="%.1f" width="%.1f" height="8" fill="#cfe3d4"/>`, x(issued), axisY-4, x(expires)-x(issued))
	for y := start.Year() + 1; y <= end.Year(); y++ {
		t := time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC)
		if t.After(end) {
			break
		}
		fmt.Fprintf(&b, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="#5b6b7d"/><text x="%.1f" y="%.1f" font-size="11" text-anchor="middle" fill="#3b4652">%d</text>`,
			x(t), axisY-6, x(t), axisY+6, x(t), axisY+20, y)
	}
	fmt.Fprintf(&desc, "%s: %s. %s: %s.", l.Issued, date(issued), l.Expires, date(expires))
	mark := func(t time.Time, label, color string, y float64) {
		fmt.Fprintf(&b, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="%s" stroke-dasharray="3 2"/>`, x(t), y+4, x(t), axisY, color)
		fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" font-size="11" text-anchor="middle" fill="%s">%s</text>`, x(t), y, color, esc(label))
	}
	mark(issued, l.Issued, "#1d5b2c", 14)
	for i, m := range cy.Milestones {
		due, _ := parseDay(m.Due)
		color, state := "#4a4a4a", l.Due
		switch {
		case m.Held:
			color, state = "#1d5b2c", l.Held
		case m.Overdue:
			color, state = "#a11d1d", l.Late
		case m.AuditID != 0:
			color, state = "#1f3f77", l.Planned
		}
		label := l.Kinds[m.Kind]
		if m.Kind == KindRecertification {
			label = l.Expires
		}
		mark(due, label, color, 30+float64(i%2)*14)
		fmt.Fprintf(&desc, " %s — %s %s: %s.", l.Kinds[m.Kind], l.Due, date(due), state)
	}
	// The audits recorded.
	for i, a := range cy.Audits {
		d, ok := parseDay(a.StartsOn)
		if !ok {
			continue
		}
		held := a.StartsOn <= dayString(today)
		fill, state := "#ffffff", l.Planned
		if held {
			fill, state = "#2f5d8a", l.Held
		}
		fmt.Fprintf(&b, `<a href="/compliance/audits/%d"><circle cx="%.1f" cy="%.1f" r="6" fill="%s" stroke="#2f5d8a" stroke-width="2"><title>%s</title></circle>`,
			a.ID, x(d), axisY, fill, esc(l.Kinds[a.Kind]+" · "+date(d)+" · "+state))
		fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" font-size="10" text-anchor="middle" fill="#2f5d8a">%s</text></a>`, x(d), axisY+36+float64(i%2)*13, esc(l.Kinds[a.Kind]))
		fmt.Fprintf(&desc, " %s, %s: %s.", l.Kinds[a.Kind], date(d), state)
	}
	// Today.
	fmt.Fprintf(&b, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="#b58100" stroke-width="2"/><text x="%.1f" y="%.1f" font-size="11" text-anchor="middle" fill="#6b4d00">%s</text>`,
		x(today), axisY-14, x(today), axisY+14, x(today), h-6, esc(l.Today))
	fmt.Fprintf(&b, `<desc id="tl-desc">%s</desc></svg>`, esc(strings.TrimSpace(desc.String())))
	return b.String()
}
