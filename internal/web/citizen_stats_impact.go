package web

// The impact of the citizen services: every service's indicators in the
// current period against its baseline period, each change judged by the
// indicator's direction, on the page, in a PDF and in a workbook.

import (
	"io"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"

	"cadran/internal/auth"
	"cadran/internal/citizen"
	"cadran/internal/i18n"
	"cadran/internal/report"
)

// citIndicator is one indicator of the impact report: which way is
// better and how to read it from a period's figures.
type citIndicator struct {
	Key string // citizen.pages.ind.<Key>
	// Better is +1 when higher is better, -1 when lower is better, 0 for
	// a volume, which is neither (more petitions is not worse service).
	Better   int
	Decimals int
	// Points: the value is a percentage, its change in percentage points.
	Points bool
	Value  func(citizen.Indicators) (float64, bool)
}

// citIndicators are the impact report's indicators, in order.
var citIndicators = []citIndicator{
	{Key: "registered", Value: func(i citizen.Indicators) (float64, bool) { return float64(i.Registered), true }},
	{Key: "closed", Value: func(i citizen.Indicators) (float64, bool) { return float64(i.Closed), true }},
	{Key: "avg_days", Better: -1, Decimals: 1, Value: func(i citizen.Indicators) (float64, bool) { return i.AvgDays, i.Closed > 0 }},
	{Key: "p90_days", Better: -1, Decimals: 1, Value: func(i citizen.Indicators) (float64, bool) { return i.P90Days, i.Closed > 0 }},
	{Key: "on_time_pct", Better: 1, Decimals: 1, Points: true, Value: func(i citizen.Indicators) (float64, bool) { return i.OnTimeShare * 100, i.Closed > 0 }},
	{Key: "overdue", Better: -1, Value: func(i citizen.Indicators) (float64, bool) { return float64(i.OverdueOpen), true }},
	{Key: "ratings", Value: func(i citizen.Indicators) (float64, bool) { return float64(i.Ratings), true }},
	{Key: "satisfaction", Better: 1, Decimals: 2, Value: func(i citizen.Indicators) (float64, bool) { return i.Satisfaction, i.Ratings > 0 }},
}

// Verdicts of a change.
const (
	citBetter    = "better"         // moved the good way
	citWorse     = "worse"          // moved the bad way
	citSame      = "same"           // unchanged at the precision shown
	citNeutral   = "neutral"        // a volume: changed, neither good nor bad
	citNoCompare = "not_comparable" // a figure is missing in one period
)

// citChange is one indicator compared across the two periods.
type citChange struct {
	Indicator citIndicator
	Base, Cur float64
	HasBase   bool
	HasCur    bool
	// Diff is Cur - Base at the indicator's precision; Pct the relative
	// change in percent (HasPct false when the baseline is zero).
	Diff    float64
	Pct     float64
	HasPct  bool
	Verdict string
}

// citCompare compares an indicator of the baseline with the current
// period's and judges the change by the indicator's direction.
func citCompare(ind citIndicator, base, cur citizen.Indicators, hasBaseline bool) citChange {
	c := citChange{Indicator: ind}
	c.Base, c.HasBase = ind.Value(base)
	c.HasBase = c.HasBase && hasBaseline
	c.Cur, c.HasCur = ind.Value(cur)
	if !c.HasBase || !c.HasCur {
		c.Verdict = citNoCompare
		return c
	}
	c.Diff = citRound(citRound(c.Cur, ind.Decimals)-citRound(c.Base, ind.Decimals), ind.Decimals)
	if c.Base != 0 {
		c.Pct, c.HasPct = (c.Cur-c.Base)/math.Abs(c.Base)*100, true
	}
	switch {
	case c.Diff == 0:
		c.Verdict = citSame
	case ind.Better == 0:
		c.Verdict = citNeutral
	case (c.Diff > 0) == (ind.Better > 0):
		c.Verdict = citBetter
	default:
		c.Verdict = citWorse
	}
	return c
}

// citImpactLine is a compared indicator as the page and the PDF print it.
type citImpactLine struct {
	Label, Direction, Base, Cur, Diff, Pct string
	Verdict, VerdictText, Icon             string
}

// citImpactService is a service (or a kind) with its compared indicators.
type citImpactService struct {
	Href, Code, Name string
	HasBaseline      bool
	Baseline         string // the baseline period in words
	Changes          []citChange
	Lines            []citImpactLine
	Better, Worse    int
}

type citizenImpactData struct {
	Period   citizenPick
	Services []citImpactService
	// Without counts the rows with no baseline; All is true when none has
	// one (the page then says so and points to the settings).
	Without   int
	None      bool
	CanManage bool
}

// citSigned prints a change with its sign.
func citSigned(l *i18n.Localizer, f float64, decimals int) string {
	s := l.Decimal(f, decimals)
	if f > 0 {
		s = "+" + s
	}
	return s
}

var citIcons = map[string]string{citBetter: "▲", citWorse: "▼", citSame: "=", citNeutral: "↕", citNoCompare: "—"}

func citImpactLines(l *i18n.Localizer, changes []citChange) []citImpactLine {
	out := make([]citImpactLine, 0, len(changes))
	for _, c := range changes {
		ind := c.Indicator
		ln := citImpactLine{Label: l.T("citizen.pages.ind." + ind.Key), Base: citNone, Cur: citNone, Diff: citNone, Pct: citNone, Verdict: c.Verdict,
			VerdictText: l.T("citizen.pages.impact.verdict." + c.Verdict), Icon: citIcons[c.Verdict]}
		switch ind.Better {
		case 1:
			ln.Direction = l.T("citizen.pages.impact.higher_better")
		case -1:
			ln.Direction = l.T("citizen.pages.impact.lower_better")
		default:
			ln.Direction = l.T("citizen.pages.impact.no_direction")
		}
		unit := ""
		if ind.Points {
			unit = " %"
		}
		if c.HasBase {
			ln.Base = l.Decimal(c.Base, ind.Decimals) + unit
		}
		if c.HasCur {
			ln.Cur = l.Decimal(c.Cur, ind.Decimals) + unit
		}
		if c.HasBase && c.HasCur {
			ln.Diff = citSigned(l, c.Diff, ind.Decimals)
			if ind.Points {
				ln.Diff += " " + l.T("citizen.pages.impact.pp")
			}
			if c.HasPct {
				ln.Pct = citSigned(l, c.Pct, 1) + " %"
			}
		}
		out = append(out, ln)
	}
	return out
}

// citizenImpactBuild compares every service's current period with its
// baseline.
func (s *Server) citizenImpactBuild(r *http.Request) (*citizenImpactData, error) {
	a := actorOf(r)
	if err := a.Require(auth.PermCitizenStats); err != nil {
		return nil, err
	}
	pick := s.citizenPickPeriod(r)
	imp, err := s.citizen.Impact(r.Context(), a, pick.From, pick.To)
	if err != nil {
		return nil, err
	}
	l := localizer(r)
	d := &citizenImpactData{Period: pick, CanManage: a.Can(auth.PermCitizenManage)}
	for _, row := range imp.Rows {
		sv := citImpactService{Code: row.Code, Name: citizenRowName(l, row.IndicatorRow), HasBaseline: !row.BaselineFrom.IsZero() && !row.BaselineTo.IsZero()}
		if row.ServiceID != 0 {
			sv.Href = "/citizen/services/" + strconv.FormatInt(row.ServiceID, 10)
		}
		if sv.HasBaseline {
			sv.Baseline = l.Date(row.BaselineFrom) + " – " + l.Date(row.BaselineTo)
		} else {
			d.Without++
		}
		for _, ind := range citIndicators {
			c := citCompare(ind, row.Baseline, row.Indicators, sv.HasBaseline)
			sv.Changes = append(sv.Changes, c)
			switch c.Verdict {
			case citBetter:
				sv.Better++
			case citWorse:
				sv.Worse++
			}
		}
		sv.Lines = citImpactLines(l, sv.Changes)
		d.Services = append(d.Services, sv)
	}
	d.None = d.Without == len(d.Services)
	return d, nil
}

// citizenImpact is the impact page.
func (s *Server) citizenImpact(w http.ResponseWriter, r *http.Request) error {
	d, err := s.citizenImpactBuild(r)
	if err != nil {
		return err
	}
	p := s.page(r, "citizen.pages.impact.title", d)
	if d.Period.Error != "" {
		p.Error = p.T(d.Period.Error)
	}
	return s.render(w, http.StatusOK, "citizen_impact", p)
}

// citizenImpactPDF prints the impact report as a landscape table.
func (s *Server) citizenImpactPDF(w http.ResponseWriter, r *http.Request) error {
	d, err := s.citizenImpactBuild(r)
	if err != nil {
		return err
	}
	inst, err := s.org.Institution(r.Context(), actorOf(r))
	if err != nil {
		return err
	}
	l := localizer(r)
	t := report.PDFTable{Title: l.T("citizen.pages.impact.title"),
		Subtitle: inst.Name + " · " + l.T("citizen.pages.impact.current") + ": " + l.Date(d.Period.From) + " – " + l.Date(d.Period.To) + " · " + l.T("citizen.pages.impact.printed", "Date", l.Date(s.clock.Now())),
		Columns: []string{l.T("citizen.pages.ind.service"), l.T("citizen.pages.impact.indicator"), l.T("citizen.pages.impact.baseline"), l.T("citizen.pages.impact.current"),
			l.T("citizen.pages.impact.change"), l.T("citizen.pages.impact.change_pct"), l.T("citizen.pages.impact.assessment")},
		Widths: []float64{3.2, 2.6, 1.3, 1.3, 1.3, 1.1, 2.4}, Footer: "Cadran · " + l.T("citizen.pages.impact.title"), PageLabel: l.T("print.page"), OfLabel: l.T("print.of")}
	for _, sv := range d.Services {
		head := strings.TrimSpace(sv.Code + " " + sv.Name)
		if sv.HasBaseline {
			head += "\n" + l.T("citizen.pages.impact.baseline") + ": " + sv.Baseline
		} else {
			head += "\n" + l.T("citizen.pages.impact.no_baseline_short")
		}
		for i, ln := range sv.Lines {
			first := ""
			if i == 0 {
				first = head
			}
			t.Rows = append(t.Rows, []string{first, ln.Label + " (" + ln.Direction + ")", ln.Base, ln.Cur, ln.Diff, ln.Pct, ln.VerdictText})
		}
	}
	name := l.T("citizen.pages.impact.file") + "-" + d.Period.From.Format(time.DateOnly) + "-" + d.Period.To.Format(time.DateOnly)
	return sendFile(w, name, "pdf", func(b io.Writer) error { return report.WriteTablePDF(b, t) })
}

// citizenImpactXLSX sends the impact report as a workbook, one line per
// service and indicator, with numbers a spreadsheet can compute with.
func (s *Server) citizenImpactXLSX(w http.ResponseWriter, r *http.Request) error {
	d, err := s.citizenImpactBuild(r)
	if err != nil {
		return err
	}
	l := localizer(r)
	t := report.Table{Sheet: l.T("citizen.pages.impact.title"), Headers: []string{l.T("citizen.pages.svc.code"), l.T("citizen.pages.ind.service"),
		l.T("citizen.pages.impact.baseline"), l.T("citizen.pages.ind.from"), l.T("citizen.pages.ind.to"), l.T("citizen.pages.impact.indicator"),
		l.T("citizen.pages.impact.direction"), l.T("citizen.pages.impact.baseline"), l.T("citizen.pages.impact.current"), l.T("citizen.pages.impact.change"),
		l.T("citizen.pages.impact.change_pct"), l.T("citizen.pages.impact.assessment")}}
	for _, sv := range d.Services {
		base := sv.Baseline
		if !sv.HasBaseline {
			base = l.T("citizen.pages.impact.no_baseline_short")
		}
		for i, c := range sv.Changes {
			ln := sv.Lines[i]
			num := func(ok bool, v float64, dec int) any {
				if !ok {
					return ""
				}
				return citRound(v, dec)
			}
			t.Rows = append(t.Rows, []any{sv.Code, sv.Name, base, d.Period.From, d.Period.To, ln.Label, ln.Direction,
				num(c.HasBase, c.Base, c.Indicator.Decimals), num(c.HasCur, c.Cur, c.Indicator.Decimals),
				num(c.HasBase && c.HasCur, c.Diff, c.Indicator.Decimals), num(c.HasPct, c.Pct, 1), ln.VerdictText})
		}
	}
	name := l.T("citizen.pages.impact.file") + "-" + d.Period.From.Format(time.DateOnly) + "-" + d.Period.To.Format(time.DateOnly)
	return sendTables(w, r, name, t)
}
