package web

import (
	"context"
	"errors"
	"html/template"
	"math"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"cadran/internal/apperr"
	"cadran/internal/audit"
	"cadran/internal/auth"
	"cadran/internal/i18n"
	"cadran/internal/report"
	"cadran/internal/scorecard"
)

// kpiChartPeriods is how many periods the KPI page shows by default.
const kpiChartPeriods = 36

// kpiValueRow is one period of the KPI page's table of values.
type kpiValueRow struct {
	Period      scorecard.Period
	Point       scorecard.Point
	Measurement *scorecard.Measurement
}

// kpiTargetRow is one line of the targets form.
type kpiTargetRow struct {
	Index  int
	Period string // key; "" for the row that adds a period
	Label  string
	Value  string // as typed or as saved
	High   string
	Error  string // message key
}

type kpiShowData struct {
	KPI        scorecard.KPI
	From, To   scorecard.Period
	Chart      template.HTML
	Rows       []kpiValueRow
	History    []scorecard.Change
	Targets    []kpiTargetRow
	TargetErrs []kpiTargetRow // the rows with a problem, for the summary
	Events     []audit.Stored
	CanManage  bool
	CanMeasure bool
	GridLink   string
}

// kpiRange reads ?from= and ?to= (period keys of any frequency); without
// them the page shows the last 36 periods that have ended.
func (s *Server) kpiRange(r *http.Request, k scorecard.KPI) (scorecard.Period, scorecard.Period) {
	to := scorecard.Containing(k.Frequency, s.clock.Now()).Prev()
	if p, err := scorecard.ParsePeriod(r.URL.Query().Get("to")); err == nil {
		to = scorecard.Containing(k.Frequency, p.Last())
	}
	from := to
	for range kpiChartPeriods - 1 {
		from = from.Prev()
	}
	if p, err := scorecard.ParsePeriod(r.URL.Query().Get("from")); err == nil {
		from = scorecard.Containing(k.Frequency, p.Start())
	}
	if to.Before(from) {
		from = to
	}
	return from, to
}

// kpiAxisLabel is a period as the chart's axis writes it: "oct. 2026".
func kpiAxisLabel(p scorecard.Period, lang string) string {
	if p.Freq == scorecard.Monthly {
		ro := []string{"ian.", "feb.", "mar.", "apr.", "mai", "iun.", "iul.", "aug.", "sept.", "oct.", "nov.", "dec."}
		if lang == "en" {
			return time.Month(p.N).String()[:3] + " " + strconv.Itoa(p.Year)
		}
		return ro[p.N-1] + " " + strconv.Itoa(p.Year)
	}
	return p.Label(lang)
}

// kpiTrendChart draws the KPI's series.
func kpiTrendChart(p *Page, l *i18n.Localizer, k scorecard.KPI, pts []scorecard.Point) template.HTML {
	c := report.TrendChart{Title: l.T("scorecard.kpi_page.chart_title", "Code", k.Code, "Name", k.Name), Red: k.Red, RedHigh: k.RedHigh,
		ValueLabel: l.T("scorecard.kpi_page.chart_value"), TargetLabel: l.T("scorecard.kpi_page.chart_target"),
		RedLabel: l.T("scorecard.kpi_page.chart_red"), EmptyLabel: l.T("scorecard.kpi_page.chart_empty"),
		Format: func(f float64) string { return l.Decimal(f, k.Decimals) }}
	if k.Polarity != scorecard.PolarityBand {
		c.RedHigh = nil
	}
	for _, pt := range pts {
		tp := report.TrendPoint{Label: kpiAxisLabel(pt.Period, l.Lang()), Value: pt.Value, Status: scorecard.StatusNone}
		if pt.Target != nil {
			v := pt.Target.Value
			tp.Target, tp.TargetHigh = &v, pt.Target.High
		}
		if pt.HasData {
			tp.Status = pt.Result.Status
		}
		if pt.Value != nil {
			tp.Title = l.T("scorecard.kpi_page.point", "Period", pt.Period.Label(l.Lang()), "Value", p.KPIValue(pt.Value, k),
				"Status", l.T("scorecard.status."+tp.Status), "Target", p.KPITarget(pt.Target, k))
		}
		c.Points = append(c.Points, tp)
	}
	return template.HTML(report.TrendChartSVG(c))
}

// kpiShowLoad gathers the KPI page.
func (s *Server) kpiShowLoad(ctx context.Context, r *http.Request, p *Page, id int64) (*kpiShowData, error) {
	a := actorOf(r)
	l := localizer(r)
	k, err := s.scorecard.KPI(ctx, a, id)
	if err != nil {
		return nil, err
	}
	d := &kpiShowData{KPI: k, CanManage: a.Can(auth.PermScorecardManage), CanMeasure: a.Can(auth.PermScorecardMeasure)}
	d.From, d.To = s.kpiRange(r, k)
	pts, err := s.scorecard.Series(ctx, a, id, d.From, d.To)
	if err != nil {
		return nil, err
	}
	if len(pts) > 0 {
		d.From, d.To = pts[0].Period, pts[len(pts)-1].Period
	}
	d.Chart = kpiTrendChart(p, l, k, pts)
	ms, err := s.scorecard.Measurements(ctx, a, id)
	if err != nil {
		return nil, err
	}
	byPeriod := make(map[string]*scorecard.Measurement, len(ms))
	for i := range ms {
		byPeriod[ms[i].Period] = &ms[i]
	}
	for i := len(pts) - 1; i >= 0; i-- {
		pt := pts[i]
		d.Rows = append(d.Rows, kpiValueRow{Period: pt.Period, Point: pt, Measurement: byPeriod[pt.Period.Key()]})
	}
	if d.History, err = s.scorecard.History(ctx, a, id); err != nil {
		return nil, err
	}
	targets, err := s.scorecard.Targets(ctx, a, id)
	if err != nil {
		return nil, err
	}
	d.Targets = kpiTargetRows(l.Lang(), k, targets, d.From, d.To)
	if d.Events, _, err = audit.List(ctx, s.db.R, a.Tenant, audit.Filter{Entity: scorecard.EntityKPI, EntityID: id, Limit: 50}); err != nil {
		return nil, err
	}
	d.GridLink = scorecard.GridLink(k.Frequency, d.To.Year)
	return d, nil
}

// kpiTargetRows lists a line per year of the range and the next year,
// every period target already set, and an empty line to add one.
func kpiTargetRows(lang string, k scorecard.KPI, ts []scorecard.Target, from, to scorecard.Period) []kpiTargetRow {
	byKey := map[string]scorecard.Target{}
	var keys []string
	for _, t := range ts {
		byKey[t.Period] = t
		keys = append(keys, t.Period)
	}
	for y := from.Year; y <= to.Year+1; y++ {
		if key := strconv.Itoa(y); !slices.Contains(keys, key) {
			keys = append(keys, key)
		}
	}
	slices.SortFunc(keys, func(a, b string) int {
		pa, ea := scorecard.ParsePeriod(a)
		pb, eb := scorecard.ParsePeriod(b)
		if ea != nil || eb != nil {
			return strings.Compare(a, b)
		}
		// A year's target first, then its periods', in order.
		if c := pa.Year - pb.Year; c != 0 {
			return c
		}
		if (pa.Freq == scorecard.Yearly) != (pb.Freq == scorecard.Yearly) {
			if pa.Freq == scorecard.Yearly {
				return -1
			}
			return 1
		}
		return pa.N - pb.N
	})
	out := make([]kpiTargetRow, 0, len(keys)+1)
	for i, key := range keys {
		row := kpiTargetRow{Index: i, Period: key}
		if p, err := scorecard.ParsePeriod(key); err == nil {
			row.Label = p.Label(lang)
		}
		if t, ok := byKey[key]; ok {
			v := t.Value
			row.Value, row.High = kpiFormNumber(lang, &v), kpiFormNumber(lang, t.High)
		}
		out = append(out, row)
	}
	return append(out, kpiTargetRow{Index: len(keys)})
}

// kpiShow is a KPI's page.
func (s *Server) kpiShow(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	p := s.page(r, "scorecard.kpi_page.title", nil)
	d, err := s.kpiShowLoad(r.Context(), r, p, id)
	if err != nil {
		return err
	}
	p.Data = d
	p.Title = d.KPI.Code + " " + d.KPI.Name
	return s.render(w, http.StatusOK, "kpi_show", p)
}

// kpiTargets saves the targets form: a line with a value sets the
// period's target, a line emptied removes it.
func (s *Server) kpiTargets(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	a := actorOf(r)
	k, err := s.scorecard.KPI(r.Context(), a, id)
	if err != nil {
		return err
	}
	if err := a.Require(auth.PermScorecardManage); err != nil {
		return err
	}
	n, _ := strconv.Atoi(r.FormValue("t_count"))
	n = min(max(n, 0), 1000)
	var ts []scorecard.Target
	var rows []kpiTargetRow
	bad := apperr.Validation{}
	for i := range n + 1 {
		idx := strconv.Itoa(i)
		row := kpiTargetRow{Index: i, Period: strings.TrimSpace(r.FormValue("t_period_" + idx)), Value: r.FormValue("t_value_" + idx), High: r.FormValue("t_high_" + idx)}
		had := r.FormValue("t_had_"+idx) == "1"
		if row.Period == "" && strings.TrimSpace(row.Value) == "" {
			continue
		}
		key := row.Period
		if p, err := scorecard.ParsePeriod(row.Period); err == nil {
			key, row.Label = p.Key(), p.Label(localizer(r).Lang())
		}
		rows = append(rows, row)
		v, ok := kpiParseNumber(row.Value)
		hi, okHi := kpiParseNumber(row.High)
		switch {
		case row.Period == "":
			bad.Add("kpi_target_", "scorecard.error.period")
		case !ok || !okHi:
			bad.Add("kpi_target_"+key, "scorecard.error.number")
		case v == nil && had:
			ts = append(ts, scorecard.Target{Period: row.Period, Value: math.NaN()})
		case v == nil && hi != nil:
			bad.Add("kpi_target_"+key, "scorecard.error.number")
		case v != nil:
			ts = append(ts, scorecard.Target{Period: row.Period, Value: *v, High: hi})
		}
	}
	if len(bad) == 0 {
		err = s.scorecard.SetTargets(r.Context(), a, id, formVersion(r), ts)
		if err == nil {
			s.flash(r, "scorecard.kpi_page.flash.targets")
			return redirect(w, r, "/scorecard/kpis/"+strconv.FormatInt(id, 10)+"#targets")
		}
	} else {
		err = bad
	}
	v, isV := apperr.AsValidation(err)
	var ae *apperr.Error
	if !isV && !(errors.As(err, &ae) && ae.Kind == apperr.KindConflict) {
		return err
	}
	p := s.page(r, "scorecard.kpi_page.title", nil)
	d, lerr := s.kpiShowLoad(r.Context(), r, p, id)
	if lerr != nil {
		return lerr
	}
	// Keep what was typed: the saved rows, overlaid with the typed ones.
	typed := map[string]kpiTargetRow{}
	for _, row := range rows {
		typed[row.Period] = row
	}
	for i, row := range d.Targets {
		if t, ok := typed[row.Period]; ok && row.Period != "" {
			d.Targets[i].Value, d.Targets[i].High = t.Value, t.High
			delete(typed, row.Period)
		}
	}
	last := d.Targets[len(d.Targets)-1]
	d.Targets = d.Targets[:len(d.Targets)-1]
	for _, row := range rows {
		if _, ok := typed[row.Period]; ok {
			row.Index = len(d.Targets)
			d.Targets = append(d.Targets, row)
		}
	}
	last.Index = len(d.Targets)
	d.Targets = append(d.Targets, last)
	for i, row := range d.Targets {
		key := row.Period
		if pp, err := scorecard.ParsePeriod(row.Period); err == nil {
			key = pp.Key()
		}
		if msg, ok := v["kpi_target_"+key]; ok {
			d.Targets[i].Error = msg
			if d.Targets[i].Label == "" {
				d.Targets[i].Label = row.Period
			}
			d.TargetErrs = append(d.TargetErrs, d.Targets[i])
		}
	}
	if msg, ok := v["kpi_target_"]; ok {
		d.TargetErrs = append(d.TargetErrs, kpiTargetRow{Label: "—", Error: msg})
	}
	p.Data = d
	p.Title = k.Code + " " + k.Name
	status := http.StatusUnprocessableEntity
	if isV {
		p.Error = p.T("error.invalid")
		// Problems on the KPI's own fields (a target against its thresholds).
		for field, key := range v {
			if !strings.HasPrefix(field, "kpi_target_") {
				d.TargetErrs = append(d.TargetErrs, kpiTargetRow{Label: p.T("field." + field), Error: key})
			}
		}
	} else {
		status = http.StatusConflict
		p.Error = p.T(ae.Key, ae.Args)
	}
	return s.render(w, status, "kpi_show", p)
}
