package web

// The KPI pages, targets, the measurement grid, approvals, personal access
// tokens and the JSON endpoint live in their own files:
//   kpi_list.go          /scorecard/kpis and its XLSX export
//   kpi_form.go          new, edit and archive a KPI
//   kpi_show.go          a KPI's page: trend chart, values, history, targets
//   measure_grid.go      the measurement grid and the refresh button
//   measure_approval.go  values waiting for their owner's approval
//   token_pages.go       /account/tokens
//   api_measurements.go  GET and POST /api/v1/kpis/{code}/measurements
// This file holds what they share: numbers typed with a decimal comma and
// the status of each KPI for the month.

import (
	"context"
	"math"
	"strconv"
	"strings"

	"cadran/internal/auth"
	"cadran/internal/scorecard"
)

// kpiParseNumber reads a number as people type it: "93,5", "93.5",
// "1.234,5", "1 234,5". Empty is nil; ok is false for text that is not a
// number.
func kpiParseNumber(s string) (f *float64, ok bool) {
	s = strings.NewReplacer(" ", "", "\u00a0", "", "\u202f", "", "'", "").Replace(strings.TrimSpace(s))
	if s == "" {
		return nil, true
	}
	s = strings.Replace(s, "−", "-", 1)
	dot, comma := strings.LastIndex(s, "."), strings.LastIndex(s, ",")
	switch {
	case dot >= 0 && comma >= 0 && comma > dot: // 1.234,5
		s = strings.ReplaceAll(s, ".", "")
		s = strings.Replace(s, ",", ".", 1)
	case dot >= 0 && comma >= 0: // 1,234.5
		s = strings.ReplaceAll(s, ",", "")
	case comma >= 0:
		if strings.Count(s, ",") > 1 {
			return nil, false
		}
		s = strings.Replace(s, ",", ".", 1)
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		return nil, false
	}
	return &v, true
}

// kpiFormNumber writes a number for a form field, without thousands
// separators so that it reads back the same, with the decimal comma in
// Romanian.
func kpiFormNumber(lang string, f *float64) string {
	if f == nil {
		return ""
	}
	s := strconv.FormatFloat(*f, 'f', -1, 64)
	if lang != "en" {
		s = strings.Replace(s, ".", ",", 1)
	}
	return s
}

// KPIFormNumber writes a number for a form field in the page's language.
func (p *Page) KPIFormNumber(f *float64) string { return kpiFormNumber(p.Lang, f) }

// KPIFormFloat writes a number that is always there for a form field.
func (p *Page) KPIFormFloat(f float64) string { return kpiFormNumber(p.Lang, &f) }

// KPIValue writes a value with the KPI's decimals and measure unit:
// "93,5 %"; "—" for none.
func (p *Page) KPIValue(f *float64, k scorecard.KPI) string {
	if f == nil {
		return "—"
	}
	s := p.Decimal(*f, k.Decimals)
	if k.MeasureUnit != "" {
		s += " " + k.MeasureUnit
	}
	return s
}

// KPIPeriod is a period key as people read it: "octombrie 2026".
func (p *Page) KPIPeriod(key string) string {
	per, err := scorecard.ParsePeriod(key)
	if err != nil {
		return key
	}
	return per.Label(p.Lang)
}

// KPITarget writes a target: "95 %" or, for a band, "4–6 zile".
func (p *Page) KPITarget(t *scorecard.Target, k scorecard.KPI) string {
	if t == nil {
		return "—"
	}
	if t.High != nil {
		s := p.Decimal(t.Value, k.Decimals) + "–" + p.Decimal(*t.High, k.Decimals)
		if k.MeasureUnit != "" {
			s += " " + k.MeasureUnit
		}
		return s
	}
	v := t.Value
	return p.KPIValue(&v, k)
}

// kpiStatuses is each KPI's card for the month the scorecard shows now
// (the last month that has ended), for lists that show a status column:
// the same judgement as the scorecard's, from the values and targets of
// these KPIs only. Archived KPIs have none.
func (s *Server) kpiStatuses(ctx context.Context, a auth.Actor, kpis []scorecard.KPI) (map[int64]scorecard.KPICard, error) {
	return s.scorecard.KPICards(ctx, a, kpis, scorecard.Period{})
}

// kpiStatus is a card's status for a class and a label: none without a
// result.
func kpiStatus(kc scorecard.KPICard) string {
	if !kc.HasResult {
		return scorecard.StatusNone
	}
	return kc.Result.Status
}
