package web

// The statistics of petitions, requests for public information and
// applications through the API: the indicators of the service catalogue
// (no personal data) for a year, by kind of case, by service and by month,
// and the year's cases by state as they stand today.

import (
	"net/http"
	"time"

	"cadran/internal/citizen"
	"cadran/internal/work"
)

type apiIndicators struct {
	Registered   int      `json:"registered"`
	Closed       int      `json:"closed"`
	OnTime       int      `json:"on_time"`
	OnTimeShare  *float64 `json:"on_time_share"`
	AvgDays      *float64 `json:"avg_days"`
	P90Days      *float64 `json:"p90_days"`
	OverdueOpen  int      `json:"overdue_open"`
	Ratings      int      `json:"ratings"`
	Satisfaction *float64 `json:"satisfaction"`
}

func apiIndicatorsOf(in citizen.Indicators) apiIndicators {
	out := apiIndicators{Registered: in.Registered, Closed: in.Closed, OnTime: in.OnTime, OverdueOpen: in.OverdueOpen, Ratings: in.Ratings}
	if in.Closed > 0 {
		share, avg, p90 := citRound(in.OnTimeShare, 4), citRound(in.AvgDays, 1), citRound(in.P90Days, 1)
		out.OnTimeShare, out.AvgDays, out.P90Days = &share, &avg, &p90
	}
	if in.Ratings > 0 {
		sat := citRound(in.Satisfaction, 2)
		out.Satisfaction = &sat
	}
	return out
}

type apiKindIndicators struct {
	Kind string `json:"kind"`
	apiIndicators
}

type apiServiceIndicators struct {
	Code   string `json:"code"`
	Name   string `json:"name"`
	Active bool   `json:"active"`
	apiIndicators
}

type apiMonthIndicators struct {
	Month string `json:"month"`
	apiIndicators
}

type apiStateCount struct {
	State string `json:"state"`
	Count int    `json:"count"`
}

type apiPetitionStats struct {
	Year      int                    `json:"year"`
	From      string                 `json:"from"`
	To        string                 `json:"to"`
	Total     apiIndicators          `json:"total"`
	ByKind    []apiKindIndicators    `json:"by_kind"`
	ByService []apiServiceIndicators `json:"by_service"`
	ByMonth   []apiMonthIndicators   `json:"by_month"`
	ByState   []apiStateCount        `json:"by_state"`
}

// apiPetitionStatistics is a year's indicators (the current year by
// default, up to today).
func (s *Server) apiPetitionStatistics(w http.ResponseWriter, r *http.Request) error {
	a, l, ok := s.apiActor(w, r)
	if !ok {
		return nil
	}
	ctx := r.Context()
	today := work.Day(s.clock.Now())
	q := newAPIQuery(r, l)
	year := q.year("year")
	if year > today.Year() {
		q.fail("year", "api.error.future_year")
	}
	if q.refused(w) {
		return nil
	}
	if year == 0 {
		year = today.Year()
	}
	from, to := time.Date(year, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(year, 12, 31, 0, 0, 0, 0, time.UTC)
	if to.After(today) {
		to = today
	}
	set, err := s.citizen.ServiceIndicators(ctx, a, from, to)
	if err != nil {
		return apiFailAs(w, r, l, err, "api.error.not_found")
	}
	out := apiPetitionStats{Year: year, From: from.Format(time.DateOnly), To: to.Format(time.DateOnly), Total: apiIndicatorsOf(set.Total),
		ByKind: []apiKindIndicators{}, ByService: []apiServiceIndicators{}, ByMonth: []apiMonthIndicators{}, ByState: []apiStateCount{}}
	for _, row := range set.Rows {
		if row.ServiceID == 0 {
			out.ByKind = append(out.ByKind, apiKindIndicators{Kind: row.Kind, apiIndicators: apiIndicatorsOf(row.Indicators)})
		} else {
			out.ByService = append(out.ByService, apiServiceIndicators{Code: row.Code, Name: row.Name, Active: row.Active, apiIndicators: apiIndicatorsOf(row.Indicators)})
		}
	}
	for m := from; !m.After(to); m = m.AddDate(0, 1, 0) {
		end := m.AddDate(0, 1, -1)
		if end.After(to) {
			end = to
		}
		ms, err := s.citizen.ServiceIndicators(ctx, a, m, end)
		if err != nil {
			return apiFailAs(w, r, l, err, "api.error.not_found")
		}
		out.ByMonth = append(out.ByMonth, apiMonthIndicators{Month: m.Format("2006-01"), apiIndicators: apiIndicatorsOf(ms.Total)})
	}
	// The cases by state count those the person may see in the registry,
	// as the registry's own counts do.
	states, err := s.citizen.StateCounts(ctx, a, year)
	if err != nil {
		return apiFailAs(w, r, l, err, "api.error.not_found")
	}
	for _, st := range states {
		out.ByState = append(out.ByState, apiStateCount{State: st.State, Count: st.Count})
	}
	return apiJSON(w, http.StatusOK, out)
}
