package web

// The indicators of the service catalogue: the period picker every
// statistics page shares, the formatting of the figures, and the
// indicators page with its export.

import (
	"math"
	"net/http"
	"strconv"
	"time"

	"cadran/internal/auth"
	"cadran/internal/citizen"
	"cadran/internal/i18n"
	"cadran/internal/report"
	"cadran/internal/work"
)

// citizenPeriod is a period of whole days, both ends included.
type citizenPeriod struct {
	From, To time.Time
}

// citizenLast12 is the last 12 complete months before today's month.
func citizenLast12(today time.Time) citizenPeriod {
	first := time.Date(today.Year(), today.Month(), 1, 0, 0, 0, 0, time.UTC)
	return citizenPeriod{From: first.AddDate(-1, 0, 0), To: first.AddDate(0, 0, -1)}
}

// citizenPick is the period chosen on a statistics page: the last 12
// complete months (the default), a calendar year, or any from–to range.
type citizenPick struct {
	citizenPeriod
	Mode             string // last12, year, range
	Year             int
	Years            []int
	FromText, ToText string
	// Error is the message key when the range typed could not be used
	// (the default period is shown instead).
	Error string
	// Query is the period as query parameters, for links and downloads.
	Query string
}

// citizenPickPeriod reads ?year= or ?from=&to= (YYYY-MM-DD). The end is
// never later than today: the figures of a day not yet lived are none.
func (s *Server) citizenPickPeriod(r *http.Request) citizenPick {
	q := r.URL.Query()
	today := work.Day(s.clock.Now())
	p := citizenPick{Mode: "last12", citizenPeriod: citizenLast12(today)}
	for y := today.Year(); y > today.Year()-6; y-- {
		p.Years = append(p.Years, y)
	}
	from, to := q.Get("from"), q.Get("to")
	if year, err := strconv.Atoi(q.Get("year")); err == nil && from == "" && to == "" {
		if year < 2000 || year > today.Year() {
			p.Error = "citizen.pages.period.invalid_year"
		} else {
			p.Mode, p.Year = "year", year
			p.citizenPeriod = citizenPeriod{From: time.Date(year, 1, 1, 0, 0, 0, 0, time.UTC), To: time.Date(year, 12, 31, 0, 0, 0, 0, time.UTC)}
		}
	} else if from != "" || to != "" {
		f, okF := citizenFormDay(from)
		t, okT := citizenFormDay(to)
		switch {
		case !okF || !okT || f.IsZero() || t.IsZero():
			p.Error = "citizen.pages.period.invalid_date"
		case t.Before(f):
			p.Error = "citizen.pages.period.invalid_order"
		default:
			p.Mode = "range"
			p.citizenPeriod = citizenPeriod{From: f, To: t}
		}
		p.FromText, p.ToText = from, to
	}
	if p.To.After(today) {
		p.To = today
	}
	if p.From.After(p.To) {
		p.From = p.To
	}
	if p.FromText == "" || p.Error == "" {
		p.FromText, p.ToText = p.From.Format(time.DateOnly), p.To.Format(time.DateOnly)
	}
	switch p.Mode {
	case "year":
		p.Query = "?year=" + strconv.Itoa(p.Year)
	case "range":
		p.Query = "?from=" + p.From.Format(time.DateOnly) + "&to=" + p.To.Format(time.DateOnly)
	}
	return p
}

// citStatCells are a row's indicators as the pages print them; a figure
// with nothing to compute it from is "—".
type citStatCells struct {
	Registered, Closed, Avg, P90, OnTime, Overdue, Ratings, Satisfaction string
	// Bar is the share on time, 0 to 100, for its bar (HasShare false: none).
	Bar      float64
	HasShare bool
	// Late marks a row with open cases past their deadline.
	Late bool
}

const citNone = "—"

func citStatFormat(l *i18n.Localizer, in citizen.Indicators) citStatCells {
	c := citStatCells{Registered: l.Number(in.Registered), Closed: l.Number(in.Closed), Avg: citNone, P90: citNone, OnTime: citNone,
		Overdue: l.Number(in.OverdueOpen), Ratings: l.Number(in.Ratings), Satisfaction: citNone, Late: in.OverdueOpen > 0}
	if in.Closed > 0 {
		c.Avg, c.P90 = l.Decimal(in.AvgDays, 1), l.Decimal(in.P90Days, 1)
		c.OnTime, c.Bar, c.HasShare = l.Decimal(in.OnTimeShare*100, 1)+" %", in.OnTimeShare*100, true
	}
	if in.Ratings > 0 {
		c.Satisfaction = l.Decimal(in.Satisfaction, 2)
	}
	return c
}

// citStatValues are a row's indicators as XLSX cells: numbers, or empty
// where there is nothing to compute them from.
func citStatValues(in citizen.Indicators) []any {
	avg, p90, share, sat := any(""), any(""), any(""), any("")
	if in.Closed > 0 {
		avg, p90, share = citRound(in.AvgDays, 1), citRound(in.P90Days, 1), citRound(in.OnTimeShare*100, 1)
	}
	if in.Ratings > 0 {
		sat = citRound(in.Satisfaction, 2)
	}
	return []any{in.Registered, in.Closed, avg, p90, in.OnTime, share, in.OverdueOpen, in.Ratings, sat}
}

func citRound(f float64, decimals int) float64 {
	p := math.Pow(10, float64(decimals))
	return math.Round(f*p) / p
}

// citStatHeaders are the headers of citStatValues.
func citStatHeaders(l *i18n.Localizer) []string {
	return []string{l.T("citizen.pages.ind.registered"), l.T("citizen.pages.ind.closed"), l.T("citizen.pages.ind.avg_days"), l.T("citizen.pages.ind.p90_days"),
		l.T("citizen.pages.ind.on_time_count"), l.T("citizen.pages.ind.on_time_pct"), l.T("citizen.pages.ind.overdue"), l.T("citizen.pages.ind.ratings"),
		l.T("citizen.pages.ind.satisfaction")}
}

// citStatRow is a line of the indicators page.
type citStatRow struct {
	Href  string // the service's page; empty for a kind's row
	Code  string
	Name  string
	Cells citStatCells
}

type citizenIndicatorsData struct {
	Period   citizenPick
	Services []citStatRow
	Kinds    []citStatRow
	Total    citStatCells
	// Notes explain each indicator: how it is computed, and the scorecard.
	Notes  []string
	CanKPI bool
}

// citizenRowName is a row's name: the service's, or the kind's in words.
func citizenRowName(l *i18n.Localizer, r citizen.IndicatorRow) string {
	if r.ServiceID == 0 {
		return l.T("citizen.kinds." + r.Kind)
	}
	return r.Name
}

// citizenIndicators is every service's and kind's indicators over the
// period, with their total and how each is computed.
func (s *Server) citizenIndicators(w http.ResponseWriter, r *http.Request) error {
	a := actorOf(r)
	if err := a.Require(auth.PermCitizenStats); err != nil {
		return err
	}
	pick := s.citizenPickPeriod(r)
	set, err := s.citizen.ServiceIndicators(r.Context(), a, pick.From, pick.To)
	if err != nil {
		return err
	}
	l := localizer(r)
	d := &citizenIndicatorsData{Period: pick, Total: citStatFormat(l, set.Total), CanKPI: a.Can(auth.PermScorecardManage)}
	for _, row := range set.Rows {
		sr := citStatRow{Code: row.Code, Name: citizenRowName(l, row), Cells: citStatFormat(l, row.Indicators)}
		if row.ServiceID != 0 {
			sr.Href = "/citizen/services/" + strconv.FormatInt(row.ServiceID, 10)
			d.Services = append(d.Services, sr)
		} else {
			d.Kinds = append(d.Kinds, sr)
		}
	}
	for _, k := range []string{"registered", "closed", "avg_days", "p90_days", "on_time_pct", "overdue", "satisfaction"} {
		d.Notes = append(d.Notes, k)
	}
	p := s.page(r, "citizen.pages.ind.title", d)
	if pick.Error != "" {
		p.Error = p.T(pick.Error)
	}
	return s.render(w, http.StatusOK, "citizen_indicators", p)
}

// citizenIndicatorsExport sends the indicators of the period as XLSX.
func (s *Server) citizenIndicatorsExport(w http.ResponseWriter, r *http.Request) error {
	a := actorOf(r)
	if err := a.Require(auth.PermCitizenStats); err != nil {
		return err
	}
	pick := s.citizenPickPeriod(r)
	set, err := s.citizen.ServiceIndicators(r.Context(), a, pick.From, pick.To)
	if err != nil {
		return err
	}
	l := localizer(r)
	t := report.Table{Sheet: l.T("citizen.pages.ind.title"), Headers: append([]string{l.T("citizen.pages.ind.from"), l.T("citizen.pages.ind.to"),
		l.T("citizen.pages.svc.code"), l.T("citizen.pages.ind.service")}, citStatHeaders(l)...)}
	for _, row := range set.Rows {
		t.Rows = append(t.Rows, append([]any{pick.From, pick.To, row.Code, citizenRowName(l, row)}, citStatValues(row.Indicators)...))
	}
	t.Rows = append(t.Rows, append([]any{pick.From, pick.To, "", l.T("citizen.pages.ind.total")}, citStatValues(set.Total)...))
	name := l.T("citizen.pages.ind.export_file") + "-" + pick.From.Format(time.DateOnly) + "-" + pick.To.Format(time.DateOnly)
	return sendTables(w, r, name, t)
}
